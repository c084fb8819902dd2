"""`wei-qual report ...` through the CLI: formats, files, and one-line errors that write nothing."""

from __future__ import annotations

import csv
import io
import json

import pytest
from test_report_project import LONG, build_report_project

from wei_qual.cli import app
from wei_qual.store import open_db


@pytest.fixture
def project(db_path):
    build_report_project(open_db(db_path))
    return db_path


def _ok(runner, args):
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def test_themes_table_shows_group_sizes_in_the_header(runner, project):
    result = _ok(runner, ["report", "themes", "--by", "role", "--db", str(project)])
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "Themes (consensus)"
    header = " ".join(lines[2:5])
    assert (
        "Participants (N=5)" in header and "role=officer (n=3)" in header and "role=provider (n=2)" in header
    )
    # COLUMNS=200: every column on one line, one row per code.
    assert "access Access to resources theme 4 3 (60.0%) 1 (33.3%) 2 (100.0%)" in [
        " ".join(line.split()) for line in lines
    ]
    assert result.stderr == ""


def test_themes_json_on_stdout(runner, project):
    result = _ok(
        runner,
        [
            "report",
            "themes",
            "--source",
            "majority",
            "--level",
            "code",
            "--format",
            "json",
            "--db",
            str(project),
        ],
    )
    data = json.loads(result.stdout)
    assert data["source"] == "majority" and data["groups"] == {}
    assert [
        (r["code"], r["segments"], r["participants"], r["pct_participants"], r["by"]) for r in data["rows"]
    ] == [("access-beds", 2, 2, 50.0, {}), ("access-transport", 0, 0, 0.0, {}), ("followup", 1, 1, 25.0, {})]


def test_themes_written_to_a_file_by_suffix(runner, project, tmp_path):
    result = _ok(runner, ["report", "themes", "--level", "theme", "-o", "themes.csv", "--db", str(project)])
    assert result.stdout == ""
    assert result.stderr == "Wrote the theme table to themes.csv\n"
    assert (tmp_path / "themes.csv").read_text(encoding="utf-8") == (
        "code,name,parent,level,segments,participants,pct_participants\n"
        "access,Access to resources,,theme,4,3,60.0\n"
    )


def test_themes_xlsx(runner, project, tmp_path):
    from openpyxl import load_workbook

    _ok(
        runner,
        ["report", "themes", "--by", "setting", "--format", "xlsx", "-o", "t.xlsx", "--db", str(project)],
    )
    book = load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["themes", "groups", "notes"]  # the notes say which source was counted
    assert any(str(row[1]).startswith("Source: ") for row in book["notes"].iter_rows(values_only=True))
    assert book["themes"]["H1"].value == "setting=rural (n=2) segments"


def test_cooccurrence_csv(runner, project):
    result = _ok(runner, ["report", "cooccurrence", "--min", "1", "--format", "csv", "--db", str(project)])
    assert result.stdout == (
        "code_a,code_b,segments_both,segments_a,segments_b,jaccard\n"
        "access-beds,access-transport,1,3,2,0.250\n"
        "access-beds,followup,1,3,2,0.250\n"
    )


def test_quotes_markdown_and_table_keep_bracketed_text(runner, project):
    result = _ok(
        runner,
        [
            "report",
            "quotes",
            "--code",
            "followup",
            "--by",
            "role",
            "--per-group",
            "1",
            "--format",
            "md",
            "--db",
            str(project),
        ],
    )
    assert result.stdout == (
        "### Exemplar quotes (consensus)\n\n"
        "| Code | role | Quote | Participant | Segment |\n"
        "|---|---|---|---|---|\n"
        "| Follow-up care | officer | Nobody calls them back after the crisis, that's the gap. | P02, officer | P02:2 |\n"
        "| Follow-up care | provider | We wait \\| and wait [inaudible] \\<script>alert(1)\\</script> for a bed. "
        "| P04, provider | P04:2 |\n"
        "\nSource: consensus. 1 of 2 quotes are turns every coder who decided them applied the code to (the "
        "agreed column of --format csv or json says which).\n"
    )
    table = _ok(runner, ["report", "quotes", "--code", "followup", "--db", str(project)]).stdout
    assert "[inaudible]" in table


def test_matrix_csv_on_stdout_by_default(runner, project):
    result = _ok(runner, ["report", "matrix", "--db", str(project)])
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "transcript,segment,speaker,role,setting,text,access,access-beds,access-transport,followup"
    )
    assert lines[1] == f'P01,2,P01,officer,rural,"{LONG}",1,1,1,0'
    assert len(lines) == 8


def test_html_writes_one_file(runner, project, tmp_path):
    result = _ok(
        runner, ["report", "html", "-o", "report.html", "--title", "Crisis <study>", "--db", str(project)]
    )
    assert result.stderr.endswith("\nWrote the report to report.html\n")  # after agree's warnings
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<title>Crisis &lt;study&gt;</title>" in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["report", "themes", "--by", "region"],
            (
                'No transcript has the attribute "region" (known: role, setting). Pass one of those to --by, '
                'or add it with "wei-qual ingest --attributes --db {db}".'
            ),
        ),
        (  # a case typed otherwise is named (attributes keep their case: "Role" is another one)
            ["report", "themes", "--by", "Role"],
            (
                'No transcript has the attribute "Role" (known: role, setting; did you mean "role"?). Pass one '
                'of those to --by, or add it with "wei-qual ingest --attributes --db {db}".'
            ),
        ),
        (
            ["report", "themes", "--where", "Setting=rural"],
            (
                'No transcript has the attribute "Setting" (known: role, setting; did you mean "setting"?). '
                "Pass one of those to --where."
            ),
        ),
        (
            ["report", "themes", "--source", "dave"],
            (
                'No decisions by "dave" in this project (coders: alice, bob, carol, consensus). '
                "Pass --source consensus, a coder's name, majority or union."
            ),
        ),
        (
            ["report", "quotes", "--code", "cost"],
            'Code "cost" is not in the active codebook "crisis". Check the ids with "wei-qual codebook show --db {db}".',
        ),
        (["report", "cooccurrence", "--min", "0"], "--min must be at least 1, not 0. Pass --min 1 or more."),
        (
            ["report", "themes", "--format", "table"],
            (
                '--format table prints to the terminal and cannot be written to "out.txt". '
                "Pass --format csv|md|json|xlsx, or drop -o."
            ),
        ),
        (
            ["report", "themes"],
            (
                'Cannot tell the format of "out.txt" from its suffix. '
                "Pass --format csv|md|json|xlsx, or name the file .csv, .md, .json or .xlsx."
            ),
        ),
    ],
)
def test_errors_are_one_line_and_write_nothing(runner, project, tmp_path, args, message):
    result = runner.invoke(app, [*args, "-o", "out.txt", "--db", str(project)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n".replace("{db}", str(project))  # commands run as printed
    assert not (tmp_path / "out.txt").exists()


def test_without_consensus_the_user_must_choose_a_source(runner, db_path, tmp_path):
    build_report_project(open_db(db_path), coders=("alice", "bob"))
    result = runner.invoke(app, ["report", "html", "-o", "r.html", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: This project has no consensus decisions, so the report needs a source. Choose one with "
        f'--source CODER|majority|union, or reconcile first with "wei-qual reconcile --db {db_path}".\n'
    )
    assert list(tmp_path.glob("r.html*")) == [] and list(tmp_path.glob(".r.html*")) == []


def test_without_consensus_a_consensus_stored_under_another_name_is_named(runner, db_path, tmp_path):
    # reconcile --as "final round": the reports said the project had no consensus, and to reconcile.
    from wei_qual.agree import accept_agreed

    db = open_db(db_path)
    build_report_project(db, coders=("alice", "bob"))
    accept_agreed(db, consensus="final round", actor="lead")
    db.close()
    for args in (["html", "-o", "r.html"], ["themes"]):
        result = runner.invoke(app, ["report", *args, "--db", str(db_path)])
        assert result.exit_code == 1
        assert result.stderr == (
            'Error: This project has no decisions under "consensus", but reconcile stored consensus under '
            "\"final round\" (reconcile --as); read it with --source 'final round', or choose --source "
            "CODER|majority|union.\n"
        )
    assert list(tmp_path.glob("r.html*")) == [] and list(tmp_path.glob(".r.html*")) == []
    _ok(runner, ["report", "html", "-o", "r.html", "--source", "final round", "--db", str(db_path)])


def test_xlsx_needs_a_file_and_folders_must_exist(runner, project):
    result = runner.invoke(app, ["report", "matrix", "--format", "xlsx", "--db", str(project)])
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: XLSX is a binary format and needs a file. Pass -o FILE.xlsx.\n",
    )
    result = runner.invoke(app, ["report", "matrix", "-o", "nope/m.csv", "--db", str(project)])
    assert (result.exit_code, result.stderr) == (
        1,
        'Error: Folder "nope" does not exist. Create it, or pass another -o.\n',
    )


def test_missing_project_is_not_created(runner, tmp_path):
    result = runner.invoke(app, ["report", "themes", "--db", "none.db"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == 'Error: No project at "none.db". Create it with "wei-qual ingest PATH --db none.db", or pass the --db of an existing project.\n'
    )
    assert not (tmp_path / "none.db").exists()


def test_a_consensus_that_has_not_decided_every_turn_is_said(runner, project):
    # Reports read consensus by default: turns it has not decided yet were left out of every count with
    # no word, and the tables looked complete (N, too, counts only the participants it decided).
    db = open_db(project)
    db.execute(
        "DELETE FROM decisions WHERE coder_id = 'consensus' AND segment_id = "
        "(SELECT id FROM segments WHERE transcript_id = 'P04' AND n = 2)"
    )
    db.close()
    warning = (
        "Warning: consensus has decided 3 of the 4 participant turns the coders decided, and the counts leave "
        "out the other 1. Percentages are of the 4 participants it has decided a turn of (N=4): 1 of the 4 the "
        'coders decided is not among them. Take the 1 single-coded turn as coded ("wei-qual reconcile --coder '
        "LEAD --accept-single --no-interactive --db "
    )
    for args in (["report", "themes"], ["report", "cooccurrence"], ["retrieve", "followup"]):
        assert _ok(runner, [*args, "--db", str(project)]).stderr.startswith(warning)
    assert (
        "Warning" not in _ok(runner, ["report", "themes", "--source", "union", "--db", str(project)]).stderr
    )
    data = json.loads(_ok(runner, ["report", "methods", "--format", "json", "--db", str(project)]).stdout)
    assert data["sample"]["consensus_covers"] == {"turns": 3, "of": 4}
    passage = _ok(runner, ["report", "methods", "--db", str(project)]).stdout
    assert (
        "[Consensus so far covers 3 of the 4 participant turns the coders decided: the counts leave out the "
        "others. Take the 1 single-coded turn as coded (reconcile --accept-single) before reporting.]"
    ) in " ".join(passage.split())
    # The HTML report, a file shared with people who never see stderr, carries it at its top.
    page_path = project.parent / "partial.html"
    _ok(runner, ["report", "html", "-o", str(page_path), "--db", str(project)])
    page = page_path.read_text(encoding="utf-8")
    assert '<section id="notes"><h2>Before using these numbers</h2>' in page
    assert "<li>Consensus has decided 3 of the 4 participant turns the coders decided" in page
    _ok(runner, ["report", "html", "--source", "union", "-o", str(page_path), "--db", str(project)])
    assert "participant turns the coders decided" not in page_path.read_text(encoding="utf-8")


def test_a_consensus_walked_under_another_name_is_said_to_be_partial(runner, db_path):
    # A consensus the lead walked with --as final, with no copy in it, was read as a coder: no warning
    # that it had decided one of the four turns the coders decided.
    from wei_qual.agree import list_disagreements, save_consensus

    db = open_db(db_path)
    build_report_project(db, coders=("alice", "bob"))
    _, items = list_disagreements(db)
    save_consensus(db, items[0].unit, items[0].disputed, "discussed", consensus="final", actor="lead")
    db.close()
    result = _ok(runner, ["report", "themes", "--source", "final", "--db", str(db_path)])
    assert " ".join(result.stderr.split()).startswith(
        "Warning: final has decided 1 of the 4 participant turns the coders decided, and the counts leave out "
        "the other 3."
    )


def _agree_warnings(runner, project) -> list[str]:
    """What `wei-qual agree` warns of the coders' agreement, with the HTML report's defaults."""
    result = _ok(runner, ["agree", "--bootstrap", "1000", "--seed", "0", "--db", str(project)])
    return [line.removeprefix("Warning: ") for line in result.stderr.splitlines()]


def _notes(page: str) -> list[str]:
    import html
    import re

    block = re.search(r'<section id="notes">.*?</section>', page)
    return [html.unescape(n) for n in re.findall(r"<li>(.*?)</li>", block.group())] if block else []


def _html(runner, project, *args) -> tuple[str, str]:
    path = project.parent / "page.html"
    result = _ok(runner, ["report", "html", "-o", str(path), *args, "--db", str(project)])
    return path.read_text(encoding="utf-8"), result.stderr


def test_the_agreement_chart_carries_every_warning_agree_gives_of_it(runner, project):
    # The chart showed each code's interval with no word that it rested on draws where α is undefined
    # (agree warns of it), nor of units coded under two codebook versions.
    import dataclasses

    from test_report_project import CODEBOOK

    from wei_qual.models import Code, Decision
    from wei_qual.store.codebooks import save_codebook_version
    from wei_qual.store.decisions import save_decision

    page, _ = _html(runner, project)
    intervals = _agree_warnings(runner, project)
    assert [w.split(" in ")[0] for w in intervals] == [
        "access-beds: alpha is undefined",
        "followup: alpha is undefined",
    ]
    assert _notes(page) == [f"Agreement per code: {w}" for w in intervals]

    # bob recodes P01:2 under version 2, which added access-phone: alice and carol could not apply it.
    db = open_db(project)
    phone = Code("access-phone", "Phone line", parent="access")
    save_codebook_version(
        db, dataclasses.replace(CODEBOOK, version="2", codes=(*CODEBOOK.codes, phone)), "v: 2\n"
    )
    save_decision(db, Decision("P01", 2, "bob", frozenset({"access-beds", "access-phone"})))
    db.close()
    mixed = _agree_warnings(runner, project)
    assert mixed[0] == (
        "1 of the 3 units were coded under different codebook versions (1, 2): a code one version lacks counts "
        "as not applied by whoever coded under it (access-phone). Recode those units under the active version "
        "to compare like with like."
    )
    page, stderr = _html(runner, project)
    assert _notes(page) == [f"Agreement per code: {w}" for w in mixed]
    assert f"Warning: agreement per code: {mixed[0]}\n" in stderr


def test_agreement_on_one_unit_has_no_interval_in_the_chart_and_says_why(runner, db_path):
    # P03:2 is the one turn alice and bob both decided: every draw resampled it, and the chart drew
    # access-transport's interval as 0.000–0.000, where agree gives none.
    build_report_project(open_db(db_path), coders=("consensus", "alice", "bob"))
    db = open_db(db_path)
    db.execute(
        "DELETE FROM decisions WHERE coder_id = 'bob' AND segment_id IN "
        "(SELECT id FROM segments WHERE transcript_id IN ('P01', 'P02') AND n = 2)"
    )
    db.close()
    agree = json.loads(_ok(runner, ["agree", "--format", "json", "--db", str(db_path)]).stdout)
    assert agree["units"] == 1 and all(c["alpha_ci"] == [None, None] for c in agree["codes"])
    page, stderr = _html(runner, db_path)
    assert '<td>access-transport</td><td>Transport</td><td class="num">0.000</td><td>–</td>' in page
    assert _notes(page) == [f"Agreement per code: {agree['reason']}."]
    assert f"Warning: agreement per code: {agree['reason']}.\n" in stderr


def test_warnings_in_the_notes_are_escaped(runner, db_path):
    # A consensus stored under a name that is markup: its warning is text on the page, not a tag.
    from wei_qual.agree import accept_agreed

    db = open_db(db_path)
    build_report_project(db, coders=("alice", "bob"))
    accept_agreed(db, consensus="<b>lead</b> & co", actor="lead")
    db.close()
    page, _ = _html(runner, db_path, "--source", "<b>lead</b> & co")
    assert "<b>lead</b>" not in page
    assert "<li>&lt;b&gt;lead&lt;/b&gt; &amp; co has decided 1 of the 4 participant turns" in page


def test_what_the_numbers_leave_out_is_in_every_file_the_report_writes(runner, project, tmp_path):
    # The warnings reached stderr alone: a shared sheet said "Participants: 4", 100%, with no caveat.
    db = open_db(project)
    db.execute(
        "DELETE FROM decisions WHERE coder_id = 'consensus' AND segment_id = "
        "(SELECT id FROM segments WHERE transcript_id = 'P04' AND n = 2)"
    )
    db.close()
    (tmp_path / "v2.yaml").write_text(
        'name: crisis\nversion: "2"\ncodes:\n  - id: access\n    name: Access to resources\n    children:\n'
        "      - id: access-beds\n        name: CSU beds\n      - id: access-transport\n        name: Transport\n",
        encoding="utf-8",
    )
    _ok(runner, ["codebook", "load", "v2.yaml", "--force", "--db", str(project)])
    removed = "decisions hold codes the active codebook does not have, which nothing counts: followup (6 decisions)."
    partial = (
        "consensus has decided 3 of the 4 participant turns the coders decided, and the counts leave out the "
        "other 1. Percentages are of the 4 participants it has decided a turn of (N=4): 1 of the 4 the coders "
        "decided is not among them."
    )
    for command in ("themes", "quotes"):
        data = json.loads(_ok(runner, ["report", command, "--format", "json", "--db", str(project)]).stdout)
        assert data["source"] == "consensus"  # the report's own keys stay
        assert [w[: len(removed)] for w in data["warnings"]][:1] == [removed]
        assert data["warnings"][1].startswith(partial)
        md = _ok(runner, ["report", command, "--format", "md", "--db", str(project)]).stdout
        assert md.startswith(
            "> **Before using these numbers**\n>\n> - Decisions hold codes the active codebook does not have"
        )
        assert "\n> - Consensus has decided 3 of the 4 participant turns" in md
        assert md.index("Percentages are of the 4 participants") < md.index("### ")
        _ok(runner, ["report", command, "-o", f"{command}.xlsx", "--db", str(project)])
        from openpyxl import load_workbook

        notes = list(load_workbook(tmp_path / f"{command}.xlsx")["notes"].iter_rows(values_only=True))
        assert [row[0] for row in notes[:3]] == ["sheet", "(all sheets)", "(all sheets)"]
        assert notes[1][1].startswith("Before using these numbers: Decisions hold codes")
        assert notes[2][1].startswith("Before using these numbers: " + partial[:1].upper() + partial[1:])
        assert notes[3][1].startswith("Source: consensus.")
        # A CSV stays a bare table, and the command says the warnings are not in it.
        result = _ok(runner, ["report", command, "-o", f"{command}.csv", "--db", str(project)])
        assert (tmp_path / f"{command}.csv").read_text(encoding="utf-8").startswith("code,name,")
        assert result.stderr.endswith(
            f"Wrote the {'theme table' if command == 'themes' else 'exemplar quotes'} to {command}.csv\n"
            "Warning: the CSV holds the table alone, without the 2 warnings above: keep them with the file, or "
            "write .xlsx, .md or .json, which carry them.\n"
        )
    # With nothing left out, the files carry no note block, and the JSON an empty list.
    _ok(runner, ["codebook", "load", "v2.yaml", "--db", str(project)])  # unchanged: still version 2
    db = open_db(project)
    db.execute("DELETE FROM decisions WHERE codes LIKE '%followup%'")
    db.close()
    args = ["report", "themes", "--source", "union", "--db", str(project)]
    assert json.loads(_ok(runner, [*args, "--format", "json"]).stdout)["warnings"] == []
    assert _ok(runner, [*args, "--format", "md"]).stdout.startswith("### Themes (union)")
    _ok(runner, [*args, "-o", "clean.xlsx"])
    assert "(all sheets)" not in [
        r[0] for r in load_workbook(tmp_path / "clean.xlsx")["notes"].iter_rows(values_only=True)
    ]


# A study as a team builds one: two interviews ingested with their attributes, a codebook whose code
# name came with a control character from a YAML escape, two coders' spreadsheets, an excerpt marked.
BELL_TURN = "We wait at the door.\x07 After that, jail, because the unit says no when he has been drinking."


@pytest.fixture
def bell_study(tmp_path, runner):
    (tmp_path / "P01.txt").write_text(
        f"Interviewer: What happens when the unit is full?\n\nP01: {BELL_TURN}\n\nInterviewer: And then?\n\n"
        "P01: Then the ER, for hours.\n",
        encoding="utf-8",
    )
    (tmp_path / "P02.txt").write_text(
        "Interviewer: Tell me about intake.\n\nP02: The ER holds them overnight, most weeks.\n",
        encoding="utf-8",
    )
    (tmp_path / "people.csv").write_text(
        "id,role,setting,years\r\nP01,officer,rural,12\r\nP02,provider,urban,9\r\n", encoding="utf-8"
    )
    (tmp_path / "codebook.yaml").write_text(
        'name: crisis\nversion: "1"\ncodes:\n  - id: jail-fallback\n    name: "Jail \\a fallback"\n'
        "  - id: er-fallback\n    name: ER fallback\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "study.db")
    for args in (
        ["ingest", "P01.txt", "P02.txt", "--attributes", "people.csv"],
        ["codebook", "load", "codebook.yaml"],
    ):
        _ok(runner, [*args, "--db", db])
    start = BELL_TURN.index("After that")
    for coder, excerpt in (("alice", f"jail-fallback={start}:{start + len('After that')}"), ("bob", "")):
        (tmp_path / f"{coder}.csv").write_text(
            "transcript,segment,coder,codes,note,excerpts\r\n"
            f"P01,2,{coder},jail-fallback;er-fallback,,{excerpt}\r\nP01,4,{coder},er-fallback,,\r\n"
            f"P02,2,{coder},er-fallback,,\r\n",
            encoding="utf-8",
        )
        _ok(runner, ["decisions", "import", f"{coder}.csv", "--db", db])
    return db


def test_quotes_csv_and_xlsx_give_every_attribute_and_the_excerpt_flag(runner, bell_study, tmp_path):
    # The docs promised "every attribute" and the JSON had the excerpt flag; the CSV and XLSX had neither.
    from openpyxl import load_workbook

    args = ["report", "quotes", "--source", "union", "--db", bell_study]
    rows = list(csv.DictReader(io.StringIO(_ok(runner, [*args, "--format", "csv"]).stdout)))
    header = "code,name,transcript,segment,speaker,pages,time,participant,role,setting,years,words,agreed,complete,excerpt,text"
    assert list(rows[0]) == header.split(",")
    jail = next(r for r in rows if r["code"] == "jail-fallback")
    assert (jail["role"], jail["setting"], jail["years"], jail["excerpt"], jail["text"]) == (
        "officer",
        "rural",
        "12",
        "1",
        "After that",
    )
    assert {r["excerpt"] for r in rows if r["code"] == "er-fallback"} == {"0"}
    _ok(runner, [*args, "--by", "role", "-o", "quotes.xlsx"])
    sheet = load_workbook(tmp_path / "quotes.xlsx")["quotes"]
    # --by role names the group column "role"; the attribute keeps its own column, as in the matrix.
    assert [c.value for c in sheet[1]] == [
        "code",
        "name",
        "role",
        "transcript",
        "segment",
        "speaker",
        "pages",
        "time",
        "participant",
        "attr_role",
        "setting",
        "years",
        "words",
        "agreed",
        "complete",
        "excerpt",
        "text",
    ]


def test_control_characters_are_shown_as_escapes_in_every_format(runner, bell_study, tmp_path):
    # A BEL was dropped without a word from XLSX, quotes CSV and the HTML page, kept raw in the retrieve
    # CSV and the charts' <title>, and on the terminal it vanished and moved the excerpt's highlight.
    from openpyxl import load_workbook
    from rich.console import Console

    from wei_qual.cli.desk_render import render_retrieval
    from wei_qual.retrieve import retrieve

    shown = "door.\\x07 After that"
    union = ["--source", "union", "--db", bell_study]
    files = {
        "quotes.csv": ["report", "quotes", *union, "-o", "quotes.csv"],
        "quotes.md": ["report", "quotes", *union, "-o", "quotes.md"],
        "themes.csv": ["report", "themes", *union, "-o", "themes.csv"],
        "matrix.csv": ["report", "matrix", *union, "-o", "matrix.csv"],
        "retrieve.csv": ["retrieve", "er-fallback", *union, "-o", "retrieve.csv"],
        "retrieve.md": ["retrieve", "er-fallback", *union, "-o", "retrieve.md"],
        "report.html": ["report", "html", *union, "-o", "report.html"],
    }
    for name, args in files.items():
        _ok(runner, args)
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "\x07" not in text, name
        assert "Jail \\x07 fallback" in text or name.startswith(("retrieve", "matrix")), name
        if name not in ("themes.csv",):
            assert shown in text, name
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<title>Jail \\x07 fallback" in page  # the chart's tooltip
    _ok(runner, ["report", "quotes", *union, "-o", "quotes.xlsx"])
    cells = [c.value for row in load_workbook(tmp_path / "quotes.xlsx")["quotes"].iter_rows() for c in row]
    assert "Jail \\x07 fallback" in cells and any(shown in str(c) for c in cells)
    # JSON is data for scripts: exact.
    data = json.loads(_ok(runner, ["report", "quotes", *union, "--format", "json"]).stdout)
    assert any(BELL_TURN in q["text"] for q in data["quotes"])

    # On the terminal, the excerpt is marked on its own words, the BEL shown before them.
    result = retrieve(open_db(bell_study), ["jail-fallback"], source="union")
    segments = list(Console(width=200).render(render_retrieval(result)))
    marked = "".join(s.text for s in segments if s.style is not None and s.style.reverse)
    assert marked == "After that"
    assert "We wait at the door.\\x07 After that, jail" in "".join(s.text for s in segments)


def test_a_character_no_xml_holds_is_shown_as_an_escape_in_word_and_xlsx(runner, tmp_path):
    # U+FFFF (a converter's end-of-text sentinel left in a .txt) is valid UTF-8, so ingest stores it, but no
    # XML file holds it: retrieve -o .docx and every XLSX ended in a ValueError traceback, nothing written.
    import docx
    from openpyxl import load_workbook

    (tmp_path / "P01.txt").write_text(
        "Interviewer: What happens when the unit is full?\n\n"
        "P01: We wait at the door.\uffff After that, jail, because the unit says no.\n",
        encoding="utf-8",
    )
    (tmp_path / "codebook.yaml").write_text(
        'name: crisis\nversion: "1"\ncodes:\n  - id: jail-fallback\n    name: Jail fallback\n',
        encoding="utf-8",
    )
    (tmp_path / "alice.csv").write_text(
        "transcript,segment,coder,codes\r\nP01,2,alice,jail-fallback\r\n", encoding="utf-8"
    )
    db = str(tmp_path / "study.db")
    for args in (
        ["ingest", "P01.txt"],
        ["codebook", "load", "codebook.yaml"],
        ["decisions", "import", "alice.csv"],
    ):
        _ok(runner, [*args, "--db", db])
    shown = "door.\\uffff After"
    _ok(runner, ["retrieve", "jail-fallback", "--source", "alice", "-o", "found.docx", "--db", db])
    assert any(shown in p.text for p in docx.Document(tmp_path / "found.docx").paragraphs)
    _ok(runner, ["report", "quotes", "--source", "alice", "-o", "quotes.xlsx", "--db", db])
    cells = [c.value for row in load_workbook(tmp_path / "quotes.xlsx")["quotes"].iter_rows() for c in row]
    assert any(shown in str(c) for c in cells)


def test_xlsx_cuts_a_text_longer_than_excel_holds_with_a_mark_and_says_so(runner, tmp_path):
    # openpyxl cut a cell at Excel's 32,767 characters without a word: a monologue (or a policy section)
    # of 6,000 words lost its end in quotes.xlsx and matrix.xlsx while the CSV held it whole.
    from openpyxl import load_workbook

    long_turn = " ".join(f"We waited at the unit for hour {n} of the night." for n in range(1, 801))
    assert len(long_turn) > 32_767
    (tmp_path / "P01.txt").write_text(
        f"Interviewer: Tell me about that night.\n\nP01: {long_turn}\n\nInterviewer: And then?\n\n"
        "P01: -they said no, so it was the ER.\n",
        encoding="utf-8",
    )
    (tmp_path / "codebook.yaml").write_text(
        'name: crisis\nversion: "1"\ncodes:\n  - id: er-fallback\n    name: ER fallback\n', encoding="utf-8"
    )
    (tmp_path / "alice.csv").write_text(
        "transcript,segment,coder,codes,note\r\nP01,2,alice,er-fallback,\r\nP01,4,alice,er-fallback,\r\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "study.db")
    for args in (
        ["ingest", "P01.txt"],
        ["codebook", "load", "codebook.yaml"],
        ["decisions", "import", "alice.csv"],
    ):
        _ok(runner, [*args, "--db", db])
    said = (
        'Warning: quotes.xlsx: 1 cell of column "text" on sheet "quotes" holds more than the 32,767 characters '
        f'Excel keeps in a cell (the longest {len(long_turn):,}): cut there, ending in "[… cut here"; the CSV or '
        "JSON of this report holds the whole text.\n"
    )
    result = _ok(runner, ["report", "quotes", "--source", "alice", "-o", "quotes.xlsx", "--db", db])
    assert said in result.stderr
    book = load_workbook(tmp_path / "quotes.xlsx")
    texts = [row[-1] for row in book["quotes"].iter_rows(min_row=2, values_only=True)]
    cut = next(t for t in texts if t.startswith("We waited"))
    assert len(cut) == 32_767 and cut.endswith(" [… cut here: Excel holds 32,767 characters in a cell]")
    assert long_turn.startswith(cut[: -len(" [… cut here: Excel holds 32,767 characters in a cell]")])
    assert "-they said no, so it was the ER." in texts  # a short cell is untouched
    notes = [note for _, note in book["notes"].iter_rows(min_row=2, values_only=True)]
    assert any("more than the 32,767 characters Excel keeps" in note for note in notes)
    # retrieve says it as the reports do: the file named, the sentence ended.
    out = _ok(runner, ["retrieve", "er-fallback", "--source", "alice", "-o", "r.xlsx", "--db", db])
    assert said.replace("quotes.xlsx", "r.xlsx").replace('sheet "quotes"', 'sheet "segments"') in out.stderr
    # The CSV keeps the whole turn, and says Excel would cut it (silently, when it opens the file).
    excel = (
        "Warning: 1 cell of the CSV holds more than the 32,767 characters Excel keeps in a cell (the longest "
        f"{len(long_turn):,}): the file has it whole, but Excel cuts such a cell without a word when it opens the "
        "file. Open it with LibreOffice, R or Python, or write .xlsx, which marks where it cuts.\n"
    )
    for args in (
        ["report", "quotes", "-o", "q.csv"],
        ["report", "matrix", "-o", "m.csv"],
        ["retrieve", "er-fallback", "-o", "r.csv"],
    ):
        assert excel in _ok(runner, [*args, "--source", "alice", "--db", db]).stderr, args
    assert (
        excel not in _ok(runner, ["report", "themes", "--source", "alice", "-o", "t.csv", "--db", db]).stderr
    )
    rows = list(
        csv.DictReader(
            io.StringIO(
                _ok(runner, ["report", "quotes", "--source", "alice", "--format", "csv", "--db", db]).stdout
            )
        )
    )
    assert long_turn in [r["text"] for r in rows]
    result = _ok(runner, ["report", "matrix", "--source", "alice", "-o", "matrix.xlsx", "--db", db])
    assert 'column "text" on sheet "matrix" holds more than' in result.stderr
    matrix = load_workbook(tmp_path / "matrix.xlsx")["matrix"]
    assert any(
        str(c.value).endswith("characters in a cell]") for row in matrix.iter_rows(min_row=2) for c in row
    )


def test_majority_over_coders_who_never_coded_the_same_turn_is_said_to_be_each_turns_one_coder(
    runner, db_path
):
    # alice and dan split the transcripts: majority and union were each turn's one coder, under a name
    # that says more than one, with empty JSON warnings.
    from wei_qual.models import Decision
    from wei_qual.store.decisions import save_decision

    db = open_db(db_path)
    build_report_project(db, coders=("alice",))
    save_decision(db, Decision("P05", 2, "dan", frozenset({"followup"})))
    db.close()
    said = (
        "no turn was coded by two coders, so --source {} counts each turn's codes as its one coder applied "
        "them: double-code some turns for a majority or union to mean more than one coder"
    )
    for report in ("themes", "quotes", "matrix", "saturation", "cooccurrence"):
        for source in ("majority", "union"):
            args = ["report", report, "--source", source, "--format", "json", "--db", str(db_path)]
            result = _ok(runner, args)
            assert json.loads(result.stdout)["warnings"] == [said.format(source)], (report, source)
            assert said.format(source) in " ".join(result.stderr.split())
    page, stderr = _html(runner, db_path, "--source", "majority")
    sentence = said.format("majority")
    assert sentence[:1].upper() + sentence[1:] in _notes(page) and sentence in " ".join(stderr.split())
    # A consensus, or one coder's name, is what it says: no warning.
    result = _ok(runner, ["report", "themes", "--source", "alice", "--format", "json", "--db", str(db_path)])
    assert json.loads(result.stdout)["warnings"] == []


def test_majority_of_one_coder_is_said_to_be_that_coders_codes_and_two_coders_are_not(runner, db_path):
    db = open_db(db_path)
    build_report_project(db, coders=("alice", "bob"))  # they both coded P01:2, P02:2 and P03:2
    db.close()
    args = ["report", "themes", "--source", "majority", "--format", "json", "--db", str(db_path)]
    assert json.loads(_ok(runner, args).stdout)["warnings"] == []
    # --coders alice leaves one coder: majority is her own codes.
    result = _ok(runner, [*args, "--coders", "alice"])
    [warning] = json.loads(result.stdout)["warnings"]
    assert warning == (
        "alice is the only coder chosen, so --source majority counts alice's own codes: pass --source alice "
        "to name them so"
    )
    assert warning in " ".join(result.stderr.split())
