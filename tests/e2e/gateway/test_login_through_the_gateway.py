"""``assist-desktop login`` against the gateway: one address for the login and the answers.

The gateway passes ``/api/auth/login`` through to nscale-assist, so the login kept for the
gateway's address is the backend's own token, and ``ask`` through the gateway (our protocol,
resumable) uses it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from servers.keyrings import FileKeyring
from servers.nscale import EMAIL, PASSWORD, RunningNscale
from servers.nscale.streams import DEFAULT_ANSWER
from servers.server_thread import ServerThread

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ASSIST_TOKEN"}
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_login_at_the_gateway_serves_the_answers_through_it(
    nscale: RunningNscale, gateway: ServerThread, file_keyring: FileKeyring
) -> None:
    credentials = ("--email", EMAIL, "--password-stdin")
    wrong = run("login", "--server", gateway.url, *credentials, stdin="falsch\n")
    assert wrong.returncode == 3
    assert "Ungültige Anmeldedaten" in wrong.stderr
    logged_in = run("login", "--server", gateway.url, *credentials, stdin=PASSWORD + "\n")
    assert logged_in.returncode == 0, logged_in.stderr
    assert logged_in.stdout.startswith(f"Logged in to {gateway.url} as {EMAIL} until ")
    token = file_keyring.entries()[f"assist-desktop/{gateway.url}"]
    assert nscale.fake.accounts.user_of(f"Bearer {token}").email == EMAIL
    answer = run("ask", "--url", gateway.url, "--no-cache", "Wie lege ich eine Akte an?")
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout == "".join(DEFAULT_ANSWER)  # the fake's answer, through the gateway
