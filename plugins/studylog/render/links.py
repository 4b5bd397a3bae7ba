"""Where generated pages live in the site, and relative links between them.

Locations are MkDocs ``src_uri``s (posix paths of ``.md`` files as if they were
in ``docs/``). :class:`Linker` turns them into page URLs the way MkDocs does
(for either ``use_directory_urls`` setting) and writes relative ``href``s, so
links work from any depth and on any host path.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import quote

from studylog.stats import WeekKey

LOGS = "logs"
WEEKS = "weeks"
KEYWORDS = "keywords.md"
QA = "qa.md"
QUESTIONS = "questions.md"
REVIEW = "review.md"
REPORT = "report.md"
HOME = "index.md"
ASSETS = "assets/studylog"
# The Review page's script, and the FSRS scheduler it loads (vendored: see the glue).
REVIEW_SCRIPT = f"{ASSETS}/review.js"
FSRS_SCRIPT = f"{ASSETS}/ts-fsrs.js"


def log_uri(rel_path: str) -> str:
    """The page of a log, given its path relative to ``logs_dir`` (``2022/day015.md``)."""
    stem, dot, ext = rel_path.rpartition(".")
    if not dot or "/" in ext:
        stem = rel_path
    return f"{LOGS}/{stem}.md"


def week_uri(key: WeekKey) -> str:
    """The page of a week."""
    return f"{WEEKS}/{key.slug}.md"


def asset_uri(name: str) -> str:
    """The place of an asset (a figure) in the site."""
    return f"{ASSETS}/{name}"


def _relative(path: str, start: str) -> str:
    """``posixpath.relpath`` for the clean site paths of pages (no ``.`` or ``..`` parts),
    without asking the OS for a working directory: a site computes tens of thousands."""
    to = [p for p in path.split("/") if p]
    at = [p for p in start.split("/") if p]
    same = 0
    while same < len(to) and same < len(at) and to[same] == at[same]:
        same += 1
    return "/".join([".."] * (len(at) - same) + to[same:]) or "."


@dataclass(frozen=True)
class Linker:
    """Page URLs and relative links, as MkDocs makes them."""

    directory_urls: bool = True

    def url(self, uri: str) -> str:
        """The site URL of a ``src_uri`` (relative to the site root), as MkDocs computes it."""
        if not uri.endswith(".md"):
            return uri
        stem = uri[:-3]
        folder, _, name = stem.rpartition("/")
        if name in ("index", "README"):
            if self.directory_urls:
                return f"{folder}/" if folder else ""
            return f"{folder}/index.html" if folder else "index.html"
        return f"{stem}/" if self.directory_urls else f"{stem}.html"

    def href(self, from_uri: str, to_uri: str, anchor: str | None = None) -> str:
        """A relative link from the page at ``from_uri`` to ``to_uri`` (page or asset)."""
        if from_uri == to_uri and anchor:
            return f"#{anchor}"
        here, there = self.url(from_uri), self.url(to_uri)
        base = here if here.endswith("/") or not here else posixpath.dirname(here)
        target = _relative(there, base)
        if (not there or there.endswith("/")) and not target.endswith("/"):
            target = "./" if target == "." else target + "/"
        # Percent-encoded as MkDocs encodes its own URLs: a log named "a#b.md" or "100%.md"
        # must not turn into an anchor, a query or an escape.
        target = quote(target, safe="/")
        return f"{target}#{anchor}" if anchor else target
