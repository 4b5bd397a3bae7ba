"""The allowlist a notebook cell's converted HTML passes through before it reaches a page.

The log body's allowlist (:mod:`studylog.render.sanitize`: tags, attributes, URL
schemes) with what JupyterLab's markup needs besides: its class names (``jp-*``,
Pygments' token classes, ``ansi-*`` colours of tracebacks, cell tags), the
``data-mime-type`` its stylesheet keys on, and images inlined as ``data:`` URLs --
only on ``<img src>``, only PNG, JPEG, GIF or SVG, only base64. An SVG shown through
``<img>`` cannot run scripts; anything else (``<style>``, ``<script>``, inline
``<svg>``, event handlers, ``javascript:`` URLs) goes.
"""

from __future__ import annotations

import re

import nh3

from studylog.render import sanitize

# Class names of JupyterLab's markup and its stylesheet (mkdocs-jupyter's assets).
_CLASS = re.compile(
    r"^(?:jp-[\w-]+|lm-[\w-]+|highlight-ipynb|hl-[\w-]+|ansi-[\w-]+|celltag_[\w.-]+"
    r"|celltoolbar|cell-tag|tag-container|button_container|tags_button_container"
    r"|CodeMirror|cm-s-jupyter|unconfined|[a-z]{1,3}\d?)$"  # the last: Pygments' tokens
)
_MIME = re.compile(r"^[\w.+-]+/[\w.+-]+$")
DATA_IMAGE = re.compile(r"^data:image/(?:png|jpeg|gif|svg\+xml);base64,[A-Za-z0-9+/=\s]*$")


def _attribute(tag: str, attr: str, value: str) -> str | None:
    if attr == "class":
        kept = [n for n in value.split() if n in sanitize.CLASSES or _CLASS.match(n)]
        return " ".join(kept) if kept else None
    if attr == "data-mime-type":
        return value if _MIME.match(value) else None
    if value.lstrip().lower().startswith("data:"):
        return value if tag == "img" and attr == "src" and DATA_IMAGE.match(value) else None
    return sanitize.attribute_filter(tag, attr, value)


def sanitize_cell(html: str) -> str:
    """``html`` (one converted cell) with everything outside the allowlist removed."""
    attributes = {tag: set(names) for tag, names in sanitize.ATTRIBUTES.items()}
    attributes["div"] = {"data-mime-type"}
    return nh3.clean(
        html,
        tags=set(sanitize.TAGS),
        clean_content_tags=set(sanitize.DROPPED_WITH_CONTENT),
        attributes=attributes,
        attribute_filter=_attribute,
        url_schemes=set(sanitize.URL_SCHEMES) | {"data"},
        filter_style_properties=set(sanitize.STYLE_PROPERTIES),
        link_rel=None,
    )
