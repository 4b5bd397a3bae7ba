"""``studylog run``: execute the snippets of logs and print what happened.

``studylog run [PATH...] [--jobs N] [--executor NAME] [--<executor>-<option> VALUE]
[--no-cache] [--frozen] [--json]`` parses the logs (default: the site's
``logs_dir``), runs their sessions through the site's cache, and prints a table
(or ``--json``); the exit status is 1 when a session failed or a block's
options are wrong, 2 when the sessions cannot run at all (an unreachable Ray
cluster). The executors and their own options (``--ray-address``) are
:mod:`studylog.execute.executors`' table.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from studylog.cli import project
from studylog.execute import executors
from studylog.settings import DEFAULTS

if TYPE_CHECKING:
    from studylog.model import Problem
    from studylog.project import Project


def register(subparsers: Any) -> None:
    """Add ``run`` and its options to the command line."""
    parser = subparsers.add_parser(
        "run",
        help="execute the snippets of logs, print a table",
        description="Run the executable sessions of study logs (with the snippet cache). "
        "The site's plugins.studylog options in mkdocs.yml apply (logs_dir, cache_dir, "
        "timeout, jobs); the options below override them.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="log files or folders (default: the site's logs_dir)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=project.jobs,
        default=None,
        metavar="N",
        help="worker processes (default: the site's jobs, else one per CPU)",
    )
    parser.add_argument(
        "--executor",
        choices=executors.names(),
        default=None,
        help=f"where sessions run ({executors.summary()}; "
        f"default: the site's executor, else {DEFAULTS.executor.name})",
    )
    for executor, option, spec in executors.options():
        key = executors.option_key(executor, option)
        parser.add_argument(
            f"--{key.replace('_', '-')}",
            type=project.checked(spec.check),
            default=None,
            dest=key,
            metavar="VALUE",
            help=f"for --executor {executor}, {spec.help}; default: the site's {key}",
        )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="run every session; neither read nor write the cache",
    )
    parser.add_argument(
        "--frozen",
        action="store_true",
        help="run nothing: use stored outputs only (as CI without a GPU)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object per session")
    parser.add_argument(
        "--timeout",
        type=project.seconds,
        default=None,
        metavar="S",
        help="default per-block timeout in seconds (default: the site's "
        f"timeout, else {DEFAULTS.timeout:g})",
    )
    project.register(parser, main)


def main(args: argparse.Namespace, found: Project) -> int:
    """Run the sessions of the logs ``args`` name; the exit status."""
    from studylog.execute import Cache, ExecutorError, collect_sessions, make_executor, run, status
    from studylog.parse import parse_paths
    from studylog.parse.config import parser_config

    executor_settings = found.settings.executor.overridden(
        name=args.executor, jobs=args.jobs, options=executors.options_in(vars(args))
    )
    site = found.with_settings(timeout=args.timeout, executor=executor_settings)
    settings = site.settings
    paths = [Path(p) for p in args.paths] or [site.logs_dir]
    missing = [p for p in paths if not p.exists()]
    if missing:
        for path in missing:
            print(f"error: {path}: no such file or folder", file=sys.stderr)
        return 2
    refused: list[Problem] = []
    logs = parse_paths(
        [p.resolve() for p in paths],
        root=site.root,
        config=parser_config(settings),
        refused=refused,
    )
    sessions, include_problems = collect_sessions(
        [lg for lg in logs if settings.runs_code_of(lg.path)],
        project_root=site.root,
        default_timeout=settings.timeout,
        include_allowed=settings.include_allowed,
    )
    # The snippets' own problems (options, languages) are the logs'; parser errors too.
    problems = [p for log in logs for p in log.problems if p.kind == "error"]
    problems += include_problems + refused
    for problem in problems:
        print(f"{problem.kind}: {problem}", file=sys.stderr)

    cache = None if args.no_cache else Cache(site.cache_dir, shown_root=site.root)
    bar = Progress(len(sessions), sys.stderr) if sessions else None
    executor = make_executor(settings, site.root)
    try:
        results = run(
            sessions,
            project_root=site.root,
            cache=cache,
            executor=executor,
            execute=not args.frozen,
            on_result=bar.update if bar else None,
        )
    except ExecutorError as exc:
        if bar:
            bar.close()
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        executor.close()
    if bar:
        bar.close()
    for problem in cache.problems if cache is not None else ():
        print(f"warning: {problem}", file=sys.stderr)
    if args.json:
        json.dump([as_json(r) for r in results], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print_table(results, sys.stdout, sessions)
    failed = any(r.failed for r in results) or any(p.kind == "error" for p in problems)
    failed = failed or bool(status.failures(results, sessions))
    return 1 if failed else 0


def as_json(result: Any) -> dict[str, Any]:
    """One result as the JSON object ``--json`` prints."""
    return {
        "log": result.log,
        "session": result.session,
        "status": result.status,
        "duration": round(result.duration, 3),
        "device": result.device,
        "cached": result.cached,
        "frozen": result.frozen,
        "message": result.message,
        "blocks": [
            {"line": b.line, "status": b.status, "stdout": b.stdout, "error": b.error}
            for b in result.blocks
        ],
    }


def print_table(results: list[Any], out: TextIO, sessions: Sequence[Any] = ()) -> None:
    """The results as a table, each failure's report under it, and a summary line."""
    from studylog.execute import status

    rows = [("log", "session", "status", "time", "device", "cached")]
    for r in results:
        rows.append(
            (
                r.log,
                r.session,
                r.status,
                f"{r.duration:.2f}s",
                r.device or "-",
                status.how(r) if r.device or r.cached else "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        out.write(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n"
        )
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")
    for r in results:
        said = status.failures([r], sessions)
        if not said:
            continue
        out.write(f"\n{r.id}: {r.status}\n")
        for problem in said:
            out.write(f"  {problem}\n")
        for b in r.blocks:
            if b.failed and b.error and b.error.strip() != r.message.strip():
                out.write("".join(f"    {line}\n" for line in b.error.rstrip().splitlines()))
    sources = [status.how(r) for r in results]
    bad = sum(1 for r in results if r.failed)
    out.write(
        f"\n{len(results)} sessions: {sources.count('run')} run, "
        f"{sources.count('cached') + sources.count('frozen')} cached, {bad} failed\n"
    )


class Progress:
    """Sessions done of all, as they finish: a tqdm bar on a terminal, else one plain line
    per session (CI logs, pipes), on stderr so ``--json`` output stays clean."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.bar: Any = None
        if stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(
                total=total, file=stream, unit="session", leave=False, dynamic_ncols=True
            )

    def update(self, result: Any) -> None:
        """One more session done."""
        self.done += 1
        label = f"{result.id} {result.status}"
        if self.bar is not None:
            self.bar.set_postfix_str(label[-60:], refresh=False)
            self.bar.update(1)
        else:
            self.stream.write(f"[{self.done}/{self.total}] {label} ({result.duration:.2f} s)\n")
            self.stream.flush()

    def close(self) -> None:
        """Take the bar off the terminal."""
        if self.bar is not None:
            self.bar.close()
