"""Default values that `wei-qual --help` shows, kept here without imports.

The CLI reads them at startup without loading the core modules that use them (wei_qual.assign,
wei_qual.suggest, wei_qual.report.quotes), so --help stays fast. Those modules import them from here.
"""

DEFAULT_DOUBLE = 0.2  # wei_qual.assign: share of transcripts coded by two coders
DEFAULT_MIN_SCORE = 0.0  # wei_qual.suggest: store every suggestion
EVALUATE_MIN_SCORE = 0.5  # a single plain keyword hit (0.6) counts, a negated one (0.12) does not
DEFAULT_PER_GROUP = 3  # wei_qual.report.quotes: quotes per code (and per group)
# wei_qual.reliability: bootstrap draws at most. Published intervals use 1,000 to 10,000; each draw holds a
# row per distinct unit profile, so 100 million draws claimed gigabytes.
MAX_BOOTSTRAP = 100_000
# wei_qual.suggest, learned engine
DEFAULT_MIN_EXAMPLES = 8  # a code gets a label when the source applied it to at least this many segments
DEFAULT_EPOCHS = 10  # training passes; the best on the held-out transcripts is kept
DEFAULT_SEED = 0
DEFAULT_FOLDS = 5  # suggest evaluate --folds
LEARNED_MIN_SCORE = 0.05  # the learned engine stores codes scoring at least this (every code has a score)
