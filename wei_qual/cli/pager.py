"""Long output through a pager when stdout is a terminal: $PAGER, else `less -FRX` (quits when it fits)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

from rich.pager import Pager

LESS_DEFAULT = "-FRX"  # -F quit if one screen, -R keep colours, -X leave the text on screen


class CommandPager(Pager):
    """Rich's pager protocol over a pager command; writes straight to stdout when there is none."""

    def show(self, content: str) -> None:
        command = shlex.split(os.environ.get("PAGER", "") or "less")
        if not command or shutil.which(command[0]) is None:
            sys.stdout.write(content)
            sys.stdout.flush()
            return
        env = dict(os.environ)
        if os.path.basename(command[0]) == "less" and "LESS" not in env:
            env["LESS"] = LESS_DEFAULT
        try:
            subprocess.run(command, input=content, text=True, env=env, check=False)
        except OSError:
            sys.stdout.write(content)
            sys.stdout.flush()
