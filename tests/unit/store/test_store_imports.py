"""The cache layer stays off Qt and the network: importing all of it loads neither."""

from __future__ import annotations

import subprocess
import sys


def test_the_store_imports_no_qt_and_no_http_client() -> None:
    code = (
        "import sys, pkgutil, importlib, desktop.store as s\n"
        "for m in pkgutil.iter_modules(s.__path__):\n"
        "    importlib.import_module('desktop.store.' + m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in "
        "{'PySide6', 'qasync', 'pyqtgraph', 'httpx', 'httpx_sse'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
