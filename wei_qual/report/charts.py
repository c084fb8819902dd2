"""Inline SVG charts for the HTML report: horizontal bar charts and a heatmap, written by report/svg.py.

svg.py writes the elements, the attributes and the escaping of text; this module only computes the
geometry. It takes milliseconds: matplotlib took about 1.5 s to import and draw the three charts of a
study-sized report, past the 1 s budget of a report, and drawsvg, which drew them next (svg.py writes
the same markup, tested), 0.04-0.05 s with its import.

Text content (labels, tooltips) is escaped, attribute values are written as given, so the two
attributes that can hold a project's strings (the accessible label and the class) go through
html.escape here. Coordinates are rounded to one decimal. The SVG has no id, no script, no link and
no external font: text is drawn in the page's own sans-serif.
"""

from __future__ import annotations

import html
import math

from ..agree.result import RELIABLE as ALPHA_RELIABLE
from ..agree.result import TENTATIVE as ALPHA_TENTATIVE
from ..agree.result import TOO_FEW, alpha_text
from ..controls import escape_controls

_COLORS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c"]
_BLUES = ["#f7fbff", "#dbe9f6", "#bbd6eb", "#88bedc", "#549ecd", "#2a7aba", "#0c56a0", "#08306b"]  # 8 shades
_INK, _MUTED, _GRID = "#1f2328", "#59636e", "#d8dee4"
FONT = 12  # px: labels and ticks
# Single quotes inside: svg.py wraps attribute values in double quotes without escaping them.
_FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


def _r(x: float) -> float | int:
    """A coordinate: at most one decimal, an int when whole (svg.py writes str(value))."""
    value = round(x, 1)
    return int(value) if value == int(value) else value


def _one_line(value: object) -> str:
    """A label as one line (an SVG text is one line: svg.Text refuses a line break); control characters
    shown as escapes, as in every format (wei_qual.controls)."""
    return " ".join(escape_controls(str(value)).splitlines())


def _text_width(label: str, size: float = FONT) -> float:
    """Rough width of a label in px: about 0.6 em per character (sans-serif averages a little less)."""
    return len(label) * size * 0.6


def _tick(value: float) -> str:
    """An axis number: 0, 0.2, 1 (no trailing zeros)."""
    return f"{value:.10g}"


def _drawing(width: float, height: float, label: str, name: str):
    """A drawing whose <svg> scales down with its container (the page's CSS sets width: 100%) and is never
    blown up past its natural size (max-width)."""
    from . import svg as draw

    width, height = _r(width), _r(height)
    return draw.Drawing(
        width,
        height,
        class_=f"chart chart-{html.escape(name, quote=True)}",
        role="img",
        aria_label=html.escape(_one_line(label), quote=True),
        style=f"max-width: {width}px",
        font_family=_FONT_FAMILY,
        font_size=FONT,
        fill=_INK,
    )


def _svg(drawing) -> str:
    """The drawing as an inline <svg> element: no XML declaration (the page is HTML)."""
    return drawing.svg()


def _x_axis(draw, scale, ticks: list[float], top: float, bottom: float, xlabel: str, centre: float):
    """Vertical grid lines with their numbers under the plot, and the axis label."""
    grid = draw.Group(stroke=_GRID)
    numbers = draw.Group(text_anchor="middle", fill=_MUTED)
    for value in ticks:
        x = _r(scale(value))
        grid.append(draw.Line(x, _r(top), x, _r(bottom)))
        numbers.append(draw.Text(_tick(value), None, x, _r(bottom + 15)))
    title = draw.Text(_one_line(xlabel), None, _r(centre), _r(bottom + 34), text_anchor="middle")
    return [grid, numbers, title]


def _y_axis(draw, left: float, top: float, bottom: float):
    return draw.Line(_r(left), _r(top), _r(left), _r(bottom), stroke=_INK)


def agreement_chart(
    items: list[tuple[str, float | None]],
    intervals: list[tuple[float, float] | None] | None = None,
    too_few: set[str] | frozenset[str] = frozenset(),
) -> str:
    """Horizontal bars of Krippendorff's alpha per code, each labelled with its value (three decimals)
    and, given `intervals`, its 95% CI as a whisker; lines at .667 and .800. None is "n/a". An alpha
    of 0 is drawn as a zero-length bar with its label, not left out. A label in `too_few` gets a grey
    bar and "(too few)": no verdict's colour for an α resting on one or two units."""
    from . import svg as draw

    labels = [_one_line(label) for label, _ in items]
    values = [None if v is None or math.isnan(v) else v for _, v in items]
    intervals = list(intervals or [None] * len(items))
    cis = [None if ci is None or any(x is None or math.isnan(x) for x in ci) else ci for ci in intervals]
    left = max(map(_text_width, labels), default=0) + 16
    plot, row, top = 440, 18, 30
    widest = f"-0.000 ({TOO_FEW})" if any(label in too_few for label, _ in items) else "-0.000"
    value_room = _text_width(widest, 11) + 10  # the value label right of a bar or whisker at 1
    bottom = top + row * max(len(items), 1)
    width, height = left + plot + value_room + 16, bottom + 46
    low = min([0.0] + [v for v in values if v is not None] + [ci[0] for ci in cis if ci is not None])
    start = min(low - 0.05, 0.0)

    def scale(v: float) -> float:
        return left + (v - start) / (1.0 - start) * plot

    d = _drawing(width, height, "Krippendorff's alpha per code", "agreement")
    ticks = [t / 10 for t in range(math.ceil(start * 5) * 2, 11, 2)]  # every 0.2 inside the range
    d.extend(_x_axis(draw, scale, ticks, top, bottom, "Krippendorff's alpha (nominal)", left + plot / 2))
    zero = scale(0.0)
    names = draw.Group(text_anchor="end")
    bars = draw.Group()
    whiskers = draw.Group(stroke=_INK, stroke_width=1.2)
    numbers = draw.Group(font_size=11, fill=_MUTED)
    for i, (label, value, ci) in enumerate(zip(labels, values, cis)):
        y = top + i * row
        middle = _r(y + row / 2 + 4)
        names.append(draw.Text(label, None, _r(left - 8), middle))
        if value is None:
            bars.append(draw.Text("n/a", 11, _r(zero + 4), middle, fill="#555555"))
            continue
        color = "#55a868" if value >= ALPHA_RELIABLE else "#dd8452" if value >= ALPHA_TENTATIVE else "#c44e52"
        few = items[i][0] in too_few
        if few:
            color = "#b0b0b0"
        x0, x1 = sorted((zero, scale(value)))
        if x1 - x0 < 1.5:  # alpha = 0 (or nearly): a visible tick where the bar would be
            x0, x1 = zero - 0.75, zero + 0.75
        shown = alpha_text(value) + (f" ({TOO_FEW})" if few else "")  # never rounded across a threshold
        title = f"{label}: {shown}" + (f" (95% CI {ci[0]:.3f}–{ci[1]:.3f})" if ci else "")
        bar = draw.Rectangle(_r(x0), _r(y + 2.5), _r(x1 - x0), 13, fill=color)
        bar.append_title(title)
        bars.append(bar)
        right = max(x1, scale(value))
        if ci is not None:
            a, b = scale(ci[0]), scale(ci[1])
            cy = y + row / 2
            whiskers.append(draw.Line(_r(a), _r(cy), _r(b), _r(cy)))
            whiskers.append(draw.Line(_r(a), _r(cy - 4), _r(a), _r(cy + 4)))
            whiskers.append(draw.Line(_r(b), _r(cy - 4), _r(b), _r(cy + 4)))
            right = max(right, b)
        numbers.append(draw.Text(shown, None, _r(right + 5), middle))
    d.extend([names, bars, whiskers, numbers])
    for threshold, dash in ((ALPHA_TENTATIVE, "5 3"), (ALPHA_RELIABLE, None)):
        x = _r(scale(threshold))
        d.append(draw.Line(x, _r(top - 6), x, _r(bottom), stroke="#333333", stroke_dasharray=dash))
        label = f"{threshold:.3f}".lstrip("0")
        d.append(draw.Text(label, 11, x, _r(top - 10), text_anchor="middle"))
    d.append(_y_axis(draw, left, top, bottom))
    return _svg(d)


def grouped_bar_chart(labels: list[str], series: dict[str, list[float]], *, xlabel: str, name: str) -> str:
    """Horizontal grouped bars, 0-100 %: one group of bars per label, one bar per series (e.g. role values),
    with a legend beside the bars when there are several series."""
    from . import svg as draw

    labels = [_one_line(label) for label in labels]
    n = max(len(series), 1)
    bar = 12 if n > 1 else 16
    group = bar * n + 10
    left = max(map(_text_width, labels), default=0) + 16
    plot, top = 440, 12
    legend = max((_text_width(_one_line(s)) for s in series), default=0) + 36 if len(series) > 1 else 0
    bottom = top + group * max(len(labels), 1)
    width, height = left + plot + 24 + legend, max(bottom + 46, top + 22 * len(series) + 8)

    def scale(v: float) -> float:
        return left + v / 100 * plot

    d = _drawing(width, height, xlabel, name)
    d.extend(_x_axis(draw, scale, [0, 20, 40, 60, 80, 100], top, bottom, xlabel, left + plot / 2))
    names = draw.Group(text_anchor="end")
    bars = draw.Group()
    for i, label in enumerate(labels):
        y = top + i * group + 5
        names.append(draw.Text(label, None, _r(left - 8), _r(y + bar * n / 2 + 4)))
        for k, (series_name, values) in enumerate(series.items()):
            value = values[i]
            rect = draw.Rectangle(
                _r(left), _r(y + k * bar), _r(scale(value) - left), bar - 1, fill=_COLORS[k % len(_COLORS)]
            )
            rect.append_title(f"{label}, {_one_line(series_name)}: {_tick(value)}%")
            bars.append(rect)
    d.extend([names, bars, _y_axis(draw, left, top, bottom)])
    if len(series) > 1:
        x = left + plot + 24
        for k, series_name in enumerate(series):
            y = top + 4 + k * 22
            d.append(draw.Rectangle(_r(x), _r(y), 12, 12, fill=_COLORS[k % len(_COLORS)]))
            d.append(draw.Text(_one_line(series_name), None, _r(x + 18), _r(y + 10.5)))
    return _svg(d)


def _integer_ticks(top: int) -> list[int]:
    """0 and round steps (1, 2 or 5 x 10^k) up to `top`: at most about six numbers."""
    step = next(m * 10**k for k in range(20) for m in (1, 2, 5) if top / (m * 10**k) <= 6)
    return list(range(0, top + 1, step))


def heatmap(labels: list[str], counts: list[list[int]]) -> str:
    """Code x code co-occurrence counts as a lower triangle (the matrix is symmetric, and a code with
    itself is left out), in eight discrete shades with a colour bar. Needs two labels.

    Sized to its content: cells big enough for their count, labels at a readable size, and the colour
    bar beside the grid, in the empty upper corner of the triangle when it fits there."""
    from . import svg as draw

    labels = [_one_line(label) for label in labels]
    size = len(labels)
    rows, cols = labels[1:], labels[:-1]  # the first row and last column of a lower triangle are empty
    n = size - 1
    cell = max(18 if n > 20 else 26, min(40, 260 / max(n, 1)))
    label_font = 12 if cell >= 22 else 11
    margin = max((_text_width(label, label_font) for label in labels), default=0) + 12
    grid_size = cell * n
    top, left = 8, margin
    cells = [(i, j, counts[i + 1][j]) for i in range(n) for j in range(i + 1)]
    highest = max((v for _, _, v in cells), default=0)
    vmax = max(highest, 1)
    tick_room = _text_width(str(vmax), 11) + 26
    # The colour bar sits in the empty upper-right corner of the triangle when the grid is big enough
    # (at row i the cells end at (i + 1) * cell); otherwise to the right of the grid.
    legend_title = "segments with both codes"
    title_width = _text_width(legend_title, 11)
    bar_height = min(grid_size * 0.45, 200)
    inside_x = left + grid_size - 16 - tick_room
    inside = inside_x - left > bar_height + cell + 12 and grid_size - title_width > cell + 8
    bar_x = inside_x if inside else left + grid_size + 24
    bar_top = top + 18 if inside else top + 18 + (grid_size - bar_height) / 2
    legend_right = bar_x + 16 + tick_room  # the title ends here, right-aligned with the tick numbers
    width = (left + grid_size + 8) if inside else max(legend_right, bar_x + title_width) + 8
    height = top + grid_size + margin + 4

    d = _drawing(width, height, "Co-occurrence heatmap: segments with both codes", "heatmap")
    # One path per shade (all its squares), not one element per cell: the SVG stays small. The path data
    # is joined here: Path.M()/H()/... extend one string, which would grow quadratically with the cells.
    shades: dict[int, list[str]] = {}
    side = _r(cell)
    for i, j, value in cells:
        shade = min(int(value / vmax * len(_BLUES)), len(_BLUES) - 1)
        x, y = _r(left + j * cell), _r(top + i * cell)
        shades.setdefault(shade, []).append(f"M{x},{y} h{side} v{side} h-{side} Z")
    for shade, squares in sorted(shades.items()):
        color = _BLUES[shade]
        d.append(draw.Path(" ".join(squares), fill=color, stroke=color, stroke_width=0.3))
    number_font = 10 if cell >= 22 else 9
    numbers = draw.Group(text_anchor="middle", font_size=number_font)
    for i, j, value in cells:
        if value:  # an empty cell stays empty: the shade already says 0
            color = "white" if highest and value > highest / 2 else _INK
            x, y = _r(left + (j + 0.5) * cell), _r(top + (i + 0.5) * cell + number_font / 3)
            numbers.append(draw.Text(str(value), None, x, y, fill=color))
    d.append(numbers)
    names = draw.Group(text_anchor="end", font_size=label_font)
    for i, label in enumerate(rows):
        names.append(draw.Text(label, None, _r(left - 6), _r(top + (i + 0.5) * cell + 4)))
    base = _r(top + grid_size + 6)
    for j, label in enumerate(cols):
        x = _r(left + (j + 0.5) * cell + 4)
        names.append(draw.Text(label, None, x, base, transform=f"rotate(-90 {x} {base})"))
    d.append(names)
    axes = draw.Path(fill="none", stroke=_INK)
    axes.M(_r(left), _r(top)).V(_r(top + grid_size)).H(_r(left + grid_size))
    d.append(axes)
    # Colour bar: the eight shades bottom (0) to top (the highest count), integer ticks beside it.
    step = bar_height / len(_BLUES)
    for shade, color in enumerate(_BLUES):
        y = bar_top + bar_height - (shade + 1) * step
        d.append(draw.Rectangle(_r(bar_x), _r(y), 16, _r(step), fill=color))
    d.append(draw.Rectangle(_r(bar_x), _r(bar_top), 16, _r(bar_height), fill="none", stroke=_MUTED))
    ticks = draw.Group(stroke=_MUTED)
    tick_numbers = draw.Group(font_size=11, fill=_MUTED)
    for value in _integer_ticks(vmax):
        y = bar_top + bar_height - value / vmax * bar_height
        ticks.append(draw.Line(_r(bar_x + 16), _r(y), _r(bar_x + 20), _r(y)))
        tick_numbers.append(draw.Text(str(value), None, _r(bar_x + 23), _r(y + 4)))
    d.extend([ticks, tick_numbers])
    title_x = legend_right if inside else max(legend_right, bar_x + title_width)
    d.append(draw.Text(legend_title, 11, _r(title_x), _r(bar_top - 6), text_anchor="end"))
    return _svg(d)


def line_chart(
    series: dict[str, list[float]], *, xlabel: str, ylabel: str, name: str, label: str | None = None
) -> str:
    """Lines through points (x = 1, 2, ... per series), one colour per series with a legend, integer
    axes from 0. For cumulative counts such as the saturation curve."""
    from . import svg as draw

    names = [_one_line(s) for s in series]
    longest = max((len(v) for v in series.values()), default=0)
    top_value = max((max(v) for v in series.values() if v), default=0)
    y_ticks = _integer_ticks(max(math.ceil(top_value), 1))
    y_top = max(y_ticks[-1], top_value, 1)
    x_ticks = [1] + [t for t in _integer_ticks(max(longest, 1)) if t > 1]
    left, top, plot_w, plot_h = 56, 12, 480, 240
    legend = max(map(_text_width, names), default=0) + 36
    width, height = left + plot_w + 24 + legend, top + plot_h + 52
    bottom = top + plot_h

    def sx(x: float) -> float:
        return left + (x - 1) / max(longest - 1, 1) * plot_w

    def sy(y: float) -> float:
        return bottom - y / y_top * plot_h

    d = _drawing(width, height, label or ylabel, name)
    grid = draw.Group(stroke=_GRID)
    numbers = draw.Group(fill=_MUTED)
    for value in y_ticks:
        y = _r(sy(value))
        grid.append(draw.Line(_r(left), y, _r(left + plot_w), y))
        numbers.append(draw.Text(str(value), None, _r(left - 6), _r(sy(value) + 4), text_anchor="end"))
    for value in x_ticks:
        numbers.append(draw.Text(str(value), None, _r(sx(value)), _r(bottom + 15), text_anchor="middle"))
    d.extend([grid, numbers])
    d.append(draw.Text(_one_line(xlabel), None, _r(left + plot_w / 2), _r(bottom + 34), text_anchor="middle"))
    x, y = _r(14), _r(top + plot_h / 2)
    d.append(draw.Text(_one_line(ylabel), None, x, y, text_anchor="middle", transform=f"rotate(-90 {x} {y})"))
    d.append(_y_axis(draw, left, top, bottom))
    d.append(draw.Line(_r(left), _r(bottom), _r(left + plot_w), _r(bottom), stroke=_INK))
    for k, (series_name, values) in enumerate(zip(names, series.values())):
        color = _COLORS[k % len(_COLORS)]
        points = [(_r(sx(i)), _r(sy(v))) for i, v in enumerate(values, start=1)]
        if len(points) > 1:
            d.append(
                draw.Lines(
                    *[c for p in points for c in p], close=False, fill="none", stroke=color, stroke_width=2
                )
            )
        dots = draw.Group(fill=color)
        for i, ((px, py), value) in enumerate(zip(points, values), start=1):
            dot = draw.Circle(px, py, 3)
            dot.append_title(f"{series_name}: {_tick(value)} after {i}")
            dots.append(dot)
        d.append(dots)
        lx, ly = left + plot_w + 24, top + 4 + k * 22
        d.append(draw.Rectangle(_r(lx), _r(ly), 12, 12, fill=color))
        d.append(draw.Text(series_name, None, _r(lx + 18), _r(ly + 10.5)))
    return _svg(d)
