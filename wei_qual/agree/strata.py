"""Agreement by stratum (--by ATTR): the units split by the value of one participant attribute (the
speaker's own, from the attributes CSV's `speaker` rows, over the transcript's).

Units whose transcript lacks the attribute form their own "(missing)" stratum.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import AgreementError
from ..models import MISSING_VALUE, value_order
from ..store.transcripts import get_attributes, get_speaker_attributes
from .selection import Unit

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

MISSING_ATTRIBUTE = MISSING_VALUE


def attribute_values(db: Database, by: str) -> set[str]:
    """The values of attribute `by` among the project's transcripts and speakers."""
    return {
        attrs[by]
        for attrs in [*get_attributes(db).values(), *get_speaker_attributes(db).values()]
        if attrs.get(by)
    }


def check_attribute(db: Database, by: str) -> None:
    """Raise AgreementError when no transcript has the attribute `by`."""
    names = sorted(
        {
            name
            for attrs in [*get_attributes(db).values(), *get_speaker_attributes(db).values()]
            for name in attrs
        }
    )
    if by not in names:
        raise AgreementError(
            f'No transcript has the attribute "{by}" given with --by. '
            f'Known attributes: {", ".join(names) or "none"}. Add them with "wei-qual ingest --attributes".'
        )


def strata(units: list[Unit], by: str, also: Iterable[str] = ()) -> dict[str, list[Unit]]:
    """The units of each value of attribute `by`, values in sorted order; `also` are values to list even
    with no unit (they are then said to have none, not left out)."""
    values = sorted({u.attributes.get(by) or MISSING_ATTRIBUTE for u in units} | set(also), key=value_order)
    return {
        value: [u for u in units if (u.attributes.get(by) or MISSING_ATTRIBUTE) == value] for value in values
    }
