"""A lead sets a speaker's role (`transcripts roles`) while a coder's packet holding that transcript is
out: the coder codes under the roles the packet was made with. Merging names the turns that changed role,
never counts a decision on a turn that is no participant's now, and says which new participant turns the
packet did not code."""

from __future__ import annotations

import json
from pathlib import Path

from wei_qual.cli import app
from wei_qual.store import iter_audit, open_db

CODEBOOK = Path(__file__).parent.parent / "codebooks" / "minimal.yaml"

# The officer's radio answers twice, its voice labelled by a name (the sergeant's), so ingest takes it for a
# second participant (roles review); a label that names the radio (`Dispatch:`) is set aside at ingest.
P09 = """\
Interviewer: Thanks for meeting with me today. How long have you worked patrol in the county?

P09: About eleven years now, mostly nights, and most of that on the east side where the calls come in.

Interviewer: What happens when you get a crisis call at night?

P09: We go out, we try to calm things down, and then we see whether the crisis unit will take the person.

Sarge: Unit [##], copy a welfare check on Fifth.

P09: Sorry, that's the radio. Anyway, the crisis unit usually says they are full after midnight.

Interviewer: How does that affect what you decide?

P09: It means jail is sometimes the only place open, which nobody wants, least of all the person in crisis.

Sarge: Twelve, are you clear?

P09: That's them again. So yes, it shapes everything we do on those calls.
"""


def _run(runner, db, *args, code=0):
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == code, result.stderr
    return result


def _lead_with_alices_packet(runner, tmp_path, monkeypatch=None):
    """A project with P09 assigned to alice and bob, and alice's packet holding her decisions on every
    turn the packet offered her: the participant's and the radio's (then a participant)."""
    lead, packet = Path("lead.db"), Path("alice.wqp")  # the tests run in tmp_path
    (tmp_path / "P09.txt").write_text(P09, encoding="utf-8")
    _run(runner, lead, "ingest", str(tmp_path / "P09.txt"))
    _run(runner, lead, "codebook", "load", str(CODEBOOK))
    _run(runner, lead, "assign", "--coders", "alice,bob", "--double", "1")
    if monkeypatch is not None:  # an older wei-qual: the packet's make row records no roles
        import wei_qual.packet as packet_module

        audit = packet_module.write_audit

        def older(db, **row):
            if row.get("action") == "make":
                row["after"] = {k: v for k, v in row["after"].items() if k != "roles"}
            audit(db, **row)

        monkeypatch.setattr(packet_module, "write_audit", older)
    _run(runner, lead, "packet", "--coder", "alice", "-o", str(packet))
    rows = "".join(f"P09,{n},alice,{'csu-admission' if n == 8 else ''},\n" for n in (2, 4, 5, 6, 8, 9, 10))
    (tmp_path / "alice.csv").write_text("transcript,segment,coder,codes,note\n" + rows, encoding="utf-8")
    _run(runner, packet, "decisions", "import", str(tmp_path / "alice.csv"))
    return lead, packet


def test_turns_whose_role_was_set_since_the_packet_was_made_are_named_and_not_counted(runner, tmp_path):
    lead, packet = _lead_with_alices_packet(runner, tmp_path)
    # alice also coded the first interviewer turn (as "code --include-interviewer" lets her).
    (tmp_path / "more.csv").write_text(
        "transcript,segment,coder,codes,note\nP09,1,alice,,\n", encoding="utf-8"
    )
    _run(runner, packet, "decisions", "import", str(tmp_path / "more.csv"))
    # The lead settles the roles while the packet is out: the radio is neither interviewer nor
    # participant, and (say) the "Interviewer" label was the participant's partner answering too.
    set_ = _run(
        runner,
        lead,
        "transcripts",
        "roles",
        "P09",
        "--other",
        "Sarge",
        "--participant",
        "Interviewer",
        "--format",
        "json",
    )
    assert "alice's packet (made " in set_.stderr
    assert "holds P09 with the roles it had then" in set_.stderr
    # ... and in the JSON's warnings, as every command's JSON holds what it said (it was on stderr only)
    (said,) = [w for w in json.loads(set_.stdout)["warnings"] if w["kind"] == "packet"]
    shown = said["message"].removesuffix('--force").')  # stderr completes the command with --db
    assert "Warning: " + shown in set_.stderr
    assert said["message"].startswith("alice's packet (made ")
    merged = _run(runner, lead, "merge", str(packet))
    warnings = " ".join(merged.stderr.split())
    assert (
        'Warning: "alice.wqp": the role of 2 turns alice decided in the packet was changed since it was '
        "made: P09:5, P09:9 (participant to other). They are no participant turns now: the decisions are "
        "merged and kept, but agreement and the reports do not count them"
    ) in warnings
    assert (
        'Warning: "alice.wqp": 1 turn alice decided in the packet became participant turns since it was '
        "made: P09:1 (interviewer to participant). The decisions are merged and now count as participant coding."
    ) in warnings
    assert (
        'Warning: "alice.wqp": 2 turns became participant turns since the packet was made, and it holds no '
        "decision by alice on them: P09:3, P09:7 (interviewer to participant)."
    ) in warnings
    assert "wei-qual code --coder alice --transcript P09 --db" in warnings
    row = [r for r in iter_audit(open_db(lead), entity="packet") if r["action"] == "merge"][-1]
    assert row["after"]["roles_changed_since_made"] == {
        "coded_out": [
            {"segment": f"P09:{n}", "role_then": "participant", "role_now": "other"} for n in (5, 9)
        ],
        "coded_in": [{"segment": "P09:1", "role_then": "interviewer", "role_now": "participant"}],
        "uncoded_in": [
            {"segment": f"P09:{n}", "role_then": "interviewer", "role_now": "participant"} for n in (3, 7)
        ],
    }
    # The decisions are kept, but no count reads them: bob codes the same turns, and agreement's units are
    # the participant turns both coded (P09's five), never the radio's.
    rows = "".join(f"P09,{n},bob,,\n" for n in (2, 4, 5, 6, 8, 9, 10))
    (tmp_path / "bob.csv").write_text("transcript,segment,coder,codes,note\n" + rows, encoding="utf-8")
    _run(runner, lead, "decisions", "import", str(tmp_path / "bob.csv"))
    agree = json.loads(_run(runner, lead, "agree", "--format", "json").stdout)
    assert agree["units"] == 5
    # Merging the same packet again says nothing new about the decisions, already in.
    again = " ".join(_run(runner, lead, "merge", str(packet)).stderr.split())
    assert "decided in the packet was changed" not in again


def test_a_packet_made_by_an_older_wei_qual_is_judged_by_the_role_changes_since(
    runner, tmp_path, monkeypatch
):
    # An older wei-qual recorded no roles with the packet: the turns moved since it was made are named.
    lead, packet = _lead_with_alices_packet(runner, tmp_path, monkeypatch)
    made = next(r for r in iter_audit(open_db(lead), entity="packet") if r["action"] == "make")
    assert "roles" not in made["after"]
    _run(runner, lead, "transcripts", "roles", "P09", "--other", "Sarge")
    warnings = " ".join(_run(runner, lead, "merge", str(packet)).stderr.split())
    assert (
        "2 turns alice decided in the packet was changed since it was made: P09:5, P09:9 (a role not recorded to other)"
        in warnings
    )


def test_turns_relabelled_since_the_packet_was_made_are_named_old_packet_or_new(
    runner, tmp_path, monkeypatch
):
    # The radio's two turns given a speaker of their own with `transcripts relabel` while alice's packet is
    # out: named at the merge like a role set with `transcripts roles`, also for a packet an older
    # wei-qual made (no roles recorded: the relabel row's moved turns are read).
    for older in (None, monkeypatch):
        lead, packet = _lead_with_alices_packet(runner, tmp_path, older)
        relabelled = _run(
            runner,
            lead,
            "transcripts",
            "relabel",
            "P09",
            "--segment",
            "5,9",
            "--speaker",
            "Dispatch",
            "--role",
            "other",
        )
        assert (
            "alice's packet (made " in relabelled.stderr
            and "with the speakers it had then" in relabelled.stderr
        )
        warnings = " ".join(_run(runner, lead, "merge", str(packet)).stderr.split())
        then = "participant" if older is None else "a role not recorded"
        assert f"changed since it was made: P09:5, P09:9 ({then} to other)" in warnings
        for made in (lead, packet):  # with their side files: a -wal left would belong to no project
            for side in ("", "-wal", "-shm", "-journal"):
                Path(f"{made}{side}").unlink(missing_ok=True)


def test_roles_set_before_the_packet_was_made_are_no_change(runner, tmp_path):
    lead, packet = Path("lead.db"), Path("alice.wqp")
    (tmp_path / "P09.txt").write_text(P09, encoding="utf-8")
    _run(runner, lead, "ingest", str(tmp_path / "P09.txt"))
    _run(runner, lead, "codebook", "load", str(CODEBOOK))
    _run(runner, lead, "transcripts", "roles", "P09", "--other", "Sarge")
    _run(runner, lead, "assign", "--coders", "alice,bob", "--double", "1")
    _run(runner, lead, "packet", "--coder", "alice", "-o", str(packet))
    (tmp_path / "a.csv").write_text("transcript,segment,coder,codes,note\nP09,2,alice,,\n", encoding="utf-8")
    _run(runner, packet, "decisions", "import", str(tmp_path / "a.csv"))
    merged = _run(runner, lead, "merge", str(packet))
    assert "Warning" not in merged.stderr


def test_roles_are_not_set_in_a_packet(runner, tmp_path):
    # Set on the coder's laptop, the role never reached the project: merged, the coder's decisions on the
    # radio's turns counted as participant coding there, and the other coder coded other turns.
    _lead, packet = _lead_with_alices_packet(runner, tmp_path)
    result = _run(runner, packet, "transcripts", "roles", "P09", "--other", "Sarge", code=1)
    assert result.stderr == (
        'Error: The database given with --db is the packet for "alice", not a project: speaker roles are set in '
        "the project it was made from (the lead's file), so that every coder codes the same turns. Ask the lead "
        "to set them there (merging the packet then names the turns that changed role).\n"
    )
    # Nor are some turns given another speaker there.
    result = _run(
        runner, packet, "transcripts", "relabel", "P09", "--segment", "5", "--speaker", "P09", code=1
    )
    assert result.stderr.startswith(
        'Error: The database given with --db is the packet for "alice", not a project'
    )
    shown = _run(runner, packet, "transcripts", "roles", "P09")
    assert "Sarge        participant" in shown.stdout
    # The review warning's correction is the lead's to make: the coder is told so.
    assert shown.stderr.endswith(
        'This is the packet for "alice": roles are set in the project it was made from, by the lead, not '
        "here. Code the turns as they are, and tell the lead what the roles should be.\n"
    )


def test_work_on_an_earlier_reading_of_the_same_file_is_set_aside_not_put_on_other_turns(
    runner, db_path, make_transcript
):
    # A newer wei-qual reads the file into 4 turns where the project held 6 (Otter's "Yeah." was a turn of
    # its own); the lead stores the new reading with --replace while alice's packet is out. Her decision on
    # the earlier turn 6 used to land on whatever the new turn 6 was (or be refused as out of range), and on
    # turn 4 on another text: the content's SHA-256 is the same, so the merge took it for the same turns.
    from test_cli_ingest import OTTER_BACK_CHANNEL, _store_earlier_reading

    make_transcript(OTTER_BACK_CHANNEL, "p32.txt")
    lead, packet = db_path, Path("alice.wqp")
    _run(runner, lead, "ingest", "p32.txt")
    _store_earlier_reading(lead)
    _run(runner, lead, "codebook", "load", str(CODEBOOK))
    _run(runner, lead, "assign", "--coders", "alice,bob", "--double", "1")
    _run(runner, lead, "packet", "--coder", "alice", "-o", str(packet))
    Path("a.csv").write_text(
        "transcript,segment,coder,codes,note\np32,2,alice,csu-admission,\np32,4,alice,,\n", encoding="utf-8"
    )
    _run(runner, packet, "decisions", "import", "a.csv")
    told = " ".join(_run(runner, lead, "ingest", "p32.txt").stderr.split())
    assert (
        "It is in the packets made for alice: merge them first, since their work on it is set aside when they "
        "are merged after --replace."
    ) in told
    _run(runner, lead, "ingest", "p32.txt", "--replace")
    merged = " ".join(_run(runner, lead, "merge", str(packet)).stderr.split())
    assert (
        'Warning: "alice.wqp": transcript "p32" was re-ingested as a new reading of the same file (--replace) '
        "after this packet was made, so the packet's 2 decisions and 0 memos on its earlier segments were "
        "not merged"
    ) in merged
    assert "0 decisions added" in merged
    row = [r for r in iter_audit(open_db(lead), entity="packet") if r["action"] == "merge"][-1]
    assert [d["decision"] for d in row["after"]["packet_copies_set_aside"]] == ["p32:2:alice", "p32:4:alice"]


def test_only_a_packet_still_out_is_named_when_roles_are_set(runner, tmp_path):
    # alice's packet holds a decision on every turn she was to code, and was merged: it is back. Before, her
    # latest packet was named as out however long ago it had been merged, sending the lead after work that
    # was in the project already.
    lead, packet = _lead_with_alices_packet(runner, tmp_path)
    _run(runner, lead, "merge", str(packet))
    set_ = _run(runner, lead, "transcripts", "roles", "P09", "--other", "Sarge", "--force")
    assert "packet (made " not in set_.stderr


def test_a_packet_merged_part_way_is_still_out(runner, tmp_path):
    # bob merged his packet after two turns and goes on coding it there: still out.
    lead, _ = _lead_with_alices_packet(runner, tmp_path)
    bobs = Path("bob.wqp")
    _run(runner, lead, "packet", "--coder", "bob", "-o", str(bobs))
    (tmp_path / "bob.csv").write_text("transcript,segment,coder,codes,note\nP09,2,bob,,\nP09,4,bob,,\n")
    _run(runner, bobs, "decisions", "import", str(tmp_path / "bob.csv"))
    _run(runner, lead, "merge", str(bobs))
    set_ = " ".join(
        _run(runner, lead, "transcripts", "roles", "P09", "--other", "Sarge", "--force").stderr.split()
    )
    # alice's, never merged, and bob's, merged part-way, are both out.
    assert "alice's packet (made " in set_ and "bob's packet (made " in set_


def test_assign_names_no_packet_merged_complete(runner, tmp_path):
    # alice's packet came back with all of P09 decided: a new assignment that gives P09 to others names no
    # packet of hers out (before, any coder ever given a packet was warned of).
    lead, packet = _lead_with_alices_packet(runner, tmp_path)
    _run(runner, lead, "merge", str(packet))
    again = _run(runner, lead, "assign", "--coders", "bob,carol", "--double", "1", "--format", "json")
    assert json.loads(again.stdout)["warnings"] == []
