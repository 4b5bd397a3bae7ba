"""What every subcommand shares: finding the project and reading its settings.

Every command reads the same ``plugins.studylog`` options of the same
``mkdocs.yml`` (:mod:`studylog.project`), so ``studylog run`` uses the site's
``cache_dir`` and ``timeout``, ``studylog check`` its parser options, and so on;
command-line options override them for one run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studylog import settings as rules

if TYPE_CHECKING:  # imported when used: it loads MkDocs' YAML machinery
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
