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

import bisect
import functools
import heapq
import itertools
import re
from collections.abc import Iterator

from ..lazyre import lazy_compile
from .names import (
    _GENERIC_PLACE,
    _IN_A_PERSON,
    _TOWN_CUE_BEFORE,
    AMBIGUOUS,
    HOSPITALS_ALONE,
    NOT_NAMES,
    SURNAMES_TOO,
    TITLES,
    _lower_titled_names,
    _no_word,
    common_words,
    english_words,
    first_names,
    word_trie,
)
from .rules import (
    _COUNT_WORDS,
    _DIGITS,
    _ORDINAL_WORD,
    _STREET_END,
    _SUFFIX,
    _TEEN,
    _TENS,
    _UNIT_WORD,
    Span,
    _find,
    _windows,
    _word_anchors,
    lower_text,
    matches_not_after,
    text_tokens,
    zeroed_digits,
)

# "Route 9", "State Route 12", "US Route 1", "Highway 70", "Hwy. 70", "County Road 12", "SR 12", "FM 1960".
NUMBERED_ROAD = lazy_compile(
    r"(?=[A-Za-z])(?:\b(?i:(?:u\.?s\.?|state|county|farm[- ]to[- ]market|ranch|township)[ \t]+)?"
    r"(?i:route|rte\.?|highway|hwy\.?)[ \t]+|\b(?i:county|state|township|forest|parish)[ \t]+(?i:road|rd\.?)[ \t]+"
    r"|\b(?:SR|CR|FM|RR|US|SH)[- ])(?:#[ \t]?)?\d{1,4}[A-Z]?(?![\w-])"
)
# ...the number said as words, as speech recognition types it: "out on county road two twelve", "highway
# seventy", "state route fifty two", "route one oh five". A road's word alone ("route", "highway") after a
# determiner is no numbered road ("the highway one night", "that route two times"), and a number before a
# count or a time counts ("county road two miles", "highway one more time"): see _said_roads.
_SAID_NUMBER_WORD = rf"(?:{_TENS}(?:[- ]{_UNIT_WORD})?|{_TEEN}|{_UNIT_WORD})"
_SAID_ROAD = lazy_compile(
    r"(?i:(?P<q>(?:u\.?s\.?|state|county|farm[- ]to[- ]market|ranch|township)[ \t]+)?(?:route|rte\.?|highway|hwy\.?)"
    r"|(?P<r>county|state|township|forest|parish)[ \t]+(?:road|rd\.?))"
    rf"[ \t]+(?i:{_SAID_NUMBER_WORD}(?:[ \t-]+(?:{_SAID_NUMBER_WORD}|oh|hundred)){{0,2}})(?![\w'’-])"
)
_SAID_ROAD_ANCHORS = ("route", "rte", "highway", "hwy", "road", "rd")
_NUMBER_WORD_NEXT = lazy_compile(rf"\.?[ \t]+{_SAID_NUMBER_WORD}(?![\w'’-])")
_DETERMINER_BEFORE = re.compile(
    r"(?<![\w'’-])(?i:the|a|that|this|every|each|any|another|same|one|our|their|his|her|my|your)[ \t]+$"
)
_WORD_AFTER = re.compile(r"[ \t]+([A-Za-z'’]+)")
_NOT_ROAD_AFTER = _COUNT_WORDS | frozenset(
    "night nights morning mornings evening afternoon shift shifts thing things way ways o'clock o’clock".split()  # noqa: SIM905
)
# verbs a road does, which end as plural nouns do ("county road two twelve runs past the dump")
_ROAD_VERBS = frozenset("runs goes turns heads comes crosses splits ends meets becomes winds".split())  # noqa: SIM905


def _said_roads(text: str, lowered: str) -> Iterator[Span]:
    """Numbered roads with the number said as words (_SAID_ROAD), searched around the road's words the text
    holds."""
    anchors = [
        (at, end)
        for at, end in _word_anchors(text, lowered, _SAID_ROAD_ANCHORS)
        if _NUMBER_WORD_NEXT.match(lowered, end)  # speed: a road's word is seldom said before a number
    ]
    for m in _find(_SAID_ROAD, text, _windows(text, anchors)):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "'’-"):
            continue  # "railroad", "crossroad"
        if not (m.group("q") or m.group("r")) and _DETERMINER_BEFORE.search(
            text, max(0, m.start() - 12), m.start()
        ):
            continue
        after = _WORD_AFTER.match(text, m.end())
        if after is not None:
            word = after.group(1).lower()
            if word in _NOT_ROAD_AFTER:
                continue
            if word.endswith("s") and word not in _ROAD_VERBS:
                words = english_words()
                if word[:-1] in words or (word.endswith("es") and word[:-2] in words):
                    continue  # "highway two cars": a count
        yield m.start(), m.end(), "address"


# An intersection with a numbered road, found whole: "the intersection of Route 9 and Elm", "Elm Street and
# Highway 70" (before, only "Route 9" was found, and "Elm" left beside it said where). The other side is
# another numbered road, a street with its suffix or a numbered street, or any capitalised word after
# "corner of" or "intersection of" ("took Route 9 and Kevin drove" is no corner).
_CROSS_WORD = rf"(?:{_ORDINAL_WORD}|[A-Z][a-z'’-]+)"
_SIDE_AFTER = lazy_compile(
    rf"[ \t]+(?:and|&)[ \t]+(?:(?P<r>{NUMBERED_ROAD.pattern})|(?P<w>{_CROSS_WORD})(?P<x>[ \t]+{_SUFFIX})?(?![\w'’-]))"
)
_SIDE_BEFORE = lazy_compile(rf"(?P<w>{_CROSS_WORD})(?P<x>[ \t]+{_SUFFIX})?[ \t]+(?:and|&)[ \t]+$")
_CROSS_CUE = re.compile(r"(?i:\b(?:corner|intersection)[ \t]+of[ \t]+)$")


def _intersection(text: str, m: re.Match) -> Span:
    """A numbered road's match widened to the intersection it names, if it names one."""
    start, end = m.span()
    cue = _CROSS_CUE.search(text, max(0, start - 20), start) is not None
    after = _SIDE_AFTER.match(text, end)
    if after and (
        after["r"]  # another numbered road, or a street with its suffix
        or after["x"]
        or ((cue or _is_ordinal(after["w"])) and not _not_a_place_word(after["w"]))
    ):
        end = after.end()
    before = None if after and end != m.end() else _SIDE_BEFORE.search(text, max(0, start - 40), start)
    if before and not (before.start() and text[before.start() - 1].isalnum()):
        side_cue = _CROSS_CUE.search(text, max(0, before.start() - 20), before.start()) is not None
        if before["x"] or side_cue or _is_ordinal(before["w"]):
            start = before.start()
    return start, end, "address"


def _is_ordinal(word: str) -> bool:
    return re.fullmatch(_ORDINAL_WORD, word) is not None


# Abbreviations take their period ("Elm Rd."); "St" is left out ("St. Mary" is a saint).
_ROAD = (
    r"(?:Street|Avenue|Road|Boulevard|Drive|Lane|Highway|Parkway|Pike|Turnpike|Trail|Ave\b\.?|Rd\b\.?|"
    r"Blvd\b\.?|Ln\b\.?|Hwy\b\.?|Pkwy\b\.?)"
)
_WORD = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
NAMED_ROAD = lazy_compile(rf"\b(?:{_WORD}[ \t]+){{1,3}}{_ROAD}(?![\w-])")
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
TOWN = lazy_compile(rf"\b(?:[A-Z][a-z'’]*(?:{'|'.join(_TOWN_ENDING)})|{_WORD}[ \t]+(?:{_TOWN_SECOND}))\b")
_PLACE_BEFORE = lazy_compile(
    r"(?i:\b(?:in|out of|outside(?: of)?|past|near|from|to|toward|towards|through|around|into|by|"
    r"east of|west of|north of|south of|town of|city of|village of|"
    # a place's name that says where it is: "the Mental Health Center of Denver", "University of Denver"
    r"center of|centre of|university of|hospital of|college of|department of|county of))[ \t]+$"
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
TOWN_STATE = lazy_compile(
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
# Cities whose names have no town's ending: the state capitals and about 200 large US cities, written here
# (no dependency ships such a list: Faker's geo provider holds 161 US places picked at random). A short
# list, not a gazetteer: a list of 30,000 US place names holds "Hope", "Commerce" and "Justice", and would
# flag ordinary talk. Found only after a word of place ("moved to Fresno", "up in Sacramento"): see
# _city().
US_CITIES = frozenset(
    word.replace("_", " ")  # "Baton_Rouge": one city of two words
    for word in """
    Albany Albuquerque Akron Alexandria Allentown Amarillo Anaheim Anchorage Annapolis Asheville Atlanta
    Augusta Austin Bakersfield Baltimore Bangor Billings Biloxi Birmingham Bismarck Boise Boulder
    Bridgeport Brownsville Buffalo Charleston Charlotte Chattanooga Cheyenne Chicago Chico Cincinnati
    Cleveland Columbia Columbus Concord Corona Dallas Dayton Denver Detroit Duluth Durham Erie Escondido
    Eugene Eureka Fargo Flagstaff Fontana Fremont Fresno Frisco Gainesville Garland Gary Gilbert Glendale
    Greensboro Hartford Hayward Helena Henderson Hialeah Honolulu Houma Houston Huntsville Indianapolis
    Irvine Irving Ithaca Jackson Jacksonville Joliet Juneau Kalamazoo Killeen Knoxville Lafayette Lancaster
    Lansing Laredo Lexington Lincoln Louisville Lubbock Macon Madison Memphis Mesa Mesquite Miami
    Milwaukee Minneapolis Missoula Mobile Modesto Montgomery Montpelier Nashua Nashville Newark Norfolk Oakland
    Ocala Odessa Ogden Olathe Olympia Omaha Ontario Orlando Oxnard Pasadena Paterson Pensacola
    Peoria Philadelphia Phoenix Pierre Pittsburgh Plano Pomona Portland Providence Provo Pueblo Raleigh
    Reno Richmond Roanoke Rochester Sacramento Saginaw Salem Salinas Sarasota Savannah Scottsdale Scranton
    Seattle Shreveport Spokane Springfield Stamford Stockton Syracuse Tacoma Tallahassee Tampa Tempe
    Toledo Topeka Torrance Trenton Tucson Tulsa Tuscaloosa Tyler Utica Visalia Waco Wichita Wilmington
    Yakima Yonkers Yuma
    Baton_Rouge Carson_City Chula_Vista Colorado_Springs Corpus_Christi Des_Moines El_Paso Fort_Collins
    Fort_Lauderdale Fort_Wayne Fort_Worth Grand_Rapids Green_Bay Jefferson_City Kansas_City Las_Cruces
    Las_Vegas Little_Rock Long_Beach Los_Angeles New_Haven New_Orleans New_York_City Oklahoma_City
    Salt_Lake_City San_Antonio San_Bernardino San_Diego San_Francisco San_Jose Santa_Ana Santa_Fe
    Santa_Rosa St._Louis St._Paul Saint_Louis Saint_Paul St._Petersburg Virginia_Beach Winston-Salem
    Commerce_City Dodge_City Garden_City Union_City Bay_City Ellicott_City Iowa_City Rapid_City Boulder_City
    Traverse_City Canon_City Culver_City Daly_City Foster_City Redwood_City National_City Panama_City
    Lake_City Crescent_City Silver_City Sioux_City Michigan_City Mason_City Johnson_City Bossier_City
    Plant_City Cedar_City Junction_City Morgan_City Bullhead_City Texas_City League_City Midwest_City
    Del_City Atlantic_City Ocean_City Jersey_City Elizabeth_City
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Searched in the lower-cased text, then a capital checked after it: a case-insensitive search is slower.
# Only where a town's name can follow (in lower case here: a name ending as towns do, or two words whose
# second is Ridge, Falls...): "in", "to" and "of" are everywhere, and a check of each in Python was slow.
_CITY_LOWER = word_trie(sorted(c.lower() for c in US_CITIES))
_TOWN_START = re.compile(  # after no word character nor '’-: see matches_not_after()
    r"(?:in|to|from|past|near|into|by|through|around|towards?|outside|of)[ \t]+"
    rf"(?=[a-z][a-z'’]*(?:{'|'.join(_TOWN_ENDING)})\b|[a-z][a-z'’-]+[ \t]+(?:{_TOWN_SECOND.lower()})\b"
    rf"|{_CITY_LOWER}(?![\w'’-]))"
)
# ...searched one cue word at a time (speed): each pattern starts with a literal the regex engine skips to,
# where the alternation stopped at every "i", "t", "o"..., and its look-ahead holds tries (the same
# words). A match starting inside another is after a letter, which matches_not_after() drops: the merged
# matches are _TOWN_START's.
_TOWN_AHEAD = (
    rf"(?=[a-z][a-z'’]*{word_trie(_TOWN_ENDING)}\b|[a-z][a-z'’-]+[ \t]+{word_trie(_TOWN_SECOND.lower().split('|'))}\b"
    rf"|{_CITY_LOWER}(?![\w'’-]))"
)
_TOWN_STARTS = tuple(
    re.compile(rf"{cue}[ \t]+{_TOWN_AHEAD}")
    for cue in (
        "in(?:to)?",
        "to(?:wards?)?",
        "of",
        "from",
        "past",
        "near",
        "by",
        "through",
        "around",
        "outside",
    )
)


def town_starts(lowered: str) -> Iterator[re.Match]:
    """matches_not_after(_TOWN_START, lowered, "'’-"), found faster (see _TOWN_STARTS)."""
    found = (matches_not_after(pattern, lowered, "'’-") for pattern in _TOWN_STARTS)
    return heapq.merge(*found, key=lambda m: m.start())


_CITY = lazy_compile(rf"(?i:{_CITY_LOWER})(?![\w'’-])")
_NEXT_CAPITAL = re.compile(r"[ \t]+[A-Z]")
# A method or tool named after a place is no place: "trained in Columbia protocol".
_METHOD_AFTER = re.compile(
    r"[ \t]+(?:template|scale|protocol|method|model|screener|criteria|inventory|questionnaire|approach)\b",
    re.IGNORECASE,
)


def _city(text: str, at: int) -> Span | None:
    """A city of US_CITIES at `at`, after a word of place, as written: capitalised ("moved to Fresno") or,
    as speech recognition types it, in lower case when it is no English word ("in denver", never "to
    mobile"). A city that is an English word counts capitalised unless a capital follows ("to Mobile
    Crisis" is a team); one that is a first name ("Tyler", "Madison") only after "in", "near", "past",
    "outside of" where no person is believed in, called in or changed ("I believe in Tyler"), as a first
    name alone is (see names.py)."""
    m = _CITY.match(text, at)
    if m is None:
        return None
    city = m.group()
    words = city.replace("-", " ").split()
    if all(w[0].isupper() for w in words):
        if city.title() != city and city.upper() == city:
            return None  # "TAMPA" in capitals: a label or a shout, left to the other rules
        word_too = city.casefold() in english_words() and _NEXT_CAPITAL.match(text, m.end())
    elif city.islower():
        word_too = city in english_words() or (city in common_words() and city.title() not in AMBIGUOUS)
    else:
        return None
    if word_too or _METHOD_AFTER.match(text, m.end()):
        return None
    if city.title() in first_names():
        before = text[max(0, at - 24) : at]
        if not _TOWN_CUE_BEFORE.search(before) or _IN_A_PERSON.search(before):
            return None
    return m.start(), m.end(), "address"


# A saint's name in the possessive is a hospital, a church or a school: "St. Mary's took him", "over to
# Saint Vincent's" ("St. Patrick's Day" is a holiday).
SAINTS = lazy_compile(
    r"\b(?:St\.?|Saint)[ \t]+[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?['’]s\b(?![ \t]+(?:Day|Eve)\b)"
)
# ...and typed in lower case, as speech recognition writes it: "we took him to saint joseph's".
_LOWER_SAINT = re.compile(r"saint[ \t]+[a-z]{3,}['’]s\b(?![ \t]+(?:day|eve)\b)")
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


# The commonest US county names that are words or first names, in lower case before "county" ("a warrant
# out of jefferson county", "over in marion county"): a name no list of names tells apart otherwise.
_COUNTY_NAMES = frozenset(
    """washington jefferson franklin jackson lincoln madison monroe adams marion montgomery wayne warren grant
    greene polk hamilton harrison clark clinton douglas union orange lake boone carroll clay crawford
    fayette hancock henry lawrence logan marshall morgan perry pike putnam randolph scott shelby
    """.split()  # noqa: SIM905
)


# An avenue, boulevard or parkway is a street even when its name is an everyday word ("on federal boulevard",
# "off hazel dell avenue"), where a word of place or a direction is before the name; a street, road or lane
# so named is as often a way of talking ("down memory lane", "on the road").
_WIDE_ROADS = ("avenue", "boulevard", "parkway")
_WIDE_ROAD_NAMES = frozenset(("Avenue", "Boulevard", "Parkway", "Ave", "Blvd", "Pkwy"))
_ON_ROAD_BEFORE = re.compile(
    r"(?<![\w'’-])(?:on|off|of|down|along|onto|at|near|up|to|from|by|past|across|crossing"
    r"|north|south|east|west|northeast|northwest|southeast|southwest)[ \t]+$"
)
_NOT_WIDE_ROAD_NAMES = frozenset(
    """the a an this that these those his her their our your my its one two three four five six main new old
    same other next last first big long wide busy whole and or but so then i you he she we they it me him us them
    there here what who um umm uh uhh yeah yes no okay like""".split()  # noqa: SIM905
)


def _wide_road_start(text: str, m: re.Match) -> int | None:
    """Where an avenue, boulevard or parkway named with everyday words (`m`, _LOWER_ROAD_OR_COUNTY) starts, or
    None when no word of place is before its name or a name's word is no street's."""
    if not text.endswith(_WIDE_ROADS, m.start(), m.end()):
        return None
    for group in ("w2", "w1"):
        start = m.start(group)
        if start == -1 or m.group(group) in _NOT_WIDE_ROAD_NAMES:
            return None
        if _ON_ROAD_BEFORE.search(text, max(0, start - 10), start):
            return start
    return None


def _lower_case_places(text: str) -> Iterator[Span]:
    # the words as typed, in lower case: `text` is searched as the lower-cased text would be (speed)
    for m in _find(_LOWER_ROAD_OR_COUNTY, text, _windows(text, _word_anchors(text, text, _LOWER_ROAD_WORDS))):
        if not _a_name(m.group("w2")):
            if m.group("w2") in _COUNTY_NAMES and text.startswith(("county", "parish"), m.end() - 6):
                yield m.start("w2"), m.end(), "address"  # "jefferson county"
            elif (start := _wide_road_start(text, m)) is not None:
                yield start, m.end(), "address"  # "on federal boulevard"
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
# ("transport" alone is said of everything a deputy does with a patient; "transports" go somewhere.)
_HOSPITAL_WORDS = (
    "hospital",
    "emergency room",
    "ambulance",
    "admitted",
    "transported",
    "transports",
    "psych ward",
    "on diversion",
)
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
    r"(?P<n>[A-Z][a-z]+(?:['’]s(?![\w'’-])|(?![\w'’-])(?![ \t]+[A-Z])))"  # "Mercy's ER": its own word after
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


# What every HOSPITAL_NAME holds in an ASCII text: "to", "at" or "into" between spaces, a capital and a small
# letter after. A window without it is not searched (speed: the search starts with a class of two characters
# the regex engine skips to; HOSPITAL_NAME starts with an assertion, tried at every character).
_TO_A_NAME = re.compile(r"[ \t](?:[tT][oO]|[aA][tT]|[iI][nN][tT][oO])[ \t]+[A-Z][a-z]")


def _hospital_names(text: str, near: list[tuple[int, int]]) -> Iterator[Span]:
    if text.isascii():
        near = [(start, end) for start, end in near if _TO_A_NAME.search(text, start, end)]
    for m in _find(HOSPITAL_NAME, text, near):
        name = m.group("n")
        word = name[:-2] if name.endswith(("'s", "’s")) else name
        if word in STATE_NAMES or word in _NOT_HOSPITALS or _not_a_place_word(word):
            continue
        if word.casefold() in ("god", "work", "school", "bed", "jail", "court"):
            continue
        yield m.start("n"), m.end("n"), "address"


# A hospital named alone with no hospital's word near, after a verb that takes a person somewhere: "they
# took him to Mercy", "we brought her over to Parkland". The name must be one hospitals go by (below), or a
# name that is no English word, no first name and none of the hospital's parts, drugs or holds ("took him
# to Intake", "sent her to Detox" stay).
_TAKEN_TO = lazy_compile(  # before the name, searched back from it; a line may break inside
    r"(?i:\b(?:took|take|takes|taking|taken|brought|bring|brings|bringing|transported|transport|transporting|"
    r"rushed|drove|driven|driving|sent|sending|shipped|shipping|admitted|transferred|transferring)"
    r"(?:\s+(?:him|her|them|me|us|the\s+(?:patient|client|guy|kid|man|woman|lady|girl|boy)))?"
    r"(?:\s+(?:over|back|down|up|out|right|straight))?\s+(?:to|into)\s+)$"
)
# A hospital of the list (HOSPITALS_ALONE) after "go to", as the clinicians say where patients go: "we
# usually go to Parkland", "they end up going to mercy". Not a name of no list: "went to Costco".
_GONE_TO = lazy_compile(
    r"(?i:\b(?:go|goes|going|gone|went|head|heads|headed|heading|ended[ \t]+up|end[ \t]+up|ends[ \t]+up|wound[ \t]+up)"
    r"(?:\s+(?:over|back|down|up|out|right|straight))?\s+to\s+)$"
)
# Not "General" ("he went to general": general population, in jail) nor "Spectrum" (the cable company's store).
_NOT_GONE_TO = frozenset({"General", "Spectrum", "general", "spectrum"})
# A list said once: a hospital of the list after a bare "to" soon after one found ("sometimes to Baptist").
_LIST_REACH = 80
# Where a capital follows "to" (rare in talk, and one fast search: a str.find per verb took 4% of the scan).
_TO_CAPITAL = re.compile(r"to[ \t]+[A-Z]")
_NAME_AFTER_TO = re.compile(r"[A-Z][a-z]+(?:['’]s(?![\w'’-])|(?![\w'’-])(?![ \t]+[A-Z]))")
# HOSPITALS_ALONE (names.py): names US hospitals go by alone, that are English words or first names (so
# the rule above would leave them): "Mercy", "Baptist", "Methodist", "Kaiser".


def _hospitals_alone(text: str, near: list[tuple[int, int]]) -> Iterator[Span]:
    """`near`: the windows around a hospital's words, where a hospital's name after "to" needs no verb before
    it, the verb said once for a list ("transports go to Parkland, sometimes to Baptist")."""
    found = -_LIST_REACH  # where the last hospital found ends: the next of a list needs no verb of its own
    for to in _TO_CAPITAL.finditer(text):
        at = to.end() - 1
        m = _NAME_AFTER_TO.match(text, at)
        if m is None or (to.start() and text[to.start() - 1].isalnum()):
            continue
        name = m.group()
        word = name[:-2] if name.endswith(("'s", "’s")) else name
        if not _TAKEN_TO.search(text, max(0, at - 60), at):
            i = bisect.bisect_right(near, (at, len(text))) - 1
            if word in HOSPITALS_ALONE and (
                (i >= 0 and near[i][0] <= at < near[i][1])
                or (word not in _NOT_GONE_TO and _GONE_TO.search(text, max(0, at - 40), at))
                or at - found < _LIST_REACH
            ):
                found = m.start() + len(word)
                yield m.start(), found, "address"
            continue
        if word in HOSPITALS_ALONE:
            found = m.start() + len(word)
            yield m.start(), found, "address"
            continue
        if (
            word in STATE_NAMES
            or word in _NOT_HOSPITALS
            or word in first_names()
            or word in AMBIGUOUS
            or _not_a_place_word(word)
            or word.casefold() in english_words()
            or word.casefold() in common_words()
            or name != word  # "took him to Denny's": a shop or a restaurant, no hospital
        ):
            continue
        yield m.start(), m.end(), "address"


# The same names typed in lower case, as speech recognition types them: "we took her to swedish",
# "transported to porter adventist", "ems took him to mercy er". Each is an English word or a first name
# too ("a swedish name", "mercy"), so only after a verb that takes a person there (_TAKEN_TO), or after "to"
# or "at" near a hospital's word, or after "was/is/been/stayed at", and where the clause ends after it or a
# hospital's word follows. One word before the name goes with it when the cue is before that word ("porter
# adventist", "good samaritan", "mount sinai"). Searched only for the names the text holds in lower case
# as words (its distinct words looked up), one str.find each.
_LOWER_HOSPITALS = frozenset(h.lower() for h in HOSPITALS_ALONE)
_LOWER_HOSPITAL_FORMS = {
    h: frozenset(h + b for b in ("", ",", ".", ";", "?", "!", "'s", "’s", "'s.", "’s.", "'s,", "’s,"))
    for h in _LOWER_HOSPITALS
}
_LOWER_HOSPITAL_TOKENS = frozenset().union(*_LOWER_HOSPITAL_FORMS.values())
_AT_HOSPITAL_BEFORE = lazy_compile(
    r"(?<![\w'’-])(?:was|is|were|been|stayed|stays|staying|admitted|(?:over|back|down|up|out)|[a-z]+['’]s"
    # a hospital's part before it: "the er at mercy regional", "a bed at swedish"
    r"|er|ed|e\.r\.|emergency[ \t]+room|room|ward|unit|floor|department|bed|beds)"
    r"(?:[ \t]+(?:over|back|down|up|out))?[ \t]+at[ \t]+$"
)
_TO_OR_AT_BEFORE = re.compile(r"(?<![\w'’-])(?:to|at)[ \t]+$")
_HOSPITAL_NAME_AFTER = lazy_compile(
    r"(?:['’]s)?(?:[ \t]*(?:[.,;:!?)]|$)|[ \t]+(?:er|e\.r\.|ed|emergency|hospital|medical|psych|that|the|"
    r"yesterday|today|tonight|again|instead|which|who|he|she|they|we|i|it|was|is|um|uh|and|but|for|when|where|"
    r"with|at|on|until|since|last|so|because|now|then|or|after|before|by|in|a|an|sometimes|usually|mostly|"
    r"mainly|normally|too|also|either|though|anyway)\b)",
    re.MULTILINE,
)
_NOT_BEFORE_HOSPITAL = frozenset(
    "the and but his her their our your its this that them him back over down out right straight was were been talked spoke said".split()  # noqa: SIM905
)
_LOWER_WORD_BEFORE = re.compile(r"(?<![\w'’-])([a-z]{3,})[ \t]+$")


def _lower_hospitals(text: str, near: list[tuple[int, int]]) -> Iterator[Span]:
    tokens = text_tokens(text)
    if tokens.isdisjoint(_LOWER_HOSPITAL_TOKENS):
        return
    names = []  # (start, end) of each name the text holds as a word, in order: a list's next needs no verb
    for name in _LOWER_HOSPITALS:
        if tokens.isdisjoint(_LOWER_HOSPITAL_FORMS[name]):
            continue
        at = text.find(name)
        while at != -1:
            end = at + len(name)
            start = at
            at = text.find(name, end)
            if (start and (text[start - 1].isalnum() or text[start - 1] in "'’-")) or (
                end < len(text) and (text[end].isalnum() or text[end] == "-")
            ):
                continue
            names.append((start, end))
    found = -_LIST_REACH
    for start, end in sorted(names):
        if not _HOSPITAL_NAME_AFTER.match(text, end):
            continue
        for first in (start, None):
            if first is None:  # "porter adventist": the word before the name, the cue before that
                word = _LOWER_WORD_BEFORE.search(text, max(0, start - 24), start)
                if word is None or word.group(1) in _NOT_BEFORE_HOSPITAL:
                    break
                first = word.start(1)
            gone = text[start:end] not in _NOT_GONE_TO
            if _lower_hospital_cue(text, first, near, first - found < _LIST_REACH, gone):
                found = end
                yield first, end, "address"
                break


def _lower_hospital_cue(
    text: str, at: int, near: list[tuple[int, int]], listed: bool = False, gone: bool = False
) -> bool:
    """`listed`: a hospital was found just before ("we go to parkland, sometimes to baptist"); `gone`: "go
    to" before the name is a cue."""
    if _TAKEN_TO.search(text, max(0, at - 60), at) or _AT_HOSPITAL_BEFORE.search(text, max(0, at - 24), at):
        return True
    if gone and _GONE_TO.search(text, max(0, at - 40), at):
        return True
    i = bisect.bisect_right(near, (at, len(text))) - 1
    return (listed or (i >= 0 and near[i][0] <= at < near[i][1])) and _TO_OR_AT_BEFORE.search(
        text, max(0, at - 4), at
    ) is not None


# A hospital named as the subject of what a hospital does, with no word of taking or of a hospital before it:
# "Mercy called us back", "swedish was on diversion", "Baptist wouldn't take him". Each name is a first name
# or an English word too, so only before these verbs, at a clause's start ("she said Mercy called", "and
# Mercy called"; not "the Banner said", "Attorney General"); a person so named called back as well, and is
# found either way. A speech verb alone ("Grady said he'd come by") is left: a person's far more often; with
# what it said a hospital's refusal ("Mercy said no", "Mercy said they were full", "grady told us they had no
# beds") it is the hospital, or a person so named, an identifier either way ("Mike said no" is found as a
# person; a name of this list, an English word too, is on no list of first names). "He was full", "they were
# full of it", "no problem", "no one" say nothing of a hospital.
_HOSPITAL_DOES = lazy_compile(
    r"[ \t]+(?:said|says|told[ \t]+(?:us|me|them|him|her))(?:[ \t]+that)?,?[ \t]+(?:"
    r"no(?=[ \t]*(?:$|[.,;!?\n\"”]|(?:and|but|so|because|cause|again)\b))"
    r"|(?:they|it)(?:['’]re|['’]s|[ \t]+(?:were|are|was|is))[ \t]+(?:full|on[ \t]+diversion|at[ \t]+capacity|"
    r"slammed|packed)\b(?![ \t]+of\b)"
    r"|(?:they|it)(?:['’]d|[ \t]+(?:had|has|have))[ \t]+no[ \t]+(?:open[ \t]+)?beds?\b"
    r"|(?:they|it)[ \t]+(?:wouldn['’]t|won['’]t|couldn['’]t|can['’]t|didn['’]t|would[ \t]+not|could[ \t]+not)"
    r"[ \t]+(?:take|accept|admit|keep|hold)\b)"
    r"|(?:['’]s|[ \t]+(?:is|was|were))[ \t]+(?:on[ \t]+diversion|full|slammed|packed|at[ \t]+capacity|"
    r"boarding|holding)\b"
    r"|[ \t]+(?:called|calls|call|called[ \t]+back)[ \t]+(?:us|me|back)\b"
    r"|[ \t]+(?:discharged|discharges|released|releases|admitted|admits|transferred|accepted|refused|cleared|"
    r"kept|keeps|held|holds|boarded|turned|sent|sends|took|takes|medically[ \t]+cleared)[ \t]+(?:him|her|them|"
    r"the[ \t]+(?:patient|client|guy|kid|man|woman|lady))\b"
    r"|[ \t]+(?:wouldn['’]t|won['’]t|didn['’]t|couldn['’]t|can['’]t|doesn['’]t|don['’]t|would[ \t]+not|"
    r"will[ \t]+not|did[ \t]+not|refused[ \t]+to|agreed[ \t]+to|ended[ \t]+up)[ \t]+(?:take|taking|accept|"
    r"accepting|admit|admitting|keep|keeping|hold|holding|clear|clearing)\b"
    r"|[ \t]+(?:had|has|have)[ \t]+(?:no|a|one|two)[ \t]+(?:open[ \t]+)?beds?\b"
)
_CLAUSE_START = lazy_compile(
    r"(?:[.!?;:,\n\"“(]|\b(?:and|but|so|then|because|cause|cuz|when|once|after|until|if|like|um|uh|well|yeah|"
    r"okay|ok|now|said|says|think|guess|know|that))[ \t]*$",
    re.IGNORECASE,
)
_SUBJECT_FORMS = tuple(
    (word, frozenset(word + e for e in ("", "'s", "’s")))
    for h in sorted(HOSPITALS_ALONE - {"Spectrum"})  # "Spectrum called us back" about the internet
    for word in (h, h.lower())
)


def _hospital_subjects(text: str) -> Iterator[Span]:
    tokens = text_tokens(text)
    for word, forms in _SUBJECT_FORMS:
        if tokens.isdisjoint(forms):
            continue
        at = text.find(word)
        while at != -1:
            start, end = at, at + len(word)
            at = text.find(word, end)
            if (
                start and (text[start - 1].isalnum() or text[start - 1] in "'’-")
            ) or not _HOSPITAL_DOES.match(text, end):
                continue
            if start == 0 or _CLAUSE_START.search(text, max(0, start - 8), start):
                yield start, end, "address"


# A city or town named by its police department: "the Tulsa Police took him", "mutual aid from Fresno PD".
# Found from the department's word (a fast search), the name checked as the rules above check a town's.
_POLICE = re.compile(r"(?:PD|P\.D\.|Police)\b")  # searched without the space before it (speed)
# ...and a county or a town by its sheriff: "I was with Pasco Sheriff's Office" (searched only where "Sheriff" is)
_SHERIFFS_OFFICE = re.compile(r"Sheriff(?:['’]s|s)?[ \t]+(?:Office|Department|Dept)\b")
_WORDS_BEFORE = lazy_compile(rf"(?:{_WORD}[ \t]+){{0,2}}{_WORD}$")


# Railways and transit systems with a police force of their own, named as a town's would be: "the Amtrak
# Police", "Metra PD" name no town.
_RAIL_AND_TRANSIT = frozenset("Amtrak Metra Metrolink Caltrain Conrail Septa Marta Trimet Capitol".split())  # noqa: SIM905


def _police_towns(text: str) -> Iterator[Span]:
    sheriffs = _SHERIFFS_OFFICE.finditer(text) if "Sheriff" in text else ()
    for police in itertools.chain(_POLICE.finditer(text), sheriffs):
        space = police.start()
        while space and text[space - 1] in " \t":
            space -= 1
        if space == police.start() or not space:
            continue
        m = _WORDS_BEFORE.search(text, max(0, space - 40), space)
        if m is None or (m.start() and text[m.start() - 1].isalnum()):
            continue
        words = m.group().split()
        for at in range(len(words)):  # "Salt Lake City Police": the longest name that is a place
            name = " ".join(words[at:])
            if name in US_CITIES or name in WORD_TOWNS or _is_town_word(name):
                yield space - len(name), space, "address"
                break
        else:
            # a town on no list, by a word that is no English word nor a first name: "the Arvada Police
            # Department", "Kremmling PD" ("the Transit Police", "Campus PD", "Tribal Police" are words)
            last = words[-1]
            if (
                last not in STATE_NAMES
                and last not in _RAIL_AND_TRANSIT
                and last not in first_names()
                and _no_word(last.lower())
            ):
                yield space - len(last), space, "address"


_AT_AFTER = ("over", "up", "down", "out", "back")

# A town with no town's ending, off the list of cities: "he grew up in Marfa", "we drove out to Marfa". A
# capitalised word after a word of place that is no English word, no first name (see names.py), no state,
# country, drug, part of a hospital, brand or program the study's talk names ("in Narcan", "in Cerner",
# "in Iraq"), with no capital after it ("in Mobile Crisis" is a team) and no method's word ("in Columbia
# protocol"). "in" and "near" need nothing more; "to" only after a verb of going that far ("drove out to",
# "moved to"): "talked to Costco" names no town.
# Searched as a space before a capital (a literal first character: an alternation of the cue words' endings
# took twice the time), the cue's last letters checked before it: "in", "near", "past", "outside", "of", "to".
_CAPITAL_AFTER_SPACE = re.compile(r" (?=[A-Z][a-z]{3})")
_CUE_ENDINGS = frozenset(("in", "In", "ar", "st", "de", "of", "to", "om"))  # "om": "from", for WORD_TOWNS
_UNKNOWN_TOWN = re.compile(r"[A-Z][a-z]{3,}(?![\w'’-])(?![ \t]+[A-Z])")
_UNKNOWN_TOWN_CUE = lazy_compile(
    r"(?<![\w'’-])(?i:in|near|past|outside(?:[ \t]+of)?|(?:town|city|village|county)[ \t]+of"
    # "a small town called Kremmling", "we're a small town, Kremmling,"
    r"|(?:town|city|village)(?:[ \t]+(?:called|named)|,)"
    r"|(?:moved|moving|move|drove|drive|driving|headed|heading|relocated|went|go|going|goes|came|come|coming|"
    r"transferred|out|up|down|over|back)(?:[ \t]+(?:out|over|down|up|back|all[ \t]+the[ \t]+way))?[ \t]+to)[ \t]+$"
)
_NOT_TOWNS = frozenset(
    """
    Walmart Costco Kroger Safeway Publix Walgreens Starbucks Target Amazon Google Facebook Instagram Snapchat
    Tiktok Twitter Youtube Netflix Zoom Webex Teams Excel Outlook Word Cerner Epic Meditech Allscripts
    Athena Spillman Axon Lexipol Motorola Tylenol Advil Xanax Adderall Klonopin Percocet Vicodin Fentanyl
    Covid Medicaid Medicare Tricare Spanish Creole Vietnamese Tagalog Somali Arabic Mandarin Cantonese
    Narcan Juvie Markdown Vegas
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


@functools.cache
def _countries() -> frozenset[str]:
    """Country names (Faker's en_US list): larger than a state, no identifier ("he served in Iraq")."""
    from faker.providers.address.en_US import Provider

    return frozenset(c for c in Provider.countries if " " not in c)


# Towns whose names are English words or everyday first names ("Hope", "Liberty", "Plain", "Marshall",
# "Eagle Pass", "Truth or Consequences"), which every rule above leaves: "in Hope" alone is more often
# hope than Hope, Arkansas. A short written list of such US towns (a gazetteer would hold "Justice",
# "Many", "Reading", "Media" and "Post"; those, and the ones said of a church, a rental company or a
# council, "Temple", "Enterprise", "Council", "Mission", "Bishop", "Delta", are left out), found only
# where a place is said: capitalised after a word of place or a verb of going there ("out in Hope",
# "drove to Eagle", "grew up in Liberty"), before a capital only when it is "I" ("in Hope House",
# "Liberty Mutual", "Eagle Scouts" are none), and before its police ("the Liberty PD"). In lower case, as
# speech recognition writes it, only after "out in", "grew up in"... where the clause ends ("lives out in
# hope."; "out in plain sight", "we live in hope" are words), and before "police" or "pd".
WORD_TOWNS = frozenset(
    word.replace("_", " ")  # "Eagle_Pass": one town of two words
    for word in """
    Hope Liberty Plain Marshall Eagle Commerce Alpine Paradise Independence Freedom Friendship Harmony
    Unity Orange Humble Magnolia Junction Comfort Ransom Winner Golden Evergreen Rifle Parachute Silt Brush
    Salmon Helper Hurricane Beaver Superior Globe Weed Needles Hazard Alliance Arab Forest Warren Jasper
    Sterling Price Aztec Liberal Mustang Cascade Sandy Draper Holly Florence Victoria Paris Mercedes
    Converse Peculiar Midland Sweetwater Mason Presidio Seminole Canyon Bowie Sherman Bethel Kodiak Homer
    Palmer Caribou Bath
    Eagle_Pass Truth_or_Consequences Social_Circle Broken_Arrow Broken_Bow Battle_Ground Castle_Rock
    Round_Rock Green_River Elk_River Eagle_River Live_Oak Sugar_Land Big_Spring Show_Low Grand_Island
    Grand_Forks Red_Wing Red_Oak Lake_Charles Lake_Jackson Glen_Rose Bowling_Green Mountain_Home
    Mountain_View Three_Rivers Two_Rivers Buena_Vista
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
_WORD_TOWN = lazy_compile(rf"(?:{word_trie(sorted(WORD_TOWNS))})(?![\w'’-])")
_CAPITAL_NOT_I = re.compile(r"[ \t]+(?!I\b)[A-Z]")
_FROM = re.compile(r"(?<![\w'’-])(?i:from)[ \t]+$")  # "a deputy from Liberty"
# In lower case: after "out in", "grew up in", "moved to"... (not "live in": "we live in hope"), and only
# where the clause ends after it ("out in plain sight" is no town).
_WORD_TOWN_LOWER = re.compile(rf"(?:{word_trie(sorted(t.lower() for t in WORD_TOWNS))})(?![\w'’-])")
_LOWER_WORD_TOWN_CUE = re.compile(
    r"(?<![\w'’-])(?:(?:out|up|down|over|back|grew[ \t]+up|raised|born|moved(?:[ \t]+back)?)[ \t]+in|near)[ \t]+$"
)
_CLAUSE_ENDS = re.compile(
    r"[ \t]*(?:[.,;:!?)]|$|(?:and|but|for|when|where|with|at|on|until|since|last|so|because|now|then|back|"
    r"anymore|too|or|area|way|before|after)\b)",
    re.MULTILINE,
)
# ...and before its police: "the liberty police came out" ("mobile", "plain" and the like say what police).
_LOWER_POLICE = re.compile(r"(?:police|pd|p\.d\.)(?![\w'’-])")  # the space before checked after (speed)
_NOT_POLICE_TOWNS = frozenset("mobile plain golden superior peculiar humble liberal sandy orange".split())  # noqa: SIM905


def _word_town(text: str, at: int) -> Span | None:
    """A town of WORD_TOWNS at `at`, capitalised, after a word of place (see _unknown_town)."""
    m = _WORD_TOWN.match(text, at)
    if m is None or _CAPITAL_NOT_I.match(text, m.end()) or _METHOD_AFTER.match(text, m.end()):
        return None
    before = text[max(0, at - 40) : at]
    if not (_UNKNOWN_TOWN_CUE.search(before) or _FROM.search(before)) or _IN_A_PERSON.search(before):
        return None
    return m.start(), m.end(), "address"


def _unknown_town(text: str, at: int) -> Span | None:
    m = _UNKNOWN_TOWN.match(text, at)
    if m is None:
        return None
    word = m.group()
    if (
        word in STATE_NAMES
        or word in US_CITIES
        or word in _NOT_TOWNS
        or word in _NOT_HOSPITALS
        or word in AMBIGUOUS
        or _not_a_place_word(word)
        or word in first_names()
        or word.casefold() in english_words()
        or word.casefold() in common_words()
        or word in _countries()
        or _METHOD_AFTER.match(text, m.end())
    ):
        return None
    before = text[max(0, at - 40) : at]
    if not _UNKNOWN_TOWN_CUE.search(before) or _IN_A_PERSON.search(before):
        return None
    return m.start(), m.end(), "address"


_TOWN_NAMED = ("town called", "town named", "city called", "city named", "town,", "city,", "village,")
_TOWN_NAMED_ENDINGS = frozenset(w[-2:] for w in _TOWN_NAMED)


def _unknown_towns(text: str) -> Iterator[Span]:
    for space in _CAPITAL_AFTER_SPACE.finditer(text):
        at = space.start()
        ending = text[at - 2 : at]
        if ending in _CUE_ENDINGS or (ending in _TOWN_NAMED_ENDINGS and text.endswith(_TOWN_NAMED, 0, at)):
            found = _word_town(text, at + 1) or _unknown_town(text, at + 1)
            if found:
                yield found


# The same town typed in lower case, as speech recognition writes it: "she grew up in marfa". After "near",
# "past", or "in" after a word of living or going there ("lives in", "grew up in", "out in", "moved back in":
# "in lieu of", "in situ" are no place); not after "to" (too common to search, and it names people: "talked
# to dwayne"). The word no English word, no first name, no state, country or word of _NOT_TOWNS. On the bench
# corpus and the clean texts lower-cased (1.2 million words) the rule finds nothing.
_LOWER_TOWN_CUES = (" in ", " near ", " past ")
_LOWER_WORD = re.compile(r"[a-z]{4,}(?![\w'’-])")
_NOT_TOWNS_LOWER = frozenset(w.lower() for w in _NOT_TOWNS) | frozenset(
    "lieu situ vivo vitro toto utero absentia loco camera limbo gonna wanna gotta kinda sorta dunno".split()  # noqa: SIM905
)
_LIVING_IN = lazy_compile(
    r"(?i:\b(?:lives?|lived|living|grew[ \t]+up|raised|born|moved(?:[ \t]+back)?|stays?|stayed|staying|"
    r"based|located|out|up|down|over|back|family|folks|house|home|town|ranch|farm|place)[ \t]+in[ \t]+)$"
)


def _lower_word_town(text: str, at: int) -> Span | None:
    """A town of WORD_TOWNS typed in lower case at `at`, after "out in", "grew up in", "near"..."""
    m = _WORD_TOWN_LOWER.match(text, at)
    if m is None or not _CLAUSE_ENDS.match(text, m.end()):
        return None
    if not _LOWER_WORD_TOWN_CUE.search(text, max(0, at - 24), at):
        return None
    return m.start(), m.end(), "address"


def _lower_police_towns(text: str) -> Iterator[Span]:
    """A town of WORD_TOWNS, or a city of US_CITIES that is no English word, typed in lower case before
    its police: "the liberty police", "tulsa pd"."""
    for m in _LOWER_POLICE.finditer(text):
        end = m.start() - 1
        if end < 1 or text[end] != " " or text[text.rfind(" ", 0, end) + 1 : end] not in _LOWER_LAST_WORDS:
            continue
        words = text[max(0, end - 40) : end].split()
        for n in (3, 2, 1):  # "truth or consequences police": the longest name
            name = " ".join(words[-n:])
            if len(words) < n or not name.islower():
                continue
            if (name in _LOWER_WORD_TOWNS and name not in _NOT_POLICE_TOWNS) or (
                name in _LOWER_CITIES and not _word_too(name)
            ):
                start = end - len(name)
                if start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "'’-"):
                    yield start, end, "address"
                break


_LOWER_WORD_TOWNS = frozenset(t.lower() for t in WORD_TOWNS)
_LOWER_CITIES = frozenset(c.lower() for c in US_CITIES)
_LOWER_LAST_WORDS = frozenset(n.split()[-1] for n in _LOWER_WORD_TOWNS | _LOWER_CITIES)  # a quick first test


def _word_too(city: str) -> bool:
    return city in english_words() or city in common_words() or city.title() in first_names()


def _lower_unknown_towns(text: str) -> Iterator[Span]:
    for cue in _LOWER_TOWN_CUES:
        at = text.find(cue)
        while at != -1:
            town = _lower_word_town(text, at + len(cue))
            m = _LOWER_WORD.match(text, at + len(cue))
            at = text.find(cue, at + 1)
            if town:
                yield town
                continue
            if m is None:
                continue
            word = m.group()
            if not _a_name(word) or word in _NOT_TOWNS_LOWER or _not_a_lower_town(word):
                continue
            before = text[max(0, m.start() - 40) : m.start()]
            if cue == " in " and not _LIVING_IN.search(before):
                continue
            if _IN_A_PERSON.search(before) or _METHOD_AFTER.match(text, m.end()):
                continue
            yield m.start(), m.end(), "address"


def _not_a_lower_town(word: str) -> bool:
    title = word.title()
    return (
        title in STATE_NAMES
        or title in first_names()
        or title in AMBIGUOUS
        or title in _NOT_HOSPITALS
        or title in _countries()
        or word.upper() in _countries()
    )


def _town_at(text: str, at: int) -> Iterator[Span]:
    """A town or city starting at `at`, after a word of place."""
    first = text[at : at + 1]
    if not first.isalpha():
        return
    city = _city(text, at)
    if city:
        yield city
    elif first.islower():
        yield from _lower_case_town(text, at)
    else:
        m = TOWN.match(text, at)
        if m and _is_town_word(m.group()):
            yield m.start(), m.end(), "address"


# A city's or a hospital's name before "Health" is a health system, its hospital, as speech recognition types
# it too: "we transported him to denver health", "they brought him to Denver Health", "banner health". A
# city that is a word or a first name ("mobile health", "tyler health") is left, as are the names that say
# what kind of health ("general health", "regional health", "mental health").
_HEALTH_SYSTEMS = frozenset(h.lower() for h in HOSPITALS_ALONE) - frozenset(
    "general regional memorial spectrum dignity covenant trinity".split()  # noqa: SIM905
)
_HEALTH_BEFORE = frozenset(c.lower() for c in US_CITIES if " " not in c) | _HEALTH_SYSTEMS


def _health_systems(text: str, lowered: str) -> Iterator[Span]:
    at = lowered.find(" health")
    while at != -1:
        end = at + 7
        start = lowered.rfind(" ", 0, at) + 1
        word = lowered[start:at]
        at = lowered.find(" health", end)
        if end < len(lowered) and (lowered[end].isalnum() or lowered[end] in "'’-"):
            continue  # "healthcare", "health's"
        typed = text[start:end]
        if (
            word in _HEALTH_BEFORE
            and typed.replace(" ", "").isalpha()
            and (typed.islower() or typed.istitle())
            and (word in _HEALTH_SYSTEMS or not (word in english_words() or word.title() in first_names()))
        ):
            yield start, end, "address"


# A school named in lower case, as speech recognition types it: "his counselor at lincoln high", "she went to
# grandview high school", "a kid from kennedy middle school". The name before the school's word is a person's
# name that is no everyday word, one that is no English word, or one of the names and directions schools
# are so often given ("lincoln", "east"); "at high school", "at a very high level", "from junior high" name none.
_SCHOOL_WORDS = ("high", "middle", "elementary")
_LOWER_SCHOOL = lazy_compile(
    r"(?<![\w'’-])(?:at|to|from|attends|attended|attending|in)[ \t]+(?P<n>[a-z][a-z'’-]+(?:[ \t]+[a-z][a-z'’-]+)?)[ \t]+$"
)
_SCHOOL_AFTER = re.compile(
    r"(?P<k>high(?:[ \t]+school)?|middle(?:[ \t]+school)?|elementary(?:[ \t]+school)?)(?![\w'’-])"
)
# English words said before "high" of no school: a height ("knee high water", "at record high"), a grade.
_NOT_SCHOOL_NAMES = frozenset(
    "junior senior knee waist chest shoulder thigh ankle neck hip sky record mile cloud fever".split()  # noqa: SIM905
)
_SCHOOL_NAMESAKES = frozenset(
    """lincoln jefferson washington franklin madison jackson adams monroe roosevelt kennedy wilson grant
    garfield mckinley hamilton east west north south central northeast northwest southeast southwest""".split()  # noqa: SIM905
)


# What "high" says the height of, after a word that is a name too: "at grant high risk", "at kennedy high alert".
_HIGH_BEFORE = frozenset(
    """level risk alert speed speeds ground point end noon gear rate volume demand hopes spirits priority tide
    enough up""".split()  # noqa: SIM905
)


def _school_name(word: str) -> bool:
    if word in _SCHOOL_NAMESAKES or word in _lower_titled_names() or _no_word(word):
        return True
    # an English word that is no everyday one: "at columbine high" ("at pretty high", "at fairly high" are none)
    return (
        len(word) >= 4
        and word.isalpha()
        and word not in common_words()
        and not word.endswith("ly")
        and word not in _NOT_SCHOOL_NAMES
    )


def _lower_schools(text: str) -> Iterator[Span]:
    """Schools named in lower case (_LOWER_SCHOOL), searched from the school's words the text holds."""
    for word in _SCHOOL_WORDS:
        at = text.find(f" {word}")
        while at != -1:
            school = _SCHOOL_AFTER.match(text, at + 1)
            at = text.find(f" {word}", at + 2)
            if school is None:
                continue
            if school.group("k") == "middle" and not _STREET_END.match(text, school.end()):
                continue  # "the middle of", "upper middle class": only a school ends its clause so
            after = _WORD_AFTER.match(text, school.end())
            if (
                school.group("k") == "high"
                and after is not None
                and not _STREET_END.match(text, school.end())
            ):
                following = after.group(1).lower()
                if following in _HIGH_BEFORE or (
                    following.endswith("s") and following[:-1] in english_words()
                ):
                    continue  # "at lincoln high levels": "high" says how high
            named = _LOWER_SCHOOL.search(text, max(0, school.start() - 40), school.start())
            if named is None:
                continue
            names = named.group("n").split()
            if all(_school_name(n) for n in names):
                yield named.start("n"), school.end(), "address"
            elif len(names) == 2 and _school_name(names[1]):
                yield named.start("n") + len(named.group("n")) - len(names[1]), school.end(), "address"


def iter_roads_and_towns(text: str) -> Iterator[Span]:
    """Roads, counties and towns in `text`, as address spans."""
    lowered = lower_text(text)
    same = len(lowered) == len(text)  # else a character whose lower case is longer would shift the offsets
    roads = _NUMBERED_ANCHOR.finditer(lowered) if same else _DIGITS.finditer(text)
    zeroed = zeroed_digits(text)
    if same and zeroed is not None and not any(before in zeroed for before in (b" 0", b"\t0", b"-0", b"#0")):
        roads = iter(())  # every numbered road's number has a space, a tab, "-" or "#" before it (speed)
    for m in _find(NUMBERED_ROAD, text, _windows(text, roads)):
        yield _intersection(text, m)
    yield from _said_roads(text, lowered if same else text)
    near_words = _windows(text, _ROAD_OR_COUNTY_WORD.finditer(text))
    for pattern in (NAMED_ROAD, COUNTY):
        for m in _find(pattern, text, near_words):
            words = [(w.start(), w.group()) for w in re.finditer(r"\S+", m.group())]
            road, words = words[-1][1], words[:-1]
            last = words[-1]
            while words and _not_a_place_word(words[0][1]) and words[0][1] not in _GENERIC_PLACE:
                words = words[1:]  # "The Hollis Road" is "Hollis Road", "Old Mill Road" stays whole
            if len(words) == 1 and m.group().endswith(_SURNAME_ROADS) and words[0][1] in first_names():
                continue  # "Maria Lane", "Tom Pike": a person, found as one
            if any(not _not_a_place_word(w) for _, w in words):  # "Main Street", "the County" are no place
                yield m.start() + words[0][0], m.end(), "address"
            elif road.rstrip(".") in _WIDE_ROAD_NAMES and last[1].lower() not in _NOT_WIDE_ROAD_NAMES:
                yield m.start() + last[0], m.end(), "address"  # "Federal Boulevard", "North Avenue"
    starts = (
        town_starts(lowered)
        if same
        else matches_not_after(re.compile(_TOWN_START.pattern, re.IGNORECASE), text, "'’-")
    )
    for start in starts:
        if _PLACE_BEFORE.search(text, max(0, start.end() - 16), start.end()):
            yield from _town_at(text, start.end())
    # "over at Lakeview", "back at Pine Ridge": " at " found by one str.find scan (a regex branch for it in
    # _TOWN_START doubled that search's time), the word before it checked here
    at = lowered.find(" at ") if same else -1
    while at != -1:
        if lowered.endswith(_AT_AFTER, max(0, at - 5), at) and not lowered[at - 5 : at - 4].isalpha():
            yield from _town_at(text, at + 4)
        at = lowered.find(" at ", at + 4)
    for at in _SAINT_ANCHOR.finditer(text):
        if at.start() and (text[at.start() - 1].isalnum() or text[at.start() - 1] in "._"):
            continue
        m = SAINTS.match(text, at.start())
        if m:
            yield m.start(), m.end(), "address"
    at = text.find("saint ")  # in lower case (speech recognition writes "St." capitalised, found above)
    while at != -1:
        m = None if at and text[at - 1].isalnum() else _LOWER_SAINT.match(text, at)
        if m:
            yield m.start(), m.end(), "address"
        at = text.find("saint ", at + 6)
    yield from _lower_case_places(text)
    if same and not text_tokens(text).isdisjoint(("health", "Health")):
        yield from _health_systems(text, lowered)
    near_hospital = _windows(text, _hospital_cues(text, lowered))
    yield from _hospital_names(text, near_hospital)
    yield from _hospitals_alone(text, near_hospital)
    yield from _lower_hospitals(text, near_hospital)
    yield from _hospital_subjects(text)
    yield from _police_towns(text)
    yield from _unknown_towns(text)
    if same:
        yield from _lower_unknown_towns(text)
        yield from _lower_schools(text)
        yield from _lower_police_towns(text)
    for m in _find(TOWN_STATE, text, _windows(text, _COMMA_CAPITAL.finditer(text))):
        words = m.group("t").split()
        while words and _not_a_place_word(words[0]):
            words = words[1:]
        if words and " ".join(words) not in STATE_NAMES:
            yield m.end("t") - len(" ".join(words)), m.end("t"), "address"
