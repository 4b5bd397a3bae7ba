"""Measure one build, or one ``mkdocs serve`` rebuild, in a fresh process.

Wall time is taken here around the whole process (interpreter start and imports
included, as a user waits for them). Memory comes from two places:

* ``bench/_child.py`` runs the tool in-process and records ``RUSAGE_SELF``
  (the MkDocs process's own peak) and ``RUSAGE_CHILDREN`` (its largest child);
* a sampler here walks the process tree through ``/proc/PID/task/*/children``
  every ``SAMPLE_S`` seconds and records the peak of the tree's summed RSS
  (the MkDocs process plus every worker or kernel alive at that moment).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHILD = Path(__file__).with_name("_child.py")
SAMPLE_S = 0.2
# Pause before each serve edit: the polling observer needs its first snapshot, and the
# rebuild of one edit must be over (with its files settled) before the next.
SETTLE_S = 1.0
BUILDING = r"Building documentation"
BUILT = r"Reloading browsers|error happened"  # the end of a rebuild (not of the first build)
PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024


@dataclass(frozen=True)
class Measurement:
    ok: bool
    wall_s: float
    self_mib: float | None = None  # peak RSS of the measured process itself
    children_mib: float | None = None  # peak RSS of its largest child process
    tree_mib: float | None = None  # peak of the summed RSS of the whole process tree
    detail: dict[str, Any] = field(default_factory=dict)
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "wall_s": round(self.wall_s, 4),
            "self_mib": _round(self.self_mib),
            "children_mib": _round(self.children_mib),
            "tree_mib": _round(self.tree_mib),
            "detail": self.detail,
            "error": self.error,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                kids += [int(p) for p in f.read().split()]
    return kids


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


class TreeSampler(threading.Thread):
    """Peak summed RSS of a process and its descendants, sampled."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_tree = 0
        self.peak_child = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(SAMPLE_S):
            total, stack = _rss(self.pid), _children(self.pid)
            while stack:
                pid = stack.pop()
                rss = _rss(pid)
                total += rss
                self.peak_child = max(self.peak_child, rss)
                stack += _children(pid)
            self.peak_tree = max(self.peak_tree, total)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    for key, value in (extra or {}).items():
        # Prepended: a baseline revision's package must win over the installed one.
        env[key] = os.pathsep.join(v for v in (value, env.get(key, "")) if v)
    env["PYTHONUNBUFFERED"] = "1"  # serve's log lines must arrive as they are written
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's banner: noise in every captured log
    # A user's Python caches bytecode; without it an editable install (studylog here)
    # would be recompiled on every build while site-packages keep their .pyc files.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _finish(rusage: Path, sampler: TreeSampler, wall: float, ok: bool, **kw: Any) -> Measurement:
    sampler.stop()
    own = kids = None
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(rusage.read_text(encoding="utf-8"))
        own, kids = data["self_kib"] / 1024, data["children_kib"] / 1024
    sampled_child = sampler.peak_child / MIB or None
    children = max(filter(None, (kids, sampled_child)), default=None)
    return Measurement(
        ok=ok,
        wall_s=wall,
        self_mib=own,
        children_mib=children,
        tree_mib=sampler.peak_tree / MIB or None,
        **kw,
    )


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def run_command(
    mode: str,
    args: list[str],
    cwd: Path,
    timeout: float,
    env: Mapping[str, str] | None = None,
    prefix: Sequence[str] = (),
) -> Measurement:
    """Run ``mkdocs ARGS`` (mode ``mkdocs``) or ``python ARGS`` (mode ``script``) once.
    ``prefix`` is a command that execs the rest (``ip netns exec NAME``: the process keeps
    its pid, so the sampler still follows it)."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        rusage, log = Path(tmp) / "rusage.json", Path(tmp) / "output.log"
        argv = [*prefix, sys.executable, str(CHILD), str(rusage), mode, *args]
        with open(log, "w+b") as out:
            start = time.perf_counter()
            proc = subprocess.Popen(
                argv,
                cwd=cwd,
                env=_env(env),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            sampler = TreeSampler(proc.pid)
            sampler.start()
            try:
                rc = proc.wait(timeout=timeout)
                error = ""
            except subprocess.TimeoutExpired:
                _kill_group(proc)
                rc, error = -1, f"timed out after {timeout:.0f} s"
            wall = time.perf_counter() - start
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # leftovers must not skew the next run
            out.seek(0)
            text = out.read().decode("utf-8", "replace")
        if rc != 0 and not error:
            last = _tail(text, 1)
            error = f"exit status {rc}: {last}\n{_tail(text)}"
        return _finish(rusage, sampler, wall, rc == 0, error=error)


def _kill_group(proc: subprocess.Popen[Any]) -> None:
    # The measured process leads its own session; workers it left behind go with it.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


class _Lines(threading.Thread):
    """Collects a process's output lines with the time each arrived."""

    def __init__(self, stream: Any) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.lines: list[tuple[float, str]] = []
        self.cond = threading.Condition()

    def run(self) -> None:
        for raw in self.stream:
            with self.cond:
                self.lines.append((time.perf_counter(), raw.rstrip("\n")))
                self.cond.notify_all()
        with self.cond:
            self.lines.append((time.perf_counter(), "<eof>"))
            self.cond.notify_all()

    def wait_for(self, pattern: str, start: int, timeout: float) -> tuple[int, float, str] | None:
        """First line at or after index ``start`` matching ``pattern``, or None."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        index = start
        with self.cond:
            while True:
                while index < len(self.lines):
                    at, line = self.lines[index]
                    if regex.search(line):
                        return index, at, line
                    if line == "<eof>":
                        return None
                    index += 1
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def count(self, pattern: str) -> int:
        with self.cond:
            return self.count_unlocked(pattern)

    def wait_idle(self, quiet: float, timeout: float) -> None:
        """Wait until no build is running and nothing was logged for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.cond:
                last = self.lines[-1][0] if self.lines else 0.0
                # The first build logs no reload; "Documentation built" cannot count builds,
                # as mkdocs drops a repeated message (same seconds) from its build logger.
                busy = self.count_unlocked(BUILDING) - 1 > self.count_unlocked(BUILT)
            if not busy and time.perf_counter() - last >= quiet:
                return
            time.sleep(0.05)
        raise _ServeError(f"mkdocs serve did not settle within {timeout:.0f} s")

    def count_unlocked(self, pattern: str) -> int:
        regex = re.compile(pattern)
        return sum(1 for _, line in self.lines if regex.search(line))

    def text(self) -> str:
        with self.cond:
            return "\n".join(line for _, line in self.lines if line != "<eof>")


def run_serve(
    cwd: Path,
    edits: Sequence[Callable[[], object]],
    timeout: float,
    env: Mapping[str, str] | None = None,
    prefix: Sequence[str] = (),
) -> Measurement:
    """Start ``mkdocs serve``, apply each edit in turn once it is watching, time the rebuilds.

    ``wall_s`` is the last rebuild as mkdocs logs it: from its "Building documentation"
    line after the edit to its "Reloading browsers" line. With two edits the last one
    meets whatever the first rebuild left warm (studylog's worker pool), the first one
    what a user's first edit after starting serve meets; both are in ``detail``, with
    the wait a user sees (edit to reload, including the watcher's 0.5 s polling), the
    seconds mkdocs itself reports, and the initial build.
    """
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        rusage = Path(tmp) / "rusage.json"
        argv = [*prefix, sys.executable, str(CHILD), str(rusage), "mkdocs", "serve"]
        argv += ["-a", f"127.0.0.1:{_free_port()}"]
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=_env(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )
        sampler = TreeSampler(proc.pid)
        sampler.start()
        lines = _Lines(proc.stdout)
        lines.start()
        detail: dict[str, Any] = {"rebuilds": []}
        error = ""
        wall = 0.0
        try:
            served = lines.wait_for(r"Serving on ", 0, timeout)
            if served is None:
                raise _ServeError("mkdocs serve did not start")
            detail["initial_s"] = round(served[1] - start, 3)
            for edit in edits:
                lines.wait_idle(SETTLE_S, timeout)
                wall, one = _timed_rebuild(lines, edit, timeout)
                detail["rebuilds"].append(one)
            detail.update(detail["rebuilds"][-1])
            # mkdocs often rebuilds a second time after an edit (its polling watcher reports
            # the file again); let that finish so stopping does not interrupt a build.
            lines.wait_idle(SETTLE_S, timeout)
            detail["builds_logged"] = lines.count(BUILDING)
        except _ServeError as e:
            error = f"{e}: {_tail(lines.text(), 1)}\n{_tail(lines.text())}"
        finally:
            if not _stop_serve(proc):
                detail["killed"] = "did not stop within 60 s of Ctrl+C"
            lines.join(timeout=5)
        return _finish(rusage, sampler, wall, not error, detail=detail, error=error)


class _ServeError(Exception):
    pass


def _timed_rebuild(
    lines: _Lines, edit: Callable[[], object], timeout: float
) -> tuple[float, dict[str, Any]]:
    mark = len(lines.lines)
    edited_at = time.perf_counter()
    edit()
    building = lines.wait_for(BUILDING, mark, timeout)
    if building is None:
        raise _ServeError("no rebuild logged after the edit")
    reloaded = lines.wait_for(BUILT, building[0], timeout)
    if reloaded is None or "error" in reloaded[2]:
        raise _ServeError("the rebuild after the edit did not finish")
    one: dict[str, Any] = {
        "rebuild_s": round(reloaded[1] - building[1], 3),
        "wait_s": round(reloaded[1] - edited_at, 3),
    }
    built = lines.wait_for(r"Documentation built in ([\d.]+) seconds", mark, 0)
    reported = re.search(r"([\d.]+) seconds", built[2]) if built else None
    if reported:
        one["reported_s"] = float(reported.group(1))
    return reloaded[1] - building[1], one


def _stop_serve(proc: subprocess.Popen[Any]) -> bool:
    """Stop serve as a user does (Ctrl+C); False when it had to be killed."""
    # SIGINT is how a user stops serve: plugins get on_shutdown and stop their workers.
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return False
    # Anything the tool failed to stop goes too, so it cannot skew the next measurement.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    return True


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
