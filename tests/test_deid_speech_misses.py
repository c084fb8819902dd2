"""The PII gate on identifiers it passed in interviews as speech recognition and caption exports type them
(docs/deid.md, "Capitals, pauses and lower case"): lines in capitals, a record's number after a pause,
a lower-case name after a title or a word for who the person is, everyday-word avenues, a hospital after
its ER. Each found, with the ordinary talk beside it that must stay clean."""

from __future__ import annotations

import pytest

from wei_qual.deid import scan_text


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a line in capitals (shouted, or a court or caption export typed so) is read as in lower case
        ("MERCY SAID NO.", [("address", "MERCY")]),
        ("I TOOK HIM TO MERCY GENERAL.", [("address", "MERCY GENERAL")]),
        ("P07: OFFICER RUIZ WAS ON SCENE.", [("person", "RUIZ")]),
        ("SGT. DANIEL OKAFOR CALLED ME.", [("person", "DANIEL OKAFOR")]),
        ("WE DROVE HIM OUT TO TUCKERTON COUNTY.", [("address", "TUCKERTON COUNTY")]),
        ("MARIA LOPEZ WAS THE CLINICIAN.", [("person", "MARIA LOPEZ")]),
        ("THEY TOOK HIM TO PARKLAND.", [("address", "PARKLAND")]),
        ("WORKING OUT OF UNIT 3-ADAM-12.", [("id_number", "3-ADAM-12")]),
        # ...and three capitals words in a line of small letters: a shout inside a sentence
        ("and he just yelled THEY TOOK HIM TO PARKLAND at me", [("address", "PARKLAND")]),
        # a name in capitals found once makes its other mentions found
        (
            "P03: OFFICER RUIZ GOT THERE FIRST.\nP04: yeah Ruiz did the talking",
            [
                ("person", "RUIZ"),
                ("person", "Ruiz"),
            ],
        ),
        # a record's number after a pause or a bare "no,"
        ("his case, no, 4471.", [("id_number", "4471")]),
        ("case number, uh, 4471.", [("id_number", "4471")]),
        ("his case number, um, 2023-00412, that one.", [("id_number", "2023-00412")]),
        ("badge, uh, 4471.", [("id_number", "4471")]),
        ("my badge number was, uh, 1206.", [("id_number", "1206")]),
        (
            "her mrn was, uh, eight eight three four one two.",
            [("id_number", "eight eight three four one two")],
        ),
        ("my badge, um, four four seven one.", [("id_number", "four four seven one")]),
        # a tens word before digits said one by one: one record's number, not a phone's seven digits
        (
            "the incident number, um, was twenty four dash one one eight eight three two.",
            [("id_number", "twenty four dash one one eight eight three two")],
        ),
        # a phone number read out, then a count set off by a comma
        (
            "she calls from three six zero, five five five, zero one four two, three or four times a night",
            [("phone", "three six zero, five five five, zero one four two")],
        ),
        # a lower-case surname after a title, on no list but no English word either
        ("his counselor, mister abernathy, was great.", [("person", "abernathy")]),
        ("we talked to mrs. abernathy.", [("person", "abernathy")]),
        ("officer delacroix and i went out there", [("person", "delacroix")]),
        ("we call her miss ellie.", [("person", "ellie")]),
        # a lower-case first name set off by a comma after a word for who the person is
        ("his mom, marisol, she calls us every week", [("person", "marisol")]),
        ("my partner, kelsey, was driving", [("person", "kelsey")]),
        ("her son robert called again", [("person", "robert")]),
        # an avenue, boulevard or parkway named with everyday words
        ("she was wandering on federal boulevard near the store", [("address", "federal boulevard")]),
        ("she lives on hazel dell avenue", [("address", "hazel dell avenue")]),
        ("he was found on Federal Boulevard.", [("address", "Federal Boulevard")]),
        ("her address is in the system as northeast hazel dell avenue", [("address", "hazel dell avenue")]),
        # a listed hospital after its ER, a unit or a bed; Rose by its short name
        ("we ended up taking him to the er at mercy regional.", [("address", "mercy regional")]),
        ("they had a bed at swedish", [("address", "swedish")]),
        ("she'd been at rose for like two weeks", [("address", "rose")]),
        ("we took her to rose and they kept her", [("address", "rose")]),
        # a nickname that is an adjective, after "goes by" and on the short list
        ("they called him bashful.", [("person", "bashful")]),
        ("he goes by bashful now.", [("person", "bashful")]),
    ],
)
def test_found(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # capitals that name no one: commands shouted on a call, acronyms in a line of small letters
        "he just kept yelling GET ON THE GROUND and we backed off.",
        "DROP THE KNIFE. DROP THE KNIFE.",
        "SHOTS FIRED, SHOTS FIRED, WE NEED EMS.",
        "we had CIT, EMS and the VA people out there.",
        "WILL YOU HELP ME, HE KEPT SAYING.",
        "MARK MY WORDS, HE SAID.",
        "WE TOOK HIM TO THE ER AND THEY SAID NO.",
        "HE WENT TO GENERAL POPULATION.",
        "INTERVIEWER: OK SO TELL ME ABOUT THAT NIGHT.",
        "I CALLED HIM BACK AT LIKE 1430 AND HE WAS CALMER.",
        "GRACE UNDER PRESSURE, THAT'S THE JOB.",
        "THEY CALLED HIM CRAZY.",
        # numbers after a pause that are counts, times or years
        "his case, no, 2019.",
        "his case, uh, 1430 i think.",
        "the report, um, 1200 words.",
        "the case, uh, 300 pages.",
        "the incident, uh, 10-4.",
        "in case, uh, 4471 people call.",
        "we made the call, uh, 400 times.",
        "the case, uh, two three pages long.",
        "we went out there two, three, four times a night",
        # words after a title, and after a word for who the person is, that are words
        "yes mister, right away.",
        "miss a call and you hear about it.",
        "we miss having a partner.",
        "her son, tonight, was calm.",
        # avenues that are no street's name, and other roads said of no place
        "we drove down the avenue.",
        "we were parked on main avenue.",
        "on a busy boulevard.",
        "The Boulevard was closed.",
        "we went down memory lane.",
        # "rose" the verb, and adjectives after "went by" and "goes by" that describe
        "the water rose fast that night.",
        "the calls rose to like forty a week.",
        "tension rose at the scene.",
        "he went by unnoticed.",
        "he goes by unnoticed mostly.",
        "time goes by fast.",
        "he goes by the book.",
    ],
)
def test_clean(text):
    assert _found(text) == []
