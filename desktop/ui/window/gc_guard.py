"""Runs Python's cycle collector on the GUI thread only.

The window shares its process with worker threads (the embedded server, the cache writer). Left
alone, the cycle collector runs in whichever thread happens to allocate, and may free a Qt
object there: Qt objects must die on the thread that owns them, or the next event crashes the
process. So automatic collection is switched off, and a timer on the GUI thread collects the
generations whose counts passed their thresholds, as the automatic collector would.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Owns garbage collection while it is installed (``install``/``uninstall``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        self._timer = QTimer(self)
        self._timer.setObjectName("gui-thread-gc")
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)

    def install(self) -> None:
        gc.disable()
        self._timer.start()

    def uninstall(self) -> None:
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def collect_due(self) -> int:
        """Collect the generations that are due; returns the number of objects found."""
        count0, count1, count2 = gc.get_count()
        found = 0
        if count0 > self._threshold[0]:
            found += gc.collect(0)
            if count1 > self._threshold[1]:
                found += gc.collect(1)
                if count2 > self._threshold[2]:
                    found += gc.collect(2)
        return found
