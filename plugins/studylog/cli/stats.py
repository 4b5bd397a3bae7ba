"""``studylog stats``: the numbers the site shows, in the terminal.

Totals, one row per week (days, questions, answers, keywords) and the top
keywords, read with the same options as the site (``plugins.studylog`` in
mkdocs.yml when present, overridden by the command line).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studylog.cli import project

if TYPE_CHECKING:
    from studylog.project import Project


def register(subparsers: Any) -> None:
    """Add ``stats`` and its options to the command line."""
    parser = subparsers.add_parser(
        "stats",
        help="print totals, Q/A per week and top keywords of the logs",
        description="Totals, questions/answers per week and the top keywords of the logs.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="log files or folders")
    parser.add_argument(
        "--default-year", type=project.year, help="year for dates written without one"
    )
    parser.add_argument("--course-start", type=project.date, help="YYYY-MM-DD")
    parser.add_argument("--top", type=int, default=10, help="how many keywords to list")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    project.register(parser, main)


def collect(args: argparse.Namespace, site: Project) -> dict[str, Any]:
    """The statistics of the logs ``args`` name, as JSON data."""
    from studylog.parse import parse_paths
    from studylog.parse.config import parser_config
    from studylog.stats import site_stats

    site = site.with_settings(default_year=args.default_year, course_start=args.course_start)
    paths = [Path(p) for p in args.paths] or [site.logs_dir]
    aliases = dict(site.settings.keyword_aliases)
    logs = parse_paths(paths, root=site.root, config=parser_config(site.settings))
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


def main(args: argparse.Namespace, site: Project) -> int:
    """Print the statistics (or ``--json``); the exit status."""
    data = collect(args, site)
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    t = data["totals"]
    print(f"{t['logs']} logs, {t['days']} days in {t['weeks']} weeks, {t['keywords']} keywords")
    print(
        f"questions {t['questions']}, answers {t['answers']} "
        f"({t['days_with_qa']} of {t['days']} days recorded)"
    )
    if data["weeks"]:
        print()
        print(f"{'week':<10} {'days':>4} {'Q':>4} {'A':>4}  keywords")
        for w in data["weeks"]:
            print(
                f"{w['week']:<10} {w['days']:>4} {_n(w['questions']):>4} {_n(w['answers']):>4}"
                f"  {', '.join(w['keywords'])}"
            )
    if data["keywords"]:
        print()
        print(
            "top keywords: " + ", ".join(f"{k['keyword']} ({k['count']})" for k in data["keywords"])
        )
    if t["problems"]:
        print(f"\n{t['problems']} problems in the logs: run `studylog check` to see them")
    return 0
