"""The ``studylog`` command line: a thin dispatcher over one module per subcommand.

Each subcommand module declares ``COMMAND``, a :class:`~studylog.cli.project.Subcommand`:
its name, help and options, and what it runs (``args -> exit status``). Modules are
imported only to build the parser; heavy work happens inside what they run.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from studylog.terminal import PrintableStream

# Subcommand modules, in the order ``studylog --help`` lists them.
SUBCOMMANDS = ("init", "new", "check", "imports", "run", "stats", "export", "cache")


def build_parser() -> argparse.ArgumentParser:
    """The ``studylog`` command line, each command's options registered by its module."""
    from studylog import __version__

    parser = argparse.ArgumentParser(
        prog="studylog",
        description="Study logs with executable PyTorch snippets, as an MkDocs site.",
    )
    parser.add_argument("--version", action="version", version=f"studylog {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"studylog.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"studylog.cli.{name}":
                raise
            continue  # subcommand not built yet
        module.COMMAND.add_to(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command ``argv`` names; the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    stdout = sys.stdout
    # What a command prints comes from logs (titles, names, keywords): no control
    # characters reach the terminal (a progress bar draws on stderr).
    sys.stdout = PrintableStream(stdout)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # The reader went away (`studylog check --json | head`): stop quietly. Point stdout
        # at devnull so the interpreter's final flush does not fail a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
        return 1
    except KeyboardInterrupt:  # the running sessions were stopped on the way out
        print("studylog: interrupted", file=sys.stderr)
        return 130
    finally:
        sys.stdout = stdout


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
