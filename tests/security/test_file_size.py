"""A transcript file over its format's size limit is refused in one line before it is read: a 3 GB text
file was read whole into memory. The large files are sparse, so they take no disk and no time to make."""

from __future__ import annotations

import contextlib
import os
import resource
from pathlib import Path

import pytest

from wei_qual import ingest
from wei_qual.cli import app


def _sparse(path, size: int):
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


@contextlib.contextmanager
def _memory_bound(extra: int):
    """This process may grow by at most `extra` bytes of address space meanwhile (RLIMIT_AS)."""
    with open("/proc/self/statm") as handle:
        size = int(handle.read().split()[0]) * resource.getpagesize()
    old = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (size + extra, old[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, old)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


@pytest.mark.parametrize("suffix", [".txt", ".md", ".vtt", ".srt"])
def test_a_3_gb_text_transcript_is_refused_unread(runner, tmp_path, suffix):
    _sparse(tmp_path / f"big{suffix}", 3 * 10**9)
    before = _peak_mib()
    result = runner.invoke(app, ["ingest", f"big{suffix}", "--db", "p.db"])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        f'Error: "big{suffix}" is 3,000 MB, more than the 200 MB a '
        f"{'.md file' if suffix == '.md' else suffix[1:].upper() if suffix != '.txt' else '.txt file'} "
        "may have here: it was not read. "
        f"Check that it is a {'transcript' if suffix in ('.txt', '.md') else 'caption file'}, "
        "or split it into one file per interview."
    )
    assert _peak_mib() - before < 500  # never read: reading it would take 3,000 MB
    assert not (tmp_path / "p.db").exists()


@pytest.mark.parametrize("suffix", [".pdf", ".rtf", ".docx"])
def test_other_formats_are_refused_before_they_are_read(tmp_path, suffix):
    # PDF and RTF had their 200 MB limit checked only once the whole file was in memory.
    path = _sparse(tmp_path / f"big{suffix}", 5 * 10**9)
    before = _peak_mib()
    with pytest.raises(ingest.TranscriptError, match=r'big\.\w+" is 5,000 MB, more than the [\d,]+ MB a '):
        ingest.parse_transcript(path)
    assert _peak_mib() - before < 500


def test_the_limit_is_the_formats_own_and_a_file_at_it_is_read(tmp_path, monkeypatch, make_transcript):
    path = make_transcript("Interviewer: How did the call go?\nP01: It went fine.\n")
    size = os.path.getsize(path)
    monkeypatch.setitem(ingest.MAX_BYTES, ".txt", (size, "Split it."))
    assert [s.speaker for s in ingest.parse_transcript(path).segments] == ["Interviewer", "P01"]
    monkeypatch.setitem(ingest.MAX_BYTES, ".txt", (size - 1, "Split it."))
    with pytest.raises(ingest.TranscriptError, match=r'p01\.txt" is 0 MB, more than the 0 MB a \.txt file'):
        ingest.parse_transcript(path)


def test_a_folder_ingest_fails_the_large_file_and_stores_the_others(runner, tmp_path, make_transcript):
    make_transcript("Interviewer: How did the call go?\nP01: It went fine.\n", "in/p01.txt")
    _sparse(tmp_path / "in" / "p02.txt", 3 * 10**9)
    result = runner.invoke(app, ["ingest", "in", "--db", "p.db"])
    assert result.exit_code == 1
    assert '"in/p02.txt" is 3,000 MB, more than the 200 MB a .txt file may have here' in result.stderr
    assert "Ingested 1 transcript" in result.stderr + result.stdout


@pytest.mark.parametrize("suffix", [".txt", ".pdf", ".docx"])
def test_deid_scan_refuses_it_unread_too(runner, tmp_path, suffix):
    _sparse(tmp_path / f"big{suffix}", 3 * 10**9)
    before = _peak_mib()
    result = runner.invoke(app, ["deid", "scan", f"big{suffix}"])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert f'"big{suffix}" is 3,000 MB, more than the ' in result.stderr
    assert _peak_mib() - before < 500


@pytest.mark.parametrize(
    "name, args, what, limit",
    [
        ("big.csv", ["decisions", "import", "big.csv", "--db", "p.db"], "a decisions file", 500),
        ("big.json", ["decisions", "import", "big.json", "--db", "p.db"], "a decisions file", 500),
        (
            "big.csv",
            ["ingest", "p01.txt", "--attributes", "big.csv", "--db", "p.db"],
            "an attributes file",
            20,
        ),
        ("big.yaml", ["codebook", "validate", "big.yaml"], "a codebook", 100),
        ("big.yaml", ["codebook", "load", "big.yaml", "--db", "p.db"], "a codebook", 100),
        ("big.qdc", ["codebook", "import", "big.qdc", "-o", "out.yaml"], "a codebook", 100),
        ("big.lst", ["deid", "scan", "p01.txt", "--allow", "big.lst"], "an allowlist", 100),
    ],
)
def test_a_3_gb_table_codebook_or_list_is_refused_unread(runner, tmp_path, name, args, what, limit):
    """A decisions or attributes CSV, a codebook and an allowlist are read whole: a 3 GB file given as one
    (the wrong file picked in a dialog) was a MemoryError traceback, or took the machine's memory."""
    (tmp_path / "p01.txt").write_text("Interviewer: How long?\n\nP01: Two hours.\n", encoding="utf-8")
    if args[0] == "decisions":  # it imports into a project that exists, with a codebook
        codebook = Path(__file__).resolve().parents[2] / "codebooks" / "wei_crisis_response.yaml"
        assert runner.invoke(app, ["ingest", "p01.txt", "--db", "project.db"]).exit_code == 0
        assert runner.invoke(app, ["codebook", "load", str(codebook), "--db", "project.db"]).exit_code == 0
        args = [*args[:-1], "project.db"]
    _sparse(tmp_path / name, 3 * 10**9)
    before = _peak_mib()
    with _memory_bound(2**30):  # should the file be read after all, a MemoryError, not a machine swapping
        result = runner.invoke(app, args)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    said = result.stderr.splitlines()[0]
    assert f'"{name}" is 3,000 MB, more than the {limit} MB {what} may have here: it was not read. ' in said
    assert said.endswith(("Check that it is the right file.", "check that it is the right file."))
    assert _peak_mib() - before < 500
    assert not (tmp_path / "p.db").exists() and not (tmp_path / "out.yaml").exists()
