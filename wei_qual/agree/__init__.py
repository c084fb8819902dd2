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
    decided_without,
    exclusivity_note,
    is_copy,
    locate_disagreement,
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
    PooledAgreement,
    agreement_warnings,
    below,
    measure,
    measure_beside,
    measure_pairs,
    measure_pooled,
    measure_units,
    narrow,
    start_measuring,
)
from .selection import DEFAULT_CONSENSUS, NO_CODEBOOK, Selection, Unit, default_coders, select
from .strata import MISSING_ATTRIBUTE, check_attribute, strata

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
