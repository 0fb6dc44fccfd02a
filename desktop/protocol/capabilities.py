"""What an Assist server offers beyond the core protocol (an optional extension).

``GET /api/v1/capabilities`` answers ``{"backend": "nscale", "options": ["simple_language"]}``:
the backend's name and the ``options`` keys of a start it honours. A server without the route
(404), or with an answer that cannot be read, offers nothing beyond the core, so clients keep
working against servers older than the extension.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

CAPABILITIES_PATH: Final = "/api/v1/capabilities"
#: The start option asking for plain language ("Einfache Sprache").
SIMPLE_LANGUAGE: Final = "simple_language"


@dataclass(frozen=True, slots=True)
class Capabilities:
    """A server's extras: its backend's name (when it says) and the start options it honours."""

    backend: str | None = None
    options: frozenset[str] = frozenset()

    @property
    def plain_language(self) -> bool:
        """Whether a start can ask for the answer in plain language."""
        return SIMPLE_LANGUAGE in self.options

    def to_json(self) -> dict[str, Any]:
        return {"backend": self.backend, "options": sorted(self.options)}


#: What a server that does not say offers.
CORE_ONLY: Final = Capabilities()


class MalformedCapabilities(ValueError):
    """A ``200`` reply to ``GET /api/v1/capabilities`` that is not a JSON object."""


def parse_capabilities(body: bytes) -> Capabilities:
    """The capabilities a ``200`` reply's body states; entries of the wrong type are ignored.

    Raises:
        MalformedCapabilities: the body is not a JSON object, so it states nothing.
    """
    try:
        data = json.loads(body)
    except ValueError as error:
        raise MalformedCapabilities(f"not JSON: {error}") from None
    if not isinstance(data, dict):
        raise MalformedCapabilities(f"not a JSON object but {type(data).__name__}")
    backend = data.get("backend")
    options = data.get("options")
    names = options if isinstance(options, list) else []
    return Capabilities(
        backend if isinstance(backend, str) else None,
        frozenset(name for name in names if isinstance(name, str)),
    )
