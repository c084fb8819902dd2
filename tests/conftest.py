"""Shared fixtures: tiny and explicit. Module-specific fixtures live in their own test files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wei_qual.store import memory_db, open_db

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "transcripts_sample"
CODEBOOKS = ROOT / "codebooks"


@pytest.fixture(autouse=True)
def isolate_env(monkeypatch, tmp_path, tmp_path_factory):
    """No WEI_QUAL_* variables from the developer's shell; run in a scratch folder; the PII scanner's
    kept word lists (deid/listcache.py) in the session's own cache folder, not the developer's."""
    import os

    for key in list(os.environ):
        if key.startswith("WEI_QUAL_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
    monkeypatch.setenv("COLUMNS", "200")  # wide tables, so assertions do not depend on wrapping
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def db():
    """A migrated in-memory project."""
    return memory_db()


@pytest.fixture
def db_path(tmp_path) -> Path:
    """A migrated project file in tmp_path."""
    path = tmp_path / "project.db"
    open_db(path).close()
    return path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def make_transcript(tmp_path):
    """Write a transcript file (text is dedented) and return its path."""

    def make(text: str, name: str = "p01.txt") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return make


@pytest.fixture
def make_codebook(tmp_path):
    """Write a codebook YAML file (text is dedented) and return its path."""

    def make(yaml_text: str, name: str = "codebook.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(yaml_text).lstrip("\n"), encoding="utf-8")
        return path

    return make


@pytest.fixture
def program_signals():
    """For a test that calls wei_qual.cli.run() in this process: it installs the program's signal
    handlers (and, once a command is done, ignores signals); pytest's own come back after."""
    import signal

    saved = {n: signal.getsignal(n) for n in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)
