"""The self-contained HTML report: sections, charts, escaping, nothing external."""

from __future__ import annotations

import re
from collections import Counter

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
    assert "<h3>By role</h3>" in page  # role is the default split
    assert "<dt>Participants by role</dt><dd>officer 3, provider 2</dd>" in page


def test_agreement_chart_has_the_thresholds_and_values(page):
    chart = page[page.index('<section id="agreement">') : page.index('<section id="frequency">')]
    assert ".667" in chart and ".800" in chart
    assert "over 3 participant segments decided by at least two independent coders" in chart
    # Three decimals everywhere, and the 95% CI that `wei-qual agree` gives (same units, draws and seed).
    assert (
        '<td>access-beds</td><td>CSU beds</td><td class="num">0.400</td><td>-0.333–0.400</td>'
        '<td class="num">3</td>' in chart
    )
    assert "<title>CSU beds (access-beds): 0.400 (95% CI -0.333–0.400)</title>" in chart
    assert ">0.400</text>" in chart and ">-0.200</text>" in chart  # each bar labelled with its value


def test_the_charts_ci_and_values_are_those_of_agree(db):
    from wei_qual.agree import measure
    from wei_qual.report.agreement import alpha_intervals

    build_report_project(db)
    ours = alpha_intervals(load_report_data(db, with_coders=True), bootstrap=500, seed=7)
    theirs = measure(db, bootstrap=500, seed=7)
    assert ours == {c.code: tuple(c.alpha_ci) for c in theirs.codes}


def test_alpha_zero_is_a_bar_with_its_label_and_values_have_three_decimals():
    from wei_qual.report.charts import agreement_chart

    svg = agreement_chart([("zero (z)", 0.0), ("one (o)", 1.0), ("none (n)", None)], [(-0.2, 0.3), None, None])
    assert ">0.000</text>" in svg and ">1.000</text>" in svg and ">n/a</text>" in svg
    zero_bar = re.search(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="13"[^>]*>\s*<title>zero \(z\): 0\.000', svg)
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
    assert "<h3>By setting</h3>" in chart and "(missing) (n=1)" in chart


def test_page_without_independent_coders_says_agreement_cannot_be_measured(db):
    build_report_project(db, coders=("consensus",))
    page = build_html(load_report_data(db, with_coders=True), by=[])
    assert (
        "No participant segment was decided by two independent coders, so agreement cannot be measured yet."
    ) in page
    assert page.count("<svg ") == 3  # frequency (all participants), co-occurrence and saturation
    assert "<dt>Independent coders</dt><dd>none</dd>" in page


def test_saturation_curve_has_one_line_per_stratum(page):
    section = page[page.index('<section id="saturation">') : page.index('<section id="quotes">')]
    assert section.count("<svg ") == 1 and 'class="chart chart-saturation"' in section
    assert section.count('stroke-width="2"') == 3  # one line each: all transcripts, officers, providers
    for legend in ("All transcripts (n=", "role=officer (n=", "role=provider (n="):
        assert legend in section
    assert "in transcript id order" in section


def test_heatmap_is_sized_to_its_content_with_counts_and_the_legend_beside_the_grid():
    from wei_qual.report.charts import heatmap

    def size(svg):
        return float(re.search(r'width="([\d.]+)"', svg).group(1)), float(re.search(r'height="([\d.]+)"', svg).group(1))

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
