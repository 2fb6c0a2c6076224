"""Vega-Lite specifications of the charts; each chart also has a table and a sentence beside it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from raketieto.regions import Level
from raketieto.reports.ranking import Ranking
from raketieto.reports.series import AreaSeries

Spec = dict[str, Any]
Gettext = Callable[..., str]

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# Okabe–Ito colours (safe for colour-blind readers); dashes and shapes carry the same meaning.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]]
SHAPES = ["circle", "square", "triangle-up", "diamond"]
GEO_FILES = {
    Level.COLLABORATIVE_AREA: "yta",
    Level.COUNTY: "hva",
    Level.MUNICIPALITY: "municipality",
}
# How each geo file names its regions, as a Vega expression giving the canonical code.
GEO_CODE = {
    "yta": "'YTA' + datum.properties.yta_code",
    "hva": "datum.properties.hva_statfin_code",
    "municipality": "'KU' + datum.properties.municipality_code",
}


def _base(description: str) -> Spec:
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": "container",
        "config": {
            "font": "system-ui, sans-serif",
            "axis": {"labelFontSize": 12, "titleFontSize": 12},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
        },
    }


def trend_spec(series: list[AreaSeries], unit: str, description: str, _: Gettext) -> Spec:
    """Lines of each area over the years with their 95 % confidence band."""
    values = [
        {
            "area": s.region_name,
            "year": p.year,
            "value": p.value,
            "lower": p.ci_lower,
            "upper": p.ci_upper,
            "synthetic": p.synthetic,
        }
        for s in series
        for p in s.points
        if p.value is not None
    ]
    names = [s.region_name for s in series]
    colour = {
        "field": "area",
        "type": "nominal",
        "title": _("Alue"),
        "scale": {"domain": names, "range": PALETTE[: len(names)]},
    }
    x = {"field": "year", "type": "quantitative", "title": _("Vuosi"), "axis": {"format": "d"}}
    y_title = unit
    band: Spec = {
        "mark": {"type": "area", "opacity": 0.18},
        "transform": [{"filter": "isValid(datum.lower) && isValid(datum.upper)"}],
        "encoding": {
            "x": x,
            "y": {"field": "lower", "type": "quantitative", "title": y_title},
            "y2": {"field": "upper"},
            "color": {**colour, "legend": None},
        },
    }
    line: Spec = {
        "mark": {"type": "line", "point": {"filled": True, "size": 40}},
        "encoding": {
            "x": x,
            "y": {"field": "value", "type": "quantitative", "title": y_title},
            "color": colour,
            "strokeDash": {
                "field": "area",
                "type": "nominal",
                "title": _("Alue"),
                "scale": {"domain": names, "range": DASHES[: len(names)]},
            },
            "shape": {
                "field": "area",
                "type": "nominal",
                "title": _("Alue"),
                "scale": {"domain": names, "range": SHAPES[: len(names)]},
            },
            "tooltip": [
                {"field": "area", "title": _("Alue")},
                {"field": "year", "title": _("Vuosi")},
                {"field": "value", "title": _("Arvo")},
            ],
        },
    }
    has_band = any(v["lower"] is not None and v["upper"] is not None for v in values)
    spec = _base(description)
    spec.update(
        {"height": 220, "data": {"values": values}, "layer": [band, line] if has_band else [line]}
    )
    return spec


def ranking_spec(ranked: Ranking, unit: str, description: str, _: Gettext) -> Spec:
    """Areas ordered by value with 95 % confidence intervals as error bars."""
    values = [
        {
            "area": r.region_name,
            "value": r.cell.value,
            "lower": r.cell.ci_lower,
            "upper": r.cell.ci_upper,
            "chosen": r.highlighted,
            "synthetic": r.cell.synthetic,
        }
        for r in ranked.ranked
        if r.cell is not None
    ]
    y = {"field": "area", "type": "nominal", "sort": None, "title": None}
    layers: list[Spec] = [
        {
            "mark": {"type": "rule", "strokeWidth": 1.5},
            "transform": [{"filter": "isValid(datum.lower) && isValid(datum.upper)"}],
            "encoding": {
                "y": y,
                "x": {"field": "lower", "type": "quantitative", "title": unit},
                "x2": {"field": "upper"},
                "color": {"value": "#555555"},
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 70},
            "encoding": {
                "y": y,
                "x": {"field": "value", "type": "quantitative", "title": unit},
                "color": {
                    "field": "chosen",
                    "type": "nominal",
                    "scale": {"domain": [True, False], "range": [PALETTE[1], PALETTE[0]]},
                    "legend": None,
                },
                "shape": {
                    "field": "chosen",
                    "type": "nominal",
                    "scale": {"domain": [True, False], "range": ["diamond", "circle"]},
                    "legend": None,
                },
                "tooltip": [
                    {"field": "area", "title": _("Alue")},
                    {"field": "value", "title": _("Arvo")},
                ],
            },
        },
    ]
    if ranked.country_value is not None:
        layers.append(
            {
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#000000"},
                "data": {"values": [{"country": ranked.country_value}]},
                "encoding": {"x": {"field": "country", "type": "quantitative"}},
            }
        )
    spec = _base(description)
    spec.update({"height": max(60, 18 * len(values)), "data": {"values": values}, "layer": layers})
    return spec


def map_spec(ranked: Ranking, geo_url: str, geo_name: str, description: str, _: Gettext) -> Spec:
    """A choropleth of the ranked areas; areas without a value are drawn grey."""
    codes = [r.region_code for r in ranked.rows]
    values = [
        {"code": r.region_code, "value": r.cell.value, "synthetic": r.cell.synthetic}
        for r in ranked.rows
        if r.cell is not None and r.cell.value is not None
    ]
    spec = _base(description)
    spec.update(
        {
            "height": 420,
            "data": {"url": geo_url, "format": {"type": "json", "property": "features"}},
            "projection": {"type": "mercator"},
            "transform": [
                {"calculate": GEO_CODE[geo_name], "as": "code"},
                {"filter": {"field": "code", "oneOf": codes}},
                {
                    "lookup": "code",
                    "from": {"data": {"values": values}, "key": "code", "fields": ["value"]},
                },
            ],
            "layer": [
                {
                    "mark": {"type": "geoshape", "fill": "#d9d9d9", "stroke": "#ffffff"},
                },
                {
                    "mark": {"type": "geoshape", "stroke": "#ffffff"},
                    "transform": [{"filter": "isValid(datum.value)"}],
                    "encoding": {
                        "color": {
                            "field": "value",
                            "type": "quantitative",
                            "title": ranked.label,
                            "scale": {"scheme": "blues"},
                        },
                        "tooltip": [
                            {"field": "code", "title": _("Alue")},
                            {"field": "value", "title": _("Arvo")},
                        ],
                    },
                },
            ],
        }
    )
    return spec


def geo_name_for(level: Level) -> str | None:
    """The shipped geo file for a level, or None for the country."""
    return GEO_FILES.get(level)
