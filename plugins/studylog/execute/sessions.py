"""Grouping the executable snippets of parsed logs into sessions.

A session is what shares one namespace: the blocks of a log with the same
``session`` attribute (default: one per log), in document order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from studylog.execute.options import is_enabled, parse_options
from studylog.execute.results import Block, BlockOptions, Device, Session
from studylog.model import Log, Problem, Snippet

DEFAULT_SESSION = "default"
PYTHON = frozenset({"python", "py", "python3", "py3"})


def collect_sessions(
    logs: Iterable[Log], *, project_root: Path, default_timeout: float = 120.0
) -> tuple[list[Session], list[Problem]]:
    """Sessions of every log, in log order then first-appearance order, and the problems."""
    root = Path(project_root).resolve()
    sessions: list[Session] = []
    problems: list[Problem] = []
    for log in logs:
        groups: dict[str, list[Snippet]] = {}
        for snippet in log.snippets:
            enabled = is_enabled(snippet.attrs)
            if enabled is None:
                problems.append(Problem(
                    snippet.path, snippet.line,
                    f"bad value exec={snippet.attrs.get('exec')!r}; the block is not run",
                    hint='use exec="on" or exec="off"'))
            if not enabled:
                continue
            if snippet.lang.strip().lower() not in PYTHON:
                problems.append(Problem(
                    snippet.path, snippet.line,
                    f"only Python blocks can be executed, not {snippet.lang!r}",
                    hint='write ```python exec="on" or drop exec'))
                continue
            name = snippet.attrs.get("session", "").strip() or DEFAULT_SESSION
            groups.setdefault(name, []).append(snippet)
        for name, snippets in groups.items():
            session, found = _build_session(
                log.path, name, snippets, root=root, default_timeout=default_timeout)
            sessions.append(session)
            problems.extend(found)
    return sessions, problems


def _build_session(
    log_path: str, name: str, snippets: list[Snippet], *, root: Path, default_timeout: float
) -> tuple[Session, list[Problem]]:
    problems: list[Problem] = []
    blocks: list[Block] = []
    includes: list[str] = []
    refused, refused_line = "", 0
    device: Device = "auto"
    device_line = 0
    for snippet in snippets:
        options, found = parse_options(snippet.attrs, path=snippet.path, line=snippet.line)
        problems.extend(found)
        if options.device != "auto":
            if device != "auto" and options.device != device:
                problems.append(Problem(
                    snippet.path, snippet.line,
                    f'device="{options.device}" conflicts with device="{device}" '
                    f"at line {device_line} of the same session",
                    hint="a session has one DEVICE; use a separate session"))
            else:
                device, device_line = options.device, snippet.line
        block = Block(
            path=snippet.path, line=snippet.line, code=snippet.code,
            filename=snippet.path, first_line=snippet.code_line, options=options)
        if options.file is not None:
            block, why = _include(block, options, root)
            if why is not None:
                problems.append(Problem(snippet.path, snippet.line, why[0], hint=why[1]))
                if not refused:
                    refused, refused_line = why[0], snippet.line
            else:
                includes.append(block.filename)
                if snippet.code.strip():
                    problems.append(Problem(
                        snippet.path, snippet.line,
                        f"the code inside this file={options.file!r} block is not run",
                        hint="the file is run instead; move the code to its own block",
                        kind="warning"))
        blocks.append(block)
    requires = any(b.options.requires_cuda for b in blocks) or device == "cuda"
    session = Session(
        log=log_path, name=name, blocks=tuple(blocks), timeout=default_timeout,
        device=device, requires_cuda=requires, includes=tuple(dict.fromkeys(includes)),
        refused=refused, refused_line=refused_line)
    return session, problems


def _include(
    block: Block, options: BlockOptions, root: Path
) -> tuple[Block, tuple[str, str] | None]:
    """Point ``block`` at the project file it names, or say why it cannot be read."""
    assert options.file is not None
    rel = options.file
    target = (root / rel).resolve()
    if not target.is_relative_to(root):
        return block, (f"file={rel!r} is outside the project; the session is refused",
                       "include files from inside the project, e.g. snippets/")
    if not target.is_file():
        return block, (f"file={rel!r} does not exist; the session is refused",
                       "paths are relative to the project root (where mkdocs.yml is)")
    try:
        code = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return block, (f"file={rel!r} cannot be read ({exc}); the session is refused",
                       "include a UTF-8 text file")
    name = target.relative_to(root).as_posix()
    return replace(block, code=code, filename=name, first_line=1,
                   options=replace(options, file=name)), None
