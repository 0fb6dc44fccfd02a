"""Every colour pair the themes draw meets WCAG AA, computed from the palettes themselves."""

from __future__ import annotations

import re
from dataclasses import asdict

import pytest

from desktop.contrast import NON_TEXT, TEXT, contrast_ratio
from desktop.ui.window import theme
from desktop.ui.window.resources import resource


@pytest.mark.parametrize("name", sorted(theme.PALETTES))
def test_every_text_pair_has_at_least_4_5_to_1(name: str) -> None:
    colors = asdict(theme.PALETTES[name])
    failing = {
        (fg, bg): round(contrast_ratio(colors[fg], colors[bg]), 2)
        for fg, bg in theme.TEXT_PAIRS
        if contrast_ratio(colors[fg], colors[bg]) < TEXT
    }
    assert failing == {}


@pytest.mark.parametrize("name", sorted(theme.PALETTES))
def test_every_mark_and_control_edge_has_at_least_3_to_1(name: str) -> None:
    colors = asdict(theme.PALETTES[name])
    failing = {
        (fg, bg): round(contrast_ratio(colors[fg], colors[bg]), 2)
        for fg, bg in theme.NON_TEXT_PAIRS
        if contrast_ratio(colors[fg], colors[bg]) < NON_TEXT
    }
    assert failing == {}


def test_the_high_contrast_theme_reaches_the_enhanced_level() -> None:
    colors = asdict(theme.HIGH_CONTRAST)
    assert min(contrast_ratio(colors[fg], colors[bg]) for fg, bg in theme.TEXT_PAIRS) >= 7.0


def test_every_colour_the_stylesheet_uses_is_checked_in_some_pair() -> None:
    """A colour added to the stylesheet without a pair would escape the two tests above."""
    sheet = resource("styles", "app.qss").read_text(encoding="utf-8")
    used = set(re.findall(r"\$(\w+)", re.sub(r"/\*.*?\*/", "", sheet, flags=re.DOTALL)))
    paired = {c for pair in (*theme.TEXT_PAIRS, *theme.NON_TEXT_PAIRS) for c in pair}
    assert used - paired - theme.DECORATIVE == set()
