"""Agreement by stratum (--by ATTR): the units split by the value of one participant attribute (the
speaker's own, from the attributes CSV's `speaker` rows, over the transcript's).

Units whose transcript lacks the attribute form their own "(missing)" stratum.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import AgreementError
from ..models import MISSING_VALUE, did_you_mean, value_order, value_spellings
from ..store.transcripts import get_attributes, get_speaker_attributes
from .selection import Unit

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

MISSING_ATTRIBUTE = MISSING_VALUE


def attribute_values(db: Database, by: str) -> tuple[set[str], dict[str, str]]:
    """The values of attribute `by` among the project's transcripts and speakers, each as --by shows it,
    and models.value_spellings of them (a value spelled two ways, "Rural" and "rural", is one stratum),
    from one read of the attributes. Raises AgreementError when no transcript or speaker has `by`."""
    sets = _attribute_sets(db)
    _check(by, sets)
    spellings = value_spellings(sets, by)
    return {spellings.get(v, v) for attrs in sets if (v := attrs.get(by))}, spellings


def check_attribute(db: Database, by: str) -> None:
    """Raise AgreementError when no transcript has the attribute `by`."""
    _check(by, _attribute_sets(db))


def _attribute_sets(db: Database) -> list[dict[str, str]]:
    return [*get_attributes(db).values(), *get_speaker_attributes(db).values()]


def _check(by: str, sets: list[dict[str, str]]) -> None:
    names = sorted({name for attrs in sets for name in attrs})
    if by not in names:
        raise AgreementError(
            f'No transcript has the attribute "{by}" given with --by{did_you_mean(by, names)}. '
            f'Known attributes: {", ".join(names) or "none"}. Add them with "wei-qual ingest --attributes".'
        )


def strata(
    units: list[Unit], by: str, also: Iterable[str] = (), spellings: dict[str, str] | None = None
) -> dict[str, list[Unit]]:
    """The units of each value of attribute `by`, values in sorted order; `also` are values to list even
    with no unit (they are then said to have none, not left out); `spellings` (value_spellings) puts a
    value spelled several ways under one of them."""
    spellings = spellings or {}
    parts: dict[str, list[Unit]] = {value: [] for value in also}
    for u in units:
        value = u.attributes.get(by) or MISSING_ATTRIBUTE
        parts.setdefault(spellings.get(value, value), []).append(u)
    return {value: parts[value] for value in sorted(parts, key=value_order)}
