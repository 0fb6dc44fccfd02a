"""Assist Desktop: a desktop client for streamed assistant answers, and its reference server."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # Lazy, so importing a sub-package (the sans-I/O protocol, say) loads nothing it doesn't need.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("assist-desktop")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0+unknown"
    raise AttributeError(name)
