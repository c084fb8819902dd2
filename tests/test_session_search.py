"""Jumps (`g`), search (`/WORDS`) and the forgiving match they and excerpt phrases share (textmatch), and
the coder's "coded X of Y" as the project holds it (CodedCount)."""

from __future__ import annotations

import pytest
from _coding_project import CODEBOOK, TRANSCRIPTS, _transcript, build_project

from wei_qual.coding import CodedCount
from wei_qual.models import INTERVIEWER, PARTICIPANT, Decision
from wei_qual.session import (
    CodingSession,
    Command,
    Notice,
    WalkSearch,
    build_queue,
    parse_command,
    scope_keys,
)
from wei_qual.store import open_db, transaction
from wei_qual.store.decisions import delete_decision, save_decision
from wei_qual.store.transcripts import save_transcript
from wei_qual.textmatch import find

TEXT = "Le caf\u00e9 \u00e9tait ferm\u00e9. We can\u2019t hold him \U0001f62c past the 72\u2011hour hold. \u05e9\u05dc\u05d5\u05dd Shalom."


@pytest.mark.parametrize(
    "phrase, words",
    [
        ("CAFE ETAIT", "caf\u00e9 \u00e9tait"),  # accents left off, any case
        ("can't hold him", "can\u2019t hold him"),  # a straight apostrophe for the curly one
        ("\u201chold him past\u201d", None),  # the emoji between: punctuation, not a word
        ("hold him \U0001f62c past", "hold him \U0001f62c past"),
        ("72-hour", "72\u2011hour"),  # Word's non-breaking hyphen
        ("\u05e9\u05dc\u05d5\u05dd shalom", "\u05e9\u05dc\u05d5\u05dd Shalom"),  # right-to-left letters
    ],
)
def test_typed_words_are_found_in_the_stored_text_and_spans_are_its_offsets(phrase, words):
    found = find(TEXT, phrase)
    if words is None:
        assert [TEXT[a:b] for a, b in found] == ["hold him \U0001f62c past"]
    else:
        assert [TEXT[a:b] for a, b in found] == [words]


def test_a_decomposed_accent_is_found_and_kept_whole_in_the_span():
    text = "the cafe\u0301 closed at nine"  # e + a combining acute, as macOS writes it
    (span,) = find(text, "CAFÉ")
    assert text[slice(*span)] == "cafe\u0301"  # the accent is not cut off its letter
    assert find("a bell \x07 rang", "bell \\x07 rang") == [(2, 13)]  # typed as the screen shows it
    assert find('he said "no" twice', 'said \\"no\\" twice') == [(3, 18)]
    assert find("nothing here", "  ") == [] and find("nothing here", "zebra") == []
    # Letters with no accent to drop, typed as an English keyboard types them ("Lodz" missed "Łódź").
    text = "from Łódź to Ørsted Straße"
    assert [text[a:b] for a, b in find(text, "lodz to orsted strasse")] == ["Łódź to Ørsted Straße"]


@pytest.mark.parametrize(
    "line, command",
    [
        ("g 212", Command("go", text="212")),
        ("G p02:14", Command("go", text="p02:14")),
        ("g", Command("go", text="")),
        ("/72-hour hold", Command("search", text="72-hour hold", target="forward")),
        ("/ 72-hour hold", Command("search", text="72-hour hold", target="forward")),
        ("/-72-hour", Command("search", text="72-hour", target="back")),
        ("/", Command("search", text=None, target="forward")),
        ("/-", Command("search", text=None, target="back")),
    ],
)
def test_parse_go_and_search(line, command):
    assert parse_command(line) == command


def _session(queue=None, include_interviewer=False):
    segments = {t.id: list(t.segments) for t in TRANSCRIPTS}
    return CodingSession(
        coder="alice",
        codebook=CODEBOOK,
        codebook_id=1,
        queue=queue if queue is not None else build_queue(segments, include_interviewer=include_interviewer),
        decisions={},
        suggestions={},
        scope=scope_keys(segments, include_interviewer=include_interviewer),
    )


@pytest.mark.parametrize("ordered", [False, True])  # a Queue, and a list (--order uncertain)
def test_go_to_by_number_transcript_or_place_in_the_walk(ordered):
    segments = {t.id: list(t.segments) for t in TRANSCRIPTS}
    s = _session(list(reversed(build_queue(segments))) if ordered else None)
    first = s.current.key
    assert s.go_to("P01:4") == Notice(f"p01 segment 4: segment {3 if ordered else 2} of 4 in this walk.")
    assert s.go_to("2") == Notice(f"p01 segment 2: segment {4 if ordered else 1} of 4 in this walk.")
    # A transcript alone: its first segment in the walk.
    assert s.go_to("p02") == Notice(
        f"p02 segment {3 if ordered else 2}: segment {1 if ordered else 3} of 4 in this walk."
    )
    assert s.go_to("#4").startswith("p0") and s.index == 3
    assert s.go_to("p01 3") == (
        "p01 segment 3 is an interviewer turn, which this session does not walk (--include-interviewer "
        "walks them too). Nothing moved."
    )
    assert s.go_to("p01:0") == "p01 has segments 1 to 4. Nothing moved."
    assert s.go_to("#5") == "This walk has segments 1 to 4; g #N goes to the N-th. Nothing moved."
    assert s.go_to("p1") == 'No transcript "p1" in this session\'s walk (did you mean "p01"?). Nothing moved.'
    assert s.go_to("p01:x") == (
        '"x" is not a segment number. Go to one with g 212 (segment 212 of this transcript), g P02:14, '
        "g P02 or g #212 (the walk's 212th)."
    )
    assert s.index == 3 and first is not None


def test_search_goes_forward_and_back_round_the_walk_and_says_when_nothing_has_the_words():
    s = _session(include_interviewer=True)  # p01:1-4, p02:1-3
    assert s.search("UNIT") == Notice('"UNIT": p01 segment 2, match 1 of 2; segment 2 of 7 in this walk.')
    assert s.search(None) == Notice('"UNIT": p02 segment 3, match 2 of 2; segment 7 of 7 in this walk.')
    assert s.search(None) == Notice(
        '"UNIT": p01 segment 2, match 1 of 2 (from the start: none after); segment 2 of 7 in this walk.'
    )
    assert s.search(None, backward=True) == Notice(
        '"UNIT": p02 segment 3, match 2 of 2 (from the end: none before); segment 7 of 7 in this walk.'
    )
    assert [s.current.segment.text[a:b] for a, b in s.search_spans()] == ["unit"]
    assert s.search("they were full") == Notice(
        'Only this segment has "they were full": segment 7 of 7 in this walk.'
    )
    assert s.search("the jail") == (
        'No segment of this walk has "the jail" (any form of the words, as wei-qual search finds them). Nothing moved.'
    )
    assert s.current.key == ("p02", 3)
    s.back()
    assert s.search_spans() == []  # the words are marked only where the search went


def test_coded_count_follows_another_connection_saving_and_removing(db_path):
    build_project(open_db(db_path))
    mine, other = open_db(db_path), open_db(db_path)
    with transaction(other):  # a transcript of interviewer turns only: out of the session's scope
        save_transcript(other, _transcript("p09", [(INTERVIEWER, "Hello?"), (PARTICIPANT, "Hi.")], {}))
    save_decision(mine, Decision("p01", 2, "alice", frozenset({"followup"})))
    segments = {t.id: list(t.segments) for t in TRANSCRIPTS}
    count = CodedCount(mine, "alice", scope_keys(segments, include_interviewer=False))
    assert count() == 1
    save_decision(other, Decision("p01", 4, "alice", frozenset()))  # another terminal of alice
    save_decision(other, Decision("p01", 4, "bob", frozenset()))  # another coder: not counted
    save_decision(other, Decision("p01", 1, "alice", frozenset()))  # an interviewer turn: not in scope
    assert count() == 2
    save_decision(mine, Decision("p02", 2, "alice", frozenset({"co-responder"})))
    save_decision(mine, Decision("p02", 2, "alice", frozenset({"followup"})))  # changed: still one
    assert count() == 3
    delete_decision(other, "p01", 4, "alice")
    assert count() == 2


def test_going_to_or_finding_the_segment_on_screen_keeps_what_was_chosen_on_it():
    # `g` to the segment on screen, or a search whose one match is it, started the segment again: the codes
    # chosen and not saved were gone without a word.
    s = _session()
    s.apply_codes([("+", "followup")])
    s.set_note("check the date")
    assert s.go_to("p01:2") == Notice("p01 segment 2: segment 1 of 4 in this walk.")
    assert s.search("admitted him") == Notice(
        'Only this segment has "admitted him": segment 1 of 4 in this walk.'
    )
    assert (s.draft.codes, s.draft.note) == ({"followup"}, "check the date")


def test_a_search_marks_its_words_where_it_landed_not_when_the_coder_comes_back():
    # Back with `b` to the segment a search had gone to, its words were still marked as if found again.
    s = _session(include_interviewer=True)  # p01:1-4, p02:1-3
    assert s.search("UNIT").startswith('"UNIT": p01 segment 2')
    assert s.search_spans()
    s.skip()
    assert s.back() is None and s.current.key == ("p01", 2)
    assert s.search_spans() == [] and s.search_hit is None


def test_the_walk_passes_segments_decided_in_another_session_and_says_so_once():
    # A second terminal of the same coder stopped on segments the first had coded meanwhile.
    segments = {t.id: list(t.segments) for t in TRANSCRIPTS}
    elsewhere: set[tuple[str, int]] = set()
    s = CodingSession(
        coder="alice",
        codebook=CODEBOOK,
        codebook_id=1,
        queue=build_queue(segments),  # p01:2, p01:4, p02:2, p02:3
        decisions={},
        suggestions={},
        scope=scope_keys(segments, include_interviewer=False),
        coded=elsewhere.__contains__,
    )
    assert s.pass_coded_elsewhere() is None and s.current.key == ("p01", 2)
    elsewhere.add(("p01", 2))  # saved elsewhere while it is on screen: stays (Enter asks)
    assert s.pass_coded_elsewhere() is None and s.current.key == ("p01", 2)
    elsewhere.update({("p01", 4), ("p02", 2)})
    s.skip()
    assert s.pass_coded_elsewhere() == Notice(
        "2 segments were coded in another session; skipped (p01 4, p02 2)."
    )
    assert s.current.key == ("p02", 3) and s.pass_coded_elsewhere() is None
    s.back()  # where the coder goes with b, g or / is shown, coded elsewhere or not
    assert s.pass_coded_elsewhere() is None and s.current.key == ("p02", 2)
    s.skip()
    assert s.pass_coded_elsewhere() is None and s.current.key == ("p02", 3)
    elsewhere.add(("p02", 3))
    assert s.pass_coded_elsewhere() is None  # already on screen when it was saved elsewhere
    s.recode = True
    s.go_to("p01:2")
    s.skip()
    assert s.pass_coded_elsewhere() is None and s.current.key == ("p01", 4)  # a --recode walk shows all


def test_a_segment_shown_takes_its_decision_from_the_project_when_another_session_changed_it():
    # A --recode walk (or b, g, /) came to a segment another terminal of the coder had decided or changed
    # since: the screen showed this session's old copy ("none yet"), and Enter asked before overwriting.
    segments = {t.id: list(t.segments) for t in TRANSCRIPTS}
    project = {("p01", 4): Decision("p01", 4, "alice", frozenset({"followup"}), note="county")}
    looked_up: list[tuple[str, int]] = []

    def stored(key):
        looked_up.append(key)
        return project.get(key)

    s = CodingSession(
        coder="alice",
        codebook=CODEBOOK,
        codebook_id=1,
        queue=build_queue(segments),  # p01:2, p01:4, p02:2, p02:3
        decisions={("p02", 2): Decision("p02", 2, "alice", frozenset({"co-responder"}))},
        suggestions={},
        scope=scope_keys(segments, include_interviewer=False),
        recode=True,
        coded={("p01", 4), ("p02", 2)}.__contains__,  # as the count last read the project
        stored=stored,
    )
    s.show_stored()
    assert looked_up == []  # uncoded when the count read: no lookup
    s.skip()
    s.show_stored()
    assert (s.draft.codes, s.draft.note, s.unsaved()) == ({"followup"}, "county", None)
    assert s.decisions[("p01", 4)] is project[("p01", 4)]
    s.skip()
    s.show_stored()  # removed elsewhere (`coders remove`): uncoded again
    assert looked_up == [("p01", 4), ("p02", 2)]
    assert s.draft.codes == set() and ("p02", 2) not in s.decisions


WRAPPED_TEXT = (
    "Interviewer: Who comes out?\n"
    "P42: The co-\n"
    "responder team asks for crisis stabil-\n"
    "ization, and co-responders hospital\u2011\r\n"
    "  ize nobody. Its co-\n"
    "ordinator said every-\n"
    "one knows; everyone? A list-\n"
    "Jurisdiction A. It had Coresponder cars, co responder.\n"
)


def test_a_word_wrapped_across_a_line_is_found_as_wei_qual_search_finds_it(tmp_path, make_transcript):
    # A transcription service hyphenates a word at a line's end ("stabil-⏎ization"): `wei-qual search
    # stabilization` found it, the session's /stabilization did not. Both now mark the same words.
    from wei_qual.ingest import ingest_files
    from wei_qual.search import search

    db = open_db(tmp_path / "wrapped.db")
    ingest_files(db, [make_transcript(WRAPPED_TEXT, "P42.txt")])
    stored = db.execute("SELECT text FROM segments WHERE n = 2").fetchone()[0]
    for query in [
        "stabilization",
        "crisis stabilization",
        "co-responder team",
        "co responder team",
        "hospitalize nobody",
        "every one",
        "stabil ization",
        "its co ordinator said",
    ]:
        wanted = [(h.start, h.end) for h in search(db, query).hits]
        assert wanted and find(stored, query) == wanted, query


def test_a_wrap_is_one_word_only_where_the_next_line_goes_on_in_small_letters():
    text = WRAPPED_TEXT
    (span,) = find(text, "Stabilization")
    assert text[slice(*span)] == "stabil-\nization"  # the highlight is the stored words, the wrap inside
    assert [text[a:b] for a, b in find(text, "co-responder")] == ["co-\nresponder", "co-responder"]
    assert [text[a:b] for a, b in find(text, "coresponder")] == ["co-\nresponder", "Coresponder"]
    assert find(text, "every thing") == find(text, "listjurisdiction") == []  # not a wrap of one word
    assert [text[a:b] for a, b in find(text, "everyone")] == ["every-\none", "everyone"]
    walk = WalkSearch(2, ["Nothing here.", text].__getitem__)
    assert walk.find("crisis stabilization unit", 0).startswith("No segment of this walk has")
    assert [text[a:b] for a, b in find(text, "hospitalize")] == ["hospital\u2011\r\n  ize"]
    hit = walk.find("crisis stabilization", 0)
    assert hit.index == 1 and [text[a:b] for a, b in walk.spans(1)] == ["crisis stabil-\nization"]


def test_invisible_format_characters_are_not_there_for_typed_words_as_for_wei_qual_search():
    # A zero-width space (a copy from a web page or a chat), a word joiner or a stray BOM shows as nothing
    # on the coding screen: /crisis unit found no "cri\u200bsis unit" that `wei-qual search` finds, nor
    # did a word copied with one find the same word typed. They are kept in the text and the highlight.
    from wei_qual.search.index import index_texts
    from wei_qual.search.query import parse_query

    text = "The cri\u200bsis unit was full; ca\u2060fe\ufeff closed; we \U0001f468\u200d\U0001f469 left; bell \u202e rang"
    ((terms, offsets),) = index_texts([text])
    for typed, words in [
        ("crisis unit", "cri\u200bsis unit"),
        ("cri\u200bsis", "cri\u200bsis"),  # a word copied with one in it
        ("CAFE CLOSED", "ca\u2060fe\ufeff closed"),
    ]:
        assert [text[a:b] for a, b in find(text, typed)] == [words]
        assert find(text, typed) == parse_query(typed).find(terms, offsets, text)
    assert [text[a:b] for a, b in find(text, "\U0001f468\u200d\U0001f469 left")] == [
        "\U0001f468\u200d\U0001f469 left"
    ]
    assert find(text, "bell \\u202e rang") == find(text, "bell rang")  # an override is typed as shown
    walk = WalkSearch(2, ["Nothing here.", text].__getitem__)
    assert walk.find("crisis unit", 0).index == 1


def test_a_session_search_finds_words_as_wei_qual_search_finds_them(tmp_path, make_transcript):
    # /co-responder found "co-responder" only, where `wei-qual search co-responder` finds "co responder" and
    # "coresponder" too (and /refuse no "refused", /B no "Option B."): the session now asks the project's
    # search index, so both find and mark the same words.
    from conftest import CODEBOOKS

    from wei_qual.codebook import load_into_project
    from wei_qual.coding import load_session
    from wei_qual.ingest import ingest_files
    from wei_qual.search import search

    text = (
        "Interviewer: Who comes?\n"
        "P44: The co-responder team. Nobody came.\n"
        "Interviewer: And then?\n"
        "P44: A co responder pilot, then the coresponder van; they refused him. Option B. it was. The bell "
        "\x07 rang.\n"
    )
    db = open_db(tmp_path / "walk.db")
    ingest_files(db, [make_transcript(text, "P44.txt")])
    load_into_project(db, CODEBOOKS / "wei_crisis_response.yaml")
    session, _ = load_session(db, "alice")
    stored = {n: t for n, t in db.execute("SELECT n, text FROM segments")}

    def marked(words):
        hits = {(h.segment, h.start, h.end) for h in search(db, words, role="participant").hits}
        got = set()
        for _ in range(len(hits)):
            if not isinstance(session.search(words), Notice):
                break
            n = session.current.segment.n
            got |= {(n, a, b) for a, b in session.search_spans()}
        assert got == hits, words
        return sorted(stored[n][a:b] for n, a, b in got)

    assert marked("co-responder") == ["co responder", "co-responder", "coresponder"]
    assert marked("refuse") == ["refused"] and marked("b") == ["B."]
    assert marked("co resp*") == ["co responder", "co-responder"]
    # A control character typed as the screen shows it is no word, as the index has none.
    assert marked("bell \\x07 rang") == ["bell \x07 rang"]
    assert session.search("ambulance").startswith('No segment of this walk has "ambulance"')
    assert session.search("*") == '"*" matches every word. Give some letters with the wildcard, e.g. refus*.'
    # Quoted words are said once quoted; a search with no word in it asks for the words (it gave the
    # command line's "e.g. wei-qual search ..." for `/-` typed twice).
    assert session.search('"no such phrase"').startswith('No segment of this walk has "no such phrase" (')
    assert (
        session.search("-")
        == session.search("'")
        == ("Type the words to find after /, e.g. /72-hour hold (/- searches back).")
    )


def test_a_first_search_while_another_writer_holds_the_project_says_busy_and_the_session_goes_on(
    tmp_path, monkeypatch
):
    # The session's first /WORDS indexes the project; with another coder's save holding the write lock
    # past the timeout, "database is locked" ended the session with a traceback.
    import io
    import sqlite3

    from rich.console import Console

    from wei_qual import store
    from wei_qual.cli.code_screen import run_session
    from wei_qual.coding import load_session

    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "p.db"
    build_project(open_db(path))
    db = open_db(path)
    session, context = load_session(db, "alice")
    other = sqlite3.connect(path)
    other.execute("BEGIN IMMEDIATE")  # another writer
    lines = iter(["/unit", "q"])
    out = Console(file=io.StringIO(), width=100)
    try:
        assert run_session(db, session, context, read_line=lambda _: next(lines), out=out) == "quit"
    finally:
        other.rollback()
        other.close()
    assert "The project is busy (another coder or command is writing to it): nothing moved." in (
        out.file.getvalue()
    )
    assert session.search("unit").startswith('"unit": p02 segment 3')  # once it is free
