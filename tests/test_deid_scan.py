"""scan_text(): every category, placeholders, names by rules, positions."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wei_qual.deid import CATEGORIES, Finding, scan_text


def found(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in scan_text(text, **kwargs)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # phones: US formats
        ("Call (555) 201-3344 today.", [("phone", "(555) 201-3344")]),
        ("Call 555-867-5309.", [("phone", "555-867-5309")]),
        (
            "Cell 555.201.7788, desk +1 555 201 9900.",
            [("phone", "555.201.7788"), ("phone", "+1 555 201 9900")],
        ),
        (
            "The line is 1-800-555-0199 or 555 201 4455.",
            [("phone", "1-800-555-0199"), ("phone", "555 201 4455")],
        ),
        ("Text 5553217788 or 867-5309.", [("phone", "5553217788"), ("phone", "867-5309")]),
        # e-mail and URLs
        ("Write to maria.lopez@example.org now.", [("email", "maria.lopez@example.org")]),
        ("See https://forms.example.com/intake?id=44.", [("url", "https://forms.example.com/intake?id=44")]),
        (
            "Try www.example-shelter.org or facebook.com/jc.83, thanks",
            [("url", "www.example-shelter.org"), ("url", "facebook.com/jc.83")],
        ),
        # street addresses and PO boxes
        ("She lives at 1423 Elm Street, Apt 4B.", [("address", "1423 Elm Street, Apt 4B")]),
        (
            "At 88 North Maple Ave. then 4500 W. 38th Street",
            [("address", "88 North Maple Ave."), ("address", "4500 W. 38th Street")],
        ),
        (
            "Mail P.O. Box 4471 or 2210 Martin Luther King Jr. Blvd",
            [("address", "P.O. Box 4471"), ("address", "2210 Martin Luther King Jr. Blvd")],
        ),
        # SSNs
        ("SSN 123-45-6789.", [("ssn", "123-45-6789")]),
        ("His social security number is 123 45 6789.", [("ssn", "123 45 6789")]),
        ("His SSN 123456789 was printed.", [("ssn", "123456789")]),
        # full dates and dates of birth
        ("Born March 3, 1984 in town.", [("date", "March 3, 1984")]),
        (
            "On 03/04/1984 and 2019-05-02 and 12 October 2020.",
            [("date", "03/04/1984"), ("date", "2019-05-02"), ("date", "12 October 2020")],
        ),
        (
            "DOB 11/2/79, seen Sept. 9, 2021, the 3rd of May 2018.",
            [("date", "11/2/79"), ("date", "Sept. 9, 2021"), ("date", "3rd of May 2018")],
        ),
        ("He was born on July 4th, I think. Birthday: 5 June.", [("date", "July 4th"), ("date", "5 June")]),
        # badge, case, report numbers
        ("Badge 4471 and case #2023-00412.", [("id_number", "4471"), ("id_number", "2023-00412")]),
        (
            "The report, number 19-3344, and incident number, it was 22-018877.",
            [("id_number", "19-3344"), ("id_number", "22-018877")],
        ),
        (
            "Warrant number W-2021-3381, MRN 5567123.",
            [("id_number", "W-2021-3381"), ("id_number", "5567123")],
        ),
        # licence plates need a cue and capitals
        (
            "A blue sedan, plate ABC-1234; license plate 7XYZ123.",
            [("plate", "ABC-1234"), ("plate", "7XYZ123")],
        ),
        ("The tag number was KDL 4482.", [("plate", "KDL 4482")]),
        # ages over 89
        (
            "She is 92 years old; age 95; a 97-year-old; she turned 101.",
            [("age", "92"), ("age", "95"), ("age", "97"), ("age", "101")],
        ),
    ],
)
def test_structured_categories(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We saw him in 2019 and again last spring.",  # bare years and vague dates are not identifiers
        "In March, maybe April, the pilot started.",
        "Call 911 or 988; it was a 5150 hold, case 5150.",
        "Most are between 18 and 45; one man was 85 years old.",  # under 90
        "We log about 1,200 contacts a year and 40 to 50 percent come from us.",
        "A 50-50 split, the waitlist is 10-15 people, coverage 24/7 at 3:00 a.m.",
        "Room 214 is the family room and Unit 3 handles intake.",
        "The plate glass window broke. I wrote a report on it.",
        "Timestamp 00:12:03 and 00:41:07.",
        "Ages 90 and up are rare.",
        "Just in case 300 people call at once, we have a plan.",
    ],
)
def test_clean_text_has_no_findings(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Officer Ruiz got there first.", ["Ruiz"]),
        ("Then Sgt. Daniel Okafor and Dr. Priya Raman came.", ["Daniel Okafor", "Priya Raman"]),
        ("Chief Deputy Harris and officer Nguyen came.", ["Harris", "Nguyen"]),
        ("Mrs. Delgado said her son Kevin stopped eating.", ["Delgado", "Kevin"]),
        ("Maria Lopez is my supervisor.", ["Maria Lopez"]),
        ("Adrián Peña called.", ["Adrián Peña"]),
        ("Will Turner and Grace Kim came by.", ["Will Turner", "Grace Kim"]),  # ambiguous word + surname
        ("MARIA LOPEZ: hello\nOFFICER RUIZ: yes", ["MARIA LOPEZ", "RUIZ"]),
        # a surname seen in a name is found again on its own
        ("Officer Ruiz came. Later Ruiz left.", ["Ruiz", "Ruiz"]),
        (
            "Officer DeShawn Miller, Officer McDonald and Ms. Garcia-Lopez.",
            ["DeShawn Miller", "McDonald", "Garcia-Lopez"],
        ),
        ("Officer White and Sgt. Hall came; Officer De Leon left.", ["White", "Hall", "De Leon"]),
        # hyphenated first names, which the list holds only a few of ("Anne-Marie"), as labels and in text
        (
            "Jean-Luc: Six clinicians. Mary-Jo and I split nights, and Anne-Marie.",
            ["Jean-Luc", "Mary-Jo", "Anne-Marie"],
        ),
        ("JEAN-LUC: hello\nMARY-JO: yes", ["JEAN-LUC", "MARY-JO"]),
        ("Rose-Marie came; Will-Call and Grace-Filled are no one.", ["Rose-Marie"]),
        # ...but an everyday word in a name is not found again on its own
        (
            "Will Turner came. Will you go? Christopher Lee works in Lee County.",
            ["Will Turner", "Christopher Lee"],
        ),
    ],
)
def test_person_names_by_rules(text, expected):
    assert [t for c, t in found(text) if c == "person"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Will you send me a copy? May I ask something?",  # everyday words that are also names
        "Grace is a big part of it. Hope is a clinical tool. Frank conversations help. Mark my words.",
        "Interviewer: Thanks.\nP07: Sure.\nOfficer 2: Okay.\nParticipant 4: Yes.\nINTERVIEWER: ok",  # speaker labels
        "We went to the Crisis Stabilization Unit under the Baker Act and Laura's Law.",
        "State Police and a Nurse Practitioner met the Deputy Director.",
        "The Chief Medical Officer and Officer Safety training; Criminal Justice Reform.",
        "He lived on Oak Dr. Then he moved.",
        "A Walk-In clinic, Self-Care, an X-Ray and the Co-Responder Follow-Up.",  # hyphenated words
        "Oh my God, by the grace of God, on Christmas and Thanksgiving, in the Salvation Army shelter.",
    ],
)
def test_tricky_capitalised_words_are_not_names(text):
    assert found(text) == []


# How police and crisis-unit interviews leak: dispatch and record numbers, call signs, blocks and corners,
# named hospitals and jails, initials, handles, extensions, names typed in lower case. All went unseen.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We got dispatched, CAD #24-118832, at night.", [("id_number", "24-118832")]),
        ("It went out as event 24-0031187.", [("id_number", "24-0031187")]),
        (
            "The case was 2023-CR-00412, and ours was CSU-24-0188.",
            [("id_number", "2023-CR-00412"), ("id_number", "CSU-24-0188")],
        ),
        ("I was working out of 3-Adam-12 that year.", [("id_number", "3-Adam-12")]),
        ("A fight in the 1400 block of Fifth.", [("address", "1400 block of Fifth")]),
        ("He stood at Fifth and Main with a knife.", [("address", "Fifth and Main")]),
        # the sentence's period is not part of the street: "the corner of [ADDRESS-1]." keeps it
        ("At the corner of Elm and Pine.", [("address", "Elm and Pine")]),
        (
            "It was the 200 block of Oak. Then Fifth and Main.",
            [("address", "200 block of Oak"), ("address", "Fifth and Main")],
        ),
        ("We took him to St. Brigid's Medical Center.", [("address", "St. Brigid's Medical Center")]),
        ("He ended up at Harmon County Detention Center.", [("address", "Harmon County Detention Center")]),
        ("She called from the Pinewood Apartments.", [("address", "Pinewood Apartments")]),
        ("The patient, J.R., was seventeen.", [("person", "J.R.")]),
        ("She found me on Instagram, @officer_t_ruiz, after.", [("url", "@officer_t_ruiz")]),
        ("My desk is (555) 201-3344 ext. 214.", [("phone", "(555) 201-3344 ext. 214")]),
        ("My partner was deputy hanson that night.", [("person", "hanson")]),
        ("Doc Alvarez at the ER was great.", [("person", "Alvarez")]),
        ("His grandmother was 94 and lived alone.", [("age", "94")]),
        # transcribers spell ages and e-mail addresses out as they were said
        (
            "She is ninety-four years old. He turned a hundred and two.",
            [("age", "ninety-four"), ("age", "a hundred and two")],
        ),
        (
            "She was 91 when she passed; a 94 y/o female; age: 96.",
            [("age", "91"), ("age", "94"), ("age", "96")],
        ),
        (
            "Email me at maria dot lopez at example dot com.",
            [("email", "maria dot lopez at example dot com")],
        ),
        ("His snapchat is jayr_2004, he's on Instagram all day.", [("url", "jayr_2004")]),
        ("Call 555/201-3344 after nine.", [("phone", "555/201-3344")]),
        # speech recognition spaces the dashes; an extension may follow at once
        (
            "Call 555 - 201 - 3344, or 555.201.7788x12.",
            [("phone", "555 - 201 - 3344"), ("phone", "555.201.7788x12")],
        ),
        (
            "She moved to Nashville, TN 37203, and the zip code was 37212-1104 before.",
            [("address", "Nashville"), ("address", "37203"), ("address", "37212-1104")],
        ),
        # a first name in the possessive was found nowhere; the "'s" stays out of every name
        ("Maria's brother called. It was Kevin’s car.", [("person", "Maria"), ("person", "Kevin")]),
        ("Officer Ruiz's car, then Ruiz left.", [("person", "Ruiz"), ("person", "Ruiz")]),
        # first names common among Black Americans that the Faker lists lack
        (
            "Keisha called, then Darnell, and Tamika's son.",
            [("person", "Keisha"), ("person", "Darnell"), ("person", "Tamika")],
        ),
        # a name typed in lower case by speech recognition, after it was found once
        ("Officer Okafor came. I told okafor about it.", [("person", "Okafor"), ("person", "okafor")]),
    ],
)
def test_police_and_crisis_identifiers(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We do a safety plan with the Stanley-Brown template, and a PHQ-9 and C-SSRS screen.",
        "First and foremost, the code was 10-96, then 10-4. A 5150 is a 72-hour hold.",
        "The county jail, the state hospital, the VA and the ER all call us. The County Jail is full.",
        "Officer Brown came by. Then a guy in a brown jacket walked up. The officer safety briefing was at 8 a.m.",
        "He was in the U.S. Army and got home at 3 P.M. on a Monday in March.",
        "She is C.I.T. trained, goes to A.A. meetings, and wrote the D.O.B. on the E.M.S. form.",
        # the crisis services' acronyms dotted by a transcriber
        "We took him to the C.S.U., not the E.D.; it was a D.V. call, and the M.C.T. and C.P.S. came.",
        "Ninety percent of calls, maybe a hundred a month. We were at home at nine.",
        # courts and programs named like streets, and ordinals that count shifts, are no intersections
        "We refer to Drug Court and Probation, and Juvenile Court and Family Services.",
        # street names of drugs
        "He was high on Molly, smoking Mary Jane, and using Tina all week.",
        "The Second and Third shifts. The Safe Way and Crisis Place programs. The Youth Detention Center.",
    ],
)
def test_police_and_crisis_talk_is_not_flagged(text):
    assert [f for f in found(text) if f[1] != "Brown"] == []


@pytest.mark.parametrize(
    "placeholder",
    [
        "[NAME]",
        "[PERSON 1]",
        "[PERSON-1]",
        "[REDACTED]",
        "<name>",
        "[Agency]",
        "[COUNTY]",
        "[inaudible]",
        "[crosstalk 00:12:03]",
        "[ADDRESS-2]",
        "[phone 555-201-3344]",
        "<Officer Ruiz>",
    ],
)
def test_placeholders_are_not_findings(placeholder):
    assert found(f"P07: Then {placeholder} called me about {placeholder}.") == []


def test_bracketed_full_name_is_still_a_finding():
    assert found("Then [Maria Lopez] called.") == [("person", "Maria Lopez")]


def test_webvtt_voice_tags_are_scanned():
    assert found("<v Maria Lopez>Hello.</v>\n<v Interviewer>Thanks.</v>") == [("person", "Maria Lopez")]


def test_finding_positions_are_one_based_line_and_column():
    text = "Interviewer: Hi.\nP07: Officer Ruiz, 555-201-3344\n"
    assert scan_text(text) == [
        Finding(line=2, column=14, start=30, end=34, category="person", text="Ruiz"),
        Finding(line=2, column=20, start=36, end=48, category="phone", text="555-201-3344"),
    ]
    assert all(text[f.start : f.end] == f.text for f in scan_text(text))


def test_overlaps_resolve_to_the_specific_category():
    # the e-mail's domain would also match the URL rule; the SSN digits the phone rule
    assert found("Mail jo@example.com, SSN 123-45-6789.") == [
        ("email", "jo@example.com"),
        ("ssn", "123-45-6789"),
    ]


def test_allow_drops_whole_or_contained_findings_case_insensitively():
    text = "Officer Krupke visited Rose Hill. Officer Ruiz came."
    assert found(text) == [("person", "Krupke"), ("person", "Rose Hill"), ("person", "Ruiz")]
    assert found(text, allow=["officer krupke", "ROSE HILL"]) == [("person", "Ruiz")]
    # a phrase only partly covering a finding keeps it
    assert found("Maria Lopez came.", allow=["Maria"]) == [("person", "Maria Lopez")]


def test_categories_are_the_documented_ten():
    assert CATEGORIES == (
        "person",
        "phone",
        "email",
        "url",
        "address",
        "ssn",
        "date",
        "id_number",
        "plate",
        "age",
    )


PIECES = [
    "Officer Ruiz",
    "Maria Lopez",
    "Will",
    "May",
    "[NAME]",
    "<name>",
    "[inaudible 00:12:03]",
    "555-201-3344",
    "badge 4471",
    "1423 Elm Street",
    "March 3, 1984",
    "jo@example.org",
    "www.example.org",
    "92 years old",
    "plate ABC-1234",
    "123-45-6789",
    "Interviewer:",
    "P07:",
    "the",
    "crisis",
    "unit",
    ".",
    ",",
    "\n",
    " ",
    "\t",
    "é",
    "[",
    "]",
    "<",
    ">",
    "#",
    "-",
    "0",
    "1990",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=30))
def test_findings_are_consistent_on_any_text(pieces):
    from wei_qual.deid.redact import redact_text

    text = " ".join(pieces)
    findings = scan_text(text)
    lines = text.split("\n")
    for f, g in itertools.pairwise(findings):
        assert f.end <= g.start  # sorted, never overlapping
    for f in findings:
        assert f.category in CATEGORIES
        assert text[f.start : f.end] == f.text and f.text
        assert lines[f.line - 1][f.column - 1 :].startswith(f.text.split("\n")[0])
    # each finding becomes exactly one bracketed placeholder
    redacted = redact_text(text, findings).text
    assert redacted.count("[") - text.count("[") == len(findings) - sum(f.text.count("[") for f in findings)


def test_missing_faker_is_a_clear_error(monkeypatch):
    import sys

    from wei_qual.deid import names
    from wei_qual.errors import DeidError

    names.first_names.cache_clear()
    for module in [m for m in sys.modules if m == "faker" or m.startswith("faker.")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setitem(sys.modules, "faker", None)  # as if it were not installed
    try:
        with pytest.raises(DeidError) as info:
            scan_text("Maria came.")
        assert str(info.value) == (
            'The PII scan needs the "faker" package for its first-name list. Install it with "pip install faker".'
        )
    finally:
        names.first_names.cache_clear()


def test_titled_names_are_found_where_the_full_regex_finds_them():
    # names._titled tries the titled-name regex only where a title starts: same matches as finditer,
    # titles inside words ("Salt Lake"), chains, lower case, initials and a text whose lower case is longer.
    import random

    from wei_qual.deid import names

    words = [
        "Officer", "officer", "Dr.", "Dr", "Salt", "adult", "Chief", "deputy", "Deputy", "Ruiz", "Garcia-Lopez",
        "O'Neal", "Q.", "from", "Fr.", "Sgt.", "Lt", "result", "Mrs", "ms", "Det.", "Detective", "the", "Ms.",
        "Anita", "De", "Leon", "Mr.", "\n", "\t", "Smith", "İstanbul", "lt", "DR", "OFFICER", "Peña", "Adrián",
    ]  # fmt: skip
    rng = random.Random(7)
    for k in range(300):
        text = " ".join(rng.choice(words) for _ in range(120))
        if k % 2:
            text = text.replace("İstanbul", "Istanbul")
        at_word = re.compile(r"(?<![A-Za-z])" + names.TITLED.pattern)  # a title starts a word
        expected = [(m.start(), m.end()) for m in at_word.finditer(text)]
        assert [(m.start(), m.end()) for m in names._titled(text)] == expected
    assert [
        m.group() for m in names._titled("Salt Officer Jones met Chief deputy Harris and dr. Okafor.")
    ] == [
        "Officer Jones",
        "Chief deputy Harris",
        "dr. Okafor",
    ]


def test_the_fast_searches_find_what_the_full_regexes_find():
    # matches_not_after() drops a pattern's leading assertion and checks the character before each match,
    # going on from the next character; matches_at() tries a pattern only where its cue word starts. Both
    # must give exactly finditer's matches, inside words, after hyphens, apostrophes and full stops too.
    import random

    from wei_qual.deid import names, places, rules

    words = [
        "iPhone", "McDonald", "Mary-Jane", "x-Ray", "O'Neal", "eBay-Jones", "Peña", "_Ana", "Ana", "in", "into",
        "within", "Millbrook", "millbrook", "to", "'to", "-in", "of", "tuckerton", "with", "told", "maria",
        "asked", "called", "calledjoe", "J.R.", "A. B.", "C.D.E.", "x.J.R.", "AJ.R.", "\n", "the", "pine", "ridge",
        "Ridge", "withmaria", "told'", "ÉMILE", "Émile", "ß", "named", "partner", "tonya", "mom", "mariah",
    ]  # fmt: skip
    cases = [
        (names.CAPITALISED, names._CAPITALISED_ANYWHERE, ""),
        (re.compile(r"(?<![\w'’-])" + places._TOWN_START.pattern), places._TOWN_START, "'’-"),
        (re.compile(r"(?<![\w.])" + names.INITIALS.pattern), names.INITIALS, "."),
    ]
    rng = random.Random(11)
    for _ in range(300):
        text = rng.choice(["", " ", "-", "'"]).join(rng.choice(words) for _ in range(80))
        for full, fast, also in cases:
            searched = text.lower() if full.pattern.endswith(places._TOWN_START.pattern) else text
            expected = [m.span() for m in full.finditer(searched)]
            assert [m.span() for m in rules.matches_not_after(fast, searched, also)] == expected, full.pattern
            if fast is places._TOWN_START:  # ...and searched a cue word at a time
                assert [m.span() for m in places.town_starts(searched)] == expected
        # a lower-case first name right after a cue word: searched from the names the text holds
        lowered = text.lower()
        full = re.compile(
            rf"(?<![\w'’-])(?:{'|'.join(names._LOWER_FIRST_CUES)})[ \t]+(?=([a-z]{{3,}})(?![\w'’-]))"
        )
        expected = sorted(
            {m.span(1) for m in full.finditer(lowered) if m.group(1) in names._lower_case_first_names()}
        )
        present = names._lower_words(lowered)
        assert sorted({s[:2] for s in names._lower_first_names(lowered, present)}) == expected


def test_anchor_words_and_digit_windows_are_those_of_a_search_of_the_whole_text():
    # _word_anchors looks a word up in the text's distinct words before scanning the text for it, and
    # _digit_windows searches three and two digits in a row only inside the windows around every digit:
    # both must give what a scan of the whole text gives, also for words with spaces, words inside others,
    # other whitespace, NUL characters, other scripts' digits and long runs of spaces before a number.
    import random

    from wei_qual.deid import places, rules

    words = [
        "first", "firsthand", "twentieth", "user", "name", "user name", "username", "dot", "com", ".com", "x.org",
        "emergency", "room", "emergency\troom", "hospital", "hospitals", "psych", "ward", "on", "diversion",
        "live", "resides", "born", "ninety", "\n", "\t", "\u2028", "\x1c", "\0", "five", "four", "oh", "Five",
        "12", "4-4-7-1", "4 4 7 1", "3", "555-0199", "٣٤٥", "１２３", "7\u20091", " " * 50 + "9", "a1b22c333",
        "County", "Road", "Snap", "TikTok", "FIRST", "İ", "ΟΔΟΣ", "ΣΑ", "Σ", "ΑΣ\u00adΒ", "\u1680first",
    ]  # fmt: skip
    lists = [
        rules._ORDINAL_ANCHOR,
        rules._SPOKEN_DOT,
        rules._PLATFORM,
        rules._DIGIT_ANCHOR,
        rules._LIVES_ANCHOR,
        places._HOSPITAL_WORDS,
        places._LOWER_ROAD_WORDS,
    ]
    rng = random.Random(13)
    for k in range(400):
        text = rng.choice([" ", "", "\n", "-"]).join(rng.choice(words) for _ in range(rng.randint(0, 60)))
        if k % 3 == 0:
            text = text.replace("İ", "I")  # a text whose lower case is as long: the str.find path
        for lowered in (text.lower(), text):
            for anchors in lists:
                expected = []
                if len(lowered) == len(text):
                    for word in anchors:
                        expected += [
                            (m.start(), m.start() + len(word))
                            for m in re.finditer(f"(?={re.escape(word)})", lowered)
                        ]
                else:
                    expected = [
                        m.span() for m in re.finditer("|".join(map(re.escape, anchors)), text, re.IGNORECASE)
                    ]
                assert rules._word_anchors(text, lowered, anchors) == sorted(expected), (text, anchors)
        digits = rules._windows(text, rules._DIGIT_RUNS.finditer(text))
        three = rules._windows(text, rules._THREE_DIGITS.finditer(text))
        two = rules._windows(text, rules._TWO_DIGITS.finditer(text))
        assert rules._digit_windows(text) == (digits, three, two), text


def test_a_title_inside_a_word_hides_no_name_after_it():
    # The "lt" of "Salt" (and "fr" of "from"...) was taken for a title and its match swallowed "Officer".
    for text in ("Salt Officer Jones came by.", "the adult Sgt. Okafor saw", "a result Dr. Anita Okafor"):
        found = [f.text for f in scan_text(text) if f.category == "person"]
        assert found and found[0] in ("Jones", "Okafor", "Anita Okafor"), text


def test_an_allowlisted_name_is_kept_written_surname_first():
    # Teams labels the team's interviewer "Whitfield, Dana"; the allowlist holds "Dana Whitfield".
    text = (
        "Whitfield, Dana: Thanks for coming.\nKP06: Sure. Dana Whitfield asked me before.\nKowalski, Dan: Hi."
    )
    assert found(text, allow=["Dana Whitfield"]) == [("person", "Kowalski, Dan")]


# Gaps a police or crisis-unit interview leaks through, each missed before (see docs/deid.md): places
# without a house number, names typed in lower case, bare ages over 89, nicknames, phone numbers read out.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "We were out on Route 9 past Millbrook when the call came in.",
            [("address", "Route 9"), ("address", "Millbrook")],
        ),
        ("Take the Hollis Road exit, it's the second trailer.", [("address", "Hollis Road")]),
        ("He's up in Tuckerton County now, with his aunt.", [("address", "Tuckerton County")]),
        ("It's off Old Mill Road near the Dollar General.", [("address", "Old Mill Road")]),
        (
            "She lives off Highway 70 in Pine Ridge, or on CR 412, or County Road 12.",
            [
                ("address", "Highway 70"),
                ("address", "Pine Ridge"),
                ("address", "CR 412"),
                ("address", "County Road 12"),
            ],
        ),
        ("The guy was from Tuckerton, NJ originally.", [("address", "Tuckerton")]),
        ("He grew up outside of Harrisburg.", [("address", "Harrisburg")]),
        # the same places as speech recognition types them
        (
            "i'm a deputy out in tuckerton county, out on route 9 past millbrook, off the hollis road exit",
            [
                ("address", "tuckerton county"),
                ("address", "route 9"),
                ("address", "millbrook"),
                ("address", "hollis road"),
            ],
        ),
        ("big mike delgado, and big mike again", [("person", "big mike delgado"), ("person", "big mike")]),
        # a road word that is a surname too, after a first name, is a person
        (
            "Maria Lane called, then we drove down Hollis Lane.",
            [("person", "Maria Lane"), ("address", "Hollis Lane")],
        ),
        # a county is a place smaller than a state (the study's own county goes on the allowlist)
        (
            "Jackson County and Lee County both send us people.",
            [("address", "Jackson County"), ("address", "Lee County")],
        ),
        # names as speech recognition types them: no capital, no title, a curly apostrophe
        ("i ride with deputy o’brien most nights", [("person", "o’brien")]),
        ("so martinez and i went back the next day", [("person", "martinez")]),
        (
            "kowalski from nights was there and mike delgado did the paperwork",
            [("person", "kowalski"), ("person", "mike delgado")],
        ),
        ("sarge okafor said no", [("person", "okafor")]),
        # ages over 89 said without "years old"
        ("the guy was ninety two and lived alone", [("age", "ninety two")]),
        ("She's like 93 now, and her neighbor, who was 95, found her.", [("age", "93"), ("age", "95")]),
        # a nickname's word and a generation go with the name
        ("I was riding with Big Mike that night.", [("person", "Big Mike")]),
        (
            "Little Joe called, then Lil' Tony, then Mike Delgado Jr. came.",
            [("person", "Little Joe"), ("person", "Lil' Tony"), ("person", "Mike Delgado Jr.")],
        ),
        # phone numbers and ids read out digit by digit, and dates said aloud
        ("her number is five five five, one two one two", [("phone", "five five five, one two one two")]),
        (
            "call five five five eight six seven five three oh nine",
            [("phone", "five five five eight six seven five three oh nine")],
        ),
        ("My badge is four four seven one.", [("id_number", "four four seven one")]),
        ("He was born March third, nineteen eighty-four.", [("date", "March third, nineteen eighty-four")]),
        (
            "born on the fourth of July, two thousand three",
            [("date", "the fourth of July, two thousand three")],
        ),
        # a birthday said aloud needs no year after its cue
        ("he was born on March third", [("date", "March third")]),
        # a hospital named for its saint ("St. [PERSON-1]'s" was left before)
        (
            "St. Mary's took him, then Saint Vincent's.",
            [("address", "St. Mary's"), ("address", "Saint Vincent's")],
        ),
        # an e-mail address read out with its domain's dots written, or a name's parts with "underscore"
        ("my email is jsmith at gmail.com if you need it", [("email", "jsmith at gmail.com")]),
        (
            "it's john underscore smith at gmail dot com",
            [("email", "john underscore smith at gmail dot com")],
        ),
        ("her email, j smith at county dot gov.", [("email", "j smith at county dot gov")]),
        # ...but with written dots and no cue, "at" before a link is the sentence's
        ("You can look at our stats at sheriff.example.us/reports.", [("url", "sheriff.example.us/reports")]),
        # badge, case and run numbers as they are said
        ("my badge number's 4471.", [("id_number", "4471")]),
        ("his badge is like 4-4-7-1.", [("id_number", "4-4-7-1")]),
        ("the run number was 2024-0412.", [("id_number", "2024-0412")]),
        (
            "case number two zero two three dash four one two",
            [("id_number", "two zero two three dash four one two")],
        ),
        # a year of birth that says the person is over 89, and a birthday's short year
        ("she was born in 1962, he was born in 1931.", [("date", "1931")]),
        ("he was born April 2nd, '61.", [("date", "April 2nd, '61")]),
        # a hospital named "... General" (not the Attorney General, nor County General)
        (
            "Mercy General, then Mercy General Hospital. The Attorney General, the Dollar General, County General.",
            [("address", "Mercy General"), ("address", "Mercy General Hospital")],
        ),
        # formats found before too: they stay found
        (
            "Call 555.867.5309 or (555) 867-5309 ext 12.",
            [("phone", "555.867.5309"), ("phone", "(555) 867-5309 ext 12")],
        ),
    ],
)
def test_places_lower_case_names_ages_nicknames_and_spoken_numbers(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # meeting numbers are no one's phone, and no id
        "Join Zoom Meeting, Meeting ID: 845 2231 0987, passcode 553311.",
        "Webex meeting number 2785 123 456. Personal Meeting ID: 555 201 3344.",
        # holds, codes and counts
        "We did a 5150, then a 72-hour hold under the Baker Act. CIT rolled code 3, I said 10-4.",
        "He was 17 at the time. I'd say 90 percent end without arrest, maybe 95 on a good month.",
        "the score was 92 and then 95. I have one two three things to say, one two.",
        # the interview's own day, places that are no one's: states, interstates, generic roads
        "Today is Tuesday, March 5, about 2:15. We met on the second of the month.",
        "He was on I-95 heading north, out of Georgia. Main Street was closed.",
        "The Drug Court and the Mental Health Court meet in the County building. It's a long road.",
        "Our Street Crimes Unit does that. We drove through Cotton country to Stabilization.",
        "The Big Brothers program is a big deal.",
        # lower-case roads and counties need a name that is no word; "drive" is mostly a verb
        "we live in the county, our county, a rural county. the back road, main street, the fast lane.",
        "they'd drive out there, it's a fifty-minute drive, they'll drive him. we went to button it up.",
        # surnames of the lists that are said as words
        "he was a dick about it, no shit sherlock. we moved from new york. bueno, the pinto beans.",
        "On St. Patrick's Day it's busy. He's at home at noon, at work by one.",
        "he was wearing a brown jacket, the fair was on, and the bridge was out",
    ],
)
def test_ordinary_police_and_crisis_talk_stays_clean(text):
    assert found(text) == []


def test_spoken_digits_where_lower_case_changes_the_length():
    # "İ" lower-cases to two characters: the offsets must still hold, and capitals still count
    assert found("İstanbul. Call Five five five, one two one two now.") == [
        ("phone", "Five five five, one two one two")
    ]


def test_a_webex_user_number_is_an_id_not_a_phone():
    text = 'WEBVTT\n\n3 "KP36" (2785123456)\n00:00:11.850 --> 00:00:16.000\nSometimes.\n'
    assert found(text) == [("id_number", "2785123456")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a town named as people are, after a word of place: a place, not a person
        ("We got a call out in Clayton last week.", [("address", "Clayton")]),
        ("Clayton's car was parked out front.", [("person", "Clayton")]),
        ("so we called in Kevin from nights", [("person", "Kevin")]),
        # a hospital named by its name alone, where the words around say it is one
        ("EMS took him to Mercy and he was there overnight.", [("address", "Mercy")]),
        ("they took her over to Mercy, the ER there is good", [("address", "Mercy")]),
        ("he's over at Grady, up in the psych ward", [("address", "Grady")]),
        ("she was over at St. Joe's for a week", [("address", "St. Joe's")]),
        ("the ER sent him to Intake, then we had to Baker him", []),
        ("the hospital switched him to Haldol", []),
        ("EMS took him to Trauma, then up to Neuro, the ER was slammed", []),
        # a first name in lower case alone, after with/told/called/asked, that is no English word
        ("i was riding with mike that night", [("person", "mike")]),
        ("so i told kevin to call it in", [("person", "kevin")]),
        ("we dealt with grace and patience, called dispatch, asked around", []),
        ("he was high, he was with molly all night, we called kaiser", []),
        # "Young Adult" names a program; "Tom Hall" is a person, no hall
        ("she works on the Young Adult unit with the Juvenile team", []),
        ("Tom Hall was the sergeant that night", [("person", "Tom Hall")]),
        ("we met at Carver Hall, then Grace Church and Hope House", []),
        # places inside a facility are no identifiers
        ("we put him on unit 4B, room 412, bed 12", []),
    ],
)
def test_known_misses_of_the_last_pass(text, expected):
    assert [(f.category, f.text) for f in scan_text(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KP04 follow-up\nMarch 3, 2024 · 45 min\n\nSpeaker 1  0:03\nhi", []),
        ("Date: 3 March 2024\nInterviewer: hi", []),
        ("Interview date: March 3, 2024, 2:15 PM\nInterviewer: hi", []),
        ("---\nid: P07\ndate: 2024-03-03\n---\nP07: hi", []),
        ("Title\nJanuary 24, 2024, 3:03PM\n\nDana Whitfield  0:03\nHi", [("person", "Dana Whitfield")]),
        # still found: a date of birth in the header, a date in a turn, a date line after the first turn
        ("DOB: March 3, 1984\nInterviewer: hi", [("date", "March 3, 1984")]),
        ("Date: 3 March 2024\nP07: he was born March 3, 1984", [("date", "March 3, 1984")]),
        ("P07: it was March 3, 2024 when it happened", [("date", "March 3, 2024")]),
        ("Interviewer: hi\nDate: 3 March 2024", [("date", "3 March 2024")]),
        ("Interviewer: When?\nMarch 3, 2024", [("date", "March 3, 2024")]),
        ("March 3, 2024", [("date", "March 3, 2024")]),
    ],
)
def test_the_interviews_own_date_in_its_header_passes(text, expected):
    assert [(f.category, f.text) for f in scan_text(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "In the urban departments officer urban areas came up twice.",  # "Urban" is a Polish surname
        "The officer fit the description they gave us.",
        "And the deputy rode with us to the unit.",
        "He was a good officer cop, if you know what I mean.",
    ],
)
def test_an_english_word_after_a_title_is_no_surname_of_the_wider_lists(text):
    # The lists of Polish, Italian, German... surnames hold English words ("urban", "rode", "fit", "cop"):
    # after a title in lower case they were read as names, and a study of rural and urban agencies had its
    # transcripts refused.
    assert scan_text(text) == []


def test_surnames_of_the_wider_lists_are_still_found_after_a_title():
    found = [(f.category, f.text) for f in scan_text("Then officer kowalski showed up, and deputy hanson.")]
    assert found == [("person", "kowalski"), ("person", "hanson")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a city whose name has no town's ending, after a word of place
        ("the guy had just moved to Fresno from out of state", [("address", "Fresno")]),
        ("his sister was up in Sacramento, she called it in", [("address", "Sacramento")]),
        ("we drove him all the way to Salt Lake City", [("address", "Salt Lake City")]),
        ("he was in denver visiting his brother", [("address", "denver")]),
        ("a guy from Dallas, a runaway", [("address", "Dallas")]),
        # a city that is a first name only after in/near/past, where no one is believed in or changed
        ("there's no crisis unit up in Tyler", [("address", "Tyler")]),
        ("I saw a real change in Clayton after CIT week", [("person", "Clayton")]),
        ("I see a lot of myself in Marcus, honestly", [("person", "Marcus")]),
        # a hospital named alone after a verb that takes a person there, no hospital's word near
        ("they took him to Mercy again and sent him home", [("address", "Mercy")]),
        ("we brought her over to Parkland and sat with her", [("address", "Parkland")]),
        ("they shipped him to Kaiser in the end", [("address", "Kaiser")]),
        ("they shipped him\nto Kaiser in the end", [("address", "Kaiser")]),  # a hard-wrapped line
        ("we transferred him to Bridgeway for the week", [("address", "Bridgeway")]),
        ("we took him to saint joseph's and they kept him", [("address", "saint joseph's")]),
        # the last four of a social security number; a first name in lower case after who the person is
        ("the last four of his social were 6789, he knew it", [("ssn", "6789")]),
        ("his case manager tonya called me back", [("person", "tonya")]),
        ("a guy named dwayne walks by there every day", [("person", "dwayne")]),
        # a town after "over at", a city before its police; named treatment centres, schools, apartments
        ("she's over at Lakeview now, in a group home", [("address", "Lakeview")]),
        ("Austin Police came, and mutual aid from Fresno PD", [("address", "Austin"), ("address", "Fresno")]),
        ("the Salt Lake City Police were there", [("address", "Salt Lake City")]),
        ("he lives at the Pinecrest apartments", [("address", "Pinecrest apartments")]),
        (
            "they took him to Lakeside Behavioral Health Center",
            [("address", "Lakeside Behavioral Health Center")],
        ),
        (
            "he was at Riverside Regional, then Crossroads Crisis Center",
            [("address", "Riverside Regional"), ("address", "Crossroads Crisis Center")],
        ),
        (
            "he goes to Lincoln Elementary School, she to Jefferson High",
            [("address", "Lincoln Elementary School"), ("address", "Jefferson High")],
        ),
    ],
)
def test_cities_hospitals_alone_and_who_is_changed(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Most calls go to Dispatch, then to Crisis. He was in Intake by noon and went to Triage.",
        "We took him to Target for shoes, drove him to Juvie, took him to McDonald's after.",
        "They transferred him to Inpatient and sent the bill to Medicaid. We brought him to Corrections.",
        "We switched to Mobile Crisis in 2021. I was trained in Columbia protocol.",
        "honestly i believe in the program, he moved to outpatient, my mom told me so",
        "on saint patrick's day it gets busy. I believe in Tyler, he's a good deputy.",
        "The County Behavioral Health office and the Department of Mental Health run the Crisis Center.",
        "He dropped out of Junior High, then the High School took him back. The State Police and the County Police.",
        "I'm over at the Unit most days, and back at the Station on Fridays.",
    ],
)
def test_places_and_hospital_parts_in_ordinary_talk_stay_clean(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a date of care or of the incident without its year: Safe Harbor counts the month and day
        ("He was admitted on 3/14 and went home.", [("date", "3/14")]),
        ("We picked her up on March 14th.", [("date", "March 14th")]),
        ("She was discharged the 22nd of June.", [("date", "the 22nd of June")]),
        (
            "He was seen on March fourteenth, then on 14 March.",
            [("date", "March fourteenth"), ("date", "14 March")],
        ),
        (
            "He was arrested 12/3 and released on the 5th of May.",
            [("date", "12/3"), ("date", "the 5th of May")],
        ),
        ("On July 4th he was arrested.", [("date", "July 4th")]),
        # the year, when said, stays with the date
        ("He was admitted March 3, 1984.", [("date", "March 3, 1984")]),
        # ...but numbers that only look like a day, a month without its day, and the holiday are none
        ("Ever since March we've run a 24/7 line.", []),
        ("It's 50/50, and 3/4 of the calls are welfare checks; 2/3 of deputies have the training.", []),
        ("Since 9/11 the radios changed, and on 9/11 we hold a drill.", []),
        ("The 4th of July weekend is our worst, and over the Fourth of July the beds fill.", []),
        ("On July 4th weekend it doubles.", []),
        ("In March 2 nurses left. You may first call the warm line.", []),
        ("Today is Tuesday, March 5, and it's about 2:15.", []),
    ],
)
def test_a_date_without_its_year(text, expected):
    assert found(text) == expected


def test_a_date_without_its_year_in_the_header_passes_as_the_interviews_date():
    assert found("Date: March 3\n\nInterviewer: And on March 4 he was discharged?") == [("date", "March 4")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a hospital's name in the possessive before its own part
        ("The ambulance took him to Mercy's ER that night.", [("address", "Mercy's")]),
        ("They took him to Mercy's ER.", [("address", "Mercy's")]),
        # a listed hospital after "to" with the verb said once for the list, near a hospital's word
        (
            "Most transports go to Parkland, sometimes to Baptist if Parkland is on diversion.",
            # the second "Parkland", the subject of "is on diversion", is the hospital too
            [("address", "Parkland"), ("address", "Baptist"), ("address", "Parkland")],
        ),
        # ...but with no hospital's word near, "to" a listed name is no hospital
        ("I talked to Spectrum about the cable bill.", []),
        ("We went to Denny's Diner after the shift.", []),
    ],
)
def test_a_hospital_in_the_possessive_or_after_a_bare_to(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a town with no town's ending, off the list of cities, after a word of place
        ("We drove out to Marfa that night.", [("address", "Marfa")]),
        ("He grew up in Marfa.", [("address", "Marfa")]),
        ("In Marfa they have one deputy.", [("address", "Marfa")]),
        ("We moved to Marfa in 2019.", [("address", "Marfa")]),
        # a health system named as one, not a person
        ("She switched to Kaiser last year.", [("address", "Kaiser")]),
        ("Kaiser Permanente covers her.", [("address", "Kaiser Permanente")]),
        # a home named for a person, in the possessive: a place
        ("She stayed at Mary's House for a month.", [("address", "Mary's House")]),
        (
            "Mary Smith came by. Mary's House took her in.",
            [("person", "Mary Smith"), ("address", "Mary's House")],
        ),
        ("We went to Mary's house after.", [("person", "Mary")]),  # her house: a person
        # a day alone after a word that puts the person's date there
        ("He was admitted on the 14th, discharged on the 20th.", [("date", "14th"), ("date", "20th")]),
        ("On 3 March calls spiked.", [("date", "3 March")]),
        ("The call sign Adam-12 came on.", [("id_number", "Adam-12")]),
    ],
)
def test_towns_health_systems_homes_and_days_alone(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We had 3 March calls and 12 May shifts short.",  # counts, no dates
        "On the 14th he came back; the first of the month is rough.",  # a day alone: no one's date
        "He was admitted on the 4th floor.",
        "She was transferred in Crisis, then in Intake, now in Dispatch.",
        "We work in Mobile Crisis. He was in Sheriff custody.",
        "He served in Iraq. She charted it in Cerner. It's all in Spanish.",
        "She's in Narcan training and in CIT class; we went out on Tuesday in March.",
        "I talked to Costco about it. We met in Teams.",
        "I talked to Grady about it.",
    ],
)
def test_ordinary_talk_around_those_stays_clean(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # numbers as speech recognition writes them
        ("My badge number is 4 4 7 1.", [("id_number", "4 4 7 1")]),
        ("His badge was number 4471.", [("id_number", "4471")]),
        (
            "My cell's five-five-five-two-zero-one-three-three-four-four.",
            [("phone", "five-five-five-two-zero-one-three-three-four-four")],
        ),
        (
            "It's maria underscore lopez 83 at yahoo dot com.",
            [("email", "maria underscore lopez 83 at yahoo dot com")],
        ),
        # numbers of records the interviews name
        ("His Medicaid number is 1234567890.", [("id_number", "1234567890")]),
        ("The VIN was 1HGCM82633A004352.", [("id_number", "1HGCM82633A004352")]),
        ("His radio number is 2A14, my call sign was 2A16.", [("id_number", "2A14"), ("id_number", "2A16")]),
        # a house number and a street without its suffix, after "lives at"; a hospital named "Memorial"
        ("She lives at 1423 Elm and works downtown.", [("address", "1423 Elm")]),
        ("His address is 88 Pine.", [("address", "88 Pine")]),
        ("He was in the Baker wing at Grady Memorial.", [("address", "Grady Memorial")]),
    ],
)
def test_numbers_and_streets_as_transcripts_write_them(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "They moved him to 5 North. She lives on 3 acres. He stays at 2 Fridays a week.",
        "Happy Memorial Day, everyone. Veterans Memorial Stadium was full.",
        "A co-responder, a follow-up two-three times a week; unit 12 and unit 14 were there; case 4 of 5.",
    ],
)
def test_numbers_and_streets_in_ordinary_talk_stay_clean(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a call sign with a space: an id, not the person "Adam"
        ("We were Adam 12 that night.", [("id_number", "Adam 12")]),
        (
            "Lincoln 20 took the call, Charlie 3 was backing us.",
            [("id_number", "Lincoln 20"), ("id_number", "Charlie 3")],
        ),
        ("Dispatch sent X-ray 5 and Boy 2.", [("id_number", "X-ray 5"), ("id_number", "Boy 2")]),
        # ...whose word makes no later "adam" a name
        ("We were Adam 12 then. adam was a good car.", [("id_number", "Adam 12")]),
        ("Unit 14 responded to the call.", [("id_number", "14")]),
        # phone numbers said in pairs, with the letter O for zero; an extension alone
        ("Call me at 555 201 33 44.", [("phone", "555 201 33 44")]),
        ("Her number is 555-O1O2, his 555-2O1-3344.", [("phone", "555-O1O2"), ("phone", "555-2O1-3344")]),
        ("Call extension 4412 or ext. 12.", [("phone", "4412"), ("phone", "12")]),
        ("Ask for extension four four one two.", [("phone", "four four one two")]),
        # an intersection with a numbered road, whole
        ("At the intersection of Route 9 and Elm.", [("address", "Route 9 and Elm")]),
        ("Right at Elm Street and Highway 70.", [("address", "Elm Street and Highway 70")]),
        # a room number with the hospital and the day: it picks out the patient
        (
            "He was in room 412 at St. Mary's on March 3.",
            [("id_number", "412"), ("address", "St. Mary's"), ("date", "March 3")],
        ),
        # a town typed in lower case after a word of living there
        ("She grew up in marfa, then moved.", [("address", "marfa")]),
    ],
)
def test_call_signs_phones_intersections_rooms_and_lower_case_towns(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name and a count: the person, no call sign
        ("I told Mike 2 times already. I've known Sam 20 years.", [("person", "Mike"), ("person", "Sam")]),
        ("She was taking Delta 8 gummies. John 3:16 was on his sign.", [("person", "John")]),
        ("He was on Unit 4 at the hospital, unit 4 responded to meds well.", []),  # a ward
        ("He got an extension 30 days on the report.", []),
        ("The patient in bed 4 was calm; room 2 was a mess.", []),  # no hospital, no day
        (
            "We went to bed 2 hours later at St. Mary's on March 3.",
            [("address", "St. Mary's"), ("date", "March 3")],
        ),
        ("Up on 4 West, in the Baker wing.", []),  # floors and wings hold many patients
        ("We did it in lieu of jail, in situ.", []),
        ("We took Route 9 and Kevin drove.", [("address", "Route 9"), ("person", "Kevin")]),
    ],
)
def test_counts_wards_and_phrases_stay_as_they_were(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # towns whose names are English words or everyday first names, where the words say a place
        ("We had a call out in Hope last winter.", [("address", "Hope")]),
        ("The Liberty PD sent two units.", [("address", "Liberty")]),
        ("Then we drove to Eagle Pass with him.", [("address", "Eagle Pass")]),
        ("She grew up in Truth or Consequences.", [("address", "Truth or Consequences")]),
        ("I worked in Marshall for six years.", [("address", "Marshall")]),
        ("The Marshall Police Department has no CIT officer.", [("address", "Marshall")]),
        ("We drove to Eagle and back.", [("address", "Eagle")]),
        ("We get a lot of calls from Plain.", [("address", "Plain")]),
        # typed in lower case, as speech recognition writes them
        ("he lives out in hope.", [("address", "hope")]),
        ("we were up in liberty for the weekend", [("address", "liberty")]),
        ("the liberty police came out, then tulsa pd", [("address", "liberty"), ("address", "tulsa")]),
    ],
)
def test_towns_named_with_english_words(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I hope he gets better. There's hope in recovery; we live in hope that the funding comes.",
        "He was at liberty to leave. I took the liberty of calling his mom.",
        "It was plain to see. In plain clothes, out in plain sight, we look less scary.",
        "The marshall came with the warrant. The eagle on the patch. He's past hope.",
        "We have a mobile crisis team; the mobile police unit and the state police came out.",
        "In Hope House they do peer support. Statue of Liberty. We have Hope as a value.",
        "I believe in Hope. He made Eagle Scout. In truth, we don't have the staff.",
    ],
)
def test_english_words_that_name_towns_stay_words(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # radio call signs as transcribers type them, in lower case
        ("we were adam 12 that night", [("id_number", "adam 12")]),
        ("so 3 adam 12 was us, then adam-12 again", [("id_number", "3 adam 12"), ("id_number", "adam-12")]),
        ("tom 12 cleared the call", [("id_number", "tom 12")]),
        ("lincoln 20 took the call", [("id_number", "lincoln 20")]),
        # an ambulance's or an engine's number: the number, as a unit's
        ("Medic 7 showed up; medic seven transported him", [("id_number", "7"), ("id_number", "seven")]),
        ("on scene, engine 4 and ladder 2 came", [("id_number", "4"), ("id_number", "2")]),
        # the number said as words, with a radio's word near
        ("unit four was first on scene", [("id_number", "four")]),
        ("charlie two was backing us", [("id_number", "charlie two")]),
    ],
)
def test_call_signs_in_lower_case_and_apparatus(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the boy 12 was scared; he was young 20 something",  # everyday words, no radio's word near
        "we were on patrol, me and charlie two nights a week",  # a count
        "copy that, tom two minutes out. She was a medic 3 years.",
        "the ladder 2 feet from the wall; we took the x-ray 2 days later; delta 8 gummies",
        "she's in unit 4 at the hospital; one unit four times",
        "medic training was good; we had adam over for dinner",
    ],
)
def test_lower_case_words_and_counts_are_no_call_signs(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Spanish names carry both surnames: the second was left beside [PERSON-1]
        ("I talked to José Martínez García about it.", [("person", "José Martínez García")]),
        ("Maria Lopez Ortiz was the caseworker.", [("person", "Maria Lopez Ortiz")]),
        ("Juan Carlos Pérez Baca was there.", [("person", "Juan Carlos Pérez Baca")]),
        # ...and Spanish titles, also in lower case with the accent typed
        ("Señora García called again. Sra. Ortiz came.", [("person", "García"), ("person", "Ortiz")]),
        ("i called señora garcía", [("person", "garcía")]),
        ("and deputy garcía came out", [("person", "garcía")]),
        # a second word that is no surname, or an everyday word, ends the name
        ("Maria Lopez Thursday; Tom Smith Baker came.", [("person", "Maria Lopez"), ("person", "Tom Smith")]),
    ],
)
def test_spanish_double_surnames_and_titles(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a block said in words, or typed in lower case
        ("the twenty-three hundred block of Main", [("address", "twenty-three hundred block of Main")]),
        (
            "in the fourteen hundred block of fifth avenue",
            [("address", "fourteen hundred block of fifth avenue")],
        ),
        ("the hundred block of Elm", [("address", "hundred block of Elm")]),
        ("the 2300 block of main street", [("address", "2300 block of main street")]),
        ("the 2300 block of the street; the 100 block of houses; a block of cheese", []),
    ],
)
def test_blocks_said_in_words_or_lower_case(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a house number and its street typed in lower case
        ("1423 elm street apartment 4", [("address", "1423 elm street apartment 4")]),
        ("she's at 4410 north oak avenue, apt 2", [("address", "4410 north oak avenue, apt 2")]),
        ("he was 100 main street", [("address", "100 main street")]),
        ("she lives at 14 maple", [("address", "14 maple")]),
        # counts and measures on a road are none
        ("we went 2 miles down the road, a 2 lane road, the 5 mile road", []),
        ("about 5 houses down the street; 3 dirt roads; we had 2 good road trips", []),
        ("he stays at 2 motels; she lives at 40 percent; he lives on 3 acres", []),
    ],
)
def test_lower_case_house_numbers_and_streets(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a date of birth said as words, spaced digits, or with its month in lower case
        ("his date of birth is three fourteen eighty-four", [("date", "three fourteen eighty-four")]),
        ("DOB three slash fourteen slash eighty four", [("date", "three slash fourteen slash eighty four")]),
        ("date of birth oh three one four eighty four", [("date", "oh three one four eighty four")]),
        ("date of birth 3 14 84", [("date", "3 14 84")]),
        ("he was born march 14 1984", [("date", "march 14 1984")]),
        ("his birthday's march fourteenth", [("date", "march fourteenth")]),
        # a year alone, counts and the cue alone are none
        ("he was born in eighty-four, born two months early, born and raised here, twenty years", []),
        ("the date of birth field was blank; born in march; his birthday party was fun", []),
    ],
)
def test_dates_of_birth_said_aloud(text, expected):
    assert found(text) == expected


def test_a_surname_alone_as_a_speaker_label_is_a_name():
    text = "Kowalski: We got the call.\nWhitfield (00:01:02): Yes.\n  Bubba  0:05\nSo it was late.\n"
    # on the lists of surnames, once is enough; on no list, a label said once may be a header's key
    assert found(text) == [("person", "Kowalski")]
    turns = text + "Whitfield (00:01:09): And then?\nBubba  0:12\nWe left.\n"
    assert [f for f in found(turns) if f[0] == "person"][:3] == [
        ("person", "Kowalski"),
        ("person", "Whitfield"),
        ("person", "Bubba"),
    ]
    assert found("Fecha: 3 de abril\nLugar: Estación\nRedaction: none\nKowalski: Sí.\n") == [
        ("person", "Kowalski")
    ]


def test_a_surname_that_is_an_everyday_spanish_word_is_the_word_in_a_spanish_transcript():
    # "durante" and "flores" are surnames of the lists: in a Spanish answer they are words, in English talk
    # as speech recognition types it they stay names; a surname that is no Spanish word is found in both.
    spanish = (
        "Técnica: Llegó el equipo y hablamos con él durante cuarenta minutos, pero los de la unidad no "
        "tenían camas para una persona así, y como siempre nos fuimos por el camino largo con las flores "
        "del mercado. Después kowalski llamó."
    )
    assert found(spanish) == [("person", "kowalski")]
    assert found("so me and flores went back, and durante called") == [
        ("person", "flores"),
        ("person", "durante"),
    ]


def test_role_labels_stay_clean_in_english_and_spanish():
    text = (
        "Interviewer: Okay.\nParticipant (00:00:03): Sure.\nFacilitator  0:05\nCo-Responder: Yes.\n"
        "Entrevistadora: Bueno.\nParticipante: Sí.\nNote: loud room.\nDemographics: none.\nTimestamp: 0:05\n"
    )
    assert found(text) == []
    # Said on every turn, as a speaker's label is: a Spanish transcript's roles are no names either.
    spanish = "".join(
        f"Entrevistadora: ¿Y luego?\n{role}: Sí.\n"
        for role in ("Técnica", "Sargento", "Paramédico", "Trabajadora", "Psicóloga", "Madre")
    )
    assert found(text + text + spanish + spanish) == []
    assert found(spanish + "Whitfield: Sí.\nWhitfield: No.\n") == [("person", "Whitfield")] * 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("license plate 7-A-B-C-1-2-3", [("plate", "7-A-B-C-1-2-3")]),  # spelled out
        ("plate number is abc 1234, the tag was kdl 4482", [("plate", "abc 1234"), ("plate", "kdl 4482")]),
        ("tag team 12 times; plates of 2020 food; the tag was for 2020; plate is 1 2 3 4 5", []),
    ],
)
def test_plates_spelled_out_or_in_lower_case(text, expected):
    assert found(text) == expected


def test_named_clinics_and_homes_are_places_and_kinds_of_clinic_are_not():
    text = "We sent her to the Plain Community Clinic, then Sunrise Nursing Home and Hillcrest Care Center."
    assert found(text) == [
        ("address", "Plain Community Clinic"),
        ("address", "Sunrise Nursing Home"),
        ("address", "Hillcrest Care Center"),
    ]
    kinds = "the Methadone Clinic, the Free Clinic, the Urgent Care Clinic, the Mental Health Clinic, a Nursing Home"
    assert found(kinds) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on tiktok he's jayr2004", [("url", "jayr2004")]),
        ("his snapchat was kaylee.m", [("url", "kaylee.m")]),
        ("her insta is kaylee underscore m", [("url", "kaylee underscore m")]),
        ("his facebook was full of threats. snap was fine. her insta is private", []),
        ("on facebook he's posting all the time; the snapchat was sent at 2 am", []),
    ],
)
def test_handles_named_by_their_platform(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Everyone called him Junebug; a guy named Tripp.", [("person", "Junebug"), ("person", "Tripp")]),
        ("He goes by Bubba. His nickname was Smokey.", [("person", "Bubba"), ("person", "Smokey")]),
        ("We called Dispatch; they called him Sir; known as Medicaid; the unit is called Mobile Crisis.", []),
    ],
)
def test_nicknames_given_as_what_someone_is_called(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # call signs said as words, with no radio's word near, as Otter types them
        ("yeah we were adam twelve that night", [("id_number", "adam twelve")]),
        ("so i was adam twelve, working mids", [("id_number", "adam twelve")]),
        ("Adam Twelve was first on scene", [("id_number", "Adam Twelve")]),
        ("we were lincoln four that night", [("id_number", "lincoln four")]),
        ("we were lincoln 4 that night", [("id_number", "lincoln 4")]),
        ("unit charles two pulled up behind us", [("id_number", "charles two")]),
        # nicknames that are English words, after a cue said of a person or in quotes
        ("we call him Tiny", [("person", "Tiny")]),
        ("we call him Tiny because he's huge", [("person", "Tiny")]),
        ("a guy everybody calls Smokey", [("person", "Smokey")]),
        ('they call her "Peanut" at the shelter', [("person", "Peanut")]),
        ('"Bear" was on the call with me', [("person", "Bear")]),
        ("he goes by Bear. i couldn't bear it. Bear came back.", [("person", "Bear"), ("person", "Bear")]),
        ("we called her Mama Bear", [("person", "Mama Bear")]),
        ('they call him "bulldog"', [("person", "bulldog")]),
        ("a kid named Tiny, his street name was Smoke", [("person", "Tiny"), ("person", "Smoke")]),
        ("he went by the name Ghost", [("person", "Ghost")]),
        ("we were adam-twelve that night", [("id_number", "adam-twelve")]),
        ("she lives at 14 oak ct", [("address", "14 oak ct")]),
        ("the tag was alpha bravo 1234", [("plate", "alpha bravo 1234")]),
        # id numbers said in pairs or hundreds, and a year of birth said as words (over 89)
        ("his badge was forty four seventy one", [("id_number", "forty four seventy one")]),
        ("badge number forty-four seventy-one", [("id_number", "forty-four seventy-one")]),
        ("my badge number's like four hundred twelve", [("id_number", "four hundred twelve")]),
        (
            "the case number was twenty three dash zero zero four one two",
            [("id_number", "twenty three dash zero zero four one two")],
        ),
        ("he was born in nineteen twenty nine", [("date", "nineteen twenty nine")]),
        ("she was born nineteen oh five in ohio", [("date", "nineteen oh five")]),
        # lower-case house numbers on the suffixes that are everyday words, and "n main st"
        ("14 oak court", [("address", "14 oak court")]),
        ("she lives at 203 n main st and her mom too", [("address", "203 n main st")]),
        ("we went to 88 pine drive, apartment 3", [("address", "88 pine drive, apartment 3")]),
        ("it's 4410 wren way near the school", [("address", "4410 wren way")]),
        # plates read in the phonetic alphabet
        ("plate was alpha bravo charlie one two three", [("plate", "alpha bravo charlie one two three")]),
        ("the plate was alpha bravo charlie 1 2 3", [("plate", "alpha bravo charlie 1 2 3")]),
        (
            "i ran the tag, it was adam boy seven four four two, came back stolen",
            [("plate", "adam boy seven four four two")],
        ),
    ],
)
def test_call_signs_nicknames_addresses_and_plates_said_as_people_say_them(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "i gave mike one; he was young twenty years ago",
        "she had one adam in her class; adam one time asked me; john three sixteen",
        "we call it the bin. what we call a 5150. they called him Sir. i'll call him Monday.",
        'a dog named Bear; the place known as Hope House; we called Dispatch; what we call "the bin"',
        '"Safe" was the word they used; hit the "Help" button and it said no',
        "14 hours, 3 court dates, two court orders, she had 2 drug court sessions, a 40 min drive",
        "a 3 bedroom place, it was a 2 hour drive, we had 3 test drives, 2 different ways, a 4 way stop",
        "a 3 star place, we had 2 psych dr appointments, he was in 3 drug court.",
        "his plate was mike and then some numbers; the tag was one two three; tag team one two three four five",
        "we ran plates all night, one two three times; the plate was a one two three four",
        "he had 2 head ct scans; the plate was alpha 12; tag was kilo one two; a dog named Bear",
        "i've had my badge for twenty years; the badge was twenty; in case forty people call",
        "with the patient twenty four seven; born in nineteen eighty four; born two months early",
        # words of address and descriptions after a nickname's cue
        'we call them Frequent flyers; we called her Ma\'am; he goes by Mister; "Nobody" said anything',
    ],
)
def test_counts_things_and_words_stay_clean(text):
    assert found(text) == []


def test_a_name_and_a_count_said_as_words_are_no_call_sign():
    # the name after "told", "asked", "with", "me and" is found as a name; the count is no call sign
    text = (
        "i told adam two things; i asked david twelve questions; we worked with tom ten years; me and mike one "
        "night we went out"
    )
    assert found(text) == [("person", "adam"), ("person", "david"), ("person", "tom"), ("person", "mike")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # intersections typed in lower case, as speech recognition writes them
        ("we met him at 3rd and main", [("address", "3rd and main")]),
        ("we met him at 3rd and main street, by the bus stop", [("address", "3rd and main street")]),
        ("the corner of fifth and elm, he was just standing there", [("address", "fifth and elm")]),
        ("at the corner of alvarado and sunset", [("address", "alvarado and sunset")]),
        ("he was on colfax and 5th again", [("address", "colfax and 5th")]),
        ("we staged at 14th & federal", [("address", "14th & federal")]),
        ("he was over on federal and alameda", [("address", "federal and alameda")]),
        ("so yeah at 15th and curtis he was", [("address", "15th and curtis")]),
        # a house number, a direction and a street without its suffix
        ("he was at 1400 e colfax by the liquor store", [("address", "1400 e colfax")]),
        ("he was at 1400 E Colfax by the liquor store", [("address", "1400 E Colfax")]),
        ("she's at 220 west main now", [("address", "220 west main")]),
        # a street said after a place on it
        ("he spent the night at the county jail on 5th", [("address", "5th")]),
        ("the motel on colfax, room whatever", [("address", "colfax")]),
        ("the ER on colfax was full", [("address", "colfax")]),
        ("the samaritan house on lawrence", [("address", "lawrence")]),
        ("the shelter on main street by the church", [("address", "main street")]),
        # a saint's place without its apostrophe or in lower case
        ("we took him to st joes", [("address", "st joes")]),
        ("they brought him over to st joe's", [("address", "st joe's")]),
        ("we took him to St Joes", [("address", "St Joes")]),
        ("he ended up at st. lukes", [("address", "st. lukes")]),
        # nicknames typed in lower case after a cue said of a person
        ("a guy by the name of ghost", [("person", "ghost")]),
        ("he goes by smiley", [("person", "smiley")]),
        ("she goes by peanut, everybody knows her", [("person", "peanut")]),
        ("everybody calls him smiley", [("person", "smiley")]),
        ("his street name was ghost", [("person", "ghost")]),
        ("we called him smokey because he smelled like it", [("person", "smokey")]),
        ("his name was tyrone", [("person", "tyrone")]),
        ("this guy named ghost, he was always out there", [("person", "ghost")]),
        ("he's known as ghost", [("person", "ghost")]),
        ("he goes by the nickname ghost", [("person", "ghost")]),
        ("they call him lil ghost", [("person", "lil ghost")]),
        # a word typed in lower case is that word elsewhere; a name is the name again
        ("his street name was ghost, and he was like a ghost after that", [("person", "ghost")]),
        ("the guys used to call him tyrone. tyrone was ok", [("person", "tyrone"), ("person", "tyrone")]),
        # a street after living on it, and a house number after "address" without "at"
        ("she lives on colfax, by the park", [("address", "colfax")]),
        ("his address was 22 elm", [("address", "22 elm")]),
        # id numbers said in groups, or with a pause typed as an ellipsis
        ("my badge number is 447 1", [("id_number", "447 1")]),
        ("my badge is 44 71", [("id_number", "44 71")]),
        ("his badge was like four four... seven one", [("id_number", "four four... seven one")]),
    ],
)
def test_streets_nicknames_and_numbers_as_people_say_them(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "at first and foremost we want safety; at first and then he calmed down; at first and i thought so",
        "on first and second shift we had calls; my first and main concern; in 3rd and 4th grade",
        "the intersection of race and policing; the intersection of mental health and policing",
        "at the corner of my eye and then; at church and school they know him; at third and long",
        "we went down main street and turned around; on the 1st and 15th of the month; at 1st and 10",
        "the station on first shift; the house on fire; the school on monday; the clinic on 5th floor",
        "he had 20 e coli cases; we drove 40 north to the county line; we had 30 west coast trainings",
        "i-70 east colfax is closed; it was 2 north dakota troopers; st patricks day; st of mind",
        "he went by quick; as time goes by; he went by there; he went by himself; she went by car",
        "they called him crazy; they called him back; we called her husband; they call her mom",
        "we called him out; he goes by his middle name; i'll call him monday; we called him ourselves",
        "took follow call him shift. the shift was long; then call him shift.",
        "he was on a 5150; section 12 of the statute; call 911 2 times; Unit 5 was there",
        "10-4, copy that",
        "we had 3 court dates; a dog named Bear; he was 45 years old; we got there at 3 and left at 5",
        "the name was familiar; his name is unknown; a dog named bear; a place known as the pit",
        "she lives on medicaid; he lives on his own; his address was 3 blocks away",
        "we went to washington and oregon; at church and school; to walmart and costco; at school and starbucks",
    ],
)
def test_ordinary_talk_around_streets_nicknames_and_numbers_stays_clean(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("his badge was one [ID-1]", [("id_number", "one")]),
        ("badge number four four [ID-1]", [("id_number", "four four")]),
        ("call me at 555-[PHONE-1]", [("phone", "555")]),
        ("his badge was [ID-1] 71.", [("id_number", "71")]),
        ("he lived at 1400 [ADDRESS-1]", [("address", "1400")]),
        ("his badge was [REDACTED] one", [("id_number", "one")]),
        # a count after the tag, a time stamp and a person's tag are no part of a number
        ("his badge was [ID-1] one more time he said", []),
        ("we saw [PERSON-1] two times; at 3 [inaudible 00:12:03] yeah", []),
    ],
)
def test_digits_left_beside_a_numbers_redaction_tag_are_found(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a house number and a street without its suffix, after a word of place
        ("he was at 1400 colfax when we got there", [("address", "1400 colfax")]),
        ("she's at 22 elm", [("address", "22 elm")]),
        ("We got dispatched to 1400 Colfax, the Walgreens there", [("address", "1400 Colfax")]),
        ("a welfare check at 3100 downing", [("address", "3100 downing")]),
        ("she was out off of 2200 federal.", [("address", "2200 federal")]),
        # a house number said as words, in hundreds
        ("fourteen hundred colfax", [("address", "fourteen hundred colfax")]),
        ("he was at fourteen hundred east colfax", [("address", "fourteen hundred east colfax")]),
        (
            "the address was like twenty three hundred federal boulevard",
            [("address", "twenty three hundred federal boulevard")],
        ),
        # a street after "off" or "off of" a place or living
        ("she lives off of federal", [("address", "federal")]),
        ("he stays off federal near the old sears", [("address", "federal")]),
        ("living in her car behind the walmart off of federal", [("address", "federal")]),
        # two streets named for people at a corner, in lower case or capitalised
        ("we met him at madison and jefferson", [("address", "madison and jefferson")]),
        ("we met him at Madison and Jefferson", [("address", "Madison and Jefferson")]),
        ("he was at madison and jefferson kind of wandering", [("address", "madison and jefferson")]),
        ("we met him on Federal and Alameda", [("address", "Federal and Alameda")]),
        ("the call was at Colfax and Broadway", [("address", "Colfax and Broadway")]),
        # a numbered street with its suffix and no house number
        ("his apartment at the clarion on 2nd avenue", [("address", "2nd avenue")]),
        ("a guy jumped off the 6th Avenue bridge", [("address", "6th Avenue")]),
        ("it was on 17th street", [("address", "17th street")]),
        # a health system or its hospital named by its city, in lower case too
        ("we transported him to denver health", [("address", "denver health")]),
        ("He was at Denver Health for three days", [("address", "Denver Health")]),
        ("we took him to banner health", [("address", "banner health")]),
        # a county named with a word or a first name, in lower case
        ("he had a warrant out of jefferson county", [("address", "jefferson county")]),
        # a nickname that is an adjective, in the present tense, after whoever names the person
        ("they call her tiny", [("person", "tiny")]),
        ("everybody calls her tiny because she's six foot", [("person", "tiny")]),
        ("they call him tiny", [("person", "tiny")]),
        ("they call them jojo", [("person", "jojo")]),
        # a street capitalised after a place on it; a first name after a greeting or "name was like"
        ("we got called to the motel on Federal, room 112", [("address", "Federal")]),
        ("the office on Broadway.", [("address", "Broadway")]),
        ("i said hey marcus it's officer lee", [("person", "marcus")]),
        ("hi tonya, it's the crisis team", [("person", "tonya")]),
        ("his name was like tyrone", [("person", "tyrone")]),
        # months typed in lower case with their day or their year, and a month with its year
        ("we found him on march 3rd", [("date", "march 3rd")]),
        ("on march third", [("date", "march third")]),
        ("on may first he got out", [("date", "may first")]),
        ("he was admitted june 14th", [("date", "june 14th")]),
        ("discharged on the 22nd of june", [("date", "the 22nd of june")]),
        ("back in june of 2019 we had a bad one", [("date", "june of 2019")]),
        ("back in June of 2019", [("date", "June of 2019")]),
        ("in may of 2020", [("date", "may of 2020")]),
        ("in august of twenty nineteen", [("date", "august of twenty nineteen")]),
        ("it all happened march 3, 1984 i think", [("date", "march 3, 1984")]),
    ],
)
def test_places_nicknames_and_dates_as_speech_recognition_types_them(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # "march" the verb, "may" the modal, a month alone, the holiday
        "we march in and grab him; they may call us back; you may first call the supervisor",
        "we march 2 miles; in march 2 officers quit; over the 4th of july weekend; it was like march or april",
        "we'll see, may be; he's the mayor; the may training was good; in june we did the training",
        # numbers after a word of place that are times, counts and measures
        "we got there at 1400 hours; at 1400 and he was calm; at 100 percent; we were at 40 calls a shift",
        "at 11 church was out; he was at 300 pounds; it went up to 1400 state troopers; at 40 federal agencies",
        "two hundred federal agents came; fourteen hundred dollars a night; fifteen hundred people at the march",
        # "off" that is no street, two street names that go on as schools, a street light
        "he lives off of disability; she lives off campus; the store off the highway; he lives off his mom",
        "i spoke at lincoln and washington high schools; the grant and federal money ran out",
        "a picture of Washington and Lincoln.",
        "the first street we tried was blocked; the 2nd street light was out",
        # "health" after a word or a kind of health, a nickname's cue that is a call or a description
        "mental health and public health; a mobile health unit; the general health of the community",
        "they call him crazy; they call her mom; we call her back; we call them regulars; we call him first",
        "we call them frequent flyers; they call her right away; they call them the twins",
        # a capitalised day or word after a place, a greeting before an everyday word
        "the school on Monday; the jail on Sunday; the station on First shift; she lives on Medicaid",
        "hey man how are you; hi there; hey grace",
    ],
)
def test_ordinary_talk_around_places_nicknames_and_dates_stays_clean(text):
    assert found(text) == []
