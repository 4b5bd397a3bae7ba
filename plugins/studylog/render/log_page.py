"""The page of one log: its body as its author wrote it (rendered and sanitized,
:mod:`studylog.render.body`), with what its :class:`~studylog.render.plan.PagePlan`
adds -- a metadata header, day anchors, and every executed block's source followed
by a slot for its outputs.

Everything studylog itself writes here from a log's data (title, keywords,
dates, outputs) is escaped; the body's own HTML has been through the sanitizer
before any of it is added.
"""

from __future__ import annotations

import functools
from urllib.parse import quote, urlsplit

from studylog.model import Problem
from studylog.render import highlight, log_links, markers
from studylog.render.body import PreparedBody, prepare_body
from studylog.render.body import fill as fill_body
from studylog.render.jekyll import Note
from studylog.render.log_markdown import MarkdownBody, page_markdown, prepare_markdown
from studylog.render.markers import Heading
from studylog.render.plan import LogPage, PagePlan, log_plan
from studylog.render.slots import Rendered
from studylog.render.slugs import Slugger, github_slug
from studylog.render.text import esc


class Findings:
    """What writing one page finds besides its HTML: problems, and images to copy."""

    def __init__(self, page: LogPage) -> None:
        self.page = page
        self.problems: list[Problem] = []
        self.images: dict[str, str] = {}  # site uri -> file to copy

    def note(self, note: Note) -> None:
        """A problem found in the body, placed in the log's file (a notebook: its cell)."""
        log = self.page.log
        line, cell = log.body_line + note.line, None
        if log.notebook is not None:  # a line of the notebook's document: its cell's
            cell, line = log.notebook.place(line)
        self.problems.append(Problem(log.path, line, note.message, note.hint, "warning", cell=cell))

    def image_url(self, src: str, line: int) -> str:
        """The URL of a local image from this page, its copy noted; a missing one is
        reported and left as written."""
        page = self.page
        folders = page.context.body.images
        found = folders.find(src, page.log.path) if folders is not None else None
        if found is None:
            if folders is not None:
                self.note(
                    Note(
                        line,
                        f"image {log_links.shown(src)} not found",
                        "put it beside the log, in the project, or in the folder "
                        "plugins.studylog.logs_assets_dir names",
                    )
                )
            return src
        if found.copy:
            self.images[found.uri] = str(found.path)
        tail = urlsplit(src).fragment
        href = quote(page.context.linker.href(page.uri, found.uri), safe="/.-_~")
        return f"{href}#{tail}" if tail else href

    def link_url(self, href: str, line: int) -> str:
        """Where a link to another log's file points on the site: that log's page; a link
        to a file that does not exist is reported and left as written."""
        page = self.page
        folders = page.context.body.images
        if folders is None:
            return href
        found = log_links.target(href, page.log.path, folders.project, folders.logs)
        if found.missing:
            self.note(
                Note(
                    line,
                    f"link to {log_links.shown(href)}: no such file",
                    "correct the link, or add the file to the logs folder",
                )
            )
        if found.uri is None:
            return href
        return page.context.linker.href(page.uri, found.uri, found.anchor or None)


@functools.lru_cache(maxsize=512)
def _source(code: str, lang: str, options: str) -> str:
    return highlight.source(code, lang, options)


def html_page(page: LogPage, plan: PagePlan, body: PreparedBody) -> Rendered:
    """The page of a body studylog rendered, as ``plan`` says: header, day anchors, the
    fences studylog runs (their slots still open), and its table of contents."""
    found = Findings(page)
    for note in body.notes:
        found.note(note)
    days = plan.days_by_line()
    keep = page.context.keep
    options = page.context.body.settings.highlight

    def fence(n: int) -> str:
        slot = body.fences[n]
        shown = plan.fences.get(slot.line)
        if shown is None:
            return slot.html
        code, lang = shown.code, shown.lang
        # Highlighting is the costly part of a warm build's log page: kept in the memo.
        html = (
            keep(str, lambda: _source(code, lang, options), "source", code, lang, options)
            if code is not None
            else ""
        )
        if shown.slot is not None:
            html += markers.marker(body.nonce, markers.SLOT, shown.slot)
        return html

    def anchor(line: int) -> str:
        return days[line].anchor if line in days else ""

    def meta(line: int) -> str:
        return days[line].meta if line in days else ""

    def image(n: int) -> str:
        ref = body.images[n]
        return esc(found.image_url(ref.src, ref.line))

    head = plan.header

    def link(n: int) -> str:
        ref = body.links[n]
        return esc(found.link_url(ref.href, ref.line))

    parts = {"f": fence, "a": anchor, "m": meta, "h": lambda _n: head, "i": image, "l": link}
    html = fill_body(body, parts)
    toc = body.headings
    if not body.header_slot:
        slugs = Slugger()
        for heading in toc:
            slugs.reserve(heading.id)
        title = plan.title
        ident = slugs.reserve(github_slug(title) or "title")
        html = f'<h1 id="{esc(ident)}" class="studylog-title">{esc(title)}</h1>\n{head}\n{html}'
        toc = (Heading(1, ident, esc(title)), *toc)
    return Rendered(
        markdown="",
        html=html,
        toc=tuple(toc),
        title=esc(plan.title),
        tags=tuple(esc(t) for t in page.log.tags),
        nonce=body.nonce,
        images=dict(found.images),
        problems=tuple(found.problems),
        later=plan.later,
    )


def _markdown_page(page: LogPage, body: MarkdownBody) -> Rendered:
    found = Findings(page)
    for note in body.notes:
        found.note(note)
    plan = log_plan(page, body.nonce)
    return Rendered(
        markdown=page_markdown(plan, body),
        slots=plan.slots.fragments,
        title=esc(plan.title),
        tags=tuple(esc(t) for t in page.log.tags),
        sanitize=True,
        nonce=body.nonce,
        problems=tuple(found.problems),
        later=plan.later,
    )


def prepared_body(page: LogPage) -> PreparedBody:
    """The log's body rendered by studylog (kept between builds by the context's ``keep``)."""
    log = page.log
    settings = page.context.body.settings
    days = frozenset(d.line - log.body_line for d in log.days)
    return page.context.keep(
        PreparedBody,
        lambda: prepare_body(log.body, settings, days),
        "body",
        log.body,
        settings.key(),
        repr(sorted(days)),
    )


def render_log(page: LogPage) -> Rendered:
    """The page of a Markdown log, its outputs' slots open (see :meth:`Rendered.finish`)."""
    log = page.log
    options = page.context.body
    if options.renderer == "python-markdown":
        settings = options.settings
        source = page.context.keep(
            MarkdownBody,
            lambda: prepare_markdown(log.body, settings.site),
            "markdown-body",
            log.body,
            settings.key(),
        )
        return _markdown_page(page, source)
    prepared = prepared_body(page)
    return html_page(page, log_plan(page, prepared.nonce), prepared)
