"""Benchmark `wei-qual codebook load` with a rename and a merge on the study-sized project.

The load validates the file, stores the version and moves every affected decision (codes, accepted and
shown lists, one audit row each) in one transaction. The baseline, measured in the same run on a copy of
the same project, is the straightforward approach through the public store API: read every decision and
re-save the affected ones with save_decision (one audited write each). Also times `codebook validate`
of the 40-code starter codebook against plain yaml.safe_load of the same text.

    python bench/bench_codebook.py            # builds /tmp/wei-qual-bench-codebook.db once, then reuses it
    python bench/bench_codebook.py --fresh    # rebuild the project first
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from study_project import build_study_project

from wei_qual.codebook import load_into_project, validate_codebook_file
from wei_qual.store import open_db, transaction
from wei_qual.store.decisions import iter_decisions, save_decision

DB = Path("/tmp/wei-qual-bench-codebook.db")
STARTER = Path(__file__).resolve().parent.parent / "codebooks" / "wei_crisis_response.yaml"
RENAME, MERGE, TARGET = ("csu-1", "csu-first"), "csu-2", "csu-3"


def _timed(fn):
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - start, time.process_time() - cpu


def _v2_yaml(v1_text: str) -> str:
    """The study codebook with RENAME renamed and MERGE merged into TARGET."""
    data = yaml.safe_load(v1_text)
    for theme in data["codes"]:
        kids = []
        for child in theme.get("children", []):
            if child["id"] == RENAME[0]:
                child = {**child, "id": RENAME[1], "renamed_from": RENAME[0]}
            elif child["id"] == MERGE:
                child = {"id": MERGE, "merged_into": TARGET}
            kids.append(child)
        theme["children"] = kids
    return yaml.safe_dump(data, sort_keys=False)


def _copy(tmp: Path, name: str) -> Path:
    path = tmp / name
    shutil.copy(DB, path)
    return path


def main() -> None:
    if "--fresh" in sys.argv or not DB.exists():
        DB.unlink(missing_ok=True)
        print("building the study project ...", file=sys.stderr)
        build_study_project(DB)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = open_db(_copy(tmp, "load.db"))
        v1 = next(iter(db.query("SELECT yaml FROM codebooks WHERE active = 1")))["yaml"]
        v2 = tmp / "v2.yaml"
        v2.write_text(_v2_yaml(v1), encoding="utf-8")
        n_decisions = next(iter(db.query("SELECT COUNT(*) AS n FROM decisions")))["n"]
        result, wall, cpu = _timed(lambda: load_into_project(db, v2, actor="bench"))
        moved = sum(result.renamed.values()) + sum(result.merged.values())
        db.close()

        base = open_db(_copy(tmp, "baseline.db"))
        mapping = {RENAME[0]: RENAME[1], MERGE: TARGET}

        def baseline() -> int:
            count = 0
            with transaction(base):
                for d in iter_decisions(base):
                    if d.codes & mapping.keys():
                        new = frozenset(mapping.get(c, c) for c in d.codes)
                        save_decision(
                            base, dataclasses.replace(d, codes=new, decided_utc=None), actor="bench"
                        )
                        count += 1
            return count

        base_moved, base_wall, base_cpu = _timed(baseline)
        base.close()

    text = STARTER.read_text(encoding="utf-8")
    validate_codebook_file(STARTER)  # warm up: the first call imports spaCy
    problems, _v_wall, v_cpu = _timed(lambda: validate_codebook_file(STARTER))
    _, _y_wall, y_cpu = _timed(lambda: yaml.safe_load(text))

    print(
        f"project: {n_decisions} decisions; {base_moved} hold a renamed or merged code "
        f"({moved} code occurrences moved by the load)"
    )
    print(f"codebook load (rename + merge): {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(f"baseline save_decision loop:    {base_wall:.2f} s wall, {base_cpu:.2f} s CPU")
    print(f"ratio baseline / load (CPU):    {base_cpu / cpu:.1f}x")
    print(
        f"validate starter codebook ({len(problems)} problems): {v_cpu * 1000:.0f} ms CPU; "
        f"yaml.safe_load alone: {y_cpu * 1000:.0f} ms CPU; ratio {v_cpu / y_cpu:.1f}x"
    )


if __name__ == "__main__":
    main()
