"""A tiny three-coder project for the agree / reconcile tests (fictional data).

Units are the participant segments 2-5 of p01 (role officer, setting rural) and p02 (role provider,
setting urban). p02:5 is decided by alice only, so it is not a unit; p01:1 is an interviewer turn.
"""

from __future__ import annotations

from wei_qual.models import INTERVIEWER, PARTICIPANT, Code, Codebook, Decision, Segment, Transcript
from wei_qual.store import transaction
from wei_qual.store.codebooks import save_codebook_version
from wei_qual.store.decisions import save_decision
from wei_qual.store.transcripts import save_transcript

CODEBOOK = Codebook(
    name="Test",
    version="1",
    codes=(
        Code("access", "Access"),
        Code("wait", "Waiting", parent="access"),
        Code("beds", "Beds", parent="access"),
        Code("place", "Place taken", exclusive=True),
        Code("jail", "Jail", parent="place"),
        Code("hospital", "Hospital", parent="place"),
        Code("unused", "Nobody uses this"),
    ),
)

TEXTS = {
    ("p01", 1): "What happens on a crisis call?",
    ("p01", 2): "We wait hours at the unit.",
    ("p01", 3): "No beds [inaudible] so he went to jail.",
    ("p01", 4): "It depends on the night.",
    ("p01", 5): "The wait at the hospital was long.",
    ("p02", 1): "Tell me about admissions.",
    ("p02", 2): "They took her to jail.",
    ("p02", 3): "I am not sure.",
    ("p02", 4): "Beds were full, the hospital took him.",
    ("p02", 5): "We waited again.",
}

S = frozenset
DECISIONS = {
    "alice": {
        ("p01", 1): S({"wait"}),
        ("p01", 2): S({"wait"}),
        ("p01", 3): S({"beds", "jail"}),
        ("p01", 4): S(),
        ("p01", 5): S({"wait", "hospital"}),
        ("p02", 2): S({"jail"}),
        ("p02", 3): S(),
        ("p02", 4): S({"beds"}),
        ("p02", 5): S({"wait"}),
    },
    "bob": {
        ("p01", 1): S(),
        ("p01", 2): S({"wait"}),
        ("p01", 3): S({"jail"}),
        ("p01", 4): S({"wait"}),
        ("p01", 5): S({"wait", "hospital"}),
        ("p02", 2): S({"jail"}),
        ("p02", 3): S(),
        ("p02", 4): S({"beds", "hospital"}),
    },
    "carol": {
        ("p01", 2): S({"wait"}),
        ("p01", 3): S({"beds", "jail"}),
        ("p01", 5): S({"hospital"}),
        ("p02", 2): S(),
        ("p02", 4): S({"beds"}),
    },
}

# Expected reliability matrices over the 7 units p01:2-5, p02:2-4 (alice, bob, carol; None = missing).
N = None
MATRICES = {
    "wait": [[1, 0, 0, 1, 0, 0, 0], [1, 0, 1, 1, 0, 0, 0], [1, 0, N, 0, 0, N, 0]],
    "beds": [[0, 1, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1], [0, 1, N, 0, 0, N, 1]],
    "jail": [[0, 1, 0, 0, 1, 0, 0], [0, 1, 0, 0, 1, 0, 0], [0, 1, N, 0, 0, N, 0]],
    "hospital": [[0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 1, 0, 0, 1], [0, 0, N, 1, 0, N, 0]],
    "unused": [[0] * 7, [0] * 7, [0, 0, N, 0, 0, N, 0]],
}
GROUP_PLACE = [
    ["(none)", "jail", "(none)", "hospital", "jail", "(none)", "(none)"],
    ["(none)", "jail", "(none)", "hospital", "jail", "(none)", "hospital"],
    ["(none)", "jail", N, "hospital", "(none)", N, "(none)"],
]
THEME_ACCESS = [[1, 1, 0, 1, 0, 0, 1], [1, 0, 1, 1, 0, 0, 1], [1, 1, N, 0, 0, N, 1]]


def _transcript(tid: str, attributes: dict[str, str]) -> Transcript:
    segments, text, pos = [], "", 0
    for n in range(1, 6):
        body = TEXTS.get((tid, n), f"Turn {n}.")  # a transcript a test adds: plain turns
        if n > 1:
            text += "\n\n"
            pos += 2
        role = INTERVIEWER if n == 1 else PARTICIPANT
        segments.append(Segment(n, "I" if n == 1 else tid.upper(), role, body, pos, pos + len(body)))
        text += body
        pos += len(body)
    return Transcript(tid, f"{tid}.txt", "txt", f"sha-{tid}", text, tuple(segments), attributes)


def build(db, *, coders=("alice", "bob", "carol")) -> None:
    """Fill a migrated project with the codebook, two transcripts and the decisions of `coders`."""
    with transaction(db):
        save_codebook_version(db, CODEBOOK, "name: Test\n")
        save_transcript(db, _transcript("p01", {"role": "officer", "setting": "rural"}))
        save_transcript(db, _transcript("p02", {"role": "provider", "setting": "urban"}))
        for coder in coders:
            for (tid, n), codes in DECISIONS[coder].items():
                save_decision(db, Decision(tid, n, coder, codes))


def add_transcript(db, tid: str, attributes: dict[str, str]) -> None:
    """One more transcript of five segments (the interviewer's first), for a test's own decisions."""
    save_transcript(db, _transcript(tid, attributes))
