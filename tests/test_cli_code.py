"""`wei-qual code` driven through CliRunner input: every action, durability, resume, blindness."""

from __future__ import annotations

import io

import pytest
from _coding_project import add_suggestion, build_project, scripted_lines
from rich.console import Console

from wei_qual.cli import app
from wei_qual.models import Decision
from wei_qual.store import iter_audit, open_db
from wei_qual.store.decisions import get_decision, iter_decisions, iter_memos, save_decision, save_memo


@pytest.fixture
def project(db_path):
    db = open_db(db_path)
    version = build_project(db)
    add_suggestion(
        db,
        version,
        "p01",
        2,
        "csu-admission",
        0.82,
        [{"start": 15, "end": 26, "text": "crisis unit", "source": "keyword:crisis unit", "negated": False}],
    )
    add_suggestion(db, version, "p01", 2, "setting-urban", 0.61, [])
    # Below the shown threshold (a negated keyword only): never on screen, never accepted with "a".
    add_suggestion(db, version, "p01", 2, "setting-rural", 0.12, [])
    db.close()
    return db_path


def run(runner, db_path, keys: str, *args: str):
    coder = [] if "--coder" in args else ["--coder", "alice"]
    return runner.invoke(
        app, ["code", *coder, "--db", str(db_path), *args], input=keys, catch_exceptions=False
    )


def decisions(db_path, coder="alice"):
    return {
        (d.transcript, d.segment): (sorted(d.codes), d.note)
        for d in iter_decisions(open_db(db_path), coders=[coder])
    }


def test_screen_shows_context_suggestions_progress_and_escaped_text(runner, project):
    result = run(runner, project, "q\n")
    assert result.exit_code == 0
    out = result.stdout
    assert "p01  role=officer  setting=rural   segment 2 of 4   coded 0 of 4 (alice)" in out
    assert "I (interviewer): Tell me about the last crisis call." in out  # the preceding turn
    assert "P (participant):\nWe took him to the crisis unit and they admitted him [inaudible]." in out
    assert 'Suggestions (a accepts all): csu-admission 0.82 ("crisis unit") · setting-urban 0.61' in out
    assert "setting-rural 0.12" not in out
    assert "Crisis response:    1 csu-admission  2 csu-refusal  3 co-responder" in out
    assert "Chosen: none yet" in out
    assert result.stderr == (
        "Stopped at p01 segment 2. Coded 0 of 4 segments for alice (0 saved this session). "
        f'Resume with "wei-qual code --coder alice --db {project}".\n'
    )


def test_accept_suggestions_then_enter_saves_with_accepted_shown_and_version(runner, project):
    result = run(runner, project, "a\n\nq\n")
    assert result.exit_code == 0
    assert "Chosen: csu-admission (suggested)" in result.stdout  # setting-urban is in the exclusive group too
    d = get_decision(open_db(project), "p01", 2, "alice")
    assert (d.codes, d.accepted, d.shown, d.codebook_version) == (
        {"csu-admission", "setting-urban"},
        {"csu-admission", "setting-urban"},
        {"csu-admission", "setting-urban"},
        1,
    )
    assert d.decided_utc
    assert "Stopped at p01 segment 4. Coded 1 of 4 segments" in result.stderr


def test_ids_numbers_prefixes_toggles_zero_note_and_skip(runner, project):
    keys = (
        "csu-refusal 3\n"  # id and number
        "-csu-refusal +f\n"  # remove, add by unique prefix
        "n called twice [inaudible]\n"
        "\n"  # save p01:2
        "0\n"  # p01:4 nothing applies
        "s\n"  # skip p02:2
        "set\n5\n"  # ambiguous prefix: asks, answer 5 (its number in the code list) -> setting-urban
        "\n"  # save p02:3
    )
    result = run(runner, project, keys)
    assert result.exit_code == 0
    assert '"set" matches several codes:  4 setting-rural  5 setting-urban' in result.stdout
    assert "Note: called twice [inaudible]" in result.stdout
    assert "Saved: p01 segment 2.\n" in result.stdout
    assert decisions(project) == {
        ("p01", 2): (["co-responder", "followup"], "called twice [inaudible]"),
        ("p01", 4): ([], ""),
        ("p02", 3): (["setting-urban"], ""),
    }
    assert result.stderr == (
        "Session done. Coded 3 of 4 segments for alice (3 saved this session). 1 segment remains uncoded "
        f'(skipped, or passed over by g or /): code it with "wei-qual code --coder alice --db {project}".\n'
    )
    # Reopening resumes at the skipped (next uncoded) segment.
    again = run(runner, project, "q\n")
    assert "p02  role=provider  setting=urban   segment 2 of 3   coded 3 of 4 (alice)" in again.stdout
    # Nothing left after coding it.
    run(runner, project, "2\n\n")
    done = run(runner, project, "")
    assert done.stderr == (
        "Nothing left to code: alice has coded 4 of 4 segments. Use --recode to revisit them.\n"
    )


def test_exclusive_group_message_and_unknown_codes(runner, project):
    result = run(runner, project, "4\n5\nzzz\nsetting\n9\n\nq\n")
    out = result.stdout
    assert (
        '"setting-urban" and "setting-rural" are both in exclusive group "setting", which takes one code. '
        "Remove it first with -setting-rural."
    ) in out
    assert 'No code matches "zzz". Type ? to see the codebook.' in out
    assert (
        '"setting" is a theme heading, not a code. Choose one of its codes: setting-rural, setting-urban.'
        in out
    )
    assert "There is no code number 9; the list has 1 to 6." in out
    assert decisions(project) == {("p01", 2): (["setting-rural"], "")}


def test_enter_without_codes_asks_instead_of_saving(runner, project):
    result = run(runner, project, "\nq\n")
    assert 'No codes chosen. Type codes, 0 for "nothing applies", or s to skip.' in result.stdout
    assert decisions(project) == {}


def test_codes_on_screen_are_never_dropped_without_a_word(runner, project):
    # "1 6" then "0" saved "nothing applies" and the chosen codes were gone; s, b and q dropped them silently.
    keys = (
        "1 6\n0\n"  # asked, not saved
        "0\n"  # again: nothing applies, as asked
        "2\ns\n"  # p01:4 chosen, then skipped
        "3\nn a thought\nq\n"  # p02:2 chosen with a note, then quit
    )
    result = run(runner, project, keys)
    assert result.exit_code == 0
    out = result.stdout
    assert (
        'Chosen: csu-admission, followup. Enter saves them; type 0 again to save "nothing applies" instead.'
        in out
    )
    assert "Not saved: csu-refusal on p01 segment 4." in out
    assert "Not saved: co-responder and a note on p02 segment 2." in out
    assert decisions(project) == {("p01", 2): ([], "")}
    # A code typed after the question asks again: the second 0 must follow the first.
    run(runner, project, "b\n1\n0\n3\n0\nq\n", "--recode")
    assert decisions(project) == {("p01", 2): ([], "")}


def test_a_segment_saved_meanwhile_by_another_session_of_the_coder_is_not_overwritten_unasked(
    runner, project
):
    # Two terminals, one coder: both showed p01:2; A saved csu-admission, then B saved co-responder over
    # it with "Saved" and no word.
    from wei_qual.cli.code_screen import run_session
    from wei_qual.coding import load_session

    db = open_db(project)
    session, context = load_session(db, "alice")  # B's session, opened first
    lines = scripted_lines("3", "", "", "q")

    def read_line(prompt):
        if prompt == "> " and get_decision(db, "p01", 2, "alice") is None:  # B shows p01:2, then A saves
            save_decision(db, Decision("p01", 2, "alice", frozenset({"csu-admission"})), actor="alice")
        return lines(prompt)

    out = io.StringIO()
    run_session(db, session, context, read_line=read_line, out=Console(file=out, width=200))
    screen = out.getvalue()
    assert (
        "Another session of alice saved this segment meanwhile (csu-admission). Enter saves yours over it; s "
        "leaves it as it is." in screen
    )
    assert "Saved: p01 segment 2." in screen  # the second Enter: yours, knowingly
    assert decisions(project) == {("p01", 2): (["co-responder"], "")}


def _recode_p01_2_while_another_terminal_saves(db, answers, *, other: Decision) -> list[str]:
    """A --recode session of alice on p01:2 (saved with `a`: both suggestions taken); once its first
    screen is drawn, another terminal of alice saves `other` there; then `answers`. The screens drawn."""
    from wei_qual.cli.code_screen import run_session
    from wei_qual.coding import load_session

    both = frozenset({"csu-admission", "setting-urban"})
    save_decision(db, Decision("p01", 2, "alice", both, accepted=both, shown=both), actor="alice")
    session, context = load_session(db, "alice", recode=True)
    out, screens, left = io.StringIO(), [], iter(answers)

    def read_line(prompt):
        screens.append(out.getvalue())
        out.seek(0), out.truncate()
        if len(screens) == 1:
            save_decision(db, other, actor="alice")
        return next(left, "q")

    run_session(db, session, context, read_line=read_line, out=Console(file=out, width=200))
    return screens


def test_enter_on_an_unchanged_segment_another_terminal_changed_shows_that_decision_not_the_old_one(
    runner, project
):
    # A --recode walk showed p01:2 as saved (both suggestions taken with `a`); another terminal of alice
    # then saved other codes, typed. Enter, meant as "leave it", said "Enter saves yours over it" and
    # kept "csu-admission (suggested), setting-urban (suggested)" on screen: a second Enter put the old
    # decision back over the newer one, which the coder had never seen.
    db = open_db(project)
    typed = Decision("p01", 2, "alice", frozenset({"csu-admission", "followup"}), note="rechecked")
    screens = _recode_p01_2_while_another_terminal_saves(db, ["", ""], other=typed)
    assert "Chosen: csu-admission (suggested), setting-urban (suggested)" in screens[0]
    assert (
        "Another session of alice saved this segment meanwhile (csu-admission, followup): shown now as saved. "
        "Enter keeps it." in screens[1]
    )
    assert "Chosen: csu-admission, followup\n" in screens[1] and "Note: rechecked" in screens[1]
    assert "Unchanged: p01 segment 2." in screens[2]
    kept = get_decision(db, "p01", 2, "alice")
    assert (sorted(kept.codes), kept.note, kept.accepted) == (
        ["csu-admission", "followup"],
        "rechecked",
        frozenset(),
    )


def test_an_edited_segment_another_terminal_changed_is_asked_and_0_saves_nothing_applies_over_it(
    runner, project
):
    # The coder's own answer (codes added, or 0) is asked about, and saved over the other only when the
    # same key is pressed again: after 0, the message said "Enter saves yours", and Enter then refused
    # ("No codes chosen") under a screen that said "Chosen: nothing applies (saved)" while the project
    # held csu-refusal.
    db = open_db(project)
    other = Decision("p01", 2, "alice", frozenset({"csu-refusal"}))
    screens = _recode_p01_2_while_another_terminal_saves(db, ["+co-responder", "", ""], other=other)
    assert (
        "Another session of alice saved this segment meanwhile (csu-refusal). Enter saves yours over it"
        in (screens[2])
    )
    assert "Chosen: co-responder, csu-admission (suggested), setting-urban (suggested)" in screens[2]
    assert "Saved: p01 segment 2." in screens[3]
    assert sorted(get_decision(db, "p01", 2, "alice").codes) == [
        "co-responder",
        "csu-admission",
        "setting-urban",
    ]
    screens = _recode_p01_2_while_another_terminal_saves(db, ["0", "0", "0"], other=other)  # asked once
    assert "meanwhile (csu-refusal). 0 saves yours over it; s leaves it as it is." in screens[2]
    assert "Chosen: none (saved: csu-refusal)" in screens[2]
    assert "Saved: p01 segment 2." in screens[3]
    assert get_decision(db, "p01", 2, "alice").codes == frozenset()


def test_a_save_that_changes_nothing_leaves_the_suggested_marks_the_project_holds(runner, project):
    # Taken with `a`, then removed and typed again: Enter saved nothing ("Unchanged", the project keeps
    # the code as accepted), but the session kept its own copy, and `b` showed it without "(suggested)".
    out = run(runner, project, "a\n\nb\n-csu-admission\ncsu-admission\n\nb\nq\n").stdout
    assert "Unchanged: p01 segment 2." in out
    back = out.rsplit("segment 2 of 4", 1)[1]
    assert "Chosen: csu-admission (suggested), setting-urban (suggested)" in back
    assert get_decision(open_db(project), "p01", 2, "alice").accepted == {"csu-admission", "setting-urban"}


def test_every_code_removed_from_a_coded_segment_is_not_shown_as_nothing_applies_saved(runner, project):
    # "-csu-admission" on a coded segment showed "Chosen: nothing applies (saved)": nothing of the kind
    # was saved, and Enter refused to save it.
    db = open_db(project)
    save_decision(db, Decision("p01", 2, "alice", frozenset({"csu-admission"})), actor="alice")
    db.close()
    out = run(runner, project, "-csu-admission\n\nq\n", "--recode").stdout
    assert "Chosen: none (saved: csu-admission)" in out and "nothing applies (saved)" not in out
    assert 'No codes chosen. Type codes, 0 for "nothing applies", or s to skip.' in out
    assert decisions(project) == {("p01", 2): (["csu-admission"], "")}


def test_a_walk_whose_rest_was_coded_in_another_session_ends_saying_so(runner, project):
    # The second terminal stopped on each segment the first had coded meanwhile; here they are the rest of
    # the walk, so `s` ends it, naming them.
    from wei_qual.cli.code_screen import run_session
    from wei_qual.coding import load_session

    db = open_db(project)
    session, context = load_session(db, "alice")  # on p01:2
    for n, transcript in ((4, "p01"), (2, "p02"), (3, "p02")):  # another terminal of alice
        save_decision(db, Decision(transcript, n, "alice", frozenset()), actor="alice")
    out = io.StringIO()
    how = run_session(db, session, context, read_line=scripted_lines("s"), out=Console(file=out, width=200))
    assert how == "done" and session.done
    assert "3 segments were coded in another session; skipped (p01 4, p02 2, p02 3)." in out.getvalue()
    assert decisions(project) == {key: ([], "") for key in (("p01", 4), ("p02", 2), ("p02", 3))}


def test_a_segment_decided_in_another_session_is_shown_with_that_decision_when_the_coder_goes_to_it(
    runner, project
):
    # The walk passed p01:4, coded in another terminal meanwhile; `b` back to it showed "Chosen: none yet"
    # and Enter warned "Another session of alice saved this segment meanwhile" before overwriting it.
    from wei_qual.cli.code_screen import run_session
    from wei_qual.coding import load_session
    from wei_qual.models import Excerpt

    db = open_db(project)
    session, context = load_session(db, "alice")  # on p01:2
    other = Decision(  # another terminal of alice
        "p01", 4, "alice", frozenset({"followup"}), note="county", excerpts=(Excerpt("followup", 0, 18),)
    )
    save_decision(db, other, actor="alice")
    screens: list[str] = []
    out = io.StringIO()
    answers = iter(["s", "b", "", "b", "q"])

    def read_line(prompt):
        screens.append(out.getvalue())
        out.seek(0), out.truncate()
        if len(screens) == 4:  # on p02:2 after the Enter: the other terminal changes p01:4 again
            save_decision(db, Decision("p01", 4, "alice", frozenset({"csu-refusal"})), actor="alice")
        return next(answers)

    run_session(db, session, context, read_line=read_line, out=Console(file=out, width=200))
    back, after_enter, back_again = screens[2], screens[3], screens[4]
    assert "segment 4 of 4" in back
    assert 'Chosen: followup [excerpt: "Nobody followed up"]' in back and "Note: county" in back
    assert "Unchanged: p01 segment 4." in after_enter and "Another session" not in after_enter
    assert "Chosen: csu-refusal" in back_again and "Note:" not in back_again
    assert decisions(project) == {("p01", 4): (["csu-refusal"], "")}


def test_a_transcript_id_from_a_mac_file_name_is_found_as_typed(runner, db_path, tmp_path):
    # A Mac names "Señora.txt" with "n" and a combining tilde, and ingest takes the id from the name; the
    # coder's keyboard types one "ñ": --transcript, g and the decisions CSV said "Unknown transcript
    # "Señora" (did you mean "Señora"?)", naming the same-looking id.
    import unicodedata

    from _coding_project import CODEBOOK, _transcript

    from wei_qual.models import INTERVIEWER, PARTICIPANT
    from wei_qual.store import transaction
    from wei_qual.store.codebooks import save_codebook_version
    from wei_qual.store.transcripts import save_transcript

    stored, typed = unicodedata.normalize("NFD", "Señora"), "Señora"
    assert stored != typed
    db = open_db(db_path)
    turns = [(INTERVIEWER, "Hola?"), (PARTICIPANT, "The unit was full."), (PARTICIPANT, "We waited.")]
    with transaction(db):
        save_transcript(db, _transcript(stored, turns, {"role": "officer"}))
        save_transcript(db, _transcript("p02", turns, {"role": "officer"}))
        save_codebook_version(db, CODEBOOK, "name: crisis\n")
    db.close()
    out = run(runner, db_path, f"s\ng {typed.upper()}:2\nfollowup\n\nq\n", "--transcript", typed).stdout
    assert f"{stored} segment 2: segment 1 of 2 in this walk." in out
    assert decisions(db_path) == {(stored, 2): (["followup"], "")}
    sheet = tmp_path / "d.csv"
    sheet.write_text(f"transcript,segment,coder,codes,note\n{typed},3,alice,csu-refusal,\n", encoding="utf-8")
    result = runner.invoke(app, ["decisions", "import", str(sheet), "--db", str(db_path)])
    assert result.exit_code == 0, result.stderr
    assert (
        f'transcript "{typed}" read as "{stored}" (the same letters, their accents written another way, as a '
        "Mac names files)" in " ".join(result.stderr.split())
    )
    assert decisions(db_path)[(stored, 3)] == (["csu-refusal"], "")


def test_messages_say_what_the_line_typed_did(runner, project):
    # Both codes of an exclusive group typed on one line: nothing to remove first. A code removed that was
    # never chosen: said. A choice answered with a number not among those offered: said.
    out = run(runner, project, "4 5\n-2\nset\n2\nq\n").stdout
    assert (
        '"setting-urban" and "setting-rural" are both in exclusive group "setting", which takes one code. '
        "Type one of them." in out
    )
    assert '"csu-refusal" is not chosen, so there is nothing to remove. Nothing changed.' in out
    assert '"2" is not one of the choices. Nothing changed.' in out
    assert decisions(project) == {}


def test_ambiguous_prefix_can_be_cancelled(runner, project):
    result = run(runner, project, "csu\n\nq\n")
    assert "Cancelled." in result.stdout
    assert result.stdout.count("Chosen: none yet") == 2 and "Chosen: csu" not in result.stdout


def test_back_edits_the_previous_decision(runner, project):
    result = run(runner, project, "1\n\nb\n-1 2\n\nq\n")
    assert result.exit_code == 0
    assert decisions(project) == {("p01", 2): (["csu-refusal"], "")}
    log = [(r["action"], r["after"]["codes"]) for r in iter_audit(open_db(project), entity="decision")]
    assert log == [("create", ["csu-admission"]), ("update", ["csu-refusal"])]
    assert "Stopped at p01 segment 4." in result.stderr


def test_back_at_the_first_segment(runner, project):
    assert "This is the first segment." in run(runner, project, "b\nq\n").stdout


def test_help_shows_the_codebook_with_definitions(runner, project):
    out = run(runner, project, "?\nq\n").stdout
    assert "Admitted to a CSU." in out and "Drop-offs that were accepted." in out and "Refusals." in out
    assert "Setting (exclusive: pick one)" in out


def test_help_on_one_code_or_one_theme(runner, project):
    out = run(runner, project, "? 2\nq\n").stdout  # by its number on the screen
    assert "A CSU turned the person away." in out and "Admitted to a CSU." not in out
    out = run(runner, project, "? setting\nq\n").stdout  # a theme: with its codes
    assert "Where the agency works." in out and "setting-rural" in out and "Admitted to a CSU." not in out
    assert 'No code matches "zzz"' in run(runner, project, "? zzz\nq\n").stdout


def test_memos_on_segment_transcript_and_code(runner, project):
    keys = "m\nwatch the tone [laughs]\nmt\nrural agency\nmc csu-r\nrefusal vs diversion?\nmc zzz\nq\n"
    result = run(runner, project, keys)
    assert result.exit_code == 0
    assert "Memo (segment): watch the tone [laughs]" in result.stdout
    assert "Memo (transcript): rural agency" in result.stdout
    assert 'No code matches "zzz". Type ? to see the codebook.' in result.stdout
    assert iter_memos(open_db(project), "alice") == {
        ("segment", "p01:2"): "watch the tone [laughs]",
        ("transcript", "p01"): "rural agency",
        ("code", "csu-refusal"): "refusal vs diversion?",
    }
    assert [r["entity_id"] for r in iter_audit(open_db(project), entity="memo")] == [
        "segment:p01:2:alice",
        "transcript:p01:alice",
        "code:csu-refusal:alice",
    ]


def test_a_memo_typed_on_its_line_is_saved_at_once(runner, project):
    # `m TEXT` was read as codes ("No code matches 'Deputy'"), unlike `n TEXT`.
    result = run(runner, project, "m Deputy waited an hour.\nmt Rural county.\nq\n")
    assert result.exit_code == 0 and "No code matches" not in result.stdout
    assert iter_memos(open_db(project), "alice") == {
        ("segment", "p01:2"): "Deputy waited an hour.",
        ("transcript", "p01"): "Rural county.",
    }


def test_a_code_memo_typed_on_its_line_is_saved_at_once(runner, project):
    # `mc ID TEXT`: the first word is the code (a prefix as anywhere), the rest the memo.
    result = run(runner, project, "mc csu-r refusal vs diversion?\nq\n")
    assert result.exit_code == 0 and "No code matches" not in result.stdout
    assert iter_memos(open_db(project), "alice") == {("code", "csu-refusal"): "refusal vs diversion?"}


def test_note_prompt_keeps_and_clears(runner, project):
    run(runner, project, "n\nfirst\nn\n\n1\n\nb\nn\n-\n\nq\n")
    assert decisions(project) == {("p01", 2): (["csu-admission"], "")}


def test_session_is_blind_to_other_coders(runner, project):
    db = open_db(project)
    save_decision(db, Decision("p01", 2, "bob", frozenset({"csu-refusal"}), note="BOB-SECRET-NOTE"))
    save_memo(db, "bob", "segment", "p01:2", "BOB-SECRET-MEMO")
    save_memo(db, "bob", "transcript", "p01", "BOB-TRANSCRIPT-MEMO")
    result = run(runner, project, "q\n")
    assert "segment 2 of 4   coded 0 of 4 (alice)" in result.stdout  # bob's decision is not alice's
    for secret in ("BOB", "bob", "csu-refusal (", "Chosen: csu-refusal"):
        assert secret not in result.stdout + result.stderr


def test_recode_shows_current_codes_and_enter_keeps_them(runner, project):
    db = open_db(project)
    save_decision(db, Decision("p01", 2, "alice", frozenset({"followup"}), note="old"))
    result = run(runner, project, "\nq\n", "--recode")
    assert "Chosen: followup" in result.stdout and "Note: old" in result.stdout
    assert "Unchanged: p01 segment 2." in result.stdout
    assert len(iter_audit(open_db(project), entity="decision")) == 1  # unchanged: nothing rewritten
    assert "(0 saved this session)" in result.stderr  # nor counted as saved
    # Piped, the screen has no rule as wide as the console allows data to be.
    assert max(map(len, result.stdout.splitlines())) < 400


def test_the_header_gives_the_speakers_own_attributes(runner, project):
    # In a pair interview each speaker has their own role: the header showed the transcript's.
    from wei_qual.store.transcripts import save_speaker_attributes

    db = open_db(project)
    save_speaker_attributes(db, "p01", "P", {"role": "clinician"})
    db.close()
    out = run(runner, project, "q\n").stdout
    assert "p01  role=clinician  setting=rural   segment 2 of 4" in out


def test_recode_marks_a_code_the_codebook_no_longer_has(runner, project):
    # A code a later version removed (kept on the decision by a forced load) looked like any other, and
    # was saved again under the new version with no word.
    db = open_db(project)
    save_decision(db, Decision("p01", 2, "alice", frozenset({"followup", "retired-code"})))
    db.close()
    result = run(runner, project, "q\n", "--recode")
    assert "Chosen: followup, retired-code (not in the codebook)" in result.stdout
    assert result.stderr.rstrip().endswith(
        '"wei-qual code --coder alice --recode --from p01:2 --db ' + str(project) + '".'
    )
    # A code a later version gave codes under (a theme heading now) looked like a code to keep.
    db = open_db(project)
    save_decision(db, Decision("p01", 2, "alice", frozenset({"followup", "response"})))
    db.close()
    assert (
        "Chosen: followup, response (a theme heading now)" in run(runner, project, "q\n", "--recode").stdout
    )
    save_decision(open_db(project), Decision("p01", 2, "alice", frozenset({"followup", "retired-code"})))
    # It can be taken off: -retired-code answered "No code matches", and saving kept it.
    run(runner, project, "-retired-code\n\nq\n", "--recode")
    assert get_decision(open_db(project), "p01", 2, "alice").codes == {"followup"}


def test_transcript_filter_and_interviewer_turns(runner, project):
    result = run(runner, project, "q\n", "--transcript", "p02", "--include-interviewer")
    assert "p02  role=provider  setting=urban   segment 1 of 3   coded 0 of 3 (alice)" in result.stdout
    assert "I (interviewer):\nHow do calls go in the city?" in result.stdout


def test_end_of_input_quits_cleanly(runner, project):
    result = run(runner, project, "1\n")
    assert result.exit_code == 0
    assert decisions(project) == {}  # not saved without Enter
    assert result.stderr.startswith("Stopped at p01 segment 2.")


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--transcript", "p99"],
            'Error: Unknown transcript "p99" given with --transcript. See the ids with "wei-qual transcripts list --db {db}".\n',
        ),
        (["--coder", " "], "Error: The coder name is empty. Pass one with --coder, e.g. --coder alice.\n"),
    ],
)
def test_errors(runner, project, args, message):
    result = run(runner, project, "", *args)
    assert (result.exit_code, result.stderr, result.stdout) == (1, message.replace("{db}", str(project)), "")


def test_no_codebook(runner, db_path):
    result = runner.invoke(app, ["code", "--coder", "alice", "--db", str(db_path)])
    assert (result.exit_code, result.stderr) == (
        1,
        f'Error: No codebook is loaded. Load one with "wei-qual codebook load FILE --db {db_path}".\n',
    )


def test_back_reaches_a_decision_from_an_earlier_session(runner, project):
    run(runner, project, "1\n\nq\n")
    result = run(runner, project, "b\n+f\n\nq\n")  # resumes at p01:4, steps back to p01:2
    assert "Chosen: csu-admission\n" in result.stdout
    assert decisions(project) == {("p01", 2): (["csu-admission", "followup"], "")}
    assert "Stopped at p01 segment 4." in result.stderr


def test_evidence_words_are_highlighted():
    from wei_qual.cli.code import HIGHLIGHT, render_segment_text
    from wei_qual.models import Evidence, Suggestion

    text = render_segment_text(
        "the crisis unit [inaudible] said no",
        [
            Suggestion(
                "p01",
                2,
                "csu-refusal",
                0.5,
                (
                    Evidence(4, 15, "crisis unit", "kw"),
                    Evidence(28, 35, "said no", "kw", negated=True),
                    Evidence(30, 99, "bad offsets", "kw"),
                ),
            )
        ],
    )
    assert text.plain == "the crisis unit [inaudible] said no"
    assert [(s.start, s.end, str(s.style)) for s in text.spans] == [
        (4, 15, HIGHLIGHT),
        (28, 35, "dim strike"),
    ]


def test_missing_project_is_not_created(runner):
    result = runner.invoke(app, ["code", "--coder", "alice", "--db", "nope.db"])
    assert (result.exit_code, result.stderr) == (
        1,
        'Error: No project at "nope.db". Create it with "wei-qual ingest PATH --db nope.db", or pass the --db of an existing project.\n',
    )
    from pathlib import Path

    assert not Path("nope.db").exists()


def test_a_transcript_id_in_another_case_is_the_project_s(runner, project):
    # `--transcript P02` for p02 was refused, with no hint, while decisions import took any case.
    result = run(runner, project, "q\n", "--transcript", "P02")
    assert result.exit_code == 0 and "p02  role=provider" in result.stdout
    result = run(runner, project, "q\n", "--transcript", "p2")
    assert result.exit_code == 1 and '(did you mean "p02"?)' in result.stderr


def test_a_screen_drawn_again_after_a_resize_keeps_its_message_and_notice(runner, project):
    # The terminal resized while the prompt waits: read_line raises Resized and the loop draws the same
    # screen again at the new size, with the problem or the save it was telling of, and saves nothing.
    from wei_qual.cli.code_screen import run_session
    from wei_qual.cli.line_input import Resized
    from wei_qual.coding import load_session

    read_line = scripted_lines("nosuchcode", Resized, "1", "", Resized, "q")  # "" is Enter: saves

    db = open_db(project)
    session, context = load_session(db, "alice")
    out = io.StringIO()
    run_session(db, session, context, read_line=read_line, out=Console(file=out, width=200))
    screen = out.getvalue()
    assert screen.count('No code matches "nosuchcode".') == 2
    assert screen.count("Saved: p01 segment 2.") == 2
    assert decisions(project) == {("p01", 2): (["csu-admission"], "")}


def test_a_segment_saved_again_after_b_counts_once_in_the_summary(runner, project):
    # "Coded 1 of 4 segments for alice (2 saved this session)": a decision changed after `b` was counted
    # twice, and the coder wondered which other segment was saved.
    result = run(runner, project, "1\n\nb\n+followup\n\nq\n")
    assert decisions(project) == {("p01", 2): (["csu-admission", "followup"], "")}
    assert "Coded 1 of 4 segments for alice (1 saved this session)." in result.stderr


def test_enter_after_removing_every_code_of_a_saved_decision_asks_for_0(runner, project):
    # Back on a coded segment, "-csu-admission" then Enter saved "nothing applies" over it without a
    # word: an uncoded segment asked, a coded one did not.
    result = run(runner, project, "1\n\nb\n-1\n\n0\nq\n")
    assert 'No codes chosen. Type codes, 0 for "nothing applies", or s to skip.' in result.stdout
    assert decisions(project) == {("p01", 2): ([], "")}  # said with 0, on p01:2 (not on p01:4)


def test_the_same_memo_typed_twice_is_kept_once(runner, project):
    result = run(runner, project, "mt rural agency\nmt rural agency\nmt two deputies\nq\n")
    assert "Your memo on transcript p01 says that already; unchanged." in result.stdout
    assert iter_memos(open_db(project), "alice") == {("transcript", "p01"): "rural agency\n\ntwo deputies"}


def test_code_walks_only_the_segments_holding_a_split_or_retired_code(runner, project):
    # After a split (csu-admission removed with --force, two codes in its place), "--recode" walked
    # every segment the coder had coded, and the warning sent the coder to "retrieve" to find the few
    # that hold the old code, then to "--from" each of them by hand.
    db = open_db(project)
    for n, codes in ((2, {"followup"}), (4, {"followup", "retired-code"})):
        save_decision(db, Decision("p01", n, "alice", frozenset(codes)))
    save_decision(db, Decision("p02", 2, "alice", frozenset({"retired-code"})))
    save_decision(db, Decision("p02", 3, "bob", frozenset({"retired-code"})))  # blind: not alice's
    db.close()
    result = run(runner, project, "-retired-code\n\nq\n", "--code", "Retired-Code")
    assert "p01  role=officer  setting=rural   segment 4 of 4" in result.stdout
    assert "setting=rural   segment 2 of" not in result.stdout  # coded, but not with the code
    assert "setting=urban   segment 2 of 3" in result.stdout
    assert result.stderr.rstrip().endswith(
        '"wei-qual code --coder alice --code Retired-Code --recode --from p02:2 --db ' + str(project) + '".'
    )
    assert decisions(project)[("p01", 4)] == (["followup"], "")
    # A code a later version renamed: its decisions moved with it, and the message says where.
    from wei_qual.store import transaction
    from wei_qual.store.codebooks import get_active_codebook, save_codebook_version

    db = open_db(project)
    with transaction(db):
        save_codebook_version(db, get_active_codebook(db)[1], "v2\n", merges={"after-care": "followup"})
    db.close()
    result = run(runner, project, "q\n", "--code", "after-care")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        'Error: A later codebook version renamed or merged a code given with --code ("after-care" is now '
        '"followup"): its decisions moved with it. Pass --code followup.'
    )
    result = run(runner, project, "q\n", "--code", "followup", "--code", "nope")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        'Error: None of alice\'s decisions holds "nope" (given with --code), so there is nothing to recode'
    )


def test_a_walk_ended_after_a_jump_names_the_segments_it_passed_over(runner, project):
    # `g` to the last segment and Enter ended with "Session done." alone: the three segments jumped over
    # were never named, and the coder took the transcript as coded.
    result = run(runner, project, "g p02:3\n1\n\n")
    assert "p02 segment 3: segment 4 of 4 in this walk." in result.stdout
    assert result.stderr == (
        "Session done. Coded 1 of 4 segments for alice (1 saved this session). 3 segments remain uncoded "
        f'(skipped, or passed over by g or /): code them with "wei-qual code --coder alice --db {project}".\n'
    )


def test_the_suggestions_line_says_which_evidence_is_negated_or_counterfactual():
    from wei_qual.cli.code_screen import _suggestions_line
    from wei_qual.models import Evidence, Suggestion

    text = "If he hadn't been drunk they would have taken him; he was not at the unit."
    line = _suggestions_line(
        [
            Suggestion(
                "p01",
                1,
                "intoxication",
                0.6,
                (Evidence(13, 23, "been drunk", "kw", counterfactual=True),),
            ),
            Suggestion("p01", 1, "csu", 0.12, (Evidence(69, 73, "unit", "kw", negated=True),)),
        ],
        text,
    )
    assert line.plain == (
        'Suggestions (a accepts all): intoxication 0.60 ("counterfactual been drunk") · csu 0.12 ("not unit")'
    )


def test_an_excluded_phrase_is_named_on_the_suggestions_line_and_never_highlighted():
    from wei_qual.cli.code import HIGHLIGHT, render_segment_text
    from wei_qual.cli.code_screen import _suggestions_line
    from wei_qual.models import Evidence, Suggestion

    text = "His jail cell phone rang; he went to jail."
    shown = [
        Suggestion(
            "p01",
            1,
            "jail",
            0.6,
            (
                Evidence(4, 19, "jail cell phone", "exclude:jail cell phone", excluded=True),
                Evidence(37, 41, "jail", "keyword:jail"),
            ),
        )
    ]
    assert _suggestions_line(shown, text).plain == (
        'Suggestions (a accepts all): jail 0.60 ("excluded jail cell phone", "jail")'
    )
    assert [(s.start, s.end, str(s.style)) for s in render_segment_text(text, shown).spans] == [
        (37, 41, HIGHLIGHT)
    ]


def test_recode_refuses_to_save_a_theme_heading_and_lets_the_coder_remove_it(runner, project):
    # A code a later version gave codes under (a theme heading now) was only marked: a coder who added one
    # of its codes and pressed Enter saved the heading with it, under the new version, and reconcile and
    # `decisions import` then refused the decision. Removing it answered "is a theme heading, not a code".
    from wei_qual.agree import consensus_problem
    from wei_qual.store.codebooks import get_active_codebook

    db = open_db(project)
    save_decision(db, Decision("p01", 2, "alice", frozenset({"followup", "response"})))
    db.close()
    refused = '"response" is a theme heading, not a code: remove it (-response). Nothing saved.'
    codebook = get_active_codebook(open_db(project))[1]
    assert consensus_problem({"csu-refusal", "response"}, codebook) == refused  # reconcile's words
    for keys in ("+csu-refusal\n\nq\n", "\nq\n"):  # with one of its codes added, or as it was
        result = run(runner, project, keys, "--recode")
        assert refused in result.stdout and "Saved: p01" not in result.stdout
        assert "Unchanged: p01" not in result.stdout
        assert get_decision(open_db(project), "p01", 2, "alice").codes == {"followup", "response"}
    assert len(iter_audit(open_db(project), entity="decision")) == 1  # the decision made before, only
    result = run(runner, project, "-response\n+csu-refusal\n\nq\n", "--recode")
    assert "Saved: p01 segment 2." in result.stdout
    assert get_decision(open_db(project), "p01", 2, "alice").codes == {"followup", "csu-refusal"}


@pytest.mark.parametrize(
    "keys", ["csu-r\nm\nq\n", "csu-r\nmt\n Q \n", "csu-r\nmc csu-r\nq\n", "csu-r\nn\nq\n"]
)
def test_q_at_a_memos_or_notes_question_quits_without_saving(runner, project, keys):
    # A coder typing q (quit) at "Memo on segment p01:2 (Enter cancels):" or at the note's question saved
    # the memo (or note) "q" and stayed on the segment; reconcile's questions quit on a lone q.
    result = run(runner, project, keys)
    assert result.exit_code == 0
    assert "Not saved: csu-refusal on p01 segment 2." in " ".join(result.stdout.split())
    assert iter_memos(open_db(project), "alice") == {}
    assert decisions(project) == {}


def test_q_typed_with_m_or_n_on_one_line_is_text(runner, project):
    run(runner, project, "m q\nn q\n1\n\nq\n")
    assert iter_memos(open_db(project), "alice") == {("segment", "p01:2"): "q"}
    assert decisions(project)[("p01", 2)][1] == "q"


def test_the_header_leaves_out_otters_title_and_keyword_list(runner, project):
    # As on the reconcile screen and in `transcripts list`: the title and keyword list of Otter's header
    # are attributes too long for a screen's header (five lines at 80x24).
    from pathlib import Path

    from wei_qual.ingest import parse_transcript
    from wei_qual.store import transaction
    from wei_qual.store.transcripts import save_attributes

    otter = parse_transcript(Path(__file__).parent / "data" / "KP04_otter_export.txt").attributes
    db = open_db(project)
    with transaction(db):
        save_attributes(db, "p01", otter)
    db.close()
    result = run(runner, project, "q\n")
    assert "date=Tue, 1/24 10:03AM" in result.stdout
    assert "follow-up interview" not in result.stdout and "crisis unit, deputies" not in result.stdout
