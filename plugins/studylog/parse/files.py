"""Logs on disk: finding them under folders and parsing them with one set of rules."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path

from studylog import memo as memos
from studylog.model import Log, Problem
from studylog.parse.config import ParserConfig
from studylog.parse.patterns import Rules, compile_rules


def parse_file(path: Path, *, root: Path | None = None, config: ParserConfig | None = None) -> Log:
    """Parse a log file; ``Log.path`` is relative to ``root`` (posix) when given."""
    config = config or ParserConfig()
    return _parse_file(Path(path), root, config, lambda: compile_rules(config))


def _display_path(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _parse_file(path: Path, root: Path | None, config: ParserConfig,
                rules: Callable[[], Rules], memo: memos.Memo | None = None) -> Log:
    """``rules`` is called only if the log must be parsed (not when the memo holds it)."""
    shown = _display_path(path, root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Log(path=shown, body="", body_line=1, problems=(Problem(
            shown, 1, f"cannot read the file: {exc.strerror or exc}",
            "check that it exists and is readable",
        ),))

    def parse() -> Log:
        from studylog.parse.logs import parse_log  # markdown-it: not needed on memo hits

        return parse_log(data, shown, config, rules())

    return memos.remember(memo, Log, parse, "parse", shown, repr(config), data)


def discover(paths: Iterable[Path]) -> list[Path]:
    """``*.md`` files under the given folders (any nesting, sorted) and the files given.

    Hidden folders (``.git``, ``.cache``) are skipped; duplicates appear once.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        given = Path(given)
        if given.is_dir():
            candidates = sorted(
                p for p in given.rglob("*.md")
                if p.is_file() and not any(part.startswith(".")
                                           for part in p.relative_to(given).parts)
            )
        else:
            candidates = [given]
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def parse_paths(paths: Iterable[Path], *, root: Path | None = None,
                config: ParserConfig | None = None, memo: memos.Memo | None = None) -> list[Log]:
    """Parse every log :func:`discover` finds under ``paths``.

    With a ``memo``, a log whose bytes, path and parser config are unchanged since
    the memo was saved is not parsed again.
    """
    config = config or ParserConfig()
    # Compiled on the first log the memo does not hold (a warm build needs none).
    rules = functools.cache(lambda: compile_rules(config))
    return [_parse_file(p, root, config, rules, memo) for p in discover(paths)]
