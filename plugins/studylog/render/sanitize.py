"""The allowlist every log body passes through, after Markdown has been rendered.

Close to GitHub's: text structure, tables, images (``src``, ``alt``, ``width``,
``height``, ``align``), alignment on blocks, ``details``/``summary``, ``kbd``,
``sup``/``sub``; links and images only to ``http``, ``https``, ``mailto`` or
relative URLs. Scripts, styles, frames, forms, event handlers and every other
attribute go; the text inside a removed tag stays (``<script>`` and
``<style>``: their content goes too). Two things GitHub does differently, both
harmless: the ``style`` attribute is kept with ``text-align`` only (table
columns and ``{: style="text-align: center"}`` keep their alignment), and
``class`` is kept only for the names Material styles (admonitions, code,
math, footnotes, task lists), so an author can use those but no other.

Sanitizing the *rendered* HTML, not the Markdown source, is the point: whatever
a Markdown feature produced (an attribute line, an admonition, a deeply nested
list, a fence with odd attributes), it is judged here as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

TAGS = (
    frozenset(
        {
            "a",
            "abbr",
            "b",
            "bdi",
            "bdo",
            "blockquote",
            "br",
            "caption",
            "center",
            "cite",
            "code",
            "col",
            "colgroup",
            "dd",
            "del",
            "details",
            "dfn",
            "div",
            "dl",
            "dt",
            "em",
            "figcaption",
            "figure",
            "hr",
            "i",
            "img",
            "input",
            "ins",
            "kbd",
            "li",
            "mark",
            "ol",
            "p",
            "pre",
            "q",
            "rp",
            "rt",
            "ruby",
            "s",
            "samp",
            "section",
            "small",
            "span",
            "strike",
            "strong",
            "sub",
            "summary",
            "sup",
            "table",
            "tbody",
            "td",
            "tfoot",
            "th",
            "thead",
            "time",
            "tr",
            "tt",
            "u",
            "ul",
            "var",
            "wbr",
        }
    )
    | HEADINGS
)

# Removed together with their content; every other tag not in TAGS loses only its tags.
DROPPED_WITH_CONTENT = frozenset({"script", "style"})

_EVERYWHERE = {"id", "title", "lang", "dir", "align", "class", "style"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": _EVERYWHERE,
    "a": {"href", "name", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "input": {"type", "checked", "disabled"},
    "details": {"open"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
}

URL_SCHEMES = frozenset({"http", "https", "mailto"})
STYLE_PROPERTIES = frozenset({"text-align"})

# Class names Material (and studylog's stylesheet) give a meaning in a page body.
ADMONITION_TYPES = frozenset(
    {
        "note",
        "abstract",
        "summary",
        "tldr",
        "info",
        "todo",
        "tip",
        "hint",
        "important",
        "success",
        "check",
        "done",
        "question",
        "help",
        "faq",
        "warning",
        "caution",
        "attention",
        "failure",
        "fail",
        "missing",
        "danger",
        "error",
        "bug",
        "example",
        "quote",
        "cite",
    }
)
CLASSES = (
    frozenset(
        {
            "admonition",
            "admonition-title",
            "arithmatex",
            "highlight",
            "footnote",
            "footnote-ref",
            "footnote-backref",
            "task-list",
            "task-list-item",
            "task-list-control",
            "task-list-indicator",
            "task-list-item-checkbox",
            "contains-task-list",
            "headerlink",
            "emoji",
            "filename",
            "studylog-day",  # a day line studylog turned into a heading
        }
    )
    | ADMONITION_TYPES
)

# Ids Material's own page uses (drawer, search, palette toggles, code blocks...): an
# element of a log must not take one, or it would take over that part of the page.
_RESERVED_ID = re.compile(r"^__(md|drawer|search|toc|consent|palette|nav|code|tabbed|skip|header)")

Rewrite = Callable[[str, str, str], str | None]


def _classes(value: str) -> str | None:
    kept = [name for name in value.split() if name in CLASSES]
    return " ".join(kept) if kept else None


def attribute_filter(tag: str, attr: str, value: str) -> str | None:
    """The value an allowed attribute keeps, or None to drop it."""
    if attr == "class":
        return _classes(value)
    if attr in ("id", "name"):
        return None if _RESERVED_ID.match(value) else value
    if tag == "input" and attr == "type":
        return value if value.lower() == "checkbox" else None
    return value


def sanitize(html: str, rewrite: Rewrite | None = None) -> str:
    """``html`` with everything outside the allowlist removed.

    ``rewrite(tag, attr, value)``, when given, sees every allowed attribute after
    the allowlist's own filter and returns its final value (or None to drop it);
    the body renderer uses it to point local image paths at the site's copies.
    """

    def check(tag: str, attr: str, value: str) -> str | None:
        kept = attribute_filter(tag, attr, value)
        if kept is None or rewrite is None:
            return kept
        return rewrite(tag, attr, kept)

    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=check,
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
        link_rel=None,
    )
