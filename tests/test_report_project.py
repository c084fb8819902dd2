"""A small hand-checkable project for the report tests, and a check of its shape.

Participants (transcripts) and attributes:
    P01 officer rural | P02 officer urban | P03 provider rural | P04 provider (no setting) | P05 officer urban
Codebook: access (theme) > access-beds, access-transport; followup (top-level code).
Segment 1 of every transcript is the interviewer; segments 2 and 3 are the participant.

consensus:  P01:1 followup (interviewer, never counted) | P01:2 beds+transport | P01:3 beds | P02:2 followup
            P03:2 transport | P03:3 nothing | P04:2 beds+followup | P05:2 nothing
alice:      P01:1 followup | P01:2 beds+transport | P02:2 followup | P03:2 transport | P04:2 beds
bob:        P01:2 beds | P02:2 followup | P03:2 nothing
carol:      P01:2 followup
"""

from __future__ import annotations

from wei_qual.models import INTERVIEWER, PARTICIPANT, Code, Codebook, Decision, Segment, Transcript
from wei_qual.store import transaction
from wei_qual.store.codebooks import save_codebook_version
from wei_qual.store.decisions import iter_decisions, save_decision
from wei_qual.store.transcripts import save_transcript

LONG = (
    "When the unit is full we drive the person two hours to the next county, and by the time we get "
    "back the shift is over, so honestly the beds are the whole problem for a rural agency like ours."
)
SCRIPT = "We wait | and wait [inaudible] <script>alert(1)</script> for a bed."

TEXTS = {
    "P01": [
        "How do crisis calls go?",
        LONG,
        "Beds again, there are never enough beds for the people we see.",
    ],
    "P02": ["Tell me about follow-up.", "Nobody calls them back after the crisis, that's the gap.", "ok"],
    "P03": ["What happens at intake?", "The van only runs on weekdays.", "I don't know."],
    "P04": ["And then?", SCRIPT, "Yes."],
    "P05": ["Anything else?", "Not really, no.", "Thanks."],
}
ATTRIBUTES = {
    "P01": {"role": "officer", "setting": "rural"},
    "P02": {"role": "officer", "setting": "urban"},
    "P03": {"role": "provider", "setting": "rural"},
    "P04": {"role": "provider"},
    "P05": {"role": "officer", "setting": "urban"},
}
CODEBOOK = Codebook(
    name="crisis",
    version="1",
    codes=(
        Code("access", "Access to resources"),
        Code("access-beds", "CSU beds", parent="access"),
        Code("access-transport", "Transport", parent="access"),
        Code("followup", "Follow-up care"),
    ),
)
DECISIONS = {
    "consensus": {
        ("P01", 1): {"followup"},
        ("P01", 2): {"access-beds", "access-transport"},
        ("P01", 3): {"access-beds"},
        ("P02", 2): {"followup"},
        ("P03", 2): {"access-transport"},
        ("P03", 3): set(),
        ("P04", 2): {"access-beds", "followup"},
        ("P05", 2): set(),
    },
    "alice": {
        ("P01", 1): {"followup"},
        ("P01", 2): {"access-beds", "access-transport"},
        ("P02", 2): {"followup"},
        ("P03", 2): {"access-transport"},
        ("P04", 2): {"access-beds"},
    },
    "bob": {("P01", 2): {"access-beds"}, ("P02", 2): {"followup"}, ("P03", 2): set()},
    "carol": {("P01", 2): {"followup"}},
}


def make_transcript(tid: str) -> Transcript:
    segments, text, pos = [], "", 0
    for n, turn in enumerate(TEXTS[tid], start=1):
        if n > 1:
            text += "\n\n"
            pos += 2
        segments.append(
            Segment(
                n, "I" if n == 1 else tid, INTERVIEWER if n == 1 else PARTICIPANT, turn, pos, pos + len(turn)
            )
        )
        text += turn
        pos += len(turn)
    return Transcript(tid, f"{tid}.txt", "txt", f"sha-{tid}", text, tuple(segments), dict(ATTRIBUTES[tid]))


def build_report_project(db, *, coders=("consensus", "alice", "bob", "carol")) -> None:
    """Fill a migrated project with the fixture above (only the given coders' decisions)."""
    with transaction(db):
        for tid in TEXTS:
            save_transcript(db, make_transcript(tid))
        save_codebook_version(db, CODEBOOK, "name: crisis\n")
    for coder in coders:
        for (tid, n), codes in DECISIONS[coder].items():
            save_decision(db, Decision(tid, n, coder, frozenset(codes)))


def test_fixture_project_holds_every_decision(db):
    build_report_project(db)
    assert len(iter_decisions(db)) == sum(len(v) for v in DECISIONS.values()) == 17
