"""The workbook and its package parts: content types, relationships, properties, workbook.xml."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import IO

from raketieto.exports.ooxml.cells import (
    DEFAULT_DATETIME_FORMAT,
    check_sheet_name,
    string_body,
    xml_text,
)
from raketieto.exports.ooxml.namespaces import DECLARATION, MAIN, REL
from raketieto.exports.ooxml.sheet import Sheet
from raketieto.exports.ooxml.styles import Style, check_style, stylesheet_xml

_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
# Unique strings remembered with their XML; cleared when full so memory stays bounded.
_STRING_MEMO = 200_000

_ROOT_RELS = (
    f'{DECLARATION}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" '
    f'Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)


class Workbook:
    """A workbook being written: sheets in order, styles, and document properties."""

    def __init__(
        self,
        *,
        title: str = "",
        creator: str = "",
        description: str = "",
        created: dt.datetime | None = None,
        datetime_format: str = DEFAULT_DATETIME_FORMAT,
        compresslevel: int = 1,
    ) -> None:
        self.title = title
        self.creator = creator
        self.description = description
        self.created = created or dt.datetime.now(dt.UTC)
        self.datetime_format = datetime_format
        self.compresslevel = compresslevel
        self.sheets: list[Sheet] = []
        self._styles: dict[Style, int] = {Style(): 0}
        self._strings: dict[str, str] = {}
        # Shared strings: each text's <t> element, in index order (dicts keep insertion order).
        self._shared: dict[str, int] = {}
        self._shared_bodies: list[str] = []

    def add_sheet(self, name: str) -> Sheet:
        """A new sheet at the end; the name must be a valid, unique Excel sheet name."""
        check_sheet_name(name)
        folded = name.casefold()
        if any(sheet.name.casefold() == folded for sheet in self.sheets):
            raise ValueError(f"sheet name {name!r} is used twice (Excel ignores case)")
        sheet = Sheet(self, name, len(self.sheets))
        self.sheets.append(sheet)
        return sheet

    def style_id(self, style: Style | None) -> int:
        """The cell format index of style (0, the default, for None)."""
        if style is None:
            return 0
        found = self._styles.get(style)
        if found is None:
            check_style(style)
            found = self._styles[style] = len(self._styles)
        return found

    def shared_string(self, value: str) -> int | None:
        """The index of value in the workbook's shared strings, for a cell `<c t="s"><v>index</v>`
        (rows written in bulk); None for a text Excel shows as nothing (the empty string)."""
        found = self._shared.get(value)
        if found is None:
            body = string_body(value)
            if not body:
                return None
            found = self._shared[value] = len(self._shared_bodies)
            self._shared_bodies.append(body)
        return found

    def save(self, target: str | Path | IO[bytes]) -> None:
        """Write the workbook to a path or a binary file object."""
        if not self.sheets:
            raise ValueError("a workbook needs at least one sheet")
        destination: str | IO[bytes] = str(target) if isinstance(target, Path) else target
        with zipfile.ZipFile(
            destination, "w", zipfile.ZIP_DEFLATED, compresslevel=self.compresslevel
        ) as archive:
            for sheet in self.sheets:
                sheet._flush()
            parts = [
                ("[Content_Types].xml", self._content_types()),
                ("_rels/.rels", _ROOT_RELS),
                ("docProps/app.xml", self._app()),
                ("docProps/core.xml", self._core()),
                ("xl/workbook.xml", self._workbook()),
                ("xl/_rels/workbook.xml.rels", self._workbook_rels()),
                # The styles in index order: dicts keep insertion order.
                ("xl/styles.xml", stylesheet_xml(self._styles)),
            ]
            if self._shared_bodies:
                parts.append(("xl/sharedStrings.xml", self._shared_strings()))
            for name, xml in parts:
                with archive.open(name, "w") as part:
                    part.write(xml.encode("utf-8"))
            for sheet in self.sheets:
                # The size is known, so Zip64 is asked for only when the part may need it (a
                # streamed part's size is not known beforehand).
                large = sheet._stream is not None or sheet._size() * 2 >= zipfile.ZIP64_LIMIT
                with archive.open(sheet.part, "w", force_zip64=large) as part:
                    for chunk in sheet._xml():
                        part.write(chunk)

    def to_bytes(self) -> bytes:
        """The workbook file as bytes."""
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()

    def _string(self, value: str) -> str:
        body = string_body(value)
        if len(self._strings) >= _STRING_MEMO:
            self._strings.clear()
        self._strings[value] = body
        return body

    def _shared_strings(self) -> str:
        items = "".join(f"<si>{body}</si>" for body in self._shared_bodies)
        count = len(self._shared_bodies)
        return f'{DECLARATION}<sst xmlns="{MAIN}" uniqueCount="{count}">{items}</sst>'

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/{s.part}" ContentType="{_CT}.spreadsheetml.worksheet+xml"/>'
            for s in self.sheets
        )
        shared = (
            '<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{_CT}.spreadsheetml.sharedStrings+xml"/>'
            if self._shared_bodies
            else ""
        )
        return (
            f"{DECLARATION}<Types "
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            f'ContentType="{_CT}.spreadsheetml.sheet.main+xml"/>'
            f"{sheets}"
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.spreadsheetml.styles+xml"/>'
            f"{shared}"
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            f'ContentType="{_CT}.extended-properties+xml"/>'
            "</Types>"
        )

    def _app(self) -> str:
        names = "".join(f"<vt:lpstr>{xml_text(s.name)}</vt:lpstr>" for s in self.sheets)
        count = len(self.sheets)
        return (
            f"{DECLARATION}<Properties "
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity>"
            "<ScaleCrop>false</ScaleCrop>"
            '<HeadingPairs><vt:vector size="2" baseType="variant">'
            "<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>"
            f"<vt:variant><vt:i4>{count}</vt:i4></vt:variant></vt:vector></HeadingPairs>"
            f'<TitlesOfParts><vt:vector size="{count}" baseType="lpstr">{names}</vt:vector>'
            "</TitlesOfParts><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
            "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion>"
            "</Properties>"
        )

    def _core(self) -> str:
        created = self.created
        if created.tzinfo is not None:
            created = created.astimezone(dt.UTC)
        stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
        fields = ""
        for tag, value in (
            ("dc:title", self.title),
            ("dc:creator", self.creator),
            ("dc:description", self.description),
            ("cp:lastModifiedBy", self.creator),
        ):
            if value:
                fields += f"<{tag}>{xml_text(value)}</{tag}>"
        return (
            f"{DECLARATION}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"{fields}"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
            "</cp:coreProperties>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name="{xml_text(s.name)}" sheetId="{s.index + 1}" r:id="rId{s.index + 1}"/>'
            for s in self.sheets
        )
        names = "".join(
            '<definedName name="_xlnm._FilterDatabase" '
            f'localSheetId="{s.index}" hidden="1">{xml_text(s._filter_name())}</definedName>'
            for s in self.sheets
            if s.filter_range is not None
        )
        defined = f"<definedNames>{names}</definedNames>" if names else ""
        return (
            f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            '<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>{defined}</workbook>"
        )

    def _workbook_rels(self) -> str:
        rels = "".join(
            f'<Relationship Id="rId{s.index + 1}" Type="{REL}/worksheet" '
            f'Target="worksheets/sheet{s.index + 1}.xml"/>'
            for s in self.sheets
        )
        styles = len(self.sheets) + 1
        if self._shared_bodies:
            rels += (
                f'<Relationship Id="rId{styles + 1}" Type="{REL}/sharedStrings" '
                'Target="sharedStrings.xml"/>'
            )
        return (
            f'{DECLARATION}<Relationships xmlns="{_PKG_REL}">{rels}'
            f'<Relationship Id="rId{styles}" Type="{REL}/styles" Target="styles.xml"/>'
            "</Relationships>"
        )
