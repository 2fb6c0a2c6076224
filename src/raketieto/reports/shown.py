"""The cells each view shows, with the indicator and area of each, for its vintage."""

from __future__ import annotations

from raketieto.regions.division import COUNTRY_CODE
from raketieto.reports.cells import Cell
from raketieto.reports.overview import OverviewGrid
from raketieto.reports.phenomenon import PhenomenonGlance
from raketieto.reports.phenomenon_view import PhenomenonView
from raketieto.reports.ranking import Ranking
from raketieto.reports.series import AreaSeries
from raketieto.reports.situation import IndicatorSummary, SituationalPicture
from raketieto.reports.vintage import Shown


def _summary_cell(summary: IndicatorSummary) -> Cell | None:
    if summary.year is None:
        return None
    return Cell(
        summary.year,
        summary.value,
        summary.ci_lower,
        summary.ci_upper,
        summary.comparison,
        summary.suppressed,
        summary.suppression_reason,
        summary.synthetic,
    )


def _series(indicator_id: str, series: list[AreaSeries]) -> list[Shown]:
    return [Shown(indicator_id, s.region_code, p) for s in series for p in s.points]


def _ranking(ranked: Ranking) -> list[Shown]:
    cells = [
        Shown(ranked.indicator_id, row.region_code, row.cell)
        for row in ranked.rows
        if row.cell is not None
    ]
    if ranked.country_cell is not None and ranked.country_value is not None:
        cells.append(Shown(ranked.indicator_id, COUNTRY_CODE, ranked.country_cell))
    return cells


def picture_cells(picture: SituationalPicture, grid: OverviewGrid | None) -> list[Shown]:
    """The tilannekuva's headline values and its overview grid's cells."""
    out = []
    for block in picture.blocks:
        for summary in block.indicators:
            cell = _summary_cell(summary)
            if cell is not None:
                out.append(Shown(summary.indicator_id, picture.region.code, cell))
    if grid is not None:
        for row in grid.rows:
            for column, found in zip(grid.columns, row.cells, strict=True):
                if found is not None:
                    out.append(Shown(row.indicator_id, column.region_code, found))
    return out


def glance_cells(glance: PhenomenonGlance) -> list[Shown]:
    """The glance's headline values, trend points and ranking cells."""
    out = []
    for theme in glance.themes:
        for item in theme.indicators:
            cell = _summary_cell(item.summary)
            if cell is not None:
                out.append(Shown(item.summary.indicator_id, glance.region.code, cell))
            out.extend(_series(item.summary.indicator_id, item.series))
    out.extend(_ranking(glance.ranking))
    return out


def view_cells(view: PhenomenonView) -> list[Shown]:
    """The phenomenon view's comparison, breakdown and series cells."""
    out = _ranking(view.comparison)
    out.extend(
        Shown(view.indicator_id, view.region.code, r.cell) for b in view.breakdowns for r in b.rows
    )
    out.extend(_series(view.indicator_id, view.series))
    return out
