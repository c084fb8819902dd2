"""--where's values: a comma list for any of them, != for any other, a value holding a comma in quotes;
one parser for retrieve, search and report cooccurrence, whose --where and --by are checked here against
a recount made from the sample's own participants.csv and a plain SQL read of the decisions."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections import Counter
from itertools import combinations

import pytest
from _qdpx_project import SAMPLE, build_sample_project
from typer.testing import CliRunner

from wei_qual.cli import app
from wei_qual.models import Where, WhereTerm, parse_where
from wei_qual.retrieve import retrieve
from wei_qual.store import open_db


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("where") / "sample.db"
    build_sample_project(path).close()
    return path


def run(*args):
    return CliRunner().invoke(app, [*map(str, args)])


def people() -> dict[tuple[str, str | None], dict[str, str]]:
    """Each transcript's attributes, and each named speaker's over them, read from participants.csv as a
    researcher wrote it (an empty cell is no value)."""
    with open(SAMPLE / "participants.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    # The transcript's own row (no speaker): a speaker's row under the same id must not stand for it.
    own = {
        r["id"]: {k: v for k, v in r.items() if k not in ("id", "speaker") and v}
        for r in rows
        if not r["speaker"]
    }
    out: dict[tuple[str, str | None], dict[str, str]] = {
        (r["id"], None): own[r["id"]] for r in rows if not r["speaker"]
    }
    for r in rows:
        if r["speaker"]:
            out[(r["id"], r["speaker"])] = {
                **out[(r["id"], None)],
                **{k: v for k, v in r.items() if k not in ("id", "speaker") and v},
            }
    return out


def attrs_of(transcript: str, speaker: str | None) -> dict[str, str]:
    known = people()
    return known.get((transcript, speaker), known[(transcript, None)])


def test_the_syntax_a_researcher_types():
    where = parse_where(
        ["setting=rural,suburban", "role!=officer", 'city="Portland, OR", Salem', "years!=4,5"]
    )
    assert list(where) == [
        WhereTerm("setting", ("rural", "suburban")),
        WhereTerm("role", ("officer",), negated=True),
        WhereTerm("city", ("Portland, OR", "Salem")),
        WhereTerm("years", ("4", "5"), negated=True),
    ]
    # Titles say it in words where a comma would read as the next term.
    assert where.said() == (
        'setting=rural or suburban, role!=officer, city="Portland, OR" or Salem, years neither 4 nor 5'
    )
    assert where.to_json() == {
        "where": {"setting": ["rural", "suburban"], "city": ["Portland, OR", "Salem"]},
        "where_not": {"role": "officer", "years": ["4", "5"]},
    }
    assert [t.typed() for t in where][2] == 'city="Portland, OR",Salem'
    # NOT keeps any other value and no value; an interviewer's turn is never kept.
    not_officer = parse_where(["role!=officer"])
    assert not_officer.holds("participant", {"role": "provider"})
    assert not_officer.holds("participant", {})
    assert not not_officer.holds("participant", {"role": "Officer"})
    assert not not_officer.holds("interviewer", {"role": "provider"})
    assert parse_where([]) == Where() and not parse_where([])


@pytest.mark.parametrize(
    ("items", "said"),
    [
        (["role"], '--where takes ATTR=VALUE, not "role"'),
        (["role="], '--where takes ATTR=VALUE, not "role="'),
        (["=officer"], '--where takes ATTR=VALUE, not "=officer"'),
        (["setting=rural,"], '--where takes ATTR=VALUE, not "setting=rural,"'),
        (['city="Portland, OR'], "a double quote is not closed"),
        (
            ["role=officer", "role=provider"],
            '--where names "role" twice: name it once, e.g. --where role=officer,provider (any of them).',
        ),
        (["role!=officer", "role!=provider"], "e.g. --where role!=officer,provider (none of them)."),
        (['city="Portland, OR"', "city=Salem"], 'e.g. --where city="Portland, OR",Salem (any of them).'),
        (
            ["role!=officer", "role=officer"],
            "--where role=officer (any of them) or role!=officer (none of them).",
        ),
    ],
)
def test_what_the_parser_refuses(items, said):
    with pytest.raises(ValueError, match="^--where") as caught:
        parse_where(items)
    assert said in str(caught.value) and "\n" not in str(caught.value)


def test_retrieve_any_of_the_values_and_any_other(sample):
    db = open_db(sample)
    everyone = retrieve(db, ["csu-capacity"], source="union")
    # Recounted from participants.csv: the participants' hits whose values the filter keeps.
    expected_any = [
        (h.transcript, h.segment)
        for h in everyone.hits
        if h.role == "participant"
        and attrs_of(h.transcript, h.speaker).get("role") in ("officer", "provider")
        and attrs_of(h.transcript, h.speaker).get("setting") == "rural"
    ]
    either = retrieve(
        db, ["csu-capacity"], source="union", where=parse_where(["role=Officer,provider", "setting=rural"])
    )
    assert [(h.transcript, h.segment) for h in either.hits] == expected_any and expected_any
    expected_not = [
        (h.transcript, h.segment)
        for h in everyone.hits
        if h.role in ("participant", "document")
        and attrs_of(h.transcript, h.speaker).get("role") != "officer"
    ]
    others = retrieve(db, ["csu-capacity"], source="union", where=parse_where(["role!=officer"]))
    assert [(h.transcript, h.segment) for h in others.hits] == expected_not and expected_not
    assert others.title().endswith(", where role!=officer")
    assert others.to_json()["where"] == {} and others.to_json()["where_not"] == {"role": "officer"}
    # A mistyped value in a list is named, with the values there are.
    typo = run("retrieve", "csu-capacity", "--where", "role=officer,provder", "--db", sample)
    assert typo.exit_code == 1 and typo.stderr == (
        "Error: No transcript or speaker has role=provder (values: officer, provider). Pass one of those to "
        "--where role=VALUE.\n"
    )
    cli = run(
        "retrieve",
        "csu-capacity",
        "--source",
        "union",
        "--where",
        "role!=officer",
        "-f",
        "json",
        "--db",
        sample,
    )
    assert cli.exit_code == 0
    assert [(h["transcript"], h["segment"]) for h in json.loads(cli.stdout)["hits"]] == expected_not


def test_search_takes_the_same_where(sample):
    out = run(
        "search",
        "unit",
        "--where",
        "role!=provider",
        "--where",
        "setting=rural,urban",
        "-f",
        "json",
        "--db",
        sample,
    )
    assert out.exit_code == 0, out.stderr
    found = json.loads(out.stdout)
    assert found["filters"]["where_not"] == {"role": "provider"}
    assert found["filters"]["where"] == {"setting": ["rural", "urban"]}
    every = json.loads(run("search", "unit", "-f", "json", "--db", sample).stdout)
    conn = sqlite3.connect(sample)
    roles = {
        (t, n): (r, s) for t, n, r, s in conn.execute("SELECT transcript_id, n, role, speaker FROM segments")
    }
    conn.close()
    expected = [
        (h["transcript"], h["segment"])
        for h in every["results"]
        if roles[(h["transcript"], h["segment"])][0] == "participant"
        and attrs_of(h["transcript"], roles[(h["transcript"], h["segment"])][1]).get("role") != "provider"
    ]
    assert [(h["transcript"], h["segment"]) for h in found["results"]] == expected and expected
    table = run("search", "unit", "--where", "role!=provider", "--db", sample)
    assert table.stdout.startswith("Search: unit, where role!=provider\n")


def test_a_value_holding_a_comma_is_typed_in_quotes(tmp_path, make_transcript):
    from _qdpx_project import ROOT

    from wei_qual.codebook import load_into_project
    from wei_qual.ingest import ingest_files
    from wei_qual.models import Decision
    from wei_qual.store.decisions import save_decision

    people_csv = tmp_path / "participants.csv"
    people_csv.write_text('id,city\nP01,"Portland, OR"\nP02,Salem\nP03,Portland\n')
    db_path = tmp_path / "cities.db"
    db = open_db(db_path)
    turns = "Interviewer: And the beds?\n{0}: The unit was full again that night, so we waited with him.\n"
    ingest_files(
        db,
        [make_transcript(turns.format(t), f"{t}.txt") for t in ("P01", "P02", "P03")],
        attributes_csv=people_csv,
    )
    load_into_project(db, ROOT / "codebooks" / "wei_crisis_response.yaml")
    for t in ("P01", "P02", "P03"):
        save_decision(db, Decision(t, 2, "alice", frozenset({"csu-capacity"})))
    db.close()

    def hits(*where):
        args = [a for w in where for a in ("--where", w)]
        out = run("retrieve", "csu-capacity", *args, "-f", "json", "--db", db_path)
        return out, [h["transcript"] for h in json.loads(out.stdout)["hits"]] if out.exit_code == 0 else None

    assert hits('city="Portland, OR"')[1] == ["P01"]
    assert hits('city="Portland, OR",Salem')[1] == ["P01", "P02"]
    assert hits("city!=Portland")[1] == ["P01", "P02"]
    # Typed bare, the comma splits it: the error says how to keep it whole, not only that "OR" is unknown.
    bare, _ = hits("city=Portland, OR")
    assert bare.exit_code == 1
    assert bare.stderr == (
        'Error: No transcript or speaker has city=OR (values: Portland, "Portland, OR", Salem). '
        '"Portland, OR" holds a comma: put it in double quotes, --where \'city="Portland, OR"\'.\n'
    )
    quoted = run("retrieve", "csu-capacity", "--where", 'city="Portland, OR",Salem', "--db", db_path)
    assert 'where city="Portland, OR" or Salem' in " ".join(quoted.stdout.split())


def recount(sample, coder: str, keep) -> tuple[Counter, Counter]:
    """Segments per code and per pair of codes without children, among the participant turns `coder`
    decided whose speaker `keep` accepts (attributes from participants.csv): plain SQL and Python."""
    conn = sqlite3.connect(sample)
    parents = {p for (p,) in conn.execute("SELECT DISTINCT parent FROM codes WHERE parent IS NOT NULL")}
    leaves = {c for (c,) in conn.execute("SELECT code FROM codes")} - parents
    rows = conn.execute(
        "SELECT s.transcript_id, s.speaker, d.codes FROM decisions d JOIN segments s ON s.id = d.segment_id "
        "WHERE d.coder_id = ? AND s.role = 'participant'",
        (coder,),
    ).fetchall()
    conn.close()
    codes, pairs = Counter(), Counter()
    for transcript, speaker, text in rows:
        if not keep(attrs_of(transcript, speaker)):
            continue
        applied = sorted(set(json.loads(text)) & leaves)
        codes.update(applied)
        pairs.update(frozenset(p) for p in combinations(applied, 2))
    return codes, pairs


def test_cooccurrence_where_and_by_against_a_recount(sample, tmp_path):
    args = ["report", "cooccurrence", "--source", "alice", "--db", sample]
    out = run(*args, "--where", "setting=rural", "--by", "role", "-f", "json")
    assert out.exit_code == 0, out.stderr
    found = json.loads(out.stdout)
    assert found["where"] == {"setting": "rural"} and found["by"] == ["role"]

    def pairs_of(listed):
        return {frozenset((p["a"], p["b"])): p["segments"] for p in listed}

    codes, pairs = recount(sample, "alice", lambda a: a.get("setting") == "rural")
    assert pairs_of(found["pairs"]) == dict(pairs) and pairs
    assert {c["code"]: c["segments"] for c in found["codes"] if c["segments"]} == dict(codes)
    groups = {g["value"]: g for g in found["groups"]}
    assert list(groups) == ["officer", "provider"]
    for role in ("officer", "provider"):
        codes, pairs = recount(
            sample, "alice", lambda a, r=role: a.get("setting") == "rural" and a.get("role") == r
        )
        assert pairs_of(groups[role]["pairs"]) == dict(pairs) and pairs
        rural = {k for k, a in people().items() if a.get("setting") == "rural" and a.get("role") == role}
        assert groups[role]["participants"] == len(rural)

    # NOT, and a list: the same recount.
    out = run(*args, "--where", "role!=officer", "--where", "setting=rural,urban", "--min", "2", "-f", "json")
    _, pairs = recount(sample, "alice", lambda a: a.get("role") != "officer")
    assert pairs_of(json.loads(out.stdout)["pairs"]) == {p: k for p, k in pairs.items() if k >= 2}

    # The titles name the filter and the group, in the terminal, the Markdown and the CSV's rows.
    table = run(*args, "--where", "setting=rural", "--by", "role", "--min", "3").stdout
    assert table.startswith("Co-occurrence (alice, pairs in at least 3 segments, where setting=rural)\n")
    assert (
        "Co-occurrence (alice, pairs in at least 3 segments, where setting=rural): role=officer (n=3)"
        in table
    )
    md = run(*args, "--where", "setting=rural", "--by", "role", "-f", "md").stdout
    assert (
        "### Co-occurrence (alice, pairs in at least 1 segment, where setting=rural): role=provider (n=2)"
        in md
    )
    rows = list(
        csv.DictReader(
            io.StringIO(run(*args, "--where", "setting=rural", "--by", "role", "-f", "csv").stdout)
        )
    )
    officer = {
        frozenset((r["code_a"], r["code_b"])): int(r["segments_both"])
        for r in rows
        if r["value"] == "officer"
    }
    assert officer == pairs_of(groups["officer"]["pairs"])
    assert {r["attribute"] for r in rows} == {"", "role"}
    xlsx = tmp_path / "co.xlsx"
    assert run(*args, "--by", "role", "-o", xlsx).exit_code == 0
    import openpyxl

    assert openpyxl.load_workbook(xlsx).sheetnames[:2] == ["pairs", "groups"]


def test_cooccurrence_where_nobody_is_said_and_a_typo_is_one_line(sample):
    # Jurisdiction C's one participant is an officer: no provider there.
    out = run(
        "report",
        "cooccurrence",
        "--source",
        "alice",
        "--where",
        "jurisdiction=Jurisdiction C",
        "--where",
        "role=provider",
        "-f",
        "json",
        "--db",
        sample,
    )
    assert out.exit_code == 0
    said = (
        "No participant with jurisdiction=Jurisdiction C, role=provider has a decided segment under source "
        "alice: every count is 0. Report without --where to see the others."
    )
    assert json.loads(out.stdout)["warnings"] == [said] and json.loads(out.stdout)["pairs"] == []
    # Said before the consensus' partial-coverage warning, so the mistake is the one line.
    typo = run("report", "cooccurrence", "--where", "setting=rual", "--db", sample)
    assert typo.exit_code == 1 and typo.stderr == (
        "Error: No transcript or speaker has setting=rual (values: rural, urban). Pass one of those to "
        "--where setting=VALUE.\n"
    )
    by = run("report", "cooccurrence", "--by", "rol", "--source", "alice", "--db", sample)
    assert by.exit_code == 1 and by.stderr.startswith('Error: No transcript has the attribute "rol"')


def test_a_value_with_its_accent_composed_or_not_is_one_value(tmp_path, make_transcript):
    # One row typed in Excel ("San José", é one character), one pasted from a Mac's file name (e and a
    # combining accent): they look the same, and --where kept the one of them it was typed as, without a word.
    from _qdpx_project import ROOT

    from wei_qual.codebook import load_into_project
    from wei_qual.ingest import ingest_files
    from wei_qual.models import Decision
    from wei_qual.store.decisions import save_decision

    people_csv = tmp_path / "participants.csv"
    people_csv.write_text("id,city\nP01,San Jos\u00e9\nP02,San Jose\u0301\nP03,Salem\n", encoding="utf-8")
    db_path = tmp_path / "accents.db"
    db = open_db(db_path)
    turns = "Interviewer: And the beds?\n{0}: The unit was full again that night, so we waited with him.\n"
    ingest_files(
        db,
        [make_transcript(turns.format(t), f"{t}.txt") for t in ("P01", "P02", "P03")],
        attributes_csv=people_csv,
    )
    load_into_project(db, ROOT / "codebooks" / "wei_crisis_response.yaml")
    for t in ("P01", "P02", "P03"):
        save_decision(db, Decision(t, 2, "alice", frozenset({"csu-capacity"})))
    db.close()
    for typed, expected in (
        ("city=San Jos\u00e9", ["P01", "P02"]),
        ("city=san jose\u0301", ["P01", "P02"]),
        ("city!=SAN JOS\u00c9", ["P03"]),
    ):
        out = run("retrieve", "csu-capacity", "--where", typed, "-f", "json", "--db", db_path)
        assert out.exit_code == 0, out.stderr
        assert [h["transcript"] for h in json.loads(out.stdout)["hits"]] == expected, typed


def test_a_negated_value_nobody_has_is_named_as_typed(sample):
    # "role!=nurse" was said "has role=nurse": the user, reading "=", looked for an "=" they never typed.
    out = run("retrieve", "csu-capacity", "--where", "role!=nurse", "--db", sample)
    assert out.exit_code == 1 and out.stderr == (
        "Error: No transcript or speaker has role=nurse, which --where role!=nurse names (values: officer, "
        "provider). Pass one of those to --where role!=VALUE.\n"
    )
