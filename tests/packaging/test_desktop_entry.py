"""The freedesktop menu entry names the program and icon that install.sh puts in place."""

from __future__ import annotations

import configparser
from pathlib import Path

ENTRY = Path(__file__).resolve().parents[2] / "packaging" / "linux" / "assist-desktop.desktop"


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(ENTRY, encoding="utf-8")
    return parser["Desktop Entry"]


def test_entry_starts_the_program_by_the_name_install_sh_rewrites() -> None:
    entry = _entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "assist-desktop"
    assert entry["TryExec"] == "assist-desktop"
    assert entry["Icon"] == "assist-desktop"
    assert entry["Terminal"] == "false"


def test_entry_has_german_texts_for_the_german_speaking_staff() -> None:
    entry = _entry()
    assert entry["Comment[de]"]
    assert entry["GenericName[de]"]


def test_categories_and_keywords_end_with_a_semicolon() -> None:
    entry = _entry()
    assert entry["Categories"].endswith(";")
    assert entry["Keywords"].endswith(";")
