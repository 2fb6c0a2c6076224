"""Tidy values: one row per area × indicator × year × sex × age group, for the API and exports.

"One number, one definition": the API's values, every export file and every view's download
come through here. `select_values` answers a filter over the cube; `situation_table`,
`glance_table` and `view_table` flatten exactly the dataclasses the pages render, so a page,
its JSON, its Excel and its CSV cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import duckdb
import pandas as pd

from raketieto import ATTRIBUTION
from raketieto.catalogue import Catalogue
from raketieto.catalogue.models import Indicator
from raketieto.cube.query import CubeReader
from raketieto.cube.schema import SEXES
from raketieto.errors import InvalidValueError, NotFoundError
from raketieto.numbers import optional_float
from raketieto.regions import Division, Level, Region
from raketieto.regions.division import COUNTRY_CODE
from raketieto.reports.cells import Cell
from raketieto.reports.overview import OverviewGrid, overview_grid
from raketieto.reports.phenomenon import PhenomenonGlance, check_indicator_in, phenomenon_glance
from raketieto.reports.phenomenon_view import PhenomenonView, phenomenon_view
from raketieto.reports.ranking import Ranking
from raketieto.reports.series import AreaSeries
from raketieto.reports.situation import SituationalPicture, situational_picture

LANGS = ("fi", "sv", "en")
AGE_GROUP = re.compile(r"^(total|\d{1,3}-\d{1,3}|\d{1,3}\+)$")
#: Sex and age group value that means "every category" in a query.
ALL = "all"
MAX_LIMIT = 10_000


@dataclass(frozen=True)
class TidyRow:
    """One fact as every renderer shows it; a suppressed cell carries no numbers at all."""

    area_code: str
    area_name: str
    level: str
    indicator_id: str
    indicator_label: str
    unit: str
    year: int
    sex: str
    age_group: str
    value: float | None
    ci_lower: float | None
    ci_upper: float | None
    numerator: float | None
    denominator: float | None
    suppressed: bool
    suppression_reason: str | None
    comparison: str
    source: str
    source_version: str | None
    retrieved_at: dt.datetime | None
    synthetic: bool
    note: str | None


#: The tidy columns in order; their names are the stable identifiers of the API and CSV.
COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(TidyRow))
#: Columns holding numbers (stored as numbers in Excel, never as text).
NUMBER_COLUMNS: frozenset[str] = frozenset(
    {"value", "ci_lower", "ci_upper", "numerator", "denominator"}
)


@dataclass(frozen=True)
class DefinitionRow:
    """One indicator's definition, unit, source and licence, for the definitions sheet."""

    indicator_id: str
    label: str
    definition: str
    numerator: str
    denominator: str | None
    unit: str
    unit_symbol: str
    decimals: int
    polarity: str
    organisation: str
    licence: str
    attribution: str
    url: str | None
    source_versions: str
    updated: dt.datetime | None
    caveats: str | None


@dataclass(frozen=True)
class RegionRow:
    """One area on the division used, for the regions sheet."""

    code: str
    level: str
    name: str
    name_fi: str
    name_sv: str
    name_en: str
    parent_code: str | None


@dataclass(frozen=True)
class TidyTable:
    """Tidy rows with what a file needs around them: definitions, regions and provenance."""

    title: str
    lang: str
    rows: list[TidyRow]
    definitions: list[DefinitionRow]
    regions: list[RegionRow]
    division_year: int
    built_at: str
    extracted_at: dt.datetime
    total: int
    offset: int = 0
    limit: int | None = None
    attribution: str = field(default=ATTRIBUTION)

    @property
    def has_synthetic(self) -> bool:
        """True when any row is synthetic and every renderer must say so."""
        return any(r.synthetic for r in self.rows)


@dataclass(frozen=True)
class ValueQuery:
    """A filter over the cube; empty tuples and None mean 'any'."""

    indicators: tuple[str, ...] = ()
    phenomenon: str | None = None
    areas: tuple[str, ...] = ()
    level: str | None = None
    parent: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    latest: bool = False
    sex: str = "total"
    age_group: str = "total"
    limit: int | None = None
    offset: int = 0
    lang: str = "fi"


def check_lang(lang: str) -> str:
    """The language code, or NotFoundError naming the bad one."""
    if lang not in LANGS:
        raise NotFoundError("kieli", lang, LANGS)
    return lang


def parse_level(value: str) -> Level:
    """A Level from its identifier, or NotFoundError listing the levels."""
    try:
        return Level(value)
    except ValueError:
        raise NotFoundError("aluetaso", value, [level.value for level in Level]) from None


@dataclass(frozen=True)
class CheckedQuery:
    """A ValueQuery checked against the catalogue and the division, in the cube's terms."""

    lang: str
    indicators: list[Indicator]
    regions: list[Region] | None
    years: list[int] | None
    sex: str | None
    age_group: str | None
    latest: bool
    offset: int
    limit: int | None

    @property
    def title(self) -> str:
        """The title of a file of these values."""
        return _title(self.indicators, self.lang)

    def shown_sql(self, reader: CubeReader) -> tuple[str, list[object]]:
        """The cube's SELECT of the matching facts (order by cube.query.SHOWN_ORDER)."""
        return reader.shown_sql(
            indicator_ids=[i.id for i in self.indicators],
            region_codes=None if self.regions is None else [r.code for r in self.regions],
            years=self.years,
            sex=self.sex,
            age_group=self.age_group,
            latest=self.latest,
        )


def check_query(catalogue: Catalogue, division: Division, query: ValueQuery) -> CheckedQuery:
    """query checked: a RaketietoError (or NotFoundError) names the first bad value."""
    lang = check_lang(query.lang)
    indicators = _indicators(catalogue, query)
    regions = _regions(division, query)
    years = _years(query)
    sex = _sex(query.sex)
    age_group = _age_group(query.age_group)
    limit = _limit(query.limit)
    if query.offset < 0:
        raise InvalidValueError(
            "offset",
            str(query.offset),
            f"Virheellinen offset {query.offset}: odotettiin lukua 0 tai suurempi.",
        )
    return CheckedQuery(
        lang, indicators, regions, years, sex, age_group, query.latest, query.offset, limit
    )


def select_values(
    reader: CubeReader, catalogue: Catalogue, division: Division, query: ValueQuery
) -> TidyTable:
    """The facts matching query, as tidy rows in a stable order, with paging applied last."""
    checked = check_query(catalogue, division, query)
    indicators, regions, lang, limit = (
        checked.indicators,
        checked.regions,
        checked.lang,
        checked.limit,
    )
    # Filtered, counted, ordered and cut in the cube: only the asked page becomes rows.
    chosen, total = reader.shown_page(
        indicator_ids=[i.id for i in indicators],
        region_codes=None if regions is None else [r.code for r in regions],
        years=checked.years,
        sex=checked.sex,
        age_group=checked.age_group,
        latest=query.latest,
        offset=query.offset,
        limit=limit,
    )
    page = _to_rows(chosen, catalogue, division, lang)
    return _table(
        reader,
        catalogue,
        division,
        page,
        indicators=indicators,
        title=_title(indicators, lang),
        lang=lang,
        total=total,
        offset=query.offset,
        limit=limit,
    )


def knowledge_base(
    reader: CubeReader, catalogue: Catalogue, division: Division, region_code: str, lang: str = "fi"
) -> TidyTable:
    """An area's whole knowledge base: every indicator for the area, every area inside it and
    the country for comparison, every year, sex and age group (a county: its municipalities)."""
    region = division.get(region_code)
    inside = [
        r.code
        for level in Level
        if level.depth > region.level.depth
        for r in division.descendants(region.code, level)
    ]
    areas = tuple(dict.fromkeys((COUNTRY_CODE, region.code, *inside)))
    table = select_values(
        reader,
        catalogue,
        division,
        ValueQuery(areas=areas, sex=ALL, age_group=ALL, lang=lang),
    )
    return _replace_title(table, _knowledge_base_title(region, table.lang))


def _knowledge_base_title(region: Region, lang: str) -> str:
    return {
        "fi": f"Tietopohja: {region.name('fi')}",
        "sv": f"Kunskapsunderlag: {region.name('sv')}",
        "en": f"Knowledge base: {region.name('en')}",
    }[lang]


def _county(division: Division, county_code: str) -> Region:
    county = division.get(county_code)
    if county.level is not Level.COUNTY:
        counties = [r.code for r in division.at_level(Level.COUNTY)]
        raise NotFoundError("hyvinvointialue", county_code, counties)
    return county


def county_knowledge_base(
    reader: CubeReader, catalogue: Catalogue, division: Division, county_code: str, lang: str = "fi"
) -> TidyTable:
    """A wellbeing services county's knowledge base; any other code is a NotFoundError."""
    county = _county(division, county_code)
    return knowledge_base(reader, catalogue, division, county.code, lang)


# --- A whole knowledge base, column-wise ---------------------------------------------------


#: The order of the tidy rows, over the columns of ColumnarTable.sql (_depth: the level's).
COLUMNAR_ORDER = "indicator_id, _depth, area_code, year, sex, age_group"


def _shown_number(column: str) -> str:
    # excel_precision in SQL: the cube's own rounding rule (cube/build.py), NaN as missing, and
    # nothing at all of a suppressed cell.
    return (
        f"CASE WHEN f.suppressed OR isnan(f.{column}) THEN NULL "
        f"ELSE CAST(printf('%.15g', f.{column}) AS DOUBLE) END AS {column}"
    )


_COLUMNAR_SELECT = f"""
SELECT f.region_code AS area_code, r.name AS area_name, r.level AS level,
    f.indicator_id AS indicator_id, i.label AS indicator_label, i.unit AS unit,
    f.year AS year, f.sex AS sex, f.age_group AS age_group,
    {", ".join(_shown_number(c) for c in ("value", "ci_lower", "ci_upper"))},
    {", ".join(_shown_number(c) for c in ("numerator", "denominator"))},
    f.suppressed AS suppressed,
    CASE WHEN f.suppressed THEN f.suppression_reason END AS suppression_reason,
    CASE WHEN f.suppressed THEN 'not_compared' ELSE f.comparison END AS comparison,
    f.source AS source, NULLIF(f.source_version, '') AS source_version,
    f.retrieved_at AS retrieved_at, f.synthetic AS synthetic, NULLIF(f.note, '') AS note,
    r.depth AS _depth
FROM facts f
JOIN _tidy_indicators i ON i.id = f.indicator_id
JOIN _tidy_regions r ON r.code = f.region_code
WHERE ((f.value IS NOT NULL AND NOT isnan(f.value)) OR f.suppressed)
"""


class ColumnarTable:
    """A tidy table whose rows stay in the cube: `sql` yields the same rows as `TidyTable.rows`
    (same values, same order by COLUMNAR_ORDER), computed column-wise in DuckDB with labels
    joined from small label tables, so a renderer can stream them without a Python object per
    row. Open while its reader is open; use it as a context manager (it holds a cursor)."""

    def __init__(
        self,
        reader: CubeReader,
        catalogue: Catalogue,
        division: Division,
        indicators: Sequence[Indicator],
        regions: Sequence[Region],
        *,
        title: str,
        lang: str,
    ) -> None:
        self.title = title
        self.lang = lang
        self.division_year = division.year
        self.built_at = reader.meta().get("built_at", "")
        self.extracted_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.attribution = ATTRIBUTION
        # A cursor of its own keeps the label tables apart from the reader's other questions.
        self._cursor = reader.cursor()
        try:
            self._register(indicators, regions, lang)
            self.sql = _COLUMNAR_SELECT
            self.params: list[object] = []
            summary = self._summary()
            self.total, self.has_synthetic = summary[0]
            versions, updated, codes = summary[1:]
            self.definitions = _definition_rows(indicators, versions, updated, lang)
            self.regions = _region_rows(division, codes, lang)
        except BaseException:
            self._cursor.close()
            raise

    def _register(
        self, indicators: Sequence[Indicator], regions: Sequence[Region], lang: str
    ) -> None:
        self._cursor.register(
            "_tidy_indicators",
            pd.DataFrame(
                {
                    "id": [i.id for i in indicators],
                    "label": [i.label.get(lang) for i in indicators],
                    "unit": [i.unit.value for i in indicators],
                    "decimals": [i.decimals for i in indicators],
                }
            ),
        )
        self._cursor.register(
            "_tidy_regions",
            pd.DataFrame(
                {
                    "code": [r.code for r in regions],
                    "name": [r.name(lang) for r in regions],
                    "level": [r.level.value for r in regions],
                    "depth": [r.level.depth for r in regions],
                }
            ),
        )

    def _summary(
        self,
    ) -> tuple[tuple[int, bool], dict[str, set[str]], dict[str, dt.datetime], list[str]]:
        # One pass: per indicator its rows, synthetic ones, source versions and last retrieval.
        per_indicator = self.execute(
            "SELECT indicator_id, count(*), bool_or(synthetic), "
            "list(DISTINCT source_version) FILTER (WHERE source_version IS NOT NULL), "
            "max(retrieved_at), list(DISTINCT area_code) FROM tidy GROUP BY indicator_id"
        ).fetchall()
        total, synthetic = 0, False
        versions: dict[str, set[str]] = {}
        updated: dict[str, dt.datetime] = {}
        codes: set[str] = set()
        for indicator_id, count, any_synthetic, found, moment, areas in per_indicator:
            total += int(count)
            synthetic = synthetic or bool(any_synthetic)
            if found:
                versions[str(indicator_id)] = {str(v) for v in found}
            stamp = _timestamp(moment)
            if stamp is not None:
                updated[str(indicator_id)] = stamp
            codes.update(str(c) for c in areas)
        return (total, synthetic), versions, updated, sorted(codes)

    def execute(self, select: str, params: Sequence[object] = ()) -> duckdb.DuckDBPyConnection:
        """Run select over the table's rows, which it reads as `tidy`."""
        return self._cursor.execute(f"WITH tidy AS ({self.sql}) {select}", [*self.params, *params])

    def relation(self, select: str) -> duckdb.DuckDBPyRelation:
        """select over the rows (`tidy`) as a relation, to stream with to_arrow_reader."""
        return self._cursor.sql(f"WITH tidy AS ({self.sql}) {select}")

    def register(self, name: str, frame: pd.DataFrame) -> None:
        """A small table a renderer joins to the rows (e.g. the cell text of each label)."""
        self._cursor.register(name, frame)

    def distinct(self, *columns: str) -> dict[str, list[Any]]:
        """The distinct values of tidy columns, in one pass (None is left out)."""
        for column in columns:
            if column not in COLUMNS:
                raise ValueError(f"{column!r} is not a tidy column")
        if not columns:
            return {}
        found = self.execute(
            "SELECT " + ", ".join(f"list(DISTINCT {c})" for c in columns) + " FROM tidy"
        ).fetchall()[0]
        return {
            c: [v for v in (values or []) if v is not None]
            for c, values in zip(columns, found, strict=True)
        }

    def frames(self, batch_rows: int = 50_000) -> Iterable[pd.DataFrame]:
        """The rows in order as DataFrames of the tidy columns, batch_rows at a time."""
        reader = self.relation(
            f"SELECT {', '.join(COLUMNS)} FROM tidy ORDER BY {COLUMNAR_ORDER}"
        ).to_arrow_reader(batch_rows)
        for batch in reader:
            yield batch.to_pandas()

    def iter_rows(self, batch_rows: int = 50_000) -> Iterator[TidyRow]:
        """Every row in order as TidyRow, one batch in memory at a time (for the CSV)."""
        for frame in self.frames(batch_rows):
            for record in _records(frame):
                yield _frame_row(record)

    def rows(self, limit: int | None = None) -> list[TidyRow]:
        """The first limit rows (all by default) as TidyRow, as TidyTable.rows holds them."""
        cut = f" LIMIT {int(limit)}" if limit is not None else ""
        frame = self.execute(
            f"SELECT {', '.join(COLUMNS)} FROM tidy ORDER BY {COLUMNAR_ORDER}{cut}"
        ).df()
        return [_frame_row(record) for record in _records(frame)]

    def close(self) -> None:
        """Close the cursor (the reader stays open)."""
        self._cursor.close()

    def __enter__(self) -> ColumnarTable:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _frame_row(record: dict[str, Any]) -> TidyRow:
    return TidyRow(
        area_code=str(record["area_code"]),
        area_name=str(record["area_name"]),
        level=str(record["level"]),
        indicator_id=str(record["indicator_id"]),
        indicator_label=str(record["indicator_label"]),
        unit=str(record["unit"]),
        year=int(record["year"]),
        sex=str(record["sex"]),
        age_group=str(record["age_group"]),
        value=optional_float(record["value"]),
        ci_lower=optional_float(record["ci_lower"]),
        ci_upper=optional_float(record["ci_upper"]),
        numerator=optional_float(record["numerator"]),
        denominator=optional_float(record["denominator"]),
        suppressed=bool(record["suppressed"]),
        suppression_reason=record["suppression_reason"]
        if isinstance(record["suppression_reason"], str)
        else None,
        comparison=str(record["comparison"]),
        source=str(record["source"]),
        source_version=_text(record["source_version"]),
        retrieved_at=_timestamp(record["retrieved_at"]),
        synthetic=bool(record["synthetic"]),
        note=_text(record["note"]),
    )


def knowledge_base_columns(
    reader: CubeReader, catalogue: Catalogue, division: Division, region_code: str, lang: str = "fi"
) -> ColumnarTable:
    """knowledge_base's rows column-wise: the same rows, definitions, regions and title."""
    lang = check_lang(lang)
    region = division.get(region_code)
    inside = [
        r
        for level in Level
        if level.depth > region.level.depth
        for r in division.descendants(region.code, level)
    ]
    areas = {r.code: r for r in (division.get(COUNTRY_CODE), region, *inside)}
    return ColumnarTable(
        reader,
        catalogue,
        division,
        list(catalogue.indicators.values()),
        list(areas.values()),
        title=_knowledge_base_title(region, lang),
        lang=lang,
    )


def county_knowledge_base_columns(
    reader: CubeReader, catalogue: Catalogue, division: Division, county_code: str, lang: str = "fi"
) -> ColumnarTable:
    """county_knowledge_base column-wise; any code but a county's is a NotFoundError."""
    return knowledge_base_columns(
        reader, catalogue, division, _county(division, county_code).code, lang
    )


def rows_from_facts(
    facts: pd.DataFrame, catalogue: Catalogue, division: Division, lang: str
) -> list[TidyRow]:
    """Tidy rows from cube facts, ordered by indicator, level, area, year, sex and age group."""
    return _to_rows(_ordered(facts), catalogue, division, lang)


def _ordered(facts: pd.DataFrame) -> pd.DataFrame:
    if facts.empty:
        return facts
    depth = {level.value: level.depth for level in Level}
    return facts.assign(_depth=facts["level"].map(depth)).sort_values(
        ["indicator_id", "_depth", "region_code", "year", "sex", "age_group"], kind="stable"
    )


def _to_rows(
    ordered: pd.DataFrame, catalogue: Catalogue, division: Division, lang: str
) -> list[TidyRow]:
    if ordered.empty:
        return []
    indicators = {i: catalogue.indicator(i) for i in ordered["indicator_id"].unique()}
    regions = {c: division.get(c) for c in ordered["region_code"].unique()}
    # A cube holds a handful of retrieval times; convert each once, not once per row.
    moments: dict[object, dt.datetime | None] = {}
    rows = []
    for record in _records(ordered):
        stamp = record.get("retrieved_at")
        key = None if stamp is None or pd.isna(stamp) else stamp
        if key not in moments:
            moments[key] = _timestamp(key)
        record["retrieved_at"] = moments[key]
        rows.append(
            _row(record, indicators[record["indicator_id"]], regions[record["region_code"]], lang)
        )
    return rows


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts; column by column, ten times faster than DataFrame.to_dict."""
    names = [str(c) for c in frame.columns]
    columns = [frame[c].to_numpy(dtype=object).tolist() for c in frame.columns]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _row(record: dict[Any, Any], indicator: Indicator, region: Region, lang: str) -> TidyRow:
    suppressed = bool(record["suppressed"])
    reason = record.get("suppression_reason")
    # A suppressed cell must not leak its counts either; they would recover the hidden value.
    hidden = suppressed
    return TidyRow(
        area_code=region.code,
        area_name=region.name(lang),
        level=region.level.value,
        indicator_id=indicator.id,
        indicator_label=indicator.label.get(lang),
        unit=indicator.unit.value,
        year=int(record["year"]),
        sex=str(record["sex"]),
        age_group=str(record["age_group"]),
        value=None if hidden else excel_precision(record["value"]),
        ci_lower=None if hidden else excel_precision(record["ci_lower"]),
        ci_upper=None if hidden else excel_precision(record["ci_upper"]),
        numerator=None if hidden else excel_precision(record["numerator"]),
        denominator=None if hidden else excel_precision(record["denominator"]),
        suppressed=suppressed,
        suppression_reason=str(reason) if suppressed and isinstance(reason, str) else None,
        comparison="not_compared" if hidden else str(record["comparison"]),
        source=str(record["source"]),
        source_version=_text(record.get("source_version")),
        retrieved_at=_timestamp(record.get("retrieved_at")),
        synthetic=bool(record["synthetic"]),
        note=_text(record.get("note")),
    )


def excel_precision(value: object) -> float | None:
    """The number to 15 significant digits, all that Excel keeps; None for missing.

    Every renderer gets the same rounded number, so the page, the JSON, the CSV and the Excel
    file agree to the last digit (a 17th digit would be lost in Excel alone).
    """
    number = optional_float(value)
    return None if number is None else float(f"{number:.15g}")


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def _timestamp(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime) and value.tzinfo is dt.UTC:
        return value
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    if pd.isna(stamp):
        return None
    moment: dt.datetime = stamp.to_pydatetime()
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _indicators(catalogue: Catalogue, query: ValueQuery) -> list[Indicator]:
    if query.phenomenon is not None:
        phenomenon = catalogue.phenomenon(query.phenomenon)
        if query.indicators:
            return [check_indicator_in(catalogue, phenomenon.id, i) for i in query.indicators]
        members = catalogue.indicators_for(phenomenon.id).values()
        return list({i.id: i for group in members for i in group}.values())
    if query.indicators:
        return [catalogue.indicator(i) for i in dict.fromkeys(query.indicators)]
    return list(catalogue.indicators.values())


def _regions(division: Division, query: ValueQuery) -> list[Region] | None:
    chosen: dict[str, Region] = {}
    for code in query.areas:
        region = division.get(code)
        chosen[region.code] = region
    if query.level is not None or query.parent is not None:
        parent = division.get(query.parent) if query.parent is not None else None
        if query.level is not None:
            level = parse_level(query.level)
            top = parent or division.get(COUNTRY_CODE)
            if top.level.depth > level.depth:
                raise InvalidValueError(
                    "level",
                    level.value,
                    f"Alue '{top.code}' ({top.level.label()}) on alempana kuin taso "
                    f"'{level.value}'; valitse ylempi alue tai alempi taso.",
                )
            found = division.descendants(top.code, level)
        else:
            assert parent is not None
            found = division.children(parent.code)
        chosen.update({r.code: r for r in found})
    if not query.areas and query.level is None and query.parent is None:
        return None
    return list(chosen.values())


def _years(query: ValueQuery) -> list[int] | None:
    low, high = query.year_from, query.year_to
    if low is not None and high is not None and low > high:
        raise InvalidValueError(
            "year_from",
            str(low),
            f"Virheellinen vuosiväli {low}–{high}: alkuvuoden pitää olla enintään loppuvuosi.",
        )
    if low is None and high is None:
        return None
    # The cube holds years 1900–2100 at most; bounds beyond that change nothing.
    return list(range(max(low or 1900, 1900), min(high if high is not None else 2100, 2100) + 1))


def _sex(value: str) -> str | None:
    if value == ALL:
        return None
    if value not in SEXES:
        raise NotFoundError("sukupuoli", value, [*SEXES, ALL])
    return value


def _age_group(value: str) -> str | None:
    if value == ALL:
        return None
    if not AGE_GROUP.match(value):
        raise InvalidValueError(
            "age_group",
            value,
            f"Virheellinen ikäryhmä '{value}': odotettiin 'total', 'all', väliä kuten '15-64' "
            "tai avointa ryhmää kuten '65+'.",
        )
    return value


def _limit(limit: int | None) -> int | None:
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise InvalidValueError(
            "limit",
            str(limit),
            f"Virheellinen limit {limit}: odotettiin lukua väliltä 1–{MAX_LIMIT}.",
        )
    return limit


def _title(indicators: Sequence[Indicator], lang: str) -> str:
    if len(indicators) == 1:
        return indicators[0].label.get(lang)
    return {"fi": "Indikaattorien arvot", "sv": "Indikatorernas värden", "en": "Indicator values"}[
        lang
    ]


def _replace_title(table: TidyTable, title: str) -> TidyTable:
    return TidyTable(
        title=title,
        lang=table.lang,
        rows=table.rows,
        definitions=table.definitions,
        regions=table.regions,
        division_year=table.division_year,
        built_at=table.built_at,
        extracted_at=table.extracted_at,
        total=table.total,
        offset=table.offset,
        limit=table.limit,
        attribution=table.attribution,
    )


def _table(
    reader: CubeReader,
    catalogue: Catalogue,
    division: Division,
    rows: list[TidyRow],
    *,
    indicators: Iterable[Indicator],
    title: str,
    lang: str,
    total: int,
    offset: int = 0,
    limit: int | None = None,
) -> TidyTable:
    return TidyTable(
        title=title,
        lang=lang,
        rows=rows,
        definitions=definitions(indicators, rows, lang),
        regions=regions_of(division, rows, lang),
        division_year=division.year,
        built_at=reader.meta().get("built_at", ""),
        extracted_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        total=total,
        offset=offset,
        limit=limit,
    )


def definitions(
    indicators: Iterable[Indicator], rows: Sequence[TidyRow], lang: str
) -> list[DefinitionRow]:
    """The definitions of indicators, with the source versions and update dates rows carry."""
    versions: dict[str, set[str]] = {}
    updated: dict[str, dt.datetime] = {}
    for row in rows:
        if row.source_version:
            versions.setdefault(row.indicator_id, set()).add(row.source_version)
        if row.retrieved_at is not None:
            known = updated.get(row.indicator_id)
            if known is None or row.retrieved_at > known:
                updated[row.indicator_id] = row.retrieved_at
    return _definition_rows(indicators, versions, updated, lang)


def _definition_rows(
    indicators: Iterable[Indicator],
    versions: dict[str, set[str]],
    updated: dict[str, dt.datetime],
    lang: str,
) -> list[DefinitionRow]:
    out = []
    for indicator in indicators:
        source = indicator.source
        out.append(
            DefinitionRow(
                indicator_id=indicator.id,
                label=indicator.label.get(lang),
                definition=indicator.definition.get(lang),
                numerator=indicator.numerator.get(lang),
                denominator=indicator.denominator.get(lang) if indicator.denominator else None,
                unit=indicator.unit.value,
                unit_symbol=indicator.unit.symbol(lang),
                decimals=indicator.decimals,
                polarity=indicator.polarity.value,
                organisation=source.organisation_name(lang),
                licence=source.licence,
                attribution=source.attribution,
                url=source.url,
                source_versions="; ".join(sorted(versions.get(indicator.id, ()))),
                updated=updated.get(indicator.id),
                caveats=indicator.caveats.get(lang) if indicator.caveats else None,
            )
        )
    return out


def regions_of(division: Division, rows: Sequence[TidyRow], lang: str) -> list[RegionRow]:
    """The areas rows mention, country first, then by level and code."""
    return _region_rows(division, {r.area_code for r in rows}, lang)


def _region_rows(division: Division, codes: Iterable[str], lang: str) -> list[RegionRow]:
    found = sorted((division.get(c) for c in codes), key=lambda r: (r.level.depth, r.code))
    return [
        RegionRow(
            code=r.code,
            level=r.level.value,
            name=r.name(lang),
            name_fi=r.name("fi"),
            name_sv=r.name("sv"),
            name_en=r.name("en"),
            parent_code=r.parent_code,
        )
        for r in found
    ]


# --- Views: flatten exactly what the page's dataclass holds ---------------------------------


@dataclass(frozen=True)
class _Shown:
    """One number a view shows, with the key that finds its provenance in the cube."""

    area_code: str
    indicator_id: str
    sex: str
    age_group: str
    cell: Cell


def situation_export(
    reader: CubeReader,
    catalogue: Catalogue,
    division: Division,
    area: str,
    *,
    year: int | None = None,
    lang: str = "fi",
) -> TidyTable:
    """The tilannekuva page's numbers, from the same two functions the page calls."""
    picture = situational_picture(reader, catalogue, division, area, year=year, lang=lang)
    # The picture shows the nearest year with data when the one asked for has none.
    grid = overview_grid(reader, catalogue, division, area, year=picture.year, lang=lang)
    return situation_table(reader, catalogue, division, picture, grid)


def glance_export(
    reader: CubeReader,
    catalogue: Catalogue,
    division: Division,
    area: str,
    phenomenon: str,
    *,
    indicator: str | None = None,
    level: Level | None = None,
    year: int | None = None,
    lang: str = "fi",
) -> TidyTable:
    """The ilmiöstä tiiviisti page's numbers, from the function the page calls."""
    glance = phenomenon_glance(
        reader,
        catalogue,
        division,
        area,
        phenomenon,
        indicator_id=indicator,
        level=level,
        year=year,
        lang=lang,
    )
    return glance_table(reader, catalogue, division, glance)


def view_export(
    reader: CubeReader,
    catalogue: Catalogue,
    division: Division,
    area: str,
    phenomenon: str,
    *,
    indicator: str | None = None,
    year: int | None = None,
    lang: str = "fi",
) -> TidyTable:
    """The ilmiönäkymä page's numbers, from the function the page calls."""
    view = phenomenon_view(
        reader, catalogue, division, area, phenomenon, indicator_id=indicator, year=year, lang=lang
    )
    return view_table(reader, catalogue, division, view)


def situation_table(
    reader: CubeReader,
    catalogue: Catalogue,
    division: Division,
    picture: SituationalPicture,
    grid: OverviewGrid | None = None,
) -> TidyTable:
    """The tilannekuva's numbers: the headline summaries, the country's values and the grid."""
    shown: list[_Shown] = []
    for block in picture.blocks:
        for summary in block.indicators:
            if summary.year is None:
                continue
            cell = Cell(
                year=summary.year,
                value=summary.value,
                ci_lower=summary.ci_lower,
                ci_upper=summary.ci_upper,
                comparison=summary.comparison,
                suppressed=summary.suppressed,
                suppression_reason=summary.suppression_reason,
                synthetic=summary.synthetic,
            )
            shown.append(_Shown(picture.region.code, summary.indicator_id, "total", "total", cell))
    # The country's value beside each area is a number the page shows too.
    countries = _country_cells(reader, picture)
    if grid is not None:
        for grid_row in grid.rows:
            for column, grid_cell in zip(grid.columns, grid_row.cells, strict=True):
                if grid_cell is not None and grid_cell.shown:
                    shown.append(
                        _Shown(
                            column.region_code, grid_row.indicator_id, "total", "total", grid_cell
                        )
                    )
    title = {"fi": "Tilannekuva", "sv": "Lägesbild", "en": "Situational picture"}
    return _view_table(
        reader,
        catalogue,
        division,
        [*shown, *countries],
        lang=picture.lang,
        title=f"{title.get(picture.lang, title['fi'])}: {picture.region.name(picture.lang)}",
    )


def _country_cells(reader: CubeReader, picture: SituationalPicture) -> list[_Shown]:
    values = {
        (s.indicator_id, s.year): s.country_value
        for b in picture.blocks
        for s in b.indicators
        if s.year is not None and s.country_value is not None
    }
    if not values:
        return []
    facts = _fact_index(reader, [i for i, _ in values], [COUNTRY_CODE], [y for _, y in values])
    out = []
    for (indicator_id, year), value in values.items():
        record = facts.get((indicator_id, COUNTRY_CODE, year, "total", "total"))
        if record is None:
            continue
        cell = Cell(
            year=year,
            value=value,
            ci_lower=optional_float(record["ci_lower"]),
            ci_upper=optional_float(record["ci_upper"]),
            comparison=str(record["comparison"]),
            suppressed=False,
            suppression_reason=None,
            synthetic=bool(record["synthetic"]),
        )
        out.append(_Shown(COUNTRY_CODE, indicator_id, "total", "total", cell))
    return out


def glance_table(
    reader: CubeReader, catalogue: Catalogue, division: Division, glance: PhenomenonGlance
) -> TidyTable:
    """The ilmiöstä tiiviisti view's numbers: every trend point, the ranking's cells and the
    similar areas' values."""
    shown: list[_Shown] = []
    for theme in glance.themes:
        for trend in theme.indicators:
            shown.extend(_series_cells(trend.summary.indicator_id, trend.series))
    shown.extend(_ranking_cells(glance.ranking))
    if glance.similar is not None:
        shown.extend(_ranking_cells(glance.similar.comparison))
    return _view_table(
        reader, catalogue, division, shown, lang=glance.lang, title=_view_title(glance)
    )


def view_table(
    reader: CubeReader, catalogue: Catalogue, division: Division, view: PhenomenonView
) -> TidyTable:
    """The ilmiönäkymä's numbers: the comparison table, the breakdowns and the series."""
    shown = _ranking_cells(view.comparison)
    for breakdown in view.breakdowns:
        for row in breakdown.rows:
            sex = row.category if breakdown.dimension == "sex" else "total"
            age = row.category if breakdown.dimension == "age_group" else "total"
            shown.append(_Shown(view.region.code, view.indicator_id, sex, age, row.cell))
    shown.extend(_series_cells(view.indicator_id, view.series))
    return _view_table(reader, catalogue, division, shown, lang=view.lang, title=_view_title(view))


def _view_title(view: PhenomenonGlance | PhenomenonView) -> str:
    return f"{view.label}: {view.region.name(view.lang)}"


def _series_cells(indicator_id: str, series: list[AreaSeries]) -> list[_Shown]:
    return [
        _Shown(s.region_code, indicator_id, "total", "total", point)
        for s in series
        for point in s.points
    ]


def _ranking_cells(ranked: Ranking) -> list[_Shown]:
    cells = [
        _Shown(row.region_code, ranked.indicator_id, "total", "total", row.cell)
        for row in ranked.rows
        if row.cell is not None and row.cell.shown
    ]
    # The country's value shown beside the ranking is one of the page's numbers too.
    if ranked.country_cell is not None and ranked.country_value is not None:
        cells.append(
            _Shown(COUNTRY_CODE, ranked.indicator_id, "total", "total", ranked.country_cell)
        )
    return cells


_Key = tuple[str, str, int, str, str]


def _fact_index(
    reader: CubeReader,
    indicator_ids: list[str],
    region_codes: list[str],
    years: list[int],
    wanted: set[_Key] | None = None,
) -> dict[_Key, dict[Any, Any]]:
    """Fact rows by key; with wanted, only those keys (the query covers their product)."""
    facts = reader.facts(
        indicator_ids=sorted(set(indicator_ids)),
        region_codes=sorted(set(region_codes)),
        years=sorted(set(years)),
        sex=None,
        age_group=None,
    )
    keys = list(
        zip(
            facts["indicator_id"].astype(str),
            facts["region_code"].astype(str),
            facts["year"].astype(int),
            facts["sex"].astype(str),
            facts["age_group"].astype(str),
            strict=True,
        )
    )
    if wanted is not None:
        # The product of indicators, areas and years is far larger than what a view shows.
        keep = [key in wanted for key in keys]
        facts = facts[keep]
        keys = [key for key, kept in zip(keys, keep, strict=True) if kept]
    return dict(zip(keys, _records(facts), strict=True))


def _view_table(
    reader: CubeReader,
    catalogue: Catalogue,
    division: Division,
    shown: list[_Shown],
    *,
    lang: str,
    title: str,
) -> TidyTable:
    """Tidy rows whose numbers come from the view; counts and provenance from the same cell."""
    facts = _fact_index(
        reader,
        [s.indicator_id for s in shown],
        [s.area_code for s in shown],
        [s.cell.year for s in shown],
        {(s.indicator_id, s.area_code, s.cell.year, s.sex, s.age_group) for s in shown},
    )
    unique: dict[_Key, TidyRow] = {}
    for item in shown:
        key = (item.indicator_id, item.area_code, item.cell.year, item.sex, item.age_group)
        if key in unique:
            continue
        record = dict(facts.get(key, {}))
        cell = item.cell
        hidden = cell.suppressed
        record.update(
            indicator_id=item.indicator_id,
            region_code=item.area_code,
            year=cell.year,
            sex=item.sex,
            age_group=item.age_group,
            value=cell.value,
            ci_lower=cell.ci_lower,
            ci_upper=cell.ci_upper,
            comparison=cell.comparison,
            suppressed=hidden,
            suppression_reason=cell.suppression_reason,
            synthetic=cell.synthetic,
        )
        record.setdefault("numerator", None)
        record.setdefault("denominator", None)
        record.setdefault("source", "")
        unique[key] = _row(
            record, catalogue.indicator(item.indicator_id), division.get(item.area_code), lang
        )
    depth = {level.value: level.depth for level in Level}
    rows = sorted(
        unique.values(),
        key=lambda r: (r.indicator_id, depth[r.level], r.area_code, r.year, r.sex, r.age_group),
    )
    used = [catalogue.indicator(i) for i in dict.fromkeys(r.indicator_id for r in rows)]
    return _table(
        reader, catalogue, division, rows, indicators=used, title=title, lang=lang, total=len(rows)
    )
