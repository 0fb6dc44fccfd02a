"""``assist-desktop --help`` names the subcommands and the window's own options."""

from __future__ import annotations

import pytest

from desktop.cli import main


def test_the_top_level_help_lists_the_window_options_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    assert "ask" in text
    assert "resume" in text
    window = text.split("window options (without a command):", 1)[1]
    for option in ("--server URL", "--ask MESSAGE", "--quit-when-done", "--db PATH"):
        assert option in window
    assert "-h, --help" not in window
