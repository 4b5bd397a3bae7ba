"""What the parser can be told: the year and course start, keyword aliases and rule patterns.

Every rule the parser applies to a log's text is a tuple of labels or regular
expressions with Korean and English defaults, so a user can extend any of them
from ``mkdocs.yml`` (see :meth:`ParserConfig.extend`). Regular expressions are
matched case-insensitively against a line's text after Markdown markup
(quote and list markers, heading hashes, emphasis) has been removed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

# A date as people write it next to a day heading: 2021/08/09, 2021-08-09,
# 2021.08.09, 11/20, 3.7, 3월 7일. ``dates.parse_loose`` turns the match into a date.
DATE = (
    r"\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}"
    r"|\d{1,2}\s*[/.]\s*\d{1,2}"
    r"|\d{1,2}\s*월\s*\d{1,2}\s*일"
)

# Headings (ATX or setext) that start a day entry: "Day 11 (11/20)", "DAY 03 - CNN",
# "[Day1] 2021/08/09", "3일차 (3/6)". Named groups: ``day`` and optional ``date``.
DAY_HEADING_PATTERNS: tuple[str, ...] = (
    rf"^\[?\s*day\s*[-_]?\s*0*(?P<day>\d+)\s*\]?(?:\s*[-:|]?\s*[(\[]?\s*(?P<date>{DATE}))?(?!\d)",
    rf"^(?P<day>\d+)\s*일\s*차(?:\s*[-:|]?\s*[(\[]?\s*(?P<date>{DATE}))?(?!\d)",
)
# Whole paragraph lines that start a day entry, e.g. "[Day1] 2021/08/09". Stricter than
# headings (brackets, nothing else on the line) so prose mentioning a day is not split.
DAY_LINE_PATTERNS: tuple[str, ...] = (
    rf"^\[\s*day\s*[-_]?\s*0*(?P<day>\d+)\s*\]\s*[(\[]?\s*(?P<date>{DATE})?\s*[)\]]?\s*$",
    rf"^\[\s*(?P<day>\d+)\s*일\s*차\s*\]\s*[(\[]?\s*(?P<date>{DATE})?\s*[)\]]?\s*$",
)
# A week in a title, heading or day heading: "Week 04", "Week 3 (11/20 ~ 11/24)", "4주차".
WEEK_PATTERNS: tuple[str, ...] = (
    r"\bweek\s*[-_]?\s*0*(?P<week>\d+)",
    r"(?P<week>\d+)\s*주\s*차",
)
# A tag naming the week: "week04", "week-3", "4주차".
WEEK_TAG_PATTERNS: tuple[str, ...] = (
    r"^week\s*[-_]?\s*0*(?P<week>\d+)$",
    r"^(?P<week>\d+)\s*주\s*차$",
)
# A day number in a title: "[Week 04 / Day 015]", "15일차".
TITLE_DAY_PATTERNS: tuple[str, ...] = (
    r"\bday\s*[-_]?\s*0*(?P<day>\d+)",
    r"(?P<day>\d+)\s*일\s*차",
)
# Words that make a title a weekly log when no day is named in it (besides a week).
WEEKLY_TITLE_PATTERNS: tuple[str, ...] = (r"회고", r"retrospective", r"weekly", r"주간")


@dataclass(frozen=True)
class ParserConfig:
    """Options of the parser; the defaults read the Korean and English forms."""

    default_year: int | None = None  # year for dates written without one
    course_start: dt.date | None = None  # week = weeks since course_start + 1
    keyword_aliases: Mapping[str, str] = field(default_factory=dict)  # synonym -> canonical
    day_heading_patterns: tuple[str, ...] = DAY_HEADING_PATTERNS
    day_line_patterns: tuple[str, ...] = DAY_LINE_PATTERNS
    # "키워드: a, b" / "Keywords: a, b" lines
    keyword_line_labels: tuple[str, ...] = ("키워드", "Keywords", "Keyword")
    # headings whose text begins with one of these hold a keyword list
    keyword_section_labels: tuple[str, ...] = ("키워드", "Keywords", "Keyword")
    question_count_labels: tuple[str, ...] = (
        "오늘의 질문 횟수", "오늘의 질문 수", "질문 횟수", "질문 수",
        "Questions", "Questions asked",
    )
    answer_count_labels: tuple[str, ...] = (
        "오늘의 답변 횟수", "오늘의 답변 수", "답변 횟수", "답변 수",
        "Answers", "Answers given",
    )
    # a line starting with "Q :", "Q:" or "Q." is a question; "A ..." its answer
    question_markers: tuple[str, ...] = ("Q",)
    answer_markers: tuple[str, ...] = ("A",)
    week_patterns: tuple[str, ...] = WEEK_PATTERNS
    week_tag_patterns: tuple[str, ...] = WEEK_TAG_PATTERNS
    title_day_patterns: tuple[str, ...] = TITLE_DAY_PATTERNS
    weekly_title_patterns: tuple[str, ...] = WEEKLY_TITLE_PATTERNS

    def extend(self, **extra: Iterable[str]) -> ParserConfig:
        """A copy with ``extra`` labels/patterns appended to the defaults (user additions)."""
        changes: dict[str, Any] = {}
        names = {f.name for f in fields(self)}
        for name, values in extra.items():
            current = getattr(self, name, None) if name in names else None
            if not isinstance(current, tuple):
                raise TypeError(f"{name!r} is not a pattern option of ParserConfig")
            added = tuple(str(v) for v in values if str(v) not in current)
            changes[name] = current + added
        return replace(self, **changes)

    def check(self) -> tuple[str, ...]:
        """Messages for patterns that are not valid regular expressions (empty: all good)."""
        messages = []
        for f in fields(self):
            if not f.name.endswith("_patterns"):
                continue
            for pattern in getattr(self, f.name):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    messages.append(f"{f.name}: {pattern!r} is not a valid pattern: {exc}")
        return tuple(messages)
