"""Running suggest on a project: compute suggestions for its participant segments and store them,
replacing the engine's earlier ones; list the stored ones."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from ..defaults import DEFAULT_MIN_SCORE
from ..errors import SuggestError
from ..gcpause import paused_gc
from ..models import ALL_KINDS, Codebook, Evidence, Suggestion, count_words, unit_roles
from ..store import page_cache, transaction
from ..store import suggestions as suggestion_store
from ..store.codebooks import get_active_codebook
from ..store.transcripts import iter_segments, resolve_transcript_id
from .pipeline import BATCH_SIZE, Pipeline, build_pipeline
from .rules import Rules, compile_rules

MIN_SEGMENTS_PER_JOB = 500  # below this, starting a worker process costs more than it saves

if TYPE_CHECKING:  # pragma: no cover
    # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`.
    from sqlite_utils import Database

ProgressCallback = Callable[[int, int], None]  # (segments done, segments in total)


def evidence_to_dict(e: Evidence) -> dict:
    return {
        "start": e.start,
        "end": e.end,
        "text": e.text,
        "source": e.source,
        "negated": e.negated,
        "cue": e.cue,
        "counterfactual": e.counterfactual,
        "excluded": e.excluded,
    }


@dataclass(frozen=True)
class SuggestResult:
    engine: str
    codebook_id: int
    segments: int
    words: int
    suggestions: int
    codes: int  # codes with keywords or patterns (rules), or labels of the model (learned, both)
    stale: int  # earlier suggestions marked stale by this run
    model_id: int | None = None  # the learned model used (learned, both)
    model_stale: tuple[str, ...] = ()  # why that model is out of date, if it is


STORE_CACHE_KIB = 64 * 1024  # SQLite page cache while storing: the study corpus writes ~20 MB of rows


def require_active_codebook(db: Database) -> tuple[int, Codebook]:
    active = get_active_codebook(db)
    if active is None:
        raise SuggestError('No codebook is loaded. Load one with "wei-qual codebook load FILE".')
    return active


def check_transcripts(db: Database, transcript_ids: Iterable[str]) -> list[str]:
    """The transcript ids as the project spells them (`p01` for P01: resolve_transcript_id), each once,
    or raise SuggestError for one the project does not have."""
    out = []
    for tid in transcript_ids:
        found = resolve_transcript_id(db, tid)
        if found is None:
            raise SuggestError(
                f'Transcript "{tid}" is not in the project. See the ids with "wei-qual transcripts list".'
            )
        out.append(found)
    return list(dict.fromkeys(out))


ENGINES = ("rules", "learned", "both")


def participant_rows(db: Database, transcripts: list[str]) -> list[dict]:
    """The segments to suggest for, participant turns and document segments (both are coded): every one,
    or those of `transcripts` (checked); each its `id`, `transcript_id` and `text`."""
    transcripts = check_transcripts(db, transcripts)
    roles, columns = unit_roles(ALL_KINDS), ("id", "text")
    if transcripts:
        return [
            r
            for tid in transcripts
            for r in iter_segments(db, transcript_id=tid, roles=roles, columns=columns)
        ]
    return iter_segments(db, roles=roles, columns=columns)


def rule_rows(
    rows: list[dict],
    pipeline: Pipeline,
    rules: Rules,
    *,
    min_score: float,
    batch_size: int = BATCH_SIZE,
    on_progress: ProgressCallback | None = None,
    jobs: int = 1,
    encode: bool = False,
) -> tuple[list[tuple[int, str, float, list[dict] | str]], int]:
    """(segment id, code, score, evidence) of every rule match scoring at least min_score, and the words;
    with `encode` the evidence is its JSON text (store.suggestions.evidence_json), as it is stored.

    With `jobs` > 1 (and at least MIN_SEGMENTS_PER_JOB segments per job, where processes can be forked)
    the segments are cut into consecutive slices that forked worker processes tokenize and match, each
    with this process's pipeline and rules; only the suggestions come back, in segment order, so the
    result is the one of a single process."""
    from .. import parallel

    total = len(rows)
    if jobs <= 1 or total < MIN_SEGMENTS_PER_JOB * jobs or not parallel.can_fork():
        return _match_slice(rows, pipeline, rules, min_score, batch_size, on_progress, total, encode)
    size = max(MIN_SEGMENTS_PER_JOB // 2, -(-total // (jobs * 4)))  # about four slices per worker
    slices = [(start, start + size) for start in range(0, total, size)]
    stored: list[tuple[int, str, float, list[dict]]] = []
    words = 0
    work = partial(_match_range, rows, pipeline, rules, min_score, batch_size, encode)
    for (_, end), (ok, result) in zip(slices, parallel.ordered_map(work, slices, jobs, name=_slice_named)):
        if not ok:
            raise result
        part, part_words = result
        stored += part
        words += part_words
        if on_progress:
            on_progress(end, total)
    return stored, words


def _slice_named(span: tuple[int, int]) -> str:
    return f"Segments {span[0] + 1:,} to {span[1]:,} of the batch"


def _match_range(rows, pipeline, rules, min_score, batch_size, encode, span: tuple[int, int]):
    return _match_slice(rows[span[0] : span[1]], pipeline, rules, min_score, batch_size, None, 0, encode)


def _match_slice(
    rows: list[dict],
    pipeline: Pipeline,
    rules: Rules,
    min_score: float,
    batch_size: int,
    on_progress: ProgressCallback | None,
    total: int,
    encode: bool = False,
) -> tuple[list[tuple[int, str, float, list[dict] | str]], int]:
    words, stored = 0, []
    docs = pipeline.pipe((r["text"] for r in rows), batch_size=batch_size)
    for done, (row, doc) in enumerate(zip(rows, docs), start=1):
        words += count_words(row["text"])
        # Encoded at once when storing follows: a million suggestions held as text, not dicts.
        for code, score, evidence in rules.match(doc, row["text"], encode=encode):
            if score >= min_score:
                stored.append((row["id"], code, score, evidence))
        if on_progress and (done % 64 == 0 or done == total):
            on_progress(done, total)
    return stored, words


def run_suggest(
    db: Database,
    *,
    transcripts: list[str] | None = None,
    model: str | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    pipeline: Pipeline | None = None,
    batch_size: int = BATCH_SIZE,
    on_progress: ProgressCallback | None = None,
    engine: str = "rules",
    jobs: int = 1,
) -> SuggestResult:
    """Suggest codes for participant segments (and document segments) and store them, replacing this
    engine's earlier ones.

    engine: "rules" (keywords and patterns), "learned" (the newest trained model) or "both" (see
    wei_qual.suggest.learned_run). Raises SuggestError when no codebook is loaded, a transcript is unknown,
    the model is not installed or no model was trained. Nothing is written unless every segment was processed.
    `jobs` > 1 tokenizes and matches slices of the segments in that many forked processes (rule_rows) when
    there are at least MIN_SEGMENTS_PER_JOB segments per process; the suggestions are the same.
    """
    if engine != "rules":
        from .learned_run import run_learned

        return run_learned(
            db,
            engine=engine,
            transcripts=transcripts,
            model=model,
            min_score=min_score,
            pipeline=pipeline,
            on_progress=on_progress,
        )
    # The collector paused from the start: loading spaCy and its lemma table and compiling the rules
    # make hundreds of thousands of objects, and it ran full passes over them (a twentieth of the time).
    with paused_gc(freeze=True):
        version_id, codebook = require_active_codebook(db)
        transcripts = list(dict.fromkeys(transcripts or []))
        rows = participant_rows(db, transcripts)
        pipeline = pipeline or build_pipeline(model)
        rules = compile_rules(pipeline, codebook)
        stored, words = rule_rows(
            rows,
            pipeline,
            rules,
            min_score=min_score,
            batch_size=batch_size,
            on_progress=on_progress,
            jobs=jobs,
            encode=True,
        )
        with page_cache(db, STORE_CACHE_KIB), transaction(db):
            stale = suggestion_store.mark_stale(db, version_id)
            suggestion_store.replace_suggestions(
                db,
                codebook_id=version_id,
                engine=pipeline.engine,
                segment_ids=None if not transcripts else [r["id"] for r in rows],
                rows=stored,
                min_score=min_score,
            )
    return SuggestResult(pipeline.engine, version_id, len(rows), words, len(stored), len(rules.codes), stale)


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
    transcripts = check_transcripts(db, transcripts or [])
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
