"""Transcript ingest: parse files into speaker turns (pure) and store them safely (issue #2, points 4-6).

parse_transcript(path) -> Transcript reads one file with the reader for its suffix (READERS);
ingest_files(db, paths) stores a batch, one transaction per file, with the PII gate and re-ingest rules.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..errors import TranscriptError, WeiQualError
from ..models import Transcript
from .attributes import read_attributes_csv
from .captions import read_captions
from .decode import check_encoding
from .labels import DEFAULT_INTERVIEWER_LABELS
from .plain import read_text
from .roles import given_roles, infer_roles
from .turns import Source, build_transcript
from .word import read_docx

__all__ = [
    "ADDED",
    "DEFAULT_INTERVIEWER_LABELS",
    "FAILED",
    "READERS",
    "REPLACED",
    "SUPPORTED_SUFFIXES",
    "UNCHANGED",
    "FileOutcome",
    "IngestResult",
    "expand_paths",
    "ingest_files",
    "parse_transcript",
]

# Suffix -> reader(path, data, *, encoding) -> Source. Add a format by adding a module and a line here.
READERS: dict[str, Callable[..., Source]] = {
    ".txt": read_text,
    ".md": read_text,
    ".markdown": read_text,
    ".docx": read_docx,
    ".vtt": read_captions,
    ".srt": read_captions,
}
SUPPORTED_SUFFIXES = tuple(READERS)
_SUPPORTED_TEXT = ".txt, .md, .docx, .vtt or .srt"
MAX_LISTED_FINDINGS = 10  # keep the PII refusal on one readable line

ADDED, UNCHANGED, REPLACED, FAILED = "added", "unchanged", "replaced", "failed"


def _read(
    path: Path,
    *,
    encoding: str | None,
    interviewer_labels: Sequence[str] | None,
    known_interviewers: Sequence[str],
    participants_of: Callable[[str], Iterable[str]],
) -> tuple[Transcript, str]:
    """Parse one file into (Transcript, text for the PII scan), or raise TranscriptError."""
    name = str(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise TranscriptError(
            f'"{name}" is not a supported transcript format ({path.suffix or "no extension"}). '
            f"Convert it to {_SUPPORTED_TEXT}."
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TranscriptError(f'"{name}" does not exist. Check the path.') from None
    except IsADirectoryError:
        raise TranscriptError(
            f'"{name}" is a folder. Pass it without a file name to ingest its files.'
        ) from None
    except OSError as ex:
        raise TranscriptError(f'"{name}" cannot be read ({ex.strerror}). Check its permissions.') from None
    source = reader(path, data, encoding=encoding)
    transcript_id = source.transcript_id or path.stem
    if interviewer_labels is not None:
        roles = given_roles(source.turns, interviewer_labels)
    else:
        roles = infer_roles(
            source.turns,
            transcript_id,
            participants_of(transcript_id),
            (*DEFAULT_INTERVIEWER_LABELS, *known_interviewers),
        )
    transcript = build_transcript(
        source,
        transcript_id=transcript_id,
        path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        roles=roles,
    )
    return transcript, source.scan_text


def parse_transcript(
    path: Path,
    *,
    encoding: str | None = None,
    interviewer_labels: Sequence[str] | None = None,
    known_interviewers: Sequence[str] = (),
    participant_ids: Iterable[str] = (),
) -> Transcript:
    """Read one transcript file into speaker-turn segments with roles and warnings, or raise TranscriptError.

    Without `interviewer_labels` the roles are inferred (roles.infer_roles) with the default interviewer
    labels plus `known_interviewers`, and `participant_ids` (labels that name this transcript's
    participants). Writes nothing.
    """
    check_encoding(encoding)
    path = Path(path)
    ids = list(participant_ids)
    return _read(
        path,
        encoding=encoding,
        interviewer_labels=interviewer_labels,
        known_interviewers=known_interviewers,
        participants_of=lambda _: ids,  # one file: its ids, whatever id its front matter sets
    )[0]


@dataclass
class FileOutcome:
    path: str
    status: str  # added, unchanged, replaced or failed
    transcript_id: str | None = None
    segments: int = 0
    words: int = 0
    message: str = ""  # why it failed, or what "unchanged"/"replaced" means here


@dataclass
class IngestResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    attributes_set: int = 0  # transcripts whose attributes the CSV changed

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def stored(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status in (ADDED, REPLACED)]

    @property
    def transcripts(self) -> int:
        return len(self.stored)

    @property
    def segments(self) -> int:
        return sum(o.segments for o in self.stored)

    @property
    def words(self) -> int:
        return sum(o.words for o in self.stored)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == FAILED]


def _skip_in_folder(path: Path, root: Path) -> bool:
    """Hidden files, Office lock files and README files are not transcripts."""
    parts = path.relative_to(root).parts
    return any(p.startswith((".", "~$")) for p in parts) or path.stem.casefold() == "readme"


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Files to ingest (folders searched recursively, in sorted order) and failures for bad paths."""
    files: list[Path] = []
    failures: list[FileOutcome] = []
    seen: set[Path] = set()
    for path in map(Path, paths):
        if not path.exists():
            failures.append(
                FileOutcome(str(path), FAILED, message=f'"{path}" does not exist. Check the path.')
            )
            continue
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in READERS and not _skip_in_folder(p, path)
            )
            if not found:
                failures.append(
                    FileOutcome(
                        str(path),
                        FAILED,
                        message=f'Folder "{path}" contains no {_SUPPORTED_TEXT} files. '
                        f"Pass the folder that holds the transcripts, or the files themselves.",
                    )
                )
        else:
            found = [path]
        for p in found:
            key = p.resolve()
            if key not in seen:  # the same file named twice is ingested once
                seen.add(key)
                files.append(p)
    return files, failures


def _pii_message(name: str, findings) -> str:
    shown = ", ".join(f"{f.line}:{f.column} ({f.category})" for f in findings[:MAX_LISTED_FINDINGS])
    more = f" and {len(findings) - MAX_LISTED_FINDINGS} more" if len(findings) > MAX_LISTED_FINDINGS else ""
    return (
        f'{name}: likely identifiers at {shown}{more}. Review with "wei-qual deid scan {name}", '
        f'redact with "wei-qual deid redact", or pass --allow-pii.'
    )


def _load_scanner(db: Database) -> tuple[Callable[[str], list] | None, str | None]:
    """The PII scanner bound to the project's allowlist, or (None, warning) when wei_qual.deid is absent."""
    try:
        from ..deid import project_allowlist, scan_text  # lazy: the scanner may load spaCy
    except ModuleNotFoundError as ex:
        if ex.name in ("wei_qual.deid",):
            return None, "The PII scan (wei_qual.deid) is not installed, so transcripts were not scanned."
        raise
    allow = project_allowlist(db)
    return (lambda text: list(scan_text(text, allow=allow))), None


def _ingest_one(
    db: Database,
    path: Path,
    *,
    batch_ids: dict[str, str],
    scan: Callable[[str], list] | None,
    encoding: str | None,
    interviewer_labels: Sequence[str],
    replace: bool,
    allow_pii: bool,
) -> FileOutcome:
    """Parse, check and store one file, or raise a WeiQualError saying why it was refused."""
    from .store_ops import store_transcript, unchanged_outcome

    name = str(path)
    transcript, scan_text = _read(path, encoding=encoding, interviewer_labels=interviewer_labels)
    if transcript.id in batch_ids:
        # The first file keeps the id; the second is refused (issue #2, point 6).
        raise TranscriptError(
            f'"{name}" has transcript id "{transcript.id}", already used by "{batch_ids[transcript.id]}" '
            f"in this batch. Give it another id in its front matter, or rename the file."
        )
    # Same content already stored: nothing to scan or write, so re-running a folder is cheap.
    outcome = unchanged_outcome(db, transcript)
    if outcome is None:
        findings = scan(scan_text) if scan is not None else []
        if findings and not allow_pii:
            raise TranscriptError(_pii_message(name, findings))
        outcome = store_transcript(db, transcript, replace=replace, pii_findings=findings)
    batch_ids[transcript.id] = name
    return outcome


def ingest_files(
    db: Database,
    paths: Iterable[Path],
    *,
    attributes_csv: Path | None = None,
    encoding: str | None = None,
    interviewer_labels: Sequence[str] = DEFAULT_INTERVIEWER_LABELS,
    replace: bool = False,
    allow_pii: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> IngestResult:
    """Ingest files and folders into the project, each file in its own transaction.

    A bad file is reported in the result and never stops the others. Raises TranscriptError only for
    problems with the whole batch (unknown --encoding, a bad attributes CSV), before writing anything.
    """
    from .store_ops import apply_attributes

    check_encoding(encoding)
    attribute_rows = (
        read_attributes_csv(attributes_csv, encoding=encoding) if attributes_csv is not None else None
    )
    files, failures = expand_paths(paths)
    result = IngestResult(outcomes=list(failures))
    scan, warning = _load_scanner(db) if files else (None, None)
    if warning:
        result.warnings.append(warning)
    batch_ids: dict[str, str] = {}  # id -> file that holds it in this batch

    for path in files:
        try:
            outcome = _ingest_one(
                db,
                path,
                batch_ids=batch_ids,
                scan=scan,
                encoding=encoding,
                interviewer_labels=interviewer_labels,
                replace=replace,
                allow_pii=allow_pii,
            )
        except WeiQualError as ex:
            outcome = FileOutcome(str(path), FAILED, message=str(ex))
        result.outcomes.append(outcome)
        if on_progress is not None:
            on_progress(1)

    if attribute_rows is not None:
        result.attributes_set, warnings = apply_attributes(db, attribute_rows, csv_name=str(attributes_csv))
        result.warnings.extend(warnings)
    return result
