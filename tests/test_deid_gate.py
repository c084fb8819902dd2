"""The ingest gate end to end: refusal, --allow-pii override with its audit row, allowlist."""

from __future__ import annotations

from wei_qual.cli import app
from wei_qual.store import iter_audit, open_db
from wei_qual.store.transcripts import iter_transcript_rows

LEAKY = """\
Interviewer: Who came to the call?
P07: Officer Ruiz came, badge 4471. Call me at 555-201-3344.
P07: [NAME] was there too, at the Crisis Stabilization Unit.
"""
CLEAN = """\
Interviewer: Who came to the call?
P07: [PERSON 1] came, badge [ID-1]. Call me at <phone>.
P07: Will you ask [NAME]? We went to the Crisis Stabilization Unit in May, under the Baker Act.
"""


def _state(db_path):
    db = open_db(db_path)
    return [r["id"] for r in iter_transcript_rows(db)], [
        (r["action"], r["entity_id"], r["after"]) for r in iter_audit(db)
    ]


def test_ingest_refuses_a_file_with_findings_without_showing_the_text(runner, db_path, make_transcript):
    make_transcript(LEAKY, "p07.txt")
    result = runner.invoke(app, ["ingest", "p07.txt", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: p07.txt: likely identifiers at 2:14 (person), 2:31 (id_number), 2:48 (phone). "
        'Review with "wei-qual deid scan p07.txt", redact with "wei-qual deid redact", or pass --allow-pii.\n'
        f"Ingested 0 transcripts (0 segments, 0 words) into {db_path}: 1 failed.\n"
    )
    for secret in ("Ruiz", "4471", "555-201-3344"):
        assert secret not in result.stderr
    assert _state(db_path) == ([], [])  # nothing written


def test_allow_pii_ingests_and_audits_the_counts(runner, db_path, make_transcript):
    make_transcript(LEAKY, "p07.txt")
    result = runner.invoke(
        app, ["ingest", "p07.txt", "--allow-pii", "--db", str(db_path)], catch_exceptions=False
    )
    assert result.exit_code == 0
    ids, audit = _state(db_path)
    assert ids == ["p07"]
    assert [a for a in audit if a[0] == "allow_pii"] == [
        ("allow_pii", "p07", {"id_number": 1, "person": 1, "phone": 1})
    ]
    # the stored transcript still shows up in a project scan
    scan = runner.invoke(app, ["deid", "scan", "--project", "--db", str(db_path)])
    assert scan.exit_code == 3


def test_placeholders_and_tricky_words_pass_the_gate(runner, db_path, make_transcript):
    make_transcript(CLEAN, "p08.txt")
    result = runner.invoke(app, ["ingest", "p08.txt", "--db", str(db_path)], catch_exceptions=False)
    assert result.exit_code == 0
    ids, audit = _state(db_path)
    assert ids == ["p08"]
    assert [a[0] for a in audit] == ["ingest"]  # no allow_pii row when nothing was found


def test_project_allowlist_lets_a_file_through(runner, db_path, make_transcript):
    make_transcript("Interviewer: And then?\nP07: Officer Friendly visited the school.\n", "p09.txt")
    refused = runner.invoke(app, ["ingest", "p09.txt", "--db", str(db_path)])
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == (
        'Error: p09.txt: likely identifiers at 2:14 (person). Review with "wei-qual deid scan p09.txt", '
        'redact with "wei-qual deid redact", or pass --allow-pii.'
    )
    runner.invoke(
        app, ["deid", "allow", "add", "Officer Friendly", "--db", str(db_path)], catch_exceptions=False
    )
    result = runner.invoke(app, ["ingest", "p09.txt", "--db", str(db_path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert _state(db_path)[0] == ["p09"]


def test_many_findings_are_summarised_on_one_line(runner, db_path, make_transcript):
    lines = "".join(f"P07: call 555-201-{3300 + i}\n" for i in range(12))
    make_transcript("Interviewer: Numbers?\n" + lines, "p10.txt")
    result = runner.invoke(app, ["ingest", "p10.txt", "--db", str(db_path)])
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    shown = ", ".join(f"{line}:11 (phone)" for line in range(2, 12))
    assert first == (
        f"Error: p10.txt: likely identifiers at {shown} and 2 more. "
        'Review with "wei-qual deid scan p10.txt", redact with "wei-qual deid redact", or pass --allow-pii.'
    )


def test_a_name_in_a_docx_speaker_label_is_refused(runner, db_path, tmp_path):
    import docx

    document = docx.Document()
    for paragraph in (
        "Interviewer: Who came?",
        "Officer Ruiz: I did.",
        "Interviewer: Then?",
        "Officer Ruiz: I left.",
    ):
        document.add_paragraph(paragraph)
    document.save(tmp_path / "p11.docx")
    assert runner.invoke(app, ["deid", "scan", "p11.docx"]).stdout == (
        "p11.docx:3:9 person Ruiz\np11.docx:7:9 person Ruiz\n"
    )
    result = runner.invoke(app, ["ingest", "p11.docx", "--db", str(db_path)])
    assert result.exit_code == 1
