"""Mutation testing of the core modules with mutmut, one module at a time with only its own tests.

    python tools/mutation.py                    # every mutant of every module below (hours)
    python tools/mutation.py reliability agree  # two modules
    python tools/mutation.py --sample 150       # a seeded random sample of 150 mutants per module

Each module is mutated in its own scratch copy of the repository under .mutation/NAME/ (mutmut works in
a mutants/ folder of the current directory and reads its settings from pyproject.toml there), at the
lowest CPU priority, one mutant at a time. The results go to .mutation/NAME/results.txt and a summary
of every module to .mutation/summary.md: killed, survived (with the diff of each survivor), and mutants
no test reaches. Needs the dev extra: pip install -e '.[dev]'.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
COPIED = ["wei_qual", "tests", "codebooks", "transcripts_sample", "README.md", "docs"]

# Module -> (the files mutated, the tests that judge them). The tests are those of the module's own
# behaviour: the other ~1,300 tests would only slow every mutant down.
MODULES: dict[str, tuple[list[str], list[str]]] = {
    "reliability": (
        ["wei_qual/reliability.py"],
        ["tests/test_reliability.py", "tests/test_reliability_batched.py", "tests/test_agree.py"],
    ),
    "agree": (
        [
            f"wei_qual/agree/{m}.py"
            for m in (
                "consensus",
                "disagreements",
                "groups",
                "matrix",
                "result",
                "run",
                "selection",
                "strata",
            )
        ],
        [
            "tests/test_agree.py",
            "tests/test_agree_diagnostics.py",
            "tests/test_cli_agree.py",
            "tests/test_cli_reconcile.py",
            "tests/test_documents.py",
            "tests/test_report_fast_paths.py",
        ],
    ),
    "report": (
        ["wei_qual/report/data.py", "wei_qual/report/themes.py"],
        [
            "tests/test_report_themes.py",
            "tests/test_report_fast_paths.py",
            "tests/test_report_participants.py",
            "tests/test_cli_report.py",
            "tests/test_report_project.py",
            "tests/test_report_methods.py",
            "tests/test_report_saturation.py",
            "tests/test_report_html.py",
            "tests/test_documents.py",
        ],
    ),
    "packet": (
        ["wei_qual/packet.py", "wei_qual/store/packets.py"],
        ["tests/test_packets.py", "tests/test_cli_packets.py", "tests/security/test_packet_trust.py"],
    ),
    "ingest-gate-roles": (
        ["wei_qual/ingest/gate.py", "wei_qual/ingest/roles.py"],
        [
            "tests/test_deid_gate.py",
            "tests/test_ingest_files.py",
            "tests/test_roles.py",
            "tests/test_cli_roles.py",
            "tests/test_ingest.py",
            "tests/test_ingest_layouts.py",
        ],
    ),
    "decisions": (
        ["wei_qual/store/decisions.py"],
        [
            "tests/test_store.py",
            "tests/test_session.py",
            "tests/test_cli_decisions.py",
            "tests/test_decisions_io.py",
            "tests/test_agree.py",
            "tests/test_packets.py",
            "tests/test_cli_code.py",
            "tests/test_cli_packets.py",
            "tests/test_concurrency.py",
            "tests/test_report_themes.py",
            "tests/test_report_methods.py",
            "tests/test_documents.py",
            "tests/test_coders.py",
            "tests/test_excerpts.py",
            "tests/test_memos.py",
            "tests/test_retrieve.py",
            "tests/test_search.py",
            "tests/test_report_saturation.py",
        ],
    ),
    "session": (
        ["wei_qual/session.py"],
        [
            "tests/test_session.py",
            "tests/test_session_desk.py",
            "tests/test_session_lazy.py",
            "tests/test_cli_code.py",
            "tests/test_cli_learned.py",
            "tests/test_drafts.py",
            "tests/test_excerpts.py",
            "tests/test_memos.py",
        ],
    ),
}
# mutmut 3.3 (the newest 3.x that installs beside irrCAC's coverage pin) reads item._nodeid, which
# pytest 9 no longer has: give every test item that name again, in the scratch copy only.
SHIM = """

def pytest_collection_modifyitems(items):  # added by tools/mutation.py for mutmut 3.3
    for item in items:
        item._nodeid = item.nodeid
"""
STATUSES = ("killed", "survived", "no tests", "timeout", "suspicious", "skipped", "segfault", "not checked")


def _config(module: str) -> str:
    """The [tool.mutmut] table for one module: mutate only its files, run only its tests."""
    files, tests = MODULES[module]
    keep = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "wei_qual").rglob("*.py"))
    skip = [p for p in keep if p not in files]
    return (
        "\n[tool.mutmut]\n"
        'paths_to_mutate = ["wei_qual/"]\n'
        f"do_not_mutate = {skip!r}\n"
        f"tests_dir = {tests!r}\n"
        'also_copy = ["codebooks/", "transcripts_sample/", "README.md", "docs/"]\n'
    ).replace("'", '"')


def _prepare(module: str) -> Path:
    work = WORK / module
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
        else:
            shutil.copy(source, work / name)
    with open(work / "tests" / "conftest.py", "a", encoding="utf-8") as conftest:
        conftest.write(SHIM)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (work / "pyproject.toml").write_text(text + _config(module), encoding="utf-8")
    return work


# Two bugs of mutmut 3.3.1 made most of the first runs' timeouts, and this launcher (what the console
# script does, with both mended) fixes them. A mutant may run 15 times its tests' usual time plus 15 s;
# but mutmut kept each test's teardown time as its "usual time" (about 0: every mutant got 15 s), and
# its checker compared each running mutant with the estimate of every other mutant of the same file.
LAUNCHER = """
import os, signal, sys
from datetime import datetime
from time import sleep
import mutmut
import mutmut.__main__ as m


class Durations:  # a test's time is its set-up, call and teardown, not the teardown alone
    def __init__(self):
        self.total = {}

    def pytest_runtest_logreport(self, report):  # after mutmut's makereport hook of the same phase
        self.total[report.nodeid] = self.total.get(report.nodeid, 0.0) + report.duration
        mutmut.duration_by_test[report.nodeid] = self.total[report.nodeid]


execute_pytest = m.PytestRunner.execute_pytest


def timed_pytest(self, params, **kwargs):
    if kwargs.get("plugins"):  # the stats run, which times every test
        kwargs["plugins"] = [*kwargs["plugins"], Durations()]
    return execute_pytest(self, params, **kwargs)


m.PytestRunner.execute_pytest = timed_pytest

def timeout_checker(mutants):
    files = list({id(data): data for data, _, _ in mutants}.values())
    def check():
        while True:
            sleep(1)
            now = datetime.now()
            for data in files:
                with m.START_TIMES_BY_PID_LOCK:
                    started = dict(data.start_time_by_pid)
                for pid, start in started.items():
                    estimate = data.estimated_time_of_tests_by_pid.get(pid, 0)
                    if (now - start).total_seconds() > (estimate + 1) * 15:
                        try:
                            os.kill(pid, signal.SIGXCPU)
                        except ProcessLookupError:
                            pass
    return check

m.timeout_checker = timeout_checker
sys.argv[0] = "mutmut"
sys.exit(m.cli())
"""


def _mutmut() -> list[str]:
    # mutmut.__main__ imported by name, never run as "python -m mutmut": its trampolines import
    # mutmut.__main__, which must not be a second copy of the running module.
    return [sys.executable, "-c", LAUNCHER]


ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def _results(work: Path) -> dict[str, str]:
    """Mutant name -> status ("killed", "survived", "no tests", "not checked", ...)."""
    listed = subprocess.run(
        [*_mutmut(), "results", "--all", "true"],
        cwd=work,
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(re.findall(r"^\s+(\S+): (.+)$", listed, flags=re.MULTILINE))


def _previous(module: str) -> tuple[list[str], dict[str, str], int]:
    """The last run's sample, its statuses and how many mutants the module had."""
    work = WORK / module
    names = (work / "sample.txt").read_text().split()
    listed = (work / "results.txt").read_text()
    statuses = dict(re.findall(r"^\s+(\S+): (.+)$", listed, flags=re.MULTILINE))
    return names, {n: statuses[n] for n in names}, int((work / "population.txt").read_text())


def run(module: str, *, sample: int = 0, seed: int = 0, children: int = 1, rerun: bool = False) -> dict:
    """Mutate one module (every mutant, or a seeded random sample of them; with `rerun`, only the last
    sample's mutants that were not killed, after tests were added); return its counts, the survivors
    with their diffs, and the seconds it took."""
    before = _previous(module) if rerun else None
    work = _prepare(module)
    if before is not None:  # the last run's record stays on disk until this run replaces it
        (work / "sample.txt").write_text("\n".join(before[0]) + "\n")
        (work / "population.txt").write_text(str(before[2]))
        (work / "results.txt").write_text("".join(f"    {n}: {s}\n" for n, s in sorted(before[1].items())))
    nice = ["nice", "-n", "19", *_mutmut(), "run", "--max-children", str(children)]
    start = time.monotonic()
    with open(work / "run.log", "w") as log:
        if sample or rerun:
            # Generate the mutants and map tests to functions; the unknown name then stops mutmut.
            subprocess.run([*nice, "no-such-mutant"], cwd=work, env=ENV, stdout=log, stderr=log, check=False)
            names = sorted(_results(work))
            if not names:
                sys.exit(f"mutmut made no mutants of {module}: see {work / 'run.log'}")
            if before is not None:
                chosen = before[0]
                # Timeouts too: on a busy machine a mutant that changes nothing can run out of time.
                again = [n for n in chosen if before[1][n] != "killed"]
            else:
                chosen = again = random.Random(seed).sample(names, min(sample, len(names)))
            (work / "sample.txt").write_text("\n".join(sorted(chosen)) + "\n")
            (work / "population.txt").write_text(str(len(names)))
            done = subprocess.run([*nice, *again], cwd=work, env=ENV, stdout=log, stderr=log, check=False)
        else:
            done = subprocess.run(nice, cwd=work, env=ENV, stdout=log, stderr=log, check=False)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"mutmut failed on {module} (exit {done.returncode}): see {work / 'run.log'}")
    kept = {n: s for n, s in before[1].items() if s == "killed"} if before else {}
    report = collect(module, seconds, only=set(chosen) if (sample or rerun) else None, kept=kept)
    report["population"] = len(names) if (sample or rerun) else sum(report["counts"].values())
    return report


def collect(module: str, seconds: float, *, only: set[str] | None = None, kept: dict | None = None) -> dict:
    """The results of a finished run (of the mutants in `only`, when a sample ran): counts, and the diff
    of every mutant that was not killed."""
    work = WORK / module
    mutmut, env = _mutmut(), ENV
    listed = subprocess.run(
        [*mutmut, "results", "--all", "true"], cwd=work, env=env, capture_output=True, text=True, check=True
    ).stdout
    (work / "results.txt").write_text(listed)
    results = dict(re.findall(r"^\s+(\S+): (.+)$", listed, flags=re.MULTILINE))
    if only is not None:
        results = {name: status for name, status in results.items() if name in only}
    results.update(kept or {})  # a rerun keeps the last run's killed mutants
    (work / "results.txt").write_text("".join(f"    {n}: {s}\n" for n, s in sorted(results.items())))
    counts = {s: sum(v == s for v in results.values()) for s in STATUSES if s in results.values()}
    survivors = {}
    for name, status in sorted(results.items()):
        if status in ("survived", "timeout", "suspicious", "segfault"):  # a diff for each that matters
            shown = subprocess.run(
                [*mutmut, "show", name], cwd=work, env=env, capture_output=True, text=True, check=False
            ).stdout
            survivors[name] = (status, shown.strip())
        elif status != "killed":  # "no tests": no test of the module runs that function
            survivors[name] = (status, "")
    return {"module": module, "counts": counts, "survivors": survivors, "seconds": seconds}


def _wilson(killed: int, n: int) -> tuple[float, float]:
    """95% Wilson interval of a kill rate measured on a sample of n mutants."""
    if not n:
        return (0.0, 0.0)
    z, p = 1.96, killed / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return (centre - half, centre + half)


def summary(reports: list[dict]) -> str:
    lines = [
        "| module | mutants | run | killed | survived | no tests | other | kill rate (95% CI) | minutes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        c = r["counts"]
        total = sum(c.values())
        killed = c.get("killed", 0)
        other = total - killed - c.get("survived", 0) - c.get("no tests", 0)
        low, high = _wilson(killed, total)
        lines.append(
            f"| {r['module']} | {r['population']} | {total} | {killed} | {c.get('survived', 0)} | "
            f"{c.get('no tests', 0)} | {other} | {killed / total if total else 0:.1%} ({low:.0%}–{high:.0%}) | "
            f"{r['seconds'] / 60:.0f} |"
        )
    for r in reports:
        lines += ["", f"## {r['module']}: not killed", ""]
        for name, (status, diff) in r["survivors"].items():
            lines += [f"### {name} ({status})", ""] + (["```diff", diff, "```", ""] if diff else [])
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "modules", nargs="*", help=f"modules to mutate (default: all of {', '.join(MODULES)})"
    )
    parser.add_argument(
        "--sample", type=int, default=0, help="a seeded random sample of N mutants per module"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample")
    parser.add_argument("--children", type=int, default=1, help="mutants tested at once (default 1)")
    parser.add_argument(
        "--rerun", action="store_true", help="test again the last sample's mutants that were not killed"
    )
    parser.add_argument(
        "--summary", type=Path, default=WORK / "summary.md", help="where to write the summary"
    )
    args = parser.parse_args()
    names = args.modules or list(MODULES)
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        parser.error(f"unknown module {unknown[0]!r}: choose from {', '.join(MODULES)}")
    reports = []
    WORK.mkdir(exist_ok=True)
    for name in names:
        print(f"mutating {name} ...", flush=True)
        reports.append(
            run(name, sample=args.sample, seed=args.seed, children=args.children, rerun=args.rerun)
        )
        c = reports[-1]["counts"]
        print(f"  {c} of {reports[-1]['population']} in {reports[-1]['seconds'] / 60:.1f} min", flush=True)
        args.summary.write_text(summary(reports), encoding="utf-8")  # after each module
    print(f"summary: {args.summary}")


if __name__ == "__main__":
    main()
