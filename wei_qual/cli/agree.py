"""Command: agree, inter-rater reliability per code, exclusive group and overall.

Parse options, call wei_qual.agree, render. The pure render_*, *_csv, *_markdown and *_json functions
live in wei_qual.cli.agree_render and are re-exported here (`from wei_qual.cli.agree import
render_agreement` works). wei_qual.agree (and numpy through it) and the renderers are imported inside
the command: --help stays fast.
"""

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..console import console, full_width, info, plural, user_errors, warn, with_warnings_said
from ..defaults import MAX_BOOTSTRAP
from ..errors import AgreementError, CheckFailed
from .options import (
    DEFAULT_DB_PATH,
    DbOption,
    ExcludeCodersOption,
    Kind,
    KindOption,
    WideOption,
    codes_outside,
    consensus_lookalikes,
    resolve_coder_options,
    split_names,
)


class AgreeFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class CiMethod(str, Enum):
    units = "units"
    kalpha = "kalpha"


def agree_cli(
    coders: Annotated[
        str | None,
        typer.Option(
            "--coders",
            help="Comma-separated coders to compare (default: every coder with decisions except consensus).",
        ),
    ] = None,
    exclude_coders: ExcludeCodersOption = None,
    codes: Annotated[
        str | None,
        typer.Option(
            "--codes",
            help="Comma-separated code ids (default: every leaf code). A parent code counts as present when any "
            "child is. -ID leaves a code out, -THEME its whole group (--codes=-stance: every code but that group's).",
        ),
    ] = None,
    transcript: Annotated[
        list[str] | None, typer.Option("--transcript", "-t", help="Only this transcript id (repeatable).")
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="Repeat the analysis for each value of this attribute, e.g. role."),
    ] = None,
    bootstrap: Annotated[
        int,
        typer.Option(
            "--bootstrap", min=0, max=MAX_BOOTSTRAP, help="Bootstrap draws for the 95% CI of α; 0 disables."
        ),
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the bootstrap.")] = 0,
    ci_method: Annotated[
        CiMethod,
        typer.Option("--ci-method", help="units: resample units; kalpha: Hayes & Krippendorff (2007)."),
    ] = CiMethod.units,
    min_alpha: Annotated[
        float | None,
        typer.Option(
            "--min-alpha",
            min=-1.0,
            max=1.0,
            help="Exit 3, listing them, when any code's or exclusive group's α is below this, or reaches "
            "it on too few units to judge.",
        ),
    ] = None,
    include_interviewer: Annotated[
        bool, typer.Option("--include-interviewer", help="Count interviewer turns as units too.")
    ] = False,
    kind: KindOption = Kind.interview,
    fmt: Annotated[
        AgreeFormat | None,
        typer.Option("--format", "-f", help="Output format (default: table, or from the -o suffix)."),
    ] = None,
    disagreements: Annotated[
        bool,
        typer.Option(
            "--disagreements", help="List every segment where the coders differ, with its text, instead."
        ),
    ] = False,
    diagnostics: Annotated[
        bool,
        typer.Option(
            "--diagnostics",
            help="Also show coder diagnostics: application rates against the other coders, boundary "
            "confusions between codes, and α over time.",
        ),
    ] = False,
    batch: Annotated[
        str | None,
        typer.Option(
            "--batch",
            metavar="N|week",
            help="With --diagnostics: α over time per batch of N units in coding order (default 50), or per week.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            dir_okay=False,
            help="Write to this file instead of the terminal, as its suffix says (.json, .csv, .md) "
            "unless --format is given.",
        ),
    ] = None,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Measure inter-rater reliability: α, κ, AC1, BP with bootstrap CIs, per code, group and overall.

    A unit is a participant segment (with --kind document or all, also a document segment) decided by at
    least two of the coders. --min-alpha makes it a gate
    for scripts (exit 3 when a code or group is below, or too few to judge); --disagreements lists what to reconcile; --diagnostics
    shows which coder applies which code more or less often than the others, which codes they confuse,
    and α over time.

        \b
        wei-qual agree --coders alice,bob --by role --min-alpha 0.667
        wei-qual agree --disagreements -o disagreements.csv
        wei-qual agree --diagnostics --batch week
    """
    from .. import agree
    from ..agree.result import ci_warning, too_few_groups_note, with_subset_notes
    from ..report.writers import resolve_format
    from ..store import open_db
    from .agree_render import (
        _measure,
        _own_notes,
        _write,
        agreement_csv,
        agreement_markdown,
        diagnostics_markdown,
        disagreements_csv,
        disagreements_json,
        disagreements_markdown,
        render_agreement,
        render_diagnostics,
        render_disagreements,
        subset_warning_lines,
    )

    with user_errors():
        # As the reports: --format, else the -o suffix (a suffix agree cannot write is refused).
        fmt = AgreeFormat(
            resolve_format(fmt and fmt.value, output, formats=tuple(f.value for f in AgreeFormat))
        )
        db = open_db(db_path, create=False)
        notes: list[str] = []  # said on stderr as they come, and kept in the JSON's warnings
        codes_outside(db, notes)
        consensus_lookalikes(db, notes)
        names, excluded = resolve_coder_options(db, coders, exclude_coders, notes)
        if excluded:
            names = [
                c for c in (names if names is not None else agree.default_coders(db)) if c not in excluded
            ]
        # Kept a list from here: a coder's name may hold a comma ("Smith, Jane").
        if disagreements:
            if min_alpha is not None:
                warn("--min-alpha is ignored with --disagreements; run agree without it to gate.")
            sel, items = agree.list_disagreements(
                db,
                coders=names,
                codes=split_names(codes),
                transcripts=transcript,
                include_interviewer=include_interviewer,
                kind=kind.value,
            )
            if fmt == AgreeFormat.json:
                _write(
                    disagreements_json(sel, items, with_warnings_said({})["warnings"]),
                    output,
                    plural(len(items), "disagreement"),
                )
            elif fmt == AgreeFormat.csv:
                _write(disagreements_csv(sel, items), output, plural(len(items), "disagreement"))
            elif fmt == AgreeFormat.md:
                _write(disagreements_markdown(sel, items), output, plural(len(items), "disagreement"))
            else:
                with full_width(wide):
                    console.print(render_disagreements(sel, items))
            info(
                f"{len(items)} of {len(sel.units):,} units {'has' if len(items) == 1 else 'have'} disagreements "
                f"among {', '.join(sel.coders)}."
            )
            return
        if diagnostics and fmt == AgreeFormat.csv:
            raise AgreementError(
                "--diagnostics adds three tables to the agreement table, and CSV holds one. Pass --format "
                "json or md (or table), or drop --diagnostics for the agreement CSV."
            )
        if batch is not None and not diagnostics:
            warn("--batch is used only with --diagnostics; it is ignored.")
        result = _measure(
            agree,
            db,
            names,
            codes,
            transcript,
            by,
            bootstrap,
            seed,
            ci_method,
            include_interviewer,
            diagnostics,
            batch or agree.DEFAULT_BATCH,
            kind=kind.value,
        )
        for message in result.warnings:
            warn(message)
        result.warnings[:0] = notes
        for name, note in _own_notes(result):
            warn(ci_warning(name, note), held=True)  # the JSON: the code's ci_note
        # What is true of a subset alone, grouped by kind when a fine attribute makes it many lines; in
        # full in each subset's JSON warnings.
        for line in subset_warning_lines(result):
            warn(line, held=True)
        result = with_subset_notes(result)
        checked = agree.gate(result, min_alpha) if min_alpha is not None else None
        if checked is not None and checked.undefined:  # before the JSON is written, which holds it too
            warn(
                f"α is undefined for {_counted(checked.undefined, names=True)}; --min-alpha does not judge them."
            )
        few_groups = too_few_groups_note(result.groups)
        if few_groups:  # α 1.000 from one agreed turn: the verdict column says "too few", and this says why
            warn(few_groups)
        if fmt == AgreeFormat.json:
            data = with_warnings_said(result.to_dict())
            if checked is not None:
                data["gate"] = checked.to_dict()
            _write(json.dumps(data, indent=2, ensure_ascii=False), output, "agreement")
        elif fmt == AgreeFormat.csv:
            _write(agreement_csv(result), output, "agreement")
        elif fmt == AgreeFormat.md:
            text = agreement_markdown(result)
            if result.diagnostics is not None:
                text += "\n" + diagnostics_markdown(result.diagnostics)
            _write(text, output, "agreement")
        else:
            with full_width(wide):
                console.print(render_agreement(result))
                if result.diagnostics is not None:
                    console.print(render_diagnostics(result.diagnostics))
        if checked is not None:
            if by:
                # A subset has fewer units, so its alpha is less certain: the gate judges the whole selection.
                info(
                    f"--min-alpha judges each code and group over all {result.units:,} units; the --by "
                    "subsets are reported, not judged."
                )
            if not checked.judged:
                raise CheckFailed(
                    f"--min-alpha {min_alpha:g} judged no code: α is undefined for every one. Code more "
                    "segments, or check the coders and codes selected."
                )
            if not checked.passed:
                raise CheckFailed(_gate_failed(checked))
            info(
                f"Every code{' and exclusive group' if result.groups else ''} with a defined α reaches "
                f"--min-alpha {min_alpha:g}, on enough units to judge."
            )


def _counted(items, *, names: bool = False) -> str:
    """The gate's items by scope: "2 codes and 1 exclusive group", with `names` "2 codes (wait, beds)
    and 1 exclusive group (place)"."""
    said = []
    for scope, what in (("code", "code"), ("group", "exclusive group")):
        found = [item[1] for item in items if item[0] == scope]
        if found:
            said.append(plural(len(found), what) + (f" ({', '.join(found)})" if names else ""))
    return " and ".join(said)


def _gate_failed(checked) -> str:
    """The gate's one line: what is below the bar, what reaches it on too few units, and what to do."""
    from ..agree.result import MIN_UNITS_APPLIED, alpha_text

    parts = []
    if checked.below:
        listed = ", ".join(
            f"{'group ' if scope == 'group' else ''}{name} ({alpha_text(alpha)})"
            for scope, name, alpha, _ in checked.below
        )
        parts.append(
            f"{_counted(checked.below)} {'has' if len(checked.below) == 1 else 'have'} α below --min-alpha {checked.min_alpha:g}: {listed}. Reconcile "
            'with "wei-qual reconcile" or sharpen their definitions in the codebook'
        )
    if checked.too_few:
        listed = ", ".join(
            f"{'group ' if scope == 'group' else ''}{name} ({alpha_text(alpha)}, {n} unit{'' if n == 1 else 's'})"
            for scope, name, alpha, n in checked.too_few
        )
        parts.append(
            f"{_counted(checked.too_few)} {'reaches' if len(checked.too_few) == 1 else 'reach'} --min-alpha {checked.min_alpha:g} on too few units to judge (fewer than {MIN_UNITS_APPLIED} "
            f"double-coded units hold them): {listed}. Double-code more turns that hold them, or leave them "
            "out with --codes"
        )
    return "; ".join(parts) + "."


def __getattr__(name: str):
    """The renderers (render_agreement, agreement_csv, describe ...) are loaded on first use."""
    if name.startswith("__"):  # __path__, __wrapped__ ...: probed by import machinery and tools
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import agree_render

    try:
        return getattr(agree_render, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("agree", rich_help_panel="Reliability")(agree_cli)
