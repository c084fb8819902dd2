"""Assignment, coder packets and merging them back (coders working offline on their own laptops)."""

from __future__ import annotations

from collections import Counter
from unittest.mock import ANY

import pytest

from wei_qual.assign import assign, plan_assignment
from wei_qual.errors import StoreError, WeiQualError
from wei_qual.models import PARTICIPANT, Code, Codebook, Decision, Segment, Transcript
from wei_qual.packet import make_packet, merge_packets
from wei_qual.store import iter_audit, open_db
from wei_qual.store.assignments import assigned_transcripts
from wei_qual.store.codebooks import save_codebook_version
from wei_qual.store.decisions import get_decision, iter_decisions, save_decision
from wei_qual.store.transcripts import save_transcript

CODEBOOK = Codebook(
    name="t",
    version="1",
    codes=(Code("access", "Access"), Code("jail", "Jail"), Code("csu", "CSU")),
)


def _transcript(tid: str, role: str, setting: str) -> Transcript:
    text = f"Answer one of {tid}.\n\nAnswer two of {tid}."
    first = text.index("\n\n")
    return Transcript(
        id=tid,
        source=f"{tid}.txt",
        format="txt",
        sha256=f"sha-{tid}",
        text=text,
        segments=(
            Segment(1, "P", PARTICIPANT, text[:first], 0, first),
            Segment(2, "P", PARTICIPANT, text[first + 2 :], first + 2, len(text)),
        ),
        attributes={"role": role, "setting": setting},
    )


@pytest.fixture
def project(tmp_path):
    db = open_db(tmp_path / "lead.db")
    for i in range(20):
        save_transcript(
            db, _transcript(f"t{i:02d}", "officer" if i % 2 else "provider", "rural" if i < 8 else "urban")
        )
    save_codebook_version(db, CODEBOOK, "name: t\n")
    return db


def test_plan_is_reproducible_balanced_and_stratified():
    strata = {
        f"t{i:02d}": ("officer" if i % 2 else "provider", "rural" if i < 8 else "urban") for i in range(20)
    }
    plan = plan_assignment(strata, ["alice", "bob", "carol"], double=0.2, seed=3)
    assert plan == plan_assignment(strata, ["alice", "bob", "carol"], double=0.2, seed=3)
    assert plan.plan != plan_assignment(strata, ["alice", "bob", "carol"], double=0.2, seed=4).plan
    assert len(plan.double) == 4  # 20% of 20
    # Every stratum (5 transcripts each) gets its proportional one double-coded transcript.
    assert {s: n for s, (_, n) in plan.strata.items()} == {s: 1 for s in plan.strata}
    assert Counter(strata[t] for t in plan.double) == Counter({s: 1 for s in plan.strata})
    assert all(len(plan.plan[t]) == 2 and len(set(plan.plan[t])) == 2 for t in plan.double)
    assert all(len(cs) == 1 for t, cs in plan.plan.items() if t not in plan.double)
    loads = Counter(c for cs in plan.plan.values() for c in cs)
    assert sum(loads.values()) == 24 and max(loads.values()) - min(loads.values()) <= 1


@pytest.mark.parametrize(
    "coders, double, message",
    [
        (["alice"], 0.2, "Double coding needs at least two coders"),
        (["alice", "alice"], 0.2, "--coders needs distinct coder names"),
        (["alice", "bob"], 1.5, "--double 1.5 is not a share between 0 and 1"),
    ],
)
def test_plan_rejects_bad_options(coders, double, message):
    with pytest.raises(WeiQualError, match=message):
        plan_assignment({"t1": ()}, coders, double=double)


def test_assign_stores_and_audits(project):
    assign(project, ["alice", "bob"], double=0.5, strata=["setting"], seed=1)
    alice, bob = assigned_transcripts(project, "alice"), assigned_transcripts(project, "bob")
    assert len(set(alice) & set(bob)) == 10 and set(alice) | set(bob) == {f"t{i:02d}" for i in range(20)}
    assert [r["action"] for r in iter_audit(project, entity="assignment")] == ["assign"]
    with pytest.raises(WeiQualError, match='--strata "region" is not an attribute of any transcript'):
        assign(project, ["alice", "bob"], strata=["region"])


def _packets(project, tmp_path):
    assign(project, ["alice", "bob", "carol"], double=0.5, seed=0)
    save_decision(project, Decision("t00", 1, "zed", frozenset({"jail"}), note="lead's private note"))
    paths = {}
    for coder in ("alice", "bob", "carol"):
        paths[coder] = tmp_path / f"{coder}.wqp"
        make_packet(project, coder, paths[coder])
    return paths


def test_packet_holds_only_the_coders_share_and_nobody_elses_work(project, tmp_path):
    paths = _packets(project, tmp_path)
    packet = open_db(paths["alice"])
    assert [r["id"] for r in packet.query("SELECT id FROM transcripts ORDER BY id")] == assigned_transcripts(
        project, "alice"
    )
    assert list(packet.query("SELECT * FROM decisions")) == []
    assert [r["id"] for r in packet.query("SELECT id FROM coders")] == ["alice"]
    assert [r["label"] for r in packet.query("SELECT label FROM codebooks WHERE active = 1")] == ["1"]
    assert paths["alice"].stat().st_mode & 0o777 == 0o600
    with pytest.raises(WeiQualError, match="already exists"):
        make_packet(project, "alice", paths["alice"])


def test_force_never_replaces_a_packet_holding_work_not_merged_yet(project, tmp_path, monkeypatch):
    # Packets handed out through a shared folder are coded where they lie: "packet --force" to refresh
    # alice's used to replace the file, and her 2 decisions and her memo with it, without a word.
    from wei_qual.store.decisions import save_memo

    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    _code_in_packet(paths["alice"], "alice", {(tid, 1): {"access"}, (tid, 2): {"csu"}})
    packet = open_db(paths["alice"])
    save_memo(packet, "alice", "transcript", tid, "Noisy room.")
    packet.close()
    before = paths["alice"].read_bytes()
    # Coding above opened the packet in this process, as only a laptop does: forget it was a project here.
    monkeypatch.setattr("wei_qual.safeio._PROJECTS", set())
    with pytest.raises(WeiQualError, match=r"holding alice's work not merged yet \(2 decisions, 1 memo\)"):
        make_packet(project, "alice", paths["alice"], force=True)
    assert paths["alice"].read_bytes() == before
    merge_packets(project, [paths["alice"]])
    # Merged (and alice renamed since, as the project now names her): nothing of hers is lost now.
    from wei_qual.coders import rename_coder

    rename_coder(project, "alice", "alice-k")
    make_packet(project, "alice-k", paths["alice"], force=True)
    assert get_decision(open_db(paths["alice"]), tid, 2, "alice-k").codes == {"csu"}


def _code_in_packet(path, coder, codes_by_segment):
    packet = open_db(path)
    for (tid, n), codes in codes_by_segment.items():
        save_decision(packet, Decision(tid, n, coder, frozenset(codes)))
    packet.close()


def test_merge_round_trip_is_idempotent_and_audited(project, tmp_path):
    paths = _packets(project, tmp_path)
    for coder, path in paths.items():
        tids = assigned_transcripts(project, coder)
        _code_in_packet(path, coder, {(t, n): {"access"} if n == 1 else set() for t in tids for n in (1, 2)})
    result = merge_packets(project, list(paths.values()))
    expected = sum(2 * len(assigned_transcripts(project, c)) for c in paths)
    assert (result.added, result.updated, result.conflicts) == (expected, 0, [])
    assert len(iter_decisions(project, coders=["alice", "bob", "carol"])) == expected
    again = merge_packets(project, list(paths.values()))
    assert (again.added, again.updated, again.unchanged) == (0, 0, expected)
    merges = [r for r in iter_audit(project, entity="packet") if r["action"] == "merge"]
    assert [r["entity_id"] for r in merges] == ["alice.wqp", "bob.wqp", "carol.wqp"] * 2
    assert merges[0]["after"]["added"] == 2 * len(assigned_transcripts(project, "alice"))


def _edit_both(project, paths, tid, *, lead_first: bool):
    """Merge once, then edit segment 1 in both places (in either order) and segment 2 only in the project."""
    _code_in_packet(paths["alice"], "alice", {(tid, 1): {"access"}, (tid, 2): {"csu"}})
    merge_packets(project, [paths["alice"]])
    if lead_first:
        save_decision(project, Decision(tid, 1, "alice", frozenset({"jail"})))
        _code_in_packet(paths["alice"], "alice", {(tid, 1): {"csu"}})
    else:  # the lead's edit is the newer one
        _code_in_packet(paths["alice"], "alice", {(tid, 1): {"csu"}})
        save_decision(project, Decision(tid, 1, "alice", frozenset({"jail"})))
    save_decision(project, Decision(tid, 2, "alice", frozenset({"jail"})))


@pytest.mark.parametrize("lead_first", [True, False])
def test_edited_in_both_places_the_project_copy_is_kept_and_listed(project, tmp_path, lead_first):
    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    _edit_both(project, paths, tid, lead_first=lead_first)
    result = merge_packets(project, [paths["alice"]])
    assert result.conflicts == [f"{tid}:1:alice (both changed, project kept)"]
    assert get_decision(project, tid, 1, "alice").codes == {"jail"}  # whichever clock said newer
    assert get_decision(project, tid, 2, "alice").codes == {"jail"}  # only the lead edited it
    assert (result.kept, result.updated, result.added) == (2, 0, 0)
    # The coder's copy set aside is kept in the merge's audit row: their work is not lost.
    row = [r for r in iter_audit(project, entity="packet") if r["action"] == "merge"][-1]
    assert row["after"]["packet_copies_set_aside"] == [
        {"decision": f"{tid}:1:alice", "codes": ["csu"], "note": "", "decided_utc": ANY}
    ]
    # The conflict was settled and recorded: merging the same packet again changes and lists nothing.
    again = merge_packets(project, [paths["alice"]])
    assert (again.conflicts, again.kept, again.updated) == ([], 2, 0)
    assert get_decision(project, tid, 1, "alice").codes == {"jail"}


def test_prefer_packet_takes_the_coders_copy_and_lists_it(project, tmp_path):
    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    _edit_both(project, paths, tid, lead_first=False)
    result = merge_packets(project, [paths["alice"]], prefer="packet")
    assert result.conflicts == [f"{tid}:1:alice (both changed, packet kept)"]
    assert get_decision(project, tid, 1, "alice").codes == {"csu"}
    assert get_decision(project, tid, 2, "alice").codes == {"jail"}  # the packet did not change it
    # Synced now: merging the same packet again changes nothing and lists nothing.
    again = merge_packets(project, [paths["alice"]])
    assert (again.conflicts, again.updated, again.unchanged) == ([], 0, 1)


def test_changes_are_judged_by_revision_not_by_clock(project, tmp_path, monkeypatch):
    """Every timestamp equal (one millisecond), or the laptop's clock a year behind: same outcome."""
    import wei_qual.store as store_module

    monkeypatch.setattr(store_module, "now_utc", lambda: "2026-03-01T10:00:00.000+00:00")
    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    _edit_both(project, paths, tid, lead_first=True)
    assert merge_packets(project, [paths["alice"]]).conflicts == [
        f"{tid}:1:alice (both changed, project kept)"
    ]

    # Only the packet changes segment 2 now, stamped by a laptop whose clock is a year slow: it still wins.
    packet = open_db(paths["alice"])
    save_decision(
        packet, Decision(tid, 2, "alice", frozenset({"access"}), decided_utc="2025-03-01T10:00:00+00:00")
    )
    packet.close()
    result = merge_packets(project, [paths["alice"]])
    assert get_decision(project, tid, 2, "alice").codes == {"access"}
    assert (result.updated, result.conflicts) == (1, [])  # segment 1 was settled at the last merge


def test_a_decision_deleted_in_the_project_stays_deleted_unless_the_packet_changed_it(project, tmp_path):
    from wei_qual.store.decisions import delete_decision

    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    _code_in_packet(paths["alice"], "alice", {(tid, 1): {"access"}, (tid, 2): {"csu"}})
    merge_packets(project, [paths["alice"]])
    delete_decision(project, tid, 1, "alice")
    delete_decision(project, tid, 2, "alice")
    _code_in_packet(paths["alice"], "alice", {(tid, 2): {"jail"}})
    result = merge_packets(project, [paths["alice"]])
    assert get_decision(project, tid, 1, "alice") is None  # the packet did not touch it since the sync
    assert get_decision(project, tid, 2, "alice") is None
    assert result.conflicts == [f"{tid}:2:alice (both changed: deleted in the project, kept deleted)"]


def test_a_decision_kept_deleted_comes_back_when_the_coder_edits_it_again(project, tmp_path):
    # After a merge kept a deletion, the project's side is "deleted" at that sync: a later edit in the
    # packet is the only change, so it comes in without a conflict.
    from wei_qual.store.decisions import delete_decision

    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    _code_in_packet(paths["alice"], "alice", {(tid, 2): {"csu"}})
    merge_packets(project, [paths["alice"]])
    delete_decision(project, tid, 2, "alice")
    _code_in_packet(paths["alice"], "alice", {(tid, 2): {"jail"}})
    merge_packets(project, [paths["alice"]])  # both changed: kept deleted
    _code_in_packet(paths["alice"], "alice", {(tid, 2): {"access"}})
    result = merge_packets(project, [paths["alice"]])
    assert result.conflicts == []
    assert get_decision(project, tid, 2, "alice").codes == {"access"}


def test_a_decision_the_coder_removed_in_the_packet_is_removed_here_unless_the_project_changed_it(
    project, tmp_path
):
    # The merge read only the decisions a packet holds: one the coder had removed there since the last
    # merge stayed in the project, counted by agree as hers, without a word.
    from wei_qual.store.coders import remove_coder

    paths = _packets(project, tmp_path)
    first, second = assigned_transcripts(project, "alice")[:2]
    _code_in_packet(
        paths["alice"], "alice", {(first, 1): {"access"}, (first, 2): {"csu"}, (second, 1): {"jail"}}
    )
    merge_packets(project, [paths["alice"]])
    save_decision(project, Decision(first, 2, "alice", frozenset({"jail"})))  # the lead corrects one
    packet = open_db(paths["alice"])
    remove_coder(packet, "alice", actor="alice")  # "wei-qual coders remove alice --db alice.wqp": start over
    packet.close()
    _code_in_packet(paths["alice"], "alice", {(second, 1): {"jail"}})
    result = merge_packets(project, [paths["alice"]])
    assert (result.deleted, result.unchanged, result.kept) == (1, 1, 1)
    assert result.conflicts == [f"{first}:2:alice (both changed: deleted in the packet, project kept)"]
    assert get_decision(project, first, 1, "alice") is None
    assert get_decision(project, first, 2, "alice").codes == {"jail"}
    gone = [r for r in iter_audit(project, entity="decision") if r["action"] == "delete"]
    assert [(r["entity_id"], r["actor"], r["before"]["codes"]) for r in gone] == [
        (f"{first}:1:alice", "alice (packet alice.wqp)", ["access"])
    ]
    again = merge_packets(project, [paths["alice"]])
    assert (again.deleted, again.conflicts, again.kept) == (0, [], 0)


def test_an_older_copy_of_a_packet_never_undoes_the_work_of_a_newer_one(project, tmp_path):
    # alice e-mails her packet on Monday and again on Friday; the lead merges Friday's, then Monday's
    # (or both at once, in the wrong order). Monday's copy used to replace her Friday answers: "2 updated".
    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    _code_in_packet(paths["alice"], "alice", {(tid, 1): {"access"}, (tid, 2): {"csu"}})
    monday = tmp_path / "alice (monday).wqp"
    monday.write_bytes(paths["alice"].read_bytes())
    _code_in_packet(paths["alice"], "alice", {(tid, 1): {"jail"}, (tid, 2): set()})
    with pytest.raises(
        WeiQualError,
        match=r'"[^"]*alice \(monday\).wqp" and "[^"]*alice.wqp" are two copies of the same packet',
    ):
        merge_packets(project, [paths["alice"], monday])
    assert merge_packets(project, [paths["alice"]]).added == 2
    with pytest.raises(
        WeiQualError, match='is an older copy of the packet for "alice" than one already merged'
    ):
        merge_packets(project, [monday])
    assert get_decision(project, tid, 1, "alice").codes == {"jail"}
    assert get_decision(project, tid, 2, "alice").codes == frozenset()
    # The same copy again, or a newer one, merges as before.
    assert merge_packets(project, [paths["alice"], paths["alice"]]).unchanged == 4


def test_two_copies_of_a_packet_coded_apart_are_not_merged_in_one_go(project, tmp_path):
    # alice copied her packet to her desktop and coded in both; the lead ran "merge *.wqp". Both copies
    # were judged against the sync of the packet's making, so the desktop's answer to the segment the
    # laptop had answered too was dropped as unchanged: no conflict, no warning.
    assign(project, ["alice", "bob"], double=0, seed=0)
    tid = assigned_transcripts(project, "alice")[0]
    laptop, desktop = tmp_path / "alice.wqp", tmp_path / "alice (desktop).wqp"
    make_packet(project, "alice", laptop)
    desktop.write_bytes(laptop.read_bytes())
    desktop.chmod(0o600)  # as a copy of her own file keeps it
    _code_in_packet(laptop, "alice", {(tid, 1): {"jail"}})
    _code_in_packet(desktop, "alice", {(tid, 1): {"csu"}})
    with pytest.raises(WeiQualError, match="each coded on apart from the other") as refused:
        merge_packets(project, [laptop, desktop])
    assert '("wei-qual merge ' in str(refused.value)
    assert iter_decisions(project, coders=["alice"]) == []  # nothing merged
    # One at a time, the second is merged as a copy coded apart, and the conflict is listed.
    merge_packets(project, [laptop])
    assert merge_packets(project, [desktop]).conflicts == [f"{tid}:1:alice (both changed, project kept)"]


def test_another_coders_decision_on_a_segment_is_not_called_a_second_spelling_of_the_owner(project, tmp_path):
    # carol coded one segment in her packet as herself and, by mistake, as "alice": the refusal also said
    # the segment was "decided twice under spellings of carol", which sent her looking for a typo.
    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "carol")[0]
    _code_in_packet(paths["carol"], "alice", {(tid, 1): {"access"}})
    _code_in_packet(paths["carol"], "carol", {(tid, 1): {"jail"}})
    with pytest.raises(StoreError) as refused:
        merge_packets(project, [paths["carol"]])
    assert str(refused.value).splitlines()[1:-1] == [
        'carol.wqp: 1 decision by coders other than carol ("alice").'
    ]
    # Two spellings of carol's own name on one segment are still that problem.
    _code_in_packet(paths["carol"], "Carol ", {(tid, 2): {"csu"}})
    _code_in_packet(paths["carol"], "carol", {(tid, 2): {"jail"}})
    with pytest.raises(StoreError, match=f'1 segment decided twice under spellings of carol \\("{tid}:2"\\)'):
        merge_packets(project, [paths["carol"]])


def test_work_on_a_transcript_assigned_again_since_the_packet_was_made_is_still_merged(project, tmp_path):
    # The lead added a fourth coder mid-study and ran assign again: alice's packet, out on her laptop, held
    # transcripts the new plan gave to others, and the merge refused all of her work ("decisions on
    # transcripts not assigned to alice"), telling her to code only with wei-qual code, which she had.
    from wei_qual.store.decisions import save_memo

    paths = _packets(project, tmp_path)
    mine = assigned_transcripts(project, "alice")
    _code_in_packet(paths["alice"], "alice", {(t, 1): {"access"} for t in mine})
    packet = open_db(paths["alice"])
    save_memo(packet, "alice", "transcript", mine[0], "Two officers in the room.")
    packet.close()
    assign(project, ["bob", "carol", "dave"], double=0.5, seed=1)  # alice has nothing assigned now
    assert assigned_transcripts(project, "alice") == []
    result = merge_packets(project, [paths["alice"]])
    assert (result.added, result.memos) == (len(mine), 1)
    assert result.warnings == [
        f'"{paths["alice"]}": the work on transcripts {", ".join(f"{chr(34)}{t}{chr(34)}" for t in mine[:5])}'
        + (f" and {len(mine) - 5} more" if len(mine) > 5 else "")
        + ", in the packet when it was made but no longer assigned to alice (assigned again since), is merged "
        "as alice's."
    ]
    # (A transcript the packet was not made with is still refused: tests/security/test_packet_trust.py.)


def test_a_decision_and_a_memo_on_the_last_segment_of_a_transcript_merge(project, tmp_path):
    from wei_qual.store.decisions import iter_memos, save_memo

    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    last = project.execute("SELECT MAX(n) FROM segments WHERE transcript_id = ?", [tid]).fetchone()[0]
    _code_in_packet(paths["alice"], "alice", {(tid, last): {"jail"}})
    packet = open_db(paths["alice"])
    save_memo(packet, "alice", "segment", f"{tid}:{last}", "The last answer.")
    packet.close()
    result = merge_packets(project, [paths["alice"]])
    assert (result.added, result.memos) == (1, 1)
    assert get_decision(project, tid, last, "alice").codes == {"jail"}
    assert iter_memos(project, "alice") == {("segment", f"{tid}:{last}"): "The last answer."}


def test_decisions_copied_into_a_packet_are_the_sync_base(project, tmp_path):
    assign(project, ["alice", "bob"], double=0, seed=0)
    tid = assigned_transcripts(project, "alice")[0]
    save_decision(project, Decision(tid, 1, "alice", frozenset({"access"})))
    save_decision(project, Decision(tid, 2, "alice", frozenset({"access"})))
    path = tmp_path / "alice.wqp"
    make_packet(project, "alice", path)
    save_decision(project, Decision(tid, 1, "alice", frozenset({"jail"})))  # the lead corrects one
    _code_in_packet(path, "alice", {(tid, 2): {"csu"}})  # the coder changes the other
    result = merge_packets(project, [path])
    assert (result.updated, result.kept, result.conflicts) == (1, 1, [])
    assert get_decision(project, tid, 1, "alice").codes == {"jail"}
    assert get_decision(project, tid, 2, "alice").codes == {"csu"}


def test_corrupt_truncated_and_foreign_packets_are_refused_whole(project, tmp_path):
    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    _code_in_packet(paths["alice"], "alice", {(tid, 1): {"access"}})
    truncated = tmp_path / "truncated.wqp"
    truncated.write_bytes(paths["bob"].read_bytes()[:3000])
    junk = tmp_path / "junk.wqp"
    junk.write_bytes(b"not a database at all" * 50)
    for bad in (truncated, junk):
        with pytest.raises(StoreError, match=f'"{bad}" is not a readable wei-qual packet'):
            merge_packets(project, [paths["alice"], bad])
    assert iter_decisions(project, coders=["alice"]) == []  # nothing half-merged

    other = open_db(tmp_path / "other.db")
    save_transcript(other, _transcript("t00", "officer", "rural"))
    save_codebook_version(other, CODEBOOK, "name: t\n")
    assign(other, ["alice"], double=0)
    make_packet(other, "alice", tmp_path / "foreign.wqp")
    with pytest.raises(WeiQualError, match='"[^"]*foreign.wqp" is a packet from another project'):
        merge_packets(project, [tmp_path / "foreign.wqp"])
    with pytest.raises(StoreError, match="is a wei-qual project, not a coder packet"):
        merge_packets(project, [tmp_path / "other.db"])


def test_codebook_mismatch_is_refused_unless_codes_are_compatible(project, tmp_path):
    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    _code_in_packet(paths["alice"], "alice", {(tid, 1): {"access"}})
    _code_in_packet(paths["bob"], "bob", {(assigned_transcripts(project, "bob")[0], 1): {"csu"}})
    # The lead renames "csu" away: alice's packet still fits, bob's does not.
    save_codebook_version(
        project,
        Codebook(name="t", version="2", codes=(Code("access", "A"), Code("jail", "J"))),
        "name: t\nversion: 2\n",
    )
    with pytest.raises(
        WeiQualError, match=r'bob.wqp" was coded with codebook version 1 \("1"\).*: "csu"\. Add them back'
    ):
        merge_packets(project, [paths["bob"]])
    merged = merge_packets(project, [paths["alice"]])
    assert merged.added == 1
    # Version 2 renamed "access" from "Access" to "A": alice coded it under the old name, and is told.
    assert merged.warnings == [
        (
            f'"{paths["alice"]}" was coded under an earlier codebook version, and the active one changes the name '
            "or definition of access: the coder's decisions count for them as they are now defined. Check them "
            'with "wei-qual retrieve CODE --source union".'
        )
    ]
    # A split or retired code leaves nothing to map "csu" to: --force merges it as it is, said.
    result = merge_packets(project, [paths["bob"]], force=True)
    assert result.added == 1 and get_decision(
        project, assigned_transcripts(project, "bob")[0], 1, "bob"
    ).codes == {"csu"}
    assert result.warnings == [
        (
            f'"{paths["bob"]}": merged with codes the active codebook does not have (--force): "csu". Nothing '
            "counts them until they are recoded."
        )
    ]


def test_a_decision_holding_a_removed_code_comes_back_when_only_its_note_changed(project, tmp_path):
    # The packet was made after a forced load removed "csu": alice's own decision still held it, and the
    # packet carried it. She added a note; the merge refused the whole packet as holding codes "not in the
    # packet's codebook version", and told her to code only with wei-qual code, which she had.
    assign(project, ["alice", "bob"], double=0.0, seed=0)
    tid = assigned_transcripts(project, "alice")[0]
    save_decision(project, Decision(tid, 1, "alice", frozenset({"csu", "jail"})))
    save_codebook_version(
        project,
        Codebook(name="t", version="2", codes=(Code("access", "A"), Code("jail", "J"))),
        "name: t\nv: 2\n",
    )
    path = tmp_path / "alice.wqp"
    make_packet(project, "alice", path)
    packet = open_db(path)
    save_decision(
        packet, Decision(tid, 1, "alice", frozenset({"csu", "jail"}), note="ask the lead about csu")
    )
    packet.close()
    assert merge_packets(project, [path]).updated == 1
    assert get_decision(project, tid, 1, "alice").note == "ask the lead about csu"
    # Adding the removed code to another decision is still refused.
    packet = open_db(path)
    save_decision(packet, Decision(tid, 2, "alice", frozenset({"csu"})))
    packet.close()
    with pytest.raises(StoreError, match="codes that are not in the packet's codebook version"):
        merge_packets(project, [path])


def test_memo_merge_maps_transcript_ids_and_audits_it(db):
    from wei_qual.store.packets import upsert_memo

    ids = {"P-01": "p01", "Focus group: A": "fg-a"}  # packet transcript id -> the project's (by content)

    def merge(target_type, target_id, text, stamp):
        memo = {"coder_id": "alice", "target_type": target_type, "target_id": target_id, "text": text}
        return upsert_memo(
            db, {**memo, "created_utc": stamp, "updated_utc": None}, ids, actor="alice (packet)"
        )

    assert merge("transcript", "P-01", "Ask about the van.", "2026-01-02T00:00:00Z") == 1
    assert merge("segment", "Focus group: A:12", "Two voices here.", "2026-01-02T00:00:00Z") == 1
    assert merge("code", "jail", "Jail as the fallback.", "2026-01-02T00:00:00Z") == 1

    def stored():
        return {(r["target_type"], r["target_id"]): r["text"] for r in db.query("SELECT * FROM memos")}

    assert stored() == {
        ("transcript", "p01"): "Ask about the van.",
        ("segment", "fg-a:12"): "Two voices here.",
        ("code", "jail"): "Jail as the fallback.",
    }
    assert merge("transcript", "P-01", "Ask about the van.", "2026-01-03T00:00:00Z") == 0  # same text
    # Whose text wins is the merge's to decide, by the sync records: a stamp older than ours still writes.
    assert merge("transcript", "P-01", "Ask about the van and the bus.", "2026-01-01T00:00:00Z") == 1
    assert stored()[("transcript", "p01")] == "Ask about the van and the bus."
    last = iter_audit(db, entity="memo")[-1]
    assert (last["action"], last["entity_id"], last["actor"], last["before"], last["after"]) == (
        "merge",
        "alice:transcript:p01",
        "alice (packet)",
        {"text": "Ask about the van."},
        {"text": "Ask about the van and the bus."},
    )


@pytest.mark.parametrize("laptop_clock", ["2025-12-01T09:00:00.000+00:00", "2026-01-01T01:00:00.000-08:00"])
def test_memo_edits_are_judged_by_the_last_sync_not_by_the_laptops_clock(
    project, tmp_path, monkeypatch, laptop_clock
):
    # The newer text by the clock used to win: a memo alice rewrote on a laptop whose clock was slow was
    # dropped without a word (merge said "0 memos"), and one the lead's project changed too was silently
    # replaced or kept, never listed.
    import wei_qual.store.decisions as decisions_module
    from wei_qual.store.decisions import iter_memos, save_memo

    assign(project, ["alice", "bob"], double=0, seed=0)
    tid = assigned_transcripts(project, "alice")[0]
    save_memo(project, "alice", "code", "csu", "Admission depends on the night shift.")
    save_memo(project, "alice", "transcript", tid, "Loud room.")
    path = tmp_path / "alice.wqp"
    make_packet(project, "alice", path)
    # On the laptop, whose clock is wrong: she rewrites both memos.
    monkeypatch.setattr(decisions_module, "now_utc", lambda: laptop_clock)
    packet = open_db(path)
    save_memo(packet, "alice", "code", "csu", "Admission depends on the shift and on the unit.")
    save_memo(packet, "alice", "transcript", tid, "Loud room; the fan.")
    packet.close()
    monkeypatch.undo()
    save_memo(project, "alice", "transcript", tid, "Loud room, ask for the audio.")  # and in the office
    result = merge_packets(project, [path])
    assert result.memos == 1
    assert result.conflicts == [f"memo transcript:{tid}:alice (both changed, project kept)"]
    assert iter_memos(project, "alice") == {
        ("code", "csu"): "Admission depends on the shift and on the unit.",
        ("transcript", tid): "Loud room, ask for the audio.",
    }
    row = [r for r in iter_audit(project, entity="packet") if r["action"] == "merge"][-1]
    assert row["after"]["packet_copies_set_aside"] == [
        {"memo": f"transcript:{tid}", "text": "Loud room; the fan."}
    ]
    again = merge_packets(project, [path])  # settled: nothing changes, nothing is listed
    assert (again.memos, again.conflicts) == (0, [])
    assert merge_packets(project, [path], prefer="packet").memos == 0


def test_a_packet_carries_and_returns_memos_on_a_transcript_whose_id_holds_a_colon(tmp_path):
    # A focus group's file named "Focus group: A.txt": its segment memos read "Focus group: A:2", so the
    # transcript is what comes before the LAST colon.
    from wei_qual.store.assignments import replace_assignments
    from wei_qual.store.decisions import iter_memos, save_memo

    project = open_db(tmp_path / "lead.db")
    for tid in ("Focus group: A", "Focus group: B"):
        save_transcript(project, _transcript(tid, "officer", "rural"))
    save_codebook_version(project, CODEBOOK, "name: t\n")
    replace_assignments(
        project, {"Focus group: A": ["alice"], "Focus group: B": ["bob"]}, set(), actor="lead"
    )
    save_memo(project, "alice", "segment", "Focus group: A:2", "Two officers disagree here.")
    save_memo(project, "alice", "transcript", "Focus group: A", "Loud room.")
    make_packet(project, "alice", tmp_path / "alice.wqp")
    packet = open_db(tmp_path / "alice.wqp")
    assert iter_memos(packet, "alice") == {
        ("segment", "Focus group: A:2"): "Two officers disagree here.",
        ("transcript", "Focus group: A"): "Loud room.",
    }
    save_memo(packet, "alice", "segment", "Focus group: A:1", "The sergeant speaks first.")
    packet.close()
    result = merge_packets(project, [tmp_path / "alice.wqp"])
    assert result.memos == 1
    assert iter_memos(project, "alice")[("segment", "Focus group: A:1")] == "The sergeant speaks first."


def test_merged_decisions_keep_the_suggestions_shown_and_accepted(project, tmp_path):
    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    packet = open_db(paths["alice"])
    coded = Decision(
        tid,
        1,
        "alice",
        frozenset({"jail", "csu"}),
        accepted=frozenset({"jail"}),
        shown=frozenset({"jail", "access"}),
    )
    save_decision(packet, coded)
    packet.close()
    merge_packets(project, [paths["alice"]])
    merged = get_decision(project, tid, 1, "alice")
    assert (merged.codes, merged.accepted, merged.shown) == (
        frozenset({"jail", "csu"}),
        frozenset({"jail"}),
        frozenset({"jail", "access"}),
    )


def test_draft_codes_named_like_the_projects_new_themes_are_refused_and_listed(project, tmp_path):
    from wei_qual.codebook.drafts import create_draft

    paths = _packets(project, tmp_path)
    packet = open_db(paths["alice"])
    for code_id in ("transport", "housing"):  # made on the laptop while coding
        create_draft(packet, code_id=code_id, name=code_id.capitalize(), actor="alice")
    packet.close()
    themed = Codebook(  # meanwhile the lead made both into themes
        name="t",
        version="2",
        codes=(
            *CODEBOOK.codes,
            Code("transport", "Transport"),
            Code("transport-van", "Van", parent="transport"),
            Code("housing", "Housing"),
            Code("housing-shelter", "Shelter", parent="housing"),
        ),
    )
    save_codebook_version(project, themed, "name: t\nversion: 2\n")
    with pytest.raises(WeiQualError) as ex:
        merge_packets(project, [paths["alice"]])
    assert str(ex.value) == (
        f'"{paths["alice"]}": draft codes created in the packet have the id of a theme heading in this project: '
        "transport, housing. Rename the theme, or merge the draft on the coder's copy first."
    )


def test_a_packet_counts_what_it_holds(project, tmp_path):
    from wei_qual.store.codebooks import get_active_codebook
    from wei_qual.store.suggestions import replace_suggestions

    assign(project, ["alice", "bob"], double=0, seed=0)
    version = get_active_codebook(project)[0]
    first_turns = {
        tid: sid
        for sid, tid in project.execute("SELECT id, transcript_id FROM segments WHERE n = 1").fetchall()
    }
    rows = [(sid, "jail", 0.8, []) for sid in first_turns.values()]  # one suggestion per transcript
    replace_suggestions(project, codebook_id=version, engine="rules", segment_ids=None, rows=rows)
    tid = assigned_transcripts(project, "alice")[0]
    save_decision(project, Decision(tid, 2, "alice", frozenset({"jail"})))
    counts = make_packet(project, "alice", tmp_path / "alice.wqp")
    mine = len(assigned_transcripts(project, "alice"))
    assert {k: counts[k] for k in ("transcripts", "segments", "suggestions", "decisions")} == {
        "transcripts": mine,
        "segments": 2 * mine,
        "suggestions": mine,  # only those on alice's transcripts
        "decisions": 1,
    }


def test_codes_renamed_or_merged_since_the_packet_was_made_come_in_under_their_new_ids(project, tmp_path):
    # A packet coded under version 1 came back after the lead renamed "jail" to "jail-fallback" and merged
    # "csu" into "access": the merge was refused ("codes not in the active codebook: jail"), though the
    # project had moved its own decisions.
    from wei_qual.codebook import load_into_project

    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    _code_in_packet(paths["alice"], "alice", {(tid, 1): {"jail"}, (tid, 2): {"csu", "access"}})
    v2 = tmp_path / "v2.yaml"
    v2.write_text(
        "name: t\nversion: '2'\ncodes:\n  - id: access\n    name: Access\n"
        "  - id: jail-fallback\n    name: Jail\n    renamed_from: jail\n"
        "  - id: csu\n    name: CSU\n    merged_into: access\n",
        encoding="utf-8",
    )
    load_into_project(project, v2)
    result = merge_packets(project, [paths["alice"]])
    assert result.added == 2
    assert get_decision(project, tid, 1, "alice").codes == {"jail-fallback"}
    assert get_decision(project, tid, 2, "alice").codes == {"access"}


def test_a_code_split_since_the_packet_was_made_is_merged_under_its_old_id_for_recoding(project, tmp_path):
    # The lead split "jail" into two codes while alice coded offline: "codebook load" kept the project's
    # own "jail" decisions for recoding, but her packet was refused ("codes not in the active codebook")
    # unless --force, which then said nothing of the split or of how to recode.
    from wei_qual.codebook import load_into_project

    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    _code_in_packet(paths["alice"], "alice", {(tid, 1): {"jail"}, (tid, 2): {"jail", "access"}})
    v2 = tmp_path / "v2.yaml"
    v2.write_text(
        "name: t\nversion: '2'\ncodes:\n  - id: access\n    name: Access\n  - id: csu\n    name: CSU\n"
        "  - id: jail-return\n    name: Returned\n  - id: jail-hold\n    name: Held\n"
        "  - id: jail\n    split_into: [jail-return, jail-hold]\n",
        encoding="utf-8",
    )
    load_into_project(project, v2)
    # A later version drops the stub: the project still remembers the split.
    v3 = tmp_path / "v3.yaml"
    v3.write_text(
        v2.read_text(encoding="utf-8").replace("version: '2'", "version: '3'").split("  - id: jail\n")[0]
    )
    load_into_project(project, v3)
    result = merge_packets(project, [paths["alice"]])
    assert result.added == 2
    assert get_decision(project, tid, 1, "alice").codes == {"jail"}  # kept as coded, not mapped
    assert get_decision(project, tid, 2, "alice").codes == {"jail", "access"}
    assert result.warnings == [
        (
            f'"{paths["alice"]}": "jail" was split into "jail-return", "jail-hold" since the packet was made: its 2 '
            'decisions keep "jail", which agree leaves out and the reports count apart (a row "jail", before '
            'split), until alice recodes them with "wei-qual code --coder alice --code jail".'
        )
    ]
    assert iter_audit(project, entity="packet")[-1]["after"]["kept_split"] == {"jail": 2}


def test_a_packet_carries_the_speakers_and_their_own_attributes(project, tmp_path):
    # A pair interview's speakers each have their own role: the packet left them out, so a coder coding
    # offline saw the transcript's attributes where the lead's session showed the speaker's.
    from wei_qual.store.transcripts import get_speaker_attributes, save_speaker_attributes

    assign(project, ["alice", "bob"], double=0.0, seed=0)
    tid = assigned_transcripts(project, "alice")[0]
    save_speaker_attributes(project, tid, "P", {"role": "clinician", "years": "6"})
    path = tmp_path / "alice.wqp"
    make_packet(project, "alice", path)
    packet = open_db(path)
    assert get_speaker_attributes(packet) == {(tid, "P"): {"role": "clinician", "years": "6"}}
    assert (
        packet.execute("SELECT COUNT(*) FROM speakers").fetchone()[0]
        == project.execute(
            f"SELECT COUNT(*) FROM speakers WHERE transcript_id IN ({', '.join('?' for _ in assigned_transcripts(project, 'alice'))})",
            assigned_transcripts(project, "alice"),
        ).fetchone()[0]
    )
    packet.close()
    assert merge_packets(project, [path]).added == 0  # the packet's speakers are not work to merge


def test_a_renamed_code_with_a_new_definition_is_named_when_merged(project, tmp_path):
    from wei_qual.codebook import load_into_project

    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    _code_in_packet(paths["alice"], "alice", {(tid, 1): {"jail"}})
    v2 = tmp_path / "v2.yaml"
    v2.write_text(
        "name: t\nversion: '2'\ncodes:\n  - id: access\n    name: Access\n  - id: csu\n    name: CSU\n"
        "  - id: jail-arrest\n    name: Arrest\n    definition: Arrested at the scene.\n    renamed_from: jail\n",
        encoding="utf-8",
    )
    load_into_project(project, v2)
    result = merge_packets(project, [paths["alice"]])
    assert get_decision(project, tid, 1, "alice").codes == {"jail-arrest"}
    assert "changes the name or definition of jail-arrest:" in result.warnings[0]


def test_memos_the_coder_removed_in_the_packet_are_removed_on_merge_three_way(project, tmp_path):
    # alice starts over on her laptop ("wei-qual coders remove alice --db alice.wqp"): her decisions were
    # removed in the project on merge, but her memos came back on the next packet as if never deleted.
    from wei_qual.coders import remove_coder_everywhere
    from wei_qual.store.decisions import delete_memo, iter_memos, save_memo

    assign(project, ["alice", "bob"], double=0, seed=0)
    tids = assigned_transcripts(project, "alice")
    for tid in tids[:3]:
        save_memo(project, "alice", "transcript", tid, f"Memo on {tid}.")
    save_memo(project, "alice", "code", "csu", "Admission depends on the night shift.")
    path = tmp_path / "alice.wqp"
    make_packet(project, "alice", path)
    packet = open_db(path)
    remove_coder_everywhere(packet, "alice", actor="alice")  # every memo of hers in the packet is gone
    save_memo(packet, "alice", "segment", f"{tids[0]}:2", "A new thought after starting over.")
    packet.close()
    # Meanwhile in the office: the lead's copy of one memo is rewritten, another deleted.
    save_memo(project, "alice", "transcript", tids[1], "Memo on it, with the audio checked.")
    delete_memo(project, "alice", "transcript", tids[2], actor="lead")
    result = merge_packets(project, [path])
    assert (result.memos, result.memos_deleted) == (1, 2)
    assert result.conflicts == [
        f"memo transcript:{tids[1]}:alice (both changed: deleted in the packet, project kept)"
    ]
    assert iter_memos(project, "alice") == {
        ("segment", f"{tids[0]}:2"): "A new thought after starting over.",
        ("transcript", tids[1]): "Memo on it, with the audio checked.",
    }
    deleted = [r for r in iter_audit(project, entity="memo") if r["action"] == "delete"]
    assert {(r["entity_id"], r["before"]["text"], r["actor"]) for r in deleted} == {
        (f"transcript:{tids[2]}:alice", f"Memo on {tids[2]}.", "lead"),
        (f"transcript:{tids[0]}:alice", f"Memo on {tids[0]}.", "alice (packet alice.wqp)"),
        ("code:csu:alice", "Admission depends on the night shift.", "alice (packet alice.wqp)"),
    }
    merge = [r for r in iter_audit(project, entity="packet") if r["action"] == "merge"][-1]
    assert merge["after"]["memos_deleted"] == 2
    again = merge_packets(project, [path])  # settled: nothing changes, nothing is listed
    assert (again.memos, again.memos_deleted, again.conflicts) == (0, 0, [])
    forced = merge_packets(project, [path], prefer="packet")  # the conflict was settled by the first merge
    assert (forced.memos_deleted, forced.conflicts) == (0, [])


def test_a_memo_deleted_in_the_project_and_rewritten_in_the_packet_is_a_conflict(project, tmp_path):
    # It used to come back without a word: the lead's deletion was undone by the coder's later edit.
    from wei_qual.store.decisions import delete_memo, iter_memos, save_memo

    assign(project, ["alice", "bob"], double=0, seed=0)
    tid = assigned_transcripts(project, "alice")[0]
    save_memo(project, "alice", "transcript", tid, "Loud room.")
    path = tmp_path / "alice.wqp"
    make_packet(project, "alice", path)
    packet = open_db(path)
    save_memo(packet, "alice", "transcript", tid, "Loud room; the fan.")
    packet.close()
    delete_memo(project, "alice", "transcript", tid, actor="lead")
    result = merge_packets(project, [path])
    assert result.conflicts == [
        f"memo transcript:{tid}:alice (both changed: deleted in the project, kept deleted)"
    ]
    assert iter_memos(project, "alice") == {}
    row = [r for r in iter_audit(project, entity="packet") if r["action"] == "merge"][-1]
    assert row["after"]["packet_copies_set_aside"] == [
        {"memo": f"transcript:{tid}", "text": "Loud room; the fan."}
    ]


def test_a_packet_restored_from_a_backup_and_coded_further_merges_only_its_new_work(project, tmp_path):
    # alice's laptop died; she restored last week's backup of alice.wqp and coded on. Its audit log
    # outgrew the copy merged meanwhile, so it passed as the newer copy: decisions and the memo merged
    # from the lost copy were deleted as "removed in the packet", and her new edit of a decision the lost
    # copy had also changed was dropped as unchanged (same revision number), all without a word.
    from wei_qual.store.decisions import iter_memos, save_memo

    assign(project, ["alice", "bob"], double=0, seed=0)
    t = assigned_transcripts(project, "alice")
    path = tmp_path / "alice.wqp"
    make_packet(project, "alice", path)
    _code_in_packet(path, "alice", {(t[0], 1): {"jail"}, (t[0], 2): {"jail"}})
    backup = path.read_bytes()  # the laptop's backup
    _code_in_packet(path, "alice", {(t[0], 1): {"csu"}, (t[0], 2): {"csu"}, (t[1], 1): {"access"}})
    packet = open_db(path)
    save_memo(packet, "alice", "transcript", t[1], "Two officers in the room.")
    packet.close()
    merge_packets(project, [path])  # the copy that was lost with the laptop
    path.write_bytes(backup)  # restored
    restored = {(t[2], 1): {"access"}, (t[2], 2): {"jail"}, (t[3], 1): {"csu"}, (t[3], 2): {"access"}}
    _code_in_packet(path, "alice", {**restored, (t[0], 2): {"access"}})
    result = merge_packets(project, [path])
    assert (result.added, result.updated, result.deleted, result.memos_deleted) == (4, 0, 0, 0)
    assert result.conflicts == [f"{t[0]}:2:alice (both changed, project kept)"]
    assert {(d.transcript, d.segment): set(d.codes) for d in iter_decisions(project, coders=["alice"])} == {
        (t[0], 1): {"csu"},  # the lost copy's, newer than the backup's {"jail"}
        (t[0], 2): {"csu"},  # changed in both since the backup: the project's kept, the conflict listed
        (t[1], 1): {"access"},
        **restored,
    }
    assert iter_memos(project, "alice") == {("transcript", t[1]): "Two officers in the room."}
    assert any(w.startswith(f'"{path}" was coded on from an earlier copy') for w in result.warnings)
    row = [r for r in iter_audit(project, entity="packet") if r["action"] == "merge"][-1]
    assert row["after"]["packet_copies_set_aside"] == [
        {"decision": f"{t[0]}:2:alice", "codes": ["access"], "note": "", "decided_utc": ANY}
    ]
    # The restored copy is the packet now: coded further, it merges as any packet does.
    _code_in_packet(path, "alice", {(t[4], 1): {"jail"}})
    again = merge_packets(project, [path])
    assert (again.added, again.updated, again.deleted, again.conflicts) == (1, 0, 0, [])
    assert not any("earlier copy" in w for w in again.warnings)
    assert get_decision(project, t[1], 1, "alice").codes == {"access"}


def test_codes_moved_by_a_version_between_the_packets_and_the_active_one_come_in_under_their_ids(
    project, tmp_path
):
    # A packet coded under version 1 came back when the project was at version 3: version 2 had renamed
    # "jail" to "jail-fallback" and merged "csu" into "access"; version 3 renamed "jail-fallback" again and,
    # as the docs allow, no longer carried the merged stub. Only the active version's moves were read, so
    # the merge refused "jail" and "csu" (or, with --force, kept ids nothing counts).
    from wei_qual.codebook import load_into_project

    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    _code_in_packet(paths["alice"], "alice", {(tid, 1): {"jail"}, (tid, 2): {"csu"}})
    v2, v3 = tmp_path / "v2.yaml", tmp_path / "v3.yaml"
    v2.write_text(
        "name: t\nversion: '2'\ncodes:\n  - id: access\n    name: Access\n"
        "  - id: jail-fallback\n    name: Jail\n    renamed_from: jail\n"
        "  - id: csu\n    name: CSU\n    merged_into: access\n",
        encoding="utf-8",
    )
    v3.write_text(
        "name: t\nversion: '3'\ncodes:\n  - id: access\n    name: Access\n"
        "  - id: jail-return\n    name: Jail\n    renamed_from: jail-fallback\n",
        encoding="utf-8",
    )
    load_into_project(project, v2)
    load_into_project(project, v3)
    result = merge_packets(project, [paths["alice"]])
    assert result.added == 2
    assert get_decision(project, tid, 1, "alice").codes == {"jail-return"}
    assert get_decision(project, tid, 2, "alice").codes == {"access"}
    # "csu" now counts for "access", which means more than the coder chose: said, as for one version.
    assert "definition of access" in result.warnings[0]


def test_a_packet_decision_holding_two_codes_of_a_group_made_exclusive_since_is_merged_and_said(
    project, tmp_path
):
    # The coder chose "jail" and "csu" together under version 1; version 2 put both in an exclusive group.
    # The merge took the decision in with no word, and agreement read "csu+jail" as a value of its own.
    from wei_qual.codebook import load_into_project

    paths = _packets(project, tmp_path)
    tid = assigned_transcripts(project, "alice")[0]
    _code_in_packet(paths["alice"], "alice", {(tid, 1): {"jail", "csu"}, (tid, 2): {"jail"}})
    v2 = tmp_path / "v2.yaml"
    v2.write_text(
        "name: t\nversion: '2'\ncodes:\n  - id: access\n    name: Access\n  - id: place\n    name: Place\n"
        "    exclusive: true\n    children:\n      - id: jail\n        name: Jail\n      - id: csu\n"
        "        name: CSU\n",
        encoding="utf-8",
    )
    load_into_project(project, v2)
    result = merge_packets(project, [paths["alice"]])
    assert result.added == 2
    assert get_decision(project, tid, 1, "alice").codes == {"jail", "csu"}
    expected = (
        f'"{paths["alice"]}" was coded under an earlier codebook version, and 1 of its decisions hold two codes '
        f"of a group the active one makes exclusive ({tid}:1): merged as coded; agreement counts each such pair "
        f'as a value of its own until they are recoded ("wei-qual code --coder alice --recode --from {tid}:1").'
    )
    assert [w for w in result.warnings if "exclusive" in w] == [expected]
