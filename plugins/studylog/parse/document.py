"""What the field resolvers read and pass on: the :class:`Document` and small values.

Each field of a log is taken from the first source that gives a value (DESIGN.md,
section 1): front matter, then the file name, then the title, headings and lines in
the body. A resolver reads the :class:`Document` (what one pass over the file found)
and the fields resolved before it, never changes either, and returns ``(value,
problems)``, so each can be read, tested and extended on its own;
:func:`studylog.parse.logs.parse_log` calls them in order. The resolvers live by what
they decide: :mod:`~studylog.parse.log_title` (title, kind),
:mod:`~studylog.parse.log_year` (the year of yearless dates),
:mod:`~studylog.parse.log_date` (dates), :mod:`~studylog.parse.log_week` (weeks),
:mod:`~studylog.parse.log_days` (day entries, day number) and
:mod:`~studylog.parse.log_tallies` (keywords, counts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath
from typing import Any, TypeVar

from studylog.model import Problem
from studylog.parse import dates, days, facts
from studylog.parse.config import ParserConfig
from studylog.parse.frontmatter import FrontMatter
from studylog.parse.outline import Outline
from studylog.parse.patterns import Rules

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
    starts: tuple[days.DayStart, ...]  # day headings, in order, one per day
    tallies: tuple[facts.Tally, ...]  # the preamble's, then one per day (multi-day files)

    @property
    def values(self) -> Any:
        """The front matter's values, converted by its schema."""
        return self.front_matter.values

    @property
    def multi(self) -> bool:
        """Two or more day headings: a weekly file of days."""
        return len(self.starts) >= 2

    @property
    def single_day(self) -> days.DayStart | None:
        """The day heading of a log with exactly one."""
        return self.starts[0] if len(self.starts) == 1 else None

    @property
    def tags(self) -> tuple[str, ...]:
        """The front matter's tags."""
        return tuple(self.values.get("tags", ()))

    @cached_property
    def file(self) -> PurePosixPath:
        """The log's path."""
        return PurePosixPath(self.path)

    @cached_property
    def name(self) -> str:
        """The file name without its extension and Jekyll date, words split on ``-``/``_``
        ("retrospect_week3" -> "retrospect week3"), for the rules that read titles."""
        stem = dates.without_dates(self.file.stem)
        return stem.replace("_", " ").replace("-", " ").strip()


@dataclass(frozen=True)
class DayDate:
    """A date as resolved from what a log writes."""

    date: dt.date | None
    year_missing: bool  # the date has no year and none is known


NO_DATE = DayDate(None, False)


@dataclass(frozen=True)
class Title:
    """A log's title and where it is written."""

    text: str | None
    line: int  # where it is written (its front matter key or heading); 1 when none
    written: bool = False  # in the front matter, not taken from a heading
