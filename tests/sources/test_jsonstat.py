"""JSON-stat 2.0 parsing, on the two recorded StatFin answers and on generated datasets."""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from raketieto.sources.http import SourceError
from raketieto.sources.jsonstat import parse_jsonstat
from raketieto.sources.statfin import area_code
from tests.sources.conftest import load

POPULATION = "api-samples/statfin/jsonstat2_11s5_population_by_municipality_2024M12.json"
DEATHS = "api-samples/statfin/jsonstat2_13u5_deaths_by_wellbeing_county_2024.json"


def test_population_sample_has_308_municipalities_summing_to_the_published_total() -> None:
    dataset = parse_jsonstat(load(POPULATION))
    frame = dataset.to_frame()
    assert [d.id for d in dataset.dimensions] == ["alue", "kuukausi", "tiedot"]
    assert len(frame) == 308
    assert frame["alue"].map(area_code).notna().all()
    assert frame["alue"].str.fullmatch(r"KU\d{3}").all()
    assert frame["value"].sum() == 5_635_971
    assert set(frame["kuukausi"]) == {"2024M12"}


def test_population_sample_values_sit_on_their_municipalities() -> None:
    frame = parse_jsonstat(load(POPULATION)).to_frame().set_index("alue")["value"]
    # Alajärvi and Akaa as published in the shipped 2024 population file.
    assert frame["KU005"] == 9078
    assert frame["KU020"] == 16387
    assert dict(parse_jsonstat(load(POPULATION)).dimension("ALUE").labels)["KU005"] == "Alajärvi"


def test_deaths_sample_has_every_county_helsinki_and_aland() -> None:
    dataset = parse_jsonstat(load(DEATHS))
    frame = dataset.to_frame()
    codes = list(frame["hyvinvointialue"])
    assert codes == [f"HVA{n:02d}" for n in range(1, 22)] + ["HVA90", "HVA91"]
    assert frame["value"].notna().all()
    assert frame["value"].sum() == sum(load(DEATHS)["value"])
    assert dataset.updated == "2025-10-29T08:00:00"


def _dataset(sizes: list[int], values: Any) -> dict[str, Any]:
    ids = [f"d{i}" for i in range(len(sizes))]
    return {
        "version": "2.0",
        "class": "dataset",
        "id": ids,
        "size": sizes,
        "dimension": {
            dim: {"label": dim, "category": {"index": [f"{dim}c{k}" for k in range(size)]}}
            for dim, size in zip(ids, sizes, strict=True)
        },
        "value": values,
    }


@given(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=4))
def test_cells_follow_row_major_order(sizes: list[int]) -> None:
    total = math.prod(sizes)
    dataset = parse_jsonstat(_dataset(sizes, list(range(total))))
    expected = itertools.product(*[range(size) for size in sizes])
    for (coords, value, _), position in zip(dataset.cells(), expected, strict=True):
        assert [coords[f"d{i}"] for i in range(len(sizes))] == [
            f"d{i}c{k}" for i, k in enumerate(position)
        ]
        # The flat index of a position in row-major order is what the value was set to.
        flat = 0
        for size, k in zip(sizes, position, strict=True):
            flat = flat * size + k
        assert value == flat


def test_index_given_as_a_mapping_and_sparse_values() -> None:
    raw = _dataset([2, 2], {"0": 1, "3": 4})
    raw["dimension"]["d0"]["category"]["index"] = {"b": 1, "a": 0}
    raw["status"] = {"1": ".."}
    cells = list(parse_jsonstat(raw).cells())
    assert [c[0]["d0"] for c in cells] == ["a", "a", "b", "b"]
    assert [c[1] for c in cells] == [1, None, None, 4]
    assert cells[1][2] == ".."


def test_null_values_are_missing_not_zero() -> None:
    frame = parse_jsonstat(_dataset([3], [1, None, 3])).to_frame()
    assert frame["value"].isna().tolist() == [False, True, False]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.update(value=[1, 2]), "arvoja on 2"),
        (lambda d: d.update(version="1.0"), "version"),
        (lambda d: d.update(size=[4, 1]), "luokkaa"),
        (lambda d: d["dimension"].pop("d1"), "'d1' puuttuu"),
        (lambda d: d.update(value=["x", 1, 2]), "ei ole luku"),
    ],
)
def test_malformed_datasets_say_what_is_wrong(change: Any, words: str) -> None:
    raw = _dataset([3, 1], [1, 2, 3])
    change(raw)
    with pytest.raises(SourceError, match=words):
        parse_jsonstat(raw, url="http://example/x")


@pytest.mark.parametrize(
    ("code", "canonical"),
    [("SSS", "SSS"), ("KU005", "KU005"), ("HVA01", "HVA01"), ("hva90", "HVA90"), ("MK01", None),
     ("KU5", None), ("005", None)],
)  # fmt: skip
def test_area_codes(code: str, canonical: str | None) -> None:
    assert area_code(code) == canonical
