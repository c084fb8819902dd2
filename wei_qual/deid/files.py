"""Scan files and stored transcripts: the I/O around scan_text() used by `deid scan` and `deid redact`."""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..errors import DeidError
from ..store.transcripts import get_transcript_row, iter_segments, iter_transcript_rows
from .scan import Finding, StudyIds, scan_text, study_ids


@dataclass(frozen=True)
class ScanResult:
    """The findings of one file or stored transcript; `source` is the path or the transcript id.

    For stored transcripts `segments[i]` is the segment number of `findings[i]` and `fields[i]` says
    whether it was found in the segment's "text" or its "speaker" label (labels are stored apart from
    the text; a label finding has the line of its first segment and column 0).
    For a PDF file `pages[i]` is the page of `findings[i]`, whose line is then the line on that page.
    """

    source: str
    findings: tuple[Finding, ...]
    words: int
    segments: tuple[int | None, ...] = ()
    fields: tuple[str, ...] = ()
    locations: tuple[str | None, ...] = ()  # "paragraph N" / "table R, row N" in a .docx or .rtf, else None
    pages: tuple[int | None, ...] = ()


# Word-processor files: read by ingest's own reader, their findings placed by paragraph or table row.
FORMATTED = (".docx", ".odt", ".rtf")


def read_text_file(path: Path, encoding: str | None = None) -> str:
    """A transcript file as text (BOM dropped, line ends normalised), or raise DeidError
    (TranscriptError for a damaged .docx or .rtf, or a text file that is not UTF-8 nor `encoding`).

    Every file is read as the ingest gate reads it (its text for the PII scan, decoded as ingest
    decodes it, `encoding` being --encoding), so positions match.
    """
    return read_source(path, encoding)[0]


# What the ingest gate leaves out of a text file's scan, from its own reader: a caption file's cue numbers
# and timing lines (a cue ending in "...ties up a unit" before cue "836" holds no unit number), and in a
# .txt or .md transcript the service lines that name nobody ("Transcribed by https://otter.ai") and the
# timestamps of label lines. The scan reads the file as the gate does, so the two never disagree.
CAPTIONS = (".vtt", ".srt")
GATE_VIEWED = (*CAPTIONS, ".txt", ".md", ".markdown")


def gate_view(path: Path, text: str, encoding: str | None = None) -> str:
    """`text` (a file of GATE_VIEWED's) as the ingest gate scans it: each line the gate leaves out blanked
    and each it masks (a timestamp) as masked, to spaces of its length so offsets, lines and columns hold;
    as it is when ingest cannot read the file (the scan then reads all of it, as before)."""
    from ..ingest import READERS

    try:
        scanned = READERS[path.suffix.lower()](path, path.read_bytes(), encoding=encoding).scan_text
    except Exception:  # noqa: BLE001 - a file ingest refuses is still scanned, all of it
        return text
    lines, kept = text.split("\n"), scanned.split("\n")
    if len(lines) != len(kept):
        return text
    return "\n".join(_as_gate_reads(line, now) for line, now in zip(lines, kept))


def _as_gate_reads(line: str, scanned: str) -> str:
    """One line of the file as the gate scans it, kept to its length (columns hold)."""
    if not scanned.strip():
        return " " * len(line)
    return scanned if len(scanned) == len(line) else line


def _read_pdf(path: Path) -> tuple[str, list[str | None]]:
    # The ingest gate's own PDF reader: its body text (running heads removed, hyphenation rejoined), or a
    # table transcript's turns, with the page:line of every line, so findings point where the gate's do.
    from ..ingest import check_size
    from ..ingest.pdf import scanned_text

    check_size(path, error=DeidError)
    return scanned_text(path, path.read_bytes())


def read_source(path: Path, encoding: str | None = None) -> tuple[str, list[tuple[str, int]]]:
    """A transcript file's text and the speaker labels that are not part of it, each with the offset
    of its turn (only .docx has such labels; in text formats labels are in the text). Raises as above.
    """
    from ..charsets import utf16_without_bom
    from ..ingest import check_size
    from ..ingest.decode import decode_text

    path = Path(path)
    if not path.exists():
        raise DeidError(f'"{path}" does not exist. Check the path.')
    if path.is_dir():
        raise DeidError(f'"{path}" is a folder. Pass transcript files, e.g. "{path}/*.txt".')
    check_size(path, error=DeidError)  # before any of its readers reads it whole
    if path.suffix.lower() in FORMATTED:
        return _read_formatted(path, encoding)
    if path.suffix.lower() == ".pdf":
        return _read_pdf(path)[0], []
    data = path.read_bytes()
    if not data.strip():  # "no identifiers" would be a false all-clear for a file with nothing in it
        raise DeidError(f'"{path}" is empty, so there is nothing to scan. Check the file, or leave it out.')
    if (
        b"\x00" in data[:4096]
        and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
        and utf16_without_bom(data) is None  # decode_text says what that is, and the --encoding to pass
    ):
        raise DeidError(f'"{path}" is a binary file, not a transcript. Export it as .txt or .docx.')
    return decode_text(data, str(path), encoding), []


def _read_formatted(path: Path, encoding: str | None = None) -> tuple[str, list[tuple[str, int]]]:
    # The ingest gate's own .docx or .rtf reader, so that lines and columns match the gate's refusal
    # message. Its scan text holds the speaker labels too ("Officer Ruiz: I did."), so none are scanned
    # apart.
    from ..ingest import READERS

    return READERS[path.suffix.lower()](path, path.read_bytes(), encoding=encoding).scan_text, []


def _file_context(path: Path, encoding: str | None = None) -> tuple[list[str], Any]:
    """What the ingest gate knows of a file besides its text: the study's own ids (the transcript id
    from front matter or the file name, and speaker labels like "P07"), and for a .docx or .rtf where
    each line of the text is (paragraph, table row). A file ingest cannot read gets its name only.
    The file is read once, by ingest's reader for its suffix."""
    from ..ingest import READERS

    reader = READERS.get(path.suffix.lower())
    try:
        source = reader(path, path.read_bytes(), encoding=encoding) if reader else None
    except Exception:  # noqa: BLE001 - a file ingest refuses is still scanned, with its name as the only id
        source = None
    if source is None:
        return [path.stem], None
    ids = [path.stem, source.transcript_id or path.stem, *(turn.speaker for turn in source.turns)]
    return ids, source.location if path.suffix.lower() in FORMATTED else None


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and in folders the files an interview ingest of them reads (ingest's own rule:
    recursively, its suffixes, no hidden or README files, no `documents` subfolder); raise DeidError
    for a missing path or a folder with none."""
    from ..ingest import expand_paths as ingest_paths

    files, failures = ingest_paths(paths)
    if failures:  # a file the scan cannot read is never passed over as clean
        more = f" ({len(failures) - 1} more cannot be read either.)" if len(failures) > 1 else ""
        raise DeidError(f"{failures[0].message}{more}" + (" Nothing was scanned." if files else ""))
    return files


def _scan(
    source: str,
    text: str,
    labels: list[tuple[str, int, int | None]],
    *,
    allow: list[str],
    nlp: Any,
    segment_starts: Sequence[tuple[int, int]] = (),
    own_ids: Sequence[str | None] = (),
    known: StudyIds | None = None,
    locate: Any = None,
    name: tuple[str, str] | None = None,
) -> ScanResult:
    """Scan a text and its separate speaker labels (label, offset of its turn, segment number).

    Each distinct label is reported once, at the line of its first turn with column 0.
    `segment_starts` ((start offset, segment number), sorted) maps text findings to segments; `own_ids`
    are the study's own ids (never reported, deid.study_ids), `known` those of the whole study worked out
    once; `locate(line, column)` places a finding in
    a .docx or .rtf ("paragraph 12"). `name` ((where, value): ("file name", "P07_Maria_Lopez")) is the
    transcript id a file name gives, stored and exported as it is: its findings come first, at line 0.
    """
    ids = study_ids(own_ids, known)
    starts = [start for start, _ in segment_starts]
    found = [
        (f, segment_starts[bisect.bisect_right(starts, f.start) - 1][1] if starts else None, "text")
        for f in scan_text(text, allow=allow, nlp=nlp, study_ids=ids)
    ]
    named = []
    if name is not None:
        from ..ingest.gate import name_words

        named = [
            (dataclasses.replace(f, line=0, column=0), None, "name")
            for f in scan_text(name_words(name[1]), allow=allow, nlp=nlp, study_ids=ids)
        ]
    seen: set[str] = set()
    for label, offset, segment in labels:
        if label in seen:
            continue
        seen.add(label)
        line = text.count("\n", 0, offset) + 1
        # The colon makes "MARIA:" read as a speaker label, as it was written in the source.
        for f in scan_text(f"{label}:", allow=allow, nlp=nlp, study_ids=ids):
            found.append((dataclasses.replace(f, line=line, column=0), segment, "speaker"))
    found = named + sorted(found, key=lambda item: (item[0].line, item[0].column))
    return ScanResult(
        source,
        tuple(f for f, _, _ in found),
        len(text.split()),
        tuple(n for _, n, _ in found),
        tuple(field for _, _, field in found),
        tuple(
            name[0]
            if field == "name"
            else locate(f.line, f.column)
            if locate is not None and field == "text"
            else None
            for f, _, field in found
        ),
    )


def scan_paths(
    paths: Iterable[Path], *, allow: Iterable[str] = (), nlp: Any = None, encoding: str | None = None
) -> list[ScanResult]:
    """Scan files and folders; every file is read before any is scanned, so a bad path fails fast
    (DeidError). `encoding`: as ingest's --encoding, for text files that are not UTF-8."""
    files = expand_paths(paths)
    sources = [
        (str(p), *read_source(p, encoding), None) if p.suffix.lower() != ".pdf" else _pdf_source(p)
        for p in files
    ]
    sources = [_with_docx_notes(p, source) for p, source in zip(files, sources)]
    sources = [
        (name, gate_view(p, text, encoding), *rest) if p.suffix.lower() in GATE_VIEWED else source
        for p, source in zip(files, sources)
        for name, text, *rest in [source]
    ]
    allow = list(allow)
    results = []
    for path, (name, text, labels, where) in zip(files, sources):
        own_ids, locate = _file_context(path, encoding)
        result = _scan(
            name,
            text,
            [(label, offset, None) for label, offset in labels],
            allow=allow,
            nlp=nlp,
            own_ids=own_ids,
            locate=locate,
            name=("file name", path.stem),  # stored with the transcript, as its source (and id)
        )
        results.append(_on_pages(result, where) if where is not None else result)
    return results


def _with_docx_notes(path: Path, source: tuple) -> tuple:
    """A .docx's (or .odt's) scan text with its footnotes, endnotes and text boxes after it: ingested as a document
    they are text (and the gate scans them), so the scan reads them too; a finding there is placed by
    its line in this text (after the body's)."""
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".odt"):
        return source
    from ..ingest.document import docx_notes_text
    from ..ingest.odt import odt_notes_text

    notes = (docx_notes_text if suffix == ".docx" else odt_notes_text)(path, path.read_bytes())
    if not notes:
        return source
    name, text, labels, where = source
    return name, text + "\n\n" + "\n\n".join(notes), labels, where


def _pdf_source(path: Path) -> tuple[str, str, list, list[str | None]]:
    text, where = _read_pdf(path)
    return str(path), text, [], where


def _on_pages(result: ScanResult, where: list[str | None]) -> ScanResult:
    """A PDF's findings with the page and the line on that page (page:line) instead of the text's line."""
    findings, pages = [], []
    for f in result.findings:
        loc = where[f.line - 1] if 0 < f.line <= len(where) else None
        page, line = (int(x) for x in loc.split(":")) if loc else (None, f.line)
        findings.append(dataclasses.replace(f, line=line))
        pages.append(page)
    return dataclasses.replace(result, findings=tuple(findings), pages=tuple(pages))


def scan_project(db: Database, *, allow: Iterable[str] = (), nlp: Any = None) -> list[ScanResult]:
    """Scan the stored text and the speaker labels of every transcript of the project, in id order."""
    allow = list(allow)
    results = []
    rows = iter_transcript_rows(db)
    transcript_ids = study_ids(row["id"] for row in rows)  # the study's own ids are never identifiers
    for row in rows:
        text = get_transcript_row(db, row["id"])["text"]
        segments = iter_segments(db, transcript_id=row["id"])
        labels = [(seg["speaker"], seg["start_char"], seg["n"]) for seg in segments if seg["speaker"]]
        starts = [(seg["start_char"], seg["n"]) for seg in segments]
        results.append(
            _scan(
                row["id"],
                text,
                labels,
                allow=allow,
                nlp=nlp,
                segment_starts=starts,
                own_ids=dict.fromkeys(label for label, _, _ in labels),
                known=transcript_ids,
                name=("transcript id", row["id"]),
            )
        )
    return results
