"""Processes as a tree: finding a session's descendants, measuring and killing them.

Used on both sides: a worker kills and measures the processes of the session it
supervises, and the parent cleans up after a worker it had to kill. Linux's
``/proc`` is read directly (``/proc/PID/task/TID/children`` when the kernel has
it, else every ``/proc/PID/stat``), so no dependency is needed.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import time
from collections.abc import Collection, Iterable

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _prctl(option: int, value: int) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(option, value, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False  # not Linux: the pipes' EOF is then the only line


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send ``sig`` to this process when its parent dies."""
    return _prctl(_PR_SET_PDEATHSIG, int(sig))


def adopt_orphans() -> bool:
    """Become the reaper of orphaned descendants (a session's ``start_new_session`` or
    double-forked children come back here instead of to init), so none escapes the kill."""
    return _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def _children_map() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                data = stat.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields follow the last ")".
        fields = data[data.rindex(b")") + 2 :].split()
        tree.setdefault(int(fields[1]), []).append(int(name))
    return tree


def _direct_children(pid: int) -> list[int] | None:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found: list[int] = []
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as handle:
                found.extend(int(p) for p in handle.read().split())
        except FileNotFoundError:
            return None  # the kernel does not list children: scan /proc instead
        except OSError:
            continue
    return found


def descendants(pid: int) -> list[int]:
    """Every living descendant of ``pid`` (not ``pid`` itself), parents before children."""
    if not os.path.isdir("/proc"):
        return []
    first = _direct_children(pid)
    if first is None:
        tree = _children_map()
        order, todo = [], list(tree.get(pid, ()))
        while todo:
            child = todo.pop(0)
            order.append(child)
            todo.extend(tree.get(child, ()))
        return order
    order, todo = [], first
    while todo:
        child = todo.pop(0)
        order.append(child)
        todo.extend(_direct_children(child) or ())
    return order


def rss_mb(pids: Iterable[int]) -> int:
    """The resident memory of ``pids`` together, in MiB (processes gone meanwhile count 0)."""
    pages = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as statm:
                pages += int(statm.read().split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return (pages * _PAGE) >> 20


def memfd_mb(pids: Iterable[int]) -> int:
    """The memory held in ``memfd`` files that ``pids`` have open, in MiB: pages written
    there are not resident memory of any process until mapped, so RSS misses them."""
    seen: set[tuple[int, int]] = set()
    used = 0
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            path = f"/proc/{pid}/fd/{fd}"
            try:
                if not os.readlink(path).startswith("/memfd:"):
                    continue
                info = os.stat(path)
            except OSError:
                continue
            if (info.st_dev, info.st_ino) not in seen:
                seen.add((info.st_dev, info.st_ino))
                used += info.st_blocks * 512
    return used >> 20


def private_mounts_mb(pid: int, paths: Iterable[str]) -> int:
    """What the files in ``pid``'s own mounts at ``paths`` (tmpfs of its sandbox, which
    live in memory) use, in MiB; a path where it sees the same filesystem as this process
    is not its own and counts 0."""
    used = 0
    for path in paths:
        theirs = f"/proc/{pid}/root{path}"
        try:
            if os.stat(theirs).st_dev == os.stat(path).st_dev:
                continue
            fs = os.statvfs(theirs)
        except OSError:
            continue
        used += (fs.f_blocks - fs.f_bfree) * fs.f_frsize
    return used >> 20


def kill(pids: Iterable[int]) -> None:
    """SIGKILL each of ``pids`` (those already gone are skipped)."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def kill_group(pgid: int) -> None:
    """SIGKILL the process group ``pgid`` (nothing when it is gone)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def reap(pids: Iterable[int]) -> None:
    """Collect the exit status of those of ``pids`` that are our children and have died."""
    for pid in pids:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)


def kill_tree(
    root: int,
    *,
    include_root: bool,
    limit: float = 5.0,
    wait: bool = True,
    keep: Collection[int] = (),
) -> None:
    """SIGKILL the descendants of ``root`` (and ``root`` when asked), again until none is
    left, so a process forking while it is being killed cannot outrun the loop; the dead
    that are ``root``'s children (orphans it adopted included) are reaped. ``wait=False``
    signals them once and returns (the kernel finishes; a later call reaps). ``keep``:
    children of ``root`` that are spared (a worker's spare child, which has none)."""
    until = time.monotonic() + limit
    while True:
        found = [p for p in descendants(root) if p not in keep]
        if include_root:
            found.insert(0, root)
        living = [p for p in found if alive(p)]
        kill(living)
        reap(found)
        if not living or not wait or time.monotonic() >= until:
            return
        time.sleep(0.002)


def alive(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            data = stat.read()
    except OSError:
        return False
    state = data[data.rindex(b")") + 2 : data.rindex(b")") + 3]
    return state not in (b"Z", b"X")


def exit_reason(status: int, who: str = "the session") -> str:
    """What a ``waitpid`` status says, in words: a signal's name, or the exit status."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            return f"{who} was killed by signal {number}"
        return f"{who} was killed by {name} ({signal.strsignal(number) or name})"
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else status
    return f"{who} exited with status {code} (os._exit or a C-level exit)"
