"""Figures an administrator loads as CSV (Kela, ARA, TEM where no API reaches them).

The shape is documented in docs/sources.md: columns indicator_id, region_code, year, sex,
age_group, numerator, denominator, value (suppressed and note optional), with the source,
licence and source version in `# key: value` lines at the top or in a sidecar `<file>.yaml`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import yaml

from raketieto.errors import DataError
from raketieto.regions.division import canonical_code
from raketieto.sources.base import (
    CatalogueView,
    FetchProblem,
    FetchResult,
    Progress,
    ProgressEvent,
    Source,
    SourceDescription,
    fact,
    facts_frame,
)
from raketieto.sources.regions import is_canonical

if TYPE_CHECKING:
    from raketieto.settings import Settings
    from raketieto.sources.cache import ResponseCache
    from raketieto.sources.http import HttpClient

COLUMNS = (
    "indicator_id",
    "region_code",
    "year",
    "sex",
    "age_group",
    "numerator",
    "denominator",
    "value",
)
OPTIONAL_COLUMNS = ("suppressed", "note")
REQUIRED_META = ("source", "licence", "source_version")
KNOWN_META = (*REQUIRED_META, "attribution", "retrieved_at", "synthetic", "url")
SEXES = ("total", "male", "female")
_AGE = re.compile(r"^(total|\d{1,3}-\d{1,3}|\d{1,3}\+)$")
_TRUE = {"1", "true", "kyllä", "yes", "x"}
_FALSE = {"", "0", "false", "ei", "no"}


@dataclass(frozen=True)
class RowError:
    """One bad cell: the file, row number (as a spreadsheet shows it), column, value and rule."""

    file: str
    row: int
    column: str
    value: str
    expected: str
    indicator_id: str | None = None

    def describe(self) -> str:
        """One sentence naming the row, column, value and what was expected."""
        return (
            f"{self.file} rivi {self.row}, sarake '{self.column}': arvo '{self.value}'; "
            f"odotettiin {self.expected}"
        )


@dataclass
class CsvLoad:
    """The valid rows of one file as fact rows, its metadata, and every row error."""

    path: Path
    meta: dict[str, str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _split_meta(text: str) -> tuple[dict[str, str], str, int]:
    """Header comments (`# key: value`) as a dict, the remaining CSV text, and lines skipped."""
    meta: dict[str, str] = {}
    lines = text.splitlines(keepends=True)
    skipped = 0
    for line in lines:
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        skipped += 1
        key, sep, value = stripped.lstrip("#").partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip()
    return meta, "".join(lines[skipped:]), skipped


def _sidecar(path: Path) -> dict[str, str]:
    for candidate in (path.with_suffix(".yaml"), path.with_suffix(".yml")):
        if candidate.is_file():
            try:
                loaded = yaml.safe_load(candidate.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as error:
                raise DataError(
                    f"Sivutiedosto {candidate} ei ole kelvollista YAMLia: {error}."
                ) from None
            if not isinstance(loaded, Mapping):
                raise DataError(
                    f"Sivutiedoston {candidate} pitää olla avain–arvo-kartta "
                    f"(source, licence, source_version)."
                )
            return {str(k).lower(): str(v) for k, v in loaded.items() if v is not None}
    return {}


def _number(text: str, decimal_comma: bool) -> float | None:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if cleaned in ("", ".", "..", "-"):
        return None
    if decimal_comma:
        cleaned = cleaned.replace(",", ".")
    return float(cleaned)


def read_csv(path: Path) -> CsvLoad:
    """Read one file; a missing column or metadata key raises DataError, bad cells are collected."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"Tiedosto {path} ei ole UTF-8-muotoinen; tallenna se UTF-8:na.") from None
    header_meta, body, skipped = _split_meta(text)
    meta = {**_sidecar(path), **header_meta}
    missing_meta = [key for key in REQUIRED_META if not meta.get(key)]
    if missing_meta:
        raise DataError(
            f"Tiedostosta {path.name} puuttuu tieto '{missing_meta[0]}'; odotettiin rivejä "
            "'# source: …', '# licence: …', '# source_version: …' alussa tai sivutiedostoa "
            f"{path.with_suffix('.yaml').name}."
        )
    first = body.splitlines()[0] if body.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(body), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    absent = [name for name in COLUMNS if name not in header]
    if absent:
        raise DataError(
            f"Tiedostosta {path.name} puuttuu sarake '{absent[0]}'; odotettiin sarakkeita "
            f"{', '.join(COLUMNS)} (valinnaiset: {', '.join(OPTIONAL_COLUMNS)})."
        )
    reader.fieldnames = header
    load = CsvLoad(path, meta)
    retrieved_at = _retrieved_at(meta, path)
    synthetic = meta.get("synthetic", "").strip().lower() in _TRUE
    header_line = skipped + 1
    for offset, raw in enumerate(reader, start=1):
        row_number = header_line + offset
        cells = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        parsed = _parse_row(cells, path.name, row_number, delimiter == ";", load.errors)
        if parsed is None:
            continue
        load.rows.append(
            fact(
                **parsed,
                source=meta["source"],
                source_version=meta["source_version"],
                retrieved_at=retrieved_at,
                synthetic=synthetic,
            )
        )
    return load


def _retrieved_at(meta: Mapping[str, str], path: Path) -> dt.datetime:
    given = meta.get("retrieved_at")
    if given:
        try:
            when = dt.datetime.fromisoformat(given)
        except ValueError:
            raise DataError(
                f"Tiedoston {path.name} retrieved_at '{given}' ei ole päivämäärä; "
                "odotettiin ISO-muotoa, esim. 2025-03-01 tai 2025-03-01T12:00:00+00:00."
            ) from None
        return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    # Without a stated retrieval time, the file's own time is the best evidence there is.
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)


def _parse_row(
    cells: Mapping[str, str],
    file: str,
    row: int,
    decimal_comma: bool,
    errors: list[RowError],
) -> dict[str, Any] | None:
    """The row's fact fields, or None after adding its errors to errors."""
    indicator_id = cells.get("indicator_id", "")
    found: list[RowError] = []

    def bad(column: str, expected: str) -> None:
        found.append(
            RowError(file, row, column, cells.get(column, ""), expected, indicator_id or None)
        )

    if not indicator_id:
        bad("indicator_id", "indikaattorin tunnus (esim. social-assistance-recipients-pct)")
        errors.extend(found)
        return None
    raw_region = cells.get("region_code", "")
    region = canonical_code(raw_region) if raw_region else None
    if region is None or not is_canonical(region):
        bad("region_code", "aluekoodi muodossa SSS, YTA1, HVA01 tai KU005")
    year: int | None = None
    try:
        year = int(cells.get("year", ""))
        if not 1900 <= year <= 2100:
            raise ValueError
    except ValueError:
        bad("year", "vuosi kokonaislukuna väliltä 1900–2100")
    sex = cells.get("sex", "").lower() or "total"
    if sex not in SEXES:
        bad("sex", "total, male tai female")
    age_group = cells.get("age_group", "") or "total"
    if not _AGE.fullmatch(age_group):
        bad("age_group", "total tai ikäryhmä muodossa 18-64 tai 65+")
    numbers: dict[str, float | None] = {}
    for column in ("numerator", "denominator", "value"):
        try:
            numbers[column] = _number(cells.get(column, ""), decimal_comma)
        except ValueError:
            bad(column, "luku tai tyhjä")
            continue
        number = numbers[column]
        if number is not None and number < 0 and column != "value":
            bad(column, "ei-negatiivinen luku")
    flag = cells.get("suppressed", "").lower()
    if flag not in _TRUE | _FALSE:
        bad("suppressed", "1/0, true/false tai tyhjä")
    suppressed = flag in _TRUE
    if not suppressed and not found and numbers["numerator"] is None and numbers["value"] is None:
        bad("value", "arvo tai osoittaja (tai suppressed = 1 salatulle solulle)")
    if found or region is None or year is None:
        errors.extend(found)
        return None
    return {
        "indicator_id": indicator_id,
        "region_code": region,
        "year": year,
        "sex": sex,
        "age_group": age_group,
        "numerator": numbers.get("numerator"),
        "denominator": numbers.get("denominator"),
        "value": numbers.get("value"),
        "suppressed": suppressed,
        "suppression_reason": "merkitty salatuksi tiedostossa" if suppressed else None,
        "note": cells.get("note") or None,
    }


def _licence_key(text: str) -> str:
    """A licence name with case, spaces and hyphens ignored ('CC-BY 4.0' == 'cc by 4.0')."""
    return re.sub(r"[\s\-_]", "", text).lower()


class CsvFileSource(Source):
    """CSV files of the documented shape in a folder (default data_dir/imports)."""

    name: ClassVar[str] = "csv"
    min_interval: ClassVar[float] = 0.0

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory

    @classmethod
    def from_settings(cls, settings: Settings) -> CsvFileSource:
        """The imports folder under the settings' data folder."""
        return cls(settings.data_dir / "imports")

    def describe(self) -> SourceDescription:
        """Files an administrator loads; each file states its own source and licence."""
        return SourceDescription(
            name=self.name,
            organisation="ylläpitäjän lataamat tiedostot (Kela, ARA, TEM …)",
            licence="tiedostokohtainen (sarake-/otsakerivi 'licence')",
            attribution="tiedostokohtainen (otsakerivi 'attribution')",
            url="docs/sources.md#csv",
        )

    def files(self) -> list[Path]:
        """The CSV files in the folder, sorted by name."""
        if self.directory is None or not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("*.csv"))

    def loads(self) -> list[CsvLoad]:
        """Every file read; DataError for a file whose columns or metadata are missing."""
        return [read_csv(path) for path in self.files()]

    def offers(self, catalogue: CatalogueView) -> list[str]:
        """Catalogue indicators that appear in the loaded files."""
        present: set[str] = set()
        for path in self.files():
            try:
                present |= {row["indicator_id"] for row in read_csv(path).rows}
            except DataError:
                continue
        return [i for i in catalogue.indicators if i in present]

    def fetch(
        self,
        indicators: Sequence[Any],
        years: Sequence[int] | None,
        *,
        client: HttpClient,
        cache: ResponseCache | None,
        progress: Progress | None = None,
    ) -> FetchResult:
        """The rows of the requested indicators and years; row errors become problems."""
        wanted = {i.id for i in indicators}
        licences = {i.id: str(i.source.licence) for i in indicators}
        year_set = set(years) if years is not None else None
        rows: list[dict[str, Any]] = []
        problems: list[FetchProblem] = []
        files = self.files()
        for done, path in enumerate(files):
            if progress is not None:
                progress(ProgressEvent(self.name, done, len(files), path.name))
            try:
                load = read_csv(path)
            except DataError as error:
                problems.append(FetchProblem(None, None, None, error.message))
                continue
            problems += [
                FetchProblem(e.indicator_id, None, None, e.describe())
                for e in load.errors
                if e.indicator_id is None or e.indicator_id in wanted
            ]
            in_file = sorted({r["indicator_id"] for r in load.rows} & wanted)
            problems += [
                FetchProblem(
                    indicator_id,
                    None,
                    None,
                    f"tiedoston {path.name} lisenssi '{load.meta['licence']}' ei vastaa luettelon "
                    f"lisenssiä '{licences[indicator_id]}'; korjaa tiedoston licence-rivi",
                )
                for indicator_id in in_file
                if _licence_key(load.meta["licence"]) != _licence_key(licences[indicator_id])
            ]
            rows += [
                r
                for r in load.rows
                if r["indicator_id"] in wanted and (year_set is None or r["year"] in year_set)
            ]
        if progress is not None:
            progress(ProgressEvent(self.name, len(files), len(files), "valmis"))
        if year_set is not None:
            arrived = {(r["indicator_id"], r["year"]) for r in rows}
            problems += [
                FetchProblem(i, None, y, "CSV-tiedostoissa ei ole tämän vuoden rivejä")
                for i in sorted(wanted)
                for y in sorted(year_set)
                if (i, y) not in arrived
            ]
        return FetchResult(facts_frame(rows), problems)
