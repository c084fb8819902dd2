"""Coder diagnostics (`agree --diagnostics`): application rates, boundary confusions and agreement over
time, checked against values worked out by hand on the tiny three-coder project."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from _agree_project import DECISIONS, build

from wei_qual import agree
from wei_qual.agree.diagnostics import application_rates, confusions
from wei_qual.cli import app
from wei_qual.models import Decision
from wei_qual.store import open_db
from wei_qual.store.decisions import save_decision

S = frozenset
# bob changed his mind on two units: hospital where the others put beds/jail (p01:3) and jail (p02:2).
BOB = {**DECISIONS["bob"], ("p01", 3): S({"hospital"}), ("p02", 2): S({"hospital"})}
WEEK_1, WEEK_2 = "2025-03-04T10:00:00.000+00:00", "2025-03-11T10:00:00.000+00:00"  # ISO weeks 10 and 11


@pytest.fixture
def project(db_path):
    db = open_db(db_path)
    build(db, coders=())
    for coder, decisions in (("alice", DECISIONS["alice"]), ("bob", BOB), ("carol", DECISIONS["carol"])):
        for (tid, n), codes in decisions.items():
            # p02 was coded in the first week, p01 in the second: the coding order is by time, not by id.
            when = WEEK_1 if tid == "p02" else WEEK_2
            save_decision(db, Decision(tid, n, coder, codes, decided_utc=when))
    db.close()
    return db_path


def _rates(result):
    return {(r.coder, r.code): r for r in result.diagnostics.rates}


@pytest.fixture
def any_units(monkeypatch):
    """The hand-checkable projects have a few units each: rank every coder's rates on them."""
    monkeypatch.setattr("wei_qual.agree.diagnostics.MIN_UNITS", 1)


def test_application_rates_and_ratios_by_hand(project, any_units):
    result = agree.measure(open_db(project), diagnostics=True, bootstrap=0)
    rates = _rates(result)
    # 7 units: alice and bob decided all 7, carol 5 (p01:2, 3, 5, p02:2, 4).
    # hospital: alice 1 (p01:5), bob 4 (p01:3, p01:5, p02:2, p02:4), carol 1 (p01:5).
    bob = rates[("bob", "hospital")]
    assert (bob.applied, bob.decided, bob.others_applied, bob.others_decided) == (4, 7, 2, 12)
    assert bob.ratio == pytest.approx(float(Fraction(4, 7) / Fraction(2, 12)))  # 3.43
    assert bob.flag == "more"
    assert rates[("alice", "hospital")].ratio == pytest.approx(float(Fraction(1, 7) / Fraction(5, 12)))
    assert rates[("alice", "hospital")].flag == "less"
    assert rates[("carol", "hospital")].ratio == pytest.approx(float(Fraction(1, 5) / Fraction(5, 14)))
    # wait: alice 2 (p01:2, 5), bob 3 (p01:2, 4, 5), carol 1 (p01:2).
    assert rates[("bob", "wait")].ratio == pytest.approx(12 / 7) and rates[("bob", "wait")].flag == "more"
    assert rates[("alice", "wait")].ratio == pytest.approx(6 / 7) and rates[("alice", "wait")].flag is None
    # jail: bob never applies it now; alice 2 (p01:3, p02:2), carol 1 (p01:3).
    assert rates[("bob", "jail")].ratio == 0.0 and rates[("bob", "jail")].flag == "less"
    assert rates[("carol", "jail")].ratio == pytest.approx(1.4) and rates[("carol", "jail")].flag is None
    # Nobody applies "unused": no ratio and no flag.
    assert rates[("alice", "unused")].ratio is None and rates[("alice", "unused")].flag is None


def test_the_thresholds_are_inclusive_and_exact():
    sel = agree.Selection(None, ["a", "b"], ["x", "y"], {"x": {"x"}, "y": {"y"}}, {}, [])
    decided = np.ones((2, 100), dtype=bool)
    presence = np.zeros((2, 100, 2), dtype=bool)
    presence[0, :30, 0], presence[1, :20, 0] = True, True  # x: a 30%, b 20%: ratios 1.5 and 0.667
    presence[0, :67, 1], presence[1, :, 1] = True, True  # y: a 67%, b 100%: ratio 0.67 exactly
    rates = {(r.coder, r.code): r for r in application_rates(sel, decided, presence)}
    assert rates[("a", "x")].flag == "more" and rates[("a", "x")].ratio == 1.5
    assert rates[("b", "x")].flag == "less"
    assert rates[("a", "y")].flag == "less" and rates[("a", "y")].ratio == pytest.approx(0.67)
    assert rates[("b", "y")].flag is None  # 100 / 67 = 1.49: just under 1.5


def test_a_code_only_one_coder_applies_is_flagged_without_a_ratio(any_units):
    sel = agree.Selection(None, ["a", "b"], ["x"], {"x": {"x"}}, {}, [])
    decided = np.ones((2, 4), dtype=bool)
    presence = np.zeros((2, 4, 1), dtype=bool)
    presence[0, 0, 0] = True
    rates = application_rates(sel, decided, presence)
    assert [(r.coder, r.ratio, r.flag) for r in rates] == [("a", None, "more"), ("b", 0.0, "less")]
    assert agree.diagnostics.rate_sentence(rates[0]) == "a alone applies x (1 of 4 units; others 0 of 4)"


def test_boundary_confusions_by_hand(project):
    result = agree.measure(open_db(project), diagnostics=True, bootstrap=0)
    found = [(c.a, c.b, c.units, c.either) for c in result.diagnostics.confusions]
    # p01:3: alice and carol put beds + jail where bob put hospital; p02:2: alice put jail, bob hospital.
    # Units where someone applied jail or hospital: p01:3, p01:5, p02:2, p02:4; beds or hospital: the same.
    assert found == [("jail", "hospital", 2, 4), ("beds", "hospital", 1, 4)]
    assert result.diagnostics.confusions[0].share == 0.5


def test_confusions_need_a_substitution_not_just_an_extra_code():
    # a applies x and y, b applies only y: b missed x, which is not a confusion of x with y.
    sel = agree.Selection(None, ["a", "b"], ["x", "y"], {"x": {"x"}, "y": {"y"}}, {}, [])
    decided = np.ones((2, 1), dtype=bool)
    presence = np.array([[[True, True]], [[False, True]]])
    assert confusions(sel, decided, presence) == []


def test_agreement_over_time_per_week_and_per_batch(project):
    db = open_db(project)
    result = agree.measure(db, diagnostics=True, batch="week", bootstrap=200, seed=1)
    weeks = result.diagnostics.batches
    assert [(b.label, b.n_units) for b in weeks] == [("2025-W10", 3), ("2025-W11", 4)]
    # Week 10 holds exactly p02's units, so its pooled alpha (and interval) is agree's on p02 alone.
    p02 = agree.measure(db, transcripts=["p02"], bootstrap=200, seed=1)
    assert weeks[0].alpha_pooled == pytest.approx(p02.alpha_pooled)
    assert weeks[0].alpha_pooled_ci == pytest.approx(p02.alpha_pooled_ci)
    assert weeks[0].first_utc == weeks[0].last_utc == WEEK_1

    batches = agree.measure(db, diagnostics=True, batch="3", bootstrap=0).diagnostics.batches
    assert [(b.label, b.n_units) for b in batches] == [("units 1–3", 3), ("units 4–6", 3), ("unit 7", 1)]
    assert batches[0].alpha_pooled == pytest.approx(p02.alpha_pooled)  # the first 3 in time are p02's


def test_batch_intervals_are_the_same_with_half_of_them_from_the_other_cpu(project, monkeypatch):
    # over_time measures the second half of its batches' intervals in a forked child (two CPUs); each
    # batch seeds its own draws, so the batches are the ones measured here one after another.
    from wei_qual import parallel
    from wei_qual.agree.diagnostics import over_time

    db = open_db(project)
    sel = agree.select(db)
    db.close()
    options = {"bootstrap": 300, "seed": 7, "ci_method": "units"}
    split = over_time(sel, sel.units, "2", **options)
    monkeypatch.setattr(parallel, "default_jobs", lambda: 1)
    here = over_time(sel, sel.units, "2", **options)
    assert split == here and len(here) == 4
    assert sum(b.alpha_pooled_ci != (None, None) for b in here) >= 2


def test_cli_diagnostics_table_json_and_markdown(runner, project, any_units):
    args = ["agree", "--db", str(project), "--diagnostics", "--bootstrap", "0"]
    table = runner.invoke(app, args, catch_exceptions=False)
    assert table.exit_code == 0
    out = " ".join(table.stdout.split())
    assert (
        "Application rates: 9 of 15 coder × code rates at 1.5× the other coders' or more, or 0.67× or less"
        in out
    )
    assert "bob hospital 4/7 57.1% 2/12 16.7% 3.43× more" in out
    assert "jail hospital 2 4 50.0%" in out
    assert "Agreement over time: pooled α in batches of 50 units, in coding order" in out

    data = json.loads(runner.invoke(app, [*args, "--format", "json"], catch_exceptions=False).stdout)
    expected = agree.measure(open_db(project), diagnostics=True, bootstrap=0).to_dict()
    assert data == json.loads(json.dumps(expected))
    assert data["diagnostics"]["thresholds"] == {"high_ratio": 1.5, "low_ratio": 0.67, "min_units": 1}
    assert data["diagnostics"]["confusions"][0] == {
        "a": "jail",
        "b": "hospital",
        "units": 2,
        "either": 4,
        "share": 0.5,
    }

    md = runner.invoke(app, [*args, "--format", "md", "--batch", "week"], catch_exceptions=False).stdout
    assert "### Agreement over time: pooled α per ISO week, in coding order" in md
    assert "| 2025-W10 | 3 | 2025-03-04 | 2025-03-04 |" in md


def test_cli_diagnostics_errors(runner, project):
    base = ["agree", "--db", str(project)]
    bad = runner.invoke(app, [*base, "--diagnostics", "--batch", "fortnight"])
    assert bad.exit_code == 1
    assert bad.stderr == (
        'Error: --batch "fortnight" is neither a number of units nor "week". Pass e.g. --batch 50 or '
        "--batch week.\n"
    )
    csv = runner.invoke(app, [*base, "--diagnostics", "--format", "csv"])
    assert csv.exit_code == 1 and "CSV holds one" in csv.stderr and csv.stdout == ""
    ignored = runner.invoke(app, [*base, "--batch", "10", "--bootstrap", "0"])
    assert ignored.exit_code == 0
    assert "Warning: --batch is used only with --diagnostics; it is ignored." in ignored.stderr


@pytest.mark.parametrize("by", [None, "role"])
def test_diagnostics_are_the_same_from_the_second_cpu_and_from_this_process(project, monkeypatch, by):
    # On two CPUs the strata and the diagnostics come from a forked child while the whole selection is
    # measured; on one, inline. The progress callback counts every code row measured, either way.
    from wei_qual import parallel

    db = open_db(project)
    options = {"diagnostics": True, "batch": "2", "bootstrap": 200, "seed": 3, "by": by}
    forked_rows, inline_rows = [], []
    forked = agree.measure(db, on_progress=forked_rows.append, **options)
    monkeypatch.setattr(parallel, "default_jobs", lambda: 1)
    inline = agree.measure(db, on_progress=inline_rows.append, **options)
    db.close()
    assert forked == inline
    assert forked.diagnostics.batches and forked.diagnostics.rates
    assert any(b.alpha_pooled_ci != (None, None) for b in forked.diagnostics.batches)
    strata = forked.by[by] if by else {}
    assert sum(forked_rows) == sum(inline_rows) == len(forked.codes) * (1 + len(strata))
    if by:
        assert set(strata) == {"officer", "provider"} and all(s.units for s in strata.values())


def _confusions_unit_by_unit(sel, decided, presence):
    """The definition, one unit at a time: A meets B on a unit when one coder applied A and not B and
    another, who also decided it, applied B and not A."""
    met, either = {}, {}
    n_coders, n_units, n_rows = presence.shape
    for u in range(n_units):
        coders = [c for c in range(n_coders) if decided[c, u]]
        applied = [{j for j in range(n_rows) if presence[c, u, j]} for c in coders]
        anyone = set().union(*applied)
        for a in range(n_rows):
            for b in range(a + 1, n_rows):
                either[a, b] = either.get((a, b), 0) + bool({a, b} & anyone)
                if any(
                    (a in x and b not in x and b in y and a not in y)
                    or (b in x and a not in x and a in y and b not in y)
                    for x in applied
                    for y in applied
                ):
                    met[a, b] = met.get((a, b), 0) + 1
    return {(sel.rows[a], sel.rows[b]): (n, either[a, b]) for (a, b), n in met.items()}


@pytest.mark.parametrize("n_coders, n_units", [(2, 2500), (3, 2500), (4, 2500), (8, 400), (9, 300)])
def test_confusions_equal_the_definition_unit_by_unit(n_coders, n_units):
    # Random decisions with many units on which every coder agrees and some undecided cells; up to 8
    # coders every set of coders is a pattern, beyond that only the sets that occur.
    rng = np.random.default_rng(n_coders)
    rows = ["a", "b", "c", "d", "e"]
    base = rng.random((n_units, len(rows))) < 0.3
    presence = np.repeat(base[None], n_coders, axis=0)
    changed = rng.random(n_units) < 0.2
    flips = (rng.random((n_coders, n_units, len(rows))) < 0.3) & changed[None, :, None]
    presence ^= flips
    decided = rng.random((n_coders, n_units)) < 0.9
    sel = agree.Selection(None, [f"c{i}" for i in range(n_coders)], rows, {r: {r} for r in rows}, {}, [])
    found = {(c.a, c.b): (c.units, c.either) for c in confusions(sel, decided, presence)}
    assert found == _confusions_unit_by_unit(sel, decided, presence)
    assert len(found) == 10


def test_a_coder_with_a_handful_of_units_is_named_not_ranked(runner, project):
    # carol decided 3 of 60 units and applied x on 2: "4.21× as often" (2 of 3 against 19 of 120) led the
    # ranking of the methods passage and of agree --diagnostics, on one unit's difference.
    sel = agree.Selection(None, ["a", "b", "c"], ["x"], {"x": {"x"}}, {}, [])
    decided = np.ones((3, 60), dtype=bool)
    decided[2, 3:] = False
    presence = np.zeros((3, 60, 1), dtype=bool)
    presence[0, :10, 0], presence[1, :9, 0], presence[2, :2, 0] = True, True, True
    rates = {r.coder: r for r in application_rates(sel, decided, presence)}
    c = rates["c"]
    assert (c.applied, c.decided, c.others_applied, c.others_decided) == (2, 3, 19, 120)
    assert c.ratio == pytest.approx((2 / 3) / (19 / 120)) and c.flag is None  # 4.21, unranked
    assert rates["a"].ratio == pytest.approx((10 / 60) / (11 / 63)) and rates["a"].flag is None
    diag = agree.Diagnostics(["a", "b", "c"], 60, list(rates.values()), [], [], "50")
    assert diag.too_few == {"c": 3} and diag.flagged == []
    assert diag.to_dict()["too_few_units"] == {"c": 3}
    # The tiny project: every coder decided fewer than 20 units, so none is ranked, and each is named.
    args = ["agree", "--db", str(project), "--diagnostics", "--bootstrap", "0"]
    out = " ".join(runner.invoke(app, args, catch_exceptions=False).stdout.split())
    assert "Application rates: 0 of 15 coder × code rates" in out
    assert (
        "alice (7 units), bob (7 units) and carol (5 units) decided too few units to compare (fewer than "
        "20): their application rates are not flagged." in out
    )
    md = runner.invoke(app, [*args, "--format", "md"], catch_exceptions=False).stdout
    assert "carol (5 units) decided too few units to compare" in md


def test_a_coder_with_exactly_the_minimum_of_units_is_ranked():
    # MIN_UNITS (20) units is enough: alice decided 20 and applied the code on all, bob 40 with 10 of
    # them, so alice's ratio is 1 / (10 / 40) = 4: "more". With 19 units she would not be ranked.
    from types import SimpleNamespace

    from wei_qual.agree.diagnostics import MIN_UNITS

    assert MIN_UNITS == 20
    for units, flag in ((20, "more"), (19, None)):
        decided = np.zeros((2, 40), dtype=bool)
        decided[0, :units] = True
        decided[1] = True
        presence = np.zeros((2, 40, 1), dtype=bool)
        presence[0, :units, 0] = True
        presence[1, :10, 0] = True
        sel = SimpleNamespace(rows=["wait"], coders=["alice", "bob"])
        alice = application_rates(sel, decided, presence)[0]
        assert (alice.coder, alice.decided, alice.flag) == ("alice", units, flag)
        assert alice.ratio == pytest.approx(4.0)


def test_confusions_with_as_many_units_rank_the_larger_share_first():
    # Two coders, codes a, b, c. u1: alice a, bob c (a meets c); u2: alice a, bob b (a meets b);
    # u3: both a and b; u4: both b. a-b: 1 unit of the 4 with a or b (1/4); a-c: 1 of 3 (1/3).
    # Same count, so the larger share comes first although "a-b" sorts before "a-c".
    from types import SimpleNamespace

    rows = ["a", "b", "c"]
    sets = [({"a"}, {"c"}), ({"a"}, {"b"}), ({"a", "b"}, {"a", "b"}), ({"b"}, {"b"})]
    presence = np.array([[[code in unit[i] for code in rows] for unit in sets] for i in range(2)])
    decided = np.ones((2, 4), dtype=bool)
    got = confusions(SimpleNamespace(rows=rows, coders=["alice", "bob"]), decided, presence)
    assert [(c.a, c.b, c.units, c.either) for c in got] == [("a", "c", 1, 3), ("a", "b", 1, 4)]
    assert [c.share for c in got] == pytest.approx([1 / 3, 1 / 4])


def test_a_units_time_is_its_latest_decision():
    # Over time, a unit becomes comparable when the last of its coders decided it.
    from wei_qual.agree.diagnostics import unit_time
    from wei_qual.agree.selection import Unit

    unit = Unit("p01", 2, "P01", "participant", "text", {}, {"alice": S(), "bob": S(), "carol": None})
    unit.decided_utc = {"alice": WEEK_2, "bob": WEEK_1, "carol": None}
    assert unit_time(unit) == WEEK_2
