"""Escaping for everything studylog writes into a page from a log's data.

Titles, keywords, tags and outputs are log data: they are HTML-escaped (and
Markdown-escaped where they go through Markdown). A log's *body* is not
escaped but rendered and sanitized (:mod:`studylog.render.body`).
"""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|~$])")


def esc(text: object) -> str:
    """HTML-escape, quotes included (safe in text and attribute values)."""
    return html.escape(str(text), quote=True)


def md_text(text: object) -> str:
    """Text placed into generated Markdown: HTML-escaped, Markdown specials backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", esc(text))
