"""Parsing fault specs, firing them once, and shaping a response's frames."""

from __future__ import annotations

import asyncio

import pytest

from desktop.server.faults import (
    BODY_FAULTS,
    STATUS_FAULTS,
    DropConnection,
    FaultInjector,
    FaultLedger,
    FaultPlan,
    FaultSpecError,
    parse_faults,
)


def test_headers_and_query_items_build_one_plan() -> None:
    plan = parse_faults(
        {"x-fault-drop-after": "3", "x-fault-stall": "0.5@2"},
        ["status:503:4,malformed:1", "repeat"],
    )
    assert plan == FaultPlan(
        drop_after=3,
        stall_s=0.5,
        stall_after=2,
        status=503,
        retry_after=4.0,
        malformed_after=1,
        repeat=True,
    )


def test_no_faults_is_an_empty_plan() -> None:
    plan = parse_faults({}, [])
    assert plan == FaultPlan()
    assert plan.names() == ()
    assert not plan.shapes_body


@pytest.mark.parametrize(
    "item", ["drop_after:", "drop_after:-1", "stall:abc", "status:200", "status:503:x", "boom:1"]
)
def test_malformed_specs_raise(item: str) -> None:
    with pytest.raises(FaultSpecError):
        parse_faults({}, [item])


def test_a_fault_fires_once_per_scope_unless_repeated() -> None:
    ledger = FaultLedger()
    plan = FaultPlan(drop_after=2, status=503)
    assert ledger.admit(plan, "s1", BODY_FAULTS).drop_after == 2
    assert ledger.admit(plan, "s1", BODY_FAULTS).drop_after is None
    assert ledger.admit(plan, "s1", BODY_FAULTS).status == 503  # not a body fault: untouched
    assert ledger.admit(plan, "s1", STATUS_FAULTS).status == 503
    assert ledger.admit(plan, "s1", STATUS_FAULTS).status is None
    assert ledger.admit(plan, "s2", BODY_FAULTS).drop_after == 2
    assert ledger.admit(plan, None, BODY_FAULTS).drop_after == 2
    repeated = FaultPlan(drop_after=2, repeat=True)
    for _ in range(3):
        assert ledger.admit(repeated, "s1", BODY_FAULTS).drop_after == 2


async def collect(injector: FaultInjector, frames: list[bytes]) -> tuple[list[bytes], bool]:
    out: list[bytes] = []
    try:
        async for chunk in injector.emit(frames):
            out.append(chunk)
    except DropConnection:
        return out, True
    return out, False


FRAMES = [f"id: {i}\nevent: token\ndata: {{}}\n\n".encode() for i in range(1, 6)]


def test_drop_after_counts_events_across_batches() -> None:
    injector = FaultInjector(FaultPlan(drop_after=3), first_event_id=1)
    first, dropped = asyncio.run(collect(injector, FRAMES[:2]))
    assert (first, dropped) == (FRAMES[:2], False)
    second, dropped = asyncio.run(collect(injector, FRAMES[2:]))
    assert (second, dropped) == ([FRAMES[2]], True)


def test_drop_mid_sends_half_a_frame() -> None:
    out, dropped = asyncio.run(collect(FaultInjector(FaultPlan(drop_mid=1), 1), FRAMES))
    assert dropped
    assert out[0] == FRAMES[0]
    assert FRAMES[1].startswith(out[1])
    assert len(out[1]) < len(FRAMES[1])


def test_malformed_inserts_one_bad_event_with_the_next_id() -> None:
    out, dropped = asyncio.run(collect(FaultInjector(FaultPlan(malformed_after=2), 11), FRAMES))
    assert not dropped
    assert out[2].startswith(b"id: 13\nevent: token\ndata: {")
    assert out[:2] + out[3:] == FRAMES


def test_drop_after_zero_drops_before_any_event() -> None:
    assert FaultInjector(FaultPlan(drop_after=0), 1).drops_now()
    assert not FaultInjector(FaultPlan(drop_after=1), 1).drops_now()
