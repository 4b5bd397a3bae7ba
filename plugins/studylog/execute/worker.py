"""A worker process: imports torch once, then serves sessions.

Started by :class:`studylog.execute.pool.Pool` as
``python -m studylog.execute.worker IN_FD OUT_FD``. Messages (see
``protocol``) arrive on IN_FD and leave on OUT_FD; fds 1 and 2 are reserved
for the user code's output. Each session gets a fresh namespace with
``DEVICE``, seeds set and its own temporary working directory.
"""

from __future__ import annotations

import builtins
import gc
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from typing import Any

from studylog.execute import protocol

SEED = 0


def main(argv: list[str]) -> int:
    in_fd, out_fd = int(argv[0]), int(argv[1])
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a segfault must not litter cores
    except (ImportError, ValueError, OSError):
        pass
    try:
        torch = _import_stack()
    except BaseException:
        protocol.send(out_fd, {"op": "fatal", "error": traceback.format_exc()})
        return 1
    sys.stdout.reconfigure(line_buffering=True, errors="backslashreplace")  # type: ignore[union-attr]
    sys.stderr.reconfigure(line_buffering=True, errors="backslashreplace")  # type: ignore[union-attr]
    # What is alive now (torch, numpy, matplotlib) lives as long as the worker: freeze
    # it, so the full collection after every session does not rescan it (~0.1 s each).
    gc.collect()
    gc.freeze()
    names = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    protocol.send(out_fd, {"op": "ready", "pid": os.getpid(), "cuda": names,
                           "threads": torch.get_num_threads()})
    home = os.getcwd()
    while True:
        try:
            message = protocol.recv(in_fd)
        except protocol.Closed:
            return 0  # the parent went away
        if message.get("op") != "session":
            return 0
        serve_session(message, torch, out_fd, home)


def _import_stack() -> Any:
    # matplotlib is imported by the first block that plots (not here: ~0.2 s that a
    # session without plots would wait for); it starts on the non-interactive backend.
    os.environ["MPLBACKEND"] = "Agg"
    import numpy  # noqa: F401
    import torch

    threads = int(os.environ.get("STUDYLOG_THREADS", "0"))
    if threads > 0:
        torch.set_num_threads(threads)
    return torch


def serve_session(message: dict[str, Any], torch: Any, out_fd: int, home: str) -> None:
    import numpy as np

    from studylog.execute.cell import Sources, run_block

    device = message["device"]
    if device.startswith("cuda") and not torch.cuda.is_available():
        protocol.send(out_fd, {"op": "session_end", "device": "cpu", "no_cuda": True})
        return
    if device.startswith("cuda"):
        torch.cuda.set_device(torch.device(device))
        index = torch.device(device).index or 0
        where = f"cuda:{index} {torch.cuda.get_device_name(index)}"
    else:
        where = "cpu"
    workdir = tempfile.mkdtemp(prefix="studylog-session-")
    os.chdir(workdir)
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)  # seeds every CUDA device too
    torch.set_grad_enabled(True)
    namespace: dict[str, Any] = {
        "__name__": "__main__", "__builtins__": builtins, "DEVICE": torch.device(device),
        "torch": torch,  # short blocks (the README's example) use it without importing
    }
    sources = Sources()
    sys_path = list(sys.path)
    try:
        for index, block in enumerate(message["blocks"]):
            protocol.send(out_fd, {"op": "block_start", "index": index, "time": time.time()})
            result = run_block(block, namespace, output_limit=message["output_limit"],
                               sources=sources)
            protocol.send(out_fd, {"op": "block_end", "index": index, "result": result})
            if result["status"] == "failed":
                break  # later blocks would run against broken state
    finally:
        namespace.clear()
        sources.clear()
        sys.path[:] = sys_path
        os.chdir(home)
        shutil.rmtree(workdir, ignore_errors=True)
        gc.collect()
        gc.freeze()  # modules the session imported stay loaded: keep them out of later scans
        if device.startswith("cuda"):
            torch.cuda.empty_cache()
    protocol.send(out_fd, {"op": "session_end", "device": where})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
