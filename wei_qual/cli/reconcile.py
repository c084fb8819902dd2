"""Command: reconcile, the lead walks the coders' disagreements and records consensus.

Same screen conventions as `wei-qual code`: one line per action, each decision committed at once,
q (or end of input) quits and a later run resumes where the lead stopped (reconciled units are skipped).
The screen and loop live in wei_qual.cli.reconcile_screen (re-exported here), loaded when the command runs.
"""

import shlex
from typing import Annotated

import typer

from ..console import console, info, user_errors, warn
from ..errors import AgreementError
from .options import (
    DEFAULT_DB_PATH,
    DbOption,
    Kind,
    KindOption,
    codes_outside,
    consensus_lookalikes,
    resolve_coder_options,
)


def reconcile_cli(
    coder: Annotated[
        str,
        typer.Option(
            "--coder", "-c", help="You, the lead: recorded as the author of each consensus decision."
        ),
    ],
    coders: Annotated[
        str | None,
        typer.Option(
            "--coders",
            help="Comma-separated coders to reconcile (default: every coder with decisions except consensus).",
        ),
    ] = None,
    consensus: Annotated[
        str, typer.Option("--as", help="Coder name the consensus decisions are stored under.")
    ] = "consensus",
    accept_agreed: Annotated[
        bool,
        typer.Option("--accept-agreed", help="First copy every segment the coders agree on into consensus."),
    ] = False,
    accept_single: Annotated[
        bool,
        typer.Option(
            "--accept-single",
            help="Also copy every segment only one coder decided, in a transcript nobody else codes, into "
            "consensus as coded: the single-coded share of the study is final as its coder coded it.",
        ),
    ] = False,
    no_interactive: Annotated[
        bool,
        typer.Option(
            "--no-interactive",
            help="Do not walk the disagreements (use with --accept-agreed or --accept-single in scripts).",
        ),
    ] = False,
    revisit: Annotated[
        bool,
        typer.Option(
            "--revisit",
            help="Walk again the disagreements consensus already decided by hand, each opening with the codes "
            "and rationale saved: to change a rationale, or to look again at a turn a coder decided since.",
        ),
    ] = False,
    transcript: Annotated[
        list[str] | None, typer.Option("--transcript", "-t", help="Only this transcript id (repeatable).")
    ] = None,
    include_interviewer: Annotated[
        bool, typer.Option("--include-interviewer", help="Reconcile interviewer turns too.")
    ] = False,
    kind: KindOption = Kind.interview,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Walk the coders' disagreements and record the final codes, with a rationale, as consensus.

    Each screen shows the segment and every coder's codes side by side. Type numbers or code ids to
    toggle, Enter to save (you are asked for a rationale), 0 for "nothing applies", s to skip, b to go
    back, g N to go to disagreement N, /WORDS to search them, m (mt, mc ID) to write a memo on the segment
    (its transcript, a code), m? to read them, ! to read the last message whole, q to quit; a later run
    resumes.

        \b
        wei-qual reconcile --coder lead --coders alice,bob --accept-agreed
        wei-qual reconcile --coder lead --accept-single --no-interactive
        wei-qual agree --coders alice,consensus
    """
    from .. import agree
    from ..store import open_db
    from ..store.decisions import consensus_coverage
    from .line_input import read_line
    from .reconcile_screen import run_reconcile

    with user_errors():
        if not coder.strip():
            raise AgreementError("The lead's name is empty. Pass it with --coder, e.g. --coder lead.")
        db = open_db(db_path, create=False)
        # Turns holding a removed code are neither copied nor walked: they wait for recoding.
        outside = codes_outside(db)
        consensus_lookalikes(db)  # a "Consensus" stored as a coder would be reconciled as one
        from ..coders import resolve_coder

        found = resolve_coder(db, coder, new_ok=True)
        if found.warning:
            warn(found.warning)
        lead = found.name
        stored_as = resolve_coder(db, consensus, new_ok=True, option="--as")  # names ignore case here too
        if stored_as.warning:
            warn(stored_as.warning)
        consensus = stored_as.name
        names, _ = resolve_coder_options(db, coders, None)
        from ..decisions_io import refused_message, refused_on_import
        from ..store.decisions import iter_decisions

        # Saved before a codebook version made a group exclusive (loaded with --force): said, as its export
        # would not import again, and reconcile saves no such codes.
        stale = refused_on_import(db, iter_decisions(db, coders=[consensus]))
        if stale:
            warn(refused_message(stale, lead=lead))
        scope = {
            "coders": names,
            "consensus": consensus,
            "actor": lead,
            "transcripts": transcript,
            "include_interviewer": include_interviewer,
            "kind": kind.value,
        }
        held: list[tuple[str, int]] = []  # turns whose codes consensus cannot hold: never copied
        if accept_agreed:
            copied = agree.accept_agreed(db, **scope, held=held)
            info(f"Copied {copied} agreed segments into {consensus}.")
        if accept_single:
            single = agree.accept_single(db, **scope, held=held)
            info(
                f"Copied {single.copied} single-coded segments into {consensus}, as their coder coded them."
                + (
                    f" {single.waiting} segment{'s' if single.waiting != 1 else ''} of double-coded transcripts "
                    f"{'have' if single.waiting != 1 else 'has'} one coder so far: left for the second."
                    if single.waiting
                    else ""
                )
            )
        if held:
            shown = ", ".join(f"{t}:{n}" for t, n in held[:5]) + (
                f" and {len(held) - 5} more" if len(held) > 5 else ""
            )
            warn(
                f"{len(held)} segment{'s' if len(held) != 1 else ''} ({shown}) {'were' if len(held) != 1 else 'was'} "
                "not copied into "
                f"{consensus}: the coders' codes hold two codes of one exclusive group, or a code that is a theme "
                "heading now (decided under an earlier codebook version), which consensus cannot hold. Recode them "
                f'("wei-qual code --coder NAME --recode --from {held[0][0]}:{held[0][1]}"), then run reconcile again.'
            )
        if no_interactive:
            _decided_without(db, None, names, consensus, lead, revisit=False)
            _left_for_recode(db, consensus, outside, kind)
            return
        sel, queue = agree.reconcile_queue(
            db,
            coders=names,
            consensus=consensus,
            transcripts=transcript,
            include_interviewer=include_interviewer,
            kind=kind.value,
            revisit=revisit,
        )
        _decided_without(db, sel.units, sel.coders, consensus, lead, revisit)
        if not queue:
            info(f"No disagreements left to reconcile among {', '.join(sel.coders)}.")
            _left_for_recode(db, consensus, outside, kind)
            return
        before = _decided_by_hand(db, consensus) if revisit else set()
        keys = [(d.unit.transcript, d.unit.segment) for d in queue]

        def closing(saved: int, skipped: int, how: str | None = None) -> tuple[str, int]:
            """How far the walk got and how to resume (`how`: "Stopped", "Done", or None after a kill,
            which says "Stopped by SIGTERM" itself); and how many disagreements are left."""
            left = len(queue) - saved
            if revisit:  # --revisit walks decided ones too: only those never decided are left to resume
                left = sum(k not in before for k in keys) - len(
                    _decided_by_hand(db, consensus) & set(keys) - before
                )
            again = sum(k in before for k in keys)
            said = (
                f"reconciled {saved} of {len(queue)} disagreement{'s' if len(queue) != 1 else ''} into {consensus}"
                + (f" ({again} decided before, walked again with --revisit)" if again else "")
                + (f" ({skipped} skipped)" if skipped else "")
                + (f"; {left} left, run the same command to resume." if left else ".")
            )
            return (f"{how}: {said}" if how else said[0].upper() + said[1:]), left

        saved, skipped, stopped = run_reconcile(
            db,
            sel,
            queue,
            consensus=consensus,
            lead=lead,
            read_line=read_line,
            out=console,
            closing=lambda saved, skipped: closing(saved, skipped)[0],
        )
        said, left = closing(saved, skipped, "Stopped" if stopped else "Done")
    info(said)
    _left_for_recode(db, consensus, outside, kind)
    decided, _ = consensus_coverage(db, consensus)
    # Stopped with disagreements left, consensus holds only what was settled, the agreed copies mostly: a
    # coder compared with it then agrees on every unit (alpha 1.000, "reliable") whatever the coding was.
    # The resume line above is the one thing to do next, as when a coding session is stopped.
    if decided and not left:  # an empty consensus has nothing to compare with yet
        pair = shlex.quote(f"{sel.coders[0]},{consensus}")
        info(f'Compare a coder with it: "wei-qual agree --coders {pair}".')


def _decided_by_hand(db, consensus: str) -> set[tuple[str, int]]:
    """The turns consensus decided by hand (not its copies)."""
    from ..agree import is_copy
    from ..store.decisions import iter_decisions

    return {(d.transcript, d.segment) for d in iter_decisions(db, coders=[consensus]) if not is_copy(d)}


def _decided_without(db, units, coders, consensus: str, lead: str, revisit: bool) -> None:
    """Warn about the turns consensus decided by hand that a coder has decided otherwise since (a packet
    merged after the meeting, a coder who joined, a recode): the lead never saw those codes, and nothing
    walked them again."""
    from .. import agree

    late = agree.decided_without(db, consensus, units, coders)
    if not late:
        return
    shown = ", ".join(f"{t}:{n} ({', '.join(coders)})" for t, n, coders in late[:5]) + (
        f" and {len(late) - 5} more" if len(late) > 5 else ""
    )
    one = len(late) == 1
    again = (
        f"g {late[0][0]}:{late[0][1]} goes to {'it' if one else 'the first'} in this walk"
        if revisit
        else f'look at {"it" if one else "them"} again with "wei-qual reconcile --coder {shlex.quote(lead)} --revisit"'
        + (f" --as {shlex.quote(consensus)}" if consensus != "consensus" else "")
        + f" (g {late[0][0]}:{late[0][1]} goes to {'it' if one else 'the first'})"
    )
    warn(
        f"{len(late)} turn{'' if one else 's'} {consensus} decided by hand {'was' if one else 'were'} decided "
        f"otherwise by a coder since: {shown}. The consensus was made without those codes: {again}; saving "
        f"{'it' if one else 'one'}, changed or not, records that you looked at it again."
    )


def _left_for_recode(db, consensus: str, outside: dict[str, int], kind: Kind) -> None:
    """Say how many participant turns consensus still lacks that reconcile cannot fill: their coders'
    codes hold one the active codebook removed or made a theme heading, so no run of reconcile takes them."""
    from ..store.decisions import consensus_gaps

    recode = consensus_gaps(db, consensus, outside).recode if outside and kind != Kind.document else 0
    if recode:
        info(
            f"{recode:,} participant turn{'s' if recode != 1 else ''} coded with a code the active codebook removed "
            f"or made a theme heading {'are' if recode != 1 else 'is'} left out of {consensus}: reconcile never takes such a code. Recode "
            f'{"them" if recode != 1 else "it"} first ("wei-qual code --coder NAME --recode").'
        )


def __getattr__(name: str):
    """The screen and loop (render_reconcile_screen, run_reconcile, HELP_LINE) are loaded on first use."""
    if name.startswith("__"):  # __path__, __wrapped__ ...: probed by import machinery and tools
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import reconcile_screen

    try:
        return getattr(reconcile_screen, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("reconcile", rich_help_panel="Reliability")(reconcile_cli)
