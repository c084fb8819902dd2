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
    assert '<td>access-beds</td><td>CSU beds</td><td class="num">0.4</td>' in chart


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
