"""Benchmark `wei-qual agree` on the study-sized project (target: a few seconds for every coefficient
with bootstrap CIs).

Times the agree core (every coefficient for 40 codes + the exclusive group, with a 1,000-draw bootstrap
CI each) and compares it with the straightforward approach measured in the same run: resample the
units and call krippendorff.alpha once per draw. The straightforward approach is timed on a few codes
and a few hundred draws and extrapolated to every code x 1,000 draws (it would take minutes).

    python bench/bench_agree.py            # builds /tmp/wei-qual-bench-study.db once, then reuses it
    python bench/bench_agree.py --fresh    # rebuild the project first
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from study_project import build_study_project

from wei_qual import agree
from wei_qual.store import open_db

DB = Path("/tmp/wei-qual-bench-study.db")
DRAWS = 1000
BASELINE_CODES = 3
BASELINE_DRAWS = 100


CPU: dict[str, float] = {}


def _timed(fn, label: str = ""):
    """Wall seconds; the process CPU seconds go to CPU[label] (the bench machine may be shared)."""
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    CPU[label] = time.process_time() - cpu
    return value, time.perf_counter() - start


def main() -> None:
    if "--fresh" in sys.argv:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    if not DB.exists():
        summary, seconds = _timed(lambda: build_study_project(DB))
        print(f"built {DB}: {summary} in {seconds:.1f} s")
    db = open_db(DB)

    sel, t_load = _timed(lambda: agree.select(db), "load")
    result, t_units = _timed(
        lambda: agree.measure_units(sel, sel.units, bootstrap=DRAWS, seed=0, ci_method="units"), "units"
    )
    _, t_kalpha = _timed(
        lambda: agree.measure_units(sel, sel.units, bootstrap=DRAWS, seed=0, ci_method="kalpha"), "kalpha"
    )
    _, t_end_to_end = _timed(lambda: agree.measure(db, bootstrap=DRAWS, seed=0), "end")
    n_rows = len(result.codes) + len(result.groups)
    print(
        f"project: {len(sel.units):,} units, {len(sel.coders)} coders, {len(result.codes)} codes + "
        f"{len(result.groups)} exclusive group"
    )
    print("                                                  wall     CPU")
    print(f"load decisions and build units:                 {t_load:6.2f} s {CPU['load']:6.2f} s")
    print(f"coefficients + {DRAWS}-draw CI, method units:     {t_units:6.2f} s {CPU['units']:6.2f} s")
    print(f"coefficients + {DRAWS}-draw CI, method kalpha:    {t_kalpha:6.2f} s {CPU['kalpha']:6.2f} s")
    print(f"agree.measure end to end (load + units CIs):    {t_end_to_end:6.2f} s {CPU['end']:6.2f} s")

    # The straightforward approach: krippendorff.alpha on each resampled reliability matrix.
    import krippendorff

    decided = np.array([[u.codes[c] is not None for u in sel.units] for c in sel.coders])
    rng = np.random.default_rng(0)
    start, cpu = time.perf_counter(), time.process_time()
    for row in sel.rows[:BASELINE_CODES]:
        present = np.array(
            [[u.codes[c] is not None and row in u.codes[c] for u in sel.units] for c in sel.coders]
        )
        matrix = np.where(decided, present, np.nan)
        for _ in range(BASELINE_DRAWS):
            pick = rng.integers(0, matrix.shape[1], matrix.shape[1])
            krippendorff.alpha(reliability_data=matrix[:, pick], level_of_measurement="nominal")
    t_sample = time.perf_counter() - start
    cpu_per_draw = (time.process_time() - cpu) / (BASELINE_CODES * BASELINE_DRAWS)
    per_draw = t_sample / (BASELINE_CODES * BASELINE_DRAWS)
    t_naive = per_draw * n_rows * DRAWS
    print(
        f"straightforward: {per_draw * 1000:.1f} ms per krippendorff.alpha call "
        f"(measured on {BASELINE_CODES} codes x {BASELINE_DRAWS} draws = {t_sample:.1f} s)"
    )
    print(f"straightforward, extrapolated to {n_rows} rows x {DRAWS} draws: {t_naive:7.1f} s")
    print(
        f"speed-up, coefficients + CIs (units) vs straightforward: {t_naive / t_units:,.0f}x wall, "
        f"{cpu_per_draw * n_rows * DRAWS / CPU['units']:,.0f}x CPU"
    )
    print(
        f"target: agree end to end <= 5 s -> {'met' if t_end_to_end <= 5 else 'NOT met'} "
        f"({t_end_to_end:.2f} s wall, {CPU['end']:.2f} s CPU)"
    )


if __name__ == "__main__":
    main()
