"""The options mean the same in every command (DESIGN §4): a short flag stands for one long option
everywhere, and a long option has the same short flag wherever it appears, so `-f json` works on every
command that takes --format, `-o` always writes the --output file. Walks the app, so a new command that
breaks the rule fails here."""

from __future__ import annotations

from collections import defaultdict

import pytest
import typer
from typer.testing import CliRunner

from wei_qual.cli import app

# A long option kept beside its new name so older scripts still run: accepted only with that name.
ALIASES = {"--out": "--output"}
# The flags a user relies on most: each must exist, with exactly this meaning.
PINNED = {"-f": "--format", "-o": "--output", "-c": "--coder", "-t": "--transcript", "-y": "--yes"}


def _commands(group, prefix=()):
    """Every command, and every group (a group may take options of its own: `codebook drafts -f json`)."""
    for name, command in sorted(group.commands.items()):
        yield " ".join((*prefix, name)), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


def _options():
    """(command, long names, short names) of every option of every command."""
    for path, command in _commands(typer.main.get_command(app)):
        for param in command.params:
            if getattr(param, "param_type_name", "") != "option":
                continue
            names = [*param.opts, *param.secondary_opts]
            longs = frozenset(n for n in names if n.startswith("--"))
            shorts = frozenset(n for n in names if not n.startswith("--"))
            yield path, longs, shorts


OPTIONS = list(_options())


def test_the_walk_sees_the_commands():
    assert len({path for path, _, _ in OPTIONS}) >= 40


def test_a_short_flag_means_one_long_option_everywhere():
    meanings = defaultdict(lambda: defaultdict(list))
    for path, longs, shorts in OPTIONS:
        for short in shorts:
            meanings[short][longs - set(ALIASES)].append(path)
    mixed = {short: dict(by) for short, by in meanings.items() if len(by) > 1}
    assert not mixed, f"a short flag with different meanings: {mixed}"
    for short, long in PINNED.items():
        assert set(meanings[short]) == {frozenset({long})}, short


def test_a_long_option_has_the_same_short_flag_wherever_it_appears():
    flags = defaultdict(lambda: defaultdict(list))
    for path, longs, shorts in OPTIONS:
        for long in longs:
            flags[long][shorts].append(path)
    mixed = {
        long: {tuple(sorted(s)): paths for s, paths in by.items()}
        for long, by in flags.items()
        if len(by) > 1
    }
    assert not mixed, f"an option with a short flag in some commands only: {mixed}"


def test_an_old_long_name_is_only_an_alias_of_the_new_one():
    for path, longs, _ in OPTIONS:
        for old, new in ALIASES.items():
            assert old not in longs or new in longs, f"{path}: {old} without {new}"


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "themes", "-f", "json"],
        ["codebook", "show", "-f", "json"],
        ["project", "export", "x.qdpx", "-f", "json"],
        ["demo", "-o", "demo-folder"],
        ["deid", "redact", "p01.txt", "--output", "p01-redacted.txt"],
        ["suggest", "evaluate", "-c", "alice", "-f", "json"],
    ],
)
def test_the_short_flags_parse_where_they_were_missing(argv):
    """Parsed up to the command (no project is opened): a usage error would exit 2 here."""
    command = typer.main.get_command(app)
    ctx = command.make_context("wei-qual", list(argv))
    while hasattr(command, "commands"):
        rest = [*(getattr(ctx, "_protected_args", None) or getattr(ctx, "protected_args", [])), *ctx.args]
        name, command, rest = command.resolve_command(ctx, rest)
        ctx = command.make_context(name, rest, parent=ctx)
    assert any(v is not None for v in ctx.params.values())


def test_every_format_offers_json():
    """DESIGN §4: every listing and report takes --format json (codebook export writes file formats)."""
    for path, command in _commands(typer.main.get_command(app)):
        for param in command.params:
            if "--format" in (getattr(param, "opts", None) or []) and path != "codebook export":
                assert "json" in [getattr(c, "value", c) for c in param.type_descriptor.choices], path


def test_help_is_h_on_every_command():
    result = CliRunner().invoke(app, ["report", "themes", "-h"])
    assert result.exit_code == 0 and "--format" in result.stdout and "-f" in result.stdout


def _single_value_options():
    """(command, its click object, option) of every option that keeps one value."""
    for path, command in _commands(typer.main.get_command(app)):
        for param in command.params:
            if getattr(param, "param_type_name", "") != "option" or param.multiple or param.count:
                continue
            if param.is_flag and not param.secondary_opts:
                continue  # a yes-flag said twice says the same thing
            yield path, command, param


def test_every_option_that_keeps_one_value_is_refused_when_given_twice():
    """Click keeps the last of two values: `--coders alice --coders bob` would measure bob alone, in
    silence. Refused before any value is read or any project opened, in every command."""
    from typer._click.exceptions import UsageError

    walked = 0
    for path, command, param in _single_value_options():
        name = max(param.opts, key=len)
        args = [name, name] if param.is_flag else [name, "x", name, "y"]
        with pytest.raises(UsageError, match=f"^{name} was given twice"):
            command.make_context(path, args)
        walked += 1
    assert walked >= 150


def test_repeated_coders_are_refused_and_a_list_is_still_read(tmp_path):
    runner = CliRunner()
    twice = runner.invoke(
        app, ["agree", "--db", str(tmp_path / "p.db"), "--coders", "alice", "--coders", "bob"]
    )
    assert twice.exit_code == 2
    assert "--coders was given twice" in twice.output and "--coders a,b" in twice.output
    assert not (tmp_path / "p.db").exists()
    # Options that collect their values still take several.
    command = typer.main.get_command(app).commands["report"].commands["themes"]
    ctx = command.make_context("themes", ["--by", "role", "--by", "site"])
    assert ctx.params["by"] == ["role", "site"]
