"""JSON-stat 2.0 datasets (as StatFin's PxWeb returns them) read into plain rows."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from raketieto.sources.http import SourceError


@dataclass(frozen=True)
class Dimension:
    """One dimension: its id, label, category codes in index order, and their labels."""

    id: str
    label: str
    codes: tuple[str, ...]
    labels: dict[str, str]

    def position(self, code: str) -> int:
        """The index of a category code."""
        return self.codes.index(code)


@dataclass(frozen=True)
class Dataset:
    """A JSON-stat 2.0 dataset: dimensions in order, values in row-major order."""

    label: str
    source: str
    updated: str | None
    dimensions: tuple[Dimension, ...]
    values: tuple[float | None, ...]
    status: dict[int, str]
    roles: dict[str, list[str]]

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension with this id (case-insensitive)."""
        for dim in self.dimensions:
            if dim.id.lower() == dimension_id.lower():
                return dim
        known = ", ".join(d.id for d in self.dimensions)
        raise SourceError(
            f"JSON-stat-aineistossa ei ole ulottuvuutta '{dimension_id}'; on {known}."
        )

    def cells(self) -> Iterator[tuple[dict[str, str], float | None, str | None]]:
        """Every cell as ({dimension id: code}, value, status), last dimension varying fastest."""
        sizes = [len(d.codes) for d in self.dimensions]
        for flat, value in enumerate(self.values):
            remainder = flat
            picked: list[str] = []
            for dim, size in zip(reversed(self.dimensions), reversed(sizes), strict=True):
                picked.append(dim.codes[remainder % size])
                remainder //= size
            coordinates = {
                dim.id: code for dim, code in zip(self.dimensions, reversed(picked), strict=True)
            }
            yield coordinates, value, self.status.get(flat)

    def to_frame(self) -> pd.DataFrame:
        """One row per cell: a column per dimension (codes), then value and status."""
        rows = [
            {**coords, "value": value, "status": status} for coords, value, status in self.cells()
        ]
        columns = [d.id for d in self.dimensions] + ["value", "status"]
        frame = pd.DataFrame(rows, columns=columns)
        frame["value"] = pd.to_numeric(frame["value"]).astype("float64")
        return frame


def _fail(url: str, message: str) -> SourceError:
    return SourceError(f"JSON-stat-vastaus ({url}) ei kelpaa: {message}.", url=url)


def _categories(
    dim_id: str, raw: Any, size: int, url: str
) -> tuple[tuple[str, ...], dict[str, str]]:
    category = raw.get("category") if isinstance(raw, Mapping) else None
    if not isinstance(category, Mapping):
        raise _fail(url, f"ulottuvuudelta '{dim_id}' puuttuu category")
    labels_raw = category.get("label") or {}
    index = category.get("index")
    codes: list[str]
    if isinstance(index, list):
        codes = [str(code) for code in index]
    elif isinstance(index, Mapping):
        ordered = sorted(index.items(), key=lambda item: int(item[1]))
        codes = [str(code) for code, _ in ordered]
        if [int(pos) for _, pos in ordered] != list(range(len(codes))):
            raise _fail(url, f"ulottuvuuden '{dim_id}' index ei ole 0..{len(codes) - 1}")
    elif index is None and isinstance(labels_raw, Mapping) and len(labels_raw) == 1:
        codes = [str(next(iter(labels_raw)))]
    else:
        raise _fail(url, f"ulottuvuuden '{dim_id}' category.index puuttuu")
    if len(codes) != size:
        raise _fail(url, f"ulottuvuudella '{dim_id}' on {len(codes)} luokkaa, size sanoo {size}")
    labels = {code: str(labels_raw.get(code, code)) for code in codes}
    return tuple(codes), labels


def _values(raw: Any, total: int, url: str) -> tuple[float | None, ...]:
    if isinstance(raw, list):
        if len(raw) != total:
            raise _fail(url, f"arvoja on {len(raw)}, ulottuvuuksien tulo on {total}")
        items: list[Any] = raw
    elif isinstance(raw, Mapping):
        # The sparse form: {"flat index": value}; absent cells are missing.
        items = [None] * total
        for key, value in raw.items():
            position = int(key)
            if not 0 <= position < total:
                raise _fail(url, f"arvon indeksi {position} on alueen 0..{total - 1} ulkopuolella")
            items[position] = value
    else:
        raise _fail(url, "kenttä value puuttuu tai ei ole taulukko")
    out: list[float | None] = []
    for position, value in enumerate(items):
        if value is None:
            out.append(None)
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise _fail(url, f"arvo {value!r} kohdassa {position} ei ole luku") from None
        out.append(None if math.isnan(number) else number)
    return tuple(out)


def _status(raw: Any, total: int) -> dict[int, str]:
    if isinstance(raw, str):
        return dict.fromkeys(range(total), raw)
    if isinstance(raw, list):
        return {i: str(s) for i, s in enumerate(raw) if s is not None}
    if isinstance(raw, Mapping):
        return {int(k): str(v) for k, v in raw.items() if v is not None}
    return {}


def parse_jsonstat(raw: Any, *, url: str = "JSON-stat") -> Dataset:
    """Read a JSON-stat 2.0 dataset; anything out of shape raises SourceError saying what."""
    if not isinstance(raw, Mapping):
        raise _fail(url, f"odotettiin JSON-objektia, saatiin {type(raw).__name__}")
    if raw.get("class") != "dataset" or str(raw.get("version", "")) != "2.0":
        raise _fail(
            url,
            f"odotettiin class 'dataset' ja version '2.0', saatiin class {raw.get('class')!r} "
            f"ja version {raw.get('version')!r}",
        )
    ids, sizes, dims = raw.get("id"), raw.get("size"), raw.get("dimension")
    if not isinstance(ids, list) or not isinstance(sizes, list) or not isinstance(dims, Mapping):
        raise _fail(url, "kentät id, size ja dimension puuttuvat tai ovat väärän tyyppisiä")
    if len(ids) != len(sizes):
        raise _fail(url, f"id:ssä on {len(ids)} ulottuvuutta, size:ssa {len(sizes)}")
    dimensions = []
    for dim_id, size in zip(ids, sizes, strict=True):
        if dim_id not in dims:
            raise _fail(url, f"ulottuvuus '{dim_id}' puuttuu dimension-kentästä")
        codes, labels = _categories(str(dim_id), dims[dim_id], int(size), url)
        label = dims[dim_id].get("label", dim_id)
        dimensions.append(Dimension(str(dim_id), str(label), codes, labels))
    total = math.prod(int(s) for s in sizes)
    role = raw.get("role") or {}
    return Dataset(
        label=str(raw.get("label", "")),
        source=str(raw.get("source", "")),
        updated=str(raw["updated"]) if raw.get("updated") else None,
        dimensions=tuple(dimensions),
        values=_values(raw.get("value"), total, url),
        status=_status(raw.get("status"), total),
        roles={str(k): [str(x) for x in v] for k, v in role.items()}
        if isinstance(role, Mapping)
        else {},
    )
