"""Nothing outlives the build: however ``mkdocs build`` or ``studylog run`` is stopped, no
worker, session or process a session started is left, nor any temporary folder; one
Ctrl+C stops them at once with a line, not a traceback.

Each test starts a real build of a one-log site whose snippet starts a child in a
session of its own and then spins; the processes are found by a tag in their
environment, which every process of the build inherits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from studylog.execute import collect_sessions
from studylog.execute.drive import on_worker
from studylog.execute.pool import CLOSE_WAIT, STOP_WAIT, Pool
from studylog.execute.procs import alive, descendants
from studylog.model import Log
from studylog.parse.fences import make_snippet

LOG = """\
# Busy

```python exec="on" timeout="120"
import os, subprocess, sys
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"], start_new_session=True)
print("spinning", flush=True)
while True:
    pass
```
"""


def site(root: Path) -> None:
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "logs").mkdir()
    (root / "logs" / "busy.md").write_text(LOG, encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Lifetime\nplugins:\n  - studylog:\n      jobs: 1\n"
        "      sandbox_env: [STUDYLOG_TEST_TAG]\n",  # through the sandbox, to every process
        encoding="utf-8",
    )


def tagged(tag: str) -> list[int]:
    """Living processes (not zombies) whose environment holds ``tag``."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            environ = Path(f"/proc/{name}/environ").read_bytes()
            state = Path(f"/proc/{name}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if tag.encode() in environ and state != b"Z":
            found.append(int(name))
    return found


def start(tmp_path: Path, command: list[str]) -> tuple[subprocess.Popen[str], str, Path]:
    root = tmp_path / "site"
    root.mkdir()
    site(root)
    tag = uuid.uuid4().hex
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "STUDYLOG_TEST_TAG": tag, "TMPDIR": str(temp)}
    proc = subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 240
    # The build, its worker, the session and the child its code started.
    while len(tagged(tag)) < 4:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"the session never started: {tagged(tag)}"
        time.sleep(0.1)
    return proc, tag, temp


def gone(tag: str, temp: Path, within: float = 5.0) -> tuple[list[int], list[str]]:
    """The tagged processes and studylog temporary folders still there after ``within`` s."""
    deadline = time.monotonic() + within
    while True:
        left = tagged(tag)
        folders = sorted(p.name for p in temp.iterdir() if p.name.startswith("studylog"))
        if (not left and not folders) or time.monotonic() > deadline:
            return left, folders
        time.sleep(0.1)


MKDOCS = [sys.executable, "-m", "mkdocs", "build", "-q"]


@pytest.mark.slow  # a build each; the quick run keeps one Ctrl+C case below
@pytest.mark.parametrize("how", ["TERM", "KILL", "INT-INT"])
def test_stopping_mkdocs_build_leaves_no_process(tmp_path: Path, how: str) -> None:
    proc, tag, temp = start(tmp_path, MKDOCS)
    if how == "INT-INT":
        proc.send_signal(signal.SIGINT)
        time.sleep(0.05)  # a person pressing Ctrl+C twice: the second lands mid-shutdown
        proc.send_signal(signal.SIGINT)
    else:
        proc.send_signal(getattr(signal, f"SIG{how}"))
    proc.communicate(timeout=30)
    left, folders = gone(tag, temp)
    for pid in left:  # do not leave them spinning for the rest of the suite
        os.kill(pid, signal.SIGKILL)
    assert left == []
    assert folders == []


@pytest.mark.parametrize(
    ("command", "line"),
    [
        pytest.param(MKDOCS, "Aborted!", id="mkdocs-build"),
        pytest.param(
            [sys.executable, "-m", "studylog", "run"],
            "studylog: interrupted",
            id="studylog-run",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            [sys.executable, "-m", "mkdocs", "serve", "-a", "127.0.0.1:0"],
            "Aborted!",  # stopped in its first build, where the session spins
            id="mkdocs-serve",
            marks=pytest.mark.slow,
        ),
    ],
)
def test_one_ctrl_c_stops_the_run_with_a_line(
    tmp_path: Path, command: list[str], line: str
) -> None:
    proc, tag, temp = start(tmp_path, command)
    proc.send_signal(signal.SIGINT)
    try:
        # The session spins until its 120 s timeout: ending well before it, the command
        # was stopped by the Ctrl+C (a TimeoutExpired here fails the test).
        _out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    left, folders = gone(tag, temp)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert "Traceback" not in err, err
    assert line in err
    assert proc.returncode != 0
    assert (left, folders) == ([], [])


ESCAPING = """\
import subprocess, sys
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", "{tag}"],
                 start_new_session=True)
while True:
    pass
"""


def test_a_pool_closed_with_wait_has_stopped_what_its_sessions_started(tmp_path: Path) -> None:
    """What a Ray actor does before Ray kills it and its children: close its pool and wait.
    Once ``close(wait=...)`` returns, a busy worker has stopped its session, and a process
    the session started in a session of its own is gone too; a worker killed at that
    moment (Ray kills an actor's children at once) leaves nothing behind."""
    tag = f"studylog-escapee-{uuid.uuid4().hex[:8]}"
    log = Log(
        "logs/busy.md",
        "",
        1,
        snippets=(make_snippet("logs/busy.md", 3, ESCAPING.format(tag=tag), {"exec": "on"}),),
    )
    (session,), _ = collect_sessions([log], project_root=tmp_path)
    pool = Pool(1)
    runner = threading.Thread(target=on_worker, args=(pool, session, "cpu"), daemon=True)
    runner.start()
    deadline = time.monotonic() + 120
    while not processes_with(tag):  # the session started its escapee (the sandbox hides
        assert time.monotonic() < deadline, "the session never started"  # tmp_path)
        time.sleep(0.05)
    workers = [p for p in descendants(os.getpid()) if b"studylog.execute.worker" in cmdline(p)]
    pool.close(wait=STOP_WAIT + CLOSE_WAIT)
    for pid in workers:  # as Ray kills an actor's child processes
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    left = [pid for pid in processes_with(tag) if alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    runner.join(30)
    assert left == []


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def processes_with(tag: str) -> list[int]:
    return [int(n) for n in os.listdir("/proc") if n.isdigit() and tag.encode() in cmdline(int(n))]
