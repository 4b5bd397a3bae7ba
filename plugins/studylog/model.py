"""The log model: what the parser reads from a study log.

Everything here is a frozen dataclass with no behaviour beyond small derived
properties, so every later stage (execution, rendering, statistics, the MkDocs
and pytest glue) can rely on it without importing the parser. Every item that
came from a file carries the ``path`` it came from and the 1-based ``line``.

A notebook log (``.ipynb``) is read as the Markdown document of its cells (see
:class:`Notebook`); what is found in it names the notebook ``cell`` it is in, and
``line`` then counts lines inside that cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from studylog.terminal import printable

Severity = Literal["error", "warning"]
Kind = Literal["daily", "weekly"]


def place(path: str, line: int, cell: int | None = None) -> str:
    """Where something is, as every message writes it: ``path:line``, or for a notebook
    cell ``path, cell N, line M``."""
    if cell is None:
        return f"{path}:{line}"
    return f"{path}, cell {cell}, line {line}"


def cell_name(path: str, cell: int) -> str:
    """The file name a notebook cell's code is compiled with, so a traceback reads
    ``File "logs/a.ipynb, cell 3", line 2``."""
    return f"{path}{_CELL_SUFFIX}{cell}"


_CELL_SUFFIX = ", cell "


def cell_of(filename: str) -> tuple[str, int] | None:
    """``(path, cell)`` of a :func:`cell_name`; None for any other file name."""
    path, found, number = filename.rpartition(_CELL_SUFFIX)
    return (path, int(number)) if found and number.isdigit() else None


NOTEBOOK_SUFFIX = ".ipynb"


def is_notebook(path: str) -> bool:
    """Whether the log at ``path`` is a Jupyter notebook (its blocks are filed by cell)."""
    return path.lower().endswith(NOTEBOOK_SUFFIX)


@dataclass(frozen=True)
class Problem:
    """Something wrong in an input file, reported as ``path:line: message (hint)``
    (``path, cell N, line M: ...`` for a notebook cell)."""

    path: str
    line: int
    message: str
    hint: str = ""
    kind: Severity = "error"
    cell: int | None = None  # a notebook's cell number (1-based); ``line`` is inside it

    def __str__(self) -> str:
        """``path:line: message (hint)``, printable on a terminal (see :mod:`terminal`)."""
        hint = f" ({self.hint})" if self.hint else ""
        return printable(f"{place(self.path, self.line, self.cell)}: {self.message}{hint}")

    @property
    def order(self) -> tuple[int, int]:
        """Sort key: file order (cells in order, lines within them)."""
        return (self.cell or 0, self.line)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of a problem (``cell`` only for a notebook's)."""
        cell = {} if self.cell is None else {"cell": self.cell}
        return {
            "path": self.path,
            "line": self.line,
            **cell,
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
    network: bool = False  # network="on": the session asks for the network (see `network`)


@dataclass(frozen=True)
class Snippet:
    """A fenced code block that asks to be executed (``python exec="on" ...``).

    ``line`` is the line of the opening fence; ``code_line`` the line of the
    first line of code, so tracebacks can be mapped back to the log file. A
    notebook's code cell has its number as ``cell`` and as ``line`` (the place
    results are filed under), and its code starts at line 1 of the cell.
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
    cell: int | None = None  # a notebook's code cell: its number

    @property
    def code_line(self) -> int:
        return 1 if self.cell is not None else self.line + 1

    @property
    def source_name(self) -> str:
        """The file name the code is compiled with: the log, or one cell of a notebook."""
        return self.path if self.cell is None else cell_name(self.path, self.cell)

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


PairForm = Literal["question", "card"]


@dataclass(frozen=True)
class Pair:
    """A question in a log with what answers it: a question the log counts (``Q: …``,
    ``질문:``, ``❓ …``), or a review card written as one (``Question::Answer``, a ``?``
    line between the question's lines and the answer's), which no count includes.

    ``question`` and each of ``answers`` are Markdown as written, markers left out;
    ``line`` is the question's line (a notebook's: in its ``cell``)."""

    path: str
    line: int
    question: str
    answers: tuple[str, ...] = ()
    answer_line: int | None = None  # the first answer's line
    form: PairForm = "question"
    day: int | None = None  # index into Log.days of the day entry holding it
    cell: int | None = None  # a notebook's markdown cell: its number

    @property
    def answered(self) -> bool:
        """Whether an answer was written."""
        return bool(self.answers)


OutputKind = Literal["stream", "execute_result", "display_data", "error"]
CellKind = Literal["markdown", "code", "raw"]


@dataclass(frozen=True)
class Output:
    """One output stored in a notebook cell, as the notebook holds it (not yet made safe
    to show: the renderer sanitizes it)."""

    kind: OutputKind
    name: str = ""  # a stream's name (stdout, stderr); an error's exception name
    text: str = ""  # a stream's text; an error's traceback
    value: str = ""  # an error's message
    data: tuple[tuple[str, str], ...] = ()  # a result or display: (mime type, content)
    execution_count: int | None = None


@dataclass(frozen=True)
class Cell:
    """One cell of a notebook log.

    ``line`` is the line of :attr:`Log.body`'s document where the cell starts (a code
    cell: its fence line); ``runs`` says whether studylog runs a code cell (not tagged
    ``skip-execution``, in a Python notebook).
    """

    number: int  # 1-based, as a notebook front end counts
    kind: CellKind
    source: str
    line: int
    tags: tuple[str, ...] = ()
    execution_count: int | None = None
    outputs: tuple[Output, ...] = ()  # stored in the notebook
    runs: bool = False


@dataclass(frozen=True)
class Notebook:
    """What a notebook log holds besides its text: its cells and kernel language.

    A notebook is read as one Markdown document: its front matter (from the notebook's
    metadata or a first raw cell), its Markdown cells, and each code cell as an
    executable fence. :attr:`Log.body`, :attr:`Log.body_line` and :attr:`Day.line`
    count lines of that document; problems and snippets name cells.
    """

    language: str
    cells: tuple[Cell, ...]

    def place(self, line: int) -> tuple[int | None, int]:
        """``(cell, line in the cell)`` of document ``line``; ``(None, 1)`` before the
        first cell (the front matter)."""
        holder = next((c for c in reversed(self.cells) if c.line <= line), None)
        if holder is None:
            return None, 1
        # A code cell's first line is its fence: its code starts one line below.
        offset = 0 if holder.kind == "code" else 1
        return holder.number, max(1, line - holder.line + offset)


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
    notebook: Notebook | None = None  # a notebook log's cells
    pairs: tuple[Pair, ...] = ()  # its questions and review cards, in file order

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.kind == "error")
