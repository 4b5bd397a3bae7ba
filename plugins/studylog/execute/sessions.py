"""Grouping the executable snippets of parsed logs into sessions.

A session is what shares one namespace: the blocks of a log with the same
``session`` attribute (default: one per log), in document order; a notebook's
code cells are one session. A cell's code is compiled as ``log, cell N`` (its
snippet's ``source_name``), so tracebacks name the cell and its line. Which fences
run and what their options mean is decided by :mod:`studylog.parse.fences`;
here the snippets are grouped, ``file=`` includes are read from the project,
and a session holding a block that cannot run is marked refused.

An include is refused when it leaves the project, and also when it is a hidden
file (a name starting with ".", such as ``.env``, or inside such a folder) or one
git ignores: those are where secrets live, and running a file shows it on the
page. The ``include_allowed`` setting lists (glob patterns) the exceptions.
"""

from __future__ import annotations

import fnmatch
import posixpath
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath

from studylog.execute.results import Block, Session
from studylog.model import Device, Log, Problem, Snippet
from studylog.settings import DEFAULTS


def collect_sessions(
    logs: Iterable[Log],
    *,
    project_root: Path,
    default_timeout: float = DEFAULTS.timeout,
    include_allowed: Sequence[str] = DEFAULTS.include_allowed,
) -> tuple[list[Session], list[Problem]]:
    """Sessions of every log, in log order then first-appearance order, and the problems
    found while building them (the snippets' own problems are already the log's)."""
    root = Path(project_root).resolve()
    logs = list(logs)
    guard = _Guard(
        root,
        include_allowed,
        [s.options.file for log in logs for s in log.snippets if s.options.file],
    )
    sessions: list[Session] = []
    problems: list[Problem] = []
    for log in logs:
        groups: dict[str, list[Snippet]] = {}
        for snippet in log.snippets:
            if snippet.executable:
                groups.setdefault(snippet.session, []).append(snippet)
        for name, snippets in groups.items():
            session, found = _build_session(log.path, name, snippets, root, default_timeout, guard)
            sessions.append(session)
            problems.extend(found)
    return sessions, problems


def _build_session(
    log_path: str,
    name: str,
    snippets: list[Snippet],
    root: Path,
    default_timeout: float,
    guard: _Guard,
) -> tuple[Session, list[Problem]]:
    problems: list[Problem] = []
    blocks: list[Block] = []
    includes: list[str] = []
    refused: Problem | None = next((p for s in snippets for p in s.errors), None)
    device: Device = "auto"
    device_line = 0
    for snippet in snippets:
        options = snippet.options
        if options.device != "auto":
            if device != "auto" and options.device != device:
                conflict = Problem(
                    snippet.path,
                    snippet.line,
                    f'device="{options.device}" conflicts with device="{device}" '
                    f"at line {device_line} of the same session; the session is not run",
                    hint="a session has one DEVICE; use a separate session",
                )
                problems.append(conflict)
                refused = refused or conflict
            else:
                device, device_line = options.device, snippet.line
        block = Block(
            path=snippet.path,
            line=snippet.line,
            code=snippet.code,
            filename=snippet.source_name,
            first_line=snippet.code_line,
            options=options,
        )
        if options.file is not None:
            block, why = _include(block, root, guard)
            if why is not None:
                problems.append(why)
                refused = refused or why
            else:
                includes.append(block.filename)
                if snippet.code.strip():
                    problems.append(
                        Problem(
                            snippet.path,
                            snippet.line,
                            f"the code inside this file={options.file!r} block is not run",
                            hint="the file is run instead; move the code to its own block",
                            kind="warning",
                        )
                    )
        blocks.append(block)
    requires = any(b.options.requires_cuda for b in blocks) or device == "cuda"
    session = Session(
        log=log_path,
        name=name,
        blocks=tuple(blocks),
        timeout=default_timeout,
        device=device,
        requires_cuda=requires,
        includes=tuple(dict.fromkeys(includes)),
        refused=_why(refused) if refused else "",
        refused_line=refused.line if refused else 0,
    )
    return session, problems


def _why(problem: Problem) -> str:
    return problem.message + (f" ({problem.hint})" if problem.hint else "")


class _Guard:
    """Which project files an include may name: not hidden, not git-ignored, unless allowed.

    git is asked once for all the includes of a build (``git check-ignore``); outside a
    git work tree, or without git, nothing counts as ignored."""

    def __init__(self, root: Path, allowed: Sequence[str], names: Iterable[str]) -> None:
        self.allowed = tuple(allowed)
        self.ignored = _git_ignored(root, sorted({posixpath.normpath(n) for n in names}))

    def refusal(self, *names: str) -> tuple[str, str] | None:
        """(why, hint) when one of ``names`` (project-relative) may not be run."""
        if any(self._allowed(name) for name in names):
            return None
        hint = (
            "studylog does not run hidden or git-ignored files, where secrets live; "
            "list the file under include_allowed in mkdocs.yml if it is meant to be shown"
        )
        for name in names:
            if any(part.startswith(".") for part in PurePosixPath(name).parts):
                return "is a hidden file (its name or a folder's starts with '.')", hint
        for name in names:
            if name in self.ignored:
                return "is ignored by git (.gitignore)", hint
        return None

    def _allowed(self, name: str) -> bool:
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.allowed)


def _git_ignored(root: Path, names: list[str]) -> frozenset[str]:
    names = [n for n in names if n and not n.startswith("/")]
    if not names:
        return frozenset()
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "check-ignore", "-z", "--stdin"],
            input="\0".join(names) + "\0",
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()  # no git here: nothing is ignored
    if done.returncode not in (0, 1):
        return frozenset()  # not a git work tree
    return frozenset(PurePosixPath(n).as_posix() for n in done.stdout.split("\0") if n)


def _include(block: Block, root: Path, guard: _Guard) -> tuple[Block, Problem | None]:
    """Point ``block`` at the project file it names, or say why it cannot be read."""
    rel = block.options.file
    assert rel is not None

    def refuse(message: str, hint: str) -> tuple[Block, Problem]:
        return block, Problem(
            block.path, block.line, f"file={rel!r} {message}; the session is not run", hint=hint
        )

    target = (root / rel).resolve()
    if not target.is_relative_to(root):
        return refuse(
            "is outside the project", "include files from inside the project, e.g. snippets/"
        )
    if not target.is_file():
        return refuse(
            "does not exist", "paths are relative to the project root (where mkdocs.yml is)"
        )
    given = posixpath.normpath(PurePosixPath(rel).as_posix())
    refused = guard.refusal(given, target.relative_to(root).as_posix())
    if refused is not None:
        return refuse(*refused)
    try:
        code = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return refuse(f"cannot be read ({exc})", "include a UTF-8 text file")
    name = target.relative_to(root).as_posix()
    return replace(
        block, code=code, filename=name, first_line=1, options=replace(block.options, file=name)
    ), None


def is_snippet_file(name: str) -> bool:
    """Whether a file of the snippets folder is a runnable snippet (a test of its own):
    ``.py`` files, but helpers that snippets import (``_x.py``, ``__init__.py``) and
    pytest's ``conftest.py``."""
    return name.endswith(".py") and not name.startswith("_") and name != "conftest.py"


def snippet_file_session(rel: str, code: str, timeout: float = DEFAULTS.timeout) -> Session:
    """The session that runs the snippet file ``rel`` (project-relative) top to bottom."""
    from studylog.model import BlockOptions

    block = Block(
        path=rel, line=1, code=code, filename=rel, first_line=1, options=BlockOptions(file=rel)
    )
    return Session(
        log=rel,
        name=PurePosixPath(rel).stem,
        blocks=(block,),
        timeout=timeout,
        includes=(rel,),
    )
