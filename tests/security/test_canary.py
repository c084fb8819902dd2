"""No transcript text in any error: a canary phrase sits in the project's transcripts and in every file
handed to a command, and every command of the Typer app (found by walking it, so a new command is
covered without editing this file) is driven through its error paths: each file for each path
argument, unknown names for text options, bad numbers, each flag, a file that is not a project as --db.
The canary must never reach stderr, and no command may end in an unhandled exception."""

from __future__ import annotations

import enum
import sqlite3
import types
import typing
import zipfile
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from wei_qual.cli import app

CANARY = "violet heron counts lanterns"
WORDS = ("violet", "heron", "lanterns")
ROOT = Path(__file__).resolve().parents[2]

TRANSCRIPT = (
    "Interviewer: What happened on the last call?\n\n"
    f"P01: The {CANARY} by the crisis unit, and we waited there for hours.\n\n"
    "Interviewer: And after that?\n\n"
    f"P01: Nobody followed up, the {CANARY} again."
)
DECISIONS = (
    "transcript,segment,coder,codes,note\n"
    "p01,2,alice,csu-admission,\n"
    "p01,4,alice,,\n"
    "p01,2,bob,csu-admission,\n"
    "p01,4,bob,co-responder,\n"
)
# Output options and arguments get places to write, never the input files.
OUTPUTS = {"output", "out", "out_dir", "key"}
GOOD = {  # values that let a command get past its options to the project's data
    "coder": "alice",
    "coders": "alice,bob",
    "transcript_id": "p01",
    "transcript": "p01",
    "phrases": "Officer Friendly",
    "refs": "1",
    "path": str(ROOT / "codebooks" / "minimal.yaml"),
}


def _canary_files(folder: Path) -> dict[str, Path]:
    """Files that carry the canary, each broken in a way some command reads and refuses."""
    folder.mkdir()
    files = {
        # a transcript whose identifier is refused by the PII gate
        "pii.txt": (TRANSCRIPT + " Call me at 555-201-3344.\n").encode(),
        "cp1252.txt": f"Interviewer: Hi\n\nP01: caf\xe9 {CANARY}\n".encode("cp1252"),
        "labels-only.md": f"Interviewer:\n\n{CANARY}:\n".encode(),
        "bad.vtt": f"WEBVTT\n\n1\n00:00:01.000 --> {CANARY}\nP01: {CANARY}\n".encode(),
        "bad.srt": f"1\n{CANARY} --> 00:00:02,000\n{CANARY}\n".encode(),
        "decisions.csv": (
            "transcript,segment,coder,codes,note,text\n"
            f"p01,2,alice,no-such-code,,{CANARY}\n"
            f"p01,99,alice,csu-admission,,{CANARY}\n"
            f"{CANARY},x,{CANARY},{CANARY},{CANARY},{CANARY}\n"
        ).encode(),
        "attributes.csv": f"id,role\n{CANARY},officer\np01\n".encode(),
        "codebook.yaml": (
            f'name: x\ncodes:\n  - id: a\n    name: A\n    examples: ["{CANARY}"\n  - id: {CANARY}\n'
        ).encode(),
        "codebook-invalid.yaml": (
            f"name: x\ncodes:\n  - id: a\n    name: A\n    keywords: [{{{CANARY}}}]\n"
            f"  - id: a\n    name: {CANARY}\n    patterns: [{{LOWER: {CANARY}}}]\n"
        ).encode(),
        "attributes-speaker.csv": f"id,speaker,role\np01,{CANARY},officer\np01,P01,{CANARY}\n".encode(),
        "decisions.json": (
            f'[{{"transcript": "{CANARY}", "segment": "{CANARY}", "coder": "alice", "codes": ["{CANARY}"]}},'
            f' {{"transcript": "p01", "segment": 2, "coder": "{CANARY}", "codes": "{CANARY}"}}]'
        ).encode(),
        "allow.txt": f"{CANARY}\n\x00\xff\n".encode("latin-1"),
        "canary.json": f'{{"transcript": "{CANARY}", '.encode(),
    }
    paths = {}
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths[name] = folder / name
    docx = folder / "broken.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", f"<w:document><w:body><w:p>{CANARY}</w:body>")
    qdpx = folder / "broken.qdpx"
    with zipfile.ZipFile(qdpx, "w") as z:
        z.writestr("project.qde", f'<?xml version="1.0"?><Project name="{CANARY}"><Sources><TextSource')
        z.writestr("sources/p.txt", TRANSCRIPT)
    qdpx_pii = folder / "pii.qdpx"
    source = "C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C01"
    with zipfile.ZipFile(qdpx_pii, "w") as z:
        z.writestr(
            "project.qde",
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="t">'
            f'<Sources><TextSource guid="{source}" name="p" plainTextPath="internal://p.txt"/></Sources>'
            "</Project>",
        )
        z.writestr("p.txt", paths["pii.txt"].read_text())
    not_a_project = folder / "notes.db"
    with sqlite3.connect(not_a_project) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES (?)", [CANARY])
    sample = folder / "sample"
    sample.mkdir()
    (sample / "p01.txt").write_bytes(files["pii.txt"])
    paths.update({"broken.docx": docx, "broken.qdpx": qdpx, "pii.qdpx": qdpx_pii, "notes.db": not_a_project})
    paths["folder"] = sample
    return paths


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The canary project (made with the commands themselves) and the canary files."""
    base = tmp_path_factory.mktemp("canary")
    files = _canary_files(base / "files")
    project = base / "project.db"
    (base / "p01.txt").write_text(TRANSCRIPT)
    (base / "decisions.csv").write_text(DECISIONS)
    runner = CliRunner()
    for args in (
        ["ingest", str(base / "p01.txt")],
        ["codebook", "load", str(ROOT / "codebooks" / "minimal.yaml")],
        ["decisions", "import", str(base / "decisions.csv")],
        ["assign", "--coders", "alice,bob", "--double", "1"],
        ["reconcile", "--coder", "lead", "--coders", "alice,bob", "--accept-agreed", "--no-interactive"],
        ["packet", "--coder", "alice", "-o", str(base / "alice.wqp")],
    ):
        result = runner.invoke(app, [*args, "--db", str(project)], catch_exceptions=False)
        assert result.exit_code == 0, (args, result.stderr)
    files["packet.wqp"] = base / "alice.wqp"
    copy = tmp_path_factory.mktemp("check") / "project.db"
    with sqlite3.connect(project) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    listed = runner.invoke(app, ["agree", "--bootstrap", "0", "--db", str(copy)], catch_exceptions=False)
    assert listed.exit_code == 0, listed.stderr  # a copy is a working project
    return project, files


def _commands(group, path=()):
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = dict(_commands(typer.main.get_command(app)))


def _kind(param) -> str:
    annotation = param.type_descriptor.annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is list:
        annotation = typing.get_args(annotation)[0]
    if annotation is bool:
        return "flag"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "choice"
    if annotation is Path:
        return "output" if param.name in OUTPUTS else "input"
    if annotation in (int, float):
        return "number"
    return "text"


def _value(param, tmp_path: Path, files: dict[str, Path]) -> str:
    """A workable value for a required parameter."""
    kind = _kind(param)
    if kind == "choice":
        annotation = param.type_descriptor.annotation
        return next(iter(annotation)).value
    if kind == "output":
        return str(tmp_path / "out" / f"{param.name}.out")
    if kind == "input":
        return GOOD.get(param.name) or str(
            files["packet.wqp"] if param.name == "packets" else files["pii.txt"]
        )
    return GOOD.get(param.name, "alice")


def _args(param, value: str) -> list[str]:
    return [value] if param.param_type_name == "argument" else [param.opts[0], value]


def _variants(command, project: Path, tmp_path: Path, files: dict[str, Path]) -> list[list[str]]:
    """The command's error paths: a base call, then one parameter changed at a time."""
    params = [p for p in command.params if p.name != "db_path"]
    has_db = any(p.name == "db_path" for p in command.params)
    required = {p.name: _value(p, tmp_path, files) for p in params if p.required}

    def call(change: dict[str, str | None] | None = None, flag: str | None = None, db: Path = project):
        values = {**required, **(change or {})}
        args = [a for p in params if values.get(p.name) is not None for a in _args(p, values[p.name])]
        return args + ([flag] if flag else []) + (["--db", str(db)] if has_db else [])

    variants = [call(), call(db=files["notes.db"]), call(db=files["pii.txt"])] if has_db else [call()]
    outputs = [str(tmp_path), str(tmp_path / "missing" / "x.out"), str(files["pii.txt"]) + ".out"]
    for p in params:
        kind = _kind(p)
        if kind == "input":
            variants += [call({p.name: str(f)}) for f in files.values()]
        elif kind == "output":
            variants += [call({p.name: v}) for v in outputs]
        elif kind == "flag":
            variants.append(call(flag=p.opts[0]))
        elif kind == "number":
            variants += [call({p.name: v}) for v in ("-1", "0")]
        elif kind == "text":
            variants += [call({p.name: v}) for v in ("zzz", "p01:99", ",")]
    return variants


@pytest.mark.parametrize("path", list(COMMANDS), ids=" ".join)
def test_the_canary_never_reaches_stderr(world, tmp_path, path):
    project, files = world
    (tmp_path / "out").mkdir()
    copy = tmp_path / "project.db"
    with sqlite3.connect(project) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # the file alone would miss what is still in the write-ahead log
    runner = CliRunner()
    problems = []
    for args in _variants(COMMANDS[path], copy, tmp_path, files):
        if path == ("demo",) and "--sample" not in args:
            continue  # the demo proper runs the whole pipeline on the bundled sample: only its inputs here
        result = runner.invoke(app, [*path, *args], input="q\nq\nq\n")
        shown = (
            " ".join([*path, *args])
            .replace(str(tmp_path), "TMP")
            .replace(str(files["pii.txt"].parent), "FILES")
        )
        if any(word in result.stderr for word in WORDS):
            problems.append(f"canary on stderr: {shown}\n    {result.stderr.strip()}")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            problems.append(f"unhandled {type(result.exception).__name__} ({result.exception}): {shown}")
    assert not problems, "\n".join(problems)


def test_every_command_is_driven():
    # The walk finds the commands the app registers: a new command is in the parametrisation above.
    assert len(COMMANDS) >= 39 and ("ingest",) in COMMANDS and ("project", "import") in COMMANDS
