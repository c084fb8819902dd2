"""The charts' SVG writer (report/svg.py) writes what drawsvg 2 writes for the same drawing, byte for byte.

drawsvg drew the charts before it: each chart is drawn twice on random inputs, once with the writer and
once with drawsvg in its place, and the two pages must be equal."""

from __future__ import annotations

import types

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wei_qual.report
from wei_qual.report import charts

drawsvg = pytest.importorskip("drawsvg")


class _DrawsvgDrawing(drawsvg.Drawing):
    def svg(self) -> str:  # what charts._svg asked of drawsvg
        return self.as_svg(header="").strip()


_DRAWSVG = types.SimpleNamespace(
    Drawing=_DrawsvgDrawing,
    **{
        name: getattr(drawsvg, name)
        for name in ("Group", "Line", "Lines", "Path", "Text", "Rectangle", "Circle")
    },
)


def _both(draw):
    """draw() with the writer, then with drawsvg in its place."""
    ours = draw()
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(wei_qual.report, "svg", _DRAWSVG)
        theirs = draw()
    return ours, theirs


# Labels with what must be escaped in text (& < >), quotes (attribute values are ours, not the
# labels'), non-ASCII, control characters and line breaks (charts._one_line).
_LABEL = st.text(alphabet=st.sampled_from(list("ab Z09&<>\"'é–\x1b\n\r\u2028")), max_size=12)
_VALUE = st.one_of(st.floats(min_value=-1, max_value=1), st.just(float("nan")))


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(_LABEL, st.one_of(st.none(), _VALUE)), max_size=6),
    st.data(),
)
def test_the_agreement_chart_is_drawsvgs(items, data):
    intervals = [
        data.draw(st.one_of(st.none(), st.tuples(_VALUE, _VALUE).map(sorted).map(tuple))) for _ in items
    ]
    ours, theirs = _both(lambda: charts.agreement_chart(items, intervals))
    assert ours == theirs


@settings(max_examples=25, deadline=None)
@given(st.lists(_LABEL, max_size=5), st.lists(_LABEL, min_size=1, max_size=3, unique=True), st.data())
def test_the_grouped_bar_chart_is_drawsvgs(labels, names, data):
    percent = st.floats(min_value=0, max_value=100)
    series = {
        name: data.draw(st.lists(percent, min_size=len(labels), max_size=len(labels))) for name in names
    }
    ours, theirs = _both(lambda: charts.grouped_bar_chart(labels, series, xlabel="% of <all>", name="f&q"))
    assert ours == theirs


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=2, max_value=25), st.data())
def test_the_heatmap_is_drawsvgs(size, data):
    labels = data.draw(st.lists(_LABEL, min_size=size, max_size=size))
    counts = [[data.draw(st.integers(min_value=0, max_value=500)) for _ in range(size)] for _ in range(size)]
    ours, theirs = _both(lambda: charts.heatmap(labels, counts))
    assert ours == theirs


@settings(max_examples=20, deadline=None)
@given(
    st.dictionaries(_LABEL, st.lists(st.integers(min_value=0, max_value=60), max_size=30), max_size=4),
    _LABEL,
)
def test_the_line_chart_is_drawsvgs(series, label):
    ours, theirs = _both(
        lambda: charts.line_chart(series, xlabel="Transcripts", ylabel=label, name="saturation", label=label),
    )
    assert ours == theirs


def test_a_text_of_two_lines_is_refused():
    from wei_qual.report.svg import Text

    with pytest.raises(ValueError, match="more than one line"):
        Text("two\nlines", None, 0, 0)
