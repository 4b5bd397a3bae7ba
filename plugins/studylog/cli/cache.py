"""``studylog cache clear|info``: manage the snippet cache (the site's ``cache_dir``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

from studylog.cli import project

if TYPE_CHECKING:
    from studylog.project import Project


def register(subparsers: Any) -> None:
    """Add ``cache`` and its options to the command line."""
    parser = subparsers.add_parser(
        "cache",
        help="show or empty the snippet cache",
        description="Manage the cache of snippet outputs (one JSON file per session).",
    )
    parser.add_argument("action", choices=("info", "clear"), help="what to do")
    parser.add_argument("--json", action="store_true", help="print info as JSON")
    project.register(parser, main)


def main(args: argparse.Namespace, found: Project) -> int:
    """Show what the cache holds, or empty it; the exit status."""
    from studylog import memo
    from studylog.execute import Cache

    cache = Cache(found.cache_dir)
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
