"""Every option and argument of every command coerces to the same value (or the same error) through
wei_qual.cli.coercion as through Typer's own pydantic coercion, and a report never imports pydantic."""

from __future__ import annotations

import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import get_args, get_origin

import pytest
import typer
from test_report_project import build_report_project

from wei_qual.cli import app
from wei_qual.cli.coercion import DirectRuntimeParam, build_runtime_param, typer_build_runtime_param
from wei_qual.store import open_db


def _parameters():
    """(command path, Typer parameter) of every command's options and arguments."""
    found = []

    def walk(command, path):
        for param in command.params:
            if hasattr(param, "type_descriptor"):
                found.append((path, param))
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, f"{path} {name}".strip())

    walk(typer.main.get_command(app), "")
    return found


PARAMETERS = _parameters()


def _samples(annotation, tmp: Path) -> list:
    """Command-line values for an annotation: good ones and ones Typer must reject or treat oddly."""
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        one = _samples(item, tmp)
        return [tuple(one[:2]), tuple(one), (), [one[0]]]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        values = [m.value for m in annotation]
        return [*values, *(str(v).upper() for v in values), "no-such-choice", "", values[0] + " "]
    if annotation is int:
        return ["5", "0", "-3", "007", "1_000", " 4", "+2", "x", "", "99999999999999999999", 7, -1, "2.5"]
    if annotation is Path:
        existing = tmp / "exists.txt"
        existing.write_text("x", encoding="utf-8")
        return ["a/b.txt", str(existing), str(tmp), "", "-", Path("c.db"), "~/x", "no/such/dir/file.db"]
    return ["text", "", " spaced ", "ümlaut", "-", "42", "a;b"]


def _outcome(runtime, value, param, ctx):
    try:
        result = runtime.coerce(value, param=param, ctx=ctx)
    except (typer.BadParameter, typer.Exit) as exc:  # the comparison is of the error itself
        return ("error", type(exc).__name__, getattr(exc, "message", str(exc)))
    return ("value", type(result), result if not isinstance(result, list) else tuple(result), type(result))


def test_every_command_has_parameters_to_check():
    kinds = {str(p.type_descriptor.annotation) for _, p in PARAMETERS}
    assert len(PARAMETERS) > 100
    assert {"<class 'str'>", "<class 'int'>", "<class 'pathlib.Path'>"} <= kinds


@pytest.mark.parametrize("where,param", PARAMETERS, ids=[f"{w} {p.name}" for w, p in PARAMETERS])
def test_same_value_or_error_as_typer(where, param, tmp_path):
    descriptor = param.type_descriptor
    ours, typers = build_runtime_param(descriptor), typer_build_runtime_param(descriptor)
    ctx = typer.main.get_command(app).make_context("wei-qual", ["--help"], resilient_parsing=True)
    samples = _samples(descriptor.annotation, tmp_path)
    if param.default is not None and not callable(param.default):
        samples.append(param.default)
    for value in samples:
        assert _outcome(ours, value, param, ctx) == _outcome(typers, value, param, ctx), (where, value)


def test_plain_values_skip_pydantic():
    _, param = next((w, p) for w, p in PARAMETERS if p.type_descriptor.annotation is str)
    runtime = build_runtime_param(param.type_descriptor)
    assert isinstance(runtime, DirectRuntimeParam)
    assert runtime.coerce("abc", param=param, ctx=None) == "abc"
    assert "param" not in runtime._typer  # Typer's (pydantic) coercion was never built


def test_a_report_imports_no_pydantic(tmp_path):
    project = tmp_path / "project.db"
    db = open_db(project)
    build_report_project(db)
    db.close()
    done = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "wei_qual",
            "report",
            "quotes",
            "--by",
            "role",
            "--per-group",
            "2",
        ]
        + ["--format", "md", "--db", str(project)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "wei_qual.cli" in done.stderr  # the log was read
    assert "pydantic" not in done.stderr
