"""What each result status means, in words, for every front end.

The page (an admonition's title), the terminal (``studylog run``, ``mkdocs
build`` warnings), pytest (a failure's headline) and the execution report all
word a status the same way, from the tables here. Which statuses are failures
is :data:`studylog.execute.results.FAILURES`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from studylog.execute.results import Block, BlockResult, Session, SessionResult
from studylog.model import Problem, cell_of, is_notebook

# The title of the box a page shows under a block's outputs.
TITLES = {
    "failed": "The snippet raised an error",
    "timeout": "The snippet ran past its time limit",
    "crashed": "The worker running this snippet crashed",
    "refused": "The snippet was not run",
    "unavailable": "No output: the snippet could not run here and nothing is stored for it",
    "skipped": "Skipped: an earlier block of this session failed",
    "error-allowed": "Expected error",
}

# One line saying what happened to a block (terminal lines, pytest headlines).
HEADLINES = {
    "failed": "raised an error",
    "timeout": "ran past its timeout",
    "crashed": "crashed its worker",
    "refused": "was not run",
    "unavailable": "could not run here",
    "skipped": "was skipped after an earlier failure",
    "error-allowed": "raised the expected error",
}

# What to do about it.
HINTS = {
    "failed": 'fix the code at the line the traceback names; errors="allow" marks an '
    "error the log means to show",
    "timeout": 'make the block faster, or give it more time with timeout="SECONDS"',
    "crashed": "the process running it died (os._exit, a segfault or too much memory); "
    "the message says which, and what it printed before is kept above it",
    "refused": "fix what the message says; the session runs once it is fixed",
    "unavailable": 'run it where it can run (a GPU for requires="cuda") and commit the cache '
    "folder, or turn execution on",
}


def how(result: SessionResult) -> str:
    """Where a result came from: ``frozen``, ``cached``, ``run``, or ``not run``."""
    if result.frozen:
        return "frozen"
    if result.cached:
        return "cached"
    return "run" if result.device else "not run"


def headline(status: str) -> str:
    """One line saying what happened to a block of ``status``."""
    return HEADLINES.get(status, status)


def title(status: str) -> str:
    """The title of the box a page shows for ``status``."""
    return TITLES.get(status, status)


_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)', re.MULTILINE)


def error_place(block: BlockResult, log: str) -> tuple[int | None, int]:
    """Where the error of ``block`` is in ``log``: ``(cell, line)`` of the last frame the
    traceback names in it (``cell`` is None but for a notebook's cells, compiled as
    ``log, cell N``); else the block's own place."""
    found: tuple[int | None, int] | None = None
    for match in _FRAME.finditer(block.error or ""):
        name, line = match.group("file"), int(match.group("line"))
        if name == log:
            found = (None, line)
        cell = cell_of(name)
        if cell is not None and cell[0] == log:
            found = (cell[1], line)
    return found if found is not None else block_place(log, block.line)


def block_place(log: str, line: int) -> tuple[int | None, int]:
    """``(cell, line)`` of a block filed under ``line`` in ``log`` (a notebook files its
    blocks under their cell numbers)."""
    return (line, 1) if is_notebook(log) else (None, line)


def last_line(text: str | None) -> str:
    """The last non-empty line of ``text`` (a traceback's error), or ""."""
    lines = (text or "").strip().splitlines()
    return lines[-1].strip() if lines else ""


# A block marked errors="allow" (or a cell tagged raises-exception) that ran clean.
NO_ERROR = 'block marked errors="allow" ran without an error'
NO_ERROR_HINT = (
    'the error it shows no longer happens; drop errors="allow" or restore the failing code'
)


def error_vanished(block: Block | None, result: BlockResult) -> bool:
    """A block meant to show an error ran without one: the log no longer shows what it
    claims to. A failure for pytest, ``mkdocs build --strict`` and ``studylog run`` alike."""
    return bool(block is not None and block.options.errors_allowed and result.status == "ok")


def failures(results: Sequence[SessionResult], sessions: Sequence[Session] = ()) -> list[Problem]:
    """Each failed block of ``results`` as a ``path:line`` problem, the line being the one
    the traceback names when it names one in the log; with the ``sessions`` the results
    are of, also each block whose expected error vanished (:func:`error_vanished`)."""
    out: list[Problem] = []
    specs = {(s.log, s.name): s for s in sessions}
    for result in results:
        spec = specs.get((result.log, result.session))
        if spec is not None:
            blocks = {b.line: b for b in spec.blocks}
            for block in result.blocks:
                if error_vanished(blocks.get(block.line), block):
                    cell, line = block_place(result.log, block.line)
                    out.append(Problem(result.log, line, NO_ERROR, hint=NO_ERROR_HINT, cell=cell))
        if not result.failed:
            continue
        bad = [b for b in result.blocks if b.failed]
        if not bad:
            out.append(
                Problem(
                    result.log,
                    1,
                    f"session {result.session!r} {headline(result.status)}"
                    + (f": {result.message}" if result.message else ""),
                    hint=HINTS.get(result.status, ""),
                )
            )
        for block in bad:
            detail = last_line(block.error or result.message)
            cell, line = error_place(block, result.log)
            out.append(
                Problem(
                    result.log,
                    line,
                    f"snippet {headline(block.status)}" + (f": {detail}" if detail else ""),
                    hint=HINTS.get(block.status, ""),
                    cell=cell,
                )
            )
    return out
