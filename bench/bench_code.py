"""Bench of the coding loop's keystroke latency: from saving a decision to the next screen rendered,
on a study-sized project.

Builds a temporary project (120 transcripts x 150 participant + 150 interviewer turns, 40 codes, one or two
suggestions per participant turn), starts a session, then times N iterations of
save_decision (committed, WAL) -> session.saved -> refresh_progress (one COUNT) -> render_screen into a Console(file=StringIO),
then `b` back over the saved ones (each screen: one lookup of the segment's saved decision).
Also times the two halves alone and the session start-up. Target: p95 <= 20 ms.

    /work/venv/bin/python bench/bench_code.py [--n 300]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from rich.console import Console

from wei_qual.cli.code import render_screen
from wei_qual.coding import load_session
from wei_qual.models import INTERVIEWER, PARTICIPANT, Code, Codebook, Segment, Transcript
from wei_qual.store import open_db, transaction
from wei_qual.store.codebooks import save_codebook_version
from wei_qual.store.decisions import save_decision
from wei_qual.store.transcripts import save_transcript

WORDS = [
    "crisis",
    "unit",
    "officer",
    "clinician",
    "admitted",
    "refused",
    "county",
    "downtown",
    "follow-up",
    "call",
    "night",
    "jail",
    "hospital",
    "family",
    "team",
    "deputy",
    "[inaudible]",
    "bed",
    "wait",
    "policy",
    "rural",
    "urban",
    "transport",
    "mobile",
]


def build(
    path: Path, *, transcripts: int = 120, turns: int = 300, themes: int = 8, per_theme: int = 5
) -> None:
    rng = random.Random(5)
    codes = []
    for t in range(themes):
        codes.append(Code(f"theme{t}", f"Theme {t}", exclusive=t == 0, definition="A theme."))
        codes += [
            Code(f"t{t}-c{c}", f"Code {t}.{c}", parent=f"theme{t}", definition="A code.")
            for c in range(per_theme)
        ]
    leaves = [c.id for c in codes if c.parent]
    db = open_db(path)
    with transaction(db):
        version = save_codebook_version(db, Codebook("bench", "1", codes=tuple(codes)), "bench")
        for i in range(transcripts):
            segs, pos = [], 0
            for n in range(1, turns + 1):
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 90)))
                role = INTERVIEWER if n % 2 else PARTICIPANT
                segs.append(Segment(n, "I" if role == INTERVIEWER else "P", role, text, pos, pos + len(text)))
                pos += len(text) + 2
            save_transcript(
                db,
                Transcript(
                    f"p{i:03d}",
                    f"p{i:03d}.txt",
                    "txt",
                    f"sha{i}",
                    "x",
                    tuple(segs),
                    {"role": rng.choice(["officer", "provider"]), "setting": "rural"},
                ),
            )
        # Synthetic suggestion rows (the suggest engine is not part of this bench).
        rows = []
        for r in db.query("SELECT id, text FROM segments WHERE role = 'participant'"):
            for code in rng.sample(leaves, rng.randint(1, 2)):
                rows.append(
                    {
                        "segment_id": r["id"],
                        "codebook_id": version,
                        "code": code,
                        "score": round(0.5 + rng.random() / 2, 2),  # all above the on-screen threshold
                        "evidence": json.dumps(
                            [{"start": 0, "end": 6, "text": r["text"][:6], "source": "kw", "negated": False}]
                        ),
                        "engine": "rules",
                        "stale": 0,
                        "created_utc": "2026-01-01T00:00:00Z",
                    }
                )
        db.table("suggestions").insert_all(rows, batch_size=2000)
    db.close()


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300, help="decisions to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        build(path)
        print(f"built project in {time.perf_counter() - t0:.1f} s")
        db = open_db(path)
        t0 = time.perf_counter()
        session, context = load_session(db, "bench")
        startup = time.perf_counter() - t0
        print(f"session start-up: {startup * 1000:.0f} ms for {len(session.queue)} queued segments")
        out = Console(file=io.StringIO(), width=120)
        out.print(render_screen(session, context))
        total, save_only, render_only = [], [], []
        for i in range(args.n):
            session.accept_all() if i % 2 else session.apply_codes([("+", str(1 + i % 40))])
            decision = session.decision(nothing=i % 7 == 0)
            t0 = time.perf_counter()
            save_decision(db, decision, actor="bench")
            t1 = time.perf_counter()
            session.saved(decision)
            session.refresh_progress()  # the loop reads "coded X of Y" from the project before each screen
            session.pass_coded_elsewhere()  # and passes what another session decided meanwhile
            session.show_stored()  # and the screen's segment as saved elsewhere (none: it is uncoded)
            out.file = io.StringIO()
            out.print(render_screen(session, context))
            t2 = time.perf_counter()
            total.append((t2 - t0) * 1000)
            save_only.append((t1 - t0) * 1000)
            render_only.append((t2 - t1) * 1000)
        back = []  # `b` to a segment saved above: one lookup of its saved decision (show_stored)
        while len(back) < args.n and session.index > 0:
            t0 = time.perf_counter()
            session.back()
            session.refresh_progress()
            session.show_stored()
            out.file = io.StringIO()
            out.print(render_screen(session, context))
            back.append((time.perf_counter() - t0) * 1000)
        # Baseline in the same run: one bare INSERT + COMMIT on a scratch WAL file in the same folder,
        # i.e. what any durable save costs on this machine right now.
        import sqlite3

        scratch = sqlite3.connect(Path(tmp) / "scratch.db", isolation_level=None)
        scratch.execute("PRAGMA journal_mode = WAL")
        scratch.execute("CREATE TABLE t (x TEXT)")
        baseline = []
        for _ in range(args.n):
            t0 = time.perf_counter()
            scratch.execute("BEGIN IMMEDIATE")
            scratch.execute("INSERT INTO t VALUES ('x')")
            scratch.execute("COMMIT")
            baseline.append((time.perf_counter() - t0) * 1000)
        for name, values in (
            ("save -> next screen", total),
            ("  save_decision", save_only),
            ("  next screen", render_only),
            ("b -> a coded screen", back),
        ):
            print(f"{name:22s} median {statistics.median(values):6.2f} ms   p95 {pct(values, 0.95):6.2f} ms")
        print(
            f"{'  baseline commit':22s} median {statistics.median(baseline):6.2f} ms   p95 {pct(baseline, 0.95):6.2f} ms"
        )
        ratio = statistics.median(total) / statistics.median(baseline)
        print(
            f"save -> next screen is {ratio:.1f} x a bare commit (median); target 20 ms: p95 is "
            f"{pct(total, 0.95) / 20:.2f} x the budget"
        )


if __name__ == "__main__":
    main()
