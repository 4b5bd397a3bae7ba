"""A content-addressed store of session results: one plain JSON file per key.

The key is the sha256 of canonical JSON of exactly what determines a
session's outputs (see :meth:`Cache.key`). Entries are readable files that
can be committed, like Quarto's ``_freeze/``, so a CPU-only CI can publish
outputs made on a GPU machine.

An entry is therefore untrusted input: it is checked field by field on load
(:mod:`studylog.execute.schema`), and one that fails is discarded (the session
runs again) with a warning naming the file; the HTML and SVG it holds are
sanitized when rendered, like fresh outputs. A cache folder that cannot be
written is a warning too: the build goes on without storing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from studylog.execute.device import environment
from studylog.execute.results import Session, SessionResult
from studylog.execute.schema import Invalid, session_from
from studylog.model import Problem

SCHEMA = 1


class Cache:
    """Session results stored under ``root``, one JSON file per key."""

    def __init__(self, root: Path, *, shown_root: Path | None = None) -> None:
        self.root = Path(root)
        self._env: dict[str, dict[str, Any]] = {}  # key -> environment, written with the entry
        # Entries discarded and writes that failed, as warnings for the front end to show;
        # paths in them are relative to ``shown_root`` (the project) when given.
        self.problems: list[Problem] = []
        self._shown_root = shown_root
        self._unwritable = False
        self._lock = threading.Lock()

    def key(self, session: Session, project_root: Path, env: dict[str, Any] | None = None) -> str:
        """sha256 of the schema, each block's code, place and options, the included
        files' contents, and the environment (Python, torch, target device kind; this
        machine's unless ``env`` is given).

        Only successful sessions are stored, so the timeout is not part of the key."""
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
        return key

    def path(self, key: str) -> Path:
        """The file of the entry ``key``."""
        return self.root / f"{key}.json"

    def get(self, key: str) -> SessionResult | None:
        """The stored result, or None; an entry that is not a valid result is deleted (the
        session runs again) and reported in :attr:`problems`."""
        path = self.path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("schema") != SCHEMA:
                raise Invalid("written by another version of studylog, or not an entry")
            if data.get("key") != key:
                raise Invalid("its key does not match its file name")
            return session_from(data.get("result"), "result")
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
            with contextlib.suppress(ValueError):
                shown = path.resolve().relative_to(self._shown_root.resolve()).as_posix()
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

    def info(self) -> dict[str, Any]:
        """What the cache holds: its folder, its entries and their size, each entry's session."""
        sessions = []
        total = 0
        for path in self.entries():
            size = path.stat().st_size
            total += size
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
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
    # changes a stored (successful) output, and leaving the timeout out lets the CLI,
    # the MkDocs plugin and the pytest plugin share entries whatever their defaults.
    for name in ("show", "timeout", "cache"):
        options.pop(name)
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
