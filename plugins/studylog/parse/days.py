"""Day headings: where the day entries of a log begin, and what they say.

Every entry of the outline (:mod:`studylog.parse.outline`: headings in any form, and
the lines that stand out like one) is read the same way. A heading starts a day when
it names one: a day number (``Day 11``, ``3일차``, ``R1D5``) or a date, at its start,
perhaps after its weekday or week and before a topic (``Day 11 (11/20)``,
``23.01.09(월)``, ``Mon - Day 15``, ``Day 1 - Sunday, July 8th, 2018``, ``15MAY2020``).
The configured patterns are read first; where they end, the same words are read as a
small grammar (day and week numbers, dates in any spelling :mod:`studylog.parse.dates`
reads, weekdays, times), so a new spelling of a heading needs no new rule. A mark
(a line of emphasis, a date alone, a list item over a nested list) starts a day only
when it says nothing else (``*08/10/2022, 8:40 am*``, ``**Day 3**``, ``- 2019-01-01``).
A whole line such as ``[Day1] 2021/08/09`` starts one too, also inside a paragraph.

A day entry runs from its start to the next one. Two headings naming the same day
(``# Day 3`` and below it ``## Day 3 정리``) start one entry, not two. ``Week 4 - Day 3``
is the third day of week 4, not day 3 of the course (``Week 04 / Day 015`` is day 15).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from studylog.parse import dates
from studylog.parse.outline import Heading, Line, Outline
from studylog.parse.patterns import Rules, first_int, first_match


@dataclass(frozen=True)
class DayStart:
    line: int
    title: str
    day: int | None  # the day of the course ("Day 015")
    date_text: str | None
    level: int = 0  # heading level; 0 for a day line or a mark
    week: int | None = None  # the week the start names ("Week 4 - Day 3")
    of_week: int | None = None  # a day counted within that week ("Day 3" of week 4)


# A course week has at most this many days and at least this many: "Week 4 / Day 3" can
# only be the third day of week 4, "Week 4 / Day 17" only day 17 of the course.
WEEK_DAYS = (5, 7)


def day_of_week(week: int | None, day: int | None) -> bool:
    """Whether ``day``, written with ``week``, counts the days of that week, not the course's."""
    if week is None or day is None or week < 2:
        return False
    return day <= WEEK_DAYS[1] and day <= WEEK_DAYS[0] * (week - 1)


def find(outline: Outline, rules: Rules) -> list[DayStart]:
    starts: dict[int, DayStart] = {}
    for entry in outline.entries():
        start = _read_entry(entry, rules)
        if start is not None:
            starts[entry.line] = start
    # Line patterns apply to every line, headings' included: in the seeds a
    # "[Day5] 2021/08/13" line can end up inside a multi-line setext heading
    # when a later line is a lone "-".
    for line in outline.lines:
        if line.line in starts or not first_match(rules.day_lines, line.rough):
            continue
        found = first_match(rules.day_lines, line.text)
        if found:
            starts[line.line] = _start(line.line, line.text, found, 0, rules)
    if not starts:
        starts.update(_dated_sections(outline, rules))
    return merge_same_days([starts[line] for line in sorted(starts)])


def _dated_sections(outline: Outline, rules: Rules) -> dict[int, DayStart]:
    """Entries written as sections each dated by its first line, as lab notebooks keep them
    ("## Tokenizer run" over "**Date:** 2022-08-10"): two or more such sections of one level
    are the days of the log (one alone is a dated log, read as such)."""
    following: dict[int, Line] = {}
    lines = outline.lines
    for index, line in enumerate(lines[:-1]):
        if line.heading and lines[index + 1].line not in following:
            following[line.line] = lines[index + 1]
    found: dict[int, DayStart] = {}
    for heading in outline.headings:
        after = following.get(heading.line)
        if heading.level < 2 or after is None or after.heading or after.line > heading.line + 2:
            continue
        dated = rules.date_line.match(after.text) if rules.line_hint.match(after.rough) else None
        if dated is not None:
            found[heading.line] = _made(
                heading.line, heading.text, None, dated["date"].strip(), heading.level, rules
            )
    levels = {start.level for start in found.values()}
    return found if len(found) >= 2 and len(levels) == 1 else {}


def _read_entry(entry: Heading, rules: Rules) -> DayStart | None:
    start = _read_text(entry, dates.plain_marks(entry.text), rules)
    return replace(start, title=entry.text.strip()) if start is not None else None


def _read_text(entry: Heading, text: str, rules: Rules) -> DayStart | None:
    if entry.is_mark:
        read = read_words(text, topic=False)
        return None if read is None else _start_of(entry.line, text, read, 0, rules)
    found = first_match(rules.day_headings, text) or first_match(rules.day_lines, text)
    if found is not None and _names_a_day(found):
        return _start(entry.line, text, found, entry.level, rules)
    if found is None:
        read = read_words(text, topic=True)
        if read is not None:
            return _start_of(entry.line, text, read, entry.level, rules)
        dated = rules.date_line.match(text)  # "## Date: 2024-03-05", a standup's heading
        if dated is not None:
            return _made(entry.line, text, None, dated["date"].strip(), entry.level, rules)
    return None


def section_ends(outline: Outline, starts: list[DayStart]) -> list[int]:
    """The lines where the section holding a day closes before the next day starts: a
    heading above the day's own level ("## Lectures" after "### 2026-01-10"), or, for a
    day that is a line or a mark, a heading as high as the one it sits under. What
    follows belongs to the log, not to that day."""
    headings = [h for h in outline.headings if not h.quoted and h.depth == 0]
    day_lines = {s.line for s in starts}
    ends: list[int] = []
    for index, start in enumerate(starts):
        stop = starts[index + 1].line if index + 1 < len(starts) else None
        level = start.level
        if not level:
            above = [h.level for h in headings if h.line < start.line]
            level = above[-1] + 1 if above else 0
        if not level:
            continue
        closing = next(
            (
                h.line
                for h in headings
                if start.line < h.line
                and (stop is None or h.line < stop)
                and h.level < level
                and h.line not in day_lines
            ),
            None,
        )
        if closing is not None:
            ends.append(closing)
    return ends


def _names_a_day(found: re.Match[str]) -> bool:
    """A heading that is only a date must be a day of some year ("## 13.45" is not)."""
    groups = found.groupdict()
    text = groups.get("date")
    if groups.get("day") or not text or dates.has_year(text):
        return True
    return dates.could_be(text)


def _start(line: int, title: str, found: re.Match[str], level: int, rules: Rules) -> DayStart:
    groups = found.groupdict()
    day = groups.get("day")
    date_text = groups.get("date")
    number = int(day) if day and day.isdigit() else None
    if number is not None and not date_text:
        # "R1D5 - 15MAY2020", "Day 3 · Thursday 8th of June": a date the pattern did not
        # spell is read from what follows the day.
        after = read_words(title[found.end("day") :], topic=True)
        date_text = after.date_text if after is not None else None
    return _made(line, title, number, date_text.strip() if date_text else None, level, rules)


def _start_of(line: int, title: str, read: Words, level: int, rules: Rules) -> DayStart:
    return _made(line, title, read.day, read.date_text, level, rules, read.week)


def _made(
    line: int,
    title: str,
    day: int | None,
    date_text: str | None,
    level: int,
    rules: Rules,
    week: int | None = None,
) -> DayStart:
    if week is None:
        week = first_int(rules.weeks, title, "week")
    of_week = day if day_of_week(week, day) else None
    return DayStart(
        line,
        title.strip(),
        None if of_week is not None else day,
        date_text,
        level,
        week,
        of_week,
    )


@dataclass(frozen=True)
class Words:
    """What the start of a heading says about its day (see :func:`read_words`)."""

    day: int | None
    week: int | None
    date_text: str | None


_DAY_WORD = re.compile(
    r"(?:day|r\d+\s*[-_]?\s*d)\s*[-_.#]?\s*0*(?P<n>\d+)(?:\s*(?:/|of)\s*\d+)?(?!\d)"
    r"|0*(?P<ko>\d+)\s*일\s*(?:차|째)",
    re.IGNORECASE,
)
_WEEK_WORD = re.compile(
    r"(?:week|wk|w)\s*[-_.]?\s*0*(?P<n>\d+)(?![\d.])|0*(?P<ko>\d+)\s*주\s*차", re.IGNORECASE
)
_WEEKDAY_WORD = re.compile(
    r"(?:[월화수목금토일]요일|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?)(?![a-z])", re.IGNORECASE
)
_KO_WEEKDAY = re.compile(r"[(（]\s*[월화수목금토일](?:요일)?\s*[)）]")
_TIME = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?(?![a-z])", re.I
)
# Marks between the words of a heading: brackets, dashes, emoji and the like.
_BETWEEN = re.compile(r"[\W_]+")
# A date followed by another day or date is a range: "1/9 ~ 1/13", "January 19-25".
_RANGE = re.compile(rf"\s*(?:~|～|→|->|–|—|-|to\b)\s*(?:\d|{dates.MONTH_NAME})", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*[-–—:|,.(\[]|\s")


@dataclass
class _Scan:
    """What the words read so far at the start of a heading say (see :func:`read_words`)."""

    day: int | None = None
    week: int | None = None
    date_text: str | None = None
    date_parts: dates.Parts | None = None
    weekday: bool = False  # a weekday (or a time) is written beside the date
    ranged: bool = False  # the date starts a range of dates: a week, not a day
    pos: int = 0  # where the words read end


# One reader per kind of word: each takes the word at the start of ``rest`` when it is its
# kind and not read yet, notes it in the scan and says how long it is (None: not its word).


# The numbered words, each read once: the field of the scan it fills, and its pattern.
_NUMBERED = (("day", _DAY_WORD), ("week", _WEEK_WORD))


def _numbered_word(scan: _Scan, rest: str) -> int | None:
    """A day or week number not read yet: "Day 11", "3일차", "Week 4", "2주차"."""
    for name, pattern in _NUMBERED:
        found = pattern.match(rest) if getattr(scan, name) is None else None
        if found is not None:
            setattr(scan, name, int(found["n"] or found["ko"]))
            return found.end()
    return None


def _date_word(scan: _Scan, rest: str) -> int | None:
    read = dates.leading(rest) if scan.date_text is None else None
    if read is None:
        return None
    written, scan.date_parts = read
    scan.ranged = bool(_RANGE.match(rest, len(written)))  # "2023-01-09 ~ 2023-01-13"
    scan.date_text = written
    scan.weekday = scan.weekday or dates.weekday_in(written) is not None
    return len(written)


def _weekday_or_time(scan: _Scan, rest: str) -> int | None:
    found = _WEEKDAY_WORD.match(rest) or _TIME.match(rest)
    if found is None:
        return None
    scan.weekday = scan.weekday or not found[0][:1].isdigit()
    return found.end()


_WORD_READERS = (_numbered_word, _date_word, _weekday_or_time)


def _scan(text: str) -> _Scan:
    """Read the words at the start of ``text`` while they say something about a day."""
    scan = _Scan()
    while scan.pos < len(text) and not scan.ranged:
        spaced = len(text) - len(text[scan.pos :].lstrip())
        if found := _KO_WEEKDAY.match(text, spaced):  # "(월)": before the brackets go
            scan.weekday, scan.pos = True, found.end()
            continue
        gap = _BETWEEN.match(text, scan.pos)
        at = gap.end() if gap else scan.pos
        rest = text[at:]
        taken = _read_word(scan, rest) if rest else None
        if taken is None:
            break
        scan.pos = at + taken
    return scan


def _read_word(scan: _Scan, rest: str) -> int | None:
    """The length of the word at the start of ``rest``, read by the first reader it suits."""
    return next((n for n in (read(scan, rest) for read in _WORD_READERS) if n is not None), None)


def _only_numbers(scan: _Scan) -> bool:
    """A yearless date of digits with no day, weekday or month name beside it: "1.2",
    "3.5" may be a section number or a quantity."""
    return (
        scan.day is None
        and scan.date_parts is not None
        and scan.date_parts[0] is None
        and not (scan.weekday or _HAS_MONTH_NAME.search(scan.date_text or ""))
    )


def _names_day_with_topic(text: str, scan: _Scan, topic: bool) -> bool:
    """Whether words followed by more text (a topic) still name a day."""
    if not topic or (scan.pos and not _SEPARATOR.match(text, scan.pos)):
        return False
    return not _only_numbers(scan)  # "1.2 역전파", "3.5 hours": numbers, not a day


def read_words(text: str, *, topic: bool) -> Words | None:
    """The day a heading's words name at its start: day and week numbers, a date in any
    spelling read (its weekday and time beside it), in any order, then perhaps a topic
    (when ``topic``) after a mark. None when it names no day, names a range of dates
    (``1/9 ~ 1/13``), or starts with a yearless date of digits and goes on with a topic
    (``1.2 역전파`` is a section)."""
    scan = _scan(text)
    if scan.ranged or (scan.day is None and scan.date_text is None):
        return None
    tail = text[scan.pos :].strip()
    if tail and not _BETWEEN.fullmatch(tail):  # ")" or "." closing the words is nothing
        named = _names_day_with_topic(text, scan, topic)
    else:
        named = scan.day is not None or scan.date_parts is None
        named = named or dates.could_be(scan.date_text or "")
    return Words(scan.day, scan.week, scan.date_text) if named else None


_HAS_MONTH_NAME = re.compile(dates.MONTH_NAME, re.IGNORECASE)


def _month_day(start: DayStart) -> tuple[int | None, int, int] | None:
    return dates.parts(start.date_text) if start.date_text else None


def _agree(a: object, b: object) -> bool:
    return a is None or b is None or a == b


def _same_day(first: DayStart, then: DayStart) -> bool:
    """Whether ``then``, the next day heading after ``first``, names the same day: the same
    day number or date with nothing contradicting it, or a heading nested under ``first``
    that contradicts nothing ("# Day 3" then "## 2023-01-11")."""
    times = _TIME.search(first.title), _TIME.search(then.title)
    if times[0] and times[1] and times[0][0] != times[1][0]:
        return False  # "8:40 am" and "4:15 pm": two sessions of one day, two entries
    a, b = _month_day(first), _month_day(then)
    dates_agree = a is None or b is None or (a[1:] == b[1:] and _agree(a[0], b[0]))
    numbers_agree = all(
        _agree(getattr(first, key), getattr(then, key)) for key in ("day", "week", "of_week")
    )
    if not (dates_agree and numbers_agree):
        return False
    same_number = (first.day is not None and first.day == then.day) or (
        first.of_week is not None and first.of_week == then.of_week
    )
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
                week=first.week if first.week is not None else start.week,
                of_week=first.of_week if first.of_week is not None else start.of_week,
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
    """Stable, unique anchors: ``day-11``, ``week-4-day-3``; a repeated day gets ``day-11-2``."""
    result: list[str] = []
    used: set[str] = set()
    for start in starts:
        if start.day is not None:
            base = f"day-{start.day}"
        elif start.of_week is not None:
            base = f"week-{start.week}-day-{start.of_week}"
        else:
            base = slug(start.title)
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        result.append(anchor)
    return result
