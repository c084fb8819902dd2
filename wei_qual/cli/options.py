"""Options shared by many commands, as Annotated aliases."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..store import DEFAULT_DB

DbOption = Annotated[
    Path,
    typer.Option(
        "--db",
        envvar="WEI_QUAL_DB",
        dir_okay=False,
        help="Project database (else $WEI_QUAL_DB, else ./wei-qual.db).",
        show_default=True,
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


def split_names(value: str | None) -> list[str] | None:
    """--coders a,b,c -> ["a", "b", "c"] (None when not given)."""
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]
