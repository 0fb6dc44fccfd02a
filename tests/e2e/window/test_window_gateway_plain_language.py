"""The window asks for plain language through the gateway when the gateway offers it, and the
switch reaches nscale-assist; a server that does not offer it never gets the option."""

from __future__ import annotations

from pathlib import Path

import pytest
from servers.nscale import start_fake_nscale
from servers.server_thread import ServerThread

from desktop.server.settings import ServerSettings
from desktop.settings import Settings

pytestmark = pytest.mark.e2e
QUESTION = "Wie öffne ich eine Akte?"


def run_window(settings: Path, tmp_path: Path, url: str, token: str) -> int:
    from desktop.app import main

    return main(
        [
            "--settings", str(settings), "--db", str(tmp_path / "cache.sqlite3"),
            "--server", url, "--protocol", "assist", "--token", token,
            "--ask", QUESTION, "--quit-when-done",
        ]
    )  # fmt: skip


@pytest.mark.parametrize("checked", [True, False], ids=["checked", "unchecked"])
def test_the_checked_action_reaches_nscale_through_the_gateway(
    tmp_path: Path, restore_app_style: None, checked: bool
) -> None:
    settings = tmp_path / "settings.json"
    Settings(extra={"simple_language": checked}).save(settings)
    with start_fake_nscale(token_delay=0.0) as nscale:
        gateway = ServerThread(ServerSettings(backend="nscale", upstream_url=nscale.url)).start()
        try:
            code = run_window(settings, tmp_path, gateway.url, nscale.login_token())
        finally:
            gateway.stop()
        (generation,) = nscale.fake.generations
    assert code == 0
    assert generation.question == QUESTION
    assert generation.simple_language is checked
