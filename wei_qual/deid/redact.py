"""Redaction: replace each finding by a consistent placeholder, optionally writing the key.

The same value always gets the same placeholder ("Maria Lopez" -> [PERSON-1] everywhere), and a lone
surname or first name seen in exactly one full name maps to that person too.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DeidError
from ..safeio import write_texts_atomic
from ..spreadsheet import csv_text
from .files import FORMATTED, GATE_VIEWED, gate_view, read_text_file
from .scan import Finding, scan_text

LABELS = {
    "person": "PERSON",
    "phone": "PHONE",
    "email": "EMAIL",
    "url": "URL",
    "address": "ADDRESS",
    "ssn": "SSN",
    "date": "DATE",
    "id_number": "ID",
    "plate": "PLATE",
    "age": "AGE",
}


@dataclass(frozen=True)
class KeyEntry:
    """One row of the re-identification key: a placeholder and one original spelling it replaced."""

    placeholder: str
    category: str
    original: str


@dataclass(frozen=True)
class Redaction:
    text: str
    key: tuple[KeyEntry, ...]
    findings: tuple[Finding, ...]
    created: tuple[Path, ...] = ()  # folders redact_file made for the copy and the key

    @property
    def placeholders(self) -> int:
        return len({k.placeholder for k in self.key})


def _normalise(category: str, value: str) -> str:
    """The identity of a value: case and spacing ignored; digits only for numbers."""
    if category in ("phone", "ssn"):
        return re.sub(r"\D", "", value)[-10:] if category == "phone" else re.sub(r"\D", "", value)
    if category in ("id_number", "plate"):
        return re.sub(r"[\s#-]", "", value).casefold()
    if category == "person" and value.count(",") == 1:  # "Kowalski, Dan" is Dan Kowalski
        last, first = value.split(",")
        value = f"{first} {last}"
    return " ".join(value.replace("’", "'").split()).casefold()


def redact_text(text: str, findings: Sequence[Finding]) -> Redaction:
    """Replace findings (non-overlapping, as scan_text returns them) by numbered placeholders."""
    # Full names first, so a lone "Lopez" can join the person "Maria Lopez" whatever the order.
    full_names: dict[str, list[str]] = {}
    for f in findings:
        words = _normalise("person", f.text).split()
        if f.category == "person" and len(words) > 1:
            for word in words:
                full_names.setdefault(word, [])
                if " ".join(words) not in full_names[word]:
                    full_names[word].append(" ".join(words))

    numbers: dict[str, int] = {}
    placeholder_of: dict[tuple[str, str], str] = {}
    key: list[KeyEntry] = []
    seen_entries: set[tuple[str, str]] = set()
    parts, last = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        identity = _normalise(f.category, f.text)
        if f.category == "person" and len(full_names.get(identity, ())) == 1:
            identity = full_names[identity][0]  # "Lopez" alone -> "maria lopez" (only one such person)
        elif f.category == "person" and " " in identity:
            # "big mike" -> "big mike delgado", when that is the one longer name holding all its words
            words = identity.split()
            longer = {n for n in full_names.get(words[0], ()) if len(n) > len(identity)}
            longer = {n for n in longer if set(words) <= set(n.split())}
            if len(longer) == 1:
                identity = longer.pop()
        placeholder = placeholder_of.get((f.category, identity))
        if placeholder is None:
            label = LABELS[f.category]
            numbers[label] = numbers.get(label, 0) + 1
            placeholder = f"[{label}-{numbers[label]}]"
            placeholder_of[(f.category, identity)] = placeholder
        if (placeholder, f.text) not in seen_entries:
            seen_entries.add((placeholder, f.text))
            key.append(KeyEntry(placeholder, f.category, f.text))
        parts.append(text[last : f.start])
        parts.append(placeholder)
        last = f.end
    parts.append(text[last:])
    return Redaction("".join(parts), tuple(key), tuple(findings))


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def render_key(key: Iterable[KeyEntry], fmt: str) -> str:
    """The key as JSON (a list of {placeholder, category, original}) or CSV with the same columns."""
    rows = [{"placeholder": k.placeholder, "category": k.category, "original": k.original} for k in key]
    if fmt == "csv":  # opened in spreadsheets: formula-like originals are neutralised
        columns = ["placeholder", "category", "original"]
        return csv_text(columns, ([r[c] for c in columns] for r in rows))
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _make_folder(folder: Path) -> list[Path]:
    """Create a missing folder (and its missing parents) readable by its owner only (0700): the redacted
    copy and the key are sensitive. Returns the folders created, outermost first."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()][::-1]
    for made in missing:
        try:
            made.mkdir(mode=0o700)
        except FileExistsError:  # made meanwhile, e.g. by a second redact
            continue
        except OSError as ex:
            raise DeidError(
                f'Cannot create the folder "{made}" ({ex.strerror or type(ex).__name__}). Create it, or pass '
                "another path."
            ) from ex
        os.chmod(made, 0o700)  # exactly, whatever the umask
    return missing


def _turns_text(source: Path, encoding: str | None) -> str:
    """A Word, RTF or ODT transcript as the text file ingest reads back the same: what its header said
    (title, date) as front matter, then its turns as "Speaker: text" paragraphs. A cover sheet and the
    tables that are no turns are not stored by ingest and are left out (they read back as an extra,
    unlabelled turn)."""
    from ..ingest import READERS

    read = READERS[source.suffix.lower()](source, source.read_bytes(), encoding=encoding)
    head = {"id": read.transcript_id} if read.transcript_id else {}
    head |= read.metadata
    # JSON strings are YAML scalars: quotes, colons and "#" in a title stay text.
    front = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in head.items())
    paragraphs = [
        f"{turn.speaker}: {text}" if turn.speaker and i == 0 else text
        for turn in read.turns
        for i, text in enumerate(turn.paragraphs)
    ]
    return (f"---\n{front}---\n\n" if front else "") + "\n\n".join(paragraphs)


def redact_file(
    source: Path,
    out: Path,
    *,
    key_path: Path | None = None,
    allow: Iterable[str] = (),
    nlp: Any = None,
    encoding: str | None = None,
) -> Redaction:
    """Write a redacted copy of `source` to `out` (never in place) and the key to `key_path` if given,
    creating their folders when missing (0700, listed in `created`). `encoding`: as ingest's --encoding.

    Raises DeidError when `out` or the key would overwrite the source, or a file cannot be read or written.
    """
    source, out = Path(source), Path(out)
    if _same_file(source, out):
        raise DeidError(
            f'Output "{out}" is the input file. Pass another path with -o; redact never edits in place.'
        )
    if key_path is not None and (_same_file(source, Path(key_path)) or _same_file(out, Path(key_path))):
        raise DeidError(f'Key file "{key_path}" is the input or output file. Pass another path with --key.')
    if source.suffix.lower() in (".docx", ".pdf", ".rtf", ".odt") and out.suffix.lower() not in (
        ".txt",
        ".md",
    ):
        # A Word, RTF or ODT file's turns (as ingest reads them: "Speaker: text"), or a PDF's body text
        # (running heads removed, hyphenation rejoined), is written as text.
        fmt = source.suffix.lower()[1:].upper()
        raise DeidError(f'Redact writes the text of "{source}", not {fmt}. Name the output .txt with -o.')
    for target, flag in ((out, "-o"), (key_path, "--key")):
        if target is not None and Path(target).parent.exists() and not Path(target).parent.is_dir():
            raise DeidError(
                f'"{Path(target).parent}" is a file, not a folder. Pass another path with {flag}.'
            )
    text = (
        _turns_text(source, encoding)
        if source.suffix.lower() in FORMATTED
        else read_text_file(source, encoding)
    )
    # what the ingest gate leaves out is kept as it is: a caption's cue numbers ("836" after "...a unit"),
    # Otter's footer (redacted, "Transcribed by [URL-1]" would no longer read as the footer it is)
    said = gate_view(source, text, encoding) if source.suffix.lower() in GATE_VIEWED else text
    redaction = redact_text(text, scan_text(said, allow=allow, nlp=nlp))
    # Both files are sensitive (the key most of all): written privately and atomically by the shared
    # writer, and both are complete on disk before either replaces its target.
    files = [(out, redaction.text, "-o")]
    if key_path is not None:
        fmt = "csv" if Path(key_path).suffix.lower() == ".csv" else "json"
        files.insert(0, (key_path, render_key(redaction.key, fmt), "--key"))
    created = [folder for path, _, _ in files for folder in _make_folder(Path(path).parent)]
    write_texts_atomic(files)
    return dataclasses.replace(redaction, created=tuple(created))
