"""Agreement between coders in a project (DESIGN §5): reliability matrices built from decisions,
AgreementResult per code / exclusive group / overall (and per attribute value), the disagreement
listing, and the consensus helpers used by `wei-qual reconcile`.

- selection: which coders, code rows, exclusive groups and units a run looks at;
- matrix: code rows as presence/absence matrices, their coefficients and the pooled alpha;
- groups: exclusive groups as nominal variables;
- strata: the units split by an attribute (--by);
- run: measure() puts these together; below() is the --min-alpha gate;
- diagnostics: coder application rates, boundary confusions, agreement over time (--diagnostics);
- result: the result dataclasses, verdicts and JSON shape;
- disagreements, consensus: what `agree --disagreements` lists and `reconcile` records.

The statistics are in wei_qual.reliability (numpy, imported inside functions); the choices are
documented in docs/agreement.md.
"""

# The names are loaded from their submodule on first use (PEP 562): a report needs a few of them,
# and importing every submodule would cost each command that touches one name ~20 ms at start-up.
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Bound now: the function shares its submodule's name, and the submodule's first import (by run)
# would otherwise leave the module under that name.
from .strata import strata

if TYPE_CHECKING:
    from .consensus import (
        AGREED_COPY,
        CODING_ONLY,
        SINGLE_COPY,
        ReconcileCommand,
        SingleCoded,
        accept_agreed,
        accept_single,
        check_consensus_name,
        consensus_problem,
        exclusivity_note,
        is_copy,
        locate_disagreement,
        memo_code,
        parse_reconcile_command,
        reconcile_queue,
        save_consensus,
        shown_codes,
        takeable,
        toggle_codes,
    )
    from .diagnostics import (
        DEFAULT_BATCH,
        HIGH_RATIO,
        LOW_RATIO,
        Batch,
        CoderRate,
        Confusion,
        Diagnostics,
        check_batch,
        diagnose,
    )
    from .disagreements import (
        Disagreement,
        decided_without,
        disagreement_rows,
        disagreements_in,
        disputed_units,
        list_disagreements,
    )
    from .groups import NONE_VALUE, measure_groups
    from .matrix import measure_codes, pooled_alpha, pooled_interval, presence_matrices
    from .result import RELIABLE, TENTATIVE, AgreementResult, CodeAgreement, GroupAgreement, verdict
    from .run import (
        DEFAULT_BOOTSTRAP,
        DEFAULT_CI_METHOD,
        DEFAULT_SEED,
        Gate,
        PooledAgreement,
        below,
        gate,
        measure,
        measure_beside,
        measure_pairs,
        measure_pooled,
        measure_units,
        narrow,
        start_measuring,
    )
    from .selection import DEFAULT_CONSENSUS, NO_CODEBOOK, Selection, Unit, default_coders, select
    from .strata import MISSING_ATTRIBUTE, check_attribute
    from .versions import agreement_warnings

_SUBMODULE = {
    # consensus
    "AGREED_COPY": "consensus",
    "CODING_ONLY": "consensus",
    "SINGLE_COPY": "consensus",
    "ReconcileCommand": "consensus",
    "SingleCoded": "consensus",
    "accept_agreed": "consensus",
    "accept_single": "consensus",
    "check_consensus_name": "consensus",
    "consensus_problem": "consensus",
    "exclusivity_note": "consensus",
    "is_copy": "consensus",
    "locate_disagreement": "consensus",
    "memo_code": "consensus",
    "parse_reconcile_command": "consensus",
    "reconcile_queue": "consensus",
    "save_consensus": "consensus",
    "shown_codes": "consensus",
    "takeable": "consensus",
    "toggle_codes": "consensus",
    # diagnostics
    "DEFAULT_BATCH": "diagnostics",
    "HIGH_RATIO": "diagnostics",
    "LOW_RATIO": "diagnostics",
    "Batch": "diagnostics",
    "CoderRate": "diagnostics",
    "Confusion": "diagnostics",
    "Diagnostics": "diagnostics",
    "check_batch": "diagnostics",
    "diagnose": "diagnostics",
    # disagreements
    "Disagreement": "disagreements",
    "decided_without": "disagreements",
    "disagreement_rows": "disagreements",
    "disagreements_in": "disagreements",
    "disputed_units": "disagreements",
    "list_disagreements": "disagreements",
    # groups
    "NONE_VALUE": "groups",
    "measure_groups": "groups",
    # matrix
    "measure_codes": "matrix",
    "pooled_alpha": "matrix",
    "pooled_interval": "matrix",
    "presence_matrices": "matrix",
    # result
    "RELIABLE": "result",
    "TENTATIVE": "result",
    "AgreementResult": "result",
    "CodeAgreement": "result",
    "GroupAgreement": "result",
    "verdict": "result",
    # run
    "DEFAULT_BOOTSTRAP": "run",
    "DEFAULT_CI_METHOD": "run",
    "DEFAULT_SEED": "run",
    "PooledAgreement": "run",
    "agreement_warnings": "versions",
    "below": "run",
    "Gate": "run",
    "gate": "run",
    "measure": "run",
    "measure_beside": "run",
    "measure_pairs": "run",
    "measure_pooled": "run",
    "measure_units": "run",
    "narrow": "run",
    "start_measuring": "run",
    # selection
    "DEFAULT_CONSENSUS": "selection",
    "NO_CODEBOOK": "selection",
    "Selection": "selection",
    "Unit": "selection",
    "default_coders": "selection",
    "select": "selection",
    # strata
    "MISSING_ATTRIBUTE": "strata",
    "check_attribute": "strata",
}

__all__ = [
    "AGREED_COPY",
    "CODING_ONLY",
    "DEFAULT_BATCH",
    "DEFAULT_BOOTSTRAP",
    "DEFAULT_CI_METHOD",
    "DEFAULT_CONSENSUS",
    "DEFAULT_SEED",
    "HIGH_RATIO",
    "LOW_RATIO",
    "MISSING_ATTRIBUTE",
    "NONE_VALUE",
    "NO_CODEBOOK",
    "RELIABLE",
    "SINGLE_COPY",
    "TENTATIVE",
    "AgreementResult",
    "Batch",
    "CodeAgreement",
    "CoderRate",
    "Confusion",
    "Diagnostics",
    "Disagreement",
    "Gate",
    "GroupAgreement",
    "PooledAgreement",
    "ReconcileCommand",
    "Selection",
    "SingleCoded",
    "Unit",
    "accept_agreed",
    "accept_single",
    "agreement_warnings",
    "below",
    "check_attribute",
    "check_batch",
    "check_consensus_name",
    "consensus_problem",
    "decided_without",
    "default_coders",
    "diagnose",
    "disagreement_rows",
    "disagreements_in",
    "disputed_units",
    "exclusivity_note",
    "gate",
    "is_copy",
    "list_disagreements",
    "locate_disagreement",
    "measure",
    "measure_beside",
    "measure_codes",
    "measure_groups",
    "measure_pairs",
    "measure_pooled",
    "measure_units",
    "memo_code",
    "narrow",
    "parse_reconcile_command",
    "pooled_alpha",
    "pooled_interval",
    "presence_matrices",
    "reconcile_queue",
    "save_consensus",
    "select",
    "shown_codes",
    "start_measuring",
    "strata",
    "takeable",
    "toggle_codes",
    "verdict",
]


def __getattr__(name: str) -> object:
    try:
        submodule = _SUBMODULE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f".{submodule}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
