"""One resolver per field of a log: each returns ``(value, problems)``.

Each field is taken from the first source that gives a value (DESIGN.md, section 1):
front matter, then the file name, then the title, headings and lines in the body. A
resolver reads the :class:`Document` (what one pass over the file found) and the fields
resolved before it, and never changes either, so each can be read, tested and
extended on its own; :func:`studylog.parse.logs.parse_log` calls them in order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath
from typing import Any, TypeVar

from studylog.model import Day, Kind, Pair, Problem
from studylog.parse import dates, days, facts, years
from studylog.parse.config import ParserConfig
from studylog.parse.frontmatter import FrontMatter
from studylog.parse.outline import Outline
from studylog.parse.patterns import Patterns, Rules, first_int, first_match
from studylog.parse.years import Year

T = TypeVar("T")
Resolved = tuple[T, list[Problem]]

# A log further than this after course_start is not in the course (see ``week``).
COURSE_LENGTH = dt.timedelta(days=365)


@dataclass(frozen=True)
class Document:
    """What one pass over a log found, before any field is decided."""

    path: str
    config: ParserConfig
    rules: Rules
    outline: Outline
    front_matter: FrontMatter
    front_matter_unclosed: bool
    starts: tuple[days.DayStart, ...]  # day headings, in order, one per day
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

    @cached_property
    def file(self) -> PurePosixPath:
        return PurePosixPath(self.path)

    @cached_property
    def name(self) -> str:
        """The file name without its extension and Jekyll date, words split on ``-``/``_``
        ("retrospect_week3" -> "retrospect week3"), for the rules that read titles."""
        stem = dates.without_dates(self.file.stem)
        return stem.replace("_", " ").replace("-", " ").strip()


@dataclass(frozen=True)
class DayDate:
    date: dt.date | None
    year_missing: bool  # the date has no year and none is known


@dataclass(frozen=True)
class Title:
    text: str | None
    line: int  # where it is written (its front matter key or heading); 1 when none
    written: bool = False  # in the front matter, not taken from a heading


def year_sources(doc: Document, log_title: Title) -> list[Year]:
    """Every year the log itself gives for dates written without one, strongest first (see
    :mod:`studylog.parse.years`): front matter ``year``, then ``date``; the file name or its
    folder; the title; a date line before the first day."""
    values = doc.values
    line_of = doc.front_matter.line_of
    found: list[Year] = []
    if values.get("year") is not None:
        found.append(Year(values["year"], "front matter `year`", line_of("year")))
    if isinstance(values.get("date"), dt.date):
        date = values["date"]
        found.append(Year(date.year, "front matter `date`", line_of("date"), date))
    path = years.from_path(doc.file)
    if path is not None:
        found.append(path)
    if log_title.text:
        dated = first_match(doc.rules.title_dates, dates.plain_marks(log_title.text))
        written = dated.group("date").strip() if dated and dated.group("date") else ""
        when = dates.parse_loose(written, None)[0] if dates.has_year(written) else None
        titled = years.from_title(log_title.text, log_title.line)
        if when is not None:
            found.append(Year(when.year, "the title", log_title.line, when))
        elif titled is not None:
            found.append(titled)
    preamble = doc.tallies[0]
    if preamble.date_text is not None and dates.has_year(preamble.date_text):
        when = dates.parse_loose(preamble.date_text, None)[0]
        if when is not None:
            found.append(Year(when.year, "a date line", preamble.date_line, when))
    return found


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
    if log_title.text:
        dated = first_match(doc.rules.title_dates, dates.plain_marks(log_title.text))
        written.append(dated.group("date") if dated and dated.group("date") else None)
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


def _checked(text: str, date_text: str | None) -> tuple[int, int, int] | None:
    """(month, day, weekday) of a yearless date with its weekday written beside it."""
    if not date_text or dates.has_year(date_text):
        return None
    written, weekday = dates.parts(date_text), dates.weekday_in(text)
    if written is None or weekday is None:
        return None
    return written[1], written[2], weekday[0]


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
        return DayDate(None, False), problems  # "Day 3 (3.45)": not a date at all
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


def day_date(
    doc: Document, start: days.DayStart, known: Year, near: dt.date | None = None
) -> Resolved[DayDate]:
    """The date written in a day heading (checked against its weekday)."""
    if not start.date_text:
        return DayDate(None, False), []
    when, problems = written_date(doc, start.line, start.date_text, known, near)
    given = None if dates.has_year(start.date_text) else known
    problems += weekday_problems(doc, start.line, start.title, when.date, given)
    return when, problems


def single_year(doc: Document, known: Year, text: str, date_text: str | None) -> Year:
    """The year of one yearless date: the log's own, else the one its weekday fits, else
    the fallback."""
    if known.value is not None:
        return known
    checked = _checked(text, date_text)
    fitted = weekday_year(doc, [checked]) if checked is not None else None
    return fitted or fallback_year(doc)


def title(doc: Document) -> Resolved[Title]:
    """Front matter, else the first level-1 heading that is not a day heading."""
    if doc.values.get("title") is not None:
        return Title(doc.values["title"], doc.front_matter.line_of("title"), True), []
    day_lines = {s.line for s in doc.starts} if doc.multi else set()
    found = next(
        (
            h
            for h in doc.outline.headings
            if h.level == 1 and h.depth == 0 and not h.quoted and h.text and h.line not in day_lines
        ),
        None,
    )
    return (Title(found.text, found.line) if found else Title(None, 1)), []


def title_date(doc: Document, log_title: Title, known: Year) -> Resolved[DayDate]:
    """A single date in the title ("[TIL] 23.01.09(월)"), or the first day of a range in it
    ("WIL [2023-12-03 ~ 2023-12-09]"). A title without a year leaves it to the days."""
    if not log_title.text:
        return DayDate(None, False), []
    found = first_match(doc.rules.title_dates, dates.plain_marks(log_title.text))
    if found is None or not found.group("date"):
        return DayDate(None, False), []
    text = found.group("date").strip()
    ranged = bool(_group(found, "end"))
    if not dates.has_year(text):
        if known.value is None and doc.starts:
            return DayDate(None, False), []  # its days say that their dates lack a year
        known = single_year(doc, known, "" if ranged else log_title.text, text)
    when, problems = written_date(doc, log_title.line, text, known)
    if when.date is not None and not ranged:
        given = None if dates.has_year(text) else known
        problems += weekday_problems(doc, log_title.line, log_title.text, when.date, given)
    return when, problems


def _group(found: Any, name: str) -> str | None:
    try:
        value: str | None = found.group(name)
    except IndexError:
        return None
    return value


def file_date(doc: Document, log_title: Title) -> Resolved[DayDate]:
    """Front matter, else the file name; for a log that is not a file of days, else what
    its body says (:func:`body_date`), else its single day heading. A file of days takes
    its earliest day's date later, in :func:`log_date`."""
    if doc.values.get("date") is not None:
        return DayDate(doc.values["date"], False), []
    problems = []
    date, error = dates.from_filename(doc.file.stem)
    if error:
        problems.append(
            Problem(
                doc.path,
                1,
                f"file name: {error}",
                "rename the file YYYY-MM-DD-title.md with a real date",
                "warning",
            )
        )
    if date is not None or doc.multi:
        return DayDate(date, False), problems
    known, _ = log_year(doc, log_title)  # its warning is the log's, given once (logs.py)
    found, more = body_date(doc, log_title, known)
    if found.date is not None or found.year_missing:
        return found, problems + more
    if doc.single_day is not None:
        start = doc.single_day
        found, more = day_date(doc, start, single_year(doc, known, start.title, start.date_text))
        return found, problems + more
    return DayDate(None, False), problems


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


Said = tuple[Kind | None, bool]  # what a text says, and whether by more than a word


def kind_of_text(text: str, rules: Rules) -> Said:
    """What a title (or file name) says, in this order: a day (``Day 7``, ``3일차``) ->
    daily; a range of dates, a weekly word (회고, WIL) without a daily one (TIL, 오늘) or
    a week's summary (``4주차 정리``, ``Week 3 review``) -> weekly; a single date -> daily.
    Only by a word: a week alone (``[3주차] Transformer``) -> weekly, a daily word alone ->
    daily; these decide only when nothing about the log's entries does."""
    if first_match(rules.title_days, text):
        return "daily", True
    dated = first_match(rules.title_dates, dates.plain_marks(text))
    if dated is not None and _group(dated, "end"):
        return "weekly", True
    daily_word = first_match(rules.daily_titles, text)
    if first_match(rules.weekly_titles, text) and not daily_word:
        return "weekly", True
    week = first_match(rules.weeks, text)
    if week is not None and first_match(rules.week_summaries, text[week.end() :]):
        return "weekly", True
    if dated is not None:
        return "daily", True
    if week is not None:
        return "weekly", False
    return ("daily", False) if daily_word else (None, False)


def kind(doc: Document, log_title: Title, dated: bool) -> Resolved[Kind]:
    """Front matter; else weekly for a file of days; else what the title says surely (a
    day, a range, a retrospective, a week's summary, a single date); else daily for a log
    of one day heading or one date (``dated``), whatever its title says about the week,
    unless its body reads as the week's retrospective; else weekly for a title or file
    name naming a week; else daily. A heading inside the log ("## Daily") never decides."""
    if "kind" in doc.values:
        value: Kind = doc.values["kind"]
        return value, []
    if doc.multi:
        return "weekly", []
    said, surely = kind_of_text(log_title.text, doc.rules) if log_title.text else (None, False)
    if said is not None and (surely or (log_title.written and said == "daily")):
        return said, []
    if doc.single_day is not None:
        return "daily", []
    named, named_surely = kind_of_text(doc.name, doc.rules)
    if named == "weekly" and named_surely:
        return "weekly", []
    weekish = "weekly" in (said, named)
    if dated:
        return ("weekly" if weekish and _retrospective_body(doc) else "daily"), []
    if weekish:
        return "weekly", []
    return said or "daily", []


def _retrospective_body(doc: Document) -> bool:
    """Whether a log reads as its week's retrospective: a section heading that says so
    ("## 이번 주 배운 것", "## 회고"), or a first line that does ("이번 주는 …")."""
    rules = doc.rules
    for heading in doc.outline.headings:
        says = heading.level <= 3 and kind_of_text(heading.text, rules) == ("weekly", True)
        if says and not first_match(rules.weeks, heading.text):
            return True
    first = next((ln for ln in doc.outline.lines if ln.text and not ln.heading), None)
    return first is not None and kind_of_text(first.text, rules) == ("weekly", True)


# A course week above this is a year or a count, not a week ("week-2023", "100 weeks").
MAX_WEEK = 60
# A heading longer than this is prose that became a heading (a setext underline after a
# paragraph), not a section title naming its week.
SECTION_TITLE_LENGTH = 40


def _week(patterns: Patterns, text: str) -> int | None:
    found = first_int(patterns, text, "week")
    return found if found is not None and found <= MAX_WEEK else None


def tags(doc: Document) -> tuple[str, ...]:
    return tuple(doc.values.get("tags", ()))


def own_week(doc: Document, log_title: str | None, log_kind: Kind) -> Resolved[int | None]:
    """The week the file names itself (days inherit it): front matter, title, a single
    day heading, a tag or category, the file name, the folder holding it (``week04/``),
    and for a weekly log a heading before its days ("## 6주차 회고"). Not computed from
    course_start."""
    rules = doc.rules
    week: int | None = doc.values.get("week")
    if week is None and log_title:
        week = _week(rules.weeks, log_title)
    if week is None and doc.single_day is not None:
        week = _week(rules.weeks, doc.single_day.title)
    if week is None:
        labels = (*tags(doc), *doc.values.get("categories", ()))
        week = next(
            (w for w in (_week(rules.week_tags, t.strip()) for t in labels) if w is not None), None
        )
    if week is None:
        week = _week(rules.weeks, doc.name)
    if week is None and len(doc.starts) >= 2:
        # days that all name one week ("## Week4 - Day1", "## Week4 - Day2")
        named = {s.week for s in doc.starts}
        week = named.pop() if len(named) == 1 else None
    if week is None:
        # a folder of the week's logs: "week04/day3.md", "4주차/정리.md"
        folder = doc.file.parent.name.replace("_", " ").strip()
        week = _week(rules.week_tags, folder)
    if week is None and log_kind == "weekly":
        first_day = doc.starts[0].line if doc.starts else None
        week = next(
            (
                w
                for w in (
                    _week(rules.weeks, h.text)
                    for h in doc.outline.headings
                    if h.level <= 2
                    and len(h.text) <= SECTION_TITLE_LENGTH
                    and (first_day is None or h.line < first_day)
                )
                if w is not None
            ),
            None,
        )
    return week, []


def week_from_course(date: dt.date | None, start: dt.date | None) -> int | None:
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


def _section_weeks(doc: Document) -> list[tuple[int, int, int]]:
    """(line, level, week) of the headings that name a week and are not day headings:
    "## 2주차" above "### Day 6" puts that day in week 2."""
    day_lines = {s.line for s in doc.starts}
    found = []
    for heading in doc.outline.headings:
        if heading.line in day_lines or len(heading.text) > SECTION_TITLE_LENGTH:
            continue
        week = _week(doc.rules.weeks, heading.text)
        if week is not None:
            found.append((heading.line, heading.level, week))
    return found


def _enclosing_week(sections: Sequence[tuple[int, int, int]], start: days.DayStart) -> int | None:
    level = start.level or 7  # a day line sits below every heading
    above = [week for line, lv, week in sections if line < start.line and lv < level]
    return above[-1] if above else None


def _written(start: days.DayStart, tally: facts.Tally) -> tuple[int, str, str] | None:
    """(line, date as written, text beside it) of a day: its heading's, else its date line's."""
    if start.date_text:
        return start.line, start.date_text, start.title
    if tally.date_text is not None:
        return tally.date_line, tally.date_text, tally.date_text
    return None


def _full_dates(written: Sequence[tuple[int, str, str] | None]) -> list[dt.date | None]:
    """Each day's date when it was written with its year (the neighbours of the others)."""
    full: list[dt.date | None] = []
    for one in written:
        date = None
        if one is not None and dates.has_year(one[1]):
            date = dates.parse_loose(one[1], None)[0]
        full.append(date)
    return full


def day_years(
    doc: Document, written: Sequence[tuple[int, str, str] | None], known: Year
) -> tuple[list[Year], Year | None]:
    """The year of each day's date written without one, and the year its weekdays fit when
    that is another one than the year used (to say so once). The log's own year first, then
    the nearest day written with its year, then the weekdays, then the fallback."""
    checked = [c for c in (_checked(w[2], w[1]) for w in written if w is not None) if c]
    fitted = weekday_year(doc, checked)
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
    if used is not None and used.written and checked and used != fitted:
        other = years.weekday_fit(checked, used.value or 0)
        disagree = Year(other, used.source, used.line) if other is not None else None
    return chosen, disagree


def day_entries(
    doc: Document, file_week: int | None, known: Year
) -> Resolved[tuple[list[Day], bool]]:
    """The day entries of a multi-day file (none otherwise), and whether a day's date
    lacked a year. A day's week: its heading's, else the week heading above it, else the
    file's, else computed from course_start."""
    if not doc.multi:
        return ([], False), []
    problems: list[Problem] = []
    entries: list[Day] = []
    year_missing = False
    outside: list[Problem] = []
    previous: dt.date | None = known.anchor
    sections = _section_weeks(doc)
    written = [_written(s, t) for s, t in zip(doc.starts, doc.tallies[1:], strict=True)]
    chosen, disagree = day_years(doc, written, known)
    for start, anchor, tally, one, year in zip(
        doc.starts, days.anchors(doc.starts), doc.tallies[1:], written, chosen, strict=True
    ):
        when, found = DayDate(None, False), list[Problem]()
        if one is not None:
            line, text, beside = one
            near = previous or year.anchor
            when, found = written_date(doc, line, text, year, near)
            given = None if dates.has_year(text) else year
            found += weekday_problems(doc, line, beside, when.date, given)
        problems += found
        year_missing = year_missing or when.year_missing
        previous = when.date or previous
        week = start.week if start.week is not None else _week(doc.rules.weeks, start.title)
        if week is None:
            week = _enclosing_week(sections, start)
        if week is None:
            week = file_week
        if week is None:
            week = week_from_course(when.date, doc.config.course_start)
            outside = outside or outside_course(doc, start.line, when.date)
        entries.append(
            Day(
                path=doc.path,
                line=start.line,
                title=start.title,
                anchor=anchor,
                day=start.day,
                date=when.date,
                week=week,
                keywords=facts.merge_keywords([tally.keywords], doc.config.keyword_aliases),
                questions=tally.questions,
                answers=tally.answers,
                tasks_done=tally.tasks_done,
                tasks_open=tally.tasks_open,
            )
        )
    problems = _one_year_warning(doc, written, chosen, disagree, problems)
    return (entries, year_missing), problems + outside


def _one_year_warning(
    doc: Document,
    written: Sequence[tuple[int, str, str] | None],
    chosen: Sequence[Year],
    disagree: Year | None,
    problems: list[Problem],
) -> list[Problem]:
    """When every weekday written beside a yearless date disagrees with the year used and
    all of them fit one other year, say that once (naming where the year used came from)
    instead of once per day."""
    checked = [
        (w[0], y)
        for w, y in zip(written, chosen, strict=True)
        if w is not None and _checked(w[2], w[1]) is not None
    ]
    if disagree is None or not checked:
        return problems
    lines = {line for line, _ in checked}
    kept = [p for p in problems if not (p.line in lines and p.message.startswith(WEEKDAY_MISMATCH))]
    used = checked[0][1]
    kept.append(
        Problem(
            doc.path,
            checked[0][0],
            f"the weekdays written beside the dates fit {disagree.value}, not {used.value}; "
            f"the dates are read in {used.value}, the year {used.source} gives",
            f"correct the weekdays, or the year in {used.source} if it is {disagree.value}",
            "warning",
        )
    )
    return sorted(kept, key=lambda p: p.line)


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


def day_number(
    doc: Document, log_title: str | None, log_kind: Kind, file_week: int | None = None
) -> Resolved[int | None]:
    """Front matter, else a single day heading, else the title or file name of a daily log.
    A day counted within a week (``Week4 - Day3``, ``day3.md`` in week 4) is no day of the
    course: none."""
    number: int | None = doc.values.get("day")
    if number is None and doc.single_day is not None:
        number = doc.single_day.day
        if number is None and doc.single_day.of_week is not None:
            return None, []
    for text in (log_title, doc.name):
        if number is None and text and log_kind == "daily":
            number = first_int(doc.rules.title_days, text, "day")
            week = first_int(doc.rules.weeks, text, "week") or file_week
            if days.day_of_week(week, number):
                return None, []
    return number, []


def week(
    doc: Document, file_week: int | None, date: dt.date | None, days_outside: bool
) -> Resolved[int | None]:
    """The file's own week, else computed from course_start; a date far outside the
    course gets none (it is grouped by its calendar week) and a warning."""
    if file_week is not None:
        return file_week, []
    problems = [] if days_outside else outside_course(doc, 1, date)
    return week_from_course(date, doc.config.course_start), problems


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


def keywords(doc: Document) -> Resolved[tuple[str, ...]]:
    """Front matter keywords, then every entry's keyword lines and sections (a union)."""
    groups = [doc.values.get("keywords", ()), *(t.keywords for t in doc.tallies)]
    return facts.merge_keywords(groups, doc.config.keyword_aliases), []


def counts(doc: Document) -> Resolved[tuple[int | None, int | None]]:
    """Questions and answers: front matter, else the sums over the entries."""
    questions = doc.values.get("questions", facts.sum_counts(t.questions for t in doc.tallies))
    answers = doc.values.get("answers", facts.sum_counts(t.answers for t in doc.tallies))
    return (questions, answers), []


def pairs(doc: Document) -> Resolved[tuple[Pair, ...]]:
    """Every question with its answers, and every review card, in file order; each in the
    day entry holding it (none for the preamble of a file of days, or a one-day log)."""
    found: list[Pair] = []
    for index, tally in enumerate(doc.tallies):
        day = index - 1 if doc.multi and index else None
        for one in (*tally.pairs, *tally.cards):
            found.append(
                Pair(
                    path=doc.path,
                    line=one.line,
                    question=one.source or one.text,
                    answers=tuple(a.source or a.text for a in one.answers),
                    answer_line=one.answers[0].line if one.answers else None,
                    form=one.form,
                    day=day,
                )
            )
    return tuple(sorted(found, key=lambda p: p.line)), []
