"""Default values that `wei-qual --help` shows, kept here without imports.

The CLI reads them at startup without loading the core modules that use them (wei_qual.assign,
wei_qual.suggest, wei_qual.report.quotes), so --help stays fast. Those modules import them from here.
"""

DEFAULT_DOUBLE = 0.2  # wei_qual.assign: share of transcripts coded by two coders
DEFAULT_MIN_SCORE = 0.0  # wei_qual.suggest: store every suggestion
EVALUATE_MIN_SCORE = 0.5  # a single plain keyword hit (0.6) counts, a negated one (0.12) does not
DEFAULT_PER_GROUP = 3  # wei_qual.report.quotes: quotes per code (and per group)
