"""Places smaller than a state, without a house number: roads, counties, towns.

HIPAA's Safe Harbor counts every geographic subdivision smaller than a state as an identifier, and a
small town or a county road names a department of a dozen officers. There is no gazetteer offline, so
places are found as a reader recognises them: a numbered road ("Route 9", "County Road 12"), a named
road ("the Hollis Road exit"), a county ("Tuckerton County"), a town after a word of place ("out past
Millbrook", "up in Pine Ridge") whose name is built as US town names are (Faker's en_US city suffixes
and common second words such as "Falls" or "Ridge"), and a town before its state ("Tuckerton, NJ").
States are not identifiers and are never found; interstates ("I-95") cross states and are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .names import _GENERIC_PLACE, NOT_NAMES, SURNAMES_TOO, TITLES, common_words, english_words, first_names
from .rules import _DIGITS, Span, _find, _windows, _word_anchors, matches_not_after

# "Route 9", "State Route 12", "US Route 1", "Highway 70", "Hwy. 70", "County Road 12", "SR 12", "FM 1960".
NUMBERED_ROAD = re.compile(
    r"(?=[A-Za-z])(?:\b(?i:(?:u\.?s\.?|state|county|farm[- ]to[- ]market|ranch|township)[ \t]+)?"
    r"(?i:route|rte\.?|highway|hwy\.?)[ \t]+|\b(?i:county|state|township|forest|parish)[ \t]+(?i:road|rd\.?)[ \t]+"
    r"|\b(?:SR|CR|FM|RR|US|SH)[- ])(?:#[ \t]?)?\d{1,4}[A-Z]?(?![\w-])"
)
# Abbreviations take their period ("Elm Rd."); "St" is left out ("St. Mary" is a saint).
_ROAD = (
    r"(?:Street|Avenue|Road|Boulevard|Drive|Lane|Highway|Parkway|Pike|Turnpike|Trail|Ave\b\.?|Rd\b\.?|"
    r"Blvd\b\.?|Ln\b\.?|Hwy\b\.?|Pkwy\b\.?)"
)
_WORD = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
NAMED_ROAD = re.compile(rf"\b(?:{_WORD}[ \t]+){{1,3}}{_ROAD}(?![\w-])")
COUNTY = re.compile(rf"\b(?:{_WORD}[ \t]+){{1,2}}(?:County|Parish|Township|Borough)\b")
# The last part of a town's name (Faker's en_US city suffixes, and more seen on US maps): "Millbrook",
# "Tuckerton", "Harrisburg".
_TOWN_ENDING = (
    "town",
    "ton",
    "ville",
    "burg",
    "burgh",
    "boro",
    "borough",
    "bury",
    "port",
    "mouth",
    "chester",
    "haven",
    "brook",
    "field",
    "ford",
    "wood",
    "dale",
    "mont",
    "vale",
    "ridge",
    "crest",
    "stead",
    "worth",
    "shire",
    "ham",
    "view",
    "side",
)
# The second word of a two-word town: "Pine Ridge", "Cedar Falls", "Glen Ellyn" is not one of them.
_TOWN_SECOND = (
    "Ridge|Falls|Springs|Heights|Hills|Hill|Creek|Valley|Grove|Point|Lake|Beach|Harbor|Junction|Crossing|"
    "Mills|Landing|Bluff|Hollow|Station|City|Village|Forge|Corners|Plains|Bend|Gap|Rapids|Shores|Park"
)
# A town is found after a word of place: "out past Millbrook", "up in Pine Ridge", "a guy from Tuckerton".
TOWN = re.compile(rf"\b(?:[A-Z][a-z'’]*(?:{'|'.join(_TOWN_ENDING)})|{_WORD}[ \t]+(?:{_TOWN_SECOND}))\b")
_PLACE_BEFORE = re.compile(
    r"(?i:\b(?:in|out of|outside(?: of)?|past|near|from|to|toward|towards|through|around|into|by|"
    r"east of|west of|north of|south of|town of|city of|village of))[ \t]+$"
)
_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|"
    "Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|"
    "North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|"
    "South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming"
)
STATE_NAMES = frozenset(_STATES.split("|"))
# A town before its state: "Tuckerton, NJ", "Millbrook, New York". Abbreviations that are words
# ("OK", "IN", "OR", "ME", "HI") count only with a full stop or the end of the line after them.
TOWN_STATE = re.compile(
    rf"\b(?P<t>{_WORD}(?:[ \t]+{_WORD})?),[ \t]+(?:{_STATES}|(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|IA|ID|IL|KS|KY|LA|"
    r"MA|MD|MI|MN|MO|MS|MT|NC|ND|NE|NH|NJ|NM|NV|NY|PA|RI|SC|SD|TN|TX|UT|VA|VT|WA|WI|WV|WY)\b"
    r"|(?:OK|IN|OR|ME|HI)(?=[ \t]*(?:[.,;]|$|\d)))",
    re.MULTILINE,
)
_TITLE_WORDS = frozenset(TITLES.split("|"))


def _not_a_place_word(word: str) -> bool:
    return (word in NOT_NAMES and word not in SURNAMES_TOO) or word in _GENERIC_PLACE or word in _TITLE_WORDS


def _is_town_word(word: str) -> bool:
    head = word.split()[0]
    if head in STATE_NAMES or _not_a_place_word(head):
        return False
    if " " in word:  # "Pine Ridge", "Cedar Falls": the second word says so
        return True
    lower = head.casefold()
    if not lower.endswith(_TOWN_ENDING) or lower in common_words() or head in first_names():
        return False
    return lower not in english_words()  # "Cotton", "Button", "Skeleton" are words, no town


# Speed (the gate scans every transcript): each rule runs only near what it needs, a digit, a road's or
# county's word, or a word of place before a capital, found by cheap case-sensitive searches.
_ROAD_OR_COUNTY_WORD = re.compile(
    r"(?:Street|Avenue|Road|Boulevard|Drive|Lane|Highway|Parkway|Pike|Turnpike|Trail|Ave|Rd|Blvd|Ln|Hwy|"
    r"Pkwy|County|Parish|Township|Borough)"
)
# Searched in the lower-cased text, then a capital checked after it: a case-insensitive search is slower.
# Only where a town's name can follow (in lower case here: a name ending as towns do, or two words whose
# second is Ridge, Falls...): "in", "to" and "of" are everywhere, and a check of each in Python was slow.
_TOWN_START = re.compile(  # after no word character nor '’-: see matches_not_after()
    r"(?:in|to|from|past|near|into|by|through|around|towards?|outside|of)[ \t]+"
    rf"(?=[a-z][a-z'’]*(?:{'|'.join(_TOWN_ENDING)})\b|[a-z][a-z'’-]+[ \t]+(?:{_TOWN_SECOND.lower()})\b)"
)


# A saint's name in the possessive is a hospital, a church or a school: "St. Mary's took him", "over to
# Saint Vincent's" ("St. Patrick's Day" is a holiday).
SAINTS = re.compile(r"\b(?:St\.?|Saint)[ \t]+[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?['’]s\b(?![ \t]+(?:Day|Eve)\b)")
_COMMA_CAPITAL = re.compile(r", (?=[A-Z])")
_SURNAME_ROADS = (" Lane", " Pike", "\tLane", "\tPike")  # road words that are surnames too
_SAINT_ANCHOR = re.compile(r"(?:St|Saint)(?=[. \t])")
# Every numbered road has a road's word right before its number (searched in the lower-cased text).
_NUMBERED_ANCHOR = re.compile(r"(?:route|rte|highway|hwy|road|rd|sr|cr|fm|rr|us|sh)[.]?[- \t]+#?[ \t]?\d")


# The same places as speech recognition types them, in lower case: "out in tuckerton county", "the hollis
# road exit", "past millbrook". The name must be letters only and no English word ("the back road", "our county", "in
# button-down shirts" name no place).
# "drive" and "pike" are left out: "they'd drive", "a fifty-minute drive" are verbs and counts, no road.
_LOWER_ROAD_WORDS = tuple("county parish township street road avenue lane boulevard highway parkway".split())  # noqa: SIM905
_LOWER_ROAD_OR_COUNTY = re.compile(
    r"(?<![\w'’-])(?:(?P<w1>[a-z]{3,})[ \t]+)?(?P<w2>[a-z]{3,})[ \t]+"
    rf"(?:{'|'.join(_LOWER_ROAD_WORDS)})\b"
)
_LOWER_TOWN = re.compile(rf"[a-z]+(?:{'|'.join(_TOWN_ENDING)})\b")


def _a_name(word: str) -> bool:
    """A lower-case word that is no English word, nor one of the words that are no names."""
    return not (word in english_words() or word in common_words() or word.title() in NOT_NAMES)


def _lower_case_places(text: str) -> Iterator[Span]:
    # the words as typed, in lower case: `text` is searched as the lower-cased text would be (speed)
    for m in _find(_LOWER_ROAD_OR_COUNTY, text, _windows(text, _word_anchors(text, text, _LOWER_ROAD_WORDS))):
        if not _a_name(m.group("w2")):
            continue
        w1 = m.group("w1")
        start = m.start("w1") if w1 and _a_name(w1) else m.start("w2")
        yield start, m.end(), "address"


def _lower_case_town(text: str, at: int) -> Iterator[Span]:
    """A town typed in lower case at `at`, after a word of place: "past millbrook"."""
    m = _LOWER_TOWN.match(text, at)
    if m:
        town = m.group()
        if (
            len(town) >= 5
            and _a_name(town)
            and town.title() not in STATE_NAMES
            and town.title() not in first_names()
        ):
            yield m.start(), m.end(), "address"


# A hospital named by its name alone ("took him to Mercy", "he's over at Grady"), where the words around say
# it is a hospital: the hospital, the ER, EMS, an ambulance, admitted, transported.
# Searched with str.find (a regex of these words tried at every letter took a quarter of the scan's time).
_HOSPITAL_WORDS = ("hospital", "emergency room", "ambulance", "admitted", "transported", "psych ward")
_HOSPITAL_ABBREVIATIONS = re.compile(r"(?<![\w.])(?:E\.?R\.?|EMS)(?![\w])")


def _hospital_cues(text: str, lowered: str) -> list[tuple[int, int]]:
    """Where a hospital's word is: hospital, the ER, EMS, an ambulance, admitted, transported..."""
    cues = _word_anchors(text, lowered, _HOSPITAL_WORDS)
    for abbreviation in ("ER", "E.R", "EMS"):
        at = text.find(abbreviation)
        while at != -1:
            m = _HOSPITAL_ABBREVIATIONS.match(text, at)
            if m and (at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "._")):
                cues.append(m.span())
            at = text.find(abbreviation, at + 1)
    return sorted(cues)


HOSPITAL_NAME = re.compile(
    r"(?i:\b(?:took|take|takes|taking|brought|bring|brings|bringing|transported|transport|sent|send|sends|admitted|"
    r"went|go|goes|going|drove|rushed|is|was|were|been|stayed|stays|(?<=\w)['’]s|over|back|down|up|out)"
    r"(?:[ \t]+(?:him|her|them|me|us))?(?:[ \t]+(?:over|back|down|up|out|right))?[ \t]+(?:to|at|into))[ \t]+"
    r"(?P<n>[A-Z][a-z]+(?:['’]s)?)(?![\w'’-])(?![ \t]+[A-Z])"
)
# Words said after "took him to" near a hospital's words that name no hospital: its parts, drugs, holds.
_NOT_HOSPITALS = frozenset(
    """
    Intake Psych Detox Triage Booking Holding Admissions Inpatient Outpatient Rehab Observation Security
    Radiology Pharmacy Surgery Pediatrics Peds Labor Delivery Baker Marchman Narcan Haldol Ativan Ketamine
    Versed Zyprexa Geodon Benadryl Seroquel Suboxone Methadone Court Jail Prison Detention Dispatch Urgent
    Nursing Hospice Intensive Acute Residential Transitional Respite Sobering Walmart Target Church Mass
    Everyone Everybody Someone Somebody Nobody Anyone Anybody Dad Mom Mother Father Grandma Grandpa Trauma
    Neuro Neurology Cardiology Oncology Ortho Orthopedics Obstetrics Maternity Psychiatry Telemetry Medicine
    Internal Dialysis Imaging Transport Corrections Probation Juvie Lockup Holding Processing Stabilization
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def _hospital_names(text: str, lowered: str) -> Iterator[Span]:
    for m in _find(HOSPITAL_NAME, text, _windows(text, _hospital_cues(text, lowered))):
        name = m.group("n")
        word = name[:-2] if name.endswith(("'s", "’s")) else name
        if word in STATE_NAMES or word in _NOT_HOSPITALS or _not_a_place_word(word):
            continue
        if word.casefold() in ("god", "work", "school", "bed", "jail", "court"):
            continue
        yield m.start("n"), m.end("n"), "address"


def iter_roads_and_towns(text: str) -> Iterator[Span]:
    """Roads, counties and towns in `text`, as address spans."""
    lowered = text.lower()
    same = len(lowered) == len(text)  # else a character whose lower case is longer would shift the offsets
    roads = _NUMBERED_ANCHOR.finditer(lowered) if same else _DIGITS.finditer(text)
    for m in _find(NUMBERED_ROAD, text, _windows(text, roads)):
        yield m.start(), m.end(), "address"
    near_words = _windows(text, _ROAD_OR_COUNTY_WORD.finditer(text))
    for pattern in (NAMED_ROAD, COUNTY):
        for m in _find(pattern, text, near_words):
            words = [(w.start(), w.group()) for w in re.finditer(r"\S+", m.group())][:-1]
            while words and _not_a_place_word(words[0][1]) and words[0][1] not in _GENERIC_PLACE:
                words = words[1:]  # "The Hollis Road" is "Hollis Road", "Old Mill Road" stays whole
            if len(words) == 1 and m.group().endswith(_SURNAME_ROADS) and words[0][1] in first_names():
                continue  # "Maria Lane", "Tom Pike": a person, found as one
            if any(not _not_a_place_word(w) for _, w in words):  # "Main Street", "the County" are no place
                yield m.start() + words[0][0], m.end(), "address"
    starts = matches_not_after(
        _TOWN_START if same else re.compile(_TOWN_START.pattern, re.IGNORECASE),
        lowered if same else text,
        "'’-",
    )
    for start in starts:
        first = text[start.end() : start.end() + 1]
        if not first.isalpha() or not _PLACE_BEFORE.search(text, max(0, start.end() - 16), start.end()):
            continue
        if first.islower():
            yield from _lower_case_town(text, start.end())
            continue
        m = TOWN.match(text, start.end())
        if m and _is_town_word(m.group()):
            yield m.start(), m.end(), "address"
    for at in _SAINT_ANCHOR.finditer(text):
        if at.start() and (text[at.start() - 1].isalnum() or text[at.start() - 1] in "._"):
            continue
        m = SAINTS.match(text, at.start())
        if m:
            yield m.start(), m.end(), "address"
    yield from _lower_case_places(text)
    yield from _hospital_names(text, lowered)
    for m in _find(TOWN_STATE, text, _windows(text, _COMMA_CAPITAL.finditer(text))):
        words = m.group("t").split()
        while words and _not_a_place_word(words[0]):
            words = words[1:]
        if words and " ".join(words) not in STATE_NAMES:
            yield m.end("t") - len(" ".join(words)), m.end("t"), "address"
