"""Notebook logs: a ``.ipynb`` read with exactly the rules of a Markdown log.

A notebook becomes one Markdown document (:func:`document`): front matter made of
the notebook's metadata and a first front-matter cell, then its Markdown cells,
and each code cell as an executable fence of one session (``notebook``), in order.
:func:`~studylog.parse.logs.parse_log` reads that document like any log -- title,
date, week, days, keywords, Q/A counts, tasks, fence options -- and what it finds
is mapped back to the notebook: each problem to its cell and line, each code cell's
snippet to its cell number.

Front matter comes from, highest first: a first cell (raw, as Quarto and Jupyter
Book write it, or Markdown) holding ``---``-fenced YAML; the ``studylog`` mapping in
the notebook's metadata; the metadata's own keys that a log's front matter knows
(``title``, ``date``, ``tags``, ``keywords`` ...). ``requires: cuda`` among them
marks every code cell ``requires="cuda"``. A code cell tagged ``raises-exception``
is ``errors="allow"``; one tagged (or with the metadata key) ``skip-execution`` is
not run. IPython magics and shell lines (``%matplotlib inline``, ``!pip ...``) are
not Python: they are left out of the code that runs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import yaml

from studylog.model import Cell, Log, Notebook, Pair, Problem, Snippet
from studylog.parse.config import ParserConfig
from studylog.parse.frontmatter import SCHEMA
from studylog.parse.notebook_json import RawCell, RawNotebook, read
from studylog.parse.patterns import Rules

SESSION = "notebook"  # the session every code cell of a notebook belongs to
RAISES = "raises-exception"
SKIP = "skip-execution"
METADATA_KEY = "studylog"
PYTHON = frozenset({"python", "python3", "ipython", "ipython3"})
# The front matter keys studylog reads besides the schema's (executing a notebook).
NOTEBOOK_KEYS = ("requires",)

_FM_OPEN = re.compile(r"^---\s*$")
_YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")
_MAGIC = re.compile(r"^(?P<indent>[ \t]*)(?:%{1,2}[A-Za-z_]|!\S)")
_QUIET_MAGICS = ("%matplotlib", "%config")  # figures are captured anyway
_BACKTICKS = re.compile(r"^ {0,3}(`{3,})", re.MULTILINE)


@dataclass(frozen=True)
class Place:
    """Where a line of the document came from."""

    cell: int | None  # None: the notebook itself (its metadata, the document's own lines)
    line: int
    metadata: bool = False  # a front matter line made from the notebook's metadata


@dataclass(frozen=True)
class NotebookDocument:
    """A notebook as the Markdown document studylog reads, with where each line came from."""

    text: str
    places: tuple[Place, ...]  # one per document line
    cells: tuple[Cell, ...]  # every cell but the front-matter cell, with its document line
    language: str
    problems: tuple[Problem, ...]  # found while writing it (magics, requires)
    front_matter: int = 0  # front matter lines written

    @property
    def empty(self) -> bool:
        return not self.front_matter and not any(c.source.strip() for c in self.cells)

    def place(self, line: int) -> Place:
        if 1 <= line <= len(self.places):
            return self.places[line - 1]
        return Place(None, 1)


def parse_notebook(data: bytes, path: str, config: ParserConfig, rules: Rules) -> Log:
    """Parse a notebook's bytes as a log (see the module's docstring)."""
    from studylog.parse.logs import parse_log  # markdown-it, imported on first use

    raw, problems = read(data, path)
    if raw is None:
        return Log(path=path, body="", body_line=1, problems=tuple(problems))
    doc = document(raw, path)
    problems += doc.problems
    if doc.empty:
        problems.append(
            Problem(
                path,
                1,
                "the notebook is empty",
                "write the day's notes in it, or delete the file",
                "warning",
            )
        )
        return Log(
            path=path,
            body="",
            body_line=1,
            problems=tuple(problems),
            notebook=Notebook(doc.language, doc.cells),
        )
    log = parse_log(doc.text, path, config, rules)
    problems += [_mapped(p, doc) for p in log.problems]
    runs = {c.line: c.number for c in doc.cells if c.runs}
    snippets = tuple(_snippet(s, runs[s.line], doc) for s in log.snippets if s.line in runs)
    return replace(
        log,
        snippets=snippets,
        notebook=Notebook(doc.language, doc.cells),
        problems=tuple(sorted(problems, key=lambda p: p.order)),
        pairs=tuple(_pair(p, doc) for p in log.pairs),
    )


def _pair(pair: Pair, doc: NotebookDocument) -> Pair:
    where = doc.place(pair.line)
    answer = doc.place(pair.answer_line).line if pair.answer_line is not None else None
    return replace(pair, line=where.line, cell=where.cell, answer_line=answer)


def _mapped(problem: Problem, doc: NotebookDocument) -> Problem:
    where = doc.place(problem.line)
    message = (
        "in the notebook's metadata: " + problem.message if where.metadata else problem.message
    )
    return replace(problem, line=where.line, cell=where.cell, message=message)


def _snippet(snippet: Snippet, cell: int, doc: NotebookDocument) -> Snippet:
    return replace(
        snippet, line=cell, cell=cell, problems=tuple(_mapped(p, doc) for p in snippet.problems)
    )


# -- the document --------------------------------------------------------------------------


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.places: list[Place] = []

    @property
    def next_line(self) -> int:
        return len(self.lines) + 1

    def add(self, text: str, place: Place) -> None:
        self.lines.append(text)
        self.places.append(place)


def document(raw: RawNotebook, path: str) -> NotebookDocument:
    """The Markdown document of a notebook (see the module's docstring)."""
    problems: list[Problem] = []
    fm_cell = _front_matter_cell(raw.cells)
    fm = _front_matter(raw, fm_cell, path, problems)
    language = _language(raw.metadata)
    out = _Writer()
    out.add("---", Place(None, 1))
    for text, place in fm:
        out.add(text, place)
    out.add(
        "---", Place(fm_cell.number, len(fm_cell.source.split("\n"))) if fm_cell else Place(None, 1)
    )
    requires = _requires(fm, path, problems)
    cells: list[Cell] = []
    for cell in raw.cells:
        if fm_cell is not None and cell.number == fm_cell.number:
            continue
        start = out.next_line
        runs = False
        if cell.kind == "markdown":
            for n, text in enumerate(cell.source.split("\n"), start=1):
                out.add(text, Place(cell.number, n))
        elif cell.kind == "code":
            runs = language in PYTHON and not _skipped(cell) and bool(cell.source.strip())
            _fence(out, cell, runs, language, requires, path, problems)
        if cell.kind != "raw":
            out.add("", Place(cell.number, max(1, len(cell.source.split("\n")))))
        cells.append(
            Cell(
                number=cell.number,
                kind=cell.kind,
                source=cell.source,
                line=start,
                tags=cell.tags,
                execution_count=cell.execution_count,
                outputs=cell.outputs,
                runs=runs and cell.kind == "code",
            )
        )
    return NotebookDocument(
        "\n".join(out.lines) + "\n",
        tuple(out.places),
        tuple(cells),
        language,
        tuple(problems),
        len(fm),
    )


def _language(metadata: Mapping[str, Any]) -> str:
    for key, name in (("kernelspec", "language"), ("language_info", "name")):
        block = metadata.get(key)
        if isinstance(block, dict) and isinstance(block.get(name), str) and block[name].strip():
            return str(block[name]).strip().lower()
    return "python"


def _skipped(cell: RawCell) -> bool:
    flagged = cell.metadata.get(SKIP, cell.metadata.get(SKIP.replace("-", "_")))
    return SKIP in cell.tags or flagged is True


def _fence(
    out: _Writer,
    cell: RawCell,
    runs: bool,
    language: str,
    requires: bool,
    path: str,
    problems: list[Problem],
) -> None:
    """A code cell as a fence: executable (one session, in order) when studylog runs it."""
    info = "python" if language in PYTHON or not language else language.split()[0]
    code = cell.source
    if runs:
        info = f'python exec="on" session="{SESSION}"'
        if RAISES in cell.tags:
            info += ' errors="allow"'
        if requires:
            info += ' requires="cuda"'
        code = _without_magics(cell, path, problems)
    ticks = max([3, *(len(m.group(1)) + 1 for m in _BACKTICKS.finditer(code))])
    lines = code.split("\n")
    out.add("`" * ticks + info, Place(cell.number, 1))
    for n, text in enumerate(lines, start=1):
        out.add(text, Place(cell.number, n))
    out.add("`" * ticks, Place(cell.number, len(lines)))


def _without_magics(cell: RawCell, path: str, problems: list[Problem]) -> str:
    """The cell's code with IPython magics and shell lines turned into ``pass`` (same
    indentation, same line numbers); the first one that does something is reported."""
    lines = cell.source.split("\n")
    reported = False
    for n, text in enumerate(lines):
        found = _MAGIC.match(text)
        if found is None:
            continue
        lines[n] = f"{found.group('indent')}pass  # not run: {text.strip()}"
        if not reported and not text.strip().startswith(_QUIET_MAGICS):
            reported = True
            problems.append(
                Problem(
                    path,
                    n + 1,
                    f"`{text.strip()[:60]}` is IPython, not Python: it is not run",
                    "studylog runs cells as plain Python, without a Jupyter kernel; write the "
                    "Python it stands for, or tag the cell skip-execution",
                    "warning",
                    cell=cell.number,
                )
            )
    return "\n".join(lines)


# -- front matter --------------------------------------------------------------------------


def _front_matter_cell(cells: Sequence[RawCell]) -> RawCell | None:
    """The first cell when it is ``---``-fenced YAML (Quarto, Jupyter Book)."""
    if not cells:
        return None
    first = cells[0]
    lines = first.source.strip("\n").split("\n")
    if first.kind == "code" or len(lines) < 2 or not _FM_OPEN.match(lines[0]):
        return None
    if not any(_FM_OPEN.match(line) for line in lines[1:]):
        return None
    if first.kind == "markdown" and not _YAML_KEY.match(lines[1]):
        return None  # a Markdown cell that starts with a rule, not front matter
    return first


def _front_matter(
    raw: RawNotebook, fm_cell: RawCell | None, path: str, problems: list[Problem]
) -> list[tuple[str, Place]]:
    """The front matter's YAML lines, each with its place: metadata keys first, so the
    front-matter cell's own keys (read last) win."""
    cell_lines: list[tuple[str, Place]] = []
    if fm_cell is not None:
        source = fm_cell.source.split("\n")
        skip = next(n for n, line in enumerate(source) if _FM_OPEN.match(line))
        end = next(n for n, line in enumerate(source) if n > skip and _FM_OPEN.match(line))
        cell_lines = [(source[n], Place(fm_cell.number, n + 1)) for n in range(skip + 1, end)]
    written = _keys("\n".join(text for text, _ in cell_lines))
    own = raw.metadata.get(METADATA_KEY)
    if own is not None and not isinstance(own, dict):
        problems.append(
            Problem(
                path,
                1,
                f"the notebook's metadata `{METADATA_KEY}` must be a mapping of front matter keys",
                f'write "{METADATA_KEY}": {{"date": "2024-03-04", "keywords": ["MLP"]}}',
            )
        )
        own = {}
    own = own or {}
    known = {k: v for k, v in raw.metadata.items() if k in SCHEMA or k in NOTEBOOK_KEYS}
    lines: list[tuple[str, Place]] = []
    for keys in (known, own):
        for key, value in keys.items():
            if key in written or (keys is known and key in own):
                continue
            lines.append((f"{key}: {_flow(value)}", Place(None, 1, metadata=True)))
    return lines + cell_lines


def _flow(value: Any) -> str:
    """A JSON value written as YAML (JSON is YAML's flow style)."""
    return json.dumps(value, ensure_ascii=False)


def _keys(text: str) -> set[str]:
    try:
        found = yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError:
        return set()  # parse_log reports it; its lines come last, so they win anyway
    return {str(k) for k in found} if isinstance(found, dict) else set()


def _requires(fm: Sequence[tuple[str, Place]], path: str, problems: list[Problem]) -> bool:
    """Whether the notebook says ``requires: cuda``."""
    try:
        found = yaml.safe_load("\n".join(text for text, _ in fm)) if fm else None
    except yaml.YAMLError:
        return False
    value = found.get("requires") if isinstance(found, dict) else None
    if value is None:
        return False
    if str(value).strip().lower() == "cuda":
        return True
    line = next((place for text, place in fm if text.startswith("requires")), Place(None, 1))
    problems.append(
        Problem(
            path,
            line.line,
            f"requires: {value!r} is not understood; the notebook runs anywhere",
            "write requires: cuda for a notebook that needs a GPU",
            cell=line.cell,
        )
    )
    return False
