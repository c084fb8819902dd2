"""The methods passage: neutral, editable sentences and tables over a Methods (report.methods).

Sections are plain text (no Markdown inside a paragraph), so the same text goes to Markdown and HTML.
Values in square brackets are for the authors to fill in (e.g. how coders were trained).
Numbers are formatted here only: alpha and kappa with three decimals and no leading zero (APA style).
"""

from __future__ import annotations

import html
import shlex
from dataclasses import dataclass, field

from ..agree.result import MIN_UNITS_APPLIED, TOO_FEW
from ..agree.selection import idle_note
from ..models import plural
from .data import CONSENSUS, elsewhere_hint
from .methods import Methods
from .writers import Table, md_escape, to_markdown

REFERENCES = [
    (
        "Guest, G., Namey, E., & Chen, M. (2020). A simple method to assess and report thematic saturation in "
        "qualitative research. PLoS ONE, 15(5), e0232076."
    ),
    (
        "Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the presence of high "
        "agreement. British Journal of Mathematical and Statistical Psychology, 61(1), 29-48."
    ),
    (
        "Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard reliability measure for "
        "coding data. Communication Methods and Measures, 1(1), 77-89."
    ),
    "Krippendorff, K. (2004). Content analysis: An introduction to its methodology (2nd ed.). Sage.",
    (
        "Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for "
        "Communication Departmental Papers 43."
    ),
]
LISTED_BATCHES = 8  # more batches than this are summarised (range, first, last) in the passage
METHOD_TEXT = {
    "units": "percentile bootstrap resampling units",
    "kalpha": "bootstrap resampling pairable values as Hayes & Krippendorff (2007) describe",
}


@dataclass
class Section:
    title: str
    paragraphs: list[str]
    tables: list[Table] = field(default_factory=list)


def a3(value: float | None) -> str:
    """.861, -.120, 1.000; "undefined" for None (APA: no leading zero for values bounded by 1)."""
    return "undefined" if value is None else _apa(f"{value:.3f}")


def alpha3(value: float | None) -> str:
    """An α as a3 gives it, with more digits where three would round it across a threshold (.7997)."""
    from ..agree.result import alpha_text

    return "undefined" if value is None else _apa(alpha_text(value))


def _apa(text: str) -> str:
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def ci3(ci: tuple[float | None, float | None] | list) -> str:
    """[.829, .890] (APA), or "no interval"."""
    return "no interval" if ci[0] is None or ci[1] is None else f"[{a3(ci[0])}, {a3(ci[1])}]"


def ci_clause(ci: tuple[float | None, float | None] | list, bootstrap: int) -> str:
    """ ", 95% CI [.829, .890]" after an α; ", no 95% CI" when the draws gave none; "" with no draws (the
    passage says once that no interval was computed)."""
    if not bootstrap:
        return ""
    return ", no 95% CI" if ci[0] is None or ci[1] is None else f", 95% CI {ci3(ci)}"


def pct1(part: float, whole: float) -> str:
    return "–" if not whole else f"{100 * part / whole:.1f}%"


def words1(value: float | None) -> str:
    """A word count: whole, or to one decimal where the quartile falls between two turns."""
    return "–" if value is None else f"{round(value, 1):g}"


def _and(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _stored(m: Methods) -> str:
    """ " (stored as final)" after the first mention of consensus in a section, when reconcile stored it
    under another name (--as): the name the team reads it by."""
    return "" if m.consensus == CONSENSUS else f" (stored as {m.consensus})"


def _compared(m: Methods) -> list[str]:
    """The coders the passage is about: those compared in its reliability section (--coders)."""
    return list(m.agreement.coders) if m.agreement is not None else [r["coder"] for r in m.coders]


def _by_coders(m: Methods, coders: dict[str, int]) -> str:
    """ "by 2 coders (alice and bob)": who coded turns no count holds; a coder --coders leaves out is said
    to be one ("alice, and carol, who is not compared here"), since the passage is about the others."""
    compared = set(_compared(m))
    inside = [c for c in coders if c in compared]
    outside = [c for c in coders if c not in compared]
    who = _and(inside)
    if outside:
        verb = "is" if len(outside) == 1 else "are"
        who += f"{', and ' if inside else ''}{_and(outside)}, who {verb} not compared here"
    return f"by {plural(len(coders), 'coder')} ({who})"


def sample_section(m: Methods) -> Section:
    # The participants are those with a decided turn, so they come from the transcripts with one.
    text = f"The analysis covers {plural(m.participants, 'participant')} in {plural(m.transcripts_coded, 'transcript')}"
    if m.transcripts_coded != m.transcripts:
        text += f", those of the project's {m.transcripts:,} transcripts with participant turns decided"
    note = f", {m.source_note}" if m.source_note else ""
    if m.source_coders and len(m.source_coders) > 1:  # whose majority: the coders compared below
        note = f" of {_and(m.source_coders)}{note}"
    text += f" (codes counted from source {m.source}{note})."
    splits = [
        f"by {attr}, " + _and([f"{value} {n:,}" for value, n in sizes.items()])
        for attr, sizes in m.groups.items()
    ]
    if splits:
        text += " Participants " + "; ".join(splits) + "."
    if m.consensus_covers and m.consensus_covers[0] < m.consensus_covers[1]:
        covered, decided = m.consensus_covers
        double, single, recode = m.consensus_gaps or (0, 0, 0)
        fixes = [f"reconcile the {plural(double, 'double-coded turn')}"] if double else []
        if single:
            fixes.append(
                f"take the {plural(single, 'single-coded turn')} as coded (reconcile --accept-single)"
            )
        if recode:  # reconcile never takes a code the active codebook removed
            fixes.append(
                f"recode the {plural(recode, 'turn')} coded with a code the active codebook removed or made a "
                "theme heading (code --recode)"
            )
        # Every coder's turns, those --coders leaves out too (reconcile fills them all): said so.
        whose = f"any coder decided ({_and(list(m.others))} too)" if m.others else "the coders decided"
        text += (
            f" [Consensus{_stored(m)} so far covers {covered:,} of the {decided:,} participant turns {whose}: "
            "the counts leave out the others. "
            + _sentence(_and(fixes) if fixes else "decide them")
            + " before reporting.]"
        )
    turns, coders = m.interviewer_coded
    interviewer = (
        f"{plural(turns, 'interviewer turn')} {'was' if turns == 1 else 'were'} coded too, "
        f"{_by_coders(m, coders)}, and {'is' if turns == 1 else 'are'} left out "
        f"of every count{'' if m.agreement is None else ' and of the agreement'}"
        if turns
        else "interviewer turns were not coded"
    )
    unit = (
        f"The unit of coding{'' if m.agreement is None else ' and of agreement'} was the participant speaker "
        f"turn; {interviewer}. The "
        f"{plural(m.units, 'participant turn')} had a median of {words1(m.words['median'])} words "
        f"(interquartile range {words1(m.words['q1'])}–{words1(m.words['q3'])})."
    )
    turns, coders = m.review_coded
    if turns:  # unlabelled text the session walks: neither counted nor said to be uncoded
        # A voice heard once (a label left to review) is a speaker whose role, not name, is unknown.
        whose = "whose speaker's role is not settled" if m.review_labelled else "whose speaker is not known"
        unit += (
            f" [{plural(turns, 'turn')} {whose} (role review) {'was' if turns == 1 else 'were'}"
            f" coded too, {_by_coders(m, coders)}, and "
            f"{'is' if turns == 1 else 'are'} left out of every count{'' if m.agreement is None else ' and of the agreement'}"
            + (
                # --unlabelled cannot settle a voice heard once: it has a label.
                ": set the role of their speakers (wei-qual transcripts roles ID --participant NAME to count "
                "them, --other NAME for someone who is neither interviewer nor participant, --unlabelled "
                "participant for text with no label).]"
                if m.review_labelled
                else ": give the unlabelled text a role (wei-qual transcripts roles ID --unlabelled participant) "
                f"to count {'it' if turns == 1 else 'them'}.]"
            )
        )
    turns, coders = m.other_coded
    if turns:  # coded before a person said the speaker is neither interviewer nor participant
        unit += (
            f" [{plural(turns, 'turn')} of other speakers (role other: neither interviewer nor participant) "
            f"{'was' if turns == 1 else 'were'} coded too, {_by_coders(m, coders)}, "
            f"and {'is' if turns == 1 else 'are'} left out of every count"
            f"{'' if m.agreement is None else ' and of the agreement'}.]"
        )
    return Section("Sample and unit of analysis", [text + " " + unit])


def coding_section(m: Methods) -> Section:
    a = m.agreement
    names = _compared(m)
    if a is None:
        double = "No participant turn was coded independently by two coders."
    else:
        double = (
            f"{plural(a.units, 'turn')} ({pct1(a.units, m.units)} of all participant turns) in "
            f"{plural(a.transcripts, 'transcript')} were coded independently by at least two coders."
        )
    plan = m.assignment
    if plan:
        strata = plan.get("strata") or []
        how = f"stratified by {_and(strata)}" if strata else "without stratification"
        double += (
            f" Transcripts were assigned to coders with wei-qual assign: {plan['double_coded']} of "
            f"{plan['transcripts']} transcripts (a share of {plan['double']:g}) were assigned to two coders, drawn "
            f"at random {how} (seed {plan['seed']})."
        )
    elif a is not None:
        double += " [Describe how the double-coded transcripts were chosen.]"
    turns, transcripts = m.waiting
    if turns:
        double += (
            f" [{plural(turns, 'turn')} in {transcripts:,} of the transcripts assigned to two coders "
            f"{'has' if turns == 1 else 'have'} one coder so far: the double coding is not complete.]"
        )
    decided = "; ".join(
        f'{r["coder"]} decided {plural(r["coded"], "turn")} ("nothing applies" on {r["nothing_applies"]:,})'
        for r in m.coders
    )
    if a is None:  # nothing two coders decided, so nothing to keep apart
        one = len(names) == 1
        coders = (
            f"{plural(len(names), 'coder')} ({_and(names)}) coded: {decided}. [Describe the "
            f"{'coder' if one else 'coders'} and how {'they were' if not one else 'the coder was'} trained.]"
        )
    else:
        coders = (
            f"{plural(len(names), 'coder')} ({_and(names)}) coded independently: {decided}. [Confirm "
            "that they did not see each other's decisions: wei-qual's coding session and packets show each "
            "coder only their own, but decisions imported from elsewhere are not checked. Describe the coders "
            "and how they were trained.]"
        )
    rest = {coder: n for coder, n in m.others.items() if coder not in m.idle}
    if rest:
        listed = _and([f"{coder} ({plural(n, 'turn')})" for coder, n in rest.items()])
        coders += f" [Also coded, and not compared here: {listed}.]"
    alone = {coder: n for coder, n in m.others.items() if coder in m.idle}
    if alone:  # a third coder of a shared design, given no double-coded transcript: not a left-out coder
        listed = _and([f"{coder} ({plural(n, 'turn')})" for coder, n in alone.items()])
        coders += f" [Also coded, on turns no other coder decided, so in no agreement figure: {listed}.]"
    return Section("Double coding and coders", [double, coders])


def codebook_section(m: Methods) -> Section:
    if not m.versions:
        return Section("Codebook", ["[No codebook version is recorded.]"])
    parts = []
    for v in m.versions:
        date = (v.loaded_utc or "")[:10]
        label = f' ("{v.label}")' if v.label else ""
        if v is m.versions[0]:
            change = f"{plural(v.codes, 'code')} and themes"
        else:
            bits = []
            if v.added:
                bits.append(f"added {_and(v.added)}")
            if v.returned:
                bits.append(f"brought back {_and(v.returned)} as an earlier version had it")
            if v.reused:
                bits.append(
                    f"gave the id{'s' if len(v.reused) > 1 else ''} {_and(v.reused)} of an earlier version to "
                    "another code [its decisions coded under the earlier meaning count for it: say so]"
                )
            if v.renamed:
                bits.append("renamed " + _and([f"{a} to {b}" for a, b in v.renamed]))
            if v.merged:
                bits.append("merged " + _and([f"{a} into {b}" for a, b in v.merged]))
            if v.removed:
                bits.append(f"removed {_and(v.removed)}")
            if v.changed:
                bits.append(f"revised the definitions or rules of {_and(v.changed)}")
            if v.moved:
                bits.append(
                    "moved " + _and([f"{c} under {p}" if p else f"{c} to the top level" for c, p in v.moved])
                )
            if v.relabelled:
                bits.append(f"changed the name of {_and(v.relabelled)}")
            change = "; ".join(bits) or "no change to the codes"
            change += f" ({plural(v.codes, 'code')} and themes in all)"
        parts.append(f"version {v.version}{label}, {date}: {change}")
    name = m.versions[-1].name
    text = (
        f'The codebook "{name}" went through {plural(len(m.versions), "version")}: ' + "; ".join(parts) + "."
    )
    if len(m.decisions_by_version) > 1:
        # Every coder's, those --coders leaves out too: said so, as the passage is about the chosen ones.
        whose = "The coders' decisions"
        if m.others:
            whose = f"Every coder's decisions ({_and(list(m.others))} too, not compared here)"
        text += (
            f" {whose} were recorded under "
            + _and([f"version {v} ({n:,})" for v, n in m.decisions_by_version.items()])
            + "."
        )
    gone = {code: n for code, n in m.codes_outside.items() if code not in m.codes_split}
    if gone:
        listed = _and([f"{code} ({plural(n, 'decision')})" for code, n in gone.items()])
        text += f" [Decisions still hold codes the active version does not have, counted nowhere: {listed}.]"
    split = {code: n for code, n in m.codes_outside.items() if code in m.codes_split}
    if split:  # counted apart by the reports (with_split_stubs): the theme keeps them
        listed = _and(
            [
                f"{code} ({plural(n, 'decision')}, split into {_and(list(m.codes_split[code]))})"
                for code, n in split.items()
            ]
        )
        text += (
            f" [Decisions still hold codes a version split, not yet recoded: {listed}; the tables count them in "
            "a row of their own (before split) and in their theme, and no agreement takes them.]"
        )
    if m.headings_held:
        listed = _and([f"{code} ({plural(n, 'decision')})" for code, n in m.headings_held.items()])
        text += (
            f" [Decisions still hold codes the active version made theme headings, counted in no code's row "
            f"and in no agreement: {listed}. Recode them, or split the codes, before reporting.]"
        )
    return Section("Codebook", [text])


def reliability_table(m: Methods) -> Table:
    a = m.agreement
    kappa = "Cohen's κ" if len(a.coders) == 2 else "mean Cohen's κ"
    rows = [
        [
            c.code,
            c.n_units,
            alpha3(c.alpha),
            ci3(c.alpha_ci),
            a3(c.cohen_kappa),
            a3(c.gwet_ac1),
            "–" if c.prevalence is None else f"{100 * c.prevalence:.1f}%",
            c.verdict,
        ]
        for c in a.codes
    ]
    return Table(
        "reliability",
        "Table 1. Reliability per code",
        ["Code", "Units", "α", "95% CI", kappa, "AC1", "Prevalence", "Verdict"],
        rows,
        [
            (
                "α: Krippendorff's alpha (nominal) on the code's presence or absence; AC1: Gwet's AC1; "
                "prevalence: share of coder decisions applying the code. Reliable α ≥ .800, tentative "
                ".667–.800, unreliable < .667"
                + (
                    f"; too few: applied to fewer than {MIN_UNITS_APPLIED} double-coded turns, so not judged."
                    if any(c.too_few for c in a.codes)
                    else "."
                )
            )
        ],
    )


def reliability_section(m: Methods) -> Section:
    a = m.agreement
    if a is None:
        return Section(
            "Reliability",
            [
                (
                    f"{_sentence(m.no_agreement or 'agreement between coders could not be measured')}; no "
                    "reliability coefficient is reported. [Describe how the credibility of the coding was "
                    "established instead (for example an auditor's review of the coding, peer debriefing, "
                    "member checking, or reflexive memos), and why the coding was not double-coded.]"
                )
            ],
        )
    verdicts = {
        v: [c for c in a.codes if c.verdict == v]
        for v in ("reliable", "tentative", "unreliable", "undefined", TOO_FEW)
    }
    defined = sum(c.alpha is not None for c in a.codes)
    boot = (
        f"{METHOD_TEXT[a.ci_method]}, {a.bootstrap:,} draws, seed {a.seed}"
        if a.bootstrap
        else "no confidence intervals were computed"
    )
    text = (
        "Agreement was measured with Krippendorff's alpha (nominal) on the presence or absence of each code "
        "in each double-coded turn (Krippendorff, 2004, 2011), with Cohen's kappa and Gwet's AC1 (Gwet, 2008) "
        f"for comparison. Pooled over the {plural(defined, 'code')} with a defined α"
        + (f" (of {len(a.codes):,})" if defined < len(a.codes) else "")
        + f", α = {alpha3(a.alpha_pooled)}{ci_clause(a.alpha_pooled_ci, a.bootstrap)} ({boot}); the mean of "
        f"the per-code values was {alpha3(a.alpha_mean)}."
    )
    reliable = len(verdicts["reliable"])
    counts = (
        f" {plural(reliable, 'code')} {'was' if reliable == 1 else 'were'} reliable (α ≥ .800), "
        f"{len(verdicts['tentative'])} tentative (.667 ≤ α < .800) and {len(verdicts['unreliable'])} "
        "unreliable (α < .667)"
    )
    tentative = [f"{c.code} ({alpha3(c.alpha)})" for c in verdicts["tentative"] + verdicts["unreliable"]]
    if tentative:
        counts += "; below .800: " + _and(tentative)
    if verdicts[TOO_FEW]:  # their α (1.000 from one agreed turn) is in Table 1 and counted in none above
        counts += (
            f"; {plural(len(verdicts[TOO_FEW]), 'code')} "
            f"{'was' if len(verdicts[TOO_FEW]) == 1 else 'were'} applied to too few turns to judge"
        )
    text += counts + "."
    for warning in a.warnings:  # e.g. units coded under two codebook versions: the author must say so
        if m.idle and warning.startswith(idle_note(m.idle, a.units)):
            continue  # the coders section names them ("Also coded, on turns no other coder decided")
        text += f" [{warning}]"
    if verdicts["undefined"]:
        by_reason: dict[str, list[str]] = {}
        for c in verdicts["undefined"]:
            by_reason.setdefault(c.reason or "no reason recorded", []).append(c.code)
        reasons = [f"{_and(codes)} ({reason})" for reason, codes in by_reason.items()]
        text += (
            f" α was undefined for {plural(len(verdicts['undefined']), 'code')}: " + "; ".join(reasons) + "."
        )
    if a.groups:
        groups = [
            f"{g.group} α = {alpha3(g.alpha)}{ci_clause(g.alpha_ci, a.bootstrap)}"
            # as a code's: α 1.000 from one agreed turn, "(none)" agreed on the others, judges nothing
            + (
                f" (too few to judge: its codes were applied to {plural(g.units_applied, 'turn')})"
                if g.too_few
                else ""
            )
            for g in a.groups
        ]
        text += (
            " Mutually exclusive codes were also measured as one nominal variable each: "
            + "; ".join(groups)
            + "."
        )
    for attr, subsets in a.by.items():
        parts = [
            f"{value} α = {alpha3(sub.alpha_pooled)}{ci_clause(sub.alpha_pooled_ci, a.bootstrap)} "
            f"({plural(sub.units, 'turn')})"
            for value, sub in subsets.items()
        ]
        text += f" By {attr}: " + "; ".join(parts) + "."
    caveats = [c.code for c in a.codes if c.ci_note] + [g.group for g in a.groups if g.ci_note]
    if caveats:
        text += (
            f" For {_and(caveats)}, α was undefined in more than 5% of the bootstrap draws (a rare code "
            f"drawn without variation), so {'its interval' if len(caveats) == 1 else 'their intervals'} may be "
            "too narrow."
        )
    text += " Per-code values are in Table 1."
    return Section("Reliability", [text], [reliability_table(m)])


def _turns(label: str) -> str:
    """A batch's label as the passage words it: "units 1–50" (agree's word for what it compares) is
    "turns 1–50" in a passage that calls the units turns; a week's label is kept."""
    for unit, turn in (("units ", "turns "), ("unit ", "turn ")):
        if label.startswith(unit):
            return turn + label[len(unit) :]
    return label


def diagnostics_section(m: Methods) -> Section:
    from ..agree.diagnostics import MIN_UNITS, rate_sentence

    d = m.agreement.diagnostics
    flagged = sorted(
        d.flagged, key=lambda r: (r.flag != "more", -(r.ratio or 1e9) if r.flag == "more" else r.ratio)
    )
    if len(d.coders) == 2:  # with two coders, each "more" has its mirror "less" for the other coder
        flagged = [r for r in flagged if r.flag == "more"]
    text = "Before reconciliation, each coder's application rate of each code was compared with the other coders'. "
    if flagged:
        shown = flagged[:5]
        text += (
            f"{plural(len(flagged), 'coder–code pair')} differed by a factor of 1.5 or more "
            "(or two-thirds or less): " + "; ".join(rate_sentence(r, "turns") for r in shown)
        )
        text += (f"; and {len(flagged) - len(shown)} more" if len(flagged) > len(shown) else "") + "."
    else:
        text += "No coder applied any code 1.5 times as often as the others, or two-thirds as often or less."
    if d.too_few:  # a ratio on a handful of units is noise: named, not ranked
        listed = _and([f"{coder} ({plural(n, 'turn')})" for coder, n in d.too_few.items()])
        text += (
            f" {listed} decided too few of the double-coded turns to compare (fewer than {MIN_UNITS}), and "
            f"{'is' if len(d.too_few) == 1 else 'are'} left out of this comparison."
        )
    if d.confusions:
        top = [f"{c.a} / {c.b} ({plural(c.units, 'turn')})" for c in d.confusions[:3]]
        text += (
            " The most frequent boundary confusions (one coder's code where another put the other) were "
            + _and(top)
            + "."
        )
    batches = [b for b in d.batches if b.n_units and b.alpha_pooled is not None]
    if len(batches) > 1:
        order = "week" if d.batch == "week" else f"batch of {d.batch} turns"
        if len(batches) <= LISTED_BATCHES:
            values = [f"{_turns(b.label)} {alpha3(b.alpha_pooled)}" for b in batches]
            text += f" Pooled α per {order}, in coding order: " + "; ".join(values) + "."
        else:  # a study has hundreds of batches: the range, and the first and last
            low = min(batches, key=lambda b: b.alpha_pooled)
            high = max(batches, key=lambda b: b.alpha_pooled)
            text += (
                f" Pooled α per {order}, in coding order, ranged from {alpha3(low.alpha_pooled)} ({_turns(low.label)}) to "
                f"{alpha3(high.alpha_pooled)} ({_turns(high.label)}) over {len(batches):,} batches; it was "
                f"{alpha3(batches[0].alpha_pooled)} in the first and {alpha3(batches[-1].alpha_pooled)} in the last."
            )
    mixed = [w for w in m.agreement.warnings if "different codebook versions" in w]
    if mixed:  # a code one version lacked reads as one coder applying it alone
        text += (
            " [These rates and confusions include turns coded under different codebook versions: see above.]"
        )
    return Section("Coder diagnostics", [text])


def _stale_text(m: Methods) -> str:
    """The bracket on consensus copies that no longer match the coders: on turns, and on documents apart
    (the passage's counts are of participant turns)."""
    turns, documents = m.stale_copies, m.stale_document_copies
    if not turns and not documents:
        return ""
    on = [f"{plural(turns, 'participant turn')}"] if turns else []
    if documents:
        on.append(plural(documents, "document segment"))
    return (
        f" [Consensus decisions copied from the coders on {_and(on)} no longer match their decisions, changed "
        "or added since: copy again and reconcile before reporting"
        + (" (reconcile --kind document for the documents)" if documents else "")
        + ".]"
    )


def _late_text(m: Methods) -> str:
    """The bracket on consensus decisions a coder decided otherwise after (agree.decided_without): made
    without those codes, they are open until the lead revisits them."""
    turns, disputed = m.decided_before_coder
    if not turns:
        return ""
    as_name = "" if m.consensus == "consensus" else f" --as {shlex.quote(m.consensus)}"
    if turns == 1:
        among = " (a disputed one, counted open above)" if disputed else ""
    else:
        among = f", {disputed:,} of them disputed and counted open above" if disputed else ""
    return (
        f" [{plural(turns, 'participant turn')} {'was' if turns == 1 else 'were'} decided otherwise by a coder "
        f"after the consensus decision{among}: the consensus was made without those codes, so "
        f"{'it is' if turns == 1 else 'they are'} open until the lead revisits "
        f'{"it" if turns == 1 else "them"} ("wei-qual reconcile --coder LEAD --revisit{as_name}").]'
    )


def reconciliation_section(m: Methods) -> Section:
    a = m.agreement
    if a is None:
        text = "No turn was coded by two coders, so there was no disagreement between coders to reconcile."
        if m.consensus_decisions:
            text += (
                f" [{plural(m.consensus_decisions, 'consensus decision')}{_stored(m)} "
                f"{'is' if m.consensus_decisions == 1 else 'are'} recorded"
                + (
                    f", {plural(m.single_coded, 'single-coded turn')} among them taken as their one coder coded "
                    "them"
                    if m.single_coded
                    else ""
                )
                + ": describe how the final coding was agreed.]"
            )
        return Section("Reconciliation", [text + _stale_text(m) + _late_text(m)])
    if m.resolved is None:
        return Section(
            "Reconciliation",
            [
                (
                    f"{plural(m.disputed or 0, 'double-coded turn')} of {a.units:,} had a disagreement "
                    "between coders. "
                    + (
                        f"[Consensus is not read here: {elsewhere_hint(m.elsewhere)}.]"
                        if m.elsewhere
                        else "[No reconciliation is recorded yet: describe how disagreements were resolved.]"
                    )
                )
            ],
        )
    text = (
        f"{plural(m.disputed or 0, 'double-coded turn')} of {a.units:,} had a disagreement; {m.resolved:,} of them "
        f"have a consensus decision{_stored(m)} recorded with its rationale and {(m.disputed or 0) - m.resolved:,} remain open "
        f"({plural(m.consensus_decisions, 'consensus decision')} in all, agreed turns included"
        + (
            f", {plural(m.single_coded, 'single-coded turn')} among them, taken as their one coder coded them"
            if m.single_coded
            else ""
        )
        + "). "
        + (m.how_reconciled or "[Describe how disagreements were discussed and resolved.]")
        + _stale_text(m)
        + _late_text(m)
    )
    if m.with_consensus:
        parts = [
            f"{coder} α = {alpha3(r.alpha_pooled)}{ci_clause(r.alpha_pooled_ci, m.agreement.bootstrap)} "
            f"({plural(r.units, 'turn')})"
            for coder, r in m.with_consensus.items()
        ]
        text += (
            " Agreement of each coder with the consensus (pooled α, on the double-coded turns consensus decided; "
            "a turn the coders agreed on counts as agreement, since consensus took it as they coded it): "
            + "; ".join(parts)
            + "."
        )
        if not m.resolved:  # every turn measured is one the coders agreed on, copied as they coded it
            text += (
                " [Consensus has resolved no disagreement yet: on the turns it took as the coders agreed, "
                "each coder agrees with it by construction, so these values say nothing until it does.]"
            )
        elif m.consensus_covers and m.consensus_covers[0] < m.consensus_covers[1]:
            text += " [These are on the turns consensus has decided so far only.]"
    return Section("Reconciliation", [text])


def suggestions_section(m: Methods) -> Section:
    shown = {coder: acc for coder, acc in m.acceptance.items() if acc.get("shown")}
    if not m.engines and not m.acceptance:
        return Section(
            "Machine suggestions", ["No machine suggestions were computed; coders coded without them."]
        )
    if shown:
        parts = [
            f"{coder} accepted {acc['accepted']:,} of {acc['shown']:,} ({pct1(acc['accepted'], acc['shown'])})"
            for coder, acc in shown.items()
        ]
        seen = "Coders saw machine suggestions in the coding session: " + "; ".join(parts) + "."
        if not m.engines:
            seen += " [The active codebook version has no current suggestions: they were made under an earlier one.]"
    else:
        seen = (
            "Machine suggestions were computed, but no recorded decision shows one on screen. [Confirm that "
            "the coders coded without them.]"
        )
    scores = []
    for e in m.engines:
        micro, macro = e.micro, e.macro
        score = (
            f"engine {e.engine}: precision {a3(micro['precision'])} and recall {a3(micro['recall'])} "
            f"(micro; macro {a3(macro['precision'])} and {a3(macro['recall'])}) against "
            f"{'consensus' + _stored(m) if e.reference == m.consensus else e.reference} on "
            f"{e.segments:,} turns, counting suggestions scoring {e.min_score:g} or more"
        )
        for name, value in e.extra.items():
            score += f"; {name}: {value}"
        scores.append(score)
    text = seen + (
        " Suggestions were measured against the codes: " + "; ".join(scores) + "." if scores else ""
    )
    partial = m.consensus_covers and m.consensus_covers[0] < m.consensus_covers[1]
    if partial and any(e.reference == m.consensus for e in m.engines):
        text += " [Measured on the turns consensus has decided so far only.]"
    paragraphs = [text]
    # "both" stores the model's own suggestions as "learned" too: describe each model once.
    described = set()
    for d in m.learned:
        if d["model"] not in described:
            described.add(d["model"])
            paragraphs.append(learned_text(d))
    return Section("Machine suggestions", paragraphs)


_SOURCES = {"consensus": "the consensus codes", "majority": "the majority of coders", "union": "any coder"}
_CALIBRATION = {"isotonic": "isotonic regression", "platt": "Platt scaling", "none": "not calibrated"}


def learned_text(d: dict) -> str:
    """How the learned model was made and how good cross-validation found it (suggest.train.learned_disclosure)."""
    source = _SOURCES.get(d["source"], f"coder {d['source']}")
    engines = "and merged with the keyword rules' scores" if d["engine"] == "both" else "on their own"
    # A run on some transcripts with another model leaves several: each names the turns it made them for.
    on = f" on {d['segments']:,} of {d['of']:,} turns" if d.get("segments", 0) < d.get("of", 0) else ""
    text = (
        f"Learned suggestions{on} (shown {engines}) came from model {d['model']}, a spaCy {d['spacy_version']} "
        f"multi-label text classifier ({d['architecture']}, no pretrained vectors) trained on the research "
        f"team's own machine on {d['units']:,} turns as coded by {source} (codebook version "
        f"{d['codebook_version']}), for the {d['codes']} codes applied to at least {d['min_examples']} turns "
        f"(seed {d['seed']}, {d['epochs']} epochs; scores calibrated on held-out transcripts by "
        f"{_CALIBRATION.get(d['calibration'], d['calibration'])})."
    )
    if d.get("single_coded"):
        text += (
            f" {d['single_coded']:,} of these turns were coded by one coder only: there the model learned that"
            " coder's codes."
        )
    if d["stale_reasons"]:
        text += " The model was out of date when this was written: " + "; ".join(d["stale_reasons"]) + "."
    cv = d["cross_validation"]
    if cv is None:
        return text + (
            " [The model was not cross-validated: run "
            f'"wei-qual suggest evaluate --engine learned --folds 5 --source {d["source"]}".]'
        )
    learned, rules = cv["learned"], cv["rules"]
    return text + (
        f" In {cv['folds']}-fold cross-validation by transcript (seed {cv['seed']}, {cv['units']:,} turns of "
        f"{cv['transcripts']:,} transcripts, a code counted as suggested at a score of {cv['min_score']:g} or "
        f"more) it reached micro precision {a3(learned['micro']['precision'])}, recall "
        f"{a3(learned['micro']['recall'])} and F1 {a3(learned['micro']['f1'])} (macro F1 "
        f"{a3(learned['macro']['f1'])}) against {source}, and Krippendorff's α {alpha3(learned['alpha_pooled'])} "
        f"as one more coder (pooled over codes); the keyword rules on the same folds reached F1 "
        f"{a3(rules['micro']['f1'])} (macro {a3(rules['macro']['f1'])}) and α {alpha3(rules['alpha_pooled'])}. "
        f"Brier score of the calibrated scores: {a3(cv['brier'])}."
    )


def saturation_section(m: Methods) -> Section:
    s = m.saturation
    if s is None:
        return Section("Saturation", ["[No saturation analysis.]"])
    c = s.overall

    def reached(curve) -> str:
        if curve.saturation_at is None:
            return "not reached"
        return f"reached at transcript {curve.saturation_at} of {len(curve.steps)} ({curve.saturation_transcript})"

    share = "–" if c.share_at_halfway is None else f"{100 * c.share_at_halfway:.1f}%"
    text = (
        f"Taking transcripts in {s.order} order, {plural(c.codes, 'distinct code')} of the codebook's "
        f"{s.codebook_codes:,} were applied; {share} of them were in place by transcript {c.halfway} of "
        f"{len(c.steps)}. Saturation, defined as {s.run} consecutive transcripts adding no new code (Guest, "
        f"Namey & Chen, 2020), was {reached(c)}"
    )
    if c.last_new_at is not None:
        text += f"; the last new code appeared at transcript {c.last_new_at}"
    text += "."
    for attr, curves in s.strata.items():
        text += f" By {attr}: " + "; ".join(f"{value} {reached(cv)}" for value, cv in curves.items()) + "."
    return Section("Saturation", [text])


def methods_sections(m: Methods) -> list[Section]:
    """The passage, section by section (the first paragraph is the sample's)."""
    return [
        sample_section(m),
        coding_section(m),
        codebook_section(m),
        reliability_section(m),
        # The diagnostics compare coders on the units two of them decided: without any, there is nothing.
        *([diagnostics_section(m)] if m.agreement is not None else []),
        reconciliation_section(m),
        suggestions_section(m),
        saturation_section(m),
        Section("References", list(REFERENCES)),
    ]


def first_paragraph(m: Methods) -> str:
    return methods_sections(m)[0].paragraphs[0]


def methods_markdown(m: Methods) -> str:
    lines = ["## Methods", ""]
    for section in methods_sections(m):
        lines += [f"### {md_escape(section.title)}", ""]
        for paragraph in section.paragraphs:
            lines += [
                md_escape(paragraph) if section.title != "References" else "- " + md_escape(paragraph),
                "",
            ]
        for table in section.tables:
            lines.append(to_markdown([table]))
    return "\n".join(lines).rstrip("\n") + "\n"


def methods_html(m: Methods, *, title: str = "Methods") -> str:
    from .html import CSP, CSS, html_table

    def e(text: str) -> str:
        return html.escape(text, quote=True)

    body = [f"<h1>{e(title)}</h1>"]
    for section in methods_sections(m):
        body.append(f"<h2>{e(section.title)}</h2>")
        if section.title == "References":
            body.append("<ul>" + "".join(f"<li>{e(p)}</li>" for p in section.paragraphs) + "</ul>")
            continue
        body += [f"<p>{e(p)}</p>" for p in section.paragraphs]
        for table in section.tables:
            body.append(f"<h3>{e(table.title)}</h3>" + html_table(table))
            body += [f'<p class="note">{e(n)}</p>' for n in table.notes]
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body><main>\n"
        + "\n".join(body)
        + "\n</main></body></html>\n"
    )
