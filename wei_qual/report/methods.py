"""The methods section's numbers: gathered from the same core functions the other commands use.

Every value here comes from the function behind a command, called once, never recomputed:
- sample: report.data (the theme table's participant counts, `report themes`);
- coders: store.decisions.iter_coder_progress (`wei-qual coders`);
- codebook: codebook.list_versions and codebook.diff (`codebook versions`, `codebook diff`);
- double coding, reliability, diagnostics: agree.measure (`agree --diagnostics`);
- reconciliation: the units agree.list_disagreements lists (agree.disputed_units, on the same
  selection), and each coder's pooled alpha against consensus (`agree --coders alice,consensus`:
  agree.measure_beside, consensus read beside the coders' selection);
- suggestions: suggest.evaluate_suggestions (`suggest evaluate`) for each engine, and each coder's
  acceptance as it gives it (suggest.suggestion_acceptance); for the learned engine,
  suggest.train.learned_disclosure (`suggest models`, and the stored result of `suggest evaluate
  --engine learned --folds`);
- saturation: report.saturation (`report saturation`).
methods_text.py turns this into the editable passage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..models import count_words
from .data import (
    CONSENSUS,
    MAJORITY,
    UNION,
    DecisionRows,
    ReportData,
    consensus_elsewhere,
    elsewhere_hint,
    load_report_data,
    paused_gc,
)
from .saturation import Saturation, build_saturation, saturation_order

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

    from ..agree import AgreementResult, PooledAgreement, Selection
    from ..errors import NoAgreementError
    from ..store.decisions import ConsensusGaps

DEFAULT_BY = ("role", "setting")
MEANING = {
    "definition",
    "include",
    "exclude",
    "examples",
    "atypical_examples",
    "exclusive",
}  # the splits a study of officers and providers reports first


@dataclass
class CodebookVersion:
    version: int
    label: str
    name: str
    loaded_utc: str
    codes: int
    active: bool
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # definition, rules, examples, exclusive (meaning)
    moved: list[tuple[str, str | None]] = field(default_factory=list)  # (code, its new theme; None: top)
    relabelled: list[str] = field(default_factory=list)  # only the name changed (not by an id rename)
    returned: list[str] = field(default_factory=list)  # ids an earlier version had, back as they were
    reused: list[str] = field(default_factory=list)  # ids an earlier version had, given to another code


@dataclass
class EngineScore:
    """One suggestion engine against the reference coder (suggest evaluate's micro and macro scores).

    `extra` holds figures other evaluations add for an engine (e.g. cross-validated scores)."""

    engine: str
    reference: str
    segments: int
    min_score: float
    micro: dict[str, Any]
    macro: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Methods:
    source: str
    by: list[str]
    transcripts: int  # in the project
    transcripts_coded: int  # with a decided participant segment (source)
    participants: int  # participants counted by the reports (see report.data)
    groups: dict[str, dict[str, int]]  # participants per value of each `by` attribute
    units: int  # participant turns in the project
    words: dict[str, float | None]  # median, q1, q3 of words per participant turn
    agreement: AgreementResult | None  # None: nothing to compare (see no_agreement)
    assignment: dict | None  # how `wei-qual assign` drew the plan, when it was used
    coders: list[dict]  # iter_coder_progress rows of the independent coders
    versions: list[CodebookVersion]
    disputed: int | None  # units where the coders' codes differ (None: fewer than two coders)
    resolved: int | None  # of those, decided by the consensus coder
    consensus_decisions: int
    single_coded: int  # of those, single-coded turns copied as coded (reconcile --accept-single)
    stale_copies: (
        int  # consensus copies on participant turns the coders' decisions have moved away from since
    )
    with_consensus: dict[str, PooledAgreement]  # coder -> pooled agreement with consensus
    engines: list[EngineScore]
    acceptance: dict[str, dict[str, Any]]  # coder -> suggest evaluate's acceptance
    saturation: Saturation | None
    # The learned models behind the current suggestions of engines "learned" and "both", with their
    # cross-validated figures (suggest.train.learned_disclosure), whether or not a reference coder exists.
    learned: list[dict[str, Any]] = field(default_factory=list)
    # Read from consensus: (participant turns it decided, of those the coders decided); None otherwise.
    consensus_covers: tuple[int, int] | None = None
    decisions_by_version: dict[int, int] = field(default_factory=dict)  # codebook version -> decisions
    waiting: tuple[int, int] = (0, 0)  # (turns, transcripts) assigned to two coders, decided by one so far
    consensus_gaps: ConsensusGaps | None = None  # read from consensus: the turns it lacks, by what fills them
    others: dict[str, int] = field(default_factory=dict)  # coders not compared (--coders) -> turns decided
    # of `others`, those left out because they decided no double-coded turn (agree.select's idle)
    idle: tuple[str, ...] = ()
    codes_outside: dict[str, int] = field(default_factory=dict)  # codes the active version lacks -> decisions
    # of them, those a version split -> its new codes: the reports count them apart (before split)
    codes_split: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # codes with decisions the active version made theme headings (gave codes under them) -> decisions:
    # no agreement row or code count takes them until they are recoded
    headings_held: dict[str, int] = field(default_factory=dict)
    # (participant turns, of them disputed ones) consensus decided by hand that a coder decided otherwise
    # after it (agree.decided_without, as reconcile says them): open, not settled, until revisited
    decided_before_coder: tuple[int, int] = (0, 0)
    consensus: str = CONSENSUS  # the coder consensus is read from: --source NAME of one stored --as NAME
    warnings: list[str] = field(default_factory=list)  # said on stderr too, e.g. consensus stored elsewhere
    elsewhere: list[str] = field(default_factory=list)  # names reconcile stored consensus under, when unread
    # (interviewer turns decided by some coder, coder -> interviewer turns they decided): counted nowhere
    interviewer_coded: tuple[int, dict[str, int]] = (0, {})
    # The same for turns whose speaker is unknown (role review): coded in the session, counted nowhere
    review_coded: tuple[int, dict[str, int]] = (0, {})
    review_labelled: int = 0  # of those, turns of a labelled speaker left to review (a voice heard once)
    # The same for other speakers' turns (role other), coded before a person set the role (--force)
    other_coded: tuple[int, dict[str, int]] = (0, {})
    # Why agreement could not be measured (one coder; no turn decided by two), None when it was.
    no_agreement: str | None = None
    stale_document_copies: int = 0  # the same, on document segments (reconcile --kind document)
    # What the source's name leaves unsaid: the only coder's, or majority over coders who never decided
    # the same turn (each turn's one coder). None when the name says it all.
    source_note: str | None = None
    # How disagreements were resolved, when the caller knows (the demo's rule): said in place of the
    # passage's prompt to describe it.
    how_reconciled: str | None = None
    # The coders a majority or union is over: those the reliability section compares (--coders,
    # --exclude-coders), so the passage counts and measures the same coders. None for any other source.
    source_coders: list[str] | None = None

    def to_json(self) -> dict:
        """Every value of the passage, for people who write their own text (docs/methods.md)."""
        double = self.agreement.units if self.agreement else 0
        return {
            "source": self.source,
            "source_note": self.source_note,
            "source_coders": self.source_coders,
            "sample": {
                "transcripts": self.transcripts,
                "transcripts_coded": self.transcripts_coded,
                "participants": self.participants,
                "by": self.by,
                "groups": self.groups,
                "consensus_covers": (
                    dict(zip(("turns", "of"), self.consensus_covers)) if self.consensus_covers else None
                ),
                "consensus_gaps": (
                    dict(zip(("double_coded", "single_coded", "recode"), self.consensus_gaps))
                    if self.consensus_gaps
                    else None
                ),
            },
            "unit": {
                "kind": "participant speaker turn",
                "count": self.units,
                "words": self.words,
                "interviewer_turns_coded": {
                    "turns": self.interviewer_coded[0],
                    "coders": self.interviewer_coded[1],
                },
                "review_turns_coded": {"turns": self.review_coded[0], "coders": self.review_coded[1]},
                "other_turns_coded": {"turns": self.other_coded[0], "coders": self.other_coded[1]},
            },
            "double_coding": {
                "units": double,
                "share": double / self.units if self.units else None,
                "transcripts": self.agreement.transcripts if self.agreement else 0,
                "assignment": self.assignment,
                "waiting_for_second_coder": dict(zip(("turns", "transcripts"), self.waiting)),
            },
            "coders": self.coders,
            "coders_not_compared": self.others,
            "codebook": {
                "versions": [
                    {
                        **vars(v),
                        "renamed": [list(p) for p in v.renamed],
                        "merged": [list(p) for p in v.merged],
                        "moved": [list(p) for p in v.moved],
                    }
                    for v in self.versions
                ],
                "decisions_by_version": {str(v): n for v, n in self.decisions_by_version.items()},
                "codes_outside": self.codes_outside,
                "theme_headings_with_decisions": self.headings_held,
            },
            "reliability": self.agreement.to_dict() if self.agreement else None,
            "reconciliation": {
                "consensus": self.consensus,
                "disputed": self.disputed,
                "resolved": self.resolved,
                "consensus_decisions": self.consensus_decisions,
                "single_coded": self.single_coded,
                "stale_copies": self.stale_copies,
                "decided_before_a_coder": dict(zip(("turns", "disputed"), self.decided_before_coder)),
                "stale_document_copies": self.stale_document_copies,
                "with_consensus": {
                    coder: {
                        "units": r.units,
                        "alpha_pooled": r.alpha_pooled,
                        "alpha_pooled_ci": list(r.alpha_pooled_ci),
                    }
                    for coder, r in self.with_consensus.items()
                },
            },
            "suggestions": {
                "engines": [vars(e) for e in self.engines],
                "acceptance": self.acceptance,
                "learned": self.learned,
            },
            "saturation": self.saturation.to_json() if self.saturation else None,
            "warnings": self.warnings,
        }


def _quartiles(values: list[int]) -> dict[str, float | None]:
    import numpy as np

    from ..reliability import percentiles

    if not values:
        return {"median": None, "q1": None, "q3": None}
    # np.percentile's linear interpolation between order statistics, without importing numpy.ma
    q1, median, q3 = percentiles(np.array(values, dtype=float), [25, 50, 75])
    return {"median": float(median), "q1": float(q1), "q3": float(q3)}


def _versions(db: Database) -> list[CodebookVersion]:
    from ..store.codebooks import iter_codebook_version_summaries

    out = []
    previous = None  # the version before, resolved once (diff_codebooks only reads its sides)
    meaning: dict[str, tuple[str, str]] = {}  # every id an earlier version had -> its last name, definition
    rows = iter_codebook_version_summaries(db)  # as codebook.versions.list_versions lists them
    for row in rows:
        version = CodebookVersion(
            row["id"], row["label"] or "", row["name"], row["loaded_utc"], row["codes"], bool(row["active"])
        )
        if len(rows) == 1:  # nothing to compare it with: its codes and description are not read
            out.append(version)
            break
        # The codebook package (and YAML) only where there are versions to compare
        from ..codebook.diff import diff_codebooks, resolve_side

        side = resolve_side(db, str(row["id"]))
        if previous is not None:
            diff = diff_codebooks(previous, side)
            # An id an earlier version had is no new code: it came back, or was given to another code.
            now = {c.id: (c.name, c.definition.strip()) for c in side.codebook.codes}
            version.added = [c for c in diff.added if c not in meaning]
            version.returned = [c for c in diff.added if c in meaning and meaning[c] == now[c]]
            version.reused = [c for c in diff.added if c in meaning and meaning[c] != now[c]]
            version.removed = diff.removed
            version.renamed, version.merged = diff.renamed, diff.merged
            renamed = {new for _, new in diff.renamed}
            # What a coder reads as the code's meaning: not its place in the tree (moved), its colour, the
            # keywords and patterns that only suggest it, nor a draft completed (a move read as "revised the
            # definitions or rules").
            version.changed = [code for code, fields in diff.changed if set(fields) & MEANING]
            version.moved = [
                (code, fields["parent"][1]) for code, fields in diff.changed if "parent" in fields
            ]
            version.relabelled = [
                code for code, fields in diff.changed if set(fields) == {"name"} and code not in renamed
            ]
        meaning |= {c.id: (c.name, c.definition.strip()) for c in side.codebook.codes}
        out.append(version)
        previous = side
    return out


def _engines(db: Database) -> tuple[int | None, list[str]]:
    """(the active codebook version, the engines with current suggestions for it), read once: each read
    passes over every suggestion of the project."""
    from ..store.codebooks import get_active_version_id
    from ..store.suggestions import iter_engines

    version = get_active_version_id(db)
    return version, iter_engines(db, version) if version is not None else []


def _suggestions(
    db: Database, engines: list[str], reference: str | None, coders: list[str]
) -> tuple[list[EngineScore], dict]:
    from ..store.suggestions import suggestions_exist
    from ..suggest import evaluate_suggestions, suggestion_acceptance

    scores = []
    if engines and reference:
        for engine in engines:
            e = evaluate_suggestions(db, coder=reference, engine=engine)
            scores.append(
                EngineScore(engine, reference, e.segments, e.min_score, e.to_json()["micro"], dict(e.macro))
            )
    acceptance = {}
    # Acceptance is read from what the decisions recorded as shown, under whichever codebook version the
    # suggestions were made: a later version makes them out of date, not unseen.
    if engines or suggestions_exist(db):
        for coder in coders:
            acceptance[coder] = suggestion_acceptance(db, coder=coder)
    return scores, acceptance


def _learned(db: Database, version: int | None, engines: list[str]) -> list[dict[str, Any]]:
    learned = [engine for engine in engines if engine in ("learned", "both")]
    if not learned:
        return []
    from ..store.suggestions import latest_engine
    from ..suggest.train import learned_disclosures

    latest = latest_engine(db, version)  # the engine the coding session shows comes first
    found = []
    for engine in sorted(learned, key=lambda e: e != latest):
        found += [{"engine": engine, **d} for d in learned_disclosures(db, version, engine)]
    return found


def _selections(
    db: Database,
    coders: list[str] | None,
    consensus: str = CONSENSUS,
    *,
    texts: bool = True,
    decisions: DecisionRows | None = None,
) -> Selection:
    """The coders' selection, with the `consensus` coder's codes on its units read beside it
    (sel.beside[consensus]) when it has decisions and is not among the coders: one read of the
    decisions serves agreement, each coder against consensus and the reconciliation. texts and
    decisions: as in agree.select."""
    from .. import agree
    from ..store.decisions import iter_coders

    beside = consensus if consensus in iter_coders(db) else None
    return agree.select(db, coders=coders, beside=beside, texts=texts, decisions=decisions)


def no_agreement_reason(error: NoAgreementError) -> str:
    """Why agreement could not be measured, as the passage and the warning say it."""
    from ..agree.selection import ONE_CODER

    coders = error.coders
    names = coders[0] if len(coders) == 1 else ", ".join(coders[:-1]) + " and " + coders[-1]
    if error.reason == ONE_CODER:
        return (
            f"agreement between coders could not be measured: {names} was the only coder, so no turn was "
            "coded independently by two coders"
        )
    return (
        f"agreement between coders could not be measured: no participant turn was decided by two of the "
        f"coders ({names}), so no turn was coded independently twice"
    )


def _reconciliation(
    sel: Selection,
    consensus: list[frozenset[str] | None] | None,
    copies: set[tuple[str, int]],
    late: set[tuple[str, int]] = frozenset(),
) -> tuple[int, int | None, int]:
    """(units on which the coders' codes differ, how many of them the consensus coder decided; None
    without a consensus coder, how many of them are `late`). `consensus`: its codes on each unit of
    `sel` (None: not decided; sel.beside), None without one. `copies`: the units whose consensus decision
    reconcile copied from the coders (store.decisions.copied_turns); on a unit the coders dispute, such a
    copy resolves nothing (a coder who joined later, or changed their decision, disagrees with it).
    `late`: the units consensus decided by hand before a coder decided them otherwise
    (agree.decided_without): the lead never saw those codes, so they are open, not resolved."""
    from .. import agree

    # The units of agree.disagreements_in(sel), without listing what each one disputes.
    keys = [(sel.units[i].transcript, sel.units[i].segment) for i in agree.disputed_units(sel)]
    if consensus is None:
        return len(keys), None, 0
    # A disagreement is settled when the consensus coder decided it.
    settled = {
        (u.transcript, u.segment)
        for u, codes in zip(sel.units, consensus)
        if codes is not None and (u.transcript, u.segment) not in copies
    }
    return (
        len(keys),
        sum(k in settled and k not in late for k in keys),
        sum(k in settled and k in late for k in keys),
    )


@paused_gc(freeze=True)  # the passage's data is kept to the end, and holds no reference cycle
def build_methods(
    db: Database,
    *,
    coders: list[str] | None = None,
    by: list[str] | None = None,
    source: str | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
    ci_method: str = "units",
    batch: str = "50",
    order: str = "ingest",
    batch_intervals: bool = True,
) -> Methods:
    """Gather every number of the methods passage. Raises WeiQualError (AgreementError, ReportError ...).

    Consensus is read from "consensus", or from the `source` when reconcile stored it there (--as NAME).
    batch_intervals=False leaves out the bootstrap interval of each over-time batch, which only the JSON
    shows (the passage gives the batches' alphas)."""
    from .. import agree
    from ..errors import NoAgreementError
    from ..models import SINGLE_COPY
    from ..store.assignments import get_assignment_plan, waiting_for_second_coder
    from ..store.codebooks import uncodable_codes_held
    from ..store.decisions import (
        CodeSets,
        consensus_coverage,
        consensus_gaps,
        copied_turns,
        count_rationale_suffix,
        decisions_by_version,
        iter_coder_progress,
        iter_coders,
        iter_decision_rows,
        reconciled_coders,
        stale_consensus_copies,
        uncounted_turns_decided,
    )
    from ..store.transcripts import iter_participant_segment_tuples

    warnings, elsewhere = [], []
    consensus = CONSENSUS
    if source not in (None, CONSENSUS, MAJORITY, UNION) and reconciled_coders(db, [source]):
        consensus = source  # a consensus stored under another name (reconcile --as), read with --source
    known_coders = iter_coders(db)
    source_note = None
    # A majority or union is over the coders the reliability section compares (consensus is no coder).
    rule_coders = None if coders is None else [c for c in coders if c not in (CONSENSUS, consensus)]
    if source is None and CONSENSUS not in known_coders:
        elsewhere = consensus_elsewhere(db, known_coders)  # looked for only when "consensus" has none
        sole = [c for c in known_coders if c != CONSENSUS and c not in elsewhere]
        if rule_coders is not None:
            sole = [c for c in rule_coders if c in sole]
        # Before reconciliation: codes applied by more than half of the coders; with one coder there
        # is no majority, only that coder's codes, and the passage names them as the other reports do.
        source = sole[0] if len(sole) == 1 else MAJORITY
        if len(sole) == 1:
            source_note = "the project's only coder" if rule_coders is None else "the only coder chosen"
        if elsewhere:
            counted = f"{source}'s own codes" if len(sole) == 1 else "the majority's codes"
            warnings.append(
                f'this project has no decisions under "consensus", but {elsewhere_hint(elsewhere)}. Without '
                f"it, the passage counts {counted} and measures no coder against consensus."
            )
    rule = source in (MAJORITY, UNION)
    # A majority or union reads the coders' decisions as the selection does: one read, parsed once, for both.
    decisions = (iter_decision_rows(db), CodeSets()) if rule else None
    data: ReportData = load_report_data(
        db, source=source, coders=rule_coders if rule else None, decisions=decisions
    )
    if data.warnings:  # majority or union over coders who never decided the same turn
        warnings.extend(data.warnings)
        only = "the only coder" if rule_coders is None else "the only coder chosen"
        source_note = (
            f"that is, {data.coders[0]}'s own codes: {data.coders[0]} is {only}"
            if len(data.coders) == 1
            else "that is, each turn's codes as its one coder applied them: no turn was coded by two coders"
        )
    known = {
        name for values in [*data.attributes.values(), *data.speaker_attributes.values()] for name in values
    }
    by = list(dict.fromkeys(by)) if by else [a for a in DEFAULT_BY if a in known]
    data.check_attributes(by)
    warnings.extend(data.spelled_apart(by))  # a value spelled two ways: one group, named
    groups = {attr: data.group_sizes(attr) for attr in by}

    options = {"bootstrap": bootstrap, "seed": seed, "ci_method": ci_method}
    # One read of the decisions serves agreement, the disagreements and each coder against consensus.
    batch = agree.check_batch(batch)
    no_agreement = None
    try:
        # The passage shows no turn's text: a study's text is not held in its units.
        sel = _selections(db, coders, consensus, texts=False, decisions=decisions)
        chosen = sel.coders
        has_consensus = consensus in sel.beside
    except NoAgreementError as e:  # one coder, or no turn two decided: the rest of the passage stands
        if not e.coders:
            raise
        sel, chosen = None, e.coders
        has_consensus = consensus in known_coders
        no_agreement = no_agreement_reason(e)
        warnings.append(
            f"{no_agreement[:1].upper()}{no_agreement[1:]}. The passage says so, without reliability numbers, "
            "and asks how credibility was established instead."
        )
    del decisions  # the units hold what they need of it
    copies = copied_turns(db, consensus) if has_consensus else set()  # read here: the child has no database
    # As reconcile says them (the audit log's order): decided by the lead, then otherwise by a coder.
    late = {(t, n) for t, n, _ in agree.decided_without(db, consensus)} if has_consensus else set()

    def from_memory():
        # Each coder against consensus (a coder with no segment in common with consensus has nothing to
        # report, and is left out) and the disagreements, with how many consensus settled.
        pairs = agree.measure_beside(sel, consensus, **options) if has_consensus else {}
        return pairs, _reconciliation(sel, sel.beside.get(consensus), copies, late)

    # The strata, the diagnostics and from_memory() are measured on the second CPU while this process
    # measures the whole selection and reads the rest.
    measured = sel and agree.start_measuring(
        db,
        sel,
        by=by[0] if by else None,
        diagnostics=True,
        batch=batch,
        batch_intervals=batch_intervals,
        meanwhile=from_memory,
        **options,
    )
    # Read again, not kept from the report data: its texts held to the end raise the peak at 10x, and
    # the words are counted here, beside the child, not before the fork.
    turns = iter_participant_segment_tuples(db)
    words = _quartiles([count_words(text) for *_, text in turns])
    # Participant turns only, the units of agreement: turns whose speaker is unknown are counted apart.
    progress_rows = iter_coder_progress(db, kind="participant")
    progress = [row for row in progress_rows if row["coder"] in chosen]
    # Coders with decisions left out of the comparison (--coders): the passage names them.
    others = {
        row["coder"]: row["coded"]
        for row in progress_rows
        if row["coder"] not in chosen and row["coder"] not in (CONSENSUS, consensus) and row["coded"]
    }
    consensus_decisions = single_coded = stale_copies = stale_documents = 0
    if has_consensus:
        consensus_decisions = next((r["coded"] for r in progress_rows if r["coder"] == consensus), 0)
        single_coded = count_rationale_suffix(db, consensus, SINGLE_COPY)
        stale_copies, stale_documents = stale_consensus_copies(db, consensus)

    reference = consensus if has_consensus else None
    version, with_suggestions = _engines(db)
    engines, acceptance = _suggestions(db, with_suggestions, reference, chosen)
    saturation = build_saturation(data, saturation_order(db, data, order), order_name=order, by=by)
    versions, learned = _versions(db), _learned(db, version, with_suggestions)
    for engine in dict.fromkeys(d["engine"] for d in learned):
        models = [d for d in learned if d["engine"] == engine]
        if len(models) > 1:  # a run on some transcripts with a newer model: name every model, not the newest
            warnings.append(
                f"The current {engine} suggestions came from {len(models)} models: "
                + ", ".join(
                    f"model {d['model']} on {d['segments']:,} turn{'' if d['segments'] == 1 else 's'}"
                    for d in models
                )
                + f'. Run "wei-qual suggest --engine {engine}" on every transcript to have them from one.'
            )
    result, (pairs, (disputed, resolved, late_disputed)) = (
        measured() if measured else (None, ({}, (None, None, 0)))
    )
    if result is not None:  # the reliability JSON is agree's, subsets' interval notes in their warnings
        from ..agree.result import with_subset_notes

        result = with_subset_notes(result)
    outside, headings = uncodable_codes_held(db)
    late_turns = len(late.intersection((t, n) for _, t, n, _, _ in turns)) if late else 0
    uncounted = uncounted_turns_decided(db)
    return Methods(
        source=data.source,
        source_note=source_note,
        source_coders=list(data.coders) if rule else None,
        by=by,
        transcripts=len(data.attributes),
        transcripts_coded=len({t for t, _ in data.applied}),
        participants=len(data.participants),
        groups=groups,
        units=len(turns),
        words=words,
        agreement=result,
        assignment=get_assignment_plan(db),
        coders=progress,
        versions=versions,
        disputed=disputed,
        resolved=resolved,
        consensus_decisions=consensus_decisions,
        single_coded=single_coded,
        stale_copies=stale_copies,
        with_consensus=pairs,
        engines=engines,
        acceptance=acceptance,
        saturation=saturation,
        learned=learned,
        consensus_covers=consensus_coverage(db, consensus) if data.source == consensus else None,
        # reconcile takes neither a removed code nor a theme heading: those turns wait for a recode
        consensus_gaps=(
            consensus_gaps(db, consensus, {**outside, **headings}) if data.source == consensus else None
        ),
        decisions_by_version=decisions_by_version(db, exclude=consensus),
        waiting=waiting_for_second_coder(
            db, [*chosen, *others]
        ),  # every coder: a coder not compared still codes
        others=others,
        idle=sel.idle if sel else (),
        codes_outside=outside,
        codes_split={c.id: c.split_into for c in data.codebook.codes if c.split_into},
        headings_held=headings,
        decided_before_coder=(late_turns, late_disputed),
        consensus=consensus,
        warnings=warnings,
        elsewhere=elsewhere,
        interviewer_coded=uncounted.interviewer,
        review_coded=uncounted.review,
        review_labelled=uncounted.review_labelled,
        other_coded=uncounted.other,
        no_agreement=no_agreement,
        stale_document_copies=stale_documents,
    )
