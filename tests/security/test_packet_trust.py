"""Packets come back from laptops: merge takes only what their owner may send, and nothing gets lost.

Each test forges or damages a packet the way the attack pass did, with a plain sqlite3 connection.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from _hostile import ALICE, build_lead, raw

from wei_qual.cli import app
from wei_qual.errors import WeiQualError
from wei_qual.models import Decision
from wei_qual.packet import make_packet, merge_packets
from wei_qual.store import iter_audit, open_db
from wei_qual.store.decisions import get_decision, iter_decisions, save_decision, save_memo


@pytest.fixture
def lead(tmp_path):
    db = build_lead(tmp_path / "lead.db")
    make_packet(db, "alice", tmp_path / "alice.wqp")
    return db


def _state(db):
    """Everything a merge could change in the lead project."""
    return (
        list(db.query("SELECT * FROM decisions ORDER BY id")),
        list(db.query("SELECT * FROM memos ORDER BY id")),
        list(db.query("SELECT id FROM audit_log ORDER BY id")),
        list(db.query("SELECT * FROM coders ORDER BY id")),
    )


def _segment_id(conn, tid, n):
    return conn.execute("SELECT id FROM segments WHERE transcript_id = ? AND n = ?", [tid, n]).fetchone()[0]


def _decide(conn, tid, n, coder, codes, *, when="2026-03-01T10:00:00.000+00:00", rationale=None):
    conn.execute("INSERT OR IGNORE INTO coders (id, created_utc) VALUES (?, ?)", [coder, when])
    conn.execute(
        "INSERT INTO decisions (segment_id, coder_id, codes, note, rationale, accepted, shown, decided_utc) "
        "VALUES (?, ?, ?, '', ?, '[]', '[]', ?)",
        [_segment_id(conn, tid, n), coder, json.dumps(codes), rationale, when],
    )


def test_a_forged_packet_is_refused_whole_with_one_line_per_problem(lead, tmp_path, runner):
    packet = tmp_path / "alice.wqp"
    conn = raw(packet)
    # Rows for other coders, for consensus with a rationale, and for a new coder, dated in the year 9999.
    _decide(conn, "t1", 1, "bob", ["wait"], when="9999-01-01T00:00:00+00:00")
    _decide(conn, "t1", 2, "consensus", ["beds"], rationale="Forged consensus.")
    _decide(conn, "t2", 1, "mallory", ["wait"])
    # A transcript not assigned to alice (its content matches the lead's t3), and codes the codebook forbids.
    conn.execute(
        "INSERT INTO transcripts (id, source, format, sha256, text, ingested_utc) VALUES "
        "('t3', 't3.txt', 'txt', 'sha-t3', 'x', 't')"
    )
    conn.execute(
        "INSERT INTO segments (transcript_id, n, speaker, role, text, start_char, end_char) "
        "VALUES ('t3', 1, 'P', 'participant', 'x', 0, 1)"
    )
    _decide(conn, "t3", 1, "alice", ["wait"])
    _decide(conn, "t1", 3, "alice", ["<script>alert(1)</script>", "access"])
    _decide(conn, "t2", 2, "alice", ["jail", "hospital"])
    conn.execute(
        "INSERT INTO memos (coder_id, target_type, target_id, text, created_utc) VALUES "
        "('bob', 'transcript', 't1', 'not mine', 't'), ('alice', 'project', 'all', 'odd', '2026-01-01')"
    )
    conn.close()
    before = _state(lead)

    result = runner.invoke(app, ["merge", str(packet), "--db", str(tmp_path / "lead.db")])

    assert result.exit_code == 1
    assert result.stderr == textwrap.dedent(f"""\
        Error: "{packet}" (the packet for "alice") holds what its owner may not send; nothing was merged.
        alice.wqp: 3 decisions by coders other than alice ("bob", "consensus", "mallory").
        alice.wqp: 1 use of codes that are not in the packet's codebook version ("<script>alert(1)</script>").
        alice.wqp: 1 use of theme headings, which are not codes to apply ("access").
        alice.wqp: 1 decision with more than one code of an exclusive group ("t2:2 place").
        alice.wqp: 1 decision on transcripts not assigned to alice ("t3").
        alice.wqp: 1 memo by coders other than alice ("bob").
        alice.wqp: 1 memo not dated (a time that cannot be read) ("t").
        alice.wqp: 1 memo with an unknown target type ("project").
        Ask alice for a packet made with "wei-qual packet --coder alice -o alice.wqp --db {tmp_path / "lead.db"}" and coded only with "wei-qual code --coder alice --db alice.wqp".
        """)
    assert _state(open_db(tmp_path / "lead.db")) == before  # nothing written, not even an audit row


def test_coding_under_the_wrong_coder_name_is_refused(lead, tmp_path):
    packet = open_db(tmp_path / "alice.wqp")
    save_decision(packet, Decision("t1", 1, "bbo", frozenset({"wait"})))  # a typo in --coder on the laptop
    packet.close()
    with pytest.raises(WeiQualError, match=r'1 decision by coders other than alice \("bbo"\)'):
        merge_packets(lead, [tmp_path / "alice.wqp"])
    assert iter_decisions(lead) == []


def test_a_packet_edited_to_name_another_coder_is_refused(lead, tmp_path, runner):
    # alice renames her packet's owner to bob and decides a transcript double-coded with him as bob:
    # everything in it is now "the owner's". The project knows whom it made the packet for.
    conn = raw(tmp_path / "alice.wqp")
    conn.execute("UPDATE settings SET value = 'bob' WHERE key = 'packet_coder'")
    conn.execute(
        "INSERT INTO assignments (transcript_id, coder_id, double, assigned_utc) VALUES ('t1', 'bob', 1, 't')"
    )
    _decide(conn, "t1", 1, "bob", ["wait"])
    conn.close()
    before = _state(lead)
    result = runner.invoke(app, ["merge", str(tmp_path / "alice.wqp"), "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: "{tmp_path / "alice.wqp"}" was made for "alice", but names "bob" as its coder: it has been '
        "edited, and nothing was merged. Ask alice for the packet as it was made, unedited.\n"
    )
    # Vouching for it as bob's does not help: the project's record wins.
    result = runner.invoke(
        app, ["merge", str(tmp_path / "alice.wqp"), "--issued-to", "bob", "--db", str(tmp_path / "lead.db")]
    )
    assert result.exit_code == 1 and 'was made for "alice"' in result.stderr
    assert _state(open_db(tmp_path / "lead.db")) == before


TURN = "She said the officer came to the house at night and took her brother to the unit in handcuffs"


def test_what_a_forged_packet_holds_is_described_not_echoed(lead, tmp_path, runner):
    """A packet edited by hand may hold a transcript's words where a coder, a code or a memo target
    belongs: a message describes such a value by its length, as for any other file, never repeats it."""
    conn = raw(tmp_path / "alice.wqp")
    _decide(conn, "t1", 1, TURN, ["wait"])
    _decide(conn, "t1", 2, "alice", [TURN])
    conn.execute(
        "INSERT INTO memos (coder_id, target_type, target_id, text, created_utc) VALUES "
        "('alice', 'transcript', ?, 'memo', '2026-01-01T00:00:00+00:00')",
        [TURN],
    )
    conn.close()
    result = runner.invoke(app, ["merge", str(tmp_path / "alice.wqp"), "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "officer" not in result.stderr and "She said" not in result.stderr
    hidden = f"({len(TURN)} characters, not shown: it may be transcript text)"
    assert f"1 decision by coders other than alice ({hidden})." in result.stderr
    assert f"1 use of codes that are not in the packet's codebook version ({hidden})." in result.stderr
    assert f"1 memo on transcripts not assigned to alice ({hidden})" in result.stderr

    conn = raw(tmp_path / "alice.wqp")
    conn.execute("UPDATE settings SET value = ? WHERE key = 'packet_coder'", [TURN])
    conn.close()
    result = runner.invoke(app, ["merge", str(tmp_path / "alice.wqp"), "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: "{tmp_path / "alice.wqp"}" was made for "alice", but names {hidden} as its coder: it has '
        "been edited, and nothing was merged. Ask alice for the packet as it was made, unedited.\n"
    )


def test_a_packet_the_project_has_no_record_of_merges_only_as_the_coder_the_lead_names(
    lead, tmp_path, runner
):
    # A packet made before the project recorded its packets: the lead says whose it is.
    lead.execute("DELETE FROM packets")
    packet = open_db(tmp_path / "alice.wqp")
    save_decision(packet, Decision("t1", 1, "alice", frozenset({"wait"})))
    packet.close()
    args = ["merge", str(tmp_path / "alice.wqp"), "--db", str(tmp_path / "lead.db")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "no record of making" in result.stderr and "--issued-to CODER" in result.stderr
    result = runner.invoke(app, [*args, "--issued-to", "bob"])
    assert result.exit_code == 1 and 'was made for "bob", but names "alice"' in result.stderr
    assert iter_decisions(open_db(tmp_path / "lead.db")) == []
    result = runner.invoke(app, [*args, "--issued-to", "Alice"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert [d.coder for d in iter_decisions(open_db(tmp_path / "lead.db"))] == ["alice"]
    assert runner.invoke(app, args).exit_code == 0  # recorded: merged again without it


def test_a_valid_packet_merges_audited_as_the_packet_and_its_owner(lead, tmp_path, runner):
    packet = open_db(tmp_path / "alice.wqp")
    save_decision(packet, Decision("t1", 1, "alice", frozenset({"wait", "jail"}), note="=SUM(A1)"))
    save_decision(packet, Decision("t2", 1, "alice", frozenset()))  # "nothing applies"
    save_memo(packet, "alice", "segment", "t1:1", "Check with bob.")
    packet.close()
    result = merge_packets(lead, [tmp_path / "alice.wqp"])
    assert (result.added, result.memos) == (2, 1)
    audit = iter_audit(lead)
    merged = [r for r in audit if r["entity"] in ("decision", "memo")]
    assert {r["actor"] for r in merged} == {"alice (packet alice.wqp)"}
    summary = [r for r in audit if r["entity"] == "packet"]
    assert summary[-1]["entity_id"] == "alice.wqp" and summary[-1]["after"]["coder"] == "alice"
    assert summary[-1]["actor"] == "alice (packet alice.wqp)"  # found by mutation testing
    assert {k: v for k, v in summary[-1]["after"].items() if k != "packet_id"} == {
        "coder": "alice",
        "added": 2,
        "updated": 0,
        "unchanged": 0,
        "kept": 0,
        "conflicts": 0,
        "deleted": 0,
        "prefer": "project",
    }
    merge_packets(lead, [tmp_path / "alice.wqp"], actor="lead")  # merged again by a named person
    assert iter_audit(lead, entity="packet")[-1]["actor"] == "lead"

    # The project's own export re-imports unchanged (nothing forged in it, formula-like note included).
    out = tmp_path / "all.csv"
    runner.invoke(
        app,
        ["decisions", "export", "-o", str(out), "--db", str(tmp_path / "lead.db")],
        catch_exceptions=False,
    )
    back = runner.invoke(
        app, ["decisions", "import", str(out), "--db", str(tmp_path / "lead.db")], catch_exceptions=False
    )
    assert "0 changed (0 new, 0 updated), 2 unchanged" in back.stderr


def test_decision_times_a_day_ahead_are_kept_later_ones_take_the_merge_time(lead, tmp_path):
    # A laptop whose clock is a year ahead used to have its coder's whole packet refused, with advice to
    # code "only with wei-qual code", which she had: her work could not be merged at all. Clocks decide
    # nothing in a merge, so the time alone is replaced, and said.
    from datetime import datetime, timedelta, timezone

    soon = (datetime.now(timezone.utc) + timedelta(hours=20)).isoformat()
    late = (datetime.now(timezone.utc) + timedelta(days=365)).isoformat()
    packet = open_db(tmp_path / "alice.wqp")
    save_decision(packet, Decision("t1", 1, "alice", frozenset({"wait"}), decided_utc=soon))
    save_decision(packet, Decision("t1", 2, "alice", frozenset({"wait"}), decided_utc=late))
    packet.close()
    result = merge_packets(lead, [tmp_path / "alice.wqp"])
    assert result.added == 2
    assert result.warnings == [
        (
            f'"{tmp_path / "alice.wqp"}": 1 time of decisions or memos is later than tomorrow (e.g. '
            f'"{late}"): the laptop\'s clock was ahead when they were saved. They are merged with the time of '
            "this merge instead; ask the coder to set the laptop's clock right."
        )
    ]
    assert get_decision(lead, "t1", 1, "alice").decided_utc == soon
    assert datetime.fromisoformat(get_decision(lead, "t1", 2, "alice").decided_utc) <= datetime.now(
        timezone.utc
    )


def test_a_view_over_a_recursive_query_is_refused_before_a_row_is_read(lead, tmp_path, runner):
    conn = raw(tmp_path / "alice.wqp")
    conn.executescript(
        """
        ALTER TABLE decisions RENAME TO decisions_old;
        CREATE VIEW decisions AS
            WITH RECURSIVE bomb(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM bomb)
            SELECT x AS id, x AS segment_id, 'alice' AS coder_id, '[]' AS codes, '' AS note, '' AS rationale,
                   NULL AS codebook_id, '[]' AS accepted, '[]' AS shown, 't' AS decided_utc, 1 AS revision
            FROM bomb;
        """
    )
    conn.close()
    started = time.monotonic()
    result = runner.invoke(app, ["merge", str(tmp_path / "alice.wqp"), "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 1 and time.monotonic() - started < 30
    assert result.stderr == (
        f'Error: "{tmp_path / "alice.wqp"}" is not a packet as wei-qual writes it (its database holds tables, '
        "views or triggers that wei-qual does not make), so none of it was read. Ask the coder for a fresh "
        "copy of the file.\n"
    )


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TRIGGER sneaky AFTER INSERT ON memos BEGIN DELETE FROM memos; END",
        "CREATE TABLE extra (x)",
        "ALTER TABLE memos ADD COLUMN shadow TEXT",
    ],
)
def test_any_other_schema_change_is_refused(lead, tmp_path, sql):
    raw(tmp_path / "alice.wqp").execute(sql)
    with pytest.raises(WeiQualError, match="is not a packet as wei-qual writes it"):
        merge_packets(lead, [tmp_path / "alice.wqp"])


def test_a_bit_flipped_value_is_one_line_not_a_traceback(lead, tmp_path, runner):
    conn = raw(tmp_path / "alice.wqp")
    _decide(conn, "t1", 1, "alice", ["wait"])
    conn.execute("UPDATE decisions SET codes = '[\"wait\"' ")  # passes quick_check, is not JSON
    conn.close()
    result = runner.invoke(app, ["merge", str(tmp_path / "alice.wqp"), "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: "{tmp_path / "alice.wqp"}" is damaged: a value in column "codes" of table "decisions" is not what '
        "wei-qual writes. Ask the coder for a fresh copy of the file.\n"
    )


def test_a_packet_holding_more_than_merge_reads_is_refused_before_a_row_is_held(
    lead, tmp_path, runner, monkeypatch
):
    # merge reads a packet's decisions, memos and log whole: a 500 MB memo forged into a packet was
    # merged (2.4 GB of memory), and 300,000 forged decisions took 16 s. The bounds are counted by
    # SQLite first; they are lowered here so the forged packet stays small.
    from wei_qual.store import packets

    conn = raw(tmp_path / "alice.wqp")
    conn.execute(
        "INSERT INTO memos (coder_id, target_type, target_id, text, created_utc) "
        "VALUES ('alice', 'transcript', 't1', printf('%.*c', 5000, 'x'), '2026-03-01T10:00:00+00:00')"
    )
    conn.close()
    before = _state(lead)
    monkeypatch.setattr(packets, "MAX_PACKET_TEXT", 4000)
    result = runner.invoke(app, ["merge", str(tmp_path / "alice.wqp"), "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f'Error: "{tmp_path / "alice.wqp"}" holds 5,')
    assert (
        "characters of settings, codes, decisions, memos and log, more than wei-qual reads" in result.stderr
    )
    assert "none of it was read" in result.stderr and len(result.stderr.splitlines()) == 1

    monkeypatch.setattr(packets, "MAX_PACKET_TEXT", 10**8)
    monkeypatch.setattr(packets, "MAX_PACKET_ROWS", 20)
    conn = raw(tmp_path / "alice.wqp")
    conn.executemany(
        "INSERT INTO audit_log (at_utc, actor, action, entity, entity_id) VALUES ('t', 'alice', 'x', 'y', ?)",
        [(str(i),) for i in range(30)],
    )
    conn.close()
    result = runner.invoke(app, ["merge", str(tmp_path / "alice.wqp"), "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 1 and " rows of settings, codes, decisions, memos and log" in result.stderr
    assert _state(open_db(tmp_path / "lead.db")) == before


def test_a_packet_file_of_gigabytes_is_refused_before_it_is_opened(lead, tmp_path, runner):
    packet = tmp_path / "alice.wqp"
    with packet.open("r+b") as handle:
        handle.truncate(3 * 1024**3)  # sparse: PRAGMA quick_check would read all 3 GB
    result = runner.invoke(app, ["merge", str(packet), "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: "{packet}" is 3,221 MB, more than the 2,147 MB a packet may have here: it was not read. '
        "Check that it is the right file.\n"
    )


def test_merging_a_folder_says_so(lead, tmp_path, runner):
    (tmp_path / "packets").mkdir()
    result = runner.invoke(app, ["merge", "packets", "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 1
    assert (
        result.stderr
        == 'Error: "packets" is a folder, not a packet. Pass the packet files (.wqp) themselves.\n'
    )


def test_committed_work_is_in_the_packet_file_even_after_a_kill(lead, tmp_path, runner):
    packet = tmp_path / "alice.wqp"
    script = textwrap.dedent(f"""
        import os, signal
        from wei_qual.models import Decision
        from wei_qual.store import open_db
        from wei_qual.store.decisions import save_decision
        db = open_db({str(packet)!r})
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        for n in (1, 2, 3):
            save_decision(db, Decision("t1", n, "alice", frozenset({{"wait"}})))
        os.kill(os.getpid(), signal.SIGKILL)  # the laptop dies with the project still open
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    emailed = tmp_path / "inbox"
    emailed.mkdir()
    shutil.copy(packet, emailed / "alice.wqp")  # only the .wqp travels
    result = runner.invoke(app, ["merge", str(emailed / "alice.wqp"), "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 0, result.stderr
    assert "Merged 1 packet: 3 decisions added" in result.stderr
    assert "Warning" not in result.stderr


def test_merge_warns_about_side_files_wal_mode_and_an_unclean_session(lead, tmp_path, runner):
    from wei_qual.store.packets import mark_session

    packet = tmp_path / "alice.wqp"
    db = open_db(packet)
    save_decision(db, Decision("t1", 1, "alice", frozenset({"wait"})))
    mark_session(db, open_=True)  # a session that never reached its end
    db.close()
    (tmp_path / "alice.wqp-journal").write_bytes(b"\0" * 512)
    result = runner.invoke(app, ["merge", str(packet), "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        (
            'Warning: "alice.wqp-journal" (rollback journal) sits beside "alice.wqp": the packet was not closed '
            "cleanly. Its committed work is read from both files here; if the coder sent only the .wqp, ask them "
            'to open it once with wei-qual (e.g. "wei-qual coders --db FILE") and send it again.'
        ),
        (
            'Warning: "alice.wqp": a coding session on it did not end cleanly (it was killed or crashed). Every '
            "answer saved before that is in the file and is merged."
        ),
    ]
    os.unlink(tmp_path / "alice.wqp-journal")
    conn = raw(packet)
    conn.execute("PRAGMA journal_mode = WAL")  # as an older wei-qual left packets
    conn.close()
    result = runner.invoke(app, ["merge", str(packet), "--db", str(tmp_path / "lead.db")])
    assert 'Warning: "alice.wqp" was left in WAL mode' in result.stderr


def test_a_coding_session_marks_the_packet_open_and_clears_it(lead, tmp_path):
    from wei_qual.packet import packet_session
    from wei_qual.store import get_setting

    db = open_db(tmp_path / "alice.wqp")
    with packet_session(db):
        assert get_setting(db, "session_open_utc") is not None
    assert get_setting(db, "session_open_utc") is None
    assert merge_packets(lead, [tmp_path / "alice.wqp"]).warnings == []


def test_a_packet_holds_none_of_the_other_coders_memos_notes_or_decisions(tmp_path):
    db = build_lead(tmp_path / "lead.db")
    secret = "Bob thinks the sergeant is lying"
    save_decision(db, Decision("t1", 1, "bob", frozenset({"jail"}), note=secret))
    save_decision(db, Decision("t1", 2, "consensus", frozenset({"beds"}), rationale=secret + " (consensus)"))
    for target_type, target_id in (("segment", "t1:1"), ("transcript", "t1"), ("code", "jail")):
        save_memo(db, "bob", target_type, target_id, f"{secret} ({target_type} memo)")
        save_memo(db, "lead", target_type, target_id, f"{secret} (lead's {target_type} memo)")
    save_memo(db, "alice", "segment", "t1:2", "Alice's own memo.")
    save_decision(db, Decision("t1", 3, "alice", frozenset({"wait"}), note="Alice's own note."))

    counts = make_packet(db, "alice", tmp_path / "alice.wqp")  # building it succeeds

    assert counts["decisions"] == 1
    packet = open_db(tmp_path / "alice.wqp")
    assert [r["coder_id"] for r in packet.query("SELECT coder_id FROM decisions")] == ["alice"]
    assert [(r["coder_id"], r["text"]) for r in packet.query("SELECT coder_id, text FROM memos")] == [
        ("alice", "Alice's own memo.")
    ]
    assert [r["id"] for r in packet.query("SELECT id FROM coders")] == ["alice"]
    assert list(packet.query("SELECT * FROM audit_log")) == []
    packet.close()
    data = (tmp_path / "alice.wqp").read_bytes()
    assert secret.encode() not in data and b"bob" not in data and b"consensus" not in data
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "alice.wqp",
        "lead.db",
        "lead.db-shm",
        "lead.db-wal",
    ]
    assert assigned(tmp_path) == ALICE


def assigned(tmp_path):
    return [
        r["transcript_id"]
        for r in open_db(tmp_path / "alice.wqp").query("SELECT transcript_id FROM assignments")
    ]


def test_work_copied_in_under_an_older_codebook_does_not_block_the_merge(tmp_path):
    from _hostile import CODEBOOK

    from wei_qual.models import Codebook
    from wei_qual.store.codebooks import save_codebook_version

    db = build_lead(tmp_path / "lead.db")
    save_decision(db, Decision("t1", 1, "alice", frozenset({"followup"})))
    save_memo(db, "alice", "code", "followup", "Ask about follow-up in every interview.")
    # The lead retires "followup"; alice's old decision and memo keep it, and travel in her packet.
    v2 = Codebook(
        name="Crisis calls", version="2", codes=tuple(c for c in CODEBOOK.codes if c.id != "followup")
    )
    save_codebook_version(db, v2, "name: Crisis calls\nversion: 2\n")
    make_packet(db, "alice", tmp_path / "alice.wqp")
    packet = open_db(tmp_path / "alice.wqp")
    save_decision(packet, Decision("t1", 2, "alice", frozenset({"wait"})))
    packet.close()
    result = merge_packets(db, [tmp_path / "alice.wqp"])
    assert (result.added, result.kept, result.unchanged) == (1, 0, 1)
    # A decision changed on the laptop must still use codes of the packet's version.
    raw(tmp_path / "alice.wqp").execute(
        "UPDATE decisions SET codes = '[\"followup\"]', revision = 9 WHERE id = 2"
    )
    with pytest.raises(
        WeiQualError, match=r"1 use of codes that are not in the packet's codebook version \(\"followup\"\)"
    ):
        merge_packets(db, [tmp_path / "alice.wqp"])


# ----------------------------------------------------------------- edges found by mutation testing


def test_memos_and_excerpts_out_of_bounds_and_many_strangers_are_listed(lead, tmp_path, runner):
    packet = tmp_path / "alice.wqp"
    conn = raw(packet)
    for i in range(1, 8):  # seven coders who are not alice: five named, "and 2 more"
        _decide(conn, "t1", 1 + i % 3, f"coder{i}", ["wait"])
    _decide(conn, "t2", 1, "alice", ["wait"])
    conn.execute("UPDATE decisions SET excerpts = '{\"wait\": [[0, 500]]}' WHERE coder_id = 'alice'")
    conn.execute(
        "INSERT INTO memos (coder_id, target_type, target_id, text, created_utc) VALUES "
        "('alice', 'segment', 't3:1', 'bob''s interview', '2026-01-01'), "
        "('alice', 'segment', 't1:9', 'no such turn', '2026-01-01'), "
        "('alice', 'segment', 't1:²', 'a number int() refuses', '2026-01-01')"
    )
    conn.close()
    result = runner.invoke(app, ["merge", str(packet), "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:4] == [
        (
            'alice.wqp: 7 decisions by coders other than alice ("coder1", "coder2", "coder3", "coder4", "coder5" '
            "and 2 more)."
        ),
        'alice.wqp: 1 decision with excerpts outside their segment or for codes not applied ("t2:1").',
        'alice.wqp: 3 memos on segments not assigned to alice ("t1:9", "t1:²", "t3:1").',
    ]


def test_a_packet_transcript_the_project_does_not_have_is_named(lead, tmp_path, runner):
    conn = raw(tmp_path / "alice.wqp")
    conn.execute("UPDATE transcripts SET sha256 = 'sha-edited' WHERE id = 't2'")  # edited on the laptop
    conn.close()
    result = runner.invoke(app, ["merge", str(tmp_path / "alice.wqp"), "--db", str(tmp_path / "lead.db")])
    assert (result.exit_code, result.stderr) == (
        1,
        (
            f'Error: "{tmp_path / "alice.wqp"}": transcript "t2" is not in this project (matched by content). '
            "Ingest the same file here first.\n"
        ),
    )


def test_a_forged_transcript_id_is_described_not_echoed(lead, tmp_path, runner):
    # A packet edited by hand may hold a transcript's words where its id belongs.
    said = "He told me he had tried to end his life twice that winter"
    conn = raw(tmp_path / "alice.wqp")
    conn.execute("UPDATE transcripts SET id = ?, sha256 = 'sha-edited' WHERE id = 't2'", [said])
    conn.close()
    result = runner.invoke(app, ["merge", str(tmp_path / "alice.wqp"), "--db", str(tmp_path / "lead.db")])
    assert (result.exit_code, result.stderr) == (
        1,
        (
            f'Error: "{tmp_path / "alice.wqp"}": transcript (57 characters, not shown: it may be transcript '
            "text) is not in this project (matched by content). Ingest the same file here first.\n"
        ),
    )


def test_a_packet_whose_name_forges_a_line_is_refused_before_it_is_read(lead, tmp_path, runner):
    # A shell glob (merge *.wqp) passes any name a folder holds: "x\nError: ..." would print as a line
    # of its own in every message naming the packet.
    forged = tmp_path / "alice.wqp\nMerged 3 packets: 0 decisions added.wqp"
    (tmp_path / "alice.wqp").rename(forged)
    before = (tmp_path / "lead.db").read_bytes()
    result = runner.invoke(app, ["merge", str(forged), "--db", str(tmp_path / "lead.db")])
    assert (result.exit_code, result.stderr) == (
        1,
        (
            f'Error: "{tmp_path}/alice.wqp\\nMerged 3 packets: 0 decisions added.wqp": the file name holds a '
            "line break or a tab, which would start a line of its own in every message naming it, so none of it "
            "was read. Rename the packet and run the command again.\n"
        ),
    )
    assert (tmp_path / "lead.db").read_bytes() == before


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("decisions", "excerpts", "{oops"),  # not JSON
        ("decisions", "excerpts", '{"wait": [[1]]}'),  # a span without its end
        ("decisions", "excerpts", '{"wait": "0-5"}'),
        ("decisions", "codes", "[" * 100_000 + "]" * 100_000),  # json.loads: a RecursionError
        ("decisions", "excerpts", '{"wait": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        ("decisions", "revision", 0),  # revisions start at 1
        ("codes", "draft", 2),  # a flag
    ],
)
def test_a_damaged_excerpt_revision_or_flag_names_its_column(lead, tmp_path, runner, table, column, value):
    conn = raw(tmp_path / "alice.wqp")
    _decide(conn, "t1", 1, "alice", ["wait"])
    conn.execute(f"UPDATE {table} SET {column} = ?", [value])
    conn.close()
    result = runner.invoke(app, ["merge", str(tmp_path / "alice.wqp"), "--db", str(tmp_path / "lead.db")])
    assert (result.exit_code, result.stderr) == (
        1,
        (
            f'Error: "{tmp_path / "alice.wqp"}" is damaged: a value in column "{column}" of table "{table}" is '
            "not what wei-qual writes. Ask the coder for a fresh copy of the file.\n"
        ),
    )


def test_an_empty_journal_beside_the_packet_is_no_warning(lead, tmp_path, runner):
    (tmp_path / "alice.wqp-journal").write_bytes(b"")  # what SQLite leaves after a clean commit at times
    result = runner.invoke(app, ["merge", str(tmp_path / "alice.wqp"), "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 0, result.stderr
    assert "Warning" not in result.stderr


def test_a_packet_of_a_coder_renamed_or_merged_since_goes_to_the_coder_now(lead, tmp_path, runner):
    # The project knows the packet was made for alice; renamed alice-smith meanwhile, her packet (which
    # still says alice) was refused as "no transcripts assigned to alice".
    packet = open_db(tmp_path / "alice.wqp")
    save_decision(packet, Decision("t1", 1, "alice", frozenset({"wait"})))
    packet.close()
    db = ["--db", str(tmp_path / "lead.db")]
    assert runner.invoke(app, ["coders", "rename", "alice", "alice-smith", *db]).exit_code == 0
    result = runner.invoke(app, ["merge", str(tmp_path / "alice.wqp"), *db])
    assert result.exit_code == 0, result.stderr
    assert [(d.coder, d.transcript) for d in iter_decisions(open_db(tmp_path / "lead.db"))] == [
        ("alice-smith", "t1")
    ]
    # Edited to name the new name, it is still refused: it was made for alice.
    conn = raw(tmp_path / "alice.wqp")
    conn.execute("UPDATE settings SET value = 'alice-smith' WHERE key = 'packet_coder'")
    conn.close()
    result = runner.invoke(app, ["merge", str(tmp_path / "alice.wqp"), *db])
    assert result.exit_code == 1 and 'was made for "alice", but names "alice-smith"' in result.stderr
