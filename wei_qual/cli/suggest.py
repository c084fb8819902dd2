"""Commands: suggest (and suggest train, models, evaluate), suggestions list. Thin shells over
wei_qual.suggest; the learned engine's tables are rendered by wei_qual.cli.suggest_render."""

import contextlib
import json
from collections.abc import Callable, Iterator
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from ..console import (
    console,
    echo_data,
    err_console,
    full_width,
    info,
    plural,
    progress_bar,
    user_errors,
    warn,
    with_warnings_said,
)
from ..defaults import (
    DEFAULT_EPOCHS,
    DEFAULT_MIN_EXAMPLES,
    DEFAULT_MIN_SCORE,
    DEFAULT_SEED,
    EVALUATE_MIN_SCORE,
    LEARNED_MIN_SCORE,
)
from ..store import open_db
from .options import DEFAULT_DB_PATH, ActorOption, DbOption, ListFormat, WideOption, actor_or, split_names

if TYPE_CHECKING:
    from .. import suggest as core
    from .tables import FitTable

PANEL = "Coding"

suggest_app = typer.Typer()  # help: suggest_cli's docstring
suggestions_app = typer.Typer(help="Look at stored suggestions.", no_args_is_help=True)

TranscriptOption = Annotated[
    list[str] | None,
    typer.Option("--transcript", "-t", help="Only this transcript id (repeat for several). Default: all."),
]


class Engine(str, Enum):
    rules = "rules"
    learned = "learned"
    both = "both"


SourceOption = Annotated[
    str | None,
    typer.Option(
        "--source",
        metavar="SOURCE",
        help="Whose codes to learn from, as in the reports: consensus (the default), a CODER's name, "
        "majority or union.",
    ),
]
MinExamplesOption = Annotated[
    int,
    typer.Option(
        "--min-examples", min=1, help="Learn a code only when the source applied it to this many segments."
    ),
]
CodesOption = Annotated[
    str | None,
    typer.Option(
        "--codes",
        metavar="ID,ID",
        help="Only these codes (comma-separated; a theme stands for its codes). -ID leaves a code out, "
        "-THEME its whole group (--codes=-stance: every code but that group's).",
    ),
]
SeedOption = Annotated[
    int, typer.Option("--seed", help="Random seed: the same seed and data give the same model.")
]
EpochsOption = Annotated[int, typer.Option("--epochs", min=1, help="Training passes over the segments.")]


@suggest_app.callback(invoke_without_command=True)
def suggest_cli(
    ctx: typer.Context,
    transcript: TranscriptOption = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model", help="An installed trained spaCy pipeline (package name). Default: built-in rules."
        ),
    ] = None,
    min_score: Annotated[
        float,
        typer.Option("--min-score", min=0.0, max=1.0, help="Store only suggestions scoring at least this."),
    ] = DEFAULT_MIN_SCORE,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help='rules: keywords and patterns; learned: the newest model of "suggest train" (stores codes '
            f"scoring {LEARNED_MIN_SCORE:g} or more); both: each, and their merged scores.",
        ),
    ] = Engine.rules,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            min=1,
            help="Processes that tokenize and match the segments (rules engine; at least 500 segments "
            "each), for large projects on several cores; the suggestions are the same.",
        ),
    ] = 1,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Suggest codes for every participant segment, from the active codebook's keywords and patterns
    or from a model trained on the team's decisions ("suggest train").

    Replaces earlier suggestions of the same codebook version and engine. See them with
    "wei-qual suggestions list"; measure them with "wei-qual suggest evaluate".

        \b
        wei-qual suggest --transcript P01 --transcript P02
        wei-qual suggest --engine learned
    """
    if ctx.invoked_subcommand is not None:
        return
    from .. import suggest as core

    with user_errors(), _progress_bar() as on_progress:
        result = core.run_suggest(
            open_db(db_path, create=False),
            transcripts=transcript,
            model=model,
            min_score=min_score,
            on_progress=on_progress,
            engine=engine.value,
            jobs=jobs,
        )
    # Each count in its word's number, with thousands separators ("1 suggestions", "9284 words"). A
    # message, not data: on stderr (DESIGN.md §4), the suggestions themselves are "suggestions list".
    what = (
        f"{plural(result.codes, 'code')} with rules"
        if result.model_id is None
        else f"{plural(result.codes, 'code')} of model {result.model_id}"
    )
    err_console.print(
        f"Stored {plural(result.suggestions, 'suggestion')} for {plural(result.segments, 'participant segment')} "
        f"({plural(result.words, 'word')}, {what}, engine {escape(result.engine)}, "
        f"codebook version {result.codebook_id})."
    )
    if result.model_stale:
        warn(
            f"Model {result.model_id} is out of date ({'; '.join(result.model_stale)}). "
            'Train a new one with "wei-qual suggest train".'
        )
    if result.stale:
        err_console.print(
            f"Marked {plural(result.stale, 'suggestion')} of other codebook versions as stale.",
            highlight=False,
        )


@contextlib.contextmanager
def _progress_bar() -> "Iterator[core.ProgressCallback | None]":
    """A transient progress bar on stderr, only on a terminal (it would leave blank lines in a pipe)."""
    if not err_console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn

    with progress_bar(TextColumn("Suggesting"), BarColumn(), MofNCompleteColumn()) as progress:
        task = progress.add_task("suggest", total=None)
        yield lambda done, total: progress.update(task, completed=done, total=total, refresh=True)


@suggest_app.command("train")
def train_cli(
    source: SourceOption = None,
    min_examples: MinExamplesOption = DEFAULT_MIN_EXAMPLES,
    codes: CodesOption = None,
    seed: SeedOption = DEFAULT_SEED,
    epochs: EpochsOption = DEFAULT_EPOCHS,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    actor: ActorOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Train the learned engine on the coded participant segments, and store the model in the project.

    A spaCy text classifier (one label per code applied to at least --min-examples segments), trained on
    this machine with no pretrained vectors; nothing is downloaded or sent anywhere. A fifth of the
    transcripts is kept out to choose the epoch and calibrate the scores. Use it with
    "wei-qual suggest --engine learned"; measure it with "wei-qual suggest evaluate --engine learned --folds 5".

        \b
        wei-qual suggest train --source majority --min-examples 8
    """
    from ..suggest import train as core

    with user_errors(), _epoch_bar("Training") as on_epoch:
        result = core.train(
            open_db(db_path, create=False),
            source=source,
            min_examples=min_examples,
            codes=split_names(codes),
            seed=seed,
            epochs=epochs,
            on_epoch=(lambda epoch, total, f1: on_epoch(1, 1, epoch, total, f1)) if on_epoch else None,
            actor=actor_or(actor, "suggest train"),
        )
    if result.warning:
        warn(result.warning)
    if fmt == ListFormat.json:
        echo_data(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return
    from .suggest_render import train_lines

    for line in train_lines(result):
        console.print(line, soft_wrap=True)


@suggest_app.command("models")
def models_cli(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """List the learned models stored in the project, newest first, marking those out of date.

    A model is out of date when another codebook version is active or its source's decisions changed
    since it was trained.

        \b
        wei-qual suggest models --format json
    """
    from ..suggest import train as core

    with user_errors():
        models = core.list_models(open_db(db_path, create=False))
    if fmt == ListFormat.json:
        echo_data(json.dumps([m.to_json() for m in models], indent=2, ensure_ascii=False))
        return
    if not models:
        info('No learned models. Train one with "wei-qual suggest train".')
        return
    from .suggest_render import render_models

    with full_width(wide):
        console.print(render_models(models))


@contextlib.contextmanager
def _epoch_bar(what: str) -> "Iterator[Callable[[int, int, int, int, float | None], None] | None]":
    """A transient bar on stderr (on a terminal): fold (when more than one), epochs, held-out F1."""
    if not err_console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("epochs  held-out F1 {task.fields[score]}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task(what, total=None, score="-")

        def update(fold: int, folds: int, epoch: int, epochs: int, f1: float | None) -> None:
            label = what if folds == 1 else f"{what} fold {fold}/{folds}"
            score = "-" if f1 is None else f"{f1:.3f}"
            progress.update(task, description=label, completed=epoch, total=epochs, score=score)

        yield update


@suggest_app.command("evaluate")
def evaluate_cli(
    coder: Annotated[
        str | None,
        typer.Option("--coder", "-c", help="Compare stored suggestions with this coder's decisions."),
    ] = None,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.0, max=1.0, help="Count suggestions scoring at least this.")
    ] = EVALUATE_MIN_SCORE,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine", help="Suggestions of this engine (default: the last one run); learned with --folds."
        ),
    ] = None,
    folds: Annotated[
        int | None,
        typer.Option(
            "--folds",
            min=2,
            help="Cross-validate the learned engine: train on the other folds of transcripts, test on each.",
        ),
    ] = None,
    source: SourceOption = None,
    min_examples: MinExamplesOption = DEFAULT_MIN_EXAMPLES,
    codes: CodesOption = None,
    seed: SeedOption = DEFAULT_SEED,
    epochs: EpochsOption = DEFAULT_EPOCHS,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Measure suggestions: stored ones against a coder (--coder), or the learned engine by cross-validation
    by transcript against a source, beside the rules on the same folds (--engine learned --folds 5).

    Per code and micro/macro: precision, recall and F1; with --folds also Krippendorff's alpha of each
    engine as one more coder beside the source, and how reliable the model's scores are.
    Also reports how often codes suggested on screen in the coding session were accepted.

        \b
        wei-qual suggest evaluate --coder alice --min-score 0.5 --format json
        wei-qual suggest evaluate --engine learned --folds 5 --source majority
    """
    if folds is not None:
        with full_width(wide):
            _crossval(engine, folds, source, min_examples, codes, seed, epochs, min_score, fmt, db_path)
        return
    if coder is None:
        raise typer.BadParameter(
            "Pass --coder NAME to measure stored suggestions, or --engine learned --folds 5 to cross-validate "
            "the learned engine.",
            param_hint="--coder",
        )
    from .. import suggest as core
    from ..coders import resolve_coder

    with user_errors():
        db = open_db(db_path, create=False)
        found = resolve_coder(db, coder, new_ok=True, option="--coder")  # unknown: "has no decisions"
        if found.warning and not found.new:
            warn(found.warning)
        coder = found.name
        result = core.evaluate_suggestions(db, coder=coder, min_score=min_score, engine=engine)
    if result.warning:
        warn(result.warning)
    if fmt == ListFormat.json:  # with the coder name read in another case, said above
        echo_data(json.dumps(with_warnings_said(result.to_json()), indent=2))
        return
    console.print(
        f"Suggestions ({escape(result.engine)}, score >= {result.min_score:g}) against {escape(coder)} "
        f"on {result.segments} decided segments:"
    )
    with full_width(wide):
        console.print(render_evaluation(result))
    console.print(_acceptance_line(result.acceptance))


def _crossval(engine, folds, source, min_examples, codes, seed, epochs, min_score, fmt, db_path) -> None:
    if engine not in (None, "learned"):
        raise typer.BadParameter(
            "--folds cross-validates the learned engine (the rules are measured on the same folds). "
            "Pass --engine learned.",
            param_hint="--engine",
        )
    from ..suggest import crossval as core

    with user_errors(), _epoch_bar("Cross-validating") as on_progress:
        result = core.cross_validate(
            open_db(db_path, create=False),
            source=source,
            folds=folds,
            seed=seed,
            epochs=epochs,
            min_examples=min_examples,
            codes=split_names(codes),
            min_score=min_score,
            on_progress=on_progress,
        )
    if fmt == ListFormat.json:
        echo_data(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return
    from .suggest_render import (
        render_crossval,
        render_folds,
        render_reliability,
        too_few_line,
        worse_lines,
    )

    console.print(
        f"{result.units} segments of {result.transcripts} transcripts under source {escape(result.source)}; "
        f"a code counts as suggested at score >= {result.min_score:g}; seed {result.seed}, {result.epochs} epochs.",
        soft_wrap=True,
    )
    console.print(render_crossval(result))
    for line in worse_lines(result):
        console.print(line, soft_wrap=True)
    few = too_few_line(result.too_few, result.min_examples)
    if few:
        console.print(few, soft_wrap=True)
    console.print(render_folds(result))
    console.print(render_reliability(result))


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def render_evaluation(result: "core.Evaluation") -> "FitTable":
    from .tables import Column, FitTable

    table = FitTable(
        Column("code", kind="id"),
        *(Column(name, kind="number", priority=1) for name in ("tp", "fp", "fn")),
        *(Column(name, kind="number") for name in ("precision", "recall", "F1")),
        hint="--wide or --format json",
    )
    for s in result.codes:
        table.add_row(s.code, str(s.tp), str(s.fp), str(s.fn), _fmt(s.precision), _fmt(s.recall), _fmt(s.f1))
    m = result.micro
    table.add_section()
    table.add_row("micro", str(m.tp), str(m.fp), str(m.fn), _fmt(m.precision), _fmt(m.recall), _fmt(m.f1))
    table.add_row("macro", "", "", "", *(_fmt(result.macro[k]) for k in ("precision", "recall", "f1")))
    return table


def _acceptance_line(acc: dict) -> str:
    if not acc["shown"]:
        return "No suggestions were shown in this coder's coding sessions."
    return (
        f"Accepted {acc['accepted']} of {acc['shown']} codes suggested on screen "
        f"({acc['rate']:.0%}, {acc['decisions']} decisions)."
    )


def list_cli(
    transcript: TranscriptOption = None,
    engine: Annotated[
        str | None, typer.Option("--engine", help="Suggestions of this engine. Default: the last one run.")
    ] = None,
    min_score: Annotated[
        float | None,
        typer.Option("--min-score", min=0.0, max=1.0, help="Only suggestions scoring at least this."),
    ] = None,
    include_stale: Annotated[
        bool, typer.Option("--include-stale", help="Also list suggestions made for other codebook versions.")
    ] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """List stored suggestions with their score and evidence (current codebook version by default).

    \b
    wei-qual suggestions list --transcript P01 --format json
    """
    from .. import suggest as core

    with user_errors():
        items = core.list_suggestions(
            open_db(db_path, create=False),
            transcripts=transcript,
            engine=engine,
            include_stale=include_stale,
            min_score=min_score,
        )
    if fmt == ListFormat.json:
        data = []
        for s, stale in items:
            item = {
                "transcript": s.transcript,
                "segment": s.segment,
                "code": s.code,
                "score": s.score,
                "evidence": [core.evidence_to_dict(e) for e in s.evidence],
                "engine": s.engine,
                "model": s.model_id,
            }
            if include_stale:
                item["stale"] = stale
            data.append(item)
        echo_data(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not items:
        info('No suggestions. Compute them with "wei-qual suggest".')
        return
    with full_width(wide):
        console.print(render_suggestions(items, include_stale=include_stale))


def _negated_by(e) -> str:
    """'by "don't"; ' in a negated span's parenthesis: the cue that negates it, when the row names one."""
    return f'by "{e.cue}"; ' if e.negated and e.cue else ""


def render_suggestions(items: list[tuple], *, include_stale: bool = False) -> "FitTable":
    from .tables import Column, FitTable

    columns = [
        Column("transcript", kind="id"),
        Column("segment", kind="number"),
        Column("code", kind="id"),
        Column("score", kind="number"),
        Column("evidence", kind="long", priority=2),
    ]
    if include_stale:
        columns.append(Column("stale", priority=1, min_width=5))
    table = FitTable(*columns, hint="--wide or --format json")
    for s, stale in items:
        evidence = "; ".join(
            f"{'excluded ' if e.excluded else ''}{'negated ' if e.negated else ''}"
            f'{"counterfactual " if e.counterfactual else ""}"{e.words}" '
            f"({_negated_by(e)}{e.source}, {e.start}-{e.end})"
            for e in s.evidence
        )
        row = [s.transcript, str(s.segment), s.code, f"{s.score:.2f}", evidence]
        table.add_row(*row, *(["yes" if stale else ""] if include_stale else []))
    return table


suggestions_app.command("list")(list_cli)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(suggest_app, name="suggest", rich_help_panel=PANEL)
    app.add_typer(suggestions_app, name="suggestions", rich_help_panel=PANEL)
