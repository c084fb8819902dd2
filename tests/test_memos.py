"""`wei-qual memos`: every segment, transcript and code memo with author and time, filtered; the HTML
report's appendix of code memos."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from _qdpx_project import build_sample_project
from typer.testing import CliRunner

from wei_qual.cli import app
from wei_qual.errors import ReportError
from wei_qual.memos import list_memos, memos_markdown
from wei_qual.store import open_db


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("memos") / "sample.db"
    build_sample_project(path).close()
    return path


def targets(result):
    return [(m.kind, m.target, m.coder) for m in result.memos]


def test_all_memos_code_memos_first_then_transcripts_and_segments(sample):
    result = list_memos(open_db(sample))
    assert targets(result) == [
        ("code", "csu-admission", "lead"),
        ("transcript", "P06", "bob"),
        ("segment", "P01:8", "alice"),
    ]
    code, _transcript, segment = result.memos
    assert code.code_name == "CSU admission and intake"
    assert (segment.transcript, segment.segment) == ("P01", 8)
    assert segment.text == "Medical clearance again: compare with P03."
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00", segment.created_utc)


def test_filters(sample):
    db = open_db(sample)
    # The code's memo, and segment memos whose author applied the code there (alice coded P01:8 with it).
    assert targets(list_memos(db, code="csu-admission")) == [
        ("code", "csu-admission", "lead"),
        ("segment", "P01:8", "alice"),
    ]
    assert targets(list_memos(db, code="csu")) == targets(list_memos(db, code="csu-admission"))  # a theme
    assert targets(list_memos(db, code="homelessness")) == []
    assert targets(list_memos(db, transcript="P06")) == [("transcript", "P06", "bob")]
    assert targets(list_memos(db, transcript="P01")) == [("segment", "P01:8", "alice")]
    assert targets(list_memos(db, coders=["bob", "lead"])) == [
        ("code", "csu-admission", "lead"),
        ("transcript", "P06", "bob"),
    ]
    # Both filters: only the chosen coders' memos, and their own decisions tell which segments carry the code.
    assert targets(list_memos(db, code="csu-admission", coders=["alice"])) == [("segment", "P01:8", "alice")]
    assert targets(list_memos(db, code="csu-admission", coders=["bob", "lead"])) == [
        ("code", "csu-admission", "lead")
    ]
    with pytest.raises(ReportError, match='Code "nope" given with --code'):
        list_memos(db, code="nope")
    with pytest.raises(ReportError, match='Unknown transcript "P99"'):
        list_memos(db, transcript="P99")


def test_markdown_csv_and_json(sample):
    result = list_memos(open_db(sample))
    md = memos_markdown(result)
    assert md.startswith("# Memos\n\n## Code memos\n\n### csu-admission (CSU admission and intake): lead, ")
    assert "## Segment memos\n\n### P01:8: alice, " in md
    runner = CliRunner()
    out = runner.invoke(app, ["memos", "--format", "csv", "--db", str(sample)])
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["type"], r["target"], r["coder"], r["segment"]) for r in rows] == [
        ("code", "csu-admission", "lead", ""),
        ("transcript", "P06", "bob", ""),
        ("segment", "P01:8", "alice", "8"),
    ]
    data = json.loads(
        runner.invoke(app, ["memos", "--coder", "Alice", "--format", "json", "--db", str(sample)]).stdout
    )
    assert (
        data["count"] == 1
        and data["memos"][0]["target"] == "P01:8"
        and data["filters"]["coders"] == ["alice"]
    )
    assert data["warnings"] == [
        'coder "Alice" read as the existing coder "alice" (did you mean alice? Names ignore case)'
    ]
    table = runner.invoke(app, ["memos", "--transcript", "P06", "--db", str(sample)])
    assert "Recording starts late" in table.stdout
    none = runner.invoke(app, ["memos", "--code", "homelessness", "--db", str(sample)])
    assert none.stderr == "No memos match. They are written in the coding session with m, mt and mc ID.\n"


def test_html_report_appendix_of_code_memos(sample, tmp_path):
    out = tmp_path / "report.html"
    runner = CliRunner()
    result = runner.invoke(app, ["report", "html", "-o", str(out), "--memos", "--db", str(sample)])
    assert result.exit_code == 0
    page = out.read_text()
    appendix = page[page.index('<section id="memos">') :]
    assert "<h2>Appendix: code memos</h2>" in appendix
    assert "<td>csu-admission</td><td>CSU admission and intake</td><td>lead</td>" in appendix
    assert "Merge with csu-capacity if kappa stays low." in appendix
    plain = tmp_path / "plain.html"
    runner.invoke(app, ["report", "html", "-o", str(plain), "--db", str(sample)])
    assert 'id="memos"' not in plain.read_text()
