"""The names wei-qual gives things inside a .qdpx, shared by the exporter and the importer.

Other tools show these as ordinary case variables and notes; wei-qual reads them back exactly.
"""

from __future__ import annotations

import datetime
import re

NS = "urn:QDA-XML:project:1.0"
Q = f"{{{NS}}}"
QDE = "project.qde"

SPEAKER_VARIABLE = "Speaker label"  # the case's speaker label in its transcript
INTERVIEWER_VARIABLE = "Interviewer labels"  # labels of the interviewer turns of the case's transcript, "; "
LABEL_SEPARATOR = "; "  # between the labels of a list (join_labels); a ";" or backslash in a label is escaped
# "document" on the cases of a document (a policy, an MOU; no speakers), "interview" on the others. Written
# only when the project has documents; a source without it is read as an interview.
KIND_VARIABLE = "Source kind"
# Why wei-qual could not tell the roles of a transcript's turns (they need a human look), on the cases of
# such a transcript; written only when the project has one. A source without it gets its roles read again.
ROLES_VARIABLE = "Roles to review"
# The speaker labels whose role a person set (`transcripts roles`, --interviewer-labels), "; "-separated, on
# the cases of such a transcript; written only when the project has one. Read back as set by a person, so
# the roles stay "given" and a new version of the transcript keeps them, as in the exporting project.
GIVEN_VARIABLE = "Roles set by a person"
# The role a person gave a transcript's unlabelled text (`transcripts roles ID --unlabelled ROLE`): "interviewer"
# "participant" or "other", on the cases of such a transcript; written only when the project has one. Without it an
# import gives unlabelled text the role review, as ingest does.
UNLABELLED_VARIABLE = "Role of unlabelled text"
# The speaker labels a person set as neither interviewer nor participant (`transcripts roles ID --other NAME`:
# the radio, a colleague at the door), "; "-separated, on the cases of such a transcript; written only when
# the project has one. Without it an import reads them as participants (every label not an interviewer's).
OTHER_VARIABLE = "Other speakers"
# The speaker labels left to review (a voice heard once the evidence cannot place), the same way. Without it
# an import reads them as participants, counted and coded.
REVIEW_SPEAKERS_VARIABLE = "Speakers to review"

NOTE_DECISION = "Decision note"  # a coder's note on a decision (segment)
NOTE_RATIONALE = "Rationale"  # why the consensus coder chose these codes
NOTE_NOTHING = "Nothing applies"  # a decision with no codes: the coder looked, and no code applies
NOTE_NOTHING_TEXT = "Nothing applies."
NOTE_MEMO = "Memo"
# On a decision's selection, by its coder, and referred to by the codings of the codes it accepted (a
# Coding's NoteRef, the standard's place for a note on one coding): which codes wei-qual's suggestions put
# on screen, which the coder took, and each taken code's evidence, for the reader in another tool.
NOTE_SUGGESTIONS = "Suggestions"
SUGGESTED = "Suggested: "  # the note's lines the import reads back: code ids, ", "-separated
ACCEPTED = "Accepted: "
NOTE_SEGMENTS = "wei-qual segments"  # on a document's source: where its segments lie (layout.py)

CODEBOOK_NAME = "Codebook name: "  # lines of the project Description
CODEBOOK_VERSION = "Codebook version: "
CODEBOOK_DESCRIPTION = "Codebook description: "

# A label may hold ";" ("Ray (ride-along; CIT)"): in a list it is written \; (and a backslash \\), so the list
# reads back exactly. A file written before the escaping (no \; nor \\ in it) reads as it always did.
_LIST_PART = re.compile(r"(?:\\.|[^;\\])*\\?")


def join_labels(labels) -> str:
    """The value of a label-list variable: labels "; "-separated, each ";" and "\\" in a label escaped."""
    return LABEL_SEPARATOR.join(label.replace("\\", "\\\\").replace(";", "\\;") for label in labels)


def split_labels(value: str) -> list[str]:
    """The labels of a label-list variable (join_labels), in order, blanks dropped; an unescaped ";" splits."""
    labels = []
    for part in _LIST_PART.findall(value):
        label = re.sub(r"\\([;\\])", r"\1", part).strip()
        if label:
            labels.append(label)
    return labels


_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")


def xsd_datetime(value: str | None) -> str | None:
    """The value if it is a valid xsd:dateTime (as the store writes them), else None."""
    if not value or not _DATETIME.fullmatch(value):
        return None
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value


# xsd:dateTime as a file may write it: a year of any length or sign, any fraction, an offset or none.
_ANY_DATETIME = re.compile(r"(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?")
ZONELESS, UNREADABLE = "zoneless", "unreadable"


def utc_time(value: str | None) -> tuple[str | None, str | None]:
    """(the time as UTC text for a *_utc column, what was wrong) of an xsd:dateTime a .qdpx holds.

    Times are compared as text (the latest decision, a unit's time), so they must all be UTC in one
    spelling. A UTC time is kept as written (a wei-qual file's come back exactly); one with another
    offset is moved to UTC (ATLAS.ti-style "+02:00"); one without a zone is read as UTC (ZONELESS); one
    Python cannot hold (year 0 or before, after 9999) is dropped (UNREADABLE). 24:00:00 is the next day.
    """
    if not value:
        return None, None
    m = _ANY_DATETIME.fullmatch(value.strip())
    if m is None:
        return None, UNREADABLE
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    fraction, zone = m.group(7) or "", m.group(8)
    late = hour == 24  # xsd's end of the day
    try:
        moment = datetime.datetime(year, month, day, 0 if late else hour, minute, second)
        if late:
            moment += datetime.timedelta(days=1)
        if zone not in (None, "Z", "+00:00", "-00:00"):
            sign = 1 if zone[0] == "+" else -1
            moment -= sign * datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        elif not late and zone is not None:
            return value.strip(), None
    except (ValueError, OverflowError):  # no such day, or moved past year 1 or 9999
        return None, UNREADABLE
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z", (ZONELESS if zone is None else None)


_INTEGER = re.compile(r"-?(?:0|[1-9]\d*)")
_DECIMAL = re.compile(r"-?(?:0|[1-9]\d*)\.\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

VALUE_ELEMENTS = {
    "Text": "TextValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Boolean": "BooleanValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}


def _is_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def variable_type(values: list[str]) -> str:
    """The REFI type of an attribute: typed only when every value's text is that type's own spelling.

    Values are read back as written, so "2.50" stays "2.50"; ids with leading zeros ("007") stay Text.
    """
    if not values:
        return "Text"
    for kind, test in (
        ("Integer", _INTEGER.fullmatch),
        ("Float", _DECIMAL.fullmatch),
        ("Boolean", lambda v: v in ("true", "false")),
        ("Date", _is_date),
    ):
        if all(test(v) for v in values):
            return kind
    return "Text"


def suggestions_note(shown, accepted, evidence: dict[str, list[tuple]]) -> str:
    """The text of a decision's Suggestions note: the codes shown and accepted (ids, sorted), then one line
    per accepted code with the engine, score and evidence of each suggestion of it
    (`evidence`: code -> [(engine, score, evidence JSON)], as the store keeps them)."""
    import json

    lines = [SUGGESTED + ", ".join(sorted(shown)), ACCEPTED + (", ".join(sorted(accepted)) or "(none)")]
    for code in sorted(accepted):
        for engine, score, spans in evidence.get(code, ()):
            words = []
            for span in json.loads(spans):
                flags = [f for f in ("negated", "counterfactual", "excluded") if span.get(f)]
                if span.get("negated") and span.get("cue"):
                    flags[0] = f'negated by "{span["cue"]}"'
                said = " ".join(span["text"].split())
                words.append(f'"{said}" ({", ".join([span["source"], *flags])})')
            lines.append(
                f"{code}: suggested by {engine}, score {score:.2f}; evidence: {'; '.join(words) or 'none'}"
            )
    return "\n".join(lines)


def read_suggestions_note(text: str) -> tuple[set[str], set[str]] | None:
    """(codes shown, codes accepted) from a Suggestions note, or None when it is not one wei-qual wrote (no
    "Suggested: " line): then it is an ordinary note of that name."""
    shown: set[str] | None = None
    accepted: set[str] = set()
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(SUGGESTED) and shown is None:
            shown = {c.strip() for c in line[len(SUGGESTED) :].split(",") if c.strip()}
        elif line.startswith(ACCEPTED):
            value = line[len(ACCEPTED) :].strip()
            if value != "(none)":
                accepted |= {c.strip() for c in value.split(",") if c.strip()}
    if shown is None:
        return None
    return shown, accepted
