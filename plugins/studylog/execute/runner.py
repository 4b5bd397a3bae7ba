"""``run``: sessions in, results out, using the cache first and the pool for the rest.

User-code failures are results with a status, never exceptions. Cached
sessions start no worker; the rest run on the pool, GPU sessions one at a
time per GPU.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path
from typing import Any

from studylog.execute import device as devices
from studylog.execute.cache import Cache
from studylog.execute.pool import GRACE, STARTUP_TIMEOUT, Pool, Worker, WorkerGone
from studylog.execute.results import BlockResult, Session, SessionResult

Progress = Callable[[SessionResult], None]


def run(sessions: Sequence[Session], *, project_root: Path, cache: Cache | None = None,
        pool: Pool | None = None, execute: bool = True,
        progress: Progress | None = None) -> list[SessionResult]:
    """Results for ``sessions``, in their order.

    ``execute=False`` (``--frozen``) uses stored entries only: each is marked
    frozen, and a session without one is "unavailable". A ``requires="cuda"``
    session on a machine without a GPU is treated the same way.
    """
    results: list[SessionResult | None] = [None] * len(sessions)
    keys: list[str | None] = [None] * len(sessions)
    todo: list[int] = []
    for index, session in enumerate(sessions):
        result, key = _without_running(session, project_root, cache, execute)
        keys[index] = key
        if result is None:
            todo.append(index)
        else:
            results[index] = result
            if progress:
                progress(result)
    if todo:
        own_pool = pool is None
        active = pool if pool is not None else Pool()
        try:
            active.start(len(todo))
            gpus = _Gpus(devices.gpu_count())
            with ThreadPoolExecutor(max_workers=active.jobs,
                                    thread_name_prefix="studylog-run") as threads:
                futures = {threads.submit(_run_one, active, gpus, sessions[i], cache,
                                          project_root): i for i in todo}
                try:
                    _collect(futures, keys, cache, results, progress)
                except BaseException:  # Ctrl+C, or a bug: stop what runs, start nothing new
                    for future in futures:
                        future.cancel()
                    active.interrupt()
                    raise
        finally:
            if own_pool:
                active.close()
    return [r for r in results if r is not None]


def _collect(futures: dict[Future[SessionResult], int], keys: list[str | None],
             cache: Cache | None, results: list[SessionResult | None],
             progress: Progress | None) -> None:
    """Store and report each result as it finishes (results keep the sessions' order)."""
    for future in as_completed(futures):
        index = futures[future]
        result = future.result()
        key = keys[index]
        if (cache is not None and key is not None and result.status == "ok"
                and not result.frozen and not result.cached):
            cache.put(key, result)
        results[index] = result
        if progress:
            progress(result)


def _without_running(session: Session, project_root: Path, cache: Cache | None,
                     execute: bool) -> tuple[SessionResult | None, str | None]:
    """The result when the session needs no worker (refused, cached, frozen, unavailable)."""
    if session.refused:
        return _refused(session), None
    usable = cache is not None and all(b.options.cache for b in session.blocks)
    key = cache.key(session, project_root) if usable and cache is not None else None
    no_gpu = devices.target_kind(session) == "cuda" and devices.gpu_count() == 0
    if cache is not None and key is not None:
        stored = cache.get(key)
        if stored is not None:
            frozen = not execute or no_gpu
            return replace(stored, log=session.log, session=session.name, cached=True,
                           frozen=frozen), key
    if not execute:
        return _unavailable(session, "execution is off (frozen) and no stored output "
                                     "matches this session"), key
    if no_gpu:
        return _unavailable(session, _NO_GPU), key
    return None, key


_NO_GPU = ('this session needs a GPU (requires="cuda" or device="cuda"), none is present, '
           "and no stored output from a GPU machine matches it")


def _refused(session: Session) -> SessionResult:
    blocks = tuple(
        BlockResult(line=b.line, status="refused" if b.line == session.refused_line else "skipped",
                    error=session.refused if b.line == session.refused_line else None)
        for b in session.blocks)
    return SessionResult(log=session.log, session=session.name, status="refused", duration=0.0,
                         device="", blocks=blocks, message=session.refused)


def _unavailable(session: Session, message: str) -> SessionResult:
    blocks = tuple(BlockResult(line=b.line, status="unavailable") for b in session.blocks)
    return SessionResult(log=session.log, session=session.name, status="unavailable",
                         duration=0.0, device="", blocks=blocks, message=message)


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


def _run_one(pool: Pool, gpus: _Gpus, session: Session, cache: Cache | None,
             project_root: Path) -> SessionResult:
    wants_gpu = devices.target_kind(session) == "cuda" and gpus.count > 0
    gpu = gpus.take() if wants_gpu else None
    try:
        device = f"cuda:{gpu}" if gpu is not None else "cpu"
        result = _on_worker(pool, session, device)
        if result is None:  # the workers see no GPU after all
            if session.requires_cuda:
                return _unavailable(session, _NO_GPU)
            result = _on_worker(pool, session, "cpu")
        assert result is not None
        return result
    finally:
        if gpu is not None:
            gpus.give(gpu)


def _on_worker(pool: Pool, session: Session, device: str) -> SessionResult | None:
    worker = pool.acquire()
    try:
        return _drive(worker, pool, session, device)
    finally:
        pool.release(worker)


def _drive(worker: Worker, pool: Pool, session: Session, device: str) -> SessionResult | None:
    """Send one session to ``worker`` and turn its messages (or its death) into a result."""
    started = time.perf_counter()
    blocks: list[BlockResult] = []
    where = device
    current: int | None = None
    try:
        info = worker.wait_ready(STARTUP_TIMEOUT)
        if device.startswith("cuda") and not info.get("cuda"):
            return None
        started = time.perf_counter()
        worker.send({
            "op": "session", "device": device, "output_limit": pool.output_limit,
            "blocks": [{"code": b.code, "filename": b.filename, "first_line": b.first_line,
                        "line": b.line, "errors_allowed": b.options.errors_allowed}
                       for b in session.blocks]})
        deadline = time.monotonic() + GRACE
        while True:
            message = worker.recv(deadline, pool.memory_limit_mb)
            op = message.get("op")
            if op == "block_start":
                current = int(message["index"])
                block = session.blocks[current]
                timeout = block.options.timeout or session.timeout
                deadline = time.monotonic() + timeout
            elif op == "block_end":
                blocks.append(_block_result(message["result"]))
                current = None
                deadline = time.monotonic() + GRACE
            elif op == "session_end":
                if message.get("no_cuda"):
                    return None
                where = _device_name(str(message.get("device", device)), info)
                break
    except WorkerGone as gone:
        where = _device_name(device, worker.info or {})
        failed_at = current if current is not None else len(blocks)
        if failed_at < len(session.blocks):
            blocks.append(_gone_result(session, failed_at, gone))
        elif blocks:
            last = blocks[-1]
            blocks[-1] = replace(last, status="crashed",
                                 error=(last.error or "") + gone.reason)
    blocks.extend(BlockResult(line=b.line, status="skipped")
                  for b in session.blocks[len(blocks):])
    return SessionResult(log=session.log, session=session.name, status=_status(blocks),
                         duration=time.perf_counter() - started, device=where,
                         blocks=tuple(blocks))


def _gone_result(session: Session, index: int, gone: WorkerGone) -> BlockResult:
    block = session.blocks[index]
    place = f"{block.path}:{block.line}"
    if gone.kind == "timeout":
        timeout = block.options.timeout or session.timeout
        return BlockResult(
            line=block.line, status="timeout", duration=timeout,
            error=f"TimeoutError: the block at {place} ran longer than its timeout of "
                  f"{timeout:g} s and was stopped (raise it with timeout=\"...\")")
    if gone.kind == "memory":
        return BlockResult(line=block.line, status="crashed",
                           error=f"MemoryError: while running the block at {place}, "
                                 f"{gone.reason}")
    if gone.kind == "startup":
        return BlockResult(line=block.line, status="crashed", error=gone.reason)
    return BlockResult(line=block.line, status="crashed",
                       error=f"the block at {place} crashed the worker: {gone.reason}")


def _block_result(data: dict[str, Any]) -> BlockResult:
    return BlockResult(
        line=int(data["line"]), status=data["status"], stdout=data.get("stdout", ""),
        stderr=data.get("stderr", ""), value=data.get("value"), html=data.get("html"),
        figures=tuple(data.get("figures", ())), error=data.get("error"),
        duration=float(data.get("duration", 0.0)))


def _status(blocks: Sequence[BlockResult]) -> Any:
    for block in blocks:
        if block.status in ("failed", "timeout", "crashed"):
            return block.status
    return "ok"


def _device_name(device: str, info: dict[str, Any]) -> str:
    if device.startswith("cuda:") and " " not in device:
        names = info.get("cuda") or []
        index = int(device.split(":", 1)[1])
        if index < len(names):
            return f"{device} {names[index]}"
    return device
