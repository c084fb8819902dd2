"""PDF transcripts and documents via pdfplumber: the text lines of every page in reading order, with
running headers, footers and page numbers removed, words hyphenated across line ends rejoined, and
paragraphs found from the spacing between lines.

A PDF without a text layer (a scan) and one that needs a password are refused: wei-qual does no OCR and
never guesses passwords. A PDF encrypted with an empty user password (it opens in any viewer without one;
the owner password only restricts printing or editing) is read as usual.

Locations are `page:line`: the page (from 1) and the line on that page as extracted, counting the lines
of running headers and footers, so a person finds it by counting lines from the top of the page.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import TranscriptError
from .decode import check_not_empty
from .labels import match_label, strip_markup
from .pages import _PAGE_IN_LINE, HEAD_LINES, SET_APART, find_heads
from .plain import BOLD, Q_LABEL, Q_ONLY, id_labels, only_questions_labelled, parse_lines, question_turns
from .sections import Block, section_start
from .turns import Source, Turn, place_pages

MAX_BYTES = 200_000_000  # as the zip part limit of safeio: larger is not a transcript or a policy
MAX_PAGES = 5_000  # a study-sized transcript has about 30 pages
MAX_MEMORY = 2 * 2**30  # bytes reading one PDF may claim: far beyond any real file's need (measured)
# CPU seconds reading one PDF may take: so many, and so many more a page. A dense page of text takes about
# 0.15 s; a page of a few kilobytes whose content inflates to millions of operators takes minutes.
CPU_SECONDS = 60
CPU_SECONDS_PER_PAGE = 10
_AGAIN = "Open and save it again with a PDF viewer, or export the text as .txt or .docx."
# A word broken at the end of a line; searched from a word's start only, linear in a long word.
_HYPHENATED = re.compile(r"(?<!\w)(\w+)[-\u00ad]$")
_LEADING_WORD = re.compile(
    r"([^\W\d_][\w']*)(.*)$", re.DOTALL
)  # its lower-case rest at the start of the next
_COMPOUND = re.compile(r"\b\w+-\w+\b")
GUTTER = 9.0  # points: the narrowest gap between two columns (a word space is 2-4, a justified one up to ~8)
COLUMN_ROWS = 2  # rows side by side across one gap before a page counts as set in two columns
SPANNING_ROWS = 3  # rows across that gap a two-column page may have (title, header, footer), or a quarter
COLUMN_FILL = 0.6  # how far across its column the text of a side-by-side row reaches, at the median
ROW_TOLERANCE = 3.0  # points between the tops of characters on one row (pdfplumber's line tolerance)
MORE = 3  # a page's columns when they are three or more
PARAGRAPH_GAP = 0.6  # a gap this share of a line's height beyond the usual spacing starts a paragraph
HEADING_SIZE = 1.1  # a line in a font this much larger than the body's is a heading


@dataclass(frozen=True)
class Line:
    """One text line of a page: where it is, and how it is set (for headings)."""

    page: int  # 1-based
    number: int  # 1-based line on its page, counting headers and footers
    text: str
    top: float
    bottom: float
    size: float = 0.0  # median font size of its characters
    bold: bool = False  # every character in a bold face
    column: int = 0  # the block of the page it was read in, in reading order (see _regions)
    # The words before a gap of GUTTER or more at the line's start: a speaker set in a column of its own.
    label: str | None = None
    row: bool = False  # a ruled table's row, its cells joined by " | " (documents): a paragraph of its own

    @property
    def where(self) -> str:
        return f"{self.page}:{self.number}"

    @property
    def labelled(self) -> str:
        """The text, a tab after a speaker set in a column of its own (`P36<tab>Mostly ...`)."""
        if self.label and self.text.startswith(self.label + " "):
            return self.label + "\t" + self.text[len(self.label) + 1 :]
        return self.text


@dataclass
class PdfTable:
    """A ruled table on a page (a transcript printed from a Word table: speaker, text, time)."""

    page: int
    rows: list[list[str]]  # each cell's text, its lines joined
    tops: list[float]  # where each row starts on the page
    bottom: float = 0.0  # where the table ends on the page
    box: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)  # x0, top, x1, bottom


@dataclass
class PdfPages:
    """What reading a PDF gives: its pages' text lines in reading order, the pages with images, the pages
    set in columns (page -> 2, or MORE) and the ruled tables."""

    lines: list[list[Line]]
    imaged: set[int]
    columns: dict[int, int]
    tables: list[PdfTable]
    # The columns of the pages with ruled tables, counted outside the tables: a table's cells are no
    # columns of the page's text (page -> columns; 1 for a page whose only columns are a table's).
    columns_outside_tables: dict[int, int] = field(default_factory=dict)
    # Tables without borders read as rows (open_tables; documents only), and the pages and lines of those
    # whose rows could not be told apart, read line by line ("2:5-12").
    open_tables: list[PdfTable] = field(default_factory=list)
    unread_tables: list[str] = field(default_factory=list)


@dataclass
class PdfText:
    """A PDF's body text: paragraphs of lines in reading order, running heads and page numbers removed."""

    paragraphs: list[list[Line]]
    pages: int
    removed: int  # lines dropped as running headers, footers or page numbers
    body_size: float  # the usual font size of the body text
    columns: dict[int, int] = field(default_factory=dict)  # page -> 2 (read left, then right) or MORE
    tables: list[PdfTable] = field(default_factory=list)
    # Every page's lines (running heads included): where a table row is, as page:line.
    all_lines: list[list[Line]] = field(default_factory=list)
    # Lines placed as a running head on every page but read as speaker labels, kept (page:line).
    kept_labels: list[str] = field(default_factory=list)
    # The pages' columns counted outside their ruled tables (PdfPages.columns_outside_tables).
    columns_outside_tables: dict[int, int] = field(default_factory=dict)
    # The header and footer of a document of one page, left out by their place and type (lone_page_heads).
    lone_heads: list[str] = field(default_factory=list)
    # Tables without borders whose rows could not be told apart, read line by line ("2:5-12").
    unread_tables: list[str] = field(default_factory=list)
    # A one-page document's first or last line where its header or footer would be, in the text's type,
    # read as text (unsure_page_heads).
    unsure_heads: list[str] = field(default_factory=list)

    def heading(self, paragraph: list[Line]) -> bool:
        """A paragraph set as a heading: bold, or in a larger font than the body, and short."""
        words = sum(len(line.text.split()) for line in paragraph)
        styled = all(line.bold for line in paragraph) or all(
            line.size > self.body_size * HEADING_SIZE for line in paragraph
        )
        return styled and len(paragraph) <= 2 and words <= 15

    def lines(self, *, labels: bool = False) -> tuple[list[str], list[str | None]]:
        """The body as text lines, a blank line between paragraphs, and each line's `page:line` (None for
        the blank lines): what the transcript reader parses and the PII gate scans. With `labels`, a
        speaker set in a column of its own is followed by a tab (`P36<tab>Mostly ...`), which the
        transcript reader takes as a label, as in a table saved as text."""
        texts: list[str] = []
        where: list[str | None] = []
        for i, paragraph in enumerate(self.paragraphs):
            if i:
                texts.append("")
                where.append(None)
            for line in paragraph:
                texts.append(line.labelled if labels else line.text)
                where.append(line.where)
        return texts, where


def _refuse(name: str, what: str, fix: str) -> TranscriptError:
    return TranscriptError(f'"{name}" {what}. {fix}')


# A list's bullet drawn from a symbol font (Word's Symbol, LibreOffice's OpenSymbol) comes out as a
# character of Unicode's private use area ("\uf0b7", "\uf095"), which means nothing in the text: left out
# at a line's start, as a .docx's bullets are not read.
_PRIVATE_BULLET = re.compile(r"^[\ue000-\uf8ff]+(?:\s+|$)")


def _is_bold(fontname: str) -> bool:
    return any(w in fontname for w in ("Bold", "Black", "Heavy", "Semibold"))


def _page_lines(page, number: int) -> tuple[list[Line], int]:
    """The text lines of a page in reading order, and how many columns it is set in (MORE: three or
    more, read straight across them as before)."""
    regions, columns = _regions(page)
    parts = [page] if regions is None else [page.filter(keep) for keep in regions]
    lines = []
    number_on_page = 0
    for column, part in enumerate(parts):
        for raw in part.extract_text_lines(return_chars=True):
            number_on_page += 1
            text = " ".join(raw["text"].split())
            if not text:
                continue
            chars = [c for c in raw.get("chars", []) if c.get("text", "").strip()]
            size = statistics.median(c["size"] for c in chars) if chars else 0.0
            text = _superscripts(text, chars, size)
            text = _PRIVATE_BULLET.sub("", text)
            if not text:
                continue
            bold = bool(chars) and all(_is_bold(c.get("fontname", "")) for c in chars)
            label = _label(chars, text)
            lines.append(
                Line(number, number_on_page, text, raw["top"], raw["bottom"], size, bold, column, label)
            )
    return lines, columns


_SUPERSCRIPT = str.maketrans("0123456789", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")
SUPERSCRIPT_SIZE = 0.8  # a digit this much smaller than its line's type, raised above its baseline


def _superscripts(text: str, chars: list[dict], size: float) -> str:
    """The line's text with each raised small digit as a superscript ("intoxicated¹"), as a reader sees a
    footnote mark: extracted as it is set, the mark ran into its word ("intoxicated1"). The text is left
    as it was when its characters cannot be matched one by one."""
    if not chars or size <= 0:
        return text
    baseline = statistics.median(c["bottom"] for c in chars)
    raised = [
        c["text"].isdigit() and c["size"] <= size * SUPERSCRIPT_SIZE and c["bottom"] < baseline - 0.15 * size
        for c in chars
    ]
    if not any(raised):
        return text
    from pdfplumber.utils.text import LIGATURES

    out, i = list(text), 0
    for c, up in zip(chars, raised):
        while i < len(text) and text[i].isspace():
            i += 1
        shown = LIGATURES.get(c["text"], c["text"])
        if not text.startswith(shown, i):
            return text
        if up:
            out[i : i + len(shown)] = shown.translate(_SUPERSCRIPT)
        i += len(shown)
    return "".join(out)


def _label(chars: list[dict], text: str) -> str | None:
    """The words before the line's first gap of GUTTER or more, when they are at most four: a speaker set
    in a column of its own, beside the text (a table without rules, a hanging indent)."""
    gap = next((i for i, (a, b) in enumerate(itertools.pairwise(chars)) if b["x0"] - a["x1"] >= GUTTER), None)
    if gap is None:
        return None
    left = "".join(c["text"] for c in chars[: gap + 1])
    pos = seen = 0
    while seen < len(left) and pos < len(text):  # the same characters in the line's text, spaced
        seen += text[pos] != " "
        pos += 1
    label = text[:pos]
    return label if seen == len(left) and len(label.split()) <= 4 and pos < len(text) else None


def _rows(chars: list[dict]) -> list[list[dict]]:
    """Characters in rows (tops within ROW_TOLERANCE of the row's first, as pdfplumber makes lines), top
    to bottom, each left to right."""
    rows: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if rows and char["top"] - rows[-1][0]["top"] <= ROW_TOLERANCE:
            rows[-1].append(char)
        else:
            rows.append([char])
    return [sorted(row, key=lambda c: c["x0"]) for row in rows]


def _gutter(rows: list[list[dict]], width: float) -> tuple[int, tuple[float, float] | None]:
    """How many columns the page is set in (1, 2 or MORE: another gap like the gutter runs down the page
    elsewhere), with the gap (x0, x1) between the two columns when there are two.

    Two columns: in the middle 40% of the page, a gap of at least GUTTER points that at least
    COLUMN_ROWS rows leave open with text on both sides, that few rows cross (a title, a running head or
    a footer may), and with the text on each side filling its column (a table of short labels beside
    their values is read row by row)."""
    low, high = int(width * 0.3), int(width * 0.7)  # not the gap after a table's speaker or label column
    open_ = Counter()  # x -> rows with a gap of GUTTER or more over x, text on both sides
    crossed = Counter()  # x -> rows with a character over x
    for row in rows:
        covered: set[int] = set()
        for a, b in itertools.pairwise(row):
            if b["x0"] - a["x1"] >= GUTTER:
                open_.update(range(math.ceil(a["x1"]), math.floor(b["x0"]) + 1))
        for char in row:
            covered.update(range(math.floor(char["x0"]), math.ceil(char["x1"])))
        crossed.update(covered)

    def runs_down(x: int) -> bool:  # a gap between columns runs down the page over x
        return open_[x] >= COLUMN_ROWS and crossed[x] <= max(SPANNING_ROWS, open_[x] // 4)

    best = max(range(low, high + 1), key=lambda x: (open_[x] - crossed[x], -abs(x - width / 2)), default=None)
    if best is None or not runs_down(best):
        return 1, None
    x0 = x1 = best
    while x0 - 1 >= low and crossed[x0 - 1] == crossed[best] and open_[x0 - 1]:
        x0 -= 1
    while x1 + 1 <= high and crossed[x1 + 1] == crossed[best] and open_[x1 + 1]:
        x1 += 1
    # Another such gap between the text's edges, with text between it and this one: three columns or
    # more. (A ragged column edge only widens this gap.)
    left_edge = min(row[0]["x0"] for row in rows)
    right_edge = max(row[-1]["x1"] for row in rows)
    gaps = [
        list(xs)
        for down, xs in itertools.groupby(range(math.ceil(left_edge), math.floor(right_edge) + 1), runs_down)
        if down
    ]
    if sum(len(xs) >= GUTTER for xs in gaps) > 1:
        return MORE, None
    # Each side's text fills its column: the median side-by-side row reaches most of the way across.
    fills = []
    for row in rows:
        left = [c for c in row if c["x1"] <= x0]
        right = [c for c in row if c["x0"] >= x1]
        if left and right and len(left) + len(right) == len(row):
            fills.append(
                min(
                    (left[-1]["x1"] - left[0]["x0"]) / max(x0 - left_edge, 1),
                    (right[-1]["x1"] - right[0]["x0"]) / max(right_edge - x1, 1),
                )
            )
    if len(fills) < COLUMN_ROWS or statistics.median(fills) < COLUMN_FILL:
        return 1, None
    return 2, (float(x0), float(x1))


def _regions(page) -> tuple[list | None, int]:
    """For a page set in two columns, one filter per block of text in reading order: each band of rows
    that cross the gutter (a title, a footer), and between them each band's left column, then its right
    column. None for any other page (read whole, as pdfplumber orders it). With the page's columns: 1, 2
    or MORE."""
    rows = _rows([c for c in page.chars if c.get("text", "").strip()])
    columns, gutter = _gutter(rows, float(page.width)) if rows else (1, None)
    if gutter is None:
        return None, columns
    x0, x1 = gutter
    blocks: list[list[set[int]]] = []  # per band: its blocks' characters (ids)
    last_spanning = None
    for row in _rows(page.chars):  # with the blank characters: pdfplumber needs them between close words
        printed = [c for c in row if c.get("text", "").strip()]
        left = [c for c in printed if c["x1"] <= x0]
        right = [c for c in printed if c["x0"] >= x1]
        # A row spans the page when it crosses the gutter, or when its two sides are closer than a gutter
        # (a centred title whose word space happens to fall there).
        spanning = len(left) + len(right) < len(printed) or bool(
            left and right and right[0]["x0"] - left[-1]["x1"] < GUTTER
        )
        if spanning != last_spanning:
            blocks.append([set()] if spanning else [set(), set()])
            last_spanning = spanning
        band = blocks[-1]
        side = 0
        for char in row:  # a blank character goes with the printed one before it
            if char.get("text", "").strip():
                side = 0 if spanning or char["x1"] <= x0 else 1
            band[side].add(id(char))
    return [(lambda obj, ids=ids: id(obj) in ids) for band in blocks for ids in band if ids], 2


def extract_pages(path: Path, data: bytes, *, document: bool = False) -> PdfPages:
    """What the PDF holds (PdfPages), or raise TranscriptError (not a PDF, damaged, needs a password, too
    large, needs too much memory).

    pdfminer inflates a PDF's streams without a limit of its own, so a few megabytes can claim gigabytes,
    and a few kilobytes can take hours: the file is read in a child process that may use at most
    MAX_MEMORY, and CPU_SECONDS and CPU_SECONDS_PER_PAGE of CPU (parallel.bounded)."""
    from .. import parallel

    name = str(path)
    check_not_empty(data, name)
    if b"%PDF-" not in data[:1024]:  # the header may follow a little junk, as viewers allow
        raise _refuse(
            name, "is not a PDF file (it does not start with %PDF-)", "Check the file, or export it again."
        )
    if len(data) > MAX_BYTES:
        raise _refuse(
            name,
            f"is {len(data) / 1e6:,.0f} MB, more than the {MAX_BYTES / 1e6:,.0f} MB a PDF may have here",
            "Split it, or export its text as .txt.",
        )
    try:
        return parallel.bounded(
            lambda: _read_pages(name, data, document=document), memory=MAX_MEMORY, cpu=CPU_SECONDS
        )
    except parallel.Hung as ex:
        raise _refuse(name, parallel.hung_reason(ex), _AGAIN) from None
    except TimeoutError:
        raise _refuse(
            name,
            f"took more than {CPU_SECONDS} s, and {CPU_SECONDS_PER_PAGE} s a page, to read (it may be damaged, "
            "or made to be slow)",
            _AGAIN,
        ) from None
    except MemoryError:
        raise _refuse(
            name,
            f"needs more than {MAX_MEMORY // 2**20:,} MiB of memory to read (it may be damaged, or made to "
            "inflate without end)",
            _AGAIN,
        ) from None
    except ChildProcessError:
        raise _refuse(name, "could not be read: its reader stopped without an answer", _AGAIN) from None


def _read_pages(name: str, data: bytes, *, document: bool = False) -> PdfPages:
    import pdfplumber  # heavy (pdfminer): only when a PDF is read
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    from .. import parallel

    pages: list[list[Line]] = []
    imaged: set[int] = set()
    columns: dict[int, int] = {}
    tables: list[PdfTable] = []
    outside: dict[int, int] = {}
    open_tables: list[PdfTable] = []
    unread: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise _refuse(
                    name,
                    f"has {len(pdf.pages):,} pages, more than {MAX_PAGES:,}",
                    "Split it, or export its text as .txt.",
                )
            parallel.allow_cpu(CPU_SECONDS + CPU_SECONDS_PER_PAGE * len(pdf.pages))
            for number, page in enumerate(pdf.pages, start=1):
                lines, set_in = _page_lines(page, number)
                pages.append(lines)
                if set_in > 1:
                    columns[number] = set_in
                if page.images:
                    imaged.add(number)
                if page.rects or page.lines:  # ruled: it may hold a table
                    on_page = _tables(page, number)
                    tables += on_page
                    if on_page and set_in > 1:
                        boxes = [t.box for t in on_page]
                        _, outside[number] = _regions(
                            page.filter(lambda obj, boxes=boxes: not _inside(obj, boxes))
                        )
                # Two columns of text are no table; a transcript's table is looked for only to tell its
                # columns from the page's (its lines are read straight across, which suits it).
                if (document and set_in != 2) or (not document and set_in == MORE):
                    ruled = [t.box for t in tables if t.page == number]
                    found, not_read = open_tables_of(page, number, ruled, lines)
                    if not document:
                        found, not_read = [t for t in found if _speaker_table(t)], []
                    open_tables += found
                    unread += not_read
                    if found and set_in > 1:  # the columns were the table's: those outside it count
                        boxes = ruled + [t.box for t in found]
                        _, outside[number] = _regions(
                            page.filter(lambda obj, boxes=boxes: not _inside(obj, boxes))
                        )
                page.close()  # its parsed objects: memory stays that of one page, however long the file
    except (TranscriptError, MemoryError):
        raise
    except Exception as ex:  # noqa: BLE001 - pdfminer raises many types for damaged files
        cause = ex.args[0] if ex.args and isinstance(ex.args[0], Exception) else ex
        if isinstance(cause, MemoryError):  # pdfplumber wraps what pdfminer raised
            raise cause from None
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise _refuse(
                name,
                "is encrypted and needs a password",
                "Save an unprotected copy (open it with the password and export or print to PDF), then ingest that.",
            ) from None
        raise _refuse(
            name,
            f"is not a readable PDF ({type(cause).__name__}); it may be damaged",
            _AGAIN,
        ) from None
    return PdfPages(pages, imaged, columns, tables, outside, open_tables, unread)


def _speaker_table(table: PdfTable) -> bool:
    """Whether a table without borders on a transcript's page is its turns (Speaker | Time | Text, as a
    transcription service sets them): a column of short cells on most rows, one of them recurring (the
    speakers). Its lines are read straight across, a row at a time, which is right for it: its columns
    are no columns of the page's text. Three columns of prose are not this (no cell recurs)."""
    for k in range(max((len(row) for row in table.rows), default=0)):
        short = [row[k] for row in table.rows if k < len(row) and row[k] and len(row[k].split()) <= 3]
        if len(short) * 2 > len(table.rows) and max(Counter(short).values()) > 1:
            return True
    return False


def _tables(page, number: int) -> list[PdfTable]:
    found = []
    for table in page.find_tables():
        rows = [[" ".join((cell or "").split()) for cell in row] for row in table.extract()]
        found.append(
            PdfTable(number, rows, [row.bbox[1] for row in table.rows], table.bbox[3], tuple(table.bbox))
        )
    return found


def _inside(obj, boxes: list[tuple[float, ...]]) -> bool:
    x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
    y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


TABLE_ROWS = 3  # lines with text in two columns or more (a header and two rows) before they are a table
# Points between two columns of a table without borders, down all its lines: a cell's margins, 0.1 cm each
# side in LibreOffice (Word's are 0.08 in), where a wrapped cell's text reaches its edge.
CELL_GAP = 5.0
CONTINUED = 0.5  # a wrapped cell's next line is less than this share of its height below the line before
TABLE_GAP = 2.0  # a table's rows are less than this many times a line's height apart
# A list's number or bullet in a column of its own (a hanging indent): a list, not a table's first column.
_LIST_MARK = re.compile(
    r"\(?(?:\d{1,3}(?:\.\d{1,3})*|[A-Za-z]|[ivxlcIVXLC]{1,6})[.):]?\)?|[•·\-–—*o§\uf0b7]+"
)


def _clusters(printed: list[dict]) -> list[list[dict]]:
    """A row's printed characters in runs apart by CELL_GAP or more (a table's cells; prose: its words
    where a justified line spreads them)."""
    out: list[list[dict]] = []
    for char in printed:
        if out and char["x0"] - out[-1][-1]["x1"] < CELL_GAP:
            out[-1].append(char)
        else:
            out.append([char])
    return out


def _chars_text(chars: list[dict]) -> str:
    """Characters as words: apart at a printed space, or where the gap between two is wider than a fifth
    of their type (a PDF may place words with no space between them)."""
    out, last = "", None
    for char in sorted(chars, key=lambda c: c["x0"]):
        if last is not None and char["x0"] - last["x1"] > 0.2 * (char.get("size") or 10):
            out += " "
        out += char["text"]
        last = char
    return " ".join(out.split())


def open_tables_of(
    page, number: int, ruled: list[tuple[float, ...]], lines: list[Line]
) -> tuple[list[PdfTable], list[str]]:
    """The tables without borders on a page of a document, as rows of cells, and where those are whose
    rows cannot be told apart ("2:5-12", page:lines).

    A table is TABLE_ROWS lines or more with text in two columns or more, whose columns stay apart down
    the table by CELL_GAP points or more that no line of it crosses (a line of prose crosses them all),
    with the lines of a wrapped cell below them: less than CONTINUED of a line's height below the line
    before, or going on from it in lower case. A list whose numbers or bullets hang in a column of their
    own is no table. Its rows: where the space between lines is wider than within a wrapped cell; where
    rows are set as close as a cell's lines, a row starts at each line whose first cell starts other than
    in lower case, as a reader reads a table's entries (a line with an empty first cell, or one that
    goes on in lower case, is the row above going on). Where even that cannot be told (rows set closer
    than their own lines' spacing), the table is read line by line and said to be."""
    printed = [c for c in page.chars if c.get("text", "").strip() and not _inside(c, ruled)]
    rows = [(min(c["top"] for c in r), max(c["bottom"] for c in r), _clusters(r)) for r in _rows(printed)]

    def type_of(k: int) -> tuple[float, bool]:  # a row's type: its size, and all bold or not
        chars = [c for cluster in rows[k][2] for c in cluster]
        return statistics.median(c["size"] for c in chars), all(
            _is_bold(c.get("fontname", "")) for c in chars
        )

    tables: list[PdfTable] = []
    unread: list[str] = []

    def where(first: int, last: int) -> str:
        inside = [line.number for line in lines if rows[first][0] - 1 <= line.top <= rows[last][1]]
        return f"{number}:{min(inside)}-{max(inside)}" if inside else f"{number}"

    i = 0
    while i < len(rows):
        if len(rows[i][2]) < 2:
            i += 1
            continue
        run, covered = [i], _covered(rows[i][2])
        j = i + 1
        while j < len(rows):
            top, bottom, clusters = rows[j]
            cover = covered | _covered(clusters)
            if not _gutters(cover):
                break
            gap = top - rows[j - 1][1]
            if gap > TABLE_GAP * (bottom - top):
                break  # far below (a page footer under the table's last row): no row of it
            widest = max((rows[b][0] - rows[a][1] for a, b in itertools.pairwise(run)), default=gap)
            lower = _chars_text(clusters[0])[:1].islower()
            if len(clusters) < 2 and (
                (gap >= CONTINUED * (bottom - top) and not (lower and gap <= widest + 1))
                or abs(type_of(j)[0] - type_of(j - 1)[0]) >= SET_APART
                or type_of(j)[1] > type_of(j - 1)[1]
            ):
                break  # a paragraph or a heading after the table, not a wrapped cell's next line
            run.append(j)
            covered = cover
            j += 1
        i = j
        if sum(len(rows[k][2]) >= 2 for k in run) < TABLE_ROWS:
            continue
        edges = [(a + b) / 2 for a, b in _gutters(covered)]
        if any(len({_column(cl[0], edges) for cl in rows[k][2]}) < len(rows[k][2]) for k in run):
            # Two runs of a line's text in one column: a line crossed the gap between them elsewhere (a
            # cell's text up to its edge), so which text is in which column is not known.
            unread.append(where(run[0], run[-1]))
            continue
        cells_of = []  # per line of the run: {column: its text}
        for k in run:
            found: dict[int, list[dict]] = {}
            for char in (c for cluster in rows[k][2] for c in cluster):
                found.setdefault(_column(char, edges), []).append(char)
            cells_of.append({n: _chars_text(chars) for n, chars in found.items()})
        firsts = [cells[0] for cells in cells_of if 0 in cells]
        if firsts and all(_LIST_MARK.fullmatch(text) for text in firsts):
            continue  # a list's numbers or bullets, hanging
        gaps = [rows[b][0] - rows[a][1] for a, b in itertools.pairwise(run)]
        close = min(gaps)
        if any(gap > close + ROW_TOLERANCE for gap in gaps):
            starts = [0] + [n + 1 for n, gap in enumerate(gaps) if gap > close + ROW_TOLERANCE]
        else:
            starts = [
                n for n, cells in enumerate(cells_of) if n == 0 or (0 in cells and not cells[0][:1].islower())
            ]
        if any(len(rows[run[n]][2]) < 2 and n in starts[1:] for n in range(len(run))):
            # A row of one cell starting where a wrapped cell's lines would: not known which it is.
            unread.append(where(run[0], run[-1]))
            continue
        table_rows, tops = [], []
        for a, b in itertools.pairwise([*starts, len(run)]):
            table_rows.append(
                [
                    " ".join(cells_of[n][col] for n in range(a, b) if col in cells_of[n])
                    for col in range(len(edges) + 1)
                ]
            )
            tops.append(rows[run[a]][0])
        chars = [c for k in run for cluster in rows[k][2] for c in cluster]
        box = (min(c["x0"] for c in chars), rows[run[0]][0], max(c["x1"] for c in chars), rows[run[-1]][1])
        tables.append(PdfTable(number, table_rows, tops, box[3], box))
    return tables, unread


def _column(char: dict, edges: list[float]) -> int:
    """Which of a table's columns a character is in, the columns ending at `edges`."""
    return sum((char["x0"] + char["x1"]) / 2 > edge for edge in edges)


def _covered(clusters: list[list[dict]]) -> set[int]:
    return {
        x for cluster in clusters for c in cluster for x in range(math.floor(c["x0"]), math.ceil(c["x1"]))
    }


def _gutters(covered: set[int]) -> list[tuple[int, int]]:
    """The gaps of CELL_GAP points or more between the text's left and right edges that nothing covers."""
    if not covered:
        return []
    out, start = [], None
    for x in range(min(covered), max(covered) + 1):
        if x not in covered:
            start = x if start is None else start
        elif start is not None:
            if x - start >= CELL_GAP:
                out.append((start, x))
            start = None
    return out


def _table_rows(body: list[Line], tables: list[PdfTable], body_size: float) -> list[Line]:
    """The body with each ruled table's lines replaced by its rows, one line each, cells joined by " | "
    (as a Word table row is read), where the table stands: read line by line, the lines of a wrapped
    cell mix with its neighbours' ("held on a charge for No Law enforcement custody a violent offense"),
    and a header row in another type reads as a heading."""
    out = list(body)
    for table in tables:
        top, bottom = table.box[1], table.box[3]
        inside = [
            i
            for i, line in enumerate(out)
            if line.page == table.page and not line.row and top <= (line.top + line.bottom) / 2 <= bottom
        ]
        if not inside:
            continue
        first = out[inside[0]]
        rows = []
        for k, cells in enumerate(table.rows):
            text = " | ".join(cell for cell in cells if cell)
            if not text:
                continue
            row_top = table.tops[k] if k < len(table.tops) else top
            row_bottom = table.tops[k + 1] if k + 1 < len(table.tops) else bottom
            number = next((out[i].number for i in inside if out[i].top >= row_top - 1), first.number)
            rows.append(
                Line(table.page, number, text, row_top, row_bottom, body_size, False, first.column, row=True)
            )
        gone = set(inside)
        out = (
            out[: inside[0]] + rows + [line for i, line in enumerate(out) if i >= inside[0] and i not in gone]
        )
    return out


def running_lines(
    pages: list[list[Line]], *, varying: bool = False
) -> tuple[set[tuple[int, int]], list[Line]]:
    """(page, line) of the running headers, footers and page numbers, and the label lines kept though
    placed as a head on every page (to be warned about). The rule is that of text made from a PDF
    (pages.find_heads), told each line's type size, and a page number alone is a head on any page; a
    speaker set in a column of its own reads as a label, as in the transcript reader's lines."""
    lines = [line for page in pages for line in page]
    numbered, at = [], 0
    for page in pages:
        if page:
            numbered.append(list(range(at, at + len(page))))
        at += len(page)
    found = find_heads(
        [line.labelled for line in lines],
        numbered,
        numbers=True,
        sizes=[line.size for line in lines],
        varying=varying,
    )
    return {(lines[i].page, lines[i].number) for i in found.heads}, [lines[i] for i in found.kept_labels]


# How much farther from the body than any two of its lines are from each other a one-page document's
# header or footer stands (a word processor's header, in the margin: 25 points over the text, where its
# paragraphs are 8 to 15 apart).
LONE_HEAD_APART = 1.5


def _text_size(page: list[Line]) -> float:
    """The type size most of a page's text is set in. Not the median line's: on a short page of numbered
    headings (a line each, in 16 or 18 point) over one-line paragraphs (12), the median falls between
    them, and the text would read as set smaller than itself, as a header is."""
    chars: Counter[float] = Counter()
    for line in page:
        if line.size:
            chars[round(line.size, 1)] += len(line.text)
    return chars.most_common(1)[0][0] if chars else 0.0


def lone_page_heads(page: list[Line]) -> list[Line]:
    """The page header and footer of a document of one page, which no repetition shows: the first (or
    last) line or two of the page, set in a smaller type than the body (or naming the page, `Page 1 of
    1`, in a longer line) and standing apart from it by LONE_HEAD_APART times the widest space between
    any two of the body's lines or more, as a word processor's header and footer stand in the page's
    margins. A title (larger or bold type), a numbered section and a footnote (from a note mark on) are
    never one."""
    if len(page) < 4:
        return []
    body = _text_size(page)

    def head_like(line: Line) -> bool:
        smaller = 0 < line.size <= body - SET_APART
        return (
            (smaller or bool(_PAGE_IN_LINE.search(line.text)))
            and not line.bold
            and not line.row
            and section_start(Block(line.text, "")) is None
            and not _NOTE_MARK.match(line.text)
        )

    top = 0
    while top < HEAD_LINES and head_like(page[top]):
        top += 1
    bottom = 0
    while bottom < HEAD_LINES and head_like(page[-1 - bottom]):
        bottom += 1
    middle = page[top : len(page) - bottom]
    if len(middle) < 2:
        return []
    widest = max(
        (b.top - a.bottom for a, b in itertools.pairwise(middle) if a.column == b.column), default=0.0
    )
    out = []
    if top and middle[0].top - page[top - 1].bottom >= LONE_HEAD_APART * widest > 0:
        out += page[:top]
    if bottom and page[-bottom].top - middle[-1].bottom >= LONE_HEAD_APART * widest > 0:
        out += page[-bottom:]
    return out


def unsure_page_heads(page: list[Line]) -> list[Line]:
    """The first and last line of a document of one page that stand where its header or footer would,
    set in the text's own type, which lone_page_heads cannot tell from text: the first line, over the
    title or first heading (bold or larger) or apart from what follows as a header stands, and the last,
    apart from the text above it as a footer stands. Word's and LibreOffice's page header is in the
    text's type unless its style is changed, and so is a title or a date line typed over the title: they
    are read as text and said, not guessed."""
    if len(page) < 4:
        return []
    body = _text_size(page)

    def plain(line: Line) -> bool:
        return (
            abs(line.size - body) < SET_APART
            and not line.bold
            and not line.row
            and section_start(Block(line.text, "")) is None
            and not _NOTE_MARK.match(line.text)
        )

    middle = page[1:-1]
    widest = max(
        (b.top - a.bottom for a, b in itertools.pairwise(middle) if a.column == b.column), default=0.0
    )
    first, second, before, last = page[0], page[1], page[-2], page[-1]
    out = []
    if plain(first) and (
        second.bold
        or second.size > body * HEADING_SIZE
        or second.top - first.bottom >= LONE_HEAD_APART * widest > 0
    ):
        out.append(first)
    if plain(last) and last.top - before.bottom >= LONE_HEAD_APART * widest > 0:
        out.append(last)
    return out


def _split_paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Group body lines into paragraphs: a larger gap than usual between two lines of a page, or a change
    between heading and body type, starts one. A page break never does by itself (a turn goes on), nor
    the move from one column to the next, but for a numbered section starting after a full sentence."""
    gaps = [
        round(2 * (b.top - a.bottom)) / 2  # to half a point: one line spacing measures the same each time
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and b.top - a.bottom >= 0
    ]
    # The spacing between the lines of a paragraph: the smallest gap that recurs. A median, or the
    # commonest gap, is the paragraph gap in a transcript of one-line turns or a policy of short clauses.
    counts = Counter(gaps)
    recurring = [g for g, k in counts.items() if k >= 2]
    usual = min(recurring or gaps or [0.0])
    paragraphs: list[list[Line]] = []
    for i, line in enumerate(lines):
        prev = lines[i - 1] if i else None
        new = prev is None
        if prev is not None and (prev.page, prev.column) != (line.page, line.column):
            # A page or column break goes on the paragraph, unless a sentence ends before it and a
            # numbered section ("4.3 Transport") starts after it.
            new = (
                prev.text.endswith((".", "!", "?", ":", ";"))
                and section_start(Block(line.text, "")) is not None
            )
        elif prev is not None:
            height = min(prev.bottom - prev.top, line.bottom - line.top)
            gap = line.top - prev.bottom
            new = gap > usual + PARAGRAPH_GAP * height or gap < -height  # (a jump back up: another column)
        if prev is not None and (prev.bold != line.bold or abs(prev.size - line.size) > 0.5):
            new = True  # a heading above its text, or the text after a heading
        if line.row or (prev is not None and prev.row):
            new = True
        if new:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return paragraphs


def _rejoin(paragraph: list[Line], compounds: set[str]) -> list[Line]:
    """Words hyphenated across line ends made whole: "admis-" + "sion" -> "admission". The hyphen stays
    when the document writes that compound with a hyphen elsewhere ("co-" + "responder"); a soft hyphen
    always goes. A line left empty is dropped."""
    out = list(paragraph)
    for i in range(len(out) - 1):
        broken = _HYPHENATED.search(out[i].text)
        following = _LEADING_WORD.match(out[i + 1].text)
        if not broken or not following or not following.group(1)[:1].islower():
            continue
        stem, rest = broken.group(1), following.group(1)
        soft = out[i].text.endswith("\u00ad")
        keep = not soft and f"{stem}-{rest}".casefold() in compounds
        joined = out[i].text[: broken.start()] + stem + ("-" if keep else "") + rest
        # Trailing punctuation of the fragment ("sion," or "sion.") stays with the word.
        tail = following.group(2)
        punct = re.match(r"[^\s\w]*", tail).group()
        out[i] = replace(out[i], text=joined + punct)
        out[i + 1] = replace(out[i + 1], text=tail[len(punct) :].strip())
    return [line for line in out if line.text]


# A footnote's first line: its mark (a superscript or plain number, asterisks, a dagger) and its text.
_NOTE_MARK = re.compile(
    r"(?:[\u00b9\u00b2\u00b3\u2070-\u2079]+|\d{1,3}\.?|\*{1,3}|[\u2020\u2021])\s*[^\W\d_]"
)
NOTE_SIZE = 0.92  # a footnote is set this much smaller than the body, or more


def _footnotes(body: list[Line], body_size: float) -> dict[int, list[list[Line]]]:
    """Each page's footnotes: the lines that close the page's body in a smaller type than the body, the
    first starting with a note mark ("¹ Over 0.08 ..."), split into notes at each mark. Left in the
    flow, a note would stand in the middle of a sentence that goes on over the page."""
    found: dict[int, list[list[Line]]] = {}
    for page, group in itertools.groupby(body, key=lambda line: line.page):
        lines = list(group)
        small = len(lines)
        while small and 0 < lines[small - 1].size <= body_size * NOTE_SIZE:
            small -= 1
        start = next((i for i in range(small, len(lines)) if _NOTE_MARK.match(lines[i].text)), None)
        if start is None or start != small or small == 0:  # not from a mark on, or no body above
            continue
        notes: list[list[Line]] = []
        for line in lines[start:]:
            if not notes or _NOTE_MARK.match(line.text):
                notes.append([line])
            else:
                notes[-1].append(line)
        found[page] = notes
    return found


_SUPERSCRIPT_DIGITS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"


def _place_notes(paragraphs: list[list[Line]], notes: dict[int, list[list[Line]]]) -> list[list[Line]]:
    """The paragraphs with each note after the paragraph on its page that cites it with its number
    raised (`intoxicated¹` for `¹ Over 0.08...`), as a .docx policy's note follows the paragraph citing
    it, so the note is in that paragraph's section; a note cited no such way (`*`, a number not raised)
    after the paragraph that holds the page's last body line (which may go on over the page), as a
    reader reads on past the notes."""
    placed: list[tuple[int, int, list[Line]]] = []  # (after paragraph, order, note)
    for page in sorted(notes):
        last = max((i for i, p in enumerate(paragraphs) if any(line.page <= page for line in p)), default=-1)
        for note in notes[page]:
            cited = _citing(paragraphs, note, page)
            placed.append((cited if cited is not None else last, len(placed), note))
    placed.sort(key=lambda item: item[:2])
    out = [note for after, _, note in placed if after < 0]
    for i, paragraph in enumerate(paragraphs):
        out.append(paragraph)
        out += [note for after, _, note in placed if after == i]
    return out


def _citing(paragraphs: list[list[Line]], note: list[Line], page: int) -> int | None:
    """The paragraph whose line on `page` cites the note with its number raised (the first such, and
    only when one alone does), or None."""
    m = re.match(rf"([{_SUPERSCRIPT_DIGITS}]+|\d{{1,3}})", note[0].text)
    if m is None:
        return None
    mark = m[1].translate(_SUPERSCRIPT)
    cite = re.compile(rf"(?<![{_SUPERSCRIPT_DIGITS}]){re.escape(mark)}(?![{_SUPERSCRIPT_DIGITS}])")
    found = [
        i
        for i, p in enumerate(paragraphs)
        if p is not note and any(line.page == page and cite.search(line.text) for line in p)
    ]
    return found[0] if len(found) == 1 else None


def read_pdf_text(path: Path, data: bytes, *, document: bool = False) -> PdfText:
    """A PDF's body text (see PdfText), or raise TranscriptError. For a `document`, footnotes at a page's
    foot are taken out of the flow and put after the paragraph that runs over them, ruled tables are read
    row by row, and a table's cells do not count as columns of its page."""
    name = str(path)
    read = extract_pages(path, data, document=document)
    pages, imaged, columns = read.lines, read.imaged, read.columns
    running, kept = running_lines(pages, varying=document)
    body = [line for lines in pages for line in lines if (line.page, line.number) not in running]
    lone: list[Line] = []
    unsure: list[Line] = []
    if document and len(pages) == 1:  # nothing repeats on one page: a header is known by its place and type
        lone = lone_page_heads(body)
        running |= {(line.page, line.number) for line in lone}
        body = [line for line in body if line not in lone]
        unsure = unsure_page_heads(body)
    # A scanned page: an image and no text of its own (a page number or a stamp added to a scan aside).
    with_text = {line.page for line in body}
    scanned = sorted(p for p in imaged if p not in with_text)
    ocr = "Run OCR on it outside wei-qual (e.g. ocrmypdf, or a scanner's text recognition) and ingest the result."
    if not body:
        if scanned:
            raise _refuse(name, "has no text layer (it looks like a scanned image)", ocr)
        what = (
            "contains no text"
            if not any(pages)
            else "has only page headers, footers or page numbers, no text"
        )
        raise _refuse(name, what, "Export the text again, or leave the file out.")
    if scanned:
        listed = ", ".join(str(n) for n in scanned[:10]) + (" ..." if len(scanned) > 10 else "")
        raise _refuse(
            name,
            f"has {len(scanned)} page{'s' if len(scanned) != 1 else ''} without a text layer (scanned: page "
            f"{listed}), whose text would be missing",
            ocr,
        )
    sizes = [line.size for line in body if line.size]
    body_size = statistics.median(sizes) if sizes else 0.0
    compounds = {m.group().casefold() for line in body for m in _COMPOUND.finditer(line.text)}
    if document and (read.tables or read.open_tables):
        columns = {page: n for page, n in {**columns, **read.columns_outside_tables}.items() if n > 1}
    if document and (read.tables or read.open_tables):
        body = _table_rows(body, read.tables + read.open_tables, body_size)
    footnotes = _footnotes(body, body_size) if document and body_size else {}
    if footnotes:
        placed = {(line.page, line.number) for page in footnotes.values() for note in page for line in note}
        body = [line for line in body if (line.page, line.number) not in placed]
        footnotes = {
            page: [_rejoin(note, compounds) for note in page_notes] for page, page_notes in footnotes.items()
        }
    paragraphs = [p for p in (_rejoin(p, compounds) for p in _split_paragraphs(body)) if p]
    if footnotes:
        paragraphs = _place_notes(paragraphs, footnotes)
    return PdfText(
        paragraphs,
        len(pages),
        len(running),
        body_size,
        columns,
        read.tables,
        pages,
        [line.where for line in kept],
        read.columns_outside_tables,
        [line.where for line in lone],
        read.unread_tables,
        [line.where for line in unsure],
    )


def read_pdf(path: Path, data: bytes, *, encoding: str | None = None) -> Source:
    """Read a PDF transcript into speaker turns, as a plain-text transcript is read, or raise
    TranscriptError. `encoding` is ignored (a PDF says how its text is encoded). A transcript printed
    from a table (speaker, text, time columns) is read from its ruled tables, as a Word table is, when
    they hold most of its words."""
    text = read_pdf_text(path, data)
    lines, where = text.lines(labels=True)
    from_tables = _table_turns(text, lines)
    if from_tables is not None:
        return _table_source(text, path)
    lines, where = _cover_tables(text, lines, where)
    parsed = parse_lines(lines, id_labels=id_labels(path))
    layout = None
    if not parsed.labelled or only_questions_labelled(parsed.turns):
        # No answer labelled: questions set in bold (the fonts' names say so) or labelled `Q:` alone.
        found = _question_lines(text, lines, where)
        if found is not None:
            lines, *layout = found
            parsed = parse_lines(lines, id_labels=id_labels(path))
    for turn in parsed.turns:
        # A PDF breaks lines where the page ends: within a paragraph they are one flowing text (and a
        # gap after a word that was no label is a space).
        turn.paragraphs = [" ".join(p.split()) for p in turn.paragraphs]
        turn.page = _page_of(where, turn.line)
    _place_pages(parsed.turns, lines, where)
    scan_lines = parsed.scanned(lines)
    return Source(
        "pdf",
        parsed.turns,
        scan_text="\n".join(scan_lines),
        attributes=dict(parsed.metadata),
        labelled=parsed.labelled,
        missed_labels=[where[i] for i in parsed.missed_labels if where[i] is not None],
        metadata=parsed.metadata,
        scan_locations=where,
        location_unit="page:line",
        # A table's columns are no columns of the page's text: only those outside it (_speaker_table).
        columns={page: n for page, n in {**text.columns, **text.columns_outside_tables}.items() if n > 1},
        cover=[where[i] for i in parsed.cover if where[i] is not None],
        later_covers=[(where[lines[0]], where[lines[-1]]) for lines in parsed.later_covers],
        unmarked_covers=[(where[lines[0]], where[lines[-1]]) for lines in parsed.unmarked_covers],
        cover_roles=parsed.cover_roles,
        cover_conflicts=parsed.cover_conflicts,
        wrapped=[where[i] for i in parsed.wrapped if where[i] is not None],
        quoted=[where[i] for i in parsed.quoted if where[i] is not None],
        heard_once=[where[i] for i in parsed.heard_once if where[i] is not None],
        title_lines=[where[i] for i in parsed.title_lines if where[i] is not None],
        ai_summary=[where[i] for i in parsed.ai_summary if where[i] is not None],
        interrupting=[where[i] for i in parsed.interrupting if where[i] is not None],
        quoting=parsed.quoting,
        label_heads=text.kept_labels,
        question_layout=tuple(layout) if layout else None,
    )


def _question_lines(
    text: PdfText, lines: list[str], where: list[str | None]
) -> tuple[list[str], str, int] | None:
    """The lines (PdfText.lines, `where` each is) with `Q: ` before each question and `A: ` before the first answer
    paragraph, as plain._question_layout gives a text file's, where the questions are paragraphs all in a
    bold face or labelled `Q:` alone (plain.question_turns); with the mark and how many. None otherwise."""
    index = {w: i for i, w in enumerate(where) if w is not None}  # a cover table's rows may be rewritten
    firsts: list[int | None] = []  # each paragraph's first line in `lines`
    kinds: list[tuple[str, str | None]] = []
    for paragraph in text.paragraphs:
        firsts.append(index.get(paragraph[0].where))
        joined = " ".join(line.text.strip() for line in paragraph)
        mark = BOLD if all(line.bold for line in paragraph) else Q_ONLY if Q_LABEL.match(joined) else None
        kinds.append((Q_LABEL.sub("", joined, count=1) if mark else joined, mark))
    found = question_turns(kinds)
    if found is None:
        return None
    mark, questions, answers = found
    if any(firsts[k] is None for k in (*questions, *answers)):
        return None
    out = list(lines)
    for k in questions:
        if not Q_LABEL.match(out[firsts[k]].lstrip()):
            out[firsts[k]] = "Q: " + out[firsts[k]].lstrip()
    for k in answers:
        out[firsts[k]] = "A: " + out[firsts[k]].lstrip()
    return out, mark, len(questions)


def _cover_tables(
    text: PdfText, lines: list[str], where: list[str | None]
) -> tuple[list[str], list[str | None]]:
    """The body lines with each cover table as one `Key<tab>value` line a row (`Key:` for an empty value
    cell), located where the row starts: a ruled two-column table whose first cells are all cover keys
    (`Interview ID | P07`, `Date | 12 March 2024`: a Word cover table printed to PDF). Read line by line,
    a value over two lines or an empty cell breaks its rows apart, and a value set beside the middle of
    a tall row comes before its key."""
    from .boilerplate import is_cover_key

    index = {w: i for i, w in enumerate(where) if w is not None}
    body = [line for paragraph in text.paragraphs for line in paragraph]
    for table in sorted(text.tables, key=lambda t: (t.page, t.tops[0] if t.tops else 0), reverse=True):
        if len(table.rows) < 2 or any(len(row) != 2 or not is_cover_key(row[0]) for row in table.rows):
            continue
        inside = [
            line
            for line in body
            if line.page == table.page
            and line.top >= table.tops[0] - ROW_TOLERANCE
            and line.bottom <= table.bottom + ROW_TOLERANCE
        ]
        spots = sorted(index[line.where] for line in inside if line.where in index)
        if not spots or any(lines[i] for i in set(range(spots[0], spots[-1] + 1)) - set(spots)):
            continue  # text that is not the table's among its lines: leave them as they are
        rows, places = [], []
        for top, (key, value) in zip(table.tops, table.rows):
            first = next((line for line in inside if line.top >= top - ROW_TOLERANCE), inside[0])
            rows.append(f"{key.strip().rstrip(':')}\t{value}" if value else f"{key.strip().rstrip(':')}:")
            places.append(first.where)
        lines = [*lines[: spots[0]], *rows, *lines[spots[-1] + 1 :]]
        where = [*where[: spots[0]], *places, *where[spots[-1] + 1 :]]
        index = {w: i for i, w in enumerate(where) if w is not None}
    return lines, where


def _table_turns(text: PdfText, lines: list[str]) -> list | None:
    """The turns of a transcript printed from a table, when its ruled tables hold more than half of its
    words and have a speaker and a text column; else None (it is read from its lines)."""
    from .word import table_turns

    turns = table_turns([table.rows for table in text.tables])
    cell_words = sum(len(cell.split()) for table in text.tables for row in table.rows for cell in row)
    return turns if turns and 2 * cell_words > sum(len(line.split()) for line in lines) else None


def scanned_text(path: Path, data: bytes) -> tuple[str, list[str | None]]:
    """What the ingest gate scans in a PDF transcript, and where each of its lines is (page:line): its
    body lines, or the turns of a transcript read from its tables (`deid scan` and `deid redact` read
    this, so their findings point where the gate's do). Raises TranscriptError."""
    text = read_pdf_text(path, data)
    lines, where = text.lines(labels=True)
    turns = _table_turns(text, lines)
    if turns is None:
        lines, where = _cover_tables(text, lines, where)
        return "\n".join(lines), where
    source = _table_source(text, path)
    return source.scan_text, source.scan_locations or []


def _table_source(text: PdfText, path: Path) -> Source:
    """The Source of a transcript read from its tables, as a Word file's body is read (word.document_source):
    its tables and the paragraphs outside them in page order, so a title over the table, a cover sheet and
    the labelled turns typed after it are read as in the .docx it was printed from. Each row is located as
    `page:line` (the line of the page where the row starts), a paragraph where its first line is; each turn
    is on the pages of its rows and paragraphs."""
    from .word import document_source, located_scan_text

    def inside(line: Line) -> bool:
        return any(
            t.page == line.page
            and line.top >= t.box[1] - ROW_TOLERANCE
            and line.bottom <= t.box[3] + ROW_TOLERANCE
            for t in text.tables
        )

    items: list[tuple[tuple[int, float], list[Line] | PdfTable]] = [
        ((t.page, t.tops[0] if t.tops else t.box[1]), t) for t in text.tables
    ]
    for paragraph in text.paragraphs:
        outside = [line for line in paragraph if not inside(line)]
        if outside:
            items.append(((outside[0].page, outside[0].top), outside))
    items.sort(key=lambda item: item[0])
    blocks: list = []
    places: list[tuple[str, str]] = []  # (page:line, text) of each paragraph and row, in order
    located: dict[str, str] = {}  # document_source's "paragraph N" / "table T, row R" -> page:line
    named: dict[str, str] = {}  # its "table T" -> "table T (page P)"
    paragraphs = tables = 0
    for _, item in items:
        if isinstance(item, PdfTable):
            tables += 1
            named[f"table {tables}"] = f"table {tables} (page {item.page})"
            page_lines = text.all_lines[item.page - 1]
            for r, (top, cells) in enumerate(zip(item.tops, item.rows), start=1):
                line = next((line for line in page_lines if line.top >= top - ROW_TOLERANCE), None)
                located[f"table {tables}, row {r}"] = f"{item.page}:{line.number if line else 1}"
                places.append((located[f"table {tables}, row {r}"], " ".join(cells)))
            blocks.append(item.rows)
            continue
        paragraphs += 1
        located[f"paragraph {paragraphs}"] = item[0].where
        places.append((item[0].where, " ".join(line.text for line in item)))
        blocks.append(("\n".join(line.labelled for line in item), None, "", False))
    source = document_source(path, "pdf", blocks)
    for turn in source.turns:  # a PDF breaks lines where the cell or page ends: one flowing text
        turn.paragraphs = [" ".join(p.split()) for p in turn.paragraphs]
    _, _, found = located_scan_text(source.turns, places)
    # Read from its cells, the table's columns are no columns of the page's text: only those outside it.
    columns = {page: n for page, n in {**text.columns, **text.columns_outside_tables}.items() if n > 1}
    for turn, wheres in zip(source.turns, found):
        # A turn of several rows (a row with no speaker goes on with it, also over a page) is on the
        # pages of all of them; where each row is found says where each later page starts.
        pages = [int(where.split(":")[0]) if where else None for where in wheres]
        place_pages(turn, [(page, page) for page in pages])
    at = lambda where: located.get(where if isinstance(where, str) else f"paragraph {where}", where)
    pairs = lambda found: [(at(a), at(b)) for a, b in found]
    return dataclasses.replace(
        source,
        scan_locations=[at(w) if w is not None else None for w in source.scan_locations or []],
        location_unit="page:line",
        columns=columns,
        missed_labels=[at(w) for w in source.missed_labels],
        cover=[at(w) for w in source.cover],
        later_covers=pairs(source.later_covers),
        unmarked_covers=pairs(source.unmarked_covers),
        wrapped=[at(w) for w in source.wrapped],
        quoted=[at(w) for w in source.quoted],
        heard_once=[at(w) for w in source.heard_once],
        title_lines=[at(w) for w in source.title_lines],
        ai_summary=[at(w) for w in source.ai_summary],
        interrupting=[at(w) for w in source.interrupting],
        left_out=[named.get(w, w) for w in source.left_out],
        cover_tables=[named.get(w, w) for w in source.cover_tables],
        guessed_columns=[g._replace(table=named.get(g.table, g.table)) for g in source.guessed_columns],
    )


def _place_pages(turns: list[Turn], lines: list[str], where: list[str | None]) -> None:
    """Give each turn the pages its words are on and where each later page starts in its text: a turn
    that runs over a page break is on both pages, and one whose label closes a page (Otter's `Name  0:14`
    over the text) starts on the page of its first words. Each of its source lines (from the line it
    starts on to the next turn's) is found in its text in order, a label or time before the words aside;
    a line found nowhere (a service line left out) places nothing. The breaks are kept only when the
    first line of every later page was found, so that an excerpt is never cited with a page its words
    are not on."""
    starts = sorted((t.line, k) for k, t in enumerate(turns) if t.line is not None and t.page is not None)
    for (first, k), (stop, _) in itertools.zip_longest(starts, starts[1:], fillvalue=(len(lines), -1)):
        turn = turns[k]
        text, at = turn.text, 0
        page: int | None = None  # the page of the words found so far
        breaks: list[tuple[int, int]] = []
        complete = True
        unplaced: int | None = None  # the last page of the lines not found after the last one found
        for i in range(first, stop):
            if where[i] is None or not lines[i].strip():
                continue
            here = int(where[i].split(":")[0])
            found = _find_line(text, lines[i], at)
            if found is None:
                # The first words of a later page not placed (a label alone holds no words of the turn).
                complete = complete and (page is None or here == page or i == first)
                unplaced = here if i > first else unplaced
                continue
            start, at = found
            unplaced = None
            if page is None:
                page = turn.page = here if start == 0 else turn.page
            if here != page:
                if start > 0 and (not breaks or start > breaks[-1][0]):
                    breaks.append((start, here))
                page = here
        if page is None:  # no line found: the page it starts on is every word's
            turn.end_page = turn.page
            continue
        # Words after the last line found are on the pages of the lines not found after it.
        turn.end_page = max(page, unplaced or page) if text[at:].strip() else page
        turn.breaks = tuple(breaks) if complete and breaks else None


def _find_line(text: str, line: str, at: int) -> tuple[int, int] | None:
    """(start, end) of a source line's words in a turn's text from `at` on, its label or time aside; None
    when they are not there (or it holds no words of the turn: a label alone)."""
    words = " ".join(line.split())
    m = match_label(strip_markup(words))
    for candidate in (words, " ".join(m.rest.split()) if m is not None else ""):
        if candidate:
            start = text.find(candidate, at)
            if start >= 0:
                return start, start + len(candidate)
    return None


def _page_of(where: list[str | None], line: int | None) -> int | None:
    if line is None or not 0 <= line < len(where):
        return None
    # The turn starts on this line, or (a blank line) on the next one that has text.
    for loc in where[line:]:
        if loc is not None:
            return int(loc.split(":")[0])
    return None
