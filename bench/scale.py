"""Growth: the study at 1x and 10x, each command a fresh process, time(10x) / time(1x) and peak memory.

    python bench/scale.py                 # 1x = 120 interviews, 1.2 M words, ~54,000 decisions; 10x = 1,200
    python bench/scale.py --factor 3      # a quicker check (1x and 3x)
    python bench/scale.py --keep          # keep bench/out/scale/ (projects, corpora, CSVs) afterwards

For each size: generate the corpus (bench/make_corpus.py with one-paragraph answers: about 155
participant turns per interview), then run ingest (PII gate on), codebook load, suggest, decisions import
of three coders' decisions on every participant turn, agree (1,000-draw CIs), report themes, report
methods, project export and import, and retrieve and search when the project has them. Every command must grow at most
linearly (ratio <= 11 for 10x the data) and stay under 1 GiB of peak memory (resident set, from
/usr/bin/time) at 10x.
Also prints the project file's size at each scale. Results go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from make_corpus import generate_corpus

OUT = BENCH / "out" / "scale"
WQ = str(Path(sys.executable).with_name("wei-qual"))
CODEBOOK = BENCH.parent / "codebooks" / "wei_crisis_response.yaml"
CODERS = ("alice", "bob", "carol")
GIB = 1024**3


def run(argv: list[str]) -> tuple[float, int]:
    """(wall seconds, peak resident bytes) of one fresh process; exits on failure."""
    t = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], check=False, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{done.stderr[-3000:]}")
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    return wall, peak_kib * 1024


def has_command(name: str) -> bool:
    return subprocess.run([WQ, name, "--help"], check=False, capture_output=True).returncode == 0


def leaf_codes(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    codes = [
        r[0]
        for r in conn.execute(
            "SELECT code FROM codes c WHERE codebook_id = (SELECT id FROM codebooks WHERE active = 1) "
            "AND merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM codes k WHERE k.codebook_id = c.codebook_id "
            "AND k.parent = c.code)"
        )
    ]
    conn.close()
    return codes


def write_decisions(db: Path, target: Path, seed: int = 0) -> int:
    """Three coders' decisions on every participant turn: each code applied with a code-specific rate,
    the coders agreeing most of the time. Returns the number of rows."""
    rng = random.Random(seed)
    codes = leaf_codes(db)
    rate = {c: rng.choice([0.01, 0.03, 0.06, 0.1]) for c in codes}
    conn = sqlite3.connect(db)
    turns = conn.execute(
        "SELECT transcript_id, n FROM segments WHERE role = 'participant' ORDER BY transcript_id, n"
    ).fetchall()
    conn.close()
    conn = sqlite3.connect(db)
    exclusive = [  # the children of each exclusive group: a decision keeps at most one of them
        {
            c
            for (c,) in conn.execute(
                "SELECT code FROM codes WHERE codebook_id = ? AND parent = ?", [book, parent]
            )
        }
        for book, parent in conn.execute(
            "SELECT codebook_id, code FROM codes WHERE exclusive = 1 "
            "AND codebook_id = (SELECT id FROM codebooks WHERE active = 1)"
        ).fetchall()
    ]
    conn.close()
    rows = 0
    with open(target, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["transcript", "segment", "coder", "codes", "note"])
        for transcript, n in turns:
            truth = {c for c in codes if rng.random() < rate[c]}
            for coder in CODERS:
                mine = {c for c in truth if rng.random() < 0.85} | {c for c in codes if rng.random() < 0.004}
                for group in exclusive:
                    mine -= set(sorted(mine & group)[1:])
                out.writerow([transcript, n, coder, ";".join(sorted(mine)), ""])
                rows += 1
    return rows


def one_scale(factor: int, folder: Path) -> dict[str, tuple[float, int]]:
    folder.mkdir(parents=True, exist_ok=True)
    corpus, db = folder / "corpus", folder / "project.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    t = time.perf_counter()
    if not (corpus / "participants.csv").exists():
        generate_corpus(corpus, transcripts=120 * factor, short_answers=True)
    print(f"  {factor}x: corpus ready in {time.perf_counter() - t:.0f} s", flush=True)
    results: dict[str, tuple[float, int]] = {}
    dbo = ["--db", str(db)]
    results["ingest"] = run(
        [WQ, "ingest", str(corpus), "--attributes", str(corpus / "participants.csv"), *dbo]
    )
    run([WQ, "codebook", "load", str(CODEBOOK), *dbo])
    results["suggest"] = run([WQ, "suggest", *dbo])
    decisions = folder / "decisions.csv"
    rows = write_decisions(db, decisions)
    results["decisions import"] = run([WQ, "decisions", "import", str(decisions), *dbo])
    results["agree"] = run([WQ, "agree", "--bootstrap", "1000", "--format", "json", *dbo])
    results["report themes"] = run([WQ, "report", "themes", "--source", "majority", "--by", "role", *dbo])
    results["report methods"] = run([WQ, "report", "methods", *dbo])
    qdpx = folder / "project.qdpx"
    qdpx.unlink(missing_ok=True)
    results["project export"] = run([WQ, "project", "export", str(qdpx), *dbo])
    imported = folder / "imported.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{imported}{suffix}").unlink(missing_ok=True)
    # --allow-pii: the PII scan still runs on every source (and is audited); the generated text has no
    # identifiers, but a false positive must not stop the benchmark after an hour.
    results["project import"] = run(
        [WQ, "project", "import", str(qdpx), "--db", str(imported), "--allow-pii"]
    )
    if has_command("retrieve"):
        results["retrieve"] = run(
            [WQ, "retrieve", leaf_codes(db)[0], "--source", "alice", "--format", "json", *dbo]
        )
    if has_command("search"):
        results["search (indexes)"] = run([WQ, "search", "crisis unit", "--format", "json", *dbo])
        results["search"] = run([WQ, "search", "refuse", "--format", "json", *dbo])
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = {
        "transcripts": conn.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0],
        "segments": conn.execute("SELECT COUNT(*) FROM segments").fetchone()[0],
        "decisions": conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0],
        "suggestions": conn.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0],
        "words": sum(len(t.split()) for (t,) in conn.execute("SELECT text FROM segments")),
    }
    conn.close()
    counts["db_bytes"] = db.stat().st_size
    counts["csv_rows"] = rows
    print(f"  {factor}x: {json.dumps(counts)}", flush=True)
    results["_counts"] = counts  # type: ignore[assignment]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs", flush=True)
    small = one_scale(1, OUT / "1x")
    large = one_scale(args.factor, OUT / f"{args.factor}x")
    c1, c10 = small.pop("_counts"), large.pop("_counts")
    limit = args.factor * 1.1
    print(
        f"\n{'command':<18}{'1x s':>8}{f'{args.factor}x s':>9}{'ratio':>7}{'1x MiB':>8}{f'{args.factor}x MiB':>9}  verdict"
    )
    for name, (t1, m1) in small.items():
        t10, m10 = large[name]
        ratio = t10 / t1
        ok = ratio <= limit and m10 <= GIB
        print(
            f"{name:<18}{t1:8.2f}{t10:9.2f}{ratio:7.1f}{m1 / 2**20:8.0f}{m10 / 2**20:9.0f}  "
            f"{'ok' if ok else 'OVER'} (ratio <= {limit:g}, peak <= 1 GiB)"
        )
    print(
        f"\nproject file: {c1['db_bytes'] / 1e6:.0f} MB at 1x ({c1['decisions']:,} decisions, {c1['words']:,} words), "
        f"{c10['db_bytes'] / 1e6:.0f} MB at {args.factor}x ({c10['decisions']:,} decisions, {c10['words']:,} words)"
    )
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not args.keep:
        shutil.rmtree(OUT, ignore_errors=True)


if __name__ == "__main__":
    main()
