"""WCAG contrast ratios from plain colour strings."""

from __future__ import annotations

import pytest

from desktop.contrast import contrast_ratio, relative_luminance


def test_the_ratio_matches_the_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#777777") == contrast_ratio("#777777", "#ffffff")
    with pytest.raises(ValueError, match="rrggbb"):
        relative_luminance("red")
