"""retry.py: status classification, content-type check, Retry-After parsing and backoff (§4.3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desktop.streaming.retry import (
    MAX_RETRY_AFTER,
    StatusAction,
    backoff_delay,
    classify_status,
    error_message,
    is_event_stream,
    parse_retry_after,
)

NOW = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "resuming", "action"),
    [
        (200, False, StatusAction.STREAM),
        (204, True, StatusAction.NOT_RESUMABLE),
        (204, False, StatusAction.NOT_RESUMABLE),
        (401, False, StatusAction.UNAUTHORIZED),
        (403, True, StatusAction.UNAUTHORIZED),
        (404, True, StatusAction.NOT_RESUMABLE),
        (410, True, StatusAction.NOT_RESUMABLE),
        (404, False, StatusAction.INVALID),
        (400, True, StatusAction.INVALID),
        (413, False, StatusAction.INVALID),
        (422, False, StatusAction.INVALID),
        (302, False, StatusAction.INVALID),
        (201, False, StatusAction.INVALID),
        (408, False, StatusAction.RETRY),
        (429, True, StatusAction.RETRY),
        (500, False, StatusAction.RETRY),
        (502, True, StatusAction.RETRY),
        (503, False, StatusAction.RETRY),
        (504, False, StatusAction.RETRY),
        (524, False, StatusAction.RETRY),
        (529, False, StatusAction.RETRY),
    ],
)
def test_status_classification_follows_the_protocol(
    status: int, resuming: bool, action: StatusAction
) -> None:
    assert classify_status(status, resuming=resuming) is action


@pytest.mark.parametrize(
    ("content_type", "ok"),
    [
        ("text/event-stream", True),
        ("Text/Event-Stream", True),
        ("text/event-stream; charset=windows-1252", True),
        (" text/event-stream ;charset=utf-8", True),
        ("application/not-text/event-stream-really", False),
        ("text/html", False),
        ("text/event-streamx", False),
        ("", False),
        (None, False),
    ],
)
def test_the_content_type_must_be_exactly_text_event_stream(
    content_type: str | None, ok: bool
) -> None:
    assert is_event_stream(content_type) is ok


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({}, None),
        ({"Retry-After": "7"}, 7.0),
        ({"retry-after": " 2.5 "}, 2.5),
        ({"Retry-After": "0"}, 0.0),
        ({"Retry-After": "-5"}, 0.0),
        ({"Retry-After": "86400"}, MAX_RETRY_AFTER),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "nan"}, None),
        ({"Retry-After": "inf"}, None),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"retry-after-ms": "junk", "Retry-After": "9"}, 9.0),
        ({"Retry-After": "Thu, 01 Jan 2026 12:00:30 GMT"}, 30.0),  # IMF-fixdate
        ({"Retry-After": "Thursday, 01-Jan-26 12:01:00 GMT"}, 60.0),  # RFC 850
        ({"Retry-After": "Thu Jan  1 12:00:05 2026"}, 5.0),  # asctime
        ({"Retry-After": "Wed, 31 Dec 2025 12:00:00 GMT"}, 0.0),  # past
        ({"Retry-After": "Fri, 02 Jan 2026 12:00:00 GMT"}, MAX_RETRY_AFTER),
    ],
)
def test_retry_after_is_read_in_every_form(headers: dict[str, str], seconds: float | None) -> None:
    assert parse_retry_after(headers, NOW) == seconds


def test_retry_after_dates_default_to_the_current_time() -> None:
    soon = (datetime.now(UTC) + timedelta(seconds=120)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    value = parse_retry_after({"Retry-After": soon})
    assert value is not None
    assert 100 < value <= 120


@pytest.mark.parametrize(
    ("attempt", "expected"), [(1, 1.0), (2, 2.0), (3, 4.0), (5, 16.0), (6, 30.0), (50, 30.0)]
)
def test_backoff_doubles_from_the_default_and_stops_at_the_cap(
    attempt: int, expected: float
) -> None:
    assert backoff_delay(attempt, retry_ms=None, cap=30.0, random=lambda: 0.5) == expected


def test_backoff_starts_from_the_servers_retry_hint() -> None:
    delays = [backoff_delay(k, retry_ms=250, cap=30.0, random=lambda: 0.5) for k in (1, 2, 3)]
    assert delays == [0.25, 0.5, 1.0]


def test_jitter_is_plus_minus_twenty_percent_also_at_the_cap() -> None:
    assert backoff_delay(1, retry_ms=1000, cap=30, random=lambda: 0.0) == pytest.approx(0.8)
    assert backoff_delay(1, retry_ms=1000, cap=30, random=lambda: 0.999999) == pytest.approx(1.2)
    assert backoff_delay(9, retry_ms=1000, cap=30, random=lambda: 0.0) == pytest.approx(24.0)
    assert backoff_delay(9, retry_ms=1000, cap=30, random=lambda: 0.999999) == pytest.approx(36.0)


def test_a_floor_is_never_undercut_by_jitter() -> None:
    delay = backoff_delay(1, retry_ms=1000, cap=30, random=lambda: 0.0, floor=5.0)
    assert delay == 5.0
    assert backoff_delay(1, retry_ms=1000, cap=30, random=lambda: 0.5, floor=0.5) == 1.0
    assert backoff_delay(1, retry_ms=0, cap=30, random=lambda: 0.5, floor=1e9) == MAX_RETRY_AFTER


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"error": {"type": "invalid_request", "message": "too long"}}', "too long"),
        (b'{"error": "nope"}', "nope"),
        (b'{"message": "plain"}', "plain"),
        (b"<html>login</html>", "the server answered HTTP 418"),
        (b"", "the server answered HTTP 418"),
        (b"[1]", "the server answered HTTP 418"),
    ],
)
def test_error_messages_come_from_the_protocols_error_body(body: bytes, message: str) -> None:
    assert error_message(body, 418) == message
