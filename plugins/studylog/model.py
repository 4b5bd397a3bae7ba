"""The log model: what the parser reads from a study log.

Everything here is a frozen dataclass with no behaviour beyond small derived
properties, so every later stage (execution, rendering, statistics, the MkDocs
and pytest glue) can rely on it without importing the parser. Every item that
came from a file carries the ``path`` it came from and the 1-based ``line``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]
Kind = Literal["daily", "weekly"]


@dataclass(frozen=True)
class Problem:
    """Something wrong in an input file, reported as ``path:line: message (hint)``."""

    path: str
    line: int
    message: str
    hint: str = ""
    kind: Severity = "error"

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.path}:{self.line}: {self.message}{hint}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "kind": self.kind,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class Snippet:
    """An executable fenced code block (``python exec="on" ...``).

    ``line`` is the line of the opening fence; ``code_line`` the line of the
    first line of code, so tracebacks can be mapped back to the log file.
    ``attrs`` holds the info string's ``key="value"`` attributes exactly as
    written (a bare ``exec`` becomes ``{"exec": "on"}``); validating them is
    the executor's job.
    """

    path: str
    line: int
    lang: str
    info: str
    attrs: Mapping[str, str]
    code: str
    day: int | None = None  # index into Log.days of the day entry holding it

    @property
    def code_line(self) -> int:
        return self.line + 1


@dataclass(frozen=True)
class Day:
    """One day entry of a multi-day file, started by a day heading."""

    path: str
    line: int
    title: str
    anchor: str
    day: int | None
    date: dt.date | None
    week: int | None
    keywords: tuple[str, ...] = ()
    questions: int | None = None
    answers: int | None = None
    tasks_done: int = 0
    tasks_open: int = 0


@dataclass(frozen=True)
class Log:
    """A parsed study log file."""

    path: str
    body: str  # the Markdown after the front matter, line endings normalised
    body_line: int  # file line of the body's first line
    front_matter: Mapping[str, Any] = field(default_factory=dict)
    kind: Kind = "daily"
    title: str | None = None
    date: dt.date | None = None
    week: int | None = None
    day: int | None = None
    keywords: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    questions: int | None = None
    answers: int | None = None
    tasks_done: int = 0
    tasks_open: int = 0
    draft: bool = False
    snippets: tuple[Snippet, ...] = ()
    days: tuple[Day, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.kind == "error")
