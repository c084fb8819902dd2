"""The layers of docs/architecture.md hold: import-linter's contracts (pyproject.toml) are kept, every
module of the package belongs to a layer, and `import wei_qual.cli` loads no heavy library."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

from importlinter.api import read_configuration
from importlinter.cli import lint_imports

import wei_qual

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
CONTRACTS = {c["id"]: c for c in read_configuration(str(PYPROJECT))["contracts_options"]}
TOP_LEVEL = sorted(m.name for m in pkgutil.iter_modules(wei_qual.__path__) if m.name != "__main__")


def test_import_contracts_are_kept():
    # On failure, the captured output names each broken contract and the import chain that breaks it.
    assert lint_imports(config_filename=str(PYPROJECT), no_cache=True) == 0


def test_every_module_has_a_layer():
    layered = {name.strip() for layer in CONTRACTS["layers"]["layers"] for name in layer.split(":")}
    missing = [m for m in TOP_LEVEL if m not in layered]
    assert not missing, (
        f"wei_qual.{', wei_qual.'.join(missing)} belongs to no layer. Add it to the layers contract in "
        "pyproject.toml (see docs/architecture.md)."
    )
    assert layered <= set(TOP_LEVEL), "the layers contract names a module that does not exist"


def test_only_the_store_uses_sqlite():
    sources = {m.removeprefix("wei_qual.") for m in CONTRACTS["tables-in-store"]["source_modules"]}
    unchecked = [m for m in TOP_LEVEL if m not in sources and m not in ("store", "migrations")]
    assert not unchecked, (
        f"wei_qual.{', wei_qual.'.join(unchecked)} is missing from source_modules of the tables-in-store "
        "contract in pyproject.toml: only wei_qual.store and wei_qual.migrations touch tables."
    )


def test_cli_import_loads_no_heavy_library():
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import wei_qual.cli"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    loaded = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in out.splitlines() if "|" in line}
    heavy = {
        "spacy",
        "numpy",
        "krippendorff",
        "docx",
        "openpyxl",
        "matplotlib",
        "drawsvg",
        "lxml",
        "xmlschema",
        "thinc",
        "pandas",
        "webvtt",
        "scipy",
        "sqlite_utils",
        "yaml",
        "faker",
    }
    assert loaded & heavy == set()
