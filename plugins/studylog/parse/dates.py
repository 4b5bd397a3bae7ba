"""Dates as people write them in logs: front matter, Jekyll file names, day headings.

Each function returns ``(date, error)`` instead of raising, so the caller can
turn an impossible date such as ``2022-02-30`` into a problem on the right line.

The forms read (``parts`` below) are the ones study logs use: ``2023-01-09``,
``2023.01.09.``, ``23.01.09`` (Korean ``YY.MM.DD``), ``09.01.2023``, ``1/9/2023``,
``10 / 18``, ``1월 9일``, ``2023년 1월 9일``, ``Jan 22, 2018``, ``January 22nd``,
``22 Jan 2018``. Where these hand-written forms end, a maintained parser
(python-dateutil) reads the rest of what English dates look like (``15MAY2020``,
``Thursday 8th of June 2023``, ``08/10/2022, 8:40 am``, ``09-Jan-2023``); it is imported
on the first such date and its answers are remembered. A weekday written next to a
date (``(월)``, ``월요일``, ``Mon``, ``Saturday``) is found by :func:`weekday_in` so it can
be checked against the date.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

# "2022-02-09", "2022/02/09", "2022.02.09", optionally followed by a time and an
# offset ("2022-02-09 22:40:00 +0900"). The calendar date is the one written, i.e.
# the date in the post's own offset, which is what its author meant.
_FULL = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\.?(?:(?:[T\s]|$).*)?$")
_JEKYLL_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[-_.]|$)")
# A date elsewhere in a file name: "20230306.md", "til_2023_03_06.md", "TIL-2023.03.06.md".
_NAME_DATE = re.compile(r"(?<!\d)(20\d{2})([-_.]?)(\d{2})\2(\d{2})(?!\d)")
# A file named by a date with its year last: "05-15-2025.md", "15.05.2025-notes.md".
_NAME_YEAR_LAST = re.compile(r"^(\d{1,2})([-_.])(\d{1,2})\2(20\d{2})(?:[-_.\s]|$)")

MONTHS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
# A month name, full or abbreviated ("Jan", "Sept", "January"), for patterns.
MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL = r"(?:st|nd|rd|th)?"

_I = re.IGNORECASE
_YMD = re.compile(r"^(\d{4})\s*([-/.])\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\.?$")
_SHORT_YMD = re.compile(r"^(\d{2})\s*([-/.])\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\.?$")
_DMY = re.compile(r"^(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*[-/.]\s*(\d{4})\.?$")
_MD = re.compile(r"^(\d{1,2})\s*[/.]\s*(\d{1,2})\.?$")
_KOREAN = re.compile(r"^(?:(\d{2}|\d{4})\s*년\s*)?(\d{1,2})\s*월\s*(\d{1,2})\s*일$")
_MONTH_FIRST = re.compile(
    rf"^({MONTH_NAME})\.?\s*,?\s*(\d{{1,2}}){_ORDINAL}(?:\s*,?\s*(\d{{4}}))?$", _I
)
_DAY_FIRST = re.compile(
    rf"^(\d{{1,2}}){_ORDINAL}\s*(?:of\s+)?({MONTH_NAME})\.?(?:\s*,?\s*(\d{{4}}))?$", _I
)

# Weekdays next to a date: "(월)", "(월요일)", "월요일", "Mon", "Tuesday". A bare
# Korean weekday only counts inside brackets or with 요일 ("1월" is a month); an
# English one must be capitalised ("Sun", not the word "sun").
WEEKDAY = (
    r"(?:[월화수목금토일]요일|\(\s*[월화수목금토일]\s*\)"
    r"|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?)"
)
_WEEKDAY = re.compile(
    r"(?P<ko>[월화수목금토일])요일|\(\s*(?P<kop>[월화수목금토일])(?:요일)?\s*\)"
    r"|(?<![A-Za-z])(?P<en>(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*|(?:MON|TUE|WED|THU|FRI|SAT|SUN)[A-Z]*)"
    r"(?![A-Za-z])"
)
_KOREAN_WEEKDAYS = "월화수목금토일"
_ENGLISH_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ENGLISH_SPELLINGS = frozenset(
    (
        "mon",
        "monday",
        "tue",
        "tues",
        "tuesday",
        "wed",
        "weds",
        "wednesday",
        "thu",
        "thur",
        "thurs",
        "thursday",
        "fri",
        "friday",
        "sat",
        "saturday",
        "sun",
        "sunday",
    )
)

# Dashes, slashes and dots that look like ASCII ones in dates ("2026‑02‑13" with
# non-breaking hyphens, "２０２３／０１／０９" typed full width): read as the ASCII marks, one
# character for one, so positions in the text stay where they were.
_MARKS = str.maketrans(
    {
        **dict.fromkeys("\u2010\u2011\u2012\u2212\ufe63\uff0d", "-"),
        "\uff0f": "/",
        "\uff0e": ".",
        "\uff1a": ":",
        **{chr(0xFF10 + n): str(n) for n in range(10)},
    }
)


def plain_marks(text: str) -> str:
    """``text`` with look-alike dashes, slashes, dots and digits as ASCII (same length)."""
    return text.translate(_MARKS)


DateResult = tuple[dt.date | None, str | None]
Parts = tuple[int | None, int, int]  # (year or None, month, day)


def _make(year: int, month: int, day: int, written: str) -> DateResult:
    try:
        return dt.date(year, month, day), None
    except ValueError:
        return None, f"impossible date {written.strip()!s}"


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def parts(text: str) -> Parts | None:
    """The year (None when not written), month and day of a date in any form read;
    None when ``text`` is not one of them. Numbers are not range-checked here."""
    text = plain_marks(text).strip()
    found = _YMD.match(text)
    if found:
        return int(found[1]), int(found[3]), int(found[4])
    found = _SHORT_YMD.match(text)
    if found:
        a, sep, b, c = int(found[1]), found[2], int(found[3]), int(found[4])
        if sep == "/" and a <= 12 < c:
            return 2000 + c, a, b  # 01/09/23, American
        return 2000 + a, b, c  # 23.01.09, Korean YY.MM.DD
    found = _DMY.match(text)
    if found:
        a, sep, b, year = int(found[1]), found[2], int(found[3]), int(found[4])
        if b > 12 >= a:
            return year, a, b  # 05-15-2025: only the month can come first
        if a > 12 >= b:
            return year, b, a  # 15/05/2025: only the day can come first
        if sep == "/":
            return year, a, b  # 1/9/2023, American
        return year, b, a  # 09.01.2023, European
    found = _MD.match(text)
    if found:
        return None, int(found[1]), int(found[2])
    found = _KOREAN.match(text)
    if found:
        return _year(found[1]), int(found[2]), int(found[3])
    found = _MONTH_FIRST.match(text)
    if found:
        return _year(found[3]), MONTHS[found[1][:3].lower()], int(found[2])
    found = _DAY_FIRST.match(text)
    if found:
        return _year(found[3]), MONTHS[found[2][:3].lower()], int(found[1])
    return _library(text)


# What the library is asked about: only the words and marks dates are written with, and
# enough of them to name a day (a month name, or three numbers), never prose or a
# section number ("1.2"), which it would read as a date too.
_WORD = r"[A-Za-z]+"
_DATE_WORDS = re.compile(
    rf"^(?:{MONTH_NAME}|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|of|at|am|pm|a\.?m|p\.?m|st|nd|rd|th|t)$",
    re.IGNORECASE,
)
_PIECES = re.compile(rf"\d+|{_WORD}|[\s,./:'-]+|.", re.IGNORECASE)
_HAS_MONTH = re.compile(rf"(?<![A-Za-z]){MONTH_NAME}(?![a-z])", re.IGNORECASE)


# Two dates or days joined: a range ("January 19-25", "2023-01-09 - 2023-01-13"), no date.
_TWO = re.compile(
    r"[~～→]|\bto\b|(?<!\d)\d{1,2}\s*[-–—]\s*\d{1,2}(?![\d/.:-])"
    r"|(?<!\d)\d{4}(?!\d).*(?<!\d)\d{4}(?!\d)",
    re.IGNORECASE,
)


def _library_input(text: str) -> bool:
    if _TWO.search(text):
        return False
    numbers = 0
    for piece in _PIECES.findall(text):
        if piece.isdigit():
            numbers += 1
        elif piece[0].isalpha():
            if not _DATE_WORDS.match(piece):
                return False
        elif not piece.isspace() and piece not in ",./:'-" and not set(piece) <= set(",./:'- "):
            return False
    return numbers >= 3 or (numbers >= 1 and bool(_HAS_MONTH.search(text)))


@functools.lru_cache(maxsize=4096)
def _library(text: str) -> Parts | None:
    """A date the hand-written forms do not read, read by python-dateutil: asked twice with
    different defaults, so a year, month or day it filled in is known not to be written."""
    if not text or not _library_input(text):
        return None
    from dateutil import parser  # only logs with such dates pay for the import

    try:
        first = parser.parse(text, default=dt.datetime(4, 1, 1))
        second = parser.parse(text, default=dt.datetime(8, 2, 2))
    except (ValueError, OverflowError):  # ParserError is a ValueError
        return None
    if (first.month, first.day) != (second.month, second.day):
        return None  # "June 2023": no day written
    year = first.year if first.year == second.year else None
    return year, first.month, first.day


# The start of a heading that is a date however it is spelled: numbers, month and weekday
# names, ordinals and the marks between them ("15MAY2020", "Thursday 8th of June").
_LEADING = re.compile(
    rf"^(?:\d{{2,4}}\s*년|\d{{1,2}}\s*월|\d{{1,2}}\s*일(?!\s*[차째])|\d+(?:st|nd|rd|th)?|{MONTH_NAME}\.?|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
    rf"|of|at|[ap]\.?m\.?|'\d\d|[\s,./:-])+",
    re.IGNORECASE,
)


def leading(text: str) -> tuple[str, Parts] | None:
    """The date a text starts with, in any spelling read (``parts``), and how it was
    written; None when the text does not start with a date."""
    found = _LEADING.match(text)
    if found is None:
        return None
    run = found.group(0)
    # Longest first: "Jan 22, 2018 - 3:40" is Jan 22, 2018 when the time is not a date.
    cuts = sorted({m.end() for m in re.finditer(r"[\w.']+", run)}, reverse=True)
    for cut in cuts:
        written = run[:cut].strip(" ,-/:")
        read = parts(written) if written else None
        if read is not None and _makes_a_day(read):
            return written, read
    return None


def _makes_a_day(read: Parts) -> bool:
    try:
        dt.date(read[0] or 2000, read[1], read[2])
    except ValueError:
        return False
    return True


def from_value(value: object) -> DateResult:
    """A front matter ``date``: a date, a datetime or a string in one of the usual forms."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str):
        found = _FULL.match(plain_marks(value))
        if found:
            year, month, day = (int(g) for g in found.groups())
            return _make(year, month, day, value)
        written = parts(value)
        if written is not None and written[0] is not None:
            return _make(written[0], written[1], written[2], value)
    return None, f"date {value!r} is not a date"


def from_filename(stem: str) -> DateResult:
    """The date of a Jekyll-style file name ``YYYY-MM-DD-title`` (an impossible one is an
    error), else a date written elsewhere in the name (``20230306``); (None, None) if none."""
    found = _JEKYLL_NAME.match(stem)
    if found:
        year, month, day = (int(g) for g in found.groups())
        return _make(year, month, day, "-".join(found.groups()))
    for found in _NAME_DATE.finditer(stem):
        date, _ = _make(int(found[1]), int(found[3]), int(found[4]), found[0])
        if date is not None:
            return date, None  # eight digits that are no date are just a number
    found = _NAME_YEAR_LAST.match(stem)
    if found:
        written = parts(f"{found[1]}-{found[3]}-{found[4]}")
        if written is not None and written[0] is not None:
            date, _ = _make(written[0], written[1], written[2], found[0])
            return date, None
    return None, None


def without_dates(stem: str) -> str:
    """A file name with the dates in it removed, so "week-2023-03-19" names no week 2023."""
    return _NAME_DATE.sub(" ", _NAME_YEAR_LAST.sub(" ", _JEKYLL_NAME.sub("", stem)))


def parse_loose(text: str, year: int | None) -> tuple[dt.date | None, str | None, bool]:
    """A date next to a day heading; returns ``(date, error, needs_year)``.

    ``needs_year`` is True when the text has no year and ``year`` is None.
    """
    text = plain_marks(text)
    found = _FULL.match(text)
    if found:
        y, month, day = (int(g) for g in found.groups())
        date, error = _make(y, month, day, text)
        return date, error, False
    written = parts(text)
    if written is None:
        return None, f"{text.strip()!r} is not a date", False
    written_year, month, day = written
    if written_year is not None:
        date, error = _make(written_year, month, day, text)
        return date, error, False
    if year is None:
        return None, None, True
    date, error = _make(year, month, day, f"{year}/{text.strip()}")
    return date, error, False


def could_be(text: str) -> bool:
    """Whether a date written without its year is a day of some year ("13.45" or "2/30"
    are not: a duration, a score, a version)."""
    written = parts(text)
    if written is None:
        return False
    try:
        dt.date(2000, written[1], written[2])  # a leap year: 2/29 could be
    except ValueError:
        return False
    return True


def has_year(text: str) -> bool:
    """Whether a date as written names its year."""
    if _FULL.match(text):
        return True
    written = parts(text)
    return written is not None and written[0] is not None


def weekday_in(text: str) -> tuple[int, str] | None:
    """The first weekday written in ``text`` (0 = Monday) and how it was written."""
    for found in _WEEKDAY.finditer(text):
        korean = found["ko"] or found["kop"]
        if korean:
            return _KOREAN_WEEKDAYS.index(korean), found[0].strip()
        if found["en"].lower() in _ENGLISH_SPELLINGS:
            return _ENGLISH_WEEKDAYS.index(found["en"][:3].lower()), found[0]
    return None


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def near(month: int, day: int, year: int, previous: dt.date) -> dt.date | None:
    """The date ``month/day`` closest to ``previous`` among ``year`` and the years beside it,
    so days running over New Year ("12/31", "1/2") keep their order."""
    best: dt.date | None = None
    for candidate_year in (year - 1, year, year + 1):
        try:
            candidate = dt.date(candidate_year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - previous).days) < abs((best - previous).days):
            best = candidate
    return best


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
