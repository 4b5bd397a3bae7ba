"""One pass over markdown-it tokens: the text lines, headings, list items and fences of a log.

Rules (day headings, keywords, counts) are applied later to this outline, so
the token walk knows nothing about study logs. Every line number is the
1-based line in the file, front matter included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin


def make_parser() -> MarkdownIt:
    # Inline parsing is done per line, on demand (see ``_line_text``): on a 5 MB log
    # it is a third of the time, and most lines hold no markup at all.
    md = MarkdownIt("commonmark").use(front_matter_plugin)
    md.disable(["inline", "text_join"])
    return md


@dataclass(frozen=True)
class Line:
    """One line of inline text, markup removed (emphasis, code ticks, link targets)."""

    line: int
    text: str
    heading: int = 0  # heading level when the line belongs to a heading
    quoted: bool = False


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str
    depth: int  # list items enclosing it
    quoted: bool


@dataclass(frozen=True)
class Item:
    """A list item, with the first line of its text (for keyword sections and tasks)."""

    line: int
    depth: int  # 1 for a top-level item
    text: str


@dataclass(frozen=True)
class Fence:
    line: int
    token: Token


Event = Heading | Item


@dataclass
class Outline:
    lines: list[Line] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    fences: list[Fence] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # headings and items, in order
    front_matter: Token | None = None


# Characters that make markdown-it's inline output differ from the raw text.
_MARKUP = re.compile(r"[*_`\[\]!<&\\]")


def _line_text(md: MarkdownIt, raw: str) -> str:
    raw = raw.strip()
    if not _MARKUP.search(raw):
        return raw
    children: list[Token] = []
    md.inline.parse(raw, md, {}, children)
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type == "image":
            parts.append(child.content)  # the alt text
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def build(md: MarkdownIt, tokens: list[Token]) -> Outline:
    out = Outline()
    depth = 0  # open list items
    quotes = 0  # open blockquotes
    heading_level = 0
    item_waiting: int | None = None  # line of an item whose first text is not seen yet
    for token in tokens:
        kind = token.type
        if kind == "front_matter":
            out.front_matter = token
        elif kind == "list_item_open":
            depth += 1
            item_waiting = token.map[0] + 1 if token.map else None
        elif kind == "list_item_close":
            depth -= 1
            item_waiting = None
        elif kind == "blockquote_open":
            quotes += 1
        elif kind == "blockquote_close":
            quotes -= 1
        elif kind == "heading_open":
            heading_level = int(token.tag[1:])
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "inline" and token.map:
            first = token.map[0] + 1
            texts = [_line_text(md, raw) for raw in token.content.split("\n")]
            for offset, text in enumerate(texts):
                out.lines.append(Line(first + offset, text, heading_level, quotes > 0))
            if heading_level:
                heading = Heading(first, heading_level, " ".join(t for t in texts if t), depth,
                                  quotes > 0)
                out.headings.append(heading)
                out.events.append(heading)
            if item_waiting is not None:
                item = Item(item_waiting, depth, texts[0] if texts else "")
                out.items.append(item)
                out.events.append(item)
                item_waiting = None
        elif kind == "fence" and token.map:
            out.fences.append(Fence(token.map[0] + 1, token))
    return out
