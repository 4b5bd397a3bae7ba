"""``studylog import SRC... --out DIR``: rewrite posts as canonical front-matter logs.

Multi-day files become one file per day (``YYYY-MM-DD-dayNN.md``), Jekyll and
front-matter-less posts get canonical front matter; bodies are kept verbatim
(:mod:`studylog.parse.rewrite`). A notebook stays a notebook, its canonical front
matter in its metadata (:mod:`studylog.parse.notebook_rewrite`). Nothing is
written when a source has errors, when two outputs would share a name, or when a
file exists (unless ``--force``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studylog.cli import project

if TYPE_CHECKING:
    from studylog.project import Project


def register(subparsers: Any) -> None:
    """Add ``import`` and its options to the command line."""
    parser = subparsers.add_parser(
        "import",
        help="rewrite posts (multi-day, Jekyll, no front matter) as canonical logs",
        description="Rewrite study-log posts as canonical front-matter logs, one file per day "
        "for multi-day files, bodies kept verbatim.",
    )
    parser.add_argument("sources", nargs="+", metavar="SRC", help="post files or folders")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    parser.add_argument(
        "--default-year",
        type=project.year,
        default=None,
        help="year for dates written without one, e.g. 'Day 11 (11/20)'",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would be written, write nothing"
    )
    project.register(parser, run)


def run(args: argparse.Namespace, site: Project) -> int:
    """Rewrite the given posts as canonical logs; the exit status."""
    from studylog.model import is_notebook
    from studylog.parse import discover, parse_file
    from studylog.parse.config import parser_config
    from studylog.parse.notebook_rewrite import rewrite_notebook
    from studylog.parse.rewrite import Rewritten, rewrite

    missing = [s for s in args.sources if not Path(s).exists()]
    for source in missing:
        print(f"error: {source}: no such file or folder", file=sys.stderr)
    if missing:
        return 2
    config = parser_config(site.with_settings(default_year=args.default_year).settings)
    out_dir = Path(args.out)
    planned: list[Rewritten] = []
    failed = False
    given = {Path(s).resolve() for s in args.sources}
    for path in discover(Path(s) for s in args.sources):
        if path.resolve() not in given and path.resolve().is_relative_to(out_dir.resolve()):
            continue  # found in a folder holding --out: an earlier import's output
        log = parse_file(path, config=config)
        for problem in log.problems:
            print(f"{problem}{'' if problem.kind == 'error' else ' [warning]'}", file=sys.stderr)
        if log.errors:
            failed = True
            continue
        if is_notebook(log.path):  # stays a notebook, its front matter in its metadata
            planned.append(rewrite_notebook(log, path.read_bytes()))
        else:
            planned.extend(rewrite(log))
    if failed:
        print("error: nothing written; fix the errors above first", file=sys.stderr)
        return 1

    names: dict[str, Rewritten] = {}
    clashes = []
    for item in planned:
        if item.name in names:
            other = names[item.name]
            clashes.append(
                f"{item.name}: from {other.source}:{other.line} and {item.source}:{item.line}"
            )
        names[item.name] = item
    existing = [name for name in names if (out_dir / name).exists()]
    if clashes:
        for clash in clashes:
            print(f"error: two logs would be written to {clash}", file=sys.stderr)
        print("hint: give the days distinct dates or day numbers", file=sys.stderr)
        return 1
    if existing and not args.force:
        for name in existing:
            print(f"error: {out_dir / name} exists", file=sys.stderr)
        print("hint: nothing was written; use --force to overwrite", file=sys.stderr)
        return 1

    for item in planned:
        target = out_dir / item.name
        print(
            f"{'would write' if args.dry_run else 'wrote'} {target.as_posix()}  "
            f"({item.what} of {item.source}:{item.line})"
        )
        if not args.dry_run:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(item.text, encoding="utf-8", newline="\n")
    if not planned:
        print("nothing to import")
    return 0
