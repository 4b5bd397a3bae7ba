"""``studylog cache info|prune|clear``: manage the snippet cache (the site's ``cache_dir``).

``prune`` keeps what the current logs and snippet files use (see
:meth:`studylog.execute.Cache.prune`): the entries that earlier versions of edited
snippets left behind go, which keeps a committed cache folder small and reviewable.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

from studylog.cli import project

if TYPE_CHECKING:
    from studylog.execute.results import Session
    from studylog.project import Project


def register(subparsers: Any) -> None:
    """Add ``cache`` and its options to the command line."""
    parser = subparsers.add_parser(
        "cache",
        help="show or empty the snippet cache",
        description="Manage the cache of snippet outputs (one JSON file per session).",
    )
    parser.add_argument(
        "action",
        choices=("info", "prune", "clear"),
        help="info: what is stored; prune: delete the entries the current logs and "
        "snippets do not use; clear: delete every entry",
    )
    parser.add_argument("--json", action="store_true", help="print info as JSON")
    project.register(parser, main)


def main(args: argparse.Namespace, found: Project) -> int:
    """Show what the cache holds, or empty it; the exit status."""
    from studylog import memo
    from studylog.execute import Cache

    cache = Cache(found.cache_dir)
    if args.action == "prune":
        removed, kept = cache.prune(current_sessions(found), found.root)
        print(
            f"removed {removed} entr{'y' if removed == 1 else 'ies'} that no log or snippet "
            f"uses from {cache.root}; kept {kept}"
        )
        return 0
    if args.action == "clear":
        removed = cache.clear()
        # What the site build keeps for itself: parsed logs and drawn charts.
        extras = memo.clear(cache.root)
        print(
            f"removed {removed} entr{'y' if removed == 1 else 'ies'} from {cache.root}"
            + (" (and the build's parsed logs and charts)" if extras else "")
        )
        return 0
    info = cache.info()
    if args.json:
        json.dump(info, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    print(f"{info['root']}: {info['entries']} entries, {info['bytes'] / 1024:,.1f} KiB")
    per_log = Counter(str(s["log"]) for s in info["sessions"])
    devices = Counter(str(s["device"]) for s in info["sessions"])
    for log, count in sorted(per_log.items()):
        print(f"  {log}: {count} session{'s' if count != 1 else ''}")
    if devices:
        print("  target devices: " + ", ".join(f"{d} {n}" for d, n in sorted(devices.items())))
    return 0


def current_sessions(found: Project) -> list[Session]:
    """Every session the site's logs and snippet files hold today (as ``mkdocs build``
    and ``pytest`` run them)."""
    from studylog.execute import collect_sessions
    from studylog.execute.sessions import is_snippet_file, snippet_file_session
    from studylog.parse import parse_paths
    from studylog.parse.config import parser_config

    settings = found.settings
    logs = (
        parse_paths([found.logs_dir], root=found.root, config=parser_config(settings))
        if found.logs_dir.is_dir()
        else []
    )
    sessions, _problems = collect_sessions(
        [lg for lg in logs if settings.runs_code_of(lg.path)],
        project_root=found.root,
        default_timeout=settings.timeout,
        include_allowed=settings.include_allowed,
    )
    folder = found.snippets_dir
    for path in sorted(folder.rglob("*.py")) if folder.is_dir() else ():
        if not is_snippet_file(path.name):
            continue
        try:
            code = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        rel = path.relative_to(found.root).as_posix()
        sessions.append(snippet_file_session(rel, code, settings.timeout))
    return sessions
