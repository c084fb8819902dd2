"""OpenDocument text transcripts (.odt: LibreOffice, and Word's "Save as ODF"): the paragraphs and tables
of content.xml, read as a .docx is (word.document_source).

The text is what the document shows with every tracked change accepted: insertions sit in the text, and
deletions only in the tracked-changes region, which is not read (a `tracked_changes` warning says so).
Footnotes, comments and text boxes are not text of the paragraph they are anchored in. Hidden text is left
out, as a .docx's is (a `hidden_text` warning says so): text and paragraphs in a style set hidden
(`text:display="none"`, LibreOffice's Font Effects > Hidden, also through a parent style), a paragraph
holding a hidden-paragraph field (also inside a formatted span) or a hidden text field whose condition
holds, and a section set hidden (`text:display="none"`) or hidden by a condition that holds. Whether a
condition holds is what LibreOffice last worked out: it writes `text:is-hidden="true"` on the field or
section it hid, and nothing on one it showed, which is read; conditional text reads as the value it
shows (the element's text). Spaces follow the
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
from .turns import TURN_SEPARATOR, Source

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_PARAGRAPHS = {f"{{{TEXT}}}p", f"{{{TEXT}}}h"}
# Containers of paragraphs in the body, read through: lists, sections, and a table's row groups.
_CONTAINERS = {f"{{{TEXT}}}{name}" for name in ("list", "list-item", "list-header", "section")} | {
    f"{{{TABLE}}}{name}" for name in ("table-header-rows", "table-rows", "table-row-group")
}
# Inside a paragraph, not its text: footnotes, comments, frames (text boxes, images), ruby annotations, and
# placeholder fields (a template's "<Enter the date>", as Word's unfilled content controls), and the number
# a program may have cached in a numbered paragraph (read as its number: numbering.OdfNumbering).
_NOT_TEXT = {
    f"{{{TEXT}}}number",
    f"{{{TEXT}}}note",
    f"{{{TEXT}}}placeholder",
    f"{{{OFFICE}}}annotation",
    f"{{{DRAW}}}frame",
    f"{{{DRAW}}}custom-shape",
    f"{{{TEXT}}}ruby-text",
}
_SPACE = re.compile(r"[ \t\r\n]+")
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_HIDDEN_FIELDS = {f"{{{TEXT}}}hidden-text", f"{{{TEXT}}}hidden-paragraph"}
_PAGE_COUNT = re.compile(rb'<meta:document-statistic\b[^>]*\bmeta:page-count="([0-9]{1,6})"')
# The width of the window LibreOffice showed the document in when it saved it (0: none showed it).
_VIEW_WIDTH = re.compile(rb'config:name="ViewAreaWidth"[^>]*>\s*(-?[0-9]{1,12})\s*<')
MAX_SPACES = 10_000  # in one <text:s>: a real document has a handful; a crafted count could claim gigabytes


def read_odt(path: Path, data: bytes, *, encoding: str | None = None) -> Source:
    """Read an .odt transcript, or raise TranscriptError (empty, damaged, no text)."""
    from .word import Block, bold_lead, document_source

    _, _, body, bold, hidden, on_pages = _opened(path, data)
    blocks: list[Block] = []
    # Where each paragraph and row is, as document_source numbers them: the pages it is on.
    pages: dict[str, tuple[int, int]] = {}
    paragraph = table = 0
    try:
        for kind, element in _blocks(body, hidden):
            if kind == "p":
                blocks.append(bold_lead(_paragraph_text(element, hidden), _bold_start(element, bold, hidden)))
                paragraph += 1
                if on_pages is not None and element in on_pages:
                    pages[f"paragraph {paragraph}"] = on_pages[element]
            else:
                rows = _rows(element, hidden)
                blocks.append([cells for _, cells in rows])
                table += 1
                for r, (row, _) in enumerate(rows, start=1):
                    if on_pages is not None and row in on_pages:
                        pages[f"table {table}, row {r}"] = on_pages[row]
    except ValueError as ex:
        raise _damaged(str(path), f"content.xml, line {ex.args[0]}") from None
    changes = _tracked_changes(body)
    return document_source(
        path,
        "odt",
        blocks,
        tracked_changes=changes,
        hidden_text=len(hidden.paragraphs),
        pages=pages if on_pages is not None else None,
    )


def _tracked_changes(body) -> int:
    """Insertions and deletions of text, as a .docx's are counted: not a format change (bold set on a label
    with Track Changes on), which changes no word."""
    return sum(
        region.find(f"{{{TEXT}}}insertion") is not None or region.find(f"{{{TEXT}}}deletion") is not None
        for region in body.iterfind(f"{{{TEXT}}}tracked-changes/{{{TEXT}}}changed-region")
    )


def read_odt_document(path: Path, data: bytes, *, encoding: str | None = None):
    """An .odt document (a policy saved by LibreOffice): its paragraphs and table rows in order, as a
    .docx document's are read (document.read_docx_document), or raise TranscriptError. Headings
    (`text:h`, a Title or Heading style, a paragraph all in bold) are headings; each footnote and endnote
    is a paragraph of its own after the paragraph that cites it (`Footnote 1: ...`, by the citation the
    document shows); pages as a transcript's (_laid_out_pages)."""
    from .document import DocumentSource
    from .numbering import OdfNumbering
    from .sections import Block

    root, styles, body, bold, hidden, on_pages = _opened(path, data)
    headings = _heading_styles(root, styles)
    numbers = OdfNumbering(root, styles).labels(body)
    unknown = (
        ""
        if on_pages is not None or not _by_office(data)
        else "LibreOffice saved it with no layout to trust: its marks of where pages start are missing or do "
        "not account for every page it has (LibreOffice marks them when it saves from a window; a file "
        "converted with no window showing it has none)"
    )
    on_pages = on_pages or {}
    blocks: list[Block] = []
    paragraph = table = 0
    try:
        for kind, element in _blocks(body, hidden):
            if kind == "p":
                paragraph += 1
                where = f"paragraph {paragraph}"
                page, end = on_pages.get(element, (None, None))
                text = _paragraph_text(element, hidden).strip()
                if (
                    text and element in numbers
                ):  # as LibreOffice shows it: "2.2 Exclusion criteria", "(a) ..."
                    text = f"{numbers[element]} {text}"
                heading = (
                    element.tag == f"{{{TEXT}}}h"
                    or element.get(f"{{{TEXT}}}style-name") in headings
                    or (bool(text) and _bold_start(element, bold, hidden).strip() == text)
                )
                if text:
                    blocks.append(Block(text, where, page, heading, end_page=end))
                blocks += [Block(t, f"{what} in {where}", page) for what, t in _notes(element, hidden)]
                continue
            table += 1
            for r, (row, cells) in enumerate(_rows(element, hidden), start=1):
                where = f"table {table}, row {r}"
                page, end = on_pages.get(row, (None, None))
                # Each row a paragraph, "cell | cell", a cell's paragraphs on lines of their own.
                text = " | ".join(c.replace(TURN_SEPARATOR, "\n") for c in cells if c)
                blocks.append(Block(text, where, page, end_page=end))
                blocks += [Block(t, f"{what} in {where}", page) for what, t in _notes(row, hidden)]
    except ValueError as ex:
        raise _damaged(str(path), f"content.xml, line {ex.args[0]}") from None
    scan_text = TURN_SEPARATOR.join(b.text for b in blocks)
    return DocumentSource(
        "odt",
        blocks,
        scan_text,
        tracked_changes=_tracked_changes(body),
        hidden_text=len(hidden.paragraphs),
        pages_unknown=unknown,
    )


def _notes(element, hidden: _Hidden) -> list[tuple[str, str]]:
    """(footnote or endnote, `Footnote 1: its text`) for each note cited in a paragraph's own text (or a
    table row's cells), by the citation the document shows: a reader sees them, and a policy puts rules
    in them."""
    found = []
    owners = [element] if element.tag in _PARAGRAPHS else list(element.iter(*_PARAGRAPHS))
    for owner in owners:
        for note in _own(owner, f"{{{TEXT}}}note"):
            kind = "endnote" if note.get(f"{{{TEXT}}}note-class") == "endnote" else "footnote"
            citation = (note.findtext(f"{{{TEXT}}}note-citation") or "").strip()
            note_body = note.find(f"{{{TEXT}}}note-body")
            paragraphs = _blocks(note_body, hidden) if note_body is not None else []
            texts = [" ".join(_paragraph_text(p, hidden).split()) for k, p in paragraphs if k == "p"]
            text = " ".join(t for t in texts if t)
            if text:
                found.append((kind, f"{kind.capitalize()} {citation}: {text}" if citation else text))
    return found


def odt_notes_text(path: Path, data: bytes) -> list[str]:
    """The footnotes and endnotes a document reading of this .odt adds (read_odt_document), for `deid
    scan`, which reads an .odt as a transcript. Raises TranscriptError."""
    return [b.text for b in read_odt_document(path, data).blocks if "note in " in b.where]


def _heading_styles(root, styles) -> set[str]:
    """The names of the paragraph styles that are a title or a heading (LibreOffice's "Title" and
    "Heading N", Word's carried over), themselves or through a parent style."""
    parents: dict[str, str | None] = {}
    for tree in (styles, root):
        if tree is None:
            continue
        for s in tree.iter(f"{{{STYLE}}}style"):
            if s.get(f"{{{STYLE}}}family") == "paragraph":
                parents[s.get(f"{{{STYLE}}}name")] = s.get(f"{{{STYLE}}}parent-style-name")

    def heading(name: str | None) -> bool:
        seen = set()
        while name is not None and name not in seen:
            seen.add(name)
            if re.fullmatch(r"(?:Title|Heading(?:_20_\d+)?)", name):
                return True
            name = parents.get(name)
        return False

    return {name for name in parents if heading(name)} | {"Title", "Heading"}


def _opened(path: Path, data: bytes) -> tuple:
    """What both readers start from: content.xml's root, styles.xml's, the body, the bold styles, what is
    hidden, and the pages each paragraph and row is on (None when the file's layout is not to be trusted)."""
    root, styles, page_count = _content(path, data)
    body = root.find(f"{{{OFFICE}}}body/{{{OFFICE}}}text")
    if body is None:
        raise _damaged(str(path), "no office:text body")
    hidden = _Hidden(root, styles)
    return root, styles, body, _bold_styles(root), hidden, _laid_out_pages(body, root, styles, page_count)


def _content(path: Path, data: bytes):
    """content.xml's root, styles.xml's (None without one) and the page count meta.xml gives (None without
    one, or when no window showed the file as it was saved), after the zip-bomb checks, with no DTD,
    entity or network access."""
    from lxml import etree

    from ..safeio import DAMAGED_ZIP, check_zip, zip_damage
    from .word import damaged_part, password_error

    name = str(path)
    check_not_empty(data, name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (OSError, ValueError, *DAMAGED_ZIP) as ex:
        raise _damaged(name, type(ex).__name__) from None
    with archive:
        check_zip(archive, what=name, error=TranscriptError)
        if "content.xml" not in archive.namelist():
            raise _damaged(name, "no content.xml")
        parts: dict[str, bytes | None] = {}
        # The manifest first: a password-protected file keeps its zip, but content.xml is ciphertext the
        # manifest says how to decrypt, which would read as a damaged file.
        for part in ("META-INF/manifest.xml", "content.xml", "styles.xml", "meta.xml", "settings.xml"):
            try:
                parts[part] = archive.read(part) if part in archive.namelist() else None
            except DAMAGED_ZIP as ex:  # a download cut short or a flipped bit: zlib's error, a bad CRC...
                raise damaged_part(name, part, zip_damage(ex), "LibreOffice") from None
            if part == "META-INF/manifest.xml" and b"encryption-data" in (parts[part] or b""):
                raise password_error(
                    name, 'in LibreOffice: File > Save As, with "Save with password" unticked'
                )
    content, styles = parts["content.xml"], parts["styles.xml"]
    meta, settings = parts["meta.xml"] or b"", parts["settings.xml"] or b""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    roots = []
    for part, xml in (("content.xml", content), ("styles.xml", styles)):
        if xml is None:
            roots.append(None)
            continue
        try:
            tree = etree.parse(io.BytesIO(xml), parser)
        except etree.XMLSyntaxError as ex:
            raise _damaged(name, f"{part}, line {ex.position[0] if ex.position else '?'}") from None
        if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
            raise TranscriptError(
                f'"{name}" declares a DTD (<!DOCTYPE>) in its {part}, which office programs never write. Open '
                "and re-save it in LibreOffice or Word, or export it as .txt."
            )
        roots.append(tree.getroot())
    count, view = _PAGE_COUNT.search(meta), _VIEW_WIDTH.search(settings)
    # A file saved with no window showing it (`soffice --headless --convert-to odt`, a script) holds the
    # layout LibreOffice had got to, not the document's: its page count and marks agree with each other
    # and not with the pages it prints (2 pages where it prints 4).
    laid_out = count is not None and view is not None and int(view[1]) > 0
    return roots[0], roots[1], int(count[1]) if laid_out else None


# The office programs that lay an .odt out in pages (meta.xml's generator); a program that writes one
# lays out no pages, so its file has none to be missed.
_OFFICE_GENERATOR = re.compile(
    rb"<meta:generator>\s*(?:LibreOffice|OpenOffice|Collabora|StarOffice)", re.IGNORECASE
)


def _by_office(data: bytes) -> bool:
    """Whether an office program saved this .odt (its meta.xml's generator)."""
    from ..safeio import DAMAGED_ZIP

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            meta = archive.read("meta.xml")[:65536] if "meta.xml" in archive.namelist() else b""
    except (KeyError, OSError, *DAMAGED_ZIP):
        return False
    return bool(_OFFICE_GENERATOR.search(meta))


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


class _Hidden:
    """What the document hides: the styles set hidden (`text:display="none"` in their text properties, or
    a parent style's, in content.xml's automatic styles and styles.xml's named ones), and the paragraphs
    found to hold hidden text, for the warning."""

    def __init__(self, root, styles) -> None:
        found: dict[tuple[str | None, str | None], tuple[str | None, str | None]] = {}
        for tree in (styles, root):  # automatic styles after named ones: theirs is the last word
            if tree is None:
                continue
            for s in tree.iter(f"{{{STYLE}}}style"):
                props = s.find(f"{{{STYLE}}}text-properties")
                shown = props.get(f"{{{TEXT}}}display") if props is not None else None
                family = s.get(f"{{{STYLE}}}family")
                found[(family, s.get(f"{{{STYLE}}}name"))] = (shown, s.get(f"{{{STYLE}}}parent-style-name"))
        self._styles = found
        self.paragraphs: set = set()  # the paragraph elements (kept alive, so each is one object)

    def style(self, family: str, name: str | None) -> bool:
        """Whether the `family` ("text", "paragraph") style `name` hides its text, itself or by a parent."""
        seen = set()
        while name is not None and name not in seen:
            seen.add(name)
            shown, parent = self._styles.get((family, name), (None, None))
            if shown is not None:
                return shown == "none"
            name = parent
        return False

    def element(self, element) -> bool:
        """Whether an element of the body or a paragraph is hidden: a paragraph or span in a hidden style,
        a hidden paragraph or text field whose condition holds, a section set hidden."""
        tag = element.tag
        if tag in _HIDDEN_FIELDS:
            return element.get(f"{{{TEXT}}}is-hidden") == "true"
        if tag in _PARAGRAPHS:
            return self.style("paragraph", element.get(f"{{{TEXT}}}style-name")) or any(
                self.element(f) for f in _own(element, f"{{{TEXT}}}hidden-paragraph")
            )
        if tag == f"{{{TEXT}}}span":
            return self.style("text", element.get(f"{{{TEXT}}}style-name"))
        if tag == f"{{{TEXT}}}section":
            # Hidden outright (display="none"), or by a condition that held when LibreOffice last saved it:
            # it then writes is-hidden="true" beside display="condition" (and nothing when it showed it).
            return (
                element.get(f"{{{TEXT}}}display") == "none" or element.get(f"{{{TEXT}}}is-hidden") == "true"
            )
        return False


def _own(paragraph, tag: str):
    """The elements `tag` in a paragraph's own text, at any depth (a field in a formatted span), not in
    the footnotes, comments or text boxes anchored in it, whose paragraphs are their own."""
    for child in paragraph:
        if child.tag == tag:
            yield child
        elif child.tag not in _NOT_TEXT:
            yield from _own(child, tag)


def _bold_start(paragraph, bold: set[str], hidden: _Hidden | None = None) -> str:
    """The text of the bold spans a paragraph starts with ("" when it starts with plain text)."""
    if (paragraph.text or "").strip():
        return ""
    out = ""
    for child in paragraph:
        if child.tag != f"{{{TEXT}}}span" or child.get(f"{{{TEXT}}}style-name") not in bold:
            break
        out += _paragraph_text(child, hidden)
        if (child.tail or "").strip():
            break
    return out


def _blocks(container, hidden: _Hidden | None = None):
    """("p", paragraph) and ("table", table) in document order, through lists and sections; hidden
    paragraphs and sections left out (and counted)."""
    for child in container:
        if hidden is not None and hidden.element(child):
            hidden.paragraphs.update(p for p in child.iter(*_PARAGRAPHS) if "".join(p.itertext()).strip())
            continue
        if child.tag in _PARAGRAPHS:
            yield "p", child
        elif child.tag == f"{{{TABLE}}}table":
            yield "table", child
        elif child.tag in _CONTAINERS:
            yield from _blocks(child, hidden)


def _paragraph_text(paragraph, hidden: _Hidden | None = None) -> str:
    """A paragraph's text as the document shows it (see the module's note on spaces), its hidden text
    left out."""
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
            elif hidden is not None and hidden.element(child):
                if "".join(child.itertext()).strip():
                    hidden.paragraphs.add(paragraph)
            elif child.tag not in _NOT_TEXT:
                walk(child)  # spans, links, bookmarks, change marks, fields
            if child.tail:
                parts.append(_SPACE.sub(" ", child.tail))

    walk(paragraph)
    return "".join(parts).strip(" ")


def _rows(table, hidden: _Hidden | None = None) -> list[tuple[object, list[str]]]:
    """A table's rows, each (its element, its cell texts: a cell's paragraphs apart as a turn's are);
    merged-away cells and empty rows left out."""
    rows = []
    for row in table.iter(f"{{{TABLE}}}table-row"):
        if row.getparent() is not None and _table_of(row) is not table:
            continue  # a row of a table nested in a cell
        cells = [
            TURN_SEPARATOR.join(  # a cell's paragraphs apart as a turn's: word.CELL_PARAGRAPHS
                text
                for kind, p in _blocks(cell, hidden)
                if kind == "p" and (text := _paragraph_text(p, hidden))
            ).strip()
            for cell in row
            if cell.tag == f"{{{TABLE}}}table-cell"
        ]
        if any(cells):
            rows.append((row, cells))
    return rows


def _table_of(row):
    parent = row.getparent()
    while parent is not None and parent.tag != f"{{{TABLE}}}table":
        parent = parent.getparent()
    return parent


def _breaking_styles(root, styles) -> tuple[set[str], set[str]]:
    """The names of the paragraph and table styles that start a page before their paragraph or table
    (`fo:break-before="page"`, or a master page of their own: LibreOffice's "Insert > More Breaks >
    Manual Break"), and of those that start one after it (`fo:break-after="page"`), also through a
    parent style, from styles.xml's named styles and content.xml's automatic ones."""
    fo = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
    found: dict[str, tuple[str | None, str | None, str | None]] = {}
    for tree in (styles, root):  # automatic styles after named ones
        if tree is None:
            continue
        for s in tree.iter(f"{{{STYLE}}}style"):
            if s.get(f"{{{STYLE}}}family") not in ("paragraph", "table"):
                continue
            props = s.find(f"{{{STYLE}}}paragraph-properties")
            if props is None:
                props = s.find(f"{{{STYLE}}}table-properties")
            before = props.get(f"{{{fo}}}break-before") if props is not None else None
            after = props.get(f"{{{fo}}}break-after") if props is not None else None
            if s.get(f"{{{STYLE}}}master-page-name"):
                before = "page"
            found[s.get(f"{{{STYLE}}}name")] = (before, after, s.get(f"{{{STYLE}}}parent-style-name"))

    def inherited(name: str | None, k: int) -> bool:
        seen = set()
        while name is not None and name not in seen:
            seen.add(name)
            values = found.get(name)
            if values is None:
                return False
            if values[k] is not None:
                return values[k] == "page"
            name = values[2]
        return False

    return {n for n in found if inherited(n, 0)}, {n for n in found if inherited(n, 1)}


def _laid_out_pages(body, root, styles, page_count: int | None) -> dict | None:
    """{paragraph or table row element: (the page it starts on, the page its last text is on)} of an .odt
    LibreOffice laid out, or None when its pages are not known.

    LibreOffice marks where it laid out a page (`<text:soft-page-break/>`) only where the page starts
    with a paragraph or a table row: a page that starts inside a paragraph, and one a manual break starts
    (a paragraph style with `fo:break-before="page"`), get no mark. The breaks are counted, and trusted
    only when they account for every page meta.xml says the document has (its `meta:page-count`, from the
    same layout): else a long answer over a page break would put every later turn a page too early. A
    file saved with no window showing it has none (_content)."""
    if page_count is None:
        return None
    before, after = _breaking_styles(root, styles)
    soft, p_tags, table = f"{{{TEXT}}}soft-page-break", _PARAGRAPHS, f"{{{TABLE}}}table"
    page, text_on_page, pending = 1, False, False
    spans: dict = {}

    def mark(owner) -> None:
        nonlocal text_on_page
        if owner is not None:
            spans.setdefault(owner, [page, page])[1] = page
        text_on_page = True

    def new_page() -> None:
        nonlocal page, text_on_page
        page, text_on_page = page + 1, False

    def walk(element, owner) -> None:
        nonlocal pending
        if (element.text or "").strip():
            mark(owner)
        for child in element:
            tag = child.tag
            if tag == soft:
                new_page()
            elif tag in p_tags or tag == table:
                style = child.get(f"{{{TEXT if tag in p_tags else TABLE}}}style-name")
                if (pending or style in before) and text_on_page:
                    new_page()
                pending = False
                walk(child, child if tag in p_tags else owner)
                pending = style in after
            elif tag not in _NOT_TEXT:  # a footnote's text is at the foot of the page, in no paragraph here
                walk(child, owner)
            if (child.tail or "").strip():
                mark(owner)

    walk(body, None)
    if page != page_count:
        return None
    out = {element: (start, end) for element, (start, end) in spans.items()}
    for row in body.iter(f"{{{TABLE}}}table-row"):  # a row is on the pages of its cells' paragraphs
        found = [spans[p] for p in row.iter(*p_tags) if p in spans]
        if found:
            out[row] = (min(s for s, _ in found), max(e for _, e in found))
    return out
