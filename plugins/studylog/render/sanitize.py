"""The HTML allowlist: every piece of HTML studylog publishes from a log or a result passes here.

Three kinds of HTML, one allowlist, each kind allowed what it needs of it:

* a log's body (:func:`sanitize`), after Markdown has been rendered. Close to
  GitHub's: text structure, tables, images (``src``, ``alt``, ``width``,
  ``height``, ``align``), alignment on blocks, ``details``/``summary``, ``kbd``,
  ``sup``/``sub``; links and images only to ``http``, ``https``, ``mailto`` or
  relative URLs. Scripts, styles, frames, forms, event handlers and every other
  attribute go; the text inside a removed tag stays (``<script>`` and
  ``<style>``: their content goes too). Two things GitHub does differently, both
  harmless: the ``style`` attribute is kept with ``text-align`` only (table
  columns and ``{: style="text-align: center"}`` keep their alignment), and
  ``class`` is kept only for the names Material styles (admonitions, code,
  math, footnotes, task lists), so an author can use those but no other;
* a notebook cell as mkdocs-jupyter converted it (:func:`sanitize_cell`): the
  body's allowlist with what JupyterLab's markup needs besides (its class names,
  Pygments' token classes, ``ansi-*`` colours of tracebacks, cell tags, and the
  ``data-mime-type`` its stylesheet keys on);
* the HTML of a snippet's value (:func:`sanitize_output`: a DataFrame's table, a
  rich repr), from user code or from a cache entry anyone can edit: table markup
  and simple formatting, the body's class names and pandas' ``dataframe``, no ids
  (an output must not take over the page: Material's ``md-dialog--active`` toast,
  its ``__drawer`` and ``__search``).

One ``data:`` rule for all three (:func:`data_url`): a ``data:`` URL only as an
image -- on ``<img src>``, PNG, JPEG, GIF, WebP or SVG, base64 -- which a browser
shows without running anything; on any other attribute it goes.

Sanitizing the *rendered* HTML, not the Markdown source, is the point: whatever
a Markdown feature produced (an attribute line, an admonition, a deeply nested
list, a fence with odd attributes), it is judged here as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Set

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
# The one data: rule: an image, base64, shown by <img> (a browser runs nothing in it).
DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=\s]*")

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


def data_url(tag: str, attr: str, value: str) -> str | None:
    """A ``data:`` URL as it stays: on ``<img src>``, an image in base64; else None."""
    if tag == "img" and attr == "src" and DATA_IMAGE.fullmatch(value.strip()):
        return value
    return None


def _is_data(value: str) -> bool:
    return value.lstrip().lower().startswith("data:")


def attribute_filter(tag: str, attr: str, value: str) -> str | None:
    """The value an allowed attribute of a log's body keeps, or None to drop it."""
    if _is_data(value):
        return data_url(tag, attr, value)
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

    return _clean(html, ATTRIBUTES, check)


def _clean(
    html: str, attributes: Mapping[str, Set[str]], check: Rewrite, classes: bool = True
) -> str:
    """``html`` through the body's tags with ``attributes``, each value judged by ``check``."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in attributes.items()},
        attribute_filter=check,
        url_schemes=set(URL_SCHEMES) | {"data"},  # data: URLs: judged by data_url
        filter_style_properties=set(STYLE_PROPERTIES),
        link_rel=None,
    )


# -- a notebook cell, as mkdocs-jupyter converted it ------------------------------------------

# Class names of JupyterLab's markup and its stylesheet (mkdocs-jupyter's assets).
_CELL_CLASS = re.compile(
    r"^(?:jp-[\w-]+|lm-[\w-]+|highlight-ipynb|hl-[\w-]+|ansi-[\w-]+|celltag_[\w.-]+"
    r"|celltoolbar|cell-tag|tag-container|button_container|tags_button_container"
    r"|CodeMirror|cm-s-jupyter|unconfined|[a-z]{1,3}\d?)$"  # the last: Pygments' tokens
)
_MIME = re.compile(r"^[\w.+-]+/[\w.+-]+$")
_CELL_ATTRIBUTES = {**ATTRIBUTES, "div": {"data-mime-type"}}


def _cell_attribute(tag: str, attr: str, value: str) -> str | None:
    if attr == "class":
        kept = [n for n in value.split() if n in CLASSES or _CELL_CLASS.match(n)]
        return " ".join(kept) if kept else None
    if attr == "data-mime-type":
        return value if _MIME.match(value) else None
    return attribute_filter(tag, attr, value)


def sanitize_cell(html: str) -> str:
    """``html`` (one converted notebook cell) with everything outside the allowlist removed."""
    return _clean(html, _CELL_ATTRIBUTES, _cell_attribute)


# -- the HTML of a snippet's value (DataFrames, Styler output, simple rich reprs) -------------

_OUTPUT_TAGS = TAGS & {
    *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col"),
    *("div", "span", "p", "br", "hr", "b", "i", "em", "strong", "small", "sub", "sup"),
    *("code", "pre", "ul", "ol", "li", "dl", "dt", "dd", "details", "summary", "abbr"),
    *("kbd", "samp", "var", "mark", "del", "ins", "s", "u", "img", "a"),
    *HEADINGS,
}
_OUTPUT_ATTRIBUTES = {
    "*": {
        *("class", "title", "align", "valign", "colspan", "rowspan", "scope", "headers"),
        *("width", "height", "dir", "lang"),
    },
    "img": {"src", "alt"},
    "a": {"href"},
    "ol": {"start"},
}


_OUTPUT_CLASSES = CLASSES | {"dataframe"}


def _output_attribute(tag: str, attr: str, value: str) -> str | None:
    if _is_data(value):
        return data_url(tag, attr, value)
    if attr == "class":
        kept = [name for name in value.split() if name in _OUTPUT_CLASSES]
        return " ".join(kept) if kept else None
    return value


def sanitize_output(text: str) -> str:
    """``text`` (HTML from user code or the cache) reduced to tables and simple formatting;
    scripts, styles, event handlers and ``javascript:`` URLs are dropped."""
    return nh3.clean(
        text,
        tags=set(_OUTPUT_TAGS),
        attributes={tag: set(names) for tag, names in _OUTPUT_ATTRIBUTES.items()},
        attribute_filter=_output_attribute,
        url_schemes={"http", "https", "data"},  # data: URLs: judged by data_url
        link_rel="noopener noreferrer",
    )
