"""Calls to the real Sotkanet API; skipped unless RAKETIETO_LIVE=1 (see tests/conftest.py)."""

from __future__ import annotations

import pytest

from raketieto.catalogue import Catalogue
from raketieto.sources.http import HttpClient, SourceError
from raketieto.sources.sotkanet import SotkanetSource, parse_data_rows, rows_to_facts

pytestmark = pytest.mark.live


def test_real_regions_map_every_mainland_municipality_and_county() -> None:
    with HttpClient() as client:
        regions = SotkanetSource().regions(client, cache=None)
    codes = set(regions.codes.values())
    assert len({c for c in codes if c.startswith("KU")}) == 292
    assert {f"HVA{n:02d}" for n in range(1, 22)} | {"HVA90"} <= codes
    assert "SSS" in codes
    assert regions.codes.get(974) == "HVA13"


def test_real_rows_of_186_land_on_known_regions(catalogue: Catalogue) -> None:
    source = SotkanetSource()
    indicator = catalogue.indicator("mortality-per-100000")
    with HttpClient() as client:
        regions = source.regions(client, cache=None)
        metadata = source.metadata(186, client, cache=None)
        assert metadata.years is not None
        year = metadata.years[1]
        fetched = client.get_json(
            source.base_url + "json",
            [("indicator", "186"), ("years", str(year)), ("genders", "total")],
        )
    rows = parse_data_rows(fetched.data)
    facts, problems = rows_to_facts(
        rows,
        indicator=indicator,
        regions=regions,
        source_version=None,
        retrieved_at=fetched.retrieved_at,
    )
    assert problems == []
    assert any(f["region_code"] == "SSS" and f["numerator"] for f in facts)


def test_every_catalogue_sotkanet_id_resolves(catalogue: Catalogue) -> None:
    source = SotkanetSource()
    unresolved = []
    with HttpClient() as client:
        for indicator_id in source.offers(catalogue):
            sotkanet_id = catalogue.indicator(indicator_id).source.sotkanet_id
            assert sotkanet_id is not None
            try:
                metadata = source.metadata(sotkanet_id, client, cache=None)
            except SourceError as error:  # collect every failure, then report them together
                unresolved.append(f"{indicator_id} ({sotkanet_id}): {error}")
                continue
            if not metadata.title["fi"]:
                unresolved.append(f"{indicator_id} ({sotkanet_id}): no title")
    assert unresolved == []
