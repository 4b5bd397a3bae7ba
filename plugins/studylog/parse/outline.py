"""One pass over markdown-it tokens: the text lines, headings, list items and fences of a log.

Rules (day headings, keywords, counts) are applied later to this outline, so
the token walk knows nothing about study logs. Every line number is the
1-based line in the file, front matter included.

Headings come in every form a page shows as one: ATX (``## Day 3``) and setext
headings, HTML headings (``<h3>Day 1 - Sunday, July 8th, 2018</h3>``, also inside
``<details>`` or ``<center>``) and the title of a folded section
(``<summary>Day 3</summary>``). Beside them the outline keeps *marks*: lines that
stand out the way a heading does without being one, where logs also start their
entries: a paragraph of one line that is all emphasis (``*08/10/2022, 8:40 am*``,
``**Day 3**``) or all date (``2023-01-09``), and the first line of a top-level list
item that holds a nested list (``- 2019-01-01`` over the day's bullets). Which of them
start a day is decided later (:mod:`studylog.parse.days`), from what they say.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from markdown_it.utils import EnvType
from mdit_py_plugins.front_matter import front_matter_plugin

# Block nesting (a list level counts two: the list and its item) that markdown-it follows;
# markdown-it's "default" preset uses the same. Past it, markdown-it drops everything
# up to the end of the document: ``NestingGuard`` reports the place and reads on.
MAX_NESTING = 100
DEEP_KEY = "studylog_too_deep"  # where the block parser notes the lines it gave up on
SPANS_KEY = "studylog_too_deep_spans"  # [start, end) of each blanked construct, 0-based


class NestingGuard(MarkdownIt):
    """A MarkdownIt whose ``parse`` survives nesting past ``maxNesting``.

    markdown-it stops at such a block and skips the rest of the *document*
    (keywords, counts, later days and snippets would silently vanish). Here the
    too-deep construct is blanked (its lines kept, so line numbers hold) and the
    text read again; the lines where it started are in ``env[DEEP_KEY]`` and the
    blanked line ranges in ``env[SPANS_KEY]``.
    """

    def __init__(self, config: str = "commonmark") -> None:
        super().__init__(config, {"maxNesting": MAX_NESTING})
        tokenize = self.block.tokenize

        def watched(state: StateBlock, start: int, end: int) -> None:
            if state.level >= state.md.options.maxNesting:
                line = state.skipEmptyLines(start)
                if line < end:
                    state.env.setdefault(DEEP_KEY, []).append(line)
            tokenize(state, start, end)

        self.block.tokenize = watched  # type: ignore[method-assign,assignment]

    def parse(self, src: str, env: EnvType | None = None) -> list[Token]:
        env = {} if env is None else env
        for _ in range(8):  # a few separate deep constructs; more are left as they are
            seen: list[int] = []
            tokens = super().parse(src, {**env, DEEP_KEY: seen})
            if not seen:
                break
            deep = env.setdefault(DEEP_KEY, [])
            lines = src.split("\n")
            start = min(seen)
            end = _construct_end(lines, start)
            deep.append(start + 1)
            env.setdefault(SPANS_KEY, []).append((start, end))
            lines[start:end] = [""] * (end - start)
            src = "\n".join(lines)
        return tokens


_MARKER = re.compile(r"[>*+-]|\d{1,9}[.)]")


def _construct_end(lines: list[str], start: int) -> int:
    """Where the nested construct holding line ``start`` ends: at the first line that is
    neither blank, indented, nor a quote or list marker at the margin."""
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if line.strip() and not line[0].isspace() and not _MARKER.match(line):
            return index
    return len(lines)


def too_deep(env: EnvType) -> list[int]:
    """The 1-based lines where nesting went past the limit, from a guarded parse's env."""
    found = env.get(DEEP_KEY, [])
    return sorted(set(found)) if isinstance(found, list) else []


def too_deep_spans(env: EnvType) -> list[tuple[int, int]]:
    """The 0-based ``[start, end)`` line ranges a guarded parse did not read."""
    found = env.get(SPANS_KEY, [])
    return list(found) if isinstance(found, list) else []


def nesting_message(line: int) -> tuple[str, str]:
    """The warning for a construct nested past the limit: (message, hint)."""
    return (
        f"lists or quotes are nested more than {MAX_NESTING // 2} levels deep here; "
        "what is inside is not read",
        "flatten the nesting; the rest of the log is read as usual",
    )


def make_parser() -> NestingGuard:
    # Inline parsing is done per line, on demand (see ``Line.text``): on a 5 MB log
    # it would double the time, and most lines are never looked at.
    md = NestingGuard()
    md.use(front_matter_plugin)
    md.disable(["inline", "text_join"])
    return md


class Line:
    """One line of inline text; ``text`` has the markup removed (emphasis, code ticks,
    link targets) and is computed on first use, since most lines are never asked."""

    __slots__ = ("_rough", "_text", "depth", "heading", "item", "line", "quoted", "raw", "start")

    def __init__(
        self,
        line: int,
        raw: str,
        heading: int = 0,
        quoted: bool = False,
        depth: int = 0,
        item: bool = False,
        start: bool = True,
    ) -> None:
        self.line = line
        self.raw = raw.strip()
        self.heading = heading  # heading level when the line belongs to a heading
        self.quoted = quoted
        self.depth = depth  # list items enclosing the line
        self.item = item  # the first line of a list item's text
        self.start = start  # the first line of its paragraph or heading
        self._text: str | None = None
        self._rough: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = plain_text(self.raw)
        return self._text

    @property
    def rough(self) -> str:
        """The raw line with markup characters dropped: a cheap stand-in for ``text``
        that rules use to skip lines none of them could match."""
        if self._rough is None:
            self._rough = _ROUGH.sub("", self.raw).strip()
        return self._rough

    def __repr__(self) -> str:
        return f"Line({self.line}, {self.raw!r})"


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str
    depth: int  # list items enclosing it
    quoted: bool
    # "heading" (ATX, setext), "html" (<h1>-<h6>), "summary" (<summary>); for marks:
    # "emphasis", "paragraph" (a line that is only a date), "item" (a list item's first line)
    form: str = "heading"

    @property
    def is_mark(self) -> bool:
        """A line that stands out like a heading without being one (see the module doc)."""
        return self.form in MARK_FORMS


MARK_FORMS = frozenset(("emphasis", "paragraph", "item"))


@dataclass(frozen=True)
class Item:
    """A list item, with the first line of its text (for keyword sections and tasks)."""

    line: int
    depth: int  # 1 for a top-level item
    first: Line

    @property
    def text(self) -> str:
        return self.first.text


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
    marks: list[Heading] = field(default_factory=list)  # lines that stand out, in order
    front_matter: Token | None = None

    def entries(self) -> list[Heading]:
        """Headings and marks in the order of the file: where an entry of a log may start."""
        return sorted((*self.headings, *self.marks), key=lambda h: h.line)


# Characters that make markdown-it's inline output differ from the raw text.
_MARKUP = re.compile(r"[*_`\[\]!<&\\]")
_ROUGH = re.compile(r"[*`~\\]|<[^>]*>|(?<!\w)_+|_+(?!\w)")
_INLINE = MarkdownIt("commonmark")
# A folded section's title: "<details><summary><b>Day 3</b></summary>", which logs on
# GitHub use for one day each. Read like a heading of the lowest level.
_SUMMARY = re.compile(r"<summary[^>]*>(.*?)</summary>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
SUMMARY_LEVEL = 6
# An HTML heading: what logs written for GitHub use instead of "###", often centred.
_HTML_HEADING = re.compile(r"<h([1-6])(?:\s[^>]*)?>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# A line that is one emphasis from end to end: "*08/10/2022*", "**Day 3**", "__Day 3__".
_EMPHASIS = re.compile(r"^(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1$")
# A line that is only a date with its year, written with digits: "2023-01-09", "2023.01.09.".
_DATE_LINE = re.compile(r"^\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}\.?$")


def plain_text(raw: str) -> str:
    """The text of one line of inline Markdown, as markdown-it's inline tokens give it.

    Lines are parsed one at a time so each keeps its line number (a code span
    across lines would otherwise merge two lines into one).
    """
    raw = raw.strip()
    if not _MARKUP.search(raw):
        return raw
    children: list[Token] = []
    _INLINE.inline.parse(raw, _INLINE, {}, children)
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type == "image":
            parts.append(child.content)  # the alt text
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def _html_headings(token: Token, depth: int, quoted: bool) -> list[Heading]:
    """The headings an HTML block shows: ``<h1>``-``<h6>`` and ``<summary>`` titles, each at
    its own line (comments are not shown, so nothing in them counts)."""
    assert token.map is not None
    content = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), token.content)
    found: list[Heading] = []
    for pattern, form in ((_HTML_HEADING, "html"), (_SUMMARY, "summary")):
        for match in pattern.finditer(content):
            line = token.map[0] + 1 + content.count("\n", 0, match.start())
            inner = match.group(2) if form == "html" else match.group(1)
            text = " ".join(_TAG.sub(" ", inner).split())
            level = int(match.group(1)) if form == "html" else SUMMARY_LEVEL
            if text:
                found.append(Heading(line, level, html_text(text), depth, quoted, form))
    return sorted(found, key=lambda h: h.line)


def html_text(text: str) -> str:
    """Text taken out of HTML, its character references read (``&nbsp;``, ``&amp;``)."""
    if "&" not in text:
        return text
    import html

    return " ".join(html.unescape(text).split())


def _mark(line: Line, depth: int, quoted: bool) -> Heading | None:
    """A paragraph's only line as a mark, when it is all emphasis or all date."""
    raw = line.raw
    if _EMPHASIS.match(raw):
        return Heading(line.line, 0, line.text, depth, quoted, "emphasis")
    if _DATE_LINE.match(raw):
        return Heading(line.line, 0, raw, depth, quoted, "paragraph")
    return None


class _Walk:
    """The state of one walk over the block tokens: what is open where the walk stands,
    and the outline found so far. One handler per token type moves it on."""

    def __init__(self) -> None:
        self.out = Outline()
        self.depth = 0  # open list items
        self.quotes = 0  # open blockquotes
        self.heading_level = 0
        self.item_waiting: int | None = None  # line of an item whose first text is not seen yet
        self.first_items: list[Item] = []  # each top-level item, to see if a list is nested in it
        self.paragraph_start = False

    def front_matter(self, token: Token) -> None:
        self.out.front_matter = token

    def item_open(self, token: Token) -> None:
        self.depth += 1
        self.item_waiting = token.map[0] + 1 if token.map else None

    def item_close(self, token: Token) -> None:
        self.depth -= 1
        self.item_waiting = None

    def quote_open(self, token: Token) -> None:
        self.quotes += 1

    def quote_close(self, token: Token) -> None:
        self.quotes -= 1

    def heading_open(self, token: Token) -> None:
        self.heading_level = int(token.tag[1:])

    def heading_close(self, token: Token) -> None:
        self.heading_level = 0

    def paragraph_open(self, token: Token) -> None:
        self.paragraph_start = True

    def inline(self, token: Token) -> None:
        if not token.map:
            return
        first = token.map[0] + 1
        quoted = self.quotes > 0
        lines = [
            Line(first + offset, raw, self.heading_level, quoted, self.depth, start=not offset)
            for offset, raw in enumerate(token.content.split("\n"))
        ]
        self.out.lines.extend(lines)
        if self.heading_level:
            text = " ".join(ln.text for ln in lines if ln.text)
            self._heading(Heading(first, self.heading_level, text, self.depth, quoted))
        elif self.paragraph_start and len(lines) == 1 and self.item_waiting is None:
            self._paragraph_mark(lines[0])
        self.paragraph_start = False
        if self.item_waiting is not None and lines:
            self._item(self.item_waiting, lines[0])

    def _heading(self, heading: Heading) -> None:
        self.out.headings.append(heading)
        self.out.events.append(heading)

    def _paragraph_mark(self, line: Line) -> None:
        """A paragraph of one line, a mark when it is all emphasis or all date."""
        mark = _mark(line, self.depth, self.quotes > 0)
        if mark is not None:
            self.out.marks.append(mark)

    def _item(self, line: int, first: Line) -> None:
        """The list item opened at ``line``, now that the first line of its text is seen."""
        first.item = True
        item = Item(line, self.depth, first)
        self.out.items.append(item)
        self.out.events.append(item)
        self.item_waiting = None
        if self.depth == 1 and not self.quotes:
            self.first_items.append(item)

    def html_block(self, token: Token) -> None:
        if not token.map or "<" not in token.content:
            return
        quoted = self.quotes > 0
        for heading in _html_headings(token, self.depth, quoted):
            self.out.lines.append(
                Line(heading.line, heading.text, heading.level, quoted, self.depth)
            )
            self._heading(heading)

    def fence(self, token: Token) -> None:
        if token.map:
            self.out.fences.append(Fence(token.map[0] + 1, token))

    def finish(self) -> Outline:
        self.out.marks.extend(_items_over_lists(self.out.items, self.first_items))
        self.out.marks.sort(key=lambda h: h.line)
        return self.out


_HANDLERS: dict[str, Callable[[_Walk, Token], None]] = {
    "front_matter": _Walk.front_matter,
    "list_item_open": _Walk.item_open,
    "list_item_close": _Walk.item_close,
    "blockquote_open": _Walk.quote_open,
    "blockquote_close": _Walk.quote_close,
    "heading_open": _Walk.heading_open,
    "heading_close": _Walk.heading_close,
    "paragraph_open": _Walk.paragraph_open,
    "inline": _Walk.inline,
    "html_block": _Walk.html_block,
    "fence": _Walk.fence,
}


def build(tokens: list[Token]) -> Outline:
    """The outline of a log from its block tokens (see the module doc)."""
    walk = _Walk()
    for token in tokens:
        handler = _HANDLERS.get(token.type)
        if handler is not None:
            handler(walk, token)
    return walk.finish()


def _items_over_lists(items: list[Item], first_items: list[Item]) -> list[Heading]:
    """The first line of each top-level list item that has a list nested in it."""
    nested = {i for i, item in enumerate(items) if item.depth == 2}
    index = {id(item): i for i, item in enumerate(items)}
    found = []
    for item in first_items:
        i = index[id(item)]
        if i + 1 in nested:
            found.append(Heading(item.first.line, 0, item.first.text, 1, False, "item"))
    return found
