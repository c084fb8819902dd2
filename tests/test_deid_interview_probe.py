"""The PII gate on a probe of interview talk (docs/deid.md, "Surnames as subjects, names off every list, local
shops"): a surname alone as the subject of what a person does, a name on no list beside a word for who the
person is, a first name that is a word as the one someone saw or met, a local shop named for its owner; and
the false alarms of a health plan called about coverage and "Officer Friendly". Each in lines as officers and
clinicians say them, with the ordinary talk beside it that must stay clean."""

from __future__ import annotations

import pytest

from wei_qual.deid import scan_text


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a surname alone as the subject of what a person does
        ("Rodriguez was there before us, he'd been on scene maybe ten minutes.", [("person", "Rodriguez")]),
        ("Nguyen told me the ER was full again.", [("person", "Nguyen")]),
        ("P12: Thompson said he wasn't going back to the shelter.", [("person", "Thompson")]),
        ("Rodriguez and I cleared the call around two.", [("person", "Rodriguez")]),
        ("and Okonkwo showed up with the co-responder", [("person", "Okonkwo")]),
        # a name on no list beside a word for who the person is
        ("His son Kairo had been calling him all night.", [("person", "Kairo")]),
        ("There was a little girl, Oaklynn, maybe six, hiding in the closet.", [("person", "Oaklynn")]),
        ("her boyfriend, Jaxtyn, he was the one who called it in.", [("person", "Jaxtyn")]),
        # first names that rose after 2015
        ("Journee was the one who called it in.", [("person", "Journee")]),
        ("P03: her little brother Thiago Reyes was in the back seat.", [("person", "Thiago Reyes")]),
        # a first name that is a word, the one someone saw, met or helped
        ("I saw Grace there when we pulled up, she was already talking to him.", [("person", "Grace")]),
        ("we met Hope at the shelter that morning.", [("person", "Hope")]),
        # a local shop named for its owner
        ("We found him sleeping behind Hartman's Hardware.", [("address", "Hartman's Hardware")]),
        (
            "Dispatch said the caller was at Manny's Bar on Fourth.",
            [("address", "Manny's Bar"), ("address", "Fourth")],
        ),
    ],
)
def test_found(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a health plan called or talked to about coverage or a bed
        "I called Kaiser to check whether his coverage was still active.",
        "I talked to Kaiser about getting him a bed and they said no.",
        "we were on hold with Sutter for forty minutes.",
        # the school-visit program
        "Officer Friendly used to come to my school when I was a kid.",
        # subjects that are no surname, kin words before what is no name
        "Comcast told me the line was down.",
        "Medicare said no, so we called the county.",
        "we gave the patient Narcan twice before EMS got there.",
        "her mom Facebook messaged me the next day.",
        "the caller, Anonymous, said he had a gun.",
        "the Nguyen family was there when we arrived.",
        # a thing in lower case, a thing before a capital, a chain
        "I saw hope in him for the first time.",
        "I saw Grace Church from the road.",
        "we got coffee at Denny's Diner after shift.",
        "he drinks at the Captain's Bar most nights.",
        # the study's words (unchanged)
        "We did a Baker Act on him, the third one that year.",
        "Under the Marchman Act the family can petition the court.",
        "Everybody says they use the Memphis model, but nobody really does.",
        "Since the county joined Stepping Up, the jail numbers went down.",
    ],
)
def test_clean(text):
    assert _found(text) == []


def test_a_person_named_as_a_plan_still_counts():
    # a title, or no verb of calling before it, keeps the person
    assert _found("I called Dr. Kaiser back the next day.") == [("person", "Kaiser")]
    assert _found("Officer Friendly and Officer Ruiz came.") == [("person", "Ruiz")]
