"""`wei-qual search`: alternatives ("refuse | turn away") and contractions typed or written without their
apostrophe ("dont", "theyre"), on an Otter-style interview."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from wei_qual.cli import app
from wei_qual.errors import SearchError
from wei_qual.ingest import ingest_files
from wei_qual.search import search, segment_spans
from wei_qual.search.terms import UNSPLIT, WITHOUT_APOSTROPHE, lemma
from wei_qual.store import open_db

# Otter's export: name, time stamp, then the turn; "dont", "cant", "theyre" as speech-to-text and quick
# typists write them, "DON'T" in capitals for stress.
INTERVIEW = """\
Interviewer  0:02
What happens when the unit is full?

Dana Whitfield  0:09
They refused him twice last winter. The nurse turned him away, and the next night they turned away two more.

Interviewer  0:31
And then?

Dana Whitfield  0:35
I dont know. They cant take him and they wont, theyre not set up for it. It's the jail again.

Interviewer  1:02
Why not?

Dana Whitfield  1:05
They DON'T take intoxicated people, DONT ask me why. I can't say, and they're not sure either. We cannot hold him, we've got no beds.
"""


@pytest.fixture
def db(tmp_path, make_transcript):
    database = open_db(tmp_path / "words.db")
    ingest_files(database, [make_transcript(INTERVIEW, "P07.txt")], allow_pii=True)
    return database


def found(result):
    return [(h.segment, h.match) for h in result.hits]


def test_alternatives_find_either_and_each_hit_names_its_own(db):
    result = search(db, "refuse | turn away")
    assert [(h.segment, h.match, h.alternative) for h in result.hits] == [
        (2, "refused", "refuse"),
        (2, "turned away", "turn away"),  # a phrase: "turned him away" is not the words in a row
    ]
    assert result.words == ["refuse", "|", "turn", "away"]
    data = result.to_json()
    assert [r["alternative"] for r in data["results"]] == ["refuse", "turn away"]
    assert data["alternatives"] == [
        {"query": "refuse", "matched_as": ["refuse"], "hits": 1, "segments": 1},
        {"query": "turn away", "matched_as": ["turn", "away"], "hits": 1, "segments": 1},
    ]
    # Where two alternatives overlap, the one that starts first holds the place, then the longer.
    assert [(h.match, h.alternative) for h in search(db, "away | turn away").hits] == [
        ("away", "away"),
        ("turned away", "turn away"),
    ]
    # A query without | is as before: no alternative on its hits.
    assert search(db, "refuse").hits[0].alternative is None
    assert search(db, "refuse").to_json()["alternatives"] == []
    # The coding session's /WORDS reads them too.
    assert segment_spans(db, "refuse | jail") == {("P07", 2): [(5, 12)], ("P07", 4): [(82, 86)]}


@pytest.mark.parametrize("query", ["refuse |", "| refuse", "refuse || jail", "refuse | , "])
def test_an_empty_alternative_is_refused(db, query):
    with pytest.raises(SearchError, match=r"An alternative between the \| .* has no words"):
        search(db, query)


def test_the_cli_says_which_alternative_matched_in_every_format(db, tmp_path):
    path = str(tmp_path / "words.db")
    db.close()
    runner = CliRunner()
    table = runner.invoke(app, ["search", "refuse | turn away", "--db", path, "--wide"])
    assert table.exit_code == 0, table.stderr
    assert "alternative" in table.stdout and "turn away" in table.stdout
    assert table.stderr.endswith(
        "2 hits in 1 segment (matched as: refuse | turn away).\n"
        "refuse: 1 hit in 1 segment; turn away: 1 hit in 1 segment.\n"
    )
    rows = list(
        csv.reader(
            io.StringIO(runner.invoke(app, ["search", "refuse|jail", "--format", "csv", "--db", path]).stdout)
        )
    )
    assert rows[0] == [
        "transcript",
        "segment",
        "speaker",
        "role",
        "time",  # the hits' turns are timed: Otter's stamps (0:09)
        "left",
        "match",
        "right",
        "alternative",
        "codes",
    ]
    assert [(r[6], r[8]) for r in rows[1:]] == [("refused", "refuse"), ("jail", "jail")]
    md = runner.invoke(app, ["search", "refuse | jail", "--format", "md", "--db", path]).stdout
    assert "| segment | left | match | right | alternative | codes |" in md
    assert "refuse: 1 hit in 1 segment; jail: 1 hit in 1 segment." in md
    data = json.loads(
        runner.invoke(app, ["search", "jail | refuse", "--format", "json", "--db", path]).stdout
    )
    assert [(r["match"], r["alternative"]) for r in data["results"]] == [
        ("refused", "refuse"),
        ("jail", "jail"),
    ]


def test_a_contraction_typed_without_its_apostrophe_finds_it_both_ways(db):
    dont = [(4, "dont"), (6, "DON'T"), (6, "DONT")]
    assert found(search(db, "dont")) == dont  # was its lemma, "do": it found only the "do" of "dont"
    assert found(search(db, "don't")) == dont  # and "DON'T" in capitals, one token to spaCy
    assert found(search(db, "Dont")) == dont
    assert found(search(db, "cant")) == [(4, "cant"), (6, "can't")]
    assert found(search(db, "can't")) == found(search(db, "cant"))
    assert found(search(db, "wont")) == [(4, "wont")]
    assert found(search(db, "theyre")) == [(4, "theyre"), (6, "they're")]  # "re" is "'re" without it
    assert found(search(db, "they're")) == found(search(db, "theyre"))
    assert found(search(db, "weve")) == [(6, "we've")]
    assert found(search(db, "cannot")) == [(6, "cannot")]  # "can" + "not" to spaCy: it found nothing
    assert found(search(db, "dont ask")) == [(6, "DONT ask")]
    # =form keeps the spelling typed.
    assert found(search(db, "=dont")) == [(4, "dont"), (6, "DONT")]
    assert found(search(db, "=don't")) == [(6, "DON'T")]
    assert found(search(db, "=theyre")) == [(4, "theyre")]
    assert search(db, "dont").words == ["dont"]  # said as typed, not "do nt"


def test_its_and_id_stay_words():
    # "its" is no "it's", "id" an ID, "wed" a Wednesday: read as words, never split.
    assert WITHOUT_APOSTROPHE.isdisjoint({"its", "id", "im", "wed", "ill", "well", "were", "shed", "hell"})


def test_the_words_without_apostrophe_are_those_spacy_splits():
    # The index splits what spaCy's tokenizer splits: the list must follow it, or "dont" typed and
    # "dont" written part ways again.
    import spacy

    exceptions = spacy.blank("en").Defaults.tokenizer_exceptions
    split = {k for k, v in exceptions.items() if len(v) > 1 and k.isalpha() and k.islower()}
    assert split - WITHOUT_APOSTROPHE == set(UNSPLIT)
    assert all(tuple(t.text for t in spacy.blank("en").tokenizer(w)) == p for w, p in UNSPLIT.items())
    assert WITHOUT_APOSTROPHE <= split


def test_a_word_typed_closed_up_finds_it_hyphenated_never_as_two_words(tmp_path, make_transcript):
    # A co-responder program's interview, the compounds written every way a transcriber writes them.
    text = """\
    Interviewer: Who goes out on those calls?
    P12: The co-responder team, or the coresponder van as dispatch says, and the county e-mail calls them co responders. Follow-up is weak; the follow-ups never happen. Non-violent calls go to the clinician.
    Interviewer: Everyone agrees?
    P12: Not every one of them, no. Everyone in patrol does, now.
    """
    db = open_db(tmp_path / "compounds.db")
    ingest_files(db, [make_transcript(text, "P12.txt")], allow_pii=True)
    # Typed hyphenated, a word found closed up already; typed closed up, it now finds the hyphen too.
    assert found(search(db, "coresponder")) == [(2, "co-responder"), (2, "coresponder")]
    # Hyphenated, the last part is matched by its lemma; closed up, a word the lemma table does not know
    # is a prefix and a form it knows (co + responders), so the plural finds the singular too.
    assert found(search(db, "coresponders")) == [(2, "co-responder"), (2, "coresponder")]
    assert found(search(db, "followup")) == [(2, "Follow-up"), (2, "follow-ups")]
    assert found(search(db, "email")) == [(2, "e-mail")]
    assert found(search(db, "nonviolent")) == [(2, "Non-violent")]
    # Two words written apart are two words: "everyone" is not "every one", "coresponder" not "co responders".
    assert found(search(db, "everyone")) == [(3, "Everyone"), (4, "Everyone")]
    assert (2, "co responders") not in found(search(db, "coresponder"))
    # A phrase holds it too.
    assert found(search(db, "coresponder van")) == [(2, "coresponder van")]
    assert found(search(db, "followup is weak")) == [(2, "Follow-up is weak")]


def test_a_hit_in_a_document_says_its_section_and_the_pages_of_its_words(tmp_path):
    # A PDF MOU whose section 2 runs from page 1 onto page 2, and a Markdown policy without pages: a hit
    # in a 40-page policy must be citable, "B_mou:2" alone was not.
    from _pdfs import make_pdf
    from test_documents import MOU_PAGES, POLICY_MD

    docs = tmp_path / "documents"
    docs.mkdir()
    (docs / "A_policy.md").write_text(POLICY_MD, encoding="utf-8")
    make_pdf(
        docs / "B_mou.pdf", MOU_PAGES, header="Jurisdiction B co-responder MOU (fictional)", footer="{page}"
    )
    db = open_db(tmp_path / "docs.db")
    ingest_files(db, sorted(docs.iterdir()), kind="document")
    result = search(db, "mental health | welfare check | intoxicated", role="document")
    assert [(h.place(), h.match) for h in result.hits] == [
        ("A_policy:3, section 2 Exclusion criteria", "intoxicated"),
        ("B_mou:2, section 2 Dispatch, p. 1", "mental health"),  # the section is on pages 1–2
        ("B_mou:2, section 2 Dispatch, p. 2", "welfare checks"),
    ]
    data = result.to_json()["results"]
    assert [(r["section"], r["pages"]) for r in data] == [
        ("2 Exclusion criteria", None),
        ("2 Dispatch", "1"),
        ("2 Dispatch", "2"),
    ]
    rows = list(csv.reader(io.StringIO(result.csv())))
    assert rows[0][:6] == ["transcript", "segment", "speaker", "role", "section", "pages"]
    assert rows[3][:6] == ["B_mou", "2", "", "document", "2 Dispatch", "2"]
    assert "| B\\_mou:2, section 2 Dispatch, p. 2 |" in result.markdown()


# A police interview as Otter exports it: lower-case "id", "im" and "wed" as quick speech-to-text writes
# them, which spaCy splits as I'd, I'm and we'd.
POLICE = """\
Interviewer  0:04
What happens when you pick someone up?

Officer Reyes  0:11
First we check his id. Half the time theres no id on him, and id say he doesnt know his own address.

Interviewer  0:40
When was the last one?

Officer Reyes  0:44
On wed. Honestly wed have taken him to the ED, but im not sure they would take him. I'd have tried.
"""


def test_id_im_and_wed_are_found_written_as_words(tmp_path, make_transcript):
    db = open_db(tmp_path / "police.db")
    ingest_files(db, [make_transcript(POLICE, "P03.txt")], allow_pii=True)
    # Every one written, whatever it means: spaCy split them all, and `search id` found none.
    assert found(search(db, "id")) == [(2, "id"), (2, "id"), (2, "id")]
    assert found(search(db, "=id")) == found(search(db, "id"))
    assert found(search(db, "wed")) == [(4, "wed"), (4, "wed")]
    assert found(search(db, "im")) == [(4, "im")]
    assert found(search(db, "no id on him")) == [(2, "no id on him")]
    # After "his", "no", "on" it is the word, kept whole: the contraction and "I" do not find it there.
    assert found(search(db, "I'd")) == [(2, "id"), (4, "I'd")]
    assert found(search(db, "we'd")) == [(4, "wed")]
    # "I" finds the I of "id say" and "im not", never the "i" of "his id" (it did: the index split it).
    assert [(h.segment, h.start) for h in search(db, "I").hits] == [(2, 62), (4, 51), (4, 84)]


def test_number_and_unit_spellings_find_each_other(tmp_path, make_transcript):
    text = """\
Interviewer: How long do they hold people?
P05: A 72hr hold, the 72-hour hold as the statute says, though the form says 72 hr and the doctor said 72 hours. Some write 72hour. It takes a few hrs to clear, sometimes 1.5hrs, 30 mins or a 45 min wait, and 2 yrs ago it was 24h.
Interviewer: And HR?
P05: HR never asked about the hours.
"""
    db = open_db(tmp_path / "units.db")
    ingest_files(db, [make_transcript(text, "P05.txt")], allow_pii=True)
    seventy_two = [(2, "72hr"), (2, "72-hour"), (2, "72 hr"), (2, "72 hours"), (2, "72hour")]
    for query in ("72 hr", "72hr", "72-hour", "72 hour", "72hour", "72 hrs", "72 hours"):
        assert found(search(db, query)) == seventy_two, query
    assert found(search(db, "72 hr hold")) == [(2, "72hr hold"), (2, "72-hour hold")]
    # A wildcard on the unit of a number written on to it is on the unit ("72hr" is two index words).
    assert found(search(db, "72h*")) == seventy_two
    assert found(search(db, "=72hr")) == [(2, "72hr"), (2, "72 hr")]  # the short form only
    assert found(search(db, "30 minutes")) == [(2, "30 mins")]
    assert found(search(db, "45 minute")) == [(2, "45 min")]
    assert found(search(db, "2 years")) == [(2, "2 yrs")]
    assert found(search(db, "24 hours")) == [(2, "24h")]
    assert found(search(db, "1.5 hours")) == [(2, "1.5hrs")]
    assert (2, "72") in found(search(db, "72"))  # the number of "72hr" is a number
    # `hour` finds every hour written short after a number, and the plural anywhere ("a few hrs"); HR is
    # no hour. `hr` typed alone is HR or an hour's hr.
    assert [m for _, m in found(search(db, "hour"))] == [
        *("hr", "hour", "hr", "hours", "hour", "hrs", "hrs", "h", "hours"),
    ]
    assert found(search(db, "hours")) == found(search(db, "hour"))
    assert found(search(db, "hr")) == [(2, "hr"), (2, "hr"), (2, "hrs"), (2, "hrs"), (3, "HR"), (4, "HR")]


def test_unknown_compounds_follow_their_last_word():
    assert lemma("coresponders") == lemma("coresponder") == "coresponder"
    assert lemma("followups") == "followup"
    assert lemma("prescreened") == "prescreen"
    # No plain "drop the s": a surname is not its first name's plural.
    assert lemma("evans") == "evans" and lemma("williams") == "williams" and lemma("csus") == "csus"


# A police officer on a co-responder ride-along, as Otter writes it: "Doe" is a name the PII gate lets
# through (an allowlisted placeholder), "NEW" and "IT" capitals for stress and a department.
CALLS = """\
Interviewer  0:02
What does the clinician do on scene?

Officer Reyes  0:09
She does the assessment, I do the transport. Putting him in the car is the hard part, we put him in cuffs if we have to. He said he was dying, he said he wanted to die.

Interviewer  0:40
And injuries?

Officer Reyes  0:44
Stab wounds mostly. One wound was self-inflicted, he was wounded twice, and he wound up at County. They wind up there. The buildings on Fifth, that building, all the same call.

Interviewer  1:20
Who else?

Officer Reyes  1:24
John Doe calls, the NEW protocol, IT never set up the radios. It's his call and its own thing; ours too. The news said so.
"""


@pytest.fixture
def calls(tmp_path, make_transcript):
    database = open_db(tmp_path / "calls.db")
    ingest_files(database, [make_transcript(CALLS, "P09.txt")], allow_pii=True)
    return database


def test_does_putting_and_dying_are_the_verbs_speech_means(calls):
    # The lemma table reads "does" as the plural of "doe": `search does` found "Doe" and `search do` none
    # of the "does"; "putting" was "putt" and "dying" "dye", so `put` and `die` missed them.
    assert found(search(calls, "does")) == [(1, "does"), (1, "do"), (2, "does"), (2, "do")]
    assert found(search(calls, "does")) == found(search(calls, "do"))
    assert found(search(calls, "doe")) == [(6, "Doe")]
    assert found(search(calls, "put")) == [(2, "Putting"), (2, "put")]
    assert found(search(calls, "die")) == [(2, "dying"), (2, "die")]
    assert found(search(calls, "=does")) == [(1, "does"), (2, "does")]
    # The other short forms ending in s are read right by the table: no "wa", "ha", "i", "u" or "a".
    assert [lemma(w) for w in ("does", "was", "has", "is", "us", "as")] == [
        "do",
        "be",
        "have",
        "be",
        "us",
        "as",
    ]


def test_nouns_the_table_makes_forms_of_a_rare_verb_are_themselves(tmp_path, make_transcript):
    # "matter" was a form of "matt", "evening" of "even", "feed" of "fee", "wedding" of "wed": `search
    # matt` (a name) found "doesn't matter", `even` every "evening", `wed` (Wednesday) "the wedding".
    text = (
        "Interviewer: When?\n"
        "P15: Matt said it doesn't matter, these matters take all evening, most evenings even. We fed him "
        "from the feed line, no fee. It was after a wedding, on Wed.\n"
    )
    db = open_db(tmp_path / "nouns.db")
    ingest_files(db, [make_transcript(text, "P15.txt")], allow_pii=True)
    assert [h.match for h in search(db, "matt").hits] == ["Matt"]
    assert [h.match for h in search(db, "matter").hits] == ["matter", "matters"]
    assert [h.match for h in search(db, "even").hits] == ["even"]
    assert [h.match for h in search(db, "evening").hits] == ["evening", "evenings"]
    assert [h.match for h in search(db, "feed").hits] == ["fed", "feed"]
    assert [h.match for h in search(db, "fee").hits] == ["fee"]
    assert [h.match for h in search(db, "wed").hits] == ["Wed"]


def test_a_word_the_table_reads_as_another_also_finds_its_own_forms(calls):
    # "wound" is "wind" to the lemma table, though "wounds" and "wounded" are "wound": `search wound` missed
    # them, and `search wounds` missed "wound". The same for "building" ("build") and its plural.
    assert [m for _, m in found(search(calls, "wound"))] == ["wounds", "wound", "wounded", "wound", "wind"]
    # "wounds" is "wound", and finds "wound" where the table made it "wind", but not "wind".
    assert [m for _, m in found(search(calls, "wounds"))] == ["wounds", "wound", "wounded", "wound"]
    assert search(calls, "wound").words == ["wind or wound"]
    assert [m for _, m in found(search(calls, "wind up"))] == ["wound up", "wind up"]  # as before
    assert [m for _, m in found(search(calls, "building"))] == ["buildings", "building"]
    assert [m for _, m in found(search(calls, "buildings"))] == ["buildings", "building"]


def test_english_words_ending_in_s_are_no_acronym_plurals(calls):
    # Typed in small letters, "its", "his", "news", "ours" were read as the plurals of "IT", "HI", "NEW",
    # "OUR" in capitals: `search its` found "IT never set up" and `search news` "the NEW protocol".
    assert found(search(calls, "its")) == [(6, "its")]
    assert found(search(calls, "news")) == [(6, "news")]
    assert found(search(calls, "ours")) == [(6, "ours")]
    assert [search(calls, w).words for w in ("his", "its", "suspicious", "mous")] == [
        ["his"],
        ["its"],
        ["suspicious"],
        ["mous (or MOU/MOUs in capitals)"],
    ]


def test_an_index_that_read_does_as_doe_is_made_again(calls):
    assert (1, "does") in found(search(calls, "do"))
    # The index as version 10 wrote it ("does" under "doe"), under that version's name: misread, `do`
    # would miss every "does".
    for sid, terms in calls.execute("SELECT segment_id, terms FROM search_index").fetchall():
        old = terms.replace("do\x1fdoes", "doe\x1fdoes")
        calls.execute("UPDATE search_index SET terms = ? WHERE segment_id = ?", [old, sid])
    key = "search_index_version"
    version = calls.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()[0]
    calls.execute("UPDATE settings SET value = ? WHERE key = ?", ["10:" + version.split(":")[1], key])
    calls.conn.commit()
    assert found(search(calls, "do")) == [(1, "does"), (1, "do"), (2, "does"), (2, "do")]
    assert found(search(calls, "doe")) == [(6, "Doe")]


def test_or_and_not_typed_as_for_a_search_engine_are_said(calls, tmp_path):
    # "CSU OR ER", "wound NOT jail" and "wound -jail" were phrases: 0 hits, and nothing said why.
    result = search(calls, "stab OR wound")
    assert result.hits == [] and result.warnings == [
        (
            "OR in capitals is read as a word of the phrase: search has no OR, AND or NOT. For either of two "
            'words separate them with |: wei-qual search "stab | wound".'
        )
    ]
    assert search(calls, "wound NOT jail").warnings[0].endswith("pass --not CODE.")
    assert search(calls, "wound -jail").warnings == [
        (
            '"-jail" is read as the word "jail" of the phrase: search has no NOT. To leave out the segments a '
            "code was applied to, pass --not CODE."
        )
    ]
    # In small letters "or" and "not" are words of a phrase, as said; a lone capital word is a word.
    assert search(calls, "wound or").warnings == search(calls, "NOT").warnings == []
    assert [h.match for h in search(calls, "stab | wound").hits][:2] == ["Stab", "wounds"]  # as the tip says
    out = CliRunner().invoke(
        app, ["search", "stab OR wound", "--format", "json", "--db", str(tmp_path / "calls.db")]
    )
    assert out.exit_code == 0 and out.stderr.startswith("Warning: OR in capitals")
    assert json.loads(out.stdout)["warnings"] == result.warnings


HOSPITAL = """\
Interviewer  0:02
And the hospital?

Officer Reyes  0:06
Er, well, the ER, uh, the E.R. is the last stop. We take them to the ED, or, er, the emergency room. He's been to the ERs in both counties. Um, it's, er, slow. The ACT team came, not the Baker Act people; they took us to the OR.
"""


def test_a_short_word_typed_in_capitals_is_the_acronym(tmp_path, make_transcript):
    # `search ER` found every "er" of a pause and `ACT` every "Baker Act": typed in capitals, a short
    # word that is also an English word is found where written in capitals; the rest is said.
    db = open_db(tmp_path / "er.db")
    ingest_files(db, [make_transcript(HOSPITAL, "P12.txt")], allow_pii=True)
    result = search(db, "ER")
    assert [h.match for h in result.hits] == ["ER", "E.R.", "ERs"]
    assert result.words == ["ER (in capitals)"]
    assert result.warnings == [
        (
            'ER typed in capitals is found where written in capitals only: typed in small letters, "er" finds 3 '
            'more places, where "er" may be another word.'
        )
    ]
    assert [h.match for h in search(db, "er").hits] == ["Er", "ER", "E.R.", "er", "ERs", "er"]
    assert [h.match for h in search(db, "ACT").hits] == ["ACT"]
    assert [h.match for h in search(db, "OR").hits] == ["OR"] and [
        h.match for h in search(db, "US").hits
    ] == []
    assert [h.match for h in search(db, "the ER | ED").hits] == ["the ER", "the E.R.", "ED", "the ERs"]
    # An acronym that is no English word is found in any case, as before; a phrase typed in capitals is
    # caps lock.
    assert search(db, "ICU").words == ["icu"]
    assert [h.match for h in search(db, "BAKER ACT").hits] == ["Baker Act"]


def test_a_number_said_digit_by_digit_is_found_typed_whole(tmp_path, make_transcript):
    # Dispatchers and transcribers write "9-1-1": `search 911` missed it (three words to the index).
    text = (
        "Interviewer: Who calls?\n"
        "P14: The family calls 9-1-1, or 911 from the school, and now the 9\u20118\u20118 line. Room 9 1 1.\n"
    )
    db = open_db(tmp_path / "calls911.db")
    ingest_files(db, [make_transcript(text, "P14.txt")], allow_pii=True)
    assert [h.match for h in search(db, "911").hits] == ["9-1-1", "911"]
    assert [h.match for h in search(db, "calls 911").hits] == ["calls 9-1-1"]
    assert [h.match for h in search(db, "988").hits] == ["9\u20118\u20118"]
    assert [h.match for h in search(db, "=911").hits] == ["911"]
