"""Bench of `wei-qual suggest` end to end against a raw spaCy baseline, in the same run.

Builds a study-sized project in a temporary folder (bench/make_corpus.py: 120 transcripts x ~10,000 words,
parsed by wei_qual.ingest; the study codebook codebooks/wei_crisis_response.yaml, or a built-in 40-code
one), then times on the same participant texts and the same spaCy pipeline:

- baseline: nlp.pipe(texts) + a PhraseMatcher (LOWER) over every codebook keyword, nothing stored;
- wei-qual: wei_qual.suggest.run_suggest(db): read segments, match keywords (lower case, lemma, hyphen and
  spacing variants) and patterns, negation, scores, evidence, one transaction of inserts.

Reports words per second for both and the ratio (target >= 0.5), wall-clock and CPU time, best of
--repeat runs each (alternating which goes first).

    /work/venv/bin/python bench/bench_suggest.py [--transcripts 120] [--words 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from wei_qual import suggest as core
from wei_qual.models import PARTICIPANT, Code, Codebook, Segment, Transcript
from wei_qual.store import open_db, transaction
from wei_qual.store.codebooks import save_codebook_version
from wei_qual.store.transcripts import iter_segments, save_transcript

STUDY_CODEBOOK = ROOT / "codebooks" / "wei_crisis_response.yaml"

# Fallback codebook: 8 themes x 4 leaf codes, keywords from the crisis-response domain, a few patterns.
FALLBACK_THEMES = {
    "csu": [
        "crisis stabilization unit|crisis unit|CSU",
        "bed|beds full|waiting list",
        "admission criteria|intake",
        "medical clearance|turned away|refused",
    ],
    "co-response": [
        "co-responder|coresponder",
        "clinician|mental health professional",
        "mobile crisis team",
        "civilian response|peer specialist",
    ],
    "justice": [
        "arrest|booking",
        "jail|detention",
        "repeat caller|repeat contact",
        "jail diversion|diversion",
    ],
    "access": [
        "transport|long drive",
        "rural area|rural|out in the county",
        "resource guide|resources",
        "emergency room|ER|hospital",
    ],
    "follow-up": [
        "follow-up|follows up",
        "warm handoff|handoff",
        "case manager|case management",
        "treatment provider|outpatient",
    ],
    "risk": ["suicide risk|suicide", "welfare check", "mental health hold|hold", "substance use|intoxicated"],
    "workload": ["paperwork", "training hours|training", "whole shift|shift", "night shift|overtime"],
    "housing": ["homelessness|homeless", "shelter", "family", "dispatch"],
}


def fallback_codebook() -> Codebook:
    codes = []
    for theme, leaves in FALLBACK_THEMES.items():
        codes.append(Code(theme, theme.title()))
        for k, keywords in enumerate(leaves, start=1):
            patterns = [[{"LOWER": "too"}, {"LOWER": {"IN": ["dangerous", "violent"]}}]] if k == 4 else []
            codes.append(
                Code(
                    f"{theme}-{k}",
                    f"{theme} {k}",
                    parent=theme,
                    keywords=tuple(keywords.split("|")),
                    patterns=tuple(patterns),
                )
            )
    return Codebook("Bench codebook", "1", codes=tuple(codes))


def load_study_codebook() -> tuple[Codebook, str]:
    if STUDY_CODEBOOK.exists():
        try:
            from wei_qual.codebook import load_codebook

            codebook = _drop_invalid_patterns(load_codebook(STUDY_CODEBOOK))
            return codebook, STUDY_CODEBOOK.read_text(encoding="utf-8")
        except Exception as ex:  # noqa: BLE001 - a bench falls back rather than fail
            print(f"(could not load {STUDY_CODEBOOK.name}: {type(ex).__name__}; using the built-in codebook)")
    return fallback_codebook(), "bench-fallback"


def _drop_invalid_patterns(codebook: Codebook) -> Codebook:
    """Keep the bench running while a codebook pattern is invalid (e.g. YAML reading `no` as false)."""
    import dataclasses

    from spacy.lang.en import English
    from spacy.matcher import Matcher

    matcher, codes = Matcher(English().vocab, validate=True), []
    for code in codebook.codes:
        kept = []
        for i, pattern in enumerate(code.patterns):
            try:
                matcher.add("check", [list(pattern)])
                kept.append(pattern)
            except ValueError:
                print(f"(skipping invalid pattern {i + 1} of code {code.id})", file=sys.stderr)
        codes.append(dataclasses.replace(code, patterns=tuple(kept)))
    return dataclasses.replace(codebook, codes=tuple(codes))


def build_project(db_path: Path, corpus_dir: Path, transcripts: int, words: int) -> str:
    """Fill a project with the generated corpus; return how the corpus was made."""
    db = open_db(db_path)
    try:
        from make_corpus import generate_corpus

        from wei_qual.ingest import parse_transcript

        parsed = [
            parse_transcript(p) for p in generate_corpus(corpus_dir, transcripts=transcripts, words=words)
        ]
        how = "bench/make_corpus.py + wei_qual.ingest.parse_transcript"
    except ImportError:
        parsed = [_direct_transcript(i, words) for i in range(transcripts)]
        how = "segments written directly"
    with transaction(db):
        for transcript in parsed:
            save_transcript(db, transcript)
    codebook, yaml_text = load_study_codebook()
    with transaction(db):
        save_codebook_version(db, codebook, yaml_text)
    db.close()
    return how


def _direct_transcript(i: int, words: int) -> Transcript:
    sentence = "We took him to the crisis unit but they refused him, so it was jail again. "
    turn = sentence * 8
    segs, pos = [], 0
    for n in range(1, words // len(turn.split()) + 1):
        segs.append(Segment(n, "P", PARTICIPANT, turn.strip(), pos, pos + len(turn.strip())))
        pos += len(turn) + 1
    return Transcript(f"d{i:03d}", "direct", "txt", f"sha{i}", "\n".join(s.text for s in segs), tuple(segs))


class Clock:
    """Wall time and this process's CPU time (the machine may be shared: CPU time is steadier)."""

    def __enter__(self) -> Clock:  # noqa: PYI034
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def baseline(pipeline: core.Pipeline, texts: list[str], keywords: list[str]) -> tuple[Clock, int]:
    """Raw spaCy: the same pipeline, nlp.pipe + PhraseMatcher over the same keywords, nothing stored."""
    from spacy.matcher import PhraseMatcher

    nlp = pipeline.nlp
    with Clock() as clock:
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        matcher.add("KW", [nlp.make_doc(k) for k in keywords])
        found = 0
        for doc in nlp.pipe(texts, batch_size=core.BATCH_SIZE):
            found += len(matcher(doc))
    return clock, found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=120)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        how = build_project(db_path, Path(tmp) / "corpus", args.transcripts, args.words)
        setup = time.perf_counter() - t0
        db = open_db(db_path)
        rows = iter_segments(db, role="participant")
        texts = [r["text"] for r in rows]
        words = sum(len(t.split()) for t in texts)
        _, codebook = core.require_active_codebook(db)
        keywords = sorted({k for c in codebook.codes for k in c.keywords})

        t0 = time.perf_counter()
        pipeline = core.build_pipeline()
        build = time.perf_counter() - t0
        # Warm both paths once on a small slice (lazy lookups loading, string store), untimed.
        baseline(pipeline, texts[:200], keywords)

        base_runs, our_runs, result, found = [], [], None, 0
        for i in range(args.repeat):
            # Alternate which runs first, so a machine shared with other jobs favours neither.
            for which in ("baseline", "wei-qual") if i % 2 == 0 else ("wei-qual", "baseline"):
                if which == "baseline":
                    clock, found = baseline(pipeline, texts, keywords)
                    base_runs.append(clock)
                else:
                    with Clock() as clock:
                        result = core.run_suggest(db, pipeline=pipeline)
                    our_runs.append(clock)
        assert result is not None
        base_wall, ours_wall = min(c.wall for c in base_runs), min(c.wall for c in our_runs)
        base_cpu, ours_cpu = min(c.cpu for c in base_runs), min(c.cpu for c in our_runs)
        report = {
            "corpus": how,
            "transcripts": args.transcripts,
            "participant_segments": len(texts),
            "words": words,
            "codes_with_rules": result.codes,
            "keywords": len(keywords),
            "setup_seconds": round(setup, 1),
            "pipeline_build_seconds": round(build, 2),
            "baseline_matches": found,
            "wei_qual_suggestions_stored": result.suggestions,
            "baseline_seconds": {"wall": round(base_wall, 2), "cpu": round(base_cpu, 2)},
            "wei_qual_seconds": {"wall": round(ours_wall, 2), "cpu": round(ours_cpu, 2)},
            "baseline_words_per_second": {"wall": round(words / base_wall), "cpu": round(words / base_cpu)},
            "wei_qual_words_per_second": {"wall": round(words / ours_wall), "cpu": round(words / ours_cpu)},
            "ratio": {"wall": round(base_wall / ours_wall, 2), "cpu": round(base_cpu / ours_cpu, 2)},
            "target_ratio": 0.5,
        }
        print(json.dumps(report, indent=2))
        db.close()


if __name__ == "__main__":
    main()
