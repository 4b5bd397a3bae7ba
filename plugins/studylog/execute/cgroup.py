"""A cgroup v2 per session, where the machine lets the worker make one (worker side).

A cgroup holds every process a session starts, whatever it does (a new session,
a double fork), so its memory is counted by the kernel (``memory.current``),
capped (``memory.max``: the kernel kills inside the group, nothing outside) and
ended at once (``cgroup.kill``). It is usable only where the worker's own cgroup
already hands the memory controller down (``+memory`` in its
``cgroup.subtree_control``) and is writable: a delegated cgroup, or the root of a
machine or container run as root. Elsewhere :meth:`SessionCgroup.create` returns
None and the supervisor sums the RSS of the session's process tree instead.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import time
from pathlib import Path

MOUNT = Path("/sys/fs/cgroup")
_counter = itertools.count()
_usable: bool | None = None  # decided on the first try, for the worker's lifetime


def _own_dir() -> Path | None:
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith("0::"):
            return MOUNT / line[3:].lstrip("/")
    return None


class SessionCgroup:
    """A cgroup v2 of one session's process tree: memory limit, OOM count, kill."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def create(cls, limit_mb: int | None) -> SessionCgroup | None:
        """A new group under this process's own, limited to ``limit_mb``; None where cgroups cannot
        be used (then never tried again)."""
        global _usable
        if _usable is False:
            return None
        home = _own_dir()
        try:
            if home is None or "memory" not in (home / "cgroup.subtree_control").read_text():
                raise OSError("the memory controller is not handed down here")
            path = home / f"studylog-{os.getpid()}-{next(_counter)}"
            path.mkdir()
            if limit_mb:
                (path / "memory.max").write_text(str(limit_mb << 20))
                with contextlib.suppress(OSError):
                    (path / "memory.swap.max").write_text("0")
        except OSError:
            _usable = False
            return None
        _usable = True
        return cls(path)

    def join(self) -> None:
        """Move the calling process in (the session's child, before user code runs)."""
        (self.path / "cgroup.procs").write_text("0")

    def memory_mb(self) -> int | None:
        """The group's memory now, in MiB (None when unreadable)."""
        try:
            return int((self.path / "memory.current").read_text()) >> 20
        except (OSError, ValueError):
            return None

    def oom_killed(self) -> bool:
        """Whether the kernel killed a process of the group for memory."""
        try:
            for line in (self.path / "memory.events").read_text().splitlines():
                name, _, count = line.partition(" ")
                if name == "oom_kill":
                    return int(count) > 0
        except (OSError, ValueError):
            pass
        return False

    def pids(self) -> list[int]:
        """The processes in the group now."""
        try:
            return [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
        except (OSError, ValueError):
            return []

    def kill(self) -> None:
        """End every process in the group (``cgroup.kill``, or one by one on older kernels)."""
        try:
            (self.path / "cgroup.kill").write_text("1")
        except OSError:
            for pid in self.pids():
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)

    def remove(self) -> None:
        """Kill what is left in the group and remove it."""
        self.kill()
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.01)  # the killed are still leaving
