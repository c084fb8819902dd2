"""Streets as officers and clinicians say them, and as speech recognition types them: in lower case, with
no suffix, without a house number, or a house number with a direction and no suffix.

"we met him at 3rd and main", "the corner of fifth and elm", "he was at 1400 e colfax", "the county jail on
5th", "they took him to st joes". The capitalised forms with a suffix are found by rules.py (ADDRESS,
INTERSECTION) and places.py (NAMED_ROAD, SAINTS); these are what they leave. A street named alone ("down
main street") is generic talk and is left alone unless a place is said on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .names import AMBIGUOUS, NOT_NAMES, common_words, english_words, first_names, word_trie
from .rules import Span, text_tokens

_ORDINAL_WORDS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()  # noqa: SIM905
)
_DIGIT_ORDINAL = re.compile(r"\d{1,3}(?:st|nd|rd|th)")
# Street names that are English words, the commonest on US maps: alone they are words ("main", "park"),
# beside an ordinal or a house number they are the street.
STREET_WORDS = frozenset(
    """main elm oak pine maple cedar walnut spruce chestnut birch willow ash hickory poplar sycamore magnolia
    cherry locust laurel juniper dogwood aspen park lake hill church market broadway center central college
    school mill spring river water front high ridge grand state union washington lincoln jefferson madison
    franklin jackson adams harrison monroe wilson grant colfax federal""".split()  # noqa: SIM905
)
_SUFFIXES = frozenset(
    """street st avenue ave road rd boulevard blvd drive dr lane ln court ct place pl way parkway pkwy
    highway hwy""".split()  # noqa: SIM905
)
# Words that are no street: pronouns, articles and the fillers speech recognition writes.
_NOT_STREETS = frozenset(
    """the a an and or but so then i you he she we they it me him her us them my his our their your its this
    that these those there here what who um umm uh uhh hmm mm mhm yeah yes no okay ok like gonna kinda sorta
    wanna gotta dunno""".split()  # noqa: SIM905
)
_PLACE_BEFORE = re.compile(
    r"(?<![\w'’-])(?i:at|on|near|off|by|to|from|around|of|over|past|down|up|across|outside|behind|towards?|into)"
    r"[ \t]+(?:the[ \t]+)?$"
)
_CROSS_CUE = re.compile(r"(?<![\w'’-])(?i:corner|intersection)[ \t]+of[ \t]+$")


def _ordinal(word: str) -> bool:
    return word in _ORDINAL_WORDS or _DIGIT_ORDINAL.fullmatch(word) is not None


def a_street_name(word: str, *, first_name_too: bool = False) -> bool:
    """A word that can only be a name here: letters, no English or everyday word, no first name (unless
    `first_name_too`: where only a street can stand, "15th and curtis", "the house on lawrence")."""
    return (
        len(word) >= 4
        and word.isalpha()
        and word not in english_words()
        and word not in common_words()
        and word.title() not in NOT_NAMES
        and word.title() not in AMBIGUOUS
        and (first_name_too or word.title() not in first_names())
    )


def _streetish(word: str, suffixed: bool, *, first_name_too: bool = False) -> bool:
    if word in _NOT_STREETS:
        return False
    return (
        suffixed
        or word in STREET_WORDS
        or _ordinal(word)
        or a_street_name(word, first_name_too=first_name_too)
    )


# One side of a crossing: a word, and a suffix after it ("main street and 5th").
_SIDE = r"(?P<{w}>[a-z0-9][a-z0-9'’]*)(?:[ \t]+(?P<{s}>{sfx})\.?)?"
_SFX = "|".join(sorted(_SUFFIXES, key=len, reverse=True))
_LOWER_CROSS = re.compile(
    _SIDE.format(w="a", s="as", sfx=_SFX)
    + r"[ \t]+(?:and|&)[ \t]+"
    + _SIDE.format(w="b", s="bs", sfx=_SFX)
    + r"(?![\w'’-])"
)


def _side_start(text: str, at: int) -> int:
    """The start of the crossing's first side, which ends at `at` (one word, or a word and its suffix)."""
    start = text.rfind(" ", 0, at) + 1
    if text[start:at].rstrip(".") in _SUFFIXES:
        before = text.rfind(" ", 0, start - 1) + 1
        if before < start - 1:
            return before
    return start


def _a_cross_name(word: str) -> bool:
    """A street's name beside a street word ("federal and alameda"): no state, brand or country ("to
    washington and oregon", "at school and starbucks")."""
    from .places import _NOT_TOWNS, STATE_NAMES, _countries

    title = word.title()
    return (
        a_street_name(word)
        and title not in STATE_NAMES
        and title not in _NOT_TOWNS
        and title not in _countries()
    )


def _crossing(text: str, m: re.Match) -> bool:
    a, b = m.group("a"), m.group("b")
    before = text[max(0, m.start() - 20) : m.start()]
    if before.endswith("corner of ") and a not in _NOT_STREETS and b not in _NOT_STREETS:
        return True  # "the corner of alvarado and sunset": any two words but "my", "the"...
    # beside a numbered street ("15th and curtis") a first name is a street's too
    numbered = _DIGIT_ORDINAL.fullmatch(a) is not None or _DIGIT_ORDINAL.fullmatch(b) is not None
    if not _streetish(a, bool(m.group("as")), first_name_too=numbered) or not _streetish(
        b, bool(m.group("bs")), first_name_too=numbered
    ):
        return False
    if _CROSS_CUE.search(before):
        return True  # "the intersection of 3rd and colfax" ("the intersection of race and policing" is none)
    if _ordinal(a) and _ordinal(b):
        return False  # "first and second shift", "3rd and 4th grade"
    if not (_ordinal(a) or _ordinal(b) or m.group("as") or m.group("bs")) and not (
        (a in STREET_WORDS and _a_cross_name(b)) or (b in STREET_WORDS and _a_cross_name(a))
    ):
        return False  # "at church and school", "to walmart and costco"; "on federal and alameda" is a corner
    return _PLACE_BEFORE.search(before) is not None  # "my first and main concern" is none


def _backwards(words) -> str:
    """A regex of `words` spelled backwards, for a search of the reversed text."""
    return word_trie(sorted(w[::-1] for w in words))


# Every crossing without "corner of" has an ordinal or a street's word after " and ", or an ordinal, a
# suffix or a street's word before it. Searched as " and " with them after it, and in the reversed text as " dna " with them
# (backwards) after it: a search of the words before " and " would be tried at every letter (many times
# slower), and a check of every " and " in Python cost 2% of the scan. Each search runs only in a text that
# holds its words (text_tokens; a word after " and " may carry the sentence's punctuation).
_DIGIT_ORDINALS = frozenset(
    f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
    for n in range(1, 400)
)
_PUNCTUATION = ("", ".", ",", ";", ":", "!", "?", ")", '"', "'", "’")
_AFTER_AND = frozenset(w + p for w in _ORDINAL_WORDS | STREET_WORDS | _DIGIT_ORDINALS for p in _PUNCTUATION)
_BEFORE_AND = _ORDINAL_WORDS | _SUFFIXES | {f"{w}." for w in _SUFFIXES} | _DIGIT_ORDINALS | STREET_WORDS
_AND_STREET = re.compile(
    rf" and (?=(?:\d+(?:st|nd|rd|th)|{word_trie(sorted(_ORDINAL_WORDS | STREET_WORDS))})(?![\w'’-]))"
)
_STREET_AND_BACKWARDS = rf"dna (?=(?:\.?(?:{_backwards(_ORDINAL_WORDS | _SUFFIXES | STREET_WORDS)})|(?:ts|dn|dr|ht)\d+)(?![\w'’-]))"
_CROSS_CUES = ("corner of ", "intersection of ")


def _joints(text: str, backwards: list[re.Match]) -> list[int]:
    """Where " and " (or " & ") may join two streets: see _AND_STREET."""
    tokens = text_tokens(text)
    joints = set() if tokens.isdisjoint(_AFTER_AND) else {m.start() for m in _AND_STREET.finditer(text)}
    size = len(text)
    joints.update(size - m.end() for m in backwards if m.group() == " dna ")
    if "&" in text:
        at = text.find(" & ")
        while at != -1:
            joints.add(at)
            at = text.find(" & ", at + 1)
    if not tokens.isdisjoint(("corner", "intersection")):
        for cue in _CROSS_CUES:
            at = text.find(cue)
            while at != -1:
                for joint in (" and ", " & "):
                    found = text.find(joint, at + len(cue), at + len(cue) + 40)
                    if found != -1:
                        joints.add(found)
                at = text.find(cue, at + 1)
    return sorted(joints)


def _lower_intersections(text: str, backwards: list[re.Match]) -> Iterator[Span]:
    """ "at 3rd and main", "the corner of fifth and elm", "on colfax and 5th", "main street and 3rd", typed in
    lower case (INTERSECTION in rules.py finds them capitalised). `backwards`: _BACKWARDS's matches in the
    reversed text."""
    for at in _joints(text, backwards):
        if at and (text[at - 1].islower() or text[at - 1].isdigit() or text[at - 1] == "."):
            m = _LOWER_CROSS.match(text, _side_start(text, at))
            if m and m.group().islower() and _crossing(text, m):
                yield m.start(), m.end(), "address"


# A street said after a place on it or after living on it: "the county jail on 5th", "the motel on colfax",
# "the shelter on main street", "she lives on colfax". The word before says the street is one; alone, "on
# 5th" or "on main" is not sure enough.
_FACILITY_WORDS = frozenset(
    """jail hospital clinic shelter station precinct substation motel hotel apartments apartment building
    church school store bar detox center centre office courthouse library mission camp encampment underpass
    bridge house complex mall liquor gas er va 7-eleven walmart lives lived live living stays stayed staying
    resides""".split()  # noqa: SIM905
)
# What one lives on that is no street: "she lives on medicaid", "he lives on ssi".
_NOT_ON_STREETS = frozenset("medicaid medicare ssi ssdi tanf snap ebt".split())  # noqa: SIM905
_ON_STREET = re.compile(
    r"(?P<w>[a-z][a-z'’]*|\d{1,3}(?:st|nd|rd|th))(?:[ \t]+(?P<s>" + _SFX + r")\.?)?(?![\w'’-])"
)
_ON_STREET_END = re.compile(
    r"[ \t]*(?:$|[.,;:!?)\n]|(?:and|or|in|by|near|where|which|that|when|then|so|we|i|he|she|they|because|but|"
    r"right|across|downtown|um|uh|like|yeah|was|is|were|had|has)\b)",
    re.MULTILINE,
)


# Searched in the reversed text as " no " with a place's word (backwards) after it (see _AND_STREET).
_PLACES = _FACILITY_WORDS | {w.title() for w in _FACILITY_WORDS} | {"ER", "VA"}
_PLACE_ON_BACKWARDS = rf"no (?=(?:{_backwards(_PLACES)})(?![\w'’-]))"
# The searches of the reversed text: each alone, or both as one (faster than two passes).
_BACKWARDS = {
    (True, False): re.compile(f" (?:{_STREET_AND_BACKWARDS})"),
    (False, True): re.compile(f" (?:{_PLACE_ON_BACKWARDS})"),
    (True, True): re.compile(f" (?:{_STREET_AND_BACKWARDS}|{_PLACE_ON_BACKWARDS})"),
}


def _streets_of_places(text: str, backwards: list[re.Match]) -> Iterator[Span]:
    size = len(text)
    for found in backwards:
        if found.group() != " no ":
            continue
        m = _ON_STREET.match(text, size - found.start())
        if m:
            word = m.group("w")
            suffixed = m.group("s") is not None
            if (
                word not in _NOT_STREETS
                and word not in _NOT_ON_STREETS
                and (
                    suffixed
                    or _ordinal(word)
                    or word in STREET_WORDS
                    or a_street_name(word, first_name_too=True)
                )
                and _ON_STREET_END.match(text, m.end())
            ):
                yield m.start(), m.end(), "address"


_SAINT_TOKENS = frozenset(("st", "st.", "St", "St.", "saint", "Saint"))


# A saint's place typed in lower case or without its apostrophe: "st joes", "st. joe's", "St Joes", "st
# marys" (SAINTS in places.py finds "St. Joe's" and "Saint Joseph's"; "St. Patrick's Day" is a holiday).
_LOWER_ST = re.compile(
    r"(?<![\w.])(?:[Ss]aint|[Ss]t\.?)[ \t]+(?P<w>[a-z]{3,}|[A-Z][a-z]{2,})(?P<s>['’]s)?(?![\w'’-])"
    r"(?![ \t]+(?i:day|eve)\b)"
)


def _lower_saints(text: str) -> Iterator[Span]:
    for cue in ("st ", "st. ", "St ", "St. ", "saint ", "Saint "):
        at = text.find(cue)
        while at != -1:
            m = _LOWER_ST.match(text, at)
            at = text.find(cue, at + 1)
            if not m:
                continue
            word, possessive = m.group("w"), m.group("s")
            if not possessive and word.endswith("s") and word[:-1].title() in first_names():
                word, possessive = word[:-1], "s"  # "st joes", "St Marys": the apostrophe left out
            if word.title() in first_names():  # "st jude", "St. Luke" alone: a hospital or a church too
                yield m.start(), m.end(), "address"


def iter_streets(text: str) -> Iterator[Span]:
    """The streets above, as address spans (a house number with a direction: rules.HOUSE_DIRECTION)."""
    if not text.isascii() and len(text.lower()) != len(text):
        return  # a character whose lower case is longer would shift the offsets
    tokens = text_tokens(text)
    searched = (not tokens.isdisjoint(_BEFORE_AND), not tokens.isdisjoint(_PLACES))
    backwards = list(_BACKWARDS[searched].finditer(text[::-1])) if any(searched) else []
    yield from _lower_intersections(text, backwards)
    yield from _streets_of_places(text, backwards)
    if not tokens.isdisjoint(_SAINT_TOKENS):
        yield from _lower_saints(text)
