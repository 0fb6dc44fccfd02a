"""Where the window finds its styles, icons and translations, in a checkout or a bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """``resources/`` of the checkout, of a PyInstaller bundle, or ``ASSIST_RESOURCES``."""
    override = os.environ.get("ASSIST_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
