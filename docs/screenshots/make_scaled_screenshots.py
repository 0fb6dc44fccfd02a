"""Screenshots of the real window at 200 % on a 1080p screen, in every theme, to look at.

    .venv/bin/python docs/screenshots/make_scaled_screenshots.py OUT_DIR [--theme THEME]

Runs the same display, buses and app as the AT-SPI tests; the answer comes from the embedded
demo server, then the shortcuts dialog and the metrics dock are opened by their keys.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

from a11y.desktop_session import desktop_session, wait_for

QUESTION = "How do I export a conversation?"


def take(out: Path, theme: str, screen: str = "1920x1080") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with (
        tempfile.TemporaryDirectory() as work,
        desktop_session(
            Path(work),
            app_args=("--token-rate", "0", "--ask", QUESTION, "--theme", theme),
            extra_env={"QT_SCALE_FACTOR": "2"},
            screen=screen,
        ) as session,
    ):
        wait_for(
            lambda: session.probe.find(role="label", name="Answer text", state="showing"),
            "the answer",
        )
        time.sleep(1)  # the last frame paints; a picture, not a measurement
        shots.append(session.screenshot(out / f"{theme}-200-window.png"))
        for keys, name in (("F1", "shortcuts"), ("ctrl+shift+m", "metrics")):
            session.focus_window()
            session.keys(keys)
            time.sleep(1.5)
            shots.append(session.screenshot(out / f"{theme}-200-{name}.png"))
            session.keys("Escape")
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--theme", action="append", choices=("light", "dark", "high_contrast"))
    args = parser.parse_args()
    for theme in args.theme or ["light", "dark", "high_contrast"]:
        for path in take(args.out, theme):
            sys.stdout.write(f"saved {path}\n")


if __name__ == "__main__":
    main()
