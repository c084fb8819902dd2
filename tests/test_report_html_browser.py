"""The HTML report in a real browser: Debian's headless Chromium renders it without console errors.

Skipped only when the `chromium` package is absent (.ci/run installs it). Console messages are read
from Chromium's own log (--enable-logging=stderr), where each appears as an "INFO:CONSOLE" line; the
page has no script, so any console line is an error (a CSP-blocked load, a parse error...). A control
page that does log an error proves the detection works with the installed Chromium.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_report_project import build_report_project

from wei_qual.report.data import load_report_data
from wei_qual.report.html import build_html

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed: install it with `apt-get install chromium` to run the browser test",
)


def _chromium(page: Path, tmp_path: Path, *options: str) -> subprocess.CompletedProcess:
    """Run headless Chromium on the page with `options`, offline and with a throwaway profile."""
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            *options,
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def _render(page: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    """Screenshot the page; return the PNG and the console lines Chromium logged."""
    shot = tmp_path / f"{page.stem}.png"
    result = _chromium(
        page, tmp_path, "--enable-logging=stderr", "--v=0", f"--screenshot={shot}", "--window-size=1200,2000"
    )
    return shot, [line for line in result.stderr.splitlines() if ":CONSOLE" in line]


def _dom(page: Path, tmp_path: Path) -> str:
    """The page's DOM after Chromium parsed it (text nodes serialised with < escaped)."""
    return _chromium(page, tmp_path, "--dump-dom").stdout


def _colours(png: Path) -> tuple[int, float]:
    """Distinct colours in the screenshot, and the share of pixels that are not the white background."""
    from PIL import Image

    image = Image.open(png).convert("RGB")
    total = image.width * image.height
    colours = {colour: count for count, colour in image.getcolors(maxcolors=total)}
    return len(colours), 1 - colours.get((255, 255, 255), 0) / total


def test_report_renders_in_chromium_without_console_errors(db, tmp_path):
    build_report_project(db)
    page = tmp_path / "report.html"
    page.write_text(build_html(load_report_data(db, with_coders=True)), encoding="utf-8")
    shot, console = _render(page, tmp_path)
    assert console == []
    colours, ink = _colours(shot)
    assert colours > 100  # text antialiasing, bar colours, heatmap blues
    assert ink > 0.05
    dom = _dom(page, tmp_path)
    assert "We wait | and wait [inaudible] &lt;script&gt;alert(1)&lt;/script&gt; for a bed." in dom
    assert "<script" not in dom and dom.count("<svg") == 4  # agreement, frequency, co-occurrence, saturation


def test_console_errors_are_detected(tmp_path):
    control = tmp_path / "control.html"
    control.write_text(
        '<!doctype html><p>control</p><script>console.error("boom")</script>', encoding="utf-8"
    )
    _, console = _render(control, tmp_path)
    assert any('"boom"' in line for line in console)
