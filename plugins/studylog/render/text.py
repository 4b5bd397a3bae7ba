"""Escaping for everything a log contributes to a page.

Logs are untrusted text as far as the site is concerned: titles, keywords and
tags are HTML-escaped (and Markdown-escaped where they go through Markdown),
and raw HTML in a log's body is escaped except for a few harmless,
attribute-free tags that study logs commonly use (``<br>``, ``<sub>``...).
HTML comments are dropped: they are notes to the author, not page content.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# Tags kept as HTML when written without attributes; anything else (``<script>``,
# ``<img onerror=...>``, comments) is shown as text.
SAFE_TAGS = frozenset(
    {"b", "i", "u", "s", "em", "strong", "small", "sub", "sup", "kbd", "mark", "br", "hr"}
    | {"p", "span", "del", "ins", "details", "summary", "code"}
)
_TAG = re.compile(r"<[^<>]*>?")
_SAFE = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\s*/?>")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|~$])")


def esc(text: object) -> str:
    """HTML-escape, quotes included (safe in text and attribute values)."""
    return html.escape(str(text), quote=True)


def md_text(text: object) -> str:
    """Text placed into generated Markdown: HTML-escaped, Markdown specials backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", esc(text))


def _escape_tag(match: re.Match[str]) -> str:
    tag = match.group(0)
    if tag.startswith("<!--") and tag.endswith("-->"):
        return ""  # an author's comment (e.g. template hints): dropped, never shown
    safe = _SAFE.fullmatch(tag)
    if safe and safe.group(1).lower() in SAFE_TAGS:
        return tag
    return html.escape(tag, quote=False)


def escape_html_fragment(fragment: str) -> str:
    """Escape every tag of a raw HTML fragment that is not a safe, attribute-free tag."""
    return _TAG.sub(_escape_tag, fragment)


@functools.cache
def _commonmark() -> MarkdownIt:
    # Imported on first use: a warm build takes every parsed body from the memo.
    from studylog.parse.outline import NestingGuard

    return NestingGuard("commonmark")


def parse_commonmark(body: str, env: dict[str, object] | None = None) -> list[Token]:
    """The body's tokens; a construct nested past the parser's limit is left out (its line
    range in ``env``, see :func:`studylog.parse.outline.too_deep_spans`)."""
    return _commonmark().parse(body, {} if env is None else env)


def sanitize_markdown(body: str, tokens: Sequence[Token] | None = None) -> str:
    """The body with its raw HTML (blocks and inline) escaped, line structure unchanged.

    markdown-it finds the HTML exactly where a CommonMark renderer would treat
    it as HTML (not in code spans or fences), and the block's line map says
    which source lines to rewrite. ``tokens``: the body already parsed by
    :func:`parse_commonmark`, so a caller that needs them too parses once.
    """
    from studylog.parse.outline import too_deep_spans

    lines = body.split("\n")
    env: dict[str, object] = {}
    if tokens is None:
        tokens = parse_commonmark(body, env)
    for start, end in too_deep_spans(env):  # not read as Markdown: shown as text only
        for i in range(start, min(end, len(lines))):
            lines[i] = html.escape(lines[i], quote=False)
    for token in tokens:
        if token.map is None:
            continue
        start, end = token.map
        if token.type == "html_block" and token.content.lstrip().startswith("<!--"):
            # A comment block: dropped (its lines kept empty so line numbers hold).
            for i in range(start, min(end, len(lines))):
                lines[i] = ""
        elif token.type == "html_block":
            for i in range(start, min(end, len(lines))):
                lines[i] = escape_html_fragment(lines[i])
        elif token.type == "inline" and token.children:
            fragments = {c.content for c in token.children if c.type == "html_inline"}
            for fragment in fragments:
                fixed = escape_html_fragment(fragment)
                if fixed == fragment:
                    continue
                for i in range(start, min(end, len(lines))):
                    lines[i] = lines[i].replace(fragment, fixed)
    return "\n".join(lines)


class Span(NamedTuple):
    """A top-level block of a body: its token type and tag, and its lines ``[start, end)``."""

    type: str
    tag: str
    start: int
    end: int


class PreparedBody(NamedTuple):
    lines: tuple[str, ...]  # the body's lines, raw HTML escaped (:func:`sanitize_markdown`)
    spans: tuple[Span, ...]  # its top-level blocks, in order


def prepare_body(body: str) -> PreparedBody:
    """Parse ``body`` once: its sanitized lines and the place of its top-level blocks."""
    from studylog.parse.outline import too_deep_spans

    env: dict[str, object] = {}
    tokens = parse_commonmark(body, env)
    spans = tuple(
        Span(tok.type, tok.tag, tok.map[0], tok.map[1])
        for tok in tokens if tok.map is not None and tok.level == 0
    )
    lines = sanitize_markdown(body, tokens).split("\n")
    for start, end in too_deep_spans(env):  # not read as Markdown: shown as text only
        for i in range(start, min(end, len(lines))):
            lines[i] = html.escape(lines[i], quote=False)
    return PreparedBody(tuple(lines), spans)
