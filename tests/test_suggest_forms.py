"""Suggest on text as transcription services and Word write it: dashes and hyphens inside a word, acronyms
with full stops, clauses joined without a comma; and the evidence's source, the same in every run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import wei_qual
from wei_qual import suggest as core
from wei_qual.cli import app
from wei_qual.models import PARTICIPANT, Code, Codebook, Segment

FORMS = Codebook(
    "forms",
    "1",
    codes=(
        Code("coresponder", "Co-responder", keywords=("co-responder",)),
        Code("ed", "ED holding", keywords=("ER",)),
        Code("csu", "CSU", keywords=("CSU",)),
        Code("dv", "Domestic violence", keywords=("DV",)),
        Code("hold", "Hold", keywords=("51-50",)),
        Code("plain", "Plain number", keywords=("5150",)),
        Code("jail", "Jail", keywords=("jail",)),
        Code("bed", "Beds", keywords=("bed",)),
        Code("drunk", "Intoxication", keywords=("drunk", "alcohol")),
    ),
)


@pytest.fixture(scope="module")
def pipeline():
    return core.build_pipeline()


def suggested(pipeline, text, codebook=FORMS):
    """{code: [(evidence text, source, negated)]} for one text."""
    found = core.suggest_codes(
        [("t", Segment(1, "P", PARTICIPANT, text, 0, len(text)))], codebook, pipeline=pipeline, min_score=0
    )
    return {s.code: [(e.text, e.source, e.negated) for e in s.evidence] for s in found}


@pytest.mark.parametrize(
    ("text", "code", "evidence"),
    [
        ("we had a co–responder that night", "coresponder", "co–responder"),  # en dash
        ("we had a co—responder that night", "coresponder", "co—responder"),  # em dash
        ("we had a co\u2011responder that night", "coresponder", "co\u2011responder"),  # Word's no-break
        ("two co\u2010responders on days", "coresponder", "co\u2010responders"),  # the Unicode hyphen
        ("we took him to the E.R.", "ed", "E.R."),
        ("the E.R. was full again", "ed", "E.R."),
        ("both E.R.s were full", "ed", "E.R.s"),
        ("the C.S.U. took him", "csu", "C.S.U."),
        ("a D.V. call", "dv", "D.V."),
        ("he was on a 5150 hold", "hold", "5150"),  # "51-50" is written three ways
        ("he was on a 51 50 hold", "hold", "51 50"),
        ("he was on a 51-50 hold", "hold", "51-50"),
    ],
)
def test_a_word_as_transcribers_write_it_matches_the_keyword(pipeline, text, code, evidence):
    found = suggested(pipeline, text)
    assert [e[0] for e in found[code]] == [evidence]  # the text as stored


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("he was on a 51-50 hold", "plain"),  # the keyword "5150" is one word: write "51-50" for all three
        ("we took him, e.r., to the jail", "ed"),  # a filler in small letters, full stops or not
    ],
)
def test_what_stays_unmatched(pipeline, text, code):
    assert code not in suggested(pipeline, text)


def test_a_dash_between_two_words_still_ends_a_clause(pipeline):
    # An em dash written without spaces between two clauses is punctuation, not a hyphen.
    assert suggested(pipeline, "there was no bed—jail was it")["jail"] == [("jail", "keyword:jail", False)]


@pytest.mark.parametrize(
    ("text", "code", "negated"),
    [
        # Otter and Zoom join clauses without a comma: the negation stays in its clause
        ("There was no one there so jail was it", "jail", False),
        ("no beds so we went to jail", "jail", False),
        ("no beds so we went to jail", "bed", True),
        ("sometimes they won't take him because he's drunk", "drunk", False),
        ("they didn't take him cause he was drunk", "drunk", False),
        ("no beds and we went to jail", "jail", False),
        ("we didn't have a bed then we took him to jail", "jail", False),
        # ... but not after a cue, and not between two nouns
        ("He was not so drunk that he couldn't walk", "drunk", True),
        ("not because he was drunk", "drunk", True),
        ("there were no drugs and alcohol", "drunk", True),
        ("we don't take them to jail so much anymore", "jail", True),
    ],
)
def test_negation_across_clauses_joined_without_a_comma(pipeline, text, code, negated):
    assert [e[2] for e in suggested(pipeline, text)[code]] == [negated]


DRIVE = Codebook(
    "drive", "1", codes=(*FORMS.codes, Code("transport", "Transport", keywords=("drive", "take")))
)


@pytest.mark.parametrize(
    ("text", "code", "negated"),
    [
        # A denied thing, its verb, then a new subject: the cue does not reach the new clause's verb
        ("No beds means the deputies drive him two hours", "transport", False),
        ("No beds means the deputies drive him two hours", "bed", True),
        ("No beds means we drive him two hours", "transport", False),
        ("No beds means that the deputy has to drive him", "transport", False),
        ("nobody thought they would go to jail", "jail", False),
        # ... the negated neighbours stay negated
        ("no, he didn't drive", "transport", True),  # its own cue
        ("they won't take anybody drunk", "transport", True),
        ("they won't take anybody drunk", "drunk", False),
        ("No John took him", "transport", False),  # an answer, then a name
        ("No one took the guy to jail", "jail", True),  # "the guy": the verb's object, not a subject
        ("No one took the guy to jail", "transport", True),
        ("no one would drive him", "transport", True),
        ("There's no way they went to jail", "jail", True),  # no verb between "no way" and "they"
    ],
)
def test_a_new_subject_after_a_denied_things_verb_ends_the_negation(pipeline, text, code, negated):
    assert [e[2] for e in suggested(pipeline, text, DRIVE)[code]] == [negated]


HOLD = Codebook(
    "hold",
    "1",
    codes=(
        *FORMS.codes,
        Code("custody", "Hold or warrant", keywords=("hold", "warrant")),
        Code("arrest", "Arrest", keywords=("arrest",)),
    ),
)


@pytest.mark.parametrize(
    ("text", "code", "negated"),
    [
        # The cue denies the taking; the keyword says who is refused: the policy itself, not negated
        ("They won't take anybody drunk", "drunk", False),
        ("They won’t take anyone drunk, period.", "drunk", False),
        ("she said they don't take anyone on a hold", "custody", False),
        ("they won't take anybody with a warrant", "custody", False),
        ("they won't take anybody that's drunk", "drunk", False),
        ("they don't take anyone who's drunk", "drunk", False),
        ("they don't take people who are drunk", "drunk", False),
        ("We didn't arrest anybody drunk", "drunk", False),
        ("I don't know who took him to jail", "jail", False),  # "who" starts a clause
        # ... and so do a condition and a time: the refusal's condition is not denied
        ("They won't take him if he's drunk.", "drunk", False),
        ("They won't take him, not if he's drunk.", "drunk", False),
        ("They don't take them when they're drunk.", "drunk", False),
        ("We don't know whether he went to jail.", "jail", False),
        ("If he's not drunk they take him.", "drunk", True),  # the condition's own cue
        # ... and where the keyword is what is denied, it stays negated
        ("We didn't arrest anybody drunk", "arrest", True),
        ("we don't take anyone to jail", "jail", True),  # where he is taken: the taking is denied
        ("we don't let anybody go to jail", "jail", True),
        ("we don't put anyone on a hold", "custody", True),  # "on a hold" is where they are put
        ("he wasn't drunk", "drunk", True),
        ("there was nobody drunk", "drunk", True),  # "nobody" is the cue itself
        ("we don't have any beds", "bed", True),
        ("he was not that drunk", "drunk", True),
        # Where the refusal happens is not denied: the pronoun is the object, a place after it says where
        ("They won't take anybody drunk at the C.S.U.", "csu", False),
        ("They won't take anybody at the CSU", "csu", False),
        ("we didn't arrest anybody at the jail", "jail", False),
        # ... unless it is where they are taken, or where the verb says someone is
        ("we don't take anyone to the CSU", "csu", True),
        ("we don't take anyone in crisis to jail", "jail", True),  # "in crisis" says who, "to jail" where
        ("we don't keep anyone at the CSU", "csu", True),
        ("We don't have anybody in jail", "jail", True),
        # The keyword as what the verb takes is not told from "he doesn't take drugs": still negated
        ("They don't take drunks", "drunk", True),
    ],
)
def test_negation_denies_the_predicate_not_the_description_of_whom_it_applies_to(
    pipeline, text, code, negated
):
    assert [e[2] for e in suggested(pipeline, text, HOLD)[code]] == [negated]


LISTS = Codebook(
    "lists",
    "1",
    codes=(
        *FORMS.codes,
        Code("detox", "Detox", keywords=("detox", "shelter")),
        Code("hospital", "Hospital", keywords=("hospital",)),
    ),
)


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        # Every item of a negated list is denied, however long the list
        ("We don't have a CSU, a detox, or anything", {"csu": [True], "detox": [True]}),
        ("We don't have a CSU, a detox or a shelter", {"csu": [True], "detox": [True, True]}),
        (
            "We don't have a bed, a CSU, a detox, a shelter, or anything like that",
            {"bed": [True], "csu": [True], "detox": [True, True]},
        ),
        ("There's no CSU, no detox, or a hospital", {"csu": [True], "detox": [True], "hospital": [True]}),
        # A comma before a clause of its own is no list
        ("We didn't have a bed, jail and the ER were full", {"bed": [True], "jail": [False], "ed": [False]}),
        ("We didn't have a bed, jail was it", {"bed": [True], "jail": [False]}),
        ("no beds, and we went to jail", {"bed": [True], "jail": [False]}),
        ("No, the CSU and the ER took him", {"csu": [False], "ed": [False]}),
        ("We didn't have a bed, a deputy took him to jail", {"bed": [True], "jail": [False]}),
        ("We had a CSU, a detox, or a shelter", {"csu": [False], "detox": [False, False]}),
    ],
)
def test_every_item_of_a_negated_list_is_negated(pipeline, text, negated):
    found = suggested(pipeline, text, LISTS)
    assert {code: [e[2] for e in found[code]] for code in negated} == negated


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        # An answer "no", then the clause after it, as Otter and Zoom write it (no comma)
        ("No John took him to jail", False),
        ("No Deputy Ruiz took him to jail", False),
        ("No [PERSON-1] went to jail", False),  # a name as redaction writes it
        ("No uh we took him to jail", False),  # fillers before the subject
        ("no um well they went to jail", False),
        ("Oh no, no uh the deputy went to jail", False),
        # "no" quantifying: negated
        ("there was no uh jail", True),  # a filler inside the phrase "no" quantifies
        ("there was no Jail", True),  # mid-sentence: "no" quantifies the word after it
        ("No Jail would take him", True),  # the capital word is the match itself
        ("No jail would take him", True),
        ("No [inaudible] jail", True),  # a transcriber's gap, not a name
        ("No [INAUDIBLE] jail", True),
        ("No [NAME] went to jail", False),
    ],
)
def test_an_answer_no_before_a_name_or_a_filler_negates_nothing(pipeline, text, negated):
    assert [e[2] for e in suggested(pipeline, text)["jail"]] == [negated]


@pytest.mark.parametrize(
    ("text", "code", "negated"),
    [
        # A comma or dash around a filler or hedge, or before a false start said again, ends no clause
        ("He wasn't, uh, drunk.", "drunk", True),
        ("We never really, you know, arrested anybody.", "arrest", True),
        ("We didn't go to— to jail.", "jail", True),
        ("we didn't go to the, the jail", "jail", True),
        ("There was no, um, jail.", "jail", True),
        # ... but one after a word that can end the clause is between two clauses
        ("We didn't have a bed, uh, jail was it.", "jail", False),
        ("there was no bed, like, jail was it", "jail", False),
        ("No, uh, we went to jail.", "jail", False),  # an answer, a filler, then the clause
        ("He wasn't drunk, uh, jail was it.", "jail", False),
    ],
)
def test_a_verbatim_aside_or_false_start_stays_in_its_clause(pipeline, text, code, negated):
    assert [e[2] for e in suggested(pipeline, text, HOLD)[code]] == [negated]


@pytest.mark.parametrize(
    ("text", "code", "negated"),
    [
        # A question the speaker answers "no" at once denies what it asks: a participant echoing the
        # interviewer ("Jail? No.")
        ("Jail? No. We took him to the E.R.", "jail", True),
        ("Jail?\n\nNo. We took him to the E.R.", "jail", True),
        ("So, did they take him to jail? No he went home.", "jail", True),
        ("Was he drunk? Nope, he was sober.", "drunk", True),
        # ... not one answered otherwise, nor what follows the answer
        ("Did they take him to jail? Yeah they took him.", "jail", False),
        ("Would the CSU take him? Sometimes.", "csu", False),
        ("Jail? No. We took him to the E.R.", "ed", False),
        ("Was the E.R. full, no, was the jail full? Yes.", "jail", False),
    ],
)
def test_a_question_answered_no_at_once_is_negated(pipeline, text, code, negated):
    assert [e[2] for e in suggested(pipeline, text)[code]] == [negated]


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        # A cue in an expression that asserts the clause, or says it is usual, denies nothing
        ("Not only did he go to jail, he lost his apartment.", False),
        ("It's not just the jail, it's the ER too.", False),
        ("We don't just take them to jail.", False),
        ("It's not unusual to go to jail.", False),
        ("It isn't uncommon to go to jail.", False),
        ("No doubt he ended up in jail.", False),
        ("No wonder he ended up in jail.", False),
        # ... but an earlier cue still negates, and the others stay cues
        ("We don't take them to jail, not only because of that.", True),
        ("There's no way they went to jail.", True),
        ("We told him not to go to jail.", True),
        # A cue inside a hyphenated word is part of the word; "or not" offers an alternative
        ("It was the no-refusal jail.", False),
        ("a not-for-profit jail", False),
        ("whether or not he goes to jail", False),
        ("no jail, or not much of one", True),
        ("We never not only jail them.", True),  # an earlier cue
    ],
)
def test_a_cue_that_asserts_the_clause_negates_nothing(pipeline, text, negated):
    assert [e[2] for e in suggested(pipeline, text)["jail"]] == [negated]


def test_a_keyword_for_a_negated_policy_is_not_negated(pipeline):
    codebook = Codebook(
        "policy", "1", codes=(Code("drunk", "Intoxication", keywords=("drunk", "won't take ... drunk")),)
    )
    found = suggested(pipeline, "They won't take anybody drunk", codebook)
    assert found["drunk"] == [("won't take anybody drunk", "keyword:won't take ... drunk", False)]
    # The way for a refused kind the verb takes itself, which the negation cannot tell from "take drugs"
    codebook = Codebook(
        "policy", "1", codes=(Code("drunk", "Intoxication", keywords=("drunk", "don't take ... drunk")),)
    )
    found = suggested(pipeline, "They don't take drunks", codebook)
    assert found["drunk"] == [("don't take drunks", "keyword:don't take ... drunk", False)]


SAME_SPAN = (
    Code(
        "police",
        "Police",
        keywords=("officer", "=officer", "officers", "co-responder", "co responder", "arrest", "arrested"),
        patterns=([{"LOWER": "officer"}],),
    ),
)


@pytest.mark.parametrize("others", range(6))
def test_the_keyword_named_for_a_span_is_the_codebooks_and_no_other_codes_edit_moves_it(pipeline, others):
    # Unrelated codes before it move the matchers' internal order; the named keyword stays: the one that
    # matched as written, then the first the codebook lists, before a pattern.
    unrelated = tuple(Code(f"z{i}", f"Z{i}", keywords=(f"zebra{i}", f"yak{i}")) for i in range(others * 7))
    codebook = Codebook("same", "1", codes=unrelated + SAME_SPAN)
    text = "The officer and two officers, a co-responder and a co responder; they arrested him, an arrest."
    assert [(e[0], e[1]) for e in suggested(pipeline, text, codebook)["police"]] == [
        ("officer", "keyword:officer"),
        ("officers", "keyword:officers"),
        ("co-responder", "keyword:co-responder"),
        ("co responder", "keyword:co-responder"),
        ("arrested", "keyword:arrested"),  # as written, though "arrest" comes first
        ("arrest", "keyword:arrest"),
    ]


OTTER = """\
    Interviewer  0:04
    What happens when the crisis unit is full?

    Speaker 2  0:09
    No one was there so jail was it. We called the co–responder, the E.R. was full again, no beds so we went to jail.

    Interviewer  1:02
    And the officers?

    Speaker 2  1:10
    The officer and the co responder took him, two officers. They won't take anybody drunk at the C.S.U.
    The crisis unit, I mean.
    """

SEED_CODEBOOK = """\
    name: Seeds
    version: "1"
    codes:
      - id: police
        name: Police
        definition: Officers.
        keywords: [officer, "=officer", officers, co-responder, co responder, jail, jails, Jail]
        patterns:
          - [{LOWER: jail}]
      - id: capacity
        name: Capacity
        definition: Beds.
        keywords: [bed, beds, ER, CSU, crisis unit, crisis units, unit, drunk, "won't take ... drunk"]
    """


def test_stored_suggestions_and_their_export_are_the_same_under_any_hash_seed(runner, tmp_path):
    transcript = tmp_path / "p01.txt"
    transcript.write_text(textwrap.dedent(OTTER), encoding="utf-8")
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text(textwrap.dedent(SEED_CODEBOOK), encoding="utf-8")
    db = tmp_path / "project.db"
    assert runner.invoke(app, ["ingest", str(transcript), "--allow-pii", "--db", str(db)]).exit_code == 0
    assert runner.invoke(app, ["codebook", "load", str(codebook), "--db", str(db)]).exit_code == 0
    # One process per seed, running the commands as a user does: suggest, then suggestions list.
    script = (
        "import sys\nfrom wei_qual.cli import app\n"
        "for args in (['suggest'], ['suggestions', 'list', '--format', 'json']):\n"
        "    try:\n        app(args + ['--db', sys.argv[1]])\n    except SystemExit as ex:\n"
        "        assert not ex.code, ex.code\n"
        "    print('\\x00', flush=True)\n"
    )
    outputs = []
    for seed in ("1", "2"):
        copy = tmp_path / f"seed{seed}.db"
        for suffix in ("", "-wal", "-shm"):  # the project as it is, write-ahead log included
            if os.path.exists(f"{db}{suffix}"):
                shutil.copy(f"{db}{suffix}", f"{copy}{suffix}")
        # The wei_qual these tests import, whatever the working directory
        path = os.pathsep.join([str(Path(wei_qual.__file__).parents[1]), os.environ.get("PYTHONPATH", "")])
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": path}
        done = subprocess.run(
            [sys.executable, "-c", script, str(copy)], env=env, capture_output=True, check=False, timeout=120
        )
        assert done.returncode == 0, done.stderr.decode()
        outputs.append(done.stdout)
        assert b"Stored " in done.stderr  # the summary is a message: stderr
    assert outputs[0] == outputs[1]
    stored, export, _ = outputs[0].split(b"\x00\n")
    assert not stored  # suggest writes no data to stdout
    listed = json.loads(export)
    named = {(s["code"], e["text"], e["source"], e["negated"]) for s in listed for e in s["evidence"]}
    assert named >= {
        ("police", "jail", "keyword:jail", False),
        ("police", "co–responder", "keyword:co-responder", False),
        ("police", "co responder", "keyword:co-responder", False),
        ("police", "officer", "keyword:officer", False),
        ("police", "officers", "keyword:officers", False),
        ("capacity", "E.R.", "keyword:ER", False),
        ("capacity", "C.S.U.", "keyword:CSU", False),  # where they refuse, not what is refused
        ("capacity", "crisis unit", "keyword:crisis unit", False),
        ("capacity", "won't take anybody drunk", "keyword:won't take ... drunk", False),
    }


@pytest.mark.parametrize(
    ("text", "code", "evidence"),
    [
        # Otter splits one speaker's talk into blocks at pauses, and ingest joins them as paragraphs: a
        # break after a letter or digit and before a lower-case letter is inside a sentence
        ("We drove him to the C.S.U.\n\nbut they were full", "csu", ["C.S.U."]),
        ("we had a co\n\nresponder that night", "coresponder", ["co\n\nresponder"]),
        ("he was on a 51\n\n50 hold", "hold", []),  # a digit starts no continuation
        ("He was drunk\n\nand we took him to jail", "jail", ["jail"]),
        ("It was no\n\njail that night", "jail", ["jail"]),
        # A break after a full stop, or before a capital, or two blank lines, is a paragraph break
        ("we had a co\n\nResponder that night", "coresponder", []),
        ("we had a co.\n\nresponder that night", "coresponder", []),
        ("we had a co\n\n\nresponder that night", "coresponder", []),
    ],
)
def test_a_paragraph_break_inside_a_sentence_joins_it(pipeline, text, code, evidence):
    found = suggested(pipeline, text)
    assert [e[0] for e in found.get(code, [])] == evidence


def test_a_paragraph_break_inside_a_sentence_is_no_break_for_a_keyword_or_negation(pipeline):
    codebook = Codebook("p", "1", codes=(Code("csu", "CSU", keywords=("crisis stabilization unit",)),))
    text = "We didn't take him to the crisis stabilization\n\nunit, they were full."
    (suggestion,) = core.suggest_codes(
        [("t", Segment(1, "P", PARTICIPANT, text, 0, len(text)))], codebook, pipeline=pipeline
    )
    (evidence,) = suggestion.evidence
    assert (evidence.start, evidence.end) == (text.index("crisis"), text.index(","))
    assert evidence.text == "crisis stabilization\n\nunit" and evidence.negated
    # ... and not across a paragraph that ends its sentence
    text = "We called the crisis stabilization.\n\nunit two came."
    assert core.suggest_codes([("t", Segment(1, "P", PARTICIPANT, text, 0, len(text)))], codebook) == []


def test_an_otter_export_split_mid_sentence_is_matched_as_one_turn(pipeline, tmp_path):
    from wei_qual.ingest import parse_transcript

    path = tmp_path / "otter.txt"
    path.write_text(
        "Interviewer  0:03\nWhere did he go?\n\n"
        "Provider  0:12\nWe didn’t take him to the crisis stabilization\n\n"
        "Provider  0:15\nunit, they were full. Jail? No. We took him to the E.R.\n",
        encoding="utf-8",
    )
    transcript = parse_transcript(path)
    codebook = Codebook(
        "o",
        "1",
        codes=(
            Code("csu", "CSU", keywords=("crisis stabilization unit",)),
            Code("jail", "Jail", keywords=("jail",)),
        ),
    )
    turns = [("o", s) for s in transcript.segments if s.role == PARTICIPANT]
    found = {s.code: s.evidence for s in core.suggest_codes(turns, codebook, pipeline=pipeline)}
    (turn,) = [s for _, s in turns]
    for code, negated in (("csu", True), ("jail", True)):
        (evidence,) = found[code]
        assert evidence.negated is negated
        assert turn.text[evidence.start : evidence.end] == evidence.text
    assert found["csu"][0].text.replace("\n", " ").split() == ["crisis", "stabilization", "unit"]


FILLED = Codebook(
    "fillers",
    "1",
    codes=(
        Code("csu", "CSU", keywords=("crisis stabilization unit",)),
        Code("coresponder", "Co-responder", keywords=("co-responder",)),
        Code("ed", "ED holding", keywords=("emergency room",)),
    ),
)


@pytest.mark.parametrize(
    ("text", "code", "evidence"),
    [
        (
            "We called the crisis, uh, stabilization unit and they were full.",
            "csu",
            "crisis, uh, stabilization unit",
        ),
        ("So we took him to the crisis um stabilization unit.", "csu", "crisis um stabilization unit"),
        ("the crisis stabilization, um, units", "csu", "crisis stabilization, um, units"),  # on the lemma
        ("We had a co, um, responder that night", "coresponder", "co, um, responder"),
        ("to the emergency, uh, uh, room", "ed", "emergency, uh, uh, room"),
    ],
)
def test_a_keyword_matches_across_a_filler(pipeline, text, code, evidence):
    keyword = {c.id: c.keywords[0] for c in FILLED.codes}[code]
    assert suggested(pipeline, text, FILLED)[code] == [(evidence, f"keyword:{keyword}", False)]


@pytest.mark.parametrize(
    "text",
    [
        "the crisis, [inaudible], stabilization unit",  # a word is missing there
        "the crisis er stabilization unit",  # "er" is also every ER
        "In a crisis. Um, stabilization unit staff came",  # a sentence ends between
    ],
)
def test_a_keyword_does_not_match_across_other_things(pipeline, text):
    assert "csu" not in suggested(pipeline, text, FILLED)


# Keywords whose words spaCy's lemma table reads as another word (wei_qual.lemmas): "does" is "doe",
# "putting" "putt", "numbers" "number" and then "numb", "well" "good", "better" "well", "most" "much".
READ_WRONG = Codebook(
    "readings",
    "1",
    codes=(
        Code("welfare", "Welfare checks", keywords=("do a welfare check",)),
        Code("hold", "Holds", keywords=("put him on a hold",)),
        Code("numb", "Numbness", keywords=("numb",)),
        Code("list", "Resource lists", keywords=("list of numbers",)),
        Code("supportive", "Supportive", keywords=("better than we do", "need more of them", "works better")),
        Code("doe", "Unknown patient", keywords=("John Doe",)),
        Code("crisis", "Until a crisis", keywords=("until it's a crisis",)),
        Code("bed", "No bed", keywords=("there's no bed",)),
        Code("injury", "Injuries", keywords=("gunshot wound", "on the ground")),
    ),
)


@pytest.mark.parametrize(
    ("text", "code", "evidence"),
    [
        ("She does a welfare check on him every Friday.", "welfare", "does a welfare check"),
        ("Yeah, he does a welfare check when dispatch asks.", "welfare", "does a welfare check"),
        ("We did a welfare check on the house.", "welfare", "did a welfare check"),
        ("We ended up putting him on a hold.", "hold", "putting him on a hold"),
        ("After that call I just went numb for a week.", "numb", "numb"),
        ("They give them a list of numbers to call.", "list", "list of numbers"),
        ("There was a list of number after number.", "list", "list of number"),
        ("They de-escalate better than we do.", "supportive", "better than we do"),
        ("They handle it better than we did, honestly.", "supportive", "better than we did"),
        ("We need more of them on nights.", "supportive", "need more of them"),
        ("Honestly the co-responder model works better.", "supportive", "works better"),
        ("He came in as a John Doe.", "doe", "John Doe"),
        ("Nobody calls until it's a crisis.", "crisis", "until it's a crisis"),
        ("Nobody called until it was a crisis.", "crisis", "until it was a crisis"),
        ("Nobody calls until it’s a crisis.", "crisis", "until it’s a crisis"),
        ("There was no bed, so he went to jail.", "bed", "There was no bed"),
        ("there is no bed anywhere in the county", "bed", "there is no bed"),
        ("And there's no bed.", "bed", "there's no bed"),
        ("He had two gunshot wounds to the leg.", "injury", "gunshot wounds"),
        ("He was lying on the grounds of the clinic.", "injury", "on the grounds"),
    ],
)
def test_a_keyword_matches_its_forms_as_speech_means_them(pipeline, text, code, evidence):
    assert [e for e, _, _ in suggested(pipeline, text, READ_WRONG)[code]] == [evidence]


@pytest.mark.parametrize(
    "text",
    [
        "He gave her a list of numbers, and the numbers were all disconnected.",  # not "numb"
        "Well, it works well enough; well, better than nothing.",  # "well" is not "better" (nor "good")
        "Honestly we don't need most of them on nights.",  # "most" is not "more"
        "What John does is call dispatch first.",  # "does" is no "doe"
        "Until it has a crisis team, the county waits.",  # "'s" is not "has"
        "The gunshot wind chimes on the porch were loud.",  # "wind" is no "wound"
    ],
)
def test_a_keyword_does_not_match_another_word_the_table_folds_with_it(pipeline, text):
    found = suggested(pipeline, text, READ_WRONG)
    assert not found.get("numb") and not found.get("doe") and not found.get("crisis")
    assert not found.get("injury")
    assert [e for e, _, _ in found.get("supportive", [])] == []
