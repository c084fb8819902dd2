"""Rule-based code suggestions (issue #4): codebook keywords and spaCy Matcher patterns, with evidence.

build_pipeline() builds spaCy once per run, compile_rules() turns a Codebook into matchers,
suggest_codes() scores segments, run_suggest() stores the suggestions and evaluate_suggestions()
measures them against one coder's decisions. spaCy is imported inside functions only.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .defaults import DEFAULT_MIN_SCORE, EVALUATE_MIN_SCORE
from .errors import SuggestError
from .models import Codebook, Decision, Evidence, Segment, Suggestion
from .store import suggestions as suggestion_store
from .store import transaction
from .store.codebooks import get_active_codebook
from .store.decisions import iter_decisions
from .store.transcripts import get_transcript_row, iter_segments

if TYPE_CHECKING:  # pragma: no cover
    # sqlite_utils loads numpy/pandas, spaCy is heavy: keep both out of `wei-qual --help`.
    from spacy.language import Language
    from spacy.tokens import Doc
    from sqlite_utils import Database

ENGINE = "rules"
# suggest stores every match; readers (evaluate, the coding session) apply a threshold.
BATCH_SIZE = 256

# Score = 1 - prod(1 - w) over the distinct evidence spans of a code (documented in the README).
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
_SEPARATORS = re.compile(r"[\s\-‐‑–]+")

_WORDS = "wei_qual.words"  # doc.user_data key: _Words of the doc
ProgressCallback = Callable[[int, int], None]  # (segments done, segments in total)


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
    from spacy.attrs import LEMMA, LOWER

    words = doc.user_data.get(_WORDS)
    if words is None:
        words = doc.user_data[_WORDS] = _Words(doc.to_array(LOWER).tolist(), doc.to_array(LEMMA).tolist())
    return words


@dataclass
class Pipeline:
    """A spaCy pipeline plus the lower-cased lemma step that keyword and pattern matching rely on."""

    nlp: Language
    engine: str
    _table: Any = None  # the English lemma lookup table (spacy-lookups-data)
    _cache: dict[int, int] = field(init=False, repr=False)  # lemma hash -> lower-case lemma hash

    def __post_init__(self) -> None:
        self._cache = _LemmaCache(self._lemma)

    def pipe(self, texts: Iterable[str], *, batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            yield self.normalise(doc)

    def normalise(self, doc: Doc) -> Doc:
        """Make every token's LEMMA the lemma table's entry for its lower-cased lemma, so "Crisis Units"
        matches "crisis unit" and "arrested" matches "arrest".

        The lookup lemmatizer is case-sensitive ("Units" stays "Units"), hence the second, lower-case
        lookup. Keywords go through the same step, so both sides agree. Cached per lemma, for speed.
        """
        import numpy
        from spacy.attrs import LEMMA, LOWER

        # One flat list, then slices: about twice as fast as tolist() on the transposed array.
        flat = doc.to_array([LOWER, LEMMA]).ravel().tolist()
        lowers, lemmas = flat[0::2], flat[1::2]
        if lemmas:
            if 0 in lemmas:  # a pipeline without a lemmatizer: fall back on the lower case
                lemmas = [lemma or lower for lemma, lower in zip(lemmas, lowers)]
            lemmas = list(map(self._cache.__getitem__, lemmas))  # _LemmaCache: misses go to _lemma
            doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))
        doc.user_data[_WORDS] = _Words(lowers, lemmas)
        return doc

    def _lemma(self, key: int) -> int:
        strings = self.nlp.vocab.strings
        lower = strings[key].lower()
        if self._table is not None:
            lower = self._table.get(lower, lower)
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
    from spacy.lookups import load_lookups

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
        nlp = spacy.blank("en")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    return Pipeline(nlp=nlp, engine=engine_name(model), _table=table)


def keyword_variants(keyword: str) -> list[str]:
    """Spacing and hyphen variants: "co-responder" -> "co-responder", "co responder", "coresponder"."""
    keyword = keyword.strip()
    parts = [p for p in _SEPARATORS.split(keyword) if p]
    if len(parts) < 2:
        return [keyword] if keyword else []
    variants = [keyword, " ".join(parts), "-".join(parts), "".join(parts)]
    return list(dict.fromkeys(variants))


def _lower_lemma_values(pattern: list[dict]) -> list[dict]:
    """Our LEMMA values are lower case, so lower-case the LEMMA values a codebook author wrote."""

    def lower(value: Any) -> Any:
        if isinstance(value, str):
            return value.lower()
        if isinstance(value, dict):
            return {
                k: [v.lower() if isinstance(v, str) else v for v in vs] if isinstance(vs, list) else vs
                for k, vs in value.items()
            }
        return value

    return [
        {k: lower(v) if k.upper() == "LEMMA" else v for k, v in token.items()}
        if isinstance(token, dict)
        else token
        for token in pattern
    ]


_REQUIRED_OPS = (None, "+", "1", "{1}")


_COLUMNS = {"LOWER": 0, "LEMMA": 1, "ORTH": 2, "TEXT": 2}  # token hash columns matched on


def _token_constraints(token: dict, strings: Any) -> list[tuple[int, frozenset[int]]] | None:
    """(column, allowed hashes) for each LOWER / LEMMA / ORTH / TEXT key of a token pattern, or None when
    the token uses anything else (other attributes, REGEX, NOT_IN...)."""
    constraints = []
    for key, value in token.items():
        if key == "OP":
            continue
        column = _COLUMNS.get(key.upper())
        if isinstance(value, dict) and list(value) == ["IN"] and isinstance(value["IN"], list):
            values = value["IN"]
        else:
            values = [value]
        if column is None or not values or not all(isinstance(v, str) for v in values):
            return None
        if column == 2 and all(v.lower() == v.upper() for v in values):
            column = 0  # caseless text ("-"): its LOWER is the same, and saves reading ORTH
        constraints.append((column, frozenset(strings.add(v) for v in values)))
    return constraints


def pattern_anchors(pattern: list[dict], strings: Any) -> list[tuple[int, frozenset[int]]]:
    """Necessary conditions of a pattern: for each required token, (column, hashes) of which the doc
    must contain at least one. A text lacking any anchor cannot match."""
    anchors = []
    for token in pattern:
        if not isinstance(token, dict) or token.get("OP") not in _REQUIRED_OPS:
            continue
        for key, value in token.items():
            constraint = _token_constraints({key: value}, strings) if key != "OP" else None
            if constraint:
                anchors.append(constraint[0])
                break
    return anchors


MAX_SEQUENCES = 64


def fixed_sequences(
    pattern: list[dict], strings: Any
) -> list[tuple[tuple[tuple[int, frozenset[int]], ...], ...]] | None:
    """The pattern as fixed token sequences ("?" tokens taken and left out), each token a tuple of
    (column, hashes) constraints; None when it needs spaCy's Matcher ("+", "*", "!", other keys).

    Most codebook patterns are of this kind, and checking them on hash lists at the positions of their
    rarest-looking word costs a fraction of running the Matcher (which builds a Python Token per token).
    """
    sequences: list[tuple] = [()]
    for token in pattern:
        if not isinstance(token, dict) or token.get("OP") not in (None, "?"):
            return None
        constraints = _token_constraints(token, strings)
        if constraints is None:
            return None
        step = tuple(constraints)  # () is the wildcard {}
        taken = [seq + (step,) for seq in sequences]
        sequences = taken + sequences if token.get("OP") == "?" else taken
        if len(sequences) > MAX_SEQUENCES:
            return None
    sequences = [seq for seq in sequences if any(seq)]  # drop empty and all-wildcard sequences
    return sequences or None


def pattern_length(pattern: list[dict]) -> int | None:
    """The most tokens a match can span, or None when unbounded ("+", "*", "{n,}")."""
    total = 0
    for token in pattern:
        op = token.get("OP") if isinstance(token, dict) else None
        if op in ("+", "*") or (isinstance(op, str) and op.endswith(",}")):
            return None
        if isinstance(op, str) and op.startswith("{"):
            total += int(op.strip("{}").split(",")[-1])
        else:
            total += 1
    return total


@dataclass(frozen=True)
class _PatternRule:
    """A pattern that needs spaCy's Matcher (see fixed_sequences for the others)."""

    matcher: Any  # a spaCy Matcher holding this one pattern
    anchors: list[tuple[int, frozenset[int]]]  # see pattern_anchors
    length: int | None  # see pattern_length


@dataclass(frozen=True)
class _Rule:
    code: str
    source: str  # "keyword:crisis unit" or "pattern:CODE#0"
    weight: float


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
        # Fixed sequences, indexed by one anchor word:
        # (column, hash) -> [(match id, start offset, end offset, other checks)], offsets from the anchor.
        self._sequences: dict[tuple[int, int], list[tuple[int, tuple, int]]] = {}
        self._anchor_words: tuple[set[int], set[int], set[int]] = (set(), set(), set())
        self._uses_orth = False  # ORTH hashes are only read when a sequence needs them
        self._rules: dict[int, _Rule] = {}
        self.codes: list[str] = []
        keywords: list[tuple[str, list[str]]] = []  # (rule key, variants)
        for code in codebook.codes:
            # Every code with keywords or patterns gets suggestions, parent or leaf: the codebook's
            # author decides by giving it rules. Codes merged into another are retired.
            if code.merged_into or not (code.keywords or code.patterns):
                continue
            self.codes.append(code.id)
            for keyword in dict.fromkeys(k.strip() for k in code.keywords if k.strip()):
                key = self._add_rule(_Rule(code.id, f"keyword:{keyword}", KEYWORD_WEIGHT))
                keywords.append((key, keyword_variants(keyword)))
            for i, pattern in enumerate(code.patterns):
                key = self._add_rule(_Rule(code.id, f"pattern:{code.id}#{i}", PATTERN_WEIGHT))
                try:
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
        docs = iter(pipeline.pipe(v for _, variants in keywords for v in variants))
        for key, variants in keywords:
            variant_docs = [next(docs) for _ in variants]
            self.lower.add(key, variant_docs)
            self.lemma.add(key, variant_docs)
        strings = vocab.strings
        self._cues = frozenset(strings.add(w) for w in NEGATION_CUES)
        self._breaks = frozenset(strings.add(w) for w in CLAUSE_BREAKS)

    def _index_sequence(self, match_id: int, seq: tuple) -> None:
        """File a fixed sequence under its rarest-looking word: the token whose shortest allowed word is
        longest ("knife" rather than "the"), so it is checked at few positions."""
        strings = self.lower.vocab.strings

        def rarity(j: int) -> int:
            return min(len(strings[h]) for h in seq[j][0][1]) if seq[j] else -1

        k = max(range(len(seq)), key=lambda j: (rarity(j), j))
        col, hashes = seq[k][0]
        # The other constraints, as (offset from the anchor, column, allowed hashes).
        checks = tuple(
            (j - k, c, allowed)
            for j, step in enumerate(seq)
            for i, (c, allowed) in enumerate(step)
            if (j, i) != (k, 0)
        )
        self._uses_orth = self._uses_orth or any(c == 2 for c, _ in (s for step in seq for s in step))
        for h in hashes:
            self._sequences.setdefault((col, h), []).append((match_id, -k, len(seq) - k, checks))
            self._anchor_words[col].add(h)

    def _add_rule(self, rule: _Rule) -> str:
        key = f"wei-qual:{len(self._rules)}"
        self._rules[self.lower.vocab.strings.add(key)] = rule
        return key

    def _pattern_matches(self, doc: Doc, words: _Words) -> list[tuple[int, int, int]]:
        """Pattern matches as (match id, start, end), looking only where a pattern's words are.

        Fixed sequences are checked at the positions of their anchor word. Matcher rules run only when
        the doc holds all their anchors, and only around their last anchor's words. Every match contains
        those words, so no match is lost.
        """
        found: list[tuple[int, int, int]] = []
        n = len(doc)
        # ORTH hashes only when a pattern needs them.
        orths = _orths(doc) if self._uses_orth or self._pattern_rules else []
        columns = (words.lowers, words.lemmas, orths)
        for col, wanted in enumerate(self._anchor_words):
            if not wanted:
                continue
            column = columns[col]
            if wanted.isdisjoint(column):
                continue
            for i, h in enumerate(column):
                if h not in wanted:
                    continue
                for match_id, before, after, checks in self._sequences[(col, h)]:
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

    def match(self, doc: Doc, text: str | None = None) -> list[tuple[str, float, list[dict]]]:
        """(code, score, evidence) for every code with at least one match in the doc.

        Evidence items are dicts with Evidence's fields, as stored (building thousands of frozen
        dataclasses, then dicts, showed up in the bench). `text` is doc.text, if the caller has it.
        """
        words = _words(doc)
        # An empty Matcher warns (W036) on every call, so call only those that hold rules.
        found = self.lower(doc) + self.lemma(doc) if len(self.lower) else []
        if self._sequences or self._pattern_rules:
            found += self._pattern_matches(doc, words)
        if not found:
            return []
        text = doc.text if text is None else text
        rules = self._rules
        by_code: dict[str, dict[tuple[int, int], _Rule]] = {}
        get_spans = by_code.get
        for match_id, start, end in found:
            rule = rules[match_id]
            spans = get_spans(rule.code)
            if spans is None:
                by_code[rule.code] = {(start, end): rule}
            else:
                spans.setdefault((start, end), rule)  # the first rule found for a span wins
        results = []
        lowers, cues, breaks = words.lowers, self._cues, self._breaks
        for code in sorted(by_code):
            spans = by_code[code]
            items = (
                spans.items() if len(spans) == 1 else [(k, spans[k]) for k in _longest_spans(sorted(spans))]
            )
            evidence, miss = [], 1.0
            for (start, end), rule in items:
                # Negated: a cue within NEGATION_WINDOW tokens before the match, in the same clause.
                negated = False
                stop = start - NEGATION_WINDOW if start > NEGATION_WINDOW else 0
                if not cues.isdisjoint(lowers[stop:start]):  # usually no cue at all: checked in C
                    i = start - 1
                    while i >= stop:
                        if lowers[i] in cues:
                            negated = True
                            break
                        if lowers[i] in breaks:
                            break
                        i -= 1
                miss *= 1.0 - rule.weight * (NEGATED_FACTOR if negated else 1.0)
                token = doc[start]
                first = token.idx
                if end - start > 1:
                    token = doc[end - 1]
                last = token.idx + len(token)
                evidence.append(
                    {
                        "start": first,
                        "end": last,
                        "text": text[first:last],
                        "source": rule.source,
                        "negated": negated,
                    }
                )
            results.append((code, round(1.0 - miss, 4), evidence))
        return results


def _longest_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted (start, end) spans without overlaps, the longest winning ("crisis unit" over "unit")."""
    end = -1
    for s, e in spans:
        if s < end:
            break
        end = e
    else:
        return spans  # the usual case: no overlap
    taken: set[int] = set()
    kept = []
    for start, stop in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if taken.isdisjoint(range(start, stop)):
            kept.append((start, stop))
            taken.update(range(start, stop))
    return sorted(kept)


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


def evidence_to_dict(e: Evidence) -> dict:
    return {"start": e.start, "end": e.end, "text": e.text, "source": e.source, "negated": e.negated}


@dataclass(frozen=True)
class SuggestResult:
    engine: str
    codebook_id: int
    segments: int
    words: int
    suggestions: int
    codes: int  # codes with keywords or patterns
    stale: int  # earlier suggestions marked stale by this run


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while matching and storing.

    The loop creates hundreds of thousands of small objects that all survive (the stored rows), so the
    collector keeps re-scanning them: about 5-10% of suggest's time in the bench. Docs hold no reference
    cycles (see _Words), so they are still freed as the loop goes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


STORE_CACHE_KIB = 64 * 1024  # SQLite page cache while storing: the study corpus writes ~20 MB of rows


@contextlib.contextmanager
def _page_cache(db: Database, kib: int) -> Iterator[None]:
    """Raise the connection's page cache while replacing suggestions, then restore it.

    With SQLite's default 2 MB, deleting and re-inserting ~80,000 rows spills dirty pages of the table
    and its unique index mid-transaction. In a side test on the study corpus the insert went from
    0.34-0.50 s to 0.30-0.33 s (a small gain, within run-to-run noise end to end).
    """
    previous = db.execute("PRAGMA cache_size").fetchone()[0]
    if previous >= 0 or -previous < kib:  # positive: pages; negative: KiB
        db.execute(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(previous)}")


def require_active_codebook(db: Database) -> tuple[int, Codebook]:
    active = get_active_codebook(db)
    if active is None:
        raise SuggestError('No codebook is loaded. Load one with "wei-qual codebook load FILE".')
    return active


def check_transcripts(db: Database, transcript_ids: Iterable[str]) -> None:
    for tid in transcript_ids:
        if get_transcript_row(db, tid) is None:
            raise SuggestError(
                f'Transcript "{tid}" is not in the project. See the ids with "wei-qual transcripts list".'
            )


def run_suggest(
    db: Database,
    *,
    transcripts: list[str] | None = None,
    model: str | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    pipeline: Pipeline | None = None,
    batch_size: int = BATCH_SIZE,
    on_progress: ProgressCallback | None = None,
) -> SuggestResult:
    """Suggest codes for participant segments and store them, replacing this engine's earlier ones.

    Raises SuggestError when no codebook is loaded, a transcript is unknown or the model is not installed.
    Nothing is written unless every segment was processed.
    """
    version_id, codebook = require_active_codebook(db)
    transcripts = list(dict.fromkeys(transcripts or []))
    check_transcripts(db, transcripts)
    pipeline = pipeline or build_pipeline(model)
    rules = compile_rules(pipeline, codebook)
    if transcripts:
        rows = [r for tid in transcripts for r in iter_segments(db, transcript_id=tid, role="participant")]
    else:
        rows = iter_segments(db, role="participant")

    total, words, stored = len(rows), 0, []
    docs = pipeline.pipe((r["text"] for r in rows), batch_size=batch_size)
    with _gc_paused():
        for done, (row, doc) in enumerate(zip(rows, docs), start=1):
            words += len(row["text"].split())
            for code, score, evidence in rules.match(doc, row["text"]):
                if score >= min_score:
                    stored.append((row["id"], code, score, evidence))
            if on_progress and (done % 64 == 0 or done == total):
                on_progress(done, total)

        with _page_cache(db, STORE_CACHE_KIB), transaction(db):
            stale = suggestion_store.mark_stale(db, version_id)
            suggestion_store.replace_suggestions(
                db,
                codebook_id=version_id,
                engine=pipeline.engine,
                segment_ids=None if not transcripts else [r["id"] for r in rows],
                rows=stored,
            )
    return SuggestResult(pipeline.engine, version_id, total, words, len(stored), len(rules.codes), stale)


def list_suggestions(
    db: Database,
    *,
    transcripts: list[str] | None = None,
    engine: str | None = None,
    include_stale: bool = False,
    min_score: float | None = None,
) -> list[tuple[Suggestion, bool]]:
    """Stored suggestions with their stale flag.

    By default: current ones for the active codebook, from `engine` or else the engine that ran last.
    With include_stale, every stored suggestion (of `engine` when given). Raises SuggestError.
    """
    version_id, _ = require_active_codebook(db)
    transcripts = list(dict.fromkeys(transcripts or []))
    check_transcripts(db, transcripts)
    if not include_stale and engine is None:
        engine = suggestion_store.latest_engine(db, version_id)
        if engine is None:
            return []
    return suggestion_store.iter_suggestions(
        db,
        codebook_id=None if include_stale else version_id,
        engine=engine,
        transcript_ids=transcripts or None,
        include_stale=include_stale,
        min_score=min_score,
    )


# --- evaluation -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeScore:
    code: str
    tp: int
    fp: int
    fn: int
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True)
class Evaluation:
    codes: list[CodeScore]
    micro: CodeScore  # code = "micro"
    macro: dict[str, float | None]  # precision, recall, f1: means over codes where defined
    acceptance: dict[str, Any]  # decisions, shown, accepted, rate
    segments: int
    engine: str
    min_score: float

    def to_json(self) -> dict:
        def scores(s: CodeScore) -> dict:
            return {
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
                "precision": s.precision,
                "recall": s.recall,
                "f1": s.f1,
            }

        return {
            "codes": [{"code": s.code, **scores(s)} for s in self.codes],
            "micro": scores(self.micro),
            "macro": dict(self.macro),
            "acceptance": dict(self.acceptance),
        }


def _ratio(num: int, den: int, digits: int | None = 4) -> float | None:
    if den == 0:
        return None
    return num / den if digits is None else round(num / den, digits)


def _ratios(
    tp: int, fp: int, fn: int, digits: int | None = 4
) -> tuple[float | None, float | None, float | None]:
    """Precision, recall and F1 = 2tp / (2tp + fp + fn); None where the denominator is 0."""
    return _ratio(tp, tp + fp, digits), _ratio(tp, tp + fn, digits), _ratio(2 * tp, 2 * tp + fp + fn, digits)


def score_sets(
    pairs: Iterable[tuple[set[str] | frozenset[str], set[str] | frozenset[str]]], codes: list[str]
) -> tuple[list[CodeScore], CodeScore, dict[str, float | None]]:
    """Per-code, micro and macro scores of (suggested, decided) code sets, one pair per segment.

    Only `codes` are counted. Undefined ratios are None; macro means skip them. Values are rounded
    to 4 decimals after averaging.
    """
    counts = {c: [0, 0, 0] for c in codes}
    for suggested, decided in pairs:
        for code, count in counts.items():
            s, d = code in suggested, code in decided
            if s and d:
                count[0] += 1
            elif s:
                count[1] += 1
            elif d:
                count[2] += 1
    per_code = [CodeScore(c, *counts[c], *_ratios(*counts[c])) for c in codes]
    totals = [sum(x[i] for x in counts.values()) for i in range(3)]
    micro = CodeScore("micro", *totals, *_ratios(*totals))

    raw = [_ratios(*counts[c], digits=None) for c in codes]
    macro = {}
    for i, name in enumerate(("precision", "recall", "f1")):
        defined = [r[i] for r in raw if r[i] is not None]
        macro[name] = round(sum(defined) / len(defined), 4) if defined else None
    return per_code, micro, macro


def acceptance_rate(decisions: Iterable[Decision]) -> dict[str, Any]:
    """How often codes suggested on screen in the coding session were accepted."""
    n = shown = accepted = 0
    for d in decisions:
        if d.shown:
            n += 1
            shown += len(d.shown)
            accepted += len(d.accepted & d.shown)
    return {"decisions": n, "shown": shown, "accepted": accepted, "rate": _ratio(accepted, shown)}


def evaluate_suggestions(
    db: Database, *, coder: str, min_score: float = EVALUATE_MIN_SCORE, engine: str | None = None
) -> Evaluation:
    """Compare current suggestions (score >= min_score) with one coder's decisions; raises SuggestError.

    Counts the codes of the active codebook that have keywords or patterns.
    """
    version_id, codebook = require_active_codebook(db)
    decisions = iter_decisions(db, coders=[coder])
    if not decisions:
        raise SuggestError(
            f'Coder "{coder}" has no decisions in this project. Check the name, or code some segments '
            f'with "wei-qual code --coder {coder}".'
        )
    engine = engine or suggestion_store.latest_engine(db, version_id)
    if engine is None:
        raise SuggestError(
            'There are no current suggestions for the active codebook. Run "wei-qual suggest" first.'
        )
    suggested: dict[tuple[str, int], set[str]] = {}
    for s, _ in suggestion_store.iter_suggestions(
        db, codebook_id=version_id, engine=engine, min_score=min_score
    ):
        suggested.setdefault((s.transcript, s.segment), set()).add(s.code)
    codes = [c.id for c in codebook.codes if not c.merged_into and (c.keywords or c.patterns)]
    pairs = [(suggested.get((d.transcript, d.segment), set()), d.codes) for d in decisions]
    per_code, micro, macro = score_sets(pairs, codes)
    return Evaluation(per_code, micro, macro, acceptance_rate(decisions), len(decisions), engine, min_score)
