"""Errors shown to the user as one line, without a traceback (see console.user_errors)."""


class WeiQualError(Exception):
    """A user or data problem, shown to the user without a traceback."""


class TranscriptError(WeiQualError):
    """A transcript file could not be read or split into segments."""


class CodebookError(WeiQualError):
    """A codebook file is invalid or cannot be loaded."""


class StoreError(WeiQualError):
    """The project database refused an operation."""


class DecisionError(WeiQualError):
    """A coding decision, or a decisions file, is invalid."""


class SuggestError(WeiQualError):
    """Suggestions could not be computed."""


class AgreementError(WeiQualError):
    """Reliability cannot be computed for the requested selection."""


class NoAgreementError(AgreementError):
    """Nothing to compare: fewer than two coders, or no segment two of them decided. The methods passage
    is still written (it says agreement could not be measured, and why); `coders` are the coders meant."""

    def __init__(self, message: str, *, coders: list[str], reason: str) -> None:
        super().__init__(message)
        self.coders = coders
        self.reason = reason


class ReportError(WeiQualError):
    """A report cannot be built."""


class ExportError(WeiQualError):
    """An export or import format could not be written or read."""


class DeidError(WeiQualError):
    """De-identification scan or redaction failed."""


class CheckFailed(WeiQualError):
    """A check ran and failed (exit code 3), e.g. agree --min-alpha or deid scan findings."""

    exit_code = 3


class ProjectWarning(UserWarning):
    """Something about the project database was put right as it was opened (the command line prints it
    as a warning)."""


class WriteError(WeiQualError):
    """An output file could not be written (nothing was changed)."""


class SearchError(WeiQualError):
    """A search query cannot be read, or the project cannot be searched."""


QUOTED_MAX = 40  # longer values, or values with spaces, may be transcript text: errors do not repeat them


def quoted(value: str) -> str:
    """A value read from a user's file, quoted for an error message, unless it could be transcript text.

    Ids, codes, keys and numbers have no spaces and are short; a value with spaces or a long one is
    described instead (a transcript pasted into the wrong file, a CSV row whose columns slid), so an
    error never repeats the words of an interview.
    """
    text = str(value)
    if text and len(text) <= QUOTED_MAX and text.isprintable() and not any(c.isspace() for c in text):
        return f'"{text}"'
    return f"({len(text)} characters, not shown: it may be transcript text)"


def shell_path(path) -> str:
    """A file name as one word of a command a message suggests: quoted for the shell, and after "./" when it
    starts with "-", so a file called "-rf.txt" is the command's file, not options for it to read. A name
    holding a control character or a line break is written $'...' with escapes (bash, zsh): '...' with
    the escape shown in it named another file when pasted."""
    from .controls import shell_word

    text = str(path)
    return shell_word("./" + text if text.startswith("-") else text)


def xml_error_place(ex: Exception) -> str:
    """Where an XML file is not well-formed ("line 3, column 95"), from lxml's XMLSyntaxError, without
    libxml2's message: it quotes the name it stumbled on, and in a transcript's text an unescaped "<" or
    "&" makes a word a name ("attribute Jones", "Entity 'Gonzalez' not defined")."""
    position = getattr(ex, "position", None)
    if not position:
        return "line ?"
    line, column = position
    return f"line {line}, column {column}" if column else f"line {line}"


_XML_ERR_RESOURCE_LIMIT = 114  # libxml2's xmlParserErrors: a limit the parser keeps without huge_tree


def xml_limit(ex: Exception) -> str | None:
    """What a file is, and what to do, when libxml2 stopped at one of its limits (lxml's XMLSyntaxError),
    said without libxml2's message; None when it is not that. Without it, an XML file of codes nested 300
    deep was "not well-formed XML (an unescaped < or & in text ...)", and the user looked for a character
    to fix."""
    message = getattr(ex, "msg", "") or ""
    if message.startswith("Excessive depth"):
        return (
            "elements nested more than 256 levels deep, which no QDA tool writes, so it was not read. Flatten "
            "the code tree in your QDA tool, then export it again."
        )
    if getattr(ex, "code", None) == _XML_ERR_RESOURCE_LIMIT:
        return (
            "a name, a value or the text of one element is larger than the XML reader takes (10 MB), so it was "
            "not read. Check that it is the right file, or export it again from your QDA tool."
        )
    return None
