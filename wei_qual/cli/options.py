"""Options shared by many commands, as Annotated aliases."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..console import remember_project_option
from ..store import DEFAULT_DB


def _remember_db(ctx: typer.Context, param: typer.CallbackParam, value: Path | None) -> Path | None:
    """Messages that suggest a command add --db PATH to it when the user gave --db (console.py)."""
    source = ctx.get_parameter_source(param.name)  # Typer's vendored click: compared by name
    given = getattr(source, "name", None) == "COMMANDLINE"
    remember_project_option(str(value) if given and value is not None and value != DEFAULT_DB else None)
    return value


DbOption = Annotated[
    Path,
    typer.Option(
        "--db",
        envvar="WEI_QUAL_DB",
        dir_okay=False,
        help="Project database (else $WEI_QUAL_DB, else ./wei-qual.db).",
        show_default=True,
        callback=_remember_db,
    ),
]
DEFAULT_DB_PATH = DEFAULT_DB


WideOption = Annotated[
    bool,
    typer.Option(
        "--wide",
        help="Show every column at the width of its content, however narrow the terminal (piped output "
        "always is).",
    ),
]


class ListFormat(str, Enum):
    table = "table"
    json = "json"


class Kind(str, Enum):
    """Which sources a command counts: interviews (participant turns), documents, or both."""

    interview = "interview"
    document = "document"
    all = "all"


KindOption = Annotated[
    Kind,
    typer.Option(
        "--kind",
        help="Units: interview (participant turns, the default), document (document segments) or all (both).",
    ),
]


def split_names(value: str | None) -> list[str] | None:
    """--coders a,b,c -> ["a", "b", "c"] (None when not given)."""
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]
