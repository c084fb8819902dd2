"""A forked child computing while the command goes on (wei_qual.parallel.in_background): the result
comes back, an error is raised here, a child that dies or is stuck is killed, reaped and made up for
here (one at work, however slowly, is waited for), and one CPU runs inline.
And a child with a memory bound (parallel.bounded), for reading untrusted files: its result or its error
comes back, an allocation past the bound is a MemoryError, CPU time past its bound a TimeoutError, and a
child that dies is never run again here."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from wei_qual import parallel
from wei_qual.errors import ReportError, TranscriptError
from wei_qual.parallel import bounded, in_background

forks = pytest.mark.skipif(parallel.default_jobs() < 2, reason="needs fork and a second CPU")


@forks
def test_the_result_comes_back_from_another_process():
    study = [f"segment {i}" for i in range(50_000)]  # the child starts with this memory: nothing is sent
    wait = in_background(lambda: (os.getpid(), sum(map(len, study))))
    pid, total = wait()
    assert pid != os.getpid()
    assert total == sum(map(len, study))


@forks
def test_an_error_in_the_child_is_raised_here_as_in_one_process():
    def task():
        raise ReportError('No codebook is loaded in this project. Load one with "wei-qual codebook load".')

    with pytest.raises(ReportError, match="No codebook is loaded"):
        in_background(task)()


@forks
def test_a_child_that_dies_is_made_up_for_here():
    parent = os.getpid()

    def task():
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return "computed here"

    assert in_background(task)() == "computed here"


def _children() -> set[str]:
    # This process's children, zombies included (other tests may have left some of their own).
    found: set[str] = set()
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/children", encoding="ascii") as children:
                found.update(children.read().split())
        except FileNotFoundError:  # the thread ended since it was listed (a pool's, winding down)
            continue
    return found


@pytest.fixture
def no_child_left():
    before = _children()
    yield
    assert _children() <= before  # the child is neither a zombie nor a stray


@forks
def test_a_child_stuck_on_a_lock_it_inherited_is_killed_and_made_up_for_here(monkeypatch, no_child_left):
    monkeypatch.setattr(parallel, "IDLE", 0.3)
    lock = threading.Lock()
    lock.acquire()  # held at the fork, and in the child by no thread: it waits for ever
    parent = os.getpid()

    def task():
        if os.getpid() != parent:
            lock.acquire()
        return os.getpid()

    start = time.monotonic()
    assert in_background(task)() == parent
    assert time.monotonic() - start < 10
    lock.release()


@forks
def test_a_stopped_child_is_killed_and_made_up_for_here(monkeypatch, no_child_left):
    monkeypatch.setattr(parallel, "IDLE", 0.3)
    parent = os.getpid()

    def task():
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGSTOP)
        return os.getpid()

    assert in_background(task)() == parent


@forks
def test_a_child_found_dead_with_its_pipe_still_open_is_made_up_for_here(no_child_left):
    # Its end of the pipe is held by a process of its own, so no end of file comes: the wait sees it dead
    # (long before IDLE) and reaps it.
    parent = os.getpid()

    def task():
        if os.getpid() != parent:
            child = os.getpid()
            if os.fork() == 0:
                end = time.monotonic() + 20
                while os.path.exists(f"/proc/{child}") and time.monotonic() < end:
                    time.sleep(0.01)
                os._exit(0)
            os.kill(child, signal.SIGKILL)
        return os.getpid()

    start = time.monotonic()
    assert in_background(task)() == parent
    assert time.monotonic() - start < parallel.IDLE


@forks
def test_a_spinning_child_is_killed_past_its_cpu_and_made_up_for_here(monkeypatch, no_child_left):
    monkeypatch.setattr(parallel, "CPU_FLOOR", 0.3)
    monkeypatch.setattr(parallel, "CPU_FACTOR", 0)
    parent = os.getpid()

    def task():
        while os.getpid() != parent:
            pass
        return os.getpid()

    assert in_background(task)() == parent


@forks
def test_a_slow_child_at_work_is_waited_for(monkeypatch, no_child_left):
    # Far past IDLE, but at work all along (as on a loaded machine): its own result comes back.
    monkeypatch.setattr(parallel, "IDLE", 0.1)
    parent = os.getpid()

    def task():
        end = time.process_time() + (1.0 if os.getpid() != parent else 0)
        while time.process_time() < end:
            pass
        return os.getpid()

    assert in_background(task)() != parent


@forks
def test_a_result_that_does_not_pickle_is_computed_here():
    parent = os.getpid()
    assert (
        in_background(lambda: (lambda: os.getpid()) if os.getpid() == parent else (lambda: 0))()() == parent
    )


@forks
def test_nothing_from_the_child_reaches_the_terminal(tmp_path):
    # Output this process had buffered (stdout into a pipe) is written once, by this process, and what
    # the child prints goes nowhere.
    script = tmp_path / "run.py"
    script.write_text(
        "import sys\n"
        "from wei_qual.parallel import in_background\n"
        "print('before')\n"
        "print('warning', file=sys.stderr)\n"
        "wait = in_background(lambda: print('from the child', flush=True) or 1)\n"
        "print('after', wait())\n",
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert (done.stdout, done.stderr) == ("before\nafter 1\n", "warning\n")


def test_one_cpu_runs_the_task_here_when_asked(monkeypatch):
    monkeypatch.setattr(parallel, "default_jobs", lambda: 1)
    ran = []
    wait = in_background(lambda: ran.append(os.getpid()) or "done")
    assert ran == []  # not yet: the caller goes on first
    assert wait() == "done"
    assert ran == [os.getpid()]


can_fork = pytest.mark.skipif(not parallel.can_fork(), reason="needs fork")
MiB = 2**20


@can_fork
def test_a_bounded_child_gives_its_result_or_its_error():
    assert bounded(os.getpid, memory=64 * MiB) != os.getpid()
    big = bytearray(32 * MiB)  # this process's memory does not count against the child's bound
    assert bounded(lambda: len(big) + len(bytearray(16 * MiB)), memory=64 * MiB) == 48 * MiB

    def task():
        raise TranscriptError('"P01.pdf" is encrypted and needs a password.')

    with pytest.raises(TranscriptError, match="needs a password"):
        bounded(task, memory=64 * MiB)


@can_fork
def test_a_process_holding_over_a_thousand_files_waits_for_its_child():
    # select() refuses a descriptor numbered 1024 or more: with that many files open (a notebook, the
    # test suite late in its run), reading a PDF in a bounded child ended in "filedescriptor out of range".
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip("the system allows fewer than 1,200 open files")
    resource.setrlimit(
        resource.RLIMIT_NOFILE, (max(soft, 1200) if soft != resource.RLIM_INFINITY else soft, hard)
    )
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        assert bounded(os.getpid, memory=64 * MiB) != os.getpid()
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@can_fork
def test_an_allocation_past_the_bound_is_a_memory_error_and_this_process_is_untouched():
    with pytest.raises(MemoryError):
        bounded(lambda: len(bytearray(256 * MiB)), memory=64 * MiB)
    assert len(bytearray(256 * MiB)) == 256 * MiB  # no bound here


@can_fork
def test_a_bounded_child_that_dies_is_not_run_again_here():
    parent = os.getpid()
    ran_here = []

    def task():
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        ran_here.append(True)

    with pytest.raises(ChildProcessError):
        bounded(task, memory=64 * MiB)
    assert ran_here == []


@can_fork
def test_a_child_past_its_cpu_time_is_a_timeout_and_its_memory_bound_still_holds():
    def spin():
        while True:
            pass

    with pytest.raises(TimeoutError, match="1 s of CPU"):
        bounded(spin, memory=64 * MiB, cpu=1)
    assert bounded(os.getpid, memory=64 * MiB, cpu=1) != os.getpid()
    with pytest.raises(MemoryError):
        bounded(lambda: len(bytearray(256 * MiB)), memory=64 * MiB, cpu=5)


@can_fork
def test_a_bounded_task_may_allow_itself_more_cpu_once_it_knows_its_work():
    import resource

    def allowed(seconds: int) -> int:
        parallel.allow_cpu(seconds)
        return resource.getrlimit(resource.RLIMIT_CPU)[0]

    assert bounded(lambda: allowed(7), memory=64 * MiB, cpu=1) == 7

    def spin():
        parallel.allow_cpu(2)  # counted from the child's start
        while time.process_time() < 10:
            pass

    def children_cpu() -> float:
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        return used.ru_utime + used.ru_stime

    # The child's CPU, not the wall clock: on a busy machine 2 s of CPU can take far longer.
    started = children_cpu()
    with pytest.raises(TimeoutError):
        bounded(spin, memory=64 * MiB, cpu=1)
    assert 1.5 < children_cpu() - started < 4
    before = resource.getrlimit(resource.RLIMIT_CPU)
    parallel.allow_cpu(1)  # outside a bounded child it does nothing
    assert resource.getrlimit(resource.RLIMIT_CPU) == before


def test_without_fork_the_bounded_task_runs_here(monkeypatch):
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    assert bounded(os.getpid, memory=MiB) == os.getpid()


@forks
def test_ctrl_c_ends_the_workers_quietly(tmp_path):
    # Ctrl-C reaches every process of the group: each forked worker printed a KeyboardInterrupt traceback
    # from inside multiprocessing, burying the command's own message.
    script = tmp_path / "run.py"
    script.write_text(
        "import os, sys, time\n"
        "from wei_qual import parallel\n"
        "def task(i):\n"
        "    open(f'started.{os.getpid()}', 'w').close()\n"
        "    time.sleep(60)\n"
        "try:\n"
        "    for _ in parallel.ordered_map(task, range(8), 2):\n"
        "        pass\n"
        "except KeyboardInterrupt:\n"
        "    sys.exit(130)\n",
        encoding="utf-8",
    )
    child = subprocess.Popen(
        [sys.executable, str(script)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 - the test runs no threads
    )
    deadline = time.monotonic() + 10
    while len(list(tmp_path.glob("started.*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(child.pid, signal.SIGINT)  # as the terminal sends Ctrl-C
    out, err = child.communicate(timeout=10)  # the workers end at once, not after their 60 s
    assert (child.returncode, out, err) == (130, "", "")


def _ingest_eight(tmp_path) -> list[str]:
    folder = tmp_path / "interviews"
    folder.mkdir()
    for n in range(1, 9):  # PARALLEL_MIN_FILES: enough files for --jobs to fork workers
        (folder / f"P{n:02}.txt").write_text(
            "Interviewer: How long have you worked nights?\n\n"
            f"P{n:02}: Going on {n} years now, mostly on the east side of the county.\n",
            encoding="utf-8",
        )
    return ["ingest", "--jobs", "2", "--db", str(tmp_path / "p.db"), str(folder)]


def _agree_by_role(tmp_path) -> list[str]:
    from _agree_project import build

    from wei_qual.store import open_db

    db = open_db(tmp_path / "p.db")
    build(db)
    db.close()
    return ["agree", "--by", "role", "--bootstrap", "50", "--db", str(tmp_path / "p.db")]


@forks
@pytest.mark.parametrize("command", [_ingest_eight, _agree_by_role], ids=["ingest --jobs", "agree --by"])
def test_a_command_forks_with_no_other_thread_running(tmp_path, monkeypatch, command):
    # On a terminal these commands draw a progress bar while they fork. A child forked while another
    # thread is writing to stderr starts with that stream's lock held by no thread of its own: it
    # hangs for ever when it ends (a pool worker flushes stderr then), and the command with it.
    from typer.testing import CliRunner

    from wei_qual.cli import app
    from wei_qual.console import err_console

    threads_at_fork = []
    fork = os.fork

    def counting_fork():
        threads_at_fork.append(threading.active_count())
        return fork()

    args = command(tmp_path)
    monkeypatch.setattr(os, "fork", counting_fork)
    monkeypatch.setattr(err_console, "_force_terminal", True)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert threads_at_fork and set(threads_at_fork) == {1}


@forks
def test_while_another_thread_runs_the_work_is_done_here():
    # A child forked now could start with a lock that thread holds, and wait for it for ever.
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert in_background(os.getpid)() == os.getpid()
        assert list(parallel.ordered_map(lambda _: os.getpid(), range(3), 2)) == [(True, os.getpid())] * 3
    finally:
        stop.set()
        other.join()
    assert in_background(os.getpid)() != os.getpid()


@can_fork
def test_a_bounded_child_writes_to_stderr_while_another_thread_holds_it(tmp_path):
    # A thread in the middle of a write to stderr (a terminal that takes no output now, Ctrl-S) holds
    # the stream's lock when the child is forked; the child's warnings must not wait for it.
    script = tmp_path / "run.py"
    script.write_text(
        "import io, os, sys, threading, time\n"
        "from wei_qual.parallel import bounded\n"
        "read, write = os.pipe()\n"
        "sys.stderr = io.TextIOWrapper(open(write, 'wb'), line_buffering=True)\n"
        "threading.Thread(target=lambda: print('x' * 2**20, file=sys.stderr), daemon=True).start()\n"
        "time.sleep(0.3)\n"
        "print(bounded(lambda: print('a warning', file=sys.stderr) or 42, memory=2**30), flush=True)\n"
        "os._exit(0)  # not the interpreter's exit, which would flush stderr behind that thread\n",
        encoding="utf-8",
    )
    run = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out = run.communicate(timeout=60)[0]
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)  # the stuck child too
        run.communicate()
        pytest.fail("the bounded child hung on the stderr lock it inherited")
    assert out == "42\n"


@forks
def test_a_worker_that_dies_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from wei_qual import ingest
    from wei_qual.cli import app

    parent, prepare = os.getpid(), ingest._prepare

    def killed_on_p05(path, **options):  # as the kernel's out-of-memory killer ends a worker
        if path.name == "P05.txt" and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return prepare(path, **options)

    monkeypatch.setattr(ingest, "_prepare", killed_on_p05)
    result = CliRunner().invoke(app, _ingest_eight(tmp_path))
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        1,
        (
            "Error: A worker process ended before it finished (killed, perhaps for lack of memory). Run the "
            "command again, with --jobs 1 to use no worker processes."
        ),
    )


@can_fork
def test_a_bounded_child_asleep_past_its_wall_clock_bound_is_killed_and_reaped(no_child_left):
    # It uses no CPU, so its CPU bound never ends it: the clock does.
    start = time.monotonic()
    with pytest.raises(parallel.Hung) as hung:
        bounded(lambda: time.sleep(120), memory=64 * MiB, cpu=60, wall=0.5)
    assert time.monotonic() - start < 10
    assert 0.5 <= hung.value.seconds < 10
    assert bounded(os.getpid, memory=64 * MiB, cpu=60, wall=5) != os.getpid()  # in time: its result


@can_fork
def test_a_bounded_child_asleep_on_a_lock_is_not_waited_for_until_its_wall_clock_bound(
    monkeypatch, no_child_left
):
    # Its bound, from its CPU seconds, is minutes; asleep for IDLE seconds, it is taken for hung at once.
    monkeypatch.setattr(parallel, "IDLE", 0.5)
    lock = threading.Lock()
    lock.acquire()  # held at the fork, and in the child by no thread
    start = time.monotonic()
    with pytest.raises(parallel.Hung):
        bounded(lock.acquire, memory=64 * MiB, cpu=60)
    assert time.monotonic() - start < 10
    lock.release()

    def works() -> str:  # far past IDLE, but at work all along: its result comes back
        end = time.process_time() + 1.0
        while time.process_time() < end:
            pass
        return "done"

    assert bounded(works, memory=64 * MiB, cpu=60) == "done"


@can_fork
def test_the_wall_clock_bound_follows_the_cpu_the_child_allows_itself(monkeypatch, no_child_left):
    monkeypatch.setattr(parallel, "WALL_FLOOR", 0.0)
    monkeypatch.setattr(parallel, "WALL_FACTOR", 0.5)  # 1 s of CPU: 0.5 s of the clock

    def sleeps(allow: int) -> str:
        parallel.allow_cpu(allow)  # 8 s of CPU: 4 s of the clock
        time.sleep(1.0)
        return "done"

    with pytest.raises(parallel.Hung):
        bounded(lambda: sleeps(1), memory=64 * MiB, cpu=1)
    assert bounded(lambda: sleeps(8), memory=64 * MiB, cpu=1) == "done"


@can_fork
@pytest.mark.parametrize("reader", ["pdf", "rtf"])
def test_a_reader_that_hangs_is_one_line_naming_the_file(tmp_path, monkeypatch, reader, no_child_left):
    from typer.testing import CliRunner

    from wei_qual.cli import app
    from wei_qual.ingest import pdf, rtf

    monkeypatch.setattr(parallel, "WALL_FLOOR", 1.0)
    monkeypatch.setattr(parallel, "WALL_FACTOR", 0)
    # Asleep on a lock it inherited held, as a reader's child can be: it never ends of itself.
    lock = threading.Lock()
    lock.acquire()
    if reader == "pdf":
        monkeypatch.setattr(pdf, "_read_pages", lambda name, data, **_: lock.acquire())
        path, data = tmp_path / "P01.pdf", b"%PDF-1.7\n" + b"0" * 100
    else:
        monkeypatch.setattr(rtf, "_to_text", lambda name, text, code_page: lock.acquire())
        path, data = tmp_path / "P01.rtf", b"{\\rtf1\\ansi Interviewer: Hello.\\par}"
    path.write_bytes(data)
    result = CliRunner().invoke(app, ["ingest", str(path), "--db", str(tmp_path / "study.db")])
    lock.release()
    said = " ".join(result.stderr.split())  # one message, however the console wraps it
    assert result.exit_code == 1
    assert said.startswith(f'Error: "{path}" could not be read: its reader was still not done after 1 s and ')
    assert "--jobs 1" in said and "Traceback" not in said
    assert not (tmp_path / "study.db").exists()


def _double(n: int) -> int:
    return 2 * n


def _negate(n: int) -> int:
    return -n


@pytest.mark.parametrize("alone", [True, False])
def test_two_ordered_maps_under_way_at_once_each_run_their_own_task(monkeypatch, alone):
    # A project import scans its sources in one map while another is under way; the task was one global,
    # and the first map to end (or be dropped, and collected later) cleared it under the other: its
    # remaining items failed ("assert _TASK is not None"), in the test suite's ingest after a dropped map.
    monkeypatch.setattr(parallel, "_alone", lambda: alone)
    first = parallel.ordered_map(_double, range(20), 2)
    assert next(first) == (True, 0)
    second = parallel.ordered_map(_negate, range(20), 2)
    assert next(second) == (True, 0)
    first.close()  # dropped part-way, as a refused import drops its scan
    assert [value for _, value in second] == [-n for n in range(1, 20)]


@contextlib.contextmanager
def _alarm(seconds: int):
    """Fail instead of hanging the suite when the code under test blocks for ever."""

    def ring(signum, frame):
        raise TimeoutError(f"still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@forks
@pytest.mark.parametrize("how", ["asleep", "stopped"])
def test_a_fed_child_that_stops_reading_cannot_block_the_sender(monkeypatch, no_child_left, how):
    """The pipe to the child fills (64 KiB) while it sleeps or is stopped: the sender waits only IDLE
    seconds of the child doing nothing, kills it, and result() says it gave no answer."""
    monkeypatch.setattr(parallel, "IDLE", 0.3)
    monkeypatch.setattr(parallel, "default_jobs", lambda: 2)

    def task(stream):
        if how == "stopped":
            os.kill(os.getpid(), signal.SIGSTOP)
        time.sleep(60)

    fed = parallel.fed_child(task)
    start = time.monotonic()
    with _alarm(10):
        for _ in range(4):
            fed.send(b"x" * (1 << 20))
        with pytest.raises(ChildProcessError):
            fed.result()
    assert time.monotonic() - start < 3


@forks
def test_a_fed_child_that_reads_slowly_gets_everything(monkeypatch, no_child_left):
    """A child that is at work is waited for, however long past IDLE: every byte reaches it."""
    monkeypatch.setattr(parallel, "IDLE", 0.1)
    monkeypatch.setattr(parallel, "default_jobs", lambda: 2)

    def task(stream):
        total = 0
        while chunk := stream.read(1 << 16):
            total += len(chunk)
            end = time.process_time() + 0.05  # at work (running), not asleep
            while time.process_time() < end:
                pass
        return total

    fed = parallel.fed_child(task)
    with _alarm(20):
        fed.send(b"x" * (1 << 20))
        assert fed.result() == 1 << 20


def _stuck_on_three(n: int) -> int:
    if n == 3:  # in a worker: asleep for ever, as on a lock inherited across the fork
        time.sleep(3600)
    return n


@forks
def test_a_worker_asleep_for_ever_ends_the_map_with_an_error_naming_the_item(monkeypatch, no_child_left):
    from wei_qual.errors import WeiQualError

    monkeypatch.setattr(parallel, "IDLE", 0.4)
    got = []
    start = time.monotonic()
    with _alarm(20), pytest.raises(WeiQualError, match=r"^item 3: its worker process was stuck"):
        for ok, value in parallel.ordered_map(_stuck_on_three, range(8), 2, name=lambda n: f"item {n}"):
            got.append((ok, value))
    assert got == [(True, 0), (True, 1), (True, 2)]  # in order, up to the stuck one
    assert time.monotonic() - start < 10


@forks
def test_a_stopped_worker_ends_the_ingest_with_one_line_naming_the_file(tmp_path, monkeypatch, no_child_left):
    from typer.testing import CliRunner

    from wei_qual import ingest
    from wei_qual.cli import app
    from wei_qual.store import open_db

    monkeypatch.setattr(parallel, "IDLE", 0.4)
    parent, prepare = os.getpid(), ingest._prepare

    def stopped_on_p05(path, **options):  # as a worker stopped by a signal, or hung without dying
        if path.name == "P05.txt" and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGSTOP)
        return prepare(path, **options)

    monkeypatch.setattr(ingest, "_prepare", stopped_on_p05)
    with _alarm(20):
        result = CliRunner().invoke(app, _ingest_eight(tmp_path))
    lines = result.stderr.splitlines()
    assert result.exit_code == 1
    assert lines[-1].startswith(
        f'Error: "{tmp_path / "interviews" / "P05.txt"}": its worker process was stuck'
    )
    db = open_db(tmp_path / "p.db")  # the files before it stay stored, it and those after are not
    stored = [row[0] for row in db.conn.execute("SELECT id FROM transcripts ORDER BY id")]
    db.close()
    assert stored == ["P01", "P02", "P03", "P04"]


def _reads_in_a_bounded_child(n: int) -> int:
    def spin() -> int:  # as a PDF's reader at work in its bounded child, its worker asleep meanwhile
        end = time.process_time() + 1.0
        while time.process_time() < end:
            pass
        return n

    return bounded(spin, memory=1 << 30) if n == 1 else n


@forks
def test_a_worker_waiting_for_its_bounded_child_at_work_is_not_stuck(monkeypatch, no_child_left):
    monkeypatch.setattr(parallel, "IDLE", 0.4)
    with _alarm(20):
        assert [value for _, value in parallel.ordered_map(_reads_in_a_bounded_child, range(3), 2)] == [
            0,
            1,
            2,
        ]
