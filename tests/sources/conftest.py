"""Fixtures for the source tests: a loopback server answering like Sotkanet and StatFin."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from raketieto.catalogue import Catalogue, load_catalogue
from raketieto.pipeline.refresh import RefreshReport, refresh
from raketieto.regions import Division, load_division
from raketieto.settings import Settings
from raketieto.sources.base import Source
from raketieto.sources.csvfile import CsvFileSource
from raketieto.sources.http import HttpClient, RetryPolicy
from raketieto.sources.sotkanet import SotkanetSource
from raketieto.sources.statfin import StatFinSource
from tests.sources.fakeserver import FIXTURES, FakeServer, Reply, Seen, running

SOTKANET = "rest/1.1/"
STATFIN = "statfin/"
POPULATION_PATH = "vaerak/11s5.px"
DEATHS_PATH = "ksyyt/13u5.px"


def load(relative: str) -> Any:
    """A fixture file's JSON."""
    return json.loads((FIXTURES / relative).read_text(encoding="utf-8"))


def sotkanet_rows(seen: Seen) -> Reply:
    """Answer /json like Sotkanet: rows of the indicator for the asked years and genders."""
    params: dict[str, list[str]] = {}
    for key, value in seen.query:
        params.setdefault(key, []).append(value)
    rows = load("sotkanet/json_493_2010_2011.json")
    years = {int(y) for y in params.get("years", [])}
    genders = set(params.get("genders", ["total"]))
    indicator = int(params["indicator"][0])
    picked = [
        r
        for r in rows
        if r["indicator"] == indicator and r["year"] in years and r["gender"] in genders
    ]
    return Reply.json(picked)


def statfin_population(seen: Seen) -> Reply:
    """Answer an 11s5 query from the recorded 2024M12 sample or the 2010–2011 fixture."""
    months = next(q["selection"]["values"] for q in seen.body["query"] if q["code"] == "kuukausi")
    if months == ["2024M12"]:
        return Reply.file(
            "api-samples/statfin/jsonstat2_11s5_population_by_municipality_2024M12.json"
        )
    dataset = load("statfin/jsonstat2_11s5_population_2010M12_2011M12.json")
    return Reply.json(subset_months(dataset, months))


def subset_months(dataset: dict[str, Any], months: list[str]) -> dict[str, Any]:
    """The dataset cut to the given months (the area dimension first, months second)."""
    offered = dataset["dimension"]["kuukausi"]["category"]["index"]
    keep = [offered.index(m) for m in months if m in offered]
    width = len(offered)
    values = dataset["value"]
    cut = [values[row * width + col] for row in range(len(values) // width) for col in keep]
    out = json.loads(json.dumps(dataset))
    out["dimension"]["kuukausi"]["category"]["index"] = [offered[i] for i in keep]
    out["size"][1] = len(keep)
    out["value"] = cut
    return out


def install_sotkanet(server: FakeServer) -> None:
    """Sotkanet's /regions, /indicators/{id} and /json answered from the fixtures."""
    server.route(f"/{SOTKANET}regions", Reply.file("sotkanet/regions.json"))
    server.route(f"/{SOTKANET}indicators/493", Reply.file("sotkanet/indicators_493.json"))
    server.route(
        f"/{SOTKANET}indicators/186",
        Reply.file("api-samples/sotkanet/rest_1.1_indicators_186.json"),
    )
    server.handle(f"/{SOTKANET}json", sotkanet_rows)


def install_statfin(server: FakeServer) -> None:
    """StatFin's 11s5 and 13u5 metadata and queries answered from the fixtures and samples."""
    path = f"/{STATFIN}{POPULATION_PATH}"
    deaths = f"/{STATFIN}{DEATHS_PATH}"
    population_meta = Reply.file("statfin/pxweb_11s5_metadata.json")
    deaths_meta = Reply.file("statfin/pxweb_13u5_metadata.json")
    deaths_data = Reply.file(
        "api-samples/statfin/jsonstat2_13u5_deaths_by_wellbeing_county_2024.json"
    )
    server.handle(path, lambda s: population_meta if s.method == "GET" else statfin_population(s))
    server.handle(deaths, lambda s: deaths_meta if s.method == "GET" else deaths_data)


LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture(autouse=True)
def no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside the live tests, any connection or name lookup beyond loopback fails loudly."""
    if "live" in request.keywords:
        return
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in LOOPBACK and not host.startswith("/"):
            raise OSError(f"test tried to reach {host!r}: only loopback is allowed")
        real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in LOOPBACK and host is not None:
            raise OSError(f"test tried to look up {host!r}: only loopback is allowed")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    """A loopback server answering like Sotkanet and StatFin."""
    with running() as fake:
        install_sotkanet(fake)
        install_statfin(fake)
        yield fake


@pytest.fixture
def sleeps() -> list[float]:
    """The waits the client asked for (it never really sleeps in tests)."""
    return []


@pytest.fixture
def make_client(sleeps: list[float]) -> Callable[..., HttpClient]:
    """A client factory: short timeout, no politeness delay, recorded (not real) sleeps."""

    def make(*_: object, timeout: float = 2.0, attempts: int = 3, **kwargs: Any) -> HttpClient:
        return HttpClient(
            timeout=timeout,
            min_interval=0.0,
            retry=RetryPolicy(max_attempts=attempts, base_delay=0.5),
            sleep=sleeps.append,
            **kwargs,
        )

    return make


@pytest.fixture
def sotkanet(server: FakeServer) -> SotkanetSource:
    """The Sotkanet source pointed at the loopback server."""
    return SotkanetSource(server.url + SOTKANET)


@pytest.fixture
def statfin(server: FakeServer) -> StatFinSource:
    """The StatFin source pointed at the loopback server."""
    return StatFinSource(server.url + STATFIN)


INDICATOR = "social-assistance-recipients-pct"
YEARS = [2010, 2011]


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The shipped catalogue."""
    return load_catalogue()


@pytest.fixture(scope="session")
def division() -> Division:
    """The newest shipped division."""
    return load_division()


def sources_for(server: FakeServer, data_dir: Path) -> dict[str, Source]:
    """Every registered source, the web ones pointed at the loopback server."""
    return {
        "sotkanet": SotkanetSource(server.url + SOTKANET),
        "statfin": StatFinSource(server.url + STATFIN),
        "csv": CsvFileSource(data_dir / "imports"),
    }


def run(
    settings: Settings,
    server: FakeServer,
    catalogue: Catalogue,
    division: Division,
    *,
    sleeps: list[float] | None = None,
    timeout: float = 2.0,
    **options: Any,
) -> RefreshReport:
    """A refresh of the social assistance indicator 2010–2011 against the loopback server."""
    waits = sleeps if sleeps is not None else []
    options.setdefault("indicator", INDICATOR)
    options.setdefault("years", YEARS)
    return refresh(
        settings,
        catalogue,
        division,
        source_objects=sources_for(server, settings.data_dir),
        client_factory=lambda source: HttpClient(
            timeout=timeout,
            min_interval=0.0,
            retry=RetryPolicy(max_attempts=2, base_delay=0.5),
            sleep=waits.append,
        ),
        **options,
    )


@pytest.fixture(scope="session")
def built_cube(
    tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue, division: Division
) -> Path:
    """A cube built once by a successful refresh; tests copy it as their previous cube."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("built"))
    with running() as server:
        install_sotkanet(server)
        install_statfin(server)
        report = run(settings, server, catalogue, division)
    assert report.ok, report.lines()
    return settings.cube_path
