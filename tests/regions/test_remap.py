"""Re-mapping older divisions through the merger table, checked on real population data."""

from __future__ import annotations

import pandas as pd
import pytest

from raketieto.errors import NotFoundError
from raketieto.pipeline import shipped
from raketieto.regions import Level, load_division
from raketieto.regions.remap import code_map, remap_codes, remap_frame


def test_twelve_mergers_2013_to_2025() -> None:
    mapping = code_map(2013, 2025)
    assert len(mapping) == 12
    assert mapping["588"] == "507"  # Pertunmaa -> Mäntyharju 1.1.2025
    assert mapping["174"] == "297"  # Juankoski -> Kuopio 1.1.2017
    assert code_map(2024, 2025) == {"588": "507"}
    assert code_map(2025, 2026) == {}


def test_remap_codes_keeps_the_form() -> None:
    assert remap_codes(["KU588", "588", "KU091"], 2024, 2025) == {
        "KU588": "KU507",
        "588": "507",
        "KU091": "KU091",
    }


def _population_2012_on_2013_division() -> pd.DataFrame:
    values = shipped.historical_values()
    rows = values[(values["indicator_id"] == 127) & (values["year"] == 2012)]
    rows = rows[~rows["municipality_code"].isin(load_division(2025).aland_municipalities())]
    return rows[["municipality_code", "value"]].rename(columns={"value": "numerator"})


@pytest.mark.parametrize("target", [2024, 2025])
def test_population_2012_remapped_equals_published(target: int) -> None:
    """2012 population on the 2013 division, re-mapped, equals the published 2012 population."""
    division = load_division(target)
    valid = {r.short_code for r in division.at_level(Level.MUNICIPALITY)}
    old = _population_2012_on_2013_division().assign(denominator=float("nan"))
    assert len(old) >= 304  # mainland municipalities of 2013
    remapped = remap_frame(old, 2013, target, valid_codes=valid, code_column="municipality_code")
    published = shipped.population_2000_2022()
    published = published[published["year"] == 2012][["municipality_code", "population"]]
    published = published[~published["municipality_code"].isin(division.aland_municipalities())]
    published = remap_frame(
        published.rename(columns={"population": "numerator"}).assign(denominator=float("nan")),
        2024,
        target,
        valid_codes=valid,
        code_column="municipality_code",
    )
    both = remapped.merge(published, on="municipality_code", suffixes=("_remapped", "_published"))
    assert len(both) == len(valid)
    mismatched = both[both["numerator_remapped"] != both["numerator_published"]]
    assert mismatched.empty, mismatched.head()
    assert both["numerator_remapped"].sum() == 5_426_674 - _aland_2012()


def _aland_2012() -> int:
    values = shipped.historical_values()
    rows = values[(values["indicator_id"] == 127) & (values["year"] == 2012)]
    aland = load_division(2025).aland_municipalities()
    return int(rows[rows["municipality_code"].isin(aland)]["value"].sum())


def test_remap_sums_numerators_and_denominators() -> None:
    frame = pd.DataFrame(
        {
            "municipality_code": ["507", "588", "091"],
            "year": [2020, 2020, 2020],
            "numerator": [10.0, 5.0, 1.0],
            "denominator": [100.0, 50.0, 10.0],
        }
    )
    out = remap_frame(
        frame, 2024, 2025, valid_codes={"507", "091"}, code_column="municipality_code"
    )
    row = out[out["municipality_code"] == "507"].iloc[0]
    assert (row["numerator"], row["denominator"]) == (15.0, 150.0)
    assert len(out) == 2


def test_remap_refuses_an_unknown_code() -> None:
    frame = pd.DataFrame({"municipality_code": ["999"], "numerator": [1.0], "denominator": [2.0]})
    with pytest.raises(NotFoundError, match="999"):
        remap_frame(frame, 2024, 2025, valid_codes={"507"}, code_column="municipality_code")
