"""Documents (policies, MOUs, protocols): read a .pdf, .docx, .odt, .md or .txt into paragraphs, split them into
segments by numbered section or by paragraph (sections.py) and build a Transcript of kind "document".

A document has no speakers: its segments have the role "document", a label (the section heading) and,
where the source has pages, the pages they start and end on.
"""

from __future__ import annotations

import hashlib
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import TranscriptError, shell_path
from ..models import DOCUMENT, DOCUMENT_KIND, ROLES_NONE, Segment, Transcript, TranscriptWarning
from .checks import (
    LEFT_OUT,
    LONG_TURN,
    LONG_TURN_WORDS,
    PAGE_HEADS,
    PAGES_UNKNOWN,
    SINGLE_SEGMENT,
    TABLE_LINES,
    _listed,
    column_warnings,
    hidden_warnings,
    tracked_warnings,
)
from .decode import decode_text
from .frontmatter import split_front_matter
from .numbering import WordNumbering
from .pages import passed_over, running_heads
from .sections import Block, Section, split_sections
from .turns import TURN_SEPARATOR, join_segments

DOCUMENT_SUFFIXES = (".pdf", ".docx", ".odt", ".md", ".markdown", ".txt")


@dataclass
class DocumentSource:
    """What a document reader gives back: paragraphs, and the text the PII gate scans."""

    format: str
    blocks: list[Block]
    scan_text: str
    scan_locations: list[str | None] | None = None  # as turns.Source: where each scan line is
    attributes: dict[str, str] = field(default_factory=dict)  # front matter
    transcript_id: str | None = None  # set by front matter
    columns: dict[int, int] = field(default_factory=dict)  # PDF pages set in columns: page -> how many
    tracked_changes: int = 0  # tracked insertions, deletions and moves in a .docx, read as accepted
    hidden_text: int = 0  # paragraphs of a .docx holding text formatted hidden, which is not read
    running_heads: list[int] = field(default_factory=list)  # lines of a .txt or .md left out as page heads
    pages_unknown: str = ""  # a .docx or .odt with no pages: why the file does not say where they are
    lone_heads: list[str] = field(default_factory=list)  # page:line of a one-page PDF's header and footer
    unread_tables: list[str] = field(default_factory=list)  # PDF tables without borders read line by line
    unsure_heads: list[str] = field(default_factory=list)  # page:line of a one-page PDF's header-like text

    def location(self, line: int, column: int) -> str:
        if self.scan_locations is not None and 0 < line <= len(self.scan_locations):
            return self.scan_locations[line - 1] or f"{line}:{column}"
        return f"{line}:{column}"


def text_blocks(lines: list[str], *, markdown: bool, skip: frozenset[int] = frozenset()) -> list[Block]:
    """Paragraphs of a text file (blank line = break); Markdown `#` lines are headings of their own.
    `skip`: lines passed over as if they were not there (running page heads: pages.passed_over). In text
    made from a PDF, whose pages end at form feeds, each paragraph has the pages it starts and ends on."""
    blocks: list[Block] = []
    current: list[str] = []
    breaks: list[tuple[int, int]] = []  # (offset, page) where a later page starts in the paragraph
    start = 0
    paged = any("\f" in line for line in lines)
    page, start_page, end_page = 1, None, None
    passed = False  # lines were passed over since the paragraph's last line: a page break in it
    compounds = {m.group().casefold() for line in lines for m in _COMPOUND.finditer(line)}
    table_lines, rows = markdown_tables(lines) if markdown else (frozenset(), {})

    def flush() -> None:
        if current:
            blocks.append(
                Block(
                    "\n".join(current),
                    f"line {start + 1}",
                    start_page,
                    end_page=end_page,
                    breaks=tuple(breaks),
                )
            )
            current.clear()
            breaks.clear()

    for i, raw in enumerate(lines):
        text_at = len(raw) - len(raw.lstrip("\f \t"))
        page += raw[:text_at].count("\f")  # a form feed before the line's text: it starts a page
        here = page if paged else None
        page += raw[text_at:].count("\f")
        if i in skip:
            passed = bool(current)
            continue
        line = raw.strip()
        if i in table_lines:  # a table's row is a paragraph of its own, as a Word table's is
            flush()
            if rows.get(i):
                blocks.append(Block(rows[i], f"line {i + 1}", here, end_page=here))
            continue
        if not line:
            flush()
            continue
        if markdown and line.startswith("#") and line.lstrip("#").startswith(" "):
            flush()
            blocks.append(Block(line.lstrip("#").strip(), f"line {i + 1}", here, heading=True))
            continue
        if not current:
            start, start_page = i, here
        joined = len("\n".join(current))
        broken = _BROKEN.search(current[-1]) if current and passed else None
        if broken and line[:1].islower():
            # A word hyphenated over the page break ("be-" / "fore"), made whole unless the document
            # writes it with the hyphen elsewhere.
            rest = line.split()[0].strip(".,;:!?)")
            keep = f"{broken.group(1)}-{rest}".casefold() in compounds
            at = (
                joined - len(current[-1]) + broken.start() + len(broken.group(1)) + keep
            )  # "fore" starts here
            current[-1] = current[-1][: broken.start()] + broken.group(1) + ("-" if keep else "") + line
        else:
            at = joined + 1 if current else 0
            current.append(line)
        if at and here is not None and here != end_page:  # a later page starts inside the paragraph
            breaks.append((at, here))
        end_page = here
        passed = False
    flush()
    return blocks


def markdown_tables(lines: list[str]) -> tuple[frozenset[int], dict[int, str]]:
    """The lines of a Markdown document's tables (GitHub's pipe tables, found by markdown-it-py as any
    Markdown reader finds them) and, by line, each row's text: its cells joined by " | " as a .docx table
    row's are, empty cells left out. A cell's text is as written, but for an escaped pipe (`\\|`), which is
    the cell's `|`; the alignment row (`|---|:---:|`) is no text."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    table_lines: set[int] = set()
    rows: dict[int, str] = {}
    row: list[str] | None = None
    row_line = 0
    for token in parser.parse("\n".join(line.replace("\f", "") for line in lines)):
        if token.type == "table_open" and token.map:
            table_lines.update(range(*token.map))
        elif token.type == "tr_open" and token.map:
            row, row_line = [], token.map[0]
        elif token.type == "inline" and row is not None:
            row.append(token.content.strip())
        elif token.type == "tr_close" and row is not None:
            rows[row_line] = " | ".join(cell for cell in row if cell)
            row = None
    return frozenset(table_lines), rows


_BROKEN = re.compile(r"(?<![^\W\d_])([^\W\d_]+)-$")  # from a word's start only: linear in a long word
_COMPOUND = re.compile(r"\b[^\W\d_]+-[^\W\d_]+\b")


def read_text_document(path: Path, data: bytes, *, encoding: str | None = None) -> DocumentSource:
    """A .txt or .md document (front matter allowed), or raise TranscriptError."""
    name = str(path)
    text = decode_text(data, name, encoding)
    transcript_id, attributes, body = split_front_matter(text, name)
    markdown = path.suffix.lower() in (".md", ".markdown")
    lines = body.split("\n")
    # A policy saved as text from a PDF keeps its page headers and footers: left out, as a transcript's.
    heads = running_heads(lines, service_lines=True)
    blocks = text_blocks(lines, markdown=markdown, skip=passed_over(lines, heads.heads))
    return DocumentSource(
        "md" if markdown else "txt",
        blocks,
        text,
        None,
        attributes,
        transcript_id,
        running_heads=[i + 1 for i in heads.heads],
    )


# Sections that start on a new page (w:sectPr's w:type; none given is "nextPage"), as against
# "continuous" and "nextColumn".
_NEW_PAGE_SECTIONS = ("nextPage", "oddPage", "evenPage")


def _docx_pages(elements) -> list[tuple[int | None, int | None, list]]:
    """(the page it starts on, the page its last text is on, the page breaks between its first and last
    text) of each paragraph or table row element, from Word's rendered page breaks (or, in a file Word
    never laid out, the breaks that start a page: a page break, a paragraph set to start a page, a
    section break to a new page); (None, None, []) for every one when the file has neither.
    Breaks inside table rows count: a table can run over a page. A break is (its element, the page that
    starts there). A column break starts no page: in a file Word laid out, the pages are where Word
    marked them; in one it never laid out, a column may end anywhere on the page."""
    from docx.oxml.ns import qn

    from .word import xpath

    rendered, br, text_tag = qn("w:lastRenderedPageBreak"), qn("w:br"), qn("w:t")
    has_rendered = any(True for e in elements for _ in e.iter(rendered))
    page_break, p_tag = qn("w:type"), qn("w:p")

    def is_break(el) -> bool:
        if has_rendered:
            return el.tag == rendered
        return el.tag == br and el.get(page_break) == "page"

    def starts_page(e) -> bool:
        """A body paragraph set to start a page ("Page break before"), in a file Word never laid out."""
        if has_rendered or e.tag != p_tag:
            return False
        found = xpath(e, "./w:pPr/w:pageBreakBefore")
        return bool(found) and found[0].get(qn("w:val")) not in ("0", "false", "off")

    def ends_section(e) -> bool:
        """A paragraph that ends a section whose next one starts on a new page, in a file never laid out."""
        if has_rendered or e.tag != p_tag:
            return False
        found = xpath(e, "./w:pPr/w:sectPr")
        if not found:
            return False
        kind = xpath(found[0], "string(./w:type/@w:val)") or "nextPage"
        return kind in _NEW_PAGE_SECTIONS

    if not has_rendered and not any(
        starts_page(e) or ends_section(e) or any(is_break(el) for el in e.iter(br)) for e in elements
    ):
        return [(None, None, [])] * len(elements)

    def walk(flow, page: int) -> tuple[int, int | None, int | None, list]:
        """(the page after it, the page of its first text, of its last, its breaks after its first text)
        of one flow of text: a paragraph, or a table cell."""
        start = end = None
        inside: list = []
        for el in flow.iter():
            if is_break(el):
                page += 1
                if start is not None:
                    inside.append((el, page))
            elif el.tag == text_tag and (el.text or "").strip():
                start = page if start is None else start  # it starts where its first text is
                end = page
        return page, start, end, [(el, p) for el, p in inside if end is not None and p <= end]

    cells = "./w:tc | ./w:sdt/w:sdtContent/w:tc"  # a row's cells, also those in content controls
    pages: list[tuple[int | None, int | None, list]] = []
    page = 1
    fresh = True  # no text on the page yet: a paragraph set to start a page is on this one
    for e in elements:
        if starts_page(e) and not fresh:
            page += 1
        if e.tag == qn("w:tr"):
            # Each cell of a row is a flow of its own, and Word marks a page that starts in the row in
            # every cell that goes on there: the row ends where its longest cell does.
            flows = [walk(c, page) for c in xpath(e, cells)] or [walk(e, page)]
            starts = [f[1] for f in flows if f[1] is not None]
            ends = [f[2] for f in flows if f[2] is not None]
            after = max(f[0] for f in flows)
            start, end, inside = min(starts, default=None), max(ends, default=None), []
        else:
            after, start, end, inside = walk(e, page)
        pages.append((start if start is not None else after, end if end is not None else after, inside))
        fresh = (end is None or end < after) if after > page else fresh and end is None
        if ends_section(e):
            after, fresh = after + 1, True
        page = after
    return pages


def _docx_breaks(paragraph, text: str, breaks: list) -> tuple[tuple[int, int], ...]:
    """(offset in `text`, page) where each of `breaks` (from _docx_pages) falls in a paragraph Word laid
    over pages, `text` being the paragraph as read (Word's number, if any, then its text): the length of
    the paragraph's text up to the break, read the same way, so an excerpt is cited with the page of its
    own words."""
    import copy

    from .word import _runs_text

    body = _runs_text(paragraph).strip()
    prefix = len(text) - len(body) if text.endswith(body) else 0  # "2.2 " of Word's numbering
    order = {el: i for i, el in enumerate(paragraph.iter())}
    out: list[tuple[int, int]] = []
    for el, page in breaks:
        cut = copy.deepcopy(paragraph)
        node = mark = list(cut.iter())[order[el]]
        while node is not cut:  # everything from the break on is left out
            parent = node.getparent()
            for later in list(node.itersiblings()):
                parent.remove(later)
            node = parent
        mark.getparent().remove(mark)
        at = prefix + len(_runs_text(cut).strip())
        while at < len(text) and text[at].isspace():  # the next page starts with its first word
            at += 1
        if 0 < at < len(text) and (not out or at > out[-1][0]):
            out.append((at, page))
    return tuple(out)


def _is_heading(paragraph) -> bool:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.startswith(("Heading", "Title")):
        return True
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


# Text boxes as Word shows them: a box written for newer Word with an older one's copy as its fallback
# is read once; a box inside a box is read with the outer one.
_BOXES = (
    ".//w:txbxContent[not(ancestor::w:txbxContent or ancestor::*[local-name()='Fallback']"
    " or ancestor::w:del or ancestor::w:moveFrom)]"
)
_NOTE_REFS = (
    ".//w:r[not(ancestor::w:del or ancestor::w:moveFrom)]/w:footnoteReference"
    " | .//w:r[not(ancestor::w:del or ancestor::w:moveFrom)]/w:endnoteReference"
)


class _DocxNotes:
    """What a policy says beside its paragraphs: footnotes, endnotes and text boxes. A reader sees them,
    and a policy puts rules in them ("¹ A blood alcohol level over 0.08..."), so each is read as a
    paragraph of its own right after the paragraph that cites or anchors it, in that paragraph's section:
    `Footnote 1: ...`, numbered in the order the document cites them, as Word numbers them."""

    def __init__(self, document) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml import parse_xml
        from docx.oxml.ns import qn

        from .word import _HIDDEN, _runs_text, mark_style_hidden

        self.qn = qn
        # A box's runs as word._RUNS reads a paragraph's (its own paragraphs are inside the box, which
        # _RUNS leaves out).
        self.box_runs = f".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:rt or {_HIDDEN})]"
        self.texts: dict[tuple[str, str], str] = {}
        for kind, reltype in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES)):
            part = next(
                (rel.target_part for rel in document.part.rels.values() if rel.reltype == reltype), None
            )
            if part is None:
                continue
            root = part.element if hasattr(part, "element") else parse_xml(part.blob)
            mark_style_hidden(document, root)  # a note's text a style hides, as the body's
            for note in root.iterchildren(qn(f"w:{kind}")):
                if note.get(qn("w:type")) in (None, "normal"):  # not the separator lines
                    text = " ".join(" ".join(_runs_text(p).split()) for p in note.iter(qn("w:p")))
                    self.texts[(kind, note.get(qn("w:id")))] = text.strip()
        self.numbers = {"footnote": 0, "endnote": 0}

    def anchored(self, p) -> list[tuple[str, str]]:
        """(what, text) for each note cited and text box anchored in the paragraph element `p`, in order."""
        from .word import run_text, xpath

        found: list[tuple[str, str]] = []
        for el in xpath(p, f"{_NOTE_REFS} | {_BOXES}"):
            if el.tag == self.qn("w:txbxContent"):
                for inner in el.iter(self.qn("w:p")):
                    text = " ".join("".join(run_text(r) for r in xpath(inner, self.box_runs)).split())
                    if text:
                        found.append(("text box", text))
                continue
            kind = "footnote" if el.tag == self.qn("w:footnoteReference") else "endnote"
            self.numbers[kind] += 1
            text = self.texts.get((kind, el.get(self.qn("w:id"))), "")
            if text:
                found.append((kind, f"{kind.capitalize()} {self.numbers[kind]}: {text}"))
        return found


def docx_notes_text(path: Path, data: bytes) -> list[str]:
    """The footnotes, endnotes and text boxes a document reading of this .docx adds (as
    read_docx_document reads them), for `deid scan`, which reads a .docx as a transcript: an identifier
    the document gate finds there is found by the scan too. Raises TranscriptError."""
    from docx.table import Table

    from .word import _damaged, body_items, open_docx

    document = open_docx(path, data)
    try:
        notes = _DocxNotes(document)
        found = []
        for item in body_items(document):
            for element in [row._tr for row in item.rows] if isinstance(item, Table) else [item._p]:
                found += [text for _, text in notes.anchored(element)]
        return found
    except Exception as ex:  # noqa: BLE001 - python-docx raises many types for damaged files
        raise _damaged(str(path), ex) from None


def read_docx_document(path: Path, data: bytes, *, encoding: str | None = None) -> DocumentSource:
    """A .docx document: its paragraphs and table rows in document order, or raise TranscriptError."""
    from docx.table import Table

    from .word import (
        _damaged,
        accept_joined_paragraphs,
        body_items,
        hidden_paragraphs,
        open_docx,
        paragraph_text,
        tracked_changes,
    )

    name = str(path)
    document = open_docx(path, data)
    try:
        joined = accept_joined_paragraphs(document)
        items = body_items(document)
        notes = _DocxNotes(document)
        numbering = WordNumbering(document)

        def shown(paragraph) -> str:  # the paragraph as a reader sees it: Word's number before its text
            text = paragraph_text(paragraph).strip()
            number = numbering.label(paragraph)
            return f"{number} {text}" if number and text else text

        # Every paragraph and row of the body counts for the pages, also those not read (a table of
        # contents), each page it starts counted once.
        elements = [
            e
            for item in body_items(document, contents=True)
            for e in ([r._tr for r in item.rows] if isinstance(item, Table) else [item._p])
        ]
        unmarked = _unmarked_layout(document)
        on_pages = dict(
            zip(elements, [(None, None, [])] * len(elements) if unmarked else _docx_pages(elements))
        )
        blocks: list[Block] = []
        number = 0
        for item in items:
            if isinstance(item, Table):  # each row a paragraph: "cell | cell"
                for row in item.rows:
                    unique = list({id(c._tc): c for c in row.cells}.values())  # a merged cell repeats
                    cells = list(dict.fromkeys("\n".join(map(shown, c.paragraphs)).strip() for c in unique))
                    text = " | ".join(c for c in cells if c)
                    where = f"table after paragraph {number}"
                    page, end, _ = on_pages[row._tr]
                    if text:
                        blocks.append(Block(text, where, page, end_page=end))
                    blocks += [Block(t, f"{what} in {where}", page) for what, t in notes.anchored(row._tr)]
                continue
            number += 1
            page, end, inside = on_pages[item._p]
            text = shown(item)
            if text:
                breaks = _docx_breaks(item._p, text, inside) if inside else ()
                blocks.append(
                    Block(text, f"paragraph {number}", page, _is_heading(item), end_page=end, breaks=breaks)
                )
            blocks += [Block(t, f"{what} in paragraph {number}", page) for what, t in notes.anchored(item._p)]
        changes = tracked_changes(document) + joined
        hidden = hidden_paragraphs(document)
    except Exception as ex:  # noqa: BLE001 - python-docx raises many types for damaged files
        raise _damaged(name, ex) from None
    scan_text = TURN_SEPARATOR.join(b.text for b in blocks)
    # Said only where an office program laid the pages out and left no mark of them: a file a program
    # wrote (or a Word file of one page, which Word marks no page in) has no pages to cite, as before.
    return DocumentSource(
        "docx", blocks, scan_text, tracked_changes=changes, hidden_text=hidden, pages_unknown=unmarked
    )


# The programs that lay a .docx out in pages but save no mark of where each page starts (Word's
# w:lastRenderedPageBreak): the page breaks typed in the file would then be the only pages counted, and
# pages of text between two of them would all be cited as one page.
_UNMARKED_LAYOUT = re.compile(rb"<Application>\s*(LibreOffice|OpenOffice|Collabora)", re.IGNORECASE)


def _unmarked_layout(document) -> str:
    """Why the pages of a .docx are not known when the program that saved it laid its pages out without
    marking them (docProps/app.xml's Application), else ""."""
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            found = _UNMARKED_LAYOUT.search(part.blob[:4096])
            if found:
                name = found[1].decode()
                return f"{name} saved it, and {name} does not mark in a .docx where its pages start"
    return ""


def read_pdf_document(path: Path, data: bytes, *, encoding: str | None = None) -> DocumentSource:
    """A PDF document: paragraphs from its body text (running heads removed, hyphenation rejoined)."""
    from .pdf import read_pdf_text

    text = read_pdf_text(path, data, document=True)
    blocks = [
        Block(
            " ".join(line.text for line in p),
            p[0].where,
            p[0].page,
            text.heading(p),
            end_page=p[-1].page,
            breaks=_line_breaks([(line.text, line.page) for line in p], " "),
        )
        for p in text.paragraphs
    ]
    lines, where = text.lines()
    return DocumentSource(
        "pdf",
        blocks,
        "\n".join(lines),
        where,
        columns=text.columns,
        lone_heads=text.lone_heads,
        unread_tables=text.unread_tables,
        unsure_heads=text.unsure_heads,
    )


def _line_breaks(lines: list[tuple[str, int | None]], joiner: str) -> tuple[tuple[int, int], ...]:
    """(offset, page) where a line on a later page starts in the text of `lines` joined by `joiner`."""
    out, at = [], 0
    for i, (text, page) in enumerate(lines):
        if i and page is not None and page != lines[i - 1][1]:
            out.append((at, page))
        at += len(text) + len(joiner)
    return tuple(out)


def read_odt_document(path: Path, data: bytes, *, encoding: str | None = None) -> DocumentSource:
    """An .odt document (odt.read_odt_document), or raise TranscriptError."""
    from .odt import read_odt_document as read

    return read(path, data)


DOCUMENT_READERS = {
    ".pdf": read_pdf_document,
    ".docx": read_docx_document,
    ".odt": read_odt_document,
    ".md": read_text_document,
    ".markdown": read_text_document,
    ".txt": read_text_document,
}


def document_warnings(
    document_id: str,
    source: str,
    segments: list[Segment],
    columns: Mapping[int, int] | None = None,
    tracked_changes: int = 0,
    running_heads: Sequence[int] = (),
    hidden_text: int = 0,
    pages_unknown: str = "",
    lone_heads: Sequence[str] = (),
    unread_tables: Sequence[str] = (),
    unsure_heads: Sequence[str] = (),
) -> list[TranscriptWarning]:
    """One segment for the whole document, a segment so long that the sections were probably missed,
    PDF pages set in columns, tracked changes in a .docx, the lines of a .txt left out as page heads, or
    a .docx or .odt whose pages are not known."""
    dry = f'"wei-qual ingest --kind document --dry-run {shell_path(source)}"'
    out = []
    if lone_heads:
        n = len(lone_heads)
        out.append(
            TranscriptWarning(
                LEFT_OUT,
                f"{document_id}: line{'s' if n != 1 else ''} {', '.join(lone_heads)} (page:line) left out: read "
                "as the page's header or footer (set in smaller type than the text and apart from it, in the "
                "page's top or bottom margin; on a single page nothing repeats to show it). If one of them is "
                f"text, delete the page header from the file and ingest it again; {dry} shows how it is read.",
            )
        )
    if unsure_heads:
        n = len(unsure_heads)
        out.append(
            TranscriptWarning(
                PAGE_HEADS,
                f"{document_id}: line{'s' if n != 1 else ''} {', '.join(unsure_heads)} (page:line) read as text, "
                f"though {'they stand' if n != 1 else 'it stands'} where the page's header or footer would: on a "
                "single page nothing repeats to show a header, and this one is set in the text's own type. If it "
                "is the page's header or footer, ingest the .docx or .odt (whose header and footer are not "
                f"read), or export the PDF again without it; {dry} shows how it is read.",
            )
        )
    if unread_tables:
        n = len(unread_tables)
        out.append(
            TranscriptWarning(
                TABLE_LINES,
                f"{document_id}: {'a table' if n == 1 else f'{n} tables'} without borders at "
                f"{', '.join(unread_tables)} (page:lines) read line by line: which of its lines start a row, "
                "or which text is in which column, is not known (a wrapped cell's lines as far apart as its "
                "rows, a cell's text reaching the next column), so a cell's lines may mix with the next "
                f"cells'. Check it with {dry}; to read it row by row, give the table borders and export the "
                "PDF again, or ingest the .docx.",
            )
        )
    if pages_unknown:
        out.append(
            TranscriptWarning(
                PAGES_UNKNOWN,
                f"{document_id}: its pages are not known: {pages_unknown}. Its segments are cited by section "
                "or paragraph, with no page. For page numbers, ingest its PDF instead (File > Export as "
                "PDF).",
            )
        )
    if running_heads:
        n = len(running_heads)
        out.append(
            TranscriptWarning(
                LEFT_OUT,
                f"{document_id}: line{'s' if n != 1 else ''} {_listed(list(running_heads))} left out: read as "
                "page headers or footers (a line repeated at the top or bottom of the pages, or a page number), "
                f"not the document's text. If one of them is text, delete the page headers from the file and "
                f"ingest it again; {dry} shows how it is read.",
            )
        )
    if len(segments) == 1:
        out.append(
            TranscriptWarning(
                SINGLE_SEGMENT,
                f"{document_id}: the whole document is one segment. Check how it is read with {dry}; "
                "separate its paragraphs with blank lines, or number its sections (4.2 Title).",
            )
        )
    long = [s for s in segments if s.words > LONG_TURN_WORDS]
    if long:
        listed = ", ".join(str(s.n) for s in long[:5]) + (" and more" if len(long) > 5 else "")
        out.append(
            TranscriptWarning(
                LONG_TURN,
                f"{document_id}: segment{'s' if len(long) != 1 else ''} {listed} "
                f"{'have' if len(long) != 1 else 'has'} over {LONG_TURN_WORDS:,} words; a section heading may "
                f'have been missed. Read it with "wei-qual transcripts show {shlex.quote(document_id)}".',
            )
        )
    return (
        out
        + column_warnings(document_id, dry, columns or {})
        + tracked_warnings(document_id, tracked_changes)
        + hidden_warnings(document_id, hidden_text)
    )


def build_document(source: DocumentSource, *, document_id: str, path: str, sha256: str) -> Transcript:
    """Number a document's sections (or paragraphs) into segments with labels, pages and exact offsets.
    Raises TranscriptError when it has no text."""
    return document_transcript(
        split_sections(source.blocks),
        document_id=document_id,
        path=path,
        format=source.format,
        sha256=sha256,
        attributes=source.attributes,
        columns=source.columns,
        tracked_changes=source.tracked_changes,
        running_heads=source.running_heads,
        hidden_text=source.hidden_text,
        pages_unknown=source.pages_unknown,
        lone_heads=source.lone_heads,
        unread_tables=source.unread_tables,
        unsure_heads=source.unsure_heads,
    )


def document_transcript(
    sections: list[Section],
    *,
    document_id: str,
    path: str,
    format: str,
    sha256: str,
    attributes: dict[str, str],
    columns: Mapping[int, int] | None = None,
    tracked_changes: int = 0,
    running_heads: Sequence[int] = (),
    hidden_text: int = 0,
    pages_unknown: str = "",
    lone_heads: Sequence[str] = (),
    unread_tables: Sequence[str] = (),
    unsure_heads: Sequence[str] = (),
) -> Transcript:
    """A Transcript of kind document from its sections, in order (also what a .qdpx import builds).
    `columns`: the PDF pages set in columns (page -> how many); `tracked_changes`: those of a .docx, read
    as accepted. Raises TranscriptError when it has no text."""
    text, segments = join_segments(
        (
            section.text,
            {
                "speaker": None,
                "role": DOCUMENT,
                "label": section.label,
                "page": section.page,
                "end_page": section.end_page,
                "page_spans": section.page_spans,
            },
        )
        for section in sections
    )
    if not segments:
        raise TranscriptError(f'"{path}" contains no text. Export the document again, or leave the file out.')
    return Transcript(
        id=document_id,
        source=path,
        format=format,
        sha256=sha256,
        text=text,
        segments=tuple(segments),
        attributes=dict(attributes),
        roles=ROLES_NONE,
        warnings=tuple(
            document_warnings(
                document_id,
                path,
                segments,
                columns,
                tracked_changes,
                running_heads,
                hidden_text,
                pages_unknown,
                lone_heads,
                unread_tables,
                unsure_heads,
            )
        ),
        kind=DOCUMENT_KIND,
    )


def read_document(
    path: Path, data: bytes, *, encoding: str | None = None
) -> tuple[Transcript, DocumentSource]:
    """Read one document file into a Transcript of kind document, or raise TranscriptError."""
    reader = DOCUMENT_READERS.get(path.suffix.lower())
    if reader is None:
        raise TranscriptError(
            f'"{path}" is not a supported document format ({path.suffix or "no extension"}). '
            f"Convert it to .pdf, .docx, .odt, .md or .txt."
        )
    source = reader(path, data, encoding=encoding)
    document = build_document(
        source,
        document_id=source.transcript_id or path.stem,
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    return document, source
