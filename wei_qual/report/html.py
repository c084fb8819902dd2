"""The study report as one self-contained HTML page: inline CSS and SVG charts, no script, no network.

A Content-Security-Policy meta tag forbids every external load, so the page cannot fetch anything
even if a future change slips in a link. All text goes through html.escape.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Mapping

from .. import __version__
from ..agree.result import MIN_UNITS_APPLIED, ONE_UNIT, alpha_text, ci_warning
from ..controls import escape_controls
from ..models import study_order
from ..parallel import in_background
from .agreement import agreement_note, alpha_intervals, alpha_per_code, no_agreement_text, units_applied
from .charts import ALPHA_RELIABLE, ALPHA_TENTATIVE, agreement_chart, grouped_bar_chart, heatmap, line_chart
from .compare import CompareTable
from .cooccurrence import build_cooccurrence
from .data import ReportData, paused_gc
from .quotes import build_quotes
from .saturation import Saturation, build_saturation
from .themes import build_theme_table
from .writers import Fixed, Table

DEFAULT_BY = "role"  # the split most studies report first (officers vs providers)
HTML_PER_GROUP = 2
HTML_BOOTSTRAP, HTML_SEED = 1000, 0  # the CIs of the agreement chart: `wei-qual agree`'s defaults
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       margin: 0; color: #1f2328; background: #ffffff; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 2px solid #d0d7de; padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
.meta, .note { color: #59636e; font-size: 0.9rem; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dl.summary dt { font-weight: 600; }
dl.summary dd { margin: 0; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.88rem; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.quote { max-width: 640px; }
svg.chart { width: 100%; height: auto; display: block; margin: 8px 0; }
"""


def _e(value: object) -> str:
    """Escaped for HTML, control characters shown as escapes ("\\x1b", as in every format)."""
    return html.escape(escape_controls("" if value is None else str(value)), quote=True)


def html_table(table: Table, *, quote_column: str | None = None) -> str:
    """A Table as an escaped HTML table; numbers right-aligned."""
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for column, value in zip(table.columns, row):
            cls = (
                ' class="num"'
                if isinstance(value, (int, float))
                else ' class="quote"'
                if column == quote_column
                else ""
            )
            cells.append(f"<td{cls}>{_e(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def default_by(data: ReportData) -> list[str]:
    """The split used when none is given: `role` when transcripts (or speakers) have it, else none."""
    values = [*data.attributes.values(), *data.speaker_attributes.values()]
    return [DEFAULT_BY] if any(DEFAULT_BY in v for v in values) else []


@paused_gc(freeze=True)
def build_html(
    data: ReportData,
    *,
    by: list[str] | None = None,
    title: str | None = None,
    order: list[str] | None = None,
    order_name: str = "transcript id",
    compare: CompareTable | None = None,
    memos: list | None = None,
    notes: list[str] | None = None,
    times: Mapping[tuple[str, int], tuple[float, float | None]] | None = None,
    pages: Mapping[tuple[str, int], tuple[int, int | None, tuple | None]] | None = None,
) -> str:
    """The whole report page as text. Raises ReportError for an unknown attribute in `by`.

    `order` is the transcript order of the saturation curve (report.saturation.saturation_order);
    default: by transcript id. `compare` (report.compare.build_compare) adds the policy and practice
    table; every other section counts participants only. `memos` (wei_qual.memos.Memo, code memos) adds
    an appendix of code memos. `notes` are the warnings said on stderr about what the numbers count
    (a partial consensus, codes nothing counts): the page carries them at its top, as a shared file must.
    `times` (store.transcripts.iter_segment_times): where timed turns start, and `pages`
    (store.transcripts.iter_segment_pages): the pages of turns that have them, to cite a quote by.
    The agreement chart's own, as agree gives them (no interval on one unit, intervals resting on many
    undefined draws), are added to `notes`, for the caller to say on stderr too."""
    by = list(dict.fromkeys(by)) if by else default_by(data)
    data.check_attributes(by)
    notes = notes if notes is not None else []
    codebook = data.codebook
    title = title or f"Theme report: {codebook.name}"
    # The agreement intervals (a bootstrap per code) are worked out on the other CPU, when there is one,
    # while this process builds the tables: the same values, less waiting. Every coder's codes are
    # parsed first (load_report_data leaves them to their first look-up), so both processes share them.
    data.agreed_codes  # noqa: B018 (a cached property, which the agreement chart reads too)
    wait_intervals = in_background(lambda: alpha_intervals(data, bootstrap=HTML_BOOTSTRAP, seed=HTML_SEED))
    themes = build_theme_table(data, by=by, level="both")
    cooc = build_cooccurrence(data, level="code")
    quotes = build_quotes(
        data, by=by[0] if by else None, per_group=HTML_PER_GROUP if by else 3, times=times, pages=pages
    )
    alphas = alpha_per_code(data)
    saturation = build_saturation(
        data, order or sorted(data.attributes, key=study_order), order_name=order_name, by=by[:1]
    )
    intervals, ci_notes = wait_intervals()
    if alphas and alphas[0][3] == 1:
        notes.append(agreement_note(ONE_UNIT + "."))
    unmeasured = None if alphas and alphas[0][3] else no_agreement_text(data.coders)
    if unmeasured:  # a single-coder study, or coders who never decided the same segment: said, not blank
        notes.append(agreement_note(unmeasured))
    notes.extend(agreement_note(ci_warning(code, note)) for code, note in ci_notes)
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>{_e(title)}</h1>",
        (
            f'<p class="meta">Made with wei-qual {_e(__version__)} on {_e(today)}. '
            f"Codes counted from source <strong>{_e(data.source)}</strong>.</p>"
        ),
        _notes(notes),
        _summary(data, themes.groups),
        _agreement(alphas, intervals, unmeasured, units_applied(data)),
        _frequency(data, themes, by),
        _cooccurrence(cooc),
        '<section id="themes"><h2>Theme table</h2>',
        (
            '<p class="note">Participants raising each code or theme, n (% of the participants in the group). '
            "A theme counts a segment once when it or any code under it was applied.</p>"
        ),
        html_table(themes.display_table()),
        "</section>",
        _saturation(saturation),
        _compare(compare) if compare is not None else "",
        _quotes(quotes),
        _memos(memos) if memos is not None else "",
        "</main></body></html>\n",
    ]
    return "\n".join(parts)


def _notes(notes: list[str]) -> str:
    if not notes:
        return ""
    items = "".join(f"<li>{_e(note[:1].upper() + note[1:])}</li>" for note in notes)
    return f'<section id="notes"><h2>Before using these numbers</h2><ul class="notes">{items}</ul></section>'


def _summary(data: ReportData, groups: dict[str, dict[str, int]]) -> str:
    codebook = data.codebook
    rows = [
        (
            "Codebook",
            f"{codebook.name} (version {codebook.version or '?'}, {sum(not c.split_into for c in codebook.codes)} codes and themes)",
        ),
        (
            "Transcripts",
            f"{len(data.attributes)} in the project, {data.transcripts} with coded segments",
        ),
        (
            "Participants",
            (
                f"{len(data.participants)} with coded segments, in {data.transcripts} transcripts "
                "(each participant speaker of a transcript counts once)"
            ),
        ),
        (
            "Participant segments",
            f"{data.participant_segments} in the project, {len(data.segments)} coded (source: {data.source})",
        ),
        ("Independent coders", ", ".join(data.coders) or "none"),
    ]
    for attr, sizes in groups.items():
        rows.append((f"Participants by {attr}", ", ".join(f"{value} {n}" for value, n in sizes.items())))
    items = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    return f'<section id="summary"><h2>Study summary</h2><dl class="summary">{items}</dl></section>'


def _agreement(
    alphas: list[tuple[str, str, float | None, int]],
    intervals: dict[str, tuple[float, float] | None],
    unmeasured: str | None,
    applied: dict[str, int],
) -> str:
    head = '<section id="agreement"><h2>Agreement per code</h2>'
    if unmeasured:  # why there is no chart (no_agreement_text)
        return head + f'<p class="note">{_e(unmeasured[:1].upper() + unmeasured[1:])}</p></section>'
    units = alphas[0][3]
    chart = agreement_chart(
        [(f"{name} ({code})", alpha) for code, name, alpha, _ in alphas],
        [intervals.get(code) for code, _, _, _ in alphas],
        {
            f"{name} ({code})"
            for code, name, alpha, _ in alphas
            if alpha is not None and applied.get(code, 0) < MIN_UNITS_APPLIED
        },
    )
    table = Table(
        "agreement",
        "",
        ["Code", "Name", "Alpha", "95% CI", "Units"],
        [
            [
                c,
                n,
                "n/a" if a is None else Fixed(a, len(alpha_text(a).partition(".")[2])),
                "–" if intervals.get(c) is None else f"{intervals[c][0]:.3f}–{intervals[c][1]:.3f}",
                u,
            ]
            for c, n, a, u in alphas
        ],
    )
    return (
        head
        + chart
        + f'<p class="note">Krippendorff\'s alpha (nominal), presence of each code, over {units} participant '
        f"segments decided by at least two independent coders, with its 95% CI as a whisker (percentile "
        f"bootstrap, {HTML_BOOTSTRAP:,} draws resampling units, seed {HTML_SEED}: as "
        f"<code>wei-qual agree</code> gives). Lines at {ALPHA_TENTATIVE:.3f} (tentative) "
        f'and {ALPHA_RELIABLE:.3f} (reliable); grey "n/a": undefined (no variation); a grey bar labelled '
        f'"too few": applied to fewer than {MIN_UNITS_APPLIED} of the units, so not judged.</p>'
        + "<details><summary>Values</summary>"
        + html_table(table)
        + "</details></section>"
    )


def _frequency(data: ReportData, themes, by: list[str]) -> str:
    # The study's themes are its top-level codes, with or without codes under them.
    top = [r for r in themes.rows if r.parent is None]
    labels = [r.name for r in top]
    out = ['<section id="frequency"><h2>Theme frequency</h2>']
    if not by:
        out.append(
            grouped_bar_chart(
                labels,
                {"All participants": [r.pct_participants for r in top]},
                xlabel="% of participants",
                name="frequency",
            )
        )
    for i, attr in enumerate(by):
        series = {
            f"{value} (n={n})": [r.by[attr][value].pct_participants for r in top]
            for value, n in themes.groups[attr].items()
        }
        out.append(f"<h3>By {_e(attr)}</h3>")
        out.append(
            grouped_bar_chart(
                labels, series, xlabel=f"% of participants in each {attr} group", name=f"frequency{i}"
            )
        )
    out.append('<p class="note">Top-level themes: percentage of participants who raised each.</p></section>')
    return "\n".join(out)


def _cooccurrence(cooc) -> str:
    ids = [c for c, _ in cooc.codes]
    out = ['<section id="cooccurrence"><h2>Co-occurrence</h2>']
    if len(ids) < 2:
        out.append('<p class="note">Fewer than two codes, so nothing can co-occur.</p>')
    else:
        out.append(heatmap(ids, [[cooc.count(a, b) for b in ids] for a in ids]))
        out.append(
            '<p class="note">Segments where both codes apply (codes, not themes). '
            "The most frequent pairs:</p>"
        )
        top = cooc.display_table()
        top.rows = top.rows[:15]
        top.notes = []
        out.append(html_table(top))
    out.append("</section>")
    return "\n".join(out)


def _saturation(sat: Saturation) -> str:
    series = {
        (c.scope if c.scope != "all" else "All transcripts") + f" (n={len(c.steps)})": [
            s.cumulative for s in c.steps
        ]
        for c in sat.curves()
    }
    chart = line_chart(
        series,
        xlabel=f"Transcripts in {sat.order} order",
        ylabel="Distinct codes so far",
        name="saturation",
        label="Saturation curve: distinct codes by number of transcripts",
    )
    notes = []
    for c in sat.curves():
        reached = (
            f"reached at transcript {c.saturation_at} ({c.saturation_transcript})"
            if c.saturation_at is not None
            else "not reached"
        )
        share = "–" if c.share_at_halfway is None else f"{100 * c.share_at_halfway:.1f}%"
        notes.append(
            f"{c.scope}: {c.codes} codes over {len(c.steps)} transcripts; saturation ({sat.run} in a row with no "
            f"new code) {reached}; {share} of the codes in place by transcript {c.halfway}."
        )
    items = "".join(f"<li>{_e(n)}</li>" for n in notes)
    return (
        '<section id="saturation"><h2>Saturation</h2>'
        + chart
        + f'<p class="note">Cumulative distinct codes (codes without children, source {_e(sat.source)}) as '
        f'transcripts are added in {_e(sat.order)} order, one line per group.</p><ul class="note">{items}</ul></section>'
    )


def _compare(table: CompareTable) -> str:
    docs = sum(len(ids) for ids in table.documents.values())
    return (
        '<section id="compare"><h2>Policy and practice</h2>'
        + f'<p class="note">For each code and each {_e(table.by)}: the sections of its documents that carry '
        "the code (— when none does), then how many of its participants raised it, of all its participants "
        f"(%). <strong>policy only</strong> and <strong>practice only</strong> mark where they diverge. "
        f"{docs} coded document{'s' if docs != 1 else ''}; source {_e(table.source)}.</p>"
        + html_table(table.display_table())
        + "</section>"
    )


def _quotes(quotes) -> str:
    out = ['<section id="quotes"><h2>Exemplar quotes</h2>']
    by_code: dict[str, list] = {}
    for q in quotes.quotes:
        by_code.setdefault(q.code, []).append(q)
    for code, items in by_code.items():
        out.append(f'<h3>{_e(items[0].name)} <span class="meta">({_e(code)})</span></h3>')
        columns = ([quotes.by] if quotes.by else []) + ["Quote", "Participant", "Segment"]
        rows = [
            ([q.group] if quotes.by else [])
            + [q.text, q.participant, q.cite + (" (excerpt)" if q.excerpt else "")]
            for q in items
        ]
        out.append(html_table(Table("quotes", "", columns, rows), quote_column="Quote"))
    if not by_code:
        out.append('<p class="note">No coded segments to quote.</p>')
    out.append("</section>")
    return "\n".join(out)


def _memos(memos: list) -> str:
    """The appendix of code memos: what the team wrote about each code, with author and time."""
    out = ['<section id="memos"><h2>Appendix: code memos</h2>']
    if not memos:
        out.append('<p class="note">No code memos have been written (the session\'s mc ID writes one).</p>')
    else:
        out.append(
            '<p class="note">Memos the coders wrote on codes, in codebook order, with author and last change.</p>'
        )
        rows = [
            [
                m.target,
                m.code_name or "",
                m.coder,
                (m.updated_utc or m.created_utc or "")[:16].replace("T", " "),
                m.text,
            ]
            for m in memos
        ]
        out.append(
            html_table(
                Table("memos", "", ["Code", "Name", "Coder", "Updated (UTC)", "Memo"], rows),
                quote_column="Memo",
            )
        )
    out.append("</section>")
    return "\n".join(out)
