"""Dates as people write them in logs: front matter, Jekyll file names, day headings.

Each function returns ``(date, error)`` instead of raising, so the caller can
turn an impossible date such as ``2022-02-30`` into a problem on the right line.
"""

from __future__ import annotations

import datetime as dt
import re

# "2022-02-09", "2022/02/09", "2022.02.09", optionally followed by a time and an
# offset ("2022-02-09 22:40:00 +0900"). The calendar date is the one written, i.e.
# the date in the post's own offset, which is what its author meant.
_FULL = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\.?(?:(?:[T\s]|$).*)?$")
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*[/.]\s*(\d{1,2})\s*$")
_KOREAN = re.compile(r"^\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일\s*$")
_JEKYLL_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[-_.]|$)")

DateResult = tuple[dt.date | None, str | None]


def _make(year: int, month: int, day: int, written: str) -> DateResult:
    try:
        return dt.date(year, month, day), None
    except ValueError:
        return None, f"impossible date {written.strip()!s}"


def from_value(value: object) -> DateResult:
    """A front matter ``date``: a date, a datetime or a string in one of the usual forms."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str):
        found = _FULL.match(value)
        if found:
            year, month, day = (int(g) for g in found.groups())
            return _make(year, month, day, value)
    return None, f"date {value!r} is not a date"


def from_filename(stem: str) -> DateResult:
    """The date of a Jekyll-style file name ``YYYY-MM-DD-title``; (None, None) if it has none."""
    found = _JEKYLL_NAME.match(stem)
    if not found:
        return None, None
    year, month, day = (int(g) for g in found.groups())
    return _make(year, month, day, "-".join(found.groups()))


def parse_loose(text: str, year: int | None) -> tuple[dt.date | None, str | None, bool]:
    """A date next to a day heading; returns ``(date, error, needs_year)``.

    ``needs_year`` is True when the text has no year and ``year`` is None.
    """
    found = _FULL.match(text)
    if found:
        y, month, day = (int(g) for g in found.groups())
        date, error = _make(y, month, day, text)
        return date, error, False
    found = _MONTH_DAY.match(text) or _KOREAN.match(text)
    if not found:
        return None, f"{text.strip()!r} is not a date", False
    if year is None:
        return None, None, True
    month, day = (int(g) for g in found.groups())
    date, error = _make(year, month, day, f"{year}/{text.strip()}")
    return date, error, False


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
