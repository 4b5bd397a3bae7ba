"""What every subcommand shares: how it is declared, finding the project and reading
its settings, the options and messages several commands have.

Every command reads the same ``plugins.studylog`` options of the same
``mkdocs.yml`` (:mod:`studylog.project`), so ``studylog run`` uses the site's
``cache_dir`` and ``timeout``, ``studylog check`` its parser options, and so on;
command-line options override them for one run. Each subcommand module declares
itself as a :class:`Subcommand` (``COMMAND``): its name, help, options and what it runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studylog import settings as rules

if TYPE_CHECKING:  # imported when used: it loads MkDocs' YAML machinery
    from studylog.execute.results import Session
    from studylog.model import Log, Problem
    from studylog.project import Project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Give ``parser`` the options that name the project (``--config-file``, ``--root``)."""
    parser.add_argument(
        "--config-file",
        "-f",
        type=Path,
        default=None,
        metavar="FILE",
        help="the site's mkdocs.yml, whose plugins.studylog options apply "
        "(default: the nearest mkdocs.yml in this folder or above)",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        metavar="DIR",
        help="the project folder (holding mkdocs.yml); another way to say --config-file",
    )


Command = Callable[[argparse.Namespace, "Project"], int]


def register(parser: argparse.ArgumentParser, command: Command) -> None:
    """Give ``parser`` the project arguments; ``command`` runs with the project they name
    (exit status 2, after saying why, when its mkdocs.yml is wrong)."""
    add_arguments(parser)

    def run(args: argparse.Namespace) -> int:
        site = load(args)
        return 2 if site is None else command(args, site)

    parser.set_defaults(func=run)


def load(args: argparse.Namespace) -> Project | None:
    """The project the arguments name; None (after printing why) when its mkdocs.yml is bad."""
    from studylog.project import CONFIG_NAMES, Project, ProjectError
    from studylog.project import load as load_project

    config_file = getattr(args, "config_file", None)
    root = getattr(args, "root", None)
    try:
        if config_file is None and root is not None:
            found = next((root / n for n in CONFIG_NAMES if (root / n).is_file()), None)
            site = load_project(found) if found else Project(root.resolve())
        else:
            site = load_project(config_file)
    except ProjectError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    for warning in site.warnings:  # a misspelled option: said by every command
        print(f"warning: {warning}", file=sys.stderr)
    return site


def checked(check: Any) -> Any:
    """An argparse ``type`` from a validator (one of :mod:`studylog.settings`', or an
    executor's option's): same rule, same words."""

    def convert(text: str) -> Any:
        try:
            return check(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = check.__name__  # argparse names the type in its messages
    return convert


seconds = checked(rules.seconds)
jobs = checked(rules.jobs)
year = checked(rules.year)
date = checked(rules.date)


# -- declaring a subcommand ---------------------------------------------------------------

Option = tuple[tuple[str, ...], dict[str, Any]]
# Options known only when the parser is built (those of the executors installed then).
LateOptions = Callable[[], Sequence[Option]]


def option(*flags: str, **settings: Any) -> Option:
    """One argument of a subcommand, as :meth:`argparse.ArgumentParser.add_argument`
    takes it."""
    return flags, settings


@dataclass(frozen=True)
class Subcommand:
    """One ``studylog`` subcommand: its name, help and options, and what it runs: ``run``
    with the project the shared ``--config-file``/``--root`` name, or ``run_alone``
    with none (``init``, which makes the project)."""

    name: str
    help: str
    description: str
    options: Sequence[Option | LateOptions]
    run: Command | None = None
    run_alone: Callable[[argparse.Namespace], int] | None = None

    def add_to(self, subparsers: Any) -> argparse.ArgumentParser:
        """Add this command and its options to the command line."""
        parser: argparse.ArgumentParser = subparsers.add_parser(
            self.name, help=self.help, description=self.description
        )
        for entry in self.options:
            for flags, settings in entry() if callable(entry) else [entry]:
                parser.add_argument(*flags, **settings)
        if self.run is not None:
            register(parser, self.run)
        else:
            parser.set_defaults(func=self.run_alone)
        return parser


# -- options several commands have -------------------------------------------------------


def paths(help: str = "log files or folders (default: the site's logs_dir)") -> Option:
    """The log files or folders a command reads."""
    return option("paths", nargs="*", metavar="PATH", help=help)


def json_output(help: str) -> Option:
    """``--json``: the command's answer as JSON on stdout (see :func:`print_json`)."""
    return option("--json", action="store_true", help=help)


def default_year(help: str = "year for dates written without one, e.g. 'Day 11 (11/20)'") -> Option:
    """``--default-year``: the parser's year for dates written without one."""
    return option("--default-year", type=year, default=None, help=help)


def course_start(help: str) -> Option:
    """``--course-start``: the first day of the course, to number its weeks."""
    return option("--course-start", type=date, default=None, help=help)


# -- what several commands do ------------------------------------------------------------


def say_missing(paths: Iterable[str | Path]) -> bool:
    """Say on stderr that each of ``paths`` does not exist; whether there was any."""
    said = False
    for path in paths:
        print(f"error: {path}: no such file or folder", file=sys.stderr)
        said = True
    return said


def print_json(data: Any, indent: int) -> None:
    """``data`` as JSON on stdout (the ``--json`` answer of a command)."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=indent)
    sys.stdout.write("\n")


def problem_line(problem: Problem) -> str:
    """A problem as the commands that list problems print it (warnings marked so)."""
    return f"{problem}{'' if problem.kind == 'error' else ' [warning]'}"


def read_logs(
    site: Project, paths: Sequence[Path], refused: list[Problem] | None = None
) -> list[Log]:
    """The logs under ``paths``, read with the site's parser options."""
    from studylog.parse import parse_paths
    from studylog.parse.config import parser_config

    return parse_paths(paths, root=site.root, config=parser_config(site.settings), refused=refused)


def sessions(site: Project, logs: Iterable[Log]) -> tuple[list[Session], list[Problem]]:
    """The sessions of ``logs`` as the site runs them (its timeout, its include rule), and
    what only the project can tell of them (a ``file=`` include missing or outside it)."""
    from studylog.execute import collect_sessions

    return collect_sessions(
        logs,
        project_root=site.root,
        default_timeout=site.settings.timeout,
        include_allowed=site.settings.include_allowed,
    )


def runnable(site: Project, logs: Iterable[Log]) -> tuple[list[Session], list[Problem]]:
    """:func:`sessions` of the logs whose code the site runs."""
    return sessions(site, [log for log in logs if site.settings.runs_code_of(log.path)])
