"""One page plan: where a log page's parts go, whichever renderer writes its body.

A log's page is its body as its author wrote it, plus studylog's own parts: the
title and the metadata header (right after the body's own first-level title, else
on top), an anchor and a line of facts where each day entry starts, and at each
fence studylog runs, the code it shows and a slot for what follows it (its
outputs). The plan decides all of that once, from the model (the log, its days
and snippets) and the blocks its sessions run; the two body renderers --
studylog's own (:func:`studylog.render.log_page.html_page`) and the site's
Python-Markdown (:func:`studylog.render.log_markdown.page_markdown`) -- only
write it in their markup. A notebook's page is the same plan with each code cell
a slot (:mod:`studylog.render.notebook_page`).

What follows a fence waits for the results: the plan reserves its slot and
:attr:`PagePlan.later` gives its HTML once the results are in, so each page is
rendered once per build.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from studylog.execute.results import Block
from studylog.model import Log, Snippet
from studylog.render import links
from studylog.render.body import BodySettings
from studylog.render.images import ImageFolders
from studylog.render.keep import Keep, compute
from studylog.render.links import Linker
from studylog.render.meta import anchor_html, day_header, header
from studylog.render.outputs import missing_output, render_block
from studylog.render.slots import Later, Outcomes, Slots
from studylog.settings import RENDERERS
from studylog.stats import log_title
from studylog.words import ENGLISH, Words


@dataclass(frozen=True)
class BodyOptions:
    """How log bodies are rendered on this site (the glue fills it from the config)."""

    renderer: str = RENDERERS[0]  # one of studylog.settings.RENDERERS
    settings: BodySettings = field(default_factory=BodySettings)
    images: ImageFolders | None = None  # None: local images are left as written


@dataclass(frozen=True)
class RenderContext:
    """What every log page of a site is rendered with."""

    linker: Linker = field(default_factory=Linker)
    aliases: Mapping[str, str] = field(default_factory=dict)  # keyword_aliases
    week_pages: frozenset[str] = frozenset()  # src_uris of the week pages the site has
    body: BodyOptions = field(default_factory=BodyOptions)
    # Looks kept work up first (a prepared body, highlighted code): see render.keep.
    keep: Keep = compute
    stored_notebooks: bool = False  # notebook logs show the outputs stored in them
    words: Words = ENGLISH  # the site's language: the title's and header's labels


@dataclass(frozen=True)
class LogPage:
    """The inputs of one log's page."""

    log: Log
    uri: str  # its src_uri
    blocks: Mapping[int, Block] = field(default_factory=dict)  # fence line -> block run
    context: RenderContext = field(default_factory=RenderContext)

    def asset_url(self, name: str) -> str:
        """The link from this page to a figure asset."""
        return self.context.linker.href(self.uri, links.asset_uri(name))


@dataclass(frozen=True)
class FencePlan:
    """What a fence studylog runs shows instead of itself: its code, then a slot."""

    code: str | None  # the source shown, highlighted in ``lang``; None: no source
    lang: str
    slot: str | None  # the slot of what follows the code (its outputs); None: nothing


@dataclass(frozen=True)
class DayPlan:
    """Where a day entry starts: its anchor before the line, its facts after it."""

    line: int  # body line (0-based) of the day's heading or line
    anchor: str  # HTML
    meta: str  # HTML; "" when the day has no facts


@dataclass(frozen=True)
class PagePlan:
    """Where everything studylog adds to one log's page goes."""

    title: str  # plain text
    header: str  # HTML ("" when there is none)
    days: tuple[DayPlan, ...]
    fences: Mapping[int, FencePlan]  # body line of an opening fence -> what it shows
    slots: Slots  # the page's slots: the reserved ones are filled by ``later``
    later: Later

    def days_by_line(self) -> dict[int, DayPlan]:
        """The days by body line."""
        return {day.line: day for day in self.days}


def _days(page: LogPage) -> tuple[DayPlan, ...]:
    log, ctx = page.log, page.context
    return tuple(
        DayPlan(
            day.line - log.body_line,
            anchor_html(day),
            day_header(day, page.uri, ctx.linker, ctx.aliases, ctx.words),
        )
        for day in log.days
    )


def page_plan(
    page: LogPage, fences: Mapping[int, FencePlan], later: Later, slots: Slots
) -> PagePlan:
    """The plan of ``page`` with ``fences`` shown as given; the rest from the log."""
    log, ctx = page.log, page.context
    head = header(log, page.uri, ctx.linker, ctx.aliases, ctx.week_pages, ctx.words)
    return PagePlan(log_title(log, ctx.words), head, _days(page), fences, slots, later)


def log_plan(page: LogPage, nonce: str) -> PagePlan:
    """The plan of a Markdown log's page: each snippet studylog runs shows its code (as
    ``show`` says) and a slot for its outputs."""
    log = page.log
    slots = Slots(nonce)
    fences: dict[int, FencePlan] = {}
    waiting: list[tuple[str, Snippet]] = []
    for snippet in log.snippets:
        if not snippet.executable:  # another language, an exec value not understood
            continue
        block = page.blocks.get(snippet.line)
        show = (block or snippet).options.show
        code = block.code if block else snippet.code
        slot = slots.reserve() if show in ("both", "output") else None
        if slot is not None:
            waiting.append((slot, snippet))
        fences[snippet.line - log.body_line] = FencePlan(
            code if show in ("both", "source") else None, snippet.lang or "python", slot
        )

    def outputs(outcomes: Outcomes) -> dict[str, str]:
        results = outcomes.of_log(log.path)
        out: dict[str, str] = {}
        for slot, snippet in waiting:
            where = f"{snippet.path}:{snippet.line}"
            found = results.get(snippet.line)
            out[slot] = (
                missing_output(where)
                if found is None
                else render_block(found[0], found[1], page.asset_url, where=where)
            )
        return out

    return page_plan(page, fences, outputs, slots)
