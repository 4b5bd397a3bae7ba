"""A log page left to the site's Python-Markdown (``logs_renderer: python-markdown``).

The page is the log's own Markdown (Liquid translated) with what its
:class:`~studylog.render.plan.PagePlan` adds, in slots: the header after the
title, day anchors, and each executed block's source and outputs. MkDocs
converts it with the site's ``markdown_extensions``; the glue then sanitizes
the page's HTML with the same allowlist as every log body
(:mod:`studylog.render.sanitize`) and only afterwards fills the slots, whose
markers carry a nonce the log cannot know.
"""

from __future__ import annotations

from dataclasses import dataclass

from studylog.render.jekyll import Note, SiteAddress, unliquid
from studylog.render.markers import nonce_for
from studylog.render.plan import DayPlan, PagePlan
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
    """A body read once for Python-Markdown: its lines and top-level blocks."""

    lines: tuple[str, ...]  # the body's lines, Liquid translated
    spans: tuple[Span, ...]  # its top-level blocks, in order
    nonce: str
    notes: tuple[Note, ...]


def prepare_markdown(body: str, site: SiteAddress | None = None) -> MarkdownBody:
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


def page_markdown(plan: PagePlan, body: MarkdownBody) -> str:
    """The page's Markdown as ``plan`` says; its slots are ``plan.slots``."""
    slots = plan.slots
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
            edits.extend(_fence_edit(plan, span, slots))
    for day in plan.days:
        if 0 <= day.line < len(lines):
            edits.extend(_day_edits(day, lines, block_starts, slots))
    head_lines = _lines(slots.add(plan.header)) if plan.header else []
    has_title = first_h1 is not None and all(not lines[j].strip() for j in range(first_h1[0]))
    if has_title and first_h1 is not None:
        edits.append((first_h1[1], first_h1[1], head_lines))
    else:
        edits.append((0, 0, [f"# {md_text(plan.title)}", "", *head_lines]))
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[start:end] = new
    return "\n".join(lines) + "\n"


Edit = tuple[int, int, list[str]]  # lines [start, end) of the body replaced by these


def _lines(placeholder: str) -> list[str]:
    return placeholder.split("\n")


def _fence_edit(plan: PagePlan, span: Span, slots: Slots) -> list[Edit]:
    """A fence studylog runs becomes its code and its slot; another keeps its language only."""
    shown = plan.fences.get(span.start)
    if shown is None:
        return [(span.start, span.start + 1, [span.fence])] if span.fence else []
    new = _fence(shown.code, shown.lang) if shown.code is not None else []
    if shown.slot is not None:
        new += _lines(slots.placeholder(shown.slot))
    return [(span.start, span.end, new)]


def _day_edits(
    day: DayPlan, lines: list[str], block_starts: dict[int, tuple[str, int]], slots: Slots
) -> list[Edit]:
    """The day's anchor before its heading and its facts after it; a day written as a line
    of a paragraph becomes a heading of its own."""
    anchor = _lines(slots.add(day.anchor))
    meta = _lines(slots.add(day.meta)) if day.meta else []
    kind, end = block_starts.get(day.line, ("paragraph_open", day.line + 1))
    if kind == "heading_open":
        return [(day.line, day.line, anchor), (end, end, meta)]
    return [(day.line, day.line + 1, [*anchor, f"## {lines[day.line].strip()}", *meta])]
