"""Words spaCy's English lemma lookup table (spacy-lookups-data) reads wrongly, read as speech means them.
Search (search.terms) and suggest (suggest.pipeline) both take their lemmas through these tables."""

from __future__ import annotations

import functools
import gzip
import importlib.util
import json
from pathlib import Path


@functools.lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """spaCy's English lemma lookup table (form -> lemma), read straight from its file (no spaCy import, and
    no spaCy Table, which re-keys its 41,582 entries one by one); empty when spacy-lookups-data is missing."""
    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or spec.origin is None:
        return {}
    path = Path(spec.origin).parent / "data" / "en_lemma_lookup.json.gz"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    except OSError:
        return {}


# Forms the table gives a lemma that is wrong for search, matched as written instead: "'s" is "is",
# "has" or a possessive and "'d" "would" or "had" (the table's "have" and "would" made `search has`
# list every "it's" and "officer's"); "as" is no form of "a" (the table's plural of the letter made
# "such as" find "such a"); a lone "d" or "m" is a clause letter, "(d)", not "had" or "am"; "number" is
# the noun (the table's "numb" made "number" and "numbers" miss each other, and "number" find "numbing").
AS_WRITTEN = frozenset({"'s", "'d", "as", "d", "m", "number"})

# Forms the table reads as a rarer word, read as the word speech means: "does" is "doe" (a deer) to the
# table, so `search does` found "Doe" and `search do` missed every "does"; "putting" is "putt" (golf),
# "dying" "dye"; and nouns the table makes forms of a rare verb: "matter" of "matt" (`search matt`, a
# name, found "it doesn't matter"), "evening" of "even", "feed" of "fee", "ceiling" of "ceil", "wedding"
# of "wed" (which `wed` typed, a Wednesday, found).
READINGS = {
    "does": "do",
    "putting": "put",
    "dying": "die",
    **{w: w for w in ("matter", "evening", "feed", "ceiling", "wedding")},
}

# For suggest, also the degrees of comparison: the table makes "well" "good", "better" and "best" "well"
# (so "good" in turn), "more" and "most" "much", "less" and "least" "little", "worse" and "worst"
# "wrong", so the keyword `better` matched every filler "well" and `need more of them` "need most of
# them". Each is read as itself.
DEGREES = frozenset({"well", "better", "best", "more", "most", "less", "least", "worse", "worst"})

# suggest's readings of a lower-cased form: the three tables above as one, but "'s", which a keyword
# means as "is" far more often than "has" or a possessive: `there's no bed` matches "there is no bed" and
# "there was no bed", and `until it's a crisis` "until it was a crisis" (the table's "have" matched
# "until it has a crisis" and missed both; search keeps it as written, where `has` listed every "it's").
# And two nouns the table reads as the past of a rarer verb, "wound" ("wind") and "ground" ("grind"): the
# keyword `gunshot wound` matched "wind" and missed "wounds" (search finds both readings: terms.own_lemma).
SUGGEST_READINGS = {
    **{w: w for w in AS_WRITTEN | DEGREES | {"wound", "ground"}},
    **READINGS,
    "'s": "be",
}
