"""The learned engine's model: a spaCy textcat_multilabel pipeline trained on the team's coded segments.

spacy.blank("en") (tokenizer only, no pretrained vectors, nothing downloaded) + a sentencizer (for the
evidence) + textcat_multilabel with spaCy's CPU ensemble architecture, made small: a bag of lower-cased
unigrams and bigrams (a sparse linear layer) beside a narrow CNN over subword features (so "arrested" and
"arrests" share evidence), which trains on a study-sized project in under a minute on two CPU cores.
Pure functions over units: nothing here reads or writes the project. spaCy is imported inside functions.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..defaults import DEFAULT_EPOCHS, DEFAULT_SEED
from .calibrate import Calibrator, calibrator_from_json, fit_calibration
from .folds import held_out_split

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

# spaCy's textcat_multilabel default (TextCatEnsemble.v2), narrowed to fit the training-time budget. On the
# varied-wording study it beat the bag of words alone (micro F1 .97 against .93) for 1.4x the CPU time.
TOK2VEC_WIDTH = 32
ARCHITECTURE = {
    "@architectures": "spacy.TextCatEnsemble.v2",
    "tok2vec": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": TOK2VEC_WIDTH,
            "rows": [2000, 2000, 500, 1000, 500],
            "attrs": ["NORM", "LOWER", "PREFIX", "SUFFIX", "SHAPE"],
            "include_static_vectors": False,  # no pretrained vectors: nothing to download
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": TOK2VEC_WIDTH,
            "window_size": 1,
            "maxout_pieces": 3,
            "depth": 1,
        },
    },
    "linear_model": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": False,  # several codes may apply to one segment
        "ngram_size": 2,
        "no_output_layer": False,
        # Hashed n-gram buckets. The optimizer updates every weight on each batch, so a smaller table
        # trains faster: 2^15 buckets x 40 codes trained 3x faster than spaCy's 2^18 on the study project.
        "length": 32768,
    },
}
COMPONENT = "textcat_multilabel"
LEARN_RATE = 0.005
THRESHOLD = 0.5  # a code is predicted when its score reaches this (held-out F1, evaluate)
EpochCallback = Callable[[int, int, float | None], None]  # (epoch done, epochs, held-out micro F1)


@dataclass(frozen=True)
class Unit:
    """One coded participant segment: its text and the codes the source applied."""

    transcript: str
    n: int
    text: str
    codes: frozenset[str]


@dataclass
class TrainedModel:
    """A trained and calibrated pipeline, serialised, with what a report needs to say about it."""

    config: str  # nlp.config.to_str()
    weights: bytes  # nlp.to_bytes()
    labels: list[str]
    calibration: Calibrator  # one map for every code (wei_qual.suggest.calibrate)
    seed: int
    epochs: int  # epochs run
    best_epoch: int  # the epoch whose weights were kept (best held-out micro F1)
    history: list[dict]  # per epoch: epoch, loss, held_out_f1
    train_units: int
    held_out_units: int
    train_transcripts: int
    held_out_transcripts: int
    held_out_f1: float | None  # micro F1 at THRESHOLD of the calibrated scores on the held-out units
    _nlp: Any = field(default=None, repr=False)

    def info(self) -> dict:
        return {
            "architecture": ARCHITECTURE["@architectures"],
            "tok2vec_width": TOK2VEC_WIDTH,
            "ngram_size": ARCHITECTURE["linear_model"]["ngram_size"],
            "seed": self.seed,
            "epochs": self.epochs,
            "best_epoch": self.best_epoch,
            "learn_rate": LEARN_RATE,
            "history": self.history,
            "train_units": self.train_units,
            "held_out_units": self.held_out_units,
            "train_transcripts": self.train_transcripts,
            "held_out_transcripts": self.held_out_transcripts,
            "held_out_f1": self.held_out_f1,
            "calibration": self.calibration.to_json(),
        }


def _new_pipeline(labels: Sequence[str]) -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    model = copy.deepcopy(ARCHITECTURE)  # spaCy fills in the config it is given
    textcat = nlp.add_pipe(COMPONENT, config={"model": model, "threshold": THRESHOLD})
    for label in labels:
        textcat.add_label(label)
    return nlp


def _batch_size(n: int) -> int:
    """About 20 updates per epoch, between 8 and 256 segments a batch: tiny projects still learn, and a
    study-sized one is not slowed down by thousands of optimizer steps."""
    return max(8, min(256, n // 20))


def raw_scores(nlp: Language, texts: Sequence[str], *, batch_size: int = 512) -> list[list[float]]:
    """The model's probabilities, one row per text, one column per label (textcat label order)."""
    textcat = nlp.get_pipe(COMPONENT)
    empty = [0.0] * len(textcat.labels)  # no words, no evidence (spaCy's n-gram layer fails on empty docs)
    rows: list[list[float]] = []
    for start in range(0, len(texts), batch_size):
        docs = [nlp.make_doc(t) for t in texts[start : start + batch_size]]
        kept = [d for d in docs if len(d)]
        scores = iter(textcat.model.ops.to_numpy(textcat.predict(kept)).tolist() if kept else [])
        rows.extend(next(scores) if len(d) else list(empty) for d in docs)
    return rows


def micro_f1(
    predicted: Sequence[Sequence[float]], gold: Sequence[Sequence[bool]], threshold: float = THRESHOLD
) -> float | None:
    tp = fp = fn = 0
    for scores, truth in zip(predicted, gold):
        for s, y in zip(scores, truth):
            if s >= threshold:
                if y:
                    tp += 1
                else:
                    fp += 1
            elif y:
                fn += 1
    return None if 2 * tp + fp + fn == 0 else round(2 * tp / (2 * tp + fp + fn), 4)


def fit_model(
    units: Sequence[Unit],
    labels: Sequence[str],
    *,
    seed: int = DEFAULT_SEED,
    epochs: int = DEFAULT_EPOCHS,
    on_epoch: EpochCallback | None = None,
) -> TrainedModel:
    """Train on the units of most transcripts, keep the epoch that does best on the held-out ones, and
    calibrate its probabilities on them. Raises SuggestError with fewer than two transcripts.

    The same units, labels, seed and epochs give the same model (spaCy's and Python's random generators
    are seeded; batches are shuffled by a seeded generator).
    """
    import spacy
    from spacy.training import Example
    from thinc.api import Adam

    labels = list(labels)
    train_idx, held_idx = held_out_split([u.transcript for u in units], seed=seed)
    train = [units[i] for i in train_idx]
    held = [units[i] for i in held_idx]

    spacy.util.fix_random_seed(seed)
    nlp = _new_pipeline(labels)
    examples = [
        Example.from_dict(nlp.make_doc(u.text), {"cats": {c: float(c in u.codes) for c in labels}})
        for u in train
    ]
    optimizer = Adam(LEARN_RATE)
    nlp.initialize(lambda: examples, sgd=optimizer)
    held_texts = [u.text for u in held]
    held_gold = [[c in u.codes for c in labels] for u in held]
    rng = random.Random(seed)
    size = _batch_size(len(examples))
    best: tuple[float, int, bytes] | None = None  # (held-out F1, epoch, weights)
    history = []
    for epoch in range(1, epochs + 1):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for start in range(0, len(examples), size):
            nlp.update(examples[start : start + size], sgd=optimizer, losses=losses)
        f1 = micro_f1(raw_scores(nlp, held_texts), held_gold)
        history.append({"epoch": epoch, "loss": round(losses.get(COMPONENT, 0.0), 4), "held_out_f1": f1})
        score = -1.0 if f1 is None else f1
        if best is None or score > best[0]:
            best = (score, epoch, nlp.get_pipe(COMPONENT).to_bytes())
        if on_epoch:
            on_epoch(epoch, epochs, f1)
    assert best is not None
    nlp.get_pipe(COMPONENT).from_bytes(best[2])

    held_raw = raw_scores(nlp, held_texts)
    calibration = fit_calibration(
        [(p, y) for row, gold in zip(held_raw, held_gold) for p, y in zip(row, gold)]
    )
    calibrated = [[calibration(p) for p in row] for row in held_raw]
    return TrainedModel(
        config=nlp.config.to_str(),
        weights=nlp.to_bytes(),
        labels=labels,
        calibration=calibration,
        seed=seed,
        epochs=epochs,
        best_epoch=best[1],
        history=history,
        train_units=len(train),
        held_out_units=len(held),
        train_transcripts=len({u.transcript for u in train}),
        held_out_transcripts=len({u.transcript for u in held}),
        held_out_f1=micro_f1(calibrated, held_gold),
        _nlp=nlp,
    )


class Predictor:
    """A stored model, loaded once: calibrated scores and leave-one-sentence-out evidence."""

    def __init__(
        self, config: str, weights: bytes, calibration: Calibrator | dict, *, nlp: Language | None = None
    ):
        if nlp is None:
            from spacy.util import load_model_from_config
            from thinc.api import Config

            nlp = load_model_from_config(Config().from_str(config), auto_fill=False, validate=False)
            nlp.from_bytes(weights)
        self.nlp = nlp
        self.labels = list(nlp.get_pipe(COMPONENT).labels)
        self.calibration = (
            calibration if not isinstance(calibration, dict) else calibrator_from_json(calibration)
        )

    @classmethod
    def from_trained(cls, model: TrainedModel) -> Predictor:
        return cls(model.config, model.weights, model.calibration, nlp=model._nlp)

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Calibrated score per label for each text."""
        f, labels = self.calibration, self.labels
        return [{c: round(f(p), 4) for c, p in zip(labels, row)} for row in raw_scores(self.nlp, texts)]

    def evidence(
        self, texts: Sequence[str], wanted: Sequence[Sequence[str]], full: Sequence[dict[str, float]]
    ) -> list[dict[str, tuple[int, int, float]]]:
        """For each text, code -> (start, end, drop): the sentence whose removal lowers the code's calibrated
        score most, with character offsets into the text. Codes whose score no removal lowers get none.

        `wanted` are the codes to explain per text; `full` the text's scores (from scores()).
        """
        spans: list[list[tuple[int, int]]] = []
        variants: list[str] = []
        for text, codes in zip(texts, wanted):
            sents = _sentences(self.nlp, text) if codes else []
            spans.append(sents)
            for start, end in sents:
                variants.append((text[:start] + " " + text[end:]).strip())
        scored = iter(self.scores(variants))
        result = []
        for sents, codes, before in zip(spans, wanted, full):
            drops = [next(scored) for _ in sents]
            found = {}
            for code in codes:
                best = None
                for (start, end), after in zip(sents, drops):
                    drop = before[code] - after[code]
                    if drop > 0 and (best is None or drop > best[2]):
                        best = (start, end, round(drop, 4))
                if best:
                    found[code] = best
            result.append(found)
        return result


def _sentences(nlp: Language, text: str) -> list[tuple[int, int]]:
    """Character spans of the text's sentences (spaCy's rule-based sentencizer), trimmed of spaces."""
    doc = nlp.get_pipe("sentencizer")(nlp.make_doc(text))
    spans = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans
