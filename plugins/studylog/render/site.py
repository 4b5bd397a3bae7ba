"""Every generated page of a site, rendered at once from logs and execution results.

This is the one entry point the glue calls after parsing and executing:
``render_site(...)`` returns the pages (Markdown + slots) by ``src_uri``, the
figure assets, the dashboard fragment and a navigation tree by week and date.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from studylog.execute.results import Block, BlockResult, Session, SessionResult
from studylog.model import Log, Problem
from studylog.render import links, notebook_css, safe_outputs
from studylog.render.keep import Keep, compute
from studylog.render.links import Linker
from studylog.render.log_page import BodyOptions, render_log
from studylog.render.notebook_page import render_notebook
from studylog.render.outputs import figure_name
from studylog.render.site_pages import (
    Site,
    dashboard,
    draw_qa_chart,
    keyword_page,
    qa_chart_data,
    qa_page,
    report_page,
    week_page,
)
from studylog.render.slots import Rendered
from studylog.render.words import ENGLISH, Words
from studylog.stats import (
    SiteStats,
    is_retrospective,
    log_title,
    log_week,
    nav_title,
    site_stats,
)


@dataclass(frozen=True)
class NavNode:
    title: str  # plain text; the glue escapes it
    uri: str | None = None  # a page, or None for a section
    children: tuple[NavNode, ...] = ()


@dataclass(frozen=True)
class SitePages:
    pages: dict[str, Rendered]  # src_uri -> page
    assets: dict[str, str]  # src_uri -> file content (figures)
    dashboard: Rendered
    nav: tuple[NavNode, ...]
    stats: SiteStats
    logs: tuple[Log, ...] = field(default_factory=tuple)
    images: dict[str, str] = field(default_factory=dict)  # site uri -> image file to copy
    problems: tuple[Problem, ...] = ()  # found while rendering log bodies
    stylesheets: dict[str, str] = field(default_factory=dict)  # site uri -> CSS the pages need


def _by_line(
    sessions: Sequence[Session], results: Sequence[SessionResult]
) -> tuple[dict[str, dict[int, Block]], dict[str, dict[int, tuple[BlockResult, SessionResult]]]]:
    blocks: dict[str, dict[int, Block]] = {}
    for session in sessions:
        for block in session.blocks:
            blocks.setdefault(session.log, {})[block.line] = block
    outs: dict[str, dict[int, tuple[BlockResult, SessionResult]]] = {}
    for result in results:
        for block_result in result.blocks:
            outs.setdefault(result.log, {})[block_result.line] = (block_result, result)
    return blocks, outs


def nav_tree(site: Site, weeks_title: str | None = None) -> tuple[NavNode, ...]:
    """Weeks (each: its roll-up page, then its logs by date), undated logs, then the indexes,
    named in the site's language (``weeks_title`` names the weeks' section instead)."""
    w = site.words
    by_week: dict[str, list[Log]] = {}
    undated: list[Log] = []
    for log in site.logs:
        key = log_week(log)
        if key is None:
            undated.append(log)
        else:
            by_week.setdefault(key.slug, []).append(log)

    def order(log: Log) -> tuple[str, str]:
        first = log.date or min((d.date for d in log.days if d.date), default=None)
        return (first.isoformat() if first else "9999", log.path)

    weeks = []
    for week in site.stats.weeks:
        logs = sorted(by_week.get(week.key.slug, []), key=order)
        # The week's days first (one-day logs and files of days), its retrospectives last.
        logs = [lg for lg in logs if not is_retrospective(lg)] + [
            lg for lg in logs if is_retrospective(lg)
        ]
        name = week.key.named(w)
        labels = distinct(
            [name, w("{week} overview", week=name), *(nav_title(lg, w) for lg in logs)],
            [lg.path for lg in logs],
        )
        children = [NavNode(labels[1], links.week_uri(week.key))]
        children += [
            NavNode(label, site.pages[lg.path]) for label, lg in zip(labels[2:], logs, strict=True)
        ]
        weeks.append(NavNode(name, None, tuple(children)))
    tree = [NavNode(weeks_title or w("Weeks"), None, tuple(weeks))] if weeks else []
    if undated:
        tree.append(
            NavNode(
                w("Undated"),
                None,
                tuple(
                    NavNode(log_title(lg, w), site.pages[lg.path])
                    for lg in sorted(undated, key=order)
                ),
            )
        )
    tree += [
        NavNode(w("Keywords"), links.KEYWORDS),
        NavNode(w("Questions and answers"), links.QA),
        NavNode(w("Execution report"), links.REPORT),
    ]
    return tuple(tree)


def distinct(labels: Sequence[str], paths: Sequence[str]) -> list[str]:
    """``labels`` (a section's, its overview's, then one per log of ``paths``), with each
    log's label that reads like an earlier one followed by its file name."""
    seen = {label.casefold() for label in labels[:2]}
    out = list(labels[:2])
    for label, path in zip(labels[2:], paths, strict=True):
        if label.casefold() in seen:
            label = f"{label} ({path.rsplit('/', 1)[-1]})"
        seen.add(label.casefold())
        out.append(label)
    return out


def render_site(
    logs: Sequence[Log],
    *,
    log_uris: Mapping[str, str],
    sessions: Sequence[Session] = (),
    results: Sequence[SessionResult] = (),
    linker: Linker | None = None,
    aliases: Mapping[str, str] | None = None,
    weeks_title: str | None = None,
    words: Words = ENGLISH,
    stats: SiteStats | None = None,
    qa_chart: str | None = None,
    keep: Keep = compute,
    body: BodyOptions | None = None,
    stored_notebooks: bool = False,
    final: bool = True,
) -> SitePages:
    """Render every generated page; ``log_uris`` maps each log's path to its page, and
    ``words`` are the site's language.

    ``body`` says how log bodies are rendered; ``stored_notebooks`` that notebook logs
    show the outputs stored in them. A caller that keeps work between builds passes what
    it kept: the ``stats`` of these logs, the drawn ``qa_chart`` (see
    :func:`qa_chart_data`), and a ``keep`` that looks prepared bodies up first. A render
    made before the results are in is not ``final``: it may leave out what only the
    results complete (a notebook's converted cells)."""
    linker = linker or Linker()
    aliases = dict(aliases or {})
    stats = stats if stats is not None else site_stats(logs, aliases)
    if qa_chart is None:
        qa_chart = draw_qa_chart(qa_chart_data(stats, words))
    site = Site(
        logs=tuple(logs),
        stats=stats,
        pages=dict(log_uris),
        linker=linker,
        aliases=aliases,
        results=tuple(results),
        qa_chart=qa_chart,
        words=words,
    )
    blocks, outs = _by_line(sessions, results)
    week_pages = site.week_pages
    pages: dict[str, Rendered] = {}
    for log in logs:
        uri = log_uris[log.path]
        render = (
            functools.partial(render_notebook, stored=stored_notebooks, final=final)
            if log.notebook is not None
            else render_log
        )
        pages[uri] = render(
            log,
            uri,
            linker=linker,
            results=outs.get(log.path, {}),
            blocks=blocks.get(log.path, {}),
            aliases=aliases,
            week_pages=week_pages,
            keep=keep,
            options=body,
        )
    for week in stats.weeks:
        pages[links.week_uri(week.key)] = week_page(site, week)
    pages[links.KEYWORDS] = keyword_page(site)
    pages[links.QA] = qa_page(site)
    pages[links.REPORT] = report_page(site)
    assets = {  # a figure may come from an edited cache entry: published only sanitized
        links.asset_uri(figure_name(svg)): safe_outputs.svg(svg)
        for result in results
        for block in result.blocks
        for svg in block.figures
    }
    images: dict[str, str] = {}
    problems: list[Problem] = []
    for log in logs:
        page = pages[log_uris[log.path]]
        images.update(page.images)
        problems.extend(page.problems)
    return SitePages(
        pages=pages,
        assets=assets,
        dashboard=dashboard(site),
        nav=nav_tree(site, weeks_title),
        stats=stats,
        logs=tuple(logs),
        images=images,
        problems=tuple(problems),
        stylesheets=(
            {notebook_css.URI: notebook_css.stylesheet()}
            if any(log.notebook is not None for log in logs)
            else {}
        ),
    )
