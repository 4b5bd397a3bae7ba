"""A log body, rendered once into sanitized HTML with markers where studylog adds its own parts.

``prepare_body`` is pure: the same body and settings give the same
:class:`PreparedBody` (a small value of plain fields the build memo keeps as data, so a warm
build neither parses nor sanitizes again). Its steps:

1. Liquid is translated or removed (:mod:`studylog.render.jekyll`);
2. markdown-it renders the Markdown (:mod:`studylog.render.markdown`);
3. the HTML is sanitized as a whole (:mod:`studylog.render.sanitize`) — every
   part that came from the author, whatever Markdown feature produced it;
4. what studylog adds afterwards (highlighted code, snippet outputs, the page
   header, day anchors, image paths in the site, links to other logs' pages) goes
   where the markers are.

Markers and their format: :mod:`studylog.render.markers`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from studylog.render import markers
from studylog.render.jekyll import Note, SiteAddress
from studylog.render.markers import FenceSlot, Heading

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class BodySettings:
    """Site settings that shape a body's HTML (part of the memo key)."""

    site: SiteAddress = field(default_factory=SiteAddress)
    # the site's pymdownx.highlight options, canonical JSON ("" = plain code blocks)
    highlight: str = "{}"
    permalink: str = ""  # the headerlink symbol of the site's toc extension ("" = none)

    def key(self) -> str:
        """The settings as part of a memo key."""
        return repr((self.site.url, self.site.baseurl, self.highlight, self.permalink))


@dataclass(frozen=True)
class ImageRef:
    """A local image a body uses, where marker ``i<n>`` stands."""

    src: str  # as written (after Liquid), e.g. /assets/img/a.png or img/b.png
    line: int  # body line of its first use (0-based)


@dataclass(frozen=True)
class LinkRef:
    href: str  # a relative link to another log, as written (``../day13.md#q1``)
    line: int  # body line of its first use (0-based)


# What a log file is named: a link to one of these is a link to another log's page.
LOG_SUFFIXES = (".md", ".ipynb")


def is_log_link(href: str) -> bool:
    """A relative link to a Markdown or notebook file (with or without ``#anchor``)."""
    if not href or _SCHEME.match(href) or href.startswith(("/", "#", "?")):
        return False
    path = href.split("#", 1)[0].split("?", 1)[0]
    return path.lower().endswith(LOG_SUFFIXES)


@dataclass(frozen=True)
class PreparedBody:
    """A body rendered and sanitized once, with markers where studylog's parts go."""

    html: str  # sanitized, with markers
    nonce: str
    fences: tuple[FenceSlot, ...]  # marker f<n> -> fences[n]
    images: tuple[ImageRef, ...]  # marker i<n> -> images[n] (local paths only)
    links: tuple[LinkRef, ...]  # marker l<n> -> links[n] (links to log files only)
    headings: tuple[Heading, ...]  # in page order, with their ids
    days: tuple[int, ...]  # body lines with an anchor (a<line>) and meta (m<line>) marker
    header_slot: bool  # marker h0 follows the body's own first-level title
    notes: tuple[Note, ...]  # problems found while rendering

    # The kinds of markers :func:`fill` replaces (slots stay for later).
    FILLED = "afhilm"


def is_local(src: str, site: SiteAddress) -> bool:
    """A path into the site (``img/a.png``, ``/assets/a.png``, the site's own URL)."""
    if site.url and src.startswith(site.url + site.baseurl + "/"):
        return True
    return bool(src) and not _SCHEME.match(src) and not src.startswith(("//", "#"))


def prepare_body(
    body: str, settings: BodySettings | None = None, days: frozenset[int] = frozenset()
) -> PreparedBody:
    """Render ``body`` once; ``days`` are the body lines (0-based) where day entries start."""
    # Imported here: a warm build takes every prepared body from the memo.
    from studylog.render import sanitize
    from studylog.render.jekyll import unliquid
    from studylog.render.markdown import BodyState, render

    settings = settings or BodySettings()
    text, notes = unliquid(body, settings.site)
    state = BodyState(
        nonce=markers.nonce_for(body),
        days=days,
        highlight=settings.highlight,
        permalink=settings.permalink,
        notes=list(notes),
    )
    raw = render(text, state)
    images: list[ImageRef] = []
    index: dict[str, int] = {}
    links: list[LinkRef] = []
    linked: dict[str, int] = {}

    def local_images(tag: str, attr: str, value: str) -> str | None:
        if tag == "a" and attr == "href" and is_log_link(value):
            if value not in linked:
                linked[value] = len(links)
                links.append(LinkRef(value, state.links.get(value, 0)))
            return state.marker("l", linked[value])
        if tag != "img" or attr != "src" or not is_local(value, settings.site):
            return value
        if value not in index:
            index[value] = len(images)
            images.append(ImageRef(value, state.images.get(value, 0)))
        return markers.marker(state.nonce, "i", index[value])

    clean = sanitize.sanitize(raw, rewrite=local_images)
    return PreparedBody(
        html=clean,
        nonce=state.nonce,
        fences=tuple(state.fences),
        images=tuple(images),
        links=tuple(links),
        headings=tuple(state.headings),
        days=tuple(sorted(state.placed_days)),
        header_slot=state.header_slot,
        notes=tuple(sorted(state.notes, key=lambda n: n.line)),
    )


def fill(body: PreparedBody, parts: Mapping[str, Callable[[int], str]]) -> str:
    """The body's HTML with each marker ``<kind><n>`` replaced by ``parts[kind](n)``."""

    def put(kind: str, n: str) -> str:
        make = parts.get(kind)
        return make(int(n)) if make else ""

    return markers.substitute(body.html, body.nonce, PreparedBody.FILLED, put)
