"""Consoles for data (stdout) and messages (stderr), and the one place that turns errors into exit codes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import typer
from rich.console import Console
from rich.markup import escape

from .errors import WeiQualError

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)  # messages stay one line each


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Print a WeiQualError as one escaped line on stderr and exit 1 (or the error's own exit_code)."""
    try:
        yield
    except WeiQualError as ex:
        err_console.print(f"Error: {escape(str(ex))}", soft_wrap=True)
        raise typer.Exit(getattr(ex, "exit_code", 1)) from None


def warn(message: str) -> None:
    """Print a warning on stderr. The message must not contain transcript text."""
    err_console.print(f"Warning: {escape(message)}", soft_wrap=True)


def info(message: str) -> None:
    """Print a progress or status message on stderr."""
    err_console.print(escape(message), soft_wrap=True)
