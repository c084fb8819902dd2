"""The PII gate on what the crisis-call pass left (docs/deid.md, "Names alone, shops and placeholders"): a first
name that is a word, capitalised and alone, doing what only a person does; a surname alone after a verb of
talking to or working with someone, or after "my partner" though it is a word; first names given since 2000
that the lists lacked; and the false alarms of a railway's police, a health centre named for its town, a shop
named like a person, the John Doe placeholder and a call's count said as what one remembers. Each in lines as
officers and clinicians say them, with the ordinary talk beside it that must stay clean."""

from __future__ import annotations

import pytest

from wei_qual.deid import scan_text


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a first name that is a word, alone, doing what only a person does
        ("Grace was great with him that night.", [("person", "Grace")]),
        ("Hope said she'd call me back.", [("person", "Hope")]),
        ("and then Hope told me he'd been off his meds", [("person", "Hope")]),
        ("P04: Honestly Grace was so calm with him.", [("person", "Grace")]),
        ("the kid, Tyler, he was seventeen.", [("person", "Tyler")]),
        ("his mother, Grace, was the one who called.", [("person", "Grace")]),
        ("my son Tyler was in the car with me.", [("person", "Tyler")]),
        ("Mark showed up about ten minutes later", [("person", "Mark")]),
        # a surname alone after talking to or working with someone
        ("I talked to Rodriguez about it after.", [("person", "Rodriguez")]),
        ("then I called Nguyen back the next day.", [("person", "Nguyen")]),
        ("I worked with Okafor for three years on nights.", [("person", "Okafor")]),
        ("we spoke with Kowalski at the jail.", [("person", "Kowalski")]),
        ("my partner Brown went around back.", [("person", "Brown")]),
        ("so my partner White and I went in", [("person", "White")]),
        # first names given since 2000 that the lists lacked
        ("Jaden was the one who called it in.", [("person", "Jaden")]),
        ("Kinsley told me she was scared of him.", [("person", "Kinsley")]),
        ("her little brother, no, Jayceon, was there", [("person", "Jayceon")]),
        ("Paisley Ortiz was the caller", [("person", "Paisley Ortiz")]),
        # a house number said as words that could be a time, before a direction and a street ending its clause
        ("we were at twelve fifty south federal.", [("address", "twelve fifty south federal")]),
        ("the call was at twelve fifty south federal, a bar.", [("address", "twelve fifty south federal")]),
        (
            "We got there at eleven forty West Main and he was gone.",
            [("address", "eleven forty West Main")],
        ),
        # a health centre named for its town is a place, no person
        ("she was at Aurora Mental Health for a month.", [("address", "Aurora Mental Health")]),
    ],
)
def test_found(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a word said as a word
        "I hope it works out for him.",
        "Hope it works, we'll see.",
        "there's a grace period on the fines.",
        "the Hope was great back then, the program I mean.",
        "by God's Grace was all it was.",
        "May was great, calls were down.",
        "Summer was great for us.",
        "Justice said it all, really.",
        "with all that hope he said he'd stop",
        "Faith was helpful for me through all of it.",
        "Sunny was great that day, we were outside.",
        # no surname after talking to someone
        "I talked to Verizon about the phone.",
        "I talked to Medicaid about it.",
        "we called Medicaid back twice.",
        "I talked to Brown people about it",
        "I spoke with Mercy about a bed.",
        # a time before its sentence's subject
        "at eleven thirty east high was on lockdown",
        "at ten fifteen north main was blocked off",
        "we got there at eleven thirty west side was quiet",
        # false alarms
        "we worked with the Amtrak Police on that one.",
        "he was shoplifting at King Soopers.",
        "the King Soopers on Colfax called it in",
        "we met at the Trader Joe's parking lot",
        "we shop at Fred Meyer on Sundays.",
        "the guy came in as a john doe, no ID.",
        "he was a John Doe at the ER for two days.",
        "JOHN DOE WAS THE NAME ON THE CHART",
        "the call, 400 is what I remember.",
        "that incident, 300 was about it, officers and all.",
    ],
)
def test_clean(text):
    assert _found(text) == []


def test_a_badge_said_as_what_one_remembers_stays_an_id():
    assert _found("his badge, 4471 is what I remember") == [("id_number", "4471")]


def test_a_person_beside_john_doe_is_still_found():
    assert _found("he was a John Doe until his sister Maria came in") == [("person", "Maria")]
