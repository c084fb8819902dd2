"""A search query as a regular expression over the index's "lemma<US>form" tokens.

- a word matches every form of its lemma: "refuse" finds refused, refusing, refuses;
- `=word` matches that exact form only ("=refused");
- `*` (any letters) and `?` (one letter) are wildcards on the form: "refus*" finds refusal and refused;
- several words are a phrase: consecutive words, punctuation between them ignored;
- `|` separates alternatives, each of them any of the above: "refuse | turn away" finds either.
Accents never matter, nor case, but that a short word typed in capitals that is also an English word
is the acronym ("ER", not the "er" of a pause). A hyphenated word also matches the word closed up, as a
word wrapped across a line is indexed ("co-responder" finds "co-\nresponder"). A word with an apostrophe or other punctuation is split by spaCy's own tokenizer
(loaded only then), as the index was; plain words and hyphens are split here, the same way.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..errors import SearchError
from ..textmatch import HYPHENS, WRAPPED
from ..textmatch import typed as unescaped
from .terms import (
    CLITICS,
    PREFIXES,
    SEP,
    UNITS,
    UNSPLIT,
    WITHOUT_APOSTROPHE,
    form,
    is_acronym,
    is_domain,
    is_word,
    joined_lemma,
    lemma,
    may_be_acronym_plural,
    number_unit,
    own_lemma,
    run_on_words,
    term,
    time_of_day,
    unit_word,
    word_lemma,
)

_PLAIN = re.compile(r"^=?[\w*?]+(?:-[\w*?]+)*$")


@dataclass(frozen=True)
class Query:
    text: str
    words: tuple[str, ...]  # as matched: lemmas, "=form", wildcard patterns, a contraction as typed
    pattern: re.Pattern
    literals: tuple[str, ...]  # every matching segment's terms contain one of these (the SQL prefilter)
    # Named groups of `pattern` (one index token each) that hold only where the token's stored text passes
    # the check: an index entry alone cannot tell "CSU" from "csu", or a wrap ("co-\nresponder") from a
    # word written closed up.
    checks: dict[str, Callable[[str], bool]] = field(default_factory=dict)

    def find(self, terms: str, offsets: str, text: str) -> list[tuple[int, int]]:
        """The spans of `text` (a segment's stored text, indexed as `terms` and `offsets`) the query
        matches, in order and not overlapping."""
        out: list[tuple[int, int]] = []
        spans: list[tuple[int, int]] = []
        pos = 0
        while (m := self.pattern.search(terms, pos)) is not None:
            if not spans:
                numbers = offsets.split()
                spans = [(int(numbers[i]), int(numbers[i + 1])) for i in range(0, len(numbers), 2)]
            if any(
                m.start(name) >= 0 and not check(_stored(text, terms, spans, m.start(name), m.end(name)))
                for name, check in self.checks.items()
            ):  # try again from the next token: a match may start inside this one
                pos = terms.find(" ", m.start()) + 1
                if not pos:
                    break
                continue
            first = terms.count(" ", 0, m.start())
            out.append((spans[first][0], spans[first + m.group().count(" ")][1]))
            pos = m.end()
        return out

    def find_each(self, terms: str, offsets: str, text: str) -> list[tuple[int, int, int]]:
        """find's spans, each with the alternative that matched it (always 0: see AnyOf)."""
        return [(a, b, 0) for a, b in self.find(terms, offsets, text)]

    @property
    def alternatives(self) -> tuple[Query, ...]:
        return (self,)


def _stored(text: str, terms: str, spans: list[tuple[int, int]], at: int, end: int) -> str:
    """The stored text of the index tokens from the one starting at `at` in `terms` to the one ending at
    `end` (a check's group: one token, or the two of a hyphenated word)."""
    first = terms.count(" ", 0, at)
    return text[spans[first][0] : spans[first + terms.count(" ", at, end)][1]]


def _split(word: str) -> list[str]:
    """The tokens of one typed word, as the index's tokenizer makes them (punctuation dropped)."""
    word = word.translate(HYPHENS)
    exact = word.startswith("=")
    body = word[1:] if exact else word
    contracted = form(body.strip(_QUOTES)) in WITHOUT_APOSTROPHE
    if contracted:
        body = form(body.strip(_QUOTES))  # spaCy splits "dont" and "Dont", not "DONT"
    if _PLAIN.match(word) and not contracted:
        parts = [p for p in body.split("-") if p]
    else:
        import spacy

        protected = body.replace("*", "wqstarwq").replace("?", "wqqmarkwq")
        doc = spacy.blank("en").tokenizer(protected)
        parts = [
            t.text.replace("wqstarwq", "*").replace("wqqmarkwq", "?")
            for t in doc
            if not (t.is_punct or t.is_space)
        ]
    # A control character (typed as the coding screen shows it, "\x07") is no word: the index leaves it
    # out, so `bell \x07 rang` is the phrase "bell rang", which it found nowhere when kept.
    # Words run together at a full stop ("night.the") are split as the index splits them.
    # So is a number and its unit written as one word ("72hr", and "72h*": the wildcard on the unit).
    parts = [
        p[a:b] for p in parts for a, b in (run_on_words(p) or number_unit(p, typed=True) or [(0, len(p))])
    ]
    return [("=" if exact else "") + p for p in parts if form(p)]


def _wildcards(word: str, groups: Iterator[int]) -> str:
    """A wildcard word as a pattern over one form, matched in time linear in the form: each `*` before the
    last takes the first place the letters after it fit and keeps it (a lookahead and a backreference,
    as fnmatch does). As [^ ]* for every `*`, "*?*?*?*?*?*?*?*?*?*w" took minutes on a long URL."""

    def letters(text: str) -> str:
        return "".join("[^ ]" if ch == "?" else re.escape(ch) for ch in text)

    first, *stars = word.split("*")
    out = letters(first)
    for middle in stars[:-1]:
        if middle:  # "**" is one `*`
            group = f"w{next(groups)}"
            out += f"(?=(?P<{group}>[^ ]*?{letters(middle)}))(?P={group})"
    return out + (f"[^ ]*{letters(stars[-1])}" if stars else "")


def _piece(
    word: str, groups: Iterator[int], checks: dict[str, Callable[[str], bool]], before: str | None = None
) -> tuple[str, str, tuple[str, ...]]:
    """(pattern over one index token, the word as matched, a piece of every token it matches) of one
    typed word: `=form`, a wildcard, a domain, or a word matching every form of its lemma (`before`: the
    typed word before it, so "9 am" is the time as the index has it). The pieces: every token the
    pattern matches holds one of them (the SQL prefilter)."""
    if word.startswith("="):
        f = form(word[1:])
        return f"[^ {SEP}]*{SEP}{re.escape(f)}", "=" + f, (SEP + f,)
    if "*" in word or "?" in word:
        f = form(word)
        if not f.strip("*?"):
            raise SearchError(
                f'"{word}" matches every word. Give some letters with the wildcard, e.g. refus*.'
            )
        chunks = [c for c in re.split(r"[*?]+", f) if c]
        literal = (SEP + chunks[0]) if not f.startswith(("*", "?")) else max(chunks, key=len)
        return f"[^ {SEP}]*{SEP}{_wildcards(f, groups)}", f, (literal,)
    f, lem = form(word), word_lemma(word)
    if is_domain(f):  # the domain, or a web or e-mail address at it
        return f"[^ {SEP}]*{SEP}(?:[^ ]*[/@.])?{re.escape(f)}(?:[/:?#][^ ]*)?", f, (f,)
    if time_of_day(word, before):
        lem = f
    unit = unit_word(f, before)
    if unit is not None:
        lem = unit
    elif f in UNITS:
        # "hr" typed alone is HR or an hour's "hr": it finds both, the second where the index reads it as
        # "hour" (after a number: "72 hr").
        forms = [u for u in UNITS if UNITS[u] == UNITS[f] and lemma(u) == lem]
        shared = os.path.commonprefix(forms)
        pattern = f"(?:{re.escape(lem)}{SEP}[^ ]*|{UNITS[f]}{SEP}(?:{'|'.join(map(re.escape, forms))}))"
        return pattern, lem, (shared if shared and shared in lem else SEP,)  # in both
    if lem == f and _LOWER_PLURAL.fullmatch(f) and may_be_acronym_plural(f):
        # "csus" typed in small letters may be an acronym's plural, as "CSUs" is: it finds "CSU" and
        # "CSUs" where the text writes them in capitals (where "its" must not find every "it"), and the
        # form as written.
        group = f"c{next(groups)}"
        checks[group] = is_acronym
        acronym = f"(?P<{group}>{re.escape(f[:-1])}{SEP}[^ ]*)"
        capitals = f[:-1].upper()
        shown = f"{lem} (or {capitals}/{capitals}s in capitals)"  # matched_as says what counts
        return f"(?:{re.escape(f)}{SEP}[^ ]*|[^ {SEP}]*{SEP}{re.escape(f)}|{acronym})", shown, (f[:-1],)
    if _SHORT_CAPITALS.fullmatch(word) and is_word(lem, small=True):
        # "ER" typed in capitals is the emergency room, which in speech is also the "er" of a pause (and
        # "ACT" a team, "OR" a room, "US" a country): found where written in capitals only ("ER", "ERs",
        # "E.R."), never "Er, well". Typed in small letters, every case.
        group = f"c{next(groups)}"
        checks[group] = _in_capitals
        return f"(?P<{group}>{re.escape(lem)}{SEP}[^ ]*)", f"{lem.upper()} (in capitals)", (lem + SEP,)
    patterns, literals, shown = [f"{re.escape(lem)}{SEP}[^ ]*"], [lem + SEP], lem
    own = own_lemma(f, lem)
    if own is not None:  # "wound": "wind" to the table, and "wound" of "wounds" and "wounded"
        patterns.append(f"{re.escape(own)}{SEP}[^ ]*")
        literals.append(own + SEP)
        shown = f"{lem} or {own}"
    # "wounds": "wound", which the table reads as "wind" where written "wound"
    if lem != f and lemma(lem) != lem:
        patterns.append(f"[^ {SEP}]*{SEP}{re.escape(lem)}")
        literals.append(SEP + lem)
    pattern = patterns[0] if len(patterns) == 1 else f"(?:{'|'.join(patterns)})"
    return pattern, shown, tuple(literals)


_LOWER_PLURAL = re.compile(r"[^\W\d_]{2,}s")
_SHORT_CAPITALS = re.compile(r"[A-Z]{2,3}(?:['\u2019]?s)?")
_CAPITALS_VERB = re.compile(r"[A-Z]{2,}['\u2019]?(?:d|ed|ing)")  # "OD'd", "ODed", "OD'ing"


def _in_capitals(stored: str) -> bool:
    """Whether a token as stored is written in capitals, with full stops or without ("ER", "E.R.", "ERs")."""
    letters = stored.replace(".", "")
    return is_acronym(letters) or _CAPITALS_VERB.fullmatch(letters) is not None


# Up to this many typed words, two words in a row also find one word wrapped across a line after the
# first ("co responder": "co-\nresponder"); each pair doubles part of the pattern.
_JOINED_WORDS = 8


@dataclass(frozen=True)
class AnyOf:
    """Alternatives ("refuse | turn away"): a place any of them matches. Has Query's `find`, and
    `find_each`, which says which alternative matched each place."""

    text: str
    alternatives: tuple[Query, ...]

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for k, q in enumerate(self.alternatives) for w in (("|",) if k else ()) + q.words)

    @property
    def literals(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(lit for q in self.alternatives for lit in q.literals))

    def find_each(self, terms: str, offsets: str, text: str) -> list[tuple[int, int, int]]:
        """(start, end, which alternative) of each place, in order and not overlapping: where two
        alternatives overlap, the one starting first (then the longer, then the first typed) holds it."""
        found = sorted(
            ((a, b, k) for k, q in enumerate(self.alternatives) for a, b in q.find(terms, offsets, text)),
            key=lambda f: (f[0], -f[1], f[2]),
        )
        out: list[tuple[int, int, int]] = []
        for f in found:
            if not out or f[0] >= out[-1][1]:
                out.append(f)
        return out

    def find(self, terms: str, offsets: str, text: str) -> list[tuple[int, int]]:
        return [(a, b) for a, b, _ in self.find_each(terms, offsets, text)]


def parse_query(text: str) -> Query | AnyOf:
    """Parse a query, alternatives separated by `|` (an AnyOf), or raise SearchError."""
    if "|" not in text:
        return _parse_one(text)
    parts = list(dict.fromkeys(part.strip() for part in text.split("|")))
    if not all(any(_split(w) for w in unescaped(part).split()) for part in parts):
        # "refuse |" or "refuse || turn away": an empty side read as nothing would pass unseen
        raise SearchError(
            f'An alternative between the | of "{text}" has no words. Give words on each side of |, '
            'e.g. wei-qual search "refuse | turn away".'
        )
    alternatives = [_parse_one(part) for part in parts]
    return alternatives[0] if len(alternatives) == 1 else AnyOf(text, tuple(alternatives))


def _parse_one(text: str) -> Query:
    """Parse a query without alternatives, or raise SearchError."""
    groups = itertools.count(1)
    checks: dict[str, Callable[[str], bool]] = {}
    # A control character copied as a hit or the coding screen shows it ("bell \x07 rang") is read as the
    # character, which is no word.
    text = unescaped(text)
    if len(text.split()) > 1 and text.upper() == text:
        text = text.lower()  # a phrase in capitals ("WOULDN'T TAKE HIM") is caps lock, no acronyms
    typed_words = [(word, parts) for word in text.split() if (parts := _split(word))]
    if not typed_words:
        raise SearchError('The query is empty. Give a word or a phrase, e.g. wei-qual search "refuse".')
    matched, needs = [], []
    for k, (typed, parts) in enumerate(typed_words):
        before = [typed_words[k - 1][1][-1], *parts] if k else [None, *parts]
        found = [_piece(p, groups, {}, b) for p, b in zip(parts, before)]
        if _contraction(typed, parts):
            # "won't" is matched as its pieces, "wo" and "not": said as typed, which reads right. Its
            # first piece is in every place it matches (the clitic is written two ways).
            matched.append(form(typed.strip(_QUOTES)))
            needs.append([*found[0][2], *(SEP + f for f in _whole(typed, parts))])
        else:
            matched += [m for _, m, _ in found]
            needs.append(list(max((lits for _, _, lits in found), key=lambda lits: min(map(len, lits)))))
        if _hyphenated(typed, parts):
            needs[-1].append(_closed_up(parts, groups, {})[1])

    def word(k: int) -> str:
        """The pattern of the k-th typed word, its groups new each time (a pattern may repeat it)."""
        parts = typed_words[k][1]
        before = [typed_words[k - 1][1][-1], *parts] if k else [None, *parts]
        pieces = [_piece(p, groups, checks, b)[0] for p, b in zip(parts, before)]
        if _contraction(typed_words[k][0], parts):
            pieces[1:] = [_clitic(p, groups, checks) for p in parts[1:]]
        pattern = " ".join(pieces)
        if _hyphenated(typed_words[k][0], parts):
            # A hyphenated word is also one word: wrapped across a line ("co-\nresponder" is indexed
            # whole) or written closed up.
            pattern = f"(?:{pattern}|{_closed_up(parts, groups, checks)[0]})"
        if closed_up[k]:
            pattern = f"(?:{pattern}|{_split_up(parts[0], groups, checks)[0]})"
        if unsplit[k]:
            pattern = f"(?:{pattern}|{_unsplit(parts[0], groups, checks)[0]})"
        whole = _whole(typed_words[k][0], parts)
        if whole:
            pattern = f"(?:{pattern}|[^ {SEP}]*{SEP}(?:{'|'.join(map(re.escape, whole))}))"
        return pattern

    joinable = [
        len(parts) == 1 and _PLAIN.match(parts[0]) is not None and not parts[0].startswith("=")
        for _, parts in typed_words
    ]
    # A word typed closed up also finds it hyphenated ("coresponder": "co-responder", "followup":
    # "follow-up"), as a hyphenated word typed finds it closed up.
    closed_up = [
        ok
        and "*" not in parts[0]
        and "?" not in parts[0]
        and (len(form(parts[0])) >= _SPLIT_FROM or _DIGITS_SAID.fullmatch(parts[0]) is not None)
        for ok, (_, parts) in zip(joinable, typed_words)
    ]
    for k, split in enumerate(closed_up):
        literals = _split_up(typed_words[k][1][0], groups, {})[1] if split else []
        needs[k] += literals
        closed_up[k] = bool(literals)
    # "id", "wed" typed also find the word where the index splits it as spaCy does ("i d": terms.UNSPLIT).
    unsplit = [
        len(parts) == 1 and not any(c in parts[0] for c in "*?") and form(parts[0].lstrip("=")) in UNSPLIT
        for _, parts in typed_words
    ]
    for k, yes in enumerate(unsplit):
        if yes:
            needs[k].append(_unsplit(typed_words[k][1][0], groups, {})[1])
    if len(typed_words) > _JOINED_WORDS:
        joinable = [False] * len(typed_words)
    for k in range(len(typed_words) - 1):
        if joinable[k] and joinable[k + 1]:
            literal = _wrapped(typed_words[k][1][0], typed_words[k + 1][1][0], groups, {})[1]
            needs[k].append(literal)
            needs[k + 1].append(literal)

    def phrase(k: int) -> str:
        """The pattern of the typed words from the k-th on."""

        def rest(j: int) -> str:
            return f" {phrase(j)}" if j < len(typed_words) else ""

        alternatives = [word(k) + rest(k + 1)]
        if k + 1 < len(typed_words) and joinable[k] and joinable[k + 1]:
            wrapped = _wrapped(typed_words[k][1][0], typed_words[k + 1][1][0], groups, checks)[0]
            alternatives.append(wrapped + rest(k + 2))
        return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"

    compiled = re.compile("(?<![^ ])" + phrase(0) + "(?= |$)")
    # The SQL prefilter: the word whose shortest alternative is longest (a segment must hold one of them).
    literals = max((tuple(n) for n in needs), key=lambda alts: min(map(len, alts)))
    return Query(text, tuple(matched), compiled, literals, checks)


_APOSTROPHES = ("'", "’", "‘")
_QUOTES = "\"'“”‘’"


def _contraction(typed: str, parts: list[str]) -> bool:
    """A word with a clitic ("won't", "he's", "didn't", or "dont", "theyre"), which the index splits in two."""
    plain = typed.strip(_QUOTES)
    return (
        len(parts) > 1
        and (any(a in plain for a in _APOSTROPHES) or form(plain.lstrip("=")) in WITHOUT_APOSTROPHE)
        and not any(c in plain for c in "*?-")
    )


def _clitic(piece: str, groups: Iterator[int], checks: dict) -> str:
    """The pattern of a contraction's clitic, written with its apostrophe or without: "re" and "'re"
    find "'re" and the "re" of "theyre", "n't" and "nt" (and "not", their lemma, as "don't" always did)."""
    if piece.startswith("="):
        return _piece(piece, groups, checks)[0]
    apostrophe = CLITICS.get(form(piece), form(piece))
    bare = apostrophe.replace("'", "")
    return f"(?:{_piece(apostrophe, groups, checks)[0]}|[^ {SEP}]*{SEP}{re.escape(bare)})"


def _whole(typed: str, parts: list[str]) -> list[str]:
    """The forms a contraction is indexed as when spaCy keeps it one token (in capitals: "DON'T", "DONT"),
    with and without its apostrophe ("dont" finds "DON'T"); `=dont` keeps the spelling typed. Empty for
    any other word."""
    if not _contraction(typed, parts):
        return []
    exact = typed.strip(_QUOTES).startswith("=")
    typed_form = form(typed.strip(_QUOTES).lstrip("="))
    forms = [typed_form]
    if not exact and "'" in typed_form and typed_form.replace("'", "") in WITHOUT_APOSTROPHE:
        forms.append(typed_form.replace("'", ""))  # not "its" for "it's": that is a word
    elif not exact and "'" not in typed_form:
        bare = [p.lstrip("=") for p in parts]
        with_apostrophe = bare[0] + "".join(CLITICS.get(form(p), form(p)) for p in bare[1:])
        if with_apostrophe != typed_form:  # "cannot" and "gonna" have none
            forms.append(with_apostrophe)
    return forms


def _hyphenated(typed: str, parts: list[str]) -> bool:
    plain = typed.translate(HYPHENS)
    return len(parts) > 1 and _PLAIN.match(plain) is not None and "-" in plain


def _closed_up(parts: list[str], groups: Iterator[int], checks: dict) -> tuple[str, str]:
    """The pattern and literal of a hyphenated word's parts read as one word (co-responder: coresponder)."""
    exact = parts[0].startswith("=")
    bare = [p[1:] if exact else p for p in parts]
    if exact or any("*" in p or "?" in p for p in bare):
        pattern, _, (literal,) = _piece(("=" if exact else "") + "".join(bare), groups, checks)
        return pattern, literal
    lem = joined_lemma([form(p) for p in bare])
    return f"{re.escape(lem)}{SEP}[^ ]*", lem + SEP


_SPLIT_FROM = 4  # letters of a word typed closed up that is also looked for hyphenated
# A number of three digits, said digit by digit and so written ("9-1-1", "9-8-8"): `911` missed them.
_DIGITS_SAID = re.compile(r"\d{3}")


def _split_up(word: str, groups: Iterator[int], checks: dict) -> tuple[str, list[str]]:
    """The pattern and literals of a word typed closed up written with a hyphen at any place in it
    ("co-responder", "e-mail"): two index tokens, the first as written, the last by its lemma
    ("follow-ups" for "followup"), checked against the stored text for a hyphen between them, so
    "everyone" never finds "every one"."""
    f = form(word)
    group = f"h{next(groups)}"
    checks[group] = _hyphen_between
    splits = [
        (f[:i], lemma(f[i:]))
        for i in range(1, len(f) - 1)
        if (f[:i] in PREFIXES and len(f) - i >= 3) or (is_word(f[:i]) and is_word(f[i:]))
    ]
    pattern = "|".join(f"[^ {SEP}]*{SEP}{re.escape(a)} {re.escape(b)}{SEP}[^ ]*" for a, b in splits)
    literals = [f"{SEP}{a} {b}{SEP}" for a, b in splits]
    if _DIGITS_SAID.fullmatch(f):  # "9-1-1": each digit a token, as written (a digit is its own lemma)
        digits = f"{SEP}{f[0]} {f[1]}{SEP}{f[1]} {f[2]}{SEP}"
        pattern = "|".join(p for p in (pattern, f"[^ {SEP}]*{digits}{f[2]}") if p)
        literals.append(digits)
    return f"(?P<{group}>{pattern})", literals


def _unsplit(word: str, groups: Iterator[int], checks: dict) -> tuple[str, str]:
    """The pattern and literal of a word of terms.UNSPLIT ("id") as the index splits it ("i" "d"), checked
    against the stored text for the word written as one: "I'd" and "I d" are not "id"."""
    pieces = UNSPLIT[form(word.lstrip("="))]
    group = f"u{next(groups)}"
    checks[group] = str.isalpha
    pattern = " ".join(f"[^ {SEP}]*{SEP}{re.escape(p)}" for p in pieces)
    return f"(?P<{group}>{pattern})", f"{SEP}{pieces[0]} {' '.join(term(p) for p in pieces[1:])}"


_HYPHENATED = re.compile(r"[^\s-]+(?:-[^\s-]+)+")  # "co-responder", and "9-1-1"


def _hyphen_between(stored: str) -> bool:
    return _HYPHENATED.fullmatch(stored.translate(HYPHENS)) is not None


def _wrapped(first: str, second: str, groups: Iterator[int], checks: dict) -> tuple[str, str]:
    """The pattern and literal of two typed words as one word hyphenated across a line break after the
    first ("co responder": "co-\nresponder"), checked against the stored text: a word written closed up
    ("coresponder", "everyone" for "every one") is not two words."""
    head, tail = form(first), form(second)
    group = f"j{next(groups)}"
    if any(ch in head + tail for ch in "*?"):
        # A wildcard ("co resp*") is on the word as written: the joined form matches the two typed words run
        # together, and the check holds each to its side of the wrap.
        sides = [re.compile(_wildcards(w, itertools.count())) for w in (head, tail)]

        def wrapped_as_typed(stored: str) -> bool:
            wrap = WRAPPED.search(stored)
            return (
                wrap is not None
                and sides[0].fullmatch(form(stored[: wrap.start()])) is not None
                and sides[1].fullmatch(form(stored[wrap.end() :])) is not None
            )

        checks[group] = wrapped_as_typed
        pattern, _, (literal,) = _piece(head + tail, groups, {})
        return f"(?P<{group}>{pattern})", literal

    def wrapped_there(stored: str) -> bool:
        wrap = WRAPPED.search(stored)
        return wrap is not None and form(stored[: wrap.start()]) == head

    checks[group] = wrapped_there
    lem = joined_lemma([head, tail])
    return f"(?P<{group}>{re.escape(lem)}{SEP}[^ ]*)", lem + SEP
