"""Benchmark `wei-qual codebook import` of a large REFI-QDA codebook: it must grow linearly with the codes.

Generates .qdc files of 5,000, 10,000 and 20,000 codes (themes of 99 codes each, as NVivo exports them;
fictional names) and times the import to YAML (read, convert, validate, write) against lxml parsing the
same file, measured in the same run. Linear means the time per code stays flat as the codebook grows.

    python bench/bench_qdc.py
    python bench/bench_qdc.py --sizes 5000 20000 40000
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

from lxml import etree

from wei_qual.codebook.exchange import import_qdc_file


def make_qdc(path: Path, codes: int, per_theme: int = 99) -> None:
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>']
    made = theme = 0
    while made < codes:
        parts.append(f'<Code guid="{uuid.uuid4()}" name="Theme {theme}" isCodable="true">')
        parts.append(f"<Description>What participants said about theme {theme}.</Description>")
        made += 1
        for child in range(min(per_theme, codes - made)):
            parts.append(
                f'<Code guid="{uuid.uuid4()}" name="Code {theme}-{child}" isCodable="true">'
                f"<Description>A fictional code, number {child} of theme {theme}.</Description></Code>"
            )
            made += 1
        parts.append("</Code>")
        theme += 1
    parts.append("</Codes></CodeBook>")
    path.write_text("".join(parts), encoding="utf-8")


def _cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="wei-qual-bench-qdc-"))
    print(f"{'codes':>7} {'import CPU s':>13} {'µs per code':>12} {'lxml parse s':>13} {'ratio':>6}")
    for size in args.sizes:
        qdc = folder / f"codes-{size}.qdc"
        make_qdc(qdc, size)
        imported = _cpu(lambda qdc=qdc, size=size: import_qdc_file(qdc, folder / f"codes-{size}.yaml"))
        parsed = _cpu(lambda qdc=qdc: sum(1 for _ in etree.parse(str(qdc)).getroot().iter()))
        print(
            f"{size:>7,} {imported:>13.2f} {imported / size * 1e6:>12.0f} {parsed:>13.3f} {imported / parsed:>6.0f}"
        )


if __name__ == "__main__":
    main()
