"""One slot pool and one block deadline, shared by the local pool and the Ray executor.

Unit tests on the bookkeeping itself (no processes): what the workers and the
actors rely on, each case once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest

from studylog.execute.slots import BlockDeadline, Slots


@dataclass(eq=False)
class Thing:
    number: int
    alive: bool = True


def slots(limit: int) -> Slots[Thing]:
    made: list[Thing] = []

    def make() -> Thing:
        made.append(Thing(len(made) + 1))
        return made[-1]

    return Slots(make, limit, "the test pool")


def test_idle_ones_are_reused_and_dead_ones_replaced_up_to_the_limit() -> None:
    started = slots(2)
    started.fill(5)  # at most the limit, made now so their starts overlap
    assert started.made == 2
    pool = slots(2)
    first = pool.take()
    assert first is not None and first.number == 1
    assert pool.give(first) is False
    again = pool.take()
    second = pool.take()
    assert again is first and second is not None and second.number == 2
    assert set(pool.busy()) == {first, second}
    first.alive = False  # it died with its session
    assert pool.give(first) is False
    third = pool.take()
    assert third is not None and third.number == 3 and pool.made == 3


def test_a_full_pool_waits_for_one_to_come_back_or_for_stop() -> None:
    pool = slots(1)
    held = pool.take()
    assert held is not None
    stop = threading.Event()
    got: list[Thing | None] = []
    waiter = threading.Thread(target=lambda: got.append(pool.take(stop)))
    waiter.start()
    stop.set()
    waiter.join(5)
    assert got == [None]  # stopped while it waited
    waiter = threading.Thread(target=lambda: got.append(pool.take()))
    waiter.start()
    pool.give(held)
    waiter.join(5)
    assert got == [None, held]


def test_no_slot_of_a_kind_and_a_closed_pool() -> None:
    assert slots(0).take() is None  # e.g. GPU sessions on a cluster without GPUs
    pool = slots(2)
    busy, idle = pool.take(), pool.take()
    assert busy is not None and idle is not None
    pool.give(idle)
    assert pool.close() == ([idle], [busy])
    assert pool.give(busy) is True  # alive and closed: the caller stops it
    with pytest.raises(RuntimeError, match="the test pool is closed"):
        pool.take()
    with pytest.raises(RuntimeError, match="closed"):
        pool.fill(1)


def test_a_block_deadline_follows_the_block_that_runs() -> None:
    deadline = BlockDeadline([10.0, 100.0], between=1.0, slack=0.5)
    assert deadline.current is None and 1.0 < deadline.left() <= 1.5
    assert deadline.start(1) and deadline.current == 1 and 100.0 < deadline.left() <= 100.5
    before = deadline.at
    for bad in (1, 2, -1, True, "0", None):  # the same block, or not a block of the session
        assert deadline.start(bad) is False
    assert deadline.at == before and deadline.current == 1
    deadline.end()
    assert deadline.current is None and deadline.left() <= 1.5
    time.sleep(0.01)
    assert deadline.start(0) and deadline.left() <= 10.5
