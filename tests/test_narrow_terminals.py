"""Every table readable at 60, 80 and 120 columns, and at the width of its content when piped.

Asserted on the content, not on screenshots: no line is wider than the terminal, every id and every
number appears intact (never wrapped or cut), and a column left out is named in the footer with the
way to see it. The project is the demo's (the bundled sample), plus a small one with the long ids of
a real study (BSR01_transcript_deidentified).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from wei_qual.cli import app
from wei_qual.cli.tables import Column, Measure, plan_layout
from wei_qual.demo import run_demo

WIDTHS = (60, 80, 120)
FOOTER = re.compile(r"Not shown at (\d+) columns: (.*?)\. See every column with")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    return run_demo(tmp_path_factory.mktemp("demo") / "out").db_path


def _run(runner, monkeypatch, width: int | None, *args: str):
    if width is None:
        monkeypatch.delenv("COLUMNS", raising=False)  # stdout is not a terminal: piped
    else:
        monkeypatch.setenv("COLUMNS", str(width))
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _json(runner, monkeypatch, *args: str):
    return json.loads(_run(runner, monkeypatch, 200, *args, "--format", "json"))


def _fits(out: str, width: int) -> None:
    too_wide = [line for line in out.splitlines() if cell_len(line) > width]
    assert not too_wide, too_wide[:3]


def _intact(value: str, text: str) -> bool:
    """`value` appears whole: not glued to other id or number characters on either side."""
    edge = r"[\w.%–/=-]"  # and a comma between digits: "24" is not in "2,474"
    return re.search(rf"(?<!{edge})(?<!\d,){re.escape(value)}(?!{edge}|,\d)", text) is not None


def _blocks(out: str, ids: list[str]) -> dict[str, str]:
    """Each row's lines: from the line that starts with its id to the next row (or the table's end)."""
    lines = out.splitlines()
    starts = {}
    for n, line in enumerate(lines):
        first = line.split(" ", 1)[0]
        if first in ids and first not in starts and not line.startswith(" "):
            starts[first] = n
    assert set(starts) == set(ids), set(ids) - set(starts)
    order = sorted(starts.values())
    blocks = {}
    for rid, n in starts.items():
        end = next((m for m in order if m > n), len(lines))
        rest = lines[n + 1 : end]
        blocks[rid] = "\n".join([lines[n]] + [x for x in rest if x.startswith("    ")])
    return blocks


def _left_out(out: str, width: int) -> list[str]:
    """The columns a footer names as not shown at this width."""
    names = []
    for m in FOOTER.finditer(" ".join(out.split())):
        assert int(m.group(1)) == width
        names += [n.strip() for n in m.group(2).split(",")]
    return names


# ------------------------------------------------------------------------------------------- agree


@pytest.mark.parametrize("width", WIDTHS)
def test_agree(runner, monkeypatch, demo_db, width):
    out = _run(runner, monkeypatch, width, "agree", "--db", str(demo_db))
    data = _json(runner, monkeypatch, "agree", "--db", str(demo_db))
    _fits(out, width)
    codes = [c["code"] for c in data["codes"]]
    blocks = _blocks(out, codes)
    left_out = _left_out(out, width)
    columns = {
        "prev.": "prevalence",
        "% agree": "percent_agreement",
        "κ": "cohen_kappa",
        "Fleiss κ": "fleiss_kappa",
        "AC1": "gwet_ac1",
        "BP": "brennan_prediger",
    }
    for c in data["codes"]:
        line = blocks[c["code"]].splitlines()[0]
        # The code, α, its interval and the verdict are always on the code's own line.
        verdict = "reliable" if c["alpha"] >= 0.8 else "tentative" if c["alpha"] >= 0.667 else "unreliable"
        if c["units_applied"] < 3:  # on one or two units: no verdict, said whole on the line
            verdict = "too few"
        for value in (
            c["code"],
            f"{c['alpha']:.3f}",
            f"{c['alpha_ci'][0]:.3f}–{c['alpha_ci'][1]:.3f}",
            verdict,
        ):
            assert _intact(value, line), (width, value, line)
        for header, key in columns.items():
            value = f"{100 * c[key]:.1f}%" if key in ("prevalence", "percent_agreement") else f"{c[key]:.3f}"
            assert header in left_out or _intact(value, line), (width, header, line)
    if width < 120:
        assert "BP" in left_out and "--wide" in " ".join(out.split())
    else:
        assert left_out == []
    # A verdict is never cut ("r", "reliab…"), whatever the width.
    assert sum(
        line.split()[-1:] in (["reliable"], ["tentative"], ["unreliable"])
        or line.split()[-2:] == ["too", "few"]
        for line in out.splitlines()
    ) >= len(codes)


# ------------------------------------------------------------------------------------ transcripts


@pytest.fixture(scope="module")
def long_ids_db(tmp_path_factory) -> Path:
    """Nine transcripts named as a real study names them, with attributes."""
    from wei_qual.ingest import ingest_files
    from wei_qual.store import open_db

    folder = tmp_path_factory.mktemp("bsr")
    rows = ["id,role,setting,jurisdiction,years_experience,interview_date"]
    for n in range(1, 10):
        name = f"BSR0{n}_transcript_deidentified"
        (folder / f"{name}.txt").write_text(
            "Interviewer: How do crisis calls go where you work?\n\n"
            f"Participant: They take a long time, about {n + 1} hours on a bad night. We wait for a bed.\n\n"
            "Interviewer: And then?\n\n"
            "Participant: Then we drive the person to the unit, if the unit has room.\n",
            encoding="utf-8",
        )
        rows.append(f"{name},{'officer' if n % 2 else 'provider'},rural,County {n},{n + 3},2024-03-0{n}")
    (folder / "attributes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    db_path = folder / "study.db"
    result = ingest_files(
        open_db(db_path), sorted(folder.glob("*.txt")), attributes_csv=folder / "attributes.csv"
    )
    assert not result.failed
    return db_path


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("project", ["demo_db", "long_ids_db"])
def test_transcripts_list(runner, monkeypatch, request, project, width):
    db_path = request.getfixturevalue(project)
    out = _run(runner, monkeypatch, width, "transcripts", "list", "--db", str(db_path))
    rows = _json(runner, monkeypatch, "transcripts", "list", "--db", str(db_path))
    _fits(out, width)
    blocks = _blocks(out, [r["id"] for r in rows])
    left_out = _left_out(out, width)
    for r in rows:
        block, first = blocks[r["id"]], blocks[r["id"]].splitlines()[0]
        assert _intact(str(r["participant_segments"]), first)
        for header, value in (("segments", str(r["segments"])), ("words", f"{r['words']:,}")):
            assert header in left_out or _intact(value, first), (width, header, first)
        for name, value in r["attributes"].items():  # attributes fold or move under the row, whole
            if name not in ("title", "service_keywords"):
                assert _intact(f"{name}={value}", " ".join(block.split())), (name, value, block)
        # Two or three lines per transcript at the narrowest, not 250 lines for nine.
        assert len(block.splitlines()) <= (5 if width == 60 else 4), block
    if project == "long_ids_db" and width == 120:
        assert left_out == []


# ----------------------------------------------------------------------------------- report themes


@pytest.mark.parametrize("width", WIDTHS)
def test_report_themes(runner, monkeypatch, demo_db, width):
    args = ("report", "themes", "--by", "role", "--by", "setting", "--db", str(demo_db))
    out = _run(runner, monkeypatch, width, *args)
    data = _json(runner, monkeypatch, *args)
    _fits(out, width)
    blocks = _blocks(out, [r["code"] for r in data["rows"]])
    for r in data["rows"]:
        block = blocks[r["code"]]
        first = block.splitlines()[0]
        assert _intact(str(r["segments"]), first)
        assert _intact(f"{r['participants']} ({r['pct_participants']}%)", first)
        for values in r["by"].values():
            for count in values.values():
                assert _intact(f"{count['participants']} ({count['pct_participants']}%)", block), block
        assert r["name"] in " ".join(block.split())  # the name folds or moves under the code, whole
    assert "discharge-gaps" in [
        line.split(" ", 1)[0] for line in out.splitlines()
    ]  # never "discharge" / "-gaps"


# -------------------------------------------------------------------------------------------- coders


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("by_transcript", [False, True])
def test_coders(runner, monkeypatch, demo_db, width, by_transcript):
    extra = ("--by-transcript",) if by_transcript else ()
    out = _run(runner, monkeypatch, width, "coders", *extra, "--db", str(demo_db))
    rows = _json(runner, monkeypatch, "coders", *extra, "--db", str(demo_db))
    _fits(out, width)
    lines = [" ".join(line.split()) for line in out.splitlines()]
    for r in rows:
        expected = (
            [r["coder"]] + ([r["transcript"]] if by_transcript else []) + [str(r["coded"]), str(r["total"])]
        )
        assert any(line.split()[: len(expected)] == expected for line in lines), (expected, out)


# ----------------------------------------------------------------------------------- codebook show


@pytest.mark.parametrize("width", WIDTHS)
def test_codebook_show(runner, monkeypatch, demo_db, width):
    out = _run(runner, monkeypatch, width, "codebook", "show", "--db", str(demo_db))
    data = _json(runner, monkeypatch, "codebook", "show", "--db", str(demo_db))
    _fits(out, width)
    codes, todo = [], list(data["codes"])
    while todo:  # the tree, flattened
        code = todo.pop(0)
        codes.append(code)
        todo[:0] = code["children"]
    assert len(codes) > 30
    for c in codes:
        assert _intact(c["id"], out), c["id"]
        decisions = c.get("decisions", 0)
        at = out.index(c["id"])
        assert _intact(f"{decisions}", out[at : at + 200]), (c["id"], decisions)


# --------------------------------------------------------------------------------------------- demo


@pytest.mark.parametrize("width", WIDTHS)
def test_demo(runner, monkeypatch, tmp_path, width):
    out = _run(runner, monkeypatch, width, "demo", "--out", str(tmp_path / "demo"))
    db = str(tmp_path / "demo" / "demo.db")
    _fits(out, width)
    agreement = _json(runner, monkeypatch, "agree", "--db", db)
    themes = _json(runner, monkeypatch, "report", "themes", "--by", "role", "--db", db)
    transcripts = _json(runner, monkeypatch, "transcripts", "list", "--db", db)
    for c in agreement["codes"]:
        assert any(
            line.split()[:2] == [c["code"], f"{100 * c['percent_agreement']:.1f}%"]
            or (line.split()[0:1] == [c["code"]] and _intact(f"{c['alpha']:.3f}", line))
            for line in out.splitlines()
        ), c["code"]
    for r in themes["rows"]:
        assert any(
            line.split()[0:1] == [r["code"]]
            and _intact(f"{r['participants']} ({r['pct_participants']}%)", line)
            for line in out.splitlines()
        ), r["code"]
    for t in transcripts:
        assert any(line.split()[0:1] == [t["id"]] for line in out.splitlines())


def test_piped_output_takes_the_width_of_the_content(runner, monkeypatch, tmp_path, demo_db):
    out = _run(
        runner, monkeypatch, None, "report", "themes", "--by", "role", "--by", "setting", "--db", str(demo_db)
    )
    rows = json.loads(
        _run(
            runner,
            monkeypatch,
            None,
            "report",
            "themes",
            "--by",
            "role",
            "--format",
            "json",
            "--db",
            str(demo_db),
        )
    )["rows"]
    assert max(cell_len(line) for line in out.splitlines()) > 120  # not squeezed into 80 columns
    assert "Not shown" not in out
    lines = {line.split(" ", 1)[0]: line for line in out.splitlines()}
    for r in rows:  # one line per code, its name on it
        assert r["name"] in lines[r["code"]]
    demo = _run(runner, monkeypatch, None, "demo", "--out", str(tmp_path / "piped"))
    assert "Not shown" not in demo
    assert max(cell_len(line.rstrip("─")) for line in demo.splitlines() if line.startswith("─")) <= 80


def test_wide_shows_every_column_on_a_narrow_terminal(runner, monkeypatch, demo_db):
    out = _run(runner, monkeypatch, 60, "agree", "--wide", "--db", str(demo_db))
    assert "Not shown" not in out
    header = next(line for line in out.splitlines() if line.startswith("code "))
    assert header.split() == [
        "code",
        "prev.",
        "%",
        "agree",
        "α",
        "95%",
        "CI",
        "undef.",
        "draws",
        "κ",
        "Fleiss",
        "κ",
        "AC1",
        "BP",
        "verdict",
    ]
    assert max(cell_len(line) for line in out.splitlines()) > 60


# ------------------------------------------------------------------------------------ the layout


def _columns(*specs):
    return [Column(h, kind=k, priority=p) for h, k, p in specs]


def test_layout_keeps_ids_whole_and_gives_way_by_priority():
    columns = _columns(
        ("code", "id", 0), ("α", "number", 0), ("BP", "number", 2), ("AC1", "number", 1), ("name", "text", 3)
    )
    measures = [Measure(25, 25), Measure(6, 6), Measure(5, 5), Measure(5, 5), Measure(10, 40)]
    wide = plan_layout(columns, measures, 120)
    assert wide.widths == {0: 25, 1: 6, 2: 5, 3: 5, 4: 40} and not wide.moved and not wide.dropped
    narrow = plan_layout(columns, measures, 45)
    # name (3) moves under the row first, then BP (2) is left out; AC1 fits.
    assert narrow.moved == [4] and narrow.dropped == [2] and narrow.widths == {0: 25, 1: 6, 3: 5}
    tiny = plan_layout(columns, measures, 30)
    assert tiny.widths == {0: 25} and tiny.moved == [1, 4] and tiny.dropped == [2, 3]
    assert plan_layout(columns, measures, None).widths[4] == 40  # unbounded: natural widths


def test_layout_gives_spare_room_to_content_before_headers():
    columns = _columns(("Participants (N=11 in 10 transcripts)", "number", 0), ("Name", "text", 0))
    measures = [Measure(12, 37), Measure(10, 44)]
    layout = plan_layout(columns, measures, 70)
    assert layout.widths[1] == 44 and layout.widths[0] == 70 - 44 - 2


# ------------------------------------------------------------------------- every other table


def _ids_and_numbers(value) -> set[str]:
    """Every code id and count in a JSON answer (the strings and ints a table must show whole)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for v in value.values():
            found |= _ids_and_numbers(v)
    elif isinstance(value, list):
        for v in value:
            found |= _ids_and_numbers(v)
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int):
        found.add(str(value))
    elif isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+", value):
        found.add(value)  # a code id such as csu-excluded-intoxication
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "args, keys",
    [
        (("report", "cooccurrence", "--min", "2"), ("pairs",)),
        (("suggest", "evaluate", "--coder", "alice"), ("codes",)),
        (("agree", "--disagreements", "--codes", "scene-safety,stance-mixed"), ("disagreements",)),
        (("transcripts", "roles", "P10"), ("speakers",)),
        (("codebook", "versions"), None),
    ],
    ids=["cooccurrence", "suggest-evaluate", "disagreements", "roles", "versions"],
)
def test_other_tables_keep_ids_and_numbers_whole(runner, monkeypatch, demo_db, width, args, keys):
    out = _run(runner, monkeypatch, width, *args, "--db", str(demo_db))
    _fits(out, width)
    data = _json(runner, monkeypatch, *args, "--db", str(demo_db))
    if keys:
        for key in keys:
            data = data[key]
    left_out = _left_out(out, width)
    flat = " ".join(out.split())
    missing = [v for v in _ids_and_numbers(data) if not _intact(v, flat)]
    # A value may be absent only when its column was left out (and named in the footer).
    assert not missing or left_out, (missing, out)
    assert all(_intact(v, flat) for v in _ids_and_numbers(data) if re.search("[a-z]", v)), "an id was cut"


@pytest.mark.parametrize("width", WIDTHS)
def test_search_memos_and_drafts_tables_keep_ids_whole(runner, monkeypatch, demo_db, width):
    from wei_qual.codebook.drafts import create_draft
    from wei_qual.store import open_db
    from wei_qual.store.decisions import save_memo

    db = open_db(demo_db)
    if not db.execute("SELECT 1 FROM memos WHERE target_id = 'csu-admission'").fetchone():
        save_memo(db, "alice", "code", "csu-admission", "Merge with csu-capacity if kappa stays low. " * 3)
        create_draft(
            db,
            code_id="waiting-for-a-bed-in-the-emergency-department",
            name="Waiting for a bed",
            actor="alice",
        )
    db.close()
    hits = _json(runner, monkeypatch, "search", "won't take", "--db", str(demo_db))["results"]
    out = _run(runner, monkeypatch, width, "search", "won't take", "--db", str(demo_db))
    _fits(out, width)
    for h in hits:
        assert _intact(f"{h['transcript']}:{h['segment']}", out)
        for c in h["codes"]:
            assert _intact(c["code"], out)
    memos = _run(runner, monkeypatch, width, "memos", "--db", str(demo_db))
    _fits(memos, width)
    assert _intact("csu-admission", memos)
    drafts = _run(runner, monkeypatch, width, "codebook", "drafts", "--db", str(demo_db))
    _fits(drafts, width)
    assert _intact("waiting-for-a-bed-in-the-emergency-department", drafts)


@pytest.mark.parametrize("width", WIDTHS)
def test_retrieve_fits_and_names_every_segment_and_coder_whole(runner, monkeypatch, demo_db, width):
    """retrieve is text, not a table: each hit's heading keeps its transcript and segment whole."""
    data = _json(runner, monkeypatch, "retrieve", "csu", "--source", "union", "--db", str(demo_db))
    out = _run(runner, monkeypatch, width, "retrieve", "csu", "--source", "union", "--db", str(demo_db))
    _fits(out, width)
    assert data["hits"]
    headings = [line for line in out.splitlines() if re.match(r"\S+ segment \d+", line)]
    assert len(headings) == len(data["hits"])
    for h, line in zip(data["hits"], headings):
        assert line.startswith(f"{h['transcript']} segment {h['segment']}")
    flat = " ".join(out.split())
    for coder in {c for h in data["hits"] for who in h["applied_by"].values() for c in who}:
        assert _intact(coder, flat)


def test_a_cell_cut_to_its_lines_stays_cut_when_it_moves_to_the_second_line():
    # A code's name cut to one line (a screen short of rows) took three again once four coders' columns
    # moved it under its row: the reconcile screen at 80x24 overflowed however short its other parts were.
    import io

    from rich.console import Console

    from wei_qual.cli.tables import FitTable

    table = FitTable(
        Column("code", kind="id"),
        Column("name", priority=1, lines=1),
        *(Column(c, min_width=5) for c in ("alice", "bob", "carmen-núñez", "dmitri")),
    )
    name = "Officers describe waiting for hours at the emergency department while the crisis unit has no beds"
    table.add_row("t0-code-with-a-rather-long-identifier-1", name, "✓", "", "✓", "")
    console = Console(width=80, file=io.StringIO(), color_system=None, record=True)
    console.print(table)
    lines = console.export_text().splitlines()
    assert lines[3].startswith("    name: Officers describe waiting") and lines[3].endswith("…"), lines
    assert len(lines) == 4 and cell_len(lines[3]) <= 80
