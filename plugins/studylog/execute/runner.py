"""``start``: sessions in, a :class:`Running` handle out; ``run`` waits for it.

User-code failures are results with a status, never exceptions. Sessions that
need no worker (cached, refused, frozen, unavailable) are settled at once; the
rest run on an executor (:mod:`studylog.execute.executor`: this machine's
pool, or a Ray cluster) in the background, while the caller goes on (MkDocs
converts its pages, pytest reports earlier items). This is the one "start now,
collect later" mechanism of the package: the MkDocs plugin, the pytest plugin
and the CLI all hold a :class:`Running`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent import futures
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from studylog.execute import device as devices
from studylog.execute.cache import Cache
from studylog.execute.executor import DeviceKind, Executor, ExecutorError
from studylog.execute.local import LocalExecutor
from studylog.execute.results import BlockResult, Progress, Session, SessionResult

OnResult = Callable[[SessionResult], None]


class Running:
    """Sessions being executed: wait for all of them, or for one, or ask how far they are."""

    def __init__(self, sessions: Sequence[Session], on_result: OnResult | None) -> None:
        self.sessions = tuple(sessions)
        self._results: list[SessionResult | None] = [None] * len(self.sessions)
        self._index = {s.id: i for i, s in enumerate(self.sessions)}
        self._started: dict[str, float] = {}  # session id -> when it started on a worker
        self._on_result = on_result
        self._cond = threading.Condition()
        self._future: Future[list[SessionResult]] = Future()
        self._cancel: Callable[[], None] = lambda: None
        self._first: tuple[int, int, int] = (0, 0, 0)  # stored, stored failures, not run

    @property
    def total(self) -> int:
        """How many sessions this run holds."""
        return len(self.sessions)

    # -- filled in by the run ----------------------------------------------------------------

    def _settle(self, index: int, result: SessionResult) -> None:
        with self._cond:
            self._results[index] = result
            self._started.pop(self.sessions[index].id, None)
            self._cond.notify_all()
        if self._on_result is not None:
            self._on_result(result)

    def _starting(self, session: Session) -> None:
        with self._cond:
            self._started[session.id] = time.monotonic()

    def _settled_first(self) -> None:
        """What is settled now was settled before anything ran: count it, by where from."""
        with self._cond:
            first = [r for r in self._results if r is not None]
        stored = [r for r in first if r.cached or r.frozen]
        self._first = (len(stored), sum(1 for r in stored if r.failed), len(first) - len(stored))

    def _finish(self, error: BaseException | None = None) -> None:
        with self._cond:
            if error is not None:
                self._future.set_exception(error)
            else:
                self._future.set_result([r for r in self._results if r is not None])
            self._cond.notify_all()

    # -- asked by the caller -----------------------------------------------------------------

    def done(self) -> bool:
        """Whether every session is settled (or the run stopped)."""
        return self._future.done()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` seconds (None: until the end); True when all are settled."""
        try:
            self._future.exception(timeout)
        except futures.TimeoutError:
            return False
        except CancelledError:
            pass
        return True

    def result(self, timeout: float | None = None) -> list[SessionResult]:
        """Every result, in the sessions' order; raises what stopped the run."""
        return self._future.result(timeout)

    def get(self, session_id: str, timeout: float | None = None) -> SessionResult | None:
        """The result of one session as soon as it is settled; None if it is not in this run
        (or the run ended without it, or ``timeout`` passed)."""
        index = self._index.get(session_id)
        if index is None:
            return None
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._results[index] is None and not self._future.done():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return None
                self._cond.wait(left)
            return self._results[index]

    def progress(self) -> Progress:
        """How far the run is now."""
        now = time.monotonic()
        with self._cond:
            done = sum(r is not None for r in self._results)
            running = sorted(
                ((sid, now - t) for sid, t in self._started.items()), key=lambda item: -item[1]
            )
        stored, stored_failures, not_run = self._first
        return Progress(done, self.total, tuple(running), stored, stored_failures, not_run)

    def cancel(self) -> None:
        """Start nothing more and stop what runs now (Ctrl+C); ``result()`` then raises."""
        self._cancel()


def start(
    sessions: Sequence[Session],
    *,
    project_root: Path,
    cache: Cache | None = None,
    executor: Executor | None = None,
    execute: bool = True,
    rerun_failed: bool = False,
    on_result: OnResult | None = None,
) -> Running:
    """Start ``sessions``: cached ones are settled before this returns, the rest run in the
    background on ``executor`` (this machine's workers, made for this run and closed after
    it, when None). Starting the executor (workers, or joining a Ray cluster) is part of
    the background: the caller goes on meanwhile.

    A stored failure is a result like a stored success: the session runs again when its
    code, includes, options or environment change, or with ``rerun_failed``.
    ``execute=False`` (``--frozen``) uses stored entries only: each is marked frozen, and a
    session without one is "unavailable". A ``requires="cuda"`` session where the executor
    has no GPU is treated the same way. ``on_result`` is called (from any thread) with
    each result as it is settled. An executor that cannot start (an unreachable Ray
    cluster) makes :meth:`Running.result` raise its
    :class:`~studylog.execute.executor.ExecutorError`.
    """
    running = Running(sessions, on_result)
    keys: list[str | None] = [None] * len(sessions)
    todo: list[int] = []
    for index, session in enumerate(sessions):
        result, keys[index] = _without_running(session, project_root, cache, execute, rerun_failed)
        if result is None:
            todo.append(index)
        else:
            running._settle(index, result)
    running._settled_first()
    if todo:
        batch = _Batch(running, keys, cache, executor)
        batch.start(todo)
    else:
        running._finish()
    return running


class _Batch:
    """The sessions of one :func:`start` that need an executor, run in the background:
    GPU sessions wait for a GPU, not behind CPU sessions (and the other way round)."""

    def __init__(
        self,
        running: Running,
        keys: Sequence[str | None],
        cache: Cache | None,
        executor: Executor | None,
    ) -> None:
        self.running = running
        self.sessions = running.sessions
        self.keys = keys
        self.cache = cache
        self.owned = executor is None  # made here, so closed here
        self.executor: Executor = LocalExecutor() if executor is None else executor
        self.stop = threading.Event()

    def start(self, todo: list[int]) -> None:
        """Run ``todo`` in a thread, the executor's start included: the caller goes on while
        workers start or a Ray cluster is joined (seconds; Ray is imported there only)."""
        self.running._cancel = self.cancel
        threading.Thread(target=self._drive, args=(todo,), name="studylog-run", daemon=True).start()

    def cancel(self) -> None:
        """Start nothing more, and stop the sessions running now."""
        self.stop.set()
        self.executor.interrupt()

    def _drive(self, todo: list[int]) -> None:
        error: BaseException | None = None
        try:
            # What the executor cannot run is settled; it starts for the rest (its workers
            # start, or the cluster is joined) and runs them.
            todo = _without_gpu(self.executor, self.sessions, todo, self.running)
            if todo and not self.stop.is_set():
                self.executor.start(len(todo))
                self._run_all(todo)
            if self.stop.is_set():
                error = CancelledError("the run was stopped")
        except BaseException as exc:  # an executor that cannot start, or a bug in studylog
            self.cancel()
            error = exc
        finally:
            self._release()
        self.running._finish(error)

    def _run_all(self, todo: list[int]) -> None:
        """Each session of ``todo`` on the executor: GPU sessions wait for a GPU (one at a
        time per GPU), not behind CPU sessions, which run ``jobs`` at a time."""
        on_gpu = {i for i in todo if devices.target_kind(self.sessions[i]) == "cuda"}
        with (
            ThreadPoolExecutor(self.executor.jobs, "studylog-session") as cpu,
            ThreadPoolExecutor(
                max(1, self.executor.gpus()) if on_gpu else 1, "studylog-gpu-session"
            ) as gpu,
        ):
            for future in [(gpu if i in on_gpu else cpu).submit(self._one, i) for i in todo]:
                future.result()

    def _one(self, index: int) -> None:
        if self.stop.is_set():
            return
        session = self.sessions[index]
        self.running._starting(session)
        kind: DeviceKind = "cuda" if devices.target_kind(session) == "cuda" else "cpu"
        result = _run_one(self.executor, session, kind, self.stop)
        if self.stop.is_set():
            return  # stopped by cancel(): what it gives back is not its real result
        key = self.keys[index]
        if self.cache is not None and key is not None and self.cache.stores(result):
            self.cache.put(key, result)
        self.running._settle(index, result)

    def _release(self) -> None:
        if self.owned:
            self.executor.close()


def run(
    sessions: Sequence[Session],
    *,
    project_root: Path,
    cache: Cache | None = None,
    executor: Executor | None = None,
    execute: bool = True,
    rerun_failed: bool = False,
    on_result: OnResult | None = None,
) -> list[SessionResult]:
    """Results for ``sessions``, in their order (see :func:`start`); Ctrl+C stops the run."""
    running = start(
        sessions,
        project_root=project_root,
        cache=cache,
        executor=executor,
        execute=execute,
        rerun_failed=rerun_failed,
        on_result=on_result,
    )
    try:
        return running.result()
    except BaseException:
        running.cancel()
        raise


def warm_up(
    executor: Executor, count: int, on_error: Callable[[ExecutorError], None]
) -> threading.Thread:
    """Start ``executor`` for ``count`` sessions in the background (a worker imports torch, or
    a Ray cluster is joined and an actor started), so the next run finds it ready;
    ``on_error`` is told when it cannot start (the next run then says so too)."""

    def start() -> None:
        try:
            executor.start(count)
        except ExecutorError as exc:
            on_error(exc)
        except RuntimeError:
            pass  # closed meanwhile (the command is stopping)

    thread = threading.Thread(target=start, name="studylog-warm-up", daemon=True)
    thread.start()
    return thread


def _without_running(
    session: Session, project_root: Path, cache: Cache | None, execute: bool, rerun_failed: bool
) -> tuple[SessionResult | None, str | None]:
    """The result when the session needs no worker (refused, cached, frozen, unavailable);
    a stored failure is run again with ``rerun_failed`` (where sessions can run)."""
    if session.refused:
        return _refused(session), None
    usable = cache is not None and all(b.options.cache for b in session.blocks)
    key = cache.key(session, project_root) if usable and cache is not None else None
    # A stored entry of a GPU session is "frozen" where this machine has no GPU, whatever
    # the executor (asking a cluster would mean joining it for a build that runs nothing).
    no_gpu = devices.target_kind(session) == "cuda" and devices.gpu_count() == 0
    if cache is not None and key is not None:
        stored = cache.get(key)
        if stored is not None and stored.failed and rerun_failed and execute and not no_gpu:
            stored = None  # run again, as asked
        if stored is not None:
            frozen = not execute or no_gpu
            return replace(
                stored, log=session.log, session=session.name, cached=True, frozen=frozen
            ), key
    if not execute:
        return _unavailable(
            session, "execution is off (frozen) and no stored output matches this session"
        ), key
    return None, key


def _without_gpu(
    executor: Executor, sessions: Sequence[Session], todo: list[int], running: Running
) -> list[int]:
    """Settle the GPU sessions an executor without GPUs cannot run; the others, to run.
    (Only asked when there are such sessions: it joins a Ray cluster.)"""
    wanted = [i for i in todo if devices.target_kind(sessions[i]) == "cuda"]
    if not wanted or executor.gpus():
        return todo
    for index in wanted:
        running._settle(index, _unavailable(sessions[index], _NO_GPU))
    settled = set(wanted)
    return [i for i in todo if i not in settled]


_NO_GPU = (
    'this session needs a GPU (requires="cuda" or device="cuda"), none is present, '
    "and no stored output from a GPU machine matches it"
)
_NO_CUDA = (
    'this session needs a GPU (requires="cuda" or device="cuda"); the GPU it was given '
    "was not usable by torch (no CUDA device), and no stored output from a GPU "
    "machine matches it"
)


def _refused(session: Session) -> SessionResult:
    blocks = tuple(
        BlockResult(
            line=b.line,
            status="refused" if b.line == session.refused_line else "skipped",
            error=session.refused if b.line == session.refused_line else None,
        )
        for b in session.blocks
    )
    return SessionResult(
        log=session.log,
        session=session.name,
        status="refused",
        duration=0.0,
        device="",
        blocks=blocks,
        message=session.refused,
    )


def _unavailable(session: Session, message: str) -> SessionResult:
    blocks = tuple(BlockResult(line=b.line, status="unavailable") for b in session.blocks)
    return SessionResult(
        log=session.log,
        session=session.name,
        status="unavailable",
        duration=0.0,
        device="",
        blocks=blocks,
        message=message,
    )


def _run_one(
    executor: Executor, session: Session, kind: DeviceKind, stop: threading.Event
) -> SessionResult:
    result = executor.run(session, kind, stop)
    if result is None and kind == "cuda" and not stop.is_set():
        # The GPU's workers found no CUDA after all: a session that asked for cuda cannot
        # run (its outputs belong to cuda); one that only took the machine's default
        # device runs on the CPU.
        if session.requires_cuda or session.device == "cuda":
            return _unavailable(session, _NO_CUDA)
        result = executor.run(session, "cpu", stop)
    return result or _unavailable(session, "the run was stopped")
