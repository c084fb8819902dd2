"""Rendering for `wei-qual agree`: tables, CSV, Markdown and JSON of an agreement result.

The render_*, *_csv, *_markdown and *_json functions are pure (they return renderables or text) so tests
and `wei-qual demo` can use them; wei_qual.cli.agree re-exports them. This module is loaded only when
they are used, so `wei-qual --help` does not compile it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from ..agree.result import MIN_UNITS_APPLIED, TOO_FEW, TOO_FEW_GROUPS, too_few_note
from ..console import echo_data, err_console, escape_controls, info, plural, progress_bar
from ..safeio import write_text_atomic
from ..spreadsheet import csv_text
from .options import split_names
from .tables import Column, FitTable

if TYPE_CHECKING:
    from ..agree import AgreementResult, Diagnostics, Disagreement, Selection

DASH = "–"
METHOD_TEXT = {
    "units": "resampling units",
    "kalpha": "resampling pairable values as Hayes & Krippendorff (2007) / KALPHA",
}


def _f(value: float | None, digits: int = 3) -> str:
    return DASH if value is None else f"{value:.{digits}f}"


def _alpha(value: float | None) -> str:
    """An α: three decimals, more where three would round it across a verdict's threshold."""
    from ..agree.result import alpha_text

    return DASH if value is None else alpha_text(value)


def _ci(ci: tuple[float | None, float | None]) -> str:
    return DASH if ci[0] is None or ci[1] is None else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def _pct(value: float | None) -> str:
    return DASH if value is None else f"{100 * value:.1f}%"


VERDICT_STYLE = {
    "reliable": "green",
    "tentative": "yellow",
    "unreliable": "red",
    "undefined": "dim",
    "too few": "dim",
}


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


def _any_undefined_draws(result: AgreementResult) -> bool:
    return any(c.ci_undefined for c in result.codes) or result.alpha_pooled_ci_undefined > 0


def _draws(undefined: int, draws: int) -> str:
    return f"{undefined} ({100 * undefined / draws:.0f}%)" if undefined and draws else "0"


def _pooled_ci(result: AgreementResult) -> str:
    ci = result.alpha_pooled_ci
    return "" if ci[0] is None or ci[1] is None else f" (95% CI {ci[0]:.3f}–{ci[1]:.3f})"


def _own_notes(result: AgreementResult) -> list[tuple[str, str]]:
    """Bootstrap notes of this result only (not of its --by subsets, which print their own)."""
    notes = [(c.code, c.ci_note) for c in result.codes if c.ci_note]
    notes += [(g.group, g.ci_note) for g in result.groups if g.ci_note]
    if result.alpha_pooled_ci_note:
        notes.append(("pooled α", result.alpha_pooled_ci_note))
    return notes


# A kind of --by subset warning that would take more lines than this is said once, naming the first few
# subsets (a --by role's eight lines stay; a --by years_experience's hundred do not).
SUBSET_LINES = 10
FIRST_SUBSETS = 5


def subset_warning_lines(result: AgreementResult) -> list[str]:
    """What stderr says of the --by subsets: each warning with "ATTR=VALUE: " before it, or, for a kind of
    warning that more than SUBSET_LINES would say (a fine attribute such as years of experience has 30
    values and 100 intervals on few units), one line naming how many subsets and the first few."""
    lines: list[str] = []
    for attr, subsets in result.by.items():
        kinds: dict[str, list[tuple[str, str]]] = {}  # kind -> (value, message)
        for value, sub in subsets.items():
            for message in sub.warnings:
                kinds.setdefault(_subset_kind(message), []).append((value, message))
            for name, note in _own_notes(sub):
                kinds.setdefault("no interval" if note.startswith("no interval") else "narrow", []).append(
                    (value, f"{name}: {note}.")
                )
        for kind, found in kinds.items():
            if len(found) <= SUBSET_LINES:
                lines += [f"{attr}={value}: {message}" for value, message in found]
                continue
            values = list(dict.fromkeys(value for value, _ in found))
            first = ", ".join(values[:FIRST_SUBSETS]) + (", ..." if len(values) > FIRST_SUBSETS else "")
            share = (
                f"all {len(values)}"
                if len(values) == len(subsets)
                else f"{len(values)} of the {len(subsets)}"
            )
            where = f"in {share} subsets of {attr} ({first})"
            if kind == "narrow":
                said = (
                    f"{len(found)} bootstrap intervals {where} rest on draws where α is undefined in more than "
                    "5% of them, and may be too narrow"
                )
            elif kind == "no interval":
                said = f"{len(found)} α values {where} have no interval: α is undefined in more than half the draws"
            elif kind == "thin":
                said = f"{where}, coders decided few of the units: their pairs weigh as much as any in the mean κ"
            elif kind == "too few groups":
                said = (
                    f"{where}, exclusive groups' codes were applied to fewer than {MIN_UNITS_APPLIED} "
                    f"double-coded units: their α gets no verdict ({TOO_FEW})"
                )
            else:
                said = f"{where}: {found[0][1]}"
            lines.append(f"{said}; each subset's warnings in the JSON (--format json) list them all.")
    return lines


def _subset_kind(message: str) -> str:
    from ..agree.selection import THIN_CODERS

    if message.startswith(TOO_FEW_GROUPS):
        return "too few groups"
    return "thin" if message.endswith(THIN_CODERS) else message


def _ci_short(ci: tuple[float | None, float | None]) -> str:
    return DASH if ci[0] is None or ci[1] is None else f"{ci[0]:.3f}–{ci[1]:.3f}"


# When a terminal is too narrow for every coefficient, these give way first (BP first): α, its CI and the
# verdict always show. `--wide` or `--format csv` shows them all.
CODE_PRIORITY = {
    "BP": 8,
    "Fleiss κ": 7,
    "AC1": 6,
    "κ": 5,
    "mean κ": 5,
    "prev.": 4,
    "% agree": 3,
    "undef. draws": 2,
}
AGREE_HINT = "--wide, or all values with --format csv"


def render_agreement(
    result: AgreementResult, *, title: str | None = None, hint: str = AGREE_HINT
) -> RenderableType:
    """Code table, group table, overall line and method note for one result (and its --by subsets).
    `hint`: how to see the columns a narrow terminal leaves out."""
    parts: list[RenderableType] = []
    kappa = "κ" if len(result.coders) == 2 else "mean κ"
    undefined = _any_undefined_draws(result)
    headers = ["code", "prev.", "% agree", "α", "95% CI", kappa, "Fleiss κ", "AC1", "BP", "verdict"]
    if undefined:
        headers.insert(5, "undef. draws")
    table = FitTable(
        *(
            Column(
                h,
                kind="id" if h == "code" else "text" if h == "verdict" else "number",
                priority=CODE_PRIORITY.get(h, 0),
            )
            for h in headers
        ),
        title=title or f"Agreement of {', '.join(result.coders)}",
        hint=hint,
    )
    notes = []
    for c in result.codes:
        table.add_row(
            c.code,
            _pct(c.prevalence),
            _pct(c.percent_agreement),
            _alpha(c.alpha),
            _ci_short(c.alpha_ci),
            *([_draws(c.ci_undefined, result.bootstrap)] if undefined else []),
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
        groups = FitTable(
            Column("group", kind="id"),
            Column("% agree", kind="number", priority=3),
            Column("α", kind="number"),
            Column("95% CI", kind="number"),
            Column("verdict"),
            title="Exclusive groups (one nominal value per unit)",
            hint=hint,
        )
        for g in result.groups:
            groups.add_row(
                g.group,
                _pct(g.percent_agreement),
                _alpha(g.alpha),
                _ci_short(g.alpha_ci),
                Text(g.verdict, style=VERDICT_STYLE[g.verdict]),
            )
            if g.reason:
                notes.append(f"{g.group}: {g.reason}")
        parts.append(Text(""))
        parts.append(groups)
    for note in notes:
        parts.append(Text(f"Undefined: {note}", style="dim"))
    few = too_few_note(result.codes, result.groups)
    if few:
        parts.append(Text(f"Too few to judge: {few}", style="dim"))
    defined = sum(c.alpha is not None for c in result.codes)
    parts.append(
        Text(
            f"Overall: α pooled over the (unit, code) values of the {defined} of {len(result.codes)} codes with a "
            f"defined α {_alpha(result.alpha_pooled)}{_pooled_ci(result)} · mean per-code α {_alpha(result.alpha_mean)}"
        )
    )

    parts.append(Text(describe(result), style="dim"))
    if result.reason:
        parts.append(Text(f"Note: {result.reason}.", style="dim"))
    for attr, subsets in result.by.items():
        for value, sub in subsets.items():
            parts.append(Text(""))
            parts.append(
                render_agreement(
                    sub, title=f"{attr} = {value}: agreement of {', '.join(sub.coders)}", hint=hint
                )
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
    "ci_undefined_draws",
    "units_applied",  # what a "too few" verdict rests on (codes and groups; empty for overall)
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
                c.ci_undefined,
                n(c.units_applied),
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
                g.ci_undefined,
                n(g.units_applied),
            ]
        )
    low, high = result.alpha_pooled_ci
    rows.append(
        ["overall", subset, "alpha_pooled", result.units, "", "", n(result.alpha_pooled), n(low), n(high)]
        + ["", "", "", "", "", "", result.alpha_pooled_ci_undefined, ""]
    )
    rows.append(["overall", subset, "alpha_mean", result.units, "", "", n(result.alpha_mean)] + [""] * 10)
    for attr, subsets in result.by.items():
        for value, sub in subsets.items():
            rows.extend(_csv_rows(sub, f"{attr}={value}"))
    return rows


def agreement_csv(result: AgreementResult) -> str:
    """One row per code, group and overall value; --by subsets are rows with subset ATTR=VALUE."""
    return csv_text(CSV_HEADER, _csv_rows(result, ""))


def _md_cell(text: str) -> str:
    # As every Markdown report's cell: a turn's "<script>" stays text and its control characters show
    # as escapes (a raw ESC sequence would drive the terminal it is printed on).
    from ..report.writers import md_escape

    return md_escape(text)


def _md_verdict(row) -> str:
    """A code's or group's verdict with why: its reason when undefined, its units when too few (an appendix
    has no stderr to say it)."""
    if row.too_few:
        return f"{row.verdict} ({row.units_applied} unit{'' if row.units_applied == 1 else 's'})"
    return row.verdict + (f" ({row.reason})" if row.reason else "")


def agreement_markdown(result: AgreementResult, *, heading: str = "Agreement") -> str:
    """Markdown tables for a paper's appendix or a README."""
    kappa = "κ" if len(result.coders) == 2 else "mean κ"
    undefined = _any_undefined_draws(result)
    draws_head, draws_rule = (" undef. draws |", "--:|") if undefined else ("", "")
    lines = [
        f"### {heading}",
        "",
        f"| code | units | prev. | % agree | α | 95% CI |{draws_head} {kappa} | Fleiss κ | AC1 | BP | verdict |",
        f"|---|--:|--:|--:|--:|--:|{draws_rule}--:|--:|--:|--:|---|",
    ]
    for c in result.codes:
        verdict = _md_verdict(c)
        draws = f" {_draws(c.ci_undefined, result.bootstrap)} |" if undefined else ""
        lines.append(
            f"| {_md_cell(c.code)} | {c.n_units} | {_pct(c.prevalence)} | {_pct(c.percent_agreement)} | {_alpha(c.alpha)} "
            f"| {_ci(c.alpha_ci)} |{draws} {_f(c.cohen_kappa)} | {_f(c.fleiss_kappa)} | {_f(c.gwet_ac1)} "
            f"| {_f(c.brennan_prediger)} | {_md_cell(verdict)} |"
        )
    if result.groups:
        lines += [
            "",
            "| exclusive group | units | % agree | α | 95% CI | verdict |",
            "|---|--:|--:|--:|--:|---|",
        ]
        for g in result.groups:
            verdict = _md_verdict(g)
            lines.append(
                f"| {_md_cell(g.group)} | {g.n_units} | {_pct(g.percent_agreement)} | {_alpha(g.alpha)} "
                f"| {_ci(g.alpha_ci)} | {_md_cell(verdict)} |"
            )
    lines += [
        "",
        f"Overall: α pooled {_alpha(result.alpha_pooled)}{_pooled_ci(result)}, mean per-code α {_alpha(result.alpha_mean)}.",
        "",
        _md_cell(describe(result)),
        "",
    ]
    for name, note in _own_notes(result):
        lines += [f"Bootstrap: {_md_cell(name)}: {_md_cell(note)}.", ""]
    for attr, subsets in result.by.items():
        for value, sub in subsets.items():
            lines.append(agreement_markdown(sub, heading=f"{heading}: {attr} = {value}"))
    return "\n".join(lines)


# ------------------------------------------------------------------ diagnostics

TOP_CONFUSIONS = 15  # pairs shown in the table and Markdown (JSON has them all)


def _rate(value: float | None) -> str:
    return DASH if value is None else f"{100 * value:.1f}%"


def _ratio_text(value: float | None) -> str:
    return "only this coder" if value is None else f"{value:.2f}×"


def diagnostics_rows(diag: Diagnostics) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The three diagnostics tables as (header, rows) of text: flagged rates, top confusions, batches."""
    rates = [
        [
            r.coder,
            r.code,
            f"{r.applied}/{r.decided}",
            _rate(r.rate),
            f"{r.others_applied}/{r.others_decided}",
            _rate(r.others_rate),
            _ratio_text(r.ratio),
            r.flag or "",
        ]
        for r in diag.flagged
    ]
    confusions = [
        [c.a, c.b, str(c.units), str(c.either), _pct(c.share)] for c in diag.confusions[:TOP_CONFUSIONS]
    ]
    batches = [
        [
            b.label,
            str(b.n_units),
            (b.first_utc or DASH)[:10],
            (b.last_utc or DASH)[:10],
            _f(b.alpha_pooled),
            _ci_short(b.alpha_pooled_ci),
            str(b.ci_undefined),
        ]
        for b in diag.batches
    ]
    return {
        "rates": (
            ["coder", "code", "applied", "rate", "others applied", "others' rate", "ratio", "flag"],
            rates,
        ),
        "confusions": (["code A", "code B", "units A met B", "units with A or B", "share"], confusions),
        "batches": (
            ["batch", "units", "first", "last", "pooled α", "95% CI", "undef. draws"],
            batches,
        ),
    }


def _diagnostics_titles(diag: Diagnostics) -> dict[str, str]:
    from ..agree import HIGH_RATIO, LOW_RATIO

    order = "per ISO week" if diag.batch == "week" else f"in batches of {diag.batch} units"
    return {
        "rates": (
            f"Application rates: {len(diag.flagged)} of {len(diag.rates)} coder × code rates at "
            f"{float(HIGH_RATIO):g}× the other coders' or more, or {float(LOW_RATIO):g}× or less"
        ),
        "confusions": (
            f"Boundary confusions: units where one coder's code A met another coder's code B "
            f"({min(len(diag.confusions), TOP_CONFUSIONS)} of {len(diag.confusions)} pairs)"
        ),
        "batches": f"Agreement over time: pooled α {order}, in coding order",
    }


# Kind and priority (0: always shown) of each diagnostics column on a narrow terminal.
DIAGNOSTIC_COLUMNS = {
    "coder": ("id", 0),
    "code": ("id", 0),
    "applied": ("number", 0),
    "rate": ("number", 0),
    "others applied": ("number", 2),
    "others' rate": ("number", 0),
    "ratio": ("number", 0),
    "flag": ("text", 1),
    "code A": ("id", 0),
    "code B": ("id", 0),
    "units A met B": ("number", 0),
    "units with A or B": ("number", 1),
    "share": ("number", 0),
    "batch": ("id", 0),
    "units": ("number", 0),
    "first": ("number", 2),
    "last": ("number", 1),
    "pooled α": ("number", 0),
    "95% CI": ("number", 0),
    "undef. draws": ("number", 3),
}


def render_diagnostics(diag: Diagnostics) -> RenderableType:
    """The diagnostics as three tables (flagged rates, top confusions, agreement over time)."""
    from ..agree.diagnostics import too_few_sentence

    parts: list[RenderableType] = []
    titles = _diagnostics_titles(diag)
    for key, (header, rows) in diagnostics_rows(diag).items():
        table = FitTable(
            *(Column(c, kind=DIAGNOSTIC_COLUMNS[c][0], priority=DIAGNOSTIC_COLUMNS[c][1]) for c in header),
            title=titles[key],
            hint="--wide, or all values with --format json",
        )
        for row in rows:
            table.add_row(*row)
        parts.append(Text(""))
        parts.append(table)
        if not rows:
            parts.append(Text("(none)", style="dim"))
    few = too_few_sentence(diag.too_few)
    if few:
        parts.append(Text(few))
    parts.append(
        Text(
            "Rates are over the agreement units each coder decided. Coding order: each unit at the time "
            "of its latest decision by the selected coders.",
            style="dim",
        )
    )
    return Group(*parts)


def diagnostics_markdown(diag: Diagnostics) -> str:
    """The diagnostics as Markdown tables under `###` headings."""
    from ..agree.diagnostics import too_few_sentence

    lines = []
    titles = _diagnostics_titles(diag)
    for key, (header, rows) in diagnostics_rows(diag).items():
        lines += [f"### {_md_cell(titles[key])}", ""]
        few = too_few_sentence(diag.too_few) if key == "rates" else None
        if few:
            lines += [_md_cell(few), ""]
        if not rows:
            lines += ["(none)", ""]
            continue
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


# ------------------------------------------------------------------ disagreements


def disagreements_json(sel: Selection, items: list[Disagreement], warnings: list[str]) -> str:
    """An object, not a bare list, so the warnings said on stderr (and the units and coders looked at)
    travel with the disagreements; a reader of the list it once was fails on it instead of reading it."""
    return json.dumps(
        {
            "coders": sel.coders,
            "units": len(sel.units),
            "disagreements": [
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
            "warnings": warnings,
        },
        indent=2,
        ensure_ascii=False,
    )


def disagreements_csv(sel: Selection, items: list[Disagreement]) -> str:
    from ..agree import disagreement_rows

    header, rows = disagreement_rows(sel, items)
    return escape_controls(csv_text(header, rows))  # as every CSV people read (wei_qual.controls)


def disagreements_markdown(sel: Selection, items: list[Disagreement]) -> str:
    from ..agree import disagreement_rows

    header, rows = disagreement_rows(sel, items)
    lines = ["| " + " | ".join(map(_md_cell, header)) + " |", "|" + "---|" * len(header)]  # coders' names
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render_disagreements(sel: Selection, items: list[Disagreement]) -> FitTable:
    """Every disputed segment: ids and numbers on the first line; attributes, codes and the text fold,
    and move under the row on a narrow terminal."""
    from ..agree import disagreement_rows

    header, rows = disagreement_rows(sel, items)
    kinds = {
        "transcript": ("id", 0),
        "segment": ("number", 0),
        "speaker": ("text", 3),
        "disputed": ("long", 0),
        "text": ("prose", 5),
    }
    coders = set(sel.coders)
    table = FitTable(
        *(
            Column(c, kind=kinds[c][0], priority=kinds[c][1])
            if c in kinds
            else Column(c, kind="long", min_width=12, priority=2)
            if c in coders
            else Column(c, priority=6)
            for c in header
        ),
        title=f"{plural(len(items), 'segment')} where {', '.join(sel.coders)} disagree",
        hint="--wide, or all of it with --format csv",
    )
    listed = {i for i, c in enumerate(header) if c in coders or c == "disputed"}
    for row in rows:  # code lists wrap between codes, never inside an id
        table.add_row(*(v.replace(";", "; ") if i in listed else v for i, v in enumerate(row)))
    return table


def _write(text: str, output: Path | None, what: str) -> None:
    text = text if text.endswith("\n") else text + "\n"
    if output is None:
        echo_data(text, nl=False)
        return
    write_text_atomic(output, text)
    info(f"Wrote {what} to {output}.")


def _measure(
    agree,
    db,
    coders,
    codes,
    transcript,
    by,
    bootstrap,
    seed,
    ci_method,
    include_interviewer,
    diagnostics=False,
    batch="50",
    kind="interview",
):
    kwargs = {
        "kind": kind,
        "diagnostics": diagnostics,
        "batch": batch,
        "coders": coders,  # resolved names, a list (a name may hold a comma)
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
    with progress_bar() as progress:
        task = progress.add_task("Measuring agreement", total=None)
        return agree.measure(
            db, on_progress=lambda n: progress.update(task, advance=n, refresh=True), **kwargs
        )
