"""Results and jobs as JSON data, checked field by field on the way in.

A result crosses a trust boundary three times: a session's process reports its
blocks to the worker (user code may have tampered with the process), the worker
reports the session to the parent, and a cache entry is read back (a file anyone
may edit in a pull request). All three go through :func:`session_from` /
:func:`block_from`, which accept exactly the shapes :mod:`results` defines and
raise :class:`Invalid` naming the first field that is wrong. A job goes the other
way, parent to worker, and is checked the same way on arrival (:func:`job_from`),
so the worker reads typed fields only.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any, get_args

from studylog.execute.job import Job, JobBlock
from studylog.execute.results import BlockResult, BlockStatus, SessionResult, SessionStatus
from studylog.settings import SANDBOX_MODES

BLOCK_STATUSES = frozenset(get_args(BlockStatus))
SESSION_STATUSES = frozenset(get_args(SessionStatus))


class Invalid(ValueError):
    """Data that is not a result; the message names the field."""


def as_data(result: SessionResult) -> dict[str, Any]:
    """A result as JSON data (what :func:`session_from` reads back)."""
    return dataclasses.asdict(result)


def job_data(task: Job) -> dict[str, Any]:
    """A job as JSON data, for the pipe to the worker (what :func:`job_from` reads back)."""
    return dataclasses.asdict(task)


def _field(
    data: Mapping[str, Any], name: str, kinds: tuple[type, ...], where: str, optional: bool = False
) -> Any:
    if name not in data:
        raise Invalid(f"{where}: {name!r} is missing")
    value = data[name]
    if value is None and optional:
        return None
    if isinstance(value, bool) and bool not in kinds:
        raise Invalid(f"{where}: {name!r} must be {kinds[0].__name__}, not {value!r}")
    if not isinstance(value, kinds):
        raise Invalid(f"{where}: {name!r} must be {kinds[0].__name__}, not {type(value).__name__}")
    return value


def _seconds(data: Mapping[str, Any], where: str) -> float:
    value = float(_field(data, "duration", (float, int), where))
    if not math.isfinite(value) or value < 0:
        raise Invalid(f"{where}: 'duration' must be a number of seconds, not {value!r}")
    return value


def _only(data: Mapping[str, Any], names: set[str], where: str) -> None:
    unknown = sorted(set(data) - names)
    if unknown:
        raise Invalid(f"{where}: unknown field {unknown[0]!r}")


_BLOCK_FIELDS = {f.name for f in dataclasses.fields(BlockResult)}
_SESSION_FIELDS = {f.name for f in dataclasses.fields(SessionResult)}
_JOB_FIELDS = {f.name for f in dataclasses.fields(Job)}
_JOB_BLOCK_FIELDS = {f.name for f in dataclasses.fields(JobBlock)}


def block_from(data: object, where: str = "block") -> BlockResult:
    """The block result ``data`` holds; raises :class:`Invalid` naming the wrong field."""
    if not isinstance(data, Mapping):
        raise Invalid(f"{where} must be an object, not {type(data).__name__}")
    _only(data, _BLOCK_FIELDS, where)
    status = _field(data, "status", (str,), where)
    if status not in BLOCK_STATUSES:
        raise Invalid(f"{where}: unknown status {status!r}")
    line = _field(data, "line", (int,), where)
    if line < 0:
        raise Invalid(f"{where}: 'line' must not be negative")
    figures = _field(data, "figures", (list, tuple), where)
    if not all(isinstance(f, str) for f in figures):
        raise Invalid(f"{where}: 'figures' must be a list of SVG texts")
    return BlockResult(
        line=line,
        status=status,
        stdout=_field(data, "stdout", (str,), where),
        stderr=_field(data, "stderr", (str,), where),
        value=_field(data, "value", (str,), where, optional=True),
        html=_field(data, "html", (str,), where, optional=True),
        figures=tuple(figures),
        error=_field(data, "error", (str,), where, optional=True),
        duration=_seconds(data, where),
    )


def session_from(data: object, where: str = "result") -> SessionResult:
    """The session result ``data`` holds; raises :class:`Invalid` naming the wrong field."""
    if not isinstance(data, Mapping):
        raise Invalid(f"{where} must be an object, not {type(data).__name__}")
    _only(data, _SESSION_FIELDS, where)
    status = _field(data, "status", (str,), where)
    if status not in SESSION_STATUSES:
        raise Invalid(f"{where}: unknown status {status!r}")
    raw_blocks = _field(data, "blocks", (list, tuple), where)
    if not raw_blocks:
        raise Invalid(f"{where}: 'blocks' is empty (a session has at least one block)")
    blocks = tuple(block_from(b, f"{where}: block {n}") for n, b in enumerate(raw_blocks, 1))
    return SessionResult(
        log=_field(data, "log", (str,), where),
        session=_field(data, "session", (str,), where),
        status=status,
        duration=_seconds(data, where),
        device=_field(data, "device", (str,), where),
        cached=_field(data, "cached", (bool,), where),
        frozen=_field(data, "frozen", (bool,), where),
        blocks=blocks,
        message=_field(data, "message", (str,), where),
    )


def job_from(data: object, where: str = "job") -> Job:
    """The job ``data`` holds; raises :class:`Invalid` naming the wrong field."""
    if not isinstance(data, Mapping):
        raise Invalid(f"{where} must be an object, not {type(data).__name__}")
    _only(data, _JOB_FIELDS, where)
    blocks = _field(data, "blocks", (list, tuple), where)
    if not blocks:
        raise Invalid(f"{where}: 'blocks' is empty (a session has at least one block)")
    return Job(
        log=_field(data, "log", (str,), where),
        session=_field(data, "session", (str,), where),
        device=_field(data, "device", (str,), where),
        blocks=tuple(_job_block(b, f"{where}: block {n}") for n, b in enumerate(blocks, 1)),
        threads=_field(data, "threads", (int,), where),
        output_limit=_field(data, "output_limit", (int,), where),
        memory_limit_mb=_field(data, "memory_limit_mb", (int,), where, optional=True),
        sandbox=_sandbox(data, where),
        network=_field(data, "network", (bool,), where),
    )


def _sandbox(data: Mapping[str, Any], where: str) -> str:
    mode = _field(data, "sandbox", (str,), where)
    if mode not in SANDBOX_MODES:
        raise Invalid(f"{where}: unknown sandbox mode {mode!r}")
    return str(mode)


def _job_block(data: object, where: str) -> JobBlock:
    if not isinstance(data, Mapping):
        raise Invalid(f"{where} must be an object, not {type(data).__name__}")
    _only(data, _JOB_BLOCK_FIELDS, where)
    timeout = float(_field(data, "timeout", (float, int), where))
    if not math.isfinite(timeout) or timeout <= 0:
        raise Invalid(f"{where}: 'timeout' must be a positive number of seconds")
    return JobBlock(
        path=_field(data, "path", (str,), where),
        line=_field(data, "line", (int,), where),
        code=_field(data, "code", (str,), where),
        filename=_field(data, "filename", (str,), where),
        first_line=_field(data, "first_line", (int,), where),
        errors_allowed=_field(data, "errors_allowed", (bool,), where),
        timeout=timeout,
    )
