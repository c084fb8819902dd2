"""Keyword and pattern rules compiled from a codebook, matched on spaCy docs and scored with evidence.

Score = 1 - prod(1 - w) over the distinct evidence spans of a code; a negated span counts less
(documented in docs/suggest.md). suggest_codes() is the pure entry point: segments in, suggestions out.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # json's own C string encoder
from typing import TYPE_CHECKING, Any

from ..defaults import DEFAULT_MIN_SCORE
from ..errors import SuggestError
from ..models import Codebook, Evidence, Segment, Suggestion
from ..store.suggestions import EVIDENCE_ITEM, evidence_item_json, evidence_tail_json
from ..textmatch import KEYWORD_SLOT
from .patterns import _lower_lemma_values, fixed_sequences, pattern_anchors, pattern_length, pattern_problem
from .pipeline import BATCH_SIZE, OFFSETS, Pipeline, _Words, _words, build_pipeline

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

# Score = 1 - prod(1 - w) over the distinct evidence spans of a code (documented in docs/suggest.md).
KEYWORD_WEIGHT = 0.6
PATTERN_WEIGHT = 0.7
NEGATED_FACTOR = 0.2  # a negated span counts for a fifth of its weight

# Negation: a cue at most NEGATION_WINDOW tokens before the match, with no clause break in between.
NEGATION_WINDOW = 6
NEGATION_CUES = frozenset(
    [
        "no",
        "not",
        "never",
        "n't",
        "n’t",
        "nt",
        "without",
        "nobody",
        "none",
        "nothing",
        "neither",
        "nor",
        "cannot",
        "noone",
        "nowhere",
    ]
)
CLAUSE_BREAKS = frozenset(
    [",", ";", ":", ".", "?", "!", "—", "–", "--", "but", "although", "though", "however", "whereas"]
)
# Clauses that Otter and Zoom transcripts join without a comma: "there was no bed so we took him to jail",
# "no one was there so jail was it". "so", "because" and "cause" start a clause, except right after a cue
# ("not so drunk", "not because he was drunk"); "and", "or" and "then" start one before a subject pronoun
# ("no beds and we went to jail"), not between two nouns ("no drugs and alcohol").
_CLAUSE_STARTS = ("so", "because", "cause", "'cause", "cuz")
_JOINS = ("and", "or", "then")
_PRONOUNS = ("i", "you", "he", "she", "we", "they")
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")
# An en or em dash written inside a word for its hyphen ("co–responder", "co—responder", as a typed "--"
# autocorrected, or a transcriber's habit). spaCy splits the word at it as at a hyphen, so a keyword with a
# hyphen gets these spellings as variants; the text is not changed, so a dash between two clauses ("no
# bed—jail") still ends a clause for negation.
_DASHES = ("–", "—")
_HYPHENATED = re.compile(r"[\-‐‑‒–—]")
# "No" answering a question, then a clause with its own subject: "No he went to jail", as Otter and Zoom
# transcripts write "No, he went to jail" (they drop the comma). After "no", a subject pronoun or a
# determiner cannot be what "no" quantifies ("no beds", "no one"), so there "no" ends a clause instead of
# negating one.
_ANSWER_NO = "no"
# Cues that deny a thing, not a predicate: "no bed", "nobody". A place phrase after that thing ("no bed at the
# CSU", "nobody at the jail would...") says where there was none; the place is not denied.
_QUANTIFIERS = ("no", "nobody", "none", "nothing", "noone")
_CLAUSE_SUBJECTS = (
    "i",
    "you",
    "he",
    "she",
    "we",
    "they",
    "it",
    "there",
    "the",
    "this",
    "that",
    "these",
    "those",
    "my",
    "our",
    "his",
    "her",
    "their",
    "your",
    "yeah",
    "yes",
    "sir",
    "ma'am",
)
# Words skipped after an answer "no" before its clause's subject ("No uh we took him", "No well the deputy
# took him"): a verbatim transcript's fillers and discourse words. Skipped, not taken as a subject, so "there
# was no uh bed" still negates "bed".
_AFTER_ANSWER = (
    "uh",
    "um",
    "er",
    "erm",
    "ah",
    "eh",
    "hm",
    "hmm",
    "mm",
    "oh",
    "well",
    "okay",
    "ok",
    "actually",
)
# A name as a redaction writes it: "[PERSON-1]" (wei-qual deid redact), "[NAME]"; not "[INAUDIBLE]".
_PLACEHOLDER = re.compile(r"[A-Z]+-\d+|NAME|PERSON|REDACTED")
# Negation denies a predicate, not the description of whom it applies to: in "they won't take anybody drunk"
# the taking is denied and "drunk" says who is refused, which is what a code about that policy is about. So a
# cue does not reach past an indefinite pronoun that a keyword describes: the keyword right after it
# ("anyone intoxicated") or in a phrase it starts with one of _DESCRIBES ("anyone with a warrant", "anybody
# that's been drinking", "anyone on a hold", but not "we don't put anyone on a hold", where "on a hold" is
# where they are put: _PLACING). "who", "whom", "whose" and "which" start a clause of their own ("they don't
# take anyone who's drunk", "I don't know who took him to jail"), and so do the words that start a
# condition or a time: the negation of "they won't take him" does not reach "if he's drunk" or "when he's
# drunk" (said of when they refuse), nor that of "we don't know" "whether he went to jail"; "not if he's
# drunk" is a refusal too.
_INDEFINITES = ("anybody", "anyone", "anything", "somebody", "someone", "something")
# A denied thing is a clause's subject, and a new subject after its verb starts a clause the cue does not
# reach: "No beds means the deputies drive him two hours", "nobody thought they would go to jail". A
# subject pronoun is one anywhere after that verb (not "you" or "it", which can be its object); a
# determiner only after a verb that takes a clause ("means the deputies"), since after another it starts
# the object ("no one took the guy to jail": the jail is denied). "There's no way they went to jail" stays
# negated: no verb comes between.
_NEW_SUBJECTS = ("i", "he", "she", "we", "they")
_CLAUSE_VERBS = (
    *("mean", "means", "meant", "say", "says", "said", "think", "thinks", "thought", "know", "knows", "knew"),
    *("guess", "guessed", "figure", "figured", "feel", "feels", "felt", "hear", "heard"),
)
_SUBJECT_DETERMINERS = ("the", "this", "that", "these", "those", "my", "our", "his", "her", "their", "your")
_SELF_QUANTIFIERS = ("nobody", "nothing", "noone")  # the thing is the cue itself: its verb comes next
_DESCRIBES = ("with", "under", "on", "that")
_PLACING = ("put", "place", "keep", "leave", "get")
# Where the refusal happens is not what it denies: in "they won't take anybody drunk at the CSU" the pronoun
# holds the verb's object, so a place phrase after it ("at", "in") says where (or of whom: "anyone in
# crisis"), and the CSU is not negated. The nearest preposition before the keyword tells the phrase it is in:
# in "we don't take anyone to the CSU" (or "anyone in crisis to jail") it is where they are taken, which is
# part of the taking: negated, as after a verb that says where someone is ("we don't keep anyone at the CSU",
# "we don't have anybody in jail": _SITUATING).
_LOCATIVES = ("at", "in", "inside", "outside", "near")
_SITUATING = (*_PLACING, "have", "hold")
_PREPOSITIONS = (
    *_LOCATIVES,
    *("to", "into", "onto", "on", "from", "for", "of", "by", "with", "under", "over", "through", "toward"),
    *("towards", "about", "around", "across", "behind", "past"),
)
# Every item of a list after a cue is denied: "we don't have a CSU, a detox, or anything". A comma is a list's
# when what follows it up to a conjunction is short items (at most LIST_ITEM_WORDS words each) without a
# pronoun or an auxiliary ("we didn't have a bed, jail and the ER were full" is two clauses), and the
# conjunction starts another item. A later item counts as the first for the window: the cue may be up to
# NEGATION_WINDOW tokens before the first comma of the list, and at most LIST_REACH tokens further back.
LIST_ITEM_WORDS = 4
LIST_REACH = 12
# ...and its conjunction at most LIST_AHEAD tokens after the item's start (three more items of 4 words)
LIST_AHEAD = 3 * (LIST_ITEM_WORDS + 1)
_LIST_ENDS = ("and", "or", "nor")
_NOT_IN_ITEM = (
    *("i", "you", "he", "she", "we", "they", "it", "me", "him", "her", "us", "them", "there"),
    *("is", "are", "was", "were", "be", "been", "am", "'s", "'re", "'m", "do", "does", "did", "have", "has"),
    *("had", "'ve", "will", "would", "'ll", "'d", "can", "could", "should", "may", "might", "must"),
)
_OWN_CLAUSE = (
    *("who", "whom", "whose", "which"),
    *("if", "whether", "unless", "when", "whenever", "while", "where", "until", "since"),
)
# A cue and the word after it that together deny nothing: they assert the clause ("not only did he go to
# jail", "no doubt he went to jail") or, with a negative word, say it happens ("it's not
# unusual for them to go to jail"). The cue is passed over; an earlier one may still negate. Pairs are the
# cue and the word after it, but for ("or", "not").
_NOT_DENYING = (
    *((cue, word) for cue in ("not", "n't", "nt") for word in ("only", "just", "merely", "simply")),
    *(
        (cue, word)
        for cue in ("not", "n't", "nt")
        for word in ("unusual", "uncommon", "unheard", "unlike", "rare")
    ),
    ("no", "doubt"),
    ("no", "wonder"),
    ("no", "matter"),
    # A cue inside a hyphenated word is part of it, not a word of the clause: "a no-refusal policy at the
    # CSU", "a not-for-profit hospital"
    *((cue, "-") for cue in ("no", "not")),
    # "whether or not he goes to jail": "or not" offers an alternative, it denies nothing (the pair is the
    # word before the cue and the cue)
    ("or", "not"),
)
# A comma or dash that only sets off a filler or a hedge ("he wasn't, uh, drunk", "we never really, you know,
# arrested anybody"), or that marks a false start repeated at once ("we didn't take him to the— to the jail",
# "we, we"), ends no clause: the speaker is still saying the same one.
_ASIDE_MARKS = (",", "—", "–", "--")
# Roles of words for the negation scan (Rules._roles)
_CUE, _MARK, _BREAK, _CLAUSE_START, _JOIN, _INDEFINITE, _PREPOSITION = range(7)
_ASIDES = (
    *(w for w in _AFTER_ANSWER if w not in ("okay", "ok")),
    "like",
    "basically",
    "honestly",
    "really",
    "you know",
    "i mean",
    "i guess",
    "i think",
    "sort of",
    "kind of",
)
FALSE_START_WORDS = 3  # the longest false start recognised: "he wasn't, he wasn't" (he, was, n't)
# An aside stays inside its clause only where the clause cannot end before it: after a negation cue, an
# auxiliary, a determiner or a preposition ("he wasn't, uh, drunk", "to the, um, jail"). After a word that can
# end a clause, the aside is between two ("we didn't have a bed, uh, jail was it").
_UNFINISHED = (
    *["a", "an", "the", "this", "that", "these", "those", "his", "her", "their", "our", "my", "your", "its"],
    *["any", "some", "to", "of", "in", "at", "on", "for", "with", "from", "into", "by", "about"],
    *["be", "is", "are", "was", "were", "been", "am", "do", "does", "did", "have", "has", "had"],
    *["can", "could", "will", "would", "should", "may", "might", "must", "really", "just", "ever", "even"],
)

# Counterfactuals: "if he hadn't been drunk they would have taken him" says he was drunk, and "he wouldn't
# have gone to jail if the unit had taken him" that he went to jail. In a clause (as negation has them) that
# holds a modal perfect ("would have", "could've", "wouldn't have": not "would have a bed" or "would have
# to") or "if" / "wish" / "unless" then a past perfect ("had been", "hadn't turned", "'d had"), from its
# "if" or its last relative word on, and in an "if" clause a comma joins to such a clause, a negation cue
# does not negate a match, and its evidence is marked counterfactual: said of what would or would not have
# happened, not of what did.
_MODALS = ("would", "could", "should", "'d")  # not "might have" / "must have": a guess, not a counterfactual
_HAVES = ("have", "'ve")
_HADS = ("had", "'d")
_CONDITIONS = ("if", "wish", "wished", "unless")
_NOTS = ("not", "n't", "never")
# After "have" or "had", words that make it "possess" or "must" rather than a perfect.
_NOT_PARTICIPLE = [
    "a",
    "an",
    "the",
    "any",
    "no",
    "some",
    "to",
    "more",
    "enough",
    "one",
    "two",
    "it",
    "its",
    "them",
    "him",
    "her",
    "that",
    "this",
    "those",
    "these",
    "their",
    "his",
    "our",
    "my",
    "your",
    "me",
    "us",
    "you",
    "somebody",
    "someone",
    "anyone",
    "anybody",
    "nobody",
    "nothing",
    "something",
    "anything",
]
_RELATIVES = ("that", "which", "who", "what", "where", "when")


_ACRONYM = re.compile(r"[A-Z]{2,6}")

# A keyword that opens with a negation ("no beds", "don't take", "won't take", "do not take", "not a detox",
# "never"): its words after the cue match where any cue of the clause negates them, as that keyword ("didn't
# have any beds", "never take"). Not a cue that is a word of its own ("nowhere to go" is no "didn't want to
# go", "nothing I can do" no "I can't do it").
_LEADING_CUE = re.compile(
    r"(?:no|not|never|cannot|\w+n['‘’]t"
    r"|(?:do|does|did|will|would|could|should|can|is|are|was|were|has|have|had|must) (?:not|never))"
    r"\s+(?=\S)",
    re.IGNORECASE,
)

# A verbatim transcript's fillers: a multi-word keyword matches across them ("the crisis, uh, stabilization
# unit"), with the commas that set them off. Looked for only where a filler is (an anchor of the matchers).
# Not "er": on LOWER it is also every "ER" of a crisis-call transcript, which made suggest 10% slower.
_BRIDGE_FILLERS = ("uh", "um", "uhm", "umm", "erm", "ah", "eh", "hm", "hmm", "mm")

# A slot in a keyword: "no ... beds" matches "no beds", "no adolescent beds" and "no open psych beds", with
# at most GAP_WORDS words (never punctuation, a clause break or a line end) where the "..." is.
GAP_WORDS = 2


# A keyword that starts with "=" matches as written (case aside, with its hyphen and spacing variants), not
# on lemma: the lemma table makes "housing" "house" and "staffing" "staff".
EXACT_MARK = "="


# Acronym keywords whose lower case is a filler or a common word ("ER" and the filler "er", "US" and "us",
# "OR" and "or", "ED" and the name "Ed") match only where the text writes them in capitals; the others ("CSU",
# "DV") in any case.
_FILLERS = frozenset(["er", "erm", "um", "uh", "ah", "eh", "hm", "hmm", "mm", "em", "oh", "ed"])


def _capitals_only(keyword: str) -> bool:
    if not _ACRONYM.fullmatch(keyword):
        return False
    from spacy.lang.en.stop_words import STOP_WORDS

    return keyword.lower() in _FILLERS or keyword.lower() in STOP_WORDS


def _in_capitals(word: str) -> bool:
    """ "ER", "ERs": capitals, with a plural's "s"; not "er" or "Er"."""
    return len(word) > 1 and word.removesuffix("s").isupper()


def keyword_parts(keyword: str) -> list[str]:
    """The phrases a keyword's slots separate: "no ... beds" -> ["no", "beds"]; one part when it has none.
    An empty part (a slot at either end, or two in a row) is an empty string: codebook validation refuses it."""
    return [part.strip() for part in KEYWORD_SLOT.split(keyword.strip())]


def keyword_variants(keyword: str) -> list[str]:
    """Spacing and hyphen variants: "co-responder" -> "co-responder", "co responder", "coresponder"; and
    an acronym's plural, which the lemma table does not know: "CSU" -> "CSU", "CSUs"."""
    keyword = keyword.strip()
    parts = [p for p in _SEPARATORS.split(keyword) if p]
    if len(parts) < 2:
        if _ACRONYM.fullmatch(keyword):
            # With full stops too, as a transcriber may write it: "E.R.", "C.S.U.s" (spaCy keeps them one
            # word, in capitals).
            dotted = "".join(f"{c}." for c in keyword)
            return [keyword, f"{keyword}s", dotted, f"{dotted}s"]
        return [keyword] if keyword else []
    variants = [keyword, " ".join(parts), "-".join(parts), "".join(parts)]
    if _HYPHENATED.search(keyword):
        # Broken after a hyphen: "co-⏎responder" (a hard line wrap; the line end is dropped) or "co-
        # responder" (caption cues joined): spaCy keeps the hyphen on the first word there ("co-").
        variants += ["-".join(parts[:i]) + "- " + "-".join(parts[i:]) for i in range(1, len(parts))]
        variants += [dash.join(parts) for dash in _DASHES]
    return list(dict.fromkeys(variants))


@dataclass(frozen=True)
class _PatternRule:
    """A pattern that needs spaCy's Matcher (see fixed_sequences for the others)."""

    matcher: Any  # a spaCy Matcher holding this one pattern
    anchors: list[tuple[int, frozenset[int]]]  # see pattern_anchors
    length: int | None  # see pattern_length


@dataclass(frozen=True)
class _Rule:
    code: str
    source: str  # "keyword:crisis unit", "pattern:CODE#0" or "exclude:crisis line number"
    weight: float
    exclude: bool = False  # an exclude keyword: its matches stop the code's matches they overlap
    capitals: bool = False  # an acronym that is also a filler or a common word: matched in capitals only
    # A keyword that holds a negation cue ("no beds", "don't take", "not a detox"): the negation is what it
    # looks for, so its match is never negated.
    says_no: bool = False
    # The words after a keyword's leading cue ("beds" of "no beds"): a match counts only where a cue negates
    # it ("we didn't have any beds"), and then as that keyword, its evidence from the cue (see _absences).
    absence: bool = False
    keyword_rule: int = 0  # for an absence rule: the match id of its keyword's rule
    # Of two rules of a code matching the same words, the lower order is named: a keyword as written, then
    # one on its lemma (or a pattern, or a slotted keyword), each in the codebook's order. (The matchers' own
    # order follows internal hashes, which an edit of another code moves.)
    order: int = 0


# The most phrases an anchor of a fixed sequence stands for (_index_sequence): one per choice of its words.
MAX_ANCHOR_PHRASES = 64

# Added to the order of a match not as written: on a keyword's lemma, a pattern's, or a slotted keyword's.
_NOT_AS_WRITTEN = 1 << 30


class Rules:
    """Keyword and pattern matchers compiled from one codebook for one pipeline."""

    def __init__(self, pipeline: Pipeline, codebook: Codebook):
        from spacy.matcher import Matcher, PhraseMatcher

        vocab = pipeline.nlp.vocab
        self.lower = PhraseMatcher(vocab, attr="LOWER")
        self.lemma = PhraseMatcher(vocab, attr="LEMMA")
        # spaCy's Matcher builds a Python Token for every token it passes and tries every pattern there,
        # which made suggest 3x slower on the study codebook. So simple patterns are checked on hash
        # lists (fixed_sequences), and the others get their own Matcher, run only around the words the
        # pattern needs (see _pattern_matches).
        self._pattern_rules: list[_PatternRule] = []
        # Fixed sequences, indexed by their anchor phrase (_index_sequence): (column, hashes) -> [(match id,
        # start offset, end offset, other checks)], offsets from the anchor's first token.
        self._sequences: dict[tuple[int, tuple[int, ...]], list[tuple[int, int, int, tuple]]] = {}
        self._anchor_words: tuple[set[tuple[int, ...]], ...] = (set(), set(), set())  # per column
        self._uses_orth = False  # ORTH hashes are only read when a sequence needs them
        self._rules: dict[int, _Rule] = {}
        self.codes: list[str] = []
        keywords: list[tuple[str, list[str], bool]] = []  # (rule key, variants, on lemma too)
        gapped: list[tuple[str, list[str], bool]] = []  # (rule key, phrases between the slots, on lemma too)
        for code in codebook.codes:
            # Every code with keywords or patterns gets suggestions, parent or leaf: the codebook's
            # author decides by giving it rules. Codes merged into another are retired.
            if code.merged_into or not (code.keywords or code.patterns):
                continue
            self.codes.append(code.id)
            # Exclude keywords are matched as keywords are; what they match keeps the code's own matches
            # there from counting (match()).
            listed = [(k, False) for k in code.keywords] + [(k, True) for k in code.exclude_keywords]
            for keyword, exclude in dict.fromkeys((k.strip(), x) for k, x in listed if k.strip()):
                capitals = _capitals_only(keyword.removeprefix(EXACT_MARK).strip())
                body = keyword.removeprefix(EXACT_MARK).strip()
                # "no beds", "don't take": the words after the cue get a rule of their own (_Rule.absence)
                lead = None if exclude else _LEADING_CUE.match(body)
                if exclude:
                    key = self._add_rule(_Rule(code.id, f"exclude:{keyword}", 0.0, True, capitals))
                else:
                    key = self._add_rule(
                        _Rule(code.id, f"keyword:{keyword}", KEYWORD_WEIGHT, False, capitals)
                    )
                # "=housing": as written only, not on its lemma, which is "house" (the call to a house).
                lemma = not keyword.startswith(EXACT_MARK)
                parts = keyword_parts(body)
                rest = keyword_parts(body[lead.end() :]) if lead else []
                # "beds" of "no beds", "take ... drunk" of "don't take ... drunk": matched as the keyword is,
                # counted where a cue negates it, as the keyword (after a match as written: "won't take" as
                # itself). Not "... beds" of "no ... beds": the slot after the cue is the author's limit.
                if rest and all(rest):
                    rule = self._rules[vocab.strings[key]]
                    said_so = vocab.strings.add(f"{key}:absence")
                    self._rules[said_so] = replace(rule, says_no=True, order=rule.order + _NOT_AS_WRITTEN)
                    absent = self._add_rule(replace(rule, absence=True, keyword_rule=said_so))
                    if len(rest) == 1:
                        keywords.append((absent, keyword_variants(rest[0]), lemma))
                    else:
                        gapped.append((absent, rest, lemma))
                if len(parts) == 1 and parts[0]:
                    keywords.append((key, keyword_variants(parts[0]), lemma))
                elif all(parts):
                    gapped.append((key, parts, lemma))
                elif not any(parts):
                    raise SuggestError(
                        f'Code "{code.id}", keyword "{keyword}": "=" keeps the words after it from matching '
                        "other forms of their lemma. Write the words after it, and load the codebook again "
                        'with "wei-qual codebook load FILE".'
                    )
                else:
                    raise SuggestError(
                        f'Code "{code.id}", keyword "{keyword}": "..." stands for up to {GAP_WORDS} words '
                        "between two phrases. Put words on both sides, and load the codebook again with "
                        '"wei-qual codebook load FILE".'
                    )
            for i, pattern in enumerate(code.patterns):
                key = self._add_rule(_Rule(code.id, f"pattern:{code.id}#{i}", PATTERN_WEIGHT), late=True)
                try:
                    if pattern_problem(pattern):  # spaCy would unroll the repeats, without end
                        raise ValueError(pattern)
                    checked = _lower_lemma_values(list(pattern))
                    matcher = Matcher(vocab, validate=True)
                    matcher.add(key, [checked])  # validates the pattern
                    sequences = fixed_sequences(checked, vocab.strings)
                    if sequences:
                        for seq in sequences:
                            self._index_sequence(vocab.strings[key], seq)
                    else:
                        anchors = pattern_anchors(checked, vocab.strings)
                        self._pattern_rules.append(_PatternRule(matcher, anchors, pattern_length(checked)))
                except (ValueError, TypeError, AttributeError) as ex:
                    raise SuggestError(
                        f'Code "{code.id}", pattern {i + 1}: not a valid spaCy Matcher pattern. Fix it in the '
                        'codebook and load it again with "wei-qual codebook load FILE".'
                    ) from ex
        # Lemmas of every keyword variant, from the same pipeline in one pass.
        docs = iter(pipeline.pipe(v for _, variants, _ in keywords for v in variants))
        # Multi-word keywords by their words (LOWER, LEMMA hashes), to match across a filler (_bridged_matches)
        self._bridged: tuple[dict[tuple[int, ...], list[int]], dict[tuple[int, ...], list[int]]] = ({}, {})
        for key, variants, lemma in keywords:
            variant_docs = [next(docs) for _ in variants]
            self._says_no(key, variant_docs[0])
            # The words after a cue ("beds" of "no beds") on their lemma alone, which finds every form the
            # lower case would: each is one more match of a word as common as "beds" (absence rules)
            as_written = not (lemma and self._rules[vocab.strings[key]].absence)
            if as_written:
                self.lower.add(key, variant_docs)
            on_lemma = self._on_lemma(key) if lemma else None
            if on_lemma:
                self.lemma.add(on_lemma, variant_docs)
            for doc in variant_docs:
                if len(doc) > 1:
                    words = _words(doc)
                    if as_written:
                        self._bridged[0].setdefault(tuple(words.lowers), []).append(vocab.strings[key])
                    if on_lemma:
                        self._bridged[1].setdefault(tuple(words.lemmas), []).append(vocab.strings[on_lemma])
        self._bridge_longest = max((len(k) for k in self._bridged[0]), default=0)
        # The words that may come right before a filler inside a keyword, and right after it, in either column
        self._bridge_ends = (
            frozenset(h for table in self._bridged for k in table for h in k[:-1]),
            frozenset(h for table in self._bridged for k in table for h in k[1:]),
        )
        # Keywords with slots: each phrase as (LOWER, LEMMA) hashes per word, matched on the hash lists.
        self._gapped: list[tuple[int, tuple[tuple[tuple[int, int], ...], ...]]] = []
        docs = iter(pipeline.pipe(p for _, parts, _ in gapped for p in parts))
        anchor_docs = []  # each keyword's longest phrase, which is found fewest times ("beds", not "no")
        self._gap_anchor: list[int] = []  # its index among the keyword's phrases
        for key, parts, lemma in gapped:
            phrases, docs_of = [], []
            for _ in parts:
                doc = next(docs)
                docs_of.append(doc)
                self._says_no(key, doc)
                words = _words(doc)
                # -1 is no hash: an exact keyword's words never match on lemma
                phrases.append(tuple(zip(words.lowers, words.lemmas if lemma else [-1] * len(words.lowers))))
            longest = max(range(len(parts)), key=lambda i: (len(parts[i]), -i))
            anchor_docs.append(docs_of[longest])
            self._gap_anchor.append(longest)
            self._gapped.append((vocab.strings[self._on_lemma(key)], tuple(phrases)))
        self._gap_word: dict[int, bool] = {}  # LOWER hash -> may stand in a slot
        # Anchors: phrases the PhraseMatchers find in the same pass as the keywords (in C), so that only the
        # docs holding them pay for more: a slotted keyword's longest phrase (match id -> its index in
        # _gapped), and a counterfactual's "would have", "if" or "had" (match id -> "perfect" / "if" / "had").
        from spacy.tokens import Doc as _Doc

        self._anchors: dict[int, int | str] = {}

        def anchor(matcher: Any, what: int | str, words: list[list[str]] | list[Any]) -> None:
            key = f"wei-qual:anchor:{len(self._anchors)}"
            self._anchors[vocab.strings.add(key)] = what
            matcher.add(key, [w if not isinstance(w, list) else _Doc(vocab, words=w) for w in words])

        for k, (_, parts, lemma) in enumerate(gapped):
            anchor(self.lemma if lemma else self.lower, k, [anchor_docs[k]])
        perfect = [[m, *n, h] for m in _MODALS for n in ([], ["not"], ["n't"], ["never"]) for h in _HAVES]
        anchor(self.lower, "perfect", perfect)
        anchor(self.lower, "if", [[w] for w in _CONDITIONS])
        anchor(self.lower, "had", [[w] for w in _HADS])
        if self._bridge_longest:
            anchor(self.lower, "filler", [[w] for w in _BRIDGE_FILLERS])
        # The phrases fixed sequences are filed under (_index_sequence), on lower case and lemma, found in
        # the same pass too (match id -> the column): a scan of every token for them cost more.
        self._word_anchors: dict[int, int] = {}
        for col, matcher in ((0, self.lower), (1, self.lemma)):
            if self._anchor_words[col]:
                key = vocab.strings.add(f"wei-qual:words:{col}")
                self._word_anchors[key] = col
                matcher.add(vocab.strings[key], [list(p) for p in sorted(self._anchor_words[col])])
        self._orth_anchors = frozenset(h for (h,) in self._anchor_words[2])  # looked for in each doc
        self._bridge = frozenset(vocab.strings.add(w) for w in (*_BRIDGE_FILLERS, ","))
        strings = vocab.strings
        self._cues = frozenset(strings.add(w) for w in NEGATION_CUES)
        self._breaks = frozenset(strings.add(w) for w in CLAUSE_BREAKS)
        self._answer_no = strings.add(_ANSWER_NO)
        self._quantifiers = frozenset(strings.add(w) for w in _QUANTIFIERS)
        self._clause_subjects = frozenset(strings.add(w) for w in _CLAUSE_SUBJECTS)
        self._quotes = frozenset(strings.add(w) for w in ('"', "'"))  # typographic ones are folded to these
        self._clause_starts = frozenset(strings.add(w) for w in _CLAUSE_STARTS)
        self._joins = frozenset(strings.add(w) for w in _JOINS)
        self._pronouns = frozenset(strings.add(w) for w in _PRONOUNS)
        self._after_answer = frozenset(strings.add(w) for w in _AFTER_ANSWER)
        self._indefinites = frozenset(strings.add(w) for w in _INDEFINITES)
        self._new_subjects = frozenset(strings.add(w) for w in _NEW_SUBJECTS)
        self._clause_verbs = frozenset(strings.add(w) for w in _CLAUSE_VERBS)
        self._subject_determiners = frozenset(strings.add(w) for w in _SUBJECT_DETERMINERS)
        self._self_quantifiers = frozenset(strings.add(w) for w in _SELF_QUANTIFIERS)
        self._describes = frozenset(strings.add(w) for w in _DESCRIBES)
        self._placing = frozenset(strings.add(w) for w in _PLACING)
        self._on = strings.add("on")
        self._locatives = frozenset(strings.add(w) for w in _LOCATIVES)
        self._situating = frozenset(strings.add(w) for w in _SITUATING)
        self._comma = strings.add(",")
        self._list_ends = frozenset(strings.add(w) for w in _LIST_ENDS)
        self._not_in_item = frozenset(strings.add(w) for w in _NOT_IN_ITEM)
        self._open_bracket = strings.add("[")
        self._own_clause = frozenset(strings.add(w) for w in _OWN_CLAUSE)
        self._aside_marks = frozenset(strings.add(w) for w in _ASIDE_MARKS)
        self._question_mark = strings.add("?")
        self._not_denying = frozenset((strings.add(c), strings.add(w)) for c, w in _NOT_DENYING)
        self._answer_nos = frozenset(strings.add(w) for w in ("no", "nope", "nah"))
        # Each aside as its tuple of LOWER hashes, as spaCy splits it ("you know" -> you, know)
        self._asides = frozenset(tuple(strings.add(w) for w in a.split()) for a in _ASIDES)
        self._aside_lengths = sorted({len(a) for a in self._asides})
        self._unfinished = frozenset(strings.add(w) for w in _UNFINISHED) | self._cues
        # What each word does for negation, in one lookup per word scanned (the later kinds win a tie: "," is
        # a mark, which is a break unless it sets off an aside)
        self._roles: dict[int, int] = {}
        for role, group in (
            (_PREPOSITION, frozenset(strings.add(w) for w in _PREPOSITIONS)),
            (_INDEFINITE, self._indefinites),
            (_JOIN, self._joins),
            (_CLAUSE_START, self._clause_starts),
            (_BREAK, self._breaks | self._own_clause),
            (_MARK, self._aside_marks),
            (_CUE, self._cues),
        ):
            self._roles.update(dict.fromkeys(group, role))

        def hashes(words: Iterable[str]) -> frozenset[int]:
            return frozenset(strings.add(w) for w in words)

        self._modals, self._haves, self._hads = hashes(_MODALS), hashes(_HAVES), hashes(_HADS)
        self._conditions, self._nots = hashes(_CONDITIONS), hashes(_NOTS)
        self._not_participle = hashes(_NOT_PARTICIPLE)
        self._relatives = hashes(_RELATIVES)
        self._counterfactual_cues = self._modals | self._conditions
        # Each source's evidence_tail_json when its match is neither negated nor counterfactual (most)
        self._tails = {r.source: evidence_tail_json(r.source, False) for r in self._rules.values()}
        self._scores: dict[float, float] = {}  # 1 - prod(1 - w) -> the score, rounded (match())

    def _index_sequence(self, match_id: int, seq: tuple) -> None:
        """File a fixed sequence under its anchor, a phrase the PhraseMatchers find: its longest run of
        tokens that are each a list of words on lower case (or each on lemma), of at most
        MAX_ANCHOR_PHRASES phrases ("and a half" of "and a half hour", "same people"), which is found far
        fewer times than any of its words; else its rarest-looking word, the token whose shortest allowed
        word is longest ("knife" rather than "the"), so it is checked at few positions."""
        strings = self.lower.vocab.strings

        def rarity(j: int) -> int:
            return min(len(strings[h]) for h in seq[j][0][1]) if seq[j] else -1

        def column(j: int) -> int | None:
            """The column of a token with one constraint, on lower case or lemma; else None."""
            return seq[j][0][0] if len(seq[j]) == 1 and seq[j][0][0] in (0, 1) else None

        runs = [
            (a, b)
            for a in range(len(seq))
            for b in range(a + 2, len(seq) + 1)
            if column(a) is not None
            and all(column(j) == column(a) for j in range(a, b))
            and math.prod(len(seq[j][0][1]) for j in range(a, b)) <= MAX_ANCHOR_PHRASES
        ]
        if runs:
            a, b = max(runs, key=lambda r: (r[1] - r[0], min(rarity(j) for j in range(*r)), r[0]))
            col = seq[a][0][0]
            phrases = list(itertools.product(*(sorted(seq[j][0][1]) for j in range(a, b))))
        else:
            a = max(range(len(seq)), key=lambda j: (rarity(j), j))
            b = a + 1
            col, hashes = seq[a][0]
            phrases = [(h,) for h in sorted(hashes)]
        # The other constraints, as (offset from the anchor's first token, column, allowed hashes).
        checks = tuple(
            (j - a, c, allowed)
            for j, step in enumerate(seq)
            for i, (c, allowed) in enumerate(step)
            if not (a <= j < b and i == 0)
        )
        self._uses_orth = self._uses_orth or any(c == 2 for c, _ in (s for step in seq for s in step))
        for phrase in phrases:
            self._sequences.setdefault((col, phrase), []).append((match_id, -a, len(seq) - a, checks))
            self._anchor_words[col].add(phrase)

    def _add_rule(self, rule: _Rule, *, late: bool = False) -> str:
        key = f"wei-qual:{len(self._rules)}"
        order = len(self._rules) + (_NOT_AS_WRITTEN if late else 0)
        self._rules[self.lower.vocab.strings.add(key)] = replace(rule, order=order)
        return key

    def _says_no(self, key: str, doc: Doc) -> None:
        """Mark the rule of a keyword that holds a negation cue ("no beds", "don't take") as never negated."""
        strings = self.lower.vocab.strings
        rule = self._rules[strings[key]]
        if not rule.absence and not rule.says_no and any(t.lower_ in NEGATION_CUES for t in doc):
            self._rules[strings[key]] = replace(rule, says_no=True)

    def _on_lemma(self, key: str) -> str:
        """The key of the same rule matched on its lemma, which ranks after every match as written."""
        strings = self.lower.vocab.strings
        rule = self._rules[strings[key]]
        lemma_key = f"{key}:lemma"
        self._rules[strings.add(lemma_key)] = replace(rule, order=rule.order + _NOT_AS_WRITTEN)
        return lemma_key

    def _pattern_matches(
        self, doc: Doc, words: _Words, at: list[tuple[int, int, int]] | None = None
    ) -> list[tuple[int, int, int]]:
        """Pattern matches as (match id, start, end), looking only where a pattern's words are.

        Fixed sequences are checked where their anchor is: `at`, the (column, start, end) of the anchor
        phrases on lower case and lemma, as match() found them with the PhraseMatchers (found here when
        None); anchor words on ORTH are looked for here. Matcher rules run only when the doc holds all their
        anchors, and only around their last anchor's words. Every match contains those words, so no
        match is lost.
        """
        found: list[tuple[int, int, int]] = []
        n = len(doc)
        # ORTH hashes only when a pattern needs them.
        orths = _orths(doc) if self._uses_orth or self._pattern_rules else []
        columns = (words.lowers, words.lemmas, orths)
        if at is None:
            at = self._word_anchors_in(self.lower(doc) + self.lemma(doc))
        wanted = self._orth_anchors
        if wanted and not wanted.isdisjoint(orths):
            at = [*at, *((2, i, i + 1) for i, h in enumerate(orths) if h in wanted)]
        for col, i, j in at:
            for match_id, before, after, checks in self._sequences[(col, tuple(columns[col][i:j]))]:
                start, end = i + before, i + after
                if start < 0 or end > n:
                    continue
                for offset, c, allowed in checks:
                    if columns[c][i + offset] not in allowed:
                        break
                else:
                    found.append((match_id, start, end))
        for rule in self._pattern_rules:
            if not all(
                not hashes.isdisjoint(words.present(col, columns[col])) for col, hashes in rule.anchors
            ):
                continue
            if rule.length is None or not rule.anchors:
                found += rule.matcher(doc)
                continue
            col, hashes = rule.anchors[-1]
            windows: list[tuple[int, int]] = []
            column = columns[col]
            for i in sorted(_positions(column, hashes & words.present(col, column))):
                start, end = max(0, i - rule.length + 1), min(n, i + rule.length)
                if windows and start <= windows[-1][1]:
                    windows[-1] = (windows[-1][0], end)
                else:
                    windows.append((start, end))
            for start, end in windows:
                found += [(m, s + start, e + start) for m, s, e in rule.matcher(doc[start:end])]
        return found

    def _word_anchors_in(self, found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """(column, start, end) of the sequences' anchor phrases among the PhraseMatchers' matches."""
        return [(self._word_anchors[m], start, end) for m, start, end in found if m in self._word_anchors]

    def _bridged_matches(self, words: _Words, fillers: list[int]) -> list[tuple[int, int, int]]:
        """Matches of multi-word keywords across fillers as (match id, start, end): "crisis, uh, stabilization
        unit", "crisis um stabilization unit". Each run of fillers (and the commas around them) at `fillers`
        may stand between two words of a keyword; the keyword's words are looked up on both sides."""
        lowers, lemmas, bridge = words.lowers, words.lemmas, self._bridge
        columns, (before_ok, after_ok) = (lowers, lemmas), self._bridge_ends
        n, longest = len(lowers), self._bridge_longest
        runs = set()
        for f in fillers:
            a, b = f, f + 1
            while a > 0 and lowers[a - 1] in bridge:
                a -= 1
            while b < n and lowers[b] in bridge:
                b += 1
            # "Um, the deputies": most fillers stand where no keyword's words are on both sides
            if (
                a
                and b < n
                and (lowers[a - 1] in before_ok or lemmas[a - 1] in before_ok)
                and (lowers[b] in after_ok or lemmas[b] in after_ok)
            ):
                runs.add((a, b))
        found: list[tuple[int, int, int]] = []
        for a, b in sorted(runs):
            for size in range(2, longest + 1):
                for before in range(1, size):
                    i, j = a - before, b + size - before
                    if i < 0 or j > n:
                        continue
                    for column, table in zip(columns, self._bridged):
                        ids = table.get((*column[i:a], *column[b:j]))
                        if ids:
                            found += [(m, i, j) for m in ids]
        return found

    def _gapped_matches(self, words: _Words, starts: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
        """Matches of keywords with slots as (match id, start, end), from (keyword index in _gapped, where
        its anchor phrase was found): each phrase word by word on lower case or lemma, with 0 to GAP_WORDS
        words in each slot, the fewest that match on each side of the anchor."""
        found: list[tuple[int, int, int]] = []
        lowers, lemmas = words.lowers, words.lemmas
        n = len(lowers)
        gap_word = self._gap_word

        def word_ok(i: int, word: tuple[int, int]) -> bool:
            return lowers[i] == word[0] or lemmas[i] == word[1]

        def fits_in_slot(i: int) -> bool:
            ok = gap_word.get(lowers[i])
            if ok is None:
                text = self.lower.vocab.strings[lowers[i]]
                ok = gap_word[lowers[i]] = (
                    any(c.isalnum() for c in text) and text not in CLAUSE_BREAKS and "\n" not in text
                )
            return ok

        def phrase_end(phrases, k: int, i: int) -> int | None:
            """Where phrases[k:] matched from token i end, or None."""
            phrase = phrases[k]
            if i + len(phrase) > n or not all(word_ok(i + j, w) for j, w in enumerate(phrase)):
                return None
            end = i + len(phrase)
            if k == len(phrases) - 1:
                return end
            for gap in range(GAP_WORDS + 1):
                if gap and (end + gap - 1 >= n or not fits_in_slot(end + gap - 1)):
                    return None
                last = phrase_end(phrases, k + 1, end + gap)
                if last is not None:
                    return last
            return None

        def phrase_start(phrases, k: int, j: int) -> int | None:
            """Where phrases[:k] matched to end before a slot before token j start, or None."""
            for gap in range(GAP_WORDS + 1):
                if gap and (j - gap < 0 or not fits_in_slot(j - gap)):
                    return None
                phrase = phrases[k - 1]
                i = j - gap - len(phrase)
                if i >= 0 and all(word_ok(i + m, w) for m, w in enumerate(phrase)):
                    first = i if k == 1 else phrase_start(phrases, k - 1, i)
                    if first is not None:
                        return first
            return None

        for k, i in starts:
            match_id, phrases = self._gapped[k]
            a = self._gap_anchor[k]
            end = phrase_end(phrases, a, i)
            start = i if a == 0 or end is None else phrase_start(phrases, a, i)
            if end is not None and start is not None:
                found.append((match_id, start, end))
        return found

    def match(
        self, doc: Doc, text: str | None = None, *, encode: bool = False
    ) -> list[tuple[str, float, list[dict] | str]]:
        """(code, score, evidence) for every code with at least one match in the doc.

        Evidence items are dicts with Evidence's fields, as stored (building thousands of frozen
        dataclasses, then dicts, showed up in the bench); with `encode`, the evidence is the JSON text
        store.suggestions.evidence_json would make of them, made without the dicts. `text` is doc.text, if
        the caller has it.
        """
        words = _words(doc)
        # An empty Matcher warns (W036) on every call, so call only those that hold rules.
        found = self.lower(doc) + self.lemma(doc) if len(self.lower) else []
        # Patterns are matched after the keywords, at the words the PhraseMatchers found for them; those
        # spaCy's Matcher runs, or anchored on ORTH, may match in a doc where the PhraseMatchers found nothing.
        looked_for = bool(self._pattern_rules or self._orth_anchors)
        if not found and not looked_for:
            return []
        # A doc that lost its whitespace tokens or was composed (Pipeline.pipe) knows where its tokens are.
        original, starts, ends = doc.user_data.get(OFFSETS, (None, None, None))
        if text is None:
            text = doc.text if original is None else original
        rules, anchors, cues, lowers = self._rules, self._anchors, self._cues, words.lowers
        by_code: dict[str, dict[tuple[int, int], _Rule]] = {}
        excluded: dict[str, dict[tuple[int, int], _Rule]] = {}  # code -> what its exclude keywords matched
        gap_starts: list[tuple[int, int]] = []
        absent: list[tuple[int, int, _Rule]] = []  # matches of absence rules (_Rule.absence)
        said: set[str] = set()  # the counterfactual anchors found
        fillers: list[int] = []  # where the fillers are ("uh", "um")
        at: list[tuple[int, int, int]] = []  # (column, start, end) of the sequences' anchor phrases
        word_anchors = self._word_anchors
        for match_id, start, end in found:
            rule = rules.get(match_id)
            if rule is None:  # an anchor
                col = word_anchors.get(match_id)
                if col is not None:
                    at.append((col, start, end))
                    continue
                what = anchors[match_id]
                if isinstance(what, int):
                    gap_starts.append((what, start))
                elif what == "filler":
                    fillers.append(start)
                else:
                    said.add(what)
                continue
            if rule.capitals and not _in_capitals(doc[start].text):  # "er" is a filler, "ER" the ward
                continue
            if rule.absence:
                if not cues.isdisjoint(
                    lowers[start - NEGATION_WINDOW if start > NEGATION_WINDOW else 0 : start]
                ):
                    absent.append((start, end, rule))  # else not negated: most of them ("the beds")
                continue
            table = excluded if rule.exclude else by_code
            spans = table.get(rule.code)
            if spans is None:
                table[rule.code] = {(start, end): rule}
            else:
                held = spans.get((start, end))
                if held is None or rule.order < held.order:  # see _Rule.order
                    spans[(start, end)] = rule
        gapped = self._gapped_matches(words, sorted(gap_starts)) if gap_starts else []
        bridged = self._bridged_matches(words, fillers) if fillers else []
        patterned = self._pattern_matches(doc, words, at) if at or looked_for else []
        for match_id, start, end in (*patterned, *gapped, *bridged):
            rule = rules[match_id]
            if rule.capitals and not _in_capitals(doc[start].text):
                continue
            if rule.absence:
                absent.append((start, end, rule))
                continue
            spans = (excluded if rule.exclude else by_code).setdefault(rule.code, {})
            held = spans.get((start, end))
            if held is None or rule.order < held.order:
                spans[(start, end)] = rule
        for start, end, rule in absent:
            # "we didn't have any beds" for the keyword "no beds": the keyword, its evidence from the cue
            cue = self._absence_cue(doc, words, start)
            if cue is not None:
                keyword = rules[rule.keyword_rule]
                spans = by_code.setdefault(rule.code, {})
                held = spans.get((cue, end))
                if held is None or keyword.order < held.order:
                    spans[(cue, end)] = keyword
        cut_by: dict[str, list[tuple[tuple[int, int], _Rule]]] = {}  # code -> the exclusions that cut
        for code, cuts in excluded.items():
            # "jail cell phone" for the keyword "jail": a match an exclude keyword's match overlaps does
            # not count. When other matches make the suggestion, the exclusion is in its evidence.
            spans = by_code.get(code)
            if not spans:
                continue
            used = []
            for (a, b), rule in cuts.items():
                hit = [k for k in spans if k[0] < b and a < k[1]]
                if hit:
                    used.append(((a, b), rule))
                    for k in hit:
                        del spans[k]
            if not spans:
                del by_code[code]
            elif used:
                cut_by[code] = used
        if not by_code:
            return []
        results = []
        lowers, cues, comma, list_ends = words.lowers, self._cues, self._comma, self._list_ends
        tails, scores = self._tails, self._scores
        counterfactual: list[tuple[int, int]] | None = None  # computed for the first match that needs it
        # Only a doc with "would have"..., or "if"... and "had" / "'d", can hold one (anchors found).
        hypothetical = "perfect" in said or ("if" in said and "had" in said)
        asked = "?" in text  # a question the speaker answers "no" at once (_answered_no)
        answered: list[tuple[int, int]] | None = None
        for code in sorted(by_code):
            spans = by_code[code]
            items = spans.items() if len(spans) == 1 else _longest_spans(sorted(spans.items()))
            evidence, miss = [], 1.0
            if code in cut_by:
                items = sorted([*items, *cut_by[code]], key=lambda item: item[0])
            for (start, end), rule in items:
                if rule.exclude:
                    first, last = _char_span(doc, starts, ends, start, end)
                    if encode:
                        evidence.append(
                            evidence_item_json(
                                first, last, text[first:last], rule.source, False, excluded=True
                            )
                        )
                        continue
                    evidence.append(
                        {
                            "start": first,
                            "end": last,
                            "text": text[first:last],
                            "source": rule.source,
                            "negated": False,
                            "counterfactual": False,
                            "excluded": True,
                        }
                    )
                    continue
                cue = -1  # the token of the cue that negates the match
                if rule.says_no:
                    negated = False  # "no beds", "don't take": the keyword holds the negation it looks for
                else:
                    # Negated: a cue within NEGATION_WINDOW tokens before the match, in the same clause.
                    stop = start - NEGATION_WINDOW if start > NEGATION_WINDOW else 0
                    # usually no cue at all: checked in C; a list's later items look further back
                    window = lowers[stop:start]
                    if not cues.isdisjoint(window) or (
                        comma in window
                        and not cues.isdisjoint(lowers[max(0, stop - LIST_REACH) : stop])
                        and not list_ends.isdisjoint(lowers[stop : start + LIST_AHEAD])
                    ):
                        cue = self._cue_at(doc, words, start, stop)
                    if asked and cue < 0:
                        if answered is None:
                            answered = self._answered_no(lowers)
                        cue = next((q for a, b, q in answered if a <= start < b), -1)
                    negated = cue >= 0
                said_counterfactually = False
                if hypothetical:
                    if counterfactual is None:
                        counterfactual = _counterfactual_spans(
                            self, lowers, words.lemmas, words.present(0, lowers)
                        )
                    said_counterfactually = any(a <= start < b for a, b in counterfactual)
                    if said_counterfactually:
                        negated = False  # "if he hadn't been drunk": he was
                miss *= 1.0 - rule.weight * (NEGATED_FACTOR if negated else 1.0)
                if starts is None:
                    token = doc[start]
                    first = token.idx
                    if end - start > 1:
                        token = doc[end - 1]
                    last = token.idx + len(token)
                else:
                    first, last = starts[start], ends[end - 1]
                if encode:
                    if negated or said_counterfactually:
                        cue_text = _cue_text(doc, starts, ends, text, cue) if negated else None
                        tail = evidence_tail_json(rule.source, negated, cue_text, said_counterfactually)
                    else:
                        tail = tails[rule.source]
                    # evidence_item_json, with the tail made once per rule
                    evidence.append(EVIDENCE_ITEM % (first, last, encode_basestring(text[first:last]), tail))
                    continue
                item = {
                    "start": first,
                    "end": last,
                    "text": text[first:last],
                    "source": rule.source,
                    "negated": negated,
                    "counterfactual": said_counterfactually,
                }
                if negated:  # the cue only where there is one (Evidence.cue defaults to None)
                    item["cue"] = _cue_text(doc, starts, ends, text, cue)
                evidence.append(item)
            score = scores.get(miss)
            if score is None:  # a few products of the weights recur: rounded once each (round() is slow)
                score = scores[miss] = round(1.0 - miss, 4)
            results.append((code, score, f"[{', '.join(evidence)}]" if encode else evidence))
        return results

    def _cue_at(self, doc: Doc, words: _Words, start: int, stop: int) -> int:
        """The token of the cue between token `stop` and the match at token `start` that negates it, in its
        clause, or -1 when it is not negated."""
        lowers, roles = words.lowers, self._roles
        reach = stop - LIST_REACH if stop > LIST_REACH else 0
        preposition = None  # the nearest one before the match: the phrase the match is in
        placed = start  # where that preposition is
        i = start - 1
        while i >= stop:
            h = lowers[i]
            role = roles.get(h)
            if role is None:  # most words
                i -= 1
                continue
            if role == _PREPOSITION:
                if preposition is None:
                    preposition, placed = h, i
                i -= 1
                continue
            if role == _CUE:
                if (i + 1 < start and (h, lowers[i + 1]) in self._not_denying) or (
                    i and (lowers[i - 1], h) in self._not_denying
                ):
                    i -= 1  # "not only did he go to jail", "whether or not he goes to jail"
                    continue
                if (
                    h in self._quantifiers
                    and preposition in self._locatives
                    and placed > i + (h == self._answer_no)
                ):
                    # "There was no bed at the CSU": "no" denies the bed, and "at the CSU" says where there
                    # was none, not that there is no CSU ("nobody at the CSU would take him")
                    return -1
                if h in self._quantifiers and self._new_clause(lowers, i, start):
                    return -1  # "No beds means the deputies drive him": the driving is not denied
                # "No he went to jail": an answer, then a clause of its own; and the word "no" quoted ('I
                # said "no" they took him'), its quote closing on it
                return i if h != self._answer_no or not self._answers(doc, lowers, i, start) else -1
            if role == _MARK:
                skip = self._aside(lowers, i, start)
                if skip is not None:
                    i = skip
                    continue
                if h == self._comma and self._in_list(lowers, i):
                    # "we don't have a CSU, a detox, or anything": the window counts from the list's start
                    stop = max(reach, i - NEGATION_WINDOW)
                    preposition = None
                    i -= 1
                    continue
                return -1
            if role == _BREAK:
                return -1
            if role == _CLAUSE_START:
                if i == 0 or lowers[i - 1] not in self._cues:
                    return -1  # "no bed so we took him to jail"
            elif role == _JOIN:
                if lowers[i + 1] in self._pronouns:
                    return -1  # "no beds and we went to jail"
            elif (
                i + 1 == start  # an indefinite pronoun
                or (
                    lowers[i + 1] in self._describes
                    and not (lowers[i + 1] == self._on and i and words.lemmas[i - 1] in self._placing)
                )
                or (preposition in self._locatives and not (i and words.lemmas[i - 1] in self._situating))
            ):
                # "they won't take anybody drunk": the taking is denied, not "drunk"; nor the CSU in "...
                # anybody drunk at the CSU"
                return -1
            i -= 1
        return -1

    def _absence_cue(self, doc: Doc, words: _Words, start: int) -> int | None:
        """For a match of an absence rule (_Rule.absence) at token `start`: the token where its evidence
        starts, the cue that negates it ("did" of "didn't have any beds"), or None when no cue does or when
        a preposition or a subject pronoun comes between the cue and the match ("we don't go out to
        people in crisis" is no "not in crisis")."""
        roles, lowers = self._roles, words.lowers
        stop = start - NEGATION_WINDOW if start > NEGATION_WINDOW else 0
        if self._cues.isdisjoint(lowers[stop:start]):
            return None  # most of them ("beds" with no cue before it): checked in C
        cue = self._cue_at(doc, words, start, stop)
        if cue < 0:
            return None
        pronouns = self._pronouns
        if any(roles.get(lowers[k]) == _PREPOSITION or lowers[k] in pronouns for k in range(cue + 1, start)):
            return None  # "I'm not sure they take drunks" is no "don't take"
        _, starts, ends = doc.user_data.get(OFFSETS, (None, None, None))
        if cue and _glued(doc, starts, ends, cue - 1) and doc[cue - 1].text.isalpha():
            cue -= 1  # "did" + "n't", "can" + "not": the whole word
        return cue

    def _in_list(self, lowers: list[int], i: int) -> bool:
        """Whether the comma at token i parts items of a list ("a CSU, a detox, or anything"): after it, short
        items without a pronoun or an auxiliary, parted by commas, up to "and", "or" or "nor" and one more."""
        roles, n = self._roles, len(lowers)
        j = i + 1
        while j >= n or lowers[j] not in self._list_ends:  # not ", or a hospital", the list's last comma
            words = 0
            while j < n and lowers[j] != self._comma and lowers[j] not in self._list_ends:
                h = lowers[j]
                if h in self._not_in_item or roles.get(h) in (_BREAK, _MARK, _CLAUSE_START):
                    return False  # "we didn't have a bed, jail was it"
                words += 1
                if words > LIST_ITEM_WORDS:
                    return False
                j += 1
            if not words or j >= n:
                return False
            if lowers[j] == self._comma:
                j += 1  # another item, or the last after a conjunction
                continue
            break
        # "..., or anything", "... or a shelter": the last item, if it is one
        j += 1
        for k in range(j, min(n, j + LIST_ITEM_WORDS)):
            h = lowers[k]
            if roles.get(h) in (_BREAK, _MARK, _CLAUSE_START) or h in self._list_ends:
                return k > j
            if h in self._not_in_item:
                return False  # "no beds, and we went to jail", "..., jail and the ER were full"
        return j < n

    def _answered_no(self, lowers: list[int]) -> list[tuple[int, int, int]]:
        """The (start, end, answer) token spans of the questions in a turn that the speaker answers "no" at once:
        "Jail? No. We took him to the ER." (a participant echoing the interviewer's question), "Was he
        drunk? Nope." The question's clause, from the last clause break before its "?", denies what it asks."""
        strings = self.lower.vocab.strings
        found = []
        for p in _positions(lowers, (self._question_mark,)):
            q = p + 1
            while q < len(lowers) and strings[lowers[q]].isspace():
                q += 1  # "Jail?⏎⏎No."
            if q < len(lowers) and lowers[q] in self._answer_nos:
                a = p - 1
                while a >= 0 and lowers[a] not in self._breaks:
                    a -= 1
                found.append((a + 1, p, q))
        return found

    def _aside(self, lowers: list[int], i: int, start: int) -> int | None:
        """Where to go on scanning back from the comma or dash at token i, when it ends no clause: before
        the aside it closes (", uh ,", ", you know ,"), or before itself when the words after it repeat those
        before it (a false start: "to the— to the", before its first copy). None when it is a clause break."""
        for n in self._aside_lengths:
            k = i - n - 1
            if (
                k > 0
                and lowers[k] in self._aside_marks
                and tuple(lowers[k + 1 : i]) in self._asides
                and lowers[k - 1] in self._unfinished
            ):
                return k - 1
        for n in range(1, FALSE_START_WORDS + 1):
            if i + n >= start or i - n < 0:
                break
            if lowers[i + 1 : i + 1 + n] == lowers[i - n : i]:
                return i - n - 1  # the words given up count no more than the mark
        return None

    def _new_clause(self, lowers: list[int], i: int, start: int) -> bool:
        """Whether a new subject comes between the quantifier cue at token i and the match at `start`,
        after the denied thing and its verb (see _NEW_SUBJECTS)."""
        first = i + (2 if lowers[i] in self._self_quantifiers else 3)  # "nobody VERB he", "no beds VERB he"
        for k in range(first, start):
            h = lowers[k]
            if h in self._new_subjects or (
                h in self._subject_determiners and lowers[k - 1] in self._clause_verbs
            ):
                return True
        return False

    def _answers(self, doc: Doc, lowers: list[int], i: int, start: int) -> bool:
        """Whether the "no" at token i answers (ends a clause) rather than negates the match at `start`."""
        _, starts, ends = doc.user_data.get(OFFSETS, (None, None, None))
        j = i + 1
        if lowers[j] in self._quotes and _glued(doc, starts, ends, i):
            return True  # 'I said "no" they took him'
        while j < start and (lowers[j] in self._after_answer or lowers[j] in self._aside_marks):
            j += 1  # "No uh we took him", "No, uh, we took him"
        if lowers[j] in self._clause_subjects:
            return True
        # "No John took him", "No [PERSON-1] took him": a name (as redaction writes one, too) cannot be what
        # "no" quantifies, when the "no" opens its clause; "No Crisis Unit..." is the match itself: negated.
        if j >= start or not (i == 0 or lowers[i - 1] in self._breaks or lowers[i - 1] in self._after_answer):
            return False
        word = doc[j].text
        if lowers[j] == self._open_bracket and j + 1 < start:
            return _PLACEHOLDER.fullmatch(doc[j + 1].text) is not None
        return word.istitle() and word.isalpha()


def _counterfactual_spans(
    rules: Rules, lowers: list[int], lemmas: list[int], present: frozenset[int]
) -> list[tuple[int, int]]:
    """The (start, end) token spans said counterfactually: in a clause (as negation has them), from its
    marker's "if" or relative word ("a waste of money | that should've gone...") to the clause's end; and
    an "if" clause a comma joins to such a clause ("if he wasn't drunk, they would have taken him")."""
    cuts = sorted(_positions(lowers, rules._breaks & present))
    clauses = list(zip([0, *(c + 1 for c in cuts)], [*cuts, len(lowers)]))
    strings = rules.lower.vocab.strings
    comma, would_d = strings[","], strings["'d"]
    scopes: list[int | None] = []  # per clause: where its counterfactual span starts, or None
    ifs: list[int | None] = []  # per clause: where its "if" is, or None
    for a, b in clauses:
        words = lowers[a:b]
        scope, at_if = None, None
        if not rules._counterfactual_cues.isdisjoint(words):
            since = 0  # the counterfactual part starts at the clause, its "if" or its last relative word
            for i, h in enumerate(words):
                if h in rules._conditions:
                    since = at_if = i
                    continue
                if h in rules._relatives:
                    since = i
                    continue
                if h not in rules._modals and not (at_if is not None and h in rules._hads):
                    continue
                j = i + 1
                if j < len(words) and words[j] in rules._nots:
                    j += 1
                if h in rules._modals and j < len(words) and words[j] in rules._haves:
                    j += 1  # "would (not) have", then a participle
                elif not (at_if is not None and h in rules._hads):  # else "if ... had (not)" + a participle
                    continue
                elif h == would_d and j < len(words) and lemmas[a + j] == words[j]:
                    # "if we get a call we'd call the CSU": "'d" + a verb as written is "would", a plain
                    # hypothetical or a habit; "if we'd had", "if he'd been" take a participle, which is
                    # not its own lemma
                    continue
                # A participle ("been", "taken", "had"), not an object or "to" ("would have a bed", "have to")
                if j < len(words) and words[j] not in rules._not_participle and strings[words[j]].isalpha():
                    scope = a + since
                    break
        scopes.append(scope)
        ifs.append(None if at_if is None else a + at_if)
    spans = []
    for k, (a, b) in enumerate(clauses):
        scope = scopes[k]
        if scope is None and ifs[k] is not None:
            # "if he wasn't drunk, they would have...", "they would have..., if he wasn't drunk"
            joined = (k + 1 < len(clauses) and lowers[b] == comma and scopes[k + 1] == clauses[k + 1][0]) or (
                k > 0 and lowers[a - 1] == comma and scopes[k - 1] is not None
            )
            scope = ifs[k] if joined else None
        if scope is not None:
            spans.append((scope, b))
    return spans


def _cue_text(doc: Doc, starts: list[int] | None, ends: list[int] | None, text: str, i: int) -> str:
    """The cue at token i as written, with the word it is part of: "don't" for "n't", "cannot" for "not"."""
    if starts is None or ends is None:
        token = doc[i]
        first = token.idx
        last = first + len(token)
    else:
        first, last = starts[i], ends[i]
    while first and text[first - 1].isalpha():
        first -= 1
    return text[first:last]


def _glued(doc: Doc, starts: list[int] | None, ends: list[int] | None, i: int) -> bool:
    """Whether token i + 1 follows token i with no space between (a closing quote: 'said "no" they',
    not the opening one of 'no "beds"')."""
    if starts is None or ends is None:
        return doc[i + 1].idx == doc[i].idx + len(doc[i])
    return starts[i + 1] == ends[i]


def _char_span(
    doc: Doc, starts: list[int] | None, ends: list[int] | None, start: int, end: int
) -> tuple[int, int]:
    """The character offsets in the text of tokens start..end."""
    if starts is None or ends is None:
        return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    return starts[start], ends[end - 1]


def _longest_spans(items: list[tuple[tuple[int, int], _Rule]]) -> list[tuple[tuple[int, int], _Rule]]:
    """((start, end), rule) items sorted by span, without overlaps, the longest winning ("crisis unit" over
    "unit")."""
    end = -1
    for (s, e), _ in items:
        if s < end:
            break
        end = e
    else:
        return items  # the usual case: no overlap
    taken: set[int] = set()
    kept = []
    for item in sorted(items, key=lambda item: (item[0][0] - item[0][1], item[0][0])):
        start, stop = item[0]
        if taken.isdisjoint(range(start, stop)):
            kept.append(item)
            taken.update(range(start, stop))
    return sorted(kept, key=lambda item: item[0])


def _orths(doc: Doc) -> list[int]:
    from spacy.attrs import ORTH

    return doc.to_array(ORTH).tolist()


def _positions(column: list[int], hashes: Iterable[int]) -> list[int]:
    """Every index of any of `hashes` in `column` (list.index scans in C)."""
    found = []
    for h in hashes:
        i = -1
        while True:
            try:
                i = column.index(h, i + 1)
            except ValueError:
                break
            found.append(i)
    return found


def compile_rules(pipeline: Pipeline, codebook: Codebook) -> Rules:
    """Matchers for every code with keywords or patterns; raises SuggestError for an invalid pattern."""
    return Rules(pipeline, codebook)


def suggest_codes(
    segments: Iterable[tuple[str, Segment]],
    codebook: Codebook,
    *,
    pipeline: Pipeline | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    batch_size: int = BATCH_SIZE,
) -> list[Suggestion]:
    """Suggestions for (transcript id, segment) pairs, without touching a database."""
    pipeline = pipeline or build_pipeline()
    rules = compile_rules(pipeline, codebook)
    items = list(segments)
    result = []
    docs = pipeline.pipe((s.text for _, s in items), batch_size=batch_size)
    for (transcript_id, segment), doc in zip(items, docs):
        for code, score, evidence in rules.match(doc, segment.text):
            if score >= min_score:
                spans = tuple(Evidence(**e) for e in evidence)
                result.append(Suggestion(transcript_id, segment.n, code, score, spans, pipeline.engine))
    return result
