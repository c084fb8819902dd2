"""A tiny project for the coding-session and decisions tests: two transcripts, one codebook."""

from __future__ import annotations

from wei_qual.models import INTERVIEWER, PARTICIPANT, Code, Codebook, Segment, Transcript
from wei_qual.store import transaction
from wei_qual.store.codebooks import save_codebook_version
from wei_qual.store.transcripts import save_transcript

CODEBOOK = Codebook(
    name="crisis",
    version="1.0",
    codes=(
        Code("response", "Crisis response", definition="How a crisis call is answered."),
        Code(
            "csu-admission",
            "CSU admission",
            parent="response",
            definition="Admitted to a CSU.",
            include="Drop-offs that were accepted.",
            exclude="Refusals.",
        ),
        Code("csu-refusal", "CSU refusal", parent="response", definition="A CSU turned the person away."),
        Code("co-responder", "Co-responder team", parent="response", definition="Clinician rides along."),
        Code("setting", "Setting", exclusive=True, definition="Where the agency works."),
        Code("setting-rural", "Rural", parent="setting"),
        Code("setting-urban", "Urban", parent="setting"),
        Code("followup", "Follow-up care", definition="Care after the crisis."),
    ),
)


def _transcript(tid: str, turns: list[tuple[str, str]], attributes: dict[str, str]) -> Transcript:
    segments, text, pos = [], "", 0
    for n, (role, words) in enumerate(turns, start=1):
        if text:
            text += "\n\n"
            pos += 2
        segments.append(Segment(n, "I" if role == INTERVIEWER else "P", role, words, pos, pos + len(words)))
        text += words
        pos += len(words)
    return Transcript(tid, f"{tid}.txt", "txt", f"sha-{tid}", text, tuple(segments), attributes)


TRANSCRIPTS = [
    _transcript(
        "p01",
        [
            (INTERVIEWER, "Tell me about the last crisis call."),
            (PARTICIPANT, "We took him to the crisis unit and they admitted him [inaudible]."),
            (INTERVIEWER, "And afterwards?"),
            (PARTICIPANT, "Nobody followed up, out here in the county."),
        ],
        {"role": "officer", "setting": "rural"},
    ),
    _transcript(
        "p02",
        [
            (INTERVIEWER, "How do calls go in the city?"),
            (PARTICIPANT, "The clinician rides with us downtown."),
            (PARTICIPANT, "The unit said no, they were full."),
        ],
        {"role": "provider", "setting": "urban"},
    ),
]


def build_project(db) -> int:
    """Fill a migrated db with the two transcripts and the codebook; return the codebook version id."""
    with transaction(db):
        for t in TRANSCRIPTS:
            save_transcript(db, t)
        return save_codebook_version(db, CODEBOOK, "name: crisis\n")


def add_suggestion(
    db, version_id: int, transcript: str, n: int, code: str, score: float, evidence: list[dict]
):
    """Insert one suggestion row directly: the session tests need a row, not the suggest engine."""
    import json

    seg_id = next(db.query("SELECT id FROM segments WHERE transcript_id = ? AND n = ?", [transcript, n]))[
        "id"
    ]
    db.table("suggestions").insert(
        {
            "segment_id": seg_id,
            "codebook_id": version_id,
            "code": code,
            "score": score,
            "evidence": json.dumps(evidence),
            "engine": "rules",
            "stale": 0,
            "created_utc": "2026-01-01T00:00:00Z",
        }
    )


# Three exchanges as a file holds them, `{P}` the participant's label: for projects a test builds through
# the CLI (ingest, codebook load, decisions import).
INTERVIEW = (
    "Interviewer: Tell me about the last crisis call.\n\n"
    "{P}: We drove him to the crisis unit and they took him right in.\n\n"
    "Interviewer: And afterwards?\n\n"
    "{P}: They said he was too violent for the unit, so it was jail or the ER.\n\n"
    "Interviewer: Anything else?\n\n"
    "{P}: Our clinician rides with the officer on the evening shift.\n"
)


def scripted_lines(*answers):
    """A screen's read_line that gives `answers` in turn; the Resized class among them is raised, as
    when the terminal is resized while the prompt waits."""
    from wei_qual.cli.line_input import Resized

    left = iter(answers)

    def read_line(prompt):
        answer = next(left)
        if answer is Resized:
            raise Resized
        return answer

    return read_line
