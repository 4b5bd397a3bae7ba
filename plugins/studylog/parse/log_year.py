"""The year of a log's dates written without one (see :mod:`studylog.parse.years`).

The log's own sources come first (front matter, file name, title, a date line), then
for a day a neighbouring day written with its year, then the year the weekdays
written beside the dates fit, then the ``default_year`` option.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from studylog.model import Problem
from studylog.parse import dates, years
from studylog.parse.document import Document, Resolved, Title
from studylog.parse.patterns import first_match
from studylog.parse.years import Year

# (line, date as written, text beside it) of a day's date: its heading's or its date line's
Written = tuple[int, str, str]


def title_date_text(doc: Document, log_title: Title) -> str | None:
    """The date written in the title (the first of a range), as written; None when none."""
    if not log_title.text:
        return None
    dated = first_match(doc.rules.title_dates, dates.plain_marks(log_title.text))
    return dated.group("date") if dated and dated.group("date") else None


def _title_year(doc: Document, log_title: Title) -> Year | None:
    """The year the title gives: a date with its year, else a year alone ("2023 회고")."""
    if not log_title.text:
        return None
    written = (title_date_text(doc, log_title) or "").strip()
    when = dates.parse_loose(written, None)[0] if dates.has_year(written) else None
    if when is not None:
        return Year(when.year, "the title", log_title.line, when)
    return years.from_title(log_title.text, log_title.line)


def _preamble_year(doc: Document) -> Year | None:
    """The year of a date line before the first day, when written with its year."""
    preamble = doc.tallies[0]
    if preamble.date_text is None or not dates.has_year(preamble.date_text):
        return None
    when = dates.parse_loose(preamble.date_text, None)[0]
    return Year(when.year, "a date line", preamble.date_line, when) if when is not None else None


def _front_matter_years(doc: Document) -> list[Year]:
    values, line_of = doc.values, doc.front_matter.line_of
    found: list[Year] = []
    if values.get("year") is not None:
        found.append(Year(values["year"], "front matter `year`", line_of("year")))
    if isinstance(values.get("date"), dt.date):
        date = values["date"]
        found.append(Year(date.year, "front matter `date`", line_of("date"), date))
    return found


def year_sources(doc: Document, log_title: Title) -> list[Year]:
    """Every year the log itself gives for dates written without one, strongest first (see
    :mod:`studylog.parse.years`): front matter ``year``, then ``date``; the file name or its
    folder; the title; a date line before the first day."""
    found = _front_matter_years(doc)
    others = (years.from_path(doc.file), _title_year(doc, log_title), _preamble_year(doc))
    return found + [year for year in others if year is not None]


def log_year(doc: Document, log_title: Title) -> Resolved[Year]:
    """The year the log itself gives for dates written without one: its strongest source
    (``years.NONE`` when it gives none). When another source names another year, and the
    log has dates without a year to read, one warning says which source decided."""
    sources = year_sources(doc, log_title)
    if not sources:
        return years.NONE, []
    chosen = sources[0]
    other = next((y for y in sources[1:] if _disagree(chosen, y)), None)
    if other is None or not _yearless_dates(doc, log_title):
        return chosen, []
    message = (
        f"{other.source} says {other.value}, {chosen.source} {chosen.value}; "
        f"dates written without a year are read in {chosen.value}"
    )
    hint = f"correct the year in {other.source} or in {chosen.source}"
    return chosen, [Problem(doc.path, other.line, message, hint, "warning")]


def _disagree(first: Year, second: Year) -> bool:
    """Two years that cannot both be right. A post's own date may fall a year after the days
    it tells of (a December retrospective posted in January): that is no disagreement."""
    if first.value is None or second.value is None or first.value == second.value:
        return False
    posted = "front matter `date`" in (first.source, second.source)
    return not (posted and abs(first.value - second.value) == 1)


def _yearless_dates(doc: Document, log_title: Title) -> bool:
    """Whether the log writes any date without its year (only then does its year matter)."""
    written = [s.date_text for s in doc.starts] + [t.date_text for t in doc.tallies]
    written.append(title_date_text(doc, log_title))
    return any(text and not dates.has_year(text) for text in written)


def fallback_year(doc: Document) -> Year:
    """The ``default_year`` option, for a log that says nothing of its year."""
    value = doc.config.default_year
    return Year(value, years.DEFAULT) if value is not None else years.NONE


def weekday_year(doc: Document, checked: Sequence[tuple[int, int, int]]) -> Year | None:
    """The year the weekdays written beside yearless dates fit, near the fallback year."""
    around = doc.config.default_year
    found = years.weekday_fit(checked, around) if around is not None else None
    return Year(found, "the weekdays beside the dates") if found is not None else None


def checked(text: str, date_text: str | None) -> tuple[int, int, int] | None:
    """(month, day, weekday) of a yearless date with its weekday written beside it."""
    if not date_text or dates.has_year(date_text):
        return None
    written, weekday = dates.parts(date_text), dates.weekday_in(text)
    if written is None or weekday is None:
        return None
    return written[1], written[2], weekday[0]


def single_year(doc: Document, known: Year, text: str, date_text: str | None) -> Year:
    """The year of one yearless date: the log's own, else the one its weekday fits, else
    the fallback."""
    if known.value is not None:
        return known
    found = checked(text, date_text)
    fitted = weekday_year(doc, [found]) if found is not None else None
    return fitted or fallback_year(doc)


def _full_dates(written: Sequence[Written | None]) -> list[dt.date | None]:
    """Each day's date when it was written with its year (the neighbours of the others)."""
    full: list[dt.date | None] = []
    for one in written:
        date = None
        if one is not None and dates.has_year(one[1]):
            date = dates.parse_loose(one[1], None)[0]
        full.append(date)
    return full


def day_years(
    doc: Document, written: Sequence[Written | None], known: Year
) -> tuple[list[Year], Year | None]:
    """The year of each day's date written without one, and the year its weekdays fit when
    that is another one than the year used (to say so once). The log's own year first, then
    the nearest day written with its year, then the weekdays, then the fallback."""
    found = [c for c in (checked(w[2], w[1]) for w in written if w is not None) if c]
    fitted = weekday_year(doc, found)
    full = _full_dates(written)
    chosen: list[Year] = []
    for index in range(len(written)):
        neighbour = years.nearest_dated(index, full)
        if known.value is not None:
            chosen.append(known)
        elif neighbour is not None:
            chosen.append(Year(neighbour.year, "a neighbouring day", 1, neighbour))
        else:
            chosen.append(fitted or fallback_year(doc))
    used = next((y for y, w in zip(chosen, written, strict=True) if w and y.value), None)
    disagree = None
    if used is not None and used.written and found and used != fitted:
        other = years.weekday_fit(found, used.value or 0)
        disagree = Year(other, used.source, used.line) if other is not None else None
    return chosen, disagree
