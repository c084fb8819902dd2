"""One line typed by the person at the terminal, for the coding and reconcile screens.

With GNU readline (Linux, macOS) the line can be edited with the arrow keys, Up brings back earlier
lines, there is no 4,096-byte limit (the terminal's own line editing cuts a longer paste without a
word), and a paste of several lines is one answer (bracketed paste): a pasted note with a blank line in
it no longer saves the segment at the blank line and runs the rest as commands.
"""

from __future__ import annotations

import functools
import sys

from ..console import escape_controls


@functools.cache
def _line_editing() -> bool:
    try:
        import readline  # noqa: F401 - importing it gives input() line editing and history
    except ImportError:  # Windows: the console's own line editing
        return False
    return True


def read_line(prompt: str) -> str | None:
    """The line typed after `prompt` (shown with its control characters escaped), or None for Ctrl-D or
    Ctrl-C: the screens then stop cleanly, everything saved kept."""
    _line_editing()
    try:
        return input(escape_controls(prompt))
    except (EOFError, KeyboardInterrupt):
        if sys.stdout.isatty():  # end the prompt's line, so what is said next starts a line of its own
            sys.stdout.write("\n")
        return None
