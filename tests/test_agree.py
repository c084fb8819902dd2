"""wei_qual.agree: matrices built from the project, per code / group / overall, --by, undefined
values, errors, disagreements and the consensus helpers."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from itertools import combinations

import krippendorff
import numpy as np
import pytest
from _agree_project import CODEBOOK, GROUP_PLACE, MATRICES, THEME_ACCESS, build
from _bootstrap_reference import alpha_draws, assert_percentile_interval

from wei_qual import agree
from wei_qual.agree.groups import _group_value
from wei_qual.errors import AgreementError
from wei_qual.models import Decision
from wei_qual.reliability import (
    bootstrap_alpha,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)
from wei_qual.store import iter_audit
from wei_qual.store.decisions import get_decision, iter_decisions, save_decision


@pytest.fixture
def project(db):
    build(db)
    return db


def _none(x):
    return None if math.isnan(x) else x


def _mean_kappa(matrix):
    values = [cohen_kappa([matrix[a], matrix[b]]) for a, b in combinations(range(len(matrix)), 2)]
    defined = [v for v in values if not math.isnan(v)]
    return sum(defined) / len(defined) if defined else None


def _expected_verdict(alpha, units_applied):
    """Krippendorff's thresholds, and no verdict for a code on fewer than three units (docs/agreement.md)."""
    if alpha is None:
        return "undefined"
    if units_applied < 3:
        return "too few"
    return "reliable" if alpha >= 0.8 else "tentative" if alpha >= 0.667 else "unreliable"


def _expected_code(code, matrix):
    values = [v for row in matrix for v in row if v is not None]
    applied = sum(any(row[u] == 1 for row in matrix) for u in range(len(matrix[0])))
    alpha = _none(krippendorff_alpha(matrix))
    return {
        "code": code,
        "n_units": len(matrix[0]),
        "prevalence": sum(values) / len(values),
        "percent_agreement": percent_agreement(matrix),
        "alpha": _none(krippendorff_alpha(matrix)),
        "cohen_kappa": _mean_kappa(matrix),
        "fleiss_kappa": _none(fleiss_kappa(matrix)),
        "gwet_ac1": _none(gwet_ac1(matrix)),
        "brennan_prediger": _none(brennan_prediger(matrix)),
        "units_applied": applied,
        "verdict": _expected_verdict(alpha, applied),
    }


def _check_interval(got: dict, matrix) -> None:
    """alpha_ci against a plain percentile bootstrap written in the tests (not the code's own call), the
    undefined draws against the reference's share, and the note against the 5% and 50% rules."""
    alphas, undefined = alpha_draws(matrix, draws=6000, seed=17)
    share = undefined / 6000
    draws = 2000
    assert abs(got["ci_undefined_draws"] / draws - share) < 5 * math.sqrt(max(share, 1e-3) / draws)
    if got["ci_undefined_draws"] > draws / 2 or not alphas:
        assert got["alpha_ci"] == [None, None]
    else:
        assert_percentile_interval(got["alpha_ci"], alphas)
    if got["ci_undefined_draws"] > 0.05 * draws:
        assert got["ci_note"].startswith(
            f"alpha is undefined in {got['ci_undefined_draws']} of 2000 bootstrap draws"
        )
    else:
        assert got["ci_note"] is None


def test_per_code_values_come_from_the_expected_matrices(project):
    result = agree.measure(project, bootstrap=2000).to_dict()
    assert result["coders"] == ["alice", "bob", "carol"]
    assert result["units"] == 7
    assert [c["code"] for c in result["codes"]] == ["wait", "beds", "jail", "hospital", "unused"]
    for got in result["codes"]:
        expected = _expected_code(got["code"], MATRICES[got["code"]])
        reason = got.pop("reason")
        interval = {k: got.pop(k) for k in ("alpha_ci", "ci_undefined_draws", "ci_note")}
        assert got.keys() == expected.keys()
        for key, value in expected.items():
            if isinstance(value, float):
                assert got[key] == pytest.approx(value, abs=1e-12), (got["code"], key)
            else:
                assert got[key] == value, (got["code"], key)
        assert reason == ("no variation: no coder applied this code" if got["code"] == "unused" else None)
        if got["code"] == "unused":
            assert interval == {"alpha_ci": [None, None], "ci_undefined_draws": 0, "ci_note": None}
        else:
            _check_interval(interval, MATRICES[got["code"]])


def test_alpha_of_wait_by_hand(project):
    # Independent check against the krippendorff package on the hand-written matrix.
    data = np.array([[np.nan if v is None else v for v in row] for row in MATRICES["wait"]], dtype=float)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    code = next(c for c in agree.measure(project, bootstrap=0).codes if c.code == "wait")
    assert code.alpha == pytest.approx(expected, abs=1e-12)
    assert code.alpha_ci == (None, None)  # --bootstrap 0


def test_a_code_nobody_applied_is_null_with_a_reason_never_one(project):
    unused = agree.measure(project, bootstrap=50).to_dict()["codes"][-1]
    assert unused == {
        "code": "unused",
        "n_units": 7,
        "prevalence": 0.0,
        "percent_agreement": 1.0,
        "alpha": None,
        "alpha_ci": [None, None],
        "cohen_kappa": None,
        "fleiss_kappa": None,
        "gwet_ac1": None,
        "brennan_prediger": None,
        "reason": "no variation: no coder applied this code",
        "ci_undefined_draws": 0,
        "ci_note": None,
        "units_applied": 0,
        "verdict": "undefined",
    }
    assert agree.verdict(None) == "undefined"


def test_exclusive_group_is_one_nominal_variable(project):
    groups = agree.measure(project, bootstrap=2000, seed=3).to_dict()["groups"]
    interval = {k: groups[0].pop(k) for k in ("alpha_ci", "ci_undefined_draws", "ci_note")}
    assert groups == [
        {
            "group": "place",
            "n_units": 7,
            "alpha": pytest.approx(krippendorff_alpha(GROUP_PLACE)),
            "percent_agreement": pytest.approx(percent_agreement(GROUP_PLACE)),
            "reason": None,
            # units on which a coder applied jail or hospital, counted from the expected matrices
            "units_applied": sum(
                any(row[i] == 1 for code in ("jail", "hospital") for row in MATRICES[code]) for i in range(7)
            ),
            "verdict": "tentative",
        }
    ]
    _check_interval(interval, GROUP_PLACE)


def test_group_value_marks_broken_exclusivity_as_its_own_value():
    assert _group_value(frozenset({"hospital", "jail", "wait"}), ["jail", "hospital"]) == "hospital+jail"
    assert _group_value(frozenset({"wait"}), ["jail", "hospital"]) == "(none)"
    assert _group_value(None, ["jail", "hospital"]) is None


def test_overall_pooled_and_mean(project):
    result = agree.measure(project, bootstrap=0)
    # Pooled over the codes with variation: "unused" (nobody applied it) has no α of its own, and
    # pooled it would add an agreed absence on every unit.
    codes = ("wait", "beds", "jail", "hospital")
    pooled = [[v for c in codes for v in MATRICES[c][i]] for i in range(3)]
    assert result.alpha_pooled == pytest.approx(krippendorff_alpha(pooled), abs=1e-12)
    with_unused = [[v for c in (*codes, "unused") for v in MATRICES[c][i]] for i in range(3)]
    assert krippendorff_alpha(with_unused) > result.alpha_pooled  # what it was: raised by the unused code
    defined = [krippendorff_alpha(MATRICES[c]) for c in ("wait", "beds", "jail", "hospital")]
    assert result.alpha_mean == pytest.approx(sum(defined) / 4, abs=1e-12)


def test_a_parent_code_gets_a_theme_row(project):
    result = agree.measure(project, codes=["access"], bootstrap=0)
    assert [c.code for c in result.codes] == ["access"]
    assert result.codes[0].alpha == pytest.approx(krippendorff_alpha(THEME_ACCESS), abs=1e-12)
    assert result.groups == []  # no code of the exclusive group "place" selected


def test_two_coders_missing_data_and_cohen_kappa(project):
    result = agree.measure(project, coders=["alice", "carol"], codes=["wait", "beds"], bootstrap=0)
    # alice and carol share p01:2, p01:3, p01:5, p02:2, p02:4.
    assert result.units == 5
    wait = result.codes[0]
    assert wait.cohen_kappa == pytest.approx(cohen_kappa([[1, 0, 1, 0, 0], [1, 0, 0, 0, 0]]))
    assert wait.percent_agreement == pytest.approx(0.8)
    beds = result.codes[1]
    assert beds.alpha == 1.0 and beds.reason is None  # real perfect agreement with variation


def test_interviewer_turns_only_when_asked(project):
    assert agree.measure(project, bootstrap=0).units == 7
    assert agree.measure(project, bootstrap=0, include_interviewer=True).units == 8


def test_a_selection_without_texts_has_the_same_units(project):
    full = agree.select(project, include_interviewer=True)
    bare = agree.select(project, include_interviewer=True, texts=False)
    assert any(u.text for u in full.units)
    assert [u.text for u in bare.units] == [""] * len(full.units)
    for u in full.units:
        u.text = ""
    assert bare.units == full.units


def test_transcript_filter(project):
    result = agree.measure(project, transcripts=["p02"], bootstrap=0)
    assert result.units == 3


def test_by_attribute_repeats_the_analysis(project):
    result = agree.measure(project, by="role", bootstrap=0)
    officer, provider = result.by["role"]["officer"], result.by["role"]["provider"]
    assert list(result.by["role"]) == ["officer", "provider"]
    assert (officer.units, provider.units) == (4, 3)
    wait = [row[:4] for row in MATRICES["wait"]]
    assert officer.codes[0].alpha == pytest.approx(krippendorff_alpha(wait), abs=1e-12)
    as_json = result.to_dict()
    assert set(as_json["by"]["role"]["provider"]) == {
        "coders",
        "units",
        "transcripts",
        "codes",
        "groups",
        "overall",
        "bootstrap",
        "warnings",
    }
    assert as_json["by"]["role"]["provider"]["units"] == 3


def test_json_shape(project):
    result = agree.measure(project, bootstrap=10).to_dict()
    assert list(result) == [
        "coders",
        "units",
        "transcripts",
        "codes",
        "groups",
        "overall",
        "bootstrap",
        "warnings",
        "by",
    ]
    assert result["transcripts"] == 2
    assert result["by"] == {}
    assert set(result["overall"]) == {
        "alpha_pooled",
        "alpha_pooled_ci",
        "alpha_pooled_ci_undefined_draws",
        "alpha_pooled_ci_note",
        "alpha_mean",
    }
    assert result["bootstrap"] == {"draws": 10, "method": "units", "seed": 0, "level": 0.95}


def test_kalpha_method_is_named_and_seeded(project):
    a = agree.measure(project, bootstrap=300, ci_method="kalpha", seed=5)
    b = agree.measure(project, bootstrap=300, ci_method="kalpha", seed=5)
    assert a.to_dict() == b.to_dict() and a.ci_method == "kalpha"
    assert a.codes[0].alpha_ci == pytest.approx(
        bootstrap_alpha(MATRICES["wait"], n=300, seed=5, method="kalpha")
    )


def test_verdict_thresholds():
    assert [agree.verdict(x) for x in (0.8, 0.7999, 0.667, 0.6669, -0.2)] == [
        "reliable",
        "tentative",
        "tentative",
        "unreliable",
        "unreliable",
    ]


def _one_code_on(db, turns):
    """alice and bob agree on every turn of p03-p05; both apply "unused" to `turns` only."""
    from _agree_project import add_transcript

    build(db, coders=("alice", "bob"))
    for tid in ("p03", "p04", "p05"):
        add_transcript(db, tid, {"role": "officer"})
        for coder in ("alice", "bob"):
            for n in range(2, 6):
                save_decision(db, Decision(tid, n, coder, frozenset({"unused"} if (tid, n) in turns else ())))


def test_a_code_each_coder_applied_to_one_turn_is_too_few_to_judge_not_reliable(db):
    # Both coders applied it to the same one turn: α = 1.000, and its interval 1.000-1.000, yet that is
    # one agreement, not reliability. The verdict says so in the table, the JSON and the passage alike.
    _one_code_on(db, {("p03", 2)})
    result = agree.measure(db, bootstrap=200)
    unused = next(c for c in result.codes if c.code == "unused")
    assert unused.alpha == pytest.approx(1.0) and unused.units_applied == 1
    assert unused.verdict == "too few"
    data = next(c for c in result.to_dict()["codes"] if c["code"] == "unused")
    assert (data["verdict"], data["units_applied"]) == ("too few", 1)


def test_a_code_on_three_agreed_turns_gets_its_verdict(db):
    _one_code_on(db, {("p03", 2), ("p04", 3), ("p05", 4)})
    unused = next(c for c in agree.measure(db, bootstrap=0).codes if c.code == "unused")
    assert (unused.alpha, unused.units_applied, unused.verdict) == (pytest.approx(1.0), 3, "reliable")


def _group_on(db, turns):
    """alice and bob on p03-p05 only: both apply "jail" (exclusive group "place") to `turns`, nothing else."""
    from _agree_project import add_transcript

    from wei_qual.store.codebooks import save_codebook_version

    save_codebook_version(db, CODEBOOK, "name: Test\n")
    for tid in ("p03", "p04", "p05"):
        add_transcript(db, tid, {"role": "officer"})
        for coder in ("alice", "bob"):
            for n in range(2, 6):
                save_decision(db, Decision(tid, n, coder, frozenset({"jail"} if (tid, n) in turns else ())))


def test_an_exclusive_group_applied_to_one_turn_is_too_few_to_judge_as_a_code_is(db):
    # The group's codes on one agreed turn and "(none)" agreed on the 11 others: nominal α is 1.000 (by
    # the published formula too), which a group's verdict called "reliable" while its code said "too few".
    _group_on(db, {("p03", 2)})
    result = agree.measure(db, bootstrap=0)
    values = [
        ["jail" if (t, n) == ("p03", 2) else "(none)" for t in ("p03", "p04", "p05") for n in range(2, 6)]
    ]
    assert krippendorff.alpha(
        reliability_data=[[["(none)", "jail"].index(v) for v in values[0]]] * 2,
        level_of_measurement="nominal",
    ) == pytest.approx(1.0)
    place = result.groups[0]
    assert (place.group, place.alpha, place.units_applied, place.verdict) == ("place", 1.0, 1, "too few")
    jail = next(c for c in result.codes if c.code == "jail")
    assert jail.verdict == place.verdict == "too few"
    assert (result.to_dict()["groups"][0]["verdict"], result.to_dict()["groups"][0]["units_applied"]) == (
        "too few",
        1,
    )


def test_the_too_few_line_says_a_group_alone_as_a_group(db):
    # The table's line under a group too few to judge, with no code so: its codes, not "the code".
    from wei_qual.agree.result import too_few_note

    _group_on(db, {("p03", 2)})
    result = agree.measure(db, bootstrap=0)
    assert too_few_note([], result.groups) == (
        "group place (1 unit): applied (a group: its codes) to fewer than 3 double-coded units, so its α, "
        "whatever the value, gets no verdict (too few). Double-code more turns that hold its codes before "
        "reporting it."
    )


def test_an_exclusive_group_on_three_turns_gets_its_verdict(db):
    _group_on(db, {("p03", 2), ("p04", 3), ("p05", 4)})
    place = agree.measure(db, bootstrap=0).groups[0]
    assert (place.alpha, place.units_applied, place.verdict) == (1.0, 3, "reliable")


def test_below_lists_defined_codes_under_the_gate(project):
    result = agree.measure(project, bootstrap=0)
    alphas = {c.code: c.alpha for c in result.codes}
    assert [c.code for c in agree.below(result, 1.0)] == [
        c for c in ("wait", "beds", "jail", "hospital") if alphas[c] < 1
    ]
    assert agree.below(result, -1.0) == []


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"coders": ["alice", "zed"]},
            'Unknown coder "zed" in --coders. Known coders: alice, bob, carol. Check the spelling.',
        ),
        (
            {"coders": ["alice"]},
            'Agreement needs at least two coders, --coders names one ("alice"). Name two or more, e.g. --coders alice,bob.',
        ),
        (
            {"codes": ["nope"]},
            'Unknown code "nope" in --codes: it is not in the active codebook. See the code ids with "wei-qual codebook show".',
        ),
        (
            {"transcripts": ["p99"]},
            'Unknown transcript "p99" given with --transcript. See the ids with "wei-qual transcripts list".',
        ),
        (
            {"by": "age"},
            'No transcript has the attribute "age" given with --by. Known attributes: role, setting. Add them with "wei-qual ingest --attributes".',
        ),
        (
            {"ci_method": "jackknife"},
            'Unknown bootstrap method "jackknife". Use --ci-method units or kalpha.',
        ),
    ],
)
def test_errors(project, kwargs, message):
    with pytest.raises(AgreementError) as info:
        agree.measure(project, **kwargs)
    assert str(info.value) == message


def test_no_codebook(db):
    with pytest.raises(
        AgreementError, match=r'^No codebook is loaded\. Load one with "wei-qual codebook load FILE"\.$'
    ):
        agree.measure(db)


def test_fewer_than_two_coders_with_decisions(db):
    build(db, coders=("alice",))
    with pytest.raises(AgreementError) as info:
        agree.measure(db)
    assert str(info.value) == (
        "Agreement needs decisions from at least two coders; this project has 1 (alice). "
        'Import or code a second coder\'s decisions with "wei-qual decisions import" or "wei-qual code".'
    )


def test_coders_with_no_segment_in_common(db):
    build(db, coders=("alice",))
    save_decision(
        db, Decision("p02", 5, "dave", frozenset({"wait"}))
    )  # alice's p02:5 is hers alone... and dave's
    with pytest.raises(AgreementError) as info:
        agree.measure(db, coders=["alice", "dave"], transcripts=["p01"])
    assert str(info.value) == (
        "Coders alice and dave have no segment in common: no segment in the selection was decided by two of them. "
        'Double-code some segments with "wei-qual code --coder NAME", or check --transcript.'
    )


def test_default_coders_leave_out_consensus(project):
    save_decision(project, Decision("p01", 2, "consensus", frozenset({"wait"}), rationale="agreed"))
    save_decision(project, Decision("p01", 2, "final", frozenset({"wait"}), rationale="agreed"))
    assert agree.default_coders(project) == ["alice", "bob", "carol"]


# ------------------------------------------------------------------ disagreements and consensus


def test_disagreements_between_alice_and_bob(project):
    sel, items = agree.list_disagreements(project, coders=["alice", "bob"])
    assert [(d.unit.transcript, d.unit.segment, sorted(d.disputed), sorted(d.agreed)) for d in items] == [
        ("p01", 3, ["beds"], ["jail"]),
        ("p01", 4, ["wait"], []),
        ("p02", 4, ["hospital"], ["beds"]),
    ]
    header, rows = agree.disagreement_rows(sel, items)
    assert header == [
        "transcript",
        "segment",
        "speaker",
        "role",
        "setting",
        "alice",
        "bob",
        "disputed",
        "text",
    ]
    assert rows[0] == [
        "p01",
        "3",
        "P01",
        "officer",
        "rural",
        "beds;jail",
        "jail",
        "beds",
        "No beds [inaudible] so he went to jail.",
    ]
    assert rows[1][5:8] == ["(nothing)", "wait", "wait"]


def test_disagreements_with_missing_coders_and_a_code_filter(project):
    sel, items = agree.list_disagreements(project, codes=["hospital"])
    assert [(d.unit.transcript, d.unit.segment) for d in items] == [("p02", 4)]
    assert items[0].unit.codes["carol"] == frozenset({"beds"})
    _, rows = agree.disagreement_rows(sel, items)
    assert rows == [
        [
            "p02",
            "4",
            "P02",
            "provider",
            "urban",
            "beds",
            "beds;hospital",
            "beds",
            "hospital",
            "Beds were full, the hospital took him.",
        ]
    ]


def test_accept_agreed_copies_agreed_units_once(project):
    assert agree.accept_agreed(project, coders=["alice", "bob"], actor="lead") == 4
    got = {
        (d.transcript, d.segment): (d.codes, d.rationale)
        for d in iter_decisions(project, coders=["consensus"])
    }
    assert got == {
        ("p01", 2): (frozenset({"wait"}), "agreed by alice, bob [copied by reconcile --accept-agreed]"),
        ("p01", 5): (
            frozenset({"hospital", "wait"}),
            "agreed by alice, bob [copied by reconcile --accept-agreed]",
        ),
        ("p02", 2): (frozenset({"jail"}), "agreed by alice, bob [copied by reconcile --accept-agreed]"),
        ("p02", 3): (frozenset(), "agreed by alice, bob [copied by reconcile --accept-agreed]"),
    }
    assert agree.accept_agreed(project, coders=["alice", "bob"], actor="lead") == 0
    assert {r["actor"] for r in iter_audit(project, entity="decision") if "consensus" in r["entity_id"]} == {
        "lead"
    }


def test_accept_agreed_leaves_a_different_consensus_decision_alone(project):
    # alice and bob agree p01:2 is "wait"; the lead already decided it otherwise, with a reason.
    lead = Decision("p01", 2, "consensus", frozenset({"wait", "beds"}), rationale="beds are why they wait")
    save_decision(project, lead, actor="lead")
    before = get_decision(project, "p01", 2, "consensus")
    assert agree.accept_agreed(project, coders=["alice", "bob"], actor="lead") == 3  # the other three
    after = get_decision(project, "p01", 2, "consensus")
    assert (after.codes, after.rationale, after.revision, after.decided_utc) == (
        frozenset({"wait", "beds"}),
        "beds are why they wait",
        before.revision,
        before.decided_utc,
    )
    assert [
        r["action"] for r in iter_audit(project, entity="decision") if r["entity_id"] == "p01:2:consensus"
    ] == ["create"]


def test_reconcile_queue_skips_reconciled_units(project):
    _, queue = agree.reconcile_queue(project, coders=["alice", "bob"])
    assert len(queue) == 3
    agree.save_consensus(
        project,
        queue[0].unit,
        frozenset({"beds", "jail"}),
        "no beds named",
        consensus="consensus",
        actor="lead",
    )
    assert get_decision(project, "p01", 3, "consensus").rationale == "no beds named"
    _, queue = agree.reconcile_queue(project, coders=["alice", "bob"])
    assert [(d.unit.transcript, d.unit.segment) for d in queue] == [("p01", 4), ("p02", 4)]


def test_consensus_name_must_differ_from_the_coders(project):
    with pytest.raises(AgreementError) as info:
        agree.reconcile_queue(project, coders=["alice", "bob"], consensus="bob")
    assert str(info.value) == (
        '--as "bob" is one of the coders being reconciled. Store consensus under another name, e.g. --as consensus.'
    )


def test_toggle_codes_and_commands(project):
    from _agree_project import CODEBOOK

    numbered = ["beds", "jail"]
    assert agree.toggle_codes(frozenset({"jail"}), ["1"], numbered, CODEBOOK) == {"beds", "jail"}
    assert agree.toggle_codes(frozenset({"jail"}), ["2", "unused"], numbered, CODEBOOK) == {"unused"}
    assert agree.toggle_codes(frozenset({"jail"}), ["+jail", "-beds"], numbered, CODEBOOK) == {"jail"}
    with pytest.raises(
        AgreementError, match=r'^"9" is neither a number from the list nor a code id\. Nothing changed\.$'
    ):
        agree.toggle_codes(frozenset(), ["9"], numbered, CODEBOOK)
    # a typo names the id it was meant for, as in the coding session
    with pytest.raises(
        AgreementError,
        match=r'^"hospitl" is neither a number from the list nor a code id \(did you mean "hospital"\?\)\. Nothing',
    ):
        agree.toggle_codes(frozenset(), ["hospitl"], numbered, CODEBOOK)
    # Any case names a code exactly, as in the coding session; a theme is no code, and one chosen (a code a
    # later version gave codes under) can still be removed; two of an exclusive group are refused.
    assert agree.toggle_codes(frozenset(), ["BEDS"], numbered, CODEBOOK) == {"beds"}
    with pytest.raises(AgreementError, match=r'^"place" is a theme heading, not a code\. Choose one of its'):
        agree.toggle_codes(frozenset(), ["Place"], numbered, CODEBOOK)
    assert agree.toggle_codes(frozenset({"place", "jail"}), ["-place"], numbered, CODEBOOK) == {"jail"}
    with pytest.raises(AgreementError, match=r'^"hospital" and "jail" are both .* Type one of them\.'):
        agree.toggle_codes(frozenset(), ["jail", "hospital"], numbered, CODEBOOK)
    assert agree.consensus_problem({"jail", "hospital"}, CODEBOOK) == (
        'hospital and jail are both in exclusive group "place", which takes one code: remove one (-jail) '
        "before saving. Nothing saved."
    )
    assert agree.consensus_problem({"jail", "beds"}, CODEBOOK) is None
    parse = agree.parse_reconcile_command
    assert parse("m beds?") == agree.ReconcileCommand("memo", text="beds?")
    assert parse("M?") == agree.ReconcileCommand("memos")
    assert parse("") == agree.ReconcileCommand("save")
    assert parse("q") == agree.ReconcileCommand("quit")
    assert parse(" 0 ") == agree.ReconcileCommand("nothing")
    assert parse(" s ") == agree.ReconcileCommand("skip")
    assert parse("r because") == agree.ReconcileCommand("rationale", text="because")
    assert parse("r") == agree.ReconcileCommand("rationale", text=None)
    assert parse("1, 2 wait") == agree.ReconcileCommand("toggle", tokens=("1", "2", "wait"))
    # As in the coding session: Q and S with Caps Lock on (they were read as code ids), g and /.
    assert [parse(word).kind for word in ("Q", "S", "R x")] == ["quit", "skip", "rationale"]
    assert parse("G 3") == agree.ReconcileCommand("go", text="3")
    assert parse("/-unit said") == agree.ReconcileCommand("search", tokens=("back",), text="unit said")
    assert parse("/") == agree.ReconcileCommand("search", text=None)


POOLED_CODES = [code for code in MATRICES if code != "unused"]  # the codes with variation


def _pooled_matrix():
    """Every varying code row's matrix side by side: coders x (units x codes), the pooled alpha's data."""
    return [[v for code in POOLED_CODES for v in MATRICES[code][i]] for i in range(3)]


def test_the_pooled_alpha_has_an_interval_from_resampling_segments(project):
    result = agree.measure(project, bootstrap=2000, seed=4)
    low, high = result.alpha_pooled_ci
    assert result.alpha_pooled == pytest.approx(krippendorff_alpha(_pooled_matrix()))
    assert low < result.alpha_pooled < high
    # The same interval by brute force: resample the 7 segments (with all their codes, some decided by
    # three coders) and recompute alpha with the krippendorff package.
    rng = random.Random(11)
    per_unit = [[[MATRICES[c][i][u] for c in POOLED_CODES] for u in range(7)] for i in range(3)]
    draws = []
    for _ in range(6000):
        pick = [rng.randrange(7) for _ in range(7)]
        data = [[np.nan if v is None else v for u in pick for v in per_unit[i][u]] for i in range(3)]
        draws.append(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    assert_percentile_interval((low, high), draws)
    assert result.alpha_pooled_ci_undefined == 0 and all(np.isfinite(draws))


def test_the_pooled_kalpha_interval_is_the_macro_on_the_pooled_matrix(project):
    result = agree.measure(project, bootstrap=500, seed=2, ci_method="kalpha")
    expected = bootstrap_alpha(_pooled_matrix(), n=500, seed=2, method="kalpha")
    assert result.alpha_pooled_ci == pytest.approx(expected)


# ----------------------------------------------------------------- edges found by mutation testing


def test_accept_agreed_keeps_to_the_transcripts_given(project):
    assert agree.accept_agreed(project, coders=["alice", "bob"], actor="lead", transcripts=["p02"]) == 2
    assert sorted((d.transcript, d.segment) for d in iter_decisions(project, coders=["consensus"])) == [
        ("p02", 2),
        ("p02", 3),
    ]


def test_consensus_name_and_reconcile_commands_in_every_spelling():
    with pytest.raises(AgreementError) as ex:
        agree.check_consensus_name("  ", ["alice"])
    assert str(ex.value) == "The consensus coder name is empty. Pass one with --as, e.g. --as consensus."
    parse = agree.parse_reconcile_command
    assert [parse(word).kind for word in ("s", "skip", "?", "h", "help", "q", "quit", "r", "rationale")] == [
        "skip",
        "skip",
        "help",
        "help",
        "help",
        "quit",
        "quit",
        "rationale",
        "rationale",
    ]


def test_disagreements_list_codes_in_codebook_order_and_join_disputed_codes(project):
    save_decision(project, Decision("p02", 3, "bob", frozenset({"jail", "beds", "wait"})))
    sel, items = agree.list_disagreements(project, coders=["alice", "bob"])
    item = next(d for d in items if (d.unit.transcript, d.unit.segment) == ("p02", 3))
    # Codebook order (wait before beds before jail), not the alphabet.
    assert agree.shown_codes(item, CODEBOOK) == ["wait", "beds", "jail"]
    _, rows = agree.disagreement_rows(sel, [item])
    assert rows[0][5:8] == ["(nothing)", "beds;jail;wait", "beds;jail;wait"]  # alice, bob, disputed


def test_every_reason_a_code_or_group_has_no_alpha():
    from wei_qual.agree.groups import _group_reason
    from wei_qual.agree.matrix import _code_reason

    nan = float("nan")
    stats = dict.fromkeys(("alpha", "cohen_kappa", "fleiss_kappa", "gwet_ac1", "brennan_prediger"), 0.5)
    assert _code_reason(stats, np.array([1, 1, 1, 1]), 2, 2) == (
        "no variation: every coder applied this code to every unit"
    )
    assert _code_reason(stats, np.array([0, 0]), 0, 2) == "no unit was decided by two of the selected coders"
    assert _code_reason({**stats, "cohen_kappa": nan}, np.array([1, 0, 1, 1]), 2, 3) == (
        "cohen_kappa undefined: no pair of coders shows variation on the units both decided"
    )
    assert _code_reason({**stats, "alpha": nan, "gwet_ac1": nan}, np.array([1, 0]), 1, 2) == (
        "alpha, gwet_ac1 undefined for this selection"
    )
    assert _group_reason([["jail", "jail"], ["jail", None]], nan, 2) == (
        "no variation: every coder chose jail on every unit"
    )
    assert _group_reason([["jail", "(none)"], ["jail", "(none)"]], nan, 2) == (
        "undefined: no variation among units decided by two coders"
    )


def test_a_coder_who_gave_reasons_only_sometimes_is_an_independent_coder():
    from wei_qual.agree.selection import _default_coders

    # (transcript, segment, coder, codes, decided_utc, has a rationale), as the selection reads them
    decisions = [
        ("p01", 2, "lead", frozenset(), None, False),
        ("p01", 3, "lead", frozenset(), None, True),
        ("p01", 2, "chair", frozenset(), None, True),
        ("p01", 2, "alice", frozenset(), None, False),
    ]
    assert _default_coders(decisions) == ["lead", "alice"]  # chair gave a rationale every time


def test_code_sets_kept_on_a_selection_give_its_strata_and_narrowings_the_values_of_fresh_ones(project):
    # A selection works out its code sets once; a stratum and a narrowed selection take theirs from
    # them: only the sets their own coders and units hold (an exclusive group's categories are the
    # values seen), and the same values as worked out afresh.
    import dataclasses

    from wei_qual.agree.matrix import code_sets

    options = {"bootstrap": 200, "seed": 2, "ci_method": "units"}
    sel = agree.select(project, codes=["wait", "beds", "place", "jail", "hospital", "access"])
    assert sel.groups and sel.sets is None
    agree.measure_units(sel, sel.units, **options)
    assert sel.sets is not None
    for value, units in agree.strata(sel.units, "role").items():
        fresh = dataclasses.replace(sel)  # the same selection, without kept sets
        assert fresh.sets is None and fresh == sel
        assert sorted(map(str, code_sets(sel, units).sets)) == sorted(map(str, code_sets(fresh, units).sets))
        kept = agree.measure_units(sel, units, **options)
        assert kept == agree.measure_units(fresh, units, **options), value
        assert kept.groups[0].alpha is not None or kept.groups[0].reason
    for coders in (["alice", "bob"], ["bob", "carol"], ["carol", "alice"]):
        narrowed = agree.narrow(sel, coders)
        again = agree.select(project, coders=coders, codes=sel.rows)
        assert narrowed == again and narrowed.sets is not None and again.sets is None
        assert sorted(map(str, narrowed.sets.sets)) == sorted(map(str, code_sets(again, again.units).sets))
        assert agree.measure_units(narrowed, narrowed.units, **options) == agree.measure_units(
            again, again.units, **options
        )


@pytest.mark.parametrize(
    ("alpha", "shown"),
    [
        (0.79968, "0.7997"),
        (0.79996, "0.79996"),
        (0.8, "0.800"),
        (0.66666, "0.6667"),
        (0.6664, "0.666"),
        (0.861, "0.861"),
    ],
)
def test_an_alpha_is_never_printed_across_its_verdicts_threshold(alpha, shown):
    # .79968 printed as "0.800" beside "tentative", and as "α = .800" in the methods passage, reads as reliable.
    from wei_qual.agree.result import alpha_text, verdict
    from wei_qual.report.methods_text import alpha3

    assert alpha_text(alpha) == shown and verdict(float(shown)) == verdict(alpha)
    assert alpha3(alpha) == shown.replace("0.", ".", 1)


def test_consensus_keeps_the_words_the_coders_marked_for_the_codes_it_takes(project):
    # Reconcile stored consensus without excerpts: retrieve and the quotes, which read consensus by
    # default, showed whole turns where every coder had marked the words that carry the code.
    from _agree_project import TEXTS, add_transcript

    from wei_qual.models import Excerpt
    from wei_qual.retrieve import retrieve

    def mark(coder, tid, n, codes, *marks):
        text = TEXTS.get((tid, n), f"Turn {n}.")
        spans = [(code, text.index(words), text.index(words) + len(words)) for code, words in marks]
        save_decision(
            project, Decision(tid, n, coder, frozenset(codes), excerpts=tuple(Excerpt(*s) for s in spans))
        )

    mark("alice", "p01", 2, {"wait"}, ("wait", "We wait hours"))
    mark("bob", "p01", 2, {"wait"}, ("wait", "wait hours at the unit"))
    mark("alice", "p01", 3, {"beds", "jail"}, ("beds", "No beds"), ("jail", "he went to jail"))
    mark("bob", "p01", 3, {"jail"}, ("jail", "went to jail."))
    add_transcript(project, "p03", {"role": "officer"})
    mark("alice", "p03", 2, {"wait"}, ("wait", "Turn"))
    coders = ["alice", "bob"]
    assert agree.accept_agreed(project, coders=coders, actor="lead") >= 1
    assert agree.accept_single(project, coders=coders, actor="lead").copied == 1
    _, queue = agree.reconcile_queue(project, coders=coders)
    p01_3 = next(d.unit for d in queue if (d.unit.transcript, d.unit.segment) == ("p01", 3))
    agree.save_consensus(
        project, p01_3, frozenset({"jail"}), "no beds named", consensus="consensus", actor="lead"
    )
    got = {
        key: get_decision(project, *key, "consensus").excerpts for key in (("p01", 2), ("p01", 3), ("p03", 2))
    }
    three = TEXTS[("p01", 3)]
    assert got == {
        ("p01", 2): (Excerpt("wait", 0, len("We wait hours at the unit")),),  # both coders' words, joined
        ("p01", 3): (Excerpt("jail", three.index("he went"), len(three)),),  # not alice's words for beds
        ("p03", 2): (Excerpt("wait", 0, 4),),
    }
    hit = retrieve(project, ["jail"], source="consensus", transcripts=["p01"]).hits[0]
    assert hit.segment == 3 and hit.excerpts == {"jail": [(three.index("he went"), len(three))]}


def test_a_copy_follows_its_coders_later_excerpts_and_says_it_is_stale_meanwhile(project, tmp_path):
    # A coder who narrowed a quote after --accept-agreed left consensus marking the old words: retrieve
    # and the quotes, which read consensus, quoted what the coder no longer marks, and nothing said so.
    from _agree_project import TEXTS

    from wei_qual.excerpts import stale_excerpt_copies
    from wei_qual.models import Excerpt

    text = TEXTS[("p01", 2)]

    def mark(coder, n, words, rationale=None, who=None):
        t = TEXTS.get(("p01", n), f"Turn {n}.")
        spans = (Excerpt("wait", t.index(words), t.index(words) + len(words)),) if words else ()
        save_decision(
            project,
            Decision("p01", n, who or coder, frozenset({"wait"}), excerpts=spans, rationale=rationale),
        )

    mark("alice", 2, "We wait hours")
    mark("bob", 2, "We wait hours")
    assert agree.accept_agreed(project, coders=["alice", "bob"], actor="lead") >= 1
    assert get_decision(project, "p01", 2, "consensus").excerpts == (Excerpt("wait", 0, 13),)
    assert stale_excerpt_copies(project, "consensus") == 0
    mark("bob", 2, "wait hours at the unit")  # bob widens his quote: the codes stay
    assert stale_excerpt_copies(project, "consensus") == 1
    assert agree.accept_agreed(project, coders=["alice", "bob"], actor="lead") == 1  # copied again
    assert get_decision(project, "p01", 2, "consensus").excerpts == (
        Excerpt("wait", 0, len("We wait hours at the unit")),
    )
    assert stale_excerpt_copies(project, "consensus") == 0
    assert agree.accept_agreed(project, coders=["alice", "bob"], actor="lead") == 0
    # A decision the lead made is the lead's words: a coder's later excerpt never replaces it.
    mark("lead", 2, "We wait", rationale="the wait, not the place", who="consensus")
    mark("alice", 2, "hours at the unit")
    assert stale_excerpt_copies(project, "consensus") == 0
    assert agree.accept_agreed(project, coders=["alice", "bob"], actor="lead") == 0
    assert get_decision(project, "p01", 2, "consensus").excerpts == (Excerpt("wait", 0, 7),)
    assert text.startswith("We wait hours at the unit")


def test_disagreements_of_three_coders_include_two_against_one(project):
    # Worked from DECISIONS: a unit is listed when the deciding coders' sets are not all equal, also
    # when two of the three agree. p01:2 (all "wait") and p02:3 (alice and bob nothing, carol
    # undecided) are agreed.
    _, items = agree.list_disagreements(project)
    assert [(d.unit.transcript, d.unit.segment, sorted(d.disputed), sorted(d.agreed)) for d in items] == [
        ("p01", 3, ["beds"], ["jail"]),
        ("p01", 4, ["wait"], []),
        ("p01", 5, ["wait"], ["hospital"]),
        ("p02", 2, ["jail"], []),
        ("p02", 4, ["hospital"], ["beds"]),
    ]


def test_a_coder_who_did_not_decide_a_unit_does_not_dispute_its_codes():
    # With --codes, alice and bob both applied "wait"; carol never decided the unit: no disagreement
    # (she is missing, not a coder who applied nothing).
    from types import SimpleNamespace

    from wei_qual.agree.disagreements import disagreements_in
    from wei_qual.agree.selection import Unit

    unit = Unit(
        "p01",
        2,
        "P01",
        "participant",
        "text",
        {},
        {"alice": frozenset({"wait"}), "bob": frozenset({"wait"}), "carol": None},
    )
    sel = SimpleNamespace(members={"wait": {"wait"}}, units=[unit])
    assert disagreements_in(sel, codes_given=True) == []
    unit.codes["carol"] = frozenset()  # an empty decision does dispute it
    assert [sorted(d.disputed) for d in disagreements_in(sel, codes_given=True)] == [["wait"]]


def test_the_pooled_alpha_leaves_out_a_code_every_coder_applied_everywhere():
    # Like a code nobody applied, a code on every unit by every coder has no alpha of its own; pooled
    # it would add agreed values and pull alpha toward 1. Checked with the krippendorff package.
    from types import SimpleNamespace

    from wei_qual.agree.matrix import pooled, pooled_alpha

    varying = np.array([[1, 0, 1, 0, 0, 1], [1, 0, 0, 0, 1, 1], [0, 0, 1, 0, 0, 1]], dtype=bool)
    decided = np.ones((3, 6), dtype=bool)
    presence = np.stack([varying, np.ones((3, 6), dtype=bool)], axis=2)
    sel = SimpleNamespace(rows=["wait", "everywhere"])
    expected = krippendorff.alpha(reliability_data=varying.astype(float), level_of_measurement="nominal")
    with_it = krippendorff.alpha(
        reliability_data=np.concatenate([varying, np.ones((3, 6))], axis=1).astype(float),
        level_of_measurement="nominal",
    )
    assert with_it > expected + 0.1
    assert pooled_alpha(sel, decided, presence) == pytest.approx(expected, abs=1e-12)
    assert pooled(sel, decided, presence, bootstrap=0, seed=0, ci_method="units")[0] == pytest.approx(
        expected, abs=1e-12
    )


def test_units_without_the_by_attribute_form_the_missing_stratum(project):
    # p03 has no "setting" and p04 an empty one: their units are the "(missing)" stratum, measured
    # like the others (alice and bob decided p03:2-3 and p04:2).
    from _agree_project import add_transcript

    add_transcript(project, "p03", {"role": "officer"})
    add_transcript(project, "p04", {"role": "officer", "setting": ""})
    for coder, codes in (
        ("alice", [frozenset({"wait"}), frozenset(), frozenset({"wait"})]),
        ("bob", [frozenset({"wait"}), frozenset({"wait"}), frozenset({"wait"})]),
    ):
        for (tid, n), applied in zip((("p03", 2), ("p03", 3), ("p04", 2)), codes):
            save_decision(project, Decision(tid, n, coder, applied))
    by = agree.measure(project, by="setting", bootstrap=0).by["setting"]
    assert list(by) == ["rural", "urban", "(missing)"]
    assert [by[v].units for v in by] == [4, 3, 3]
    wait = by["(missing)"].codes[0]
    assert wait.code == "wait" and wait.percent_agreement == pytest.approx(2 / 3, abs=1e-12)


def test_a_speakers_own_attribute_overrides_the_transcripts_in_strata(project):
    # p01's participant is recorded as a provider for herself (a pair interview's speaker rows): her
    # units count under provider, whatever the transcript says.
    from wei_qual.store.transcripts import save_speaker_attributes

    save_speaker_attributes(project, "p01", "P01", {"role": "provider"})
    by = agree.measure(project, by="role", bootstrap=0).by["role"]
    assert by["provider"].units == 7
    assert by.get("officer") is None or by["officer"].units == 0


def test_thin_coders_are_those_under_ten_units_and_under_a_fifth_of_them():
    from wei_qual.agree.selection import FEW_UNITS, thin_names

    assert FEW_UNITS == 10
    counts = {"ten": 10, "nine": 9}
    assert thin_names(counts, 100) == ["nine"]  # 10 units is enough
    assert thin_names(counts, 45) == []  # 9 of 45 is a fifth: not under it
    assert thin_names(counts, 46) == ["nine"]


def test_the_package_names_are_their_submodules_objects_loaded_on_first_use():
    # wei_qual.agree loads a name's submodule when the name is first asked for (PEP 562); every name
    # of __all__ must still be its submodule's object, and `strata` the function even once a submodule
    # import (run's) has set the package's attribute of that name.
    code = (
        "import importlib, sys, wei_qual.agree as a\n"
        "early = sorted(m for m in sys.modules if m.startswith('wei_qual.agree.'))\n"
        "import wei_qual.agree.run\n"
        "assert callable(a.strata) and a.strata is wei_qual.agree.run.strata\n"
        "for name in a.__all__:\n"
        "    sub = importlib.import_module('wei_qual.agree.' + a._SUBMODULE.get(name, 'strata'))\n"
        "    assert getattr(a, name) is getattr(sub, name), name\n"
        "assert set(a.__all__) <= set(dir(a))\n"
        "try:\n"
        "    a.no_such_name\n"
        "except AttributeError:\n"
        "    print(' '.join(early))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["wei_qual.agree.selection", "wei_qual.agree.strata"]
