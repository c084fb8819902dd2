"""The few SVG elements the report's charts draw, written as text: groups, lines, paths, rectangles,
circles, text and tooltips (<title>).

The markup is the one drawsvg 2 writes for the same calls (tests/test_report_svg.py compares the two on
random charts), at a fraction of its cost: drawsvg's import loads Python's HTTP client and e-mail
packages (through xml.sax.saxutils), and it walks a tree of context objects per element, 0.04-0.05 s of
a study's report together. Text content (of <text> and <title>) is escaped (&, <, >); attribute values
are written as given, so a caller escapes any that can hold a project's strings (charts.py does).
Keyword names become attribute names as in drawsvg: `text_anchor` -> `text-anchor`, `class_` -> `class`.
"""

from __future__ import annotations

from typing import Any

_SVG_START = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"\n    '


def _name(key: str) -> str:
    name = key.replace("__", ":").replace("_", "-")
    return name.removesuffix("-")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _attributes(args: dict[str, Any]) -> str:
    return "".join(f' {key}="{value}"' for key, value in args.items() if value is not None)


class _Element:
    """An element with no text of its own; children (a <title>) go on lines of their own."""

    tag = ""

    def __init__(self, **args: Any) -> None:
        self.args = {_name(key): value for key, value in args.items()}
        self.children: list[_Element] = []

    def append(self, element: _Element) -> None:
        self.children.append(element)

    def extend(self, elements: list[_Element]) -> None:
        self.children.extend(elements)

    def append_title(self, text: str) -> None:
        self.children.append(_Title(text))

    def svg(self) -> str:
        start = f"<{self.tag}{_attributes(self.args)}"
        if not self.children:
            return start + " />"
        return f"{start}>\n" + "".join(child.svg() + "\n" for child in self.children) + f"</{self.tag}>"


class Group(_Element):
    tag = "g"

    def svg(self) -> str:  # a group is written open and closed even when empty
        inner = "".join(child.svg() + "\n" for child in self.children)
        return f"<g{_attributes(self.args)}>" + (f"\n{inner}" if inner else "") + "</g>"


class _Text(_Element):
    """An element whose content is escaped text."""

    def __init__(self, text: str, **args: Any) -> None:
        super().__init__(**args)
        self.text = _escape(text)

    def svg(self) -> str:
        return f"<{self.tag}{_attributes(self.args)}>{self.text}</{self.tag}>"


class _Title(_Text):
    tag = "title"


class Text(_Text):
    """One line of text at (x, y); font_size None: the enclosing group's."""

    tag = "text"

    def __init__(self, text: str, font_size: float | None, x: float, y: float, **args: Any) -> None:
        if "\n" in text:  # drawsvg makes one <tspan> per line; the charts give one line (charts._one_line)
            raise ValueError("an SVG text of more than one line")
        super().__init__(text, x=x, y=y, font_size=font_size, **args)


class Path(_Element):
    tag = "path"

    def __init__(self, d: str = "", **args: Any) -> None:
        super().__init__(d=d, **args)

    def _add(self, command: str, *values: float) -> Path:
        step = command + ",".join(map(str, values))
        self.args["d"] += f" {step}" if self.args["d"] else step
        return self

    def M(self, x: float, y: float) -> Path:
        return self._add("M", x, y)

    def L(self, x: float, y: float) -> Path:
        return self._add("L", x, y)

    def H(self, x: float) -> Path:
        return self._add("H", x)

    def V(self, y: float) -> Path:
        return self._add("V", y)


class Lines(Path):
    """A polyline through (x0, y0, x1, y1, ...)."""

    def __init__(self, x: float, y: float, *points: float, close: bool = False, **args: Any) -> None:
        if len(points) % 2:
            raise TypeError("Lines needs an even number of coordinates after the first point")
        super().__init__("", **args)
        self.M(x, y)
        for i in range(0, len(points) - 1, 2):
            self.L(points[i], points[i + 1])
        if close:
            self._add("Z")


class Line(Lines):
    def __init__(self, x1: float, y1: float, x2: float, y2: float, **args: Any) -> None:
        super().__init__(x1, y1, x2, y2, **args)


class Rectangle(_Element):
    tag = "rect"

    def __init__(self, x: float, y: float, width: float, height: float, **args: Any) -> None:
        super().__init__(x=x, y=y, width=width, height=height, **args)


class Circle(_Element):
    tag = "circle"

    def __init__(self, cx: float, cy: float, r: float, **args: Any) -> None:
        super().__init__(cx=cx, cy=cy, r=r, **args)


class Drawing(_Element):
    """An <svg> of `width` x `height` user units (its viewBox), with the attributes given."""

    def __init__(self, width: float, height: float, **args: Any) -> None:
        super().__init__(width=width, height=height, viewBox=f"0 0 {width} {height}", **args)

    def svg(self) -> str:
        body = "".join(child.svg() + "\n" for child in self.children)
        return f"{_SVG_START}{_attributes(self.args)}>\n<defs>\n</defs>\n{body}</svg>"
