"""The HTML report's per-code alpha equals `wei-qual agree`'s (wei_qual.agree.measure), computed faster."""

from __future__ import annotations

import pytest
from test_report_project import build_report_project

from wei_qual.report.agreement import alpha_per_code
from wei_qual.report.data import load_report_data


def test_alpha_per_code_matches_agree_measure(db):
    from wei_qual.agree import measure

    build_report_project(db)
    ours = alpha_per_code(load_report_data(db, with_coders=True))
    theirs = measure(db, bootstrap=0)
    assert [(code, units) for code, _, _, units in ours] == [(c.code, c.n_units) for c in theirs.codes]
    assert [alpha for _, _, alpha, _ in ours] == pytest.approx([c.alpha for c in theirs.codes])
    # Hand-checked: access-beds on P01:2 (1, 1, 0), P02:2 (0, 0), P03:2 (0, 0) gives 0.4.
    assert ours[0][:3] == ("access-beds", "CSU beds", pytest.approx(0.4))


def test_alpha_is_undefined_without_variation(db):
    build_report_project(db, coders=("consensus", "bob", "carol"))
    # Only P01:2 was decided by two coders (bob: beds, carol: followup); transport never applied.
    result = {code: alpha for code, _, alpha, _ in alpha_per_code(load_report_data(db, with_coders=True))}
    assert result["access-transport"] is None
