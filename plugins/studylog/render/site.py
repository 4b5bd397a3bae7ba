"""Every generated page of a site, rendered once from logs, before the results are in.

This is the one entry point the glue calls after parsing and starting the sessions:
``render_site(inputs)`` returns the pages (Markdown or HTML, with slots) by
``src_uri``, the dashboard fragment and a navigation tree by week and date; once
the sessions' results are in, :meth:`SitePages.finish` fills the slots that waited
for them and adds the figure assets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from studylog.deck import deck
from studylog.execute.results import Block, Session, SessionResult
from studylog.model import Log, Problem
from studylog.render import links, notebook_css, safe_outputs
from studylog.render.archive import group_page
from studylog.render.calendar import calendar
from studylog.render.cards import CardHTML
from studylog.render.log_page import render_log
from studylog.render.navigation import NavNode, nav_tree, week_groups
from studylog.render.notebook_page import render_notebook
from studylog.render.outputs import figure_name
from studylog.render.plan import LogPage, RenderContext
from studylog.render.questions import questions_page
from studylog.render.review import review_page
from studylog.render.site_pages import (
    LogIndex,
    dashboard,
    draw_qa_chart,
    keyword_page,
    qa_chart_data,
    qa_page,
    report_page,
    week_page,
)
from studylog.render.slots import Outcomes, Rendered
from studylog.stats import SiteStats


@dataclass(frozen=True)
class SiteInputs:
    """What the site is rendered from: the logs, where their pages go, their statistics
    (computed once per build by the caller), the sessions that run their code, and how
    pages are rendered."""

    logs: Sequence[Log]
    log_uris: Mapping[str, str]  # log path -> src_uri of its page
    stats: SiteStats
    sessions: Sequence[Session] = ()
    context: RenderContext = field(default_factory=RenderContext)  # week_pages: from stats
    weeks_title: str | None = None  # None: "Weeks" in the site's language
    qa_chart: str | None = None  # the drawn Q/A chart (see qa_chart_data); None: draw it
    today: dt.date | None = None  # the build's date, for the calendar's streak; None: today


@dataclass(frozen=True)
class SitePages:
    """Every generated page, and what the glue adds to the site besides."""

    pages: dict[str, Rendered]  # src_uri -> page
    dashboard: Rendered
    nav: tuple[NavNode, ...]
    stats: SiteStats
    logs: tuple[Log, ...] = field(default_factory=tuple)
    images: dict[str, str] = field(default_factory=dict)  # site uri -> image file to copy
    problems: tuple[Problem, ...] = ()  # found while rendering log bodies
    stylesheets: dict[str, str] = field(default_factory=dict)  # site uri -> CSS the pages need
    assets: dict[str, str] = field(default_factory=dict)  # src_uri -> figure (when finished)

    def finish(self, results: Iterable[SessionResult]) -> SitePages:
        """The pages with the slots that waited for ``results`` filled, and their figures."""
        outcomes = Outcomes.of(results)
        assets = {  # a figure may come from an edited cache entry: published only sanitized
            links.asset_uri(figure_name(svg)): safe_outputs.svg(svg)
            for result in outcomes.results
            for block in result.blocks
            for svg in block.figures
        }
        return replace(
            self,
            pages={uri: page.finish(outcomes) for uri, page in self.pages.items()},
            dashboard=self.dashboard.finish(outcomes),
            assets=assets,
        )


def _blocks(sessions: Sequence[Session]) -> dict[str, dict[int, Block]]:
    """Each log's blocks (as its sessions run them) by fence line."""
    blocks: dict[str, dict[int, Block]] = {}
    for session in sessions:
        for block in session.blocks:
            blocks.setdefault(session.log, {})[block.line] = block
    return blocks


def render_site(inputs: SiteInputs) -> SitePages:
    """Render every generated page once; the slots that wait for the results stay open
    until :meth:`SitePages.finish`."""
    logs, stats = inputs.logs, inputs.stats
    weeks = frozenset(links.week_uri(week.key) for week in stats.weeks)
    context = replace(inputs.context, week_pages=weeks)
    qa_chart = inputs.qa_chart
    if qa_chart is None:
        qa_chart = draw_qa_chart(qa_chart_data(stats, context.words))
    site = LogIndex(
        logs=tuple(logs),
        stats=stats,
        pages=dict(inputs.log_uris),
        linker=context.linker,
        aliases=context.aliases,
        qa_chart=qa_chart,
        words=context.words,
    )
    blocks = _blocks(inputs.sessions)
    pages: dict[str, Rendered] = {}
    for log in logs:
        uri = inputs.log_uris[log.path]
        page = LogPage(log, uri, blocks.get(log.path, {}), context)
        pages[uri] = render_notebook(page) if log.notebook is not None else render_log(page)
    for week in stats.weeks:
        pages[links.week_uri(week.key)] = week_page(site, week)
    groups, _ = week_groups(stats.weeks)
    for group in groups:
        pages[group.uri] = group_page(site, group)
        for month in group.months:
            pages[month.uri] = group_page(site, month)
    pages[links.KEYWORDS] = keyword_page(site)
    pages[links.QA] = qa_page(site)
    cards = deck(logs, stats.entries)
    card_html = CardHTML(context.keep)
    pages[links.QUESTIONS] = questions_page(site, cards, card_html)
    pages[links.REVIEW] = review_page(site, cards, card_html)
    pages[links.REPORT] = report_page(site)
    images: dict[str, str] = {}
    problems: list[Problem] = []
    for log in logs:
        page_of = pages[inputs.log_uris[log.path]]
        images.update(page_of.images)
        problems.extend(page_of.problems)
    return SitePages(
        pages=pages,
        dashboard=dashboard(
            site, calendar=calendar(site, links.HOME, inputs.today or dt.date.today())
        ),
        nav=nav_tree(site, inputs.weeks_title),
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
