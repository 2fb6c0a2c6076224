"""Statistics for indicator values: confidence intervals, comparison with the country, trend."""

from raketieto.stats.compare import Comparison, compare, compare_array
from raketieto.stats.intervals import interval_for_unit, wilson, wilson_array
from raketieto.stats.trend import Trend, TrendResult, chi_square_for_trend, recent_trend

__all__ = [
    "Comparison",
    "Trend",
    "TrendResult",
    "chi_square_for_trend",
    "compare",
    "compare_array",
    "interval_for_unit",
    "recent_trend",
    "wilson",
    "wilson_array",
]
