"""Logs on disk: finding them under folders and parsing them with one set of rules.

A log is a Markdown file (``*.md``) or a notebook (``*.ipynb``, read by
:mod:`studylog.parse.notebooks` with the same rules).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path

from studylog.model import Log, Problem, is_notebook
from studylog.parse.config import ParserConfig
from studylog.parse.patterns import compile_rules

ParseOne = Callable[[str, bytes], Log]  # (path shown in problems, the file's bytes) -> Log
SUFFIXES = (".md", ".ipynb")  # what a log file is named


def parse_file(path: Path, *, root: Path | None = None, config: ParserConfig | None = None) -> Log:
    """Parse a log file; ``Log.path`` is relative to ``root`` (posix) when given."""
    return parse_paths([Path(path)], root=root, config=config, discover_in=False)[0]


def display_path(path: Path, root: Path | None, resolved: Path | None = None) -> str:
    """``path`` as messages and pages name it: relative to ``root`` (posix) when inside it;
    ``resolved``: ``path.resolve()``, when the caller has it already."""
    if root is not None:
        try:
            return (resolved or path.resolve()).relative_to(_resolved(Path(root))).as_posix()
        except ValueError:
            pass
    return path.as_posix()


@functools.lru_cache(maxsize=16)
def _resolved(root: Path) -> Path:
    # The project's root, resolved once per build rather than once per log.
    return root.resolve()


def parser(config: ParserConfig) -> ParseOne:
    """Parse a log's bytes with ``config``'s rules, compiled on the first log parsed."""
    rules = functools.cache(lambda: compile_rules(config))

    def parse(shown: str, data: bytes) -> Log:
        # markdown-it is imported on first use
        if is_notebook(shown):
            from studylog.parse.notebooks import parse_notebook

            return parse_notebook(data, shown, config, rules())
        from studylog.parse.logs import parse_log

        return parse_log(data, shown, config, rules())

    return parse


def _read(path: Path, shown: str, parse: ParseOne) -> Log:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Log(
            path=shown,
            body="",
            body_line=1,
            problems=(
                Problem(
                    shown,
                    1,
                    f"cannot read the file: {exc.strerror or exc}",
                    "check that it exists and is readable",
                ),
            ),
        )
    return parse(shown, data)


def discover(
    paths: Iterable[Path],
    *,
    root: Path | None = None,
    refused: list[Problem] | None = None,
    resolved: dict[Path, Path] | None = None,
) -> list[Path]:
    """Log files (``*.md``, ``*.ipynb``) under the given folders (any nesting, sorted) and
    the files given.

    Hidden folders (``.git``, ``.cache``) are skipped; duplicates appear once. With a
    ``root``, a file found in a folder that is a symbolic link to a file outside the
    project is left out and reported in ``refused``: publishing it would publish a file
    from elsewhere on the machine, under a URL naming its place there. ``resolved``
    receives each file's resolved path.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        given = Path(given)
        if given.is_dir():
            candidates = sorted(
                p
                for p in given.rglob("*")
                if p.suffix in SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(given).parts)
            )
        else:
            candidates = [given]
        for candidate in candidates:
            key = candidate.resolve()
            if root is not None and given.is_dir() and _outside(candidate, key, root):
                if refused is not None:
                    refused.append(_outside_problem(candidate, root))
                continue
            if key not in seen:
                seen.add(key)
                found.append(candidate)
                if resolved is not None:
                    resolved[candidate] = key
    return found


def _outside(path: Path, resolved: Path, root: Path) -> bool:
    return path.is_symlink() and not resolved.is_relative_to(Path(root).resolve())


def _outside_problem(link: Path, root: Path) -> Problem:
    try:  # the link's own place in the project, never where it points
        shown = link.absolute().relative_to(Path(root).absolute()).as_posix()
    except ValueError:
        shown = link.name
    return Problem(
        shown,
        1,
        "this log is a symbolic link to a file outside the project; it is not published",
        "copy the file into the project, or link to a file inside it",
    )


def parse_paths(
    paths: Iterable[Path],
    *,
    root: Path | None = None,
    config: ParserConfig | None = None,
    parse: ParseOne | None = None,
    discover_in: bool = True,
    refused: list[Problem] | None = None,
) -> list[Log]:
    """Parse every log :func:`discover` finds under ``paths`` (or ``paths`` themselves when
    ``discover_in`` is False); logs it leaves out are reported in ``refused``.

    ``parse`` turns one file's bytes into a Log (default: :func:`parser` of ``config``);
    a caller that keeps logs between builds passes its own, which asks its store first.
    """
    parse = parse or parser(config or ParserConfig())
    resolved: dict[Path, Path] = {}
    files = (
        discover(paths, root=root, refused=refused, resolved=resolved)
        if discover_in
        else [Path(p) for p in paths]
    )
    return [_read(p, display_path(p, root, resolved.get(p)), parse) for p in files]
