"""Data the executor takes and gives: sessions of blocks in, results out.

These types are the contract between the executor and its callers (the CLI,
the MkDocs plugin, the pytest plugin). User-code failures are *results* with a
``status``, never exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from studylog.model import BlockOptions, Device
from studylog.settings import DEFAULTS

SessionStatus = Literal["ok", "failed", "timeout", "crashed", "refused", "skipped", "unavailable"]
BlockStatus = Literal[
    "ok", "failed", "timeout", "crashed", "refused", "skipped", "unavailable", "error-allowed"
]
# The one list of statuses that make a block or a session a failure (a build warning, a
# failed test, exit status 1); ``skipped`` and ``error-allowed`` are not failures.
FAILURES: frozenset[str] = frozenset({"failed", "timeout", "crashed", "refused", "unavailable"})


@dataclass(frozen=True)
class Block:
    """One executable block of a session.

    ``code`` is what runs (the file's contents for ``file=`` blocks), and
    ``filename``/``first_line`` say where it came from, so compiled code and
    tracebacks name ``logs/...md:LINE`` (or ``snippets/x.py:LINE``, or
    ``logs/...ipynb, cell N`` and the line in the cell).
    """

    path: str  # the log file holding the block
    line: int  # line of the opening fence in ``path`` (a notebook's: the cell number)
    code: str
    filename: str  # file the code is attributed to in tracebacks
    first_line: int  # line of the code's first line in ``filename``
    options: BlockOptions = field(default_factory=BlockOptions)


@dataclass(frozen=True)
class Session:
    """Blocks of one log that share a namespace, run in order like notebook cells."""

    log: str  # log path, relative to the project root, posix separators
    name: str  # the ``session`` attribute, or "default"
    blocks: tuple[Block, ...]
    timeout: float = DEFAULTS.timeout  # seconds per block unless the block sets its own
    device: Device = "auto"  # the session's device request
    requires_cuda: bool = False
    includes: tuple[str, ...] = ()  # project files the session reads (``file=``)
    # Why the session must not run (e.g. ``file=`` outside the project), with the
    # fence line it is about; run() reports such a session as "refused".
    refused: str = ""
    refused_line: int = 0

    @property
    def asks_network(self) -> bool:
        """Whether a block of the session asks for the network (``network="on"``)."""
        return any(b.options.network for b in self.blocks)

    @property
    def id(self) -> str:
        """``log::name``: how reports and pytest name the session."""
        return f"{self.log}::{self.name}"

    @property
    def timeouts(self) -> tuple[float, ...]:
        """Each block's timeout in seconds: its own, else the session's."""
        return tuple(b.options.timeout or self.timeout for b in self.blocks)


@dataclass(frozen=True)
class BlockResult:
    """What one block gave: its status, output, value, figures and error."""

    line: int  # the block's fence line in its log
    status: BlockStatus
    stdout: str = ""
    stderr: str = ""
    value: str | None = None  # repr of the last expression, as a notebook shows it
    html: str | None = None  # ``_repr_html_`` of the last expression (DataFrames)
    figures: tuple[str, ...] = ()  # SVG documents of the figures left open
    error: str | None = None  # traceback or what happened, in log line numbers
    duration: float = 0.0

    @property
    def failed(self) -> bool:
        """Whether the block's status is a failure (see :data:`FAILURES`)."""
        return self.status in FAILURES


@dataclass(frozen=True)
class SessionResult:
    """What one session gave: its status, where it ran, and each block's result."""

    log: str
    session: str
    status: SessionStatus
    duration: float
    device: str  # where it ran, e.g. "cpu" or "cuda:0 NVIDIA H100"
    cached: bool = False
    frozen: bool = False
    blocks: tuple[BlockResult, ...] = ()
    message: str = ""  # why it was unavailable/refused, for reports

    @property
    def id(self) -> str:
        """``log::session``, as :attr:`Session.id`."""
        return f"{self.log}::{self.session}"

    @property
    def failed(self) -> bool:
        """Whether the session's status is a failure (see :data:`FAILURES`)."""
        return self.status in FAILURES


@dataclass(frozen=True)
class Progress:
    """How far a run is: sessions settled of all, and the ones running now; how many were
    settled before anything ran (from the cache, or not to be run at all)."""

    done: int
    total: int
    running: tuple[tuple[str, float], ...] = ()  # (session id, seconds so far), longest first
    stored: int = 0  # settled from the cache (frozen ones included) when the run started
    stored_failures: int = 0  # of those, failures kept from an earlier run
    not_run: int = 0  # settled without running when the run started (refused, unavailable)

    @property
    def to_run(self) -> int:
        """Sessions handed to the executor (the ones that may run)."""
        return self.total - self.stored - self.not_run

    @property
    def slowest(self) -> tuple[str, float] | None:
        """The session running longest, with its seconds so far; None when none runs."""
        return self.running[0] if self.running else None
