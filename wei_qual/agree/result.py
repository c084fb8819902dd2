"""What an agreement run returns: coefficients per code, per exclusive group and overall, the verdict
against Krippendorff's thresholds, and the documented JSON shape (docs/agreement.md)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

RELIABLE = 0.800  # Krippendorff's thresholds
TENTATIVE = 0.667
# A code seen on fewer units than this gets no verdict: its α rests on one or two turns (1.000 from a
# single agreed turn). The same line as the bootstrap warning: with k such units, about e^-k of the
# draws hold none of them, which passes 5% below 3.
MIN_UNITS_APPLIED = 3
TOO_FEW = "too few"  # the verdict: short, so a 60-column table keeps it on its row
# Why one unit has no interval: it resamples to itself in every draw (an interval of zero width).
ONE_UNIT = "one unit only: resampling it gives the same value in every draw, so there is no interval"


def ci_warning(name: str, note: str) -> str:
    """How agree warns of an interval resting on many undefined draws (a CodeAgreement's ci_note)."""
    return f"{name}: {note}."


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
    ci_undefined: int = 0  # bootstrap draws in which alpha was undefined (left out of the interval)
    ci_note: str | None = None  # set when they are more than 5% of the draws (no interval above 50%)
    units_applied: int | None = None  # units any coder applied it to (None: not counted)

    @property
    def too_few(self) -> bool:
        """α is defined but rests on fewer than MIN_UNITS_APPLIED units holding the code."""
        return (
            self.alpha is not None
            and self.units_applied is not None
            and self.units_applied < MIN_UNITS_APPLIED
        )

    @property
    def verdict(self) -> str:
        return TOO_FEW if self.too_few else verdict(self.alpha)


@dataclass(frozen=True)
class GroupAgreement:
    """Nominal alpha over an exclusive group's codes (one value per unit and coder)."""

    group: str
    n_units: int
    alpha: float | None
    alpha_ci: tuple[float | None, float | None]
    percent_agreement: float | None
    reason: str | None = None
    ci_undefined: int = 0
    ci_note: str | None = None
    units_applied: int | None = None  # units a coder applied one of its codes to (None: not counted)

    @property
    def too_few(self) -> bool:
        """α is defined but rests on fewer than MIN_UNITS_APPLIED units holding one of the group's codes
        (the coders agreed on "(none)" on the rest), as a code's does."""
        return (
            self.alpha is not None
            and self.units_applied is not None
            and self.units_applied < MIN_UNITS_APPLIED
        )

    @property
    def verdict(self) -> str:
        return TOO_FEW if self.too_few else verdict(self.alpha)


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
    reason: str | None = None  # why a subset (or a selection) has no values or no interval: no unit, one unit
    # The pooled alpha's interval resamples segments (all their codes together); see pooled_interval.
    alpha_pooled_ci: tuple[float | None, float | None] = (None, None)
    alpha_pooled_ci_undefined: int = 0
    alpha_pooled_ci_note: str | None = None
    diagnostics: Any = None  # agree.diagnostics.Diagnostics with --diagnostics (top level only)
    transcripts: int = 0  # transcripts with at least one unit
    warnings: list[str] = field(default_factory=list)  # said on stderr too: units coded under two versions...

    def ci_notes(self) -> list[tuple[str, str]]:
        """(code, group or "pooled"; note) for every interval with many undefined draws, --by subsets too."""
        notes = [(c.code, c.ci_note) for c in self.codes if c.ci_note]
        notes += [(g.group, g.ci_note) for g in self.groups if g.ci_note]
        if self.alpha_pooled_ci_note:
            notes.append(("pooled α", self.alpha_pooled_ci_note))
        for attr, subsets in self.by.items():
            for value, sub in subsets.items():
                notes += [(f"{attr}={value}: {name}", note) for name, note in sub.ci_notes()]
        return notes

    def to_dict(self, *, top: bool = True) -> dict[str, Any]:
        """The JSON shape documented in docs/agreement.md; `bootstrap` names the CI method.

        `by` is always present at the top ({} without --by); a --by subset has the same shape without it.
        """
        out: dict[str, Any] = {
            "coders": self.coders,
            "units": self.units,
            "transcripts": self.transcripts,
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
                    "ci_undefined_draws": c.ci_undefined,
                    "ci_note": c.ci_note,
                    "units_applied": c.units_applied,
                    "verdict": c.verdict,
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
                    "ci_undefined_draws": g.ci_undefined,
                    "ci_note": g.ci_note,
                    "units_applied": g.units_applied,
                    "verdict": g.verdict,
                }
                for g in self.groups
            ],
            "overall": {
                "alpha_pooled": self.alpha_pooled,
                "alpha_pooled_ci": list(self.alpha_pooled_ci),
                "alpha_pooled_ci_undefined_draws": self.alpha_pooled_ci_undefined,
                "alpha_pooled_ci_note": self.alpha_pooled_ci_note,
                "alpha_mean": self.alpha_mean,
            },
            "bootstrap": {
                "draws": self.bootstrap,
                "method": self.ci_method,
                "seed": self.seed,
                "level": 0.95,
            },
        }
        if self.reason:
            out["reason"] = self.reason
        out["warnings"] = self.warnings
        if not top:
            return out
        out["by"] = {
            attr: {value: sub.to_dict(top=False) for value, sub in subsets.items()}
            for attr, subsets in self.by.items()
        }
        if self.diagnostics is not None:
            out["diagnostics"] = self.diagnostics.to_dict()
        return out


def too_few_note(codes: list[CodeAgreement], groups: Sequence[GroupAgreement] = ()) -> str | None:
    """Why some codes, and exclusive groups (listed as "group NAME"), have no verdict ("unused (1 unit),
    group place (1 unit): ... no verdict (too few) ..."), or None. The table's line lists both: it listed
    codes only, and a group's "too few" was explained on stderr alone."""
    few = [(c.code, c.units_applied) for c in codes if c.too_few]
    few += [(f"group {g.group}", g.units_applied) for g in groups if g.too_few]
    if not few:
        return None
    listed = ", ".join(f"{name} ({n} unit{'' if n == 1 else 's'})" for name, n in few)
    one = len(few) == 1
    group = any(g.too_few for g in groups)
    applied = "applied (a group: its codes)" if group else "applied"
    held = ("its codes" if group else "the code") if one else "them"
    return (
        f"{listed}: {applied} to fewer than {MIN_UNITS_APPLIED} double-coded units, so "
        f"{'its α' if one else 'their α'}, whatever the value, gets no verdict ({TOO_FEW}). "
        f"Double-code more turns that hold {held} before reporting "
        f"{'it' if one else 'them'}."
    )


TOO_FEW_GROUPS = (
    "Exclusive group"  # how the note below starts: what stderr groups as one kind of --by subset warning
)


def too_few_groups_note(groups: list[GroupAgreement]) -> str | None:
    """Why some exclusive groups have no verdict, as too_few_note says it of codes, or None: a group whose
    codes two coders applied to one turn, agreeing on "(none)" on every other, has α 1.000."""
    few = [g for g in groups if g.too_few]
    if not few:
        return None
    one = len(few) == 1
    listed = ", ".join(
        f"{g.group} ({g.units_applied} unit{'' if g.units_applied == 1 else 's'})" for g in few
    )
    return (
        f"{TOO_FEW_GROUPS}{'' if one else 's'} {listed}: {'its' if one else 'their'} codes were applied to fewer "
        f"than {MIN_UNITS_APPLIED} double-coded units (on the others the coders agreed that none applies), so "
        f"{'its α' if one else 'their α'}, whatever the value, gets no verdict ({TOO_FEW}). Double-code more "
        f"turns that hold {'its' if one else 'their'} codes before reporting {'it' if one else 'them'}."
    )


def verdict(alpha: float | None) -> str:
    """reliable (alpha >= .800), tentative (.667 <= alpha < .800), unreliable (< .667) or undefined."""
    if alpha is None:
        return "undefined"
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    return "unreliable"


def alpha_text(alpha: float, digits: int = 3) -> str:
    """α as printed beside its verdict: `digits` decimals, or more where rounding would carry it across a
    threshold (.79968 is "0.7997": "0.800" reads as reliable, which it is not)."""
    text = f"{alpha:.{digits}f}"
    while verdict(float(text)) != verdict(alpha) and digits < 9:
        digits += 1
        text = f"{alpha:.{digits}f}"
    return text


def _num(value: float) -> float | None:
    """nan -> None, so undefined values serialise as JSON null."""
    return None if value is None or math.isnan(value) else float(value)


def with_subset_notes(result: AgreementResult) -> AgreementResult:
    """`result` with each --by subset's bootstrap notes (intervals resting on many undefined draws) added
    to that subset's warnings, where its JSON keeps them in full whatever stderr groups (agree, and the
    methods passage's reliability, which is agree's JSON)."""
    by = {
        attr: {
            value: dataclasses.replace(sub, warnings=[*sub.warnings, *notes]) if notes else sub
            for value, sub in subsets.items()
            for notes in [[ci_warning(name, note) for name, note in sub.ci_notes()]]
        }
        for attr, subsets in result.by.items()
    }
    return dataclasses.replace(result, by=by) if by else result
