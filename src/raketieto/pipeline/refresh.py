"""Refresh: fetch from the sources, check everything, and only then build and swap in a new cube.

If any requested indicator fails to arrive or to validate, nothing is built: the previous cube
stays live and the report names each indicator, region and year that failed and why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from raketieto.catalogue import Catalogue, Indicator
from raketieto.cube.aggregate import aggregate_up
from raketieto.cube.schema import FACT_COLUMNS, KEY_COLUMNS, OPTIONAL_FACT_COLUMNS, SEXES
from raketieto.errors import DataError, RaketietoError
from raketieto.regions import Division
from raketieto.settings import Settings
from raketieto.sources.base import (
    FetchProblem,
    FetchResult,
    Progress,
    Source,
    empty_facts,
    grouped_lines,
)
from raketieto.sources.cache import ResponseCache
from raketieto.sources.http import HttpClient
from raketieto.sources.registry import available_sources, get_source

DERIVED_NOTE = "osoittaja johdettu julkaistusta arvosta ja nimittäjästä"
ClientFactory = Callable[[Source], HttpClient]
Builder = Callable[..., Path]


@dataclass
class RefreshReport:
    """What a refresh asked for, what arrived, what failed, and whether a new cube went live."""

    requested: list[str]
    by_source: dict[str, list[str]] = field(default_factory=dict)
    facts: int = 0
    carried_over: int = 0
    problems: list[FetchProblem] = field(default_factory=list)
    cube_path: Path | None = None
    offline: bool = False
    #: Selected indicators no chosen source offers (client data, Kela/ARA without a CSV file).
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when everything arrived, validated and the new cube is live."""
        return not self.problems and self.cube_path is not None

    def lines(self) -> list[str]:
        """The report as lines of text, in Finnish."""
        sources = ", ".join(f"{name} ({len(ids)})" for name, ids in self.by_source.items())
        out = [
            f"Pyydetty {len(self.requested)} indikaattoria; lähteet: {sources or '-'}"
            + (" (offline, vain välimuistista)" if self.offline else "")
        ]
        if self.skipped:
            out.append(
                f"Ilman avointa lähdettä jäi hakematta {len(self.skipped)}: "
                f"{', '.join(self.skipped)} (ks. raketieto fetch --describe)."
            )
        if self.ok:
            out.append(
                f"Uusi kuutio otettu käyttöön: {self.cube_path} ({self.facts} uutta faktaa, "
                f"{self.carried_over} edellisestä kuutiosta)."
            )
            return out
        problems = grouped_lines(self.problems)
        out.append(
            f"Uutta kuutiota ei rakennettu; edellinen kuutio on edelleen käytössä. "
            f"Ongelmia {len(problems)}:"
        )
        out += [f"  - {line}" for line in problems]
        if not self.offline:
            out.append(
                "Korjaa yllä luetellut ja aja haku uudelleen; `raketieto fetch --offline` "
                "rakentaa kuution pelkästään välimuistiin jo tallennetuista vastauksista."
            )
        return out


def select_indicators(
    catalogue: Catalogue, *, phenomenon: str | None = None, indicator: str | None = None
) -> list[str]:
    """Catalogue indicator ids narrowed to one phenomenon and/or one indicator."""
    chosen = list(catalogue.indicators)
    if phenomenon is not None:
        wanted = catalogue.phenomenon(phenomenon).id
        chosen = [i for i in chosen if wanted in catalogue.indicators[i].phenomena()]
    if indicator is not None:
        single = catalogue.indicator(indicator).id
        if single not in chosen:
            raise RaketietoError(
                f"Indikaattori '{single}' ei kuulu ilmiöön '{phenomenon}'; jätä toinen "
                "valitsimista pois tai valitse ilmiön indikaattori."
            )
        chosen = [single]
    return chosen


def preferred_source(
    indicator: Indicator, names: Sequence[str], offers: Mapping[str, set[str]]
) -> str:
    """The source for an indicator: the one named by its kind first, then registry order."""
    able = [name for name in names if indicator.id in offers[name]]
    return next((name for name in able if name == indicator.source.kind), able[0])


@dataclass(frozen=True)
class PlannedIndicator:
    """One selected indicator: which source would fetch it, by which key, and is the key checked."""

    indicator_id: str
    source: str | None
    kind: str
    key: str
    verified: bool
    evidence: str


def source_objects_for(
    settings: Settings, names: Sequence[str], given: Mapping[str, Source] | None = None
) -> dict[str, Source]:
    """The named sources (given ones first, the rest from the registry), configured by settings."""
    objects: dict[str, Source] = dict(given or {})
    for name in names:
        if name not in objects:
            objects[name] = get_source(name, settings)
    return objects


def describe_selection(
    settings: Settings,
    catalogue: Catalogue,
    *,
    sources: Sequence[str] | None = None,
    phenomenon: str | None = None,
    indicator: str | None = None,
    source_objects: Mapping[str, Source] | None = None,
) -> list[PlannedIndicator]:
    """What a fetch with these options would ask for, without going online."""
    chosen = [n.strip().lower() for n in sources] if sources else available_sources()
    objects = source_objects_for(settings, chosen, source_objects)
    offers = {name: set(objects[name].offers(catalogue)) for name in chosen}
    planned = []
    for indicator_id in select_indicators(catalogue, phenomenon=phenomenon, indicator=indicator):
        item = catalogue.indicators[indicator_id]
        able = any(indicator_id in offers[name] for name in chosen)
        source = item.source
        keys = [
            f"{label} {value}"
            for label, value in (
                ("sotkanet", source.sotkanet_id),
                ("statfin", source.statfin_table),
                ("client_data", source.rule),
            )
            if value is not None
        ]
        if source.verified:
            evidence = source.verified_by or ""
        else:
            evidence = item.caveats.fi if item.caveats is not None else ""
        planned.append(
            PlannedIndicator(
                indicator_id,
                preferred_source(item, chosen, offers) if able else None,
                source.kind,
                ", ".join(keys) or source.kind,
                source.verified,
                evidence,
            )
        )
    return planned


def refresh(
    settings: Settings,
    catalogue: Catalogue,
    division: Division,
    *,
    sources: Sequence[str] | None = None,
    phenomenon: str | None = None,
    indicator: str | None = None,
    years: Sequence[int] | None = None,
    offline: bool = False,
    progress: Progress | None = None,
    source_objects: Mapping[str, Source] | None = None,
    client_factory: ClientFactory | None = None,
    build: Builder | None = None,
) -> RefreshReport:
    """Fetch what was asked; build and swap in a new cube only when all of it arrived and validated.

    source_objects, client_factory and build replace the registry's sources, the HTTP client
    and the cube builder (tests point them at a local server).
    """
    every = available_sources()
    chosen = [n.strip().lower() for n in sources] if sources else every
    objects = source_objects_for(settings, sorted(set(chosen) | set(every)), source_objects)
    offers = {name: set(objects[name].offers(catalogue)) for name in objects}

    candidates = select_indicators(catalogue, phenomenon=phenomenon, indicator=indicator)
    report = RefreshReport(requested=[], offline=offline)
    plan: dict[str, list[str]] = {}
    for indicator_id in candidates:
        if any(indicator_id in offers[name] for name in chosen):
            item = catalogue.indicators[indicator_id]
            plan.setdefault(preferred_source(item, chosen, offers), []).append(indicator_id)
            report.requested.append(indicator_id)
        elif indicator is not None:
            report.problems.append(
                FetchProblem(
                    indicator_id,
                    None,
                    None,
                    f"mikään lähteistä {', '.join(chosen)} ei tarjoa tätä indikaattoria "
                    f"(lähdetyyppi '{catalogue.indicators[indicator_id].source.kind}')",
                )
            )
        else:
            report.skipped.append(indicator_id)
    if not report.requested and not report.problems:
        report.problems.append(
            FetchProblem(None, None, None, "valinnalla ei löytynyt yhtään haettavaa indikaattoria")
        )

    # Indicators whose counts come from another (the population) need that one fetched too.
    planned = {i for ids in plan.values() for i in ids}
    try:
        previous = previous_facts(settings, catalogue, division)
    except DataError as error:
        report.problems.append(FetchProblem(None, None, None, error.message))
        return report
    for indicator_id in list(report.requested):
        item = catalogue.indicators[indicator_id]
        dependency = item.derive_numerator_from or item.denominator_from
        if dependency is None or dependency in planned:
            continue
        if any(dependency in offers[name] for name in every):
            source_name = preferred_source(catalogue.indicators[dependency], every, offers)
            plan.setdefault(source_name, []).append(dependency)
            planned.add(dependency)
        elif not (previous["indicator_id"] == dependency).any():
            report.problems.append(
                FetchProblem(
                    indicator_id,
                    None,
                    None,
                    f"nimittäjän indikaattoria '{dependency}' ei tarjoa mikään lähde eikä "
                    "sitä ole edellisessä kuutiossa",
                )
            )
    report.by_source = plan

    results = [
        _fetch_from(
            objects[name],
            [catalogue.indicators[i] for i in ids],
            years,
            settings=settings,
            offline=offline,
            progress=progress,
            client_factory=client_factory,
        )
        for name, ids in plan.items()
    ]
    fetched = FetchResult.combine(results)
    report.problems += fetched.problems
    # An indicator whose fetch already failed needs no second "nothing arrived" line.
    failed = {p.indicator_id for p in fetched.problems}
    report.problems += validate(fetched.facts, sorted(planned - failed), division)
    report.facts = len(fetched.facts)
    if report.problems:
        return report

    facts = derive_counts(fetched.facts, catalogue, division, reference=previous)
    kept = carry_over(previous, facts)
    report.carried_over = len(kept)
    combined = pd.concat([kept, facts], ignore_index=True) if not kept.empty else facts
    builder = build if build is not None else _build_cube
    try:
        report.cube_path = builder(
            combined.loc[
                :, [*FACT_COLUMNS, *(c for c in OPTIONAL_FACT_COLUMNS if c in combined.columns)]
            ],
            settings=settings,
            catalogue=catalogue,
            division=division,
        )
    except RaketietoError as error:
        report.problems.append(
            FetchProblem(
                None, None, None, f"kuution rakentaminen keskeytyi: {error.full_message()}"
            )
        )
    return report


def _build_cube(
    facts: pd.DataFrame, *, settings: Settings, catalogue: Catalogue, division: Division
) -> Path:
    # Imported here so that listing and fetching need not load the statistics stack.
    from raketieto.pipeline.publish import publish_cube

    return publish_cube(facts, settings=settings, catalogue=catalogue, division=division)


def request_interval(source: Source, settings: Settings) -> float:
    """Seconds between two requests: the politeness setting, or the publisher's floor if longer."""
    return max(1.0 / settings.fetch_requests_per_second, source.min_interval)


def _fetch_from(
    source: Source,
    indicators: Sequence[Indicator],
    years: Sequence[int] | None,
    *,
    settings: Settings,
    offline: bool,
    progress: Progress | None,
    client_factory: ClientFactory | None,
) -> FetchResult:
    cache = ResponseCache.for_source(settings, source.name, offline=offline)
    client = (
        client_factory(source)
        if client_factory is not None
        else HttpClient(min_interval=request_interval(source, settings))
    )
    try:
        return source.fetch(indicators, years, client=client, cache=cache, progress=progress)
    except RaketietoError as error:
        reason = f"lähde {source.name}: {error.full_message()}"
    except Exception as error:  # a plug-in's bug must not take the refresh (or the cube) down
        reason = (
            f"lähde {source.name} kaatui odottamattomasti ({type(error).__name__}: {error}); "
            "vastaus ei ollut odotetun muotoinen"
        )
    finally:
        client.close()
    return FetchResult(empty_facts(), [FetchProblem(i.id, None, None, reason) for i in indicators])


def validate(
    facts: pd.DataFrame, expected: Sequence[str], division: Division
) -> list[FetchProblem]:
    """Every reason the fetched facts cannot go into a cube, one problem per place."""
    problems: list[FetchProblem] = []
    arrived = set(facts["indicator_id"])
    problems += [
        FetchProblem(i, None, None, "lähteestä ei saatu yhtään faktaa")
        for i in expected
        if i not in arrived
    ]
    if facts.empty:
        return problems
    outside = ~facts["region_code"].isin(list(division.regions))
    for (indicator_id, code), rows in facts[outside].groupby(["indicator_id", "region_code"]):
        why = (
            "Ahvenanmaa on hyvinvointialueuudistuksen ulkopuolella"
            if code in division.aland_codes
            else f"aluekoodia ei ole aluejaossa {division.year}"
        )
        years = sorted(int(y) for y in rows["year"].unique())
        problems.append(
            FetchProblem(str(indicator_id), str(code), years[0] if len(years) == 1 else None, why)
        )
    bad_sex = facts[~facts["sex"].isin(list(SEXES))]
    for _, row in bad_sex.drop_duplicates(["indicator_id", "sex"]).iterrows():
        problems.append(
            FetchProblem(
                str(row["indicator_id"]),
                str(row["region_code"]),
                int(row["year"]),
                f"tuntematon sukupuoli '{row['sex']}'; odotettiin {', '.join(SEXES)}",
            )
        )
    negative = facts[(facts["numerator"] < 0) | (facts["denominator"] < 0)]
    for _, row in negative.iterrows():
        problems.append(
            FetchProblem(
                str(row["indicator_id"]),
                str(row["region_code"]),
                int(row["year"]),
                "negatiivinen osoittaja tai nimittäjä; odotettiin ei-negatiivista lukua",
            )
        )
    duplicated = facts[facts.duplicated(list(KEY_COLUMNS), keep="first")]
    for _, row in duplicated.drop_duplicates(list(KEY_COLUMNS)).iterrows():
        problems.append(
            FetchProblem(
                str(row["indicator_id"]),
                str(row["region_code"]),
                int(row["year"]),
                f"sama solu ({row['sex']}, {row['age_group']}) kahdesti; "
                "jokaisella solulla saa olla yksi arvo",
            )
        )
    return problems


def derive_counts(
    facts: pd.DataFrame, catalogue: Catalogue, division: Division, *, reference: pd.DataFrame
) -> pd.DataFrame:
    """Fill denominators (and numerators from published rates) where the catalogue says so."""
    out = facts.copy()
    keys = ["region_code", "year", "sex", "age_group"]
    for indicator_id in out["indicator_id"].unique():
        item = catalogue.indicators[str(indicator_id)]
        dependency = item.derive_numerator_from or item.denominator_from
        if dependency is None:
            continue
        base = out[out["indicator_id"] == dependency]
        if base.empty:
            base = reference[reference["indicator_id"] == dependency]
        if base.empty:
            continue
        # The population exists per municipality; sum it up so that every level has a denominator.
        if catalogue.indicators[dependency].aggregable:
            base = aggregate_up(base.loc[:, list(FACT_COLUMNS)], division)
        lookup = base.drop_duplicates(keys).set_index(keys)["numerator"]
        rows = out["indicator_id"] == indicator_id
        index = pd.MultiIndex.from_frame(out.loc[rows, keys])
        denominators = lookup.reindex(index).to_numpy(dtype=float)
        current = out.loc[rows, "denominator"].to_numpy(dtype=float)
        out.loc[rows, "denominator"] = np.where(np.isnan(current), denominators, current)
        if item.derive_numerator_from is not None and item.unit.scale:
            numerator = out.loc[rows, "numerator"].to_numpy(dtype=float)
            value = out.loc[rows, "value"].to_numpy(dtype=float)
            derived = value * out.loc[rows, "denominator"].to_numpy(dtype=float) / item.unit.scale
            fill = np.isnan(numerator) & ~np.isnan(derived)
            out.loc[rows, "numerator"] = np.where(fill, derived, numerator)
            if "derived" not in out.columns:
                out["derived"] = False
            flags = out.loc[rows, "derived"].fillna(False).to_numpy(dtype=bool)
            out.loc[rows, "derived"] = flags | fill
            notes = out.loc[rows, "note"].to_numpy(dtype=object)
            out.loc[rows, "note"] = np.where(fill, DERIVED_NOTE, notes)
    return out


def previous_facts(settings: Settings, catalogue: Catalogue, division: Division) -> pd.DataFrame:
    """The facts the live cube was built from (not its computed rows); empty without a cube."""
    path = settings.cube_path
    if not path.exists():
        return empty_facts()
    from raketieto.cube.store import open_cube

    try:
        connection = open_cube(settings)
        try:
            present = {
                str(r[1]) for r in connection.execute("PRAGMA table_info('facts')").fetchall()
            }
            # A cube of schema 1 has no derived column; its facts are taken as not derived.
            columns = [*FACT_COLUMNS, *(c for c in OPTIONAL_FACT_COLUMNS if c in present)]
            frame = connection.execute(
                f"SELECT {', '.join(columns)} FROM facts WHERE NOT aggregated"
            ).df()
        finally:
            connection.close()
    except duckdb.Error as error:
        raise DataError(
            f"Edellistä kuutiota {path} ei voitu lukea ({type(error).__name__}: {error}); "
            "sen faktoja ei voi siirtää uuteen kuutioon."
        ) from None
    frame["retrieved_at"] = pd.to_datetime(frame["retrieved_at"]).dt.tz_localize("UTC")
    known = frame["indicator_id"].isin(list(catalogue.indicators)) & frame["region_code"].isin(
        list(division.regions)
    )
    return frame[known].reset_index(drop=True)


def carry_over(previous: pd.DataFrame, fresh: pd.DataFrame) -> pd.DataFrame:
    """Previous facts of every (indicator, year, sex, age group) the refresh did not fetch anew.

    Regions are left out of the key on purpose: a region the source no longer publishes for a
    renewed year must not linger from the old cube.
    """
    if previous.empty:
        return previous
    keys = ["indicator_id", "year", "sex", "age_group"]
    renewed = pd.MultiIndex.from_frame(fresh[keys].drop_duplicates())
    mask = pd.MultiIndex.from_frame(previous[keys]).isin(renewed)
    return previous[~mask].reset_index(drop=True)
