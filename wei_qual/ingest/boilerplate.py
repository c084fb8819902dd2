"""Transcription-service boilerplate: header and footer lines that are metadata, never speech.

find_boilerplate(lines, first_label, markdown=...) names the lines to drop and the metadata worth keeping
(`title`, `date`, `service_keywords`). Lines anywhere in the file are dropped only when they can be
nothing but boilerplate (`Transcribed by https://otter.ai`, `Page 3 of 12`, `... stopped transcription`);
titles, dates and keyword lists are taken only from the header, before the first speaker label.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import lexicon

# TurboScribe's free exports open with "(Transcribed by TurboScribe.ai. Go Unlimited to remove this message.)".
SERVICES = (
    r"otter(?:\.ai)?|rev(?:\.com)?|descript(?:\.com)?|trint(?:\.com)?|sonix(?:\.ai)?|temi(?:\.com)?"
    r"|turboscribe(?:\.ai)?|happy\s?scribe(?:\.com)?"
)
_SERVICE_DOMAIN = re.compile(
    r"(?i)\b(?:otter\.ai|rev\.com|temi\.com|sonix\.ai|trint\.com|descript\.com|turboscribe\.ai|happyscribe\.com)\b"
)
_DAY = rf"(?:{lexicon.DAYS})[a-z]*\.?"
_MONTH = rf"(?:{lexicon.MONTHS})[a-z]*\.?"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
# A date as services and people write it: "January 24, 2024", "24 Jan 2024", "2024-01-24", "1/24/2024", "1/24",
# "12 de marzo de 2024".
DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+de\s+{_MONTH}(?:,?\s+del?\s+\d{{4}})?"
    rf"|\d{{4}}[-/]\d{{2}}[-/]\d{{2}}|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?)"
)
_DATE_IN = re.compile(rf"(?i)(?<![\w/]){DATE}(?![\w/])")
_DATE_LINE = re.compile(rf"(?i)(?:{_DAY},?\s+)?{DATE}(?:,?\s+(?:at\s+)?{_CLOCK})?")
# Otter: "Tue, 1/24 10:03AM • 45:12"; Teams: "January 24, 2024, 3:03PM". Printed to PDF, Otter's bullet
# may come out as another glyph or not at all ("Thu, 3/14 2:03PM  48:12"): after a clock, a space will do.
_OTTER_DATE = re.compile(
    rf"(?i)(?P<date>(?:{_DAY},?\s+)?{DATE}(?:,?\s+{_CLOCK})?)\s*[•·∙●|]\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?"
    rf"|(?P<clocked>(?:{_DAY},?\s+)?{DATE},?\s+{_CLOCK})\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?"
)
_DURATION = re.compile(
    r"(?i)(?:\d+\s*h(?:ours?)?\s*)?(?:\d+\s*m(?:in(?:utes?)?)?\s*)?\d+\s*s(?:ec(?:onds?)?)?"
)

# Lines that are boilerplate wherever they are (each compared with the whole stripped line).
_ANYWHERE = [
    re.compile(
        rf"(?i)[\[(]?(?:transcribed|transcription|transcript|generated|created|exported|powered|converted)"
        rf"\s+(?:by|with|using|on|from|via)\s+(?:https?://)?(?:www\.)?(?:{SERVICES})\b.{{0,200}}"
    ),
    re.compile(r"(?i)page\s+\d+\s+of\s+\d+"),  # Rev page footers
    re.compile(r"(?i)this transcript was exported on\b.{0,200}"),  # Rev
    re.compile(r"(?i).{1,80}\s(?:started|stopped|paused|resumed) transcription\.?"),  # Teams, Zoom
    # Sonix's advertising lines: "Convert P03.mp3 to text with Sonix.", "Sonix uses ... artificial ..."
    re.compile(
        r"(?i)(?=.*\bsonix\b)(?=.*\b(?:transcri\w*|audio|subtitl\w*|convert\w*|text|podcast\w*)\b).{1,300}"
    ),
    re.compile(r"(?i)meeting ended after \d{1,2}:\d{2}(?::\d{2})?\W*"),  # Google Meet
    re.compile(r"(?i)this editable transcript was computer generated and might contain errors\..{0,200}"),
    # A transcription service's mark where the recording starts or ends, a line of its own: `[END OF
    # AUDIO]` (Rev, TranscribeMe), `(END OF RECORDING)`, `[Beginning of recording]`.
    re.compile(
        r"(?i)[\[(]\s*(?:end|beginning|start)\s+of\s+(?:the\s+)?"
        r"(?:audio|recording|transcript|transcription|interview|tape|file)\s*[\])]\.?"
    ),
]
_COLUMN_GAP = re.compile(r"\s{3,}|\t")  # the gap between a footer's cells
_REV_TITLE = re.compile(r"(?i)(?P<title>.*?\S)\s*\(completed\s+\d{1,2}/\d{1,2}/\d{2,4}\)")
# An ATX heading: its text is the rest, less a closing run of #s (find_boilerplate strips them). A lazy text
# before optional spaces and #s took time cubic in a run of spaces in the heading (1,000 spaces 0.8 s, 2,000
# 6.5 s: a heading padded as a converted PDF pads it hung the reader).
_HEADING = re.compile(r"\s{0,3}(?P<hashes>#{1,6})(?:\s(?P<rest>.*)|#*\s*)$")
_RULE = re.compile(r"\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_KEYWORDS = re.compile(r"(?i)summary\s+keywords:?")
_SPEAKERS = re.compile(r"(?i)(?:speakers|attendees):?")  # Otter; Google Meet
_TRANSCRIPT_WORD = re.compile(rf"(?i)(?:{lexicon.TRANSCRIPT_HEADING})[:.]?")
# The recording's file name, as Word's Transcribe and other services head a transcript: `Interview 7.m4a`.
_RECORDING = re.compile(
    r"(?i)[^\\/:*?\"<>|]{1,120}\.(?:m4a|mp3|wav|aac|flac|ogg|oga|opus|wma|amr|3gp|mp4|m4v|mov|webm|mkv|avi|wmv)"
)
# Google Meet: "Title - 2024/03/12 14:02 CDT - Transcript". One space before the dash, so that a long
# run of spaces is not tried from each of its spaces.
_MEET_TITLE = re.compile(r"(?i)\s-\s+transcript$")
# noScribe (Whisper and pyannote, run offline; much used in research) writes under the title (the audio
# file's name) a paragraph of three lines: `Transcribed with noScribe vers. 0.7`, `Audio file: PATH` and its
# options in parentheses, `(Language: English (en) | Speaker detection: auto | ...)`.
_NOSCRIBE = re.compile(r"(?i)transcribed with noscribe(?: vers?\.? ?[\d.]+)?\.?")
NOSCRIBE_HEAD_LINES = 2  # the lines under it in its paragraph: the audio file and the options
_ATRAIN_HEAD = re.compile(r"(?i)transcription for \S[^.?!]{0,150}")
MAX_TITLE_WORDS = 15
MAX_BOILERPLATE_WORDS = 40  # a service line is short; a long line mentioning a service is speech


@dataclass
class Boilerplate:
    drop: set[int] = field(default_factory=set)  # indexes of the lines to drop
    metadata: dict[str, str] = field(default_factory=dict)  # title, date, service_keywords
    inert: set[int] = field(default_factory=set)  # dropped lines that can hold no personal data
    # Title lines with no date read as the title only by their shape (see find_boilerplate): said.
    title_lines: list[int] = field(default_factory=list)


# Service lines that name nobody ("Transcribed by https://otter.ai", "Page 3 of 12"): the PII scan may
# skip them. "Dana stopped transcription" names someone, and a Rev title can: those are scanned.
_INERT = [_ANYWHERE[0], _ANYWHERE[1], _ANYWHERE[2], *_ANYWHERE[4:]]


# Words without which a pattern cannot match a line of ASCII text (in lower case): the patterns that try
# the whole line (.* and lookaheads) are tried only on a line holding their word (speed). A line that is
# not ASCII is tried on every pattern: a case-insensitive one matches letters such as "ſ" for "s" there.
_NEEDS = {
    _ANYWHERE[3]: "transcription",
    _ANYWHERE[4]: "sonix",
    _REV_TITLE: "(completed",
    _SERVICE_DOMAIN: ".",
}
_ANYWHERE_NEEDS = [(p, _NEEDS.get(p, "")) for p in _ANYWHERE]


def _is_anywhere(line: str) -> bool:
    words = len(line.split())
    if words > MAX_BOILERPLATE_WORDS:
        return False
    if line.isascii():
        lowered = line.lower()
        tried = [p for p, need in _ANYWHERE_NEEDS if need in lowered]
        rev, domain = _NEEDS[_REV_TITLE] in lowered, _NEEDS[_SERVICE_DOMAIN] in lowered
    else:
        tried, rev, domain = _ANYWHERE, True, True
    if any(p.fullmatch(line) for p in tried) or (rev and _REV_TITLE.fullmatch(line)):
        return True
    # A short line that is mostly a service's address: "Visit https://www.temi.com", "otter.ai".
    if domain and words <= 8 and _SERVICE_DOMAIN.search(line):
        return True
    # A footer's cells on one line, as `pdftotext -layout` writes a Rev or Temi PDF's (`P07 (Completed
    # 03/14/24)` on the left, `Page 1 of 3` on the right): each cell boilerplate.
    if "   " in line or "\t" in line:
        cells = [c for c in _COLUMN_GAP.split(line) if c]
        return len(cells) > 1 and all(_is_anywhere(c) for c in cells)
    return False


def is_service_line(line: str) -> bool:
    """A line that is service boilerplate wherever it is (`Transcribed by https://otter.ai`, `Page 3 of 12`):
    dropped as such (find_boilerplate), never reported as a running page head (pages.running_heads)."""
    return _is_anywhere(line.strip())


def _date_of(text: str) -> str | None:
    m = _DATE_IN.search(text)
    return m.group(0).strip(" ,") if m else None


def find_boilerplate(
    lines: list[str],
    first_label: int | None,
    *,
    markdown: bool = False,
    markers: frozenset[int] = frozenset(),
    is_speaker: Callable[[str], bool] = lambda name: False,
) -> Boilerplate:
    """Which lines are service boilerplate, and the metadata they carry.

    `lines` are stripped of Markdown quote markers; `first_label` is the index of the first speaker label
    (None when the file has none: then only lines that are certainly boilerplate are dropped); `markers`
    are lines already read as time markers; `is_speaker` tells a name the file uses as a speaker label (a
    name alone over the turns is no title).
    """
    found = Boilerplate()
    meta = found.metadata

    def title(text: str) -> None:
        text = _MEET_TITLE.sub("", text.strip("*_").strip()).rstrip()
        if text and "title" not in meta:
            meta["title"] = text
            date = _date_of(text)
            if date and "date" not in meta:
                meta["date"] = date

    for i, line in enumerate(lines):
        if not line:
            continue
        if markdown:
            heading = _HEADING.match(line)
            if heading:  # Markdown headings title the document; they are not speech
                found.drop.add(i)
                text = (heading["rest"] or "").strip().rstrip("#").rstrip()
                if text and not _TRANSCRIPT_WORD.fullmatch(text):
                    title(text)
                continue
            if _RULE.match(line):
                found.drop.add(i)
                continue
        if _is_anywhere(line):
            found.drop.add(i)
            if any(p.fullmatch(line) for p in _INERT) and len(line.split()) <= MAX_BOILERPLATE_WORDS:
                found.inert.add(i)
            rev = _REV_TITLE.fullmatch(line)
            if rev and (first_label is None or i < first_label):
                title(rev["title"])

    # aTrain (Whisper with speaker detection, run offline, much used in research) heads each .txt it
    # writes with `Transcription for FILE` over a blank line, with speakers or without: in a file without,
    # nothing else told it from a first paragraph of speech, and it was coded as the participant's.
    first = next((i for i, line in enumerate(lines) if line), None)
    if (
        first is not None
        and first not in found.drop
        and _ATRAIN_HEAD.fullmatch(lines[first])
        and _stands_alone(lines, first)
    ):
        found.drop.add(first)
        title(lines[first])
    for i, line in enumerate(lines[: len(lines) if first_label is None else first_label]):
        if _NOSCRIBE.fullmatch(line):
            found.drop.add(i)
            found.inert.add(i)
            for j in range(i + 1, min(i + 1 + NOSCRIBE_HEAD_LINES, len(lines))):
                if not lines[j]:
                    break
                found.drop.add(j)  # scanned: the audio file's path may hold a name
            # Its title, the audio file's name, is the paragraph over it, the file's first line.
            above = [k for k in range(i) if lines[k]]
            if (
                len(above) == 1
                and _stands_alone(lines, above[0])
                and len(lines[above[0]].split()) <= MAX_TITLE_WORDS
            ):
                found.drop.add(above[0])
                title(lines[above[0]])
            break
    if first_label is None:
        return found
    # The header: lines before the first speaker label.
    header = [i for i in range(first_label) if lines[i] and i not in found.drop and i not in markers]
    titled: list[int] = []  # a title line read by its place (the header's first, standing alone)
    k = 0
    while k < len(header):
        i = header[k]
        line = lines[i]
        k += 1
        otter = _OTTER_DATE.fullmatch(line)
        if otter or _DATE_LINE.fullmatch(line):
            found.drop.add(i)
            meta.setdefault("date", (otter["date"] or otter["clocked"] if otter else line).strip(" ,"))
        elif _DURATION.fullmatch(line) and any(c.isdigit() for c in line):
            found.drop.add(i)
        elif _KEYWORDS.fullmatch(line) or _SPEAKERS.fullmatch(line):
            # Otter: the heading, then its list on the next line (the next paragraph in a .docx).
            found.drop.add(i)
            if k < len(header) and not (
                _KEYWORDS.fullmatch(lines[header[k]]) or _SPEAKERS.fullmatch(lines[header[k]])
            ):
                listed = lines[header[k]]
                found.drop.add(header[k])
                k += 1
                if _KEYWORDS.fullmatch(line):
                    meta["service_keywords"] = ", ".join(w.strip() for w in listed.split(",") if w.strip())
        elif _TRANSCRIPT_WORD.fullmatch(line):
            found.drop.add(i)
        elif _RECORDING.fullmatch(line) and len(line.split()) <= MAX_TITLE_WORDS:  # a recording's file name
            found.drop.add(i)
            title(line)
        elif (
            i == header[0]
            and "title" not in meta
            and _looks_like_title(line)
            and _stands_alone(lines, i)
            and not _said_after_a_name(line)
        ):
            found.drop.add(i)  # a title line
            title(line)
            titled.append(i)
            if _NAME_COLON.match(line.strip("*_").strip()):
                # `Interview 3: Officer Dana` is shaped as `Dana Lopez: Thanks for joining` is, a turn of
                # someone heard once: only its words tell, so it is said.
                found.title_lines.append(i)
    # What is left over the first label: a title and a subtitle with the date in it, with no blank line
    # between them or before the first turn (`Crisis Response Study – Interview Transcript` over
    # `P12 – Patrol Sergeant – 21 March 2024`, as Word saves them). The date tells them from a first turn
    # said without a label.
    left = [i for i in header if i not in found.drop]
    if 0 < len(left) <= MAX_HEAD_LINES and all(_title_line(lines[i]) for i in left):
        dates = [d for d in map(_date_of, (lines[i] for i in left)) if d]
        if dates:
            found.drop.update(left)
            title(lines[left[0]])
            meta.setdefault("date", dates[0])
        elif len(left) <= MAX_UNDATED_TITLE_LINES and all(
            _title_case(lines[i]) and not is_speaker(lines[i].strip("*_").strip()) for i in left
        ):
            # No date: a study's name over the interview's (`Crisis Stabilization Unit Study` over `Interview
            # with Site B Provider`), each line in title case, is the title, both lines joined; under a
            # title line read above, they go on with it. Said, since only their shape tells.
            found.drop.update(left)
            found.title_lines = sorted({*titled, *left})
            parts = [meta.pop("title")] if titled and "title" in meta else []
            title(TITLE_JOIN.join([*parts, *(lines[i].strip("*_").strip() for i in left)]))
        elif (
            len(left) <= MAX_UNDATED_TITLE_LINES
            and left == list(range(left[0], first_label))
            and all(_heading_over_turn(lines[i], is_speaker) for i in left)
        ):
            # A title typed straight over the first turn, no blank line between (`Interview 14: Deputy,
            # rural county` over `Interviewer: ...`): not title case, and shaped as a turn of someone heard
            # once when it has a colon, so it was a segment of no one's that coders were given, said only
            # when over a tenth of the words. Words that are said (the first or second person, a greeting
            # or an answer) stay a turn; the rest is the title, said, since only its shape tells.
            found.drop.update(left)
            found.title_lines = sorted({*titled, *left})
            parts = [meta.pop("title")] if titled and "title" in meta else []
            title(TITLE_JOIN.join([*parts, *(lines[i].strip("*_").strip() for i in left)]))
    return found


def _heading_over_turn(line: str, is_speaker: Callable[[str], bool]) -> bool:
    """A line over the first turn that is a heading, not words said: short, no sentence in it, no greeting,
    answer, first or second person, and not a name alone that the file uses as a speaker label (a name
    before a colon there is one heard once: a speaker heard again starts the turns above it)."""
    text = line.strip("*_").strip()
    return (
        "\t" not in text  # a table's header row saved as text
        and _title_line(text)
        and not _said_after_a_name(text)
        and not _SPOKEN.search(text)
        and not _ONE_WORD_ANSWER.fullmatch(text.split()[0].strip(",.!?"))
        and not is_speaker(text)
    )


# A line that opens as a label would: `Name: text` (`Crisis response study: site 2`, `Dana Lopez: Thanks`).
# Its colon is followed by a space (or full width): not a clock's `14:02`.
_NAME_COLON = re.compile(r"(?P<name>[^:：]{1,60}?)\s*(?::\s+|：\s*)(?P<rest>\S.*)")
_ONE_WORD_ANSWER = re.compile(lexicon.ONE_WORD_ANSWER)
_SPOKEN = re.compile(rf"{lexicon.FIRST_PERSON}|(?i:\byou(?:['’](?:re|ve|d|ll))?\b)")


def _said_after_a_name(line: str) -> bool:
    """A line opening like a label whose words are said, not a title's: a greeting, an answer, the first
    or second person ("Dana Lopez: Thanks for joining", "P07: I was on nights", "Sam: You can start"). A
    one-off speaker's first turn, which was taken for the title and left out without a word."""
    m = _NAME_COLON.fullmatch(line.strip("*_").strip())
    if not m:
        return False
    first = m["rest"].split()[0].strip(",.!?")
    return first.lower() in _GREETING or bool(_ONE_WORD_ANSWER.fullmatch(first) or _SPOKEN.search(m["rest"]))


def _title_line(line: str) -> bool:
    """A line of a title: short, no sentence in it ("Okay. So on 3/14 we went out" is said), not opening
    with a greeting or a filler word ("So on 21 March 2024 we had")."""
    text = line.strip("*_").strip()
    first = text.split()[0].lower().strip(",.!") if text else ""
    plain = _TITLE_ABBREVIATION.sub("", text)  # "Interview with Dr. Lee": no sentence ends there
    return _looks_like_title(text) and not re.search(r"[.?!;]\s", plain) and first not in _GREETING


MAX_UNDATED_TITLE_LINES = 2
TITLE_JOIN = " – "  # two title lines, as one title
# The small words a title leaves in lower case ("Interview with Site B Provider", "Estudio de la Unidad").
_TITLE_SMALL = frozenset(
    "a an and as at by for from in into of on or over the to under with about after before between "  # noqa: SIM905
    "de del la las el los y en con para por sobre e o".split()
)


def _title_case(line: str) -> bool:
    """A line in title case, as a title is set ("Crisis Stabilization Unit Study", "INTERVIEW WITH SITE B"):
    its first word and all but its small words capitalised, at least two words, never a speaker's sentence
    ("Before we start I want to say"); no colon (a label's, or a key's) nor tab (a table's cells) in it."""
    words = line.strip("*_").split()
    return (
        len(words) >= 2
        and ":" not in line
        and "\t" not in line  # a table's header row saved as text
        and _capital(words[0])
        and all(_capital(w) or w.lower() in _TITLE_SMALL for w in words[1:])
    )


def _capital(word: str) -> bool:
    # Cased scripts only (`Исследование`, `Μελέτη` are capitals too): in a script without capitals
    # (Hebrew, Arabic) every word would pass, and any short sentence over the turns be taken for a title.
    return word[:1].isupper() or word[:1].isdigit() or word in ("–", "—", "-", "&", "/")


_TITLE_ABBREVIATION = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|Sgt|Lt|Capt|Cpl|Det|Dep|Ofc|St|No|vs)\.")


def listed_speakers(lines: list[str], first_label: int) -> list[str]:
    """The names a service lists over the turns, Otter's `SPEAKERS` and Google Meet's `Attendees` (the
    heading, then the names on the next line, comma-separated): each took part, so its label counts even
    when heard once. Only the lines before `first_label` (the header) are looked at."""
    header = [line for line in lines[:first_label] if line]
    names: list[str] = []
    for k, line in enumerate(header[:-1]):
        if _SPEAKERS.fullmatch(line) and not _KEYWORDS.fullmatch(header[k + 1]):
            names.extend(n.strip() for n in header[k + 1].split(",") if n.strip())
    return names


def _stands_alone(lines: list[str], i: int) -> bool:
    """The line is a paragraph of its own, or the next line is service metadata (Otter's date line)."""
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    return not nxt or bool(
        _OTTER_DATE.fullmatch(nxt)
        or _DATE_LINE.fullmatch(nxt)
        or _KEYWORDS.fullmatch(nxt)
        or _SPEAKERS.fullmatch(nxt)
    )


def _looks_like_title(line: str) -> bool:
    """A short line that is not a sentence: "Interview with P09", "Crisis response interview 3"."""
    text = line.strip("*_").strip()
    return 0 < len(text.split()) <= MAX_TITLE_WORDS and not re.search(r"[.?!,;:]$", text)


# A cover sheet: "Key: value" lines over the transcript (Word templates and transcribers' forms put one
# there): `Date: 12 March 2024`, `Interviewer: Maya Lindqvist`, `Participant: P07`, `Duration: 48 min`.
# Read as turns, `Participant: P07` became a participant's coded unit and `Interviewer: Maya Lindqvist`
# an interviewer's.
_BOLD = re.compile(r"\*\*|__")  # `**Date:** 2024-03-14`
_BULLET = re.compile(r"^[-*+•]\s+")
_COVER_LINE = re.compile(r"(?P<key>[^\W\d_][\w .'’/()#&-]{0,40}?)\s*:\s*(?P<value>.*)")
# A cover table's row as text: its two cells apart by a tab (Word's "Save as Plain Text", a PDF's wide gap)
# or by two spaces or more (a layout-keeping PDF-to-text), no colon: `Interview ID<tab>P07`.
# The value starts with no space: when it could, the gap and the value tried every split of a long run of
# spaces between them (a line padded with 20,000 before a tab took 49 s).
_TABLE_LINE = re.compile(
    r"(?P<key>[^\W\d_][\w .'’/()#&-]{0,40}?)(?:[ ]*\t[ \t]*| {2,})(?P<value>\S(?:[^\t]*\S)?)"
)
# A speaker's name and a time, as Otter and others write a label over the turn: `Interviewer  0:04`.
_NAME_AND_TIME = re.compile(r"(?P<name>.*[^:\s])\s+[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?")
# Words of a title over a later session's cover: "Follow-up interview", "Session 2", "Part II".
_SESSION_WORD = re.compile(
    r"(?i)\b(?:interviews?|session|follow[- ]?up|transcript|part|wave|round|visit|recording|meeting|continued)\b"
)
_RULE_LINE = re.compile(r"[=_*~-]{3,}")
_KEY_WORD = re.compile(r"[a-z]+|\d+|#")
# The words of a cover's keys, and the keys that name a speaker: lexicon (English and Spanish, compared
# with their accents folded).
_COVER_WORDS = lexicon.COVER_WORDS
_CORE_WORDS = lexicon.CORE_WORDS  # a cover needs a line keyed by one of these
_SESSION_KEY_WORDS = lexicon.SESSION_KEY_WORDS  # keys only an interview's cover has
_FREE_TEXT = lexicon.FREE_TEXT_WORDS  # any length
# Keys that name a speaker: their value names people (or ids, initials, a redaction), never words said.
_SPEAKER_KEY_RE = re.compile(lexicon.SPEAKER_KEY)


def _speaker_key(key: str) -> re.Match | None:
    """The match of a key that names a speaker (`Interviewer`, `Entrevistado/a`, `Intérprete`), or None."""
    return _SPEAKER_KEY_RE.fullmatch(lexicon.fold(key))


_NAME_WORD = re.compile(r"(?:[A-Z][\w'’-]*\.?|de|del|della|da|di|van|von|der|den|la|le|du|bin|al)")
_ID_VALUE = re.compile(r"[A-Z]{1,4}\d{0,3}[-_ ]?[A-Z]{0,3}\d{1,4}[A-Za-z]?|[A-Z]{2,3}|\[[^\]]{1,40}\]")
_NO_ONE = frozenset(("", "n/a", "na", "none", "-", "–", "—", "tbc"))
# First words of a greeting or a reply in capitals ("Good Morning Officer Reyes", "Right Then"): said.
_GREETING = lexicon.GREETING
_CREDENTIAL = re.compile(r",\s*(?:[A-Z][A-Za-z.]{1,5})(?:\s*,\s*[A-Z][A-Za-z.]{1,5})*$")  # ", PhD", ", MSW"
_ASIDE = re.compile(r"\s*\(([^)]{0,60})\)")  # "(ML)", "(patrol officer)"
MAX_COVER_VALUE_WORDS = 12
MAX_HEAD_LINES = 4  # title, subtitle, date, duration, a rule: over the keyed lines


# The role a cover's `Interpreter:` or `Translator:` gives a speaker: no role of the models', since an
# interpreter voices both sides (roles.infer_roles leaves their turns to review).
COVER_INTERPRETER = "interpreter"


@dataclass
class Cover:
    lines: list[int]  # indexes of the cover's lines (keyed lines and a note's continuation lines)
    title: str | None = None
    head: list[int] = field(default_factory=list)  # title, date and rule lines over the keyed ones
    # Speakers the cover names by a label the file uses (`Interviewer: Maya Lindqvist (ML)`, then
    # `ML: ...`): their role, "interviewer", "participant" or COVER_INTERPRETER.
    roles: dict[str, str] = field(default_factory=dict)
    date: str | None = None
    keys: list[str] = field(default_factory=list)  # its keys that name no speaker (`Date`, `Session`)
    # It marks a session: a rule or a title naming the session over it, or a key only an interview's
    # cover has (`Interviewer`, `Session`, `Interview ID`).
    session: bool = False


def _speaker_names(value: str, is_speaker: Callable[[str], bool], *, numbered: bool) -> list[str] | None:
    """The people and aliases a speaker key's value names (`Maya Lindqvist (ML)`, `Maya Lindqvist, PhD`,
    `P07 – patrol officer`, `Dana Whitfield and Lee Park`, `[NAME]`, `N/A`), or None when it is not names:
    one word only when the file uses it as a label. A numbered key (`Participant 1: Patrol officer`) may
    describe its speaker instead."""
    if value.lower() in _NO_ONE:
        return []
    aliases = [a.strip() for a in _ASIDE.findall(value) if a.strip()]
    bare = _ASIDE.sub("", value)
    bare = re.split(r"\s+[–—-]\s+", bare, maxsplit=1)[0]  # "P07 – Patrol Officer, 11 yrs"
    bare = _CREDENTIAL.sub("", bare.strip())
    names = []
    for part in (p.strip() for p in re.split(r",|\s+(?:and|&)\s+|/", bare)):
        words = part.split()
        if _ID_VALUE.fullmatch(part) or (part and is_speaker(part)):
            names.append(part)
        elif (
            2 <= len(words) <= 4
            and all(_NAME_WORD.fullmatch(w) for w in words)
            and words[0].lower().strip(",.!") not in _GREETING
            and not (words[-1].endswith(".") and len(words[-1]) > 3 and words[-1] not in ("Jr.", "Sr."))
        ):  # "Morning Sarah." and "Right Then" are said; "Sgt. Dan Ruiz", "Lee K." are names
            names.append(part)
        elif numbered and 0 < len(words) <= 6 and not value.rstrip().endswith((".", "?", "!")):
            return []  # "Participant 1: Patrol officer": who the label is, not a name to match
        else:
            return None
    return names + [a for a in aliases if is_speaker(a)]


def _plain_key(key: str) -> tuple[bool, bool]:
    """(every word of the key is a cover word, one of them is a core word)."""
    words = _KEY_WORD.findall(lexicon.fold(key))
    return bool(words) and all(w in _COVER_WORDS or w.isdigit() for w in words), bool(
        _CORE_WORDS & set(words)
    )


def is_cover_key(key: str) -> bool:
    """The key of a cover's line: made of cover words (`Interview ID`), or naming a speaker."""
    key = key.strip().rstrip(":").strip()
    return len(key.split()) <= 4 and bool(_speaker_key(key) or _plain_key(key)[0])


def _keyed(line: str) -> tuple[str, str, bool] | None:
    """(key, value, in a table's shape) of a line that may be a cover's: `Key: value`, or a table's two
    cells with a tab or two spaces or more between them and no colon (`Interview ID<tab>P07`: a cover
    table saved as text, or printed to PDF) when the key is a cover key."""
    # Only a line that ends as a time can be one: the regex's `.*` would try every length of a long turn.
    timed = _NAME_AND_TIME.fullmatch(line) if line[-1:].isdigit() or line[-1:] in ")]" else None
    if timed and _speaker_key(timed["name"].strip()):
        return None  # `Interviewer  0:04` labels a turn (`Start  10:05` may be a cover's)
    m = _COVER_LINE.fullmatch(line)
    if m:
        return m["key"].strip(), m["value"].strip(), False
    m = _TABLE_LINE.fullmatch(line)
    if m is None or not is_cover_key(m["key"]):
        return None
    return m["key"].strip(), m["value"].strip(), True


def _head_line(line: str) -> tuple[bool, bool]:
    """(the line can sit over a cover's keyed lines, it is itself cover evidence: a date or duration)."""
    if _RULE_LINE.fullmatch(line):
        return True, False
    if _OTTER_DATE.fullmatch(line) or _DATE_LINE.fullmatch(line):
        return True, True
    if _DURATION.fullmatch(line) and any(c.isdigit() for c in line):
        return True, True
    return _looks_like_title(line) and _keyed(_BOLD.sub("", line)) is None, False


def find_cover(lines: list[str], is_speaker: Callable[[str], bool]) -> Cover | None:
    """The cover sheet at the top of a transcript, or None.

    Over it, up to MAX_HEAD_LINES title, date, duration or rule lines; then only `Key: value` lines (or
    a table's `Key<tab>value`: see _keyed; blank lines between them allowed, and the lines that continue
    a `Notes:`): at least two, and at least one of them naming no speaker (`Date:`, `Location:`,
    `Interview ID:`), or a date or duration over them (alone or in a title: `Interview – 12 March 2024`).
    A key naming no speaker is made only of cover words ("Site Lead" is a speaker); a key naming a speaker
    (`Interviewer`, `Interviewee 2`, `Interpreter`) has names, ids, initials or a redaction as its value,
    never words said ("Morning Sarah."). Something must follow the cover.

    `lines` are the stripped lines without markup; `is_speaker` tells a name the file uses as a speaker
    label, or its id."""
    shown = [i for i, line in enumerate(lines) if line]
    cover = _read_cover(lines, shown, 0, is_speaker, later=False)
    if cover is None:
        return None
    titles = [lines[i].lstrip("#").strip().strip("*_").strip() for i in cover.head]
    cover.title = next(
        (t for t in titles if _head_line(t) == (True, False) and not _RULE_LINE.fullmatch(t)), None
    )
    for i in cover.head:
        if _head_line(lines[i].lstrip("#").strip())[1] and cover.date is None:
            cover.date = lines[i].strip(" ,")
    if cover.date is None and cover.title:  # "Interview with P07 – 12 March 2024"
        cover.date = _date_of(cover.title)
    return cover


def find_later_covers(
    lines: list[str],
    is_speaker: Callable[[str], bool],
    start: int,
    label_lines: Callable[[str], Iterable[int]],
    starts_turn: Callable[[int], bool],
) -> tuple[list[Cover], list[Cover]]:
    """The cover sheets of later sessions: a follow-up interview appended to the first, its cover after a
    blank line or a rule (`-----`), under a rule, a date, or a title that names a session (`Follow-up
    interview`, `Session 2`), as find_cover reads one (the same keys and values, at least two keyed
    lines, one of them a date, a place, an interview or an id), looked for from line `start` (after the
    first session's first turn).

    A participant may read out a form or a record in their turn (`Name:`, `Date:`, `Location:`), so such
    a cover must mark a session boundary: a rule or a title naming the session over it, or a key only an
    interview's cover has (`Interviewer`, `Interviewee`, `Session`, `Interview ID`); and a turn must start
    right after it (`starts_turn`: a label the file uses, or a time mark; or a label the cover names, or a
    rule): text with no label after it is the speaker before going on, and the block is what they said.
    Never one after a line that ends with a colon (`The form said:` introduces what follows), nor one
    whose plain key (`Date`) `label_lines` finds starting a line elsewhere, outside every cover: a label
    the file uses for turns.

    Returns the covers, and the blocks read as covers that mark no session (`Date:` and `Location:`
    alone over a turn): those stay in the turn before them, as a form read out would, and are said."""
    shown = [i for i, line in enumerate(lines) if line]
    covers: list[Cover] = []
    unmarked: list[Cover] = []

    def turn_follows(cover: Cover) -> bool:
        k = bisect.bisect_right(shown, max(cover.lines))
        if k == len(shown):
            return False
        after = shown[k]
        found = _keyed(_BOLD.sub("", lines[after]))
        named = {name.lower() for name in cover.roles}
        return (
            starts_turn(after)
            or bool(_RULE_LINE.fullmatch(lines[after].lstrip("#").strip()))
            or (found is not None and found[0].lower() in named)
        )

    def cover_keyed(i: int) -> bool:
        """Whether line i is a `Key: value` line with a cover's key, as _read_cover takes one: a speaker's
        key with a short value, or a cover word's."""
        head = lines[i][:60]  # a key is short: no colon, tab or wide gap near the start, no key
        if ":" not in head and "\t" not in head and "  " not in head:
            return False
        found = _keyed(_BULLET.sub("", _BOLD.sub("", lines[i])))
        key, value, _ = found or ("", "", False)
        return (
            found is not None
            and len(key.split()) <= 4
            and not value.endswith(("?", "!"))
            and (
                bool(_speaker_key(key)) and len(value.split()) <= MAX_COVER_VALUE_WORDS or _plain_key(key)[0]
            )
        )

    # For each of `shown`'s positions, the nearest one at or below it holding a cover-keyed line.
    nearest = [len(shown)] * (len(shown) + 1)
    for m in range(len(shown) - 1, bisect.bisect_left(shown, start) - 1, -1):
        nearest[m] = m if cover_keyed(shown[m]) else nearest[m + 1]

    j = bisect.bisect_left(shown, start)
    while j < len(shown):
        i = shown[j]
        before = shown[j - 1] if j else None
        after_break = i == 0 or not lines[i - 1] or _RULE_LINE.fullmatch(lines[i - 1].lstrip("#").strip())
        # A cover's first keyed line comes at most MAX_HEAD_LINES below its start: without one there,
        # no cover starts here (most paragraphs of an interview), and reading one is not tried.
        if (
            (after_break or _RULE_LINE.fullmatch(lines[i].lstrip("#").strip()))
            and not (before is not None and lines[before].rstrip("*_ ").endswith(":"))
            and nearest[j] <= j + MAX_HEAD_LINES
        ):
            cover = _read_cover(lines, shown, j, is_speaker, later=True)
            if cover is not None and turn_follows(cover):
                (covers if cover.session else unmarked).append(cover)
                j = bisect.bisect_right(shown, max(cover.lines))
                continue
        j += 1
    while True:  # a cover left as turns makes its keys labels the others' keys must not be
        covered = {i for cover in covers for i in (*cover.head, *cover.lines)}
        kept = [c for c in covers if not any(set(label_lines(key)) - covered for key in c.keys)]
        if len(kept) == len(covers):
            break
        covers = kept
    unmarked = [
        c
        for c in unmarked
        if not any(set(label_lines(key)) - covered - {*c.head, *c.lines} for key in c.keys)
    ]
    return covers, unmarked


def _session_title(line: str) -> bool:
    """A title over a later session's cover: it names the session, or is a Markdown heading."""
    return line.startswith("#") or bool(_SESSION_WORD.search(line))


def _read_cover(lines: list[str], shown: list[int], start: int, is_speaker, *, later: bool) -> Cover | None:
    """The cover whose first line is shown[start] (see find_cover), without its title and date; None
    when none starts there. A `later` cover's title must follow a rule or name a session."""
    cover = Cover([])
    evidence = ruled = False
    k = start
    while k < min(len(shown), start + MAX_HEAD_LINES):
        text = lines[shown[k]].lstrip("#").strip()
        fits, dated = _head_line(text)
        ruled_now = bool(_RULE_LINE.fullmatch(text))
        named = fits and not dated and not ruled_now and _session_title(lines[shown[k]])
        if fits and later and not (dated or ruled_now or ruled or named):
            break  # a short line of the turn before: "And that was it"
        if not fits:
            break
        ruled |= ruled_now
        cover.session |= ruled_now or named
        # A date, or a title with a date in it ("Follow-up interview – 14 March 2024").
        evidence |= dated or (not ruled_now and _DATE_IN.search(text) is not None)
        k += 1
    cover.head = shown[start:k]
    keyed, free, followed = 0, False, False
    tabled: set[int] = set()  # the cover's lines in a table's shape
    for i in shown[k:]:
        text = _BULLET.sub("", _BOLD.sub("", lines[i]))
        found = _keyed(text)
        key, value, table = found if found else ("", "", False)
        speaker_key = _speaker_key(key) if found else None
        plain, core = _plain_key(key) if found else (False, False)
        if not (speaker_key or plain):
            # The next line of a note, with no blank line before it; a speaker's labelled turn never is.
            if free and i - 1 in cover.lines and not (found and is_speaker(key)):
                cover.lines.append(i)
                continue
            # A table's row with an empty value cell (`Observer`), between two of its rows.
            below = _keyed(_BOLD.sub("", lines[i + 1])) if i + 1 < len(lines) and lines[i + 1] else None
            if i - 1 in tabled and below is not None and below[2] and is_cover_key(text):
                cover.lines.append(i)
                tabled.add(i)
                continue
            followed = True
            break
        if table:
            tabled.add(i)
        free = False
        if len(key.split()) > 4 or value.endswith(("?", "!")):
            followed = True
            break
        if speaker_key and not core:
            if len(value.split()) > MAX_COVER_VALUE_WORDS:
                followed = True
                break
            names = _speaker_names(value, is_speaker, numbered=any(c.isdigit() for c in key))
            if names is None:
                followed = True
                break
            # An interpreter voices both sides: named so, they are neither (roles.infer_roles leaves them
            # to review), and the others' roles are weighed without their turns.
            role = (
                COVER_INTERPRETER
                if speaker_key["voice"]
                else "participant"
                if speaker_key["participant"]
                else "interviewer"
            )
            cover.roles.update({name: role for name in names if is_speaker(name)})
        else:
            free = bool(_FREE_TEXT & set(_KEY_WORD.findall(lexicon.fold(key))))
            if not free and len(value.split()) > MAX_COVER_VALUE_WORDS:
                followed = True
                break
            evidence |= core
            cover.keys.append(key)
            if cover.date is None and re.search(r"\b(?:date|fecha)\b", lexicon.fold(key)):
                cover.date = _date_of(value) or value or None
        keyed += 1
        cover.lines.append(i)
        cover.session |= bool(speaker_key or _SESSION_KEY_WORDS & set(_KEY_WORD.findall(lexicon.fold(key))))
    if keyed < 2 or not evidence or not followed:
        return None  # a cover sits over a transcript: something must follow it
    return cover
