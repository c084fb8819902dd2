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

from ..lazyre import lazy_compile
from .names import AMBIGUOUS, NOT_NAMES, common_words, english_words, first_names, word_trie
from .rules import Span, lower_text, text_tokens

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
# Those that are names, said in pairs at a corner ("at madison and jefferson", "on Colfax and Broadway"):
# no everyday word among them ("on grant and federal funding" is money).
_NAMED_STREET_WORDS = frozenset(
    "washington lincoln jefferson madison franklin jackson adams harrison monroe wilson colfax broadway".split()  # noqa: SIM905
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
_LOWER_CROSS = lazy_compile(
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
        (a in STREET_WORDS and _a_cross_name(b))
        or (b in STREET_WORDS and _a_cross_name(a))
        or (
            a in _NAMED_STREET_WORDS
            and b in _NAMED_STREET_WORDS
            and a != b
            # and end the clause: "at lincoln and washington high schools" are schools
            and (_ON_STREET_END.match(text, m.end()) or _PAIR_END.match(text, m.end())) is not None
            and not before.endswith(" of ")  # "a picture of washington and lincoln"
        )
    ):
        return False  # "at church and school", "to walmart and costco"; "on federal and alameda" is a corner
    return _PLACE_BEFORE.search(before) is not None  # "my first and main concern" is none


# ...or go on as a place does: "he was at madison and jefferson kind of wandering in traffic".
_PAIR_END = lazy_compile(
    r"[ \t]+(?i:kind|sort|just|again|area|walking|wandering|standing|sitting|yelling|screaming|waiting)\b"
)


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
# (and capitalised, as speech recognition that capitalises names types them: "at Madison and Jefferson";
# the crossings are searched in the lower-cased text)
_AFTER_AND = frozenset(
    v + p
    for w in _ORDINAL_WORDS | STREET_WORDS | _DIGIT_ORDINALS
    for v in (w, w.title())
    for p in _PUNCTUATION
)
_BEFORE_AND = frozenset(
    v
    for w in _ORDINAL_WORDS | _SUFFIXES | {f"{w}." for w in _SUFFIXES} | _DIGIT_ORDINALS | STREET_WORDS
    for v in (w, w.title())
)
_AND_STREET = lazy_compile(
    rf" and (?=(?:\d+(?:st|nd|rd|th)|{word_trie(sorted(_ORDINAL_WORDS | STREET_WORDS))})(?![\w'’-]))"
)
_STREET_AND_BACKWARDS = rf"dna (?=(?:\.?(?:{_backwards(_ORDINAL_WORDS | _SUFFIXES | STREET_WORDS)})|(?:ts|dn|dr|ht)\d+)(?![\w'’-]))"
_CROSS_CUES = ("corner of ", "intersection of ")


def _joints(text: str, lowered: str, backwards: list[re.Match]) -> list[int]:
    """Where " and " (or " & ") may join two streets in `lowered` (`text` lower-cased): see _AND_STREET."""
    tokens = text_tokens(text)
    joints = set() if tokens.isdisjoint(_AFTER_AND) else {m.start() for m in _AND_STREET.finditer(lowered)}
    text = lowered
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


def _lower_intersections(text: str, lowered: str, backwards: list[re.Match]) -> Iterator[Span]:
    """ "at 3rd and main", "the corner of fifth and elm", "on colfax and 5th", "main street and 3rd", typed in
    lower case, or with the names capitalised ("at Madison and Jefferson", which INTERSECTION in rules.py
    leaves: it needs an ordinal or a suffix). `backwards`: _BACKWARDS's matches in the reversed lower-cased
    text."""
    for at in _joints(text, lowered, backwards):
        if at and (lowered[at - 1].islower() or lowered[at - 1].isdigit() or lowered[at - 1] == "."):
            m = _LOWER_CROSS.match(lowered, _side_start(lowered, at))
            if m and _as_names_are_typed(text[m.start() : m.end()]) and _crossing(lowered, m):
                yield m.start(), m.end(), "address"


def _as_names_are_typed(words: str) -> bool:
    """Each word in lower case or capitalised ("Colfax", not "COLFAX" nor "McDonald")."""
    return all(w[1:].islower() or not any(c.isalpha() for c in w[1:]) for w in words.split())


# A street said after a place on it or after living on it: "the county jail on 5th", "the motel on colfax",
# "the shelter on main street", "she lives on colfax". The word before says the street is one; alone, "on
# 5th" or "on main" is not sure enough.
_FACILITY_WORDS = frozenset(
    """jail hospital clinic shelter station precinct substation motel hotel apartments apartment building
    church school store bar detox center centre office courthouse library mission camp encampment underpass
    bridge house complex mall liquor gas er va csu 7-eleven walmart lives lived live living stays stayed staying
    resides""".split()  # noqa: SIM905
)
# Shops and motels a call is sent to, by the names people use for them: "the king soopers on colfax", "the
# Motel 6 on Federal", "the denny's on federal" (searched as the facility words above, backwards).
_CHAINS = frozenset(
    w.replace("_", " ")
    for w in """walgreens safeway soopers kroger albertsons target costco cvs mcdonald's mcdonalds denny's dennys ihop
    starbucks wendy's arby's sonic waffle_house taco_bell burger_king circle_k quiktrip 7-11 motel_6 super_8
    days_inn la_quinta dollar_general family_dollar dollar_tree autozone greyhound laundromat pharmacy
    dispensary""".split()  # noqa: SIM905
)
# What one lives on that is no street: "she lives on medicaid", "he lives on ssi".
_NOT_ON_STREETS = frozenset("medicaid medicare ssi ssdi tanf snap ebt".split())  # noqa: SIM905
_ON_STREET = lazy_compile(  # a direction before it too: "the safeway on south broadway"
    r"(?:(?:north|south|east|west|n|s|e|w)\.?[ \t]+)?(?P<w>[a-z][a-z'’]*|\d{1,3}(?:st|nd|rd|th))(?:[ \t]+(?P<s>"
    + _SFX
    + r")\.?)?(?![\w'’-])"
)
_ON_STREET_END = re.compile(
    r"[ \t]*(?:$|[.,;:!?)\n]|(?:and|or|in|by|near|where|which|that|when|then|so|we|i|he|she|they|because|but|for|"
    r"right|across|downtown|um|uh|like|yeah|was|is|were|had|has)\b)",
    re.MULTILINE,
)


# Searched in the reversed text as " no " with a place's word (backwards) after it (see _AND_STREET).
_PLACES = _FACILITY_WORDS | {w.title() for w in _FACILITY_WORDS} | {"ER", "VA"} | _CHAINS
# The words a text must hold for that search: a chain's name of two words by its word that is no number
_PLACE_TOKENS = frozenset(
    v for p in _PLACES for w in p.split() if not w.isdigit() for v in (w, w.title(), w.upper())
)
# "on", "off" and "off of" ("she lives off of federal", "the walmart off colfax"), backwards
_PLACE_ON_BACKWARDS = rf"(?:no|ffo|fo ffo) (?=(?:{_backwards(_PLACES)})(?![\w'’-]))"
_ON_CUES = frozenset((" no ", " ffo ", " fo ffo "))
# The searches of the reversed text: each alone, or both as one (faster than two passes).
_BACKWARDS = {
    (True, False): lazy_compile(f" (?:{_STREET_AND_BACKWARDS})"),
    (False, True): re.compile(f" (?:{_PLACE_ON_BACKWARDS})"),
    (True, True): lazy_compile(f" (?:{_STREET_AND_BACKWARDS}|{_PLACE_ON_BACKWARDS})"),
}


def _streets_of_places(text: str, lowered: str, backwards: list[re.Match]) -> Iterator[Span]:
    """`backwards`: _BACKWARDS's matches in the reversed lower-cased text. The street in lower case, or
    capitalised as a name ("the motel on Federal")."""
    size = len(text)
    for found in backwards:
        if found.group() not in _ON_CUES:
            continue
        m = _ON_STREET.match(lowered, size - found.start())
        if m and _as_names_are_typed(text[m.start() : m.end()]):
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


# A house number and a street without its suffix or a direction, after a word of place: "we got there, he was
# at 1400 colfax", "dispatched to 1400 Colfax, the Walgreens", "a welfare check at 3100 downing". The
# street: a street's word, an ordinal or no English word; with three digits or more, a rarer English word
# too ("downing"), no everyday word nor adverb ("at 1400 sharp", "at 100 percent"). It ends its
# clause, as a street does: "at 40 federal agencies", "up to 1400 state troopers" are counts. A time is no
# house number ("at 11 church was out": 1 to 12 are left).
_HOUSE_CUES = tuple("at on near off to from past outside behind around across of".split())  # noqa: SIM905
_HOUSE_CUE_ENDS = tuple(f"{b}{w} " for w in _HOUSE_CUES for b in (" ", "\n", "\t"))
_HOUSE_STREET = re.compile(r"(?P<w>[A-Za-z][a-z'’]+|\d{1,3}(?:st|nd|rd|th))(?![\w'’-])")
_COUNTED = frozenset(
    """lane mile miles block blocks minute minutes hour hours hrs min mins percent dollars bucks grand degrees
    pounds lbs feet foot yards mph milligrams mg sharp exactly roughly about something ish""".split()  # noqa: SIM905
)


def _house_street(word: str, number: str) -> bool:
    if word in _NOT_STREETS or word in _SUFFIXES or word in _COUNTED or word in _NOT_ON_STREETS:
        return False
    if word in STREET_WORDS or _ordinal(word) or a_street_name(word, first_name_too=True):
        return True
    from .places import STATE_NAMES

    if len(number) < 3 or len(word) < 4 or not word.isalpha() or word.title() in STATE_NAMES:
        return False
    return (
        word not in common_words()
        and not word.endswith("ly")  # "at 1400 sharp", "at 300 roughly"
        and not (word.endswith("s") and (word[:-1] in english_words() or word[:-2] in english_words()))
    )


# A number that may be a house's, searched for only in a text that holds one as a word (most hold few), by one
# pass that starts at a digit (a str.find per number cost 5% of a scan of a text full of numbers)
_HOUSE_NUMBER = re.compile(r" (?P<n>[1-9]\d{1,5})(?= )")  # a literal start: twice as fast


def _house_numbers(text: str, lowered: str, tokens: frozenset[str]) -> Iterator[Span]:
    if not any(t[0] != "0" and 2 <= len(t) <= 6 for t in filter(str.isdigit, tokens)):
        return
    for number in _HOUSE_NUMBER.finditer(text):
        start = number.start("n")
        # the word before, one str.endswith ("off of" too: it ends with " of " after "off")
        if not lowered.endswith(_HOUSE_CUE_ENDS, max(0, start - 10), start) or int(number.group("n")) <= 12:
            continue  # a time: "we got there at 11 church was out"
        if lowered.endswith(" of ", 0, start) and not lowered.endswith("off of ", 0, start):
            continue
        m = _HOUSE_STREET.match(text, number.end() + 1)
        if (
            m
            and _house_street(m.group("w").lower(), number.group("n"))
            and _ON_STREET_END.match(text, m.end())
        ):
            yield start, m.end(), "address"


# A house number said as words, in hundreds: "we found her at fourteen hundred colfax", "twenty three hundred
# federal boulevard", "fourteen hundred east colfax" (as the digits above: a street's word, an ordinal or no
# English word that ends its clause, or any street with its suffix; "two hundred federal agents", "fourteen
# hundred dollars" are none). Searched from "hundred", only in a text that holds it.
_SAID_HUNDREDS = lazy_compile(
    r"(?<![\w'’-])(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|"
    r"six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"two|three|four|five|six|seven|eight|nine)[- ]$"
)
_AFTER_HUNDRED = lazy_compile(
    r"hundred(?:[ \t]+(?:and[ \t]+)?(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|"
    r"three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?"
    r"(?P<d>[ \t]+(?:north|south|east|west|[nsew]\.?))?[ \t]+(?P<w>[a-z][a-z'’]+|\d{1,3}(?:st|nd|rd|th))"
    r"(?:[ \t]+(?P<s>street|st|avenue|ave|boulevard|blvd|road|rd|parkway|pkwy)\b\.?)?(?![\w'’-])"
)


def _said_house_numbers(text: str, lowered: str) -> Iterator[Span]:
    from .rules import _NOT_STREET_WORDS

    at = lowered.find("hundred ")
    while at != -1:
        m = _AFTER_HUNDRED.match(lowered, at)
        said = _SAID_HUNDREDS.search(lowered, max(0, at - 24), at) if m else None
        at = lowered.find("hundred ", at + 8)
        if said is None or m.group("w") == "block":
            continue  # "a hundred", "hundred block" (rules.py)
        word = m.group("w")
        if m.group("s"):
            street = word not in _NOT_STREETS and word not in _NOT_STREET_WORDS and word not in _COUNTED
        else:
            street = (
                word not in _NOT_STREETS
                and word not in _SUFFIXES
                and (word in STREET_WORDS or _ordinal(word) or a_street_name(word, first_name_too=True))
                and _ON_STREET_END.match(text, m.end()) is not None
            )
        if street:
            yield said.start(), m.end(), "address"


# A numbered street with its suffix and no house number: "his apartment on 2nd avenue", "the 6th Avenue
# bridge", "we were on 17th street", "over on Fifth Avenue" (ADDRESS needs a house number, NAMED_ROAD a
# capitalised name). An ordinal said as a word only before "avenue" ("the first street we tried" is none).
_NUMBERED_SUFFIXES = ("street", "avenue", "ave", "boulevard", "blvd")
_NUMBERED_TOKENS = frozenset(v for w in _NUMBERED_SUFFIXES for v in (w, w.title()))
_NUMBERED_STREET = re.compile(
    r"(?P<o>\d{1,3}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh"
    r"|twelfth)[ \t]+(?P<s>street|avenue|ave|boulevard|blvd)\b\.?(?![ \t]+(?:lights?|lamps?)\b)"
)


def _numbered_streets(text: str, lowered: str) -> Iterator[Span]:
    for suffix in _NUMBERED_SUFFIXES:
        needle = f" {suffix}"
        at = lowered.find(needle)
        while at != -1:
            start = lowered.rfind(" ", 0, at) + 1
            at = lowered.find(needle, at + 1)
            if start and lowered[start - 1] not in " \t\n\"'(":
                continue
            m = _NUMBERED_STREET.match(lowered, start)
            if m is None or not _as_names_are_typed(text[m.start() : m.end()]):
                continue
            if m.group("o")[0].isalpha() and m.group("s") not in ("avenue", "ave"):
                continue  # "the first street we tried"
            yield m.start(), m.end(), "address"


# A house number said as words before a street with its suffix: "we rolled up to twenty two elm street", "he
# lives at forty-one oak avenue", "one twenty maple drive", "three fifteen north main street" (the rules
# above need the number in hundreds or a direction after it). The street's words are a street's word, an
# ordinal or no everyday word ("a two lane road", "one way street", "twenty two side streets" are none;
# a suffix that is a word too, "drive", "court", "place", "way", takes only the first two); the address ends
# its clause ("twenty two main street businesses" counts them); a number of one word needs a word of place
# before it ("at forty-one oak avenue"; "had one main street" is none). Searched from the suffixes the text
# holds as words, then a number word before the street.
_NUMBER_WORD = (
    r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)"
)
_NUMBER_WORDS = frozenset(_NUMBER_WORD[3:-1].split("|"))
_SAID_SUFFIXES = frozenset(
    "street st avenue ave road rd boulevard blvd lane ln parkway pkwy drive dr court ct place pl way circle".split()  # noqa: SIM905
)
_WORD_SUFFIXES = frozenset("drive dr court ct place pl way circle".split())  # noqa: SIM905
_SAID_SUFFIX_TOKENS = frozenset(
    v + p for w in _SAID_SUFFIXES for v in (w, w.title(), f"{w}.", f"{w.title()}.") for p in _PUNCTUATION
)
_SAID_ADDRESS = lazy_compile(
    rf"(?<![\w'’-])(?P<n>{_NUMBER_WORD}(?:(?:[ \t]+|-){_NUMBER_WORD}){{0,4}})[ \t]+"
    r"(?:(?:north|south|east|west|[nsew]\.?)[ \t]+)?(?P<w>[a-z][a-z'’]+(?:[ \t]+[a-z][a-z'’]+)?)[ \t]+$"
)


def _said_address_street(word: str, suffix: str) -> bool:
    from .rules import _NOT_STREET_WORDS

    if (
        word in _NOT_STREETS
        or word in _NOT_STREET_WORDS
        or word in _COUNTED
        or word in _SUFFIXES
        or word in _NUMBER_WORDS
    ):
        return False
    if word in STREET_WORDS or _ordinal(word) or a_street_name(word, first_name_too=True):
        return True
    return (
        suffix not in _WORD_SUFFIXES
        and word not in common_words()
        and not (word.endswith("s") and (word[:-1] in english_words() or word[:-2] in english_words()))
    )


def _said_addresses(text: str, lowered: str, tokens: frozenset[str]) -> Iterator[Span]:
    from .rules import _STREET_END

    for suffix in sorted({t.lower().rstrip(".,;:!?)\"'’") for t in tokens & _SAID_SUFFIX_TOKENS}):
        needle = f" {suffix}"
        at = lowered.find(needle)
        while at != -1:
            end = at + 1 + len(suffix)
            at = lowered.find(needle, at + 1)
            if end < len(lowered) and (lowered[end].isalnum() or lowered[end] in "'’-"):
                continue  # "streets", "drive-in"
            before = lowered[max(0, end - len(suffix) - 80) : end - len(suffix)]
            # speed: " way", " place" are everywhere; a number word among the four words before, or no regex
            if _NUMBER_WORDS.isdisjoint(before.replace("-", " ").split()[-5:-1]):
                continue
            m = _SAID_ADDRESS.search(lowered, max(0, end - len(suffix) - 80), end - len(suffix))
            if m is None or not _as_names_are_typed(text[m.start() : end]):
                continue
            words = m.group("w").split()
            number = m.group("n").replace("-", " ").split()
            if not all(_said_address_street(w, suffix) for w in words):
                continue
            if len(number) < 2 and not _PLACE_BEFORE.search(lowered, max(0, m.start() - 16), m.start()):
                continue  # "had one main street": a count
            if _STREET_END.match(text, end) or (
                text[end : end + 1] == "." and _STREET_END.match(text, end + 1)
            ):
                yield m.start(), end, "address"


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
    lowered = lower_text(text)
    searched = (not tokens.isdisjoint(_BEFORE_AND), not tokens.isdisjoint(_PLACE_TOKENS))
    backwards = list(_BACKWARDS[searched].finditer(lowered[::-1])) if any(searched) else []
    yield from _lower_intersections(text, lowered, backwards)
    yield from _streets_of_places(text, lowered, backwards)
    yield from _house_numbers(text, lowered, tokens)
    if not tokens.isdisjoint(_NUMBERED_TOKENS):
        yield from _numbered_streets(text, lowered)
    if not tokens.isdisjoint(("hundred", "Hundred")):
        yield from _said_house_numbers(text, lowered)
    if not tokens.isdisjoint(_SAID_SUFFIX_TOKENS):
        yield from _said_addresses(text, lowered, tokens)
    if not tokens.isdisjoint(_SAINT_TOKENS):
        yield from _lower_saints(text)
