"""Which files changed since the last build: a snapshot of the folders ``mkdocs serve`` watches.

MkDocs tells its builder *that* something changed, not what. A live rebuild
(:mod:`studylog.mkdocs_plugin.live`) needs to know, so each build records the
modification time and size of every file under the folders that can change the
site, and the next one compares.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

Snapshot = Mapping[str, tuple[int, int]]  # absolute path -> (mtime_ns, size)


def snapshot(roots: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """Every file under ``roots`` (files or folders; missing ones are skipped)."""
    found: dict[str, tuple[int, int]] = {}
    for root in roots:
        _scan(str(root), found)
    return found


def _scan(path: str, found: dict[str, tuple[int, int]]) -> None:
    try:
        stat = os.stat(path)
    except OSError:
        return
    if not os.path.isdir(path):
        found[path] = (stat.st_mtime_ns, stat.st_size)
        return
    try:
        entries = list(os.scandir(path))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=True):
                _scan(entry.path, found)
            else:
                st = entry.stat(follow_symlinks=True)
                found[entry.path] = (st.st_mtime_ns, st.st_size)
        except OSError:
            continue


def changed(before: Snapshot, after: Snapshot) -> set[str]:
    """The files added, removed or modified between two snapshots."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def under(path: str, roots: Iterable[Path]) -> bool:
    """Whether ``path`` is one of ``roots`` or inside one."""
    return any(path == str(r) or path.startswith(str(r) + os.sep) for r in roots)
