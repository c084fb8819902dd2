"""The spaCy pipeline of suggest: built once per run, with a lower-cased lemma step that keyword and
pattern matching rely on. spaCy is imported inside functions only."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ..errors import SuggestError
from ..lemmas import SUGGEST_READINGS, lemma_table
from ..numbers import table_lemma
from ..textmatch import HYPHENS, INVISIBLE, QUOTES

if TYPE_CHECKING:  # pragma: no cover
    # spaCy is heavy: keep it out of `wei-qual --help`.
    from spacy.language import Language
    from spacy.tokens import Doc

ENGINE = "rules"
# suggest stores every match; readers (evaluate, the coding session) apply a threshold.
BATCH_SIZE = 256

_WORDS = "wei_qual.words"  # doc.user_data key: _Words of the doc
OFFSETS = (
    "wei_qual.offsets"  # doc.user_data key: (the text, each token's start in it), when the doc lost spaces
)
# Typographic quotes as the straight ones a codebook is typed with, and Word's non-breaking hyphen ("co‑responder",
# kept on one line) and the Unicode hyphen as "-", which spaCy splits a word at as the keyword's hyphen: one
# character for one, so offsets stay those of the stored text.
STRAIGHT = {**QUOTES, **HYPHENS}
_PARAGRAPH_BREAK = "\n\n"
_OTHER_SPACE = re.compile(r"[^\S \n]")
_ASCII_OTHER_SPACE = "\t\r\x0b\x0c\x1c\x1d\x1e\x1f"


# A paragraph break inside a sentence: after a letter or digit, before a lower-case letter. Otter splits
# one speaker's talk into blocks at pauses, often mid-sentence ("...the crisis stabilization | unit, but
# they were full"), and ingest joins a speaker's blocks as paragraphs.
def _mid_sentence(text: str) -> bool:
    """Whether a paragraph break in the text falls inside a sentence. (str.find: a regex over every turn
    cost a tenth of suggest's time.)"""
    at = text.find(_PARAGRAPH_BREAK)
    while at != -1:
        # most paragraphs end with a full stop: rejected on that one character
        if at and (text[at - 1].isalnum() or text[at - 1] in " \t") and _continues(text, at, 2):
            return True
        at = text.find(_PARAGRAPH_BREAK, at + 2)
    return False


def _continues(text: str, at: int, n: int) -> bool:
    """Whether the whitespace text[at:at + n] is one paragraph break inside a sentence (spaces or tabs
    around it aside): after a letter or digit, before a lower-case letter."""
    at, n = int(at), int(n)  # numpy's unsigned integers would wrap below 0
    before = text[max(0, at - 8) : at].rstrip(" \t")
    after = text[at + n : at + n + 8].lstrip(" \t")
    return (
        text[at : at + n].count("\n") == 2
        and not after.startswith("\n")
        and before[-1:].isalnum()
        and after[:1].islower()
    )


def _spaced(text: str) -> bool:
    """Whether the text holds whitespace inside a paragraph that spaCy makes a token of: a hard wrap's line
    end, a tab, or a second space in a row, or a paragraph break inside a sentence. Another paragraph break
    stays a token, as before: no keyword runs on into the next paragraph. (String methods: one regex over
    every turn cost a sixth of the matching.)"""
    if "  " in text or ("\n" in text and ("\n" in text.replace(_PARAGRAPH_BREAK, "") or _mid_sentence(text))):
        return True
    if text.isascii():
        return any(c in text for c in _ASCII_OTHER_SPACE)
    return _OTHER_SPACE.search(text) is not None


class _Words:
    """LOWER and (normalised) LEMMA hashes of a doc's tokens. Matching reads these lists instead of building
    spaCy Token objects, which dominated the cost of suggest. Holds no reference to the doc (no cycle)."""

    __slots__ = ("_sets", "lemmas", "lowers")

    def __init__(self, lowers: list[int], lemmas: list[int]):
        self.lowers = lowers
        self.lemmas = lemmas
        self._sets: dict[int, frozenset[int]] = {}

    def present(self, index: int, column: list[int]) -> frozenset[int]:
        """The hashes present in a column (0: LOWER, 1: LEMMA, 2: ORTH), cached."""
        found = self._sets.get(index)
        if found is None:
            found = self._sets[index] = frozenset(column)
        return found


def _words(doc: Doc) -> _Words:
    """The doc's _Words, kept by Pipeline.normalise, or computed now."""
    words = doc.user_data.get(_WORDS)
    if words is None:  # (an import statement costs, even of a module loaded: match() calls this per doc)
        from spacy.attrs import LEMMA, LOWER

        words = doc.user_data[_WORDS] = _Words(doc.to_array(LOWER).tolist(), doc.to_array(LEMMA).tolist())
    return words


def _fold(text: str) -> tuple[str, tuple[list[int], list[int]] | None]:
    """The text as matched: straight quotes and hyphens (STRAIGHT), composed accents (NFC), so that a keyword typed
    "José" matches "José" written as e + a combining accent (macOS, some exports), and no invisible format
    character (textmatch.INVISIBLE: "cri\u200bsis unit" is the keyword "crisis unit", as the session's
    search and `wei-qual search` read it). When that changes lengths, also, for each character of the
    matched text, its (start, end) in the text, else None."""
    if text.isascii():  # nothing to fold: every character folded is outside ASCII (most transcripts)
        return text, None
    matched, where = _composed(text.translate(STRAIGHT))
    if not INVISIBLE.search(matched):
        return matched, where
    starts, ends = (
        where if where is not None else (list(range(len(matched))), list(range(1, len(matched) + 1)))
    )
    kept = [i for i, ch in enumerate(matched) if not INVISIBLE.fullmatch(ch)]
    return "".join(matched[i] for i in kept), ([starts[i] for i in kept], [ends[i] for i in kept])


def _composed(folded: str) -> tuple[str, tuple[list[int], list[int]] | None]:
    """The text composed (NFC), and where each of its characters came from when that changed lengths."""
    if unicodedata.is_normalized("NFC", folded):
        return folded, None
    # Compose each run of a base character and its combining marks on its own, remembering where it was.
    pieces, starts, ends = [], [], []
    bounds = [i for i, ch in enumerate(folded) if i == 0 or not unicodedata.combining(ch)] + [len(folded)]
    for a, b in pairwise(bounds):
        run = folded[a:b]
        composed = unicodedata.normalize("NFC", run)
        pieces.append(composed)
        if composed == run:
            starts += range(a, b)
            ends += range(a + 1, b + 1)
        else:
            starts += [a] * len(composed)
            ends += [b] * len(composed)
    joined = "".join(pieces)
    if joined != unicodedata.normalize("NFC", folded):  # scripts that compose across runs (Hangul jamo)
        return folded, None
    return joined, (starts, ends)


def _in_text(doc: Doc, matched: str, text: str, where: tuple[list[int], list[int]] | None) -> Doc:
    """The doc of `matched` (the text as _fold made it) without the whitespace tokens spaCy makes of a line
    end, a tab or a second space inside a paragraph (a keyword or pattern split by a hard line wrap, "crisis
    stabilization\nunit", would not match, and they would count in the negation window), with each
    token's (start, end) in `text` in user_data[OFFSETS] when they differ from its own (tokens left out,
    or the text composed by _fold). Evidence is cut from `text` by them. Read from arrays: building a
    Token per token cost more than the matching."""
    spaced = _spaced(matched)
    if where is None and not spaced:
        return doc
    import numpy
    from spacy.attrs import IDX, IS_SPACE, LENGTH, ORTH

    columns = doc.to_array([IS_SPACE, IDX, LENGTH, ORTH])
    if spaced:
        space = columns[:, 0] != 0
        for i in numpy.flatnonzero(space).tolist():
            at, n = columns[i, 1], columns[i, 2]
            space[i] = _PARAGRAPH_BREAK not in matched[at : at + n] or _continues(matched, at, n)
        kept = numpy.flatnonzero(~space)
    else:
        kept = numpy.arange(len(doc))
    idx = columns[kept, 1].tolist()
    if where is None:
        starts = idx
        ends = [i + n for i, n in zip(idx, columns[kept, 2].tolist())]
    else:
        starts = [where[0][i] for i in idx]
        ends = [where[1][i + n - 1] for i, n in zip(idx, columns[kept, 2].tolist())]
    new = doc
    if len(kept) != len(doc):
        from spacy.attrs import LEMMA, MORPH, POS, TAG
        from spacy.tokens import Doc

        # The words by their ORTH hashes: spaCy finds each lexeme without hashing its text again.
        new = Doc(doc.vocab, words=columns[kept, 3].tolist(), spaces=[True] * len(kept))
        # A trained pipeline's annotations (a blank one has none) go with their tokens.
        attrs = [
            a
            for a, has in ((LEMMA, "LEMMA"), (TAG, "TAG"), (POS, "POS"), (MORPH, "MORPH"))
            if doc.has_annotation(has)
        ]
        if attrs and len(kept):
            new.from_array(attrs, doc.to_array(attrs)[kept])
    new.user_data[OFFSETS] = (text, starts, ends)
    return new


@dataclass
class Pipeline:
    """A spaCy pipeline plus the lower-cased lemma step that keyword and pattern matching rely on."""

    nlp: Language
    engine: str
    _table: Any = None  # the English lemma lookup table, form -> lemma (lemmas.lemma_table)
    # True for the built-in pipeline: nlp has no lemmatizer component, and normalise() gives each token
    # the lemma spaCy's lookup lemmatizer would (the table's entry for its text), once per distinct text.
    lookup_lemmas: bool = False
    _cache: dict[int, int] = field(init=False, repr=False)  # lemma hash -> lower-case lemma hash
    _orth_cache: dict[int, int] = field(init=False, repr=False)  # token text hash -> the same, from the text
    _lower_cache: dict[int, int] = field(init=False, repr=False)  # token text hash -> its LOWER hash

    def __post_init__(self) -> None:
        self._cache = _LemmaCache(self._lemma)
        self._orth_cache = _LemmaCache(self._lemma_of_text)
        self._lower_cache = _LemmaCache(self._lower_of_text)

    def pipe(self, texts: Iterable[str], *, batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
        folded = ((matched, (matched, text, where)) for text in texts for matched, where in [_fold(text)])
        # A pipeline without components makes docs without lemmas (spaCy's tokenizer sets none), so
        # normalise need not look for them (Doc.has_annotation reads every token).
        bare = not self.nlp.pipeline
        for doc, (matched, text, where) in self.nlp.pipe(folded, batch_size=batch_size, as_tuples=True):
            yield self.normalise(_in_text(doc, matched, text, where), unlemmatized=bare)

    def normalise(self, doc: Doc, *, unlemmatized: bool = False) -> Doc:
        """Make every token's LEMMA the lemma table's entry for its lower-cased lemma, so "Crisis Units"
        matches "crisis unit" and "arrested" matches "arrest". `unlemmatized`: the caller knows the doc
        has no lemmas.

        The lookup lemmatizer is case-sensitive ("Units" stays "Units"), hence the second, lower-case
        lookup. Keywords go through the same step, so both sides agree. Cached per lemma, for speed.
        """
        import numpy
        from spacy.attrs import LEMMA, LOWER, ORTH

        if self.lookup_lemmas and (unlemmatized or not doc.has_annotation("LEMMA")):
            # The lookup lemmatizer's work (its lemma of each token is the table's entry for the token's
            # text), then the lower-case step; and the lower case (its lexeme's): one dict lookup per token
            # each, cached per text. Reading the texts alone costs a third of reading three columns.
            orths = doc.to_array(ORTH).tolist()
            lowers = list(map(self._lower_cache.__getitem__, orths))
            lemmas = list(map(self._orth_cache.__getitem__, orths))
        else:
            # One flat list, then slices: about twice as fast as tolist() on the transposed array.
            flat = doc.to_array([LOWER, LEMMA]).ravel().tolist()
            lowers, lemmas = flat[0::2], flat[1::2]
            if 0 in lemmas:  # a pipeline without a lemmatizer: fall back on the lower case
                lemmas = [lemma or lower for lemma, lower in zip(lemmas, lowers)]
            lemmas = list(map(self._cache.__getitem__, lemmas))  # _LemmaCache: misses go to _lemma
        if lemmas:
            doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))
        doc.user_data[_WORDS] = _Words(lowers, lemmas)
        return doc

    def _lemma_of_text(self, key: int) -> int:
        """What spaCy's lookup lemmatizer and then _lemma make of a token with this text, but for the forms
        the table reads wrongly (lemmas.SUGGEST_READINGS: "does" is "do", not "doe")."""
        text = self.nlp.vocab.strings[key]
        lemma = SUGGEST_READINGS.get(text.lower()) or self._entry(text)
        self._orth_cache[key] = result = self._cache[self.nlp.vocab.strings.add(lemma)]
        return result

    def _entry(self, word: str) -> str:
        """The lemma table's entry for a word (never a number for a word: numbers.table_lemma), or the
        word's reading in lemmas.SUGGEST_READINGS (search reads them so too)."""
        read = SUGGEST_READINGS.get(word)
        return read if read is not None else table_lemma(word, self._table.get(word, word))

    def _lower_of_text(self, key: int) -> int:
        """A token's LOWER, which is its lexeme's (what Doc.to_array(LOWER) reads)."""
        self._lower_cache[key] = result = self.nlp.vocab[key].lower
        return result

    def _lemma(self, key: int) -> int:
        strings = self.nlp.vocab.strings
        lower = strings[key].lower()
        if self._table is not None:
            lower = self._entry(lower)
        self._cache[key] = result = strings.add(lower)
        return result


class _LemmaCache(dict):
    """lemma hash -> lower-case lemma hash; a miss computes the entry (so lookups can go through map())."""

    __slots__ = ("_compute",)

    def __init__(self, compute: Callable[[int], int]):
        super().__init__()
        self._compute = compute

    def __missing__(self, key: int) -> int:
        return self._compute(key)


def engine_name(model: str | None) -> str:
    """The engine name: "rules" for the built-in pipeline, "rules+NAME" with a trained one."""
    return ENGINE if not model else f"{ENGINE}+{model}"


def build_pipeline(model: str | None = None) -> Pipeline:
    """spacy.blank("en") with the lookup lemmatizer, or an installed trained pipeline; raises SuggestError."""
    import spacy

    # The table as a dict (lemmas.lemma_table, as search reads it): what Table.get gives, without the
    # Table spaCy's load_lookups builds entry by entry in Python (0.08 s of suggest's 3).
    table = lemma_table()
    if not table:
        raise SuggestError(
            "spaCy's English lemma table (the package spacy-lookups-data) is missing. Reinstall wei-qual."
        )
    if model:
        if not spacy.util.is_package(model):
            raise SuggestError(
                f'Model "{model}" is not installed. Install it as a package, or leave out --model '
                "to use the built-in rules."
            )
        try:
            # Only tokens, tags and lemmas are needed: the parser and NER are the slow parts.
            nlp = spacy.load(model, exclude=["parser", "ner", "senter"])
        except (OSError, ValueError) as ex:
            raise SuggestError(
                f'Model "{model}" could not be loaded ({type(ex).__name__}). Reinstall it, or leave out '
                "--model to use the built-in rules."
            ) from ex
    else:
        # Blank English with lookup lemmas: the lemmatizer's table lookup is done in Pipeline.normalise,
        # once per distinct token text, instead of by the lemmatizer component once per token (the
        # same lemmas, tested; the component's per-token loop was half of suggest's time).
        nlp = spacy.blank("en")
    return Pipeline(nlp=nlp, engine=engine_name(model), _table=table, lookup_lemmas=not model)
