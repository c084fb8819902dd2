"""The self-contained HTML report: sections, charts, escaping, nothing external."""

from __future__ import annotations

import re
from collections import Counter

import krippendorff
import numpy as np
import pytest
from test_report_project import build_report_project

from wei_qual.models import Code, Codebook
from wei_qual.report.data import load_report_data
from wei_qual.report.html import build_html
from wei_qual.store import memory_db, transaction
from wei_qual.store.codebooks import save_codebook_version


@pytest.fixture(scope="module")
def page():
    """Built once for every test of the page."""
    db = memory_db()
    build_report_project(db)
    return build_html(load_report_data(db, with_coders=True))


def test_page_has_every_section_and_four_inline_svg_charts(page):
    assert page.startswith("<!doctype html>\n")
    for section in ("summary", "agreement", "frequency", "cooccurrence", "themes", "saturation", "quotes"):
        assert f'<section id="{section}">' in page
    assert page.count("<svg ") == 4
    assert "<dt>Participants by role</dt><dd>officer 3, provider 2</dd>" in page


def test_study_summary_counts_the_fixture_by_hand(page):
    # Five transcripts of one participant each, two participant turns each (10); the consensus decided
    # P01:2, P01:3, P02:2, P03:2, P03:3, P04:2 and P05:2 (7; its P01:1 is the interviewer's).
    start = page.index('<section id="summary">')
    summary = page[start : page.index("</section>", start)]
    assert re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", summary) == [
        ("Codebook", "crisis (version 1, 4 codes and themes)"),
        ("Transcripts", "5 in the project, 5 with coded segments"),
        (
            "Participants",
            "5 with coded segments, in 5 transcripts (each participant speaker of a transcript counts once)",
        ),
        ("Participant segments", "10 in the project, 7 coded (source: consensus)"),
        ("Independent coders", "alice, bob, carol"),
        ("Participants by role", "officer 3, provider 2"),
    ]


def _titles(section: str) -> list[str]:
    return re.findall(r"<title>([^<]*)</title>", section)


def _section(page: str, name: str, following: str) -> str:
    return page[page.index(f'<section id="{name}">') : page.index(f'<section id="{following}">')]


def test_frequency_chart_splits_by_role_with_the_consensus_counts(page):
    # Worked from the fixture's consensus: access is raised by officer P01 (1 of 3) and providers P03 and
    # P04 (2 of 2); follow-up by officer P02 (1 of 3) and provider P04 (1 of 2). Role is the default split.
    chart = _section(page, "frequency", "cooccurrence")
    assert _titles(chart) == [
        "Access to resources, officer (n=3): 33.3%",
        "Access to resources, provider (n=2): 100%",
        "Follow-up care, officer (n=3): 33.3%",
        "Follow-up care, provider (n=2): 50%",
    ]
    # Bars are drawn to scale: 0% at x = 152.8 and 100% at x = 592.8.
    widths = [float(w) for w in re.findall(r'<rect x="152.8" y="[\d.]+" width="([\d.]+)"', chart)]
    assert widths == pytest.approx([4.4 * 33.3, 440, 4.4 * 33.3, 220], abs=0.1)


# The independent coders' presence/absence matrices over the three segments decided by two or more of
# them (P01:2 by alice, bob and carol; P02:2 and P03:2 by alice and bob), written out by hand.
N = None
AGREEMENT = {
    "access-beds": ("CSU beds", [[1, 0, 0], [1, 0, 0], [0, N, N]]),
    "access-transport": ("Transport", [[1, 0, 1], [0, 0, 0], [0, N, N]]),
    "followup": ("Follow-up care", [[0, 1, 0], [0, 1, 0], [1, N, N]]),
}


def test_agreement_chart_shows_each_codes_alpha_to_scale(page):
    chart = _section(page, "agreement", "frequency")
    alphas = {}
    for code, (name, matrix) in AGREEMENT.items():
        data = np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)
        alphas[code] = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert alphas == pytest.approx({"access-beds": 0.4, "access-transport": -0.2, "followup": 0.5})
    titles = [re.sub(r" \(95% CI [^)]*\)$", "", t) for t in _titles(chart)]  # the CI: another test
    # Each code is on one or two of the three units: no verdict's colour, and the label says why.
    few = {code for code, (_, m) in AGREEMENT.items() if sum(1 in column for column in zip(*m)) < 3}
    assert few == set(AGREEMENT)
    assert titles == [
        f"{name} ({code}): {alphas[code]:.3f} (too few)" for code, (name, _) in AGREEMENT.items()
    ]
    rows = re.findall(
        r'<tr><td>([^<]+)</td><td>([^<]+)</td><td class="num">([^<]+)</td><td>[^<]*</td>'
        r'<td class="num">(\d+)</td>',
        chart,
    )
    assert [(code, name, float(alpha), int(units)) for code, name, alpha, units in rows] == [
        (code, name, pytest.approx(alphas[code], abs=0.0005), 3) for code, (name, _) in AGREEMENT.items()
    ]
    # Drawn to scale: the axis ticks give where 0 and 1 are; each bar runs from 0 to its alpha, and the
    # dashed lines stand at .667 and .800.
    ticks = {float(v): float(x) for x, v in re.findall(r'<text x="([\d.]+)" y="99">(-?[\d.]+)</text>', chart)}
    zero, unit = ticks[0.0], ticks[1.0] - ticks[0.0]
    bars = [
        tuple(map(float, b))
        for b in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="13"', chart)
    ]
    assert bars == [
        (pytest.approx(zero + unit * min(a, 0), abs=0.1), pytest.approx(unit * abs(a), abs=0.1))
        for a in alphas.values()
    ]
    lines = [float(x) for x in re.findall(r'<path d="M([\d.]+),24 L[\d.]+,84" stroke="#333333"', chart)]
    assert lines == pytest.approx([zero + unit * 0.667, zero + unit * 0.8], abs=0.1)
    assert "over 3 participant segments decided by at least two independent coders" in chart
    # Three decimals everywhere, and the 95% CI that `wei-qual agree` gives (same units, draws and seed).
    assert (
        '<td>access-beds</td><td>CSU beds</td><td class="num">0.400</td><td>-0.333–0.400</td>'
        '<td class="num">3</td>' in chart
    )
    assert "<title>CSU beds (access-beds): 0.400 (too few) (95% CI -0.333–0.400)</title>" in chart
    assert ">0.400 (too few)</text>" in chart and ">-0.200 (too few)</text>" in chart


def test_the_charts_ci_and_values_are_those_of_agree(db):
    from wei_qual.agree import measure
    from wei_qual.report.agreement import alpha_intervals

    build_report_project(db)
    ours, notes = alpha_intervals(load_report_data(db, with_coders=True), bootstrap=500, seed=7)
    theirs = measure(db, bootstrap=500, seed=7)
    assert ours == {c.code: tuple(c.alpha_ci) for c in theirs.codes}
    assert notes == [(c.code, c.ci_note) for c in theirs.codes if c.ci_note] and notes


def test_alpha_zero_is_a_bar_with_its_label_and_values_have_three_decimals():
    from wei_qual.report.charts import agreement_chart

    svg = agreement_chart(
        [("zero (z)", 0.0), ("one (o)", 1.0), ("none (n)", None)], [(-0.2, 0.3), None, None]
    )
    assert ">0.000</text>" in svg and ">1.000</text>" in svg and ">n/a</text>" in svg
    zero_bar = re.search(
        r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="13"[^>]*>\s*<title>zero \(z\): 0\.000', svg
    )
    assert zero_bar and float(zero_bar.group(2)) >= 1.5  # drawn, not zero pixels wide
    assert "<title>zero (z): 0.000 (95% CI -0.200–0.300)</title>" in svg
    whiskers = re.search(r'<g stroke="#1f2328" stroke-width="1.2">(.*?)</g>', svg, re.DOTALL)
    assert whiskers and whiskers.group(1).count("<path") == 3  # one interval: the line and its two caps


def test_transcript_text_is_escaped(page):
    assert "<script" not in page
    assert "We wait | and wait [inaudible] &lt;script&gt;alert(1)&lt;/script&gt; for a bed." in page


def test_page_loads_nothing_from_outside(page):
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; ' in page
    assert not re.search(r"<(link|img|iframe|object|embed|script)\b", page)
    assert not re.search(r"(src|href)=\"(?!#)", page)
    assert not re.search(r"url\((?!#)", page) and "@import" not in page and "@font-face" not in page


def test_element_ids_are_unique(page):
    ids = Counter(re.findall(r'\bid="([^"]+)"', page))
    assert ids and max(ids.values()) == 1
    refs = set(re.findall(r'(?:url\(#|href="#)([^")]+)', page))
    assert refs <= set(ids)


def test_code_names_in_charts_are_escaped_and_not_parsed_as_math(db):
    build_report_project(db)
    with transaction(db):
        save_codebook_version(
            db,
            Codebook(
                "crisis",
                "2",
                codes=(
                    Code("access", "Costs $5 <cheap> & [x]"),
                    Code("access-beds", "Beds", parent="access"),
                    Code("access-transport", "Transport", parent="access"),
                    Code("followup", "Follow-up"),
                ),
            ),
            "name: crisis\nversion: 2\n",
        )
    page = build_html(load_report_data(db, with_coders=True), by=["setting"])
    chart = page[page.index('<section id="frequency">') : page.index('<section id="cooccurrence">')]
    assert "Costs $5 &lt;cheap&gt; &amp; [x]" in chart
    assert _titles(chart) == [  # rural P01 and P03 raise access; P04, with no setting, raises both
        "Costs $5 &lt;cheap&gt; &amp; [x], rural (n=2): 100%",
        "Costs $5 &lt;cheap&gt; &amp; [x], urban (n=2): 0%",
        "Costs $5 &lt;cheap&gt; &amp; [x], (missing) (n=1): 100%",
        "Follow-up, rural (n=2): 0%",
        "Follow-up, urban (n=2): 50%",
        "Follow-up, (missing) (n=1): 100%",
    ]


def _agreement_note(page: str) -> str:
    import html

    [section] = re.findall(r'<section id="agreement">(.*?)</section>', page, re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", section)).split("Agreement per code", 1)[1].strip()


def test_page_without_independent_coders_says_agreement_cannot_be_measured(db):
    build_report_project(db, coders=("consensus",))
    notes: list[str] = []
    page = build_html(load_report_data(db, with_coders=True), by=[], notes=notes)
    said = (
        "no independent coder's decisions are stored (only the source's), so agreement between coders "
        "cannot be measured."
    )
    assert _agreement_note(page) == said[0].upper() + said[1:]
    assert notes == [f"agreement per code: {said}"]  # on stderr and at the page's top
    assert page.count("<svg ") == 3  # frequency (all participants), co-occurrence and saturation
    assert "<dt>Independent coders</dt><dd>none</dd>" in page


def test_saturation_curve_has_one_line_per_stratum(page):
    section = _section(page, "saturation", "quotes")
    assert section.count("<svg ") == 1 and 'class="chart chart-saturation"' in section
    assert section.count('stroke-width="2"') == 3  # one line each: all transcripts, officers, providers
    # Consensus codes (without children) by transcript: P01 beds, transport; P02 followup; P03 transport;
    # P04 beds, followup; P05 none. Officers are P01, P02, P05; providers P03, P04.
    assert _titles(section) == [
        *(f"All transcripts (n=5): {k} after {i}" for i, k in enumerate([2, 3, 3, 3, 3], 1)),
        *(f"role=officer (n=3): {k} after {i}" for i, k in enumerate([2, 3, 3], 1)),
        *(f"role=provider (n=2): {k} after {i}" for i, k in enumerate([1, 3], 1)),
    ]


def test_heatmap_is_sized_to_its_content_with_counts_and_the_legend_beside_the_grid():
    from wei_qual.report.charts import heatmap

    def size(svg):
        return float(re.search(r'width="([\d.]+)"', svg).group(1)), float(
            re.search(r'height="([\d.]+)"', svg).group(1)
        )

    small = heatmap(["a", "b", "c"], [[2, 1, 0], [1, 3, 2], [0, 2, 4]])
    big_labels = [f"code-{i:02d}" for i in range(30)]
    big = heatmap(big_labels, [[(i + j) % 5 for j in range(30)] for i in range(30)])
    # A three-code map is small, a thirty-code one grows with its codes (no fixed canvas).
    assert size(small)[0] < 300 and size(big)[0] > 500
    # Every non-zero count is printed in its cell, at a readable size.
    assert ">1</text>" in small and ">2</text>" in small and 'font-size="10"' in small
    assert 'font-size="9"' in big and ">4</text>" in big
    # The colour bar and its title: outside the grid of the small map, in the empty upper corner of the
    # big one (within the grid's width, so the drawing is no wider than the grid and its labels).
    left = max(len(label) for label in big_labels) * 11 * 0.6 + 12
    bar = float(re.search(r'<rect x="([\d.]+)" y="[\d.]+" width="16"', big).group(1))
    assert bar < size(big)[0] - 16 and size(big)[0] <= left + 29 * 18 + 8 + 0.5
    assert "segments with both codes" in small and "segments with both codes" in big


def test_a_consensus_stored_under_another_name_is_no_independent_coder(db):
    # reconcile --as final: the reports counted final as one more coder, in the agreement chart (agreeing
    # with the coders it copied), the majority and the union, where agree leaves it out.
    from wei_qual.agree import accept_agreed, list_disagreements, save_consensus

    build_report_project(db)
    usual = build_html(load_report_data(db, with_coders=True), by=[])
    before = {source: load_report_data(db, source=source).applied for source in ("majority", "union")}
    accept_agreed(db, consensus="final", actor="lead")  # P02:2, followup
    _, items = list_disagreements(db)
    p03 = next(d.unit for d in items if (d.unit.transcript, d.unit.segment) == ("P03", 2))
    save_consensus(db, p03, frozenset({"followup"}), "neither said it", consensus="final", actor="lead")
    page = build_html(load_report_data(db, source="final", with_coders=True), by=[])
    assert "<dt>Independent coders</dt><dd>alice, bob, carol</dd>" in page
    assert _section(page, "agreement", "frequency") == _section(usual, "agreement", "frequency")
    for source, applied in before.items():
        assert load_report_data(db, source=source).applied == applied
    # Named with --coders, it is compared as asked.
    assert load_report_data(db, source="union", coders=["alice", "final"]).coders == ["alice", "final"]


@pytest.mark.parametrize(
    "coders, extra, said",
    [
        # One analyst: the page said agreement could not be measured "yet", as if a second coder were due.
        (
            ("alice",),
            None,
            (
                "one independent coder (alice) decided segments, so none was coded independently by two "
                "coders and agreement between coders cannot be measured."
            ),
        ),
        # Two coders who never decided the same turn (dan coded a turn alice did not).
        (
            ("consensus", "alice"),
            ("P05", 2, "dan"),
            (
                "no participant segment was decided by two of the independent coders (alice and dan), so "
                "agreement between coders cannot be measured: it needs segments two coders decide (wei-qual "
                "assign)."
            ),
        ),
    ],
)
def test_page_says_why_agreement_was_not_measured(db, coders, extra, said):
    from wei_qual.models import Decision
    from wei_qual.store.decisions import save_decision

    build_report_project(db, coders=coders)
    if extra:
        save_decision(db, Decision(*extra, frozenset({"followup"})))
    source = "alice" if coders == ("alice",) else None
    notes: list[str] = []
    page = build_html(load_report_data(db, source=source, with_coders=True), by=[], notes=notes)
    assert _agreement_note(page) == said[0].upper() + said[1:]
    assert f"agreement per code: {said}" in notes
    assert "<dd>alice" in page and "yet" not in _agreement_note(page)
