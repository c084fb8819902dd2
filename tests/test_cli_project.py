"""`wei-qual project export/import` through the CLI: summaries, JSON report, one-line errors, nothing written."""

from __future__ import annotations

import json

from _qdpx_project import FIXTURES, build_sample_project, zip_folder

from wei_qual.cli import app


def test_export_then_import_with_json_report(runner, tmp_path):
    build_sample_project(tmp_path / "a.db").close()
    out = tmp_path / "study.qdpx"
    result = runner.invoke(
        app, ["project", "export", str(out), "--db", str(tmp_path / "a.db")], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert result.stderr.startswith(
        f"Wrote {out}: 10 transcripts (353 segments), 40 codes, 4 coders (alice, bob, lead, consensus)"
    )
    # The new project keeps the sample's allowlist (its fictional interviewer's name), as the original
    # does; then the sample passes the PII gate as it is, without --allow-pii.
    runner.invoke(
        app,
        ["deid", "allow", "add", "Dana Whitfield", "--db", str(tmp_path / "b.db")],
        catch_exceptions=False,
    )
    result = runner.invoke(
        app,
        ["project", "import", str(out), "--db", str(tmp_path / "b.db"), "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert {
        k: report[k] for k in ("sources", "transcripts", "segments", "codes", "coders", "attributes", "memos")
    } == {
        "sources": 10,
        "transcripts": 10,
        "segments": 353,
        "codes": 40,
        "coders": 4,
        "attributes": 7,
        "memos": 3,
    }
    assert report["lost"] == [] and report["codings"] > 0 and report["decisions"] > report["codings"] / 5


def test_import_table_lists_what_was_lost(runner, tmp_path):
    qdpx = zip_folder(FIXTURES / "nvivo", tmp_path / "nvivo.qdpx")
    result = runner.invoke(
        app, ["project", "import", str(qdpx), "--db", str(tmp_path / "n.db")], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert (
        "lost: picture sources" in result.stdout and "wei-qual codes text transcripts only" in result.stdout
    )
    assert "Warning: 1 parent code can be applied in the source tool" in result.stderr


def test_errors_are_one_line_exit_1_and_leave_no_project(runner, tmp_path):
    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip")
    result = runner.invoke(app, ["project", "import", str(bad), "--db", str(tmp_path / "new.db")])
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: "{bad}" is not a REFI-QDA project (.qdpx) (not a zip archive). Export the project again as '
        "REFI-QDA .qdpx.\n"
    )
    assert not (tmp_path / "new.db").exists()
    build_sample_project(tmp_path / "full.db").close()
    qdpx = zip_folder(FIXTURES / "nvivo-mac", tmp_path / "mac.qdpx")
    result = runner.invoke(app, ["project", "import", str(qdpx), "--db", str(tmp_path / "full.db")])
    assert result.exit_code == 1 and result.stderr.startswith(
        "Error: The project already holds 10 transcripts"
    )
    result = runner.invoke(
        app, ["project", "export", str(tmp_path / "x.qdpx"), "--db", str(tmp_path / "nothing.db")]
    )
    assert (
        result.exit_code == 1
        and not (tmp_path / "x.qdpx").exists()
        and not (tmp_path / "nothing.db").exists()
    )


def test_pii_refusal_removes_the_project_it_created(runner, tmp_path):
    build_sample_project(tmp_path / "a.db").close()
    out = tmp_path / "a.qdpx"
    runner.invoke(
        app, ["project", "export", str(out), "--db", str(tmp_path / "a.db")], catch_exceptions=False
    )
    result = runner.invoke(app, ["project", "import", str(out), "--db", str(tmp_path / "b.db")])
    # P09 names the team's (fictional) interviewer, which only the original project's allowlist keeps
    assert result.exit_code == 1 and 'source "P09" has likely identifiers at ' in result.stderr
    assert "Nothing was imported." in result.stderr and not (tmp_path / "b.db").exists()


def test_json_reports_hold_the_warnings_said_on_stderr(runner, tmp_path):
    # --allow-pii let P09 in with likely identifiers, and a coder name was read in another case: both were
    # said on stderr only, so a script reading the JSON learnt neither (DESIGN.md: stderr AND the JSON).
    build_sample_project(tmp_path / "a.db").close()
    out = tmp_path / "a.qdpx"
    exported = runner.invoke(
        app,
        [
            "project",
            "export",
            str(out),
            "--coders",
            "Alice,bob",
            "--db",
            str(tmp_path / "a.db"),
            "--format",
            "json",
        ],
        catch_exceptions=False,
    )
    case = 'coder "Alice" read as the existing coder "alice" (did you mean alice? Names ignore case)'
    assert f"Warning: {case}\n" in exported.stderr
    assert case in json.loads(exported.stdout)["warnings"]
    imported = runner.invoke(
        app,
        ["project", "import", str(out), "--db", str(tmp_path / "b.db"), "--allow-pii", "--format", "json"],
        catch_exceptions=False,
    )
    assert imported.exit_code == 0
    pii = "imported despite likely identifiers (--allow-pii, audited): P09."
    assert f"Warning: {pii}\n" in imported.stderr
    assert json.loads(imported.stdout)["warnings"] == [pii]


def test_export_takes_its_file_with_dash_o_as_every_other_writer(runner, tmp_path, make_transcript):
    # A team wrote "wei-qual project export -o study.qdpx", as packet, report and codebook export take
    # their file, and was told "No such option: -o".
    db = str(tmp_path / "p.db")
    make_transcript("Interviewer: And then?\nP01: The unit was full again.\n", "P01.txt")
    runner.invoke(app, ["ingest", "P01.txt", "--db", db], catch_exceptions=False)
    out = tmp_path / "out.qdpx"
    result = runner.invoke(app, ["project", "export", "-o", str(out), "--db", db], catch_exceptions=False)
    assert result.exit_code == 0 and result.stderr.startswith(f"Wrote {out}: 1 transcript") and out.exists()
    both = runner.invoke(app, ["project", "export", "a.qdpx", "-o", "b.qdpx", "--db", db])
    assert both.exit_code == 2 and "not both" in both.stderr
    neither = runner.invoke(app, ["project", "export", "--db", db])
    assert neither.exit_code == 2 and "Name the .qdpx file to write" in neither.stderr
    assert not (tmp_path / "a.qdpx").exists() and not (tmp_path / "b.qdpx").exists()
