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


Show = Literal["both", "source", "output"]
Device = Literal["auto", "cpu", "cuda"]
DEFAULT_SESSION = "default"


@dataclass(frozen=True)
class BlockOptions:
    """Validated options of one executable block (markdown-exec attribute syntax)."""

    show: Show = "both"
    errors_allowed: bool = False  # errors="allow"
    timeout: float | None = None  # seconds; None: the session default
    device: Device = "auto"
    requires_cuda: bool = False  # requires="cuda"
    cache: bool = True  # cache="off" turns it off for the whole session
    file: str | None = None  # file="snippets/mlp.py", relative to the project root


@dataclass(frozen=True)
class Snippet:
    """A fenced code block that asks to be executed (``python exec="on" ...``).

    ``line`` is the line of the opening fence; ``code_line`` the line of the
    first line of code, so tracebacks can be mapped back to the log file.
    ``attrs`` holds the info string's attributes as written; ``options`` and
    ``session`` are what :mod:`studylog.parse.fences` made of them, and
    ``problems`` what it found wrong. ``executable`` is False for a block that
    asks to run but cannot (another language, an ``exec`` value not understood):
    it is shown as plain code. Errors among ``problems`` refuse its session.
    """

    path: str
    line: int
    lang: str
    info: str
    attrs: Mapping[str, str]
    code: str
    day: int | None = None  # index into Log.days of the day entry holding it
    options: BlockOptions = BlockOptions()
    session: str = DEFAULT_SESSION
    executable: bool = True
    problems: tuple[Problem, ...] = ()

    @property
    def code_line(self) -> int:
        return self.line + 1

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.kind == "error")


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
