"""The demo runs the whole pipeline on the bundled sample (the one smoke test on transcripts_sample/)."""

from __future__ import annotations

import json
import os
import re

import krippendorff
import pytest

from wei_qual.cli import app
from wei_qual.store import iter_audit, open_db


def test_demo_runs_the_whole_pipeline_on_the_sample(runner, tmp_path):
    out = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0
    assert f"Report: {out / 'report.html'}" in result.stderr
    _printed_values_match_the_project(result.stdout, open_db(out / "demo.db", create=False))
    html = (out / "report.html").read_text(encoding="utf-8")
    # A finished study: the demo's reports told a new user to reconcile 84 turns they had never seen.
    methods = " ".join((out / "methods.md").read_text(encoding="utf-8").split())
    assert "so far" not in methods and "Reconcile the" not in methods and "remain open" in methods
    assert "0 remain open" in methods and "Describe how disagreements" not in methods
    assert "each disagreement was settled by a rule, not by discussion" in methods
    assert "so far" not in result.stdout and "182 in the project, 182 coded" in html
    assert html.lower().startswith("<!doctype html>") and "<svg" in html
    # The two fictional policy documents: coded, and compared with what participants of their
    # jurisdictions say (the terminal shows the two jurisdictions that have a document).
    assert '<section id="compare"><h2>Policy and practice</h2>' in html
    assert "Policy and practice by jurisdiction" in result.stdout
    assert "Jurisdiction A (1 doc., 2 part.)" in result.stdout

    db = open_db(out / "demo.db", create=False)
    assert (out / "demo.db").stat().st_mode & 0o777 == 0o600
    counts = {
        r["coder_id"]: r["n"]
        for r in db.query("SELECT coder_id, COUNT(*) AS n FROM decisions GROUP BY coder_id")
    }
    participant = db.execute("SELECT COUNT(*) FROM segments WHERE role = 'participant'").fetchone()[0]
    document = db.execute("SELECT COUNT(*) FROM segments WHERE role = 'document'").fetchone()[0]
    assert document == 12 + 13  # the Jurisdiction A policy (PDF) and the Jurisdiction B MOU (.docx)
    assert counts["alice"] == counts["bob"] == participant + document
    # Every unit has consensus: the agreed ones copied, the disputed ones settled by the demo's stated rule.
    assert counts["consensus"] == participant + document
    assert db.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0] > 0
    assert [r["action"] for r in iter_audit(db, entity="codebook")] == ["load"]

    # Running it again starts from a fresh project rather than piling onto the old one.
    runner.invoke(app, ["demo", "--out", str(out)], catch_exceptions=False)
    again = open_db(out / "demo.db", create=False)
    assert (
        again.execute("SELECT COUNT(*) FROM decisions WHERE coder_id = 'alice'").fetchone()[0]
        == participant + document
    )

    themes = json.loads(
        runner.invoke(
            app,
            ["report", "themes", "--by", "role", "--format", "json", "--db", str(out / "demo.db")],
            catch_exceptions=False,
        ).stdout
    )
    assert themes["source"] == "consensus"
    # Ten interviews, eleven participants: P10 is a pair (an officer and a clinician, each with the role of
    # their `speaker` row). Officers: P01, P03, P06, P07, P09 and P10's officer; providers: P02, P04, P05,
    # P08 and P10's clinician. Every one of them has a segment both coders agreed on.
    assert (themes["participants"], themes["transcripts"]) == (11, 10)
    assert themes["groups"]["role"] == {"officer": 6, "provider": 5}
    roles = {
        r["transcript_id"]: r["roles"]
        for r in db.query("SELECT id AS transcript_id, roles FROM transcripts WHERE kind = 'interview'")
    }
    assert set(roles.values()) == {"inferred"} and len(roles) == 10
    speakers = db.execute(
        "SELECT label, role, reason FROM speakers WHERE transcript_id = 'P09' ORDER BY id"
    ).fetchall()
    assert speakers == [
        ("Dana Whitfield", "interviewer", "asks 10/11 questions; speaks first"),
        ("P09", "participant", "label is the transcript id"),
    ]


def _rows(stdout: str, pattern: str) -> dict[str, tuple[str, ...]]:
    """Table rows of the demo's output matched by `pattern` (first group: the row's key)."""
    return {m.group(1): m.groups()[1:] for m in re.finditer(pattern, stdout, re.MULTILINE)}


def _printed_values_match_the_project(stdout: str, db) -> None:
    """Every figure the demo prints is worked out again here from the project it made."""
    transcripts = {
        r["id"]: (r["kind"], r["format"], r["segments"], r["participant"])
        for r in db.query(
            "SELECT t.id, t.kind, t.format, COUNT(s.id) AS segments, "
            "SUM(s.role = 'participant' AND t.kind = 'interview') AS participant "
            "FROM transcripts t JOIN segments s ON s.transcript_id = t.id GROUP BY t.id"
        )
    }
    kinds = [k for k, _, _, _ in transcripts.values()]
    assert (kinds.count("interview"), kinds.count("document")) == (10, 2)
    assert "12 transcripts" in stdout
    printed = _rows(stdout, r"^\s*(\S+)\s+(interview|document)\s+(\w+)\s+(\d+)\s+(\d+)\s")
    assert {tid: (k, f, int(n), int(p)) for tid, (k, f, n, p) in printed.items()} == transcripts

    interview = {
        (r["transcript_id"], r["n"])
        for r in db.query(
            "SELECT s.transcript_id, s.n FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
            "WHERE t.kind = 'interview' AND s.role = 'participant'"
        )
    }
    decisions = {
        coder: {
            (r["transcript_id"], r["n"]): frozenset(json.loads(r["codes"]))
            for r in db.query(
                "SELECT s.transcript_id, s.n, d.codes FROM decisions d JOIN segments s ON s.id = d.segment_id "
                "WHERE d.coder_id = ?",
                [coder],
            )
        }
        for coder in ("alice", "bob", "consensus")
    }
    participant = len(interview)
    documents = sum(n for k, _, n, _ in transcripts.values() if k == "document")
    for coder in ("alice", "bob"):
        assert len(decisions[coder]) == participant + documents
        assert (
            f"{coder}: {participant} decisions imported (and {documents} on the policy documents)" in stdout
        )
    agreed = {k for k, codes in decisions["alice"].items() if decisions["bob"].get(k) == codes}
    assert set(decisions["consensus"]) == set(decisions["alice"])
    for unit, codes in decisions["consensus"].items():  # the demo's rule: the codes both applied
        assert codes == decisions["alice"][unit] & decisions["bob"][unit], unit
    disputed = len(decisions["alice"]) - len(agreed)
    assert (
        f"Consensus: {len(agreed)} agreed units copied as the coders coded them; {disputed} disputed units "
        "settled by the demo's rule: the codes both coders applied" in stdout
    )
    decisions = {coder: {k: v for k, v in d.items() if k in interview} for coder, d in decisions.items()}

    # Per-code alpha of alice and bob, from their decisions with the krippendorff package.
    units = sorted(decisions["alice"].keys() & decisions["bob"].keys())
    alphas = _rows(stdout, r"^\s*([a-z-]+)\s+[\d.]+%\s+[\d.]+%\s+(-?[\d.]+)\s")
    assert len(alphas) == 32
    for code, (alpha,) in alphas.items():
        matrix = [[float(code in decisions[c][u]) for u in units] for c in ("alice", "bob")]
        assert float(alpha) == pytest.approx(
            krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"), abs=0.0005
        ), code

    # Themes by role: segments of the consensus that hold a code (or, for a theme, any code under it).
    children: dict[str, set[str]] = {}
    for r in db.query("SELECT code, parent FROM codes"):
        children.setdefault(r["parent"], set()).add(r["code"])
    themes = _rows(stdout, r"^[│ ]*([a-z-]+)\s.*?\s(theme|code)\s+[│ ]*(\d+)\s+[│ ]*(\d+) \(")
    assert len(themes) == 40
    for code, (level, segments, participants) in themes.items():
        under = {code} | children.get(code, set())
        holding = [k for k, codes in decisions["consensus"].items() if codes & under]
        assert (level, int(segments)) == ("theme" if code in children else "code", len(holding)), code


@pytest.mark.parametrize("case", ["under a file", "demo.db is a folder", "read-only folder"])
def test_a_demo_folder_that_cannot_be_used_is_one_line(runner, tmp_path, monkeypatch, case):
    # Each was a NotADirectoryError, IsADirectoryError or PermissionError traceback.
    import os
    from pathlib import Path

    if case == "under a file":
        (tmp_path / "afile").write_text("notes\n")
        out, expected = "afile/sub", 'Error: "afile" is a file, not a folder. Pass another --out.\n'
    elif case == "demo.db is a folder":
        (tmp_path / "od" / "demo.db").mkdir(parents=True)
        out = "od"
        expected = (
            'Error: "od/demo.db" is a folder, where the demo writes a file of that name. Move it away, or '
            "pass another --out.\n"
        )
    else:
        (tmp_path / "ro").mkdir()
        if os.geteuid() != 0:
            (tmp_path / "ro").chmod(0o555)
        else:  # root may write anywhere: the folder refuses as a read-only one would
            real_mkdir = Path.mkdir

            def read_only(self, *args, **kwargs):
                if self.parent.name == "ro":
                    raise PermissionError(13, "Permission denied", str(self))
                return real_mkdir(self, *args, **kwargs)

            monkeypatch.setattr(Path, "mkdir", read_only)
        out = "ro/d"
        expected = 'Error: Cannot make the demo folder "ro/d" (Permission denied). Pass another --out.\n'
    result = runner.invoke(app, ["demo", "--out", out])
    assert (result.exit_code, result.stderr) == (1, expected)


def test_an_installed_package_carries_its_own_sample(tmp_path):
    """A wheel holds wei_qual/ with sample_data/ as files (the links dereferenced, the scripts left out,
    as pyproject's package data says), and no transcripts_sample/ beside it: the demo runs on that."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import wei_qual

    site = tmp_path / "site"
    shutil.copytree(
        Path(wei_qual.__file__).parent,
        site / "wei_qual",
        ignore=lambda folder, names: [
            n for n in names if n == "__pycache__" or ("sample_data" in folder and n.endswith(".py"))
        ],
    )
    assert not (site / "wei_qual" / "sample_data" / "transcripts").is_symlink()
    work = tmp_path / "elsewhere"
    work.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "wei_qual", "demo"],
        check=False,
        cwd=work,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (work / "wei-qual-demo" / "report.html").is_file()


def test_a_project_the_demo_did_not_make_is_left_alone(runner, tmp_path):
    # `demo --out DIR` removed DIR/demo.db whatever it was: a team's own project of that name was lost.
    from wei_qual.ingest import ingest_files

    (tmp_path / "interviews").mkdir()
    (tmp_path / "interviews" / "P41.txt").write_text(
        "Interviewer: How did the call start?\nP41: Dispatch sent us to a welfare check on the east side.\n",
        encoding="utf-8",
    )
    (tmp_path / "od").mkdir()
    project = open_db(tmp_path / "od" / "demo.db")
    ingest_files(project, [tmp_path / "interviews"])
    project.conn.close()
    before = (tmp_path / "od" / "demo.db").read_bytes()
    result = runner.invoke(app, ["demo", "--out", "od"])
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: "od/demo.db" is a project the demo did not make, and the demo starts its own afresh there: it '
        "is left alone. Pass another --out.\n"
    )
    assert (tmp_path / "od" / "demo.db").read_bytes() == before
    assert not (tmp_path / "od" / "report.html").exists()
    # Read to be judged, it got no -shm and -wal beside it (they were left there).
    assert sorted(p.name for p in (tmp_path / "od").iterdir()) == ["demo.db"]


def test_a_demo_db_that_is_no_project_is_not_called_one(runner, tmp_path):
    # A demo.db that is no SQLite file (a text file saved under that name) was "a project".
    (tmp_path / "od").mkdir()
    (tmp_path / "od" / "demo.db").write_text("notes from the team meeting\n", encoding="utf-8")
    result = runner.invoke(app, ["demo", "--out", "od"])
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: "od/demo.db" is a file (no wei-qual project) the demo did not make, and the demo starts its '
        "own afresh there: it is left alone. Pass another --out.\n"
    )
    assert (tmp_path / "od" / "demo.db").read_text(encoding="utf-8") == "notes from the team meeting\n"


def test_a_demo_project_made_before_the_demo_marked_its_own_is_still_replaced(tmp_path):
    from wei_qual.demo import _fresh_project, find_sample_dir
    from wei_qual.ingest import ingest_files

    sample = find_sample_dir()
    ingest_files(open_db(tmp_path / "demo.db"), [sample / "P01.txt", sample / "P02.txt"])
    assert _fresh_project(tmp_path, sample) == tmp_path / "demo.db"
    assert not (tmp_path / "demo.db").exists()


def test_the_demo_report_lists_only_the_coders_who_coded(tmp_path):
    # The fictional lead wrote a memo and decided nothing: report.html listed "Independent coders: alice,
    # bob, lead" (every name in the coders table, memo authors too).
    from wei_qual.demo import run_demo

    result = run_demo(tmp_path / "demo")
    html = result.report_path.read_text(encoding="utf-8")
    assert "<dt>Independent coders</dt><dd>alice, bob</dd>" in html
