"""A small fictional project for the learned engine's tests: 12 interviews, one lead's decisions.

Code "home-visit" has the keyword "follow-up" in the codebook, but participants never say it: they say
"someone stopped by her place a week later". The rules cannot find it; a model trained on the lead's
decisions can. Code "jail" is said with its keyword, so the rules find it too. Everything is fictional.
"""

from __future__ import annotations

import random

from wei_qual.models import INTERVIEWER, PARTICIPANT, Code, Codebook, Decision, Segment, Transcript
from wei_qual.store import transaction
from wei_qual.store.codebooks import save_codebook_version
from wei_qual.store.decisions import save_decisions
from wei_qual.store.transcripts import save_transcript

CODEBOOK = Codebook(
    name="learned test",
    version="1",
    codes=(
        Code("care", "Care"),
        Code("home-visit", "Home visit after the call", parent="care", keywords=("follow-up",)),
        Code("jail", "Jail as a fallback", parent="care", keywords=("jail",)),
        Code("rare", "A code nobody applied often", parent="care", keywords=("helicopter",)),
    ),
)
LEAD = "lead"

HOME_VISIT = [
    "Someone stopped by {who} place a week later.",
    "A nurse went round to {who} apartment a few days after.",
    "The peer worker knocked on {who} door the next week to see how things were.",
    "Two days later a counselor visited {who} at home.",
]
JAIL = [
    "In the end it was jail again.",
    "We had no choice, so jail it was.",
    "The jail was the only place open.",
]
FILLER = [
    "It was raining that night.",
    "My partner did the paperwork.",
    "The radio was quiet for once.",
    "That is how it usually goes.",
    "I remember the dog barking.",
]
RARE = "We talked about the helicopter."


def make_transcripts(
    count: int = 12, turns: int = 8, seed: int = 7
) -> list[tuple[Transcript, list[frozenset[str]]]]:
    """Transcripts with the codes each participant turn truly raises."""
    rng = random.Random(seed)
    result = []
    for i in range(1, count + 1):
        tid = f"t{i:02d}"
        pieces, truths = [], []
        for k in range(turns):
            pieces.append((INTERVIEWER, "What happened next?"))
            sentences, codes = [rng.choice(FILLER)], set()
            roll = rng.random()
            if roll < 0.4:
                sentences.append(rng.choice(HOME_VISIT).format(who=rng.choice(["her", "his", "their"])))
                codes.add("home-visit")
            elif roll < 0.7:
                sentences.append(rng.choice(JAIL))
                codes.add("jail")
            if i == 1 and k == 0:
                sentences.append(RARE)
                codes.add("rare")
            rng.shuffle(sentences)
            pieces.append((PARTICIPANT, " ".join(sentences)))
            truths.append(frozenset(codes))
        segments, text, pos = [], "", 0
        for n, (role, words) in enumerate(pieces, start=1):
            if text:
                text += "\n\n"
                pos += 2
            segments.append(
                Segment(n, "I" if role == INTERVIEWER else "P", role, words, pos, pos + len(words))
            )
            text += words
            pos += len(words)
        result.append((Transcript(tid, f"{tid}.txt", "txt", f"sha-{tid}", text, tuple(segments)), truths))
    return result


def build_learned_project(db, *, count: int = 12, coded: int | None = None) -> int:
    """Fill a migrated db: transcripts, the codebook, and the lead's decisions on the first `coded`
    transcripts (all by default). Returns the codebook version id."""
    with transaction(db):
        version = save_codebook_version(db, CODEBOOK, "name: learned test\n")
        decisions = []
        for index, (transcript, truths) in enumerate(make_transcripts(count)):
            save_transcript(db, transcript)
            if coded is not None and index >= coded:
                continue
            participant = [s for s in transcript.segments if s.role == PARTICIPANT]
            for segment, truth in zip(participant, truths):
                decisions.append(Decision(transcript.id, segment.n, LEAD, truth, codebook_version=version))
        save_decisions(db, decisions, actor=LEAD)
    return version
