"""The `wei-qual` program builds only the command it runs (wei_qual.cli.program); what a user sees is
what the whole app gives: help, errors, suggestions and output."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from wei_qual.cli import app, program

NAMES = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]


def test_every_command_and_group_is_named():
    assert len(NAMES) == len(set(NAMES)) >= 20 and None not in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_a_command_named_first_is_the_only_one_built(name):
    chosen = program([name, "--help"])
    assert [c.name for c in chosen.registered_commands] + [g.name for g in chosen.registered_groups] == [name]
    assert len(app.registered_commands) + len(app.registered_groups) == len(NAMES)  # the app is untouched


@pytest.mark.parametrize("argv", [[], ["--help"], ["--version"], ["reprot"], ["-h", "report"]])
def test_anything_else_gets_every_command(argv):
    assert program(argv) is app


def test_shell_completion_gets_every_command(monkeypatch):
    monkeypatch.setenv("_WEI_QUAL_COMPLETE", "complete_bash")
    assert program(["report"]) is app


def _run(code: str, args: list[str]) -> tuple[int, str, str]:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--help"],
        ["report", "matrix", "--help"],
        ["agree", "--help"],
        ["report", "matrx"],  # click offers the right subcommand
        ["reprot", "themes"],  # ... and the right command
        ["--version"],
        ["agree", "--no-such-option"],
        ["transcripts", "list", "--db", "no/such/project.db"],
    ],
)
def test_the_program_answers_as_the_whole_app(args):
    whole = "import sys; sys.argv[0] = 'wei-qual'; from wei_qual.cli import app; app(prog_name='wei-qual')"
    ours = "import sys; sys.argv[0] = 'wei-qual'; from wei_qual.cli import run; run()"
    assert _run(ours, args) == _run(whole, args)


@pytest.mark.parametrize(
    "name, given, kept",
    [
        ("NUMPY_MADVISE_HUGEPAGE", None, "0"),
        ("NUMPY_MADVISE_HUGEPAGE", "1", "1"),
        ("OPENBLAS_NUM_THREADS", None, "1"),
        ("OPENBLAS_NUM_THREADS", "4", "4"),
    ],
)
def test_the_program_sets_numpys_environment_unless_the_user_chose(
    monkeypatch, program_signals, name, given, kept
):
    import os

    from wei_qual import cli, gcpause

    monkeypatch.setattr(gcpause, "FREEZE_IN_THIS_PROCESS", False)
    if given is None:
        monkeypatch.delenv(name, raising=False)
    else:
        monkeypatch.setenv(name, given)
    monkeypatch.setattr(sys, "argv", ["wei-qual", "--version"])
    with pytest.raises(SystemExit):
        cli.run()
    assert os.environ[name] == kept


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_a_signal_once_the_command_is_done_does_not_undo_its_success(db_path, name):
    # Ctrl-C or a kill a moment after `suggest` printed "Stored 3866 suggestions" (while Python tears
    # down, a tenth of a second there) ended it as killed by the signal, or with a traceback, after its
    # work was committed and said: a script saw a failure, the lead a traceback.
    script = (
        "import atexit, os, signal, sys, time\n"
        f"atexit.register(lambda: (os.kill(os.getpid(), signal.{name}), time.sleep(0.2)))\n"
        "sys.argv[0] = 'wei-qual'\n"
        "from wei_qual.cli import run\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "transcripts", "list", "--db", str(db_path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert done.stderr == f'No transcripts yet. Add some with "wei-qual ingest PATH --db {db_path}".\n'


@pytest.mark.parametrize(
    "args", [["report", "themes", "--by", "role"], ["report", "methods"], ["agree"], ["suggest"]]
)
def test_the_program_closes_its_project(tmp_path, args):
    # A report's data is frozen out of the collector's sight with the project's connection in it
    # (gcpause): never closed, it left its -wal and -shm files beside the project (suggest's log: 26 MB
    # on the study corpus).
    from test_report_project import build_report_project

    from wei_qual.store import open_db

    path = tmp_path / "project.db"
    db = open_db(path)
    build_report_project(db)
    db.close()
    done = subprocess.run(
        [sys.executable, "-m", "wei_qual", *args, "--db", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project.db"]


# Ctrl-C as the program loads its modules (here as it imports Typer), before run() handles Ctrl-C.
_CTRL_C_AS_IT_LOADS = """
import os, signal, sys

# As on a terminal: a test run started in the background (a CI job, `cmd &`) inherits Ctrl-C ignored.
signal.signal(signal.SIGINT, signal.default_int_handler)

class CtrlCAsTyperLoads:
    def find_spec(self, name, path=None, target=None):
        if name == "typer":
            os.kill(os.getpid(), signal.SIGINT)

sys.meta_path.insert(0, CtrlCAsTyperLoads())
sys.argv = ["wei-qual", "--version"]
from wei_qual.cli import run
run()
"""


def test_ctrl_c_as_the_program_starts_says_one_line_not_a_traceback():
    # Ctrl-C in the first tenth of a second (longer on a busy machine) printed the traceback of whichever
    # import it cut: typer, rich, the store.
    done = subprocess.run(
        [sys.executable, "-c", _CTRL_C_AS_IT_LOADS], capture_output=True, text=True, check=False
    )
    assert done.stderr == "Interrupted (Ctrl-C): nothing was done.\n"
    assert done.returncode == -signal.SIGINT and done.stdout == ""


def test_an_error_as_the_program_starts_keeps_its_traceback():
    # Only Ctrl-C is said in one line: a bug while loading still shows where it is.
    code = _CTRL_C_AS_IT_LOADS.replace("os.kill(os.getpid(), signal.SIGINT)", "raise RuntimeError('a bug')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert "Traceback" in done.stderr and "RuntimeError: a bug" in done.stderr and done.returncode == 1
