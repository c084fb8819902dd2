"""Code saturation: the codes each transcript adds, in a chosen order, and where new codes stop coming.

For each transcript in order: the codes applied there for the first time and the cumulative number of
distinct codes. Saturation is reached at the last transcript that added a code before a run of k
transcripts (default 3) that added none (the "run length" criterion of Guest, Namey & Chen 2020). The
share of codes in place by the halfway point is the distinct codes of the first ceil(N / 2) transcripts
over those of all N. Codes are the codes without children (themes would count twice), as the source
applied them to participant segments. The same is computed per stratum (--by), in the same order, from
the turns of the stratum's participants (a pair interview's officer and clinician can fall in two).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import ReportError
from ..models import Where, study_order
from .data import CONSENSUS, MAJORITY, UNION, ReportData, themes_of
from .writers import Table

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

DEFAULT_RUN = 3
ORDERS = ("ingest", "coded", "attribute:NAME")
ALL = "all"


@dataclass
class Step:
    """One transcript in the order: the codes it applied first, and the distinct codes so far."""

    position: int  # 1-based, within the scope (the whole study or one stratum)
    transcript: str
    new: list[str]  # codes applied here for the first time, codebook order
    cumulative: int


@dataclass
class Curve:
    """Saturation of one scope: the whole study ("all") or one stratum ("role=officer")."""

    scope: str
    steps: list[Step]
    run: int
    codes: int  # distinct codes applied in this scope
    saturation_at: int | None  # position of the last new code before a run of `run` without any
    last_new_at: int | None  # position of the last transcript that added a code at all
    halfway: int  # transcripts up to the halfway point: ceil(N / 2)
    share_at_halfway: float | None  # codes in place by then / codes

    @property
    def saturation_transcript(self) -> str | None:
        return None if self.saturation_at is None else self.steps[self.saturation_at - 1].transcript

    def to_json(self) -> dict:
        return {
            "scope": self.scope,
            "transcripts": len(self.steps),
            "codes": self.codes,
            "run": self.run,
            "saturation_at": self.saturation_at,
            "saturation_transcript": self.saturation_transcript,
            "last_new_at": self.last_new_at,
            "halfway": self.halfway,
            "share_at_halfway": self.share_at_halfway,
            "steps": [vars(s) for s in self.steps],
        }


@dataclass
class Saturation:
    source: str
    order: str
    run: int
    codebook_codes: int  # codes without children in the active codebook
    overall: Curve
    strata: dict[str, dict[str, Curve]] = field(default_factory=dict)  # {attr: {value: curve}}
    where: Where = field(default_factory=Where)  # --where: whose turns count (the overall scope is named so)
    where_note: str = ""  # what --where kept, said first in the notes

    def curves(self) -> list[Curve]:
        return [self.overall] + [c for values in self.strata.values() for c in values.values()]

    def to_json(self) -> dict:
        """The JSON shape of docs/methods.md."""
        return {
            "source": self.source,
            "order": self.order,
            **self.where.to_json(),  # where, where_not
            "run": self.run,
            "codebook_codes": self.codebook_codes,
            "overall": self.overall.to_json(),
            "by": {attr: {v: c.to_json() for v, c in values.items()} for attr, values in self.strata.items()},
        }

    def steps_table(self) -> Table:
        rows = [
            [c.scope, s.position, s.transcript, len(s.new), ";".join(s.new), s.cumulative]
            for c in self.curves()
            for s in c.steps
        ]
        return Table(
            "saturation",
            f"Saturation ({self.source}, order: {self.order}{f', where {self.where.said()}' if self.where else ''})",
            ["scope", "position", "transcript", "new_codes", "new_code_ids", "cumulative_codes"],
            rows,
            [self.where_note] * bool(self.where_note) + [self._note()],
        )

    def summary_table(self) -> Table:
        rows = [
            [
                c.scope,
                len(c.steps),
                c.codes,
                c.saturation_at,
                c.saturation_transcript,
                c.last_new_at,
                c.halfway,
                c.share_at_halfway,
            ]
            for c in self.curves()
        ]
        return Table(
            "summary",
            f"Saturation summary (no new code in {self.run} transcripts in a row)",
            [
                "scope",
                "transcripts",
                "codes",
                "saturation_at",
                "saturation_transcript",
                "last_new_at",
                "halfway",
                "share_at_halfway",
            ],
            rows,
        )

    def data_tables(self) -> list[Table]:
        return [self.steps_table(), self.summary_table()]

    def display_tables(self) -> list[Table]:
        summary = self.summary_table()
        summary.rows = [
            [
                scope,
                n,
                codes,
                "not reached" if at is None else f"{at} ({transcript})",
                "–" if last is None else last,
                half,
                "–" if share is None else f"{100 * share:.1f}%",
            ]
            for scope, n, codes, at, transcript, last, half, share in summary.rows
        ]
        summary.columns = [
            "Scope",
            "Transcripts",
            "Codes",
            "Saturation at",
            "Last new code at",
            "Halfway",
            "Codes by halfway",
        ]
        steps = self.steps_table()
        steps.columns = ["Scope", "#", "Transcript", "New", "New codes", "Cumulative"]
        return [steps, summary]

    def _note(self) -> str:
        return (
            f"Codes without children, as applied by source {self.source} to participant segments; "
            f"{self.codebook_codes} in the codebook. Saturation: the last transcript adding a code before "
            f"{self.run} in a row added none."
        )


def _curve(scope: str, order: list[str], first_codes: dict[str, list[str]], run: int) -> Curve:
    seen: set[str] = set()
    steps = []
    for i, transcript in enumerate(order, start=1):
        new = [c for c in first_codes.get(transcript, []) if c not in seen]
        seen.update(new)
        steps.append(Step(i, transcript, new, len(seen)))
    saturation_at = None
    last_new = 0
    for step in steps:
        if step.new:
            last_new = step.position
        elif step.position - last_new >= run:
            saturation_at = last_new or None
            break
    halfway = math.ceil(len(steps) / 2)
    share = steps[halfway - 1].cumulative / len(seen) if seen and halfway else None
    last = max((s.position for s in steps if s.new), default=None)
    return Curve(scope, steps, run, len(seen), saturation_at, last, halfway, share)


def build_saturation(
    data: ReportData,
    order: list[str],
    *,
    order_name: str,
    by: list[str] | None = None,
    run: int = DEFAULT_RUN,
) -> Saturation:
    """The saturation of the whole study and of each stratum of `by`, transcripts in `order`.

    `order` lists transcript ids (see saturation_order); those without a decided participant segment
    are left out. Raises ReportError for a run below 1 or an unknown attribute.
    """
    if run < 1:
        raise ReportError(f"--run must be 1 or more, got {run}.")
    by = list(dict.fromkeys(by or []))
    data.check_attributes(by)
    # A split code's row before recoding (data.with_split_stubs) is no code of the codebook to saturate.
    parents = themes_of(data.codebook) | {c.id for c in data.codebook.codes if c.split_into}
    position = {c.id: i for i, c in enumerate(data.codebook.codes)}
    leaves_of: dict[frozenset[str], frozenset[str]] = {}  # segments share their code-set objects

    def leaves(applied: frozenset[str]) -> frozenset[str]:
        got = leaves_of.get(applied)
        if got is None:
            got = leaves_of[applied] = frozenset(c for c in applied if c not in parents)
        return got

    # Each participant's codes (a pair interview's officer and clinician apart), each segment looked at
    # once: a transcript's codes, and a stratum's in it, are unions of its participants'.
    per_participant: dict[tuple[str, str | None], set[str]] = {}
    for key, applied in data.applied.items():
        who = data.participant_of(key)
        codes = per_participant.get(who)
        if codes is None:
            codes = per_participant[who] = set()
        codes.update(leaves(applied))
    per_transcript: dict[str, set[str]] = {}
    for (transcript, _), codes in per_participant.items():
        per_transcript.setdefault(transcript, set()).update(codes)
    first_codes = {t: sorted(codes, key=position.__getitem__) for t, codes in per_transcript.items()}
    coded = [t for t in order if t in per_transcript]
    ordered = set(order)
    missing = [t for t in per_transcript if t not in ordered]
    coded += sorted(missing, key=study_order)  # never drop a coded transcript the order did not name
    # Filtered, the overall scope is not the whole study's: it is named by the filter.
    overall = _curve(data.where.said() if data.where else ALL, coded, first_codes, run)
    strata: dict[str, dict[str, Curve]] = {}
    for attr in by:
        strata[attr] = {}
        # A stratum holds the codes of its own participants: in a pair interview the officer's turns
        # count for role=officer and the clinician's for role=provider.
        own_of: dict[str, dict[str, set[str]]] = {value: {} for value in data.group_sizes(attr)}
        for who, codes in per_participant.items():
            own = own_of.get(data.group_of(who, attr))
            if own is not None:
                own.setdefault(who[0], set()).update(codes)
        for value, own in own_of.items():
            codes = {t: sorted(c, key=position.__getitem__) for t, c in own.items()}
            strata[attr][value] = _curve(f"{attr}={value}", [t for t in coded if t in own], codes, run)
    leaves = sum(1 for c in data.codebook.codes if c.id not in parents and not c.merged_into)
    return Saturation(
        data.source,
        order_name,
        run,
        leaves,
        overall,
        strata,
        where=data.where,
        where_note=data.where_note(": the curves are of their turns") if data.where else "",
    )


def _source_coders(data: ReportData) -> list[str]:
    if data.source in (MAJORITY, UNION):
        return list(data.coders)
    return [data.source or CONSENSUS]


def _attribute_key(values: list[str | None]):
    """Sort numbers as numbers when every value is one, else as text; missing values last."""
    present = [v for v in values if v not in (None, "")]
    try:
        [float(v) for v in present]
        numeric = True
    except ValueError:
        numeric = False
    return lambda v: (v in (None, ""), float(v) if numeric and v not in (None, "") else 0.0, v or "")


def saturation_order(db: Database, data: ReportData, order: str) -> list[str]:
    """Transcript ids in the order named: ingest (when ingested), coded (the source's first decision
    on each), or attribute:NAME (by that attribute's value, numbers as numbers). Ties go by id.
    Raises ReportError for an unknown order or attribute."""
    from ..store.decisions import first_decision_times
    from ..store.transcripts import transcript_ingest_times

    ids = sorted(data.attributes, key=study_order)
    if order == "ingest":
        when = transcript_ingest_times(db)
        return sorted(ids, key=lambda t: (when.get(t, ""), study_order(t)))
    if order == "coded":
        first = first_decision_times(db, _source_coders(data))
        return sorted(ids, key=lambda t: (t not in first, first.get(t, ""), study_order(t)))
    if order.startswith("attribute:") and order[len("attribute:") :].strip():
        name = order[len("attribute:") :].strip()
        data.check_attributes([name], option="--order attribute:NAME")
        values = {t: data.attributes.get(t, {}).get(name) for t in ids}
        key = _attribute_key(list(values.values()))
        return sorted(ids, key=lambda t: (key(values[t]), study_order(t)))
    raise ReportError(
        f'Unknown order "{order}". Pass --order ingest, coded or attribute:NAME (e.g. attribute:date).'
    )
