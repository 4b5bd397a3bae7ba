"""``studylog run``: execute the snippets of logs and print what happened.

``studylog run [PATH...] [--jobs N] [--no-cache] [--frozen] [--json]`` parses
the logs (default: ``logs/``), runs their sessions with the cache, and prints a
table (or ``--json``); the exit status is 1 when a session failed or a block's
options are wrong.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any, TextIO

DEFAULT_LOGS = "logs"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run", help="execute the snippets of logs, print a table",
        description="Run the executable sessions of study logs (with the snippet cache).")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help=f"log files or folders (default: {DEFAULT_LOGS}/)")
    parser.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                        help="worker processes (default: the number of CPUs)")
    parser.add_argument("--no-cache", action="store_true",
                        help="run every session; neither read nor write the cache")
    parser.add_argument("--frozen", action="store_true",
                        help="run nothing: use stored outputs only (as CI without a GPU)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per session")
    parser.add_argument("--root", type=Path, default=None,
                        help="project root (default: the nearest folder with mkdocs.yml)")
    parser.add_argument("--timeout", type=float, default=120.0, metavar="S",
                        help="default per-block timeout in seconds (default: 120)")
    parser.set_defaults(func=main)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("give at least 1")
    return value


def project_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return start


def main(args: argparse.Namespace) -> int:
    from studylog.execute import DEFAULT_DIR, Cache, Pool, collect_sessions, run
    from studylog.parse import parse_paths

    root = (args.root or project_root(Path.cwd())).resolve()
    paths = [Path(p) for p in args.paths] or [root / DEFAULT_LOGS]
    missing = [p for p in paths if not p.exists()]
    if missing:
        for path in missing:
            print(f"error: {path}: no such file or folder", file=sys.stderr)
        return 2
    logs = parse_paths([p.resolve() for p in paths], root=root)
    sessions, option_problems = collect_sessions(logs, project_root=root,
                                                 default_timeout=args.timeout)
    problems = [p for log in logs for p in log.problems if p.kind == "error"]
    problems += option_problems
    for problem in problems:
        print(f"{problem.kind}: {problem}", file=sys.stderr)

    cache = None if args.no_cache else Cache(root / DEFAULT_DIR)
    bar = Progress(len(sessions), sys.stderr) if sys.stderr.isatty() and not args.json else None
    with Pool(args.jobs, cwd=root) as pool:
        results = run(sessions, project_root=root, cache=cache, pool=pool,
                      execute=not args.frozen, progress=bar.update if bar else None)
    if bar:
        bar.close()
    if args.json:
        json.dump([as_json(r) for r in results], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print_table(results, sys.stdout)
    failed = any(r.failed for r in results) or any(p.kind == "error" for p in problems)
    return 1 if failed else 0


def as_json(result: Any) -> dict[str, Any]:
    return {
        "log": result.log, "session": result.session, "status": result.status,
        "duration": round(result.duration, 3), "device": result.device,
        "cached": result.cached, "frozen": result.frozen, "message": result.message,
        "blocks": [{"line": b.line, "status": b.status, "stdout": b.stdout,
                    "error": b.error} for b in result.blocks],
    }


def print_table(results: list[Any], out: TextIO) -> None:
    rows = [("log", "session", "status", "time", "device", "cached")]
    for r in results:
        how = "frozen" if r.frozen else "cached" if r.cached else "run" if r.device else "-"
        rows.append((r.log, r.session, r.status, f"{r.duration:.2f}s", r.device or "-", how))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                  + "\n")
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")
    for r in results:
        if r.failed:
            out.write(f"\n{r.log}::{r.session}: {r.status}\n")
            if r.message:
                out.write(f"  {r.message}\n")
            for b in r.blocks:
                if b.status not in ("ok", "skipped", "error-allowed") and b.error:
                    out.write(f"  {r.log}:{b.line}:\n")
                    out.write("".join(f"    {line}\n" for line in b.error.rstrip().splitlines()))
    ran = sum(1 for r in results if r.device and not r.cached)
    cached = sum(1 for r in results if r.cached)
    bad = sum(1 for r in results if r.failed)
    out.write(f"\n{len(results)} sessions: {ran} run, {cached} cached, {bad} failed\n")


class Progress:
    """A one-line progress bar on a terminal (stderr), redrawn per finished session."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.done, self.stream = total, 0, stream

    def update(self, result: Any) -> None:
        self.done += 1
        width = max(10, min(30, shutil.get_terminal_size().columns - 60))
        filled = width * self.done // max(1, self.total)
        label = f"{result.log}::{result.session} {result.status}"[:40]
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] "
                          f"{self.done}/{self.total} {label:<40}")
        self.stream.flush()

    def close(self) -> None:
        if self.done:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
