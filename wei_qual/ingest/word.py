"""Word .docx transcripts via python-docx: labelled paragraphs, tables with speaker and text columns, or both.

The document is read in body order, as Word holds it: the turns of a speaker table and of the labelled
paragraphs after (or between) its parts come as they stand. A table that is no transcript (a cover sheet)
is left out, and said to be.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from ..errors import TranscriptError
from ..models import count_words, plural
from . import lexicon
from .boilerplate import Cover, find_cover
from .checks import ColumnGuess
from .decode import check_not_empty
from .labels import (
    SPEAKER_HEADERS,
    TEXT_HEADERS,
    TIME_HEADERS,
    TS,
    is_known,
    name_alone,
    no_break,
    parse_time,
)
from .plain import (
    BOLD,
    Q_LABEL,
    Q_ONLY,
    Lines,
    id_labels,
    merge_same_speaker,
    only_questions_labelled,
    parse_lines,
    question_turns,
)
from .roles import normalise_id
from .turns import TURN_SEPARATOR, Source, Turn, place_pages

# `00:01:02`, `[00:01:02]`, or a span `0:00:09.2 - 0:00:31.5` (NVivo Transcription; also `-->`): its start
# and its end.
_TIME_CELL = re.compile(rf"[\[(]?({TS})[\])]?(?:\s*(?:-->|→|[-–])\s*[\[(]?({TS})[\])]?)?")


def turn_words(turns: list[Turn]) -> int:
    return sum(count_words(p) for t in turns for p in t.paragraphs)


class _Finder:
    """Where a piece of the extracted text sits in the document: "paragraph N" or "table R, row N".

    Turns come out in document order, so the search moves forward from the last place found (and
    starts over from the top for a piece found nowhere after it, e.g. a service header's title)."""

    def __init__(self, places: list[tuple[str, str]]) -> None:
        self.places = places  # (location, text) in document order
        self.next = 0

    def find(self, piece: str, *, move: bool = True) -> str | None:
        needle = " ".join(piece.split())[:80]
        if not needle:
            return None
        # Walked lazily: a list of every place built for each piece made a long file's reading quadratic
        # (20,000 paragraphs took 5 s, 40,000 took 19 s), when the piece is nearly always the next place.
        for i in itertools.chain(range(self.next, len(self.places)), range(self.next)):
            if needle in self.places[i][1]:
                if move:
                    self.next = i
                return self.places[i][0]
        return None


# A paragraph's runs as Word shows them with every tracked change accepted: also those inside insertions,
# moves, content controls, fields and links, but not deleted or moved-away runs, hidden text (a template's
# instructions, formatted hidden: neither shown nor printed), ruby annotations, the text boxes anchored in
# it, or the placeholder of a content control nobody filled in ("Click or tap to enter a date.": the
# template's prompt, not the interview's words).
_HIDDEN = "w:rPr/w:vanish[not(@w:val='0' or @w:val='false' or @w:val='off')]"
_RUNS = (
    ".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:txbxContent or ancestor::w:rt"
    f" or ancestor::w:sdtContent[preceding-sibling::w:sdtPr/w:showingPlcHdr] or {_HIDDEN})]"
)
# A run's text elements, as python-docx's `CT_R.text` reads them.
_RUN_TEXT = "w:br | w:cr | w:noBreakHyphen | w:ptab | w:t | w:tab"
# Tracked insertions, deletions and moves of text (not of formatting).
_TRACKED = ".//w:ins[.//w:r] | .//w:del[.//w:r] | .//w:moveFrom[.//w:r] | .//w:moveTo[.//w:r]"


@cache
def _compiled(path: str):
    from docx.oxml.ns import nsmap
    from lxml import etree

    return etree.XPath(path, namespaces=nsmap)


@cache
def _qn(tag: str) -> str:
    """docx.oxml.ns.qn(tag), worked out once per tag (run_text asks for two at each run)."""
    from docx.oxml.ns import qn

    return qn(tag)


def xpath(element, path: str):
    """element.xpath(path) with Word's namespaces, the path compiled once: python-docx's xpath() compiles
    it at each call, which was most of the time a .docx took to read (a table's every row and cell)."""
    return _compiled(path)(element)


def run_text(r) -> str:
    """A run's text as python-docx reads it (`w:t`, a tab, a line break...), but a page or column break
    as a line break: the words on either side are on two pages (or columns), not one word, and
    python-docx gives such a break as nothing ("waited" + break + "all" read "waitedall")."""
    br, kind = _qn("w:br"), _qn("w:type")
    # python-docx's `r.text` is this join, its XPath compiled at each call (most of a run's time)
    return "".join(
        "\n" if e.tag == br and e.get(kind) in ("page", "column") else str(e) for e in xpath(r, _RUN_TEXT)
    )


def _runs_text(p) -> str:
    """The text of a paragraph element (w:p), tracked changes accepted."""
    return "".join(run_text(r) for r in xpath(p, _RUNS))


def paragraph_text(paragraph) -> str:
    """A paragraph's text with every tracked change accepted. python-docx's `text` reads only the runs
    directly in the paragraph and its links, so inserted text would be lost without a word."""
    return _runs_text(paragraph._p)


def _bold_name(paragraph) -> tuple[str, str | None, str, bool]:
    """(paragraph_text, the name set in bold at its start with plain text after it or None, that text):
    some transcripts set the speaker in bold with no colon after it."""
    from docx.text.run import Run

    runs = xpath(paragraph._p, _RUNS)
    lead = next((k for k, r in enumerate(runs) if not Run(r, paragraph).bold), len(runs))
    texts = [run_text(r) for r in runs]
    return bold_lead("".join(texts), "".join(texts[:lead]))


def bold_lead(text: str, bold: str) -> tuple[str, str | None, str, bool]:
    """(text, the name its bold start holds or None, the text after it, whether it is all in bold), for
    marked_bold_names and a question set in bold (plain.question_turns)."""
    name, start = bold.strip(), text.lstrip()
    rest = start[len(name) :].strip()
    if name and rest and start.startswith(name) and not rest.startswith(":") and name_alone(name):
        return text, name, rest, False
    return text, None, "", bool(name) and name == start.strip()


def marked_bold_names(found: list[tuple[str, str | None, str, bool]]) -> list[str]:
    """Each paragraph's text from (its text, the name set in bold at its start or None, the text after
    it): a bold name over its turn that recurs (or is a known form) is marked as Markdown bold,
    `**Sgt Rivera** We waited.`, which the transcript reader takes for a label."""
    counts = Counter(name for _, name, *_ in found if name)
    return [
        f"**{name}** {rest}" if name and (counts[name] >= 2 or is_known(name)) else text
        for text, name, rest, _ in found
    ]


def body_items(document, *, contents: bool = False) -> list:
    """The body's paragraphs and tables in order, also those inside block-level content controls
    (python-docx's iter_inner_content gives only the ones directly in the body). A table of contents is
    left out (`contents`: kept): Word makes it from the headings, which are read where they stand."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = document._body
    toc = "" if contents else "[not(w:sdtPr/w:docPartObj/w:docPartGallery[@w:val='Table of Contents'])]"
    found = xpath(
        document.element.body, f"./w:p | ./w:tbl | ./w:sdt{toc}/w:sdtContent/*[self::w:p or self::w:tbl]"
    )
    lines = set() if contents else _contents_styles(document)
    return [
        Paragraph(el, body) if el.tag == qn("w:p") else Table(el, body)
        for el in found
        if not (lines and el.tag == qn("w:p") and xpath(el, "string(w:pPr/w:pStyle/@w:val)") in lines)
    ]


def _contents_styles(document) -> set[str]:
    """The ids of the styles of a table of contents' lines ("toc 1" to "toc 9", "TOC Heading": their
    names in every language of Word, which localises their ids)."""
    from docx.oxml.ns import qn

    try:
        styles = list(document.styles.element.iterchildren(qn("w:style")))
    except (KeyError, AttributeError, ValueError):  # no styles part
        return set()
    out = set()
    for style in styles:
        name = style.find(qn("w:name"))
        if name is not None and re.fullmatch(r"toc (?:[1-9]|heading)", (name.get(qn("w:val")) or "").lower()):
            out.add(style.get(qn("w:styleId")))
    return out


def accept_joined_paragraphs(document) -> int:
    """Accept the tracked deletions of paragraph marks, as the reader accepts every tracked change: a
    paragraph whose mark was deleted (or moved away) is one paragraph with the next, as Word shows it once
    the change is accepted, so its runs are moved to the start of the next paragraph and it goes. The
    next paragraph keeps its own properties (its mark is the one left). A mark before a table or at the
    end of a cell joins nothing and is left. Returns how many paragraphs were joined."""
    from docx.oxml.ns import qn

    p_tag, ppr_tag = qn("w:p"), qn("w:pPr")
    joined = 0
    for p in xpath(
        document.element.body,
        ".//w:p[w:pPr/w:rPr/w:del or w:pPr/w:rPr/w:moveFrom][not(ancestor::w:del or ancestor::w:moveFrom)]",
    ):
        following = p.getnext()
        if following is None or following.tag != p_tag:
            continue
        content = [child for child in p if child.tag != ppr_tag]
        anchor = following.find(ppr_tag)
        at = following.index(anchor) + 1 if anchor is not None else 0
        for k, child in enumerate(content):
            following.insert(at + k, child)
        p.getparent().remove(p)
        joined += 1
    return joined


def tracked_changes(document) -> int:
    """How many tracked insertions, deletions and moves of text the document holds."""
    return len(document.element.body.xpath(_TRACKED))


def _on(element) -> bool | None:
    """A toggle property's value (w:vanish, w:b...): None when it is not set."""
    if element is None:
        return None
    from docx.oxml.ns import qn

    return element.get(qn("w:val")) not in ("0", "false", "off")


def mark_style_hidden(document, root=None) -> None:
    """Give the runs of `root` (the body, or a notes part) that a style hides (a character style, or the
    paragraph's style, set Font > Hidden, also through the styles it is based on) a direct w:vanish, as
    Word shows them: so _RUNS and hidden_paragraphs, which read direct formatting, leave them out. A run's
    own formatting wins over its character style, and that over its paragraph's style."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles: dict[str | None, tuple[str | None, bool | None]] = {}
    default_paragraph = None
    try:
        found = document.styles.element.iterchildren(qn("w:style"))
    except (KeyError, AttributeError, ValueError):  # no styles part
        return
    for style in found:
        based = style.find(qn("w:basedOn"))
        rpr = style.find(qn("w:rPr"))
        vanish = _on(rpr.find(qn("w:vanish")) if rpr is not None else None)
        sid = style.get(qn("w:styleId"))
        styles[sid] = (based.get(qn("w:val")) if based is not None else None, vanish)
        if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true", "on"):
            default_paragraph = sid

    def hides(sid: str | None) -> bool | None:
        seen: set = set()
        while sid is not None and sid not in seen:
            seen.add(sid)
            based, vanish = styles.get(sid, (None, None))
            if vanish is not None:
                return vanish
            sid = based
        return None

    if not any(vanish for _, vanish in styles.values()):
        return  # no style hides text: the common case, nothing to walk
    root = document.element.body if root is None else root
    val, r_tag, p_tag = qn("w:val"), qn("w:r"), qn("w:p")
    for p in root.iter(p_tag):
        pstyle = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        paragraph = hides(pstyle.get(val) if pstyle is not None else default_paragraph)
        for r in p.iter(r_tag):
            if next(r.iterancestors(p_tag), None) is not p:
                continue  # a run of a paragraph inside this one (a text box): its own paragraph's
            rpr = r.find(qn("w:rPr"))
            if rpr is not None and rpr.find(qn("w:vanish")) is not None:
                continue
            rstyle = rpr.find(qn("w:rStyle")) if rpr is not None else None
            character = hides(rstyle.get(val)) if rstyle is not None else None
            if character if character is not None else paragraph:
                if rpr is None:
                    rpr = OxmlElement("w:rPr")
                    r.insert(0, rpr)
                rpr.append(OxmlElement("w:vanish"))


def hidden_paragraphs(document) -> int:
    """How many of the body's paragraphs hold text formatted hidden (not deleted), which is not read."""
    return len(
        document.element.body.xpath(
            f".//w:p[.//w:r[{_HIDDEN} and w:t[normalize-space()] and not(ancestor::w:del or ancestor::w:moveFrom)]]"
            "[not(ancestor::w:txbxContent)]"
        )
    )


def _table_rows(table) -> list[list[str]]:
    """A Word table's rows of cell texts, read from its XML: a cell merged across columns (w:gridSpan) is
    one cell, so a row merged across the table is a row of one cell; a cell merged down from the row above
    (w:vMerge) is empty, its text read in that row (python-docx gives it again in each row it spans);
    rows and cells in content controls are read too."""
    rows = []
    for tr in xpath(table, "./w:tr | ./w:sdt/w:sdtContent/w:tr"):
        cells = []
        for tc in xpath(tr, "./w:tc | ./w:sdt/w:sdtContent/w:tc"):
            merged = xpath(tc, "./w:tcPr/w:vMerge[not(@w:val) or @w:val='continue']")
            cells.append("" if merged else _cell_text(tc))
        rows.append(cells)
    return rows


# Between a cell's paragraphs, as between a turn's: a line break inside one (Shift+Enter) stays a "\n",
# as it does in a labelled paragraph, so a turn read from a table and one from paragraphs hold the same text.
CELL_PARAGRAPHS = TURN_SEPARATOR
_CELL_PARAGRAPH = re.compile(r"\n[ \t]*\n")


def cell_paragraphs(cell: str) -> list[str]:
    """A cell's paragraphs (each with its line breaks), empty ones left out."""
    return [p.strip() for p in _CELL_PARAGRAPH.split(no_break(cell)) if p.strip()]


def _cell_text(tc) -> str:
    """A cell's paragraphs, separated as a turn's are (CELL_PARAGRAPHS), and a table nested in it a
    paragraph a row (`cell | cell`): python-docx's cell text leaves a nested table out."""
    from docx.oxml.ns import qn

    lines = []
    for item in xpath(tc, "./w:p | ./w:tbl | ./w:sdt/w:sdtContent/*[self::w:p or self::w:tbl]"):
        if item.tag == qn("w:tbl"):
            lines += [" | ".join(" ".join(c.split()) for c in row if c) for row in _table_rows(item)]
        else:
            lines.append(_runs_text(item))
    return CELL_PARAGRAPHS.join(line for line in lines if line.strip()).strip()


# A row number ("12", "12.") or a time ("00:01:02") is no speaker: a speaker label has a letter.
_LETTER = re.compile(r"[^\W\d_]")
MAX_LABEL_WORDS = 4


@dataclass(frozen=True)
class _Layout:
    """How a table's rows read as turns: its 0-based speaker, text and time columns."""

    speaker: int
    text: int
    time: int | None
    header: bool  # the first row names the Speaker and Text columns
    width: int
    recurs: bool = True  # its speaker labels recur (or its header names them)
    rivals: tuple[int, ...] = ()  # other columns of speaker labels that recur


def _label(cell: str) -> str:
    return no_break(cell).rstrip().rstrip(":").strip()


def _columns(rows: list[list[str]]) -> _Layout | None:
    """The layout of a table's rows (captions over it taken off), or None if it is not a transcript: its
    header names a speaker and a text column, or else the cells tell. The text is the column of the longest
    cells (speech: one cell at least of more than MAX_LABEL_WORDS words); the speakers a column of short
    labels with a letter, so a row-number or time column is none; of those, the one whose labels recur
    (a speaker speaks again), the fewest different labels and then the leftmost when several do."""
    width = max(len(r) for r in rows)
    if width < 2:
        return None
    header = [lexicon.fold(c).rstrip(":") for c in rows[0]]
    find = lambda names: next((i for i, c in enumerate(header) if c in names), None)
    speaker, text, time = find(SPEAKER_HEADERS), find(TEXT_HEADERS), find(TIME_HEADERS)
    if speaker is not None and text is not None:
        return _Layout(speaker, text, time, True, width)
    full = [r for r in rows if len(r) > 1]  # not a row merged across the table
    cols = [[_label(r[i]) for r in full if i < len(r) and _label(r[i])] for i in range(width)]
    time = next((i for i, col in enumerate(cols) if col and all(_TIME_CELL.fullmatch(c) for c in col)), None)
    avg = [sum(map(len, col)) / len(col) if col else 0 for col in cols]
    text = max((i for i in range(width) if i != time), key=lambda i: avg[i])
    if not any(count_words(c) > MAX_LABEL_WORDS for c in cols[text]):  # a Chinese answer has no spaces
        return None
    labels = [
        i
        for i, col in enumerate(cols)
        if i not in (text, time)
        and col
        # Spaced words, not count_words: a label is a name or a role, one word however many characters
        # it has in Chinese (`访谈员（王明）`).
        and sum(len(c.split()) <= MAX_LABEL_WORDS and bool(_LETTER.search(c)) for c in col) >= 0.8 * len(col)
    ]
    if not labels:
        return None
    distinct = {i: len({normalise_id(c) for c in cols[i]}) for i in labels}
    recurring = [i for i in labels if distinct[i] < len(cols[i])]
    if not recurring:
        return _Layout(min(labels, key=lambda i: avg[i]), text, time, False, width, recurs=False)
    speaker = min(recurring, key=lambda i: distinct[i])
    return _Layout(speaker, text, time, False, width, rivals=tuple(i for i in recurring if i != speaker))


def _captions(rows: list[list[str]]) -> int:
    """How many rows at the top are merged across the table: a caption ("Interview P12 – 12 March 2024")."""
    width = max((len(r) for r in rows), default=0)
    return next((k for k, r in enumerate(rows) if len(r) > 1 or width < 2), len(rows))


def _speaker_cells(rows: list[list[str]], layout: _Layout) -> list[str]:
    """The speaker labels a table's rows give, normalised (normalise_id)."""
    body = rows[1:] if layout.header else rows
    return [normalise_id(label) for r in body if len(r) > 1 and (label := _label(_cell(r, layout.speaker)))]


def _table_cover(rows: list[list[str]], is_speaker) -> Cover | None:
    """A cover sheet set as a table: Key | value rows (`Interview ID | P07`, `Interviewer | D. Whitfield`,
    two pairs a row too), under a caption or not, read by the cover sheet rules (boilerplate.find_cover)
    as the same cover in `Key: value` paragraphs is: its title, date and the roles it gives. None if not."""
    if any(len(r) > 1 and len(r) % 2 for r in rows):
        return None
    lines = []
    for row in rows:
        if len(row) == 1:  # a caption over it: a title or a date
            lines.append(" ".join(row[0].split()))
        for key, value in zip(row[::2], row[1::2]):
            key, value = _label(key), " ".join(value.split())
            lines.append(f"{key}: {value}" if key else value)
    # A cover sits over a transcript, and find_cover looks for one: the turns after the table stand here.
    cover = find_cover([*lines, "", "..."], is_speaker)
    if cover is None or not {i for i, line in enumerate(lines) if line} <= {*cover.lines, *cover.head}:
        return None
    return cover


def _continues(rows: list[list[str]], layout: _Layout, speakers: set[str]) -> bool:
    """The table goes on from a transcript table (Word splits one where a paragraph is put in): as many
    columns, and half its speaker cells at least name speakers of the transcript so far; or no speaker
    cell holds a name and its text cells hold text (the rest of a row a page break split: a PDF printed
    from a table gives each page's part of it as a table of its own)."""
    if max(len(r) for r in rows) != layout.width:
        return False
    cells = _speaker_cells(rows, replace(layout, header=False))
    if not cells:
        return any(_cell(r, layout.text).strip() for r in rows if len(r) > 1)
    return _mostly(cells, speakers)


@dataclass
class _TableRead:
    """How one table of a document is read."""

    layout: _Layout | None = None  # how its rows read as turns; None: left out
    captions: int = 0  # rows merged across the top: a caption, read as a paragraph over the table
    cover: bool = False  # left out as a cover sheet
    continues: bool = False  # goes on from the transcript table before it
    candidate: _Layout | None = None  # no speaker label recurs: read only if nothing else holds turns


def _read_tables(
    tables: list[list[list[str]]], known: frozenset[str], paragraph_speakers: Callable[[], set[str]]
) -> list[_TableRead]:
    """How each table is read. As turns: a table whose header names its Speaker and Text columns; one
    that goes on from the transcript table before it; one whose cells show speakers beside their text,
    when its speakers are those of the other turns (`paragraph_speakers()`, normalised, and the headed
    tables'), or there are none (else a table of `Yes | because...` rows beside a transcript would be turns
    of Yes and No). Left out: a cover sheet, and any other table. `known`: labels of the file (its id)."""
    reads = [_TableRead(captions=_captions(rows)) for rows in tables]
    layouts = [_columns(rows[r.captions :]) if rows[r.captions :] else None for rows, r in zip(tables, reads)]
    labels = set(known)
    headed: set[str] = set()
    for rows, read, layout in zip(tables, reads, layouts):
        if layout is not None and layout.recurs:
            labels.update(_speaker_cells(rows[read.captions :], layout))
        if layout is not None and layout.header:
            headed.update(_speaker_cells(rows[read.captions :], layout))
    is_speaker = lambda name: normalise_id(name) in labels
    before: _Layout | None = None  # the last transcript table's layout
    heading: list[str] | None = None  # and its header row
    speakers: set[str] = set()
    for rows, read, layout in zip(tables, reads, layouts):
        body = rows[read.captions :]
        if layout is not None and layout.header:
            read.layout = layout
            # The header row again over the next page's part of the table (a PDF printed from one, its
            # header repeated): the table goes on, and a first row with no speaker is the turn before's.
            read.continues = heading is not None and _header_key(body[0]) == heading
            heading = _header_key(body[0])
        elif _table_cover(rows, is_speaker) is not None:
            read.cover = True
        elif before is not None and body and _continues(body, before, speakers):
            read.layout, read.continues = replace(before, header=False), True
        elif layout is not None and layout.recurs:
            others = headed | paragraph_speakers()
            if not others or _mostly(_speaker_cells(body, layout), others):
                read.layout = layout
        else:
            read.candidate = layout
        if read.layout is not None:
            before = read.layout
            speakers.update(_speaker_cells(body, read.layout))
    return reads


def _header_key(row: list[str]) -> list[str]:
    return [" ".join(lexicon.fold(cell).split()) for cell in row]


def _mostly(cells: list[str], speakers: set[str]) -> bool:
    """Half the speaker cells at least name these speakers."""
    return bool(cells) and 2 * sum(c in speakers for c in cells) >= len(cells)


def _fall_back(reads: list[_TableRead]) -> bool:
    """When no table is a transcript, read those whose speaker labels do not recur (each speaks once) as
    turns after all; False if there are none."""
    if any(r.layout for r in reads) or not any(r.candidate for r in reads):
        return False
    for read in reads:
        read.layout = read.candidate
    return True


def _cell(row: list[str], i: int | None) -> str:
    return row[i] if i is not None and i < len(row) else ""


def _table_turns(rows: list[list[str]], layout: _Layout, before: Turn | None = None) -> list[Turn]:
    """The turns of a transcript table's rows (its captions taken off). A row with an empty speaker cell
    goes on with the turn before it (`before`, the last turn of the table this one goes on from, for its
    first row); a row merged across the table ("[Recording paused]") is no one's turn."""
    turns: list[Turn] = []
    for row in rows[1:] if layout.header else rows:
        if len(row) == 1:
            if row[0].strip():
                turns.append(Turn(None, cell_paragraphs(row[0])))
            continue
        speaker = _label(_cell(row, layout.speaker)) or None
        paragraphs = cell_paragraphs(_cell(row, layout.text))
        m = _TIME_CELL.fullmatch(_cell(row, layout.time))
        start, end = (parse_time(m[1]), parse_time(m[2]) if m[2] else None) if m else (None, None)
        last = turns[-1] if turns else before
        if last is not None and (speaker is None or speaker == last.speaker):
            last.paragraphs.extend(paragraphs)
            last.end_time = end if end is not None else last.end_time
        else:
            turns.append(Turn(speaker, paragraphs, start, end))
    return turns


def table_turns(tables: list[list[list[str]]]) -> list[Turn]:
    """Turns from tables given as their rows of cell texts (the PDF reader's tables): the tables read as a
    transcript (see _read_tables; when none is, those whose speakers each speak once), in order."""
    reads = _read_tables(tables, frozenset(), set)
    _fall_back(reads)
    turns: list[Turn] = []
    for rows, read in zip(tables, reads):
        if read.layout is not None:
            turns += _table_turns(
                rows[read.captions :], read.layout, turns[-1] if read.continues and turns else None
            )
    return merge_same_speaker(turns)


def located_scan_text(
    turns: list[Turn],
    places: list[tuple[str, str]],
    metadata: dict[str, str] | None = None,
    left_out: list[tuple[str, str]] = (),
) -> tuple[str, list[str | None], list[list[str | None]]]:
    """The text the PII gate scans, where each of its lines is, and where each paragraph of each turn is
    (a list a turn), for turns read from places ((location, text) in document order: "paragraph 12",
    "table 1, row 5", a PDF's "page:line").

    Speaker labels are scanned too: a real name used as a label is an identifier; so is the metadata
    kept from a service header (a title can name someone). Each piece remembers its place, so a finding
    is reported where a person finds it. `left_out` ((location, text)) is what the turns leave out but the
    file holds (a cover sheet's lines, a table that is no turns): stored nowhere, it is scanned all the
    same, as a text file's whole text is."""
    finder = _Finder(places)
    kept = [value for value in (metadata or {}).values() if not any(value in text for _, text in left_out)]
    pieces = [(value, finder.find(value, move=False)) for value in kept]  # once: not again with the cover
    starts: list[list[str | None]] = []
    for t in turns:
        starts.append([])
        for i, p in enumerate(t.paragraphs):
            pieces.append((f"{t.speaker}: {p}" if t.speaker and i == 0 else p, finder.find(p)))
            starts[-1].append(pieces[-1][1])
    pieces += [(text, where) for where, text in left_out if text.strip()]
    # One location per line of the text (the blank lines between pieces have none).
    locations: list[str | None] = []
    for n, (text, where) in enumerate(pieces):
        if n:
            locations.append(None)  # "a\n\nb": the blank line between two pieces
        locations.extend([where] * len(text.split("\n")))
    return TURN_SEPARATOR.join(text for text, _ in pieces), locations, starts


OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # a Compound File: Word 97-2003, or an encrypted .docx


def password_error(name: str, how: str) -> TranscriptError:
    """A file whose text is encrypted: one line naming it, and how to save a copy without the password."""
    return TranscriptError(
        f'"{name}" is protected with a password, so its text cannot be read. Open it with the password, save a '
        f"copy without one ({how}), and ingest that."
    )


def check_office_file(name: str, data: bytes) -> None:
    """Raise TranscriptError for what a damaged-file message would misname: a .docx (or .odt) protected
    with a password, which Word saves as a Compound File holding an EncryptedPackage stream, and a Word
    97-2003 .doc named .docx."""
    if not data.startswith(OLE_SIGNATURE):
        return
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise password_error(name, "in Word: File > Info > Protect Document > Encrypt with Password, cleared")
    raise TranscriptError(
        f'"{name}" is a Word 97-2003 document (.doc), not a .docx. Open it in Word or LibreOffice, save it as .docx, '
        "and ingest that."
    )


_ALT_CHUNK = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}altChunk"


def open_docx(path: Path, data: bytes):
    """A python-docx Document, after the zip-bomb and entity checks, or raise TranscriptError."""
    import docx  # heavy: only when a .docx is ingested
    from lxml import etree

    from ..safeio import DAMAGED_ZIP, check_zip

    name = str(path)
    check_not_empty(data, name)
    check_office_file(name, data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, what=name, error=TranscriptError)  # zip-bomb limits, before anything inflates
        document = docx.Document(io.BytesIO(data))
        # Entity references (declared in a DTD Word never writes) would silently cut the text after them;
        # an altChunk is text kept in another part (HTML, often, from tools that build .docx from web
        # pages) that Word shows in its place and python-docx does not read: it would be left out.
        entities = chunks = 0
        for node in document.element.iter(etree.Entity, _ALT_CHUNK):
            if node.tag is etree.Entity:
                entities += 1
            else:
                chunks += 1
    except TranscriptError:
        raise
    except DAMAGED_ZIP as ex:  # a download cut short or a flipped bit: zlib's error, a bad CRC...
        raise _damaged_member(name, data, ex) from None
    except Exception as ex:  # noqa: BLE001 - python-docx raises zip, XML, KeyError... for damaged files
        raise _damaged(name, ex) from None
    if chunks:
        raise TranscriptError(
            f'"{name}" holds {plural(chunks, "part")} of text imported from another file ("altChunk"), which Word shows '
            "in place but wei-qual cannot read: that text would be left out. Open and re-save it in Word (which "
            "writes the text in), or export it as .txt."
        )
    if entities:
        raise TranscriptError(
            f'"{name}" contains {plural(entities, "XML entity reference")} ("&name;"), which Word never writes; the text '
            "after each would be lost. Open and re-save it in Word, or export it as .txt."
        )
    try:
        mark_style_hidden(document)
    except Exception as ex:  # noqa: BLE001 - damaged styles: python-docx raises many types
        raise _damaged(name, ex) from None
    return document


def damaged_part(name: str, part: str, why: str, program: str) -> TranscriptError:
    """A zip-based document (.docx, .odt) one of whose parts does not unpack: one line naming the file,
    the part and what to do (zlib's exception, "error", named nothing)."""
    return TranscriptError(
        f'"{name}" is damaged: its part "{part}" cannot be read ({why}); a download cut short or a bad copy '
        f"does this. Download or copy it again, or open it in {program}, which may repair it, and save it again."
    )


def _damaged_member(name: str, data: bytes, ex: Exception) -> TranscriptError:
    """The damaged-part error for a .docx python-docx could not unpack: python-docx does not say which part
    failed, so each is read again here, on this failure path only, to name it."""
    from ..safeio import DAMAGED_ZIP, zip_damage

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (OSError, ValueError, *DAMAGED_ZIP):  # no zip at all, not one damaged part
        return _damaged(name, ex)
    with archive:
        for member in archive.infolist():
            try:
                archive.read(member)
            except DAMAGED_ZIP as bad:
                return damaged_part(name, member.filename, zip_damage(bad), "Word")
    return _damaged(name, ex)


def _damaged(name: str, ex: Exception) -> TranscriptError:
    return TranscriptError(
        f'"{name}" is not a valid .docx file ({type(ex).__name__}); it may be damaged or another format '
        f"renamed. Open and re-save it in Word, or export it as .txt."
    )


# A paragraph (bold_lead's text, bold name, rest, all bold) or a table (its rows of cell texts).
Block = tuple[str, str | None, str, bool] | list[list[str]]
# A label no transcript uses, put among the paragraphs where a transcript table sits: the paragraphs are
# read as one text (their labels, a cover or a title over the table), no turn runs on across the table,
# and the table's turns go where its label's turn is.
_TABLE_MARK = "Weiqualtable"


def read_docx(path: Path, data: bytes, *, encoding: str | None = None) -> Source:
    """Read a .docx transcript, or raise TranscriptError (empty, corrupt, or no text)."""
    from docx.text.paragraph import Paragraph

    name = str(path)
    document = open_docx(path, data)
    try:
        joined = accept_joined_paragraphs(document)
        # Each paragraph's and table's text is read once: python-docx works it out from the XML per call.
        blocks: list[Block] = [
            _bold_name(item) if isinstance(item, Paragraph) else _table_rows(item._tbl)
            for item in body_items(document)
        ]
        changes = tracked_changes(document) + joined
        hidden = hidden_paragraphs(document)
        pages = _laid_out_pages(document)
    except Exception as ex:  # noqa: BLE001 - python-docx raises zip, XML, KeyError... for damaged files
        raise _damaged(name, ex) from None
    return document_source(path, "docx", blocks, tracked_changes=changes, hidden_text=hidden, pages=pages)


def _laid_out_pages(document) -> dict[str, tuple[int, int]] | None:
    """{"paragraph N" or "table T, row R": (the page it starts on, the page its last text is on)} of a
    .docx Word laid out (its rendered page breaks: document._docx_pages), numbered as document_source
    numbers them; None for a file Word never laid out, whose pages are not known (its page breaks alone
    would put pages of text on one page)."""
    from docx.oxml.ns import qn
    from docx.table import Table

    from .document import _docx_pages

    if not any(True for _ in document.element.body.iter(qn("w:lastRenderedPageBreak"))):
        return None
    # Every paragraph and row of the body counts for the pages (a table of contents' too), as in a document.
    elements = [
        e
        for item in body_items(document, contents=True)
        for e in (
            xpath(item._tbl, "./w:tr | ./w:sdt/w:sdtContent/w:tr") if isinstance(item, Table) else [item._p]
        )
    ]
    on_pages = {e: (start, end) for e, (start, end, _) in zip(elements, _docx_pages(elements))}
    places: dict[str, tuple[int, int]] = {}
    paragraph, table = 0, 0
    for item in body_items(document):
        if isinstance(item, Table):
            table += 1
            for r, tr in enumerate(xpath(item._tbl, "./w:tr | ./w:sdt/w:sdtContent/w:tr"), start=1):
                places[f"table {table}, row {r}"] = on_pages[tr]
        else:
            paragraph += 1
            places[f"paragraph {paragraph}"] = on_pages[item._p]
    return places


def _place(where: int | str | None) -> str:
    return f"paragraph {where}" if isinstance(where, int) else where or ""


def _read_body(
    body: list[str | list[list[str]]],
    tables: list[list[list[str]]],
    reads: list[_TableRead],
    known: frozenset[str],
) -> tuple[Lines, list[str], list[int | str | None], list[Turn]]:
    """The paragraphs read as a transcript's lines with a label where each transcript table sits (its
    caption over it), and the turns in body order: (what parse_lines found, the lines, where each line is:
    its paragraph's number, a caption's "table R, row N", None for a table's label; the turns)."""
    lines: list[str] = []
    where: list[int | str | None] = []
    marks: dict[str, int] = {}  # a table's label -> its index in `tables`
    labels = set(known)
    paragraph, t = 0, -1
    for block in body:
        if isinstance(block, str):
            paragraph += 1
            parts = block.split("\n")  # soft line breaks inside a paragraph
            lines += [*parts, ""]
            where += [paragraph] * (len(parts) + 1)
            continue
        t += 1
        read = reads[t]
        if read.layout is None:
            continue
        for r, row in enumerate(block[: read.captions], start=1):
            parts = row[0].split("\n") if row else []
            lines += [*parts, ""]
            where += [f"table {t + 1}, row {r}"] * (len(parts) + 1)
        mark = f"{_TABLE_MARK}{t + 1}"
        marks[mark] = t
        # The table's speakers label paragraphs too, even one that speaks once there.
        labels.update([normalise_id(mark), *_speaker_cells(block[read.captions :], read.layout)])
        lines += [f"{mark}: {t + 1}", ""]
        where += [None, None]
    parsed = parse_lines(lines, id_labels=frozenset(labels))
    turns: list[Turn] = []
    last: Turn | None = None  # the last turn of the last table, while no other turn follows it
    for turn in parsed.turns:
        t = marks.get(turn.speaker or "")
        if t is None:
            turns.append(turn)
            continue
        read = reads[t]
        before = turns[-1] if read.continues and turns and turns[-1] is last else None
        turns += _table_turns(tables[t][read.captions :], read.layout, before)
        last = turns[-1] if turns else None
        if turn.paragraphs[1:]:  # paragraphs after the table before any label: no one's turn
            turns.append(Turn(None, turn.paragraphs[1:]))
    return parsed, lines, where, merge_same_speaker(turns)


def _cover_tables_read(
    tables: list[list[list[str]]],
    reads: list[_TableRead],
    turns: list[Turn],
    known: frozenset[str],
    parsed: Lines,
) -> dict[str, str]:
    """The cover tables' title and date, put in `parsed.metadata`, and the roles the paragraphs' covers and
    the cover tables give, as a cover in paragraphs gives them. What a paragraph cover gives comes first;
    a speaker two covers name in both roles is added to `parsed.cover_conflicts` (either role would be
    wrong for one session's turns)."""
    speakers = known | {normalise_id(t.speaker) for t in turns if t.speaker}
    roles = dict(parsed.cover_roles)
    seen = {normalise_id(name): role for name, role in roles.items()}
    clashing = {normalise_id(name) for name in parsed.cover_conflicts}
    for rows, read in zip(tables, reads):
        # Read again now the turns are known: the roles go to the speakers who label them (`ML`).
        cover = _table_cover(rows, lambda name: normalise_id(name) in speakers) if read.cover else None
        if cover is None:
            continue
        for key, value in (("title", cover.title), ("date", cover.date)):
            if value:
                parsed.metadata.setdefault(key, value)
        for name, role in cover.roles.items():
            key = normalise_id(name)
            if key in clashing:
                continue
            if seen.setdefault(key, role) != role:
                clashing.add(key)
                parsed.cover_conflicts.append(name)
            else:
                roles.setdefault(name, role)
    return {name: role for name, role in roles.items() if normalise_id(name) not in clashing}


def document_source(
    path: Path,
    fmt: str,
    blocks: list[Block],
    *,
    tracked_changes: int = 0,
    hidden_text: int = 0,
    pages: dict[str, tuple[int, int]] | None = None,
) -> Source:
    """The Source of a word-processor transcript (.docx, .odt, .rtf) from its paragraphs and tables in body
    order: the turns of its paragraphs and of the tables read as a transcript (_read_tables), as they come;
    the other tables left out, and said to be. Places are `paragraph N` and `table R, row N`. Raises
    TranscriptError when it has no text."""
    texts = iter(marked_bold_names([b for b in blocks if isinstance(b, tuple)]))
    body: list[str | list[list[str]]] = [next(texts) if isinstance(b, tuple) else b for b in blocks]
    tables = [b for b in body if isinstance(b, list)]
    known = id_labels(path)

    @cache
    def paragraph_speakers() -> set[str]:  # the paragraphs' labels, read with no table among them
        no_tables = [_TableRead() for _ in tables]
        return {normalise_id(t.speaker) for t in _read_body(body, tables, no_tables, known)[3] if t.speaker}

    reads = _read_tables(tables, known, paragraph_speakers)
    parsed, lines, where, turns = _read_body(body, tables, reads, known)
    if not parsed.labelled and _fall_back(reads):  # no labelled turns, but a table of speakers who speak once
        parsed, lines, where, turns = _read_body(body, tables, reads, known)
    layout = None
    if not tables and (not parsed.labelled or only_questions_labelled(turns)):
        # No answer labelled: questions set in bold, or labelled `Q:` alone (plain.question_turns).
        bold = [b[3] for b in blocks if isinstance(b, tuple)]
        found = _question_paragraphs(body, bold)
        if found is not None:
            body, *layout = found
            parsed, lines, where, turns = _read_body(body, tables, reads, known)
    if not turn_words(turns):
        raise TranscriptError(
            f'"{path}" contains no text. Export the transcript again, or leave the file out.'
        )
    places: list[tuple[str, str]] = []  # where the turns' text is, in body order
    unused: list[tuple[str, str]] = []  # the rows of the tables left out: no turns, but scanned all the same
    paragraph, table = 0, iter(range(1, len(tables) + 1))
    for block in body:
        if isinstance(block, str):
            paragraph += 1
            places.append((f"paragraph {paragraph}", " ".join(block.split())))
            continue
        t = next(table)
        rows = [
            (f"table {t}, row {r}", " ".join(" ".join(cells).split()))
            for r, cells in enumerate(block, start=1)
        ]
        (places if reads[t - 1].layout is not None else unused).extend(rows)
    cover_roles = _cover_tables_read(tables, reads, turns, known, parsed)
    cover = [(_place(where[i]), lines[i]) for i in (*parsed.cover, *itertools.chain(*parsed.later_covers))]
    scan_text, scan_locations, found = located_scan_text(turns, places, parsed.metadata, cover + unused)
    if pages:  # (first, last) page of each place: each turn is on the pages of its paragraphs and rows
        for turn, wheres in zip(turns, found):
            place_pages(turn, [pages.get(where or "", (None, None)) for where in wheres])
    paragraphs_of = lambda indexes: sorted({where[i] for i in indexes if isinstance(where[i], int)})
    left = [(t, read) for t, read in enumerate(reads, start=1) if read.layout is None]
    return Source(
        fmt,
        turns,
        scan_text=scan_text,
        attributes=dict(parsed.metadata),
        labelled=parsed.labelled,
        missed_labels=paragraphs_of(parsed.missed_labels),
        metadata=parsed.metadata,
        scan_locations=scan_locations,
        location_unit="paragraph",
        tracked_changes=tracked_changes,
        hidden_text=hidden_text,
        left_out=[f"table {t}" for t, read in left if not read.cover],
        cover_tables=[f"table {t}" for t, read in left if read.cover],
        guessed_columns=[
            ColumnGuess(
                f"table {t}", r.layout.speaker + 1, r.layout.text + 1, tuple(c + 1 for c in r.layout.rivals)
            )
            for t, r in enumerate(reads, start=1)
            if r.layout is not None
            and not (r.layout.header or r.continues)
            and (r.layout.rivals or not r.layout.recurs)
        ],
        cover=paragraphs_of(parsed.cover),
        cover_roles=cover_roles,
        later_covers=[(where[ls[0]], where[ls[-1]]) for ls in parsed.later_covers],
        unmarked_covers=[(where[ls[0]], where[ls[-1]]) for ls in parsed.unmarked_covers],
        cover_conflicts=parsed.cover_conflicts,
        wrapped=paragraphs_of(parsed.wrapped),
        quoted=paragraphs_of(parsed.quoted),
        heard_once=paragraphs_of(parsed.heard_once),
        title_lines=paragraphs_of(parsed.title_lines),
        ai_summary=paragraphs_of(parsed.ai_summary),
        interrupting=paragraphs_of(parsed.interrupting),
        quoting=parsed.quoting,
        question_layout=tuple(layout) if layout else None,
    )


def _question_paragraphs(body: list[str], bold: list[bool]) -> tuple[list[str], str, int] | None:
    """The paragraphs with `Q: ` before each question and `A: ` before the first answer paragraph, as
    plain._question_layout gives a text file's lines, where the questions are all in bold or labelled `Q:`
    alone (plain.question_turns); with the mark and how many questions. None otherwise."""
    kept = [k for k, text in enumerate(body) if text.strip()]  # an empty paragraph is a gap, no one's
    kinds: list[tuple[str, str | None]] = []
    for k in kept:
        text = body[k].strip()
        mark = BOLD if bold[k] else Q_ONLY if Q_LABEL.match(text) else None
        kinds.append((Q_LABEL.sub("", text, count=1) if mark else text, mark))
    found = question_turns(kinds)
    if found is None:
        return None
    mark, questions, answers = found
    out = list(body)
    for q in questions:
        text = out[kept[q]].strip()
        out[kept[q]] = text if Q_LABEL.match(text) else "Q: " + text
    for a in answers:
        out[kept[a]] = "A: " + out[kept[a]].lstrip()
    return out, mark, len(questions)
