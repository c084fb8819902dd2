"""The documentation matches the code: every command has help text, is in the README's command table
and is documented in a docs/ page; every `wei-qual ...` example parses with the options shown; relative
links resolve; docs/cli.md is what cog generates from the Typer app; the README opens with the two
commands, and .ci/run runs the second."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from cogapp import Cog

from wei_qual.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]
CLI_MD = ROOT / "docs" / "cli.md"
FIRST = "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && wei-qual demo"
SECOND = "pip install -e '.[test]' && python -m pytest"


def _commands(group, prefix=()):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        yield path, command
        if hasattr(command, "commands"):
            yield from _commands(command, path)


ALL_COMMANDS = list(_commands(typer.main.get_command(app)))


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _code_blocks(text: str) -> list[tuple[str, str]]:
    """(info string, body) of every fenced code block."""
    return re.findall(r"^```([^\n]*)\n(.*?)^```", text, re.DOTALL | re.MULTILINE)


def test_every_command_has_help_and_is_documented():
    table = "\n".join(line for line in _text(README).splitlines() if line.startswith("| `wei-qual"))
    documented = "\n".join(_text(p) for p in PAGES if p != CLI_MD)
    assert ALL_COMMANDS, "no commands registered"
    for path, command in ALL_COMMANDS:
        name = f"wei-qual {' '.join(path)}"
        assert (command.help or "").strip(), f"{name} has no help text"
        assert name in documented, f"{name} is documented neither in README.md nor in a docs/ page"
        if len(path) == 1:
            assert f"`wei-qual {path[0]}" in table, f"{name} is not in the README's command table"


def test_every_command_has_an_example_in_its_help():
    """README: "Every command has --help with an example" (a group that runs on its own, such as
    `coders`, too; Typer shows a group's own help text instead of its callback's docstring)."""
    runnable = [
        (path, command)
        for path, command in ALL_COMMANDS
        if not hasattr(command, "commands") or getattr(command, "invoke_without_command", False)
    ]
    missing = [" ".join(path) for path, command in runnable if "wei-qual " not in (command.help or "")]
    assert missing == []


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second():
    block = re.search(r"```bash\n(.*?)```", _text(README), re.DOTALL).group(1).strip().splitlines()
    assert block == [FIRST, SECOND]
    assert SECOND in _text(ROOT / ".ci" / "run").splitlines()


def test_readme_is_short():
    assert len(_text(README).splitlines()) <= 200


def test_the_readme_lists_every_docs_page():
    readme = _text(README)
    for page in DOCS:
        assert f"](docs/{page.name})" in readme, f"README.md's Documentation list does not link {page.name}"


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(text: str) -> set[str]:
    outside = re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)
    return {_slug(h) for h in re.findall(r"^#+ (.+)$", outside, re.MULTILINE)}


def test_relative_links_resolve():
    broken = []
    for page in PAGES:
        text = re.sub(r"^```.*?^```", "", _text(page), flags=re.DOTALL | re.MULTILINE)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):  # https:, mailto: ...
                continue
            file, _, anchor = target.partition("#")
            dest = (page.parent / file).resolve() if file else page
            if not dest.exists():
                broken.append(f"{page.name}: {target} (no such file)")
            elif anchor and dest.suffix == ".md" and anchor not in _anchors(_text(dest)):
                broken.append(f"{page.name}: {target} (no such heading)")
    assert broken == []


def _example_commands() -> list[tuple[str, list[str]]]:
    """(page, argv) of every `wei-qual ...` line in a shell code block (not in text blocks), and of the
    examples in the commands' help (the text blocks of docs/cli.md)."""
    found = []
    for page in PAGES:
        for info, body in _code_blocks(_text(page)):
            if info.strip() not in ("", "bash", "console", "sh", "shell") and page != CLI_MD:
                continue
            for line in body.splitlines():
                line = line.strip().removeprefix("$ ")
                if not line.startswith("wei-qual "):
                    continue
                lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
                lexer.whitespace_split, lexer.commenters = True, "#"
                argv = []
                for token in lexer:
                    if token in ("|", ">", ">>", "<", "&&", ";", "||", "&"):  # the rest is the shell's
                        break
                    argv.append(token)
                found.append((page.name, argv[1:]))
    return found


EXAMPLES = _example_commands()


def _parse(argv: list[str]) -> None:
    """Parse argv as `wei-qual` would, down to the last subcommand, without running anything."""
    command = typer.main.get_command(app)
    ctx = command.make_context("wei-qual", list(argv))
    while hasattr(command, "commands"):
        # The subcommand's name and arguments; Typer's vendored click keeps the name in a private field.
        name = getattr(ctx, "_protected_args", None) or getattr(ctx, "protected_args", [])
        rest = [*name, *ctx.args]
        if not rest:
            break
        name, command, rest = command.resolve_command(ctx, rest)
        ctx = command.make_context(name, rest, parent=ctx)


def _parse_creating_paths(argv: list[str]) -> None:
    """_parse, creating in the current folder each path the command says must exist (the examples name
    the reader's files): a file, or a folder when the command says the file must be one."""
    for _ in range(len(argv) + 1):
        try:
            return _parse(argv)
        except Exception as ex:  # Typer's BadParameter
            missing = re.search(r"'([^']+)' does not exist", str(ex))
            not_a_folder = re.search(r"'([^']+)' is a file", str(ex))
            if missing and not Path(missing.group(1)).is_absolute():
                Path(missing.group(1)).parent.mkdir(parents=True, exist_ok=True)
                Path(missing.group(1)).touch()
            elif not_a_folder:
                Path(not_a_folder.group(1)).unlink()
                Path(not_a_folder.group(1)).mkdir()
            else:
                raise
    raise AssertionError(f"could not make the paths of {argv}")


def test_examples_are_found():
    pages = {page for page, _ in EXAMPLES}
    assert {
        "README.md",
        "cli.md",
        "ingest.md",
        "deid.md",
        "codebook.md",
        "agreement.md",
        "reports.md",
    } <= pages
    assert len(EXAMPLES) > 100


@pytest.mark.parametrize(("page", "argv"), EXAMPLES, ids=[f"{p}: {' '.join(a)}" for p, a in EXAMPLES])
def test_every_example_command_parses(page, argv):
    _parse_creating_paths(argv)  # in tmp_path: isolate_env (conftest.py) made it the current folder


def test_a_wrong_option_in_an_example_would_be_caught():
    _parse(["agree", "--coders", "alice,bob", "--by", "role"])
    for wrong in (["agree", "--coder", "alice"], ["report", "themes", "--format", "pdf"], ["nosuch"]):
        with pytest.raises(Exception) as caught:
            _parse(wrong)
        assert type(caught.value).__name__ in ("NoSuchOption", "BadParameter", "UsageError")


PYTHON_EXAMPLES = [
    (page.name, body) for page in PAGES for info, body in _code_blocks(_text(page)) if info == "python"
]


@pytest.mark.parametrize(("page", "code"), PYTHON_EXAMPLES, ids=[page for page, _ in PYTHON_EXAMPLES])
def test_python_examples_run(page, code, tmp_path, monkeypatch):
    from wei_qual.store import open_db

    monkeypatch.chdir(ROOT)  # the examples name repository files, e.g. codebooks/minimal.yaml
    # The docs' own examples, run as written; `db`: an open project.
    exec(compile(code, page, "exec"), {"db": open_db(tmp_path / "example.db")})  # noqa: S102


def _cog_check(path: Path) -> int:
    """cog --check: 0 when regenerating would not change the file (5 when it would)."""
    return Cog().main(["cog", "--check", str(path)])


def test_cli_reference_is_up_to_date():
    assert _cog_check(CLI_MD) == 0, 'docs/cli.md is out of date. Regenerate it with "cog -r docs/cli.md".'


def test_a_stale_cli_reference_would_be_caught(tmp_path):
    stale = tmp_path / "cli.md"
    stale.write_text(_text(CLI_MD).replace("Seed of the bootstrap.", "Seed."), encoding="utf-8")
    assert _cog_check(stale) != 0


def test_version_via_console_script_module_and_help():
    from wei_qual import __version__

    out = subprocess.run(
        [sys.executable, "-m", "wei_qual", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout == f"wei-qual {__version__}\n"
    out = subprocess.run(
        [sys.executable, "-m", "wei_qual", "--help"], capture_output=True, text=True, check=True
    )
    assert "Usage: wei-qual" in out.stdout and out.stderr == ""


def _section_commands(page: Path, heading: str | None) -> list[list[str]]:
    """The argv (after `wei-qual`) of each command in the shell code blocks under a `## heading` (None:
    the page's opening, before its first `##`)."""
    if heading is None:
        section = re.match(r"(.*?)(?=^## |\Z)", _text(page), re.DOTALL | re.MULTILINE)
    else:
        section = re.search(
            rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", _text(page), re.DOTALL | re.MULTILINE
        )
    assert section, f"{page.name} has no section {heading!r}"
    commands = []
    for _, body in _code_blocks(section.group(1)):
        for line in body.splitlines():
            if line.strip().startswith("wei-qual "):
                commands.append(shlex.split(line, comments=True)[1:])
    return commands


def test_the_reading_your_data_commands_run_on_the_demo_project(tmp_path):
    """The README's and analysis.md's examples name codes of the starter codebook the demo loads, so each
    one runs on the demo project."""
    from typer.testing import CliRunner

    from wei_qual.demo import run_demo

    db = run_demo(tmp_path / "demo").db_path
    commands = _section_commands(README, "Reading your data")
    assert len(commands) >= 3
    commands += _section_commands(ROOT / "docs" / "analysis.md", None)
    for argv in commands:
        result = CliRunner().invoke(app, [*argv, "--db", str(db)])
        assert result.exit_code == 0, f"wei-qual {shlex.join(argv)}: {result.output}"
        # An example that finds nothing on the demo reads as a broken command to a new user (`search
        # refuse`: the sample never says it).
        assert not re.search(r"^(0 hits|Wrote 0 |0 segments)", result.stderr, re.MULTILINE), (
            argv,
            result.stderr,
        )
        if "-o" in argv:
            assert (tmp_path / argv[argv.index("-o") + 1]).stat().st_size > 0


GETTING_STARTED_FILES = {
    "transcripts/K01.txt": (
        "K01 deputy interview\nTue, 5/6 2:10PM • 41:02\n\nSPEAKERS\nRuth Okafor, K01\n\n"
        "Ruth Okafor  00:04  \nWhat happens on a crisis call?\n\n"
        "K01  00:41  \nIf he's had anything to drink they won't take him at the unit.\n\n"
        "Ruth Okafor  01:18  \nAnd then?\n\n"
        "K01  01:55  \nThen it's jail, because jail never says no.\n\n"
        "Ruth Okafor  02:32  \nWhat about the intake line?\n\n"
        "K01  03:09  \nWe call ahead and they run their intake questions.\n\n"
        "Transcribed by https://otter.ai\n"
    ),
    "transcripts/K03.vtt": (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:05.000\nRuth Okafor: Tell me about your unit.\n\n"
        "2\n00:00:06.000 --> 00:00:11.000\nK03: We turn people away when they are violent, and they won't take them either.\n\n"
        "3\n00:00:12.000 --> 00:00:15.000\nRuth Okafor: Where do they go?\n\n"
        "4\n00:00:16.000 --> 00:00:20.000\nK03: Mostly to the emergency room.\n\n"
        "5\n00:00:21.000 --> 00:00:24.000\nRuth Okafor: And the police?\n\n"
        "6\n00:00:25.000 --> 00:00:30.000\nK03: Sometimes they book him, and jail is where he ends up.\n"
    ),
    "participants.csv": "id,role,jurisdiction,setting\nK01,officer,North,rural\nK03,provider,South,urban\n",
    "codebook.yaml": (
        "name: Pilot\nversion: '0.1'\ncodes:\n"
        "  - id: csu\n    name: Crisis units\n    definition: Crisis units.\n    children:\n"
        "      - id: csu-admission\n        name: Admission\n        definition: Admitted.\n"
        "        keywords: [intake, call ahead]\n"
        "      - id: csu-refusal\n        name: Refused\n        definition: Turned away.\n"
        "        keywords: [turn away, won't take]\n"
        "  - id: jail\n    name: Jail as fallback\n    definition: Jail because nothing else.\n"
        "    keywords: [jail, book]\n"
    ),
}
GETTING_STARTED_CODING = {  # what each coder's session saves, imported into their packet instead
    "alice": "K01,2,alice,csu-refusal,\nK01,4,alice,jail,\nK01,6,alice,csu-admission,\n"
    "K03,2,alice,csu-refusal,\nK03,4,alice,,\nK03,6,alice,jail,\n",
    "bob": "K01,2,bob,csu-refusal,\nK01,4,bob,jail,\nK01,6,bob,csu-admission;jail,\n"
    "K03,2,bob,csu-refusal,\nK03,4,bob,,\nK03,6,bob,jail,\n",
}


def test_the_getting_started_walk_runs_on_a_small_study(tmp_path, monkeypatch):
    """docs/getting-started.md's commands, in order, on a study made as the page describes it (Otter and
    Zoom files naming the interviewer), each a success; the coding sessions are the coders' decisions
    imported into their packets."""
    from typer.testing import CliRunner

    study = tmp_path / "study"
    for name, text in GETTING_STARTED_FILES.items():
        (study / name).parent.mkdir(parents=True, exist_ok=True)
        (study / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(study)
    runner = CliRunner(env={"WEI_QUAL_DB": str(study / "study.db")})
    # Without the allowlist, the gate refuses the Otter file and says how to keep the interviewer's name.
    refused = runner.invoke(app, ["ingest", "transcripts/K01.txt", "--dry-run"])
    assert refused.exit_code == 1 and "wei-qual deid allow add 'NAME'" in refused.stderr, refused.stderr
    commands = _section_commands(ROOT / "docs" / "getting-started.md", None)
    for heading in re.findall(r"^## (.+)$", _text(ROOT / "docs" / "getting-started.md"), re.MULTILINE):
        commands += _section_commands(ROOT / "docs" / "getting-started.md", heading)
    assert len(commands) >= 25
    for argv in commands:
        if argv[:1] == ["code"]:  # the interactive session: in a packet, both coders' decisions imported
            for who in ("alice", "bob") if "--db" in argv else ():
                sheet = study / f"{who}.csv"
                sheet.write_text("transcript,segment,coder,codes,note\n" + GETTING_STARTED_CODING[who])
                done = runner.invoke(app, ["decisions", "import", str(sheet), "--db", f"{who}.wqp"])
                assert done.exit_code == 0, done.stderr
            continue
        if argv[:1] == ["reconcile"]:
            argv = [*argv, "--no-interactive"]
        result = runner.invoke(app, argv)
        assert result.exit_code == 0, f"wei-qual {shlex.join(argv)}: {result.output}"
        if argv[:1] == ["merge"]:
            assert "12 decisions added" in result.stderr
        if argv[:1] == ["search"]:  # consensus left out the turns a coder applied csu-refusal to, and says so
            assert "which --not csu-refusal left out" in result.stderr, result.stderr
