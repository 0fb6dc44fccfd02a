"""pytest-qt fixtures for window tests: a qasync runner, a running app, the app style restored.

Conftest files re-export these by name (``from tests.helpers.qt_fixtures import *``), so the
window tests under ``tests/ui`` and ``tests/e2e/window`` share one definition.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication

__all__ = ["_keep_app_running", "restore_app_style", "run_async"]


@pytest.fixture(autouse=True)
def _keep_app_running(qapp: QApplication) -> Iterator[None]:
    """Closing a test window must not quit the application (and stop a qasync loop).

    Afterwards, collect the test's garbage here, on the GUI thread: left to chance, the cyclic
    collector may run in some later test's worker thread (a cache writer, a server) and free Qt
    objects there, which crashes Qt.
    """
    qapp.setQuitOnLastWindowClosed(False)
    yield
    QApplication.processEvents()
    gc.collect()


@pytest.fixture
def restore_app_style(qapp: QApplication) -> Iterator[None]:
    """Undo what a test's theme did to the whole application."""
    style, palette, sheet, font = (
        qapp.style().name(),
        qapp.palette(),
        qapp.styleSheet(),
        qapp.font(),
    )
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


@pytest.fixture
def run_async(qapp: QApplication) -> Iterator[Callable[..., Any]]:
    """Run a coroutine to completion on a qasync loop; Qt events keep flowing."""
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(qapp)) as runner:
        yield runner.run
