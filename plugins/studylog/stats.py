"""Aggregations over parsed logs: entries, weeks, the keyword index, Q/A counts.

A multi-day file contributes one *entry* per day (with the day's anchor), so
every index treats a day inside a weekly file exactly like a one-day log. The
functions here are pure: logs in, frozen summaries out; rendering them is
``studylog.render``'s job.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from studylog import korean
from studylog.emoji import emojize
from studylog.model import Log
from studylog.words import ENGLISH, Words

EntryKind = Literal["day", "weekly"]


@dataclass(frozen=True, order=True)
class WeekKey:
    """A course week (``Week 3``) or, for logs that name none, an ISO week."""

    iso: bool  # course weeks sort before ISO weeks
    year: int  # 0 for course weeks
    number: int

    @classmethod
    def course(cls, number: int) -> WeekKey:
        """A course week by its number."""
        return cls(iso=False, year=0, number=number)

    @classmethod
    def from_date(cls, date: dt.date) -> WeekKey:
        """The ISO week of ``date``."""
        year, week, _ = date.isocalendar()
        return cls(iso=True, year=year, number=week)

    @property
    def label(self) -> str:
        """How the week is named on pages (``Week 3``, ``2024-W10``)."""
        return f"{self.year}-W{self.number:02d}" if self.iso else f"Week {self.number}"

    def named(self, words: Words = ENGLISH) -> str:
        """The label in the site's language: ``Week 3`` / ``3주차``; an ISO week as is."""
        return self.label if self.iso else words("Week {n}", n=self.number)

    @property
    def slug(self) -> str:
        """The week's part of its page's path."""
        return f"{self.year}-w{self.number:02d}" if self.iso else f"week-{self.number:02d}"


@dataclass(frozen=True)
class Entry:
    """One day of study (a one-day log, or a day of a multi-day file), or a weekly log."""

    path: str  # the log file
    line: int
    anchor: str | None  # the day's anchor on its file's page; None for a whole log
    title: str
    kind: EntryKind
    date: dt.date | None
    week: WeekKey | None
    day: int | None
    keywords: tuple[str, ...]
    questions: int | None
    answers: int | None
    tasks_done: int = 0
    tasks_open: int = 0

    @property
    def sort_key(self) -> tuple[dt.date, str, int]:
        """Date order, undated last."""
        return (self.date or dt.date.max, self.path, self.line)


def _week(week: int | None, date: dt.date | None) -> WeekKey | None:
    if week is not None:
        return WeekKey.course(week)
    if date is not None:
        return WeekKey.from_date(date)
    return None


def days_label(log: Log, words: Words = ENGLISH) -> str | None:
    """What a multi-day file holds: ``Days 6–7 · 2024-03-11 ~ 2024-03-12``; None for one day."""
    if not log.days:
        return None
    numbers = sorted({d.day for d in log.days if d.day is not None})
    dates = sorted({d.date for d in log.days if d.date})
    parts = []
    if numbers:
        first, last = numbers[0], numbers[-1]
        parts.append(
            words("Day {n}", n=first)
            if first == last
            else words("Days {first}–{last}", first=first, last=last)
        )
    if dates:
        first_date, last_date = dates[0].isoformat(), dates[-1].isoformat()
        parts.append(first_date if first_date == last_date else f"{first_date} ~ {last_date}")
    return " · ".join(parts) or None


def is_retrospective(log: Log) -> bool:
    """A weekly log that is not a file of days: a week's summary or retrospective."""
    return log.kind == "weekly" and not log.days


def log_title(log: Log, words: Words = ENGLISH) -> str:
    """The title a log is shown under: its own (emoji shortcodes shown as emoji), else the
    span of its days, else its date, else its file name."""
    if log.title:
        return emojize(log.title)
    span = days_label(log, words)
    if span:
        return span
    if log.date:
        return words("{date} study log", date=log.date.isoformat())
    name = log.path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]


# What is left of a title that only names its week and dates (``Week 1 (3/4 ~ 3/8)``,
# ``2주차``) once these are taken out: nothing.
_WEEK_AND_DATES = re.compile(r"(?i)\bweek\b|\bweeks\b|주차|\d+|[\W_]")


def nav_title(log: Log, words: Words = ENGLISH) -> str:
    """A log's label in its week's navigation, where the week is already named: a file of
    days by its title when that says more than the week (``2주차 회고``), else by its days'
    span (``Week 1 (3/4 ~ 3/8)`` would repeat the week); a retrospective marked as one."""
    span = days_label(log, words)
    if span and not (log.title and _WEEK_AND_DATES.sub("", log.title)):
        return span
    if is_retrospective(log):
        return words("Retrospective: {title}", title=log_title(log, words))
    return log_title(log, words)


def study_days(items: Iterable[Entry]) -> int:
    """How many days of study ``items`` hold: their distinct dates (a day and an assignment
    handed in on it are one day), each undated day entry counted on its own."""
    dated: set[dt.date] = set()
    undated = 0
    for entry in items:
        if entry.kind != "day":
            continue
        if entry.date is None:
            undated += 1
        else:
            dated.add(entry.date)
    return len(dated) + undated


def log_week(log: Log) -> WeekKey | None:
    """The week a log file is filed under in navigation (its own, else its first day's)."""
    if log.week is not None:
        return WeekKey.course(log.week)
    for day in log.days:
        key = _week(day.week, day.date)
        if key:
            return key
    return _week(None, log.date)


def entries(logs: Iterable[Log]) -> list[Entry]:
    """Every day entry and weekly log, in date order (undated last)."""
    out: list[Entry] = []
    for log in logs:
        if log.days:
            for day in log.days:
                out.append(
                    Entry(
                        path=log.path,
                        line=day.line,
                        anchor=day.anchor,
                        title=day.title,
                        kind="day",
                        date=day.date,
                        week=_week(day.week if day.week is not None else log.week, day.date),
                        day=day.day,
                        keywords=day.keywords,
                        questions=day.questions,
                        answers=day.answers,
                        tasks_done=day.tasks_done,
                        tasks_open=day.tasks_open,
                    )
                )
            continue
        out.append(
            Entry(
                path=log.path,
                line=1,
                anchor=None,
                title=log_title(log),
                kind="weekly" if log.kind == "weekly" else "day",
                date=log.date,
                week=_week(log.week, log.date),
                day=log.day,
                keywords=log.keywords,
                questions=log.questions,
                answers=log.answers,
                tasks_done=log.tasks_done,
                tasks_open=log.tasks_open,
            )
        )
    out.sort(key=lambda e: e.sort_key)
    return out


# -- keywords -------------------------------------------------------------------------------


def sort_key(text: str) -> tuple[int, str]:
    """Latin (and digits) first, case-insensitively; then Hangul in 가나다 order; then the rest.

    Precomposed Hangul syllables are encoded in dictionary order, so after NFC
    normalisation plain code-point order is 가나다 order.
    """
    norm = unicodedata.normalize("NFC", text).strip()
    first = next((c for c in norm if c.isalnum()), "")
    if first and first.isascii():
        group = 0
    elif first and korean.is_hangul(first):
        group = 1
    else:
        group = 2
    return (group, norm.casefold())


def initial(text: str) -> str:
    """The index letter of a keyword: ``A``-``Z``, a Hangul initial consonant, or ``#``."""
    norm = unicodedata.normalize("NFC", text).strip()
    first = next((c for c in norm if c.isalnum()), "")
    if not first:
        return "#"
    if first.isascii():
        return first.upper() if first.isalpha() else "0-9"
    if korean.is_syllable(first):
        return korean.initial_consonant(first)
    return first.upper()


def slug(text: str) -> str:
    """A stable anchor for a keyword: lower-case words joined by ``-``, Hangul kept."""
    norm = unicodedata.normalize("NFC", text).casefold()
    words = re.findall(r"\w+", norm)
    return "kw-" + ("-".join(words) or "x")


@dataclass(frozen=True)
class KeywordEntry:
    """A keyword of the index: its name, anchor, and the entries naming it."""

    name: str  # the first spelling seen (or the alias target)
    slug: str
    refs: tuple[Entry, ...]  # every entry naming it, in date order, each once

    @property
    def count(self) -> int:
        """How many entries name the keyword."""
        return len(self.refs)


def normalise_aliases(aliases: Mapping[str, str]) -> dict[str, str]:
    """``keyword_aliases`` with case-folded keys, blank ones left out."""
    return {k.strip().casefold(): v.strip() for k, v in aliases.items() if k.strip() and v.strip()}


def canonical(keyword: str, aliases: Mapping[str, str]) -> str:
    """The keyword after ``keyword_aliases`` (keys already case-folded)."""
    return aliases.get(keyword.strip().casefold(), keyword.strip())


def keyword_index(
    items: Sequence[Entry], aliases: Mapping[str, str] | None = None
) -> list[KeywordEntry]:
    """Keywords merged case-insensitively and through aliases, sorted Latin then Hangul."""
    folded = normalise_aliases(aliases or {})
    names: dict[str, str] = {}
    refs: dict[str, list[Entry]] = {}
    for entry in items:
        named: set[str] = set()  # an entry counts once per keyword, however often it names it
        for raw in entry.keywords:
            name = canonical(raw, folded)
            if not name:
                continue
            key = unicodedata.normalize("NFC", name).casefold()
            names.setdefault(key, name)
            if key not in named:
                named.add(key)
                refs.setdefault(key, []).append(entry)
    out = [KeywordEntry(names[k], slug(names[k]), tuple(refs[k])) for k in names]
    out.sort(key=lambda k: sort_key(k.name))
    return out


# -- weeks and Q/A --------------------------------------------------------------------------


def total(values: Iterable[int | None]) -> int | None:
    """The sum of the counts that have a record; None when none has."""
    present = [v for v in values if v is not None]
    return sum(present) if present else None


@dataclass(frozen=True)
class WeekSummary:
    """A week: its days, the weekly logs filed under it, its keywords."""

    key: WeekKey
    days: tuple[Entry, ...]  # day entries in date order
    weekly_logs: tuple[str, ...]  # paths of authored weekly logs (multi-day files included)
    keywords: tuple[str, ...]  # union over the days and weekly logs, first spelling kept
    retrospectives: tuple[str, ...] = ()  # weekly logs that are not files of days

    @property
    def questions(self) -> int | None:
        """The week's questions (None when no day has a record)."""
        return total(e.questions for e in self.days)

    @property
    def answers(self) -> int | None:
        """The week's answers (None when no day has a record)."""
        return total(e.answers for e in self.days)

    @property
    def first_date(self) -> dt.date | None:
        """The week's first dated day."""
        return min((e.date for e in self.days if e.date), default=None)

    @property
    def last_date(self) -> dt.date | None:
        """The week's last dated day."""
        return max((e.date for e in self.days if e.date), default=None)


def weeks(
    logs: Sequence[Log], items: Sequence[Entry], aliases: Mapping[str, str] | None = None
) -> list[WeekSummary]:
    """Week roll-ups: their days, the weekly logs filed under them, their keywords."""
    folded = normalise_aliases(aliases or {})
    days: dict[WeekKey, list[Entry]] = {}
    kws: dict[WeekKey, dict[str, str]] = {}
    for entry in items:
        if entry.week is None:
            continue
        if entry.kind == "day":
            days.setdefault(entry.week, []).append(entry)
        bucket = kws.setdefault(entry.week, {})
        for raw in entry.keywords:
            name = canonical(raw, folded)
            bucket.setdefault(name.casefold(), name)
    weekly: dict[WeekKey, list[str]] = {}
    retros: dict[WeekKey, list[str]] = {}
    for log in logs:
        key = log_week(log)
        if key is not None and (log.kind == "weekly" or log.days):
            weekly.setdefault(key, []).append(log.path)
            kws.setdefault(key, {})
            if is_retrospective(log):
                retros.setdefault(key, []).append(log.path)
    keys = sorted(set(days) | set(weekly))
    return [
        WeekSummary(
            key=key,
            days=tuple(days.get(key, ())),
            weekly_logs=tuple(sorted(weekly.get(key, ()))),
            retrospectives=tuple(sorted(retros.get(key, ()))),
            keywords=tuple(kws.get(key, {}).values()),
        )
        for key in keys
    ]


@dataclass(frozen=True)
class QATotals:
    """Question and answer totals over every day entry."""

    questions: int
    answers: int
    days_recorded: int  # days (study_days) with a question or answer record
    days: int  # all days (study_days)


def qa_totals(items: Sequence[Entry]) -> QATotals:
    """The question and answer totals of ``items``."""
    days = [e for e in items if e.kind == "day"]
    recorded = [e for e in days if e.questions is not None or e.answers is not None]
    return QATotals(
        questions=sum(e.questions or 0 for e in days),
        answers=sum(e.answers or 0 for e in days),
        days_recorded=study_days(recorded),
        days=study_days(days),
    )


def qa_series(items: Sequence[Entry]) -> list[tuple[dt.date, int, int]]:
    """Q/A per date with a record, in date order (for the chart): the day entries that
    share a date (two files of one day) summed, so no date is listed twice."""
    per_date: dict[dt.date, tuple[int, int]] = {}
    for e in items:
        if e.kind == "day" and e.date and (e.questions is not None or e.answers is not None):
            q, a = per_date.get(e.date, (0, 0))
            per_date[e.date] = (q + (e.questions or 0), a + (e.answers or 0))
    return [(date, *per_date[date]) for date in sorted(per_date)]


@dataclass(frozen=True)
class SiteStats:
    """Everything the generated pages need, computed once per build."""

    entries: tuple[Entry, ...]
    weeks: tuple[WeekSummary, ...]
    keywords: tuple[KeywordEntry, ...]
    qa: QATotals


def site_stats(logs: Sequence[Log], aliases: Mapping[str, str] | None = None) -> SiteStats:
    """Every statistic of ``logs`` the generated pages show, at once."""
    items = entries(logs)
    return SiteStats(
        entries=tuple(items),
        weeks=tuple(weeks(logs, items, aliases)),
        keywords=tuple(keyword_index(items, aliases)),
        qa=qa_totals(items),
    )
