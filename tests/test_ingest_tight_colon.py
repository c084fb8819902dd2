"""Chinese and Japanese labels typed with an ASCII colon and no space (`王丽:我们先说`), as many type them:
read as full-width ones are (`王丽：`), a name in a script without capitals being a label when it starts
many turns. Before, such a transcript had no labels: every turn nobody's, the questions coded as answers."""

from __future__ import annotations

import pytest

from wei_qual.ingest import parse_transcript

CHINESE = """\
王丽:请跟我说说您最近接到的一次求助电话。

陈刚:一个男人半夜打来电话，情绪非常激动。我们聊了很久。
他说:我不想活了。

王丽:之后你们做了什么？

陈刚:我们派了和警察一起的联合小组。二十分钟就到了。

王丽:最后是谁来的？

陈刚:来了一位护士和一名便衣警察。
他说:谢谢你们。

王丽:结果怎么样？

陈刚:早上我们把他送到了危机稳定中心。
"""
JAPANESE = CHINESE.replace("王丽", "聞き手").replace("陈刚", "佐藤")


@pytest.mark.parametrize(
    ("text", "interviewer", "participant"),
    [(CHINESE, "王丽", "陈刚"), (JAPANESE, "聞き手", "佐藤"), (CHINESE.replace(":", ": "), "王丽", "陈刚")],
    ids=["chinese", "japanese-names", "chinese-with-a-space"],
)
def test_labels_with_an_ascii_colon_and_no_space(text, interviewer, participant, tmp_path):
    path = tmp_path / "C20.txt"
    path.write_text(text, encoding="utf-8")
    t = parse_transcript(path)
    assert [(s.label, s.role, s.questions) for s in t.speakers] == [
        (interviewer, "interviewer", 3),
        (participant, "participant", 0),
    ]
    assert [s.speaker for s in t.segments] == [interviewer, participant] * 4
    assert t.segments[1].text.startswith("一个男人")
    # "He said:" inside a turn, twice, stays text of the turn, as before a full-width colon.
    assert sum(s.text.count("他说:") for s in t.segments) == 2


def test_the_same_as_with_a_full_width_colon(tmp_path):
    ascii_path, wide_path = tmp_path / "a.txt", tmp_path / "b.txt"
    ascii_path.write_text(CHINESE, encoding="utf-8")
    wide_path.write_text(CHINESE.replace("王丽:", "王丽：").replace("陈刚:", "陈刚："), encoding="utf-8")
    ascii_t, wide_t = parse_transcript(ascii_path), parse_transcript(wide_path)
    assert [(s.speaker, s.role, s.text) for s in ascii_t.segments] == [
        (s.speaker, s.role, s.text) for s in wide_t.segments
    ]


def test_a_name_heard_once_and_latin_or_a_clock_with_no_space_are_no_labels(tmp_path):
    # Once is no label in a script without capitals; `Re:xyz` and a clock's `14:02` never are.
    path = tmp_path / "C21.txt"
    path.write_text(
        "Interviewer: When was the call?\n\nP07: It came in at 14:02, Re:the bridge.\n"
        "Time:14:02 it said.\n\nInterviewer: And then?\n\nP07: 他说:好的. We went.\n",
        encoding="utf-8",
    )
    t = parse_transcript(path)
    assert [s.speaker for s in t.segments] == ["Interviewer", "P07"] * 2
    assert "Time:14:02" in t.segments[1].text and t.segments[3].text.startswith("他说:好的")
