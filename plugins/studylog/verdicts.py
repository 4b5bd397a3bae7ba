"""What a session's result means as a test: pass, fail (with the report to print) or skip.

Pure functions of a session and its result, so the pytest plugin only turns an
:class:`Outcome` into pytest's own calls. The wording of each status comes from
:mod:`studylog.execute.status`.
"""

from __future__ import annotations

from studylog.execute import frames, status
from studylog.execute.results import Block, BlockResult, Session, SessionResult
from studylog.model import is_notebook, place


class Outcome:
    """A test outcome: the failure reports to print, or why it is skipped."""

    __slots__ = ("failures", "skip")

    def __init__(self, failures: list[str], skip: str = "") -> None:
        self.failures = failures
        self.skip = skip


def judge(session: Session, result: SessionResult, *, full: bool = False) -> Outcome:
    """Turn a session result into a test outcome (``full``: tracebacks with torch's own
    frames, which are folded otherwise).

    ``errors="allow"`` blocks invert: they pass when they raise and fail when
    they run clean, since an error that stopped happening is a log that no
    longer shows what it claims to.
    """
    if result.status == "unavailable" or (
        result.status == "skipped" and not any(b.status != "skipped" for b in result.blocks)
    ):
        return Outcome([], skip=f"{session.id}: {result.message or result.status}")
    blocks = {block.line: block for block in session.blocks}
    failures: list[str] = []
    for block_result in result.blocks:
        block = blocks.get(block_result.line)
        failure = _block_failure(session, block, block_result, full)
        if failure:
            failures.append(failure)
    if result.failed and not failures:
        cell, line = status.block_place(
            session.log, session.blocks[0].line if session.blocks else 1
        )
        failures.append(
            f"{place(session.log, line, cell)}: session {result.status}"
            + (f": {result.message}" if result.message else "")
        )
    return Outcome(failures)


def _block_failure(session: Session, block: Block | None, res: BlockResult, full: bool) -> str:
    cell, line = status.error_place(res, session.log)
    fence = place(session.log, line, cell)
    runs = (
        f" (runs {block.filename})"
        if block and block.filename != block.path and block.options.file
        else ""
    )
    if status.error_vanished(block, res):
        return f"{fence}: {status.NO_ERROR}{runs}\nhint: {status.NO_ERROR_HINT}" + _captured(res)
    if not res.failed:
        return ""
    text = f"{fence}: block {status.headline(res.status)}{runs}"
    if res.error:
        # The headline carries the exception, since pytest's short summary shows one line;
        # the traceback above it is not followed by it again.
        lines = res.error.rstrip().splitlines()
        text += f": {lines[-1].strip()}"
        trace = "\n".join(lines[:-1])
        if trace.strip():
            trace = frames.with_prompts(trace, session.log, prompts(session))
            text += "\n" + (trace if full else frames.fold(trace)[0])
    return text + _captured(res)


def prompts(session: Session) -> dict[int, int]:
    """A notebook session's ``In [n]`` prompts by cell number (a notebook's blocks are
    filed under their cells): its cells run in order, so the n-th block is ``In [n]``."""
    if not is_notebook(session.log):
        return {}
    return {b.line: n for n, b in enumerate(session.blocks, start=1)}


def _captured(res: BlockResult) -> str:
    parts = []
    if res.stdout.strip():
        parts.append("--- stdout ---\n" + _tail(res.stdout))
    if res.stderr.strip():
        parts.append("--- stderr ---\n" + _tail(res.stderr))
    return ("\n" + "\n".join(parts)) if parts else ""


def _tail(text: str, lines: int = 20) -> str:
    kept = text.rstrip().splitlines()
    if len(kept) > lines:
        return "\n".join([f"... ({len(kept) - lines} earlier lines)", *kept[-lines:]])
    return "\n".join(kept)
