"""Validation of a client-data extract: refuse direct identifiers, then check every row.

The order matters: the whole file is scanned for direct identifiers first and refused as a whole
if it holds any, before a single row is stored. Only then are rows checked one by one; rows with
errors are reported (row, field, value, what was expected) and left out, the rest are staged.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from raketieto.clientdata import schema
from raketieto.errors import DataError, RaketietoError
from raketieto.privacy import find_identifiers, looks_like_person_name
from raketieto.privacy.identifiers import STREET_SUFFIXES
from raketieto.regions import Division, Level
from raketieto.regions.remap import TABLE_START_YEAR, code_map
from raketieto.text import fold

MAX_REPORTED_ERRORS = 1000
MAX_REPORTED_HITS = 20
_MAX_SHOWN_VALUE = 60

_KIND_LABELS = {
    "hetu": "henkilötunnus",
    "phone": "puhelinnumero",
    "email": "sähköpostiosoite",
    "address": "katuosoite",
    "name": "henkilön nimi",
    "column_name": "tunnistetietoa tarkoittava sarakkeen nimi",
}

# A cheap first pass in DuckDB (RE2) that every value holding an identifier matches; only the
# values it lets through are checked in Python. It over-matches on purpose.
_PREFILTER = "|".join(
    [
        # The identity-code shape, also with a mistyped, padded or missing century sign.
        r"\d{6}\s?[-+A-FU-Ya-fu-y\x{2010}-\x{2014}\x{2212}\x{00a0}\x{202f} /\\._,:;|*]?\s?"
        r"\d{3}[0-9A-Za-z]",
        "@",
        r"(\+|00)358",
        r"(^|[^0-9A-Za-z+/,-])\(?0[0-9]",
        r"[a-zåäöüé](" + "|".join(STREET_SUFFIXES) + r")\s+\d",
        r"(Esplanadi|Bulevardi|Esplanaden|Bulevarden)\s+\d",
        r"[A-ZÅÄÖÜÉ][a-zåäöüé]+,?\s+[A-ZÅÄÖÜÉ][a-zåäöüé]+",
    ]
)


@dataclass(frozen=True)
class RowError:
    """One rejected value: row 1 is the first data row (CSV line 2)."""

    row: int
    field: str
    value: str | None
    expected: str


@dataclass(frozen=True)
class IdentifierHit:
    """Where a direct identifier was found; the value itself is never repeated."""

    column: str
    row: int
    kind: str

    def describe(self) -> str:
        """'sarake X, rivi N: henkilötunnus' (row 0 means the column name itself)."""
        label = _KIND_LABELS.get(self.kind, self.kind)
        where = f"sarake '{self.column}'" + (f", rivi {self.row}" if self.row else "")
        return f"{where}: {label}"


class ExtractRefusedError(DataError):
    """The file holds direct identifiers and was refused as a whole; nothing was stored."""

    def __init__(self, source: str, hits: list[IdentifierHit]) -> None:
        self.hits = hits
        shown = "; ".join(h.describe() for h in hits[:5])
        more = f" (ja {len(hits) - 5} muuta)" if len(hits) > 5 else ""
        super().__init__(
            f"Tiedosto '{source}' hylättiin kokonaan, koska siinä on suoria tunnistetietoja "
            f"({shown}{more}); poimintaan saa tulla vain pseudonymisoitu avain, ei tunnisteita."
        )


@dataclass
class ValidationReport:
    """What was read, what was accepted and why the rest was not."""

    source: str
    rows_read: int
    rows_accepted: int
    errors: list[RowError]
    error_counts: dict[str, int]
    event_counts: dict[str, int]
    persons: int
    municipalities: int
    first_date: dt.date | None
    last_date: dt.date | None
    ignored_columns: list[str] = field(default_factory=list)
    synthetic: bool = False

    @property
    def rows_rejected(self) -> int:
        """Rows left out because of errors."""
        return self.rows_read - self.rows_accepted

    def lines(self) -> list[str]:
        """A short summary in Finnish, one line per fact."""
        out = [
            f"Tiedosto: {self.source}" + (" (SYNTEETTINEN AINEISTO)" if self.synthetic else ""),
            f"Rivejä luettu {self.rows_read}, hyväksytty {self.rows_accepted}, "
            f"hylätty {self.rows_rejected}.",
            f"Henkilöitä {self.persons}, kuntia {self.municipalities}, "
            f"aikaväli {self.first_date or '-'} – {self.last_date or '-'}.",
        ]
        if self.event_counts:
            counts = ", ".join(f"{k} {v}" for k, v in sorted(self.event_counts.items()))
            out.append(f"Hyväksytyt tapahtumat: {counts}.")
        if self.error_counts:
            counts = ", ".join(f"{k} {v}" for k, v in sorted(self.error_counts.items()))
            out.append(f"Virheitä kentittäin: {counts}.")
        if self.ignored_columns:
            out.append(f"Tuntemattomat sarakkeet ohitettiin: {', '.join(self.ignored_columns)}.")
        return out


@dataclass
class ValidatedExtract:
    """An extract that passed the identifier scan: its report and its accepted rows.

    The rows are the view 'extract_clean' of connection; close() (or a with block) frees them.
    """

    report: ValidationReport
    connection: duckdb.DuckDBPyConnection
    workdir: tempfile.TemporaryDirectory[str]

    def write_staged(self, out: Path) -> Path:
        """Write the accepted rows to the Parquet file out (the staged table) and return out."""
        out.parent.mkdir(parents=True, exist_ok=True)
        synthetic = "true" if self.report.synthetic else "false"
        select = ", ".join(schema.STAGED_COLUMNS)
        self.connection.execute(
            f"COPY (SELECT {select} FROM extract_clean) TO {_literal(str(out))} "
            f"(FORMAT parquet, KV_METADATA {{'{schema.SYNTHETIC_METADATA_KEY}': '{synthetic}'}})"
        )
        return out

    def close(self) -> None:
        """Close the connection and remove temporary files."""
        self.connection.close()
        self.workdir.cleanup()

    def __enter__(self) -> ValidatedExtract:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def validate_extract(path: Path, *, division: Division) -> ValidatedExtract:
    """Validate the extract at path: refuse identifiers, check rows, keep the accepted ones.

    Raises ExtractRefusedError if any value or column name holds a direct identifier, and
    DataError if the file cannot be read or lacks a column of the format.
    """
    workdir = tempfile.TemporaryDirectory(prefix="raketieto-extract-")
    con = duckdb.connect()
    try:
        con.execute(f"SET temp_directory = {_literal(workdir.name)}")
        report = _validate(con, path, Path(workdir.name), division)
    except BaseException:
        con.close()
        workdir.cleanup()
        raise
    return ValidatedExtract(report=report, connection=con, workdir=workdir)


def stage_extract(path: Path, out: Path, *, division: Division) -> ValidationReport:
    """Validate path and write the accepted rows to the Parquet file out."""
    with validate_extract(path, division=division) as extract:
        extract.write_staged(out)
        return extract.report


def _validate(
    con: duckdb.DuckDBPyConnection, path: Path, workdir: Path, division: Division
) -> ValidationReport:
    columns, kv_synthetic = _open(con, path, workdir)
    mapping = {fold(c): c for c in columns}
    refused_names = [c for c in columns if _identifying_name(c)]
    if refused_names:
        raise ExtractRefusedError(
            path.name, [IdentifierHit(c, 0, "column_name") for c in refused_names]
        )
    hits = scan_identifiers(con, columns)
    if hits:
        raise ExtractRefusedError(path.name, hits)
    missing = [c for c in schema.REQUIRED_COLUMNS + schema.CONDITIONAL_COLUMNS if c not in mapping]
    if missing:
        raise DataError(
            f"Tiedostosta '{path.name}' puuttuu sarake '{missing[0]}'; "
            f"poiminnan sarakkeet ovat {', '.join(schema.COLUMNS)}."
        )
    ignored = [c for c in columns if fold(c) not in schema.COLUMNS]
    _create_typed(con, mapping, division)
    _create_errors(con, has_synthetic="synthetic" in mapping)
    con.execute(
        "CREATE OR REPLACE TEMP VIEW extract_clean AS SELECT t.* FROM extract_typed t "
        "ANTI JOIN extract_error_rows e ON t.row_no = e.row_no"
    )
    return _report(con, path.name, ignored, kv_synthetic)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _open(con: duckdb.DuckDBPyConnection, path: Path, workdir: Path) -> tuple[list[str], bool]:
    """Create view extract_raw (every column as text, plus __row); say if metadata is synthetic."""
    if not path.is_file():
        raise DataError(f"Poimintatiedostoa '{path}' ei löydy; anna CSV- tai Parquet-tiedosto.")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise DataError(
            f"Tiedoston '{path.name}' tyyppiä '{suffix}' ei tunneta; odotettiin .csv tai .parquet."
        )
    try:
        if suffix == ".csv":
            # One CSV parse into Parquet keeps the row order (file_row_number) and makes the
            # several scans that follow cheap.
            target = workdir / "raw.parquet"
            con.execute(
                f"COPY (SELECT * FROM read_csv({_literal(str(path))}, all_varchar = true, "
                f"header = true)) TO {_literal(str(target))} (FORMAT parquet)"
            )
            return _open_parquet(con, target), False
        rows = con.execute(
            f"SELECT value FROM parquet_kv_metadata({_literal(str(path))}) WHERE key = ?",
            [schema.SYNTHETIC_METADATA_KEY],
        ).fetchall()
        kv_synthetic = any(bytes(v).decode().lower() == "true" for (v,) in rows)
        return _open_parquet(con, path), kv_synthetic
    except duckdb.Error as error:
        raise DataError(
            f"Tiedostoa '{path.name}' ei voi lukea ({str(error).splitlines()[0]}); "
            "odotettiin CSV-tiedostoa, jossa on otsikkorivi, tai Parquet-tiedostoa."
        ) from None


def _open_parquet(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    source = f"read_parquet({_literal(str(path))}, file_row_number = true)"
    described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    columns = [str(row[0]) for row in described if row[0] != "file_row_number"]
    folded = [fold(c) for c in columns]
    duplicated = sorted({c for c in folded if folded.count(c) > 1})
    if duplicated:
        raise DataError(
            f"Sarake '{duplicated[0]}' on tiedostossa kahdesti; sarakkeiden nimet ovat uniikit."
        )
    select = ", ".join(f"CAST({_quote(c)} AS VARCHAR) AS {_quote(c)}" for c in columns)
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW extract_raw AS "
        f"SELECT file_row_number + 1 AS __row, {select} FROM {source}"
    )
    return columns


def _identifying_name(column: str) -> bool:
    tokens = re.split(r"[^a-z0-9]+", fold(column))
    return any(token in schema.IDENTIFYING_COLUMN_WORDS for token in tokens)


def scan_identifiers(con: duckdb.DuckDBPyConnection, columns: list[str]) -> list[IdentifierHit]:
    """Direct identifiers in any value of any column of view extract_raw (at most a few)."""
    hits: list[IdentifierHit] = []
    for column in columns:
        rows = con.execute(
            f"SELECT v, min(__row) FROM (SELECT {_quote(column)} AS v, __row FROM extract_raw) "
            "WHERE v IS NOT NULL AND regexp_matches(v, ?) GROUP BY v ORDER BY 2",
            [_PREFILTER],
        ).fetchall()
        for value, row in rows:
            kinds = {f.kind.value for f in find_identifiers(value)}
            if looks_like_person_name(value):
                kinds.add("name")
            hits.extend(IdentifierHit(column, int(row), kind) for kind in sorted(kinds))
            if len(hits) >= MAX_REPORTED_HITS:
                return hits
    return hits


def _municipality_table(division: Division) -> list[tuple[str, str]]:
    valid = {r.short_code for r in division.at_level(Level.MUNICIPALITY)}
    pairs = {code: code for code in valid}
    for old, new in code_map(TABLE_START_YEAR, division.year).items():
        if new in valid:
            pairs[old] = new
    return sorted(pairs.items())


def _create_typed(
    con: duckdb.DuckDBPyConnection, mapping: dict[str, str], division: Division
) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE municipality_map (code VARCHAR, canonical VARCHAR)")
    con.executemany("INSERT INTO municipality_map VALUES (?, ?)", _municipality_table(division))
    con.execute("CREATE OR REPLACE TEMP TABLE aland_codes (code VARCHAR)")
    con.executemany(
        "INSERT INTO aland_codes VALUES (?)", [(c,) for c in division.aland_municipalities()]
    )

    def raw(name: str) -> str:
        return f"nullif(trim({_quote(mapping[name])}), '')" if name in mapping else "NULL"

    date_pattern = r"'^\d{4}-\d{2}-\d{2}( 00:00:00)?$'"

    def as_date(name: str) -> str:
        text = raw(name)
        return f"CASE WHEN regexp_matches({text}, {date_pattern}) THEN TRY_CAST({text} AS DATE) END"

    separator = _literal(schema.NEEDS_SEPARATOR)
    split = f"string_split({raw('support_needs')}, {separator})"
    need_list = f"list_transform({split}, lambda x: lower(trim(x)))"
    need_columns = ", ".join(
        f"coalesce(list_contains({need_list}, '{need}'), false) AS {schema.need_column(need)}"
        for need in schema.SUPPORT_NEEDS
    )
    municipality_digits = f"regexp_extract(upper({raw('municipality')}), '^(KU)?(\\d{{1,3}})$', 2)"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE extract_typed AS
        SELECT
            __row AS row_no,
            {raw("person_key")} AS person_key,
            TRY_CAST({raw("birth_year")} AS INTEGER) AS birth_year,
            TRY_CAST({raw("sex")} AS INTEGER) AS sex,
            m.canonical AS municipality,
            {as_date("event_date")} AS event_date,
            lower({raw("event_type")}) AS event_type,
            lower({raw("service_task")}) AS service_task,
            lower({raw("notifier")}) AS notifier,
            {as_date("pending_date")} AS pending_date,
            lower({raw("service_type")}) AS service_type,
            lower({raw("assistance_type")}) AS assistance_type,
            {need_columns},
            coalesce(lower({raw("synthetic")}) IN ('true', 't', '1', 'yes'), false) AS synthetic,
            {raw("birth_year")} AS raw_birth_year,
            {raw("sex")} AS raw_sex,
            {raw("municipality")} AS raw_municipality,
            {raw("event_date")} AS raw_event_date,
            {raw("pending_date")} AS raw_pending_date,
            {raw("support_needs")} AS raw_support_needs,
            {raw("synthetic")} AS raw_synthetic,
            {need_list} AS need_list,
            lpad({municipality_digits}, 3, '0') IN (SELECT code FROM aland_codes) AS in_aland
        FROM extract_raw
        LEFT JOIN municipality_map m
            ON m.code = lpad(nullif({municipality_digits}, ''), 3, '0')
        """
    )


def _sql_list(codes: Iterable[str]) -> str:
    return "(" + ", ".join(_literal(c) for c in codes) + ")"


def _create_errors(con: duckdb.DuckDBPyConnection, *, has_synthetic: bool) -> None:
    today = dt.date.today().isoformat()
    rules: list[tuple[str, str, str, str]] = [
        (
            "person_key",
            "person_key IS NULL OR length(person_key) > 64 OR regexp_matches(person_key, '\\s')",
            "person_key",
            "pseudonymisoitu avain, 1–64 merkkiä ilman välilyöntejä",
        ),
        (
            "birth_year",
            "birth_year IS NULL OR (event_date IS NOT NULL AND (birth_year > year(event_date) "
            f"OR birth_year < year(event_date) - {schema.MAX_AGE}))",
            "raw_birth_year",
            f"syntymävuosi nelinumeroisena, enintään tapahtumavuosi ja enintään "
            f"{schema.MAX_AGE} vuotta sitä ennen",
        ),
        ("sex", "sex IS NULL OR sex NOT IN (1, 2)", "raw_sex", "1 (mies) tai 2 (nainen)"),
        (
            "municipality",
            "municipality IS NULL AND in_aland",
            "raw_municipality",
            "Manner-Suomen kunta (Ahvenanmaa on hyvinvointialueiden ulkopuolella)",
        ),
        (
            "municipality",
            "municipality IS NULL AND NOT coalesce(in_aland, false)",
            "raw_municipality",
            "kolminumeroinen kuntakoodi, esim. 091",
        ),
        (
            "event_date",
            f"event_date IS NULL OR year(event_date) < {schema.FIRST_YEAR} "
            f"OR event_date > DATE '{today}'",
            "raw_event_date",
            f"päivämäärä muodossa VVVV-KK-PP vuodesta {schema.FIRST_YEAR} tähän päivään",
        ),
        (
            "event_type",
            f"event_type IS NULL OR event_type NOT IN {_sql_list(schema.EVENT_TYPES)}",
            "event_type",
            "yksi seuraavista: " + ", ".join(schema.EVENT_TYPES),
        ),
        (
            "service_task",
            f"service_task IS NULL OR service_task NOT IN {_sql_list(schema.SERVICE_TASKS)}",
            "service_task",
            "yksi seuraavista: " + ", ".join(schema.SERVICE_TASKS),
        ),
    ]
    known = _sql_list(schema.EVENT_TYPES)
    conditional = {
        "notifier": ("notifier", schema.NOTIFIERS),
        "service_type": ("service_type", schema.SERVICE_TYPES),
        "assistance_type": ("assistance_type", schema.ASSISTANCE_TYPES),
    }
    for column, (value, codes) in conditional.items():
        events = [e for e, cols in schema.FILLED_BY_EVENT.items() if column in cols]
        rules.append(
            (
                column,
                f"event_type IN {_sql_list(events)} AND ({value} IS NULL "
                f"OR {value} NOT IN {_sql_list(codes)})",
                value,
                f"rivillä {'/'.join(events)} yksi seuraavista: " + ", ".join(codes),
            )
        )
        rules.append(_must_be_empty(column, value, events, known))
    pending_events = [e for e, cols in schema.FILLED_BY_EVENT.items() if "pending_date" in cols]
    rules.append(
        (
            "pending_date",
            f"event_type IN {_sql_list(pending_events)} AND (pending_date IS NULL "
            "OR (event_date IS NOT NULL AND pending_date > event_date) "
            f"OR year(pending_date) < {schema.FIRST_YEAR - 1})",
            "raw_pending_date",
            "vireilletulopäivä muodossa VVVV-KK-PP, viimeistään tapahtumapäivänä",
        )
    )
    rules.append(_must_be_empty("pending_date", "raw_pending_date", pending_events, known))
    need_events = [e for e, cols in schema.FILLED_BY_EVENT.items() if "support_needs" in cols]
    rules.append(
        (
            "support_needs",
            f"event_type IN {_sql_list(need_events)} AND raw_support_needs IS NOT NULL AND "
            "len(list_filter(need_list, lambda x: x NOT IN "
            f"{_sql_list(schema.SUPPORT_NEEDS)})) > 0",
            "raw_support_needs",
            f"tuen tarpeet '{schema.NEEDS_SEPARATOR}'-merkillä eroteltuina: "
            + ", ".join(schema.SUPPORT_NEEDS),
        )
    )
    rules.append(_must_be_empty("support_needs", "raw_support_needs", need_events, known))
    if has_synthetic:
        rules.append(
            (
                "synthetic",
                "raw_synthetic IS NOT NULL AND lower(raw_synthetic) NOT IN "
                "('true', 'false', 't', 'f', '1', '0', 'yes', 'no')",
                "raw_synthetic",
                "true tai false",
            )
        )
    selects = [
        f"SELECT row_no, {_literal(name)} AS field, CAST({value} AS VARCHAR) AS value, "
        f"{_literal(expected)} AS expected FROM extract_typed WHERE {condition}"
        for name, condition, value, expected in rules
    ]
    # A person's birth year and sex are the same on every row; otherwise every row is suspect.
    selects.append(
        "SELECT t.row_no, 'person_key' AS field, t.person_key AS value, "
        "'sama syntymävuosi ja sukupuoli henkilön kaikilla riveillä' AS expected "
        "FROM extract_typed t JOIN (SELECT person_key FROM extract_typed "
        "WHERE person_key IS NOT NULL GROUP BY person_key "
        "HAVING count(DISTINCT birth_year) > 1 OR count(DISTINCT sex) > 1) p "
        "ON t.person_key = p.person_key"
    )
    con.execute("CREATE OR REPLACE TEMP TABLE extract_errors AS " + " UNION ALL ".join(selects))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE extract_error_rows AS "
        "SELECT DISTINCT row_no FROM extract_errors"
    )


def _must_be_empty(
    column: str, value: str, events: list[str], known: str
) -> tuple[str, str, str, str]:
    return (
        column,
        f"event_type IN {known} AND event_type NOT IN {_sql_list(events)} AND {value} IS NOT NULL",
        value,
        f"tyhjä (täytetään vain riveillä {'/'.join(events)})",
    )


def _report(
    con: duckdb.DuckDBPyConnection, source: str, ignored: list[str], kv_synthetic: bool
) -> ValidationReport:
    (rows_read,) = _one(con, "SELECT count(*) FROM extract_raw")
    errors = [
        RowError(
            int(row), str(name), None if value is None else str(value)[:_MAX_SHOWN_VALUE], str(exp)
        )
        for row, name, value, exp in con.execute(
            "SELECT row_no, field, value, expected FROM extract_errors ORDER BY row_no, field "
            f"LIMIT {MAX_REPORTED_ERRORS}"
        ).fetchall()
    ]
    error_counts = {
        str(k): int(v)
        for k, v in con.execute(
            "SELECT field, count(*) FROM extract_errors GROUP BY field"
        ).fetchall()
    }
    event_counts = {
        str(k): int(v)
        for k, v in con.execute(
            "SELECT event_type, count(*) FROM extract_clean GROUP BY event_type"
        ).fetchall()
    }
    accepted, persons, municipalities, first, last, synthetic = _one(
        con,
        "SELECT count(*), count(DISTINCT person_key), count(DISTINCT municipality), "
        "min(event_date), max(event_date), coalesce(bool_or(synthetic), false) FROM extract_clean",
    )
    return ValidationReport(
        source=source,
        rows_read=int(rows_read),
        rows_accepted=int(accepted),
        errors=errors,
        error_counts=error_counts,
        event_counts=event_counts,
        persons=int(persons),
        municipalities=int(municipalities),
        first_date=first,
        last_date=last,
        ignored_columns=ignored,
        synthetic=bool(synthetic) or kv_synthetic,
    )


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...]:
    row = con.execute(sql).fetchone()
    if row is None:  # an aggregate always returns a row
        raise RaketietoError(f"Kysely ei palauttanut riviä: {sql}")
    return tuple(row)
