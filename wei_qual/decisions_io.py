"""Decisions in and out as CSV (DESIGN §4) or JSON: all-or-nothing validated import, and export.

CSV contract: columns transcript,segment,coder,codes,note (optional excerpts); `segment` is 1-based;
`codes` is a `;`-separated list of code ids, empty when nothing applies; `excerpts` holds `CODE=start:end`
items separated by `;` (character offsets into the segment's text), checked against the segment.
Problems are reported by CSV line (header = 1).

Import forgives what spreadsheets and people do, and says so in a note: a `;` or tab delimiter and a
BOM (European Excel), code and transcript ids in another case, codes separated with `,` when every
part is a code, coder names with stray spaces or another case (wei_qual.coders).

A row that names the codebook version it was decided under (JSON export's `codebook_version` and
`codebook_sha256`, or such columns in a CSV) keeps it; a row that names none gets the active version.
"""

from __future__ import annotations

import difflib
import json
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from .coders import BadCoderName, normalise_coder_name
from .errors import DecisionError, quoted
from .excerpts import check_excerpts, format_excerpts, parse_excerpts
from .gcpause import paused_gc
from .models import OTHER, Codebook, Decision, Excerpt, did_you_mean, id_key, plural
from .numbers import whole_number
from .session import exclusive_conflicts
from .spreadsheet import (
    DELIMITERS,
    QUOTE,
    CsvFormatError,
    CsvTable,
    csv_text,
    detect_delimiter,
    restore_cell,
    separator_line,
)
from .store import transaction
from .store.codebooks import (
    codes_outside_active,
    get_active_codebook,
    get_codebook_merges,
    iter_codebook_versions,
)
from .store.decisions import (
    delete_decision,
    get_decision,
    iter_coder_decision_keys,
    iter_coders,
    iter_decisions,
    save_decisions,
)
from .store.transcripts import (
    LEADING_ZEROS,
    by_number,
    iter_segment_texts,
    iter_transcript_rows,
    segments_with_role,
)

COLUMNS = ("transcript", "segment", "coder", "codes", "note")
OPTIONAL = ("note", "excerpts")
EXPORT_COLUMNS = (*COLUMNS, "excerpts")
VERSION_KEYS = ("codebook_version", "codebook_sha256")  # JSON export writes them; a CSV may carry them
# A rationale column is read too, as JSON's is, and the version a row was decided under.
READ_COLUMNS = (*EXPORT_COLUMNS, "rationale", *VERSION_KEYS)
FORMATS = ("csv", "json")
MAX_LISTED_PROBLEMS = 50  # a wrong file can have thousands; the first 50 show the pattern
NO_CODEBOOK = 'No codebook is loaded. Load one with "wei-qual codebook load FILE".'


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    notes: tuple[str, ...] = ()  # what was read differently from how it was written, and why
    removed: int = 0  # with remove_missing: decisions of the file's coders on its transcripts it lacks

    @property
    def changed(self) -> int:
        return self.created + self.updated

    def to_json(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "notes": list(self.notes),
        }


@dataclass
class ParsedDecisions:
    decisions: list[Decision]
    notes: list[str] = field(default_factory=list)


def _read_text(path: Path, notes: list[str]) -> str:
    from .charsets import line_at, mac_roman_evidence, mac_roman_note, utf16_note, utf16_without_bom
    from .safeio import MAX_DECISIONS_BYTES, read_input, too_large

    try:
        data = read_input(
            path,
            error=DecisionError,
            max_bytes=MAX_DECISIONS_BYTES,
            too_large=too_large(path, MAX_DECISIONS_BYTES, "a decisions file"),
        )
    except OSError as ex:
        raise DecisionError(f'Cannot read "{path}" ({ex.strerror}). Check the path.') from ex
    if not data.strip():
        raise DecisionError(f'"{path}" is empty. Export a decisions file with "wei-qual decisions export".')
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text": UTF-16, tab-separated
            text = data.decode("utf-16")
        elif b"\x00" in data and (utf16 := utf16_without_bom(data)) is not None:
            text = data.decode(utf16)  # UTF-16 without a BOM: NULs at every other byte tell it
            notes.append(utf16_note(str(path), utf16))
        else:
            text = data.decode("utf-8-sig")  # spreadsheets often add a BOM
    except UnicodeDecodeError as ex:
        # Excel for Mac's "CSV (Macintosh)" is Mac Roman: read so where its bytes show it, and said.
        found = mac_roman_evidence(data, "cp1252")
        if found is None:
            line = line_at(data, ex.start)
            raise DecisionError(
                f'"{path}", line {line}: the file is not UTF-8 text. Re-save it as UTF-8 CSV '
                '(in Excel: Save As, "CSV UTF-8 (Comma delimited)").'
            ) from ex
        text = data.decode("mac_roman")
        notes.append(mac_roman_note(str(path), "cp1252", line_at(data, found[0]), *found[1:]))
    nul = text.find("\x00")
    if nul >= 0:  # a workbook or a damaged file; read on, a NUL would be stored in a note
        raise DecisionError(
            f'"{path}", line {text.count(chr(10), 0, nul) + 1}: a NUL character, which no CSV or JSON text '
            "holds: this is a spreadsheet workbook or another binary file, or a damaged one. Save the sheet as "
            '"CSV UTF-8" (or export the decisions again) and import that file.'
        )
    return text


def _csv_rows(
    path: Path, text: str, *, coder_given: bool, delimiter: str | None, notes: list[str]
) -> Iterator[tuple[str, dict[str, str]]]:
    """(location, row) pairs, read as they are used (a 500,000-row file is never held as dicts); the
    location is the CSV line where the record starts."""
    found = delimiter or detect_delimiter(text, COLUMNS)
    if delimiter is None and found != "," and separator_line(text) is None:  # "sep=;" says it itself
        notes.append(
            f'"{path}": columns are separated by {DELIMITERS[found]}s (as Excel saves CSV in many '
            "European languages, or as Unicode text); read that way."
        )
    try:
        table = CsvTable(str(path), text, found, quote=quoted)
        header = [h.lower() for h in table.header]
        required = [c for c in COLUMNS if c not in OPTIONAL and not (coder_given and c == "coder")]
        missing = [c for c in required if c not in header]
        if missing:
            names = ", ".join(f'"{m}"' for m in missing)
            how = (
                f"Pass --delimiter if its columns are not separated by {DELIMITERS[found]}s."
                if delimiter is not None
                else f"It was read as separated by {DELIMITERS[found]}s; pass --delimiter if that is wrong."
            )
            raise DecisionError(
                f'"{path}", line {table.header_line}: missing column {names} ({plural(len(header), "column")} found). '
                f"The header must be: {','.join(COLUMNS)}. {how}"
            )
        unread = [h for h in header if h and h not in READ_COLUMNS]
        if unread:
            notes.append(_unread_columns(path, table.header_line, unread))
        needed = {header.index(c): c for c in required}  # a row without these cells is refused
        last_needed = max(needed)
        width = len(header)
        for line, record in table.records():
            if len(record) <= last_needed:
                _short_row(path, line, record, table.width, needed)
            if len(record) < width:
                record = record + [""] * (width - len(record))
            # restore_cell undoes the apostrophe export puts before a formula-like cell or a formula
            # sign after a ";" or a line break in one (only a cell holding one can need it).
            yield str(line), dict(zip(header, [restore_cell(c) if QUOTE in c else c for c in record]))
    except CsvFormatError as ex:
        raise DecisionError(str(ex)) from None


def _unread_columns(path: Path, line: int, unread: list[str]) -> str:
    """The note for header columns the import does not read, with the column each may have meant."""
    named = []
    for h in unread:
        close = difflib.get_close_matches(h, READ_COLUMNS, n=1, cutoff=0.6)
        named.append(f'{quoted(h)} (did you mean "{close[0]}"?)' if close else quoted(h))
    several = len(named) > 1
    return (
        f'"{path}", line {line}: column{"s" if several else ""} {", ".join(named)} {"are" if several else "is"} '
        f"not read (the import reads {', '.join(EXPORT_COLUMNS)}); {'their' if several else 'its'} cells are "
        f"ignored. Rename {'a' if several else 'the'} column if it holds one of those."
    )


def _short_row(path: Path, line: int, record: list[str], width: int, needed: dict[int, str]) -> None:
    """Refuse a row that has no cell for a needed column: its codes would be read as nothing applies,
    and a cell missing in the middle would put every later value in the wrong column."""
    lacking = [name for i, name in sorted(needed.items()) if i >= len(record)]
    raise DecisionError(
        f'"{path}", line {line}: {len(record)} cell{"s" if len(record) != 1 else ""} where the header names '
        f"{width} columns, so the row has no {' or '.join(lacking)} cell. Write every cell, an empty one too "
        '(e.g. "p01,4,alice,," for nothing applies), and check the row\'s separators.'
    )


def _storable(item: dict) -> bool:
    """Whether the item's text is all characters: a lone surrogate made a UnicodeEncodeError traceback."""
    try:
        json.dumps(item, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json_rows(path: Path, text: str) -> list[tuple[str, dict[str, str]]]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as ex:
        raise DecisionError(f'"{path}", line {ex.lineno}: not valid JSON ({ex.msg}). Check the file.') from ex
    except (ValueError, RecursionError):  # a number of over 4,300 digits; thousands of nested brackets
        raise DecisionError(
            f'"{path}" holds JSON that cannot be read (a number too long, or lists nested too deep). Check the file.'
        ) from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise DecisionError(
            f'"{path}" must hold a JSON list of decision objects, as "decisions export --format json" writes.'
        )
    rows = []
    wrong = []
    escaped = "\\u" in text  # only an escape can make half of a UTF-16 pair ("\\ud800"), which no text holds
    for n, item in enumerate(items, start=1):
        if escaped and not _storable(item):
            wrong.append(
                f"{path}:item {n}: an escape (\\uD800 to \\uDFFF) stands for half of a character, which "
                "nothing can store (the file was damaged or cut). Write the character itself."
            )
            continue
        # A list or an object where text belongs was stored as its Python form: a coder "['alice']",
        # a note "{'text': 'hi'}".
        for key in COLUMNS:
            value = item.get(key)
            if key == "codes" and isinstance(value, list):
                odd = next((c for c in value if not isinstance(c, str)), "")
                if odd != "":
                    wrong.append(
                        f'{path}:item {n}: "codes" must be a list of code ids, not a list holding {_json_kind(odd)}.'
                    )
            elif isinstance(value, (list, dict, bool)):
                what = {"segment": "a number", "codes": "a list of code ids"}.get(key, "text")
                wrong.append(f'{path}:item {n}: "{key}" must be {what}, not {_json_kind(value)}.')
        codes = item.get("codes", "")
        if isinstance(codes, list):
            codes = ";".join(str(c) for c in codes)
        elif not isinstance(codes, str):  # reported as the unknown code it names
            codes = str(codes)
        row: dict = {k: "" if item.get(k) is None else str(item.get(k)) for k in COLUMNS} | {"codes": codes}
        if item.get("excerpts") is not None:
            row["excerpts"] = item["excerpts"]  # a list of {code, start, end, text}, checked later
        if isinstance(item.get("rationale"), str):  # a consensus decision's, as export writes it
            row["rationale"] = item["rationale"]
        for key in VERSION_KEYS:
            if item.get(key) is not None:
                row[key] = str(item[key])
        rows.append((f"item {n}", row))
    if wrong:
        listed = wrong[:MAX_LISTED_PROBLEMS] + (
            [f"... and {len(wrong) - MAX_LISTED_PROBLEMS} more."] if len(wrong) > MAX_LISTED_PROBLEMS else []
        )
        counted = f"{len(wrong)} problem{'s' if len(wrong) > 1 else ''}"
        raise DecisionError("\n".join([f"{path}: {counted}, nothing imported.", *listed]))
    return rows


def _json_kind(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return "a number"
    return "an object" if isinstance(value, dict) else "a list"


def _json_excerpts(value) -> tuple[list[Excerpt], list[str], dict[Excerpt, str]]:
    """Excerpts of a JSON item: (excerpts, problems, quoted text by excerpt)."""
    if not isinstance(value, list):
        return [], ['"excerpts" must be a list of {code, start, end} objects.'], {}
    found, problems, quoted = [], [], {}
    for item in value:
        ok = (
            isinstance(item, dict)
            and isinstance(item.get("code"), str)
            and all(
                isinstance(item.get(k), int) and not isinstance(item.get(k), bool) for k in ("start", "end")
            )
        )
        if not ok:
            problems.append('each excerpt must be {"code": ID, "start": N, "end": N}, with whole numbers.')
            continue
        e = Excerpt(item["code"], item["start"], item["end"])
        found.append(e)
        if isinstance(item.get("text"), str):
            quoted[e] = item["text"]
    return found, problems, quoted


def _excerpts(raw, codes: list[str], text: str | None, problem, ids: dict[str, str]) -> tuple[Excerpt, ...]:
    """The excerpts of a row (a CSV cell, or a JSON list), checked against its codes and segment text;
    their codes read as the codes cell's are (`ids`, see _codes)."""
    length = len(text) if text is not None else None
    if isinstance(raw, list):  # JSON
        found, shape, quoted = _json_excerpts(raw)
        checked = check_excerpts(found, codes=codes, length=length, ids=ids)
        for message in [*shape, *checked.problems]:
            problem(message)
        for e, words in quoted.items():
            if text is not None and e.end <= len(text) and text[e.start : e.end] != words:
                problem(
                    f"excerpt {e.code}={e.start}:{e.end}: its text is not the segment's text at those offsets "
                    "(the transcript changed, or the offsets are wrong). Check them."
                )
        return checked.excerpts
    checked = parse_excerpts(str(raw), codes=codes, length=length, ids=ids)
    for message in checked.problems:
        problem(message)
    return checked.excerpts


def _codes(cell: str, known: dict[str, str], problem, note) -> list[str]:
    """The code ids of a codes cell: `;`-separated, matched ignoring case (`known`: casefold -> id).
    A cell of codes separated with `,` is read when every part is a code; otherwise it gets a hint."""
    parts = [c.strip() for c in cell.split(";") if c.strip()]
    if len(parts) == 1 and "," in parts[0]:
        pieces = [c.strip() for c in parts[0].split(",") if c.strip()]
        if all(c.casefold() in known for c in pieces):
            note(
                f'codes "{parts[0]}" are separated with ","; read as {len(pieces)} codes. Separate codes with ";".'
            )
            parts = pieces
        else:
            problem(
                'the codes cell holds a "," and is not a list of codes. Separate codes with ";", e.g. '
                '"reuse;data-errors" (see the ids with "wei-qual codebook show").'
            )
            return []
    codes = []
    for code in parts:
        known_id = known.get(code.casefold())
        if known_id is None:
            # A typo is named with the code it was meant for, as the coding session names it.
            problem(
                f"unknown code {quoted(code)}{did_you_mean(code, set(known.values()))}. "
                'Check the code ids with "wei-qual codebook show".'
            )
            continue
        if known_id.casefold() != code.casefold():
            note(f'code "{code}" read as "{known_id}" (the codebook renamed it or merged it into that code).')
        elif known_id != code:
            note(f'code "{code}" read as "{known_id}" (code ids ignore case).')
        codes.append(known_id)
    return sorted(set(codes))


def _row_version(
    row: dict[str, str], where: str, path: Path, versions: dict[str, dict], problem, note
) -> int | None:
    """The project's number of the codebook version a row names, None when it names none (it gets the
    active one). `versions` holds the project's versions by number (as text) and by SHA-256: the hash
    names a version whatever number another project gave it. A version this project does not have
    raises DecisionError (one line): stamping the row with another would be silently wrong."""
    number = (row.get("codebook_version") or "").strip()
    sha = (row.get("codebook_sha256") or "").strip().lower()
    if not number and not sha:
        return None
    if number and whole_number(number) is None:
        problem(
            f'codebook_version {quoted(number)} is not a version number. Use a number from "wei-qual codebook '
            'versions", or leave it empty for the active version.'
        )
        return None
    if sha and (len(sha) != 64 or not all(c in "0123456789abcdef" for c in sha)):
        problem(
            f"codebook_sha256 {quoted(sha)} is not a SHA-256 (64 hexadecimal digits, as decisions export "
            "writes it). Correct it, or leave it empty."
        )
        return None
    found = versions.get(sha) if sha else versions.get(str(int(number)))
    if found is None:
        named = " ".join(part for part in (number, f"(SHA-256 {sha[:12]}...)" if sha else "") if part)
        given = [key for key in VERSION_KEYS if (row.get(key) or "").strip()]
        kind = "key" if where.startswith("item") else "column"
        raise DecisionError(
            f'"{path}", {where}: the row names codebook version {named}, which this project does not have. '
            'Load that codebook first ("wei-qual codebook load FILE", then load the active one again), or '
            f"remove the {' and '.join(given)} {kind}{'s' if len(given) > 1 else ''} to give the rows the "
            "active version; nothing was imported."
        )
    if number and sha and int(number) != found["id"]:
        note(
            f"codebook version {int(number)} of the file is version {found['id']} here (the same codebook text, "
            "found by its SHA-256)."
        )
    return found["id"]


def parse_decisions(
    path: Path,
    *,
    codebook: Codebook,
    segment_counts: dict[str, int],
    coder: str | None = None,
    known_coders: list[str] | None = None,
    delimiter: str | None = None,
    segment_texts=None,  # anything with .get((transcript, n)) -> text: excerpts are checked against it
    moves: dict[str, str] | None = None,
    kept_codes: Iterable[str] = (),
    versions: Iterable[dict] = (),
) -> ParsedDecisions:
    """Read and validate a decisions CSV (or .json) file against the project; all or nothing.

    `segment_counts` maps transcript id -> number of segments; `coder` fills or overrides the coder
    column; `known_coders` are the project's coders (a name matches one whatever its case);
    `delimiter` overrides the detected CSV delimiter. `moves` maps the ids the active codebook renamed
    (renamed_from) or merged (merged_into) to their new ids; `kept_codes` are ids no longer in the
    codebook that the project's decisions still hold (an export of them comes back as it was).
    `versions` are the project's codebook versions (id, sha256): a row naming one keeps it, its codes
    read as any row's. Raises DecisionError listing every problem, one line each, by CSV line number
    (and at once, in one line, for a row naming a version the project does not have). The notes say what
    was read differently from how it was written.
    """
    notes: list[str] = []
    text = _read_text(path, notes)
    if coder is not None:
        normalise_coder_name(coder, known_coders or [])  # a --coder that cannot be a name: one line
    rows = (
        _json_rows(path, text)
        if path.suffix.lower() == ".json"
        else _csv_rows(path, text, coder_given=bool(coder), delimiter=delimiter, notes=notes)
    )
    parents = {c.parent for c in codebook.codes if c.parent}
    known_codes = {c.id.casefold(): c.id for c in codebook.codes}
    known_codes |= {code.casefold(): code for code in kept_codes if code.casefold() not in known_codes}
    for old_id, new_id in (moves or {}).items():
        known_codes.setdefault(old_id.casefold(), new_id)  # a renamed or merged id comes in as its new one
    by_version = {str(v["id"]): v for v in versions} | {v["sha256"]: v for v in versions}
    numbered = by_number(segment_counts)
    known_transcripts: dict[str, list[str]] = {}
    for tid in segment_counts:
        known_transcripts.setdefault(id_key(tid), []).append(tid)
    coders = list(known_coders or [])
    row_notes: dict[str, list[str]] = {}  # the same note on many rows is said once, with its lines
    problems: list[str] = []
    seen: dict[tuple[str, int, str], str] = {}
    decisions = []
    # A file repeats a few coder names and code lists thousands of times: each distinct one is read once
    # (the coder cache is emptied when a new name joins the coders; a codes cell with a problem or a note
    # is read again on every row, so each row still gets its own message).
    names: dict[str, tuple[str, str | None, BadCoderName | None]] = {}
    count = 0
    code_lists: dict[str, tuple[list[str], frozenset[str], list[str]]] = {}
    for loc, row in rows:
        count += 1

        def problem(message: str, loc: str = loc) -> None:
            problems.append(f"{path}:{loc}: {message}")

        def note(message: str, loc: str = loc) -> None:
            row_notes.setdefault(message, []).append(loc)

        tid = (row.get("transcript") or "").strip()
        written = coder if coder is not None else (row.get("coder") or "")
        named = names.get(written)
        if named is None:
            try:
                named = (*normalise_coder_name(written, coders), None)
            except BadCoderName as ex:
                named = ("", None, ex)
            names[written] = named
        who, changed, refused = named
        if refused is not None:
            problem(
                f"the coder cell {refused.shown}{refused.reason}. "
                + (
                    "Is a column misplaced? Check the row."
                    if refused.size
                    else "Write the name in letters, digits, spaces and punctuation."
                )
            )
        if changed and who:
            note(changed if changed.endswith(".") else changed + ".")
        if who and who not in coders:
            coders.append(who)  # later rows spelled another way join this one
            names.clear()
        seg_text = (row.get("segment") or "").strip()
        before = len(problems)
        if not tid:
            problem('the transcript is empty. Fill in a transcript id (see "wei-qual transcripts list").')
        elif tid not in segment_counts:
            same = known_transcripts.get(id_key(tid), [])
            if len(same) == 1:
                why = (
                    "transcript ids ignore case here"
                    if tid.casefold() == same[0].casefold()
                    else "the same letters, their accents written another way, as a Mac names files"
                )
                note(f'transcript "{tid}" read as "{same[0]}" ({why}).')
                tid = same[0]
            elif (same_number := numbered(tid)) is not None:
                problem(
                    f'unknown transcript {quoted(tid)}, but transcript "{same_number}" has that number: {LEADING_ZEROS}'
                )
            else:
                problem(f'unknown transcript {quoted(tid)}. Check the ids with "wei-qual transcripts list".')
        n = whole_number(seg_text)
        if n is None:
            problem(
                f"segment {quoted(seg_text)} is not a segment number. "
                'Use the 1-based number from "wei-qual transcripts show".'
            )
        elif tid in segment_counts and not 1 <= n <= segment_counts[tid]:
            problem(
                f'transcript "{tid}" has no segment {n} (it has 1 to {segment_counts[tid]}). '
                'Check the numbers with "wei-qual transcripts show".'
            )
        if not who and refused is None:
            problem("the coder is empty. Fill in the coder column, or pass --coder.")
        cell = row.get("codes") or ""
        cached = code_lists.get(cell)
        if cached is None:
            said: list[tuple] = []
            codes = _codes(
                cell,
                known_codes,
                lambda m, said=said: said.append((problem, m)),
                lambda m, said=said: said.append((note, m)),
            )
            for tell, message in said:
                tell(message)
            checks = import_checks(codes, codebook, parents)
            cached = (codes, frozenset(codes), checks)
            if not said:
                code_lists[cell] = cached
        codes, code_set, checks = cached
        for message in checks:  # each row with these codes gets its own line
            problem(message)
        if n is not None and tid and who:
            key = (tid, n, who)
            if key in seen:
                problem(
                    f'duplicate of {seen[key]} (transcript "{tid}", segment {n}, coder "{who}"). '
                    "Keep one of the rows."
                )
            else:
                seen[key] = f"line {loc}" if loc.isdigit() else loc
        raw = row.get("excerpts")
        excerpts: tuple[Excerpt, ...] = ()
        if raw:  # segment texts are read only when a row has excerpts (a study's texts are megabytes)
            text = segment_texts.get((tid, n)) if segment_texts is not None and n is not None else None
            excerpts = _excerpts(raw, codes, text, problem, known_codes)
        version = _row_version(row, f"line {loc}" if loc.isdigit() else loc, path, by_version, problem, note)
        if len(problems) == before:
            note_text = row.get("note") or ""  # kept as written, so export -> import round-trips
            rationale = row.get("rationale") or ""
            decisions.append(
                Decision(
                    tid,
                    n,  # type: ignore[arg-type]
                    who,
                    code_set,
                    note=note_text,
                    codebook_version=version,
                    excerpts=excerpts,
                    rationale=rationale,
                )
            )
    if not count:  # as an empty file is: a header alone is not an import of nothing
        what = "an empty list" if path.suffix.lower() == ".json" else "only a header row"
        raise DecisionError(
            f'"{path}" has no decisions ({what}). Export a decisions file with "wei-qual decisions export".'
        )
    if problems:
        counted = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        listed = problems[:MAX_LISTED_PROBLEMS]
        if len(problems) > MAX_LISTED_PROBLEMS:
            listed.append(f"... and {len(problems) - MAX_LISTED_PROBLEMS} more.")
        raise DecisionError("\n".join([f"{path}: {counted}, nothing imported."] + listed))
    for message, locs in row_notes.items():
        where = (
            locs[0]
            if len(locs) == 1
            else f"{locs[0]} and {len(locs) - 1} more row{'s' if len(locs) > 2 else ''}"
        )
        notes.append(f"{path}:{where}: {message}")
    return ParsedDecisions(decisions, notes)


class _LazyTexts:
    """Segment texts read on first use: only files with excerpts need them."""

    def __init__(self, db: Database) -> None:
        self.db, self.texts = db, None

    def get(self, key: tuple[str, int]) -> str | None:
        if self.texts is None:
            self.texts = iter_segment_texts(self.db)
        return self.texts.get(key)


@paused_gc()  # a study's import makes hundreds of thousands of acyclic objects (rows, decisions)
def import_decisions(
    db: Database,
    path: Path,
    *,
    coder: str | None = None,
    actor: str | None = None,
    delimiter: str | None = None,
    remove_missing: bool = False,
) -> ImportResult:
    """Validate a decisions file against the active codebook and save it in one transaction.

    Unchanged rows are left alone; changed rows update (and are audited). With `remove_missing`, the
    file is its coders' whole coding of the transcripts it covers: their decisions there that it has no
    row for are removed (audited, their content kept in the audit log). Raises DecisionError.
    """
    active = get_active_codebook(db)
    if active is None:
        raise DecisionError(NO_CODEBOOK)
    version_id, codebook = active
    counts = {r["id"]: r["segments"] for r in iter_transcript_rows(db)}
    parsed = parse_decisions(
        path,
        codebook=codebook,
        segment_counts=counts,
        coder=coder,
        known_coders=iter_coders(db),
        delimiter=delimiter,
        segment_texts=_LazyTexts(db),
        moves={c.renamed_from: c.id for c in codebook.codes if c.renamed_from}
        | get_codebook_merges(db, version_id),
        kept_codes=codes_outside_active(db),
        versions=iter_codebook_versions(db),
    )
    _check_removed_codes(db, path, codebook, parsed.decisions)
    missing = _not_in_file(db, parsed.decisions)
    notes = tuple(parsed.notes)
    # Other speakers' turns (the radio, a colleague at the door) are stored as given but counted nowhere.
    others = segments_with_role(db, OTHER)
    aside = sorted({(d.transcript, d.segment) for d in parsed.decisions} & others) if others else []
    if aside:
        shown = ", ".join(f"{t}:{n}" for t, n in aside[:5]) + (
            f" and {len(aside) - 5} more" if len(aside) > 5 else ""
        )
        said = (
            f"{path.name} has rows for {len(aside)} turn{'s' if len(aside) != 1 else ''} of other speakers "
            f"(role other: neither interviewer nor participant; {shown}): they are stored, but no report, "
            "agreement or methods passage counts them."
        )
        notes += (said,)
    if not remove_missing:
        covered = _covered(parsed.decisions)
        notes += tuple(_missing_note(path, coder, keys, covered[coder]) for coder, keys in missing.items())

    def merge(d: Decision, old: Decision | None) -> Decision:
        # Keep which codes came from accepted suggestions when a row's codes still include them. A row
        # naming no version leaves it None: saved, it gets the active one; unchanged, it keeps its own.
        return Decision(
            d.transcript,
            d.segment,
            d.coder,
            d.codes,
            d.note,
            d.codebook_version,
            old.accepted & d.codes if old else frozenset(),
            old.shown if old else frozenset(),
            rationale=d.rationale
            or (old.rationale if old else ""),  # a file without one keeps the stored one
            excerpts=d.excerpts,
        )

    with transaction(db):
        created, updated, unchanged = save_decisions(db, parsed.decisions, actor=actor, merge=merge)
        removed = 0
        if remove_missing:
            for coder_name, keys in missing.items():
                for transcript, n in keys:
                    removed += delete_decision(db, transcript, n, coder_name, actor=actor)
    return ImportResult(created, updated, unchanged, notes, removed)


def _not_in_file(db: Database, decisions: list[Decision]) -> dict[str, list[tuple[str, int]]]:
    """{coder: (transcript, n) of their stored decisions on the transcripts the file covers for them that
    the file has no row for}: rows deleted in the sheet, perhaps on purpose."""
    rows: dict[str, set[tuple[str, int]]] = {}
    for d in decisions:
        rows.setdefault(d.coder, set()).add((d.transcript, d.segment))
    missing = {}
    for coder, keys in rows.items():
        covered = {t for t, _ in keys}
        stored = map(tuple, iter_coder_decision_keys(db, coder))
        found = [k for k in stored if k[0] in covered and k not in keys]
        if found:
            missing[coder] = found
    return missing


def _covered(decisions: list[Decision]) -> dict[str, list[str]]:
    """{coder: the transcripts the file has a row of theirs on, in file order}."""
    covered: dict[str, dict[str, None]] = {}
    for d in decisions:
        covered.setdefault(d.coder, {})[d.transcript] = None
    return {coder: list(tids) for coder, tids in covered.items()}


def _missing_note(path: Path, coder: str, keys: list[tuple[str, int]], covered: list[str]) -> str:
    """The rows a file lacks inside the transcripts it covers for `coder`, naming those transcripts: a sheet
    of some transcripts (one coder's sheet of one interview) says nothing of the others, so the note says
    where it looked."""
    shown = ", ".join(f"{t}:{n}" for t, n in keys[:5]) + (
        f" and {len(keys) - 5} more" if len(keys) > 5 else ""
    )
    named = ", ".join(covered[:5]) + (f" and {len(covered) - 5} more" if len(covered) > 5 else "")
    where = f"transcript {named}" if len(covered) == 1 else f"{len(covered)} transcripts ({named})"
    return (
        f"{path.name} covers {where} for {coder} and has no row for {len(keys)} of {coder}'s decisions there "
        f"({shown}): they are kept as they are. If the rows were deleted on purpose, import the file again "
        f"with --remove-missing to remove them too. {coder}'s decisions on other transcripts are not touched."
    )


def import_checks(codes: Iterable[str], codebook: Codebook, parents: set[str] | None = None) -> list[str]:
    """Why import refuses a row holding `codes` against `codebook` ([] when it does not): a theme heading,
    two codes of one exclusive group. Export says which rows it writes that import would refuse."""
    if parents is None:
        parents = {c.parent for c in codebook.codes if c.parent}
    checks = [
        f'code "{code}" is a theme heading, not a code to apply. Use one of its codes.'
        for code in codes
        if code in parents
    ]
    for group, hit in exclusive_conflicts(codes, codebook):
        both = " and ".join(f'"{c}"' for c in hit)
        checks.append(f'codes {both} are both in exclusive group "{group}". Keep one of them.')
    return checks


def refused_on_import(db: Database, decisions: Iterable[Decision]) -> list[tuple[Decision, str]]:
    """The decisions that `decisions import` would refuse against the active codebook, each with why: saved
    before a version made their group exclusive or their code a theme heading (loaded with --force), so
    their export does not import again until they are recoded."""
    active = get_active_codebook(db)
    if active is None:
        return []
    codebook = active[1]
    parents = {c.parent for c in codebook.codes if c.parent}
    said: dict[frozenset[str], list[str]] = {}
    refused = []
    for d in decisions:
        if d.codes not in said:
            said[d.codes] = import_checks(d.codes, codebook, parents)
        if said[d.codes]:  # the first reason, without its advice to the file's editor
            refused.append((d, said[d.codes][0].rsplit(". ", 1)[0]))
    return refused


def refused_message(refused: list[tuple[Decision, str]], *, lead: str | None = None) -> str:
    """One line saying which decisions import would refuse (refused_on_import) and how to recode them; with
    `lead`, reconcile's words for the lead's consensus decisions."""
    one = len(refused) == 1
    shown = "; ".join(f"{d.transcript}:{d.segment} {d.coder} ({why})" for d, why in refused[:3]) + (
        f" and {len(refused) - 3} more" if len(refused) > 3 else ""
    )
    mine = [d for d, _ in refused if d.rationale]  # a consensus decision carries one (a copy's marks it)
    theirs = [d for d, _ in refused if not d.rationale]
    how = []
    if theirs:
        how.append(
            f'"wei-qual code --coder {shlex.quote(theirs[0].coder)} --recode --from {theirs[0].transcript}:{theirs[0].segment}"'
        )
    if mine:
        who = shlex.quote(lead) if lead else "LEAD"
        how.append(
            f'"wei-qual reconcile --coder {who} --revisit" (g {mine[0].transcript}:{mine[0].segment}; a copy of '
            "the coders' agreed codes: recode theirs, then run reconcile again)"
        )
    return (
        f'{len(refused)} decision{"" if one else "s"} {"holds" if one else "hold"} what "decisions import" refuses '
        f"under the active codebook (decided before a version changed it): {shown}. Exported, "
        f"{'it does' if one else 'they do'} not import again until recoded: {' and '.join(how)}."
    )


def _check_removed_codes(db: Database, path: Path, codebook: Codebook, decisions: list[Decision]) -> None:
    """A code the active codebook removed comes back only on a decision that holds it already (an export
    imported again): put on another, it would be a new use of a code nothing counts. Raises DecisionError."""
    for d in decisions:
        removed = {c for c in d.codes if codebook.code(c) is None}
        if not removed:
            continue
        stored = get_decision(db, d.transcript, d.segment, d.coder)
        new = sorted(removed - (stored.codes if stored is not None else frozenset()))
        if new:
            raise DecisionError(
                f'"{path}": transcript "{d.transcript}" segment {d.segment} ({d.coder}) has code "{new[0]}", which '
                "the active codebook no longer has (an earlier version did) and this decision does not hold yet. "
                "Use the code that replaced it; nothing was imported."
            )


def decision_record(d: Decision, text: str = "", sha256: str | None = None) -> dict:
    """The JSON form of a decision (stable keys, documented in docs/coding.md); `text` is the segment's,
    for the excerpts' words; `sha256` that of its codebook version's text, which names the version in
    another project too."""
    return {
        "transcript": d.transcript,
        "segment": d.segment,
        "coder": d.coder,
        "codes": sorted(d.codes),
        "note": d.note,
        "rationale": d.rationale,
        "codebook_version": d.codebook_version,
        "codebook_sha256": sha256,
        "accepted": sorted(d.accepted),
        "shown": sorted(d.shown),
        "decided_utc": d.decided_utc,
        "excerpts": [
            {"code": e.code, "start": e.start, "end": e.end, "text": text[e.start : e.end]}
            for e in d.excerpts
        ],
    }


def export_decisions(
    db: Database,
    *,
    coders: list[str] | None = None,
    fmt: str = "csv",
    refused: list[tuple[Decision, str]] | None = None,
) -> tuple[str, int]:
    """(text, count): decisions as CSV (the import contract) or JSON, in transcript, segment, coder order.

    CSV cells that a spreadsheet would run as formulas get a leading apostrophe; import removes it.
    `refused` (a list) is given the decisions written that import would refuse (refused_on_import).
    """
    if fmt not in FORMATS:
        raise DecisionError(f'Unknown format "{fmt}". Use --format csv or --format json.')
    known = set(iter_coders(db))
    unknown = [c for c in coders or [] if c not in known]
    if unknown:
        raise DecisionError(f'Unknown coder "{unknown[0]}" given with --coder. See "wei-qual coders".')
    decisions = iter_decisions(db, coders=coders)
    if refused is not None:
        refused += refused_on_import(db, decisions)
    if fmt == "json":
        texts = iter_segment_texts(db) if any(d.excerpts for d in decisions) else {}
        shas = {v["id"]: v["sha256"] for v in iter_codebook_versions(db)}
        records = [
            decision_record(d, texts.get((d.transcript, d.segment), ""), shas.get(d.codebook_version))
            for d in decisions
        ]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n", len(decisions)
    # Consensus decisions carry a rationale (and a copy's marks it as one): without the column, a
    # consensus exported and imported into another project lost both. A coder's export stays as it was.
    rationale = any(d.rationale for d in decisions)
    columns = (*EXPORT_COLUMNS, "rationale") if rationale else EXPORT_COLUMNS
    rows = (
        [d.transcript, d.segment, d.coder, ";".join(sorted(d.codes)), d.note, format_excerpts(d.excerpts)]
        + ([d.rationale] if rationale else [])
        for d in decisions
    )
    return csv_text(columns, rows), len(decisions)
