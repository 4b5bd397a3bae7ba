"""Markers: the places in a log's page where studylog puts its own parts, in one format.

A marker is ``studylog<nonce><kind><n>z``. The nonce is a hash of the body, checked
not to occur in it; a log would have to contain the hash of its own text to forge
one. Markers are plain text and plain relative URLs, which Markdown and the
sanitizer keep as they are, and only the final substitution turns them into HTML --
after sanitizing, so nothing the author wrote is ever trusted.

Kinds: ``f`` a fence, ``a`` and ``m`` a day's anchor and its facts, ``h`` the page
header, ``i`` a local image's path (all filled when the page is rendered), and
``s`` a slot (filled with HTML that waits for the results, or for MkDocs to convert
the page: :mod:`studylog.render.slots`).

What rendering a body records for those places lives here too: its headings (the
page's table of contents) and its fences.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

SLOT = "s"  # the kind of a slot's marker
NONCE_BYTES = 8  # a nonce is this many bytes of a hash, in hex


def nonce_for(body: str) -> str:
    """A hash of ``body`` that does not occur in it."""
    salt = 0
    while True:
        digest = hashlib.blake2b(
            f"{salt}:{body}".encode("utf-8", "surrogatepass"), digest_size=NONCE_BYTES
        ).hexdigest()
        if digest not in body:
            return digest
        salt += 1


def marker(nonce: str, kind: str, n: int | str) -> str:
    """The marker of place ``n`` of ``kind`` in the body whose nonce is ``nonce`` (given
    regular expressions for ``kind`` and ``n``: the pattern of such markers)."""
    return f"studylog{nonce}{kind}{n}z"


@functools.cache
def _markers(kinds: str) -> re.Pattern[str]:
    # One pattern for every nonce, compiled once: a site has a nonce per page.
    return re.compile(marker(f"([0-9a-f]{{{2 * NONCE_BYTES}}})", f"([{kinds}])", r"(\d+)"))


def substitute(text: str, nonce: str, kinds: str, make: Callable[[str, str], str]) -> str:
    """``text`` with each marker of one of ``kinds`` for ``nonce`` replaced by
    ``make(kind, n)``; text that only looks like a marker (another nonce) stays."""

    def put(match: re.Match[str]) -> str:
        if match.group(1) != nonce:
            return match.group(0)
        return make(match.group(2), match.group(3))

    return _markers(kinds).sub(put, text)


@dataclass(frozen=True)
class Heading:
    """A heading of a page, as its table of contents lists it."""

    level: int
    id: str
    name: str  # the heading's text, HTML-escaped (a table-of-contents entry)


@dataclass(frozen=True)
class FenceSlot:
    """A fenced block of a body, where marker ``f<n>`` stands."""

    line: int  # body line of the opening fence (0-based)
    html: str  # the block, highlighted: what the page shows unless studylog runs it
