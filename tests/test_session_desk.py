"""The session's excerpt (`x`, `#`), new-code (`+new`) and memo-reading (`m?`) logic, without a terminal."""

from __future__ import annotations

import dataclasses

import pytest
from _coding_project import CODEBOOK, _transcript

from wei_qual.models import INTERVIEWER, PARTICIPANT, Code, Decision, Excerpt
from wei_qual.session import (
    Ambiguous,
    CodingSession,
    Command,
    NewCode,
    build_queue,
    parse_command,
    scope_keys,
)

TURN = (
    "We drove him to the crisis unit. They refused him at the door, they were full. "
    "So he sat in the back of my car for three hours. Nobody called us back."
)
TRANSCRIPT = _transcript(
    "p07",
    [(INTERVIEWER, "What happened on that call?"), (PARTICIPANT, TURN), (PARTICIPANT, "That was it.")],
    {"role": "officer"},
)
SEGMENTS = {"p07": list(TRANSCRIPT.segments)}


def session(decisions=None, codebook=CODEBOOK):
    return CodingSession(
        coder="alice",
        codebook=codebook,
        codebook_id=1,
        queue=build_queue(SEGMENTS),
        decisions=decisions or {},
        suggestions={},
        scope=scope_keys(SEGMENTS, include_interviewer=False),
    )


@pytest.mark.parametrize(
    "line, command",
    [
        ("#", Command("sentences")),
        ("m?", Command("memos")),
        ("x csu-refusal 2-3", Command("excerpt", code="csu-refusal", text="2-3")),
        ('x 2 "they were full"', Command("excerpt", code="2", text='"they were full"')),
        ("x followup", Command("excerpt", code="followup", text="")),
        ("X", Command("excerpt", text="")),
        (
            '+new waiting-room "Waiting room" under response',
            Command("new", text='waiting-room "Waiting room" under response'),
        ),
        ("+new", Command("new", text="")),
        ("+newcode", Command("codes", ops=(("+", "newcode"),))),  # an ordinary code id that starts with new
    ],
)
def test_parse_desk_commands(line, command):
    assert parse_command(line) == command


def spans_text(s, code):
    return [TURN[a:b] for a, b in s.draft.excerpts[code]]


def test_x_marks_sentences_and_adds_the_code():
    s = session()
    assert s.mark_excerpt("csu-r", "2-3") is None  # a prefix names the code, as when adding codes
    assert s.draft.codes == {"csu-refusal"}
    assert spans_text(s, "csu-refusal") == [
        "They refused him at the door, they were full. So he sat in the back of my car for three hours."
    ]
    assert s.mark_excerpt("followup", "4, 1") is None  # several sentences: several spans
    assert spans_text(s, "followup") == ["We drove him to the crisis unit.", "Nobody called us back."]
    d = s.decision()
    assert d.codes == {"csu-refusal", "followup"}
    last = TURN.index("Nobody")
    assert d.excerpts == (
        Excerpt("csu-refusal", TURN.index("They"), TURN.index(" Nobody")),
        Excerpt("followup", 0, TURN.index(" They")),
        Excerpt("followup", last, len(TURN)),
    )


def test_x_marks_a_phrase_quoted_or_not_and_says_when_it_occurs_twice():
    s = session()
    assert s.mark_excerpt("csu-refusal", '"THEY REFUSED him"') is None
    assert spans_text(s, "csu-refusal") == ["They refused him"]
    assert s.mark_excerpt("followup", "nobody called") is None
    assert spans_text(s, "followup") == ["Nobody called"]
    assert s.mark_excerpt("co-responder", "him") == (
        "The phrase occurs 2 times; marked the first. Type more words to pick another."
    )
    assert spans_text(s, "co-responder") == ["him"]


def test_x_problems_change_nothing():
    s = session()
    assert (
        s.mark_excerpt(None, "")
        == "Name the code: x ID 2-3 marks sentences 2-3 as its excerpt (type # to number them)."
    )
    assert (
        s.mark_excerpt("csu-refusal", "5") == "This turn has sentences 1 to 4; type # to see their numbers."
    )
    assert s.mark_excerpt("csu-refusal", '"a bed was free"') == (
        '"a bed was free" is not in this turn (case, accents, quotes and spacing are ignored). Check the '
        "words, or type # to number the sentences and mark them: x ID 2-3."
    )
    assert s.mark_excerpt("zzz", "1") == 'No code matches "zzz". Type ? to see the codebook.'
    with pytest.raises(Ambiguous):
        s.mark_excerpt("csu", "1")
    assert s.draft.codes == set() and s.draft.excerpts == {}
    s.apply_codes([("+", "setting-rural")])
    assert s.mark_excerpt("setting-urban", "1").startswith(
        '"setting-urban" and "setting-rural" are both in exclusive'
    )
    assert "setting-urban" not in s.draft.excerpts


def test_x_alone_clears_and_removing_the_code_drops_its_excerpt():
    s = session()
    s.mark_excerpt("csu-refusal", "2")
    assert s.mark_excerpt("csu-refusal", "") == '"csu-refusal" applies to the whole turn (no excerpt).'
    assert s.draft.excerpts == {} and s.draft.codes == {"csu-refusal"}
    s.mark_excerpt("csu-refusal", "2")
    s.apply_codes([("-", "csu-refusal")])
    assert s.draft.excerpts == {}
    assert s.decision() == 'No codes chosen. Type codes, 0 for "nothing applies", or s to skip.'


def test_a_saved_excerpt_comes_back_for_editing_and_nothing_applies_drops_it():
    saved = Decision("p07", 2, "alice", frozenset({"followup"}), excerpts=(Excerpt("followup", 128, 150),))
    s = session({("p07", 2): saved})
    s.recode = True
    s._go(0)
    assert s.draft.excerpts == {"followup": [(128, 150)]}
    assert s.decision(nothing=True).excerpts == ()


def test_hash_toggles_sentence_numbers():
    s = session()
    assert not s.show_sentences
    s.toggle_sentences()
    assert s.show_sentences


def test_plan_new_code_reads_id_name_and_theme():
    s = session()
    assert s.plan_new_code('Waiting-Room "Waiting in the car" under resp') == NewCode(
        "waiting-room", "Waiting in the car", "response"
    )
    # The code list shows a theme's name ("Crisis response:"), not its id: its start names it too.
    assert s.plan_new_code('van under "crisis resp"') == NewCode("van", "Van", "response")
    assert s.plan_new_code("waiting_room") == NewCode("waiting_room", "Waiting room", None)
    assert s.plan_new_code("wait") == NewCode("wait", "Wait", None)
    assert s.plan_new_code("") == (
        'Give the new code an id: +new ID "Name" [under THEME], e.g. +new waiting-room "Waiting room".'
    )
    assert s.plan_new_code('2nd-try "x"').startswith('"2nd-try" is not a code id.')
    assert s.plan_new_code('wait "Wait') == 'Close the quotes: +new ID "Name" [under THEME].'
    assert s.plan_new_code("wait under followup") == (
        '"followup" is not a theme (a code with codes under it). Themes: response, setting.'
    )
    assert s.plan_new_code("wait under") == 'Put one theme after "under": +new ID "Name" under THEME.'


def test_adopting_a_new_version_keeps_the_draft_and_drops_codes_it_lacks():
    s = session()
    s.apply_codes([("+", "followup"), ("+", "co-responder")])
    s.mark_excerpt("followup", "4")
    wider = dataclasses.replace(
        CODEBOOK,
        codes=tuple(c for c in CODEBOOK.codes if c.id != "co-responder")
        + (Code("wait", "Wait", parent="response", draft=True),),
    )
    assert s.adopt_codebook(2, wider) == ["co-responder"]
    assert s.draft.codes == {"followup"}
    assert s.draft.excerpts == {"followup": [(TURN.index("Nobody"), len(TURN))]}
    assert "wait" in s.selectable_ids and s.codebook_id == 2
    assert s.apply_codes([("+", "wait")]) is None
    assert s.decision().codebook_version == 2


def test_what_x_marked_is_a_notice_and_a_wrong_x_a_problem():
    from wei_qual.session import Notice

    s = session()
    assert isinstance(
        s.mark_excerpt("co-responder", "him"), Notice
    )  # the phrase occurs twice: marked the first
    assert isinstance(s.mark_excerpt("co-responder", ""), Notice)  # the whole turn again
    for problem in (s.mark_excerpt("csu-refusal", "9"), s.mark_excerpt("zzz", "1"), s.mark_excerpt(None, "")):
        assert problem and not isinstance(problem, Notice)


def test_the_coding_screen_shows_what_x_did_as_a_confirmation_not_in_red(tmp_path):
    """A problem is bold red on the screen; what `x` did is green like "Saved"."""
    import io

    from _coding_project import build_project
    from rich.console import Console

    from wei_qual.cli.code_screen import run_session
    from wei_qual.coding import load_session
    from wei_qual.store import open_db

    db = open_db(tmp_path / "p.db")
    build_project(db)
    session_, context = load_session(db, "alice")
    buffer = io.StringIO()
    out = Console(file=buffer, force_terminal=True, width=160, color_system="standard")
    answers = iter(["x csu-refusal", "x zzz 1", "q"])
    run_session(db, session_, context, read_line=lambda prompt: next(answers), out=out)
    screens = buffer.getvalue()
    red, green = "\x1b[1;31m", "\x1b[32m"
    assert f'{green}"csu-refusal" applies to the whole turn (no excerpt).' in screens
    assert f'{red}No code matches "zzz". Type ? to see the codebook.' in screens
