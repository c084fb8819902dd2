"""--by groups a value the attributes sheet spells two ways as one: "Rural" and "rural" (typed by two
research assistants), "San José" typed in Excel and pasted from a Mac's file name (the accent one character,
or a letter and a combining mark). Each was two groups in every --by table, the participants split between
them, while --where already took them as one."""

from __future__ import annotations

import json
import unicodedata

import pytest
from typer.testing import CliRunner

from wei_qual.cli import app
from wei_qual.store import open_db

NFC, NFD = "San Jos\u00e9", "San Jose\u0301"
SHEET = f"id,setting\nP01,Rural\nP02,rural\nP03,rural\nP04,{NFC}\nP05,{NFD}\nP06,urban\n"
TURNS = "Interviewer: And the beds?\n{0}: The unit was full again that night, so we waited with him.\n"
WARNED = (
    (
        'The attribute "setting" spells one value 2 ways ("Rural", "rural"): --by groups them as one, "rural". '
        "Spell it one way in the attributes CSV and ingest it again."
    ),
    (
        f'The attribute "setting" spells one value 2 ways ("{NFC}"; an accent stored as one character and as a '
        f'letter and a combining mark): --by groups them as one, "{NFC}". Spell it one way in the attributes '
        "CSV and ingest it again."
    ),
)
IDS = ("P01", "P02", "P03", "P04", "P05", "P06")


@pytest.fixture
def project(tmp_path, make_transcript):
    from _qdpx_project import ROOT

    from wei_qual.codebook import load_into_project
    from wei_qual.ingest import ingest_files
    from wei_qual.models import Decision
    from wei_qual.store.decisions import save_decision

    sheet = tmp_path / "participants.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    path = tmp_path / "spellings.db"
    db = open_db(path)
    ingest_files(db, [make_transcript(TURNS.format(t), f"{t}.txt") for t in IDS], attributes_csv=sheet)
    load_into_project(db, ROOT / "codebooks" / "wei_crisis_response.yaml")
    for t in IDS:
        for coder in ("alice", "bob"):
            save_decision(db, Decision(t, 2, coder, frozenset({"csu-capacity"})))
    db.close()
    return path


def run(*args):
    return CliRunner().invoke(app, [*map(str, args)])


def said(stderr: str) -> str:
    return " ".join(stderr.split())


def test_a_value_spelled_two_ways_is_one_group_everywhere_by_is(project):
    groups = {"rural": 3, NFC: 2, "urban": 1}
    themes = run("report", "themes", "--source", "alice", "--by", "setting", "-f", "json", "--db", project)
    assert themes.exit_code == 0, themes.stderr
    found = json.loads(themes.stdout)
    assert found["groups"] == {"setting": groups}
    assert all(w in found["warnings"] for w in WARNED) and all(w in said(themes.stderr) for w in WARNED)

    out = run(
        "retrieve", "csu-capacity", "--source", "alice", "--by", "setting", "-f", "json", "--db", project
    )
    assert out.exit_code == 0, out.stderr
    hits = json.loads(out.stdout)["hits"]
    assert {h["transcript"]: h["group"] for h in hits if h["role"] == "participant"} == {
        "P01": "rural",
        "P02": "rural",
        "P03": "rural",
        "P04": NFC,
        "P05": NFC,
        "P06": "urban",
    }
    assert all(w in json.loads(out.stdout)["warnings"] for w in WARNED)

    table = run("retrieve", "csu-capacity", "--source", "alice", "--by", "setting", "--db", project)
    assert table.exit_code == 0 and all(w in said(table.stderr) for w in WARNED), table.stderr
    assert "setting: rural (3 segments from 3 participants)" in said(table.stdout)

    out = run("search", "unit", "--by", "setting", "-f", "json", "--db", project)
    assert out.exit_code == 0, out.stderr
    assert {h["group"] for h in json.loads(out.stdout)["results"]} == set(groups)

    out = run("report", "quotes", "--source", "alice", "--by", "setting", "-f", "json", "--db", project)
    assert out.exit_code == 0, out.stderr
    assert {q["group"] for q in json.loads(out.stdout)["quotes"]} == set(groups)

    out = run("agree", "--coders", "alice,bob", "--by", "setting", "-f", "json", "--db", project)
    assert out.exit_code == 0, out.stderr
    agreed = json.loads(out.stdout)
    assert {v: s["units"] for v, s in agreed["by"]["setting"].items()} == groups
    assert all(w in agreed["warnings"] for w in WARNED) and all(w in said(out.stderr) for w in WARNED)


def test_the_spelling_shown_is_the_most_common_and_composed_on_a_tie():
    from wei_qual.models import value_spellings

    sets = [{"s": v} for v in ("Rural", "rural", "rural", NFD, NFC, "urban")]
    shown = value_spellings(sets, "s")
    assert shown == {"Rural": "rural", "rural": "rural", NFD: NFC, NFC: NFC}
    assert unicodedata.normalize("NFC", shown[NFD]) == shown[NFD]


def test_where_names_a_value_spelled_two_ways_as_by_heads_its_group(project):
    # "Rural" sorts before "rural": the --where note said "Rural" over the "setting: rural" heading.
    out = run(
        "report",
        "themes",
        "--source",
        "alice",
        "--where",
        "setting=Rural",
        "--by",
        "setting",
        "-f",
        "json",
        "--db",
        project,
    )
    assert out.exit_code == 0, out.stderr
    found = json.loads(out.stdout)
    assert found["where"] == {"setting": "rural"} and found["groups"] == {"setting": {"rural": 3}}

    out = run(
        "retrieve",
        "csu-capacity",
        "--source",
        "alice",
        "--where",
        "setting=RURAL",
        "--by",
        "setting",
        "--db",
        project,
    )
    assert out.exit_code == 0, out.stderr
    # Each segment's own attribute line keeps P01's value as the sheet has it.
    assert "where setting=rural" in said(out.stdout) and "where setting=Rural" not in said(out.stdout)
    assert "setting: rural (3 segments from 3 participants)" in said(out.stdout)

    out = run("search", "unit", "--where", f"setting={NFD}", "-f", "json", "--db", project)
    assert out.exit_code == 0, out.stderr
    assert json.loads(out.stdout)["filters"]["where"] == {"setting": NFC}


def test_matrix_by_adds_the_group_column_the_other_reports_group_by(project, tmp_path):
    out = run("report", "matrix", "--source", "alice", "--by", "setting", "-f", "json", "--db", project)
    assert out.exit_code == 0, out.stderr
    found = json.loads(out.stdout)
    assert found["by"] == ["setting"] and found["columns"][:5] == [
        "transcript",
        "segment",
        "speaker",
        "setting",
        "attr_setting",
    ]
    # The group as --by spells it, for R's aggregate(); the sheet's own spelling beside it.
    assert [(r["setting"], r["attr_setting"]) for r in found["rows"]] == [
        ("rural", "Rural"),
        ("rural", "rural"),
        ("rural", "rural"),
        (NFC, NFC),
        (NFC, NFD),
        ("urban", "urban"),
    ]
    assert all(w in found.get("warnings", WARNED) for w in WARNED) and all(
        w in said(out.stderr) for w in WARNED
    )

    out = run(
        "report", "matrix", "--source", "alice", "--by", "setting", "-o", tmp_path / "m.xlsx", "--db", project
    )
    assert out.exit_code == 0, out.stderr
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "m.xlsx", read_only=True)
    rows = list(book["matrix"].iter_rows(values_only=True))
    assert rows[0][3:5] == ("setting", "attr_setting") and rows[1][3:5] == ("rural", "Rural")
    notes = " ".join(str(c) for r in book["notes"].iter_rows(values_only=True) for c in r if c)
    assert "The setting column holds the --by group" in notes

    out = run("report", "matrix", "--source", "alice", "--by", "settng", "--db", project)
    assert out.exit_code == 1 and 'No transcript has the attribute "settng"' in out.stderr


def test_agree_by_reads_the_attributes_once(project, monkeypatch):
    # Checked, split into strata and searched for spellings: three reads of every attribute for one --by.
    import importlib

    from wei_qual.agree import measure

    strata = importlib.import_module("wei_qual.agree.strata")  # the package's `strata` is the function

    reads = []
    real = strata.get_attributes
    monkeypatch.setattr(strata, "get_attributes", lambda db: reads.append(1) or real(db))
    db = open_db(project)
    try:
        result = measure(db, coders=["alice", "bob"], by="setting", bootstrap=0)
    finally:
        db.close()
    assert len(reads) == 1
    assert {v: s.units for v, s in result.by["setting"].items()} == {"rural": 3, NFC: 2, "urban": 1}
    assert all(w in result.warnings for w in WARNED)


def test_a_where_value_nobody_has_lists_a_value_spelled_two_ways_once(project):
    out = run("retrieve", "csu-capacity", "--source", "alice", "--where", "setting=suburban", "--db", project)
    assert out.exit_code == 1
    assert said(out.stderr) == (
        f"Error: No transcript or speaker has setting=suburban (values: {NFC}, rural, urban). Pass one of "
        "those to --where setting=VALUE."
    )
