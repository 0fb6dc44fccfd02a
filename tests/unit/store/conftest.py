"""Fixtures for the cache tests: a writer on a temporary file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.store.writer import CacheWriter


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cache.sqlite3"


@pytest.fixture
def writer(db_path: Path) -> Iterator[CacheWriter]:
    with CacheWriter(db_path) as w:
        yield w
