"""config.py: stream-friendly timeouts and auth header rules (TLS is tested end to end)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from desktop.streaming.config import ClientConfig, check_server_url, make_client


def test_defaults_follow_the_protocol() -> None:
    config = ClientConfig("http://127.0.0.1:8765/")
    assert config.root == "http://127.0.0.1:8765"
    assert (config.idle_timeout, config.connect_timeout) == (45.0, 10.0)
    assert (config.max_attempts, config.backoff_cap) == (8, 30.0)
    assert config.max_event_bytes == 8 * 1024 * 1024
    assert config.ca_file is None  # the system's trust store only; verification is always on
    assert config.auth_headers() == {}
    assert ClientConfig("http://x", token="t").auth_headers() == {"Authorization": "Bearer t"}


def test_the_client_has_per_read_timeouts_and_no_total() -> None:
    async def main() -> tuple[httpx.Timeout, bool]:
        async with make_client(ClientConfig("http://x", idle_timeout=3.5)) as client:
            return client.timeout, client.follow_redirects

    timeout, follows = asyncio.run(main())
    assert timeout == httpx.Timeout(connect=10.0, read=3.5, write=10.0, pool=10.0)
    assert follows is False


@pytest.mark.parametrize(
    "kwargs", [{"max_attempts": 0}, {"idle_timeout": 0}, {"connect_timeout": -1.0}]
)
def test_nonsense_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is the field's own
        ClientConfig("http://x", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("url", ["not-a-url", "ftp://host", "http://", "127.0.0.1:8000", ""])
def test_an_address_that_names_no_server_is_refused_at_once(url: str) -> None:
    with pytest.raises(ValueError, match="is not a server address"):
        ClientConfig(url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "https://assist.example.com/", "http://[::1]:9"]
)
def test_http_and_https_addresses_are_accepted(url: str) -> None:
    assert check_server_url(url) == url
