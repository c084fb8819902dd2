"""Speaker turns, as every reader produces them, and the one builder that turns them into a Transcript.

The stored plain text is the turns' texts joined by blank lines (paragraphs within a turn are also
separated by a blank line), so each segment's offsets locate its text exactly.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import TranscriptError
from ..models import REVIEW, ROLES_REVIEW, Segment, Transcript
from .checks import ColumnGuess, parse_warnings, role_warnings, this_relabel

if TYPE_CHECKING:
    from .roles import RoleResult

TURN_SEPARATOR = "\n\n"
PARAGRAPH_PAUSE = 2.0  # seconds of silence between cues that end a paragraph of speakerless captions
PARAGRAPH_WORDS = 150  # words after which a paragraph of speakerless captions ends at the next cue
# How long a word is taken to last: a timed word's speech ends this long after its time, and a caption with
# no gap after it and no word times (YouTube's, as .srt or copied from its panel) this long a word after it
# starts.
WORD_SECONDS = 0.5


@dataclass
class Turn:
    speaker: str | None  # the label as written; None for text outside any labelled turn
    paragraphs: list[str] = field(default_factory=list)
    start_time: float | None = None
    end_time: float | None = None
    unnamed_cue: bool = False  # a caption cue (or timed block) with no name, after another speaker's
    line: int | None = None  # 0-based index of the source line the turn starts on (plain.parse_lines)
    page: int | None = None  # 1-based page the turn starts on (PDF)
    end_page: int | None = None  # the page its last words are on (PDF; None: the page it starts on)
    # (offset in `text`, page) where each later page starts inside the turn, when every one is known
    # (None: the words' pages are not known one by one, so an excerpt is cited with the turn's pages).
    breaks: tuple[tuple[int, int], ...] | None = None
    back_channels: tuple[str, ...] = ()  # labels whose "Yeah." this turn holds (roles.fold_back_channels)
    typos: tuple[str, ...] = ()  # role labels typed with a slip read as this turn's (roles.fold_label_typos)
    renamed: tuple[
        str, ...
    ] = ()  # display names with a note in parentheses read as this turn's (roles.fold_renamed)

    @property
    def text(self) -> str:
        # Joined once for the paragraphs it has now (reading a file asks each turn's text about seven
        # times); a reader that changes the paragraphs gets the new text.
        paragraphs = tuple(self.paragraphs)
        cached = self.__dict__.get("_text")
        if cached is None or cached[0] != paragraphs:
            cached = paragraphs, TURN_SEPARATOR.join(p for p in (p.strip() for p in paragraphs) if p)
            self.__dict__["_text"] = cached
        return cached[1]

    def page_spans(self) -> tuple[tuple[int, int, int, int], ...] | None:
        """(start, end, page, end page) of each stretch of the turn's text on one page (models.Segment's
        page_spans), when it runs over more than one page and where each later page starts is known."""
        if self.page is None or self.end_page is None or self.end_page <= self.page or not self.breaks:
            return None
        length = len(self.text)
        bounds = [0, *(at for at, _ in self.breaks), length]
        pages = [self.page, *(p for _, p in self.breaks)]
        return tuple((a, b, p, p) for a, b, p in zip(bounds, bounds[1:], pages) if a < b)


@dataclass
class Source:
    """What a reader gives back: turns, plus what the file itself says about the transcript."""

    format: str
    turns: list[Turn]
    scan_text: str  # the text the PII gate scans: decoded file text, or extracted text for .docx
    attributes: dict[str, str] = field(default_factory=dict)  # front matter and service metadata
    transcript_id: str | None = None  # set by front matter
    labelled: bool = False  # the file has speaker labels (so unlabelled text is suspicious)
    missed_labels: list[int | str] = field(
        default_factory=list
    )  # lines (paragraphs in .docx, page:line in a PDF) that look like labels
    metadata: dict[str, str] = field(default_factory=dict)  # what the service header said: title, date...
    # Where each line of scan_text is, for messages ("3:14", page:line in a PDF); None: its line number.
    scan_locations: list[str | None] | None = None
    location_unit: str = "line"  # what missed_labels count: line, paragraph (.docx, .rtf) or page:line (PDF)
    columns: dict[int, int] = field(default_factory=dict)  # PDF pages set in columns: page -> how many
    tracked_changes: int = 0  # tracked insertions, deletions and moves in a .docx, read as accepted
    hidden_text: int = 0  # paragraphs holding text formatted hidden (.docx, .odt, .rtf), left out
    left_out: list[str] = field(default_factory=list)  # tables read as no turns ("table 3")
    cover_tables: list[str] = field(default_factory=list)  # tables read as a cover sheet ("table 1")
    guessed_columns: list[ColumnGuess] = field(default_factory=list)  # headerless tables, speakers unclear
    cover: list[int | str] = field(default_factory=list)  # where a cover sheet's lines are (location_unit)
    # Later sessions' cover sheets: where each one's first and last line is (location_unit).
    later_covers: list[tuple[int | str, int | str]] = field(default_factory=list)
    # Blocks read as a later session's cover that mark no session, kept in the turn before: where they are.
    unmarked_covers: list[tuple[int | str, int | str]] = field(default_factory=list)
    cover_roles: dict[str, str] = field(default_factory=dict)  # speakers a cover sheet names: their role
    cover_conflicts: list[str] = field(default_factory=list)  # speakers named in both roles by two covers
    running_heads: list[int | str] = field(default_factory=list)  # page headers and footers left out (lines)
    # Labels on the first or last line of every page, placed as a page header is: kept as turns (lines).
    label_heads: list[int | str] = field(default_factory=list)
    # Lines that start like a label but were read as text (location_unit): a hard wrap's, and dialogue
    # a speaker quotes (`quoting`: whose turns hold it); see plain._as_text.
    wrapped: list[int | str] = field(default_factory=list)
    quoted: list[int | str] = field(default_factory=list)
    heard_once: list[int | str] = field(default_factory=list)  # lines opening with a name heard once: text
    quoting: list[str] = field(default_factory=list)
    title_lines: list[int | str] = field(default_factory=list)  # undated title lines read as the title
    ai_summary: list[int | str] = field(default_factory=list)  # an AI note-taker's summary: left out
    interrupting: list[int | str] = field(default_factory=list)  # labels heard once read as turns
    controls: list[int | str] = field(default_factory=list)  # lines terminal controls were taken out of
    control_kinds: frozenset[str] = frozenset()  # which (decode.strip_controls)
    # A file with no answer labels read as questions and answers by its layout (plain.QuestionLayout):
    # (how the questions are set apart, how many), or None.
    question_layout: tuple[str, int] | None = None

    def location(self, line: int, column: int) -> str:
        """Where a finding at 1-based `line` and `column` of scan_text is, as a person looks for it."""
        if self.scan_locations is not None and 0 < line <= len(self.scan_locations):
            return self.scan_locations[line - 1] or f"{line}:{column}"
        return f"{line}:{column}"


def join_turns(turn: Turn, more: Turn, *, prefix: str = "", **changes: Any) -> Turn:
    """`turn` going on with `more`'s text as a paragraph after it (`prefix` before it: a back-channel kept
    as `Unknown Speaker: Yeah.`), and with the pages of both: it ends on the later end page, and where each
    later page starts in it stays known when it is in both. The folds (roles.fold_*) join turns after the
    reader gave each its pages: joined without them, an answer that a "Yeah." split and that went on onto
    the next page was cited with the page of its first half alone."""
    text, tail = turn.text, more.text
    out = dataclasses.replace(turn, paragraphs=[*turn.paragraphs, prefix + tail], **changes)
    if turn.page is None:
        return out
    if more.page is None:  # where its words are is not known: cited with the pages known, coarsely
        return dataclasses.replace(out, breaks=None)
    end, more_end = turn.end_page or turn.page, more.end_page or more.page
    out.end_page = max(end, more_end)
    at = len(text) + len(TURN_SEPARATOR) if text else 0
    # A turn on one page has no breaks; one over a page break whose breaks are None: not known.
    mine = turn.breaks or () if turn.breaks is not None or end == turn.page else None
    theirs = more.breaks or () if more.breaks is not None or more_end == more.page else None
    if mine is None or theirs is None:
        out.breaks = None
        return out
    shift = at + len(prefix)
    breaks = [*mine, *([(at, more.page)] if more.page != end else []), *((shift + o, p) for o, p in theirs)]
    out.breaks = tuple(breaks) or None
    return out


def place_pages(turn: Turn, pages: list[tuple[int | None, int | None]]) -> None:
    """Give a turn its pages from those of its paragraphs ((first, last) page of each, None where not
    known): it starts on its first paragraph's, ends on the last page any is on, and where each later page
    starts is known when it starts with a paragraph (a paragraph over a page break leaves it unknown, and
    an excerpt is then cited with the turn's pages)."""
    texts = [p.strip() for p in turn.paragraphs]
    known = [(page, end) for page, end, text in ((*p, t) for p, t in zip(pages, texts)) if text]
    turn.page = known[0][0] if known else None
    if turn.page is None:
        return
    turn.end_page = max((end or page for page, end in known if page is not None), default=turn.page)
    offsets = itertools.accumulate((len(t) + len(TURN_SEPARATOR) for t in texts if t), initial=0)
    breaks, current, exact = [], turn.page, True
    for at, (page, end) in zip(offsets, known):
        if page is None:
            exact = False
            continue
        if page != current:
            breaks.append((at, page))
        exact = exact and (end is None or end == page)
        current = end or page
    turn.breaks = tuple(breaks) if breaks and exact else None


def join_segments(pieces: Iterable[tuple[str, dict[str, Any]]]) -> tuple[str, list[Segment]]:
    """The text of the pieces joined by TURN_SEPARATOR, and a segment per piece numbered from 1 with
    its exact offsets in that text and the piece's other fields. Empty pieces are left out."""
    parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    for text, fields in pieces:
        if not text:
            continue
        if parts:
            pos += len(TURN_SEPARATOR)
        parts.append(text)
        segments.append(
            Segment(n=len(segments) + 1, text=text, start_char=pos, end_char=pos + len(text), **fields)
        )
        pos += len(text)
    return TURN_SEPARATOR.join(parts), segments


def build_transcript(
    source: Source,
    *,
    transcript_id: str,
    path: str,
    sha256: str,
    roles: RoleResult,
    named: Sequence[str] = (),
) -> Transcript:
    """Number the turns into segments with exact offsets and roles, and check the result for signs of a
    misread file (see checks.py; `named`: the speakers the attributes CSV lists for it). Raises
    TranscriptError when no turn has text."""
    text, segments = join_segments(
        (
            turn.text,
            {
                "speaker": turn.speaker,
                "role": roles.role_of(turn.speaker),
                "start_time": turn.start_time,
                "end_time": turn.end_time,
                "page": turn.page,
                "end_page": (turn.end_page or turn.page) if turn.page is not None else None,
                "page_spans": turn.page_spans(),
            },
        )
        for turn in source.turns
    )
    if not segments:
        raise TranscriptError(
            f'"{path}" has speaker labels or captions but no transcript text. '
            f"Export the transcript again, or leave the file out."
        )
    status, reason = roles_status(roles, segments)
    reason = this_relabel(reason, transcript_id)  # roles.py names the command of any transcript
    warnings = parse_warnings(
        transcript_id,
        path,
        segments,
        roles.speakers,
        labelled=source.labelled,
        missed_labels=source.missed_labels,
        unit=source.location_unit,
        columns=source.columns,
        tracked_changes=source.tracked_changes,
        hidden_text=source.hidden_text,
        left_out=source.left_out,
        cover=source.cover,
        later_covers=source.later_covers,
        unmarked_covers=source.unmarked_covers,
        running_heads=source.running_heads,
        label_heads=source.label_heads,
        cover_tables=source.cover_tables,
        guessed_columns=source.guessed_columns,
        wrapped=source.wrapped,
        quoted=source.quoted,
        heard_once=source.heard_once,
        quoting=source.quoting,
        title_lines=source.title_lines,
        ai_summary=source.ai_summary,
        interrupting=source.interrupting,
        controls=source.controls,
        control_kinds=source.control_kinds,
        question_layout=source.question_layout,
        captions=source.format in ("vtt", "srt"),
        back_channels=_back_channels(source.turns),
        label_typos=_label_typos(source.turns),
        renamed=_renamed(source.turns),
    ) + role_warnings(transcript_id, segments, roles.speakers, roles.status, roles.reason, named)
    return Transcript(
        id=transcript_id,
        source=path,
        format=source.format,
        sha256=sha256,
        text=text,
        segments=tuple(segments),
        attributes=dict(source.attributes),
        speakers=roles.speakers,
        roles=status,
        roles_reason=reason,
        warnings=tuple(warnings),
    )


def _back_channels(turns: list[Turn]) -> dict[str, list[int]]:
    """The labels whose back-channels the turns hold (roles.fold_back_channels), with the numbers of the
    segments that hold them, as join_segments numbers them."""
    found: dict[str, list[int]] = {}
    n = 0
    for turn in turns:
        n += bool(turn.text)
        for label in dict.fromkeys(turn.back_channels):
            found.setdefault(label, []).append(n)
    return found


def _label_typos(turns: list[Turn]) -> dict[str, tuple[str, list[int]]]:
    """The role labels typed with a slip (roles.fold_label_typos): the label read for each, and the numbers
    of the segments that hold them, as join_segments numbers them."""
    found: dict[str, tuple[str, list[int]]] = {}
    n = 0
    for turn in turns:
        n += bool(turn.text)
        for typo in dict.fromkeys(turn.typos):
            found.setdefault(typo, (turn.speaker or "", []))[1].append(n)
    return found


def _renamed(turns: list[Turn]) -> dict[str, tuple[str, list[int]]]:
    """The display names read as another's renamed (roles.fold_renamed): the label read for each, and the
    numbers of the segments that hold them, as join_segments numbers them."""
    found: dict[str, tuple[str, list[int]]] = {}
    n = 0
    for turn in turns:
        n += bool(turn.text)
        for name in dict.fromkeys(turn.renamed):
            found.setdefault(name, (turn.speaker or "", []))[1].append(n)
    return found


def roles_status(roles: RoleResult, segments) -> tuple[str, str]:
    """The transcript's roles status: review while the evidence is weak or a segment has no known speaker."""
    if roles.status == ROLES_REVIEW:
        return ROLES_REVIEW, roles.reason
    unknown = sum(s.role == REVIEW for s in segments)
    if unknown:
        return ROLES_REVIEW, f"{unknown} segment{'s have' if unknown != 1 else ' has'} no speaker"
    return roles.status, ""
