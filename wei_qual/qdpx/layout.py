"""The plain text of a source in a .qdpx: written with speaker labels, read back into speaker turns.

Export writes one turn per paragraph, led by its time (`[00:01:02.5]`, or `[00:01:02.5-00:01:09]` when the
turn has an end time) and its speaker label: `Interviewer: ...` / `P01: ...`. Import splits any source's
text with ingest's own plain-text reader (so labels are recognised exactly as `wei-qual ingest` does) and
locates every turn in the source, so selections (character offsets) can be mapped to turns.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..ingest.labels import TS, parse_time
from ..ingest.plain import split_turns
from ..ingest.turns import TURN_SEPARATOR

# `[start-end]` at the start of a line: ingest's reader knows `[start]` only, so the end is read here.
_TIME_RANGE = re.compile(rf"(?P<indent>\s*)\[(?P<start>{TS})\s*-\s*(?P<end>{TS})\]")


def format_time(seconds: float) -> str:
    """12.5 -> "00:00:12.5": milliseconds at most, trailing zeros dropped (read back by parse_time)."""
    millis = round(seconds * 1000)
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    text = f"{h:02d}:{m:02d}:{s:02d}"
    return f"{text}.{ms:03d}".rstrip("0") if ms else text


def label_prefix(speaker: str | None, start_time: float | None, end_time: float | None) -> str:
    """What precedes a turn's text in the exported file: time, then `Speaker: `."""
    parts = []
    if start_time is not None:
        end = f"-{format_time(end_time)}" if end_time is not None else ""
        parts.append(f"[{format_time(start_time)}{end}]")
    if speaker:
        parts.append(f"{speaker}:")
    return " ".join(parts) + " " if parts else ""


def export_text(segments: Sequence[dict]) -> tuple[str, list[tuple[int, int]]]:
    """The source text of a transcript and each segment's (start, end) span of its text (not its label).

    `segments` are store rows (speaker, text, start_time, end_time) in order.
    """
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for seg in segments:
        if parts:
            pos += len(TURN_SEPARATOR)
        prefix = label_prefix(seg["speaker"], seg["start_time"], seg["end_time"])
        parts.append(prefix + seg["text"])
        spans.append((pos + len(prefix), pos + len(prefix) + len(seg["text"])))
        pos += len(parts[-1])
    return TURN_SEPARATOR.join(parts), spans


@dataclass(frozen=True)
class SourceTurn:
    """A speaker turn found in a source text, with where its text lies in that text."""

    speaker: str | None
    text: str  # as ingest stores it: paragraphs joined by a blank line
    start: int  # offsets into the (normalised) source text: first character of the turn's text
    end: int  # one past its last character
    start_time: float | None
    end_time: float | None


def split_source_text(text: str) -> list[SourceTurn]:
    """Split normalised text (\\n line ends) into speaker turns with ingest's plain-text reader.

    Each turn's span covers its paragraphs in `text` (labels between paragraphs of a merged turn
    included); labels before it are not part of it, so a selection of a label alone hits no turn.
    """
    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    ends: dict[int, float] = {}
    read = list(lines)
    for i, line in enumerate(lines):
        m = _TIME_RANGE.match(line)
        if m:
            ends[i] = parse_time(m["end"])
            read[i] = f"{m['indent']}[{m['start']}]{line[m.end() :]}"
    turns = split_turns(read)
    stripped = [line.strip() for line in read]
    out: list[SourceTurn] = []
    i = 0  # the next line a paragraph line can come from
    for turn in turns:
        first = last = None
        from_line = i
        for paragraph in turn.paragraphs:
            for part in paragraph.split("\n"):
                while i < len(lines) and not stripped[i].endswith(part):
                    i += 1
                if i == len(lines):  # pragma: no cover - every paragraph line comes from a line
                    raise ValueError("a turn's text was not found in its source")
                start = offsets[i] + len(lines[i].rstrip()) - len(part)
                first = start if first is None else first
                last = start + len(part)
                i += 1
        end_time = next((ends[k] for k in range(i - 1, from_line - 1, -1) if k in ends), turn.end_time)
        out.append(
            SourceTurn(
                speaker=turn.speaker,
                text=TURN_SEPARATOR.join(p.strip() for p in turn.paragraphs if p.strip()),
                start=first,
                end=last,
                start_time=None if turn.start_time is None else round(turn.start_time, 3),
                end_time=None if end_time is None else round(end_time, 3),
            )
        )
    return [t for t in out if t.text]


@dataclass(frozen=True)
class OffsetMap:
    """Positions in a source file as a tool counts them -> positions in the normalised text.

    The text is normalised like ingest does (no BOM, \\r\\n and \\r become \\n). NVivo and MAXQDA count a
    \\r\\n as two characters; ATLAS.ti counts it as one (`lines_count_one`).
    """

    removed: tuple[int, ...]  # raw positions of the \\r of each \\r\\n
    raw_length: int
    lines_count_one: bool = False

    @property
    def length(self) -> int:
        """The largest position a selection may name."""
        return self.raw_length - (len(self.removed) if self.lines_count_one else 0)

    def to_text(self, position: int) -> int:
        if self.lines_count_one:
            return position
        return position - bisect.bisect_left(self.removed, position)


def normalise_text(raw: str, *, lines_count_one: bool = False) -> tuple[str, OffsetMap]:
    """Strip a leading BOM and normalise line ends, keeping the map of offsets."""
    raw = raw.removeprefix("\ufeff")
    removed = tuple(m.start() for m in re.finditer("\r\n", raw))
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return text, OffsetMap(removed, len(raw), lines_count_one)
