"""``studylog check [PATH...]``: parse every log, print what was read and every problem.

Text mode prints a table (one row per log, one indented row per day of a
multi-day file) and then each problem as ``path:line: message (hint)``.
``--json`` prints one object keyed by each file's path relative to the folder
checked, each value in the shape of :func:`studylog.parse.log_to_dict`.
The exit status is 1 when any log has an error (with ``--strict``, a warning too).
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from studylog.cli import project
from studylog.model import Day, Log, Problem

if TYPE_CHECKING:
    from studylog.parse.config import ParserConfig
    from studylog.project import Project

KEYWORD_WIDTH = 40


def _targets(
    paths: Sequence[Path], root: Path, refused: list[Problem]
) -> tuple[list[tuple[Path, str]], list[Path]]:
    """(file, key) pairs to check, and the paths that do not exist; logs left out
    (symbolic links to files outside the project) go to ``refused``."""
    from studylog.parse import discover

    found: list[tuple[Path, str]] = []
    missing: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                (f, f.relative_to(path).as_posix())
                for f in discover([path], root=root, refused=refused)
            )
        elif path.is_file():
            found.append((path, path.as_posix()))
        else:
            missing.append(path)
    return found, missing


def run(args: argparse.Namespace, site: Project) -> int:
    """Parse the logs, print what was read and every problem; the exit status."""
    from studylog.parse.config import parser_config

    site = site.with_settings(default_year=args.default_year, course_start=args.course_start)
    config = parser_config(site.settings)
    if _bad_config(site, config):
        return 2
    paths = [Path(p) for p in args.paths] or [site.logs_dir]
    refused: list[Problem] = []
    targets, missing = _targets(paths, site.root, refused)
    if project.say_missing(missing):
        return 2
    # The site's course calendar numbers the weeks of its own logs; a log from elsewhere
    # (a folder of posts to import, someone else's blog) has its own, unless given one.
    elsewhere = replace(config, course_start=args.course_start)
    logs = _read(targets, site.logs_dir.resolve(), config, elsewhere)
    for problem in refused:  # reported as a log of its own, with nothing read from it
        logs[problem.path] = Log(
            path=problem.path, body="", body_line=1, problems=(replace(problem, kind="error"),)
        )
    logs = _with_includes(site, logs)
    problems = [p for log in logs.values() for p in log.problems]
    errors = sum(p.kind == "error" for p in problems)
    warnings = len(problems) - errors
    if args.json:
        from studylog.parse import log_to_dict

        project.print_json({key: log_to_dict(log) for key, log in logs.items()}, indent=2)
    else:
        _print_report(logs, paths, problems)
    return 1 if errors or (args.strict and warnings) else 0


def _bad_config(site: Project, config: ParserConfig) -> bool:
    """Say what is wrong with the site's parser options; whether anything is."""
    bad = config.check()
    for message in bad:
        print(
            f"error: {site.config_file or 'mkdocs.yml'}: plugins.studylog: {message}",
            file=sys.stderr,
        )
    return bool(bad)


def _read(
    targets: Sequence[tuple[Path, str]],
    logs_dir: Path,
    config: ParserConfig,
    elsewhere: ParserConfig,
) -> dict[str, Log]:
    """Each target parsed (``elsewhere``'s options for a log outside the site's logs),
    keyed as the table shows it."""
    from studylog.parse import parse_file

    logs: dict[str, Log] = {}
    for path, key in targets:
        inside = path.resolve().is_relative_to(logs_dir)
        log = parse_file(path, config=config if inside else elsewhere)
        logs[key if key not in logs else path.as_posix()] = log
    return logs


def _with_includes(site: Project, logs: dict[str, Log]) -> dict[str, Log]:
    """The logs with what only the project can tell of them (a ``file=`` include that is
    missing or outside it) among their problems."""
    _, includes = project.sessions(site, logs.values())
    for problem in includes:
        for key, log in logs.items():
            if log.path == problem.path:
                logs[key] = replace(
                    log, problems=tuple(sorted((*log.problems, problem), key=lambda p: p.order))
                )
    return logs


def _print_report(logs: Mapping[str, Log], paths: Sequence[Path], problems: list[Problem]) -> None:
    """The table of what was read, every problem, and a summary line."""
    if logs:
        print(format_table(logs))
    else:
        print(f"no logs (*.md, *.ipynb) found in {', '.join(str(p) for p in paths)}")
    if problems:
        print()
    for problem in problems:
        print(project.problem_line(problem))
    days = sum(len(log.days) for log in logs.values())
    errors = sum(p.kind == "error" for p in problems)
    print(
        f"\n{len(logs)} logs ({days} day entries in multi-day files), "
        f"{errors} errors, {len(problems) - errors} warnings"
    )


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


def _row(label: str, kind: str, entry: Log | Day, snippets: int) -> tuple[str, ...]:
    """What was read of one log or one of its days, as a row of the table."""
    return (
        label,
        kind,
        entry.date.isoformat() if entry.date else "-",
        _count(entry.week),
        _fit(", ".join(entry.keywords), KEYWORD_WIDTH),
        f"{_count(entry.questions)}/{_count(entry.answers)}",
        f"{entry.tasks_done}/{entry.tasks_done + entry.tasks_open}",
        str(snippets),
    )


def format_table(logs: Mapping[str, Log]) -> str:
    """What was read of each log, as a plain-text table."""
    header = ("file", "kind", "date", "week", "keywords", "Q/A", "tasks", "snippets")
    rows: list[tuple[str, ...]] = []
    for key, log in logs.items():
        rows.append(_row(key, log.kind, log, len(log.snippets)))
        for index, day in enumerate(log.days):
            snippets = sum(1 for s in log.snippets if s.day == index)
            rows.append(_row(f"  {day.title}", "day", day, snippets))
    widths = [max(_cells(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(
            cell + " " * (w - _cells(cell)) for cell, w in zip(row, widths, strict=True)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


COMMAND = project.Subcommand(
    "check",
    help="parse the logs, print what was read and every problem",
    description="""Parse every log and report problems as path:line: message (hint), the
    same problems mkdocs build, studylog run and pytest report. Exits 1 when a log has an
    error.""",
    options=(
        project.paths(),
        project.json_output("print a JSON object keyed by path instead of the table"),
        project.default_year(),
        project.course_start("first day of the course, YYYY-MM-DD, to number weeks"),
        project.option("--strict", action="store_true", help="exit 1 on warnings too"),
    ),
    run=run,
)
