"""How a token is written into the search index and how a query word is matched against it.

Each token is stored as "lemma<US>form": the lower-cased form (curly apostrophes made straight, accents
dropped) and its lemma from spaCy's English lemma lookup table (spacy-lookups-data, the table
suggest's lemmas come from). The table is read straight from its file, without importing spaCy, so a
search starts fast.

Accents: a researcher types "cafe" and "Jose" for "café" and "José", and a transcript may store the
accent composed (NFC) or decomposed (e + a combining accent, as macOS and some exports write it). Both
sides are decomposed and their combining marks dropped, so "cafe", "café" and "CAFÉ" find each other
however either is encoded; letters with no accent to drop are written as an English keyboard types
them ("Lodz" finds "Łódź", "Strasse" "Straße"). The index keeps each token's offsets in the stored text, so hits and
excerpts point at the text exactly as stored.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from ..lemmas import AS_WRITTEN, DEGREES, READINGS, lemma_table
from ..numbers import table_lemma
from ..textmatch import LETTERS

SEP = "\x1f"  # between a token's lemma and its form; never in the text (control characters are dropped)
VERSION = "12"  # bump when tokens, forms or lemmas change: the index is then rebuilt


@functools.lru_cache(maxsize=1)
def _lemmas() -> frozenset[str]:
    return frozenset(lemma_table().values())


# Words the lemma table leaves out that end a hyphenated word ("check-in", "follow-up", "drop-off").
_PARTICLES = frozenset({"in", "on", "up", "out", "off", "over", "down", "back", "away"})


# Prefixes written with a hyphen or without ("co-responder", "e-mail", "non-violent"), which the lemma
# table does not hold as words. Not "re", "de", "un": "report" and "return" would each cost every
# search of them a scan more, for a "re-port" no one writes.
PREFIXES = frozenset(
    {"co", "e", "x", "pre", "non", "anti", "self", "post", "multi", "inter", "sub", "mid", "semi"}
    | {"counter", "cross", "micro", "mini", "tele", "ultra"}
)


# Short words the lemma table leaves out (it holds words with other forms) that are also acronyms in
# capitals: "OR", "IT", "US", "NA" (and "na" is the second half of "gonna", as spaCy splits it).
_SMALL_WORDS = frozenset({"or", "it", "us", "na"})


def is_word(word_form: str, small: bool = False) -> bool:
    """Whether a form is an English word the lemma table knows (a form or a lemma), or a particle;
    `small`: or a short word the table leaves out ("or", "it", "us")."""
    return (
        word_form in _PARTICLES
        or word_form in lemma_table()
        or word_form in _lemmas()
        or (small and word_form in _SMALL_WORDS)
    )


# English words ending in s that the lemma table leaves out (it holds words with other forms): pronouns
# and adverbs, read as acronyms' plurals, made `search its` find every "IT" in capitals, `news` every
# "NEW", `ours` "OUR" and `his` "HIs". An adjective in "-ous" of six letters or more ("suspicious",
# "nervous") is a word too: "MOUs" is the acronym.
_WORDS_IN_S = """
    his hers its ours yours theirs ourselves yourselves themselves thus always perhaps sometimes besides
    towards afterwards whereas nowadays upstairs downstairs indoors outdoors overseas news series species
"""
WORDS_IN_S = frozenset(_WORDS_IN_S.split())


def may_be_acronym_plural(word_form: str) -> bool:
    """Whether a word typed in small letters, its own lemma and ending in s, may be an acronym's plural
    ("csus", "eds", "mous"): not a word the lemma table knows as one ("crisis", "status", "bus"), nor one
    ending in "ss" ("access", "process"), nor another English word (WORDS_IN_S, "suspicious"). `search
    crisis` said "or CRISI/CRISIs in capitals" on the study's commonest word."""
    return (
        not word_form.endswith("ss")
        and word_form not in _lemmas()
        and word_form not in WORDS_IN_S
        and not (word_form.endswith("ous") and len(word_form) >= 6)
    )


# An abbreviation or an initial that spaCy keeps whole with its full stops: "B." (a letter label or an
# initial), "U.S.", "a.m.", "Dr.", "Ph.D.", "e.g.". Indexed with the stops, "B." was "b." and `search B`
# (or `dr`, `us`) never found it, where "Sgt." (split from its stop) was found as "sgt".
_DOTTED = re.compile(r"(?:[^\W\d_]+\.)+[^\W\d_]*")


def _abbreviation(text: str) -> bool:
    """Whether letters and full stops (_DOTTED) are an abbreviation: ending in a stop ("U.S.", "Dr."), or
    labels of one or two letters, one a single letter ("a.m", "Ph.D"); not "example.org" or "night.the"."""
    labels = text.split(".")
    return text.endswith(".") or (all(len(x) <= 2 for x in labels) and any(len(x) == 1 for x in labels))


def _undotted(text: str) -> str | None:
    """An abbreviation's letters without its full stops ("U.S." is "US"), None for any other word (a
    domain keeps its stops: "example.org" is found in "https://example.org/path")."""
    return text.replace(".", "") if "." in text and _DOTTED.fullmatch(text) and _abbreviation(text) else None


# Words run together at a full stop with no space after it ("night.the", as Otter exports write a sentence's
# end) are one token to spaCy, which reads them as a web address: neither word was found. They are split
# at the stops, unless the token is a domain (its last label a top-level domain that is no English word:
# "example.org", "county.gov.uk"; "www." first) or an abbreviation without its last stop ("a.m", "Ph.D":
# labels of one or two letters, one of them a single letter). Web addresses with a scheme, e-mail
# addresses and numbers ("3.5") hold other characters and are never split.
TLDS = frozenset(
    {
        "com",
        "org",
        "net",
        "edu",
        "gov",
        "mil",
        "int",
        "info",
        "biz",
        "io",
        "ai",
        "app",
        "dev",
        "us",
        "uk",
        "ca",
    }
    | {"au", "nz", "ie", "eu", "de", "fr", "es", "mx", "co", "tv"}
)
_RUN_ON = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)+")


def run_on_words(text: str) -> list[tuple[int, int]] | None:
    """The (start, end) in `text` of each word of a token that runs words together at full stops
    ("night.the"), None for any other token (a domain, an abbreviation, a word)."""
    if _RUN_ON.fullmatch(text) is None:
        return None
    labels = text.split(".")
    if labels[-1].casefold() in TLDS or labels[0].casefold() == "www" or _abbreviation(text):
        return None
    out, at = [], 0
    for label in labels:
        out.append((at, at + len(label)))
        at += len(label) + 1
    return out


_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")


def is_domain(word_form: str) -> bool:
    """Whether a typed word (its form) is a domain, "example.org": it also finds the web and e-mail
    addresses at that domain ("https://example.org/path", "intake@example.org")."""
    return _DOMAIN.fullmatch(word_form) is not None and run_on_words(word_form) is None


def time_of_day(text: str, before: str | None) -> bool:
    """Whether "am" (any case) after a number ("9 AM", "10:30 am") is the time of day, never a form of
    "be" (as "a.m." is not)."""
    return text.casefold() == "am" and before is not None and _CLOCK.fullmatch(before) is not None


_CLOCK = re.compile(r"\d{1,2}(?:[:.]\d{2})?")


def form(text: str) -> str:
    """A token's form as indexed: case folded ("ß" is "ss"), accents dropped, letters with no accent to
    drop as typed on an English keyboard ("ł" is "l", "æ" "ae": textmatch.LETTERS), compatibility forms
    plain ("ﬁ" is "fi"), straight apostrophes, no spaces or control characters, an abbreviation without
    its full stops ("U.S." is "us")."""
    text = _undotted(text) or text
    folded = unicodedata.normalize("NFKD", text.casefold()).replace("\u2019", "'").replace("\u2018", "'")
    kept = "".join(
        ch for ch in folded if ch.isprintable() and not ch.isspace() and unicodedata.category(ch) != "Mn"
    )
    return unicodedata.normalize("NFC", kept.translate(LETTERS))


# Contractions written without their apostrophe, which spaCy's English tokenizer (and so the index) splits
# as it splits them with it: "dont" is "do" + "nt", "cant" "ca" + "nt", "theyre" "they" + "re", "cannot"
# "can" + "not". A typed one is split the same way (query._split), so `dont` finds "don't" and "dont",
# where it was its lemma, "do", and found every "do". "cant" and "wont" are read as can't and won't: the
# index splits every "cant" and "wont" of a transcript so, whatever was meant, and in speech they are
# the contractions. Left out, read as words: "id" (ID), "im" (IM), "ima", "wed" (Wednesday), "whys",
# "hows", "whens" (the whys and hows). spaCy's own list (tests/test_search_words.py checks it).
_WITHOUT_APOSTROPHE = """
    aint arent cannot cant cantve couldnt couldntve couldve darent didnt didntve doesnt doesntve dont
    dontve gonna gotta hadnt hadntve hasnt havent hed hedve hellve hes howd howdve howll howllve howre
    howve idve illve isnt itd itdve itll itllve ive maynt mayntve mightnt mightntve mightve mustnt
    mustntve mustve neednt needntve notve oughtnt oughtntve shant shantve shedve shellve shes shouldnt
    shouldntve shouldve thatd thatdve thatll thatllve thats thered theredve therell therellve therere
    theres thereve thesed thesedve thesell thesellve thesere theseve theyd theydve theyll theyllve
    theyre theyve thisd thisdve thisll thisllve thiss thosed thosedve thosell thosellve thosere thoseve
    wasnt wedve wellve werent weve whatd whatdve whatll whatllve whatre whats whatve whend whendve
    whenll whenllve whenre whenve whered wheredve wherell wherellve wherere wheres whereve whod whodve
    wholl whollve whos whove whyd whydve whyll whyllve whyre whyve wont wontve wouldnt wouldntve wouldve
    yall youd youdve youll youllve youre youve
"""
WITHOUT_APOSTROPHE = frozenset(_WITHOUT_APOSTROPHE.split())
# Words spaCy's tokenizer splits as contractions without an apostrophe, though each is also a word: "id"
# (I'd, or an ID: "check his id"), "im" (I'm, or IM), "wed" (we'd, Wednesday, or married), "whys" (the whys
# and hows). Split, `search id` found none of them, and `search I` found the "i" of "his id". The index
# keeps such a word whole where the word before makes it the word (UNSPLIT_AFTER: "his id", "no id", "on
# wed"), and splits it as spaCy does elsewhere; a typed one finds it either way (query._unsplit), and the
# contraction typed (`I'd`) only where it is split.
UNSPLIT = {
    "id": ("i", "d"),
    "im": ("i", "m"),
    "ima": ("i", "m", "a"),
    "wed": ("we", "d"),
    "whys": ("why", "s"),
    "hows": ("how", "s"),
    "whens": ("when", "s"),
}
UNSPLIT_FIRST = frozenset(c for p in UNSPLIT.values() for c in (p[0], p[0].capitalize(), p[0].upper()))
_UNSPLIT_AFTER = """
    a an the his her my your their our its no any some this these those every each another whose photo
    picture valid fake state student proper for of with without on by per via next last
"""
UNSPLIT_AFTER = frozenset(_UNSPLIT_AFTER.split())
# A clitic as written without its apostrophe, and with it: "dont" is "don't" written otherwise.
CLITICS = {"nt": "n't", "re": "'re", "ve": "'ve", "ll": "'ll", "s": "'s", "d": "'d", "m": "'m"}


def lemma(word_form: str) -> str:
    # The degrees of comparison as themselves, as suggest reads them: `search better` found every "well"
    # (the table's lemma of "better"), and `search more` every "most".
    if word_form in AS_WRITTEN or word_form in DEGREES:
        return word_form
    if word_form in READINGS:
        return READINGS[word_form]
    table = lemma_table()
    if word_form not in table and word_form not in _lemmas():
        return _compound_lemma(word_form)
    return table_lemma(word_form, form(table.get(word_form, word_form)) or word_form)


def own_lemma(word_form: str, word_lemma: str) -> str | None:
    """The word a typed word also stands for where the table reads it as another word though it is a
    lemma itself (None for any other word): "wound" is "wind" to the table, but "wounds" and "wounded"
    are "wound", so `search wound` missed them; "building" is "build" ("buildings"), "feeling" "feel"
    ("feelings"), "ground" "grind" ("grounds")."""
    return word_form if word_lemma != word_form and word_form in _lemmas() else None


def _compound_lemma(word_form: str) -> str:
    """The lemma of a word the table does not know that is a prefix or a word, then a form the table knows
    of another ("coresponders": co + responders, "followups", "prescreened"): the first part, then the
    last part's lemma, as for the word hyphenated (co-responders). `coresponders` missed "coresponder".
    A plain rule for plurals (drop the s) would also make "Evans" a form of "Evan": none here."""
    table = lemma_table()
    for i in range(1, len(word_form) - 2):
        head, tail = word_form[:i], word_form[i:]
        base = table.get(tail)
        if base is None or base == tail or not ((head in PREFIXES and i > 1) or (i >= 3 and is_word(head))):
            continue
        base = table_lemma(tail, form(base))
        if base and base != tail and base.isalpha():
            return head + base
    return word_form


# The plural of a number or an acronym as written: "5150s", "1990s", "CSUs", "EDs". The lemma table knows
# none of them, so `search 5150` and `search CSU` missed them. Read from the text as written: capitals
# then a small s is an acronym's plural, where "bus" or "this" in capitals ("BUS") is not. So are the
# verbs made of them, which spaCy keeps whole: "5150'd", "5150ed", "OD'd", "ODed", "OD'ing" (`search OD`
# missed every "he OD'd", `search 5150` every "we 5150'd him").
_PLURAL = re.compile(r"(\d+|[A-Z]{2,})['\u2019]?(?:s|d|ed|ing)")


_ACRONYM = re.compile(r"[A-Z]{2,}(?:['\u2019]?s)?")


def is_acronym(text: str) -> bool:
    """Whether a word as written is an acronym or its plural: "CSU", "CSUs", "ED's"."""
    return _ACRONYM.fullmatch(text) is not None


def word_lemma(text: str) -> str:
    """The lemma of one token or typed word, as written (case tells an acronym's plural). An abbreviation
    is its own lemma, its letters as written ("a.m." is "am", never a form of "be")."""
    if _undotted(text) is not None:
        return form(text)
    plural = _PLURAL.fullmatch(text)
    return form(plural.group(1)) if plural else lemma(form(text))


def joined_lemma(forms: list[str]) -> str:
    """The lemma of a word hyphenated across a line break ("stabil-", "ization"), or of a typed hyphenated
    word read as one ("co", "responder"): the whole word's when the table has it (stabilizations), else
    the last part's added to the others (co + responder, for co-responders)."""
    whole = "".join(forms)
    if whole in lemma_table() or whole in AS_WRITTEN:
        return lemma(whole)
    return "".join(forms[:-1]) + lemma(forms[-1])


# Units of time written short, read as the word after a number ("72 hr", "72-hr", "72hr" are "72 hour"),
# and the plurals everywhere ("a few hrs"): `72 hour` missed "72hr" and "72 hr". The singulars alone are
# also other words ("HR", a "min" wage): left as written there, and a typed one finds both by form.
UNITS = {
    **dict.fromkeys(("h", "hr", "hrs"), "hour"),
    **dict.fromkeys(("min", "mins"), "minute"),
    **dict.fromkeys(("sec", "secs"), "second"),
    **dict.fromkeys(("yr", "yrs"), "year"),
    **dict.fromkeys(("wk", "wks"), "week"),
    **dict.fromkeys(("mo", "mos", "mth", "mths"), "month"),
}
ALWAYS_UNITS = frozenset({"hrs", "mins", "secs", "yrs", "wks", "mths"})
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# A number and its unit written as one word ("72hr", "72hour", "1.5hrs", "24h", "3days"), which spaCy
# keeps whole (it splits "5kg", not these): indexed as two words, as "72 hr" is.
_UNIT_SPELLINGS = (
    "hours?|hrs?|h|minutes?|mins?|seconds?|secs?|years?|yrs?|weeks?|wks?|months?|mths?|mos?|days?"
)
_NUMBER_UNIT = re.compile(rf"(\d+(?:[.,]\d+)?)({_UNIT_SPELLINGS})", re.IGNORECASE)
# A typed wildcard on a number and a unit ("72h*", "72 h?"): the number, then the wildcard on the unit.
_NUMBER_UNIT_WILDCARD = re.compile(r"(\d+(?:[.,]\d+)?)([^\W\d_]*)[*?][\w*?]*")
_UNIT_WORDS = tuple(part.replace("?", "") for part in _UNIT_SPELLINGS.split("|"))  # each the longest


def number_unit(text: str, typed: bool = False) -> list[tuple[int, int]] | None:
    """The (start, end) of the number and of the unit of a token writing them as one ("72hr"), else None;
    `typed`: also a wildcard on the unit ("72h*"), the letters before it those of a unit."""
    if not text[:1].isdigit():
        return None
    m = _NUMBER_UNIT.fullmatch(text)
    if m is None and typed:
        m = _NUMBER_UNIT_WILDCARD.fullmatch(text)
        if m is not None and (
            not m.group(2) or not any(u.startswith(m.group(2).casefold()) for u in _UNIT_WORDS)
        ):
            return None
    return None if m is None else [(0, m.end(1)), (m.end(1), len(text))]


def unit_word(word_form: str, before: str | None) -> str | None:
    """The unit a short form is ("hr": "hour") after a number (`before`, the word before as written), or
    a plural anywhere; None for any other word."""
    unit = UNITS.get(word_form)
    if unit is None:
        return None
    if word_form in ALWAYS_UNITS or (before is not None and _NUMBER.fullmatch(before) is not None):
        return unit
    return None


def in_context(word_form: str) -> bool:
    """Whether a form's index entry depends on the word before it ("am", "hr")."""
    return word_form == "am" or (word_form in UNITS and word_form not in ALWAYS_UNITS)


def term(text: str, before: str | None = None) -> str:
    """The index entry of one token (`before`: the word token before it, as written)."""
    f = form(text)
    own = f if time_of_day(text, before) else unit_word(f, before) or word_lemma(text)
    return f"{own}{SEP}{f}"


def index_version() -> str:
    """Identifies how the index was made: rebuilt when it changes (a new lemma table, a new rule)."""
    return f"{VERSION}:{len(lemma_table())}"
