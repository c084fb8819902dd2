"""Agreement between coders in a project (DESIGN §5): reliability matrices built from decisions,
AgreementResult per code / exclusive group / overall (and per attribute value), the disagreement
listing, and the consensus helpers used by `wei-qual reconcile`.

Decisions made here (documented in docs/readme-sections/agree.md):
- unit = a participant segment (interviewer turns only with include_interviewer) that at least two of
  the selected coders decided; a coder who did not decide a unit is missing on it;
- one row per leaf code of the active codebook (presence 1 / absence 0). A parent code named with
  --codes gets a "theme" row: present when the parent or any of its descendants was applied;
- an exclusive group is one nominal variable: its value is the child applied, "(none)" when no child
  was applied, and the "+"-joined children when a coder broke exclusivity (a value of its own);
- overall: alpha pooled over every (unit, code) presence value, and the mean of the defined per-code
  alphas. numpy is imported lazily via wei_qual.reliability (this module is not imported by the CLI at
  start-up).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from .errors import AgreementError
from .models import PARTICIPANT, Codebook, Decision
from .store import transaction
from .store.codebooks import get_active_codebook
from .store.decisions import iter_coders, iter_decisions, save_decision
from .store.transcripts import get_attributes, get_speaker_attributes, iter_segments, iter_transcript_rows

DEFAULT_BOOTSTRAP = 1000
DEFAULT_SEED = 0
DEFAULT_CI_METHOD = "units"
DEFAULT_CONSENSUS = "consensus"
RELIABLE = 0.800  # Krippendorff's thresholds
TENTATIVE = 0.667
NONE_VALUE = "(none)"
MISSING_ATTRIBUTE = "(missing)"
NO_CODEBOOK = 'No codebook is loaded. Load one with "wei-qual codebook load FILE".'


@dataclass(frozen=True)
class CodeAgreement:
    """Every coefficient for one code (or theme), on presence/absence. None = undefined (see reason)."""

    code: str
    n_units: int
    prevalence: float | None
    percent_agreement: float | None
    alpha: float | None
    alpha_ci: tuple[float | None, float | None]
    cohen_kappa: float | None
    fleiss_kappa: float | None
    gwet_ac1: float | None
    brennan_prediger: float | None
    reason: str | None = None

    @property
    def verdict(self) -> str:
        return verdict(self.alpha)


@dataclass(frozen=True)
class GroupAgreement:
    """Nominal alpha over an exclusive group's codes (one value per unit and coder)."""

    group: str
    n_units: int
    alpha: float | None
    alpha_ci: tuple[float | None, float | None]
    percent_agreement: float | None
    reason: str | None = None

    @property
    def verdict(self) -> str:
        return verdict(self.alpha)


@dataclass(frozen=True)
class AgreementResult:
    coders: list[str]
    units: int
    codes: list[CodeAgreement]
    groups: list[GroupAgreement]
    alpha_pooled: float | None
    alpha_mean: float | None
    bootstrap: int
    seed: int
    ci_method: str
    by: dict[str, dict[str, AgreementResult]] = field(default_factory=dict)
    reason: str | None = None  # set on a --by subset with no unit decided by two coders

    def to_dict(self, *, top: bool = True) -> dict[str, Any]:
        """The documented JSON shape (issue 6), plus `bootstrap` naming the CI method.

        `by` is always present at the top ({} without --by); a --by subset has the same shape without it.
        """
        out: dict[str, Any] = {
            "coders": self.coders,
            "units": self.units,
            "codes": [
                {
                    "code": c.code,
                    "n_units": c.n_units,
                    "prevalence": c.prevalence,
                    "percent_agreement": c.percent_agreement,
                    "alpha": c.alpha,
                    "alpha_ci": list(c.alpha_ci),
                    "cohen_kappa": c.cohen_kappa,
                    "fleiss_kappa": c.fleiss_kappa,
                    "gwet_ac1": c.gwet_ac1,
                    "brennan_prediger": c.brennan_prediger,
                    "reason": c.reason,
                }
                for c in self.codes
            ],
            "groups": [
                {
                    "group": g.group,
                    "n_units": g.n_units,
                    "alpha": g.alpha,
                    "alpha_ci": list(g.alpha_ci),
                    "percent_agreement": g.percent_agreement,
                    "reason": g.reason,
                }
                for g in self.groups
            ],
            "overall": {"alpha_pooled": self.alpha_pooled, "alpha_mean": self.alpha_mean},
            "bootstrap": {
                "draws": self.bootstrap,
                "method": self.ci_method,
                "seed": self.seed,
                "level": 0.95,
            },
        }
        if self.reason:
            out["reason"] = self.reason
        if not top:
            return out
        out["by"] = {
            attr: {value: sub.to_dict(top=False) for value, sub in subsets.items()}
            for attr, subsets in self.by.items()
        }
        return out


def verdict(alpha: float | None) -> str:
    """reliable (alpha >= .800), tentative (.667 <= alpha < .800), unreliable (< .667) or undefined."""
    if alpha is None:
        return "undefined"
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    return "unreliable"


def _num(value: float) -> float | None:
    """nan -> None, so undefined values serialise as JSON null."""
    return None if value is None or math.isnan(value) else float(value)


# --------------------------------------------------------------------------- selection


@dataclass
class Unit:
    """One segment with every selected coder's decision (None = not decided)."""

    transcript: str
    segment: int
    speaker: str | None
    role: str
    text: str
    attributes: dict[str, str]
    codes: dict[str, frozenset[str] | None]

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


def default_coders(db: Database, *, exclude: Iterable[str] = ()) -> list[str]:
    """Coders with decisions, leaving out consensus coders (named "consensus", or every decision has a rationale)."""
    return _default_coders(iter_decisions(db), exclude)


def _default_coders(decisions: list[Decision], exclude: Iterable[str] = ()) -> list[str]:
    seen: dict[str, bool] = {}
    for d in decisions:
        seen[d.coder] = seen.get(d.coder, True) and bool(d.rationale)
    skip = set(exclude) | {DEFAULT_CONSENSUS}
    return [c for c, all_rationale in seen.items() if not all_rationale and c not in skip]


def _descendants(codebook: Codebook, code_id: str) -> set[str]:
    out = {code_id}
    for child in codebook.children(code_id):
        out |= _descendants(codebook, child.id)
    return out


def select(
    db: Database,
    *,
    coders: list[str] | None = None,
    codes: list[str] | None = None,
    transcripts: list[str] | None = None,
    include_interviewer: bool = False,
    require_common: bool = True,
) -> Selection:
    """Resolve and check a selection; raise AgreementError for unknown coders, codes or transcripts,
    fewer than two coders, or (with require_common) coders with no segment in common."""
    active = get_active_codebook(db)
    if active is None:
        raise AgreementError(NO_CODEBOOK)
    _, codebook = active
    known = iter_coders(db)
    if coders:
        coders = list(dict.fromkeys(c.strip() for c in coders if c.strip()))
        for coder in coders:
            if coder not in known:
                names = ", ".join(known) or "none yet"
                raise AgreementError(
                    f'Unknown coder "{coder}" in --coders. Known coders: {names}. Check the spelling.'
                )
        if len(coders) < 2:
            raise AgreementError(
                f'Agreement needs at least two coders, --coders names one ("{coders[0] if coders else ""}"). '
                "Name two or more, e.g. --coders alice,bob."
            )
        decisions = iter_decisions(db, coders=coders)
    else:
        decisions = iter_decisions(db)
        coders = _default_coders(decisions)
        chosen = set(coders)
        decisions = [d for d in decisions if d.coder in chosen]
        if len(coders) < 2:
            found = ", ".join(coders) or "none"
            raise AgreementError(
                f"Agreement needs decisions from at least two coders; this project has {len(coders)} ({found}). "
                'Import or code a second coder\'s decisions with "wei-qual decisions import" or "wei-qual code".'
            )
    leaf_ids = [c.id for c in codebook.codes if not codebook.children(c.id)]
    if codes:
        rows = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
        for code in rows:
            if codebook.code(code) is None:
                raise AgreementError(
                    f'Unknown code "{code}" in --codes: it is not in the active codebook. '
                    'See the code ids with "wei-qual codebook show".'
                )
    else:
        rows = leaf_ids
    members = {row: _descendants(codebook, row) for row in rows}
    selected = set().union(*members.values()) if members else set()
    groups = {
        parent: children
        for parent, children in codebook.exclusive_groups().items()
        if children and (parent in selected or selected & set(children))
    }
    if transcripts:
        existing = {r["id"] for r in iter_transcript_rows(db)}
        for t in transcripts:
            if t not in existing:
                raise AgreementError(
                    f'Unknown transcript "{t}" in --transcript. See the ids with "wei-qual transcripts list".'
                )
    units = _units(db, decisions, coders, transcripts, include_interviewer)
    if require_common and not units:
        raise AgreementError(
            f"Coders {_and(coders)} have no segment in common: no segment in the selection was decided by "
            'two of them. Double-code some segments with "wei-qual code --coder NAME", or check --transcript.'
        )
    return Selection(codebook, coders, rows, members, groups, units)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _units(
    db: Database,
    decisions: list[Decision],
    coders: list[str],
    transcripts: list[str] | None,
    include_interviewer: bool,
) -> list[Unit]:
    attributes = get_attributes(db)
    speakers = get_speaker_attributes(db)  # a speaker's own attributes (pair interviews) over the transcript's
    role = None if include_interviewer else PARTICIPANT
    wanted = set(transcripts) if transcripts else None
    decided: dict[tuple[str, int], dict[str, frozenset[str]]] = {}
    for d in decisions:
        if wanted is None or d.transcript in wanted:
            decided.setdefault((d.transcript, d.segment), {})[d.coder] = d.codes
    units = []
    for seg in iter_segments(db, role=role):
        if wanted is not None and seg["transcript_id"] not in wanted:
            continue
        got = decided.get((seg["transcript_id"], seg["n"]))
        if not got or len(got) < 2:
            continue
        units.append(
            Unit(
                transcript=seg["transcript_id"],
                segment=seg["n"],
                speaker=seg["speaker"],
                role=seg["role"],
                text=seg["text"],
                attributes={
                    **attributes.get(seg["transcript_id"], {}),
                    **speakers.get((seg["transcript_id"], seg["speaker"]), {}),
                },
                codes={c: got.get(c) for c in coders},
            )
        )
    return units


# --------------------------------------------------------------------------- measuring


def measure(
    db: Database,
    *,
    coders: list[str] | None = None,
    codes: list[str] | None = None,
    transcripts: list[str] | None = None,
    by: str | None = None,
    bootstrap: int = DEFAULT_BOOTSTRAP,
    seed: int = DEFAULT_SEED,
    ci_method: str = DEFAULT_CI_METHOD,
    include_interviewer: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> AgreementResult:
    """Agreement per code, per exclusive group and overall (and per value of attribute `by`).

    Raises AgreementError for an unknown coder, code, transcript or attribute, fewer than two coders,
    coders with no segment in common, or no codebook.
    """
    from .reliability import CI_METHODS

    if ci_method not in CI_METHODS:
        raise AgreementError(f'Unknown bootstrap method "{ci_method}". Use --ci-method units or kalpha.')
    if bootstrap < 0:
        raise AgreementError(f"--bootstrap must be 0 (no intervals) or a number of draws, got {bootstrap}.")
    sel = select(
        db, coders=coders, codes=codes, transcripts=transcripts, include_interviewer=include_interviewer
    )
    if by is not None:
        names = sorted(
            {name for attrs in [*get_attributes(db).values(), *get_speaker_attributes(db).values()] for name in attrs}
        )
        if by not in names:
            raise AgreementError(
                f'No transcript has the attribute "{by}" given with --by. '
                f'Known attributes: {", ".join(names) or "none"}. Add them with "wei-qual ingest --attributes".'
            )
    options = {"bootstrap": bootstrap, "seed": seed, "ci_method": ci_method}
    result = _measure_units(sel, sel.units, on_progress=on_progress, **options)
    if by is None:
        return result
    subsets: dict[str, AgreementResult] = {}
    values = sorted({u.attributes.get(by) or MISSING_ATTRIBUTE for u in sel.units})
    for value in values:
        units = [u for u in sel.units if (u.attributes.get(by) or MISSING_ATTRIBUTE) == value]
        subsets[value] = _measure_units(sel, units, on_progress=on_progress, **options)
    return dataclasses.replace(result, by={by: subsets})


def _measure_units(
    sel: Selection,
    units: list[Unit],
    *,
    bootstrap: int,
    seed: int,
    ci_method: str,
    on_progress: Callable[[int], None] | None = None,
) -> AgreementResult:
    import numpy as np

    from .reliability import all_coefficients, binary_alpha_from_counts

    n_coders, n_units = len(sel.coders), len(units)
    decided = np.zeros((n_coders, n_units), dtype=bool)
    presence = np.zeros((n_coders, n_units, len(sel.rows)), dtype=bool)
    column_of: dict[str, list[int]] = {}
    for j, row in enumerate(sel.rows):
        for member in sel.members[row]:
            column_of.setdefault(member, []).append(j)
    for u, unit in enumerate(units):
        for i, coder in enumerate(sel.coders):
            applied = unit.codes[coder]
            if applied is None:
                continue
            decided[i, u] = True
            for code in applied:
                for j in column_of.get(code, ()):
                    presence[i, u, j] = True
    code_results = []
    for j, row in enumerate(sel.rows):
        matrix = np.where(decided, presence[:, :, j], np.nan)
        stats = all_coefficients(matrix, bootstrap=bootstrap, seed=seed, method=ci_method)
        values = presence[:, :, j][decided]
        prevalence = float(values.mean()) if values.size else math.nan
        code_results.append(
            CodeAgreement(
                code=row,
                n_units=stats["n_units"],
                prevalence=_num(prevalence),
                percent_agreement=_num(stats["percent_agreement"]),
                alpha=_num(stats["alpha"]),
                alpha_ci=(_num(stats["alpha_ci"][0]), _num(stats["alpha_ci"][1])),
                cohen_kappa=_num(stats["cohen_kappa"]),
                fleiss_kappa=_num(stats["fleiss_kappa"]),
                gwet_ac1=_num(stats["gwet_ac1"]),
                brennan_prediger=_num(stats["brennan_prediger"]),
                reason=_code_reason(stats, values, n_units, n_coders),
            )
        )
        if on_progress:
            on_progress(1)
    group_results = []
    for parent, children in sel.groups.items():
        matrix = [[_group_value(unit.codes[coder], children) for unit in units] for coder in sel.coders]
        stats = all_coefficients(matrix, bootstrap=bootstrap, seed=seed, method=ci_method)
        group_results.append(
            GroupAgreement(
                group=parent,
                n_units=stats["n_units"],
                alpha=_num(stats["alpha"]),
                alpha_ci=(_num(stats["alpha_ci"][0]), _num(stats["alpha_ci"][1])),
                percent_agreement=_num(stats["percent_agreement"]),
                reason=_group_reason(matrix, stats["alpha"], n_units),
            )
        )
    pooled = math.nan
    if n_units and sel.rows:
        # alpha over every (unit, code) presence value, from per-unit counts (same value as
        # krippendorff_alpha on the pooled matrix, without building a coders x (units x codes) matrix).
        pooled = binary_alpha_from_counts(presence.sum(axis=0), decided.sum(axis=0)[:, None])
    defined = [c.alpha for c in code_results if c.alpha is not None]
    return AgreementResult(
        coders=list(sel.coders),
        units=n_units,
        codes=code_results,
        groups=group_results,
        alpha_pooled=_num(pooled),
        alpha_mean=float(np.mean(defined)) if defined else None,
        bootstrap=bootstrap,
        seed=seed,
        ci_method=ci_method,
        reason=None if n_units else "no unit in this subset was decided by two of the selected coders",
    )


def _group_value(applied: frozenset[str] | None, children: list[str]) -> str | None:
    if applied is None:
        return None
    chosen = sorted(set(children) & applied)
    return "+".join(chosen) if chosen else NONE_VALUE


def _code_reason(stats: dict, values, n_units: int, n_coders: int) -> str | None:
    if n_units == 0:
        return "no unit was decided by two of the selected coders"
    if values.size and not values.any():
        return "no variation: no coder applied this code"
    if values.size and values.all():
        return "no variation: every coder applied this code to every unit"
    undefined = [
        k
        for k in ("alpha", "cohen_kappa", "fleiss_kappa", "gwet_ac1", "brennan_prediger")
        if math.isnan(stats[k])
    ]
    if undefined == ["cohen_kappa"]:
        return "cohen_kappa undefined: no pair of coders shows variation on the units both decided"
    if undefined:
        return f"{', '.join(undefined)} undefined for this selection"
    return None


def _group_reason(matrix: list[list[str | None]], alpha: float, n_units: int) -> str | None:
    if n_units == 0:
        return "no unit was decided by two of the selected coders"
    if not math.isnan(alpha):
        return None
    values = {v for row in matrix for v in row if v is not None}
    if values == {NONE_VALUE}:
        return "no variation: no coder applied any code of this group"
    if len(values) == 1:
        return f"no variation: every coder chose {values.pop()} on every unit"
    return "undefined: no variation among units decided by two coders"


def below(result: AgreementResult, min_alpha: float) -> list[CodeAgreement]:
    """Codes whose alpha is defined and below min_alpha (the --min-alpha gate)."""
    return [c for c in result.codes if c.alpha is not None and c.alpha < min_alpha]


# --------------------------------------------------------------------------- disagreements


@dataclass(frozen=True)
class Disagreement:
    """A unit on which the selected coders' codes differ."""

    unit: Unit
    disputed: frozenset[str]  # applied by some deciding coders, not by all
    agreed: frozenset[str]  # applied by every deciding coder


def _compare(unit: Unit, relevant: set[str] | None) -> tuple[frozenset[str], frozenset[str]]:
    sets = [
        codes if relevant is None else codes & relevant for codes in unit.codes.values() if codes is not None
    ]
    union, common = frozenset().union(*sets), frozenset.intersection(*sets)
    return union - common, common


def list_disagreements(
    db: Database,
    *,
    coders: list[str] | None = None,
    codes: list[str] | None = None,
    transcripts: list[str] | None = None,
    include_interviewer: bool = False,
) -> tuple[Selection, list[Disagreement]]:
    """Every unit where the selected coders differ (on the selected codes when codes are given)."""
    sel = select(
        db, coders=coders, codes=codes, transcripts=transcripts, include_interviewer=include_interviewer
    )
    relevant = set().union(*sel.members.values()) if codes else None
    out = []
    for unit in sel.units:
        disputed, agreed = _compare(unit, relevant)
        if disputed:
            out.append(Disagreement(unit, disputed, agreed))
    return sel, out


def disagreement_rows(sel: Selection, disagreements: list[Disagreement]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the disagreement listing: one column per attribute and per coder."""
    attributes = sorted({name for d in disagreements for name in d.unit.attributes})
    header = ["transcript", "segment", "speaker", *attributes, *sel.coders, "disputed", "text"]
    rows = []
    for d in disagreements:
        u = d.unit
        rows.append(
            [
                u.transcript,
                str(u.segment),
                u.speaker or "",
                *[u.attributes.get(a) or "" for a in attributes],
                *[_codes_text(u.codes[c]) for c in sel.coders],
                ";".join(sorted(d.disputed)),
                u.text,
            ]
        )
    return header, rows


def _codes_text(codes: frozenset[str] | None) -> str:
    """A coder's codes as in the decisions CSV: ;-separated; "(nothing)" for an empty decision, "" if undecided."""
    if codes is None:
        return ""
    return ";".join(sorted(codes)) if codes else "(nothing)"


# --------------------------------------------------------------------------- consensus (reconcile)


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
) -> tuple[Selection, list[Disagreement]]:
    """The disagreements the consensus coder has not decided yet, in transcript and segment order."""
    if not coders:
        coders = default_coders(db, exclude=[consensus])
    sel, disagreements = list_disagreements(
        db, coders=coders, transcripts=transcripts, include_interviewer=include_interviewer
    )
    check_consensus_name(consensus, sel.coders)
    done = {(d.transcript, d.segment) for d in iter_decisions(db, coders=[consensus])}
    return sel, [d for d in disagreements if (d.unit.transcript, d.unit.segment) not in done]


def accept_agreed(
    db: Database,
    *,
    coders: list[str] | None = None,
    consensus: str = DEFAULT_CONSENSUS,
    actor: str,
    transcripts: list[str] | None = None,
    include_interviewer: bool = False,
) -> int:
    """Copy every unit on which all deciding coders agree into the consensus coder (one transaction).

    Units the consensus coder already decided are left alone. Returns how many decisions were saved.
    """
    if not coders:
        coders = default_coders(db, exclude=[consensus])
    sel = select(db, coders=coders, transcripts=transcripts, include_interviewer=include_interviewer)
    check_consensus_name(consensus, sel.coders)
    done = {(d.transcript, d.segment) for d in iter_decisions(db, coders=[consensus])}
    saved = 0
    with transaction(db):
        for unit in sel.units:
            if (unit.transcript, unit.segment) in done:
                continue
            disputed, agreed = _compare(unit, None)
            if disputed:
                continue
            decision = Decision(
                unit.transcript,
                unit.segment,
                consensus,
                agreed,
                rationale=f"agreed by {', '.join(unit.decided)}",
            )
            saved += save_decision(db, decision, actor=actor)
    return saved


def save_consensus(
    db: Database, unit: Unit, codes: frozenset[str], rationale: str, *, consensus: str, actor: str
) -> Decision:
    """Store the lead's final codes for a unit as the consensus coder's decision (committed at once)."""
    decision = Decision(
        unit.transcript,
        unit.segment,
        consensus,
        frozenset(codes),
        rationale=rationale.strip() or f"chosen by {actor}",
    )
    save_decision(db, decision, actor=actor)
    return decision


@dataclass(frozen=True)
class ReconcileCommand:
    kind: str  # toggle, save, rationale, skip, quit, help
    tokens: tuple[str, ...] = ()
    text: str | None = None


def parse_reconcile_command(line: str) -> ReconcileCommand:
    """One line of the reconcile loop: Enter saves, r [TEXT] rationale, s skip, q quit, ? help, else codes."""
    stripped = line.strip()
    if not stripped:
        return ReconcileCommand("save")
    word, _, rest = stripped.partition(" ")
    if word in ("q", "quit"):
        return ReconcileCommand("quit")
    if word in ("s", "skip"):
        return ReconcileCommand("skip")
    if word in ("?", "h", "help"):
        return ReconcileCommand("help")
    if word in ("r", "rationale"):
        return ReconcileCommand("rationale", text=rest.strip() or None)
    return ReconcileCommand("toggle", tokens=tuple(t for t in stripped.replace(",", " ").split() if t))


def toggle_codes(
    current: frozenset[str], tokens: Iterable[str], numbered: list[str], codebook: Codebook
) -> frozenset[str]:
    """Toggle codes by number (1-based, in `numbered`) or id (any code of the codebook); +id adds, -id removes.

    Raises AgreementError naming the first token that is neither, and changes nothing then.
    """
    selection = set(current)
    for token in tokens:
        op, name = ("", token)
        if token[:1] in "+-" and len(token) > 1:
            op, name = token[0], token[1:]
        if name.isdigit() and 1 <= int(name) <= len(numbered):
            code = numbered[int(name) - 1]
        elif codebook.code(name) is not None:
            code = name
        else:
            raise AgreementError(
                f'"{token}" is neither a number from the list nor a code id. Nothing changed.'
            )
        if op == "+" or (not op and code not in selection):
            selection.add(code)
        else:
            selection.discard(code)
    return frozenset(selection)


def exclusivity_note(chosen: frozenset[str], codebook: Codebook) -> str | None:
    """A reminder when the chosen codes break an exclusive group (allowed, but usually a slip)."""
    for parent, children in codebook.exclusive_groups().items():
        both = [c for c in children if c in chosen]
        if len(both) > 1:
            return f'Note: {" and ".join(both)} are in the exclusive group "{parent}": pick one.'
    return None


def shown_codes(d: Disagreement, codebook: Codebook) -> list[str]:
    """The codes listed (and numbered) for a disagreement: every code any coder applied, codebook order."""
    applied = set().union(*(c for c in d.unit.codes.values() if c is not None))
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    return sorted(applied, key=lambda c: (order.get(c, len(order)), c))
