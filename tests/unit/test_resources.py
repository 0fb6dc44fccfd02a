"""One lookup finds the data files of a checkout, a frozen bundle, a wheel or an override."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desktop.resources import candidates, resource, resources_dir
from desktop.server.backends.articles import knowledge_dir

CHECKOUT = Path(__file__).resolve().parents[2] / "resources"


def test_a_checkout_finds_its_own_resources() -> None:
    assert resources_dir() == CHECKOUT
    assert resource("styles", "app.qss").is_file()
    assert knowledge_dir() == CHECKOUT / "knowledge"


def test_the_override_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "only.md").write_text("# Only\n\nText.\n")
    monkeypatch.setenv("ASSIST_RESOURCES", str(tmp_path))
    assert resources_dir() == tmp_path
    assert knowledge_dir() == tmp_path / "knowledge"


def test_a_frozen_bundle_is_looked_in_before_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "resources").mkdir()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert next(iter(candidates())) == tmp_path / "resources"
    assert resources_dir() == tmp_path / "resources"


def test_a_wheel_install_looks_under_the_prefix() -> None:
    assert Path(sys.prefix) / "share" / "assist-desktop" in list(candidates())
