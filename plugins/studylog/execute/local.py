"""The local executor: this machine's pool of worker processes.

CPU sessions take any free worker (``jobs`` of them); a GPU session has its GPU
to itself, so sessions on the GPUs run one at a time per GPU.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import ClassVar

from studylog.execute import device as devices
from studylog.execute.drive import on_worker
from studylog.execute.executor import DeviceKind, Option
from studylog.execute.limits import OUTPUT_LIMIT
from studylog.execute.pool import Pool
from studylog.execute.results import Session, SessionResult
from studylog.settings import ExecutorSettings, SandboxSettings


class LocalExecutor:
    """This machine's :class:`Pool` of ``jobs`` workers (default: one per CPU)."""

    SUMMARY: ClassVar[str] = "this machine's worker processes"
    OPTIONS: ClassVar[Mapping[str, Option]] = {}

    def __init__(
        self,
        jobs: int | None = None,
        *,
        cwd: Path | None = None,
        threads: int | None = None,
        memory_limit_mb: int | None = None,
        output_limit: int = OUTPUT_LIMIT,
        sandbox: SandboxSettings | None = None,
    ) -> None:
        self.pool = Pool(
            jobs,
            cwd=cwd,
            threads=threads,
            memory_limit_mb=memory_limit_mb,
            output_limit=output_limit,
            sandbox=sandbox,
        )
        self._gpus = _Gpus(devices.gpu_count())

    @classmethod
    def from_settings(cls, settings: ExecutorSettings, root: Path) -> LocalExecutor:
        """Workers start in the project's folder, so tracebacks can quote its files."""
        return cls(settings.jobs, cwd=root, threads=settings.threads, sandbox=settings.sandbox)

    @property
    def jobs(self) -> int:
        """How many sessions run at the same time: the pool's workers."""
        return self.pool.jobs

    @property
    def workers_started(self) -> int:
        """Workers started so far, replacements included."""
        return self.pool.workers_started

    def gpus(self) -> int:
        """This machine's GPUs."""
        return self._gpus.count

    def start(self, count: int | None = None) -> None:
        """Start workers for up to ``count`` sessions now, so their torch imports overlap."""
        self.pool.start(count)

    def run(
        self, session: Session, kind: DeviceKind, stop: threading.Event
    ) -> SessionResult | None:
        """Run ``session`` on a worker (a cuda one holding a GPU for itself)."""
        if kind != "cuda" or not self._gpus.count:
            return on_worker(self.pool, session, "cpu", stop)
        gpu = self._gpus.take()
        try:
            return on_worker(self.pool, session, f"cuda:{gpu}", stop)
        finally:
            self._gpus.give(gpu)

    def notes(self) -> list[str]:
        """What the build says once about where sessions ran (a partial sandbox)."""
        return self.pool.notes()

    def interrupt(self) -> None:
        """Stop the sessions running now; the workers stay."""
        self.pool.interrupt()

    def close(self) -> None:
        """Stop every worker."""
        self.pool.close()

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


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
