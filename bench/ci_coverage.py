"""How often the 95% bootstrap intervals of Krippendorff's alpha cover the true alpha: a simulation.

Coders code the presence (1) or absence (0) of one code. Each unit's true value is 1 with probability
`prevalence`; a coder reports the true value with probability `r` and otherwise a fresh random value
drawn with the same prevalence (a coder who guesses), so every coder has the same margins and the
population alpha is r^2 (checked here on 400,000 units). For each setting (coders, units) the script
draws `--reps` samples, computes the interval with --ci-method units and with --ci-method kalpha
(1,000 draws each, as `wei-qual agree` does), and reports the share of intervals that contain the
population alpha (coverage; 95% is the target) and their median width. Undefined draws are counted.

    python bench/ci_coverage.py              # 400 samples per setting (a few minutes on 2 cores)
    python bench/ci_coverage.py --reps 100   # a quick look

The figures are quoted in docs/agreement.md.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from wei_qual.reliability import bootstrap_interval, krippendorff_alpha

SETTINGS = [(2, 20), (2, 50), (2, 200), (2, 1000), (3, 20), (3, 50), (3, 200), (3, 1000)]  # (coders, units)


def simulate(rng, coders: int, units: int, prevalence: float, r: float) -> np.ndarray:
    truth = rng.random(units) < prevalence
    copy = rng.random((coders, units)) < r
    guess = rng.random((coders, units)) < prevalence
    return np.where(copy, truth, guess).astype(float)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=400)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--prevalence", type=float, default=0.2)
    parser.add_argument("--r", type=float, default=0.85, help="chance a coder reports the true value")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    true_alpha = args.r**2
    check = krippendorff_alpha(simulate(rng, 3, 400_000, args.prevalence, args.r))
    print(f"population alpha r^2 = {true_alpha:.4f}; alpha of 400,000 simulated units: {check:.4f}")
    print(f"prevalence {args.prevalence}, {args.reps} samples per setting, {args.draws} bootstrap draws\n")
    print("| coders | units | method | coverage | median width | undefined draws (mean) |")
    print("|---:|---:|---|---:|---:|---:|")
    start = time.perf_counter()
    for coders, units in SETTINGS:
        results = {"units": [], "kalpha": []}
        for rep in range(args.reps):
            data = simulate(rng, coders, units, args.prevalence, args.r)
            for method, rows in results.items():
                ci = bootstrap_interval(data, n=args.draws, seed=rep, method=method)
                rows.append((ci.low, ci.high, ci.undefined))
        for method, rows in results.items():
            arr = np.array(rows, dtype=float)
            defined = ~np.isnan(arr[:, 0])
            covered = (arr[defined, 0] <= true_alpha) & (true_alpha <= arr[defined, 1])
            width = np.median(arr[defined, 1] - arr[defined, 0])
            print(
                f"| {coders} | {units} | {method} | {100 * covered.mean():.1f}% | {width:.3f} | "
                f"{arr[:, 2].mean():.1f} |"
            )
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
