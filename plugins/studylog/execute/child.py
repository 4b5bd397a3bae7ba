"""One session in a process of its own, forked from a warm worker (worker side).

The worker forks this child *ahead* of its session (a spare, see
:class:`studylog.execute.isolate.Spare`), so the fork and everything here that does not
depend on the job are paid while the worker waits, not while a session does.
:func:`spare` runs in the forked child and never returns: it cuts the child off from
the worker (own process group, death with its parent, fds 1 and 2 on the
supervisor's pipes, every other fd closed), then waits for its one job. Once the job
is in, :func:`_enter` fits the process to it (its temporary folder as cwd and
``TMPDIR``, its torch threads) before any of its code runs; then the session's blocks
run in a fresh namespace and the child ends with ``os._exit``. Nothing the session
does to the process (patched builtins, closed streams, threads, signal alarms,
environment, torch defaults) outlives it. Messages go through :mod:`protocol`'s
private references and carry the sender's pid, so a process the session forks
cannot speak for it.
"""

from __future__ import annotations

import builtins
import os
import random
import signal
import sys
import tempfile
from typing import Any, NoReturn

from studylog.execute import procs, protocol
from studylog.execute.capture import marker
from studylog.execute.job import Job

SEED = 0
BROKEN = 70  # the exit status of a session that could not report (it broke the pipe)
UNSANDBOXED = 71  # the exit status of a session refused for a sandbox not in full force
_getpid = os.getpid
_write = os.write
_exit = os._exit


def spare(
    *, job_fd: int, msg_fd: int, out_fd: int, err_fd: int, token: str, parent: int
) -> NoReturn:
    """Wait in this freshly forked child for one job on ``job_fd``, run it, report on
    ``msg_fd``, and exit (at once, quietly, when the worker closes ``job_fd`` first)."""
    try:
        _isolate(job_fd, msg_fd, out_fd, err_fd, parent)
        received = _receive(job_fd)
        if received is None:
            _exit(0)  # retired unused: the worker closed the pipe or went away
        job, workdir = received
        _enter(job, workdir)
        _run(job, msg_fd, token)
        code = 0
    except _Unsandboxed as exc:
        code = UNSANDBOXED
        _say(f"\nstudylog: {exc}\n")
    except BaseException as exc:  # the session broke what studylog needs (or a bug here)
        code = BROKEN
        _say(f"\nstudylog: the session cannot report its result: {exc!r}\n")
    _exit(code)


class _Unsandboxed(Exception):
    """``sandbox: strict``, and the kernel refused part of the sandbox."""


def _say(text: str) -> None:
    try:  # noqa: SIM105 - on the block's stderr, which the supervisor keeps
        _write(2, text.encode("utf-8", "replace"))
    except OSError:
        pass


def _isolate(job_fd: int, msg_fd: int, out_fd: int, err_fd: int, parent: int) -> None:
    for sig in (signal.SIGTERM, signal.SIGUSR1, signal.SIGALRM):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setpgid(0, 0)  # its own group, so the session's children are killed with it
    procs.die_with_parent()
    if os.getppid() != parent:  # the worker died before the line above took effect
        _exit(1)
    os.dup2(out_fd, 1)
    os.dup2(err_fd, 2)
    # Every other fd it inherited goes: the worker's pipes to its parent (a session must
    # not be able to write there), the supervisor's ends, whatever the worker's caller had.
    low, high = sorted((job_fd, msg_fd))
    os.closerange(3, low)
    os.closerange(low + 1, high)
    os.closerange(high + 1, max(high + 1, _max_fd()))


def _receive(job_fd: int) -> tuple[Job, str] | None:
    """The one job the worker hands this child, and its folder; None when the pipe closes
    first. The pipe is closed after it: no second job can come."""
    from studylog.execute.schema import job_from

    try:
        message = protocol.recv(job_fd)
    except protocol.Closed:
        return None
    finally:
        os.close(job_fd)
    workdir = message.get("workdir")
    if message.get("op") != "job" or not isinstance(workdir, str):
        raise protocol.Malformed("not a job")
    return job_from(message.get("job")), workdir


def _enter(job: Job, workdir: str) -> None:
    """Fit this process to its job, before any of the job's code runs: the one place where
    what depends on the job is applied to the session's process. Its folder, then its
    sandbox, then its torch threads (a user namespace is entered by one thread only)."""
    os.chdir(workdir)
    os.environ["TMPDIR"] = workdir  # the session's temporary files go where they are removed
    tempfile.tempdir = workdir
    _sandbox(job, workdir)
    if job.threads > 0:
        import torch

        torch.set_num_threads(job.threads)


def _sandbox(job: Job, workdir: str) -> None:
    """Confine this process before any code of the session runs (:mod:`confine`)."""
    if job.sandbox == "off":
        return
    from studylog.execute import confine
    from studylog.execute.sandbox import partial_note

    applied = confine.enter(workdir, network=job.network, memory_mb=job.memory_limit_mb)
    if job.sandbox == "strict" and not applied.complete:
        raise _Unsandboxed(partial_note(applied, job.sandbox))


def _max_fd() -> int:
    try:
        return int(os.sysconf("SC_OPEN_MAX"))
    except (ValueError, OSError):
        return 65536


def _run(job: Job, msg_fd: int, token: str) -> None:
    import torch

    from studylog.execute.cell import Sources, run_block

    def send(message: dict[str, Any]) -> None:
        message["pid"] = _getpid()  # a process the session forked reports its own pid
        protocol.send(msg_fd, message)

    end = marker(token)

    def end_output() -> None:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            try:
                if stream is not None:
                    stream.flush()
            except BaseException:  # a stream user code closed or replaced
                pass
        # try/except rather than contextlib.suppress here: user code may patch contextlib.
        for fd in (1, 2):
            try:  # noqa: SIM105
                _write(fd, end)
            except OSError:
                pass  # the block closed its fd: the supervisor takes what it has

    device = job.device
    where = "cpu"
    if device.startswith("cuda"):
        # CUDA is first touched here, in the child: the worker it was forked from never
        # initialises it (CUDA cannot be used in a child forked after that).
        if getattr(torch.cuda, "_is_in_bad_fork", lambda: False)():
            raise RuntimeError(
                "CUDA was initialised in the worker this session was forked "
                "from, so the session cannot use it"
            )
        if not torch.cuda.is_available():
            send({"op": "session_end", "device": "cpu", "no_cuda": True})
            return
        index = torch.device(device).index or 0
        torch.cuda.set_device(index)
        where = f"cuda:{index} {torch.cuda.get_device_name(index)}"
    random.seed(SEED)  # numpy's and torch's generators come seeded from the worker
    namespace: dict[str, Any] = {
        "__name__": "__main__",
        "__builtins__": builtins,
        "DEVICE": torch.device(device),
        "torch": torch,  # short blocks (the README's example) use it without importing
    }
    sources = Sources()
    for index, block in enumerate(job.blocks):
        send({"op": "block_start", "index": index})
        result = run_block(block, namespace, sources=sources, end_output=end_output)
        send({"op": "block_end", "index": index, "result": result})
        if result["status"] == "failed":
            break  # later blocks would run against broken state
    warm = [name for name in WARMABLE if name in sys.modules]
    send({"op": "session_end", "device": where, "modules": warm})


# Libraries a session may import that the worker then imports itself, so later
# sessions inherit them (matplotlib is left out of the worker's start, where a
# session without plots would wait for it).
WARMABLE = ("matplotlib.pyplot", "pandas")
