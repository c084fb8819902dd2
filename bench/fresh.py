"""Every performance target as a user meets it: a fresh `wei-qual ...` process, median of --runs, next to
its baseline measured in the same run (runs alternate, so a machine shared with other jobs favours neither).

    python bench/fresh.py                      # everything (builds its inputs in bench/out/fresh once)
    python bench/fresh.py help reports agree   # only some groups: help reports methods agree decisions
                                               # ingest suggest jobs code qdpx search
    python bench/fresh.py --runs 3 --rebuild

Inputs (generated, fictional, never committed): the study project of bench/study_project.py (120
transcripts, 18,000 participant turns, 40 codes, 3 coders, 53,107 decisions, plus consensus for the
reports), its decisions as a CSV, and the study-sized corpus of bench/make_corpus.py (120 interviews,
1.2 M words) with the study codebook. Figures go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
OUT = BENCH / "out" / "fresh"
PY = sys.executable
WQ = str(Path(sys.executable).with_name("wei-qual"))
CODEBOOK = ROOT / "codebooks" / "wei_crisis_response.yaml"

# The same decisions the reports read, as one SQL query (the "raw SQL read" baseline).
READ_SQL = (
    "SELECT d.coder_id, d.codes, s.transcript_id, s.n FROM decisions d JOIN segments s ON s.id = d.segment_id"
)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list[str], *, before=None, env=None) -> tuple[float, float]:
    """(wall, CPU) seconds of one fresh process; `before` runs first, untimed (e.g. copy a project)."""
    if before:
        before()
    cpu, t = _cpu(), time.perf_counter()
    done = subprocess.run(argv, check=False, capture_output=True, text=True, env=env)
    wall, cpu = time.perf_counter() - t, _cpu() - cpu
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{done.stderr[-3000:]}")
    return wall, cpu


def compare(
    label: str, target: list[str], baseline: list[str], runs: int, *, before=None, limit=None, ratio=None
):
    """Alternate target and baseline runs; print medians, the ratio and the verdict."""
    ours, base = [], []
    for i in range(runs):
        pair = [(ours, target), (base, baseline)]
        for sink, argv in pair if i % 2 == 0 else pair[::-1]:
            sink.append(run_once(argv, before=before))
    wall, cpu = statistics.median(w for w, _ in ours), statistics.median(c for _, c in ours)
    b_wall, b_cpu = statistics.median(w for w, _ in base), statistics.median(c for _, c in base)
    verdict = ""
    if limit is not None:
        verdict = f"target <= {limit:g} s: {'met' if wall <= limit else 'NOT met'}"
    if ratio is not None:
        got = b_wall / wall
        verdict = f"baseline/wei-qual {got:.2f} (target >= {ratio:g}): {'met' if got >= ratio else 'NOT met'}"
    print(
        f"{label:<46} {wall:7.3f} s ({cpu:6.3f} CPU)   baseline {b_wall:7.3f} s ({b_cpu:6.3f} CPU)   "
        f"x{wall / b_wall:5.1f}   {verdict}",
        flush=True,
    )
    return wall, b_wall


# ---------------------------------------------------------------------------------------------- inputs


def study(rebuild: bool) -> dict[str, Path]:
    """The study project with consensus and suggestions (reports), without consensus (agree), without
    decisions, + CSV."""
    from bench_report import add_consensus
    from study_project import build_study_project

    paths = {name: OUT / f"{name}.db" for name in ("study", "study_consensus", "study_empty")} | {
        "csv": OUT / "decisions.csv"
    }
    if rebuild or not all(p.exists() for p in paths.values()):
        for p in paths.values():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{p}{suffix}").unlink(missing_ok=True)
        build_study_project(paths["study"])
        shutil.copy(paths["study"], paths["study_consensus"])
        add_consensus(paths["study_consensus"])
        # The reports' project has suggestions, as a study has after `wei-qual suggest`: the methods
        # passage evaluates them against consensus and gives each coder's acceptance.
        subprocess.run(
            [WQ, "suggest", "--db", str(paths["study_consensus"])], check=True, capture_output=True
        )
        build_study_project(paths["study_empty"], coders=0)  # same transcripts (same seed), no decisions
        conn = sqlite3.connect(paths["study"])
        rows = conn.execute(
            "SELECT s.transcript_id, s.n, d.coder_id, d.codes FROM decisions d JOIN segments s "
            "ON s.id = d.segment_id ORDER BY d.coder_id, s.transcript_id, s.n"
        ).fetchall()
        conn.close()
        with open(paths["csv"], "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["transcript", "segment", "coder", "codes", "note"])
            for t, n, coder, codes in rows:
                out.writerow([t, n, coder, ";".join(json.loads(codes)), ""])
    return paths


def corpus(rebuild: bool) -> Path:
    from make_corpus import generate_corpus

    folder = OUT / "corpus"
    if rebuild or not (folder / "participants.csv").exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate_corpus(folder)
    return folder


def suggest_project(rebuild: bool, folder: Path) -> Path:
    """The corpus ingested, with the study codebook loaded."""
    db = OUT / "suggest.db"
    if rebuild or not db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        run_once(
            [WQ, "ingest", str(folder), "--attributes", str(folder / "participants.csv"), "--db", str(db)]
        )
        run_once([WQ, "codebook", "load", str(CODEBOOK), "--db", str(db)])
    return db


def _script(name: str, code: str) -> Path:
    path = OUT / name
    path.write_text(code, encoding="utf-8")
    return path


def _fresh_copy(source: Path, target: Path):
    def copy():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copy(source, target)

    return copy


def _remove(*paths: Path):
    def remove():
        for p in paths:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{p}{suffix}").unlink(missing_ok=True)

    return remove


# ---------------------------------------------------------------------------------------------- groups


def bench_help(runs: int, _rebuild: bool) -> None:
    compare("wei-qual --help", [WQ, "--help"], [PY, "-c", "pass"], runs, limit=0.15)


def bench_reports(runs: int, rebuild: bool) -> None:
    db = study(rebuild)["study_consensus"]
    read = _script(
        "raw_read.py", f"import sqlite3, sys\nsqlite3.connect(sys.argv[1]).execute({READ_SQL!r}).fetchall()\n"
    )
    baseline = [PY, str(read), str(db)]
    out = OUT / "report-out"
    out.mkdir(exist_ok=True)
    cases = {
        "report themes --source majority --by role": ["themes", "--source", "majority", "--by", "role"],
        "report themes --by role --by setting --format json": [
            "themes",
            "--by",
            "role",
            "--by",
            "setting",
            "--format",
            "json",
        ],
        "report themes --by role -o themes.xlsx": ["themes", "--by", "role", "-o", str(out / "themes.xlsx")],
        "report cooccurrence --format csv": ["cooccurrence", "--format", "csv"],
        "report quotes --by role --format md": ["quotes", "--by", "role", "--format", "md"],
        "report matrix -o matrix.csv": ["matrix", "-o", str(out / "matrix.csv")],
        "report matrix --source majority": ["matrix", "--source", "majority"],
        "report saturation": ["saturation"],
        "report compare --kind all": ["compare", "--source", "majority"],
    }
    for label, args in cases.items():
        if args[0] == "compare":
            continue  # needs document segments; the study project has none (see docs/documents.md)
        compare(label, [WQ, "report", *args, "--db", str(db)], baseline, runs, limit=0.5)
    compare(
        "report html --by role -o report.html",
        [WQ, "report", "html", "--by", "role", "-o", str(out / "report.html"), "--db", str(db)],
        baseline,
        runs,
        limit=0.8,
    )


def bench_methods(runs: int, rebuild: bool) -> None:
    paths = study(rebuild)
    read = _script(
        "raw_read.py", f"import sqlite3, sys\nsqlite3.connect(sys.argv[1]).execute({READ_SQL!r}).fetchall()\n"
    )
    db = paths["study_consensus"]
    # A report subcommand, so held to the reports' 0.5 s, although it does agree's work (1 s) and more.
    compare(
        "report methods",
        [WQ, "report", "methods", "--db", str(db)],
        [PY, str(read), str(db)],
        runs,
        limit=0.5,
    )
    db = paths["study"]
    compare(  # no target of its own: the figure behind report methods
        "agree --diagnostics",
        [WQ, "agree", "--diagnostics", "--format", "json", "--db", str(db)],
        [PY, str(read), str(db)],
        runs,
    )


def bench_agree(runs: int, rebuild: bool) -> None:
    db = study(rebuild)["study"]
    read = _script(
        "raw_read.py", f"import sqlite3, sys\nsqlite3.connect(sys.argv[1]).execute({READ_SQL!r}).fetchall()\n"
    )
    compare(
        "agree (40 codes, 1,000-draw CIs)",
        [WQ, "agree", "--bootstrap", "1000", "--format", "json", "--db", str(db)],
        [PY, str(read), str(db)],
        runs,
        limit=1.0,
    )


def bench_decisions(runs: int, rebuild: bool) -> None:
    paths = study(rebuild)
    target = OUT / "import.db"
    insert = _script(
        "executemany.py",
        """import csv, json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
ids = {(t, n): i for i, t, n in conn.execute("SELECT id, transcript_id, n FROM segments")}
version = conn.execute("SELECT id FROM codebooks WHERE active = 1").fetchone()[0]
with open(sys.argv[2], newline="", encoding="utf-8") as f:
    rows = [(ids[(r["transcript"], int(r["segment"]))], r["coder"],
             json.dumps(sorted(c for c in r["codes"].split(";") if c)), r["note"], version, "2026-01-01T00:00:00Z")
            for r in csv.DictReader(f)]
conn.execute("BEGIN IMMEDIATE")
conn.executemany("INSERT OR IGNORE INTO coders (id, created_utc) VALUES (?, '2026-01-01T00:00:00Z')",
                 [(c,) for c in {r[1] for r in rows}])
conn.executemany("INSERT INTO decisions (segment_id, coder_id, codes, note, codebook_id, decided_utc) "
                 "VALUES (?, ?, ?, ?, ?, ?)", rows)
conn.execute("COMMIT")
""",
    )
    rows = paths["csv"].read_text(encoding="utf-8").count("\n") - 1
    compare(
        f"decisions import ({rows:,} rows)",
        [WQ, "decisions", "import", str(paths["csv"]), "--db", str(target)],
        [PY, str(insert), str(target), str(paths["csv"])],
        runs,
        before=_fresh_copy(paths["study_empty"], target),
        limit=2.0,
    )


def bench_ingest(runs: int, rebuild: bool) -> None:
    folder = corpus(rebuild)
    target = OUT / "ingest.db"
    split = _script(
        "read_split.py",
        """import re, sys, zipfile
from pathlib import Path
line = re.compile(r"\\r?\\n")
words = 0
for path in sorted(Path(sys.argv[1]).iterdir()):
    if path.suffix == ".docx":  # the text of a .docx is its XML: read it as a zip member
        text = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    words += sum(len(part.split()) for part in line.split(text))
""",
    )
    compare(
        "ingest (120 files, 1.2 M words, PII gate on)",
        [WQ, "ingest", str(folder), "--attributes", str(folder / "participants.csv"), "--db", str(target)],
        [PY, str(split), str(folder)],
        runs,
        before=_remove(target),
        limit=3.0,
    )


_SPACY_BASELINE = """import sqlite3, sys
import spacy, yaml
from spacy.matcher import PhraseMatcher
texts = [r[0] for r in sqlite3.connect(sys.argv[1]).execute(
    "SELECT text FROM segments WHERE role = 'participant' ORDER BY transcript_id, n")]
def keywords(codes):
    for code in codes:
        yield from code.get("keywords", [])
        yield from keywords(code.get("children", []))
words = sorted(set(keywords(yaml.safe_load(open(sys.argv[2], encoding="utf-8"))["codes"])))
nlp = spacy.blank("en")
nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
nlp.initialize()
matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
matcher.add("KW", [nlp.make_doc(k) for k in words])
found = 0
for doc in nlp.pipe(texts, batch_size=256, n_process=int(sys.argv[3])):
    found += len(matcher(doc))
"""


def bench_suggest(runs: int, rebuild: bool) -> None:
    db = suggest_project(rebuild, corpus(rebuild))
    base = _script("spacy_baseline.py", _SPACY_BASELINE)
    compare(
        "suggest (1.13 M participant words, stored)",
        [WQ, "suggest", "--db", str(db)],
        [PY, str(base), str(db), str(CODEBOOK), "1"],
        runs,
        ratio=0.8,
    )


def bench_jobs(runs: int, rebuild: bool) -> None:
    db = suggest_project(rebuild, corpus(rebuild))
    compare(
        "suggest --jobs 2 vs suggest --jobs 1",
        [WQ, "suggest", "--jobs", "2", "--db", str(db)],
        [WQ, "suggest", "--db", str(db)],
        runs,
    )


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_code(runs: int, rebuild: bool) -> None:
    """Time to the first screen of `wei-qual code` in a pseudo-terminal (pexpect), and save -> next screen.

    CPU time of the session is read from /proc when its first screen is complete; the baseline's after it
    exits (resource usage of children)."""
    import pexpect

    db = study(rebuild)["study"]
    firsts, bases, first_cpu, base_cpu = [], [], [], []
    for _ in range(runs):
        t = time.perf_counter()
        child = pexpect.spawn(
            WQ,
            ["code", "--coder", "newcoder", "--db", str(db)],
            dimensions=(40, 120),
            encoding="utf-8",
            timeout=30,
        )
        child.expect("s skip")  # the key help closes the first screen
        firsts.append(time.perf_counter() - t)
        first_cpu.append(_proc_cpu(child.pid))
        child.sendline("q")
        child.expect(pexpect.EOF)
        child.close()
        cpu, t = _cpu(), time.perf_counter()
        child = pexpect.spawn(PY, ["-c", "print('s skip')"], encoding="utf-8", timeout=30)
        child.expect("s skip")
        bases.append(time.perf_counter() - t)
        child.expect(pexpect.EOF)
        child.close()
        base_cpu.append(_cpu() - cpu)
    first, base = statistics.median(firsts), statistics.median(bases)
    print(
        f"{'code: first screen (pty)':<46} {first:7.3f} s ({statistics.median(first_cpu):6.3f} CPU)   "
        f"baseline (python prints) {base:7.3f} s ({statistics.median(base_cpu):6.3f} CPU)   "
        f"target <= 0.3 s: {'met' if first <= 0.3 else 'NOT met'}"
    )
    subprocess.run([PY, str(BENCH / "bench_code.py"), "--n", "300"], check=True)
    for size in ((24, 80), (40, 120)):
        _save_to_next(db, size, 40)


_ECHO_SCREEN = """import sys
screen = "\\n".join(f"line {i} of a screen" for i in range(20))
print(screen, "\\n> ", end="", flush=True)
for line in sys.stdin:
    print("Saved:" if not line.strip() else "Chosen:", screen, "\\n> ", end="", flush=True)
"""


def _save_to_next(db: Path, size: tuple[int, int], n: int) -> None:
    """Save -> next screen as a coder sees it: `wei-qual code` in a pseudo-terminal of `size` on a copy of the
    study (48 codes, long answers paged), codes typed then Enter, timed from the Enter that saves to the
    next prompt; beside a program that prints a screen for each line read (the terminal's own round trip)."""
    import pexpect

    def session(argv: list[str], copy: Path | None) -> tuple[list[float], float]:
        child = pexpect.spawn(argv[0], argv[1:], dimensions=size, encoding="utf-8", timeout=30)
        child.delaybeforesend = None  # pexpect waits 50 ms before each send by default
        child.expect_exact("> ")
        times = []
        cpu = _proc_cpu(child.pid)
        for _ in range(n):
            child.sendline("1 7 13")
            child.expect_exact("> ")
            t = time.perf_counter()
            child.sendline("")
            child.expect_exact("Saved:")
            child.expect_exact("> ")
            times.append(time.perf_counter() - t)
        cpu = (_proc_cpu(child.pid) - cpu) / n
        child.sendeof() if copy is None else child.sendline("q")
        child.expect(pexpect.EOF)
        child.close()
        return times, cpu

    copy = OUT / "code-session.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(db, copy)
    ours, ours_cpu = session([WQ, "code", "--coder", "benchcoder", "--db", str(copy)], copy)
    base, _ = session([PY, "-c", _ECHO_SCREEN], None)
    p95 = statistics.quantiles(ours, n=20)[-1]
    print(
        f"{f'code: save -> next screen {size[1]}x{size[0]} (pty)':<46} median {statistics.median(ours) * 1000:6.1f} ms,"
        f" p95 {p95 * 1000:6.1f} ms ({ours_cpu * 1000:5.1f} ms CPU a code-and-save)   baseline (a screen echoed) "
        f"median {statistics.median(base) * 1000:5.1f} ms, p95 {statistics.quantiles(base, n=20)[-1] * 1000:5.1f} ms"
        f"   target p95 <= 20 ms: {'met' if p95 <= 0.020 else 'NOT met'}"
    )


def bench_qdpx(runs: int, rebuild: bool) -> None:
    db = study(rebuild)["study"]
    qdpx, target = OUT / "study.qdpx", OUT / "qdpx-import.db"
    zip_texts = _script(
        "zip_texts.py",
        """import io, sqlite3, sys, zipfile
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
    for tid, text in sqlite3.connect(sys.argv[1]).execute("SELECT id, text FROM transcripts"):
        archive.writestr(f"sources/{tid}.txt", text)
""",
    )
    compare(
        "project export (study)",
        [WQ, "project", "export", str(qdpx), "--db", str(db)],
        [PY, str(zip_texts), str(db)],
        runs,
        before=_remove(qdpx),
        limit=5.0,
    )
    # The last run of the pair above may have been the baseline's, after removing the file.
    run_once([WQ, "project", "export", str(qdpx), "--db", str(db)], before=_remove(qdpx))

    def new_project() -> None:
        # The study's word lists say "they call him bed.", "we call him follow they." and "we call her
        # urban.", which the PII gate reads as nicknames, as it should: allowed as a team would, in the
        # project before the import.
        _remove(target)()
        run_once([WQ, "deid", "allow", "add", "bed", "follow", "urban", "--db", str(target)])

    compare(
        "project import (study)",
        [WQ, "project", "import", str(qdpx), "--db", str(target)],
        [PY, str(zip_texts), str(db)],
        runs,
        before=new_project,
        limit=5.0,
    )


_LEMMATIZE = """import sqlite3, sys
import spacy
texts = [r[0] for r in sqlite3.connect(sys.argv[1]).execute("SELECT text FROM segments ORDER BY id")]
nlp = spacy.blank("en")
nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
nlp.initialize()
tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=256))
"""


def bench_search(runs: int, rebuild: bool) -> None:
    """The first search of the study, which indexes its 36,000 segments, against reading the same texts
    and lemmatizing them with spaCy's blank English pipeline and lookup lemmas, nothing stored."""
    db = study(rebuild)["study"]
    target = OUT / "search.db"
    compare(
        "search, the first (indexes 36,000 segments)",
        [WQ, "search", "crisis unit", "--format", "json", "--db", str(target)],
        [PY, str(_script("lemmatize.py", _LEMMATIZE)), str(db)],
        runs,
        before=_fresh_copy(db, target),
    )


GROUPS = {
    "help": bench_help,
    "reports": bench_reports,
    "methods": bench_methods,
    "agree": bench_agree,
    "decisions": bench_decisions,
    "ingest": bench_ingest,
    "suggest": bench_suggest,
    "jobs": bench_jobs,
    "code": bench_code,
    "qdpx": bench_qdpx,
    "search": bench_search,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", help=f"any of: {', '.join(GROUPS)} (default: all)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="regenerate the inputs in bench/out/fresh")
    args = parser.parse_args()
    unknown = [g for g in args.groups if g not in GROUPS]
    if unknown:
        parser.error(f"unknown group {unknown[0]}; choose from {', '.join(GROUPS)}")
    OUT.mkdir(parents=True, exist_ok=True)
    # As installed by pip: the package's bytecode is compiled (PYTHONDONTWRITEBYTECODE would otherwise
    # make every fresh process compile wei_qual's modules from source, 0.07-0.14 s of each start-up).
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "wei_qual")], check=True)
    print(
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs; "
        f"median of {args.runs} fresh processes each\n"
    )
    for name in args.groups or GROUPS:
        GROUPS[name](args.runs, args.rebuild)
        args.rebuild = False
    print(f"\nload average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
