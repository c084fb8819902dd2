"""The PII gate on how officers and crisis clinicians talk (docs/deid.md, "Officers' talk"): first names that
are words named as the one on shift or from dispatch, also typed in lower case; call signs said beat first
("3 Baker") and the unit an officer says someone was; sayings and brands named with a title ("Uncle Sam",
"Captain Morgan") and Florida's Baker Act, which name no one; a social security number after "social"; a plate
spelled letter by letter or after "like,"; a handle with its "@" said as "at" and a link said aloud; and
names given since 2018. Each found, with the ordinary talk beside it that must stay clean."""

from __future__ import annotations

import pytest

from wei_qual.cli import app
from wei_qual.deid import scan_text


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in scan_text(text) if not f.review]


def _to_review(text: str) -> list[str]:
    return [f.text for f in scan_text(text) if f.review]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (a) first names that are words, named as a person is: capitalised, and as speech recognition types them
        ("Mark had the shield when we went in.", [("person", "Mark")]),
        ("so mark had the shield when we went in", [("person", "mark")]),
        ("will said he'd call me back after shift.", [("person", "will")]),
        ("you know, will told me to wait outside", [("person", "will")]),
        ("Grace was on shift that night.", [("person", "Grace")]),
        ("grace was on shift that night, she took the call", [("person", "grace")]),
        ("Bob from dispatch called it in.", [("person", "Bob")]),
        ("bob from dispatch called it in", [("person", "bob")]),
        ("then Mark came in with the sergeant", [("person", "Mark")]),
        ("I think Will is the one who trained me.", [("person", "Will")]),
        # (b) call signs said beat first, and the unit an officer says someone was
        ("We were 3 Baker that night.", [("id_number", "3 Baker")]),
        ("unit 3 Baker responded to the bridge.", [("id_number", "3 Baker")]),
        ("Baker 3, copy, we're en route.", [("id_number", "Baker 3")]),
        (
            "I'm unit 14, Officer Ruiz was unit 15.",
            [("id_number", "14"), ("person", "Ruiz"), ("id_number", "15")],
        ),
        ("I'm car 42 on days.", [("id_number", "42")]),
        # an agency named by its county or town, a superior named between commas, a name before who they are
        ("I was with Pasco Sheriff's Office for eleven years.", [("address", "Pasco")]),
        ("my sergeant, Kowalski, didn't like it.", [("person", "Kowalski")]),
        ("Tyler, the son, was 17.", [("person", "Tyler")]),
        ("Grace, his mom, called it in.", [("person", "Grace")]),
        # (c) sayings and brands with a title, where they name no one; a real uncle or captain still is one
        ("my uncle Sam came to the house.", [("person", "Sam")]),
        ("Captain Morgan from the second district signed off on it.", [("person", "Morgan")]),
        # the attack pass: what an officer or a clinician says that slipped through
        ("his social is 123 45 6789.", [("ssn", "123 45 6789")]),
        ("plate was like, ABC 1234.", [("plate", "ABC 1234")]),
        ("the tag was Florida plate B-K-L four four eight two.", [("plate", "B-K-L four four eight two")]),
        ("tag is b k l four four eight two", [("plate", "b k l four four eight two")]),
        (
            "his instagram is at jay underscore ruiz underscore 2004.",
            [("url", "jay underscore ruiz underscore 2004")],
        ),
        (
            "his facebook is facebook dot com slash jimmy dot alvarez.",
            [("url", "facebook dot com slash jimmy dot alvarez")],
        ),
        # ...and typed in lower case, as speech recognition leaves them
        ("noah's mom called us three times that week.", [("person", "noah")]),
        ("sophia's boyfriend was the problem.", [("person", "sophia")]),
        ("so charlotte was the one who called.", [("person", "charlotte")]),
        ("aria was on the roof.", [("person", "aria")]),
        ("he said his snapchat was big_mike_813.", [("url", "big_mike_813")]),
        ("his case number was 2021 dash 04412.", [("id_number", "2021 dash 04412")]),
        ("his case number, uh, it was 2021 dash 0 4 4 1 2.", [("id_number", "2021 dash 0 4 4 1 2")]),
        # (d) names given since 2018 (SSA's 500 most given of each year)
        ("Esme was at the door when we got there.", [("person", "Esme")]),
        ("Nehemiah, the son, opened the door.", [("person", "Nehemiah")]),
        ("then Kylian came out of the back room.", [("person", "Kylian")]),
        ("Selah and Lilith were in the car.", [("person", "Selah"), ("person", "Lilith")]),
        ("we talked to Maryam about her son.", [("person", "Maryam")]),
    ],
)
def test_found(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the words, not the names
        "the mark had faded by then.",
        "i will said it again.",  # a subject before it: a modal, typed wrong
        "the will said everything goes to his sister.",
        "buddy said he was fine.",
        "guy said he had a gun.",
        "Mark my words, it'll happen again.",
        "by the grace of god nobody got hurt.",
        "um, grace was there",
        "we got a call from dispatch about a guy.",
        "Summer came in with a heat wave.",
        # radio codes and jargon: no one's
        "10-4, we're en route.",
        "It was a 10-96, mental subject.",
        "we got a 5150 on him.",
        "Code 3 to the hospital.",
        "it was a signal 20.",
        "He was on unit 4 for a week.",
        "She was unit 4 on the psych floor.",
        "Baker 3 times this year we did it.",
        "the car 2 miles back, we responded",
        "he was in car 3 with me",
        "We called the Sheriff's Office.",
        "In May, the patient, who was 40, came back.",
        "Hope, the shelter, was full.",
        "my corporal, okay, so we went in",
        # the Baker Act and the characters, sayings and brands
        "Under the Baker Act we can take them for 72 hours.",
        "We Baker Acted him on the spot.",
        "He was baker acted twice last year.",
        "I initiated a Baker Act.",
        "Uncle Sam pays for the training.",
        "He was drinking Captain Morgan all night.",
        "He had a bottle of Captain Morgan in the car.",
        "He thought he was Captain America.",
        "a bowl of Captain Crunch.",
        "Father Time catches up with everybody.",
        "he was talking to the Virgin Mary.",
        "A Good Samaritan called 911.",
        "We had a Jane Doe come into the ER.",
        "We gave him Narcan twice.",
        "The Sheriff said no.",
        "They used to send Officer Friendly to the schools.",
        "we had a Legend in the car.",
        "noah's ark was a story he kept telling.",
        "the baron's car was there",
        "the report i wrote was 20 dash 30 pages",
        # a social thing, a plate spoken of, Instagram at night
        "it was a social thing, 123 45 6789 people",
        "the plate, a b c, I don't remember",
        "she is on instagram at night mostly.",
    ],
)
def test_clean(text):
    assert _found(text) == []
    assert _to_review(text) == []


def test_a_word_for_what_keeps_one_going_is_to_review_unless_on_the_job():
    # what keeps someone going, or a person so named: shown, no stop of the gate; on shift, only a person is
    assert _to_review("so hope said she'd call us back") == ["hope"]
    assert _found("so hope said she'd call us back") == []
    assert _found("and hope was on shift with me") == [("person", "hope")]


def test_a_count_of_cases_named_for_someone_is_no_call_sign():
    # "3 Adam Walsh cases": a name follows the number, not a unit's
    assert _found("We had 3 Adam Walsh cases.") == [("person", "Adam Walsh")]


def test_the_ingest_gate_names_where_and_what_never_the_words(tmp_path, runner):
    # the new findings stop ingest as any does, and its message shows no transcript text
    path = tmp_path / "P07.txt"
    path.write_text(
        "Interviewer: How was it?\n"
        "P07: Bob from dispatch called it in, and we were 3 Baker that night. His social is 123 45 6789.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "study.db")])
    assert result.exit_code == 1
    assert "2:6 (person), 2:50 (id_number), 2:84 (ssn)" in result.output
    for words in ("Bob", "dispatch", "3 Baker", "6789"):
        assert words not in result.output
