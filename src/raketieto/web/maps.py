"""Choropleth maps of a ranking: raw values, or the comparison with the country (Fingertips)."""

from __future__ import annotations

from dataclasses import dataclass

from raketieto.catalogue.models import Unit
from raketieto.regions import Region
from raketieto.reports.ranking import Ranking, RankingRow
from raketieto.web import format as fmt
from raketieto.web.charts import (
    GEO_FILES,
    Gettext,
    Spec,
    base_spec,
    synthetic_word,
)
from raketieto.web.legend import Chart, LegendItem
from raketieto.web.summaries import Labels

# How each geo file names its regions, as a Vega expression giving the canonical code.
GEO_CODE = {
    "yta": "'YTA' + datum.properties.yta_code",
    "hva": "datum.properties.hva_statfin_code",
    "municipality": "'KU' + datum.properties.municipality_code",
}
NO_DATA = "#d4d4d4"
SUPPRESSED = "#8c8c8c"
OUTLINE = "#000000"
# The middle of Vega's "blues" scheme, standing for the values map's colours in the legend.
VALUES_SWATCH = "#6baed6"
BORDER = "#6f6f6f"
# Fingertips' colours of the comparison with the benchmark; neutral indicators get blues.
COMPARISON_COLOURS = {
    "better": "#92D050",
    "similar": "#FFC000",
    "worse": "#C00000",
    "higher": "#1F3E9E",
    "lower": "#A9C4F5",
    "not_compared": "#FFFFFF",
}
WIDTH = 340
HEIGHT = 460


@dataclass(frozen=True)
class Maps:
    """The two maps of one ranking, drawn one at a time by the switch beside them."""

    values: Chart
    comparison: Chart


def _status(row: RankingRow) -> str:
    if row.cell is None or (row.cell.value is None and not row.cell.suppressed):
        return "missing"
    return "suppressed" if row.cell.suppressed else "value"


def _records(ranked: Ranking, lang: str, _: Gettext) -> list[Spec]:
    labels = Labels(_, lang)
    words = {key: labels.comparison(key) for key in COMPARISON_COLOURS}
    hidden, missing, synthetic = _("salattu"), _("ei tietoa"), synthetic_word(_)
    records = []
    for row in ranked.rows:
        status = _status(row)
        cell = row.cell
        if status == "value" and cell is not None:
            text = fmt.number(cell.value, ranked.decimals, lang)
            comparison = cell.comparison
            comparison_text = words.get(comparison, comparison)
        elif status == "suppressed":
            text = comparison = comparison_text = hidden
        else:
            text = comparison = comparison_text = missing
        note = synthetic if cell is not None and cell.synthetic else ""
        records.append(
            {
                "code": row.region_code,
                "name": row.region_name,
                "status": status,
                "value": cell.value if status == "value" and cell is not None else None,
                "value_text": text,
                "comparison": comparison,
                "comparison_text": comparison_text,
                "note": note,
                "synthetic": cell is not None and cell.synthetic,
            }
        )
    return records


def _spec(
    ranked: Ranking,
    geo_url: str,
    geo_name: str,
    description: str,
    lang: str,
    _: Gettext,
    fill: Spec,
    outline: tuple[str, str] | None,
) -> Spec:
    records = _records(ranked, lang, _)
    synthetic = any(r["note"] for r in records)
    tooltip = [
        {"field": "name", "title": _("Alue")},
        {"field": "value_text", "title": _("Arvo")},
        {"field": "comparison_text", "title": _("Vertailu koko maahan")},
    ]
    if synthetic:
        tooltip.append({"field": "note", "title": _("Huom.")})
    fields = ["name", "status", "value", "value_text", "comparison", "comparison_text"]
    spec = base_spec(description)
    spec.update(
        {
            "width": WIDTH,
            "height": HEIGHT,
            "data": {"url": geo_url, "format": {"type": "json", "property": "features"}},
            "projection": {"type": "mercator"},
            "transform": [
                {"calculate": GEO_CODE[geo_name], "as": "code"},
                {"filter": {"field": "code", "oneOf": [r["code"] for r in records]}},
                {
                    "lookup": "code",
                    "from": {
                        "data": {"values": records},
                        "key": "code",
                        "fields": [*fields, "note"],
                    },
                },
            ],
            "layer": [
                {
                    "mark": {"type": "geoshape", "stroke": BORDER, "strokeWidth": 0.4},
                    "encoding": {
                        "color": {
                            "condition": [
                                {"test": "datum.status === 'missing'", "value": NO_DATA},
                                {"test": "datum.status === 'suppressed'", "value": SUPPRESSED},
                            ],
                            **fill,
                        },
                        "tooltip": tooltip,
                    },
                },
            ],
        }
    )
    if outline is not None:
        spec["layer"].append(_outline_layer(*outline))
    return spec


def _outline_layer(code: str, geo_name: str) -> Spec:
    # The chosen area's own boundary, from its level's file, so that a county shown by its
    # municipalities is outlined as one area rather than as each of its municipalities.
    return {
        "name": "chosen_outline",
        "data": {
            "url": f"/geo/{geo_name}.json",
            "format": {"type": "json", "property": "features"},
        },
        "transform": [
            {"calculate": GEO_CODE[geo_name], "as": "code"},
            {"filter": {"field": "code", "equal": code}},
        ],
        "mark": {"type": "geoshape", "filled": False, "stroke": OUTLINE, "strokeWidth": 2.5},
    }


def _common_legend(outline: tuple[str, str] | None, _: Gettext) -> list[LegendItem]:
    items = [
        LegendItem(_("ei tietoa"), NO_DATA, "swatch"),
        LegendItem(_("salattu"), SUPPRESSED, "swatch"),
    ]
    if outline is not None:
        items.append(LegendItem(_("Valittu alue"), OUTLINE, "outline"))
    return items


def map_charts(
    ranked: Ranking,
    geo_name: str,
    *,
    chosen: Region,
    description: str,
    lang: str,
    _: Gettext,
) -> Maps:
    """The map of the ranking's values and the map of its comparison with the country.

    The chosen area is outlined (unless it is the whole country), also when it fills the map.
    """
    geo_url = f"/geo/{geo_name}.json"
    chosen_geo = GEO_FILES.get(chosen.level)
    outline = None
    if chosen_geo is not None:
        outline = (chosen.code, chosen_geo)
    symbol = Unit(ranked.unit).symbol(lang)
    title = f"{symbol}, {ranked.year}" if ranked.year is not None else symbol
    values_fill: Spec = {
        "field": "value",
        "type": "quantitative",
        "scale": {"scheme": "blues"},
        "legend": {
            "title": title,
            "orient": "bottom",
            "direction": "horizontal",
            "titleLimit": WIDTH,
            "gradientLength": 240,
        },
    }
    values = _spec(ranked, geo_url, geo_name, description, lang, _, values_fill, outline)
    # The values map keeps Vega's gradient legend: a continuous scale has no HTML twin.
    values["config"] = {**values["config"], "legend": {"labelFontSize": 12, "titleFontSize": 12}}
    labels = Labels(_, lang)
    shown = {r.cell.comparison for r in ranked.rows if r.cell is not None and not r.cell.suppressed}
    present = [key for key in COMPARISON_COLOURS if key in shown]
    compare_fill: Spec = {
        "field": "comparison",
        "type": "nominal",
        "scale": {
            "domain": list(COMPARISON_COLOURS),
            "range": list(COMPARISON_COLOURS.values()),
        },
        "legend": None,
    }
    comparison = _spec(ranked, geo_url, geo_name, description, lang, _, compare_fill, outline)
    # Synthetic values are named in the legend as well as in each area's tooltip.
    suffix = f" ({synthetic_word(_)})" if ranked.has_synthetic else ""
    compare_legend = [
        LegendItem(
            f"{labels.comparison_symbol(key)} {labels.comparison(key)}".strip() + suffix,
            COMPARISON_COLOURS[key],
            "swatch",
        )
        for key in present
    ]
    values_legend = [LegendItem(_("arvot") + suffix, VALUES_SWATCH, "swatch")] if suffix else []
    return Maps(
        Chart(values, [*values_legend, *_common_legend(outline, _)]),
        Chart(comparison, [*compare_legend, *_common_legend(outline, _)]),
    )
