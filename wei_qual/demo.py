"""The demo: the whole pipeline on the bundled fictional sample, into a fresh project."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import WeiQualError

DEMO_CODERS = ("alice", "bob")  # the two fictional coders in transcripts_sample/decisions/
DEMO_LEAD = "lead"
# The fictional team's memos, so that "wei-qual memos" (the README's "Reading your data") has something
# to give back on the demo: (coder, on, target, text). None quotes a transcript.
DEMO_MEMOS = (
    (
        "alice",
        "code",
        "csu-excluded-intoxication",
        "Boundary: a unit asking for medical clearance first is this code; the wait at the ER is ed-holding.",
    ),
    ("bob", "segment", "P02:14", "Intoxication refusal and the ER wait in one turn: both codes apply."),
    ("lead", "transcript", "P06", "Recording starts late; the first minute of the interview is missing."),
)
# How the demo's fictional lead settles each disputed unit: by a rule, where a real lead reads the turn
# and decides. Saved as each decision's rationale and said in the methods passage and on the terminal.
DEMO_RULE = "demo rule: the codes both coders applied (a real lead reads each disagreement and decides)"
DEMO_RULE_METHODS = (
    "In this fictional demo, each disagreement was settled by a rule, not by discussion: consensus kept "
    "the codes both coders applied and left out those only one of them applied."
)
DEMO_DIR = Path("wei-qual-demo")
DEMO_MARK = "demo"  # settings key: this project is the demo's own
DOCUMENTS = "documents"  # the sample's fictional policy documents, with their attributes and decisions


def find_sample_dir() -> Path:
    """The bundled sample: beside the package in a source checkout, else the copy an installed wheel
    carries, else ./transcripts_sample."""
    here = Path(__file__).resolve().parent
    for candidate in (
        here.parent / "transcripts_sample",
        here / "sample_data" / "transcripts",
        Path("transcripts_sample"),
    ):
        if (candidate / "participants.csv").is_file():
            return candidate
    raise WeiQualError(
        "The bundled sample (transcripts_sample/) was not found: this installation lacks it. Run the demo "
        "from a source checkout, or pass --sample DIR."
    )


def find_codebook(sample_dir: Path) -> Path:
    path = sample_dir.parent / "codebooks" / "wei_crisis_response.yaml"
    if not path.is_file():
        raise WeiQualError(
            f'The starter codebook "{path}" was not found. Run the demo from a source checkout.'
        )
    return path


@dataclass
class DemoResult:
    db_path: Path
    report_path: Path
    methods_path: Path
    methods_first: str  # the first paragraph of the methods passage
    codebook: Any  # codebook.LoadResult
    imports: dict[str, Any]  # coder -> decisions_io.ImportResult (interviews)
    agreement: Any  # agree.AgreementResult
    consensus_saved: int  # agreed units copied into consensus
    themes: Any  # report.themes.ThemeTable
    compare: Any = None  # report.compare.CompareTable: policy and practice by jurisdiction
    document_imports: dict[str, Any] = field(default_factory=dict)  # coder -> ImportResult (documents)
    settled: int = 0  # disputed units consensus settled by DEMO_RULE


def _fresh_project(out_dir: Path, sample_dir: Path) -> Path:
    """Make the demo folder and remove the project of an earlier demo there; return the project's path.
    Raises WeiQualError, in one line, for a folder that cannot be made or written."""
    import os

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        in_the_way = next((p for p in (out_dir, *out_dir.parents) if p.exists() and not p.is_dir()), out_dir)
        raise WeiQualError(f'"{in_the_way}" is a file, not a folder. Pass another --out.') from None
    except OSError as ex:
        raise WeiQualError(
            f'Cannot make the demo folder "{out_dir}" ({ex.strerror}). Pass another --out.'
        ) from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise WeiQualError(
            f'Cannot write in the demo folder "{out_dir}" (permission denied). Pass another --out.'
        )
    db_path = out_dir / "demo.db"
    project = (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm"))
    for path in (*project, out_dir / "report.html", out_dir / "methods.md"):
        if path.is_dir() and not path.is_symlink():
            raise WeiQualError(
                f'"{path}" is a folder, where the demo writes a file of that name. Move it away, or pass '
                "another --out."
            )
    if db_path.is_file() and not _made_by_demo(db_path, sample_dir):
        from .store import peek_project

        # A file that is no project at all (a download, a note) is not called one.
        what = "a project" if peek_project(db_path, DEMO_MARK) is not None else "a file (no wei-qual project)"
        raise WeiQualError(
            f'"{db_path}" is {what} the demo did not make, and the demo starts its own afresh there: it '
            "is left alone. Pass another --out."
        )
    for leftover in project:
        try:
            leftover.unlink(missing_ok=True)
        except OSError as ex:
            raise WeiQualError(
                f'Cannot replace the earlier demo project "{leftover}" ({ex.strerror}). Pass another --out.'
            ) from None
    return db_path


def _made_by_demo(db_path: Path, sample_dir: Path) -> bool:
    """Whether the project at db_path is one an earlier demo made (its mark, or, made before the demo
    marked its projects, only the sample's transcripts), read without changing it."""
    from .store import peek_project

    seen = peek_project(db_path, DEMO_MARK)
    if seen is None:  # not a project at all (or not one that can be read): not the demo's
        return False
    mark, ids = seen
    if mark == "1":
        return True
    sample = {p.stem for p in (*sample_dir.iterdir(), *sample_dir.joinpath(DOCUMENTS).glob("*"))}
    return bool(ids) and ids <= sample


def run_demo(
    out_dir: Path = DEMO_DIR,
    *,
    sample_dir: Path | None = None,
    on_step: Callable[[str], None] | None = None,
) -> DemoResult:
    """Ingest the sample (interviews and, from its documents/ folder, two policy documents), load the
    starter codebook, suggest, import two coders' decisions, measure agreement, accept agreed units into
    consensus, settle the disputed ones by DEMO_RULE (so the reports read as a finished study), and build theme tables, the policy and practice table, report.html and methods.md.

    The project is `out_dir/demo.db`, created afresh each run (the demo's own file, nothing else is touched).
    """
    from .agree import accept_agreed, measure
    from .codebook import load_into_project
    from .decisions_io import import_decisions
    from .deid import add_to_project_allowlist, load_allow_file
    from .ingest import ingest_files
    from .report.compare import default_compare
    from .report.data import load_report_data
    from .report.html import build_html
    from .report.methods import build_methods
    from .report.methods_text import first_paragraph, methods_markdown
    from .report.saturation import saturation_order
    from .report.themes import build_theme_table
    from .report.writers import write_file
    from .store import open_db, save_setting
    from .store.decisions import save_memo
    from .suggest import run_suggest

    step = on_step or (lambda _: None)
    sample_dir = sample_dir or find_sample_dir()
    db_path = _fresh_project(out_dir, sample_dir)
    db = open_db(db_path)
    save_setting(db, DEMO_MARK, "1")  # a later demo may replace this project, and only this one

    step("Ingesting the sample transcripts")
    allow = sample_dir / "allowlist.lst"  # the team's interviewer name and Otter's footer: not identifiers
    if allow.is_file():
        add_to_project_allowlist(db, load_allow_file(allow))
    ingested = ingest_files(db, [sample_dir], attributes_csv=sample_dir / "participants.csv")
    failed = [o for o in ingested.outcomes if o.status == "failed"]
    if failed:
        raise WeiQualError(f"The sample did not ingest: {failed[0].message}")
    if ingested.warnings or ingested.with_warnings:  # the bundled sample must read cleanly
        first = ingested.warnings or [
            w.message for o in ingested.with_warnings for w in o.transcript.warnings
        ]
        raise WeiQualError(f"The sample did not ingest cleanly: {first[0]}")
    documents = sample_dir / DOCUMENTS
    if documents.is_dir():
        step("Ingesting the sample policy documents")
        docs = ingest_files(db, [documents], kind="document", attributes_csv=documents / "documents.csv")
        trouble = [o.message for o in docs.failed] + docs.warnings
        trouble += [w.message for o in docs.with_warnings for w in o.transcript.warnings]
        if trouble:
            raise WeiQualError(f"The sample documents did not ingest cleanly: {trouble[0]}")
    step("Loading the starter codebook")
    loaded = load_into_project(db, find_codebook(sample_dir), actor=DEMO_LEAD)
    step("Suggesting codes with spaCy rules")
    run_suggest(db)
    step("Importing two fictional coders' decisions")
    imports = {
        coder: import_decisions(db, sample_dir / "decisions" / f"{coder}.csv") for coder in DEMO_CODERS
    }
    if documents.is_dir():
        step("Importing their decisions on the policy documents")
        doc_imports = {
            coder: import_decisions(db, documents / "decisions" / f"{coder}.csv") for coder in DEMO_CODERS
        }
    else:
        doc_imports = {}
    step("Adding the coders' memos")
    for coder, target_type, target_id, text in DEMO_MEMOS:
        save_memo(db, coder, target_type, target_id, text)
    step("Measuring agreement (1,000 bootstrap draws)")
    agreement = measure(db, coders=list(DEMO_CODERS))
    step("Copying agreed units into consensus")
    saved = accept_agreed(db, coders=list(DEMO_CODERS), actor=DEMO_LEAD, kind="all")
    step("Settling the disputed units by the demo's rule")
    settled = _settle_by_rule(db)
    step("Building theme tables and the HTML report")
    data = load_report_data(db, source="consensus", with_coders=True)
    themes = build_theme_table(data, by=["role"])
    report_path = out_dir / "report.html"
    order = saturation_order(db, data, "ingest")
    compare = default_compare(db, source="consensus")  # policy and practice by jurisdiction
    write_file(
        report_path,
        build_html(data, by=["role", "setting"], order=order, order_name="ingest", compare=compare),
    )
    if compare is not None:  # what the terminal shows: the jurisdictions that have a policy document
        compare = default_compare(db, source="consensus", documented_only=True)
    step("Writing the methods passage")
    methods = build_methods(db, coders=list(DEMO_CODERS))
    methods.how_reconciled = DEMO_RULE_METHODS
    methods_path = out_dir / "methods.md"
    write_file(methods_path, methods_markdown(methods))
    db.close()
    return DemoResult(
        db_path=db_path,
        report_path=report_path,
        methods_path=methods_path,
        methods_first=first_paragraph(methods),
        codebook=loaded,
        imports=imports,
        agreement=agreement,
        consensus_saved=saved,
        themes=themes,
        compare=compare,
        document_imports=doc_imports,
        settled=settled,
    )


def _settle_by_rule(db) -> int:
    """Give every disputed unit (interviews and documents) a consensus decision by DEMO_RULE: the codes
    both coders applied, "nothing applies" when they share none (never two of an exclusive group, since
    each coder's own codes hold at most one). Saved as accept_agreed saves its copies, in one transaction
    (save_consensus reads the codebook again for each unit: too slow for a timed demo). Returns how many."""
    from .agree import reconcile_queue
    from .agree.consensus import coders_excerpts
    from .models import ALL_KINDS, Decision
    from .store import transaction
    from .store.decisions import iter_excerpts, save_decision

    _, queue = reconcile_queue(db, coders=list(DEMO_CODERS), kind=ALL_KINDS)
    found = iter_excerpts(db, coders=list(DEMO_CODERS))
    with transaction(db):
        for item in queue:
            unit = item.unit
            excerpts = coders_excerpts(found, unit, unit.decided, item.agreed)
            decision = Decision(
                unit.transcript,
                unit.segment,
                "consensus",
                item.agreed,
                rationale=DEMO_RULE,
                excerpts=excerpts,
            )
            save_decision(db, decision, actor=DEMO_LEAD)
    return len(queue)
