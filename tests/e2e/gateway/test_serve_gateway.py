"""``assist-desktop serve --backend nscale`` as a process, with ``ask`` through it."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers.nscale import EMAIL, PASSWORD, RunningNscale
from servers.nscale.streams import answer, words
from servers.ports import free_port

from desktop.protocol.sse import SSEParser

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[3]
ANSWER = words("Öffnen Sie die Akte über Datei → Neu und speichern Sie. Fertig 🙂")


def environment(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **extra}
    env.pop("ASSIST_SERVER_TOKEN", None)
    return env


def serve_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "desktop", "serve", *args]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--token", "x"], "forwards the users' own tokens"),
        ([], "needs --upstream-url"),
        (
            ["--upstream-url", "https://127.0.0.1:1", "--upstream-ca", "/nonexistent/ca.pem"],
            "--upstream-ca: the CA file /nonexistent/ca.pem does not exist",
        ),
    ],
    ids=["with-a-token", "without-upstream", "missing-ca-file"],
)
def test_the_gateway_refuses_a_token_of_its_own_and_needs_its_upstream(
    args: list[str], said: str
) -> None:
    refused = subprocess.run(
        serve_command("--backend", "nscale", *args),
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert said in refused.stderr


@pytest.fixture
def gateway_process(nscale: RunningNscale) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    command = serve_command("--backend", "nscale", "--upstream-url", nscale.url)
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        env=environment(),
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        yield url, process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_login_and_ask_through_a_serving_gateway(
    nscale: RunningNscale, gateway_process: tuple[str, subprocess.Popen[str]]
) -> None:
    url, process = gateway_process
    login = httpx.post(f"{url}/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 200
    token = login.json()["access_token"]
    nscale.fake.scripts.append(answer(ANSWER))
    asked = subprocess.run(
        [sys.executable, "-m", "desktop", "ask", "--url", url, "--no-cache", "Wie öffne ich?"],
        cwd=ROOT,
        env=environment(ASSIST_TOKEN=token),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout == "".join(ANSWER)
    process.terminate()
    logs = process.communicate(timeout=20)[1]
    assert "backend=nscale" in logs
    assert PASSWORD not in logs
    assert token not in logs


def start_gateway(upstream: str, *args: str) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    command = serve_command("--backend", "nscale", "--upstream-url", upstream, *args)
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return url, process
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the gateway did not start")


@pytest.mark.redis
def test_a_killed_replicas_answer_ends_with_an_error_on_the_other_and_is_not_asked_again(
    nscale: RunningNscale, redis_url: str
) -> None:
    """nscale-assist cannot give the same answer twice, so no replica re-asks the question."""
    nscale.fake.token_delay = 0.01
    nscale.fake.scripts.append(answer(words("Akte " * 3000)))
    shared = ("--redis-url", redis_url, "--redis-key-prefix", f"gw-{secrets.token_hex(4)}")
    owner_url, owner = start_gateway(nscale.url, *shared, "--lease-seconds", "2")
    reader_url, reader = start_gateway(nscale.url, *shared, "--lease-seconds", "2")
    try:
        auth = nscale.auth()
        parser, seen = SSEParser(), 0
        body = {"message": "Wie?"}
        with httpx.stream("POST", f"{owner_url}/api/v1/chat/stream", json=body, headers=auth) as r:
            stream_id = r.headers["x-stream-id"]
            for chunk in r.iter_bytes():
                seen += len(parser.feed(chunk))
                if seen >= 10:
                    break
        owner.send_signal(signal.SIGKILL)
        owner.wait(10)
        events = f"{reader_url}/api/v1/streams/{stream_id}/events"
        parser = SSEParser()
        with httpx.stream(
            "GET", events, headers={**auth, "Last-Event-ID": "0"}, timeout=30
        ) as response:
            messages = [m for chunk in response.iter_bytes() for m in parser.feed(chunk)]
    finally:
        for process in (owner, reader):
            if process.poll() is None:
                process.kill()
            process.wait(10)
    assert [m.event for m in messages[-2:]] == ["error", "done"]
    error = json.loads(messages[-2].data)
    assert error["resumable"] is False
    (generation,) = nscale.fake.generations  # asked once: the killed owner's request
    assert generation.ended.wait(10)
    assert generation.state == "disconnected"
