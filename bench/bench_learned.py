"""Bench of the learned suggestion engine: training time on the study-sized project, and accuracy against
a TF-IDF + logistic-regression baseline and the rules, on the same folds, in the same run.

1. Training time (target <= 60 s on 2 cores). bench/study_project.py builds the study-sized project (120
   transcripts x 150 participant segments, 40 codes, 3 coders; its text is random words, so only the time
   means something there). In fresh processes, one after the other:
   - `wei-qual suggest train --source majority` end to end (read the decisions, train, calibrate, store);
   - baseline: read the same units, fit TF-IDF (unigrams and bigrams) + one logistic regression per code.
2. Accuracy, on two projects: the bundled sample (8 fictional interviews, `wei-qual demo`'s project,
   source majority of alice and bob) and bench/varied_study.py (60 fictional interviews whose 12 codes are
   mostly said without the codebook's keywords, source majority of 3 coders). The same grouped 5 folds
   (by transcript, seed 0) for:
   - learned: wei_qual.suggest.crossval.cross_validate (a model per fold, as `suggest train` makes it);
   - baseline: TF-IDF + logistic regression fitted on the same training units, scored at 0.5;
   - rules: the codebook's keywords and patterns (`suggest`), score >= 0.5.

Needs the bench extra (scikit-learn): pip install -e '.[bench]'.

    python bench/bench_learned.py [--skip-time] [--skip-accuracy] [--folds 5]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SOURCE_STUDY = "majority"


def baseline_fit_predict(train_texts, train_sets, test_texts, labels):
    """TF-IDF (lower case, unigrams + bigrams, sublinear tf) + one L2 logistic regression per code;
    a code is predicted at probability >= 0.5. A code with no positive training unit is never predicted."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    x_train = vectorizer.fit_transform(train_texts)
    x_test = vectorizer.transform(test_texts) if test_texts else None
    predicted: list[set[str]] = [set() for _ in test_texts]
    for code in labels:
        y = [code in s for s in train_sets]
        if not any(y) or all(y):
            continue
        model = LogisticRegression(max_iter=1000, solver="liblinear")
        model.fit(x_train, y)
        if x_test is None:
            continue
        for i, p in enumerate(model.predict_proba(x_test)[:, 1]):
            if p >= 0.5:
                predicted[i].add(code)
    return predicted


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str]) -> tuple[float, float, str]:
    cpu, wall = _child_cpu(), time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - wall, _child_cpu() - cpu, out


def time_training(tmp: Path) -> dict:
    from study_project import build_study_project

    db_path = tmp / "study.db"
    summary = build_study_project(db_path)
    train_cmd = [
        sys.executable,
        "-m",
        "wei_qual",
        "suggest",
        "train",
        "--source",
        SOURCE_STUDY,
        "--db",
        str(db_path),
        "--format",
        "json",
    ]
    base_cmd = [sys.executable, __file__, "--baseline-only", str(db_path)]
    runs = {"wei-qual": [], "baseline": []}
    result = None
    for order in (
        ("wei-qual", "baseline"),
        ("baseline", "wei-qual"),
    ):  # alternate: a shared machine favours neither
        for which in order:
            wall, cpu, out = timed(train_cmd if which == "wei-qual" else base_cmd)
            runs[which].append((wall, cpu))
            if which == "wei-qual":
                result = json.loads(out)
    assert result is not None
    best = {k: (min(w for w, _ in v), min(c for _, c in v)) for k, v in runs.items()}
    return {
        "project": "bench/study_project.py",
        "transcripts": summary["transcripts"],
        "participant_segments": summary["participant_segments"],
        "codes": summary["codes"],
        "source": SOURCE_STUDY,
        "labels": len(result["labels"]),
        "epochs": result["epochs"],
        "wei_qual_train_seconds": {
            "wall": round(best["wei-qual"][0], 1),
            "cpu": round(best["wei-qual"][1], 1),
        },
        "baseline_seconds": {"wall": round(best["baseline"][0], 1), "cpu": round(best["baseline"][1], 1)},
        "ratio_wall": round(best["wei-qual"][0] / best["baseline"][0], 2),
        "target_seconds": 60,
        "runs": {k: [[round(w, 1), round(c, 1)] for w, c in v] for k, v in runs.items()},
    }


def baseline_only(db_path: str) -> None:
    """The baseline's fresh process: read the units as `suggest train` does, fit on all of them."""
    from wei_qual.store import open_db
    from wei_qual.suggest.train import check_labels, load_training_data

    data = load_training_data(open_db(db_path), source=SOURCE_STUDY)
    labels, _ = check_labels(data, 8)
    baseline_fit_predict([u.text for u in data.units], [u.codes for u in data.units], [], labels)


def accuracy(db_path: Path, source: str, folds: int) -> dict:
    from wei_qual.store import open_db
    from wei_qual.suggest.crossval import cross_validate, engine_scores
    from wei_qual.suggest.folds import grouped_folds
    from wei_qual.suggest.train import load_training_data

    db = open_db(db_path)
    started = time.perf_counter()
    cv = cross_validate(db, source=source, folds=folds)
    learned_seconds = time.perf_counter() - started
    data = load_training_data(db, source=source)
    units, labels = data.units, cv.labels
    test_folds = grouped_folds([u.transcript for u in units], folds, seed=cv.seed)
    assert [len(f) for f in test_folds] == [f["test_units"] for f in cv.fold_info], "not the same folds"
    predicted: list[set[str]] = [set() for _ in units]
    started = time.perf_counter()
    for test in test_folds:
        test_set = set(test)
        train = [u for i, u in enumerate(units) if i not in test_set]
        found = baseline_fit_predict(
            [u.text for u in train], [u.codes for u in train], [units[i].text for i in test], labels
        )
        for i, codes in zip(test, found):
            predicted[i] = codes
    baseline_seconds = time.perf_counter() - started
    base = engine_scores(predicted, [u.codes for u in units], labels)

    def summary(scores) -> dict:
        m = scores.micro
        return {
            "micro": {"precision": m.precision, "recall": m.recall, "f1": m.f1},
            "macro": scores.macro,
            "alpha_pooled": scores.alpha.get("pooled"),
        }

    per_code = {}
    rules = {s.code: s for s in cv.rules.codes}
    tfidf = {s.code: s for s in base.codes}
    for s in cv.learned.codes:
        per_code[s.code] = {
            "examples": cv.examples[s.code],
            "learned_f1": s.f1,
            "baseline_f1": tfidf[s.code].f1,
            "rules_f1": rules[s.code].f1,
        }

    def worse(a: str, b: str) -> list[str]:
        return [c for c, v in per_code.items() if v[b] is not None and (v[a] is None or v[a] < v[b])]

    return {
        "units": cv.units,
        "transcripts": cv.transcripts,
        "source": cv.source,
        "folds": folds,
        "labels": len(labels),
        "too_few": len(cv.too_few),
        "learned": summary(cv.learned),
        "baseline_tfidf_logreg": summary(base),
        "rules": summary(cv.rules),
        "reliability": {"brier": cv.reliability.brier, "ece": cv.reliability.ece},
        "seconds": {
            "learned_all_folds": round(learned_seconds, 1),
            "baseline_all_folds": round(baseline_seconds, 1),
        },
        "learned_worse_than_rules": worse("learned_f1", "rules_f1"),
        "learned_worse_than_baseline": worse("learned_f1", "baseline_f1"),
        "per_code": per_code,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-time", action="store_true")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--baseline-only", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.baseline_only:
        baseline_only(args.baseline_only)
        return
    report: dict = {}
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        if not args.skip_time:
            report["training_time"] = time_training(tmp)
        if not args.skip_accuracy:
            from varied_study import build_varied_project

            from wei_qual.demo import run_demo

            demo = run_demo(tmp / "demo")
            report["sample_project"] = accuracy(demo.db_path, "majority", args.folds)
            varied = tmp / "varied.db"
            report["varied_study"] = {
                "generator": build_varied_project(varied),
                **accuracy(varied, "majority", args.folds),
            }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
