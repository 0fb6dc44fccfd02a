"""The start request (``POST /api/v1/chat/stream``): its body, built and validated in one place.

The client serialises it and the reference server validates it with the same code, so the two
agree on what a valid request is (``message`` of 1 to 32,000 characters, roles, options).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeAlias

MAX_MESSAGE_CHARS: Final = 32_000
MAX_HISTORY_ITEMS: Final = 200
#: Seeds are 0 to 2**31 - 1: every upstream takes them as a signed 32-bit integer or wider, and
#: llama.cpp reads 2**32 - 1 as "pick a random seed".
MAX_SEED: Final = 2**31 - 1
Role: TypeAlias = Literal["user", "assistant", "system"]
ROLES: Final = frozenset({"user", "assistant", "system"})


class InvalidRequest(ValueError):
    """The body breaks the protocol; ``status`` is the HTTP status the server answers with."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True, slots=True)
class HistoryItem:
    role: Role
    content: str


@dataclass(frozen=True, slots=True)
class ChatOptions:
    """How to answer.

    Attributes:
        simple_language: answer in plain language ("Einfache Sprache"), where the backend can
            (nscale-assist's switch, through the gateway); others ignore it.
        seed: the upstream's sampling seed. With ``temperature`` 0 it asks for the same answer
            every time, so another replica can continue it after the one generating it died.
    """

    model: str | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    simple_language: bool | None = None
    seed: int | None = None


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """What the user asked, with the conversation so far."""

    message: str
    conversation_id: str | None = None
    history: tuple[HistoryItem, ...] = ()
    options: ChatOptions = field(default_factory=ChatOptions)

    def to_json(self) -> dict[str, Any]:
        """The JSON body of the start request."""
        body: dict[str, Any] = {"message": self.message}
        if self.conversation_id is not None:
            body["conversation_id"] = self.conversation_id
        if self.history:
            body["history"] = [{"role": h.role, "content": h.content} for h in self.history]
        options = {
            key: value
            for key, value in (
                ("model", self.options.model),
                ("max_tokens", self.options.max_tokens),
                ("temperature", self.options.temperature),
                ("simple_language", self.options.simple_language),
                ("seed", self.options.seed),
            )
            if value is not None
        }
        if options:
            body["options"] = options
        return body

    @classmethod
    def from_json(cls, body: Any) -> ChatRequest:
        """Validate a decoded JSON body.

        Raises:
            InvalidRequest: with the status the protocol prescribes (413 for an over-long
                message, 422 for a wrong shape or value, 400 for a body that is not an object).
        """
        if not isinstance(body, dict):
            raise InvalidRequest("the body must be a JSON object", 400)
        message = body.get("message")
        if not isinstance(message, str):
            raise InvalidRequest("'message' is required and must be a string")
        if not message.strip():
            raise InvalidRequest("'message' must not be empty")
        if len(message) > MAX_MESSAGE_CHARS:
            raise InvalidRequest(f"'message' is longer than {MAX_MESSAGE_CHARS} characters", 413)
        conversation_id = body.get("conversation_id")
        if conversation_id is not None and not isinstance(conversation_id, str):
            raise InvalidRequest("'conversation_id' must be a string")
        return cls(
            message=message,
            conversation_id=conversation_id,
            history=_history(body.get("history")),
            options=_options(body.get("options")),
        )


def _history(raw: Any) -> tuple[HistoryItem, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise InvalidRequest("'history' must be a list")
    if len(raw) > MAX_HISTORY_ITEMS:
        raise InvalidRequest(f"'history' has more than {MAX_HISTORY_ITEMS} items", 413)
    items = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InvalidRequest(f"history[{i}] must be an object")
        role, content = item.get("role"), item.get("content")
        if role not in ROLES:
            raise InvalidRequest(f"history[{i}].role must be one of {sorted(ROLES)}")
        if not isinstance(content, str):
            raise InvalidRequest(f"history[{i}].content must be a string")
        if len(content) > MAX_MESSAGE_CHARS:
            raise InvalidRequest(f"history[{i}].content is too long", 413)
        items.append(HistoryItem(role, content))
    return tuple(items)


def _options(raw: Any) -> ChatOptions:
    if raw is None:
        return ChatOptions()
    if not isinstance(raw, dict):
        raise InvalidRequest("'options' must be an object")
    model = raw.get("model")
    if model is not None and not isinstance(model, str):
        raise InvalidRequest("'options.model' must be a string")
    max_tokens = raw.get("max_tokens")
    if max_tokens is not None and (
        isinstance(max_tokens, bool)
        or not isinstance(max_tokens, int)
        or not 1 <= max_tokens <= 32_768
    ):
        raise InvalidRequest("'options.max_tokens' must be an integer from 1 to 32768")
    temperature = raw.get("temperature")
    if temperature is not None and (
        isinstance(temperature, bool)
        or not isinstance(temperature, (int, float))
        or not math.isfinite(temperature)
        or not 0 <= temperature <= 2
    ):
        raise InvalidRequest("'options.temperature' must be a number from 0 to 2")
    simple_language = raw.get("simple_language")
    if simple_language is not None and not isinstance(simple_language, bool):
        raise InvalidRequest("'options.simple_language' must be true or false")
    seed = raw.get("seed")
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED
    ):
        raise InvalidRequest(f"'options.seed' must be an integer from 0 to {MAX_SEED}")
    return ChatOptions(
        model=model,
        max_tokens=max_tokens,
        temperature=float(temperature) if temperature is not None else None,
        simple_language=simple_language,
        seed=seed,
    )
