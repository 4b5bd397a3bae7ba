"""The snippet executor: sessions of executable blocks run in worker processes.

Stages, all without mkdocs, pytest or torch in the calling process::

    collect_sessions(logs)  ->  run(sessions, cache, pool)  ->  [SessionResult]

* ``sessions`` groups the parsed snippets into sessions and validates options.
* ``cache`` keys a session by its content and environment; hits start no worker.
* ``pool`` owns the worker processes (``worker``, ``cell``, ``capture`` run inside them).
* ``runner`` schedules sessions on the pool and turns faults into results.
"""

from __future__ import annotations

from studylog.execute.cache import DEFAULT_DIR, Cache
from studylog.execute.pool import Pool
from studylog.execute.results import (
    FAILURES,
    Block,
    BlockOptions,
    BlockResult,
    Session,
    SessionResult,
)
from studylog.execute.runner import run
from studylog.execute.sessions import collect_sessions

__all__ = [
    "DEFAULT_DIR",
    "FAILURES",
    "Block",
    "BlockOptions",
    "BlockResult",
    "Cache",
    "Pool",
    "Session",
    "SessionResult",
    "collect_sessions",
    "run",
]
