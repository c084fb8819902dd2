"""The PII gate on lines as speech recognition types them (lower case, names of local places): each found
identifier with the ordinary talk around it that must stay clean."""

from __future__ import annotations

import pytest

from wei_qual.deid import scan_text


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a hospital named alone in lower case, after a verb that takes someone there or "was at"
        ("we took her to swedish", ("address", "swedish")),
        ("ems took him to swedish last night", ("address", "swedish")),
        ("they transported him to porter adventist", ("address", "porter adventist")),
        ("ems transported her to good samaritan and she was admitted", ("address", "good samaritan")),
        ("we took him to mercy er", ("address", "mercy")),
        ("he was at swedish for two days", ("address", "swedish")),
        ("took her to mount sinai.", ("address", "mount sinai")),
        ("we took her to Swedish", ("address", "Swedish")),
        # a shop or motel before "on" + a street
        ("we met at the king soopers on colfax", ("address", "colfax")),
        ("he was at the Motel 6 on Federal", ("address", "Federal")),
        ("we pulled into the 7-11 on federal, he was outside", ("address", "federal")),
        ("dispatched to the king soopers on federal for a guy yelling", ("address", "federal")),
        ("we met the co-responder at the safeway on south broadway", ("address", "south broadway")),
        # a town of two words ending in "city", in lower case
        ("she lives out in commerce city", ("address", "commerce city")),
        ("he moved to commerce city last year", ("address", "commerce city")),
        # a holiday with its year
        ("around christmas 2021", ("date", "christmas 2021")),
        ("it was thanksgiving of 2019", ("date", "thanksgiving of 2019")),
        ("he got arrested on New Year's Eve 2020", ("date", "New Year's Eve 2020")),
        ("we saw her at easter of twenty twenty", ("date", "easter of twenty twenty")),
        # "march"/"may" and a day in digits, no ordinal ending, no cue
        ("march 14 he got picked up", ("date", "march 14")),
        ("um so that was march 9 i think", ("date", "march 9")),
        ("it was may 3.", ("date", "may 3")),
        # a nickname that is an adjective, in the past tense
        ("they called her tiny", ("person", "tiny")),
        ("everybody called him tiny", ("person", "tiny")),
    ],
)
def test_spoken_identifiers_are_found(text, expected):
    assert expected in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "she has a swedish name",
        "the swedish guy was nice",
        "she talked to mercy about it",
        "it was a methodist church",
        "sent him to general population",
        "there was a target on his back",
        "he was a target on the street",
        "the city of commerce",
        "in the inner city",
        "it was around christmas",
        "over christmas we had 3 calls",
        "thanksgiving is hard for a lot of our clients",
        "the years 2019 and 2020 were bad",
        "a few years 2 or 3 back",
        "may 3 of them came",
        "we march 2 by 2",
        "they may 2 times a week call",
        "we may 2 or 3 times a shift get a call like that",
        "they called him crazy",
        "they called him stupid",
        "they called her selfish",
        "they called her back",
        "they called him names",
        "we called her lucky to be alive",
    ],
)
def test_ordinary_talk_around_them_stays_clean(text):
    assert _found(text) == []


def test_a_word_said_as_a_nickname_is_that_word_elsewhere():
    """ "Urban" is a surname too; one "we call her urban" made every "urban" of a study of urban and rural
    agencies a person (61 findings in one bench transcript). A first name typed in lower case ("big mike")
    is still found again."""
    text = "we call her urban. the urban agencies and the rural ones. Urban units wait longer."
    assert _found(text) == [("person", "urban")]
    assert _found("we call him big mike. later big mike came back") == [("person", "big mike")] * 2
