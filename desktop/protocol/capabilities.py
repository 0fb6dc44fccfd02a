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


def read_capabilities(status: int, body: bytes) -> Capabilities:
    """The capabilities an answer to ``GET /api/v1/capabilities`` states; anything but a
    well-formed ``200`` means the core protocol only."""
    if status != 200:
        return CORE_ONLY
    try:
        data = json.loads(body)
    except ValueError:
        return CORE_ONLY
    if not isinstance(data, dict):
        return CORE_ONLY
    backend = data.get("backend")
    options = data.get("options")
    names = options if isinstance(options, list) else []
    return Capabilities(
        backend if isinstance(backend, str) else None,
        frozenset(name for name in names if isinstance(name, str)),
    )
