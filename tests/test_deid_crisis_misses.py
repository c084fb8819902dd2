"""The PII gate on what passed it after the pass on said numbers and capitals (docs/deid.md, "Crisis-call
talk"): a house number said as words before a street with its suffix, a school named in lower case without
"school" (an English word's name, "middle" alone), a rank in capitals with its surname in a line of small
letters, a surname after a title and a first name that is a word in a line of capitals; and a count after a
cue and a comma before a plural noun, which was taken for a record's number. Each found in lines as officers
and clinicians say them, with the ordinary talk beside it that must stay clean."""

from __future__ import annotations

import pytest

from wei_qual.deid import scan_text


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a house number said as words before a street with its suffix
        (
            "P03: We rolled up to twenty two elm street and the mom was outside.",
            [("address", "twenty two elm street")],
        ),
        ("he lives at forty-one oak avenue with his sister.", [("address", "forty-one oak avenue")]),
        ("it was one twenty maple drive, the yellow house.", [("address", "one twenty maple drive")]),
        (
            "the call came from three fifteen north main street.",
            [("address", "three fifteen north main street")],
        ),
        (
            "dispatch sent us to nineteen oh five pine st. around midnight",
            [("address", "nineteen oh five pine st")],
        ),
        ("she was staying at sixty six Elm Street with her aunt", [("address", "sixty six Elm Street")]),
        ("Twenty two Maple Avenue, that was the house", [("address", "Twenty two Maple Avenue")]),
        ("WE ROLLED UP TO TWENTY TWO ELM STREET", [("address", "TWENTY TWO ELM STREET")]),
        # a school named in lower case without "school"
        ("she went to school at columbine high before all this.", [("address", "columbine high")]),
        ("his brother was over at jefferson middle that year.", [("address", "jefferson middle")]),
        ("kids from lincoln elementary kept calling about him.", [("address", "lincoln elementary")]),
        ("she transferred to jefferson middle, then dropped out.", [("address", "jefferson middle")]),
        ("the kid attended sequoia high for a year", [("address", "sequoia high")]),
        # a rank in capitals and its surname in a line of small letters
        ("SGT. BROWN said we had to wait for the CIT team.", [("person", "BROWN")]),
        ("we waited for SGT. BROWN to show up.", [("person", "BROWN")]),
        ("then LT ORTIZ showed up and took over", [("person", "ORTIZ")]),
        ("he called it in to SGT. HALL", [("person", "HALL")]),
        ("Sgt. Brown came in about ten minutes later.", [("person", "Brown")]),
        ("I called Lt Ortiz and he said hold the scene.", [("person", "Ortiz")]),
        # a line of capitals: a surname that is a word after a title, a first name that is a word doing
        # what a person does
        ("THEN LT ORTIZ SHOWED UP AND TOOK OVER.", [("person", "ORTIZ")]),
        ("AND OFFICER WHITE JUST STOOD THERE.", [("person", "WHITE")]),
        ("OFFICER WHITE was the first one there.", [("person", "WHITE")]),
        ("GRACE WAS GREAT WITH HIM THAT NIGHT.", [("person", "GRACE")]),
        ("AND THEN GRACE SAID SHE'D TAKE HIM.", [("person", "GRACE")]),
        ("MARK SAID NO, WE WAIT FOR BACKUP.", [("person", "MARK")]),
        ("AND THEN ANA, GRACE SAID SHE'D GO.", [("person", "ANA"), ("person", "GRACE")]),
    ],
)
def test_found(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a count after a cue and a bare comma, before a plural noun
        "I wrote up the call, 400 pages of reports that year alone.",
        "the incident, 300 officers showed up from three counties.",
        "that case, 1200 documents in discovery, it never ended.",
        "the case, 1200 pages, we got it.",
        # numbers said before a street that count, or a street's word that says what the road is like
        "we had twenty two main street businesses close that year",
        "it's a one way street so we came in the back",
        "it was a two lane road out there",
        "we have one main street in this town",
        "I drove down one side street and then another",
        "there were twenty two different streets we covered",
        "he spent twenty two years on main street",
        "there's one good place to take them",
        "it took us forty five minutes to get to elm street",
        "that's a two way street, trust goes both ways",
        "we had three more road calls that night",
        # "high", "middle" and "elementary" said of no school
        "we were standing in knee high water",
        "the call volume was at record high that summer",
        "he was in the middle of the road",
        "the family was upper middle class",
        "his anxiety was at extremely high levels",
        "he was sitting at the middle table",
        "he went to junior high there",
        # capitals that are no name
        "THE HOPE WAS GREAT BACK THEN.",
        "SUMMER WAS GREAT, CALLS WERE DOWN.",
        "IN MAY SAID THE REPORT, CALLS DOUBLED.",
        "OFFICER DOWN, OFFICER DOWN!",
        "the OFFICER SAFETY training was fine",
        "JUSTICE WAS SERVED THAT DAY.",
        "GOD'S GRACE WAS AMAZING THAT NIGHT.",
    ],
)
def test_clean(text):
    assert _found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "his badge number, 4471 times over",  # "number" said: an id
        "his case number, 4471, was on the sheet",
        "his badge, 4471 says it right on the front",  # a verb, no count
    ],
)
def test_record_numbers_stay(text):
    assert [c for c, _ in _found(text)] == ["id_number"]


# Found by probing the gate with lines as crisis-call interviews hold them: a town on no list by its police or
# after "a town called", a place's name that says its city, a date of birth given "as", a street after "the
# CSU on", a surname alone after "my partner", the last four of a social said "ended in", a social said
# digit by digit, a plate with its state said before it.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("she works at the Arvada Police Department as a co-responder", [("address", "Arvada")]),
        ("we got mutual aid from Arvada PD that night", [("address", "Arvada")]),
        ("it's a small town called Kremmling, everybody knows him", [("address", "Kremmling")]),
        ("we're a small town, Kremmling, so everybody knows everybody", [("address", "Kremmling")]),
        ("a little town named Walden, one deputy on at night", [("address", "Walden")]),
        ("she'd been at the Mental Health Center of Denver for years", [("address", "Denver")]),
        (
            "she gave her date of birth as three fourteen eighty four",
            [("date", "three fourteen eighty four")],
        ),
        ("he listed his DOB as 3 14 84 on the form", [("date", "3 14 84")]),
        ("the CSU on Pecos had no beds that night", [("address", "Pecos")]),
        ("the csu on pecos was full", [("address", "pecos")]),
        ("my partner Rodriguez and I went in the back", [("person", "Rodriguez")]),
        ("my partner, Nakamura, went around back", [("person", "Nakamura")]),
        ("my supervisor Okonkwo signed off on it", [("person", "Okonkwo")]),
        ("that was my partner Rodriguez's call", [("person", "Rodriguez")]),
        ("her SSN ended in 4417", [("ssn", "4417")]),
        ("his social ends with 6789, that's all I had", [("ssn", "6789")]),
        (
            "he gave me his social, five two three, four five, six seven eight nine",
            [("ssn", "five two three, four five, six seven eight nine")],
        ),
        ("her social ended in four four one seven", [("ssn", "four four one seven")]),
        ("his plate was Colorado 7KX-412", [("plate", "7KX-412")]),
        ("tag New Mexico ABC1234 on a silver Civic", [("plate", "ABC1234")]),
    ],
)
def test_probed_found(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "we had the Transit Police on scene",
        "Campus PD handled it",
        "the Tribal Police came out",
        "in this town, Monday is court day",
        "the whole town, Deputies included, showed up",
        "the Department of Corrections took him",
        "a Center of Excellence for crisis care",
        "he was born as a twin, one of two",
        "he described his birthday as two weeks away",
        "my partner And I went in",
        "my partner Tuesday night was new",
        "our partner Mobile Crisis came",
        "his landlord, Sunrise Properties, evicted him",
        "his social worker was great",
        "his social life ended in 2019",
        "the plate was Colorado, I remember that",
        "she was on social security, about nine hundred a month",
    ],
)
def test_probed_clean(text):
    assert _found(text) == []
