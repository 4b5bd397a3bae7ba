"""What a parser change changes: every field ``studylog check --json`` reads, before and after.

    python -m bench.parse_diff --base main            # the demo logs and the test fixtures
    python -m bench.parse_diff --base main logs other/folder

The base revision is exported with ``git archive`` into a temporary folder and run from
there; the working tree is the "after". Both run ``studylog check --json --default-year 2023``
over the same folders from the project folder (so ``mkdocs.yml``'s options apply to
``logs/``), and every field that differs is printed as ``file: field: before -> after``,
days by their index and title, problems as ``line kind message``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("logs", "tests/fixtures/parse", "tests/fixtures/fidelity/logs")
FIELDS = (
    "kind",
    "title",
    "date",
    "week",
    "day",
    "keywords",
    "tags",
    "categories",
    "questions",
    "answers",
    "tasks_done",
    "tasks_open",
    "snippets",
)
DAY_FIELDS = ("day", "date", "title", "week", "keywords", "questions", "answers")


def check(plugins: Path, folders: Sequence[str], year: int) -> dict[str, Any]:
    """``studylog check --json`` over each folder, run with the package under ``plugins``."""
    env = {**os.environ, "PYTHONPATH": str(plugins), "NO_MKDOCS_2_WARNING": "1"}
    found: dict[str, Any] = {}
    for folder in folders:
        command = [sys.executable, "-m", "studylog", "check", folder, "--json"]
        command += ["--default-year", str(year)]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if not done.stdout.strip():
            raise SystemExit(f"studylog check {folder} printed nothing:\n{done.stderr}")
        for key, log in json.loads(done.stdout).items():
            found[f"{folder}/{key}"] = log
    return found


def export(revision: str, into: Path) -> Path:
    """The package of ``revision`` (its ``plugins`` folder), written under ``into``."""
    archive = into / "base.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", revision, "plugins"], cwd=ROOT, stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "plugins"


def _problems(log: dict[str, Any]) -> list[str]:
    return [f"{p['line']} {p['kind']} {p['message']}" for p in log["problems"]]


def differences(before: dict[str, Any], after: dict[str, Any]) -> Iterator[str]:
    """One line per field that differs, file by file."""
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old is None or new is None:
            yield f"{name}: {'added' if old is None else 'removed'}"
            continue
        for field in FIELDS:
            if old[field] != new[field]:
                yield f"{name}: {field}: {old[field]!r} -> {new[field]!r}"
        old_days, new_days = old["days"], new["days"]
        if len(old_days) != len(new_days):
            yield (
                f"{name}: days: {[d['title'] for d in old_days]!r} -> "
                f"{[d['title'] for d in new_days]!r}"
            )
        for index, (a, b) in enumerate(zip(old_days, new_days, strict=False)):
            for field in DAY_FIELDS:
                if a[field] != b[field]:
                    where = f"{name}: days[{index}] {b['title']!r}"
                    yield f"{where}: {field}: {a[field]!r} -> {b[field]!r}"
        gone = [p for p in _problems(old) if p not in _problems(new)]
        came = [p for p in _problems(new) if p not in _problems(old)]
        for problem in gone:
            yield f"{name}: problem gone: {problem}"
        for problem in came:
            yield f"{name}: problem new: {problem}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", default=list(FOLDERS))
    parser.add_argument("--base", default="main", help="the git revision to compare with")
    parser.add_argument("--default-year", type=int, default=2023)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        before = check(export(args.base, Path(tmp)), args.folders, args.default_year)
    after = check(ROOT / "plugins", args.folders, args.default_year)
    lines = list(differences(before, after))
    print("\n".join(lines) if lines else "no field changed")
    print(f"{len(after)} logs, {len(lines)} differences", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
