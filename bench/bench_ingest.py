"""Benchmark ingest throughput (target: close to spaCy's own) and CLI startup. Figures go in docs/performance.md.

    python bench/bench_ingest.py [--transcripts 120] [--words 10000] [--runs 5]

Generates the synthetic corpus (bench/make_corpus.py) in a temp folder, then measures in the same run:
- ingest_files() of the whole corpus into a fresh project file (parse + PII gate + store), wall time
  and words/s, against a baseline of spaCy's blank English tokenizer over the same stored text;
- `wei-qual --help` startup (median of --runs), against `python -c pass`.
Targets on the 2-core reference machine: whole corpus <= 10 s; --help <= 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_corpus import generate_corpus


def _median_run(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of a command."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


class _Timer:
    """Wall and CPU time of a block: CPU time is the steadier figure on a shared, loaded machine."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark wei-qual ingest and startup.")
    parser.add_argument("--transcripts", type=int, default=120)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="runs of `wei-qual --help` (median reported)")
    args = parser.parse_args(argv)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())

    from wei_qual.ingest import ingest_files, parse_transcript
    from wei_qual.store import open_db

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        t = time.perf_counter()
        paths = generate_corpus(corpus, transcripts=args.transcripts, words=args.words)
        print(f"corpus: {len(paths)} transcripts generated in {time.perf_counter() - t:.1f} s")

        with _Timer() as parse_t:
            parsed = [parse_transcript(p) for p in paths]

        db = open_db(Path(tmp) / "bench.db")
        with _Timer() as ingest_t:
            result = ingest_files(db, [corpus], attributes_csv=corpus / "participants.csv")
        if result.failed:
            print("FAILED files:", *(o.message for o in result.failed[:5]), sep="\n  ")
        words = result.words

        import spacy  # the baseline: spaCy's own tokenizer over the same text

        nlp = spacy.blank("en")
        texts = [tr.text for tr in parsed]
        with _Timer() as spacy_t:
            for _doc in nlp.tokenizer.pipe(texts, batch_size=16):
                pass

    print(f"load average at start: {load} ({os.cpu_count()} CPUs; other work inflates wall times)")
    print(
        f"ingest (parse + PII gate + store): {result.transcripts} transcripts, {result.segments:,} segments, "
        f"{words:,} words in {ingest_t.wall:.2f} s wall / {ingest_t.cpu:.2f} s CPU = "
        f"{words / ingest_t.cpu:,.0f} words/CPU-s (target <= 10 s)"
    )
    print(
        f"  parsing alone: {parse_t.wall:.2f} s wall / {parse_t.cpu:.2f} s CPU ({words / parse_t.cpu:,.0f} words/CPU-s)"
    )
    print(
        f"baseline spaCy blank('en') tokenizer on the same text: {spacy_t.wall:.2f} s wall / {spacy_t.cpu:.2f} s "
        f"CPU ({words / spacy_t.cpu:,.0f} words/CPU-s); ingest/tokenizer CPU ratio {ingest_t.cpu / spacy_t.cpu:.1f}, "
        f"parse/tokenizer {parse_t.cpu / spacy_t.cpu:.1f}"
    )

    script = str(Path(sys.executable).with_name("wei-qual"))
    help_wall, help_cpu = _median_run([script, "--help"], args.runs)
    py_wall, py_cpu = _median_run([sys.executable, "-c", "pass"], args.runs)
    print(
        f"startup: `wei-qual --help` median {help_wall:.3f} s wall / {help_cpu:.3f} s CPU over {args.runs} runs "
        f"(target <= 0.3 s); bare `python -c pass` {py_wall:.3f} s / {py_cpu:.3f} s; "
        f"CPU ratio {help_cpu / py_cpu:.1f}x"
    )


if __name__ == "__main__":
    main()
