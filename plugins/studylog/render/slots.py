"""Generated pages carry *slots*: HTML fragments kept out of the page until they are due.

A slot is a placeholder on its own line (or, in a page studylog renders itself, a
marker in its HTML). Markdown passes it through untouched, and the fragment is put
in afterwards, so generated HTML (snippet outputs, tables, charts) is never
re-interpreted as Markdown. Some fragments wait for the results of the sessions: a
page is rendered once, before they are in, and its :attr:`Rendered.later` gives
those fragments when they are (:meth:`Rendered.finish`).

Pages studylog writes itself use an HTML comment as placeholder. A log page
rendered by Python-Markdown (the ``logs_renderer: python-markdown`` option)
uses a marker holding a nonce instead (:mod:`studylog.render.markers`),
because its HTML is sanitized — comments removed — before the slots are filled,
and a log cannot write a marker without knowing the nonce.

A log page rendered by studylog itself carries its ``html`` and its table of
contents; MkDocs only sees its front matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from studylog.execute.results import BlockResult, SessionResult
from studylog.model import Problem
from studylog.render import markers
from studylog.render.markers import Heading

_SLOT = re.compile(r"<!-- studylog-slot-(\d+) -->")

ByLine = Mapping[int, tuple[BlockResult, SessionResult]]  # fence line (or cell) -> results


@dataclass(frozen=True)
class Outcomes:
    """The build's session results, as the pages that wait for them look them up."""

    results: tuple[SessionResult, ...] = ()
    by_log: Mapping[str, ByLine] = field(default_factory=dict)  # log path -> its blocks

    @classmethod
    def of(cls, results: Iterable[SessionResult]) -> Outcomes:
        """Index ``results`` by log and by the line (a notebook: the cell) of each block."""
        found = tuple(results)
        by_log: dict[str, dict[int, tuple[BlockResult, SessionResult]]] = {}
        for result in found:
            for block in result.blocks:
                by_log.setdefault(result.log, {})[block.line] = (block, result)
        return cls(found, by_log)

    def of_log(self, path: str) -> ByLine:
        """The results of the blocks of the log at ``path``, by line."""
        return self.by_log.get(path, {})


Later = Callable[[Outcomes], Mapping[str, str]]  # the fragments of the slots that wait


@dataclass(frozen=True)
class Rendered:
    """A generated page: its Markdown, its slots, and metadata for the page."""

    markdown: str
    slots: Mapping[str, str] = field(default_factory=dict)
    title: str = ""  # HTML-escaped, as MkDocs themes print page titles unescaped
    tags: tuple[str, ...] = ()  # HTML-escaped, for Material's tags plugin
    # A log page rendered by studylog: the page body's HTML and its headings.
    html: str | None = None
    toc: tuple[Heading, ...] = ()
    # A log page left to Python-Markdown: sanitize its HTML, then fill slots marked so.
    sanitize: bool = False
    nonce: str = ""  # the nonce of its slots' markers ("" for HTML-comment slots)
    images: Mapping[str, str] = field(default_factory=dict)  # site uri -> file to copy
    problems: tuple[Problem, ...] = ()
    later: Later | None = None  # the slots that wait for the results (None: none wait)

    def finish(self, outcomes: Outcomes) -> Rendered:
        """This page with the slots that waited for the results filled (or given)."""
        if self.later is None:
            return self
        late = self.later(outcomes)
        if self.html is not None:  # studylog's own HTML: nothing else converts it
            html = markers.substitute(
                self.html, self.nonce, markers.SLOT, lambda _kind, n: late.get(n, "")
            )
            return replace(self, html=html, later=None)
        return replace(self, slots={**self.slots, **late}, later=None)


class Slots:
    """The slots of one page, numbered in the order they are made."""

    def __init__(self, nonce: str = "") -> None:
        self.fragments: dict[str, str] = {}
        self.nonce = nonce
        self._count = 0

    def reserve(self) -> str:
        """A new slot whose fragment comes later; returns its key."""
        key = str(self._count)
        self._count += 1
        return key

    def placeholder(self, key: str) -> str:
        """The placeholder block of slot ``key`` (blank lines around it)."""
        if self.nonce:
            return f"\n{markers.marker(self.nonce, markers.SLOT, key)}\n"
        return f"\n<!-- studylog-slot-{key} -->\n"

    def add(self, fragment: str) -> str:
        """Store a fragment; returns its placeholder block."""
        key = self.reserve()
        self.fragments[key] = fragment
        return self.placeholder(key)


def fill(html: str, slots: Mapping[str, str], nonce: str = "") -> str:
    """Replace every placeholder in rendered HTML by its fragment."""
    if not slots:
        return html

    def put(match: re.Match[str]) -> str:
        return slots.get(match.group(1) or match.group(match.lastindex or 1), "")

    if nonce:
        # Markdown wraps a lone marker line in <p>; unwrap it so block HTML stays valid.
        mark = markers.marker(nonce, markers.SLOT, r"(\d+)")
        return re.sub(f"<p>\\s*{mark}\\s*</p>|{mark}", put, html)
    # Markdown may wrap a lone comment in <p>; unwrap it so block HTML stays valid.
    html = re.sub(r"<p>\s*(<!-- studylog-slot-\d+ -->)\s*</p>", r"\1", html)
    return _SLOT.sub(put, html)
