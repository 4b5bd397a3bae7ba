"""The cgroup v2 path, where the machine lets a worker make one (skipped elsewhere)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from studylog.execute.cgroup import SessionCgroup


@pytest.fixture()
def group() -> SessionCgroup:
    made = SessionCgroup.create(256)
    if made is None:
        pytest.skip("no cgroup v2 with the memory controller handed down here")
    return made


def test_a_process_in_the_group_is_counted_capped_and_killed(group: SessionCgroup) -> None:
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; sys.stdin.read(1); hog = b'x' * (512 << 20); time.sleep(30)",
        ],
        stdin=subprocess.PIPE,
    )
    (group.path / "cgroup.procs").write_text(str(child.pid))
    assert child.pid in group.pids()
    assert child.stdin is not None
    child.stdin.write(b"x")
    child.stdin.close()
    assert child.wait(timeout=30) == -9  # the kernel stopped it at memory.max
    assert group.oom_killed()
    group.remove()
    assert not group.path.exists()
