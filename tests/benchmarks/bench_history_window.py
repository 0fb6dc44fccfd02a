"""The history in the window: GUI-thread cost of the sidebar list and of opening a conversation,
and the worker thread's cost of the list's query (with each conversation's latest answer state).

Runs offscreen against a real cache file in a temporary folder. Prints a table and writes
``tests/benchmarks/results/history_window.json``. Figures from a shared 2-core machine are
preliminary.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_history_window.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Done, StreamStarted, Thinking, Token
from desktop.protocol.request import ChatRequest
from desktop.settings import Settings
from desktop.store.recorder import AnswerRecorder
from desktop.store.records import ConversationSummary
from desktop.store.repository import _SUMMARY, CacheRepository
from desktop.store.writer import CacheWriter
from desktop.ui.bridge import StreamBridge
from desktop.ui.history.controller import LIST_LIMIT
from desktop.ui.history.sidebar import HistorySidebar
from desktop.ui.window.main_window import MainWindow

RESULTS = Path(__file__).with_name("results") / "history_window.json"
RUNS = 5
ANSWER = "Here is **what** the manual says:\n\n- open the list\n- choose *Export*\n\nDone. " * 4


def settle(app: QApplication) -> None:
    for _ in range(20):
        app.processEvents()


#: Every fourth listed conversation ends in a state its row marks (the rest are done).
MARKED = (AnswerStatus.INTERRUPTED, *[AnswerStatus.DONE] * 3, AnswerStatus.STREAMING,
          *[AnswerStatus.DONE] * 3)  # fmt: skip
#: The list's query before it read the latest answer's state: the baseline of ``list_query``.
COUNT_ONLY = _SUMMARY.split(", (SELECT m.state")[0] + " FROM conversations c"


def list_rebuild_ms(app: QApplication, rows: int, marked: bool = False) -> float:
    side = HistorySidebar()
    side.resize(260, 700)
    side.show()
    now = time.time()
    runs = []
    for run in range(RUNS):
        summaries = [
            ConversationSummary(f"c{n}", f"Question {n} {run}", now - n * 600, now - n * 600,
                                n % 50 == 0, None, 2,
                                MARKED[n % len(MARKED)] if marked else AnswerStatus.DONE)
            for n in range(rows)
        ]  # fmt: skip
        started = time.perf_counter()
        side.set_conversations(summaries, more=rows >= LIST_LIMIT)
        settle(app)
        runs.append((time.perf_counter() - started) * 1000)
    side.deleteLater()
    return statistics.median(runs)


def open_ms(app: QApplication, db: Path, messages: int) -> float:
    with CacheWriter(db) as writer:
        conversation_id = None
        for n in range(messages // 2):
            events = [StreamStarted(1, f"s{n}"), Thinking(2, "Searching"),
                      Token(3, ANSWER, 0), Done(4, "stop")]  # fmt: skip
            recorder = AnswerRecorder.start(
                writer, server_url="http://127.0.0.1:9", protocol="assist",
                request=ChatRequest(f"Question {n}", conversation_id),
            )  # fmt: skip
            conversation_id = recorder.conversation_id
            for k, event in enumerate(events):
                recorder(event, float(k))
            recorder.close()
    assert conversation_id is not None
    with CacheRepository.open(db) as repository:
        record = repository.get_conversation(conversation_id, token_events=False)
    window = MainWindow(StreamBridge(None), Settings(theme="light"))
    window.resize(1000, 700)
    window.show()
    settle(app)
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        window.controller.show_cached(record)
        settle(app)
        runs.append((time.perf_counter() - started) * 1000)
    window.close()
    window.deleteLater()
    return statistics.median(runs)


def list_query_ms(db: Path, conversations: int, exchanges: int) -> tuple[float, float]:
    """The list's query (``LIST_LIMIT`` rows) over a cache of ``conversations`` conversations
    of ``exchanges`` question-answer pairs each: with the latest answer's state, and without."""
    with CacheRepository.open(db) as repository:
        c = repository.opened.connection
        c.execute("BEGIN")
        c.executemany(
            "INSERT INTO conversations (id, title, created, updated) VALUES (?, ?, ?, ?)",
            ((f"c{n}", f"Question {n}", float(n), float(n)) for n in range(conversations)),
        )
        c.executemany(
            "INSERT INTO messages (id, conversation_id, position, role, text, created, state) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (n * 1_000 + k, f"c{n}", k, "user" if k % 2 == 0 else "assistant", "text",
                 float(n), MARKED[(n + k) % len(MARKED)].value)
                for n in range(conversations)
                for k in range(2 * exchanges)
            ),
        )  # fmt: skip
        c.execute("COMMIT")
        baseline = (
            f"{COUNT_ONLY} WHERE c.deleted_at IS NULL "
            f"ORDER BY c.pinned DESC, c.updated DESC LIMIT {LIST_LIMIT}"
        )
        timed: dict[str, list[float]] = {"with": [], "without": []}
        for _ in range(RUNS):
            started = time.perf_counter()
            listed = repository.list_conversations(limit=LIST_LIMIT)
            timed["with"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            plain = c.execute(baseline).fetchall()
            timed["without"].append((time.perf_counter() - started) * 1000)
        assert len(listed) == len(plain) == LIST_LIMIT
    return statistics.median(timed["with"]), statistics.median(timed["without"])


def main() -> int:
    app = QApplication(sys.argv[:1])
    results: dict[str, float] = {}
    for rows in (50, LIST_LIMIT):
        results[f"list_rebuild_{rows}_rows_ms"] = list_rebuild_ms(app, rows)
    results[f"list_rebuild_{LIST_LIMIT}_rows_quarter_marked_ms"] = list_rebuild_ms(
        app, LIST_LIMIT, marked=True
    )
    with tempfile.TemporaryDirectory() as folder:
        with_state, without = list_query_ms(Path(folder) / "list.sqlite3", 10_000, 5)
        results["list_query_10000_conversations_ms"] = with_state
        results["list_query_10000_conversations_count_only_ms"] = without
        for messages in (20, 1_000):
            db = Path(folder) / f"cache-{messages}.sqlite3"
            results[f"open_{messages}_messages_ms"] = open_ms(app, db, messages)
    print(f"{'measure (median of 5; the query runs on the worker)':<52} {'ms':>8}")
    for name, value in results.items():
        print(f"{name:<52} {value:>8.1f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"preliminary": True, **results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
