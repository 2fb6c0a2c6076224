"""Login flood: public, API and logged-in latency before and during a flood of failed logins.

Starts `raketieto serve` on a free loopback port (a child process, the real argon2 profile, a
fresh SQLite store with one account), measures one client's sequential requests to public
pages, the API and a logged-in page (baseline), then again while a second child process sends
a bounded flood of failed logins from concurrent clients that ignore Retry-After. Half of the
flood guesses at the real account (it locks), half at unknown names (each costs a hash unless
refused first). Prints p50/p95 of both phases, their ratio, and what the flood was answered.

    .venv/bin/python bench/login_flood_bench.py --data-dir var
    .venv/bin/python bench/login_flood_bench.py --data-dir var --attempts-per-minute 10

The default --attempts-per-minute is high, so that the limits let the flood through to the
hash pool (as a flood from many addresses would get through); with the shipped limit of 10
nearly every attempt is answered 429 before any hashing.
tests/reporting/test_login_flood.py runs the same measurement and fails on a ratio above 3.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ACCOUNT = "tulva-tyontekija"
PASSWORD = "oikea-salasana-tulvatestiin"
PUBLIC_PATHS = (
    "/tilannekuva/SSS",
    "/tilannekuva/HVA13",
    "/ilmio/asunnottomuus/HVA13",
    "/ilmio/mielenterveys/SSS",
    "/ilmionakyma/asunnottomuus/HVA13",
    "/tilannekuva/YTA3?lang=sv",
    "/api/v1/regions/HVA13",
    "/api/v1/phenomena",
)
LOGGED_IN_PATH = "/raportit"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Connection:
    """A minimal HTTP/1.1 keep-alive client that costs less than the server it measures."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, *, cookie: str = "", body: bytes = b""
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request; (status, headers with lower-case names, body)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
        if cookie:
            head += f"Cookie: {cookie}\r\n"
        if method == "POST":
            head += "Content-Type: application/x-www-form-urlencoded\r\n"
            head += f"Content-Length: {len(body)}\r\n"
        self.writer.write(head.encode("latin-1") + b"\r\n" + body)
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        headers: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            key, _, value = line.decode("latin-1").partition(":")
            name = key.strip().lower()
            # Keep the first Set-Cookie (the session); later ones would only delete it.
            headers.setdefault(name, value.strip())
        content = b""
        if "content-length" in headers:
            content = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            parts = []
            while (size := int((await self.reader.readline()).strip(), 16)) > 0:
                parts.append((await self.reader.readexactly(size + 2))[:-2])
            await self.reader.readline()
            content = b"".join(parts)
        if headers.get("connection") == "close":
            self.close()
        return status, headers, content

    def close(self) -> None:
        """Close the socket (the next request opens a new one)."""
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def session_of(connection: Connection) -> tuple[str, str]:
    """(cookie, CSRF token) of a fresh session from the login page."""
    status, headers, body = await connection.request("GET", "/kirjaudu")
    if status != 200:
        raise RuntimeError(f"/kirjaudu answered {status}")
    cookie = headers["set-cookie"].split(";", 1)[0]
    found = _CSRF.search(body.decode("utf-8"))
    if found is None:
        raise RuntimeError("the login page has no CSRF token")
    return cookie, found.group(1)


def login_body(token: str, username: str, password: str) -> bytes:
    """The urlencoded login form."""
    form = {"csrf_token": token, "username": username, "password": password}
    return urlencode(form).encode()


# --- the flood (child process) ---------------------------------------------------------------


async def flood(
    port: int, clients: int, attempts: int, seconds: float, pause: float
) -> dict[str, object]:
    """attempts failed logins from clients concurrent clients, within seconds at most; each
    client waits pause seconds after an answer (and never for Retry-After)."""
    statuses: Counter[int] = Counter()
    sent = 0
    deadline = time.monotonic() + seconds

    async def client(number: int) -> None:
        nonlocal sent
        connection = Connection(port)
        try:
            cookie, token = await session_of(connection)
            while sent < attempts and time.monotonic() < deadline:
                sent += 1
                name = ACCOUNT if number % 2 == 0 else f"tuntematon-{number}-{sent}"
                body = login_body(token, name, f"väärä-salasana-{sent}")
                status, _, _ = await connection.request(
                    "POST", "/kirjaudu", cookie=cookie, body=body
                )
                statuses[status] += 1
        finally:
            connection.close()

    start = time.monotonic()
    await asyncio.gather(*(client(n) for n in range(clients)))
    return {
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "seconds": round(time.monotonic() - start, 2),
    }


# --- the measured client (parent process) ----------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The q-quantile of values (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Series:
    """Latencies in milliseconds of one kind of request in one phase."""

    times: list[float] = field(default_factory=list)

    def p50(self) -> float:
        return percentile(self.times, 0.5)

    def p95(self) -> float:
        return percentile(self.times, 0.95)


@dataclass
class Phase:
    """What the measuring client saw in one phase."""

    public: Series = field(default_factory=Series)
    logged_in: Series = field(default_factory=Series)


async def measure(
    port: int, cookie: str, requests: int, until: subprocess.Popen[bytes] | None = None
) -> Phase:
    """requests sequential public requests (every fourth also a logged-in page); with until,
    stop early when that process has ended."""
    phase = Phase()
    connection = Connection(port)
    try:
        for i in range(requests):
            if until is not None and until.poll() is not None:
                break
            path = PUBLIC_PATHS[i % len(PUBLIC_PATHS)]
            start = time.perf_counter()
            status, _, _ = await connection.request("GET", path)
            phase.public.times.append((time.perf_counter() - start) * 1000)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            if i % 4 == 0:
                start = time.perf_counter()
                status, _, _ = await connection.request("GET", LOGGED_IN_PATH, cookie=cookie)
                phase.logged_in.times.append((time.perf_counter() - start) * 1000)
                if status != 200:
                    raise RuntimeError(f"{LOGGED_IN_PATH} answered {status} to a logged-in user")
            await asyncio.sleep(0.005)  # a reader, not a load generator
    finally:
        connection.close()
    return phase


def prepare_store(url: str) -> None:
    """A migrated store with one worker account (the real argon2 profile)."""
    from raketieto.catalogue import load_catalogue
    from raketieto.regions import load_division
    from raketieto.store import migrate
    from raketieto.store.accounts import create_user_from_console, make_password_hasher
    from raketieto.store.db import make_engine, make_session_factory, transaction
    from raketieto.store.enums import Role
    from raketieto.store.vocabulary import Vocabulary

    migrate.upgrade(url)
    engine = make_engine(url)
    vocab = Vocabulary.from_sources(load_catalogue(), load_division(None))
    with transaction(make_session_factory(engine)) as session:
        create_user_from_console(
            session,
            username=ACCOUNT,
            display_name="Tulva",
            role=Role.WORKER,
            county="HVA13",
            password=PASSWORD,
            hasher=make_password_hasher(),
            vocab=vocab,
        )
    engine.dispose()


@dataclass
class FloodResult:
    """The figures of one run."""

    baseline: Phase
    during: Phase
    flood: dict[str, object]

    @property
    def ratio(self) -> float:
        """Public p95 during the flood over its baseline."""
        return self.during.public.p95() / self.baseline.public.p95()

    @property
    def logged_in_ratio(self) -> float:
        """Logged-in p95 during the flood over its baseline."""
        return self.during.logged_in.p95() / self.baseline.logged_in.p95()

    def lines(self) -> list[str]:
        """The figures as printable lines."""
        rows = []
        for name, base, during in (
            ("public pages and API", self.baseline.public, self.during.public),
            ("logged-in page", self.baseline.logged_in, self.during.logged_in),
        ):
            rows.append(
                f"{name:<22} baseline p50 {base.p50():6.1f} ms  p95 {base.p95():6.1f} ms "
                f"(n={len(base.times)})   flood p50 {during.p50():6.1f} ms  "
                f"p95 {during.p95():6.1f} ms (n={len(during.times)})"
            )
        statuses = self.flood["statuses"]
        assert isinstance(statuses, dict)
        answered = ", ".join(f"{k}: {v}" for k, v in statuses.items())
        rows.append(
            f"public p95 ratio (flood / baseline) {self.ratio:.2f}; logged-in "
            f"{self.logged_in_ratio:.2f}"
        )
        rows.append(
            f"flood: {sum(statuses.values())} logins in {self.flood['seconds']} s: {answered}"
        )
        return rows


def run(
    data_dir: Path,
    *,
    clients: int = 40,
    attempts: int = 600,
    seconds: float = 30.0,
    pause: float = 1.0,
    requests: int = 300,
    attempts_per_minute: int = 100_000,
) -> FloodResult:
    """Serve, measure the baseline, flood while measuring again; stop everything started."""
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'flood.sqlite3'}"
        prepare_store(url)
        env = {
            **os.environ,
            "RAKETIETO_DATA_DIR": str(data_dir),
            "RAKETIETO_DATABASE_URL": url,
            "RAKETIETO_SECRET_KEY": "tulva-" * 8,
            "RAKETIETO_LOGIN_ATTEMPTS_PER_MINUTE": str(attempts_per_minute),
            "RAKETIETO_API_REQUESTS_PER_MINUTE": "100000",
        }
        command = [sys.executable, "-m", "raketieto", "serve", "--port", str(port)]
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        try:
            flood = (clients, attempts, seconds, pause)
            return asyncio.run(_phases(server, port, flood, requests))
        finally:
            server.terminate()
            server.wait(timeout=30)


async def _phases(
    server: subprocess.Popen[bytes],
    port: int,
    flood: tuple[int, int, float, float],
    requests: int,
) -> FloodResult:
    clients, attempts, seconds, pause = flood
    await _ready(server, port)
    connection = Connection(port)
    cookie, token = await session_of(connection)
    status, headers, _ = await connection.request(
        "POST", "/kirjaudu", cookie=cookie, body=login_body(token, ACCOUNT, PASSWORD)
    )
    connection.close()
    if status != 303:
        raise RuntimeError(f"the measuring client's login answered {status}")
    cookie = headers["set-cookie"].split(";", 1)[0]
    await measure(port, cookie, len(PUBLIC_PATHS) * 2)  # every page computed once: warm
    baseline = await measure(port, cookie, requests)
    flooder = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--flood",
            json.dumps([port, clients, attempts, seconds, pause]),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        await asyncio.sleep(0.5)  # let the flood start
        during = await measure(port, cookie, requests * 10, until=flooder)
        out, _ = flooder.communicate(timeout=seconds + 30)
    finally:
        if flooder.poll() is None:
            flooder.kill()
            flooder.wait()
    return FloodResult(baseline, during, json.loads(out))


async def _ready(server: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        connection = Connection(port)
        try:
            status, _, _ = await connection.request("GET", "/health")
            if status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        await asyncio.sleep(0.2)
    raise RuntimeError("the server did not become ready")


def main() -> None:
    """Parse the options, run, print the figures."""
    if len(sys.argv) == 3 and sys.argv[1] == "--flood":
        port, clients, attempts, seconds, pause = json.loads(sys.argv[2])
        print(json.dumps(asyncio.run(flood(port, clients, attempts, seconds, pause))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("var"), help="folder with the cube")
    parser.add_argument("--clients", type=int, default=40, help="concurrent flood clients")
    parser.add_argument("--attempts", type=int, default=600, help="failed logins in the flood")
    parser.add_argument("--seconds", type=float, default=30.0, help="longest flood")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds a flood client waits")
    parser.add_argument("--requests", type=int, default=300, help="baseline requests")
    parser.add_argument(
        "--attempts-per-minute", type=int, default=100_000, help="login_attempts_per_minute"
    )
    options = parser.parse_args()
    if not (options.data_dir / "cube" / "current.duckdb").exists():
        parser.error(f"no cube in {options.data_dir}; run `raketieto build-demo` first")
    result = run(
        options.data_dir.resolve(),
        clients=options.clients,
        attempts=options.attempts,
        seconds=options.seconds,
        pause=options.pause,
        requests=options.requests,
        attempts_per_minute=options.attempts_per_minute,
    )
    for line in result.lines():
        print(line)
    verdict = "met" if result.ratio <= 3 else "NOT met"
    print(f"goal (public p95 during the flood <= 3x baseline): {verdict}")


if __name__ == "__main__":
    main()
