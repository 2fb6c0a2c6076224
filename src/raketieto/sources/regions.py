"""Region codes as sources spell them, turned into the cube's canonical codes."""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources

from raketieto.regions import load_division

_CANONICAL = re.compile(r"^(SSS|KU\d{3}|HVA\d{2}|YTA\d)$")


def is_canonical(code: str) -> bool:
    """True for SSS, KU###, HVA## and YTA#, the forms the cube stores."""
    return _CANONICAL.fullmatch(code) is not None


@functools.lru_cache(maxsize=1)
def outside_system() -> frozenset[str]:
    """Canonical codes of Åland and its municipalities, which raketieto leaves out on purpose."""
    return load_division().aland_codes


@dataclass(frozen=True)
class CountyIds:
    """Sotkanet's ids of one wellbeing services county, before and after THL renumbered them."""

    hva_code: str
    sotkanet_id: int
    sotkanet_id_old: int | None


@functools.lru_cache(maxsize=1)
def sotkanet_county_ids() -> tuple[CountyIds, ...]:
    """The shipped table of Sotkanet county ids (new 956–978, old 877–898)."""
    path = resources.files("raketieto") / "data" / "regions" / "hva_2025.csv"
    with path.open("r", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        CountyIds(
            hva_code=f"HVA{row['hva_code']}",
            sotkanet_id=int(row["sotkanet_region_id"]),
            sotkanet_id_old=int(row["sotkanet_region_id_old"])
            if row["sotkanet_region_id_old"]
            else None,
        )
        for row in rows
    )
