"""Reading a notebook file (``.ipynb``, nbformat 4 JSON) into plain cells.

Nothing here raises on bad input: a file that is not JSON, a notebook of another
format version, a missing ``cells`` list, a cell that is not a cell, stored outputs
too large for a page -- each is one :class:`~studylog.model.Problem` naming the file
and, where it applies, the cell. An nbformat 3 notebook is converted (with nbformat,
imported only then) rather than lost.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from studylog.model import CellKind, Output, Problem

CELL_KINDS: tuple[CellKind, ...] = ("markdown", "code", "raw")
# Stored outputs kept for the page, over the whole notebook. A notebook past it (plots
# saved as large PNGs, a training log printed in full) keeps its first outputs; the rest
# are left out with one warning, so a 50 MB notebook never becomes a 50 MB page.
OUTPUT_BUDGET = 5 * 1024 * 1024
_CLEAR = (
    "clear the outputs before saving (studylog runs the cells and makes them again), "
    "e.g. `jupyter nbconvert --clear-output --inplace FILE`"
)


@dataclass(frozen=True)
class RawCell:
    number: int  # 1-based position in the notebook
    kind: CellKind
    source: str  # line endings normalised to "\n"
    metadata: Mapping[str, Any] = field(default_factory=dict)
    execution_count: int | None = None
    outputs: tuple[Output, ...] = ()

    @property
    def tags(self) -> tuple[str, ...]:
        tags = self.metadata.get("tags")
        return tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else ()


@dataclass(frozen=True)
class RawNotebook:
    metadata: Mapping[str, Any]
    cells: tuple[RawCell, ...]


def read(data: bytes, path: str) -> tuple[RawNotebook | None, list[Problem]]:
    """The notebook in ``data``; None (with one error) when there is none to read."""
    loaded = _load(data, path)
    if isinstance(loaded, Problem):
        return None, [loaded]
    found = loaded
    problems: list[Problem] = []
    version = loaded.get("nbformat")
    if version == 3 or (version is None and "worksheets" in loaded):
        upgraded, problem = _upgrade(loaded, path)
        problems.append(problem)
        if upgraded is None:
            return None, problems
        found = upgraded
    elif isinstance(version, int) and not isinstance(version, bool) and version < 3:
        return None, [
            Problem(
                path,
                1,
                f"nbformat {version} notebooks cannot be read",
                "open it in Jupyter and save it again, which writes nbformat 4",
            )
        ]
    cells = found.get("cells")
    if not isinstance(cells, list):
        return None, [
            Problem(
                path,
                1,
                "not a notebook: there is no `cells` list",
                "save it from Jupyter as an nbformat 4 notebook (.ipynb)",
            )
        ]
    metadata = found.get("metadata")
    budget = _Budget(path)
    read_cells: list[RawCell] = []
    for number, cell in enumerate(cells, start=1):
        made = _cell(number, cell, path, budget)
        if isinstance(made, Problem):
            problems.append(made)
        else:
            read_cells.append(made)
    problems += budget.problems()
    return RawNotebook(metadata if isinstance(metadata, dict) else {}, tuple(read_cells)), problems


def _load(data: bytes, path: str) -> dict[str, Any] | Problem:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if not data.strip():
        return Problem(
            path,
            1,
            "not a notebook: the file is empty",
            "write the notebook in Jupyter, or delete the file",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return Problem(
            path,
            line,
            f"not a notebook: not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "notebooks are UTF-8 JSON; save it again from Jupyter",
        )
    try:
        found = json.loads(text)
    except json.JSONDecodeError as exc:
        return Problem(
            path,
            exc.lineno,
            f"not a notebook: invalid JSON ({exc.msg}, column {exc.colno})",
            "a notebook is JSON; fix it there, or save it again from Jupyter",
        )
    except RecursionError:
        return Problem(
            path,
            1,
            "not a notebook: the JSON is nested too deeply to read",
            "save it again from Jupyter",
        )
    if not isinstance(found, dict):
        return Problem(
            path,
            1,
            "not a notebook: the JSON is not an object",
            "save it from Jupyter as an nbformat 4 notebook (.ipynb)",
        )
    return found


def _upgrade(found: dict[str, Any], path: str) -> tuple[dict[str, Any] | None, Problem]:
    """An nbformat 3 notebook converted to version 4 by nbformat itself."""
    try:
        import nbformat
        from nbformat.v3.nbjson import JSONReader

        # nbformat's own v3 reader joins the lists of lines v3 stored before converting.
        upgraded = nbformat.convert(JSONReader().to_notebook(found), 4)
    except Exception as exc:  # nbformat's converter on a broken v3 file: anything
        return None, Problem(
            path,
            1,
            f"nbformat 3 notebook that cannot be converted ({exc})",
            "open it in Jupyter and save it again, which writes nbformat 4",
        )
    return dict(upgraded), Problem(
        path,
        1,
        "nbformat 3 notebook: read after converting it to nbformat 4",
        "open it in Jupyter and save it again (or `jupyter nbconvert --to notebook "
        "--inplace FILE`) so it is stored as nbformat 4",
        "warning",
    )


def text_of(value: Any) -> str | None:
    """A multi-line string as notebooks store it (a string or a list of strings)."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        text = "".join(value)
    else:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _cell(number: int, cell: Any, path: str, budget: _Budget) -> RawCell | Problem:
    kind = cell.get("cell_type") if isinstance(cell, dict) else None
    if kind not in CELL_KINDS:
        what = f"cell_type {kind!r}" if isinstance(kind, str) else "no cell_type"
        return Problem(
            path,
            1,
            f"not a notebook cell ({what}); it is left out",
            "cells are markdown, code or raw; save the notebook again from Jupyter",
            "warning",
            cell=number,
        )
    source = text_of(cell.get("source", ""))
    if source is None:
        return Problem(
            path,
            1,
            "the cell's source is neither text nor a list of lines; it is left out",
            "save the notebook again from Jupyter",
            "warning",
            cell=number,
        )
    metadata = cell.get("metadata")
    count = cell.get("execution_count")
    outputs = cell.get("outputs") if kind == "code" else None
    return RawCell(
        number=number,
        kind=kind,
        source=source,
        metadata=metadata if isinstance(metadata, dict) else {},
        execution_count=count if isinstance(count, int) and not isinstance(count, bool) else None,
        outputs=budget.take(number, outputs if isinstance(outputs, list) else []),
    )


class _Budget:
    """Stored outputs kept within :data:`OUTPUT_BUDGET`; the cells past it noted once."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.used = 0
        self.dropped: dict[int, int] = {}  # cell -> bytes of outputs left out

    def take(self, number: int, outputs: Sequence[Any]) -> tuple[Output, ...]:
        kept = []
        for raw in outputs:
            output = _output(raw)
            if output is None:
                continue
            size = len(output.text) + len(output.value) + sum(len(v) for _, v in output.data)
            if self.used + size > OUTPUT_BUDGET:
                self.dropped[number] = self.dropped.get(number, 0) + size
                continue
            self.used += size
            kept.append(output)
        return tuple(kept)

    def problems(self) -> list[Problem]:
        if not self.dropped:
            return []
        first = min(self.dropped)
        total = sum(self.dropped.values()) / 1e6
        cells = ", ".join(str(n) for n in sorted(self.dropped))
        return [
            Problem(
                self.path,
                1,
                f"stored outputs too large for a page ({total:.1f} MB in cell"
                f"{'s' if len(self.dropped) > 1 else ''} {cells}) are not shown",
                _CLEAR,
                "warning",
                cell=first,
            )
        ]


def _output(raw: Any) -> Output | None:
    if not isinstance(raw, dict):
        return None
    kind = raw.get("output_type")
    count = raw.get("execution_count")
    count = count if isinstance(count, int) and not isinstance(count, bool) else None
    if kind == "stream":
        name = raw.get("name")
        return Output(
            "stream",
            name=name if name in ("stdout", "stderr") else "stdout",
            text=text_of(raw.get("text", "")) or "",
        )
    if kind == "error":
        traceback = raw.get("traceback")
        lines = [t for t in traceback if isinstance(t, str)] if isinstance(traceback, list) else []
        return Output(
            "error",
            name=str(raw.get("ename", "")),
            value=str(raw.get("evalue", "")),
            text="\n".join(lines),
        )
    if kind in ("execute_result", "display_data"):
        data = raw.get("data")
        pairs = []
        for mime, value in data.items() if isinstance(data, dict) else ():
            text = text_of(value)
            if text is None and isinstance(value, (dict, list)):
                text = json.dumps(value, ensure_ascii=False)
            if isinstance(mime, str) and text is not None:
                pairs.append((mime, text))
        return Output(kind, data=tuple(pairs), execution_count=count)
    return None
