"""Speaker turns, as every reader produces them, and the one builder that turns them into a Transcript.

The stored plain text is the turns' texts joined by blank lines (paragraphs within a turn are also
separated by a blank line), so each segment's offsets locate its text exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import TranscriptError
from ..models import Segment, Transcript
from .labels import normalise_labels, speaker_role

TURN_SEPARATOR = "\n\n"


@dataclass
class Turn:
    speaker: str | None
    paragraphs: list[str] = field(default_factory=list)
    start_time: float | None = None
    end_time: float | None = None


@dataclass
class Source:
    """What a reader gives back: turns, plus what the file itself says about the transcript."""

    format: str
    turns: list[Turn]
    scan_text: str  # the text the PII gate scans: decoded file text, or extracted text for .docx
    attributes: dict[str, str] = field(default_factory=dict)
    transcript_id: str | None = None  # set by front matter


def build_transcript(
    source: Source, *, transcript_id: str, path: str, sha256: str, interviewer_labels: Sequence[str]
) -> Transcript:
    """Number the turns into segments with exact offsets, or raise TranscriptError when none has text."""
    labels = normalise_labels(interviewer_labels)
    parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    for turn in source.turns:
        text = TURN_SEPARATOR.join(p for p in (p.strip() for p in turn.paragraphs) if p)
        if not text:
            continue
        if parts:
            pos += len(TURN_SEPARATOR)
        parts.append(text)
        segments.append(
            Segment(
                n=len(segments) + 1,
                speaker=turn.speaker,
                role=speaker_role(turn.speaker, labels),
                text=text,
                start_char=pos,
                end_char=pos + len(text),
                start_time=turn.start_time,
                end_time=turn.end_time,
            )
        )
        pos += len(text)
    if not segments:
        raise TranscriptError(
            f'"{path}" has speaker labels or captions but no transcript text. '
            f"Export the transcript again, or leave the file out."
        )
    return Transcript(
        id=transcript_id,
        source=path,
        format=source.format,
        sha256=sha256,
        text=TURN_SEPARATOR.join(parts),
        segments=tuple(segments),
        attributes=dict(source.attributes),
    )
