"""A worker process: imports and warms torch once, then forks one child per session.

Started by :class:`studylog.execute.pool.Pool` as
``python -m studylog.execute.worker IN_FD OUT_FD PARENT_PID SANDBOX``. Messages (see
``protocol``) arrive on IN_FD and leave on OUT_FD. The worker itself never runs
user code: it is the warm template each session is forked from
(:func:`studylog.execute.isolate.session`), so a session that crashes, times
out or spoils its process costs a fork, not a torch import. The fork is made ahead:
one spare child waits for the next session (forked before the worker says it is
ready, then while each session runs or just after it), so a session starts on a
child that is already there.

It never outlives the build: the parent's death closes IN_FD (EOF) and sends the
signal asked for with ``PR_SET_PDEATHSIG``; either way the worker kills the
session it runs, removes its temporary folders and exits.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import signal
import sys
import tempfile
import traceback
from types import FrameType
from typing import Any

from studylog.execute import procs, protocol
from studylog.execute.child import SEED

# The worker's own temporary folder (each session gets one inside it) and pid, for the
# signal handlers below.
_root = ""
_pid = 0
_parent = 0


def main(argv: list[str]) -> int:
    """Serve sessions on the pipes ``argv`` names until the parent goes; the exit status."""
    global _root, _pid, _parent
    in_fd, out_fd, _parent = int(argv[0]), int(argv[1]), int(argv[2])
    mode = argv[3] if len(argv) > 3 else "on"
    _pid = os.getpid()
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGUSR1, _parent_died)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    procs.die_with_parent(signal.SIGUSR1)
    if os.getppid() != _parent:
        return 0  # the parent died before the line above took effect
    procs.adopt_orphans()
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a segfault must not litter cores
    except (ImportError, ValueError, OSError):
        pass
    applied = None
    if mode != "off":
        # What this machine lets a session's sandbox hold, learnt once in a small child
        # (before torch is imported, so the fork is cheap); said once by the build.
        from studylog.execute import confine
        from studylog.execute.sandbox import partial_note

        applied = confine.probe()
        if mode == "strict" and not applied.complete:
            protocol.send(out_fd, {"op": "unsandboxed", "error": partial_note(applied, mode)})
            return 1
    try:
        torch = _import_stack()
    except BaseException:
        protocol.send(out_fd, {"op": "fatal", "error": traceback.format_exc()})
        return 1
    sys.stdout.reconfigure(line_buffering=True, errors="backslashreplace")  # type: ignore[union-attr]
    sys.stderr.reconfigure(line_buffering=True, errors="backslashreplace")  # type: ignore[union-attr]
    _root = tempfile.mkdtemp(prefix="studylog-worker-")
    _seed(torch)
    _freeze()
    ready = {
        "op": "ready",
        "pid": _pid,
        "tmp": _root,
        "threads": torch.get_num_threads(),
        "sandbox": applied.as_data() if applied is not None else None,
    }
    try:
        code = _serve(in_fd, out_fd, ready)
    except OSError:  # the parent's end of a pipe is gone (it died while we reported)
        code = 0
    # The parent closed the pipe (or died): nothing to keep, and torch's interpreter
    # shutdown takes seconds, so clean up and leave at once.
    _cleanup_and_exit(code)
    return code


def _serve(in_fd: int, out_fd: int, ready: dict[str, Any]) -> int:
    from studylog.execute.isolate import ParentGone, Spares, session
    from studylog.execute.schema import Invalid, as_data, job_from

    def emit(message: dict[str, Any]) -> None:
        protocol.send(out_fd, message)

    warm: list[str] = []
    spares = Spares()
    spares.ready()  # the first session's child, forked before the worker says it is ready
    emit(ready)
    while True:
        try:
            message = protocol.recv(in_fd)
        except (protocol.Closed, protocol.Malformed):
            return 0  # the parent went away
        op = message.get("op")
        if op == "stop":
            continue  # for a session that ended meanwhile
        if op != "session":
            return 0
        try:
            task = job_from(message.get("job"))
        except Invalid as exc:  # a bug in studylog: said, and the worker stays
            emit({"op": "refused", "error": f"the worker was sent a malformed job ({exc})"})
            continue
        try:
            with session(
                task,
                spares=spares,
                emit=emit,
                watch=in_fd,
                tmp_root=_root,
                on_end=lambda end: warm.extend(_names(end.get("modules"))),
            ) as result:
                # The result goes back first; the session is torn down after it.
                if result is None:
                    emit({"op": "no_cuda"})
                else:
                    emit({"op": "result", "result": as_data(result)})
        except ParentGone:
            return 0
        if warm:
            spares.discard()  # forked before the import: the next one inherits it
            _warm(warm)
            warm.clear()
            _seed(sys.modules["torch"])
        spares.ready()


def _import_stack() -> Any:
    # matplotlib is imported when a session first plots (see _warm): ~0.2 s that sessions
    # without plots would wait for. It starts on the non-interactive backend.
    os.environ["MPLBACKEND"] = "Agg"
    import numpy  # noqa: F401
    import torch

    # What each session's child runs its blocks with, imported once here, not per child.
    import studylog.execute.cell  # noqa: F401

    # One thread while warming, so no OpenMP pool exists when the worker forks (a child
    # sets its own count); CUDA is never touched here (it cannot be used after a fork).
    torch.set_num_threads(1)
    with contextlib.suppress(Exception):  # a torch lacking one of these still runs sessions
        _warm_torch(torch)
    return torch


def _warm_torch(torch: Any) -> None:
    """One tiny forward pass through the layers study logs use, and one step of the common
    optimizers: what torch sets up on first use (kernels, dispatch, the optimizers'
    imports) is then inherited by every session instead of paid by each (an LSTM's first
    call alone costs a forked session ~50 ms otherwise).

    No backward(): on a machine with GPUs it would start autograd's device threads, and a
    child forked after that cannot use autograd. Gradients are set by hand instead."""
    nn, functional = torch.nn, torch.nn.functional
    layers = [
        (
            nn.Sequential(
                nn.Conv2d(3, 4, 3, padding=1),
                nn.ReLU(),
                nn.MaxPool2d(2),
                nn.BatchNorm2d(4),
                nn.AdaptiveAvgPool2d(1),
                nn.Flatten(),
                nn.Dropout(0.1),
                nn.Linear(4, 2),
            ),
            (torch.randn(2, 3, 8, 8),),
        ),
        (nn.LSTM(3, 4, batch_first=True), (torch.randn(2, 5, 3),)),
        (nn.GRU(3, 4, batch_first=True), (torch.randn(2, 5, 3),)),
        (nn.MultiheadAttention(4, 2, batch_first=True), (torch.randn(2, 3, 4),) * 3),
        (nn.Embedding(10, 4), (torch.tensor([[1, 2]]),)),
        (nn.LayerNorm(4), (torch.randn(2, 4),)),
    ]
    parameters = []
    for layer, inputs in layers:
        out = layer(*inputs)
        out = out[0] if isinstance(out, tuple) else out
        out.float().pow(2).mean()
        parameters += list(layer.parameters())
    functional.cross_entropy(torch.randn(2, 3), torch.tensor([0, 1]))
    functional.mse_loss(torch.randn(2), torch.randn(2))
    for optimizer in (
        torch.optim.SGD(parameters, lr=0.1, momentum=0.9),
        torch.optim.Adam(parameters, lr=0.01),
        torch.optim.AdamW(parameters),
    ):
        for parameter in parameters:
            parameter.grad = torch.ones_like(parameter)
        optimizer.step()
        optimizer.zero_grad()


def _seed(torch: Any) -> None:
    """Seed numpy and torch here, once: every session forked from this worker starts from
    this state (the worker itself draws no random numbers), which costs a session nothing.
    Python's ``random`` is reseeded by Python in each child, so the child seeds it."""
    import numpy as np

    np.random.seed(SEED)
    torch.manual_seed(SEED)  # seeds every CUDA device too, when a child initialises CUDA


def _names(value: object) -> list[str]:
    from studylog.execute.child import WARMABLE

    return [v for v in value if v in WARMABLE] if isinstance(value, list) else []


def _warm(names: list[str]) -> None:
    """Import what a session used (from a fixed list), so later sessions inherit it."""
    import importlib

    for name in names:
        if name not in sys.modules:
            with contextlib.suppress(Exception):  # a session importing it will say why
                importlib.import_module(name)
    _freeze()


def _freeze() -> None:
    # What is alive now lives as long as the worker: frozen, no child's collection
    # touches it (which would also copy its pages).
    gc.collect()
    gc.freeze()


def _cleanup_and_exit(code: int = 0) -> None:
    if os.getpid() != _pid:  # a child that has not reset its handlers yet
        os._exit(1)
    procs.kill_tree(_pid, include_root=False)
    if _root:
        shutil.rmtree(_root, ignore_errors=True)
    os._exit(code)


def _stop(signum: int, frame: FrameType | None) -> None:
    _cleanup_and_exit()


def _parent_died(signum: int, frame: FrameType | None) -> None:
    # PR_SET_PDEATHSIG fires when the *thread* that started this process ends; the parent
    # process may live on. Only a new parent pid means the parent itself is gone.
    if os.getppid() != _parent:
        _cleanup_and_exit()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
