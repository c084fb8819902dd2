"""ingest_files: storing batches, re-ingest rules, the attributes CSV, the PII gate and the audit log."""

from __future__ import annotations

import multiprocessing
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from wei_qual.errors import TranscriptError
from wei_qual.ingest import ingest_files
from wei_qual.ingest.gate import PROBE
from wei_qual.models import Decision, Excerpt
from wei_qual.store import iter_audit
from wei_qual.store.decisions import save_decision, save_memo
from wei_qual.store.transcripts import (
    get_attributes,
    get_speaker_attributes,
    iter_segments,
    iter_speakers,
    iter_transcript_summaries,
)

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class FakeFinding:
    line: int
    column: int
    category: str
    start: int = 0
    review: bool = False  # as deid.Finding: a name to review, which the gate lets through


@pytest.fixture
def scanner(monkeypatch):
    """Replace the PII scan with one that flags lines containing "555-" (phone) or "SSN" (ssn)."""
    import wei_qual.deid

    def scan_text(text, *, allow=(), study_ids=()):
        found, at = [], 0
        for i, line in enumerate(text.split("\n"), 1):
            for word, category in (("555-", "phone"), ("SSN", "ssn")):
                col = line.find(word)
                if col >= 0 and word not in allow:
                    found.append(FakeFinding(i, col + 1, category, at + col))
            at += len(line) + 1
        return found

    monkeypatch.setattr(wei_qual.deid, "scan_text", scan_text)
    monkeypatch.setattr(wei_qual.deid, "project_allowlist", lambda db: [])


def _copy(names, dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(DATA / n, dest / n)) for n in names]


def _summary(result):
    return [(Path(o.path).name, o.status, o.transcript_id, o.segments) for o in result.outcomes]


def test_ingest_stores_transcripts_segments_and_audit(db, tmp_path, scanner):
    paths = _copy(["zoom.vtt", "table.docx", "bold.md"], tmp_path / "in")
    calls = []
    result = ingest_files(db, paths, on_progress=calls.append)
    assert _summary(result) == [
        ("zoom.vtt", "added", "zoom", 3),
        ("table.docx", "added", "table", 4),
        ("bold.md", "added", "bold", 4),
    ]
    assert (result.transcripts, result.segments, result.failed, calls) == (3, 11, [], [1, 1, 1])
    rows = iter_segments(db, transcript_id="zoom")
    assert [(r["n"], r["speaker"], r["role"], r["start_time"], r["end_time"]) for r in rows] == [
        (1, "Interviewer", "interviewer", 4.0, 7.5),
        (2, "P03", "participant", 9.0, 16.25),
        (3, "Interviewer", "interviewer", 91.0, 93.0),
    ]
    text = db.execute("SELECT text FROM transcripts WHERE id = 'zoom'").fetchone()[0]
    assert all(text[r["start_char"] : r["end_char"]] == r["text"] for r in rows)
    log = [(r["action"], r["entity_id"], r["after"]["segments"]) for r in iter_audit(db, entity="transcript")]
    assert log == [("ingest", "zoom", 3), ("ingest", "table", 4), ("ingest", "bold", 4)]


def test_folders_are_searched_recursively_skipping_readme_and_hidden(db, tmp_path, scanner):
    _copy(["zoom.vtt"], tmp_path / "in")
    _copy(["rev.txt"], tmp_path / "in" / "sub")
    (tmp_path / "in" / "README.md").write_text("# Fictional sample\n\nThese are not real.\n")
    (tmp_path / "in" / ".hidden.txt").write_text("I: hi\n")
    (tmp_path / "in" / "~$lock.docx").write_bytes(b"x")
    (tmp_path / "in" / "participants.csv").write_text("id\n")
    result = ingest_files(db, [tmp_path / "in"])
    assert _summary(result) == [("rev.txt", "added", "rev", 3), ("zoom.vtt", "added", "zoom", 3)]


def test_missing_path_and_folder_without_transcripts_fail_but_others_go_on(db, tmp_path, scanner):
    (tmp_path / "empty_dir").mkdir()
    (tmp_path / "empty_dir" / "notes.pages").write_bytes(b"PK")
    good = _copy(["rev.txt"], tmp_path)[0]
    result = ingest_files(db, [tmp_path / "nope.txt", tmp_path / "empty_dir", good])
    assert [(o.status, o.message) for o in result.outcomes] == [
        ("failed", f'"{tmp_path / "nope.txt"}" does not exist. Check the path.'),
        (
            "failed",
            (
                f'Folder "{tmp_path / "empty_dir"}" contains no .txt, .md, .docx, .odt, .rtf, .vtt, .srt or .pdf files. '
                "Pass the folder that holds the transcripts, or the files themselves."
            ),
        ),
        ("added", ""),
    ]


def test_bad_files_fail_alone_and_write_nothing(db, tmp_path, scanner):
    names = [
        "empty.txt",
        "whitespace.txt",
        "binary.txt",
        "cp1252.txt",
        "corrupt.docx",
        "malformed.vtt",
        "rev.txt",
    ]
    result = ingest_files(db, _copy(names, tmp_path))
    assert [o.status for o in result.outcomes] == ["failed"] * 6 + ["added"]
    assert [r["id"] for r in iter_transcript_summaries(db)] == ["rev"]
    assert [r["entity_id"] for r in iter_audit(db)] == ["rev"]


def test_same_content_again_is_unchanged_and_writes_nothing(db, tmp_path, scanner):
    path = _copy(["rev.txt"], tmp_path)[0]
    ingest_files(db, [path])
    audit_before = len(iter_audit(db))
    result = ingest_files(db, [path])
    assert [(o.status, o.message) for o in result.outcomes] == [
        ("unchanged", "already in the project with the same content")
    ]
    assert len(iter_audit(db)) == audit_before
    copy = tmp_path / "other" / "renamed.txt"
    copy.parent.mkdir()
    shutil.copy(path, copy)
    result = ingest_files(db, [copy])
    assert [(o.status, o.message) for o in result.outcomes] == [
        ("unchanged", 'same content as transcript "rev", already in the project')
    ]


def test_new_content_replaces_when_there_are_no_decisions(db, make_transcript, scanner):
    path = make_transcript("I: one\n\nR: two\n")
    ingest_files(db, [path], attributes_csv=None)
    db.execute("INSERT INTO attributes (transcript_id, name, value) VALUES ('p01', 'role', 'officer')")
    path.write_text("I: one\n\nR: two, changed\n\nI: three\n")
    result = ingest_files(db, [path])
    assert [(o.status, o.segments, o.message) for o in result.outcomes] == [
        ("replaced", 3, 'replaced the earlier version of transcript "p01"')
    ]
    assert [r["text"] for r in iter_segments(db, transcript_id="p01")] == ["one", "two, changed", "three"]
    assert get_attributes(db) == {"p01": {"role": "officer"}}  # case variables survive a content update
    replace_row = iter_audit(db, entity="transcript")[-1]
    assert replace_row["action"] == "replace"
    assert replace_row["before"]["segments"] == 2 and replace_row["before"]["dropped_decisions"] == []


def test_new_content_with_decisions_is_refused_unless_replace(db, make_transcript, scanner):
    path = make_transcript("I: one\n\nR: two\n")
    ingest_files(db, [path])
    save_decision(db, Decision("p01", 2, "alice", frozenset({"crisis"}), note="n"))
    save_decision(db, Decision("p01", 1, "bob", frozenset()))
    path.write_text("I: one\n\nR: two, changed\n")
    result = ingest_files(db, [path])
    assert [(o.status, o.message) for o in result.outcomes] == [
        (
            "failed",
            (
                f'"{path}": transcript "p01" is already in the project with different content and 2 coding '
                "decisions. Pass --replace to replace it (the dropped decisions are kept in the audit log)."
            ),
        )
    ]
    assert [r["text"] for r in iter_segments(db, transcript_id="p01")] == ["one", "two"]

    result = ingest_files(db, [path], replace=True)
    assert [(o.status, o.message) for o in result.outcomes] == [
        (
            "replaced",
            'replaced the earlier version of transcript "p01" and dropped 2 coding decisions (kept in the audit log)',
        )
    ]
    assert db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0
    dropped = iter_audit(db, entity="transcript")[-1]["before"]["dropped_decisions"]
    assert [(d["segment"], d["coder"], d["codes"], d["note"]) for d in dropped] == [
        (1, "bob", [], ""),
        (2, "alice", ["crisis"], "n"),
    ]


def test_two_files_with_the_same_id_in_one_batch_refuse_the_second(db, tmp_path, scanner):
    a = _copy(["rev.txt"], tmp_path / "a")[0]
    b = tmp_path / "b" / "rev.txt"
    b.parent.mkdir()
    b.write_text("I: something else\n")
    result = ingest_files(db, [a, b])
    assert [(o.status, o.message) for o in result.outcomes] == [
        ("added", ""),
        (
            "failed",
            (
                f'"{b}" has transcript id "rev", already used by "{a}" in this batch. '
                "Give it another id in its front matter, or rename the file."
            ),
        ),
    ]


def test_attributes_csv_applies_to_batch_and_existing_transcripts(db, tmp_path, scanner):
    ingest_files(db, _copy(["crlf.txt"], tmp_path))
    result = ingest_files(db, _copy(["bom.txt"], tmp_path), attributes_csv=DATA / "attributes.csv")
    assert get_attributes(db) == {
        "bom": {"jurisdiction": "J1", "role": "officer", "setting": "rural", "years_experience": "12"},
        "crlf": {"jurisdiction": "J2", "role": "provider", "setting": "urban"},  # empty cell: not set
    }
    assert result.attributes_set == 2
    assert result.warnings == [
        (
            f'"{DATA / "attributes.csv"}", line 4: id "p99" matches no transcript in the project. '
            "Check the id, or ingest that transcript first."
        )
    ]
    rows = [
        (r["action"], r["entity_id"], r["after"]) for r in iter_audit(db) if r["action"] == "set_attributes"
    ]
    assert rows[1] == (
        "set_attributes",
        "crlf",
        {"jurisdiction": "J2", "role": "provider", "setting": "urban"},
    )
    again = ingest_files(db, [], attributes_csv=DATA / "attributes.csv")
    assert again.attributes_set == 0  # nothing changed, nothing audited


def test_attributes_csv_ids_match_in_any_case_and_accent_form(db, tmp_path, scanner):
    # A lead types the ids in a spreadsheet: "pair" for the file Pair.txt's "Pair", and a keyboard's "ñ"
    # for the "n" + combining tilde of a file named on a Mac. They "matched no transcript" (and looked like
    # the ids they missed), where --transcript and the decisions CSV take them.
    pair = Path(shutil.copy(DATA / "pair.txt", tmp_path / "Pair.txt"))
    mac = tmp_path / "Sen\u0303ora_P03.txt"
    mac.write_text("Interviewer: Where did he go?\n\nOfficer: To the unit.\n")
    csv = Path(shutil.copy(DATA / "pair_attributes.csv", tmp_path / "attrs.csv"))
    asks = tmp_path / "Interview-2024-01-24.txt"  # the participant asks more: only the CSV tells
    asks.write_text(
        "Sara Mannheimer: Thanks. Go ahead.\n\nBSR07: Do you want the long version? Or the short one?\n\n"
        "Sara Mannheimer: Whichever you like.\n\nBSR07: Why not? We start at the unit, don't we?\n"
    )
    csv.write_text(
        csv.read_text() + "SE\u00d1ORA_p03,,officer,rural,\nINTERVIEW-2024-01-24,BSR07,officer,,\n"
    )
    result = ingest_files(db, [pair, mac, asks], attributes_csv=csv)
    assert result.attributes_set == 3
    # each id read as another is said (a near miss is never silent), once a spelling
    assert {w.split(": ", 1)[1] for w in result.warnings} == {
        'id "pair" read as "Pair" (transcript ids ignore case and accent form here), and on 2 more lines.',
        'id "SE\u00d1ORA_p03" read as "Sen\u0303ora_P03" (transcript ids ignore case and accent form here).',
        'id "INTERVIEW-2024-01-24" read as "Interview-2024-01-24" (transcript ids ignore case and accent form here).',
    }
    assert {s.label: s.role for s in iter_speakers(db, "Interview-2024-01-24")} == {
        "Sara Mannheimer": "interviewer",
        "BSR07": "participant",
    }
    assert get_attributes(db) == {
        "Pair": {"jurisdiction": "Jurisdiction E", "setting": "urban"},
        "Sen\u0303ora_P03": {"role": "officer", "setting": "rural"},
        "Interview-2024-01-24": {},  # its row is a speaker's
    }
    assert get_speaker_attributes(db, "Pair") == {
        ("Pair", "Clinician"): {"role": "provider"},
        ("Pair", "Officer"): {"role": "officer"},
    }
    # The CSV's speakers are Pair's participant labels for role inference, as for an id written alike.
    assert {s.label: s.role for s in iter_speakers(db, "Pair")} == {
        "Interviewer": "interviewer",
        "Officer": "participant",
        "Clinician": "participant",
    }
    csv.write_text("id,role\nPair,officer\npair,provider\n")  # one transcript, two rows: which one?
    with pytest.raises(TranscriptError, match='line 3: id "pair" is also on line 2'):
        ingest_files(db, [], attributes_csv=csv)


@pytest.mark.parametrize(
    "name, message",
    [
        (
            "attributes_noid.csv",
            (
                '"{p}", line 1: no "id" column in the header row (2 columns). '
                "Add an id column holding each transcript's id (its file name without extension)."
            ),
        ),
        ("attributes_dup.csv", '"{p}", line 4: id "bom" is also on line 2. Keep one row per transcript.'),
    ],
)
def test_bad_attributes_csv_refuses_the_whole_batch_before_writing(db, tmp_path, scanner, name, message):
    with pytest.raises(TranscriptError) as ex:
        ingest_files(db, _copy(["bom.txt"], tmp_path), attributes_csv=DATA / name)
    assert str(ex.value) == message.format(p=DATA / name)
    assert iter_transcript_summaries(db) == []


# Attributes CSVs a lenient reader read wrong without a word (P01's role became a chunk of the file, the
# rows after it got nothing), written as Excel and hand edits leave them: a BOM, CRLF, ";" from European
# Excel. Each stops the batch in one line naming the line, before anything is written.
@pytest.mark.parametrize(
    "text, message",
    [
        (
            'id,role,jurisdiction,setting\r\nbom,"officer,J1,rural\r\ncrlf,provider,J2,urban\r\n',
            (
                '"{p}", line 2: a quote (") opened on this line is never closed, so every line after it would be '
                'read into one cell. Close the quote, or write a quote inside a cell as "" (two quotes).'
            ),
        ),
        (
            "\ufeffid;role;jurisdiction;role\r\nbom;officer;J1;provider\r\n",
            (
                '"{p}", line 1: columns 2 and 4 are both named "role", so one would be read and the other lost. '
                "Rename or delete one of them."
            ),
        ),
        (
            "id,role,setting\r\nbom,officer,rural\r\ncrlf,provider,urban, J2\r\n",
            (
                '"{p}", line 3: 4 cells, but the header names 3 columns, so cell 4 would be lost. A cell holding a '
                "comma must be in double quotes; or name the extra column in the header."
            ),
        ),
        (
            "id,role,,setting\r\nbom,officer,J1,rural\r\n",
            (
                '"{p}", line 2: column 3 has a value but no name in the header (line 1). Name the column, or '
                "delete its values."
            ),
        ),
        (
            "\ufeffid,role,setting\r\n",
            '"{p}" has a header row and no rows under it. Add one row per transcript, or leave out --attributes.',
        ),
    ],
)
def test_malformed_attributes_csv_is_refused_by_line(db, tmp_path, scanner, text, message):
    path = tmp_path / "participants.csv"
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(TranscriptError) as ex:
        ingest_files(db, _copy(["bom.txt", "crlf.txt"], tmp_path), attributes_csv=path)
    assert str(ex.value) == message.format(p=path)
    assert iter_transcript_summaries(db) == []


def test_a_short_attributes_row_sets_what_it_has_with_a_warning(db, tmp_path, scanner):
    # Typed in an editor: the empty cells at the end of crlf's row were left off.
    path = tmp_path / "participants.csv"
    path.write_bytes(b"id,role,jurisdiction,setting\r\nbom,officer,J1,rural\r\ncrlf,provider\r\n")
    result = ingest_files(db, _copy(["bom.txt", "crlf.txt"], tmp_path), attributes_csv=path)
    assert get_attributes(db) == {
        "bom": {"role": "officer", "jurisdiction": "J1", "setting": "rural"},
        "crlf": {"role": "provider"},
    }
    assert result.warnings == [
        (
            f'"{path}", line 3: 2 of 4 cells; "jurisdiction", "setting" left unset. If a cell is missing in the '
            "middle, the values after it are in the wrong columns: check the row."
        )
    ]


def test_missing_attributes_csv(db, tmp_path, scanner):
    with pytest.raises(TranscriptError) as ex:
        ingest_files(db, [], attributes_csv=tmp_path / "nope.csv")
    assert (
        str(ex.value)
        == f'Attributes file "{tmp_path / "nope.csv"}" does not exist. Check the path given with --attributes.'
    )


def test_front_matter_id_and_attributes_are_stored(db, tmp_path, scanner):
    ingest_files(db, _copy(["frontmatter.md"], tmp_path))
    assert get_attributes(db) == {
        "officer-12": {"role": "officer", "setting": "rural", "years_experience": "14"}
    }


def test_pii_gate_refuses_with_locations_and_categories_only(db, make_transcript, scanner):
    path = make_transcript("I: call me\n\nR: sure, 555-0100 or\nmy SSN is there\n", name="p01.txt")
    result = ingest_files(db, [Path("p01.txt")])
    assert [(o.status, o.message) for o in result.outcomes] == [
        (
            "failed",
            (
                'p01.txt: likely identifiers at 3:10 (phone), 4:4 (ssn). Review with "wei-qual deid scan '
                'p01.txt", redact with "wei-qual deid redact p01.txt -o redacted/p01.txt", or pass --allow-pii.'
            ),
        )
    ]
    assert "0100" not in result.outcomes[0].message
    assert iter_transcript_summaries(db) == [] and iter_audit(db) == []

    result = ingest_files(db, [path], allow_pii=True)
    assert [o.status for o in result.outcomes] == ["added"]
    assert [(r["action"], r["entity_id"], r["after"]) for r in iter_audit(db)][-1] == (
        "allow_pii",
        "p01",
        {"phone": 1, "ssn": 1},
    )


def test_pii_refusal_lists_at_most_ten_locations(db, make_transcript, scanner):
    make_transcript("R: hi\n" + "555-\n" * 12)
    message = ingest_files(db, [Path("p01.txt")]).outcomes[0].message
    assert message.startswith("p01.txt: likely identifiers at 2:1 (phone), 3:1 (phone)")
    assert "11:1 (phone) and 2 more. Review" in message


def test_docx_is_scanned_on_its_extracted_text_with_speaker_labels(db, tmp_path, monkeypatch):
    import wei_qual.deid

    seen = []
    monkeypatch.setattr(
        wei_qual.deid, "scan_text", lambda text, allow=(), study_ids=(): seen.append(text) or []
    )
    ingest_files(db, _copy(["table.docx"], tmp_path))
    assert seen[0] == PROBE  # the gate checks the scanner runs before reading any file
    # The title over the table is kept as the title attribute, and scanned where it is; the file name,
    # which is the transcript id, is scanned first.
    assert seen[1:] == [
        "table",
        (
            "Interview transcript (fictional)\n\nInterviewer: How do crisis calls reach you?\n\nP03: Mostly "
            "through dispatch.\n\nSometimes the family calls the unit directly.\n\nInterviewer: And after "
            "that?\n\nP03: We try a warm handoff."
        ),
    ]


def test_real_pii_scan_passes_clean_caption_files(db, tmp_path):
    # Cue numbers and timing lines are structure, not identifiers (end to end with wei_qual.deid).
    result = ingest_files(db, _copy(["zoom.vtt", "teams.vtt", "captions.srt"], tmp_path))
    assert [o.status for o in result.outcomes] == ["added"] * 3


def test_attributes_csv_encoding_and_empty_csv(db, tmp_path, scanner):
    ingest_files(db, _copy(["bom.txt"], tmp_path))
    csv_path = tmp_path / "excel.csv"
    csv_path.write_bytes("id,jurisdiction\nbom,Niño County\n".encode("cp1252"))
    with pytest.raises(TranscriptError) as ex:
        ingest_files(db, [], attributes_csv=csv_path)
    assert str(ex.value) == (
        f'"{csv_path}" is not UTF-8 (first bad byte on line 2). Re-save it as UTF-8, or pass --encoding cp1252.'
    )
    ingest_files(db, [], attributes_csv=csv_path, encoding="cp1252")
    assert get_attributes(db) == {"bom": {"jurisdiction": "Niño County"}}
    csv_path.write_bytes(b"")
    with pytest.raises(TranscriptError) as ex:
        ingest_files(db, [], attributes_csv=csv_path)
    assert str(ex.value) == (
        f'"{csv_path}" is empty. Give it a header row with an id column, then one row per transcript.'
    )


def test_unchanged_file_is_not_rescanned(db, make_transcript, scanner):
    # Once ingested with --allow-pii, re-running the folder reports it unchanged instead of refusing it.
    make_transcript("R: call 555-0100\n")
    ingest_files(db, [Path("p01.txt")], allow_pii=True)
    result = ingest_files(db, [Path("p01.txt")])
    assert [(o.status, o.message) for o in result.outcomes] == [
        ("unchanged", "already in the project with the same content")
    ]


def test_worker_processes_give_the_outcomes_and_rows_of_one_process(tmp_path):
    # A large batch is read and PII-scanned in forked workers (wei_qual.parallel) and stored here in
    # file order: outcomes, refusals and stored rows must equal the one-process ingest, with the real scan.
    from wei_qual.ingest import PARALLEL_MIN_FILES
    from wei_qual.store import memory_db

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork here: ingest runs in one process")
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(PARALLEL_MIN_FILES + 4):
        body = f"Interviewer: How do crisis calls go in county {i}?\n\nP{i:02d}: The unit is far away, we wait hours."
        if i == 3:
            body += "\n\nP03: Call me at 555-123-4567."  # refused by the PII gate
        if i == 5:
            body = ""  # an empty file fails alone
        (folder / f"p{i:02d}.txt").write_text(body, encoding="utf-8")
    (folder / "p01-copy.txt").write_text(
        "---\nid: p01\n---\n\nInterviewer: Hi?\n\nP01: Yes.\n", encoding="utf-8"
    )

    def run(jobs):
        db = memory_db()
        result = ingest_files(db, [folder], jobs=jobs)
        rows = [
            db.execute(q).fetchall()
            for q in (
                "SELECT id, source, format, sha256, text, roles, roles_reason, warnings, kind FROM transcripts ORDER BY id",
                "SELECT transcript_id, n, speaker, role, text, start_char, end_char FROM segments ORDER BY 1, 2",
                "SELECT transcript_id, label, role, reason, given FROM speakers ORDER BY 1, 2",
            )
        ]
        return [(o.path, o.status, o.transcript_id, o.segments, o.message) for o in result.outcomes], rows

    one, two = run(1), run(2)
    assert two == one
    statuses = [status for _, status, *_ in one[0]]
    assert statuses.count("failed") == 3 and statuses.count("added") == PARALLEL_MIN_FILES + 2


def test_a_new_version_keeps_the_transcript_memo_and_never_drops_segment_memos_silently(
    db, make_transcript, scanner
):
    # Segment and transcript memos were deleted with the old version, even without --replace (a
    # transcript with memos but no decisions), and neither the message nor the audit log said so.
    path = make_transcript("I: one\n\nR: two\n")
    ingest_files(db, [path])
    save_memo(db, "alice", "transcript", "p01", "The recorder stopped at 40 minutes.")
    save_memo(db, "alice", "segment", "p01:2", "Irony? Check the audio.")
    path.write_text("I: zero\n\nR: half\n\nI: one\n\nR: two\n")  # segment 2 is now another turn
    result = ingest_files(db, [path])
    assert [(o.status, o.message) for o in result.outcomes] == [
        (
            "failed",
            (
                f'"{path}": transcript "p01" is already in the project with different content and 1 segment '
                "memo. Pass --replace to replace it (the dropped memos are kept in the audit log)."
            ),
        )
    ]
    save_decision(db, Decision("p01", 2, "alice", frozenset({"crisis"}), excerpts=(Excerpt("crisis", 0, 3),)))
    result = ingest_files(db, [path], replace=True)
    assert [(o.status, o.message) for o in result.outcomes] == [
        (
            "replaced",
            (
                'replaced the earlier version of transcript "p01" and dropped 1 coding decision and 1 segment '
                "memo (kept in the audit log)"
            ),
        )
    ]
    assert [(r["target_type"], r["target_id"], r["text"]) for r in db.query("SELECT * FROM memos")] == [
        ("transcript", "p01", "The recorder stopped at 40 minutes.")
    ]
    before = iter_audit(db, entity="transcript")[-1]["before"]
    assert [(m["segment"], m["coder"], m["text"]) for m in before["dropped_memos"]] == [
        (2, "alice", "Irony? Check the audio.")
    ]
    assert before["dropped_decisions"][0]["excerpts"] == [{"code": "crisis", "start": 0, "end": 3}]


def test_the_e2e_study_reads_as_its_script_was_written(db):
    """Eight interviews as eight services export them (tests/data/e2e_study): each transcript's turns,
    participant turns and words against the dialogue they were written from (dialog.py), counted apart
    from wei-qual: a turn is a run of one speaker's lines, the note-taker's one question is nobody's
    participant turn, and no header, footer, label or title is a word of the text."""
    import importlib.util

    from wei_qual.deid.allowlist import add_to_project_allowlist, load_allow_file

    study = DATA / "e2e_study"
    spec = importlib.util.spec_from_file_location("e2e_dialog", study / "dialog.py")
    dialog = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dialog)
    add_to_project_allowlist(db, load_allow_file(study / "allowlist.lst"))
    result = ingest_files(db, [study], attributes_csv=study / "participants.csv", jobs=1)
    assert [o.status for o in result.outcomes] == ["added"] * 8
    for tid, lines in dialog.D.items():
        turns: list[list] = []
        for who, text in lines:
            if turns and turns[-1][0] == who:
                turns[-1][1] += " " + text
            else:
                turns.append([who, text])
        segments = list(iter_segments(db, transcript_id=tid))
        participant = [s for s in segments if s["role"] == "participant"]
        assert len(segments) == len(turns), tid
        assert len(participant) == sum(who == "P" for who, _ in turns), tid
        assert sum(len(s["text"].split()) for s in participant) == sum(
            len(text.split()) for who, text in turns if who == "P"
        ), tid
        assert sum(len(s["text"].split()) for s in segments) == sum(len(text.split()) for _, text in turns), (
            tid
        )
    attributes = get_attributes(db)
    assert sorted((a["role"], a["setting"]) for a in attributes.values()) == sorted(
        [("officer", "rural"), ("officer", "urban")] * 2 + [("provider", "rural"), ("provider", "urban")] * 2
    )
