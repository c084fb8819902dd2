"""An analyst's everyday reading of a coded project (retrieve, search, memos, quotes) on the bundled
fictional sample: a mistyped code is named, quotes are cited where they can be found again."""

from __future__ import annotations

import csv as csvmod
import dataclasses
import io
import json
import sqlite3

import pytest
from _qdpx_project import build_sample_project
from typer.testing import CliRunner

from wei_qual.cli import app
from wei_qual.store import open_db
from wei_qual.store.decisions import iter_decisions, save_decision


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("desk") / "sample.db"
    build_sample_project(path).close()
    return path


def run(*args):
    return CliRunner().invoke(app, [*map(str, args)])


@pytest.mark.parametrize(
    "args",
    [
        ["retrieve", "csu-excluded-intoxicaton"],
        ["retrieve", "csu-admission", "--not", "csu-excluded-intoxicaton"],
        ["search", "clearance", "--code", "csu-excluded-intoxicaton"],
        ["search", "clearance", "--not", "csu-excluded-intoxicaton"],
        ["memos", "--code", "csu-excluded-intoxicaton"],
        ["report", "quotes", "--code", "csu-excluded-intoxicaton"],
        ["agree", "--codes", "csu-excluded-intoxicaton"],
        ["report", "cooccurrence", "--code", "csu-excluded-intoxicaton"],
    ],
)
def test_a_mistyped_code_names_the_code_it_was_meant_for(sample, args):
    # One letter left out of a long id: the error named no code, and the analyst read the whole codebook.
    result = run(*args, "--db", sample)
    assert result.exit_code == 1
    assert '"csu-excluded-intoxicaton"' in result.stderr
    assert '(did you mean "csu-excluded-intoxication"?)' in result.stderr
    # The error is the one thing said: it came last, under the sample's partial-consensus warning.
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr


def test_no_guess_for_a_code_like_no_other(sample):
    result = run("retrieve", "budget", "--db", sample)
    assert result.exit_code == 1 and "did you mean" not in result.stderr
    assert 'Code "budget" is not in the active codebook' in result.stderr


def test_a_timed_turn_is_cited_by_where_it_starts_in_the_recording(sample, tmp_path):
    # P06 is a WebVTT export: its turns carry cue times, which `transcripts show` listed and retrieve
    # and quotes left out, so a quote could not be found again in the recording.
    table = run("retrieve", "stance-opposed", "--context", "0", "--db", sample)
    assert "P06 segment 14, Officer 2 (participant), at 0:04:04\n" in table.stdout
    md = tmp_path / "opposed.md"
    assert run("retrieve", "stance-opposed", "-o", md, "--db", sample).exit_code == 0
    assert "### P06 segment 14, Officer 2 (participant), at 0:04:04\n" in md.read_text()
    rows = run("retrieve", "stance-opposed", "--format", "csv", "--db", sample).stdout.splitlines()
    assert rows[0].startswith("transcript,segment,speaker,role,section,pages,time,attributes,")
    assert rows[1].startswith("P06,14,Officer 2,participant,,,0:04:04,")
    hit = json.loads(run("retrieve", "stance-opposed", "--format", "json", "--db", sample).stdout)["hits"][0]
    assert (hit["start_time"], hit["end_time"]) == (pytest.approx(244.837), pytest.approx(252.021))
    # A plain-text turn has no time: no "at", an empty cell, null.
    plain = run("retrieve", "csu-admission", "--transcript", "P02", "--format", "json", "--db", sample)
    first = json.loads(plain.stdout)["hits"][0]
    assert first["start_time"] is None and first["end_time"] is None
    quotes = run("report", "quotes", "--code", "stance-opposed", "--format", "csv", "--db", sample)
    lines = quotes.stdout.splitlines()
    assert lines[0].startswith("code,name,transcript,segment,speaker,pages,time,participant,")
    assert lines[1].startswith("stance-opposed,Opposed,P06,14,Officer 2,,0:04:04,P06,")
    data = json.loads(
        run("report", "quotes", "--code", "stance-opposed", "--format", "json", "--db", sample).stdout
    )
    assert data["quotes"][0]["start_time"] == pytest.approx(244.837)


def test_quotes_are_cited_by_transcript_segment_and_time_in_every_format_a_paper_takes(sample, tmp_path):
    # The table, Markdown and HTML cited the participant only ("P06"): transcript:segment, the form
    # `transcripts show` and search take, and the time in the recording, were in the CSV and JSON only.
    # The column read "Theme" over rows of codes.
    table = run("report", "quotes", "--code", "stance-opposed", "--per-group", "1", "--db", sample)
    assert table.exit_code == 0, table.stderr
    header, row = [" ".join(line.split()) for line in table.stdout.splitlines()[2:5:2]]
    assert header == "Code Quote Participant Segment"
    assert row.startswith("Opposed Honestly? I'm not a big fan.") and row.endswith(" P06 P06:14 at 0:04:04")
    md = run(
        "report",
        "quotes",
        "--code",
        "stance-opposed",
        "--code",
        "csu-admission",
        "--format",
        "md",
        "--db",
        sample,
    ).stdout
    assert "| Code | Quote | Participant | Segment |\n" in md
    assert "| P06 | P06:14 at 0:04:04 |\n" in md
    assert "| P02 | P02:4 |\n" in md  # a plain-text turn has no time
    themes = run("report", "quotes", "--code", "stance-civilian", "--format", "md", "--db", sample).stdout
    assert "| Theme | Quote | Participant | Segment |\n" in themes
    both = run(
        "report",
        "quotes",
        "--code",
        "stance-civilian",
        "--code",
        "stance-opposed",
        "--format",
        "md",
        "--db",
        sample,
    ).stdout
    assert "| Code or theme | Quote | Participant | Segment |\n" in both
    data = json.loads(
        run(
            "report",
            "quotes",
            "--code",
            "stance-civilian",
            "--code",
            "stance-opposed",
            "--format",
            "json",
            "--db",
            sample,
        ).stdout
    )
    assert [(q["level"], q["cite"]) for q in data["quotes"]][-2:] == [
        ("code", "P06:14 at 0:04:04"),
        ("code", "P06:16 at 0:04:21"),
    ]
    assert data["quotes"][0]["level"] == "theme"
    page = tmp_path / "report.html"
    assert run("report", "html", "-o", page, "--db", sample).exit_code == 0
    html = page.read_text()
    quotes = html[html.index('<section id="quotes">') :]
    assert '<th scope="col">Quote</th><th scope="col">Participant</th><th scope="col">Segment</th>' in quotes
    assert "<td>P06, officer</td><td>P06:14 at 0:04:04</td>" in quotes
    assert "<td>P02, provider</td><td>P02:4</td>" in quotes


def test_an_answer_where_emptied_does_not_say_no_segment_has_the_codes(sample, tmp_path):
    # 'No segment has these codes under this source.' closed the Markdown under a warning that counted
    # the segments that have them: the file pasted to a co-author contradicted itself.
    out = tmp_path / "rural-officers.md"
    result = run(
        "retrieve",
        "csu-admission",
        "--where",
        "setting=urban",
        "--where",
        "role=officer",
        "-o",
        out,
        "--db",
        sample,
    )
    assert result.exit_code == 0
    text = out.read_text()
    assert "No segment has these codes under this source." not in text
    assert "none of them from a participant (or document) with setting=urban, role=officer" in text
    assert text.rstrip().endswith(
        "No segment of a participant (or document) with setting=urban, role=officer has these codes under this source."
    )


def test_a_cited_segment_is_shown_in_its_transcript_with_the_turns_around_it(sample):
    # Search and memos cite "P06:14"; `transcripts show` refused it and showed all 38 turns of P06 for "P06".
    shown = run("transcripts", "show", "P06:14", "--context", "1", "--no-pager", "--wide", "--db", sample)
    assert shown.exit_code == 0, shown.stderr
    numbers = [line.split()[0] for line in shown.stdout.splitlines() if line[:3].strip().isdigit()]
    assert numbers == ["13", "14", "15"]
    assert "0:04:04  Honestly? I'm not a big fan." in shown.stdout
    same = run(
        "transcripts", "show", "p06", "--segment", "14", "--context", "1", "--format", "json", "--db", sample
    )
    assert [s["n"] for s in json.loads(same.stdout)["segments"]] == [13, 14, 15]
    whole = json.loads(run("transcripts", "show", "P06", "--format", "json", "--db", sample).stdout)
    assert len(whole["segments"]) == 38
    missing = run("transcripts", "show", "P06:99", "--db", sample)
    assert missing.exit_code == 1
    assert missing.stderr == 'Error: Transcript "P06" has segments 1 to 38: no segment 99.\n'
    typo = run("transcripts", "show", "P6:14", "--db", sample)
    assert typo.exit_code == 1 and '(did you mean "P06"?)' in typo.stderr
    both = run("transcripts", "show", "P06:14", "--segment", "15", "--db", sample)
    assert both.exit_code == 1 and "name two segments" in both.stderr
    default = json.loads(run("transcripts", "show", "P06:14", "--format", "json", "--db", sample).stdout)
    assert [s["n"] for s in default["segments"]] == [11, 12, 13, 14, 15, 16, 17]
    alone = run("transcripts", "show", "P06", "--context", "2", "--db", sample)
    assert alone.exit_code == 1
    assert alone.stderr == (
        "Error: --context shows the turns around one segment: pass P06:N or --segment N with it.\n"
    )


@pytest.fixture
def copy(sample, tmp_path):
    """A private copy of the sample project, for tests that change it."""
    path = tmp_path / "copy.db"
    with sqlite3.connect(sample) as source, sqlite3.connect(path) as target:
        source.backup(target)
    path.chmod(0o600)
    return path


def test_quotes_of_a_code_the_source_never_applied_say_why_the_table_is_empty(copy):
    # Both coders applied sexual-violence on P05:20 and consensus had not reconciled it yet: the quotes
    # came back as an empty table, "0 of 0 quotes", read as "nobody raised it".
    db = open_db(copy)
    held = [d for d in iter_decisions(db) if "sexual-violence" in d.codes]
    assert {d.coder for d in held} == {"alice", "bob", "consensus"}
    for d in held:
        if d.coder == "consensus":
            save_decision(db, dataclasses.replace(d, codes=d.codes - {"sexual-violence"}))
    db.close()
    result = run("report", "quotes", "--code", "sexual-violence", "--format", "json", "--db", copy)
    assert result.exit_code == 0
    said = (
        'No quote for "sexual-violence": consensus applied it to no participant turn, though the coders '
        f"applied it on {len({(d.transcript, d.segment) for d in held})} participant turns. Reconcile them, "
        "or pass --source union."
    )
    data = json.loads(result.stdout)
    assert data["quotes"] == [] and said in data["warnings"]
    assert f"Warning: {said}" in " ".join(result.stderr.split())
    assert json.loads(
        run(
            "report",
            "quotes",
            "--code",
            "sexual-violence",
            "--source",
            "union",
            "--format",
            "json",
            "--db",
            copy,
        ).stdout
    )["quotes"]


def test_a_search_hit_in_a_timed_turn_is_cited_by_its_time(sample):
    # The search cited P06:14 (a WebVTT turn) with no time, and a hit in a PDF with its page.
    md = run("search", "big fan", "--format", "md", "--db", sample).stdout
    assert "| P06:14 Officer 2, 0:04:04 | Honestly? I'm not a | **big fan** |" in md
    rows = run("search", "big fan", "--format", "csv", "--db", sample).stdout.splitlines()
    assert rows[0] == "transcript,segment,speaker,role,time,left,match,right,codes"
    assert rows[1].startswith("P06,14,Officer 2,participant,0:04:04,")
    data = json.loads(run("search", "big fan", "--format", "json", "--db", sample).stdout)
    assert data["results"][0]["time"] == "0:04:04"
    # Hits in untimed turns only: no time column, null in the JSON.
    plain = run("search", "forty percent", "--format", "csv", "--db", sample).stdout.splitlines()
    assert plain[0] == "transcript,segment,speaker,role,left,match,right,codes"
    assert (
        json.loads(run("search", "forty percent", "--format", "json", "--db", sample).stdout)["results"][0][
            "time"
        ]
        is None
    )


def test_cooccurrence_of_the_codes_asked_for(sample):
    # The table listed every pair of the codebook (32 codes, 496 possible pairs): one pair was found by grep, and
    # a pair applied together nowhere was only a missing row.
    args = ["report", "cooccurrence", "--source", "union", "--format", "json", "--db", sample]
    whole = json.loads(run(*args).stdout)
    pair = json.loads(run(*args, "--code", "csu-excluded-intoxication", "--code", "jail-fallback").stdout)
    assert pair["only"] == ["csu-excluded-intoxication", "jail-fallback"] and pair["warnings"] == []
    assert pair["pairs"] == [
        p for p in whole["pairs"] if {p["a"], p["b"]} == {"csu-excluded-intoxication", "jail-fallback"}
    ]
    assert pair["pairs"][0]["segments"] == 7
    one = json.loads(run(*args, "--code", "jail-fallback").stdout)
    assert one["pairs"] == [p for p in whole["pairs"] if "jail-fallback" in (p["a"], p["b"])]
    assert len(one["pairs"]) > 1
    never = run(*args, "--code", "sexual-violence", "--code", "jail-fallback")
    said = (
        '"sexual-violence" and "jail-fallback" are applied together on no segment (sexual-violence on 2, '
        "jail-fallback on 18 segments; source union)."
    )
    assert json.loads(never.stdout)["pairs"] == [] and said in json.loads(never.stdout)["warnings"]
    assert said in " ".join(never.stderr.split())
    table = run(
        "report", "cooccurrence", "--source", "union", "--code", "jail-fallback", "--db", sample
    ).stdout
    assert table.startswith("Co-occurrence (union, pairs with jail-fallback, in at least 1 segment)")
    theme = run("report", "cooccurrence", "--code", "csu", "--db", sample)
    assert theme.exit_code == 1
    assert (
        'Error: "csu" is a theme, which --level code does not pair: pass --level theme or both.'
        in theme.stderr
    )
    typo = run("report", "cooccurrence", "--code", "jail-fallbak", "--db", sample)
    assert typo.exit_code == 1 and '(did you mean "jail-fallback"?)' in typo.stderr


def test_a_file_shared_from_a_filtered_search_or_retrieve_names_its_filters(sample, tmp_path):
    # `search "clearance" --not csu-admission -o missed.md` was headed "# Search: clearance": a co-author
    # read the passages no coder coded as every mention, and a retrieve of one interview as the study's.
    missed = tmp_path / "missed.md"
    args = ["search", "clearance", "--not", "csu-admission", "--role", "participant", "-o", missed]
    assert run(*args, "--db", sample).exit_code == 0
    assert missed.read_text().startswith("# Search: clearance, not coded csu-admission, participant turns\n")
    table = run("search", "clearance", "--code", "csu-admission", "--where", "role=provider", "--db", sample)
    assert table.stdout.startswith("Search: clearance, coded csu-admission, where role=provider\n")
    one = tmp_path / "p06.md"
    assert run("retrieve", "stance-opposed", "-t", "p06", "-o", one, "--db", sample).exit_code == 0
    assert one.read_text().startswith("# Opposed (stance-opposed), in P06\n")
    data = json.loads(
        run("retrieve", "stance-opposed", "-t", "p06", "--format", "json", "--db", sample).stdout
    )
    assert data["transcripts"] == ["P06"]
    assert (
        json.loads(run("retrieve", "stance-opposed", "--format", "json", "--db", sample).stdout)[
            "transcripts"
        ]
        is None
    )


def test_a_memo_log_shared_from_a_filter_says_whose_and_on_what(sample, tmp_path):
    # `memos --code … --coder bob -o log.md` was headed "# Memos", read as the team's whole log.
    log = tmp_path / "log.md"
    args = ["memos", "--code", "csu-excluded-intoxication", "--coder", "BOB", "-o", log, "--db", sample]
    assert run(*args).exit_code == 0
    assert log.read_text().startswith("# Memos on csu-excluded-intoxication, by bob\n")
    every = run("memos", "--format", "md", "--db", sample).stdout
    assert every.startswith("# Memos\n")


def test_retrieve_writes_a_spreadsheet_for_a_co_author(sample, tmp_path):
    # `-o segments.xlsx` was refused ("Cannot tell the format"): retrieve wrote every format but the one
    # a co-author filters and sorts in.
    from openpyxl import load_workbook

    out = tmp_path / "opposed.xlsx"
    written = run("retrieve", "stance-opposed", "--by", "role", "-o", out, "--db", sample)
    assert written.exit_code == 0, written.stderr
    assert written.stderr.endswith(f"Wrote 2 segments to {out}\n")
    assert out.stat().st_mode & 0o777 == 0o600
    book = load_workbook(out)
    sheet = book["segments"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    csv_rows = list(
        csvmod.reader(
            io.StringIO(
                run("retrieve", "stance-opposed", "--by", "role", "--format", "csv", "--db", sample).stdout
            )
        )
    )
    assert rows[0] == csv_rows[0]
    assert [(r[0], r[1], r[2], r[7]) for r in rows[1:]] == [
        ("officer", "P06", 14, "0:04:04"),
        ("officer", "P06", 16, "0:04:21"),
    ]
    assert rows[1][12] == csv_rows[1][12]  # the whole turn
    # Text as text, numbers as numbers, an empty cell empty (not an empty text), as every XLSX here.
    assert {c.data_type for row in sheet.iter_rows() for c in row} <= {"s", "n"}
    notes = [r[1].value for r in book["notes"].iter_rows(min_row=2)]
    assert "Opposed (stance-opposed): 2 segments from 1 participant; source consensus." in notes
    assert any(n.startswith("Before using these numbers: Consensus has decided") for n in notes)
    bare = run("retrieve", "stance-opposed", "--format", "xlsx", "--db", sample)
    assert bare.exit_code == 1
    assert bare.stderr == "Error: --format xlsx writes a spreadsheet, not text: pass -o FILE.xlsx.\n"
    other = run("search", "fan", "-o", tmp_path / "hits.docx", "--db", sample)
    assert other.exit_code == 1 and "asks for docx, which this command does not write" in other.stderr


def test_one_attribute_given_twice_to_where_says_how_to_read_either_value(sample):
    # "rural officers or providers" typed as two --where role=… was refused with no way forward; now the
    # refusal names the one --where that says either.
    result = run(
        "retrieve", "csu-capacity", "--where", "role=officer", "--where", "role=provider", "--db", sample
    )
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: --where names "role" twice: name it once, e.g. --where role=officer,provider (any of them).\n'
    )


def test_an_excerpt_quoted_in_the_html_report_says_so_beside_its_segment(copy, tmp_path):
    # The words a coder marked for the code are the quote: the page cites the turn they come from and
    # says the quote is part of it.
    from wei_qual.models import Excerpt
    from wei_qual.store.decisions import get_decision

    db = open_db(copy)
    decision = get_decision(db, "P06", 14, "consensus")
    text = db.execute("SELECT text FROM segments WHERE transcript_id = 'P06' AND n = 14").fetchone()[0]
    start = text.index("Not for us.")
    marks = (Excerpt("stance-opposed", start, start + len("Not for us.")),)
    save_decision(db, dataclasses.replace(decision, excerpts=marks))
    db.close()
    page = tmp_path / "report.html"
    assert run("report", "html", "-o", page, "--db", copy).exit_code == 0
    quotes = page.read_text()[page.read_text().index('<section id="quotes">') :]
    assert (
        '<td class="quote">Not for us.</td><td>P06, officer</td><td>P06:14 at 0:04:04 (excerpt)</td>'
        in quotes
    )
