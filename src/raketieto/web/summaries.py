"""One-sentence summaries of charts and the words for codes, in the page's language."""

from __future__ import annotations

from collections.abc import Callable

from raketieto.catalogue.models import Unit
from raketieto.reports.phenomenon_view import PhenomenonView
from raketieto.reports.ranking import Ranking
from raketieto.reports.series import AreaSeries
from raketieto.reports.situation import IndicatorSummary
from raketieto.reports.spine import Spine
from raketieto.web import format as fmt

Gettext = Callable[..., str]


class Labels:
    """Words for the codes the data functions use, in one language (never colour alone)."""

    def __init__(self, _: Gettext, lang: str) -> None:
        self._ = _
        self.lang = lang

    def comparison(self, key: str) -> str:
        """The comparison with the whole country in words."""
        _ = self._
        texts = {
            "better": _("parempi kuin koko maa"),
            "similar": _("sama kuin koko maa"),
            "worse": _("huonompi kuin koko maa"),
            "higher": _("korkeampi kuin koko maa"),
            "lower": _("matalampi kuin koko maa"),
            "not_compared": _("ei vertailua"),
        }
        return texts.get(key, key)

    def comparison_symbol(self, key: str) -> str:
        """A symbol that repeats the comparison's meaning without colour."""
        return {"better": "▲", "worse": "▼", "similar": "●", "higher": "△", "lower": "▽"}.get(
            key, "–"
        )

    def trend(self, key: str) -> str:
        """The recent-trend marker in words, with an arrow."""
        _ = self._
        texts = {
            "increasing": "↑ " + _("kasvava"),
            "decreasing": "↓ " + _("laskeva"),
            "increasing_small": "↗ " + _("kasvava, mutta muutos on pieni"),
            "decreasing_small": "↘ " + _("laskeva, mutta muutos on pieni"),
            "no_significant_change": "→ " + _("ei merkitsevää muutosta"),
            "not_enough_data": _("liian vähän tietoa"),
        }
        return texts.get(key, key)

    def polarity(self, key: str) -> str:
        """Whether higher is better, in words."""
        _ = self._
        texts = {
            "higher_is_better": _("suurempi arvo on parempi"),
            "lower_is_better": _("pienempi arvo on parempi"),
            "neutral": _("arvo ei ole sinänsä hyvä tai huono"),
        }
        return texts.get(key, key)

    def sex(self, key: str) -> str:
        """A sex category."""
        _ = self._
        return {"female": _("naiset"), "male": _("miehet"), "total": _("yhteensä")}.get(key, key)

    def unit(self, key: str) -> str:
        """The unit's short symbol."""
        try:
            return Unit(key).symbol(self.lang)
        except ValueError:
            return key

    def value_unit(self, key: str) -> str:
        """The unit as written after a value: none for counts ('248 815', not '248 815 antal')."""
        return "" if key == Unit.COUNT.value else self.unit(key)

    def suppressed(self, reason: str | None) -> str:
        """Why a value is hidden."""
        _ = self._
        if reason:
            return _("salattu: %(reason)s", reason=reason)
        return _("salattu tietosuojan vuoksi (pieni lukumäärä)")


def _unit(key: str, lang: str) -> str:
    if key == Unit.COUNT.value:
        return ""  # a count is a plain number; 'antal' or 'number' after it reads wrongly
    try:
        return Unit(key).symbol(lang)
    except ValueError:
        return key


def trend(summary: IndicatorSummary, series: list[AreaSeries], lang: str, _: Gettext) -> str:
    """The trend chart in one sentence: the latest value, the country's and the direction."""
    labels = Labels(_, lang)
    area = series[0].region_name if series else ""
    if summary.value is None:
        return _("%(area)s: %(label)s – ei arvoa.", area=area, label=summary.label)
    first = next((p for p in series[0].points if p.value is not None), None) if series else None
    synthetic = any(p.synthetic and p.value is not None for s in series for p in s.points)
    sentence = _(
        "%(area)s: %(label)s oli %(value)s vuonna %(year)s (koko maa %(country)s; "
        "vuonna %(first_year)s %(first)s); viimeaikainen kehitys: %(trend)s.",
        area=area,
        label=summary.label,
        # The unit goes with the number; a count has none, so no stray space is left.
        value=" ".join(
            part
            for part in (
                fmt.number(summary.value, summary.decimals, lang),
                _unit(summary.unit, lang),
            )
            if part
        ),
        year=summary.year,
        country=fmt.number(summary.country_value, summary.decimals, lang),
        first_year=first.year if first else "–",
        first=fmt.number(first.value if first else None, summary.decimals, lang),
        trend=labels.trend(summary.trend),
    )
    return sentence + synthetic_note(synthetic, _)


def synthetic_note(flag: bool, _: Gettext) -> str:
    """The sentence that says a summary's numbers include synthetic ones, or nothing."""
    return " " + _("Osa luvuista on synteettisiä esimerkkitietoja.") if flag else ""


def ranking(ranked: Ranking, lang: str, _: Gettext) -> str:
    """The ranking in one sentence: the highest, the lowest and where the chosen area stands."""
    rows = ranked.ranked
    if not rows:
        return _("%(label)s: ei arvoja valitulla tasolla.", label=ranked.label)
    top, bottom = rows[0], rows[-1]
    chosen = next((r for r in rows if r.highlighted), None)
    text = _(
        "%(label)s vuonna %(year)s: korkein arvo %(top_value)s (%(top)s), matalin %(bottom_value)s "
        "(%(bottom)s), %(count)s aluetta",
        label=ranked.label,
        year=ranked.year,
        top=top.region_name,
        top_value=fmt.number(top.cell.value if top.cell else None, ranked.decimals, lang),
        bottom=bottom.region_name,
        bottom_value=fmt.number(bottom.cell.value if bottom.cell else None, ranked.decimals, lang),
        count=len(rows),
    )
    if chosen is not None:
        text += _("; %(area)s on sijalla %(rank)s", area=chosen.region_name, rank=chosen.rank)
    return text + "." + synthetic_note(ranked.has_synthetic, _)


def series(view: PhenomenonView, lang: str, _: Gettext) -> str:
    """The time series of the phenomenon view in one sentence."""
    parts = []
    synthetic = False
    for one in view.series:
        last = next((p for p in reversed(one.points) if p.value is not None), None)
        if last is not None:
            synthetic = synthetic or last.synthetic
            parts.append(
                _(
                    "%(area)s %(value)s (%(year)s)",
                    area=one.region_name,
                    value=fmt.number(last.value, view.decimals, lang),
                    year=last.year,
                )
            )
    if not parts:
        return _("%(label)s: ei arvoja.", label=view.indicator_label)
    return _(
        "%(label)s, viimeisimmät arvot: %(values)s.",
        label=view.indicator_label,
        values="; ".join(parts),
    ) + synthetic_note(synthetic, _)


def spine(data: Spine, area: str, lang: str, _: Gettext) -> str:
    """The area profile in one sentence: how many indicators are better, similar or worse."""
    counts = {key: sum(1 for r in data.rows if r.comparison == key) for key in COUNTED}
    labels = Labels(_, lang)
    parts = ", ".join(f"{labels.comparison(key)} {count}" for key, count in counts.items() if count)
    return _(
        "%(area)s: %(count)s indikaattoria hyvinvointialueiden vaihteluvälin rinnalla; %(parts)s.",
        area=area,
        count=len(data.rows),
        parts=parts or _("ei vertailua"),
    )


COUNTED = ("better", "similar", "worse", "higher", "lower", "not_compared")
