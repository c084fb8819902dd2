"""A transcript file over its format's size limit is refused in one line before it is read: a 3 GB text
file was read whole into memory. The large files are sparse, so they take no disk and no time to make."""

from __future__ import annotations

import os
import resource

import pytest

from wei_qual import ingest
from wei_qual.cli import app


def _sparse(path, size: int):
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


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
