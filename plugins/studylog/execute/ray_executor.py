"""Sessions on a Ray cluster: long-lived actors, each a local pool of one worker on its node.

Why actors and not tasks: a task would import torch per session (seconds) or
share a Ray worker process between sessions (what one session does to its
process would reach the next). An actor (:class:`SessionActor`) keeps one
studylog worker that warmed torch once and forks a child per session, so every
guarantee of the local pool holds on every node with the same code
(:mod:`studylog.execute.ray_actor`).

What is left to the driver (this module):

* **resources**: a CPU actor asks for ``num_cpus`` = the torch threads of its
  sessions; a GPU actor asks for ``num_gpus=1`` (and no CPU, so it can always be
  placed on its GPU node however busy its CPUs are): GPU sessions land on GPU
  nodes, one at a time per GPU, by Ray's own scheduler;
* **no retries**: actors are created with ``max_restarts=0`` and
  ``max_task_retries=0``, and nothing is resubmitted: a session whose actor died
  ran once and is ``crashed``;
* **a backstop deadline** per block (its timeout plus a grace), the block
  running being asked of the actor every half second while it runs: past it, the
  actor is killed and the session is a ``timeout`` at that block. The deadline is
  the local driver's :class:`~studylog.execute.slots.BlockDeadline` with more
  slack, and the actors are kept in the local pool's
  :class:`~studylog.execute.slots.Slots`, one set per device kind;
* **faults of the actor** (``os._exit`` of its process, Ray's out-of-memory
  killer, a node lost): ``crashed`` for that session only; a fresh actor takes
  the next session;
* **Ctrl+C** (:meth:`interrupt`) has each busy actor's worker stop its session
  (as the local pool's workers do) and the actors stay warm; queued sessions never
  leave the driver (each actor is given one session at a time); closing the
  executor closes every actor's worker, and waits until a busy one has stopped its
  session and all it started, before Ray kills the actor (Ray kills an actor's child
  processes at once: that would leave their temporary folders, and a process the
  session started in a session of its own, which is not the worker's child by then,
  running);
* results come back as data, checked like a local worker's
  (:func:`studylog.execute.schema.session_from`), and go through the driver's cache.
"""

from __future__ import annotations

import contextlib
import functools
import platform
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from studylog.execute import device as devices
from studylog.execute.drive import BACKSTOP, adopted, failed
from studylog.execute.executor import DeviceKind, ExecutorError, Option
from studylog.execute.isolate import GRACE
from studylog.execute.job import Job, job
from studylog.execute.limits import OUTPUT_LIMIT
from studylog.execute.pool import CLOSE_WAIT, STARTUP_TIMEOUT, STOP_WAIT
from studylog.execute.ray_actor import CLOSE_BOUND, SessionActor
from studylog.execute.ray_connect import Link, address
from studylog.execute.results import Session, SessionResult
from studylog.execute.schema import Invalid, session_from
from studylog.execute.slots import BlockDeadline, Slots
from studylog.settings import ExecutorSettings, SandboxSettings

PROBE_EVERY = 0.5  # seconds between questions to a busy actor about its current block
RAY_SLACK = 2.0  # seconds for a call to an actor to come and go through Ray
POLL = 0.1  # seconds between looks at the stop flag while waiting for Ray
# Seconds for an actor to be placed on a node, start, and warm its worker.
READY_TIMEOUT = STARTUP_TIMEOUT + 60.0
KINDS: tuple[DeviceKind, ...] = ("cpu", "cuda")

Watched = Literal["done", "stopped", "timeout"]


@dataclass(eq=False)
class _Actor:
    handle: Any  # the Ray actor handle
    kind: DeviceKind
    ready: Any  # the ObjectRef of its first ready() call
    info: dict[str, Any] | None = None
    alive: bool = True
    node: str = field(default="")


class RayExecutor:
    """Run sessions on the Ray cluster at ``address`` (None: this machine's instance).

    ``jobs`` CPU actors at most (default: one per CPU of the cluster when it is joined,
    ``threads`` CPUs each), and one GPU actor per GPU of the cluster. ``backstop``
    seconds past a block's timeout (and the few seconds the actor's own drive allows),
    the driver gives up on its actor.
    """

    SUMMARY: ClassVar[str] = "a Ray cluster's nodes, with studylog[ray] installed"
    OPTIONS: ClassVar[Mapping[str, Option]] = {
        "address": Option(
            address,
            "the Ray cluster, host:port of the head node or ray://host:10001; none joins "
            "the instance `ray start` started on this machine, else starts one on "
            "127.0.0.1 only",
        )
    }

    def __init__(
        self,
        address: str | None = None,
        *,
        jobs: int | None = None,
        threads: int = 1,
        output_limit: int = OUTPUT_LIMIT,
        backstop: float = GRACE + BACKSTOP,
        sandbox: SandboxSettings | None = None,
    ) -> None:
        self.address = address
        self.sandbox = sandbox or SandboxSettings()
        self._notes: set[str] = set()  # what the nodes' workers found of the sandbox
        self.threads = max(1, threads)
        self.output_limit = output_limit
        self.backstop = backstop
        self._jobs = jobs
        # Limits are known once the cluster is joined (0 until then).
        self._actors = {
            kind: Slots(functools.partial(self._spawn, kind), 0, "the Ray executor")
            for kind in KINDS
        }
        self._joining = threading.Lock()
        self._remote: Any = None  # the Ray actor class
        self._link = Link()  # this process's connection, kept on a thread of its own
        self._checked = False  # a node's Python and torch were compared with this machine's
        self.placements: dict[str, str] = {}  # session id -> node id of the actor that ran it

    @classmethod
    def from_settings(cls, settings: ExecutorSettings, root: Path) -> RayExecutor:
        """The cluster ``ray_address`` names; nodes need no copy of the project (sessions
        carry their code), so ``root`` is not used."""
        return cls(
            settings.own.get("address"),
            jobs=settings.jobs,
            threads=settings.threads or 1,
            sandbox=settings.sandbox,
        )

    # -- the Executor interface --------------------------------------------------------------

    @property
    def jobs(self) -> int:
        """CPU actors at most: ``jobs``, else one per ``threads`` CPUs of the cluster."""
        self._connect()
        return self._actors["cpu"].limit

    @property
    def workers_started(self) -> int:
        """Actors started so far, replacements included."""
        return sum(slots.made for slots in self._actors.values())

    def gpus(self) -> int:
        """The cluster's GPUs (one GPU actor each)."""
        self._connect()
        return self._actors["cuda"].limit

    def start(self, count: int | None = None) -> None:
        """Join the cluster and start CPU actors for up to ``count`` sessions, so their
        torch imports overlap."""
        self._connect()
        cpu = self._actors["cpu"]
        cpu.fill(cpu.limit if count is None else count)

    def run(
        self, session: Session, kind: DeviceKind, stop: threading.Event
    ) -> SessionResult | None:
        """Run ``session`` on an actor of ``kind`` (one session at a time per actor)."""
        self._connect()
        actors = self._actors[kind]
        actor = actors.take(stop)
        if actor is None:
            return None  # stopped, or a cuda session on a cluster without GPUs
        try:
            return self._run_on(actor, session, stop)
        finally:
            if actors.give(actor):
                self._retire([actor])

    def notes(self) -> list[str]:
        """What the build says once about where sessions ran (a partial sandbox on a node)."""
        return sorted(self._notes)

    def interrupt(self) -> None:
        """Stop the sessions running now; their actors stay, warm (see :meth:`_stopped`)."""
        for slots in self._actors.values():
            for actor in slots.busy():
                self._ask(actor, "stop")

    def close(self) -> None:
        """Close every actor's worker, kill the actors, and leave the cluster if this
        executor joined it."""
        with self._joining:
            actors: list[_Actor] = []
            for slots in self._actors.values():
                idle, busy = slots.close()
                actors += busy + idle
        self._retire(actors)
        self._link.close()

    # -- actors ------------------------------------------------------------------------------

    def _connect(self) -> None:
        if self._remote is not None:
            return
        with self._joining:
            if self._remote is not None:
                return
            if self._actors["cpu"].closed:
                raise RuntimeError("the Ray executor is closed")
            try:
                import ray as ray_module
            except ImportError:
                raise ExecutorError(
                    "executor: ray needs Ray on this machine: pip install 'studylog[ray]'"
                ) from None
            ray: Any = ray_module  # partly typed: some of what is used here has no hints
            self._link.open(self.address)
            resources = ray.cluster_resources()
            cpus, gpus = int(resources.get("CPU", 0)), int(resources.get("GPU", 0))
            widest = max(
                (int(n["Resources"].get("CPU", 0)) for n in ray.nodes() if n.get("Alive")),
                default=cpus,
            )
            self.threads = max(1, min(self.threads, widest))
            self._actors["cpu"].limit = max(1, self._jobs or cpus // self.threads)
            self._actors["cuda"].limit = gpus
            self._remote = ray.remote(concurrency_groups={"probe": 1})(SessionActor)

    def _spawn(self, kind: DeviceKind) -> _Actor:
        """A new actor of ``kind`` (called with the lock held; creation does not block)."""
        resources = (
            {"num_cpus": 0, "num_gpus": 1}
            if kind == "cuda"
            else {"num_cpus": self.threads, "num_gpus": 0}
        )
        handle = self._remote.options(max_restarts=0, max_task_retries=0, **resources).remote(
            self.threads, self.output_limit, self.sandbox
        )
        return _Actor(handle, kind, handle.ready.remote())

    def _ask(self, actor: _Actor, method: str) -> Any:
        """Call ``method`` of a (maybe busy) actor in its probe group; its ObjectRef."""
        with contextlib.suppress(Exception):  # a dead actor, or Ray already shut down
            return getattr(actor.handle, method).options(concurrency_group="probe").remote()
        return None

    def _retire(self, actors: list[_Actor]) -> None:
        """Close the actors' workers as the local pool closes its own, then kill the actors."""
        if not actors:  # nothing was started: Ray is not even imported
            return
        import ray

        closing = [ref for ref in (self._ask(a, "close") for a in actors if a.alive) if ref]
        if closing:  # (Ray's calls start a Ray instance when this process has none)
            # An actor's close returns once its worker stopped what its session started
            # (CLOSE_BOUND at most): only then may Ray kill the actor and its children.
            with contextlib.suppress(Exception):
                ray.wait(closing, num_returns=len(closing), timeout=CLOSE_BOUND + RAY_SLACK)
        for actor in actors:
            self._kill(actor)

    def _kill(self, actor: _Actor) -> None:
        """Kill an actor now (Ray kills its worker with it: only for an actor that is dead
        or does not answer, or once its worker is closed)."""
        import ray

        if actor.alive:
            actor.alive = False
            with contextlib.suppress(Exception):  # already dead, or Ray already shut down
                ray.kill(actor.handle, no_restart=True)

    # -- one session ---------------------------------------------------------------------------

    def _run_on(
        self, actor: _Actor, session: Session, stop: threading.Event
    ) -> SessionResult | None:
        started = time.perf_counter()
        # Ray shows an actor its own GPU only: it is cuda:0 there.
        task = job(session, "cuda:0" if actor.kind == "cuda" else "cpu")
        if actor.info is None:
            problem = self._wait_ready(actor, stop)
            if stop.is_set():
                return None
            if problem is not None:
                return failed(session, task, None, "startup", problem, started)
        ref = actor.handle.run.remote(session, task.device)
        self.placements[session.id] = actor.node
        # The actor's own drive gives up BACKSTOP after a block's deadline; this, later.
        deadline = BlockDeadline(task.timeouts, between=GRACE, slack=BACKSTOP + self.backstop)
        watched = self._watch(actor, ref, deadline, stop)
        if watched == "stopped":
            self._stopped(actor, ref)
            return None
        if watched == "timeout":
            self._kill(actor)
            return failed(session, task, deadline.current, "timeout", "deadline passed", started)
        return self._collect(actor, ref, session, task, deadline.current, started, stop)

    def _watch(
        self, actor: _Actor, ref: Any, deadline: BlockDeadline, stop: threading.Event
    ) -> Watched:
        """Wait for the actor's answer, asking it every ``PROBE_EVERY`` seconds which block
        runs (each has its own deadline); or until ``stop`` is set or the deadline passes."""
        import ray

        probe: Any = None
        next_probe = time.monotonic() + PROBE_EVERY
        while True:
            waiting = [ref] if probe is None else [ref, probe]
            done, _ = ray.wait(waiting, num_returns=1, timeout=POLL)
            if ref in done:
                return "done"
            if probe is not None and probe in done:
                with contextlib.suppress(Exception):  # a dying actor answers nothing
                    deadline.start(ray.get(probe))
                probe = None
            if stop.is_set():
                return "stopped"
            if deadline.left() <= 0:
                return "timeout"
            if probe is None and time.monotonic() >= next_probe:
                probe = self._ask(actor, "where")
                next_probe = time.monotonic() + PROBE_EVERY

    def _collect(
        self,
        actor: _Actor,
        ref: Any,
        session: Session,
        task: Job,
        current: int | None,
        started: float,
        stop: threading.Event,
    ) -> SessionResult | None:
        """The actor's answer, checked; its death a crash of the session at ``current``."""
        import ray

        try:
            data = ray.get(ref)
        except ray.exceptions.RayActorError as exc:
            self._kill(actor)
            if stop.is_set():
                return None
            why = f"the Ray actor running it died ({_first_line(exc)})"
            return failed(session, task, current, "crashed", why, started)
        if data is None:
            return None
        try:
            result = session_from(data, "the Ray actor's result")
        except Invalid as exc:
            self._retire([actor])
            why = f"the Ray actor sent a malformed result ({exc})"
            return failed(session, task, current, "crashed", why, started)
        return adopted(session, result)

    def _stopped(self, actor: _Actor, ref: Any) -> None:
        """The run was stopped: the actor's worker stops the session (and what it started)
        and the actor stays warm; one whose session is not over in time is retired (its
        worker closed, what it runs killed, then the actor)."""
        import ray

        self._ask(actor, "stop")
        if not ray.wait([ref], timeout=STOP_WAIT + CLOSE_WAIT)[0]:
            self._retire([actor])

    def _wait_ready(self, actor: _Actor, stop: threading.Event) -> str | None:
        """Wait for a new actor's worker; None when it is ready, else why it is not."""
        import ray

        deadline = time.monotonic() + READY_TIMEOUT
        while not ray.wait([actor.ready], timeout=POLL)[0]:
            if stop.is_set():
                self._retire([actor])
                return "the run was stopped"
            if time.monotonic() >= deadline:
                self._kill(actor)
                return (
                    f"no Ray node started a worker for it within {READY_TIMEOUT:g} s "
                    "(no node with the resources free, or a very slow torch import)"
                )
        try:
            info = ray.get(actor.ready)
        except ray.exceptions.RuntimeEnvSetupError as exc:
            self._kill(actor)
            raise ExecutorError(
                f"the Ray cluster could not set up studylog's environment "
                f"on a node: {_first_line(exc)}"
            ) from None
        except ray.exceptions.RayActorError as exc:
            self._kill(actor)
            return f"the Ray actor for it died while starting ({_first_line(exc)})"
        actor.info = info
        actor.node = str(info.get("node", ""))
        self._check_versions(info)
        self._notes.update(n for n in info.get("notes") or () if isinstance(n, str))
        if info.get("error"):
            self._retire([actor])
            if info.get("unsandboxed"):
                raise ExecutorError(str(info["error"]))
            return str(info["error"])
        return None

    def _check_versions(self, info: dict[str, Any]) -> None:
        """Outputs are cached under this machine's Python and torch versions: a node running
        other versions would store outputs under a key that does not describe them."""
        if self._checked:
            return
        ours = (_minor(platform.python_version()), _public(devices.torch_version()))
        theirs = (_minor(str(info.get("python"))), _public(info.get("torch")))
        if ours != theirs:
            raise ExecutorError(
                f"a Ray node runs Python {info.get('python')} with torch {info.get('torch')}, "
                f"this machine Python {platform.python_version()} with torch "
                f"{devices.torch_version()}: cached outputs are keyed by this machine's "
                "versions, so install the same Python and torch versions on the nodes"
            )
        self._checked = True


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def _public(version: object) -> str:
    """torch's version without its build tag (2.13.0+cu121 and 2.13.0+cpu compute alike)."""
    return str(version).split("+", 1)[0]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
