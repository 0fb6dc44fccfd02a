"""``assist-desktop serve`` as a process: token from the environment, logs, draining on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from servers.ports import free_port

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[3]
SECRET = "env-token-abc123"


def test_serve_takes_its_token_from_the_environment_and_drains_on_sigterm() -> None:
    port = free_port()
    env = {**os.environ, "ASSIST_SERVER_TOKEN": SECRET, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "desktop",
        "serve",
        "--port",
        str(port),
        "--token-rate",
        "50",
        "--backend",
        "tests.servers.scripted_backend:create",
        "--log-format",
        "json",
    ]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(400):
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        assert httpx.post(f"{url}/api/v1/chat/stream", json={"message": "x"}).status_code == 401
        headers = {"Authorization": f"Bearer {SECRET}"}
        body = {"message": "long", "options": {"max_tokens": 100}}
        with httpx.stream("POST", f"{url}/api/v1/chat/stream", json=body, headers=headers) as r:
            assert r.status_code == 200
            chunks = r.iter_bytes()
            received = next(chunks)
            proc.send_signal(signal.SIGTERM)
            for _ in range(400):  # the signal is handled between two event-loop turns
                health = httpx.get(f"{url}/healthz", timeout=2)
                if health.status_code == 503:
                    break
                time.sleep(0.01)
            assert health.json() == {"status": "draining"}
            refused = httpx.post(f"{url}/api/v1/chat/stream", json=body, headers=headers)
            assert refused.status_code == 503
            assert refused.headers["retry-after"] == "1"
            # With the log in this process alone, its reader stays and gets the whole answer.
            received += b"".join(chunks)
        assert b'"finish_reason":"stop"' in received
        # uvicorn re-raises the signal once its graceful shutdown is complete
        assert proc.wait(20) in (0, -signal.SIGTERM)
    finally:
        if proc.poll() is None:
            proc.kill()
        logs = proc.communicate()[1]
    assert SECRET not in logs
    assert '"message": "stream_started stream_id=' in logs
    assert '"logger": "desktop.server.runtime"' in logs
    assert "server_stopped" in logs  # the lifespan ran to its end
