"""Where sessions run: the :class:`Executor` interface every executor follows.

The runner (:mod:`studylog.execute.runner`) decides *whether* a session runs
(cache, refusals, no GPU) and on what kind of device; an executor decides
*where*: :class:`studylog.execute.local.LocalExecutor` on this machine's worker
pool, :class:`studylog.execute.ray_executor.RayExecutor` on the nodes of a Ray
cluster, each node running the same pool code. Both return the same results,
faults included, so a build's pages and cache entries do not depend on the
executor. Which executors there are, by name, is the table in
:mod:`studylog.execute.executors`; what one must provide to be listed there is
:class:`ExecutorClass`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from studylog.execute.results import Session, SessionResult
from studylog.settings import ExecutorSettings

DeviceKind = Literal["cpu", "cuda"]


class ExecutorError(Exception):
    """The executor cannot run anything (an unreachable cluster, a node set up unlike this
    machine); the message says what to check. Front ends show it as one line."""


class Executor(Protocol):
    """What the runner needs from a place that runs sessions."""

    @property
    def jobs(self) -> int:
        """How many CPU sessions may run at the same time (GPU sessions: one per GPU)."""

    @property
    def workers_started(self) -> int:
        """Workers (or actors) started so far, replacements included."""

    def gpus(self) -> int:
        """GPUs sessions can be given (0: a session that needs one cannot run here)."""

    def start(self, count: int | None = None) -> None:
        """Get ready to run ``count`` sessions (start workers, connect); raises
        :class:`ExecutorError` when that is impossible."""

    def run(
        self, session: Session, kind: DeviceKind, stop: threading.Event
    ) -> SessionResult | None:
        """Run ``session`` on a device of ``kind`` and return its result, faults included;
        None when a cuda session finds no GPU after all, or when ``stop`` is set."""

    def notes(self) -> list[str]:
        """What the build should say once about where sessions ran (a sandbox that the
        machine enforces only in part), so far."""

    def interrupt(self) -> None:
        """Stop the sessions running now (Ctrl+C); the executor stays usable."""

    def close(self) -> None:
        """Stop everything and release what the executor holds."""


def notes_of(executor: Executor | None) -> list[str]:
    """What ``executor`` wants said once (its ``notes()``; none from an executor that has
    no such method, or from no executor)."""
    notes = getattr(executor, "notes", None)
    return [str(note) for note in notes()] if callable(notes) else []


@dataclass(frozen=True)
class Option:
    """One of an executor's own options: the rule that checks a value (raising
    ``ValueError`` that says what to write), and what the option means."""

    check: Callable[[object], object]
    help: str


class ExecutorClass(Protocol):
    """What the table of executors lists: a class with its own options and a constructor."""

    @property
    def SUMMARY(self) -> str:
        """Where it runs sessions, in a few words, for help texts."""

    @property
    def OPTIONS(self) -> Mapping[str, Option]:
        """The executor's own options by name (``address`` is ``ray_address`` in mkdocs.yml)."""

    def from_settings(self, settings: ExecutorSettings, root: Path) -> Executor:
        """The executor ``settings`` describe, for the project at ``root``; nothing starts."""
