"""Every Sotkanet id in the catalogue is confirmed by recorded metadata or shown as unverified."""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

import pytest

from raketieto.catalogue import Catalogue, Indicator
from raketieto.cli.catalogue import _source_text
from raketieto.pipeline.refresh import describe_selection
from raketieto.settings import Settings
from raketieto.sources.sotkanet import SotkanetSource, parse_indicator_metadata
from tests.sources.conftest import load
from tests.sources.fakeserver import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
LIST_2013 = (
    ROOT / "src/raketieto/data/indicators/sotkanet_municipality_1990_2012_selected_indicators.csv"
)
#: Verified by a printed /indicators listing in a public repository, not by a file stored here.
#: Each entry needs the listing named in its verified_by; docs/sources.md lists them.
PRINTED_LISTINGS = {"social-assistance-recipients-25-64-pct": "rOpenGov/sotkanet README"}


def _sotkanet_indicators(catalogue: Catalogue) -> list[Indicator]:
    offered = set(SotkanetSource().offers(catalogue))
    with_id = [i for i in catalogue.indicators.values() if i.source.sotkanet_id is not None]
    return [i for i in with_id if i.id in offered or i.source.kind == "population"]


SNAPSHOT_2019 = ROOT / (
    "src/raketieto/data/recent/sotkanet/sotkanet_2019_kunnat_15_indicators__olliLeh.csv.gz"
)


def _ids_2019() -> set[int]:
    with gzip.open(SNAPSHOT_2019, "rt", encoding="utf-8", newline="") as handle:
        return {int(row["indicator"]) for row in csv.DictReader(handle)}


def _ids_2013() -> dict[int, str]:
    with LIST_2013.open(encoding="utf-8", newline="") as handle:
        return {int(row["indicator_id"]): row["title_fi"] for row in csv.DictReader(handle)}


def _recorded_metadata(verified_by: str) -> Path | None:
    match = re.search(r"tests/fixtures/(\S+?rest_1\.1_indicators_\d+\.json)", verified_by)
    return FIXTURES / match.group(1) if match else None


def test_every_verified_sotkanet_id_is_backed_by_a_record(catalogue: Catalogue) -> None:
    unbacked = []
    for indicator in _sotkanet_indicators(catalogue):
        source = indicator.source
        if not source.verified:
            continue
        evidence = source.verified_by or ""
        recorded = _recorded_metadata(evidence)
        if recorded is not None:
            metadata = parse_indicator_metadata(load(str(recorded.relative_to(FIXTURES))))
            assert metadata.id == source.sotkanet_id, indicator.id
            assert metadata.title["fi"], indicator.id
        elif "sotkanet indicator list 2013" in evidence:
            assert source.sotkanet_id in _ids_2013(), indicator.id
        elif "sotkanet 2019 snapshot" in evidence:
            assert source.sotkanet_id in _ids_2019(), indicator.id
        elif PRINTED_LISTINGS.get(indicator.id, "\0") in evidence:
            continue
        else:
            unbacked.append(f"{indicator.id} ({source.sotkanet_id}): {evidence!r}")
    assert unbacked == []


def test_the_recorded_186_metadata_matches_the_catalogue(catalogue: Catalogue) -> None:
    metadata = parse_indicator_metadata(load("api-samples/sotkanet/rest_1.1_indicators_186.json"))
    indicator = catalogue.indicator("mortality-per-100000")
    assert indicator.source.sotkanet_id == metadata.id == 186
    assert indicator.label.fi == metadata.title["fi"]


def test_unverified_ids_are_shown_as_such(catalogue: Catalogue, tmp_path: Path) -> None:
    unverified = [i for i in _sotkanet_indicators(catalogue) if not i.source.verified]
    assert unverified, "the catalogue is expected to flag the ids it could not confirm"
    planned = {
        p.indicator_id: p for p in describe_selection(Settings(data_dir=tmp_path), catalogue)
    }
    for indicator in unverified:
        assert planned[indicator.id].verified is False
        assert planned[indicator.id].source == "sotkanet"
        assert planned[indicator.id].evidence  # the caveat says where the id came from
        assert _source_text(indicator).endswith("(?)")


@pytest.mark.parametrize(
    "indicator_id", ["mortality-per-100000", "social-assistance-recipients-pct"]
)
def test_verified_ids_are_shown_as_verified(
    catalogue: Catalogue, tmp_path: Path, indicator_id: str
) -> None:
    planned = describe_selection(Settings(data_dir=tmp_path), catalogue, indicator=indicator_id)
    assert [(p.indicator_id, p.verified) for p in planned] == [(indicator_id, True)]
    assert not _source_text(catalogue.indicator(indicator_id)).endswith("(?)")


def test_the_population_is_described_with_both_keys_and_fetched_from_statfin(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    [planned] = describe_selection(Settings(data_dir=tmp_path), catalogue, indicator="population")
    assert planned.source == "statfin"
    assert planned.key == "sotkanet 127, statfin 11s5"
