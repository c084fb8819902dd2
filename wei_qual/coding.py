"""Starting a coding session from the project: load the codebook, the queue (each segment's number and
role, no text), the coder's own decisions and memos ONCE, so each keystroke afterwards is in-memory work; a
transcript's segments are read when it is first shown, and suggestions per segment when first shown (one
indexed query each).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from .decisions_io import NO_CODEBOOK
from .defaults import EVALUATE_MIN_SCORE
from .errors import DecisionError, quoted
from .models import Decision, Segment, Suggestion
from .numbers import whole_number
from .session import CodingSession, Queue, order_by_uncertainty
from .store.assignments import assigned_transcripts
from .store.codebooks import code_moves, get_active_codebook, get_active_version_id, get_codebook
from .store.decisions import (
    count_coder_decisions,
    data_version,
    decisions_saved_after,
    get_decision,
    iter_coder_decision_keys,
    iter_decisions,
    iter_decisions_where_applied,
    iter_memos,
    iter_suggestions_for_session,
    last_decision_id,
)
from .store.learned_models import (
    get_learned_model,
    iter_learned_scores,
    learned_from_others,
    suggestion_models,
)
from .store.suggestions import latest_engine, rules_engine
from .store.transcripts import (
    as_known_ids,
    get_attributes,
    get_speaker_attributes,
    iter_segment_outline,
    iter_transcript_rows,
    iter_transcript_segments,
    transcript_ids,
    unknown_transcript,
)


class LazySuggestions:
    """Suggestions fetched per segment when first shown (one indexed query), then cached.

    Loading all of a study's suggestions up front cost seconds at start-up for no gain. With `coder`, a
    learned model's suggestions are left out where it learned another coder's decisions (the session is
    blind): there the engine "learned" shows none and "both" shows the rules' own.
    """

    def __init__(self, db: Database, codebook_id: int, coder: str | None = None) -> None:
        self.db, self.coder = db, coder
        self.cache: dict[tuple[str, int], list[Suggestion]] = {}
        self.switch(codebook_id)

    def switch(self, codebook_id: int) -> None:
        """Read suggestions of another codebook version from now on (a draft code made a new one)."""
        self.codebook_id = codebook_id
        # Show the engine that ran last, at the threshold `suggest evaluate` uses, so acceptance
        # rates and evaluation describe the same suggestions.
        self.engine = latest_engine(self.db, codebook_id)
        # What "both" shows where the model's suggestions are left out: the rules' own.
        self.fallback = rules_engine(self.db, codebook_id) if self.engine == "both" else None
        self.hidden: dict[int, frozenset[tuple[str, int]] | None] = {}  # model id -> learned_from_others
        self.blind: set[tuple[str, int]] = set()  # segments read where a model's suggestions were left out
        self.cache.clear()

    def _learned_from_others(self, key: tuple[str, int], found: list[Suggestion]) -> bool:
        """Whether a suggestion here comes from a model that learned this segment from another coder (each
        row names its model: runs on some transcripts may have used another model than the newest)."""
        for model_id in {s.model_id for s in found if s.model_id is not None}:
            if model_id not in self.hidden:
                row = get_learned_model(self.db, model_id)
                self.hidden[model_id] = learned_from_others(row, self.coder) if row is not None else None
            hidden = self.hidden[model_id]
            if hidden is None or key in hidden:
                return True
        return False

    def blinded(self, key: tuple[str, int]) -> bool:
        """Whether a model's suggestions were left out on this segment (it learned them from others)."""
        return key in self.blind

    def _read(self, key: tuple[str, int], engine: str | None) -> list[Suggestion]:
        if engine is None:
            return []
        found = iter_suggestions_for_session(
            self.db, self.codebook_id, segment=key, engine=engine, min_score=EVALUATE_MIN_SCORE
        )
        return found.get(key, [])

    def get(self, key: tuple[str, int], default: list[Suggestion] | None = None) -> list[Suggestion]:
        if key not in self.cache:
            found = self._read(key, self.engine)
            if self.coder is not None and self._learned_from_others(key, found):
                self.blind.add(key)
                found = self._read(key, self.fallback)
            self.cache[key] = found
        return self.cache[key] or (default if default is not None else [])


class LazyDecisions(MutableMapping):
    """One coder's decisions keyed by (transcript, n). Start-up reads only the keys (what the queue and
    the progress count need); a transcript's decisions are read when one of them is first asked for (to
    show or edit it). Only this coder's: the session is blind."""

    def __init__(self, db: Database, coder: str) -> None:
        self.db, self.coder = db, coder
        self.keys_: dict[tuple[str, int], None] = dict.fromkeys(
            map(tuple, iter_coder_decision_keys(db, coder))
        )
        self.loaded: dict[tuple[str, int], Decision] = {}
        self.read: set[str] = set()  # transcripts whose decisions were read

    def __contains__(self, key: object) -> bool:
        return key in self.keys_

    def __len__(self) -> int:
        return len(self.keys_)

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return iter(self.keys_)

    def __getitem__(self, key: tuple[str, int]) -> Decision:
        if key not in self.keys_:
            raise KeyError(key)
        if key not in self.loaded and key[0] not in self.read:
            self.read.add(key[0])
            for d in iter_decisions(self.db, coders=[self.coder], transcript_id=key[0]):
                self.loaded.setdefault((d.transcript, d.segment), d)  # a decision saved since stays
        if key not in self.loaded:  # removed meanwhile (e.g. `coders remove` from another terminal)
            del self.keys_[key]
            raise KeyError(key)
        return self.loaded[key]

    def __setitem__(self, key: tuple[str, int], decision: Decision) -> None:
        self.keys_[key] = None
        self.loaded[key] = decision

    def __delitem__(self, key: tuple[str, int]) -> None:
        del self.keys_[key]
        self.loaded.pop(key, None)


class CodedCount:
    """The coder's "coded X of Y" as the project holds it: a second session of the same coder (another
    terminal, a packet merged meanwhile) saves too, and a count made at start-up missed its saves.
    Called before each screen: one query for the decisions created since the last call (a range of the
    primary key), and only when another connection has written since (SQLite's data_version), a count
    of the coder's decisions (an index alone), to notice one removed (`coders remove`)."""

    def __init__(
        self,
        db: Database,
        coder: str,
        scope: Collection[tuple[str, int]],
        *,
        start: tuple[int, int] | None = None,
        keys: Iterable[tuple[str, int]] | None = None,
    ) -> None:
        """`start` (last_decision_id, data_version) read before `keys`, the coder's decision keys, when
        the caller has them already (the session's start-up reads them once)."""
        self.db, self.coder, self.scope = db, coder, scope
        if start is None or keys is None:
            self._load()
        else:
            self._count(start, keys)

    def _load(self) -> None:
        start = (last_decision_id(self.db), data_version(self.db))  # first: one saved meanwhile is read twice
        self._count(start, iter_coder_decision_keys(self.db, self.coder))

    def _count(self, start: tuple[int, int], keys: Iterable[tuple[str, int]]) -> None:
        self.last_id, self.version = start
        self.keys = {(k[0], k[1]) for k in keys}
        self.coded = sum(1 for k in self.keys if k in self.scope)

    def __contains__(self, key: object) -> bool:
        """Whether the project held a decision of the coder on a (transcript, n) key at the last call."""
        return key in self.keys

    def __call__(self) -> int:
        for row_id, transcript, n in decisions_saved_after(self.db, self.coder, self.last_id):
            self.last_id = row_id
            if (transcript, n) not in self.keys:
                self.keys.add((transcript, n))
                self.coded += (transcript, n) in self.scope
        version = data_version(self.db)
        if version != self.version:
            self.version = version
            if count_coder_decisions(self.db, self.coder) != len(self.keys):  # one was removed
                self._load()
        return self.coded


class LazyTurns:
    """Each transcript's segments, read when the session first shows one of them (one indexed query), then
    kept: reading a whole study's 36,000 turns at start-up took most of the first screen's time."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.cache: dict[str, list[Segment]] = {}

    def __call__(self, transcript: str) -> list[Segment]:
        turns = self.cache.get(transcript)
        if turns is None:
            turns = self.cache[transcript] = iter_transcript_segments(self.db, [transcript]).get(
                transcript, []
            )
        return turns


@dataclass
class SessionContext:
    """What the screen shows besides the session state: attributes, this coder's memos, and which learned
    model made the suggestions on screen (and whether it is out of date)."""

    attributes: dict[str, dict[str, str]]
    memos: dict[tuple[str, str], str]
    suggestions_note: str | None = None
    # A pair or group interview's speakers' own attributes (role=officer, role=clinician) over the
    # transcript's: (transcript, speaker) -> attributes.
    speaker_attributes: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    def attributes_of(self, transcript: str, speaker: str | None) -> dict[str, str]:
        own = self.speaker_attributes.get((transcript, speaker), {}) if speaker is not None else {}
        return {**self.attributes.get(transcript, {}), **own}


ORDERS = ("transcript", "uncertain")


def learned_note(db: Database, codebook_id: int, engine: str | None, coder: str | None = None) -> str | None:
    """'Suggestions by learned model 3' (+ why it is out of date, and where `coder`'s blind session leaves
    them out) when the suggestions shown are learned: a sentence per model behind them, with the segments
    each made them for when there are several (a run on some transcripts with a newer model)."""
    if engine not in ("learned", "both"):
        return None
    from .suggest.train import staleness

    models = suggestion_models(db, codebook_id, engine)
    notes = []
    for model_id, segments in models:
        row = get_learned_model(db, model_id)
        if row is None:
            continue
        note = f"Suggestions by learned model {model_id} ({engine})"
        note += f" on {segments} segment{'' if segments == 1 else 's'}" if len(models) > 1 else ""
        reasons = staleness(db, row, codebook_id)
        note += f"; out of date: {'; '.join(reasons)}" if reasons else ""
        if coder is not None:
            hidden = learned_from_others(row, coder)
            instead = "the rules' only" if engine == "both" else "none"
            if hidden is None:
                note += (
                    f"; it learned {row['source']}'s decisions on segments it does not name, so it is not shown"
                    f' to {coder} (blind): {instead}. Retrain it with "wei-qual suggest train"'
                )
            elif hidden:
                note += (
                    f"; not shown on the {len(hidden)} segments it learned from {row['source']}'s decisions"
                    f" (blind): {instead} there"
                )
        notes.append(note + ".")
    return " ".join(notes) or None


def uncertainty_scores(db: Database, codebook_id: int) -> dict[tuple[str, int], list[float]]:
    """The newest model's stored scores per segment; raises DecisionError when there are none."""
    row = get_learned_model(db)
    if row is None:
        raise DecisionError(
            '--order uncertain needs a learned model. Train one with "wei-qual suggest train", then run '
            '"wei-qual suggest --engine learned".'
        )
    scores = iter_learned_scores(db, codebook_id, row["id"])
    if not scores:
        raise DecisionError(
            f"The newest learned model ({row['id']}) has no suggestions for the active codebook. "
            'Run "wei-qual suggest --engine learned" first.'
        )
    return scores


def refresh_codebook(db: Database, session: CodingSession) -> str | None:
    """Switch the session to the active codebook version when it changed since the session loaded it
    (a draft code created by any coder, a version loaded by the lead); a notice for the screen, or None."""
    version = get_active_version_id(db)
    if version is None or version == session.codebook_id:
        return None
    codebook = get_codebook(db, version)
    if codebook is None:
        return None
    before = {c.id for c in session.codebook.codes}
    lost = session.adopt_codebook(version, codebook)
    if hasattr(session.suggestions, "switch"):
        session.suggestions.switch(version)
    added = [c.id for c in codebook.codes if c.id not in before]
    notes = []
    if added:
        notes.append(f"New in the codebook: {', '.join(added)}.")
    if lost:
        notes.append(f"Taken off this segment (no longer in the codebook): {', '.join(lost)}.")
    return " ".join(notes) or f"The codebook changed (version {version})."


def check_coder_name(coder: str) -> str:
    """A coder name as the coder-name normaliser resolved it (wei_qual.coders; a name stored with extra
    spaces before names were normalised stays reachable); raises DecisionError when empty."""
    if not coder.strip():
        raise DecisionError("The coder name is empty. Pass one with --coder, e.g. --coder alice.")
    return coder


def _start_key(start: str, known: Collection[str], session: CodingSession) -> tuple[str, int]:
    """The (transcript, segment) that --from names ("P21:30", the transcript in any case), checked to be
    in the session's walk."""
    tid, _, number = start.rpartition(":")
    n = whole_number(number.strip())
    if not tid.strip() or n is None:
        raise DecisionError(
            f"--from {quoted(start)} is not TRANSCRIPT:SEGMENT. Give it as the session printed it, e.g. --from P01:12."
        )
    tid = as_known_ids([tid.strip()], known)[0]
    if tid not in known:
        raise DecisionError(unknown_transcript(tid, known, "--from"))
    if (tid, n) not in session.scope:
        raise DecisionError(
            f"{tid} segment {n} is not among the segments this session walks (an interviewer turn needs "
            "--include-interviewer; another speaker's turn, role other, is never walked; a transcript left "
            "out by --transcript, or no such segment). Check it "
            f'with "wei-qual transcripts show {tid}".'
        )
    return tid, n


def _holding(db: Database, coder: str, codes: list[str]) -> set[tuple[str, int]]:
    """The segments whose decision by `coder` holds one of `codes` (ids in any case); raise DecisionError
    naming a code none of them holds."""
    wanted = {c.strip().lower() for c in codes}
    found = [
        (t, n, held)
        for t, n, who, held in iter_decisions_where_applied(db, wanted, [coder])
        if who == coder and wanted & held
    ]
    held_any = {c for *_, held in found for c in held}
    missing = sorted(wanted - held_any)
    moves = code_moves(db) if missing else {}
    moved = {}
    for code in missing:
        now, seen = code, {code}
        while now in moves and moves[now] not in seen:  # renamed in one version, merged in a later one
            now = moves[now]
            seen.add(now)
        if now != code:
            moved[code] = now
    if moved:
        listed = ", ".join(f"{quoted(old)} is now {quoted(new)}" for old, new in moved.items())
        raise DecisionError(
            f"A later codebook version renamed or merged a code given with --code ({listed}): its decisions "
            f"moved with it. Pass --code {next(iter(moved.values()))}."
        )
    if missing:
        raise DecisionError(
            f"None of {coder}'s decisions holds {', '.join(quoted(c) for c in missing)} (given with --code), so "
            f'there is nothing to recode for it. See where it is applied with "wei-qual retrieve {missing[0]} '
            '--source union".'
        )
    return {(t, n) for t, n, _ in found}


def _find_words(db: Database, words: str, transcripts: list[str] | None) -> dict:
    """`/WORDS` in a session, matched as `wei-qual search` matches them (search is loaded only then)."""
    from .search import segment_spans

    return segment_spans(db, words, transcripts=transcripts)


def load_session(
    db: Database,
    coder: str,
    *,
    transcripts: list[str] | None = None,
    include_interviewer: bool = False,
    recode: bool = False,
    order: str = "transcript",
    start: str | None = None,
    codes: list[str] | None = None,
) -> tuple[CodingSession, SessionContext]:
    """Build a session for `coder`. Every query filters by this coder: the session is blind.

    order: "transcript" (assigned transcripts first, then in order) or "uncertain" (the segments the newest
    learned model is least sure of first: for building training data, not for a reliability sample).
    codes: walk only the segments whose decision (this coder's) holds one of them (a --recode walk), such
    as a code a later version split or retired.
    Raises DecisionError when no codebook is loaded, a --transcript id is unknown, or there is nothing to code.
    """
    coder = check_coder_name(coder)
    active = get_active_codebook(db)
    if active is None:
        raise DecisionError(NO_CODEBOOK)
    version_id, codebook = active
    if transcripts:
        transcripts = as_known_ids(transcripts, transcript_ids(db))
    # Only the queue's outline (numbers and roles): a transcript's text is read when it is first shown.
    outline = iter_segment_outline(db, transcripts or None)
    if not outline and (not transcripts or not iter_transcript_rows(db)):
        raise DecisionError('The project has no transcripts. Add some with "wei-qual ingest PATH".')
    if transcripts:
        unknown = [t for t in transcripts if t not in outline]
        if unknown:
            raise DecisionError(unknown_transcript(unknown[0], transcript_ids(db)))
        outline = {t: outline[t] for t in transcripts}
    start_of_count = (last_decision_id(db), data_version(db))  # before the keys (CodedCount)
    decisions = LazyDecisions(db, coder)
    queue = Queue(
        outline,
        LazyTurns(db),
        include_interviewer=include_interviewer,
        first=set(assigned_transcripts(db, coder)),
    )
    if order not in ORDERS:
        raise DecisionError(f'Unknown order "{order}". Use one of: {", ".join(ORDERS)}.')
    scope = queue.scope()  # every segment in scope is queued once
    if order == "uncertain":
        queue = order_by_uncertainty(queue, uncertainty_scores(db, version_id))
    if codes:
        holding = _holding(db, coder, codes)
        queue = [item for item in queue if item.key in holding]
        recode = True  # the segments asked for are coded ones
    suggestions = LazySuggestions(db, version_id, coder)
    count = CodedCount(db, coder, scope, start=start_of_count, keys=decisions.keys_)
    session = CodingSession(
        coder=coder,
        codebook=codebook,
        codebook_id=version_id,
        queue=queue,
        decisions=decisions,
        suggestions=suggestions,
        scope=scope,
        recode=recode,
        count_coded=count,
        coded=count.__contains__,
        stored=lambda key: get_decision(db, key[0], key[1], coder),
        find_words=lambda words: _find_words(db, words, transcripts or None),
    )
    session.refresh_progress()
    if start is not None:
        session.start_at(_start_key(start, transcript_ids(db), session))
    note = learned_note(db, version_id, suggestions.engine, coder)
    return session, SessionContext(
        attributes=get_attributes(db),
        memos=iter_memos(db, coder),
        suggestions_note=note,
        speaker_attributes=get_speaker_attributes(db),
    )
