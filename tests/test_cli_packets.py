"""assign, packet and merge through the command line."""

from __future__ import annotations

import json

import pytest

from wei_qual.cli import app
from wei_qual.models import PARTICIPANT, Code, Codebook, Decision, Segment, Transcript
from wei_qual.store import open_db
from wei_qual.store.codebooks import save_codebook_version
from wei_qual.store.decisions import save_decision
from wei_qual.store.transcripts import save_transcript


def _project(path):
    db = open_db(path)
    for i in range(6):
        tid = f"t{i}"
        save_transcript(
            db,
            Transcript(
                id=tid,
                source=f"{tid}.txt",
                format="txt",
                sha256=f"sha{i}",
                text="Yes.",
                segments=(Segment(1, "P", PARTICIPANT, "Yes.", 0, 4),),
                attributes={"role": "officer" if i % 2 else "provider"},
            ),
        )
    save_codebook_version(db, Codebook(name="t", version="1", codes=(Code("a", "A"), Code("b", "B"))), "x")
    db.close()


def test_assign_packet_code_merge(runner, tmp_path):
    lead = tmp_path / "lead.db"
    _project(lead)
    result = runner.invoke(
        app,
        [
            "assign",
            "--coders",
            "alice,bob",
            "--double",
            "0.5",
            "--strata",
            "role",
            "--seed",
            "2",
            "--format",
            "json",
            "--db",
            str(lead),
        ],
        catch_exceptions=False,
    )
    plan = json.loads(result.stdout)
    assert len(plan["double"]) == 3 and plan["coders"] == ["alice", "bob"]
    alice_share = sorted(t for t, cs in plan["assignments"].items() if "alice" in cs)

    packet = tmp_path / "alice.wqp"
    result = runner.invoke(
        app, ["packet", "--coder", "alice", "-o", str(packet), "--db", str(lead)], catch_exceptions=False
    )
    assert f"Wrote {packet}: {len(alice_share)} transcripts" in result.stderr
    for tid in alice_share:
        save_decision(open_db(packet), Decision(tid, 1, "alice", frozenset({"a"})))

    result = runner.invoke(app, ["merge", str(packet), "--db", str(lead)], catch_exceptions=False)
    assert f"{len(alice_share)} decisions added, 0 updated" in result.stderr
    result = runner.invoke(app, ["merge", str(packet), "--db", str(lead)], catch_exceptions=False)
    assert f"0 decisions added, 0 updated, {len(alice_share)} unchanged" in result.stderr


def test_the_summaries_count_one_thing_in_the_singular(runner, tmp_path):
    # "Merged 1 packet(s): 1 decisions added, ..., 1 memos.": each count now takes its word's number.
    from wei_qual.store.decisions import save_memo

    lead = tmp_path / "lead.db"
    _project(lead)
    args = ["--coders", "alice,bob", "--double", "0", "--strata", "role", "--seed", "2", "--db", str(lead)]
    assigned = runner.invoke(app, ["assign", *args], catch_exceptions=False)
    assert "0 of 6 transcripts are double-coded across 2 strata." in assigned.stderr
    packet = tmp_path / "alice.wqp"
    runner.invoke(
        app, ["packet", "--coder", "alice", "-o", str(packet), "--db", str(lead)], catch_exceptions=False
    )
    mine = sorted(row[0] for row in open_db(packet).execute("select id from transcripts").fetchall())
    save_decision(open_db(packet), Decision(mine[0], 1, "alice", frozenset({"a"})))
    save_memo(open_db(packet), "alice", "transcript", mine[0], "Noisy room.")
    merged = runner.invoke(app, ["merge", str(packet), "--db", str(lead)], catch_exceptions=False)
    assert merged.stderr == (
        "Merged 1 packet: 1 decision added, 0 updated, 0 unchanged, 0 kept from the project, 1 memo.\n"
    )


def test_errors_are_one_line_with_exit_1(runner, tmp_path):
    lead = tmp_path / "lead.db"
    _project(lead)
    result = runner.invoke(app, ["packet", "--coder", "carol", "-o", "c.wqp", "--db", str(lead)])
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: Coder "carol" has no assigned transcripts. Assign them with "wei-qual assign --coders ... --db {lead}".\n'
    )
    (tmp_path / "bad.wqp").write_bytes(b"\x00garbage" * 100)
    result = runner.invoke(app, ["merge", "bad.wqp", "--db", str(lead)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        'Error: "bad.wqp" is not a readable wei-qual packet (corrupt or truncated:'
    )
    assert result.stderr.count("\n") == 1
    result = runner.invoke(app, ["assign", "--coders", "alice", "--db", str(lead)])
    assert result.exit_code == 1
    assert (
        result.stderr == "Error: Double coding needs at least two coders. Add coders, or pass --double 0.\n"
    )
    result = runner.invoke(app, ["assign", "--coders", "alice,Consensus", "--db", str(lead)])
    assert (result.exit_code, result.stderr) == (
        1,
        (
            'Error: "consensus" holds the decisions the lead reconciled, not a coder\'s own. Assign transcripts to '
            "the coders who code independently.\n"
        ),
    )
    result = runner.invoke(app, ["merge", "x.wqp", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 1
    assert "No project at" in result.stderr


def test_coders_shows_the_assignment_and_code_offers_it_first(runner, tmp_path):
    lead = tmp_path / "lead.db"
    _project(lead)
    runner.invoke(
        app,
        ["assign", "--coders", "alice,bob", "--double", "0", "--seed", "1", "--db", str(lead)],
        catch_exceptions=False,
    )
    db = open_db(lead)
    from wei_qual.store.assignments import assigned_transcripts

    alice = assigned_transcripts(db, "alice")
    assert len(alice) == 3
    save_decision(db, Decision(alice[0], 1, "alice", frozenset({"a"})))
    rows = json.loads(
        runner.invoke(app, ["coders", "--format", "json", "--db", str(lead)], catch_exceptions=False).stdout
    )
    mine = next(r for r in rows if r["coder"] == "alice")
    assert (mine["assigned_transcripts"], mine["assigned_coded"], mine["assigned_total"]) == (3, 1, 3)
    table = runner.invoke(app, ["coders", "--db", str(lead)], catch_exceptions=False).stdout
    assert "assigned coded" in table and "1 of 3" in table

    # The session queue puts alice's assigned transcripts before the others.
    from wei_qual.coding import load_session

    session, _ = load_session(db, "alice")
    order = list(dict.fromkeys(item.transcript for item in session.queue))
    assert order[:3] == alice and sorted(order[3:]) == order[3:]


def test_three_coder_round_trip_through_imports_merge_and_agree(runner, tmp_path):
    lead = tmp_path / "lead.db"
    _project(lead)
    runner.invoke(
        app,
        ["assign", "--coders", "alice,bob,carol", "--double", "1", "--seed", "5", "--db", str(lead)],
        catch_exceptions=False,
    )
    plan = {}
    for coder in ("alice", "bob", "carol"):
        packet = tmp_path / f"{coder}.wqp"
        runner.invoke(
            app, ["packet", "--coder", coder, "-o", str(packet), "--db", str(lead)], catch_exceptions=False
        )
        share = [r["id"] for r in open_db(packet).query("SELECT id FROM transcripts ORDER BY id")]
        plan[coder] = share
        # Each coder codes offline through the CSV route; carol disagrees on t0 and t1.
        rows = ["transcript,segment,coder,codes,note"]
        rows += [f"{t},1,{coder},{'b' if coder == 'carol' and t in ('t0', 't1') else 'a'}," for t in share]
        (tmp_path / f"{coder}.csv").write_text("\n".join(rows) + "\n")
        result = runner.invoke(
            app,
            ["decisions", "import", str(tmp_path / f"{coder}.csv"), "--db", str(packet)],
            catch_exceptions=False,
        )
        assert result.exit_code == 0
    assert all(len(share) == 4 for share in plan.values())  # 6 transcripts x 2 coders / 3 coders
    result = runner.invoke(
        app, ["merge", *(str(tmp_path / f"{c}.wqp") for c in plan), "--db", str(lead)], catch_exceptions=False
    )
    assert "12 decisions added" in result.stderr
    report = json.loads(
        runner.invoke(
            app, ["agree", "--format", "json", "--bootstrap", "0", "--db", str(lead)], catch_exceptions=False
        ).stdout
    )
    assert sorted(report["coders"]) == ["alice", "bob", "carol"]
    assert report["units"] == 6
    code_a = next(c for c in report["codes"] if c["code"] == "a")
    assert code_a["n_units"] == 6
    # A unit disagrees exactly when carol coded t0 or t1 (she chose "b" where the others chose "a").
    disputed = sum(1 for t in ("t0", "t1") if t in plan["carol"])
    expected_agreement = (6 - disputed) / 6
    assert code_a["percent_agreement"] == pytest.approx(expected_agreement)


def test_a_transcript_the_lead_edits_while_it_is_out_in_a_packet(
    runner, tmp_path, make_transcript, monkeypatch
):
    # The lead fixes a typo in p02 after the packets went out. Re-ingesting an assigned transcript used to
    # fail ("FOREIGN KEY constraint failed. Try again"), and the coder's packet was then refused whole.
    lead = tmp_path / "lead.db"
    make_transcript("I: How do calls come in?\n\nR: Dispatch flags them.\n\nI: And then?\n\nR: We go.\n")
    p02 = make_transcript("I: Who comes?\n\nR: The mobile team, if there is one.\n", name="p02.txt")
    db = open_db(lead)
    save_codebook_version(db, Codebook(name="t", version="1", codes=(Code("a", "A"), Code("b", "B"))), "x")
    db.close()

    def wq(*args):
        return runner.invoke(app, [*args, "--db", str(lead)])

    assert wq("ingest", str(tmp_path / "p01.txt"), str(p02)).exit_code == 0
    assert wq("assign", "--coders", "bob", "--double", "0").exit_code == 0
    assert wq("packet", "--coder", "bob", "-o", str(tmp_path / "bob.wqp")).exit_code == 0
    sheet = tmp_path / "bob.csv"
    sheet.write_text("transcript,segment,coder,codes,note\r\np01,2,bob,a,\r\np02,2,bob,b,\r\n")
    assert (
        runner.invoke(app, ["decisions", "import", str(sheet), "--db", str(tmp_path / "bob.wqp")]).exit_code
        == 0
    )

    p02.write_text("I: Who comes?\n\nR: The mobile team, if there's one.\n")
    refused = wq("ingest", str(p02))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == (
        f'Error: "{p02}": transcript "p02" is already in the project with different content and is in the '
        "packets made for bob: what they code of its earlier text there cannot be merged onto the new one. "
        "Merge their packets first, or pass --replace (their work on it is set aside when they are merged, "
        "kept in the audit log), then make them new packets."
    )
    replaced = wq("ingest", str(p02), "--replace")
    assert replaced.exit_code == 0, replaced.stderr
    assert "1 replaced" in replaced.stderr
    assert [
        r["coder_id"]
        for r in open_db(lead).query("SELECT coder_id FROM assignments WHERE transcript_id = 'p02'")
    ] == ["bob"]

    merged = wq("merge", str(tmp_path / "bob.wqp"))
    assert merged.exit_code == 0, merged.stderr
    assert "1 decision added" in merged.stderr  # p01's; p02's was coded on the earlier text
    assert (
        'Warning: "'
        + str(tmp_path / "bob.wqp")
        + '": transcript "p02" was re-ingested with new content after this '
        "packet was made, so the packet's 1 decision and 0 memos on its earlier text were not merged"
    ) in " ".join(merged.stderr.split())
    audit = [r for r in open_db(lead).query("SELECT after FROM audit_log WHERE action = 'merge'")]
    aside = json.loads(audit[-1]["after"])["packet_copies_set_aside"]
    assert [(a["decision"], a["codes"]) for a in aside] == [("p02:2:bob", ["b"])]
    # Merged: bob gets a new packet over the old one, with the new text. (Coding opened the packet in this
    # process, as only his laptop does: forget it was a project here.)
    monkeypatch.setattr("wei_qual.safeio._PROJECTS", set())
    assert wq("packet", "--coder", "bob", "-o", str(tmp_path / "bob.wqp"), "--force").exit_code == 0


def test_a_packet_given_as_the_project_is_refused_for_packet_and_merge(runner, tmp_path):
    # A coder "re-exporting" her packet ran `wei-qual packet --db alice.wqp`: the new file was refused by
    # the lead as "a packet from another project", with no word of what had happened.
    lead = tmp_path / "lead.db"
    _project(lead)
    runner.invoke(app, ["assign", "--coders", "alice,bob", "--double", "0", "--db", str(lead)])
    packet = tmp_path / "alice.wqp"
    runner.invoke(app, ["packet", "--coder", "alice", "-o", str(packet), "--db", str(lead)])
    for args in (["packet", "--coder", "alice", "-o", str(tmp_path / "again.wqp")], ["merge", str(packet)]):
        result = runner.invoke(app, [*args, "--db", str(packet)])
        what = "Make packets from" if args[0] == "packet" else "Merge packets into"
        assert (result.exit_code, result.stderr) == (
            1,
            (
                f'Error: The database given with --db is the packet for "alice", not a project. {what} the '
                "project it was made from (the lead's file), given with --db.\n"
            ),
        )
    assert not (tmp_path / "again.wqp").exists()


def test_work_under_a_mistyped_name_in_a_packet_is_refused_with_the_fold_that_mends_it(runner, tmp_path):
    # carol typed "--coder caroline" one evening. The refusal told the lead to ask her for a new packet
    # "coded only with wei-qual code --coder carol", which would have thrown her evening away.
    lead = tmp_path / "lead.db"
    _project(lead)
    runner.invoke(app, ["assign", "--coders", "alice,carol", "--double", "0", "--db", str(lead)])
    packet = tmp_path / "carol.wqp"
    runner.invoke(app, ["packet", "--coder", "carol", "-o", str(packet), "--db", str(lead)])
    tid = open_db(packet).execute("SELECT MIN(id) FROM transcripts").fetchone()[0]
    sheet = tmp_path / "evening.csv"
    sheet.write_text(f"transcript,segment,coder,codes,note\n{tid},1,caroline,a,\n")
    runner.invoke(app, ["decisions", "import", str(sheet), "--db", str(packet)])
    refused = runner.invoke(app, ["merge", str(packet), "--db", str(lead)])
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[1:] == [
        'carol.wqp: 1 decision by coders other than carol ("caroline").',
        (
            'If carol coded under another name by mistake, fold it into carol in the packet with "wei-qual '
            'coders merge caroline carol --db carol.wqp", then merge the packet again.'
        ),
    ]
    folded = runner.invoke(app, ["coders", "merge", "caroline", "carol", "--db", str(packet)])
    assert folded.exit_code == 0, folded.stderr
    merged = runner.invoke(app, ["merge", str(packet), "--db", str(lead)])
    assert (merged.exit_code, "1 decision added" in merged.stderr) == (0, True)
    # Work under the name of another coder of the project is theirs, never folded: the advice stays.
    sheet.write_text(f"transcript,segment,coder,codes,note\n{tid},1,alice,b,\n")
    runner.invoke(app, ["decisions", "import", str(sheet), "--db", str(packet)])
    refused = runner.invoke(app, ["merge", str(packet), "--db", str(lead)])
    assert refused.stderr.splitlines()[-1].startswith('Ask carol for a packet made with "wei-qual packet')


def test_assign_again_names_the_packets_out_that_hold_transcripts_it_gives_to_others(runner, tmp_path):
    lead = tmp_path / "lead.db"
    _project(lead)
    runner.invoke(app, ["assign", "--coders", "alice,bob", "--double", "0", "--seed", "1", "--db", str(lead)])
    runner.invoke(app, ["packet", "--coder", "alice", "-o", str(tmp_path / "alice.wqp"), "--db", str(lead)])
    hers = sorted(
        r["transcript_id"]
        for r in open_db(lead).query("SELECT transcript_id FROM assignments WHERE coder_id = 'alice'")
    )
    again = runner.invoke(
        app, ["assign", "--coders", "bob,carol", "--double", "0", "--format", "json", "--db", str(lead)]
    )
    assert again.exit_code == 0
    message = (
        f"alice has a packet out holding {', '.join(hers)}, which this assignment no longer gives them: what "
        "alice codes there is still merged as theirs. Once it is merged, make them a new packet for their new "
        'share ("wei-qual packet --coder alice -o FILE").'
    )
    assert json.loads(again.stdout)["warnings"] == [message]
    assert " ".join(again.stderr.split()).startswith(f"Warning: {message[:60]}")
    # A coder name read in another case is said on stderr and, as every command's JSON holds what was
    # said, in the JSON too (it was on stderr only).
    case = runner.invoke(
        app, ["assign", "--coders", "Bob,carol", "--double", "0", "--format", "json", "--db", str(lead)]
    )
    said = [
        line.removeprefix("Warning: ") for line in case.stderr.splitlines() if line.startswith("Warning: ")
    ]
    assert said and said[0].startswith('coder "Bob" read as the existing coder "bob"')
    assert said[0] in json.loads(case.stdout)["warnings"]


def test_packet_says_how_many_turns_its_coder_has_to_code(runner, tmp_path):
    # "Wrote alice.wqp: 2 transcripts, 72 segments" while the coding session and `coders` said "coded 0 of
    # 36": the segments hold the interviewer's turns, which the coder does not code.
    from wei_qual.models import INTERVIEWER

    lead = tmp_path / "lead.db"
    db = open_db(lead)
    turns = (
        ("Interviewer", INTERVIEWER, "Why?"),
        ("P", PARTICIPANT, "Beds."),
        ("Interviewer", INTERVIEWER, "And?"),
    )
    save_transcript(
        db,
        Transcript(
            id="k01",
            source="k01.txt",
            format="txt",
            sha256="sha",
            text="Why? Beds. And?",
            segments=tuple(Segment(n, who, role, text, 0, 4) for n, (who, role, text) in enumerate(turns, 1)),
        ),
    )
    save_codebook_version(db, Codebook(name="t", version="1", codes=(Code("a", "A"),)), "x")
    db.close()
    runner.invoke(
        app, ["assign", "--coders", "alice", "--double", "0", "--db", str(lead)], catch_exceptions=False
    )
    result = runner.invoke(app, ["packet", "--coder", "alice", "-o", "a.wqp", "--db", str(lead)])
    assert result.stderr == (
        "Wrote a.wqp: 1 transcript, 3 segments (1 to code), 0 suggestions, 0 of alice's decisions.\n"
    )
    progress = runner.invoke(app, ["coders", "--format", "json", "--db", "a.wqp"])
    assert json.loads(progress.stdout)[0]["total"] == 1


def test_coding_a_packet_under_another_name_is_refused_before_a_turn_is_shown(runner, tmp_path):
    # carol opened alice.wqp from the shared folder and coded an evening in it as carol: nothing said so
    # until the merge refused the whole packet (decisions of another coder).
    lead = tmp_path / "lead.db"
    _project(lead)
    runner.invoke(
        app, ["assign", "--coders", "alice,carol", "--double", "0", "--db", str(lead)], catch_exceptions=False
    )
    runner.invoke(
        app, ["packet", "--coder", "alice", "-o", "alice.wqp", "--db", str(lead)], catch_exceptions=False
    )
    result = runner.invoke(app, ["code", "--coder", "carol", "--db", "alice.wqp"], input="1\n")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        'Error: "alice.wqp" is the packet for "alice", and a packet holds its coder\'s work only: merge refuses '
        'work under another name. Code it as alice ("wei-qual code --coder alice --db alice.wqp"), or open your '
        "own packet.\n"
    )
    assert open_db("alice.wqp").execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0
    # Its owner, typed in another case, codes it.
    result = runner.invoke(app, ["code", "--coder", "Alice", "--db", "alice.wqp"], input="q\n")
    assert result.exit_code == 0, result.stderr
