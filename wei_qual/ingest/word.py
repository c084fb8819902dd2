"""Word .docx transcripts via python-docx: labelled paragraphs, or a table with speaker and text columns.

When a document has both, the one holding more words is the transcript (a small header table or a
title paragraph is not).
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections import Counter
from pathlib import Path

from ..errors import TranscriptError
from .decode import check_not_empty
from .labels import (
    NO_BREAK,
    SPEAKER_HEADERS,
    TEXT_HEADERS,
    TIME_HEADERS,
    TS,
    is_known,
    name_alone,
    parse_time,
)
from .plain import id_labels, parse_lines
from .turns import TURN_SEPARATOR, Source, Turn

# `00:01:02`, `[00:01:02]`, or a span `0:00:09.2 - 0:00:31.5` (NVivo Transcription; also `-->`): its start
# and its end.
_TIME_CELL = re.compile(rf"[\[(]?({TS})[\])]?(?:\s*(?:-->|→|[-–])\s*[\[(]?({TS})[\])]?)?")


def turn_words(turns: list[Turn]) -> int:
    return sum(len(p.split()) for t in turns for p in t.paragraphs)


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
        order = list(range(self.next, len(self.places))) + list(range(self.next))
        for i in order:
            if needle in self.places[i][1]:
                if move:
                    self.next = i
                return self.places[i][0]
        return None


# A paragraph's runs as Word shows them with every tracked change accepted: also those inside insertions,
# moves, content controls, fields and links, but not deleted or moved-away runs, ruby annotations, or the
# text boxes anchored in it.
_RUNS = ".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:txbxContent or ancestor::w:rt)]"
# Tracked insertions, deletions and moves of text (not of formatting).
_TRACKED = ".//w:ins[.//w:r] | .//w:del[.//w:r] | .//w:moveFrom[.//w:r] | .//w:moveTo[.//w:r]"


def paragraph_text(paragraph) -> str:
    """A paragraph's text with every tracked change accepted. python-docx's `text` reads only the runs
    directly in the paragraph and its links, so inserted text would be lost without a word."""
    return "".join(r.text for r in paragraph._p.xpath(_RUNS))


def _bold_name(paragraph) -> tuple[str, str | None, str]:
    """(paragraph_text, the name set in bold at its start with plain text after it or None, that text):
    some transcripts set the speaker in bold with no colon after it."""
    from docx.text.run import Run

    runs = paragraph._p.xpath(_RUNS)
    lead = next((k for k, r in enumerate(runs) if not Run(r, paragraph).bold), len(runs))
    texts = [r.text for r in runs]
    return bold_lead("".join(texts), "".join(texts[:lead]))


def bold_lead(text: str, bold: str) -> tuple[str, str | None, str]:
    """(text, the name its bold start holds or None, the text after it), for marked_bold_names."""
    name, start = bold.strip(), text.lstrip()
    rest = start[len(name) :].strip()
    if name and rest and start.startswith(name) and not rest.startswith(":") and name_alone(name):
        return text, name, rest
    return text, None, ""


def marked_bold_names(found: list[tuple[str, str | None, str]]) -> list[str]:
    """Each paragraph's text from (its text, the name set in bold at its start or None, the text after
    it): a bold name over its turn that recurs (or is a known form) is marked as Markdown bold,
    `**Sgt Rivera** We waited.`, which the transcript reader takes for a label."""
    counts = Counter(name for _, name, _ in found if name)
    return [
        f"**{name}** {rest}" if name and (counts[name] >= 2 or is_known(name)) else text
        for text, name, rest in found
    ]


def body_items(document) -> list:
    """The body's paragraphs and tables in order, also those inside block-level content controls
    (python-docx's iter_inner_content gives only the ones directly in the body)."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = document._body
    found = document.element.body.xpath("./w:p | ./w:tbl | ./w:sdt/w:sdtContent/*[self::w:p or self::w:tbl]")
    return [Paragraph(el, body) if el.tag == qn("w:p") else Table(el, body) for el in found]


def tracked_changes(document) -> int:
    """How many tracked insertions, deletions and moves of text the document holds."""
    return len(document.element.body.xpath(_TRACKED))


def _table_rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        seen, cells = set(), []
        for cell in row.cells:  # merged cells come back repeated: keep each once
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append("\n".join(paragraph_text(p) for p in cell.paragraphs).strip())
        rows.append(cells)
    return rows


def _columns(rows: list[list[str]]) -> tuple[int, int, int | None, bool] | None:
    """(speaker column, text column, time column or None, has header row), or None if not a transcript."""
    width = max(len(r) for r in rows)
    if width < 2:
        return None
    header = [c.casefold().rstrip(":") for c in rows[0]]
    find = lambda names: next((i for i, c in enumerate(header) if c in names), None)
    speaker, text, time = find(SPEAKER_HEADERS), find(TEXT_HEADERS), find(TIME_HEADERS)
    if speaker is not None and text is not None:
        return speaker, text, time, True
    cols = [[r[i] for r in rows if i < len(r) and r[i]] for i in range(width)]
    avg = [sum(len(c) for c in col) / len(col) if col else 0 for col in cols]
    time = next((i for i, col in enumerate(cols) if col and all(_TIME_CELL.fullmatch(c) for c in col)), None)
    text = max(range(width), key=lambda i: avg[i])
    short = [
        i
        for i, col in enumerate(cols)
        if i not in (text, time) and col and sum(len(c.split()) <= 4 for c in col) >= 0.8 * len(col)
    ]
    if not short:
        return None
    return min(short, key=lambda i: avg[i]), text, time, False


def _cell(row: list[str], i: int | None) -> str:
    return row[i] if i is not None and i < len(row) else ""


def table_turns(tables: list[list[list[str]]], left_out: list[int] | None = None) -> list[Turn]:
    """Turns from tables given as their rows of cell texts (_table_rows; the PDF reader's tables too):
    a speaker column and a text column, found by their headers or else by their cells. Beside a table
    whose header names its Speaker and Text columns, a table without such a header is no transcript (a
    cover sheet: "Interview ID | P07", "Interviewer | ..."): it is left out, and its 1-based number added
    to `left_out`."""
    turns: list[Turn] = []
    layouts = [_columns(rows) if rows else None for rows in tables]
    headed = any(layout is not None and layout[3] for layout in layouts)
    for number, (rows, layout) in enumerate(zip(tables, layouts), start=1):
        if layout is None:
            continue
        if headed and not layout[3]:
            if left_out is not None:
                left_out.append(number)
            continue
        s_col, t_col, time_col, has_header = layout
        for row in rows[1:] if has_header else rows:
            speaker = _cell(row, s_col).translate(NO_BREAK).rstrip(":").strip() or None
            paragraphs = [p.strip() for p in _cell(row, t_col).translate(NO_BREAK).split("\n") if p.strip()]
            m = _TIME_CELL.fullmatch(_cell(row, time_col))
            start, end = (parse_time(m[1]), parse_time(m[2]) if m[2] else None) if m else (None, None)
            if turns and (speaker is None or speaker == turns[-1].speaker):  # continues the turn
                turns[-1].paragraphs.extend(paragraphs)
                turns[-1].end_time = end if end is not None else turns[-1].end_time
            else:
                turns.append(Turn(speaker, paragraphs, start, end))
    return turns


def located_scan_text(
    turns: list[Turn],
    places: list[tuple[str, str]],
    metadata: dict[str, str] | None = None,
    left_out: list[tuple[str, str]] = (),
) -> tuple[str, list[str | None], list[str | None]]:
    """The text the PII gate scans, where each of its lines is, and where each turn starts, for turns
    read from places ((location, text) in document order: "paragraph 12", "table 1, row 5", a PDF's
    "page:line").

    Speaker labels are scanned too: a real name used as a label is an identifier; so is the metadata
    kept from a service header (a title can name someone). Each piece remembers its place, so a finding
    is reported where a person finds it. `left_out` ((location, text)) is what the turns leave out but the
    file holds (a cover sheet's lines, a table that is no turns): stored nowhere, it is scanned all the
    same, as a text file's whole text is."""
    finder = _Finder(places)
    kept = [value for value in (metadata or {}).values() if not any(value in text for _, text in left_out)]
    pieces = [(value, finder.find(value, move=False)) for value in kept]  # once: not again with the cover
    starts: list[str | None] = []
    for t in turns:
        for i, p in enumerate(t.paragraphs):
            pieces.append((f"{t.speaker}: {p}" if t.speaker and i == 0 else p, finder.find(p)))
            if i == 0:
                starts.append(pieces[-1][1])
    pieces += [(text, where) for where, text in left_out if text.strip()]
    # One location per line of the text (the blank lines between pieces have none).
    locations: list[str | None] = []
    for n, (text, where) in enumerate(pieces):
        if n:
            locations.append(None)  # "a\n\nb": the blank line between two pieces
        locations.extend([where] * len(text.split("\n")))
    return TURN_SEPARATOR.join(text for text, _ in pieces), locations, starts


def open_docx(path: Path, data: bytes):
    """A python-docx Document, after the zip-bomb and entity checks, or raise TranscriptError."""
    import docx  # heavy: only when a .docx is ingested
    from lxml import etree

    from ..safeio import check_zip

    name = str(path)
    check_not_empty(data, name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, what=name, error=TranscriptError)  # zip-bomb limits, before anything inflates
        document = docx.Document(io.BytesIO(data))
        # Entity references (declared in a DTD Word never writes) would silently cut the text after them.
        entities = sum(1 for _ in document.element.iter(etree.Entity))
    except TranscriptError:
        raise
    except Exception as ex:  # noqa: BLE001 - python-docx raises zip, XML, KeyError... for damaged files
        raise _damaged(name, ex) from None
    if entities:
        raise TranscriptError(
            f'"{name}" contains {entities} XML entity reference(s) ("&name;"), which Word never writes; the text '
            "after each would be lost. Open and re-save it in Word, or export it as .txt."
        )
    return document


def _damaged(name: str, ex: Exception) -> TranscriptError:
    return TranscriptError(
        f'"{name}" is not a valid .docx file ({type(ex).__name__}); it may be damaged or another format '
        f"renamed. Open and re-save it in Word, or export it as .txt."
    )


def read_docx(path: Path, data: bytes, *, encoding: str | None = None) -> Source:
    """Read a .docx transcript, or raise TranscriptError (empty, corrupt, or no text)."""
    from docx.text.paragraph import Paragraph

    name = str(path)
    document = open_docx(path, data)
    try:
        # Each paragraph's and table's text is read once: python-docx works it out from the XML per call.
        items = body_items(document)
        paragraphs = marked_bold_names([_bold_name(item) for item in items if isinstance(item, Paragraph)])
        tables = [_table_rows(item) for item in items if not isinstance(item, Paragraph)]
        changes = tracked_changes(document)
    except Exception as ex:  # noqa: BLE001 - python-docx raises zip, XML, KeyError... for damaged files
        raise _damaged(name, ex) from None
    return document_source(path, "docx", paragraphs, tables, tracked_changes=changes)


def document_source(
    path: Path, fmt: str, paragraphs: list[str], tables: list[list[list[str]]], *, tracked_changes: int = 0
) -> Source:
    """The Source of a word-processor transcript (.docx, .odt, .rtf) from its paragraphs' texts and its tables'
    rows, in order: read from its labelled paragraphs, or from a speaker table when that holds more words.
    Places are `paragraph N` and `table R, row N`. Raises TranscriptError when it has no text."""
    lines: list[str] = []
    paragraph_of: list[int] = []  # line index -> 1-based paragraph number, for messages
    paragraph_places: list[tuple[str, str]] = []
    for number, text in enumerate(paragraphs, start=1):
        parts = text.split("\n")  # soft line breaks inside a paragraph
        lines.extend(parts)
        lines.append("")
        paragraph_of.extend([number] * (len(parts) + 1))
        paragraph_places.append((f"paragraph {number}", " ".join(text.split())))
    skipped: list[int] = []
    from_tables = table_turns(tables, skipped)
    table_places = [
        (f"table {t}, row {r}", " ".join(" ".join(cells).split()))
        for t, rows in enumerate(tables, start=1)
        if t not in skipped
        for r, cells in enumerate(rows, start=1)
    ]
    parsed = parse_lines(lines, id_labels=id_labels(path))
    use_table = turn_words(from_tables) > turn_words(parsed.turns)
    turns = from_tables if use_table else parsed.turns
    if not turn_words(turns):
        raise TranscriptError(
            f'"{path}" contains no text. Export the transcript again, or leave the file out.'
        )
    metadata = {} if use_table else parsed.metadata
    unused_tables = [
        (f"table {t}, row {r}", " ".join(" ".join(cells).split()))
        for t, rows in enumerate(tables, start=1)
        if not use_table or t in skipped
        for r, cells in enumerate(rows, start=1)
    ]
    cover = (
        []
        if use_table
        else [
            (f"paragraph {paragraph_of[i]}", lines[i])
            for i in (*parsed.cover, *itertools.chain(*parsed.later_covers))
        ]
    )
    scan_text, scan_locations, _ = located_scan_text(
        turns, table_places if use_table else paragraph_places, metadata, cover + unused_tables
    )
    missed = [] if use_table else sorted({paragraph_of[i] for i in parsed.missed_labels})
    return Source(
        fmt,
        turns,
        scan_text=scan_text,
        attributes=dict(metadata),
        labelled=use_table or parsed.labelled,
        missed_labels=missed,
        metadata=metadata,
        scan_locations=scan_locations,
        location_unit="paragraph",
        tracked_changes=tracked_changes,
        # Tables that are not the transcript: a cover sheet beside the speaker table, or any table beside
        # the labelled paragraphs the turns were read from.
        left_out=[f"table {t}" for t in (skipped if use_table else range(1, len(tables) + 1))],
        cover=[] if use_table else sorted({paragraph_of[i] for i in parsed.cover}),
        later_covers=[]
        if use_table
        else [(paragraph_of[lines[0]], paragraph_of[lines[-1]]) for lines in parsed.later_covers],
        cover_roles={} if use_table else parsed.cover_roles,
        cover_conflicts=[] if use_table else parsed.cover_conflicts,
    )
