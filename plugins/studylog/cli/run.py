"""``studylog run``: execute the snippets of logs and print what happened.

``studylog run [PATH...] [--jobs N] [--executor NAME] [--<executor>-<option> VALUE]
[--no-cache] [--rerun-failed] [--frozen] [--json]`` parses the logs (default: the
site's ``logs_dir``), runs their sessions through the site's cache (a stored failure
is shown, not run again, unless ``--rerun-failed``), and prints a table
(or ``--json``); the exit status is 1 when a session failed or a block's
options are wrong, 2 when the sessions cannot run at all (an unreachable Ray
cluster). The executors and their own options (``--ray-address``) are
:mod:`studylog.execute.executors`' table.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from studylog.cli import project
from studylog.execute import executors
from studylog.settings import DEFAULTS
from studylog.terminal import printable

if TYPE_CHECKING:
    from studylog.execute import Cache
    from studylog.execute.results import Session, SessionResult
    from studylog.model import Problem
    from studylog.project import Project


def main(args: argparse.Namespace, found: Project) -> int:
    """Run the sessions of the logs ``args`` name; the exit status."""
    from studylog.execute import Cache

    site = _site(args, found)
    paths = [Path(p) for p in args.paths] or [site.logs_dir]
    if project.say_missing([p for p in paths if not p.exists()]):
        return 2
    sessions, problems = _sessions(site, paths)
    for problem in problems:
        print(f"{problem.kind}: {problem}", file=sys.stderr)
    cache = (
        None
        if args.no_cache
        else Cache(site.cache_dir, shown_root=site.root, sandbox=site.settings.executor.sandbox)
    )
    rerun = site.settings.rerun_failed if args.rerun_failed is None else True
    results = _run(site, sessions, cache, execute=not args.frozen, rerun_failed=rerun)
    if results is None:
        return 2
    for problem in cache.problems if cache is not None else ():
        print(f"warning: {problem}", file=sys.stderr)
    if args.json:
        project.print_json([as_json(r) for r in results], indent=1)
    else:
        print_table(results, sys.stdout, sessions)
    return 1 if _failed(results, sessions, problems) else 0


def _failed(
    results: Sequence[SessionResult], sessions: Sequence[Session], problems: Sequence[Problem]
) -> bool:
    """Whether the run failed: a session failed, a log has an error, or a result says so."""
    from studylog.execute import status

    if any(r.failed for r in results) or any(p.kind == "error" for p in problems):
        return True
    return bool(status.failures(results, sessions))


def _site(args: argparse.Namespace, found: Project) -> Project:
    """The project with the command line's executor, jobs and timeout over its own."""
    executor = found.settings.executor.overridden(
        name=args.executor, jobs=args.jobs, options=executors.options_in(vars(args))
    )
    return found.with_settings(timeout=args.timeout, executor=executor)


def _sessions(site: Project, paths: Sequence[Path]) -> tuple[list[Session], list[Problem]]:
    """The sessions of the logs under ``paths``, and the problems that stop some of them:
    the logs' errors (a snippet's options, its language; the parser's), a missing include,
    a log left out."""
    refused: list[Problem] = []
    logs = project.read_logs(site, [p.resolve() for p in paths], refused=refused)
    sessions, include_problems = project.runnable(site, logs)
    # The snippets' own problems (options, languages) are the logs'; parser errors too.
    problems = [p for log in logs for p in log.problems if p.kind == "error"]
    return sessions, problems + include_problems + refused


def _run(
    site: Project,
    sessions: list[Session],
    cache: Cache | None,
    *,
    execute: bool,
    rerun_failed: bool,
) -> list[SessionResult] | None:
    """The results of ``sessions`` on the site's executor, shown as they come; None (after
    saying why) when the executor cannot run them at all."""
    from studylog.execute import ExecutorError, make_executor, run
    from studylog.execute.executor import notes_of

    bar = Progress(len(sessions), sys.stderr) if sessions else None
    executor = make_executor(site.settings, site.root)
    try:
        results = run(
            sessions,
            project_root=site.root,
            cache=cache,
            executor=executor,
            execute=execute,
            rerun_failed=rerun_failed,
            on_result=bar.update if bar else None,
        )
    except ExecutorError as exc:
        if bar:
            bar.close()
        print(f"error: {exc}", file=sys.stderr)
        return None
    finally:
        executor.close()
    if bar:
        bar.close()
    for note in notes_of(executor):  # a sandbox this machine enforces only in part
        print(note, file=sys.stderr)
    return results


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

    rows: list[tuple[str, ...]] = [("log", "session", "status", "time", "device", "cached")]
    rows += [_row(r) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        out.write(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n"
        )
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")
    for r in results:
        _write_failure(r, status.failures([r], sessions), out)
    out.write(f"\n{len(results)} sessions: {status.counts(results)}\n")


def _row(result: Any) -> tuple[str, ...]:
    """One session's row of the table."""
    from studylog.execute import status

    return (
        result.log,
        result.session,
        result.status,
        f"{result.duration:.2f}s",
        result.device or "-",
        status.how(result) if result.device or result.cached else "-",
    )


def _write_failure(result: Any, said: Sequence[Problem], out: TextIO) -> None:
    """What failed in one session, as the table's report under it (nothing if nothing did):
    each problem, then the error of each block that failed, unless it is the message."""
    if not said:
        return
    out.write(f"\n{result.id}: {result.status}\n")
    for problem in said:
        out.write(f"  {problem}\n")
    for b in result.blocks:
        if b.failed and b.error and b.error.strip() != result.message.strip():
            out.write("".join(f"    {line}\n" for line in b.error.rstrip().splitlines()))


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
        label = printable(f"{result.id} {result.status}")
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


def _executor_options() -> list[project.Option]:
    """``--executor`` and each executor's own options (``--ray-address``), from the
    executors installed when the command line is built."""
    found = [
        project.option(
            "--executor",
            choices=executors.names(),
            default=None,
            help=f"where sessions run ({executors.summary()}; "
            f"default: the site's executor, else {DEFAULTS.executor.name})",
        )
    ]
    for executor, option, spec in executors.options():
        key = executors.option_key(executor, option)
        found.append(
            project.option(
                f"--{key.replace('_', '-')}",
                type=project.checked(spec.check),
                default=None,
                dest=key,
                metavar="VALUE",
                help=f"for --executor {executor}, {spec.help}; default: the site's {key}",
            )
        )
    return found


COMMAND = project.Subcommand(
    "run",
    help="execute the snippets of logs, print a table",
    description="""Run the executable sessions of study logs (with the snippet cache). The
    site's plugins.studylog options in mkdocs.yml apply (logs_dir, cache_dir, timeout,
    jobs); the options below override them.""",
    options=(
        project.paths(),
        project.option(
            "--jobs",
            "-j",
            type=project.jobs,
            default=None,
            metavar="N",
            help="worker processes (default: the site's jobs, else one per CPU)",
        ),
        _executor_options,
        project.option(
            "--no-cache",
            action="store_true",
            help="run every session; neither read nor write the cache",
        ),
        project.option(
            "--rerun-failed",
            action="store_true",
            default=None,
            help="run again the sessions whose failure is stored in the cache (default: the "
            "site's rerun_failed, else a stored failure is shown until its code changes)",
        ),
        project.option(
            "--frozen",
            action="store_true",
            help="run nothing: use stored outputs only (as CI without a GPU)",
        ),
        project.json_output("print one JSON object per session"),
        project.option(
            "--timeout",
            type=project.seconds,
            default=None,
            metavar="S",
            help="default per-block timeout in seconds (default: the site's "
            f"timeout, else {DEFAULTS.timeout:g})",
        ),
    ),
    run=main,
)
