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
    `interrupted` says whether the pager ended on Ctrl-C (less -K exits with status 2 then).

    The pager runs in a process group of its own, given the terminal while it runs (as a shell runs a
    job): a pager that runs another (bat runs less) died at Ctrl-C or with the session and left its
    less on the terminal, reading the keys the session or the shell read too. Its whole group is ended
    with it now."""

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
        terminal = _foreground_terminal()
        size = _size(terminal) if terminal is not None else None
        try:
            with _pager_owns_the_terminal():
                try:
                    process = subprocess.Popen(
                        command, stdin=subprocess.PIPE, text=True, env=env, **_pager_options(terminal)
                    )
                    group = _group_of(process, terminal)
                    try:
                        _feed_and_wait(process, content, terminal if group else None)
                    except BaseException:  # a kill (cli.Terminated) or a closed terminal: the pager ends too
                        _end(process, group)
                        raise
                    finally:
                        _end_group(group)  # what the pager started and left (bat's less at Ctrl-C)
                finally:  # also when the pager could not be run, having taken the terminal before exec
                    _take_the_terminal_back(terminal, size)
        except OSError:
            sys.stdout.write(content)
            sys.stdout.flush()
            return
        if group is not None and _hung_up(terminal):
            # The terminal closed while the pager's group held it: the kernel hung up that group, not this
            # process, which went on to draw on a terminal that was gone (seconds on the write error, exit
            # 1). Hung up as the kernel would have, it ends as hung up.
            os.kill(os.getpid(), signal.SIGHUP)
        self.interrupted = process.returncode == 2 or process.returncode == -signal.SIGINT


def _foreground_terminal() -> int | None:
    """The descriptor of this process's terminal when its process group holds the terminal (a job in the
    foreground): only then can the pager's own group be given the terminal. Else None."""
    if not hasattr(os, "tcgetpgrp"):  # Windows
        return None
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        try:
            fd = stream.fileno()
            if os.isatty(fd) and os.tcgetpgrp(fd) == os.getpgrp():
                return fd
        except (AttributeError, OSError, ValueError):  # replaced, closed, or not this process's terminal
            continue
    return None


def _pager_options(terminal: int | None) -> dict:
    """Popen's options: the pager ends when this process ends, however it ends (_ends_with_us); on a
    terminal it runs in a process group of its own that holds the terminal, set in the child before the
    pager runs, so it never reads the terminal from the background."""
    deathsig = _ends_with_us()
    if terminal is None:
        return {"preexec_fn": deathsig} if deathsig else {}
    parent = os.getpgrp()

    def own_group() -> None:  # in the child, before the pager runs
        if deathsig:
            deathsig()
        try:
            os.setpgid(0, 0)
            # The controlling terminal by its name: descriptor 0 is the pipe from here on
            tty = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
            try:
                _give_terminal(tty, os.getpid())
            finally:
                os.close(tty)
        except OSError:  # the terminal cannot be given: the pager stays in this process's group
            with contextlib.suppress(OSError):
                os.setpgid(0, parent)

    return {"preexec_fn": own_group}


def _group_of(process: subprocess.Popen, terminal: int | None) -> int | None:
    """The pager's own process group (its pid), None when it runs in this process's."""
    if terminal is None:
        return None
    try:
        return process.pid if os.getpgid(process.pid) == process.pid else None
    except OSError:  # ended already, and reaped by nobody yet: its group was its own if it was given one
        return None


def _feed_and_wait(process: subprocess.Popen, content: str, terminal: int | None) -> None:
    """Write `content` to the pager (a thread: less reads only what it shows) and wait for it to end. A
    pager in its own group stopped with Ctrl-Z stops this process too, as the shell sees its job (the
    terminal taken back meanwhile), and gets the terminal back at `fg`."""
    import threading

    def feed() -> None:
        assert process.stdin is not None
        try:
            process.stdin.write(content)
            process.stdin.close()
        except (BrokenPipeError, OSError, ValueError):  # the pager quit before reading it all
            pass

    threading.Thread(target=feed, daemon=True).start()
    if terminal is None:
        process.wait()
        return
    while True:  # waitpid, not waitid: macOS's Python has no os.waitid
        _, status = os.waitpid(process.pid, os.WUNTRACED)
        if not os.WIFSTOPPED(status):
            process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen is told
            return
        _stop_with(process.pid, terminal)


def _stop_with(group: int, terminal: int) -> None:
    """The pager's group stopped (Ctrl-Z): this process stops too, the terminal its group's again; once
    continued (`fg`), the pager's group gets the terminal back and goes on."""
    _take_the_terminal_back(terminal)
    try:
        os.kill(os.getpid(), signal.SIGTSTP)  # stopped here until `fg` (SIGTSTP ignored: goes on at once)
    finally:
        with contextlib.suppress(OSError):
            _give_terminal(terminal, group)
        with contextlib.suppress(OSError):
            os.killpg(group, signal.SIGCONT)


def _give_terminal(terminal: int, group: int) -> None:
    """Make `group` the terminal's foreground group, asked from the background too: with SIGTTOU blocked
    (by the mask, which any thread may set, and which a pager inherits: put back at once)."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTTOU})
    try:
        os.tcsetpgrp(terminal, group)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _take_the_terminal_back(terminal: int | None, size: os.terminal_size | None = None) -> None:
    """This process's group holds the terminal again (the pager's group had it). A `size` that changed
    meanwhile is said to this process (the SIGWINCH went to the pager's group), so readline and the
    screen take the new one."""
    if terminal is None:
        return
    with contextlib.suppress(OSError):
        _give_terminal(terminal, os.getpgrp())
    handler = signal.getsignal(signal.SIGWINCH)
    if size is not None and callable(handler) and _size(terminal) not in (None, size):
        os.kill(os.getpid(), signal.SIGWINCH)


def _hung_up(terminal: int | None) -> bool:
    """Whether `terminal`, which the pager's group held, is gone (closed: hung up)."""
    if terminal is None:
        return False
    try:
        os.tcgetpgrp(terminal)
    except OSError:
        return True
    return False


def _size(terminal: int) -> os.terminal_size | None:
    try:
        return os.get_terminal_size(terminal)
    except OSError:
        return None


def _ends_with_us():
    """A function for the child that ends the pager when this process ends, however it ends: killed
    twice (the second signal ends it at once, cli.Terminated) or with SIGKILL, it left less running on
    the terminal, which the shell then shared with it. Linux asks the kernel to send the pager SIGTERM
    then (PR_SET_PDEATHSIG); elsewhere None."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def deathsig() -> None:  # in the child, before the pager runs
        prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    return deathsig


def _end(process: subprocess.Popen, group: int | None = None) -> None:
    """End the pager at once, and its group when it has one: SIGTERM, which less answers by putting the
    terminal back, then SIGKILL."""
    try:
        if group is not None:
            with contextlib.suppress(OSError):
                os.killpg(group, signal.SIGTERM)
        process.terminate()
        process.wait(timeout=0.5)
    except (OSError, subprocess.TimeoutExpired):
        pass
    finally:  # too slow, or a second signal came meanwhile
        if process.poll() is None:
            with contextlib.suppress(OSError):
                process.kill()


def _end_group(group: int | None, wait: float = 0.5) -> None:
    """End what is left of the pager's process group (the less bat ran, when bat died at Ctrl-C): SIGTERM,
    then SIGKILL to what still runs after `wait` seconds. Nothing when the group is empty, as when the
    pager ended by itself."""
    import time

    if group is None:
        return
    try:
        os.killpg(group, signal.SIGTERM)
    except OSError:  # no process left in it
        return
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except OSError:
            return
        time.sleep(0.01)
    with contextlib.suppress(OSError):
        os.killpg(group, signal.SIGKILL)


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
