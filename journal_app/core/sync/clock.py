"""The hybrid logical clock that orders changes made on different devices.

A stamp is ``(wall ms, counter, device)``. A device's clock never runs behind its own wall
clock nor behind any stamp it has received, so a change made after seeing another change always
carries a later stamp, however wrong either device's wall clock is; among changes that did not
see each other, the later wall clock wins (ties: the counter, then the device id).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

Stamp = tuple[int, int, str]


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass
class Clock:
    """One device's clock: the latest ``(wall, counter)`` it has issued or seen."""

    device: str
    wall: int = 0
    counter: int = 0
    now: Callable[[], int] = wall_ms

    def tick(self) -> Stamp:
        """A stamp for a change made here, later than everything issued or seen."""
        physical = self.now()
        if physical > self.wall:
            self.wall, self.counter = physical, 0
        else:
            self.counter += 1
        return (self.wall, self.counter, self.device)

    def tick_at(self, physical: int) -> Stamp:
        """A stamp for a change made here at wall time ``physical`` (ms; not after now): the
        edit's own time orders edits, the clock keeps it after everything seen before."""
        physical = min(physical, self.now())
        if physical > self.wall:
            self.wall, self.counter = physical, 0
        else:
            self.counter += 1
        return (self.wall, self.counter, self.device)

    def seen(self, stamp: Stamp) -> None:
        """Move past a received stamp."""
        if (stamp[0], stamp[1]) > (self.wall, self.counter):
            self.wall, self.counter = stamp[0], stamp[1]


def parse(value: object) -> Stamp:
    """A stamp read from a batch or the state.

    Raises:
        ValueError: not a stamp.
    """
    if (not isinstance(value, list | tuple) or len(value) != 3
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value[:2])
            or not isinstance(value[2], str) or value[0] < 0 or value[1] < 0):
        raise ValueError("not a clock stamp")
    return (value[0], value[1], value[2])


def as_time(stamp: Stamp) -> datetime:
    """The wall-clock part of a stamp as a time (clamped to what datetime can hold)."""
    seconds = min(max(stamp[0] / 1000, 0), 7_000_000_000)
    return datetime.fromtimestamp(seconds, UTC)
