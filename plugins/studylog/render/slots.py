"""Generated pages are Markdown with *slots*: HTML fragments kept out of Markdown.

A slot is an HTML comment placeholder on its own line. Markdown passes it
through untouched, and the glue swaps in the fragment after Markdown has run,
so generated HTML (snippet outputs, tables, charts) is never re-interpreted as
Markdown. A log cannot forge a placeholder: raw HTML from logs, comments
included, is escaped before it reaches Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

_SLOT = re.compile(r"<!-- studylog-slot-(\d+) -->")


@dataclass(frozen=True)
class Rendered:
    """A generated page: its Markdown, its slots, and metadata for the page."""

    markdown: str
    slots: Mapping[str, str] = field(default_factory=dict)
    title: str = ""  # HTML-escaped, as MkDocs themes print page titles unescaped
    tags: tuple[str, ...] = ()  # HTML-escaped, for Material's tags plugin


class Slots:
    def __init__(self) -> None:
        self.fragments: dict[str, str] = {}

    def add(self, fragment: str) -> str:
        """Store a fragment; returns the placeholder block (blank lines around it)."""
        key = str(len(self.fragments))
        self.fragments[key] = fragment
        return f"\n<!-- studylog-slot-{key} -->\n"


def fill(html: str, slots: Mapping[str, str]) -> str:
    """Replace every placeholder in rendered HTML by its fragment."""
    if not slots:
        return html

    def put(match: re.Match[str]) -> str:
        return slots.get(match.group(1), "")

    # Markdown may wrap a lone comment in <p>; unwrap it so block HTML stays valid.
    html = re.sub(r"<p>\s*(<!-- studylog-slot-\d+ -->)\s*</p>", r"\1", html)
    return _SLOT.sub(put, html)
