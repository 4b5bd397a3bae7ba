"""``studylog stats``: the numbers the site shows, in the terminal.

Totals, one row per week (days, questions, answers, keywords) and the top
keywords, read with the same options as the site (``plugins.studylog`` in
mkdocs.yml when present, overridden by the command line).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import yaml


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "stats",
        help="print totals, Q/A per week and top keywords of the logs",
        description="Totals, questions/answers per week and the top keywords of the logs.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="log files or folders")
    parser.add_argument("--config", default="mkdocs.yml", help="read plugins.studylog options")
    parser.add_argument("--default-year", type=int, help="year for dates written without one")
    parser.add_argument("--course-start", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    parser.add_argument("--top", type=int, default=10, help="how many keywords to list")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.set_defaults(func=main)


def site_options(path: Path) -> dict[str, Any]:
    """``plugins.studylog`` of an mkdocs.yml, or {} (unreadable files are not an error here)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loose)
    except (OSError, yaml.YAMLError):
        return {}
    for item in (data or {}).get("plugins") or []:
        if isinstance(item, dict) and isinstance(item.get("studylog"), dict):
            return item["studylog"]
    return {}


class _Loose(yaml.SafeLoader):
    """SafeLoader that reads mkdocs' ``!!python/name:`` and ``!ENV`` tags as plain values."""


_Loose.add_multi_constructor("", lambda loader, suffix, node: None)


def collect(args: argparse.Namespace) -> dict[str, Any]:
    from studylog.parse import ParserConfig, parse_paths
    from studylog.stats import site_stats

    config_path = Path(args.config)
    options = site_options(config_path) if config_path.is_file() else {}
    root = config_path.resolve().parent if config_path.is_file() else Path.cwd()
    paths = [Path(p) for p in args.paths] or [root / str(options.get("logs_dir", "logs"))]
    course_start = args.course_start or options.get("course_start")
    if isinstance(course_start, str):
        course_start = dt.date.fromisoformat(course_start)
    aliases = {str(k): str(v) for k, v in (options.get("keyword_aliases") or {}).items()}
    config = ParserConfig(
        default_year=args.default_year or options.get("default_year"),
        course_start=course_start,
        keyword_aliases=aliases,
    )
    logs = parse_paths(paths, root=root, config=config)
    stats = site_stats(logs, aliases)
    return {
        "totals": {
            "logs": len(logs),
            "days": stats.qa.days,
            "weeks": len(stats.weeks),
            "keywords": len(stats.keywords),
            "questions": stats.qa.questions,
            "answers": stats.qa.answers,
            "days_with_qa": stats.qa.days_recorded,
            "problems": sum(len(lg.problems) for lg in logs),
        },
        "weeks": [
            {
                "week": w.key.label,
                "days": len(w.days),
                "questions": w.questions,
                "answers": w.answers,
                "keywords": list(w.keywords),
            }
            for w in stats.weeks
        ],
        "keywords": [
            {"keyword": k.name, "count": k.count}
            for k in sorted(stats.keywords, key=lambda k: -k.count)[: args.top]
        ],
    }


def _n(value: int | None) -> str:
    return "-" if value is None else str(value)


def main(args: argparse.Namespace) -> int:
    data = collect(args)
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    t = data["totals"]
    print(f"{t['logs']} logs, {t['days']} days in {t['weeks']} weeks, {t['keywords']} keywords")
    print(f"questions {t['questions']}, answers {t['answers']} "
          f"({t['days_with_qa']} of {t['days']} days recorded)")
    if data["weeks"]:
        print()
        print(f"{'week':<10} {'days':>4} {'Q':>4} {'A':>4}  keywords")
        for w in data["weeks"]:
            print(f"{w['week']:<10} {w['days']:>4} {_n(w['questions']):>4} {_n(w['answers']):>4}"
                  f"  {', '.join(w['keywords'])}")
    if data["keywords"]:
        print()
        print("top keywords: " + ", ".join(f"{k['keyword']} ({k['count']})"
                                           for k in data["keywords"]))
    if t["problems"]:
        print(f"\n{t['problems']} problems in the logs: run `studylog check` to see them")
    return 0
