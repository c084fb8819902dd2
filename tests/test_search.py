"""`wei-qual search`: lemma matching, phrases, wildcards, exact forms, the codes on each hit, filters, the
index (built once, rebuilt for changed segments) and the command's formats."""

from __future__ import annotations

import csv as csvmod
import io
import json
import time
import unicodedata

import pytest
from _qdpx_project import build_sample_project
from conftest import CODEBOOKS
from typer.testing import CliRunner

from wei_qual.cli import app
from wei_qual.codebook import load_into_project
from wei_qual.errors import SearchError
from wei_qual.ingest import ingest_files
from wei_qual.models import Decision
from wei_qual.search import ensure_index, parse_query, search, unindexed
from wei_qual.search.terms import index_version
from wei_qual.store import open_db, save_setting
from wei_qual.store.decisions import save_decision
from wei_qual.store.search import INDEX_SETTING

INTERVIEW = """\
Interviewer: What happens when the unit is full?
P21: They refused him twice last winter. The nurse kept refusing, and she refuses most nights when the beds are gone.
Interviewer: And then?
P21: Then it's the jail again. We won't take him home, he's got no home. Co-responder teams would help.
Interviewer: Anything else?
P21: The "refusal" letter came a week later, after he'd already been booked.
"""


@pytest.fixture
def project(tmp_path, make_transcript):
    db = open_db(tmp_path / "search.db")
    ingest_files(db, [make_transcript(INTERVIEW, "P21.txt")])
    load_into_project(db, CODEBOOKS / "wei_crisis_response.yaml")
    return db


def found(result):
    return [(h.transcript, h.segment, h.match) for h in result.hits]


def test_a_word_finds_every_form_of_its_lemma(project):
    result = search(project, "refuse")
    assert found(result) == [("P21", 2, "refused"), ("P21", 2, "refusing"), ("P21", 2, "refuses")]
    assert result.words == ["refuse"] and result.segments == 1
    assert found(search(project, "Refusing")) == found(result)  # any form, any case, finds them all
    hit = result.hits[0]
    assert (hit.left, hit.right[:20]) == ("They", "him twice last winte")
    assert hit.start == 5 and hit.end == 12


def test_phrases_wildcards_and_exact_forms(project):
    assert found(search(project, "refuse him")) == [("P21", 2, "refused him")]
    assert found(search(project, "refus*")) == [
        ("P21", 2, "refused"),
        ("P21", 2, "refusing"),
        ("P21", 2, "refuses"),
        ("P21", 6, "refusal"),  # quotes around it do not matter
    ]
    assert found(search(project, "=refusing")) == [("P21", 2, "refusing")]
    assert search(project, "b?d").hits == []  # a wildcard matches the whole word: "beds" has four letters
    assert found(search(project, "b?ds")) == [("P21", 2, "beds")]
    assert found(search(project, "co-responder team")) == [("P21", 4, "Co-responder teams")]
    # spaCy splits "won't" into "wo" + "n't"; a query with an apostrophe is split the same way.
    assert found(search(project, "won't take")) == [("P21", 4, "won't take")]
    assert found(search(project, "take him home")) == [("P21", 4, "take him home")]


def test_many_wildcards_in_a_word_match_a_long_word_in_linear_time(tmp_path, make_transcript):
    # Each `*` was [^ ]*, which tried every split of the word: this query took minutes on the URL.
    db = open_db(tmp_path / "url.db")
    url = "www.countycrisisresponsecoordinationnetwork.org"
    turn = f"P01: To the portal, {url}, mostly. The clinician answers."
    ingest_files(
        db, [make_transcript(f"Interviewer: Where do you refer people?\n{turn}\n", "P01.txt")], allow_pii=True
    )
    started = time.perf_counter()
    assert search(db, "*?*?*?*?*?*?*?*?*?*?*w").hits == []  # no word ends in "w"
    assert time.perf_counter() - started < 5
    assert [h.match for h in search(db, "*c*r*o*r*g").hits] == [url]
    assert [h.match for h in search(db, "c*?n*?n*").hits] == ["clinician"]


def test_bad_queries(project):
    with pytest.raises(SearchError, match="The query is empty"):
        parse_query("  ,  ")
    with pytest.raises(SearchError, match="matches every word"):
        parse_query("*")
    with pytest.raises(SearchError, match='--role "boss" is not one of'):
        search(project, "unit", role="boss")
    with pytest.raises(SearchError, match='Code "nope" is not in the active codebook'):
        search(project, "unit", codes=["nope"])


def test_hits_show_codes_and_filters_find_what_was_missed(project):
    save_decision(project, Decision("P21", 2, "alice", frozenset({"csu-capacity"})))
    save_decision(project, Decision("P21", 2, "bob", frozenset({"csu-capacity", "jail-fallback"})))
    save_decision(project, Decision("P21", 4, "alice", frozenset({"jail-fallback"})))
    result = search(project, "refuse")
    assert result.hits[0].codes == {"csu-capacity": ["alice", "bob"], "jail-fallback": ["bob"]}
    assert result.hits[0].codes_text() == "csu-capacity (alice, bob); jail-fallback (bob)"
    assert found(search(project, "jail", codes=["jail-fallback"])) == [("P21", 4, "jail")]
    assert found(search(project, "jail", codes=["justice-contact"])) == [("P21", 4, "jail")]  # a theme
    assert found(search(project, "refus*", not_codes=["csu"])) == [("P21", 6, "refusal")]
    assert found(search(project, "what", role="interviewer")) == [("P21", 1, "What")]
    assert search(project, "what", role="participant").hits == []


def test_the_index_is_built_once_and_follows_changed_segments(project):
    assert unindexed(project) == 6
    assert ensure_index(project) == 6
    assert unindexed(project) == 0 and ensure_index(project) == 0
    project.execute("UPDATE segments SET text = 'They declined him.' WHERE transcript_id = 'P21' AND n = 2")
    assert unindexed(project) == 1
    assert found(search(project, "decline")) == [("P21", 2, "declined")]
    assert search(project, "refuse").hits == []  # the old words are gone from the index


def test_indexing_batch_by_batch_starts_each_batch_where_the_last_ended(project, monkeypatch):
    # Each batch must not pass over every segment indexed so far: that made the first search of a
    # 10x project quadratic in its segments.
    from wei_qual.search import index

    monkeypatch.setattr(index, "BATCH", 4)
    statements: list[str] = []
    project.conn.set_trace_callback(statements.append)  # the SQL as run, parameters filled in
    assert ensure_index(project) == 6  # two batches and an empty third
    project.conn.set_trace_callback(None)
    batches = [sql for sql in statements if "LEFT JOIN search_index" in sql]
    assert len(batches) == 3
    for sql in batches:
        plan = " ".join(row[3] for row in project.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall())
        assert "USING INTEGER PRIMARY KEY (rowid>?)" in plan, plan
    # A segment changed below the last batch's start is found again by the next search.
    project.execute("UPDATE segments SET text = 'They declined him.' WHERE transcript_id = 'P21' AND n = 2")
    assert ensure_index(project) == 1
    assert found(search(project, "decline")) == [("P21", 2, "declined")]


def test_study_sample_groups_by_attribute(tmp_path_factory):
    db = build_sample_project(tmp_path_factory.mktemp("search") / "sample.db")
    result = search(db, "declin*", by="role")
    assert [(h.group, h.transcript, h.segment, h.match) for h in result.hits] == [
        ("provider", "P02", 8, "decline"),
        ("provider", "P02", 16, "declining"),
        ("(interviewer turns)", "P02", 9, "decline"),  # the interviewer's, not the provider's
    ]
    data = result.to_json()
    assert data["by"] == "role" and data["hits"] == len(result.hits)


def test_a_contraction_is_said_as_typed_not_as_its_pieces(project, tmp_path):
    # The index splits "won't" into "wo" and "not": the line said "matched as: wo not take".
    path = str(tmp_path / "search.db")
    project.close()
    runner = CliRunner()
    result = runner.invoke(app, ["search", "won't take", "--format", "json", "--db", path])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith("1 hit in 1 segment (matched as: won't take).\n")
    data = json.loads(result.stdout)
    assert data["matched_as"] == ["won't", "take"] and data["results"][0]["match"] == "won't take"
    # Curly apostrophe and quotes typed: the same words said; the other words still as their lemma.
    assert parse_query("“Won’t” took").words == ("won't", "take")
    assert parse_query("he's refusing").words == ("he's", "refuse")


def test_cli_formats(project, tmp_path):
    path = str(tmp_path / "search.db")
    project.close()
    runner = CliRunner()
    first = runner.invoke(app, ["search", "refuse", "--db", path])
    assert first.exit_code == 0
    assert first.stderr.startswith("Indexing 6 segments for search (once; later searches reuse the index)...")
    assert first.stderr.endswith("3 hits in 1 segment (matched as: refuse).\n")
    assert "refusing" in first.stdout and "P21:2" in first.stdout
    again = runner.invoke(app, ["search", "refuse", "--format", "json", "--db", path])
    assert again.stderr == "3 hits in 1 segment (matched as: refuse).\n"
    data = json.loads(again.stdout)
    assert [r["match"] for r in data["results"]] == ["refused", "refusing", "refuses"]
    csv = runner.invoke(app, ["search", "refus*", "--format", "csv", "--db", path]).stdout
    assert csv.splitlines()[0] == "transcript,segment,speaker,role,left,match,right,codes"
    md = runner.invoke(app, ["search", "refuse him", "--format", "md", "--db", path]).stdout
    assert "| P21:2 P21 | They | **refused him** | twice last winter." in md
    out = tmp_path / "hits.md"
    written = runner.invoke(app, ["search", "jail", "-o", str(out), "--db", path])
    assert written.exit_code == 0 and out.read_text().startswith("# Search: jail")
    # An index made by an earlier version (its words read otherwise) is made again, by itself, saying why.
    db = open_db(path, create=False)
    save_setting(db, INDEX_SETTING, "9:" + index_version().split(":")[1])
    db.close()
    again = runner.invoke(app, ["search", "refuse", "--db", path])
    assert again.exit_code == 0
    assert again.stderr.startswith(
        "Indexing 6 segments for search again: this version of wei-qual reads words differently (once; "
    )
    assert again.stderr.endswith("3 hits in 1 segment (matched as: refuse).\n")
    assert (
        runner.invoke(app, ["search", "refuse", "--db", path]).stderr == again.stderr.splitlines()[-1] + "\n"
    )


def test_interviewer_turns_are_a_group_of_their_own(tmp_path_factory):
    db = build_sample_project(tmp_path_factory.mktemp("search") / "sample.db")
    result = search(db, "civilian", by="role", transcripts=["P06"])
    assert [(h.group, h.segment, h.role) for h in result.hits] == [
        ("officer", 16, "participant"),
        ("officer", 36, "participant"),
        ("(interviewer turns)", 13, "interviewer"),
        ("(interviewer turns)", 17, "interviewer"),
    ]
    assert "## (interviewer turns) (2 hits)" in result.markdown()


def test_text_stored_decomposed_is_found_by_a_composed_query(tmp_path):
    # A transcript saved on a Mac can hold "café" as e + a combining accent (NFD); a typed query is
    # composed (NFC). Nothing matched, so `search café --not CODE` said, wrongly, that nothing was missed.
    turn = "P30: The café near the station turned him away. Naïve people think the café is a clinic."
    text = unicodedata.normalize("NFD", f"Interviewer: Where did you take him?\n{turn}\n")
    (tmp_path / "P30.txt").write_bytes(text.encode("utf-8"))
    db = open_db(tmp_path / "nfd.db")
    ingest_files(db, [tmp_path / "P30.txt"])
    load_into_project(db, CODEBOOKS / "wei_crisis_response.yaml")
    save_decision(db, Decision("P30", 2, "alice", frozenset({"csu-excluded-dangerous"})))
    stored = db.execute("SELECT text FROM segments WHERE transcript_id = 'P30' AND n = 2").fetchone()[0]
    assert "cafe\u0301" in stored  # kept as written
    db.close()
    runner = CliRunner()
    args = ["--format", "json", "--db", str(tmp_path / "nfd.db")]
    for query in ("café", unicodedata.normalize("NFD", "café"), "CAFÉ", "caf?", "naïve"):
        data = json.loads(runner.invoke(app, ["search", query, *args]).stdout)
        assert data["hits"] == (2 if query != "naïve" else 1), query
    data = json.loads(runner.invoke(app, ["search", "café", "--not", "csu-admission", *args]).stdout)
    assert data["hits"] == 2
    # Each hit's offsets are in the text as stored, on the whole word, accent included.
    for hit in data["results"]:
        assert stored[hit["start"] : hit["end"]] == hit["match"] == "cafe\u0301"
    first = data["results"][0]
    assert (first["left"], first["right"][:9]) == ("The", "near the ")
    naive = json.loads(runner.invoke(app, ["search", "naïve people", *args]).stdout)["results"][0]
    assert stored[naive["start"] : naive["end"]] == unicodedata.normalize("NFD", "Naïve people")


def test_has_as_and_clitics_find_only_themselves(tmp_path, make_transcript):
    # The lemma table gives "'s" the lemma "have", "'d" "would", "as" "a" and a lone "d" "have": `search
    # has` listed every "it's" and "officer's", and `search "such as"` found "such a".
    text = (
        "Interviewer: What did the unit say?\n"
        "P40: It’s the officer's call. The officer has a form, such as the intake sheet, and such a form "
        "had a box (d) he'd tick. He had been drinking. A number of numbers, numbing.\n"
    )
    db = open_db(tmp_path / "clitics.db")
    ingest_files(db, [make_transcript(text, "P40.txt")])
    load_into_project(db, CODEBOOKS / "wei_crisis_response.yaml")
    assert [h.match for h in search(db, "has").hits] == ["has", "had", "had"]
    assert [h.match for h in search(db, "officer has").hits] == ["officer has"]
    assert [h.match for h in search(db, "officer's").hits] == ["officer's"]
    assert [h.match for h in search(db, "it's").hits] == ["It’s"]  # curly or straight, as typed
    assert [h.match for h in search(db, "such as").hits] == ["such as"]
    assert [h.match for h in search(db, "he'd").hits] == ["he'd"]
    assert [h.match for h in search(db, "a").hits] == ["a", "a", "a", "A"]
    assert [h.match for h in search(db, "number").hits] == ["number", "numbers"]
    assert [h.match for h in search(db, "numbers").hits] == ["number", "numbers"]


def test_degrees_of_comparison_find_only_themselves(tmp_path, make_transcript):
    # The lemma table reads "better" and "best" as "well", "more" and "most" as "much", "worse" as
    # "wrong": `search better` listed every filler "well", and `search more` found "most".
    text = (
        "Interviewer: How has the co-responder team changed things?\n"
        "P41: Well, it works better than it did. Most nights we need more beds, not fewer. The worst calls "
        "went wrong at the door, and it got worse when the unit was full. It went well last week.\n"
    )
    db = open_db(tmp_path / "degrees.db")
    ingest_files(db, [make_transcript(text, "P41.txt")])
    load_into_project(db, CODEBOOKS / "wei_crisis_response.yaml")
    assert [h.match for h in search(db, "better").hits] == ["better"]
    assert [h.match for h in search(db, "well").hits] == ["Well", "well"]
    assert [h.match for h in search(db, "more").hits] == ["more"]
    assert [h.match for h in search(db, "most").hits] == ["Most"]
    assert [h.match for h in search(db, "wrong").hits] == ["wrong"]
    assert [h.match for h in search(db, "worse").hits] == ["worse"]


def test_a_code_a_version_renamed_names_its_new_id(project, tmp_path):
    # The old id was refused with only "check the ids", though retrieve and memos name the new one.
    text = (CODEBOOKS / "wei_crisis_response.yaml").read_text(encoding="utf-8")
    renamed = text.replace(
        "      - id: ed-holding\n", "      - id: ed-waits\n        renamed_from: ed-holding\n"
    )
    assert renamed != text
    (tmp_path / "v2.yaml").write_text(renamed.replace('version: "1.0"', 'version: "2.0"'), encoding="utf-8")
    load_into_project(project, tmp_path / "v2.yaml")
    with pytest.raises(SearchError) as caught:
        search(project, "unit", codes=["ed-holding"])
    assert str(caught.value) == (
        'Code "ed-holding" is not in the active codebook. A codebook version renamed or merged it into '
        '"ed-waits": pass --code ed-waits.'
    )
    with pytest.raises(SearchError, match='"ed-waits": pass --not ed-waits.$'):
        search(project, "unit", not_codes=["ed-holding"])
    assert search(project, "unit", codes=["ed-waits"]).hits == []


def test_a_code_filter_nobody_applied_is_said(project, tmp_path):
    # `--not CODE` is "what the coders missed": with a code nobody applied, every hit looked missed.
    said = (
        'No coder has applied "csu-capacity" to any segment (consensus included), so --not csu-capacity '
        "leaves no segment out."
    )
    assert search(project, "refuse", not_codes=["csu-capacity"]).warnings == [said]
    theme = search(project, "refuse", codes=["csu"]).warnings
    assert theme == [
        (
            'No coder has applied "csu" or a code under it to any segment (consensus included), so --code csu '
            "keeps no segment."
        )
    ]
    save_decision(project, Decision("P21", 4, "alice", frozenset({"csu-capacity"})))
    assert search(project, "refuse", not_codes=["csu-capacity"], codes=["csu"]).warnings == [
        (
            "The words are in 1 segment, which --code csu --not csu-capacity left out. Search without --code "
            "and --not to see it."
        )
    ]  # both codes applied now: only why the answer is empty
    project.execute("DELETE FROM decisions")
    project.close()
    runner = CliRunner()
    args = ["search", "refuse", "--not", "csu-capacity", "--db", str(tmp_path / "search.db")]
    result = runner.invoke(app, [*args, "--format", "json"], catch_exceptions=False)
    assert json.loads(result.stdout)["warnings"] == [said] and f"Warning: {said}\n" in result.stderr


def test_an_empty_answer_says_the_filter_left_the_words_out(project, tmp_path):
    # `search "won't take" --not CODE` on a new project said "0 hits in 0 segments": the words were in
    # two turns one coder had coded with CODE, and nothing said so; read as "nobody said it".
    save_decision(project, Decision("P21", 4, "alice", frozenset({"jail-fallback"})))
    save_decision(project, Decision("P21", 4, "bob", frozenset()))
    result = search(project, "won't take", not_codes=["jail-fallback"])
    said = (
        "The words are in 1 segment, which --not jail-fallback left out (some coder, consensus included, "
        "applied the code there). Search without --not to see it."
    )
    assert result.hits == [] and result.warnings == [said] and result.left_out == 1
    kept = search(project, "refuse", codes=["jail-fallback"])
    assert kept.hits == [] and kept.warnings == [
        (
            "The words are in 1 segment, which --code jail-fallback left out (no coder applied the code "
            "there). Search without --code to see it."
        )
    ]
    assert search(project, "refuse", not_codes=["jail-fallback"]).warnings == []  # hits: no warning
    project.close()
    args = ["search", "won't take", "--not", "jail-fallback", "--db", str(tmp_path / "search.db")]
    result = CliRunner().invoke(app, [*args, "--format", "json"], catch_exceptions=False)
    data = json.loads(result.stdout)
    assert data["warnings"] == [said] and data["left_out"] == 1 and f"Warning: {said}\n" in result.stderr


def test_a_non_breaking_or_unicode_hyphen_splits_a_word_as_a_hyphen_does(tmp_path, make_transcript):
    # Word's non-breaking hyphen (U+2011) and the Unicode hyphen (U+2010, PDFs) left "co-responder" one
    # word, which `search co-responder` never found.
    text = (
        "Interviewer: Who comes out?\n"
        "P41: The co\u2011responder team, and the co\u2010responder nurse. Follow\u2011up is a co-responder job.\n"
    )
    db = open_db(tmp_path / "hyphens.db")
    ingest_files(db, [make_transcript(text, "P41.txt")])
    load_into_project(db, CODEBOOKS / "wei_crisis_response.yaml")
    stored = db.execute("SELECT text FROM segments WHERE n = 2").fetchone()[0]
    hits = search(db, "co-responder").hits
    assert [h.match for h in hits] == ["co\u2011responder", "co\u2010responder", "co-responder"]
    assert [stored[h.start : h.end] for h in hits] == [h.match for h in hits]  # offsets of the text as stored
    assert [h.match for h in search(db, "co\u2011responder team").hits] == ["co\u2011responder team"]
    assert [h.match for h in search(db, "follow up").hits] == ["Follow\u2011up"]


def test_accents_never_matter_however_either_side_is_encoded(tmp_path):
    # A researcher types "cafe" and "Jose": `search cafe` did not find "café" (composed or decomposed).
    turn = "P31: José took him to the café. The Cafe was shut; Jose came back."
    for name, stored in (
        ("nfc", unicodedata.normalize("NFC", turn)),
        ("nfd", unicodedata.normalize("NFD", turn)),
    ):
        path = tmp_path / f"{name}.db"
        (tmp_path / "P31.txt").write_bytes(f"Interviewer: Where?\n{stored}\n".encode())
        db = open_db(path)
        ingest_files(db, [tmp_path / "P31.txt"], allow_pii=True)
        text = db.execute("SELECT text FROM segments WHERE n = 2").fetchone()[0]
        assert text == stored[len("P31: ") :]  # kept as written
        for query in ("cafe", "café", unicodedata.normalize("NFD", "CAFÉ"), "=cafe", "caf?"):
            hits = search(db, query).hits
            assert [text[h.start : h.end] for h in hits] == [h.match for h in hits], (name, query)
            assert [unicodedata.normalize("NFC", h.match) for h in hits] == ["café", "Cafe"], (name, query)
        assert [unicodedata.normalize("NFC", h.match) for h in search(db, "jose came").hits] == ["Jose came"]
        assert [unicodedata.normalize("NFC", h.match) for h in search(db, "Jose").hits] == ["José", "Jose"]
        db.close()


def test_letters_with_no_accent_to_drop_are_found_as_typed_on_an_english_keyboard(tmp_path, make_transcript):
    # "ł", "ø", "æ" and "ß" decompose to nothing: `search Lodz` missed "Łódź", typed as an analyst types it.
    turn = "P33: She moved from ŁÓDŹ to Łódź, then Ørsted Straße, near the Færøerne office. The ﬁle is gone."
    db = open_db(tmp_path / "letters.db")
    ingest_files(db, [make_transcript(f"Interviewer: Where?\n{turn}\n", "P33.txt")], allow_pii=True)
    text = db.execute("SELECT text FROM segments WHERE n = 2").fetchone()[0]

    def matches(query):
        hits = search(db, query).hits
        assert [text[h.start : h.end] for h in hits] == [h.match for h in hits]  # the text as stored
        return [h.match for h in hits]

    assert matches("lodz") == matches("Łódź") == matches("=lodz") == matches("l?dz") == ["ŁÓDŹ", "Łódź"]
    assert matches("orsted strasse") == matches("ørsted straße") == ["Ørsted Straße"]
    assert matches("faeroerne") == matches("fae*") == ["Færøerne"]
    assert matches("file") == ["ﬁle"]


def test_plurals_of_numbers_and_acronyms_and_words_wrapped_across_lines(tmp_path, make_transcript):
    # "5150s" and "CSUs" are in no lemma table, and a word hyphenated at a hard line wrap was two words
    # ("stabil-" and "ization"), so `search 5150`, `search CSU` and `search stabilization` missed them.
    text = (
        "Interviewer: Who comes out?\n"
        "P42: Most 5150s go to the CSUs, not the CSU in town. The co-\n"
        "responder team asks for crisis stabil-\n"
        "ization, and co-responders hospital-\n"
        "ize nobody. A bus is not this BUS. Its co-\n"
        "ordinator said every-\n"
        "one knows; everyone? It had Coresponder cars, co responder.\n"
    )
    db = open_db(tmp_path / "wrapped.db")
    ingest_files(db, [make_transcript(text, "P42.txt")])
    stored = db.execute("SELECT text FROM segments WHERE n = 2").fetchone()[0]

    def matches(query):
        hits = search(db, query).hits
        assert [" ".join(stored[h.start : h.end].split()) for h in hits] == [h.match for h in hits]
        return [h.match for h in hits]

    assert matches("5150") == matches("5150s") == ["5150s"]
    assert matches("CSU") == matches("csu") == matches("CSUs") == ["CSUs", "CSU"]
    # Typed in small letters, "csus" is the acronym's plural too where the text writes it in capitals
    # (it found "CSUs" only); "its" is no plural of every "it", nor "his" of "hi".
    assert matches("csus") == ["CSUs", "CSU"]
    # matched_as said "csus" alone, as if the capitals were not found too.
    assert search(db, "csus 5150s").words == ["csus (or CSU/CSUs in capitals)", "5150"]
    # A word of the lemma table ending in s, or one ending in "ss", is that word, no acronym's plural:
    # `search crisis` said "crisis (or CRISI/CRISIs in capitals)".
    assert [search(db, w).words for w in ("crisis", "access", "mous")] == [
        ["crisis"],
        ["access"],
        ["mous (or MOU/MOUs in capitals)"],
    ]
    assert matches("its") == ["Its"] and matches("it") == ["It"] and matches("thi") == []
    assert matches("bus") == ["bus", "BUS"] and matches("bu") == []  # a word's s is not a plural's
    assert matches("stabilization") == matches("stabil*") == ["stabil- ization"]
    assert matches("co-responder") == ["co- responder", "co-responders", "Coresponder", "co responder"]
    assert matches("co-responder team") == ["co- responder team"]
    assert matches("=co-responder") == ["co- responder", "Coresponder", "co responder"]
    assert matches("hospitalize") == ["hospital- ize"]
    assert matches("crisis stabilization") == ["crisis stabil- ization"]
    # Typed as two words, a word wrapped at its hyphen is found as it is with the hyphen typed; a word
    # written closed up is not two words ("every one" is not "everyone").
    assert matches("co responder") == ["co- responder", "co-responders", "co responder"]
    assert matches("co responder team") == matches("co-responder team")
    assert matches("every one") == ["every- one"] and matches("everyone") == ["every- one", "everyone"]
    assert matches("its co ordinator said") == ["Its co- ordinator said"]
    assert matches("stabil ization") == ["stabil- ization"] and matches("bil ization") == []
    # With a wildcard, two words typed find a wrapped word too, each word on its side of the wrap ("co
    # resp*" missed "co-⏎responder"); "c* ordinator" is not "co-⏎ordinator" wrapped after "co" alone.
    assert matches("co resp*") == ["co- responder", "co-responders", "co responder"]
    assert matches("co* responder") == ["co- responder", "co-responders", "co responder"]
    assert matches("c? ordin*") == ["co- ordinator"] and matches("c ordin*") == matches("cor* dinator") == []


def test_a_word_before_a_hyphen_and_a_space_or_line_break_is_found(tmp_path, make_transcript):
    # spaCy keeps such a hyphen on the word: "Jurisdiction-" before a capital on the next line (which is no
    # wrap) and "pre-" in "pre- and post-call" were indexed as "jurisdiction-" and "pre-", found by nothing.
    text = "Interviewer: Where?\nP42: Jurisdiction-\nA sends pre- and post-call staff, well-\nKnown ones.\n"
    db = open_db(tmp_path / "hyphen.db")
    ingest_files(db, [make_transcript(text, "P42.txt")])
    stored = db.execute("SELECT text FROM segments WHERE n = 2").fetchone()[0]

    def matches(query):
        return [stored[h.start : h.end] for h in search(db, query).hits]

    assert matches("jurisdiction") == ["Jurisdiction"]  # the hit is the word, not its hyphen
    assert matches("jurisdiction a") == ["Jurisdiction-\nA"]
    assert matches("pre and post call") == ["pre- and post-call"]
    assert matches("pre") == ["pre"] and matches("well known") == ["well-\nKnown"]


def test_abbreviations_and_initials_are_indexed_without_their_full_stops(tmp_path, make_transcript):
    # spaCy keeps "B.", "U.S.", "a.m." and "Dr." whole with their stops: indexed as "b." and "u.s.", a
    # letter label or an initial was found by no `search B`, and "Dr." by no `search dr`.
    text = (
        "Interviewer: Which option?\n"
        "P43: Option B. was it. The U.S. Marshals came at 9 a.m. with Dr. Ruiz, and J. Smith called 911. "
        "Most are 5150s; the CIT-trained deputies am tired, we are.\n"
    )
    db = open_db(tmp_path / "dots.db")
    ingest_files(db, [make_transcript(text, "P43.txt")], allow_pii=True)  # the names are fictional

    def matches(query):
        return [h.match for h in search(db, query).hits]

    assert matches("B") == matches("b.") == matches("=b") == ["B."]
    assert matches("option b") == ["Option B."]
    assert matches("US") == matches("U.S.") == matches("=us") == ["U.S."]
    assert matches("a.m.") == ["a.m."] and matches("=am") == ["a.m.", "am"]  # never a form of "be"
    assert matches("am") == matches("be") == ["was", "are", "am", "are"]
    assert matches("dr") == matches("Dr.") == ["Dr."] and matches("j smith") == ["J. Smith"]
    assert matches("911") == ["911"] and matches("5150") == ["5150s"]
    assert matches("cit-trained") == ["CIT-trained"] and matches("trained") == ["trained"]
    assert search(db, "U.S.").words == ["us"]


def test_an_index_made_before_abbreviations_lost_their_stops_is_made_again(tmp_path, make_transcript):
    db = open_db(tmp_path / "old.db")
    ingest_files(db, [make_transcript("Interviewer: Which?\nP43: Option B. was it.\n", "P43.txt")])
    assert [h.match for h in search(db, "b").hits] == ["B."]
    # The index as the version before wrote it ("b." with its stop), under that version's name.
    rows = db.execute("SELECT segment_id, terms FROM search_index").fetchall()
    for sid, terms in rows:
        db.execute(
            "UPDATE search_index SET terms = ? WHERE segment_id = ?",
            [terms.replace("b\x1fb", "b.\x1fb."), sid],
        )
    version = db.execute("SELECT value FROM settings WHERE key = 'search_index_version'").fetchone()[0]
    db.execute("UPDATE settings SET value = ? WHERE key = 'search_index_version'", ["6" + version[1:]])
    db.conn.commit()
    assert [h.match for h in search(db, "b").hits] == ["B."]


def test_words_run_together_at_a_full_stop_are_found_and_addresses_stay_whole(tmp_path, make_transcript):
    # Otter writes "night.the" with no space after the stop: spaCy keeps it one token (a web address to
    # it), so neither "night" nor "the unit" was found. A domain, a web or e-mail address, an abbreviation
    # and a number stay whole, and a domain finds the addresses at it.
    text = (
        "Interviewer: When?\n"
        "P50: That night.the unit came at 9 AM. See https://example.org/path or intake@example.org and "
        "www.county.gov, at 9 a.m. in the U.S. for 3.5 hours, and I am tired. We called.so they left.\n"
    )
    db = open_db(tmp_path / "runon.db")
    ingest_files(db, [make_transcript(text, "P50.txt")], allow_pii=True)  # the addresses are fictional

    def matches(query):
        return [h.match for h in search(db, query).hits]

    assert matches("night") == ["night"] and matches("the unit") == ["the unit"]
    assert matches("night.the") == matches("night the") == ["night.the"]
    assert matches("called so") == ["called.so"]
    assert matches("example.org") == ["https://example.org/path", "intake@example.org"]
    assert matches("county.gov") == matches("www.county.gov") == ["www.county.gov"]
    assert matches("*c*u*t*v") == ["www.county.gov"]  # a wildcard still matches the whole address
    assert matches("U.S.") == ["U.S."] and matches("3.5") == ["3.5"]
    # "9 AM" is the time of day, as "9 a.m." is, never a form of "be".
    assert matches("be") == ["am"]
    assert matches("9 am") == matches("9 AM") == ["9 AM", "9 a.m."]
    assert matches("a.m.") == ["AM", "a.m."]


OTTER_SPLIT = """\
Interviewer  00:13
Where did he go that night?

KP40  00:21
We drove him over to the crisis stabilization

KP40  00:29
unit, but they were full, so he went to jail.
"""


def test_a_phrase_is_found_across_the_paragraph_break_otter_makes_at_a_pause(tmp_path, make_transcript):
    # Otter splits one speaker's sentence into blocks at a pause, and ingest joins them as paragraphs
    # ("crisis stabilization\n\nunit"). Suggest reads such a break as inside the sentence; `wei-qual search`
    # and the sessions' /WORDS (segment_spans) find a phrase across it too, marking the stored words.
    from wei_qual.search import segment_spans
    from wei_qual.suggest.pipeline import _mid_sentence

    db = open_db(tmp_path / "otter.db")
    ingest_files(db, [make_transcript(OTTER_SPLIT, "KP40.txt")])
    stored = db.execute("SELECT text FROM segments WHERE n = 2").fetchone()[0]
    assert "stabilization\n\nunit" in stored and _mid_sentence(stored)
    result = search(db, "stabilization unit")
    assert [(h.segment, h.match) for h in result.hits] == [(2, "stabilization unit")]  # shown on one line
    (span,) = segment_spans(db, "crisis stabilization unit")[("KP40", 2)]
    assert stored[slice(*span)] == "crisis stabilization\n\nunit"
    # One hit is said as one ("1 hits in 1 segments" headed the Markdown).
    assert "\n1 hit in 1 segment (matched as: stabilization unit).\n" in result.markdown()


def test_each_words_index_entry_is_made_once_and_am_is_read_after_its_word_each_time():
    # The index keeps each distinct word's entry (a study has a million tokens, tens of thousands of
    # words); "am" alone is read again each time, after the word before it: the time of day after a
    # number, a form of "be" after anything else, in whatever order the batches come.
    from wei_qual.search.index import index_texts, tokenizer
    from wei_qual.search.terms import SEP

    texts = ["At 9 am we left.", "I am tired, I AM.", "At 10 AM I am out, at 9 am."]
    expected = [["am"], ["be", "be"], ["am", "be", "am"]]
    nlp, entries = tokenizer(), {}

    def am_lemmas(indexed):
        return [
            [entry.split(SEP)[0] for entry in terms.split(" ") if entry.split(SEP)[1] == "am"]
            for terms, _ in indexed
        ]

    assert am_lemmas(index_texts(texts, nlp, entries)) == expected
    assert am_lemmas(index_texts(texts[::-1], nlp, entries)) == expected[::-1]
    assert "tired" in entries and not any(word.casefold() == "am" for word in entries)
    # A shared dict gives what a fresh one gives, text by text.
    assert index_texts(texts, nlp, entries) == [index_texts([t], nlp)[0] for t in texts]


def test_a_bad_output_path_is_refused_before_the_first_search_indexes(tmp_path):
    """The first search indexes the whole project (seconds on a study) and commits: an -o into a missing
    folder is refused before that, with one line, and the project stays unindexed."""
    path = tmp_path / "sample.db"
    build_sample_project(path).close()
    result = CliRunner().invoke(
        app, ["search", "jail", "-o", str(tmp_path / "nodir" / "hits.csv"), "--db", str(path)]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Folder ") and "does not exist" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    project = open_db(path, create=False)
    assert unindexed(project) > 0  # nothing was indexed for the refused search
    project.close()


def test_an_ordinal_is_not_its_number(tmp_path, make_transcript):
    # The lemma table makes "first" the lemma "1" and "second" "2": `search 2` listed every "second" (and
    # never a 2 as written), and `search first` every "1".
    text = (
        "Interviewer: How long is the wait?\n"
        "P41: The first call takes 2 hours, the second call 1 hour. Wait a second: seconds count. "
        "He was fifth in line, with 5 ahead.\n"
    )
    db = open_db(tmp_path / "ordinals.db")
    ingest_files(db, [make_transcript(text, "P41.txt")])
    load_into_project(db, CODEBOOKS / "wei_crisis_response.yaml")
    assert [h.match for h in search(db, "2").hits] == ["2"]
    assert [h.match for h in search(db, "1").hits] == ["1"]
    assert [h.match for h in search(db, "first").hits] == ["first"]
    assert [h.match for h in search(db, "second").hits] == ["second", "second", "seconds"]
    assert [h.match for h in search(db, "fifth").hits] == ["fifth"]
    assert [h.match for h in search(db, "5").hits] == ["5"]
    assert [h.match for h in search(db, "2 hours").hits] == ["2 hours"]


def test_context_is_cut_between_words(tmp_path, make_transcript):
    # Cut at a character count, "medical clearance" showed as "…al clearance", a word of its own.
    text = (
        "Interviewer: And then?\n"
        "P42: The emergency department has to issue medical clearance before the unit takes anybody at all.\n"
    )
    db = open_db(tmp_path / "cut.db")
    ingest_files(db, [make_transcript(text, "P42.txt")])
    load_into_project(db, CODEBOOKS / "wei_crisis_response.yaml")
    hit = search(db, "clearance", width=20).hits[0]
    assert (hit.left, hit.right) == ("…to issue medical", "before the unit…")
    hit = search(db, "clearance", width=200).hits[0]
    assert (hit.left, hit.right) == (
        "The emergency department has to issue medical",
        "before the unit takes anybody at all.",
    )
    # A word longer than the width is cut inside it, as before: there is no word to cut before.
    hit = search(db, "clearance", width=5).hits[0]
    assert (hit.left, hit.right) == ("…ical", "befo…")


def test_verbs_made_of_a_number_or_an_acronym_are_found(tmp_path, make_transcript):
    # spaCy keeps "5150'd" and "OD'd" whole, and the lemma table knows neither: `search 5150` missed "we
    # 5150'd him" and `search OD` every "he OD'd", on the calls the study is about.
    text = (
        "Interviewer: What happened?\n"
        "P43: He OD'd twice; she ODed once and was OD\u2019ing again. We 5150'd him, they 5150ed her, "
        "two 5150s. Then the OD. The 2nd and 3rd time, 5 beds.\n"
    )
    db = open_db(tmp_path / "verbs.db")
    ingest_files(db, [make_transcript(text, "P43.txt")])
    load_into_project(db, CODEBOOKS / "wei_crisis_response.yaml")
    assert [h.match for h in search(db, "OD").hits] == ["OD'd", "ODed", "OD\u2019ing", "OD"]
    assert [h.match for h in search(db, "od").hits] == ["OD'd", "ODed", "OD\u2019ing", "OD"]
    assert [h.match for h in search(db, "OD'd").hits] == ["OD'd", "ODed", "OD\u2019ing", "OD"]
    assert [h.match for h in search(db, "5150").hits] == ["5150'd", "5150ed", "5150s"]
    assert [h.match for h in search(db, "=5150'd").hits] == ["5150'd"]
    assert [h.match for h in search(db, "2").hits] == []  # "2nd" is no form of 2


def test_where_keeps_the_hits_of_participants_with_those_values(tmp_path):
    # "Where do clinicians talk about medical clearance": --by role grouped them among everyone else's.
    path = tmp_path / "sample.db"
    build_sample_project(path, documents=True).close()
    db = open_db(path)
    result = search(db, "medical clearance", where={"role": "Provider"})
    # Checked against participants.csv: P02, P05 and P08 are providers; the policy documents (no role)
    # and the officers' turns are left out.
    assert found(result) == [
        ("P02", 6, "medical clearance"),
        ("P05", 22, "medical clearance"),
        ("P08", 10, "medical clearance"),
    ]
    assert result.filters["where"] == {"role": "provider"}
    assert len(search(db, "medical clearance").hits) == 7
    emptied = search(db, "medically cleared", where={"role": "provider"})
    said = (
        "The words are in 4 segments, none of them of a participant (or document) with role=provider. "
        "Search without --where to see them."
    )
    assert emptied.hits == [] and emptied.warnings == [said]
    with pytest.raises(
        SearchError, match=r"^No transcript or speaker has role=nurse \(values: officer, provider\)"
    ):
        search(db, "unit", where={"role": "nurse"})
    runner = CliRunner()
    bad = runner.invoke(app, ["search", "unit", "--where", "role", "--db", str(path)])
    assert (
        bad.exit_code == 1
        and bad.stderr
        == 'Error: --where takes ATTR=VALUE, not "role": e.g. --where setting=rural, '
        "setting=rural,suburban (either) or role!=officer (any other).\n"
    )


LOG = """\
Interviewer: What did the log say about that night?
P22: =SUM(A1) is what dispatch typed in the log. The unit refused him at the door.
Interviewer: And then?
P22: @midnight they refused him again, so we drove to the ER.
"""


def test_search_writes_a_spreadsheet_whose_formulas_stay_text(tmp_path, make_transcript):
    # `search -o hits.xlsx` was refused ("asks for xlsx, which this command does not write") while
    # `retrieve -o segments.xlsx` wrote one: the hits a co-author sorts by code had to go through a CSV.
    from openpyxl import load_workbook

    path = tmp_path / "log.db"
    db = open_db(path)
    ingest_files(db, [make_transcript(LOG, "P22.txt")], allow_pii=True)  # "@midnight" reads as a handle
    load_into_project(db, CODEBOOKS / "wei_crisis_response.yaml")
    save_decision(db, Decision("P22", 2, "alice", frozenset({"csu-excluded-intoxication"})))
    db.close()
    runner = CliRunner()
    out = tmp_path / "hits.xlsx"
    written = runner.invoke(app, ["search", "dispatch | refuse", "-o", str(out), "--db", str(path)])
    assert written.exit_code == 0, written.stderr
    assert f"Wrote 3 hits to {out}\n" in written.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    book = load_workbook(out)
    sheet = book["hits"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    text = runner.invoke(app, ["search", "dispatch | refuse", "--format", "csv", "--db", str(path)]).stdout
    csv_rows = list(csvmod.reader(io.StringIO(text)))
    assert rows[0] == csv_rows[0]
    hits = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert [(h["segment"], h["left"], h["match"], h["alternative"]) for h in hits] == [
        (2, "=SUM(A1) is what", "dispatch", "dispatch"),
        (2, "…dispatch typed in the log. The unit", "refused", "refuse"),
        (4, "@midnight they", "refused", "refuse"),
    ]
    assert hits[0]["codes"] == "csu-excluded-intoxication (alice)"
    assert csv_rows[1][4] == "'=SUM(A1) is what"  # the CSV's cell quoted; the workbook's is the text, typed
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.quotePrefix for c in cells if c.value[:1] in "=@")
    assert [c.value for c in sheet["B"][1:]] == [2, 2, 4]  # segment numbers stay numbers
    notes = [r[1].value for r in book["notes"].iter_rows(min_row=2)]
    said = "Search: dispatch | refuse: 3 hits in 2 segments (matched as: dispatch | refuse)."
    assert notes == [f"{said} dispatch: 1 hit in 1 segment; refuse: 2 hits in 2 segments."]
    bare = runner.invoke(app, ["search", "dispatch", "--format", "xlsx", "--db", str(path)])
    assert bare.exit_code == 1
    assert bare.stderr == "Error: --format xlsx writes a spreadsheet, not text: pass -o FILE.xlsx.\n"
