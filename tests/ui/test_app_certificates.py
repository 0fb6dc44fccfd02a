"""The composition root over HTTPS: ``--ca-file`` and a profile's CA file reach the client."""

from __future__ import annotations

from pathlib import Path

import pytest
from servers.tls import TestCertificates

from desktop.app import main
from desktop.settings import ServerProfile, Settings

pytestmark = pytest.mark.e2e


def run(settings: Path, *args: str) -> int:
    return main(
        ["--settings", str(settings), "--ask", "Wie exportiere ich?", "--quit-when-done", *args]
    )


def test_the_window_trusts_the_ca_file_of_its_flag_or_of_its_profile(
    certificates: TestCertificates, tmp_path: Path, restore_app_style: None
) -> None:
    server = certificates.serve()
    settings = tmp_path / "settings.json"
    assert run(settings, "--server", server.url) == 3  # untrusted: refused at once
    assert run(settings, "--server", server.url, "--ca-file", certificates.ca_file) == 0
    work = ServerProfile("Work", server.url, ca_file=certificates.ca_file)
    Settings().with_profile(work).save(settings)
    assert run(settings) == 0
