"""Generated page sources: the front matter MkDocs reads back is exactly what was written."""

from __future__ import annotations

import pytest
from mkdocs.utils.meta import get_data

from studylog.mkdocs_plugin.files import page_source
from studylog.render.slots import Rendered

AWKWARD = [
    "Day 3: CNN",
    'quote " and backslash \\',
    "한국어 제목 — 합성곱",
    "\U0001f600 emoji",
    "- looks like a list",
    "# looks like a comment",
    "tab\there",
    "&lt;b&gt; escaped",
    "it's",
    "line\u2028separator",
    "next\x85line",
    "del\x7f",
    "\ufeffbom",
    "\uffff",
    "bell\x07",
    "---",
    "two\n---\nlines",
    "{flow: [1, 2]}",
    "yes",
    "2024-03-06",
    "null",
]


@pytest.mark.parametrize("title", AWKWARD)
def test_title_and_tags_survive_mkdocs_front_matter_parsing(title: str) -> None:
    source = page_source(Rendered("Body text.\n", title=title, tags=(title, "week01")))
    body, meta = get_data(source)
    assert meta == {"title": title, "tags": [title, "week01"]}
    assert body.strip() == "Body text."


def test_a_page_without_title_or_tags_has_no_front_matter() -> None:
    assert page_source(Rendered("# Just Markdown\n")) == "# Just Markdown\n"
