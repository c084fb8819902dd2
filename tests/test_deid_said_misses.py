"""The PII gate on what passed it after the pass on capitals and pauses (docs/deid.md, "Said as words,
after a pause, in a voice tag"): a numbered road and a house number said as words, a school named in lower
case, a lower-case first name after a pause, a voice tag typed in capitals, a first name alone and a surname
that is a word after a title in a line of capitals; and a count after a cue and a
comma, which was taken for a record's number. Each found, with the ordinary talk beside it that must stay
clean."""

from __future__ import annotations

import pytest

from wei_qual.cli import app
from wei_qual.deid import scan_text


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a numbered road said as words
        ("we were out on county road two twelve that night", [("address", "county road two twelve")]),
        ("he lives off highway seventy past the feed store", [("address", "highway seventy")]),
        ("took state route fifty two north", [("address", "state route fifty two")]),
        ("out on route one oh five.", [("address", "route one oh five")]),
        ("county road two twelve runs past the dump", [("address", "county road two twelve")]),
        ("OUT ON COUNTY ROAD TWO TWELVE", [("address", "COUNTY ROAD TWO TWELVE")]),
        # a house number said as words, in two parts, with its direction and street
        ("she lived at fourteen twenty two south colfax.", [("address", "fourteen twenty two south colfax")]),
        ("it was fourteen oh two east colfax", [("address", "fourteen oh two east colfax")]),
        ("eleven thirty east colfax, the blue house", [("address", "eleven thirty east colfax")]),
        # a school named in lower case
        ("i talked to his counselor at lincoln high about it", [("address", "lincoln high")]),
        ("she went to grandview high school", [("address", "grandview high school")]),
        ("a kid from kennedy middle school", [("address", "kennedy middle school")]),
        ("we were at east high.", [("address", "east high")]),
        ("HIS COUNSELOR AT LINCOLN HIGH", [("address", "LINCOLN HIGH")]),
        # a lower-case first name after a pause
        ("so that's uh, kelsey and her partner", [("person", "kelsey")]),
        ("we went out with um keisha", [("person", "keisha")]),
        # a voice tag typed in capitals, and with a capital V
        ("<V BRANDT, TOM>We went out there.", [("person", "BRANDT, TOM")]),
        ("<v BRANDT, TOM>We went out there.", [("person", "BRANDT, TOM")]),
        ("<v.loud MARIA LOPEZ>Hello.", [("person", "MARIA LOPEZ")]),
        ("<V Tom Brandt>We went out there.", [("person", "Tom Brandt")]),
        ("<v OFFICER RUIZ>Yes.", [("person", "RUIZ")]),
        # what only a capital tells, in a line typed in capitals
        ("TAMMY WAS GREAT", [("person", "TAMMY")]),
        ("OFFICER BROWN TOOK THE REPORT", [("person", "BROWN")]),
        ("i said TAMMY WAS GREAT", [("person", "TAMMY")]),
        # a record's number after a cue and a comma stays one when no count follows
        ("the call, 4471, came in late", [("id_number", "4471")]),
        ("my badge number, 4471 times over", [("id_number", "4471")]),
        ("unit 412 calls for backup", [("id_number", "412")]),
    ],
)
def test_found(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a count after a cue and a bare comma
        "i made the call, 400 times that year",
        "I made the call, 400 times.",
        "the incident, 300 people showed up",
        # a road's word before a number said of no road
        "on the highway one night",
        "that route two times",
        "we took the highway two miles",
        "highway one more time",
        "highway two cars back",
        "it was a county road, one of those",
        "a railroad one time",
        # a number before a direction that is a count, an age or a time
        "we had twenty two west side calls",
        "he was nineteen south side kid",
        "eleven thirty west precinct called",
        "around eleven thirty west of town",
        "at eleven thirty east high school they locked down",
        "twenty two north dakota plates",
        # "high", "middle" and "elementary" named with no name
        "he was at high school then",
        "at a very high level",
        "from junior high",
        "she is in middle school",
        "went to the high school",
        "i was in pretty high spirits",
        "at grant high risk",
        "the bar was set at that high",
        # a pause before a word, a place or a name that is an English word
        "um, grace was there",
        "uh, hello?",
        # words in capitals that are a name only with a capital's help, or not at all
        "WE PULLED INTO THE SALLY PORT",
        "OFFICER TRAINING WAS LONG",
        "OFFICER DOWN, OFFICER DOWN",
        "HALF OF THEM ARE HIGH ON MOLLY OR SMOKING MARY JANE, OR USING TINA, WHICH IS METH.",
        "and then TAMMY said hi",
        # voice tags of roles and numbered speakers
        "<V INTERVIEWER>So.",
        "<V SPEAKER 1>Okay.",
        "<v Interviewer>Okay.",
    ],
)
def test_clean(text):
    assert _found(text) == []


def test_capital_voice_tag_in_a_caption_file(tmp_path, runner):
    vtt = tmp_path / "p05.vtt"
    vtt.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<V BRANDT, TOM>We went out there.\n\n"
        "00:00:05.000 --> 00:00:08.000\n<v Interviewer>Okay.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["deid", "scan", str(vtt), "--format", "json"])
    assert result.exit_code == 3
    assert '"text": "BRANDT, TOM"' in result.stdout
