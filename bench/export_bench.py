"""Benchmark of the exports: the largest county's whole knowledge base and the largest view.

Measures wall time (median of --repeat runs) and peak memory (tracemalloc peak of the export,
and the process's maximum resident set), and compares writing the workbook (our own streamed
SpreadsheetML, raketieto.exports.ooxml) with writing the same cells with XlsxWriter directly
(no formats, no sheets besides data) and with openpyxl's write-only mode. Goal: under 2 s and
500 MiB for the largest county; the last line of each export says whether it is met.

    .venv/bin/python bench/export_bench.py --data-dir var --repeat 3
"""

from __future__ import annotations

import argparse
import gc
import io
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import openpyxl
import xlsxwriter

from raketieto.catalogue import load_catalogue
from raketieto.cube.query import CubeReader
from raketieto.exports import ExportFormat, render
from raketieto.regions import Level, load_division
from raketieto.reports.tidy import COLUMNS, TidyTable, county_knowledge_base, glance_export
from raketieto.settings import Settings

MIB = 1024 * 1024
GOAL_SECONDS = 2.0
GOAL_MIB = 500.0


CPU: dict[str, float] = {}


def timed(work: Callable[[], Any], repeat: int, name: str = "") -> tuple[float, Any]:
    """Median wall seconds of repeat runs, and the last result; the median CPU seconds go to
    CPU[name] (on a shared machine the CPU time is what the work itself costs)."""
    times, cpu = [], []
    result = None
    for _ in range(repeat):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = work()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU[name] = statistics.median(cpu)
    return statistics.median(times), result


def peak(work: Callable[[], Any]) -> float:
    """Peak Python memory of one run, in MiB."""
    gc.collect()
    tracemalloc.start()
    work()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / MIB


def cells(table: TidyTable) -> list[list[Any]]:
    """The data sheet's cells as plain values (what a direct writer would be handed)."""
    out: list[list[Any]] = [list(COLUMNS)]
    for row in table.rows:
        values = []
        for column in COLUMNS:
            value = getattr(row, column)
            values.append(value.replace(tzinfo=None) if hasattr(value, "tzinfo") else value)
        out.append(values)
    return out


def direct_xlsxwriter(rows: list[list[Any]]) -> bytes:
    """The same cells written with XlsxWriter and nothing else."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for number, values in enumerate(rows):
        sheet.write_row(number, 0, values)
    book.close()
    return buffer.getvalue()


def direct_openpyxl(rows: list[list[Any]]) -> bytes:
    """The same cells written with openpyxl's write-only mode."""
    buffer = io.BytesIO()
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    for values in rows:
        sheet.append(values)
    book.save(buffer)
    return buffer.getvalue()


def largest_county(reader: CubeReader, division: Any) -> str:
    """The county whose knowledge base has the most rows."""
    facts = reader.facts(sex=None, age_group=None)
    counts = facts["region_code"].value_counts().to_dict()
    sizes = {
        county.code: sum(
            counts.get(m.code, 0) for m in division.descendants(county.code, Level.MUNICIPALITY)
        )
        + counts.get(county.code, 0)
        for county in division.at_level(Level.COUNTY)
    }
    return max(sizes, key=lambda code: sizes[code])


def report(name: str, make: Callable[[], TidyTable], repeat: int) -> None:
    """Measure one export end to end and against the direct writers."""
    select_s, table = timed(make, repeat, "select")
    render_s, content = timed(lambda: render(table, ExportFormat.XLSX), repeat, "render")
    total_mib = peak(lambda: render(make(), ExportFormat.XLSX))
    plain = cells(table)
    direct_s, _ = timed(lambda: direct_xlsxwriter(plain), repeat, "direct")
    openpyxl_s, _ = timed(lambda: direct_openpyxl(plain), max(1, repeat // 2), "openpyxl")
    total_s = select_s + render_s
    cpu_total = CPU["select"] + CPU["render"]
    print(f"\n{name}: {len(table.rows):,} rows × {len(COLUMNS)} columns, {len(content):,} bytes")
    print(f"  select (cube -> tidy rows)      {select_s:6.3f} s")
    print(f"  write workbook (4 sheets)       {render_s:6.3f} s")
    print(f"  total                           {total_s:6.3f} s   goal < 2 s")
    print(
        f"  CPU time: select {CPU['select']:.3f} s, write {CPU['render']:.3f} s, "
        f"total {cpu_total:.3f} s; XlsxWriter directly {CPU['direct']:.3f} s, "
        f"openpyxl {CPU['openpyxl']:.3f} s"
    )
    print(f"  peak Python memory (export)     {total_mib:6.1f} MiB goal < 500 MiB")
    ratios = (
        f"ratio write/direct {render_s / direct_s:4.2f}, total/direct {total_s / direct_s:4.2f}"
    )
    print(f"  XlsxWriter, same cells directly {direct_s:6.3f} s   {ratios}")
    slower = openpyxl_s / direct_s
    print(f"  openpyxl write-only, same cells {openpyxl_s:6.3f} s   ({slower:4.2f} × XlsxWriter)")
    for fmt in (ExportFormat.CSV, ExportFormat.CSV_FI, ExportFormat.JSONSTAT):
        seconds, _ = timed(lambda fmt=fmt: render(table, fmt), repeat)
        print(f"  {fmt.value:<8} render                 {seconds:6.3f} s")
    met = total_s < GOAL_SECONDS and total_mib < GOAL_MIB
    print(
        f"  goal (< {GOAL_SECONDS:g} s and < {GOAL_MIB:g} MiB): {'MET' if met else 'NOT MET'} "
        f"(wall {total_s:.3f} s, CPU {cpu_total:.3f} s, peak {total_mib:.1f} MiB)"
    )


def main() -> None:
    """Run the benchmark and print figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="var", help="Folder holding cube/current.duckdb.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per measurement (median).")
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir)
    catalogue = load_catalogue(settings.catalogue_dir)
    division = load_division(settings.division_year)
    with CubeReader.open(settings) as reader:
        county = largest_county(reader, division)
        report(
            f"Knowledge base of the largest county {county} ({division.get(county).name()})",
            lambda: county_knowledge_base(reader, catalogue, division, county),
            args.repeat,
        )
        # The largest view: a phenomenon at a glance for the whole country ranked by municipality.
        candidates = {
            p: glance_export(reader, catalogue, division, "SSS", p, level=Level.MUNICIPALITY)
            for p in catalogue.phenomena
        }
        biggest = max(candidates, key=lambda p: len(candidates[p].rows))
        report(
            f"Largest view: /ilmio/{biggest}/SSS?level=municipality",
            lambda: glance_export(
                reader, catalogue, division, "SSS", biggest, level=Level.MUNICIPALITY
            ),
            args.repeat,
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess maximum resident set: {rss:.0f} MiB (Python, DuckDB, pandas and the above)")


if __name__ == "__main__":
    main()
