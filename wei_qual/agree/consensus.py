"""Consensus for `wei-qual reconcile`: the queue of disagreements, accepting what every coder agreed
on, saving the lead's decision with its rationale, and the reconcile loop's commands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import AgreementError
from ..excerpts import normalise, stale_excerpts
from ..models import (
    AGREED_COPY,
    ALL_KINDS,
    KINDS,
    SINGLE_COPY,
    Codebook,
    Decision,
    Excerpt,
    id_key,
    unit_roles,
)
from ..numbers import whole_number
from ..session import (
    code_matches,
    did_you_mean,
    exclusive_conflicts,
    exclusive_partner,
    heading_problem,
    parse_command,
    selectable_codes,
)
from ..store import transaction
from ..store.assignments import iter_assignments
from ..store.codebooks import get_active_codebook
from ..store.decisions import (
    confirm_decision,
    get_decision,
    iter_decision_rows,
    iter_decisions,
    iter_excerpts,
    save_decision,
)
from .disagreements import Disagreement, _compare, list_disagreements
from .selection import DEFAULT_CONSENSUS, NO_CODEBOOK, Selection, Unit, _units, default_coders, select

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database


def stale_copy(decision: Decision, unit: Unit, found: dict | None = None) -> bool:
    """Whether a consensus decision that reconcile copied from the coders no longer matches them: any
    coder of the unit decides it otherwise now, whether a coder the copy names changed their decision
    since (a packet merged later, an import, a recode) or a coder who joined later disagrees with what
    the others agreed on (a copy says every deciding coder agreed, or one coder alone decided); or, with
    every coder's excerpts `found` (iter_excerpts), the coders it names mark other words for its codes
    now (copied again, its excerpts follow theirs). A decision the lead made is never stale."""
    rationale = decision.rationale or ""
    if not rationale.endswith((AGREED_COPY, SINGLE_COPY)):
        return False
    if any(codes is not None and codes != decision.codes for codes in unit.codes.values()):
        return True
    return found is not None and stale_excerpts(decision, found)


def _removed(codes: Iterable[str], codebook: Codebook) -> bool:
    """Whether codes hold one the active codebook no longer has: such a turn is recoded, not copied into
    consensus (the interactive walk never chooses it either)."""
    return any(codebook.code(c) is None for c in codes)


def _clash(codes: Iterable[str], codebook: Codebook, unit: Unit, held: list[tuple[str, int]] | None) -> bool:
    """Whether codes hold two of one exclusive group (decided before a codebook made the group exclusive,
    loaded with --force) or a code a later version made a theme heading (gave it codes under it): never
    copied into consensus, which import would then refuse; the turn is added to `held` to be recoded."""
    parents = {c.parent for c in codebook.codes if c.parent}
    if not exclusive_conflicts(codes, codebook) and not parents.intersection(codes):
        return False
    if held is not None:
        held.append((unit.transcript, unit.segment))
    return True


def _settled(db: Database, consensus: str, units: Iterable[Unit]) -> set[tuple[str, int]]:
    """The units the consensus coder decided, less its copies the coders' decisions have moved away from:
    those are copied again, or walked again when the coders now disagree."""
    decided = {(d.transcript, d.segment): d for d in iter_decisions(db, coders=[consensus])}
    found = iter_excerpts(db)
    stale = {
        (u.transcript, u.segment)
        for u in units
        if (u.transcript, u.segment) in decided and stale_copy(decided[(u.transcript, u.segment)], u, found)
    }
    return set(decided) - stale


def coders_excerpts(
    found: dict[tuple[str, int, str], tuple], unit: Unit, coders: Iterable[str], codes: frozenset[str]
) -> tuple[Excerpt, ...]:
    """The excerpts `coders` marked on the unit for the codes consensus takes, joined where they overlap
    (as retrieve and the quotes join them for --source union). Consensus decides codes, not words: without
    them the words every coder marked were lost at reconcile, and retrieve and the quotes, which read
    consensus by default, showed whole turns."""
    return normalise(
        e
        for coder in coders
        for e in found.get((unit.transcript, unit.segment, coder), ())
        if e.code in codes
    )


def check_consensus_name(consensus: str, coders: list[str]) -> str:
    name = consensus.strip()
    if not name:
        raise AgreementError("The consensus coder name is empty. Pass one with --as, e.g. --as consensus.")
    if name in coders:
        raise AgreementError(
            f'--as "{name}" is one of the coders being reconciled. Store consensus under another name, e.g. --as consensus.'
        )
    return name


def reconcile_queue(
    db: Database,
    *,
    coders: list[str] | None = None,
    consensus: str = DEFAULT_CONSENSUS,
    transcripts: list[str] | None = None,
    include_interviewer: bool = False,
    kind: str = "interview",
    revisit: bool = False,
) -> tuple[Selection, list[Disagreement]]:
    """The disagreements (on units of `kind`) the consensus coder has not decided yet, in transcript and
    segment order; with `revisit`, those it decided by hand too (not its copies), to look at again."""
    given = bool(coders)
    if not coders:
        coders = default_coders(db, exclude=[consensus])
    sel, disagreements = list_disagreements(
        db,
        coders=coders,
        transcripts=transcripts,
        include_interviewer=include_interviewer,
        kind=kind,
        leave_idle=not given,  # a coder with no double-coded turn gets no column
    )
    check_consensus_name(consensus, sel.coders)
    done = _settled(db, consensus, (d.unit for d in disagreements))
    if revisit:
        done -= {(d.transcript, d.segment) for d in iter_decisions(db, coders=[consensus]) if not is_copy(d)}
    return sel, [d for d in disagreements if (d.unit.transcript, d.unit.segment) not in done]


def is_copy(decision: Decision) -> bool:
    """Whether reconcile copied this consensus decision from the coders (--accept-agreed, --accept-single)
    rather than the lead deciding it."""
    return (decision.rationale or "").endswith((AGREED_COPY, SINGLE_COPY))


def accept_agreed(
    db: Database,
    *,
    coders: list[str] | None = None,
    consensus: str = DEFAULT_CONSENSUS,
    actor: str,
    transcripts: list[str] | None = None,
    include_interviewer: bool = False,
    kind: str = "interview",
    held: list[tuple[str, int]] | None = None,
) -> int:
    """Copy every unit (of `kind`) on which all deciding coders agree into the consensus coder (one
    transaction).

    Units the consensus coder already decided are left alone, and so are agreed codes holding two of
    one exclusive group or a theme heading, added to `held` (transcript, segment). Returns how many
    decisions were saved.
    """
    if not coders:
        coders = default_coders(db, exclude=[consensus])
    sel = select(
        db, coders=coders, transcripts=transcripts, include_interviewer=include_interviewer, kind=kind
    )
    check_consensus_name(consensus, sel.coders)
    done = _settled(db, consensus, sel.units)
    found = iter_excerpts(db, coders=sel.coders)
    saved = 0
    with transaction(db):
        for unit in sel.units:
            if (unit.transcript, unit.segment) in done:
                continue
            disputed, agreed = _compare(unit, None)
            if disputed or _removed(agreed, sel.codebook) or _clash(agreed, sel.codebook, unit, held):
                continue
            decision = Decision(
                unit.transcript,
                unit.segment,
                consensus,
                agreed,
                rationale=f"agreed by {', '.join(unit.decided)}{AGREED_COPY}",
                excerpts=coders_excerpts(found, unit, unit.decided, agreed),
            )
            saved += save_decision(db, decision, actor=actor)
    return saved


@dataclass(frozen=True)
class SingleCoded:
    copied: int  # single-coded segments copied into consensus
    waiting: int  # segments one coder decided in a transcript two code: left for the second coder


def accept_single(
    db: Database,
    *,
    coders: list[str] | None = None,
    consensus: str = DEFAULT_CONSENSUS,
    actor: str,
    transcripts: list[str] | None = None,
    include_interviewer: bool = False,
    kind: str = "interview",
    held: list[tuple[str, int]] | None = None,
) -> SingleCoded:
    """Copy every unit (of `kind`) that one coder decided, in a transcript nobody else codes, into the
    consensus coder as coded (one transaction): in a study that double-codes a share, the rest is final
    as its one coder coded it. A transcript the assignment double-codes, or where any unit has two
    coders' decisions, is waiting for its second coder: its single-coded units are counted, not copied.
    Units the consensus coder already decided are left alone, and so are codes holding two of one
    exclusive group or a theme heading, added to `held` (transcript, segment)."""
    if kind not in (*KINDS, ALL_KINDS):
        raise AgreementError(f'Unknown kind "{kind}". Pass --kind interview, document or all.')
    if not coders:
        coders = default_coders(db, exclude=[consensus])
    check_consensus_name(consensus, coders)
    active = get_active_codebook(db)
    if active is None:
        raise AgreementError(NO_CODEBOOK)
    codebook = active[1]
    # Single-coded means no other coder decided it either, named in --coders or not.
    everyone = list(dict.fromkeys([*coders, *default_coders(db, exclude=[consensus])]))
    units = _units(
        db,
        iter_decision_rows(db, coders=everyone),
        everyone,
        transcripts,
        unit_roles(kind, include_interviewer=include_interviewer),
        min_coders=1,
    )
    shared = {r["transcript_id"] for r in iter_assignments(db) if r["double"]}
    shared |= {u.transcript for u in units if sum(c is not None for c in u.codes.values()) > 1}
    done = _settled(db, consensus, units)
    found = iter_excerpts(db, coders=coders)
    copied = waiting = 0
    with transaction(db):
        for unit in units:
            deciders = [(coder, codes) for coder, codes in unit.codes.items() if codes is not None]
            if len(deciders) != 1 or (unit.transcript, unit.segment) in done:
                continue
            if unit.transcript in shared:
                waiting += 1
                continue
            coder, codes = deciders[0]
            if coder not in coders or _removed(codes, codebook) or _clash(codes, codebook, unit, held):
                continue
            decision = Decision(
                unit.transcript,
                unit.segment,
                consensus,
                codes,
                rationale=f"single-coded by {coder}{SINGLE_COPY}",
                excerpts=coders_excerpts(found, unit, [coder], codes),
            )
            copied += save_decision(db, decision, actor=actor)
    return SingleCoded(copied, waiting)


def save_consensus(
    db: Database,
    unit: Unit,
    codes: frozenset[str],
    rationale: str,
    *,
    consensus: str,
    actor: str,
    confirm: bool = False,
) -> Decision:
    """Store the lead's final codes for a unit as the consensus coder's decision (committed at once), with
    the excerpts the coders marked for those codes.

    With `confirm` (a decision of an earlier run, looked at again), saving it unchanged records in the
    audit log that the lead kept it. Raises AgreementError when the codes cannot be consensus
    (consensus_problem): import would refuse them, so an exported consensus would not import again."""
    active = get_active_codebook(db)
    problem = consensus_problem(codes, active[1]) if active is not None else None
    if problem is not None:
        raise AgreementError(problem)
    deciders = [c for c, applied in unit.codes.items() if applied is not None and c != consensus]
    found = {
        (unit.transcript, unit.segment, c): d.excerpts
        for c in deciders
        if (d := get_decision(db, unit.transcript, unit.segment, c)) is not None
    }
    decision = Decision(
        unit.transcript,
        unit.segment,
        consensus,
        frozenset(codes),
        rationale=rationale.strip() or f"chosen by {actor}",
        excerpts=coders_excerpts(found, unit, deciders, frozenset(codes)),
    )
    if not save_decision(db, decision, actor=actor) and confirm:
        confirm_decision(db, decision, actor=actor)
    return decision


@dataclass(frozen=True)
class ReconcileCommand:
    kind: str  # toggle, save, nothing, rationale, skip, quit, help, go, search, memo, memos, elsewhere
    tokens: tuple[str, ...] = ()  # search: ("back",) for a backward one
    text: str | None = None  # go: where; search: the words (None: the last ones again)
    # memo: "segment" (m), "transcript" (mt) or "code" (mc ID), as in the coding session
    target: str = "segment"
    code: str | None = None  # memo on a code: the id, number or prefix typed


# Commands of the coding session that reconcile has not, with what they do there: a lead who types one
# is told so, where it used to toggle the code it is a prefix of.
CODING_ONLY = {
    "a": "accepting the suggestions",
    "n": "a note",
    "x": "an excerpt",
    "#": "numbering the sentences",
}


def parse_reconcile_command(line: str) -> ReconcileCommand:
    """One line of the reconcile loop: Enter saves, 0 saves "nothing applies", r [TEXT] rationale (r - clears
    it), s skip, b back, m [TEXT] the lead's memo on the segment (mt on its transcript, mc ID on a code), m?
    every memo on them, q quit, ? the whole disagreement and the keys, g N go to disagreement N (or a
    segment, g P02:14), /WORDS search, a coding session's command reconcile has not (CODING_ONLY:
    "elsewhere"), else codes."""
    stripped = line.strip()
    if not stripped:
        return ReconcileCommand("save")
    word, _, rest = stripped.partition(" ")
    word = word.lower()  # `Q` quits, as in the coding session (Caps Lock on)
    if word == "g" or stripped.startswith("/"):  # go to, search: as in the coding session
        command = parse_command(stripped)
        back = ("back",) if command.target == "back" else ()
        return ReconcileCommand(command.kind, tokens=back, text=command.text)
    if stripped == "0":
        return ReconcileCommand("nothing")
    if word in ("q", "quit"):
        return ReconcileCommand("quit")
    if word in ("s", "skip"):
        return ReconcileCommand("skip")
    if word in ("?", "h", "help"):
        return ReconcileCommand("help")
    if word in ("r", "rationale"):
        return ReconcileCommand("rationale", text=rest.strip() or None)
    if word in ("b", "back"):
        return ReconcileCommand("back")
    if word in ("m", "mt"):  # the lead's memo on the segment or transcript, as in the coding session
        return ReconcileCommand(
            "memo", text=rest.strip() or None, target="segment" if word == "m" else "transcript"
        )
    if word == "mc":  # `mc ID TEXT`: on a code, the id the first word
        code, _, text = rest.strip().partition(" ")
        return ReconcileCommand("memo", target="code", code=code or None, text=text.strip() or None)
    if word == "m?":
        return ReconcileCommand("memos")
    if stripped == "!":  # the last notice and message whole, as in the coding session
        return ReconcileCommand("said")
    if word in CODING_ONLY:  # read as a code's prefix, `n` (a note there) toggled a code here
        return ReconcileCommand("elsewhere", text=word)
    return ReconcileCommand("toggle", tokens=tuple(t for t in stripped.replace(",", " ").split() if t))


def locate_disagreement(queue: list[Disagreement], where: str, current: int) -> int | str:
    """The index `g WHERE` names in reconcile's walk: N (disagreement N), TRANSCRIPT:N or TRANSCRIPT N (the
    disagreement on that segment), TRANSCRIPT (its first one); or a message saying why nothing moves."""
    where = where.strip()
    usage = "g 12 (disagreement 12), g P02:14 (the one on that segment) or g P02"
    if not where:
        return f"Say where to go: {usage}."
    number = whole_number(where.lstrip("#"))
    if number is not None:
        if 1 <= number <= len(queue):
            return number - 1
        return f"There are disagreements 1 to {len(queue)}; g N goes to the N-th. Nothing moved."
    name, _, n = (
        where.replace(" ", ":").rpartition(":") if (":" in where or " " in where) else (where, "", "")
    )
    ids = list(dict.fromkeys(d.unit.transcript for d in queue))
    same = [t for t in ids if t == name] or [t for t in ids if id_key(t) == id_key(name)]
    if len(same) != 1:
        return f'No disagreement left on a transcript "{name}" in this walk. Nothing moved.'
    segment = whole_number(n) if n else None
    if n and segment is None:
        return f'"{n}" is not a segment number. Go to one with {usage}.'
    for i, d in enumerate(queue):
        if d.unit.transcript == same[0] and (segment is None or d.unit.segment == segment):
            return i
    return f"{same[0]} segment {segment} is not among the disagreements walked here. Nothing moved."


LISTED_MATCHES = 3  # the codes a prefix matches, named in its message before "and N more"


def memo_code(token: str, numbered: list[str], codebook: Codebook) -> str:
    """The code `mc TOKEN` names: a number of the disagreement's table, any code's or theme's id (any case),
    or a unique prefix or part of one, as the coding session's `mc` reads it. Raises AgreementError."""
    if 1 <= (whole_number(token) or 0) <= len(numbered):
        return numbered[int(token) - 1]
    ids = [c.id for c in codebook.codes]
    exact = [i for i in ids if i.lower() == token.lower()]
    if exact:
        return exact[0]
    matches = code_matches(token, ids)
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = ", ".join(matches[:LISTED_MATCHES]) + (
            f" and {len(matches) - LISTED_MATCHES} more" if len(matches) > LISTED_MATCHES else ""
        )
        raise AgreementError(
            f'"{token}" matches {len(matches)} codes: {listed}. Type more of the id. No memo written.'
        )
    raise AgreementError(f'"{token}" is neither a number from the list nor a code id. No memo written.')


def toggle_codes(
    current: frozenset[str], tokens: Iterable[str], numbered: list[str], codebook: Codebook
) -> frozenset[str]:
    """Toggle codes by number (1-based, in `numbered`) or id (any code of the codebook; a prefix or part
    of a code's id as in the coding session); +id adds, -id removes.

    Raises AgreementError naming the first token that is none of these, or that matches several codes
    (listing them), or that adds a code the codebook no longer has, and changes nothing then.
    """
    ids = list(dict.fromkeys([*numbered, *(c.id for c in selectable_codes(codebook))]))
    selection = set(current)
    added: set[str] = set()  # on this line: a clash with one of them is told "type one of them"
    parents = {c.parent for c in codebook.codes if c.parent}
    for token in tokens:
        op, name = ("", token)
        if token[:1] in "+-" and len(token) > 1:
            op, name = token[0], token[1:]
        # A chosen code goes whatever it is now (a theme heading, say): consensus cannot keep it.
        if op == "-" and name in selection:
            selection.discard(name)
            continue
        matches = [] if whole_number(name) is not None else code_matches(name, ids)
        exact = [i for i in ids if i.lower() == name.lower()]  # any case, as the coding session reads it
        heading = next((c for c in codebook.codes if c.id.lower() == name.lower() and c.id in parents), None)
        if 1 <= (whole_number(name) or 0) <= len(numbered):
            code = numbered[int(name) - 1]
        elif exact:
            code = exact[0]
        elif heading is not None:  # a theme: saved, import and agreement would refuse it as a code
            children = ", ".join(c.id for c in codebook.children(heading.id))
            raise AgreementError(
                f'"{heading.id}" is a theme heading, not a code. Choose one of its codes: {children}. '
                "Nothing changed."
            )
        elif len(matches) == 1:
            code = matches[0]
        elif matches:
            # A few of them, and how many more: a short prefix of a 40-code study matched them all.
            listed = ", ".join(matches[:LISTED_MATCHES]) + (
                f" and {len(matches) - LISTED_MATCHES} more" if len(matches) > LISTED_MATCHES else ""
            )
            raise AgreementError(
                f'"{token}" matches {len(matches)} codes: {listed}. Type more of the id. Nothing changed.'
            )
        else:
            raise AgreementError(
                f'"{token}" is neither a number from the list nor a code id{did_you_mean(name, ids)}. Nothing changed.'
            )
        if op == "+" or (not op and code not in selection):
            if codebook.code(code) is None:
                raise AgreementError(
                    f'"{code}" is not in the active codebook (an earlier version had it), so consensus cannot '
                    "take it. Choose the code that replaces it. Nothing changed."
                )
            # As the coding session and import: consensus holding two codes of one exclusive group could
            # not be read as one value by agreement, and its export would not import again.
            clash = exclusive_partner(code, selection, codebook)
            if clash is not None:
                group, other = clash
                fix = "Type one of them." if other in added else f"Remove it first with -{other}."
                raise AgreementError(
                    f'"{code}" and "{other}" are both in exclusive group "{group}", which takes one code. {fix} '
                    "Nothing changed."
                )
            selection.add(code)
            added.add(code)
        else:
            selection.discard(code)
    return frozenset(selection)


def takeable(codes: Iterable[str], codebook: Codebook) -> frozenset[str]:
    """Those of `codes` consensus can take: codes of the active codebook to apply, not theme headings (a
    disagreement opens with the coders' agreed codes less the others, which stay listed)."""
    leaves = {c.id for c in selectable_codes(codebook)}
    return frozenset(c for c in codes if c in leaves)


def consensus_problem(codes: Iterable[str], codebook: Codebook) -> str | None:
    """Why these codes cannot be saved as consensus (None when they can): two codes of one exclusive
    group (the coders' agreed codes hold both when a codebook made the group exclusive later), a theme
    heading, or a code the active codebook no longer has. What import refuses, reconcile never saves."""
    for group, hit in exclusive_conflicts(codes, codebook):
        return (
            f'{" and ".join(hit)} are both in exclusive group "{group}", which takes one code: remove one '
            f"(-{hit[-1]}) before saving. Nothing saved."
        )
    for code in sorted(codes):
        if codebook.code(code) is None:
            return (
                f'"{code}" is not in the active codebook (an earlier version had it): remove it (-{code}) and '
                "choose the code that replaces it. Nothing saved."
            )
        heading = heading_problem([code], codebook)  # as the coding session refuses it
        if heading is not None:
            return heading
    return None


def exclusivity_note(chosen: frozenset[str], codebook: Codebook) -> str | None:
    """Said when a disagreement opens with chosen codes that break an exclusive group (the coders' agreed
    codes, decided under a version where the group was not exclusive): one must go before saving."""
    for group, hit in exclusive_conflicts(chosen, codebook):
        return f'Note: {" and ".join(hit)} are in the exclusive group "{group}": pick one before saving.'
    return None


def shown_codes(d: Disagreement, codebook: Codebook) -> list[str]:
    """The codes listed (and numbered) for a disagreement: every code any coder applied, codebook order."""
    applied = set().union(*(c for c in d.unit.codes.values() if c is not None))
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    return sorted(applied, key=lambda c: (order.get(c, len(order)), c))
