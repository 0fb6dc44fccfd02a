"""A tiny evented-model signal: plain callbacks, called in order, no Qt.

napari's ``EventedModel`` gives each field an emitter that views connect to; this is the same
idea at the size this project needs. A callback that raises is a bug in a view and propagates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Emitter(Generic[T]):
    """Calls every connected callback with each emitted value."""

    __slots__ = ("_callbacks",)

    def __init__(self) -> None:
        self._callbacks: list[Callable[[T], object]] = []

    def connect(self, callback: Callable[[T], object]) -> None:
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable[[T], object]) -> None:
        """Stop calling ``callback``; not connected is not an error (a view closing twice)."""
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, value: T) -> None:
        for callback in tuple(self._callbacks):
            callback(value)
