"""WCAG 2.1 contrast ratios, computed from colour definitions (plain arithmetic, no Qt).

Success criterion 1.4.3 asks 4.5:1 for text (3:1 for large text), 1.4.11 asks 3:1 for the
parts of controls and for graphics that carry meaning (a focus ring, a state mark).
"""

from __future__ import annotations

from typing import Final

TEXT: Final = 4.5
LARGE_TEXT: Final = 3.0
NON_TEXT: Final = 3.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    """The luminance of ``#rrggbb`` as WCAG defines it (0 black, 1 white)."""
    text = color.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"not a #rrggbb colour: {color!r}")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """From 1 (no contrast) to 21 (black on white); symmetric in its arguments."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)
