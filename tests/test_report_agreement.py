"""The HTML report's per-code alpha equals `wei-qual agree`'s (wei_qual.agree.measure), computed faster."""

from __future__ import annotations

import pytest
from test_report_project import build_report_project

from wei_qual.report.agreement import alpha_per_code, units_applied
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


def test_units_applied_and_the_too_few_bar_match_agree(db):
    # The chart coloured an α of 1.000 on one turn green (reliable) while agree says its verdict is "too few":
    # the same count decides both, and such a bar is grey and says so.
    import re

    from wei_qual.agree import measure
    from wei_qual.report.charts import agreement_chart
    from wei_qual.report.html import _agreement

    build_report_project(db)
    data = load_report_data(db, with_coders=True)
    theirs = measure(db, bootstrap=0)
    applied = units_applied(data)
    assert {c.code: applied[c.code] for c in theirs.codes} == {c.code: c.units_applied for c in theirs.codes}
    page = _agreement(alpha_per_code(data), {}, None, applied)
    bars = {
        code: fill for fill, code in re.findall(r'fill="(#[0-9a-f]{6})">\s*<title>[^<]*\((\S+)\): ', page)
    }
    assert bars == {c.code: "#b0b0b0" for c in theirs.codes if c.verdict == "too few"}
    # Two equal α of 1.000: the one on too few units is grey and labelled, the other green.
    svg = agreement_chart([("few", 1.0), ("many", 1.0)], None, {"few"})
    assert "<title>few: 1.000 (too few)" in svg and ">1.000 (too few)</text>" in svg
    assert re.search(r'fill="#b0b0b0">\s*<title>few:', svg) and re.search(
        r'fill="#55a868">\s*<title>many:', svg
    )
