"""A memo of pure computations on text, kept between builds in the cache folder as data.

A warm rebuild (nothing changed) should cost what MkDocs' own page build
costs. Parsing every log, rendering its body and analysing the Korean search
index are pure functions of text and studylog's own code, so their results are
kept by a hash of exactly those inputs: the log's bytes, the options that shape
the result, and a fingerprint of the installed studylog modules (an upgraded or
edited studylog never reuses an old result).

The memo is one JSON file, ``cache_dir/build/memo.json``, holding typed values
only (:data:`KINDS`: parsed logs, prepared bodies, texts); only the entries used by
the last build are written back, so it never grows with stale entries. It is
data, never code, and never trusted: a file anyone may have edited (a pull
request can commit it) is read with a size limit, decoded into exactly the
types each kind declares (msgspec checks every field), and a value that is not
what its kind says discards the whole file with one warning naming it; the
build then computes everything again and writes a fresh memo. A memo written
by another version of studylog is set aside silently. Its keys also hash the
installed modules' sizes and modification times, so a memo made on another
machine matches nothing here.

The file sits in a ``build/`` subfolder that ignores itself in git: a project
that commits its snippet cache (to publish GPU outputs) does not commit the memo.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import math
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from studylog.model import Log, Problem
from studylog.render.body import PreparedBody
from studylog.render.log_markdown import MarkdownBody

T = TypeVar("T")

FOLDER = "build"  # inside the cache folder
FILE = "memo.json"
OLD_FILES = ("memo.pickle",)  # earlier formats: deleted unread when a memo is saved
SCHEMA = 2
MAX_BYTES = 1 << 30  # a larger file is not read: no real site's memo comes near
MAX_DEPTH = 64  # nesting of a front matter value


# -- the kinds of values kept, each a typed entry of the file ------------------------------


class _Text(msgspec.Struct, tag="text", tag_field="kind"):
    value: str


class _Texts(msgspec.Struct, tag="texts", tag_field="kind"):
    value: tuple[str, ...]


class _Log(msgspec.Struct, tag="log", tag_field="kind"):
    value: Log  # its front matter is kept apart, in ``front``: YAML holds more than JSON
    front: Any


class _Body(msgspec.Struct, tag="body", tag_field="kind"):
    value: PreparedBody


class _MarkdownBody(msgspec.Struct, tag="markdown-body", tag_field="kind"):
    value: MarkdownBody


_Entry = _Text | _Texts | _Log | _Body | _MarkdownBody
# What may be kept: the Python type a caller asks for -> how it is stored.
KINDS: dict[type, type] = {
    str: _Text,
    tuple: _Texts,
    Log: _Log,
    PreparedBody: _Body,
    MarkdownBody: _MarkdownBody,
}


class _File(msgspec.Struct):
    schema: int
    entries: dict[str, _Entry] = {}


class _Version(msgspec.Struct):
    schema: int = -1


class Unkept(ValueError):
    """A value the memo cannot hold as data (it is computed again on every build)."""


def _entry(value: object) -> _Entry:
    if isinstance(value, Log):
        return _Log(replace(value, front_matter={}), tag(value.front_matter))
    if isinstance(value, str):
        return _Text(value)
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return _Texts(value)
    if isinstance(value, PreparedBody):
        return _Body(value)
    if isinstance(value, MarkdownBody):
        return _MarkdownBody(value)
    raise Unkept(f"the memo keeps no {type(value).__name__}")


def _value(entry: _Entry) -> object:
    if isinstance(entry, _Log):
        return replace(entry.value, front_matter=untag(entry.front))
    return entry.value


# -- front matter: YAML's values as tagged JSON --------------------------------------------

# Every value that is not a JSON scalar is one single-key object naming its type, so the
# tree reads back as exactly what YAML (or a notebook's metadata) gave.
_SCALARS = (str, bool, type(None))


def tag(value: object, depth: int = 0) -> Any:
    """``value`` (a front matter value) as tagged JSON data; :class:`Unkept` if it has a
    type the memo does not know, or nests deeper than :data:`MAX_DEPTH`."""
    if depth > MAX_DEPTH:
        raise Unkept("nested too deep")
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, int):
        return value if -(1 << 63) <= value < (1 << 63) else {"int": str(value)}
    if isinstance(value, float):
        return value if math.isfinite(value) else {"float": repr(value)}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, bytes):
        return {"bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        return {"map": [[tag(k, depth + 1), tag(v, depth + 1)] for k, v in value.items()]}
    for kind, name in ((list, "list"), (tuple, "tuple"), (set, "set"), (frozenset, "frozenset")):
        if isinstance(value, kind):
            return {name: [tag(v, depth + 1) for v in value]}
    raise Unkept(f"a front matter value of type {type(value).__name__}")


def untag(data: object, depth: int = 0) -> Any:
    """The value :func:`tag` wrote; :class:`ValueError` for anything it cannot have written."""
    if depth > MAX_DEPTH:
        raise ValueError("front matter nested too deep")
    if isinstance(data, (*_SCALARS, int, float)):
        return data
    if not isinstance(data, dict) or len(data) != 1:
        raise ValueError(f"not a tagged front matter value: {type(data).__name__}")
    ((name, inner),) = data.items()
    if name in ("list", "tuple", "set", "frozenset") and isinstance(inner, list):
        items = [untag(v, depth + 1) for v in inner]
        return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[name](items)
    if name == "map" and isinstance(inner, list):
        pairs = [p for p in inner if isinstance(p, list) and len(p) == 2]
        if len(pairs) != len(inner):
            raise ValueError("a front matter mapping holds something other than pairs")
        return {untag(k, depth + 1): untag(v, depth + 1) for k, v in pairs}
    if isinstance(inner, str):
        readers: dict[str, Callable[[str], object]] = {
            "int": int,
            "float": float,
            "datetime": dt.datetime.fromisoformat,
            "date": dt.date.fromisoformat,
            "bytes": lambda text: base64.b64decode(text, validate=True),
        }
        if name in readers:
            return readers[name](inner)
    raise ValueError(f"unknown front matter value {name!r}")


# -- keys -------------------------------------------------------------------------------


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


# -- the memo -----------------------------------------------------------------------------


class Memo:
    """A dict of ``key -> value`` kept in ``cache_dir/build/memo.json`` (or in memory only).

    ``shown_root``: the folder the file's path is named from in :attr:`problems`."""

    def __init__(self, cache_dir: Path | None = None, *, shown_root: Path | None = None) -> None:
        self.path = Path(cache_dir) / FOLDER / FILE if cache_dir is not None else None
        self.problems: list[Problem] = []  # a memo that could not be read, as a warning
        self._shown_root = shown_root
        self._old: dict[str, _Entry] = self._load()
        self._used: dict[str, _Entry] = {}
        self._values: dict[str, object] = {}
        self.hits = 0
        self.misses = 0

    def _shown(self) -> str:
        assert self.path is not None
        if self._shown_root is not None:
            try:
                return self.path.resolve().relative_to(self._shown_root.resolve()).as_posix()
            except ValueError:
                pass
        return str(self.path)

    def _load(self) -> dict[str, _Entry]:
        if self.path is None:
            return {}
        try:
            size = self.path.stat().st_size
            if size > MAX_BYTES:
                raise ValueError(f"it is {size:,} bytes, more than the {MAX_BYTES:,} read")
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            return self._bad(str(exc))
        try:
            if msgspec.json.decode(data, type=_Version).schema != SCHEMA:
                return {}  # another version's memo: not this one's to judge
            entries = msgspec.json.decode(data, type=_File).entries
            for entry in entries.values():  # front matter is checked as it is read back
                if isinstance(entry, _Log):
                    untag(entry.front)
        except (msgspec.DecodeError, ValueError, RecursionError) as exc:
            return self._bad(str(exc) or type(exc).__name__)
        return entries

    def _bad(self, why: str) -> dict[str, _Entry]:
        self.problems.append(
            Problem(
                self._shown(),
                1,
                f"the build memo cannot be used ({why}); it is rebuilt",
                "studylog writes this file itself; delete it, or run `studylog cache clear`",
                "warning",
            )
        )
        return {}

    def get(self, name: str) -> Any:
        """The value stored under ``name``, or None."""
        if name in self._values:
            self.hits += 1
            return self._values[name]
        entry = self._old.get(name)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        value = self._values[name] = _value(entry)
        self._used[name] = entry
        return value

    def put(self, name: str, value: Any) -> None:
        """Store ``value`` under ``name`` (kept by the next :meth:`save`); a value the memo
        cannot hold as data is left out (computed again next time)."""
        try:
            self._used[name] = _entry(value)
        except Unkept:
            return
        self._values[name] = value

    @property
    def changed(self) -> bool:
        """Whether this build used other entries than the file holds."""
        return self._used.keys() != self._old.keys()

    def next_build(self) -> None:
        """Start another build with this memo (under ``mkdocs serve``): what the last one used
        is what the file holds once saved."""
        self.save()
        self._old = dict(self._used)
        self._used = {}
        self._values = {}
        self.problems = []

    def save(self) -> None:
        """Write the entries used since loading (atomically); nothing when nothing changed."""
        if self.path is None or not self.changed:
            return
        payload = msgspec.json.encode(_File(SCHEMA, self._used))
        try:
            folder = build_dir(self.path.parent.parent)
            fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        except OSError:
            return  # a read-only project: the next build computes again, nothing else changes
        try:
            with open(fd, "wb") as handle:
                handle.write(payload)
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        for old in OLD_FILES:  # never read: an earlier studylog's format
            (folder / old).unlink(missing_ok=True)
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
