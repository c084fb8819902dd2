"""A title with a colon over a transcript (`Crisis response study: site 2`) is shaped as a turn of someone
heard once (`Dana Lopez: Thanks for joining`). Only the words tell them apart: a title's are no greeting,
answer or first or second person. Either way it is said; a turn is never left out as the title."""

from __future__ import annotations

import pytest
from _word import para, run, write_docx

from wei_qual.ingest import parse_transcript

TURNS = [
    "Interviewer: How long have you worked patrol?",
    "P07: About nine years now, mostly nights.",
    "Interviewer: Tell me about the last crisis call.",
    "P07: We got a call about a man on a bridge.",
]
OTTER_TURNS = [
    "Interviewer  0:04",
    "How long have you worked patrol?",
    "",
    "P07  0:10",
    "About nine years now, mostly nights.",
    "",
    "Interviewer  0:20",
    "Tell me about the last crisis call.",
    "",
    "P07  0:31",
    "We got a call about a man on a bridge.",
]
TITLES = ["Crisis response study: site 2", "Interview 3: Officer Dana", "Kötelező oltás: a vita"]
ONE_OFF_TURNS = ["Dana Lopez: Thanks for joining", "Sam Ortiz: I can only stay ten minutes", "Sgt. Ruiz: Yes"]


def _write(tmp_path, layout: str, first: str):
    if layout == "docx":
        return write_docx(tmp_path / "p07.docx", "".join(para(run(text)) for text in [first, *TURNS]))
    path = tmp_path / "p07.txt"
    body = "\n".join(OTTER_TURNS) if layout == "otter" else "\n\n".join(TURNS)
    path.write_text(f"{first}\n\n{body}\n", encoding="utf-8")
    return path


def _left_out(t) -> list[str]:
    return [w.message for w in t.warnings if w.kind == "left_out"]


@pytest.mark.parametrize("layout", ["text", "otter", "docx"])
@pytest.mark.parametrize("title", TITLES)
def test_a_title_with_a_colon_is_the_title_and_said(tmp_path, layout, title):
    t = parse_transcript(_write(tmp_path, layout, title))
    assert t.attributes == {"title": title}
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Interviewer", "interviewer"),
        ("P07", "participant"),
    ] * 2
    unit = "paragraph" if layout == "docx" else "line"
    [said] = _left_out(t)
    assert said.startswith(
        f"p07: {unit} 1 left out: read as the title over the transcript (short lines with no "
    )


@pytest.mark.parametrize("layout", ["text", "docx"])
@pytest.mark.parametrize("turn", ONE_OFF_TURNS)
def test_a_first_turn_of_someone_heard_once_is_not_the_title(tmp_path, layout, turn):
    # It was the title, its words left out of the transcript without a word.
    t = parse_transcript(_write(tmp_path, layout, turn))
    assert "title" not in t.attributes
    assert t.segments[0].text == turn and t.segments[0].role == "review"
    assert "missed_labels" in {w.kind for w in t.warnings}  # said: a name heard once
    assert not _left_out(t)


def test_a_first_turn_of_a_speaker_heard_again_stays_a_turn(tmp_path):
    path = tmp_path / "p07.txt"
    body = ["Dana Lopez: Thanks for joining", "Interviewer: How long have you worked patrol?"]
    body += ["Dana Lopez: About nine years now.", "Interviewer: And the last call?", "Dana Lopez: A bridge."]
    path.write_text("\n\n".join(body) + "\n", encoding="utf-8")
    t = parse_transcript(path)
    assert "title" not in t.attributes
    assert [s.speaker for s in t.segments] == ["Dana Lopez", "Interviewer"] * 2 + ["Dana Lopez"]
    assert t.segments[0].text == "Thanks for joining"


def test_a_title_with_a_clock_in_it_is_not_said(tmp_path):
    path = tmp_path / "p07.txt"
    path.write_text("Crisis response interview 14:02\n\n" + "\n\n".join(TURNS) + "\n", encoding="utf-8")
    t = parse_transcript(path)
    assert t.attributes["title"] == "Crisis response interview 14:02" and not _left_out(t)


# Typed straight over the first turn, no blank line between, as a researcher heads a file in a text editor.
TIGHT_TITLES = [*TITLES, "Interview 14: Deputy, rural county", "Interview 14 - deputy, rural county"]


@pytest.mark.parametrize("title", TIGHT_TITLES)
def test_a_title_straight_over_the_first_turn_is_the_title_and_said(tmp_path, title):
    # It was a segment of no one's (role review) that coders were given, said only as unlabelled text.
    path = tmp_path / "p07.txt"
    path.write_text(title + "\n" + "\n".join(TURNS) + "\n", encoding="utf-8")
    t = parse_transcript(path)
    assert t.attributes == {"title": title}
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Interviewer", "interviewer"),
        ("P07", "participant"),
    ] * 2
    [said] = _left_out(t)
    assert said.startswith("p07: line 1 left out: read as the title over the transcript")
    assert "unlabelled_text" not in {w.kind for w in t.warnings}


@pytest.mark.parametrize(
    "first", [*ONE_OFF_TURNS, "We are recording now", "Okay the recorder is on", "Can you hear me"]
)
def test_words_said_straight_over_the_first_turn_stay_a_turn(tmp_path, first):
    path = tmp_path / "p07.txt"
    path.write_text(first + "\n" + "\n".join(TURNS) + "\n", encoding="utf-8")
    t = parse_transcript(path)
    assert "title" not in t.attributes and not _left_out(t)
    assert t.segments[0].text == first and t.segments[0].role == "review"


def test_a_chinese_sentence_straight_over_the_first_turn_stays_a_turn(tmp_path):
    # One "word" to a count by spaces, so only its marks tell it is said, not a title.
    turns = [
        "王丽：您做这份工作多久了？",
        "陈刚：九年了。",
        "王丽：最近一次出警呢？",
        "陈刚：一个男人在桥上。",
    ]
    turns += ["王丽：后来呢？", "陈刚：我们送他去了急诊。"]
    path = tmp_path / "p07.txt"
    path.write_text("好的，我们开始录音。\n" + "\n".join(turns) + "\n", encoding="utf-8")
    t = parse_transcript(path)
    assert "title" not in t.attributes and not _left_out(t)
    assert t.segments[0].text == "好的，我们开始录音。" and t.segments[0].role == "review"
