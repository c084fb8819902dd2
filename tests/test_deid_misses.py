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
        ("We took him to Mercy. Then, Baptist wouldn't take him.", ("address", "Baptist")),
        ("And Swedish was on diversion that whole night.", ("address", "Swedish")),
        ("the nurse said Methodist discharged him at 3", ("address", "Methodist")),
        ("we usually go to Parkland, sometimes to Baptist", ("address", "Baptist")),
        ("we usually go to Parkland, sometimes to Baptist", ("address", "Parkland")),
        ("we go to parkland sometimes to baptist", ("address", "baptist")),
        ("they end up going to mercy", ("address", "mercy")),
        ("they took him to Mercy, sometimes to Baptist", ("address", "Baptist")),
        # a hospital as the subject of a speech verb, saying what a hospital says when it refuses a patient
        ("Mercy said no", ("address", "Mercy")),
        ("mercy said no, so we drove him out to county", ("address", "mercy")),
        ("Mercy said they were full", ("address", "Mercy")),
        ("mercy said they were full", ("address", "mercy")),
        ("and then Grady told us they had no beds", ("address", "Grady")),
        ("Baptist said they couldn't take him.", ("address", "Baptist")),
        ("So Parkland said that they're on diversion", ("address", "Parkland")),
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
        # a nickname that is an adjective (and a noun too: "the skinny"), in either tense
        ("they called him skinny", ("person", "skinny")),
        ("they call him skinny", ("person", "skinny")),
        ("we called her skinny for years", ("person", "skinny")),
        ("they called him Skinny", ("person", "Skinny")),
        ("they called him grumpy", ("person", "grumpy")),
        ("they called him skinny pete", ("person", "skinny pete")),
        # a record's number several words after its cue
        ("his case, i think it was number 4471", ("id_number", "4471")),
        ("the case they opened on him, number 2023-00412", ("id_number", "2023-00412")),
        ("his badge, if i remember right, was 4471", ("id_number", "4471")),
        ("his badge i think was 412", ("id_number", "412")),
        ("the report i wrote, it was 19-3344", ("id_number", "19-3344")),
        ("his case number, i wanna say it was like 4471", ("id_number", "4471")),
        ("The incident number they gave us was um 24-118832.", ("id_number", "24-118832")),
        ("his booking number i think was 2024-0412", ("id_number", "2024-0412")),
        ("his case, which was 4471, got dropped", ("id_number", "4471")),
        ("I wrote her a citation once, C-448120, for burning trash", ("id_number", "C-448120")),
        ("i wrote her a citation once, c-448120, for burning trash", ("id_number", "c-448120")),
        ("the case they had, 24-00781, got dismissed", ("id_number", "24-00781")),
        # "no" for "number" with the number after it; the word "no" between a cue and its number
        ("case no. 4471 was closed", ("id_number", "4471")),
        ("Case No. 2023-00412", ("id_number", "2023-00412")),
        ("his badge no 4471", ("id_number", "4471")),
        ("his badge, no, it was 4471.", ("id_number", "4471")),
        ("His badge, no, it was 4471.", ("id_number", "4471")),
        ("his case number 2019-2020", ("id_number", "2019-2020")),
        ("his case, i think, number 2019-2020", ("id_number", "2019-2020")),
        # an extension said as people say it
        ("my extension's 2214", ("phone", "2214")),
        ("his extension was like 2214", ("phone", "2214")),
        # an extension said in pairs or hundreds
        ("extension twenty two fourteen", ("phone", "twenty two fourteen")),
        ("Extension Twenty Two Fourteen.", ("phone", "Twenty Two Fourteen")),
        ("my extension's two fourteen", ("phone", "two fourteen")),
        ("his extension is forty-four seventy-one, call him", ("phone", "forty-four seventy-one")),
        # a call sign after a verb of riding
        ("he rode lincoln 20 with me", ("id_number", "lincoln 20")),
        ("we used to ride king 4", ("id_number", "king 4")),
        # a nickname that is an adjective, in the past tense
        ("they called him grouchy", ("person", "grouchy")),
        ("we called her grouchy for years", ("person", "grouchy")),
        ("everybody called him peppy", ("person", "peppy")),
        # a call sign in lower case after "we were on"
        ("we were on lincoln 20 that night", ("id_number", "lincoln 20")),
        ("i was on lincoln 20", ("id_number", "lincoln 20")),
        ("we were on king 4 that night", ("id_number", "king 4")),
        # a phone number with an o for a zero, in a transcript lower-cased whole
        ("his cell was 555 2o1 3344", ("phone", "555 2o1 3344")),
        ("his cell was 555-o1o2", ("phone", "555-o1o2")),
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
        "he went to general.",
        "then he went to General, in the jail",
        "we go to spectrum for the cable",
        "i'm going to General Assembly",
        "she talked to mercy",
        "Grady said he'd come by",
        "Grady said no problem",
        "Grady said no one was home",
        "Grady said he was full of it",
        "Mercy said she was full",
        "Mercy said they were full of it",
        "Grady said they were fully staffed",
        "he begged for mercy, said no one helped",
        "the general said no",
        "Spectrum said no",
        "i go to church, sometimes to mass",
        "the regional director called me back",
        "Spectrum called us back about the internet.",
        "So Mercy, you know, is a big word for us.",
        "The Baptist minister called us back.",
        "General admitted that it was bad.",
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
        "they called him crazy",
        "they called her selfish",
        "we called her lucky to be alive",
        "he was skinny",
        "i called him skinny once as a joke",
        "then call him skinny.",
        "we called him grumpy old man",
        "we called her crazy for years",
        "they called him fat for years",
        "they called him young for his age",
        "in his case, i think it was 2 or 3 times",
        "his case, it was 2019 when it happened",
        "my badge, i've had it for 20 years",
        "in case, it was 1400 hours",
        "the case, they said it was 2000 dollars",
        "the report came out and it was 1500 and then some",
        "his case manager said it was 1030",
        "the incident, i think it was like 0230 in the morning",
        "the report we did that night was 1200 words",
        "the report last year, 2024, was bad",
        "the incident that night, 10-4, copy",
        "the incident, i-25, was closed",
        "his case, i think it was 4th and 5th",
        "his case, no, it was 2019-2020",
        "His case, no, it was 2019-2020.",
        "his case no, it was 2019-2020",
        "his case, it was 2019-2020",
        "the report, it was 2019-20 or so",
        "his case, no, 20 years ago",
        "the report, no. It was 2019-2020.",
        "we had an extension 30 days",
        "we got an extension twenty two more days",
        "an extension one hundred days",
        "he got an extension, twenty one days",
        "the extension cord, twenty two feet",
        "extension one two",
        "he rode lincoln 20 miles",
        "we rode lincoln 20 blocks up",
        "i rode lincoln 20 times",
        "they ride king 2 days a week",
        "we rode the lincoln 20 minutes",
        "they called him cranky",
        "they called him bossy",
        "i called him grouchy once as a joke",
        "we called him grouchy old man",
        "he was grouchy",
        "the extension cord was 12 feet",
        "the extension is 25 feet long",
        "we were on lincoln 20 minutes later",
        "she was on lincoln 20 blocks up",
        "he was on lincoln 2 weeks ago",
        "we were on 20 calls that night",
        "he was on 2 liters o2 at 555",
        "the 4o1k plan was 401 and 3344 hmm",
    ],
)
def test_the_talk_around_them_stays_clean(text):
    assert _found(text) == []


def test_a_hospital_named_again_as_the_subject_is_redacted_too():
    """The second "Mercy" and "Parkland" were passed, and the redacted copy kept them beside [ADDRESS-1]."""
    from wei_qual.deid.redact import redact_text

    text = (
        "they took him to Mercy again, and Mercy sent him home after six hours. Most of our transports go to"
        " Parkland, sometimes to Baptist if Parkland is on diversion."
    )
    redacted = redact_text(text, scan_text(text)).text
    assert "Mercy" not in redacted and "Parkland" not in redacted and "Baptist" not in redacted
    assert "and [ADDRESS-1] sent him home" in redacted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a span of years dates a case: no id, even right after the cue
        ("the case, 2019-2020, was a mess", []),
        ("The case, 2019-2020, was handled by the co-responder team.", []),
        ("the case, 2019-20, went on and on", []),
        ("the case, 2019–20, went on and on", []),
        ("his case, it was 2019-2021, dragged on", []),
        ("from 2019-2021 we had a co-responder", []),
        # a case number of that shape, after "number", "no." or "#", still is one
        ("the case number 2019-2020 was closed", [("id_number", "2019-2020")]),
        ("case no. 2019-2020", [("id_number", "2019-2020")]),
        ("Case #2019-2020 was closed", [("id_number", "2019-2020")]),
        ("his case, i think it was number 2019-2020", [("id_number", "2019-2020")]),
        # no span of years: the second is not after the first, or a record's serial
        ("the case, 2020-2019, was", [("id_number", "2020-2019")]),
        ("the case, 2023-0412, was", [("id_number", "2023-0412")]),
        ("his badge was 2019-2020", [("id_number", "2019-2020")]),
    ],
)
def test_a_span_of_years_is_no_case_number(text, expected):
    assert _found(text) == expected
