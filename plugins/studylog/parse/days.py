"""Day headings: where the day entries of a log begin, and what they say.

A day heading is a heading such as ``Day 11 (11/20)``, ``23.01.09(월)`` or
``Mon - Day 15`` (ATX or setext, in a blockquote or not) or a whole line such as
``[Day1] 2021/08/09``, which the seeds also write inside a running paragraph.
A day entry runs from its heading to the next one. Two headings naming the same
day (``# Day 3`` and below it ``## Day 3 정리``) start one entry, not two.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from studylog.parse import dates
from studylog.parse.outline import Outline
from studylog.parse.patterns import Rules, first_match


@dataclass(frozen=True)
class DayStart:
    line: int
    title: str
    day: int | None
    date_text: str | None
    level: int = 0  # heading level; 0 for a day line


def find(outline: Outline, rules: Rules) -> list[DayStart]:
    starts: dict[int, DayStart] = {}
    for heading in outline.headings:
        found = first_match(rules.day_headings, heading.text) or first_match(
            rules.day_lines, heading.text
        )
        if found and _names_a_day(found):
            starts[heading.line] = _start(heading.line, heading.text, found, heading.level)
    # Line patterns apply to every line, headings' included: in the seeds a
    # "[Day5] 2021/08/13" line can end up inside a multi-line setext heading
    # when a later line is a lone "-".
    for line in outline.lines:
        if line.line in starts or not first_match(rules.day_lines, line.rough):
            continue
        found = first_match(rules.day_lines, line.text)
        if found:
            starts[line.line] = _start(line.line, line.text, found, 0)
    return merge_same_days([starts[line] for line in sorted(starts)])


def _names_a_day(found: re.Match[str]) -> bool:
    """A heading that is only a date must be a day of some year ("## 13.45" is not)."""
    groups = found.groupdict()
    text = groups.get("date")
    if groups.get("day") or not text or dates.has_year(text):
        return True
    return dates.could_be(text)


def _start(line: int, title: str, found: re.Match[str], level: int) -> DayStart:
    groups = found.groupdict()
    day = groups.get("day")
    date_text = groups.get("date")
    return DayStart(
        line,
        title.strip(),
        int(day) if day and day.isdigit() else None,
        date_text.strip() if date_text else None,
        level,
    )


def _month_day(start: DayStart) -> tuple[int | None, int, int] | None:
    return dates.parts(start.date_text) if start.date_text else None


def _agree(a: object, b: object) -> bool:
    return a is None or b is None or a == b


def _same_day(first: DayStart, then: DayStart) -> bool:
    """Whether ``then``, the next day heading after ``first``, names the same day: the same
    day number or date with nothing contradicting it, or a heading nested under ``first``
    that contradicts nothing ("# Day 3" then "## 2023-01-11")."""
    a, b = _month_day(first), _month_day(then)
    dates_agree = a is None or b is None or (a[1:] == b[1:] and _agree(a[0], b[0]))
    if not (dates_agree and _agree(first.day, then.day)):
        return False
    same_number = first.day is not None and first.day == then.day
    same_date = a is not None and b is not None
    nested = 0 < first.level < then.level
    return same_number or same_date or nested


def merge_same_days(starts: list[DayStart]) -> list[DayStart]:
    """Consecutive headings naming one day become one start (the first, completed with what
    the later one adds: a date under "Day 3", a day number under "2023-01-11")."""
    merged: list[DayStart] = []
    for start in starts:
        if merged and _same_day(merged[-1], start):
            first = merged[-1]
            merged[-1] = replace(
                first,
                day=first.day if first.day is not None else start.day,
                date_text=first.date_text or start.date_text,
            )
            continue
        merged.append(start)
    return merged


_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_SPACE = re.compile(r"[\s_-]+")


def slug(text: str) -> str:
    text = _SLUG_DROP.sub("", text.casefold())
    return _SLUG_SPACE.sub("-", text).strip("-") or "day"


def anchors(starts: Iterable[DayStart]) -> list[str]:
    """Stable, unique anchors: ``day-11``; a repeated day gets ``day-11-2``."""
    result: list[str] = []
    used: set[str] = set()
    for start in starts:
        base = f"day-{start.day}" if start.day is not None else slug(start.title)
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        result.append(anchor)
    return result
