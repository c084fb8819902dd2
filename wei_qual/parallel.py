"""Work spread over forked worker processes, results in order: for ingest and suggest on large batches.

A task is a function of one item that needs nothing from the project database (reading and scanning a
file; tokenizing and matching a slice of segments). Workers are forked (Linux), so they start with this
process's modules and state (a loaded spaCy pipeline, the first-name list) without loading them again,
and only each item's result travels back. Results come in item order, at most jobs * AHEAD items ahead
of the one being consumed, so memory stays bounded however long the batch. Elsewhere (no fork), and for
jobs = 1, callers run their loop in one process.
"""

from __future__ import annotations

import collections
import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # concurrent.futures (and the logging it loads) only where a pool is made
    from concurrent.futures import ProcessPoolExecutor

MAX_JOBS = 4
AHEAD = 2  # items prepared ahead per worker: bounds the memory held by finished, unconsumed results

# In a worker of ordered_map: its task, set as the worker starts (forked, it is handed over unpickled; only
# items and results are pickled). Not set in this process, where two maps may be under way at once.
_TASK: Callable[[Any], Any] | None = None
# Set in a child of bounded() with a CPU bound: the hard limit its allow_cpu() may raise the bound to, and
# the page shared with the parent where it writes the CPU seconds it allowed itself (the parent's wall-clock
# bound follows them).
_CPU_HARD: int | None = None
_ALLOWED: Any = None
# bounded()'s wall-clock bound on a child with a CPU bound: WALL_FACTOR times the CPU seconds it may use,
# and at least WALL_FLOOR seconds. The CPU bound ends a child that spins; this one a child that never
# spins and never ends (asleep on a lock it inherited, stopped, blocked on I/O). It is generous, so that a
# child merely slow on a busy machine (four ingest workers on two CPUs) is not taken for hung.
WALL_FACTOR = 4
WALL_FLOOR = 120.0


class Hung(TimeoutError):
    """A bounded() child was still not done after its wall-clock bound: it was killed (and reaped)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the child process was not done after {seconds:,.0f} s")
        self.seconds = seconds


def can_fork() -> bool:
    # Not multiprocessing.get_all_start_methods(): importing multiprocessing costs a forked report 3 ms
    # before it forks, and on Linux "fork" is always among them.
    return sys.platform == "linux" and hasattr(os, "fork")


def _alone() -> bool:
    """No other thread runs in this process. A child forked while one does starts with that thread's
    locks held and no thread to release them: the lock of stderr it was writing to, say, on which the
    child hangs for ever as it ends (a pool worker flushes stderr then). Where another thread runs, the
    work of ordered_map and in_background is done here instead; bounded() forks all the same (its child
    replaces the standard streams and uses no other lock of ours)."""
    return threading.active_count() == 1


def default_jobs() -> int:
    """Worker processes for a large batch: the CPUs this process may use, at most MAX_JOBS; 1 where
    workers cannot be forked."""
    if not can_fork():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_JOBS))


def _run(item: Any) -> tuple[bool, Any]:
    """In a worker: its task's outcome for `item`."""
    assert _TASK is not None
    return _item_outcome(_TASK, item)


def _item_outcome(task: Callable[[Any], Any], item: Any) -> tuple[bool, Any]:
    from .errors import WeiQualError

    try:
        return True, task(item)
    except WeiQualError as ex:  # reported for this item, as a one-process loop does
        return False, ex


def ordered_map(
    task: Callable[[Any], Any],
    items: Iterable[Any],
    jobs: int,
    *,
    ahead: int | None = None,
    name: Callable[[Any], str] = repr,
) -> Iterator[tuple[bool, Any]]:
    """(True, task(item)) or (False, the WeiQualError it raised) for each item, in order, computed in
    `jobs` forked worker processes (here, while another thread runs: see _alone). A worker that dies is a
    WeiQualError; so are workers stuck on an item (see _result): they are killed and the error names
    the item awaited, by name(item). Other exceptions propagate (a bug). `ahead`: the items handed out
    before the first result is consumed (by default jobs * AHEAD; more where results are small and the
    consumer is busy with other work meanwhile)."""
    if not _alone():
        yield from (_item_outcome(task, item) for item in items)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(task,)
    )
    try:
        yield from _in_order(pool, items, ahead or jobs * AHEAD, name)
    except _Stuck as ex:  # the workers do not end of themselves: shutdown() would wait for ever
        from .errors import WeiQualError

        _kill_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)
        raise WeiQualError(
            f"{ex.item}: its worker process was stuck (for {IDLE:,.0f} s no worker ran nor was ready to run: "
            "stopped, or asleep for ever) and was ended, so the command stopped there, having stored nothing "
            "of it. Run the command again; if it stops at the same place again, leave that input out and "
            "report it."
        ) from None
    except BrokenProcessPool:  # not a bug of ours: a traceback would tell the user nothing
        from .errors import WeiQualError

        pool.shutdown(wait=True, cancel_futures=True)
        raise WeiQualError(
            "A worker process ended before it finished (killed, perhaps for lack of memory). Run the "
            "command again, with --jobs 1 to use no worker processes."
        ) from None
    except BaseException:  # Ctrl-C, or the consumer stopped: drop the queued items, do not run them
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def map_many(
    task: Callable[[Any], Any],
    items: Iterable[Any],
    count: int,
    *,
    least: int,
    name: Callable[[Any], str] = repr,
) -> Iterator[Any]:
    """task(item) for each of `count` items, in order: in forked workers from `least` items up where two
    CPUs may be used, here otherwise. For a task that raises no error of its own to report per item: a
    WeiQualError is raised here, as the loop here would raise it."""
    jobs = default_jobs()
    if jobs < 2 or count < least:
        yield from map(task, items)
        return
    for ok, result in ordered_map(task, items, jobs, name=name):
        if not ok:
            raise result
        yield result


def _start_worker(task: Callable[[Any], Any]) -> None:
    global _TASK
    _TASK = task
    _quiet_worker()


def _quiet_worker() -> None:
    """In a worker: Ctrl-C (sent to the whole process group), SIGTERM and SIGHUP end it at once and
    without a word. The main process reports the interruption; a worker's KeyboardInterrupt traceback
    from deep inside multiprocessing would only hide it."""
    import signal

    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, signal.SIG_DFL)


class _Stuck(Exception):
    """The pool's workers were stuck while `item` (its name) was awaited."""

    def __init__(self, item: str) -> None:
        super().__init__(item)
        self.item = item


def _in_order(
    pool: ProcessPoolExecutor, items: Iterable[Any], ahead: int, name: Callable[[Any], str]
) -> Iterator[tuple[bool, Any]]:
    waiting: collections.deque = collections.deque()
    it = iter(items)
    for item in it:
        waiting.append((item, pool.submit(_run, item)))
        if len(waiting) >= ahead:
            break
    while waiting:
        item, future = waiting.popleft()
        done = _result(pool, future, lambda item=item: name(item))
        for item in it:
            waiting.append((item, pool.submit(_run, item)))
            break
        yield done


def _result(pool: ProcessPoolExecutor, future: Any, name: Callable[[], str]) -> Any:
    """The future's result, waited for only while the pool's workers work: when for IDLE seconds none of
    them (nor a child of theirs: see _family) ran, was ready to run or used CPU (the one holding the item
    is stopped, or asleep for ever on a lock or a pipe), raise _Stuck. A worker merely slow on a busy machine stays ready to run; the others,
    their items done, sleep until the awaited one is consumed, so the one holding it is what the watch
    sees. Time this process spent stopped itself (Ctrl-Z, then fg) is not counted."""
    import time
    from concurrent.futures import wait

    step = min(1.0, IDLE / 4)
    last = progress = time.monotonic()
    used: dict[int, float] = {}
    while not wait([future], timeout=step).done:
        now = time.monotonic()
        if now - last > step + 5:  # this process was stopped meanwhile
            progress += now - last - step
        last = now
        workers = list(getattr(pool, "_processes", None) or ())
        for pid in [p for worker in workers for p in _family(worker)]:
            state = _child_state(pid)
            if state is None:
                continue
            letter, cpu = state
            if letter in "RD" or cpu > used.get(pid, -1.0):
                progress = now
            used[pid] = cpu
        if now - progress > IDLE:
            raise _Stuck(name())
    return future.result()


def _family(pid: int) -> list[int]:
    """The process and its descendants: a worker reading a PDF waits, asleep, for the bounded() child
    doing the work (which has bounds of its own), and is at work while that child is."""
    found, i = [pid], 0
    while i < len(found):
        try:
            tasks = os.listdir(f"/proc/{found[i]}/task")
        except OSError:
            tasks = []
        for tid in tasks:
            try:
                with open(f"/proc/{found[i]}/task/{tid}/children", encoding="ascii") as children:
                    found += [int(c) for c in children.read().split()]
            except OSError:
                pass
        i += 1
    return found


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    import signal

    for pid in list(getattr(pool, "_processes", None) or ()):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _fork(
    task: Callable[[], Any], memory: int | None = None, cpu: int | None = None, allowed: Any = None
) -> tuple[int, int]:
    """Fork a child that runs task() and writes its result, pickled, to a pipe; return the child's pid
    and the pipe's end to read.

    The child starts with this process's memory, writes nothing to the terminal (not even the output
    this process had buffered) and leaves without this process's exit handlers. `memory`: the bytes its
    address space may grow by beyond this process's (a larger allocation raises MemoryError in it);
    `cpu`: the seconds of CPU it may use (then it is killed; the task may allow itself more with
    allow_cpu, which it writes to the shared page `allowed`)."""
    global _CPU_HARD, _ALLOWED
    import pickle

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            # New stream objects: the inherited ones' locks may be held by a thread this child lacks (the
            # old objects stay referenced by sys.__stdout__ and sys.__stderr__, so are never flushed here).
            sys.stdout = sys.stderr = open(null, "w", closefd=False)  # noqa: SIM115
            import resource

            if memory is not None:
                with open("/proc/self/statm", encoding="ascii") as statm:  # address space, in pages
                    size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
                resource.setrlimit(resource.RLIMIT_AS, (size + memory, size + memory))
            if cpu is not None:  # a forked child's CPU time starts at 0
                import signal

                signal.signal(signal.SIGXCPU, signal.SIG_DFL)  # past the bound, the child is ended
                _CPU_HARD = resource.getrlimit(resource.RLIMIT_CPU)[1]
                _ALLOWED = allowed
                resource.setrlimit(resource.RLIMIT_CPU, (cpu, _CPU_HARD))
            payload = pickle.dumps(task(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)
    os.close(write)
    return pid, read


# A background child is taken for stuck when, for IDLE seconds of the wait, it neither ran nor was ready
# to run (it sleeps on a lock it inherited, or was stopped); or when it has used more CPU than
# CPU_FACTOR times what this process used meanwhile, and at least CPU_FLOOR seconds (it spins). Both
# count CPU, not wall time: a child that is merely slow on a loaded machine is ready to run (state R)
# and gets some CPU every scheduler period, however long its queue, so it is never taken for stuck.
IDLE = 30.0
CPU_FLOOR = 60.0
CPU_FACTOR = 20


class _Watch:
    """Whether a child is stuck (see IDLE), from looks at it between waits that saw nothing of it."""

    def __init__(self, pid: int, parent_cpu: float | None, now: float) -> None:
        self.pid, self.parent_cpu = pid, parent_cpu
        self.used, self.progress = -1.0, now

    def heard(self, now: float) -> None:
        """The child sent or took something: it is at work."""
        self.progress = now

    def paused(self, seconds: float) -> None:
        """This process was stopped for `seconds` (Ctrl-Z, then fg): not the child's idle time."""
        self.progress += seconds

    def look(self, now: float) -> str:
        """ "gone" (dead, or a zombie), "stuck" (idle or spinning) or "working"."""
        import time

        state = _child_state(self.pid)
        if state is None or state[0] in "ZX":
            return "gone"
        letter, cpu = state
        if self.parent_cpu is not None and cpu > max(
            CPU_FLOOR, CPU_FACTOR * (time.process_time() - self.parent_cpu)
        ):
            return "stuck"  # spinning
        if letter in "RD" or cpu > self.used:  # at work, or ready to be
            self.used, self.progress = cpu, now
        elif now - self.progress > IDLE:
            return "stuck"
        return "working"


def _child_state(pid: int) -> tuple[str, float] | None:
    """The child's state letter (R running or ready, S sleeping, D in the kernel, T stopped, Z dead) and
    the CPU seconds it used; None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    return fields[0], (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def in_background(task: Callable[[], Any]) -> Callable[[], Any]:
    """Start task() in a forked child process; return a function that waits for and returns its result.

    For a fraction of a second of computing that needs nothing but this process's memory (a report's
    bootstrap intervals over the loaded study) while this process does the rest: the child starts with
    that memory, so only the result travels back. The task must not write anything, nor use the
    database. When the child cannot give a result (it raised, was killed, or the result does not
    pickle), or is stuck (see IDLE: it is killed), the returned function runs task() here, so an error
    is raised as in one process; the child is always reaped. Where
    workers cannot be forked, on one CPU, or while another thread runs (_alone), it runs task() here
    when called."""
    if default_jobs() < 2 or not _alone():
        return task
    import pickle
    import time

    parent_cpu = time.process_time()
    pid, fd = _fork(task)

    def result() -> Any:
        try:
            payload, status, _ = _collect(pid, fd, lambda: None, parent_cpu=parent_cpu)
            # A child killed while it wrote sent part of its result: none of it is used.
            return pickle.loads(payload if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else b"")
        except (EOFError, pickle.UnpicklingError):  # the child failed or was stuck: the same work here
            return task()  # gives the result, or raises the error

    return result


class Fed:
    """A forked child reading, as a stream, the bytes this process sends it (fed_child)."""

    def __init__(self, pid: int, fd: int, pipe: int, parent_cpu: float) -> None:
        self.pid: int | None = pid
        self.fd, self.parent_cpu = fd, parent_cpu
        self.pipe: int | None = pipe  # this process's end of the child's stream, non-blocking
        os.set_blocking(pipe, False)

    def send(self, data: bytes) -> None:
        """Pass `data` on to the child. Once it has stopped reading (it died, or is stuck: it is killed),
        nothing more is sent and result() raises. While the pipe is full this process waits only as long
        as the child is at work (see IDLE): a child that never reads again cannot hang the command."""
        import select
        import signal
        import time

        view = memoryview(data)
        watch = None
        while self.pipe is not None and view:
            try:
                view = view[os.write(self.pipe, view) :]
                watch = None
                continue
            except BlockingIOError:
                pass
            except BrokenPipeError:
                self._end_stream()
                return
            now = time.monotonic()
            if watch is None:  # the pipe is full: wait for the child to take some, looking at it
                watch, last = _Watch(self.pid, self.parent_cpu, now), now
                poller = select.poll()
                poller.register(self.pipe, select.POLLOUT | select.POLLERR)
            wait = min(1.0, IDLE / 4, CPU_FLOOR / 4)
            if poller.poll(wait * 1000):
                continue  # room again, or the child's end closed (the write says which)
            now = time.monotonic()
            if now - last > wait + 5:  # this process was stopped meanwhile
                watch.paused(now - last - wait)
            last = now
            seen = watch.look(now)
            if seen == "stuck":
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
            if seen != "working":
                self._end_stream()

    def result(self) -> Any:
        """End the stream (the child reads to its end) and wait for the child's result; raise
        ChildProcessError when it gave none (it died, or was stuck: see _collect). The child is reaped."""
        import pickle

        self._end_stream()
        pid, self.pid = self.pid, None
        if pid is None:
            raise ChildProcessError("the child process was reaped already")
        payload, status, _ = _collect(pid, self.fd, lambda: None, parent_cpu=self.parent_cpu)
        try:
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
                return pickle.loads(payload)
        except (EOFError, pickle.UnpicklingError):
            pass
        raise ChildProcessError("the child process gave no answer")

    def abandon(self) -> None:
        """Kill and reap the child unless result() did (an error or Ctrl-C here)."""
        import signal

        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        with contextlib.suppress(ChildProcessError):
            self.result()

    def _end_stream(self) -> None:
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None


def fed_child(task: Callable[[Any], Any]) -> Fed | None:
    """Start task(stream) in a forked child, `stream` giving what this process sends with Fed.send,
    and return the Fed; its result() ends the stream and gives task's result. For checking a large
    output on the second CPU as it is written (an export's schema validation): the task must not write
    anything, nor use the database. None where there is no second CPU to use (default_jobs), or while
    another thread runs (_alone): then the caller does the work here."""
    if default_jobs() < 2 or not _alone():
        return None
    import time

    read, write = os.pipe()

    def child() -> Any:
        os.close(write)  # the stream ends when this process closes its end
        with os.fdopen(read, "rb") as stream:
            return task(stream)

    parent_cpu = time.process_time()
    pid, fd = _fork(child)
    os.close(read)
    return Fed(pid, fd, write, parent_cpu)


def _outcome(task: Callable[[], Any]) -> tuple[bool, Any]:
    from .errors import WeiQualError

    try:
        return True, task()
    except (WeiQualError, MemoryError) as ex:
        return False, ex


def allow_cpu(seconds: int) -> None:
    """In a child of bounded(cpu=...): let it use `seconds` of CPU in all, from its start, where its
    task learns how much work it holds (a PDF's pages). Elsewhere, nothing."""
    if _CPU_HARD is None:
        return
    import resource

    hard = _CPU_HARD
    soft = seconds if hard == resource.RLIM_INFINITY else min(seconds, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    if _ALLOWED is not None:  # the parent's wall-clock bound grows with it
        _ALLOWED[:8] = int(soft).to_bytes(8, "little")


def bounded(
    task: Callable[[], Any], *, memory: int, cpu: int | None = None, wall: float | None = None
) -> Any:
    """task() in a forked child whose memory may grow by at most `memory` bytes, and that may use at most
    `cpu` seconds of CPU (or what the task allows itself with allow_cpu): for reading an untrusted file
    with a library that sets no limit of its own (a PDF stream that inflates to gigabytes, a parser made
    slow by crafted input). With a CPU bound, the child is also given `wall` seconds of the clock (by
    default WALL_FACTOR times its CPU seconds, at least WALL_FLOOR), then killed: a child asleep or blocked
    uses no CPU, so the CPU bound alone would let it hang the command for ever. One that for IDLE
    seconds neither runs nor is ready to run (asleep on a lock it inherited, stopped) is killed then.
    Gives task()'s result, or raises the WeiQualError or MemoryError it raised, as if it ran here; raises Hung (a TimeoutError)
    past the wall-clock bound, TimeoutError when the child used up its CPU time, and ChildProcessError
    when it gave no answer otherwise (it was killed, or failed). The child is always reaped, also when
    the wait is interrupted (Ctrl-C: it is killed). Where processes cannot be forked, task() runs here,
    without the bounds."""
    if not can_fork():
        return task()
    import mmap
    import pickle
    import signal
    import time

    allowed = None
    if cpu is not None:
        allowed = mmap.mmap(-1, 8)  # shared with the child (MAP_SHARED): the CPU seconds it allows itself
        allowed[:8] = int(cpu).to_bytes(8, "little")

    def deadline() -> float | None:
        if wall is not None:
            return started + wall
        if allowed is None:
            return None
        return started + max(WALL_FLOOR, WALL_FACTOR * int.from_bytes(allowed[:8], "little"))

    started = time.monotonic()
    pid, fd = _fork(lambda: _outcome(task), memory, cpu, allowed)
    try:
        payload, status, hung = _collect(pid, fd, deadline)
        waited = time.monotonic() - started
    finally:
        if allowed is not None:
            allowed.close()
    if hung:
        raise Hung(waited) from None
    try:
        ok, value = pickle.loads(payload)
    except (EOFError, pickle.UnpicklingError):
        if cpu is not None and os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
            raise TimeoutError(f"the child process used its {cpu} s of CPU") from None
        raise ChildProcessError("the child process gave no answer") from None
    if not ok:
        raise value
    return value


def hung_reason(ex: Hung) -> str:
    """What a reader's refusal says of a child that hung (Hung), after the file's name."""
    return (
        f"could not be read: its reader was still not done after {ex.seconds:,.0f} s and was stopped (it "
        "may be damaged or made to hang its reader, or the machine far too busy: with --jobs 1 it is "
        "read alone)"
    )


def _collect(
    pid: int, fd: int, deadline: Callable[[], float | None], *, parent_cpu: float | None = None
) -> tuple[bytes, int, bool]:
    """What the child of _fork sent (b"" unless it ended of itself after sending it whole), its wait
    status, and whether it was killed as stuck: still at it past deadline() (the clock's time.monotonic,
    read again each wait: the child may extend it), or, for IDLE seconds, neither running nor ready to
    run (asleep on a lock it inherited, stopped), or, given `parent_cpu` (this process's CPU time at the
    fork), spinning (see CPU_FACTOR). Time this process spent stopped itself (Ctrl-Z, then fg) is not
    counted. A child found dead with its end of the pipe still open is not waited for. The child is
    reaped whatever happens, also when the wait is interrupted (Ctrl-C: it is killed)."""
    import select
    import signal
    import time

    chunks: list[bytes] = []
    ended = hung = False
    status = -1
    step = min(1.0, IDLE / 4, CPU_FLOOR / 4)  # the longest wait between two looks at the child
    paused = 0.0  # seconds this process was stopped, which the child's clock does not count
    last = time.monotonic()
    watch_child = _Watch(pid, parent_cpu, last)
    # poll, not select: select refuses a descriptor numbered 1024 or more, which a long-lived process (a
    # notebook, the test suite) holding many open files reaches ("filedescriptor out of range").
    watch = select.poll()
    watch.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    try:
        while True:
            end = deadline()
            wait = step if end is None else min(step, max(0.0, end + paused - time.monotonic()))
            ready = watch.poll(wait * 1000)
            now = time.monotonic()
            if now - last > wait + 5:  # this process was stopped meanwhile
                paused += now - last - wait
                watch_child.paused(now - last - wait)
            last = now
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:  # the child closed its end: it is ending, or died
                    ended = True
                    break
                chunks.append(chunk)
                watch_child.heard(now)
                continue
            seen = watch_child.look(now)
            if seen == "gone":  # dead, yet its end of the pipe is open
                break
            if seen == "stuck":
                hung = True
                break
            if (end := deadline()) is not None and now - paused >= end:  # read again: it may grow
                hung = True
                break
    finally:
        os.close(fd)
        if not ended:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            status = os.waitpid(pid, 0)[1]
        except ChildProcessError:  # reaped already (SIGCHLD ignored)
            pass
    return (b"".join(chunks) if ended else b""), status, hung
