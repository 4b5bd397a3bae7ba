"""The Markdown of a log body, read with GitHub's rules and written in Material's markup.

markdown-it-py in CommonMark mode with GFM (tables, strikethrough, task lists,
autolinks, footnotes, alerts), dollar math, admonitions (``!!! note``,
``??? note``), kramdown attribute lists and ``markdown="1"``
(:mod:`studylog.render.kramdown`), emoji shortcodes and GitHub's heading ids.
Its output follows the markup Material styles: ``pymdownx.arithmatex`` math,
``pymdownx.details`` for collapsible admonitions, ``footnotes``' markup, and
every code block goes through :mod:`studylog.render.highlight`.

Places studylog fills in later (code blocks, day anchors, the page header,
local image paths) are written as *markers* (:mod:`studylog.render.markers`),
which no author text can produce.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.gfm import gfm_plugin

from studylog.emoji import emojize
from studylog.parse.outline import NestingGuard
from studylog.render import highlight, markers
from studylog.render.jekyll import Note
from studylog.render.kramdown import kramdown_plugin
from studylog.render.markers import FenceSlot, Heading
from studylog.render.slugs import Slugger, github_slug

ALERTS = {
    "note": "note",
    "tip": "tip",
    "important": "info",
    "warning": "warning",
    "caution": "danger",
}
_RAW_HEADING = re.compile(r"<(h[1-6])((?:\s[^>]*)?)>(.*?)</\1\s*>", re.I | re.S)
_ID_ATTR = re.compile(r"""\s+id\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_TAGS = re.compile(r"<[^>]*>")
_IMG_SRC = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_A_HREF = re.compile(r"""<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


@dataclass
class BodyState:
    """What one body's rendering collects, kept in markdown-it's ``env``."""

    nonce: str
    days: frozenset[int] = frozenset()  # body lines that start a day entry
    highlight: str = "{}"  # the site's pymdownx.highlight options (JSON)
    permalink: str = ""
    fences: list[FenceSlot] = field(default_factory=list)
    images: dict[str, int] = field(default_factory=dict)  # src -> first body line
    links: dict[str, int] = field(default_factory=dict)  # href -> first body line
    headings: list[Heading] = field(default_factory=list)
    placed_days: list[int] = field(default_factory=list)
    header_slot: bool = False  # the page header goes right after the body's own title
    notes: list[Note] = field(default_factory=list)

    def marker(self, kind: str, n: int) -> str:
        """This body's marker of place ``n`` of ``kind``."""
        return markers.marker(self.nonce, kind, n)


def state_of(env: EnvType) -> BodyState:
    """The :class:`BodyState` a render carries in markdown-it's ``env``."""
    state = env.get("studylog")
    if not isinstance(state, BodyState):
        raise TypeError("render with env={'studylog': BodyState(...)}")
    return state


def _placeholder(content: str, level: int, line: int | None = None) -> Token:
    token = Token("html_block", "", 0)
    token.content, token.level = content + "\n", level
    token.map = [line, line + 1] if line is not None else None
    return token


# -- core rules ------------------------------------------------------------------------------


def _inline(content: str, level: int, line: int) -> Token:
    token = Token("inline", "", 0)
    token.content, token.level, token.map, token.children = content, level, [line, line + 1], []
    return token


# What a place where days may start becomes: the tokens written instead of the ones at the
# place, and how many tokens of the stream they stand for.
Placed = tuple[list[Token], int]


def day_entries(state: StateCore) -> None:
    """Before inline parsing: an anchor marker before each day's first line, a meta
    marker after it; a day line inside a paragraph (``[Day1] 2021/08/09``) becomes a
    heading of its own, marked as studylog's (class ``studylog-day``)."""
    body = state_of(state.env)
    if not body.days:
        return
    tokens = state.tokens
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        place = _DAY_PLACES.get(tokens[i].type)
        placed = place(body, tokens, i) if place is not None else None
        if placed is None:
            out.append(tokens[i])
            i += 1
            continue
        out.extend(placed[0])
        i += placed[1]
    state.tokens = out


def _unplaced_days(body: BodyState, lines: Iterable[int]) -> list[int]:
    """The body lines among ``lines`` that start a day not placed yet."""
    return [n for n in lines if n in body.days and n not in body.placed_days]


def _marked(body: BodyState, days: list[int], level: int, tokens: Sequence[Token]) -> list[Token]:
    """``tokens`` as written, the anchor markers of ``days`` before them and their meta
    markers after them."""
    body.placed_days.extend(days)
    return [
        *(_placeholder(body.marker("a", n), level, n) for n in days),
        *tokens,
        *(_placeholder(body.marker("m", n), level, n) for n in days),
    ]


def _around_block(body: BodyState, tokens: Sequence[Token], i: int, span: int) -> Placed | None:
    """The ``span`` tokens of a block from ``tokens[i]``, marked around for the days that
    start on its lines."""
    token = tokens[i]
    inside = _unplaced_days(body, range(*token.map)) if token.map else []
    return (_marked(body, inside, token.level, tokens[i : i + span]), span) if inside else None


def _around_heading(body: BodyState, tokens: Sequence[Token], i: int) -> Placed | None:
    """A day line that starts a heading, or is inside one (a setext heading can run over
    several lines): the anchor goes before the heading, the day's details after it, and
    the heading stays as the author wrote it."""
    return _around_block(body, tokens, i, 3)


def _around_html(body: BodyState, tokens: Sequence[Token], i: int) -> Placed | None:
    """A day in an HTML heading (<h3>Day 1</h3>): around the block, left as written."""
    return _around_block(body, tokens, i, 1)


def _in_paragraph(body: BodyState, tokens: Sequence[Token], i: int) -> Placed | None:
    """A day that is its own paragraph of emphasis ("*08/10/2022*") or a list item's first
    line ("- 2019-01-01"): kept as written, marked around. A day line among other lines
    of a paragraph: the paragraph is split around it (:func:`_split_paragraph`)."""
    token = tokens[i]
    if not token.map or i + 2 >= len(tokens):
        return None
    inline = tokens[i + 1]
    lines = inline.content.split("\n")
    first = token.map[0]
    hits = [n - first for n in _unplaced_days(body, range(first, first + len(lines)))]
    if hits == [0] and len(lines) == 1 and _stands_alone(tokens, i, lines[0]):
        return _marked(body, [first], token.level, tokens[i : i + 3]), 3
    if hits:
        return _split_paragraph(body, token, inline, lines, hits), 3
    return None


_DAY_PLACES: dict[str, Callable[[BodyState, Sequence[Token], int], Placed | None]] = {
    "heading_open": _around_heading,
    "html_block": _around_html,
    "paragraph_open": _in_paragraph,
}


_WHOLE_EMPHASIS = re.compile(r"^(\*{1,3}|_{1,3})(?=\S).+(?<=\S)\1$")


def _stands_alone(tokens: Sequence[Token], i: int, line: str) -> bool:
    """Whether a one-line paragraph is a day's own line that a page shows as it is: all
    emphasis, or the first line of a list item."""
    if _WHOLE_EMPHASIS.match(line.strip()):
        return True
    return i > 0 and tokens[i - 1].type == "list_item_open"


def _split_paragraph(
    body: BodyState, p_open: Token, inline: Token, lines: list[str], hits: list[int]
) -> list[Token]:
    """A paragraph cut at each of its day lines (``hits``), each a heading of its own."""
    first = p_open.map[0] if p_open.map else 0
    out: list[Token] = []
    cuts = [-1, *hits, len(lines)]
    for n, k in enumerate(hits):
        out += _paragraph(p_open, lines[cuts[n] + 1 : k], first + cuts[n] + 1)
        out += _marked(
            body, [first + k], p_open.level, _day_heading(lines[k], first + k, p_open.level)
        )
    out += _paragraph(p_open, lines[hits[-1] + 1 :], first + hits[-1] + 1)
    return out


def _paragraph(like: Token, part: list[str], line: int) -> list[Token]:
    """The lines ``part`` (from body line ``line``) as a paragraph like ``like``; none
    when there are no lines."""
    if not part:
        return []
    start = Token("paragraph_open", "p", 1)
    end = Token("paragraph_close", "p", -1)
    start.level = end.level = like.level
    start.hidden = end.hidden = like.hidden
    start.map = [line, line + len(part)]
    return [start, _inline("\n".join(part), like.level + 1, line), end]


def _day_heading(text: str, line: int, level: int) -> list[Token]:
    """A day line as studylog's own heading (class ``studylog-day``)."""
    h_open = Token("heading_open", "h2", 1)
    h_open.level, h_open.map, h_open.markup = level, [line, line + 1], "##"
    h_open.attrSet("class", "studylog-day")
    h_open.meta["studylog_day"] = True
    h_close = Token("heading_close", "h2", -1)
    h_close.level, h_close.markup = level, "##"
    return [h_open, _inline(text.strip(), level + 1, line), h_close]


def emoji(state: StateCore) -> None:
    """A core rule: emoji shortcodes in text become their characters."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            if child.type == "text" and ":" in child.content:
                child.content = emojize(child.content)


def _text_of(children: Sequence[Token]) -> str:
    """A heading's text as the page shows it; a line break is a newline, which GitHub's
    ids drop (and a table of contents shows as a space)."""
    parts = []
    for child in children:
        if child.type in ("text", "code_inline", "text_special"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type in ("math_inline", "math_inline_double"):
            parts.append(child.content)
    return "".join(parts).strip()


def _name(text: str) -> str:
    return html.escape(" ".join(text.split()))


def _raw_headings(token: Token, slugger: Slugger, body: BodyState) -> None:
    def give_id(match: re.Match[str]) -> str:
        tag, attrs, inner = match.group(1), match.group(2), match.group(3)
        text = emojize(html.unescape(_TAGS.sub("", inner)).strip())
        ident = slugger.slug(text)
        if "data-toc-skip" not in attrs:
            body.headings.append(Heading(int(tag[1]), ident, _name(text)))
        return f'<{tag} id="{ident}"{_ID_ATTR.sub("", attrs)}>{inner}</{tag}>'

    token.content = _RAW_HEADING.sub(give_id, token.content)


def headings(state: StateCore) -> None:
    """GitHub's ids on every heading (Markdown and raw HTML, one numbering in page
    order); then studylog's day headings get ids that take none of GitHub's."""
    body = state_of(state.env)
    slugger = Slugger()
    days: list[tuple[Token, Token]] = []
    entries: list[tuple[Token, Heading]] = []
    tokens = state.tokens
    first_block = next((t for t in tokens if t.level == 0), None)
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[i + 1]
            if token.meta.get("studylog_day"):
                days.append((token, inline))
                continue
            text = _text_of(inline.children or [])
            ident = slugger.slug(text)
            token.attrSet("id", ident)
            entries.append((token, Heading(int(token.tag[1]), ident, _name(text))))
        elif token.type in ("html_block", "html_inline") and "<h" in token.content.lower():
            before = len(body.headings)
            _raw_headings(token, slugger, body)
            entries.extend((token, h) for h in body.headings[before:])
            del body.headings[before:]
    for token, inline in days:
        text = _text_of(inline.children or [])
        ident = slugger.reserve(github_slug(text) or "day")
        token.attrSet("id", ident)
        entries.append((token, Heading(2, ident, _name(text))))
    order = {id(t): n for n, t in enumerate(tokens)}
    body.headings.extend(h for _, h in sorted(entries, key=lambda e: order[id(e[0])]))
    if first_block is not None and first_block.type == "heading_open" and first_block.tag == "h1":
        close = tokens.index(first_block) + 2
        tokens.insert(close + 1, _placeholder(body.marker("h", 0), 0))
        body.header_slot = True


def images(state: StateCore) -> None:
    """Note where each image and link is first used, for warnings about missing files."""
    body = state_of(state.env)
    for token in state.tokens:
        line = token.map[0] if token.map else 0
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "image":
                    body.images.setdefault(str(child.attrGet("src") or ""), line)
                elif child.type == "link_open":
                    body.links.setdefault(str(child.attrGet("href") or ""), line)
                elif child.type == "html_inline":
                    _html_refs(child.content, line, body)
        elif token.type == "html_block":
            _html_refs(token.content, line, body)


def _html_refs(content: str, line: int, body: BodyState) -> None:
    lowered = content.lower()
    for pattern, found, tag in ((_IMG_SRC, body.images, "<img"), (_A_HREF, body.links, "<a")):
        if tag not in lowered:
            continue
        for match in pattern.finditer(content):
            src = html.unescape(next(g for g in match.groups() if g is not None))
            found.setdefault(src, line + content[: match.start()].count("\n"))


# -- render rules --------------------------------------------------------------------------


def _fence(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    body = state_of(env)
    info = token.info if token.type == "fence" else ""
    code = highlight.code_block(
        token.content, info, body.highlight, title=str(token.meta.get("title", ""))
    )
    line = token.map[0] if token.map else -1
    body.fences.append(FenceSlot(line, code))
    return body.marker("f", len(body.fences) - 1) + "\n"


def _math_inline(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return highlight.math_inline(tokens[idx].content.strip())


def _math_block(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return highlight.math_block(tokens[idx].content)


def _heading_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    body = state_of(env)
    opening = tokens[idx - 2] if idx >= 2 else None
    ident = opening.attrGet("id") if opening is not None else None
    link = ""
    if body.permalink and ident:
        link = (
            f'<a class="headerlink" href="#{html.escape(str(ident))}" '
            f'title="Permanent link">{html.escape(body.permalink)}</a>'
        )
    return f"{link}</{tokens[idx].tag}>\n"


def _admonition_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    if token.markup.startswith("?"):
        kind = html.escape(str(token.meta.get("tag", "note")))
        opened = " open" if token.markup.endswith("+") else ""
        return f'<details class="{kind}"{opened}>\n'
    return self.renderToken(tokens, idx, options, env)


def _when_folded(text: str) -> Any:
    """A render rule: ``text`` for the token of a collapsible admonition (``??? note``),
    markdown-it's own rendering for any other."""

    def rule(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        if tokens[idx].markup.startswith("?"):
            return text
        return self.renderToken(tokens, idx, options, env)

    return rule


def _admonition_title_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    opening = next((t for t in reversed(tokens[:idx]) if t.type == "admonition_title_open"), None)
    if opening is not None and opening.markup.startswith("?"):
        return "</summary>\n"
    return self.renderToken(tokens, idx, options, env)


def _alert_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    kind = ALERTS.get(str(tokens[idx].meta.get("kind", "note")).lower(), "note")
    return f'<div class="admonition {kind}">\n'


def _alert_title_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return '<p class="admonition-title">'


def _footnote_ids(token: Token) -> tuple[int, str]:
    """A footnote's number and the id of the reference to it (``fnref:1``, ``fnref:1:2``
    for its second reference), as Python-Markdown's footnotes write them."""
    n = token.meta["id"] + 1
    sub = token.meta.get("subId", -1)
    return n, f"fnref:{n}" + (f":{sub}" if sub > 0 else "")


def _footnote_ref(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    n, ref = _footnote_ids(tokens[idx])
    return f'<sup id="{ref}"><a class="footnote-ref" href="#fn:{n}">{n}</a></sup>'


def _footnote_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return f'<li id="fn:{tokens[idx].meta["id"] + 1}">'


def _footnote_anchor(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    n, ref = _footnote_ids(tokens[idx])
    return (
        f'&nbsp;<a class="footnote-backref" href="#{ref}" '
        f'title="Jump back to footnote {n} in the text">&#8617;&#xFE0E;</a>'
    )


def _literal(text: str) -> Any:
    def rule(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return text

    return rule


RULES: dict[str, Any] = {
    "fence": _fence,
    "code_block": _fence,
    "math_inline": _math_inline,
    "math_inline_double": _math_block,
    "math_block": _math_block,
    "math_block_label": _math_block,
    "heading_close": _heading_close,
    "admonition_open": _admonition_open,
    "admonition_close": _when_folded("</details>\n"),
    "admonition_title_open": _when_folded("<summary>"),
    "admonition_title_close": _admonition_title_close,
    "alert_open": _alert_open,
    "alert_close": _literal("</div>\n"),
    "alert_title_open": _alert_title_open,
    "alert_title_close": _literal("</p>\n"),
    "footnote_ref": _footnote_ref,
    "footnote_block_open": _literal('<div class="footnote">\n<hr>\n<ol>\n'),
    "footnote_block_close": _literal("</ol>\n</div>\n"),
    "footnote_open": _footnote_open,
    "footnote_anchor": _footnote_anchor,
}


@functools.cache
def markdown() -> MarkdownIt:
    """The one parser/renderer of log bodies (its per-body settings travel in ``env``)."""
    # The parser's nesting limit and guard (one owner: studylog.parse.outline): a construct
    # nested deeper is left out and the rest of the body is still rendered, never dropped.
    md = NestingGuard("commonmark").use(gfm_plugin)
    # Every link is parsed, as on GitHub (``[x](javascript:…)`` is the text "x", not the
    # source shown as text); whether its URL stays is the sanitizer's decision.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.use(
        dollarmath_plugin,
        allow_space=False,
        allow_digits=False,
        allow_blank_lines=False,
        double_inline=True,
    )
    md.use(admon_plugin)
    md.use(kramdown_plugin)
    md.core.ruler.after("markdown_in_html", "day_entries", day_entries)
    md.core.ruler.push("emoji", emoji)
    md.core.ruler.push("headings", headings)
    md.core.ruler.push("images", images)
    for name, rule in RULES.items():
        md.add_render_rule(name, rule)
    return md


def render(text: str, body: BodyState) -> str:
    """``text`` as HTML (not yet sanitized); what was found is recorded in ``body``."""
    html: str = markdown().render(text, {"studylog": body})
    return html
