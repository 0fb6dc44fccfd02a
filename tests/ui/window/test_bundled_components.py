"""Licences and dependencies are read from real package metadata (written to tmp_path here)."""

from __future__ import annotations

from importlib.metadata import PathDistribution, version
from pathlib import Path

from desktop.ui.window.bundled_components import (
    UNKNOWN_LICENCE,
    app_version,
    bundled_components,
    licence_of,
)


def _dist(tmp_path: Path, *lines: str) -> PathDistribution:
    info = tmp_path / "demo-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "\n".join(["Metadata-Version: 2.4", "Name: demo", "Version: 1.0", *lines]) + "\n",
        encoding="utf-8",
    )
    return PathDistribution(info)


def test_an_spdx_expression_wins_over_the_other_fields(tmp_path: Path) -> None:
    dist = _dist(
        tmp_path,
        "License-Expression: Apache-2.0 OR BSD-3-Clause",
        "License: something else",
        "Classifier: License :: OSI Approved :: MIT License",
    )
    assert licence_of(dist) == "Apache-2.0 OR BSD-3-Clause"


def test_a_whole_licence_text_in_the_field_falls_back_to_the_classifier(tmp_path: Path) -> None:
    dist = _dist(
        tmp_path,
        "License: Copyright (c) 2024 Someone",
        "        Permission is hereby granted, free of charge, to any person obtaining a copy",
        "Classifier: License :: OSI Approved :: MIT License",
    )
    assert licence_of(dist) == "MIT"


def test_a_short_licence_field_is_taken_as_it_is(tmp_path: Path) -> None:
    assert licence_of(_dist(tmp_path, "License: BSD-3-Clause")) == "BSD-3-Clause"


def test_metadata_without_any_licence_says_unknown(tmp_path: Path) -> None:
    assert licence_of(_dist(tmp_path, "License: UNKNOWN")) == UNKNOWN_LICENCE


def test_components_are_the_transitive_runtime_dependencies_sorted_by_name() -> None:
    components = bundled_components()
    names = [c.name.lower() for c in components]
    assert names == sorted(names)
    # httpcore comes only through httpx, mdurl only through markdown-it-py.
    assert {"httpx", "httpcore", "markdown-it-py", "mdurl", "pyside6_essentials"} <= set(names)
    assert len(names) == len(set(names))


def test_licence_files_point_into_the_dist_info() -> None:
    httpx = next(c for c in bundled_components() if c.name == "httpx")
    assert httpx.licence_files
    assert all(".dist-info" in path for path in httpx.licence_files)


def test_an_unknown_root_lists_nothing() -> None:
    assert bundled_components("no-such-distribution-here") == []


def test_app_version_is_the_installed_project_version() -> None:
    assert app_version() == version("assist-desktop")
