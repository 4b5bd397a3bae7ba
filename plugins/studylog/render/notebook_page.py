"""The page of a notebook log: studylog's log page, with code cells as mkdocs-jupyter shows them.

The notebook's document (:class:`~studylog.model.Notebook`) is rendered like any
log body -- Markdown cells with GitHub's rules, sanitized, with heading ids, the
page header after the title, day anchors -- and each code cell's fence is replaced
by the cell as mkdocs-jupyter renders it (:mod:`studylog.render.notebook_html`):
its source with an ``In [n]`` prompt and its outputs, then studylog's footer
(duration, device, cached or run). The outputs are studylog's results for the cells
it runs, else the ones stored in the notebook.
"""

from __future__ import annotations

from studylog.execute.results import BlockResult, SessionResult
from studylog.model import Cell, cell_name
from studylog.parse.notebooks import SKIP
from studylog.render.log_page import html_page, prepared_body
from studylog.render.notebook_html import CodeCell, convert, key
from studylog.render.notebook_outputs import from_result, from_stored
from studylog.render.outputs import footer, missing_output
from studylog.render.plan import FencePlan, LogPage, page_plan
from studylog.render.slots import ByLine, Outcomes, Rendered, Slots
from studylog.render.text import esc

# Block statuses whose cell shows no output of its own: the page says why instead.
_SAYS_WHY = frozenset({"unavailable", "refused", "skipped"})


def render_notebook(page: LogPage) -> Rendered:
    """The page of a notebook log, each code cell a slot that is filled once the results
    are in (see :meth:`Rendered.finish`); a notebook's results are keyed by cell number."""
    log = page.log
    notebook = log.notebook
    if notebook is None:
        raise ValueError(f"{log.path} is not a notebook log")
    prepared = prepared_body(page)
    slots = Slots(prepared.nonce)
    code = [cell for cell in notebook.cells if cell.kind == "code"]
    keys = [slots.reserve() for _ in code]
    fences = {
        cell.line - log.body_line: FencePlan(None, notebook.language, slot)
        for cell, slot in zip(code, keys, strict=True)
    }

    def cells(outcomes: Outcomes) -> dict[str, str]:
        if not code:
            return {}
        views = _views(page, outcomes.of_log(log.path), code)
        shown = [view for view, _ in views]
        language = notebook.language
        html = page.context.keep(
            tuple, lambda: convert(shown, language), "notebook-cells", key(shown, language)
        )
        return {
            slot: converted + after
            for slot, converted, (_, after) in zip(keys, html, views, strict=True)
        }

    return html_page(page, page_plan(page, fences, cells, slots), prepared)


def _views(page: LogPage, results: ByLine, cells: list[Cell]) -> list[tuple[CodeCell, str]]:
    """Each code cell as shown (source, prompt, outputs) and the HTML that follows it."""
    log, stored = page.log, page.context.stored_notebooks
    views: list[tuple[CodeCell, str]] = []
    # Each cell that ran gets the next In [n] prompt; tracebacks name cells by them.
    prompts: dict[int, int] = {}
    for cell in cells:
        found = None if stored or not cell.runs else results.get(cell.number)
        if found is not None and found[0].status not in _SAYS_WHY:
            prompts[cell.number] = len(prompts) + 1
    count = 0
    for cell in cells:
        where = cell_name(log.path, cell.number)
        if stored or not cell.runs:
            outputs = from_stored(cell.outputs, cell.execution_count)
            after = (
                ""
                if stored or not cell.source.strip()
                else _note("not run (skip-execution)" if SKIP in cell.tags else "not run")
            )
            views.append(
                (CodeCell(cell.source, cell.tags, cell.execution_count, tuple(outputs)), after)
            )
            continue
        found = results.get(cell.number)
        if found is None:
            views.append((CodeCell(cell.source, cell.tags), missing_output(where)))
            continue
        block, session = found
        ran = block.status not in _SAYS_WHY
        count += ran
        number = count if ran else None
        outputs = from_result(block, number, page.asset_url, where, prompts, log.path)
        # As under a Markdown log's block: what happened, then the footer.
        after = (
            f'<div class="studylog-output" data-status="{esc(block.status)}">'
            f"{_why(block, session)}{footer(block, session)}</div>"
        )
        views.append((CodeCell(cell.source, cell.tags, number, tuple(outputs)), after))
    return views


def _note(text: str) -> str:
    return f'<div class="studylog-footer">{esc(text)}</div>'


def _why(block: BlockResult, session: SessionResult) -> str:
    """Why a cell shows no output of its own (not run, no stored result), as the page of a
    Markdown log says it."""
    from studylog.execute import status

    if block.status not in _SAYS_WHY or block.error:
        return ""
    detail = session.message
    body = f"<p>{esc(detail)}</p>" if detail else ""
    return (
        f'<div class="admonition warning studylog-notebook-status"><p class="admonition-'
        f'title">{esc(status.title(block.status))}</p>{body}</div>'
    )
