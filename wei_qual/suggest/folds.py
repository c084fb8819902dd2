"""Splitting coded segments by transcript, so that no interview is in both training and test data.

Segments of one interview share a speaker, a topic and turns of phrase: a split by segment would let the
model recognise the interview rather than the code, and overstate how well it does on new interviews.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from ..errors import SuggestError

HELD_OUT_SHARE = 0.2  # share of the units `suggest train` keeps out for choosing the epoch and calibrating


def grouped_folds(groups: Sequence[str], k: int, *, seed: int = 0) -> list[list[int]]:
    """Indices of the units in each of k test folds, whole groups (transcripts) at a time.

    Groups are shuffled with `seed`, then taken largest first and given to the fold with the fewest units
    so far (GroupKFold's balancing), so the folds are of similar size and the same seed gives the same
    folds. Raises SuggestError when there are fewer groups than folds.
    """
    members: dict[str, list[int]] = {}
    for i, group in enumerate(groups):
        members.setdefault(group, []).append(i)
    if k < 2:
        raise SuggestError(f"--folds must be at least 2 (got {k}).")
    if len(members) < k:
        raise SuggestError(
            f"{k} folds need at least {k} transcripts with decisions, and the source has {len(members)}. "
            "Pass a smaller --folds."
        )
    names = sorted(members)
    random.Random(seed).shuffle(names)
    names.sort(key=lambda g: -len(members[g]))  # stable: equal sizes keep the shuffled order
    folds: list[list[int]] = [[] for _ in range(k)]
    for group in names:
        smallest = min(range(k), key=lambda f: (len(folds[f]), f))
        folds[smallest].extend(members[group])
    return [sorted(fold) for fold in folds]


def held_out_split(
    groups: Sequence[str], *, seed: int = 0, share: float = HELD_OUT_SHARE
) -> tuple[list[int], list[int]]:
    """(training indices, held-out indices): whole transcripts, shuffled with `seed`, held out until they
    hold at least `share` of the units. At least one transcript is held out and at least one is kept.

    Raises SuggestError with fewer than two transcripts.
    """
    members: dict[str, list[int]] = {}
    for i, group in enumerate(groups):
        members.setdefault(group, []).append(i)
    if len(members) < 2:
        raise SuggestError(
            "Training needs decisions on at least two transcripts: one part trains the model, another "
            "checks and calibrates it. Code segments of another transcript first."
        )
    names = sorted(members)
    random.Random(seed).shuffle(names)
    held: list[int] = []
    target = share * len(groups)
    for name in names[:-1]:  # always keep one for training
        if held and len(held) >= target:
            break
        held.extend(members[name])
    held_set = set(held)
    return [i for i in range(len(groups)) if i not in held_set], sorted(held)
