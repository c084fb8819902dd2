"""Long output through a pager when stdout is a terminal: $PAGER, else `less -FRX` (quits when it fits)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

from rich.pager import Pager

LESS_DEFAULT = "-FRX"  # -F quit if one screen, -R keep colours, -X leave the text on screen


def pager_command() -> list[str] | None:
    """$PAGER, else less, when it can be run."""
    command = shlex.split(os.environ.get("PAGER", "") or "less")
    return command if command and shutil.which(command[0]) is not None else None


class CommandPager(Pager):
    """Rich's pager protocol over a pager command; writes straight to stdout when there is none.
    `less_options` are less's when $LESS does not say (the default quits at once when the text fits)."""

    def __init__(self, less_options: str = LESS_DEFAULT) -> None:
        self.less_options = less_options

    def show(self, content: str) -> None:
        command = pager_command()
        if command is None:
            sys.stdout.write(content)
            sys.stdout.flush()
            return
        env = dict(os.environ)
        if os.path.basename(command[0]) == "less" and "LESS" not in env:
            env["LESS"] = self.less_options
        try:
            subprocess.run(command, input=content, text=True, env=env, check=False)
        except OSError:
            sys.stdout.write(content)
            sys.stdout.flush()
