"""The job a worker is sent: one session, as the worker runs it.

:func:`job` makes it from a :class:`~studylog.execute.results.Session` (each
block's timeout resolved, the worker's limits added); it travels to the worker as
JSON and is checked there field by field (:mod:`studylog.execute.schema`:
``job_data`` and ``job_from``); the supervisor, the forked child and the cell
runner read it as these types, so mypy follows every field from the parent to the
block that runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from studylog.execute.limits import OUTPUT_LIMIT
from studylog.execute.results import Session
from studylog.settings import SandboxSettings


@dataclass(frozen=True)
class JobBlock:
    """One block of a job: its code, where it comes from, and its time limit."""

    path: str  # the log holding the block
    line: int  # its fence line in ``path`` (a notebook's: the cell number)
    code: str
    filename: str  # the file its code is compiled as (tracebacks name it)
    first_line: int  # the line of its first line of code in ``filename``
    errors_allowed: bool  # errors="allow": an exception is the expected output
    timeout: float  # seconds: the block's own, else the session's


@dataclass(frozen=True)
class Job:
    """One session as a worker runs it, with the limits it runs under."""

    log: str
    session: str
    device: str  # "cpu" or "cuda:N"
    blocks: tuple[JobBlock, ...]
    threads: int = 0  # torch threads of the session; 0: torch's own choice
    output_limit: int = OUTPUT_LIMIT  # bytes kept per stream per block
    memory_limit_mb: int | None = None  # the session's process tree; None: no limit
    sandbox: str = "on"  # on, strict or off (studylog.settings.SANDBOX_MODES)
    network: bool = False  # whether the session has the network

    @property
    def timeouts(self) -> tuple[float, ...]:
        """Each block's timeout, in order."""
        return tuple(block.timeout for block in self.blocks)


def job(
    session: Session,
    device: str,
    *,
    output_limit: int = OUTPUT_LIMIT,
    memory_limit_mb: int | None = None,
    threads: int = 0,
    sandbox: SandboxSettings | None = None,
) -> Job:
    """What a worker needs to run ``session`` on ``device``, in the ``sandbox`` the site
    asks for (the default one when None)."""
    sandbox = sandbox or SandboxSettings()
    return Job(
        log=session.log,
        session=session.name,
        device=device,
        threads=threads,
        output_limit=output_limit,
        memory_limit_mb=memory_limit_mb,
        sandbox=sandbox.mode,
        network=sandbox.grants_network(session.asks_network),
        blocks=tuple(
            JobBlock(
                path=b.path,
                line=b.line,
                code=b.code,
                filename=b.filename,
                first_line=b.first_line,
                errors_allowed=b.options.errors_allowed,
                timeout=timeout,
            )
            for b, timeout in zip(session.blocks, session.timeouts, strict=True)
        ),
    )
