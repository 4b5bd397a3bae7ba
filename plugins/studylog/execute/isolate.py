"""Run one session in a fresh process and return its result (worker side).

:func:`run_session` forks the calling process (a worker that has imported and
warmed torch: the child inherits it, so a session starts in milliseconds), runs
the session in the child (:mod:`child`) and supervises it from here:

* the child's stdout and stderr are pipes read here, cut into blocks, so what a
  block printed before a crash or a timeout is kept;
* each block's deadline and the memory of the child's whole tree (its own
  children too, even those in a session of their own) are watched here: by a
  cgroup v2 of its own where the machine allows one (:mod:`cgroup`), else by
  summing the RSS of the tree;
* when the session ends, whatever happened, every process it left is killed
  (this process adopts orphans, see :func:`procs.adopt_orphans`) and its
  temporary folder is removed;
* the child's messages are checked (:mod:`schema`); one that is malformed or
  out of place makes the session ``crashed``, never breaks the caller.

Faults become results for the block they hit. This function is the unit any
executor can call: the local pool's workers do, and so can a remote worker.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import select
import shutil
import tempfile
import time
from collections.abc import Callable
from typing import Any

from studylog.execute import frames, procs, protocol
from studylog.execute.capture import Stream, catch_up
from studylog.execute.cgroup import SessionCgroup
from studylog.execute.child import BROKEN
from studylog.execute.job import Job, JobBlock
from studylog.execute.results import BlockResult, SessionResult, SessionStatus
from studylog.execute.schema import Invalid, block_from
from studylog.execute.slots import BlockDeadline
from studylog.execute.status import block_place
from studylog.model import place as where

GRACE = 60.0  # seconds for the child's own work outside blocks (start, CUDA set-up, end)
POLL = 0.05  # seconds between checks of the child's memory
TREE_EVERY = 0.5  # seconds between looks for the child's own children (a /proc scan)

Emit = Callable[[dict[str, Any]], None]


class ParentGone(Exception):
    """The pipe ``watch`` names closed: whoever asked for the session is gone."""


def fault(block: JobBlock, kind: str, reason: str) -> BlockResult:
    """The result of a block that a fault stopped: ``kind`` is timeout, memory, crashed
    (the session's process died) or startup (the worker could not start)."""
    line = block.line
    cell, at = block_place(block.path, line)
    place = where(block.path, at, cell)
    if kind == "timeout":
        timeout = block.timeout
        return BlockResult(
            line=line,
            status="timeout",
            duration=timeout,
            error=f"TimeoutError: the block at {place} ran longer than its timeout of "
            f"{timeout:g} s and was stopped",
        )
    if kind == "memory":
        return BlockResult(
            line=line,
            status="crashed",
            error=f"MemoryError: while running the block at {place}, {reason}",
        )
    if kind == "startup":
        return BlockResult(line=line, status="crashed", error=reason)
    return BlockResult(
        line=line, status="crashed", error=f"the block at {place} crashed its process: {reason}"
    )


def run_session(
    job: Job,
    *,
    emit: Emit | None = None,
    watch: int | None = None,
    tmp_root: str | None = None,
    on_end: Callable[[dict[str, Any]], None] | None = None,
) -> SessionResult | None:
    """Run ``job`` in a forked child and return its result; None when it
    asked for a GPU that the child finds missing.

    ``emit`` receives progress messages (``block_start``) as they come; a message or EOF
    on ``watch`` (the caller's own pipe) stops the session (raising :class:`ParentGone`
    on EOF); ``on_end`` receives the child's last message.
    """
    started = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix="studylog-session-", dir=tmp_root)
    token = os.urandom(8).hex()
    msg_r, msg_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    group = SessionCgroup.create(job.memory_limit_mb)
    me = os.getpid()
    # What an earlier session left dying (sent SIGKILL, not yet gone) is not this one's.
    earlier = frozenset(procs.descendants(me))
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is its results
        from studylog.execute import child

        child.main(
            job,
            msg_fd=msg_w,
            out_fd=out_w,
            err_fd=err_w,
            workdir=workdir,
            token=token,
            parent=me,
            join=group.join if group else None,
        )
    for fd in (msg_w, out_w, err_w):
        os.close(fd)
    limit = job.output_limit
    watcher = _Supervisor(
        job,
        pid,
        msg_r,
        [Stream(out_r, limit, token), Stream(err_r, limit, token)],
        watch,
        emit,
        group,
        earlier,
    )
    try:
        outcome = watcher.watch()
    finally:
        # Every process of the session is sent SIGKILL now; the kernel tears them down
        # while the result goes back (the next session's call reaps what is left).
        procs.kill_group(pid)
        if group is not None:
            group.remove()
        procs.kill_tree(os.getpid(), include_root=False, wait=outcome_failed(watcher))
        watcher.close()
        shutil.rmtree(workdir, ignore_errors=True)
    if outcome.no_cuda:
        return None
    if on_end is not None and outcome.end is not None:
        on_end(outcome.end)
    # No path of this machine leaves it: the result goes on a page and into the cache.
    folders = frames.roots([workdir])
    blocks = [
        dataclasses.replace(
            b,
            error=frames.shorten(b.error, folders),
            stderr=frames.shorten(b.stderr, folders) or "",
        )
        for b in outcome.blocks
    ]
    skipped = [BlockResult(line=b.line, status="skipped") for b in job.blocks[len(blocks) :]]
    return SessionResult(
        log=job.log,
        session=job.session,
        status=_status(blocks),
        duration=time.perf_counter() - started,
        device=outcome.device,
        blocks=tuple(blocks + skipped),
    )


def outcome_failed(watcher: _Supervisor) -> bool:
    """Whether the session ended by a fault (then its processes are waited for: one may
    have been forking) rather than by reporting its end."""
    return watcher.outcome.end is None


def _status(blocks: list[BlockResult]) -> SessionStatus:
    """A run session's status: that of its first failed block, else ok."""
    for block in blocks:
        if block.status in ("failed", "timeout", "crashed"):
            return block.status
    return "ok"


class _Outcome:
    def __init__(self, device: str) -> None:
        self.blocks: list[BlockResult] = []
        self.device = device
        self.no_cuda = False
        self.end: dict[str, Any] | None = None


class _Supervisor:
    """The parent's side of one session: messages, output, deadline, memory, exit."""

    def __init__(
        self,
        job: Job,
        pid: int,
        msg_fd: int,
        streams: list[Stream],
        watch: int | None,
        emit: Emit | None,
        group: SessionCgroup | None,
        earlier: frozenset[int] = frozenset(),
    ) -> None:
        self.group = group
        self.earlier = earlier
        self.job = job
        self.blocks = job.blocks
        self.pid = pid
        self.msg_fd = msg_fd
        self.streams = streams
        self.watch_fd = watch
        self.emit = emit
        self.reader = protocol.Reader()
        self.limit_mb = job.memory_limit_mb
        self.outcome = _Outcome(job.device)
        self.deadline = BlockDeadline(job.timeouts, between=GRACE)
        self.exit_status: int | None = None
        self.tree: list[int] = []
        self.tree_at = 0.0
        self.closed_at: float | None = None  # when the child closed its message pipe

    # -- the loop -------------------------------------------------------------------------

    def watch(self) -> _Outcome:
        try:
            self._loop()
        except _Fault as stop:
            self._fail(stop.kind, stop.reason)
        return self.outcome

    def _loop(self) -> None:
        while self.outcome.end is None:
            left = self.deadline.left()
            if left <= 0:
                if self.deadline.current is not None:
                    raise _Fault("timeout", "deadline passed")
                raise _Fault(
                    "crashed", "the session stopped responding between blocks and was stopped"
                )
            fds = [s.fd for s in self.streams if s.open]
            if self.msg_fd >= 0:
                fds.append(self.msg_fd)
            if self.watch_fd is not None:
                fds.append(self.watch_fd)
            ready, _, _ = select.select(fds, [], [], min(left, POLL))
            for stream in self.streams:
                if stream.fd in ready:
                    stream.read()
            if self.watch_fd is not None and self.watch_fd in ready:
                self._asked_to_stop()
            if self.msg_fd in ready:
                self._read_messages()
            if self.outcome.end is None:
                self._check_exit()
                self._check_memory()

    def _read_messages(self) -> None:
        try:
            data = os.read(self.msg_fd, 1 << 20)
        except OSError:
            data = b""
        if not data:
            os.close(self.msg_fd)
            self.msg_fd = -1
            return
        self.reader.feed(data)
        while self.outcome.end is None:
            try:
                message = self.reader.pop()
            except protocol.Malformed as exc:
                raise _Fault("crashed", f"the session sent a malformed message ({exc})") from None
            if message is None:
                return
            self._handle(message)

    def _handle(self, message: dict[str, Any]) -> None:
        if message.get("pid") != self.pid:
            return  # from a process the session forked: it does not speak for the session
        op = message["op"]
        expected = len(self.outcome.blocks)
        current = self.deadline.current
        if (
            op == "block_start"
            and message.get("index") == expected
            and current is None
            and self.deadline.start(expected)
        ):
            if self.emit is not None:
                self.emit({"op": "block_start", "index": expected})
        elif op == "block_end" and current is not None and message.get("index") == current:
            self.outcome.blocks.append(self._block_end(current, message.get("result")))
            self.deadline.end()
        elif op == "session_end" and current is None:
            device = message.get("device")
            self.outcome.device = device if isinstance(device, str) else self.outcome.device
            self.outcome.no_cuda = message.get("no_cuda") is True
            self.outcome.end = message
        else:
            raise _Fault("crashed", f"the session sent a message out of place ({op!r})")

    def _block_end(self, index: int, data: object) -> BlockResult:
        if not isinstance(data, dict):
            raise _Fault("crashed", "the session sent a malformed block result")
        catch_up(self.streams, until_eof=False, limit=1.0)
        stdout, stderr = (s.take() for s in self.streams)
        line = self.blocks[index].line
        try:
            return block_from({**data, "line": line, "stdout": stdout, "stderr": stderr})
        except Invalid as exc:
            raise _Fault("crashed", f"the session sent a malformed block result ({exc})") from None

    def _asked_to_stop(self) -> None:
        assert self.watch_fd is not None
        try:
            data = os.read(self.watch_fd, 1 << 16)
        except OSError:
            data = b""
        if not data:
            raise ParentGone
        raise _Fault("crashed", "the run was stopped")

    def _check_exit(self) -> None:
        if self.exit_status is None:
            self._reap()
        if self.exit_status is not None:
            # What it sent before it died is in the pipe: read it, then judge.
            while (
                self.msg_fd >= 0
                and self.outcome.end is None
                and select.select([self.msg_fd], [], [], 0)[0]
            ):
                self._read_messages()
            if self.outcome.end is None:
                raise self._death(self.exit_status)
        elif self.msg_fd < 0:
            # EOF comes a moment before the exit status when the child ends by itself.
            now = time.monotonic()
            self.closed_at = self.closed_at or now
            if now - self.closed_at > 1.0:
                raise _Fault(
                    "crashed",
                    "the session closed its message pipe (os.close or "
                    "os.closerange on fds it did not open)",
                )

    def _reap(self) -> None:
        """Note the child's exit status once it has exited."""
        try:
            done, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            done, status = self.pid, 0
        if done == self.pid:
            self.exit_status = status

    def _death(self, status: int) -> _Fault:
        """What ended a child that exited without reporting its end."""
        if self.group is not None and self.group.oom_killed():
            return _Fault("memory", self._over(self.limit_mb or 0))
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == BROKEN:
            return _Fault(
                "crashed",
                "the session could not report its result (it closed or broke studylog's "
                "message pipe; its stderr says how)",
            )
        return _Fault("crashed", procs.exit_reason(status, "the session"))

    def _check_memory(self) -> None:
        if not self.limit_mb:
            return
        if self.group is not None:
            if self.group.oom_killed():  # the kernel enforced memory.max inside the group
                raise _Fault("memory", self._over(self.group.memory_mb() or self.limit_mb))
            return
        now = time.monotonic()
        if now >= self.tree_at:  # the whole tree now and then, the child itself every poll
            self.tree = [p for p in procs.descendants(os.getpid()) if p not in self.earlier]
            self.tree_at = now + TREE_EVERY
        used = procs.rss_mb(self.tree or [self.pid])
        if used > self.limit_mb:
            raise _Fault("memory", self._over(used))

    def _over(self, used: int) -> str:
        return (
            f"the session used {used:,} MiB (its child processes included), over the "
            f"memory limit of {self.limit_mb or 0:,} MiB, and was stopped"
        )

    # -- the end ----------------------------------------------------------------------------

    def _fail(self, kind: str, reason: str) -> None:
        procs.kill_group(self.pid)
        procs.kill_tree(os.getpid(), include_root=False)
        catch_up(self.streams, until_eof=True, limit=1.0)
        current = self.deadline.current
        index = current if current is not None else len(self.outcome.blocks)
        if index < len(self.blocks):
            stdout, stderr = (s.take_rest() for s in self.streams)
            gone = fault(self.blocks[index], kind, reason)
            self.outcome.blocks.append(
                BlockResult(
                    line=gone.line,
                    status=gone.status,
                    stdout=stdout,
                    stderr=stderr,
                    error=gone.error,
                    duration=gone.duration,
                )
            )
        elif self.outcome.blocks:
            last = self.outcome.blocks[-1]
            self.outcome.blocks[-1] = BlockResult(
                line=last.line,
                status="crashed",
                stdout=last.stdout,
                stderr=last.stderr,
                value=last.value,
                html=last.html,
                figures=last.figures,
                error=(last.error or "") + f"after its last block, {reason}",
                duration=last.duration,
            )

    def close(self) -> None:
        for stream in self.streams:
            stream.close()
        if self.msg_fd >= 0:
            os.close(self.msg_fd)
            self.msg_fd = -1
        if self.exit_status is None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, os.WNOHANG)


class _Fault(Exception):
    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
