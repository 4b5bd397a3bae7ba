"""The snippet executor: sessions of executable blocks run in worker processes.

Stages, all without mkdocs, pytest or torch in the calling process::

    collect_sessions(logs)  ->  start(sessions, cache, executor) -> Running  ->  [SessionResult]

* ``sessions`` groups the parsed snippets (options checked by ``parse.fences``) into sessions.
* ``cache`` keys a session by its content and environment; hits start no worker.
* ``pool`` owns the worker processes (``slots`` keeps them, and times their blocks); a
  worker (``worker``) is sent a ``job`` per session, forks one child for it and
  supervises it (``isolate``: output, deadline, memory, cleanup; ``procs`` and
  ``cgroup`` find and kill the session's processes); the child runs the blocks
  (``child``, ``cell``); ``protocol`` carries their messages and ``schema`` checks every
  job and result that crosses a process or comes from the cache.
* ``runner`` starts sessions on an executor (``start`` gives a :class:`Running` handle;
  ``run`` waits for it); ``drive`` talks to one worker and turns its failure into results.
* ``executor`` says what an executor is; ``executors`` is the table of them by name, and
  ``make_executor`` the one way to make one from the settings: this machine's pool
  (``local``) or a Ray cluster (``ray_executor`` on the driver, ``ray_actor`` on the
  nodes, ``ray_connect`` to join one); Ray is imported only when it is chosen.
* ``status`` says what each status means, in words, for every front end.
"""

from __future__ import annotations

from studylog.execute.cache import Cache
from studylog.execute.executor import Executor, ExecutorError
from studylog.execute.executors import make_executor
from studylog.execute.local import LocalExecutor
from studylog.execute.results import (
    FAILURES,
    Block,
    BlockResult,
    Progress,
    Session,
    SessionResult,
)
from studylog.execute.runner import Running, run, start
from studylog.execute.sessions import collect_sessions
from studylog.model import BlockOptions

__all__ = [
    "FAILURES",
    "Block",
    "BlockOptions",
    "BlockResult",
    "Cache",
    "Executor",
    "ExecutorError",
    "LocalExecutor",
    "Progress",
    "Running",
    "Session",
    "SessionResult",
    "collect_sessions",
    "make_executor",
    "run",
    "start",
]
