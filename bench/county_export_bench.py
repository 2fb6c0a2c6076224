"""Where a county's knowledge-base workbook spends its time, on a cube already built (read-only).

Runs the export as bench/scale_bench.py's child_export does (county_knowledge_base_columns,
then write_xlsx into a temporary file) --repeat times and prints, for each run, its phases:

- open: the table's summary query (rows, definitions, regions),
- sample: the first rows fitting the widths and the distinct values of the string columns,
- rows: waiting for DuckDB's batches of row XML (the sort and the XML made in SQL),
- zip: the rest of the workbook's writing (deflate, CRC, the file; the other sheets),
- cpu: the process's CPU seconds (all its threads: on a shared machine, what the work costs),

then the medians, the Python peak (tracemalloc, one further run), the process's maximum RSS and
the load average. Nothing is written to the cube.

    .venv/bin/python bench/county_export_bench.py \\
        --data-dir /work/scale/20M/data --catalogue-dir /work/scale/20M/catalogue
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from raketieto.catalogue import load_catalogue
from raketieto.cube.query import CubeReader
from raketieto.exports import xlsx
from raketieto.regions import load_division
from raketieto.reports import tidy
from raketieto.settings import Settings

MIB = 1024 * 1024


class Phases:
    """Seconds spent in the export's phases, by wrapping the functions that do them."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def timed_call(self, name: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - start)

        return wrapper

    def timed_stream(self, function: Any) -> Any:
        def wrapper(batches: Iterable[Any]) -> Iterator[Any]:
            source = iter(batches)
            while True:
                start = time.perf_counter()
                batch = next(source, None)
                self.add("rows", time.perf_counter() - start)
                if batch is None:
                    return
                yield from function([batch])

        return wrapper


def export(
    settings: Settings, catalogue: Any, division: Any, county: str, phases: Phases | None
) -> dict[str, float]:
    originals = (
        xlsx.arrow_chunks,
        tidy.ColumnarTable.rows,
        tidy.ColumnarTable.distinct,
    )
    if phases is not None:
        xlsx.arrow_chunks = phases.timed_stream(xlsx.arrow_chunks)  # type: ignore[assignment]
        tidy.ColumnarTable.rows = phases.timed_call("sample", tidy.ColumnarTable.rows)  # type: ignore[method-assign]
        tidy.ColumnarTable.distinct = phases.timed_call("sample", tidy.ColumnarTable.distinct)  # type: ignore[method-assign]
    try:
        with CubeReader.open(settings) as reader:
            start, start_cpu = time.perf_counter(), time.process_time()
            with tidy.county_knowledge_base_columns(reader, catalogue, division, county) as table:
                opened = time.perf_counter()
                with tempfile.TemporaryFile() as target:
                    xlsx.write_xlsx(table, target)
                    size = target.tell()
                end = time.perf_counter()
        result = {
            "cpu": time.process_time() - start_cpu,
            "total": end - start,
            "open": opened - start,
            "rows_n": table.total,
            "mb": size / 1e6,
        }
        if phases is not None:
            rest = end - opened
            result.update(phases.seconds)
            result["zip"] = (
                rest - phases.seconds.get("sample", 0.0) - phases.seconds.get("rows", 0.0)
            )
        return result
    finally:
        xlsx.arrow_chunks, tidy.ColumnarTable.rows, tidy.ColumnarTable.distinct = originals  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--catalogue-dir", type=Path, required=True)
    parser.add_argument("--county", default="HVA19")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir, catalogue_dir=args.catalogue_dir)
    # Loaded once, outside the runs and the traced one (as scale_bench's child_export does).
    catalogue = load_catalogue(settings.catalogue_dir)
    division = load_division(None)
    runs = []
    for run in range(args.repeat):
        result = export(settings, catalogue, division, args.county, Phases())
        runs.append(result)
        shown = ", ".join(
            f"{k} {result[k]:.2f} s"
            for k in ("total", "open", "sample", "rows", "zip")
            if k in result
        )
        print(f"run {run + 1}: {shown}; {int(result['rows_n']):,} rows, {result['mb']:.1f} MB")
    medians = {
        k: statistics.median(r[k] for r in runs)
        for k in ("total", "cpu", "open", "sample", "rows", "zip")
    }
    tracemalloc.start()
    export(settings, catalogue, division, args.county, None)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(
        "median: "
        + ", ".join(f"{k} {v:.2f} s" for k, v in medians.items())
        + f"; Python peak {top / MIB:.1f} MiB, max RSS {rss:.0f} MiB, load {' '.join(load)}"
    )
    print(json.dumps({"median": medians, "python_mib": top / MIB, "rss_mib": rss, "load": load}))


if __name__ == "__main__":
    main()
