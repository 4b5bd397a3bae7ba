"""``studylog stats``: the numbers the site shows, in the terminal.

Totals, one row per week (days, questions, answers, keywords) and the top
keywords, read with the same options as the site (``plugins.studylog`` in
mkdocs.yml when present, overridden by the command line).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studylog.cli import project

if TYPE_CHECKING:
    from studylog.project import Project


def collect(args: argparse.Namespace, site: Project) -> dict[str, Any]:
    """The statistics of the logs ``args`` name, as JSON data."""
    from studylog.stats import site_stats

    site = site.with_settings(default_year=args.default_year, course_start=args.course_start)
    paths = [Path(p) for p in args.paths] or [site.logs_dir]
    aliases = dict(site.settings.keyword_aliases)
    logs = project.read_logs(site, paths)
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
        project.print_json(data, indent=2)
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


COMMAND = project.Subcommand(
    "stats",
    help="print totals, Q/A per week and top keywords of the logs",
    description="Totals, questions/answers per week and the top keywords of the logs.",
    options=(
        project.paths("log files or folders"),
        project.default_year("year for dates written without one"),
        project.course_start("YYYY-MM-DD"),
        project.option("--top", type=int, default=10, help="how many keywords to list"),
        project.json_output("print JSON instead of tables"),
    ),
    run=main,
)
