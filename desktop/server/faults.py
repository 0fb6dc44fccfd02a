"""Fault injection for tests and demos, honoured only when the server runs with ``allow_faults``.

Faults shape one HTTP response, never the generation behind it: the stream log stays intact,
so a client that resumes properly always ends with the exact answer. Each fault is given as a
request header or inside the ``fault`` query parameter (comma-separated, may repeat):

=========================  =========================  =========================================
header                     query item                 effect on this response
=========================  =========================  =========================================
``X-Fault-Drop-After: N``  ``drop_after:N``           end the body after N events (EOF)
``X-Fault-Drop-Mid: N``    ``drop_mid:N``             after N events send half of the next
                                                      event's frame, then end the body
``X-Fault-Stall: S[@N]``   ``stall:S[@N]``            after N events (default 0) send nothing
                                                      at all, not even keepalives, for S seconds
``X-Fault-Status: C[:R]``  ``status:C[:R]``           answer status C (429, 500, 502, 503 or
                                                      504) with ``Retry-After: R`` (default 1)
``X-Fault-Malformed: N``   ``malformed:N``            after N events send one ``token`` event
                                                      whose data is not JSON (with the id the
                                                      next real event has)
``X-Fault-Repeat: 1``      ``repeat``                 apply on every response, not just once
=========================  =========================  =========================================

N counts events of this response (not ids). By default each fault fires once per stream (once
per ``Idempotency-Key`` for a status fault on a start), so a client that resumes or retries with
the same headers gets through; ``repeat`` makes it fire on every response. Without
``allow_faults`` all of this is ignored.
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

RETRYABLE_STATUSES: Final = frozenset({429, 500, 502, 503, 504})
MAX_REMEMBERED: Final = 50_000
_INT = r"(\d{1,9})"
_NUM = r"(\d{1,6}(?:\.\d{1,3})?)"
_STALL = re.compile(rf"{_NUM}(?:@{_INT})?")
_ITEMS: Final = ("drop_after", "drop_mid", "stall", "status", "malformed", "repeat")
_STATUS = re.compile(rf"(\d{{3}})(?::{_NUM})?")


class FaultSpecError(ValueError):
    """A fault header or query item that does not parse."""


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """The faults requested for one response."""

    drop_after: int | None = None
    drop_mid: int | None = None
    stall_s: float | None = None
    stall_after: int = 0
    status: int | None = None
    retry_after: float = 1.0
    malformed_after: int | None = None
    repeat: bool = False

    def names(self) -> tuple[str, ...]:
        """The faults set in this plan (``repeat`` aside)."""
        keys = ("drop_after", "drop_mid", "stall_s", "status", "malformed_after")
        return tuple(key for key in keys if getattr(self, key) is not None)

    def without(self, name: str) -> FaultPlan:
        return replace(self, **{name: None})  # type: ignore[arg-type]

    @property
    def shapes_body(self) -> bool:
        return any(
            value is not None for value in (self.drop_after, self.drop_mid, self.stall_s)
        ) or (self.malformed_after is not None)


NO_FAULTS: Final = FaultPlan()
STATUS_FAULTS: Final = ("status",)
BODY_FAULTS: Final = ("drop_after", "drop_mid", "stall_s", "malformed_after")


def parse_faults(headers: Mapping[str, str], query_items: Sequence[str]) -> FaultPlan:
    """Read the fault headers and ``fault`` query values of one request.

    Raises:
        FaultSpecError: a fault is present but malformed.
    """
    items: dict[str, str] = {}
    for header, name in (
        ("x-fault-drop-after", "drop_after"),
        ("x-fault-drop-mid", "drop_mid"),
        ("x-fault-stall", "stall"),
        ("x-fault-status", "status"),
        ("x-fault-malformed", "malformed"),
        ("x-fault-repeat", "repeat"),
    ):
        value = headers.get(header)
        if value is not None:
            items[name] = value.strip()
    for raw in query_items:
        for part in filter(None, (p.strip() for p in raw.split(","))):
            name, _, value = part.partition(":")
            items[name] = value
    return _build(items)


def _build(items: Mapping[str, str]) -> FaultPlan:
    plan: dict[str, object] = {}
    for name, value in items.items():
        if name in ("drop_after", "drop_mid", "malformed"):
            if not re.fullmatch(_INT, value):
                raise FaultSpecError(f"fault {name} needs an event count, got {value!r}")
            plan["malformed_after" if name == "malformed" else name] = int(value)
        elif name == "stall":
            match = _STALL.fullmatch(value)
            if match is None:
                raise FaultSpecError(f"fault stall needs seconds[@events], got {value!r}")
            plan["stall_s"] = float(match[1])
            plan["stall_after"] = int(match[2] or 0)
        elif name == "status":
            match = _STATUS.fullmatch(value)
            if match is None or int(match[1]) not in RETRYABLE_STATUSES:
                raise FaultSpecError(f"fault status needs one of {sorted(RETRYABLE_STATUSES)}")
            plan["status"] = int(match[1])
            plan["retry_after"] = float(match[2] or 1)
        elif name == "repeat":
            plan["repeat"] = value.lower() not in ("0", "false", "no")
        else:
            raise FaultSpecError(f"unknown fault {name!r} (known: {', '.join(_ITEMS)})")
    return FaultPlan(**plan)  # type: ignore[arg-type]


class FaultLedger:
    """Remembers which once-only faults already fired, per scope (a stream or start key)."""

    def __init__(self) -> None:
        self._fired: OrderedDict[tuple[str, str], None] = OrderedDict()

    def admit(self, plan: FaultPlan, scope: str | None, only: tuple[str, ...]) -> FaultPlan:
        """The part of ``plan`` among ``only`` that fires now, marked as fired for ``scope``.

        Faults outside ``only`` pass through untouched (they are admitted at another point,
        such as body faults once the stream id is known).
        """
        if plan.repeat or scope is None:
            return plan
        for name in plan.names():
            if name not in only:
                continue
            key = (scope, name)
            if key in self._fired:
                plan = plan.without(name)
            else:
                self._fired[key] = None
        while len(self._fired) > MAX_REMEMBERED:
            self._fired.popitem(last=False)
        return plan
        for name in plan.names():
            key = (scope, name)
            if key in self._fired:
                plan = plan.without(name)
            else:
                self._fired[key] = None
        while len(self._fired) > MAX_REMEMBERED:
            self._fired.popitem(last=False)
        return plan


class DropConnection(Exception):
    """Raised inside a response body to end it where a fault says so."""


class FaultInjector:
    """Applies a plan's body faults to the frames of one response."""

    def __init__(self, plan: FaultPlan, first_event_id: int) -> None:
        self._plan = plan
        self._sent = 0
        self._next_id = first_event_id
        self._stalled = plan.stall_s is None
        self._malformed = plan.malformed_after is None

    async def emit(self, frames: Sequence[bytes]) -> AsyncIterator[bytes]:
        """Yield the bytes to send for ``frames``; raises :class:`DropConnection` to cut."""
        plan = self._plan
        for frame in frames:
            if not self._stalled and self._sent == plan.stall_after:
                self._stalled = True
                await asyncio.sleep(plan.stall_s or 0)
            if not self._malformed and self._sent == plan.malformed_after:
                self._malformed = True
                yield f'id: {self._next_id}\nevent: token\ndata: {{"content": "\n\n'.encode()
            if plan.drop_mid is not None and self._sent == plan.drop_mid:
                yield frame[: max(1, len(frame) // 2)]
                raise DropConnection
            if plan.drop_after is not None and self._sent == plan.drop_after:
                raise DropConnection
            yield frame
            self._sent += 1
            self._next_id += 1

    def drops_now(self) -> bool:
        """Whether the response must end before its next event (``drop_after:0``)."""
        return self._plan.drop_after is not None and self._sent == self._plan.drop_after
