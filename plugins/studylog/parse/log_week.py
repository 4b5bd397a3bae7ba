"""The course week of a log and of each of its days.

A log names its own week in many places (:data:`OWN_WEEK`, tried in order); when it
names none, the week is counted from ``course_start``, and a date too far from it to
be in the course is grouped by its calendar week, with a warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from studylog.model import Kind, Problem
from studylog.parse import days
from studylog.parse.document import Document, Resolved
from studylog.parse.patterns import Patterns, first_int

# A log further than this after course_start is not in the course (see ``week``).
COURSE_LENGTH = dt.timedelta(days=365)
# A course week above this is a year or a count, not a week ("week-2023", "100 weeks").
MAX_WEEK = 60
# A heading longer than this is prose that became a heading (a setext underline after a
# paragraph), not a section title naming its week.
SECTION_TITLE_LENGTH = 40


def week_number(patterns: Patterns, text: str) -> int | None:
    """The week ``text`` names by one of ``patterns``; None past :data:`MAX_WEEK`."""
    found = first_int(patterns, text, "week")
    return found if found is not None and found <= MAX_WEEK else None


# -- the week a log names itself, one source each ----------------------------------------

WeekSource = Callable[[Document, str | None, Kind], int | None]


def _front_matter_week(doc: Document, log_title: str | None, log_kind: Kind) -> int | None:
    week: int | None = doc.values.get("week")
    return week


def _title_week(doc: Document, log_title: str | None, log_kind: Kind) -> int | None:
    return week_number(doc.rules.weeks, log_title) if log_title else None


def _single_day_week(doc: Document, log_title: str | None, log_kind: Kind) -> int | None:
    start = doc.single_day
    return week_number(doc.rules.weeks, start.title) if start is not None else None


def _label_week(doc: Document, log_title: str | None, log_kind: Kind) -> int | None:
    """The first tag or category naming a week ("3주차", "week3")."""
    labels = (*doc.tags, *doc.values.get("categories", ()))
    found = (week_number(doc.rules.week_tags, label.strip()) for label in labels)
    return next((week for week in found if week is not None), None)


def _file_name_week(doc: Document, log_title: str | None, log_kind: Kind) -> int | None:
    return week_number(doc.rules.weeks, doc.name)


def _days_week(doc: Document, log_title: str | None, log_kind: Kind) -> int | None:
    """Days that all name one week ("## Week4 - Day1", "## Week4 - Day2")."""
    if len(doc.starts) < 2:
        return None
    named = {s.week for s in doc.starts}
    return named.pop() if len(named) == 1 else None


def _folder_week(doc: Document, log_title: str | None, log_kind: Kind) -> int | None:
    """A folder of the week's logs: "week04/day3.md", "4주차/정리.md"."""
    folder = doc.file.parent.name.replace("_", " ").strip()
    return week_number(doc.rules.week_tags, folder)


def _heading_week(doc: Document, log_title: str | None, log_kind: Kind) -> int | None:
    """For a weekly log, a short heading before its days that names the week."""
    if log_kind != "weekly":
        return None
    first_day = doc.starts[0].line if doc.starts else None
    found = (
        week_number(doc.rules.weeks, h.text)
        for h in doc.outline.headings
        if h.level <= 2
        and len(h.text) <= SECTION_TITLE_LENGTH
        and (first_day is None or h.line < first_day)
    )
    return next((week for week in found if week is not None), None)


OWN_WEEK: tuple[WeekSource, ...] = (
    _front_matter_week,
    _title_week,
    _single_day_week,
    _label_week,
    _file_name_week,
    _days_week,
    _folder_week,
    _heading_week,
)


def own_week(doc: Document, log_title: str | None, log_kind: Kind) -> Resolved[int | None]:
    """The week the file names itself (days inherit it): front matter, title, a single
    day heading, a tag or category, the file name, the folder holding it (``week04/``),
    and for a weekly log a heading before its days ("## 6주차 회고"). Not computed from
    course_start."""
    found = (source(doc, log_title, log_kind) for source in OWN_WEEK)
    return next((week for week in found if week is not None), None), []


# -- the week counted from course_start -----------------------------------------------


def week_from_course(date: dt.date | None, start: dt.date | None) -> int | None:
    """The course week of ``date`` counted from ``start``; None outside the course."""
    if date is None or start is None or not start <= date <= start + COURSE_LENGTH:
        return None
    return (date - start).days // 7 + 1


def outside_course(doc: Document, line: int, date: dt.date | None) -> list[Problem]:
    """A date too far from course_start to be a course week: grouped by its calendar week."""
    start = doc.config.course_start
    if date is None or start is None or start <= date <= start + COURSE_LENGTH:
        return []
    where = "before" if date < start else "more than a year after"
    iso_year, iso_week, _ = date.isocalendar()
    return [
        Problem(
            doc.path,
            line,
            f"{date.isoformat()} is {where} course_start ({start.isoformat()}); "
            f"the log is grouped by its calendar week ({iso_year}-W{iso_week:02d})",
            "give it `week: N` in its front matter if it belongs to the course, "
            "or check course_start",
            "warning",
        )
    ]


def week(
    doc: Document, file_week: int | None, date: dt.date | None, days_outside: bool
) -> Resolved[int | None]:
    """The file's own week, else computed from course_start; a date far outside the
    course gets none (it is grouped by its calendar week) and a warning."""
    if file_week is not None:
        return file_week, []
    problems = [] if days_outside else outside_course(doc, 1, date)
    return week_from_course(date, doc.config.course_start), problems


# -- the week of one day of a file of days --------------------------------------------


def section_weeks(doc: Document) -> list[tuple[int, int, int]]:
    """(line, level, week) of the headings that name a week and are not day headings:
    "## 2주차" above "### Day 6" puts that day in week 2."""
    day_lines = {s.line for s in doc.starts}
    found = []
    for heading in doc.outline.headings:
        if heading.line in day_lines or len(heading.text) > SECTION_TITLE_LENGTH:
            continue
        number = week_number(doc.rules.weeks, heading.text)
        if number is not None:
            found.append((heading.line, heading.level, number))
    return found


def enclosing_week(sections: Sequence[tuple[int, int, int]], start: days.DayStart) -> int | None:
    """The week of the last heading above a day (and higher than it) that names one."""
    level = start.level or 7  # a day line sits below every heading
    above = [week for line, lv, week in sections if line < start.line and lv < level]
    return above[-1] if above else None
