"""The contract every open-data source fulfils, and the shape of the facts it hands back."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import pandas as pd

from raketieto.cube.schema import FACT_COLUMNS, KEY_COLUMNS
from raketieto.errors import year_ranges

if TYPE_CHECKING:
    from raketieto.settings import Settings
    from raketieto.sources.cache import ResponseCache
    from raketieto.sources.http import HttpClient


class CatalogueView(Protocol):
    """What a source needs of the catalogue: its indicators by id."""

    @property
    def indicators(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class SourceDescription:
    """Who publishes a source, under which licence, and how to credit it."""

    name: str
    organisation: str
    licence: str
    attribution: str
    url: str


@dataclass(frozen=True)
class FetchProblem:
    """One thing that did not arrive or did not validate: which indicator, region, year and why."""

    indicator_id: str | None
    region: str | None
    year: int | None
    reason: str
    #: Several years at once (a failed request for a batch of years); year is then None.
    years: tuple[int, ...] = ()

    def describe(self, indicator_ids: Sequence[str] = ()) -> str:
        """One line naming where the problem is and what it is (for several indicators if given)."""
        where = []
        if len(indicator_ids) > 1:
            where.append(f"indikaattorit {', '.join(indicator_ids)}")
        elif self.indicator_id is not None:
            where.append(f"indikaattori {self.indicator_id}")
        if self.region is not None:
            where.append(f"alue {self.region}")
        if self.year is not None:
            where.append(f"vuosi {self.year}")
        elif self.years:
            where.append(f"vuodet {year_ranges(self.years)}")
        prefix = ", ".join(where) if where else "lähde"
        return f"{prefix}: {self.reason}"


@dataclass
class FetchResult:
    """Facts in the cube's fact columns, and the problems met on the way."""

    facts: pd.DataFrame
    problems: list[FetchProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing went wrong."""
        return not self.problems

    @classmethod
    def combine(cls, results: Iterable[FetchResult]) -> FetchResult:
        """One result holding the facts and problems of several."""
        parts = list(results)
        frames = [r.facts for r in parts if not r.facts.empty]
        facts = pd.concat(frames, ignore_index=True) if frames else empty_facts()
        return cls(facts, [p for r in parts for p in r.problems])


@dataclass(frozen=True)
class ProgressEvent:
    """How far a source has come: done of total steps, and what it is doing now."""

    source: str
    done: int
    total: int
    label: str


Progress = Callable[[ProgressEvent], None]


class Source(ABC):
    """An open-data source: describes itself, says what it offers, fetches facts."""

    name: ClassVar[str]
    #: The publisher's own floor on seconds between two requests, if it states one. The refresh
    #: waits the longer of this and 1 / Settings.fetch_requests_per_second (see request_interval).
    min_interval: ClassVar[float] = 0.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Source:
        """The source configured for these settings; most sources need none."""
        del settings
        return cls()

    @abstractmethod
    def describe(self) -> SourceDescription:
        """Publisher, licence and attribution of this source."""

    @abstractmethod
    def offers(self, catalogue: CatalogueView) -> list[str]:
        """The ids of the catalogue's indicators this source can fetch."""

    @abstractmethod
    def fetch(
        self,
        indicators: Sequence[Any],
        years: Sequence[int] | None,
        *,
        client: HttpClient,
        cache: ResponseCache | None,
        progress: Progress | None = None,
    ) -> FetchResult:
        """Fetch facts for the given catalogue indicators and years (None: every year offered)."""


_TEXT_COLUMNS = (
    "indicator_id",
    "region_code",
    "sex",
    "age_group",
    "suppression_reason",
    "source",
    "source_version",
    "note",
)


def grouped_lines(problems: Sequence[FetchProblem]) -> list[str]:
    """One line per distinct problem; indicators that failed the same way share a line."""
    groups: dict[tuple[object, ...], list[FetchProblem]] = {}
    for problem in problems:
        key = (problem.region, problem.year, problem.years, problem.reason)
        groups.setdefault(key, []).append(problem)
    lines = []
    for members in groups.values():
        ids = [p.indicator_id for p in members if p.indicator_id is not None]
        lines.append(members[0].describe(list(dict.fromkeys(ids))))
    return lines


def empty_facts() -> pd.DataFrame:
    """A fact table with the cube's columns and no rows."""
    return facts_frame([])


def facts_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows (dicts with the fact columns) as a fact table with the cube's dtypes."""
    frame = pd.DataFrame(list(rows), columns=list(FACT_COLUMNS))
    for column in _TEXT_COLUMNS:
        text = frame[column].astype(object)
        frame[column] = text.where(text.notna(), None)
    for column in ("numerator", "denominator", "value"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    frame["year"] = pd.to_numeric(frame["year"]).astype("int64")
    for column in ("suppressed", "synthetic"):
        frame[column] = frame[column].fillna(False).astype(bool)
    frame["retrieved_at"] = pd.to_datetime(frame["retrieved_at"], utc=True)
    return frame


def fact(
    *,
    indicator_id: str,
    region_code: str,
    year: int,
    source: str,
    retrieved_at: dt.datetime,
    value: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
    sex: str = "total",
    age_group: str = "total",
    suppressed: bool = False,
    suppression_reason: str | None = None,
    source_version: str | None = None,
    synthetic: bool = False,
    note: str | None = None,
) -> dict[str, Any]:
    """One fact row with every column named, so that no source forgets one."""
    return {
        "indicator_id": indicator_id,
        "region_code": region_code,
        "year": year,
        "sex": sex,
        "age_group": age_group,
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "suppressed": suppressed,
        "suppression_reason": suppression_reason,
        "source": source,
        "source_version": source_version,
        "retrieved_at": retrieved_at,
        "synthetic": synthetic,
        "note": note,
    }


def duplicate_keys(facts: pd.DataFrame) -> pd.DataFrame:
    """The rows whose key (indicator, region, year, sex, age group) occurs more than once."""
    return facts[facts.duplicated(list(KEY_COLUMNS), keep=False)]
