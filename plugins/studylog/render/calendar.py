"""The study calendar on the dashboard: a year of days, the study days shaded, and streaks.

Plain HTML and CSS, drawn at build time (nothing to run in the browser): each month is
a small grid of its days (a column per week, Monday on top) and the months wrap to the
width there is, four to a row on a phone. A study day is a link to its (first) day entry
with its date, logs and questions in its tooltip, shaded in four steps by how much was
written that day (day entries plus questions, against the busiest day); colours come
from Material's palette variables, so dark mode shades it too. The latest year with
study days is open; earlier years are folded under it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from studylog.render.site_pages import LogIndex
from studylog.render.text import esc
from studylog.streaks import StudyDay, streaks, study_days
from studylog.words import MONTHS, Words

LEVELS = 4


def _count(words: Words, n: int, one: str, many: str) -> str:
    return words(one if n == 1 else many, n=n)


def level(score: int, busiest: int) -> int:
    """How dark a study day is drawn: 1 (a little) to 4 (the busiest days)."""
    if busiest <= 0:
        return 1
    return max(1, min(LEVELS, math.ceil(LEVELS * score / busiest)))


def _score(day: StudyDay) -> int:
    return day.logs + day.questions


def _cell(site: LogIndex, uri: str, day: StudyDay, busiest: int, start: str) -> str:
    w = site.words
    said = w(
        "{date}: {logs}, {questions}",
        date=day.date.isoformat(),
        logs=_count(w, day.logs, "{n} log", "{n} logs"),
        questions=_count(w, day.questions, "{n} question", "{n} questions"),
    )
    entry = day.entries[0]
    page = site.pages.get(entry.path)
    cls = f"studylog-cal-day{start} studylog-cal-l{level(_score(day), busiest)}"
    if page is None:
        return f'<span class="{cls}" title="{esc(said)}"></span>'
    href = esc(site.linker.href(uri, page, entry.anchor))
    return f'<a class="{cls}" href="{href}" title="{esc(said)}" aria-label="{esc(said)}"></a>'


def _month(
    site: LogIndex, uri: str, year: int, month: int, days: dict[dt.date, StudyDay], busiest: int
) -> str:
    first = dt.date(year, month, 1)
    cells = []
    date = first
    while date.month == month:
        # The first day sits in its weekday's row; the rest follow, a column per week.
        start = f" studylog-cal-from{date.isoweekday()}" if date == first else ""
        day = days.get(date)
        if day is None:
            cells.append(f'<span class="studylog-cal-day{start}"></span>')
        else:
            cells.append(_cell(site, uri, day, busiest, start))
        date += dt.timedelta(days=1)
    name = site.words(MONTHS[month - 1])
    return (
        f'<div class="studylog-cal-month"><span class="studylog-cal-name">{esc(name)}</span>'
        f'<div class="studylog-cal-grid">{"".join(cells)}</div></div>'
    )


def _year(site: LogIndex, uri: str, year: int, days: dict[dt.date, StudyDay], busiest: int) -> str:
    months = "".join(_month(site, uri, year, m, days, busiest) for m in range(1, 13))
    return f'<div class="studylog-cal-months" data-year="{year}">{months}</div>'


def _legend(words: Words) -> str:
    steps = "".join(
        f'<span class="studylog-cal-day studylog-cal-l{n}"></span>' for n in range(0, LEVELS + 1)
    )
    return f'<p class="studylog-cal-legend">{esc(words("Less"))} {steps} {esc(words("More"))}</p>'


def calendar(site: LogIndex, uri: str, today: dt.date) -> str:
    """The calendar and the streaks ("" when no day is dated)."""
    w = site.words
    found: Sequence[StudyDay] = study_days(site.stats.entries)
    if not found:
        return ""
    days = {d.date: d for d in found}
    busiest = max(_score(d) for d in found)
    streak = streaks(days, today)
    facts = [
        (w("Current streak"), _count(w, streak.current, "{n} day", "{n} days")),
        (w("Longest streak"), _count(w, streak.longest, "{n} day", "{n} days")),
        (w("Study days"), str(len(found))),
    ]
    rows = " ".join(
        f'<div><dt>{esc(k)}</dt> <dd data-streak="{i}">{esc(v)}</dd></div>'
        for i, (k, v) in enumerate(facts)
    )
    years = sorted({d.year for d in days}, reverse=True)
    latest = years[0]
    parts = [
        f'<div class="studylog-cards studylog-streaks"><dl>{rows}</dl></div>',
        f'<p class="studylog-cal-year">{latest}</p>',
        _year(site, uri, latest, days, busiest),
    ]
    for year in years[1:]:
        count = sum(1 for d in days if d.year == year)
        label = f"{year} · {_count(w, count, '{n} day', '{n} days')}"
        parts.append(
            f'<details class="studylog-cal-earlier"><summary>{esc(label)}</summary>'
            f"{_year(site, uri, year, days, busiest)}</details>"
        )
    parts.append(_legend(w))
    as_of = w("As of {date}.", date=today.isoformat())
    parts.append(f'<p class="studylog-cal-asof">{esc(as_of)}</p>')
    return f'<div class="studylog-calendar">{"".join(parts)}</div>'
