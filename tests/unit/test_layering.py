"""The architecture's import rules, checked the cheap way (napari's headless run) and with
import-linter's contracts from pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QT_FREE = [
    "desktop.protocol",
    "desktop.streaming",
    "desktop.store",
    "desktop.metrics",
    "desktop.server",
    "desktop.conversation",
    "desktop.markdown",
]
#: Qt-free modules at the top of the package, beside the layers.
QT_FREE_MODULES = [
    "desktop.settings",
    "desktop.credentials",
    "desktop.exit_codes",
    "desktop.connection",
    "desktop.window_options",
]

_PROBE = """
import importlib, pkgutil, sys
for name in {modules!r}:
    importlib.import_module(name)
for name in {packages!r}:
    package = importlib.import_module(name)
    for info in pkgutil.walk_packages(package.__path__, name + "."):
        importlib.import_module(info.name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {{"PySide6", "qasync", "pyqtgraph"}})
print(",".join(loaded))
"""


def test_qt_free_layers_load_no_qt_module() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE.format(packages=QT_FREE, modules=QT_FREE_MODULES)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert result.stdout.strip() == ""


def test_protocol_loads_no_io_module() -> None:
    probe = (
        "import importlib, pkgutil, sys, desktop.protocol as p\n"
        "for i in pkgutil.walk_packages(p.__path__, 'desktop.protocol.'):\n"
        "    importlib.import_module(i.name)\n"
        "io = ('httpx', 'sqlite3', '_sqlite3', 'socket', 'starlette', 'redis', 'asyncio')\n"
        "print(','.join(sorted(m for m in io if m in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""


def test_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
