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
from typing import TYPE_CHECKING

from studylog.cli import project

if TYPE_CHECKING:
    from studylog.parse.config import ParserConfig
    from studylog.parse.rewrite import Rewritten
    from studylog.project import Project


def run(args: argparse.Namespace, site: Project) -> int:
    """Rewrite the given posts as canonical logs; the exit status."""
    from studylog.parse.config import parser_config

    if project.say_missing([s for s in args.sources if not Path(s).exists()]):
        return 2
    config = parser_config(site.with_settings(default_year=args.default_year).settings)
    out_dir = Path(args.out)
    planned = _plan([Path(s) for s in args.sources], out_dir, config)
    if planned is None:
        print("error: nothing written; fix the errors above first", file=sys.stderr)
        return 1
    if _refused(planned, out_dir, force=args.force):
        return 1
    for item in planned:
        _write(item, out_dir / item.name, dry_run=args.dry_run)
    if not planned:
        print("nothing to import")
    return 0


def _plan(sources: list[Path], out_dir: Path, config: ParserConfig) -> list[Rewritten] | None:
    """What each source becomes, after printing its problems; None when one has errors."""
    from studylog.model import is_notebook
    from studylog.parse import discover, parse_file
    from studylog.parse.notebook_rewrite import rewrite_notebook
    from studylog.parse.rewrite import rewrite

    planned: list[Rewritten] = []
    failed = False
    given = {s.resolve() for s in sources}
    for path in discover(sources):
        if path.resolve() not in given and path.resolve().is_relative_to(out_dir.resolve()):
            continue  # found in a folder holding --out: an earlier import's output
        log = parse_file(path, config=config)
        for problem in log.problems:
            print(project.problem_line(problem), file=sys.stderr)
        if log.errors:
            failed = True
        elif is_notebook(log.path):  # stays a notebook, its front matter in its metadata
            planned.append(rewrite_notebook(log, path.read_bytes()))
        else:
            planned.extend(rewrite(log))
    return None if failed else planned


def _refused(planned: list[Rewritten], out_dir: Path, *, force: bool) -> bool:
    """Say why nothing can be written (two outputs of one name, an existing file without
    ``--force``); whether that is so."""
    names: dict[str, Rewritten] = {}
    clashes = []
    for item in planned:
        if item.name in names:
            other = names[item.name]
            clashes.append(
                f"{item.name}: from {other.source}:{other.line} and {item.source}:{item.line}"
            )
        names[item.name] = item
    if clashes:
        for clash in clashes:
            print(f"error: two logs would be written to {clash}", file=sys.stderr)
        print("hint: give the days distinct dates or day numbers", file=sys.stderr)
        return True
    existing = [name for name in names if (out_dir / name).exists()]
    if existing and not force:
        for name in existing:
            print(f"error: {out_dir / name} exists", file=sys.stderr)
        print("hint: nothing was written; use --force to overwrite", file=sys.stderr)
        return True
    return False


def _write(item: Rewritten, target: Path, *, dry_run: bool) -> None:
    """Write one rewritten log (or, with ``--dry-run``, say that it would be written)."""
    print(
        f"{'would write' if dry_run else 'wrote'} {target.as_posix()}  "
        f"({item.what} of {item.source}:{item.line})"
    )
    if not dry_run:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(item.text, encoding="utf-8", newline="\n")


COMMAND = project.Subcommand(
    "import",
    help="rewrite posts (multi-day, Jekyll, no front matter) as canonical logs",
    description="""Rewrite study-log posts as canonical front-matter logs, one file per
    day for multi-day files, bodies kept verbatim.""",
    options=(
        project.option("sources", nargs="+", metavar="SRC", help="post files or folders"),
        project.option("--out", required=True, metavar="DIR", help="folder to write into"),
        project.option("--force", action="store_true", help="overwrite existing files"),
        project.default_year(),
        project.option(
            "--dry-run", action="store_true", help="print what would be written, write nothing"
        ),
    ),
    run=run,
)
