"""The participant attributes CSV (`--attributes`): an `id` column plus any case variables.

An optional `speaker` column makes a row apply to one speaker of the transcript (the officer and the
clinician of a pair interview); rows with it empty apply to the whole transcript. A speaker named there,
and a `participant_id` (or `participant`) value, count as participant labels for role inference; a
speaker whose row gives a research team's role (`role` = `interviewer`, `moderator`, `researcher`, `RA`...)
is an interviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..controls import LINE_BREAKS, has_controls
from ..errors import TranscriptError, quoted
from ..models import id_key, plural
from ..safeio import MAX_ATTRIBUTES_BYTES, read_input, too_large
from ..spreadsheet import CsvFormatError, CsvTable, detect_delimiter, trimmed
from .decode import decode_text
from .labels import DEFAULT_INTERVIEWER_LABELS, normalise_labels

SPEAKER_COLUMN = "speaker"
PARTICIPANT_ID_COLUMNS = ("participant_id", "participant")
# A row per participant, speaker or document: a study has thousands at most. A file past this is the
# wrong one (a decisions export, a survey's responses), and each row is held through the whole ingest.
MAX_ROWS = 100_000
_TOO_LARGE = (
    "An attributes file holds a row per participant or document, and a study's thousands of rows are "
    "well under 1 MB: check that it is the right file."
)


@dataclass(frozen=True)
class AttributeRow:
    line: int  # 1-based line in the CSV, for messages
    transcript_id: str
    values: dict[str, str]  # empty cells left out, so they never overwrite a value
    speaker: str | None = None  # the row applies to this speaker only
    warning: str | None = None  # a row shorter than the header: its missing columns are left unset
    header_line: int = 1  # the header's line (2 after an Excel "sep=" line), for messages on a column


# A role column's words for the research team, besides the labels a transcript gives an interviewer: a
# sheet says who someone is, not how they were labelled (`researcher`, `RA`), and a team member listed
# there was read as a participant, their questions counted as answers.
_INTERVIEWER_ROLES = normalise_labels(DEFAULT_INTERVIEWER_LABELS) | {
    "researcher",
    "research assistant",
    "research associate",
    "research staff",
    "research team",
    "study staff",
    "ra",
    # Not `investigator` alone: a police study's detectives hold that title.
    "principal investigator",
    "pi",
    "co-investigator",
    "co-i",
    "observer",
    "note taker",
}
_SPACES = re.compile(r"[\s_]+")


# The columns that say a speaker's part in the study; a `job_role` or `rank` says their work, where a
# participant is a "Research Assistant" at a hospital.
_ROLE_COLUMNS = frozenset({"role", "speaker role", "study role", "role in study", "type", "speaker type"})


def says_interviewer(row: AttributeRow) -> bool:
    """A speaker row whose role column (`role`, `speaker_role`, `type`...) holds an interviewer's role: a
    team lists its interviewer beside the participants (`P07,Dana Whitfield,interviewer`)."""
    return row.speaker is not None and any(
        _SPACES.sub(" ", name.strip().casefold()) in _ROLE_COLUMNS
        and len(value) > 1  # `I`, `Q` label a turn, not a role in a sheet
        and _SPACES.sub(" ", value.strip().casefold()) in _INTERVIEWER_ROLES
        for name, value in row.values.items()
    )


# A transcript's row naming who interviewed (`id,interviewer,...`, `P07,Dana Whitfield`): a speaker so
# labelled is that file's interviewer. Several are split at `;`, `/`, `&` and ` and `, and at commas only
# when each part is a name of two words or more (`Whitfield, Dana` is Teams' one name).
INTERVIEWER_COLUMNS = ("interviewer", "interviewers", "interviewer_name", "moderator", "facilitator")
_SEVERAL = re.compile(r"\s*(?:[;/&]|\band\b)\s*")


def _names(value: str) -> list[str]:
    parts = [p for p in _SEVERAL.split(value) if p.strip()]
    out = []
    for part in parts:
        commas = [c.strip() for c in part.split(",") if c.strip()]
        out += commas if len(commas) > 1 and all(len(c.split()) > 1 for c in commas) else [part.strip()]
    return out


def interviewer_ids(rows: list[AttributeRow]) -> dict[str, set[str]]:
    """The labels the CSV names as each transcript's interviewers: speakers whose row gives them an
    interviewer's role (says_interviewer), and the names in a transcript row's interviewer column; keyed
    as participant_ids keys them."""
    ids: dict[str, set[str]] = {}
    for row in rows:
        found = ids.setdefault(id_key(row.transcript_id), set())
        if row.speaker and says_interviewer(row):
            found.add(row.speaker)
        elif row.speaker is None:
            found.update(interviewer_names(row.values))
    return ids


def interviewer_names(values: dict[str, str]) -> list[str]:
    """The names an interviewer column (or front matter key) holds: `interviewer: Dana Whitfield`."""
    return [
        n
        for key, value in values.items()
        if key.casefold().replace(" ", "_") in INTERVIEWER_COLUMNS
        for n in _names(value)
    ]


def participant_ids(rows: list[AttributeRow]) -> dict[str, set[str]]:
    """Labels the CSV names as each transcript's participants: speakers of speaker rows (but those it names
    as interviewers), participant ids; keyed by models.id_key of the transcript id (the CSV's "p01" is the
    file's "P01")."""
    ids: dict[str, set[str]] = {}
    for row in rows:
        found = ids.setdefault(id_key(row.transcript_id), set())
        if row.speaker and not says_interviewer(row):
            found.add(row.speaker)
        for name, value in row.values.items():
            if name.casefold() in PARTICIPANT_ID_COLUMNS:
                found.add(value)
    return ids


def read_attributes_csv(
    path: Path, *, encoding: str | None = None, notes: list[str] | None = None
) -> list[AttributeRow]:
    """Parse the CSV, or raise TranscriptError naming the file and line (no id column, duplicate ids, no
    rows, and what spreadsheet.CsvTable refuses: an unclosed quote, a column named twice, a value beyond
    the header). A row shorter than the header is read, its missing columns left unset, with a warning.
    A file read as UTF-16 without a BOM or as Mac Roman (decode.decode_text) says so in `notes`."""
    name = str(path)
    try:
        data = read_input(
            path,
            error=TranscriptError,
            max_bytes=MAX_ATTRIBUTES_BYTES,
            too_large=too_large(name, MAX_ATTRIBUTES_BYTES, "an attributes file", _TOO_LARGE),
        )
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
    text = decode_text(data, name, encoding, sheet=True, notes=notes)
    # ";" or tab-separated (European Excel) is read too: the header row with its id column tells.
    try:
        table = CsvTable(name, text, detect_delimiter(text, ("id", SPEAKER_COLUMN)), quote=quoted)
        return _rows(name, table)
    except CsvFormatError as ex:
        raise TranscriptError(str(ex)) from None


def _rows(name: str, table: CsvTable) -> list[AttributeRow]:
    header = table.header
    lowered = [h.casefold() for h in header]
    if "id" not in lowered:
        # The header is not echoed: a transcript passed by mistake would print its first line.
        raise TranscriptError(
            f'"{name}", line {table.header_line}: no "id" column in the header row ({plural(len(header), "column")}). '
            f"Add an id column holding each transcript's id (its file name without extension)."
        )
    odd = next((i for i, h in enumerate(header) if LINE_BREAKS.search(h) or has_controls(h)), None)
    if odd is not None:
        # A column's name is an attribute's: one holding "\n" ("role\nError: ...") started a line of its own
        # in every message and table naming it. Not echoed, as no header is.
        raise TranscriptError(
            f'"{name}", line {table.header_line}: the name of column {odd + 1} holds a line break or a control '
            "character (a terminal colour code or a bidi override). Retype the header cell, or save the sheet "
            "again as CSV."
        )
    id_col = lowered.index("id")
    speaker_col = lowered.index(SPEAKER_COLUMN) if SPEAKER_COLUMN in lowered else None
    rows: list[AttributeRow] = []
    first_line: dict[tuple[str, str | None], int] = {}
    for line, cells in table.records():
        if len(rows) == MAX_ROWS:
            raise TranscriptError(
                f'"{name}", line {line}: more than {MAX_ROWS:,} rows, where an attributes file holds a row per '
                "participant or document (a study's thousands at most). Check that it is the right file."
            )
        tid = trimmed(cells[id_col]) if id_col < len(cells) else ""
        if not tid:
            raise TranscriptError(
                f'"{name}", line {line}: the id is empty. Fill in the id, or delete the row.'
            )
        speaker = (
            (trimmed(cells[speaker_col]) or None)
            if speaker_col is not None and speaker_col < len(cells)
            else None
        )
        key = (id_key(tid), speaker)  # "P01" and "p01" name one transcript (apply_attributes)
        if key in first_line:
            what = f'id "{tid}"' + (f' with speaker "{speaker}"' if speaker else "")
            raise TranscriptError(
                f'"{name}", line {line}: {what} is also on line {first_line[key]}. '
                + ("Keep one row per speaker." if speaker else "Keep one row per transcript.")
            )
        first_line[key] = line
        values = {
            header[i]: value
            for i, cell in enumerate(cells)
            if i not in (id_col, speaker_col) and i < len(header) and header[i] and (value := trimmed(cell))
        }
        # A colour code or a bidi override in a cell (pasted from a terminal) would make "police" and
        # "\x1b[31mpolice\x1b[0m" two groups in every report: refused, as a transcript id holding one is.
        column = next(
            (
                h
                for h, v in ((header[id_col], tid), ("speaker", speaker or ""), *values.items())
                if has_controls(v)
            ),
            None,
        )
        if column is not None:
            raise TranscriptError(
                f'"{name}", line {line}: the {column!r} cell holds a control character (a terminal colour code '
                "or a bidi override), which would act on the terminal of whoever lists it and part its group "
                "from the same value without it. Retype the cell, or save the sheet again as CSV."
            )
        rows.append(
            AttributeRow(line, tid, values, speaker, _short_row(name, line, cells, table), table.header_line)
        )
    if not rows:  # as an empty file is: a header alone sets nothing
        raise TranscriptError(
            f'"{name}" has a header row and no rows under it. Add one row per transcript, or leave out '
            "--attributes."
        )
    return rows


def _short_row(name: str, line: int, cells: list[str], table: CsvTable) -> str | None:
    """The warning for a row with fewer cells than the header has columns: a hand-edited CSV that left
    off empty cells at the end reads as meant, but one missing in the middle slides every later value."""
    missing = [h for h in table.header[len(cells) : table.width] if h]
    if not missing:
        return None
    listed = ", ".join(quoted(m) for m in missing[:5]) + (
        f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    )
    return (
        f'"{name}", line {line}: {len(cells)} of {table.width} cells; {listed} left unset. If a cell is missing '
        "in the middle, the values after it are in the wrong columns: check the row."
    )
