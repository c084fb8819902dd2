"""The PII gate on names that transcription services and speech recognition type in lower case with no cue
word before them, word-names beside "me and" and "and i", surnames said as first names, and sayings and
brands named like people (docs/deid.md, "First names in lower case with no cue"). Each in lines as officers
and crisis clinicians say them, with the ordinary talk that looks like them beside it."""

from __future__ import annotations

import json

import pytest

from wei_qual.cli import app
from wei_qual.deid import scan_text


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in scan_text(text) if not f.review]


def _review(text: str) -> list[str]:
    return [f.text for f in scan_text(text) if f.review]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a first name in lower case as the one who does what a person does, no cue before it
        ("yeah so ron said he'd call back later, and he never did.", [("person", "ron")]),
        ("and then dwayne was at the door with his hands up.", [("person", "dwayne")]),
        ("tyrone had a knife, so we backed off and called for cit.", [("person", "tyrone")]),
        ("and keisha wouldn't come out of the bathroom for like an hour.", [("person", "keisha")]),
        ("darnell told me he hadn't slept in three days.", [("person", "darnell")]),
        # a surname of the lists said as a first name, as the one who is somewhere or does something
        ("Floyd was at the door when we pulled up.", [("person", "Floyd")]),
        ("So Floyd wouldn't come out of the bathroom.", [("person", "Floyd")]),
        ("Wallace had a knife in his waistband.", [("person", "Wallace")]),
        ("me and Floyd went around back to the yard.", [("person", "Floyd")]),
        # a first name that is a word too, in lower case, beside "me and" or "and i"
        ("me and bob went out to the house on the second call.", [("person", "bob")]),
        ("so me and mark cleared the house room by room.", [("person", "mark")]),
        ("me and will got there about ten minutes after medic.", [("person", "will")]),
        ("so bill and i went back the next morning.", [("person", "bill")]),
        ("um, pat and me rode together for two years.", [("person", "pat")]),
        ("i mean, frank and i had been partners a long time.", [("person", "frank")]),
        ("sue and i were the only two on the co-responder team then.", [("person", "sue")]),
        # the first mention only: the word stays a word after it
        ("me and will went in. i will tell you it was bad.", [("person", "will")]),
    ],
)
def test_found(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a first name in lower case with nothing around it that says a person: a name most likely
        ("ron was good about it, honestly, he knew the family.", ["ron"]),
        ("we waited on dwayne for like forty minutes before the hold.", ["dwayne"]),
        ("interviewer: and keisha, how long was she on your caseload?", ["keisha"]),
        # a word said of what keeps one going beside "me and": a person, or hope
        ("he said a prayer for me and hope got him through the night.", ["hope"]),
    ],
)
def test_to_review(text, expected):
    assert _review(text) == expected
    assert _found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # the word-names in ordinary use, beside "and i" and "me and" too
        "i will and i did, i went back the next day.",
        "you can mark and i'll sign it after.",
        "we'll bill and i think insurance covers most of it.",
        "there was grace and i felt it in that room.",
        "we hope and i pray he's okay out there.",
        "it may and i hope it doesn't, but it may.",
        "the sun rose and i was still on the call.",
        "to be frank and i mean this, the system failed her.",
        "it's an art and i love it, de-escalation is.",
        "joy and i mean real joy, that's what she had that day.",
        "they sue and i get deposed, that's how it goes.",
        "if they pat him down and i watch his hands, that's safer.",
        "you bob and weave and i just stand there.",
        "he told me and will tell you again, he's not going.",
        "they billed me and bill collectors called for months.",
        "she looked at me and grace was all over her face.",
        "it was just me and may god help him, it was bad.",
        "give it to me and mark it down as refused.",
        "he was right behind me and rose up off the couch.",
        "it was between me and hope for the best, really.",
        "he'd pat me and pat me down every single time.",
        "they drove him and frank was not a word he'd use.",
        "it's up to me and will power alone doesn't do it.",
        # a first name of the lists said as a word, a place or the radio's alphabet
        "the john was flooded when we got there.",
        "he grew up in cali and came back last year.",
        "the truck had north dakota plates on it.",
        "she put on her jean jacket and walked out.",
        "his plate was mike and then some numbers.",
        "he kept reading john three sixteen out loud.",
        "we booked him on the 27 jan warrant.",
        # a surname said as a word of something's name, not as the one who does
        "Pink Floyd was on the radio the whole ride.",
        "the Nelson family was at the door.",
        # a baron is no "ron"
        "the baron said no, that's what he kept yelling.",
    ],
)
def test_clean(text):
    assert scan_text(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "She's a real Johnny on the spot when we call.",
        "He was always Johnny-on-the-spot with the paperwork.",
        "He's kind of a Jack of all trades, you know.",
        "It was a real Mickey Mouse operation back then.",
        "He got a Charlie horse climbing the fence.",
        "He was just your average Joe, worked at the plant.",
        "He grabbed a Dr. Pepper from the fridge and sat down.",
        "He was a Chatty Cathy the whole ride to the hospital.",
        "She was being a Nosy Nelly about the neighbors.",
        "we had Little Debbie snacks in the car for the kids.",
        "He was watching Judge Judy when we knocked.",
        "Don't be a Negative Nancy, my sergeant used to say.",
        "He was a Peeping Tom, that was the original call.",
        "She'd had a Bloody Mary or three by then.",
        "He was drinking Jack Daniels all night.",
        "There was a bottle of Jack Daniel's on the table.",
        "He had a bottle of Jim Beam under the seat.",
        "a Johnnie Walker bottle, empty, by the bed",
        "He was out on the John Deere in the back field.",
        "He was out on a Harley-Davidson when it happened.",
        "She wanted Ben and Jerry's, so we got her some.",
        "He wrote her a Dear John letter from jail.",
        "She had one of those Lazy Susan things on the table.",
        "He had a Billy club by the door.",
        "he was a peeping tom, that was the call",
        "He had a Ford truck parked out front.",
        "We gave him Tylenol and some water.",
    ],
)
def test_sayings_and_brands_name_no_one(text):
    assert scan_text(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name beside a saying's word is still a name
        ("Joe said he'd call back after shift.", [("person", "Joe")]),
        ("Charlie was at the door when we got there.", [("person", "Charlie")]),
        ("Billy told me to wait in the car.", [("person", "Billy")]),
        ("Tom Collins was my first sergeant.", [("person", "Tom Collins")]),
    ],
)
def test_names_beside_a_sayings_word(text, expected):
    assert _found(text) == expected


def test_a_transcript_in_spanish_holds_its_words():
    # "rosa" and "flor" are first names of the lists and words of Spanish: no name to review there
    text = (
        "entrevistadora: y que paso despues?\n"
        "participante: pues la casa era rosa, con una luz en la puerta, y una flor para su mama, "
        "pero nadie abrio, como siempre, por la noche.\n"
    )
    assert _review(text) == []
    assert _review("she said her aunt, rosa, might know where he went.") == ["rosa"]


def test_scan_shows_a_lower_case_name_to_review_and_passes(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p07.txt").write_text(
        "interviewer: who else was on that call?\nparticipant: ron was good about it, honestly.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["deid", "scan", "p07.txt", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"file": "p07.txt", "line": 2, "column": 14, "category": "person", "text": "ron", "review": True}
    ]
