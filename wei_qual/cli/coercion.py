"""Command-line values coerced without importing pydantic, the same values Typer gives.

Typer coerces every option's value through a pydantic TypeAdapter, built on first use: importing
pydantic and building the adapters is about 0.1 s of CPU in every command that runs (a fifth of a
report). The values wei-qual's commands take (text, whole numbers, paths, choices and lists of them)
need none of that. `install()` makes Typer build, for each parameter, a coercion that handles those
with Typer's own pydantic-free helpers (`coerce_cli_path`, `coerce_cli_choice`) and hands anything else,
and any value that fails, to Typer's own coercion, built only then: every error message stays
Typer's. tests/test_cli_coercion.py checks every option of every command gives the same value both ways.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin

import typer
from typer import BadParameter

# Typer's coercion layer is private: it is replaced only in the release series it was checked against
# (tests/test_cli_coercion.py); any other Typer keeps its own coercion, slower but always right.
CHECKED_TYPER = "0.29."
_coercion = None
if typer.__version__.startswith(CHECKED_TYPER):
    try:
        from typer import _coercion, core
        from typer._param_types import (
            choice_coercion_annotation,
            coerce_cli_choice,
            coerce_cli_path,
            routes_to_path,
        )
    except ImportError:  # pragma: no cover - a patch release that moved it
        _coercion = None

typer_build_runtime_param = getattr(_coercion, "build_runtime_param", None)  # Typer's own, the fallback

# A whole number as pydantic reads it without doubt: no sign but minus, no leading zeros, no
# underscores or spaces, small enough for any int. Anything else goes to Typer.
_WHOLE = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")


class _Fallback(Exception):
    """This value is Typer's to coerce."""


@dataclass(frozen=True)
class DirectRuntimeParam(_coercion.RuntimeParam if _coercion is not None else object):
    """Coerces the plain cases directly; Typer's coercion (built on first need) does the rest."""

    descriptor: Any = None
    _typer: dict = field(default_factory=dict, compare=False, repr=False)

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        try:
            return self._direct(self.annotation, value, param, ctx)
        except (_Fallback, ValueError, BadParameter):  # Typer's to do, or to reject with its own message
            typer_param = self._typer.get("param")
            if typer_param is None:
                typer_param = self._typer["param"] = typer_build_runtime_param(self.descriptor)
            return typer_param._coerce_value(value, param=param, ctx=ctx)

    def _direct(self, annotation: Any, value: Any, param: Any, ctx: Any) -> Any:
        info = self.parameter_info
        if info.parser is not None:
            raise _Fallback
        if get_origin(annotation) is list:
            (item_type,) = get_args(annotation)
            if not isinstance(value, (list, tuple)) or get_origin(item_type) is not None:
                raise _Fallback
            return [self._direct(item_type, item, param, ctx) for item in value]
        choice = choice_coercion_annotation(annotation, info)
        if choice is not None:  # the function Typer's choice adapter calls, whatever the value
            return coerce_cli_choice(value, choices=choice[0], case_sensitive=choice[1], ctx=ctx)
        if annotation is str and type(value) is str:
            return value
        if annotation is int:
            if type(value) is str and _WHOLE.fullmatch(value):
                number = int(value)
            elif type(value) is int:
                number = value
            else:
                raise _Fallback
            if (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
                raise _Fallback  # out of range: Typer clamps or reports it
            return number
        if annotation is Path and info.path_type is None and routes_to_path(annotation, info):
            if isinstance(value, Path):
                path = value
            elif type(value) is str and value:
                path = Path(value)
            else:
                raise _Fallback
            return coerce_cli_path(path, info, path_type=Path, param=param, ctx=ctx)
        raise _Fallback


def build_runtime_param(descriptor: Any) -> Any:
    """Typer's parameter coercion, with the plain cases done without pydantic."""
    if descriptor.file_annotation is not None:
        return typer_build_runtime_param(descriptor)
    return DirectRuntimeParam(
        annotation=descriptor.annotation, parameter_info=descriptor.parameter_info, descriptor=descriptor
    )


def install() -> None:
    """Make Typer's parameters coerce through build_runtime_param (typer.core looks it up by name).
    Nothing to do with a Typer that has no such layer (it does not use pydantic)."""
    if _coercion is not None and hasattr(core, "build_runtime_param"):
        core.build_runtime_param = build_runtime_param
