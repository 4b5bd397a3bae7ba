"""Each session starts on a child its worker forked ahead (a spare), used for one session only.

One real worker (jobs=1): while it is idle it keeps one spare child, isolated and
waiting; the next session runs in exactly that process; a session's process is gone
once the next one runs, and no spare is left once the executor is closed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from studylog.execute import LocalExecutor, collect_sessions, run
from studylog.execute.procs import alive, descendants
from studylog.model import Log
from studylog.parse.fences import make_snippet

WHO = "import os\nprint(os.getpid(), os.getppid())\n"


def session(root: Path, name: str) -> list:
    log = Log(
        "logs/spare.md",
        "",
        1,
        snippets=(make_snippet("logs/spare.md", 3, WHO, {"exec": "on", "session": name}),),
    )
    found, _ = collect_sessions([log], project_root=root)
    return found


def spares_of(worker: int, ran: list[int], within: float = 10.0) -> list[int]:
    """The worker's living processes once the sessions that ran are torn down and it has
    forked a new child (its spare)."""
    deadline = time.monotonic() + within
    while True:
        found = [p for p in descendants(worker) if alive(p)]
        if (found and not set(found) & set(ran)) or time.monotonic() > deadline:
            return found
        time.sleep(0.02)


def test_a_session_runs_in_the_child_forked_ahead_and_that_child_runs_no_other(
    tmp_path: Path,
) -> None:
    ran: list[int] = []
    worker = 0
    with LocalExecutor(jobs=1) as executor:
        for n in range(3):
            if n:
                # Idle, the worker holds one spare: a process of its own group, waiting.
                (spare,) = spares_of(worker, ran)
                assert os.getpgid(spare) == spare
            (result,) = run(session(tmp_path, f"s{n}"), project_root=tmp_path, executor=executor)
            assert result.status == "ok", result.blocks[0].error
            pid, parent = (int(v) for v in result.blocks[0].stdout.split())
            if n:
                assert pid == spare  # the session ran in the child that was already there
            else:
                worker = parent
            assert parent == worker
            ran.append(pid)
        assert len(set(ran)) == 3  # one child per session
        # Each session's child ends with its session: the worker is left with a new spare.
        spares = spares_of(worker, ran)
        assert len(spares) == 1
        assert executor.workers_started == 1
    # Only the worker's own: the test process may hold others (a browser of another test).
    deadline = time.monotonic() + 10
    while (left := [p for p in [worker, *spares] if alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left == []  # the worker and its spare are gone with the executor
