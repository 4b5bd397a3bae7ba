"""Run one session in a process of its own and return its result (worker side).

:func:`session` hands the job to a child forked from the calling process (a
worker that has imported and warmed torch: the child inherits it), runs the
session there (:mod:`child`) and supervises it from here:

* the child is forked *ahead*: a :class:`Spare` waits, isolated, for its one job,
  and :class:`Spares` keeps one ready (forked while the worker is idle or while the
  session before runs), so neither the fork nor the child's set-up is paid between
  a job's arrival and its first block; a spare is handed one job only (its job
  pipe is closed after it);
* the child's stdout and stderr are pipes read here, cut into blocks, so what a
  block printed before a crash or a timeout is kept;
* each block's deadline and the memory of the child's whole tree (its own
  children too, even those in a session of their own) are watched here: by a
  cgroup v2 of its own where the machine allows one (:mod:`cgroup`), else by
  summing the RSS of the tree;
* when the session ends, whatever happened, its process group is killed at once,
  and once the caller has passed the result on, every process it left is killed
  (this process adopts orphans, see :func:`procs.adopt_orphans`) and its
  temporary folder is removed: the teardown is off the path from the session's end
  to its result;
* the child's messages are checked (:mod:`schema`); one that is malformed or
  out of place makes the session ``crashed``, never breaks the caller.

Faults become results for the block they hit. This module is the unit any
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
from collections.abc import Callable, Iterator
from typing import Any

from studylog.execute import frames, procs, protocol
from studylog.execute.capture import Stream, catch_up
from studylog.execute.cgroup import SessionCgroup
from studylog.execute.child import BROKEN, UNSANDBOXED
from studylog.execute.job import Job, JobBlock
from studylog.execute.namespaces import SCRATCH
from studylog.execute.results import BlockResult, SessionResult, SessionStatus
from studylog.execute.schema import Invalid, block_from, job_data
from studylog.execute.slots import BlockDeadline
from studylog.execute.status import block_place
from studylog.model import place as where

GRACE = 60.0  # seconds for the child's own work outside blocks (start, CUDA set-up, end)
POLL = 0.05  # seconds between checks of the child's memory
TREE_EVERY = 0.5  # seconds between looks for the child's own children (a /proc scan)
# Seconds a session runs before the next one's spare is forked beside it: a fork takes the
# worker ~10 ms, which a session ending in that time would wait for.
AHEAD_AFTER = 0.05

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


class Spare:
    """A child forked ahead of its session: cut off from the worker, its pipes open,
    waiting for the one job :meth:`hand` sends (see :func:`studylog.execute.child.spare`)."""

    def __init__(self, pid: int, job_fd: int, msg_fd: int, out_fd: int, err_fd: int, token: str):
        self.pid = pid
        self.job_fd = job_fd  # the write end of its job pipe; closed once the job is sent
        self.msg_fd = msg_fd
        self.out_fd = out_fd
        self.err_fd = err_fd
        self.token = token  # marks the end of each block's output on its streams

    @classmethod
    def fork(cls) -> Spare:
        """Fork a spare from this process (a warm worker that runs no user code)."""
        token = os.urandom(8).hex()
        job_r, job_w = os.pipe()
        msg_r, msg_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        me = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's coverage is its results
            from studylog.execute import child

            child.spare(
                job_fd=job_r, msg_fd=msg_w, out_fd=out_w, err_fd=err_w, token=token, parent=me
            )
        for fd in (job_r, msg_w, out_w, err_w):
            os.close(fd)
        return cls(pid, job_w, msg_r, out_r, err_r, token)

    def alive(self) -> bool:
        """Whether it still waits (a spare killed meanwhile is reaped here)."""
        try:
            done, _status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return False
        return done == 0

    def hand(self, job: Job, workdir: str) -> bool:
        """Send its one job, to run in ``workdir``; False when it is gone. The job pipe is
        closed either way: a spare is never handed a second job."""
        try:
            protocol.send(self.job_fd, {"op": "job", "job": job_data(job), "workdir": workdir})
            return True
        except OSError:
            return False
        finally:
            os.close(self.job_fd)
            self.job_fd = -1

    def retire(self) -> None:
        """Stop a spare that was never used (closing its pipe ends it; killed to be sure)."""
        for name in ("job_fd", "msg_fd", "out_fd", "err_fd"):
            fd = getattr(self, name)
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
                setattr(self, name, -1)
        procs.kill_group(self.pid)
        procs.kill([self.pid])
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


class Spares:
    """The one spare child a worker keeps forked ahead of its next session."""

    def __init__(self) -> None:
        self._spare: Spare | None = None

    def ready(self) -> None:
        """Fork the spare now if there is none (call it while nothing waits on this process)."""
        if self._spare is None:
            self._spare = Spare.fork()

    def take(self) -> Spare:
        """The spare, for a session now (forked now if none is ready or it died)."""
        spare, self._spare = self._spare, None
        if spare is not None and spare.alive():
            return spare
        if spare is not None:
            spare.retire()
        return Spare.fork()

    def pids(self) -> frozenset[int]:
        """The process of the spare waiting now (not part of any session)."""
        return frozenset() if self._spare is None else frozenset({self._spare.pid})

    def discard(self) -> None:
        """Retire the spare (this process changed: the next one is forked from its new state)."""
        if self._spare is not None:
            self._spare.retire()
            self._spare = None


@contextlib.contextmanager
def session(
    job: Job,
    *,
    spares: Spares | None = None,
    emit: Emit | None = None,
    watch: int | None = None,
    tmp_root: str | None = None,
    on_end: Callable[[dict[str, Any]], None] | None = None,
) -> Iterator[SessionResult | None]:
    """Run ``job`` in a spare child of ``spares`` (forked now when None) and give its
    result; None when it asked for a GPU that the child finds missing. What the session
    left is torn down when the ``with`` block ends, after the caller passed the result on.

    ``emit`` receives progress messages (``block_start``) as they come; a message or EOF
    on ``watch`` (the caller's own pipe) stops the session (raising :class:`ParentGone`
    on EOF); ``on_end`` receives the child's last message. With ``spares``, the next
    spare is forked while this session runs, once it has run for :data:`AHEAD_AFTER`.
    """
    started = time.perf_counter()
    own = spares is None
    holder = Spares() if spares is None else spares
    spare = holder.take()
    workdir = tempfile.mkdtemp(prefix="studylog-session-", dir=tmp_root)
    group = _group(job, spare.pid)
    me = os.getpid()
    # What an earlier session left dying (sent SIGKILL, not yet gone) is not this one's.
    earlier = frozenset(procs.descendants(me)) - {spare.pid}
    if not spare.hand(job, workdir):  # it died waiting: the session forks its own
        spare.retire()
        spare = Spare.fork()
        if group is not None:
            group.remove()
            group = _group(job, spare.pid)
        spare.hand(job, workdir)
    limit = job.output_limit
    watcher = _Supervisor(
        job,
        spare.pid,
        spare.msg_fd,
        [Stream(spare.out_fd, limit, spare.token), Stream(spare.err_fd, limit, spare.token)],
        watch,
        emit,
        group,
        earlier,
        holder,
        ahead=None if own else holder.ready,
    )
    spare.msg_fd = spare.out_fd = spare.err_fd = -1  # the supervisor's now
    try:
        outcome = watcher.watch()
        procs.kill_group(spare.pid)  # what the session runs stops now; the rest is teardown
        yield _result(job, outcome, started, on_end, workdir)
    finally:
        # Every process of the session is sent SIGKILL now; the kernel tears them down
        # while the next session runs (its own teardown reaps what is left). The spare
        # forked meanwhile for the next session is not the session's.
        procs.kill_group(spare.pid)
        if group is not None:
            group.remove()
        procs.kill_tree(me, include_root=False, wait=outcome_failed(watcher), keep=holder.pids())
        watcher.close()
        shutil.rmtree(workdir, ignore_errors=True)
        if own:
            holder.discard()


def run_session(job: Job, **options: Any) -> SessionResult | None:
    """Run ``job`` in a child forked now, torn down before this returns (see :func:`session`,
    which takes the same options)."""
    with session(job, **options) as result:
        return result


def _group(job: Job, pid: int) -> SessionCgroup | None:
    """The session's cgroup with ``pid`` (the spare about to run it) in it, before any of its
    code runs; None where cgroups cannot be used (the RSS of its tree is summed instead)."""
    group = SessionCgroup.create(job.memory_limit_mb)
    if group is None:
        return None
    try:
        group.add(pid)
    except OSError:
        group.remove()
        return None
    return group


def _result(
    job: Job,
    outcome: _Outcome,
    started: float,
    on_end: Callable[[dict[str, Any]], None] | None,
    workdir: str,
) -> SessionResult | None:
    if outcome.no_cuda:
        return None
    if on_end is not None and outcome.end is not None:
        on_end(outcome.end)
    blocks = list(outcome.blocks)
    if any(b.error or b.stderr for b in blocks):
        # No path of this machine leaves it: the result goes on a page and into the cache.
        # (Only then: the folders are looked up, a stat per imported package, for texts
        # that may name them, not for every session.)
        folders = frames.roots([workdir])
        blocks = [
            dataclasses.replace(
                b,
                error=frames.shorten(b.error, folders),
                stderr=frames.shorten(b.stderr, folders) or "",
            )
            for b in blocks
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
        spares: Spares | None = None,
        ahead: Callable[[], None] | None = None,
    ) -> None:
        self.group = group
        self.earlier = earlier
        self.spares = spares if spares is not None else Spares()
        self.ahead = ahead  # forks the next spare, once this session has run a while
        self.began = time.monotonic()
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
        self.unmapped_mb = 0
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
            if self.ahead is not None:
                self._fork_ahead()
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

    def _fork_ahead(self) -> None:
        """Fork the next session's spare while this one computes and the worker would only
        wait: not in a session's first moments (a short session would wait for the fork)."""
        if self.ahead is not None and time.monotonic() - self.began >= AHEAD_AFTER:
            ahead, self.ahead = self.ahead, None
            ahead()

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
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == UNSANDBOXED:
            self.outcome.device = ""  # its code never ran (so it is not stored either)
            return _Fault(
                "crashed",
                "the session was not run: sandbox: strict, and this machine enforces the "
                "sandbox only in part (its stderr says what is missing)",
            )
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
            others = self.earlier | self.spares.pids()
            self.tree = [p for p in procs.descendants(os.getpid()) if p not in others]
            self.tree_at = now + TREE_EVERY
            # Memory no process has resident: memfd files, and the session's private
            # /tmp and /dev/shm (its sandbox's tmpfs).
            self.unmapped_mb = procs.memfd_mb(self.tree or [self.pid]) + procs.private_mounts_mb(
                self.pid, SCRATCH
            )
        used = procs.rss_mb(self.tree or [self.pid]) + self.unmapped_mb
        if used > self.limit_mb:
            raise _Fault("memory", self._over(used))

    def _over(self, used: int) -> str:
        return (
            f"the session used {used:,} MiB (its child processes, memfd files and private "
            f"/tmp and /dev/shm included), over the "
            f"memory limit of {self.limit_mb or 0:,} MiB, and was stopped"
        )

    # -- the end ----------------------------------------------------------------------------

    def _fail(self, kind: str, reason: str) -> None:
        procs.kill_group(self.pid)
        procs.kill_tree(os.getpid(), include_root=False, keep=self.spares.pids())
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
