"""One line typed by the person at the terminal, for the coding and reconcile screens.

With GNU readline (Linux, macOS) the line can be edited with the arrow keys, Up brings back earlier
lines, there is no 4,096-byte limit (the terminal's own line editing cuts a longer paste without a
word), and a paste of several lines is one answer (bracketed paste): a pasted note with a blank line in
it no longer saves the segment at the blank line and runs the rest as commands.

A screen that reads its prompt inside redraw_on_resize() is drawn again when the terminal is resized
while the prompt waits: read_line raises Resized, keeps what was typed, and puts it back on the prompt
that is asked next.
"""

from __future__ import annotations

import contextlib
import functools
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..console import escape_controls

QUIET = 0.1  # seconds without a resize: dragging a window's corner sends a burst of them
SETTLE_AT_MOST = 1.0  # seconds waited for the burst to end before the screen is drawn anyway


class Resized(Exception):
    """The terminal was resized while a prompt read inside redraw_on_resize() waited: draw the screen at
    its new size and ask again (what was typed is put back on the prompt)."""


@dataclass
class _Resizes:
    handler: bool = False  # our SIGWINCH handler is installed (a terminal, readline, SIGWINCH)
    watching: bool = False  # inside redraw_on_resize()
    seen: bool = False  # a resize came since watching began (or since the last burst ended)
    waiting: bool = False  # the watched prompt is being read
    started: bool = False  # readline started the line (its pre-input hook ran)
    mode: list | None = None  # the terminal's mode before the line: readline changes it while editing
    text: str = ""  # put back on this prompt
    kept: tuple[str, str] | None = None  # (prompt, text typed on it) when a resize interrupted it
    space_bound: bool = False  # space on an empty prompt ends the line by itself (_bind_page_keys)
    paging: bool = False  # inside space_turns_pages(): the screen's own prompt, not a question's
    paged: bool = False  # the last line was a space alone, ended by the space
    habit_until: float = 0.0  # an Enter on the empty prompt before this time is the habit's (_on_enter)


_state = _Resizes()


@functools.cache
def _line_editing() -> bool:
    # The resize handler goes in first: readline then installs its own, which keeps its idea of the
    # width right and calls ours. Replacing readline's handler later would leave its lines wrapped at
    # the old width for the rest of the session.
    handler = _install_resize_handler()
    try:
        import readline  # importing it gives input() line editing and history
    except ImportError:  # Windows: the console's own line editing
        if handler:
            signal.signal(signal.SIGWINCH, signal.SIG_DFL)
            if signal.getsignal(signal.SIGTSTP) is _on_stop:
                signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        return False
    if not libedit(readline):
        # Python turns GNU readline's bracketed paste off (for its own prompt, where a paste of several
        # lines is several statements), so the terminal was never asked to mark a paste: a note pasted
        # with a blank line in it saved the segment at the blank line and ran the lines after as commands.
        readline.parse_and_bind("set enable-bracketed-paste on")
    # Without a pre-input hook (a readline built without one) what was typed cannot be put back on the
    # prompt drawn again: a resize then draws the screen at the next line, as without readline.
    if handler and hasattr(readline, "set_pre_input_hook"):
        readline.set_pre_input_hook(_pre_input)
        _state.handler = True
        _bind_page_keys(readline)
    return True


def libedit(readline) -> bool:
    """Whether Python's readline is libedit's emulation (macOS's Python, a Python built --with-readline=
    editline): GNU readline's settings (bracketed paste, horizontal scroll) and its C functions, which
    make space alone turn a page, are not there; space, then Enter turns it, and the page line says so."""
    return getattr(readline, "backend", None) == "editline" or "libedit" in (readline.__doc__ or "")


# An Enter this soon after the screen of a page turned by space alone is the Enter of "space, then Enter",
# typed from habit (or typed ahead with it): it does nothing, else it saved on the last page, or showed the
# next page at once, counted read. A coder reading a page takes longer.
HABIT = 0.5
_kept_alive: list = []  # the C callbacks readline holds: freed, they would crash it


def _bind_page_keys(readline) -> None:
    """With GNU readline: space typed on the screen's empty prompt ends the line at once (`space_turns_pages`),
    the one key that turns a long turn's page (it took space, then Enter); anywhere else space is a space.
    Through readline's C interface (ctypes), as Python's readline module binds no key to a function."""
    if libedit(readline):
        return
    try:
        import ctypes

        lib = ctypes.CDLL(readline.__file__)  # readline's own symbols resolve through the module's library
        end = ctypes.c_int.in_dll(lib, "rl_end")
        command = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_int)
        insert, newline, insert_text = lib.rl_insert, lib.rl_newline, lib.rl_insert_text
        insert_text.argtypes = [ctypes.c_char_p]
    except (OSError, AttributeError, ValueError):  # a readline without these: space, then Enter
        return

    def on_space(count: int, key: int) -> int:
        if _state.paging and end.value == 0:
            insert_text(b" ")
            _state.paged = True
            return newline(1, key)
        return insert(count, key)

    def on_enter(count: int, key: int) -> int:
        if _state.paging and end.value == 0 and time.monotonic() < _state.habit_until:
            _state.habit_until = 0.0  # one Enter only
            return 0
        return newline(count, key)

    callbacks = [command(on_space), command(on_enter)]
    _kept_alive.extend(callbacks)
    for key, callback in ((ord(" "), callbacks[0]), (ord("\r"), callbacks[1]), (ord("\n"), callbacks[1])):
        lib.rl_bind_key(key, callback)
    _state.space_bound = True


def space_alone() -> bool:
    """Whether space alone turns a long turn's page on the screen's prompt (else: space, then Enter)."""
    return _line_editing() and _state.space_bound  # bound as readline is first set up


@contextlib.contextmanager
def space_turns_pages() -> Iterator[None]:
    """Inside, space typed on read_line's empty prompt ends the line (" ": the next page) where readline
    lets it be bound (space_alone). Around the screen's own prompt, never a question's (a note, a memo)."""
    _state.paging = True
    try:
        yield
    finally:
        _state.paging = False


def _install_resize_handler() -> bool:
    if not hasattr(signal, "SIGWINCH") or "readline" in sys.modules:
        return False
    try:
        on_terminal = sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # no stdin, or a closed one
        return False
    if not on_terminal or signal.getsignal(signal.SIGWINCH) != signal.SIG_DFL:
        return False
    try:
        signal.signal(signal.SIGWINCH, _on_resize)
    except ValueError:  # not the main thread
        return False
    # Back from Ctrl-Z (`fg`), the shell's lines were where the screen had been, and nothing drew it again,
    # not even the prompt: a coder pressing Enter to see it saved the codes chosen. It is drawn again.
    if hasattr(signal, "SIGTSTP") and signal.getsignal(signal.SIGTSTP) == signal.SIG_DFL:
        signal.signal(signal.SIGTSTP, _on_stop)
    return True


def _on_stop(signum, frame) -> None:
    """Ctrl-Z: stop as the terminal asks, the terminal as it was before the line; once continued, the
    screen is drawn again (as after a resize), what was typed kept on the prompt."""
    import os
    import termios

    interrupt = _state.waiting and _interruptible(frame)
    if _state.waiting and _state.mode is not None:
        with contextlib.suppress(termios.error, ValueError, OSError):
            termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, _state.mode)
    signal.signal(signal.SIGTSTP, signal.SIG_DFL)
    try:
        os.kill(os.getpid(), signal.SIGTSTP)  # stopped here until `fg`
    finally:
        signal.signal(signal.SIGTSTP, _on_stop)
    _state.seen = True
    if interrupt:
        raise Resized


def _on_resize(signum, frame) -> None:
    _state.seen = True
    if _state.waiting and _interruptible(frame):
        raise Resized  # readline gives up the line; read_line keeps its text


def _interruptible(frame) -> bool:
    """Whether raising now gives up a line being typed (its text is then kept), not one already
    entered: this handler runs between Python instructions, so also just after input() returned."""
    if frame is not None and frame.f_code is _pre_input.__code__:
        return False  # readline would swallow the exception, with the text not yet put back
    if not _state.started:
        return True  # the line is not read yet: the text to put back is still _state.text
    import termios

    try:  # readline sets the terminal's mode while it edits a line and restores it when it ends
        return termios.tcgetattr(sys.stdin.fileno()) != _state.mode
    except (termios.error, ValueError, OSError):
        return False


def _pre_input() -> None:
    """readline starts a line: put back what was typed before a resize (readline shows it when it redraws
    the line at the new size, which it does first as it saw the resize too)."""
    _state.started = True
    if _state.text:
        import readline

        readline.insert_text(_state.text)
        readline.redisplay()  # back from Ctrl-Z, readline shows it only at the next key otherwise


# The signals whose Python handler ends the prompt by raising: Ctrl-C's KeyboardInterrupt, a kill's
# cli.Terminated. SIGALRM brings one caught in the pre-input hook back out of it, every RETRY seconds.
_RAISING = ("SIGINT", "SIGTERM", "SIGHUP")
RETRY = 0.05


def _in_hook(frame) -> bool:
    """Whether Python runs inside readline's pre-input hook (_pre_input, or a function it called)."""
    while frame is not None:
        if frame.f_code is _pre_input.__code__:
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def _signals_after_the_hook() -> Iterator[None]:
    """While readline reads a line: Ctrl-C (or a kill) that comes as readline's pre-input hook runs, just
    after the prompt is drawn, ends the prompt once the hook has returned. Raised in the hook, the
    KeyboardInterrupt was cleared by readline (Python's readline ignores a hook's error), the signal was
    spent, and the prompt waited as if Ctrl-C had not been pressed: under load, a Ctrl-C in forty pressed
    as a question appeared. A SIGALRM every RETRY seconds then interrupts readline's wait for a key, and
    its handler raises what the signal's own handler raises; a signal still held when the line ends (Enter
    came first) is raised then."""
    if not hasattr(signal, "setitimer"):
        yield
        return
    handlers: dict[int, Callable] = {}
    held: list[int] = []

    def on_signal(signum, frame) -> None:
        if not _in_hook(frame):
            handlers[signum](signum, frame)
            return
        if not held:
            held.append(signum)
            signal.setitimer(signal.ITIMER_REAL, RETRY, RETRY)

    def raise_held(frame) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signum = held.pop()
        handlers[signum](signum, frame)

    def on_alarm(signum, frame) -> None:
        if held and not _in_hook(frame):
            raise_held(frame)

    for name in _RAISING:
        number = getattr(signal, name, None)
        handler = signal.getsignal(number) if number is not None else None
        if callable(handler):  # SIG_DFL and SIG_IGN act in C: nothing is raised in the hook
            handlers[number] = handler
            signal.signal(number, on_signal)
    alarm = signal.signal(signal.SIGALRM, on_alarm)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if alarm is None else alarm)
        for number, handler in handlers.items():
            if signal.getsignal(number) is on_signal:  # cli's handler of a kill sets SIG_DFL itself
                signal.signal(number, handler)
        if held:
            raise_held(sys._getframe())


@contextlib.contextmanager
def redraw_on_resize() -> Iterator[None]:
    """Inside, read_line raises Resized when the terminal is resized from now on (while the screen is
    drawn, or while the prompt waits). Only with readline on a terminal; else nothing happens and a
    resized screen is drawn at the next line, as before."""
    _state.watching, _state.seen = True, False
    try:
        yield
    finally:
        _state.watching = False


def read_line(prompt: str) -> str | None:
    """The line typed after `prompt` (shown with its control characters escaped), or None for Ctrl-D or
    Ctrl-C: the screens then stop cleanly, everything saved kept."""
    shown = escape_controls(prompt)
    if not _line_editing() or not _state.handler:
        return _input(shown)
    _scroll_sideways(shown)
    kept, _state.kept = _state.kept, None
    _state.text = kept[1] if kept is not None and kept[0] == shown else ""
    _state.started = False
    # An Enter typed from habit after the space that turned the page is not a save (only on this prompt).
    _state.habit_until = time.monotonic() + HABIT if _state.paging and _state.paged else 0.0
    _state.paged = False
    try:
        if _state.watching:
            if _state.seen:  # resized while the screen was drawn: draw it again first
                raise Resized
            import termios

            _state.mode = termios.tcgetattr(sys.stdin.fileno())
            _state.waiting = True
        try:
            with _signals_after_the_hook():
                return _input(shown)
        finally:
            _state.waiting = False
    except Resized:
        import readline

        text = readline.get_line_buffer() if _state.started else _state.text
        _state.kept = (shown, text)
        _settle()
        raise


_sideways: list[bool] = [False]  # readline's horizontal-scroll-mode as last set


def sideways(prompt: str, width: int) -> bool:
    """Whether a line typed after `prompt` scrolls sideways on its row at `width` columns (_scroll_sideways),
    rather than wrapping onto the rows under it."""
    from rich.cells import cell_len

    return cell_len(prompt) * 2 <= width


def _scroll_sideways(prompt: str) -> None:
    """A line longer than the terminal scrolls sideways on the prompt's row (GNU readline's horizontal-scroll-
    mode): wrapped onto a second row, it pushed the screen's first line, its header (transcript, segment n
    of N), off a 40x10 terminal. Not where the prompt takes half the row or more (a question's, at 40
    columns): scrolled, the prompt's start went off the row and the question was no longer seen; it wraps,
    and the screen above it keeps the rows it takes."""
    import os
    import readline

    if libedit(readline):
        return
    try:
        width = os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        return
    wanted = sideways(prompt, width)
    if wanted != _sideways[0]:
        readline.parse_and_bind(f"set horizontal-scroll-mode {'on' if wanted else 'off'}")
        _sideways[0] = wanted


def quits(answer: str) -> bool:
    """A lone `q` typed at a question of the coding or reconcile screen (a memo, a note, a rationale): the
    screens' quit key, as Ctrl-D there is. It was saved as the text "q" and the screen moved on; a memo,
    note or rationale of one letter says nothing anyway. `m q`, `r q` typed on one line stay text."""
    return answer.strip().lower() == "q"


def _settle() -> None:
    """Wait until the resizes stop, so that a burst of them draws the screen once, at the final size."""
    deadline = time.monotonic() + SETTLE_AT_MOST
    while True:
        _state.seen = False
        time.sleep(QUIET)  # a resize meanwhile only sets `seen` (the prompt no longer waits)
        if not _state.seen or time.monotonic() >= deadline:
            _state.seen = False
            return


def _input(shown: str) -> str | None:
    try:
        return input(shown)
    except (EOFError, KeyboardInterrupt) as ex:
        # A kill or a closed terminal (cli.Terminated) ends the program as such: taken for Ctrl-D, a closed
        # terminal's session wrote its summary to the terminal that was gone, and spent seconds on the
        # write error's traceback, ending with status 1 (not 129, hung up).
        if isinstance(ex, KeyboardInterrupt) and type(ex) is not KeyboardInterrupt:
            raise
        if sys.stdout.isatty():  # end the prompt's line, so what is said next starts a line of its own
            sys.stdout.write("\n")
        return None
