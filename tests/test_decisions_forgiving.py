"""Decisions import forgives what spreadsheets and people do, and says what it read: European Excel
(";" and a BOM, CRLF), Excel's "Unicode text" (UTF-16, tabs), code and transcript ids in another case,
codes separated with ",", coder names with stray spaces or another case. Each reading is a note: a
warning on stderr and an entry of "notes" in --format json. What cannot be read is still an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _coding_project import build_project

from wei_qual.cli import app
from wei_qual.coders import normalise_coder_name
from wei_qual.decisions_io import import_decisions
from wei_qual.errors import DecisionError
from wei_qual.models import Decision
from wei_qual.spreadsheet import detect_delimiter
from wei_qual.store import open_db
from wei_qual.store.decisions import get_decision, iter_decisions, save_decision


@pytest.fixture
def project(db_path):
    db = open_db(db_path)
    build_project(db)
    save_decision(db, Decision("p02", 3, "alice", frozenset({"csu-refusal"})))  # alice exists already
    db.close()
    return db_path


def _decisions(db_path) -> dict:
    return {(d.transcript, d.segment, d.coder): sorted(d.codes) for d in iter_decisions(open_db(db_path))}


def _import(runner, db_path, name: str, *args: str, exit_code: int = 0):
    result = runner.invoke(app, ["decisions", "import", name, *args, "--db", str(db_path)])
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    return result


# What Excel writes with "Save as CSV" in a German or French locale: ";" between columns, a BOM, CRLF
# line ends, and a note with a ";" inside quotes.
EUROPEAN = (
    "\ufefftranscript;segment;coder;codes;note\r\n"
    "p01;2;alice;csu-admission;\r\n"
    'p01;4;alice;followup;"asked twice; no answer"\r\n'
    "p02;2;bob;co-responder;\r\n"
).encode("utf-8")


def test_european_excel_semicolons_bom_and_crlf(runner, project, tmp_path):
    (tmp_path / "alice.csv").write_bytes(EUROPEAN)
    result = _import(runner, project, "alice.csv", "--format", "json")
    assert json.loads(result.stdout) == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "removed": 0,
        "notes": [
            (
                '"alice.csv": columns are separated by semicolons (as Excel saves CSV in many European '
                "languages, or as Unicode text); read that way."
            )
        ],
    }
    assert result.stderr.startswith('Warning: "alice.csv": columns are separated by semicolons')
    assert _decisions(project)[("p01", 4, "alice")] == ["followup"]
    assert get_decision(open_db(project), "p01", 4, "alice").note == "asked twice; no answer"


def test_excel_unicode_text_is_utf16_with_tabs(runner, project, tmp_path):
    text = "transcript\tsegment\tcoder\tcodes\tnote\r\np02\t2\tbob\tco-responder;followup\tRode along\r\n"
    (tmp_path / "bob.txt").write_bytes(text.encode("utf-16"))  # with its BOM, as Excel writes it
    result = _import(runner, project, "bob.txt")
    assert "separated by tabs" in result.stderr
    assert _decisions(project)[("p02", 2, "bob")] == ["co-responder", "followup"]


def test_excel_for_macs_csv_in_mac_roman_is_read_right_with_a_note(runner, project, tmp_path):
    # Excel for Mac's "Comma Separated Values" (the old "CSV (Macintosh)"): Mac Roman, CR row ends. It was
    # refused as not UTF-8, with advice for Windows; read as cp1252 its "é" would be "Ž".
    text = "transcript,segment,coder,codes,note\rp02,2,bob,co-responder,rode along; the médico came\r"
    (tmp_path / "bob.csv").write_bytes(text.encode("mac_roman"))
    result = _import(runner, project, "bob.csv")
    assert (
        'Warning: "bob.csv" was read as Mac Roman (Excel for Mac\'s "CSV (Macintosh)"), not cp1252: on line 2 '
        'cp1252 reads a byte in a word as "Ž" where Mac Roman reads "é"'
    ) in result.stderr
    assert get_decision(open_db(project), "p02", 2, "bob").note == "rode along; the médico came"


def test_utf16_without_a_bom_is_read_with_a_note(runner, project, tmp_path):
    # UTF-16 LE with no byte-order mark (a database tool's export): it was "a NUL character ... a workbook".
    text = "transcript\tsegment\tcoder\tcodes\tnote\r\np02\t2\tbob\tco-responder\tRode along\r\n"
    (tmp_path / "bob.txt").write_bytes(text.encode("utf-16-le"))
    result = _import(runner, project, "bob.txt")
    assert 'Warning: "bob.txt" was read as UTF-16 (little-endian) without a byte-order mark' in result.stderr
    assert _decisions(project)[("p02", 2, "bob")] == ["co-responder"]


def test_an_explicit_delimiter_wins_and_a_wrong_one_says_what_was_tried(runner, project, tmp_path):
    (tmp_path / "alice.csv").write_bytes(EUROPEAN)
    result = _import(runner, project, "alice.csv", "--delimiter", "semicolon")
    assert "separated by" not in result.stderr  # asked for: no note
    before = _decisions(project)
    result = _import(runner, project, "alice.csv", "--delimiter", ",", exit_code=1)
    assert result.stderr == (
        'Error: "alice.csv", line 1: missing column "transcript", "segment", "coder", "codes" (1 column '
        "found). The header must be: transcript,segment,coder,codes,note. Pass --delimiter if its columns "
        "are not separated by commas.\n"
    )
    result = _import(runner, project, "alice.csv", "--delimiter", "::", exit_code=1)
    assert result.stderr == 'Error: Unknown --delimiter "::". Pass comma, semicolon, tab or "|".\n'
    assert _decisions(project) == before


def test_ids_in_another_case_are_matched_with_a_note(runner, project, tmp_path):
    (tmp_path / "d.csv").write_text(
        "transcript,segment,coder,codes,note\n"
        "P01,2,alice,CSU-Admission;Setting-Rural,\n"
        "p01,4,alice,Followup,\n"
        "p02,2,alice,Followup,\n",
        encoding="utf-8",
    )
    result = _import(runner, project, "d.csv", "--format", "json")
    assert json.loads(result.stdout)["notes"] == [
        'd.csv:2: transcript "P01" read as "p01" (transcript ids ignore case here).',
        'd.csv:2: code "CSU-Admission" read as "csu-admission" (code ids ignore case).',
        'd.csv:2: code "Setting-Rural" read as "setting-rural" (code ids ignore case).',
        'd.csv:3 and 1 more row: code "Followup" read as "followup" (code ids ignore case).',
        # alice's decision on p02 that the file does not hold stays, and that is said
        (
            "d.csv covers 2 transcripts (p01, p02) for alice and has no row for 1 of alice's decisions there "
            "(p02:3): they are kept as they are. If the rows were deleted on purpose, import the file again "
            "with --remove-missing to remove them too. alice's decisions on other transcripts are not touched."
        ),
    ]
    assert _decisions(project)[("p01", 2, "alice")] == ["csu-admission", "setting-rural"]
    assert result.stderr.count("Warning: ") == 5


def test_codes_separated_with_commas(runner, project, tmp_path):
    (tmp_path / "d.csv").write_text(
        'transcript,segment,coder,codes,note\np01,2,bob,"csu-admission, followup",\n', encoding="utf-8"
    )
    result = _import(runner, project, "d.csv")
    assert (
        'Warning: d.csv:2: codes "csu-admission, followup" are separated with ","; read as 2 codes. '
        'Separate codes with ";".\n'
    ) in result.stderr
    assert _decisions(project)[("p01", 2, "bob")] == ["csu-admission", "followup"]
    # When a part is not a code, it is an error with the hint, and nothing is imported.
    (tmp_path / "bad.csv").write_text(
        'transcript,segment,coder,codes,note\np01,4,bob,"reuse, data-errors",\n', encoding="utf-8"
    )
    result = _import(runner, project, "bad.csv", exit_code=1)
    assert result.stderr == (
        "Error: bad.csv: 1 problem, nothing imported.\n"
        'bad.csv:2: the codes cell holds a "," and is not a list of codes. Separate codes with ";", e.g. '
        f'"reuse;data-errors" (see the ids with "wei-qual codebook show --db {project}").\n'
    )


def test_coder_names_are_trimmed_and_matched_to_existing_coders(runner, project, tmp_path):
    (tmp_path / "d.csv").write_text(
        "transcript,segment,coder,codes,note\n"
        "p01,2, Alice ,followup,\n"  # alice exists: stored under alice
        "p01,4,Dana Whitfield ,followup,\n"  # a new coder: trimmed, kept as written
        "p02,2,dana whitfield,followup,\n",  # the same new coder in another case
        encoding="utf-8",
    )
    result = _import(runner, project, "d.csv", "--format", "json")
    assert json.loads(result.stdout)["notes"] == [
        'd.csv:2: coder " Alice " read as the existing coder "alice" (did you mean alice? Names ignore case).',
        'd.csv:3: coder "Dana Whitfield " read as "Dana Whitfield" (spaces trimmed).',
        'd.csv:4: coder "dana whitfield" read as the existing coder "Dana Whitfield" (did you mean Dana Whitfield? Names ignore case).',
    ]
    decisions = _decisions(project)
    assert ("p01", 2, "alice") in decisions and ("p01", 4, "Dana Whitfield") in decisions
    assert ("p02", 2, "Dana Whitfield") in decisions
    assert not any(coder in ("Alice", " Alice ", "dana whitfield") for _, _, coder in decisions)


def test_an_ambiguous_transcript_case_is_not_guessed(db, tmp_path):
    from _coding_project import CODEBOOK, _transcript

    from wei_qual.models import PARTICIPANT
    from wei_qual.store import transaction
    from wei_qual.store.codebooks import save_codebook_version
    from wei_qual.store.transcripts import save_transcript

    with transaction(db):
        for tid in ("p01", "P01"):
            save_transcript(db, _transcript(tid, [(PARTICIPANT, f"Turn of {tid}.")], {}))
        save_codebook_version(db, CODEBOOK, "name: crisis\n")
    path = tmp_path / "d.csv"
    path.write_text("transcript,segment,coder,codes\nP01,1,alice,followup\nX01,1,alice,\n", encoding="utf-8")
    with pytest.raises(DecisionError) as info:
        import_decisions(db, path)
    assert str(info.value).splitlines()[1:] == [
        f'{path}:3: unknown transcript "X01". Check the ids with "wei-qual transcripts list".'
    ]


def test_normalise_coder_name():
    assert normalise_coder_name("alice", ["alice"]) == ("alice", None)
    assert normalise_coder_name("  Bob  Smith ", []) == (
        "Bob Smith",
        'coder "  Bob  Smith " read as "Bob Smith" (spaces trimmed)',
    )
    assert normalise_coder_name("ALICE", ["alice", "bob"])[0] == "alice"
    assert normalise_coder_name("Alice", ["alice", "ALICE"]) == ("Alice", None)  # two matches: not guessed
    assert normalise_coder_name("   ", ["alice"])[0] == ""


@pytest.mark.parametrize(
    "header, expected",
    [
        ("transcript,segment,coder,codes,note", ","),
        ("transcript;segment;coder;codes;note", ";"),
        ("transcript\tsegment\tcoder\tcodes", "\t"),
        ('"transcript";"segment";"coder";"codes"', ";"),
        ("transcript|segment|coder|codes", "|"),
        ("a note, with a comma;transcript;segment;coder;codes", ";"),  # the names decide, not the counts
        ("just one column", ","),
    ],
)
def test_detect_delimiter(header, expected):
    assert (
        detect_delimiter(header + "\n1,2\n", ("transcript", "segment", "coder", "codes", "note")) == expected
    )


def test_the_json_format_of_a_plain_import(runner, project, tmp_path):
    Path(tmp_path / "d.csv").write_text("transcript,segment,coder,codes,note\np01,2,bob,followup,\n")
    result = _import(runner, project, "d.csv", "--format", "json")
    assert json.loads(result.stdout) == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "removed": 0,
        "notes": [],
    }
    assert result.stderr == "Imported d.csv: 1 changed (1 new, 0 updated), 0 unchanged.\n"


def test_the_attributes_csv_from_european_excel(tmp_path):
    from wei_qual.ingest.attributes import read_attributes_csv

    path = tmp_path / "participants.csv"
    path.write_bytes("\ufeffid;role;setting\r\np01;officer;rural\r\np02;provider;\r\n".encode())
    rows = read_attributes_csv(path)
    assert [(r.line, r.transcript_id, r.values) for r in rows] == [
        (2, "p01", {"role": "officer", "setting": "rural"}),
        (3, "p02", {"role": "provider"}),
    ]


def test_an_excel_sep_line_names_the_separator_and_is_not_the_header(runner, project, tmp_path):
    # "sep=;" on the first line, Excel's hint: it was read as the header, "missing column ...".
    (tmp_path / "alice.csv").write_bytes(
        b"sep=;\r\ntranscript;segment;coder;codes;notes\r\np01;4;alice;followup;asked twice, no answer\r\n"
    )
    result = _import(runner, project, "alice.csv")
    assert result.stderr == (  # no note that the file is ";"-separated: it says so itself
        'Warning: "alice.csv", line 2: column "notes" (did you mean "note"?) is not read (the import reads '
        "transcript, segment, coder, codes, note, excerpts); its cells are ignored. Rename the column if it "
        "holds one of those.\n"
        "Imported alice.csv: 1 changed (1 new, 0 updated), 0 unchanged.\n"
    )
    assert _decisions(project)[("p01", 4, "alice")] == ["followup"]
