"""Sotkanet's indicator metadata written into catalogue definitions (fi/sv/en) for review."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import ValidationError

from raketieto.catalogue import Indicator
from raketieto.sources.base import FetchProblem
from raketieto.sources.http import SourceError
from raketieto.sources.sotkanet import SotkanetSource, definition_fields

if TYPE_CHECKING:
    from raketieto.sources.cache import ResponseCache
    from raketieto.sources.http import HttpClient


@dataclass
class DefinitionsReport:
    """The definition files written, and the indicators whose metadata could not be used."""

    written: list[Path] = field(default_factory=list)
    problems: list[FetchProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every asked indicator got its file."""
        return not self.problems


def import_definitions(
    indicators: Sequence[Indicator],
    out_dir: Path,
    *,
    source: SotkanetSource,
    client: HttpClient,
    cache: ResponseCache | None,
) -> DefinitionsReport:
    """Write `<id>.yaml` for each indicator with its Sotkanet metadata; the catalogue is untouched.

    Each file is the indicator's whole definition with `definition`, `caveats`, the source's
    organisation and `verified`/`verified_by` filled from `/indicators/{id}`. It is checked
    against the catalogue schema before it is written, so that a reviewer can copy it over the
    catalogue's file as it is.
    """
    report = DefinitionsReport()
    for indicator in indicators:
        sotkanet_id = indicator.source.sotkanet_id
        if sotkanet_id is None:
            report.problems.append(
                FetchProblem(indicator.id, None, None, "indikaattorilla ei ole Sotkanet-tunnusta")
            )
            continue
        try:
            metadata = source.metadata(sotkanet_id, client, cache)
        except SourceError as error:
            report.problems.append(FetchProblem(indicator.id, None, None, error.message))
            continue
        data = indicator.model_dump(mode="json", exclude_none=True)
        updated = definition_fields(data, metadata)
        try:
            Indicator.model_validate(updated)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            report.problems.append(
                FetchProblem(
                    indicator.id,
                    None,
                    None,
                    f"Sotkanetin kuvauksesta {sotkanet_id} tehty määritelmä ei kelpaa "
                    f"luetteloon (kenttä {where}: {first['msg']})",
                )
            )
            continue
        report.written.append(_write_yaml(out_dir / f"{indicator.id}.yaml", updated))
    return report


def _write_yaml(path: Path, data: dict[str, object]) -> Path:
    """Write data as YAML so that the file is either whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".yaml")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)
    return path
