"""Jekyll's Liquid in a log, read the way a Jekyll blog would show the post.

Logs copied from a Jekyll/Chirpy blog carry Liquid, which Jekyll runs before
Markdown: ``{% raw %}…{% endraw %}`` shows its content literally,
``{{ site.url }}``/``{{ site.baseurl }}`` (and ``'…' | relative_url``) are the
site's address, ``{% highlight py %}…{% endhighlight %}`` is a code block and
``{% comment %}`` hides text. studylog runs no Liquid: those forms are
translated, and every other tag or output (``{% include … %}``, ``{{ page.x }}``)
is removed with a warning naming its line, so it never shows as text.

The text keeps its lines (only their content changes), so every line number
found later still points into the file. Code is left alone — fenced and
indented blocks and inline code spans show Liquid as GitHub does — except for
the ``raw`` markers themselves, which only ever meant "do not run this".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

RAW_MARKER = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}|\{\{-?(.*?)-?\}\}")
_CODE_SPAN = re.compile(r"(`+)(?:.*?[^`])?\1(?!`)")
_SITE = re.compile(r"^\s*site\.(url|baseurl)\s*$")
_URL_FILTER = re.compile(
    r"""^\s*(?:(["'])(.*?)\1|site\.(url|baseurl))?\s*\|\s*(relative_url|absolute_url)\s*$"""
)
_HIGHLIGHT = re.compile(r"^\s*\{%-?\s*highlight\s+([\w#+.-]+)[^%]*-?%\}\s*$")
_END_HIGHLIGHT = re.compile(r"^\s*\{%-?\s*endhighlight\s*-?%\}\s*$")

HINT = (
    "Liquid is not run on logs: write the content itself, or wrap Liquid meant as text "
    "in {% raw %}…{% endraw %}"
)


@dataclass(frozen=True)
class SiteAddress:
    """The site's address as Jekyll's ``site.url`` and ``site.baseurl`` give it."""

    url: str = ""  # scheme and host, no trailing slash: https://me.github.io
    baseurl: str = ""  # path, no trailing slash: /blog

    @classmethod
    def from_site_url(cls, site_url: str | None) -> SiteAddress:
        """The address of a site from MkDocs' ``site_url``."""
        if not site_url:
            return cls()
        parts = urlsplit(site_url)
        url = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        return cls(url, parts.path.rstrip("/"))


@dataclass(frozen=True)
class Note:
    """A problem found while rendering a body; ``line`` counts from the body's first line (0)."""

    line: int
    message: str
    hint: str = ""


@functools.cache
def _blocks() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    md.disable(["inline", "text_join"])
    return md


def code_lines(text: str) -> set[int]:
    """The lines of ``text`` inside fenced or indented code blocks (fence lines included)."""
    lines: set[int] = set()
    for token in _blocks().parse(text):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(token.map[0], token.map[1]))
    return lines


class _Liquid:
    def __init__(self, site: SiteAddress) -> None:
        self.site = site
        self.raw = False
        self.comment = False
        self.notes: list[Note] = []

    def output(self, expr: str, line: int, whole: str) -> str:
        site = _SITE.match(expr)
        if site:
            return self.site.url if site.group(1) == "url" else self.site.baseurl
        url = _URL_FILTER.match(expr)
        if url:
            path = url.group(2) if url.group(2) is not None else ""
            if url.group(3) == "url":
                path = self.site.url + path
            elif url.group(3) == "baseurl":
                path = self.site.baseurl + path
            if path.startswith(("http://", "https://")):
                return path
            if path and not path.startswith("/"):
                path = "/" + path
            prefix = (
                self.site.baseurl
                if url.group(4) == "relative_url"
                else (self.site.url + self.site.baseurl)
            )
            return prefix + path
        self.notes.append(Note(line, f"Liquid output {whole} removed", HINT))
        return ""

    def segment(self, text: str, line: int) -> str:
        """Liquid in a stretch of text that is not code."""
        out: list[str] = []
        pos = 0
        for match in _TAG.finditer(text):
            if self.raw or self.comment:
                name = match.group(1)
                if self.raw and name == "endraw":
                    self.raw = False
                    out.append(text[pos : match.start()])
                elif self.comment and name == "endcomment":
                    self.comment = False
                elif self.raw:
                    out.append(text[pos : match.end()])
                pos = match.end()
                continue
            out.append(text[pos : match.start()])
            pos = match.end()
            name = match.group(1)
            if name == "raw":
                self.raw = True
            elif name == "comment":
                self.comment = True
            elif name is None:
                out.append(self.output(match.group(3), line, match.group(0).strip()))
            elif name != "endraw":
                self.notes.append(Note(line, f"Liquid tag {match.group(0).strip()} removed", HINT))
        if not self.comment:
            out.append(text[pos:])
        return "".join(out)

    def line(self, text: str, number: int) -> str:
        """One line outside code blocks: inline code spans are kept as they are."""
        if "{" not in text and not self.comment:
            return text
        out: list[str] = []
        pos = 0
        for span in _CODE_SPAN.finditer(text):
            out.append(self.segment(text[pos : span.start()], number))
            code = span.group(0)
            out.append("" if self.comment else RAW_MARKER.sub("", code))
            pos = span.end()
        out.append(self.segment(text[pos:], number))
        return "".join(out)


def unliquid(text: str, site: SiteAddress | None = None) -> tuple[str, list[Note]]:
    """``text`` with its Liquid translated or removed, and a note per removed tag."""
    if "{%" not in text and "{{" not in text:
        return text, []
    liquid = _Liquid(site or SiteAddress())
    code = code_lines(text)
    lines = text.split("\n")
    in_highlight = False
    for n, line in enumerate(lines):
        if in_highlight:
            if _END_HIGHLIGHT.match(line):
                lines[n] = "```"
                in_highlight = False
            continue
        if n in code:
            lines[n] = RAW_MARKER.sub("", line)
            continue
        start = _HIGHLIGHT.match(line)
        if start and not (liquid.raw or liquid.comment):
            lines[n] = "```" + start.group(1)
            in_highlight = True
            continue
        lines[n] = liquid.line(line, n)
    return "\n".join(lines), liquid.notes
