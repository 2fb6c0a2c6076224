"""Checks across the catalogue: references between themes, phenomena and indicators, unique ids."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from raketieto.catalogue.models import Indicator, Phenomenon, Theme
from raketieto.text import closest

Kind = Literal["theme", "phenomenon", "indicator"]
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class CrossProblem:
    """A problem across objects: which object (kind, index in its list), where in it, what."""

    kind: Kind
    index: int
    path: Path
    message: str
    other: int | None = None  # for a duplicate: the index of the first object with the same id


def _unknown(what: str, value: str, known: Sequence[str]) -> str:
    near = closest(value, known)
    hint = f"; lähimmät: {', '.join(near)}" if near else ""
    return f"tuntematon {what} '{value}'{hint}"


def _duplicates(kind: Kind, ids: Sequence[str]) -> list[CrossProblem]:
    seen: dict[str, int] = {}
    found = []
    for index, id_ in enumerate(ids):
        if id_ in seen:
            message = f"tunniste '{id_}' on jo käytössä"
            found.append(CrossProblem(kind, index, ("id",), message, other=seen[id_]))
        else:
            seen[id_] = index
    return found


def cross_check(
    themes: Sequence[Theme],
    phenomena: Sequence[Phenomenon],
    indicators: Sequence[Indicator],
    *,
    invalid: Mapping[Kind, Collection[str]] | None = None,
) -> list[CrossProblem]:
    """Every problem between objects: duplicates and references to things that do not exist.

    invalid names objects that exist but failed their own validation; references to them are
    not reported again, so one mistake gives one problem.
    """
    broken: Mapping[Kind, Collection[str]] = invalid or {}
    problems = [
        *_duplicates("theme", [t.id for t in themes]),
        *_duplicates("phenomenon", [p.id for p in phenomena]),
        *_duplicates("indicator", [i.id for i in indicators]),
    ]
    theme_ids = [t.id for t in themes]
    phenomenon_ids = [p.id for p in phenomena]
    indicator_ids = [i.id for i in indicators]
    by_id = {i.id: i for i in indicators}

    for index, phenomenon in enumerate(phenomena):
        problems += _check_phenomenon(
            index, phenomenon, theme_ids, by_id, broken.get("indicator", ())
        )

    problems += _unique_source_keys(indicators)
    for index, indicator in enumerate(indicators):
        for m, membership in enumerate(indicator.memberships):
            if membership.phenomenon not in (*phenomenon_ids, *broken.get("phenomenon", ())):
                message = _unknown("ilmiö", membership.phenomenon, phenomenon_ids)
                path: Path = ("memberships", m, "phenomenon")
                problems.append(CrossProblem("indicator", index, path, message))
            if membership.theme not in (*theme_ids, *broken.get("theme", ())):
                message = _unknown("teema", membership.theme, theme_ids)
                path = ("memberships", m, "theme")
                problems.append(CrossProblem("indicator", index, path, message))
        for field in ("derive_numerator_from", "denominator_from"):
            target = getattr(indicator, field)
            if target is None:
                continue
            if target in broken.get("indicator", ()):
                continue
            if target not in by_id:
                message = _unknown("indikaattori", target, indicator_ids)
                problems.append(CrossProblem("indicator", index, (field,), message))
            elif target == indicator.id:
                message = "indikaattori ei voi viitata itseensä"
                problems.append(CrossProblem("indicator", index, (field,), message))
    return problems


def _check_phenomenon(
    index: int,
    phenomenon: Phenomenon,
    theme_ids: Sequence[str],
    by_id: dict[str, Indicator],
    broken_indicators: Collection[str],
) -> list[CrossProblem]:
    problems = []
    missing = [t for t in theme_ids if t not in phenomenon.themes]
    if missing:
        message = (
            "jokaisella ilmiöllä on oltava jokainen geneerisen tietotarpeen teema; "
            f"puuttuu: {', '.join(missing)}"
        )
        problems.append(CrossProblem("phenomenon", index, ("themes",), message))
    for key in phenomenon.themes:
        if key not in theme_ids:
            message = _unknown("teema", key, theme_ids)
            problems.append(CrossProblem("phenomenon", index, ("themes", key), message))
    for h, indicator_id in enumerate(phenomenon.headline_indicators):
        path: Path = ("headline_indicators", h)
        indicator = by_id.get(indicator_id)
        if indicator is None and indicator_id in broken_indicators:
            continue
        if indicator is None:
            message = _unknown("indikaattori", indicator_id, list(by_id))
            problems.append(CrossProblem("phenomenon", index, path, message))
        elif phenomenon.id not in indicator.phenomena():
            message = (
                f"pääindikaattori '{indicator_id}' ei kuulu ilmiöön '{phenomenon.id}' "
                "(lisää indikaattorille memberships-rivi)"
            )
            problems.append(CrossProblem("phenomenon", index, path, message))
    return problems


def _unique_source_keys(indicators: Sequence[Indicator]) -> list[CrossProblem]:
    """One indicator per Sotkanet id and per client-data rule, so look-ups are unambiguous."""
    problems = []
    for field in ("sotkanet_id", "rule"):
        seen: dict[object, int] = {}
        for index, indicator in enumerate(indicators):
            key = getattr(indicator.source, field)
            if key is None:
                continue
            if key in seen:
                message = (
                    f"{field} {key} on jo indikaattorilla '{indicators[seen[key]].id}'; "
                    "yksi lähteen tunniste kuuluu yhdelle indikaattorille"
                )
                path: Path = ("source", field)
                problems.append(CrossProblem("indicator", index, path, message, other=seen[key]))
            else:
                seen[key] = index
    return problems
