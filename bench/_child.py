"""Run one measured command in this process and record its peak memory on exit.

Usage: python bench/_child.py RUSAGE_JSON mkdocs ARGS...   (the mkdocs CLI, in-process)
       python bench/_child.py RUSAGE_JSON script PATH ARGS... (a Python script, in-process)

Running the tool inside this process (rather than as its child) lets
``RUSAGE_SELF`` give the peak of the MkDocs process itself, while
``RUSAGE_CHILDREN`` gives the largest of the processes it started and waited for
(studylog's workers, Jupyter kernels). Kept free of imports from ``bench`` so the
measured process loads nothing but the tool.
"""

from __future__ import annotations

import atexit
import json
import resource
import runpy
import signal
import sys


def _record(path: str) -> None:
    # ru_maxrss is in KiB on Linux.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"self_kib": own, "children_kib": children}, f)


def main() -> None:
    out, mode, *rest = sys.argv[1:]
    # A shell without job control starts background commands with SIGINT ignored, and
    # Python then installs no KeyboardInterrupt handler: Ctrl+C must still stop serve.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # This script's folder (bench/) must not shadow modules of the tool being measured.
    sys.path.pop(0)
    # Registered before the tool is imported, so it runs after the tool's own exit
    # handlers (atexit is last-in, first-out) and sees workers reaped at exit too.
    atexit.register(_record, out)
    if mode == "mkdocs":
        sys.argv = ["mkdocs", *rest]
        from mkdocs.__main__ import cli

        cli()
    elif mode == "script":
        sys.argv = rest
        runpy.run_path(rest[0], run_name="__main__")
    else:
        raise SystemExit(f"_child.py: unknown mode {mode!r}")


if __name__ == "__main__":
    main()
