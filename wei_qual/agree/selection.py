"""Which units an agreement run looks at: the coders, the code rows, the exclusive groups, and every
participant segment (interviewer turns only with include_interviewer; document segments only with kind
"document" or "all") that at least two of the selected coders decided. A coder who did not decide a unit
is missing on it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..coders import shown_list
from ..errors import AgreementError, NoAgreementError
from ..models import (
    ALL_KINDS,
    CONSENSUS_CODER,
    DOCUMENT_KIND,
    INTERVIEW_KIND,
    KINDS,
    Codebook,
    split_removed,
    unit_roles,
)
from ..store.codebooks import get_active_codebook
from ..store.decisions import SINGLE_COPIED, CodeSets, iter_coders, iter_decision_rows
from ..store.transcripts import (
    as_known_ids,
    get_attributes,
    get_speaker_attributes,
    iter_transcript_rows,
    iter_unit_segments,
    transcript_kinds,
    unknown_transcript,
)

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

    from . import matrix

DEFAULT_CONSENSUS = CONSENSUS_CODER
# Why agreement could not be measured (NoAgreementError.reason)
ONE_CODER = "one coder"
NO_OVERLAP = "no overlap"
NO_CODEBOOK = 'No codebook is loaded. Load one with "wei-qual codebook load FILE".'


@dataclass(slots=True)  # no dict per unit: a study has tens of thousands (hundreds at 10x)
class Unit:
    """One segment with every selected coder's decision (None = not decided)."""

    transcript: str
    segment: int
    speaker: str | None
    role: str
    text: str
    attributes: dict[str, str]
    codes: dict[str, frozenset[str] | None]
    decided_utc: dict[str, str | None] = field(default_factory=dict)  # coder -> when they decided it
    label: str | None = None  # a document segment's section heading
    page: int | None = None  # and the pages it starts and ends on
    end_page: int | None = None

    @property
    def decided(self) -> list[str]:
        return [c for c, codes in self.codes.items() if codes is not None]


@dataclass
class Selection:
    """What an agreement run looks at: coders, code rows, groups, and the units."""

    codebook: Codebook
    coders: list[str]
    rows: list[str]  # code ids reported as rows
    members: dict[str, set[str]]  # row -> the code ids whose presence counts for it
    groups: dict[str, list[str]]  # exclusive parent -> its children
    units: list[Unit]  # units decided by >= 2 selected coders
    # units left out because one of the two decisions was reconcile's copy of the other (--accept-single)
    single_copies: int = 0
    copiers: frozenset[str] = frozenset()  # the (consensus) coders whose copies those were
    # turns one coder alone decided in transcripts where two coders decided other turns: no units (a
    # coder who left many undecided shrinks the units, said by lone_note)
    lone: tuple[tuple[tuple[str, int], str], ...] = field(default=(), compare=False)
    # coders with decisions who decided none of the units, left out of `coders` (select's leave_idle)
    idle: tuple[str, ...] = ()
    # matrix.code_sets of all the units, kept once worked out (a new selection starts without)
    sets: matrix.CodeSets | None = field(default=None, init=False, repr=False, compare=False)
    # select(beside=NAME): that coder's codes on each unit (None: not decided), read with the others'
    # decisions but counting for no unit and no coder of the selection
    beside: dict[str, list[frozenset[str] | None]] = field(default_factory=dict, repr=False, compare=False)


def default_coders(db: Database, *, exclude: Iterable[str] = ()) -> list[str]:
    """Coders with decisions, leaving out consensus coders (named "consensus", or every decision has a rationale)."""
    return _default_coders(iter_decision_rows(db), exclude)


# A decision as selection reads it: (transcript, segment, coder, codes as stored, decided_utc, non-zero
# when it has a rationale: SINGLE_COPIED for a single-coded copy); the codes are parsed
# (store.decisions.CodeSets) only for the units kept.
_Row = tuple[str, int, str, str, "str | None", int]


def _default_coders(decisions: list[_Row], exclude: Iterable[str] = ()) -> list[str]:
    seen: dict[str, bool] = {}
    for _, _, coder, _, _, has_rationale in decisions:
        seen[coder] = seen.get(coder, True) and has_rationale
    skip = set(exclude) | {DEFAULT_CONSENSUS}
    return [c for c, all_rationale in seen.items() if not all_rationale and c not in skip]


def select(
    db: Database,
    *,
    coders: list[str] | None = None,
    codes: list[str] | None = None,
    transcripts: list[str] | None = None,
    include_interviewer: bool = False,
    require_common: bool = True,
    kind: str = INTERVIEW_KIND,
    also: list[str] | None = None,
    beside: str | None = None,
    texts: bool = True,
    decisions: tuple[list[_Row], CodeSets] | None = None,
    leave_idle: bool | None = None,
) -> Selection:
    """Resolve and check a selection; raise AgreementError for unknown coders, codes, transcripts or kind,
    fewer than two coders, or (with require_common) coders with no segment in common.

    `leave_idle` (by default when `coders` is not given): a coder who decided none of the units (three
    coders, the double-coded share given to two) is left out of `coders`, named in `idle`, when two remain.

    `kind`: interview (participant turns, the default), document (document segments) or all (both).
    `also`: with the default coders (no `coders`), these known coders after them, from the same read of
    the decisions. `beside`: a known coder, not among the coders (nor among the default ones), whose codes
    on the selection's units are read from the same read, into `beside[name]`: the methods passage reads
    consensus so, to measure each coder against it on the coders' units. Its decisions make no unit, and
    its copies of single-coded turns (--accept-single) read as not decided. texts=False: the units' text
    is "" (not read), for a caller that never shows it (the methods passage). `decisions`: every decision
    as iter_decision_rows reads them, with the CodeSets parsing their code lists, when the caller has
    read them already (the methods passage, for its majority): the same units as a read of their own."""
    if kind not in (*KINDS, ALL_KINDS):
        raise AgreementError(f'Unknown kind "{kind}". Pass --kind interview, document or all.')
    active = get_active_codebook(db)
    if active is None:
        raise AgreementError(NO_CODEBOOK)
    _, codebook = active
    known = iter_coders(db)
    given = coders
    read, parsed = decisions if decisions is not None else (None, CodeSets())
    if coders:
        coders = list(dict.fromkeys(c.strip() for c in coders if c.strip()))
        for coder in coders:
            if coder not in known:
                names = shown_list(known) or "none yet"
                raise AgreementError(
                    f'Unknown coder "{coder}" in --coders. Known coders: {names}. Check the spelling.'
                )
        if len(coders) < 2:
            raise NoAgreementError(
                f'Agreement needs at least two coders, --coders names one ("{coders[0] if coders else ""}"). '
                "Name two or more, e.g. --coders alice,bob.",
                coders=coders,
                reason=ONE_CODER,
            )
        if beside in coders or beside not in known:
            beside = None
        wanted = coders if beside is None else [*coders, beside]
        if read is None:
            decisions = iter_decision_rows(db, coders=wanted)
        else:
            wanted = set(wanted)
            decisions = [d for d in read if d[2] in wanted]
    else:
        decisions = iter_decision_rows(db) if read is None else read
        beside = beside if beside in known else None
        coders = _default_coders(decisions, [beside] if beside is not None else ())
        if len(coders) < 2:
            found = ", ".join(coders) or "none"
            raise NoAgreementError(
                f"Agreement needs decisions from at least two coders; this project has {len(coders)} ({found}). "
                'Import or code a second coder\'s decisions with "wei-qual decisions import" or "wei-qual code".',
                coders=coders,
                reason=ONE_CODER,
            )
        coders += [c for c in dict.fromkeys(also or []) if c in known and c not in coders and c != beside]
        chosen = set(coders) | {beside}
        decisions = [d for d in decisions if d[2] in chosen]
    leaf_ids = [c.id for c in codebook.codes if not codebook.children(c.id)]
    named, removed = split_removed(codes or [])
    if named:
        rows = list(dict.fromkeys(named))
        for code in rows:
            if codebook.code(code) is None:
                raise AgreementError(
                    f'Unknown code "{code}" in --codes: it is not in the active codebook{codebook.did_you_mean(code)}. '
                    'See the code ids with "wei-qual codebook show".'
                )
    else:
        rows = leaf_ids
    rows, problem = codebook.leave_out(rows, removed)  # "-ID": that code, or a theme's whole group, left out
    if problem:
        raise AgreementError(problem)
    members = {row: codebook.descendants(row) for row in rows}
    selected = set().union(*members.values()) if members else set()
    groups = {
        parent: children
        for parent, children in codebook.exclusive_groups().items()
        if children and (parent in selected or selected & set(children))
    }
    if transcripts:
        existing = {r["id"] for r in iter_transcript_rows(db)}
        transcripts = as_known_ids(transcripts, existing)
        for t in transcripts:
            if t not in existing:
                raise AgreementError(unknown_transcript(t, existing))
    left_out: list[tuple[tuple[str, int], str]] = []
    lone: list[tuple[tuple[str, int], str]] = []
    aside: dict[tuple[str, int], frozenset[str] | None] = {}
    units = _units(
        db,
        decisions,
        coders,
        transcripts,
        unit_roles(kind, include_interviewer=include_interviewer),
        single_copies=left_out,
        beside=(beside, aside) if beside is not None else None,
        texts=texts,
        sets=parsed,
        lone=lone,
    )
    if require_common and not units and kind != ALL_KINDS and kind not in set(transcript_kinds(db).values()):
        raise AgreementError(
            f"This project has no {kind}s, so --kind {kind} selects nothing. "
            + (
                'Ingest the policy documents with "wei-qual ingest --kind document", or leave --kind out.'
                if kind == DOCUMENT_KIND
                else "Pass --kind document."
            )
        )
    if require_common and not units:
        raise NoAgreementError(
            f"Coders {_and(coders)} have no segment in common: no segment in the selection was decided by "
            'two of them. Double-code some segments with "wei-qual code --coder NAME", or check --transcript.',
            coders=coders,
            reason=NO_OVERLAP,
        )
    idle: tuple[str, ...] = ()
    if leave_idle if leave_idle is not None else given is None:
        idle = tuple(c for c in coders if all(u.codes.get(c) is None for u in units))
        if idle and len(coders) - len(idle) >= 2:
            coders = [c for c in coders if c not in idle]
            for u in units:
                for c in idle:
                    u.codes.pop(c, None)
                    u.decided_utc.pop(c, None)
        else:
            idle = ()
    copiers = frozenset(coder for _, coder in left_out)
    sel = Selection(
        codebook, coders, rows, members, groups, units, len(left_out), copiers, tuple(lone), idle=idle
    )
    if beside is not None:
        sel.beside[beside] = [aside.get((u.transcript, u.segment)) for u in units]
    return sel


FEW_UNITS = 10  # a coder in fewer units (and under a fifth of them) moves Light's κ more than they should


THIN_CODERS = (  # after the coders' names: what stderr groups as one kind of --by subset warning
    " decided few of the units: the mean pairwise κ weighs each of their pairs as much as any other, on "
    "those units alone. Leave them out with --exclude-coders, or have them code more."
)


def thin_names(counts: dict[str, int], units: int) -> list[str]:
    """The coders of `counts` (units each decided, of `units`) who decided few of them (see thin_coders)."""
    return [c for c, n in counts.items() if n < FEW_UNITS and 5 * n < units]


def thin_coders(counts: dict[str, int], units: int) -> str | None:
    """A warning naming coders who decided few of the units (`counts`: units each coder decided, of
    `units`): each of their pairs counts as much as any other in the mean pairwise κ (Light's), on a
    handful of units, and a pair with no variation is left out of that mean; None when no coder is so thin."""
    thin = thin_names(counts, units)
    if not thin:
        return None
    # A coder with no double-coded turn (a three-coder team whose reliability share went to the other
    # two) has no pair at all: "few" and "code more" misread an ordinary design.
    none = [c for c in thin if not counts[c]]
    few = [c for c in thin if counts[c]]
    said = []
    if few:
        said.append(_and([f"{c} ({counts[c]} of {units:,} units)" for c in few]) + THIN_CODERS)
    if none:
        said.append(
            idle_note(none, units, "so no figure here measures them")
            + f"; --exclude-coders leaves {_and(none)} out of this list."
        )
    return " ".join(said)


def idle_note(idle: Iterable[str], units: int, so: str = "so agreement leaves them out") -> str:
    """What a coder who decided none of the units (no pair with anyone) is told: not to code more."""
    who = _and(list(idle))
    return (
        f"{who} decided none of the {units:,} units (no turn of theirs was decided by another coder too), "
        f'{so}. To measure {who}, give them double-coded transcripts ("wei-qual assign --double")'
    )


def single_copies_note(left_out: int) -> str | None:
    """A warning that `left_out` segments are no units because one of their two decisions is
    consensus's copy of the other (reconcile --accept-single); None when there is none."""
    if not left_out:
        return None
    return (
        f"{left_out:,} segment{'s' if left_out != 1 else ''} one coder decided alone, which reconcile copied "
        "into consensus as coded (--accept-single), are left out: there consensus is that coder's decision "
        "again and agrees with it by construction. Each coder's agreement with consensus is measured on "
        "the turns consensus reconciled or took as agreed."
    )


LONE_FEW = 5  # lone turns said from this many, and a tenth of the turns decided (a coder mid-transcript)


def lone_note(lone: tuple[tuple[tuple[str, int], str], ...], units: int) -> str | None:
    """A warning that turns of double-coded transcripts were decided by one coder only (`lone`: each
    segment with its coder), so they are no units; None when there is none."""
    if len(lone) < LONE_FEW or len(lone) * 10 < units + len(lone):  # a turn or two still to decide
        return None
    per: dict[str, int] = {}
    for _, coder in lone:
        per[coder] = per.get(coder, 0) + 1
    n = len(lone)
    shown = ", ".join(f"{t}:{k}" for (t, k), _ in lone[:5]) + (f" and {n - 5:,} more" if n > 5 else "")
    return (
        f"{n:,} turn{'s' if n != 1 else ''} of transcripts the coders share {'were' if n != 1 else 'was'} "
        f"decided by one coder only ({_and([f'{c} {k:,}' for c, k in per.items()])}: {shown}), so "
        f"{'they are' if n != 1 else 'it is'} not in the agreement, measured on the {units:,} turns two "
        "coders decided. Have the other coders decide them, or read the agreement as of those turns only."
    )


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _units(
    db: Database,
    decisions: list[_Row],
    coders: list[str],
    transcripts: list[str] | None,
    roles: tuple[str, ...],
    *,
    min_coders: int = 2,
    single_copies: list[tuple[tuple[str, int], str]] | None = None,
    beside: tuple[str, dict[tuple[str, int], frozenset[str] | None]] | None = None,
    texts: bool = True,
    sets: CodeSets | None = None,
    lone: list[tuple[tuple[str, int], str]] | None = None,
) -> list[Unit]:
    """The segments (of `roles`) decided by at least `min_coders` of `coders`, with their decisions.

    A consensus decision reconcile copied from the one coder who decided a turn (--accept-single) is
    not a decision of its own: it is that coder's, so it agrees with them by construction. It counts as
    not decided; `single_copies` gets the segments that are left out for it (they would have been units
    with it), each with the coder whose copy it was. `beside`: (a coder, not among `coders`, a dict that
    gets its codes per segment, None for a copy): its decisions are kept apart, counted for nothing."""
    attributes = get_attributes(db)
    speakers = get_speaker_attributes(
        db
    )  # a speaker's own attributes (pair interviews) over the transcript's
    wanted = set(transcripts) if transcripts else None
    # each distinct code list parsed once; units share the set objects
    sets = CodeSets() if sets is None else sets
    decided: dict[tuple[str, int], dict[str, frozenset[str]]] = {}
    times: dict[tuple[str, int], dict[str, str | None]] = {}
    # The decisions come in transcript and segment order: a segment's are consecutive rows.
    copied: dict[tuple[str, int], str] = {}  # segment -> who holds its single-coded copy, not counted
    aside, apart = beside if beside is not None else (None, {})
    last_transcript, last_n, got, when = None, None, {}, {}
    for transcript, n, coder, codes, decided_utc, marked in decisions:
        if n != last_n or transcript != last_transcript:
            if wanted is not None and transcript not in wanted:
                continue
            last_transcript, last_n = transcript, n
            got = decided[(transcript, n)] = {}
            when = times[(transcript, n)] = {}
        if coder == aside:
            apart[(transcript, n)] = None if marked == SINGLE_COPIED else sets[codes]
            continue
        if marked == SINGLE_COPIED:
            copied[(transcript, n)] = coder
            continue
        got[coder] = sets[codes]
        when[coder] = decided_utc
    merged: dict[tuple[str, str | None], dict[str, str]] = {}  # (transcript, speaker) -> attributes
    units = []
    for transcript, n, speaker, role, text, label, page, end_page in iter_unit_segments(
        db, roles=roles, texts=texts
    ):
        if wanted is not None and transcript not in wanted:
            continue
        key = (transcript, n)
        got = decided.get(key)
        if not got or len(got) < min_coders:
            if copied and single_copies is not None and key in copied and len(got or ()) + 1 >= min_coders:
                single_copies.append((key, copied[key]))
            elif lone is not None and got and len(got) == 1:
                lone.append((key, next(iter(got))))
            continue
        who = (transcript, speaker)
        attrs = merged.get(who)
        if attrs is None:
            attrs = merged[who] = {**attributes.get(transcript, {}), **speakers.get(who, {})}
        # attributes are shared by a speaker's units (read only): a study has 100,000s
        units.append(
            Unit(
                transcript,
                n,
                speaker,
                role,
                text,
                attrs,
                dict(zip(coders, map(got.get, coders))),
                times[key],
                label,
                page,
                end_page,
            )
        )
    if lone:  # only those of transcripts with a unit: elsewhere one coder codes alone, by design
        shared = {u.transcript for u in units}
        lone[:] = [(key, coder) for key, coder in lone if key[0] in shared]
    return units
