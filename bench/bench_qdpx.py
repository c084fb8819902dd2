"""Bench for `wei-qual project export` and `project import` on the study-sized project (target: each <= 5 s).

Builds the project of bench/study_project.py once (120 transcripts, 3 coders, 40 codes, ~54,000 decisions),
then runs each command in a fresh `wei-qual` process (Python start-up and imports included), --repeat
times, and in the same run times the baseline: zipping the same source texts (the .txt files the export
writes) with zipfile at the default deflate level. Wall and CPU (user + sys of the child) are reported.

    python bench/bench_qdpx.py [--repeat 3] [--project /tmp/wei-qual-bench-study.db] [--fresh]
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from study_project import build_study_project

PROJECT = Path("/tmp/wei-qual-bench-study.db")


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one fresh wei-qual process; exits on failure."""
    cpu0, t0 = _child_cpu(), time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "wei_qual", *args], capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, _child_cpu() - cpu0
    if done.returncode != 0:
        sys.exit(f"wei-qual {' '.join(args)} failed:\n{done.stderr}")
    return wall, cpu


def zip_texts(qdpx: Path) -> tuple[float, float]:
    """(wall, CPU) of zipping the source texts held in the .qdpx, read into memory first."""
    with zipfile.ZipFile(qdpx) as archive:
        texts = {n: archive.read(n) for n in archive.namelist() if n.startswith("sources/")}
    cpu0, t0 = time.process_time(), time.perf_counter()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in texts.items():
            archive.writestr(name, data)
    Path(tempfile.gettempdir(), "wei-qual-bench-texts.zip").write_bytes(buffer.getvalue())
    return time.perf_counter() - t0, time.process_time() - cpu0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--project", type=Path, default=PROJECT)
    parser.add_argument("--fresh", action="store_true", help="rebuild the study project")
    opts = parser.parse_args()
    if opts.fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{opts.project}{suffix}").unlink(missing_ok=True)
    if not opts.project.exists():
        t0 = time.perf_counter()
        summary = build_study_project(opts.project)
        print(f"built {opts.project} in {time.perf_counter() - t0:.1f} s: {summary}")
    work = Path(tempfile.mkdtemp(prefix="wei-qual-bench-qdpx-"))
    out = work / "study.qdpx"
    rows: dict[str, list[tuple[float, float]]] = {"export": [], "import": [], "zip": []}
    for i in range(opts.repeat):
        out.unlink(missing_ok=True)
        rows["export"].append(run(["project", "export", str(out), "--db", str(opts.project)]))
        rows["zip"].append(zip_texts(out))
        target = work / f"copy{i}.db"
        rows["import"].append(run(["project", "import", str(out), "--db", str(target), "--format", "json"]))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    size = out.stat().st_size
    texts = sum(1 for n in zipfile.ZipFile(out).namelist() if n.startswith("sources/"))
    print(f"{texts} source texts; .qdpx {size / 1e6:.1f} MB; median of {opts.repeat} runs, fresh processes")
    zip_wall = statistics.median(w for w, _ in rows["zip"])
    zip_cpu = statistics.median(c for _, c in rows["zip"])
    print(f"{'step':<34}{'wall s':>8}{'CPU s':>8}{'x zip (CPU)':>13}  target 5 s")
    print(f"{'zip the same texts (baseline)':<34}{zip_wall:>8.2f}{zip_cpu:>8.2f}{1:>13.1f}")
    for step in ("export", "import"):
        wall = statistics.median(w for w, _ in rows[step])
        cpu = statistics.median(c for _, c in rows[step])
        ok = "ok" if wall <= 5 else "OVER"
        print(
            f"{'wei-qual project ' + step:<34}{wall:>8.2f}{cpu:>8.2f}{cpu / max(zip_cpu, 1e-9):>13.1f}  {ok}"
        )
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
