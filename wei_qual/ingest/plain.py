"""Plain text and Markdown transcripts: split lines into speaker turns (also used for .docx paragraphs).

A labelled line starts a turn; following lines continue its paragraph; a blank line starts a new
paragraph of the same turn. Text before the first label, or a file without labels, becomes one
segment per paragraph with no speaker.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .decode import decode_text
from .frontmatter import split_front_matter
from .labels import LabelMatch, is_bare_name, match_label, parse_time
from .turns import Source, Turn

_HEADING = re.compile(r"\s{0,3}#{1,6}(?:\s|$)")
_LOOSE_TS = r"\d{1,2}:\d{1,2}(?::\d{1,2})?(?:[.,]\d{1,3})?"
_RANGE = re.compile(rf"(?P<start>{_LOOSE_TS})\s*-->\s*{_LOOSE_TS}")


def split_turns(lines: list[str]) -> list[Turn]:
    """Group lines (blank line = paragraph break) into turns."""
    matches: list[LabelMatch | None] = [match_label(line.strip()) if line.strip() else None for line in lines]
    _mark_timing_ranges(lines, matches)
    # A capitalised "Name:" that is not a known label form counts only when it recurs (real speaker
    # labels do; "Note: ..." once does not).
    counts = Counter(m.name for m in matches if m and m.name and not m.strong)

    turns: list[Turn] = []
    current: Turn | None = None
    paragraph: list[str] = []
    pending_time: float | None = None

    def flush() -> None:
        nonlocal paragraph, pending_time
        if not paragraph:
            return
        text = "\n".join(paragraph)
        paragraph = []
        if current is None or current.speaker is None:
            turns.append(Turn(None, [text], pending_time))  # unlabelled text: one segment per paragraph
            pending_time = None
        else:
            current.paragraphs.append(text)

    for line, m in zip(lines, matches):
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if m is not None and m.name and (m.strong or counts[m.name] >= 2):
            flush()
            current = Turn(m.name, [], m.time if m.time is not None else pending_time)
            pending_time = None
            turns.append(current)
            if m.rest.strip():
                paragraph.append(m.rest.strip())
            continue
        if m is not None and not m.name:  # a bare [00:12:03] marks time; text after it continues
            if current is not None and current.speaker is not None:
                if current.start_time is None:
                    current.start_time = m.time
            elif not paragraph:
                pending_time = m.time
            stripped = m.rest.strip()
            if not stripped:
                continue
        paragraph.append(stripped)
    flush()
    return merge_same_speaker([t for t in turns if t.paragraphs])


def _mark_timing_ranges(lines: list[str], matches: list[LabelMatch | None]) -> None:
    """Teams' older .docx export: a `0:0:4.1 --> 0:0:9.2` line, then the speaker's name alone, then text.

    The range becomes a time marker and the name line (the next non-blank one) a label.
    """
    for i, line in enumerate(lines):
        m = _RANGE.fullmatch(line.strip())
        if not m:
            continue
        matches[i] = LabelMatch("", "", parse_time(m["start"]), False)
        j = next((k for k in range(i + 1, len(lines)) if lines[k].strip()), None)
        if j is not None and is_bare_name(lines[j].strip()):
            matches[j] = LabelMatch(lines[j].strip(), "", parse_time(m["start"]), True)


def merge_same_speaker(turns: list[Turn]) -> list[Turn]:
    """Consecutive labelled turns of one speaker are one turn (its later labels just add timestamps)."""
    merged: list[Turn] = []
    for turn in turns:
        prev = merged[-1] if merged else None
        if prev is not None and turn.speaker is not None and turn.speaker == prev.speaker:
            prev.paragraphs.extend(turn.paragraphs)
            prev.end_time = turn.end_time if turn.end_time is not None else prev.end_time
        else:
            merged.append(turn)
    return merged


def read_text(path: Path, data: bytes, *, encoding: str | None = None) -> Source:
    """Read a .txt or .md transcript (front matter allowed), or raise TranscriptError."""
    name = str(path)
    text = decode_text(data, name, encoding)
    transcript_id, attributes, body = split_front_matter(text, name)
    lines = body.split("\n")
    fmt = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    if fmt == "md":  # Markdown headings title the document; they are not speech
        lines = ["" if _HEADING.match(line) else line for line in lines]
    turns = split_turns(lines)
    return Source(fmt, turns, scan_text=text, attributes=attributes, transcript_id=transcript_id)
