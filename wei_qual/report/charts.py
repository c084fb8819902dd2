"""Inline SVG charts for the HTML report, drawn with matplotlib's object API (no pyplot, no GUI backend).

matplotlib is imported inside the functions, so the CLI starts fast. Labels are drawn with
parse_math=False, so a code name holding "$" is shown as written instead of parsed as TeX.
"""

from __future__ import annotations

import io
import math
import re

ALPHA_TENTATIVE, ALPHA_RELIABLE = 0.667, 0.800  # Krippendorff's thresholds (DESIGN §5)
_COLORS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c"]
_RC = {
    "svg.fonttype": "none",  # text stays <text>: small, selectable; the browser's own sans-serif draws it
    "svg.hashsalt": "wei-qual",  # stable element ids, so the same data gives the same file
    "font.family": "sans-serif",
    "font.size": 9,
}


def _svg(fig, prefix: str) -> str:
    """The figure as an <svg> element scaling to its container: no XML prolog, DOCTYPE or metadata,
    and every element id prefixed, so several charts in one page never share an id."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buffer = io.StringIO()
    FigureCanvasSVG(fig).print_svg(buffer, metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.DOTALL)
    # Natural size as a maximum, so a small chart is not blown up to the page width.
    svg = re.sub(
        r'<svg([^>]*?) width="([^"]*)" height="[^"]*"',
        r'<svg\1 class="chart" role="img" style="max-width: \2"',
        svg,
        count=1,
    )
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    return re.sub(r'(url\(#|href="#)([^")]+)', rf"\1{prefix}-\2", svg)


def _label_inches(labels: list[str], size: float = 9) -> float:
    """Rough width of the longest label: about 0.6 em per character. Margins are set from this instead
    of matplotlib's constrained layout, which measures every label and was most of the drawing time."""
    return max((len(label) for label in labels), default=1) * size * 0.6 / 72


def _figure(
    width: float, height: float, *, left: float, bottom: float = 0.55, right: float = 0.2, top: float = 0.35
):
    """A figure whose axes sit inside margins given in inches."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    fig.subplots_adjust(
        left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height
    )
    return fig


def agreement_chart(items: list[tuple[str, float | None]]) -> str:
    """Horizontal bars of Krippendorff's alpha per code, with lines at .667 and .800; None is "n/a"."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        labels = [label for label, _ in items]
        left = _label_inches(labels) + 0.25
        fig = _figure(max(7.5, left + 4.5), 0.9 + 0.25 * max(len(items), 1), left=left)
        ax = fig.add_subplot()
        values = [0.0 if v is None or math.isnan(v) else v for _, v in items]
        colors = [
            "#bbbbbb"
            if v is None
            else "#55a868"
            if v >= ALPHA_RELIABLE
            else "#dd8452"
            if v >= ALPHA_TENTATIVE
            else "#c44e52"
            for _, v in items
        ]
        positions = list(range(len(items)))
        ax.barh(positions, values, color=colors)
        for y, (_, v) in zip(positions, items):
            if v is None or math.isnan(v):
                ax.text(0.01, y, "n/a", va="center", fontsize=8, color="#555555", parse_math=False)
        ax.set_yticks(positions, labels, parse_math=False)
        ax.set_ylim(len(items) - 0.5, -0.5)
        low = min([0.0] + values)
        ax.set_xlim(min(low - 0.05, 0.0), 1.0)
        for x, style in ((ALPHA_TENTATIVE, "--"), (ALPHA_RELIABLE, "-")):
            ax.axvline(x, color="#333333", linestyle=style, linewidth=1)
            ax.text(x, -0.6, f"{x:.3f}".lstrip("0"), ha="center", va="bottom", fontsize=8, parse_math=False)
        ax.set_xlabel("Krippendorff's alpha (nominal)")
        return _svg(fig, "agreement")


def grouped_bar_chart(labels: list[str], series: dict[str, list[float]], *, xlabel: str, name: str) -> str:
    """Horizontal grouped bars: one group of bars per label, one bar per series (e.g. role values)."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        n = max(len(series), 1)
        left = _label_inches(labels) + 0.25
        right = _label_inches(list(series), 8) + 0.7 if len(series) > 1 else 0.2  # legend beside the bars
        fig = _figure(
            left + 4.5 + right, 0.9 + 0.22 * max(len(labels), 1) * max(n, 1.5), left=left, right=right
        )
        ax = fig.add_subplot()
        height = 0.8 / n
        for i, (series_name, values) in enumerate(series.items()):
            positions = [y - 0.4 + height * (i + 0.5) for y in range(len(labels))]
            ax.barh(positions, values, height=height, color=_COLORS[i % len(_COLORS)], label=series_name)
        ax.set_yticks(list(range(len(labels))), labels, parse_math=False)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.set_xlim(0, 100)
        ax.set_xlabel(xlabel)
        if len(series) > 1:
            legend = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
            for text in legend.get_texts():
                text.set_parse_math(False)
        return _svg(fig, name)


def heatmap(labels: list[str], counts: list[list[int]]) -> str:
    """Code x code co-occurrence counts as a lower triangle (the matrix is symmetric, and a code with
    itself is left out), in a few discrete shades so the colour bar stays small. Needs two labels."""
    import matplotlib
    import numpy as np
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path
    from matplotlib.ticker import MaxNLocator

    with matplotlib.rc_context(_RC):
        size = len(labels)
        rows, cols = labels[1:], labels[:-1]  # the first row and last column of a lower triangle are empty
        n = size - 1
        cell = max(0.28 if n > 20 else 0.5, 2.5 / max(n, 1))  # at least 2.5 inches of grid
        margin = _label_inches(labels) + 0.3
        fig = _figure(
            margin + cell * n + 1.5, margin + cell * n + 0.3, left=margin, bottom=margin, right=1.5, top=0.3
        )
        ax = fig.add_subplot()
        grid = np.array(counts, dtype=float).reshape(size, size)[1:, :-1]
        grid[np.triu_indices(n, k=1)] = np.nan
        top = int(np.nanmax(grid)) if n else 0
        shades = 8
        cmap = matplotlib.colormaps["Blues"].resampled(shades)
        norm = Normalize(vmin=0, vmax=max(top, 1))
        # One compound path per shade (all its squares), not one element per cell: the SVG stays
        # small and drawing takes a fraction of pcolor's time. Vector, unlike imshow's raster PNG.
        rows_i, cols_j = np.tril_indices(n)
        levels = np.minimum((grid[rows_i, cols_j] / norm.vmax * shades).astype(int), shades - 1)
        for shade in np.unique(levels):
            cells = list(zip(cols_j[levels == shade].tolist(), rows_i[levels == shade].tolist()))
            vertices = [v for j, i in cells for v in ((j, i), (j + 1, i), (j + 1, i + 1), (j, i + 1), (j, i))]
            path_codes = [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY] * len(cells)
            color = cmap((shade + 0.5) / shades)
            # add_artist, not add_patch: the limits are set below, so skip matplotlib's per-vertex update.
            ax.add_artist(PathPatch(Path(vertices, path_codes), facecolor=color, edgecolor=color, linewidth=0.3))
        ax.set_xlim(0, n)
        ax.set_xticks([i + 0.5 for i in range(n)], cols, rotation=90, parse_math=False)
        ax.set_yticks([i + 0.5 for i in range(n)], rows, parse_math=False)
        ax.set_ylim(n, 0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if n <= 20:  # numbers stay readable only on a small grid
            for i in range(n):
                for j in range(i + 1):
                    color = "white" if top and grid[i, j] > top / 2 else "black"
                    ax.text(
                        j + 0.5,
                        i + 0.5,
                        str(int(grid[i, j])),
                        ha="center",
                        va="center",
                        fontsize=7,
                        color=color,
                    )
        colorbar = fig.colorbar(
            ScalarMappable(norm=norm, cmap=cmap), ax=ax, label="segments with both codes", shrink=0.8, pad=0.04
        )
        colorbar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        colorbar.solids.set_rasterized(False)  # matplotlib rasterizes colorbars by default: keep it vector
        return _svg(fig, "heatmap")
