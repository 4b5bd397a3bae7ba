"""The year of dates written without one, from the strongest evidence the log holds.

A date such as ``Monday, January 19`` or ``Day 11 (11/20)`` needs a year. The log
usually says it somewhere, and the first of these that does decides:

1. front matter ``year``, then the year of its ``date``;
2. the file name: a full date (``2023-01-09-til.md``, ``20230109.md``), a year in it
   (``til-2026-week3.md``) or a folder named for the year (``2023/``, ``2023-01/``);
3. the title: a full date in it, or a year written alone
   (``# Week 3: January 19-25, 2026``, ``2023년 회고``);
4. a date line with its year (``Date: 2023-03-07``) before the first day;
5. a neighbouring entry of the same file written with its year (``Day 1: 2018/07/08``
   above ``Day 2 (7/9)``), the nearest one;
6. the weekdays written beside the dates (``Monday, January 19``): the year nearest to
   the fallback in which every one of them falls on its weekday;
7. only then the ``default_year`` option.

Days running over New Year (``12/30``, then ``1/2``) keep their order: each takes the
year that puts it nearest to the entry before it. When the weekdays fit another year
than the one a stronger source gave, one warning says so and names the source used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from studylog.parse import dates

# A year written alone or as a date's: 1990-2039, not part of a longer number, a word or a
# version ("ResNet2015", "v2.2023", "RTX 2080" are no years).
_YEAR = re.compile(r"(?<![A-Za-z\d.])(?P<year>199\d|20[0-3]\d)(?!\d)")
# A folder named for a year, or a year and month ("2023", "2023-01", "2023_03").
_YEAR_FOLDER = re.compile(r"^(?P<year>(?:19[89]|20\d)\d)(?:[-_.]\d{1,2})?$")
# How far from the fallback year the weekdays may put a date (a log is a few years old at most).
WEEKDAY_YEARS = 10


@dataclass(frozen=True)
class Year:
    """A year for dates written without one, and what gave it."""

    value: int | None
    source: str  # "front matter `year`", "the title", ... "default_year"; "" when none
    line: int = 1  # where the source is written
    anchor: dt.date | None = None  # the full date that gave it, when one did

    @property
    def written(self) -> bool:
        """Given by the log itself (not by the ``default_year`` option, not missing)."""
        return self.value is not None and self.source != DEFAULT


DEFAULT = "default_year"
NONE = Year(None, "")


def year_alone(text: str) -> int | None:
    """A year written alone in ``text`` (a title, a file name): 1990-2099."""
    found = _YEAR.search(text)
    return int(found["year"]) if found else None


def from_path(path: str | PurePosixPath) -> Year | None:
    """A year from the file name (a full date in it, else a year alone) or its folder."""
    name = PurePosixPath(path)
    date, _ = dates.from_filename(name.stem)
    if date is not None:
        return Year(date.year, "the file name", 1, date)
    alone = year_alone(name.stem.replace("_", " "))
    if alone is not None:
        return Year(alone, "the file name")
    folder = _YEAR_FOLDER.match(name.parent.name)
    if folder:
        return Year(int(folder["year"]), "the folder name")
    return None


def from_title(title: str | None, line: int) -> Year | None:
    """A year written in the title, alone or as a date's (``Week 3: January 19-25, 2026``)."""
    if not title:
        return None
    alone = year_alone(title)
    return Year(alone, "the title", line) if alone is not None else None


def weekday_fit(
    checked: Sequence[tuple[int, int, int]], around: int, span: int = WEEKDAY_YEARS
) -> int | None:
    """The year nearest to ``around`` in which every ``(month, day, weekday)`` falls on its
    weekday; None when none within ``span`` years does, or ``around`` itself does."""
    if not checked or _fits_all(checked, around):
        return None
    for shift in sorted((k for k in range(-span, span + 1) if k), key=lambda k: (abs(k), -k)):
        if _fits_all(checked, around + shift):
            return around + shift
    return None


def _fits_all(checked: Sequence[tuple[int, int, int]], year: int) -> bool:
    for month, day, weekday in checked:
        try:
            if dt.date(year, month, day).weekday() != weekday:
                return False
        except ValueError:  # 2/29 in a common year
            return False
    return True


def nearest_dated(index: int, full: Sequence[dt.date | None]) -> dt.date | None:
    """The date of the entry nearest to ``index`` that was written with its year."""
    best: tuple[int, dt.date] | None = None
    for other, date in enumerate(full):
        if date is not None and (best is None or abs(other - index) < best[0]):
            best = (abs(other - index), date)
    return best[1] if best else None
