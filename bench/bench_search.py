"""Bench of `wei-qual search` and `wei-qual retrieve` on a study-sized project, as fresh processes.

Builds the study project of bench/study_project.py (120 transcripts x 150 participant turns, 40 codes,
3 coders, ~54,000 decisions) and lengthens every participant turn to about 60 words, so the project holds
the study's ~1.1 million words; about one turn in 150 mentions a unit refusing someone (the words
searched for). "crisis", one of the 30 words every sentence is drawn from (35,000+ hits), is the worst
case of a very common word. Then, in one run, each command as a fresh `wei-qual ...` process (median
of --repeat runs, imports included) beside two baselines measured in the same run: `python -c pass`
(the interpreter alone) and a fresh Python process that reads every segment matching a plain
`LIKE '%refus%'` with sqlite3 (a substring scan: no lemmas, no codes, no context). The first search,
which builds the index, is timed once on its own.

    python bench/bench_search.py [--repeat 5] [--project /tmp/search-study.db]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from study_project import WORDS, build_study_project

from wei_qual.store import open_db, transaction

# Rare phrases, at about the rate a study's interviews mention a unit refusing someone: once in ~150 turns.
RARE = [
    "They refused him at the door.",
    "The nurse kept refusing to take him.",
    "She refuses anyone who has been drinking.",
    "They won't take him when the beds are full.",
]
SCRIPT = str(Path(sys.executable).parent / "wei-qual")


def lengthen(db_path: Path, seed: int = 1) -> int:
    """Give every participant turn about 60 words (4 sentences); return the participant words."""
    rng = random.Random(seed)
    vocabulary = WORDS
    db = open_db(db_path)
    rows = db.execute("SELECT id FROM segments WHERE role = 'participant'").fetchall()
    words = 0
    updates = []
    for (seg_id,) in rows:
        sentences = []
        for _ in range(4):
            n = rng.randint(10, 20)
            words += n
            sentences.append(" ".join(rng.choice(vocabulary) for _ in range(n)).capitalize() + ".")
        if rng.random() < 1 / 150:
            sentences.insert(rng.randint(0, 4), rng.choice(RARE))
        updates.append((" ".join(sentences), seg_id))
    with transaction(db):
        db.conn.executemany("UPDATE segments SET text = ? WHERE id = ?", updates)
    db.close()
    return words


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def median(args: list[str], repeat: int) -> float:
    return statistics.median(timed(args) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--project", type=Path, default=None)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="wq-search-"))
    project = options.project or folder / "study.db"
    if not project.exists():
        summary = build_study_project(project)
        words = lengthen(project)
        print(
            f"built {project}: {summary['transcripts']} transcripts, {summary['participant_segments']} "
            f"participant turns, {summary['decisions']} decisions, {words:,} participant words"
        )
    db = open_db(project)
    with transaction(db):  # the first search below builds the index from scratch
        db.execute("DELETE FROM search_index")
    segments = db.execute("SELECT COUNT(*) FROM segments").fetchone()[0]
    db.close()
    p = str(project)
    baseline_sql = (
        "import sqlite3; c = sqlite3.connect(%r); "
        "c.execute(\"SELECT transcript_id, n, text FROM segments WHERE text LIKE '%%refus%%'\").fetchall()"
        % p
    )
    rows = [
        ("python -c pass (the interpreter alone)", median([sys.executable, "-c", "pass"], options.repeat)),
        ("wei-qual --help (the start-up every command pays)", median([SCRIPT, "--help"], options.repeat)),
        (
            "python -c 'import sqlite_utils' (imports pandas when it is installed)",
            median([sys.executable, "-c", "import sqlite_utils"], options.repeat),
        ),
        (
            "baseline: fresh process, sqlite3 LIKE '%refus%' over all segments",
            median([sys.executable, "-c", baseline_sql], options.repeat),
        ),
        (
            f"first search: index {segments:,} segments, then search",
            timed([SCRIPT, "search", "refuse", "--db", p]),
        ),
    ]
    out = folder / "out.md"
    commands = {
        "search refuse": ["search", "refuse", "--format", "json"],
        'search "refuse to take"': ["search", "refuse to take", "--format", "json"],
        "search refus*": ["search", "refus*", "--format", "json"],
        "search refuse --not csu-1 --by role": [
            "search",
            "refuse",
            "--not",
            "csu-1",
            "--by",
            "role",
            "--format",
            "json",
        ],
        "search refuse (table on the terminal)": ["search", "refuse"],
        "search crisis (35,000+ hits) --format json": ["search", "crisis", "--format", "json"],
        "search crisis (table: the first 200 hits)": ["search", "crisis"],
        "retrieve csu-1 --format md -o FILE": ["retrieve", "csu-1", "--format", "md", "-o", str(out)],
        "retrieve csu --by role --source majority --format json": [
            "retrieve",
            "csu",
            "--by",
            "role",
            "--source",
            "majority",
            "--format",
            "json",
        ],
    }
    for name, args in commands.items():
        rows.append((f"wei-qual {name}", median([SCRIPT, *args, "--db", p], options.repeat)))
    width = max(len(r[0]) for r in rows)
    print(f"\n{'command (fresh process, median of %d)' % options.repeat:<{width}}  seconds")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:6.3f}")


if __name__ == "__main__":
    main()
