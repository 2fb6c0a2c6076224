"""The spine chart of the area profile: one bar per indicator, the counties' spread behind it."""

from __future__ import annotations

from raketieto.reports.spine import Spine
from raketieto.web import format as fmt
from raketieto.web.charts import Gettext, Spec, base_spec, synthetic_word
from raketieto.web.legend import Chart, LegendItem
from raketieto.web.maps import COMPARISON_COLOURS
from raketieto.web.summaries import Labels

RANGE = "#d0d0d0"
MIDDLE = "#8a8a8a"
COUNTRY = "#000000"
SHAPES = {
    "better": "triangle-up",
    "worse": "triangle-down",
    "similar": "circle",
    "higher": "triangle-up",
    "lower": "triangle-down",
    "not_compared": "square",
}


def spine_chart(spine: Spine, *, lang: str, description: str, _: Gettext) -> Chart:
    """Fingertips' area profile: worst county left, best right, the country in the middle."""
    labels = Labels(_, lang)
    values = []
    for row in spine.rows:
        low, high = sorted((row.position(row.lowest), row.position(row.highest)))
        q1, q3 = sorted((row.position(row.lower_quartile), row.position(row.upper_quartile)))
        values.append(
            {
                "indicator": f"{row.label} ({row.year})",
                "low": low,
                "high": high,
                "q1": q1,
                "q3": q3,
                "area": row.position(row.value),
                "comparison": row.comparison,
                "value_text": fmt.number(row.value, row.decimals, lang),
                "country_text": fmt.number(row.country, row.decimals, lang),
                "range_text": f"{fmt.number(row.lowest, row.decimals, lang)}–"
                f"{fmt.number(row.highest, row.decimals, lang)}",
                "comparison_text": labels.comparison(row.comparison),
                "note": synthetic_word(_) if row.synthetic else "",
            }
        )
    y = {
        "field": "indicator",
        "type": "nominal",
        "sort": None,
        "title": None,
        "axis": {"labelLimit": 260},
    }
    x_axis = {"type": "quantitative", "scale": {"domain": [0, 1]}, "axis": None}
    tooltip = [
        {"field": "indicator", "title": _("Indikaattori")},
        {"field": "value_text", "title": _("Alue")},
        {"field": "country_text", "title": _("Koko maa")},
        {"field": "range_text", "title": _("Hyvinvointialueiden vaihteluväli")},
        {"field": "comparison_text", "title": _("Vertailu koko maahan")},
    ]
    if spine.has_synthetic:
        tooltip.append({"field": "note", "title": _("Huom.")})
    layers: list[Spec] = [
        {
            "mark": {"type": "bar", "color": RANGE, "height": 14},
            "encoding": {"y": y, "x": {"field": "low", **x_axis}, "x2": {"field": "high"}},
        },
        {
            "mark": {"type": "bar", "color": MIDDLE, "height": 14},
            "encoding": {"y": y, "x": {"field": "q1", **x_axis}, "x2": {"field": "q3"}},
        },
        {
            "mark": {"type": "rule", "color": COUNTRY, "strokeWidth": 2},
            "encoding": {"x": {"datum": 0.5, **x_axis}},
        },
        {
            "mark": {"type": "point", "filled": True, "size": 110, "stroke": "#000000"},
            "encoding": {
                "y": y,
                "x": {"field": "area", **x_axis},
                "color": {
                    "field": "comparison",
                    "type": "nominal",
                    "scale": {
                        "domain": list(COMPARISON_COLOURS),
                        "range": list(COMPARISON_COLOURS.values()),
                    },
                    "legend": None,
                },
                "shape": {
                    "field": "comparison",
                    "type": "nominal",
                    "scale": {"domain": list(SHAPES), "range": list(SHAPES.values())},
                },
                "tooltip": tooltip,
            },
        },
    ]
    spec = base_spec(description)
    spec.update({"height": max(60, 26 * len(values)), "data": {"values": values}, "layer": layers})
    shown = {r.comparison for r in spine.rows}
    area = _("Alue") + (f" ({synthetic_word(_)})" if spine.has_synthetic else "")
    legend = [
        LegendItem(_("Hyvinvointialueiden vaihteluväli (huonoin–paras)"), RANGE, "band"),
        LegendItem(_("Keskimmäinen puolisko (25.–75. prosenttipiste)"), MIDDLE, "band"),
        LegendItem(_("Koko maa"), COUNTRY, "rule"),
        *(
            LegendItem(
                f"{area}: {labels.comparison(key)}",
                COMPARISON_COLOURS[key],
                "point",
                SHAPES[key],
            )
            for key in COMPARISON_COLOURS
            if key in shown
        ),
    ]
    return Chart(spec, legend)
