"""Takes the README screenshot of two conversations answering at once (``concurrent.png``).

The window's own entry point with ``--ask`` twice on the embedded demo server at 12 tokens/s:
both conversations stream, the second is in view, and the history marks both as answering. The
shot is taken a few seconds in, while both still stream (``--screenshot`` alone would wait for
the ends). Run under a real X server for faithful fonts, e.g. ``Xvfb :99 -screen 0 1400x900x24 &``
and ``DISPLAY=:99 .venv/bin/python docs/screenshots/make_concurrent_screenshot.py``.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer

from desktop import app

OUT = Path(__file__).resolve().parent / "concurrent.png"
#: How long after both questions went out the window is photographed (milliseconds).
SHOT_AFTER_MS = 5000


def main() -> int:
    ask_all = app.DesktopApp._ask_all

    def ask_then_shoot(self: app.DesktopApp, messages: Sequence[str]) -> None:
        ask_all(self, messages)
        QTimer.singleShot(SHOT_AFTER_MS, self._take_screenshot)  # closes: --quit-when-done

    app.DesktopApp._ask_all = ask_then_shoot  # type: ignore[method-assign]
    data = Path(tempfile.mkdtemp(prefix="concurrent-shot-"))
    return app.main(
        [
            "--settings", str(data / "settings.json"), "--db", str(data / "cache.sqlite3"),
            "--lang", "en", "--theme", "light", "--size", "1200x760", "--token-rate", "12",
            "--ask", "How do I export a conversation?",
            "--ask", "Wie setze ich mein Passwort zurück?",
            "--screenshot", str(OUT), "--quit-when-done",
        ]
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
