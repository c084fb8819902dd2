"""The pure coding-session logic: queue, command parsing, code matching, exclusive groups, drafts."""

from __future__ import annotations

import pytest
from _coding_project import CODEBOOK, TRANSCRIPTS

from wei_qual.models import Decision, Evidence, Suggestion
from wei_qual.session import (
    Ambiguous,
    CodeNotFound,
    CodingSession,
    Command,
    build_queue,
    code_headings,
    exclusive_conflicts,
    parse_command,
    resolve_code,
    scope_keys,
    selectable_codes,
)

SEGMENTS = {t.id: list(t.segments) for t in TRANSCRIPTS}


def test_only_leaf_codes_are_selectable_and_numbered_under_their_theme():
    assert [c.id for c in selectable_codes(CODEBOOK)] == [
        "csu-admission",
        "csu-refusal",
        "co-responder",
        "setting-rural",
        "setting-urban",
        "followup",
    ]
    headings = [(p.id if p else None, [(n, c.id) for n, c in items]) for p, items in code_headings(CODEBOOK)]
    assert headings == [
        ("response", [(1, "csu-admission"), (2, "csu-refusal"), (3, "co-responder")]),
        ("setting", [(4, "setting-rural"), (5, "setting-urban")]),
        (None, [(6, "followup")]),
    ]


@pytest.mark.parametrize(
    "token, expected",
    [
        ("csu-refusal", "csu-refusal"),
        ("CSU-Refusal", "csu-refusal"),
        ("3", "co-responder"),
        ("co", "co-responder"),
        ("csu-a", "csu-admission"),
        ("f", "followup"),
        ("rural", "setting-rural"),  # no prefix matches: any part of an id
    ],
)
def test_resolve_code_by_id_number_or_unique_prefix(token, expected):
    assert resolve_code(token, CODEBOOK) == expected


def test_resolve_code_ambiguous_prefix_lists_the_candidates():
    with pytest.raises(Ambiguous) as info:
        resolve_code("csu", CODEBOOK)
    assert info.value.candidates == ("csu-admission", "csu-refusal")
    with pytest.raises(Ambiguous) as info:
        resolve_code("setting-", CODEBOOK)
    assert info.value.candidates == ("setting-rural", "setting-urban")
    with pytest.raises(Ambiguous) as info:
        resolve_code("re", CODEBOOK)  # no id starts with "re": ids containing it
    assert info.value.candidates == ("csu-refusal", "co-responder")


@pytest.mark.parametrize(
    "token, message",
    [
        ("7", "There is no code number 7; the list has 1 to 6."),
        ("zzz", 'No code matches "zzz". Type ? to see the codebook.'),
        # a typo names the code it was meant for (it was told only to read the codebook)
        (
            "csu-admision",
            'No code matches "csu-admision" (did you mean "csu-admission"?). Type ? to see the codebook.',
        ),
        ("FOLOWUP", 'No code matches "FOLOWUP" (did you mean "followup"?). Type ? to see the codebook.'),
        (
            "setting",
            '"setting" is a theme heading, not a code. Choose one of its codes: setting-rural, setting-urban.',
        ),
    ],
)
def test_resolve_code_errors(token, message):
    with pytest.raises(CodeNotFound) as info:
        resolve_code(token, CODEBOOK)
    assert str(info.value) == message


def test_a_line_with_one_unknown_code_applies_none_and_says_so():
    # All or nothing: "1 folowup" left csu-admission unapplied too, under a message naming folowup alone.
    s = _session()
    assert s.apply_codes([("+", "1"), ("+", "folowup")]) == (
        'No code matches "folowup" (did you mean "followup"?). Type ? to see the codebook. '
        "Nothing on the line was applied."
    )
    assert s.draft.codes == set()
    assert s.apply_codes([("+", "zzz")]) == 'No code matches "zzz". Type ? to see the codebook.'


def test_exclusive_conflicts():
    assert exclusive_conflicts({"setting-rural", "setting-urban", "followup"}, CODEBOOK) == [
        ("setting", ["setting-rural", "setting-urban"])
    ]
    assert exclusive_conflicts({"setting-rural", "csu-refusal", "csu-admission"}, CODEBOOK) == []


@pytest.mark.parametrize(
    "line, command",
    [
        ("", Command("save")),
        ("  ", Command("save")),
        ("0", Command("nothing")),
        ("s", Command("skip")),
        ("B", Command("back")),
        ("q", Command("quit")),
        ("?", Command("help")),
        ("a", Command("accept")),
        ("n", Command("note")),
        ("n called twice [inaudible]", Command("note", text="called twice [inaudible]")),
        ("m", Command("memo", target="segment")),
        ("mt", Command("memo", target="transcript")),
        ("mc csu-refusal", Command("memo", target="code", code="csu-refusal")),
        ("mc csu-r  a code memo ", Command("memo", target="code", code="csu-r", text="a code memo")),
        (
            "1 co,+followup -csu-a",
            Command("codes", ops=(("+", "1"), ("+", "co"), ("+", "followup"), ("-", "csu-a"))),
        ),
    ],
)
def test_parse_command(line, command):
    assert parse_command(line) == command


def test_queue_holds_participant_segments_in_transcript_order():
    queue = build_queue(SEGMENTS)
    assert [i.key for i in queue] == [("p01", 2), ("p01", 4), ("p02", 2), ("p02", 3)]
    assert queue[1].previous.n == 3 and queue[1].count == 4 and queue[0].previous.n == 1
    assert len(build_queue(SEGMENTS, include_interviewer=True)) == 7
    assert len(scope_keys(SEGMENTS, include_interviewer=False)) == 4


def test_another_speakers_turn_is_context_never_a_turn_to_code():
    import dataclasses

    from wei_qual.models import OTHER

    # p01's third turn is the dispatcher on the radio, set with `transcripts roles p01 --other`.
    p01 = [
        dataclasses.replace(s, speaker="Unknown Speaker", role=OTHER) if s.n == 3 else s
        for s in SEGMENTS["p01"]
    ]
    segments = {**SEGMENTS, "p01": p01}
    for include_interviewer in (False, True):
        queue = build_queue(segments, include_interviewer=include_interviewer)
        assert ("p01", 3) not in [i.key for i in queue]
        assert ("p01", 3) not in scope_keys(segments, include_interviewer=include_interviewer)
    queue = build_queue(segments)
    assert [i.key for i in queue] == [("p01", 2), ("p01", 4), ("p02", 2), ("p02", 3)]
    # The turn after it shows it above, as the context it is.
    assert (queue[1].previous.speaker, queue[1].previous.role) == ("Unknown Speaker", OTHER)
    assert len(build_queue(segments, include_interviewer=True)) == 6


def test_a_voice_heard_once_is_not_walked_until_set_but_unlabelled_text_is():
    import dataclasses

    from wei_qual.models import REVIEW

    p01 = [dataclasses.replace(s, speaker="Tech", role=REVIEW) if s.n == 2 else s for s in SEGMENTS["p01"]]
    p02 = [dataclasses.replace(s, speaker=None, role=REVIEW) if s.n == 2 else s for s in SEGMENTS["p02"]]
    queue = build_queue({"p01": p01, "p02": p02})
    assert [i.key for i in queue] == [("p01", 4), ("p02", 2), ("p02", 3)]


def test_session_walks_only_uncoded_segments_unless_recoding():
    coded = {
        ("p01", 2): Decision("p01", 2, "alice", frozenset({"followup"})),
        ("p02", 2): Decision("p02", 2, "alice", frozenset()),
    }
    s = _session(decisions=dict(coded))
    assert s.current.key == ("p01", 4)
    s.skip()
    assert s.current.key == ("p02", 3)  # p02:2 is coded: passed over
    assert s.back() is None and s.current.key == ("p02", 2)  # but b steps back into it
    assert s.back() is None and s.current.key == ("p01", 4)
    assert s.back() is None and s.current.key == ("p01", 2) and s.draft.codes == {"followup"}
    assert _session(decisions=dict(coded), recode=True).current.key == ("p01", 2)
    all_done = {k: Decision(*k, "alice") for k in scope_keys(SEGMENTS, include_interviewer=False)}
    assert _session(decisions=all_done).done


def _session(decisions=None, suggestions=None, recode=False):
    decisions = decisions or {}
    return CodingSession(
        coder="alice",
        codebook=CODEBOOK,
        codebook_id=1,
        queue=build_queue(SEGMENTS),
        decisions=decisions,
        suggestions=suggestions or {},
        scope=scope_keys(SEGMENTS, include_interviewer=False),
        recode=recode,
    )


def test_exclusive_group_takes_one_code_and_says_so():
    s = _session()
    assert s.apply_codes([("+", "setting-rural")]) is None
    assert s.apply_codes([("+", "followup"), ("+", "5")]) == (
        '"setting-urban" and "setting-rural" are both in exclusive group "setting", which takes one code. '
        "Remove it first with -setting-rural."
    )
    assert s.draft.codes == {"setting-rural"}  # all or nothing: followup was not added either
    assert s.apply_codes([("-", "setting-rural"), ("+", "5")]) is None
    assert s.draft.codes == {"setting-urban"}


def test_enter_without_codes_does_not_record_nothing_applies():
    s = _session()
    assert s.decision() == 'No codes chosen. Type codes, 0 for "nothing applies", or s to skip.'
    d = s.decision(nothing=True)
    assert d == Decision("p01", 2, "alice", frozenset(), codebook_version=1)


def test_accept_all_records_accepted_and_shown_and_keeps_exclusive_groups():
    ev = (Evidence(10, 21, "crisis unit", "keyword:crisis unit"),)
    sugg = {
        ("p01", 2): [
            Suggestion("p01", 2, "csu-admission", 0.8, ev),
            Suggestion("p01", 2, "setting-rural", 0.6),
            Suggestion("p01", 2, "setting-urban", 0.4),
            Suggestion("p01", 2, "response", 0.3),  # a theme heading: never shown or applied
            Suggestion("p01", 2, "csu-admission", 0.5, engine="model"),  # same code from a second engine
        ]
    }
    s = _session(suggestions=sugg)
    assert [x.code for x in s.shown_suggestions()] == ["csu-admission", "setting-rural", "setting-urban"]
    assert s.accept_all() == (
        "Not added (exclusive group already has a code, or not a code to apply): setting-urban."
    )
    s.apply_codes([("+", "followup"), ("-", "setting-rural")])
    d = s.decision()
    assert d.codes == {"csu-admission", "followup"}
    assert d.accepted == {"csu-admission"}
    assert d.shown == {"csu-admission", "setting-rural", "setting-urban"}


def test_save_skip_back_and_progress():
    s = _session()
    s.apply_codes([("+", "1")])
    s.saved(s.decision())
    assert s.progress() == (1, 4) and s.current.key == ("p01", 4)
    s.skip()
    assert s.current.key == ("p02", 2) and s.skipped == {("p01", 4)}
    assert s.back() is None and s.current.key == ("p01", 4)
    assert s.back() is None and s.current.key == ("p01", 2)
    assert s.draft.codes == {"csu-admission"}  # the saved decision comes back for editing
    assert s.back() == "This is the first segment."


def test_recode_starts_from_the_current_codes_and_enter_keeps_an_empty_decision():
    s = _session(decisions={("p01", 2): Decision("p01", 2, "alice", frozenset())}, recode=True)
    assert s.current.key == ("p01", 2) and s.draft.codes == set()
    assert s.decision().codes == frozenset()  # already "nothing applies": Enter keeps it


# ----------------------------------------------------------------- edges found by mutation testing


def test_the_coders_assigned_transcripts_come_first():
    queue = build_queue(SEGMENTS, first=["p02"])
    assert [item.transcript for item in queue] == ["p02", "p02", "p01", "p01"]
    assert [item.transcript for item in build_queue(SEGMENTS)] == ["p01", "p01", "p02", "p02"]


def test_code_memo_without_an_id_and_lone_signs():
    assert parse_command("mc") == Command("memo", target="code", code=None)
    assert parse_command("MC csu-refusal") == Command("memo", target="code", code="csu-refusal")
    assert parse_command("+ 2 - -3 +followup") == Command(
        "codes", ops=(("+", "2"), ("-", "3"), ("+", "followup"))
    )


def test_codes_by_number_and_accepting_twice_keeps_every_accepted_code():
    s = _session()
    assert s.apply_codes([("+", "1"), ("+", "6")]) is None  # numbers of the list on screen
    assert s.draft.codes == {"csu-admission", "followup"}
    s.draft.accepted.add("csu-admission")
    s.apply_codes([("+", "co-responder")], from_suggestion=True)
    assert s.draft.accepted == {"csu-admission", "co-responder"}


def test_accept_all_without_suggestions_says_so_and_skip_of_a_coded_segment_keeps_it_out_of_skipped():
    s = _session(decisions={("p01", 2): Decision("p01", 2, "alice", frozenset())}, recode=True)
    assert s.accept_all() == "No suggestions for this segment."
    s.skip()
    assert ("p01", 2) not in s.skipped


def test_a_theme_typed_in_capitals_is_named_as_a_theme():
    with pytest.raises(CodeNotFound) as ex:
        resolve_code("RESPONSE", CODEBOOK)
    assert str(ex.value) == (
        '"response" is a theme heading, not a code. Choose one of its codes: csu-admission, csu-refusal, '
        "co-responder."
    )


def test_the_least_certain_segment_is_the_one_nearest_a_half():
    from wei_qual.session import order_by_uncertainty, uncertainty

    # 0.9 is sure (0.1 from certainty), 0.45 is not (0.45): a high score is no uncertainty.
    assert (uncertainty([0.9]), uncertainty([0.45, 0.97]), uncertainty([])) == (
        pytest.approx(0.1),
        0.45,
        0.0,
    )
    queue = build_queue(SEGMENTS)
    scores = {("p01", 2): [0.9], ("p01", 4): [0.45], ("p02", 2): [0.6]}
    assert [item.key for item in order_by_uncertainty(queue, scores)] == [
        ("p01", 4),
        ("p02", 2),
        ("p01", 2),
        ("p02", 3),
    ]


def test_a_newer_codebook_without_a_chosen_code_keeps_the_other_accepted_suggestions():
    from wei_qual.models import Codebook

    s = _session()
    s.apply_codes([("+", "csu-admission"), ("+", "followup")], from_suggestion=True)
    merged_away = Codebook("crisis", "1.1", codes=tuple(c for c in CODEBOOK.codes if c.id != "followup"))
    assert s.adopt_codebook(2, merged_away) == ["followup"]
    assert (s.draft.codes, s.draft.accepted) == ({"csu-admission"}, {"csu-admission"})


def test_clearing_an_excerpt_that_was_never_marked_says_the_code_covers_the_turn():
    s = _session()
    s.apply_codes([("+", "followup")])
    assert s.mark_excerpt("followup", "-") == '"followup" applies to the whole turn (no excerpt).'
    assert s.draft.excerpts == {}


def test_new_code_names_and_ids():
    from wei_qual.models import Code, Codebook
    from wei_qual.session import NewCode

    s = _session()
    assert s.plan_new_code("waiting-room") == NewCode("waiting-room", "Waiting room", None)
    assert s.plan_new_code('Waiting/Room "Waiting room"') == (
        '"Waiting/Room" is not a code id. Use lowercase letters, digits, "-" or "_", starting with a '
        'letter, e.g. +new waiting-room "Waiting room".'
    )
    s.codebook = Codebook("flat", "1", codes=(Code("beds", "Beds"), Code("jail", "Jail")))  # no themes
    assert s.plan_new_code('van "Van" under transport') == (
        '"transport" is not a theme (a code with codes under it). Themes: none.'
    )


def test_accept_all_leaves_an_exclusive_group_whose_best_suggestions_tie_to_the_coder():
    # "Out here it's rural, but the calls feel urban": one keyword each, 0.60 and 0.60. `a` took
    # setting-rural, the first by name, as if the rules had preferred it.
    sugg = {
        ("p01", 2): [
            Suggestion("p01", 2, "setting-rural", 0.6),
            Suggestion("p01", 2, "setting-urban", 0.6),
            Suggestion("p01", 2, "csu-admission", 0.6),
        ]
    }
    s = _session(suggestions=sugg)
    assert s.accept_all() == (
        "Not added: setting-rural, setting-urban score the same in exclusive group setting; "
        "type the one that applies."
    )
    assert s.draft.codes == {"csu-admission"}
    s.apply_codes([("+", "setting-urban")])
    assert s.accept_all() == (  # the group has its code now: the other is left out, as always
        "Not added (exclusive group already has a code, or not a code to apply): setting-rural."
    )
    assert s.draft.codes == {"csu-admission", "setting-urban"}


def test_new_code_id_with_a_cyrillic_letter_is_named():
    # "сsu" (Cyrillic с) looks like a code id; the refusal said only that it is not one.
    s = _session()
    assert s.plan_new_code('\u0441su "CSU"') == (
        '"\u0441su" is not a code id: its character 1, "\u0441", is U+0441 CYRILLIC SMALL LETTER ES, not an ASCII '
        'letter, though it may look like one. Use lowercase letters, digits, "-" or "_", starting with a letter, '
        'e.g. +new waiting-room "Waiting room".'
    )


def test_an_interrupted_save_is_named_unsaved_unless_the_project_holds_it(tmp_path):
    # Ctrl-C away from a prompt: a save cut short before its commit is unsaved; one cut short after its
    # commit (before the session recorded it) is saved, and must not be named as "Not saved".
    from _coding_project import build_project

    from wei_qual.coding import load_session
    from wei_qual.store import open_db
    from wei_qual.store.decisions import save_decision

    db = open_db(tmp_path / "p.db")
    build_project(db)
    session, _ = load_session(db, "alice")
    session.apply_codes([("+", "followup")])
    session.interrupted()  # nothing committed: still unsaved
    assert session.unsaved() == "followup" and session.saved_count == 0
    save_decision(db, session.decision(), actor="alice")  # committed; the interruption came after it
    session.interrupted()
    assert session.unsaved() is None and session.saved_count == 1
