"""Decisions CSV/JSON import (all or nothing, problems by line) and export."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from _coding_project import CODEBOOK, TRANSCRIPTS, build_project

from wei_qual.decisions_io import export_decisions, import_decisions
from wei_qual.errors import DecisionError
from wei_qual.models import Decision
from wei_qual.store import iter_audit, memory_db, transaction
from wei_qual.store.codebooks import iter_codebook_versions, save_codebook_version
from wei_qual.store.decisions import get_decision, iter_decisions, save_decision
from wei_qual.store.transcripts import save_transcript

GOOD = (
    "transcript,segment,coder,codes,note\n"
    "p01,2,alice,csu-admission;setting-rural,\n"
    'p01,4,alice,,"nothing here, really"\n'
    "p02,2,bob,co-responder,\n"
)


def _write(text: str, name: str = "decisions.csv") -> Path:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(db):
    build_project(db)
    return db


def test_import_creates_decisions_and_reimport_changes_nothing(project):
    path = _write(GOOD)
    result = import_decisions(project, path)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert get_decision(project, "p01", 4, "alice").codes == frozenset()
    assert get_decision(project, "p01", 4, "alice").note == "nothing here, really"
    again = import_decisions(project, path)
    assert (again.changed, again.unchanged) == (0, 3)
    assert len(iter_audit(project, entity="decision")) == 3


def test_changed_rows_update_and_are_audited(project):
    import_decisions(project, _write(GOOD))
    changed = GOOD.replace("co-responder", "co-responder;followup")
    result = import_decisions(project, _write(changed))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    last = iter_audit(project, entity="decision")[-1]
    assert (last["action"], last["entity_id"], last["before"]["codes"], last["after"]["codes"]) == (
        "update",
        "p02:2:bob",
        ["co-responder"],
        ["co-responder", "followup"],
    )


def test_every_problem_is_listed_by_line_and_nothing_is_written(project):
    text = (
        "transcript,segment,coder,codes,note\n"
        "p01,2,alice,csu-admission,\n"
        "p99,1,alice,,\n"
        "p01,9,alice,,\n"
        'p01,3,alice,"foo;followup","multi\nline note"\n'
        "p02,2,alice,setting-rural;setting-urban,\n"
        "p02,3,alice,csu-admision,\n"
        "p01,2,alice,followup,\n"
        "p02,x,,response,\n"
    )
    with pytest.raises(DecisionError) as info:
        import_decisions(project, _write(text))
    # line 5's record spans lines 5-6 (a quoted newline), so the next record starts on line 7
    assert str(info.value).splitlines() == [
        "decisions.csv: 9 problems, nothing imported.",
        'decisions.csv:3: unknown transcript "p99". Check the ids with "wei-qual transcripts list".',
        'decisions.csv:4: transcript "p01" has no segment 9 (it has 1 to 4). Check the numbers with "wei-qual transcripts show".',
        'decisions.csv:5: unknown code "foo". Check the code ids with "wei-qual codebook show".',
        'decisions.csv:7: codes "setting-rural" and "setting-urban" are both in exclusive group "setting". Keep one of them.',
        # a typo is named with the code meant, as the coding session names it
        (
            'decisions.csv:8: unknown code "csu-admision" (did you mean "csu-admission"?). Check the code ids '
            'with "wei-qual codebook show".'
        ),
        'decisions.csv:9: duplicate of line 2 (transcript "p01", segment 2, coder "alice"). Keep one of the rows.',
        'decisions.csv:10: segment "x" is not a segment number. Use the 1-based number from "wei-qual transcripts show".',
        "decisions.csv:10: the coder is empty. Fill in the coder column, or pass --coder.",
        'decisions.csv:10: code "response" is a theme heading, not a code to apply. Use one of its codes.',
    ]
    assert list(project.query("SELECT COUNT(*) AS n FROM decisions")) == [{"n": 0}]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", '"decisions.csv" is empty. Export a decisions file with "wei-qual decisions export".'),
        (
            b"transcript,segment,codes\np01,2,\n",
            (
                '"decisions.csv", line 1: missing column "coder" (3 columns found). The header must be: '
                "transcript,segment,coder,codes,note. It was read as separated by commas; pass --delimiter if "
                "that is wrong."
            ),
        ),
        (
            b"transcript,segment,coder,codes,note\np01,2,al\xe9,,\n",
            (
                '"decisions.csv", line 2: the file is not UTF-8 text. Re-save it as UTF-8 CSV (in Excel: Save As, '
                '"CSV UTF-8 (Comma delimited)").'
            ),
        ),
        (  # a NUL was imported into the note without a word
            b"transcript,segment,coder,codes,note\r\np01,2,alice,,see\x00 above\r\n",
            (
                '"decisions.csv", line 2: a NUL character, which no CSV or JSON text holds: this is a spreadsheet '
                'workbook or another binary file, or a damaged one. Save the sheet as "CSV UTF-8" (or export the '
                "decisions again) and import that file."
            ),
        ),
    ],
)
def test_unreadable_files(project, content, message):
    path = Path("decisions.csv")
    path.write_bytes(content)
    with pytest.raises(DecisionError) as info:
        import_decisions(project, path)
    assert str(info.value) == message


def test_coder_option_fills_the_column_and_bom_is_accepted(project):
    path = Path("sheet.csv")
    path.write_bytes("\ufefftranscript,segment,codes\np01,2,followup\n".encode("utf-8"))
    assert import_decisions(project, path, coder="carol").created == 1
    assert get_decision(project, "p01", 2, "carol").codes == {"followup"}


def test_no_codebook_is_an_error(db):
    with pytest.raises(
        DecisionError, match='No codebook is loaded. Load one with "wei-qual codebook load FILE".'
    ):
        import_decisions(db, _write(GOOD))


def test_export_csv_round_trips_into_a_fresh_project(project):
    save_decision(
        project,
        Decision(
            "p01",
            2,
            "alice",
            frozenset({"csu-admission", "setting-rural"}),
            note='said "no" [inaudible], twice\nthen left',
            accepted=frozenset({"csu-admission"}),
        ),
    )
    save_decision(project, Decision("p01", 4, "alice", frozenset()))
    save_decision(project, Decision("p02", 3, "bob", frozenset({"csu-refusal"}), note="  spaced  "))
    text, count = export_decisions(project)
    assert count == 3
    assert text.splitlines()[:2] == [
        "transcript,segment,coder,codes,note,excerpts",
        'p01,2,alice,csu-admission;setting-rural,"said ""no"" [inaudible], twice',
    ]
    fresh = memory_db()
    build_project(fresh)
    assert import_decisions(fresh, _write(text, "export.csv")).created == 3

    def key(db):
        return [(d.transcript, d.segment, d.coder, d.codes, d.note) for d in iter_decisions(db)]

    assert key(fresh) == key(project)
    assert export_decisions(fresh)[0] == text


def test_export_json_and_reimport_json(project):
    save_decision(
        project,
        Decision(
            "p02",
            2,
            "bob",
            frozenset({"co-responder"}),
            note="n",
            accepted=frozenset({"co-responder"}),
            shown=frozenset({"co-responder", "followup"}),
        ),
    )
    text, _ = export_decisions(project, coders=["bob"], fmt="json")
    [record] = json.loads(text)
    assert {k: v for k, v in record.items() if k != "decided_utc"} == {
        "transcript": "p02",
        "segment": 2,
        "coder": "bob",
        "codes": ["co-responder"],
        "note": "n",
        "rationale": "",
        "codebook_version": 1,
        "codebook_sha256": iter_codebook_versions(project)[0]["sha256"],  # names it in another project
        "accepted": ["co-responder"],
        "shown": ["co-responder", "followup"],
        "excerpts": [],
    }
    fresh = memory_db()
    build_project(fresh)
    assert import_decisions(fresh, _write(text, "bob.json")).created == 1
    assert get_decision(fresh, "p02", 2, "bob").codes == {"co-responder"}


def test_export_unknown_coder(project):
    with pytest.raises(DecisionError, match='Unknown coder "zed" given with --coder. See "wei-qual coders".'):
        export_decisions(project, coders=["zed"])


# Files a lenient CSV reader read wrong without a word. Each is refused in one line naming the line, and
# nothing is imported. They are written as Excel and text editors leave them: CRLF and a BOM from Excel,
# a hand edit that opened a quote in a note and never closed it.
EXCEL = "\ufefftranscript,segment,coder,codes,note\r\n"


@pytest.mark.parametrize(
    "text, message",
    [
        (  # the rest of the file would have become the note of line 3, and its rows lost
            EXCEL
            + "p01,2,alice,csu-admission,\r\n"
            + 'p01,3,alice,followup,"asked twice\r\n'
            + "p01,4,alice,,\r\n"
            + "p02,2,alice,co-responder,\r\n",
            (
                '"decisions.csv", line 3: a quote (") opened on this line is never closed, so every line after it '
                'would be read into one cell. Close the quote, or write a quote inside a cell as "" (two quotes).'
            ),
        ),
        (  # ... up to the next quote, where the file breaks
            EXCEL
            + 'p01,2,alice,csu-admission,"asked twice\r\n'
            + "p01,3,alice,followup,\r\n"
            + "p01,4,alice,,\r\n"
            + 'p02,2,alice,co-responder,"rode along, twice"\r\n',
            (
                '"decisions.csv", line 2: a quote (") opened on this line is still open on line 5, so the lines '
                'between would be read into one cell. Close the quote, or write a quote inside a cell as "" (two '
                "quotes)."
            ),
        ),
        (  # the quotes inside a quoted note were not doubled, as Excel doubles them
            EXCEL + 'p01,2,alice,csu-admission,"he said "no" twice"\r\n',
            (
                '"decisions.csv", line 2: a cell goes on after its closing quote ("). Quote the whole cell, and '
                'write a quote inside a cell as "" (two quotes).'
            ),
        ),
        (  # a copy of the codes column kept "for reference" overwrote the edited one
            "\ufefftranscript,segment,coder,codes,note,Codes\r\np01,2,alice,followup,,csu-admission\r\n",
            (
                '"decisions.csv", line 1: columns 4 and 6 are both named "Codes", so one would be read and the '
                "other lost. Rename or delete one of them."
            ),
        ),
        (  # an unquoted comma in a note: its second half was dropped
            EXCEL + "p01,2,alice,followup,asked twice, no answer\r\n",
            (
                '"decisions.csv", line 2: 6 cells, but the header names 5 columns, so cell 6 would be lost. A cell '
                "holding a comma must be in double quotes; or name the extra column in the header."
            ),
        ),
        (  # a column without a name in the header: its values were dropped
            "\ufefftranscript,segment,coder,codes,,note\r\np01,2,alice,followup,checked,\r\n",
            (
                '"decisions.csv", line 2: column 5 has a value but no name in the header (line 1). Name the '
                "column, or delete its values."
            ),
        ),
        (  # typed in an editor without the empty codes cell: read as "nothing applies"
            EXCEL + "p01,2,alice,followup,\r\np01,4,alice\r\n",
            (
                '"decisions.csv", line 3: 3 cells where the header names 5 columns, so the row has no codes cell. '
                'Write every cell, an empty one too (e.g. "p01,4,alice,," for nothing applies), and check the '
                "row's separators."
            ),
        ),
        (  # a header alone imported "0 changed", while an empty file was an error
            EXCEL + ",,,,\r\n",
            (
                '"decisions.csv" has no decisions (only a header row). Export a decisions file with '
                '"wei-qual decisions export".'
            ),
        ),
    ],
)
def test_malformed_csv_is_refused_by_line(project, text, message):
    path = Path("decisions.csv")
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(DecisionError) as info:
        import_decisions(project, path)
    assert str(info.value) == message
    assert list(project.query("SELECT COUNT(*) AS n FROM decisions")) == [{"n": 0}]


def test_european_excel_with_a_quote_never_closed(project):
    path = Path("export-de.csv")
    path.write_bytes(
        (
            "\ufefftranscript;segment;coder;codes;note\r\n"
            "p01;2;alice;csu-admission;\r\n"
            'p01;4;alice;followup;"asked twice; no answer\r\n'
            "p02;2;alice;co-responder;\r\n"
        ).encode("utf-8")
    )
    with pytest.raises(
        DecisionError, match='^"export-de.csv", line 3: a quote \\(\\"\\) opened on this line'
    ):
        import_decisions(project, path)


def test_what_excel_and_editors_write_that_loses_nothing_is_read(project):
    # Excel pads every row to the width of the sheet's used range (empty header cells and empty cells
    # after the note); a note left off the end of a typed row is an empty note.
    path = Path("decisions.csv")
    path.write_bytes(
        (
            "\ufefftranscript,segment,coder,codes,note,,\r\n"
            "p01,2,alice,csu-admission,,,\r\n"
            "p01,4,alice,followup\r\n"
            "p02,2,alice,,rode along,,\r\n"
        ).encode("utf-8")
    )
    assert import_decisions(project, path).created == 3
    assert get_decision(project, "p02", 2, "alice").note == "rode along"


def test_a_column_the_import_does_not_read_is_a_warning(project):
    path = Path("decisions.csv")
    path.write_text(
        "transcript,segment,coder,codes,notes,text\np01,2,alice,followup,asked twice,We waited.\n",
        encoding="utf-8",
    )
    result = import_decisions(project, path)
    assert result.notes == (
        (
            '"decisions.csv", line 1: columns "notes" (did you mean "note"?), "text" are not read (the import '
            "reads transcript, segment, coder, codes, note, excerpts); their cells are ignored. Rename a column "
            "if it holds one of those."
        ),
    )
    assert get_decision(project, "p01", 2, "alice").note == ""


def test_an_empty_json_list_is_refused_as_a_header_alone_is(project):
    path = Path("decisions.json")
    path.write_text("[]\n", encoding="utf-8")
    with pytest.raises(DecisionError) as info:
        import_decisions(project, path)
    assert str(info.value) == (
        '"decisions.json" has no decisions (an empty list). Export a decisions file with '
        '"wei-qual decisions export".'
    )


def test_a_json_list_or_object_where_text_belongs_is_refused_not_stored_as_its_python_form(project):
    # A script's JSON with the coder as a list made a coder named "['alice']", and a note object was
    # stored as "{'text': 'hi'}".
    items = [
        {
            "transcript": "p01",
            "segment": 2,
            "coder": "alice",
            "codes": ["csu-admission", 3],
            "note": {"text": "hi"},
        },
        {"transcript": "p01", "segment": True, "coder": ["alice"], "codes": "", "note": None},
        {"transcript": "p01", "segment": 4, "coder": "alice", "codes": [], "note": "fine"},
    ]
    with pytest.raises(DecisionError) as info:
        import_decisions(project, _write(json.dumps(items), "decisions.json"))
    assert str(info.value) == (
        "decisions.json: 4 problems, nothing imported.\n"
        'decisions.json:item 1: "codes" must be a list of code ids, not a list holding a number.\n'
        'decisions.json:item 1: "note" must be text, not an object.\n'
        'decisions.json:item 2: "segment" must be a number, not true.\n'
        'decisions.json:item 2: "coder" must be text, not a list.'
    )
    assert list(iter_decisions(project)) == []


def test_a_transcript_id_a_spreadsheet_made_a_number_names_the_transcript_of_that_number(db):
    # The ids of 007.txt and 012.txt, the sheet opened in Excel and saved: 7 and 12. "unknown transcript
    # "7"" said nothing of why.
    with transaction(db):  # the project's p01 and p02, named 007 and 012
        for tid, t in zip(("007", "012"), TRANSCRIPTS):
            save_transcript(db, dataclasses.replace(t, id=tid))
        save_codebook_version(db, CODEBOOK, "name: crisis\n")
    path = _write(
        "transcript,segment,coder,codes,note\r\n7,2,alice,followup,\r\n12.0,2,alice,,\r\n8,2,alice,,\r\n"
    )
    with pytest.raises(DecisionError) as info:
        import_decisions(db, path)
    zeros = (
        "a spreadsheet drops the leading zeros of an id it takes for a number. Write the id as the file names it "
        '(format the column as "Text").'
    )
    assert str(info.value) == (
        "decisions.csv: 3 problems, nothing imported.\n"
        f'decisions.csv:2: unknown transcript "7", but transcript "007" has that number: {zeros}\n'
        f'decisions.csv:3: unknown transcript "12.0", but transcript "012" has that number: {zeros}\n'
        'decisions.csv:4: unknown transcript "8". Check the ids with "wei-qual transcripts list".'
    )
