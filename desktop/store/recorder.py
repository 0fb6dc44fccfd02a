"""Recording one answer into the cache while it streams: durable before visible.

:class:`AnswerRecorder` is a session sink, ``(event, monotonic_stamp) -> None``. On the calling
thread (the GUI thread in the window) it only appends the event and updates the text in memory;
every write happens on the :class:`CacheWriter` thread. It checkpoints the text, the last
applied id and the events received since the last checkpoint in one transaction:

* at every state change: the stream's first event, a reconnect, a terminal event, ``close()``;
* whenever ``checkpoint_interval`` has passed since the last one, judged by the events' own
  stamps (so tests drive it with a fake clock), and by the writer's ticker when the stream
  stalls with unsaved text. Text applied at time *t* is therefore committed by about
  *t* + ``checkpoint_interval`` + the writer's tick interval (0.8 + 0.1 s by default).

Between state changes a checkpoint writes only the new events and the stream row: the token
events carry the text. At a state change it also writes the whole text (see ``answer_rows``).
A failed checkpoint (full disk, say) loses nothing: its events go back to the pending list and
the next checkpoint writes them first; a checkpoint that would leave a gap is refused.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Final

from desktop.protocol.events import (
    EVENT_NAMES,
    Reconnecting,
    Reset,
    StreamEvent,
    StreamStarted,
    Token,
)
from desktop.protocol.request import ChatRequest
from desktop.store.answer_rows import (
    AnswerRows,
    Checkpoint,
    fold_text,
    insert_answer,
    new_message_id,
    title_from,
    write_checkpoint,
)
from desktop.store.errors import CacheError, NotFound
from desktop.store.stream_state import terminal_state
from desktop.store.writer import CacheWriter

DEFAULT_CHECKPOINT_INTERVAL: Final = 0.8


class AnswerRecorder:
    """Records one answer; create it with :meth:`start` or :meth:`attach`."""

    def __init__(
        self,
        writer: CacheWriter,
        *,
        message_id: int,
        conversation_id: str,
        text: str = "",
        last_event_id: int = 0,
        tokens: int = 0,
        next_seq: int = 0,
        offset_base_ms: float = 0.0,
        rows: AnswerRows | None = None,
        checkpoint_interval: float = DEFAULT_CHECKPOINT_INTERVAL,
        wall_clock: Callable[[], float] = time.time,
        owns_writer: bool = False,
    ) -> None:
        self.writer = writer
        self.message_id = message_id
        self.conversation_id = conversation_id
        self._parts = [text] if text else []
        self._last_event_id = last_event_id
        self._tokens = tokens
        self._seq = next_seq
        self._offset_base_ms = offset_base_ms
        self._rows = rows
        self._interval = checkpoint_interval
        self._wall_clock = wall_clock
        self._owns_writer = owns_writer
        self._lock = threading.Lock()
        self._pending: list[tuple[int, StreamEvent, float]] = []
        self._stream_id: str | None = None
        self._state = "streaming"
        self._error: str | None = None
        self._finished: float | None = None
        self._ttft_ms: float | None = None
        self._first_stamp: float | None = None
        self._last_checkpoint: float | None = None
        self._dirty = False
        self._text_due = False
        self._closed = False
        #: Checkpoints handed to the writer so far, and their stamps (for tests and benchmarks).
        self.checkpoints = 0
        self.checkpoint_stamps: list[float] = []
        writer.add_ticker(self.flush_if_due)

    # --- creation ---------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        writer: CacheWriter,
        *,
        server_url: str,
        protocol: str,
        request: ChatRequest,
        conversation_id: str | None = None,
        alternative: bool = False,
        replaces_last: bool = False,
        checkpoint_interval: float = DEFAULT_CHECKPOINT_INTERVAL,
        wall_clock: Callable[[], float] = time.time,
        owns_writer: bool = False,
    ) -> AnswerRecorder:
        """Record a new answer to ``request`` (inserts the rows on the writer thread).

        The conversation is ``conversation_id``, else ``request.conversation_id``, else a new
        one titled after the question; an existing conversation gets the new messages appended.
        With ``alternative`` the answer is another one to the last question (a regenerate);
        with ``replaces_last`` the question is an edit of the last one, which it replaces.
        """
        rows = AnswerRows(
            conversation_id=conversation_id or request.conversation_id or uuid.uuid4().hex,
            title=title_from(request.message),
            question=request.message,
            history=tuple((item.role, item.content) for item in request.history),
            user_message_id=new_message_id(),
            message_id=new_message_id(),
            server_url=server_url,
            protocol=protocol,
            created=float(wall_clock()),
            alternative=alternative,
            replaces_last=replaces_last,
        )
        writer.submit(lambda connection: insert_answer(connection, rows))
        return cls(
            writer,
            message_id=rows.message_id,
            conversation_id=rows.conversation_id,
            rows=rows,
            checkpoint_interval=checkpoint_interval,
            wall_clock=wall_clock,
            owns_writer=owns_writer,
        )

    @classmethod
    def attach(
        cls,
        writer: CacheWriter,
        message_id: int,
        *,
        checkpoint_interval: float = DEFAULT_CHECKPOINT_INTERVAL,
        wall_clock: Callable[[], float] = time.time,
    ) -> AnswerRecorder:
        """Continue recording an answer already in the cache (a resume); waits for one read.

        Raises:
            NotFound: no answer with that message id.
        """

        def read(connection: sqlite3.Connection) -> tuple[str, str, int, int, int, float]:
            fold_text(connection, message_id)
            row = connection.execute(
                "SELECT m.conversation_id, m.text, s.last_event_id, s.tokens, "
                "(SELECT COALESCE(MAX(seq) + 1, 0) FROM events WHERE message_id = m.id), "
                "(SELECT COALESCE(MAX(offset_ms), 0) FROM events WHERE message_id = m.id) "
                "FROM messages m JOIN streams s ON s.message_id = m.id WHERE m.id = ?",
                (message_id,),
            ).fetchone()
            if row is None:
                raise NotFound(f"No answer {message_id} in the cache.")
            return row  # type: ignore[no-any-return]

        conversation_id, text, last_id, tokens, next_seq, offset = writer.submit(read).result()
        recorder = cls(
            writer,
            message_id=message_id,
            conversation_id=conversation_id,
            text=text,
            last_event_id=last_id,
            tokens=tokens,
            next_seq=next_seq,
            offset_base_ms=offset,
            checkpoint_interval=checkpoint_interval,
            wall_clock=wall_clock,
        )
        recorder._text_due = True  # the first checkpoint marks the message streaming again
        return recorder

    # --- the sink ---------------------------------------------------------------------------

    def __call__(self, event: StreamEvent, stamp: float) -> None:
        """Apply one event (cheap; never touches the disk on this thread)."""
        with self._lock:
            if self._closed:
                return
            if self._first_stamp is None:
                self._first_stamp = stamp
                self._last_checkpoint = stamp
            changed = self._apply(event, stamp)
            last = stamp if self._last_checkpoint is None else self._last_checkpoint
            due = changed or stamp - last >= self._interval
            checkpoint = self._take_checkpoint(stamp, with_text=changed) if due else None
        if checkpoint is not None:
            self._submit(checkpoint)

    def flush_if_due(self, now: float) -> None:
        """Checkpoint unsaved text once ``checkpoint_interval`` has passed (the writer's ticker)."""
        with self._lock:
            last = self._last_checkpoint
            if not self._dirty or self._closed or last is None or now - last < self._interval:
                return
            checkpoint = self._take_checkpoint(now, with_text=False)
        self._submit(checkpoint)

    def close(self, final_state: str = "interrupted", *, wait: bool = True) -> None:
        """Write the last checkpoint; a stream with no terminal event yet gets ``final_state``.

        ``"interrupted"`` (the default) keeps it resumable; ``"stopped"`` records a user's stop.
        With ``wait``, returns once the checkpoint is committed (or has failed).
        """
        with self._lock:
            if self._closed:
                return
            if self._state == "streaming":
                self._state = final_state
                self._finished = self._wall_clock()
            checkpoint = self._take_checkpoint(self._last_checkpoint or 0.0, with_text=True)
            self._closed = True
        self.writer.remove_ticker(self.flush_if_due)
        future = self._submit(checkpoint)
        if wait:
            future.exception()
        if self._owns_writer:
            self.writer.close()

    # --- what the window and commands read --------------------------------------------------

    @property
    def text(self) -> str:
        with self._lock:
            return "".join(self._parts)

    @property
    def last_event_id(self) -> int:
        return self._last_event_id

    @property
    def state(self) -> str:
        return self._state

    # --- internals (called with the lock held) -----------------------------------------------

    def _apply(self, event: StreamEvent, stamp: float) -> bool:
        """Update the in-memory answer; True if the event changes the stream's state."""
        offset = (
            self._offset_base_ms
            + (stamp - (stamp if self._first_stamp is None else self._first_stamp)) * 1000.0
        )
        self._pending.append((self._seq, event, offset))
        self._seq += 1
        self._dirty = True
        if type(event) in EVENT_NAMES:
            event_id: int = event.id  # type: ignore[union-attr]
            if event_id > self._last_event_id:
                self._last_event_id = event_id
        if self._state != "streaming":
            return False
        if isinstance(event, Token):
            self._parts.append(event.content)
            self._tokens += 1
            if self._ttft_ms is None and self._offset_base_ms == 0.0:
                self._ttft_ms = offset
            return False
        if isinstance(event, StreamStarted):
            self._stream_id = event.stream_id
            return True
        if isinstance(event, Reset):  # the text starts over; the event record keeps the rest
            self._parts = []
            return True
        outcome = terminal_state(event)
        if outcome is not None:
            self._state, self._error = outcome
            self._finished = self._wall_clock()
            return True
        return isinstance(event, Reconnecting)

    def _take_checkpoint(self, stamp: float, *, with_text: bool) -> Checkpoint:
        text: str | None = None
        if with_text or self._text_due:
            self._text_due = False
            text = "".join(self._parts)
            self._parts = [text] if text else []
        checkpoint = Checkpoint(
            message_id=self.message_id,
            conversation_id=self.conversation_id,
            text=text,
            last_event_id=self._last_event_id,
            stream_id=self._stream_id,
            state=self._state,
            error=self._error,
            tokens=self._tokens,
            ttft_ms=self._ttft_ms,
            finished=self._finished,
            updated=self._wall_clock(),
            events=self._pending,
            rows=self._rows,
        )
        self._pending = []
        self._dirty = False
        self._last_checkpoint = stamp
        self.checkpoints += 1
        self.checkpoint_stamps.append(stamp)
        return checkpoint

    def _submit(self, checkpoint: Checkpoint) -> Future[None]:
        future = self.writer.submit(lambda connection: write_checkpoint(connection, checkpoint))
        future.add_done_callback(lambda f: self._on_written(f, checkpoint))
        return future

    def _on_written(self, future: Future[None], checkpoint: Checkpoint) -> None:
        if future.cancelled() or future.exception() is None:
            return
        with self._lock:  # the next checkpoint writes these events again, and the text
            self._pending = checkpoint.events + self._pending
            self._dirty = True
            self._text_due = True


def open_answer_recording(
    db_path: Path | None,
    *,
    server_url: str,
    protocol: str,
    request: ChatRequest,
    on_error: Callable[[CacheError], None] | None = None,
) -> AnswerRecorder:
    """A recorder with a writer of its own, for one headless answer (the ``ask`` command).

    ``db_path`` ``None`` is the default cache. ``close()`` flushes and closes the file.

    Raises:
        NewerSchemaError, CacheUnavailable: the cache cannot be used; answer without it.
    """
    writer = CacheWriter(db_path, on_error=on_error)
    return AnswerRecorder.start(
        writer, server_url=server_url, protocol=protocol, request=request, owns_writer=True
    )
