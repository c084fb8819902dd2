"""Bench of every report on a study-sized project, target <= 1 s each.

Builds a temporary project with bench/study_project.py (120 transcripts x 150 participant turns,
40 codes, 3 coders) and adds consensus decisions (the coders' majority), then times each report from
opening the project to the finished output (median of --repeat runs, imports already warm), next to a
baseline measured in the same run: the raw SQL query reading every decision with its segment.
Times are wall-clock and CPU (CPU time is not inflated when the machine is shared). Also times each
`wei-qual report ...` command end to end in a fresh process (imports included).

    /work/venv/bin/python bench/bench_report.py [--repeat 3] [--no-cli] [--project /tmp/study.db]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from study_project import build_study_project

from wei_qual.report.cooccurrence import build_cooccurrence
from wei_qual.report.data import load_report_data
from wei_qual.report.html import build_html
from wei_qual.report.matrix import build_matrix
from wei_qual.report.quotes import build_quotes
from wei_qual.report.themes import build_theme_table
from wei_qual.report.writers import render_text, write_xlsx
from wei_qual.store import now_utc, open_db, transaction

BASELINE_SQL = (
    "SELECT d.coder_id, d.codes, s.transcript_id, s.n FROM decisions d JOIN segments s ON s.id = d.segment_id"
)


def add_consensus(db_path: Path) -> int:
    """Consensus = codes applied by more than half of the coders who decided each segment."""
    db = open_db(db_path)
    by_segment: dict[int, list[list[str]]] = {}
    for seg_id, codes in db.execute("SELECT segment_id, codes FROM decisions").fetchall():
        by_segment.setdefault(seg_id, []).append(json.loads(codes))
    stamp = now_utc()
    version = db.execute("SELECT id FROM codebooks WHERE active = 1").fetchone()[0]
    rows = []
    for seg_id, sets in by_segment.items():
        counts = Counter(c for codes in sets for c in codes)
        agreed = sorted(c for c, k in counts.items() if k > len(sets) / 2)
        rows.append(
            (seg_id, "consensus", json.dumps(agreed), "", "majority of coders", version, "[]", "[]", stamp)
        )
    with transaction(db):
        db.execute("INSERT OR IGNORE INTO coders (id, created_utc) VALUES ('consensus', ?)", [stamp])
        db.conn.executemany(
            "INSERT INTO decisions (segment_id, coder_id, codes, note, rationale, codebook_id, accepted, shown, "
            "decided_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    db.close()
    return len(rows)


def median_time(fn, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds (CPU time is what a busy shared machine does not inflate)."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-cli", action="store_true", help="Skip the end-to-end command timings.")
    parser.add_argument("--project", type=Path, help="Build the project here, or reuse it if it exists.")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="wei-qual-bench-report-"))
    db_path = args.project or tmp / "study.db"
    if not db_path.exists():
        summary = build_study_project(db_path)
        summary["consensus_decisions"] = add_consensus(db_path)
        print(f"project: {summary}")
    db = open_db(db_path)
    summary = {"decisions": db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]}
    db.close()

    def baseline():
        db = open_db(db_path)
        db.execute(BASELINE_SQL).fetchall()
        db.close()

    def report(build, with_coders=False, source=None):
        def run():
            db = open_db(db_path)
            build(load_report_data(db, source=source, with_coders=with_coders))
            db.close()

        return run

    cases = {
        "themes --by role --by setting (json)": report(
            lambda d: render_text(build_theme_table(d, by=["role", "setting"]), "json")
        ),
        "themes --by role (xlsx)": report(
            lambda d: write_xlsx(build_theme_table(d, by=["role"]).data_tables(), tmp / "themes.xlsx")
        ),
        "cooccurrence (csv)": report(lambda d: render_text(build_cooccurrence(d), "csv")),
        "quotes, all codes, --by role (md)": report(
            lambda d: render_text(build_quotes(d, by="role"), "md"), with_coders=True
        ),
        "matrix (csv)": report(lambda d: render_text(build_matrix(d), "csv")),
        "matrix --source majority (csv)": report(
            lambda d: render_text(build_matrix(d), "csv"), source="majority"
        ),
        "html --by role": report(lambda d: build_html(d, by=["role"]), with_coders=True),
    }
    report(lambda d: build_html(d), with_coders=True)()  # warm imports (openpyxl is imported on first use)

    base, base_cpu = median_time(baseline, args.repeat)
    print(
        f"\nbaseline (raw SQL reading all {summary['decisions']} decisions): "
        f"{base * 1000:.0f} ms wall, {base_cpu * 1000:.0f} ms CPU"
    )
    print(
        f"\n{'report (in process, open to finished output)':<48} {'wall ms':>8} {'CPU ms':>7} {'CPU x base':>10}"
    )
    for name, fn in cases.items():
        wall, cpu = median_time(fn, args.repeat)
        verdict = "ok" if cpu <= 1.0 else "OVER 1 s"
        print(f"{name:<48} {wall * 1000:>8.0f} {cpu * 1000:>7.0f} {cpu / base_cpu:>10.1f}  {verdict}")

    if not args.no_cli:
        exe = str(Path(sys.executable).parent / "wei-qual")
        commands = {
            "wei-qual report themes --by role --format json": ["themes", "--by", "role", "--format", "json"],
            "wei-qual report cooccurrence --format csv": ["cooccurrence", "--format", "csv"],
            "wei-qual report quotes --by role --format md": ["quotes", "--by", "role", "--format", "md"],
            "wei-qual report matrix -o matrix.csv": ["matrix", "-o", str(tmp / "matrix.csv")],
            "wei-qual report html -o report.html": ["html", "-o", str(tmp / "report.html")],
            "wei-qual --help (process start-up)": None,
        }
        print(f"\n{'command (fresh process, wall, median of ' + str(args.repeat) + ')':<50} {'ms':>7}")
        for name, extra in commands.items():
            argv = [exe, "--help"] if extra is None else [exe, "report", *extra, "--db", str(db_path)]
            wall, _ = median_time(
                lambda argv=argv: subprocess.run(argv, check=True, capture_output=True), args.repeat
            )
            print(f"{name:<50} {wall * 1000:>7.0f}")
    print(f"\n(project and outputs in {tmp})")


if __name__ == "__main__":
    main()
