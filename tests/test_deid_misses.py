"""The PII gate on what it used to pass (docs/deid.md, "Known misses"), as Otter, Zoom and Whisper type it:
each identifier found, in both cases, with the ordinary talk around it that must stay clean (every false
alarm stops a file at the gate)."""

from __future__ import annotations

import pytest

from wei_qual.deid import scan_text


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a hospital named alone by its short name, with no hospital's word near
        ("she'd been at porter for a week", ("address", "porter")),
        ("She'd been at Porter for a week", ("address", "Porter")),
        ("took him to hopkins", ("address", "hopkins")),
        ("Mercy called us back the next day", ("address", "Mercy")),
        ("mercy called us back the next day", ("address", "mercy")),
        ("and then Mercy called me back", ("address", "Mercy")),
        ("Baptist wouldn't take him because of the warrant", ("address", "Baptist")),
        ("baptist wouldn't take him", ("address", "baptist")),
        ("swedish was on diversion", ("address", "swedish")),
        ("Grady had no beds that night", ("address", "Grady")),
        ("the nurse said Methodist discharged him at 3", ("address", "Methodist")),
        ("we usually go to Parkland, sometimes to Baptist", ("address", "Baptist")),
        ("we usually go to Parkland, sometimes to Baptist", ("address", "Parkland")),
        ("we go to parkland sometimes to baptist", ("address", "baptist")),
        ("they end up going to mercy", ("address", "mercy")),
        ("they took him to Mercy, sometimes to Baptist", ("address", "Baptist")),
        # a month and a day in digits inside a phrase
        ("the march 14 incident was bad", ("date", "march 14")),
        ("after the march 14 thing he quit", ("date", "march 14")),
        ("that march 14 call still bugs me", ("date", "march 14")),
        ("the may 3 shooting changed everything", ("date", "may 3")),
        # a year said short, after a holiday or a month
        ("it was around christmas of '21", ("date", "christmas of '21")),
        ("Christmas of ’21 was rough", ("date", "Christmas of ’21")),
        ("around thanksgiving '19 he got picked up", ("date", "thanksgiving '19")),
        ("easter of 21 was the worst", ("date", "easter of 21")),
        ("back in june of '21", ("date", "june of '21")),
        ("Back in June of '21", ("date", "June of '21")),
    ],
)
def test_known_misses_are_found(text, expected):
    assert expected in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "we talked to Spectrum about the cable",
        "the Attorney General said no",
        "in general, admitted patients wait",
        "have mercy on him",
        "the baptist church on the corner",
        "i was raised baptist",
        "she goes to a methodist church",
        "the porter carried the bags",
        "we got a porter for the gurney",
        "Memorial Day weekend was busy",
        "the general public called us back",
        "his mom called us back",
        "mercy is a big part of this job",
        "general population kept him",
        "we went to Costco after",
        "i'm going to General Assembly",
        "she talked to mercy",
        "Grady said he'd come by",
        "i go to church, sometimes to mass",
        "the regional director called me back",
        "we march 14 miles",
        "the may 3 of them came",
        "the march 14 people",
        "they may 3 times",
        "over christmas",
        "christmas was hard for him",
        "we had 21 calls at christmas",
        "christmas of all times",
        "the 21 christmas lights",
        "thanksgiving of 3 years",
        "christmas of 21 people came",
    ],
)
def test_the_talk_around_them_stays_clean(text):
    assert _found(text) == []
