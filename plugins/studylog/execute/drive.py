"""Running one session on one worker: the messages of a session, and the worker's faults.

The worker runs the session in a child of its own and reports its result,
faults of the session included (:mod:`studylog.execute.isolate`). What is left
here is the worker itself failing while it holds a session: it dies, sends
something malformed, or does not answer a little after the block's deadline
(its own deadline is the first line; this one is the second).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from studylog.execute.executor import ExecutorError
from studylog.execute.isolate import GRACE, fault
from studylog.execute.job import Job, job
from studylog.execute.pool import STARTUP_TIMEOUT, Pool, Worker, WorkerGone
from studylog.execute.results import BlockResult, Session, SessionResult, SessionStatus
from studylog.execute.schema import Invalid, job_data, session_from
from studylog.execute.slots import BlockDeadline

BACKSTOP = 5.0  # seconds past a block's deadline before the parent kills the worker


def on_worker(
    pool: Pool,
    session: Session,
    device: str,
    stop: threading.Event | None = None,
    on_block: Callable[[int], None] | None = None,
) -> SessionResult | None:
    """The session's result on a worker of ``pool``; None when the session finds no GPU
    for a cuda ``device``, or when ``stop`` was set while waiting for a worker.
    ``on_block`` is told the index of each block as it starts."""
    worker = pool.acquire()
    try:
        if stop is not None and stop.is_set():
            return None
        return _drive(worker, pool, session, device, on_block)
    finally:
        pool.release(worker)


def _drive(
    worker: Worker,
    pool: Pool,
    session: Session,
    device: str,
    on_block: Callable[[int], None] | None = None,
) -> SessionResult | None:
    """Send one session to ``worker`` and wait for its result (or the worker's death)."""
    started = time.perf_counter()
    task = job(
        session,
        device,
        output_limit=pool.output_limit,
        memory_limit_mb=pool.memory_limit_mb,
        threads=pool.threads,
        sandbox=pool.sandbox,
    )
    deadline: BlockDeadline | None = None
    try:
        worker.wait_ready(STARTUP_TIMEOUT)
        started = time.perf_counter()
        worker.send({"op": "session", "job": job_data(task)})
        # The worker's own deadlines come first; these are a little later.
        deadline = BlockDeadline(task.timeouts, between=GRACE, slack=BACKSTOP)
        while True:
            message = worker.recv(deadline.at)
            op = message.get("op")
            if op == "block_start":
                if deadline.start(message.get("index")) and on_block is not None:
                    on_block(message["index"])
            elif op == "no_cuda":
                return None
            elif op == "result":
                return adopted(session, session_from(message.get("result"), "the worker's result"))
            else:
                worker.kill()
                raise WorkerGone("crashed", _unexpected(message))
    except Invalid as exc:
        worker.kill()
        gone = WorkerGone("crashed", f"the worker sent a malformed result ({exc})")
    except WorkerGone as caught:
        worker.kill()
        if caught.kind == "sandbox":  # sandbox: strict, and this machine refuses part of it
            raise ExecutorError(caught.reason) from None
        gone = caught
    current = deadline.current if deadline is not None else None
    return failed(session, task, current, gone.kind, gone.reason, started)


def _unexpected(message: dict[str, object]) -> str:
    """What a message out of place says (a worker that could not run a job says why)."""
    error = message.get("error")
    if isinstance(error, str) and error:
        return error
    return f"the worker sent an unexpected message ({message.get('op')!r})"


def adopted(session: Session, result: SessionResult) -> SessionResult:
    """A result a worker (or a Ray actor) sent, under the names of the session it ran."""
    return SessionResult(
        log=session.log,
        session=session.name,
        status=result.status,
        duration=result.duration,
        device=result.device,
        blocks=result.blocks,
    )


def failed(
    session: Session,
    task: Job,
    current: int | None,
    kind: str,
    reason: str,
    started: float,
) -> SessionResult:
    """The result of a session whose worker (or Ray actor) failed: ``kind`` (timeout,
    crashed, startup...) at the block it was running (the first when it is not known), the
    blocks after it skipped."""
    at = current if current is not None else 0
    blocks = [BlockResult(line=b.line, status="skipped") for b in session.blocks]
    blocks[at] = fault(task.blocks[at], kind, reason)
    status: SessionStatus = "timeout" if blocks[at].status == "timeout" else "crashed"
    return SessionResult(
        log=session.log,
        session=session.name,
        status=status,
        duration=time.perf_counter() - started,
        # A session whose worker never started did not run anywhere (and is not stored).
        device="" if kind == "startup" else task.device,
        blocks=tuple(blocks),
    )
