"""Where the app's data files are: ``resources/`` of a checkout, of a frozen bundle or of an
installed wheel (``<prefix>/share/assist-desktop``).

One lookup for every layer (the window's styles and translations, the demo server's knowledge
articles), so a new way of shipping the app is taught here once. Standard library only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Final

RESOURCES_ENV: Final = "ASSIST_RESOURCES"


def candidates() -> Iterator[Path]:
    """Every place resources may live, most specific first."""
    override = os.environ.get(RESOURCES_ENV)
    if override:
        yield Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if isinstance(bundle, str):  # a PyInstaller bundle
        yield Path(bundle) / "resources"
    yield Path(__file__).resolve().parents[1] / "resources"  # a checkout or editable install
    yield Path(sys.prefix) / "share" / "assist-desktop"  # a wheel's data files


def resources_dir() -> Path:
    """The first existing candidate (the checkout's path when none exists, for clear errors)."""
    tried = list(candidates())
    return next((path for path in tried if path.is_dir()), tried[-2])


def resource(*parts: str) -> Path:
    """A path below :func:`resources_dir`, e.g. ``resource("styles", "app.qss")``."""
    return resources_dir().joinpath(*parts)
