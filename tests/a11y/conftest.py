"""One real window per test module, seen through AT-SPI (see ``desktop_session.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from a11y.desktop_session import DesktopSession, desktop_session, skip_without_tools


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DesktopSession]:
    skip_without_tools()
    with desktop_session(tmp_path_factory.mktemp("a11y"), app_args=("--token-rate", "60")) as s:
        yield s
