"""Decisions CSV/JSON import (all or nothing, problems by line) and export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _coding_project import build_project

from wei_qual.decisions_io import export_decisions, import_decisions
from wei_qual.errors import DecisionError
from wei_qual.models import Decision
from wei_qual.store import iter_audit, memory_db
from wei_qual.store.decisions import get_decision, iter_decisions, save_decision

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
        "p01,2,alice,followup,\n"
        "p02,x,,response,\n"
    )
    with pytest.raises(DecisionError) as info:
        import_decisions(project, _write(text))
    # line 5's record spans lines 5-6 (a quoted newline), so the next record starts on line 7
    assert str(info.value).splitlines() == [
        "decisions.csv: 8 problems, nothing imported.",
        'decisions.csv:3: unknown transcript "p99". Check the ids with "wei-qual transcripts list".',
        'decisions.csv:4: transcript "p01" has no segment 9 (it has 1 to 4). Check the numbers with "wei-qual transcripts show".',
        'decisions.csv:5: unknown code "foo". Check the code ids with "wei-qual codebook show".',
        'decisions.csv:7: codes "setting-rural" and "setting-urban" are both in exclusive group "setting". Keep one of them.',
        'decisions.csv:8: duplicate of line 2 (transcript "p01", segment 2, coder "alice"). Keep one of the rows.',
        'decisions.csv:9: segment "x" is not a segment number. Use the 1-based number from "wei-qual transcripts show".',
        "decisions.csv:9: the coder is empty. Fill in the coder column, or pass --coder.",
        'decisions.csv:9: code "response" is a theme heading, not a code to apply. Use one of its codes.',
    ]
    assert list(project.query("SELECT COUNT(*) AS n FROM decisions")) == [{"n": 0}]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", '"decisions.csv" is empty. Export a decisions file with "wei-qual decisions export".'),
        (
            b"transcript,segment,codes\np01,2,\n",
            '"decisions.csv", line 1: missing column "coder" (3 column(s) found). The header must be: '
            "transcript,segment,coder,codes,note. It was read as separated by commas; pass --delimiter if "
            "that is wrong.",
        ),
        (
            b"transcript,segment,coder,codes,note\np01,2,al\xe9,,\n",
            '"decisions.csv", line 2: the file is not UTF-8 text. Re-save it as UTF-8 CSV.',
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
