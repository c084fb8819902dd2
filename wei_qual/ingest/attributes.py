"""The participant attributes CSV (`--attributes`): an `id` column plus any case variables.

An optional `speaker` column makes a row apply to one speaker of the transcript (the officer and the
clinician of a pair interview); rows with it empty apply to the whole transcript. A speaker named there,
and a `participant_id` (or `participant`) value, count as participant labels for role inference.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import TranscriptError
from ..spreadsheet import detect_delimiter
from .decode import decode_text

SPEAKER_COLUMN = "speaker"
PARTICIPANT_ID_COLUMNS = ("participant_id", "participant")


@dataclass(frozen=True)
class AttributeRow:
    line: int  # 1-based line in the CSV, for messages
    transcript_id: str
    values: dict[str, str]  # empty cells left out, so they never overwrite a value
    speaker: str | None = None  # the row applies to this speaker only


def participant_ids(rows: list[AttributeRow]) -> dict[str, set[str]]:
    """Labels the CSV names as each transcript's participants: speakers of speaker rows, participant ids."""
    ids: dict[str, set[str]] = {}
    for row in rows:
        found = ids.setdefault(row.transcript_id, set())
        if row.speaker:
            found.add(row.speaker)
        for name, value in row.values.items():
            if name.casefold() in PARTICIPANT_ID_COLUMNS:
                found.add(value)
    return ids


def read_attributes_csv(path: Path, *, encoding: str | None = None) -> list[AttributeRow]:
    """Parse the CSV, or raise TranscriptError naming the file and line (no id column, duplicate ids)."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise TranscriptError(
            f'Attributes file "{name}" does not exist. Check the path given with --attributes.'
        ) from None
    except OSError as ex:
        raise TranscriptError(
            f'Attributes file "{name}" cannot be read ({ex.strerror}). Check the path given with --attributes.'
        ) from None
    if not data.strip():
        raise TranscriptError(
            f'"{name}" is empty. Give it a header row with an id column, then one row per transcript.'
        )
    text = decode_text(data, name, encoding)
    # ";" or tab-separated (European Excel) is read too: the header row with its id column tells.
    reader = csv.reader(io.StringIO(text), delimiter=detect_delimiter(text, ("id", SPEAKER_COLUMN)))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:  # pragma: no cover - decode_text already refuses empty files
        header = []
    lowered = [h.casefold() for h in header]
    if "id" not in lowered:
        # The header is not echoed: a transcript passed by mistake would print its first line.
        raise TranscriptError(
            f'"{name}", line 1: no "id" column in the header row ({len(header)} column(s)). '
            f"Add an id column holding each transcript's id (its file name without extension)."
        )
    id_col = lowered.index("id")
    speaker_col = lowered.index(SPEAKER_COLUMN) if SPEAKER_COLUMN in lowered else None
    rows: list[AttributeRow] = []
    first_line: dict[tuple[str, str | None], int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            tid = cells[id_col].strip() if id_col < len(cells) else ""
            if not tid:
                raise TranscriptError(
                    f'"{name}", line {line}: the id is empty. Fill in the id, or delete the row.'
                )
            speaker = (
                (cells[speaker_col].strip() or None)
                if speaker_col is not None and speaker_col < len(cells)
                else None
            )
            key = (tid, speaker)
            if key in first_line:
                what = f'id "{tid}"' + (f' with speaker "{speaker}"' if speaker else "")
                raise TranscriptError(
                    f'"{name}", line {line}: {what} is also on line {first_line[key]}. '
                    + ("Keep one row per speaker." if speaker else "Keep one row per transcript.")
                )
            first_line[key] = line
            values = {
                header[i]: cell.strip()
                for i, cell in enumerate(cells)
                if i not in (id_col, speaker_col) and i < len(header) and header[i] and cell.strip()
            }
            rows.append(AttributeRow(line, tid, values, speaker))
    except csv.Error as ex:
        raise TranscriptError(
            f'"{name}", line {reader.line_num}: not valid CSV ({ex}). Fix the row.'
        ) from None
    return rows
