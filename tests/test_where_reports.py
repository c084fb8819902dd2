"""--where on report themes, quotes, matrix and saturation: the counts and percentages of the participants
it keeps, checked in every format against a recount made from the sample's own participants.csv and a
plain SQL read of the decisions; the filter is named wherever a reader could take the numbers for the
whole study's."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from decimal import ROUND_HALF_UP, Decimal

import pytest
from _qdpx_project import build_sample_project
from test_where import attrs_of
from typer.testing import CliRunner

from wei_qual.cli import app

RURAL = "setting=rural"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("where_reports") / "sample.db"
    build_sample_project(path).close()
    return path


def run(*args):
    return CliRunner().invoke(app, [*map(str, args)])


def half_up(part: int, whole: int) -> float:
    return float((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def decided(sample, coder: str, keep) -> list[tuple[str, int, str | None, set[str]]]:
    """(transcript, segment, speaker, codes with every ancestor theme) of the participant turns `coder`
    decided whose speaker `keep` accepts (attributes from participants.csv), in plain SQL and Python."""
    conn = sqlite3.connect(sample)
    parent = dict(
        conn.execute(
            "SELECT code, parent FROM codes WHERE codebook_id = (SELECT MAX(codebook_id) FROM codes)"
        ).fetchall()
    )
    rows = conn.execute(
        "SELECT s.transcript_id, s.n, s.speaker, d.codes FROM decisions d JOIN segments s ON s.id = d.segment_id "
        "WHERE d.coder_id = ? AND s.role = 'participant'",
        (coder,),
    ).fetchall()
    conn.close()
    out = []
    for transcript, n, speaker, text in rows:
        if not keep(attrs_of(transcript, speaker)):
            continue
        codes: set[str] = set()
        for code in json.loads(text):
            while code is not None and code in parent:
                codes.add(code)
                code = parent[code]
        out.append((transcript, n, speaker, codes))
    return out


def theme_recount(sample, coder: str, keep, by: str | None = None):
    """{code: (segments, participants)} overall, and per value of `by`, with each group's N."""
    turns = decided(sample, coder, keep)
    who = {(t, s) for t, _, s, _ in turns}
    n = len(who)
    counts: dict[str, tuple[int, set]] = {}
    for t, _, s, codes in turns:
        for c in codes:
            k, held = counts.get(c, (0, set()))
            held.add((t, s))
            counts[c] = (k + 1, held)
    groups = {}
    if by:
        for value in {attrs_of(t, s).get(by) for t, s in who}:
            groups[value] = theme_recount(sample, coder, lambda a, v=value: keep(a) and a.get(by) == v)
    return n, {c: (k, len(held)) for c, (k, held) in counts.items()}, groups


def test_themes_where_counts_and_percentages_are_of_the_kept_participants(sample, tmp_path):
    n, counts, groups = theme_recount(sample, "alice", lambda a: a.get("setting") == "rural", by="role")
    everyone, _, _ = theme_recount(sample, "alice", lambda a: True)
    assert n == 5 and everyone == 11  # the recount is of a real subset
    args = ["report", "themes", "--source", "alice", "--where", RURAL, "--by", "role", "--db", sample]

    out = run(*args, "-f", "json")
    assert out.exit_code == 0, out.stderr
    found = json.loads(out.stdout)
    assert found["where"] == {"setting": "rural"} and found["where_not"] == {}
    assert found["participants"] == n and found["transcripts"] == n
    assert found["groups"] == {"role": {v: groups[v][0] for v in ("officer", "provider")}}
    for row in found["rows"]:
        k, people_with = counts.get(row["code"], (0, 0))
        assert (row["segments"], row["participants"]) == (k, people_with), row["code"]
        assert row["pct_participants"] == half_up(people_with, n)  # of the 5 kept, not of the 11
        for value, (g_n, g_counts, _) in groups.items():
            g_k, g_people = g_counts.get(row["code"], (0, 0))
            assert row["by"]["role"][value] == {
                "segments": g_k,
                "participants": g_people,
                "pct_participants": half_up(g_people, g_n),
            }
    assert found["warnings"] == []

    # The terminal and Markdown name the filter in the title and say whose percentages they are.
    said = "Only the 5 participants with setting=rural (--where) are counted: percentages are of them, not of the whole study."
    table = run(*args, "--wide")
    assert table.stdout.startswith("Themes (alice, where setting=rural)\n")
    assert said in " ".join(table.stdout.split())
    _, (k, p) = next((c, v) for c, v in counts.items() if v[1] not in (0, n))
    assert f" {k} {p} ({half_up(p, n)}%) " in " ".join(table.stdout.split())
    md = run(*args, "-f", "md").stdout
    assert md.startswith("### Themes (alice, where setting=rural)\n")
    assert "| Participants (N=5) | role=officer (n=3) | role=provider (n=2) |" in md and said in md

    # The CSV: every number in its column; stderr says the bare table does not name the filter.
    out = run(*args, "-f", "csv")
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out.stdout))}
    for c, (k, p) in counts.items():
        assert (int(rows[c]["segments"]), int(rows[c]["participants"])) == (k, p)
        assert float(rows[c]["pct_participants"]) == half_up(p, n)
        g_k, g_p = groups["provider"][1].get(c, (0, 0))
        assert int(rows[c]["role=provider (n=2) participants"]) == g_p
    assert out.stderr == (
        "Warning: the CSV does not name its --where setting=rural (it holds those participants alone): keep "
        "the filter with the file, or write .xlsx, .md or .json, which name it.\n"
    )

    # The XLSX: the same numbers, and its notes sheet says the filter and the N.
    import openpyxl

    path = tmp_path / "rural.xlsx"
    assert run(*args, "-o", path).exit_code == 0
    book = openpyxl.load_workbook(path)
    sheet = list(book["themes"].values)
    head = list(sheet[0])
    cells = {r[0]: dict(zip(head, r)) for r in sheet[1:]}
    for c, (k, p) in counts.items():
        assert (cells[c]["participants"], cells[c]["pct_participants"]) == (p, half_up(p, n))
    notes = [r[1] for r in book["notes"].values]
    assert said in notes


def test_themes_where_not_and_a_list_against_the_recount(sample):
    keep = lambda a: a.get("role") != "officer" and a.get("setting") in ("rural", "urban")
    n, counts, _ = theme_recount(sample, "alice", keep)
    out = run(
        "report", "themes", "--source", "alice", "--where", "role!=officer", "--where",
        "setting=rural,urban", "-f", "json", "--db", sample,
    )  # fmt: skip
    found = json.loads(out.stdout)
    assert found["where_not"] == {"role": "officer"} and found["where"] == {"setting": ["rural", "urban"]}
    assert found["participants"] == n
    assert {r["code"]: (r["segments"], r["participants"]) for r in found["rows"] if r["segments"]} == counts


def test_themes_where_nobody_is_exit_0_with_a_warning_and_a_typo_is_one_line(sample):
    out = run(
        "report", "themes", "--source", "alice", "--where", "jurisdiction=Jurisdiction C",
        "--where", "role=provider", "-f", "json", "--db", sample,
    )  # fmt: skip
    assert out.exit_code == 0
    said = (
        "No participant with jurisdiction=Jurisdiction C, role=provider has a decided segment under source "
        "alice: every count is 0. Report without --where to see the others."
    )
    found = json.loads(out.stdout)
    assert found["warnings"] == [said] and out.stderr == f"Warning: {said}\n"
    assert found["participants"] == 0 and not any(r["participants"] for r in found["rows"])
    for command in ("themes", "quotes", "matrix", "saturation"):
        typo = run("report", command, "--where", "setting=rual", "--db", sample)
        assert typo.exit_code == 1 and typo.stderr == (
            "Error: No transcript or speaker has setting=rual (values: rural, urban). Pass one of those to "
            "--where setting=VALUE.\n"
        ), command


def test_the_partial_consensus_warning_gives_no_whole_study_n_as_the_tables(sample):
    # The sample's consensus has decided a part of the turns: its warning gave "(N=11)", the whole
    # study's, above a table whose N is the 5 rural participants.
    out = run("report", "themes", "--where", RURAL, "-f", "json", "--db", sample)
    assert out.exit_code == 0
    (warning,) = json.loads(out.stdout)["warnings"]
    assert (
        "Percentages are of the participants with setting=rural it has decided a turn of (the report's N; "
        in warning
    )
    assert "(N=" not in warning
    plain = run("report", "themes", "-f", "json", "--db", sample)
    assert "(N=" in json.loads(plain.stdout)["warnings"][0]


def test_quotes_where_quotes_only_the_kept_and_says_why_a_code_has_none(sample):
    args = ["report", "quotes", "--where", RURAL, "--where", "role=officer", "--db", sample]
    out = run(*args, "--source", "alice", "--code", "jail-fallback", "--per-group", "9", "-f", "json")
    assert out.exit_code == 0, out.stderr
    found = json.loads(out.stdout)
    assert found["where"] == {"setting": "rural", "role": "officer"}
    kept = {
        (t, n)
        for t, n, _, codes in decided(
            sample, "alice", lambda a: a.get("setting") == "rural" and a.get("role") == "officer"
        )
        if "jail-fallback" in codes
    }
    assert {(q["transcript"], q["segment"]) for q in found["quotes"]} <= kept
    # One quote per participant first: as many as there are rural officers who raised it.
    assert len({q["transcript"] for q in found["quotes"]}) == len({t for t, _ in kept}) > 1
    md = run(*args, "--source", "alice", "--code", "jail-fallback", "-f", "md").stdout
    assert md.startswith("### Exemplar quotes (alice, where setting=rural, role=officer)\n")
    assert "Only the 3 participants with setting=rural, role=officer (--where) are counted" in md

    # Consensus decided no rural turn the coders marked stance-mixed: the coders' turns are those of the
    # kept participants, not only the ones consensus decided ("no coder applied it" was wrong).
    coded = {
        (t, n)
        for coder in ("alice", "bob")
        for t, n, _, codes in decided(sample, coder, lambda a: a.get("setting") == "rural")
        if "stance-mixed" in codes
    }
    out = run("report", "quotes", "--where", RURAL, "--code", "stance-mixed", "-f", "json", "--db", sample)
    assert json.loads(out.stdout)["quotes"] == []
    assert (
        f'No quote for "stance-mixed": consensus applied it to no turn of a participant with setting=rural, '
        f"though the coders applied it on {len(coded)} turns of participants with setting=rural."
    ) in out.stderr
    assert len(coded) == 2


def test_matrix_where_rows_are_the_kept_segments(sample, tmp_path):
    keep = lambda a: a.get("role") != "officer"
    expected = {(t, n): codes for t, n, _, codes in decided(sample, "alice", keep)}
    args = ["report", "matrix", "--source", "alice", "--where", "role!=officer", "--db", sample]
    out = run(*args)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert {(r["transcript"], int(r["segment"])) for r in rows} == set(expected) and expected
    for r in rows:
        codes = expected[(r["transcript"], int(r["segment"]))]
        assert all((r[c] == "1") == (c in codes) for c in ("csu", "jail-fallback", "rural-distance"))
    assert "does not name its --where role!=officer" in out.stderr
    found = json.loads(run(*args, "-f", "json").stdout)
    assert found["where_not"] == {"role": "officer"} and len(found["rows"]) == len(expected)
    import openpyxl

    path = tmp_path / "m.xlsx"
    assert run(*args, "-o", path).exit_code == 0
    book = openpyxl.load_workbook(path)
    assert book["matrix"].max_row == len(expected) + 1
    notes = [r[1] for r in book["notes"].values]
    providers = len({(t, s) for t, _, s, _ in decided(sample, "alice", keep)})
    assert f"Only the {providers} participants with role!=officer (--where) are counted" in " ".join(notes)


def test_saturation_where_names_its_scope(sample):
    out = run(
        "report", "saturation", "--source", "alice", "--where", RURAL, "--by", "role", "-f", "json",
        "--db", sample,
    )  # fmt: skip
    assert out.exit_code == 0, out.stderr
    found = json.loads(out.stdout)
    rural = sorted({t for t, _, _, _ in decided(sample, "alice", lambda a: a.get("setting") == "rural")})
    assert found["where"] == {"setting": "rural"}
    assert found["overall"]["scope"] == RURAL  # not "all": it is not the whole study
    assert sorted(s["transcript"] for s in found["overall"]["steps"]) == rural
    table = run("report", "saturation", "--source", "alice", "--where", RURAL, "--db", sample).stdout
    assert table.startswith("Saturation (alice, order: ingest, where setting=rural)\n")


def test_cooccurrence_where_names_the_filter_on_every_sheet(sample, tmp_path):
    import openpyxl

    path = tmp_path / "co.xlsx"
    args = ["report", "cooccurrence", "--source", "alice", "--where", RURAL, "--db", sample]
    assert run(*args, "-o", path).exit_code == 0
    notes = list(openpyxl.load_workbook(path)["notes"].values)[1:]
    said = (
        "Only the 5 participants with setting=rural (--where) are counted: the segments counted are theirs."
    )
    assert {sheet for sheet, note in notes if note == said} == {"pairs", "matrix", "jaccard"}


def test_a_where_note_on_all_kinds_leaves_out_documents_a_project_has_none_of(sample):
    # The sample study has interviews only: "5 participants and 0 documents" named what it does not hold.
    out = run(
        "report", "themes", "--source", "alice", "--kind", "all", "--where", RURAL, "-f", "md", "--db", sample
    )
    assert out.exit_code == 0, out.stderr
    said = " ".join(out.stdout.split())
    assert "Only the 5 participants with setting=rural (--where) are counted" in said
    assert "document" not in said.split("Only the 5", 1)[1].split("counted")[0]
