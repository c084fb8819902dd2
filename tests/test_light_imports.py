"""Commands that only read a project never import pandas (nor sqlite-utils), even with pandas installed.

sqlite-utils imports pandas and numpy at module level whenever they are installed, which is most
researchers' machines; that alone cost a report about 0.4 s of start-up. Each command runs in a fresh
`python -X importtime -m wei_qual ...` process, and the modules it imported are read from the log.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
from test_report_project import build_report_project

from wei_qual.store import open_db


def _imported(args: list[str], *, packages: bool = True) -> set[str]:
    """The packages (or, packages=False, the modules) a fresh `wei_qual ARGS` imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "wei_qual", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return {name.split(".")[0] for name in names} if packages else names


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    path = tmp_path_factory.mktemp("light") / "project.db"
    db = open_db(path)
    build_report_project(db)
    db.close()
    return path


def test_pandas_is_installed_here():
    # Without pandas the checks below would pass for the wrong reason.
    assert importlib.util.find_spec("pandas") is not None


@pytest.mark.parametrize(
    "args",
    [
        ["report", "themes", "--by", "role", "--format", "json"],
        ["report", "themes", "--source", "majority", "--by", "role"],
        ["report", "cooccurrence", "--format", "csv"],
        ["report", "matrix"],
        ["report", "quotes", "--format", "md"],
        ["report", "saturation", "--format", "json"],
        ["report", "methods"],
        ["agree", "--format", "json", "--bootstrap", "50"],
        ["transcripts", "list"],
        ["coders"],
    ],
    ids=lambda a: " ".join(a),
)
def test_reading_commands_import_no_pandas(project, args):
    loaded = _imported([*args, "--db", str(project)])
    assert "wei_qual" in loaded  # the log was read
    assert "pandas" not in loaded
    assert "sqlite_utils" not in loaded


def test_report_html_imports_no_pandas(project, tmp_path):
    loaded = _imported(["report", "html", "-o", str(tmp_path / "report.html"), "--db", str(project)])
    assert "pandas" not in loaded


def test_report_html_loads_only_the_agree_modules_it_uses(project, tmp_path):
    # The page words its alpha and warnings as agree does; measuring (run, matrix, diagnostics) and
    # reconciling are not its work, and the agree package loads its names on first use.
    loaded = _imported(
        ["report", "html", "-o", str(tmp_path / "report.html"), "--db", str(project)], packages=False
    )
    assert {"wei_qual.agree", "wei_qual.agree.result"} <= loaded
    for unused in ("run", "matrix", "diagnostics", "consensus", "disagreements", "groups"):
        assert f"wei_qual.agree.{unused}" not in loaded


def test_a_write_loads_sqlite_utils_without_pandas(tmp_path):
    # Creating a project runs the migrations, which use sqlite-utils: it is loaded, pandas is not.
    sample = tmp_path / "p01.txt"
    sample.write_text(
        "Interviewer: How do crisis calls go?\n\nP01: The unit is far away.\n", encoding="utf-8"
    )
    loaded = _imported(["ingest", str(sample), "--db", str(tmp_path / "new.db")])
    assert "sqlite_utils" in loaded
    assert "pandas" not in loaded


def test_pandas_still_imports_after_sqlite_utils():
    # The guard hides pandas from sqlite-utils only while it is imported.
    code = (
        "from wei_qual.migrations import import_sqlite_utils; import_sqlite_utils(); "
        "import pandas, sys; print(type(pandas).__name__, 'sqlite_utils' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["module", "True"]


def test_an_xlsx_report_loads_openpyxl_without_numpy(project, tmp_path):
    # openpyxl imports numpy when installed, only for numpy numbers in cells; reports write Python numbers.
    assert importlib.util.find_spec("numpy") is not None
    out = tmp_path / "themes.xlsx"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "wei_qual", "report", "themes", "--by", "role"]
        + ["-o", str(out), "--db", str(project)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = [
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    ]
    assert "openpyxl.workbook" in names
    # openpyxl's `import numpy` is refused (logged as a bare "numpy"); numpy's own modules never load.
    assert not [name for name in names if name.startswith("numpy.")]
    from openpyxl import load_workbook

    sheet = load_workbook(out).worksheets[0]
    assert sheet.max_row > 1 and any(isinstance(c.value, int) for c in sheet[2])
