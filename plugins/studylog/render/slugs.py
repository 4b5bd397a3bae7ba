"""Heading ids as GitHub makes them, so an author's own in-page links keep working.

GitHub takes a heading's text, lower-cases it, drops every character that is
not a letter, mark, number, connector, hyphen or space, and turns spaces into
hyphens (``3. 피어세션 정리`` -> ``3-피어세션-정리``, ``🎉 Done`` -> ``-done``).
A repeated id gets ``-1``, ``-2``... in document order.
"""

from __future__ import annotations

import unicodedata

_KEPT_CATEGORIES = ("L", "M", "N")


def _kept(char: str) -> bool:
    if char in "-_ ":
        return True
    category = unicodedata.category(char)
    return category.startswith(_KEPT_CATEGORIES) or category == "Pc"


def github_slug(text: str) -> str:
    """The id GitHub gives a heading whose text (tags removed, emoji as characters) is ``text``."""
    return "".join(c for c in text.lower() if _kept(c)).replace(" ", "-")


class Slugger:
    """Unique ids for one page, numbered the way GitHub numbers repeats."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def slug(self, text: str) -> str:
        """GitHub's id for a heading's ``text``, unique on this page."""
        base = slug = github_slug(text)
        while slug in self._seen:
            self._seen[base] += 1
            slug = f"{base}-{self._seen[base]}"
        self._seen[slug] = 0
        return slug

    def reserve(self, name: str) -> str:
        """``name`` made unique against the ids handed out so far (for studylog's own ids)."""
        slug, n = name, 0
        while slug in self._seen:
            n += 1
            slug = f"{name}-{n}"
        self._seen[slug] = 0
        return slug
