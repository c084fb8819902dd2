"""RTF transcripts via striprtf: what f4/f5 save by default, and what many transcription services and
Word write. Read as a Word file is (word.document_source): labelled paragraphs, with labels, time marks
and service headers as in a .txt, or a table with speaker and text columns.
"""

from __future__ import annotations

import re
import types
from pathlib import Path

from ..errors import TranscriptError
from .decode import check_not_empty
from .turns import Source
from .word import document_source

MAX_BYTES = 200_000_000  # as for a PDF: larger is not a transcript
MAX_MEMORY = 2 * 2**30  # bytes reading one file may claim
# CPU seconds reading one file may take: a long transcript takes a fraction of a second, but crafted
# input can make the parser's patterns quadratic.
MAX_CPU_SECONDS = 60
_CODE_PAGE = re.compile(rb"\\ansicpg(\d{3,5})")
_AGAIN = "Open and save it again as .rtf or .docx, or export the transcript as .txt."
# striprtf writes a cell's end as "|" and a row's end as a line break, which text holds too: it is given
# its own marks for a row's start (\trowd), a cell's end and a row's end, characters of Unicode's private
# use area, which no code page decodes to. A table inside a cell is read as that cell's text.
_ROW, _CELL, _END = "\ue000", "\ue001", "\ue002"
_TABLE_WORDS = {"trowd": _ROW, "cell": _CELL, "row": _END, "nestcell": " ", "nestrow": " "}
_MARKS = re.compile(f"([{_ROW}{_CELL}{_END}\n])")


def _refuse(name: str, what: str) -> TranscriptError:
    return TranscriptError(f'"{name}" {what}. {_AGAIN}')


def _read_text(path: Path, data: bytes) -> str:
    """The file's text, a line per paragraph, with the table marks, or raise TranscriptError (empty, not
    RTF, too large or too slow to read, a character its code page lacks). Read in a child process with
    bounded memory and CPU time (parallel.bounded)."""
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
    return out.replace("\r\n", "\n").replace("\r", "\n")


def _rtf_to_text():
    """striprtf's rtf_to_text writing the table marks: the text it writes for a control word comes from
    its module's table `specialchars`, so this copy of the function is given its own."""
    from striprtf import striprtf

    words = {**striprtf.specialchars, **_TABLE_WORDS}
    return types.FunctionType(striprtf.rtf_to_text.__code__, {**vars(striprtf), "specialchars": words})


def _to_text(name: str, text: str, code_page: str) -> str:
    try:
        return _rtf_to_text()(text, encoding=code_page, errors="strict")
    except UnicodeDecodeError:
        raise _refuse(name, f"holds a character its code page ({code_page}) does not define") from None
    except (ValueError, TypeError, IndexError, KeyError, RecursionError) as ex:  # a damaged file
        raise _refuse(name, f"is not valid RTF ({type(ex).__name__})") from None


def _paragraphs_and_tables(text: str) -> tuple[list[str], list[list[list[str]]]]:
    """(the paragraphs outside tables, each table's rows of cell texts) from the marked text, as
    word.document_source takes them. A cell's paragraphs are joined by line breaks, as Word's are."""
    paragraphs: list[str] = []
    tables: list[list[list[str]]] = []
    rows: list[list[str]] | None = None  # the open table's rows
    cells: list[str] | None = None  # the open row's cells
    current: list[str] = []  # text since the last paragraph, cell or row

    def close_table() -> None:
        nonlocal rows
        if rows:
            tables.append(rows)
        rows = None

    def open_row() -> None:
        nonlocal cells, rows
        cells, rows = [], rows if rows is not None else []

    for piece in _MARKS.split(text):
        if piece == _ROW:  # a row's start; Word writes its properties again before the row's end
            if cells is None:
                if "".join(current).strip():  # text before the table with no paragraph mark of its own
                    paragraphs.append("".join(current))
                current = []
                open_row()
        elif piece == _CELL:
            if cells is None:  # a cell with no row properties before it: the row starts here
                open_row()
            cells.append("".join(current).strip())
            current = []
        elif piece == _END and cells is not None:
            if "".join(current).strip():
                cells.append("".join(current).strip())
            rows.append(cells)
            current, cells = [], None
        elif piece in ("\n", _END):  # a paragraph's end (or a row's end with no row open)
            if cells is not None:
                current.append("\n")  # a paragraph of the cell
                continue
            paragraph = "".join(current)
            if paragraph.strip():
                close_table()
            paragraphs.append(paragraph)
            current = []
        else:
            current.append(piece)
    last = "".join(current)
    if cells is not None:  # a row the file does not end
        rows.append([*cells, last.strip()] if last.strip() else cells)
    elif last:
        paragraphs.append(last)
    close_table()
    return paragraphs, tables


def read_rtf(path: Path, data: bytes, *, encoding: str | None = None) -> Source:
    """Read an .rtf transcript, or raise TranscriptError."""
    paragraphs, tables = _paragraphs_and_tables(_read_text(path, data))
    return document_source(path, "rtf", paragraphs, tables)
