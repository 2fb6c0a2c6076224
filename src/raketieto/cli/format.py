"""Number and label formatting for the terminal, Finnish conventions first."""

from __future__ import annotations

_COMPARISON = {
    "fi": {"better": "parempi", "similar": "sama", "worse": "huonompi", "higher": "korkeampi",
           "lower": "matalampi", "not_compared": "–"},
    "sv": {"better": "bättre", "similar": "likvärdig", "worse": "sämre", "higher": "högre",
           "lower": "lägre", "not_compared": "–"},
    "en": {"better": "better", "similar": "similar", "worse": "worse", "higher": "higher",
           "lower": "lower", "not_compared": "–"},
}  # fmt: skip
_TREND = {
    "fi": {"increasing": "↑ kasvaa", "decreasing": "↓ laskee",
           "increasing_small": "↗ kasvaa vähän", "decreasing_small": "↘ laskee vähän",
           "no_significant_change": "→ ei merkitsevää muutosta", "not_enough_data": "–"},
    "sv": {"increasing": "↑ ökar", "decreasing": "↓ minskar",
           "increasing_small": "↗ ökar något", "decreasing_small": "↘ minskar något",
           "no_significant_change": "→ ingen signifikant förändring", "not_enough_data": "–"},
    "en": {"increasing": "↑ increasing", "decreasing": "↓ decreasing",
           "increasing_small": "↗ rising slightly", "decreasing_small": "↘ falling slightly",
           "no_significant_change": "→ no significant change", "not_enough_data": "–"},
}  # fmt: skip


def format_value(value: float | None, decimals: int) -> str:
    """'12 345,6' style: narrow no-break space for thousands, decimal comma."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def format_change(value: float | None, decimals: int) -> str:
    """A signed change, or an en dash when there is nothing to compare with."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return sign + format_value(abs(value), decimals)


def comparison_text(comparison: str, lang: str) -> str:
    """The comparison with the whole country, as words (never colour alone)."""
    return _COMPARISON[lang].get(comparison, comparison)


def trend_text(trend: str, lang: str) -> str:
    """The recent-trend marker with an arrow and words."""
    return _TREND[lang].get(trend, trend)
