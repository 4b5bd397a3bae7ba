"""The node side of the Ray executor: a long-lived actor holding a local pool of one worker.

:class:`SessionActor` is a plain class; :mod:`studylog.execute.ray_executor`
turns it into a Ray actor (this module never imports Ray, so it also imports
where Ray is absent). Each actor keeps one studylog worker on its node, which
imports and warms torch once and forks a child per session
(:mod:`studylog.execute.isolate`), and drives each session exactly as the local
pool does (:func:`studylog.execute.drive.on_worker`): deadlines, the memory of
the session's process tree, process-group kill, temporary folders, output kept
before a fault and the checks of every message hold on every node because it is
the same code.

The actor speaks JSON data: sessions come in as :class:`Session` objects, results
go out as :func:`studylog.execute.schema.as_data` dicts, which the driver checks
again with :func:`studylog.execute.schema.session_from` as it checks a local
worker's messages.
"""

from __future__ import annotations

import os
import platform
from typing import Any

from studylog.execute import device as devices
from studylog.execute.drive import on_worker
from studylog.execute.pool import (
    CLOSE_WAIT,
    STARTUP_TIMEOUT,
    STOP_WAIT,
    Pool,
    WorkerGone,
    default_memory_limit_mb,
)
from studylog.execute.results import Session
from studylog.execute.schema import as_data
from studylog.settings import SandboxSettings

# Seconds :meth:`SessionActor.close` waits for a busy worker to stop its session and exit
# (then it kills the worker's processes itself); the driver waits a little longer.
CLOSE_BOUND = STOP_WAIT + CLOSE_WAIT


class SessionActor:
    """Runs sessions on its node, one at a time, on a pool of one warm worker."""

    def __init__(
        self, threads: int, output_limit: int, sandbox: SandboxSettings | None = None
    ) -> None:
        # The node's memory is shared by as many actors as it has CPUs for.
        share = max(1, (os.cpu_count() or 1) // max(1, threads))
        self.pool = Pool(
            jobs=1,
            threads=threads,
            output_limit=output_limit,
            memory_limit_mb=default_memory_limit_mb(share),
            sandbox=sandbox,  # the same sandbox as a local worker's sessions
        )
        self.current: int | None = None  # the block running now, for the driver's probes

    def ready(self) -> dict[str, Any]:
        """Start the worker (if it is not running) and wait until it has warmed torch; what
        this actor is, and ``error`` when its worker cannot start."""
        info: dict[str, Any] = {
            "pid": os.getpid(),
            "node": _node_id(),
            "python": platform.python_version(),
            "torch": devices.torch_version(),
            "error": None,
            "unsandboxed": False,  # sandbox: strict, and this node refuses part of it
            "notes": [],
        }
        worker = self.pool.acquire()
        try:
            worker.wait_ready(STARTUP_TIMEOUT)
            info["notes"] = self.pool.notes()
        except WorkerGone as gone:
            info["error"] = gone.reason
            info["unsandboxed"] = gone.kind == "sandbox"
        finally:
            self.pool.release(worker)
        return info

    def run(self, session: Session, device: str) -> dict[str, Any] | None:
        """The session's result as data; None when it asked for a GPU this node lacks."""
        self.current = None
        try:
            result = on_worker(self.pool, session, device, on_block=self._at)
        finally:
            self.current = None
        return None if result is None else as_data(result)

    # Answered while ``run`` runs (the driver calls them in a concurrency group of their own).

    def where(self) -> int | None:
        """The index of the block running now."""
        return self.current

    def stop(self) -> None:
        """Stop the session running now (Ctrl+C): the worker kills it and all it started,
        and ``run`` returns; the worker stays warm."""
        self.pool.interrupt()

    def close(self) -> None:
        """Stop the worker the way the local pool does (it kills what it runs, removes its
        temporary folders and exits), and return once it has, before Ray kills this actor:
        Ray kills an actor's child processes at once, with no chance to clean up, and a
        process the session started in a session of its own would outlive them all."""
        self.pool.close(wait=CLOSE_BOUND)

    def node(self) -> str:
        """The id of the Ray node this actor runs on."""
        return _node_id()

    def _at(self, index: int) -> None:
        self.current = index


def _node_id() -> str:
    import ray

    return str(ray.get_runtime_context().get_node_id())
