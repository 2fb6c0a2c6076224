"""Client-data aggregation benchmark: the Ibis rules vs a raw DuckDB GROUP BY vs plain pandas.

    .venv/bin/python bench/clientdata_bench.py --events 1000000 10000000

For each size it writes a synthetic extract (Parquet), stages it (validation), and then times,
each in its own process so that peak memory (max RSS) is its own:
- ibis:   raketieto.clientdata.indicators.client_counts on DuckDB (all eight rules), including
          Ibis compiling the expressions (about 1 s, whatever the size);
- duckdb: one plain GROUP BY municipality × year × sex × age group × event type over the
          same staged file (the practical limit: one scan, no per-person logic);
- pandas: what an analyst would write: read the file, then the per-person need counts.
Goal on the 2-core machine: 10 M events < 60 s, < 4 GiB, ibis ≥ 0.5 × the raw DuckDB rate.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RAW_SQL = """
SELECT municipality, year(event_date) AS year, sex,
       CASE WHEN year(event_date) - birth_year <= 14 THEN '0-14'
            WHEN year(event_date) - birth_year <= 64 THEN '15-64' ELSE '65+' END AS age_group,
       event_type, count(*) AS n, count(DISTINCT person_key) AS persons
FROM read_parquet(?) GROUP BY ALL
"""


def _stage(kind: str, staged: Path) -> dict[str, float]:
    # Imports come first: the figures are for the aggregation, not for loading libraries.
    import duckdb
    import pandas as pd

    from raketieto.clientdata.indicators import client_counts, connect

    with connect("duckdb"):  # Ibis loads its backend module on first use
        pass
    start = time.perf_counter()
    if kind == "ibis":
        rows = len(client_counts(staged, engine="duckdb"))
    elif kind == "duckdb":
        rows = len(duckdb.connect().execute(RAW_SQL, [str(staged)]).fetchall())
    elif kind == "pandas":
        frame = pd.read_parquet(staged)
        ends = frame[frame["event_type"] == "assessment_end"].copy()
        ends["year"] = pd.to_datetime(ends["event_date"]).dt.year
        age = ends["year"] - ends["birth_year"]
        ends["age_group"] = pd.cut(age, [-1, 14, 64, 200], labels=["0-14", "15-64", "65+"])
        needs = [c for c in ends.columns if c.startswith("need_")]
        people = ends.groupby(["person_key", "year"], observed=True).agg(
            municipality=("municipality", "last"),
            sex=("sex", "first"),
            age_group=("age_group", "first"),
            **{c: (c, "max") for c in needs},
        )
        cells = people.groupby(["municipality", "year", "sex", "age_group"], observed=True)[
            needs
        ].sum()
        rows = len(cells)
    else:
        raise SystemExit(f"unknown stage {kind}")
    seconds = time.perf_counter() - start
    # VmHWM starts afresh at exec; ru_maxrss would carry over the parent's peak.
    status = Path("/proc/self/status").read_text().splitlines()
    hwm = [line for line in status if line.startswith("VmHWM:")]
    if hwm:
        peak = int(hwm[0].split()[1]) / 1024 / 1024  # KiB -> GiB
    else:  # not Linux
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    return {"seconds": seconds, "peak_gib": peak, "rows": rows}


def _measure(kind: str, staged: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--stage", kind, "--staged", str(staged)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Run the benchmark for each size and print one table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--stage")
    parser.add_argument("--staged", type=Path)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(_stage(args.stage, args.staged)))
        return
    from raketieto.clientdata.synth import generate_extract, write_extract
    from raketieto.clientdata.validate import stage_extract
    from raketieto.regions import load_division

    division = load_division()
    print("events    stage   seconds  events/s     peak GiB  ratio to duckdb")
    for events in args.events:
        with tempfile.TemporaryDirectory(prefix="raketieto-bench-") as folder:
            extract = Path(folder) / "extract.parquet"
            start = time.perf_counter()
            write_extract(generate_extract(events, seed=1, division=division), extract, seed=1)
            generated = time.perf_counter() - start
            staged = Path(folder) / "staged.parquet"
            start = time.perf_counter()
            stage_extract(extract, staged, division=division)
            validated = time.perf_counter() - start
            print(f"{events:>9,} generate {generated:7.1f}")
            print(f"{events:>9,} validate {validated:7.1f}  {events / validated:>10,.0f}")
            results = {kind: _measure(kind, staged) for kind in ("duckdb", "ibis", "pandas")}
            raw_rate = events / results["duckdb"]["seconds"]
            for kind, result in results.items():
                rate = events / result["seconds"]
                print(
                    f"{events:>9,} {kind:<7} {result['seconds']:7.1f}  {rate:>10,.0f}  "
                    f"{result['peak_gib']:9.2f}  {rate / raw_rate:6.2f}"
                )


if __name__ == "__main__":
    main()
