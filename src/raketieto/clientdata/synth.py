"""A synthetic national client-data extract, in the extract format, seeded and labelled synthetic.

Persons are drawn by municipality in proportion to the real 2024 population (mainland only), with
their sex and age group in the municipality's proportions. Each person has one or more client
episodes: a contact, often a service-need assessment with the support needs it found, a client
plan, service decisions, social assistance, and the end of the client relationship, after which
some return. Delays, need rates, assistance and returns vary by wellbeing services county. Every
step is vectorised over persons or episodes; nothing loops per event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from raketieto.clientdata import schema
from raketieto.clientdata.population import population_2024
from raketieto.errors import RaketietoError
from raketieto.regions import Division, Level, load_division

GENERATOR = "raketieto.clientdata.synth"
_EPOCH = dt.date(1970, 1, 1)
_MAX_EPISODES = 6

_TASKS = list(schema.SERVICE_TASKS)
_NOTIFIERS = list(schema.NOTIFIERS)
_NEEDS = list(schema.SUPPORT_NEEDS)
_SERVICES = list(schema.SERVICE_TYPES)
_EVENTS = list(schema.EVENT_TYPES)

# Rows: age group 0-14, 15-64, 65+; columns: _TASKS.
_TASK_BY_AGE = np.array(
    [
        [0.00, 0.43, 0.42, 0.10, 0.00, 0.00, 0.05],
        [0.00, 0.12, 0.03, 0.05, 0.15, 0.55, 0.10],
        [0.85, 0.00, 0.00, 0.00, 0.03, 0.05, 0.07],
    ]
)
# Rows: _TASKS; columns: _NOTIFIERS.
_NOTIFIER_BY_TASK = np.array(
    [
        [0.30, 0.30, 0.25, 0.00, 0.03, 0.04, 0.00, 0.01, 0.00, 0.04, 0.01, 0.02],
        [0.45, 0.10, 0.15, 0.15, 0.02, 0.01, 0.01, 0.02, 0.00, 0.06, 0.01, 0.02],
        [0.08, 0.08, 0.15, 0.25, 0.20, 0.04, 0.00, 0.00, 0.01, 0.12, 0.04, 0.03],
        [0.60, 0.15, 0.02, 0.03, 0.02, 0.00, 0.00, 0.00, 0.00, 0.12, 0.04, 0.02],
        [0.35, 0.15, 0.20, 0.00, 0.10, 0.04, 0.03, 0.02, 0.04, 0.05, 0.01, 0.01],
        [0.45, 0.05, 0.12, 0.02, 0.04, 0.01, 0.12, 0.10, 0.02, 0.05, 0.01, 0.01],
        [0.35, 0.25, 0.25, 0.05, 0.00, 0.00, 0.02, 0.03, 0.00, 0.03, 0.01, 0.01],
    ]
)
# Rows: _TASKS; columns: _NEEDS (the order of SHL 11 § in schema.SUPPORT_NEEDS).
_NEED_BY_TASK = np.array(
    [
        [0.45, 0.08, 0.10, 0.15, 0.03, 0.03, 0.00, 0.04, 0.01, 0.10, 0.04, 0.70, 0.20],
        [0.30, 0.06, 0.25, 0.08, 0.06, 0.08, 0.55, 0.05, 0.01, 0.12, 0.08, 0.05, 0.05],
        [0.20, 0.08, 0.15, 0.10, 0.15, 0.15, 0.80, 0.12, 0.03, 0.25, 0.15, 0.03, 0.05],
        [0.05, 0.03, 0.08, 0.03, 0.08, 0.12, 0.50, 0.03, 0.01, 0.06, 0.10, 0.01, 0.02],
        [0.35, 0.30, 0.40, 0.35, 0.08, 0.10, 0.03, 0.90, 0.10, 0.45, 0.15, 0.10, 0.03],
        [0.30, 0.20, 0.55, 0.30, 0.05, 0.08, 0.03, 0.12, 0.04, 0.25, 0.12, 0.08, 0.03],
        [0.55, 0.10, 0.10, 0.20, 0.03, 0.03, 0.05, 0.03, 0.01, 0.15, 0.05, 0.80, 0.20],
    ]
)
_SERVICE_BY_TASK: dict[str, dict[str, float]] = {
    "older_people": {
        "home_care": 5, "home_services": 2, "assisted_housing": 1, "round_the_clock_care": 1.5,
        "mobility_support": 1, "social_work": 1, "other": 0.5,
    },
    "families_with_children": {
        "family_work": 4, "home_services": 2, "social_guidance": 2, "family_counselling": 2,
        "social_work": 1, "other": 0.5,
    },
    "child_welfare": {
        "child_welfare_support": 5, "family_work": 2, "family_care": 1, "social_work": 2,
        "institutional_care": 0.5, "other": 0.5,
    },
    "family_law": {"supervised_meetings": 3, "family_counselling": 2, "social_work": 1},
    "substance_abuse": {
        "substance_abuse_work": 5, "supported_housing": 2, "social_rehabilitation": 2,
        "mental_health_work": 1, "institutional_care": 1, "social_work": 1,
    },
    "working_age": {
        "social_work": 4, "social_guidance": 3, "social_rehabilitation": 2,
        "supported_housing": 1, "mental_health_work": 1, "other": 0.5,
    },
    "disability": {
        "mobility_support": 3, "assisted_housing": 2, "home_services": 1, "social_work": 1,
        "round_the_clock_care": 1, "other": 0.5,
    },
}  # fmt: skip
# Share of episodes with a social assistance decision, by _TASKS.
_ASSISTANCE_BY_TASK = np.array([0.05, 0.25, 0.15, 0.05, 0.45, 0.50, 0.08])
_AGE_PROPENSITY = np.array([1.2, 1.0, 1.4])
# Compact types of the per-event attributes (-1 = not filled on this event type).
_EXTRA_TYPES = {
    "notifier": np.int8,
    "pending": np.int32,
    "needs": np.int16,
    "service": np.int8,
    "assistance": np.int8,
}


@dataclass(frozen=True)
class _Setting:
    """Everything about the country the episodes need, as arrays by municipality index."""

    municipalities: np.ndarray  # 3-digit codes
    delay: np.ndarray  # multiplier of assessment delays
    need: np.ndarray  # municipalities × needs multiplier of need rates
    assistance: np.ndarray
    preventive: np.ndarray  # share of social assistance that is preventive
    returning: np.ndarray  # probability of returning after the relationship ended
    first_day: int
    last_day: int


def generate_extract(
    events: int,
    *,
    seed: int = 0,
    first_year: int = 2022,
    last_year: int = 2024,
    division: Division | None = None,
) -> pa.Table:
    """Exactly `events` synthetic events in the extract format (docs/clientdata.md)."""
    if events < 1:
        raise RaketietoError(
            f"Tapahtumien määrä {events} ei kelpaa; odotettiin positiivista lukua."
        )
    if not 2000 <= first_year <= last_year:
        raise RaketietoError(
            f"Vuodet {first_year}–{last_year} eivät kelpaa; "
            "odotettiin 2000 ≤ alkuvuosi ≤ loppuvuosi."
        )
    division = division or load_division()
    rng = np.random.default_rng(seed)
    population = population_2024(division)
    setting = _setting(rng, population, division, first_year, last_year)
    batches: list[dict[str, np.ndarray]] = []
    total = 0
    next_person = 0
    per_person = 4.0  # first guess; corrected by what each batch produced
    while total < events:
        persons = int((events - total) / per_person * 1.05) + 50
        batch = _batch(rng, population, setting, persons, next_person, last_year)
        produced = len(batch["person"])
        per_person = max(produced / persons, 0.5)
        batches.append(batch)
        total += produced
        next_person += persons
    columns = {k: np.concatenate([b[k] for b in batches]) for k in batches[0]}
    order = np.argsort(columns["order"], kind="stable")[:events]
    chosen = {k: v[order] for k, v in columns.items()}
    return _to_arrow(chosen, setting)


def write_extract(table: pa.Table, out: Path, *, seed: int | None = None) -> Path:
    """Write table to out (.parquet with synthetic metadata, or .csv) and return out."""
    suffix = out.suffix.lower()
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".parquet":
        metadata = {
            schema.SYNTHETIC_METADATA_KEY: "true",
            "raketieto.generator": GENERATOR,
            "raketieto.seed": "" if seed is None else str(seed),
            "raketieto.note": "Synteettinen aineisto – ei todellisia henkilöitä.",
        }
        existing = table.schema.metadata or {}
        pq.write_table(
            table.replace_schema_metadata({**existing, **metadata}), out, compression="zstd"
        )
    elif suffix == ".csv":
        plain = table.cast(
            pa.schema(
                [
                    pa.field(
                        f.name, f.type.value_type if pa.types.is_dictionary(f.type) else f.type
                    )
                    for f in table.schema
                ]
            )
        )
        pacsv.write_csv(plain, out)
    else:
        raise RaketietoError(
            f"Tiedostotyyppiä '{suffix}' ei tueta; odotettiin .parquet tai .csv ({out.name})."
        )
    return out


def _day(year: int, month: int, day: int) -> int:
    return (dt.date(year, month, day) - _EPOCH).days


def _setting(
    rng: np.random.Generator,
    population: pd.DataFrame,
    division: Division,
    first_year: int,
    last_year: int,
) -> _Setting:
    codes = population["municipality"].to_numpy()
    counties = division.municipality_parent_map(Level.COUNTY)
    county_of = np.array([counties["KU" + c] for c in codes])
    county_names, county_idx = np.unique(county_of, return_inverse=True)
    n_counties = len(county_names)

    def by_county(sigma: float, *shape: int) -> np.ndarray:
        factor = rng.lognormal(0.0, sigma, size=(n_counties, *shape))
        jitter = rng.lognormal(0.0, sigma / 3, size=(len(codes), *shape))
        result: np.ndarray = factor[county_idx] * jitter
        return result

    return _Setting(
        municipalities=codes,
        delay=by_county(0.35),
        need=by_county(0.25, len(_NEEDS)),
        assistance=by_county(0.25),
        preventive=np.clip(0.35 * by_county(0.3), 0.05, 0.9),
        returning=np.clip(0.3 * by_county(0.3), 0.05, 0.8),
        first_day=_day(first_year, 1, 1),
        last_day=_day(last_year, 12, 31),
    )


def _pick(rng: np.random.Generator, table: np.ndarray, category: np.ndarray) -> np.ndarray:
    """For each element of category, one column of table drawn with that row's weights."""
    cumulative = np.cumsum(table, axis=1)
    cumulative /= cumulative[:, -1:]
    u = rng.random(len(category))
    picked = np.empty(len(category), dtype=np.int8)
    for value in np.unique(category):
        rows = category == value
        picked[rows] = np.searchsorted(cumulative[value], u[rows], side="right")
    result: np.ndarray = np.minimum(picked, table.shape[1] - 1)
    return result


def _gamma_days(
    rng: np.random.Generator, shape: float, scale: np.ndarray | float, n: int
) -> np.ndarray:
    days: np.ndarray = np.round(rng.gamma(shape, scale, size=n)).astype(np.int64)
    return days


def _batch(
    rng: np.random.Generator,
    population: pd.DataFrame,
    setting: _Setting,
    persons: int,
    first_person: int,
    reference_year: int,
) -> dict[str, np.ndarray]:
    ages = population[["age_0_14", "age_15_64", "age_65_plus"]].to_numpy(dtype=float)
    weights = (ages * _AGE_PROPENSITY).ravel()
    cell = np.searchsorted(np.cumsum(weights) / weights.sum(), rng.random(persons), side="right")
    cell = np.minimum(cell, len(weights) - 1)
    muni, band = np.divmod(cell, 3)
    male_share = (population["males"] / population["population"]).to_numpy()
    sex = np.where(rng.random(persons) < male_share[muni], 1, 2).astype(np.int8)
    age = np.select(
        [band == 0, band == 1],
        [rng.integers(0, 15, persons), rng.integers(15, 65, persons)],
        65 + np.minimum(rng.exponential(9.0, persons).astype(np.int64), 35),
    )
    birth_year = (reference_year - age).astype(np.int16)
    birth_day = np.array(
        [(dt.date(int(y), 1, 1) - _EPOCH).days for y in range(1890, reference_year + 1)]
    )[birth_year - 1890]
    low = np.maximum(setting.first_day, birth_day)
    contact = low + (rng.random(persons) * (setting.last_day - low + 1)).astype(np.int64)

    parts: list[dict[str, np.ndarray]] = []
    who = np.arange(persons)
    for episode in range(_MAX_EPISODES):
        part, ends = _episode(rng, setting, muni[who], band[who], contact)
        person = who[part.pop("source")] + first_person
        part["person"] = person
        # Sorting on this keeps each person's episodes together and in order, so cutting the
        # file at exactly N events drops whole persons (and at most one partial episode).
        part["order"] = (person * _MAX_EPISODES + episode) * 16 + part.pop("rank")
        parts.append(part)
        back = (ends >= 0) & (rng.random(len(who)) < setting.returning[muni[who]])
        gap = 1 + _gamma_days(rng, 1.1, 160.0, len(who))
        next_contact = ends + gap
        keep = back & (next_contact <= setting.last_day)
        if not keep.any():
            break
        who, contact = who[keep], next_contact[keep]
    events = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    events["sex"] = sex[events["person"] - first_person]
    events["birth_year"] = birth_year[events["person"] - first_person]
    events["municipality"] = muni[events["person"] - first_person]
    return events


def _episode(
    rng: np.random.Generator,
    setting: _Setting,
    muni: np.ndarray,
    band: np.ndarray,
    contact: np.ndarray,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """One episode per row of muni; its events ('source' = row) and each one's end day or -1."""
    n = len(muni)
    task = _pick(rng, _TASK_BY_AGE, band)
    notifier = _pick(rng, _NOTIFIER_BY_TASK, task)
    delay = setting.delay[muni]
    started = rng.random(n) < 0.82
    start = contact + _gamma_days(rng, 1.3, 6.0 * delay, n)
    finished = started & (rng.random(n) < 0.95)
    end = start + _gamma_days(rng, 2.0, 24.0 * delay, n)
    need_p = np.clip(
        _NEED_BY_TASK.astype(np.float32)[task] * setting.need[muni].astype(np.float32), 0.0, 0.97
    )
    found = rng.random((n, len(_NEEDS)), dtype=np.float32) < need_p
    del need_p
    substance, mental = _NEEDS.index("substance_use"), _NEEDS.index("mental_health")
    # Substance use and mental health problems go together more often than by chance.
    found[:, mental] |= found[:, substance] & (rng.random(n) < 0.35)
    need_mask = (found * (1 << np.arange(len(_NEEDS), dtype=np.int16))).sum(axis=1, dtype=np.int16)
    del found
    planned = finished & (rng.random(n) < 0.6)
    plan = end + _gamma_days(rng, 1.5, 10.0, n)
    decisions = np.where(finished, np.minimum(rng.poisson(0.9, n), 3), 0)
    assisted = rng.random(n) < np.clip(
        _ASSISTANCE_BY_TASK[task] * setting.assistance[muni], 0, 0.95
    )
    assistance_day = contact + _gamma_days(rng, 1.5, 20.0, n)
    preventive = rng.random(n) < setting.preventive[muni]

    rows: list[dict[str, np.ndarray]] = []
    last_seen = contact.copy()

    def add(kind: str, mask: np.ndarray, day: np.ndarray, rank: int, **extra: np.ndarray) -> None:
        present = mask & (day <= setting.last_day)
        np.maximum(last_seen, np.where(present, day, last_seen), out=last_seen)
        index = np.flatnonzero(present)
        row: dict[str, np.ndarray] = {
            "source": index,
            "day": day[index].astype(np.int32),
            "event": np.full(len(index), _EVENTS.index(kind), dtype=np.int8),
            "task": task[index],
            "rank": np.full(len(index), rank, dtype=np.int8),
        }
        for name, dtype in _EXTRA_TYPES.items():
            values = extra.get(name)
            row[name] = (
                np.full(len(index), -1, dtype=dtype)
                if values is None
                else values[index].astype(dtype)
            )
        rows.append(row)

    everyone = np.ones(n, dtype=bool)
    add("contact", everyone, contact, 0, notifier=notifier)
    add("assessment_start", started, start, 1, pending=contact)
    add(
        "assessment_end",
        finished & (start <= setting.last_day),
        end,
        2,
        pending=contact,
        needs=need_mask,
    )
    add(
        "social_assistance_decision",
        assisted,
        assistance_day,
        3,
        assistance=preventive.astype(np.int64),
    )
    add("client_plan", planned, plan, 4)
    services = np.array(list(_SERVICE_BY_TASK.values()), dtype=object)
    service_weights = np.zeros((len(_TASKS), len(_SERVICES)))
    for t, weights in enumerate(services):
        for name, weight in weights.items():
            service_weights[t, _SERVICES.index(name)] = weight
    for k in range(3):
        day = end + 7 + _gamma_days(rng, 2.0, 15.0, n) + 30 * k
        add(
            "service_decision", decisions > k, day, 5 + k, service=_pick(rng, service_weights, task)
        )
    closed = rng.random(n) < 0.72
    closing = last_seen + 14 + _gamma_days(rng, 2.0, 45.0, n)
    add("relationship_end", closed, closing, 9)
    ended_day = np.where(closed & (closing <= setting.last_day), closing, -1)
    episode = {k: np.concatenate([r[k] for r in rows]) for k in rows[0]}
    return episode, ended_day


def _strings(codes: np.ndarray, names: list[str]) -> pa.Array:
    indices = pa.array(codes.astype(np.int32), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(indices, pa.array(names, pa.string()))


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype(np.int32), mask=days < 0).cast(pa.date32())


def _to_arrow(events: dict[str, np.ndarray], setting: _Setting) -> pa.Table:
    persons, person_index = np.unique(events["person"], return_inverse=True)
    # An opaque but reproducible pseudonym: a bijection of the person number on 0..10⁹-1.
    person_number = (persons.astype(np.int64) * 387_420_489 + 1_234_567) % 1_000_000_000
    digits = pc.utf8_lpad(pa.array(person_number).cast(pa.string()), 9, "0")
    keys = pc.binary_join_element_wise("S", digits, "")
    person_key = pa.DictionaryArray.from_arrays(pa.array(person_index.astype(np.int32)), keys)
    masks = np.unique(events["needs"][events["needs"] >= 0])
    labels = [
        schema.NEEDS_SEPARATOR.join(n for bit, n in enumerate(_NEEDS) if mask >> bit & 1)
        for mask in masks
    ]
    need_index = np.where(events["needs"] >= 0, np.searchsorted(masks, events["needs"]), -1)
    needs = _strings(need_index, labels)
    # An assessment that found nothing has an empty string, not a missing value.
    needs = pc.if_else(
        pc.and_(pc.is_null(needs), pa.array(events["needs"] >= 0)), "", needs.cast(pa.string())
    )
    table = pa.table(
        {
            "person_key": person_key,
            "birth_year": pa.array(events["birth_year"].astype(np.int32)),
            "sex": pa.array(events["sex"].astype(np.int32)),
            "municipality": _strings(events["municipality"], list(setting.municipalities)),
            "event_date": _dates(events["day"]),
            "event_type": _strings(events["event"], _EVENTS),
            "service_task": _strings(events["task"], _TASKS),
            "notifier": _strings(events["notifier"], _NOTIFIERS),
            "pending_date": _dates(events["pending"]),
            "support_needs": needs,
            "service_type": _strings(events["service"], _SERVICES),
            "assistance_type": _strings(events["assistance"], list(schema.ASSISTANCE_TYPES)),
            "synthetic": pa.array(np.ones(len(events["day"]), dtype=bool)),
        }
    )
    return table
