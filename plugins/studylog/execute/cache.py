"""A content-addressed store of session results: one plain JSON file per key.

The key is the sha256 of canonical JSON of exactly what determines a
session's outputs (see :meth:`Cache.key`). Entries are readable files that
can be committed, like Quarto's ``_freeze/``, so a CPU-only CI can publish
outputs made on a GPU machine.

A session that ran is stored whatever its outcome (:meth:`Cache.stores`): a
failure, a crash or a timeout is kept like a success, so an unchanged failing
session is not run again on every rebuild. A timeout depends on the time a block
was given, which the key leaves out (successes are shared whatever the timeout),
and a failure may depend on what the sandbox allowed (the network, a variable): a
stored failure counts only for the same timeouts and sandbox (:meth:`Cache.get`).

An entry is therefore untrusted input: it is checked field by field on load
(:mod:`studylog.execute.schema`), and one that fails is discarded (the session
runs again) with a warning naming the file; the HTML and SVG it holds are
sanitized when rendered, like fresh outputs. A cache folder that cannot be
written is a warning too: the build goes on without storing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import json
import os
import re
import stat
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from studylog.execute.device import environment
from studylog.execute.limits import limited
from studylog.execute.results import Session, SessionResult
from studylog.execute.schema import Invalid, session_from
from studylog.execute.status import how
from studylog.model import Problem
from studylog.settings import SandboxSettings

SCHEMA = 1
MAX_ENTRY_BYTES = 32 << 20  # an entry is a few kilobytes; its figures make it larger
MAX_DEPTH = 64  # nesting of an entry's JSON (studylog writes 4 levels)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def read_entry(path: Path) -> Any:
    """The JSON data of the entry file ``path``, read as untrusted input: a regular file
    (not a symbolic link, a device or a pipe), at most ``MAX_ENTRY_BYTES``, nested at most
    ``MAX_DEPTH`` deep. Raises :class:`Invalid` saying which, or OSError."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Invalid("it is a symbolic link") from None
        raise
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Invalid("it is not a regular file")
        data = handle.read(MAX_ENTRY_BYTES + 1)
    if len(data) > MAX_ENTRY_BYTES:
        raise Invalid(f"it is larger than {MAX_ENTRY_BYTES >> 20} MiB")
    text = data.decode("utf-8")
    if _too_deep(text):
        raise Invalid(f"it nests deeper than {MAX_DEPTH} levels")
    return json.loads(text)


def _too_deep(text: str) -> bool:
    """Whether the JSON ``text`` nests deeper than ``MAX_DEPTH`` (checked before parsing,
    so no parser ever recurses that deep)."""
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


class Cache:
    """Session results stored under ``root``, one JSON file per key."""

    def __init__(
        self,
        root: Path,
        *,
        shown_root: Path | None = None,
        sandbox: SandboxSettings | None = None,
    ) -> None:
        self.root = Path(root)
        # What else a failure may depend on: the sandbox the sessions run in (as JSON reads
        # it back, so a stored one compares equal).
        self._conditions = (
            json.loads(json.dumps({"sandbox": dataclasses.asdict(sandbox)}))
            if sandbox is not None
            else None
        )
        self._env: dict[str, dict[str, Any]] = {}  # key -> environment, written with the entry
        # key -> each block's timeout: a failure is stored with them and used only with them
        self._timeouts: dict[str, list[float]] = {}
        # Entries discarded and writes that failed, as warnings for the front end to show;
        # paths in them are relative to ``shown_root`` (the project) when given.
        self.problems: list[Problem] = []
        self._shown_root = shown_root
        self._unwritable = False
        self._lock = threading.Lock()
        self._envs_seen: list[dict[str, Any]] | None = None  # see _written_envs

    def key(self, session: Session, project_root: Path, env: dict[str, Any] | None = None) -> str:
        """sha256 of the schema, each block's code, place and options, the included
        files' contents, and the environment (Python, torch, target device kind; this
        machine's unless ``env`` is given).

        The timeout is not part of the key: a success is one under any timeout (so the
        CLI, the plugin and pytest share entries whatever their defaults); a stored
        failure is checked against the session's timeouts in :meth:`get`."""
        env = environment(session) if env is None else env
        payload = {
            "schema": SCHEMA,
            "blocks": [_block_key(block) for block in session.blocks],
            "includes": {path: _digest(Path(project_root) / path) for path in session.includes},
            "env": env,
        }
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        key = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        self._env[key] = env
        self._timeouts[key] = list(session.timeouts)
        return key

    @staticmethod
    def stores(result: SessionResult) -> bool:
        """Whether a fresh result is stored: every session that ran, failures included; not
        one that never ran (refused, unavailable, or its worker could not start)."""
        return how(result) == "run"

    def path(self, key: str) -> Path:
        """The file of the entry ``key``."""
        return self.root / f"{key}.json"

    def get(self, key: str) -> SessionResult | None:
        """The stored result, or None: none is stored, or a failure stored under other
        timeouts than the session's now, or another sandbox than this cache's. An entry
        that is not a valid result is deleted (the session runs again) and reported in
        :attr:`problems`."""
        path = self.path(key)
        try:
            data = read_entry(path)
            if not isinstance(data, dict) or data.get("schema") != SCHEMA:
                raise Invalid("written by another version of studylog, or not an entry")
            if data.get("key") != key:
                raise Invalid("its key does not match its file name")
            # Outputs are cut as fresh ones are: an edited entry publishes no more.
            result = limited(session_from(data.get("result"), "result"))
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._warn(
                path,
                f"the cache entry is not valid ({reason}); it was discarded "
                "and its session runs again",
                "a cache entry is written by studylog; an edited or corrupt one is never used",
            )
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
            return None
        if result.failed and (
            data.get("timeouts") != self._timeouts.get(key)
            or data.get("conditions") != self._conditions
        ):
            return None  # a failure under other timeouts or another sandbox: run again
        return result

    def put(self, key: str, result: SessionResult) -> None:
        """Store atomically: readers see the old entry or the whole new one, never half.
        A folder that cannot be written is reported once in :attr:`problems`."""
        stored = dataclasses.replace(result, cached=False, frozen=False)
        entry = {
            "schema": SCHEMA,
            "key": key,
            "log": result.log,
            "session": result.session,
            "env": self._env.get(key),
            "timeouts": self._timeouts.get(key),
            "conditions": self._conditions,
            "result": dataclasses.asdict(stored),
        }
        text = json.dumps(entry, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.root, prefix=".tmp-", suffix=".json")
        except OSError as exc:
            with self._lock:
                if self._unwritable:
                    return
                self._unwritable = True
            self._warn(
                self.root,
                f"the snippet cache cannot be written ({exc.strerror or exc}); "
                "outputs are not stored, and sessions run again next time",
                "make the folder writable, or point cache_dir at one that is",
            )
            return
        try:
            os.chmod(temp, 0o644)  # mkstemp makes it private; entries are shared files
            with open(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, self.path(key))
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def _warn(self, path: Path, message: str, hint: str) -> None:
        shown = path.as_posix()
        if self._shown_root is not None:
            # The folder resolved, not the file: an entry that is a link is named as itself.
            real = Path(os.path.realpath(path.parent)) / path.name
            with contextlib.suppress(ValueError):
                shown = real.relative_to(self._shown_root.resolve()).as_posix()
        with self._lock:
            self.problems.append(Problem(shown, 1, message, hint=hint, kind="warning"))

    def entries(self) -> list[Path]:
        """Every entry's file, sorted (not the leftovers of interrupted writes)."""
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.glob("*.json") if not p.name.startswith(".tmp-"))

    def clear(self) -> int:
        """Delete every entry (and leftovers of interrupted writes); return how many entries."""
        removed = 0
        for path in self.entries():
            path.unlink(missing_ok=True)
            removed += 1
        if self.root.is_dir():
            for leftover in self.root.glob(".tmp-*"):
                leftover.unlink(missing_ok=True)
        return removed

    def prune(self, sessions: Sequence[Session], project_root: Path) -> tuple[int, int]:
        """Delete the entries no session of ``sessions`` uses; (removed, kept).

        An entry is kept when it is the result of one of ``sessions`` in *any* environment
        an entry was written in (another Python, a GPU machine's torch), so outputs made
        elsewhere for today's code stay; what goes is what earlier versions of the code
        left behind."""
        entries = self.entries()
        envs: dict[str, dict[str, Any]] = {}
        for path in entries:
            with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
                env = json.loads(path.read_text(encoding="utf-8")).get("env")
                if isinstance(env, dict):
                    envs[json.dumps(env, sort_keys=True)] = env
        used = {
            self.key(session, project_root, env)
            for session in sessions
            for env in [environment(session), *envs.values()]
        }
        removed = 0
        for path in entries:
            if path.stem not in used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed, len(entries) - removed

    def stored(
        self, session: Session, project_root: Path
    ) -> tuple[SessionResult, dict[str, Any]] | None:
        """The newest stored result of ``session``'s code in any environment an entry was
        written in (another torch, another Python), with that environment; None when
        there is none. What ``pytest --studylog-compare`` compares a fresh run with."""
        found: list[tuple[float, str, dict[str, Any]]] = []
        for env in self._written_envs():
            key = self.key(session, project_root, env)
            path = self.path(key)
            with contextlib.suppress(OSError):
                found.append((path.stat().st_mtime, key, env))
        for _, key, env in sorted(found, key=lambda item: item[0], reverse=True):
            result = self.get(key)
            if result is not None:
                return result, env
        return None

    def _written_envs(self) -> list[dict[str, Any]]:
        """The environments the entries were written in, each once (read once)."""
        if self._envs_seen is None:
            envs: dict[str, dict[str, Any]] = {}
            for path in self.entries():
                with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
                    env = json.loads(path.read_text(encoding="utf-8")).get("env")
                    if isinstance(env, dict):
                        envs[json.dumps(env, sort_keys=True)] = env
            self._envs_seen = list(envs.values())
        return self._envs_seen

    def info(self) -> dict[str, Any]:
        """What the cache holds: its folder, its entries and their size, each entry's session."""
        sessions = []
        total = 0
        for path in self.entries():
            size = path.lstat().st_size
            total += size
            try:
                data = read_entry(path)
                where = {
                    "log": data["log"],
                    "session": data["session"],
                    "device": (data.get("env") or {}).get("device"),
                }
            except (OSError, ValueError, KeyError, TypeError):
                where = {"log": None, "session": None, "device": None}
            sessions.append({"key": path.stem, "bytes": size, **where})
        return {
            "root": str(self.root),
            "entries": len(sessions),
            "bytes": total,
            "sessions": sessions,
        }


def _block_key(block: Any) -> dict[str, Any]:
    options = dataclasses.asdict(block.options)
    # Left out: how a block is shown, and its timeout and cache switch. None of them
    # changes a successful output, and leaving the timeout out lets the CLI, the MkDocs
    # plugin and the pytest plugin share entries whatever their defaults (a stored
    # failure is matched against the timeouts it ran under, see Cache.get).
    for name in ("show", "timeout", "cache"):
        options.pop(name)
    if not options["network"]:  # keys made before the option existed stay valid
        options.pop("network")
    # The place matters: tracebacks and warnings in the outputs name file:line.
    return {
        "code": block.code,
        "filename": block.filename,
        "first_line": block.first_line,
        "line": block.line,
        "options": options,
    }


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
