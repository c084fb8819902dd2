"""Mutation testing of the core modules with mutmut, one module at a time with only its own tests.

    python tools/mutation.py                 # every module below (slow: see docs/development.md)
    python tools/mutation.py reliability agree

Each module is mutated in its own scratch copy of the repository under .mutation/NAME/ (mutmut works in
a mutants/ folder of the current directory and reads its settings from pyproject.toml there), at the
lowest CPU priority, one mutant at a time. The results go to .mutation/NAME/results.txt and a summary
of every module to .mutation/summary.md: killed, survived (with the diff of each survivor), and mutants
no test reaches. Needs the dev extra: pip install -e '.[dev]'.
"""

from __future__ import annotations

import argparse
import os
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
    "reliability": (["wei_qual/reliability.py"], ["tests/test_reliability.py"]),
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
            "tests/test_cli_agree.py",
            "tests/test_cli_reconcile.py",
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
        ],
    ),
    "session": (["wei_qual/session.py"], ["tests/test_session.py", "tests/test_cli_code.py"]),
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


def run(module: str) -> dict:
    """Mutate one module; return its counts, the survivors with their diffs, and the seconds it took."""
    work = _prepare(module)
    # The console script, not "python -m mutmut": its trampolines import mutmut.__main__, which must not
    # be a second copy of the running module.
    mutmut = [shutil.which("mutmut") or str(Path(sys.executable).parent / "mutmut")]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.monotonic()
    with open(work / "run.log", "w") as log:
        subprocess.run(
            ["nice", "-n", "19", *mutmut, "run", "--max-children", "1"],
            cwd=work,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    seconds = time.monotonic() - start
    listed = subprocess.run(
        [*mutmut, "results", "--all", "true"], cwd=work, env=env, capture_output=True, text=True, check=True
    ).stdout
    (work / "results.txt").write_text(listed)
    results = dict(re.findall(r"^\s+(\S+): (.+)$", listed, flags=re.MULTILINE))
    counts = {s: sum(v == s for v in results.values()) for s in STATUSES if s in results.values()}
    survivors = {}
    for name, status in sorted(results.items()):
        if status != "killed":
            shown = subprocess.run(
                [*mutmut, "show", name], cwd=work, env=env, capture_output=True, text=True, check=False
            ).stdout
            survivors[name] = (status, shown.strip())
    return {"module": module, "counts": counts, "survivors": survivors, "seconds": seconds}


def summary(reports: list[dict]) -> str:
    lines = [
        "| module | mutants | killed | survived | no tests | other | kill rate | minutes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        c = r["counts"]
        total = sum(c.values())
        other = total - c.get("killed", 0) - c.get("survived", 0) - c.get("no tests", 0)
        rate = c.get("killed", 0) / total if total else 0.0
        lines.append(
            f"| {r['module']} | {total} | {c.get('killed', 0)} | {c.get('survived', 0)} | "
            f"{c.get('no tests', 0)} | {other} | {rate:.1%} | {r['seconds'] / 60:.0f} |"
        )
    for r in reports:
        lines += ["", f"## {r['module']}: not killed", ""]
        for name, (status, diff) in r["survivors"].items():
            lines += [f"### {name} ({status})", "", "```diff", diff, "```", ""]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "modules", nargs="*", help=f"modules to mutate (default: all of {', '.join(MODULES)})"
    )
    names = parser.parse_args().modules or list(MODULES)
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        parser.error(f"unknown module {unknown[0]!r}: choose from {', '.join(MODULES)}")
    reports = []
    for name in names:
        print(f"mutating {name} ...", flush=True)
        reports.append(run(name))
        c = reports[-1]["counts"]
        print(f"  {c} in {reports[-1]['seconds'] / 60:.1f} min", flush=True)
    WORK.mkdir(exist_ok=True)
    (WORK / "summary.md").write_text(summary(reports), encoding="utf-8")
    print(f"summary: {WORK / 'summary.md'}")


if __name__ == "__main__":
    main()
