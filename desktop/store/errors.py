"""What can go wrong with the cache, as messages a user can act on.

::

    CacheError
     ├── CacheUnavailable   cannot create, open or write the file (read-only, full disk, locked)
     ├── NewerSchemaError   the file comes from a newer release; refused, left untouched
     └── NotFound           no conversation or stream with that id

Callers show ``str(error)`` and keep the answer on screen; nothing here is fatal to a stream.
"""

from __future__ import annotations


class CacheError(Exception):
    """Base of every cache error; ``str()`` is a complete sentence for the user."""


class CacheUnavailable(CacheError):
    """The cache cannot be written or read right now (read-only directory, full disk, ...)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"The answer cache at {path} is unavailable: {reason}. "
            "Answers are still shown but not saved."
        )
        self.path = path
        self.reason = reason


class NewerSchemaError(CacheError):
    """The file's schema version is newer than this release understands."""

    def __init__(self, path: str, found: int, supported: int) -> None:
        super().__init__(
            f"The answer cache at {path} was written by a newer version of Assist Desktop "
            f"(schema {found}; this version reads up to {supported}). It was left untouched; "
            "update Assist Desktop or choose another file with --db."
        )
        self.path = path
        self.found = found
        self.supported = supported


class NotFound(CacheError, LookupError):
    """No conversation, message or stream matches the id (or the prefix is ambiguous)."""
