"""Command: demo, the whole pipeline on the bundled fictional sample."""

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..console import console, err_console, full_width, user_errors
from ..demo import DEMO_CODERS, DEMO_DIR
from ..models import plural
from .options import WideOption

SHOWN_SUGGESTIONS = 5


def demo_cli(
    out_dir: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            "--out",
            file_okay=False,
            help="Folder for the demo project, report.html and methods.md (an earlier demo's project there is replaced; any other demo.db is left alone).",
        ),
    ] = DEMO_DIR,
    sample: Annotated[
        Path | None,
        typer.Option("--sample", file_okay=False, help="Sample folder (default: the bundled one)."),
    ] = None,
    wide: WideOption = False,
) -> None:
    """Run the whole pipeline on the bundled fictional sample into a fresh project.

    Ingest, load the starter codebook, suggest codes, import two fictional coders' decisions, measure
    agreement, accept agreed units into consensus, settle the disputed ones by a stated rule (the
    codes both coders applied), print theme tables by role and write report.html and
    methods.md (the methods passage, whose first paragraph is printed at the end).

        \b
        wei-qual demo --out wei-qual-demo
    """
    from ..codebook.versions import decision_counts
    from ..demo import run_demo
    from ..store import open_db
    from ..store.transcripts import iter_transcript_summaries
    from ..suggest import list_suggestions

    with user_errors():
        result = run_demo(
            out_dir, sample_dir=sample, on_step=lambda s: err_console.print(f"· {s}…", markup=False)
        )
        db = open_db(result.db_path, create=False)
        transcripts = iter_transcript_summaries(db)
        suggestions = list_suggestions(db)
        counts = decision_counts(db)

    with full_width(wide):
        _print_demo(result, transcripts, suggestions, counts)
    err_console.print(
        f"Project: {escape(str(result.db_path))}   Report: {escape(str(result.report_path))}   "
        f"Methods: {escape(str(result.methods_path))}\n"
        f"Try: wei-qual code --coder you --db {escape(str(result.db_path))}"
    )


def _print_demo(result, transcripts, suggestions, counts) -> None:
    from ..codebook.render import render_tree
    from .agree_render import render_agreement
    from .report import render_report_table
    from .suggest import render_suggestions
    from .tables import Heading
    from .transcripts import render_transcript_list

    console.print(Heading("Transcripts"))
    console.print(render_transcript_list(transcripts, hint="wei-qual demo --wide"))
    console.print(Heading("Codebook"))
    console.print(render_tree(result.codebook.version, result.codebook.codebook, counts))
    console.print(
        Heading(f"Suggestions (first {SHOWN_SUGGESTIONS} of {len(suggestions)}, with their evidence)")
    )
    console.print(render_suggestions(suggestions[:SHOWN_SUGGESTIONS]))
    console.print(Heading("Decisions"))
    for coder, imported in result.imports.items():
        on_docs = result.document_imports.get(coder)
        docs = f" (and {on_docs.created} on the policy documents)" if on_docs else ""
        console.print(f"{escape(coder)}: {imported.created} decisions imported{docs}", highlight=False)
    console.print(Heading(f"Agreement between {' and '.join(DEMO_CODERS)}"))
    console.print(
        render_agreement(
            result.agreement, hint="wei-qual demo --wide, or all values with wei-qual agree --format csv"
        )
    )
    console.print(Heading("Themes by role (consensus)"))
    console.print(
        f"Consensus: {plural(result.consensus_saved, 'agreed unit')} copied as the coders coded "
        f"{'it' if result.consensus_saved == 1 else 'them'}; {plural(result.settled, 'disputed unit')} "
        "settled by the demo's rule: the codes both coders applied (a real lead reads each disagreement "
        "and decides, in wei-qual reconcile).",
        highlight=False,
    )
    console.print(render_report_table(result.themes.display_table(), hint="wei-qual demo --wide"))
    if result.compare is not None:
        console.print(Heading("Policy and practice by jurisdiction (documents beside participants)"))
        console.print(render_report_table(result.compare.display_table(), hint="wei-qual demo --wide"))
    console.print(Heading("Methods (first paragraph)"))
    console.print(result.methods_first, markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("demo", rich_help_panel="Start here")(demo_cli)
