"""Read the catalogue's YAML files and report every problem with its file, line and field."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from raketieto.catalogue.catalogue import Catalogue
from raketieto.catalogue.checks import CrossProblem, Kind, cross_check
from raketieto.catalogue.models import SLUG, Indicator, Phenomenon, Theme
from raketieto.catalogue.problems import CatalogueError, Problem

DEFINITIONS = Path(__file__).parent / "definitions"
THEMES_FILE = "themes.yaml"
PHENOMENA_DIR = "phenomena"
INDICATORS_DIR = "indicators"

Loc = tuple[str | int, ...]
_WHOLE = "(koko kohde)"
# libyaml is ten times faster than the pure-Python parser and keeps the same line marks.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class _Entry:
    """One object read from YAML: the file it came from and its node (for line numbers)."""

    file: str
    node: yaml.Node


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """The catalogue in directory (None: the shipped one); CatalogueError lists every problem."""
    catalogue, problems = _read(directory)
    if problems or catalogue is None:
        raise CatalogueError(problems)
    return catalogue


def validate_catalogue(directory: Path | None = None) -> list[Problem]:
    """Every problem in the catalogue in directory (None: the shipped one), by file and line."""
    return _read(directory)[1]


def _read(directory: Path | None) -> tuple[Catalogue | None, list[Problem]]:
    root = Path(directory) if directory is not None else DEFINITIONS
    if not root.is_dir():
        return None, [Problem(str(root), 0, _WHOLE, "luettelon kansiota ei ole")]
    problems: list[Problem] = []
    invalid: dict[Kind, set[str]] = {"theme": set(), "phenomenon": set(), "indicator": set()}
    themes: list[tuple[Theme, _Entry]] = []
    phenomena: list[tuple[Phenomenon, _Entry]] = []
    indicators: list[tuple[Indicator, _Entry]] = []

    problems += _stray_files(root)
    themes_path = root / THEMES_FILE
    if themes_path.is_file():
        for entry, data in _items(root, themes_path, problems, key="themes"):
            _validate(Theme, entry, data, themes, problems, invalid["theme"])
    else:
        problems.append(Problem(THEMES_FILE, 0, _WHOLE, "teematiedosto puuttuu"))
    for path in _yaml_files(root / PHENOMENA_DIR):
        items = _items(root, path, problems, single=True)
        if not items:
            invalid["phenomenon"].update(_ids_in_text(path))
        for entry, data in items:
            _validate(Phenomenon, entry, data, phenomena, problems, invalid["phenomenon"])
    for path in _yaml_files(root / INDICATORS_DIR):
        items = _items(root, path, problems)
        if not items:
            invalid["indicator"].update(_ids_in_text(path))
        for entry, data in items:
            _validate(Indicator, entry, data, indicators, problems, invalid["indicator"])

    entries = {
        "theme": [e for _, e in themes],
        "phenomenon": [e for _, e in phenomena],
        "indicator": [e for _, e in indicators],
    }
    found = cross_check(
        [t for t, _ in themes],
        [p for p, _ in phenomena],
        [i for i, _ in indicators],
        invalid={kind: frozenset(ids) for kind, ids in invalid.items()},
    )
    problems += [_locate(p, entries[p.kind]) for p in found]
    if problems:
        return None, sorted(set(problems))
    return Catalogue(
        [t for t, _ in themes], [p for p, _ in phenomena], [i for i, _ in indicators]
    ), []


_ID_LINE = re.compile(r"^\s*(?:-\s+)?id:\s*['\"]?([a-z0-9-]+)['\"]?\s*$", re.MULTILINE)


def _ids_in_text(path: Path) -> set[str]:
    """The ids a file that cannot be parsed seems to define, so references to them stay quiet."""
    try:
        return set(_ID_LINE.findall(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return set()


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.yaml")) if folder.is_dir() else []


def _stray_files(root: Path) -> list[Problem]:
    """YAML that would be silently ignored is a problem: say where it belongs."""
    problems = []
    for path in sorted(root.rglob("*.yml")):
        message = "tiedostopääte .yml ei ole käytössä; nimeä tiedosto päätteellä .yaml"
        problems.append(Problem(_rel(root, path), 0, _WHOLE, message))
    for path in sorted(root.glob("*.yaml")):
        if path.name != THEMES_FILE:
            message = (
                f"tuntematon tiedosto; ilmiöt kuuluvat kansioon {PHENOMENA_DIR}/ ja "
                f"indikaattorit kansioon {INDICATORS_DIR}/"
            )
            problems.append(Problem(_rel(root, path), 0, _WHOLE, message))
    return problems


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _items(
    root: Path, path: Path, problems: list[Problem], *, key: str | None = None, single: bool = False
) -> list[tuple[_Entry, Any]]:
    """The objects in one file, each with its node; syntax and shape problems go to problems."""
    file = _rel(root, path)
    parsed = _parse(path, file, problems)
    if parsed is None:
        return []
    node, data = parsed
    if key is not None:
        if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict) or key not in data:
            problems.append(
                Problem(file, _line(node), key, f"tiedostossa pitää olla avain '{key}:'")
            )
            return []
        child = _child(node, key)
        if child is None:  # a key that is not plain text; the check above makes this rare
            problems.append(Problem(file, _line(node), key, f"avain '{key}:' ei kelpaa"))
            return []
        node, data = child[0], data[key]
        single = False
    if isinstance(node, yaml.SequenceNode) and isinstance(data, list) and not single:
        return [(_Entry(file, item), value) for item, value in zip(node.value, data, strict=True)]
    if single and isinstance(data, list):
        message = "tiedostossa pitää olla yksi ilmiö (avain–arvo-rakenne), ei luetteloa"
        problems.append(Problem(file, _line(node), _WHOLE, message))
        return []
    return [(_Entry(file, node), data)]


def _parse(path: Path, file: str, problems: list[Problem]) -> tuple[yaml.Node, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(file, 0, _WHOLE, f"tiedostoa ei voi lukea UTF-8-tekstinä: {error}"))
        return None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            problems.append(Problem(file, 1, _WHOLE, "tiedosto on tyhjä"))
            return None
        problems.extend(_duplicate_keys(file, node, ()))
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        what = error.problem or error.context or "tuntematon virhe"
        if error.problem and error.context and error.context_mark is not None:
            what += f" ({error.context}, rivi {error.context_mark.line + 1})"
        problems.append(Problem(file, line, _WHOLE, f"YAML-syntaksivirhe: {what}"))
        return None
    except yaml.YAMLError as error:
        problems.append(Problem(file, 0, _WHOLE, f"YAML-virhe: {error}"))
        return None
    finally:
        loader.dispose()
    return node, data


def _duplicate_keys(file: str, node: yaml.Node, path: Loc) -> list[Problem]:
    """PyYAML keeps the last of two equal keys silently; a repeated key is a problem here."""
    found: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                message = f"avain '{name}' toistuu; jälkimmäinen korvaisi edellisen"
                found.append(Problem(file, _line(key), _field((*path, name)), message))
            seen.add(name)
            found += _duplicate_keys(file, value, (*path, name))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found += _duplicate_keys(file, item, (*path, index))
    return found


def _validate(
    model: type[BaseModel],
    entry: _Entry,
    data: Any,
    valid: list[Any],
    problems: list[Problem],
    invalid: set[str],
) -> None:
    try:
        valid.append((model.model_validate(data), entry))
    except ValidationError as error:
        problems.extend(_from_errors(entry, error.errors(include_url=False)))
        # Keep the id of what failed, so that references to it do not add problems of their own.
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            invalid.add(data["id"])


def _from_errors(entry: _Entry, errors: Sequence[ErrorDetails]) -> list[Problem]:
    found: list[Problem] = []
    unions: dict[Loc, list[ErrorDetails]] = {}
    for error in errors:
        at = _union_tag_index(error["loc"])
        if at is None:
            found.append(_problem(entry, error["loc"], error))
        else:
            unions.setdefault(error["loc"][:at], []).append(error)
    # A union field (plain text or a language map) reports one error per member; keep the
    # member the input was meant for, or say what either member would accept.
    for union_loc, members in unions.items():
        specific = [m for m in members if not m["type"].endswith("_type")]
        for member in specific:
            found.append(_problem(entry, _without_tags(member["loc"]), member))
        if not specific:
            line, _ = _resolve(entry.node, union_loc)
            message = "pitää olla tekstiä tai kieliversiot fi, sv ja en"
            found.append(Problem(entry.file, line, _field(union_loc), message))
    return found


def _problem(entry: _Entry, loc: Loc, error: ErrorDetails) -> Problem:
    line, resolved = _resolve(entry.node, loc)
    shown = loc[: resolved + 1] if error["type"] == "missing" else loc[:resolved]
    return Problem(entry.file, line, _field(shown), _finnish(error))


_UNION_TAGS = frozenset({"LangText", "str"})


def _is_tag(part: str | int) -> bool:
    return isinstance(part, str) and (part in _UNION_TAGS or "[" in part)


def _union_tag_index(loc: Loc) -> int | None:
    """Pydantic adds the member's name ('LangText', 'str') to the location of union errors."""
    return next((n for n, part in enumerate(loc) if _is_tag(part)), None)


def _without_tags(loc: Loc) -> Loc:
    return tuple(part for part in loc if not _is_tag(part))


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node, int] | None:
    """The node under node at part, with the line where it is written (the key's line)."""
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                return value, _line(key)
    if (
        isinstance(node, yaml.SequenceNode)
        and isinstance(part, int)
        and 0 <= part < len(node.value)
    ):
        item = node.value[part]
        return item, _line(item)
    return None


def _resolve(node: yaml.Node, loc: Loc) -> tuple[int, int]:
    """The line of the deepest node that exists on loc, and how many parts of loc exist."""
    line = _line(node)
    for depth, part in enumerate(loc):
        found = _child(node, part)
        if found is None:
            return line, depth
        node, line = found
    return line, len(loc)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _field(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or _WHOLE


def _locate(problem: CrossProblem, entries: list[_Entry]) -> Problem:
    entry = entries[problem.index]
    line, _ = _resolve(entry.node, problem.path)
    message = problem.message
    if problem.other is not None:
        first = entries[problem.other]
        message += f" (ensimmäinen: {first.file}:{_line(first.node)})"
    return Problem(entry.file, line, _field(problem.path), message)


def _finnish(error: ErrorDetails) -> str:
    """Pydantic's message in Finnish, naming the bad value and what was expected."""
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    given = error.get("input")
    shown = repr(given) if not isinstance(given, dict | list) else type(given).__name__
    simple = {
        "missing": "pakollinen kenttä puuttuu",
        "string_type": f"pitää olla tekstiä, ei {shown}",
        "int_type": f"pitää olla kokonaisluku, ei {shown}",
        "int_parsing": f"pitää olla kokonaisluku, ei {shown}",
        "int_from_float": f"pitää olla kokonaisluku, ei {shown}",
        "bool_type": f"pitää olla true tai false, ei {shown}",
        "bool_parsing": f"pitää olla true tai false, ei {shown}",
        "list_type": "pitää olla luettelo (rivit alkavat '- ')",
        "dict_type": "pitää olla avain–arvo-rakenne",
        "model_type": "pitää olla avain–arvo-rakenne",
        "model_attributes_type": "pitää olla avain–arvo-rakenne",
    }
    if kind in simple:
        return simple[kind]
    if kind == "extra_forbidden":
        return "tuntematon kenttä; tarkista kirjoitusasu (luettelo sallii vain määritellyt kentät)"
    if kind in ("enum", "literal_error"):
        allowed = str(ctx.get("expected", "")).replace(" or ", " tai ")
        return f"arvo {shown} ei kelpaa; sallitut: {allowed}"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == SLUG:
            return (
                f"tunniste {shown} ei kelpaa; käytä pieniä ASCII-kirjaimia, numeroita ja "
                "väliviivoja (esim. homeless-single-persons-per-1000)"
            )
        return f"arvo {shown} ei ole oikeaa muotoa ({ctx.get('pattern')})"
    if kind == "too_short":
        return f"liian vähän alkioita: vähintään {ctx.get('min_length')}"
    if kind == "too_long":
        return f"liikaa alkioita: enintään {ctx.get('max_length')}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = {
            "greater_than": f"suurempi kuin {ctx.get('gt')}",
            "greater_than_equal": f"vähintään {ctx.get('ge')}",
            "less_than": f"pienempi kuin {ctx.get('lt')}",
            "less_than_equal": f"enintään {ctx.get('le')}",
        }[kind]
        return f"arvon pitää olla {bound}, ei {shown}"
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", error["msg"]))
    return str(error["msg"])
