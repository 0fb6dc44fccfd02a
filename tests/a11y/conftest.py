"""One real window per test module, seen through AT-SPI (see ``desktop_session.py``).

A module may set ``APP_ARGS`` (extra command-line options of the app), ``APP_ENV`` and
``SCREEN`` (the virtual screen's size in pixels, ``WxH``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from a11y.desktop_session import DesktopSession, desktop_session, skip_without_tools


@pytest.fixture(scope="module")
def session(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DesktopSession]:
    skip_without_tools()
    args = tuple(getattr(request.module, "APP_ARGS", ("--token-rate", "60")))
    env = dict(getattr(request.module, "APP_ENV", {}))
    screen = str(getattr(request.module, "SCREEN", "1280x900"))
    workdir = tmp_path_factory.mktemp("a11y")
    with desktop_session(workdir, app_args=args, extra_env=env, screen=screen) as s:
        yield s
