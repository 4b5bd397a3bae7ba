"""Study days by date, and the streaks they make: what the dashboard's calendar shows.

A *study day* is a date with at least one day entry (a one-day log, or a day of a file of
days), the days :func:`studylog.stats.study_days` counts; weekly logs and retrospectives
mark none. A *streak* is a run of consecutive study days. The *current* streak is the
run that reaches today or yesterday (a day not yet written up does not break it); when
the last study day is older, there is none (0). "Today" is the build's date, which a
build takes from ``SOURCE_DATE_EPOCH`` when set, as reproducible builds do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from studylog.stats import Entry

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class StudyDay:
    """A date with study: its day entries and the questions they asked."""

    date: dt.date
    entries: tuple[Entry, ...]  # in file order

    @property
    def logs(self) -> int:
        """How many day entries were written that date."""
        return len(self.entries)

    @property
    def questions(self) -> int:
        """The questions asked that date (entries without a record count none)."""
        return sum(e.questions or 0 for e in self.entries)


def study_days(items: Iterable[Entry]) -> list[StudyDay]:
    """The dated study days of ``items``, in date order."""
    by_date: dict[dt.date, list[Entry]] = {}
    for entry in items:
        if entry.kind == "day" and entry.date is not None:
            by_date.setdefault(entry.date, []).append(entry)
    return [StudyDay(date, tuple(by_date[date])) for date in sorted(by_date)]


@dataclass(frozen=True)
class Streaks:
    """The current and the longest run of consecutive study days."""

    current: int  # 0 when the last study day is before yesterday
    longest: int
    longest_end: dt.date | None  # the last day of the longest run (the latest of equals)
    last: dt.date | None  # the last study day


def runs(dates: Sequence[dt.date]) -> list[tuple[dt.date, int]]:
    """Each run of consecutive ``dates`` (sorted, distinct): its last date and length."""
    found: list[tuple[dt.date, int]] = []
    for date in dates:
        if found and found[-1][0] + ONE_DAY == date:
            found[-1] = (date, found[-1][1] + 1)
        else:
            found.append((date, 1))
    return found


def streaks(dates: Iterable[dt.date], today: dt.date) -> Streaks:
    """The streaks of the study ``dates`` as of ``today`` (see the module's docstring)."""
    ordered = sorted(set(dates))
    found = runs(ordered)
    if not found:
        return Streaks(0, 0, None, None)
    end, longest = max(found, key=lambda run: (run[1], run[0]))
    last, length = found[-1]
    current = length if today - ONE_DAY <= last <= today else 0
    return Streaks(current, longest, end, last)
