"""nscale-assist's three answer bodies, decoded into the protocol's events (bytes in, facts out).

Each decoder reports ``Token``, ``Thinking`` (a leading ``<think>`` block, as for every
upstream), ``Reset``, ``ToolUse`` (``POST /api/question``'s sources) and ``StreamError``
events with id 0, then ``EndOfStream`` once the answer is whole; the caller numbers them.
How an answer ends:

* the legacy stream: the inner ``event: done``, else the end of the body; after Ollama's last,
  empty token (``{"response": ""}``) the answer counts as whole even if the body is then cut
  (``finish_reason`` is set), but an empty token followed by more text is just empty;
* v1: ``{"done": true}``, else the end of the body (``{"content": ""}`` as above);
* a marker that gives up (``[CONN_ERROR] …``): a non-resumable ``StreamError``; nothing after;
* no answer text at all (the model is down behind a running Ollama, ``33``): an error too,
  not a silent empty success.

A body cut off by the network is the caller's to notice (it sees no clean end): the decoders
only ever see bytes.
"""

from __future__ import annotations

import json
from typing import Any, Final, TypeAlias

from desktop.protocol.events import Reset, StreamError, Thinking, Token, ToolUse
from desktop.protocol.sse import DEFAULT_MAX_EVENT_BYTES, EventTooLarge, SSEMessage, SSEParser
from desktop.protocol.upstream.chat_stream import (
    ChatStreamDecoder,
    EndOfStream,
    UpstreamFormatError,
)
from desktop.protocol.upstream.nscale.json_objects import JSONObjectSplitter, JSONSplitError
from desktop.protocol.upstream.nscale.markers import (
    EMPTY_ANSWER,
    AnswerMarkers,
    Failure,
    Restart,
    read_marker,
    split_at_markers,
)

NscaleFact: TypeAlias = Thinking | Token | ToolUse | Reset | StreamError | EndOfStream
SEARCH_TOOL: Final = "document_search"


class NscaleDecoder(ChatStreamDecoder):
    """What the three share: the answer's tokens, its markers, its end.

    Attributes:
        failed: the backend gave up on the answer (a marker), or the answer was empty.
    """

    def __init__(self) -> None:
        super().__init__()
        self.failed = False
        self._markers = AnswerMarkers()

    def _answer_token(self, text: str, facts: list[Any]) -> None:
        """One token of the engine's output: answer text or a marker."""
        if self.ended or not text:
            return
        marker = read_marker(text)
        if isinstance(marker, Restart):
            self._markers.restart_pending(marker)
            return
        if isinstance(marker, Failure):
            self._give_up(marker.error_type, marker.message, facts)
            return
        restart = self._markers.before_token()
        if restart is not None:
            self._flush_content(facts)  # text held back belongs to the attempt before
            facts.append(Reset(0, "upstream_retry", restart))
        self._content(text, facts)

    def _give_up(self, error_type: str, message: str, facts: list[Any]) -> None:
        self._flush_content(facts)
        facts.append(StreamError(0, error_type, message, False))
        self.failed = self.ended = True

    def _finish(self, facts: list[Any]) -> None:
        """The answer is whole: ``EndOfStream``, or an error if it has no text at all."""
        if self.ended:
            return
        self._flush_content(facts)
        if self.tokens == 0:
            self._give_up("upstream", EMPTY_ANSWER, facts)
            return
        self.finish_reason = "stop"
        self._end(facts)

    def _fail(self, message: str, facts: list[Any]) -> None:
        """An ``{"error": …}`` object: the backend's own report (``Keine relevanten …``)."""
        self._give_up("upstream", message, facts)

    def _object(self, payload: object, key: str, facts: list[Any]) -> None:
        """One JSON object of the stream (``key`` is ``response`` or ``content``)."""
        if not isinstance(payload, dict):
            raise UpstreamFormatError(f"a stream object is not a JSON object: {payload!r:.80}")
        if payload.get("error") is not None:
            self._fail(str(payload["error"]), facts)
            return
        text = payload.get(key)
        if text == "":
            # Ollama's last line, passed on: the answer is whole if the body is cut now; the
            # end itself is the done that follows (an empty token mid-answer is no end).
            if self.tokens and not self.failed:
                self.finish_reason = "stop"
        elif isinstance(text, str):
            self.finish_reason = None
            self._answer_token(text, facts)
        if payload.get("done") is True:
            self._finish(facts)


class LegacyStreamDecoder(NscaleDecoder):
    """``GET /api/question/stream``: SSE whose every event's data is an SSE block again.

    A WHATWG parser yields ``message`` events whose data is ``data: {"response": "…"}\\n\\n``
    (or ``event: done\\ndata: \\n\\n``); that data is parsed as SSE once more. A server that
    sends the JSON directly (a fixed one) is read too.
    """

    def __init__(self, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        super().__init__()
        self._outer = SSEParser(max_event_bytes)
        self._inner = SSEParser(max_event_bytes)

    def feed(self, data: bytes) -> list[Any]:
        if self.ended:
            return []
        try:
            messages = self._outer.feed(data)
        except EventTooLarge as exc:
            raise UpstreamFormatError(str(exc)) from None
        facts: list[Any] = []
        for message in messages:
            self._message(message, facts)
            if self.ended:
                break
        return facts

    def close(self) -> list[Any]:
        """A body that ends cleanly ends the answer (a dropped one never gets here)."""
        facts: list[Any] = []
        self._finish(facts)
        return facts

    def _message(self, message: SSEMessage, facts: list[Any]) -> None:
        data = message.data
        if data.lstrip().startswith("{"):
            self._object(_json(data), "response", facts)
            return
        for inner in self._inner.feed((data + "\n\n").encode()):
            if inner.event == "done":
                self._finish(facts)
            elif inner.data.strip():
                self._object(_json(inner.data), "response", facts)
            if self.ended:
                return


class V1StreamDecoder(NscaleDecoder):
    """``/api/v1/question/stream``: ``{"content": "…"}`` objects back to back, then
    ``{"content": ""}{"done": true}``."""

    def __init__(self, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        super().__init__()
        self._splitter = JSONObjectSplitter(max_event_bytes)

    def feed(self, data: bytes) -> list[Any]:
        if self.ended:
            return []
        try:
            values = self._splitter.feed(data)
        except JSONSplitError as exc:
            raise UpstreamFormatError(str(exc)) from None
        return self._values(values)

    def close(self) -> list[Any]:
        if self.ended:
            return []
        try:
            values = self._splitter.close()
        except JSONSplitError as exc:
            raise UpstreamFormatError(str(exc)) from None
        facts = self._values(values)
        self._finish(facts)
        return facts

    def _values(self, values: list[Any]) -> list[Any]:
        facts: list[Any] = []
        for value in values:
            self._object(value, "content", facts)
            if self.ended:
                break
        return facts


class WholeAnswerDecoder(NscaleDecoder):
    """``POST /api/question``: ``{"answer", "session_id", "message_id", "sources", "cached"}``.

    The sources become one ``document_search`` call (started and completed at once, as the
    search happened before the answer); the answer is one token, or one per attempt when it
    holds the backend's markers. Read at the end of the body.

    Attributes:
        session_id: the server's session the answer was saved in.
    """

    def __init__(self, max_body_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        super().__init__()
        self._body = bytearray()
        self._max = max_body_bytes
        self.session_id: int | None = None

    def feed(self, data: bytes) -> list[Any]:
        self._body += data
        if len(self._body) > self._max:
            raise UpstreamFormatError(f"the answer exceeds {self._max} bytes")
        return []

    def close(self) -> list[Any]:
        if self.ended:
            return []
        payload = _json(self._body.decode("utf-8", errors="replace"))
        if not isinstance(payload, dict) or not isinstance(payload.get("answer"), str):
            raise UpstreamFormatError("the answer is not a JSON object with an 'answer'")
        session = payload.get("session_id")
        self.session_id = session if isinstance(session, int) and session > 0 else None
        facts: list[Any] = []
        hits = [_hit(source) for source in _list(payload.get("sources"))]
        if hits:
            facts.append(ToolUse(0, "sources", SEARCH_TOOL, "started", {}))
            facts.append(ToolUse(0, "sources", SEARCH_TOOL, "completed", {}, {"hits": hits}))
        for piece in split_at_markers(payload["answer"]):
            self._answer_token(piece, facts)
        self._finish(facts)
        return facts


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise UpstreamFormatError(f"not JSON: {text[:80]!r}") from None


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _hit(source: object) -> dict[str, Any]:
    """A source as a search hit: a document name, or an object under any of the usual keys."""
    if not isinstance(source, dict):
        return {"title": str(source), "score": None, "snippet": ""}
    title = next(
        (
            str(source[k])
            for k in ("title", "source", "document", "filename", "file")
            if source.get(k)
        ),
        "",
    )
    snippet = next((str(source[k]) for k in ("snippet", "content", "text") if source.get(k)), "")
    score = next(
        (source[k] for k in ("score", "relevance") if isinstance(source.get(k), (int, float))),
        None,
    )
    return {"title": title, "score": score, "snippet": snippet}


__all__ = [
    "LegacyStreamDecoder",
    "NscaleDecoder",
    "NscaleFact",
    "V1StreamDecoder",
    "WholeAnswerDecoder",
]
