"""Fixtures for the cache tests: a writer on a temporary file."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.store.writer import CacheWriter


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cache.sqlite3"


@pytest.fixture
def writer(db_path: Path) -> Iterator[CacheWriter]:
    """A writer whose idle ticker never finds a checkpoint due: tests drive the recorder's
    clock through the events' stamps alone, so nothing depends on how fast the machine is."""
    with CacheWriter(db_path, clock=lambda: -math.inf) as w:
        yield w
