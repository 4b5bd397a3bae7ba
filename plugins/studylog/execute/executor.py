"""Where sessions run: the :class:`Executor` interface, and the local pool behind it.

The runner (:mod:`studylog.execute.runner`) decides *whether* a session runs
(cache, refusals, no GPU) and on what kind of device; an executor decides
*where*: :class:`LocalExecutor` on this machine's worker pool, GPU sessions one
at a time per GPU; :class:`studylog.execute.ray_executor.RayExecutor` on the
nodes of a Ray cluster, each node running the same pool code. Both return the
same results, faults included, so a build's pages and cache entries do not
depend on the executor. :func:`make_executor` is the one place that maps the
``executor`` setting to a class; Ray is imported only when it is chosen.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Literal, Protocol

from studylog.execute import device as devices
from studylog.execute.drive import on_worker
from studylog.execute.pool import Pool
from studylog.execute.results import Session, SessionResult

DeviceKind = Literal["cpu", "cuda"]


class ExecutorError(Exception):
    """The executor cannot run anything (an unreachable cluster, a node set up unlike this
    machine); the message says what to check. Front ends show it as one line."""


class Executor(Protocol):
    """What the runner needs from a place that runs sessions."""

    @property
    def jobs(self) -> int:
        """How many CPU sessions may run at the same time (GPU sessions: one per GPU)."""

    @property
    def workers_started(self) -> int:
        """Workers (or actors) started so far, replacements included."""

    def gpus(self) -> int:
        """GPUs sessions can be given (0: a session that needs one cannot run here)."""

    def start(self, count: int | None = None) -> None:
        """Get ready to run ``count`` sessions (start workers, connect); raises
        :class:`ExecutorError` when that is impossible."""

    def run(
        self, session: Session, kind: DeviceKind, stop: threading.Event
    ) -> SessionResult | None:
        """Run ``session`` on a device of ``kind`` and return its result, faults included;
        None when a cuda session finds no GPU after all, or when ``stop`` is set."""

    def interrupt(self) -> None:
        """Stop the sessions running now (Ctrl+C); the executor stays usable."""

    def close(self) -> None:
        """Stop everything and release what the executor holds."""


class LocalExecutor:
    """This machine's :class:`Pool`; a GPU session has its GPU to itself."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        self._gpus = _Gpus(devices.gpu_count())

    @property
    def jobs(self) -> int:
        return self.pool.jobs

    @property
    def workers_started(self) -> int:
        return self.pool.workers_started

    def gpus(self) -> int:
        return self._gpus.count

    def start(self, count: int | None = None) -> None:
        self.pool.start(count)

    def run(
        self, session: Session, kind: DeviceKind, stop: threading.Event
    ) -> SessionResult | None:
        if kind != "cuda" or not self._gpus.count:
            return on_worker(self.pool, session, "cpu", stop)
        gpu = self._gpus.take()
        try:
            return on_worker(self.pool, session, f"cuda:{gpu}", stop)
        finally:
            self._gpus.give(gpu)

    def interrupt(self) -> None:
        self.pool.interrupt()

    def close(self) -> None:
        self.pool.close()


class _Gpus:
    """One lock per GPU: a session that uses a GPU has it to itself."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._free = list(range(count))
        self._cond = threading.Condition()

    def take(self) -> int:
        with self._cond:
            while not self._free:
                self._cond.wait()
            return self._free.pop(0)

    def give(self, index: int) -> None:
        with self._cond:
            self._free.append(index)
            self._cond.notify()


def as_executor(pool: Pool | Executor) -> Executor:
    """``pool`` itself, or the local executor over it."""
    return LocalExecutor(pool) if isinstance(pool, Pool) else pool


def make_executor(
    kind: str, *, jobs: int | None = None, cwd: Path | None = None, ray_address: str | None = None
) -> Executor:
    """The executor the ``executor`` setting names (see :data:`studylog.settings.EXECUTORS`).

    Nothing starts here: workers start, and a cluster is joined, in ``start``.
    """
    if kind == "ray":
        from studylog.execute.ray_executor import RayExecutor

        return RayExecutor(ray_address, jobs=jobs)
    if kind == "local":
        return LocalExecutor(Pool(jobs, cwd=cwd))
    raise ValueError(f"unknown executor {kind!r}")
