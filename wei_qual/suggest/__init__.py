"""Rule-based code suggestions: codebook keywords and spaCy Matcher patterns, with evidence.

- pipeline: build_pipeline() builds spaCy once per run (lower-cased lemmas for matching);
- patterns: what a token pattern requires, so most patterns are checked without spaCy's Matcher;
- rules: compile_rules() turns a Codebook into matchers, suggest_codes() scores segments;
- run: run_suggest() stores the suggestions of a project, list_suggestions() reads them;
- evaluate: evaluate_suggestions() measures them against one coder's decisions.

The learned engine (imported by module, so that `import wei_qual.suggest` stays as light as before):
- learned: the spaCy textcat_multilabel model, fit_model() and Predictor (scores, sentence evidence);
- folds: grouped (by transcript) cross-validation folds and the held-out split;
- calibrate: isotonic / Platt calibration and the reliability table;
- train: train() and list_models() (`suggest train`, `suggest models`, stale marking);
- learned_run: run_learned() (`suggest --engine learned|both`);
- crossval: cross_validate() (`suggest evaluate --engine learned --folds K`).

spaCy is imported inside functions only. The contract is in docs/suggest.md.
"""

from ..defaults import DEFAULT_MIN_SCORE, EVALUATE_MIN_SCORE
from .evaluate import (
    CodeScore,
    Evaluation,
    acceptance_rate,
    evaluate_suggestions,
    score_sets,
    suggestion_acceptance,
)
from .patterns import fixed_sequences, pattern_anchors, pattern_length
from .pipeline import BATCH_SIZE, ENGINE, Pipeline, build_pipeline, engine_name
from .rules import (
    KEYWORD_WEIGHT,
    NEGATED_FACTOR,
    NEGATION_WINDOW,
    PATTERN_WEIGHT,
    Rules,
    compile_rules,
    keyword_variants,
    suggest_codes,
)
from .run import (
    MIN_SEGMENTS_PER_JOB,
    ProgressCallback,
    SuggestResult,
    check_transcripts,
    evidence_to_dict,
    list_suggestions,
    require_active_codebook,
    run_suggest,
)

__all__ = [
    "BATCH_SIZE",
    "DEFAULT_MIN_SCORE",
    "ENGINE",
    "EVALUATE_MIN_SCORE",
    "KEYWORD_WEIGHT",
    "MIN_SEGMENTS_PER_JOB",
    "NEGATED_FACTOR",
    "NEGATION_WINDOW",
    "PATTERN_WEIGHT",
    "CodeScore",
    "Evaluation",
    "Pipeline",
    "ProgressCallback",
    "Rules",
    "SuggestResult",
    "acceptance_rate",
    "build_pipeline",
    "check_transcripts",
    "compile_rules",
    "engine_name",
    "evaluate_suggestions",
    "evidence_to_dict",
    "fixed_sequences",
    "keyword_variants",
    "list_suggestions",
    "pattern_anchors",
    "pattern_length",
    "require_active_codebook",
    "run_suggest",
    "score_sets",
    "suggest_codes",
    "suggestion_acceptance",
]
