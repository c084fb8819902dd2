"""A document's segments: numbered sections (with the heading kept as the label) or paragraphs. Pure."""

from __future__ import annotations

import pytest

from wei_qual.ingest.sections import Block, follows, reference, section_start, split_sections


def blocks(*texts: str, heading: set[int] = frozenset(), page: int | None = None) -> list[Block]:
    return [Block(t, f"paragraph {i}", page, i in heading) for i, t in enumerate(texts, start=1)]


def test_numbered_headings_start_sections_with_their_text_below():
    sections = split_sections(
        blocks(
            "Crisis Stabilization Unit Admission Policy",
            "This policy is fictional.",
            "4 Admission",
            "4.1 Eligibility",
            "Adults in crisis are admitted at any hour.",
            "4.2 Exclusion criteria",
            "The unit does not admit a person who:",
            "1. is intoxicated to the point of needing medical monitoring;",
            "2. is actively violent.",
            "5 Review",
            "The policy is reviewed every year.",
            heading={1},
        )
    )
    assert [(s.label, s.number, s.paragraphs) for s in sections] == [
        ("Crisis Stabilization Unit Admission Policy", None, ["This policy is fictional."]),
        ("4.1 Eligibility", "4.1", ["Adults in crisis are admitted at any hour."]),
        (
            "4.2 Exclusion criteria",
            "4.2",
            [
                "The unit does not admit a person who:",
                # A numbered list inside a section is its text, not new sections (1 cannot follow 4.2).
                "1. is intoxicated to the point of needing medical monitoring;",
                "2. is actively violent.",
            ],
        ),
        ("5 Review", "5", ["The policy is reviewed every year."]),
    ]


def test_run_in_titles_and_sub_numbered_clauses_under_their_heading():
    sections = split_sections(
        blocks(
            "1. Purpose. This memorandum sets out how officers and clinicians respond together.",
            "3. Roles and responsibilities",
            "3.1 The clinician assesses the person.",
            "The officer drives.",
            "3.2 The officer secures the scene.",
            "Section 4 Dispatch",
            "Dispatch assigns the team.",
        )
    )
    assert [(s.label, s.text) for s in sections] == [
        ("1. Purpose", "This memorandum sets out how officers and clinicians respond together."),
        ("3.1 (3. Roles and responsibilities)", "The clinician assesses the person.\n\nThe officer drives."),
        ("3.2 (3. Roles and responsibilities)", "The officer secures the scene."),
        ("Section 4 Dispatch", "Dispatch assigns the team."),
    ]


def test_a_heading_on_the_first_line_of_a_text_paragraph():
    sections = split_sections(blocks("2 Scope\nThis policy applies to all staff.", "3 Review\nEvery year."))
    assert [(s.label, s.text) for s in sections] == [
        ("2 Scope", "This policy applies to all staff."),
        ("3 Review", "Every year."),
    ]


def test_without_numbered_sections_every_paragraph_is_a_segment_under_its_heading():
    sections = split_sections(
        blocks(
            "Referral protocol",
            "Officers call the unit before they arrive.",
            "The unit answers within ten minutes.",
            "Transport",
            "The county provides no transport.",
            "1. Persons who are intoxicated are not admitted.",
            heading={1, 4},
            page=3,
        )
    )
    assert [(s.label, s.page, s.text) for s in sections] == [
        ("Referral protocol", 3, "Officers call the unit before they arrive."),
        ("Referral protocol", 3, "The unit answers within ten minutes."),
        ("Transport", 3, "The county provides no transport."),
        ("Transport", 3, "1. Persons who are intoxicated are not admitted."),
    ]


def test_one_numbered_heading_is_not_enough_for_sections():
    sections = split_sections(blocks("1 Purpose", "Text one.", "Text two."))
    assert [(s.label, s.text) for s in sections] == [
        (None, "1 Purpose"),
        (None, "Text one."),
        (None, "Text two."),
    ]


@pytest.mark.parametrize(
    ("previous", "number", "expected"),
    [
        (None, (7,), True),
        ((4,), (4, 1), True),
        ((4, 1), (4, 2), True),
        ((4, 2), (5,), True),
        ((4, 2), (5, 1), True),
        ((4, 2), (4, 2, 1), True),
        ((4, 2), (4, 4), True),  # 4.3 missing (or not read as a heading): the sections go on
        ((3,), (5,), True),
        ((4, 2), (1,), False),  # back to 1: a list inside 4.2
        ((4, 2), (4, 2), False),
        ((4,), (4, 1, 1), False),  # two levels deeper at once
    ],
)
def test_which_number_can_follow(previous, number, expected):
    assert follows(previous, number) is expected


def test_what_starts_a_section():
    assert section_start(Block("4.2 Exclusion criteria", "x")).label == "4.2 Exclusion criteria"
    assert section_start(Block("§ 4.2 Exclusion criteria", "x")).number == (4, 2)
    assert section_start(Block("1. Persons who are intoxicated are not admitted.", "x")) is None
    assert section_start(Block("2025 was a hard year for the unit.", "x")) is None
    clause = section_start(Block("3.1 The agency shall provide a clinician.", "x"))
    assert (clause.label, clause.body, clause.titled) == (
        "3.1",
        "The agency shall provide a clinician.",
        False,
    )


def test_references():
    assert reference("4.2 Exclusion criteria", 3, 4, 5) == "§4.2"
    assert reference("3.1 (3. Roles and responsibilities)", None, None, 4) == "§3.1"
    assert reference("Referral protocol", 2, 2, 1) == "Referral protocol"
    assert reference(None, 2, 2, 1) == "p. 2"
    assert reference(None, 2, None, 1) == "p. 2"  # a project made before segments kept their end page
    assert reference(None, 3, 4, 1) == "pp. 3–4"  # a paragraph that runs onto the next page
    assert reference(None, None, None, 6) == "segment 6"


def test_a_section_ends_on_the_last_page_of_its_last_paragraph():
    # 2.2 starts on page 3; its second paragraph runs from page 3 onto page 4 (a PDF paragraph over a page
    # break), and 3 starts on page 4.
    blocks = [
        Block("2.1 Scope", "3:1", 3, heading=True),
        Block("This policy applies to every crisis call in the county.", "3:2", 3),
        Block("2.2 Exclusion criteria", "3:10", 3, heading=True),
        Block("The unit does not admit a person who is violent.", "3:11", 3),
        Block(
            "A person whose blood alcohol is over 0.08 is taken to the emergency department.",
            "3:30",
            3,
            end_page=4,
        ),
        Block("3 Transport", "4:5", 4, heading=True),
        Block("Officers transport in an unmarked car.", "4:6", 4),
    ]
    sections = split_sections(blocks)
    assert [(s.label, s.page, s.end_page) for s in sections] == [
        ("2.1 Scope", 3, 3),
        ("2.2 Exclusion criteria", 3, 4),
        ("3 Transport", 4, 4),
    ]
    by_paragraph = split_sections([Block("Referral", "1", 1, heading=True), blocks[4]])
    assert [(s.label, s.page, s.end_page) for s in by_paragraph] == [("Referral", 3, 4)]
