"""RTF transcripts via striprtf: what f4/f5 save by default, and what many transcription services and
Word write. The text, a line per paragraph, is read as a plain-text transcript (plain.parse_lines), so
labels, time marks and service headers read as they do in a .txt. Tables come out as "cell|cell|"
lines and are not read as speaker tables: such a file is warned about as unlabelled (save it as .docx).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import TranscriptError
from .decode import check_not_empty
from .plain import id_labels, parse_lines
from .turns import Source

MAX_BYTES = 200_000_000  # as for a PDF: larger is not a transcript
MAX_MEMORY = 2 * 2**30  # bytes reading one file may claim
# CPU seconds reading one file may take: a long transcript takes a fraction of a second, but crafted
# input can make the parser's patterns quadratic.
MAX_CPU_SECONDS = 60
_CODE_PAGE = re.compile(rb"\\ansicpg(\d{3,5})")
_AGAIN = "Open and save it again as .rtf or .docx, or export the transcript as .txt."


def _refuse(name: str, what: str) -> TranscriptError:
    return TranscriptError(f'"{name}" {what}. {_AGAIN}')


def _read_lines(path: Path, data: bytes) -> list[str]:
    """The file's text, a line per paragraph, or raise TranscriptError (empty, not RTF, too large or too
    slow to read, a character its code page lacks). Read in a child process with bounded memory and CPU
    time (parallel.bounded)."""
    from .. import parallel

    name = str(path)
    check_not_empty(data, name)
    if not data.lstrip().startswith(b"{\\rtf"):
        raise _refuse(
            name, 'is not an RTF file (it does not start with "{\\rtf"); it may be another format renamed'
        )
    if len(data) > MAX_BYTES:
        raise _refuse(name, f"is larger than {MAX_BYTES // 10**6:,} MB")
    # RTF is 7-bit text, other characters escaped (\'e9 in the file's code page, \u233); some writers put
    # bytes of the code page itself.
    m = _CODE_PAGE.search(data[:4096])
    code_page = f"cp{int(m[1])}" if m else "cp1252"
    try:
        text = data.decode(code_page)
    except (LookupError, UnicodeDecodeError):
        code_page, text = "cp1252", data.decode("latin-1")
    try:
        out = parallel.bounded(
            lambda: _to_text(name, text, code_page), memory=MAX_MEMORY, cpu=MAX_CPU_SECONDS
        )
    except TimeoutError:
        raise _refuse(
            name, f"took more than {MAX_CPU_SECONDS} s to read (it may be damaged, or made to be slow)"
        ) from None
    except MemoryError:
        raise _refuse(name, f"needs more than {MAX_MEMORY // 2**20:,} MiB of memory to read") from None
    except ChildProcessError:
        raise _refuse(name, "could not be read: its reader stopped without an answer") from None
    return out.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _to_text(name: str, text: str, code_page: str) -> str:
    from striprtf.striprtf import rtf_to_text

    try:
        return rtf_to_text(text, encoding=code_page, errors="strict")
    except UnicodeDecodeError:
        raise _refuse(name, f"holds a character its code page ({code_page}) does not define") from None
    except (ValueError, TypeError, IndexError, KeyError, RecursionError) as ex:  # a damaged file
        raise _refuse(name, f"is not valid RTF ({type(ex).__name__})") from None


def read_rtf(path: Path, data: bytes, *, encoding: str | None = None) -> Source:
    """Read an .rtf transcript, or raise TranscriptError."""
    lines = _read_lines(path, data)
    # Each line is a paragraph, as each paragraph of a .docx is.
    spaced = [part for line in lines for part in (line, "")]
    parsed = parse_lines(spaced, id_labels=id_labels(path))
    if not any(turn.text for turn in parsed.turns):
        raise TranscriptError(
            f'"{path}" contains no text. Export the transcript again, or leave the file out.'
        )
    scanned = parsed.scanned(spaced)[::2]  # the paragraphs, without the blank lines put between them
    return Source(
        "rtf",
        parsed.turns,
        scan_text="\n".join(scanned),
        attributes=dict(parsed.metadata),
        labelled=parsed.labelled,
        missed_labels=sorted({i // 2 + 1 for i in parsed.missed_labels}),
        metadata=parsed.metadata,
        scan_locations=[f"paragraph {i}" for i in range(1, len(lines) + 1)],
        location_unit="paragraph",
    )
