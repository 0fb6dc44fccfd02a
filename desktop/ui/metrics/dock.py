"""The developer's metrics dock: live stream charts, raw events, comparison and cache report.

Self-contained: the window puts it in its hidden Developer dock, and the composition root
registers it once as an observer of every answer. Wiring, in ``desktop/app.py``::

    self.metrics = MetricsDock(load_cached=lambda: load_cached_streams_from(db_path))
    window.set_metrics_widget(self.metrics)
    self.metrics.follow(window)   # a recorder and a timeline per answer; charts of the one in view

and, for the event inspector, the source factory passes
``on_message=self.metrics.inspector.feed`` to every ``ReconnectingEventSource`` it makes (start
and resume). ``load_cached_streams_from`` is in ``desktop.commands.metrics``. Nothing is drawn
while the dock is hidden, or while another tab is in front: the panel's timer runs only while
the panel is visible.

Every answer of every conversation is recorded, in view or not; the Stream tab shows the
answers of the conversation in view (:meth:`MetricsDock.show_answers_of`), so switching back to
a conversation shows its running or last answer's figures, kept while it was out of view.
"""

from __future__ import annotations

import contextlib
import json
import time
import weakref
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QTabWidget, QWidget

from desktop.metrics.analytics import CachedStream
from desktop.metrics.recorder import StreamMetricsRecorder
from desktop.metrics.replay import replayed_metrics
from desktop.metrics.timeline import StreamTimeline
from desktop.protocol.events import EVENT_NAMES, WireEvent
from desktop.protocol.request import ChatRequest
from desktop.protocol.wire import event_payload
from desktop.streaming.session import AnswerSession, EventSink
from desktop.ui.bridge import StreamBridge
from desktop.ui.conversation.pane import ConversationPane
from desktop.ui.metrics.compare_view import CompareView
from desktop.ui.metrics.event_inspector import EventInspector
from desktop.ui.metrics.event_table_model import EventRecord
from desktop.ui.metrics.panel import MetricsPanel
from desktop.ui.metrics.report_view import Loader, MetricsReportView


class MetricsHost(Protocol):
    """What the dock needs from the window (which it never imports): the runners of every
    conversation and which one is in view."""

    @property
    def bridge(self) -> StreamBridge: ...

    @property
    def current_pane(self) -> ConversationPane: ...

    @property
    def pane_shown(self) -> SignalInstance:
        """Emitted with the pane now in view."""
        ...


class MetricsDock(QTabWidget):
    """Tabs: Stream (charts and figures), Events (inspector), Compare, Cache report.

    Args:
        clock: the clock of the sinks' stamps (the bridge's ``time.monotonic``).
        load_cached: reads the cached streams for the report and the compare view.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        load_cached: Loader | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("metricsDockTabs")
        self.setAccessibleName(self.tr("Stream metrics"))
        self._clock = clock
        self.panel = MetricsPanel(self, clock=clock)
        self.inspector = EventInspector(self, clock=clock)
        self.compare = CompareView(self)
        self.report = MetricsReportView(self, load=load_cached)
        self._report_loaded = False
        #: Each answer's sinks, for as long as its session lives (its bridge's last answer).
        self._answers: weakref.WeakKeyDictionary[
            AnswerSession, tuple[StreamMetricsRecorder, StreamTimeline]
        ] = weakref.WeakKeyDictionary()
        #: The conversation in view's runner; ``None`` until the window says (then the dock
        #: shows the latest answer, whichever conversation it belongs to).
        self._in_view: StreamBridge | None = None
        self.addTab(self.panel, self.tr("Stream"))
        self.addTab(self.inspector, self.tr("Events"))
        self.addTab(self.compare, self.tr("Compare"))
        self.addTab(self.report, self.tr("Cache report"))
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.report.stream_activated.connect(self.show_cached)
        self.report.streams_changed.connect(self.compare.set_streams)
        self.currentChanged.connect(self._on_current_changed)

    def watch_live(
        self, recorder: StreamMetricsRecorder, timeline: StreamTimeline | None = None
    ) -> StreamTimeline:
        """Show a new live stream; returns its timeline, to be added to the sinks."""
        started = self._clock()
        if timeline is None:
            timeline = StreamTimeline(started_at=recorder.started_at or started)
        self.panel.watch(recorder, timeline, live=True)
        self.inspector.begin(started)
        return timeline

    def follow(self, host: MetricsHost) -> None:
        """Record every answer of every conversation of ``host``, and chart the one in view."""
        host.bridge.observe(self.follow_answer)
        self.show_answers_of(host.current_pane.bridge)
        host.pane_shown.connect(lambda pane: self.show_answers_of(pane.bridge))

    def follow_answer(
        self, session: AnswerSession, _request: ChatRequest | None
    ) -> tuple[EventSink, ...]:
        """An answer starts: record it (an :data:`~desktop.ui.bridge.AnswerObserver`); it is
        charted live once its conversation is in view."""
        stats = session.source.stats
        started = self._clock()
        recorder = StreamMetricsRecorder(
            started_at=started,
            bytes_received=lambda: int(stats.bytes_received),
        )
        timeline = StreamTimeline(started_at=started)
        self._answers[session] = (recorder, timeline)
        if self._in_view is None:
            self.watch_live(recorder, timeline)
        return recorder, timeline

    def show_answers_of(self, bridge: StreamBridge) -> None:
        """Chart the answers of ``bridge``'s conversation (it came into view): its running or
        last answer now, and each one it starts from now on."""
        if bridge is self._in_view:
            return
        if self._in_view is not None:
            with contextlib.suppress(RuntimeError, TypeError):  # its pane may be gone already
                self._in_view.running_changed.disconnect(self._on_running_changed)
        self._in_view = bridge
        bridge.running_changed.connect(self._on_running_changed)
        self._show_answer(bridge.session)

    def metrics_of(
        self, session: AnswerSession
    ) -> tuple[StreamMetricsRecorder, StreamTimeline] | None:
        """The recorder and timeline following ``session`` (``None``: not followed)."""
        return self._answers.get(session)

    def _on_running_changed(self, running: bool) -> None:
        if running and self._in_view is not None:
            self._show_answer(self._in_view.session)  # a new answer, or a Retry of the last

    def _show_answer(self, session: AnswerSession | None) -> None:
        answer = self._answers.get(session) if session is not None else None
        if answer is None:  # nothing asked there yet (or before the dock loaded)
            self.panel.watch(StreamMetricsRecorder(), StreamTimeline(), live=False)
            self.inspector.begin(self._clock())
            return
        recorder, timeline = answer
        if self.panel.recorder is not recorder or self.panel.timeline is not timeline:
            self.watch_live(recorder, timeline)

    def show_cached(self, stream: CachedStream) -> None:
        """Charts, figures and events of a cached answer, as recorded. Its bytes are those of
        the events' data (the cache does not keep the SSE framing around them)."""
        records = []
        for offset_ms, event in stream.events:
            name = EVENT_NAMES.get(type(event))
            if name is None:
                continue  # connection events never crossed the wire
            wire: WireEvent = event  # type: ignore[assignment]
            data = json.dumps(event_payload(wire), ensure_ascii=False)
            size = len(data.encode("utf-8"))
            records.append(EventRecord(str(wire.id), name, offset_ms / 1000.0, size, data))
        total_bytes = sum(record.size for record in records)
        recorder, timeline = replayed_metrics(stream.events, bytes_received=total_bytes)
        self.panel.watch(recorder, timeline, live=False)
        self.inspector.begin(0.0, live=False)
        for record in records:
            self.inspector.add_record(record)
        self.setCurrentWidget(self.panel)

    def _on_current_changed(self, index: int) -> None:
        if self.widget(index) in (self.report, self.compare) and not self._report_loaded:
            self._report_loaded = True
            self.report.reload()
