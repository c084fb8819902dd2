"""Transcription-service boilerplate: header and footer lines that are metadata, never speech.

find_boilerplate(lines, first_label, markdown=...) names the lines to drop and the metadata worth keeping
(`title`, `date`, `service_keywords`). Lines anywhere in the file are dropped only when they can be
nothing but boilerplate (`Transcribed by https://otter.ai`, `Page 3 of 12`, `... stopped transcription`);
titles, dates and keyword lists are taken only from the header, before the first speaker label.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

SERVICES = r"otter(?:\.ai)?|rev(?:\.com)?|descript(?:\.com)?|trint(?:\.com)?|sonix(?:\.ai)?|temi(?:\.com)?"
_SERVICE_DOMAIN = re.compile(r"(?i)\b(?:otter\.ai|rev\.com|temi\.com|sonix\.ai|trint\.com|descript\.com)\b")
_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
# A date as services and people write it: "January 24, 2024", "24 Jan 2024", "2024-01-24", "1/24/2024", "1/24".
DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}"
    rf"|\d{{4}}[-/]\d{{2}}[-/]\d{{2}}|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?)"
)
_DATE_IN = re.compile(rf"(?i)(?<![\w/]){DATE}(?![\w/])")
_DATE_LINE = re.compile(rf"(?i)(?:{_DAY},?\s+)?{DATE}(?:,?\s+(?:at\s+)?{_CLOCK})?")
# Otter: "Tue, 1/24 10:03AM • 45:12"; Teams: "January 24, 2024, 3:03PM".
_OTTER_DATE = re.compile(
    rf"(?i)(?P<date>(?:{_DAY},?\s+)?{DATE}(?:,?\s+{_CLOCK})?)\s*[•·|]\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?"
)
_DURATION = re.compile(
    r"(?i)(?:\d+\s*h(?:ours?)?\s*)?(?:\d+\s*m(?:in(?:utes?)?)?\s*)?\d+\s*s(?:ec(?:onds?)?)?"
)

# Lines that are boilerplate wherever they are (each compared with the whole stripped line).
_ANYWHERE = [
    re.compile(
        rf"(?i)(?:transcribed|transcription|transcript|generated|created|exported|powered|converted)"
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
]
_REV_TITLE = re.compile(r"(?i)(?P<title>.*?\S)\s*\(completed\s+\d{1,2}/\d{1,2}/\d{2,4}\)")
_HEADING = re.compile(r"\s{0,3}(?P<hashes>#{1,6})(?:\s+(?P<text>.*?))?\s*#*\s*$")
_RULE = re.compile(r"\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_KEYWORDS = re.compile(r"(?i)summary\s+keywords:?")
_SPEAKERS = re.compile(r"(?i)(?:speakers|attendees):?")  # Otter; Google Meet
_TRANSCRIPT_WORD = re.compile(r"(?i)(?:transcript|transcription|interview transcript)[:.]?")
# Google Meet: "Title - 2024/03/12 14:02 CDT - Transcript". One space before the dash, so that a long
# run of spaces is not tried from each of its spaces.
_MEET_TITLE = re.compile(r"(?i)\s-\s+transcript$")
MAX_TITLE_WORDS = 15
MAX_BOILERPLATE_WORDS = 40  # a service line is short; a long line mentioning a service is speech


@dataclass
class Boilerplate:
    drop: set[int] = field(default_factory=set)  # indexes of the lines to drop
    metadata: dict[str, str] = field(default_factory=dict)  # title, date, service_keywords
    inert: set[int] = field(default_factory=set)  # dropped lines that can hold no personal data


# Service lines that name nobody ("Transcribed by https://otter.ai", "Page 3 of 12"): the PII scan may
# skip them. "Dana stopped transcription" names someone, and a Rev title can: those are scanned.
_INERT = [_ANYWHERE[0], _ANYWHERE[1], _ANYWHERE[2], *_ANYWHERE[4:]]


def _is_anywhere(line: str) -> bool:
    if len(line.split()) > MAX_BOILERPLATE_WORDS:
        return False
    if any(p.fullmatch(line) for p in _ANYWHERE) or _REV_TITLE.fullmatch(line):
        return True
    # A short line that is mostly a service's address: "Visit https://www.temi.com", "otter.ai".
    return bool(_SERVICE_DOMAIN.search(line)) and len(line.split()) <= 8


def _date_of(text: str) -> str | None:
    m = _DATE_IN.search(text)
    return m.group(0).strip(" ,") if m else None


def find_boilerplate(
    lines: list[str],
    first_label: int | None,
    *,
    markdown: bool = False,
    markers: frozenset[int] = frozenset(),
) -> Boilerplate:
    """Which lines are service boilerplate, and the metadata they carry.

    `lines` are stripped of Markdown quote markers; `first_label` is the index of the first speaker label
    (None when the file has none: then only lines that are certainly boilerplate are dropped); `markers`
    are lines already read as time markers.
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
                if heading["text"] and not _TRANSCRIPT_WORD.fullmatch(heading["text"]):
                    title(heading["text"])
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

    if first_label is None:
        return found
    # The header: lines before the first speaker label.
    header = [i for i in range(first_label) if lines[i] and i not in found.drop and i not in markers]
    k = 0
    while k < len(header):
        i = header[k]
        line = lines[i]
        k += 1
        otter = _OTTER_DATE.fullmatch(line)
        if otter or _DATE_LINE.fullmatch(line):
            found.drop.add(i)
            meta.setdefault("date", (otter["date"] if otter else line).strip(" ,"))
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
        elif i == header[0] and "title" not in meta and _looks_like_title(line) and _stands_alone(lines, i):
            found.drop.add(i)
            title(line)
    return found


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
_COVER_LINE = re.compile(r"(?P<key>[A-Za-z][A-Za-z .'’/()#&-]{0,40}?)\s*:\s*(?P<value>.*)")
# Keys that name no speaker: a cover holds at least one, so two real turns never make a cover.
_COVER_KEY = re.compile(
    r"(?i)\b(?:date|time|duration|length|location|place|site|venue|mode|format|medium|platform|recorded|"
    r"recording|audio|file|transcri\w*|project|study|interview\s*(?:no|number|#)|id|no|number|code|"
    r"pseudonym|language|agency|organi[sz]ation|department|county|region)\b\.?"
)
# Keys that name a speaker: their value must be a name, an id or a redaction, never words said.
_SPEAKER_KEY = re.compile(
    r"(?i)(?:lead\s+|co-?)?(?:(?P<participant>interviewees?|participants?|respondents?)|interviewers?|"
    r"moderators?|facilitators?|researchers?|investigators?|note-?takers?|observers?)"
)
_NAME_WORD = re.compile(r"(?:[A-Z][\w'’.-]*|de|del|della|da|di|van|von|der|den|la|le|du|bin|al|[A-Z]\.)")
_ID_VALUE = re.compile(r"[A-Z]{1,4}[-_ ]?\d{1,4}[A-Za-z]?|[A-Z]{2,3}|\[[^\]]{1,40}\]")
MAX_COVER_VALUE_WORDS = 12


@dataclass
class Cover:
    lines: list[int]  # indexes of the cover's "Key: value" lines
    title: str | None = None
    title_line: int | None = None
    # Speakers the cover names by a label the file uses (`Interviewer: Maya Lindqvist`, then
    # `Maya Lindqvist: ...`): their role, "interviewer" or "participant".
    roles: dict[str, str] = field(default_factory=dict)
    date: str | None = None


def _speaker_names(value: str, is_speaker: Callable[[str], bool]) -> list[str] | None:
    """The people a cover's value names (`Maya Lindqvist`, `P07`, `ML`, `[NAME]`, `Dana Whitfield, Lee
    Park`), or None when it is not names: a single word only when the file uses it as a label
    (`Interviewer: Maya`, then `Maya: ...`)."""
    parts = [p.strip() for p in re.split(r",|\s+(?:and|&)\s+|/", value)]
    if not all(parts):
        return None
    for part in parts:
        words = part.split()
        if _ID_VALUE.fullmatch(part) or is_speaker(part):
            continue
        if not 2 <= len(words) <= 4 or not all(_NAME_WORD.fullmatch(w) for w in words):
            return None
    return parts


def find_cover(lines: list[str], is_speaker: Callable[[str], bool]) -> Cover | None:
    """The cover sheet at the top of a transcript, or None: from the first line, only `Key: value` lines
    (blank lines between them allowed; a title line may come first), at least two, at least one of them
    naming no speaker (`Date:`, `Location:`), and every `Interviewer:`-like line naming a person or id.

    `lines` are the stripped lines without markup; `is_speaker` tells a name the file uses as a speaker
    label, or its id."""
    shown = [i for i, line in enumerate(lines) if line]
    if not shown:
        return None
    cover = Cover([])
    start = 0
    if _looks_like_title(lines[shown[0]]) and not _COVER_LINE.fullmatch(_BOLD.sub("", lines[shown[0]])):
        start = 1
    keyed = 0
    plain_keys = 0
    for i in shown[start:]:
        m = _COVER_LINE.fullmatch(_BULLET.sub("", _BOLD.sub("", lines[i])))
        if m is None:
            break
        key, value = m["key"].strip(), m["value"].strip()
        if len(key.split()) > 4 or len(value.split()) > MAX_COVER_VALUE_WORDS or value.endswith(("?", "!")):
            break
        speaker_key = _SPEAKER_KEY.fullmatch(key)
        if speaker_key:
            names = _speaker_names(value, is_speaker)
            if names is None:
                break
            role = "participant" if speaker_key["participant"] else "interviewer"
            cover.roles.update({name: role for name in names if is_speaker(name)})
        elif _COVER_KEY.search(key):
            plain_keys += 1
            if cover.date is None and re.search(r"(?i)\bdate\b", key):
                cover.date = _date_of(value) or value or None
        else:
            break
        keyed += 1
        cover.lines.append(i)
    if keyed < 2 or not plain_keys or len(cover.lines) == len(shown) - start:
        return None  # a cover sits over a transcript: something must follow it
    if start:
        cover.title = lines[shown[0]].lstrip("#").strip().strip("*_").strip()
        cover.title_line = shown[0]
    return cover
