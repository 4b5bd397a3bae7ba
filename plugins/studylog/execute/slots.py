"""Reusable warm processes, and the deadline of the block one of them runs.

Both executors keep warm things that run one session at a time: the local pool
its worker processes (:class:`studylog.execute.pool.Pool`), the Ray executor its
actors (:mod:`studylog.execute.ray_executor`). :class:`Slots` is their one
bookkeeping: idle ones reused, new ones made on demand up to a limit, a dead one
forgotten (and replaced when next needed), every one handed back at the end.

Whoever waits on a session's process gives up on it past a deadline that follows
the blocks: :class:`BlockDeadline`, used by the worker's supervisor, the parent's
driver and the Ray driver, each with its own slack.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Generic, Protocol, TypeVar

POLL = 0.1  # seconds between looks at a stop flag while waiting for a free slot


class Warm(Protocol):
    """A worker or an actor: alive until it dies or is stopped."""

    alive: bool


T = TypeVar("T", bound=Warm)


class Slots(Generic[T]):
    """Up to ``limit`` warm things made by ``make``, each lent to one session at a time.

    ``make`` is called with the lock held (it must not block: a process or an actor
    is started, not waited for). ``what`` names the owner in the error raised once
    it is closed.
    """

    def __init__(self, make: Callable[[], T], limit: int, what: str) -> None:
        self.make = make
        self.limit = limit
        self.what = what
        self.made = 0  # made so far, replacements included
        self._idle: list[T] = []
        self._busy: set[T] = set()
        self._live = 0
        self._closed = False
        self._cond = threading.Condition()

    def fill(self, count: int) -> None:
        """Make idle ones now, up to ``count`` (at most the limit), so their starts overlap."""
        with self._cond:
            while self._live < min(self.limit, count):
                self._idle.append(self._new())

    def take(self, stop: threading.Event | None = None) -> T | None:
        """An idle one, else a new one, else the next one given back; None once ``stop``
        is set, or when the limit is 0 (nothing of the kind here)."""
        with self._cond:
            while True:
                if self._closed:
                    raise RuntimeError(f"{self.what} is closed")
                if (stop is not None and stop.is_set()) or not self.limit:
                    return None
                if self._idle:
                    item = self._idle.pop(0)
                elif self._live < self.limit:
                    item = self._new()
                else:
                    self._cond.wait(None if stop is None else POLL)
                    continue
                self._busy.add(item)
                return item

    def give(self, item: T) -> bool:
        """Take ``item`` back: idle again while it is alive, forgotten when it died. True
        when the slots are closed and it is alive: the caller stops it."""
        with self._cond:
            self._busy.discard(item)
            keep = item.alive and not self._closed
            if keep:
                self._idle.append(item)
            else:
                self._live -= 1
            self._cond.notify_all()
        return item.alive and not keep

    def busy(self) -> list[T]:
        """The ones lent out now."""
        with self._cond:
            return list(self._busy)

    def close(self) -> tuple[list[T], list[T]]:
        """Lend nothing more; (idle, busy) for the caller to stop (busy ones also come
        back through :meth:`give`, which then says to stop them)."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._live -= len(idle)
            self._cond.notify_all()
            return idle, list(self._busy)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def _new(self) -> T:
        if self._closed:
            raise RuntimeError(f"{self.what} is closed")
        item = self.make()
        self._live += 1
        self.made += 1
        return item


class BlockDeadline:
    """When to give up on a session: ``slack`` seconds past its running block's timeout,
    counted from the block's start, or past ``between`` seconds when no block runs
    (before the first, between two)."""

    def __init__(self, timeouts: Sequence[float], *, between: float, slack: float = 0.0) -> None:
        self.timeouts = tuple(timeouts)
        self.between = between
        self.slack = slack
        self.current: int | None = None  # the block running, as last reported
        self.at = time.monotonic() + between + slack

    def start(self, index: object) -> bool:
        """Block ``index`` started now: its own deadline. False, and nothing changes, for
        what is not the index of another block of the session."""
        if (
            isinstance(index, bool)
            or not isinstance(index, int)
            or not 0 <= index < len(self.timeouts)
            or index == self.current
        ):
            return False
        self.current = index
        self.at = time.monotonic() + self.timeouts[index] + self.slack
        return True

    def end(self) -> None:
        """The running block ended: the time between blocks starts now."""
        self.current = None
        self.at = time.monotonic() + self.between + self.slack

    def left(self) -> float:
        """Seconds until the deadline (negative once it passed)."""
        return self.at - time.monotonic()
