"""Generated pages are Markdown with *slots*: HTML fragments kept out of Markdown.

A slot is a placeholder on its own line. Markdown passes it through untouched,
and the glue swaps in the fragment after Markdown has run, so generated HTML
(snippet outputs, tables, charts) is never re-interpreted as Markdown.

Pages studylog writes itself use an HTML comment as placeholder. A log page
rendered by Python-Markdown (the ``logs_renderer: python-markdown`` option)
uses a text marker holding a nonce instead (see :mod:`studylog.render.body`),
because its HTML is sanitized — comments removed — before the slots are filled,
and a log cannot write a marker without knowing the nonce.

A log page rendered by studylog itself carries its final ``html`` and its
table of contents; MkDocs only sees its front matter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from studylog.model import Problem
from studylog.render.body import Heading

_SLOT = re.compile(r"<!-- studylog-slot-(\d+) -->")


@dataclass(frozen=True)
class Rendered:
    """A generated page: its Markdown, its slots, and metadata for the page."""

    markdown: str
    slots: Mapping[str, str] = field(default_factory=dict)
    title: str = ""  # HTML-escaped, as MkDocs themes print page titles unescaped
    tags: tuple[str, ...] = ()  # HTML-escaped, for Material's tags plugin
    # A log page rendered by studylog: the page body's final HTML and its headings.
    html: str | None = None
    toc: tuple[Heading, ...] = ()
    # A log page left to Python-Markdown: sanitize its HTML, then fill slots marked so.
    sanitize: bool = False
    nonce: str = ""
    images: Mapping[str, str] = field(default_factory=dict)  # site uri -> file to copy
    problems: tuple[Problem, ...] = ()


class Slots:
    def __init__(self, nonce: str = "") -> None:
        self.fragments: dict[str, str] = {}
        self.nonce = nonce

    def add(self, fragment: str) -> str:
        """Store a fragment; returns the placeholder block (blank lines around it)."""
        key = str(len(self.fragments))
        self.fragments[key] = fragment
        if self.nonce:
            return f"\n{marker(self.nonce, key)}\n"
        return f"\n<!-- studylog-slot-{key} -->\n"


def marker(nonce: str, key: str) -> str:
    return f"studylog{nonce}s{key}z"


def fill(html: str, slots: Mapping[str, str], nonce: str = "") -> str:
    """Replace every placeholder in rendered HTML by its fragment."""
    if not slots:
        return html

    def put(match: re.Match[str]) -> str:
        return slots.get(match.group(1) or match.group(match.lastindex or 1), "")

    if nonce:
        # Markdown wraps a lone marker line in <p>; unwrap it so block HTML stays valid.
        mark = f"studylog{nonce}s(\\d+)z"
        return re.sub(f"<p>\\s*{mark}\\s*</p>|{mark}", put, html)
    # Markdown may wrap a lone comment in <p>; unwrap it so block HTML stays valid.
    html = re.sub(r"<p>\s*(<!-- studylog-slot-\d+ -->)\s*</p>", r"\1", html)
    return _SLOT.sub(put, html)
