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
    assert none.stderr == (
        "No memos match. They are written in the coding session with m, mt and mc ID, and in reconcile with m.\n"
    )


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


def test_code_memos_follow_a_rename_and_a_merge(tmp_path):
    # A version that renamed or merged a code moved its decisions but left its memos on the old id:
    # `memos --code NEW` showed none, `--code OLD` was refused, and the HTML appendix named no code.
    from conftest import CODEBOOKS

    from wei_qual.store import iter_audit
    from wei_qual.store.decisions import save_memo

    path = tmp_path / "study.db"
    db = build_sample_project(path)
    save_memo(db, "lead", "code", "csu-capacity", "Beds, not rules: keep apart from exclusions?")
    save_memo(db, "alice", "code", "csu-capacity", "Weekends worst.")
    db.close()
    v1 = (CODEBOOKS / "wei_crisis_response.yaml").read_text(encoding="utf-8")
    v2 = v1.replace('version: "1.0"', 'version: "2.0"').replace(
        "      - id: csu-admission\n", "      - id: csu-intake\n        renamed_from: csu-admission\n"
    )
    v2 = v2.replace(
        "      - id: csu-capacity\n", "      - id: csu-capacity\n        merged_into: csu-intake\n"
    )
    (tmp_path / "v2.yaml").write_text(v2, encoding="utf-8")
    runner = CliRunner()
    loaded = runner.invoke(app, ["codebook", "load", "v2.yaml", "--actor", "lead", "--db", str(path)])
    assert loaded.exit_code == 0, loaded.stderr
    assert re.search(
        r'Renamed "csu-admission" to "csu-intake": moved \d+ decisions and 1 memo\.', loaded.stderr
    )
    assert re.search(
        r'Merged "csu-capacity" into "csu-intake": moved \d+ decisions and 2 memos\.', loaded.stderr
    )

    db = open_db(path)
    moved = list_memos(db, code="csu-intake")
    assert [(m.kind, m.target, m.coder, m.code_name) for m in moved.memos if m.kind == "code"] == [
        ("code", "csu-intake", "alice", "CSU admission and intake"),
        ("code", "csu-intake", "lead", "CSU admission and intake"),
    ]
    # The lead wrote on both codes: one memo now, nothing written lost.
    lead = next(m for m in moved.memos if m.kind == "code" and m.coder == "lead")
    assert lead.text == (
        "Merge with csu-capacity if kappa stays low.\n\nBeds, not rules: keep apart from exclusions?"
    )
    assert moved.warnings == []
    # Segment memos follow too: alice applied the code (now csu-intake) where she wrote on P01:8.
    assert ("segment", "P01:8", "alice") in targets(moved)
    old = list_memos(db, code="csu-admission")
    assert targets(old) == targets(moved)
    assert old.warnings == [
        (
            '"csu-admission" is not in the active codebook: a codebook version renamed or merged it into '
            '"csu-intake", and its memos moved with its decisions. These are the memos of "csu-intake": pass '
            "--code csu-intake."
        )
    ]
    audited = [
        (row["actor"], row["entity_id"], row["before"]["code"], row["after"]["code"])
        for row in iter_audit(db)
        if row["entity"] == "memo" and row["action"] == "migrate"
    ]
    assert audited == [
        ("lead", "code:csu-admission:lead", "csu-admission", "csu-intake"),
        ("lead", "code:csu-capacity:lead", "csu-capacity", "csu-intake"),
        ("lead", "code:csu-capacity:alice", "csu-capacity", "csu-intake"),
    ]
    cli = runner.invoke(app, ["memos", "--code", "csu-capacity", "--format", "json", "--db", str(path)])
    assert cli.exit_code == 0, cli.stderr
    assert cli.stderr.startswith('Warning: "csu-capacity" is not in the active codebook: a codebook version')
    data = json.loads(cli.stdout)
    assert data["warnings"][0].startswith('"csu-capacity" is not in the active codebook')
    assert "Weekends worst." in [m["text"] for m in data["memos"]]

    page = tmp_path / "report.html"
    runner.invoke(app, ["report", "html", "-o", str(page), "--memos", "--source", "union", "--db", str(path)])
    appendix = page.read_text(encoding="utf-8").split('<section id="memos">')[1]
    assert "<td>csu-intake</td><td>CSU admission and intake</td><td>alice</td>" in appendix

    # Going back to version 1 (which removes csu-intake: --force) does not move them back, as it does not
    # move the decisions back; they are named as the code last was.
    back = runner.invoke(
        app, ["codebook", "load", str(CODEBOOKS / "wei_crisis_response.yaml"), "--force", "--db", str(path)]
    )
    assert 'an earlier one moved its decisions and memos to "csu-intake"' in " ".join(back.stderr.split())
    again = list_memos(open_db(path), kinds=("code",))
    assert [(m.target, m.coder, m.code_name) for m in again.memos] == [
        ("csu-intake", "alice", "CSU admission and intake"),
        ("csu-intake", "lead", "CSU admission and intake"),
    ]


def test_markdown_keeps_a_line_of_dashes_or_equals_signs_as_text():
    # "---" under a line of a memo made that line a heading (and "---" alone a rule): the memo's words
    # changed meaning in the analysis log.
    from wei_qual.memos import Memo, MemoList

    text = "Two readings here\n---\nfirst: refusal\n===\n- - -"
    memo = Memo("segment", "P01:8", "alice", text, "2026-03-02T14:05", "2026-03-02T14:05", "P01", 8)
    body = memos_markdown(MemoList([memo])).split("UTC\n\n", 1)[1]
    assert body == "Two readings here\n\\---\nfirst: refusal\n\\===\n\\- - -\n"


# An Otter export; the officer's second turn opens with "=" (a spreadsheet formula) and holds a bell
# character pasted from a radio log, which a terminal would act on.
OTTER = """\
Interviewer  0:02
What happens at the unit door?

Officer Reyes  0:09
They turned him away again. The nurse said he was too intoxicated for the unit, so it's the jail or the ED.

Interviewer  0:40
And the paperwork?

Officer Reyes  0:44
=SUM(A1) is what dispatch typed \x07 in the log. We re-write it by hand after.
"""


def test_a_segment_memo_shows_its_passage_and_speaker(tmp_path, make_transcript):
    from wei_qual.cli.desk_render import render_memos
    from wei_qual.console import console
    from wei_qual.ingest import ingest_files
    from wei_qual.store.decisions import save_memo

    path = tmp_path / "memo.db"
    db = open_db(path)
    ingest_files(db, [make_transcript(OTTER, "P04.txt")], allow_pii=True)
    save_memo(db, "alice", "segment", "P04:2", "Refusal at the door: compare P01.")
    save_memo(db, "alice", "segment", "P04:4", "Dispatch log, not the officer's words.")
    save_memo(db, "alice", "transcript", "P04", "Officer, rural.")
    result = list_memos(db)
    first = result.memos[1]
    assert (first.speaker, first.role, first.who()) == (
        "Officer Reyes",
        "participant",
        "Officer Reyes (participant)",
    )
    assert first.passage.startswith("They turned him away again.") and first.passage.endswith("or the ED.")
    assert first.glimpse(30) == "They turned him away again.…"  # cut between words
    assert result.memos[0].passage is None and result.memos[0].who() == ""  # a transcript memo
    # The terminal: speaker and the passage's start, its escape character shown, never sent.
    with console.capture() as captured:
        console.print(render_memos(result.memos, 40))
    shown = captured.get()
    assert "Officer Reyes (participant): They turned him away again. The" in " ".join(shown.split())
    assert "\x07" not in shown and "typed \\x07 in" in shown
    # The whole passage in md, csv and json; the CSV's cell neutralised, JSON exact.
    md = memos_markdown(result)
    assert (
        "### P04:2: alice, " in md
        and "> **Officer Reyes (participant):** They turned him away again. The nurse said he was too "
        "intoxicated for the unit, so it's the jail or the ED.\n\nRefusal at the door: compare P01."
        in md
    )
    assert "typed \\x07 in the log" in md and "\x07" not in md
    db.close()
    runner = CliRunner()
    out = runner.invoke(app, ["memos", "--format", "csv", "--db", str(path)])
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["speaker"], r["role"]) for r in rows] == [
        ("", ""),
        ("Officer Reyes", "participant"),
        ("Officer Reyes", "participant"),
    ]
    assert rows[2]["passage"].startswith("'=SUM(A1) is what dispatch typed \\x07 in")
    data = json.loads(runner.invoke(app, ["memos", "--format", "json", "--db", str(path)]).stdout)
    assert data["memos"][2]["passage"].startswith("=SUM(A1) is what dispatch typed \x07 in")
    assert data["memos"][1]["speaker"] == "Officer Reyes" and data["memos"][0]["passage"] is None
    # --width 0: no passage column.
    table = runner.invoke(app, ["memos", "--width", "0", "--wide", "--db", str(path)])
    assert table.exit_code == 0 and "passage" not in table.stdout and "Refusal at the door" in table.stdout
    table = runner.invoke(app, ["memos", "--width", "20", "--wide", "--db", str(path)])
    assert "Officer Reyes (participant): They turned him…" in table.stdout


def test_one_memo_written_is_said_in_the_singular(tmp_path):
    # "Wrote 1 memos to memos.md".
    from wei_qual.store.decisions import save_memo

    path = tmp_path / "study.db"
    db = build_sample_project(path)
    save_memo(db, "ruth", "code", "ed-holding", "ER boarding as the fallback.")
    db.close()
    out = tmp_path / "memos.md"
    result = CliRunner().invoke(app, ["memos", "--coder", "ruth", "-o", str(out), "--db", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "Wrote 1 memo to" in result.stderr and "1 memos" not in result.stderr


def test_memos_write_a_spreadsheet_whose_formulas_stay_text(tmp_path, make_transcript):
    # `memos -o memos.xlsx` was refused ("asks for xlsx, which this command does not write") while
    # `retrieve -o segments.xlsx` wrote one: a co-author filtering memos had to open a CSV.
    from openpyxl import load_workbook

    from wei_qual.ingest import ingest_files
    from wei_qual.store.decisions import save_memo

    path = tmp_path / "memo.db"
    db = open_db(path)
    ingest_files(db, [make_transcript(OTTER, "P04.txt")], allow_pii=True)
    save_memo(db, "alice", "segment", "P04:4", "Dispatch log, not the officer's words.")
    save_memo(db, "alice", "transcript", "P04", '=HYPERLINK("http://example.org/x","see log")')
    db.close()
    runner = CliRunner()
    out = tmp_path / "memos.xlsx"
    written = runner.invoke(app, ["memos", "-o", str(out), "--db", str(path)])
    assert written.exit_code == 0, written.stderr
    assert written.stderr.endswith(f"Wrote 2 memos to {out}\n")
    assert out.stat().st_mode & 0o777 == 0o600
    book = load_workbook(out)
    rows = [[c.value for c in row] for row in book["memos"].iter_rows()]
    csv_rows = list(
        csv.reader(io.StringIO(runner.invoke(app, ["memos", "--format", "csv", "--db", str(path)]).stdout))
    )
    assert rows[0] == csv_rows[0]
    by_type = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    # A memo and a passage that start with "=" are the text typed, never a formula (the CSV adds a quote).
    assert by_type["transcript"]["text"] == '=HYPERLINK("http://example.org/x","see log")'
    assert by_type["segment"]["passage"].startswith("=SUM(A1) is what dispatch typed \\x07 in")
    assert (by_type["segment"]["segment"], by_type["transcript"]["segment"]) == (4, None)  # a number; empty
    cells = [c for row in book["memos"].iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.quotePrefix for c in cells if c.value.startswith("="))
    notes = [r[1].value for r in book["notes"].iter_rows(min_row=2)]
    assert notes == ["Memos: 2 memos."]
    # --format xlsx needs a file; a symlink at the target is replaced, the file it points to untouched.
    bare = runner.invoke(app, ["memos", "--format", "xlsx", "--db", str(path)])
    assert bare.exit_code == 1
    assert bare.stderr == "Error: --format xlsx writes a spreadsheet, not text: pass -o FILE.xlsx.\n"
    target = tmp_path / "elsewhere.xlsx"
    target.write_bytes(b"kept")
    link = tmp_path / "link.xlsx"
    link.symlink_to(target)
    assert runner.invoke(app, ["memos", "-o", str(link), "--db", str(path)]).exit_code == 0
    assert target.read_bytes() == b"kept" and not link.is_symlink()
    assert load_workbook(link)["memos"].max_row == 3
