"""`report quotes` does what its help says, for every --source (on the demo's sample project).

The help: quotes are turns the source applied the code to; the best are substantive (25-200 words),
complete and agreed by every coder who decided them; a disputed turn is quoted only when too few agreed
turns qualify; the agreed column says which. Union and a single coder can quote disputed turns;
consensus of agreed units and the majority of two coders cannot.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from wei_qual.cli import app
from wei_qual.demo import run_demo
from wei_qual.report.data import load_report_data
from wei_qual.report.quotes import MAX_WORDS, MIN_WORDS, is_complete
from wei_qual.store import open_db

PER_GROUP = 3


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("quotes") / "demo").db_path


def _quotes(runner, db_path, source: str) -> list[dict]:
    result = runner.invoke(
        app,
        [
            "report",
            "quotes",
            "--source",
            source,
            "--per-group",
            str(PER_GROUP),
            "--format",
            "json",
            "--db",
            str(db_path),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["quotes"]


def _best(text: str) -> bool:
    return MIN_WORDS <= len(text.split()) <= MAX_WORDS and is_complete(text)


@pytest.mark.parametrize("source", ["consensus", "majority", "union", "alice"])
def test_quotes_follow_the_help_for_every_source(runner, demo_db, source):
    quotes = _quotes(runner, demo_db, source)
    data = load_report_data(open_db(demo_db), source=source, with_coders=True)
    assert quotes
    for q in quotes:
        key = (q["transcript"], q["segment"])
        # A quote is a turn the source applied the code to...
        assert q["code"] in data.applied[key], (source, q)
        # ...its agreed flag says whether every coder who decided the turn applied the code...
        sets = data.coder_codes.get(key, [])
        assert q["agreed"] == (bool(sets) and all(q["code"] in s for s in sets)), (source, q)
    # ...and a disputed turn is quoted only when fewer than --per-group agreed turns are best.
    best_agreed = Counter(
        code
        for key, applied in data.applied.items()
        for code in applied
        if _best(data.segments[key]["text"])
        and key in data.coder_codes
        and all(code in s for s in data.coder_codes[key])
    )
    for q in quotes:
        if not q["agreed"]:
            assert best_agreed[q["code"]] < PER_GROUP, (source, q["code"])


def test_which_sources_quote_disputed_turns(runner, demo_db):
    disputed = {
        source: sum(not q["agreed"] for q in _quotes(runner, demo_db, source))
        for source in ("consensus", "majority", "union", "alice")
    }
    # The demo's consensus holds only the units alice and bob agree on, and the majority of two coders is
    # both: never disputed. Union and one coder's own codes quote turns the other coder coded otherwise.
    assert disputed["consensus"] == disputed["majority"] == 0
    assert disputed["union"] > 0 and disputed["alice"] > 0


def test_the_help_says_what_each_source_quotes(runner):
    text = " ".join(runner.invoke(app, ["report", "quotes", "--help"]).stdout.split())
    assert "turns the source applied it to" in text
    assert "A turn the coders disputed is quoted only when too few agreed turns qualify" in text
    assert "with union or one coder's name, a turn other coders did not code so" in text
    assert "The agreed column of --format csv or json says which" in text
    assert "every coder agreed on" not in text  # the old promise, untrue for --source union
