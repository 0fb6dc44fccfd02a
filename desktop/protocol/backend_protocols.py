"""The backend protocols the client speaks: one list for settings, flags and adapters."""

from __future__ import annotations

from typing import Final, Literal, TypeAlias, get_args

#: ``assist`` is the Assist Streaming Protocol (resumable); the others are client adapters
#: (``nscale``: nscale-assist, no resume).
BackendProtocol: TypeAlias = Literal["assist", "openai", "ollama", "nscale"]
PROTOCOLS: Final[tuple[str, ...]] = get_args(BackendProtocol)
