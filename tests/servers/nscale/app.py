"""The fake nscale-assist's HTTP surface: a Starlette app with the real server's routes and bytes.

Every status, header and body here is the captured one (``/work/shared``'s reference README and
``captures/``), unless a docstring says it was read in the backend's code or chosen because no
capture shows it. The answer endpoints take their text from :class:`FakeNscale`'s scripts; every
answer is recorded as a :class:`Generation`, so tests can see what was generated, whether
generation stopped when the client left, and what the server saved in its history.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Final, Literal
from urllib.parse import unquote_plus

from servers.nscale.auth import Accounts, AuthError, User
from servers.nscale.history import History, Session
from servers.nscale.streams import (
    SSE_DONE,
    V1_DONE,
    AnswerScript,
    answer,
    sse_ping,
    sse_token,
    v1_token,
)
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

STREAM_HEADERS: Final = {
    "cache-control": "no-cache",
    "connection": "keep-alive",
    "x-accel-buffering": "no",
}
STREAM_MEDIA_TYPE: Final = "text/event-stream"  # Starlette adds "; charset=utf-8"
UNPATCHED_DETAIL: Final = "Interner Serverfehler: name 'user_manager' is not defined"
QUESTION_MAX_LENGTH: Final = 5000

Endpoint = Literal["legacy", "v1-get", "v1-post", "question"]
GenerationState = Literal["running", "complete", "disconnected", "cut"]


@dataclass
class Generation:
    """One answer the fake generated (or began to).

    Attributes:
        state: ``complete`` (ran to its end, answer saved), ``disconnected`` (the client
            left, generation stopped, nothing saved) or ``cut`` (the script cut the
            connection).
        sent: the tokens generated so far (markers and the final empty one included).
    """

    endpoint: Endpoint
    question: str
    session_id: int
    simple_language: bool
    script: AnswerScript
    sent: list[str] = field(default_factory=list)
    state: GenerationState = "running"
    ended: threading.Event = field(default_factory=threading.Event)


class FakeNscale:
    """The state and behaviour of one fake server.

    Args:
        token_delay: the engine's sleep after each token (10 ms in the real one).
        ping_interval: sse-starlette's keepalive period on ``/api/question/stream`` (15 s).
        unpatched: answer ``/api/question/stream`` as the published code does (500 to every
            logged-in request).
        clock: Unix seconds for tokens and history (tests move it to expire tokens).

    Attributes:
        scripts: answers for the next questions, taken first in, first out; then ``default``.
        default: the answer when ``scripts`` is empty (a function of the question).
        generations: every answer started, in order.
    """

    def __init__(
        self,
        *,
        token_delay: float = 0.01,
        ping_interval: float = 15.0,
        unpatched: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token_delay = token_delay
        self.ping_interval = ping_interval
        self.unpatched = unpatched
        self.accounts = Accounts(clock)
        self.history = History(clock)
        self.scripts: list[AnswerScript] = []
        self.default: Callable[[str], AnswerScript] = lambda _question: answer()
        self.generations: list[Generation] = []
        #: Answer endpoints this server lacks (an older release): they answer FastAPI's 404.
        self.missing: set[Endpoint] = set()

    def script_for(self, question: str) -> AnswerScript:
        return self.scripts.pop(0) if self.scripts else self.default(question)

    def app(self) -> Starlette:
        return _build_app(self)


# --- responses -------------------------------------------------------------------------------


def _json(status: int, body: Any) -> JSONResponse:
    return JSONResponse(body, status_code=status)


def _missing(location: str, names: list[str]) -> JSONResponse:
    """FastAPI's own 422 for absent required parameters (it runs before the handler's auth)."""
    detail = [
        {"type": "missing", "loc": [location, name], "msg": "Field required", "input": None}
        for name in names
    ]
    return _json(422, {"detail": detail})


def _not_found() -> JSONResponse:
    return _json(404, {"detail": "Not Found"})


def _simple_language(raw: str | None) -> bool:
    return (raw or "").strip().lower() in ("true", "1", "yes")


# --- the routes --------------------------------------------------------------------------------


def _build_app(fake: FakeNscale) -> Starlette:
    accounts, history = fake.accounts, fake.history

    def user_of(request: Request, *, query_token: bool = False) -> User:
        token = request.query_params.get("auth_token") if query_token else None
        return accounts.user_of(request.headers.get("authorization"), token)

    async def login(request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = {}
        try:
            token, user = accounts.login(body if isinstance(body, dict) else {})
        except AuthError as exc:
            return _json(401, {"detail": exc.detail})
        return _json(200, {"access_token": token, "token": token, "user": user.public()})

    async def validate(request: Request) -> Response:
        try:
            user = user_of(request)
        except AuthError as exc:
            return _json(401, {"detail": exc.detail})
        return _json(200, {"valid": True, "user": user.public()})

    async def create_session(request: Request) -> Response:
        try:
            user = user_of(request)
        except AuthError as exc:
            return _json(401, {"detail": exc.detail})
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            body = {}
        title = body.get("title") if isinstance(body, dict) else None
        session = history.create(user.id, title if isinstance(title, str) and title else "")
        if not session.title:
            session.title = "Neue Unterhaltung"
        return _json(200, {"session_id": session.id, "title": session.title})

    async def list_sessions(request: Request) -> Response:
        try:
            user = user_of(request)
        except AuthError as exc:
            return _json(401, {"detail": exc.detail})
        return _json(200, {"sessions": history.listing(user.id)})

    async def get_session(request: Request) -> Response:
        """Not captured: an unknown or foreign session is a 404 here (the code's choice)."""
        try:
            user = user_of(request)
        except AuthError as exc:
            return _json(401, {"detail": exc.detail})
        session = history.owned(user.id, request.path_params["session_id"])
        if session is None:
            return _json(404, {"detail": "Session nicht gefunden"})
        messages = [m.public() for m in session.messages]
        return _json(200, {"session_id": session.id, "title": session.title, "messages": messages})

    def begin(
        endpoint: Endpoint, user: User, question: str, session_id: object, simple: bool
    ) -> tuple[Generation, Session]:
        session = history.for_question(user.id, session_id)
        history.add(session, is_user=True, text=question)  # the question is saved at once
        generation = Generation(endpoint, question, session.id, simple, fake.script_for(question))
        fake.generations.append(generation)
        return generation, session

    def stream(
        generation: Generation,
        session: Session,
        token_frame: Callable[[str], bytes],
        end_frames: tuple[bytes, ...],
        *,
        pings: bool,
    ) -> StreamingResponse:
        body = _generate(fake, generation, session, token_frame, end_frames, pings=pings)
        return StreamingResponse(body, headers=STREAM_HEADERS, media_type=STREAM_MEDIA_TYPE)

    async def legacy_stream(request: Request) -> Response:
        """``api/fixed_stream_endpoint.py``: the dialect with the double SSE wrapping."""
        if "legacy" in fake.missing:
            return _not_found()
        params = request.query_params
        missing = [name for name in ("question", "session_id") if name not in params]
        if missing:
            return _missing("query", missing)
        question = params["question"]
        if not question.strip():  # checked before authentication
            return _json(422, {"detail": "Frage darf nicht leer sein"})
        try:
            user = user_of(request, query_token=True)
        except AuthError as exc:
            return _json(401, {"detail": exc.detail})
        if fake.unpatched:
            return _json(500, {"detail": UNPATCHED_DETAIL})
        question = unquote_plus(question)  # a second decoding: "+" and "%xx" are mangled
        simple = _simple_language(params.get("simple_language")) or _simple_language(
            request.headers.get("x-use-simple-language")
        )
        generation, session = begin("legacy", user, question, params["session_id"], simple)
        return stream(generation, session, sse_token, (SSE_DONE,), pings=True)

    async def v1_get(request: Request) -> Response:
        if "v1-get" in fake.missing:
            return _not_found()
        params = request.query_params
        missing = [name for name in ("question", "session_id") if name not in params]
        if missing:
            return _missing("query", missing)
        try:
            user = user_of(request)
        except AuthError as exc:
            return _json(401, {"detail": exc.detail})
        return v1_answer(
            "v1-get",
            user,
            params["question"],
            params["session_id"],
            _simple_language(params.get("simple_language")),
        )

    def v1_answer(
        endpoint: Endpoint, user: User, question: str, session_id: object, simple: bool
    ) -> Response:
        if not question.strip():
            return _json(422, {"error": "Die Frage darf nicht leer sein"})
        generation, session = begin(endpoint, user, question, session_id, simple)
        return stream(generation, session, v1_token, (V1_DONE,), pings=False)

    async def v1_post(request: Request) -> Response:
        """The POST handler calls the GET one inside ``except Exception``: its 401 becomes 500."""
        if "v1-post" in fake.missing:
            return _not_found()
        try:
            body = json.loads(await request.body())
        except ValueError:
            return _json(400, {"error": "Ungültiges JSON-Format"})
        if not isinstance(body, dict):
            body = {}
        try:
            user = user_of(request)
        except AuthError as exc:
            return _json(500, {"error": f"Interner Serverfehler: 401: {exc.detail}"})
        question = body.get("question", "")
        simple = body.get("simple_language") is True
        return v1_answer("v1-post", user, str(question or ""), body.get("session_id", ""), simple)

    async def question(request: Request) -> Response:
        """``POST /api/question``: the whole answer at once, with its sources (not captured;
        shapes from the backend's code: ``{"answer", "session_id", "message_id", "sources",
        "cached"}``, sources as document names)."""
        if "question" in fake.missing:
            return _not_found()
        try:
            user = user_of(request)
        except AuthError as exc:
            return _json(401, {"detail": exc.detail})
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("question"), str):
            return _missing("body", ["question"])
        text: str = body["question"]
        if len(text) > QUESTION_MAX_LENGTH:
            detail = [
                {
                    "type": "string_too_long",
                    "loc": ["body", "question"],
                    "msg": f"String should have at most {QUESTION_MAX_LENGTH} characters",
                    "input": text,
                    "ctx": {"max_length": QUESTION_MAX_LENGTH},
                }
            ]
            return _json(422, {"detail": detail})
        if not text.strip():
            return _json(422, {"detail": "Frage darf nicht leer sein"})
        simple = body.get("simple_language") is True
        generation, session = begin("question", user, text, body.get("session_id"), simple)
        script = generation.script
        await asyncio.sleep(script.first_token_delay)
        generation.sent.extend(script.tokens)
        reply = history.add(session, is_user=False, text=script.text)
        generation.state = "complete"
        generation.ended.set()
        return _json(
            200,
            {
                "answer": script.text,
                "session_id": session.id,
                "message_id": reply.id,
                "sources": list(script.sources),
                "cached": False,
            },
        )

    routes = [
        Route("/api/auth/login", login, methods=["POST"]),
        Route("/api/auth/validate", validate, methods=["GET"]),
        Route("/api/session", create_session, methods=["POST"]),
        Route("/api/sessions", list_sessions, methods=["GET"]),
        Route("/api/session/{session_id}", get_session, methods=["GET"]),
        Route("/api/question/stream", legacy_stream, methods=["GET"]),
        Route("/api/v1/question/stream", v1_get, methods=["GET"]),
        Route("/api/v1/question/stream", v1_post, methods=["POST"]),
        Route("/api/question", question, methods=["POST"]),
    ]
    return Starlette(routes=routes, middleware=[Middleware(_AnyOrigin)])


class _AnyOrigin:
    """The backend's CORS as captured (``35``): a request with ``Origin`` gets
    ``access-control-allow-origin: *`` and ``…-allow-credentials: true`` after its own headers,
    one without gets nothing (today's Starlette middleware would add ``vary: Origin``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not any(k == b"origin" for k, _ in scope["headers"]):
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [
                        *message.get("headers", []),
                        (b"access-control-allow-origin", b"*"),
                        (b"access-control-allow-credentials", b"true"),
                    ],
                }
            await send(message)

        await self.app(scope, receive, send_with_cors)


# --- generating an answer ----------------------------------------------------------------------


class _CutConnection(Exception):
    """Raised inside the response body: uvicorn then drops the connection mid-stream."""


async def _generate(
    fake: FakeNscale,
    generation: Generation,
    session: Session,
    token_frame: Callable[[str], bytes],
    end_frames: tuple[bytes, ...],
    *,
    pings: bool,
) -> AsyncIterator[bytes]:
    """The response body: tokens at the engine's pace, pings on their own clock.

    The engine runs in a task feeding a one-slot queue, so it is at most one token ahead of the
    socket; when the client leaves, the body is closed and the task cancelled: generation stops
    at once and the partial answer is not saved (README §6).
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=1)
    script = generation.script

    async def engine() -> None:
        await asyncio.sleep(script.first_token_delay)
        tokens = [*script.tokens, *([""] if script.final_empty else [])]
        for index, token in enumerate(tokens):
            if index in script.pauses:
                await asyncio.sleep(script.pauses[index])
            if script.cut_after is not None and index >= script.cut_after:
                await queue.put(None)
                return
            await queue.put(token_frame(token))
            generation.sent.append(token)
            await asyncio.sleep(fake.token_delay)
        for frame in end_frames:
            await queue.put(frame)
        await queue.put(b"")  # the end of the answer

    task = loop.create_task(engine())
    next_ping = loop.time() + fake.ping_interval
    try:
        while True:
            timeout = max(0.0, next_ping - loop.time()) if pings else None
            try:
                item = await asyncio.wait_for(queue.get(), timeout)
            except TimeoutError:
                next_ping += fake.ping_interval
                yield sse_ping()
                continue
            if item is None:
                generation.state = "cut"
                raise _CutConnection("the script cuts the connection here")
            if item == b"":
                break
            yield item
        fake.history.add(session, is_user=False, text="".join(generation.sent))
        generation.state = "complete"
    finally:
        task.cancel()
        if generation.state == "running":
            generation.state = "disconnected"
        generation.ended.set()
