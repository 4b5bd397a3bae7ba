"""``studylog check [PATH...]``: parse every log, print what was read and every problem.

Text mode prints a table (one row per log, one indented row per day of a
multi-day file) and then each problem as ``path:line: message (hint)``.
``--json`` prints one object keyed by each file's path relative to the folder
checked, each value in the shape of :func:`studylog.parse.log_to_dict`.
The exit status is 1 when any log has an error (with ``--strict``, a warning too).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studylog.cli import project

if TYPE_CHECKING:
    from studylog.project import Project
from studylog.model import Log, Problem

KEYWORD_WIDTH = 40


def register(subparsers: Any) -> None:
    """Add ``check`` and its options to the command line."""
    parser = subparsers.add_parser(
        "check",
        help="parse the logs, print what was read and every problem",
        description="Parse every log and report problems as path:line: message (hint), "
        "the same problems mkdocs build, studylog run and pytest report. "
        "Exits 1 when a log has an error.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="log files or folders (default: the site's logs_dir)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print a JSON object keyed by path instead of the table"
    )
    parser.add_argument(
        "--default-year",
        type=project.year,
        default=None,
        help="year for dates written without one, e.g. 'Day 11 (11/20)'",
    )
    parser.add_argument(
        "--course-start",
        type=project.date,
        default=None,
        help="first day of the course, YYYY-MM-DD, to number weeks",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    project.register(parser, run)


def _targets(
    paths: Sequence[Path], root: Path, refused: list[Problem]
) -> tuple[list[tuple[Path, str]], list[str]]:
    """(file, key) pairs to check, and messages for paths that do not exist; logs left out
    (symbolic links to files outside the project) go to ``refused``."""
    from studylog.parse import discover

    found: list[tuple[Path, str]] = []
    missing: list[str] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                (f, f.relative_to(path).as_posix())
                for f in discover([path], root=root, refused=refused)
            )
        elif path.is_file():
            found.append((path, path.as_posix()))
        else:
            missing.append(f"{path}: no such file or folder")
    return found, missing


def run(args: argparse.Namespace, site: Project) -> int:
    """Parse the logs, print what was read and every problem; the exit status."""
    from studylog.execute import collect_sessions
    from studylog.parse import log_to_dict, parse_file
    from studylog.parse.config import parser_config

    site = site.with_settings(default_year=args.default_year, course_start=args.course_start)
    config = parser_config(site.settings)
    # The site's course calendar numbers the weeks of its own logs; a log from elsewhere
    # (a folder of posts to import, someone else's blog) has its own, unless given one.
    elsewhere = replace(config, course_start=args.course_start)
    logs_dir = site.logs_dir.resolve()
    bad = config.check()
    for message in bad:
        print(
            f"error: {site.config_file or 'mkdocs.yml'}: plugins.studylog: {message}",
            file=sys.stderr,
        )
    if bad:
        return 2

    paths = [Path(p) for p in args.paths] or [site.logs_dir]
    refused: list[Problem] = []
    targets, missing = _targets(paths, site.root, refused)
    for message in missing:
        print(f"error: {message}", file=sys.stderr)
    if missing:
        return 2

    logs: dict[str, Log] = {}
    for path, key in targets:
        inside = path.resolve().is_relative_to(logs_dir)
        log = parse_file(path, config=config if inside else elsewhere)
        logs[key if key not in logs else path.as_posix()] = log
    for problem in refused:  # reported as a log of its own, with nothing read from it
        logs[problem.path] = Log(
            path=problem.path, body="", body_line=1, problems=(replace(problem, kind="error"),)
        )
    # What only the project can tell (a file= include that is missing or outside it).
    _, includes = collect_sessions(
        logs.values(),
        project_root=site.root,
        default_timeout=site.settings.timeout,
        include_allowed=site.settings.include_allowed,
    )
    for problem in includes:
        for key, log in logs.items():
            if log.path == problem.path:
                logs[key] = replace(
                    log, problems=tuple(sorted((*log.problems, problem), key=lambda p: p.order))
                )

    problems = [p for log in logs.values() for p in log.problems]
    errors = sum(p.kind == "error" for p in problems)
    warnings = len(problems) - errors
    if args.json:
        json.dump(
            {key: log_to_dict(log) for key, log in logs.items()},
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        if logs:
            print(format_table(logs))
        else:
            print(f"no logs (*.md, *.ipynb) found in {', '.join(str(p) for p in paths)}")
        if problems:
            print()
        for problem in problems:
            print(f"{problem}{'' if problem.kind == 'error' else ' [warning]'}")
        days = sum(len(log.days) for log in logs.values())
        print(
            f"\n{len(logs)} logs ({days} day entries in multi-day files), "
            f"{errors} errors, {warnings} warnings"
        )
    return 1 if errors or (args.strict and warnings) else 0


def _cells(text: str) -> int:
    """Terminal width of ``text``: Hangul and other wide characters take two cells."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    if _cells(text) <= width:
        return text
    out = ""
    for ch in text:
        if _cells(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


def format_table(logs: Mapping[str, Log]) -> str:
    """What was read of each log, as a plain-text table."""
    header = ("file", "kind", "date", "week", "keywords", "Q/A", "tasks", "snippets")
    rows: list[tuple[str, ...]] = []
    for key, log in logs.items():
        rows.append(
            (
                key,
                log.kind,
                log.date.isoformat() if log.date else "-",
                _count(log.week),
                _fit(", ".join(log.keywords), KEYWORD_WIDTH),
                f"{_count(log.questions)}/{_count(log.answers)}",
                f"{log.tasks_done}/{log.tasks_done + log.tasks_open}",
                str(len(log.snippets)),
            )
        )
        for index, day in enumerate(log.days):
            rows.append(
                (
                    f"  {day.title}",
                    "day",
                    day.date.isoformat() if day.date else "-",
                    _count(day.week),
                    _fit(", ".join(day.keywords), KEYWORD_WIDTH),
                    f"{_count(day.questions)}/{_count(day.answers)}",
                    f"{day.tasks_done}/{day.tasks_done + day.tasks_open}",
                    str(sum(1 for s in log.snippets if s.day == index)),
                )
            )
    widths = [max(_cells(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(
            cell + " " * (w - _cells(cell)) for cell, w in zip(row, widths, strict=True)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])
