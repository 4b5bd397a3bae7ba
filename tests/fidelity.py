"""Does a built log page show the structure GitHub shows for the same file?

GitHub's side is cmarkgfm (GitHub's own renderer) on the log's body (a Jekyll
post as Jekyll hands it to its GFM converter: site variables filled in, ``raw``
markers gone — what its author saw), with the
heading ids GitHub adds (computed here from each heading's text, the way
GitHub does: lower case, punctuation and emoji dropped, spaces to hyphens,
repeats numbered ``-1``, ``-2``). The page's side is the body of the built page,
without what studylog adds (its header, day anchors and day meta, snippet
outputs, the title it writes when the log has none, headings it makes of day
lines). Compared: list items, deepest list nesting, images, tables, headings
with their ids. Also checked on the page: no author tag shown as text, and no
kramdown attribute list or Liquid shown as text (code aside).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

from studylog.parse import parse_text

# What studylog adds to a log page around the author's body.
STUDYLOG_PARTS = frozenset(
    {
        "studylog-meta",
        "studylog-day-meta",
        "studylog-output",
        "studylog-anchor",
        "studylog-title",
        "studylog-day",
        "headerlink",
    }
)
VOID = frozenset({"img", "br", "hr", "input", "wbr", "col", "source", "meta", "link"})
_SHOWN_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_TEMPLATE = re.compile(r"\{:|\{%|\{\{")
_EMOJI = re.compile(r":([a-z0-9_+\-]+):")


@dataclass
class Shape:
    items: int = 0
    depth: int = 0
    images: int = 0
    tables: int = 0
    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, id)
    shown_tags: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)

    def structure(self) -> dict[str, object]:
        return {
            "list items": self.items,
            "deepest list": self.depth,
            "images": self.images,
            "tables": self.tables,
            "headings": self.headings,
        }


class _Reader(HTMLParser):
    def __init__(self, github: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.github = github
        self.shape = Shape()
        self.skip: list[str] = []  # open elements of a skipped part
        self.lists = 0
        self.code = 0  # open elements since a pre/code/math element started (0: not inside)
        self.heading: tuple[int, str | None, list[str]] | None = None
        self.raw_texts: list[tuple[int, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        if self.skip:
            if tag not in VOID:
                self.skip.append(tag)
            return
        if not self.github and classes & STUDYLOG_PARTS:
            if tag not in VOID:
                self.skip.append(tag)
            return
        if self.code:
            self.code += tag not in VOID
        elif tag in ("pre", "code") or "arithmatex" in classes:
            self.code = 1
        if tag in ("ul", "ol"):
            self.lists += 1
            self.shape.depth = max(self.shape.depth, self.lists)
        elif tag == "li":
            self.shape.items += 1
        elif tag == "img":
            self.shape.images += 1
        elif tag == "table":
            self.shape.tables += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.heading = (int(tag[1]), dict(attrs).get("id"), [])

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if self.skip[-1] == tag:
                self.skip.pop()
            return
        if self.code:
            self.code -= 1
        if tag in ("ul", "ol"):
            self.lists -= 1
        elif re.fullmatch(r"h[1-6]", tag) and self.heading is not None:
            level, ident, text = self.heading
            self.shape.headings.append((level, ident or ""))
            self.raw_texts.append((len(self.shape.headings) - 1, text))
            self.heading = None

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.heading is not None:
            self.heading[2].append(data)
        if self.code:
            return
        self.shape.shown_tags += _SHOWN_TAG.findall(data)
        self.shape.templates += [data.strip() for _ in _TEMPLATE.findall(data)]


def github_slug(text: str) -> str:
    """GitHub's heading id for ``text`` (the text as the page shows it, emoji included)."""
    kept = []
    for char in text.lower():
        category = unicodedata.category(char)
        if char in "-_ " or category[0] in "LMN" or category == "Pc":
            kept.append(char)
    return "".join(kept).replace(" ", "-")


def _emoji(text: str) -> str:
    from pymdownx.emoji import gemoji

    index = gemoji({}, None)

    def one(match: re.Match[str]) -> str:
        entry = index["emoji"].get(index["aliases"].get(match.group(0), match.group(0)))
        if not entry or not entry.get("unicode"):
            return match.group(0)
        return "".join(chr(int(p, 16)) for p in entry["unicode"].split("-"))

    return _EMOJI.sub(one, text)


def github_shape(body: str) -> Shape:
    html = cmarkgfm.github_flavored_markdown_to_html(
        body, options=Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
    )
    reader = _Reader(github=True)
    reader.feed(html)
    seen: dict[str, int] = {}
    ids = []
    for _, parts in reader.raw_texts:
        base = slug = github_slug(_emoji("".join(parts).strip()))
        while slug in seen:
            seen[base] += 1
            slug = f"{base}-{seen[base]}"
        seen[slug] = 0
        ids.append(slug)
    reader.shape.headings = [(level, ids[n]) for n, (level, _) in enumerate(reader.shape.headings)]
    return reader.shape


def page_shape(page_html: str) -> Shape:
    match = re.search(
        r'<article class="md-content__inner md-typeset">(.*?)</article>', page_html, re.S
    )
    assert match, "no article in the page"
    reader = _Reader(github=False)
    reader.feed(match.group(1))
    return reader.shape


_SITE_VARIABLE = re.compile(
    r"\{\{\s*(?:site\.(?:url|baseurl)|(['\"])([^'\"]*)\1\s*\|\s*"
    r"(?:relative|absolute)_url)\s*\}\}"
)
_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")


def log_body(text: str, path: str) -> str:
    body = parse_text(text, path).body
    body = _SITE_VARIABLE.sub(lambda m: m.group(2) or "", body)
    return _RAW.sub("", body)


@dataclass(frozen=True)
class Verdict:
    path: str
    github: dict[str, object]
    page: dict[str, object]
    shown_tags: tuple[str, ...]
    templates: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.github == self.page and not self.shown_tags and not self.templates

    def explain(self) -> str:
        lines = [f"{self.path}:"]
        for key, value in self.github.items():
            if self.page.get(key) != value:
                lines.append(f"  {key}: GitHub {value!r}, page {self.page.get(key)!r}")
        if self.shown_tags:
            lines.append(f"  author tags shown as text: {self.shown_tags}")
        if self.templates:
            lines.append(f"  attribute lists or Liquid shown as text: {self.templates}")
        return "\n".join(lines)


def compare(path: str, source: str, page_html: str) -> Verdict:
    github = github_shape(log_body(source, path))
    page = page_shape(page_html)
    return Verdict(
        path, github.structure(), page.structure(), tuple(page.shown_tags), tuple(page.templates)
    )
