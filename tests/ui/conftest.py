"""Window tests share the pytest-qt fixtures of :mod:`tests.helpers.qt_fixtures`."""

from tests.helpers.qt_fixtures import *  # noqa: F403
