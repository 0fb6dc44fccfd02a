"""The window's command line becomes typed options, and a bad value is a usage error at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.window_options import WindowOptions


def test_nothing_given_means_the_settings_decide() -> None:
    assert WindowOptions.parse([]) == WindowOptions()


def test_every_ask_is_kept_in_order_and_paths_are_paths() -> None:
    options = WindowOptions.parse(
        ["--ask", "one", "--ask", "two", "--db", "~/cache.db", "--screenshot", "s.png"]
    )
    assert options.asks == ("one", "two")
    assert options.db == Path.home() / "cache.db"
    assert options.screenshot == Path("s.png")


def test_a_size_is_two_positive_numbers() -> None:
    assert WindowOptions.parse(["--size", "1100x760"]).size == (1100, 760)


@pytest.mark.parametrize("size", ["1100", "widex760", "0x760", "1100x-5"])
def test_a_bad_size_is_a_usage_error_that_says_why(
    size: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        WindowOptions.parse(["--size", size])
    assert exc.value.code == 2
    assert "--size" in capsys.readouterr().err


def test_the_options_cannot_change_after_start_up() -> None:
    options = WindowOptions.parse(["--server", "http://127.0.0.1:9"])
    with pytest.raises(AttributeError):
        options.server = None  # type: ignore[misc]


def test_max_attempts_is_a_count_of_at_least_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert WindowOptions.parse(["--max-attempts", "2"]).max_attempts == 2
    for bad in ("0", "two"):
        with pytest.raises(SystemExit) as exc:
            WindowOptions.parse(["--max-attempts", bad])
        assert exc.value.code == 2
        assert "--max-attempts" in capsys.readouterr().err
