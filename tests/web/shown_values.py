"""Find every number a page shows, the cube fact it stands for, and the labels beside it.

What "a value appears" means here: an element whose class includes ``value`` (the one markup
every renderer uses for a number: table cells, headline values, country values). Its fact is
found from the nearest ``data-indicator``, ``data-region``, ``data-year``, ``data-sex`` and
``data-age-group`` attributes on it or its ancestors; "beside it" is the innermost enclosing
table cell, paragraph, list item or definition. Chart specs (``<script id="…-spec">``) and chart
captions are collected with the same ancestry, so their data rows can be checked too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser

import duckdb

from raketieto.catalogue import Catalogue, load_catalogue
from raketieto.cube.memory import FactIndex
from raketieto.regions import Division, load_division
from raketieto.settings import Settings

CONTAINERS = {"td", "th", "p", "li", "dd", "figcaption", "caption"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
KEYS = ("data-indicator", "data-region", "data-year", "data-sex", "data-age-group")


@dataclass
class Container:
    """One table cell, paragraph or item: its values and synthetic tags."""

    tag: str
    classes: str
    values: list[ShownValue] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


@dataclass
class ShownValue:
    """One rendered number and the keys of the fact it shows."""

    text: str
    keys: dict[str, str]
    container: Container | None


@dataclass
class Spec:
    """One chart's Vega-Lite spec with the keys of its ancestors."""

    chart_id: str
    spec: dict[str, object]
    keys: dict[str, str]


class Page(HTMLParser):
    """Parse one page into its values, containers, chart specs and tables' attributes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.containers: list[Container] = []
        self.open_containers: list[Container] = []
        self.values: list[ShownValue] = []
        self.specs: list[Spec] = []
        self.tables: dict[str, dict[str, str]] = {}
        self.table_regions: dict[str, set[str]] = {}
        self.captions: dict[str, str] = {}
        self._value: ShownValue | None = None
        self._value_depth = 0
        self._tag: list[str] | None = None
        self._tag_depth = 0
        self._script: tuple[str, dict[str, str], list[str]] | None = None
        self.feed(html)
        self.close()

    def keys(self) -> dict[str, str]:
        """The nearest data-* keys of the open elements."""
        found: dict[str, str] = {}
        for tag, attrs in reversed(self.stack):
            for key in KEYS:
                if key in attrs and key not in found:
                    found[key] = attrs[key]
            if tag == "table" and "table" not in found:
                found["table"] = attrs.get("id", "")
        return found

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag in VOID:
            return
        self.stack.append((tag, attrs))
        classes = attrs.get("class", "").split()
        if tag == "table" and "id" in attrs:
            self.tables[attrs["id"]] = attrs
        if "data-region" in attrs:
            table = self.keys().get("table")
            if table:
                self.table_regions.setdefault(table, set()).add(attrs["data-region"])
        if tag in CONTAINERS:
            container = Container(tag, attrs.get("class", ""))
            self.containers.append(container)
            self.open_containers.append(container)
            if tag == "figcaption" and "id" in attrs:
                self.captions[attrs["id"].removesuffix("-caption")] = ""
        if tag == "script" and attrs.get("type") == "application/json":
            self._script = (attrs.get("id", ""), self.keys(), [])
        if self._value is not None:
            self._value_depth += 1
        elif "value" in classes:
            inner = self.open_containers[-1] if self.open_containers else None
            self._value = ShownValue("", self.keys(), inner)
            self._value_depth = 1
        if self._tag is not None:
            self._tag_depth += 1
        elif "synthetic-tag" in classes:
            self._tag, self._tag_depth = [], 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack:
            open_tag, attrs = self.stack.pop()
            self._close(open_tag, attrs)
            if open_tag == tag:
                break

    def _close(self, tag: str, attrs: dict[str, str]) -> None:
        if self._value is not None:
            self._value_depth -= 1
            if self._value_depth == 0:
                self.values.append(self._value)
                if self._value.container is not None:
                    self._value.container.values.append(self._value)
                self._value = None
        if self._tag is not None:
            self._tag_depth -= 1
            if self._tag_depth == 0:
                if self.open_containers:
                    self.open_containers[-1].tags.append("".join(self._tag).strip())
                self._tag = None
        if tag == "script" and self._script is not None:
            name, keys, chunks = self._script
            self.specs.append(Spec(name.removesuffix("-spec"), json.loads("".join(chunks)), keys))
            self._script = None
        if tag in CONTAINERS and self.open_containers:
            closed = self.open_containers.pop()
            if tag == "figcaption" and "id" in attrs:
                self.captions[attrs["id"].removesuffix("-caption")] = "".join(closed.text)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script[2].append(data)
            return
        if self._value is not None:
            self._value.text += data
        if self._tag is not None:
            self._tag.append(data)
        for container in self.open_containers:
            container.text.append(data)


class Cube:
    """The demo cube's facts, catalogue and division, as the test reads them."""

    def __init__(self, settings: Settings) -> None:
        connection = duckdb.connect(str(settings.cube_path), read_only=True)
        try:
            self.index = FactIndex.load(connection)
            rows = connection.execute(
                "SELECT DISTINCT indicator_id FROM facts WHERE synthetic AND value IS NOT NULL"
            ).fetchall()
            self.synthetic_years = [
                int(r[0])
                for r in connection.execute(
                    "SELECT DISTINCT year FROM facts WHERE synthetic ORDER BY 1"
                ).fetchall()
            ]
        finally:
            connection.close()
        self.synthetic_indicators = {str(r[0]) for r in rows}
        self.catalogue: Catalogue = load_catalogue(settings.catalogue_dir)
        self.division: Division = load_division(settings.division_year)
        self.path = settings.cube_path

    def query(self, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
        """Rows of one SQL query on the cube file."""
        connection = duckdb.connect(str(self.path), read_only=True)
        try:
            return connection.execute(sql, params or []).fetchall()
        finally:
            connection.close()
