"""Long output through a pager when stdout is a terminal: $PAGER, else `less -FRX` (quits when it fits)."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator

from rich.pager import Pager

LESS_DEFAULT = "-FRX"  # -F quit if one screen, -R keep colours, -X leave the text on screen


def pager_command() -> list[str] | None:
    """$PAGER, else less, when it can be run."""
    command = shlex.split(os.environ.get("PAGER", "") or "less")
    return command if command and shutil.which(command[0]) is not None else None


@contextlib.contextmanager
def paged(enabled: bool = True) -> Iterator[None]:
    """What the console prints inside this block goes through the pager when `enabled` and stdout is a
    terminal (the table of `transcripts show`, `retrieve`, `search`, `memos`); else straight to stdout, so
    a pipe or a script gets exactly what it got before."""
    from ..console import console

    if enabled and console.is_terminal and stdout_is_tty():
        with console.pager(CommandPager(), styles=True):
            yield
    else:
        yield


def stdout_is_tty() -> bool:
    """Whether stdout really is a terminal. Rich's is_terminal is true of a pipe too under FORCE_COLOR or
    FORCE_TERMINAL (set in CI and by tools that want colour), and a pager on a pipe held the output back
    from the script reading it; colour may still be forced, paging may not."""
    try:
        return os.isatty(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # replaced by an object without a file, or closed
        return False


class CommandPager(Pager):
    """Rich's pager protocol over a pager command; writes straight to stdout when there is none.
    `less_options` are less's when $LESS does not say (the default quits at once when the text fits).
    `interrupted` says whether the pager ended on Ctrl-C (less -K exits with status 2 then)."""

    def __init__(self, less_options: str = LESS_DEFAULT) -> None:
        self.less_options = less_options
        self.interrupted = False

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
            with _pager_owns_the_terminal():
                process = subprocess.Popen(
                    command, stdin=subprocess.PIPE, text=True, env=env, **_ended_with_us()
                )
                try:
                    process.communicate(content)
                except BaseException:  # a kill (cli.Terminated) or a closed terminal: the pager ends too
                    _end(process)
                    raise
        except OSError:
            sys.stdout.write(content)
            sys.stdout.flush()
            return
        self.interrupted = process.returncode == 2 or process.returncode == -signal.SIGINT


def _ended_with_us() -> dict:
    """Popen's options that end the pager when this process ends, however it ends: killed twice (the second
    signal ends it at once, cli.Terminated) or with SIGKILL, it left less running on the terminal, which the
    shell then shared with it. Linux asks the kernel to send the pager SIGTERM then (PR_SET_DEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return {}
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return {}

    def deathsig() -> None:  # in the child, before the pager runs
        prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    return {"preexec_fn": deathsig}


def _end(process: subprocess.Popen) -> None:
    """End the pager at once: SIGTERM, which less answers by putting the terminal back, then SIGKILL."""
    try:
        process.terminate()
        process.wait(timeout=0.5)
    except (OSError, subprocess.TimeoutExpired):
        pass
    finally:  # too slow, or a second signal came meanwhile
        if process.poll() is None:
            with contextlib.suppress(OSError):
                process.kill()


@contextlib.contextmanager
def _pager_owns_the_terminal() -> Iterator[None]:
    """While the pager runs, Ctrl-C is the pager's: the terminal sends SIGINT to both, and a
    KeyboardInterrupt here made subprocess kill less with SIGKILL, leaving the terminal without echo
    and the program ended mid-screen. A handler that does nothing (not SIG_IGN, which the pager would
    inherit across exec) lets the pager decide; the terminal's mode is put back whatever happened."""
    mode = _terminal_mode()
    installed, previous = False, None
    with contextlib.suppress(ValueError):  # not the main thread: nothing can be installed
        previous = signal.signal(signal.SIGINT, lambda signum, frame: None)
        installed = True
    try:
        yield
    finally:
        if installed:  # None: a handler set outside Python, which cannot be put back; the default is
            signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
        if mode is not None:
            import termios

            with contextlib.suppress(termios.error, OSError, ValueError):
                termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, mode)


def _terminal_mode() -> list | None:
    try:
        import termios
    except ImportError:  # Windows
        return None
    try:
        return termios.tcgetattr(sys.stdin.fileno())
    except (termios.error, OSError, ValueError, AttributeError):  # not a terminal, or no stdin
        return None
