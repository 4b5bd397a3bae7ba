"""Worker processes owned by the parent: started, watched, stopped and replaced.

``concurrent.futures`` cannot kill one stuck task or survive one dead worker,
so each worker is a plain subprocess talking ``protocol`` messages over pipes.
A worker runs each session in a child forked from itself and turns the
session's faults into results (:mod:`studylog.execute.isolate`); the parent
only has to handle the worker itself failing: EOF on its pipe, a malformed
message, or no answer past a deadline a little after the worker's own.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import studylog
from studylog.execute import procs, protocol
from studylog.execute.limits import OUTPUT_LIMIT
from studylog.execute.sandbox import Applied, environment, partial_note
from studylog.execute.slots import Slots
from studylog.settings import SandboxSettings

STARTUP_TIMEOUT = 300.0  # importing torch on a busy machine can take a while
STOP_WAIT = 1.5  # seconds a stopped worker has to report before it is killed
CLOSE_WAIT = 2.0  # seconds a closed worker has to exit before it is killed


class WorkerGone(Exception):
    """The worker cannot go on; ``reason`` says what happened to it."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind  # "timeout" | "crashed" | "startup" | "sandbox" (strict, refused)
        self.reason = reason


def default_memory_limit_mb(jobs: int) -> int | None:
    """Most of the physical memory, shared between the workers."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None
    return max(1024, int(total * 0.8 / jobs) >> 20)


class Worker:
    """One worker process and the parent's ends of its two pipes."""

    def __init__(
        self, *, threads: int, cwd: Path | None = None, sandbox: SandboxSettings | None = None
    ) -> None:
        to_worker_r, self._to_worker = os.pipe()
        self._from_worker, from_worker_w = os.pipe()
        self.sandbox = sandbox or SandboxSettings()
        # Started with the allowlist: not even its /proc/PID/environ holds the build's tokens.
        env = environment(os.environ, self.sandbox)
        package_parent = str(Path(studylog.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_parent, env.get("PYTHONPATH", "")) if p
        )
        env.update(
            {
                "OMP_NUM_THREADS": str(threads),
                "MKL_NUM_THREADS": str(threads),
                "MPLBACKEND": "Agg",
                "PYTHONHASHSEED": "0",
                "PYTHONUNBUFFERED": "1",
            }
        )
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "studylog.execute.worker",
                    str(to_worker_r),
                    str(from_worker_w),
                    str(os.getpid()),
                    self.sandbox.mode,
                ],
                pass_fds=(to_worker_r, from_worker_w),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                cwd=cwd,
                start_new_session=True,
            )  # Ctrl+C is the parent's alone
        finally:
            os.close(to_worker_r)
            os.close(from_worker_w)
        self._reader = protocol.Reader()
        self._send_lock = threading.Lock()
        self.info: dict[str, Any] | None = None  # the "ready" message
        self.alive = True
        self.stopped_at: float | None = None

    @property
    def pid(self) -> int:
        """The worker's process id."""
        return self.process.pid

    @property
    def applied(self) -> Applied | None:
        """What the worker found the sandbox holds on this machine (once it is ready)."""
        return Applied.from_data((self.info or {}).get("sandbox"))

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> dict[str, Any]:
        """The worker's ready message, waiting for it up to ``timeout`` seconds; raises WorkerGone
        when it cannot start."""
        if self.info is None:
            try:
                message = self.recv(time.monotonic() + timeout)
            except WorkerGone as gone:
                raise WorkerGone("startup", f"the worker did not start: {gone.reason}") from None
            if message.get("op") != "ready":
                error = str(message.get("error", message))
                self.kill()
                if message.get("op") == "unsandboxed":
                    raise WorkerGone("sandbox", error)
                raise WorkerGone("startup", f"the worker could not start:\n{error}")
            self.info = message
        return self.info

    def send(self, message: dict[str, Any]) -> None:
        """Send ``message`` to the worker; raises WorkerGone when its pipe is gone."""
        try:
            with self._send_lock:
                protocol.send(self._to_worker, message)
        except OSError:
            raise WorkerGone("crashed", self._exit_reason()) from None

    def stop(self) -> None:
        """Ask the worker to stop the session it runs (from any thread); it reports at once,
        and is killed if it does not within ``STOP_WAIT`` seconds."""
        self.stopped_at = time.monotonic()
        with contextlib.suppress(WorkerGone, OSError):
            self.send({"op": "stop"})

    def recv(self, deadline: float) -> dict[str, Any]:
        """The next message; raises WorkerGone on EOF, a malformed message or the deadline."""
        while True:
            try:
                message = self._reader.pop()
            except protocol.Malformed as exc:
                self.kill()
                raise WorkerGone(
                    "crashed", f"the worker sent a malformed message ({exc})"
                ) from None
            if message is not None:
                return message
            now = time.monotonic()
            if self.stopped_at is not None:
                deadline = min(deadline, self.stopped_at + STOP_WAIT)
            if now >= deadline:
                self.kill()
                raise WorkerGone("timeout", "deadline passed")
            # In slices, so a stop() from another thread is seen within one.
            ready, _, _ = select.select([self._from_worker], [], [], min(deadline - now, 0.1))
            if ready:
                data = os.read(self._from_worker, 1 << 20)
                if not data:
                    raise WorkerGone("crashed", self._exit_reason())
                self._reader.feed(data)

    def _exit_reason(self) -> str:
        self.alive = False
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            return "the worker closed its pipe and was stopped"
        self._cleanup()
        if code < 0:
            return procs.exit_reason((-code) & 0x7F, "the worker")
        return procs.exit_reason(code << 8, "the worker")

    def kill(self) -> None:
        """Kill the worker, every process under it, and remove its temporary folder."""
        self.alive = False
        self._kill_processes()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self._cleanup()

    def _kill_processes(self) -> None:
        # The processes under it first: while it lives, what its session left (orphans
        # included, which it adopts) is found under it; once it is dead, no longer.
        procs.kill_tree(self.pid, include_root=False)
        procs.kill_group(self.pid)

    def ended(self, deadline: float) -> None:
        """Wait until the worker has exited (a stopped one exits once it has stopped its
        session and everything the session started); past ``deadline``, kill its processes.
        Safe from another thread than the one driving it: no pipe is touched."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            return
        self._kill_processes()

    def close(self) -> None:
        """Stop an idle worker: EOF on its pipe makes it remove its temporary folder and
        exit at once; one that does not is killed."""
        self.alive = False
        with contextlib.suppress(OSError):
            os.close(self._to_worker)
        self._to_worker = -1
        try:
            self.process.wait(timeout=CLOSE_WAIT)
        except subprocess.TimeoutExpired:
            self.kill()
        self._cleanup()

    def _cleanup(self) -> None:
        tmp = (self.info or {}).get("tmp")
        if isinstance(tmp, str) and "studylog-worker-" in tmp:
            shutil.rmtree(tmp, ignore_errors=True)
        for attr in ("_to_worker", "_from_worker"):
            fd = getattr(self, attr)
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
                setattr(self, attr, -1)


class Pool:
    """``jobs`` reusable workers, started lazily, replaced when one dies.

    Keep one Pool alive across many sessions (the MkDocs plugin keeps its executor, and
    so its pool, across ``mkdocs serve`` rebuilds) and close it at the end.
    """

    def __init__(
        self,
        jobs: int | None = None,
        *,
        memory_limit_mb: int | None = None,
        output_limit: int = OUTPUT_LIMIT,
        cwd: Path | None = None,
        threads: int | None = None,
        sandbox: SandboxSettings | None = None,
    ) -> None:
        cpus = os.cpu_count() or 1
        self.sandbox = sandbox or SandboxSettings()
        self.jobs = max(1, jobs or cpus)
        # Split the cores so `jobs` workers never oversubscribe them (unless told how many
        # threads a session has: a Ray actor is given its share by the cluster).
        self.threads = max(1, threads or cpus // self.jobs)
        self.memory_limit_mb = (
            memory_limit_mb if memory_limit_mb is not None else default_memory_limit_mb(self.jobs)
        )
        self.output_limit = output_limit
        self.cwd = cwd
        self._workers: Slots[Worker] = Slots(self._spawn, self.jobs, "the pool")
        self._started: list[Worker] = []  # for what their sandboxes hold (see notes)

    @property
    def workers_started(self) -> int:
        """Workers started so far, replacements included."""
        return self._workers.made

    def start(self, count: int | None = None) -> None:
        """Start workers up to ``count`` (default: jobs) at once, so torch imports overlap."""
        self._workers.fill(self.jobs if count is None else count)

    def _spawn(self) -> Worker:
        worker = Worker(threads=self.threads, cwd=self.cwd, sandbox=self.sandbox)
        self._started.append(worker)
        return worker

    def notes(self) -> list[str]:
        """What the build should say once about where sessions ran: a sandbox that this
        machine enforces only in part (from the workers started so far)."""
        found = {w.applied for w in self._started if w.applied is not None}
        notes = (partial_note(applied, self.sandbox.mode) for applied in found)
        return sorted({note for note in notes if note})

    def acquire(self) -> Worker:
        """A worker for one session (started if none is idle); give it back with
        :meth:`release`."""
        worker = self._workers.take()
        assert worker is not None  # no stop flag, and at least one job
        worker.stopped_at = None
        return worker

    def release(self, worker: Worker) -> None:
        """Take a worker back (a dead one is replaced when next needed)."""
        if self._workers.give(worker):
            worker.close()

    def interrupt(self) -> None:
        """Stop the sessions running now (Ctrl+C): each worker kills its session and stays
        (one that does not answer is killed, and replaced when next needed)."""
        for worker in self._workers.busy():
            worker.stop()

    def close(self, wait: float = 0.0) -> None:
        """Stop every worker: idle ones now, busy ones once their session is stopped. With
        ``wait``, return only once the busy ones have exited too (at most ``wait`` seconds,
        then their processes are killed): for a caller whose own processes are about to be
        killed from outside, which would leave a session's processes running."""
        idle, busy = self._workers.close()
        for worker in idle:
            worker.close()
        for worker in busy:
            worker.stop()
        deadline = time.monotonic() + wait
        for worker in busy if wait else ():
            worker.ended(deadline)

    def __del__(self) -> None:  # a forgotten pool must not leave processes behind
        workers = getattr(self, "_workers", None)
        if workers is not None and not workers.closed:
            self.close()
