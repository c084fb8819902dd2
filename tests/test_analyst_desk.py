"""An analyst's everyday reading of a coded project (retrieve, search, memos, quotes) on the bundled
fictional sample: a mistyped code is named, quotes are cited where they can be found again."""

from __future__ import annotations

import pytest
from _qdpx_project import build_sample_project
from typer.testing import CliRunner

from wei_qual.cli import app


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
    ],
)
def test_a_mistyped_code_names_the_code_it_was_meant_for(sample, args):
    # One letter left out of a long id: the error named no code, and the analyst read the whole codebook.
    result = run(*args, "--db", sample)
    assert result.exit_code == 1
    assert '"csu-excluded-intoxicaton"' in result.stderr
    assert '(did you mean "csu-excluded-intoxication"?)' in result.stderr
    assert "Traceback" not in result.stderr


def test_no_guess_for_a_code_like_no_other(sample):
    result = run("retrieve", "budget", "--db", sample)
    assert result.exit_code == 1 and "did you mean" not in result.stderr
    assert 'Code "budget" is not in the active codebook' in result.stderr
