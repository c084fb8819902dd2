"""Theme tables: hand-checked counts on the fixture project, sources, exact outputs."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_report_project import build_report_project

from wei_qual.errors import ReportError
from wei_qual.models import Decision
from wei_qual.report.data import load_report_data
from wei_qual.report.themes import build_theme_table, pct
from wei_qual.report.writers import render_text, to_csv, to_markdown
from wei_qual.store.decisions import save_decision


@pytest.fixture
def project(db):
    build_report_project(db)
    return db


def _counts(table):
    return {r.code: (r.segments, r.participants, r.pct_participants) for r in table.rows}


def test_consensus_counts_a_theme_once_per_segment_and_skips_interviewer_turns(project):
    table = build_theme_table(load_report_data(project))
    assert table.source == "consensus" and table.n_participants == 5
    # access: P01:2 has both children but counts once; P01:3, P03:2, P04:2 -> 4 segments, 3 of 5 people.
    # followup: P02:2, P04:2 (the interviewer's P01:1 is not counted).
    assert _counts(table) == {
        "access": (4, 3, 60.0),
        "access-beds": (3, 2, 40.0),
        "access-transport": (2, 2, 40.0),
        "followup": (2, 2, 40.0),
    }
    assert [(r.code, r.level, r.parent) for r in table.rows] == [
        ("access", "theme", None),
        ("access-beds", "code", "access"),
        ("access-transport", "code", "access"),
        ("followup", "code", None),
    ]


def test_split_by_attribute_gives_group_sizes_and_percent_of_each_group(project):
    table = build_theme_table(load_report_data(project), by=["role", "setting"])
    assert table.groups == {
        "role": {"officer": 3, "provider": 2},
        "setting": {"rural": 2, "urban": 2, "(missing)": 1},
    }
    access = table.rows[0].by
    assert {v: c.to_json("interview") for v, c in access["role"].items()} == {
        "officer": {"segments": 2, "participants": 1, "pct_participants": 33.3},
        "provider": {"segments": 2, "participants": 2, "pct_participants": 100.0},
    }
    assert {v: (c.segments, c.participants, c.pct_participants) for v, c in access["setting"].items()} == {
        "rural": (3, 2, 100.0),
        "urban": (0, 0, 0.0),
        "(missing)": (1, 1, 100.0),
    }


def test_majority_needs_more_than_half_of_the_coders_who_decided_the_segment(project):
    table = build_theme_table(load_report_data(project, source="majority"))
    # P01:2 beds 2/3 yes, transport 1/3 no, followup 1/3 no; P02:2 followup 2/2; P03:2 transport 1/2 no;
    # P04:2 beds 1/1 yes. P05 has no independent decision, so 4 participants.
    assert table.n_participants == 4
    assert _counts(table) == {
        "access": (2, 2, 50.0),
        "access-beds": (2, 2, 50.0),
        "access-transport": (0, 0, 0.0),
        "followup": (1, 1, 25.0),
    }


B, T, F = "access-beds", "access-transport", "followup"
# Worked by hand: three coders, where "applied by more than half of the coders who decided the segment"
# differs from all-of-them, any-of-them and from any one pair of coders on several segments.
MAJORITY_CASES = {
    # segment: ({coder: codes}, the majority's codes)
    ("P01", 2): ({"alice": {B}, "bob": {T}, "carol": {B, T}}, {B, T}),  # alice+carol, bob+carol
    ("P01", 3): ({"alice": {F}, "bob": {F, B}, "carol": {B}}, {F, B}),  # alice+bob, bob+carol
    ("P02", 2): ({"alice": {B, T, F}, "bob": set(), "carol": set()}, set()),  # one of three
    ("P02", 3): ({"alice": {B}, "bob": {B}, "carol": {B}}, {B}),
    ("P03", 2): ({"alice": {T}, "carol": {T, F}}, {T}),  # two coders decided: both are needed
    ("P03", 3): ({"bob": {F}}, {F}),  # one coder decided: that coder is the majority
    ("P04", 2): ({"alice": set(), "bob": {T}, "carol": {T}}, {T}),  # bob+carol only
    ("P04", 3): ({"alice": {F, T}, "bob": {B, F}, "carol": {T, B}}, {F, T, B}),  # each pair agrees on one
    ("P05", 2): ({"alice": {B}, "bob": {T}, "carol": {F}}, set()),
}


def test_majority_of_three_coders_worked_by_hand(db):
    build_report_project(db, coders=())
    for (tid, n), (by_coder, _) in MAJORITY_CASES.items():
        for coder, codes in by_coder.items():
            save_decision(db, Decision(tid, n, coder, frozenset(codes)))
    data = load_report_data(db, source="majority")
    themes = lambda codes: set(codes) | ({"access"} if codes & {B, T} else set())
    assert {key: set(codes) for key, codes in data.applied.items()} == {
        key: themes(majority) for key, (_, majority) in MAJORITY_CASES.items()
    }
    table = build_theme_table(data)
    assert table.n_participants == 5
    assert _counts(table) == {
        "access": (6, 4, 80.0),  # P01:2, P01:3, P02:3, P03:2, P04:2, P04:3
        "access-beds": (4, 3, 60.0),  # P01:2, P01:3, P02:3, P04:3
        "access-transport": (4, 3, 60.0),  # P01:2, P03:2, P04:2, P04:3
        "followup": (3, 3, 60.0),  # P01:3, P03:3, P04:3
    }


def test_union_takes_any_coder_and_a_named_coder_only_that_coder(project):
    union = build_theme_table(load_report_data(project, source="union"))
    assert _counts(union) == {
        "access": (3, 3, 75.0),
        "access-beds": (2, 2, 50.0),
        "access-transport": (2, 2, 50.0),
        "followup": (2, 2, 50.0),
    }
    bob = build_theme_table(load_report_data(project, source="bob"))
    assert bob.n_participants == 3
    assert _counts(bob) == {
        "access": (1, 1, 33.3),
        "access-beds": (1, 1, 33.3),
        "access-transport": (0, 0, 0.0),
        "followup": (1, 1, 33.3),
    }


def test_level_keeps_only_codes_or_only_themes(project):
    data = load_report_data(project)
    assert [r.code for r in build_theme_table(data, level="code").rows] == [
        "access-beds",
        "access-transport",
        "followup",
    ]
    assert [r.code for r in build_theme_table(data, level="theme").rows] == ["access"]


def test_percent_rounds_half_up_to_one_decimal():
    assert (pct(1, 3), pct(2, 3), pct(1, 16), pct(1, 8), pct(0, 0)) == (33.3, 66.7, 6.3, 12.5, 0.0)


def test_without_consensus_the_source_must_be_chosen(db):
    build_report_project(db, coders=("alice", "bob"))
    with pytest.raises(ReportError) as ex:
        load_report_data(db)
    assert str(ex.value) == (
        "This project has no consensus decisions, so the report needs a source. Choose one with "
        '--source CODER|majority|union, or reconcile first with "wei-qual reconcile".'
    )


def test_a_single_coder_project_is_told_to_read_its_coder(db):
    # One analyst: "reconcile first" has nothing to reconcile; the report names the coder to read.
    build_report_project(db, coders=("alice",))
    with pytest.raises(ReportError) as ex:
        load_report_data(db)
    assert str(ex.value) == (
        "This project has no consensus decisions, so the report needs a source. alice is its only coder: "
        "pass --source alice."
    )
    assert load_report_data(db, source="alice").source == "alice"


def test_unknown_source_and_attribute_are_named(project):
    with pytest.raises(
        ReportError,
        match=r'^No decisions by "dave" in this project \(coders: alice, bob, carol, '
        r"consensus\)\. Pass --source consensus, a coder's name, majority or union\.$",
    ):
        load_report_data(project, source="dave")
    with pytest.raises(
        ReportError, match=r'^No transcript has the attribute "region" \(known: role, setting\)\.'
    ):
        build_theme_table(load_report_data(project), by=["region"])


def test_no_codebook_is_an_error(db):
    with pytest.raises(
        ReportError,
        match='^No codebook is loaded in this project. Load one with "wei-qual codebook load FILE".$',
    ):
        load_report_data(db)


def test_exact_csv(project):
    table = build_theme_table(load_report_data(project), by=["role"])
    assert to_csv(table.data_table()) == (
        "code,name,parent,level,segments,participants,pct_participants,"
        "role=officer (n=3) segments,role=officer (n=3) participants,role=officer (n=3) pct_participants,"
        "role=provider (n=2) segments,role=provider (n=2) participants,role=provider (n=2) pct_participants\n"
        "access,Access to resources,,theme,4,3,60.0,2,1,33.3,2,2,100.0\n"
        "access-beds,CSU beds,access,code,3,2,40.0,2,1,33.3,1,1,50.0\n"
        "access-transport,Transport,access,code,2,2,40.0,1,1,33.3,1,1,50.0\n"
        "followup,Follow-up care,,code,2,2,40.0,1,1,33.3,1,1,50.0\n"
    )


def test_exact_markdown(project):
    table = build_theme_table(load_report_data(project), by=["role"], level="theme")
    assert to_markdown(table.display_tables()) == (
        "### Themes (consensus)\n"
        "\n"
        "| Code | Name | Level | Segments | Participants (N=5) | role=officer (n=3) | role=provider (n=2) |\n"
        "|---|---|---|---:|---|---|---|\n"
        "| access | Access to resources | theme | 4 | 3 (60.0%) | 1 (33.3%) | 2 (100.0%) |\n"
        "\n"
        "Source: consensus. Participants: 5 with a decided segment, in 5 transcripts (each participant "
        "speaker of a transcript counts once). "
        "A theme counts a segment once when it or any code under it was applied.\n"
    )


def test_exact_json(project):
    table = build_theme_table(load_report_data(project, source="union"), by=["role"], level="theme")
    assert json.loads(render_text(table, "json")) == {
        "source": "union",
        "kind": "interview",
        "where": {},  # --where: none
        "where_not": {},
        "participants": 4,
        "transcripts": 4,
        "groups": {"role": {"officer": 2, "provider": 2}},
        "rows": [
            {
                "code": "access",
                "name": "Access to resources",
                "parent": None,
                "level": "theme",
                "segments": 3,
                "participants": 3,
                "pct_participants": 75.0,
                "by": {
                    "role": {
                        "officer": {"segments": 1, "participants": 1, "pct_participants": 50.0},
                        "provider": {"segments": 2, "participants": 2, "pct_participants": 100.0},
                    }
                },
            }
        ],
        "warnings": [],  # what the numbers leave out (the CLI passes them); none here
    }


KEYS = [(t, n) for t in ("P01", "P02", "P03", "P04", "P05") for n in (2, 3)]
LEAVES = ["access-beds", "access-transport", "followup"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["alice", "bob", "carol"]),
            st.sampled_from(KEYS),
            st.frozensets(st.sampled_from(LEAVES)),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_rules_are_consistent_on_random_decisions(decisions):
    from wei_qual.models import Decision
    from wei_qual.store import memory_db
    from wei_qual.store.decisions import save_decision

    db = memory_db()
    build_report_project(db, coders=())
    for coder, (t, n), codes in decisions:
        save_decision(db, Decision(t, n, coder, codes))
    union = {r.code: r for r in build_theme_table(load_report_data(db, source="union")).rows}
    majority = {r.code: r for r in build_theme_table(load_report_data(db, source="majority")).rows}
    for code, row in union.items():
        assert majority[code].segments <= row.segments
    for rows in (union, majority):
        children = [rows["access-beds"].segments, rows["access-transport"].segments]
        assert max(children) <= rows["access"].segments <= sum(children)


# ----------------------------------------------------------------- edges found by mutation testing

POLICY = [  # a fictional county policy, two sections
    ("1 Purpose", "The county funds a mobile crisis van on weekdays."),
    ("2 Beds", "The unit holds six beds for adults in crisis."),
]


def _add_policy(db) -> None:
    """A document beside the fixture's interviews, coded by the consensus coder; its setting is rural."""
    from wei_qual.models import DOCUMENT, DOCUMENT_KIND, Segment, Transcript
    from wei_qual.store.transcripts import save_transcript

    text = "\n\n".join(body for _, body in POLICY)
    segments, pos = [], 0
    for n, (label, body) in enumerate(POLICY, start=1):
        segments.append(Segment(n, None, DOCUMENT, body, pos, pos + len(body), label=label, page=n))
        pos += len(body) + 2
    policy = Transcript(
        "county_policy", "county_policy.md", "md", "sha-policy", text, tuple(segments), {"setting": "rural"}
    )
    save_transcript(db, Transcript(**{**policy.__dict__, "kind": DOCUMENT_KIND}))
    save_decision(db, Decision("county_policy", 1, "consensus", frozenset({"access-transport"})))
    save_decision(db, Decision("county_policy", 2, "consensus", frozenset({"access-beds"})))


def test_groups_beside_documents_keep_missing_last(project):
    # With a document in the project the participants' and the documents' groups are counted apart;
    # P04 has no setting, and "(missing)" sorts before letters, so only the sort key puts it last.
    _add_policy(project)
    data = load_report_data(project, kind="all")
    assert data.documents == frozenset({"county_policy"})
    assert data.labels == {
        ("county_policy", 1): ("1 Purpose", 1, None),
        ("county_policy", 2): ("2 Beds", 2, None),
    }
    table = build_theme_table(data, by=["setting"])
    assert list(table.groups["setting"].items()) == [("rural", 2), ("urban", 2), ("(missing)", 1)]
    assert table.document_groups == {"setting": {"rural": 1}}
    assert to_csv(table.data_table()).splitlines()[0].split(",")[9:] == [
        f"setting={group} {column}"
        for group in ("rural (n=2)", "urban (n=2)", "(missing) (n=1)")
        for column in ("segments", "participants", "pct_participants")
    ] + ["setting=rural documents (n=1) documents", "setting=rural documents (n=1) pct_documents"]
    # The interview report reads the same project as if the document were not there.
    interviews = load_report_data(project)
    assert (interviews.documents, interviews.labels) == (frozenset(), {})
    assert sorted(interviews.attributes) == ["P01", "P02", "P03", "P04", "P05"]
    assert sorted(load_report_data(project, kind="document").attributes) == ["county_policy"]


@pytest.mark.parametrize(
    ("kind", "what"),
    [("interview", "participant"), ("document", "document"), ("all", "participant or document")],
)
def test_a_source_with_only_interviewer_turns_names_the_kind_read(db, kind, what):
    build_report_project(db, coders=("alice",))
    save_decision(db, Decision("P02", 1, "dave", frozenset({"followup"})))  # the interviewer's question
    with pytest.raises(ReportError) as ex:
        load_report_data(db, source="dave", kind=kind)
    assert str(ex.value) == (
        f'No {what} segment has a decision from source "dave". '
        'Code some with "wei-qual code", or pass another --source.'
    )


@pytest.mark.parametrize(
    ("coders", "source", "message"),
    [
        pytest.param(
            ("consensus",),
            "majority",
            "--source majority needs decisions by independent coders, and this project has none. "
            'Import some with "wei-qual decisions import", or use --source consensus.',
            id="a rule source without independent coders says how to get some",
        ),
        pytest.param(
            (),
            "alice",
            'No decisions by "alice" in this project (coders: none). '
            "Pass --source consensus, a coder's name, majority or union.",
            id="a coder in a project without decisions lists none",
        ),
    ],
)
def test_a_source_the_project_cannot_give_says_what_to_do(db, coders, source, message):
    build_report_project(db, coders=coders)
    with pytest.raises(ReportError) as ex:
        load_report_data(db, source=source)
    assert str(ex.value) == message


def test_quotes_use_the_excerpts_of_the_source_only(db):
    from wei_qual.models import Excerpt

    build_report_project(db)
    # P01:2's long turn: the consensus marked its first words for beds; alice marked other words.
    save_decision(
        db,
        Decision(
            "P01",
            2,
            "consensus",
            frozenset({"access-beds", "access-transport"}),
            excerpts=(Excerpt("access-beds", 0, 22),),
        ),
    )
    save_decision(
        db,
        Decision(
            "P01",
            2,
            "alice",
            frozenset({"access-beds", "access-transport"}),
            excerpts=(Excerpt("access-beds", 30, 60),),
        ),
    )
    assert load_report_data(db).excerpts == {("P01", 2): {"access-beds": [(0, 22)]}}
    assert load_report_data(db, source="alice").excerpts == {("P01", 2): {"access-beds": [(30, 60)]}}


def test_a_rule_source_with_every_coder_left_out_says_to_name_one(db):
    build_report_project(db, coders=("consensus", "alice", "bob"))
    with pytest.raises(ReportError) as ex:
        load_report_data(db, source="union", exclude_coders=["alice", "bob"])
    assert str(ex.value) == (
        "--source union needs independent coders, and --coders / --exclude-coders leave none. "
        "Name at least one coder."
    )


def test_an_unknown_kind_names_the_three_kinds(project):
    with pytest.raises(ReportError) as ex:
        load_report_data(project, kind="policy")
    assert str(ex.value) == 'Unknown kind "policy". Pass --kind interview, document or all.'


def test_number_attributes_are_grouped_in_number_order(runner, tmp_path):
    # --by years_experience ordered its groups 11, 12, 14, 16, 22, 4, 5: as text.
    from wei_qual.cli import app
    from wei_qual.demo import run_demo
    from wei_qual.models import value_order

    assert sorted(["11", "4", "(missing)", "urban", "2.5", "-1"], key=value_order) == [
        "-1",
        "2.5",
        "4",
        "11",
        "urban",
        "(missing)",
    ]
    db = run_demo(tmp_path / "out").db_path
    result = runner.invoke(
        app, ["report", "themes", "--by", "years_experience", "--format", "json", "--db", str(db)]
    )
    assert result.exit_code == 0, result.stderr
    groups = list(json.loads(result.stdout)["groups"]["years_experience"])
    numbers = [g for g in groups if g != "(missing)"]
    assert numbers == sorted(numbers, key=float) and len(numbers) > 3


def test_the_project_counts_every_participant_segment_coded_or_not(project):
    # The fixture has 5 transcripts of 2 participant turns each (segment 1 is the interviewer's):
    # 10 in the project; consensus decided 7 of them, alice 4 (the HTML report's "N in the project,
    # M coded").
    data = load_report_data(project)
    assert (data.participant_segments, len(data.segments)) == (10, 7)
    alice = load_report_data(project, source="alice")
    assert (alice.participant_segments, len(alice.segments)) == (10, 4)


def test_an_empty_attribute_value_is_missing_in_the_groups(project):
    from wei_qual.store.transcripts import save_attributes

    save_attributes(project, "P04", {"setting": ""})  # a blank cell: no value, like no attribute
    data = load_report_data(project)
    assert data.group_sizes("setting") == {"rural": 2, "urban": 2, "(missing)": 1}
    assert data.group_of(("P04", "P04"), "setting") == "(missing)"


def test_a_rule_source_warns_only_when_no_turn_was_double_coded(project):
    # P01:2 was decided by alice, bob and carol, P02:2 and P03:2 by alice and bob: majority and union
    # mean something here, though most turns had one coder. No warning.
    for source in ("majority", "union"):
        assert load_report_data(project, source=source).warnings == []
