"""`wei-qual reconcile` through CliRunner: the lead walks alice and bob's disagreements."""

from __future__ import annotations

import json

import pytest
from _agree_project import add_transcript, build
from _coding_project import INTERVIEW, scripted_lines

from wei_qual.cli import app
from wei_qual.models import Decision
from wei_qual.store import iter_audit, open_db
from wei_qual.store.assignments import replace_assignments
from wei_qual.store.decisions import iter_decisions, save_decision


@pytest.fixture
def project(db_path):
    db = open_db(db_path)
    build(db)
    db.close()
    return db_path


def consensus(project, name="consensus"):
    db = open_db(project)
    return {
        (d.transcript, d.segment): (sorted(d.codes), d.rationale) for d in iter_decisions(db, coders=[name])
    }


def reconcile(runner, project, *args, input=None, exit_code=0):
    result = runner.invoke(
        app,
        ["reconcile", "--db", str(project), "--coder", "lead", *args],
        input=input,
        catch_exceptions=exit_code != 0,
    )
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    return result


def test_the_reconcile_flow(runner, project):
    keys = (
        "1\n"  # p01:3 — toggle beds (listed codes: 1 beds, 2 jail; jail pre-chosen, agreed by both)
        "\n"  # save
        "beds are named\n"  # the rationale prompt
        "s\n"  # p01:4 — skip
        "r hospital took him\n"  # p02:4 — rationale first
        "2\n"  # toggle hospital
        "\n"  # save, no second prompt
    )
    result = reconcile(runner, project, "--coders", "alice,bob", "--accept-agreed", input=keys)
    assert consensus(project) == {
        ("p01", 2): (["wait"], "agreed by alice, bob [copied by reconcile --accept-agreed]"),
        ("p01", 3): (["beds", "jail"], "beds are named"),
        ("p01", 5): (["hospital", "wait"], "agreed by alice, bob [copied by reconcile --accept-agreed]"),
        ("p02", 2): (["jail"], "agreed by alice, bob [copied by reconcile --accept-agreed]"),
        ("p02", 3): ([], "agreed by alice, bob [copied by reconcile --accept-agreed]"),
        ("p02", 4): (["beds", "hospital"], "hospital took him"),
    }
    out = result.stdout
    assert "No beds [inaudible] so he went to jail." in out  # escaped, brackets kept
    assert "p01  role=officer  setting=rural   segment 3   disagreement 1 of 3 (saving as consensus)" in out
    assert "p02  role=provider  setting=urban   segment 4   disagreement 3 of 3 (saving as consensus)" in out
    assert "Chosen: beds, jail" in out
    assert result.stderr == (
        "Copied 4 agreed segments into consensus.\n"
        "Done: reconciled 2 of 3 disagreements into consensus (1 skipped); 1 left, run the same command to resume.\n"
    )
    actors = {
        r["actor"]
        for r in iter_audit(open_db(project), entity="decision")
        if r["entity_id"].endswith(":consensus")
    }
    assert actors == {"lead"}

    # A second run resumes with the skipped segment only; quitting saves nothing more. With a disagreement
    # left, agree is not suggested: consensus then holds the agreed copies and a coder "agrees" with it
    # on every unit (alpha 1.000, reliable), as a lead who quit with Ctrl-C was told to measure.
    result = reconcile(runner, project, "--coders", "alice,bob", input="q\n")
    assert "segment 4   disagreement 1 of 1" in result.stdout
    assert result.stderr == (
        "Stopped: reconciled 0 of 1 disagreement into consensus; 1 left, run the same command to resume.\n"
    )
    # The third settles it: now a coder can be compared with consensus.
    result = reconcile(runner, project, "--coders", "alice,bob", input="0\nit depends on the night\n")
    assert result.stderr == (
        "Done: reconciled 1 of 1 disagreement into consensus.\n"
        f'Compare a coder with it: "wei-qual agree --coders alice,consensus --db {project}".\n'
    )

    # Afterwards, agree compares a coder with consensus.
    agreement = runner.invoke(
        app,
        [
            "agree",
            "--db",
            str(project),
            "--coders",
            "alice,consensus",
            "--format",
            "json",
            "--bootstrap",
            "0",
        ],
        catch_exceptions=False,
    )
    data = json.loads(agreement.stdout)
    assert data["coders"] == ["alice", "consensus"] and data["units"] == 7
    beds = next(c for c in data["codes"] if c["code"] == "beds")
    assert beds["percent_agreement"] == 1.0 and beds["alpha"] == 1.0


def test_show_every_coder_side_by_side(runner, project):
    result = reconcile(runner, project, input="q\n")
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    header = next(line for line in lines if line.lstrip().startswith("#"))
    assert header.split() == ["#", "code", "name", "alice", "bob", "carol", "chosen"]
    # Each coder's mark sits under the coder's name: alice and carol applied beds, bob did not.
    row = next(line for line in lines if line.split()[:3] == ["1", "beds", "Beds"])
    marks = {
        name: row[header.index(name) - 1 : header.index(name) + len(name) + 1].strip()
        for name in ("alice", "bob", "carol")
    }
    assert marks == {"alice": "✓", "bob": "", "carol": "✓"}
    assert result.stderr.startswith("Stopped: reconciled 0 of 5 disagreements into consensus;")


def test_end_of_input_saves_nothing(runner, project):
    result = reconcile(runner, project, "--coders", "alice,bob", input="1\n")
    assert consensus(project) == {}
    # Nothing in consensus yet, so nothing to compare a coder with.
    assert result.stderr == (
        "Stopped: reconciled 0 of 3 disagreements into consensus; 3 left, run the same command to resume.\n"
    )


def test_an_exclusive_group_and_a_theme_are_refused_as_the_coding_session_refuses_them(runner, project):
    # Reconcile only noted a second code of an exclusive group, and took a theme's id as a code: consensus
    # saved either, and its export was then refused by import ("both in exclusive group").
    keys = "hospital\nplace\n-jail hospital\n\nthe hospital took him\nq\n"
    result = reconcile(runner, project, "--coders", "alice,bob", input=keys)
    said = " ".join(result.stdout.split())
    assert (
        '"hospital" and "jail" are both in exclusive group "place", which takes one code. Remove it first with '
        "-jail. Nothing changed."
    ) in said
    assert (
        '"place" is a theme heading, not a code. Choose one of its codes: jail, hospital. Nothing changed.'
        in said
    )
    assert consensus(project) == {("p01", 3): (["hospital"], "the hospital took him")}


def test_agreed_codes_breaking_a_group_made_exclusive_later_are_never_consensus(runner, project):
    # Decided before a codebook made "place" exclusive (loaded with --force): the coders' agreed codes hold
    # jail and hospital. Copied or saved as they were, consensus held both, and import refused its export.
    db = open_db(project)
    for coder in ("alice", "bob"):
        save_decision(db, Decision("p02", 2, coder, frozenset({"jail", "hospital"})))
        # A code a later version gave codes under it, a theme heading now: no consensus either.
        save_decision(db, Decision("p02", 3, coder, frozenset({"place"})))
    save_decision(db, Decision("p01", 3, "alice", frozenset({"beds", "jail", "hospital"})))
    save_decision(db, Decision("p01", 3, "bob", frozenset({"jail", "hospital"})))
    db.close()
    result = reconcile(
        runner, project, "--coders", "alice,bob", "--accept-agreed", input="\n-jail\n\nr1\nq\n"
    )
    assert ("p02", 2) not in consensus(project) and ("p02", 3) not in consensus(project)
    assert (
        "Warning: 2 segments (p02:2, p02:3) were not copied into consensus: the coders' codes hold two codes of one "
        "exclusive group, or a code that is a theme heading now (decided under an earlier codebook version), "
        "which consensus cannot hold. Recode "
        f'them ("wei-qual code --coder NAME --recode --from p02:2 --db {project}"), then run reconcile again.'
    ) in " ".join(result.stderr.split())
    said = " ".join(result.stdout.split())
    # p01:3 opens with both agreed codes chosen: said at once, and Enter refuses to save them.
    assert 'Note: hospital and jail are in the exclusive group "place": pick one before saving.' in said
    assert (
        'hospital and jail are both in exclusive group "place", which takes one code: remove one (-jail) before '
        "saving. Nothing saved."
    ) in said
    assert consensus(project)[("p01", 3)] == (["hospital"], "r1")


def test_a_consensus_saved_before_a_group_was_made_exclusive_is_said_until_walked_again(
    runner, project, tmp_path
):
    # Saved before a codebook made "place" exclusive (loaded with --force): reconcile and the export said
    # nothing, and the exported consensus was refused by import ("both in exclusive group") at the hand-over.
    db = open_db(project)
    save_decision(
        db, Decision("p02", 4, "consensus", frozenset({"jail", "hospital"}), rationale="both"), actor="lead"
    )
    db.close()
    out = tmp_path / "consensus.csv"
    export = ["decisions", "export", "--coder", "consensus", "-o", str(out), "--db", str(project)]
    said = " ".join(runner.invoke(app, export).stderr.split())
    assert (
        'Warning: 1 decision holds what "decisions import" refuses under the active codebook (decided before a '
        'version changed it): p02:4 consensus (codes "hospital" and "jail" are both in exclusive group "place"). '
        'Exported, it does not import again until recoded: "wei-qual reconcile --coder LEAD --revisit'
    ) in said
    refused = runner.invoke(app, ["decisions", "import", str(out), "--db", str(project)])
    assert refused.exit_code == 1 and "exclusive group" in refused.stderr
    walk = reconcile(runner, project, "--coders", "alice,bob", "--revisit", input="g p02:4\n-jail\n\nq\n")
    assert "1 decision holds what" in " ".join(walk.stderr.split()).split("Stopped")[0]
    assert consensus(project)[("p02", 4)] == (["hospital"], "both")
    assert "holds what" not in runner.invoke(app, export).stderr
    again = runner.invoke(app, ["decisions", "import", str(out), "--db", str(project)])
    assert again.exit_code == 0, again.stderr
    assert "holds what" not in reconcile(runner, project, "--coders", "alice,bob", "--no-interactive").stderr


def test_unknown_code_keeps_the_screen(runner, project):
    result = reconcile(runner, project, "--coders", "alice,bob", input="zzz\nq\n")
    assert '"zzz" is neither a number from the list nor a code id. Nothing changed.' in result.stdout


def test_code_prefixes_work_as_in_the_coding_session(runner, project):
    # p01:3 lists 1 beds, 2 jail, jail chosen: a prefix (any case) names a code as it does when coding.
    reconcile(runner, project, "--coders", "alice,bob", input="+be -JAI\nr typed prefixes\n\nq\n")
    assert consensus(project) == {("p01", 3): (["beds"], "typed prefixes")}


def test_an_ambiguous_prefix_lists_the_codes_and_changes_nothing(runner, project):
    result = reconcile(runner, project, "--coders", "alice,bob", input="+wai ed\nq\n")
    assert '"ed" matches 2 codes: beds, unused. Type more of the id. Nothing changed.' in result.stdout
    assert "Chosen: jail\n" in result.stdout.split("disagreement 1 of 3")[-1]  # +wai was not applied
    assert consensus(project) == {}


def test_accept_agreed_non_interactive(runner, project):
    result = reconcile(
        runner, project, "--coders", "alice,bob", "--as", "final", "--accept-agreed", "--no-interactive"
    )
    assert result.stdout == ""
    assert result.stderr == "Copied 4 agreed segments into final.\n"
    assert len(consensus(project, "final")) == 4


def test_accept_agreed_with_no_input_finishes(runner, project):
    result = reconcile(runner, project, "--coders", "alice,bob", "--accept-agreed", input="")
    assert len(consensus(project)) == 4
    assert result.stderr.splitlines()[0] == "Copied 4 agreed segments into consensus."


def test_nothing_left_to_reconcile(runner, project):
    reconcile(runner, project, "--coders", "alice,bob", input="\n\n0\n\n\n\n")  # p01:4: none in common
    result = reconcile(runner, project, "--coders", "alice,bob")
    assert result.stderr == "No disagreements left to reconcile among alice, bob.\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--coders", "alice,bob", "--as", "bob"],
            '--as "bob" is one of the coders being reconciled. Store consensus under another name, e.g. --as consensus.',
        ),
        (  # names ignore case: "BOB" is bob, who may not hold consensus either
            ["--coders", "alice,bob", "--as", "BOB"],
            '--as "bob" is one of the coders being reconciled. Store consensus under another name, e.g. --as consensus.',
        ),
        (
            ["--coders", "alice,zed"],
            'Unknown coder "zed" in --coders. Known coders: alice, bob, carol. Check the spelling.',
        ),
    ],
)
def test_errors(runner, project, args, message):
    result = reconcile(runner, project, *args, "--accept-agreed", exit_code=1)
    assert result.stderr.splitlines()[-1] == f"Error: {message}"
    assert consensus(project) == {} and consensus(project, "bob") == {
        (t, n): (sorted(c), "") for (t, n), c in __import__("_agree_project").DECISIONS["bob"].items()
    }


def test_accept_single_takes_the_single_coded_share_as_coded(runner, project):
    # A study double-codes a share: consensus only ever held the double-coded turns, so reports read
    # from it left the rest of the study out, and no command could put it in.
    db = open_db(project)
    add_transcript(db, "p03", {"role": "officer", "setting": "urban"})
    save_decision(db, Decision("p03", 2, "alice", frozenset({"wait"})))
    save_decision(db, Decision("p03", 3, "alice", frozenset()))
    db.close()
    result = reconcile(runner, project, "--coders", "alice,bob", "--accept-single", "--no-interactive")
    # p02:5 is alice's alone, but bob codes p02 too: it waits for him.
    assert result.stderr == (
        "Copied 2 single-coded segments into consensus, as their coder coded them. 1 segment of "
        "double-coded transcripts has one coder so far: left for the second.\n"
    )
    assert consensus(project) == {
        ("p03", 2): (["wait"], "single-coded by alice [copied by reconcile --accept-single]"),
        ("p03", 3): ([], "single-coded by alice [copied by reconcile --accept-single]"),
    }
    again = reconcile(runner, project, "--coders", "alice,bob", "--accept-single", "--no-interactive")
    assert again.stderr.startswith("Copied 0 single-coded segments")


def test_accept_single_leaves_a_transcript_assigned_to_two_coders(runner, project):
    db = open_db(project)
    add_transcript(db, "p03", {"role": "officer", "setting": "urban"})
    save_decision(db, Decision("p03", 2, "alice", frozenset({"wait"})))
    replace_assignments(db, {"p03": ["alice", "bob"]}, {"p03"}, actor="lead")
    db.close()
    result = reconcile(runner, project, "--coders", "alice,bob", "--accept-single", "--no-interactive")
    assert result.stderr.startswith(
        "Copied 0 single-coded segments into consensus, as their coder coded them. 2 "
    )
    assert consensus(project) == {}


def test_a_code_the_codebook_removed_is_listed_but_never_chosen(runner, project):
    # Both coders applied "retired" under an earlier version: it was pre-chosen and saved into consensus,
    # a new decision holding a code no report counts.
    db = open_db(project)
    save_decision(db, Decision("p01", 3, "alice", frozenset({"beds", "jail", "retired"})))
    save_decision(db, Decision("p01", 3, "bob", frozenset({"jail", "retired"})))
    db.close()
    result = reconcile(runner, project, "--coders", "alice,bob", input="+retired\nq\n")
    assert "(not in the codebook)" in result.stdout
    assert "Chosen: jail\n" in result.stdout
    assert (
        '"retired" is not in the active codebook (an earlier version had it), so consensus cannot take it.'
        in result.stdout
    )
    reconcile(runner, project, "--coders", "alice,bob", input="\nboth wrote jail\nq\n")
    assert consensus(project)[("p01", 3)] == (["jail"], "both wrote jail")


def test_a_copy_the_coders_have_moved_away_from_is_walked_or_copied_again(runner, project):
    # --accept-agreed copied p01:2 ("wait", agreed by alice and bob); then alice recoded it. Consensus
    # kept the old copy, reconcile never showed the new disagreement, and reports counted the old codes.
    reconcile(runner, project, "--coders", "alice,bob", "--accept-agreed", "--no-interactive")
    db = open_db(project)
    add_transcript(db, "p03", {"role": "officer", "setting": "urban"})
    save_decision(db, Decision("p03", 2, "alice", frozenset({"wait"})))
    db.close()
    reconcile(runner, project, "--coders", "alice,bob", "--accept-single", "--no-interactive")
    db = open_db(project)
    save_decision(db, Decision("p01", 2, "alice", frozenset({"wait", "beds"})))  # now disputed
    save_decision(db, Decision("p03", 2, "alice", frozenset({"beds"})))  # her single-coded turn, recoded
    db.close()

    report = runner.invoke(app, ["report", "themes", "--db", str(project)])
    assert (
        "Warning: 2 consensus decisions on participant turns were copied from coders' decisions that have changed since, so the "
        "counts there are of codes the coders no longer give." in " ".join(report.stderr.split())
    )
    again = reconcile(runner, project, "--coders", "alice,bob", "--accept-single", "--no-interactive")
    assert again.stderr.startswith("Copied 1 single-coded segments")
    assert consensus(project)[("p03", 2)] == (
        ["beds"],
        "single-coded by alice [copied by reconcile --accept-single]",
    )
    walk = reconcile(runner, project, "--coders", "alice,bob", input="q\n")
    assert "p01  role=officer  setting=rural   segment 2   disagreement 1 of 4" in walk.stdout
    reconcile(runner, project, "--coders", "alice,bob", input="\nalice is right\nq\n")
    assert consensus(project)[("p01", 2)] == (["wait"], "alice is right")
    assert "changed since" not in runner.invoke(app, ["report", "themes", "--db", str(project)]).stderr


def test_the_copies_leave_turns_holding_a_removed_code_for_recoding(runner, project):
    # --accept-agreed and --accept-single copied "retired" into consensus, stamped with the active
    # version, where the walk refuses it.
    db = open_db(project)
    save_decision(db, Decision("p01", 2, "alice", frozenset({"wait", "retired"})))
    save_decision(db, Decision("p01", 2, "bob", frozenset({"wait", "retired"})))
    add_transcript(db, "p03", {"role": "officer", "setting": "urban"})
    save_decision(db, Decision("p03", 2, "alice", frozenset({"retired"})))
    save_decision(db, Decision("p03", 3, "alice", frozenset({"wait"})))
    # "retired" was a code of version 1; version 2 (the active one) has it no more.
    from _agree_project import CODEBOOK

    from wei_qual.store.codebooks import save_codebook_version

    save_codebook_version(db, CODEBOOK, "name: Test\nversion: 2\n")
    db.close()
    result = reconcile(
        runner, project, "--coders", "alice,bob", "--accept-agreed", "--accept-single", "--no-interactive"
    )
    assert result.stderr.startswith("Warning: decisions hold codes the active codebook does not have")
    copied = consensus(project)
    assert ("p01", 2) not in copied and ("p03", 2) not in copied
    assert copied[("p03", 3)] == (["wait"], "single-coded by alice [copied by reconcile --accept-single]")


def test_piped_the_screen_has_no_rule_as_wide_as_data_may_be(runner, project):
    out = reconcile(runner, project, "--coders", "alice,bob", input="q\n").stdout
    assert max(map(len, out.splitlines())) < 400


def test_a_copy_is_followed_through_a_rename_a_comma_and_never_confused_with_the_leads_words(runner, project):
    # The stale check read the coders' names in the rationale: a renamed coder's later change passed
    # unseen, "smith, j" was split in two, and a lead's own "agreed by ..." was taken for a copy.
    reconcile(runner, project, "--coders", "alice,bob", "--accept-agreed", "--no-interactive")
    assert runner.invoke(app, ["coders", "rename", "bob", "smith, j", "--db", str(project)]).exit_code == 0
    db = open_db(project)
    save_decision(db, Decision("p01", 2, "smith, j", frozenset({"beds"})))  # was "wait", as copied
    db.close()
    assert (
        "1 consensus decision on participant turns was copied"
        in runner.invoke(app, ["report", "themes", "--db", str(project)]).stderr
    )
    # Every coder (a name with a comma cannot be listed in --coders): p01:2 is disputed now.
    walk = reconcile(runner, project, input="r agreed by alice, bob at the meeting\n0\nq\n")
    assert "segment 2   disagreement 1 of" in walk.stdout
    chosen = consensus(project)[("p01", 2)]
    assert chosen[1] == "agreed by alice, bob at the meeting"  # the lead's words: no copy, however they read
    assert "copied from coders" not in runner.invoke(app, ["report", "themes", "--db", str(project)]).stderr
    # The lead's decision stays, whatever the coders do next.
    db = open_db(project)
    save_decision(db, Decision("p01", 2, "smith, j", frozenset({"wait"})))
    db.close()
    reconcile(runner, project, "--accept-agreed", "--no-interactive")
    assert consensus(project)[("p01", 2)] == chosen


def test_accept_single_counts_coders_not_named_in_coders(runner, project):
    # With --coders bob, every turn of bob's was "single-coded by bob", though alice decided them too.
    result = reconcile(runner, project, "--coders", "bob", "--accept-single", "--no-interactive")
    assert result.stderr.startswith("Copied 0 single-coded segments")
    assert consensus(project) == {}


def test_a_consensus_stored_under_another_name_is_said_to_be_partial(runner, project):
    # With --as final, reports read from final said nothing of the turns it had not decided.
    reconcile(
        runner, project, "--coders", "alice,bob", "--as", "final", "--accept-agreed", "--no-interactive"
    )
    report = runner.invoke(app, ["report", "themes", "--source", "final", "--db", str(project)])
    assert " ".join(report.stderr.split()).startswith(
        "Warning: final has decided 4 of the 8 participant turns the coders decided, and the counts leave out "
        "the other 4. Percentages are of the 2 participants it has decided a turn of (N=2). Reconcile the 3 "
        'double-coded turns ("wei-qual reconcile --coder LEAD --as final --db'
    )


# A project built as a team builds one: interviews ingested, the minimal codebook loaded, two coders'
# spreadsheets imported (p03 coded by alice alone), then a version without csu-refusal loaded with --force.
CODING = (
    "transcript,segment,coder,codes,note\r\n"
    "p01,2,alice,csu-admission,\r\n"  # agreed: copied
    "p01,4,alice,csu-refusal,\r\n"  # agreed on the removed code: waits for a recode
    "p01,6,alice,co-responder,\r\n"  # disputed: walked
    "p02,2,alice,csu-admission,\r\n"  # disputed: walked
    "p02,4,alice,csu-refusal,\r\n"  # disputed, one side removed: walked, the lead chooses
    "p02,6,alice,co-responder,\r\n"  # agreed: copied
    "p03,2,alice,csu-refusal,\r\n"  # single-coded, removed: waits for a recode
    "p03,4,alice,co-responder,\r\n"  # single-coded: --accept-single
    "p03,6,alice,csu-admission,\r\n"  # single-coded: --accept-single
    "p01,2,bob,csu-admission,\r\n"
    "p01,4,bob,csu-refusal,\r\n"
    "p01,6,bob,co-responder;stance-supportive,\r\n"
    "p02,2,bob,,\r\n"
    "p02,4,bob,co-responder,\r\n"
    "p02,6,bob,co-responder,\r\n"
)


@pytest.fixture
def revised(runner, tmp_path):
    from pathlib import Path

    db = tmp_path / "study.db"
    for tid in ("p01", "p02", "p03"):
        (tmp_path / f"{tid}.txt").write_text(INTERVIEW.format(P=tid.upper()), encoding="utf-8")
    (tmp_path / "coding.csv").write_text(CODING, encoding="utf-8")
    codebook = tmp_path / "study.yaml"
    text = (Path(__file__).resolve().parent.parent / "codebooks" / "minimal.yaml").read_text(encoding="utf-8")
    codebook.write_text(text, encoding="utf-8")
    steps = [
        ["ingest", *(tmp_path / f"{tid}.txt" for tid in ("p01", "p02", "p03"))],
        ["codebook", "load", codebook],
        ["decisions", "import", tmp_path / "coding.csv"],
    ]
    for args in steps:
        result = runner.invoke(app, [*map(str, args), "--db", str(db)])
        assert result.exit_code == 0, result.stderr
    start = text.index("      - id: csu-refusal")  # the last code of its theme: removed, its decisions kept
    codebook.write_text(text[:start] + text[text.index("  - id: civilian-response") :], encoding="utf-8")
    result = runner.invoke(app, ["codebook", "load", str(codebook), "--force", "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    return db


def _partial(runner, db) -> str:
    """The partial-consensus warning of a report read from consensus, on one line."""
    stderr = runner.invoke(app, ["report", "themes", "--db", str(db)]).stderr
    [line] = [
        line for line in " ".join(stderr.split()).split("Warning: ") if line.startswith("consensus has")
    ]
    return line


def _methods(runner, db) -> tuple[str, dict]:
    args = ["report", "methods", "--bootstrap", "0", "--db", str(db)]
    passage = " ".join(runner.invoke(app, args).stdout.split())
    data = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    return passage, data["sample"]["consensus_gaps"]


def test_turns_waiting_for_a_recode_are_told_apart_from_those_reconcile_fills(runner, revised):
    # Every turn consensus lacked was "reconcile the N double-coded turns" or "take the N single-coded
    # turns": those holding a code the codebook removed, which reconcile never takes, among them.
    result = reconcile(runner, revised, "--accept-agreed", "--no-interactive")
    assert result.stderr.splitlines()[1:] == [
        "Copied 2 agreed segments into consensus.",
        (
            "2 participant turns coded with a code the active codebook removed or made a theme heading are left out of consensus: "
            f'reconcile never takes such a code. Recode them first ("wei-qual code --coder NAME --recode --db {revised}").'
        ),
    ]
    assert _partial(runner, revised) == (
        "consensus has decided 2 of the 9 participant turns the coders decided, and the counts leave out the "
        "other 7. Percentages are of the 2 participants it has decided a turn of (N=2): 1 of the 3 the coders "
        f'decided is not among them. Reconcile the 3 double-coded turns ("wei-qual reconcile --coder LEAD --db {revised}"), take '
        f'the 2 single-coded turns as coded ("wei-qual reconcile --coder LEAD --accept-single --no-interactive '
        f'--db {revised}") and recode the 2 turns coded with a code the active codebook removed or made a theme heading, which '
        f'reconcile never takes ("wei-qual code --coder NAME --recode --db {revised}"), or pass --source '
        "majority or union."
    )
    passage, gaps = _methods(runner, revised)
    assert gaps == {"double_coded": 3, "single_coded": 2, "recode": 2}
    assert (
        "[Consensus so far covers 2 of the 9 participant turns the coders decided: the counts leave out the "
        "others. Reconcile the 3 double-coded turns, take the 2 single-coded turns as coded (reconcile "
        "--accept-single) and recode the 2 turns coded with a code the active codebook removed or made a theme heading (code --recode) "
        "before reporting.]"
    ) in passage


def test_reconcile_is_not_suggested_when_it_can_fill_none_of_the_turns_left(runner, revised):
    # With every disagreement walked and the single-coded turns taken, the warning still said "Reconcile
    # them": the lead ran reconcile, which found nothing, and the counts stayed short.
    reconcile(runner, revised, "--accept-agreed", "--accept-single", "--no-interactive")
    walk = reconcile(runner, revised, input="\nagreed\n" + "0\nagreed\n" * 2)  # p02:2, p02:4: none in common
    assert "Done: reconciled 3 of 3 disagreements into consensus." in walk.stderr
    warning = _partial(runner, revised)
    assert warning == (
        "consensus has decided 7 of the 9 participant turns the coders decided, and the counts leave out the "
        "other 2. Percentages are of the 3 participants it has decided a turn of (N=3). Recode the 2 turns coded with a code the active codebook removed or made a theme heading, which reconcile never takes "
        f'("wei-qual code --coder NAME --recode --db {revised}"), or pass --source majority or union.'
    )
    assert "wei-qual reconcile" not in warning
    passage, gaps = _methods(runner, revised)
    assert gaps == {"double_coded": 0, "single_coded": 0, "recode": 2}
    assert (
        "the counts leave out the others. Recode the 2 turns coded with a code the active codebook removed or made a theme heading "
        "(code --recode) before reporting.]"
    ) in passage
    again = reconcile(runner, revised, input="q\n")
    assert "No disagreements left to reconcile among alice, bob." in again.stderr
    assert (
        "2 participant turns coded with a code the active codebook removed or made a theme heading are left out"
        in again.stderr
    )
    # Once the coders recode them, they are the copies' again and nothing is left out.
    fixed = revised.parent / "recoded.csv"
    fixed.write_text(
        "transcript,segment,coder,codes,note\r\np01,4,alice,csu-admission,\r\np01,4,bob,csu-admission,\r\n"
        "p03,2,alice,,\r\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["decisions", "import", str(fixed), "--db", str(revised)]).exit_code == 0
    reconcile(runner, revised, "--accept-agreed", "--accept-single", "--no-interactive")
    report = runner.invoke(app, ["report", "themes", "--db", str(revised)])
    assert "consensus has decided" not in report.stderr  # alice's p02:4 still holds it: walked, not left out


def test_a_resize_draws_the_reconcile_screen_again_keeping_its_message(project):
    # As in the coding session: read_line raises Resized while the prompt waits, and the loop draws the
    # same disagreement again at the new size, with the problem it was telling of, saving nothing.
    import io

    from rich.console import Console

    from wei_qual.agree import reconcile_queue
    from wei_qual.cli.line_input import Resized
    from wei_qual.cli.reconcile_screen import run_reconcile

    read_line = scripted_lines("zzz", Resized, "q")

    db = open_db(project)
    sel, queue = reconcile_queue(db, coders=["alice", "bob"])
    out = io.StringIO()
    saved, skipped, quit_early = run_reconcile(
        db,
        sel,
        queue,
        consensus="consensus",
        lead="lead",
        read_line=read_line,
        out=Console(file=out, width=120),
    )
    assert (saved, skipped, quit_early) == (0, 0, True)
    assert (
        out.getvalue().count('"zzz" is neither a number from the list nor a code id. Nothing changed.') == 2
    )
    assert consensus(project) == {}


def test_a_coder_who_joins_after_the_copy_and_disagrees_is_walked_and_warned(runner, project):
    # A copy "agreed by alice, bob" stayed settled when a third coder decided the turn otherwise later
    # (a packet coded earlier, merged after): never walked, and no report said so. Carol's decisions,
    # there before the copy and left out of that run, do not make a copy stale.
    reconcile(runner, project, "--coders", "alice,bob", "--accept-agreed", "--no-interactive")
    assert "changed since" not in runner.invoke(app, ["report", "themes", "--db", str(project)]).stderr
    db = open_db(project)
    earlier = "2020-01-01T00:00:00.000+00:00"
    save_decision(db, Decision("p01", 2, "erin", frozenset({"beds"}), decided_utc=earlier))
    db.close()
    report = runner.invoke(app, ["report", "themes", "--db", str(project)])
    assert (
        "1 consensus decision on participant turns was copied from coders' decisions that have changed since"
        in " ".join(report.stderr.split())
    )
    walk = reconcile(runner, project, "--coders", "alice,bob,erin", input="q\n")
    assert "p01  role=officer  setting=rural   segment 2   disagreement 1 of" in walk.stdout
    reconcile(runner, project, "--coders", "alice,bob,erin", input="r erin is right\n+beds\n\nq\n")
    assert consensus(project)[("p01", 2)] == (["beds"], "erin is right")
    assert "changed since" not in runner.invoke(app, ["report", "themes", "--db", str(project)]).stderr


def test_a_first_search_while_another_writer_holds_the_project_says_busy(project, monkeypatch):
    # /WORDS indexes the project first; another writer holding it past the timeout ended the reconcile
    # screen with a traceback ("database is locked").
    import io
    import sqlite3

    from rich.console import Console

    from wei_qual import store
    from wei_qual.agree import reconcile_queue
    from wei_qual.cli.reconcile_screen import run_reconcile

    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 50)
    db = open_db(project)
    sel, queue = reconcile_queue(db, coders=["alice", "bob"])
    other = sqlite3.connect(project)
    other.execute("BEGIN IMMEDIATE")
    out = io.StringIO()
    try:
        result = run_reconcile(
            db,
            sel,
            queue,
            consensus="consensus",
            lead="lead",
            read_line=scripted_lines("/unit", "q"),
            out=Console(file=out, width=120),
        )
    finally:
        other.rollback()
        other.close()
    assert result == (0, 0, True)
    assert "The project is busy (another coder or command is writing to it): nothing moved." in out.getvalue()


@pytest.mark.parametrize("committed", [True, False])
def test_ctrl_c_during_a_save_counts_it_as_the_project_holds_it(runner, project, monkeypatch, committed):
    # Ctrl-C while a save ran ended reconcile with no count at all, or (just after the commit) with the
    # save left out of "reconciled X"; a save rolled back must stay named as not saved.
    from wei_qual import agree

    real = agree.save_consensus

    def interrupted(db, *args, **kwargs):
        if committed:
            real(db, *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(agree, "save_consensus", interrupted)
    result = reconcile(runner, project, "--coders", "alice,bob", input="1\n\nbeds are named\n")
    assert result.stderr.startswith(
        f"Stopped: reconciled {int(committed)} of 3 disagreements into consensus; {3 - committed} left"
    )
    said = "Not saved: beds, jail and a rationale on p01 segment 3."
    assert (said in result.stdout) is not committed
    assert consensus(project) == ({("p01", 3): (["beds", "jail"], "beds are named")} if committed else {})


def test_the_coders_notes_on_a_segment_are_shown_to_the_lead(runner, project):
    # A coder's note ("ask the team: beds or jail?") was written for whoever reconciles and never reached
    # the reconcile screen: the lead decided without it.
    from _agree_project import DECISIONS

    db = open_db(project)
    codes = DECISIONS["bob"][("p01", 3)]
    save_decision(db, Decision("p01", 3, "bob", codes, note="ask the team:\nbeds or jail?\x1b[2J"))
    db.close()
    result = reconcile(runner, project, "--coders", "alice,bob", input="q\n")
    assert "bob's note: ask the team: beds or jail?\\x1b[2J" in result.stdout
    assert "alice's note" not in result.stdout and "\x1b" not in result.stdout


def test_b_goes_back_and_a_coding_session_command_is_said_to_be_none_here(runner, project):
    # A lead used to the coding session typed `b` to go back, or `n` for a note: each was read as a code's
    # prefix (or part) and toggled a code on the disagreement, with no word of it.
    keys = "b\nn\na\ns\nhospital\nb\nq\n"
    result = reconcile(runner, project, "--coders", "alice,bob", input=keys)
    said = " ".join(result.stdout.split())
    assert "This is the first disagreement. Nothing moved." in said
    assert '"n" (a note) is a command of the coding session, not of reconcile' in said
    assert '"a" (accepting the suggestions) is a command of the coding session' in said
    assert "Not saved: hospital on p01 segment 4. Disagreement 1 of 3." in said
    last = result.stdout.rsplit("Chosen:", 1)[1].splitlines()[0]
    assert last.split() == ["jail"]  # disagreement 1 again, as it was: neither beds nor hospital chosen
    assert consensus(project) == {}


@pytest.mark.parametrize(
    "keys",
    [
        "\nr the unit was full\nq\n",  # Enter saves, and the question is answered with the command
        "r\nr the unit was full\n\nq\n",  # `r`, its question answered with the command, Enter saves
        "\n  r   the unit was full\nq\n",  # spaces around it
    ],
)
def test_the_r_typed_at_a_rationale_question_is_not_part_of_the_rationale(runner, project, keys):
    # Used to typing `r TEXT`, a lead answered "Rationale:" with it, and "r the unit was full" was stored.
    reconcile(runner, project, "--coders", "alice,bob", input=keys)
    assert consensus(project) == {("p01", 3): (["jail"], "the unit was full")}


def test_a_rationale_saved_can_be_cleared_and_the_audit_log_keeps_both(runner, project):
    # `r` then Enter, or `r` with nothing, kept the rationale: once written it could not be taken back.
    keys = "r the unit was full\n\nb\nr\n-\n\nq\n"
    result = reconcile(runner, project, "--coders", "alice,bob", input=keys)
    said = " ".join(result.stdout.split())
    assert "Rationale (Enter keeps it, - clears it, q quits):" in said
    assert "Rationale cleared: Enter saves the codes with none." in said
    # None given is stored as a save with none gives it: the lead's name, so consensus stays recognisable.
    assert consensus(project) == {("p01", 3): (["jail"], "chosen by lead")}
    rows = [
        r for r in iter_audit(open_db(project), entity="decision") if r["entity_id"].endswith(":consensus")
    ]
    assert [(r["action"], (r["before"] or {}).get("rationale"), r["after"]["rationale"]) for r in rows] == [
        ("create", None, "the unit was full"),
        ("update", "the unit was full", "chosen by lead"),
    ]
    assert {r["actor"] for r in rows} == {"lead"}
    # `-` at the save's question is none too (it was saved as the rationale "-").
    reconcile(runner, project, "--coders", "alice,bob", input="wait\n\n-\nq\n")
    assert consensus(project)[("p01", 4)] == (["wait"], "chosen by lead")


def test_the_lead_reads_every_coders_memo_on_the_segment_and_writes_one(runner, project):
    # Reconcile showed no memo, and `m` was refused as a coding session's command: what a coder wrote on
    # the segment for the team went unread at the meeting, and the lead could write nothing down.
    from wei_qual.store.decisions import save_memo

    db = open_db(project)
    save_memo(db, "alice", "segment", "p01:3", "beds or jail?\x1b[2J")
    save_memo(db, "bob", "transcript", "p01", "the deputy works nights")
    db.close()
    keys = "m ask the team about beds\nm?\nm\nand the jail\nq\n"
    result = reconcile(runner, project, "--coders", "alice,bob", input=keys)
    said = " ".join(result.stdout.split())
    assert "alice's memo: beds or jail?\\x1b[2J" in said and "\x1b" not in result.stdout
    assert "Your memo on segment p01:3 saved (as lead)." in said
    assert "lead's memo: ask the team about beds" in said
    # m? lists every memo on the segment and its transcript, whoever wrote it.
    listing = result.stdout.split("Memos here", 1)[1]
    assert "the deputy works nights" in listing and "ask the team about beds" in listing
    db = open_db(project)
    from wei_qual.store.decisions import get_memo

    assert get_memo(db, "lead", "segment", "p01:3") == "ask the team about beds\n\nand the jail"
    assert [r["actor"] for r in iter_audit(db, entity="memo")][-2:] == ["lead", "lead"]
    assert consensus(project) == {}  # a memo is no decision


def test_the_lead_writes_memos_on_the_transcript_and_a_code_as_the_coding_session_does(runner, project):
    # `mt` and `mc ID` were read as codes ('"mt" is neither a number from the list nor a code id'): the lead
    # could not write down at the meeting where a code's boundary lies, as a coder writes it while coding.
    from wei_qual.store.decisions import get_memo, save_memo

    db = open_db(project)
    save_memo(db, "alice", "code", "beds", "beds: only when the unit says it is full")
    db.close()
    keys = (
        "mt the deputy works nights\nmc jail a hold in a cell counts\nmc\nmc zzz x\nmc 1\nfirst row\nm?\nq\n"
    )
    result = reconcile(runner, project, "--coders", "alice,bob", input=keys)
    said = " ".join(result.stdout.split())
    assert "Your memo on transcript p01 saved (as lead)." in said
    assert "Your memo on code jail saved (as lead)." in said
    assert "Name the code: mc ID (an id, or a number of the table)." in said
    assert '"zzz" is neither a number from the list nor a code id. No memo written.' in said
    assert "Memo on code beds (Enter cancels, q quits):" in said  # row 1 of p01:3's table: beds
    # Stored as the coding session stores a coder's: `wei-qual memos` and the coding session read them.
    db = open_db(project)
    assert get_memo(db, "lead", "transcript", "p01") == "the deputy works nights"
    assert get_memo(db, "lead", "code", "jail") == "a hold in a cell counts"
    assert get_memo(db, "lead", "code", "beds") == "first row"
    assert [r["actor"] for r in iter_audit(db, entity="memo")][-3:] == ["lead"] * 3
    # m? lists the memos on the codes of the table too, whoever wrote them.
    listing = " ".join(result.stdout.split("Memos here", 1)[1].split())
    assert "beds: only when the unit says it is full" in listing and "a hold in a cell counts" in listing
    listed = runner.invoke(app, ["memos", "--coder", "lead", "--db", str(project)])
    assert "a hold in a cell counts" in listed.stdout and "the deputy works nights" in listed.stdout
    assert consensus(project) == {}


def test_a_consensus_exported_as_csv_imports_again_as_it_was(runner, project, tmp_path):
    # A three-coder project reconciled (copies, a choice with a rationale, "nothing applies"), exported as
    # CSV: the export had no rationale, so imported into another project the rationales and the marks of
    # the copies were lost (the copies read as the lead's decisions, never stale).
    keys = "-jail hospital\n\nthe hospital took him\n0\nnobody coded it\nq\n"
    reconcile(runner, project, "--accept-agreed", input=keys)
    before = {(d.transcript, d.segment): d for d in iter_decisions(open_db(project), coders=["consensus"])}
    assert before[("p01", 3)].codes == {"hospital"} and len(before) == 4
    out = tmp_path / "consensus.csv"
    runner.invoke(app, ["decisions", "export", "--coder", "consensus", "-o", str(out), "--db", str(project)])
    assert out.read_text().splitlines()[0] == "transcript,segment,coder,codes,note,excerpts,rationale"
    again = runner.invoke(
        app, ["decisions", "import", str(out), "--db", str(project)], catch_exceptions=False
    )
    assert again.exit_code == 0 and "0 changed (0 new, 0 updated), 4 unchanged" in again.stderr

    other = tmp_path / "other.db"
    db = open_db(other)
    build(db)
    db.close()
    done = runner.invoke(app, ["decisions", "import", str(out), "--db", str(other)], catch_exceptions=False)
    assert done.exit_code == 0, done.stderr
    after = {(d.transcript, d.segment): d for d in iter_decisions(open_db(other), coders=["consensus"])}
    assert {k: (d.codes, d.note, d.rationale, d.excerpts) for k, d in after.items()} == {
        k: (d.codes, d.note, d.rationale, d.excerpts) for k, d in before.items()
    }
    # A coder's export is as it was: no rationale column.
    alice = runner.invoke(app, ["decisions", "export", "--coder", "alice", "--db", str(project)])
    assert alice.stdout.splitlines()[0] == "transcript,segment,coder,codes,note,excerpts"


def test_a_turn_a_coder_decides_after_the_lead_is_named_and_walked_again_with_revisit(runner, project):
    # Carol's packet came back after the meeting: she decided p01:4 otherwise than the consensus the lead
    # had made without her. Nothing said so, and a decision the lead made could not be walked again.
    reconcile(runner, project, input="s\n+wait\nr one of them said wait\n\nq\n")
    assert consensus(project)[("p01", 4)] == (["wait"], "one of them said wait")
    db = open_db(project)
    # Coded on a laptop before the meeting, merged after it: its time is older, the audit log is not.
    save_decision(db, Decision("p01", 4, "carol", frozenset(), decided_utc="2020-01-01T00:00:00.000+00:00"))
    db.close()
    warned = (
        "Warning: 1 turn consensus decided by hand was decided otherwise by a coder since: p01:4 (carol). The "
        "consensus was made without those codes: look at it again with "
        f'"wei-qual reconcile --coder lead --revisit --db {project}" (g p01:4 goes to it); saving it, changed '
        "or not, records that you looked at it again."
    )
    result = reconcile(runner, project, "--no-interactive")
    assert warned in " ".join(result.stderr.split())
    # A lead who leaves carol out of reconciling on purpose is not told about her.
    assert (
        "decided by hand"
        not in reconcile(runner, project, "--coders", "alice,bob", "--no-interactive").stderr
    )
    # --revisit walks it again as saved (codes and rationale); Enter keeps it and the audit log says so.
    result = reconcile(runner, project, "--revisit", input="g p01:4\n\nq\n")
    said = " ".join(result.stdout.split())
    assert "segment 4 disagreement 2 of 5" in said and "Rationale: one of them said wait" in said
    assert "Chosen: wait" in said
    assert "(1 decided before, walked again with --revisit); 4 left, run the same command to resume." in (
        " ".join(result.stderr.split())
    ), result.stderr
    last = iter_audit(open_db(project), entity="decision")[-1]
    assert (last["action"], last["entity_id"], last["actor"]) == ("confirm", "p01:4:consensus", "lead")
    assert "decided by hand" not in reconcile(runner, project, "--no-interactive").stderr
    assert consensus(project)[("p01", 4)] == (["wait"], "one of them said wait")
    # A note edited since is no new decision: only codes made or changed count.
    db = open_db(project)
    save_decision(db, Decision("p01", 4, "alice", frozenset(), note="thinking again"))
    db.close()
    assert "decided by hand" not in reconcile(runner, project, "--no-interactive").stderr
    # A coder deciding as consensus did is nothing to look at again.
    db = open_db(project)
    save_decision(db, Decision("p01", 4, "carol", frozenset({"wait"})))
    db.close()
    assert "decided by hand" not in reconcile(runner, project, "--no-interactive").stderr


def test_nothing_applies_saved_before_is_kept_by_enter_when_walked_again(runner, project):
    # Gone back to (b) or walked again (--revisit), a "nothing applies" saved read as no choice made yet:
    # Enter said "No codes chosen" and the lead had to type 0 again to keep it.
    reconcile(runner, project, "--coders", "alice,bob", input="0\n0\nno code fits\nb\n\nq\n")
    result = reconcile(runner, project, "--coders", "alice,bob", "--revisit", input="\nq\n")
    said = " ".join(result.stdout.split())
    assert "No codes chosen" not in said and "Chosen: nothing applies" in said
    assert consensus(project) == {("p01", 3): ([], "no code fits")}
    last = iter_audit(open_db(project), entity="decision")[-1]
    assert (last["action"], last["entity_id"]) == ("confirm", "p01:3:consensus")


def test_the_whole_disagreement_under_question_mark_marks_the_words_a_search_went_to(project):
    # The screen and `?`'s whole listing are one render: the words `/night` went to are marked in both
    # (the listing was built apart and left them unmarked).
    import io

    from rich.console import Console

    from wei_qual.agree import reconcile_queue
    from wei_qual.cli.code_screen import SEARCH_HIT
    from wei_qual.cli.reconcile_screen import run_reconcile

    db = open_db(project)
    sel, queue = reconcile_queue(db, coders=["alice", "bob"])
    out = io.StringIO()
    console = Console(file=out, width=120, height=200, force_terminal=True, color_system="standard")
    clear = io.StringIO()
    Console(file=clear, force_terminal=True).clear()
    result = run_reconcile(
        db,
        sel,
        queue,
        consensus="consensus",
        lead="lead",
        read_line=scripted_lines("/night", "?", "", "q"),
        out=console,
    )
    assert result == (0, 0, True)
    first, searched, listing, back = out.getvalue().split(clear.getvalue())[1:]
    marked = io.StringIO()
    Console(file=marked, force_terminal=True, color_system="standard").print(
        "night", style=SEARCH_HIT, end=""
    )
    start = marked.getvalue().split("night")[0]
    assert "It depends on the " in listing  # the whole listing of p01:4
    for screen in (searched, listing, back):
        assert start + "night" in screen
    assert start + "night" not in first


@pytest.mark.parametrize(
    ("keys", "not_saved"),
    [
        ("wait\n\nq\n", "Not saved: jail, wait on p01 segment 3."),  # at the save's question
        ("wait\n\n Q \n", "Not saved: jail, wait on p01 segment 3."),
        ("wait\nr\nq\n", "Not saved: jail, wait on p01 segment 3."),  # at r's question
    ],
)
def test_q_at_a_rationales_question_quits_without_saving(runner, project, keys, not_saved):
    # A lead typing q (quit) at "Rationale (why these codes; Enter for none):" saved "q" as the rationale
    # and was shown the next disagreement.
    result = reconcile(runner, project, "--coders", "alice,bob", input=keys)
    said = " ".join(result.stdout.split())
    assert not_saved in said
    assert result.stderr.startswith("Stopped: reconciled 0 of 3 disagreements into consensus;")
    assert consensus(project) == {}


def test_q_typed_with_r_on_one_line_is_a_rationale(runner, project):
    reconcile(runner, project, "--coders", "alice,bob", input="r q\n\nq\n")
    assert consensus(project) == {("p01", 3): (["jail"], "q")}


@pytest.mark.parametrize("keys", ["wait\nm\nq\n", "wait\nmt\n Q \n", "wait\nmc jail\nq\n"])
def test_q_at_a_memos_question_quits_without_saving(runner, project, keys):
    # A lead typing q (quit) at "Memo on segment p01:3 (Enter cancels):" saved the memo "q", as the
    # rationale's question saved the rationale "q": every question of this screen quits on a lone q.
    from wei_qual.store.decisions import iter_memos

    result = reconcile(runner, project, "--coders", "alice,bob", input=keys)
    said = " ".join(result.stdout.split())
    assert "Not saved: jail, wait on p01 segment 3." in said
    assert result.stderr.startswith("Stopped: reconciled 0 of 3 disagreements into consensus;")
    assert iter_memos(open_db(project), "lead") == {}
    assert consensus(project) == {}


def test_q_typed_with_m_on_one_line_is_a_memo(runner, project):
    from wei_qual.store.decisions import get_memo

    reconcile(runner, project, "--coders", "alice,bob", input="m q\nq\n")
    assert get_memo(open_db(project), "lead", "segment", "p01:3") == "q"


def test_the_header_leaves_out_otters_title_and_keyword_list(runner, project):
    # Otter's header (title line, date line, SUMMARY KEYWORDS) is kept as attributes; on this screen the
    # title and the keyword list made the header five lines at 80x24. `transcripts show` has them.
    from pathlib import Path

    from wei_qual.ingest import parse_transcript
    from wei_qual.store import transaction
    from wei_qual.store.transcripts import save_attributes

    otter = parse_transcript(Path(__file__).parent / "data" / "KP04_otter_export.txt").attributes
    assert {"title", "date", "service_keywords"} <= set(otter)
    db = open_db(project)
    with transaction(db):
        save_attributes(db, "p01", otter)
    db.close()
    result = reconcile(runner, project, "--coders", "alice,bob", input="q\n")
    head = result.stdout.split("\n", 1)[0]
    assert head.startswith("p01  date=Tue, 1/24 10:03AM  role=officer  setting=rural   segment 3")
    assert "follow-up interview" not in result.stdout and "crisis unit, deputies" not in result.stdout
