"""One resolver per field of a log: each returns ``(value, problems)``.

Each field is taken from the first source that gives a value (DESIGN.md, section 1):
front matter, then the file name, then headings and lines in the body. A resolver
reads the :class:`Document` (what one pass over the file found) and the fields
resolved before it, and never changes either, so each can be read, tested and
extended on its own; :func:`studylog.parse.logs.parse_log` calls them in order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, TypeVar

from studylog.model import Day, Kind, Problem
from studylog.parse import dates, days, facts
from studylog.parse.config import ParserConfig
from studylog.parse.frontmatter import FrontMatter
from studylog.parse.outline import Outline
from studylog.parse.patterns import Rules, first_int, first_match

T = TypeVar("T")
Resolved = tuple[T, list[Problem]]


@dataclass(frozen=True)
class Document:
    """What one pass over a log found, before any field is decided."""

    path: str
    config: ParserConfig
    rules: Rules
    outline: Outline
    front_matter: FrontMatter
    front_matter_unclosed: bool
    starts: tuple[days.DayStart, ...]  # day headings, in order
    tallies: tuple[facts.Tally, ...]  # the preamble's, then one per day (multi-day files)

    @property
    def values(self) -> Any:
        return self.front_matter.values

    @property
    def multi(self) -> bool:
        """Two or more day headings: a weekly file of days."""
        return len(self.starts) >= 2

    @property
    def single_day(self) -> days.DayStart | None:
        return self.starts[0] if len(self.starts) == 1 else None


@dataclass(frozen=True)
class DayDate:
    date: dt.date | None
    year_missing: bool  # the heading's date has no year and none is known


def year(doc: Document) -> int | None:
    """The year for dates written without one: front matter ``year``, else the option."""
    value: int | None = doc.values.get("year", doc.config.default_year)
    return value


def day_date(doc: Document, start: days.DayStart, known_year: int | None) -> Resolved[DayDate]:
    """The date written in a day heading, reporting what is wrong with it."""
    if not start.date_text:
        return DayDate(None, False), []
    problems = []
    date, error, needs_year = dates.parse_loose(start.date_text, known_year)
    if error:
        problems.append(Problem(doc.path, start.line, f"day heading: {error}",
                                "write the date as YYYY/MM/DD or MM/DD"))
    if needs_year:
        problems.append(Problem(
            doc.path, start.line, f"the date {start.date_text} has no year",
            "add `year: YYYY` to the front matter or set default_year", "warning",
        ))
    return DayDate(date, needs_year), problems


def title(doc: Document) -> Resolved[str | None]:
    """Front matter, else the first level-1 heading that is not a day heading."""
    if doc.values.get("title") is not None:
        return doc.values["title"], []
    day_lines = {s.line for s in doc.starts} if doc.multi else set()
    found = next((h.text for h in doc.outline.headings
                  if h.level == 1 and h.depth == 0 and not h.quoted and h.text
                  and h.line not in day_lines), None)
    return found, []


def file_date(doc: Document) -> Resolved[DayDate]:
    """Front matter, else the file name, else a single day heading (multi-day files take
    their first day's date later, in :func:`log_date`)."""
    if doc.values.get("date") is not None:
        return DayDate(doc.values["date"], False), []
    problems = []
    date, error = dates.from_filename(PurePosixPath(doc.path).stem)
    if error:
        problems.append(Problem(doc.path, 1, f"file name: {error}",
                                "rename the file YYYY-MM-DD-title.md with a real date", "warning"))
    if date is None and doc.single_day is not None:
        found, more = day_date(doc, doc.single_day, year(doc))
        return found, problems + more
    return DayDate(date, False), problems


def own_week(doc: Document, log_title: str | None) -> Resolved[int | None]:
    """The week the file names itself (days inherit it): front matter, title, a single
    day heading, a tag. Not computed from course_start."""
    rules = doc.rules
    week: int | None = doc.values.get("week")
    if week is None and log_title:
        week = first_int(rules.weeks, log_title, "week")
    if week is None and doc.single_day is not None:
        week = first_int(rules.weeks, doc.single_day.title, "week")
    if week is None:
        week = next((w for w in (first_int(rules.week_tags, t, "week") for t in tags(doc))
                     if w is not None), None)
    return week, []


def tags(doc: Document) -> tuple[str, ...]:
    return tuple(doc.values.get("tags", ()))


def week_from_course(date: dt.date | None, start: dt.date | None) -> int | None:
    if date is None or start is None or date < start:
        return None
    return (date - start).days // 7 + 1


def day_entries(doc: Document, file_week: int | None, known_year: int | None) -> Resolved[
        tuple[list[Day], bool]]:
    """The day entries of a multi-day file (none otherwise), and whether a day's date
    lacked a year."""
    if not doc.multi:
        return ([], False), []
    problems: list[Problem] = []
    entries: list[Day] = []
    year_missing = False
    for start, anchor, tally in zip(doc.starts, days.anchors(doc.starts), doc.tallies[1:],
                                    strict=True):
        when, found = day_date(doc, start, known_year)
        problems += found
        year_missing = year_missing or when.year_missing
        week = first_int(doc.rules.weeks, start.title, "week")
        if week is None:
            week = file_week
        if week is None:
            week = week_from_course(when.date, doc.config.course_start)
        entries.append(Day(
            path=doc.path, line=start.line, title=start.title, anchor=anchor, day=start.day,
            date=when.date, week=week,
            keywords=facts.merge_keywords([tally.keywords], doc.config.keyword_aliases),
            questions=tally.questions, answers=tally.answers,
            tasks_done=tally.tasks_done, tasks_open=tally.tasks_open,
        ))
    return (entries, year_missing), problems


def log_date(own: dt.date | None, entries: Sequence[Day]) -> dt.date | None:
    """The file's date, else its first dated day's."""
    if own is not None:
        return own
    return next((d.date for d in entries if d.date is not None), None)


def kind(doc: Document, log_title: str | None) -> Resolved[Kind]:
    """Front matter, else weekly for a file of days or a title naming a week without a day."""
    if "kind" in doc.values:
        value: Kind = doc.values["kind"]
        return value, []
    if doc.multi or (log_title and is_weekly_title(log_title, doc.rules)):
        return "weekly", []
    return "daily", []


def is_weekly_title(text: str, rules: Rules) -> bool:
    names_week = first_match(rules.weeks, text) or first_match(rules.weekly_titles, text)
    return bool(names_week) and not first_match(rules.title_days, text)


def day_number(doc: Document, log_title: str | None, log_kind: Kind) -> Resolved[int | None]:
    """Front matter, else a single day heading, else the title of a daily log."""
    number: int | None = doc.values.get("day")
    if number is None and doc.single_day is not None:
        number = doc.single_day.day
    if number is None and log_title and log_kind == "daily":
        number = first_int(doc.rules.title_days, log_title, "day")
    return number, []


def week(doc: Document, file_week: int | None, date: dt.date | None) -> Resolved[int | None]:
    """The file's own week, else computed from course_start."""
    if file_week is not None:
        return file_week, []
    return week_from_course(date, doc.config.course_start), []


def missing_date(doc: Document, date: dt.date | None, year_missing: bool) -> list[Problem]:
    """One problem per mistake: a log with no date at all, unless something already said why
    (an unreadable front matter, a bad date, a date without a year)."""
    fm = doc.front_matter
    if (date is not None or "date" in fm.raw or fm.broken or doc.front_matter_unclosed
            or year_missing):
        return []
    return [Problem(
        doc.path, 1, "the log has no date",
        "add `date: YYYY-MM-DD` to the front matter or name the file YYYY-MM-DD-title.md; "
        "until then it is left out of date-ordered pages", "warning",
    )]


def keywords(doc: Document) -> Resolved[tuple[str, ...]]:
    """Front matter keywords, then every entry's keyword lines and sections (a union)."""
    groups = [doc.values.get("keywords", ()), *(t.keywords for t in doc.tallies)]
    return facts.merge_keywords(groups, doc.config.keyword_aliases), []


def counts(doc: Document) -> Resolved[tuple[int | None, int | None]]:
    """Questions and answers: front matter, else the sums over the entries."""
    questions = doc.values.get("questions", facts.sum_counts(t.questions for t in doc.tallies))
    answers = doc.values.get("answers", facts.sum_counts(t.answers for t in doc.tallies))
    return (questions, answers), []
