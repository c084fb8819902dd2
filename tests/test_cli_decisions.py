"""`wei-qual decisions import/export` and `wei-qual coders` through CliRunner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from _coding_project import INTERVIEW, build_project

from wei_qual.cli import app
from wei_qual.models import Decision
from wei_qual.store import iter_audit, open_db
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


def test_rows_deleted_in_the_sheet_are_said_and_removed_only_when_asked(runner, project):
    # alice's decisions went out as a sheet; she deleted the row of p01:4 in Excel (she takes that
    # decision back) and saved it as Excel does (BOM, CRLF). The import said "0 changed" and kept it:
    # agree counted a decision she had withdrawn.
    Path("d.csv").write_text(CSV)
    invoke(runner, "decisions", "import", "d.csv", "--db", str(project))
    Path("alice.csv").write_bytes(
        b"\xef\xbb\xbftranscript,segment,coder,codes,note\r\np01,2,alice,csu-admission;setting-rural,\r\n"
    )
    kept = invoke(runner, "decisions", "import", "alice.csv", "--db", str(project))
    assert kept.stderr == (
        "Warning: alice.csv covers transcript p01 for alice and has no row for 1 of alice's decisions there "
        "(p01:4): they are kept as they are. If the rows were deleted on purpose, import the file again with "
        "--remove-missing to remove them too. alice's decisions on other transcripts are not touched.\n"
        "Imported alice.csv: 0 changed (0 new, 0 updated), 1 unchanged.\n"
    )
    removed = invoke(runner, "decisions", "import", "alice.csv", "--remove-missing", "--db", str(project))
    assert removed.stderr == "Imported alice.csv: 0 changed (0 new, 0 updated), 1 unchanged, 1 removed.\n"
    left = {(d.transcript, d.segment, d.coder) for d in iter_decisions(open_db(project))}
    assert left == {("p01", 2, "alice"), ("p02", 2, "bob")}  # bob's, on a transcript the file lacks, stays
    gone = [r for r in iter_audit(open_db(project), entity="decision") if r["action"] == "delete"]
    assert [(r["entity_id"], r["before"]["note"]) for r in gone] == [("p01:4:alice", "[inaudible] unclear")]


def test_a_sheet_of_one_transcript_says_nothing_of_the_others_and_names_what_it_covers(runner, project):
    # The team codes in spreadsheets, one sheet per coder and interview; alice's sheet of p02 came in
    # after her p01 was in the project. Her p01 decisions are not the sheet's business: no note. Inside
    # p02 a row she left out is still said, and the note names the one transcript it looked at.
    Path("d.csv").write_text(CSV)
    invoke(runner, "decisions", "import", "d.csv", "--db", str(project))
    Path("alice_p02.csv").write_text(
        "transcript,segment,coder,codes,note\np02,2,alice,co-responder,\np02,3,alice,,\n", encoding="utf-8"
    )
    quiet = invoke(runner, "decisions", "import", "alice_p02.csv", "--db", str(project))
    assert quiet.stderr == "Imported alice_p02.csv: 2 changed (2 new, 0 updated), 0 unchanged.\n"
    Path("alice_p02.csv").write_text(
        "transcript,segment,coder,codes,note\np02,2,alice,co-responder;setting-rural,\n", encoding="utf-8"
    )
    partial = invoke(runner, "decisions", "import", "alice_p02.csv", "--format", "json", "--db", str(project))
    assert json.loads(partial.stdout)["notes"] == [
        (
            "alice_p02.csv covers transcript p02 for alice and has no row for 1 of alice's decisions there "
            "(p02:3): they are kept as they are. If the rows were deleted on purpose, import the file again "
            "with --remove-missing to remove them too. alice's decisions on other transcripts are not touched."
        )
    ]
    removed = invoke(runner, "decisions", "import", "alice_p02.csv", "--remove-missing", "--db", str(project))
    assert removed.stderr.endswith("1 removed.\n")
    left = {(d.transcript, d.segment) for d in iter_decisions(open_db(project), coders=["alice"])}
    assert left == {("p01", 2), ("p01", 4), ("p02", 2)}  # p01, which the sheet has no row of, untouched


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
    assert only.stderr == "Wrote 1 decision to bob.csv.\n" and only.stdout == ""
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


# Two interviews (INTERVIEW), and two versions of the minimal codebook: version 2 renames csu-refusal to
# csu-exclusion and adds followup.
FIRST_CODING = (  # alice and bob under version 1
    "transcript,segment,coder,codes,note\r\n"
    "p01,2,alice,csu-admission,\r\np01,4,alice,csu-refusal,\r\np01,6,alice,co-responder,\r\n"
    "p02,2,alice,csu-admission,\r\np02,4,alice,csu-refusal,\r\np02,6,alice,co-responder;stance-supportive,\r\n"
    "p01,2,bob,csu-admission,\r\np01,4,bob,csu-refusal,\r\np01,6,bob,co-responder,\r\n"
    "p02,2,bob,,\r\np02,4,bob,csu-refusal,\r\np02,6,bob,co-responder,\r\n"
)
RECODED = (  # bob recodes two turns under version 2
    "transcript,segment,coder,codes,note\r\np01,4,bob,csu-exclusion;followup,\r\np02,2,bob,followup,\r\n"
)


def _codebooks(tmp_path) -> tuple[Path, Path]:
    v1 = tmp_path / "v1.yaml"
    text = (Path(__file__).resolve().parent.parent / "codebooks" / "minimal.yaml").read_text(encoding="utf-8")
    v1.write_text(text, encoding="utf-8")
    text = text.replace('version: "1.0"', 'version: "2.0"')
    text = text.replace(
        "      - id: csu-refusal\n", "      - id: csu-exclusion\n        renamed_from: csu-refusal\n"
    )
    text = text.replace(
        "  - id: civilian-response\n",
        "  - id: followup\n    name: Follow-up care\n    definition: Care after the crisis.\n  - id: civilian-response\n",
    )
    v2 = tmp_path / "v2.yaml"
    v2.write_text(text, encoding="utf-8")
    return v1, v2


def _cli(runner, *args):
    result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def _ingested(runner, tmp_path, name) -> Path:
    for tid in ("p01", "p02"):
        (tmp_path / f"{tid}.txt").write_text(INTERVIEW.format(P=tid.upper()), encoding="utf-8")
    db = tmp_path / name
    _cli(runner, "ingest", tmp_path / "p01.txt", tmp_path / "p02.txt", "--db", db)
    return db


def _two_version_project(runner, tmp_path) -> Path:
    """Alice and bob coded under version 1; bob recoded two turns under version 2 (active)."""
    v1, v2 = _codebooks(tmp_path)
    db = _ingested(runner, tmp_path, "source.db")
    (tmp_path / "first.csv").write_text(FIRST_CODING, encoding="utf-8")
    (tmp_path / "recoded.csv").write_text(RECODED, encoding="utf-8")
    for args in (["codebook", "load", v1], ["decisions", "import", tmp_path / "first.csv"]):
        _cli(runner, *args, "--db", db)
    for args in (["codebook", "load", v2], ["decisions", "import", tmp_path / "recoded.csv"]):
        _cli(runner, *args, "--db", db)
    return db


def _versions_by_decision(path) -> dict:
    """(transcript, segment, coder) -> the label of the codebook version the decision was made under."""
    db = open_db(path)
    labels = {r["id"]: r["label"] for r in db.query("SELECT id, label FROM codebooks")}
    return {(d.transcript, d.segment, d.coder): labels[d.codebook_version] for d in iter_decisions(db)}


def test_a_json_round_trip_keeps_each_decisions_codebook_version(runner, tmp_path):
    # Import stamped every row with the active version: bob's two recoded turns and the ten decisions
    # of version 1 all came in as version 2, and agree's mixed-version warning went silent.
    source = _two_version_project(runner, tmp_path)
    exported = tmp_path / "all.json"
    _cli(runner, "decisions", "export", "--format", "json", "-o", exported, "--db", source)
    # The other project numbers the versions the other way round (2.0 loaded first): the text's SHA-256
    # names the version, not the number.
    v1, v2 = _codebooks(tmp_path)
    target = _ingested(runner, tmp_path, "target.db")
    for path in (v2, v1, v2):
        _cli(runner, "codebook", "load", path, "--db", target)
    result = _cli(runner, "decisions", "import", exported, "--db", target)
    assert result.stderr.splitlines() == [
        (
            f"Warning: {exported}:item 1 and 9 more rows: codebook version 1 of the file is version 2 here (the "
            "same codebook text, found by its SHA-256)."
        ),
        (
            f"Warning: {exported}:item 4 and 1 more row: codebook version 2 of the file is version 1 here (the "
            "same codebook text, found by its SHA-256)."
        ),
        f"Imported {exported}: 12 changed (12 new, 0 updated), 0 unchanged.",
    ]
    got = _versions_by_decision(target)
    assert got == _versions_by_decision(source)
    assert [k for k, label in got.items() if label == "2.0"] == [("p01", 4, "bob"), ("p02", 2, "bob")]
    mixed = (
        "Warning: 2 of the 6 units were coded under different codebook versions (1, 2): a code one version "
        "lacks counts as not applied by whoever coded under it (followup). Recode those units under the "
        "active version to compare like with like."
    )
    for db in (source, target):
        assert _cli(runner, "agree", "--bootstrap", "0", "--db", db).stderr.splitlines()[0] == mixed
    # The methods passage counts the decisions of each version alike.
    counts = []
    for db in (source, target):
        data = json.loads(
            _cli(
                runner,
                "report",
                "methods",
                "--source",
                "majority",
                "--bootstrap",
                "0",
                "--format",
                "json",
                "--db",
                db,
            ).stdout
        )
        labels = {str(v["version"]): v["label"] for v in data["codebook"]["versions"]}
        counts.append({labels[n]: count for n, count in data["codebook"]["decisions_by_version"].items()})
    assert counts[0] == counts[1] == {"1.0": 10, "2.0": 2}
    # Imported again, nothing changes; into the project it came from, neither.
    for db in (target, source):
        again = _cli(runner, "decisions", "import", exported, "--db", db)
        assert (
            again.stderr.splitlines()[-1]
            == f"Imported {exported}: 0 changed (0 new, 0 updated), 12 unchanged."
        )


def test_an_import_gives_back_the_version_a_decision_was_made_under(runner, tmp_path):
    # A project that imported a CSV (no version column: the active version for every row) is put right by
    # importing the JSON export: the version alone changed, and the audit log says so.
    source = _two_version_project(runner, tmp_path)
    _cli(runner, "decisions", "export", "-o", tmp_path / "all.csv", "--db", source)
    _cli(runner, "decisions", "export", "--format", "json", "-o", tmp_path / "all.json", "--db", source)
    v1, v2 = _codebooks(tmp_path)
    target = _ingested(runner, tmp_path, "target.db")
    for path in (v1, v2):
        _cli(runner, "codebook", "load", path, "--db", target)
    _cli(runner, "decisions", "import", tmp_path / "all.csv", "--db", target)
    assert set(_versions_by_decision(target).values()) == {"2.0"}
    result = _cli(runner, "decisions", "import", tmp_path / "all.json", "--db", target)
    assert (
        result.stderr == f"Imported {tmp_path / 'all.json'}: 10 changed (0 new, 10 updated), 2 unchanged.\n"
    )
    assert _versions_by_decision(target) == _versions_by_decision(source)
    from wei_qual.store import iter_audit

    last = [r for r in iter_audit(open_db(target), entity="decision") if r["entity_id"] == "p01:2:alice"][-1]
    assert (last["before"], last["after"]) == (
        {"codes": ["csu-admission"], "note": "", "rationale": "", "codebook_version": 2},
        {"codes": ["csu-admission"], "note": "", "rationale": "", "codebook_version": 1},
    )


def test_a_row_naming_a_version_the_project_does_not_have_is_refused(runner, tmp_path):
    source = _two_version_project(runner, tmp_path)
    exported = tmp_path / "all.json"
    _cli(runner, "decisions", "export", "--format", "json", "-o", exported, "--db", source)
    sha = json.loads(exported.read_text(encoding="utf-8"))[0]["codebook_sha256"]
    _, v2 = _codebooks(tmp_path)
    target = _ingested(runner, tmp_path, "target.db")
    _cli(runner, "codebook", "load", v2, "--db", target)  # version 1.0 was never loaded here
    result = runner.invoke(app, ["decisions", "import", str(exported), "--db", str(target)])
    assert (result.exit_code, result.stderr) == (
        1,
        (
            f'Error: "{exported}", item 1: the row names codebook version 1 (SHA-256 {sha[:12]}...), which this '
            f'project does not have. Load that codebook first ("wei-qual codebook load FILE --db {target}", then '
            "load the active one again), or remove the codebook_version and codebook_sha256 keys to give the rows "
            "the active version; nothing was imported.\n"
        ),
    )
    assert iter_decisions(open_db(target)) == []
    # A CSV with a version column is read the same way, by the project's own numbers.
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "transcript,segment,coder,codes,note,codebook_version\r\np01,2,carol,csu-admission,,1\r\n"
        "p01,4,carol,followup,,2\r\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["decisions", "import", str(sheet), "--db", str(target)])
    assert (result.exit_code, result.stderr) == (
        1,
        (
            f'Error: "{sheet}", line 3: the row names codebook version 2, which this project does not have. Load '
            f'that codebook first ("wei-qual codebook load FILE --db {target}", then load the active one again), '
            "or remove the codebook_version column to give the rows the active version; nothing was imported.\n"
        ),
    )
    sheet.write_text(
        "transcript,segment,coder,codes,note,codebook_version\r\np01,2,carol,csu-admission,,1\r\n"
        "p01,4,carol,followup,,\r\np01,6,carol,,,v1\r\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["decisions", "import", str(sheet), "--db", str(target)])
    assert (result.exit_code, result.stderr) == (
        1,
        (
            f"Error: {sheet}: 1 problem, nothing imported.\n"
            f'{sheet}:4: codebook_version "v1" is not a version number. Use a number from "wei-qual codebook '
            f'versions --db {target}", or leave it empty for the active version.\n'
        ),
    )
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(",v1", ","), encoding="utf-8")
    _cli(runner, "decisions", "import", sheet, "--db", str(target))
    assert _versions_by_decision(target) == {
        ("p01", 2, "carol"): "2.0",
        ("p01", 4, "carol"): "2.0",  # no version named: the active one
        ("p01", 6, "carol"): "2.0",
    }


def test_export_says_which_decisions_import_would_refuse(runner, db_path):
    # Alice's p02:2 holds jail and hospital, saved before a codebook made "place" exclusive (--force):
    # export wrote it without a word, and its import was refused at the hand-over.
    from _agree_project import build

    db = open_db(db_path)
    build(db)
    save_decision(db, Decision("p02", 2, "alice", frozenset({"jail", "hospital"})))
    db.close()
    out = invoke(runner, "decisions", "export", "--coder", "alice", "--db", str(db_path))
    assert "p02,2,alice,hospital;jail,," in out.stdout.splitlines()  # written all the same, on stdout only
    assert " ".join(out.stderr.split()) == (
        'Warning: 1 decision holds what "decisions import" refuses under the active codebook (decided before a '
        'version changed it): p02:2 alice (codes "hospital" and "jail" are both in exclusive group "place"). '
        'Exported, it does not import again until recoded: "wei-qual code --coder alice --recode --from p02:2 '
        f'--db {db_path}".'
    )
    Path("alice.csv").write_text(out.stdout)
    refused = runner.invoke(app, ["decisions", "import", "alice.csv", "--db", str(db_path)])
    assert refused.exit_code == 1 and 'both in exclusive group "place"' in refused.stderr
