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

from studylog.parse.dates import MONTH_NAME, WEEKDAY
from studylog.settings import Settings, is_pattern_option

# A date as people write it, longest forms first: 2021/08/09, 2021-08-09, 2023년 1월 9일,
# 09.01.2023, 23.01.09 (YY.MM.DD), Jan 22, 2018 (FULL_DATE, with a year); 11/20, 3.7,
# 3월 7일, January 22nd, 22 Jan (SHORT_DATE). ``dates.parse_loose`` reads the match.
_ORD = r"(?:st|nd|rd|th)?"
FULL_DATE = (
    r"\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}\.?"
    r"|(?:\d{4}|\d{2})\s*년\s*\d{1,2}\s*월\s*\d{1,2}\s*일"
    r"|\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{4}"
    r"|\d{2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}\.?"
    rf"|{MONTH_NAME}\.?\s*,?\s*\d{{1,2}}{_ORD}\s*,?\s*\d{{4}}"
    rf"|\d{{1,2}}{_ORD}\s*(?:of\s+)?{MONTH_NAME}\.?\s*,?\s*\d{{4}}"
)
SHORT_DATE = (
    r"\d{1,2}\s*[/.]\s*\d{1,2}"
    r"|\d{1,2}\s*월\s*\d{1,2}\s*일"
    rf"|{MONTH_NAME}\.?\s*,?\s*\d{{1,2}}{_ORD}(?![\d:])"
    rf"|\d{{1,2}}{_ORD}\s*(?:of\s+)?{MONTH_NAME}\b\.?"
)
DATE = f"{FULL_DATE}|{SHORT_DATE}"

# An English weekday before a date or a day ("Mon - Day 15", "Tuesday, Jan 23").
_WD = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
# Emoji, brackets and other marks before a day heading ("🗓 Day 3", "[Day 3]").
_LEAD = r"^\W*"
# A date range is a week, not a day: "1/9 ~ 1/13", "2023-01-09 - 2023-01-13".
_NO_RANGE = rf"(?!\s*(?:~|～|→|->|-|–|—|to\b)\s*(?:\d|{MONTH_NAME}))"
# A number with a unit is a duration or a score, not a date: "Day 3 (3.5시간)".
_NOT_A_DATE = r"(?!\d)(?!\s*(?:시간|분|점|개|h\b|hours?\b|hrs?\b|min|%|km|kg))"
_DAY_DATE = rf"(?:\s*[-–—:|.,]?\s*[(\[]?\s*(?:{_WD}\s*,?\s*)?(?P<date>{DATE}){_NOT_A_DATE})?(?!\d)"
_WEEKDAY_AFTER = rf"\s*[-–—,]?\s*[(\[]?\s*{WEEKDAY}\s*[)\]]?"
_TOPIC = r"(?:\s.*|[-–—:|].*)?"

# Headings (ATX or setext) that start a day entry. Named groups: ``day`` and/or ``date``.
DAY_HEADING_PATTERNS: tuple[str, ...] = (
    # "Day 11 (11/20)", "DAY 03 - CNN", "[Day1] 2021/08/09", "Mon - Day 15", "🗓 Day 3",
    # "Day 1: Jan 22, 2018", "[Week 04 / Day 015]"
    rf"{_LEAD}(?:{_WD}\s*[-–—:|,.]?\s*)?(?:week\s*0*\d+\s*[-–—:|,/.]?\s*)?"
    rf"\[?\s*day\s*[-_]?\s*0*(?P<day>\d+)\s*\]?{_DAY_DATE}",
    # "3일차 (3/6)", "2주차 3일차"
    rf"{_LEAD}(?:\d+\s*주\s*차\s*[-–—:|,/.]?\s*)?(?P<day>\d+)\s*일\s*차{_DAY_DATE}",
    # A dated heading: "2023-01-09", "23.01.09(월)", "2023년 1월 9일 월요일",
    # "Jan 22, 2018 - CNN" (a date with its year may be followed by a topic)
    rf"{_LEAD}(?:{_WD}\s*,?\s*)?[(\[]?\s*(?P<date>{FULL_DATE})(?!\d)\s*[)\]]?"
    rf"(?:{_WEEKDAY_AFTER})?{_NO_RANGE}{_TOPIC}$",
    # A date without its year: only the date (and "TIL"), or the date, its weekday and
    # perhaps a topic: "10 / 18 (월)", "1월 9일 (월)", "January 22nd", "10/18 (월) - CNN"
    rf"{_LEAD}(?:{_WD}\s*,?\s*)?[(\[]?\s*(?P<date>{SHORT_DATE})(?!\d)\s*[)\]]?"
    rf"(?:{_WEEKDAY_AFTER}{_NO_RANGE}{_TOPIC}"
    r"|(?:\s*[-–—:|]?\s*(?:TIL|today\s+i\s+learned|일지|학습\s*일지|학습\s*기록))?\W*)$",
)
# Whole paragraph lines that start a day entry, e.g. "[Day1] 2021/08/09". Stricter than
# headings (brackets, nothing else on the line) so prose mentioning a day is not split.
DAY_LINE_PATTERNS: tuple[str, ...] = (
    rf"^\[\s*day\s*[-_]?\s*0*(?P<day>\d+)\s*\]\s*[(\[]?\s*(?P<date>{DATE})?\s*[)\]]?\s*$",
    rf"^\[\s*(?P<day>\d+)\s*일\s*차\s*\]\s*[(\[]?\s*(?P<date>{DATE})?\s*[)\]]?\s*$",
)
# A week in a title, heading, day heading or file name: "Week 04", "Week 3 (11/20 ~ 11/24)",
# "4주차", "3주 회고", "3weeks", "3rd week". "1월 2주차" is a week of January, not of a course.
WEEK_PATTERNS: tuple[str, ...] = (
    r"\bweek\s*[-_]?\s*0*(?P<week>\d+)",
    r"(?<![\d월])(?<!월\s)(?P<week>\d+)\s*주\s*차",
    r"(?<![\d월])(?<!월\s)(?P<week>\d+)\s*주(?![가-힣])",
    r"(?<![\d.])(?P<week>\d+)\s*[-_]?\s*weeks?\b",
    r"(?<!\d)(?P<week>\d+)(?:st|nd|rd|th)\s+week\b",
)
# A tag or category naming the week: "week04", "week-3", "4주차", "3주", "3weeks".
WEEK_TAG_PATTERNS: tuple[str, ...] = (
    r"^week\s*[-_]?\s*0*(?P<week>\d+)$",
    r"^(?P<week>\d+)\s*주\s*차?$",
    r"^(?P<week>\d+)\s*[-_]?\s*weeks?$",
)
# A day number in a title or file name: "[Week 04 / Day 015]", "15일차", "day015".
TITLE_DAY_PATTERNS: tuple[str, ...] = (
    r"\bday\s*[-_]?\s*0*(?P<day>\d+)",
    r"(?P<day>\d+)\s*일\s*차",
)
# A date in a title ("[TIL] 23.01.09(월)", "2023-01-09 TIL"), or the range of a week
# ("Week 3 (11/20 ~ 11/24)": group ``end``). A date without its year counts only with
# its weekday, since "Python 3.10" is not March 10.
TITLE_DATE_PATTERNS: tuple[str, ...] = (
    rf"(?<![\d.])(?P<date>{DATE})\s*(?:\(\s*[^)]{{1,4}}\)\s*)?(?:~|～|→|->|-|–|—)\s*"
    rf"(?P<end>{DATE})(?![\d.])",
    rf"(?<![\d.])(?P<date>{FULL_DATE})(?![\d.])",
    rf"(?<![\d.])(?P<date>{SHORT_DATE})(?![\d.]){_WEEKDAY_AFTER}",
)
# Words that make a title or file name a weekly log, unless it names a day or has a
# daily word too ("[TIL] 23.01.09 회고" is a day's reflection).
WEEKLY_TITLE_PATTERNS: tuple[str, ...] = (
    r"회고",
    r"retrospect",
    r"weekly",
    r"주간",
    r"(?<![a-z])WIL(?![a-z])",
    r"이번\s*주",
    r"한\s*주",
    r"week\s+in\s+review",
    r"this\s+week",
)
# Words right after a week in a title that make the log that week's summary ("4주차 정리",
# "5주차 학습 정리", "Week 3 review", "2weeks recap"). A week followed by a topic instead
# ("[3주차] Transformer 정리", "Week03 - DL Basic") only says which week a day's note is in.
WEEK_SUMMARY_PATTERNS: tuple[str, ...] = (
    r"^[\s\])}:|/-]*(?:학습|공부|study|learning)?\s*(?:정리|회고|요약|리뷰|기록|일지|review|summary"
    r"|recap|wrap[- ]?up|retro\w*|notes?|log|journal|diary)(?![a-z])",
)
# Words that make a title a daily log (a single date in it does too).
DAILY_TITLE_PATTERNS: tuple[str, ...] = (
    r"(?<![a-z])TIL(?![a-z])",
    r"today\s+i\s+learned",
    r"오늘",
    r"일일",
    r"데일리",
    r"\bdaily\b",
)


@dataclass(frozen=True)
class ParserConfig:
    """Options of the parser; the defaults read the Korean and English forms."""

    default_year: int | None = None  # year for dates written without one
    course_start: dt.date | None = None  # week = weeks since course_start + 1
    keyword_aliases: Mapping[str, str] = field(default_factory=dict)  # synonym -> canonical
    day_heading_patterns: tuple[str, ...] = DAY_HEADING_PATTERNS
    day_line_patterns: tuple[str, ...] = DAY_LINE_PATTERNS
    # "키워드: a, b" / "Keywords: a, b" lines
    keyword_line_labels: tuple[str, ...] = (
        "키워드",
        "오늘의 키워드",
        "학습 키워드",
        "핵심 키워드",
        "Keywords",
        "Keyword",
        "Today's keywords",
        "Key words",
    )
    # headings whose text contains one of these hold a keyword list ("### 오늘의 키워드")
    keyword_section_labels: tuple[str, ...] = ("키워드", "Keywords", "Keyword", "Key words")
    # "날짜: 2023-03-07", "Date: March 7, 2023": the date of the log (or of its day)
    date_line_labels: tuple[str, ...] = (
        "날짜",
        "일자",
        "일시",
        "작성일",
        "작성 일자",
        "학습일",
        "Date",
        "Created",
        "Created at",
    )
    question_count_labels: tuple[str, ...] = (
        "오늘의 질문 횟수",
        "오늘의 질문 수",
        "질문 횟수",
        "질문 수",
        "Questions",
        "Questions asked",
    )
    answer_count_labels: tuple[str, ...] = (
        "오늘의 답변 횟수",
        "오늘의 답변 수",
        "답변 횟수",
        "답변 수",
        "Answers",
        "Answers given",
    )
    # a line starting with "Q:", "Q)", "[Q1]", "질문:", "Question 2." is a question; "A: ...",
    # "답변)", "Answer:" an answer (the grammar around the words: studylog.parse.qa)
    question_markers: tuple[str, ...] = ("Q", "질문", "Question")
    answer_markers: tuple[str, ...] = ("A", "답변", "답", "Answer")
    week_patterns: tuple[str, ...] = WEEK_PATTERNS
    week_tag_patterns: tuple[str, ...] = WEEK_TAG_PATTERNS
    title_day_patterns: tuple[str, ...] = TITLE_DAY_PATTERNS
    title_date_patterns: tuple[str, ...] = TITLE_DATE_PATTERNS
    weekly_title_patterns: tuple[str, ...] = WEEKLY_TITLE_PATTERNS
    week_summary_patterns: tuple[str, ...] = WEEK_SUMMARY_PATTERNS
    daily_title_patterns: tuple[str, ...] = DAILY_TITLE_PATTERNS

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


# The lists a user may extend from mkdocs.yml (labels, markers, patterns), by option name.
PATTERN_OPTIONS: tuple[str, ...] = tuple(
    f.name for f in fields(ParserConfig) if is_pattern_option(f.name)
)


def parser_config(settings: Settings) -> ParserConfig:
    """The parser's config of a project: plain options set, pattern lists extended (never
    replaced)."""
    config = ParserConfig(
        default_year=settings.default_year,
        course_start=settings.course_start,
        keyword_aliases=dict(settings.keyword_aliases),
    )
    return config.extend(**{k: v for k, v in settings.patterns.items() if v})
