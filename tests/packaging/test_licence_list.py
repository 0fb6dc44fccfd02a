"""THIRD_PARTY_LICENSES.md is generated from the same metadata as the About dialog."""

from __future__ import annotations

import importlib.util
import re
import sys
from importlib.metadata import requires
from pathlib import Path
from types import ModuleType

from desktop.ui.window.bundled_components import bundled_components

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "third_party_licenses", ROOT / "packaging" / "third_party_licenses.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("third_party_licenses", module)
    spec.loader.exec_module(module)
    return module


def test_the_table_lists_every_bundled_component_with_its_licence() -> None:
    text = _load().render(with_texts=False)
    for component in bundled_components():
        assert f"| {component.name} | {component.version} | {component.licence} |" in text
    assert "| Python (CPython) |" in text
    assert "GNU Lesser General Public License v3" in text
    assert "## Licence texts" not in text


def test_the_shipped_copy_carries_the_licence_texts() -> None:
    text = _load().render(with_texts=True)
    assert "## Licence texts" in text
    assert "### httpx " in text
    assert "Copyright" in text


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_committed_table_names_every_direct_dependency() -> None:
    committed = (ROOT / "packaging" / "THIRD_PARTY_LICENSES.md").read_text(encoding="utf-8")
    listed = {
        _canonical(row.split("|")[1].strip()) for row in committed.splitlines()[6:] if "|" in row
    }
    direct = {
        _canonical(re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0])
        for requirement in requires("assist-desktop") or []
        if "extra ==" not in requirement
    }
    assert direct
    assert direct <= listed
