"""The developer's metrics dock: live stream charts, raw events, comparison and cache report.

Self-contained: the window puts it in its hidden Developer dock, and the composition root
registers it once as an observer of every answer. Wiring, in ``desktop/app.py``::

    self.metrics = MetricsDock(load_cached=lambda: load_cached_streams_from(db_path))
    window.set_metrics_widget(self.metrics)
    bridge.observe(self.metrics.follow_answer)   # a recorder and a timeline per answer

and, for the event inspector, the source factory passes
``on_message=self.metrics.inspector.feed`` to every ``ReconnectingEventSource`` it makes (start
and resume). ``load_cached_streams_from`` is in ``desktop.commands.metrics``. Nothing is drawn
while the dock is hidden, or while another tab is in front: the panel's timer runs only while
the panel is visible.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from PySide6.QtWidgets import QTabWidget, QWidget

from desktop.metrics.analytics import CachedStream
from desktop.metrics.recorder import StreamMetricsRecorder
from desktop.metrics.replay import replayed_metrics
from desktop.metrics.timeline import StreamTimeline
from desktop.protocol.events import EVENT_NAMES, WireEvent
from desktop.protocol.request import ChatRequest
from desktop.protocol.wire import event_payload
from desktop.streaming.session import AnswerSession, EventSink
from desktop.ui.metrics.compare_view import CompareView
from desktop.ui.metrics.event_inspector import EventInspector
from desktop.ui.metrics.event_table_model import EventRecord
from desktop.ui.metrics.panel import MetricsPanel
from desktop.ui.metrics.report_view import Loader, MetricsReportView


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

    def follow_answer(
        self, session: AnswerSession, _request: ChatRequest | None
    ) -> tuple[EventSink, ...]:
        """An answer starts: chart it live (an :data:`~desktop.ui.bridge.AnswerObserver`)."""
        stats = session.source.stats
        recorder = StreamMetricsRecorder(
            started_at=self._clock(),
            bytes_received=lambda: int(stats.bytes_received),
        )
        return recorder, self.watch_live(recorder)

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
