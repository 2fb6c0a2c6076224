"""Vega-Lite specifications of the charts; each chart also has a legend, a table and a sentence."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from raketieto.catalogue.models import Unit
from raketieto.regions import Level
from raketieto.reports.cells import Cell
from raketieto.reports.ranking import Ranking
from raketieto.reports.series import AreaSeries
from raketieto.web import format as fmt
from raketieto.web.legend import Chart, LegendItem

Spec = dict[str, Any]
Gettext = Callable[..., str]

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# Okabe–Ito colours (safe for colour-blind readers); dashes and shapes carry the same meaning.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]]
SHAPES = ["circle", "square", "triangle-up", "diamond"]
INTERVAL_COLOUR = "#555555"
BAND_OPACITY = 0.25
COUNTRY_COLOUR = "#000000"
GEO_FILES = {
    Level.COLLABORATIVE_AREA: "yta",
    Level.COUNTY: "hva",
    Level.MUNICIPALITY: "municipality",
}


def base_spec(description: str) -> Spec:
    """What every chart shares: the schema, the font, the width of its container, no legends."""
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": "container",
        "config": {
            "font": "system-ui, sans-serif",
            "axis": {"labelFontSize": 12, "titleFontSize": 12},
            "legend": {"disable": True},
        },
    }


def synthetic_word(_: Gettext) -> str:
    """The word that labels a synthetic value in charts."""
    return _("synteettinen")


def _labelled(name: str, synthetic: bool, _: Gettext) -> str:
    return f"{name} ({synthetic_word(_)})" if synthetic else name


@functools.lru_cache(maxsize=1 << 16)
def _number(value: float | None, decimals: int, lang: str) -> str:
    # The country's series is on every area's page: its numbers are formatted once.
    return fmt.number(value, decimals, lang)


def _point_texts(cell: Cell, decimals: int, lang: str, word: str) -> dict[str, Any]:
    """The tooltip's texts of one point; word is the synthetic label, looked up once a chart."""
    interval = "–"
    if cell.ci_lower is not None and cell.ci_upper is not None:
        interval = (
            f"{_number(cell.ci_lower, decimals, lang)}–{_number(cell.ci_upper, decimals, lang)}"
        )
    return {
        "value_text": _number(cell.value, decimals, lang),
        "interval_text": interval,
        "note": word if cell.synthetic else "",
    }


def _tooltip(_: Gettext, *, year: bool, synthetic: bool) -> list[Spec]:
    fields: list[Spec] = [{"field": "area", "title": _("Alue")}]
    if year:
        fields.append({"field": "year", "title": _("Vuosi")})
    fields.append({"field": "value_text", "title": _("Arvo")})
    fields.append({"field": "interval_text", "title": _("95 %:n luottamusväli")})
    if synthetic:
        fields.append({"field": "note", "title": _("Huom.")})
    return fields


def is_count(unit: str) -> bool:
    """True for plain counts, whose sizes differ by area too much to share one axis."""
    return unit == Unit.COUNT.value


def trend_chart(
    series: Sequence[AreaSeries],
    *,
    unit: str,
    decimals: int,
    lang: str,
    description: str,
    _: Gettext,
) -> Chart:
    """Each area's values over the years with their 95 % band; one year is drawn as dots.

    Counts of different areas (a county beside the whole country) get one panel each with its
    own axis, so the smaller series is not flattened against the larger one.
    """
    word = synthetic_word(_)
    drawn = [s for s in series if any(p.value is not None for p in s.points)]
    names = [_labelled(s.region_name, any(p.synthetic for p in s.points), _) for s in drawn]
    values = [
        {
            "area": name,
            "code": s.region_code,
            "year": p.year,
            "value": p.value,
            "lower": p.ci_lower,
            "upper": p.ci_upper,
            "synthetic": p.synthetic,
            **_point_texts(p, decimals, lang, word),
        }
        for s, name in zip(drawn, names, strict=True)
        for p in s.points
        if p.value is not None
    ]
    years = sorted({int(v["year"]) for v in values})
    symbol = Unit(unit).symbol(lang)
    has_band = any(v["lower"] is not None and v["upper"] is not None for v in values)
    synthetic = any(v["note"] for v in values)
    n = len(names)
    colour = {
        "field": "area",
        "type": "nominal",
        "scale": {"domain": names, "range": PALETTE[:n]},
        "legend": None,
    }
    shape = {"field": "area", "type": "nominal", "scale": {"domain": names, "range": SHAPES[:n]}}
    tooltip = _tooltip(_, year=True, synthetic=synthetic)
    single = len(years) == 1
    if single:
        layers = _dot_layers(colour, shape, tooltip, f"{symbol}, {years[0]}", names)
    else:
        layers = _line_layers(colour, shape, tooltip, symbol, years, names, has_band)
    spec = base_spec(description)
    legend = [
        LegendItem(
            name,
            PALETTE[i],
            "point" if single else "line",
            SHAPES[i],
            tuple(DASHES[i]) if DASHES[i] != [1, 0] and not single else (),
        )
        for i, name in enumerate(names)
    ]
    if has_band:
        legend.append(
            LegendItem(_("95 %:n luottamusväli"), INTERVAL_COLOUR, "rule")
            if single
            else LegendItem(_("95 %:n luottamusväli"), PALETTE[0], "band", opacity=BAND_OPACITY)
        )
    if is_count(unit) and n > 1:
        spec.update(
            {
                "data": {"values": values},
                "facet": {
                    "row": {
                        "field": "area",
                        "type": "nominal",
                        "sort": names,
                        "title": None,
                        "header": {"labelAngle": 0, "labelOrient": "top", "labelAlign": "left"},
                    }
                },
                "spec": {"width": 420, "height": 60 if single else 140, "layer": layers},
                "resolve": {"scale": {"y": "independent", "x": "independent"}},
                "usermeta": {"fitFacet": True},
            }
        )
        del spec["width"]
        return Chart(spec, legend)
    height = max(60, 30 * n) if single else 220
    spec.update({"height": height, "data": {"values": values}, "layer": layers})
    return Chart(spec, legend)


def _line_layers(
    colour: Spec,
    shape: Spec,
    tooltip: list[Spec],
    symbol: str,
    years: list[int],
    names: list[str],
    has_band: bool,
) -> list[Spec]:
    # The axis ends at the last year with data: no padding to a "nice" round year.
    x = {
        "field": "year",
        "type": "quantitative",
        "title": None,
        "scale": {"domain": [years[0], years[-1]], "nice": False, "zero": False},
        "axis": {"format": "d", "tickMinStep": 1, "labelOverlap": True},
    }
    band: Spec = {
        "mark": {"type": "area", "opacity": BAND_OPACITY},
        "transform": [{"filter": "isValid(datum.lower) && isValid(datum.upper)"}],
        "encoding": {
            "x": x,
            "y": {"field": "lower", "type": "quantitative", "title": symbol},
            "y2": {"field": "upper"},
            "color": colour,
        },
    }
    line: Spec = {
        "mark": {"type": "line", "point": {"filled": True, "size": 40}},
        "encoding": {
            "x": x,
            "y": {"field": "value", "type": "quantitative", "title": symbol},
            "color": colour,
            "strokeDash": {
                "field": "area",
                "type": "nominal",
                "scale": {"domain": names, "range": DASHES[: len(names)]},
            },
            "shape": shape,
            "tooltip": tooltip,
        },
    }
    return [band, line] if has_band else [line]


def _dot_layers(
    colour: Spec, shape: Spec, tooltip: list[Spec], title: str, names: list[str]
) -> list[Spec]:
    y = {
        "field": "area",
        "type": "nominal",
        "sort": names,
        "title": None,
        "axis": {"labelLimit": 260},
    }
    return [
        _interval_rule(y, title),
        {
            "mark": {"type": "point", "filled": True, "size": 90},
            "encoding": {
                "y": y,
                "x": {"field": "value", "type": "quantitative", "title": title},
                "color": colour,
                "shape": shape,
                "tooltip": tooltip,
            },
        },
    ]


def ranking_chart(ranked: Ranking, *, lang: str, description: str, _: Gettext) -> Chart:
    """Areas ordered by value with 95 % intervals, the chosen area marked, the country a line."""
    word = synthetic_word(_)
    rows = [r for r in ranked.ranked if r.cell is not None]
    synthetic = any(r.cell is not None and r.cell.synthetic for r in rows)
    chosen = _labelled(_("Valittu alue"), synthetic, _)
    others = _labelled(_("Muut alueet"), synthetic, _)
    values = [
        {
            "area": r.region_name,
            "value": r.cell.value,
            "lower": r.cell.ci_lower,
            "upper": r.cell.ci_upper,
            "code": r.region_code,
            "year": ranked.year,
            "kind": chosen if r.highlighted else others,
            "synthetic": r.cell.synthetic,
            **_point_texts(r.cell, ranked.decimals, lang, word),
        }
        for r in rows
        if r.cell is not None
    ]
    symbol = Unit(ranked.unit).symbol(lang)
    title = f"{symbol}, {ranked.year}" if ranked.year is not None else symbol
    y = {
        "field": "area",
        "type": "nominal",
        "sort": None,
        "title": None,
        "axis": {"labelLimit": 220},
    }
    x_value = {"field": "value", "type": "quantitative", "title": title}
    layers: list[Spec] = [
        _interval_rule(y, title),
        {
            "mark": {"type": "point", "filled": True, "size": 70},
            "encoding": {
                "y": y,
                "x": x_value,
                "color": {
                    "field": "kind",
                    "type": "nominal",
                    "scale": {"domain": [chosen, others], "range": [PALETTE[1], PALETTE[0]]},
                    "legend": None,
                },
                "shape": {
                    "field": "kind",
                    "type": "nominal",
                    "scale": {"domain": [chosen, others], "range": ["diamond", "circle"]},
                },
                "tooltip": [
                    {"field": "kind", "title": _("Merkki")},
                    *_tooltip(_, year=False, synthetic=synthetic),
                ],
            },
        },
    ]
    legend = []
    if any(r.highlighted for r in rows):
        legend.append(LegendItem(chosen, PALETTE[1], "point", "diamond"))
    if not all(r.highlighted for r in rows):
        legend.append(LegendItem(others, PALETTE[0], "point", "circle"))
    if any(v["lower"] is not None for v in values):
        legend.append(LegendItem(_("95 %:n luottamusväli"), INTERVAL_COLOUR, "rule"))
    if ranked.country_value is not None:
        country_text = fmt.number(ranked.country_value, ranked.decimals, lang)
        country_label = _("Koko maa: %(value)s", value=country_text)
        layers.append(
            {
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": COUNTRY_COLOUR},
                "data": {"values": [{"country": ranked.country_value, "text": country_label}]},
                "encoding": {
                    "x": {"field": "country", "type": "quantitative"},
                    "tooltip": [{"field": "text", "title": _("Vertailuviiva")}],
                },
            }
        )
        legend.append(LegendItem(country_label, COUNTRY_COLOUR, "rule", dash=(4, 4)))
    spec = base_spec(description)
    spec.update({"height": max(60, 18 * len(values)), "data": {"values": values}, "layer": layers})
    return Chart(spec, legend)


def _interval_rule(y: Spec, title: str) -> Spec:
    """The 95 % interval of each area as a horizontal rule (areas without one are left out)."""
    return {
        "mark": {"type": "rule", "strokeWidth": 1.5, "color": INTERVAL_COLOUR},
        "transform": [{"filter": "isValid(datum.lower) && isValid(datum.upper)"}],
        "encoding": {
            "y": y,
            "x": {"field": "lower", "type": "quantitative", "title": title},
            "x2": {"field": "upper"},
        },
    }


def geo_name_for(level: Level) -> str | None:
    """The shipped geo file for a level, or None for the country."""
    return GEO_FILES.get(level)
