"""Hand-written mutants of the statistics researchers publish: each plants one plausible bug (a
denominator off by one, < for <=, the wrong coder's margins, a threshold moved, a missing value taken for
an empty decision) in a scratch copy, runs that module's own tests, and says whether they caught it.

    python tools/hand_mutants.py                      # every mutant below (about 15 minutes)
    python tools/hand_mutants.py agree                # one module's
    python tools/hand_mutants.py reliability ac1_q    # some mutants by name

Complements tools/mutation.py (mutmut's generated mutants, sampled): these are the mutations that would
change a published number, chosen by hand. The working tree is never touched: the repository's
wei_qual/ and tests/ are copied to a temporary folder, one mutant at a time at the lowest CPU priority.
A survivor listed in EQUIVALENT changes nothing observable (the reason is given); any other survivor
is a missing test. Exit status 1 when one is left.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = {
    "reliability": ["tests/test_reliability.py", "tests/test_reliability_batched.py"],
    "agree": [
        "tests/test_agree.py",
        "tests/test_agree_diagnostics.py",
        "tests/test_cli_agree.py",
        "tests/test_cli_reconcile.py",
        "tests/test_report_methods.py",  # the methods passage: thin coders, single-coded copies
    ],
    "report": [
        "tests/test_report_themes.py",
        "tests/test_report_fast_paths.py",
        "tests/test_report_participants.py",
    ],
}
# module -> (name, file, text, replacement): the text occurs exactly once in the file.
MUTANTS: dict[str, list[tuple[str, str, str, str]]] = {
    "reliability": [
        (
            "pairable_ge1",
            "wei_qual/reliability.py",
            "return counts[counts.sum(axis=1) >= 2]",
            "return counts[counts.sum(axis=1) >= 1]",
        ),
        (
            "alpha_defined_ge1",
            "wei_qual/reliability.py",
            "int((pairable.sum(axis=0) > 0).sum()) >= 2",
            "int((pairable.sum(axis=0) > 0).sum()) >= 1",
        ),
        (
            "unit_coinc_m",
            "wei_qual/reliability.py",
            "return outer / (m - 1)[:, None, None]",
            "return outer / m[:, None, None]",
        ),
        (
            "alpha_coinc_n",
            "wei_qual/reliability.py",
            "d_e = (expected * delta).sum(axis=(-1, -2)) / (n - 1)",
            "d_e = (expected * delta).sum(axis=(-1, -2)) / n",
        ),
        (
            "alpha_coinc_de_ge",
            "wei_qual/reliability.py",
            "return np.where(d_e > 0, 1.0 - d_o",
            "return np.where(d_e >= 0, 1.0 - d_o",
        ),
        (
            "binary_o01_m",
            "wei_qual/reliability.py",
            "o01 = (a * absent / (m - 1)).sum()",
            "o01 = (a * absent / m).sum()",
        ),
        (
            "binary_pairable_ge3",
            "wei_qual/reliability.py",
            "    pairable = decided >= 2\n    a, m =",
            "    pairable = decided >= 3\n    a, m =",
        ),
        (
            "pa_rated_ge2",
            "wei_qual/reliability.py",
            "    rated = r >= 1\n    pi = ",
            "    rated = r >= 2\n    pi = ",
        ),
        (
            "pa_denominator",
            "wei_qual/reliability.py",
            "/ (r[two] * (r[two] - 1))).mean())",
            "/ (r[two] * r[two])).mean())",
        ),
        (
            "pi_weighting",
            "wei_qual/reliability.py",
            "pi = (counts[rated] / r[rated][:, None]).mean(axis=0)",
            "pi = counts[rated].sum(axis=0) / r[rated].sum()",
        ),
        (
            "ac1_q",
            "wei_qual/reliability.py",
            "return _chance_corrected(pa, float((pi * (1 - pi)).sum() / (q - 1)))",
            "return _chance_corrected(pa, float((pi * (1 - pi)).sum() / q))",
        ),
        (
            "ac1_q_coeffs",
            "wei_qual/reliability.py",
            '"gwet_ac1": _chance_corrected(pa, float((pi * (1 - pi)).sum() / (q - 1)))',
            '"gwet_ac1": _chance_corrected(pa, float((pi * (1 - pi)).sum() / (len(enc.categories) - 1)))',
        ),
        (
            "fleiss_coeffs_pe",
            "wei_qual/reliability.py",
            '"fleiss_kappa": _chance_corrected(pa, float((pi**2).sum()))',
            '"fleiss_kappa": _chance_corrected(pa, float((pi**2).sum() / pi.sum()))',
        ),
        (
            "bp_coeffs",
            "wei_qual/reliability.py",
            '"brennan_prediger": _chance_corrected(pa, 1.0 / q)',
            '"brennan_prediger": _chance_corrected(pa, 1.0 / len(enc.categories))',
        ),
        (
            "chance_eps",
            "wei_qual/reliability.py",
            "if math.isnan(pa) or not (1.0 - pe) > 1e-12:",
            "if math.isnan(pa) or not (1.0 - pe) > -1:",
        ),
        (
            "n_categories_given",
            "wei_qual/reliability.py",
            "    return len(given)\n",
            "    return len(enc.categories)\n",
        ),
        (
            "cohen_marginals",
            "wei_qual/reliability.py",
            "np.outer(p.sum(axis=1), p.sum(axis=0))",
            "np.outer(p.sum(axis=1), p.sum(axis=1))",
        ),
        (
            "cohen_both_or",
            "wei_qual/reliability.py",
            "both = (codes[0] >= 0) & (codes[1] >= 0)",
            "both = (codes[0] >= 0) | (codes[1] >= 0)",
        ),
        ("cohen_seen_one", "wei_qual/reliability.py", "    seen[codes[1][both]] = True\n", ""),
        (
            "cohen_expected_eps",
            "wei_qual/reliability.py",
            "if not expected > 1e-12:",
            "if not expected > -1:",
        ),
        (
            "mean_pairwise_first",
            "wei_qual/reliability.py",
            "for a, b in combinations(range(enc.n_coders), 2)\n    ]",
            "for a, b in list(combinations(range(enc.n_coders), 2))[:1]\n    ]",
        ),
        (
            "mean_pairwise_nan",
            "wei_qual/reliability.py",
            "defined = [v for v in values if not math.isnan(v)]",
            "defined = [0.0 if math.isnan(v) else v for v in values]",
        ),
        (
            "ci_tail",
            "wei_qual/reliability.py",
            "tail = (1 - CI_LEVEL) / 2 * 100",
            "tail = (1 - CI_LEVEL) * 100",
        ),
        (
            "pct_virtual",
            "wei_qual/reliability.py",
            "virtual = (n - 1) * np.true_divide",
            "virtual = n * np.true_divide",
        ),
        (
            "pct_gamma",
            "wei_qual/reliability.py",
            "return np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)",
            "return np.where(gamma > 0.5, b - diff * (1 - gamma), a + diff * gamma)",
        ),
        (
            "pct_lower_only",
            "wei_qual/reliability.py",
            "return np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)",
            "return np.where(gamma >= 0.5, b, a)",
        ),
        (
            "undef_max_ge",
            "wei_qual/reliability.py",
            "if defined.size == 0 or undefined > UNDEFINED_MAX * n:",
            "if defined.size == 0 or undefined >= UNDEFINED_MAX * n:",
        ),
        (
            "undef_warn_ge",
            "wei_qual/reliability.py",
            "    if share > UNDEFINED_WARN:\n",
            "    if share >= UNDEFINED_WARN:\n",
        ),
        (
            "undef_max_reason_ge",
            "wei_qual/reliability.py",
            "    if share > UNDEFINED_MAX:\n",
            "    if share >= UNDEFINED_MAX:\n",
        ),
        (
            "boot_units_u",
            "wei_qual/reliability.py",
            "weights = rng.multinomial(u, freq / u, size=n)",
            "weights = rng.multinomial(len(profiles), freq / u, size=n)",
        ),
        (
            "boot_units_u_minus1",
            "wei_qual/reliability.py",
            "weights = rng.multinomial(u, freq / u, size=n)",
            "weights = rng.multinomial(u - 1, freq / u, size=n)",
        ),
        (
            "kalpha_low",
            "wei_qual/reliability.py",
            "low = ordered[min(max(int(0.025 * b) - 1, 0), b - 1)]",
            "low = ordered[min(max(int(0.025 * b), 0), b - 1)]",
        ),
        (
            "kalpha_high",
            "wei_qual/reliability.py",
            "high = ordered[min(int(0.975 * b), b - 1)]",
            "high = ordered[min(int(0.975 * b) - 1, b - 1)]",
        ),
        (
            "kalpha_de",
            "wei_qual/reliability.py",
            "d_e = (expected * delta).sum() / total\n",
            "d_e = (expected * delta).sum() / (total - 1)\n",
        ),
        (
            "kalpha_25",
            "wei_qual/reliability.py",
            "n_pairs = int(min(25 * np.count_nonzero",
            "n_pairs = int(min(20 * np.count_nonzero",
        ),
        (
            "kalpha_coders",
            "wei_qual/reliability.py",
            "(n_coders - 1) * total / 2))",
            "n_coders * total / 2))",
        ),
        (
            "kalpha_offdiag",
            "wei_qual/reliability.py",
            "p = np.where(upper[0] == upper[1], 1.0, 2.0) * o[upper] / total",
            "p = np.where(upper[0] == upper[1], 1.0, 1.0) * o[upper] / total",
        ),
        (
            "kalpha_clamp",
            "wei_qual/reliability.py",
            "alphas = np.maximum(1.0 - sums / (d_e * n_pairs), -1.0)",
            "alphas = 1.0 - sums / (d_e * n_pairs)",
        ),
        (
            "kalpha_one_diag",
            "wei_qual/reliability.py",
            "if nonzero_diagonal == 1:",
            "if nonzero_diagonal <= 1:",
        ),
        (
            "kalpha_pairs_half",
            "wei_qual/reliability.py",
            "pairs_in_data = float((pairable.sum(axis=1) * (pairable.sum(axis=1) - 1) / 2).sum())",
            "pairs_in_data = float((pairable.sum(axis=1) * (pairable.sum(axis=1) - 1)).sum())",
        ),
        (
            "kalpha_min_zero",
            "wei_qual/reliability.py",
            "to_zero = np.flatnonzero(perfect)[: min(expected_perfect, int(perfect.sum()))]",
            "to_zero = np.flatnonzero(perfect)[:expected_perfect - 1]",
        ),
        (
            "pooled_keep_ge1",
            "wei_qual/reliability.py",
            "    keep = decided >= 2\n    a = applied",
            "    keep = decided >= 1\n    a = applied",
        ),
        ("binint_keep", "wei_qual/reliability.py", "keep = decided[:, 0] >= 2", "keep = decided[:, 0] >= 3"),
        ("binint_m1", "wei_qual/reliability.py", "    m1 = decided - 1\n", "    m1 = decided\n"),
        ("pooled_o01", "wei_qual/reliability.py", "lambda: a * absent / m1,", "lambda: a * absent / m,"),
        (
            "presence_pairs",
            "wei_qual/reliability.py",
            "pairs = paired[:, :, 0], paired[:, :, 1], (np.maximum(r2, 2) - 1)[:, None]",
            "pairs = paired[:, :, 0], paired[:, :, 1], np.maximum(r2, 2)[:, None]",
        ),
        (
            "presence_rated",
            "wei_qual/reliability.py",
            "two, rated = r >= 2, r >= 1",
            "two, rated = r >= 2, r >= 2",
        ),
        (
            "nominal_alpha_n",
            "wei_qual/reliability.py",
            "np.divide(np.outer(n_v, n_v) - np.diagflat(n_v), n_v.sum() - 1)",
            "np.divide(np.outer(n_v, n_v) - np.diagflat(n_v), n_v.sum())",
        ),
        (
            "presence_n01",
            "wei_qual/reliability.py",
            "n01 = np.count_nonzero(pb, axis=0) - n11",
            "n01 = np.count_nonzero(pa, axis=0) - n11",
        ),
        (
            "presence_seen_any",
            "wei_qual/reliability.py",
            "    if not all(seen):\n",
            "    if not any(seen):\n",
        ),
        (
            "check_draws_max",
            "wei_qual/reliability.py",
            "    if n > MAX_BOOTSTRAP:\n",
            "    if n >= MAX_BOOTSTRAP:\n",
        ),
        (
            "warn_ge",
            "wei_qual/reliability.py",
            "if result.undefined > UNDEFINED_WARN * result.draws:",
            "if result.undefined >= UNDEFINED_WARN * result.draws:",
        ),
        (
            "ordinal_half",
            "wei_qual/reliability.py",
            "return (between - (n_v[..., lo] + n_v[..., hi]) / 2) ** 2",
            "return (between - (n_v[..., lo] + n_v[..., hi]) / 3) ** 2",
        ),
        (
            "ratio_total",
            "wei_qual/reliability.py",
            "diff, total = np.subtract.outer(domain, domain), np.add.outer(domain, domain)",
            "diff, total = np.subtract.outer(domain, domain), np.add.outer(domain, domain) + 1",
        ),
        (
            "encode_lookup_low",
            "wei_qual/reliability.py",
            "return _Encoded(codes, [v + low for v in present.tolist()])",
            "return _Encoded(codes, [v for v in present.tolist()])",
        ),
        (
            "coeffs_n_units",
            "wei_qual/reliability.py",
            '"n_units": int(pairable.shape[0]),',
            '"n_units": int(enc.counts.shape[0]),',
        ),
        (
            "presence_pi_rated",
            "wei_qual/reliability.py",
            "pi_block = (counts[rated] / r[rated][:, None, None]).mean(axis=0) if rated.any() else None",
            "pi_block = (counts[two] / r[two][:, None, None]).mean(axis=0) if two.any() else None",
        ),
        (
            "presence_defined_or",
            "wei_qual/reliability.py",
            "defined = len(values) == 2 and bool(both_values[b])",
            "defined = len(values) == 2",
        ),
    ],
    "agree": [
        (
            "sel_min_coders",
            "wei_qual/agree/selection.py",
            "if not got or len(got) < min_coders:",
            "if not got or len(got) <= min_coders:",
        ),
        (
            "sel_single_copy_count",
            "wei_qual/agree/selection.py",
            "key in copied and len(got or ()) + 1 >= min_coders:",
            "key in copied and len(got or ()) >= min_coders:",
        ),
        (
            "sel_copied_counted",
            "wei_qual/agree/selection.py",
            "            copied[(transcript, n)] = coder\n            continue\n",
            "            copied[(transcript, n)] = coder\n",
        ),
        (
            "sel_default_rationale_or",
            "wei_qual/agree/selection.py",
            "seen[coder] = seen.get(coder, True) and has_rationale",
            "seen[coder] = seen.get(coder, False) or has_rationale",
        ),
        (
            "sel_attr_order",
            "wei_qual/agree/selection.py",
            "attrs = merged[who] = {**attributes.get(transcript, {}), **speakers.get(who, {})}",
            "attrs = merged[who] = {**speakers.get(who, {}), **attributes.get(transcript, {})}",
        ),
        (
            "sel_thin_and",
            "wei_qual/agree/selection.py",
            "return [c for c, n in counts.items() if n < FEW_UNITS and 5 * n < units]",
            "return [c for c, n in counts.items() if n < FEW_UNITS or 5 * n < units]",
        ),
        (
            "sel_thin_le",
            "wei_qual/agree/selection.py",
            "return [c for c, n in counts.items() if n < FEW_UNITS and 5 * n < units]",
            "return [c for c, n in counts.items() if n <= FEW_UNITS and 5 * n <= units]",
        ),
        (
            "sel_leaf_rows",
            "wei_qual/agree/selection.py",
            "leaf_ids = [c.id for c in codebook.codes if not codebook.children(c.id)]",
            "leaf_ids = [c.id for c in codebook.codes]",
        ),
        (
            "sel_groups_and",
            "wei_qual/agree/selection.py",
            "if children and (parent in selected or selected & set(children))",
            "if children and (parent in selected and selected & set(children))",
        ),
        (
            "sel_wanted_skip",
            "wei_qual/agree/selection.py",
            "            if wanted is not None and transcript not in wanted:\n                continue\n            last_transcript",
            "            last_transcript",
        ),
        (
            "strata_missing",
            "wei_qual/agree/strata.py",
            "value: [u for u in units if (u.attributes.get(by) or MISSING_ATTRIBUTE) == value] for value in values",
            "value: [u for u in units if u.attributes.get(by) == value] for value in values",
        ),
        (
            "dis_all_equal",
            "wei_qual/agree/disagreements.py",
            "if decided.count(decided[0]) == len(decided):",
            "if decided.count(decided[0]) >= 2:",
        ),
        (
            "dis_relevant_ignored",
            "wei_qual/agree/disagreements.py",
            "codes if relevant is None else codes & relevant for codes",
            "codes for codes",
        ),
        (
            "dis_undecided_empty",
            "wei_qual/agree/disagreements.py",
            "codes if relevant is None else codes & relevant for codes in unit.codes.values() if codes is not None",
            "(codes or frozenset()) if relevant is None else (codes or frozenset()) & relevant for codes in unit.codes.values()",
        ),
        (
            "diag_high_gt",
            "wei_qual/agree/diagnostics.py",
            'flag = "more" if exact >= HIGH_RATIO else "less" if exact <= LOW_RATIO else None',
            'flag = "more" if exact > HIGH_RATIO else "less" if exact < LOW_RATIO else None',
        ),
        (
            "diag_others_decided",
            "wei_qual/agree/diagnostics.py",
            "others_decided = int(total_decided - n_decided[i])",
            "others_decided = int(total_decided)",
        ),
        (
            "diag_others_applied",
            "wei_qual/agree/diagnostics.py",
            "mine, others = int(applied[i, j]), int(total_applied[j] - applied[i, j])",
            "mine, others = int(applied[i, j]), int(total_applied[j])",
        ),
        (
            "diag_min_units_le",
            "wei_qual/agree/diagnostics.py",
            "            if n_decided[i] < MIN_UNITS:\n",
            "            if n_decided[i] <= MIN_UNITS:\n",
        ),
        (
            "diag_alone_flag",
            "wei_qual/agree/diagnostics.py",
            'flag = "more" if mine and others_decided else None',
            'flag = "more" if mine else None',
        ),
        (
            "diag_ratio_swap",
            "wei_qual/agree/diagnostics.py",
            "exact = Fraction(mine * others_decided, int(n_decided[i]) * others)",
            "exact = Fraction(mine * int(n_decided[i]), others_decided * others)",
        ),
        (
            "diag_presence_undecided",
            "wei_qual/agree/diagnostics.py",
            "applied = presence & decided[:, :, None]  # coders x units x rows",
            "applied = presence  # coders x units x rows",
        ),
        (
            "diag_incomparable_one_way",
            "wei_qual/agree/diagnostics.py",
            "    incomparable &= incomparable.T\n",
            "",
        ),
        (
            "diag_either",
            "wei_qual/agree/diagnostics.py",
            "either = alone[:, None] + alone[None, :] - with_both",
            "either = alone[:, None] + alone[None, :]",
        ),
        (
            "diag_sort",
            "wei_qual/agree/diagnostics.py",
            "return sorted(out, key=lambda c: (-c.units, -(c.share or 0), c.a, c.b))",
            "return sorted(out, key=lambda c: (-c.units, c.a, c.b))",
        ),
        (
            "diag_unit_time_min",
            "wei_qual/agree/diagnostics.py",
            "    return max(times) if times else None",
            "    return min(times) if times else None",
        ),
        (
            "diag_batch_label",
            "wei_qual/agree/diagnostics.py",
            'groups.append((f"units {start + 1}–{last}" if last > start + 1 else f"unit {last}", part))',
            'groups.append((f"units {start}–{last}" if last > start + 1 else f"unit {last}", part))',
        ),
        (
            "diag_week_iso",
            "wei_qual/agree/diagnostics.py",
            "    year, week, _ = day.isocalendar()\n",
            "    year, week = day.year, int(day.strftime('%U'))\n",
        ),
        ("diag_min_units_rates", "wei_qual/agree/diagnostics.py", "MIN_UNITS = 20\n", "MIN_UNITS = 19\n"),
        (
            "mx_varying_lt",
            "wei_qual/agree/matrix.py",
            "return counts[:, (applied > 0) & (applied < sizes.sum())], sizes",
            "return counts[:, (applied > 0) & (applied <= sizes.sum())], sizes",
        ),
        (
            "mx_varying_zero",
            "wei_qual/agree/matrix.py",
            "return counts[:, (applied > 0) & (applied < sizes.sum())], sizes",
            "return counts[:, (applied >= 0) & (applied < sizes.sum())], sizes",
        ),
        (
            "mx_prevalence",
            "wei_qual/agree/matrix.py",
            "prevalence = values.present / values.size if values.size else math.nan",
            "prevalence = values.present / n_units if values.size else math.nan",
        ),
        (
            "mx_applied_undecided",
            "wei_qual/agree/matrix.py",
            "applied = (presence & decided[:, :, None]).sum(axis=(0, 1))",
            "applied = presence.sum(axis=(0, 1))",
        ),
        (
            "mx_rows_of_members",
            "wei_qual/agree/matrix.py",
            "        for member in sel.members[row]:\n",
            "        for member in [row]:\n",
        ),
    ],
    "report": [
        (
            "rule_two_union",
            "wei_qual/report/data.py",
            "if len(sets) <= 2:  # more than half",
            "if len(sets) <= 1:  # more than half",
        ),
        (
            "rule_three",
            "wei_qual/report/data.py",
            "return (a & b) | (a & c) | (b & c)",
            "return (a & b) | (a & c)",
        ),
        ("rule_need", "wei_qual/report/data.py", "need = len(sets) // 2 + 1", "need = len(sets) // 2"),
        (
            "rule_need_ge",
            "wei_qual/report/data.py",
            "return frozenset(c for c, k in counts.items() if k >= need)",
            "return frozenset(c for c, k in counts.items() if k > need)",
        ),
        (
            "agreed_codes_union",
            "wei_qual/report/data.py",
            "return {key: sets[0].intersection(*sets[1:]) for key",
            "return {key: sets[0].union(*sets[1:]) for key",
        ),
        (
            "group_missing",
            "wei_qual/report/data.py",
            'return MISSING if value in (None, "") else value',
            "return MISSING if value is None else value",
        ),
        (
            "ancestors_self",
            "wei_qual/report/data.py",
            "            chain.append(cur)\n            seen.add(cur)\n",
            "            if cur != code.id:\n                chain.append(cur)\n            seen.add(cur)\n",
        ),
        (
            "transcripts_count",
            "wei_qual/report/data.py",
            "return len({t for t, _ in self.participants})",
            "return len(self.participants)",
        ),
        (
            "participant_segments",
            "wei_qual/report/data.py",
            "participant_segments=len(rows),",
            "participant_segments=len(applied),",
        ),
        (
            "several_gt",
            "wei_qual/report/data.py",
            "several=frozenset(t for t, speakers in speakers_of.items() if len(speakers) > 1),",
            "several=frozenset(t for t, speakers in speakers_of.items() if len(speakers) >= 1),",
        ),
        (
            "rule_alone_any",
            "wei_qual/report/data.py",
            "if any(len(decided) > 1 for decided in texts.values()):",
            "if all(len(decided) > 1 for decided in texts.values()):",
        ),
        ("group_sizes_count", "wei_qual/report/data.py", "sizes[g] = sizes.get(g, 0) + 1", "sizes[g] = 1"),
        (
            "attrs_kind_filter",
            "wei_qual/report/data.py",
            "attributes = {t: v for t, v in attributes.items() if (t in documents) == (kind == DOCUMENT_KIND)}",
            "attributes = {t: v for t, v in attributes.items()}",
        ),
    ],
}
EQUIVALENT = {
    "fleiss_coeffs_pe": "the propensities sum to 1, so dividing by their sum changes only rounding",
    "chance_eps": "with two or more observed categories every chance term is below 1",
    "cohen_expected_eps": "two or more categories on the shared units make the expected disagreement positive",
    "kalpha_one_diag": "with no agreeing value no draw is perfect, so there is nothing to zero",
    "presence_seen_any": "a 2 x 2 table with one value has no expected disagreement: nan either way",
    "sel_wanted_skip": "the units loop leaves out the other transcripts again",
    "diag_alone_flag": "every unit has two deciding coders, so the others always decided some",
    "mx_applied_undecided": "presence is already false where a coder did not decide",
    "rule_two_union": "a majority of two coders is both of them: the general rule gives the intersection",
}


def run(module: str, names: set[str], timeout: int) -> list[str]:
    """Survivors that are not known to be equivalent."""
    missing = []
    with tempfile.TemporaryDirectory(prefix="wq-hand-mutants-") as scratch:
        work = Path(scratch)
        for folder in ("wei_qual", "tests", "codebooks", "transcripts_sample", "docs"):
            shutil.copytree(ROOT / folder, work / folder, symlinks=True)
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(ROOT / name, work)
        env = {**os.environ, "PYTHONPATH": str(work)}
        for name, path, old, new in MUTANTS[module]:
            if names and name not in names:
                continue
            target = work / path
            original = target.read_text()
            if original.count(old) != 1:
                print(f"{module} {name}: the text to mutate is no longer in {path} once: update the mutant")
                missing.append(name)
                continue
            target.write_text(original.replace(old, new))
            start = time.monotonic()
            try:
                done = subprocess.run(
                    [
                        "nice",
                        "-n",
                        "19",
                        sys.executable,
                        "-m",
                        "pytest",
                        "-q",
                        "-x",
                        "-p",
                        "no:cacheprovider",
                        *TESTS[module],
                    ],
                    check=False,
                    cwd=work,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                )
                status = "killed" if done.returncode else "SURVIVED"
            except subprocess.TimeoutExpired:
                status = "timeout"
            finally:
                target.write_text(original)
            note = ""
            if status == "SURVIVED":
                note = f" (equivalent: {EQUIVALENT[name]})" if name in EQUIVALENT else " <- missing test"
                if name not in EQUIVALENT:
                    missing.append(name)
            print(f"{module} {name}: {status} in {time.monotonic() - start:.0f} s{note}", flush=True)
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", nargs="?", choices=sorted(MUTANTS), help="one module (default: all)")
    parser.add_argument("names", nargs="*", help="only these mutants")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per mutant (default 300)")
    args = parser.parse_args()
    missing = []
    for module in [args.module] if args.module else list(MUTANTS):
        missing += run(module, set(args.names), args.timeout)
    print(f"{len(missing)} mutant(s) without a test" + (f": {', '.join(missing)}" if missing else ""))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
