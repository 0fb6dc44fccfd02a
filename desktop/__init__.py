"""Assist Desktop: a desktop client for streamed assistant answers, and its reference server."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("assist-desktop")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
