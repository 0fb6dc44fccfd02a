"""The in-memory stream log: ordering, reads that wait, pauses, expiry and idempotency keys."""

from __future__ import annotations

import asyncio

import pytest

from desktop.server.stream_log import EntryKind, Expired, MemoryStreamLog, StreamInfo


def frame(i: int) -> bytes:
    return f"id: {i}\n\n".encode()


def test_reads_return_frames_after_an_id_and_stop_after_a_pause() -> None:
    async def main() -> None:
        log = MemoryStreamLog(ttl=60)
        assert await log.create("s", "owner", None) is None
        for i in range(1, 4):
            await log.append("s", i, frame(i))
        await log.append("s", 4, frame(4), EntryKind.PAUSE)
        await log.append("s", 5, frame(5))
        await log.append("s", 6, frame(6), EntryKind.FINAL)
        first = await log.read("s", 1, 1.0)
        assert list(first.frames) == [frame(2), frame(3), frame(4)]
        assert first.closing
        assert not first.final
        last = await log.read("s", 4, 1.0)
        assert list(last.frames) == [frame(5), frame(6)]
        assert last.final
        assert await log.find("s") == StreamInfo("s", "owner", "running", 6)
        await log.aclose()

    asyncio.run(main())


def test_appends_must_be_consecutive() -> None:
    async def main() -> None:
        log = MemoryStreamLog(ttl=60)
        await log.create("s", "o", None)
        await log.append("s", 1, frame(1))
        with pytest.raises(ValueError, match="out of order"):
            await log.append("s", 3, frame(3))

    asyncio.run(main())


def test_a_waiting_read_wakes_on_append_and_times_out_empty() -> None:
    async def main() -> None:
        log = MemoryStreamLog(ttl=60)
        await log.create("s", "o", None)
        reader = asyncio.create_task(log.read("s", 0, 5.0))
        await asyncio.sleep(0)
        await log.append("s", 1, frame(1))
        assert list((await reader).frames) == [frame(1)]
        empty = await log.read("s", 1, 0.01)
        assert list(empty.frames) == []
        woken = asyncio.create_task(log.read("s", 1, 5.0))
        await asyncio.sleep(0)
        log.wake_readers()
        assert list((await woken).frames) == []

    asyncio.run(main())


def test_finished_streams_expire_to_tombstones_and_free_their_key() -> None:
    async def main() -> None:
        log = MemoryStreamLog(ttl=0.01)
        assert await log.create("s", "o", "key") is None
        assert await log.create("t", "o", "key") == "s"
        assert await log.find_idempotent("o", "key") == "s"
        assert await log.find_idempotent("other", "key") is None
        await log.append("s", 1, frame(1), EntryKind.FINAL)
        await log.finish("s", "done")
        assert (await log.find("s")) == StreamInfo("s", "o", "done", 1)
        await asyncio.sleep(0.05)
        assert await log.find("s") == Expired("s", "o")
        assert await log.find("nope") is None
        assert await log.find_idempotent("o", "key") is None
        await log.aclose()

    asyncio.run(main())


def test_a_finished_stream_reads_the_same_frames_after_compaction() -> None:
    async def main() -> None:
        log = MemoryStreamLog(ttl=60)
        await log.create("s", "o", None)
        for i in range(1, 6):
            await log.append("s", i, frame(i) * i)
        await log.append("s", 6, frame(6), EntryKind.PAUSE)
        await log.append("s", 7, frame(7), EntryKind.FINAL)
        before = [list((await log.read("s", after, 1.0)).frames) for after in range(7)]
        await log.finish("s", "done")
        after_finish = [list((await log.read("s", after, 1.0)).frames) for after in range(7)]
        assert after_finish == before
        assert before[0] == [frame(i) * i for i in range(1, 6)] + [frame(6)]
        assert list((await log.read("s", 7, 0.01)).frames) == []
        assert (await log.find("s")) == StreamInfo("s", "o", "done", 7)
        with pytest.raises(ValueError, match="out of order"):
            await log.append("s", 8, frame(8))
        await log.aclose()

    asyncio.run(main())
