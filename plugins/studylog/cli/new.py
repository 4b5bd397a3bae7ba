"""``studylog new``: start today's log from a template.

The file gets canonical front matter (title, date, kind, week when the course
start is known, and empty keywords/questions/answers to fill in) and a body
with the usual sections. An existing file is never overwritten.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studylog.cli import project

if TYPE_CHECKING:
    from studylog.project import Project
from studylog.settings import DEFAULTS

DEFAULT_SLUG = "til"
MAX_PLAUSIBLE_WEEK = 53  # a course week past a year is most likely a stale course_start

TEMPLATE = """\
---
title: "{yaml_title}"
date: {date}
kind: daily
{week_line}keywords: []        # e.g. [MLP, Optimizer]
tags: [{tags}]
questions: null      # questions you asked today (leave null if you kept no count)
answers: null        # answers you gave today
---

# {title}

## 오늘 배운 것

<!-- What you learned today, in your own words. -->

## 키워드

<!-- One keyword per list item, e.g. "- MLP"; they feed the keyword index. -->

## 질문과 답변

<!-- "Q: ..." and "A: ..." lines are counted when questions/answers above are null. -->

## 할 일

<!-- "- [ ] ..." open, "- [x] ..." done. -->

<!-- A runnable snippet; its output appears on the page and pytest runs it:

```python exec="on"
print(DEVICE)
```
-->
"""


def register(subparsers: Any) -> None:
    """Add ``new`` and its options to the command line."""
    parser = subparsers.add_parser(
        "new",
        help="write today's log from a template",
        description="Write a new daily log with front matter filled in; never overwrites.",
    )
    parser.add_argument(
        "--logs-dir",
        default=None,
        help="folder of the logs (default: the studylog plugin's logs_dir in mkdocs.yml, "
        f"else {DEFAULTS.logs_dir})",
    )
    parser.add_argument(
        "--date", type=parse_date, default=None, help="the log's date, YYYY-MM-DD (default: today)"
    )
    parser.add_argument(
        "--course-start",
        type=parse_date,
        default=None,
        help="first day of the course, YYYY-MM-DD, to number the week "
        "(default: the studylog plugin's course_start in mkdocs.yml)",
    )
    parser.add_argument("--title", default=None, help="title (default: '<date> 학습 기록')")
    parser.add_argument(
        "--slug",
        default=DEFAULT_SLUG,
        help=f"file name after the date: YYYY-MM-DD-<slug>.md (default: {DEFAULT_SLUG})",
    )
    project.register(parser, run)


def _shown(path: Path) -> Path:
    """``path`` relative to the working folder when it is inside it (as the user typed it)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def parse_date(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` argument."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (write it as YYYY-MM-DD, e.g. 2024-03-04)"
        ) from None


def week_of(day: dt.date, course_start: dt.date) -> int:
    """Course week of ``day``: days 0-6 after the start are week 1."""
    return (day - course_start).days // 7 + 1


def render(day: dt.date, *, title: str | None = None, week: int | None = None) -> str:
    """The text of a new daily log for ``day``."""
    title = " ".join((title or f"{day.isoformat()} 학습 기록").split())
    tags = ["daily-log"] + ([f"week{week:02d}"] if week is not None else [])
    return TEMPLATE.format(
        title=title,
        yaml_title=title.replace("\\", "\\\\").replace('"', '\\"'),
        date=day.isoformat(),
        week_line=f"week: {week}\n" if week is not None else "",
        tags=", ".join(tags),
    )


def run(args: argparse.Namespace, site: Project) -> int:
    """Write the day's log from the template, never over an existing file; the exit status."""
    day = args.date or dt.date.today()
    course_start = args.course_start or site.settings.course_start
    week = None
    if course_start is not None:
        if day < course_start:
            print(
                f"error: {day} is before the course start {course_start} "
                "(check --date and --course-start)",
                file=sys.stderr,
            )
            return 2
        week = week_of(day, course_start)
        if week > MAX_PLAUSIBLE_WEEK:
            print(
                f"warning: {day} is in week {week} of a course that started {course_start}, "
                "more than a year earlier; if that is not your course's first day, set "
                "course_start in mkdocs.yml (or pass --course-start) and move the file",
                file=sys.stderr,
            )

    slug = str(args.slug).strip().strip("/") or DEFAULT_SLUG
    if "/" in slug or "\\" in slug or slug.startswith("."):
        print(
            f"error: --slug {args.slug!r} must be a plain file-name part (e.g. til, cnn)",
            file=sys.stderr,
        )
        return 2
    logs_dir = Path(args.logs_dir) if args.logs_dir else _shown(site.logs_dir)
    # Same layout as the demo logs: logs/2024/week02/2024-03-13-til.md.
    folder = logs_dir / f"{day.year:04d}"
    if week is not None:
        folder = folder / f"week{week:02d}"
    path = folder / f"{day.isoformat()}-{slug}.md"
    text = render(day, title=args.title, week=week)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # "x" makes the refusal atomic: two runs at once cannot both write the file.
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        print(
            f"error: {path.as_posix()} already exists; not overwriting it "
            "(edit it, or pass --slug NAME for a second log that day)",
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        print(f"error: cannot write {path.as_posix()}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(path.as_posix())
    if week is None:
        print(
            "note: the log has no week: set course_start in mkdocs.yml (plugins: - studylog:) "
            "or pass --course-start to number the weeks",
            file=sys.stderr,
        )
    return 0
