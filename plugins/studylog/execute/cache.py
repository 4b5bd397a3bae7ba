"""A content-addressed store of session results: one plain JSON file per key.

The key is the sha256 of canonical JSON of exactly what determines a
session's outputs (see :meth:`Cache.key`). Entries are readable files that
can be committed, like Quarto's ``_freeze/``, so a CPU-only CI can publish
outputs made on a GPU machine.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from studylog.execute.device import environment
from studylog.execute.results import BlockResult, Session, SessionResult

SCHEMA = 1


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._env: dict[str, dict[str, Any]] = {}  # key -> environment, written with the entry

    def key(self, session: Session, project_root: Path) -> str:
        """sha256 of the schema, each block's code, place and options, the included
        files' contents, and the environment (Python, torch, target device kind).

        Only successful sessions are stored, so the timeout is not part of the key."""
        env = environment(session)
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
        return self.root / f"{key}.json"

    def get(self, key: str) -> SessionResult | None:
        """The stored result, or None; an unreadable or corrupt entry is deleted."""
        path = self.path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("schema") != SCHEMA or data.get("key") != key:
                raise ValueError("stale or foreign entry")
            return _result_from(data["result"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            path.unlink(missing_ok=True)  # re-run rather than trust it
            return None

    def put(self, key: str, result: SessionResult) -> None:
        """Store atomically: readers see the old entry or the whole new one, never half."""
        self.root.mkdir(parents=True, exist_ok=True)
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
        fd, temp = tempfile.mkstemp(dir=self.root, prefix=".tmp-", suffix=".json")
        try:
            os.chmod(temp, 0o644)  # mkstemp makes it private; entries are shared files
            with open(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, self.path(key))
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def entries(self) -> list[Path]:
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

    def info(self) -> dict[str, Any]:
        sessions = []
        total = 0
        for path in self.entries():
            size = path.stat().st_size
            total += size
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                where = {"log": data["log"], "session": data["session"],
                         "device": (data.get("env") or {}).get("device")}
            except (OSError, ValueError, KeyError, TypeError):
                where = {"log": None, "session": None, "device": None}
            sessions.append({"key": path.stem, "bytes": size, **where})
        return {"root": str(self.root), "entries": len(sessions), "bytes": total,
                "sessions": sessions}


def _block_key(block: Any) -> dict[str, Any]:
    options = dataclasses.asdict(block.options)
    # Left out: how a block is shown, and its timeout and cache switch. None of them
    # changes a stored (successful) output, and leaving the timeout out lets the CLI,
    # the MkDocs plugin and the pytest plugin share entries whatever their defaults.
    for name in ("show", "timeout", "cache"):
        options.pop(name)
    # The place matters: tracebacks and warnings in the outputs name file:line.
    return {"code": block.code, "filename": block.filename, "first_line": block.first_line,
            "line": block.line, "options": options}


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _result_from(data: dict[str, Any]) -> SessionResult:
    blocks = tuple(
        BlockResult(**{**block, "figures": tuple(block.get("figures", ()))})
        for block in data.pop("blocks")
    )
    result = SessionResult(**data, blocks=blocks)
    if not isinstance(result.status, str) or not all(isinstance(b.line, int) for b in blocks):
        raise ValueError("malformed entry")
    return result
