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

from collections.abc import Mapping

from studylog.execute.results import Block, BlockResult, SessionResult
from studylog.model import Cell, Log, cell_name
from studylog.parse.notebooks import SKIP
from studylog.render import links
from studylog.render.body import FenceSlot, PreparedBody, prepare_body
from studylog.render.keep import Keep, compute
from studylog.render.links import Linker
from studylog.render.log_page import BodyOptions, Page, Results, header, html_page
from studylog.render.notebook_html import CodeCell, convert, key
from studylog.render.notebook_outputs import from_result, from_stored
from studylog.render.outputs import footer, missing_output
from studylog.render.slots import Rendered
from studylog.render.text import esc
from studylog.stats import log_title

# Block statuses whose cell shows no output of its own: the page says why instead.
_SAYS_WHY = frozenset({"unavailable", "refused", "skipped"})


def render_notebook(
    log: Log,
    uri: str,
    *,
    linker: Linker,
    results: Results | None = None,
    blocks: Mapping[int, Block] | None = None,
    aliases: Mapping[str, str] | None = None,
    week_pages: set[str] | None = None,
    keep: Keep = compute,
    options: BodyOptions | None = None,
    stored: bool = False,
    final: bool = True,
) -> Rendered:
    """The page of the notebook ``log`` at ``uri``; ``results`` are keyed by cell number.

    ``stored`` shows the outputs stored in the notebook for every cell (nothing was run);
    a render that is not ``final`` (the results are still coming) leaves the code cells
    out, so nothing is converted twice."""
    notebook = log.notebook
    if notebook is None:
        raise ValueError(f"{log.path} is not a notebook log")
    options = options or BodyOptions()
    aliases = aliases or {}
    page = Page(log, uri, linker, results or {}, blocks or {}, aliases, options)
    settings = options.settings
    days = frozenset(d.line - log.body_line for d in log.days)
    prepared = keep(
        PreparedBody,
        lambda: prepare_body(log.body, settings, days),
        "body",
        log.body,
        settings.key(),
        repr(sorted(days)),
    )
    code = {cell.line: cell for cell in notebook.cells if cell.kind == "code"}
    shown: dict[int, str] = {}
    if final and code:
        views = _views(log, uri, linker, page.results, stored, list(code.values()))
        cells = [view for view, _ in views]
        language = notebook.language
        html = keep(tuple, lambda: convert(cells, language), "notebook-cells", key(cells, language))
        shown = {
            cell.line: converted + after
            for cell, converted, (_, after) in zip(code.values(), html, views, strict=True)
        }

    def cell_html(slot: FenceSlot) -> str | None:
        line = log.body_line + slot.line
        return shown.get(line, "") if line in code else None

    title = log_title(log, options.words)
    head = header(log, uri, linker, aliases, week_pages or set(), options.words)
    return html_page(page, prepared, title, head, keep, cell_html)


def _views(
    log: Log, uri: str, linker: Linker, results: Results, stored: bool, cells: list[Cell]
) -> list[tuple[CodeCell, str]]:
    """Each code cell as shown (source, prompt, outputs) and the HTML that follows it."""

    def asset_url(name: str) -> str:
        return linker.href(uri, links.asset_uri(name))

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
        outputs = from_result(block, number, asset_url, where, prompts, log.path)
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
