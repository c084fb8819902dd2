"""Suggest where the absence is the evidence: keywords that hold a negation ("no beds", "don't take"), a place
after a denied thing ("no bed at the CSU"), and the cue named in a negated span's evidence."""

from __future__ import annotations

import json

import pytest

from wei_qual import suggest as core
from wei_qual.models import PARTICIPANT, Code, Codebook, Evidence, Segment
from wei_qual.store.suggestions import evidence_json

ABSENCE = Codebook(
    "absence",
    "1",
    codes=(
        Code("capacity", "CSU capacity / no beds", keywords=("no beds", "full")),
        Code("refusal", "Admission barriers", keywords=("don't take", "won't take")),
        Code("intox", "Excluded: intoxication", keywords=("drunk", "don't take ... drunk")),
        Code("gap", "Not in crisis", keywords=("not in crisis", "nowhere to go")),
        Code("csu", "CSU", keywords=("CSU",)),
        Code("jail", "Jail", keywords=("jail",)),
    ),
)


@pytest.fixture(scope="module")
def pipeline():
    return core.build_pipeline()


def suggested(pipeline, text):
    """{code: [(evidence text, source, negated, cue)]} for one text."""
    found = core.suggest_codes(
        [("t", Segment(1, "P", PARTICIPANT, text, 0, len(text)))], ABSENCE, pipeline=pipeline, min_score=0
    )
    return {s.code: [(e.text, e.source, e.negated, e.cue) for e in s.evidence] for s in found}


@pytest.mark.parametrize(
    ("text", "code", "evidence"),
    [
        # The words after the keyword's cue, negated by another cue of the clause, are the keyword
        ("We didn't have any beds.", "capacity", ("didn't have any beds", "keyword:no beds")),
        ("The unit never has beds", "capacity", ("never has beds", "keyword:no beds")),
        ("There were no open psych beds", "capacity", ("no open psych beds", "keyword:no beds")),
        ("There were no beds", "capacity", ("no beds", "keyword:no beds")),
        ("They never take drunks", "refusal", ("never take", "keyword:don't take")),
        ("They cannot take him", "refusal", ("cannot take", "keyword:don't take")),
        ("They won't take him", "refusal", ("won't take", "keyword:won't take")),  # as written first
        ("They never take drunks", "intox", ("never take drunks", "keyword:don't take ... drunk")),
        ("He isn't really in crisis", "gap", ("isn't really in crisis", "keyword:not in crisis")),
        # A keyword that holds its negation is not negated by an earlier cue
        ("It's not that they won't take him", "refusal", ("won't take", "keyword:won't take")),
    ],
)
def test_a_keyword_that_holds_a_negation_finds_it_said_otherwise(pipeline, text, code, evidence):
    assert suggested(pipeline, text)[code] == [(*evidence, False, None)]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("We had beds", "capacity"),
        ("I'm not sure they take drunks", "refusal"),  # a subject between: the cue is not the taking's
        ("We don't go out to people and take them", "refusal"),  # a preposition between
        ("We don't respond to people in crisis", "gap"),
        ("He didn't want to go", "gap"),  # "nowhere" is a word of its own, not a cue before "to go"
        ("No, they take him", "refusal"),  # an answer, not a cue
    ],
)
def test_the_words_after_the_cue_alone_are_not_the_keyword(pipeline, text, code):
    assert code not in suggested(pipeline, text)


def test_a_keyword_without_a_cue_is_still_negated(pipeline):
    assert suggested(pipeline, "They weren't full")["capacity"] == [("full", "keyword:full", True, "weren't")]
    # "They don't take drunks": the keyword is what the verb takes, as in "he doesn't take his meds"
    assert suggested(pipeline, "They don't take drunks")["intox"] == [
        ("don't take drunks", "keyword:don't take ... drunk", False, None)
    ]


@pytest.mark.parametrize(
    ("text", "code", "negated"),
    [
        # "no" denies the thing; a place after it says where there was none
        ("There was no bed at the CSU.", "csu", False),
        ("There were no open beds in the CSU", "csu", False),
        ("No one at the CSU would take him", "csu", False),
        ("Nobody at the jail would talk to us", "jail", False),
        # ... but the place itself, where someone is taken, or where someone is not, stays denied
        ("There was no CSU in the county", "csu", True),
        ("There was no ride to the CSU", "csu", True),
        ("He was not at the CSU", "csu", True),
        ("We don't take anyone to the CSU", "csu", True),
    ],
)
def test_a_place_after_a_denied_thing_is_not_denied(pipeline, text, code, negated):
    assert [e[2] for e in suggested(pipeline, text)[code]] == [negated]


@pytest.mark.parametrize(
    ("text", "code", "cue"),
    [
        ("They don't take him to jail.", "jail", "don't"),
        ("He cannot go to jail", "jail", "cannot"),
        ("We never took him to jail", "jail", "never"),
        ("They don’t take him to jail.", "jail", "don’t"),  # as written
        ("Jail? No. We took him to the ER.", "jail", "No"),  # a question answered "no"
        ("We don't have a CSU, a detox, or anything", "csu", "don't"),
    ],
)
def test_a_negated_span_names_its_cue(pipeline, text, code, cue):
    ((_, _, negated, named),) = suggested(pipeline, text)[code]
    assert (negated, named) == (True, cue)


def test_the_cue_is_stored_and_read_back():
    spans = [
        {
            "start": 14,
            "end": 20,
            "text": "drunks",
            "source": "keyword:drunk",
            "negated": True,
            "cue": "don't",
        },
        {"start": 0, "end": 3, "text": "CSU", "source": "keyword:CSU", "negated": False, "cue": None},
    ]
    stored = evidence_json(spans)
    assert json.loads(stored) == [{**spans[0]}, {k: v for k, v in spans[1].items() if k != "cue"}]
    assert [Evidence(**e).cue for e in json.loads(stored)] == ["don't", None]
