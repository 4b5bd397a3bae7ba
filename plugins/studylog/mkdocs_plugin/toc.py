"""A page's table of contents from the headings studylog rendered.

MkDocs builds ``page.toc`` from Python-Markdown's ``toc`` extension; a log page
rendered by studylog gets the same structure from its own heading list, so
Material's table of contents and the search plugin's one-section-per-heading
split work as on any other page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown.extensions.toc import nest_toc_tokens
from mkdocs.structure.toc import TableOfContents, get_toc

from studylog.render.markers import Heading


def page_toc(headings: Sequence[Heading]) -> TableOfContents:
    # Python-Markdown's own token shape (a TypedDict in its stubs), built from our headings.
    """MkDocs' table of contents of a page, from the headings studylog rendered."""
    flat: list[Any] = [
        {
            "level": h.level,
            "id": h.id,
            "name": h.name,
            "html": h.name,
            "data-toc-label": "",
            "children": [],
        }
        for h in headings
    ]
    return get_toc(nest_toc_tokens(flat))
