"""Every command has help text and is documented in README.md; the README opens with the two commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import typer

from wei_qual.cli import app

ROOT = Path(__file__).resolve().parent.parent


def _commands(group, prefix=()):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        yield path, command
        if hasattr(command, "commands"):
            yield from _commands(command, path)


ALL_COMMANDS = list(_commands(typer.main.get_command(app)))


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ALL_COMMANDS, "no commands registered"
    for path, command in ALL_COMMANDS:
        assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
        assert f"wei-qual {' '.join(path)}" in readme, f"wei-qual {' '.join(path)} is not in README.md"


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", readme, re.DOTALL).group(1).strip().splitlines()
    assert len(block) == 2
    assert block[0].endswith("wei-qual demo")
    assert "pytest" in block[1]
    assert block[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_cli_import_loads_no_heavy_library():
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import wei_qual.cli"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    loaded = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in out.splitlines() if "|" in line}
    heavy = {
        "spacy",
        "numpy",
        "krippendorff",
        "docx",
        "openpyxl",
        "matplotlib",
        "drawsvg",
        "lxml",
        "xmlschema",
        "thinc",
        "pandas",
        "webvtt",
        "scipy",
        "sqlite_utils",
        "yaml",
        "faker",
    }
    assert loaded & heavy == set()


def test_version_via_console_script_module_and_help():
    from wei_qual import __version__

    out = subprocess.run(
        [sys.executable, "-m", "wei_qual", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout == f"wei-qual {__version__}\n"
    out = subprocess.run(
        [sys.executable, "-m", "wei_qual", "--help"], capture_output=True, text=True, check=True
    )
    assert "Usage: wei-qual" in out.stdout and out.stderr == ""
