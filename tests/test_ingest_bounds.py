"""Reading time is linear in the file: hostile but plausible shapes (a 2 MB line with no newline, 100,000
colons, thousands of distinct labels, a .docx of tens of thousands of paragraphs or runs) read at 1x and 4x
their size must take about 4 times as long, never 16 (a quadratic loop) or more (a backtracking regex).
CPU time, the best of two runs with the garbage collector paused, so neither a loaded machine nor the heap the
rest of the suite left (each full collection walks it) makes the test fail."""

from __future__ import annotations

import gc
import time

import pytest
from _word import para, run, write_docx

from wei_qual.ingest import parse_transcript

LINEAR = 6  # 4x the input may take at most this many times as long (linear is 4 to 4.6 here; quadratic 16)


def _cpu(path) -> float:
    best = float("inf")
    for _ in range(2):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            parse_transcript(path)
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def _linear(make, tmp_path, suffix: str) -> None:
    small, large = tmp_path / f"small{suffix}", tmp_path / f"large{suffix}"
    make(small, 1)
    make(large, 4)
    one, four = _cpu(small), _cpu(large)
    assert four <= LINEAR * one + 0.05, f"4x the input took {four:.2f} s against {one:.2f} s"


def _text(build):
    def make(path, k):
        path.write_text(build(k), encoding="utf-8")

    return make


@pytest.mark.parametrize(
    "build",
    [
        lambda k: "we waited for the unit and then " * 15_000 * k,  # one line, no newline
        lambda k: ":" * 25_000 * k,
        lambda k: "Dana Lopez: " * 10_000 * k,  # labels run together on one line
        lambda k: "a:\n" * 5_000 * k,
        lambda k: 'עו"ס' * 10_000 * k + ":",  # gershayim typed as quotes, with no end
        # Thousands of distinct labels (a call log read as a transcript): each turn's role was searched
        # for among all speakers, and each pair of speakers compared for a device's suffix.
        lambda k: "".join(f"Caller {i:05d}: we went in\n\n" for i in range(600 * k)) * 3,
        # Markdown pipe tables, many of them: each table's rows read once.
        lambda k: "| a | b |\n|---|---|\n| x | y |\n\n" * 500 * k,
    ],
    ids=[
        "long-line",
        "colons",
        "labels-on-one-line",
        "colon-lines",
        "hebrew-quotes",
        "distinct-labels",
        "pipe-tables",
    ],
)
def test_text_reading_is_linear(build, tmp_path):
    _linear(_text(build), tmp_path, ".txt")


TURNS = "Dana: Thanks for joining. How do calls reach you?\n\nSam: Dispatch codes them.\n\nDana: And then?\n\nSam: We go.\n"


@pytest.mark.parametrize(
    ("suffix", "build"),
    [
        # A heading padded with spaces (a converted PDF's): cubic, 2,000 spaces took 7 s, 8,000 hung.
        (".md", lambda k: "# Interview P07" + " " * 500 * k + "Page 1\n\n" + TURNS),
        # A line that opens as Zoom's chat does and has no colon: cubic in the line.
        (".txt", lambda k: "12:00:01 From Dana" + " to x" * 1_600 * k + "\n\n" + TURNS),
        # A cover table's row padded with spaces before a tab: 8,000 spaces took 8 s.
        (".txt", lambda k: "Interviewer" + " " * 1_000 * k + "x\ty\n\n" + TURNS),
        # A time mark in a paragraph before a long run of spaces: quadratic in the run.
        (".txt", lambda k: "We went [00:00:01]" + " " * 8_000 * k + "x\n\nThen [00:00:02] more.\n"),
        # Questions without their mark: a Greek question word before a run of spaces, a Chinese particle
        # after one, and many particles with no stop between them (each looked back for its sentence).
        (".txt", lambda k: TURNS + "\nDana: Πόσο" + " " * 8_000 * k + "x!\n\nSam: Όχι.\n"),
        (".txt", lambda k: TURNS + "\nDana: 那天吗" + " " * 8_000 * k + "x\n\nSam: 没有。\n"),
        (".txt", lambda k: TURNS + "\nDana: " + "那天你们去了吗。" * 2_500 * k + "\n\nSam: 没有。\n"),
        # A speaker key's line padded with spaces over the turns.
        (".txt", lambda k: "Dana" + " " * 4_000 * k + "= Interviewer x\nSam = Participant\n\n" + TURNS),
    ],
    ids=[
        "markdown-heading",
        "zoom-chat-line",
        "cover-table-row",
        "time-mark",
        "greek-question",
        "chinese-particle",
        "chinese-particles",
        "speaker-key",
    ],
)
def test_padded_lines_read_in_linear_time(suffix, build, tmp_path):
    _linear(_text(build), tmp_path, suffix)


@pytest.mark.parametrize(
    "body",
    [
        # Where each paragraph sits was searched for with a list of every paragraph built each time.
        lambda k: "".join(
            para(run(f"{'Dana' if i % 2 else 'Lee'}: we waited {i} hours.")) for i in range(2_500 * k)
        ),
        lambda k: para(*[run(f"w{i} ") for i in range(4_000 * k)]),  # one paragraph of many runs
    ],
    ids=["paragraphs", "runs"],
)
def test_docx_reading_is_linear(body, tmp_path):
    _linear(lambda path, k: write_docx(path, body(k)), tmp_path, ".docx")
