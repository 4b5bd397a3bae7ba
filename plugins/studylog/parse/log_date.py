"""A log's date, and every date written in it, checked against the weekday beside it.

Front matter first, then the file name; then, for a log that is not a file of days,
what its body says (a date line before any day, a date in the title) or its single
day heading; a file of days takes its earliest day's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from studylog.model import Day, Problem
from studylog.parse import dates, days
from studylog.parse.document import NO_DATE, DayDate, Document, Resolved, Title
from studylog.parse.log_year import log_year, single_year
from studylog.parse.patterns import first_match, group_of
from studylog.parse.years import Year

WEEKDAY_MISMATCH = "the weekday "


def weekday_problems(
    doc: Document, line: int, text: str, date: dt.date | None, year: Year | None
) -> list[Problem]:
    """A weekday written beside a date that does not match it; the date is kept. ``year``
    is where the year of a date written without one came from (None: it was written)."""
    found = dates.weekday_in(text)
    if date is None or found is None or found[0] == date.weekday():
        return []
    actual = dates.WEEKDAY_NAMES[date.weekday()]
    hint = "the date is used; correct the weekday or the date"
    if year is not None and not year.written:
        hint += f"; the year {date.year} was assumed: write the year if it is another one"
    elif year is not None:
        hint += f"; its year {date.year} is the one {year.source} gives"
    message = f"{WEEKDAY_MISMATCH}{found[1]} does not match {date.isoformat()}, a {actual}"
    return [Problem(doc.path, line, message, hint, "warning")]


def written_date(
    doc: Document, line: int, text: str, known: Year, near: dt.date | None = None
) -> Resolved[DayDate]:
    """A date as written in a heading or title, reporting what is wrong with it. ``near``
    (the previous day's date) picks the year of a date written without one."""
    problems: list[Problem] = []
    year_written = dates.has_year(text)
    if not year_written and not dates.could_be(text):
        return NO_DATE, problems  # "Day 3 (3.45)": not a date at all
    date, error, needs_year = dates.parse_loose(text, known.value)
    if error:
        # "2/29" is impossible only in the year assumed for it: a warning, not an error.
        problems.append(
            Problem(
                doc.path,
                line,
                f"day heading: {error}",
                "write the date as YYYY/MM/DD or MM/DD",
                "error" if year_written else "warning",
            )
        )
    if needs_year:
        problems.append(
            Problem(
                doc.path,
                line,
                f"the date {text} has no year",
                "add `year: YYYY` to the front matter or set default_year",
                "warning",
            )
        )
    if date is not None and near is not None and not year_written:
        date = dates.near(date.month, date.day, date.year, near) or date
    return DayDate(date, needs_year), problems


def checked_date(
    doc: Document, written: tuple[int, str, str], year: Year, near: dt.date | None = None
) -> Resolved[DayDate]:
    """A date as written (its line, its text, the text beside it holding its weekday),
    read in ``year`` when written without one, and checked against its weekday."""
    line, text, beside = written
    when, problems = written_date(doc, line, text, year, near)
    given = None if dates.has_year(text) else year
    return when, problems + weekday_problems(doc, line, beside, when.date, given)


def day_date(
    doc: Document, start: days.DayStart, known: Year, near: dt.date | None = None
) -> Resolved[DayDate]:
    """The date written in a day heading (checked against its weekday)."""
    if not start.date_text:
        return NO_DATE, []
    return checked_date(doc, (start.line, start.date_text, start.title), known, near)


def title_date(doc: Document, log_title: Title, known: Year) -> Resolved[DayDate]:
    """A single date in the title ("[TIL] 23.01.09(월)"), or the first day of a range in it
    ("WIL [2023-12-03 ~ 2023-12-09]"). A title without a year leaves it to the days."""
    if not log_title.text:
        return NO_DATE, []
    found = first_match(doc.rules.title_dates, dates.plain_marks(log_title.text))
    if found is None or not found.group("date"):
        return NO_DATE, []
    text = found.group("date").strip()
    ranged = bool(group_of(found, "end"))
    if not dates.has_year(text):
        if known.value is None and doc.starts:
            return NO_DATE, []  # its days say that their dates lack a year
        known = single_year(doc, known, "" if ranged else log_title.text, text)
    if ranged:
        return written_date(doc, log_title.line, text, known)
    return checked_date(doc, (log_title.line, text, log_title.text), known)


def _file_name_date(doc: Document) -> Resolved[dt.date | None]:
    date, error = dates.from_filename(doc.file.stem)
    if not error:
        return date, []
    hint = "rename the file YYYY-MM-DD-title.md with a real date"
    return date, [Problem(doc.path, 1, f"file name: {error}", hint, "warning")]


def file_date(doc: Document, log_title: Title) -> Resolved[DayDate]:
    """Front matter, else the file name; for a log that is not a file of days, else what
    its body says (:func:`body_date`), else its single day heading. A file of days takes
    its earliest day's date later, in :func:`log_date`."""
    if doc.values.get("date") is not None:
        return DayDate(doc.values["date"], False), []
    date, problems = _file_name_date(doc)
    if date is not None or doc.multi:
        return DayDate(date, False), problems
    known, _ = log_year(doc, log_title)  # its warning is the log's, given once (logs.py)
    found, more = body_date(doc, log_title, known)
    if found.date is None and not found.year_missing:
        found, more = _single_day_date(doc, known)
    return found, problems + more


def _single_day_date(doc: Document, known: Year) -> Resolved[DayDate]:
    start = doc.single_day
    if start is None:
        return NO_DATE, []
    return day_date(doc, start, single_year(doc, known, start.title, start.date_text))


def body_date(doc: Document, log_title: Title, known: Year) -> Resolved[DayDate]:
    """A date line before any day ("날짜: 2023-03-07"), else a date in the title."""
    preamble = doc.tallies[0]
    if preamble.date_text is not None:
        text = preamble.date_text
        found, problems = written_date(
            doc, preamble.date_line, text, single_year(doc, known, text, text)
        )
        if found.date is not None or found.year_missing:
            return found, problems
    return title_date(doc, log_title, known)


def log_date(
    doc: Document, own: dt.date | None, entries: Sequence[Day], log_title: Title, known: Year
) -> Resolved[DayDate]:
    """The file's date, else its earliest day's (logs kept newest first start at their
    last entry), else for a file of days what its body says, else front matter
    ``last_modified_at``."""
    if own is not None:
        return DayDate(own, False), []
    first = min((d.date for d in entries if d.date is not None), default=None)
    if first is not None:
        return DayDate(first, False), []
    if doc.multi:
        found, problems = body_date(doc, log_title, known)
        if found.date is not None or found.year_missing:
            return found, problems
    modified: dt.date | None = doc.values.get("last_modified_at")
    return DayDate(modified, False), []


def missing_date(doc: Document, date: dt.date | None, year_missing: bool) -> list[Problem]:
    """One problem per mistake: a log with no date at all, unless something already said why
    (an unreadable front matter, a bad date, a date without a year)."""
    fm = doc.front_matter
    if (
        date is not None
        or "date" in fm.raw
        or fm.broken
        or doc.front_matter_unclosed
        or year_missing
    ):
        return []
    where = "a day heading such as `## 2024-03-04`" if doc.starts else "the title"
    return [
        Problem(
            doc.path,
            1,
            "the log has no date",
            "add `date: YYYY-MM-DD` to the front matter, name the file YYYY-MM-DD-title.md or "
            f"write the date in {where}; until then it is left out of date-ordered pages",
            "warning",
        )
    ]
