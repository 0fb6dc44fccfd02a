"""Fixtures for end-to-end tests: scripted fault servers on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import pytest
from servers.fault_server import FaultServerFactory, RecordedRequest, Reply, ThreadedFaultServer


@pytest.fixture
def fault_server() -> Iterator[FaultServerFactory]:
    """Starts :class:`ThreadedFaultServer` instances (own loop, own thread) for clients in other
    processes or loops, e.g. ``server = fault_server([sse_reply(...)])``; all stop at teardown.
    Tests whose client runs in the test's own loop use ``async with FaultServer(...)`` instead."""
    started: list[ThreadedFaultServer] = []

    def start(
        script: Sequence[Reply] | Callable[[int, RecordedRequest], Reply], **kwargs: Reply
    ) -> ThreadedFaultServer:
        server = ThreadedFaultServer(script, **kwargs)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
