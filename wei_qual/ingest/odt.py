"""OpenDocument text transcripts (.odt: LibreOffice, and Word's "Save as ODF"): the paragraphs and tables
of content.xml, read as a .docx is (word.document_source).

The text is what the document shows with every tracked change accepted: insertions sit in the text, and
deletions only in the tracked-changes region, which is not read (a `tracked_changes` warning says so).
Footnotes, comments and text boxes are not text of the paragraph they are anchored in. Spaces follow the
format: runs of white space in the XML are one space, `<text:s text:c="3"/>` is three, `<text:tab/>` a
tab and `<text:line-break/>` a line break.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from ..errors import TranscriptError
from .decode import check_not_empty
from .turns import Source

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_PARAGRAPHS = {f"{{{TEXT}}}p", f"{{{TEXT}}}h"}
# Containers of paragraphs in the body, read through: lists, sections, and a table's row groups.
_CONTAINERS = {f"{{{TEXT}}}{name}" for name in ("list", "list-item", "list-header", "section")} | {
    f"{{{TABLE}}}{name}" for name in ("table-header-rows", "table-rows", "table-row-group")
}
# Inside a paragraph, not its text: footnotes, comments, frames (text boxes, images), ruby annotations.
_NOT_TEXT = {
    f"{{{TEXT}}}note",
    f"{{{OFFICE}}}annotation",
    f"{{{DRAW}}}frame",
    f"{{{DRAW}}}custom-shape",
    f"{{{TEXT}}}ruby-text",
}
_SPACE = re.compile(r"[ \t\r\n]+")
MAX_SPACES = 10_000  # in one <text:s>: a real document has a handful; a crafted count could claim gigabytes


def read_odt(path: Path, data: bytes, *, encoding: str | None = None) -> Source:
    """Read an .odt transcript, or raise TranscriptError (empty, damaged, no text)."""
    from .word import Block, bold_lead, document_source

    root = _content(path, data)
    body = root.find(f"{{{OFFICE}}}body/{{{OFFICE}}}text")
    if body is None:
        raise _damaged(str(path), "no office:text body")
    bold = _bold_styles(root)
    blocks: list[Block] = []
    try:
        for kind, element in _blocks(body):
            if kind == "p":
                blocks.append(bold_lead(_paragraph_text(element), _bold_start(element, bold)))
            else:
                blocks.append(_rows(element))
    except ValueError as ex:
        raise _damaged(str(path), f"content.xml, line {ex.args[0]}") from None
    changes = len(body.findall(f"{{{TEXT}}}tracked-changes/{{{TEXT}}}changed-region"))
    return document_source(path, "odt", blocks, tracked_changes=changes)


def _content(path: Path, data: bytes):
    """content.xml's root, after the zip-bomb checks, with no DTD, entity or network access."""
    from lxml import etree

    from ..safeio import check_zip
    from .word import password_error

    name = str(path)
    check_not_empty(data, name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, what=name, error=TranscriptError)
            content = archive.read("content.xml")
            # A password-protected file keeps its zip, but content.xml is ciphertext the manifest says how
            # to decrypt: it would read as a damaged file.
            manifest = (
                archive.read("META-INF/manifest.xml")
                if "META-INF/manifest.xml" in archive.namelist()
                else b""
            )
    except TranscriptError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError) as ex:
        raise _damaged(name, type(ex).__name__) from None
    if b"encryption-data" in manifest:
        raise password_error(name, 'in LibreOffice: File > Save As, with "Save with password" unticked')
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        tree = etree.parse(io.BytesIO(content), parser)
    except etree.XMLSyntaxError as ex:
        raise _damaged(name, f"content.xml, line {ex.position[0] if ex.position else '?'}") from None
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise TranscriptError(
            f'"{name}" declares a DTD (<!DOCTYPE>) in its content.xml, which office programs never write. Open '
            "and re-save it in LibreOffice or Word, or export it as .txt."
        )
    return tree.getroot()


def _damaged(name: str, what: str) -> TranscriptError:
    return TranscriptError(
        f'"{name}" is not a valid .odt file ({what}); it may be damaged or another format renamed. Open and '
        "re-save it in LibreOffice or Word, or export it as .txt."
    )


def _bold_styles(root) -> set[str]:
    """The names of the character styles that set text in bold: automatic ones with a bold weight, and
    LibreOffice's "Strong Emphasis"."""
    style = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
    fo = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
    bold = {"Strong_20_Emphasis"}
    for s in root.iterfind(f"{{{OFFICE}}}automatic-styles/{{{style}}}style"):
        weight = s.find(f"{{{style}}}text-properties")
        if (weight is not None and weight.get(f"{{{fo}}}font-weight") == "bold") or s.get(
            f"{{{style}}}parent-style-name"
        ) in bold:
            bold.add(s.get(f"{{{style}}}name"))
    return bold


def _bold_start(paragraph, bold: set[str]) -> str:
    """The text of the bold spans a paragraph starts with ("" when it starts with plain text)."""
    if (paragraph.text or "").strip():
        return ""
    out = ""
    for child in paragraph:
        if child.tag != f"{{{TEXT}}}span" or child.get(f"{{{TEXT}}}style-name") not in bold:
            break
        out += _paragraph_text(child)
        if (child.tail or "").strip():
            break
    return out


def _blocks(container):
    """("p", paragraph) and ("table", table) in document order, through lists and sections."""
    for child in container:
        if child.tag in _PARAGRAPHS:
            yield "p", child
        elif child.tag == f"{{{TABLE}}}table":
            yield "table", child
        elif child.tag in _CONTAINERS:
            yield from _blocks(child)


def _paragraph_text(paragraph) -> str:
    """A paragraph's text as the document shows it (see the module's note on spaces)."""
    parts: list[str] = []

    def walk(element) -> None:
        if element.text:
            parts.append(_SPACE.sub(" ", element.text))
        for child in element:
            if child.tag == f"{{{TEXT}}}s":
                count = child.get(f"{{{TEXT}}}c", "1")
                if not count.isdigit() or not 0 < int(count) <= MAX_SPACES:
                    raise ValueError(child.sourceline)
                parts.append(" " * int(count))
            elif child.tag == f"{{{TEXT}}}tab":
                parts.append("\t")
            elif child.tag == f"{{{TEXT}}}line-break":
                parts.append("\n")
            elif child.tag not in _NOT_TEXT:
                walk(child)  # spans, links, bookmarks, change marks, fields
            if child.tail:
                parts.append(_SPACE.sub(" ", child.tail))

    walk(paragraph)
    return "".join(parts).strip(" ")


def _rows(table) -> list[list[str]]:
    """A table's rows of cell texts (a cell's paragraphs on lines of their own); merged-away cells and
    empty rows left out."""
    rows = []
    for row in table.iter(f"{{{TABLE}}}table-row"):
        if row.getparent() is not None and _table_of(row) is not table:
            continue  # a row of a table nested in a cell
        cells = [
            "\n".join(_paragraph_text(p) for kind, p in _blocks(cell) if kind == "p").strip()
            for cell in row
            if cell.tag == f"{{{TABLE}}}table-cell"
        ]
        if any(cells):
            rows.append(cells)
    return rows


def _table_of(row):
    parent = row.getparent()
    while parent is not None and parent.tag != f"{{{TABLE}}}table":
        parent = parent.getparent()
    return parent
