"""`ingest --attributes` with the sheets people export (Excel, LibreOffice, Google Sheets) and the files
they pick by mistake: read as meant, or refused in one line naming the file and line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wei_qual.cli import app
from wei_qual.store import open_db
from wei_qual.store.transcripts import get_attributes, iter_transcript_summaries

DATA = Path(__file__).parent / "data"


@pytest.fixture
def transcripts(tmp_path):
    for name in ("bom.txt", "crlf.txt"):
        shutil.copy(DATA / name, tmp_path / name)
    return ["bom.txt", "crlf.txt"]


def _ingest(runner, db_path, transcripts, sheet, *more):
    return runner.invoke(app, ["ingest", *transcripts, "--attributes", sheet, *more, "--db", str(db_path)])


def _refused(result, db_path, message):
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")
    assert not db_path.exists() or not list(iter_transcript_summaries(open_db(db_path)))


def test_a_nul_byte_is_a_sheet_problem_with_its_line_not_transcript_advice(runner, db_path, transcripts):
    # The advice was "Export the transcript as .txt, .docx or .vtt", with no line.
    Path("a.csv").write_bytes(b"id,role\r\nbom,offi\x00cer\r\ncrlf,provider\r\n")
    _refused(
        _ingest(runner, db_path, transcripts, "a.csv"),
        db_path,
        '"a.csv", line 2: a NUL byte, which no CSV file holds: this is a spreadsheet workbook or another binary '
        'file, or a damaged one. Save the sheet as "CSV UTF-8" and pass that file.',
    )


def test_a_workbook_given_for_its_csv_is_told_to_save_as_csv(runner, db_path, transcripts):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["id", "role"])
    book.active.append(["bom", "officer"])
    book.save("participants.xlsx")
    result = _ingest(runner, db_path, transcripts, "participants.xlsx")
    assert result.exit_code == 1
    assert result.stderr.startswith('Error: "participants.xlsx", line 1: a NUL byte, which no CSV file holds')
    assert 'Save the sheet as "CSV UTF-8"' in result.stderr and "transcript" not in result.stderr


def test_a_sheet_of_whitespace_is_not_called_a_transcript(runner, db_path, transcripts):
    Path("a.csv").write_bytes(b"\xef\xbb\xbf\r\n \r\n")  # a BOM, then blank lines
    _refused(
        _ingest(runner, db_path, transcripts, "a.csv"),
        db_path,
        '"a.csv" contains only whitespace. Give it a header row, then its rows.',
    )


def test_a_file_far_larger_than_any_attributes_sheet_is_refused_before_it_is_read(
    runner, db_path, transcripts
):
    # 100 MB of rows was read whole, 1.7 GB of memory and two minutes.
    with open("big.csv", "wb") as f:
        f.write(b"id,role\n")
        f.truncate(20_000_001)
    _refused(
        _ingest(runner, db_path, transcripts, "big.csv"),
        db_path,
        '"big.csv" is 20 MB, more than the 20 MB an attributes file may have here: it was not read. An '
        "attributes file holds a row per participant or document, and a study's thousands of rows are well "
        "under 1 MB: check that it is the right file.",
    )


def test_more_rows_than_any_study_has_are_refused_at_the_first_too_many(runner, db_path, transcripts):
    # Short rows are small on disk but not in memory: each is held through the whole ingest.
    rows = "".join(f"P{i:06d},officer\n" for i in range(100_001))
    Path("a.csv").write_text("id,role\n" + rows)
    _refused(
        _ingest(runner, db_path, transcripts, "a.csv"),
        db_path,
        '"a.csv", line 100002: more than 100,000 rows, where an attributes file holds a row per participant or '
        "document (a study's thousands at most). Check that it is the right file.",
    )


def test_a_column_named_as_the_projects_attribute_but_for_case_is_that_attribute(
    runner, db_path, transcripts
):
    # The first sheet said "role"; the next, its header retyped, "Role": the project held two
    # attributes, and a report by role put crlf under "(missing)".
    Path("first.csv").write_text("id,role\nbom,officer\n")
    assert _ingest(runner, db_path, transcripts, "first.csv").exit_code == 0
    Path("second.csv").write_text("ID,Role\ncrlf,provider\n")
    result = _ingest(runner, db_path, transcripts, "second.csv")
    assert result.exit_code == 0
    assert (
        'Warning: "second.csv", line 1: column "Role" read as the project\'s attribute "role" (attribute names '
        'ignore case here, as ids do). Name the column "role" to silence this.\n'
    ) in result.stderr
    attributes = get_attributes(open_db(db_path))
    assert (attributes["bom"], attributes["crlf"]) == ({"role": "officer"}, {"role": "provider"})


def test_the_column_case_warning_names_the_header_line_after_an_excel_sep_line(runner, db_path, transcripts):
    # A German Excel's sheet saved with "sep=;" over its header: the warning said "line 1", the sep line.
    Path("first.csv").write_text("id,role\nbom,officer\n")
    assert _ingest(runner, db_path, transcripts, "first.csv").exit_code == 0
    Path("second.csv").write_bytes(b"sep=;\r\nID;Role\r\ncrlf;provider\r\n")
    result = _ingest(runner, db_path, transcripts, "second.csv")
    assert result.exit_code == 0
    assert (
        'Warning: "second.csv", line 2: column "Role" read as the project\'s attribute "role"'
        in result.stderr
    )


def test_an_id_a_spreadsheet_read_as_a_number_points_at_the_transcript_of_that_number(
    runner, db_path, tmp_path
):
    # 007.txt's id, opened in Excel and saved again, is 7: "matches no transcript" said nothing of why.
    shutil.copy(DATA / "bom.txt", tmp_path / "007.txt")
    shutil.copy(DATA / "crlf.txt", tmp_path / "012.txt")
    Path("a.csv").write_bytes(b"id,role\r\n7,officer\r\n12.0,provider\r\n13,officer\r\n")
    result = _ingest(runner, db_path, ["007.txt", "012.txt"], "a.csv")
    assert result.exit_code == 0
    zeros = (
        "a spreadsheet drops the leading zeros of an id it takes for a number. Write the id as the file names it "
        '(format the column as "Text").'
    )
    assert (
        f'Warning: "a.csv", line 2: id "7" matches no transcript in the project, but transcript "007" has that '
        f"number: {zeros}\n"
        f'Warning: "a.csv", line 3: id "12.0" matches no transcript in the project, but transcript "012" has that '
        f"number: {zeros}\n"
        'Warning: "a.csv", line 4: id "13" matches no transcript in the project. Check the id, or ingest that '
        "transcript first.\n"
    ) in result.stderr


EXPECTED = {
    "bom": {
        "Role": "officer",
        "Setting": "rural",
        "Jurisdiction": "Saint-Léon",
        "Note": "said “no” twice",
    },
    "crlf": {
        "Role": "provider",
        "Setting": "urban, north",
        "Jurisdiction": "Dorval",
        "Note": 'asked "why"\nthen left',
    },
}


@pytest.mark.parametrize(
    "sheet, dates, more",
    [
        ("excel_csv_utf8.csv", ("3/4/2024", "3/11/2024"), []),
        ("excel_unicode_text.txt", ("3/4/2024", "3/11/2024"), []),
        ("excel_csv_de_cp1252.csv", ("04.03.2024", "11.03.2024"), ["--encoding", "cp1252"]),
        ("libreoffice_calc.csv", ("2024-03-04", "2024-03-11"), []),
        ("google_sheets.csv", ("3/4/2024", "3/11/2024"), []),
    ],
)
def test_each_spreadsheets_export_reads_as_the_sheet_shows(runner, db_path, transcripts, sheet, dates, more):
    # BOM or none, UTF-16, ";" and a tab, CRLF, LF and no line end at all after the last row, the empty
    # cells and the empty row Excel pads its used range with, quoted commas, quotes and line breaks.
    # Dates are text, kept as the tool wrote them.
    shutil.copy(DATA / "sheets" / sheet, sheet)
    result = _ingest(runner, db_path, transcripts, sheet, *more)
    assert result.exit_code == 0, result.stderr
    assert "Warning" not in result.stderr
    expected = {
        tid: {**values, "Interview date": date} for (tid, values), date in zip(EXPECTED.items(), dates)
    }
    assert get_attributes(open_db(db_path)) == expected


def test_windows_1252_without_encoding_says_which_encoding_to_pass(runner, db_path, transcripts):
    shutil.copy(DATA / "sheets" / "excel_csv_de_cp1252.csv", "a.csv")
    _refused(
        _ingest(runner, db_path, transcripts, "a.csv"),
        db_path,
        '"a.csv" is not UTF-8 (first bad byte on line 2). Re-save it as UTF-8, or pass --encoding cp1252.',
    )


def test_an_excel_sep_line_names_the_separator_and_is_not_the_header(runner, db_path, transcripts):
    # "sep=;" before the header (Excel's hint, which tools exporting for Excel write): the file was
    # refused as having no id column, the hint taken for the header.
    Path("a.csv").write_bytes(b"sep=;\r\nid;role;setting\r\nbom;officer;rural, north\r\n")
    result = _ingest(runner, db_path, transcripts, "a.csv")
    assert result.exit_code == 0, result.stderr
    assert get_attributes(open_db(db_path))["bom"] == {"role": "officer", "setting": "rural, north"}
    # Lines are the file's: the header is line 2.
    Path("b.csv").write_bytes(b"sep=;\r\nid;role;Role\r\nbom;officer;x\r\n")
    _refused(
        _ingest(runner, tmp_db := db_path.with_name("b.db"), transcripts, "b.csv"),
        tmp_db,
        '"b.csv", line 2: columns 2 and 3 are both named "Role", so one would be read and the other lost. '
        "Rename or delete one of them.",
    )


def test_invisible_marks_pasted_at_a_cells_edges_are_not_part_of_it(runner, db_path, transcripts):
    # Ids and values pasted from a web page or Word bring a zero-width space or a word joiner along:
    # "bom\u200b" matched no transcript (shown as "4 characters, not shown"), "\u200brole" was no "role".
    Path("a.csv").write_text(
        "id,\u200brole\u200b\nbom\u200b,officer\u2060\ncrlf\u00a0,\u200b\n", encoding="utf-8"
    )
    result = _ingest(runner, db_path, transcripts, "a.csv")
    assert (result.exit_code, "Warning" in result.stderr) == (0, False), result.stderr
    attributes = get_attributes(open_db(db_path))
    assert (attributes["bom"], attributes["crlf"]) == ({"role": "officer"}, {})


def test_a_cell_past_the_readers_limit_says_so_not_check_the_file(runner, db_path, transcripts):
    # Was: "not a readable CSV file (field larger than field limit (131072)). Check the file."
    Path("a.csv").write_text("id,role\nbom," + "officer " * 20_000 + "\n")
    _refused(
        _ingest(runner, db_path, transcripts, "a.csv"),
        db_path,
        '"a.csv", line 2: a cell of more than 131,072 characters, more than is read here (a spreadsheet\'s cell '
        "holds at most 32,767). Check that it is the right file, or shorten the cell.",
    )


def test_ids_matching_no_transcript_past_the_twentieth_are_one_line(runner, db_path, transcripts):
    # A survey export given for the participants sheet: a warning per row, 100,000 lines and 50 s of
    # printing for a file within the limits.
    rows = "".join(f"R{i:04d},yes\n" for i in range(1, 31))
    Path("a.csv").write_text("id,consent\nbom,yes\n" + rows)
    result = _ingest(runner, db_path, transcripts, "a.csv")
    assert result.exit_code == 0
    said = [line for line in result.stderr.splitlines() if "match no" in line or "matches no" in line]
    assert len(said) == 21
    assert said[19] == (
        'Warning: "a.csv", line 22: id "R0020" matches no transcript in the project. Check the id, or ingest that '
        "transcript first."
    )
    assert said[20] == (
        'Warning: "a.csv": 10 more ids (lines 23 to 32) match no transcript in the project, 30 of its 31 rows in '
        "all. Check that it is the right file, and its ids."
    )
    assert get_attributes(open_db(db_path))["bom"] == {"consent": "yes"}


def test_excel_for_macs_csv_in_mac_roman_is_read_right_and_said(runner, db_path, transcripts):
    # Excel for Mac's "Comma Separated Values" is Mac Roman with CR row ends: read with the cp1252 the docs
    # give for Windows sheets, its curly quotes were "Ò" and "Ó" and its "é" a "Ž", without a word.
    shutil.copy(DATA / "sheets" / "excel_csv_mac_roman.csv", "a.csv")
    for more in (["--encoding", "cp1252"], []):
        db = db_path.with_name(f"mac{len(more)}.db")
        result = _ingest(runner, db, transcripts, "a.csv", *more)
        assert result.exit_code == 0, result.stderr
        assert result.stderr.count("Warning") == 1
        assert (
            'Warning: "a.csv" was read as Mac Roman (Excel for Mac\'s "CSV (Macintosh)"), not cp1252: on line 2 '
            'cp1252 reads a byte in a word as "Ó" where Mac Roman reads "”", and nothing in the file reads better '
            'as cp1252. Save it as "CSV UTF-8" to be sure.\n'
        ) in result.stderr
        expected = {
            tid: {**values, "Interview date": date}
            for (tid, values), date in zip(EXPECTED.items(), ("3/4/2024", "3/11/2024"))
        }
        assert get_attributes(open_db(db)) == expected


def test_a_windows_sheet_with_curly_apostrophes_stays_cp1252(runner, db_path, transcripts):
    # cp1252's ’ (0x92) is Mac Roman's "í" and its “ ” and … are letters there too: a Windows sheet of English
    # with them, and one accented letter (cp1252's "é" is Mac Roman's "È"), is not taken for Mac Roman.
    Path("a.csv").write_bytes("id,note\r\nbom,didn’t say “no”…\r\ncrlf,médico\r\n".encode("cp1252"))
    result = _ingest(runner, db_path, transcripts, "a.csv", "--encoding", "cp1252")
    assert (result.exit_code, result.stderr.count("Warning")) == (0, 0), result.stderr
    attributes = get_attributes(open_db(db_path))
    assert (attributes["bom"]["note"], attributes["crlf"]["note"]) == ("didn’t say “no”…", "médico")


def test_a_windows_sheet_read_as_latin_1_is_not_taken_for_mac_roman(runner, db_path, transcripts):
    # `--encoding latin-1` is what many pass for a Windows file; Latin-1 reads cp1252's ’ – “ ” (0x92, 0x96,
    # 0x93, 0x94) as controls, so Mac Roman's "í", "ñ", "ì", "î" read "better": "didnít say ñ ìnoî", noted
    # as Mac Roman (and a transcript refused with --encoding mac_roman to pass), where cp1252 reads them so.
    Path("a.csv").write_bytes("id,note\r\nbom,didn’t say – “no”\r\n".encode("cp1252"))
    for encoding in ("latin-1", "iso-8859-1", "iso-8859-15"):
        db = db_path.with_name(f"{encoding}.db")
        result = _ingest(runner, db, transcripts, "a.csv", "--encoding", encoding)
        # Refused, as Latin-1's controls in a cell are (cp1252 reads it), never stored as Mac Roman's.
        assert result.exit_code == 1
        assert "Mac Roman" not in result.stderr
        assert "the 'note' cell holds a control character" in result.stderr


def test_utf16_without_a_bom_is_read_and_said(runner, db_path, transcripts):
    # A database tool's export in UTF-16 LE with no byte-order mark: refused as a workbook (its NULs).
    Path("a.csv").write_bytes("id,role\r\nbom,médica\r\n".encode("utf-16-le"))
    result = _ingest(runner, db_path, transcripts, "a.csv")
    assert result.exit_code == 0, result.stderr
    assert (
        'Warning: "a.csv" was read as UTF-16 (little-endian) without a byte-order mark, told by its NULs at '
        'every other byte. Save it as "CSV UTF-8" to be sure.\n'
    ) in result.stderr
    assert get_attributes(open_db(db_path))["bom"] == {"role": "médica"}


OTTER_NAMING_THE_INTERVIEWER = (
    "K01 deputy interview\nTue, 5/6 2:10PM • 41:02\n\nSPEAKERS\nRuth Okafor, K01\n\n"
    "Ruth Okafor  00:04  \nWhat happens on a crisis call?\n\n"
    "K01  00:41  \nIf he's had anything to drink they won't take him at the unit.\n\n"
    "Ruth Okafor  01:18  \nAnd then?\n\n"
    "K01  01:55  \nThen it's jail, because jail never says no.\n\n"
    "Transcribed by https://otter.ai\n"
)


def test_a_row_of_a_file_the_gate_refused_names_the_file_not_a_missing_transcript(runner, db_path, tmp_path):
    # The PII gate refused K01.txt (the interviewer's name in Otter's labels), and its row was "id K01 matches
    # no transcript in the project. Check the id": the id was right, and the file named just above.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "K01.txt").write_text(OTTER_NAMING_THE_INTERVIEWER, encoding="utf-8")
    shutil.copy(DATA / "bom.txt", tmp_path / "in" / "K02.txt")
    Path("a.csv").write_bytes(b"id,role\r\nK01,officer\r\nK02,provider\r\nK03,officer\r\n")
    for dry in ((), ("--dry-run",)):
        result = _ingest(runner, db_path, ["in"], "a.csv", *dry)
        assert result.exit_code == 1
        said = result.stderr
        assert said.startswith("Error: in/K01.txt: likely identifiers")
        assert (
            'Warning: "a.csv", line 2: id "K01" is "in/K01.txt", which this ingest refused (the error above): once '
            "it passes, ingest it again with --attributes, which sets its attributes then.\n"
        ) in said
        assert 'line 2: id "K01" matches no transcript' not in said
        assert 'Warning: "a.csv", line 4: id "K03" matches no transcript in the project.' in said


def test_a_transcript_whose_front_matter_held_the_sheets_values_is_counted_apart(runner, db_path, tmp_path):
    # The sample's sheet names ten transcripts, and ingest said "Set attributes of 9 transcripts": P04.md's
    # front matter held the same values, so nothing changed there, and a row looked lost.
    (tmp_path / "P04.md").write_text(
        "---\nid: P04\nrole: provider\nsetting: rural\n---\n\n**Interviewer:** How far is the unit?\n\n"
        "**P04:** Two hours on a good day.\n",
        encoding="utf-8",
    )
    shutil.copy(DATA / "bom.txt", tmp_path / "P01.txt")
    Path("a.csv").write_bytes(b"id,role,setting\r\nP01,officer,rural\r\nP04,provider,rural\r\n")
    result = _ingest(runner, db_path, ["P01.txt", "P04.md"], "a.csv")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith(
        "Set attributes of 1 transcript from a.csv (1 more held the same values already).\n"
    )
    again = _ingest(runner, db_path, ["P01.txt", "P04.md"], "a.csv", "--format", "json")
    data = json.loads(again.stdout)
    assert (data["attributes_set"], data["attributes_unchanged"]) == (0, 2)
