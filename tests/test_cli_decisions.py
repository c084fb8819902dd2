"""`wei-qual decisions import/export` and `wei-qual coders` through CliRunner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from _coding_project import build_project

from wei_qual.cli import app
from wei_qual.models import Decision
from wei_qual.store import open_db
from wei_qual.store.decisions import iter_decisions, save_decision

CSV = (
    "transcript,segment,coder,codes,note\n"
    "p01,2,alice,csu-admission;setting-rural,\n"
    "p01,4,alice,,[inaudible] unclear\n"
    "p02,2,bob,co-responder,\n"
)


@pytest.fixture
def project(db_path):
    build_project(open_db(db_path))
    return db_path


def invoke(runner, *args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_import_then_reimport(runner, project):
    Path("d.csv").write_text(CSV)
    first = invoke(runner, "decisions", "import", "d.csv", "--db", str(project))
    assert (first.exit_code, first.stderr) == (
        0,
        "Imported d.csv: 3 changed (3 new, 0 updated), 0 unchanged.\n",
    )
    again = invoke(runner, "decisions", "import", "d.csv", "--db", str(project))
    assert again.stderr == "Imported d.csv: 0 changed (0 new, 0 updated), 3 unchanged.\n"


def test_import_problems_exit_1_and_write_nothing(runner, project):
    Path("bad.csv").write_text(CSV + "p01,2,alice,followup,\np03,1,bob,,\n")
    result = invoke(runner, "decisions", "import", "bad.csv", "--db", str(project))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: bad.csv: 2 problems, nothing imported.\n"
        'bad.csv:5: duplicate of line 2 (transcript "p01", segment 2, coder "alice"). Keep one of the rows.\n'
        f'bad.csv:6: unknown transcript "p03". Check the ids with "wei-qual transcripts list --db {project}".\n'
    )
    assert iter_decisions(open_db(project)) == []


def test_import_missing_file(runner, project):
    result = invoke(runner, "decisions", "import", "nope.csv", "--db", str(project))
    assert (result.exit_code, result.stderr) == (
        1,
        'Error: File "nope.csv" does not exist. Check the path.\n',
    )


def test_import_with_coder_option(runner, project):
    Path("d.csv").write_text(CSV)
    invoke(runner, "decisions", "import", "d.csv", "--coder", "carol", "--db", str(project))
    assert {d.coder for d in iter_decisions(open_db(project))} == {"carol"}


def test_export_csv_stdout_and_file_and_json(runner, project):
    Path("d.csv").write_text(CSV)
    invoke(runner, "decisions", "import", "d.csv", "--db", str(project))
    out = invoke(runner, "decisions", "export", "--db", str(project))
    # Export adds the optional excerpts column (empty: no excerpts marked).
    assert out.stdout == "".join(line + ",\n" for line in CSV.splitlines()).replace(
        "note,", "note,excerpts", 1
    )
    only = invoke(runner, "decisions", "export", "--coder", "bob", "-o", "bob.csv", "--db", str(project))
    assert only.stderr == "Wrote 1 decisions to bob.csv.\n" and only.stdout == ""
    assert (
        Path("bob.csv").read_text()
        == "transcript,segment,coder,codes,note,excerpts\np02,2,bob,co-responder,,\n"
    )
    js = invoke(runner, "decisions", "export", "--format", "json", "--coder", "alice", "--db", str(project))
    assert [(r["segment"], r["codes"], r["note"]) for r in json.loads(js.stdout)] == [
        (2, ["csu-admission", "setting-rural"], ""),
        (4, [], "[inaudible] unclear"),
    ]


def test_round_trip_into_a_fresh_project(runner, project, tmp_path):
    db = open_db(project)
    save_decision(
        db, Decision("p01", 2, "alice", frozenset({"followup"}), note='a "quoted", note\nover lines')
    )
    save_decision(db, Decision("p02", 3, "bob", frozenset()))
    invoke(runner, "decisions", "export", "-o", "all.csv", "--db", str(project))
    fresh = tmp_path / "fresh.db"
    build_project(open_db(fresh))
    result = invoke(runner, "decisions", "import", "all.csv", "--db", str(fresh))
    assert result.exit_code == 0

    def rows(path):
        return [(d.transcript, d.segment, d.coder, d.codes, d.note) for d in iter_decisions(open_db(path))]

    assert rows(fresh) == rows(project)


def test_a_json_round_trip_keeps_consensus_rationales(runner, project, tmp_path):
    # The JSON export has each decision's rationale; importing it dropped them all, and a consensus coder
    # stored under another name ("final") then counted as an independent coder in agree.
    db = open_db(project)
    save_decision(db, Decision("p01", 2, "alice", frozenset({"followup"})))
    save_decision(
        db, Decision("p01", 2, "final", frozenset({"followup"}), rationale="Agreed at the meeting.")
    )
    out = tmp_path / "all.json"
    invoke(runner, "decisions", "export", "--format", "json", "-o", str(out), "--db", str(project))
    fresh = tmp_path / "fresh.db"
    build_project(open_db(fresh))
    assert invoke(runner, "decisions", "import", str(out), "--db", str(fresh)).exit_code == 0
    got = {(d.coder, d.rationale) for d in iter_decisions(open_db(fresh))}
    assert got == {("alice", ""), ("final", "Agreed at the meeting.")}
    # A CSV, which has no rationale column, leaves a stored rationale as it is.
    (tmp_path / "f.csv").write_text("transcript,segment,coder,codes,note\np01,2,final,followup,\n")
    assert invoke(runner, "decisions", "import", str(tmp_path / "f.csv"), "--db", str(fresh)).exit_code == 0
    assert {(d.coder, d.rationale) for d in iter_decisions(open_db(fresh))} == got


def test_export_unknown_coder(runner, project):
    result = invoke(runner, "decisions", "export", "--coder", "zed", "--db", str(project))
    assert (result.exit_code, result.stderr) == (
        1,
        'Error: Unknown coder "zed" in --coder. Known coders: none yet. Check the spelling.\n',
    )


def test_coders_table_and_json(runner, project):
    Path("d.csv").write_text(CSV)
    invoke(runner, "decisions", "import", "d.csv", "--db", str(project))
    table = invoke(runner, "coders", "--db", str(project)).stdout
    lines = [re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "TIME", line) for line in table.splitlines()]
    assert [" ".join(line.split()) for line in lines if "alice" in line or "bob" in line] == [
        "alice 2 4 50% 1 TIME",
        "bob 1 4 25% 0 TIME",
    ]
    rows = json.loads(
        invoke(runner, "coders", "--by-transcript", "--format", "json", "--db", str(project)).stdout
    )
    assert [(r["coder"], r["transcript"], r["coded"], r["total"], r["nothing_applies"]) for r in rows] == [
        ("alice", "p01", 2, 2, 1),
        ("alice", "p02", 0, 2, 0),
        ("bob", "p01", 0, 2, 0),
        ("bob", "p02", 1, 2, 0),
    ]
    by = invoke(runner, "coders", "--by-transcript", "--db", str(project)).stdout
    lines = [re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "TIME", line) for line in by.splitlines()]
    assert [re.sub(r"\s+", " ", line).strip("│ ") for line in lines if "alice" in line or "bob" in line] == [
        "alice p01 2 2 100% 1 TIME",
        "alice p02 0 2 0% 0 -",
        "bob p01 0 2 0% 0 -",
        "bob p02 1 2 50% 0 TIME",
    ]


def test_coders_empty(runner, project):
    result = invoke(runner, "coders", "--db", str(project))
    assert (result.stdout, result.stderr) == (
        "",
        (
            f'No coders yet. Start with "wei-qual code --coder NAME --db {project}" or '
            f'"wei-qual decisions import FILE --db {project}".\n'
        ),
    )


def test_a_leads_corrections_are_audited_as_the_lead(runner, project, tmp_path):
    (tmp_path / "fix.csv").write_text("transcript,segment,coder,codes,note\np01,2,alice,followup,\n")
    db = ["--db", str(project)]
    assert (
        invoke(runner, "decisions", "import", str(tmp_path / "fix.csv"), "--actor", "lead", *db).exit_code
        == 0
    )
    from wei_qual.store import iter_audit

    assert [r["actor"] for r in iter_audit(open_db(project), entity="decision")] == ["lead"]


CANARY = "SECRET CANARY the patient told me he was suicidal"


@pytest.mark.parametrize(
    "cell",
    [f'"  {CANARY}  "', CANARY],  # with the spaces it was warned about verbatim; without, it became a coder
)
def test_transcript_text_in_the_coder_column_is_refused_and_never_shown(runner, project, cell):
    Path("d.csv").write_text(
        f"transcript,segment,coder,codes,note\r\np01,2,{cell},csu-admission,\r\np01,4,alice,followup,\r\n"
    )
    result = invoke(runner, "decisions", "import", "d.csv", "--db", str(project))
    assert (result.exit_code, result.stderr) == (
        1,
        (
            "Error: d.csv: 1 problem, nothing imported.\n"
            "d.csv:2: the coder cell is too long for a name: 49 characters, 9 words (a coder name has at most 40 "
            "characters and 4 words). Is a column misplaced? Check the row.\n"
        ),
    )
    assert "CANARY" not in result.stderr + result.stdout
    assert iter_decisions(open_db(project)) == []


def test_control_characters_in_a_coder_cell_or_coder_option_are_refused(runner, project):
    Path("d.csv").write_text("transcript,segment,coder,codes,note\np01,2,car\x1bol,csu-admission,\n")
    result = invoke(runner, "decisions", "import", "d.csv", "--db", str(project))
    assert (result.exit_code, result.stderr) == (
        1,
        (
            "Error: d.csv: 1 problem, nothing imported.\n"
            "d.csv:2: the coder cell $'car\\x1bol' holds a control character (U+001B), which a terminal would "
            "act on. Write the name in letters, digits, spaces and punctuation.\n"
        ),
    )
    Path("ok.csv").write_text(CSV)
    result = invoke(runner, "decisions", "import", "ok.csv", "--coder", "dave\u202eX", "--db", str(project))
    assert (result.exit_code, result.stderr) == (
        1,
        (
            "Error: The coder name $'dave\\u202eX' given with --coder holds a control character (U+202E), which "
            "a terminal would act on. Pass a name of letters, digits, spaces and punctuation.\n"
        ),
    )
    assert iter_decisions(open_db(project)) == []


def test_a_quote_never_closed_is_one_line_and_nothing_is_imported(runner, project):
    # A note opened with a quote by hand and never closed swallowed the rows after it into that note.
    Path("d.csv").write_bytes(
        b'transcript,segment,coder,codes,note\r\np01,2,carol,followup,"open quote never closed\r\n'
        b"p01,4,carol,,\r\np02,2,carol,co-responder,\r\n"
    )
    result = invoke(runner, "decisions", "import", "d.csv", "--db", str(project))
    assert (result.exit_code, result.stderr) == (
        1,
        (
            'Error: "d.csv", line 2: a quote (") opened on this line is never closed, so every line after it '
            'would be read into one cell. Close the quote, or write a quote inside a cell as "" (two quotes).\n'
        ),
    )
    assert iter_decisions(open_db(project)) == []
