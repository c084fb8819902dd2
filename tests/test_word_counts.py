"""Every number of words a report gives counts Chinese and Japanese as ingest does (models.count_words):
each character a word, since the text has no spaces between words."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wei_qual.cli import app
from wei_qual.models import Decision
from wei_qual.store import open_db
from wei_qual.store.decisions import save_decision

ROOT = Path(__file__).parent.parent
ANSWERS = [
    "大概九年了，主要是夜班。我们经常接到精神危机的电话，有时候一个晚上三四次。你说这样谁受得了？",
    "上个月一个男子站在桥上。我们等了两个小时，危机小组才到。他还在桥上呢。",
    "没有。我们县里晚上没有临床医生，只有白天才有，不是吗。所以晚上基本上都是我们自己处理。",
]
QUESTIONS = ["您在巡逻岗位工作多久了呢", "您能讲讲最近一次危机出警吗。", "请您谈谈当时有没有临床医生"]


def han(text: str) -> int:
    """Counted by hand: the Han characters (the turns hold no other words)."""
    return sum("\u4e00" <= c <= "\u9fff" for c in text)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("zh")
    path = out / "C15.txt"
    path.write_text("".join(f"张丽：{q}\n王伟：{a}\n" for q, a in zip(QUESTIONS, ANSWERS)), encoding="utf-8")
    db = str(out / "p.db")
    runner = CliRunner()
    for args in (
        ["ingest", str(path)],
        ["codebook", "load", str(ROOT / "codebooks" / "wei_crisis_response.yaml")],
    ):
        result = runner.invoke(app, [*args, "--db", db])
        assert result.exit_code == 0, result.stderr
    conn = open_db(db)
    for segment in (2, 4, 6):  # the participant's answers, coded alike by two coders
        for coder in ("alice", "bob"):
            save_decision(conn, Decision("C15", segment, coder, frozenset({"csu"})))
    conn.close()
    return db


def _json(db: str, *args: str) -> dict:
    result = CliRunner().invoke(app, [*args, "--format", "json", "--db", db])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_quotes_count_chinese_words_by_character_and_end_at_full_width_stops(project):
    quotes = _json(project, "report", "quotes", "--source", "majority")["quotes"]
    # Each answer, 31 to 41 characters, was one word: too short to quote (under 25 words), and never
    # complete, its `。` and `？` no sentence end.
    assert sorted((q["text"], q["words"], q["complete"]) for q in quotes) == sorted(
        (a, han(a), True) for a in ANSWERS
    )


def test_the_methods_passage_counts_chinese_words_by_character(project):
    unit = _json(project, "report", "methods", "--source", "majority")["unit"]
    counts = [han(a) for a in ANSWERS]
    assert unit["words"]["median"] == statistics.median(counts)
