"""A memo of pure computations on text, kept between builds in the cache folder.

A warm rebuild (nothing changed) should cost what MkDocs' own page build
costs. Parsing every log, re-parsing its body for rendering and analysing the
Korean search index are pure functions of text and studylog's own code, so
their results are kept by a hash of exactly those inputs: the log's bytes,
the options that shape the result, and a fingerprint of the installed studylog
modules (an upgraded or edited studylog never reuses an old result).

One pickle file holds the memo; only the entries used by the last build are
written back, so the file never grows with stale entries. An unreadable or
foreign file is ignored (everything is recomputed). The file lives in the
project's cache folder beside the snippet cache, which the project already
trusts to the same degree as its own code: its snippets run on every build.
It sits in a ``build/`` subfolder that ignores itself in git: a project that
commits its snippet cache (to publish GPU outputs) does not commit the memo.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

FOLDER = "build"  # inside the cache folder
FILE = "memo.pickle"
SCHEMA = 1


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of every studylog module's name, size and modification time."""
    package = Path(__file__).resolve().parent
    digest = hashlib.blake2b(f"{SCHEMA}".encode(), digest_size=16)
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()


def key(*parts: str | bytes) -> str:
    """A hash of ``parts`` (each length-prefixed, so boundaries count) and studylog's code."""
    digest = hashlib.blake2b(code_fingerprint().encode(), digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


class Memo:
    """A dict of ``key -> value`` kept in ``cache_dir/build/memo.pickle`` (or in memory only)."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.path = Path(cache_dir) / FOLDER / FILE if cache_dir is not None else None
        self._old: dict[str, Any] = self._load()
        self._used: dict[str, Any] = {}
        self.hits = 0
        self.misses = 0

    def _load(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            with open(self.path, "rb") as handle:
                data = pickle.load(handle)
        except Exception:  # missing, truncated, foreign or from another version: start over
            return {}
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def get(self, name: str) -> Any:
        """The value stored under ``name``, or None."""
        if name in self._used:
            self.hits += 1
            return self._used[name]
        if name in self._old:
            self.hits += 1
            value = self._used[name] = self._old[name]
            return value
        self.misses += 1
        return None

    def put(self, name: str, value: Any) -> None:
        """Store ``value`` under ``name`` (kept by the next :meth:`save`)."""
        self._used[name] = value

    @property
    def changed(self) -> bool:
        """Whether this build used other entries than the file holds."""
        return self._used.keys() != self._old.keys()

    def save(self) -> None:
        """Write the entries used since loading (atomically); nothing when nothing changed."""
        if self.path is None or not self.changed:
            return
        payload = pickle.dumps(
            {"schema": SCHEMA, "entries": self._used}, protocol=pickle.HIGHEST_PROTOCOL
        )
        try:
            build_dir(self.path.parent.parent)
            fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".pickle")
        except OSError:
            return  # a read-only project: the next build computes again, nothing else changes
        try:
            with open(fd, "wb") as handle:
                handle.write(payload)
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self._old = dict(self._used)


def build_dir(cache_dir: Path) -> Path:
    """``cache_dir/build/``, made if needed, with a ``.gitignore`` that ignores all of it.

    What a site build keeps for itself (the memo, drawn charts) goes here, never beside
    the snippet entries that a project may commit."""
    folder = Path(cache_dir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# written by studylog: build files, not for git\n*\n", encoding="utf-8")
    return folder


def remember(memo: Memo | None, kind: type[T], compute: Callable[[], T], *parts: str | bytes) -> T:
    """``compute()``, or the ``kind`` value the memo holds under the key of ``parts``."""
    if memo is None:
        return compute()
    name = key(*parts)
    found = memo.get(name)
    if isinstance(found, kind):
        return found
    value = compute()
    memo.put(name, value)
    return value


def clear(cache_dir: Path) -> bool:
    """Delete ``cache_dir/build/`` (the memo, drawn charts); True if there was one."""
    folder = Path(cache_dir) / FOLDER
    existed = folder.is_dir()
    shutil.rmtree(folder, ignore_errors=True)
    return existed
