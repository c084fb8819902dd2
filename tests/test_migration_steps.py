"""Upgrade from every earlier schema version: a project is built at each migration step with realistic
rows in every table that exists then, upgraded by open_db, and must keep every row and work.

A new table needs realistic rows in ROWS below (a test names a table without them), so every migration
added later is covered from every step before it.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlite_utils import Database
from typer.testing import CliRunner

from wei_qual.migrations import migrations
from wei_qual.store import open_db

STEPS = [m.name for m in migrations.pending(Database(memory=True))]

P01 = (
    "Interviewer: Tell me about the last crisis call.\n\n"
    "P01: We drove two hours to the stabilization unit and they had no bed [inaudible].\n\n"
    "Interviewer: And afterwards?\n\n"
    "P01: Nobody followed up. Out here in the county that is normal."
)
P02 = (
    "Interviewer: How do calls go in the city?\n\n"
    "P02: The clinician rides with us, so the jail is the last resort.\n\n"
    "P02: Follow-up is a phone call the next day."
)
D01 = (
    "Admission criteria\n\nThe unit admits adults in crisis who are medically cleared.\n\n"
    "Exclusions\n\nThe unit does not admit a person who is intoxicated or violent."
)
TIME = "2026-03-14T09:32:00.000Z"


def _segments(tid: str, text: str, times: bool = False) -> list[dict]:
    rows, start = [], 0
    for n, turn in enumerate(text.split("\n\n"), 1):
        label, body = turn.split(": ", 1)
        offset = start + len(label) + 2
        rows.append(
            {
                "id": len(rows) + (1 if tid == "p01" else 11),
                "transcript_id": tid,
                "n": n,
                "speaker": label,
                "role": "interviewer" if label == "Interviewer" else "participant",
                "text": body,
                "start_char": offset,
                "end_char": offset + len(body),
                "start_time": 12.5 * n if times else None,
                "end_time": 12.5 * n + 10 if times else None,
                "label": None,
                "page": None,
            }
        )
        start += len(turn) + 2
    return rows


def _document_segments() -> list[dict]:
    """The policy document's two sections: each segment keeps its heading and the pages it starts and ends
    on (the second runs onto page 3)."""
    rows = []
    for n, (heading, page, end) in enumerate((("Admission criteria", 1, 1), ("Exclusions", 2, 3)), 1):
        body = D01.split(heading + "\n\n", 1)[1].split("\n\n", 1)[0]
        start = D01.index(body)
        rows.append(
            {
                "id": 20 + n,
                "transcript_id": "d01",
                "n": n,
                "speaker": None,
                "role": "participant",
                "text": body,
                "start_char": start,
                "end_char": start + len(body),
                "start_time": None,
                "end_time": None,
                "label": heading,
                "page": page,
                "end_page": end,
                # the section over pages 2-3: its first paragraph on page 2, the rest on page 3
                "page_spans": json.dumps([[0, len(body) // 2, 2, 2], [len(body) // 2 + 2, len(body), 3, 3]])
                if end > page
                else None,
            }
        )
    return rows


CODEBOOK_YAML = (
    "name: WEI crisis response (fictional)\nversion: '1.0'\ncodes:\n"
    "  - id: csu\n    name: Crisis stabilization units\n"
    "  - id: csu-capacity\n    name: CSU capacity\n    parent: csu\n"
    "  - id: followup\n    name: Follow-up care\n"
)


def _code(i: int, code: str, name: str, parent: str | None, keywords: list[str], **links) -> dict:
    return {
        "id": i,
        "codebook_id": 1,
        "code": code,
        "name": name,
        "parent": parent,
        "position": i - 1,
        "definition": f"{name}: when the speaker talks about it.",
        "include": "",
        "exclude": "",
        "examples": json.dumps([]),
        "atypical_examples": json.dumps([]),
        "color": links.get("color"),
        "keywords": json.dumps(keywords),
        "exclude_keywords": json.dumps(links["exclude_keywords"]) if "exclude_keywords" in links else None,
        "patterns": json.dumps([]),
        "exclusive": 0,
        "renamed_from": links.get("renamed_from"),
        "merged_into": links.get("merged_into"),
        "draft": int(links.get("draft", False)),
    }


def _decision(i: int, segment: int, coder: str, codes: list[str], **extra) -> dict:
    return {
        "id": i,
        "segment_id": segment,
        "coder_id": coder,
        "codes": json.dumps(sorted(codes)),
        "note": extra.get("note", ""),
        "rationale": extra.get("rationale", ""),
        "codebook_id": 1,
        "accepted": json.dumps(extra.get("accepted", [])),
        "shown": json.dumps(extra.get("shown", [])),
        "decided_utc": TIME,
        "revision": extra.get("revision", 1),
        "excerpts": json.dumps(extra["excerpts"]) if "excerpts" in extra else None,
    }


# Realistic rows of every table, in an order that satisfies the foreign keys. Each is inserted with the
# columns its table has at the step (a later column is left out, as in a project of that age).
ROWS: dict[str, list[dict]] = {
    "transcripts": [
        {
            "id": tid,
            "source": f"transcripts/{tid}.{fmt}",
            "format": fmt,
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
            "text": text,
            "ingested_utc": TIME,
            "roles": "inferred" if kind == "interview" else "given",
            "roles_reason": "",
            "warnings": "[]",
            "kind": kind,
        }
        for tid, fmt, text, kind in (
            ("p01", "txt", P01, "interview"),
            ("p02", "vtt", P02, "interview"),
            ("d01", "pdf", D01, "document"),
        )
    ],
    "attributes": [
        {"id": 1, "transcript_id": "p01", "name": "role", "value": "officer"},
        {"id": 2, "transcript_id": "p01", "name": "setting", "value": "rural"},
        {"id": 3, "transcript_id": "p02", "name": "role", "value": "provider"},
    ],
    "segments": _segments("p01", P01) + _segments("p02", P02, times=True) + _document_segments(),
    "codebooks": [
        {
            "id": 1,
            "name": "WEI crisis response (fictional)",
            "label": "1.0",
            "yaml": CODEBOOK_YAML,
            "sha256": hashlib.sha256(CODEBOOK_YAML.encode()).hexdigest(),
            "active": 1,
            "loaded_utc": TIME,
        }
    ],
    "codes": [
        _code(1, "csu", "Crisis stabilization units", None, [], color="#1F77B4"),
        _code(2, "csu-capacity", "CSU capacity", "csu", ["no bed", "full"], exclude_keywords=["full moon"]),
        _code(3, "followup", "Follow-up care", None, ["follow up", "followed up"], renamed_from="follow-up"),
        _code(4, "csu-beds", "csu-beds", None, [], merged_into="csu-capacity"),  # a retired code
        _code(5, "transport", "Transport", None, [], draft=True),  # made while coding, not yet completed
    ],
    "coders": [{"id": c, "created_utc": TIME} for c in ("alice", "bob", "consensus")],
    "decisions": [
        _decision(
            1,
            2,
            "alice",
            ["csu-capacity"],
            accepted=["csu-capacity"],
            shown=["csu-capacity"],
            excerpts={"csu-capacity": [[58, 64]]},  # "no bed"
        ),
        _decision(2, 2, "bob", ["csu-capacity"], note="[inaudible] at the end", revision=2),
        _decision(3, 4, "alice", ["followup"]),
        _decision(4, 4, "bob", []),
        _decision(5, 12, "alice", []),
        _decision(6, 12, "bob", []),
        _decision(7, 13, "alice", ["followup"]),
        _decision(8, 13, "bob", ["followup"]),
        _decision(9, 2, "consensus", ["csu-capacity"], rationale="agreed by alice, bob"),
        _decision(10, 4, "consensus", ["followup"], rationale="the county has no follow-up"),
        _decision(11, 22, "alice", ["csu-capacity"], note="the exclusion criteria"),
    ],
    "suggestions": [
        {
            "id": 1,
            "segment_id": 2,
            "codebook_id": 1,
            "code": "csu-capacity",
            "score": 0.6,
            "evidence": json.dumps([{"start": 68, "end": 74, "rule": "keyword:no bed"}]),
            "engine": "rules",
            "stale": 0,
            "created_utc": TIME,
            "model_id": None,
        },
        {
            "id": 2,
            "segment_id": 4,
            "codebook_id": 1,
            "code": "followup",
            "score": 0.83,
            "evidence": json.dumps([{"start": 0, "end": 8, "rule": "learned"}]),
            "engine": "learned",
            "stale": 0,
            "created_utc": TIME,
            "model_id": 1,
        },
    ],
    "memos": [
        {
            "id": 1,
            "coder_id": "alice",
            "target_type": "segment",
            "target_id": "p01:2",
            "text": "Two hours each way: ask about transport.",
            "created_utc": TIME,
            "updated_utc": TIME,
        }
    ],
    "audit_log": [
        {
            "id": 1,
            "at_utc": TIME,
            "actor": "lead",
            "action": "ingest",
            "entity": "transcript",
            "entity_id": "p01",
            "before": None,
            "after": json.dumps({"segments": 4}),
        },
        {
            "id": 2,
            "at_utc": TIME,
            "actor": "alice",
            "action": "create",
            "entity": "decision",
            "entity_id": "p01:2:alice",
            "before": None,
            "after": json.dumps({"codes": ["csu-capacity"]}),
        },
        {
            "id": 3,
            "at_utc": TIME,
            "actor": "bob",
            "action": "update",
            "entity": "decision",
            "entity_id": "p01:2:bob",
            "before": json.dumps({"codes": []}),
            "after": json.dumps({"codes": ["csu-capacity"]}),
        },
    ],
    "settings": [
        {"key": "deid_allow", "value": json.dumps(["Officer Friendly"])},
        {"key": "project_name", "value": "Crisis response study (fictional)"},
    ],
    "assignments": [
        {"id": 1, "transcript_id": "p01", "coder_id": "alice", "double": 1, "assigned_utc": TIME},
        {"id": 2, "transcript_id": "p01", "coder_id": "bob", "double": 1, "assigned_utc": TIME},
        {"id": 3, "transcript_id": "p02", "coder_id": "alice", "double": 0, "assigned_utc": TIME},
    ],
    "packet_syncs": [
        {
            "id": 1,
            "packet_id": "7d9f2c1e-0000-4000-8000-000000000001",
            "transcript_id": "p01",
            "n": 2,
            "coder_id": "bob",
            "project_revision": 2,
            "packet_revision": 2,
            "synced_utc": TIME,
        }
    ],
    "packets": [
        {
            "id": "7d9f2c1e-0000-4000-8000-000000000001",
            "made_for": "bob",
            "coder_id": "bob",
            "made_utc": TIME,
            "merged_generation": 14,
            "merged_log": "".join(f"{i:016x}" for i in range(14)),  # one digest per row of its audit log
        }
    ],
    "packet_memo_syncs": [
        {
            "id": 1,
            "packet_id": "7d9f2c1e-0000-4000-8000-000000000001",
            "target_type": "segment",
            "target_id": "p01:2",
            "project_sha256": hashlib.sha256(b"Two hours each way: ask about transport.").hexdigest(),
            "packet_sha256": hashlib.sha256(b"Two hours each way: ask about transport.").hexdigest(),
            "synced_utc": TIME,
        }
    ],
    "speakers": [
        {
            "id": i,
            "transcript_id": tid,
            "label": label,
            "role": role,
            "reason": reason,
            "given": 0,
        }
        for i, (tid, label, role, reason) in enumerate(
            (
                ("p01", "Interviewer", "interviewer", "default interviewer label"),
                ("p01", "P01", "participant", "label is the transcript id"),
                ("p02", "Interviewer", "interviewer", "default interviewer label"),
                ("p02", "P02", "participant", "label is the transcript id"),
            ),
            1,
        )
    ],
    "speaker_attributes": [
        {"id": 1, "transcript_id": "p02", "speaker": "P02", "name": "years_experience", "value": "6"}
    ],
    "search_index": [
        {
            "segment_id": 2,
            "terms": "we\x1fWe drive\x1fdrove two\x1ftwo hour\x1fhours",
            "offsets": "0 2 3 8 9 12 13 18",
        }
    ],
    "learned_models": [
        {
            "id": 1,
            "codebook_id": 1,
            "source": "consensus",
            "labels": json.dumps(["csu-capacity", "followup"]),
            "too_few": json.dumps({}),
            "examples": json.dumps({"csu-capacity": 1, "followup": 1}),
            "units": 2,
            "units_sha256": "0" * 64,
            "min_examples": 1,
            "seed": 0,
            "epochs": 10,
            "info": json.dumps({"architecture": "ensemble"}),
            "config": '[nlp]\nlang = "en"\n',
            "weights": b"\x00fictional weights\x01",
            "spacy_version": "3.8.0",
            "decisions_count": 2,
            "decisions_last_utc": TIME,
            "decisions_revisions": 2,
            "seconds": 40.5,
            "trained_utc": TIME,
        }
    ],
    "learned_evaluations": [
        {
            "id": 1,
            "codebook_id": 1,
            "source": "consensus",
            "units_sha256": "0" * 64,
            "folds": 2,
            "seed": 0,
            "epochs": 10,
            "min_examples": 1,
            "min_score": 0.5,
            "result": json.dumps({"micro": {"f1": 0.5}}),
            "evaluated_utc": TIME,
        }
    ],
}
KEYS = {"settings": "key", "search_index": "segment_id"}  # every other table's key is id


def _build_at(path, step: str) -> dict[str, list[dict]]:
    """A project whose last migration is the one before `step`, filled with ROWS; returns what was put in.

    A policy document needs the `kind` column: before it, there is none (nor its segments and decisions).
    """
    db = Database(path)
    migrations.apply(db, stop_before=step)
    stored: dict[str, list[dict]] = {}
    for table, rows in ROWS.items():
        if not db[table].exists():
            continue
        columns = db[table].columns_dict
        kept = [row for row in rows if _can_exist(table, row, columns, stored)]
        stored[table] = [{k: v for k, v in row.items() if k in columns} for row in kept]
        db[table].insert_all(stored[table])
    db.close()
    path.chmod(0o600)  # as a project wei-qual made (not the umask's 0644)
    return stored


def _can_exist(table: str, row: dict, columns: dict, stored: dict) -> bool:
    if table == "transcripts":
        return row["kind"] != "document" or "kind" in columns
    if table == "segments":
        return row["transcript_id"] in {t["id"] for t in stored["transcripts"]}
    if table == "decisions":
        return row["segment_id"] in {s["id"] for s in stored["segments"]}
    return True


def _rows(db, table: str, columns) -> list[dict]:
    key = KEYS.get(table, "id")
    names = ", ".join(f'"{c}"' for c in columns)
    return [dict(r) for r in db.query(f'SELECT {names} FROM "{table}" ORDER BY "{key}"')]


def test_every_table_has_realistic_rows():
    final = Database(memory=True)
    migrations.apply(final)
    tables = set(final.table_names()) - {"_sqlite_migrations"}
    missing = sorted(tables - set(ROWS))
    assert not missing, f"Add realistic rows for {missing} to ROWS in tests/test_migration_steps.py"
    for table, rows in ROWS.items():
        given = {k for row in rows for k in row if row[k] is not None}
        extra = {k for row in rows for k in row} - set(final[table].columns_dict)
        assert not extra, (table, extra)
        unfilled = set(final[table].columns_dict) - given
        assert not unfilled, f"Give {table}.{sorted(unfilled)} realistic values in ROWS"


@pytest.mark.parametrize("step", STEPS[1:])
def test_upgrade_from_the_schema_before_each_migration_keeps_every_row(tmp_path, step):
    path = tmp_path / "old.db"
    stored = _build_at(path, step)
    db = open_db(path)
    assert [m.name for m in migrations.pending(db)] == []
    for table, rows in stored.items():
        # Every column any row gives (a document's segments give end_page, an interview's do not).
        columns = list(dict.fromkeys(k for row in rows for k in row))
        got = _rows(db, table, columns)
        if table == "settings":  # the project id the migrations wrote stays beside ours
            got = [r for r in got if r["key"] != "project_id"]
        key = KEYS.get(table, "id")
        expected = [{c: row.get(c) for c in columns} for row in rows]
        assert got == sorted(expected, key=lambda r: r[key]), table
    _check_the_app_reads_it(db, path, stored)


def _check_the_app_reads_it(db, path, stored: dict[str, list[dict]]) -> None:
    """The upgraded project works: decisions, agreement, the theme report and a command."""
    from wei_qual.agree import measure
    from wei_qual.cli import app
    from wei_qual.report.data import load_report_data
    from wei_qual.report.themes import build_theme_table
    from wei_qual.store.decisions import iter_decisions

    decided = {(d.transcript, d.segment, d.coder): sorted(d.codes) for d in iter_decisions(db)}
    with_document = any(t.get("kind") == "document" for t in stored["transcripts"])
    document = {("d01", 2, "alice"): ["csu-capacity"]} if with_document else {}
    assert decided == document | {
        ("p01", 2, "alice"): ["csu-capacity"],
        ("p01", 2, "bob"): ["csu-capacity"],
        ("p01", 2, "consensus"): ["csu-capacity"],
        ("p01", 4, "alice"): ["followup"],
        ("p01", 4, "bob"): [],
        ("p01", 4, "consensus"): ["followup"],
        ("p02", 2, "alice"): [],
        ("p02", 2, "bob"): [],
        ("p02", 3, "alice"): ["followup"],
        ("p02", 3, "bob"): ["followup"],
    }
    result = measure(db, coders=["alice", "bob"], bootstrap=0)
    assert result.units == 4
    # followup over p01:2, p01:4, p02:2, p02:3: alice [0, 1, 0, 1], bob [0, 0, 0, 1]; csu-capacity [1, 0, 0, 0] both.
    agreement = {c.code: round(c.percent_agreement, 2) for c in result.codes}
    assert (agreement["csu-capacity"], agreement["followup"]) == (1.0, 0.75)
    table = build_theme_table(load_report_data(db))
    assert {r.code: (r.segments, r.participants) for r in table.rows if r.segments} == {
        "csu": (1, 1),
        "csu-capacity": (1, 1),
        "followup": (1, 1),
    }
    listed = CliRunner().invoke(app, ["transcripts", "list", "--format", "json", "--db", str(path)])
    assert listed.exit_code == 0, listed.stderr
    sizes = {"p01": 4, "p02": 3, "d01": 2}
    assert sorted((t["id"], t["segments"]) for t in json.loads(listed.stdout)) == sorted(
        (t["id"], sizes[t["id"]]) for t in stored["transcripts"]
    )
