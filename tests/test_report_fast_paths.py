"""The report's fast paths (the 1 s report budget) give what the plain definitions give.

The reader parses the store's JSON with a split and memoises code sets, majority/union have
shortcuts for two and three coders, and alpha uses a closed form: each is checked here against a
plain implementation on a random project with one to five coders.
"""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest
from test_report_project import CODEBOOK, build_report_project

from wei_qual.models import Decision
from wei_qual.report.agreement import alpha_per_code
from wei_qual.report.data import _FullCodes, _items, ancestors_map, load_report_data
from wei_qual.report.html import build_html
from wei_qual.store.decisions import CodeSets, iter_decision_rows, iter_decisions, save_decision

LEAVES = ["access-beds", "access-transport", "followup"]


@pytest.mark.parametrize(
    "text, codes",
    [
        ("[]", set()),
        ('["a"]', {"a"}),
        ('["a", "b-c"]', {"a", "b-c"}),
        ('["a","b"]', {"a", "b"}),  # compact separators: json.loads
        ('[ "a" ]', {"a"}),
        ('["caf\\u00e9", "x"]', {"caf\u00e9", "x"}),  # escapes: json.loads
        ('["say \\"hi\\"", "b"]', {'say "hi"', "b"}),
        (json.dumps(["a, b", "c"]), {"a, b", "c"}),
    ],
)
def test_code_lists_read_like_json_loads(text, codes):
    assert set(json.loads(text)) == codes
    items = _items(text)
    assert items is None or set(items) == codes
    assert _FullCodes(CODEBOOK).raw[text] == frozenset(codes)


def test_codes_get_their_themes_and_lose_codes_the_codebook_lacks():
    full = _FullCodes(CODEBOOK)
    assert full['["access-beds"]'] == {"access-beds", "access"}
    assert full['["followup","access-transport"]'] == {"followup", "access-transport", "access"}
    assert full['["retired", "access-beds"]'] == {"access-beds", "access"}  # retired: no row
    assert full["[]"] == frozenset()
    assert ancestors_map(CODEBOOK)["access-beds"] == ("access-beds", "access")


def _random_project(db, coders: int, seed: int) -> None:
    """The fixture's transcripts and codebook, with `coders` coders deciding random segments."""
    build_report_project(db, coders=())
    rng = random.Random(seed)
    for k in range(coders):
        for tid in ("P01", "P02", "P03", "P04", "P05"):
            for n in (2, 3):
                if rng.random() < 0.8:
                    codes = frozenset(c for c in LEAVES if rng.random() < 0.5)
                    save_decision(db, Decision(tid, n, f"coder{k}", codes))


def _plain_rule(db, rule: str) -> dict[tuple[str, int], frozenset[str]]:
    """majority / union by their definitions, themes added after."""
    parents = {c.id: c.parent for c in CODEBOOK.codes}
    sets: dict[tuple[str, int], list[frozenset[str]]] = {}
    for d in iter_decisions(db):
        sets.setdefault((d.transcript, d.segment), []).append(d.codes)
    result = {}
    for key, coder_sets in sets.items():
        counts = Counter(c for codes in coder_sets for c in codes)
        agreed = {c for c, k in counts.items() if (k > len(coder_sets) / 2 if rule == "majority" else k >= 1)}
        result[key] = frozenset(agreed | {parents[c] for c in agreed if parents[c]})
    return dict(sorted(result.items()))


@pytest.mark.parametrize("coders", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("rule", ["majority", "union"])
@pytest.mark.parametrize("shared", [False, True])
def test_majority_and_union_match_their_definitions(db, coders, rule, shared):
    _random_project(db, coders, seed=coders)
    # shared: the coders' codes come from the decisions the methods passage reads for its selection
    read = (iter_decision_rows(db), CodeSets()) if shared else None
    data = load_report_data(db, source=rule, decisions=read)
    assert data.applied == _plain_rule(db, rule)
    assert list(data.applied) == sorted(data.applied)
    assert not data.with_coders and data.coder_codes == {}  # a rule alone does not keep every coder's codes


@pytest.mark.parametrize("rule", ["majority", "union"])
def test_a_rule_over_some_coders_is_the_same_from_a_shared_read(db, rule):
    _random_project(db, 4, seed=7)
    save_decision(db, Decision("P01", 1, "coder1", frozenset({"followup"})))  # an interviewer turn
    save_decision(db, Decision("P02", 2, "consensus", frozenset({"followup"})))
    chosen = ["coder2", "coder0", "coder3"]
    alone = load_report_data(db, source=rule, coders=chosen)
    shared = load_report_data(db, source=rule, coders=chosen, decisions=(iter_decision_rows(db), CodeSets()))
    assert shared.applied == alone.applied and list(shared.applied) == list(alone.applied)
    assert shared.warnings == alone.warnings and shared.participants == alone.participants
    one = load_report_data(db, source=rule, coders=["coder1"], decisions=(iter_decision_rows(db), CodeSets()))
    assert one.warnings == load_report_data(db, source=rule, coders=["coder1"]).warnings != []


@pytest.mark.parametrize("coders", [2, 3, 4, 5])
def test_alpha_closed_form_matches_agree_measure_for_any_number_of_coders(db, coders):
    from wei_qual.agree import measure

    _random_project(db, coders, seed=10 + coders)
    save_decision(db, Decision("P01", 2, "consensus", frozenset({"followup"})))
    ours = alpha_per_code(load_report_data(db, with_coders=True))
    theirs = measure(db, bootstrap=0)
    assert [(code, units) for code, _, _, units in ours] == [(c.code, c.n_units) for c in theirs.codes]
    assert [alpha for _, _, alpha, _ in ours] == pytest.approx([c.alpha for c in theirs.codes])


def test_agreed_codes_are_what_every_coder_applied(db):
    build_report_project(db)
    agreed = load_report_data(db, with_coders=True).agreed_codes
    assert agreed[("P01", 2)] == frozenset()  # alice beds+transport, bob beds, carol followup
    assert agreed[("P02", 2)] == {"followup"}
    assert agreed[("P04", 2)] == {"access-beds", "access"}  # alice alone


def test_chart_labels_are_escaped_in_every_chart(db):
    build_report_project(db)
    page = build_html(load_report_data(db, with_coders=True))
    chart = page[page.index('<section id="agreement">') : page.index("<details>")]
    # beds is on one double-coded turn: its verdict is "too few" (see test_report_agreement)
    assert (
        "CSU beds (access-beds)" in chart
        and "<title>CSU beds (access-beds): 0.400 (too few) (95% CI" in chart
    )
    heat = page[page.index('<section id="cooccurrence">') : page.index('<section id="themes">')]
    assert heat.count("<svg ") == 1 and ">access-transport</text>" in heat


def test_ancestors_stop_at_a_missing_parent_and_at_a_cycle():
    from wei_qual.models import Code, Codebook
    from wei_qual.report.data import ancestors_map

    # A codebook the loader would refuse, read from an old project: the walk must still end.
    book = Codebook(
        "old",
        "1",
        codes=(Code("a", "A", parent="b"), Code("b", "B", parent="a"), Code("c", "C", parent="gone")),
    )
    assert ancestors_map(book) == {"a": ("a", "b"), "b": ("b", "a"), "c": ("c",)}


def test_matrix_csv_is_the_generic_csv_of_its_table():
    # The matrix writes its 0/1 flags once per distinct code set; the text around them is written and
    # neutralised as every CSV is. Cells a spreadsheet would run, quotes, commas, line breaks, None and a
    # str subclass all come out as the generic writer gives them.
    from wei_qual.report.matrix import Matrix
    from wei_qual.report.writers import to_csv

    class Label(str):
        pass

    none, both = [0, 0], [1, 1]
    columns = ["transcript", "segment", "speaker", "role", "text", "csu", "csu-refusal"]
    cells = [
        [
            "P01",
            2,
            "P01",
            "=cmd|' /C calc'!A0",
            'They said "no beds", again.',
        ],
        ["P01", 3, None, "officer", "Line one\nline two, with a comma"],
        ["+P02", 1, "-x", None, "@SUM(1)"],
        ["P03", 4, Label("=label"), "provider", "'=already quoted"],
    ]
    matrix = Matrix("consensus", columns, cells, [none, both, none, both])
    assert matrix.csv_text() == to_csv(matrix.table())
    assert "'=cmd" in matrix.csv_text() and "'@SUM(1)" in matrix.csv_text()
    assert matrix.rows[1] == ["P01", 3, None, "officer", "Line one\nline two, with a comma", 1, 1]

    no_codes = Matrix("consensus", columns[:5], cells, [[], [], [], []])
    assert no_codes.csv_text() == to_csv(no_codes.table())
    empty = Matrix("consensus", columns, [], [])
    assert empty.csv_text() == to_csv(empty.table()) == ",".join(columns) + "\n"


def test_matrix_csv_of_a_project_is_the_generic_csv(db):
    from wei_qual.report.matrix import build_matrix
    from wei_qual.report.writers import render_text, to_csv

    build_report_project(db)
    for source in ("consensus", "majority", "union", "alice"):
        matrix = build_matrix(load_report_data(db, source=source))
        assert render_text(matrix, "csv") == to_csv(matrix.table())


def test_html_report_is_the_same_with_its_intervals_computed_here(db, monkeypatch):
    # On two CPUs the agreement intervals come from a forked child; on one they are computed inline.
    from wei_qual import parallel

    build_report_project(db)
    data = load_report_data(db, with_coders=True)

    def page() -> str:
        text = build_html(data, by=["role"])
        return "\n".join(line for line in text.splitlines() if "Made with wei-qual" not in line)

    two = page()
    monkeypatch.setattr(parallel, "default_jobs", lambda: 1)
    assert page() == two
    assert "95% CI" in two
