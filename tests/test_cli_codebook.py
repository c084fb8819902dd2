"""The codebook command group through the CLI: outputs, exact error text, exit codes, nothing written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wei_qual.cli import app
from wei_qual.models import PARTICIPANT, Decision, Segment, Transcript
from wei_qual.store import iter_audit, open_db
from wei_qual.store.codebooks import iter_codebook_versions
from wei_qual.store.decisions import get_decision, save_decision
from wei_qual.store.transcripts import save_transcript

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "codebooks" / "minimal.yaml"
FIXTURES = Path(__file__).resolve().parent / "data" / "codebooks"


@pytest.fixture
def minimal(tmp_path) -> Path:
    """A copy of codebooks/minimal.yaml in tmp_path (tests edit it)."""
    return Path(shutil.copy(MINIMAL, tmp_path / "minimal.yaml"))


def invoke(runner, *args):
    return runner.invoke(app, ["codebook", *map(str, args)])


def load(runner, path, db_path, *extra):
    result = invoke(runner, "load", path, "--db", db_path, *extra)
    assert result.exit_code == 0, result.stderr
    return result


def versions(db_path):
    db = open_db(db_path)
    try:
        return [(r["id"], r["active"]) for r in iter_codebook_versions(db)]
    finally:
        db.close()


def test_validate_ok(runner, minimal):
    result = invoke(runner, "validate", "minimal.yaml")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "minimal.yaml: valid (6 codes in 2 themes, 1 exclusive group).\n"


def test_validate_reports_every_problem_and_exits_1(runner, make_codebook):
    make_codebook(
        """
        name: Bad [draft]
        version: 1
        codes:
          - id: Bad
            name: B
            color: blue
          - id: x
            nam: X
            patterns:
              - [{LOWR: "[inaudible]"}]
        """,
        "bad.yaml",
    )
    result = invoke(runner, "validate", "bad.yaml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        'bad.yaml:4:9: code 1: id "Bad" is not a slug. Use lowercase letters, digits, "-" or "_", starting with a '
        "letter.\n"
        'bad.yaml:6:12: code "Bad": color "blue" is not a #RRGGBB colour, e.g. "#1F77B4".\n'
        'bad.yaml:7:5: code "x": missing key "name".\n'
        'bad.yaml:8:5: code "x": unknown key. Did you mean "name"? Allowed keys: id, name, definition, include, exclude, examples, '
        "color, keywords, exclude_keywords, patterns, exclusive, children, renamed_from, merged_into, split_into, draft.\n"
    )


def test_validate_missing_file(runner):
    result = invoke(runner, "validate", "nope.yaml")
    assert result.exit_code == 1
    assert result.stderr == 'Error: Codebook file "nope.yaml" does not exist. Check the path.\n'


def test_load_unchanged_and_reactivate(runner, minimal, db_path):
    result = load(runner, "minimal.yaml", db_path, "--actor", "lead")
    assert (
        result.stderr
        == "Loaded minimal.yaml as version 1, now active (6 codes in 2 themes, 1 exclusive group).\n"
    )
    assert (
        load(runner, "minimal.yaml", db_path).stderr
        == "minimal.yaml is unchanged: version 1 is already active.\n"
    )
    original = minimal.read_text()
    minimal.write_text(original.replace('version: "1.0"', 'version: "1.1"'))
    assert load(runner, "minimal.yaml", db_path).stderr.startswith(
        "Loaded minimal.yaml as version 2, now active"
    )
    minimal.write_text(original)
    assert load(runner, "minimal.yaml", db_path).stderr == (
        "minimal.yaml matches version 1, which is active again (6 codes in 2 themes, 1 exclusive group).\n"
    )
    assert versions(db_path) == [(1, 1), (2, 0)]


def test_load_invalid_writes_nothing(runner, make_codebook, db_path):
    make_codebook("name: x\nversion: 1\ncodes: []\n", "empty.yaml")
    result = invoke(runner, "load", "empty.yaml", "--db", db_path)
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: Codebook "empty.yaml" has 1 problem; the first: empty.yaml:3:8: the codebook has no codes. Add at '
        'least one under codes. Run "wei-qual codebook validate empty.yaml" to see all.\n'
    )
    assert versions(db_path) == []


def _project_with_decisions(db_path):
    db = open_db(db_path)
    save_transcript(
        db,
        Transcript(
            "p01",
            "p01.txt",
            "txt",
            "sha",
            "One.\n\nTwo.",
            (
                Segment(1, "P", PARTICIPANT, "One.", 0, 4),
                Segment(2, "P", PARTICIPANT, "Two.", 6, 10),
            ),
        ),
    )
    save_decision(db, Decision("p01", 1, "alice", frozenset({"csu-refusal", "stance-mixed"})))
    save_decision(db, Decision("p01", 2, "bob", frozenset({"csu-refusal"})))
    db.close()


def _remove_csu_refusal(minimal):
    """The codebook file without csu-refusal (the last code of its theme)."""
    text = minimal.read_text()
    start = text.index("      - id: csu-refusal")
    minimal.write_text(text[:start] + text[text.index("  - id: civilian-response") :])


def test_load_refuses_removed_codes_then_force(runner, minimal, db_path):
    load(runner, "minimal.yaml", db_path)
    _project_with_decisions(db_path)
    _remove_csu_refusal(minimal)
    result = invoke(runner, "load", "minimal.yaml", "--db", db_path)
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: Codebook "minimal.yaml" removes codes that have decisions: "csu-refusal" (2 decisions). Put them '
        "back, mark them renamed_from or merged_into another code, or pass --force to keep the decisions as they "
        "are.\n"
    )
    assert versions(db_path) == [(1, 1)]
    forced = load(runner, "minimal.yaml", db_path, "--force")
    assert forced.stderr == (
        'Warning: code "csu-refusal" was removed with --force; its 2 decisions keep the old id. Each coder '
        f'recodes theirs with "wei-qual code --coder NAME --code csu-refusal --db {db_path}".\n'
        "Loaded minimal.yaml as version 2, now active (5 codes in 2 themes, 1 exclusive group).\n"
    )


def test_decisions_left_on_a_removed_code_are_said_and_retrievable(runner, minimal, db_path, tmp_path):
    # After a forced removal (a code split in two, say), the old code's decisions counted nowhere and no
    # report or agreement said so; retrieve refused the code, so nothing listed what to recode.
    load(runner, "minimal.yaml", db_path)
    _project_with_decisions(db_path)
    _remove_csu_refusal(minimal)
    load(runner, "minimal.yaml", db_path, "--force")
    warning = (
        "Warning: decisions hold codes the active codebook does not have, which nothing counts: csu-refusal (2 "
        f'decisions). Each coder recodes theirs with "wei-qual code --coder NAME --code CODE --db {db_path}" '
        f'("wei-qual retrieve CODE --source union --db {db_path}" lists them), or bring the codes back in the '
        "codebook.\n"
    )
    for args in (["report", "themes", "--source", "union"], ["agree", "--bootstrap", "0"]):
        assert runner.invoke(app, [*args, "--db", str(db_path)]).stderr.startswith(warning)
    result = runner.invoke(
        app, ["retrieve", "csu-refusal", "--source", "union", "--format", "json", "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(h["transcript"], h["segment"]) for h in data["hits"]] == [("p01", 1), ("p01", 2)]
    assert data["warnings"][-1].startswith(
        '"csu-refusal" is not in the active codebook: it is a code of an earlier version'
    )
    assert (
        "CSU refusal (csu-refusal)"
        in runner.invoke(app, ["retrieve", "csu-refusal", "--db", str(db_path)]).stdout
    )
    # Their export imports back as it was: the project still holds the code.
    exported = tmp_path / "decisions.csv"
    assert (
        runner.invoke(app, ["decisions", "export", "-o", str(exported), "--db", str(db_path)]).exit_code == 0
    )
    result = runner.invoke(app, ["decisions", "import", str(exported), "--db", str(db_path)])
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        0,
        f"Imported {exported}: 0 changed (0 new, 0 updated), 2 unchanged.",
    )


def test_import_takes_a_removed_code_only_where_the_decision_holds_it(runner, minimal, db_path, tmp_path):
    # An old spreadsheet put csu-refusal (removed with --force) on decisions that never held it, with no
    # word: new uses of a code nothing counts.
    load(runner, "minimal.yaml", db_path)
    _project_with_decisions(db_path)
    _remove_csu_refusal(minimal)
    load(runner, "minimal.yaml", db_path, "--force")
    sheet = tmp_path / "old.csv"
    sheet.write_text("transcript,segment,coder,codes,note\np01,2,alice,csu-refusal,\n", encoding="utf-8")
    result = runner.invoke(app, ["decisions", "import", str(sheet), "--db", str(db_path)])
    assert (result.exit_code, result.stderr) == (
        1,
        (
            f'Error: "{sheet}": transcript "p01" segment 2 (alice) has code "csu-refusal", which the active '
            "codebook no longer has (an earlier version did) and this decision does not hold yet. Use the code "
            "that replaced it; nothing was imported.\n"
        ),
    )


def test_import_reads_a_renamed_or_merged_ids_excerpts_as_the_new_ids(runner, minimal, db_path, tmp_path):
    # A decisions export made before version 2 (its excerpts column too): the codes cell was read as the
    # new ids, its excerpts were not, and every row was refused as "excerpt for code csu-refusal, which
    # the row does not apply". The JSON export is read the same way.
    load(runner, "minimal.yaml", db_path)
    _project_with_decisions(db_path)
    text = minimal.read_text().replace(
        "      - id: csu-refusal\n", "      - id: csu-exclusion\n        renamed_from: csu-refusal\n"
    )
    minimal.write_text(text)
    load(runner, "minimal.yaml", db_path)
    sheet = tmp_path / "old.csv"
    sheet.write_text(
        "transcript,segment,coder,codes,note,excerpts\r\np01,2,carol,csu-refusal,,csu-refusal=0:3\r\n",
        encoding="utf-8",
    )
    items = tmp_path / "old.json"
    items.write_text(
        json.dumps(
            [
                {
                    "transcript": "p01",
                    "segment": 1,
                    "coder": "dana",
                    "codes": ["csu-refusal"],
                    "excerpts": [{"code": "csu-refusal", "start": 0, "end": 3, "text": "One"}],
                }
            ]
        )
    )
    for path in (sheet, items):
        result = runner.invoke(app, ["decisions", "import", str(path), "--db", str(db_path)])
        assert result.exit_code == 0, result.stderr
    db = open_db(db_path)
    from wei_qual.store.decisions import get_decision

    for n, coder in ((2, "carol"), (1, "dana")):
        got = get_decision(db, "p01", n, coder)
        assert got.codes == {"csu-exclusion"}
        assert [(e.code, e.start, e.end) for e in got.excerpts] == [("csu-exclusion", 0, 3)]


def test_import_reads_a_renamed_or_merged_id_as_its_new_one(runner, minimal, db_path, tmp_path):
    # A spreadsheet kept from before version 2 still says csu-refusal and stance-mixed: "unknown code",
    # while merge and the project's own decisions had moved them.
    load(runner, "minimal.yaml", db_path)
    _project_with_decisions(db_path)
    text = minimal.read_text().replace(
        "      - id: csu-refusal\n", "      - id: csu-exclusion\n        renamed_from: csu-refusal\n"
    )
    text = text.replace(
        "          - id: stance-mixed\n            name: Mixed\n",
        "          - id: stance-mixed\n            merged_into: stance-opposed\n            name: Mixed\n",
    )
    minimal.write_text(text)
    load(runner, "minimal.yaml", db_path)
    sheet = tmp_path / "old.csv"
    sheet.write_text(
        "transcript,segment,coder,codes,note\r\np01,2,carol,csu-refusal;stance-mixed,\r\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["decisions", "import", str(sheet), "--db", str(db_path)])
    assert result.exit_code == 0, result.stderr
    assert (
        'code "csu-refusal" read as "csu-exclusion" (the codebook renamed it or merged it into that code).'
        in result.stderr
    )
    db = open_db(db_path)
    from wei_qual.store.decisions import get_decision

    assert get_decision(db, "p01", 2, "carol").codes == {"csu-exclusion", "stance-opposed"}
    # retrieve of the old id says where it went.
    result = runner.invoke(app, ["retrieve", "csu-refusal", "--db", str(db_path)])
    assert (result.exit_code, result.stderr) == (
        1,
        (
            'Error: Code "csu-refusal" is not in the active codebook "Minimal crisis-response codebook". It was '
            'renamed or merged into "csu-exclusion": retrieve that.\n'
        ),
    )


def test_load_rename_and_merge_messages(runner, minimal, db_path):
    load(runner, "minimal.yaml", db_path)
    _project_with_decisions(db_path)
    text = minimal.read_text()
    text = text.replace(
        "      - id: csu-refusal\n", "      - id: csu-exclusion\n        renamed_from: csu-refusal\n"
    )
    text = text.replace(
        "          - id: stance-mixed\n            name: Mixed\n",
        "          - id: stance-mixed\n            merged_into: stance-opposed\n            name: Mixed\n",
    )
    # the group still has two live children after the merge
    text = text.replace(
        "          - id: stance-opposed\n",
        "          - id: stance-unsure\n            name: Unsure\n          - id: stance-opposed\n",
    )
    minimal.write_text(text)
    result = load(runner, "minimal.yaml", db_path)
    assert result.stderr == (
        'Renamed "csu-refusal" to "csu-exclusion": moved 2 decisions.\n'
        'Merged "stance-mixed" into "stance-opposed": moved 1 decision.\n'
        "Loaded minimal.yaml as version 2, now active (6 codes in 2 themes, 1 exclusive group).\n"
    )
    shown = json.loads(invoke(runner, "show", "--format", "json", "--db", db_path).stdout)
    assert shown["merged"] == {"stance-mixed": "stance-opposed"}
    counts = {c["id"]: c["decisions"] for t in shown["codes"] for c in t["children"]}
    assert counts["csu-exclusion"] == 2


def test_show_tree_json_md(runner, minimal, db_path):
    load(runner, "minimal.yaml", db_path)
    _project_with_decisions(db_path)
    tree = invoke(runner, "show", "--db", db_path)
    assert tree.exit_code == 0
    lines = tree.stdout.splitlines()
    assert lines[0] == "Minimal crisis-response codebook (version 1, label 1.0)"
    assert "│   └── csu-refusal  CSU refusal  2 decisions" in lines
    assert "    └── stance  Stance toward civilian responders  0 decisions (exclusive: pick one)" in lines
    assert "        ├── stance-mixed  Mixed  1 decision" in lines
    data = json.loads(invoke(runner, "show", "--format", "json", "--db", db_path).stdout)
    assert (data["version"], data["label"], [c["id"] for c in data["codes"]]) == (
        1,
        "1.0",
        ["csu", "civilian-response"],
    )
    assert data["description"].startswith("A tiny example for learning the format.")
    md = invoke(runner, "show", "--format", "md", "--version", "1", "--db", db_path).stdout
    assert md.startswith("# Minimal crisis-response codebook\n\nVersion: 1.0\n")


def test_show_errors(runner, db_path):
    result = invoke(runner, "show", "--db", db_path)
    assert result.exit_code == 1
    assert (
        result.stderr
        == f'Error: No codebook is loaded in this project. Run "wei-qual codebook load FILE --db {db_path}" first.\n'
    )


def test_show_unknown_version(runner, minimal, db_path):
    load(runner, "minimal.yaml", db_path)
    result = invoke(runner, "show", "--version", "5", "--db", db_path)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Codebook version 5 does not exist (versions: 1). Pass one of them to --version.\n"
    )


def test_diff_default_previous_vs_active(runner, minimal, db_path):
    load(runner, "minimal.yaml", db_path)
    single = invoke(runner, "diff", "--db", db_path)
    assert single.exit_code == 1
    assert single.stderr == (
        "Error: Version 1 is the first codebook version, so there is nothing to compare it with. "
        "Pass a version number or a file: wei-qual codebook diff A [B].\n"
    )
    minimal.write_text(
        minimal.read_text().replace("name: CSU refusal", "name: CSU exclusion")
        + "  - id: training\n    name: Training [CIT]\n"
    )
    load(runner, "minimal.yaml", db_path)
    data = json.loads(invoke(runner, "diff", "--format", "json", "--db", db_path).stdout)
    assert data["a"]["ref"] == "version 1" and data["b"]["ref"] == "version 2"
    assert data["added"] == ["training"]
    assert data["changed"] == [
        {"id": "csu-refusal", "fields": {"name": {"before": "CSU refusal", "after": "CSU exclusion"}}}
    ]
    table = invoke(runner, "diff", "--db", db_path)
    assert table.exit_code == 0
    assert "added" in table.stdout and "Training [CIT]" in table.stdout  # brackets survive Rich
    assert "CSU refusal → CSU exclusion" in table.stdout


def test_diff_of_one_file_reads_from_the_active_version_to_the_file(runner, minimal, db_path):
    # A lead diffing their edited file read every change backwards ("CSU exclusion → CSU refusal"), and the
    # rename the file declares showed as a code added and one removed: the file was A, the active version B.
    load(runner, "minimal.yaml", db_path)
    minimal.write_text(
        minimal.read_text()
        .replace("name: CSU refusal", "name: CSU exclusion")
        .replace(
            "      - id: csu-refusal\n", "      - id: csu-exclusion\n        renamed_from: csu-refusal\n"
        )
    )
    data = json.loads(invoke(runner, "diff", "minimal.yaml", "--format", "json", "--db", db_path).stdout)
    assert (data["a"]["ref"], data["b"]["ref"]) == ("version 1", "minimal.yaml")
    assert data["direction"] == "from version 1 (active) to file minimal.yaml"
    assert data["renamed"] == [{"from": "csu-refusal", "to": "csu-exclusion"}]
    assert (data["added"], data["removed"]) == ([], [])
    assert data["changed"] == [
        {"id": "csu-exclusion", "fields": {"name": {"before": "CSU refusal", "after": "CSU exclusion"}}}
    ]
    table = invoke(runner, "diff", "minimal.yaml", "--db", db_path, "--wide")
    assert table.stdout.splitlines()[0] == "From version 1 (active) to file minimal.yaml (before → after)"
    assert "CSU refusal → CSU exclusion" in table.stdout
    # A version number alone still reads from it to the active version (older to newer).
    load(runner, "minimal.yaml", db_path)
    data = json.loads(invoke(runner, "diff", "1", "--format", "json", "--db", db_path).stdout)
    assert data["direction"] == "from version 1 to version 2 (active)"
    assert data["renamed"] == [{"from": "csu-refusal", "to": "csu-exclusion"}]


def test_diff_two_files_needs_no_project(runner, minimal, make_codebook):
    make_codebook(minimal.read_text(), "same.yaml")
    result = invoke(runner, "diff", "minimal.yaml", "same.yaml")
    assert result.exit_code == 0
    assert result.stderr == "No differences between minimal.yaml and same.yaml.\n"
    assert not Path("wei-qual.db").exists()


@pytest.mark.parametrize("fmt", ["md", "csv", "docx", "qdc"])
def test_export_each_format(runner, minimal, db_path, fmt):
    load(runner, "minimal.yaml", db_path)
    result = invoke(runner, "export", "--format", fmt, "-o", f"cb.{fmt}", "--db", db_path)
    assert result.exit_code == 0
    said = (
        "Warning: REFI-QDA's .qdc has no place for the codebook's own name, version label and description: cb.qdc "
        "holds its codes only (each code's fields, draft and renamed_from lines are in its Description).\n"
        if fmt == "qdc"
        else ""
    )
    assert result.stderr == f"{said}Wrote codebook version 1 to cb.{fmt} ({fmt}).\n"
    assert Path(f"cb.{fmt}").stat().st_size > 0


def test_export_without_codebook(runner, db_path):
    result = invoke(runner, "export", "--format", "md", "-o", "cb.md", "--db", db_path)
    assert result.exit_code == 1
    assert (
        result.stderr
        == f'Error: No codebook is loaded in this project. Run "wei-qual codebook load FILE --db {db_path}" first.\n'
    )
    assert not Path("cb.md").exists()


def test_import_prints_warnings_on_stderr(runner):
    result = invoke(runner, "import", FIXTURES / "maxqda.qdc", "-o", "imported.yaml")
    assert result.exit_code == 0
    assert result.stderr == (
        'Warning: 2 codes are named "Staffing": they get the ids staffing, staffing-2.\n'
        'Warning: set "Workforce" (2 codes) was not carried over: wei-qual codebooks have no code sets.\n'
        "Warning: 1 code without children is not codable in the source (isCodable=false) but can be "
        "applied in wei-qual: distance.\n"
        "Wrote 4 codes to imported.yaml. Check it with: wei-qual codebook validate imported.yaml\n"
    )
    assert invoke(runner, "validate", "imported.yaml").exit_code == 0


def test_import_round_trip_through_the_cli(runner, minimal, db_path):
    load(runner, "minimal.yaml", db_path)
    invoke(runner, "export", "--format", "qdc", "-o", "cb.qdc", "--db", db_path)
    result = invoke(runner, "import", "cb.qdc", "-o", "back.yaml")
    assert (
        result.stderr == "Wrote 9 codes to back.yaml. Check it with: wei-qual codebook validate back.yaml\n"
    )
    diff = json.loads(invoke(runner, "diff", "minimal.yaml", "back.yaml", "--format", "json").stdout)
    assert [diff[k] for k in ("added", "removed", "renamed", "merged", "changed")] == [[]] * 5
    # REFI-QDA has no place for the codebook's own name, label and description: said by diff.
    assert sorted(diff["codebook"]) == ["description", "name", "version"]


def test_import_malformed(runner):
    shutil.copy(FIXTURES / "malformed.qdc", "bad.qdc")
    result = invoke(runner, "import", "bad.qdc", "-o", "out.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: "bad.qdc", line 5, column 11: not well-formed XML (an unescaped < or & in text, or a damaged '
        "file). Export the codebook again as .qdc.\n"
    )
    assert not Path("out.yaml").exists()


@pytest.mark.parametrize("args", [("show",), ("diff",), ("export", "--format", "md", "-o", "cb.md")])
def test_reading_commands_do_not_create_a_project(runner, args):
    result = invoke(runner, *args, "--db", "missing.db")
    assert result.exit_code == 1
    assert (
        result.stderr
        == 'Error: No project at "missing.db". Create it with "wei-qual ingest PATH --db missing.db", or pass the --db of an existing project.\n'
    )
    assert not Path("missing.db").exists()


def test_versions_lists_every_version(runner, minimal, db_path):
    assert invoke(runner, "versions", "--db", db_path).stderr == (
        f'No codebook is loaded yet. Run "wei-qual codebook load FILE --db {db_path}".\n'
    )
    load(runner, "minimal.yaml", db_path)
    _project_with_decisions(db_path)  # decisions made under version 1
    minimal.write_text(minimal.read_text() + "  - id: training\n    name: Training\n")
    load(runner, "minimal.yaml", db_path)
    rows = json.loads(invoke(runner, "versions", "--format", "json", "--db", db_path).stdout)
    assert [(r["id"], r["active"], r["label"], r["codes"], r["decisions"]) for r in rows] == [
        (1, False, "1.0", 9, 2),
        (2, True, "1.0", 10, 0),
    ]
    table = invoke(runner, "versions", "--db", db_path)
    assert table.exit_code == 0
    assert "Minimal crisis-response codebook" in table.stdout


@pytest.mark.parametrize("name", ["P01.txt", "P04.md", "P06.vtt", "P09.txt", "P10.txt", "participants.csv"])
def test_validate_on_a_transcript_never_echoes_its_text(runner, name):
    # Errors name the line and the problem, never the content: no speaker label, no phrase of the file.
    from pathlib import Path

    sample = Path(__file__).resolve().parent.parent / "transcripts_sample" / name
    result = runner.invoke(app, ["codebook", "validate", str(sample)])
    assert result.exit_code == 1
    text = sample.read_text(encoding="utf-8")
    words = {w.strip(".,:;!?\"'()[]<>") for w in text.split()} - {""}
    message = result.stdout + result.stderr
    said = {w.strip(".,:;!?\"'()[]<>") for w in message.replace(str(sample), " ").split()}
    # Only the words of the message itself may also occur in the file ("the", "codebook", a number...).
    leaked = {w for w in said & words if len(w) > 3 and w[0].isupper()}
    assert not leaked - {"YAML", "Pass", "Codebook"}, (leaked, message)


def test_a_transcript_with_labels_is_not_a_codebook(runner, tmp_path):
    path = tmp_path / "t1.txt"
    path.write_text(
        "Interviewer: Thanks for joining. Tell me about the crisis unit.\n"
        "Maria Lopez: The unit said they could not take him because of the assault.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["codebook", "validate", str(path)])
    assert (result.exit_code, result.stdout + result.stderr) == (
        1,
        (
            f"{path}:1:1: this is not a codebook: none of its 2 top-level keys is name, version or codes. "
            "Pass the codebook's YAML file (the format is in docs/codebook.md).\n"
        ),
    )


def test_export_yaml_does_not_replace_the_leads_own_file(runner, minimal, db_path):
    # The docs' route for drafts: export the active version over the team's file. It held the lead's
    # comments, which wei-qual's YAML cannot carry.
    load(runner, "minimal.yaml", db_path)
    before = minimal.read_bytes()
    result = invoke(runner, "export", "--format", "yaml", "-o", "minimal.yaml", "--db", db_path)
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: Codebook file "minimal.yaml" exists and is not a file wei-qual wrote: its comments, order and '
        'layout would be lost. Write to another file (-o) and copy the changes across ("wei-qual codebook diff '
        f'minimal.yaml --db {db_path}" lists them), or pass --force to replace it.\n'
    )
    assert minimal.read_bytes() == before
    result = invoke(runner, "export", "--format", "yaml", "-o", "minimal.yaml", "--db", db_path, "--force")
    assert result.exit_code == 0, result.stderr
    assert minimal.read_text().startswith("# Exported by wei-qual codebook export.")


def test_export_yaml_replaces_its_own_export_but_not_unloaded_edits(runner, minimal, db_path):
    load(runner, "minimal.yaml", db_path)
    args = ("export", "--format", "yaml", "-o", "study.yaml", "--db", db_path)
    assert invoke(runner, *args).exit_code == 0
    assert invoke(runner, *args).exit_code == 0  # its own export, unchanged: nothing is lost
    edited = Path("study.yaml").read_text().replace("CSU admission", "CSU intake")
    Path("study.yaml").write_text(edited)
    result = invoke(runner, *args)
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: Codebook file "study.yaml" holds changes that no version of this project has, and they would '
        f'be lost. Load it first ("wei-qual codebook load study.yaml --db {db_path}"), write to another file (-o), or pass '
        "--force to replace it.\n"
    )
    assert Path("study.yaml").read_text() == edited
    load(runner, "study.yaml", db_path)  # once loaded, the file's codebook is a version: it may be replaced
    assert invoke(runner, *args, "--version", "1").exit_code == 0
    assert "CSU admission" in Path("study.yaml").read_text()


def test_import_does_not_replace_a_hand_written_codebook(runner, minimal):
    before = minimal.read_bytes()
    result = invoke(runner, "import", FIXTURES / "maxqda.qdc", "-o", "minimal.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: Codebook file "minimal.yaml" exists and is not a file wei-qual wrote: its comments, order and '
        "layout would be lost. Write to another file (-o) and copy what you need across, or pass --force to "
        "replace it.\n"
    )
    assert minimal.read_bytes() == before
    assert invoke(runner, "import", FIXTURES / "maxqda.qdc", "-o", "imported.yaml").exit_code == 0
    assert invoke(runner, "import", FIXTURES / "maxqda.qdc", "-o", "imported.yaml").exit_code == 0
    assert invoke(runner, "import", FIXTURES / "maxqda.qdc", "-o", "minimal.yaml", "--force").exit_code == 0


def test_load_warns_on_a_name_that_looks_like_another(runner, minimal, db_path):
    minimal.write_text(minimal.read_text().replace("name: Mixed", "name: M\u0456xed"))
    result = load(runner, "minimal.yaml", db_path)
    assert result.stderr.splitlines()[0] == (
        'Warning: minimal.yaml:65:19: code "stance-mixed": its name mixes Cyrillic and Latin letters in one word '
        "(character 2 is U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I), so it looks like a name it is "
        "not. Retype that word."
    )


def _split_csu_refusal(minimal):
    """The codebook file with csu-refusal split into two codes, declared with split_into."""
    text = minimal.read_text()
    start = text.index("      - id: csu-refusal")
    end = text.index("  - id: civilian-response")
    minimal.write_text(
        text[:start]
        + "      - id: csu-refusal-safety\n        name: Refused as too dangerous\n"
        + "      - id: csu-refusal-medical\n        name: Refused for medical clearance\n"
        + "      - id: csu-refusal\n        split_into: [csu-refusal-safety, csu-refusal-medical]\n"
        + text[end:]
    )


def test_a_declared_split_keeps_the_decisions_for_recoding(runner, minimal, db_path):
    # A split needed --force, and then nothing said which codes replaced the old one.
    load(runner, "minimal.yaml", db_path)
    _project_with_decisions(db_path)
    _split_csu_refusal(minimal)
    result = load(runner, "minimal.yaml", db_path)
    assert result.stderr == (
        'Warning: Split "csu-refusal" into "csu-refusal-safety", "csu-refusal-medical": its 2 decisions keep '
        '"csu-refusal", which agree leaves out and the reports count apart (a row "csu-refusal", before split), '
        f'until each coder recodes theirs with "wei-qual code --coder NAME --code csu-refusal --db {db_path}".\n'
        "Loaded minimal.yaml as version 2, now active (7 codes in 2 themes, 1 exclusive group).\n"
    )
    db = open_db(db_path)
    held = [sorted(get_decision(db, "p01", n, coder).codes) for n, coder in ((1, "alice"), (2, "bob"))]
    audit = iter_audit(db, entity="codebook")[-1]["after"]
    db.close()
    assert held == [["csu-refusal", "stance-mixed"], ["csu-refusal"]]  # not lost, not mapped
    assert audit["split"] == {"csu-refusal": ["csu-refusal-safety", "csu-refusal-medical"]}
    shown = [
        json.loads(invoke(runner, "show", "--version", v, "--format", "json", "--db", db_path).stdout)
        for v in "12"
    ]
    assert [(s["merged"], s["split"]) for s in shown] == [
        ({}, {}),
        ({}, {"csu-refusal": ["csu-refusal-safety", "csu-refusal-medical"]}),
    ]
    diff = json.loads(invoke(runner, "diff", "1", "2", "--db", db_path, "--format", "json").stdout)
    assert (diff["removed"], diff["split"]) == (
        [],
        [{"from": "csu-refusal", "into": ["csu-refusal-safety", "csu-refusal-medical"]}],
    )
    report = runner.invoke(app, ["report", "themes", "--db", str(db_path)])
    assert (
        "decisions hold codes split into others and not yet recoded: csu-refusal (2 decisions, split into "
        "csu-refusal-safety and csu-refusal-medical)."
    ) in " ".join(report.stderr.split())


def test_reports_count_a_split_codes_decisions_before_recoding_apart_and_in_its_theme(
    runner, minimal, db_path
):
    # The turns coded csu-refusal before the split vanished from the csu theme's count as well as the
    # code's: the theme read as raised by fewer participants than raised it.
    load(runner, "minimal.yaml", db_path)
    _project_with_decisions(db_path)
    _split_csu_refusal(minimal)
    load(runner, "minimal.yaml", db_path)

    def report(*args):
        result = runner.invoke(app, ["report", *args, "--source", "alice", "--db", str(db_path)])
        assert result.exit_code == 0, result.stderr
        return result

    themes = json.loads(report("themes", "-f", "json").stdout)
    rows = {r["code"]: r for r in themes["rows"]}
    assert [r["code"] for r in themes["rows"]][:5] == [
        "csu",
        "csu-admission",
        "csu-refusal-safety",
        "csu-refusal-medical",
        "csu-refusal",
    ]
    assert (rows["csu"]["segments"], rows["csu"]["participants"]) == (1, 1)
    split = rows["csu-refusal"]
    assert (split["name"], split["parent"], split["segments"]) == ("CSU refusal (before split)", "csu", 1)
    assert rows["csu-refusal-safety"]["segments"] == 0
    assert any("The reports count them in a row of their own" in w for w in themes["warnings"])

    matrix = json.loads(report("matrix", "-f", "json").stdout)
    assert [(r["csu"], r["csu-refusal"], r["csu-refusal-safety"]) for r in matrix["rows"]] == [(1, 1, 0)]
    quotes = json.loads(report("quotes", "--code", "csu-refusal", "-f", "json").stdout)
    assert [(q["code"], q["name"]) for q in quotes["quotes"]] == [
        ("csu-refusal", "CSU refusal (before split)")
    ]

    quotes = json.loads(report("quotes", "--code", "csu-refusal-safety", "-f", "json").stdout)
    assert quotes["warnings"][-1] == (
        'No quote for "csu-refusal-safety": no coder applied it to a participant turn yet. It is one of the codes '
        '"csu-refusal" was split into, whose turns not yet recoded "--code csu-refusal" quotes.'
    )

    methods = " ".join(report("methods").stdout.split())
    assert (
        "[Decisions still hold codes a version split, not yet recoded: csu-refusal (2 decisions, split into "
        "csu-refusal-safety and csu-refusal-medical); the tables count them in a row of their own (before split) "
        "and in their theme, and no agreement takes them.]"
    ) in methods
    assert "counted nowhere" not in methods

    # retrieve and search find them under the theme, as the theme table counts them.
    out = runner.invoke(app, ["retrieve", "csu", "--source", "alice", "-f", "json", "--db", str(db_path)])
    assert out.exit_code == 0, out.stderr
    assert [(h["segment"], h["codes"]) for h in json.loads(out.stdout)["hits"]] == [(1, ["csu"])]
    out = runner.invoke(app, ["search", "one", "--code", "csu", "-f", "json", "--db", str(db_path)])
    assert out.exit_code == 0, out.stderr
    assert [h["segment"] for h in json.loads(out.stdout)["results"]] == [1]

    # Recoded: no row of 0 is left, and the theme counts the new code.
    db = open_db(db_path)
    save_decision(db, Decision("p01", 1, "alice", frozenset({"csu-refusal-safety", "stance-mixed"})))
    db.close()
    rows = {r["code"]: r for r in json.loads(report("themes", "-f", "json").stdout)["rows"]}
    assert (
        "csu-refusal" not in rows and rows["csu"]["segments"] == rows["csu-refusal-safety"]["segments"] == 1
    )
    # Asked for by name then, it is said recoded, not "not in the active codebook" (read as a typo).
    out = runner.invoke(
        app, ["report", "quotes", "--code", "csu-refusal", "--source", "alice", "--db", str(db_path)]
    )
    assert out.exit_code == 1 and out.stderr.splitlines()[-1] == (
        'Error: "csu-refusal" was split into csu-refusal-safety and csu-refusal-medical, and alice holds it on no '
        "turn read here: every one is recoded. Pass --code csu-refusal-safety (or another of them)."
    )


def test_memos_on_a_split_code_say_the_split_not_that_no_report_counts_it(runner, minimal, db_path):
    from wei_qual.store.decisions import save_memo

    load(runner, "minimal.yaml", db_path)
    _project_with_decisions(db_path)
    db = open_db(db_path)
    save_memo(db, "alice", "code", "csu-refusal", "Refusals read as two things: safety and medical.")
    db.close()
    _split_csu_refusal(minimal)
    load(runner, "minimal.yaml", db_path)
    out = runner.invoke(app, ["memos", "--code", "csu-refusal", "-f", "json", "--db", str(db_path)])
    assert out.exit_code == 0, out.stderr
    found = json.loads(out.stdout)
    assert [m["target"] for m in found["memos"]] == ["csu-refusal"]
    assert found["warnings"] == [
        (
            '"csu-refusal" was split into csu-refusal-safety and csu-refusal-medical by a codebook version: '
            "these are the memos written on it, and on segments where their author applied it. The reports "
            'count its decisions not yet recoded as "... (before split)"; the memos of its new codes: --code '
            "csu-refusal-safety."
        )
    ]


def test_split_into_is_checked(make_codebook, runner):
    make_codebook(
        """
        name: S
        version: "1"
        codes:
          - id: jail
            name: Jail
            children:
              - id: jail-return
                name: Return
              - id: jail-fallback
                split_into: [jail-return]
              - id: er
                split_into: [jail-return, jail]
              - id: old
                merged_into: jail-return
                split_into: [jail-return, nowhere]
        """,
        "s.yaml",
    )
    assert invoke(runner, "validate", "s.yaml").stderr.splitlines() == [
        's.yaml:10:21: code "jail-fallback": split_into names one code. Use merged_into: jail-return.',
        (
            's.yaml:12:21: code "er": split_into target "jail" is a theme heading (codes are under it), which coders '
            "do not apply. Split into its codes."
        ),
        's.yaml:15:21: code "old": a code is merged_into one code or split_into several, not both.',
        's.yaml:15:21: code "old": split_into target "nowhere" is not a code in this codebook.',
    ]


def test_a_code_with_decisions_made_a_theme_heading_is_said_until_recoded(runner, minimal, db_path):
    # A later version gave csu-refusal codes under it: load said nothing, and agree dropped the code from
    # its rows (it measures leaf codes) without a word, with the decisions that held it.
    original = minimal.read_text()
    load(runner, "minimal.yaml", db_path)
    _project_with_decisions(db_path)
    db = open_db(db_path)
    save_decision(db, Decision("p01", 1, "bob", frozenset({"csu-refusal"})))
    db.close()
    start = original.index("  - id: civilian-response")
    minimal.write_text(
        original[:start].rstrip("\n")
        + "\n        children:\n"
        + "          - id: csu-refusal-safety\n            name: Refused as too dangerous\n"
        + "          - id: csu-refusal-medical\n            name: Refused for medical clearance\n"
        + original[start:]
    )
    said = (
        "Warning: decisions hold codes that are theme headings now (the active codebook gives them codes under "
        "them, and coders apply only those): csu-refusal (3 decisions). Agree measures no theme heading, the "
        "reports count these decisions in the theme's row and in none of its codes' rows, and reconcile never "
        'takes them. Each coder recodes theirs with "wei-qual code --coder NAME --recode --code csu-refusal'
        '{db}", or split the code instead: give the theme another id and keep the code as a stub with '
        "split_into naming its new codes."
    )
    result = load(runner, "minimal.yaml", db_path)
    assert " ".join(result.stderr.split()).startswith(said.format(db=f" --db {db_path}"))
    db = open_db(db_path)
    assert iter_audit(db, entity="codebook")[-1]["after"]["headings_with_decisions"] == {"csu-refusal": 3}
    db.close()
    agree = runner.invoke(app, ["agree", "--bootstrap", "0", "--format", "json", "--db", str(db_path)])
    assert agree.exit_code == 0, agree.stderr
    assert "Warning: " + json.loads(agree.stdout)["warnings"][0] == said.format(db="")
    assert said.format(db=f" --db {db_path}") in " ".join(agree.stderr.split())
    # The heading made a code again (the first file, active again): counted, and nothing to say.
    minimal.write_text(original)
    result = load(runner, "minimal.yaml", db_path)
    assert "theme headings" not in result.stderr
    agree = runner.invoke(app, ["agree", "--bootstrap", "0", "--format", "json", "--db", str(db_path)])
    assert "csu-refusal" in [row["code"] for row in json.loads(agree.stdout)["codes"]]
    assert not any("theme headings" in w for w in json.loads(agree.stdout)["warnings"])
