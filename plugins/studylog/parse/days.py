"""Day headings: where the day entries of a log begin, and what they say.

A day heading is a heading such as ``Day 11 (11/20)`` (ATX or setext) or a
whole line such as ``[Day1] 2021/08/09``, which the seeds also write inside a
running paragraph. A day entry runs from its heading to the next one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from studylog.parse.outline import Outline
from studylog.parse.patterns import Rules, first_match


@dataclass(frozen=True)
class DayStart:
    line: int
    title: str
    day: int | None
    date_text: str | None


def find(outline: Outline, rules: Rules) -> list[DayStart]:
    starts: dict[int, DayStart] = {}
    for heading in outline.headings:
        found = first_match(rules.day_headings, heading.text) or first_match(
            rules.day_lines, heading.text)
        if found:
            starts[heading.line] = _start(heading.line, heading.text, found)
    # Line patterns apply to every line, headings' included: in the seeds a
    # "[Day5] 2021/08/13" line can end up inside a multi-line setext heading
    # when a later line is a lone "-".
    for line in outline.lines:
        if line.line in starts or not first_match(rules.day_lines, line.rough):
            continue
        found = first_match(rules.day_lines, line.text)
        if found:
            starts[line.line] = _start(line.line, line.text, found)
    return [starts[line] for line in sorted(starts)]


def _start(line: int, title: str, found: re.Match[str]) -> DayStart:
    groups = found.groupdict()
    day = groups.get("day")
    date_text = groups.get("date")
    return DayStart(line, title.strip(), int(day) if day and day.isdigit() else None,
                    date_text.strip() if date_text else None)


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
