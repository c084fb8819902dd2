"""An option given twice is refused, not read as its last value.

Click keeps the last value of an option that takes one value, so `--coders alice --coders bob` would
measure bob alone without a word, and `--db a.db ... --db b.db` write to b. Options that collect their
values (`--by` twice) and counting flags are given as often as the user likes; a yes/no flag repeated
says the same thing twice and is let be. Click's parser is private to Typer: the check is installed
only in the release series it was checked against (tests/test_cli_options.py).
"""

from __future__ import annotations

import typer

from .coercion import CHECKED_TYPER


def _refuse_repeats(parse, usage_error):
    def parse_args(self, args):
        opts, largs, order = parse(self, args)
        seen = set()
        for param in order:
            if getattr(param, "param_type_name", "") != "option" or param.multiple or param.count:
                continue
            if param.is_flag and not param.secondary_opts:
                continue
            if param.name in seen:
                name = max(param.opts, key=len)
                listed = f", its values comma-separated ({name} a,b)" if name.endswith("coders") else ""
                raise usage_error(
                    f"{name} was given twice, and only one would be used. Give it once{listed}.", ctx=self.ctx
                )
            seen.add(param.name)
        return opts, largs, order

    return parse_args


def install() -> None:
    """Make Typer's option parser refuse a single-value option given twice."""
    if not typer.__version__.startswith(CHECKED_TYPER):
        return
    try:
        from typer._click.exceptions import UsageError
        from typer._click.parser import _OptionParser
    except ImportError:  # pragma: no cover - a patch release that moved it
        return
    _OptionParser.parse_args = _refuse_repeats(_OptionParser.parse_args, UsageError)
