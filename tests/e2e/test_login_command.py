"""``assist-desktop login`` / ``logout`` as a user runs them, against the fake nscale-assist.

Subprocesses with a keyring shared through a file (``file_keyring``): the token lands under the
server's address with its expiry, a wrong password is a clear refusal, and the password is
nowhere afterwards, not on either stream (with debug logging on), not in any file the app
wrote, not in the keyring.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers.keyrings import FileKeyring
from servers.nscale import EMAIL, PASSWORD, RunningNscale, start_fake_nscale
from servers.ports import free_port

from desktop.protocol.token_claims import read_claims

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SERVICE = "assist-desktop"


@pytest.fixture
def nscale() -> Iterator[RunningNscale]:
    with start_fake_nscale() as running:
        yield running


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ASSIST_TOKEN"}
    env["ASSIST_LOG"] = "DEBUG"  # every library logs what it does; the password must not show
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


def login(url: str, password: str = PASSWORD, *extra: str) -> subprocess.CompletedProcess[str]:
    return run(
        "login",
        "--server",
        url,
        "--email",
        EMAIL,
        "--password-stdin",
        *extra,
        stdin=password + "\n",
    )


def test_login_keeps_the_token_for_the_server_and_says_who_until_when(
    nscale: RunningNscale, file_keyring: FileKeyring
) -> None:
    result = login(nscale.url + "/")
    assert result.returncode == 0, result.stderr
    token = file_keyring.entries()[f"{SERVICE}/{nscale.url}"]
    claims = read_claims(token)
    assert claims is not None
    assert claims.email == EMAIL
    assert claims.expires_at is not None
    local = claims.expires_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert result.stdout.startswith(f"Logged in to {nscale.url} as {EMAIL} until {local}")
    validate = nscale.fake.accounts.user_of(f"Bearer {token}")
    assert validate.email == EMAIL  # the server itself accepts the stored token


def test_a_wrong_password_is_refused_with_the_servers_words_and_exit_3(
    nscale: RunningNscale, file_keyring: FileKeyring
) -> None:
    result = login(nscale.url, "not-the-password")
    assert result.returncode == 3
    assert "assist-desktop login: login refused: Ungültige Anmeldedaten" in result.stderr
    assert result.stdout == ""
    assert file_keyring.entries() == {}


def test_the_password_appears_nowhere_after_a_login(
    nscale: RunningNscale, file_keyring: FileKeyring, tmp_path_factory: pytest.TempPathFactory
) -> None:
    ok = login(nscale.url)
    refused = login(nscale.url, PASSWORD + "-wrong")
    assert (ok.returncode, refused.returncode) == (0, 3)
    for result in (ok, refused):
        assert PASSWORD not in result.stdout + result.stderr
    assert "DEBUG" in ok.stderr  # the logs were really on
    written = [
        path
        for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")
        for path in Path(os.environ[variable]).rglob("*")
        if path.is_file()
    ]
    for path in [*written, file_keyring.path]:
        assert PASSWORD.encode() not in path.read_bytes(), path


def test_empty_credentials_are_never_sent(nscale: RunningNscale, file_keyring: FileKeyring) -> None:
    result = login(nscale.url, "")
    assert result.returncode == 2
    assert "a password are needed" in result.stderr
    needs_email = run("login", "--server", nscale.url, "--password-stdin", stdin="x\n")
    assert needs_email.returncode == 2
    assert "--password-stdin needs --email" in needs_email.stderr


def test_logout_forgets_the_login(nscale: RunningNscale, file_keyring: FileKeyring) -> None:
    assert login(nscale.url).returncode == 0
    out = run("logout", "--server", nscale.url)
    assert (out.returncode, out.stdout) == (0, f"Logged out of {nscale.url}.\n")
    assert file_keyring.entries() == {}
    again = run("logout", "--server", nscale.url)
    assert (again.returncode, again.stdout) == (0, f"There was no login for {nscale.url}.\n")


def test_a_server_that_is_not_there_exits_4(file_keyring: FileKeyring) -> None:
    result = login(f"http://127.0.0.1:{free_port()}")
    assert result.returncode == 4
    assert "cannot reach" in result.stderr


def test_ask_uses_the_login_until_it_expires_and_then_says_to_log_in(
    nscale: RunningNscale, file_keyring: FileKeyring
) -> None:
    assert login(nscale.url).returncode == 0
    question = "Wie lege ich eine Akte an?"
    answered = run("ask", "--url", nscale.url, "--protocol", "nscale", "--no-cache", question)
    assert answered.returncode == 0, answered.stderr
    assert answered.stdout.strip()
    expired = nscale.login_token(expires_in=-60)  # as the keyring holds it a day later
    file_keyring.set_password(SERVICE, nscale.url, expired)
    refused = run("ask", "--url", nscale.url, "--protocol", "nscale", "--no-cache", question)
    assert refused.returncode == 3
    assert refused.stdout == ""
    assert "Nicht authentifiziert" in refused.stderr  # no token was sent, not the expired one
    assert f"to log in: assist-desktop login --server {nscale.url}" in refused.stderr
