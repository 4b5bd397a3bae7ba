"""The day entries of a file of days, and the day number of a daily log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from studylog.model import Day, Kind, Problem
from studylog.parse import days, facts
from studylog.parse.document import NO_DATE, DayDate, Document, Resolved
from studylog.parse.log_date import WEEKDAY_MISMATCH, checked_date
from studylog.parse.log_week import (
    enclosing_week,
    outside_course,
    section_weeks,
    week_from_course,
    week_number,
)
from studylog.parse.log_year import Written, checked, day_years
from studylog.parse.patterns import first_int
from studylog.parse.years import Year


def day_entries(
    doc: Document, file_week: int | None, known: Year
) -> Resolved[tuple[list[Day], bool]]:
    """The day entries of a multi-day file (none otherwise), and whether a day's date
    lacked a year. A day's week: its heading's, else the week heading above it, else the
    file's, else computed from course_start."""
    if not doc.multi:
        return ([], False), []
    written = [_written(s, t) for s, t in zip(doc.starts, doc.tallies[1:], strict=True)]
    chosen, disagree = day_years(doc, written, known)
    whens, problems = _dates(doc, written, chosen, known.anchor)
    sections = section_weeks(doc)
    entries: list[Day] = []
    outside: list[Problem] = []  # said once, for the first day outside the course
    for start, anchor, tally, when in zip(
        doc.starts, days.anchors(doc.starts), doc.tallies[1:], whens, strict=True
    ):
        week = _named_week(doc, start, sections, file_week)
        if week is None:
            week = week_from_course(when.date, doc.config.course_start)
            outside = outside or outside_course(doc, start.line, when.date)
        entries.append(_day(doc, start, anchor, tally, when.date, week))
    year_missing = any(when.year_missing for when in whens)
    problems = _one_year_warning(doc, written, chosen, disagree, problems)
    return (entries, year_missing), problems + outside


def day_number(
    doc: Document, log_title: str | None, log_kind: Kind, file_week: int | None = None
) -> Resolved[int | None]:
    """Front matter, else a single day heading, else the title or file name of a daily log.
    A day counted within a week (``Week4 - Day3``, ``day3.md`` in week 4) is no day of the
    course: none."""
    number: int | None = doc.values.get("day")
    if number is None and doc.single_day is not None:
        number = doc.single_day.day
        if number is None and doc.single_day.of_week is not None:
            return None, []
    for text in (log_title, doc.name):
        if number is None and text and log_kind == "daily":
            number = first_int(doc.rules.title_days, text, "day")
            week = first_int(doc.rules.weeks, text, "week") or file_week
            if days.day_of_week(week, number):
                return None, []
    return number, []


def _written(start: days.DayStart, tally: facts.Tally) -> Written | None:
    """(line, date as written, text beside it) of a day: its heading's, else its date line's."""
    if start.date_text:
        return start.line, start.date_text, start.title
    if tally.date_text is not None:
        return tally.date_line, tally.date_text, tally.date_text
    return None


def _dates(
    doc: Document, written: Sequence[Written | None], chosen: Sequence[Year], anchor: dt.date | None
) -> Resolved[list[DayDate]]:
    """Each day's date, a date without a year read near the day before it."""
    found: list[DayDate] = []
    problems: list[Problem] = []
    previous = anchor
    for one, year in zip(written, chosen, strict=True):
        when, more = NO_DATE, list[Problem]()
        if one is not None:
            when, more = checked_date(doc, one, year, previous or year.anchor)
        found.append(when)
        problems += more
        previous = when.date or previous
    return found, problems


def _named_week(
    doc: Document,
    start: days.DayStart,
    sections: Sequence[tuple[int, int, int]],
    file_week: int | None,
) -> int | None:
    """The week a day's heading names, else the week heading above it, else the file's."""
    week = start.week if start.week is not None else week_number(doc.rules.weeks, start.title)
    if week is None:
        week = enclosing_week(sections, start)
    return week if week is not None else file_week


def _one_year_warning(
    doc: Document,
    written: Sequence[Written | None],
    chosen: Sequence[Year],
    disagree: Year | None,
    problems: list[Problem],
) -> list[Problem]:
    """When every weekday written beside a yearless date disagrees with the year used and
    all of them fit one other year, say that once (naming where the year used came from)
    instead of once per day."""
    weekdays = [
        (w[0], y)
        for w, y in zip(written, chosen, strict=True)
        if w is not None and checked(w[2], w[1]) is not None
    ]
    if disagree is None or not weekdays:
        return problems
    lines = {line for line, _ in weekdays}
    kept = [p for p in problems if not (p.line in lines and p.message.startswith(WEEKDAY_MISMATCH))]
    used = weekdays[0][1]
    kept.append(
        Problem(
            doc.path,
            weekdays[0][0],
            f"the weekdays written beside the dates fit {disagree.value}, not {used.value}; "
            f"the dates are read in {used.value}, the year {used.source} gives",
            f"correct the weekdays, or the year in {used.source} if it is {disagree.value}",
            "warning",
        )
    )
    return sorted(kept, key=lambda p: p.line)


def _day(
    doc: Document,
    start: days.DayStart,
    anchor: str,
    tally: facts.Tally,
    date: dt.date | None,
    week: int | None,
) -> Day:
    keywords = facts.merge_keywords([tally.keywords], doc.config.keyword_aliases)
    return Day(
        path=doc.path,
        line=start.line,
        title=start.title,
        anchor=anchor,
        day=start.day,
        date=date,
        week=week,
        keywords=keywords,
        questions=tally.questions,
        answers=tally.answers,
        tasks_done=tally.tasks_done,
        tasks_open=tally.tasks_open,
    )
