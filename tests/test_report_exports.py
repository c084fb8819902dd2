"""Co-occurrence, exemplar quotes, the segment x code matrix and the XLSX writer."""

from __future__ import annotations

import json

import pytest
from test_report_project import LONG, SCRIPT, build_report_project

from wei_qual.errors import ReportError
from wei_qual.excerpts import excerpt_text
from wei_qual.models import Code, Codebook
from wei_qual.report.cooccurrence import build_cooccurrence
from wei_qual.report.data import ReportData, load_report_data
from wei_qual.report.matrix import build_matrix
from wei_qual.report.quotes import build_quotes, is_complete
from wei_qual.report.themes import build_theme_table
from wei_qual.report.writers import md_escape, render_text, resolve_format, to_csv, to_markdown, write_xlsx


@pytest.fixture
def data(db):
    build_report_project(db)
    return load_report_data(db, with_coders=True)


def test_cooccurrence_counts_pairs_and_jaccard(data):
    result = build_cooccurrence(data)
    assert result.counts == {"access-beds": 3, "access-transport": 2, "followup": 2}
    # beds+transport on P01:2, beds+followup on P04:2; Jaccard = 1 / (3 + 2 - 1).
    assert json.loads(render_text(result, "json")) == {
        "source": "consensus",
        "level": "code",
        "min": 1,
        "only": [],
        "where": {},
        "where_not": {},
        "by": [],
        "participants": 5,
        "segments": 7,
        "codes": [
            {"code": "access-beds", "name": "CSU beds", "segments": 3},
            {"code": "access-transport", "name": "Transport", "segments": 2},
            {"code": "followup", "name": "Follow-up care", "segments": 2},
        ],
        "pairs": [
            {"a": "access-beds", "b": "access-transport", "segments": 1, "jaccard": 0.25},
            {"a": "access-beds", "b": "followup", "segments": 1, "jaccard": 0.25},
        ],
        "groups": [],
        "warnings": [],
    }
    assert to_csv(result.pairs_table()) == (
        "code_a,code_b,segments_both,segments_a,segments_b,jaccard\n"
        "access-beds,access-transport,1,3,2,0.250\n"
        "access-beds,followup,1,3,2,0.250\n"
    )
    assert to_csv(result.matrix_table()) == (
        "code,access-beds,access-transport,followup\n"
        "access-beds,3,1,1\naccess-transport,1,2,0\nfollowup,1,0,2\n"
    )
    assert build_cooccurrence(data, min_segments=2).pairs == []
    with pytest.raises(ReportError, match=r"^--min must be at least 1, not 0\. Pass --min 1 or more\.$"):
        build_cooccurrence(data, min_segments=0)


def test_quotes_markdown_reads_like_an_exemplar_table(data):
    result = build_quotes(data, codes=["access-beds"], by="role", per_group=2)
    # officer: only P01 raised it, so two of P01's turns, the substantive one first;
    # provider: P04's turn, with its pipe escaped and its markup kept as text.
    assert to_markdown(result.display_tables(), headings=False) == (
        "| Code | role | Quote | Participant | Segment |\n"
        "|---|---|---|---|---|\n"
        f"| CSU beds | officer | {LONG} | P01, officer | P01:2 |\n"
        "| CSU beds | officer | Beds again, there are never enough beds for the people we see. | P01, officer | P01:3 |\n"
        "| CSU beds | provider | We wait \\| and wait [inaudible] \\<script>alert(1)\\</script> for a bed. | P04, provider "
        "| P04:2 |\n"
        "\nSource: consensus. 1 of 3 quotes are turns every coder who decided them applied the code to (the "
        "agreed column of --format csv or json says which).\n"
    )
    shown = build_quotes(data, codes=["access-beds"], by="role", per_group=1, show=["setting", "role"])
    assert [q.participant for q in shown.quotes] == [
        "P01, officer, rural",
        "P04, provider",
    ]  # P04: no setting
    assert shown.to_json()["show"] == ["setting"]


def test_quotes_prefer_substantive_complete_agreed_turns_close_to_sixty_words_from_different_people():
    codebook = Codebook("cb", "1", codes=(Code("x", "X"),))
    words = lambda n, end=".": " ".join(["word"] * n) + end
    turns = {  # transcript: (text, agreed)
        "A": (words(30), True),  # best tier, 30 from 60
        "B": (words(60), False),  # substantive and complete, not agreed
        "C": ("..." + words(60), True),  # starts mid-sentence
        "D": (words(10), True),  # too short
        "E": (words(100), True),  # best tier, 40 from 60
        "F": (words(59, ""), True),  # no final punctuation
    }
    data = ReportData(
        source="consensus",
        codebook=codebook,
        codebook_version=1,
        segments={(t, 2): {"text": text, "speaker": t} for t, (text, _) in turns.items()},
        applied={(t, 2): frozenset({"x"}) for t in turns},
        coder_codes={
            (t, 2): [frozenset({"x"}), frozenset({"x"} if ok else set())] for t, (_, ok) in turns.items()
        },
        attributes={t: {} for t in turns},
        coders=["a", "b"],
        participants=[(t, t) for t in sorted(turns)],
    )
    picked = build_quotes(data, per_group=6).quotes
    assert [q.transcript for q in picked] == ["A", "E", "B", "C", "F", "D"]
    assert [q.agreed for q in picked] == [True, True, False, True, True, True]


@pytest.mark.parametrize("seed", range(6))
def test_quotes_are_those_of_the_preference_order_written_out_on_random_turns_and_excerpts(seed):
    # The quotes check whether every coder applied a code only for the candidates they come to: the picks
    # must be those of the rule written out whole, every candidate ranked and sorted (excerpts included).
    import random

    rng = random.Random(seed)
    codebook = Codebook(
        "cb", "1", codes=(Code("t", "T"), Code("x", "X", parent="t"), Code("y", "Y", parent="t"))
    )
    segments, applied, coder_codes, excerpts, speakers = {}, {}, {}, {}, ["A", "B", "C"]
    for i in range(60):
        key = (f"P{i % 7}", i + 1)
        sentences = [  # an excerpt is one of them: often a better quote than the whole turn
            " ".join(["word"] * rng.choice([5, 24, 25, 59, 60, 61, 120, 200, 201]))
            + rng.choice([".", "", "?'"])
            for _ in range(rng.randint(1, 3))
        ]
        text = ("..." if rng.random() < 0.2 else "") + " ".join(sentences)
        codes = frozenset(rng.sample(["x", "y"], rng.randint(1, 2)))
        segments[key] = {"speaker": rng.choice(speakers), "text": text}
        applied[key] = codes | {"t"}
        coder_codes[key] = [
            frozenset(rng.sample(["x", "y"], rng.randint(0, 2))) | {"t"} for _ in range(rng.randint(1, 3))
        ]
        if rng.random() < 0.4:
            sentence = rng.choice(sentences)
            start = text.index(sentence)
            excerpts[key] = {rng.choice(["x", "y"]): [(start, start + len(sentence))]}
    data = ReportData(
        source="consensus",
        codebook=codebook,
        codebook_version=1,
        segments=segments,
        applied=applied,
        coder_codes=coder_codes,
        attributes={f"P{i}": {} for i in range(7)},
        coders=["a", "b", "c"],
        participants=list(dict.fromkeys((t, row["speaker"]) for (t, _), row in segments.items())),
        excerpts=excerpts,
    )
    per = rng.randint(1, 8)
    for code in ("t", "x", "y"):
        written = []  # (preference key, transcript, segment, quote text, agreed)
        for place, (key, row) in enumerate(segments.items()):
            if code not in applied[key]:
                continue
            spans = [s for c, found in excerpts.get(key, {}).items() if code in (c, "t") for s in found]
            text = excerpt_text(row["text"], spans) if spans else row["text"].strip()
            n = len(text.split())
            good, complete = 25 <= n <= 200, is_complete(text)
            agreed = all(code in codes for codes in coder_codes[key])
            order = (
                not (good and complete and agreed),
                not good,
                not complete,
                not agreed,
                abs(n - 60),
                place,
            )
            written.append((order, key, text, agreed))
        written.sort()
        picked, seen = [], set()
        for item in written:
            if len(picked) < per and (item[1][0], segments[item[1]]["speaker"]) not in seen:
                picked.append(item)
                seen.add((item[1][0], segments[item[1]]["speaker"]))
        picked += [item for item in written if item not in picked][: per - len(picked)]
        result = build_quotes(data, codes=[code], per_group=per).quotes
        assert [(q.transcript, q.segment, q.text, q.agreed) for q in result] == [
            (*key, text, agreed) for _, key, text, agreed in picked
        ]


def test_quotes_pick_other_participants_before_a_second_turn_of_anyone(data):
    result = build_quotes(data, codes=["access"], per_group=3)
    assert [(q.transcript, q.segment) for q in result.quotes] == [("P01", 2), ("P04", 2), ("P03", 2)]


def test_quotes_unknown_code_is_an_error(data):
    with pytest.raises(
        ReportError,
        match='^Code "cost" is not in the active codebook "crisis". '
        'Check the ids with "wei-qual codebook show".$',
    ):
        build_quotes(data, codes=["cost"])


def test_is_complete():
    assert is_complete("That is all.") and is_complete('He said "no."') and is_complete("Why? ")
    assert not is_complete("and then we") and not is_complete("...so it ended.")


def test_matrix_has_one_row_per_decided_segment_and_a_column_per_code(data):
    assert to_csv(build_matrix(data).table()) == (
        "transcript,segment,speaker,role,setting,text,access,access-beds,access-transport,followup\n"
        f'P01,2,P01,officer,rural,"{LONG}",1,1,1,0\n'
        'P01,3,P01,officer,rural,"Beds again, there are never enough beds for the people we see.",1,1,0,0\n'
        'P02,2,P02,officer,urban,"Nobody calls them back after the crisis, that\'s the gap.",0,0,0,1\n'
        "P03,2,P03,provider,rural,The van only runs on weekdays.,1,0,1,0\n"
        "P03,3,P03,provider,rural,I don't know.,0,0,0,0\n"
        f"P04,2,P04,provider,,{SCRIPT},1,1,0,1\n"
        'P05,2,P05,officer,urban,"Not really, no.",0,0,0,0\n'
    )


def test_matrix_json_rows_are_keyed_by_column(data):
    rows = build_matrix(data).to_json()["rows"]
    assert rows[3] == {
        "transcript": "P03",
        "segment": 2,
        "speaker": "P03",
        "role": "provider",
        "setting": "rural",
        "text": "The van only runs on weekdays.",
        "access": 1,
        "access-beds": 0,
        "access-transport": 1,
        "followup": 0,
    }


def test_xlsx_has_a_sheet_per_table_frozen_headers_and_numbers(data, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "themes.xlsx"
    write_xlsx(build_theme_table(data, by=["role"]).data_tables(), path)
    book = load_workbook(path)
    assert book.sheetnames == ["themes", "groups", "notes"]  # the notes say which source was counted
    assert any(str(row[1]).startswith("Source: ") for row in book["notes"].iter_rows(values_only=True))
    sheet = book["themes"]
    assert sheet.freeze_panes == "A2" and book["groups"].freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert [c.value for c in sheet[2]] == [
        "access",
        "Access to resources",
        None,
        "theme",
        4,
        3,
        60,
        2,
        1,
        33.3,
        2,
        2,
        100,
    ]
    assert [c.data_type for c in sheet[2][4:]] == ["n"] * 9
    assert [[c.value for c in row] for row in book["groups"].iter_rows()] == [
        ["attribute", "value", "participants"],
        ["role", "officer", 3],
        ["role", "provider", 2],
    ]


@pytest.mark.parametrize(
    ("build", "sheets"),
    [
        (lambda d: build_theme_table(d), ["themes", "notes"]),
        (lambda d: build_cooccurrence(d), ["pairs", "matrix", "jaccard", "notes"]),
        (lambda d: build_quotes(d, codes=["access-beds"]), ["quotes", "notes"]),
        (lambda d: build_matrix(d), ["matrix", "notes"]),
    ],
    ids=["themes", "cooccurrence", "quotes", "matrix"],
)
def test_every_xlsx_report_ends_with_notes_naming_the_source(data, tmp_path, build, sheets):
    from openpyxl import load_workbook

    path = tmp_path / "report.xlsx"
    write_xlsx(build(data).data_tables(), path)
    book = load_workbook(path)
    assert book.sheetnames == sheets
    notes = [row for row in book["notes"].iter_rows(values_only=True)][1:]
    assert {sheet for sheet, _ in notes} == set(sheets[:-1])  # a note for every sheet
    assert any("consensus" in note for _, note in notes)


def test_xlsx_shows_control_characters_as_escapes_and_keeps_markup_as_text(tmp_path):
    from openpyxl import load_workbook

    from wei_qual.report.writers import Table

    path = tmp_path / "x.xlsx"
    write_xlsx([Table("a/b:c", "", ["text", "n"], [["bell\x07 <b>[inaudible]</b>", 1.5]])], path)
    sheet = load_workbook(path)["a_b_c"]
    assert (sheet["A2"].value, sheet["B2"].value, sheet["B2"].data_type) == (
        "bell\\x07 <b>[inaudible]</b>",  # XLSX cannot hold it: shown as in every format, not dropped
        1.5,
        "n",
    )


def test_format_comes_from_the_flag_or_the_suffix(tmp_path):
    assert resolve_format(None, None) == "table"
    assert resolve_format(None, tmp_path / "a.XLSX") == "xlsx"
    assert resolve_format("csv", tmp_path / "a.txt") == "csv"
    assert resolve_format(None, None, default="csv") == "csv"
    with pytest.raises(
        ReportError, match=r"^XLSX is a binary format and needs a file\. Pass -o FILE\.xlsx\.$"
    ):
        resolve_format("xlsx", None)
    with pytest.raises(ReportError, match=r"^--format table prints to the terminal"):
        resolve_format("table", tmp_path / "a.csv")


def test_md_escape():
    assert md_escape("a|b\nc <i>*x*</i> `y` \\") == "a\\|b c \\<i>\\*x\\*\\</i> \\`y\\` \\\\"
    # A quote or a code name holding Markdown link or image syntax stays text: rendered, the file would
    # load the image from that address (or link there); a bracketed note stays as written.
    assert md_escape(
        "see ![x](http://tracker.example/p.png) and [here](javascript:alert(1)) [inaudible]"
    ) == ("see ![x]\\(http://tracker.example/p.png) and [here]\\(javascript:alert(1)) [inaudible]")
