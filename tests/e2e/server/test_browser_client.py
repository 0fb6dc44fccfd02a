"""A real headless Chromium page on another origin: ``fetch`` starts, ``EventSource`` follows.

The page comes from a second loopback server (another port, so another origin). It starts a
stream with ``fetch`` (bearer token, CORS preflight), reads ``X-Stream-Id`` and the read token
from the response headers, and follows the stream with the browser's own ``EventSource``. The
first connection is dropped after a few events (fault injection), so the browser reconnects by
itself with ``Last-Event-ID``. The page posts what it received back to its own server.
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from server_harness import TOKEN, ServerFactory
from servers.scripted_backend import expected_text

from desktop.protocol.request import ChatRequest

pytestmark = pytest.mark.e2e
MESSAGE = "from a browser"

PAGE = """<!doctype html>
<html><body><script>
const api = "%(api)s";
const report = (result) => fetch("/report", {method: "POST", body: JSON.stringify(result)});
(async () => {
  try {
    const started = await fetch(api + "/api/v1/chat/stream", {
      method: "POST",
      headers: {"Authorization": "Bearer %(token)s", "Content-Type": "application/json",
                "Idempotency-Key": crypto.randomUUID()},
      body: JSON.stringify({message: "%(message)s"}),
    });
    const id = started.headers.get("X-Stream-Id");
    const readToken = started.headers.get("X-Read-Token");
    await started.body.cancel();  // the EventSource follows from the first event
    const url = api + "/api/v1/streams/" + id + "/events?read_token=" +
      encodeURIComponent(readToken) + "&fault=drop_after:8";
    const source = new EventSource(url);
    let text = "", ids = [], opened = 0;
    source.onopen = () => { opened += 1; };
    for (const name of ["stream", "thinking", "tool_use", "progress"]) {
      source.addEventListener(name, (e) => ids.push(Number(e.lastEventId)));
    }
    source.addEventListener("token", (e) => {
      ids.push(Number(e.lastEventId));
      text += JSON.parse(e.data).content;
    });
    source.addEventListener("done", (e) => {
      ids.push(Number(e.lastEventId));
      source.close();
      report({status: started.status, text, ids, opened, done: JSON.parse(e.data)});
    });
  } catch (error) {
    report({error: String(error)});
  }
})();
</script></body></html>
"""


class _PageServer(ThreadingHTTPServer):
    page: bytes
    reports: queue.Queue[dict[str, Any]]


class _PageHandler(BaseHTTPRequestHandler):
    server: _PageServer

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.server.page)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.reports.put(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture
def page_server() -> Iterator[_PageServer]:
    server = _PageServer(("127.0.0.1", 0), _PageHandler)
    server.reports = queue.Queue()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_page_on_another_origin_starts_with_fetch_and_follows_with_event_source(
    make_server: ServerFactory, page_server: _PageServer, tmp_path: Path
) -> None:
    browser = shutil.which("chromium")
    if browser is None:
        pytest.fail("chromium is not installed (scripts/bootstrap installs it)")
    origin = f"http://127.0.0.1:{page_server.server_address[1]}"
    api = make_server(cors_origins=(origin,), allow_faults=True)
    page_server.page = (PAGE % {"api": api.url, "token": TOKEN, "message": MESSAGE}).encode()
    command = [
        browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-extensions", f"--user-data-dir={tmp_path / 'profile'}", f"{origin}/",
    ]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        result = page_server.reports.get(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert "error" not in result, result
    assert result["status"] == 200
    assert result["text"] == expected_text(ChatRequest(MESSAGE))
    assert result["opened"] == 2  # dropped after 8 events, reconnected by the browser itself
    assert result["ids"] == list(range(1, len(result["ids"]) + 1))  # each event once, in order
    assert result["done"]["finish_reason"] == "stop"
