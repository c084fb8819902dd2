"""scan_text(): find likely identifiers in a text.

Rules always run (structured identifiers, titled names, first names); a trained spaCy pipeline, when
given, adds its PERSON entities. Placeholders ("[NAME]", "<name>", "[inaudible 00:12:03]") are masked
first so nothing inside them is reported, and allowlisted phrases are dropped last.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import DeidError
from ..lazyre import lazy_compile
from ..textmatch import INVISIBLE
from .allowlist import allowed_spans
from .names import (
    AMBIGUOUS,
    NICKNAME_WORDS,
    NOT_NAMES,
    REVIEW,
    TITLES,
    common_words,
    first_names,
    iter_caps_names,
    iter_names,
    iter_places,
    nickname_start,
    word_starts,
    word_trie,
)
from .places import iter_roads_and_towns
from .rules import PHONE, Span, iter_rooms, iter_structured, lower_text, text_tokens
from .streets import iter_streets

CATEGORIES = ("person", "phone", "email", "url", "address", "ssn", "date", "id_number", "plate", "age")

# Any bracketed or angle-bracketed token on one line is a placeholder or an annotation, except a
# WebVTT voice tag "<v Maria Lopez>", which holds the speaker's real name.
PLACEHOLDER = re.compile(r"\[[^\[\]\n]{0,80}\]|<(?![vV][ .])[^<>\n]{0,40}>")
# ...except a bracketed full name, which is an identifier someone forgot to replace.
_BRACKETED_NAME = re.compile(r"\[([A-Z][a-z]+) [A-Z][a-z]+\]")

# Where two findings overlap, the more specific category wins (an e-mail contains a URL-like domain).
_PRIORITY = {
    c: i
    for i, c in enumerate(
        ("email", "url", "ssn", "phone", "date", "address", "id_number", "plate", "age", "person", REVIEW)
    )
}


@dataclass(frozen=True)
class Finding:
    """One likely identifier: 1-based line and column, character offsets into the scanned text. `review`: a
    first name that is a word too, whose reading the words around it do not settle ("Grace was there when we
    got the call"): shown for a person to look at, and no stop of the gate."""

    line: int
    column: int
    start: int
    end: int
    category: str
    text: str
    review: bool = False


_NOT_NEEDED = [
    "tagger",
    "parser",
    "lemmatizer",
    "trainable_lemmatizer",
    "attribute_ruler",
    "senter",
    "morphologizer",
    "textcat",
    "textcat_multilabel",
    "entity_linker",
    "spancat",
]
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n])[\s\"'“‘(\[]*$")


def load_nlp(name: str) -> Any:
    """Load an installed spaCy pipeline by name, or raise DeidError naming the --model flag."""
    import spacy

    try:
        # Only the entity recogniser is used: leave the other components out (about twice as fast).
        return spacy.load(name, exclude=_NOT_NEEDED)
    except OSError as ex:
        raise DeidError(
            f'spaCy pipeline "{name}" is not installed. Install it, or leave out --model to scan by rules only.'
        ) from ex


def _mask_placeholders(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with placeholders blanked (same length, so offsets hold) and the blanked spans."""
    spans = []
    for m in PLACEHOLDER.finditer(text):
        named = _BRACKETED_NAME.fullmatch(m.group())
        if named and named.group(1) in first_names():
            continue
        spans.append(m.span())
    if not spans:
        return text, spans
    parts, last = [], 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append(" " * (end - start))
        last = end
    parts.append(text[last:])
    return "".join(parts), spans


# A redaction tag of a number ("[ID-1]", "[PHONE-2]", "[REDACTED]") with digits left beside it: a number
# redacted in part, by hand or by a tool that took only some of its digits ("his badge was one [ID-1]",
# "call me at 555 [PHONE-1]"). What is left says part of the number, and is found as the tag's category.
_NUMBER_TAG = re.compile(
    r"\[(?i:(?P<c>id|phone|ssn|plate|address|number|num|badge|case|mrn|redacted)(?:[ _#-]*\d+)?)\]"
)
_TAG_CATEGORY = {"phone": "phone", "ssn": "ssn", "plate": "plate", "address": "address"}
_SAID_NUMBER = (
    r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)"
)
_NUMBER_RUN = rf"(?:\d+|(?i:{_SAID_NUMBER}))(?:(?:[ \t]*[,-][ \t]*|[ \t]+)(?:\d+|(?i:{_SAID_NUMBER})))*"
_NUMBER_BEFORE_TAG = lazy_compile(rf"(?<![\w'’-]){_NUMBER_RUN}[ \t]*-?[ \t]*$")
_NUMBER_AFTER_TAG = lazy_compile(
    rf"[ \t]*-?[ \t]*(?P<v>{_NUMBER_RUN})(?![\w'’-])(?=[ \t]*(?:$|[.,;:!?)\n\[]|(?:and|but|so|um|uh)\b))"
)


def _beside_tags(text: str, blanked: list[tuple[int, int]]) -> list[Span]:
    """Numbers left right beside a number's redaction tag (see _NUMBER_TAG), in `text` (placeholders not
    blanked), as the tag's category; only digits beside an address's tag ("1400 [ADDRESS-1]")."""
    spans = []
    for start, end in blanked:
        tag = _NUMBER_TAG.fullmatch(text, start, end)
        if tag is None:
            continue
        kind = tag["c"].lower()
        category = _TAG_CATEGORY.get(kind, "id_number")
        found = []
        # a number's last character right before the tag, a space or a hyphen between (speed: most tags have
        # a word or nothing beside them)
        near = text[max(0, start - 3) : start].rstrip(" \t-")
        before = near[-1:].isalnum() and _NUMBER_BEFORE_TAG.search(text, max(0, start - 60), start)
        if before:
            found.append((before.start(), before.start() + len(before.group().rstrip(" \t-"))))
        after = _NUMBER_AFTER_TAG.match(text, end)
        if after:
            found.append(after.span("v"))
        for a, b in found:
            if category != "address" or text[a:b].replace(" ", "").isdigit():
                spans.append((a, b, category))
    return spans


def _model_names(text: str, nlp: Any, blanked: list[tuple[int, int]]) -> list[Span]:
    """PERSON entities from a trained pipeline, minus labels, placeholders and lower-case strays."""
    spans = []
    for ent in nlp(text).ents:
        if ent.label_ != "PERSON":
            continue
        # Trim a possessive and titles the model includes: "Officer Ruiz's" -> "Ruiz".
        tokens = [t for t in ent if not (t.is_punct or t.text in ("'s", "’s"))]
        while tokens and (
            tokens[0].text.rstrip(".") in NOT_NAMES
            or tokens[0].text.rstrip(".").lower()
            in {"mr", "mrs", "ms", "dr", "sgt", "lt", "det", "ofc", "capt", "cpl"}
        ):
            tokens = tokens[1:]
        if not tokens:
            continue
        # "Grace is...", "Frank talks", "Mark my words": a sentence-initial everyday word alone is not a name.
        if (
            len(tokens) == 1
            and tokens[0].text in AMBIGUOUS
            and _SENTENCE_END.search(text, max(0, tokens[0].idx - 5), tokens[0].idx)
        ):
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        words = text[start:end]
        if not words[:1].isupper() or not any(c.islower() for c in words):
            continue  # "P07", "CIT", lower-case words are not names
        if any(s < end and start < e for s, e in blanked):
            continue
        spans.append((start, end, "person"))
    return spans


def _resolve(spans: list[Span]) -> list[Span]:
    """Drop spans overlapping a longer or higher-priority one; keep the text order."""
    ranked = sorted(set(spans), key=lambda s: (_PRIORITY[s[2]], -(s[1] - s[0]), s[0]))
    kept: list[Span] = []  # sorted by start, never overlapping
    for span in ranked:
        start, end, _ = span
        i = bisect.bisect_left(kept, span)
        if start >= end or (i > 0 and kept[i - 1][1] > start) or (i < len(kept) and kept[i][0] < end):
            continue
        kept.insert(i, span)
    return kept


def _repeat_names(text: str, spans: list[Span]) -> list[Span]:
    """Other mentions of a surname or first name already found: "Ruiz" after "Officer Ruiz", and "ruiz" as
    speech recognition types it, unless that is an everyday word too ("Officer Brown" ... "brown jacket")."""
    from .names import english_words, surnames

    english, given, family = english_words(), first_names(), surnames()
    tokens = {
        word
        for start, end, category in spans
        if category == "person"
        for word in text[start:end].replace(",", " ").split()
        # "Will" of "Will Turner" must not make every "Will" a name: everyday words stay out.
        # nor a nickname's word: "Big" of "Big Mike" is no name in "the Big Brothers program"
        if len(word) > 2
        and not word.endswith(".")
        and word not in NOT_NAMES
        and word not in AMBIGUOUS
        and word not in NICKNAME_WORDS
        # a name typed in lower case that is a word, and no first name ("they call him ghost", "officer
        # brown"), is that word elsewhere, even when it is a surname too: one "we call her urban" must not
        # make a person of every "urban" in a study of urban and rural agencies ("big mike" is Mike again)
        and not (word.islower() and word in english and word.capitalize() not in given)
        # nor a first name that is a word, found alone in lower case beside "me and": "me and will went in"
        # must not make a person of every "will" ("rose whitaker" does of "granny rose")
        and not (word == text[start:end] and word.islower() and word.capitalize() in AMBIGUOUS)
    }
    if not tokens:
        return []
    common = common_words()
    # a nickname that is a word and no name ("Bear") is that word in lower case ("can't bear it")
    words_only = {
        t.casefold()
        for t in tokens
        if t.casefold() in english and t not in given and t.casefold() not in family
    }
    lowered = lower_text(text)
    # Searched in the lower-cased text: a case-insensitive search of many words is several times slower.
    flags = 0 if len(lowered) == len(text) else re.IGNORECASE  # unless lower case would shift offsets
    words = sorted({t.lower() for t in tokens})
    pattern = re.compile(r"\b" + word_trie(words) + r"\b", flags)  # as a trie: several times faster
    return [
        (nickname_start(text, m.start()), m.end(), "person")  # "big mike" after "Big Mike Delgado"
        for m in pattern.finditer(lowered if not flags else text)
        if text[m.start() : m.end()] in tokens
        or (m.group().casefold() not in common and m.group().casefold() not in words_only)
    ]


# The interview's own date in the transcript's header is metadata the project records already (ingest takes
# it as the transcript's date), not a participant's identifier: "Date: 3 March 2024", Otter's "March 3,
# 2024 · 45 min", Teams' "January 24, 2024, 3:03PM", front matter's "date: 2024-03-03". Only such a line,
# holding nothing but the date and a label, a time or a duration, and only before the first turn: a date of
# birth ("DOB: ...") or a date said in a turn is still found.
_HEADER_DATE_LINE = lazy_compile(
    r"(?i)[ \t#*_>-]*(?P<l>(?:(?:interview|session|recording)(?:[ \t]+date)?|date(?:[ \t]+of[ \t]+(?:the[ \t]+)?"
    r"(?:interview|session|recording))?|recorded(?:[ \t]+on)?)[ \t*_]*:[ \t*_]*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?[ \t]+)?(?P<d>[^\n·•∙●|]*?)"
    r"(?P<t>,?[ \t]+(?:at[ \t]+)?\d{1,2}:\d{2}(?::\d{2})?[ \t]*(?:[ap]\.?m\.?)?)?"
    r"(?P<u>[ \t]*[·•∙●|][ \t]*(?:\d{1,2}:\d{2}(?::\d{2})?|\d+[ \t]*(?:min|mins|minutes|h|hr|hrs|hours)\b\.?)"
    r"(?:[ \t]*\d+[ \t]*(?:min|mins|minutes|s|sec|secs)\b\.?)?)?[ \t*_]*"
)
# A line that starts a turn ("Interviewer: So...", "P07:", "[00:01:02]", "Dana Whitfield  0:03") ends the
# header; cover keys ("Date:", "Location:", front matter's "id:") do not.
_TURN_START = lazy_compile(
    r"[ \t]*(?:\[?\(?\d{1,2}:\d{2}|(?!(?i:title|date|interview(?:[ \t]+(?:date|id))?|session|location|site|"
    r"duration|length|time|id|participant[ \t]+id|recorded(?:[ \t]+on)?|recording|transcript|transcribed[ \t]+by|"
    r"keywords)[ \t]*:)[A-Z][^:\n]{0,40}:[ \t]|.*[ \t]\d{1,2}:\d{2}(?::\d{2})?[ \t]*$)"
)
_HEADER_LINES = 15


def _header_dates(text: str, spans: list[Span]) -> set[Span]:
    """The date spans that are the transcript's own date in its header (see _HEADER_DATE_LINE)."""
    dates = [s for s in spans if s[2] == "date"]
    if not dates:
        return set()
    found, at = set(), 0
    for _ in range(_HEADER_LINES):
        end = text.find("\n", at)
        end = len(text) if end == -1 else end
        m = _HEADER_DATE_LINE.fullmatch(text, at, end)
        date = [s for s in dates if s[:2] == m.span("d")] if m and (m["l"] or m["t"] or m["u"]) else []
        if date:  # with the month and day found inside it too ("March 3" of "March 3, 2024")
            a, b = m.span("d")
            found.update(s for s in dates if a <= s[0] and s[1] <= b)
        elif _TURN_START.match(text, at, end):
            break
        if end == len(text):
            break
        at = end + 1
    return found


_ID_PARTS = re.compile(r"[\s_.]+")


class StudyIds(frozenset):
    """What study_ids() returns: casefolded already, so scan_text takes it as it is. A study of 1,200
    transcripts has thousands of ids, and every text is checked against all of them."""


def study_ids(candidates: Iterable[str | None], known: StudyIds | None = None) -> StudyIds:
    """The study's own ids among `candidates` (transcript ids, file names, the attributes CSV's ids,
    speaker labels), casefolded: those with a digit and no space ("P107", "BSR01_transcript_deidentified"),
    and their parts with a digit ("BSR01"). A study id is a pseudonym, never an identifier; a speaker
    label without a digit ("Maria Lopez") is not taken for one. `known`, ids found before (the whole
    study's, worked out once), is added without being worked out again for each text."""
    found: set[str] = set(known or ())
    for value in candidates:
        value = (value or "").strip()
        if not value or any(c.isspace() for c in value) or not any(c.isdigit() for c in value):
            continue
        if value[:1] in "+123456789" and PHONE.fullmatch(value):
            continue  # a caller's number as Zoom's speaker name (`15552013344`): an identifier, no pseudonym
        found.add(value.casefold())
        found.update(part.casefold() for part in _ID_PARTS.split(value) if any(c.isdigit() for c in part))
    return StudyIds(found)


def _inside(span: Span, sorted_spans: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(sorted_spans, (span[0], float("inf"))) - 1
    return i >= 0 and sorted_spans[i][0] <= span[0] and span[1] <= sorted_spans[i][1]


def _rule_spans(masked: str) -> list[Span]:
    """What the rules find in `masked` (placeholders blanked), before allowlist and study ids."""
    spans = list(iter_structured(masked))
    names = list(iter_names(masked))
    # The only ids that hold a word are call signs ("Adam 12"): its "Adam" is no person, and must not make
    # every later "adam" one.
    ids = sorted((s, e) for s, e, c in spans if c == "id_number")
    if ids:
        names = [n for n in names if not _inside(n, ids)]
    spans.extend(names)
    spans.extend(iter_places(masked))
    spans.extend(iter_roads_and_towns(masked))
    spans.extend(iter_streets(masked))
    return spans


# Words in capitals, three or more in a row, or a whole line of them ("MERCY SAID NO", "I TOOK HIM TO MERCY
# GENERAL"): shouted speech, or a court or caption export typed in capitals. The rules read a capital as the
# start of a name, so a line all in capitals either hides everything (no word looks like a name among
# others that do) or would make every word one; such a stretch is read in lower case instead, as speech
# recognition types it, where the rules for lower-case names, places and hospitals apply. Two capitals
# words in a line of small letters stay as they are: acronyms ("the CIT team", "EMS and PD").
_CAPS_WORD = r"[A-Z][A-Z0-9'’.&-]*"
_CAPS_RUN = lazy_compile(
    rf"(?<![\w'’]){_CAPS_WORD}(?:[ \t]*[,;:!?\"“”()/-]*[ \t]+[\"“(]*(?:{_CAPS_WORD}|\d[A-Z0-9.:/'’&-]*))+(?![\w'’])"
)
_CAPS_LIKELY = re.compile(r"[A-Z][A-Z'’]*\.?[ \t]+[A-Z]")
# ...and a rank in capitals with the one word after it, in a line of small letters: "SGT. BROWN said",
# "we waited for LT ORTIZ" (iter_caps_names reads the surname after it).
_CAPS_TITLES = frozenset(t.upper() for t in TITLES.split("|"))


def _capitals_spans(masked: str) -> list[Span]:
    """What the rules find in the stretches of `masked` typed in capitals (_CAPS_RUN) read in lower case,
    each overlapping such a stretch; offsets are `masked`'s."""
    # speed: most transcripts hold no two words of two capitals or more ("WEBVTT" is one; the text's
    # distinct words, split once for the rules already, cost a tenth of a search of the text), nor two
    # capitals words in a row
    capitals = (w for w in text_tokens(masked) if w[1:2].isupper())
    if next(capitals, None) is None or next(capitals, None) is None or not _CAPS_LIKELY.search(masked):
        return []
    runs = []
    for m in _CAPS_RUN.finditer(masked):
        words = sum(1 for w in m.group().split() if any(c.isalpha() for c in w))
        if (
            words >= 3
            or (words >= 2 and _whole_line(masked, m.start(), m.end()))
            or (words == 2 and m.group().split()[0].rstrip(".") in _CAPS_TITLES)
        ):
            runs.append(m.span())
    if not runs:
        return []
    # The lines holding them, those in a row kept together (a name may go on over a line break), the
    # stretches lowered; the other lines stay out of the second reading (speed, and so nothing is found twice).
    blocks: list[list[int]] = []  # [start, end] of each block of lines in `masked`
    for start, end in runs:
        line_start = masked.rfind("\n", 0, start) + 1
        line_end = masked.find("\n", end)
        line_end = len(masked) if line_end == -1 else line_end
        if blocks and line_start <= blocks[-1][1] + 1:
            blocks[-1][1] = max(blocks[-1][1], line_end)
        else:
            blocks.append([line_start, line_end])
    lowered = list(masked)
    for start, end in runs:
        low = masked[start:end].lower()
        if len(low) == end - start:  # never shift an offset ("İ" lowers to two characters)
            lowered[start:end] = low
    text = "".join(lowered)
    parts, offsets, at = [], [], 0
    for start, end in blocks:
        parts.append(text[start:end])
        offsets.append((at, at + end - start, start - at))
        at += end - start + 2
    spans = list(iter_caps_names(masked, runs))
    for start, end, category in _rule_spans("\n\n".join(parts)):
        i = bisect.bisect_right(offsets, (start, float("inf"))) - 1
        if i < 0 or end > offsets[i][1]:
            continue  # across two blocks
        start, end = start + offsets[i][2], end + offsets[i][2]
        j = bisect.bisect_right(runs, (start, float("inf"))) - 1
        if any(a < end and start < b for a, b in runs[max(0, j) : j + 2]):
            spans.append((start, end, category))
    return spans


# Names that name no one: the placeholder of an unknown patient ("he came in as a John Doe", "we had him as
# john doe"), shops and restaurants named like people ("King Soopers", "Fred Meyer", "Trader Joe's") and
# sayings and brands that are ("for Pete's sake", "Elmer's glue", "Fannie Mae", "a nervous Nellie").
# A person found inside one is dropped. Searched only where one of their last words is in the text.
_NO_ONE_WORDS = frozenset(
    w + end
    for w in (
        "doe",
        "Doe",
        "DOE",
        "Soopers",
        "Meyer",
        "Joe's",
        "Joe’s",
        "Joe",
        "John's",
        "John’s",
        "Evans",
        "Thumb",
        # sayings and brands named like people: "for Pete's sake", "Elmer's glue", "Fannie Mae"
        "sake",
        "glue",
        "Mae",
        "Mac",
        "Nellie",
        "Bertha",
        "Downer",
    )
    for end in ("", ",", ".", ";", "?", "!")
)
_NO_ONE = lazy_compile(
    r"(?<![\w'’-])(?:(?i:(?:john|jane|baby|johnny)[ \t]+doe)|King[ \t]+Soopers|Fred[ \t]+Meyer|Trader[ \t]+Joe|"
    r"Papa[ \t]+John|Jimmy[ \t]+John|Bob[ \t]+Evans|Tom[ \t]+Thumb|Pete['’]s[ \t]+sake|Elmer['’]s[ \t]+glue|"
    r"Fannie[ \t]+Mae|Freddie[ \t]+Mac|(?i:nervous)[ \t]+Nellie|Big[ \t]+Bertha|Debbie[ \t]+Downer)(?:['’]?s)?(?![\w'’-])"
)
# ...and more sayings and brands, also typed in lower case: "a real Johnny on the spot", "a Peeping Tom", "your
# average Joe", "a Dr Pepper", "Jack Daniel's". Tried only in a window around each of their rarer words the
# text holds ("Joe", "Charlie", "Dear" are in many transcripts: a search of the whole text there cost a
# seventh of its scan).
_SAYINGS = lazy_compile(
    r"(?<![\w'’-])(?i:johnny[ \t-]+on[ \t-]+the[ \t-]+spot|charlie[ \t]+horse|billy[ \t]+club|tommy[ \t]+gun|"
    r"dear[ \t]+john[ \t]+letter|average[ \t]+joe|joe[ \t]+(?:schmo|blow)|peeping[ \t]+tom|bloody[ \t]+mary|"
    r"negative[ \t]+nancy|lazy[ \t]+susan|chatty[ \t]+cathy|nosy[ \t]+nell(?:y|ie)|mickey[ \t]+mouse|"
    r"dr\.?[ \t]+pepper|judge[ \t]+judy|little[ \t]+debbie|betty[ \t]+crocker|aunt[ \t]+jemima|uncle[ \t]+ben['’]s|"
    r"harley-davidson|john[ \t]+deere|jim[ \t]+beam|jack[ \t]+daniel['’]?s|johnnie[ \t]+walker|"
    r"ben[ \t]+(?:and|&)[ \t]+jerry['’]s|"
    # the government ("worked for Uncle Sam"), not someone's uncle ("my uncle Sam came by")
    r"(?<!my[ \t])(?<!his[ \t])(?<!her[ \t])(?<!our[ \t])(?<!your[ \t])(?<!their[ \t])uncle[ \t]+sam|"
    # the rum where it is drunk ("drinking Captain Morgan", "Captain Morgan and Coke"), not a captain so named
    r"(?:drinking|drank|drunk[ \t]+on|(?:bottle|fifth|handle|pint|shots?)[ \t]+of)[ \t]+(?:some[ \t]+)?captain[ \t]+morgan|"
    r"captain[ \t]+morgan(?:['’]s)?[ \t]+(?:(?:and|&)[ \t]+coke|rum|spiced)|virgin[ \t]+mary)(?:['’]?s)?(?![\w'’-])"
)
_SAYING_WORDS = tuple(
    w
    for word in """Johnny Charlie Billy Tommy Dear Joe Peeping Bloody Negative Lazy Chatty Nosy Mouse Pepper Judy
    Debbie Crocker Jemima Ben's Ben’s Harley-Davidson Deere Beam Daniels Daniel's Daniel’s Johnnie Jerry's Jerry’s
    Schmo Blow Uncle Captain Virgin""".split()  # noqa: SIM905
    for w in (word, word.lower())
)
_SAYING_TOKENS = {w + end: w for w in _SAYING_WORDS for end in ("", ",", ".", ";", "?", "!")}


def _no_one_spans(text: str) -> list[tuple[int, int]]:
    tokens = text_tokens(text)  # the text's words, split once for the rules already
    spans = [] if tokens.isdisjoint(_NO_ONE_WORDS) else [m.span() for m in _NO_ONE.finditer(text)]
    for word in {_SAYING_TOKENS[t] for t in tokens.intersection(_SAYING_TOKENS)}:
        for at in word_starts(text, word):
            m = _SAYINGS.search(text, max(0, at - 16), at + len(word) + 24)
            if m:
                spans.append(m.span())
    return spans


def _whole_line(text: str, start: int, end: int) -> bool:
    """Whether no small letter is on the line of `text[start:end]`."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    return not any(c.islower() for c in line)


def scan_text(
    text: str, *, allow: Iterable[str] = (), nlp: Any = None, study_ids: Iterable[str] = ()
) -> list[Finding]:
    """Likely identifiers in `text`, in text order. `allow` lists phrases to keep; `nlp` a trained
    pipeline; `study_ids` (see study_ids()) the study's own ids, which are never reported ("id: P107")."""
    if not text.isascii():
        if INVISIBLE.search(text):
            return _scan_visible(text, allow=allow, nlp=nlp, study_ids=study_ids)
        if not unicodedata.is_normalized("NFC", text):
            return _scan_composed(text, allow=allow, nlp=nlp, study_ids=study_ids)
    masked, blanked = _mask_placeholders(text)
    spans = _rule_spans(masked)
    no_one = _no_one_spans(masked)  # before the capitals' reading splits another text
    spans.extend(_capitals_spans(masked))  # after the rules, which split the text's words for it
    if blanked:
        spans.extend(_beside_tags(text, blanked))
    if nlp is not None:
        spans.extend(_model_names(text, nlp, blanked))
    allowed = allowed_spans(text, allow) if allow else []
    header = _header_dates(masked, spans)
    spans.extend(iter_rooms(masked, [s for s in spans if s not in header]))  # not the interview's own date
    own = study_ids if isinstance(study_ids, StudyIds) else frozenset(i.casefold() for i in study_ids)
    if no_one:
        spans = [
            s
            for s in spans
            if s[2] not in ("person", REVIEW) or not any(a < s[1] and s[0] < b for a, b in no_one)
        ]
    spans = [
        s
        for s in spans
        if not any(a <= s[0] and s[1] <= b for a, b in allowed)
        and text[s[0] : s[1]].casefold() not in own
        and s not in header
    ]
    spans.extend(
        s for s in _repeat_names(masked, spans) if not any(a <= s[0] and s[1] <= b for a, b in allowed)
    )
    findings: list[Finding] = []
    resolved = _resolve(spans)
    if not resolved:  # nearly every text of a study: no line to number (its newlines' list, 18 ms a study)
        return findings
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for start, end, category in resolved:
        line = bisect.bisect_right(line_starts, start)
        review = category == REVIEW
        findings.append(
            Finding(
                line,
                start - line_starts[line - 1] + 1,
                start,
                end,
                "person" if review else category,
                text[start:end],
                review,
            )
        )
    return findings


def _scan_composed(text: str, **options: Any) -> list[Finding]:
    """scan_text() of a text written with decomposed accents (NFD, as a Mac may save it: `e` and a
    combining accent), read composed, as it shows: "Jose\u0301 Marti\u0301nez" was found as "Jose" alone,
    and its redacted copy kept the accent and the surname. The findings' offsets are the text's, each span
    over its letters' accents."""
    starts, ends, shown = [], [], []
    i, n = 0, len(text)
    while i < n:  # a letter with the marks after it, composed on its own
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        for ch in unicodedata.normalize("NFC", text[i:j]):
            starts.append(i)
            ends.append(j)
            shown.append(ch)
        i = j
    found = scan_text("".join(shown), **options)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    moved = []
    for f in found:
        start, end = starts[f.start], ends[f.end - 1]
        line_start = line_starts[f.line - 1]  # no accent is a line break: the same line
        moved.append(
            Finding(f.line, start - line_start + 1, start, end, f.category, text[start:end], f.review)
        )
    return moved


_CAPITAL_NEXT = re.compile(f"(?:{INVISIBLE.pattern})*[A-ZÀ-ÖØ-Þ]")


def _scan_visible(text: str, **options: Any) -> list[Finding]:
    """scan_text() of a text holding invisible format characters (a zero-width space or joiner, a soft
    hyphen: textmatch.INVISIBLE), read as it shows: "Sgt. Oka\u200bfor" was found as "Oka" and its redacted
    copy kept "for"; one between a small letter and a capital parts two words ("Maria\u00adLopez"). The findings' offsets are the text's, each span over the invisible characters in it."""
    kept, shown = [], []
    for i, ch in enumerate(text):
        if not INVISIBLE.fullmatch(ch):
            kept.append(i)
            shown.append(ch)
        elif shown and shown[-1].islower() and _CAPITAL_NEXT.match(text, i + 1):
            # between a small letter and a capital it parts two words, as a line break a soft hyphen
            # marks does: "Maria\u00adLopez" is two names, not the one word "MariaLopez"
            kept.append(i)
            shown.append(" ")
    found = scan_text("".join(shown), **options)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    moved = []
    for f in found:
        start, end = kept[f.start], kept[f.end - 1] + 1
        line_start = line_starts[f.line - 1]  # no invisible character is a line break: the same line
        moved.append(
            Finding(f.line, start - line_start + 1, start, end, f.category, text[start:end], f.review)
        )
    return moved
