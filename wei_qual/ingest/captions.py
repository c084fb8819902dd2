"""WebVTT and SubRip captions (Teams and Webex `<v Name>`, Zoom `Name: text`, Webex's `3 "Name" (id)` cue
identifiers) via webvtt-py.

Consecutive cues of one speaker merge into one turn (first start, last end); a cue whose lines each
start with a name (`DANA: And the unit?` over `KP30: Full by ten.`) holds a turn of each. Rolling
captions (YouTube's automatic ones repeat the last line of a cue at the top of the next) are read with
each line once. A cue without a name in
captions that have speakers is never added to the previous speaker: consecutive unnamed cues are kept
as a turn of their own with no speaker (its role is then `review`). A name heard once is text, except
in captions that name every cue (Zoom's), where it is someone speaking once (_interruptions). Captions without any speaker
(Whisper and most .srt files) become paragraphs: cues are joined until a pause of more than
PARAGRAPH_PAUSE seconds or PARAGRAPH_WORDS words. Captions that mark each change of speaker with `>>`
(broadcast and live captioners' style) start a turn at each, unless the captions name speakers at
lines' starts too: see _chevron_turns.
"""

from __future__ import annotations

import html
import io
import itertools
import re
from collections import Counter
from pathlib import Path

from ..errors import TranscriptError
from ..models import count_words
from .decode import decode_text, strip_controls
from .labels import LabelMatch, frequent_user_names, match_bracketed, match_label, no_break
from .plain import could_interrupt
from .roles import renamed_labels
from .turns import PARAGRAPH_PAUSE, PARAGRAPH_WORDS, WORD_SECONDS, Source, Turn

_TIME = r"(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}"
_TIMING = re.compile(rf"\s*{_TIME}\s*-->\s*{_TIME}(?:\s.*)?$")
# Something meant as a timing line but not one: "00:00:01.000 -> 00:00:02.000", "00:00:01 --> x".
_TIMING_ISH = re.compile(r"\s*\d{1,2}:\d{2}[\d:.,]*\s*(?:-->?|->|–>|—>)\s*\d")
# A cue identifier naming its speaker (Webex): `3 "Dana Whitfield" (2785123456)`.
# The user number in parentheses may be a placeholder: `deid redact` replaces it as a phone-like number.
_NAMED_CUE = re.compile(r'\d{1,7}\s+"([^"\n]{1,80})"(?:\s+\((?:\d{1,20}|\[[A-Z]+-\d+\])\))?')
MAX_INTERRUPTIONS = 2  # more one-off names in captions that name every cue: no telling, text as before
# A SubStation override tag that subtitle editors (Subtitle Edit, Aegisub) write into .srt cues to place
# them: `{\an8}` (top of the screen), `{\i1}`. Not shown, so not text: left in, `{\an8}Dana Whitfield:`
# was no label, and the tag was stored and coded.
_OVERRIDE_TAG = re.compile(r"\{\\[^{}\n]*\}")
# A caller who dials in, as Zoom names them by their number: `15552013344: text`, masked `155****3344:`,
# `+1 555 201 3344:`. Seven digits or stars at least, so "2019: that was the year" is text. No name
# form of labels.py takes digits; the PII gate stops an unmasked number (deid/rules.py PHONE).
_PHONE_LABEL = re.compile(
    r"(?P<name>\+?(?:\(\d{3}\)|\d)[\d*() .-]{5,18}[\d*])[ \t]*:[ \t]+(?P<rest>\S.*)", re.DOTALL
)


def _phone_label(body: str) -> tuple[str, str] | None:
    """A caller's number as the cue's speaker (_PHONE_LABEL): (number, text), or None."""
    m = _PHONE_LABEL.match(body)
    if m is None or sum(c.isdigit() or c == "*" for c in m["name"]) < 7:
        return None
    return m["name"], m["rest"].strip()


def _check_lines(lines: list[str], name: str, fmt: str) -> None:
    """Find the first malformed line ourselves: webvtt-py skips bad cues silently or names no line."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if fmt == "vtt" and (first is None or not lines[first].startswith("WEBVTT") or first != 0):
        raise TranscriptError(
            f'"{name}", line 1: a .vtt file must start with "WEBVTT". '
            f"Re-export the captions as WebVTT, or rename the file if it is another format."
        )
    if fmt == "srt" and first is not None:
        nxt = lines[first + 1] if first + 1 < len(lines) else ""
        if not lines[first].strip().isdigit() or "-->" not in nxt:
            raise TranscriptError(
                f'"{name}", line {first + 1}: an .srt file must start with a cue number and a timing line '
                f'("00:00:01,000 --> 00:00:04,000"). Re-export the captions as SubRip.'
            )
    for i, line in enumerate(lines, 1):
        if ("-->" in line or _TIMING_ISH.match(line)) and not _TIMING.match(line):
            raise TranscriptError(
                f'"{name}", line {i}: malformed cue timing. Write it as "00:00:01.000 --> 00:00:04.000", '
                f"or re-export the captions."
            )


def _seconds(timestamp) -> float:
    return timestamp.in_milliseconds() / 1000


def read_captions(path: Path, data: bytes, *, encoding: str | None = None) -> Source:
    """Read a .vtt or .srt file, or raise TranscriptError naming the file and line."""
    import webvtt  # heavy-ish: only when captions are ingested
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    name = str(path)
    fmt = "srt" if path.suffix.lower() == ".srt" else "vtt"
    text, controls, control_kinds = strip_controls(decode_text(data, name, encoding))
    file_lines = text.split("\n")  # the whole file: the gate scans all of it
    _check_lines(file_lines, name, fmt)
    try:
        captions = webvtt.WebVTT.from_buffer(io.StringIO(text), format=fmt).captions
    except (MalformedFileError, MalformedCaptionError, ValueError) as ex:
        raise TranscriptError(
            f'"{name}" is not a valid .{fmt} file ({type(ex).__name__}). Re-export the captions.'
        ) from None
    if not captions:
        raise TranscriptError(
            f'"{name}" contains no captions. Re-export the captions, or leave the file out.'
        )

    captions = _highlighted_words(captions)
    # Each caption's raw text and voice read once: webvtt-py's properties work them out at each access,
    # and Caption.text scans each line for cue tags, where a cue with no `<` (most) has none to strip.
    raws = [c.raw_text for c in captions]
    voices = [c.voice if raw.startswith("<v") else None for c, raw in zip(captions, raws)]
    shown = _unrolled(
        [
            [
                clean
                for line in (c.text if "<" in raw else raw).split("\n")
                if (clean := _OVERRIDE_TAG.sub("", no_break(line)).strip())
            ]
            for c, raw in zip(captions, raws)
        ]
    )
    if fmt == "vtt":  # WebVTT escapes &, < and > as &amp; &lt; &gt;
        shown = [[html.unescape(line) for line in lines] for lines in shown]
    if all(voice is None for voice in voices):
        changes = _chevron_turns(captions, shown)
        if changes is not None:
            return Source(
                fmt,
                changes,
                scan_text=_scan_text(file_lines),
                labelled=any(t.speaker for t in changes),
                controls=controls,
                control_kinds=control_kinds,
            )
    cues = []
    in_brackets: set[int] = set()  # the cues opening `[Name] text`, no colon: a speaker if the form recurs
    timed: dict[int, list[tuple[float, str]]] = {}  # a cue's words with their times (YouTube's captions)
    for caption, lines, raw, voice in zip(captions, shown, raws, voices):
        start, end = _seconds(caption.start_time), _seconds(caption.end_time)
        if (
            voice is None
            and len(lines) == 1
            and "<c>" in raw
            and (words := _timed_words(raw, start, lines[0]))
        ):
            timed[len(cues)] = words
        spans = _voice_spans(raw) if fmt == "vtt" and "<v" in raw else None
        if spans is not None:
            cues.extend((span_voice, True, said, said, start, end, None) for span_voice, said in spans)
            continue
        for body in _voices(lines) if voice is None else [" ".join(lines)]:
            speaker, strong, said, user = voice, True, body, None
            if speaker is None:
                m = match_label(body)
                if m is not None and m.name:
                    speaker, strong, said = m.name, m.strong, m.rest.strip()
                    user = m if m.user_name else None
                elif body[:1] in "+(0123456789" and (phone := _phone_label(body)) is not None:
                    speaker, strong, said = phone[0], False, phone[1]  # a label when it recurs
                else:  # Webex names the speaker in the cue's identifier: 3 "Dana Whitfield" (2785123456)
                    cue_id = _NAMED_CUE.fullmatch((caption.identifier or "").strip())
                    speaker = cue_id[1].strip() if cue_id else None
                    if speaker is None and (bracketed := match_bracketed(body)) is not None:
                        speaker, strong, said = bracketed.name, False, bracketed.rest
                        in_brackets.add(len(cues))
            cues.append((speaker, strong, body, said, start, end, user))
    cues = _bracketed_speakers(cues, in_brackets)
    counts = Counter(c[0] for c in cues if c[0] and not c[1])
    named = sum(strong or counts[speaker] >= 2 for speaker, strong, *_, user in cues if speaker and not user)
    users = frequent_user_names([user for *_, user in cues], named)
    # A name heard once that is another's with a note in parentheses added or dropped (Zoom's `Dana
    # Whitfield` before she set her pronouns, `Dana Whitfield (she/her)` after) is that speaker's.
    renames = renamed_labels(c[0] for c in cues if c[0] and c[6] is None)
    renamed = {*renames, *renames.values()}
    one_off = [
        bool(
            speaker
            and not strong
            and speaker not in renamed
            and (counts[speaker] < 2 if user is None else speaker not in users)
        )
        for speaker, strong, *_, user in cues
    ]
    once = _interruptions(cues, one_off)
    cues = [
        (None, body, start, end)  # a one-off "Word:" is text, not a speaker
        if one_off[i] and i not in once
        else (speaker, said, start, end)
        for i, (speaker, strong, body, said, start, end, user) in enumerate(cues)
    ]
    if not any(c[0] for c in cues):
        return Source(
            fmt,
            _paragraphs(cues, timed),
            scan_text=_scan_text(file_lines),
            controls=controls,
            control_kinds=control_kinds,
        )
    cues = _names_on_change(cues)

    turns: list[Turn] = []
    for speaker, body, start, end in cues:
        prev = turns[-1] if turns else None
        if prev is not None and (speaker == prev.speaker):  # same speaker, or another unnamed cue
            prev.paragraphs[0] = f"{prev.paragraphs[0]} {body}".strip()
            prev.end_time = end
        else:
            turns.append(Turn(speaker, [body], start, end, unnamed_cue=speaker is None))
    return Source(
        fmt,
        turns,
        scan_text=_scan_text(file_lines),
        labelled=True,
        interrupting=[line for line in (_line_of(file_lines, cues[i][0]) for i in once) if line],
        controls=controls,
        control_kinds=control_kinds,
    )


def _bracketed_speakers(cues: list[tuple], in_brackets: set[int]) -> list[tuple]:
    """The cues opening with a bracketed name and no colon (`[Dana Whitfield] We got there.`, as some
    captioners name speakers) keep that name as their speaker when the form recurs: each such name opens
    two cues or more, and two speakers at least are named in brackets (a recurring `[Siren] ...` in captions
    of one voice is a sound, not a speaker). Else the cues are text, as before: the whole file was one
    unlabelled segment."""
    if not in_brackets:
        return cues
    counts = Counter(cues[i][0] for i in in_brackets)
    recurring = {name for name, n in counts.items() if n >= 2}
    # `[Interviewer] text` is a label of a known form already: it counts among the speakers in brackets.
    known = {c[0] for i, c in enumerate(cues) if i not in in_brackets and c[0] and c[2].startswith("[")}
    if len(recurring | known) < 2:
        recurring = set()
    return [
        (None, True, c[2], c[2], *c[4:]) if i in in_brackets and c[0] not in recurring else c
        for i, c in enumerate(cues)
    ]


def _interruptions(cues: list[tuple], one_off: list[bool]) -> list[int]:
    """The cues opening with a name heard once that are someone speaking once (`Tom: Sorry, room three
    needs you.`, a colleague at the door): a turn of their own, whose role the evidence decides (heard once
    in a one-to-one interview: left to review). Only in captions that name the speaker of every cue, as
    Zoom's do, where a cue with no recurring name is someone else speaking, not a continuation (captions
    named only on a change of speaker have cues with no name: there a one-off name stays text). The cue is
    between two named cues, its words start with a capital, and its name is a person's or a role's, not a
    word that heads a speaker's own words ("Example:", "Note:", "First:") nor a cover's key. At most
    MAX_INTERRUPTIONS such cues, each a different name; else none."""
    if len(cues) < 5 or any(speaker is None for speaker, *_ in cues):
        return []
    found = []
    for i, (speaker, _strong, _body, said, *_rest, user) in enumerate(cues):
        if not one_off[i]:
            continue
        if (
            user is not None
            or not said.strip()[:1].isupper()
            or i == 0
            or i + 1 == len(cues)
            or one_off[i - 1]
            or one_off[i + 1]
            or not could_interrupt(speaker)
        ):
            return []  # a cue that is no one's turn: one-off names here are text
        found.append(i)
    names = [cues[i][0] for i in found]
    return found if len(found) <= MAX_INTERRUPTIONS and len(set(names)) == len(names) else []


def _line_of(file_lines: list[str], name: str) -> int | None:
    """The 1-based line of the file where a cue opens with `name:` (a name heard once), for the warning."""
    return next(
        (i for i, line in enumerate(file_lines, 1) if no_break(line).strip().startswith(f"{name}:")),
        None,
    )


def _names_on_change(cues: list[tuple]) -> list[tuple]:
    """Cues named only when the speaker changes (Happy Scribe's and other subtitle exports): no two named
    cues in a row name the same speaker, and cues without a name follow many of them (two at least, and a
    third of the named ones). Then a cue without a name is the previous speaker's; otherwise (Zoom names
    every cue, and an unnamed one is a gap in its speaker detection) it stays a turn of no one."""
    named = [c[0] for c in cues if c[0]]
    continued = sum(a[0] is not None and b[0] is None for a, b in itertools.pairwise(cues))
    if any(a == b for a, b in itertools.pairwise(named)) or continued < max(2, len(named) / 3):
        return cues
    out, speaker = [], None
    for cue in cues:
        speaker = cue[0] or speaker
        out.append((speaker, *cue[1:]))
    return out


CHEVRON = ">>"
CHEVRON_LINES = 2  # lines starting with `>>` for captions to count as marking changes of speaker


def _chevron_turns(captions, shown: list[list[str]]) -> list[Turn] | None:
    """The turns of captions that mark each change of speaker with `>>` at a line's start (`>> NAME:` names
    the speaker, a known label form or a name that recurs so), when CHEVRON_LINES lines at least do: a
    line with the marker starts a turn, the lines after it go on with it; `>>` inside a line is text.
    Captions that also name speakers at the start of lines (Zoom's `Name: text`) start turns there, and at
    `>> NAME:`; a `>>` with no name there is text (a message quoted, an email read out). None for captions
    with too few markers, or with named lines and no `>> NAME:`: read as other captions are."""
    lines = [(line, line.startswith(CHEVRON)) for cue in shown for line in cue]
    if sum(chevron for _, chevron in lines) < CHEVRON_LINES:
        return None

    def label(line: str, chevron: bool) -> LabelMatch | None:
        m = match_label(line.lstrip(">").strip() if chevron else line)
        return m if m is not None and m.name and not m.user_name else None

    found = [(chevron, label(line, chevron)) for line, chevron in lines]
    counts = Counter(m.name for _, m in found if m and not m.strong)

    def names(m: LabelMatch | None) -> bool:  # a one-off "Word:" is said
        return m is not None and (m.strong or counts[m.name] >= 2)

    named = any(names(m) for chevron, m in found if not chevron)
    if named and not any(names(m) for chevron, m in found if chevron):
        return None
    pieces = []  # (starts a turn, speaker, text after the name, whole text, start, end)
    for caption, cue in zip(captions, shown):
        start, end = _seconds(caption.start_time), _seconds(caption.end_time)
        for line in cue:
            chevron = line.startswith(CHEVRON)
            said = line.lstrip(">").strip() if chevron else line  # `>>>` too, for a new topic
            m = label(line, chevron)
            if names(m) and (chevron or named):
                pieces.append((True, m.name, m.rest.strip(), start, end))
            else:  # with named lines, a `>>` with no name is text
                pieces.append((chevron and not named, None, said if not named else line, start, end))
    turns: list[Turn] = []
    for new, speaker, rest, start, end in pieces:
        prev = turns[-1] if turns else None
        if prev is not None and (not new or (speaker is not None and speaker == prev.speaker)):
            prev.paragraphs[0] = f"{prev.paragraphs[0]} {rest}".strip()
            prev.end_time = end
        else:
            turns.append(Turn(speaker, [rest], start, end))
    return turns


# A WebVTT voice span's opening tag, `<v Dana Whitfield>` (with classes: `<v.loud Dana Whitfield>`), and any
# cue tag (`</v>`, `<c.yellow>`, `<i>`): WebVTT escapes a `<` of the text as `&lt;`.
_VOICE_SPAN = re.compile(r"<v(?:\.[\w-]+)*[ \t]+([^>\s][^>\n]*)>")
_CUE_TAG = re.compile(r"<[^<>\n]*>")


def _voice_spans(raw: str) -> list[tuple[str | None, str]] | None:
    """Each voice's text in a cue with two voice spans or more (`<v Marcus Bell>About nine years.</v>` over
    `<v Dana Whitfield>Mm-hmm.</v>`, or both on one line), or a span after text; text before the first span
    is no one's. None for a cue of one voice, or none. webvtt-py reads the voice of the first line's span
    only: the interviewer's `Mm-hmm.` went into the answer, the participant's answer into the question."""
    spans = list(_VOICE_SPAN.finditer(raw))
    if not spans or (len(spans) == 1 and spans[0].start() == 0):
        return None
    out: list[tuple[str | None, str]] = []
    for voice, a, b in [
        (None, 0, spans[0].start()),
        *(
            (m[1].strip(), m.end(), nxt.start() if nxt else len(raw))
            for m, nxt in zip(spans, [*spans[1:], None])
        ),
    ]:
        said = html.unescape(" ".join(no_break(_OVERRIDE_TAG.sub("", _CUE_TAG.sub("", raw[a:b]))).split()))
        if said:
            out.append((voice, said))
    return out


def _voices(lines: list[str]) -> list[str]:
    """A cue's text, or the text of each speaker in it when two lines or more start with a name."""
    if len(lines) < 2:  # most cues: one line, one text (its label, if any, is read from it after)
        return [" ".join(lines)] if lines else []
    starts = [i for i, line in enumerate(lines) if (m := match_label(line)) is not None and m.name]
    if len(starts) < 2:
        return [" ".join(lines)] if lines else []
    bounds = [0, *[i for i in starts if i], len(lines)]
    return [" ".join(lines[a:b]) for a, b in itertools.pairwise(bounds) if a < b]


def _highlighted_words(captions: list) -> list:
    """The captions with each segment Whisper wrote with --highlight_words made one cue again, from its
    first word's start to its last word's end; others as they are.

    Whisper then writes a cue per word, each holding the segment's whole text with that word underlined
    (`How <u>long</u> have you`), and between two words apart a cue with no underline for the pause. A
    run of such cues, each starting where the one before ends, with the same text and the underline
    further on each time, is one segment: read as it is, every cue after the first was taken for
    rolling captions' repetition, so the segment ended with its first word and paragraphs never formed
    at pauses, and a segment repeating the one before (`Yeah.` twice) was dropped."""
    if not any("<u>" in line for c in captions for line in c.lines):
        return captions
    import copy

    out: list = []
    run_text, run_at = None, -1  # the run's text without tags, and where its last underline starts
    for caption in captions:
        raw = caption.raw_text
        at = raw.find("<u>")
        text = caption.text
        prev = out[-1] if out else None
        if (
            prev is not None
            and text == run_text
            and caption.start == prev.end
            and (at > run_at or (at < 0 and run_at >= 0))
        ):
            merged = copy.copy(prev)
            merged.end = caption.end
            out[-1] = merged
            run_at = max(at, run_at)
            continue
        out.append(caption)
        run_text, run_at = (text, at) if at >= 0 else (None, -1)
    return out


def _unrolled(cues: list[list[str]]) -> list[list[str]]:
    """Each cue's new lines, when the captions roll (most cues start with the last line of the one before,
    as YouTube's automatic captions do); else the cues as they are. A cue left with nothing new is empty."""
    rolling = sum(1 for prev, cur in itertools.pairwise(cues) if prev and cur and cur[0] == prev[-1])
    if rolling < 3 or rolling < len(cues) // 2:
        return cues
    out, last = [], []
    for lines in cues:
        repeated = max(
            (n for n in range(1, min(len(lines), len(last)) + 1) if lines[:n] == last[-n:]), default=0
        )
        out.append(lines[repeated:])
        last = lines or last
    return out


# YouTube's automatic captions time each word after a line's first: `me<00:00:02.634><c> what</c>`.
_WORD_TIME = re.compile(r"<(\d+):(\d{2}):(\d{2})\.(\d{3})>")


def _timed_words(raw: str, start: float, shown: str) -> list[tuple[float, str]] | None:
    """The words of the cue's new line (its last, the one `shown`) each with the time it is said at, the
    first at the cue's start; None when that line has no word times or its words are not the ones shown."""
    parts = _WORD_TIME.split(raw.rsplit("\n", 1)[-1])
    if len(parts) < 6:
        return None
    words = [(start, parts[0])]
    for k in range(1, len(parts) - 4, 5):
        h, m, sec, ms = map(int, parts[k : k + 4])
        words.append((h * 3600 + m * 60 + sec + ms / 1000, parts[k + 4]))
    words = [(t, html.unescape(_CUE_TAG.sub("", w)).strip()) for t, w in words]
    words = [(t, w) for t, w in words if w]
    return words if " ".join(w for _, w in words) == shown else None


def _pieces(
    body: str, start: float, end: float, words, *, estimate: bool = False
) -> list[tuple[str, float, float, float]]:
    """A cue's text as (text, start, end, end of speech), split where its timed words pause over
    PARAGRAPH_PAUSE s: a piece before such a pause ends with its speech, the last at the cue's end. A cue
    with no word times is one piece, its speech ending with the cue, or with `estimate` WORD_SECONDS a word
    after its start if that is sooner (captions whose cues leave no gap: see _paragraphs)."""
    if not words:
        return [(body, start, end, min(end, start + count_words(body) * WORD_SECONDS) if estimate else end)]
    out: list[tuple[str, float, float, float]] = []
    run = [words[0]]
    for word in words[1:]:
        if word[0] - run[-1][0] > PARAGRAPH_PAUSE + WORD_SECONDS:
            spoken = min(end, run[-1][0] + WORD_SECONDS)
            out.append((" ".join(w for _, w in run), run[0][0], spoken, spoken))
            run = []
        run.append(word)
    out.append((" ".join(w for _, w in run), run[0][0], end, min(end, run[-1][0] + WORD_SECONDS)))
    return out


def _paragraphs(
    cues: list[tuple[None, str, float, float]], timed: dict[int, list] | None = None
) -> list[Turn]:
    """Speakerless cues joined into paragraphs at pauses over PARAGRAPH_PAUSE s or PARAGRAPH_WORDS words.

    Where the captions time each word (YouTube's automatic ones, `timed`), the pauses are the words':
    its cues follow each other with no gap, each lasting until the next line starts, so no pause showed
    between them and a whole interview was one segment (or a run of 150 words each). A paragraph before
    such a pause ends with its last word, not with its cue, which lasts through the pause.

    Where they do not (the same captions saved as .srt, yt-dlp's `--convert-subs srt`), and the cues leave
    no gap, each lasting until the next starts, a cue's speech is taken to end WORD_SECONDS a word after
    its start: a line that lasts over PARAGRAPH_PAUSE s longer than its words take holds a pause, taken to
    follow its words. Before, only PARAGRAPH_WORDS cut such captions, a question and its answer in one
    segment of 150 words.
    """
    timed = timed or {}
    estimate = not timed and _back_to_back(cues)
    turns: list[Turn] = []
    spoken_until = 0.0  # when the speech of the paragraph so far ended
    for i, (_, cue_body, cue_start, cue_end) in enumerate(cues):
        for body, start, end, spoken in _pieces(
            cue_body, cue_start, cue_end, timed.get(i), estimate=estimate
        ):
            prev = turns[-1] if turns else None
            paused = prev is not None and start - spoken_until > PARAGRAPH_PAUSE
            if prev is not None and not paused and count_words(prev.paragraphs[0]) < PARAGRAPH_WORDS:
                prev.paragraphs[0] = f"{prev.paragraphs[0]} {body}".strip()
                prev.end_time = end
            else:
                if paused and prev.end_time is not None:
                    prev.end_time = min(prev.end_time, spoken_until)
                turns.append(Turn(None, [body], start, end))
            spoken_until = spoken
    return turns


BACK_TO_BACK = 0.05  # seconds between cues that is no gap: YouTube's start 0 or 10 ms after the one before


def _back_to_back(cues: list[tuple[None, str, float, float]]) -> bool:
    """Whether the cues with text follow each other with no gap, three at least: their timing shows no
    pause (YouTube's automatic captions, each line lasting until the next starts)."""
    spoken = [(start, end) for _, body, start, end in cues if body.strip()]
    return len(spoken) >= 3 and all(b[0] - a[1] <= BACK_TO_BACK for a, b in itertools.pairwise(spoken))


def _scan_text(lines: list[str]) -> str:
    """The file's text with the header, cue numbers/ids and timing lines blanked (line numbers kept).

    Those are structure, not speech: a cue number next to a timing line is not a case number. But the
    speaker's name Webex writes in a cue identifier (`3 "Dana Whitfield" (2785123456)`) becomes the turn's
    label: it is kept, in its place, and only the numbers around it blanked.
    """
    out = list(lines)
    if out and out[0].startswith("WEBVTT"):
        out[0] = ""
    for i, line in enumerate(lines):
        if "-->" in line:
            out[i] = ""
            if i > 0 and lines[i - 1].strip():
                named = _NAMED_CUE.fullmatch(lines[i - 1].strip())
                if named is None:
                    out[i - 1] = ""
                else:
                    at = lines[i - 1].index(named.group(0)) + named.start(1)
                    out[i - 1] = " " * at + named.group(1)
    return "\n".join(out)
