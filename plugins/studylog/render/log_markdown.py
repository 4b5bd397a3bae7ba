"""A log page left to the site's Python-Markdown (``logs_renderer: python-markdown``).

The page is the log's own Markdown (Liquid translated) with studylog's parts in
slots: the header after the title, day anchors, and each executed block's
source and outputs. MkDocs converts it with the site's ``markdown_extensions``;
the glue then sanitizes the page's HTML with the same allowlist as every log
body (:mod:`studylog.render.sanitize`) and only afterwards fills the slots,
whose markers carry a nonce the log cannot know.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from studylog.model import Day, Log, Snippet
from studylog.render.body import nonce_for
from studylog.render.jekyll import Note, Site, unliquid
from studylog.render.slots import Slots
from studylog.render.text import md_text


@dataclass(frozen=True)
class Span:
    """A top-level block of a body: its token type and tag, and its lines ``[start, end)``."""

    type: str
    tag: str
    start: int
    end: int
    fence: str = ""  # a fence's opening line, rewritten to its language alone


@dataclass(frozen=True)
class MarkdownBody:
    lines: tuple[str, ...]  # the body's lines, Liquid translated
    spans: tuple[Span, ...]  # its top-level blocks, in order
    nonce: str
    notes: tuple[Note, ...]


def prepare_markdown(body: str, site: Site | None = None) -> MarkdownBody:
    """Parse ``body`` once: its lines and the place of its top-level blocks."""
    from markdown_it import MarkdownIt  # here: a warm build takes this from the memo

    text, notes = unliquid(body, site)
    tokens = MarkdownIt("commonmark").parse(text)
    spans = tuple(
        Span(
            tok.type,
            tok.tag,
            tok.map[0],
            tok.map[1],
            _opening(tok.markup, tok.info) if tok.type == "fence" else "",
        )
        for tok in tokens
        if tok.map is not None and tok.level == 0
    )
    return MarkdownBody(tuple(text.split("\n")), spans, nonce_for(body), tuple(notes))


def _opening(markup: str, info: str) -> str:
    """A fence's opening line with its language only: attributes that Python-Markdown's
    fences do not understand (``exec="off"``, ``foo bar``) would turn it into text."""
    from studylog.parse.fences import parse_info

    lang = parse_info(info).lang
    return markup + (lang if lang.replace("-", "").replace("+", "").isalnum() else "")


def _fence(code: str, lang: str) -> list[str]:
    ticks = "```"
    while ticks in code:
        ticks += "`"
    return [f"{ticks}{lang}", *code.rstrip("\n").split("\n"), ticks]


SnippetParts = Callable[[Snippet], tuple[str | None, str | None]]  # (code shown, outputs HTML)


def page_markdown(
    log: Log,
    body: MarkdownBody,
    *,
    title: str,
    head: str,
    runs: Callable[[int], Snippet | None],
    parts: SnippetParts,
    day_parts: Callable[[Day], tuple[str, str]],
) -> tuple[str, dict[str, str]]:
    """The page's Markdown and its slots."""
    slots = Slots(body.nonce)
    lines = list(body.lines)
    edits: list[tuple[int, int, list[str]]] = []  # applied bottom-up so indexes hold
    block_starts: dict[int, tuple[str, int]] = {}
    first_h1: tuple[int, int] | None = None
    for span in body.spans:
        if span.type in ("heading_open", "paragraph_open"):
            block_starts.setdefault(span.start, (span.type, span.end))
        if span.type == "heading_open" and span.tag == "h1" and first_h1 is None:
            first_h1 = (span.start, span.end)
        if span.type == "fence":
            snippet = runs(log.body_line + span.start)
            if snippet is not None:
                code, outputs = parts(snippet)
                new = _fence(code, snippet.lang or "python") if code is not None else []
                if outputs is not None:
                    new += slots.add(outputs).split("\n")
                edits.append((span.start, span.end, new))
            elif span.fence:
                edits.append((span.start, span.start + 1, [span.fence]))
    for day in log.days:
        start = day.line - log.body_line
        if not 0 <= start < len(lines):
            continue
        anchor_html, meta = day_parts(day)
        anchor = slots.add(anchor_html).split("\n")
        meta_lines = slots.add(meta).split("\n") if meta else []
        kind, end = block_starts.get(start, ("paragraph_open", start + 1))
        if kind == "heading_open":
            edits.append((start, start, anchor))
            edits.append((end, end, meta_lines))
        else:
            edits.append((start, start + 1, [*anchor, f"## {lines[start].strip()}", *meta_lines]))
    head_lines = slots.add(head).split("\n") if head else []
    has_title = first_h1 is not None and all(not lines[j].strip() for j in range(first_h1[0]))
    if has_title and first_h1 is not None:
        edits.append((first_h1[1], first_h1[1], head_lines))
    else:
        edits.append((0, 0, [f"# {md_text(title)}", "", *head_lines]))
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[start:end] = new
    return "\n".join(lines) + "\n", slots.fragments
