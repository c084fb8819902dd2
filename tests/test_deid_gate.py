"""The ingest gate end to end: refusal, --allow-pii override with its audit row, allowlist."""

from __future__ import annotations

import json
import sys

import pytest

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
        f'Review with "wei-qual deid scan p07.txt --db {db_path}", redact with "wei-qual deid redact p07.txt '
        f'-o redacted/p07.txt --db {db_path}", or pass --allow-pii. A name the study may keep (the '
        "interviewer's, in the speaker labels) goes on the project's allowlist instead: "
        f"\"wei-qual deid allow add 'NAME' --db {db_path}\", then ingest again.\n"
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
    make_transcript("Interviewer: And then?\nP07: Officer Krupke visited the school.\n", "p09.txt")
    refused = runner.invoke(app, ["ingest", "p09.txt", "--db", str(db_path)])
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == (
        f'Error: p09.txt: likely identifiers at 2:14 (person). Review with "wei-qual deid scan p09.txt --db {db_path}", '
        f'redact with "wei-qual deid redact p09.txt -o redacted/p09.txt --db {db_path}", or pass --allow-pii. '
        "A name the study may keep (the interviewer's, in the speaker labels) goes on the project's allowlist "
        f"instead: \"wei-qual deid allow add 'NAME' --db {db_path}\", then ingest again."
    )
    runner.invoke(
        app, ["deid", "allow", "add", "Officer Krupke", "--db", str(db_path)], catch_exceptions=False
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
        f'Review with "wei-qual deid scan p10.txt --db {db_path}", redact with "wei-qual deid redact p10.txt '
        f'-o redacted/p10.txt --db {db_path}", or pass --allow-pii.'
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
        "p11.docx:paragraph 2 person Ruiz\np11.docx:paragraph 4 person Ruiz\n"
    )
    result = runner.invoke(app, ["ingest", "p11.docx", "--db", str(db_path)])
    assert result.exit_code == 1

    # Word has no line numbers: the refusal names the paragraphs, not "3:9".
    assert result.stderr.startswith(
        "Error: p11.docx: likely identifiers at paragraph 2 (person), paragraph 4 (person). Review with"
    )


# Zoom's WebVTT export: the speaker in a voice tag, and a name said in an early cue (tests/data/deid/
# field_zoom.vtt is the same layout). The gate scanned only the last cue's text of such a file.
ZOOM_VTT = """\
WEBVTT

1
00:00:01.200 --> 00:00:05.900
<v Interviewer>Who was with you on that call?

2
00:00:06.100 --> 00:00:11.400
<v P14>Officer Ruiz was, and he called my cell at 555-201-3344 after.

3
00:00:12.000 --> 00:00:14.500
<v Interviewer>Okay, thank you.
"""


ZOOM_SRT = """\
1
00:00:01,200 --> 00:00:05,900
Interviewer: Who was with you on that call?

2
00:00:06,100 --> 00:00:11,400
P14: Officer Ruiz was, and he called my cell at 555-201-3344 after.

3
00:00:12,000 --> 00:00:14,500
Interviewer: Okay, thank you.
"""


@pytest.mark.parametrize(("suffix", "text", "line"), [("vtt", ZOOM_VTT, 9), ("srt", ZOOM_SRT, 7)])
def test_every_cue_of_a_caption_file_is_scanned(runner, db_path, make_transcript, suffix, text, line):
    make_transcript(text, f"p14.{suffix}")
    result = runner.invoke(app, ["ingest", f"p14.{suffix}", "--db", str(db_path)])
    assert result.exit_code == 1
    assert f"likely identifiers at {line}:" in result.stderr
    assert "(person)" in result.stderr and "(phone)" in result.stderr
    assert "Ruiz" not in result.stderr
    assert _state(db_path) == ([], [])


def test_a_webex_speaker_name_in_a_cue_identifier_is_refused(runner, db_path, tmp_path):
    # Webex writes the speaker in the cue identifier (tests/data/KP36_webex.vtt): it becomes the turn's
    # label, but the gate blanked that line with the cue numbers and stored "Dana Whitfield" as a speaker.
    import shutil
    from pathlib import Path

    shutil.copy(Path(__file__).parent / "data" / "KP36_webex.vtt", tmp_path / "KP36_webex.vtt")
    result = runner.invoke(app, ["ingest", "KP36_webex.vtt", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: KP36_webex.vtt: likely identifiers at 3:4 (person), 15:4 (person). Review with"
    )
    assert "Whitfield" not in result.stderr
    # the project allowlist lets the team's interviewer through, and the Webex user ids are no phone numbers
    runner.invoke(app, ["deid", "allow", "add", "Dana Whitfield", "--db", str(db_path)])
    assert runner.invoke(app, ["ingest", "KP36_webex.vtt", "--db", str(db_path)]).exit_code == 0


def test_a_name_in_the_file_name_is_refused(runner, db_path, make_transcript):
    # The file name is stored as the transcript's source, and as its id when the file gives none: it is
    # shown in every export and report.
    make_transcript("Interviewer: How did it go?\nP01: Fine, we talked for an hour.\n", "P01_Maria_Lopez.txt")
    result = runner.invoke(app, ["ingest", "P01_Maria_Lopez.txt", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: P01_Maria_Lopez.txt: likely identifiers at the file name (person). Rename the file (its name "
        'is stored with the transcript); review with "wei-qual deid scan P01_Maria_Lopez.txt'
    )
    assert _state(db_path) == ([], [])
    scan = runner.invoke(app, ["deid", "scan", "P01_Maria_Lopez.txt"])
    assert scan.exit_code == 3
    assert scan.stdout == "P01_Maria_Lopez.txt:file name person Maria Lopez\n"
    assert "rename a file whose name is flagged" in scan.stderr
    # an id in front matter does not keep the file's name out of the project (it is the source)
    make_transcript("---\nid: P02\n---\nInterviewer: How did it go?\nP02: Fine.\n", "Grace_Kim_notes.txt")
    assert runner.invoke(app, ["ingest", "Grace_Kim_notes.txt", "--db", str(db_path)]).exit_code == 1
    # a study id with a digit is no name
    make_transcript("Interviewer: How did it go?\nP01: Fine.\n", "BSR01_transcript_deidentified.txt")
    assert (
        runner.invoke(app, ["ingest", "BSR01_transcript_deidentified.txt", "--db", str(db_path)]).exit_code
        == 0
    )


def test_a_stored_transcript_id_with_a_name_is_found_by_a_project_scan(runner, db_path, make_transcript):
    make_transcript("Interviewer: How did it go?\nP01: Fine, we talked.\n", "Officer_Ruiz_interview.txt")
    runner.invoke(app, ["ingest", "Officer_Ruiz_interview.txt", "--allow-pii", "--db", str(db_path)])
    result = runner.invoke(app, ["deid", "scan", "--project", "--db", str(db_path)])
    assert result.exit_code == 3
    assert result.stdout == "Officer_Ruiz_interview:transcript id person Ruiz\n"


# --------------------------------------------------------------------------- re-ingest with --replace


def test_replace_is_no_way_past_the_gate(runner, db_path, make_transcript):
    # A re-exported transcript with a name in it must not go straight in because --replace was given.
    from wei_qual.models import Decision
    from wei_qual.store.decisions import iter_decisions, save_decision
    from wei_qual.store.transcripts import iter_segments

    make_transcript(CLEAN, "p07.txt")
    runner.invoke(app, ["ingest", "p07.txt", "--db", str(db_path)], catch_exceptions=False)
    save_decision(open_db(db_path), Decision("p07", 2, "alice", frozenset({"police"})))
    stored = [s["text"] for s in iter_segments(open_db(db_path), transcript_id="p07")]
    make_transcript(LEAKY, "p07.txt")

    refused = runner.invoke(app, ["ingest", "p07.txt", "--replace", "--db", str(db_path)])
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0].replace(f" --db {db_path}", "") == (
        "Error: p07.txt: likely identifiers at 2:14 (person), 2:31 (id_number), 2:48 (phone). "
        'Review with "wei-qual deid scan p07.txt", redact with "wei-qual deid redact p07.txt -o redacted/p07.txt", '
        "or pass --allow-pii. A name the study may keep (the interviewer's, in the speaker labels) goes on the "
        "project's allowlist instead: \"wei-qual deid allow add 'NAME'\", then ingest again."
    )
    db = open_db(db_path)
    assert [s["text"] for s in iter_segments(db, transcript_id="p07")] == stored
    assert [(d.segment, d.coder) for d in iter_decisions(db)] == [(2, "alice")]  # nothing dropped
    assert [a[0] for a in _state(db_path)[1]] == ["ingest", "create"]  # the ingest, alice's decision

    result = runner.invoke(
        app, ["ingest", "p07.txt", "--replace", "--allow-pii", "--db", str(db_path)], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert [(a[0], a[2] if a[0] == "allow_pii" else None) for a in _state(db_path)[1]][2:] == [
        ("replace", None),
        ("allow_pii", {"id_number": 1, "person": 1, "phone": 1}),
    ]


# --------------------------------------------------------------------------- the gate fails closed

UNIMPORTABLE = "wei_qual.deid cannot be imported: import of wei_qual.deid halted; None in sys.modules"
GATE_CLOSED = (
    f"Error: The PII scan could not run ({UNIMPORTABLE}), so 2 files were not ingested. Reinstall wei-qual "
    '("pip install -e ." in its folder), or pass --allow-pii to store them unscanned (recorded in the audit '
    "log).\n"
)


@pytest.fixture
def no_scanner(monkeypatch):
    """The scanner cannot be imported (a broken install, a missing dependency)."""
    monkeypatch.setitem(sys.modules, "wei_qual.deid", None)


def test_a_scanner_that_cannot_be_imported_refuses_every_file_in_one_line(
    runner, db_path, make_transcript, no_scanner
):
    make_transcript(LEAKY, "p07.txt")
    make_transcript(CLEAN, "p08.txt")
    result = runner.invoke(app, ["ingest", "p07.txt", "p08.txt", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr == GATE_CLOSED + (
        f"Ingested 0 transcripts (0 segments, 0 words) into {db_path}: 2 failed.\n"
    )
    assert _state(db_path) == ([], [])
    dry = runner.invoke(app, ["ingest", "p08.txt", "--dry-run", "--format", "json", "--db", str(db_path)])
    assert dry.exit_code == 1
    (outcome,) = json.loads(dry.stdout)["outcomes"]
    assert (outcome["status"], outcome["unscanned"]) == ("failed", True)
    assert json.loads(dry.stdout)["scan_error"] == UNIMPORTABLE


def test_allow_pii_is_the_only_way_past_a_closed_gate_and_is_audited(
    runner, db_path, make_transcript, no_scanner
):
    make_transcript(CLEAN, "p08.txt")
    for flags in ([], ["--replace"], ["--interviewer-labels", "Interviewer"]):
        refused = runner.invoke(app, ["ingest", "p08.txt", *flags, "--db", str(db_path)])
        assert refused.exit_code == 1 and _state(db_path) == ([], []), flags
    result = runner.invoke(
        app, ["ingest", "p08.txt", "--allow-pii", "--db", str(db_path)], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert result.stderr.splitlines()[-2].replace(f" --db {db_path}", "") == (
        f"Warning: The PII scan could not run ({UNIMPORTABLE}): 1 file stored unscanned because of "
        '--allow-pii (recorded in the audit log). Scan them with "wei-qual deid scan --project" once the '
        "scanner works."
    )
    assert _state(db_path) == (
        ["p08"],
        [("ingest", "p08", _state(db_path)[1][0][2]), ("allow_pii", "p08", {"unscanned": UNIMPORTABLE})],
    )


def test_a_scanner_that_fails_on_one_file_refuses_that_file_without_quoting_it(
    runner, db_path, make_transcript, monkeypatch
):
    import wei_qual.deid

    real = wei_qual.deid.scan_text

    def scan_text(text, *, allow=(), study_ids=frozenset()):
        if "Ruiz" in text:
            raise RuntimeError(f"cannot tokenise {text!r}")  # a message that quotes the text
        return real(text, allow=allow, study_ids=study_ids)

    monkeypatch.setattr(wei_qual.deid, "scan_text", scan_text)
    make_transcript(LEAKY, "p07.txt")
    make_transcript(CLEAN, "p08.txt")
    result = runner.invoke(app, ["ingest", "p07.txt", "p08.txt", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Error: p07.txt: not ingested, because the PII scan could not run (the scanner failed with "
        'RuntimeError). Reinstall wei-qual ("pip install -e ." in its folder), or pass --allow-pii to store '
        "it unscanned (recorded in the audit log)."
    )
    assert "Ruiz" not in result.stderr
    assert _state(db_path)[0] == ["p08"]


def test_a_scanner_that_cannot_start_closes_the_gate(runner, db_path, make_transcript, monkeypatch):
    import wei_qual.deid

    def scan_text(text, *, allow=(), study_ids=frozenset()):
        raise OSError("first-name list missing")

    monkeypatch.setattr(wei_qual.deid, "scan_text", scan_text)
    make_transcript(CLEAN, "p08.txt")
    result = runner.invoke(app, ["ingest", "p08.txt", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(
        "Error: The PII scan could not run (the scanner failed with OSError: first-name list missing), so "
        "1 file was not ingested."
    )
    assert _state(db_path) == ([], [])


def test_project_import_goes_through_the_same_closed_gate(runner, tmp_path, no_scanner):
    from _qdpx_project import FIXTURES, zip_folder

    source = zip_folder(FIXTURES / "nvivo-mac", tmp_path / "nvivo-mac.qdpx")
    refused = runner.invoke(app, ["project", "import", str(source), "--db", "new.db"])
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr == (
        f'Error: "{source}": the PII scan could not run ({UNIMPORTABLE}), so nothing was imported. '
        'Reinstall wei-qual ("pip install -e ." in its folder), or pass --allow-pii to import the sources '
        "unscanned (recorded in the audit log).\n"
    )
    assert not (tmp_path / "new.db").exists()

    result = runner.invoke(
        app, ["project", "import", str(source), "--allow-pii", "--db", "new.db"], catch_exceptions=False
    )
    assert result.exit_code == 0
    db = open_db(tmp_path / "new.db")
    imported = [r["id"] for r in iter_transcript_rows(db)]
    assert imported and [
        (r["action"], r["entity_id"], r["after"]) for r in iter_audit(db) if r["action"] == "allow_pii"
    ] == [("allow_pii", tid, {"unscanned": UNIMPORTABLE}) for tid in imported]
    assert "imported without a PII scan, which could not run (--allow-pii, audited): " in result.stderr


def test_a_docx_table_finding_names_the_table_and_row(runner, db_path, tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=0, cols=2)
    for speaker, text in (
        ("Speaker", "Text"),
        ("Interviewer", "How long have you been on patrol?"),
        ("P12", "Eleven years. You can call me on 555-201-3344 if you need more."),
        ("Interviewer", "Thanks."),
    ):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = speaker, text
    document.save(tmp_path / "p12.docx")
    result = runner.invoke(app, ["ingest", "p12.docx", "--db", str(db_path)])
    assert result.stderr.startswith("Error: p12.docx: likely identifiers at table 1, row 3 (phone).")
    assert (
        runner.invoke(app, ["deid", "scan", "p12.docx"]).stdout
        == "p12.docx:table 1, row 3 phone 555-201-3344\n"
    )


# The participant's own study id is never an identifier: in front matter, the attributes CSV, speaker
# labels and file names. Other numbers after the same cue words still are.


def test_the_study_id_in_front_matter_passes_the_gate(runner, db_path, make_transcript):
    make_transcript(
        "---\nid: P107\nrole: officer\n---\nInterviewer: What should we call you?\n\n"
        "P107: Use my study id, P107. My id: P107 on every form.\n",
        "interview.md",
    )
    result = runner.invoke(app, ["ingest", "interview.md", "--db", str(db_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert _state(db_path) == (["P107"], [("ingest", "P107", _state(db_path)[1][0][2])])


def test_a_real_study_file_name_and_the_csv_ids_are_study_ids(runner, db_path, make_transcript, tmp_path):
    make_transcript(
        "Interviewer: Hi.\n\nParticipant: My id: BSR01. The other site's id: BSR02.\n",
        "BSR01_transcript_deidentified.txt",
    )
    (tmp_path / "attributes.csv").write_text(
        "id,role\nBSR01_transcript_deidentified,officer\nBSR02,provider\n", encoding="utf-8"
    )
    result = runner.invoke(
        app,
        [
            "ingest",
            "BSR01_transcript_deidentified.txt",
            "--attributes",
            "attributes.csv",
            "--db",
            str(db_path),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr


def test_numbers_that_are_not_study_ids_are_still_refused(runner, db_path, make_transcript):
    make_transcript(
        "Interviewer: Hi.\n\nP107: My id: P107. His case 4471 and my id: P999 are on the file.\n", "P107.txt"
    )
    result = runner.invoke(app, ["ingest", "P107.txt", "--db", str(db_path)])
    assert result.exit_code == 1
    # 4471 (a case number) and P999 (no study id) are flagged; P107 at column 17 is not.
    assert result.stderr.startswith(
        "Error: P107.txt: likely identifiers at 3:29 (id_number), 3:45 (id_number)."
    )
    scan = runner.invoke(app, ["deid", "scan", "P107.txt"])
    assert scan.stdout == "P107.txt:3:29 id_number 4471\nP107.txt:3:45 id_number P999\n"


def test_hyphenated_first_names_are_refused_as_labels_and_in_text(runner, db_path, make_transcript):
    # "Jean-Luc:" as a speaker label and "Mary-Jo" in a turn went in unseen (only "Anne-Marie" was on the
    # first-name list); the gate and "deid scan" read names alike.
    make_transcript(
        "Interviewer: Thanks for joining. What is your role?\n"
        "Jean-Luc: I run the mobile crisis team.\n"
        "Interviewer: How big is it?\n"
        "Jean-Luc: Six clinicians. Mary-Jo and I split nights.\n"
        "Interviewer: Do you ride with patrol?\n"
        "Jean-Luc: Two nights a week.\n",
        "p10.txt",
    )
    result = runner.invoke(app, ["ingest", "p10.txt", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: p10.txt: likely identifiers at 2:1 (person), 4:1 (person), 4:27 (person), 6:1 (person). "
    )
    assert _state(db_path) == ([], [])
    scan = runner.invoke(app, ["deid", "scan", "p10.txt"])
    assert scan.exit_code == 3
    assert scan.stdout.splitlines() == [
        "p10.txt:2:1 person Jean-Luc",
        "p10.txt:4:1 person Jean-Luc",
        "p10.txt:4:27 person Mary-Jo",
        "p10.txt:6:1 person Jean-Luc",
    ]


def _count_study_ids(monkeypatch) -> list[int]:
    """How many candidate ids each call of deid.study_ids worked out (the gate imports it lazily)."""
    import wei_qual.deid

    real, seen = wei_qual.deid.study_ids, []

    def counted(candidates, known=None):
        candidates = list(candidates)
        seen.append(len(candidates))
        return real(candidates) if known is None else real(candidates, known)

    monkeypatch.setattr(wei_qual.deid, "study_ids", counted)
    return seen


def _site_files(tmp_path, n):
    lines = ["id,participant,role"]
    for i in range(1, n + 1):
        (tmp_path / f"S{i:03d}.txt").write_text(
            f"Interviewer: What happened on the call?\n\nP{i:03d}: My id is P{i:03d}; the unit took him.\n",
            encoding="utf-8",
        )
        lines.append(f"S{i:03d},P{i:03d},officer")
    (tmp_path / "attributes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sorted(tmp_path.glob("S*.txt"))


def test_the_study_ids_are_worked_out_once_not_once_per_file(monkeypatch, runner, db_path, tmp_path):
    # Every file is checked against the whole study's ids (the attributes CSV's, every transcript's).
    # They were worked out again for each file, twice (its name and its text): a study of 1,200
    # transcripts spent 13 s of its import there, growing with the square of the study.
    files = _site_files(tmp_path, 24)
    seen = _count_study_ids(monkeypatch)
    db = ["--db", str(db_path)]
    args = ["ingest", *map(str, files), "--attributes", str(tmp_path / "attributes.csv"), "--jobs", "1"]
    result = runner.invoke(app, [*args, *db], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr  # the ids in the texts are no finding
    # The CSV's 48 ids once, then each file's own few (its id, its name, its labels) once.
    assert 48 <= sum(seen) <= 48 + 24 * 4, seen
    qdpx = tmp_path / "study.qdpx"
    assert runner.invoke(app, ["project", "export", str(qdpx), *db]).exit_code == 0
    seen.clear()
    copy = tmp_path / "copy.db"
    result = runner.invoke(app, ["project", "import", str(qdpx), "--db", str(copy)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert len(iter_transcript_rows(open_db(copy))) == 24
    assert 24 <= sum(seen) <= 24 + 24 * 2, seen  # every transcript's id once, then each source's labels


OTTER = """\
Interviewer  0:00
Tell me about the last call.

P07  0:05
We waited four hours at the unit, and Dana Whitfield never called back.

Transcribed by https://otter.ai
"""


def test_deid_scan_skips_what_the_gate_skips_and_finds_what_it_finds(runner, db_path, make_transcript):
    # Otter's footer names nobody: the gate let it through while deid scan reported its URL, so the two
    # disagreed on the same file. Both read it as ingest's reader does; the name each still finds.
    make_transcript(OTTER, "p07.txt")
    gate = runner.invoke(app, ["ingest", "p07.txt", "--db", str(db_path)])
    assert gate.exit_code == 1
    assert "likely identifiers at 5:39 (person). Review" in gate.stderr
    scan = runner.invoke(app, ["deid", "scan", "p07.txt", "--format", "json"])
    assert scan.exit_code == 3
    assert [(f["line"], f["column"], f["category"]) for f in json.loads(scan.stdout)] == [(5, 39, "person")]
    runner.invoke(app, ["deid", "allow", "add", "Dana Whitfield", "--db", str(db_path)])
    assert runner.invoke(app, ["ingest", "p07.txt", "--db", str(db_path)]).exit_code == 0
    clean = runner.invoke(app, ["deid", "scan", "p07.txt", "--db", str(db_path)])  # its allowlist too
    assert clean.exit_code == 0, clean.stderr


def test_deid_redact_leaves_the_footer_the_gate_skips(runner, make_transcript, tmp_path):
    # Redacted, the footer ("Transcribed by [URL-1]") would no longer read as Otter's, and be ingested as speech.
    make_transcript(OTTER, "p07.txt")
    result = runner.invoke(app, ["deid", "redact", "p07.txt", "-o", str(tmp_path / "out" / "p07.txt")])
    assert result.exit_code == 0, result.stderr
    out = (tmp_path / "out" / "p07.txt").read_text()
    assert out.endswith("Transcribed by https://otter.ai\n") and "Whitfield" not in out
