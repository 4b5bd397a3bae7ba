"""Running one block in a session's namespace, like a notebook cell (worker side).

Imported only inside worker processes: it uses matplotlib, which the parent
never loads. The code is compiled with the log's file name and padded to its
real first line, so tracebacks and warnings name ``logs/...md:LINE``.
"""

from __future__ import annotations

import ast
import io
import linecache
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any, TypedDict

from studylog.execute.job import JobBlock
from studylog.execute.limits import cut_value


class Ran(TypedDict):
    """What a block's run gives: a BlockResult's fields but its output (its stdout and
    stderr are read from fds 1 and 2 by the supervising process)."""

    line: int
    status: str  # "ok", "failed" or "error-allowed"
    value: str | None
    html: str | None
    figures: list[str]
    error: str | None
    duration: float


class Sources:
    """The code of a session's blocks, registered with linecache per file name.

    The worker's cwd is a temporary folder, so tracebacks could not read
    ``logs/x.md`` from disk; linecache answers from the blocks instead.
    """

    def __init__(self) -> None:
        self._lines: dict[str, list[str]] = {}

    def add(self, filename: str, first_line: int, code: str) -> None:
        """Register ``code``, which starts at ``first_line`` of ``filename``."""
        lines = self._lines.setdefault(filename, [])
        new = code.splitlines(keepends=True)
        if new and not new[-1].endswith("\n"):
            new[-1] += "\n"
        end = first_line - 1 + len(new)
        if len(lines) < end:
            lines.extend("\n" for _ in range(end - len(lines)))
        lines[first_line - 1 : end] = new
        linecache.cache[filename] = (sum(map(len, lines)), None, lines, filename)

    def clear(self) -> None:
        """Forget every registered file."""
        for filename in self._lines:
            linecache.cache.pop(filename, None)
        self._lines.clear()


def run_block(
    block: JobBlock,
    namespace: dict[str, Any],
    *,
    sources: Sources,
    end_output: Callable[[], None],
) -> Ran:
    """Run one block; what it gave but its output (``end_output`` marks where this block's
    output ends). Never raises for user errors."""
    filename, first_line, code = block.filename, block.first_line, block.code
    sources.add(filename, first_line, code)
    status, value, html, error = "ok", None, None, None
    svgs: list[str] = []
    started = time.perf_counter()
    try:
        try:
            shown = _execute(code, filename, first_line, namespace)
        except BaseException as exc:  # user code may raise anything, SystemExit included
            status = "error-allowed" if block.errors_allowed else "failed"
            error = format_error(exc)
            shown = None
        duration = time.perf_counter() - started
        if shown is not None:
            value, html = _display(shown)
        svgs = figures()
    finally:
        end_output()  # what a repr or savefig printed still belongs to this block
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__  # undo user redirection
    return {
        "line": block.line,
        "status": status,
        "value": value,
        "html": html,
        "figures": svgs,
        "error": error,
        "duration": duration,
    }


def _execute(code: str, filename: str, first_line: int, namespace: dict[str, Any]) -> Any:
    tree = ast.parse("\n" * (first_line - 1) + code, filename, "exec")
    last = None
    # As in a notebook, a trailing expression is shown unless it ends with ";".
    tail = tree.body[-1] if tree.body else None
    if isinstance(tail, ast.Expr) and not code.rstrip().endswith(";"):
        tree.body.pop()
        last = ast.Expression(tail.value)
    exec(compile(tree, filename, "exec"), namespace)
    if last is None:
        return None
    return eval(compile(last, filename, "eval"), namespace)


def _display(obj: Any) -> tuple[str | None, str | None]:
    html = None
    if hasattr(obj, "_repr_html_") and not isinstance(obj, type):
        try:
            html = obj._repr_html_()
        except BaseException as exc:  # user code: SystemExit included
            html = None
            text = f"<_repr_html_ failed: {type(exc).__name__}: {exc}>"
            return text, None
        html = cut_value(html) if isinstance(html, str) else None
    try:
        text = repr(obj)
    except BaseException as exc:
        text = f"<repr failed: {type(exc).__name__}: {exc}>"
    return cut_value(text), html


def format_error(exc: BaseException) -> str:
    """The traceback from the user's code down, without the worker's own frames."""
    if isinstance(exc, SyntaxError):
        # Raised by the compiler on the user's code: its own frames say nothing.
        return "".join(traceback.format_exception_only(type(exc), exc))
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


def figures() -> list[str]:
    """Every open matplotlib figure as an SVG document; the figures are then closed."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return []  # nothing imported pyplot, so no figure can be open

    svgs = []
    for number in plt.get_fignums():
        buffer = io.StringIO()
        try:
            # No date in the metadata and fixed ids, so reruns give identical
            # (reviewable) SVG.
            with plt.rc_context({"svg.hashsalt": "studylog"}):
                plt.figure(number).savefig(
                    buffer, format="svg", bbox_inches="tight", metadata={"Date": None}
                )
        except Exception as exc:  # a broken figure must not lose the block's other outputs
            buffer = io.StringIO(f"<!-- figure {number} could not be saved: {exc} -->")
        svgs.append(buffer.getvalue())
    plt.close("all")
    return svgs
