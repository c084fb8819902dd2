"""`wei-qual retrieve` on the bundled fictional sample: sources, AND/OR/NOT, themes, groups, context,
excerpts marked in every format, and the coder filters."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from _qdpx_project import build_sample_project
from typer.testing import CliRunner

from wei_qual.cli import app
from wei_qual.errors import ReportError
from wei_qual.models import Decision, Excerpt, page_span
from wei_qual.retrieve import retrieve
from wei_qual.search import search
from wei_qual.store import open_db
from wei_qual.store.decisions import get_decision, save_decision, save_memo

P06_14 = "Honestly? I'm not a big fan. Not for us. I know that's not a popular answer right now."


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("retrieve") / "sample.db"
    build_sample_project(path).close()
    return path


@pytest.fixture
def copy(sample, tmp_path):
    """A private copy of the sample project, for tests that change it."""
    path = tmp_path / "copy.db"
    with sqlite3.connect(sample) as source, sqlite3.connect(path) as target:
        source.backup(target)
    path.chmod(0o600)  # as the project it copies (sqlite3 makes it with the umask's 0644)
    return path


def keys(result):
    return [(h.transcript, h.segment) for h in result.hits]


def test_consensus_is_the_default_source_with_context_and_who_applied_it(sample):
    result = retrieve(open_db(sample), ["stance-opposed"])
    assert (result.source, result.source_note) == ("consensus", None)
    assert keys(result) == [("P06", 14), ("P06", 16)]
    first = result.hits[0]
    assert first.text == P06_14 and first.speaker == "Officer 2" and first.role == "participant"
    assert first.applied_by == {"stance-opposed": ["alice", "bob"]}
    assert first.attributes["role"] == "officer" and first.attributes["setting"] == "rural"
    assert [(t.n, t.role) for t in first.before] == [(13, "interviewer")]
    assert [t.n for t in first.after] == [15]
    wider = retrieve(open_db(sample), ["stance-opposed"], context=2)
    assert [t.n for t in wider.hits[0].before] == [12, 13] and [t.n for t in wider.hits[0].after] == [15, 16]
    assert retrieve(open_db(sample), ["stance-opposed"], context=0).hits[0].before == []
    # A context of a billion turns is the whole transcript around the turn (it looped a billion times).
    whole = retrieve(open_db(sample), ["stance-opposed"], context=10**9).hits[0]
    assert [t.n for t in whole.before] == list(range(1, 14)) and whole.after[-1].n > 16


def test_sources_themes_and_groups(sample):
    db = open_db(sample)
    assert keys(retrieve(db, ["stance-mixed"], source="union")) == [
        ("P03", 20),
        ("P03", 22),
        ("P03", 36),
        ("P06", 18),
        ("P09", 12),
        ("P10", 19),
        ("P10", 20),
    ]
    assert keys(retrieve(db, ["stance-mixed"], source="majority")) == [("P03", 20), ("P10", 20)]
    alice = retrieve(db, ["stance-mixed"], source="alice")
    assert keys(alice) == [("P03", 20), ("P06", 18), ("P09", 12), ("P10", 20)]
    assert alice.hits[1].applied_by == {"stance-mixed": ["alice"]}
    theme = retrieve(db, ["stance-civilian"], by="setting")  # a theme: any code under it
    assert [(h.group, h.transcript, h.segment) for h in theme.hits] == [
        ("rural", "P01", 24),
        ("rural", "P06", 14),
        ("rural", "P06", 16),
        ("urban", "P03", 20),
        ("urban", "P05", 34),
    ]
    assert theme.summary() == "5 segments from 4 participants; source consensus"


def test_all_any_and_not(sample):
    db = open_db(sample)
    both = retrieve(db, ["csu-capacity", "jail-fallback"])
    either = retrieve(db, ["csu-capacity", "jail-fallback"], any_code=True)
    without = retrieve(db, ["csu-capacity"], not_codes=["jail-fallback"])
    capacity = retrieve(db, ["csu-capacity"])
    assert keys(both) == [("P03", 26)]
    assert len(either.hits) == 13 and set(keys(both)) <= set(keys(either))
    assert len(without.hits) == len(capacity.hits) - len(both.hits) == 4
    assert ("P03", 26) not in keys(without)


def test_without_consensus_the_union_is_used_and_said(copy):
    db = open_db(copy)
    db.execute("DELETE FROM decisions WHERE coder_id = 'consensus'")
    result = retrieve(db, ["stance-mixed"])
    assert result.source == "union"
    assert result.source_note == (
        "No consensus decisions yet, so this shows the union of the independent coders (alice, bob). "
        "Choose with --source."
    )
    assert result.to_json()["source_note"] == result.source_note
    only_bob = retrieve(db, ["stance-mixed"], coders=["bob"])
    assert keys(only_bob) == [("P03", 20), ("P03", 22), ("P03", 36), ("P10", 19), ("P10", 20)]
    assert keys(retrieve(db, ["stance-mixed"], exclude_coders=["bob"])) == [
        ("P03", 20),
        ("P06", 18),
        ("P09", 12),
        ("P10", 20),
    ]


def test_errors_name_the_fix(sample):
    db = open_db(sample)
    with pytest.raises(ReportError, match='Code "nope" is not in the active codebook'):
        retrieve(db, ["nope"])
    with pytest.raises(ReportError, match='No decisions by "zed"'):
        retrieve(db, ["csu"], source="zed")
    with pytest.raises(ReportError, match='Unknown transcript "P99"'):
        retrieve(db, ["csu"], transcripts=["P99"])
    with pytest.raises(ReportError, match='No transcript has the attribute "shift"'):
        retrieve(db, ["csu"], by="shift")


def test_excerpts_are_marked_in_every_format(copy, tmp_path):
    db = open_db(copy)
    start = P06_14.index("Not for us.")
    decision = get_decision(db, "P06", 14, "consensus")
    excerpt = Excerpt("stance-opposed", start, start + len("Not for us."))
    save_decision(db, Decision("P06", 14, "consensus", decision.codes, excerpts=(excerpt,)))
    result = retrieve(db, ["stance-opposed"])
    assert result.hits[0].excerpts == {"stance-opposed": [(excerpt.start, excerpt.end)]}
    md = result.markdown()
    assert "> **Officer 2 (participant):** Honestly? I'm not a big fan. **Not for us.** I know that's" in md
    assert "> *13. Interviewer (interviewer): Okay. I'd like to ask about civilian responders." in md
    html = result.html()
    assert "big fan. <mark>Not for us.</mark> I know that&#x27;s" in html
    assert "default-src 'none'" in html
    data = result.to_json()["hits"][0]
    assert data["excerpts"] == [
        {"code": "stance-opposed", "start": excerpt.start, "end": excerpt.end, "text": "Not for us."}
    ]
    csv = result.csv()
    assert csv.splitlines()[0] == (
        "transcript,segment,speaker,role,section,pages,time,attributes,codes,applied_by,excerpt,text,before,after"
    )
    assert ",Not for us.," in csv

    runner = CliRunner()
    out = tmp_path / "opposed.html"
    written = runner.invoke(app, ["retrieve", "stance-opposed", "-o", str(out), "--db", str(copy)])
    # The demo's consensus holds the agreed turns only: said first.
    assert written.exit_code == 0 and written.stderr.endswith(f"Wrote 2 segments to {out}\n")
    assert written.stderr.startswith("Warning: consensus has decided 98 of the 182 participant turns")
    assert "<mark>Not for us.</mark>" in out.read_text()
    table = runner.invoke(app, ["retrieve", "stance-opposed", "--db", str(copy)])
    assert "P06 segment 14, Officer 2 (participant)" in table.stdout
    assert "stance-opposed by alice, bob" in table.stdout


def test_cli_formats_coder_filters_and_errors(sample):
    runner = CliRunner()
    db = str(sample)
    md = runner.invoke(app, ["retrieve", "stance-opposed", "--by", "role", "--format", "md", "--db", db])
    assert md.exit_code == 0
    assert md.stdout.startswith(
        "# Opposed (stance-opposed)\n\n2 segments from 1 participant; source consensus.\n"
    )
    assert "## role: officer (2 segments from 1 participant)" in md.stdout
    data = json.loads(
        runner.invoke(
            app,
            [
                "retrieve",
                "stance-mixed",
                "--source",
                "union",
                "--coders",
                "Bob ",
                "--format",
                "json",
                "--db",
                db,
            ],
        ).stdout
    )
    assert data["coders"] == ["bob"] and data["segments"] == 5
    warned = runner.invoke(
        app, ["retrieve", "stance-mixed", "--source", "Alice", "--format", "json", "--db", db]
    )
    assert warned.stderr == (
        'Warning: coder "Alice" read as the existing coder "alice" (did you mean alice? Names ignore case)\n'
    )
    assert json.loads(warned.stdout)["source"] == "alice"
    assert json.loads(warned.stdout)["warnings"] == [warned.stderr[len("Warning: ") :].strip()]
    unknown = runner.invoke(app, ["retrieve", "csu", "--exclude-coders", "alcie", "--db", db])
    assert (unknown.exit_code, unknown.stderr) == (
        1,
        (
            'Error: Unknown coder "alcie" in --exclude-coders (did you mean alice?). Known coders: alice, bob, '
            "consensus, lead. Check the spelling.\n"
        ),
    )
    table_file = runner.invoke(app, ["retrieve", "csu", "--format", "table", "-o", "x.txt", "--db", db])
    assert table_file.exit_code == 1 and "cannot be written" in table_file.stderr


def test_documents_are_retrieved_with_their_sections_and_kind_filters(copy):
    from conftest import SAMPLE

    from wei_qual.decisions_io import import_decisions
    from wei_qual.ingest import ingest_files
    from wei_qual.models import DOCUMENT_KIND

    db = open_db(copy)
    folder = SAMPLE / "documents"
    ingest_files(db, [folder], kind=DOCUMENT_KIND, attributes_csv=folder / "documents.csv")
    import_decisions(db, folder / "decisions" / "alice.csv")
    everything = retrieve(db, ["csu-admission"], source="alice")
    documents = retrieve(db, ["csu-admission"], source="alice", kind="document")
    interviews = retrieve(db, ["csu-admission"], source="alice", kind="interview")
    assert len(everything.hits) == len(documents.hits) + len(interviews.hits)
    assert {h.transcript for h in documents.hits} <= {"A_CSU_admission_policy", "B_coresponder_MOU"}
    assert documents.hits and not any(h.transcript.startswith("P") for h in documents.hits)
    first = documents.hits[0]
    assert first.role == "document" and first.speaker is None
    assert first.to_json()["label"] == first.label and documents.to_json()["kind"] == "document"
    heading = documents.markdown().split("\n### ", 2)[1].splitlines()[0]
    assert heading == r"A\_CSU\_admission\_policy segment 2, section 1 Purpose, page 1 (document)"
    assert "> **Document:**" in documents.markdown()
    # The CSV cites a document segment by section and pages, as the headings do (it had neither).
    import csv as csvlib
    import io

    rows = list(csvlib.DictReader(io.StringIO(documents.csv())))
    assert [(r["section"], r["pages"]) for r in rows] == [
        (h.label or "", page_span(h.page, h.end_page, form="") or "") for h in documents.hits
    ]
    assert rows[0]["section"] == "1 Purpose" and rows[0]["pages"] == "1"
    assert {r["section"] for r in csvlib.DictReader(io.StringIO(interviews.csv()))} == {""}


def test_majority_is_decided_per_code_then_rolled_up_as_in_the_reports(sample):
    runner = CliRunner()
    db = str(sample)

    def themes(level):
        out = runner.invoke(
            app,
            ["report", "themes", "--source", "majority", "--level", level, "--format", "json", "--db", db],
        )
        return {r["code"]: (r["segments"], r["participants"]) for r in json.loads(out.stdout)["rows"]}

    got = json.loads(
        runner.invoke(
            app, ["retrieve", "stance-civilian", "--source", "majority", "--format", "json", "--db", db]
        ).stdout
    )
    assert (got["segments"], got["participants"]) == (12, 8) == themes("theme")["stance-civilian"]
    # P06:18: alice says stance-mixed, bob stance-supportive. Each has the theme, but no code under it has
    # a majority, so neither has the theme.
    assert ("P06", 18) not in [(h["transcript"], h["segment"]) for h in got["hits"]]
    assert {(h["transcript"], h["segment"]) for h in got["hits"]} == {
        (h.transcript, h.segment)
        for code in ("stance-supportive", "stance-mixed", "stance-opposed")
        for h in retrieve(open_db(sample), [code], source="majority").hits
    }


def test_participants_are_counted_as_the_reports_count_them(copy):
    # alice coded an interviewer turn (P06:15, the question after the participant's answer) by mistake.
    db = open_db(copy)
    save_decision(db, Decision("P06", 15, "alice", frozenset({"stance-opposed"})))
    db.close()
    runner = CliRunner()
    md = runner.invoke(
        app,
        [
            "retrieve",
            "stance-opposed",
            "--source",
            "alice",
            "--by",
            "role",
            "--format",
            "md",
            "--db",
            str(copy),
        ],
    ).stdout
    assert md.splitlines()[2] == "5 segments from 1 participant and 1 interviewer turn; source alice."
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [
        "## role: officer (4 segments from 1 participant)",
        "## (interviewer turns) (1 segment)",
    ]
    assert (
        md.split("## (interviewer turns) (1 segment)")[1]
        .lstrip()
        .startswith("### P06 segment 15, Interviewer (interviewer)")
    )
    data = json.loads(
        runner.invoke(
            app,
            [
                "retrieve",
                "stance-opposed",
                "--source",
                "alice",
                "--by",
                "role",
                "--format",
                "json",
                "--db",
                str(copy),
            ],
        ).stdout
    )
    assert (data["segments"], data["participants"], data["interviewer_turns"], data["documents"]) == (
        5,
        1,
        1,
        0,
    )
    assert [h["group"] for h in data["hits"]] == ["officer"] * 4 + ["(interviewer turns)"]


def test_documents_are_counted_apart_from_participants(tmp_path):
    path = tmp_path / "demo.db"
    build_sample_project(path, documents=True).close()
    runner = CliRunner()

    def summary(*args):
        out = runner.invoke(
            app, ["retrieve", "practice-support", "--source", "union", *args, "--db", str(path)]
        )
        return out.stdout.splitlines()[2]

    themes = runner.invoke(
        app, ["report", "themes", "--source", "union", "--format", "json", "--db", str(path)]
    )
    row = next(r for r in json.loads(themes.stdout)["rows"] if r["code"] == "practice-support")
    assert (row["segments"], row["participants"]) == (47, 11)
    assert summary("--format", "md") == "49 segments from 11 participants and 1 document; source union."
    assert (
        summary("--kind", "interview", "--format", "md") == "47 segments from 11 participants; source union."
    )
    assert summary("--kind", "document", "--format", "md") == "2 segments from 1 document; source union."


def test_groups_are_in_the_reports_order_and_piped_rules_are_80_wide(sample, monkeypatch):
    runner = CliRunner()
    db = str(sample)
    years = json.loads(
        runner.invoke(
            app, ["retrieve", "jail-fallback", "--by", "years_experience", "--format", "json", "--db", db]
        ).stdout
    )
    groups = list(dict.fromkeys(h["group"] for h in years["hits"]))
    assert groups == sorted(groups, key=lambda g: int(g)) and len(groups) > 3  # 6, 8, 12, not 12, 6, 8
    themes = runner.invoke(
        app, ["report", "themes", "--by", "years_experience", "--format", "json", "--db", db]
    )
    order = [g for g in json.loads(themes.stdout)["groups"]["years_experience"] if g in groups]
    assert groups == order
    searched = search(open_db(sample), "jail", by="years_experience")
    found = list(dict.fromkeys(h.group for h in searched.hits))
    assert found == ["4", "6", "7", "8", "9", "11", "12", "14", "16", "22", "(interviewer turns)"]
    # Piped (stdout is no terminal, no $COLUMNS): the group rules are as wide as the demo's headings.
    monkeypatch.delenv("COLUMNS")
    piped = runner.invoke(app, ["retrieve", "stance-opposed", "--by", "role", "--db", db]).stdout
    rules = [line for line in piped.splitlines() if "role: officer (2 segments from 1 participant)" in line]
    assert len(rules) == 1 and len(rules[0]) == 80 and rules[0].startswith("─")


def test_a_document_section_keeps_its_clauses_apart_in_markdown_and_html(tmp_path):
    # A policy section's clauses ("(a) ...", "(b) ...") ran together into one paragraph in the Markdown
    # and HTML a researcher quotes from; a clause opening "- " or "1." would have become a list item.
    db = build_sample_project(tmp_path / "docs.db", documents=True)
    result = retrieve(
        db, ["csu-excluded-intoxication"], transcripts=["A_CSU_admission_policy"], source="union", context=0
    )
    hit = next(h for h in result.hits if h.label == "3.2 Exclusion criteria")
    assert "who:\n\n(a) is intoxicated" in hit.text
    md = result.markdown()
    assert "> **Document:** The unit does not admit a person who:\n>\n> (a) is intoxicated to the point" in md
    assert "\n>\n> (b) has a medical condition" in md
    html = result.html()
    assert "white-space: pre-line" in html and "who:\n\n(a) is intoxicated" in html
    from wei_qual.excerpts import marked_markdown

    text = "Transport is arranged:\n\n- by ambulance;\n\n2. by the team.\n\nOfficers wait."
    start = text.index("by ambulance")
    assert marked_markdown(text, [(start, text.index("Officers"))], paragraph="\n>\n> ") == (
        "Transport is arranged:\n>\n> \\- **by ambulance;**\n>\n> **2. by the team.**\n>\n> Officers wait."
    )
    # Elsewhere a turn stays one paragraph, as before.
    assert (
        marked_markdown(text, []) == "Transport is arranged: - by ambulance; 2. by the team. Officers wait."
    )


def test_an_empty_answer_says_why(copy):
    # An empty list read as "nobody talked about it": a code nobody used, a source that coded nothing (a
    # memo makes a coder too) and a coder who did not use codes the others did were all silent.
    db = open_db(copy)
    db.execute("""DELETE FROM decisions WHERE codes LIKE '%"csu-capacity"%'""")
    unused = retrieve(db, ["csu-capacity"])
    assert unused.hits == [] and unused.warnings == [
        (
            'No coder has applied "csu-capacity" to any segment (consensus included): the code is unused, '
            "not absent from the data."
        )
    ]
    assert retrieve(db, ["csu"]).warnings == []  # its other codes were used
    either = retrieve(db, ["csu-capacity", "stance-opposed"], any_code=True)
    assert keys(either) == [("P06", 14), ("P06", 16)] and len(either.warnings) == 1
    save_memo(db, "dave", "code", "csu", "Beds again.")
    assert retrieve(db, ["csu"], source="dave").warnings == [
        (
            '"dave" has made no decisions (a memo makes a coder too), so nothing is retrieved. '
            "Pass --source consensus, majority, union or a coder who coded."
        )
    ]
    alice = db.execute(
        """SELECT COUNT(*) FROM decisions WHERE coder_id = 'alice' AND codes LIKE '%"stance-opposed"%'"""
    ).fetchone()[0]
    db.execute("""DELETE FROM decisions WHERE coder_id = 'bob' AND codes LIKE '%"stance-opposed"%'""")
    bob = retrieve(db, ["stance-opposed"], source="bob")
    assert bob.hits == [] and bob.warnings == [
        (
            f'"bob" applied none of these codes; alice applied them on {alice} segments: try --source union, '
            "or another coder."
        )
    ]
    assert retrieve(db, ["stance-opposed"], source="bob", transcripts=["P01"]).warnings == []  # none there
    db.close()
    runner = CliRunner()
    args = ["retrieve", "csu-capacity", "--db", str(copy)]
    data = json.loads(runner.invoke(app, [*args, "--format", "json"], catch_exceptions=False).stdout)
    # After the note that consensus has decided only part of the turns (resolve_source).
    assert data["segments"] == 0 and data["warnings"][-1] == unused.warnings[0]
    md = runner.invoke(app, [*args, "--format", "md"], catch_exceptions=False)
    assert md.stderr.endswith(f"Warning: {unused.warnings[0]}\n")
    assert '*Warning: No coder has applied "csu-capacity" to any segment' in md.stdout


def test_documents_without_the_attribute_are_a_group_of_their_own(copy):
    # They were "(missing)", the group of participants whose role (or setting) was not recorded.
    from conftest import SAMPLE

    from wei_qual.decisions_io import import_decisions
    from wei_qual.ingest import ingest_files
    from wei_qual.models import DOCUMENT_KIND

    db = open_db(copy)
    folder = SAMPLE / "documents"
    ingest_files(db, [folder], kind=DOCUMENT_KIND, attributes_csv=folder / "documents.csv")
    import_decisions(db, folder / "decisions" / "alice.csv")
    db.execute("DELETE FROM attributes WHERE transcript_id = 'P01' AND name = 'role'")
    result = retrieve(db, ["csu-admission"], source="alice", by="role")
    groups = {(h.role, h.transcript == "P01", h.group) for h in result.hits}
    assert ("document", False, "(documents)") in groups and ("participant", True, "(missing)") in groups
    assert {g for role, _, g in groups if role == "document"} == {"(documents)"}
    assert [g for g, _ in result.groups()][-2:] == ["(missing)", "(documents)"]
    assert "\n## (documents) (" in result.markdown()
    by_jurisdiction = retrieve(db, ["csu-admission"], source="alice", kind="document", by="jurisdiction")
    assert "(documents)" not in {h.group for h in by_jurisdiction.hits}  # the documents have one
    found = search(db, "admission", by="role", role="document")
    assert found.hits and {h.group for h in found.hits} == {"(documents)"}

    # A transcript the --kind or --role leaves out is an error, not "0 segments" read as "never coded".
    from wei_qual.errors import SearchError

    with pytest.raises(ReportError) as caught:
        retrieve(
            db, ["csu-admission"], source="alice", transcripts=["A_CSU_admission_policy"], kind="interview"
        )
    assert str(caught.value) == (
        'Transcript "A_CSU_admission_policy" is a document, and --kind interview leaves it out. '
        "Pass --kind document or --kind all."
    )
    with pytest.raises(ReportError, match='^Transcript "P01" is an interview, and --kind document leaves'):
        retrieve(db, ["csu-admission"], source="alice", transcripts=["P01"], kind="document")
    with pytest.raises(SearchError) as caught:
        search(db, "admission", role="participant", transcripts=["A_CSU_admission_policy"])
    assert str(caught.value) == (
        'Transcript "A_CSU_admission_policy" is a document, which has no participant segments. Drop --role, '
        "or pass --role document."
    )
    with pytest.raises(
        SearchError, match='^Transcript "P01" is an interview, which has no document segments'
    ):
        search(db, "admission", role="document", transcripts=["P01"])
    assert search(db, "admission", role="participant", transcripts=["P01"]).filters["role"] == "participant"


def test_an_empty_majority_says_when_fewer_coders_applied_the_codes(copy):
    db = open_db(copy)
    db.execute(
        """UPDATE decisions SET codes = '[]' WHERE coder_id = 'bob' AND codes LIKE '%"stance-opposed"%'"""
    )
    # Now only alice applied it: majority of two coders (both) has none, the union has alice's.
    alice = db.execute(
        """SELECT COUNT(*) FROM decisions WHERE coder_id = 'alice' AND codes LIKE '%"stance-opposed"%'"""
    ).fetchone()[0]
    result = retrieve(db, ["stance-opposed"], source="majority")
    assert result.hits == [] and alice > 1
    assert result.warnings == [
        (
            "No segment has these codes under --source majority (more than half of a segment's coders), but "
            f"{alice} segments have them from fewer: try --source union, or a coder."
        )
    ]
    assert retrieve(db, ["stance-opposed", "homelessness"], source="majority").warnings == []  # none has both


def test_the_json_names_the_asked_codes(sample):
    """A reader of the JSON (a script, a notebook) gets each asked code's name, not only its id."""
    out = CliRunner().invoke(
        app,
        ["retrieve", "stance-opposed", "--not", "stance-mixed", "--format", "json", "--db", str(sample)],
        catch_exceptions=False,
    )
    data = json.loads(out.stdout)
    assert data["names"] == {"stance-opposed": "Opposed", "stance-mixed": "Mixed or conditional"}
    assert list(data)[:3] == ["codes", "names", "any"]


def test_a_consensus_copy_whose_coder_marked_other_words_is_said_and_copied_again(copy):
    # bob marks the words that carry the code after --accept-agreed copied his turn: consensus kept no
    # excerpt, so retrieve (reading consensus) showed the whole turn, and nothing said the copy was old.
    db = open_db(copy)
    before = get_decision(db, "P01", 12, "bob")
    text = retrieve(db, ["csu-excluded-intoxication"], transcripts=["P01"]).hits[0].text
    save_decision(
        db,
        Decision("P01", 12, "bob", before.codes, excerpts=(Excerpt("csu-excluded-intoxication", 0, 20),)),
    )
    db.close()
    runner = CliRunner()
    args = ["retrieve", "csu-excluded-intoxication", "--transcript", "P01", "--db", str(copy)]
    said = (
        "1 consensus decision was copied from coders' decisions whose excerpts have changed since, so "
        "quotes and retrieve mark the words marked then. Copy them again with "
        '"wei-qual reconcile --coder LEAD --accept-agreed --accept-single".'
    )
    stale = runner.invoke(app, [*args, "--format", "json"], catch_exceptions=False)
    assert f'Warning: {said[:-2]} --db {copy}".\n' in stale.stderr  # the command completed to run as printed
    data = json.loads(stale.stdout)
    assert said in data["warnings"] and data["hits"][0]["excerpts"] == []
    again = runner.invoke(
        app,
        ["reconcile", "--coder", "lead", "--accept-agreed", "--no-interactive", "--db", str(copy)],
        catch_exceptions=False,
    )
    assert again.exit_code == 0
    fresh = runner.invoke(app, [*args, "--format", "json"], catch_exceptions=False)
    assert "excerpts have changed" not in fresh.stderr
    assert json.loads(fresh.stdout)["hits"][0]["excerpts"] == [
        {"code": "csu-excluded-intoxication", "start": 0, "end": 20, "text": text[:20]}
    ]


def test_a_passages_line_leaves_out_otters_title_and_keywords_which_csv_and_json_keep(copy):
    # Otter's header is kept as title, date and service_keywords: the keyword list and the title were a
    # paragraph over every passage of the Markdown and HTML a lead pastes into a memo.
    from pathlib import Path

    from wei_qual.ingest import parse_transcript
    from wei_qual.store import transaction
    from wei_qual.store.transcripts import save_attributes

    otter = parse_transcript(Path(__file__).parent / "data" / "KP04_otter_export.txt").attributes
    db = open_db(copy)
    with transaction(db):
        save_attributes(db, "P06", otter)
    result = retrieve(db, ["stance-opposed"])
    for shown in (result.markdown(), result.html()):
        assert "date=Tue, 1/24 10:03AM" in shown and "role=officer" in shown
        assert "follow-up interview" not in shown and "crisis unit, deputies" not in shown
    assert "follow-up interview" in result.csv() and "crisis unit, deputies" in result.csv()
    assert result.hits[0].attributes["service_keywords"] == otter["service_keywords"]


def test_a_long_turn_piped_stays_on_one_line(tmp_path, make_transcript, monkeypatch):
    # Piped, the table is as wide as its content, but Rich still wrapped every turn at its 10,000
    # columns: a long monologue was cut there (and wrapping every turn took most of retrieve's time).
    from conftest import CODEBOOKS

    from wei_qual.codebook import load_into_project
    from wei_qual.ingest import ingest_files

    monkeypatch.delenv("COLUMNS", raising=False)
    said = " ".join(["The unit was full again that night and the deputy waited with him."] * 180)
    assert len(said) > 12_000
    db = open_db(tmp_path / "long.db")
    ingest_files(db, [make_transcript(f"Interviewer: And the beds?\nP21: {said}\n", "P21.txt")])
    load_into_project(db, CODEBOOKS / "wei_crisis_response.yaml")
    save_decision(db, Decision("P21", 2, "alice", frozenset({"csu-capacity"})))
    db.close()
    out = CliRunner().invoke(app, ["retrieve", "csu-capacity", "--db", str(tmp_path / "long.db")])
    assert out.exit_code == 0
    assert f"P21 (participant): {said}\n" in out.stdout


def test_where_keeps_the_segments_of_participants_with_those_values(sample):
    # "Every passage coded csu-capacity said by rural officers" needed --by and reading past the rest:
    # --by takes one attribute, and a group holds the interviewer turns apart only.
    db = open_db(sample)
    rural_officers = retrieve(
        db, ["csu-capacity"], source="union", where={"setting": "RURAL", "role": "officer"}
    )
    # Checked against the sample's participants.csv: P01, P06 and P09 are the rural officers.
    assert keys(rural_officers) == [("P01", 46), ("P06", 36), ("P09", 20)]
    # the values as the project has them
    assert rural_officers.where.to_json() == {
        "where": {"setting": "rural", "role": "officer"},
        "where_not": {},
    }
    assert rural_officers.title().endswith(", where setting=rural, role=officer")
    assert rural_officers.to_json()["where"] == {"setting": "rural", "role": "officer"}
    everyone = retrieve(db, ["csu-capacity"], source="union")
    assert {(h.transcript, h.segment) for h in everyone.hits if h.attributes.get("setting") == "rural"} > set(
        keys(rural_officers)
    )
    with pytest.raises(
        ReportError, match=r"^No transcript or speaker has setting=rual \(values: rural, urban\)"
    ):
        retrieve(db, ["csu-capacity"], where={"setting": "rual"})
    with pytest.raises(
        ReportError, match='^No transcript has the attribute "sett" .*Pass one of those to --where.$'
    ):
        retrieve(db, ["csu-capacity"], where={"sett": "rural"})
    # Jurisdiction C's only participant is an officer: the answer the filter emptied says so.
    where = {"jurisdiction": "Jurisdiction C", "role": "provider"}
    emptied = retrieve(db, ["csu-capacity"], source="union", where=where)
    assert len(everyone.hits) == 13  # the sample project's: its interviews, without the documents
    said = (
        "13 segments have these codes, none of them from a participant (or document) with "
        "jurisdiction=Jurisdiction C, role=provider. Retrieve without --where to see them."
    )
    assert emptied.hits == [] and emptied.warnings == [said]
    runner = CliRunner()
    bad = runner.invoke(app, ["retrieve", "csu-capacity", "--where", "rural", "--db", str(sample)])
    assert bad.exit_code == 1 and bad.stderr.endswith(
        'Error: --where takes ATTR=VALUE, not "rural": e.g. --where setting=rural, setting=rural,suburban '
        "(either) or role!=officer (any other).\n"
    )


def test_a_word_file_for_a_paper_holds_the_excerpt_in_bold(copy, tmp_path):
    db = open_db(copy)
    start = P06_14.index("Not for us.")
    decision = get_decision(db, "P06", 14, "consensus")
    save_decision(
        db,
        Decision(
            "P06", 14, "consensus", decision.codes, excerpts=(Excerpt("stance-opposed", start, start + 11),)
        ),
    )
    # A bell in a turn (pasted from a radio log): Word's XML cannot hold it, so it is shown as an escape.
    db.execute("UPDATE segments SET text = text || ' \x07' WHERE transcript_id = 'P06' AND n = 16")
    db.conn.commit()
    db.close()
    import docx

    runner = CliRunner()
    out = tmp_path / "opposed.docx"
    written = runner.invoke(
        app, ["retrieve", "stance-opposed", "--by", "role", "-o", str(out), "--db", str(copy)]
    )
    assert written.exit_code == 0, written.stderr
    assert written.stderr.endswith(f"Wrote 2 segments to {out}\n") and out.stat().st_mode & 0o777 == 0o600
    paragraphs = docx.Document(str(out)).paragraphs
    assert [p.text for p in paragraphs if p.style.name.startswith("Heading")] == [
        "Opposed (stance-opposed)",
        "role: officer (2 segments from 1 participant)",
        "P06 segment 14, Officer 2 (participant), at 0:04:04",
        "P06 segment 16, Officer 2 (participant), at 0:04:21",
    ]
    turn = next(p for p in paragraphs if p.text.startswith("Officer 2 (participant): Honestly?"))
    assert [(r.text, bool(r.bold)) for r in turn.runs] == [
        ("Officer 2 (participant): ", True),
        ("Honestly? I'm not a big fan. ", False),
        ("Not for us.", True),
        (" I know that's not a popular answer right now.", False),
    ]
    assert any(p.text.startswith("13. Interviewer (interviewer): ") and p.runs[0].italic for p in paragraphs)
    assert any(p.text.endswith(" \\x07") for p in paragraphs)
    # A Word file is not text: without -o, said before any work.
    bare = runner.invoke(app, ["retrieve", "stance-opposed", "--format", "docx", "--db", str(copy)])
    assert (
        bare.exit_code == 1
        and "Error: --format docx writes a Word file, not text: pass -o FILE.docx." in bare.stderr
    )


def test_one_segment_written_is_said_in_the_singular(runner, db_path, tmp_path):
    # "Wrote 1 segments to c.docx": a code applied once, written for the paper.
    (tmp_path / "W01.txt").write_text(
        "Ruth Okafor  0:02\nHow often do you get crisis calls?\n\n"
        "Unknown Speaker  0:25\nMost shifts. The crisis unit will refuse him if he's been drinking.\n",
        encoding="utf-8",
    )
    (tmp_path / "alice.csv").write_text(
        "transcript,segment,coder,codes,note\nW01,2,alice,csu-refusal,\n", encoding="utf-8"
    )
    for args in (
        ["ingest", str(tmp_path / "W01.txt"), "--allow-pii"],
        ["codebook", "load", str(Path(__file__).parents[1] / "codebooks" / "minimal.yaml")],
        ["decisions", "import", str(tmp_path / "alice.csv")],
    ):
        assert runner.invoke(app, [*args, "--db", str(db_path)]).exit_code == 0
    for name in ("refusal.docx", "refusal.md"):
        out = tmp_path / name
        written = runner.invoke(app, ["retrieve", "csu-refusal", "-o", str(out), "--db", str(db_path)])
        assert written.exit_code == 0, written.stderr
        assert f"Wrote 1 segment to {out}\n" in written.stderr
