"""The page of one log: its body as its author wrote it (rendered and sanitized,
:mod:`studylog.render.body`), with a metadata header, day anchors, and every
executed block's source followed by its outputs.

Everything studylog itself writes here from a log's data (title, keywords,
dates, outputs) is escaped; the body's own HTML has been through the sanitizer
before any of it is added.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from studylog.execute.results import Block, BlockResult, SessionResult
from studylog.model import Day, Log, Problem, Snippet
from studylog.render import highlight, links
from studylog.render.body import (
    BodySettings,
    FenceSlot,
    Heading,
    PreparedBody,
    prepare_body,
)
from studylog.render.body import fill as fill_body
from studylog.render.images import ImageFolders
from studylog.render.jekyll import Note
from studylog.render.keep import Keep, compute
from studylog.render.links import Linker
from studylog.render.log_markdown import MarkdownBody, page_markdown, prepare_markdown
from studylog.render.outputs import missing_output, render_block
from studylog.render.slots import Rendered
from studylog.render.slugs import Slugger, github_slug
from studylog.render.text import esc
from studylog.render.words import ENGLISH, Words
from studylog.settings import RENDERERS
from studylog.stats import canonical, log_title, log_week, normalise_aliases, slug

Results = Mapping[int, tuple[BlockResult, SessionResult]]  # fence line -> results


def count(value: int | None) -> str:
    return "—" if value is None else str(value)


def keyword_links(
    keywords: Sequence[str], uri: str, linker: Linker, aliases: Mapping[str, str]
) -> str:
    folded = normalise_aliases(aliases)
    out = []
    for raw in keywords:
        name = canonical(raw, folded)
        href = linker.href(uri, links.KEYWORDS, slug(name))
        out.append(f'<a class="studylog-keyword" href="{esc(href)}">{esc(raw)}</a>')
    return " ".join(out)


def _row(label: str, value: str) -> str:
    # A space between term and value, so search previews read "Date 2024-03-04".
    return f"<div><dt>{esc(label)}</dt> <dd>{value}</dd></div>"


def header(
    log: Log,
    uri: str,
    linker: Linker,
    aliases: Mapping[str, str],
    weeks: set[str],
    words: Words = ENGLISH,
) -> str:
    w = words
    rows = []
    dates = sorted({d.date for d in log.days if d.date} | ({log.date} if log.date else set()))
    if dates:
        span = dates[0].isoformat()
        if dates[-1] != dates[0]:
            span += f" – {dates[-1].isoformat()}"
        rows.append(_row(w("Date"), span))
    week = log_week(log)
    if week is not None:
        target = links.week_uri(week)
        label = esc(week.named(w))
        if target in weeks:
            label = f'<a href="{esc(linker.href(uri, target))}">{label}</a>'
        rows.append(_row(w("Week"), label))
    if log.questions is not None or log.answers is not None:
        rows.append(_row(w("Q / A"), f"{count(log.questions)} / {count(log.answers)}"))
    if log.tasks_done or log.tasks_open:
        tasks = w("{done} done · {open} open", done=log.tasks_done, open=log.tasks_open)
        rows.append(_row(w("Tasks"), esc(tasks)))
    if log.keywords:
        rows.append(_row(w("Keywords"), keyword_links(log.keywords, uri, linker, aliases)))
    if log.days:
        days = " · ".join(f'<a href="#{esc(d.anchor)}">{esc(d.title)}</a>' for d in log.days)
        rows.append(_row(w("Days"), days))
    if not rows:
        return ""
    return '<div class="studylog-meta"><dl>' + " ".join(rows) + "</dl></div>"


def day_header(
    day: Day, uri: str, linker: Linker, aliases: Mapping[str, str], words: Words = ENGLISH
) -> str:
    parts = []
    if day.date:
        parts.append(f"<span>{esc(day.date.isoformat())}</span>")
    if day.questions is not None or day.answers is not None:
        qa = f"{words('Q/A')} {count(day.questions)} / {count(day.answers)}"
        parts.append(f"<span>{esc(qa)}</span>")
    if day.keywords:
        parts.append(f"<span>{keyword_links(day.keywords, uri, linker, aliases)}</span>")
    return '<div class="studylog-day-meta">' + " · ".join(parts) + "</div>" if parts else ""


@dataclass(frozen=True)
class BodyOptions:
    """How log bodies are rendered on this site (the glue fills it from the config)."""

    renderer: str = RENDERERS[0]  # one of studylog.settings.RENDERERS
    settings: BodySettings = field(default_factory=BodySettings)
    images: ImageFolders | None = None  # None: local images are left as written
    words: Words = ENGLISH  # the site's language, for the header's labels


def anchor_html(day: Day) -> str:
    return f'<a id="{esc(day.anchor)}" class="studylog-anchor"></a>'


class Page:
    """What rendering one log page needs besides the log."""

    def __init__(
        self,
        log: Log,
        uri: str,
        linker: Linker,
        results: Results,
        blocks: Mapping[int, Block],
        aliases: Mapping[str, str],
        options: BodyOptions,
    ) -> None:
        self.log, self.uri, self.linker = log, uri, linker
        self.results, self.blocks, self.aliases = results, blocks, aliases
        self.options = options
        self.snippets = {s.line: s for s in log.snippets}
        self.problems: list[Problem] = []
        self.images: dict[str, str] = {}

    def runs(self, line: int) -> Snippet | None:
        """The snippet of the fence at file ``line`` when studylog runs it."""
        snippet = self.snippets.get(line)
        # Blocks that are not executed (exec="off", other languages) stay plain code.
        return snippet if snippet is not None and snippet.executable else None

    def snippet_parts(self, snippet: Snippet) -> tuple[str | None, str | None]:
        """The code a block shows (per ``show``) and its outputs' HTML (or None)."""
        block = self.blocks.get(snippet.line)
        show = (block or snippet).options.show
        code = block.code if block else snippet.code
        outputs = None
        if show in ("both", "output"):
            where = f"{snippet.path}:{snippet.line}"
            result = self.results.get(snippet.line)
            if result is None:
                outputs = missing_output(where)
            else:

                def asset_url(name: str) -> str:
                    return self.linker.href(self.uri, links.asset_uri(name))

                outputs = render_block(result[0], result[1], asset_url, where=where)
        return (code if show in ("both", "source") else None), outputs

    def day_parts(self, day: Day) -> tuple[str, str]:
        return anchor_html(day), day_header(
            day, self.uri, self.linker, self.aliases, self.options.words
        )

    def note(self, note: Note) -> None:
        line, cell = self.log.body_line + note.line, None
        if self.log.notebook is not None:  # a line of the notebook's document: its cell's
            cell, line = self.log.notebook.place(line)
        self.problems.append(
            Problem(self.log.path, line, note.message, note.hint, "warning", cell=cell)
        )

    def image_url(self, src: str, line: int) -> str:
        """The URL of a local image from this page, its copy noted; a missing one is
        reported and left as written."""
        folders = self.options.images
        found = folders.find(src, self.log.path) if folders is not None else None
        if found is None:
            if folders is not None:
                self.note(
                    Note(
                        line,
                        f"image {src} not found",
                        "put it beside the log, in the project, or in the folder "
                        "plugins.studylog.logs_assets_dir names",
                    )
                )
            return src
        if found.copy:
            self.images[found.uri] = str(found.path)
        tail = urlsplit(src).fragment
        href = quote(self.linker.href(self.uri, found.uri), safe="/.-_~")
        return f"{href}#{tail}" if tail else href


@functools.lru_cache(maxsize=512)
def _source(code: str, lang: str, options: str) -> str:
    return highlight.source(code, lang, options)


# What a page shows for one fence of its body instead of the usual (None: the usual).
FenceOverride = Callable[[FenceSlot], "str | None"]


def html_page(
    page: Page,
    body: PreparedBody,
    title: str,
    head: str,
    keep: Keep = compute,
    override: FenceOverride | None = None,
) -> Rendered:
    """The page of a body studylog rendered: header, day anchors, executed blocks (or
    what ``override`` shows for a fence) filled in, and its table of contents."""
    log = page.log
    days = {d.line - log.body_line: d for d in log.days}
    for note in body.notes:
        page.note(note)

    def fence(n: int) -> str:
        slot: FenceSlot = body.fences[n]
        shown = override(slot) if override is not None else None
        if shown is not None:
            return shown
        snippet = page.runs(log.body_line + slot.line) if slot.executable else None
        if snippet is None:
            return slot.html
        code, outputs = page.snippet_parts(snippet)
        lang, options = snippet.lang or "python", page.options.settings.highlight
        # Highlighting is the costly part of a warm build's log page: kept in the memo.
        shown = (
            keep(str, lambda: _source(code, lang, options), "source", code, lang, options)
            if code is not None
            else ""
        )
        return shown + (outputs or "")

    def anchor(line: int) -> str:
        return anchor_html(days[line]) if line in days else ""

    def meta(line: int) -> str:
        return page.day_parts(days[line])[1] if line in days else ""

    def image(n: int) -> str:
        ref = body.images[n]
        return esc(page.image_url(ref.src, ref.line))

    html = fill_body(body, {"f": fence, "a": anchor, "m": meta, "h": lambda _n: head, "i": image})
    toc = body.headings
    if not body.header_slot:
        slugs = Slugger()
        for heading in toc:
            slugs.reserve(heading.id)
        ident = slugs.reserve(github_slug(title) or "title")
        html = f'<h1 id="{esc(ident)}" class="studylog-title">{esc(title)}</h1>\n{head}\n{html}'
        toc = (Heading(1, ident, esc(title)), *toc)
    return Rendered(
        markdown="",
        html=html,
        toc=tuple(toc),
        title=esc(title),
        tags=tuple(esc(t) for t in log.tags),
        images=dict(page.images),
        problems=tuple(page.problems),
    )


def _markdown_page(page: Page, body: MarkdownBody, title: str, head: str) -> Rendered:
    for note in body.notes:
        page.note(note)
    markdown, slots = page_markdown(
        page.log,
        body,
        title=title,
        head=head,
        runs=page.runs,
        parts=page.snippet_parts,
        day_parts=page.day_parts,
    )
    return Rendered(
        markdown=markdown,
        slots=slots,
        title=esc(title),
        tags=tuple(esc(t) for t in page.log.tags),
        sanitize=True,
        nonce=body.nonce,
        problems=tuple(page.problems),
    )


def render_log(
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
) -> Rendered:
    """The page of ``log`` at ``uri``; ``results``/``blocks`` are keyed by fence line.

    ``keep`` looks the prepared body up before preparing it (a caller that keeps work
    between builds passes its own; see :mod:`studylog.render.keep`)."""
    options = options or BodyOptions()
    aliases = aliases or {}
    page = Page(log, uri, linker, results or {}, blocks or {}, aliases, options)
    title = log_title(log, options.words)
    head = header(log, uri, linker, aliases, week_pages or set(), options.words)
    settings = options.settings
    if options.renderer == "python-markdown":
        source = keep(
            MarkdownBody,
            lambda: prepare_markdown(log.body, settings.site),
            "markdown-body",
            log.body,
            settings.key(),
        )
        return _markdown_page(page, source, title, head)
    days = frozenset(d.line - log.body_line for d in log.days)
    prepared = keep(
        PreparedBody,
        lambda: prepare_body(log.body, settings, days),
        "body",
        log.body,
        settings.key(),
        repr(sorted(days)),
    )
    return html_page(page, prepared, title, head, keep)
