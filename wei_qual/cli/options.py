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
