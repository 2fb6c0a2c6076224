"""The numbers an HTML page shows in its data tables (cells marked with data-region)."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass
class PageNumber:
    """One shown value: its area, its indicator (from the cell or the definition link before
    the table), its year when the table says, and its text."""

    region: str
    indicator: str | None
    year: int | None
    text: str


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[PageNumber] = []
        self.row_region: str | None = None
        self.row_year: int | None = None
        self.cell: dict[str, str | None] | None = None
        self.plain_cell = False
        self.plain_text = ""
        self.in_value = False
        self.value_text = ""
        self.last_indicator: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        href = attr.get("href") or ""
        if tag == "a" and href.startswith("/indikaattori/"):
            # A table tied to one indicator is preceded by the link to its definition.
            self.last_indicator = href.split("/")[2].split("?")[0]
        if tag == "tr":
            self.row_region = attr.get("data-region")
            self.row_year = None
        elif tag == "td":
            if attr.get("data-region") or (self.row_region and "num" in (attr.get("class") or "")):
                self.cell = attr
            elif self.row_year is None and not attr.get("class"):
                self.plain_cell, self.plain_text = True, ""
        elif tag == "span" and self.cell is not None and attr.get("class") == "value":
            self.in_value, self.value_text = True, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.in_value:
            self.in_value = False
            assert self.cell is not None
            region = self.cell.get("data-region") or self.row_region
            assert region is not None
            marked = self.cell.get("data-indicator")
            # Only the overview grid has a year column; other tables' first cell is a rank.
            year = self.row_year if marked is not None else None
            indicator = marked or self.last_indicator
            self.found.append(PageNumber(region, indicator, year, self.value_text))
        elif tag == "td":
            if self.plain_cell and self.plain_text.strip().isdigit():
                self.row_year = int(self.plain_text.strip())
            self.plain_cell = False
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.in_value:
            self.value_text += data
        if self.plain_cell:
            self.plain_text += data


def page_numbers(html: str) -> list[PageNumber]:
    """Every value shown in a table cell tied to an area."""
    parser = _Tables()
    parser.feed(html)
    return parser.found
