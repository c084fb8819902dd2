"""Speaker labels and timestamps at the start of a line: which prefixes are labels, and whose.

A label must look like one (at most four capitalised words, or a known form such as `I`, `P07`,
`Officer 2`), so an ordinary sentence with a colon ("The problem is this: we wait") stays text. A user
name in lower case (`dkowalski`, `spk_0`: meeting services show them as speakers) is a label only when it
starts many turns (frequent_user_names).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..lazyre import lazy_compile
from ..models import INTERVIEWER, PARTICIPANT
from . import lexicon
from .boilerplate import is_form_key

# The research team's own voices: the interviewer, and those sitting in who speak now and then (a
# note-taker asking to repeat a name is no participant, even when they speak once). An `Observer` or a
# `Scribe` is a label of a known form (it counts even once) but no interviewer by its name: a civilian
# observer may be the one interviewed, and Scribe is a surname.
# Spanish transcripts' `Entrevistador/a` and `Moderador/a` too (lexicon).
DEFAULT_INTERVIEWER_LABELS: tuple[str, ...] = lexicon.INTERVIEWER_LABELS

TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
# A placeholder `wei-qual deid redact` writes, a word of a label it redacted: "Sgt [PERSON-1]:", and
# a device's owner so redacted: "Sgt. [PERSON-1]'s iPad:" (Zoom's name for a participant's device).
_PLACEHOLDER = r"\[[A-Z]+-\d+\](?:['’]s)?"
# A word goes on past Hebrew's geresh and gershayim as past an apostrophe (`מ׳`, `עו״ס`, `ד״ר`, `רס״ר`, an
# abbreviation's marks), and past a `"` typed for gershayim between two Hebrew letters (`עו"ס`), as most
# keyboards write it. Before, such a label was text, and the turns it starts went into the speaker's before.
_LETTERS = r"[\w.'’\-׳״\u0300-\u036f]"
_ON = rf"{_LETTERS}*(?:(?<=[\u05d0-\u05ea])\"(?=[\u05d0-\u05ea]){_LETTERS}+)*"
# A number may follow `#`, as a typist numbers a participant: `Participant #3`, `Officer #2`.
_WORD = rf"(?:{_LETTERS}{_ON}|\#\d{{1,4}}|{_PLACEHOLDER})"
# No-break spaces (Word's, and French typography's before a colon: "Enquêteur : ...") are spaces, so a
# label holding one reads as a label, and a soft hyphen (a place a word may break, never shown unless it
# does) is nothing, as the PDF reader has it: readers translate lines with this table.
NO_BREAK = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u00ad": ""})


def no_break(line: str) -> str:
    """The line translated with NO_BREAK. Every character it changes is non-ASCII, so an ASCII line (nearly
    every line of an English transcript: str.isascii() is a flag, not a scan) is returned as it is, where
    translating it still looked each character up (speed: 3% of reading the study corpus)."""
    return line if line.isascii() else line.translate(NO_BREAK)


# Up to four words (none a dash: "Dana - 00:04"), a comma allowed between them ("Lopez, Maria", "Maria
# Lopez, PhD"), optionally followed by a short note in parentheses: "Interviewer 1 (JD)". The first word
# starts with a letter, or is 911 (`911:`, `911 call:`, the call a participant plays; the label check
# takes it only as a radio or recorded voice, lexicon.DEVICE_VOICE).
NAME = (
    rf"(?:[^\W\d_]{_ON}|911\b|{_PLACEHOLDER})(?:,?[ \t](?![-–]){_WORD}){{0,3}}"
    r"(?:[ \t]\((?!\d{1,2}:)[^()\n]{1,24}\))?"
)

# The header row of a transcript table (a Word table, or one saved as text with tabs between cells),
# compared in lower case with accents folded (lexicon.fold): `Speaker`/`Text`, `Hablante`/`Texto`.
SPEAKER_HEADERS = lexicon.SPEAKER_HEADERS
TEXT_HEADERS = lexicon.TEXT_HEADERS
TIME_HEADERS = lexicon.TIME_HEADERS

# `Name  0:04` (Otter), `Name [00:00:04]`, `Name (00:04)` or `Name - 00:04` alone on a line, the text
# below. Also `[Name] 00:01:02` (Zoom text export).
_OTTER = re.compile(
    rf"(?:(?P<name>{NAME})|\[(?P<bname>{NAME})\])[ \t]+(?:[-–][ \t]+)?"
    rf"(?:(?P<ts>{TS})|\[(?P<tsb>{TS})\]|\((?P<tsp>{TS})\))\s*$"
)
# A timestamp right after the label: `Name: [00:00:04] text` (Sonix-style).
_LEADING_TS = re.compile(rf"[\[(](?P<ts>{TS})[\])][ \t]*")
# ...or bare: `Interviewer: 00:00:03 Thanks...`, a time only when most labelled lines hold one (LabelMatch.lead).
_LEADING_BARE_TS = re.compile(rf"(?P<ts>{TS})(?:[ \t]+(?:[-–—][ \t]+)?(?=\S)|[ \t]*$)")
_TS_AFTER = re.compile(rf"(?P<name>{NAME})[ \t]*[\[(](?P<ts>{TS})[\])][ \t]*:(?:[ \t]+(?P<rest>.*))?$")
# The time between the name and the text, no colon: `Dana Whitfield [00:00:00] Thanks for joining.`; a
# label when the name recurs, as `Name:` is.
_TS_INSIDE = re.compile(rf"(?P<name>{NAME})[ \t]+[\[(](?P<ts>{TS})[\])][ \t]+(?P<rest>\S.*)$")
# A timestamp before the label, or a span `[00:00:15 --> 00:01:02]` (also with `→` or a dash), the label
# after it or after a dash (`[00:00:04.12] - Speaker 1`).
_SPAN = rf"(?:[ \t]*(?:-->|→|[-–])[ \t]*(?P<end>{TS}))?"
# A time glued to the label, as MAXQDA's focus-group import asks a prepared transcript to be written (no
# space before or after the time): `00:03:40.5Zack: text`; only with hours, and only before a label.
# Also the f4/f5 time mark (`#00:00:05-2#`, tenths after the dash) that MAXQDA and f4 users put at a
# paragraph's start, before the label: `#00:00:05-2# B: text` (before text with no label, or alone on its
# line, it stays a mark that closes what is above it, as f4 sets it).
_TS_BEFORE = re.compile(
    rf"(?:\[(?P<ts1>{TS}){_SPAN}\]|\((?P<ts2>{TS}){_SPAN.replace('end', 'end2')}\)"
    r"|\#(?P<f4>\d{1,2}:\d{2}:\d{2})(?:[-.,](?P<tenths>\d{1,3}))?\#(?=[ \t]*\S)"
    rf"|(?P<ts3>{TS}){_SPAN.replace('end', 'end3')}(?=[ \t]+\S)"
    r"|(?P<glued>\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)(?=[A-Z]))[ \t]*(?:[-–—][ \t]+)?(?P<rest>.*)$"
)
_BARE_TS = re.compile(TS)  # a timestamp alone on its line marks the time of what follows
# ...also in italics or bold, as MacWhisper's Markdown export writes it under the speaker's name:
# `**Dana Whitfield**` over `*00:03*` over the text. Before, the time was the turn's first words.
_EMPHASISED_TS = re.compile(rf"(?P<em>\*{{1,2}}|_{{1,2}})(?P<ts>{TS})(?P=em)")
# whisper.cpp's speaker after a segment's span with --diarize (stereo audio, a voice a channel):
# `[00:00:00.000 --> 00:00:04.200]  (speaker 0) text`, `(speaker ?)` where it could not tell
# (examples/main/main.cpp, estimate_diarization_speaker). Before, the labels were text, every question the
# participant's.
_WHISPER_CPP_SPEAKER = re.compile(r"\(speaker (?P<n>\d|\?)\)[ \t]*(?P<rest>.*)$")
# A span alone on its line (`00:00:06 - 00:00:11`, NVivo Transcription's `0:00:06.0 - 0:00:11.5`, over each
# turn): the start and end of what follows, as a cue-timing line gives them (see match_span). Also in
# brackets with video timecodes, a frame number after the seconds, as DaVinci Resolve exports a transcript
# (`[00:00:03:18 - 00:00:08:08]` over the speaker's name); the frames are left out (the frame rate is not
# in the file), so such a time is its second.
_SPAN_TIME = rf"(?:{TS}|\d{{1,2}}:\d{{2}}:\d{{2}}:\d{{2}})"
_BARE_SPAN = re.compile(
    rf"(?P<open>\[)?(?P<start>{_SPAN_TIME})[ \t]*(?:-->|→|[-–—])[ \t]*(?P<end>{_SPAN_TIME})(?(open)\])"
)
# Zoom's saved meeting chat, which text-based interviews use: `14:02:11 From Maria Lopez to Everyone:`
# (or `... to Dan Kowalski(Direct Message):`, or the older `14:02:11 From Maria Lopez : text`), the
# message after it or on the next line. The time is the clock's, not the recording's: it is not kept.
# The sender is the text up to the colon less ` to RECIPIENT` (_zoom_sender): a lazy name before a lazy
# recipient took time cubic in a long line with no colon (40 KB 2.6 s, 160 KB more than 100 s).
_ZOOM_CHAT = re.compile(r"\d{2}:\d{2}:\d{2}[ \t]+From[ \t]+(?P<who>[^:\n]+):[ \t]*(?P<rest>.*)$")
_ZOOM_TO = re.compile(r"[ \t]+to[ \t]+[^:\n]")


def _zoom_sender(who: str) -> str:
    """The sender of `who` (what a Zoom chat line has between `From` and the colon): before its first
    ` to ` and its trailing spaces (`Maria Lopez to Everyone` -> `Maria Lopez`)."""
    to = _ZOOM_TO.search(who, 1)
    return (who[: to.start()] if to else who).rstrip(" \t")


# Bold or italic labels: **Name:**, **Name**:, *Name:*, _Name_:, __Name:__, ***Name:***.
_BOLD = re.compile(
    rf"(?P<em>\*{{1,3}}|_{{1,3}})(?P<name>{NAME})(?::(?P=em)|(?P=em)[ \t]*:)(?:[ \t]+(?P<rest>.*))?$"
)
# A bold name with no colon, the turn after it on the line: `**Sgt Rivera** We waited.` (Word's bold
# names come this way too: word.read_docx); a label when it recurs, as `Name:` is.
_BOLD_NAME = re.compile(rf"(?P<em>\*\*|__)(?P<name>{NAME})(?P=em)[ \t]+(?P<rest>\S.*)$")
# Markdown markup before a label: blockquote markers (`> `, `>> `) and list bullets (`- `, `* `, `1. `).
_QUOTE = re.compile(r"(?:>[ \t]?)+")
_BULLET = re.compile(r"(?:[-*+•]|\d{1,3}[.)])[ \t]+")
_BRACKET = re.compile(rf"\[(?P<name>{NAME})\](?P<colon>[ \t]*:)?(?:[ \t]+(?P<rest>.*))?$")
_COLON = re.compile(rf"(?P<name>{NAME})[ \t]*:(?:[ \t]+(?P<rest>.*))?$")
# Chinese and Japanese write a label's colon full-width, with no space after it: `王丽：我们到了`, `I：...`.
_WIDE_COLON = re.compile(rf"(?P<name>{NAME})[ \t]*：[ \t]*(?P<rest>.*)$")
# ...or an ASCII colon with no space after it (`王丽:我们先说`, as many type it): read as the full-width one,
# in a script without capitals only (`Re:xyz` and `14:02` are no labels).
_TIGHT_COLON = lazy_compile(rf"(?P<name>{NAME})[ \t]*:(?P<rest>[^\s:].*)$")
# A role label NAME cannot hold, a slash or a gender in parentheses in it: `Entrevistado/a:`,
# `Entrevistador(a):`, `Interviewer/Moderator:`, `Participante/a (P3):` (lexicon.ROLE_PAIR).
# Also bold (`**Entrevistador(a):**`) or as Otter's line over the turn (`Interviewer/Moderator  0:04`).
_ROLE_NAME = rf"(?i:{lexicon.ROLE_PAIR})(?:[ \t]?\d{{1,3}})?(?:[ \t]\([^()\n]{{1,24}}\))?"
_ROLE_LABEL = re.compile(
    rf"(?P<em>\*{{1,3}}|_{{1,3}})?(?P<name>{_ROLE_NAME})(?(em)(?::(?P=em)|(?P=em)[ \t]*:)|[ \t]*:)"
    r"(?:[ \t]+(?P<rest>.*))?$"
)
_ROLE_OTTER = re.compile(
    rf"(?P<name>{_ROLE_NAME})[ \t]+(?:[-–][ \t]+)?(?:(?P<ts>{TS})|\[(?P<tsb>{TS})\]|\((?P<tsp>{TS})\))\s*$"
)
# ...and the time between the role and the text, with a colon after it or none, as _TS_AFTER and _TS_INSIDE
# read a name: `Interviewer/Moderator [00:00:04] text`, `Entrevistador(a) (00:00:04): texto`.
_ROLE_TS_INSIDE = lazy_compile(
    rf"(?P<name>{_ROLE_NAME})[ \t]+[\[(](?P<ts>{TS})[\])](?:[ \t]*:(?:[ \t]+(?P<rest>.*))?|[ \t]+(?P<text>\S.*))$"
)
# A meeting display name with a suffix after a dash, as Zoom shows one: `Marcus Bell - County Sheriff: text`.
_SUFFIXED = re.compile(
    rf"(?P<name>(?P<who>{NAME})[ \t]+[-–][ \t]+(?P<suffix>{NAME}))[ \t]*:(?:[ \t]+(?P<rest>.*))?$"
)
# ...and over the turn with its time, as Rev (`Dana Whitfield - Interviewer (00:04):`) and Otter (`Dana
# Whitfield - Interviewer  0:04`) write a speaker a team renamed so.
_SUFFIXED_TS = lazy_compile(
    rf"(?P<name>(?P<who>{NAME})[ \t]+[-–][ \t]+(?P<suffix>{NAME}))"
    rf"(?:[ \t]*[\[(](?P<ts>{TS})[\])][ \t]*:(?:[ \t]+(?P<rest>.*))?|[ \t]+(?P<alone>{TS})\s*$)"
)
_SPACED_DASH = re.compile(r"[ \t][-–—][ \t]")
# A dash after the name, the turn after it on the line: `Interviewer - Thanks for joining.` (also `--`, or
# an em dash with no spaces: `Interviewer—Thanks`). Read only by parse_lines, when such labels recur
# through a file that has no others (plain._dash_labels).
_DASH = lazy_compile(rf"(?P<name>{NAME})(?:[ \t]+(?:--|[-–—])[ \t]+|[ \t]*—[ \t]*)(?P<rest>\S.*)$")
# Words that start a sentence before a dash: never a dash label, however often they recur (lexicon).
_SAID_FIRST = lazy_compile(lexicon.SAID_FIRST)
# A tab after the name (a table saved as text, or Word's hanging indent), a time cell between them allowed.
_TAB = lazy_compile(rf"(?P<name>{NAME})\t[ \t]*(?:(?P<ts>{TS})\t[ \t]*)?(?P<rest>\S.*)$")

# Labels accepted even when they occur once; other capitalised names must recur to count as labels.
# The role words are lexicon's, as the Spanish ones are.
_KNOWN = re.compile(
    r"(?:[A-Z]{1,3}\d{0,3}"
    rf"|(?i:{lexicon.PARTICIPANT_WORDS}|{lexicon.INTERVIEWER_WORDS}|{lexicon.UNNAMED_VOICE_WORDS}"
    rf"|{lexicon.RANK_WORDS}|{lexicon.TEAM_LABEL_WORDS})"
    r"(?:[ \t]?\#?\d{1,3}|[ \t][A-Z])?)"
)
# A radio or recorded voice, named as a person names it (`Radio chatter`, `Dispatch audio`): lexicon.
_DEVICE_VOICE = lazy_compile(lexicon.DEVICE_VOICE)
# Several speaking at once (`Both`, `Group`, `Multiple speakers`): lexicon.
_COLLECTIVE = re.compile(lexicon.COLLECTIVE_VOICE)
_OWN_WORDS = lazy_compile(lexicon.OWN_WORDS)
# Bracketed stage directions that are not speakers: [Inaudible], [Crosstalk], [Laughs]... (lexicon).
_NONVERBAL = re.compile(lexicon.NONVERBAL)
_SOUND_TAG = lazy_compile(lexicon.SOUND_TAG)


@dataclass(frozen=True)
class LabelMatch:
    name: str
    rest: str  # text after the label on the same line ("" when the text follows below)
    time: float | None
    strong: bool  # certainly a label (timestamp, markup or known form), whatever the repetition
    end: float | None = None  # end time, from a cue-timing line `00:00:23.240 --> 00:00:29.460`
    # a name in lower case (`dkowalski`, `Técnica de crisis`): a label only when frequent (frequent_user_names)
    user_name: bool = False
    # A bare time starting `rest` (`Interviewer: 00:00:03 Thanks`), and the characters it takes: the turn's
    # time when most labelled lines of the file have one (plain._label_times), else text.
    lead: tuple[float, int] | None = None
    clock: bool = False  # `[Name] 14:02:11`, Zoom's saved captions: the time may be the meeting's clock
    slip: str = ""  # the label as typed, when it misspells `name` (roles.label_slips: `Interviwer`)
    # a span alone over a paragraph (match_span): what it times is a block of its own, where a caption cue
    # with no name may go on the cue before (plain.merge_same_speaker)
    block: bool = False

    def lead_taken(self) -> LabelMatch:
        """The match with its leading time taken out of the text as its time."""
        time, length = self.lead or (self.time, 0)
        return replace(self, rest=self.rest[length:], time=time, lead=None)


def dequote(line: str) -> str:
    """The line without Markdown blockquote markers (`> P1: text` -> `P1: text`), stripped."""
    stripped = line.strip()
    m = _QUOTE.match(stripped)
    return stripped[m.end() :].strip() if m else stripped


def strip_markup(line: str) -> str:
    """The line without blockquote markers and one list bullet, where a label would start."""
    core = dequote(line)
    m = _BULLET.match(core)
    return core[m.end() :] if m else core


def match_bracketed(line: str) -> LabelMatch | None:
    """A captioner's speaker in brackets with no colon, text after it: `[Dana Whitfield] We got there.`
    Never a transcriber's or captioner's note (`[inaudible]`, `[crosstalk]`, `[Phone Rings]`), and a
    label only when the form recurs (captions.read_captions weighs that): not strong."""
    m = _BRACKET.match(line)
    if m is None or m["colon"] or not (m["rest"] or "").strip():
        return None
    name = m["name"]
    if _NONVERBAL.search(name) or _SOUND_TAG.search(name) or not _looks_like_name(name):
        return None
    return LabelMatch(name, m["rest"].strip(), None, False)


def parse_time(value: str) -> float:
    """`0:04` / `12:03` (m:s) or `00:12:03` / `1:02:03.5` (h:m:s) as seconds."""
    main, _, frac = value.replace(",", ".").partition(".")
    seconds = 0
    for part in main.split(":"):
        seconds = seconds * 60 + int(part)
    return round(seconds + (float(f"0.{frac}") if frac else 0.0), 3)


def is_known(name: str) -> bool:
    """A label form accepted even once: `I`, `P07`, `Officer 2`, `Interviewer (JD)`..."""
    return bool(_KNOWN.fullmatch(name.split(" (")[0]))


def is_collective(name: str) -> bool:
    """A label for several speaking at once: `Both`, `All`, `Group`, `Participants`, `Multiple speakers`."""
    return bool(_COLLECTIVE.fullmatch(lexicon.fold(" ".join(name.split()))))


# The small words of names, in lower case between capitalised ones: "Ana de la Cruz", "Ludwig van Dijk".
_PARTICLES = frozenset(
    "al bin da das de del della der di do dos du el ibn la las le los ten ter van von y zu".split()  # noqa: SIM905
)
# A surname's particle joined to it by a hyphen: "al-Farsi", "El-Amin".
_HYPHEN_PARTICLE = re.compile(r"(?i)(?:al|el|ul|ad|ash|as|at|az)-(?=\w)")
# One title written short or in full: `Sgt. Ramos` and `Sergeant Ramos` are one label written two ways.
_TITLE_FORMS = {
    "sgt": "sergeant",
    "lt": "lieutenant",
    "det": "detective",
    "ofc": "officer",
    "dep": "deputy",
    "dr": "doctor",
    "capt": "captain",
    "cpl": "corporal",
    "tpr": "trooper",
    "prof": "professor",
    "cmdr": "commander",
    "insp": "inspector",
    "rev": "reverend",
}
_TITLE_FULL = frozenset(_TITLE_FORMS.values())
_APOSTROPHES = str.maketrans("’‘ʼ", "'''")


def is_particle(word: str) -> bool:
    """A surname's particle, in any case: `de`, `La`, `van`, `Der`, `bin`, or `al-` joined to it."""
    return word.casefold() in _PARTICLES or _HYPHEN_PARTICLE.match(word) is not None


def surname_start(words: Sequence[str]) -> int | None:
    """Where a name's surname starts when a particle after its first word starts it ("Maria De La Cruz":
    1, "Pieter van der Berg": 1, "Nguyen Van An": 1); None without one ("Mary Ann Lopez")."""
    return next((i for i in range(1, len(words) - 1) if is_particle(words[i])), None)


def name_key(label: str) -> tuple[str, ...]:
    """A label's words as compared to tell one speaker: apostrophes straight (`O’Neil` is `O'Neil`), a
    surname's particles and a title in small letters, a title's abbreviation as the title (`Sgt.` is
    `Sergeant`), so `de la Cruz` is `De La Cruz` and `Sgt. Ramos` is `Sergeant Ramos`."""
    words = label.translate(_APOSTROPHES).split()
    out = []
    for i, word in enumerate(words):
        folded = word.casefold()
        title = folded.rstrip(".")
        if i < len(words) - 1 and (title in _TITLE_FORMS or title in _TITLE_FULL):
            out.append(_TITLE_FORMS.get(title, title))
        elif folded in _PARTICLES:
            out.append(folded)
        elif (m := _HYPHEN_PARTICLE.match(word)) is not None:
            out.append(folded[: m.end()] + word[m.end() :])
        else:
            out.append(word)
    return tuple(out)


def surname_tails(labels: Iterable[str]) -> dict[str, str]:
    """Labels that are the last words of another's particle surname (`Cruz` beside `Maria De La Cruz`,
    `Berg` beside `Pieter van der Berg`, `An` beside `Nguyen Van An`), each with that label, where one
    label only is so: maybe the same person, maybe not (`Cruz` is a surname of its own, and `Van` a
    Vietnamese middle name), so never read as one speaker, only said."""
    labels = list(dict.fromkeys(labels))
    keys = {name_key(label): label for label in labels}
    found: dict[str, list[str]] = {}
    for label in labels:
        words = label.translate(_APOSTROPHES).split()
        start = surname_start(words)
        if start is None:
            continue
        for k in range(start + 1, len(words)):
            short = keys.get(name_key(" ".join(words[k:])))
            if short is not None and short != label and short[:1].isupper():
                found.setdefault(short, []).append(label)
    return {short: full[0] for short, full in found.items() if len(full) == 1}


# A user name as a meeting service shows it: one word in lower case (`dkowalski`, `dan.kowalski`, `spk_0`).
_USER_NAME = re.compile(r"[a-z][a-z0-9._\-]{1,31}")
USER_NAME_TURNS = 3  # turns a user name must start at least...
USER_NAME_SHARE = 0.1  # ...and this share of the labelled turns, for it to be a label


def _capitalised(word: str) -> bool:
    """`Lee`, `Ольга`, `2`, `#3`, a word capitalised inside (`iPhone`, `eCourt`), or one of a script without
    capitals (`רונית`: see _caseless_name)."""
    return lexicon.capital(word) or (
        len(word) > 1 and (word[1].isupper() or (word[0] == "#" and word[1].isdigit()))
    )


def _caseless_name(name: str) -> bool:
    """A name in a script without capitals (`מראיין`, `רונית כהן`, `المحاور`): its case cannot tell it from a
    sentence's opening words (`אמרתי לו:`, "I told him:"), so before a colon it is read as a user name is,
    a label only when it starts many turns (frequent_user_names)."""
    return lexicon.caseless(name) and not is_known(name) and not _NONVERBAL.search(name)


def _looks_like_name(name: str) -> bool:
    """Capitalised words ("Officer 2", "Dr. Lee", "Dan's iPhone"), name particles between them ("Ana de
    la Cruz") or before them ("de la Cruz"), or a known label form ("participant")."""
    if is_known(name):
        return True
    words = name.split(" (")[0].split()
    return (
        _capitalised(words[0])
        or (words[0] in _PARTICLES and any(_capitalised(w) for w in words[1:]))  # `de la Cruz`, shortened
    ) and all(_capitalised(w) or w in _PARTICLES for w in words)


_PRONOUN = re.compile(
    r"(?i)i|we|he|she|they|it|you|this|that|there|here|what|who|when|where|how|why|at|in|on"
)


def _loosely_named(name: str) -> bool:
    """Two words, the second in lower case (`Body cam`, `Radio traffic`, `Unknown male`), as a person names a
    speaker in Otter or Rev: a label only over a time (`Body cam (00:00:15):`) and when it recurs, as
    `Name:` is; never a sentence's opening words (`Then at  10:30`, `We left  9:30`). A radio or recorded
    voice too (`911 call (00:00:15):`), whose first word may be a number."""
    words = name.split(" (")[0].split()
    if _DEVICE_VOICE.fullmatch(lexicon.fold(" ".join(words))):
        return True
    return (
        len(words) == 2
        and _capitalised(words[0])
        and not _PRONOUN.fullmatch(words[0])
        and not words[0][0].isdigit()
        and not _SAID_FIRST.fullmatch(words[0])
        and not _NONVERBAL.search(name)
        and not _ANSWER.fullmatch(name)
        and all(w.isalpha() for w in words[1:])
    )


_DEVICE_NAME = lazy_compile(lexicon.DEVICE_NAME, re.IGNORECASE)


def device_name(label: str) -> bool:
    """A device's or a meeting account's name (`iPhone`, `Dana's iPhone`, `Galaxy S21`, `Zoom user`) or a
    user name (`dkowalski`), as a meeting service names someone who has not set a name: not a person's."""
    label = label.strip()
    # `interviewer` or `p07` typed in lower case is a role's or an id's label, not an account's
    return _DEVICE_NAME.fullmatch(label) is not None or (_user_name(label) and not is_known(label))


def _user_name(name: str) -> bool:
    """One lower-case word that could name a user (never `well`, `okay`, `inaudible`)."""
    return bool(_USER_NAME.fullmatch(name)) and not _NONVERBAL.search(name) and not _ANSWER.fullmatch(name)


def _described(name: str) -> bool:
    """A role described in words, the first capitalised and the others in lower case (`Técnica de crisis`,
    `Crisis worker`, `Trabajadora social`): read as a user name is, a label only when it starts many
    turns (frequent_user_names), so a sentence's opening heard a few times (`The thing is:`) stays text."""
    words = name.split()
    return (
        2 <= len(words) <= 4
        and words[0][0].isupper()
        and all(w.isalpha() or (w.replace("-", "").isalpha() and not w.startswith("-")) for w in words)
        and all(w.islower() for w in words[1:])
        and not any(lexicon.fold(w) in lexicon.NOT_DESCRIBED for w in words)
        and not _PRONOUN.fullmatch(words[0])
        and not _SAID_FIRST.fullmatch(words[0])
        and not _OWN_WORDS.fullmatch(name)
        and not _NONVERBAL.search(name)
    )


_LEADING_NOTES = re.compile(r"^(?:\[[^\[\]\n]*\][ \t]*)+")


def _opens_a_turn(rest: str) -> bool:
    """Text after a colon as a turn starts (`Nos llamaron...`, `¿Y después?`, or on the lines below), not
    as a sentence goes on after one (`Long story short: we took him in.`)."""
    first = next((c for c in _LEADING_NOTES.sub("", rest) if c.isalpha()), "")  # `[laughs] Yes` opens one
    return not first.islower()


def frequent_user_names(matches: Sequence[LabelMatch | None], labelled: int) -> frozenset[str]:
    """The user names among `matches` that are labels: each starts USER_NAME_TURNS lines at least, and
    USER_NAME_SHARE of the `labelled` lines (those other labels start) with its own; a lower-case word
    before a colon a few times in a long interview ("said: ...") is text."""
    counts = Counter(m.name for m in matches if m is not None and m.user_name)
    return frozenset(
        name
        for name, n in counts.items()
        if n >= USER_NAME_TURNS and n >= USER_NAME_SHARE * (labelled + sum(counts.values()))
    )


_BARE_NAME = lazy_compile(NAME)
_EMPHASIS = re.compile(r"\*{1,3}|_{2,3}")
_HEADING = re.compile(r"#{1,6}[ \t]+")
# One-word answers that stand alone on a line as a name would ("Yes", "Okay"): never a name alone (lexicon).
_ANSWER = lazy_compile(lexicon.ONE_WORD_ANSWER)


def is_bare_name(line: str) -> bool:
    """A line that is only a speaker's name ("Speaker Two", "P07"), as after a Teams timing line."""
    return bool(_BARE_NAME.fullmatch(line)) and _looks_like_name(line) and not _NONVERBAL.search(line)


def heading_label(line: str) -> LabelMatch | None:
    """A Markdown heading that is a speaker's name and the turn's time, the turn below it (`## Dana Whitfield
    00:00:03`, `### Marcus Bell (00:00:09)`, `## Speaker 1 [00:00:04]`), or None. A heading with a name
    alone is read by name_alone, when it recurs."""
    heading = _HEADING.match(line)
    if heading is None:
        return None
    m = match_label(line[heading.end() :].strip())
    return m if m is not None and m.name and m.time is not None and not m.rest.strip() else None


def name_alone(line: str, *, markdown: bool = False) -> str | None:
    """The name on a line that holds nothing else, in bold or as a Markdown heading or not (`Dana
    Whitfield`, `**Speaker 1**`, `### P07`): a speaker whose turn follows below, when it recurs. Never
    a line that ends a sentence, nor a one-word answer."""
    text = _EMPHASIS.sub("", line).strip()
    if markdown:
        text = _HEADING.sub("", text, count=1) if text.startswith("#") else text
    if not text or text[-1] in ".?!,;:" or _ANSWER.fullmatch(text):
        return None
    return text if is_bare_name(text) else None


# Every timestamp (TS) holds a digit, a colon and two digits: a line without one skips the timestamp forms.
_HAS_TS = re.compile(r"\d:\d\d")
# Tactiq's older transcript (its Google Doc saved as text): a bullet (strip_markup takes it), the time, the
# mark of the line (✅, or another emoji), a colon and the name in parentheses, then the text:
# `* 12:34 ✅ : (Dana Whitfield) text`.
_TACTIQ_BULLET = lazy_compile(
    r"(?P<ts>\d{1,2}:\d{2}(?::\d{2})?)[ \t]*(?P<mark>[^\w\s:()]*)[ \t]*:[ \t]*\((?P<name>[^()\n]{1,80})\)"
    r"(?:[ \t]+(?P<rest>.*))?$"
)


def match_label(line: str) -> LabelMatch | None:
    """The speaker label (and timestamp) at the start of a stripped line, or None."""
    if not _HAS_TS.search(line):  # most lines of a transcript: only the plain forms can match
        return _match_plain_label(line)
    if (
        line[:1].isdigit()
        and "(" in line
        and (m := _TACTIQ_BULLET.match(line))
        and _looks_like_name(m["name"])
    ):
        return LabelMatch(m["name"], m["rest"] or "", parse_time(m["ts"]), bool(m["mark"]))
    m = _OTTER.match(_EMPHASIS.sub("", line) if line[:1] in "*_" else line)  # also `**Name** [00:00:04]`
    if m is None and ("/" in line or "(" in line):  # rare: only such lines pay for the role regex
        role = _ROLE_OTTER.match(_EMPHASIS.sub("", line) if line[:1] in "*_" else line)
        if role:
            return LabelMatch(role["name"], "", parse_time(role["ts"] or role["tsb"] or role["tsp"]), True)
    if m and _looks_like_name(m["name"] or m["bname"]) and not _NONVERBAL.search(m["name"] or m["bname"]):
        clock = bool(m["bname"] and m["ts"] and m["ts"].count(":") == 2)
        return LabelMatch(
            m["name"] or m["bname"], "", parse_time(m["ts"] or m["tsb"] or m["tsp"]), True, clock=clock
        )
    if m and m["name"] and _loosely_named(m["name"]):  # `Body cam  0:15`: a label when it recurs
        return LabelMatch(m["name"], "", parse_time(m["ts"] or m["tsb"] or m["tsp"]), False)
    m = _TS_AFTER.match(line)
    if m and _looks_like_name(m["name"]):
        return LabelMatch(m["name"], m["rest"] or "", parse_time(m["ts"]), True)
    if m and _loosely_named(m["name"]):  # Rev's `Body cam (00:00:15):`: a label when it recurs
        return LabelMatch(m["name"], m["rest"] or "", parse_time(m["ts"]), False)
    if m is None and _SPACED_DASH.search(line):  # rare: only such lines pay for the suffix regex
        m = _SUFFIXED_TS.match(line)
        if m and _looks_like_name(m["who"]) and _looks_like_name(m["suffix"]):  # a label when it recurs
            return LabelMatch(m["name"], m["rest"] or "", parse_time(m["ts"] or m["alone"]), False)
    m = _TS_INSIDE.match(line)
    if (
        m
        and _looks_like_name(m["name"])
        and not _NONVERBAL.search(m["name"])
        and not _ANSWER.fullmatch(m["name"])
    ):
        return LabelMatch(m["name"], m["rest"], parse_time(m["ts"]), is_known(m["name"]))
    if m is None and ("/" in line or "(" in line):  # rare: only such lines pay for the role regex
        role = _ROLE_TS_INSIDE.match(line)
        if role:
            return LabelMatch(role["name"], role["rest"] or role["text"] or "", parse_time(role["ts"]), True)
    m = _ZOOM_CHAT.match(line)
    # A label when it recurs: "7:00 From Dispatch to Patrol: ..." is said.
    if m and _looks_like_name(name := _zoom_sender(m["who"])):
        return LabelMatch(name, m["rest"], None, False)
    if _BARE_TS.fullmatch(line):
        return LabelMatch("", "", parse_time(line), False)
    if line[:1] in "*_" and (m := _EMPHASISED_TS.fullmatch(line)):
        return LabelMatch("", "", parse_time(m["ts"]), False)
    m = _TS_BEFORE.match(line)
    if m:
        time = parse_time(m["ts1"] or m["ts2"] or m["ts3"] or m["glued"] or f"{m['f4']}.{m['tenths'] or 0}")
        end = m["end"] or m["end2"] or m["end3"]
        end_time = parse_time(end) if end else None
        inner = _match_plain_label(m["rest"])
        if inner:
            return LabelMatch(inner.name, inner.rest, time, not inner.user_name, end_time, inner.user_name)
        cpp = _WHISPER_CPP_SPEAKER.match(m["rest"]) if end_time is not None else None
        if cpp:  # a voice whisper.cpp could not place, `(speaker ?)`, is an unnamed cue
            name = "" if cpp["n"] == "?" else f"speaker {cpp['n']}"
            return LabelMatch(name, cpp["rest"], time, bool(name), end_time)
        name = name_alone(m["rest"])
        if name:  # `00:00:04 Speaker 1` alone on its line, the turn below; a label when it recurs
            return LabelMatch(name, "", time, is_known(name), end_time)
        if m["f4"]:  # an f4 mark before text, no label: a mark in the text (plain._take_time_marks)
            return None
        if m["glued"]:  # `12:00:00Noon`: no label, no time of a turn
            return None
        if m["ts3"] is None or end_time is not None:  # a bracketed timestamp or a span marks time; the
            return LabelMatch("", m["rest"], time, False, end_time)  # rest is text
        return None
    m = _match_plain_label(line)
    if m is not None and m.rest:
        ts = _LEADING_TS.match(m.rest)
        if ts:
            return LabelMatch(m.name, m.rest[ts.end() :], parse_time(ts["ts"]), True)
        ts = _LEADING_BARE_TS.match(m.rest)
        if ts:
            return replace(m, lead=(parse_time(ts["ts"]), ts.end()))
    return m


def _match_plain_label(line: str) -> LabelMatch | None:
    # Each form tried only on lines it can match (most lines of a transcript are none): the bold ones
    # open with `*` or `_`, the bracketed one with `[`, and `Name:` holds a colon.
    lead = line[:1]
    emphasis = lead == "*" or lead == "_"
    m = _BOLD.match(line) if emphasis else None
    if m and _looks_like_name(m["name"]):
        # Markup makes a label certain, but not a form's field: `**Date:** 2026-03-14` over a tl;dv or
        # Markdown note's turns is metadata, a label only if it recurs, as `Date:` is.
        strong = bool(is_known(m["name"])) or not is_form_key(m["name"])
        return LabelMatch(m["name"], m["rest"] or "", None, strong)
    m = _BOLD_NAME.match(line) if emphasis else None
    if m and _looks_like_name(m["name"]) and not _NONVERBAL.search(m["name"]):
        return LabelMatch(m["name"], m["rest"], None, is_known(m["name"]))
    m = _BRACKET.match(line) if lead == "[" else None
    if m:
        name = m["name"]
        if _NONVERBAL.search(name) or not _looks_like_name(name):
            return None
        if is_known(name) or m["colon"]:
            return LabelMatch(name, m["rest"] or "", None, bool(is_known(name)))
        if "\t" not in line:  # "[PERSON-1]<tab>text": a redacted table row, read as _TAB reads rows
            return None
    m = _COLON.match(line) if ":" in line else None
    if m and (
        (_looks_like_name(m["name"]) and not _caseless_name(m["name"]))
        or _DEVICE_VOICE.fullmatch(lexicon.fold(" ".join(m["name"].split())))
        or is_collective(m["name"])
    ):
        # `Radio chatter:`, `Body-worn camera:` too: a voice a participant plays, a label when it recurs;
        # and `Multiple speakers:`, several at once (plain.parse_lines takes it even once, mid-interview)
        return LabelMatch(m["name"], m["rest"] or "", None, bool(is_known(m["name"])))
    if m and (
        _user_name(m["name"])
        or _caseless_name(m["name"])
        or (_described(m["name"]) and _opens_a_turn(m["rest"] or ""))
    ):
        # `dkowalski:`, `Técnica de crisis:` and `מראיין:`: a label only when it starts many turns
        return LabelMatch(m["name"], m["rest"] or "", None, False, user_name=True)
    if m is None and "：" in line and (m := _WIDE_COLON.match(line)):
        # Before, a Chinese or Japanese transcript had no labels at all: every turn nobody's. A name in
        # a script without capitals is a label when it starts many turns, as `מראיין:` is.
        if _caseless_name(m["name"]):
            return LabelMatch(m["name"], m["rest"], None, False, user_name=True)
        if _looks_like_name(m["name"]):
            return LabelMatch(m["name"], m["rest"], None, bool(is_known(m["name"])))
        m = None
    if m is None and ":" in line and (m := _TIGHT_COLON.match(line)):
        if lexicon.caseless(m["name"]) and not _NONVERBAL.search(m["name"]):
            # A known label (`访谈者`) is one at once; any other name when it starts many turns.
            known = bool(is_known(m["name"]))
            return LabelMatch(m["name"], m["rest"], None, known, user_name=not known)
        m = None
    if m is None and ("/" in line or "(" in line):  # rare: only such lines pay for the role regex
        role = _ROLE_LABEL.match(line)
        if role:
            return LabelMatch(role["name"], role["rest"] or "", None, True)
    m = _SUFFIXED.match(line) if "-" in line or "–" in line else None
    if m and _looks_like_name(m["who"]) and _looks_like_name(m["suffix"]):
        return LabelMatch(m["name"], m["rest"] or "", None, False)
    m = _TAB.match(line) if "\t" in line else None
    if m and "\t" not in m["name"] and not _NONVERBAL.search(m["name"]):
        time = parse_time(m["ts"]) if m["ts"] else None
        if _looks_like_name(m["name"]):
            return LabelMatch(m["name"], m["rest"], time, time is not None or is_known(m["name"]))
        if _user_name(m["name"]):
            return LabelMatch(m["name"], m["rest"], time, False, user_name=True)
    return None


def match_span(line: str) -> LabelMatch | None:
    """A time span alone on a stripped line, `00:00:06 - 00:00:11`, its end not before its start: the times of
    what follows where such lines start paragraphs (plain.parse_lines); a span in a sentence is said. One of
    video timecodes in brackets (`[00:00:03:18 - 00:00:08:08]`) is `strong`: timing wherever it stands."""
    m = _BARE_SPAN.fullmatch(line)
    if m is None:
        return None
    start, end = (parse_time(_no_frames(m[g])) for g in ("start", "end"))
    # a bracketed span of video timecodes is a video editor's timing, never words said: strong
    video = m["open"] is not None and m["start"] != _no_frames(m["start"])
    return LabelMatch("", "", start, video, end, block=True) if end >= start else None


def _no_frames(timecode: str) -> str:
    """`00:00:03:18` (a video timecode, frames last) as `00:00:03`; any other time as it is."""
    return timecode.rpartition(":")[0] if timecode.count(":") == 3 else timecode


def match_dash_label(line: str) -> LabelMatch | None:
    """`Interviewer - text` at the start of a stripped line: a label only where such labels recur (see
    plain._dash_labels), since a dash joins the words of many sentences. Never a common word ("Mostly -
    when the clinician is free", "First - more clinicians")."""
    m = _DASH.match(line)
    if (
        m is None
        or any(r.fullmatch(m["name"]) for r in (_ANSWER, _SAID_FIRST))
        or _NONVERBAL.search(m["name"])
    ):
        return None
    return LabelMatch(m["name"], m["rest"], None, False) if _looks_like_name(m["name"]) else None


# A court reporter's `Q.` and `A.` (the answer on the same line, or on the lines below), and a research
# typist's `I.` and `R.` (interviewer and respondent; `I.` and `P.`, participant) written the same way: a label
# only where a pair alternates through the file (plain._qa_labels), since "A. Lopez said" or an outline's
# "A. Scope" is text.
_QA_DOT = re.compile(r"(?P<name>[QAIRP])\.(?:[ \t]+(?P<rest>\S.*))?$")
# The letters that ask and answer so, the asker first.
QA_PAIRS = (("Q", "A"), ("I", "R"), ("I", "P"))


def match_qa_label(line: str) -> LabelMatch | None:
    """`Q. text` / `A. text` (or `I.`, `R.`, `P.`) at the start of a stripped line: a label only where such
    lines alternate (see plain._qa_labels)."""
    m = _QA_DOT.match(line)
    return LabelMatch(m["name"], m["rest"] or "", None, False) if m else None


def is_table_header(line: str) -> bool:
    """A header row saved as text: `Speaker<tab>Text`, with a time column or not."""
    cells = [lexicon.fold(c.strip()).rstrip(":") for c in line.split("\t") if c.strip()]
    headers = SPEAKER_HEADERS | TEXT_HEADERS | TIME_HEADERS
    return (
        len(cells) >= 2
        and all(c in headers for c in cells)
        and any(c in SPEAKER_HEADERS for c in cells)
        and any(c in TEXT_HEADERS for c in cells)
    )


# Numbers and parenthesised notes ending a label ("interviewer 2", "interviewer (jd)"), matched in the
# reversed name from its end in one pass: searched for from each character, the suffix took time growing
# with the square of a long name, and exponential time in a run of digits inside one ("interv9999...iewer").
_SUFFIX_REVERSED = re.compile(r"(?:(?:\)[^()]*\(|\d+\#?)[ \t]*)*")


def _without_suffix(name: str) -> str:
    return name[: len(name) - _SUFFIX_REVERSED.match(name[::-1]).end()]


# A name with its role after it, as a team renames a service's speakers (`Dana Whitfield (Interviewer)`,
# `Dana Whitfield - Interviewer`): the role in the last parentheses, or after a spaced dash.
_ROLE_AFTER_NAME = re.compile(r"[^()]*?\S[ \t]*(?:\(([^()]+)\)|[ \t][-–—][ \t]+([^-–—()]+))")


def role_after_name(name: str) -> str | None:
    """The role word written after a name (`Dana Whitfield (Interviewer)` -> `interviewer`), case-folded;
    None when there is none."""
    name = name.strip()
    m = _ROLE_AFTER_NAME.fullmatch(name) if name.endswith(")") or _SPACED_DASH.search(name) else None
    return (m[1] or m[2]).strip().casefold() if m else None


def speaker_role(speaker: str | None, interviewer_labels: Sequence[str] | frozenset[str]) -> str:
    """`interviewer` when the label is one of the interviewer labels (case-insensitive), else `participant`.

    "Interviewer 2" and "Interviewer (JD)" count as "Interviewer". Pass a frozenset from
    normalise_labels() when calling per segment.
    """
    if not speaker:
        return PARTICIPANT
    labels = (
        interviewer_labels
        if isinstance(interviewer_labels, frozenset)
        else normalise_labels(interviewer_labels)
    )
    name = speaker.strip().casefold()
    if name in labels or _without_suffix(name) in labels:
        return INTERVIEWER
    role = role_after_name(name)
    if role is not None and (role in labels or _without_suffix(role) in labels):
        return INTERVIEWER
    if "/" in name:  # `Interviewer/Moderator`, `Moderador/a`: every role it names is the team's
        parts = _BOTH_GENDERS.sub("", _without_suffix(name)).split("/")
        if all(part.strip() in labels for part in parts):
            return INTERVIEWER
    return PARTICIPANT


# A Spanish role word's other gender written out: `moderador/a` is `moderador`.
_BOTH_GENDERS = re.compile(r"/[oa]s?(?=$|[ \t/])")


def normalise_labels(interviewer_labels: Sequence[str]) -> frozenset[str]:
    return frozenset(label.strip().casefold() for label in interviewer_labels)
