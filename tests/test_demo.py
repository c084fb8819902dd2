"""The demo runs the whole pipeline on the bundled sample (the one smoke test on transcripts_sample/)."""

from __future__ import annotations

import json

from wei_qual.cli import app
from wei_qual.store import iter_audit, open_db


def test_demo_runs_the_whole_pipeline_on_the_sample(runner, tmp_path):
    out = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0
    for heading in (
        "Transcripts",
        "Codebook",
        "Suggestions",
        "Agreement between alice and bob",
        "Themes by role",
    ):
        assert heading in result.stdout
    assert f"Report: {out / 'report.html'}" in result.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
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
    assert 0 < counts["consensus"] < participant + document  # only the units where alice and bob agree
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
