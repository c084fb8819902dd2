"""The PII gate on what a probe of crisis-call talk still got wrong (docs/deid.md, "Short names, masked numbers
and names to review"): a caller's number masked in part; first names the lists lacked (the short forms officers
call each other by, older patients' names, names given after 2017); three-letter word-names beside "with" or
"and I"; and the word-names whose reading the words around them cannot settle, reported for review (they do
not stop the gate). Each in lines as officers and clinicians say them, with the ordinary talk beside it."""

from __future__ import annotations

import pytest

from wei_qual.deid import scan_text


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in scan_text(text) if not f.review]


def _review(text: str) -> list[str]:
    return [f.text for f in scan_text(text) if f.review]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a caller's number masked in part, as a CAD screen or a phone's log shows it
        ("call me at 555-***-3344 if anything changes.", [("phone", "555-***-3344")]),
        ("the caller ID showed (555) ***-**44.", [("phone", "(555) ***-**44")]),
        ("his number was 555-***-**44 in the CAD notes.", [("phone", "555-***-**44")]),
        ("it came up as 555-XXX-3344 on the screen.", [("phone", "555-XXX-3344")]),
        ("the log only had ***-***-3344 for her.", [("phone", "***-***-3344")]),
        # first names the lists lacked: short forms, older names, names given after 2017
        ("Ron was the sergeant on nights back then.", [("person", "Ron")]),
        ("I rode with Doug for six years.", [("person", "Doug")]),
        ("i rode with doug for six years.", [("person", "doug")]),
        ("Liz from the mobile crisis team came out.", [("person", "Liz")]),
        ("Mildred said she hadn't seen him in days.", [("person", "Mildred")]),
        ("Gus had a knife in his hand.", [("person", "Gus")]),
        ("Kehlani was in the back seat when we pulled him over.", [("person", "Kehlani")]),
        ("her daughter Zuri was asleep in the other room.", [("person", "Zuri")]),
        # a short name that is a word too, with a surname or a person's verb
        ("Ted Brown was the caller.", [("person", "Ted Brown")]),
        ("Ken called back around midnight.", [("person", "Ken")]),
        ("Ted was hiding in the bathroom.", [("person", "Ted")]),
    ],
)
def test_found(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the form had xxx-xxx-xxxx for the phone.",
        "the number was ***-***-**44, that's all we had.",
        "**Note:** the call came in at 0300.",
        "Ted talks are what the chief wants us to watch.",
        "Ken doll, that's what the kids called the new guy's haircut.",
        "Nick of time, honestly, he was already on the rail.",
        "Chuck it in the sharps box.",
        "Buddy system is how we do it on nights.",
        "Matt finish on the new cruisers.",
    ],
)
def test_clean(text):
    assert _found(text) == [] and _review(text) == []
