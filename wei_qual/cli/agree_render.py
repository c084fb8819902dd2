"""Rendering for `wei-qual agree`: tables, CSV, Markdown and JSON of an agreement result.

The render_*, *_csv, *_markdown and *_json functions are pure (they return renderables or text) so tests
and `wei-qual demo` can use them; wei_qual.cli.agree re-exports them. This module is loaded only when
they are used, so `wei-qual --help` does not compile it.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..console import console, err_console, info
from .options import split_names

if TYPE_CHECKING:
    from ..agree import AgreementResult, Disagreement, Selection

DASH = "–"
METHOD_TEXT = {
    "units": "resampling units",
    "kalpha": "resampling pairable values as Hayes & Krippendorff (2007) / KALPHA",
}


def _f(value: float | None, digits: int = 3) -> str:
    return DASH if value is None else f"{value:.{digits}f}"


def _ci(ci: tuple[float | None, float | None]) -> str:
    return DASH if ci[0] is None or ci[1] is None else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def _pct(value: float | None) -> str:
    return DASH if value is None else f"{100 * value:.1f}%"


VERDICT_STYLE = {"reliable": "green", "tentative": "yellow", "unreliable": "red", "undefined": "dim"}


def describe(result: AgreementResult) -> str:
    """The method line under every table: coders, units, thresholds and the bootstrap."""
    coders = ", ".join(result.coders)
    if result.bootstrap:
        boot = (
            f"95% CI: percentile bootstrap, {result.bootstrap:,} draws {METHOD_TEXT[result.ci_method]} "
            f"(--ci-method {result.ci_method}), seed {result.seed}."
        )
    else:
        boot = "No confidence intervals (--bootstrap 0)."
    kappa = "Cohen's κ" if len(result.coders) == 2 else "mean pairwise Cohen's κ (Light's κ)"
    return (
        f"{result.units:,} units (segments decided by at least two of {coders}). "
        f"α = Krippendorff's alpha (nominal) on each code's presence/absence; κ = {kappa}; "
        f"AC1 = Gwet; BP = Brennan-Prediger. Reliable α ≥ .800, tentative .667–.800, unreliable < .667. {boot}"
    )


def _ci_short(ci: tuple[float | None, float | None]) -> str:
    return DASH if ci[0] is None or ci[1] is None else f"{ci[0]:.3f}–{ci[1]:.3f}"


def render_agreement(result: AgreementResult, *, title: str | None = None) -> RenderableType:
    """Code table, group table, overall line and method note for one result (and its --by subsets)."""
    parts: list[RenderableType] = []
    kappa = "κ" if len(result.coders) == 2 else "mean κ"
    table = Table(
        title=Text(title or f"Agreement of {', '.join(result.coders)}"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        pad_edge=False,
    )
    for column in ("code", "prev.", "% agree", "α", "95% CI", kappa, "Fleiss κ", "AC1", "BP", "verdict"):
        if column == "code":
            longest = max((len(c.code) for c in result.codes), default=8)
            table.add_column(column, overflow="fold", min_width=min(max(longest, 8), 32))
        else:
            table.add_column(column, justify="left" if column == "verdict" else "right", no_wrap=True)
    notes = []
    for c in result.codes:
        table.add_row(
            Text(c.code),
            _pct(c.prevalence),
            _pct(c.percent_agreement),
            _f(c.alpha),
            _ci_short(c.alpha_ci),
            _f(c.cohen_kappa),
            _f(c.fleiss_kappa),
            _f(c.gwet_ac1),
            _f(c.brennan_prediger),
            Text(c.verdict, style=VERDICT_STYLE[c.verdict]),
        )
        if c.reason:
            notes.append(f"{c.code}: {c.reason}")
    parts.append(table)
    if result.groups:
        groups = Table(
            title=Text("Exclusive groups (one nominal value per unit)"),
            title_justify="left",
            box=box.SIMPLE_HEAD,
            padding=(0, 1),
            pad_edge=False,
        )
        for column in ("group", "% agree", "α", "95% CI", "verdict"):
            groups.add_column(column, justify="left" if column in ("group", "verdict") else "right")
        for g in result.groups:
            groups.add_row(
                Text(g.group),
                _pct(g.percent_agreement),
                _f(g.alpha),
                _ci_short(g.alpha_ci),
                Text(g.verdict, style=VERDICT_STYLE[g.verdict]),
            )
            if g.reason:
                notes.append(f"{g.group}: {g.reason}")
        parts.append(groups)
    for note in notes:
        parts.append(Text(f"Undefined: {note}", style="dim"))
    defined = sum(c.alpha is not None for c in result.codes)
    parts.append(
        Text(
            f"Overall: α pooled over all (unit, code) values {_f(result.alpha_pooled)} · "
            f"mean per-code α {_f(result.alpha_mean)} ({defined} of {len(result.codes)} codes defined)"
        )
    )
    parts.append(Text(describe(result), style="dim"))
    if result.reason:
        parts.append(Text(f"Note: {result.reason}.", style="dim"))
    for attr, subsets in result.by.items():
        for value, sub in subsets.items():
            parts.append(Text(""))
            parts.append(
                render_agreement(sub, title=f"{attr} = {value}: agreement of {', '.join(sub.coders)}")
            )
    return Group(*parts)


CSV_HEADER = [
    "scope",
    "subset",
    "code",
    "n_units",
    "prevalence",
    "percent_agreement",
    "alpha",
    "alpha_ci_low",
    "alpha_ci_high",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "brennan_prediger",
    "verdict",
    "reason",
]


def _csv_rows(result: AgreementResult, subset: str) -> list[list]:
    def n(v):
        return "" if v is None else v

    rows = []
    for c in result.codes:
        rows.append(
            [
                "code",
                subset,
                c.code,
                c.n_units,
                n(c.prevalence),
                n(c.percent_agreement),
                n(c.alpha),
                n(c.alpha_ci[0]),
                n(c.alpha_ci[1]),
                n(c.cohen_kappa),
                n(c.fleiss_kappa),
                n(c.gwet_ac1),
                n(c.brennan_prediger),
                c.verdict,
                c.reason or "",
            ]
        )
    for g in result.groups:
        rows.append(
            [
                "group",
                subset,
                g.group,
                g.n_units,
                "",
                n(g.percent_agreement),
                n(g.alpha),
                n(g.alpha_ci[0]),
                n(g.alpha_ci[1]),
                "",
                "",
                "",
                "",
                g.verdict,
                g.reason or "",
            ]
        )
    for name, value in (("alpha_pooled", result.alpha_pooled), ("alpha_mean", result.alpha_mean)):
        rows.append(["overall", subset, name, result.units, "", "", n(value), "", "", "", "", "", "", "", ""])
    for attr, subsets in result.by.items():
        for value, sub in subsets.items():
            rows.extend(_csv_rows(sub, f"{attr}={value}"))
    return rows


def agreement_csv(result: AgreementResult) -> str:
    """One row per code, group and overall value; --by subsets are rows with subset ATTR=VALUE."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(_csv_rows(result, ""))
    return buffer.getvalue()


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def agreement_markdown(result: AgreementResult, *, heading: str = "Agreement") -> str:
    """Markdown tables for a paper's appendix or a README."""
    kappa = "κ" if len(result.coders) == 2 else "mean κ"
    lines = [
        f"### {heading}",
        "",
        f"| code | units | prev. | % agree | α | 95% CI | {kappa} | Fleiss κ | AC1 | BP | verdict |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for c in result.codes:
        verdict = c.verdict + (f" ({c.reason})" if c.reason else "")
        lines.append(
            f"| {_md_cell(c.code)} | {c.n_units} | {_pct(c.prevalence)} | {_pct(c.percent_agreement)} | {_f(c.alpha)} "
            f"| {_ci(c.alpha_ci)} | {_f(c.cohen_kappa)} | {_f(c.fleiss_kappa)} | {_f(c.gwet_ac1)} "
            f"| {_f(c.brennan_prediger)} | {_md_cell(verdict)} |"
        )
    if result.groups:
        lines += [
            "",
            "| exclusive group | units | % agree | α | 95% CI | verdict |",
            "|---|--:|--:|--:|--:|---|",
        ]
        for g in result.groups:
            verdict = g.verdict + (f" ({g.reason})" if g.reason else "")
            lines.append(
                f"| {_md_cell(g.group)} | {g.n_units} | {_pct(g.percent_agreement)} | {_f(g.alpha)} "
                f"| {_ci(g.alpha_ci)} | {_md_cell(verdict)} |"
            )
    lines += [
        "",
        f"Overall: α pooled {_f(result.alpha_pooled)}, mean per-code α {_f(result.alpha_mean)}.",
        "",
        _md_cell(describe(result)),
        "",
    ]
    for attr, subsets in result.by.items():
        for value, sub in subsets.items():
            lines.append(agreement_markdown(sub, heading=f"{heading}: {attr} = {value}"))
    return "\n".join(lines)


# ------------------------------------------------------------------ disagreements


def disagreements_json(sel: Selection, items: list[Disagreement]) -> str:
    return json.dumps(
        [
            {
                "transcript": d.unit.transcript,
                "segment": d.unit.segment,
                "speaker": d.unit.speaker,
                "attributes": d.unit.attributes,
                "codes": {
                    c: None if d.unit.codes[c] is None else sorted(d.unit.codes[c]) for c in sel.coders
                },
                "disputed": sorted(d.disputed),
                "text": d.unit.text,
            }
            for d in items
        ],
        indent=2,
        ensure_ascii=False,
    )


def disagreements_csv(sel: Selection, items: list[Disagreement]) -> str:
    from ..agree import disagreement_rows

    header, rows = disagreement_rows(sel, items)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def disagreements_markdown(sel: Selection, items: list[Disagreement]) -> str:
    from ..agree import disagreement_rows

    header, rows = disagreement_rows(sel, items)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render_disagreements(sel: Selection, items: list[Disagreement]) -> Table:
    from ..agree import disagreement_rows

    header, rows = disagreement_rows(sel, items)
    table = Table(
        title=Text(f"{len(items)} segments where {', '.join(sel.coders)} disagree"),
        title_justify="left",
        show_lines=True,
    )
    for column in header:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(v) for v in row))  # Text: literal, so [inaudible] survives
    return table


def _write(text: str, output: Path | None, what: str) -> None:
    if output is None:
        console.print(
            text, markup=False, highlight=False, end="" if text.endswith("\n") else "\n", soft_wrap=True
        )
        return
    output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    info(f"Wrote {what} to {output}.")


def _measure(agree, db, coders, codes, transcript, by, bootstrap, seed, ci_method, include_interviewer):
    kwargs = {
        "coders": split_names(coders),
        "codes": split_names(codes),
        "transcripts": transcript,
        "by": by,
        "bootstrap": bootstrap,
        "seed": seed,
        "ci_method": ci_method.value,
        "include_interviewer": include_interviewer,
    }
    if not err_console.is_terminal:
        return agree.measure(db, **kwargs)
    from rich.progress import Progress

    with Progress(console=err_console, transient=True) as progress:
        task = progress.add_task("Measuring agreement", total=None)
        return agree.measure(db, on_progress=lambda n: progress.advance(task, n), **kwargs)
