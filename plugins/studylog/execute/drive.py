"""Running one session on one worker: the messages of a session, and faults turned into results.

The worker's side of the protocol is :mod:`studylog.execute.worker`; a worker that
dies, runs past a block's deadline or grows past the memory limit becomes a
result for the block it was running (see :class:`~studylog.execute.pool.WorkerGone`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from studylog.execute.pool import GRACE, STARTUP_TIMEOUT, Pool, Worker, WorkerGone
from studylog.execute.results import BlockResult, Session, SessionResult, SessionStatus


def on_worker(pool: Pool, session: Session, device: str,
              stop: threading.Event | None = None) -> SessionResult | None:
    """The session's result on a worker of ``pool``; None when the worker has no GPU for a
    cuda ``device``, or when ``stop`` was set while waiting for a worker."""
    worker = pool.acquire()
    try:
        if stop is not None and stop.is_set():
            return None
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


def _status(blocks: Sequence[BlockResult]) -> SessionStatus:
    """A run session's status: that of its first failed block, else ok."""
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
