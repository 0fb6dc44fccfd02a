"""SSEParser against WHATWG HTML §9.2.5-9.2.6, the WPT format cases and every row of the httpx-sse
deviation table in sse-client-notes.md. Each case is fed whole and then one byte at a time."""

from __future__ import annotations

import pytest

from desktop.protocol.sse import (
    EventTooLarge,
    SSEMessage,
    SSEParser,
    encode_comment,
    encode_message,
    encode_retry,
)

BOM = "\ufeff".encode()


def parse(data: bytes, *, max_event_bytes: int = 1 << 20) -> list[SSEMessage]:
    parser = SSEParser(max_event_bytes)
    return parser.feed(data)


def parse_bytewise(data: bytes) -> list[SSEMessage]:
    parser = SSEParser()
    out: list[SSEMessage] = []
    for i in range(len(data)):
        out += parser.feed(data[i : i + 1])
    return out


def both(data: bytes) -> list[SSEMessage]:
    """Parse whole and byte by byte; the two must agree."""
    whole = parse(data)
    assert parse_bytewise(data) == whole
    return whole


def datas(data: bytes) -> list[str]:
    return [m.data for m in both(data)]


# --- line ends (§9.2.6: CRLF, lone LF, lone CR) ----------------------------------------------


@pytest.mark.parametrize("end", [b"\n", b"\r", b"\r\n"], ids=["lf", "cr", "crlf"])
def test_every_line_end_frames_events(end: bytes) -> None:
    data = b"data: a" + end + end + b"data: b" + end + b"data: c" + end + end
    assert datas(data) == ["a", "b\nc"]


def test_mixed_line_ends_count_as_three_line_ends() -> None:
    # "a\r\r\n\n" is a, blank, blank: one event, then an empty block that dispatches nothing.
    assert datas(b"data: a\r\r\n\ndata: b\n\n") == ["a", "b"]


def test_a_cr_ending_a_chunk_dispatches_without_waiting_for_the_next_chunk() -> None:
    parser = SSEParser()
    assert parser.feed(b"data: a\r") == []
    assert [m.data for m in parser.feed(b"\r")] == ["a"]  # the blank line is complete now


def test_an_lf_after_a_cr_at_chunk_end_is_not_a_second_line_end() -> None:
    parser = SSEParser()
    assert parser.feed(b"data: a\r") == []
    assert parser.feed(b"\ndata: b\r") == []  # CRLF is one line end: no blank line yet
    assert [m.data for m in parser.feed(b"\n\r\n")] == ["a\nb"]


# --- BOM and decoding ------------------------------------------------------------------------


def test_one_leading_bom_is_stripped() -> None:
    assert datas(BOM + b"data: 1\n\ndata: 2\n\n") == ["1", "2"]


@pytest.mark.parametrize("split", [1, 2])
def test_a_bom_split_across_chunks_is_stripped(split: int) -> None:
    parser = SSEParser()
    assert parser.feed(BOM[:split]) == []
    out = parser.feed(BOM[split:] + b"data: 1\n\n")
    assert [m.data for m in out] == ["1"]


def test_a_second_bom_is_kept_and_kills_its_line() -> None:
    # WPT format-bom-2: the second BOM becomes part of the field name "\ufeffdata".
    assert datas(BOM + BOM + b"data: 1\n\ndata: 2\n\n") == ["2"]


def test_a_bom_in_the_middle_of_the_stream_is_data_not_stripped() -> None:
    assert datas(b"data: 1\n\n" + BOM + b"data: 2\n\ndata: 3\n\n") == ["1", "3"]


def test_utf8_split_byte_by_byte_is_decoded_whole() -> None:
    text = "Grüße 🙂 東京"
    assert datas(f"data: {text}\n\n".encode()) == [text]


def test_bytes_are_utf8_whatever_a_charset_parameter_would_say() -> None:
    # WPT format-utf-8: served as windows-1252, decoded as UTF-8 ("ok…", not "okâ€¦").
    assert datas("data: ok…\n\n".encode()) == ["ok…"]


def test_invalid_utf8_becomes_replacement_characters() -> None:
    assert datas(b"data: a\xffb\n\n") == ["a\ufffdb"]


def test_line_separators_other_than_cr_and_lf_are_data() -> None:
    text = "a\u2028b\u2029c\x85d\x0be\x0cf"
    assert datas(f"data: {text}\n\n".encode()) == [text]


# --- fields ----------------------------------------------------------------------------------


def test_one_leading_space_is_removed_from_a_value_but_not_a_tab_or_second_space() -> None:
    assert datas(b"data:a\n\ndata: b\n\ndata:  c\n\ndata:\td\n\n") == ["a", "b", " c", "\td"]


def test_data_without_colon_appends_an_empty_line() -> None:
    assert datas(b"data\n\n") == [""]
    assert datas(b"data\ndata\n\n") == ["\n"]
    assert datas(b"data:\n\n") == [""]


def test_field_names_are_case_sensitive_and_leading_spaces_make_another_name() -> None:
    assert datas(b"Data: x\n\n data: y\n\ndata: z\n\n") == ["z"]


def test_the_event_field_names_the_type_and_empty_means_message() -> None:
    out = both(b"event: token\ndata: 1\n\nevent:\ndata: 2\n\ndata: 3\n\n")
    assert [(m.event, m.data) for m in out] == [("token", "1"), ("message", "2"), ("message", "3")]


def test_the_event_type_does_not_leak_into_the_next_event() -> None:
    out = both(b"event: a\ndata: 1\n\ndata: 2\n\n")
    assert [m.event for m in out] == ["a", "message"]


def test_unknown_fields_and_comments_are_ignored() -> None:
    assert datas(b": comment\nfoo: bar\ndata: 1\n:another\n\n") == ["1"]


def test_nul_inside_data_is_delivered() -> None:
    assert datas(b"data: a\x00b\n\n") == ["a\x00b"]


# --- no phantom events (httpx-sse issue #35) -------------------------------------------------


def test_blank_lines_after_an_event_dispatch_nothing() -> None:
    assert datas(b"id: 1\ndata: a\n\n: ping\n\ndata: b\n\n") == ["a", "b"]
    assert datas(b"id: 1\ndata: a\n\n\n\n") == ["a"]


def test_blocks_without_data_dispatch_nothing() -> None:
    parser = SSEParser()
    assert parser.feed(b"event: foo\n\nretry: 500\n\nid: 7\n\n") == []
    assert parser.retry == 500
    assert parser.last_event_id == "7"


def test_sse_starlette_pings_with_crlf_are_not_events() -> None:
    assert datas(b": ping - 2025-01-01 00:00:00\r\n\r\ndata: x\r\n\r\n") == ["x"]


# --- id --------------------------------------------------------------------------------------


def test_the_id_is_sticky_and_has_id_marks_the_block_that_carried_it() -> None:
    out = both(b"id: 1\ndata: a\n\ndata: b\n\n")
    assert [(m.id, m.has_id) for m in out] == [("1", True), ("1", False)]


def test_an_id_with_nul_is_ignored() -> None:
    out = both(b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n")
    assert [(m.id, m.has_id) for m in out] == [("1", True), ("1", False)]


def test_an_empty_id_resets_the_last_event_id() -> None:
    out = both(b"id: 1\ndata: a\n\nid\ndata: b\n\nid:\ndata: c\n\n")
    assert [m.id for m in out] == ["1", "", ""]


def test_an_id_only_block_moves_the_last_event_id_without_an_event() -> None:
    parser = SSEParser()
    assert parser.feed(b"id: 1\ndata: a\n\nid: 5\n\n") != []
    assert parser.last_event_id == "5"
    assert [m.id for m in parser.feed(b"data: b\n\n")] == ["5"]


def test_an_id_is_committed_only_at_dispatch() -> None:
    # sse-client-notes §1.6.1-2: a pending id dies with its pending event.
    parser = SSEParser()
    parser.feed(b"id: 1\ndata: a\n\nid: 2\ndata: partial\n")
    assert parser.last_event_id == "1"
    parser.close()
    assert parser.last_event_id == "1"


def test_ids_are_strings_and_not_interpreted() -> None:
    assert [m.id for m in both(b"id: abc \ndata: x\n\n")] == ["abc "]


# --- retry -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"retry: 3000", 3000),
        (b"retry: 03000", 3000),
        (b"retry:0", 0),
        (b"retry: +5", None),
        (b"retry:  7", None),
        (b"retry: -3", None),
        (b"retry: 1_000", None),
        ("retry: ١٢".encode(), None),
        (b"retry: 1.5", None),
        (b"retry: ", None),
        (b"retry", None),
        (b"retry: 5 ", None),
    ],
)
def test_retry_takes_only_ascii_digits(line: bytes, expected: int | None) -> None:
    parser = SSEParser()
    assert parser.feed(line + b"\n\n") == []
    assert parser.retry == expected


def test_retry_takes_effect_immediately_and_keeps_the_last_valid_value() -> None:
    parser = SSEParser()
    parser.feed(b"retry: 100\n")
    assert parser.retry == 100
    parser.feed(b"retry: x\ndata: a\n\n")
    assert parser.retry == 100


# --- end of body and limits ------------------------------------------------------------------


def test_a_pending_event_is_dropped_at_close() -> None:
    parser = SSEParser()
    assert [m.data for m in parser.feed(b"data: a\n\ndata: b\n")] == ["a"]
    parser.close()
    assert parser.feed(b"\n") == []  # the half event is gone, not completed by later bytes


def test_an_unterminated_final_line_dispatches_nothing() -> None:
    assert datas(b"data: a\n\ndata: b") == ["a"]


def test_a_pending_event_over_the_cap_raises() -> None:
    parser = SSEParser(max_event_bytes=100)
    parser.feed(b"data: " + b"x" * 60 + b"\n")
    with pytest.raises(EventTooLarge):
        parser.feed(b"data: " + b"x" * 60 + b"\n")


def test_a_line_over_the_cap_without_a_line_end_raises() -> None:
    parser = SSEParser(max_event_bytes=100)
    for _ in range(10):
        assert parser.feed(b"x" * 10) == []
    with pytest.raises(EventTooLarge):
        parser.feed(b"x" * 10)


def test_an_event_just_under_the_cap_is_delivered() -> None:
    parser = SSEParser(max_event_bytes=100)
    assert [len(m.data) for m in parser.feed(b"data: " + b"x" * 99 + b"\n\n")] == [99]


def test_the_cap_applies_per_event_not_per_stream() -> None:
    parser = SSEParser(max_event_bytes=100)
    for _ in range(50):
        assert len(parser.feed(b"data: " + b"x" * 90 + b"\n\n")) == 1


# --- the encoder -----------------------------------------------------------------------------


def test_encoded_messages_parse_back_to_the_same_message() -> None:
    frame = encode_message("line 1\nline 2\r\nline 3", event="token", id=7)
    assert both(frame) == [SSEMessage("token", "line 1\nline 2\nline 3", "7", True)]


def test_encoded_comments_and_retry_dispatch_nothing() -> None:
    parser = SSEParser()
    assert parser.feed(encode_comment("ping\nnot a field") + encode_retry(2500)) == []
    assert parser.retry == 2500
