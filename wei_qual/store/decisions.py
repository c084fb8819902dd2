"""Coders, their decisions on segments, and memos. Every change to a decision is audited."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..errors import DecisionError
from ..models import (
    AGREED_COPY,
    DOCUMENT,
    INTERVIEWER,
    OTHER,
    PARTICIPANT,
    REVIEW,
    SINGLE_COPY,
    Decision,
    Evidence,
    Suggestion,
    in_study_order,
)
from . import now_utc, to_json, transaction, write_audit
from .codebooks import get_active_version_id
from .database import remembered
from .excerpts import excerpts_from_json, excerpts_json


def ensure_coder(db: Database, coder: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO coders (id, created_utc) VALUES (?, ?)",
        [coder, now_utc()],
    )


def iter_coders(db: Database) -> list[str]:
    return [r["id"] for r in db.query("SELECT id FROM coders ORDER BY id")]


def reconciled_coders(db: Database, coders: Iterable[str]) -> list[str]:
    """Those of `coders` every one of whose decisions carries a rationale, as reconcile writes them: a
    consensus, under whatever name reconcile stored it (--as). agree leaves them out of its default
    coders. One indexed look-up per coder, which a coder's first decision without a rationale ends."""
    return [
        coder
        for coder in coders
        if db.execute(
            "SELECT EXISTS (SELECT 1 FROM decisions WHERE coder_id = ?) AND NOT EXISTS "
            "(SELECT 1 FROM decisions WHERE coder_id = ? AND COALESCE(rationale, '') = '')",
            [coder, coder],
        ).fetchone()[0]
    ]


@remembered  # the reports' warning and the methods passage's number: one read
def consensus_coverage(db: Database, consensus: str) -> tuple[int, int]:
    """(participant turns the other coders decided that `consensus` decided too, participant turns the
    other coders decided): what a report read from consensus alone counts, and what it would."""
    row = db.execute(
        "SELECT COUNT(*), COUNT(c.segment_id) FROM "
        "(SELECT DISTINCT d.segment_id FROM decisions d JOIN segments s ON s.id = d.segment_id "
        " WHERE d.coder_id != ? AND s.role = 'participant') o "
        "LEFT JOIN decisions c ON c.segment_id = o.segment_id AND c.coder_id = ?",
        [consensus, consensus],
    ).fetchone()
    return row[1], row[0]


class UncountedTurns(NamedTuple):
    """Turns some coder decided that no report or agreement counts, which the methods passage must not
    say were left uncoded: each is (turns, coder -> turns they decided)."""

    interviewer: tuple[int, dict[str, int]]
    review: tuple[int, dict[str, int]]  # the speaker is unknown: the coding session walks them
    review_labelled: int  # of those, turns with a speaker label (a voice heard once, not unlabelled text)
    other: tuple[int, dict[str, int]]  # other speakers' turns, coded before a person set that role


def uncounted_turns_decided(db: Database) -> UncountedTurns:
    """The decisions on interviewer, review and other turns, read in one pass (the covering index of
    decisions by segment): few in a project, however many decisions it holds."""
    turns: dict[str, set[int]] = {INTERVIEWER: set(), REVIEW: set(), OTHER: set()}
    coders: dict[str, Counter] = {role: Counter() for role in turns}
    labelled: set[int] = set()
    for role, coder, segment, has_label in db.execute(
        "SELECT s.role, d.coder_id, d.segment_id, s.speaker IS NOT NULL FROM decisions d "
        "JOIN segments s ON s.id = d.segment_id WHERE s.role IN (?, ?, ?)",
        list(turns),
    ):
        turns[role].add(segment)
        coders[role][coder] += 1
        if has_label and role == REVIEW:
            labelled.add(segment)

    def of(role: str) -> tuple[int, dict[str, int]]:
        return len(turns[role]), dict(sorted(coders[role].items()))

    return UncountedTurns(of(INTERVIEWER), of(REVIEW), len(labelled), of(OTHER))


def consensus_participants(db: Database, consensus: str) -> tuple[int, int, int]:
    """(participants `consensus` has decided a turn of, participants the other coders decided a turn of,
    those of the latter consensus has decided no turn of): a report's N under consensus, and who is
    missing from it. A participant is a transcript's speaker, as in the reports (wei_qual.report.data)."""
    row = db.execute(
        "WITH people AS (SELECT s.transcript_id AS t, s.speaker AS p, MAX(d.coder_id = ?) AS own, "
        "  MAX(d.coder_id != ?) AS others FROM decisions d JOIN segments s ON s.id = d.segment_id "
        "  WHERE s.role = 'participant' GROUP BY s.transcript_id, s.speaker) "
        "SELECT COALESCE(SUM(own), 0), COALESCE(SUM(others), 0), COALESCE(SUM(others AND NOT own), 0) FROM people",
        [consensus, consensus],
    ).fetchone()
    return row[0], row[1], row[2]


class ConsensusGaps(NamedTuple):
    """Participant turns the other coders decided that the consensus coder has not."""

    double: int  # decided by two or more, which reconcile fills (the walk, or --accept-agreed)
    single: int  # decided by one, which --accept-single takes as coded
    recode: int  # held back for a recode: the coders' codes hold one the active codebook removed


def consensus_gaps(db: Database, consensus: str, removed: Collection[str]) -> ConsensusGaps:
    """The turns `consensus` lacks, by what would fill them. `removed`: the codes decisions hold that the
    active codebook does not have (store.codebooks.codes_outside_active). Reconcile never copies a turn
    whose agreed codes, or whose one coder's codes, hold one of them, and the walk shows only turns the
    coders disagree on: those turns wait for a recode (a disputed turn is walked, whatever it holds)."""
    removed = sorted(removed)
    marks = ", ".join("?" for _ in removed)
    # The store writes each code list as json.dumps(sorted(codes)): equal sets are equal texts.
    held = (
        f"COUNT(DISTINCT d.codes) = 1 AND MAX(EXISTS (SELECT 1 FROM json_each(d.codes) j WHERE j.value IN ({marks})))"
        if removed
        else "0"
    )
    row = db.execute(
        "SELECT COALESCE(SUM(n > 1 AND NOT held), 0), COALESCE(SUM(n = 1 AND NOT held), 0), "
        "COALESCE(SUM(held), 0) FROM "
        f"(SELECT d.segment_id, COUNT(*) AS n, {held} AS held FROM decisions d "
        " JOIN segments s ON s.id = d.segment_id "
        " WHERE d.coder_id != ? AND s.role = 'participant' GROUP BY d.segment_id) o "
        "WHERE NOT EXISTS (SELECT 1 FROM decisions c WHERE c.segment_id = o.segment_id AND c.coder_id = ?)",
        [*removed, consensus, consensus],
    ).fetchone()
    return ConsensusGaps(*row)


def decided_since_consensus(db: Database, consensus: str) -> list[tuple[str, int, str]]:
    """(transcript, n, coder): turns `consensus` decided by hand (not a copy reconcile made) on which a
    coder's decision was saved after the consensus decision and differs from it (a packet merged later, a
    coder who joined, a recode): the lead decided without those codes. Ordered by the audit log, never by
    the times a decision carries (a laptop's clock); a lead's "confirm" row (reconcile --revisit, saved
    unchanged) counts as a save. A consensus coder's own decisions (with a rationale) are no coder's."""
    # Only what someone decided counts: a coder's decision made or its codes changed (an import, a merge, a
    # recode), the lead's saved or confirmed; not a codebook version moving codes (migrate), a coder
    # renamed, nor a coder's note edited. A coder's row before the lead's first one can never be later
    # than the lead's last on its turn: the audit log is read from there (coders code first, as a rule).
    first = db.execute(
        "SELECT MIN(id) FROM audit_log WHERE entity = 'decision' AND substr(entity_id, -?) = ?",
        [len(consensus) + 1, f":{consensus}"],
    ).fetchone()[0]
    # No coder's decision made or recoded since (a team reporting after the meeting): nothing to pair.
    coded = (
        "(action = 'create' OR (action = 'update' AND "
        "json_extract(before, '$.codes') IS NOT json_extract(after, '$.codes')))"
    )
    since = db.execute(
        "SELECT 1 FROM audit_log WHERE id > ? AND entity = 'decision' AND substr(entity_id, -?) != ? "
        f"AND {coded} LIMIT 1",
        [first or 0, len(consensus) + 1, f":{consensus}"],
    ).fetchone()
    if since is None:
        return []
    rows = db.execute(
        "WITH pairs AS (SELECT s.transcript_id AS t, s.n AS n, d.coder_id AS coder, "
        " s.transcript_id || ':' || s.n || ':' || d.coder_id AS mine, "
        " s.transcript_id || ':' || s.n || ':' || c.coder_id AS lead FROM decisions c "
        " JOIN segments s ON s.id = c.segment_id "
        " JOIN decisions d ON d.segment_id = c.segment_id AND d.coder_id != c.coder_id AND d.codes != c.codes "
        " AND COALESCE(d.rationale, '') = '' "
        " WHERE c.coder_id = ? AND substr(COALESCE(c.rationale, ''), -?) != ? "
        " AND substr(COALESCE(c.rationale, ''), -?) != ?), "
        "coder_last AS (SELECT entity_id, MAX(id) AS id FROM audit_log WHERE id > ? AND entity = 'decision' "
        " AND (action IN ('create', 'confirm') OR (action = 'update' AND "
        " json_extract(before, '$.codes') IS NOT json_extract(after, '$.codes'))) "
        " AND entity_id IN (SELECT mine FROM pairs) GROUP BY entity_id), "
        "lead_last AS (SELECT entity_id, MAX(id) AS id FROM audit_log WHERE id >= ? AND entity = 'decision' "
        " AND action IN ('create', 'confirm', 'update') AND entity_id IN (SELECT lead FROM pairs) "
        " GROUP BY entity_id) "
        "SELECT p.t, p.n, p.coder FROM coder_last m JOIN pairs p ON p.mine = m.entity_id "
        "LEFT JOIN lead_last l ON l.entity_id = p.lead WHERE m.id > COALESCE(l.id, 0) "
        "ORDER BY p.t, p.n, p.coder",
        [consensus, len(AGREED_COPY), AGREED_COPY, len(SINGLE_COPY), SINGLE_COPY, first or 0, first or 0],
    ).fetchall()
    return [(t, n, coder) for t, n, coder in rows]


def confirm_decision(db: Database, decision: Decision, *, actor: str) -> None:
    """Record in the audit log that `actor` looked at a decision again and kept it as it is (a lead
    revisiting consensus after a coder decided the turn): no change, so save_decision writes nothing."""
    with transaction(db):
        write_audit(
            db,
            action="confirm",
            entity="decision",
            entity_id=f"{decision.transcript}:{decision.segment}:{decision.coder}",
            actor=actor,
            before=decision_state(decision),
            after=decision_state(decision),
        )


class StaleCopies(NamedTuple):
    """Consensus copies that no longer match the coders' decisions, by what they are on: participant turns
    (what the reports and the passage count as turns) and document segments (reconcile --kind document)."""

    turns: int
    documents: int


@remembered  # the reports' warning and the methods passage's number: one read
def stale_consensus_copies(db: Database, consensus: str) -> StaleCopies:
    """How many of `consensus`'s decisions that reconcile copied from the coders differ now from a coder's
    own decision on the same turn: a coder the copy names as agreeing, a coder who decided the turn
    after it was copied (a decision stored or changed since, without a rationale: a coder's, not another
    consensus's; a coder left out of that reconcile run with --coders, whose decision was there already,
    does not make it stale), or any coder of a single-coded one (agree.consensus.stale_copy, in SQL).
    Counted apart on participant turns and document segments (interviewer turns, counted nowhere, not)."""
    found = db.execute(
        "SELECT s.role, COUNT(DISTINCT c.segment_id) FROM decisions c JOIN decisions d "
        "ON d.segment_id = c.segment_id AND d.coder_id != c.coder_id AND d.codes != c.codes "
        "JOIN segments s ON s.id = c.segment_id "
        "WHERE c.coder_id = ? AND ("
        " (substr(c.rationale, -?) = ? AND ((COALESCE(d.rationale, '') = '' AND (d.id > c.id OR "
        "d.decided_utc > c.decided_utc)) OR instr(', ' || "
        "substr(c.rationale, 11, length(c.rationale) - 10 - ?) || ',', ', ' || d.coder_id || ',') > 0))"
        " OR (substr(c.rationale, -?) = ? AND substr(COALESCE(d.rationale, ''), -?) != ?))"
        # The same condition on the copy alone: SQLite then joins only the copies to their turns and the
        # coders' decisions, not every decision of the consensus (60 ms of a study's report).
        " AND (substr(c.rationale, -?) = ? OR substr(c.rationale, -?) = ?) GROUP BY s.role",
        [
            consensus,
            len(AGREED_COPY),
            AGREED_COPY,
            len(AGREED_COPY),
            len(SINGLE_COPY),
            SINGLE_COPY,
            len(SINGLE_COPY),
            SINGLE_COPY,
            len(AGREED_COPY),
            AGREED_COPY,
            len(SINGLE_COPY),
            SINGLE_COPY,
        ],
    ).fetchall()
    by_role = dict(found)
    return StaleCopies(by_role.get(PARTICIPANT, 0), by_role.get(DOCUMENT, 0))


def iter_copies_with_excerpts(db: Database, consensus: str) -> list[Decision]:
    """`consensus`'s copies (reconcile --accept-agreed, --accept-single) that have excerpts or sit on a turn
    where another coder marked some: the only ones whose words can differ from their coders' (a project
    without excerpts reads none)."""
    condition = (
        "(substr(d.rationale, -?) = ? OR substr(d.rationale, -?) = ?) AND (d.excerpts IS NOT NULL OR "
        "EXISTS (SELECT 1 FROM decisions o WHERE o.segment_id = d.segment_id AND o.excerpts IS NOT NULL))"
    )
    params = [len(AGREED_COPY), AGREED_COPY, len(SINGLE_COPY), SINGLE_COPY]
    return iter_decisions(db, coders=[consensus], where=(condition, params))


def copied_turns(db: Database, consensus: str) -> set[tuple[str, int]]:
    """The (transcript, segment) of `consensus`'s decisions that reconcile copied from the coders
    (--accept-agreed, --accept-single) rather than the lead chose: on a turn the coders dispute, such a
    copy is stale, not a resolution."""
    return set(
        db.execute(
            "SELECT s.transcript_id, s.n FROM decisions d JOIN segments s ON s.id = d.segment_id "
            "WHERE d.coder_id = ? AND (substr(d.rationale, -?) = ? OR substr(d.rationale, -?) = ?)",
            [consensus, len(AGREED_COPY), AGREED_COPY, len(SINGLE_COPY), SINGLE_COPY],
        ).fetchall()
    )


def rename_in_copies(db: Database, source: str, target: str) -> None:
    """Write `target` for `source` in the rationales of reconcile's copies ("agreed by alice, bob [copied
    ...]"), so a copy still names the coders it follows after `coders rename` or `coders merge`."""
    for row_id, rationale in db.execute(
        "SELECT id, rationale FROM decisions WHERE substr(rationale, -?) = ? OR substr(rationale, -?) = ?",
        [len(AGREED_COPY), AGREED_COPY, len(SINGLE_COPY), SINGLE_COPY],
    ).fetchall():
        marker = AGREED_COPY if rationale.endswith(AGREED_COPY) else SINGLE_COPY
        head = "agreed by " if marker == AGREED_COPY else "single-coded by "
        names = f", {rationale[len(head) : -len(marker)]},".replace(f", {source},", f", {target},")
        db.execute(
            "UPDATE decisions SET rationale = ? WHERE id = ?", [f"{head}{names[2:-1]}{marker}", row_id]
        )


def count_rationale_suffix(db: Database, coder: str, suffix: str) -> int:
    """How many of `coder`'s decisions on participant turns have a rationale ending with `suffix`
    (consensus copies): the passage counts them among the consensus decisions, which are on turns."""
    return db.execute(
        "SELECT COUNT(*) FROM decisions d JOIN segments s ON s.id = d.segment_id "
        "WHERE d.coder_id = ? AND substr(d.rationale, -?) = ? AND s.role = 'participant'",
        [coder, len(suffix), suffix],
    ).fetchone()[0]


def decisions_by_version(db: Database, *, exclude: str) -> dict[int, int]:
    """How many decisions on interview turns the coders (not `exclude`, the consensus coder, whose
    decisions copy theirs) made under each codebook version: version id -> count; {} while the project
    has one version (nothing to tell apart, and a pass over every decision saved). Interviewer turns are
    left out, and turns whose speaker is unknown (review), as from the participant turns each coder decided
    (iter_coder_progress kind "participant", the passage's count), which these add up to."""
    if db.execute("SELECT COUNT(*) FROM codebooks").fetchone()[0] < 2:
        return {}
    rows = db.execute(
        "SELECT d.codebook_id, COUNT(*) FROM decisions d JOIN segments s ON s.id = d.segment_id "
        "WHERE s.role = 'participant' AND d.codebook_id IS NOT NULL "
        "AND d.coder_id != ? GROUP BY d.codebook_id",
        [exclude],
    ).fetchall()
    return dict(sorted(rows))


def decision_state(d: Decision) -> dict:
    """What the audit log records of a decision (excerpts only when it has some)."""
    state = {"codes": sorted(d.codes), "note": d.note, "rationale": d.rationale}
    if d.excerpts:
        state["excerpts"] = [[e.code, e.start, e.end] for e in d.excerpts]
    return state


def _decision_from_row(row: dict) -> Decision:
    return Decision(
        transcript=row["transcript_id"],
        segment=row["n"],
        coder=row["coder_id"],
        codes=frozenset(json.loads(row["codes"])),
        note=row["note"] or "",
        codebook_version=row["codebook_id"],
        accepted=frozenset(json.loads(row["accepted"] or "[]")),
        shown=frozenset(json.loads(row["shown"] or "[]")),
        rationale=row["rationale"] or "",
        decided_utc=row["decided_utc"],
        excerpts=excerpts_from_json(row.get("excerpts")),
        revision=row["revision"],
    )


_SELECT = """
    SELECT d.*, s.transcript_id, s.n FROM decisions d JOIN segments s ON s.id = d.segment_id
"""


def get_decision(db: Database, transcript_id: str, n: int, coder: str) -> Decision | None:
    rows = list(
        db.query(
            _SELECT + " WHERE s.transcript_id = ? AND s.n = ? AND d.coder_id = ?",
            [transcript_id, n, coder],
        )
    )
    return _decision_from_row(rows[0]) if rows else None


def iter_decisions(
    db: Database,
    *,
    coders: list[str] | None = None,
    transcript_id: str | None = None,
    where: tuple[str, list] | None = None,
) -> list[Decision]:
    """Decisions in transcript, segment, coder order, optionally filtered (`where`: an SQL condition on
    decisions `d` and its parameters, for this module's own readers)."""
    clauses, params = [], []
    if where is not None:
        clauses.append(where[0])
        params.extend(where[1])
    if coders is not None:
        clauses.append(f"d.coder_id IN ({', '.join('?' for _ in coders)})")
        params.extend(coders)
    if transcript_id is not None:
        clauses.append("s.transcript_id = ?")
        params.append(transcript_id)
    where = " AND ".join(clauses) or "1"
    rows = db.execute(
        "SELECT s.transcript_id, s.n, d.coder_id, d.codes, d.note, d.codebook_id, d.accepted, d.shown, "
        "d.rationale, d.decided_utc, d.excerpts, d.revision FROM decisions d JOIN segments s ON s.id = d.segment_id "
        f"WHERE {where} ORDER BY s.transcript_id, s.n, d.coder_id",
        params,
    ).fetchall()
    rows = in_study_order(rows)  # P2 before P10 (decisions export, the disagreements)
    sets = CodeSets()
    return [
        Decision(
            transcript=transcript,
            segment=n,
            coder=coder,
            codes=sets[codes],
            note=note or "",
            codebook_version=version,
            accepted=sets[accepted or "[]"],
            shown=sets[shown or "[]"],
            rationale=rationale or "",
            decided_utc=decided,
            excerpts=excerpts_from_json(excerpts) if excerpts else (),
            revision=revision,
        )
        for transcript, n, coder, codes, note, version, accepted, shown, rationale, decided, excerpts, revision in rows
    ]


class CodeSets(dict):
    """JSON code list text -> frozenset, each distinct text parsed once.

    The store writes code lists with json.dumps(sorted(codes)): `["a", "b"]`. Such a text without
    escapes is split on '", "' (several times faster than json.loads, and a study has tens of thousands
    of distinct lists); any other text goes to json.loads."""

    def __missing__(self, text: str) -> frozenset[str]:
        if text == "[]":
            value = frozenset()
        elif text[:2] == '["' and text[-2:] == '"]' and "\\" not in text:
            items = text[2:-2].split('", "')
            # Any other quote means other separators: leave that text to json.loads.
            value = frozenset(items) if text.count('"') == 2 * len(items) else frozenset(json.loads(text))
        else:
            value = frozenset(json.loads(text))
        self[text] = value
        return value


def iter_decision_rows(
    db: Database, *, coders: list[str] | None = None
) -> list[tuple[str, int, str, str, str | None, int]]:
    """(transcript, segment, coder, codes as stored (a JSON list; CodeSets parses it), decided_utc, 0
    without a rationale, 1 with one, SINGLE_COPIED when it is reconcile's copy of a single-coded turn)
    of every decision, in transcript, segment and coder order."""
    where, params = "1", []
    if coders is not None:
        where, params = f"d.coder_id IN ({', '.join('?' for _ in coders)})", list(coders)
    return in_study_order(
        db.execute(
            "SELECT s.transcript_id, s.n, d.coder_id, d.codes, d.decided_utc, CASE WHEN COALESCE(d.rationale, '') "
            f"= '' THEN 0 WHEN substr(d.rationale, -?) = ? THEN {SINGLE_COPIED} ELSE 1 END "
            f"FROM decisions d JOIN segments s ON s.id = d.segment_id WHERE {where} "
            "ORDER BY s.transcript_id, s.n, d.coder_id",
            [len(SINGLE_COPY), SINGLE_COPY, *params],
        ).fetchall()
    )


SINGLE_COPIED = 2  # iter_decision_rows' mark of a consensus decision copied from one coder's alone


# One coder's decisions on participant turns only: the segments suggest runs on (interviewer turns a
# coder coded with --include-interviewer would count as codes every suggestion missed), no documents.
# The documents are listed once (NOT IN), not joined to each decision: a fifth less of SQLite's time.
_INTERVIEW_DECISIONS = (
    f"FROM decisions d JOIN segments s ON s.id = d.segment_id WHERE d.coder_id = ? AND s.role = '{PARTICIPANT}' "
    "AND s.transcript_id NOT IN (SELECT id FROM transcripts WHERE kind = 'document')"
)


def iter_interview_code_lists(
    db: Database, coder: str
) -> list[tuple[str, int, frozenset[str], frozenset[str], frozenset[str]]]:
    """(transcript, segment, codes, codes shown, codes accepted) of one coder's decisions on participant
    turns (documents and interviewer turns left out), parsed as iter_decisions parses them: what evaluating suggestions
    needs, without building each Decision."""
    sets = CodeSets()
    return [
        (transcript, n, sets[codes], sets[shown or "[]"], sets[accepted or "[]"])
        for transcript, n, codes, shown, accepted in db.execute(
            f"SELECT s.transcript_id, s.n, d.codes, d.shown, d.accepted {_INTERVIEW_DECISIONS}", [coder]
        ).fetchall()
    ]


def iter_interview_shown_accepted(
    db: Database, coder: str
) -> list[tuple[frozenset[str], frozenset[str], int]]:
    """(codes shown, codes accepted, how many decisions have them) of the same decisions, grouped in
    SQL: all a coder's acceptance rate needs, in a few rows where a study has tens of thousands."""
    sets = CodeSets()
    return [
        (sets[shown or "[]"], sets[accepted or "[]"], times)
        for shown, accepted, times in db.execute(
            f"SELECT d.shown, d.accepted, count(*) {_INTERVIEW_DECISIONS} GROUP BY d.shown, d.accepted",
            [coder],
        ).fetchall()
    ]


def iter_decision_sets(
    db: Database, *, coders: list[str] | None = None
) -> list[tuple[str, int, str, frozenset[str], str | None, bool]]:
    """(transcript, segment, coder, codes, decided_utc, has a rationale) of every decision, in transcript,
    segment and coder order: what agreement needs, without building a Decision per row."""
    sets = CodeSets()
    return [
        (t, n, coder, sets[codes], decided, bool(why))
        for t, n, coder, codes, decided, why in iter_decision_rows(db, coders=coders)
    ]


class _JsonLists(dict):
    """frozenset of codes -> json.dumps(sorted(codes)), each distinct set encoded once; `readable` does
    the same for to_json (non-ASCII characters kept, as the audit log writes them)."""

    def __init__(self):
        super().__init__()
        self.readable = _ReadableLists()

    def __missing__(self, codes: frozenset[str]) -> str:
        # json.dumps of a list of strings, written out: the same text, without an encoder per call.
        text = self[codes] = "[" + ", ".join(map(encode_basestring_ascii, sorted(codes))) + "]"
        return text


class _ReadableLists(dict):
    def __missing__(self, codes: frozenset[str]) -> str:
        # to_json of a list of strings (ensure_ascii=False; sort_keys does nothing to a list), written out.
        text = self[codes] = "[" + ", ".join(map(encode_basestring, sorted(codes))) + "]"
        return text


def _state_json(d: Decision, lists: _JsonLists) -> str:
    """to_json(decision_state(d)), written out for the usual decision (no excerpts): the same text."""
    if d.excerpts:
        return to_json(decision_state(d))
    return (
        f'{{"codes": {lists.readable[d.codes]}, "note": {encode_basestring(d.note)}, '
        f'"rationale": {encode_basestring(d.rationale)}}}'
    )


def _audit_states(
    before: Decision | None, after: Decision, version: int | None, lists: _JsonLists, *, moved: bool
) -> tuple[str | None, str]:
    """The audit row's before and after: with the codebook version in both when it changed (an import
    giving a decision the version it was made under)."""
    if before is not None and moved:
        return (
            to_json({**decision_state(before), "codebook_version": before.codebook_version}),
            to_json({**decision_state(after), "codebook_version": version}),
        )
    return (_state_json(before, lists) if before else None), _state_json(after, lists)


_UPSERT = """
    INSERT INTO decisions (segment_id, coder_id, codes, note, rationale, codebook_id,
                           accepted, shown, decided_utc, excerpts)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (segment_id, coder_id) DO UPDATE SET
        codes = excluded.codes, note = excluded.note, rationale = excluded.rationale,
        codebook_id = excluded.codebook_id, accepted = excluded.accepted,
        shown = excluded.shown, decided_utc = excluded.decided_utc, excerpts = excluded.excerpts,
        revision = decisions.revision + 1
"""


def save_decision(db: Database, decision: Decision, *, actor: str | None = None) -> bool:
    """Insert or update one decision and audit the change; return False when nothing changed.

    Commits at once unless the caller holds a transaction. Raises DecisionError for an unknown segment.
    """
    with transaction(db):
        rows = list(
            db.query(
                "SELECT id FROM segments WHERE transcript_id = ? AND n = ?",
                [decision.transcript, decision.segment],
            )
        )
        if not rows:
            raise DecisionError(
                f'Transcript "{decision.transcript}" has no segment {decision.segment}. '
                'Check it with "wei-qual transcripts show".'
            )
        segment_id = rows[0]["id"]
        before = get_decision(db, decision.transcript, decision.segment, decision.coder)
        if before is not None and decision_state(before) == decision_state(decision):
            return False
        ensure_coder(db, decision.coder)
        version = decision.codebook_version
        if version is None:
            version = get_active_version_id(db)
        db.execute(
            _UPSERT,
            [
                segment_id,
                decision.coder,
                json.dumps(sorted(decision.codes)),
                decision.note,
                decision.rationale,
                version,
                json.dumps(sorted(decision.accepted)),
                json.dumps(sorted(decision.shown)),
                decision.decided_utc or now_utc(),
                excerpts_json(decision.excerpts),
            ],
        )
        write_audit(
            db,
            action="update" if before else "create",
            entity="decision",
            entity_id=f"{decision.transcript}:{decision.segment}:{decision.coder}",
            actor=actor or decision.coder,
            before=decision_state(before) if before else None,
            after=decision_state(decision),
        )
    return True


def delete_decision(
    db: Database, transcript_id: str, n: int, coder: str, *, actor: str | None = None
) -> bool:
    """Remove a decision (the segment becomes uncoded again) and audit it."""
    with transaction(db):
        before = get_decision(db, transcript_id, n, coder)
        if before is None:
            return False
        db.execute(
            "DELETE FROM decisions WHERE coder_id = ? AND segment_id = "
            "(SELECT id FROM segments WHERE transcript_id = ? AND n = ?)",
            [coder, transcript_id, n],
        )
        write_audit(
            db,
            action="delete",
            entity="decision",
            entity_id=f"{transcript_id}:{n}:{coder}",
            actor=actor or coder,
            before=decision_state(before),
        )
    return True


# --- the coding session, bulk import, memos, progress -----------------------------------


def iter_coder_decision_keys(db: Database, coder: str) -> list[tuple[str, int]]:
    """The (transcript, n) of one coder's decisions, in order, without reading the decisions."""
    return db.execute(
        "SELECT s.transcript_id, s.n FROM decisions d JOIN segments s ON s.id = d.segment_id "
        "WHERE d.coder_id = ? ORDER BY s.transcript_id, s.n",
        [coder],
    ).fetchall()


def last_decision_id(db: Database) -> int:
    """The id of the newest decision row (0 when none): decisions_saved_after reads the ones after it."""
    return db.execute("SELECT COALESCE(MAX(id), 0) FROM decisions").fetchone()[0]


def decisions_saved_after(db: Database, coder: str, after_id: int) -> list[tuple[int, str, int]]:
    """(id, transcript, n) of `coder`'s decisions created after row `after_id`, by any session: a coding
    session's "coded X of Y" counts another terminal's saves with it. A range of the primary key: cheap
    however many decisions the project holds."""
    return db.execute(
        "SELECT d.id, s.transcript_id, s.n FROM decisions d JOIN segments s ON s.id = d.segment_id "
        "WHERE d.id > ? AND d.coder_id = ? ORDER BY d.id",
        [after_id, coder],
    ).fetchall()


def count_coder_decisions(db: Database, coder: str) -> int:
    """How many decisions `coder` has, over the whole project (its index alone is read)."""
    return db.execute("SELECT COUNT(*) FROM decisions WHERE coder_id = ?", [coder]).fetchone()[0]


def data_version(db: Database) -> int:
    """SQLite's data version of this connection: it changes when another connection commits."""
    return db.execute("PRAGMA data_version").fetchone()[0]


def iter_coder_decisions(db: Database, coder: str) -> dict[tuple[str, int], Decision]:
    """One coder's decisions keyed by (transcript, n). Filters by coder: sessions are blind."""
    return {(d.transcript, d.segment): d for d in iter_decisions(db, coders=[coder])}


_CHUNK = 20_000  # rows per executemany: a 500,000-row import never holds all its rows at once


def save_decisions(
    db: Database,
    decisions: Iterable[Decision],
    *,
    actor: str | None = None,
    merge: Callable[[Decision, Decision | None], Decision] | None = None,
) -> tuple[int, int, int]:
    """Save many decisions in ONE transaction (all or nothing); return (created, updated, unchanged).

    Each change is audited like save_decision (same rows, same order). Raises DecisionError for an
    unknown segment. `merge(decision, stored or None)` gives the decision to save, from the one stored
    for its segment and coder (read in the same transaction). A decision naming a codebook version
    other than the stored one's is a change, its audit row giving both versions; one naming none gets
    the active version when saved. Written in bulk: one read of the segment ids and of the existing
    decisions, then executemany in chunks for coders, decisions and audit rows.
    """
    decisions = list(decisions)
    created = updated = unchanged = 0
    with transaction(db):
        wanted = sorted({d.transcript for d in decisions})
        segment_ids: dict[tuple[str, int], int] = {}
        for chunk in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
            part = wanted[chunk : chunk + 500]
            segment_ids.update(
                ((t, n), i)
                for i, t, n in db.execute(
                    f"SELECT id, transcript_id, n FROM segments WHERE transcript_id IN ({', '.join('?' * len(part))})",
                    part,
                )
            )
        coders = sorted({d.coder for d in decisions})
        current = {
            (d.transcript, d.segment, d.coder): d
            for d in (iter_decisions(db, coders=coders) if coders else [])
        }
        version_id: int | None = None
        stamp = now_utc()
        rows, audits, new_coders = [], [], {}
        lists = _JsonLists()

        def flush() -> None:
            db.executemany(
                "INSERT OR IGNORE INTO coders (id, created_utc) VALUES (?, ?)",
                [(c, stamp) for c in new_coders],
            )
            db.executemany(_UPSERT, rows)
            db.executemany(
                "INSERT INTO audit_log (at_utc, actor, action, entity, entity_id, before, after) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                audits,
            )
            new_coders.clear()
            rows.clear()
            audits.clear()

        for decision in decisions:
            key = (decision.transcript, decision.segment, decision.coder)
            if merge is not None:
                decision = merge(decision, current.get(key))
            segment_id = segment_ids.get(key[:2])
            if segment_id is None:
                raise DecisionError(
                    f'Transcript "{decision.transcript}" has no segment {decision.segment}. '
                    'Check it with "wei-qual transcripts show".'
                )
            before = current.get(key)
            moved = (
                before is not None
                and decision.codebook_version is not None
                and decision.codebook_version != before.codebook_version
            )
            if before is not None and not moved and decision_state(before) == decision_state(decision):
                unchanged += 1
                continue
            new_coders.setdefault(decision.coder, None)
            version = decision.codebook_version
            if version is None:
                if version_id is None:
                    version_id = get_active_version_id(db)
                version = version_id
            rows.append(
                (
                    segment_id,
                    decision.coder,
                    lists[decision.codes],
                    decision.note,
                    decision.rationale,
                    version,
                    lists[decision.accepted],
                    lists[decision.shown],
                    decision.decided_utc or stamp,
                    excerpts_json(decision.excerpts),
                )
            )
            audits.append(
                (
                    stamp,
                    actor or decision.coder,
                    "update" if before else "create",
                    "decision",
                    f"{decision.transcript}:{decision.segment}:{decision.coder}",
                    *_audit_states(before, decision, version, lists, moved=moved),
                )
            )
            if before is None:
                created += 1
            else:
                updated += 1
            current[key] = decision
            if len(rows) >= _CHUNK:
                flush()
        flush()
    return created, updated, unchanged


def iter_suggestions_for_session(
    db: Database,
    codebook_id: int,
    *,
    segment: tuple[str, int] | None = None,
    engine: str | None = None,
    min_score: float = 0.0,
) -> dict[tuple[str, int], list[Suggestion]]:
    """Fresh (stale = 0) suggestions of one codebook version keyed by (transcript, n). Read-only.

    `engine` keeps one engine's suggestions (else a code could be shown twice); `min_score` drops weak ones.
    """
    where, params = "sg.codebook_id = ? AND sg.stale = 0 AND sg.score >= ?", [codebook_id, min_score]
    if engine is not None:
        where += " AND sg.engine = ?"
        params.append(engine)
    if segment is not None:  # one segment: uses the segments (transcript_id, n) index
        where += " AND s.transcript_id = ? AND s.n = ?"
        params += list(segment)
    result: dict[tuple[str, int], list[Suggestion]] = {}
    for r in db.query(
        f"""
        SELECT s.transcript_id, s.n, sg.code, sg.score, sg.evidence, sg.engine, sg.model_id
        FROM suggestions sg JOIN segments s ON s.id = sg.segment_id
        WHERE {where} ORDER BY s.transcript_id, s.n, sg.score DESC, sg.code
        """,
        params,
    ):
        evidence = tuple(
            Evidence(
                start=int(e["start"]),
                end=int(e["end"]),
                text=e.get("text", ""),
                source=e.get("source", ""),
                negated=bool(e.get("negated", False)),
                cue=e.get("cue"),
                counterfactual=bool(e.get("counterfactual", False)),
                excluded=bool(e.get("excluded", False)),
            )
            for e in json.loads(r["evidence"] or "[]")
        )
        result.setdefault((r["transcript_id"], r["n"]), []).append(
            Suggestion(
                r["transcript_id"], r["n"], r["code"], r["score"], evidence, r["engine"], r["model_id"]
            )
        )
    return result


MEMO_TARGETS = ("segment", "transcript", "code")


def save_memo(db: Database, coder: str, target_type: str, target_id: str, text: str) -> bool:
    """Create or replace a coder's memo on a segment ("p01:12"), transcript or code; audited.

    Returns False when the text is unchanged.
    """
    if target_type not in MEMO_TARGETS:
        raise DecisionError(f'Memo target "{target_type}" is unknown. Use one of: {", ".join(MEMO_TARGETS)}.')
    with transaction(db):
        before = get_memo(db, coder, target_type, target_id)
        if before == text:
            return False
        ensure_coder(db, coder)
        now = now_utc()
        db.execute(
            """
            INSERT INTO memos (coder_id, target_type, target_id, text, created_utc, updated_utc)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (coder_id, target_type, target_id) DO UPDATE SET
                text = excluded.text, updated_utc = excluded.updated_utc
            """,
            [coder, target_type, target_id, text, now, now],
        )
        write_audit(
            db,
            action="update" if before is not None else "create",
            entity="memo",
            entity_id=f"{target_type}:{target_id}:{coder}",
            actor=coder,
            before=None if before is None else {"text": before},
            after={"text": text},
        )
    return True


def delete_memo(db: Database, coder: str, target_type: str, target_id: str, *, actor: str) -> bool:
    """Remove a coder's memo on a target; its text stays in the audit log. False when there is none."""
    with transaction(db):
        before = get_memo(db, coder, target_type, target_id)
        if before is None:
            return False
        db.execute(
            "DELETE FROM memos WHERE coder_id = ? AND target_type = ? AND target_id = ?",
            [coder, target_type, target_id],
        )
        write_audit(
            db,
            action="delete",
            entity="memo",
            entity_id=f"{target_type}:{target_id}:{coder}",
            actor=actor,
            before={"text": before},
        )
    return True


def add_to_memo(db: Database, coder: str, target_type: str, target_id: str, text: str) -> str:
    """Add `text` to a coder's memo on a target, after a blank line (or start the memo); audited. The
    memo as it is then is returned: read and written in one transaction, so a second session of the
    same coder adding to it meanwhile is not overwritten either."""
    with transaction(db):
        before = get_memo(db, coder, target_type, target_id)
        memo = f"{before}\n\n{text}" if before and text not in before.split("\n\n") else before or text
        save_memo(db, coder, target_type, target_id, memo)
    return memo


def get_memo(db: Database, coder: str, target_type: str, target_id: str) -> str | None:
    rows = list(
        db.query(
            "SELECT text FROM memos WHERE coder_id = ? AND target_type = ? AND target_id = ?",
            [coder, target_type, target_id],
        )
    )
    return rows[0]["text"] if rows else None


def segment_memos(db: Database, transcript: str, n: int) -> dict[str, str]:
    """Every coder's memo on one segment, {coder: text}, by coder: what reconcile shows the lead (the
    coding session, blind, reads only its coder's own, iter_memos)."""
    return {
        r["coder_id"]: r["text"]
        for r in db.query(
            "SELECT coder_id, text FROM memos WHERE target_type = 'segment' AND target_id = ? ORDER BY coder_id",
            [f"{transcript}:{n}"],
        )
    }


def memos_on(db: Database, target_type: str, target_ids: list[str]) -> list[tuple[str, str, str]]:
    """Every coder's memos on these targets of one type: (target_id, coder, text), by target then coder."""
    if not target_ids:
        return []
    marks = ", ".join("?" for _ in target_ids)
    return [
        (r["target_id"], r["coder_id"], r["text"])
        for r in db.query(
            f"SELECT target_id, coder_id, text FROM memos WHERE target_type = ? AND target_id IN ({marks}) "
            "ORDER BY target_id, coder_id",
            [target_type, *target_ids],
        )
    ]


def iter_memos(db: Database, coder: str) -> dict[tuple[str, str], str]:
    """One coder's memos keyed by (target_type, target_id). Filters by coder: sessions are blind."""
    return {
        (r["target_type"], r["target_id"]): r["text"]
        for r in db.query("SELECT target_type, target_id, text FROM memos WHERE coder_id = ?", [coder])
    }


# Other speakers' turns (role other: the radio, a colleague at the door) and a voice heard once left to
# review (a labelled speaker with role review) are walked by no session (models.walked).
_UNWALKED = "NOT (role = 'review' AND speaker IS NOT NULL)"
WALKED_TURNS = f"role NOT IN ('interviewer', 'other', 'document') AND {_UNWALKED}"  # what a session codes


def walked_turns(db: Database, transcript_ids: list[str]) -> int:
    """How many turns of these transcripts the coding session walks (what `coders` counts as total)."""
    marks = ", ".join("?" * len(transcript_ids))
    sql = f"SELECT COUNT(*) FROM segments WHERE transcript_id IN ({marks}) AND {WALKED_TURNS}"
    return next(db.execute(sql, transcript_ids))[0] if transcript_ids else 0


def iter_coder_progress(db: Database, *, by_transcript: bool = False, kind: str = "interview") -> list[dict]:
    """Progress per coder (and per transcript): coded interview turns out of all of them (kind
    interview): participant turns and turns whose speaker is unknown (review), which the coding session
    walks too; participant turns only (kind participant: the units the reports and agreement count);
    document segments (kind document); or all but interviewer and other speakers' turns (kind all).

    Rows: coder, [transcript,] coded, total, nothing_applies, last_decided_utc, and the assignment
    (per transcript: assigned; per coder: assigned_transcripts, assigned_coded, assigned_total). Coders without any
    decision are listed with 0. Interviewer turns are not counted (they are coded only on request).
    """
    skip = {
        "interview": WALKED_TURNS,
        "document": "role = 'document'",
        "participant": "role = 'participant'",
    }.get(kind, f"role NOT IN ('interviewer', 'other') AND {_UNWALKED}")
    totals = {
        r["transcript_id"]: r["total"]
        for r in db.query(
            f"SELECT transcript_id, COUNT(*) AS total FROM segments WHERE {skip} "
            "GROUP BY transcript_id ORDER BY transcript_id"
        )
    }
    done: dict[tuple[str, str], dict] = {}
    for r in db.query(
        """
        SELECT d.coder_id, s.transcript_id, COUNT(*) AS coded, SUM(d.codes = '[]') AS nothing_applies,
               MAX(d.decided_utc) AS last_decided_utc
        FROM decisions d JOIN segments s ON s.id = d.segment_id
        WHERE {skip} GROUP BY d.coder_id, s.transcript_id
        """.format(skip=skip.replace("role", "s.role").replace("speaker", "s.speaker"))
    ):
        done[(r["coder_id"], r["transcript_id"])] = r
    assigned: dict[str, set[str]] = {}
    for r in db.query("SELECT coder_id, transcript_id FROM assignments"):
        assigned.setdefault(r["coder_id"], set()).add(r["transcript_id"])
    result = []
    for coder in iter_coders(db):
        parts = [(tid, done.get((coder, tid))) for tid in totals]
        mine = assigned.get(coder, set())
        if by_transcript:
            for tid, r in parts:
                result.append(
                    {
                        "coder": coder,
                        "transcript": tid,
                        "coded": r["coded"] if r else 0,
                        "total": totals[tid],
                        "nothing_applies": r["nothing_applies"] if r else 0,
                        "last_decided_utc": r["last_decided_utc"] if r else None,
                        "assigned": tid in mine,
                    }
                )
        else:
            got = [r for _, r in parts if r]
            result.append(
                {
                    "coder": coder,
                    "coded": sum(r["coded"] for r in got),
                    "total": sum(totals.values()),
                    "nothing_applies": sum(r["nothing_applies"] for r in got),
                    "last_decided_utc": max((r["last_decided_utc"] for r in got), default=None),
                    # The coder's assignment: transcripts, and segments coded out of them.
                    "assigned_transcripts": len(mine),
                    "assigned_coded": sum(r["coded"] for tid, r in parts if r and tid in mine),
                    "assigned_total": sum(totals[tid] for tid in mine if tid in totals),
                }
            )
    return result


def iter_decision_codes(
    db: Database, *, coders: list[str] | None = None
) -> list[tuple[str, int, str, frozenset[str]]]:
    """(transcript, segment, coder, codes) of every decision, ordered: the lean read for reports and agreement."""
    where, params = "1", []
    if coders is not None:
        where, params = f"d.coder_id IN ({', '.join('?' for _ in coders)})", list(coders)
    rows = db.execute(
        "SELECT s.transcript_id, s.n, d.coder_id, d.codes FROM decisions d JOIN segments s ON s.id = d.segment_id "
        f"WHERE {where} ORDER BY s.transcript_id, s.n, d.coder_id",
        params,
    ).fetchall()
    rows = in_study_order(rows)
    sets = CodeSets()  # few distinct code lists: each JSON text parsed once
    return [(t, n, coder, sets[text]) for t, n, coder, text in rows]


def iter_decision_texts(db: Database, coder: str) -> list[tuple[int, str]]:
    """(segment id, codes JSON text) of every decision by `coder`.

    Unlike iter_decision_codes: segment ids and the raw JSON text let the caller (the reports) join in
    Python and parse each distinct code list once."""
    return db.execute("SELECT segment_id, codes FROM decisions WHERE coder_id = ?", [coder]).fetchall()


def first_decision_times(db: Database, coders: list[str]) -> dict[str, str]:
    """{transcript: the earliest decided_utc of these coders on its participant segments}."""
    if not coders:
        return {}
    marks = ", ".join("?" for _ in coders)
    return {
        r["transcript_id"]: r["first"]
        for r in db.query(
            "SELECT s.transcript_id, MIN(d.decided_utc) AS first FROM decisions d "
            f"JOIN segments s ON s.id = d.segment_id WHERE d.coder_id IN ({marks}) AND s.role = 'participant' "
            "GROUP BY s.transcript_id",
            list(coders),
        )
    }


def iter_excerpts(db: Database, *, coders: list[str] | None = None) -> dict[tuple[str, int, str], tuple]:
    """(transcript, segment, coder) -> excerpts, for the decisions that have any."""
    where, params = "d.excerpts IS NOT NULL", []
    if coders is not None:
        where += f" AND d.coder_id IN ({', '.join('?' for _ in coders)})"
        params = list(coders)
    return {
        (t, n, c): excerpts_from_json(text)
        for t, n, c, text in db.execute(
            "SELECT s.transcript_id, s.n, d.coder_id, d.excerpts FROM decisions d "
            f"JOIN segments s ON s.id = d.segment_id WHERE {where}",
            params,
        ).fetchall()
    }


def iter_segment_codes(
    db: Database, keys: set[tuple[str, int]]
) -> dict[tuple[str, int], list[tuple[str, str]]]:
    """(transcript, n) -> [(coder, codes JSON text)] for just these segments (search hits), coder order.

    Reads by segment id in chunks, so a handful of hits costs a handful of rows, not every decision."""
    if not keys:
        return {}
    ids = {}
    wanted_transcripts = sorted({t for t, _ in keys})
    for chunk in _chunks(wanted_transcripts):
        marks = ", ".join("?" for _ in chunk)
        for sid, t, n in db.execute(
            f"SELECT id, transcript_id, n FROM segments WHERE transcript_id IN ({marks})", chunk
        ).fetchall():
            if (t, n) in keys:
                ids[sid] = (t, n)
    out: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for chunk in _chunks(sorted(ids)):
        marks = ", ".join("?" for _ in chunk)
        for sid, coder, codes in db.execute(
            f"SELECT segment_id, coder_id, codes FROM decisions WHERE segment_id IN ({marks}) ORDER BY coder_id",
            chunk,
        ).fetchall():
            out.setdefault(ids[sid], []).append((coder, codes))
    return out


def _chunks(items: list, size: int = 900) -> list[list]:
    """SQLite allows at most 999 parameters in older builds: query in chunks."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def codes_in_decisions(db: Database, codes: Iterable[str]) -> set[str]:
    """The codes among `codes` that some decision (any coder, consensus included) holds. Each is looked
    for by a string match first (stopping at the first decision), then checked exactly: cheaper than
    counting every code of every decision when only a few are asked about."""
    found = set()
    for code in dict.fromkeys(codes):
        pattern = '%"' + code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + '"%'
        row = db.execute(
            "SELECT 1 FROM decisions d WHERE d.codes LIKE ? ESCAPE '\\' "
            "AND EXISTS (SELECT 1 FROM json_each(d.codes) j WHERE j.value = ?) LIMIT 1",
            [pattern, code],
        ).fetchone()
        if row is not None:
            found.add(code)
    return found


def iter_deciders(db: Database) -> list[str]:
    """Coders who have made at least one decision."""
    return [r[0] for r in db.execute("SELECT DISTINCT coder_id FROM decisions ORDER BY coder_id").fetchall()]


def iter_decisions_where_applied(
    db: Database, codes: set[str], coders: list[str]
) -> list[tuple[str, int, str, frozenset[str]]]:
    """Every decision of `coders` on the segments where one of them applied one of `codes`:
    (transcript, n, coder, codes). What retrieve needs, without reading the whole table."""
    if not codes or not coders:
        return []
    who = ", ".join("?" for _ in coders)
    # A code id inside the stored JSON list is quoted: '"csu-1"'. "_" is LIKE's any-character, so an id with
    # one can only match more rows; the caller checks each decision's codes anyway.
    like = " OR ".join("d.codes LIKE ?" for _ in codes)
    rows = db.execute(
        f"""
        WITH hit AS (SELECT DISTINCT d.segment_id FROM decisions d WHERE d.coder_id IN ({who}) AND ({like}))
        SELECT s.transcript_id, s.n, d.coder_id, d.codes FROM decisions d
        JOIN hit ON hit.segment_id = d.segment_id JOIN segments s ON s.id = d.segment_id
        WHERE d.coder_id IN ({who}) ORDER BY s.transcript_id, s.n, d.coder_id
        """,
        [*coders, *(f'%"{c}"%' for c in sorted(codes)), *coders],
    ).fetchall()
    sets = CodeSets()  # few distinct code lists: each JSON text parsed once
    return [(t, n, coder, sets[text]) for t, n, coder, text in rows]
