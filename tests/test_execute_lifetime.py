"""Nothing outlives the build: however ``mkdocs build`` or ``studylog run`` is stopped, no
worker, session or process a session started is left, nor any temporary folder; one
Ctrl+C stops them at once with a line, not a traceback.

Each test starts a real build of a one-log site whose snippet starts a child in a
session of its own and then spins; the processes are found by a tag in their
environment, which every process of the build inherits.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

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
