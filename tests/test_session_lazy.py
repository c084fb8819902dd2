"""A coding session starts from the queue's outline: it reads no segment text and no decision until the
screen needs them, and gives the same queue, screens and progress as reading everything up front."""

from __future__ import annotations

import itertools

import pytest
from _coding_project import build_project

from wei_qual import coding
from wei_qual.models import INTERVIEWER, OTHER, PARTICIPANT, Decision, Segment, Transcript
from wei_qual.session import Queue, QueueItem, build_queue, in_scope, scope_keys
from wei_qual.store import open_db, transaction
from wei_qual.store.decisions import delete_decision, iter_decisions, save_decision
from wei_qual.store.transcripts import iter_segment_outline, iter_transcript_segments, save_transcript


def _eager_queue(transcripts, *, include_interviewer=False, first=()):
    """The queue as it was built before: every item made up front from the segments."""
    out = []
    for tid in sorted(transcripts, key=lambda t: (t not in first, t)):
        segs = transcripts[tid]
        for i, seg in enumerate(segs):
            if in_scope(seg, include_interviewer=include_interviewer):
                out.append((tid, seg, segs[i - 1] if i else None, len(segs)))
    return out


def _gappy(tid: str, numbers: list[int], interviewer: set[int], other: set[int] = frozenset()) -> Transcript:
    """A transcript whose segment numbers have gaps and pass 9 (so text order would differ from number order);
    `other`: turns of someone who is neither (the radio), never in scope."""
    segments, text = [], ""
    for n in numbers:
        role = INTERVIEWER if n in interviewer else OTHER if n in other else PARTICIPANT
        words = f"Turn {n} of {tid}, fictional."
        if text:
            text += "\n\n"
        speaker = {INTERVIEWER: "I", OTHER: "Unknown Speaker"}.get(role, "P")
        segments.append(Segment(n, speaker, role, words, len(text), len(text) + len(words)))
        text += words
    return Transcript(tid, f"{tid}.txt", "txt", f"sha-{tid}", text, tuple(segments), {})


@pytest.fixture
def db(db_path):
    db = open_db(db_path)
    build_project(db)
    with transaction(db):
        save_transcript(db, _gappy("p03", [1, 2, 5, 9, 10, 11, 12, 20], interviewer={1, 9, 11}, other={10}))
        save_transcript(db, _gappy("p04", [3, 4], interviewer={3, 4}))  # nothing in scope
    return db


@pytest.mark.parametrize("include_interviewer", [False, True])
@pytest.mark.parametrize("first", [(), ("p02",), ("p03", "p01")])
def test_the_lazy_queue_has_the_items_of_the_eager_one(db, include_interviewer, first):
    segments = iter_transcript_segments(db)
    reads = []

    def turns_of(tid):
        reads.append(tid)
        return segments[tid]

    queue = Queue(iter_segment_outline(db), turns_of, include_interviewer=include_interviewer, first=first)
    assert reads == []  # nothing read to build it
    expected = _eager_queue(segments, include_interviewer=include_interviewer, first=first)
    assert len(queue) == len(expected)
    got = [(item.transcript, item.segment, item.previous, item.count) for item in queue]
    assert got == expected
    assert [
        (i.transcript, i.segment, i.previous, i.count) for i in (queue[k] for k in range(len(queue)))
    ] == expected
    assert queue[-1] == queue[len(queue) - 1] and queue[1:3] == [queue[1], queue[2]]
    with pytest.raises(IndexError):
        queue[len(queue)]
    for start in range(len(queue) + 1):
        assert list(queue.keys_from(start)) == [(t, s.n) for t, s, _, _ in expected[start:]]
    scope = queue.scope()
    wanted = scope_keys(segments, include_interviewer=include_interviewer)
    assert len(scope) == len(wanted) and set(scope) == wanted
    every = {(t, s.n) for t, segs in segments.items() for s in segs} | {("p09", 1), ("p03", 3)}
    assert {key for key in every if key in scope} == wanted
    assert "p01" not in scope and ("p01", 2, 3) not in scope


def test_build_queue_from_segments_is_the_same_queue(db):
    segments = iter_transcript_segments(db)
    assert [i.key for i in build_queue(segments, first=["p03"])] == [
        i.key for i in Queue(iter_segment_outline(db), segments.get, first=["p03"])
    ]
    assert isinstance(build_queue(segments)[0], QueueItem)


def test_the_outline_is_each_transcripts_numbers_in_order_and_its_interviewer_turns(db):
    outline = iter_segment_outline(db)
    assert outline["p03"] == ([1, 2, 5, 9, 10, 11, 12, 20], {1, 9, 11}, {10})
    assert outline["p04"] == ([3, 4], {3, 4}, set())
    assert outline["p01"] == ([1, 2, 3, 4], {1, 3}, set())
    assert list(outline) == ["p01", "p02", "p03", "p04"]
    assert iter_segment_outline(db, ["p03", "p01"]) == {"p01": outline["p01"], "p03": outline["p03"]}
    assert iter_segment_outline(db, ["nope"]) == {}


def test_start_up_reads_no_segment_text_and_the_first_screen_reads_one_transcript(db, monkeypatch):
    reads = []
    real = coding.iter_transcript_segments

    def counting(db, transcript_ids=None):
        reads.append(transcript_ids)
        return real(db, transcript_ids)

    monkeypatch.setattr(coding, "iter_transcript_segments", counting)
    session, _ = coding.load_session(db, "alice")
    assert reads == []
    assert session.current.segment.text.startswith("We took him")  # p01 segment 2, the first to code
    assert session.current.previous.n == 1
    assert reads == [["p01"]]
    session._go(session.index + 1)
    assert session.current.segment.n == 4 and reads == [["p01"]]  # the same transcript: read once


def _save(db, tid, n, coder, codes, note=""):
    save_decision(db, Decision(tid, n, coder, frozenset(codes), note, codebook_version=1))


def test_a_coders_decisions_are_read_per_transcript_when_first_needed(db, monkeypatch):
    _save(db, "p01", 2, "alice", {"csu-admission"}, "admitted")
    _save(db, "p02", 2, "alice", {"co-responder"})
    _save(db, "p02", 2, "bob", {"followup"})  # another coder's: never seen
    reads = []
    real = coding.iter_decisions

    def counting(db, **kwargs):
        reads.append(kwargs)
        return real(db, **kwargs)

    monkeypatch.setattr(coding, "iter_decisions", counting)
    session, _ = coding.load_session(db, "alice")
    assert reads == []  # start-up reads only which segments alice decided
    assert session.current.key == ("p01", 4)  # her coded segment is walked past
    assert session.progress() == (2, 8)  # p03:10 is the radio (role other): never in scope
    decisions = session.decisions
    assert ("p01", 2) in decisions and ("p02", 3) not in decisions and len(decisions) == 2
    assert decisions[("p01", 2)].note == "admitted"
    assert reads == [{"coders": ["alice"], "transcript_id": "p01"}]
    assert decisions.get(("p02", 2)).codes == frozenset({"co-responder"})
    assert decisions.get(("p02", 3)) is None
    assert len(reads) == 2
    full = {(d.transcript, d.segment): d for d in iter_decisions(db, coders=["alice"])}
    assert dict(decisions.items()) == full


def test_a_decision_saved_or_removed_after_start_up_is_seen_as_the_session_knows_it(db):
    _save(db, "p01", 2, "alice", {"csu-admission"})
    _save(db, "p02", 2, "alice", {"co-responder"})
    session, _ = coding.load_session(db, "alice")
    mine = Decision("p01", 4, "alice", frozenset({"followup"}), codebook_version=1)
    save_decision(db, mine)
    session.saved(mine)
    assert session.decisions[("p01", 4)] is mine  # read later, the transcript keeps what was saved
    assert session.decisions[("p01", 2)].codes == frozenset({"csu-admission"})
    delete_decision(db, "p02", 2, "alice")  # e.g. `coders remove` from another terminal
    assert session.decisions.get(("p02", 2)) is None and ("p02", 2) not in session.decisions
    assert session.progress() == (2, 8)  # p03:10 is the radio (role other): never in scope


def test_the_transcript_filter_works_on_the_lazy_queue(db):
    session, _ = coding.load_session(db, "alice", transcripts=["p03"])
    # p03:10 is the radio (role other): the queue walks past it.
    assert [i.key for i in session.queue] == [("p03", 2), ("p03", 5), ("p03", 12), ("p03", 20)]
    assert session.progress() == (0, 4)
    assert list(itertools.islice(session.queue.keys_from(2), 5)) == [("p03", 12), ("p03", 20)]
