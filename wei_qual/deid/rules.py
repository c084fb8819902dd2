"""Regular expressions for structured identifiers.

Each rule yields (start, end, category) spans. Cue words ("badge", "plate", "age") are kept out of the
span so that redaction keeps the sentence readable ("badge [ID-1]").
"""

from __future__ import annotations

import functools
import heapq
import itertools
import re
from collections.abc import Iterable, Iterator

from ..lazyre import lazy_compile

Span = tuple[int, int, str]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A bare domain starts where its host name starts, never after a label's "-" or "." inside it: tried from
# every label, a long run of them ("a.a.a.a..." crafted, or a pasted blob) took time growing with its square.
URL = lazy_compile(
    r"(?i:\bhttps?://[^\s<>\"\]\)]+|\bwww\.[^\s<>\"\]\)]+"
    r"|\b(?<![a-z0-9][.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|org|net|gov|edu|us|io|info|biz|co)\b"
    r"(?:/[^\s<>\"\]\)]*)?)"
)
PHONE = re.compile(
    # "555 - 201 - 3344" as speech recognition spaces it; an extension may follow at once ("3344x12")
    r"(?=[\d(+])(?:(?<![\w/.-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)(?:[ ]?[.-][ ]?|\s)?|\d{3}(?:[ ]?[.-][ ]?|\s))\d{3}"
    r"(?:[ ]?[.-][ ]?|\s)\d{4}(?!(?!x\d)[\w/-])"
    r"|(?<![\w/.:-])\d{3}/\d{3}-\d{4}(?![\w/-])"  # 555/201-3344
    r"|(?<![\w/.:-])[2-9]\d{2}-\d{4}(?![\w/:-])"
    # 5553217788; 15553217788 and +15553217788 too, and before a colon and a space, as Zoom names a caller
    # who dials in: "15553217788: Yeah, I can hear you."
    r"|(?<![\w/.:,+-])(?:\+?1)?[2-9]\d{2}[2-9]\d{6}(?![\w/,-]|:\S)"
    # the last four said in pairs, as speech recognition spaces them: "555 201 33 44"
    r"|(?<![\w/.-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)[ ]?|\d{3}[ .-])\d{3}[ .-]\d{2}[ .-]\d{2}(?![\w/:-]|[.,]\d))"
)
# A caller's number masked in part, as a CAD screen, a phone's log or a redaction tool shows it ("555-***-3344",
# "(555) ***-**44", "555-XXX-3344"): the digits left still narrow it to a few people. With a mask character
# and four digits at least (MASKED_MARKS, checked by the caller: "***-***-**44" and "XXX-XXX-XXXX" say nothing).
_MASK = r"[\d*xX#•]"
MASKED_PHONE = lazy_compile(
    rf"(?<![\w*#•/.-])(?:\+?1[\s.-]?)?(?:\({_MASK}{{3}}\)[ ]?|{_MASK}{{3}}(?:[ ]?[.-][ ]?|[ ]))"
    rf"{_MASK}{{3}}(?:[ ]?[.-][ ]?|[ ]){_MASK}{{4}}(?![\w*#•/-])"
)
MASKED_MARKS = frozenset("*xX#•")
# The letter O typed for a zero, as a number is said ("five five five, oh one oh two"): "555-O1O2". Found by
# PHONE in the text with each such O read as 0, where an O stands beside a digit; in a transcript lower-cased
# whole, an o ("555-o1o2", "555 2o1 3344").
_O_BESIDE_DIGIT = re.compile(r"\d[Oo]|[Oo]\d")
_O_AS_ZERO = str.maketrans("Oo", "00")
SSN = re.compile(
    r"(?=[\dsS])(?:(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"
    # "social" alone too, as it is said: "his social is 123 45 6789"
    r"|(?i:\b(?:ssn|social(?: security)?(?: number)?)\b)(?:['’]s)?[\s:#]*(?:is\s+|was\s+)?"
    r"(\d{3}[ -]?\d{2}[ -]?\d{4})\b)"
)
# The last four digits of a social security number, as officers and clinicians ask for them ("the last four
# of his social were 6789"): an identifier too, with the rest of the number known to the agency.
_SOCIAL = r"(?:social(?:[ \t]+security)?(?:[ \t]+number)?|ssn|s\.s\.n\.?)"
SSN_LAST_FOUR = re.compile(
    r"(?i:\blast[ \t]+(?:four|4)(?:[ \t]+digits)?[ \t]+of[ \t]+(?:(?:his|her|my|their|your|the)[ \t]+)?"
    rf"{_SOCIAL}(?:[ \t]+(?:is|was|were|are|as))?"
    # "her SSN ended in 4417", "his social ends with 6789"
    rf"|\b{_SOCIAL}(?:['’]s)?[ \t]+(?:ended|ends|ending)[ \t]+(?:in|with))[\s:,-]*"
    r"(?P<v>\d{4})(?![\w-])"
)
# ...and said as words, digit by digit after its cue: "he gave me his social, five two three, four five, six
# seven eight nine" (nine digits), "her social ended in four four one seven" (four).
_SOCIAL_BEFORE = lazy_compile(
    rf"(?i:\b{_SOCIAL}(?:['’]s)?(?:,?[ \t]+(?:is|was|were|ended[ \t]+in|ends[ \t]+in|ending[ \t]+in|like|um|uh))*"
    r"[:,]?[ \t]*)$"
)
# Abbreviations take their period ("Ave."); full words leave the sentence's period alone.
_SUFFIX = (
    r"(?i:(?:Street|Avenue|Road|Boulevard|Drive|Lane|Court|Place|Way|Terrace|Circle|Highway|Parkway|Trail|"
    r"Pike|Loop|Square|Alley|Row)\b|(?:St|Ave|Rd|Blvd|Dr|Ln|Ct|Pl|Ter|Cir|Hwy|Pkwy|Trl|Sq)\b\.?)"
)
_UNIT = r"(?:,?\s+(?i:apt\.?|apartment|unit|suite|ste\.?|#)\s*[A-Za-z0-9-]+)?"
ADDRESS = lazy_compile(
    r"(?=[\dpP])(?:\b\d{1,6}[A-Za-z]?\s+(?:(?:[NSEW]\.?|North|South|East|West)\s+)?"
    r"(?:(?:[A-Z][A-Za-z'.-]*|\d+(?:st|nd|rd|th))\s+){1,4}"
    + _SUFFIX
    + _UNIT
    + r"|\b(?i:p\.?\s?o\.?\s+box|post office box)\s+\d+)"
)
# The same typed in lower case, as speech recognition writes it: "1423 elm street apartment 4". Only the
# full suffixes that name no everyday thing after a number ("way", "place", "court", "drive" are left out: "2
# different ways", "a 72 hour drive"), and the words between checked (see _lower_address).
ADDRESS_LOWER = lazy_compile(
    r"(?P<n>\d{1,6})[ \t]+(?:(?:north|south|east|west|[nsew]\.?)[ \t]+)?"
    r"(?P<w>[a-z][a-z'’-]+(?:[ \t]+[a-z][a-z'’-]+)?|\d+(?:st|nd|rd|th))[ \t]+"
    r"(?:street|avenue|road|boulevard|lane|terrace|circle|parkway|st\.?|ave\.?|rd\.?|blvd\.?|ln\.?"
    # "court", "drive", "way", "place" name everyday things too ("3 drug court sessions", "a 40 min drive"):
    # checked in _lower_address
    r"|(?P<amb>court|drive|way|place|dr\.?|ct\.?|pl\.?))(?![\w'’-])"
    r"(?:,?[ \t]+(?:apt\.?|apartment|unit|suite|#)[ \t]*[a-z]?\d+[a-z]?)?(?![\w'’-])"
)
# A house number, a direction and a street with no suffix, as officers say an address and speech recognition
# types it: "1400 e colfax", "1400 E Colfax", "200 west main". The street is one of the street names that
# are words (streets.STREET_WORDS), a numbered street, or no English word ("20 e coli cases", "40 North
# Dakota", "30 west coast trainings" are none): see _house_direction.
HOUSE_DIRECTION = lazy_compile(
    r"(?P<hn>\d{2,6})[ \t]+(?:[NSEWnsew]\.?|(?i:north|south|east|west))[ \t]+"
    r"(?P<hw>[A-Za-z][a-z'’]+|\d{1,3}(?:st|nd|rd|th))(?![\w'’-])"
)
_DIRECTIONS = tuple(f"{d}{dot}" for d in ("n", "s", "e", "w", "N", "S", "E", "W") for dot in ("", ".")) + (
    "north",
    "south",
    "east",
    "west",
    "North",
    "South",
    "East",
    "West",
)
# ADDRESS or, where it finds none, ADDRESS_LOWER: searched as one regex (one pass over the digits' windows).
_ADDRESS_EITHER = re.compile(ADDRESS.pattern[: -len(")")] + "|" + ADDRESS_LOWER.pattern + ")")
# Words after a number that make it a count or a measure, no house number: "2 lane road", "5 mile road",
# "3 dirt roads", "20 minutes down the road".
_NOT_STREET_WORDS = frozenset(
    """lane mile miles block blocks minute minutes hour hours dirt gravel back side more other different of the a
    an to on in at and or by off down up time times year years day days week weeks month months foot feet yard
    yards car cars unit units lanes way ways call calls percent am pm dollars bucks grand degrees point""".split()  # noqa: SIM905
)


_NOT_STREET_WORDS |= frozenset(
    ("min", "mins", "hr", "hrs", "sec", "secs", "second", "seconds", "mile", "step")
)
# Kinds of court, drive and place said with a count: "2 drug court hearings", "a 3 bedroom place", "5 star place".
_SUFFIX_KINDS = frozenset(
    """drug traffic family juvenile supreme district county municipal mental health veterans veteran housing
    claims federal circuit superior criminal civil city night divorce probate teen tribal appeals appeal food
    tennis basketball test long hard sex disk usb flash road charity coat toy blood bedroom bed story storey room
    star bath bathroom psych er doctor one two three four five""".split()  # noqa: SIM905
)
# ...and a street so named ends the clause or goes on as a place does ("14 oak court, apartment 2", "at 14 oak
# court near the school"); a count goes on with what it counts ("3 drug court sessions").
_STREET_END = lazy_compile(
    r"[ \t]*(?:$|[.,;:!?)\n]|(?i:(?:and|or|in|on|at|by|near|off|past|behind|across|was|is|where|which|that|"
    r"apartment|apt|unit|suite|to|for|with|when|then|so|we|i|he|she|they|because|but|right|over|out|up|down)\b))"
)

_STREET_EVERYDAY = frozenset(
    """main park hill high state church market center water river spring mill college school washington
    lincoln jefferson franklin madison jackson first second third""".split()  # noqa: SIM905
)


def _lower_address(text: str, m: re.Match, group: str = "w") -> bool:
    """A lower-case house number and street (ADDRESS_LOWER, or LIVES_AT's `n`) that is no count or measure."""
    from .names import english_words

    at = m.start()
    if at and (
        text[at - 1].isalnum() or text[at - 1] in "_.,/:-"
    ):  # "1,200", "3:15", "10-4" (speed: no look-behind)
        return False
    words = m.group(group).split()
    if any(w in _NOT_STREET_WORDS for w in words):
        return False
    if m.groupdict().get("amb") and (
        any(w in _SUFFIX_KINDS for w in words) or not _STREET_END.match(text, m.end())
    ):
        return False
    from .names import common_words

    # an everyday word says what the road is like ("2 good road trips", "a 3 long road"), unless streets are
    # named so ("100 main street", "20 high street")
    if any(w in common_words() and w not in _STREET_EVERYDAY for w in words):
        return False
    # a plural noun counts things ("5 houses down street", "3 cops road"): no street is named so
    return not any(
        w.endswith("s") and (w[:-1] in english_words() or w[:-2] in english_words()) for w in words
    )


def _house_directions(text: str) -> Iterator[Span]:
    """HOUSE_DIRECTION's matches that are a house number on a street, no count or measure. Searched from the
    directions the text holds as words (text_tokens), each found with str.find and a number checked before
    it: the regex over the digits' windows cost 1% of the scan."""
    from .places import STATE_NAMES
    from .streets import _NOT_STREETS, _SUFFIXES, STREET_WORDS, _ordinal, a_street_name

    for direction in text_tokens(text).intersection(_DIRECTIONS):
        needle = f" {direction} "
        at = text.find(needle)
        while at != -1:
            start = at
            while start and text[start - 1].isdigit():
                start -= 1
            if at - start >= 2:
                m = HOUSE_DIRECTION.match(text, start)
                if m is None or (start and (text[start - 1].isalnum() or text[start - 1] in "_.,/:-")):
                    m = None  # "I-70 east", "3:15", "1,200"
            else:
                said = _said_house_direction(text, at) if at and text[at - 1].isalpha() else None
                start, m = said if said is not None else (start, None)
            at = text.find(needle, at + 1)
            if m is None:
                continue
            word = m.group("hw")
            street = word.lower()
            if (
                street in _SUFFIXES
                or street in _NOT_STREETS
                or word.title() in STATE_NAMES
                or street == "coli"
            ):
                continue  # ADDRESS finds it with its suffix; "40 North Dakota"; "20 e coli cases"
            if a_street_name(street) or (
                (street in STREET_WORDS or _ordinal(street))
                and (not _CLOCK_SAID.match(text, start) or _ENDS_CLAUSE.match(text, m.end()))
            ):
                yield start, m.end(), "address"


DATE = re.compile(
    r"(?=[JFMASONDbBdD\d])"
    rf"(?:\b{_MONTH}\.?\s+{_DAY},?\s+{_YEAR}\b"  # March 3, 1984
    rf"|\b{_DAY}\s+(?:of\s+)?{_MONTH}\.?,?\s+{_YEAR}\b"  # 3 March 1984, 3rd of March 1984
    r"|(?<![\w/.-])(?:0?[1-9]|1[0-2])([/.-])(?:0?[1-9]|[12]\d|3[01])\1(?:\d{4}|\d{2})(?![\w/-])"  # 03/04/1984
    r"|(?<![\w/.-])(?:1[89]|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\w/-])"  # 2019-05-02
    # A birthday without a year is still a date of birth when a cue says so; the span ("d") leaves out the cue.
    rf"|(?i:\b(?:born(?:\s+on)?|birthday(?:\s+is)?|date of birth(?:\s+is)?|d\.?o\.?b\.?)[\s:]+)"
    rf"(?P<d>(?:{_MONTH}\.?\s+{_DAY}|{_DAY}\s+(?:of\s+)?{_MONTH})(?:,?\s+(?:{_YEAR}\b|['’]\d\d\b))?)(?:\b|(?<=\d)))"
)
# A year of birth is an identifier when it says the person is over 89 (HIPAA): "she was born in 1931".
# Years are compared with this year, so the rule ages with the calendar.
BORN_YEAR = re.compile(r"(?i:\bborn(?:\s+(?:in|back\s+in))?(?:\s+the\s+year)?)\s+(?P<y>1[89]\d\d)\b")
# A date said aloud, as a transcript writes it: "March third, nineteen eighty-four", "the fourth of July,
# two thousand three". Only with its year: "March fifth" alone is no one's date.
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_TEEN = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_UNIT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
# ...the house number said as words, as an address is said, in two parts: "fourteen twenty two south pearl"
# (1422), "fourteen oh two east colfax", "twenty two hundred west main", "eleven fifteen n federal". One number
# word alone is a count or an age ("twenty two west side calls", "he was nineteen, south side kid").
_SAID_HOUSE_NUMBER = lazy_compile(
    rf"(?<![\w'’-])(?P<hn>(?i:(?:{_TEEN}|{_TENS}(?:[- ]{_UNIT_WORD})?)[ \t-]+"
    rf"(?:{_TENS}(?:[- ]{_UNIT_WORD})?|{_TEEN}|oh[ \t]+{_UNIT_WORD}|hundred)))$"
)
# ...which may be a time of day: "at eleven thirty east high was on lockdown" (a street named with a word, kept
# only when it is no English word: "eleven thirty east colfax").
_CLOCK_SAID = re.compile(r"(?i:ten|eleven|twelve)[ \t-]")
# ...unless the street ends its clause, as an address does and a time before its sentence's subject does not:
# "at twelve fifty south federal." is the address, "at eleven thirty east high was on lockdown" the time.
_ENDS_CLAUSE = re.compile(r"[ \t]*(?:$|[.,;:!?)\n]|(?:and|where|near|by|um|uh)(?![\w'’-]))")
_SAID_HOUSE_STREET = lazy_compile(
    r"[ \t]+(?:[NSEWnsew]\.?|(?i:north|south|east|west))[ \t]+(?P<hw>[A-Za-z][a-z'’]+|\d{1,3}(?:st|nd|rd|th))(?![\w'’-])"
)


def _said_house_direction(text: str, at: int) -> tuple[int, re.Match] | None:
    """Where _SAID_HOUSE_NUMBER ending at `at` starts, and its direction and street after it
    (_SAID_HOUSE_STREET, group "hw" the street), or None."""
    number = _SAID_HOUSE_NUMBER.search(text, max(0, at - 40), at)
    street = _SAID_HOUSE_STREET.match(text, at) if number is not None else None
    return None if street is None else (number.start("hn"), street)


_ORDINAL = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|"
    r"(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))"
)
_SPOKEN_YEAR = (
    rf"(?:nineteen[- ](?:oh[- ]{_UNIT_WORD}|{_TEEN}|{_TENS}(?:[- ]{_UNIT_WORD})?)"
    rf"|two thousand(?:(?:[- ]and)?[- ](?:{_UNIT_WORD}|{_TEEN}|twenty(?:[- ]{_UNIT_WORD})?))?"
    rf"|twenty[- ](?:oh[- ]{_UNIT_WORD}|{_TEEN}|twenty(?:[- ]{_UNIT_WORD})?))"
)
_SPOKEN_DAY = rf"(?:{_MONTH}\.?[ \t]+(?:the[ \t]+)?{_ORDINAL}|(?:the[ \t]+)?{_ORDINAL}[ \t]+of[ \t]+{_MONTH})"
SPOKEN_DATE = lazy_compile(
    rf"(?i:\b{_SPOKEN_DAY},?[ \t]+(?:of[ \t]+)?{_SPOKEN_YEAR}\b"
    # a birthday needs no year: "born on March third", "his birthday is the fourth of July"
    r"|\b(?:born(?:[ \t]+on)?|birthday(?:[ \t]+is|[ \t]+was)?|date[ \t]+of[ \t]+birth(?:[ \t]+is)?)[ \t:]+"
    rf"(?P<d>{_SPOKEN_DAY}(?:,?[ \t]+(?:of[ \t]+)?{_SPOKEN_YEAR})?)\b)"
)
# A date of birth as it is said and typed after its cue, in the forms the rules above leave: numbers said as
# words ("his date of birth is three fourteen eighty-four", "DOB oh three one four eighty four", "three slash
# fourteen slash eighty four"), digits spaced as speech recognition writes them ("date of birth 3 14 84"),
# and the month typed in lower case ("born march 14 1984", "his birthday's march fourteenth"). At least two
# numbers: "born in eighty-four" (a year alone) and "born two months early" are none.
_SAID_NUMBER_WORD = rf"(?:{_TENS}(?:[- ]{_UNIT_WORD})?|{_TEEN}|{_UNIT_WORD}|oh|zero)"
_BIRTH_NUMBERS = (
    rf"{_SAID_NUMBER_WORD}(?:(?:[ \t]*[-/,][ \t]*|[ \t]+(?:(?:slash|dash)[ \t]+)?){_SAID_NUMBER_WORD}){{1,7}}"
)
BIRTH_DATE = lazy_compile(
    r"(?i:\b(?:date[ \t]+of[ \t]+birth|d\.?[ \t]?o\.?[ \t]?b\.?|birthday|birth[ \t]+date|born(?:[ \t]+on)?)"
    r"(?:['’]s)?(?:[ \t]*[:,]|[ \t]+(?:is|was|of|would[ \t]+be|like|um|uh|as))*[ \t]+"
    rf"(?P<d>{_BIRTH_NUMBERS}|\d{{1,2}}[ \t]+\d{{1,2}}[ \t]+(?:\d\d){{1,2}}"
    rf"|{_MONTH}\.?[ \t]+(?:the[ \t]+)?(?:{_DAY}|{_ORDINAL}|{_TEEN}|{_TENS}(?:[- ]{_UNIT_WORD})?|{_UNIT_WORD})"
    rf"(?:,?[ \t]+(?:{_YEAR}|['’]?\d\d|{_SPOKEN_YEAR}|{_TENS}(?:[- ]{_UNIT_WORD})?))?)(?![\w'’-]))"
)
# ...and the year of birth said as words, an identifier when it makes the person over 89 (as BORN_YEAR's
# digits): "he was born in nineteen twenty nine", "born nineteen oh five".
SAID_BORN_YEAR = lazy_compile(
    r"(?i:\bborn(?:[ \t]+(?:in|back[ \t]+in))?(?:[ \t]+the[ \t]+year)?[ \t]+"
    rf"(?P<y>(?P<c>eighteen|nineteen)[- ](?:oh[- ](?P<o>{_UNIT_WORD})|(?P<t>{_TEEN})|(?P<d>{_TENS})(?:[- ](?P<u>{_UNIT_WORD}))?)))"
    r"(?![\w'’-])"
)
_SMALL_NUMBERS = """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen"""
_NUMBER_VALUES = dict(zip(_SMALL_NUMBERS.split(), range(20), strict=True)) | dict(
    zip(
        ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
        range(20, 100, 10),
        strict=True,
    )
)


def _said_year(m: re.Match) -> int:
    """The year SAID_BORN_YEAR matched, as a number: "nineteen twenty nine" is 1929."""
    value = {name: _NUMBER_VALUES[m.group(name).lower()] for name in "ctdou" if m.group(name)}
    return value["c"] * 100 + value.get("t", 0) + value.get("d", 0) + value.get("u", 0) + value.get("o", 0)


_BIRTH_ANCHOR = ("birth", "dob", "born")  # "d.o.b" and "d o b" too rare for a search each


# A date without its year is still a date of the person's care or of the incident (Safe Harbor counts every
# element but the year): "admitted on 3/14", "picked her up on March 14th", "discharged the 22nd of June",
# "on March fourteenth". A month's name with a day says so by itself (the month capitalised: "you may first
# call" is none); digits alone ("3/14") only after a word that puts a date there ("on", "admitted"), as
# "50/50", "24/7", "3/4 of the calls" and "9/11" are none. Independence Day is a holiday, not a date,
# unless "on" puts something on it and no "weekend" or "fireworks" follows.
_DAY_WORD = rf"(?:{_DAY}|(?i:{_ORDINAL}))"
_DAY_NTH = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)"
DAY_DATE = re.compile(
    rf"(?=[JFMASONDt\d])(?:\b(?P<m>{_MONTH})\.?[ \t]+(?:the[ \t]+)?(?P<n>{_DAY_WORD})(?![\w/:.-]?\d)(?![\w'’])"
    rf"|\b(?:the[ \t]+{_DAY}|{_DAY_NTH}|(?:the[ \t]+)?(?i:{_ORDINAL}))[ \t]+of[ \t]+{_MONTH}\b"
    rf"|\b{_DAY}[ \t]+{_MONTH}\b(?![\w'’])"
    # A month with its year is a date too (every element but the year): "back in June of 2019", "in March
    # 2020", "June of twenty nineteen". A season or a year alone is none.
    rf"|(?<![\w'’-]){_MONTH}\.?,?[ \t]+(?:of[ \t]+)?(?:{_YEAR}(?![\w'’/-])|(?i:{_SPOKEN_YEAR})(?![\w'’-])"
    r"|['’‘]\d\d(?![\w'’-])))"  # "June of '21", as a year is said short
)
_NUMERIC_DAY = re.compile(r"(?<![\w/.-])(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?![\w/.-]|[ \t]+of\b|%)")
_NUMERIC_DAY_CUE = lazy_compile(
    r"(?i:\b(?:on|since|until|till|admitted|discharged|released|arrested|booked|seen|died|born|dated|"
    r"through|from|(?:happened|occurred)(?:[ \t]+on)?)[ \t]+(?:the[ \t]+)?)$"
)
_HOLIDAY = re.compile(
    r"(?i:(?:the[ \t]+)?(?:4th|fourth)[ \t]+of[ \t]+July|July[ \t]+(?:the[ \t]+)?(?:4th|fourth|4))"
)
_HOLIDAY_AFTER = re.compile(
    r"(?i:[ \t]+(?:weekend|holiday|parade|fireworks|party|parties|cookout|barbecue|celebration|festivities))"
)


# A day of the month without its month is a date of the person's care or arrest only after a word that
# puts the person's date there and "on": "he was admitted on the 14th", "arrested on the 3rd" (the month
# is the interview's or is said nearby). "On the 14th" alone, "the first of the month" (the day benefits
# come) and "admitted on the 4th floor" name no one's date.
_DAY_ALONE = re.compile(r"(?<![\w.-])(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b(?![\w'’-])")
_DAY_ALONE_CUE = lazy_compile(
    r"(?i:\b(?:admitted|discharged|released|arrested|booked|died|born|committed|detained|hospitali[sz]ed|"
    r"(?:happened|occurred|started|began))[ \t]+on[ \t]+the[ \t]+)$"
)
_DAY_ALONE_NOT = lazy_compile(
    r"[ \t]+(?i:of[ \t]+(?:the|every|each|this|that|next|last)[ \t]+month|floor|floors|time|times|shift|day|week|"
    r"try|attempt|grade|district|precinct|ward|unit|street|avenue|st\b|ave\b|one|ones)\b"
)

# "Today is Tuesday, March 5": the interview's own date, said to the recorder, is no one's (as in the header).
_TODAY = re.compile(
    r"(?i:\b(?:today|today['’]s[ \t]+date)[ \t]+is[ \t]+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?[ \t]+)?)$"
)


_MONTH_ANCHOR = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
# The same typed in lower case, as speech recognition writes them ("on march 3rd", "back in june of 2019"),
# searched around the full names of the months the text holds in lower case (its words looked up first).
# "march" and "may" are a verb and a modal too ("we march in", "they may call"): with them the day has its
# ordinal ending ("march 3rd"), or a year follows, or a word that puts a date there comes before ("on may
# first").
_LOWER_MONTHS = frozenset(
    "january february march april may june july august september october november december sept".split()  # noqa: SIM905
)
_LOWER_MONTH_FORMS = {
    m: frozenset(
        a + m + b
        for a in ("", "(", '"', "'", "“", "‘")
        for b in ("", ",", ".", ";", "?", "!", ":", ")", '"', "”")
    )
    for m in _LOWER_MONTHS
}
_DAY_DATE_ANY_CASE = lazy_compile(DAY_DATE.pattern, re.IGNORECASE)
_DATE_ANY_CASE = lazy_compile(DATE.pattern, re.IGNORECASE)
_LOWER_MONTH_WORD = re.compile(r"[a-z]+")
_NTH_OR_YEAR = re.compile(r"\d(?:st|nd|rd|th)\b|\d{4}|['’‘]\d\d|(?i:twenty|nineteen|thousand)")


# "march 14" or "may 3" with a day in digits and no ordinal ending, no year, no cue: a date when nobody
# marches or may before it (no subject, modal or "to" as the word before) and a new clause or the end of one
# follows ("march 14 he got picked up", "it was may 3."). "we march 2 by 2", "may 3 of them", "they may 2
# times" are none: the word before or after says the verb or a count.
_VERB_BEFORE_MONTH = lazy_compile(
    r"(?<![\w'’-])(?:i|you|we|they|he|she|it|who|people|to|will|would|can|could|should|must|might|shall|"
    r"may|did|do|does|and|or|then|[a-z]+['’](?:ll|d))[ \t]+$"
)
_DATE_CLAUSE_AFTER = re.compile(
    r"[ \t]*(?:[.,;:!?)]|$)|[ \t]+(?:he|she|they|we|i|it|you|was|is|when|at|around|about|that|this|last|"
    r"in|on|um|uh|so|because|the)\b",
    re.MULTILINE,
)


# A holiday with its year names the day as a full date does: "around christmas 2021", "thanksgiving of 2019",
# "New Year's Eve 2020". A holiday alone ("over christmas", "the 4th of July weekend") names no one's day.
# Searched only in a text holding one of the holidays' own words as a word (its distinct words looked up),
# one str.find each in the lower-cased text.
_HOLIDAY_WORDS = (
    "christmas",
    "xmas",
    "thanksgiving",
    "easter",
    "halloween",
    "hanukkah",
    "chanukah",
    "year's",
    "years",
)
_HOLIDAY_FORMS = frozenset(
    a + w + b
    for w in (*_HOLIDAY_WORDS, *(h.title() for h in _HOLIDAY_WORDS), "Year's", "Years")
    for a in ("", "(", '"', "“")
    for b in ("", ",")
)
# A year said short, as Otter types it: "christmas of '21", "thanksgiving '19", and after "of" without the
# apostrophe where the clause ends ("easter of 21 was the worst"; "christmas of 21 people" is a count).
_YEAR_CLAUSE_AFTER = (
    r"(?=[ \t]*(?:[.,;:!?)]|$)|[ \t]+(?:he|she|they|we|i|it|you|was|is|when|that|this|and|but|um|uh|so|because|"
    r"right|yeah)\b)"
)
_HOLIDAY_YEAR = lazy_compile(
    r"(?:(?:new[ \t]+)?(?:christmas|xmas|thanksgiving|easter|halloween|hanukkah|chanukah|years|year['’]s)"
    r"(?:[ \t]+(?:eve|day|morning|night|weekend))?),?[ \t]+(?:of[ \t]+)?"
    rf"(?:{_YEAR}(?![\w'’/-])|(?i:{_SPOKEN_YEAR})(?![\w'’-])|['’‘]\d\d(?![\w'’-])|(?<=of )\d\d{_YEAR_CLAUSE_AFTER})"
)


def _holiday_years(text: str, lowered: str) -> Iterator[Span]:
    for word in _HOLIDAY_WORDS:
        at = lowered.find(word)
        while at != -1:
            start = at
            if word.startswith("year"):
                if not lowered.endswith("new ", max(0, at - 4), at):
                    at = lowered.find(word, at + 1)
                    continue
                start = at - 4
            m = None if start and lowered[start - 1].isalnum() else _HOLIDAY_YEAR.match(lowered, start)
            if m:
                yield m.start(), m.end(), "date"
            at = lowered.find(word, at + 1)


# "the march 14 incident", "that may 3 call": the date names the event, a determiner before the month and a
# noun of one thing after the day ("the march 14 miles", "the may 3 of them" are counts).
_THE_BEFORE_MONTH = re.compile(r"(?<![\w'’-])(?:the|that|this|his|her|their|our)[ \t]+$")
_NOT_ONE_THING = frozenset(
    "of by to or and in at on people men women children police staff folks feet".split()  # noqa: SIM905
)
_ONE_THING_AFTER = re.compile(r"[ \t]+[a-z]+(?<![a-rt-z]s)(?<!ies)(?![\w'’-])")


def _bare_day_date(text: str, m: re.Match) -> bool:
    """A lower-case "march" or "may" and a day in digits (DAY_DATE's first form) is a date: see above."""
    day = m.group("n")
    if not day or not day.isdigit() or not m.group().lower().startswith(("march", "may")):
        return False
    if _THE_BEFORE_MONTH.search(text, max(0, m.start() - 8), m.start()):
        after = _ONE_THING_AFTER.match(text, m.end())
        return after is not None and after.group().strip() not in _NOT_ONE_THING
    if _VERB_BEFORE_MONTH.search(text, max(0, m.start() - 12), m.start()):
        return False
    return _DATE_CLAUSE_AFTER.match(text, m.end()) is not None


def _lower_month_dates(text: str, lowered: str) -> Iterator[Span]:
    """DAY_DATE's dates with the month typed in lower case (see _LOWER_MONTHS)."""
    tokens = text_tokens(text)
    anchors = []
    for month in _LOWER_MONTHS:
        # only a month the text holds in lower case as a word (its distinct words looked up), then one
        # str.find scan of the text for it
        if tokens.isdisjoint(_LOWER_MONTH_FORMS[month]):
            continue
        at = text.find(month)
        while at != -1:
            to = at + len(month)
            if not (at and text[at - 1].isalpha()) and not text[to : to + 1].isalpha():
                anchors.append((at, to))
            at = text.find(month, to)
    if not anchors:
        return
    anchors.sort()
    windows = _windows(text, anchors)
    for m in _find(_DATE_ANY_CASE, text, windows):  # "march 3, 1984", "12 march 2024" (a header's: scan.py)
        if not m.group("d") and any(w in _LOWER_MONTHS for w in _LOWER_MONTH_WORD.findall(m.group())):
            yield m.start(), m.end(), "date"
    for m in _find(_DAY_DATE_ANY_CASE, text, windows):
        month = next((w for w in _LOWER_MONTH_WORD.findall(m.group()) if w in _LOWER_MONTHS), None)
        if month is None:
            continue  # a capitalised month (found above) or an abbreviation in lower case ("mar", "jan")
        if (
            month in ("march", "may")
            and not _NTH_OR_YEAR.search(m.group())
            and not _NUMERIC_DAY_CUE.search(text, max(0, m.start() - 30), m.start())
            and not _bare_day_date(text, m)
        ):
            continue  # "we march 2 miles", "you may first call"
        if _day_date(text, m):
            yield m.start(), m.end(), "date"


def _char_positions(text: str, char: str) -> Iterator[int]:
    """Where `char` occurs between two digits ("3/14"), by str.find (speed: a regex tries every character)."""
    at = text.find(char)
    while at != -1:
        if 0 < at < len(text) - 1 and text[at - 1].isdigit() and text[at + 1].isdigit():
            yield at
        at = text.find(char, at + 1)


# A number, a month's name and a plural noun count things of that month: "we had 3 March calls", "12 May
# shifts". A day and its month go on otherwise ("on 3 March he was", "3 March is when").
_PLURAL_AFTER = re.compile(r"[ \t]+([a-z]{2,}s)\b(?![\w'’-])")
_NOT_PLURALS = frozenset("is was has his this its us as does says goes yes unless perhaps always".split())  # noqa: SIM905


def _count_of_things(text: str, m: re.Match) -> bool:
    """A DAY_DATE match written day first ("3 March") is a count when a plural noun follows it."""
    after = _PLURAL_AFTER.match(text, m.end())
    if after is None or not m.group().split()[0].isdigit():
        return False
    if _NUMERIC_DAY_CUE.search(text, max(0, m.start() - 30), m.start()):
        return False  # "on 3 March calls spiked": a word that puts a date there says it is one
    word = after.group(1)
    if word in _NOT_PLURALS:
        return False
    from .names import english_words

    words = english_words()
    return word[:-1] in words or (word.endswith("es") and word[:-2] in words)


def _day_date(text: str, m: re.Match) -> bool:
    """A DAY_DATE match is someone's date: not a count after "in" ("in March 2 officers quit"), not the
    interview's own date, not the Fourth of July named as the holiday (no "on" before it, or a "weekend"
    after it)."""
    day = m.group("n")
    if day and day.isdigit() and text[max(0, m.start() - 3) : m.start()].lower() == "in ":
        return False
    if m.group()[:1].isdigit() and _count_of_things(text, m):
        return False
    if _TODAY.search(text, max(0, m.start() - 40), m.start()):
        return False
    if not _HOLIDAY.fullmatch(m.group()):
        return True
    before = text[max(0, m.start() - 8) : m.start()].lower().rstrip(" \t")
    return (before == "on" or before.endswith(" on")) and _HOLIDAY_AFTER.match(text, m.end()) is None


_ORDINAL_ANCHOR = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "teenth",
    "tieth",
)

# "No" for "number" only with the number after it ("case no. 4471", "badge no 4471"): the word "no" is said
# beside a cue as often ("his case, no, it was 2019-2020"; "his badge, no, it was 4471" is found by the words
# allowed between a cue and its number).
_NO = r"no\.?(?=[ \t]*#?[ \t]*\d)"

# The span is group "v" (the value), not the cue word. "In case 300 people call" is not a case number.
ID_NUMBER = re.compile(
    r"(?=[bcrifdwemapluvBCRIFDWEMAPLUV])(?i:\b(?:badge|(?<!in )case|report|incident|file|docket|citation|warrant|booking|inmate|employee|"
    r"medical record|record|mrn|account|member|patient|driver'?s licen[cs]e|licen[cs]e|id|call|cad|cfs|event|unit|"
    # an insurance member's number and a car's VIN: "his Medicaid number is 1234567890"
    r"medicaid|medicare|insurance|policy|vin|"
    rf"(?:run|radio)(?=\s+(?:number|num|{_NO}|#)))"
    rf"(?:,?\s+(?P<n>number|num|{_NO}|id|#|sign))?)"
    # "my badge number's 4471", "his badge is like 4-4-7-1", "his badge was number 4471"
    rf"(?:['’]s\b)?(?:,?\s*(?P<is>it\s+was|it's|which\s+is|is|was|of|reads|read)\b(?:\s+(?:number|{_NO}|#)(?!\w))?)?"
    r"(?:\s+(?:like|about|maybe|probably))?"
    # ...with a pause said after "number" or "was" ("my badge number was, uh, 1206"; "the report, um, 1200
    # words" is none)
    r"(?(n)(?:,?\s+(?:like|um|uh|umm|uhh|uhm|er|erm|ah)(?=[\s,]))*|(?(is)(?:,?\s+(?:like|um|uh|umm|uhh|uhm|er|erm|ah)(?=[\s,]))*))"
    r"[:,]?\s*#?\s*"
    # ...with a letter after its first digit (a radio number "2A14", a VIN "1HGCM82633A004352"), or its
    # digits spaced as speech recognition writes them one by one ("my badge number is 4 4 7 1")
    # ...or in groups, as it is said in pairs or with a pause ("my badge is 44 71", "447 1"), the number ending
    # its clause ("call 911 2 times" is a count)
    # ...or its dash said: "his case number was 2021 dash 04412", "2021 dash 0 4 4 1 2"
    r"(?P<v>\d{2,}(?:[ ]\d{1,4}|[ ](?i:dash)[ ]\d{1,8})+(?=[ \t]*(?:$|[.,;:!?)\n]|(?:and|but|so|yeah|um|uh|okay|right)\b))"
    r"|(?:[A-Z]{1,4}-?)?\d[\d-]*\d[A-Z0-9-]*|\d[A-Z]{1,5}\d[A-Z0-9-]*|\d(?:[ ]\d){2,})(?![\w-])"
)
# "number", "no.", "num" or "#" said between a cue and its value: a span of years after it is an id.
_NUMBER_SAID = re.compile(
    rf"(?i:\b(?:number|num)\b|\b{_NO}|#)"
)  # "no" only before its digits: "his case, no, it was"
# A record's number said several words after its cue, as people say it: "his case, i think it was number
# 4471", "the warrant they had on him was number 2023-W-0577", "his booking number i think was 2024-0412",
# "the incident number they gave us was um 24-118832". Up to eight words between, none a digit, no sentence's
# end, then "was"/"is"/"it was" and the number, which ends its clause ("his case, it was 300 pages" is a
# count) and, but for a badge's, has four digits or more or a dash ("the report, it was 100." stays); or
# after a bare comma a number of a record's shape, a letter or a dash in it ("I wrote her a citation once,
# C-448120, for burning trash"; "the case, 2019-2020, was" is years).
# Tried only where such a cue word is, in a text holding three digits in a row.
# The words said between a cue and a bare comma before its number that say nothing: a pause, a
# self-correction ("his case, no, 4471").
_FILLERS = frozenset(("um", "uh", "umm", "uhh", "uhm", "er", "erm", "ah", "no"))
_CLOCK = re.compile(r"(?:[01]\d|2[0-3])[0-5]\d")
_FAR_ID_CUES = ("badge", "case", "report", "incident", "warrant", "booking", "citation", "docket", "inmate")
FAR_ID_NUMBER = lazy_compile(
    r"(?i:(?P<cue>badge|case|report|incident|warrant|booking|citation|docket|inmate)"
    rf"(?:[ \t]+(?:number|num|{_NO}|#))?(?:['’]s)?(?![ \t]+(?:managers?|management|workers?|loads?|study|plan)\b)"
    r"(?P<w>(?:,?[ \t]+(?!(?:was|is|it|and|but|so|because|cause|then|when|while)\b)[a-z'’]+){1,8}?)"
    rf"(?:,?[ \t]+(?:it[ \t]+was|it['’]s|was|is|would[ \t]+be)|,(?=[ \t]+(?:number|{_NO}|#))|(?P<bare>,))"
    rf"(?:,?[ \t]+(?:like|about|maybe|probably|um|uh|number|{_NO}|something[ \t]+like))*[ \t]+#?)"
    r"(?P<v>(?:[A-Za-z]{1,4}-?)?\d[\d-]*\d[A-Za-z0-9-]*|\d[A-Za-z]{1,5}\d[A-Za-z0-9-]*"
    # its dash said, its digits after it in a group or one by one: "it was 2021 dash 0 4 4 1 2"
    r"|\d{2,}[ ](?i:dash)[ ]\d(?:[ ]?\d){0,9})(?![\w-])"
    r"(?=[ \t]*(?:$|[.,;:!?)\n]|(?i:and|but|so|yeah|um|uh|okay|right|i|he|she|they|we|or|if|when)\b))"
)
PLATE = re.compile(
    r"(?=[lptLPT])(?i:\b(?:licen[cs]e\s+)?(?:plates?|tags?)(?:\s+(?:number|num|no\.?|#))?)\s*"
    # "plate was like, ABC 1234", "tag is uh ABC 1234"
    r"[,:]?\s*(?:(?:was|is|read|reads|reading|of|number|like|uh|um)[ \t]*,?\s+)*[:#]?\s*"
    # the state said before it: "his plate was Colorado 7KX-412", "tag New Mexico ABC1234"
    r"(?:[A-Z][a-z]{2,}(?:[ \t]+[A-Z][a-z]+)?[ \t]+(?=[A-Za-z-]*\d))?"
    # ...or spelled out one character at a time, as a transcriber types it ("plate 7-A-B-C-1-2-3")
    r"(?P<v>[A-Za-z0-9]{1,4}[- ]?[A-Za-z0-9]{2,4}|(?:[A-Za-z0-9][- ]){4,7}[A-Za-z0-9])(?![\w-])"
)
_PLATE_WORD = re.compile(r"[a-z]+")


def _a_plate(value: str) -> bool:
    """A plate has a digit and five characters or more, written in capitals ("plate 7XYZ123", "tag
    ABC-1234"), or in lower case as speech recognition types it when it holds three digits and its letters
    are no word ("plate number is abc 1234"; "tag team 12", "plates of 2020 food" are none)."""
    chars = value.replace(" ", "").replace("-", "")
    if len(chars) < 5 or not any(c.isdigit() for c in value):
        return False
    if len(chars) * 2 - 1 == len(value) and chars.isdigit():
        return False  # "1 2 3 4 5": digits said one by one, found (or not) as a number
    if value == value.upper():
        return True
    from .names import common_words, english_words

    return sum(c.isdigit() for c in chars) >= 3 and not any(
        w in english_words() or w in common_words() for w in _PLATE_WORD.findall(value.lower()) if len(w) > 1
    )


# A plate read in the phonetic alphabet, as officers read one to dispatch: "plate was alpha bravo charlie one
# two three", "tag is adam boy 7 4 4 2". Five to eight characters, a phonetic word and a digit among them.
_PLATE_LETTER = (
    r"(?:alpha|alfa|bravo|charlie|delta|echo|foxtrot|golf|hotel|india|juliett?|kilo|lima|mike|november|oscar|papa|"
    r"quebec|romeo|sierra|tango|uniform|victor|whiske?y|x-?ray|yankee|zulu|adam|boy|charles|david|edward|frank|"
    r"george|henry|ida|john|king|lincoln|mary|nora|ocean|paul|queen|robert|sam|tom|union|william|young|zebra)"
)
_PLATE_DIGIT = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|\d{1,4})"
# (a letter alone may have a hyphen after it, as a transcriber spells a plate: "B-K-L four four eight two")
_PLATE_CHAR = rf"(?:(?:{_PLATE_LETTER}|{_PLATE_DIGIT})(?![\w'’-])|[a-z](?![\w'’]))"
SAID_PLATE = lazy_compile(
    r"(?i:(?:plates?|tags?)(?:[ \t]+(?:number|num|no\.?|#))?[ \t]*[,:]?[ \t]*"
    r"(?:(?:was|is|it|it['’]s|read|reads|reading|of|number|like|uh|um)[ \t,]+)*[:#]?[ \t]*"
    rf"(?P<v>(?![ai][ \t])(?:{_PLATE_CHAR}(?:[ \t]*[,-][ \t]*|[ \t]+)){{2,7}}{_PLATE_CHAR}))"
)
_PLATE_TOKEN = re.compile(r"[\w'’-]+")  # a character's word, or a group of digits ("1234")
_PLATE_LETTER_WORD = lazy_compile(rf"(?i:\b{_PLATE_LETTER}\b)")
_PLATE_DIGIT_WORD = lazy_compile(rf"(?i:\b{_PLATE_DIGIT}\b)")
_LONE_LETTER = re.compile(r"(?<![\w'’])[A-Za-z](?![\w'’])")


# The cue as a token of the text ("plate", "Tag:", "tags,"): where none is, nothing is searched (speed).
_PLATE_CUE_FORMS = frozenset(
    form + end
    for cue in ("plate", "plates", "tag", "tags")
    for form in (cue, cue.capitalize(), cue.upper())
    for end in ("", ",", ":", "#")
)


def _said_plates(text: str, lowered: str) -> Iterator[Span]:
    """Plates read in the phonetic alphabet (SAID_PLATE), searched from "plate" and "tag" (str.find: speed)."""
    if len(lowered) != len(text) or text_tokens(text).isdisjoint(_PLATE_CUE_FORMS):
        return
    for word in ("plate", "tag"):
        at = lowered.find(word)
        while at != -1:
            if not (at and lowered[at - 1].isalnum()):
                m = SAID_PLATE.match(text, at)
                value = m.group("v") if m else ""
                if (
                    m
                    # a phonetic word, or letters spelled one by one ("plate B-K-L four four eight two")
                    and (_PLATE_LETTER_WORD.search(value) or len(_LONE_LETTER.findall(value)) >= 2)
                    and _PLATE_DIGIT_WORD.search(value)
                    and 5 <= sum(len(c) if c.isdigit() else 1 for c in _PLATE_TOKEN.findall(value)) <= 8
                ):
                    yield m.start("v"), m.end("v"), "plate"
            at = lowered.find(word, at + 1)


# A police radio call sign, a unit's name on the air: "3-Adam-12", "2 David 14", "1-Lincoln-20", "Adam-12",
# and a word of the police (APCO) or NATO phonetic alphabet with its number after a space ("we were Adam 12
# that night", "Charlie 3 was backing us"): an id, not the person "Adam". Read as a count when a count's
# word follows ("I told Tom 2 times", "known Sam 20 years") or a verse or a time ("John 3:16").
PHONETIC_WORDS = frozenset(
    """Adam Boy Charles David Edward Frank George Henry Ida John King Lincoln Mary Nora Ocean Paul Queen Robert
    Sam Tom Union Victor William X-ray X-Ray Xray XRay Young Zebra Alpha Bravo Charlie Delta Echo Foxtrot Golf
    Hotel India Juliet Kilo Lima Mike Oscar Papa Romeo Sierra Tango Uniform Whiskey Yankee Zulu
    Baker""".split()  # noqa: SIM905 (Baker: the older Able-Baker alphabet some agencies still say, "Baker 3")
)
# Typed in lower case, as transcribers and speech recognition write them ("we were adam 12", "3 adam 12",
# "charlie two was backing us"), the same call signs; the phonetic words that are everyday words ("a boy 12
# or so", "the union 2 years ago", "young 20 something") count only with a radio's word near, as a unit's
# number does. So do the numbers said as words ("unit four", "adam twelve").
_PHONETIC_LOWER = frozenset(w.lower() for w in PHONETIC_WORDS)
_EVERYDAY_PHONETIC = frozenset(
    """boy frank king queen ocean union young golf hotel kilo uniform whiskey papa echo delta alpha india lima
    tango x-ray xray zebra bravo lincoln oscar mary baker""".split()  # noqa: SIM905
)
# An ambulance's or a fire engine's number on the air ("Medic 7 showed up", "medic seven transported him")
# names its crew as a patrol unit's names its officers. A medic's is found as a call sign is; the others
# ("engine 3", "ladder 5", "rescue 1", "squad 4", "truck 2") with a radio's word near.
_APPARATUS = frozenset(("medic", "engine", "ladder", "rescue", "squad", "truck"))
# Searched from its number, one to three digits after a space or a hyphen, the word before it checked (on the
# bench corpora 0.028 s; the regex it replaces, tried at every capital of the digits' windows, took 0.041 s).
# Each pattern starts with its one literal character, which the regex engine finds fastest.
_SPACE_NUMBER = re.compile(r" \d{1,3}(?![\w-])")
_HYPHEN_NUMBER = re.compile(r"-\d{1,3}(?![\w-])")
_SIGN_TAILS = frozenset(w.lower()[-3:] for w in (*PHONETIC_WORDS, *_APPARATUS))  # a quick first test
_SIGN_BEFORE = re.compile(r"(?<![\w-])(?:(?P<p>\d{1,2})[- ])?(?P<w>[Xx]-[Rr]ay|[A-Za-z]+)(?P<sep>[- ])$")
_SPACED_NOT_AFTER = re.compile(r"[:.,/]\d|[ \t]*(?:%|[:/-]|[ap]\.?m\b)")
# Named things of the same shape: the cannabis products, a gas station.
_NOT_CALL_SIGNS = frozenset(("Delta 8", "Delta 9", "Delta 10", "Union 76"))
_COUNT_AFTER = re.compile(r"[ \t]+(?:(?:and|or|to)[ \t]+\d+[ \t]+)?([A-Za-z]+)\b")
_COUNT_WORDS = frozenset(
    """times time years year months month weeks week days day hours hour minutes minute seconds more of percent
    bucks dollars cents grand miles feet inches pounds people kids calls shots pills beers drinks""".split()  # noqa: SIM905
)


def _spaced_call_sign(text: str, sign: str, end: int) -> bool:
    """A call sign written with a space ("Adam 12", ending at `end`) is a call sign, not a name and a count
    ("Tom 2 times", "Sam 20 bucks")."""
    if sign.title() in _NOT_CALL_SIGNS:
        return False
    after = _COUNT_AFTER.match(text, end)
    if after is None:
        return True
    word = after.group(1).lower()
    if word in _COUNT_WORDS:
        return False
    # "Mary 4 officers": a plural noun counts; a verb that ends so ("Adam 12 responds") does not
    if word.endswith("s") and word not in _NOT_PLURALS and word not in _RADIO_VERBS:
        from .names import english_words

        return not (word[:-1] in english_words() or (word.endswith("es") and word[:-2] in english_words()))
    return True


_RADIO_VERBS = frozenset(
    "responds clears copies says needs takes goes arrives requests shows gets has".split()  # noqa: SIM905
)
# A patrol unit's one- or two-digit number is its call sign on the air ("Unit 14 responded"); on a ward,
# "unit 4" is a hospital unit and names no one, so a radio's word must be near.
# A patrol car's number is the same ("I'm car 42 on days").
UNIT_SIGN = re.compile(r"(?:[Uu]nit|[Cc]ar)[ ](?P<v>\d{1,2})(?![\w-]|[:.,/]\d)")
_RADIO_CUE = lazy_compile(
    r"(?i:\b(?:dispatch(?:ed|er)?|radio(?:ed)?|call[ \t]+sign|respond(?:ed|ing|s)?|en[ \t]+route|on[ \t]+scene|"
    r"back-?up|backing|10-4|copy|patrol|beat|squad|cleared|(?:took|take|takes|got|get|gets)[ \t]+the[ \t]+call|"
    r"showed[ \t]+up|pulled[ \t]+up|arrived|rolled[ \t]+up)\b)"
)
_RADIO_REACH = 80  # characters either side where a radio's word must be


def _on_the_air(text: str, start: int, end: int) -> bool:
    """A radio's word near and no ward's: a unit's number said on the air, not a hospital unit's."""
    at, to = max(0, start - _RADIO_REACH), min(len(text), end + _RADIO_REACH)
    return _RADIO_CUE.search(text, at, to) is not None and _WARD_CUE.search(text, at, to) is None


# An officer saying which unit someone was ("I'm unit 14, Ruiz was unit 15"): a patrol unit, with no ward's
# word near ("he was on unit 4" is a ward's, and has "on").
_WAS_UNIT_BEFORE = lazy_compile(
    r"(?:(?<![\w'’-])(?i:i['’]m|i[ \t]+was|we[ \t]+were|we['’]re)|(?<![\w'’-])[A-Z][a-z]+[ \t]+was)[ \t]+$"
)


def _was_unit(text: str, start: int, end: int) -> bool:
    at, to = max(0, start - _RADIO_REACH), min(len(text), end + _RADIO_REACH)
    return (
        _WAS_UNIT_BEFORE.search(text, max(0, start - 24), start) is not None
        and _WARD_CUE.search(text, at, to) is None
    )


def _call_sign_before(text: str, start: int, end: int, *, spelled: bool = False) -> int | None:
    """Where the call sign whose number spans start..end begins, or None when the word before the number
    makes no call sign. `spelled`: the number said as words ("charlie two"), which needs a radio's word."""
    m = _SIGN_BEFORE.search(text, max(0, start - 24), start)
    if m is None:
        return None
    word, spaced = m.group("w"), not m.group("p") and m.group("sep") == " "
    lower = word.lower()
    if spaced and (
        (not spelled and _SPACED_NOT_AFTER.match(text, end))
        or not _spaced_call_sign(text, text[m.start("w") : end], end)
    ):
        return None
    if word in PHONETIC_WORDS and not spelled:
        return m.start()
    if lower in _APPARATUS and (word == lower or word == word.capitalize()):
        if lower == "medic" or _on_the_air(text, m.start(), end):
            return start  # "medic [ID-1]": the number, as a unit's ("unit [ID-1]"); the word says what it is
        return None
    if lower not in _PHONETIC_LOWER or not (word.islower() or spelled):
        return None
    if spelled:
        if _on_the_air(text, m.start(), end):
            return m.start()
        # "we were adam twelve that night": a unit's name said with no radio's word near, where the words
        # around it say no count ("i told adam two things", "gave mike one") and, for a phonetic word that is
        # an everyday word ("lincoln", "boy", "king"), where "we were" or "i was" says a unit follows
        if _SIGN_END.match(text, end) is None or _GIVEN_BEFORE.search(
            text, max(0, m.start() - 12), m.start()
        ):
            return None
        if lower in _EVERYDAY_PHONETIC and not _we_were(text, m.start(), lower):
            return None
        return m.start()
    if spaced and lower in _EVERYDAY_PHONETIC:
        on_air = _on_the_air(text, m.start(), end) or _we_were(text, m.start(), lower)
        return m.start() if on_air else None
    return m.start()


# A unit's name said as words ends its clause or goes on as a subject or an object does ("adam twelve was
# first", "we were adam twelve that night", "adam twelve, working mids"); a count goes on with what it counts.
_SIGN_END = lazy_compile(
    r"[ \t]*(?:$|[.,;:!?)\n]|(?i:(?:was|were|is|are|that|and|or|on|in|at|with|for|so|when|then|had|has|got|"
    r"took|came|showed|pulled|rolled|responded|cleared|called|said|went|we|i|he|she|they|back|out|over|up|"
    r"tonight|today|yesterday|who|but|because|would|will|could|can|needs|requested|arrived|copied|handled|"
    r"responds|clears|copies|says|takes|goes|arrives|requests|shows|gets)\b))"
)
_GIVEN_BEFORE = lazy_compile(
    r"(?i:\b(?:gave|give|gives|giving|told|tell|tells|asked|ask|sent|send|owe|owed|paid|pay|handed|hand|"
    r"bought|buy|showed|show|brought|bring|offered|lent|texted)[ \t]+)$"
)


def _we_were(text: str, start: int, word: str) -> bool:
    """ "we were" or "i was" before a phonetic word at `start` that says no age or manner ("he was young 20")."""
    return word not in ("young", "frank") and _WE_WERE.search(text, max(0, start - 32), start) is not None


# "we were lincoln four that night", "i was boy 2": a unit's name after the officer says who they were, or
# what they rode ("he rode lincoln 20 with me", "we used to ride adam 12")
_WE_WERE = lazy_compile(
    r"(?i:\b(?:we|i|he|she|they)(?:(?:[ \t]+(?:were|was|are|am|is)|['’](?:re|m|s))"
    r"(?:[ \t]+(?:working|riding|running|still|both|all|on))?"
    r"|(?:[ \t]+(?:used[ \t]+to|would|always|both|all))?[ \t]+(?:rode|ride|rides))[ \t]+)$"
)


# A call sign said with its beat's number first and its word last: "we were 3 Baker that night", "unit 2
# Adam responded": after "unit" or "car", after "we were" or "i was", or with a radio's word near ("we had 3
# Adam Walsh cases" names a person: a capital follows). Searched from the phonetic words the text holds as
# words (a regex over the digits' windows cost 3% of the scan), the number checked before each.
_SIGN_WORD_TOKENS = {w + end: w for w in PHONETIC_WORDS for end in ("", ",", ".", ";", "?", "!")}
_NUMBER_BEFORE_SIGN = re.compile(r"(?<![\w#.,/:-])\d{1,2} $")
_CAPITAL_WORD_AFTER = re.compile(r"[ \t]+[A-Z]")
_UNIT_OR_CAR_BEFORE = lazy_compile(r"(?i:\b(?:unit|car)[ \t]+)$")


def _number_first_signs(text: str) -> Iterator[Span]:
    for word in {_SIGN_WORD_TOKENS[t] for t in text_tokens(text).intersection(_SIGN_WORD_TOKENS)}:
        at = text.find(word)
        while at != -1:
            end, found = at + len(word), at
            at = text.find(word, end)
            if found < 2 or text[found - 1] != " " or not text[found - 2].isdigit():
                continue  # (most: no digit before the word)
            number = _NUMBER_BEFORE_SIGN.search(text, max(0, found - 4), found)
            if (
                number is None
                or (end < len(text) and (text[end].isalnum() or text[end] in "_'’-"))
                or _CAPITAL_WORD_AFTER.match(text, end)
            ):
                continue
            start = number.start()
            if (
                _UNIT_OR_CAR_BEFORE.search(text, max(0, start - 6), start)
                or _WE_WERE.search(text, max(0, start - 32), start)
                or _on_the_air(text, start, end)
            ):
                yield start, end, "id_number"


def _call_signs(text: str) -> Iterator[Span]:
    """Call signs with their number in digits: "Adam 12", "3-adam-12", "medic 7"."""
    for pattern in (_SPACE_NUMBER, _HYPHEN_NUMBER):
        for m in pattern.finditer(text):
            at = m.start() + 1
            if text[max(0, at - 4) : at - 1].lower() in _SIGN_TAILS:
                start = _call_sign_before(text, at, m.end())
                if start is not None:
                    yield start, m.end(), "id_number"


@functools.lru_cache(maxsize=1)
def lower_text(text: str) -> str:
    """`text` lower-cased, once per text for every rule that searches it so (each lower-casing of a
    transcript cost as much as a str.find pass)."""
    return text.lower()


@functools.lru_cache(maxsize=1)
def text_tokens(text: str) -> frozenset[str]:
    """The distinct whitespace-separated tokens of `text`, split once per text for the rules and the name
    search (a split costs as much as ten str.find passes)."""
    return frozenset(text.split())


# The words a call sign said as words starts with, in the forms the text may hold them ("adam", "Adam").
_SIGN_WORD_FORMS = tuple(
    (w, frozenset((w, w.capitalize(), w.upper()))) for w in sorted(_PHONETIC_LOWER | _APPARATUS | {"unit"})
)


def _said_call_signs(
    text: str, lowered: str, said: list[tuple[int, int]], hyphened: list[tuple[int, int]]
) -> Iterator[Span]:
    """Call signs with their number said as words: "charlie two", "unit four", "adam twelve". `said`: where a
    digit's word is (" four", " two"), searched already for numbers read out. The other number words ("one",
    "twelve", "twenty") are looked for after the call signs' words the text holds (text_tokens: a search
    of each number word took 4% of the scan)."""
    extra = list(hyphened)  # "adam-twelve": found with the hyphens
    if len(lowered) == len(text):
        tokens = text_tokens(text)
        for word, forms in _SIGN_WORD_FORMS:
            if tokens.isdisjoint(forms):
                continue
            at = lowered.find(word + " ")
            while at != -1:
                space = at + len(word)
                if not (at and lowered[at - 1].isalnum()) and _SAID_NUMBER.match(lowered, space + 1):
                    extra.append((space, space + 1))
                at = lowered.find(word + " ", space)
    for at, _ in sorted(set(said + extra)) if extra else said:
        if text[at] != " " and (text[at] != "-" or (at, at + 1) not in hyphened):
            continue
        n = _SAID_NUMBER.match(text, at + 1)
        if n is None:
            continue
        if text[at - 4 : at].lower() == "unit" and (at == 4 or not text[at - 5].isalnum()):
            if _on_the_air(text, at - 4, n.end()) and not _count_after(text, n.end()):
                yield n.start(), n.end(), "id_number"  # "unit [ID-1]", as "Unit 14"
            continue
        start = _call_sign_before(text, at + 1, n.end(), spelled=True)
        if start is not None:
            yield start, n.end(), "id_number"


_SAID_NUMBER = re.compile(
    r"(?i:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|"
    r"eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|"
    r"three|four|five|six|seven|eight|nine)(?![\w'’-])"
)


def _count_after(text: str, end: int) -> bool:
    after = _COUNT_AFTER.match(text, end)
    return after is not None and after.group(1).lower() in _COUNT_WORDS


def _plural_after(text: str, end: int) -> bool:
    """A plural noun right after `end` ("400 pages", "300 officers"), not a verb that ends so ("4471 says")."""
    after = _PLURAL_AFTER.match(text, end)
    if after is None or after.group(1) in _NOT_PLURALS or after.group(1) in _RADIO_VERBS:
        return False
    from .names import english_words

    word, words = after.group(1), english_words()
    return word[:-1] in words or (word.endswith("es") and word[:-2] in words)


def _bare_comma_count(text: str, m: re.Match) -> bool:
    """An ID_NUMBER match whose digits come after the cue and a bare comma and before a count's word or a
    plural noun ("i made the call, 400 times", "the incident, 300 people", "the call, 400 pages"): the
    clause went on after the cue, and the number counts. With "number", "is" or "was" said, or no comma ("unit 412 calls for backup"), it stays an id."""
    value = m.group("v")
    return (
        value.isdigit()
        and not m.group("n")
        and not m.group("is")
        and "," in text[m.start() : m.start("v")]
        and (
            _count_after(text, m.end("v"))
            or _plural_after(text, m.end("v"))
            or (
                m.group()[:1].lower() in "cire"  # a call's, a case's, an incident's, a report's, an event's
                and m.group().split(None, 1)[0].rstrip(",").lower() in _COUNTED_CUES
                and _WHAT_AFTER.match(text, m.end("v")) is not None
            )
        )
    )


# "the call, 400 is what I remember", "the incident, 300 was about it": a number of a call, a case or a report
# said as what one remembers counts them (a badge's, a unit's or an account's is still its number).
_COUNTED_CUES = frozenset(
    ("call", "calls", "case", "cases", "incident", "incidents", "report", "reports", "event")
)
_WHAT_AFTER = re.compile(r"[ \t]+(?:is|was|'s|’s)[ \t]+(?:what|about|all|around|roughly)(?![\w'’-])")


# A room or bed number points at a ward's bed, no one ("bed 12 was empty"); with the hospital named and the
# day said nearby ("room 412 at St. Mary's on March 3") it picks out the one patient in it: an identifier
# (Safe Harbor's "any other unique identifying number"). Floors and wings ("4 West", "the Baker wing") hold
# many patients and are never found.
ROOM = re.compile(
    r"(?i:room|bed)(?:[ \t]+(?:number|no\.?|#))?[ \t]*#?[ \t]*(?P<v>\d{1,4}[A-Za-z]?)(?![\w-]|[:.,/]\d)"
)
_ROOM_REACH = 250  # characters either side where the place and the date must be


def iter_rooms(text: str, spans: Iterable[Span]) -> Iterator[Span]:
    """Room and bed numbers with a place (an `address` span) and a date (a `date` span) near them."""
    places = [s for s in spans if s[2] == "address"]
    dates = [s for s in spans if s[2] == "date"]
    if not places or not dates:
        return
    lowered = lower_text(text)
    for m in _matches_after_word(ROOM, text, lowered, ("room", "bed")):
        if _COUNT_AFTER_EXTENSION.match(text, m.end()):
            continue  # "went to bed 2 hours later"
        at, to = m.start() - _ROOM_REACH, m.end() + _ROOM_REACH
        if any(at < e and s < to for s, e, _ in places) and any(at < e and s < to for s, e, _ in dates):
            yield m.start("v"), m.end("v"), "id_number"


_WARD_CUE = re.compile(r"(?i:\b(?:hospital|ward|floor|nurses?|patients?|beds?|psych|inpatient|meds)\b)")
# A number written as a record's number without its cue: "#24-118832", "2023-CR-00412", "IR-2024-0077".
RECORD = re.compile(
    r"(?=[#\d]|[A-Z]{1,5}-\d)(?:(?<![\w#])#\s?(?P<h>(?:[A-Z]{1,4}-?)?\d[\d-]{3,}\d)(?![\w-])"
    r"|(?<![\w-])(?:\d{2}|\d{4})-[A-Z]{1,5}-\d{3,}(?![\w-])"
    r"|(?<![\w-])[A-Z]{1,5}-(?:\d{2}|\d{4})-\d{3,}(?![\w-]))"
)
# A house number and a street's name without its suffix, after a word that says someone lives there: "she
# lives at 1423 Elm", "his address is 88 Pine". The name capitalised and no word of NOT_NAMES ("moved to 5
# North" is a hospital's floor, "stays at 2 Fridays" no street).
LIVES_AT = lazy_compile(
    r"(?i:\b(?:lives?|lived|living|stays?|stayed|staying|resides?|resided|residing|address(?:[ \t]+(?:is|was))?)"
    r"[ \t]+(?P<at>at|on)?[ \t]*)(?P<a>\d{1,6}[A-Za-z]?[ \t]+(?:[NSEW]\.?[ \t]+)?(?P<n>[A-Za-z][a-z]+))(?![\w'’-])"
)
_LIVES_ANCHOR = ("live", "stay", "resid", "address")  # searched in the lower-cased text (speed)
# "the 1400 block of Fifth", "the 200 block of N. Elm Street": where a call was, as police say it.
_STREET_NAME = (
    r"(?:(?:[NSEW]\.?|North|South|East|West)\s+)?(?:[A-Z][A-Za-z'-]*|\d+(?:st|nd|rd|th))(?:\s+"
    + _SUFFIX
    + r")?"
)
# ...or typed in lower case, as speech recognition writes it, after "block of" ("the 1400 block of fifth",
# "the 2300 block of main street"): "block of" says a street follows; "the", "our", "houses" are none.
_STREET_NAME_LOWER = (
    r"(?:(?:[nsew]\.?|north|south|east|west)\s+)?(?!(?:the|a|an|this|that|our|their|his|her|its|it|them|"
    r"houses|homes|apartments|buildings|town|time|calls?)\b)(?:[a-z][a-z'-]+|\d+(?:st|nd|rd|th))(?:\s+"
    + _SUFFIX
    + r")?"
)
BLOCK = re.compile(
    r"(?=\d)(?<![\w-])\d{2,5}\s+(?i:block)\s+of\s+(?:"
    + _STREET_NAME
    + "|"
    + _STREET_NAME_LOWER
    + r")(?![\w'-])"
)
# The block said in words: "the twenty-three hundred block of Main", "fourteen hundred block of fifth".
_HUNDRED_BLOCK = lazy_compile(
    r"hundred[ \t]+block[ \t]+of[ \t]+(?:" + _STREET_NAME + "|" + _STREET_NAME_LOWER + r")(?![\w'-])"
)
_HUNDREDS_SAID = lazy_compile(
    rf"(?<![\w-])(?:{_TENS}(?:[- ]{_UNIT_WORD})?|{_TEEN}|{_UNIT_WORD})[- ]$", re.IGNORECASE
)


def _said_blocks(text: str, lowered: str) -> Iterator[Span]:
    """Blocks said in words: "the twenty-three hundred block of Main" (the house numbers' hundreds)."""
    at = lowered.find("hundred block")
    while at != -1:
        m = _HUNDRED_BLOCK.match(text, at) if len(lowered) == len(text) else None
        if m and (at == 0 or not text[at - 1].isalnum()):
            said = _HUNDREDS_SAID.search(text, max(0, at - 24), at)
            yield (said.start() if said else at), m.end(), "address"
        at = lowered.find("hundred block", at + 13)


# An intersection: "Fifth and Main", "Elm Street and 3rd", "the corner of Oak and Pine". One side is a
# numbered street or has a street suffix, or a "corner"/"intersection" cue says so: "Smith and Wesson" is none.
_ORDINAL_WORD = r"(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|Twelfth|\d+(?:st|nd|rd|th))"
_CROSS = r"\s+(?:and|&)\s+"
_STREET = r"(?:[A-Z][a-z'-]+(?:\s+" + _SUFFIX + r")?|" + _ORDINAL_WORD + r"(?:\s+" + _SUFFIX + r")?)"
# Suffixes that are also the names of things ("Drug Court and Probation", "Safe Way and ...") do not make
# a pair of words an intersection by themselves.
_CROSS_SUFFIX = (
    r"(?:Street|Avenue|Road|Boulevard|Drive|Lane|Highway|Parkway|(?:St|Ave|Rd|Blvd|Dr|Ln|Hwy|Pkwy)\b\.?)"
)
_TWO_ORDINALS = lazy_compile(_ORDINAL_WORD + _CROSS + _ORDINAL_WORD)
INTERSECTION = re.compile(
    r"(?:\b"
    + _ORDINAL_WORD
    + r"(?:\s+"
    + _SUFFIX
    + r")?"
    + _CROSS
    + _STREET
    + r"|\b[A-Z][a-z'-]+\s+"
    + _CROSS_SUFFIX
    + _CROSS
    + _STREET
    + r"|\b[A-Z][a-z'-]+"
    + _CROSS
    + _ORDINAL_WORD
    + r"(?:\s+"
    + _SUFFIX
    + r")?"
    + r"|(?:(?<=corner of )|(?<=intersection of ))[A-Z][a-z'-]+"
    + _CROSS
    + r"[A-Z][a-z'-]+(?:\s+"
    + _SUFFIX
    + r")?)"
)
# Every intersection has " and " (or " & ") before a capital or a digit: the rule runs only there (speed).
# After a space, checked in _street_anchors (speed). "and" and "&" are searched apart: a pattern starting with
# the literal "and" skips to it, where (?:and|&) stopped at every "a".
_STREET_ANCHOR = re.compile(r"and\s+[A-Z\d]")
_STREET_ANCHOR_AMPERSAND = re.compile(r"&\s+[A-Z\d]")


def _street_anchors(text: str) -> Iterator[tuple[int, int]]:
    found = _STREET_ANCHOR.finditer(text)
    if "&" in text:  # no match of one overlaps one of the other
        found = heapq.merge(found, _STREET_ANCHOR_AMPERSAND.finditer(text), key=lambda m: m.start())
    for m in found:
        if m.start() and text[m.start() - 1].isspace():
            yield m.start() - 1, m.end()


# A ZIP code after a city's state ("Nashville, TN 37203") or a "zip" cue: the span is the code.
ZIP = re.compile(
    r"(?=[,Zz])(?:,[ \t]*(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|"
    r"NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)|(?i:\bzip(?:\s*code)?(?:\s+(?:is|was))?:?))"
    r"\s+(?P<z>\d{5}(?:-\d{4})?)(?![\w-])"
)
# A social-media handle: "@officer_t_ruiz" (an e-mail address is found as one).
# Not before "(": `@SUM(A1:A9)`, a spreadsheet's formula read out or pasted.
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@(])")
# "@" for "at" before a common word ("meet @the station", "@home"), or in a place's name before another
# capitalised word ("@Home Depot"; a chat's "@Marcus Bell" is a name, which the name rules find): no handle.
_AT_WORDS = frozenset(
    "the a an my our his her their your this that home work school noon night lunch".split()  # noqa: SIM905
)
_AT_NAME = re.compile(r"@[A-Z][a-z]+ [A-Z]")
# An e-mail address said aloud, as a transcript writes it: "maria dot lopez at example dot com".
# Speech recognition writes the domain with its dots too ("jsmith at gmail.com"), a name's parts with
# "underscore" ("john underscore smith"), and an initial apart ("j smith at county dot gov").
SPOKEN_EMAIL = lazy_compile(
    r"(?i:(?<![\w'’.@-])(?:(?![ai]\s)[a-z]\s+)?(?P<local>[a-z0-9_]+(?:(?:\s+(?:dot|underscore|dash|hyphen)\s+|[._-])[a-z0-9_]+)*(?:\s+\d{1,4}(?=\s+at\s))?)"
    r"\s+at\s+[a-z0-9-]+(?:(?:\s+dot\s+|\.)[a-z0-9-]+)*(?P<dot>\s+dot\s+|\.)(?:com|org|net|edu|gov|us|io)\b)"
)
# With its domain's dots written, "X at site.com" is an address only after a cue: "my email is ...".
_EMAIL_CUE = re.compile(r"(?i:e-?mail|address|reach (?:me|her|him|them) at|write to)")
_SPOKEN_DOT = (
    " dot ",
    ".com",
    ".org",
    ".net",
    ".edu",
    ".gov",
    ".us",
    ".io",
)  # searched in the lower-cased text
# A handle named by its platform, without an "@": "my Snapchat is jayr_2004". It needs a digit or "_"
# ("he's on Instagram all day" names no one).
_PLATFORM = ("snap", "insta", "twitter", "tiktok", "facebook", "handle", "username", "user name", "gamertag")
# Also with a dot between its letters ("his snapchat was kaylee.m"; a period after it ends the sentence), said with "underscore" ("her insta is
# kaylee underscore m"), and after "he's", "she's", "goes by" ("on tiktok he's jayr2004").
NAMED_HANDLE = lazy_compile(
    r"(?i:\b(?:snapchat|snap|instagram|insta|twitter|tiktok|facebook|handle|username|user name|gamertag)"
    r"(?:\s+(?:name|handle|account|page))?(?:,?\s+(?:is|was|he['’]s|she['’]s|it['’]s|they['’]re|he is|she is|"
    # the "@" said as "at": "his instagram is at jay underscore ruiz underscore 2004"
    r"goes by|went by|as))*[:\s]+)(?:at\s+(?=[a-z0-9_.]+\s+underscore\s|[A-Za-z0-9_.]*[\d_]))?@?"
    r"(?P<h>(?=[A-Za-z0-9_.]*[\d_]|[A-Za-z0-9_]+\.[A-Za-z0-9_])[A-Za-z0-9_][A-Za-z0-9_.]{2,29}"
    r"|[a-z0-9]+(?:\s+underscore\s+[a-z0-9]+)+(?:\s+\d{1,4})?)(?![\w@])"
)
# A link said aloud: "facebook dot com slash jimmy dot alvarez", "tiktok.com slash jayr underscore 2004".
SPOKEN_URL = lazy_compile(
    r"(?i:(?<![\w'’.@-])(?:www(?:\s+dot\s+|\.))?[a-z0-9-]+(?:\s+dot\s+|\.)(?:com|org|net|edu|gov|us|io|me|tv)"
    r"\s+(?:forward\s+)?slash\s+(?:at\s+)?[a-z0-9_]+(?:\s+(?:dot|underscore|dash)\s+[a-z0-9_]+|[._-][a-z0-9_]+)*)"
)
# An extension after a phone number belongs to it: "(555) 201-3344 ext. 214", "555-201-7788 x3".
EXTENSION = re.compile(r"(?:,?\s*(?i:ext\.?|extension|x)\s*\d{1,5})(?![\w-])")
# An extension said alone: "call extension 4412", "ext. 12". The phone's number is the agency's, known;
# the extension finds the person's desk. The cue stays, as "badge" does ("extension [PHONE-1]"); "an
# extension 30 days" is a delay.
# "my extension's 2214", "his extension was like 2214", as people say it
_EXTENSION_IS = r"(?:['’]s)?(?:,?[ \t]+(?:number|is|was|#|like|um|uh))*"
EXTENSION_ALONE = re.compile(
    rf"(?i:ext\.?|extension){_EXTENSION_IS}[ \t]*#?[ \t]*(?P<v>\d{{2,6}})(?![\w-]|[:.,/]\d)"
)
_EXTENSION_CUE_BEFORE = re.compile(rf"(?i:\b(?:ext\.?|extension){_EXTENSION_IS}[ \t]*#?[ \t]*)$")
_COUNT_AFTER_EXTENSION = lazy_compile(
    r"[ \t]+(?i:more[ \t]+)?(?i:days?|weeks?|months?|years?|hours?|minutes?|times?|feet|foot|ft|inches|"
    r"percent|dollars|bucks|miles|people|calls)\b"
)


# Digits said one by one, as a transcript writes them: "five five five, two one two, four four one eight".
# Ten of them (or seven, or eleven after "one") are a phone number; three or more after an id cue ("my
# badge is four four seven one") are that id.
_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
# A pause typed as an ellipsis parts digits too: "his badge was like four four... seven one".
SPOKEN_DIGITS = re.compile(
    rf"\b{_DIGIT_WORD}(?:(?:[ \t]*(?:[,-]|\.{{1,3}}|…)[ \t]*|[ \t]+(?:dash[ \t]+)?){_DIGIT_WORD}\b)+"
)
_MONTH_NEAR = re.compile(rf"(?i:\b{_MONTH}\b)")
_SPOKEN_DIGITS_ANY_CASE = re.compile(SPOKEN_DIGITS.pattern, re.IGNORECASE)
_DIGIT_ANCHOR = (" five", " four", " two", " three", " six", " seven", " eight", " nine", " oh", " zero")
_DIGIT_WORDS = ("zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _hyphened_digit_words(lowered: str, signs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where a digit word follows a hyphen after a letter ("five-five"), by str.find of "-" (a hyphen is
    rare in talk; a search per digit word with a hyphen before it took ten passes over the text). Where
    any number word follows a call sign's word so ("adam-twelve"), the hyphen is added to `signs`."""
    spans = []
    at = lowered.find("-")
    while at != -1:
        if at and lowered[at - 1].isalpha():
            if lowered.startswith(_DIGIT_WORDS, at + 1):
                spans.append((at, at + 4))
            if lowered[at - 3 : at] in _SIGN_TAILS and _SAID_NUMBER.match(lowered, at + 1):
                signs.append((at, at + 1))
        at = lowered.find("-", at + 1)
    return spans


_ID_CUE_BEFORE = lazy_compile(
    r"(?i:\b(?:badge|case|report|incident|file|citation|warrant|booking|inmate|employee|mrn|account|member|"
    r"patient|id|cad|cfs|event|unit|serial|(?:call|run)(?=[ \t]+(?:number|num|no\b|#)))"
    r"(?:,?[ \t]+(?:number|num|no\.?|id|#))?(?:['’]s\b)?"
    # a pause said before it or before "was": "her mrn was, uh, eight eight three four one two", "the incident
    # number, um, was twenty four dash..."
    r"(?:,?[ \t]+(?:like|about|maybe|um|uh|umm|uhh|uhm|er|erm|ah)(?![\w'’]))*"
    r"(?:,?[ \t]+(?:it[ \t]+was|it's|is|was|of|reads))?"
    r"(?:,?[ \t]+(?:like|about|maybe|um|uh|umm|uhh|uhm|er|erm|ah)(?![\w'’]))*[:,]?[ \t]*#?[ \t]*)$"
)
# A count said after a phone number read out, set off by a comma: ", three or four times".
_COUNT_AFTER_PHONE = re.compile(rf",[ \t]*{_DIGIT_WORD}$")
_OR_MORE = re.compile(r"[ \t]+(?:or|to|more|times)\b")
# A tens word right before digits said one by one begins the same number: "twenty four dash one one eight
# eight three two" is one record's number, not the phone number "four dash one one eight eight three two".
_TENS_BEFORE = re.compile(
    r"(?i:(?<![\w'’-])(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[ \t-]+)$"
)
# An id number said in pairs or hundreds, as officers say a badge number: "my badge is forty four seventy
# one", "badge number forty-four seventy-one", "case number twenty three dash four one two". Three digits
# or more, after a badge, or after a record's word with "number" ("case number"): "badge for twenty years",
# "in case forty people call" and "with the patient twenty four seven" are none.
_PAIR_WORD = rf"(?:{_TENS}(?:[- ]{_UNIT_WORD})?|{_TEEN}|{_UNIT_WORD}|oh|zero|hundred)"
SAID_ID_NUMBER = lazy_compile(
    r"(?i:\b(?:badge|(?:case|report|incident|file|citation|warrant|booking|inmate|employee|account|member|"
    r"patient|cad|cfs|event|serial|call|run)(?=[ \t]+(?:number|num|no\b|#)))"
    r"(?:['’]s\b|,?[ \t]+(?:number|num|no\.?|#|it[ \t]+was|it['’]s|is|was|of|reads"
    # a pause said between: "the incident number, um, was twenty four dash..."
    r"|(?:like|about|maybe|um|uh|umm|uhh|uhm|er|erm|ah)(?![\w'’])))*[:,]?[ \t]+"
    rf"(?P<v>{_PAIR_WORD}(?:(?:[ \t]*[,-][ \t]*|[ \t]+(?:dash[ \t]+)?){_PAIR_WORD})+)(?![\w'’-]))"
)
# An extension said in pairs or hundreds, as a desk's number is said: "extension twenty two fourteen",
# "my extension's two fourteen". Three digits or more ("an extension twenty two more days" is a delay).
SAID_EXTENSION = lazy_compile(
    rf"(?i:(?:ext\.?|extension){_EXTENSION_IS}[ \t]*#?[ \t]+"
    rf"(?P<v>{_PAIR_WORD}(?:(?:[ \t]*[,-][ \t]*|[ \t]+){_PAIR_WORD})+)(?![\w'’-]))"
)
_PAIR_TOKEN = re.compile(r"[a-z]+")
_TENS_WORDS = frozenset(("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"))
# Each cue searched ("num" for "number" too) where the text holds it as a token ("badge", "Number's").
_ID_CUE_FORMS = tuple(
    (
        cue,
        frozenset(
            form + end
            for word in words
            for form in (word, word.capitalize(), word.upper())
            for end in ("", ",", ":", "'s", "’s")
        ),
    )
    for cue, words in (("badge", ("badge",)), ("num", ("number", "num")))
)


def _said_digit_count(value: str) -> int:
    """How many digits a number said in words holds: "forty four seventy one" 4, "four hundred" 3."""
    count, after_tens = 0, False
    for word in _PAIR_TOKEN.findall(value.lower()):
        if word in _TENS_WORDS or word == "hundred" or _NUMBER_VALUES.get(word, 0) >= 10:
            count += 2  # "forty", "hundred", "twelve"
        elif not after_tens:
            count += 1
        after_tens = word in _TENS_WORDS
    return count


def _said_id_numbers(text: str, lowered: str) -> Iterator[Span]:
    """Id numbers said in pairs (SAID_ID_NUMBER), around "badge" and "number" where the text holds them;
    extensions so said (SAID_EXTENSION) after "ext" where a word starts."""
    for m in _matches_after_word(SAID_EXTENSION, text, lowered, ("ext",)):
        if _said_digit_count(m.group("v")) >= 3 and not _COUNT_AFTER_EXTENSION.match(text, m.end()):
            yield m.start("v"), m.end("v"), "phone"
    tokens = text_tokens(text)
    cues = tuple(cue for cue, forms in _ID_CUE_FORMS if not tokens.isdisjoint(forms))
    if not cues:
        return
    for m in _find(SAID_ID_NUMBER, text, _windows(text, _word_anchors(text, lowered, cues))):
        value = m.group("v")
        if _said_digit_count(value) >= 3 and value.lower().replace("-", " ") != "twenty four seven":
            yield m.start("v"), m.end("v"), "id_number"


# A meeting's number is no one's phone: "Zoom meeting ID 845 2231 0987", "Webex meeting number 2785 123
# 456", "passcode 553311", "Personal Meeting ID 555 201 3344". Numbers after these words are left alone.
MEETING_CUE = re.compile(
    r"(?i:\b(?:meeting|webinar|conference|access|attendee|participant|host)[ \t]+(?:id|number|no\.?|code|#)"
    r"|\bpmi|\bpass[ \t]?code|\bmeeting[ \t]+password)(?:[ \t]+(?:is|was))?[ \t]*[:#]?[ \t]*$"
)
# Webex writes the speaker and a Webex user number in a cue identifier: `3 "Dana Whitfield" (2785123456)`.
# The number is an account's id, not a phone number.
WEBEX_USER = re.compile(r'^\d+[ \t]+"[^"\n]*"[ \t]+\((?P<n>\d{6,15})\)[ \t]*$', re.MULTILINE)


def _meeting_number(text: str, start: int) -> bool:
    """A number at `start` follows a meeting cue ("Meeting ID: 845 2231 0987")."""
    return MEETING_CUE.search(text, max(0, start - 40), start) is not None


def _age(number: str) -> re.Pattern:
    """Ages over 89 in their usual contexts; `number` is the pattern of the age itself."""
    return re.compile(
        r"(?=[\daAtTsShHgGmMfFdDwWpPcClLnNoO])"
        rf"(?:\b(?P<v>{number})(?:\s+|-)(?:years?|yrs?)(?:\s+|-)old\b"
        rf"|\b(?i:age|aged)(?:\s+of\s+|:?\s+)(?P<w>{number})\b"
        rf"|\b(?P<x>{number})(?:(?:\s+|-)year-old|\s*(?i:y/o|y\.o\.|yo)(?!\w))"
        # "she turned 101", "she was 95," -- a bare number after a verb, ending the clause.
        r"|\b(?i:turned|turns|turning|(?:she|he|mother|father|mom|dad|grandmother|grandfather|grandma|grandpa|"
        r"granny|nana|aunt|uncle|wife|husband|patient|client|consumer|caller|resident|veteran|neighbor|neighbour|"
        r"guy|gentleman|lady|man|woman|who)\s+(?:is|was)|(?:she|he)['’]s)"
        rf"\s+(?:(?:like|about|almost|nearly|maybe|already|only|just|over)\s+)?(?P<y>{number})"
        r"(?=\s*(?:[.,;!?)]|$|\s(?:and|now|last|this|or|but|next|in|when|at|so|because|with)\b)))"
    )


AGE = _age(r"9\d|1[01]\d")
# Transcribers spell ages out: "ninety-four years old", "she turned a hundred".
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
AGE_WORDS = _age(
    rf"(?i:ninety(?:[- ](?:{_UNITS}))?|(?:one|a)\s+hundred(?:(?:\s+and)?\s+(?:{_UNITS}|ten|eleven|twelve))?)"
)
_AGE_ANCHOR = ("ninety", "hundred")  # words searched in the lower-cased text
# Every age rule holds a number from 90 to 119: run where one is (rare), not around every digit (speed).
# (The digit before is checked in _age_numbers: a look-behind first made the search try every character.)
_AGE_NUMBER = re.compile(r"(?:9|1[01])\d(?!\d)")


def _age_numbers(text: str) -> Iterator[tuple[int, int]]:
    for m in _AGE_NUMBER.finditer(text):
        if not (m.start() and text[m.start() - 1].isdigit()):
            yield m.span()


# Emergency and crisis-line numbers and hold statutes are not identifiers ("case 5150").
_NOT_IDS = {"911", "988", "211", "311", "5150", "5250", "5270", "5585"}


def _is_word(value: str) -> bool:
    from .names import common_words, english_words

    value = value.casefold()
    return value in english_words() or value in common_words()


def _this_year() -> int:
    import datetime

    return datetime.date.today().year


def _is_year(value: str) -> bool:
    return len(value) == 4 and value.isdigit() and 1900 <= int(value) <= 2099


_YEARS_SPAN = re.compile(r"((?:19|20)\d\d)[-–—](\d\d(?:\d\d)?)")


def _number_said(text: str, m: re.Match[str]) -> bool:
    """ "number", "no." or "#" said between the cue of `m` and its value (group "v"); searched up to the value's
    end, as "no" counts only before its digits."""
    said = _NUMBER_SAID.search(text, m.start(), m.end("v"))
    return said is not None and said.start() < m.start("v")


def _years_span(value: str) -> bool:
    """A span of years ("2019-2020", "2019-20", "2019–2021"): the second year after the first, within 30
    years. People date a case by its years ("the case, 2019-2020, was"); a case number of that shape is
    an id only where the cue says "number" ("case number 2019-2020"). "2023-0412" is no span."""
    m = _YEARS_SPAN.fullmatch(value)
    if not m:
        return False
    first, second = int(m.group(1)), m.group(2)
    end = int(second) if len(second) == 4 else first - first % 100 + int(second)
    return first < end <= first + 30


# Speed (the scan runs on every ingest): every rule but e-mail and URL needs a digit, e-mail an "@", a URL a dot or
# "http". Rules run only in windows around those anchors, which cover a small part of interview prose.
_DIGITS = re.compile(r"\d+")
_AT = re.compile("@")
# Runs of digits less than _BACK + _AHEAD apart, found as one span: their windows merge anyway, and a
# transcript with a time stamp on every line has tens of thousands of them (speed).
_DIGIT_RUNS = re.compile(r"\d+(?:\D{0,105}\d+)*")
# Phone numbers, SSNs, ZIP codes and years of birth each hold three digits in a row: those rules run only
# near such a run. Most digit windows hold a speaker label's one digit ("Officer 2:" on every turn).
_THREE_DIGITS = re.compile(r"\d{3,}")
# Record, id and block numbers hold two digits (or digits joined by hyphens: "4-4-7-1"): not a label's one.
_TWO_DIGITS = re.compile(r"\d(?:-*\d|[ ]\d(?=[ ]\d))+")  # "4 4 7 1" too, said one by one
# ...searched, in an ASCII text, in a copy of it with every digit made "0" (_digit_windows), as patterns that
# start with the literal "0": the regex engine skips to a literal's occurrences, while a pattern that starts
# with \d (or with a repeat) is tried at every character, ten times slower.
_ZERO_DIGITS = bytes.maketrans(b"123456789", b"0" * 9)
_DIGIT_RUNS_ZEROED = re.compile(rb"00*(?:[^0]{0,105}0+)*")
_THREE_DIGITS_ZEROED = re.compile(rb"0000*")
_TWO_DIGITS_ZEROED = re.compile(rb"0(?:-*0|[ ]0(?=[ ]0))+")
# A house number's digits, a letter maybe, and the space after them (\s of an ASCII text): every ADDRESS and
# ADDRESS_LOWER but a post office box holds one.
_DIGIT_THEN_SPACE_ZEROED = re.compile(rb"0[A-Za-z]?[ \t\n\r\x0b\x0c\x1c-\x1f]")
# The same anchors searched in the lower-cased text: a case-sensitive search is about 4x faster.
_URL_ANCHOR_LOWER = re.compile(r"https?:|www\.|\.(?:com|org|net|gov|edu|us|io|info|biz|co)\b")
# ...its last part alone, in a text holding neither "http" nor "www." (most): a search starting with the literal
# "." skips to the periods, where the anchors' search stopped at every "h" and "w" (speed).
_URL_ENDING_LOWER = re.compile(r"\.(?:com|org|net|gov|edu|us|io|info|biz|co)\b")


def _word_anchors(text: str, lowered: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans where any of `words` (lower case) occurs, in order: one str.find scan per word, several times
    faster than a regex tried at every character."""
    if len(lowered) != len(text):  # a character whose lower case is longer would shift the offsets
        pattern = re.compile("|".join(map(re.escape, words)), re.IGNORECASE)
        return [m.span() for m in pattern.finditer(text)]
    spans = []
    words_held = vocabulary(text, lowered)
    for word in words:
        # Most anchor words are absent from a transcript: each is looked up first in its distinct words (a
        # fraction of its length), where any part of it between spaces must then be, before its full scan.
        if not all(part in words_held for part in word.split()):
            continue
        at = lowered.find(word)
        while at != -1:
            spans.append((at, at + len(word)))
            at = lowered.find(word, at + 1)
    return sorted(spans)


@functools.lru_cache(maxsize=2)  # the lower-cased text and the text itself, asked for each anchor list
def vocabulary(text: str, lowered: str) -> str:
    """The distinct whitespace-separated tokens of `lowered` (`text` or its lower case), joined by NUL
    characters: a text holding a word with no whitespace in it holds it inside one of these tokens. Made
    from the text's own tokens (text_tokens) when it can: lower case changes no whitespace, and a
    letter's lower case depends on no letter across whitespace."""
    if lowered is text:
        return "\0".join(text_tokens(text))
    if lowered == text.lower():
        return "\0".join({token.lower() for token in text_tokens(text)})
    return "\0".join(set(lowered.split()))


def _lower_anchors(text: str, lowered: str, pattern: re.Pattern) -> Iterator[re.Match]:
    """Matches of a lower-case `pattern` in the lower-cased text: a case-sensitive search is about 4x faster."""
    if len(lowered) != len(text):  # a character whose lower case is longer would shift the offsets
        return re.compile(pattern.pattern, re.IGNORECASE).finditer(text)
    return pattern.finditer(lowered)


_BACK, _AHEAD = 45, 60


def _windows(text: str, anchors: Iterable[re.Match | tuple[int, int]]) -> list[tuple[int, int]]:
    """Merged (start, end) windows around anchors (matches or spans, in order), widened to whitespace so
    no word is cut."""
    windows: list[tuple[int, int]] = []
    size = len(text)
    for m in anchors:
        at, to = m if isinstance(m, tuple) else m.span()
        start, end = max(0, at - _BACK), min(size, to + _AHEAD)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    widened = []
    for start, end in windows:
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < size and not text[end].isspace():
            end += 1
        if widened and start <= widened[-1][1]:
            widened[-1] = (widened[-1][0], end)
        else:
            widened.append((start, end))
    return widened


def matches_at(pattern: re.Pattern, text: str, starts: Iterable[int]) -> Iterator[re.Match]:
    """pattern.finditer(text)'s matches, tried only at `starts` (in order), where every match must start:
    a cheap search for what starts a match, then the regex there, beats a regex tried at every character."""
    end = 0
    for at in starts:
        if at < end:
            continue  # inside the last match, as finditer goes on after it
        m = pattern.match(text, at)
        if m is not None:
            yield m
            end = m.end()


def matches_not_after(pattern: re.Pattern, text: str, also: str = "") -> Iterator[re.Match]:
    """The matches finditer gives of `pattern` preceded by (?<![\\w<also>]) (or by \\b, when it starts with
    a letter), with `pattern` left without it: a pattern that starts with letters is searched several times
    faster than one that starts with an assertion. Where a word character (or one of `also`) comes before a
    match, the search goes on from the next character, as finditer's does."""
    at, search = 0, pattern.search
    while (m := search(text, at)) is not None:
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_" or text[start - 1] in also):
            at = start + 1
            continue
        yield m
        at = m.end()


def _matches_after_word(
    pattern: re.Pattern, text: str, lowered: str, words: tuple[str, ...]
) -> Iterator[re.Match]:
    """Matches of `pattern` starting where one of `words` (lower case) starts a word: a str.find per word is
    faster than a regex over the digits' windows, where a transcript's time stamps make them large."""
    starts = (at for at, _ in _word_anchors(text, lowered, words) if not (at and text[at - 1].isalnum()))
    return matches_at(pattern, text, starts)


@functools.lru_cache(maxsize=1)
def zeroed_digits(text: str) -> bytes | None:
    """`text` with every digit made "0", as bytes of the same offsets (one a character), for a search for
    digits that starts with a literal (see _ZERO_DIGITS); None when `text` is not ASCII (\\d is any script's
    digit)."""
    return text.encode("ascii").translate(_ZERO_DIGITS) if text.isascii() else None


def _digit_windows(text: str) -> tuple[list[tuple[int, int]], ...]:
    """The windows around digits, around three digits in a row (_THREE_DIGITS) and around two
    (_TWO_DIGITS). The last two are searched for only inside the first, which hold every digit with the
    text around it: the same matches as over the whole text, without two more passes over it."""
    zeroed = zeroed_digits(text)
    if zeroed is None:
        digits = _windows(text, _DIGIT_RUNS.finditer(text))
        three = _windows(text, _find(_THREE_DIGITS, text, digits))
        two = _windows(text, _find(_TWO_DIGITS, text, digits))
        return digits, three, two
    digits = _windows(text, _DIGIT_RUNS_ZEROED.finditer(zeroed))
    three = _windows(text, _find(_THREE_DIGITS_ZEROED, zeroed, digits))
    two = _windows(text, _find(_TWO_DIGITS_ZEROED, zeroed, digits))
    return digits, three, two


def _find(pattern: re.Pattern, text: str | bytes, windows: list[tuple[int, int]]) -> Iterator[re.Match]:
    for start, end in windows:
        yield from pattern.finditer(text, start, end)


def _far_id_numbers(text: str, lowered: str, three: list[tuple[int, int]]) -> Iterator[Span]:
    """`three`: the windows around three digits in a row, the only places such a number can end; its cues
    (those the text holds as words) are searched by str.find from 80 characters before each window to its
    end (a regex for them there cost 4% of the scan of a text full of numbers, and a search of the whole
    text for "case" or "report" 1%)."""
    if len(lowered) != len(text):  # a character whose lower case is longer would shift the offsets
        near = [(max(0, start - 80), end) for start, end in three]
        cues = [
            at for at, _ in _word_anchors(text, lowered, _FAR_ID_CUES) if any(a <= at < b for a, b in near)
        ]
    else:
        words_held = vocabulary(text, lowered)
        words = [word for word in _FAR_ID_CUES if word in words_held]
        cues, spans = [], []
        for start, end in three:  # each window with the 80 characters before it, merged
            if spans and start - 80 <= spans[-1][1]:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((max(0, start - 80), end))
        for start, end in spans:
            for word in words:
                at = lowered.find(word, start, end)
                while at != -1:
                    cues.append(at)
                    at = lowered.find(word, at + 1, end)
    starts = [
        at
        for at in cues
        if not (at and text[at - 1].isalnum())
        and text[max(0, at - 3) : at].lower() != "in "  # "in case it was"
    ]
    for m in matches_at(FAR_ID_NUMBER, text, sorted(set(starts))):
        value = m.group("v")
        if value in _NOT_IDS or _is_year(value):
            continue
        if _years_span(value) and m.group("cue").lower() != "badge" and not _number_said(text, m):
            continue  # "his case, it was 2019-20, dragged on": years, unless "number" is said
        if m.group("bare") and not (
            # "case number, uh, 4471", "his case, no, 4471": a pause or a self-correction is said as "was"
            _FILLERS.issuperset(m.group("w").replace(",", " ").lower().split())
            or (
                any(c.isalpha() for c in value) and not value.lower().startswith(("i-", "us-", "sr-"))
            )  # roads
            or (
                "-" in value
                and sum(c.isdigit() for c in value) >= 5
                and not all(map(_is_year, value.split("-")))
            )
        ):
            continue  # with no "was" or "number" between, only a record's shape: "a citation once, C-448120,"
        if m.group("cue").lower() != "badge":
            if sum(c.isdigit() for c in value) < 4 and "-" not in value:
                continue
            if _CLOCK.fullmatch(value) and "number" not in m.group().lower():
                continue  # "the incident, it was like 0230": a time on the twenty-four-hour clock
        yield m.start("v"), m.end("v"), "id_number"


def iter_structured(text: str) -> Iterator[Span]:
    """Every structured identifier in `text` as (start, end, category); overlaps are resolved later."""
    at_signs = _windows(text, _AT.finditer(text))
    for m in _find(EMAIL, text, at_signs):
        yield m.start(), m.end(), "email"
    for m in _find(HANDLE, text, at_signs):
        if m.group()[1:].lower() in _AT_WORDS or _AT_NAME.match(text, m.start()):
            continue
        yield m.start(), m.end(), "url"
    for m in _find(INTERSECTION, text, _windows(text, _street_anchors(text))):
        # "the Second and Third shifts": two numbers alone are streets only after "corner of" (or with a suffix)
        if _TWO_ORDINALS.fullmatch(m.group()) and not text[max(0, m.start() - 16) : m.start()].endswith(
            ("corner of ", "intersection of ")
        ):
            continue
        yield m.start(), m.end(), "address"
    lowered = lower_text(text)
    urls = (
        len(lowered) != len(text)
        or "http" in lowered
        or "www." in lowered
        or _URL_ENDING_LOWER.search(lowered) is not None
    )
    for m in (
        _find(URL, text, _windows(text, _lower_anchors(text, lowered, _URL_ANCHOR_LOWER))) if urls else ()
    ):
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:!?'":  # sentence punctuation is not part of it
            end -= 1
        yield m.start(), end, "url"
    for m in _find(AGE_WORDS, text, _windows(text, _word_anchors(text, lowered, _AGE_ANCHOR))):
        group = next(g for g in ("v", "w", "x", "y") if m.group(g))
        yield m.start(group), m.end(group), "age"
    for m in _find(SPOKEN_EMAIL, text, _windows(text, _word_anchors(text, lowered, _SPOKEN_DOT))):
        if m.group("dot") == "." and (
            _is_word(m.group("local")) or not _EMAIL_CUE.search(text, max(0, m.start() - 40), m.start())
        ):
            continue  # "look at our stats at sheriff.example.us": a link, found as one
        yield m.start(), m.end(), "email"
    if " slash " in lowered:
        for m in _find(SPOKEN_URL, text, _windows(text, _word_anchors(text, lowered, _SPOKEN_DOT))):
            yield m.start(), m.end(), "url"
    for m in _find(NAMED_HANDLE, text, _windows(text, _word_anchors(text, lowered, _PLATFORM))):
        # After "at" only one with an underscore: "his insta is at dana underscore w 87", not "snap at 3am"
        if (
            "_" not in m["h"]
            and "underscore" not in m["h"].lower()
            and m.group()[: m.start("h") - m.start()].lower().rstrip(" @").endswith(" at")
        ):
            continue
        end = m.end("h")
        while text[end - 1] == ".":  # the sentence's full stop: "his snapchat was big_mike_813."
            end -= 1
        yield m.start("h"), end, "url"
    ordinals = [
        (at, to)  # an ordinal said near a month name (speed: "first" and "second" are everyday words)
        for at, to in _word_anchors(text, lowered, _ORDINAL_ANCHOR)
        if _MONTH_NEAR.search(text, max(0, at - 16), to + 16)
    ]
    for m in _find(SPOKEN_DATE, text, _windows(text, ordinals)):
        yield (*m.span("d"), "date") if m.group("d") else (*m.span(), "date")
    births = _windows(text, _word_anchors(text, lowered, _BIRTH_ANCHOR))
    for m in _find(BIRTH_DATE, text, births):
        yield m.start("d"), m.end("d"), "date"
    for m in _find(SAID_BORN_YEAR, text, births):
        if _said_year(m) <= _this_year() - 90:
            yield m.start("y"), m.end("y"), "date"
    # "on March 14th", "the 22nd of June", "on March fourteenth": the year left out. Every one names its month
    # (capitalised): the rule runs only around month names (speed).
    months = _windows(text, _MONTH_ANCHOR.finditer(text))
    for m in _find(DAY_DATE, text, months):
        if _day_date(text, m):
            yield m.start(), m.end(), "date"
    if len(lowered) == len(text):
        yield from _lower_month_dates(text, lowered)
    if len(lowered) == len(text) and not text_tokens(text).isdisjoint(_HOLIDAY_FORMS):
        yield from _holiday_years(text, lowered)
    at = lowered.find(" on the ") if len(lowered) == len(text) else -1  # every cue ends so (speed)
    while at != -1:
        m = _DAY_ALONE.match(text, at + 8)
        if (
            m
            and _DAY_ALONE_CUE.search(text, max(0, at - 32), at + 8)
            and not _DAY_ALONE_NOT.match(text, m.end())
        ):
            yield m.start(), m.end(), "date"
        at = lowered.find(" on the ", at + 8)
    slashes = [(at - 2, at + 3) for at in _char_positions(text, "/")]
    for m in _find(_NUMERIC_DAY, text, _windows(text, slashes)):
        if m.group() != "9/11" and _NUMERIC_DAY_CUE.search(text, max(0, m.start() - 30), m.start()):
            yield m.start(), m.end(), "date"
    yield from _said_blocks(text, lowered)
    said = _word_anchors(text, lowered, _DIGIT_ANCHOR)
    hyphened_signs: list[tuple[int, int]] = []  # "adam-twelve"
    hyphened = _hyphened_digit_words(lowered, hyphened_signs) if len(lowered) == len(text) else []
    if hyphened:  # "five-five-five-two-zero-one...": the words joined by hyphens, with no space before them
        said = sorted(said + hyphened)
    # only where two digit words follow each other (speed: "two" and "four" alone are everyday words)
    runs = [a for a, b in itertools.pairwise(said) if b[0] - a[1] <= 8]
    spoken, searched = (  # searched in the lower-cased text unless lower case would shift the offsets
        (SPOKEN_DIGITS, lowered) if len(lowered) == len(text) else (_SPOKEN_DIGITS_ANY_CASE, text)
    )
    for m in _find(spoken, searched, _windows(text, runs)):
        said_digits = m.group().lower()
        count = len(re.findall(_DIGIT_WORD, said_digits))
        start = m.start()
        tens = _TENS_BEFORE.search(text, max(0, start - 12), start)
        if tens:  # "twenty four dash one one...": the tens word's number goes with it
            start = tens.start()
        if _meeting_number(text, start):
            continue
        if count >= 2 and _EXTENSION_CUE_BEFORE.search(text, max(0, start - 32), start):
            yield start, m.end(), "phone"  # "extension four four one two"
        elif count in (4, 9) and _SOCIAL_BEFORE.search(text, max(0, start - 50), start):
            yield start, m.end(), "ssn"  # "his social, five two three, four five, six seven eight nine"
        elif count >= 3 and _ID_CUE_BEFORE.search(text, max(0, start - 40), start):
            yield start, m.end(), "id_number"  # "case number two zero two three dash four one two"
        elif count in (7, 10) or (count == 11 and said_digits.startswith("one")):
            yield start, m.end(), "phone"
        elif count in (8, 11) and _COUNT_AFTER_PHONE.search(said_digits) and _OR_MORE.match(text, m.end()):
            # "...zero one four two, three or four times a night": a count said after the number
            yield start, m.start() + said_digits.rindex(","), "phone"
    yield from _said_id_numbers(text, lowered)
    plates = list(_said_plates(text, lowered))
    yield from plates
    for sign in _said_call_signs(
        text, lowered, said, hyphened_signs
    ):  # "charlie two" of a plate read out is the plate's
        if not any(a <= sign[0] and sign[1] <= b for a, b, _ in plates):
            yield sign
    yield from _house_directions(text)  # the house number in digits or said as words
    digits, three, two = _digit_windows(text)
    if not digits:
        return
    webex = {m.start("n") for m in WEBEX_USER.finditer(text)} if '" (' in text else set()
    for m in _find(PHONE, text, three):
        if m.start() in webex:
            yield m.start(), m.end(), "id_number"  # a Webex user number: an account's id
            continue
        if _meeting_number(text, m.start()):
            continue
        extension = EXTENSION.match(text, m.end())
        yield m.start(), extension.end() if extension else m.end(), "phone"
    if "*" in text or "xx" in lowered or "#" in text or "•" in text:  # a mask's mark (speed)
        for m in _find(MASKED_PHONE, text, three):
            number = m.group()
            if not MASKED_MARKS.isdisjoint(number) and sum(c.isdigit() for c in number) >= 4:
                yield m.start(), m.end(), "phone"
    for start, end in three:  # the windows around three digits in a row: few in talk
        if _O_BESIDE_DIGIT.search(text, start, end):
            read = text[:start].translate(_O_AS_ZERO)[-2:].rjust(2) + text[start:end].translate(_O_AS_ZERO)
            for m in PHONE.finditer(read, 2, len(read)):
                at, to = start + m.start() - 2, start + m.end() - 2
                if _O_BESIDE_DIGIT.search(text, at, to) and not _meeting_number(text, at):
                    yield at, to, "phone"
    for m in _matches_after_word(EXTENSION_ALONE, text, lowered, ("ext",)):
        if not _COUNT_AFTER_EXTENSION.match(text, m.end()):
            yield m.start("v"), m.end("v"), "phone"
    for sign in itertools.chain(_call_signs(text), _number_first_signs(text)):
        if not any(a <= sign[0] and sign[1] <= b for a, b, _ in plates):
            yield sign
    for m in _matches_after_word(UNIT_SIGN, text, lowered, ("unit ", "car ")):
        if (
            _on_the_air(text, m.start(), m.end()) or _was_unit(text, m.start(), m.end())
        ) and not _count_after(text, m.end()):
            yield m.start("v"), m.end("v"), "id_number"
    # Speed: in an ASCII text (its digits made "0"), a rule's windows are searched only when the text holds what
    # every match of it holds; its digits' windows span a whole transcript with a speaker label's digit on
    # every turn ("P07:").
    zeroed = zeroed_digits(text)
    records = zeroed is None or b"#" in zeroed or b"-0" in zeroed or b"0-" in zeroed
    for m in _find(RECORD, text, two) if records else ():  # "CAD #[ID-1]": the "#" stays, as a cue word does
        yield (*m.span("h"), "id_number") if m.group("h") else (*m.span(), "id_number")
    for m in _find(BLOCK, text, two):
        yield m.start(), m.end(), "address"
    for m in _find(ZIP, text, three):
        yield m.start("z"), m.end("z"), "address"
    for m in _find(SSN, text, three):
        yield (*m.span(1), "ssn") if m.group(1) else (*m.span(), "ssn")
    for m in _find(SSN_LAST_FOUR, text, three):
        yield m.start("v"), m.end("v"), "ssn"
    addresses = zeroed is None or "box" in lowered or _DIGIT_THEN_SPACE_ZEROED.search(zeroed) is not None
    for m in _find(_ADDRESS_EITHER, text, digits) if addresses else ():  # one pass for both (speed)
        if m.group("w") is None or _lower_address(text, m):
            yield m.start(), m.end(), "address"
    for m in _find(LIVES_AT, text, _windows(text, _word_anchors(text, lowered, _LIVES_ANCHOR))):
        from .names import NOT_NAMES

        street = m.group("n")
        if street[0].islower():  # "she lives at 14 maple", as speech recognition types it
            # after "at", or after "address": "his address was 22 elm" ("she lives 2 blocks" is none)
            at_or_address = (m.group("at") or "").lower() == "at" or m.group().lower().startswith("address")
            if at_or_address and _lower_address(text, m, "n"):
                yield m.start("a"), m.end("a"), "address"
        elif street not in NOT_NAMES and street.removesuffix("s") not in NOT_NAMES:
            yield m.start("a"), m.end("a"), "address"
    for m in _find(BORN_YEAR, text, three):
        if int(m.group("y")) <= _this_year() - 90:
            yield m.start("y"), m.end("y"), "date"
    for m in _find(DATE, text, digits):
        yield (*m.span("d"), "date") if m.group("d") else (*m.span(), "date")
    for m in _find(ID_NUMBER, text, two):
        value = m.group("v")
        if value in _NOT_IDS or (_is_year(value) and not m.group(0).lower().startswith("badge")):
            continue
        if _years_span(value) and not m.group(0).lower().startswith("badge") and not _number_said(text, m):
            continue  # "the case, 2019-2020, was": years, unless "number" is said
        if _meeting_number(text, m.start("v")):  # "Meeting ID: 845 2231 0987"
            continue
        if sum(c.isdigit() for c in value) < 3:
            continue
        if _bare_comma_count(text, m):
            continue  # "i made the call, 400 times": a count
        yield m.start("v"), m.end("v"), "id_number"
    if three:
        yield from _far_id_numbers(text, lowered, three)
    plates_said = zeroed is None or "plate" in lowered or "tag" in lowered
    for m in _find(PLATE, text, digits) if plates_said else ():
        if _a_plate(m.group("v")):
            yield m.start("v"), m.end("v"), "plate"
    for m in _find(AGE, text, _windows(text, _age_numbers(text))):
        group = next(g for g in ("v", "w", "x", "y") if m.group(g))
        yield m.start(group), m.end(group), "age"
