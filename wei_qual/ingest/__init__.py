"""Transcript ingest: parse files into speaker turns with roles (pure) and store them safely.

Public, stable functions (the REFI-QDA import reuses the readers and the role inference):

- parse_transcript(path, *, encoding, interviewer_labels, known_interviewers, participant_ids)
  -> Transcript: one file read with the reader for its suffix, roles inferred, warnings raised; writes
  nothing.
- ingest_files(db, paths, *, attributes_csv, encoding, interviewer_labels, replace, allow_pii, dry_run,
  on_progress) -> IngestResult: a batch stored one transaction per file, with the PII gate and
  re-ingest rules (or, with dry_run, only what would be stored).
- READERS: suffix -> reader(path, data: bytes, *, encoding) -> turns.Source (turns with speaker,
  paragraphs and times; `labelled`, `missed_labels`, service `metadata`). Readers: plain.read_text
  (.txt, .md), word.read_docx, captions.read_captions (.vtt, .srt), pdf.read_pdf, rtf.read_rtf, odt.read_odt.
- document.read_document(path, data, *, encoding) -> (Transcript of kind document, DocumentSource):
  a policy or protocol (.pdf, .docx, .odt, .md, .txt) split by numbered section or paragraph (sections.py).
- roles.infer_roles(turns, transcript_id, participant_ids, known_interviewers) -> RoleResult and
  roles.given_roles(turns, interviewer_labels): speaker roles over a reader's turns.
- turns.build_transcript(source, *, transcript_id, path, sha256, roles) -> Transcript: segments with
  offsets and roles, and the warnings of checks.py.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..controls import LINE_BREAKS, escape_breaks, has_controls
from ..errors import TranscriptError, WeiQualError
from ..gcpause import paused_gc
from ..models import DOCUMENT_KIND, INTERVIEW_KIND, KINDS, Transcript, id_key
from ..safeio import MAX_ZIP_TOTAL_BYTES, not_a_file, read_input, require_file
from ..store.transcripts import get_interviewer_names
from .attributes import interviewer_ids, interviewer_names, participant_ids, read_attributes_csv
from .captions import read_captions
from .decode import check_encoding
from .document import DOCUMENT_SUFFIXES, read_document
from .gate import REINSTALL, PiiGate, open_gate
from .labels import DEFAULT_INTERVIEWER_LABELS
from .odt import read_odt
from .pdf import MAX_BYTES as PDF_MAX_BYTES
from .pdf import read_pdf
from .plain import read_text
from .roles import (
    back_channels,
    fold_back_channels,
    fold_label_typos,
    fold_notes,
    fold_renamed,
    given_roles,
    infer_roles,
)
from .rtf import MAX_BYTES as RTF_MAX_BYTES
from .rtf import read_rtf
from .turns import Source, build_transcript
from .word import read_docx

__all__ = [
    "ADDED",
    "DEFAULT_INTERVIEWER_LABELS",
    "DOCUMENT_FOLDER",
    "DOCUMENT_SUFFIXES",
    "FAILED",
    "READERS",
    "REPLACED",
    "SUPPORTED_SUFFIXES",
    "UNCHANGED",
    "WOULD_ADD",
    "WOULD_REPLACE",
    "FileOutcome",
    "IngestResult",
    "check_size",
    "expand_paths",
    "ingest_files",
    "parse_document",
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
    ".pdf": read_pdf,
    ".rtf": read_rtf,
    ".odt": read_odt,
}
SUPPORTED_SUFFIXES = tuple(READERS)
_SUPPORTED_TEXT = ".txt, .md, .docx, .odt, .rtf, .vtt, .srt or .pdf"
_DOCUMENT_TEXT = ".pdf, .docx, .odt, .md or .txt"
# A folder of interviews may hold the study's policy documents in a subfolder of this name: an interview
# ingest of the folder leaves it out (it is ingested with --kind document).
DOCUMENT_FOLDER = "documents"
MAX_LISTED_FINDINGS = 10  # keep the PII refusal on one readable line

ADDED, UNCHANGED, REPLACED, FAILED = "added", "unchanged", "replaced", "failed"
WOULD_ADD, WOULD_REPLACE = "would_add", "would_replace"  # --dry-run
STORED = (ADDED, REPLACED, WOULD_ADD, WOULD_REPLACE)


# The largest file of each format read, refused before it is read: a 3 GB text file was read whole into
# memory. A transcript of a two-hour interview is under 1 MB as text, a few MB as a PDF.
TEXT_MAX_BYTES = 200_000_000  # as a PDF or an RTF
MAX_BYTES: dict[str, tuple[int, str]] = {
    ".txt": (TEXT_MAX_BYTES, "Check that it is a transcript, or split it into one file per interview."),
    ".md": (TEXT_MAX_BYTES, "Check that it is a transcript, or split it into one file per interview."),
    ".markdown": (TEXT_MAX_BYTES, "Check that it is a transcript, or split it into one file per interview."),
    ".vtt": (TEXT_MAX_BYTES, "Check that it is a caption file, or split it into one file per interview."),
    ".srt": (TEXT_MAX_BYTES, "Check that it is a caption file, or split it into one file per interview."),
    ".pdf": (PDF_MAX_BYTES, "Split it, or export its text as .txt."),
    ".rtf": (RTF_MAX_BYTES, "Split it, or save it as .txt."),
    # A zip container may not unpack to more than this in all (safeio.check_zip), so it cannot be larger.
    ".docx": (MAX_ZIP_TOTAL_BYTES, "Split it, or save it as .txt."),
    ".odt": (MAX_ZIP_TOTAL_BYTES, "Split it, or save it as .txt."),
}


def _too_large(name: str, suffix: str, limit: int, advice: str) -> Callable[[int], str]:
    what = f"a {suffix} file" if suffix in (".txt", ".md", ".markdown") else f"a {suffix[1:].upper()}"
    return lambda size: (
        f'"{name}" is {size / 1e6:,.0f} MB, more than the {limit / 1e6:,.0f} MB {what} may have here: '
        f"it was not read. {advice}"
    )


def _limit(path: Path) -> tuple[int, Callable[[int], str]]:
    suffix = path.suffix.lower()
    limit, advice = MAX_BYTES.get(suffix, (TEXT_MAX_BYTES, "Check that it is the right file."))
    return limit, _too_large(str(path), suffix, limit, advice)


def check_size(path: Path, *, error: type[WeiQualError] = TranscriptError) -> None:
    """Raise `error` if the file is larger than ingest reads for its format (MAX_BYTES), before it is
    read: for the commands that read transcripts their own way (`deid scan`)."""
    limit, message = _limit(Path(path))
    with contextlib.suppress(OSError):  # a missing file is the caller's own message
        if (size := os.stat(path).st_size) > limit:
            raise error(message(size))


def _read_bytes(path: Path) -> bytes:
    name = str(path)
    limit, too_large = _limit(path)
    try:
        # A named pipe or a device, or a file over the limit of its format, is refused unread.
        return read_input(path, error=TranscriptError, max_bytes=limit, too_large=too_large)
    except FileNotFoundError:
        raise TranscriptError(f'"{name}" does not exist. Check the path.') from None
    except IsADirectoryError:
        raise TranscriptError(
            f'"{name}" is a folder. Pass it without a file name to ingest its files.'
        ) from None
    except OSError as ex:
        raise TranscriptError(f'"{name}" cannot be read ({ex.strerror}). Check its permissions.') from None


def _check_id(name: str, transcript_id: str) -> None:
    """Refuse an id (a file's name, or `id:` in its front matter) that is no name to list and type."""
    if has_controls(transcript_id):
        raise TranscriptError(
            f'"{name}": its transcript id holds a control character, which would act on the terminal of '
            'whoever lists it. Rename the file, or give it an "id:" in front matter.'
        )
    if LINE_BREAKS.search(transcript_id):  # "P01\nError: ..." would print as a line of its own
        raise TranscriptError(
            f'"{name}": its transcript id holds a line break or a tab, which would start a line of its own in '
            'every list and message. Rename the file, or give it an "id:" in front matter.'
        )
    if transcript_id.startswith("-"):  # `wei-qual transcripts show -rf` would read it as options
        raise TranscriptError(
            f'"{name}": its transcript id starts with "-", which a command would read as an option, not an id. '
            'Rename the file, or give it an "id:" in front matter.'
        )


def _not_heard_once(source) -> None:
    """Leave out of the lines read as a name heard once those whose name fold_renamed read as another's
    (`Diaz:` once, beside `Officer Diaz:`): said once, as that, not also as someone who speaks once. In a
    text or caption file those are file lines, and its scan text keeps them in place."""
    renamed = {name for turn in source.turns for name in turn.renamed}
    if not renamed:
        return
    lines = source.scan_text.split("\n")
    names = "|".join(map(re.escape, sorted(renamed, key=len, reverse=True)))
    opens = re.compile(rf"^[\W\d]*(?:{names})\W")  # `Diaz:`, `**Diaz:**`, `[00:01:02] Diaz:`
    source.interrupting = [
        w
        for w in source.interrupting
        if not (isinstance(w, int) and 0 < w <= len(lines) and opens.match(lines[w - 1]))
    ]


def _read(
    path: Path,
    *,
    encoding: str | None,
    interviewer_labels: Sequence[str] | None,
    known_interviewers: Sequence[str],
    participants_of: Callable[[str], Iterable[str]],
    kind: str = INTERVIEW_KIND,
    interviewers_of: Callable[[str], Iterable[str]] = lambda _: (),
):
    """Parse one file into (Transcript, its reader's source: the text for the PII scan and where each of
    its lines is), or raise TranscriptError."""
    name = str(path)
    if kind == DOCUMENT_KIND:
        if path.suffix.lower() not in DOCUMENT_SUFFIXES:
            raise TranscriptError(
                f'"{name}" is not a supported document format ({path.suffix or "no extension"}). '
                f"Convert it to {_DOCUMENT_TEXT}."
            )
        document, source = read_document(path, _read_bytes(path), encoding=encoding)
        _check_id(name, document.id)  # a document's id is listed and typed as a transcript's is
        return document, source
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise TranscriptError(
            f'"{name}" is not a supported transcript format ({path.suffix or "no extension"}). '
            f"Convert it to {_SUPPORTED_TEXT}."
        )
    data = _read_bytes(path)
    source = reader(path, data, encoding=encoding)
    transcript_id = source.transcript_id or path.stem
    _check_id(name, transcript_id)
    source.turns = fold_notes(source.turns)  # a transcriber's `Note:` turns are nobody's speech
    source.turns = fold_label_typos(source.turns)  # `Interviwer:` beside `Interviewer:` is the same speaker
    # `Dana Whitfield (she/her)` beside `Dana Whitfield`, `Diaz` beside `Officer Diaz`: one speaker
    listed = [*participants_of(transcript_id), *interviewers_of(transcript_id)]  # the CSV's speakers
    source.turns = fold_renamed(source.turns, listed)
    if source.interrupting and source.format in ("txt", "md", "vtt", "srt"):
        _not_heard_once(source)

    def roles_of(turns):
        # The interviewers the file's front matter and the attributes CSV name (the CSV wins)
        named = dict.fromkeys(
            interviewer_names(source.attributes), "named as the interviewer in the front matter"
        )
        named |= dict.fromkeys(
            interviewers_of(transcript_id), "named as an interviewer in the attributes CSV"
        )
        if interviewer_labels is not None:
            return given_roles(turns, [*interviewer_labels, *named], cover_roles=source.cover_roles)
        return infer_roles(
            turns,
            transcript_id,
            participants_of(transcript_id),
            (*DEFAULT_INTERVIEWER_LABELS, *known_interviewers),
            cover_roles=source.cover_roles,
            cover_conflicts=source.cover_conflicts,
            named_interviewers=named,
        )

    roles = roles_of(source.turns)
    listening = back_channels(source.turns, roles)
    if listening:  # "Yeah." inside an answer: no speaker, and no split of the answer (said in a warning)
        source.turns = fold_back_channels(source.turns, listening)
        roles = roles_of(source.turns)
    transcript = build_transcript(
        source,
        transcript_id=transcript_id,
        path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        roles=roles,
        named=listed,
    )
    return transcript, source


def parse_document(path: Path, *, encoding: str | None = None) -> Transcript:
    """Read one document file (.pdf, .docx, .odt, .md, .txt) into segments by numbered section or paragraph, or
    raise TranscriptError. Writes nothing."""
    check_encoding(encoding)
    return _read(
        Path(path),
        encoding=encoding,
        interviewer_labels=None,
        known_interviewers=(),
        participants_of=lambda _: (),
        kind=DOCUMENT_KIND,
    )[0]


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
    status: str  # added, unchanged, replaced or failed; would_add or would_replace in a dry run
    transcript_id: str | None = None
    segments: int = 0
    words: int = 0
    message: str = ""  # why it failed, or what "unchanged"/"replaced" means here
    unscanned: bool = False  # the PII scan could not run on it: refused, or stored with --allow-pii
    transcript: Transcript | None = None  # what was stored (or would be, in a dry run)
    read_differently: str = ""  # unchanged, but read now it gives other segments than the project holds
    to_review: int = 0  # names the PII scan found to review, which stop nothing (gate.Scan.reviews)


@dataclass
class IngestResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the batch (the attributes CSV)
    scan_error: str | None = None  # why the PII scan cannot run at all (every file then needs --allow-pii)
    attributes_set: int = 0  # transcripts (and speakers) whose attributes the CSV changed
    attributes_unchanged: int = 0  # transcripts the CSV names whose values were stored already
    dry_run: bool = False
    skipped: list[Path] = field(default_factory=list)  # `documents` subfolders an interview ingest left out

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def stored(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status in STORED]

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

    @property
    def with_warnings(self) -> list[FileOutcome]:
        return [o for o in self.stored if o.transcript is not None and o.transcript.warnings]


def _skip_in_folder(path: Path, root: Path) -> bool:
    """Hidden files, Office lock files and README files are not transcripts."""
    parts = path.relative_to(root).parts
    return any(p.startswith((".", "~$")) for p in parts) or path.stem.casefold() == "readme"


def _in_document_folder(path: Path, root: Path) -> bool:
    return any(part.casefold() == DOCUMENT_FOLDER for part in path.relative_to(root).parts[:-1])


def expand_paths(
    paths: Iterable[Path], *, kind: str = INTERVIEW_KIND
) -> tuple[list[Path], list[FileOutcome]]:
    """Files to ingest (folders searched recursively, in sorted order) and failures for bad paths.

    Interviews: a folder's `documents` subfolders are left out (see skipped_document_folders)."""
    suffixes = DOCUMENT_SUFFIXES if kind == DOCUMENT_KIND else READERS
    wanted = _DOCUMENT_TEXT if kind == DOCUMENT_KIND else _SUPPORTED_TEXT
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
            found, problems = _walk(path, suffixes, kind)
            failures.extend(problems)
            if not found and not problems:
                failures.append(
                    FileOutcome(
                        str(path),
                        FAILED,
                        message=f'Folder "{path}" contains no {wanted} files. '
                        f"Pass the folder that holds the {'documents' if kind == DOCUMENT_KIND else 'transcripts'}, "
                        "or the files themselves.",
                    )
                )
        else:
            found = [path]
        for p in found:
            if LINE_BREAKS.search(str(p)):  # its name, in a message, would forge a line of its own
                shown = escape_breaks(shown_path(p))
                failures.append(
                    FileOutcome(
                        shown,
                        FAILED,
                        message=f'"{shown}": the file name holds a line break or a tab, which would start a line '
                        "of its own in every message naming it, so it was left out. Rename the file and run the "
                        "command again.",
                    )
                )
                continue
            key = p.resolve()
            if key not in seen:  # the same file named twice is ingested once
                seen.add(key)
                files.append(p)
    return files, failures


def shown_path(path: Path | str) -> str:
    """A path as text that can be printed and stored: bytes of a name that are not UTF-8 (Python keeps
    them as lone surrogates) are shown as escapes, "bad\\xff.txt"."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _walk(root: Path, suffixes: Iterable[str], kind: str) -> tuple[list[Path], list[FileOutcome]]:
    """The transcript files under a folder, sorted, and a failure for everything under it that looks like
    one but cannot be read as one (a subfolder that cannot be listed, a link to nothing, a named pipe, a
    name that is not UTF-8), so that nothing is left out without a word. Hidden files and folders, Office
    lock files, README files and (for interviews) `documents` subfolders are left out, as before."""
    found: list[Path] = []
    problems: list[FileOutcome] = []

    def fail(where: Path | str, message: str) -> None:
        problems.append(FileOutcome(shown_path(where), FAILED, message=message))

    def unlistable(ex: OSError) -> None:
        where = shown_path(ex.filename or root)
        fail(
            where,
            f'Folder "{where}" cannot be read ({ex.strerror}), so its files were left out. '
            "Check its permissions.",
        )

    for folder, dirs, names in os.walk(root, onerror=unlistable):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith((".", "~$"))
            and not (kind != DOCUMENT_KIND and d.casefold() == DOCUMENT_FOLDER)
        )
        for name in sorted(names):
            p = Path(folder, name)
            if p.suffix.lower() not in suffixes or _skip_in_folder(p, root):
                continue
            shown = shown_path(p)
            if shown != str(p):
                fail(
                    p,
                    f'"{shown}": the file name is not UTF-8 text (the bytes shown as \\x escapes), so it was '
                    "left out. Rename the file and run the command again.",
                )
                continue
            try:
                mode = os.stat(p).st_mode
            except FileNotFoundError:
                fail(
                    p,
                    f'"{p}" is a symbolic link to a file that does not exist, so it was left out. Fix or remove the link.',
                )
                continue
            except OSError as ex:
                fail(p, f'"{p}" cannot be read ({ex.strerror}). Check it and its permissions.')
                continue
            if stat.S_ISREG(mode):
                found.append(p)
            elif not stat.S_ISDIR(mode):  # a link to a folder is not followed, as before
                fail(p, str(not_a_file(p, mode, TranscriptError)))
    return sorted(found), problems


class _NotScanned(TranscriptError):
    """A file refused because the PII scan could not run on it."""


def _unscanned_message(name: str, reason: str) -> str:
    return (
        f"{name}: not ingested, because the PII scan could not run ({reason}). {REINSTALL}, or pass "
        f"--allow-pii to store it unscanned (recorded in the audit log)."
    )


def skipped_document_folders(paths: Iterable[Path]) -> list[Path]:
    """The `documents` subfolders an interview ingest of these folders leaves out (that hold files)."""
    out: list[Path] = []
    for root in map(Path, paths):
        if root.is_dir():
            out.extend(
                sorted(
                    p
                    for p in root.rglob("*")
                    if p.is_dir()
                    and p.name.casefold() == DOCUMENT_FOLDER
                    and not _skip_in_folder(p, root)
                    and not _in_document_folder(p, root)
                    and any(f.is_file() for f in p.rglob("*"))
                )
            )
    return out


_CUE_TAG = re.compile(r"</?[a-z][^<>\n]*>", re.IGNORECASE)


def _once_per_cue_run(findings, source) -> list:
    """The findings of a captions file with each identifier once per run of highlighted cues holding the same words:
    Whisper's `--highlight_words` captions repeat a segment's text in a cue per word (`Daniel <u>Reyes</u>
    called`), so a name in it was listed once per word, and the refusal's first ten places were all one
    name's. The scan (and `deid scan`) keeps every finding; only the refusal's list is shortened."""
    if source.format not in ("vtt", "srt"):
        return list(findings)
    lines = source.scan_text.split("\n")
    out, run, seen = [], None, set()
    for f in findings:
        line = lines[f.line - 1] if 0 < f.line <= len(lines) else ""
        words = _CUE_TAG.sub("", line).strip()
        if "<u>" not in line and words != run:  # no highlighted cue, nor its pause cue: said at each place
            words = None
        if words != run:
            run, seen = words, set()
        key = (f.category, " ".join(_CUE_TAG.sub("", f.text).split()).casefold())
        if words is None or key not in seen:
            out.append(f)
        seen.add(key)
    return out


def _pii_message(name: str, findings, source, encoding: str | None = None) -> str:
    from ..deid.commands import redact_command, scan_command  # complete commands, runnable as printed

    findings = _once_per_cue_run(findings, source)
    where = [
        source.location(f.line, f.column) if f.line else "the file name"
        for f in findings[:MAX_LISTED_FINDINGS]
    ]
    shown = ", ".join(f"{w} ({f.category})" for w, f in zip(where, findings))
    more = f" and {len(findings) - MAX_LISTED_FINDINGS} more" if len(findings) > MAX_LISTED_FINDINGS else ""
    scheme = "page:line " if source.format == "pdf" and any(f.line for f in findings) else ""
    # The file name is stored (as the transcript's source, and its id when the file gives none) and
    # exported: redacting the text does not change it.
    rename = "Rename the file (its name is stored with the transcript); " if not findings[0].line else ""
    review = "review" if rename else "Review"
    # Otter, Zoom and Teams label every turn with the interviewer's name: a new team's first ingest is
    # refused for it, and --allow-pii (the way the message offered) lets every other identifier through.
    keep = (
        " A name the study may keep (the interviewer's, in the speaker labels) goes on the project's "
        "allowlist instead: \"wei-qual deid allow add 'NAME'\", then ingest again."
        if any(f.category == "person" and f.line for f in findings)
        else ""
    )
    return (
        f'{name}: likely identifiers at {scheme}{shown}{more}. {rename}{review} with "{scan_command(name, encoding)}", '
        f'redact with "{redact_command(name, encoding)}", or pass --allow-pii.{keep}'
    )


PARALLEL_MIN_FILES = 8  # fewer files: starting worker processes costs more than it saves


def _ingest_one(
    db: Database | None,
    path: Path,
    *,
    batch_ids: dict[str, str],
    gate: PiiGate,
    csv_ids: frozenset[str] | None,  # the attributes CSV's ids, as gate.own_ids() gives them
    encoding: str | None,
    interviewer_labels: Sequence[str] | None,
    known_interviewers: Sequence[str],
    participant_ids: dict[str, set[str]],
    replace: bool,
    allow_pii: bool,
    interviewer_ids: dict[str, set[str]] | None = None,
    dry_run: bool,
    kind: str = INTERVIEW_KIND,
    prepared: tuple | None = None,
    actor: str = "ingest",
) -> FileOutcome:
    """Parse, check and store one file (or only say what would be stored), or raise a WeiQualError
    saying why it was refused. `prepared`: what _prepare already made of the file (a worker process)."""
    from .correct import keep_relabels
    from .store_ops import fill_end_pages, keep_given_roles, plan_store, store_transcript, unchanged_outcome

    name = str(path)
    if prepared is None:
        transcript, source = _read(
            path,
            encoding=encoding,
            interviewer_labels=interviewer_labels,
            known_interviewers=known_interviewers,
            participants_of=lambda tid: participant_ids.get(id_key(tid), ()),
            kind=kind,
            interviewers_of=lambda tid: (interviewer_ids or {}).get(id_key(tid), ()),
        )
        scanned = None
    else:
        transcript, source, scanned = prepared
    if transcript.id in batch_ids:
        # The first file keeps the id; the second is refused (ids are unique in a project).
        raise TranscriptError(
            f'"{name}" has transcript id "{transcript.id}", already used by "{batch_ids[transcript.id]}" '
            f"in this batch. Give it another id in its front matter, or rename the file."
        )
    if db is not None and interviewer_labels is None and kind == INTERVIEW_KIND:
        transcript = keep_given_roles(db, transcript)  # roles a person set survive a new version
    if db is not None and kind == INTERVIEW_KIND:
        transcript = keep_relabels(db, transcript)  # so do the turns a person relabelled
    # Same content already stored: nothing to scan or write, so re-running a folder is cheap.
    outcome = unchanged_outcome(db, transcript, replace=replace) if db is not None else None
    if (
        outcome is not None and not dry_run
    ):  # a document or PDF stored before end pages gets them, coding kept
        outcome = fill_end_pages(db, transcript, outcome, actor=actor)
    if outcome is None:
        # The study's own ids are never identifiers: the transcript's id (front matter or file name),
        # the file name, the attributes CSV's ids and participant ids, and speaker labels like "P07".
        scan = (
            gate.scan(source.scan_text, _own_ids(transcript, path), path.stem, known=csv_ids)
            if scanned is None
            else scanned
        )
        if scan.error is not None and not allow_pii:
            raise _NotScanned(_unscanned_message(name, scan.error))
        if scan.findings and not allow_pii:
            raise TranscriptError(_pii_message(name, scan.findings, source, encoding))
        if dry_run:
            status, message = plan_store(db, transcript, replace=replace) if db is not None else (ADDED, "")
            status = WOULD_ADD if status == ADDED else WOULD_REPLACE
            outcome = FileOutcome(
                name, status, transcript.id, len(transcript.segments), transcript.words, message
            )
        else:
            outcome = store_transcript(db, transcript, replace=replace, scan=scan, actor=actor)
        outcome.unscanned = scan.error is not None and outcome.status in STORED
        outcome.to_review = scan.reviews if outcome.status in STORED else 0
        outcome.transcript = transcript
    batch_ids[transcript.id] = name
    return outcome


def _own_ids(transcript: Transcript, path: Path) -> list[str]:
    # Each speaker label once: a transcript repeats its few labels on hundreds of turns.
    return [transcript.id, path.stem, *dict.fromkeys(s.speaker for s in transcript.segments)]


@paused_gc()  # a file's turns, lines and spans are acyclic: the collector would only walk them again and again
def _prepare(path: Path, *, gate: PiiGate, csv_ids: frozenset[str] | None, **read_options) -> tuple:
    """(transcript, source, the gate's Scan) of one file: the part of _ingest_one that needs nothing
    from the project (run by parallel.ordered_map in a worker)."""
    transcript, source = _read(path, **read_options)
    scan = gate.scan(source.scan_text, _own_ids(transcript, path), path.stem, known=csv_ids)
    # The storing process needs of the source only where findings are (source.location): its turns and
    # text, each as long as the transcript, would only double what is sent back.
    return transcript, dataclasses.replace(source, turns=[], scan_text=""), scan


def ingest_files(
    db: Database | None,
    paths: Iterable[Path],
    *,
    attributes_csv: Path | None = None,
    encoding: str | None = None,
    interviewer_labels: Sequence[str] | None = None,
    replace: bool = False,
    allow_pii: bool = False,
    dry_run: bool = False,
    kind: str = INTERVIEW_KIND,
    on_progress: Callable[[int], None] | None = None,
    jobs: int | None = None,
    actor: str = "ingest",
) -> IngestResult:
    """Ingest files and folders into the project, each file in its own transaction.

    `kind` is "interview" (speaker turns, the default) or "document" (a policy or protocol: segments by
    numbered section or paragraph, no speakers; see document.py). An interview ingest of a folder leaves
    out its `documents` subfolders (listed in the result's `skipped`).

    Without `interviewer_labels`, speaker roles are inferred (roles.infer_roles) with the project's
    remembered interviewer names and the participant labels of the attributes CSV. With `dry_run`
    nothing is written: each outcome holds the transcript that would be stored (`db` may then be None,
    for a project that does not exist yet). A bad file is reported in the result and never stops the
    others. Raises TranscriptError only for problems with the whole batch (unknown --encoding, a bad
    attributes CSV), before writing anything.

    `jobs`: processes that read and PII-scan files (wei_qual.parallel) while this one stores them, in
    file order, for batches of PARALLEL_MIN_FILES or more; storing and every check that reads the project
    (an id used twice in the batch, roles a person set, unchanged content) stay here, so the outcome is
    exactly that of one process. None: parallel.default_jobs() (the CPUs, at most 4; 1 off Linux).

    `actor`: the name the audit log gives to what this ingest stores.
    """
    from functools import partial

    from .. import parallel
    from .store_ops import apply_attributes

    if kind not in KINDS:
        raise TranscriptError(f'Unknown kind "{kind}". Pass --kind interview or --kind document.')
    if kind == DOCUMENT_KIND and interviewer_labels is not None:
        raise TranscriptError(
            "--interviewer-labels does not apply to documents, which have no speakers. Leave it out."
        )
    check_encoding(encoding)
    if attributes_csv is not None:
        require_file(attributes_csv, error=TranscriptError)  # a named pipe would block the read
    attribute_notes: list[str] = []  # the CSV read as UTF-16 without a BOM, or as Mac Roman
    attribute_rows = (
        read_attributes_csv(attributes_csv, encoding=encoding, notes=attribute_notes)
        if attributes_csv is not None
        else None
    )
    paths = list(paths)
    files, failures = expand_paths(paths, kind=kind)
    result = IngestResult(outcomes=list(failures), dry_run=dry_run, warnings=attribute_notes)
    if kind == INTERVIEW_KIND:
        result.skipped = skipped_document_folders(paths)
    gate = open_gate(db) if files else PiiGate(None)
    result.scan_error = gate.error if files else None
    known = get_interviewer_names(db) if db is not None else []
    ids = participant_ids(attribute_rows or [])
    named = interviewer_ids(attribute_rows or [])
    # Worked out once: every file is checked against the whole study's ids.
    # (a name in an interviewer column is not one: the PII gate still finds it in the text)
    csv_ids = gate.own_ids(
        [r.transcript_id for r in attribute_rows or []]
        + [r.speaker for r in attribute_rows or [] if r.speaker]
        + [i for v in ids.values() for i in v]
    )
    batch_ids: dict[str, str] = {}  # id -> file that holds it in this batch

    jobs = parallel.default_jobs() if jobs is None else jobs
    if jobs > 1 and len(files) >= PARALLEL_MIN_FILES and parallel.can_fork():
        # open_gate has already loaded the first-name list, so the forked workers share it
        prepare = partial(
            _prepare,
            gate=gate,
            csv_ids=csv_ids,
            encoding=encoding,
            interviewer_labels=interviewer_labels,
            known_interviewers=known,
            participants_of=lambda tid: ids.get(id_key(tid), ()),
            kind=kind,
            interviewers_of=lambda tid: named.get(id_key(tid), ()),
        )
        work = parallel.ordered_map(prepare, files, jobs, name=lambda path: f'"{shown_path(path)}"')
    else:  # one process: read each file when it is stored (an unchanged file is never scanned)
        work = ((True, None) for _ in files)
    for path, (ok, prepared) in zip(files, work):
        try:
            if not ok:
                raise prepared  # reading the file failed (a WeiQualError naming the file)
            outcome = _ingest_one(
                db,
                path,
                batch_ids=batch_ids,
                gate=gate,
                csv_ids=csv_ids,
                encoding=encoding,
                interviewer_labels=interviewer_labels,
                known_interviewers=known,
                participant_ids=ids,
                interviewer_ids=named,
                replace=replace,
                allow_pii=allow_pii,
                dry_run=dry_run,
                kind=kind,
                prepared=prepared,
                actor=actor,
            )
        except WeiQualError as ex:
            outcome = FileOutcome(str(path), FAILED, message=str(ex), unscanned=isinstance(ex, _NotScanned))
        result.outcomes.append(outcome)
        if on_progress is not None:
            on_progress(1)

    if attribute_rows is not None:
        batch = {o.transcript_id: o.transcript for o in result.stored if o.transcript is not None}
        # A file this run refused (the PII gate, a parse error) is named by its row, not "no transcript".
        refused = {Path(o.path).stem: o.path for o in result.failed if o.transcript_id is None}
        result.attributes_set, warnings, result.attributes_unchanged = apply_attributes(
            db,
            attribute_rows,
            csv_name=str(attributes_csv),
            batch=batch,
            dry_run=dry_run,
            actor=actor,
            refused=refused,
        )
        result.warnings.extend(warnings)
    return result
