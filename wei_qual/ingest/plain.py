"""Plain text and Markdown transcripts: split lines into speaker turns (also used for .docx paragraphs).

A labelled line starts a turn; following lines continue its paragraph; a blank line starts a new
paragraph of the same turn. A line that starts like a label inside a turn's paragraph is text of that
turn when it is a hard wrap's or dialogue the speaker quotes (see _as_text). Labels may sit inside a
blockquote (`> P1:`), in bold or italics, or after a list bullet. A cue-timing line (`00:00:23.240 --> 00:00:29.460`) gives its times to the turn that follows
it; text after a timing line with no label is an unnamed cue, kept as its own turn with no speaker. A
span alone on its line (`00:00:06 - 00:00:11`) is read as a timing line where such lines start paragraphs.
Time marks (f4's `#00:01:23-4#`, a bracketed `[00:01:23]`) at a paragraph's end or in its text leave the
text and become the turns' times.
Text before the first label, or a file without labels, becomes one turn per paragraph with no speaker.
Service boilerplate (see boilerplate.py) is dropped, its title, date and keywords kept as metadata; so
are cover sheets, the one over the turns and those of later sessions appended to the file. Running page
heads of text made from a PDF (see pages.py) are passed over.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from ..lazyre import lazy_compile
from ..models import INTERVIEWER, count_words
from . import lexicon
from .boilerplate import (
    Boilerplate,
    Cover,
    find_boilerplate,
    find_cover,
    find_later_covers,
    gemini_notes,
    is_cover_key,
    listed_speakers,
)
from .decode import decode_text, strip_controls
from .frontmatter import split_front_matter
from .labels import (
    DEFAULT_INTERVIEWER_LABELS,
    QA_PAIRS,
    TS,
    LabelMatch,
    dequote,
    frequent_user_names,
    heading_label,
    is_bare_name,
    is_collective,
    is_known,
    is_table_header,
    match_dash_label,
    match_label,
    match_qa_label,
    match_span,
    name_alone,
    no_break,
    normalise_labels,
    parse_time,
    speaker_role,
    strip_markup,
)
from .pages import passed_over, running_heads
from .roles import asks_question, label_slips, leading_part, normalise_id, noted_names, titled_labels
from .turns import PARAGRAPH_PAUSE, PARAGRAPH_WORDS, WORD_SECONDS, Source, Turn

_LOOSE_TS = r"\d{1,2}:\d{1,2}(?::\d{1,2})?(?:[.,]\d{1,3})?"
_TIMESTAMP = re.compile(rf"(?<![\w:]){_LOOSE_TS}(?![\w:])")
# A cue-timing line, with WebVTT cue settings after it or not (`align:start position:0%`): any other
# text after it is read as a line of its own (labels.match_label).
_RANGE = re.compile(rf"(?P<start>{_LOOSE_TS})\s*-->\s*(?P<end>{_LOOSE_TS})(?:[ \t]+[\w-]+:\S*)*[ \t]*")
# Lines that look like a label the parser did not take: a leading `**`, a blockquoted `Name:`, or a
# timestamp followed by `Name:`.
_MISSED_EMPHASIS = re.compile(r"(?:\*\*|__)\S")
_LOOSE_NAME = r"(?:\*\*|__|\*|_)?[A-Z][\w.'’\-]*(?:[ \t][\w.'’()\-]+){0,5}(?:\*\*|__|\*|_)?[ \t]*:"
_MISSED_NAME = lazy_compile(rf"(?:[\[(]?{TS}[\])]?[ \t]+(?:[-–—][ \t]+)?)?{_LOOSE_NAME}")
_MISSED_TS_NAME = re.compile(rf"[\[(]?{TS}[\])]?[ \t]+(?:[-–—][ \t]+)?{_LOOSE_NAME}")
# A line number at the start of a line (a transcript numbered for citing "lines 123-131": f4, Word's
# line numbering printed to PDF).
_LINE_NUMBER = re.compile(r"[ \t]*(\d{1,5})(?=[ \t]|$)")
NUMBERED_SHARE = 0.8  # of the non-blank lines that start with a number counting up, for a numbered file
# `[Name] 14:02:11` (Zoom's saved captions) gives the meeting's clock, not the recording's: a first time this
# late (seconds) is a clock's, since a recording's first turn comes in its first hour.
CLOCK_FROM = 3600
LEAD_BACK = 10.0  # seconds a bare time after a label may go back from the one before (overlapping speech)
_LEADING_TIME = re.compile(r"\d[\d:.,]*\d")
DASH_SHARE = 0.1  # of the dash-labelled lines a name must start to be a speaker (see _dash_labels)
QA_TURNS = 2  # lines each of `Q.` and `A.` must start, alternating, for them to be labels (see _qa_labels)
QA_ALTERNATING = 0.8  # share of the Q./A. lines that follow the other letter's line
# f4/f5 (audiotranskription.de, the Dresing & Pehl rules; MAXQDA and ATLAS.ti read them) end each
# paragraph with a time mark `#00:01:23-4#`, tenths after the dash: the time that paragraph ends. Other
# transcribers put a bracketed timestamp at a paragraph's end, or every few minutes in the text.
# The dash a mark may have before the text after it goes with it: aTrain's MAXQDA export writes each
# segment Whisper heard as `[00:00:02] - text`, one after another in a paragraph.
# Searched from the start of a run of spaces only (the lookbehind): linear in a long run.
_TIME_MARK = re.compile(
    rf"(?<![ \t])[ \t]*(?:#(?P<f4>\d{{1,2}}:\d{{1,2}}:\d{{1,2}})(?:[-.,](?P<tenths>\d{{1,3}}))?#|\[(?P<ts>{TS})\]"
    r"(?:[ \t]+[-–](?=[ \t]+\S))?)"
)
# Where a time mark can start: every one holds "#" or "[" before a digit. Searched first (speed): a
# transcriber's "[inaudible]" puts a "[" in many turns, and _TIME_MARK is tried at every character.
_TIME_MARK_START = re.compile(r"[#\[]\d")


@dataclass
class Lines:
    """What the lines of a transcript held: its turns, suspicious lines, and service metadata."""

    turns: list[Turn]
    missed_labels: list[int] = field(default_factory=list)  # 0-based indexes of lines that look like labels
    metadata: dict[str, str] = field(default_factory=dict)  # title, date, service_keywords
    labelled: bool = False  # at least one speaker label was found
    # Line index -> what the PII scan reads there instead: service lines that name nobody are blank, and
    # the timestamps of label lines are spaces (columns kept), so "Name  08:35" over "A place..." is
    # not read as a street address. Everything else is scanned as written.
    scan_masks: dict[int, str] = field(default_factory=dict)
    cover: list[int] = field(default_factory=list)  # indexes of a cover sheet's lines, left out of the turns
    # Later sessions' cover sheets: the indexes of each one's lines (its rules and titles too), left out.
    later_covers: list[list[int]] = field(default_factory=list)
    # Blocks read as a later session's cover that mark no session: kept in the turn before, said.
    unmarked_covers: list[list[int]] = field(default_factory=list)
    cover_roles: dict[str, str] = field(default_factory=dict)  # speakers the covers name: their role
    # Speakers one cover names interviewer and another participant: no cover decides their role.
    cover_conflicts: list[str] = field(default_factory=list)
    # Lines that start like a label but were read as text (see _as_text): a hard wrap's, and dialogue a
    # speaker quotes (`quoting`: whose turns hold it).
    wrapped: list[int] = field(default_factory=list)
    quoted: list[int] = field(default_factory=list)
    heard_once: list[int] = field(default_factory=list)  # lines that open like a label heard once (text)
    title_lines: list[int] = field(default_factory=list)  # undated title lines read as the title
    ai_summary: list[int] = field(default_factory=list)  # an AI note-taker's summary's lines, left out
    interrupting: list[int] = field(default_factory=list)  # labels heard once read as a turn (_interruptions)
    quoting: list[str] = field(default_factory=list)

    def scanned(self, lines: list[str]) -> list[str]:
        """The lines the PII scan reads: these (the parsed lines, or the file's) with the masks in place."""
        out = list(lines)
        for i, masked in self.scan_masks.items():
            out[i] = masked
        return out


# What a speaker says to order or point their own words ("First: ...", "Section 4.2: ..."): never taken
# for someone who speaks once (lexicon).
_OWN_WORDS = re.compile(lexicon.OWN_WORDS)


def _heard_once(
    cores: list[str], matches: list[LabelMatch | None], is_label: Callable[[LabelMatch | None], bool]
) -> list[int]:
    """Lines kept as text that open like a label heard once, where a turn could start (a paragraph's
    first line, the line after a label's when turns are not parted by blank lines, or after a line
    ending in a colon): someone who speaks once (a dispatcher put on the line, "Deputy Cole: Yes, about
    a year"), or a participant's own "Example: ...". Which it is the text cannot tell, so they are said,
    not guessed; words that order a speaker's own ("First:", "Section 4.2:") are not."""
    return [
        i
        for i, m in enumerate(matches)
        if m is not None
        and m.name
        and not m.user_name
        and not is_label(m)
        and not is_cover_key(m.name)  # a form read out: "Date: ...", "Location: ..."
        and not _OWN_WORDS.fullmatch(m.name)
        and (i == 0 or not cores[i - 1] or cores[i - 1].rstrip().endswith(":") or is_label(matches[i - 1]))
    ]


# Words that head a paragraph of a speaker's own, a note or a stage direction: never someone who interrupts.
_NOT_A_VOICE = lazy_compile(lexicon.NOT_A_VOICE)
MAX_INTERRUPTIONS = 2  # more one-off names heading paragraphs is a list of the speaker's own


def could_interrupt(name: str) -> bool:
    """A one-off label's name that may be someone who interrupts once: a person's or a role's, not a word
    that heads a speaker's own paragraph ("Question:", "Example:", "Note:") nor a cover's key."""
    return not (_NOT_A_VOICE.fullmatch(name) or _OWN_WORDS.fullmatch(name) or is_cover_key(name))


def _interruptions(
    lines: list[str],
    cores: list[str],
    matches: list[LabelMatch | None],
    is_label: Callable[[LabelMatch | None], bool],
    skip: frozenset[int],
) -> list[int]:
    """Labels heard once that are someone interrupting (`Charge Nurse: Sorry, room 3 needs you.`): a turn.

    Only in a file where every paragraph is a turn: each starts with a label, written `Name: text` as this
    one is, with a blank line before it. The line is a paragraph of its own, between two turns, its words
    starting with a capital as a turn's do; the name is a person's or a role's, not a word that heads a
    speaker's own paragraph ("Question:", "Example:", "Note:") nor a cover's key. At most
    MAX_INTERRUPTIONS such lines, each a different name. Text with no label there, a line inside a
    paragraph, or one after a line ending in a colon (dialogue quoted) stays text, and is said."""
    starts = [i for i, core in enumerate(cores) if core and i not in skip and (i == 0 or not cores[i - 1])]
    if len(starts) < 5:
        return []

    def plain_form(i: int) -> bool:  # `Name: text` as written, no markup, time or bullet
        m = matches[i]
        raw = lines[i].strip()
        return (
            m is not None and m.time is None and raw.startswith(m.name) and raw[len(m.name) :].startswith(":")
        )

    found = []
    for k, i in enumerate(starts):
        m = matches[i]
        if is_label(m):
            if not plain_form(i) or not m.rest.strip():
                return []  # labels of another form: no telling
            continue
        if (
            m is None
            or not m.name
            or m.user_name
            or not m.rest.strip()[:1].isupper()
            or not plain_form(i)
            or (i + 1 < len(cores) and cores[i + 1])  # a paragraph of its own
            or k + 1 == len(starts)
            or not is_label(matches[starts[k + 1]])  # a turn goes on after it
            or k == 0
            or not could_interrupt(m.name)
        ):
            return []  # a paragraph that is no turn: paragraphs are not turns here
        found.append(i)
    names = [matches[i].name for i in found]
    return found if len(found) <= MAX_INTERRUPTIONS and len(set(names)) == len(names) else []


def _missed(raw: str) -> bool:
    """A line kept as text that looks like a speaker label was meant."""
    stripped = raw.strip()
    if stripped.startswith(">"):
        return bool(_MISSED_NAME.match(dequote(stripped)))
    if _MISSED_EMPHASIS.match(stripped):
        return True
    return bool(_MISSED_TS_NAME.match(stripped))


def parse_lines(
    lines: list[str],
    *,
    markdown: bool = False,
    id_labels: frozenset[str] = frozenset(),
    boilerplate: bool = True,
    skip: frozenset[int] = frozenset(),
    line_paragraphs: bool = False,
) -> Lines:
    """Group lines (blank line = paragraph break) into turns, dropping service boilerplate and taking
    time marks (f4's, bracketed timestamps) out of the text as times (unless `boilerplate` is False: then
    every line is kept as text). Line numbers and no-break spaces are read as spaces.

    `id_labels` (see id_labels()) are labels that count even when they occur once: the transcript's id.
    `skip` are lines passed over as if they were not there (running page heads: pages.passed_over).
    `line_paragraphs`: a plain text file, where a file with no labels may write a paragraph a line
    (_sentence_lines).
    """
    lines = [no_break(line) for line in lines]
    numbered = _unnumbered(lines)
    lines = numbered or lines
    cores = [strip_markup(line) if i not in skip else "" for i, line in enumerate(lines)]
    # Google Meet's notes by Gemini: the AI summary is no one's words, and its bullets (`* [Dana] Send
    # the notes: ...`) read as labels. Left out before labels are looked for; said (checks.parse_warnings).
    gemini = gemini_notes(cores) if boilerplate else None
    for i in gemini.lines if gemini else ():
        cores[i] = ""
    matches: list[LabelMatch | None] = [match_label(c) if c else None for c in cores]
    # A speaker's name and time as a Markdown heading over the turn: a label, not a heading that titles the
    # file (before, every heading was dropped, and all the turns were no one's).
    headed: set[int] = set()
    for i, core in enumerate(cores):
        if markdown and core[:1] == "#" and (heading := heading_label(core)) is not None:
            matches[i] = heading
            headed.add(i)
    _mark_timing_ranges(cores, matches)
    _mark_spans(cores, matches)
    headers = [i for i, core in enumerate(cores) if "\t" in core and is_table_header(core)]
    for i in headers:  # "Speaker<tab>Text" is not a turn of a speaker called Speaker
        matches[i] = None
    for i, m in _qa_labels(
        cores, lines, matches
    ).items():  # `Q. text` read as `Q.<tab>text` would be a speaker "Q."
        matches[i] = m
    cover, later, unmarked, dropped, named = None, [], [], [], set()
    cover_roles: dict[str, str] = {}
    conflicts: list[str] = []
    if boilerplate:
        labels = {normalise_id(m.name) for m in matches if m and m.name} | id_labels
        cover = find_cover(cores, lambda name: normalise_id(name) in labels)
        if cover is not None:
            dropped = [*cover.head, *cover.lines]
        for i in dropped:
            cores[i] = ""
            matches[i] = None
        later, unmarked = _later_covers(cores, matches, labels, id_labels)
        for found in later:
            for i in (*found.head, *found.lines):
                cores[i] = ""
                matches[i] = None
        cover_roles, conflicts = _cover_roles([c for c in (cover, *later) if c is not None])
        # The speakers the covers name are speakers even if they speak once.
        named = {normalise_id(name) for name in (*cover_roles, *conflicts)}
        named.update(normalise_id(name) for c in (cover, *later) if c is not None for name in c.present)
        # So are those a service lists over the turns (Otter's SPEAKERS, Google Meet's Attendees): a
        # co-interviewer's one question was text of the participant's turn before.
        head = next(
            (
                i
                for i, m in enumerate(matches)
                if m is not None and m.name and (m.rest.strip() or m.time is not None)
            ),
            len(matches),
        )
        named.update(normalise_id(name) for name in listed_speakers(cores, head))
    # A capitalised "Name:" that is not a known label form counts only when it recurs (real speaker
    # labels do; "Note: ..." once does not).
    counts = Counter(m.name for m in matches if m and m.name and not m.strong and not m.user_name)
    if 1 in counts.values():
        # ...or when another form of the name recurs (`Sgt. Ramos:` once, `Sergeant Ramos:` once, then
        # `Ramos:`), which roles.fold_renamed reads as one speaker: each form said once was text.
        heard = Counter(m.name for m in matches if m and m.name and not m.user_name)
        same = titled_labels(heard)
        if same:
            total = Counter()
            for name, n in heard.items():
                total[same.get(name, name)] += n
            for name in same:
                if name in counts:
                    counts[name] = total[same[name]]
            for name, full in same.items():  # the full form heard once beside its short forms
                if full in counts:
                    counts[full] = total[full]
        # ...or a display name with pronouns or a role added or dropped (`Dana Whitfield:` once, then `Dana
        # Whitfield (she/her):`), which fold_renamed reads as one speaker, as captions' are (captions.py).
        for name, bare in noted_names(heard).items():
            for form in (name, bare):
                if form in counts:
                    counts[form] = max(counts[form], heard[name] + heard[bare])

    def is_named_label(m: LabelMatch | None) -> bool:
        return (
            m is not None
            and bool(m.name)
            and not m.user_name
            and (m.strong or counts[m.name] >= 2 or normalise_id(m.name) in id_labels | named)
        )

    users = frequent_user_names(matches, sum(map(is_named_label, matches)))

    def is_label(m: LabelMatch | None) -> bool:
        # A lower-case name is a speaker when it starts many turns, or is the transcript's id (`p01:`).
        return is_named_label(m) or (
            m is not None and m.user_name and (m.name in users or normalise_id(m.name) in id_labels)
        )

    # A role label typed with a slip (`Interviwer:` beside `Interviewer:`) is that label, not someone heard
    # once: read so before the labels heard once are weighed.
    slips = label_slips(Counter(m.name for m in matches if m is not None and m.name and not m.user_name))
    for i, m in enumerate(matches):
        if m is not None and m.name in slips:
            matches[i] = replace(m, name=slips[m.name], strong=True, slip=m.name)
    # A label for several at once (`Group:`, `Participants:`, `Multiple speakers:`) heard once after the
    # turns began is a group answering together: a turn of its own, which roles leave to review. It was
    # text of the interviewer's turn (`Group` and `Participants` are cover keys, heard once). Above the
    # first turn it may be a cover's line (`Participants: 4`), read as before.
    began = next((i for i, m in enumerate(matches) if is_label(m)), len(matches))
    for i in range(began + 1, len(matches)):
        m = matches[i]
        if m is not None and m.name and not m.strong and not m.user_name and is_collective(m.name):
            matches[i] = replace(m, strong=True)
    wrapped, quoted, quoting = _as_text(cores, matches, is_label, skip, id_labels | named)
    once = _heard_once(cores, matches, is_label) if any(map(is_label, matches)) else []
    _label_times(matches, [i for i, m in enumerate(matches) if is_label(m)])
    first_label = next((i for i, m in enumerate(matches) if is_label(m)), None)
    dashed = _dash_labels(cores) if first_label is None else {}
    for i, m in dashed.items():
        matches[i] = m
    first_label = min(dashed, default=first_label)
    alone = _names_alone(cores, markdown=markdown) if first_label is None else {}
    for i, name in alone.items():
        matches[i] = LabelMatch(name, "", None, True)
    first_label = min(alone, default=first_label)
    markers = frozenset(i for i, m in enumerate(matches) if m is not None and not m.name)
    header_rows = frozenset(headers)
    boiler = (
        # A name alone is a speaker, not a heading that titles the file.
        find_boilerplate(
            # nor is a table's header row (`Time<tab>Speaker<tab>Text`)
            ["" if i in alone or i in header_rows or i in headed else c for i, c in enumerate(cores)],
            first_label,
            markdown=markdown,
            markers=markers,
            is_speaker=lambda name: normalise_id(name) in labels,
        )
        if boilerplate
        else Boilerplate()
    )
    if gemini is not None and gemini.title:
        boiler.metadata["title"] = gemini.title  # the meeting's name, not the notes' `📝 Notes`
    if cover is not None:
        for key, value in (("title", cover.title), ("date", cover.date)):
            if value:
                boiler.metadata.setdefault(key, value)
    texts = [dequote(line) for line in lines]
    later_lines = [sorted({*found.head, *found.lines}) for found in later]
    for i in [
        *boiler.drop,
        *headers,
        *dropped,
        *itertools.chain(*later_lines),
        *(gemini.lines if gemini else ()),
    ]:
        cores[i] = texts[i] = ""
        matches[i] = None
    interrupting = _interruptions(lines, cores, matches, is_label, skip) if once else []
    # Where no label was found, a file that writes a sentence or a paragraph a line, no blank line between,
    # is read a paragraph a line: before, it was one segment.
    line_ends = (
        _sentence_lines(cores) if line_paragraphs and boilerplate and first_label is None else frozenset()
    )
    # YouTube's transcript panel copied as text: a time alone over a line of caption, no blank line between.
    pasted, read_out = _caption_paste(cores, matches) if first_label is None else ({}, frozenset())
    captions: Turn | None = None  # the paragraph of pasted captions being read
    caption_spoken = 0.0  # when the speech of its last caption is taken to end
    caption_lines: set[int] = set()
    # WhisperX's .txt writes a segment a line, `[SPEAKER_00]: text`, the label pyannote's diarization
    # gives; a segment it placed with no speaker has no label. Such a line is no one's (role review), as an
    # unnamed cue is: before, it went to the speaker above it, an interviewer's "Okay." into an answer.
    labelled = [m for m in matches if is_label(m)]
    diarized = bool(labelled) and all(_DIARIZED.fullmatch(m.name) and m.rest.strip() for m in labelled)
    for i in interrupting:
        matches[i] = replace(matches[i], strong=True)

    turns: list[Turn] = []
    current: Turn | None = None  # the turn text goes to; None: each paragraph is a turn of its own
    paragraph: list[str] = []
    paragraph_line = 0  # where the paragraph being read started
    pending: tuple[float | None, float | None] | None = None  # times of a timing line, for what follows
    cue_open = False  # a timing line was just read: unlabelled text after it is an unnamed cue
    block = False  # ...and it was a span alone over a paragraph (LabelMatch.block)
    missed: list[int] = []

    def flush() -> None:
        nonlocal paragraph, pending
        if not paragraph:
            return
        text = "\n".join(paragraph)
        paragraph = []
        if current is None:
            start = pending[0] if pending else None
            turns.append(Turn(None, [text], start, line=paragraph_line))
            pending = None
        else:
            current.paragraphs.append(text)

    for i, (core, text, m) in enumerate(zip(cores, texts, matches)):
        if i in skip:
            continue
        if not core:
            flush()
            continue
        if pasted and (i in read_out or i in caption_lines):
            continue
        if pasted and i in pasted:  # a caption's time over its line: joined into paragraphs as captions are
            flush()
            end, j = pasted[i]
            caption_lines.add(j)
            # No caption has an end but the next one's time: a caption that lasts over PARAGRAPH_PAUSE s
            # longer than its words take (WORD_SECONDS a word) holds a pause, taken to follow its words.
            paused = captions is not None and m.time - caption_spoken > PARAGRAPH_PAUSE
            if paused:
                captions.end_time = min(captions.end_time, caption_spoken)
            if captions is not None and not paused and count_words(captions.paragraphs[0]) < PARAGRAPH_WORDS:
                captions.paragraphs[0] = f"{captions.paragraphs[0]} {texts[j].strip()}"
                captions.end_time = end if end is not None else captions.end_time
            else:
                captions = Turn(None, [texts[j].strip()], m.time, end, line=j)
                turns.append(captions)
            spoken = m.time + count_words(texts[j]) * WORD_SECONDS
            caption_spoken = spoken if end is None else min(end, spoken)
            current = None
            continue
        if is_label(m):
            flush()
            start, end = (m.time, m.end) if m.time is not None else (pending or (None, None))
            current = Turn(m.name, [], start, end, line=i, typos=(m.slip,) if m.slip else ())
            pending, cue_open = None, False
            turns.append(current)
            if m.rest.strip():
                paragraph.append(m.rest.strip())
            continue
        if m is not None and not m.name:  # a timing line, or a bare [00:12:03] time marker
            if m.end is not None or not m.rest.strip():
                flush()
                pending, cue_open = (m.time, m.end), m.end is not None
                block = m.block
                if not m.rest.strip():
                    continue
            elif current is not None and current.start_time is None:
                # `[00:12:40] text` inside a turn: the time belongs to the turn when it has none yet
                current.start_time = m.time
            elif current is None and not paragraph:  # a paragraph with no speaker: its time
                pending = (m.time, None)
            text = m.rest.strip()  # `[00:00:15 --> 00:01:02] text` with no name: an unnamed cue
        if _missed(lines[i]):
            missed.append(i)
        if cue_open or (diarized and current is not None and not current.unnamed_cue):
            # an unnamed cue (or a segment diarization left unplaced): never added to the previous speaker
            flush()
            # a block a span times is no cue to join to the next: NVivo's or DaVinci's without speakers
            current = Turn(None, [], *(pending or (None, None)), unnamed_cue=not (cue_open and block), line=i)
            turns.append(current)
            pending, cue_open = None, False
        elif pending is not None and current is not None and current.start_time is None:
            current.start_time, pending = pending[0], None
        if not paragraph:
            paragraph_line = i
        paragraph.append(text)
        if i in line_ends:
            flush()
    flush()
    masks = {i: "" for i in boiler.inert}
    if numbered:  # the line numbers are no identifiers: the scan reads spaces in their place
        masks.update({i: line for i, line in enumerate(lines) if line.strip() and i not in masks})
    for i, m in enumerate(matches):
        if m is not None and (m.time is not None or m.clock) and i not in masks:
            masks[i] = _TIMESTAMP.sub(lambda t: " " * len(t.group()), lines[i])
    if boilerplate:
        _take_time_marks(turns)
    return Lines(
        turns=merge_same_speaker([t for t in turns if t.paragraphs]),
        missed_labels=missed,
        metadata=boiler.metadata,
        labelled=first_label is not None,
        scan_masks=masks,
        cover=cover.lines if cover else [],
        later_covers=later_lines,
        unmarked_covers=[sorted({*c.head, *c.lines}) for c in unmarked],
        cover_roles=cover_roles,
        cover_conflicts=conflicts,
        wrapped=wrapped,
        quoted=quoted,
        # not a line left out as boilerplate (a PDF footer's cells read as `title<tab>Page 1 of 1`)
        heard_once=[i for i in once if cores[i] and i not in {*wrapped, *quoted, *missed, *interrupting}],
        interrupting=interrupting,
        quoting=quoting,
        title_lines=boiler.title_lines,
        ai_summary=gemini.summary if gemini else [],
    )


# The time read out under each time in YouTube's transcript panel, copied with it: `4 seconds`, `1 minute, 2
# seconds`, `1 hour, 2 minutes, 3 seconds`.
_READ_OUT_TIME = re.compile(r"(?:(\d+) hours?,? )?(?:(\d+) minutes?,? )?(\d+) seconds?")
_PANEL_CHROME = re.compile(r"(?i)transcript|search in video")
MIN_CAPTIONS = 4  # time lines at least, each over one line of caption, for a file to be read as captions
MAX_CAPTION_WORDS = 25  # a caption line's words at most: a longer line is a paragraph


def _caption_paste(
    cores: list[str], matches: list[LabelMatch | None]
) -> tuple[dict[int, tuple[float | None, int]], frozenset[int]]:
    """In a file with no labels, the time lines of a transcript copied from YouTube's transcript panel (or
    another player's): each time alone on its line over one short line of caption, the next time on the
    line after, no blank line between; each with its cue's end (the next time; the last has none) and the
    index of its caption line; and the lines that read the time out under it (`4 seconds`, `1 minute, 2
    seconds`) and the panel's heading and search box over the first (`Transcript`, `Search in video`),
    which are no speech. Nothing when any time line is not so. Read as a paragraph each, a caption's words
    (`thanks for talking with me can you tell`) were a segment: a sentence cut into coded units."""
    times = [
        i
        for i, m in enumerate(matches)
        if m is not None and not m.name and m.time is not None and m.end is None and not m.rest.strip()
    ]
    if len(times) < MIN_CAPTIONS:
        return {}, frozenset()
    read_out: set[int] = set()
    for n, i in enumerate(times):
        j = i + 1
        said = _READ_OUT_TIME.fullmatch(cores[j]) if j < len(cores) else None
        if said and int(said[1] or 0) * 3600 + int(said[2] or 0) * 60 + int(said[3]) == int(matches[i].time):
            read_out.add(j)
            j += 1
        if j >= len(cores) or not cores[j] or matches[j] is not None:
            return {}, frozenset()
        if count_words(cores[j]) > MAX_CAPTION_WORDS:
            return {}, frozenset()
        if n + 1 < len(times) and (times[n + 1] != j + 1 or matches[times[n + 1]].time < matches[i].time):
            return {}, frozenset()
    # The panel's own words copied over the first time: its heading and its search box.
    above = [k for k in range(times[0]) if cores[k]]
    if above and all(_PANEL_CHROME.fullmatch(cores[k]) for k in above):
        read_out.update(above)
    ends = {
        i: (matches[times[n + 1]].time if n + 1 < len(times) else None, i + 1 + (i + 1 in read_out))
        for n, i in enumerate(times)
    }
    return ends, frozenset(read_out)


# The speaker labels pyannote's diarization gives (WhisperX, aTrain, and tools built on them).
_DIARIZED = re.compile(r"SPEAKER_\d{2,3}")
# A line that ends a sentence (closing quotes and brackets after the mark go with it).
_SENTENCE_END = re.compile(rf"(?:[{lexicon.SENTENCE_MARKS}]|{lexicon.GREEK_QUESTION_END})[\"'”’)\]»」』]*$")
SENTENCE_LINES = 2 / 3  # share of the lines followed by another with no blank line that must end a sentence


def _sentence_lines(cores: list[str]) -> frozenset[int]:
    """The lines that end a paragraph in a file with no labels that writes a paragraph or a sentence a line
    with no blank line between (most of its lines in one run): Whisper's and faster-whisper's .txt (a line per segment heard), Word's
    "Save As > Plain Text" (a line per paragraph), a transcript typed in Notepad. There most lines that
    another follows end a sentence (two thirds at least, and two such lines at least); a line that does not
    goes on into the next (`So when we got there,` over `we called the unit.`). Text hard-wrapped at a
    width ends a sentence at a line's end now and then, by chance: it stays paragraphs of many lines."""
    followed = [i for i in range(len(cores) - 1) if cores[i] and cores[i + 1]]
    ends = [i for i in followed if _SENTENCE_END.search(cores[i].rstrip())]
    if len(ends) < 2 or len(ends) < SENTENCE_LINES * len(followed):
        return frozenset()
    # Most lines in one run with no blank line: a file that puts blank lines between its paragraphs and a
    # sentence a line inside them (as some write Markdown) is read a paragraph between blank lines.
    run = longest = said = 0
    for core in cores:
        run = run + 1 if core else 0
        longest, said = max(longest, run), said + bool(core)
    return frozenset(ends) if 2 * longest >= said else frozenset()


# The end of a sentence, or of a clause a speaker breaks off ("we went in and—"): what follows may be
# another speaker. Closing quotes and brackets after the mark go with it.
_ENDS = re.compile(r"[.?!:;…\-–—][\"'”’)\]]*$")
_INTERVIEWER_LABELS = normalise_labels(DEFAULT_INTERVIEWER_LABELS)
# The labels a transcript gives its speakers (`P07`, `R`, `I`, `Interviewer 2`, `Speaker 3`, `Unknown`): never
# text that a hard wrap or a quote makes look like a label. A rank or a relation (`Officer 1`, `Mom`) may be.
_SPEAKER_FORM = re.compile(
    rf"(?:[A-Z]{{1,3}}\d{{0,3}}|(?i:{lexicon.ROLE_PAIR}|{lexicon.UNNAMED_VOICE_WORDS}|unknown[ \t]speaker"
    rf"|{lexicon.TEAM_LABEL_WORDS}))"
    r"(?:[ \t]?\d{1,3}|[ \t][A-Z])?(?:[ \t]\(.*\))?"
)
QUOTED_TURNS = 12  # fewer labelled lines than this are dialogue quoted in one go (a story, not a session)


def _as_text(
    cores: list[str],
    matches: list[LabelMatch | None],
    is_label: Callable[[LabelMatch | None], bool],
    skip: frozenset[int],
    keep: frozenset[str] | set[str],
) -> tuple[list[int], list[int], list[str]]:
    """Label lines that are text of the turn they sit in, taken out of `matches`: (the lines of a hard
    wrap, the lines of dialogue a speaker quotes, the speakers who quote it). The lines keep their labels
    as text.

    A hard wrap: text typed or exported with a line break every ~70 characters may start a line with words
    and a colon (`...the report lists us as` / `Officer 1: me, and`). Such a line goes on from the line
    before when that line is in the same paragraph and ends mid-sentence, the text after the colon starts
    in lower case, and the label occurs nowhere but in this run of such lines; in a file whose turns end
    with a full stop (or another mark) as a rule, so that one that does not means something.

    Quoted dialogue: the labelled lines after a speaker's line ending in a colon (`P12: It went like
    this:` / `Mom: He's in his room.` / `Me: Has he hurt himself?` / `Mom: No.`), with no blank line
    before any of them, whose labels occur there and nowhere else (fewer than QUOTED_TURNS of them); or
    such lines between two turns of one speaker with no blank line from the one to the other, in a file
    whose turns blank lines separate. Never a known label form (`Officer 2:`, `Clinician:` label the turns
    of a pair interview), nor when that speaker is an interviewer or asks the most questions (a round of
    introductions is turns).

    Never a label with a time (a service's turn), a speaker's label form (`P07`, `Speaker 2`, `Interviewer`),
    or one of `keep` (the transcript's id, the speakers a cover names)."""

    @cache
    def speaks(name: str) -> bool:  # a speaker's label wherever it is
        return normalise_id(name) in keep or bool(_SPEAKER_FORM.fullmatch(name))

    def kept(m: LabelMatch) -> bool:
        return m.time is not None or not m.rest.strip() or speaks(m.name)

    def before(i: int) -> int:  # the line before i, running heads passed over; -1 at the start
        i -= 1
        while i in skip:
            i -= 1
        return i

    def said(i: int) -> str:  # the words line i holds (after its label, if it is one)
        return matches[i].rest.strip() if is_label(matches[i]) else cores[i]

    def last_said(i: int) -> int:  # the last line before i that holds words; -1 if none
        i = before(i)
        while i >= 0 and (not cores[i] or not said(i)):
            i = before(i)
        return i

    lines_of: dict[str, list[int]] = {}  # the lines each label starts, a turn or not
    for i, m in enumerate(matches):
        if m is not None and m.name:
            lines_of.setdefault(m.name, []).append(i)
    # Whether the line before a label ends a sentence tells only in a file whose turns end with one: of
    # the turns of labels that recur, most do (a transcriber who types no full stops wraps no lines).
    ends = [
        bool(_ENDS.search(said(j)))
        for i, m in enumerate(matches)
        if is_label(m) and len(lines_of[m.name]) > 1 and (j := last_said(i)) >= 0
    ]
    punctuated = 2 * sum(ends) >= len(ends)
    wrapped: list[int] = []
    run: list[int] = []  # consecutive lines that go on from the line before, in one paragraph

    def close_run() -> None:
        found = Counter(matches[i].name for i in run)
        wrapped.extend(i for i in run if found[matches[i].name] == len(lines_of[matches[i].name]))
        run.clear()

    for i, m in enumerate(matches):
        j = before(i)
        goes_on = (
            punctuated
            and is_label(m)
            and m.rest.strip()[:1].islower()
            and not kept(m)
            and j >= 0
            and bool(cores[j])
            and bool(said(j))
            and not _ENDS.search(said(j))
        )
        if run and not (goes_on and j == run[-1]):
            close_run()
        if goes_on:
            run.append(i)
    close_run()
    for i in wrapped:
        matches[i] = None

    starts = [i for i, m in enumerate(matches) if is_label(m)]
    # Blank lines part the turns: they come before most turns of the speakers who speak in more than one
    # paragraph (a quote's labels, all in one, would outweigh a short interview's own).
    paragraph = list(itertools.accumulate(not core for core in cores))
    spread = {name for name, found in lines_of.items() if len({paragraph[i] for i in found}) > 1}
    parted = [before(i) >= 0 and not cores[before(i)] for i in starts[1:] if matches[i].name in spread]
    spaced = 2 * sum(parted) > len(parted)

    @cache
    def asks() -> Counter[str]:  # the turns that ask a question, by label (only when a run is found)
        turns: list[tuple[str, list[str]]] = []
        for i, m in enumerate(matches):
            if is_label(m):
                turns.append((m.name, [m.rest]))
            elif cores[i] and turns:
                turns[-1][1].append(cores[i])
        return Counter(name for name, text in turns if asks_question(" ".join(text)))

    def glued(first: int, stop: int) -> bool:  # no blank line from `first` up to `stop`
        return all(cores[j] or j in skip for j in range(first, stop))

    quoted: list[int] = []
    quoting: list[str] = []
    k = 1
    while k < len(starts):
        speaker = matches[starts[k - 1]].name
        e = k  # the run: the turns after the speaker's that no label before them starts
        while (
            e < len(starts)
            and e - k < QUOTED_TURNS
            and matches[starts[e]].name != speaker
            and not kept(matches[starts[e]])
            and lines_of[matches[starts[e]].name][0] >= starts[k]
        ):
            e += 1
        run = starts[k:e]
        stop = starts[e] if e < len(starts) else len(matches)
        if not run:
            k += 1
            continue
        intro = before(run[0])  # the speaker's line the run follows
        found = {matches[i].name for i in run}
        closed = e < len(starts) and matches[starts[e]].name == speaker and glued(intro, stop)
        if (
            len(run) < QUOTED_TURNS
            and all(lines_of[name][-1] < stop for name in found)  # the labels occur nowhere else
            and glued(intro, run[-1] + 1)
            # after "It went like this:", or inside the speaker's paragraph where blank lines part turns
            and (said(intro).endswith(":") or (spaced and closed))
            and not any(map(is_known, found))  # `Officer:`, `Clinician:` label a pair interview's turns
            # an interviewer's line ending in a colon introduces turns ("Let's go round the table:")
            and speaker_role(speaker, _INTERVIEWER_LABELS) != INTERVIEWER
            and any(n > asks()[speaker] for name, n in asks().items() if name not in found)
        ):
            quoted += [j for j in range(run[0], stop) if matches[j] is not None and matches[j].name]
            quoting += [speaker] if speaker not in quoting else []
            for i in run:
                matches[i] = None
            k = e + 1
        else:
            k += 1
    return wrapped, quoted, quoting


def _later_covers(
    cores: list[str], matches: list[LabelMatch | None], labels: set[str], ids: frozenset[str]
) -> tuple[list[Cover], list[Cover]]:
    """The cover sheets of later sessions (boilerplate.find_later_covers), looked for after the first line
    that reads as a turn: a label that recurs, is a known form or is the transcript's id."""
    counts = Counter(m.name for m in matches if m and m.name)

    def labels_turn(m: LabelMatch | None) -> bool:
        return bool(m and m.name and (m.strong or counts[m.name] >= 2 or normalise_id(m.name) in ids))

    first = next((i for i, m in enumerate(matches) if labels_turn(m)), None)
    if first is None:
        return [], []
    starts: dict[str, list[int]] = {}
    for i, m in enumerate(matches):
        if m and m.name:
            starts.setdefault(normalise_id(m.name), []).append(i)
    return find_later_covers(
        cores,
        lambda name: normalise_id(name) in labels,
        first + 1,
        lambda key: starts.get(normalise_id(key), ()),
        # A label, or a time mark (`[00:12:03]`, a caption's timing line), starts a turn.
        lambda i: labels_turn(matches[i]) or (matches[i] is not None and not matches[i].name),
    )


def _cover_roles(covers: list[Cover]) -> tuple[dict[str, str], list[str]]:
    """The roles the cover sheets give speakers, and the speakers they name in both roles (a later
    session's cover naming the first's interviewer as its participant): those are left to the turns'
    evidence, since one role would be wrong for one session's turns."""
    roles: dict[str, str] = {}
    seen: dict[str, str] = {}  # normalised name -> role
    conflicts: list[str] = []
    for cover in covers:
        for name, role in cover.roles.items():
            key = normalise_id(name)
            if seen.setdefault(key, role) != role and name not in conflicts:
                conflicts.append(name)
            roles.setdefault(name, role)
    clashing = {normalise_id(name) for name in conflicts}
    return {name: role for name, role in roles.items() if normalise_id(name) not in clashing}, conflicts


def _label_times(matches: list[LabelMatch | None], labels: list[int]) -> None:
    """Times the labels at `labels` give, as the file writes them: a bare time after the label
    (`Interviewer: 00:00:03 Thanks`) is the turn's when most labels have one written the same way (the
    same groups of digits: `00:00:21`, not `23:40`), those times in order (going back LEAD_BACK seconds at
    most); another is said ("P44: 23:40 - that's when dispatch toned us out"), as it is when few labels
    have one. Zoom's saved captions' `[Name] 14:02:11` are the meeting's clock, not kept (CLOCK_FROM)."""
    led = [i for i in labels if matches[i].lead is not None]
    shapes = {i: _time_shape(matches[i].rest) for i in led}
    usual = Counter(shapes.values()).most_common(1)[0][0] if led else ""
    taken = _in_order([i for i in led if shapes[i] == usual], {i: matches[i].lead[0] for i in led})
    if len(taken) >= 2 and 2 * len(taken) >= len(labels):
        for i in taken:
            matches[i] = matches[i].lead_taken()
    clocked = [i for i in labels if matches[i].clock]
    if clocked and matches[clocked[0]].time >= CLOCK_FROM:
        for i in clocked:
            matches[i] = replace(matches[i], time=None)


def _time_shape(text: str) -> str:
    """How the time starting `text` is written: its digits after the first group (`0:04` and `12:03` are
    alike; `00:00:03`, `23:40` and `00:00:03.5` are not)."""
    time = _LEADING_TIME.match(text)[0]
    return re.sub(r"\d", "9", time[time.index(":") :])


def _in_order(keys: list[int], times: dict[int, float]) -> list[int]:
    """The keys whose times come in order: the longest run of them that never goes back (in the keys'
    order), and the others that go back LEAD_BACK seconds at most from the run's time before them and
    forward no further than that past its time after them."""
    # The longest run that never goes back, by patience sorting: tails[k] ends the best run of k + 1 keys.
    tails: list[int] = []
    tail_times: list[float] = []
    before: dict[int, int | None] = {}
    for key in keys:
        k = bisect.bisect_right(tail_times, times[key])
        before[key] = tails[k - 1] if k else None
        if k == len(tails):
            tails.append(key)
            tail_times.append(times[key])
        else:
            tails[k], tail_times[k] = key, times[key]
    run: set[int] = set()
    key = tails[-1] if tails else None
    while key is not None:
        run.add(key)
        key = before[key]
    # Each key's neighbours in the run: the time of the run's key before it and after it.
    prev: list[float | None] = []
    last = None
    for key in keys:
        prev.append(last)
        last = times[key] if key in run else last
    after: list[float | None] = []
    last = None
    for key in reversed(keys):
        after.append(last)
        last = times[key] if key in run else last
    after.reverse()
    return [
        key
        for key, a, b in zip(keys, prev, after)
        if key in run
        or ((a is None or times[key] >= a - LEAD_BACK) and (b is None or times[key] <= b + LEAD_BACK))
    ]


def _dash_labels(cores: list[str]) -> dict[int, LabelMatch]:
    """In a file with no other labels: the lines `Interviewer - text`, when two names at least each start
    two of them (and DASH_SHARE of them), and such lines start most of the file's paragraphs. A name not of
    a known form counts only when most of its lines go on with a capital, as a turn starts ("Mostly - when
    the clinician is free" is a sentence); a dash in a sentence ("Sometimes - not often - we wait") stays
    text, and so do common words before one (labels.match_dash_label)."""
    found = {i: m for i, core in enumerate(cores) if core and (m := match_dash_label(core)) is not None}
    counts = Counter(m.name for m in found.values())
    capitals = Counter(m.name for m in found.values() if not m.rest[:1].islower())
    kept = {
        i: replace(m, strong=True)
        for i, m in found.items()
        if counts[m.name] >= 2
        and counts[m.name] >= DASH_SHARE * len(found)
        and (is_known(m.name) or 2 * capitals[m.name] > counts[m.name])
    }
    starts = {i for i, core in enumerate(cores) if core and (i == 0 or not cores[i - 1])}
    if len({m.name for m in kept.values()}) < 2 or 2 * len(kept) < len(starts | kept.keys()):
        return {}
    return kept


def _qa_labels(cores: list[str], lines: list[str], matches: list[LabelMatch | None]) -> dict[int, LabelMatch]:
    """The lines `Q. text` and `A. text` (a court reporter's or a deposition's question and answer), when
    each letter starts QA_TURNS lines at least and they alternate: QA_ALTERNATING of them follow a line of
    the other letter (an answer may go on over the lines below, unlabelled). "A. Lopez was on shift" in an
    answer, or an outline's "A. Scope", "B. Method", stays text. A single exchange, one `Q.` then one `A.`,
    counts when each opens a paragraph (after a blank line, at the file's start, or set in from the line
    before as a court reporter indents them) and no other line looks like a label (`matches`): "Q. Reyes
    took notes and" / "A. Lopez chaired" inside a paragraph, or a leaflet's one question and answer a
    participant reads out between labelled turns, stay text."""
    every = {i: m for i, core in enumerate(cores) if core and (m := match_qa_label(core)) is not None}
    # A research typist's `I.` and `R.` (or `I.` and `P.`) alternate as `Q.` and `A.` do; the letters of
    # the other pairs start text then ("I. Lopez chaired" in a Q. and A. transcript).
    for pair in QA_PAIRS:
        found = {i: m for i, m in every.items() if m.name in pair}
        letters = [m.name for m in found.values()]
        if (
            pair == ("Q", "A")
            and letters == ["Q", "A"]
            and all(_opens_paragraph(i, cores, lines) for i in found)
            and not any(m is not None and m.name for i, m in enumerate(matches) if i not in found)
        ):
            return {i: replace(m, strong=True) for i, m in found.items()}
        if min(letters.count(pair[0]), letters.count(pair[1])) < QA_TURNS:
            continue
        turns = sum(a != b for a, b in itertools.pairwise(letters))
        if turns < QA_ALTERNATING * (len(letters) - 1):
            continue
        return {i: replace(m, strong=True) for i, m in found.items()}
    return {}


def _opens_paragraph(i: int, cores: list[str], lines: list[str]) -> bool:
    """Whether line `i` opens a paragraph: the file's first text, a blank line before it, or set in
    further than the line before (a court reporter's `Q.` and `A.` over their unindented run-on lines)."""
    before = next((j for j in range(i - 1, -1, -1) if cores[j]), None)
    if before is None or before < i - 1:
        return True

    def indent(line: str) -> int:
        return len(line.expandtabs()) - len(line.expandtabs().lstrip())

    return indent(lines[i]) > indent(lines[before])


def _unnumbered(lines: list[str]) -> list[str] | None:
    """The lines with their line numbers blanked (spaces, so columns stay), when the file numbers its
    lines: most non-blank lines start with a number, one more than the line before's (or starting over,
    as on a new page), or every fifth (tenth...) line does, counting the lines between ("count by 5").
    None for a file that does not."""
    found = [(i, _LINE_NUMBER.match(line)) for i, line in enumerate(lines) if line.strip()]
    # (place among the non-blank lines, number): a number counts lines when it grows as they do.
    numbers = [(k, int(m[1])) for k, (_, m) in enumerate(found) if m]
    steps = Counter(kb - ka for (ka, a), (kb, b) in itertools.pairwise(numbers) if b - a == kb - ka > 0)
    step = steps.most_common(1)[0][0] if steps else 1  # 1: every line; 5: "count by 5", as Word allows
    if (
        len(numbers) < 3
        or len(numbers) < NUMBERED_SHARE * len(found) / step
        or steps[step] < NUMBERED_SHARE * (len(numbers) - 1)
    ):
        return None
    out = list(lines)
    for i, m in found:
        if m and (step == 1 or int(m[1]) % step == 0):
            out[i] = " " * m.end() + lines[i][m.end() :]
    return out


def _mark_time(m: re.Match) -> float:
    if m["ts"]:
        return parse_time(m["ts"])
    return parse_time(m["f4"] + (f".{m['tenths']}" if m["tenths"] else ""))


def _take_time_marks(turns: list[Turn]) -> None:
    """Take time marks (f4's `#00:01:23-4#`, a bracketed `[00:01:23]`) out of the turns' text. A mark that
    closes a turn is its end time, and the start time of the turn after it, unless a label or a cue gave
    them. A mark inside the text only leaves it."""
    previous: float | None = None  # the mark that closed the turn before
    for turn in turns:
        if turn.start_time is None:
            turn.start_time = previous
        paragraphs, closing = [], None
        for paragraph in turn.paragraphs:
            marks = list(_TIME_MARK.finditer(paragraph)) if _TIME_MARK_START.search(paragraph) else []
            if marks:
                ends = marks[-1].end() == len(paragraph.rstrip())
                closing = _mark_time(marks[-1]) if ends else None
                paragraph = _TIME_MARK.sub("", paragraph).strip()
            elif paragraph.strip():
                closing = None
            if paragraph:
                paragraphs.append(paragraph)
        turn.paragraphs = paragraphs
        if turn.end_time is None:
            turn.end_time = closing
        previous = closing


def _names_alone(cores: list[str], *, markdown: bool) -> dict[int, str]:
    """In a file with no speaker labels: the lines that name a speaker alone, the turn below (some
    services and Whisper tools write `Dana Whitfield` or `**Speaker 1**` over each turn). A name counts
    when it is followed by text and recurs (or is a known form such as `Interviewer`), and at least two
    speakers are named so."""
    names = [name_alone(core, markdown=markdown) if core else None for core in cores]
    found: dict[int, str] = {}
    text_below = False  # the next non-blank line below is not a name alone
    for i in range(len(cores) - 1, -1, -1):
        if names[i] and text_below:
            found[i] = names[i]
        if cores[i]:
            text_below = names[i] is None
    counts = Counter(found.values())
    kept = {i: name for i, name in found.items() if counts[name] >= 2 or is_known(name)}
    return kept if len(set(kept.values())) >= 2 else {}


def id_labels(path: Path) -> frozenset[str]:
    """The file name's stem and its leading part (`BSR01` of `BSR01_transcript`), as labels of the
    participant: such a label counts even when it occurs only once."""
    lead = leading_part(path.stem)
    return frozenset(normalise_id(x) for x in (path.stem, lead) if x)


def split_turns(lines: list[str]) -> list[Turn]:
    """Group lines (blank line = paragraph break) into turns, keeping every line's text (no boilerplate
    is dropped: parse_lines does that for files)."""
    return parse_lines(lines, boilerplate=False).turns


def _mark_timing_ranges(lines: list[str], matches: list[LabelMatch | None]) -> None:
    """Cue-timing lines `00:00:23.240 --> 00:00:29.460` become time markers for what follows.

    Teams' older .docx export puts the speaker's name alone on the next non-blank line: that line becomes
    the label.
    """
    for i, line in enumerate(lines):
        m = _RANGE.fullmatch(line)
        if not m:
            continue
        start, end = parse_time(m["start"]), parse_time(m["end"])
        matches[i] = LabelMatch("", "", start, False, end)
        j = next((k for k in range(i + 1, len(lines)) if lines[k]), None)
        if j is not None and is_bare_name(lines[j]):
            matches[j] = LabelMatch(lines[j], "", start, True, end)


def _mark_spans(cores: list[str], matches: list[LabelMatch | None]) -> None:
    """Spans alone on a line (`00:00:06 - 00:00:11`, as NVivo Transcription and others write over each turn)
    time what follows, as cue-timing lines do, where they are the file's timing: most of the spans that
    start a paragraph stand over a turn (a label or a name alone below), and those time it; in a file with
    no labels, spans that start most of its paragraphs time them. Two at least, in order (none starting
    before the one above). A span inside a paragraph ("The shifts were / 10:30 - 11:00 / and then off"),
    or over the speech in a turn (a schedule read out: `07:00 - 15:00` over "That's the day car"), is
    said."""
    starts = [i for i, core in enumerate(cores) if core and (i == 0 or not cores[i - 1])]
    found = {i: m for i in starts if (m := match_span(cores[i])) is not None}

    def turn_below(i: int) -> bool:
        j = next((k for k in range(i + 1, len(cores)) if cores[k]), None)
        return j is not None and (bool(matches[j] and matches[j].name) or name_alone(cores[j]) is not None)

    # DaVinci Resolve's span over text with no name is a block it placed with no speaker: timed, no one's
    over_turns = [i for i in found if turn_below(i) or found[i].strong]
    if 2 * len(over_turns) >= len(found):
        timing = over_turns
    elif not any(m and m.name for m in matches) and 2 * len(found) >= len(starts):
        timing = list(found)  # a file of unnamed paragraphs, each timed
    else:
        return
    if len(timing) < 2 or any(found[b].time < found[a].time for a, b in itertools.pairwise(timing)):
        return
    for i in timing:
        matches[i] = found[i]


_UNKNOWN_VOICE = re.compile(lexicon.UNKNOWN_VOICE, re.IGNORECASE)


def merge_same_speaker(turns: list[Turn]) -> list[Turn]:
    """Consecutive turns of one speaker are one turn (its later labels just add timestamps); so are
    consecutive unnamed cues. Not those of `Unknown Speaker`: the service labels each voice it missed
    apart, and two in a row are as often a question and its answer (they were one segment). In a file
    with no speaker at all, timed cues are paragraphs as speakerless captions are (captions._paragraphs):
    a pause over PARAGRAPH_PAUSE s or PARAGRAPH_WORDS words ends one. whisper.cpp's output saved as text,
    `[00:00:00.000 --> 00:00:04.200]   text` a line, was one segment. Its `[SPEAKER_TURN]` (with
    --tinydiarize, after a segment the speaker changes after) ends one too, and is no text."""
    speakerless = not any(t.speaker for t in turns)
    merged: list[Turn] = []
    changed = False  # the cue before ended with whisper.cpp's [SPEAKER_TURN]
    for turn in turns:
        marked = speakerless and turn.unnamed_cue and _took_speaker_turn(turn)
        prev = merged[-1] if merged else None
        same = prev is not None and (
            (
                turn.speaker is not None
                and turn.speaker == prev.speaker
                and not _UNKNOWN_VOICE.fullmatch(turn.speaker.strip())
            )
            or (
                turn.unnamed_cue
                and prev.unnamed_cue
                and not (speakerless and (changed or _paragraph_ends(prev, turn)))
            )
        )
        changed = marked
        if same:
            prev.paragraphs.extend(turn.paragraphs)
            prev.end_time = turn.end_time if turn.end_time is not None else prev.end_time
            prev.typos = (*prev.typos, *turn.typos)
        else:
            merged.append(turn)
    return merged


_SPEAKER_TURN = "[SPEAKER_TURN]"


def _took_speaker_turn(turn: Turn) -> bool:
    """Whether the cue ends with whisper.cpp's `[SPEAKER_TURN]`, taken out of its text."""
    if not turn.paragraphs or not turn.paragraphs[-1].endswith(_SPEAKER_TURN):
        return False
    turn.paragraphs[-1] = turn.paragraphs[-1][: -len(_SPEAKER_TURN)].rstrip()
    return True


def _paragraph_ends(prev: Turn, turn: Turn) -> bool:
    """A pause over PARAGRAPH_PAUSE s between two speakerless cues, or PARAGRAPH_WORDS words before it."""
    pause = turn.start_time is not None and prev.end_time is not None and turn.start_time - prev.end_time
    return (
        pause is not False
        and pause > PARAGRAPH_PAUSE
        or sum(map(count_words, prev.paragraphs)) >= PARAGRAPH_WORDS
    )


# A Markdown pipe table (GitHub's, and pandoc's from a Word table): its delimiter row under the header row.
_PIPE_DELIMITER = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*")
_PIPE = re.compile(r"(?<!\\)\|")
_CELL_BREAK = re.compile(r"(?i)<br\s*/?>")


def _pipe_tables(lines: list[str]) -> tuple[list[str], frozenset[int]]:
    """The lines with each Markdown pipe table's rows written as a table saved as text is, its cells apart
    by tabs (`| 00:00:03 | Dana Whitfield | Thanks |` as `00:00:03<tab>Dana Whitfield<tab>Thanks`), and its
    delimiter rows to be passed over (returned), so a transcript table converted to Markdown (pandoc's from
    a Word or a Sonix table) is read as its rows, the header row left out. Before, the whole table was one
    segment of no one's. Only a table with its delimiter row: the same line numbers, the rest as it was."""
    out = list(lines)
    delimiters: set[int] = set()
    for i in range(1, len(lines)):
        if not (lines[i].lstrip().startswith(("|", ":", "-")) and _PIPE_DELIMITER.fullmatch(lines[i])):
            continue
        if "|" not in lines[i - 1]:
            continue
        delimiters.add(i)
        for k in itertools.chain((i - 1,), range(i + 1, len(lines))):
            if k > i and (not lines[k].strip() or "|" not in lines[k]):
                break
            row = lines[k].strip()
            row = row.removeprefix("|")
            row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
            cells = [_CELL_BREAK.sub(" ", c).replace("\\|", "|").strip() for c in _PIPE.split(row)]
            out[k] = "\t".join(cells)
    return out, frozenset(delimiters)


# A published interview's layout with no speaker labels: the questions set apart (a Markdown blockquote
# or heading, a paragraph all in bold, or only the questions labelled `Q:`) and the answers plain
# paragraphs after them. Read as `Q:` and `A:` turns where the layout is consistent (question_turns).
_BOLD_PARAGRAPH = re.compile(r"(\*\*|__)(?P<text>\S(?:.*\S)?)\1", re.DOTALL)
Q_LABEL = re.compile(
    r"(?:\*\*|__)?(?:Q|Question)(?:[ \t]*[:.](?:\*\*|__)|(?:\*\*|__)?[ \t]*[:.])[ \t]*", re.IGNORECASE
)
_RULE = re.compile(r"(?:[-*_][ \t]*){3,}")
MARKED_MIN = 2  # questions set apart, at least
QUOTED, HEADING, BOLD, Q_ONLY = "blockquote", "heading", "bold", "q_label"


def question_turns(paragraphs: list[tuple[str, str | None]]) -> tuple[str, list[int], list[int]] | None:
    """(the mark, the questions' indexes, the first answer paragraphs' indexes) of paragraphs given as
    (text without its markup, how it is set apart or None), when every question is set apart one way, two
    at least, half of them at least ask (an essay's pull quotes ask nothing), and each is answered by a
    plain paragraph after it; else None. Paragraphs before the first question that asks are no one's."""
    # A title or an epigraph set apart as the questions are (a bold title over a Word file) asks nothing:
    # before the first question that asks, it is no one's.
    first = next((k for k, (text, mark) in enumerate(paragraphs) if mark and asks_question(text)), None)
    if first is None:
        return None
    marks = {mark for _, mark in paragraphs[first:] if mark}
    questions = [k for k, (_, mark) in enumerate(paragraphs) if mark and k >= first]
    if len(marks) != 1 or len(questions) < MARKED_MIN:
        return None
    if 2 * sum(asks_question(paragraphs[k][0]) for k in questions) < len(questions):
        return None
    answers = [k + 1 for k in questions]
    if any(k >= len(paragraphs) or paragraphs[k][1] for k in answers):
        return None
    return marks.pop(), questions, answers


def only_questions_labelled(turns: list[Turn]) -> bool:
    """Every label is `Q` (or `Question`): stops at the first other one, the first turn or two of a file."""
    return all(t.speaker is None or normalise_id(t.speaker) in ("q", "question") for t in turns)


def _question_layout(lines: list[str], *, markdown: bool) -> tuple[list[str], str, int] | None:
    """The lines with `Q: ` before each question and `A: ` before the first paragraph after it
    (question_turns), with the mark and how many questions; else None. Markdown's blockquotes, headings
    that ask and paragraphs all in bold set questions apart; a `Q:` label with no `A:` does in any file.
    Other headings and rules are passed over."""
    paras: list[list[int]] = []
    kinds: list[tuple[str, str | None]] = []
    for para in _paragraphs(lines):
        first = lines[para[0]].strip()
        joined = " ".join(lines[i].strip() for i in para)
        if markdown and first.startswith("#"):
            heading = first.lstrip("#").strip()
            if len(para) > 1 or not asks_question(heading):
                continue  # a title or a section's: no one's words
            kind: tuple[str, str | None] = (heading, HEADING)
        elif markdown and _RULE.fullmatch(first):
            continue
        elif markdown and all(lines[i].lstrip().startswith(">") for i in para):
            quoted = " ".join(dequote(lines[i]) for i in para)
            kind = (Q_LABEL.sub("", quoted, count=1), QUOTED)
        elif markdown and (m := _BOLD_PARAGRAPH.fullmatch(joined)) and "**" not in m["text"]:
            kind = (Q_LABEL.sub("", m["text"], count=1), BOLD)  # `**Q: How ...?**` too
        elif Q_LABEL.match(strip_markup(first)):
            kind = (Q_LABEL.sub("", strip_markup(joined), count=1), Q_ONLY)
        else:
            kind = (joined, None)
        paras.append(para)
        kinds.append(kind)
    found = question_turns(kinds)
    if found is None:
        return None
    mark, questions, answers = found
    out = list(lines)
    for k in questions:
        para, first, last = paras[k], paras[k][0], paras[k][-1]
        if mark in (QUOTED, HEADING):
            for i in para:
                out[i] = dequote(lines[i]) if mark == QUOTED else kinds[k][0]
        elif mark == BOLD:
            out[first] = lines[first].lstrip()[2:]
            out[last] = out[last].rstrip()[:-2]
        if not Q_LABEL.match(strip_markup(out[first])):
            out[first] = "Q: " + out[first].lstrip()
    for k in answers:
        out[paras[k][0]] = "A: " + lines[paras[k][0]]
    return out, mark, len(questions)


def _paragraphs(lines: list[str]) -> list[list[int]]:
    out: list[list[int]] = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if out and out[-1][-1] == i - 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def read_text(path: Path, data: bytes, *, encoding: str | None = None) -> Source:
    """Read a .txt or .md transcript (front matter allowed), or raise TranscriptError."""
    name = str(path)
    text, controls, control_kinds = strip_controls(
        decode_text(data, name, encoding)
    )  # front matter's values too
    transcript_id, attributes, body = split_front_matter(text, name)
    fmt = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    ids = id_labels(path) | ({normalise_id(transcript_id)} if transcript_id else set())
    body_lines, delimiters = _pipe_tables(body.split("\n"))
    heads = running_heads(body_lines)  # text made from a PDF: its page headers and footers
    skip = passed_over(body_lines, heads.heads) | delimiters
    parsed = parse_lines(
        body_lines, markdown=fmt == "md", id_labels=frozenset(ids), skip=skip, line_paragraphs=fmt == "txt"
    )
    layout = None
    # Rare, so tried only when the reading found no labels (Markdown), or only `Q:` turns.
    if (not parsed.labelled and fmt == "md") or (parsed.labelled and only_questions_labelled(parsed.turns)):
        found = _question_layout(body_lines, markdown=fmt == "md")
        if found is not None:
            laid, *layout = found
            parsed = parse_lines(
                laid, markdown=fmt == "md", id_labels=frozenset(ids), skip=skip, line_paragraphs=fmt == "txt"
            )
    scan_lines = parsed.scanned(
        text.split("\n")
    )  # the body keeps the file's line numbers (front matter blanked)
    return Source(
        fmt,
        parsed.turns,
        scan_text="\n".join(scan_lines),
        attributes={**parsed.metadata, **attributes},  # front matter is explicit: it wins
        transcript_id=transcript_id,
        labelled=parsed.labelled,
        missed_labels=[i + 1 for i in parsed.missed_labels],  # file line numbers
        metadata=parsed.metadata,
        cover=[i + 1 for i in parsed.cover],
        later_covers=[(lines[0] + 1, lines[-1] + 1) for lines in parsed.later_covers],
        unmarked_covers=[(lines[0] + 1, lines[-1] + 1) for lines in parsed.unmarked_covers],
        cover_roles=parsed.cover_roles,
        cover_conflicts=parsed.cover_conflicts,
        running_heads=[i + 1 for i in heads.heads],
        label_heads=[i + 1 for i in heads.kept_labels],
        wrapped=[i + 1 for i in parsed.wrapped],
        quoted=[i + 1 for i in parsed.quoted],
        heard_once=[i + 1 for i in parsed.heard_once],
        quoting=parsed.quoting,
        title_lines=[i + 1 for i in parsed.title_lines],
        ai_summary=[i + 1 for i in parsed.ai_summary],
        interrupting=[i + 1 for i in parsed.interrupting],
        controls=controls,
        control_kinds=control_kinds,
        question_layout=tuple(layout) if layout else None,
    )
