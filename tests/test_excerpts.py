"""Excerpts: sentence numbering, phrases, the CSV cell and its checks, and how excerpts are shown."""

from __future__ import annotations

import pytest

from wei_qual.excerpts import (
    check_excerpts,
    describe,
    excerpt_text,
    find_phrase,
    format_excerpts,
    marked_html,
    marked_markdown,
    merge_spans,
    normalise,
    parse_excerpts,
    sentence_span,
    split_sentences,
)
from wei_qual.models import Excerpt

TURN = (
    "We took him to the unit. They said no, e.g. the beds were full! Dr. Lee agreed... "
    "[inaudible] Then we drove him to the jail.\n\nNext day? Nothing, nobody called."
)


def sentences(text):
    return [text[a:b] for a, b in split_sentences(text)]


def test_sentences_split_at_end_marks_and_blank_lines_but_not_abbreviations():
    assert sentences(TURN) == [
        "We took him to the unit.",
        "They said no, e.g. the beds were full!",
        "Dr. Lee agreed...",
        "[inaudible] Then we drove him to the jail.",
        "Next day?",
        "Nothing, nobody called.",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", []),
        ("   ", []),
        ("no end mark at all", ["no end mark at all"]),
        ('He said "no." Then he left.', ['He said "no."', "Then he left."]),
        ("Sgt. J. Ruiz called at 3 p.m. about it.", ["Sgt. J. Ruiz called at 3 p.m. about it."]),
        ("Wait… what?! Okay.", ["Wait…", "what?!", "Okay."]),
    ],
)
def test_sentence_edge_cases(text, expected):
    assert sentences(text) == expected


def test_sentence_span_takes_a_range_and_rejects_numbers_outside_the_turn():
    spans = split_sentences(TURN)
    start, end = sentence_span(spans, 2, 3)
    assert TURN[start:end] == "They said no, e.g. the beds were full! Dr. Lee agreed..."
    assert sentence_span(spans, 3, 2) == (start, end)  # typed backwards
    with pytest.raises(ValueError, match="sentences 1 to 6"):
        sentence_span(spans, 5, 7)


def test_phrases_ignore_case_and_spacing_and_report_every_place():
    found, problem = find_phrase(TURN, "nobody   CALLED")
    assert problem is None and [TURN[a:b] for a, b in found] == ["nobody called"]
    found, _ = find_phrase(TURN, "him")
    assert len(found) == 2
    missing = (
        '"a bed was free" is not in this turn (case, accents, quotes and spacing are ignored). Check the '
        "words, or type # to number the sentences and mark them: x ID 2-3."
    )
    assert find_phrase(TURN, "a bed was free") == ([], missing)


def test_cell_round_trip_and_normal_form():
    excerpts = normalise(
        [Excerpt("b", 10, 20), Excerpt("a", 0, 5), Excerpt("b", 15, 30), Excerpt("a", 40, 45)]
    )
    assert excerpts == (Excerpt("a", 0, 5), Excerpt("a", 40, 45), Excerpt("b", 10, 30))
    cell = format_excerpts(excerpts)
    assert cell == "a=0:5;a=40:45;b=10:30"
    checked = parse_excerpts(cell, codes={"a", "b"}, length=50)
    assert checked.problems == () and checked.excerpts == excerpts


def test_cell_problems_name_what_to_fix():
    checked = parse_excerpts("a=0:5; b=3-4 ;c=1:2;a=9:99;a=7:7", codes={"a", "b"}, length=50)
    assert checked.problems == (
        (
            'excerpt "b=3-4" is not CODE=start:end (character offsets in the segment, e.g. "csu-refusal=0:42"). '
            'Separate several with ";".'
        ),
        'excerpt for code "c", which the row does not apply. Add the code to codes, or remove the excerpt.',
        (
            "excerpt a=9:99 ends after the segment's text, which has 50 characters. Check the offsets against "
            '"wei-qual transcripts show".'
        ),
        "excerpt a=7:7 is empty or reversed. Give start < end (0 is the segment's first character).",
    )
    assert checked.excerpts == (Excerpt("a", 0, 5),)


def test_check_against_an_unknown_segment_checks_only_codes_and_order():
    assert check_excerpts([Excerpt("a", 5, 900)], codes={"a"}, length=None).problems == ()


def test_text_description_and_marking():
    spans = split_sentences(TURN)
    second = spans[1]
    assert describe(TURN, *second) == "sentence 2"
    assert describe(TURN, spans[1][0], spans[2][1]) == "sentences 2-3"
    assert describe(TURN, 0, 7) == '"We took"'
    assert excerpt_text(TURN, [spans[0], spans[4]]) == "We took him to the unit. … Next day?"
    assert merge_spans([(5, 9), (0, 3), (3, 4)]) == [(0, 4), (5, 9)]
    text = "Said *no* [twice]. Then left."
    assert marked_markdown(text, [(0, 18)]) == r"**Said \*no\* \[twice\].** Then left."
    assert marked_html("a <b> c", [(2, 5)]) == "a <mark>&lt;b&gt;</mark> c"


def test_a_paragraph_of_dashes_stays_text_in_a_markdown_quote():
    # A document section's "---" between its clauses became a horizontal rule in the quote.
    text = "Purpose\n\n---\n\n(a) Intake.\n\n= = ="
    assert (
        marked_markdown(text, [], paragraph="\n>\n> ")
        == "Purpose\n>\n> \\---\n>\n> (a) Intake.\n>\n> \\= = ="
    )
