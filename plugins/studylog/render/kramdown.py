"""kramdown's attribute lists and ``markdown="1"``, as Jekyll/Chirpy posts use them.

* A block attribute line ``{: .prompt-tip }`` directly after a block applies
  to that block; one directly before a block applies to the next one. Written
  right under a quote (lazily, without ``>``) it applies to the quote. Chirpy's
  ``prompt-tip|info|warning|danger`` on a quote make it a Material admonition.
* A span attribute list right after an image, link or code span
  (``![x](a.png){: w="700" .shadow }``) applies to it.
* Only what a page can use is applied — classes, ``id`` (not on headings,
  whose ids stay GitHub's), ``align``, ``width``/``height`` (Chirpy's ``w``/``h``),
  ``title``, ``alt``, ``style`` (the sanitizer keeps ``text-align`` of it) and a
  code block's ``file``/``title`` — everything else (``onclick=…``) is dropped;
  the line itself never shows as text.
* ``<div markdown="1">`` (any block tag): its content is read as Markdown, as
  kramdown reads it, even without the blank lines CommonMark would need.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

IAL_LINE = re.compile(r"^\s*\{:(?!:)([^{}]*)\}\s*$")
_SPAN_IAL = re.compile(r"\{:(?!:)([^{}\n]*)\}")
_ATTR = re.compile(r"""\.([\w-]+)|#([\w-]+)|([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'}]+))""")
APPLIED = frozenset({"class", "id", "align", "width", "height", "title", "alt", "style"})
RENAMED = {"w": "width", "h": "height"}
PROMPTS = {
    "prompt-tip": "tip",
    "prompt-info": "info",
    "prompt-warning": "warning",
    "prompt-danger": "danger",
}
# A line holding only HTML tags (``<summary>Answer</summary>``, ``</div>``): kramdown reads it
# as HTML and what follows as Markdown, where CommonMark would run the HTML on to a blank line.
_HTML_LINE = re.compile(r"^\s*(?:<[^>]+>\s*)+$|^\s*<([a-zA-Z][\w-]*)\b[^>]*>.*</\1>\s*$")
_MARKDOWN_ATTR = re.compile(
    r"""<([a-zA-Z][\w-]*)\b[^>]*?(\s+markdown\s*=\s*(["']?)(1|block|span)\3)[^>]*>"""
)

Attrs = dict[str, str]


def parse_attrs(text: str) -> tuple[list[str], Attrs]:
    """``.a .b #id key="v"`` -> (["a", "b"], {"id": "id", "key": "v"}) (keys lower-cased)."""
    classes: list[str] = []
    attrs: Attrs = {}
    for match in _ATTR.finditer(text):
        cls, ident, key = match.group(1), match.group(2), match.group(3)
        if cls:
            classes.append(cls)
        elif ident:
            attrs["id"] = ident
        elif key:
            value = next(v for v in match.group(4, 5, 6) if v is not None)
            attrs[RENAMED.get(key.lower(), key.lower())] = value
    return classes, attrs


def apply(token: Token, text: str) -> None:
    """Put the usable attributes of the attribute list ``text`` on ``token``."""
    classes, attrs = parse_attrs(text)
    if token.type == "fence":
        label = attrs.get("file") or attrs.get("title")
        if label:
            token.meta["title"] = label
        return
    for key, value in attrs.items():
        if key not in APPLIED or key == "class":
            continue
        if key == "id" and token.type == "heading_open":
            continue  # a heading keeps the id GitHub gives it: authors link to that
        if key in ("width", "height") and token.type == "paragraph_open":
            token.meta.setdefault("image", {})[key] = value  # for its image, if it is one
            continue
        token.attrSet(key, value)
    for name in classes:
        if name in PROMPTS:
            token.meta["prompt"] = PROMPTS[name]
        else:
            token.attrJoin("class", name)


# -- block attribute lines ------------------------------------------------------------------


def _open_of(tokens: list[Token], close: int) -> int:
    """The index of the token that opens the block closed at ``close``."""
    if tokens[close].nesting != -1:
        return close  # a single-token block (fence, hr, html_block)
    depth = 0
    for i in range(close, -1, -1):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    return close


def _previous_block(tokens: list[Token], start: int) -> int | None:
    """The block before ``tokens[start]`` at the same level, if it ends right above it."""
    i = start - 1
    if i < 0 or tokens[i].level != tokens[start].level or tokens[i].nesting == 1:
        return None
    return _open_of(tokens, i)


def _next_block(tokens: list[Token], end: int) -> int | None:
    i = end + 1
    if i < len(tokens) and tokens[i].level == tokens[end].level and tokens[i].nesting != -1:
        return i
    return None


def _enclosing(tokens: list[Token], index: int, kind: str) -> int | None:
    level = tokens[index].level
    for i in range(index - 1, -1, -1):
        if tokens[i].nesting == 1 and tokens[i].level < level:
            if tokens[i].type == kind:
                return i
            level = tokens[i].level
    return None


def _is_lazy(lines: list[str], line: int) -> bool:
    return 0 <= line < len(lines) and not lines[line].lstrip().startswith(">")


def block_attributes(state: StateCore) -> None:
    """Core rule (after ``block``): apply and remove block attribute lines."""
    tokens = state.tokens
    source = state.src.split("\n")
    i = 0
    while i < len(tokens):
        i = _paragraph_attributes(tokens, i, source) if _has_attribute_lines(tokens, i) else i + 1


def _has_attribute_lines(tokens: list[Token], i: int) -> bool:
    """Whether ``tokens[i]`` is the text of a paragraph with an attribute line in it."""
    token = tokens[i]
    if token.type != "inline" or i == 0 or tokens[i - 1].type != "paragraph_open":
        return False
    return any(IAL_LINE.match(line) for line in token.content.split("\n"))


def _split_lines(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(the attribute lists of the paragraph's leading attribute lines, its text, those of
    its trailing ones). An attribute line in mid-paragraph is dropped from the text, so it
    never shows."""
    head: list[str] = []
    while lines and (found := IAL_LINE.match(lines[0])):
        head.append(found.group(1))
        lines = lines[1:]
    tail: list[str] = []
    while lines and (found := IAL_LINE.match(lines[-1])):
        tail.insert(0, found.group(1))
        lines = lines[:-1]
    return head, [line for line in lines if not IAL_LINE.match(line)], tail


def _paragraph_attributes(tokens: list[Token], i: int, source: list[str]) -> int:
    """Apply the attribute lines of the paragraph whose text is ``tokens[i]``; the index
    to go on from."""
    token, para = tokens[i], i - 1
    start_line = token.map[0] if token.map else -1
    head, lines, tail = _split_lines(token.content.split("\n"))
    # Written right under a block, with no blank line between: the lines above belong to it.
    above = start_line > 0 and source[start_line - 1].strip() != ""
    before = _previous_block(tokens, para)
    if not lines:
        # A paragraph of attribute lines only: it belongs to the block right above it,
        # or else to the block right below it.
        target = before if above else _next_block(tokens, i + 1)
        if target is not None:
            for text in head + tail:
                apply(tokens[target], text)
        del tokens[para : i + 2]
        return para
    token.content = "\n".join(lines)
    owner = before if before is not None and above else para
    for text in head:
        apply(tokens[owner], text)
    for text in tail:
        apply(tokens[_tail_owner(tokens, para, source)], text)
    return i + 1


def _tail_owner(tokens: list[Token], para: int, source: list[str]) -> int:
    """Attribute lines after a paragraph's text apply to it; written lazily under a quote
    (without ``>``), to the quote."""
    quote = _enclosing(tokens, para, "blockquote_open")
    text = tokens[para + 1]
    end_line = text.map[1] - 1 if text.map else -1
    return quote if quote is not None and _is_lazy(source, end_line) else para


def _title(kind: str) -> Token:
    title = Token("html_block", "", 0)
    title.content = f'<p class="admonition-title">{kind.capitalize()}</p>\n'
    return title


def prompts(state: StateCore) -> None:
    """Core rule: quotes with a Chirpy prompt class become admonitions of that type (a
    prompt class on a paragraph outside any quote boxes that paragraph)."""
    tokens = state.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.meta.pop("prompt", None) if token.meta else None
        if kind and token.type == "paragraph_open":
            quote = _enclosing(tokens, i, "blockquote_open")
            if quote is not None:
                tokens[quote].meta["prompt"] = kind
                i = quote
                continue
            close = _close_of(tokens, i)
            box = Token("admonition_open", "div", 1)
            box.attrSet("class", f"admonition {kind}")
            tokens[close + 1 : close + 1] = [Token("admonition_close", "div", -1)]
            tokens[i:i] = [box, _title(kind)]
            i += 3
            continue
        if kind and token.type == "blockquote_open":
            close = _close_of(tokens, i)
            for index, kind_name in ((i, "admonition_open"), (close, "admonition_close")):
                tokens[index].type, tokens[index].tag = kind_name, "div"
            token.attrs.pop("class", None)
            token.attrSet("class", f"admonition {kind}")
            tokens[i + 1 : i + 1] = [_title(kind)]
        i += 1


def _close_of(tokens: list[Token], open_index: int) -> int:
    depth = 0
    for j in range(open_index, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def image_paragraphs(state: StateCore) -> None:
    """Core rule (after ``inline``): a size given to a paragraph that is one image goes to
    the image, where a page can use it."""
    tokens = state.tokens
    for i, token in enumerate(tokens[:-1]):
        size = token.meta.get("image") if token.type == "paragraph_open" else None
        children = tokens[i + 1].children or []
        images = [c for c in children if c.type == "image"]
        if size and len(images) == 1:
            for key, value in size.items():
                images[0].attrSet(key, value)


# -- span attribute lists -----------------------------------------------------------------

_SPAN_TARGETS = ("image", "link_close", "code_inline")


def span_attributes(state: StateInline, silent: bool) -> bool:
    """Inline rule: ``{: …}`` after an image, link or code span applies to it; elsewhere
    it is dropped (kramdown would not show it either)."""
    if not state.src.startswith("{:", state.pos):
        return False
    match = _SPAN_IAL.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        last = state.tokens[-1] if state.tokens and not state.pending else None
        if last is not None and last.type in _SPAN_TARGETS:
            target = last
            if last.type == "link_close":
                target = next((t for t in reversed(state.tokens) if t.type == "link_open"), last)
            apply(target, match.group(1))
    state.pos = match.end()
    return True


# -- markdown="1" ---------------------------------------------------------------------------


def markdown_in_html(md: MarkdownIt) -> Callable[[StateCore], None]:
    """A core rule: the inside of an HTML block with ``markdown="1"`` is Markdown."""

    def rule(state: StateCore) -> None:
        tokens = state.tokens
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.type != "html_block" or "markdown" not in token.content:
                i += 1
                continue
            found = _MARKDOWN_ATTR.search(token.content)
            if found is None:
                i += 1
                continue
            tag, mode = found.group(1), found.group(4)
            content = token.content
            opening = content[: found.start(2)] + content[found.end(2) : found.end()]
            rest = content[found.end() :]
            close = rest.lower().rfind(f"</{tag.lower()}")
            inner, closing = (rest[:close], rest[close:]) if close >= 0 else (rest, "")
            first_line = (token.map[0] if token.map else 0) + content[: found.end()].count("\n")
            new: list[Token] = []
            head = Token("html_block", "", 0)
            head.content, head.map, head.level = opening + "\n", token.map, token.level
            new.append(head)
            if mode == "span":
                inline = Token("inline", "", 0)
                inline.content, inline.map, inline.children = inner.strip(), token.map, []
                new.append(inline)
            else:
                inner_tokens: list[Token] = []
                md.block.parse(_separate_html(inner), md, state.env, inner_tokens)
                for inner_token in inner_tokens:
                    inner_token.level += token.level
                    if inner_token.map:
                        inner_token.map = [
                            inner_token.map[0] + first_line,
                            inner_token.map[1] + first_line,
                        ]
                new.extend(inner_tokens)
            if closing:
                tail = Token("html_block", "", 0)
                tail.content, tail.map, tail.level = closing, token.map, token.level
                new.append(tail)
            tokens[i : i + 1] = new
            i += 1  # the inner tokens are looked at too (nested markdown="1")

    return rule


def _separate_html(inner: str) -> str:
    """The content of a ``markdown="1"`` element, dedented, with a blank line after each
    line of HTML, so the Markdown after it is read as Markdown."""
    lines = textwrap.dedent(inner.strip("\n")).split("\n")
    out: list[str] = []
    for n, line in enumerate(lines):
        out.append(line)
        following = lines[n + 1] if n + 1 < len(lines) else ""
        if _HTML_LINE.match(line) and following.strip() and not _HTML_LINE.match(following):
            out.append("")
    return "\n".join(out)


def kramdown_plugin(md: MarkdownIt) -> None:
    """kramdown's attribute lists, ``markdown="1"`` and Chirpy's prompts."""
    md.core.ruler.after("block", "markdown_in_html", markdown_in_html(md))
    md.core.ruler.after("markdown_in_html", "block_attributes", block_attributes)
    md.core.ruler.after("block_attributes", "prompts", prompts)
    md.core.ruler.after("inline", "image_paragraphs", image_paragraphs)
    md.inline.ruler.before("text", "span_attributes", span_attributes)
