"""What studylog's live rebuilds take from MkDocs and Material outside their public APIs.

A rebuild under ``mkdocs serve`` that renders only the pages an edit changed
(:mod:`studylog.mkdocs_plugin.live`) must render each of them exactly as a full
``build()`` does, so it calls MkDocs' own steps rather than copies of them:

* ``mkdocs.commands.build._populate_page`` (read a page, run the page events,
  convert its Markdown), ``_build_page`` (its template and the ``page_context`` and
  ``post_page`` events) and ``_build_theme_template`` (``404.html``, the sitemap);
* Material's search plugin keeps the entries of the pages it indexed in
  ``search_index.entries`` and writes them with ``generate_search_index``: a live
  rebuild gives it a fresh index for the pages it renders, then the entries of every
  page in build order.

This module is the one place that touches them. ``tests/test_mkdocs_internals.py``
checks their signatures against the installed MkDocs and Material, so an upgrade that
changes them fails there, loudly, and the serve test holds every page of a live
rebuild byte for byte against a fresh ``mkdocs build``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jinja2
from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

SEARCH_PLUGIN = "material.plugins.search.plugin"


def populate_page(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Read ``page`` and convert it, as ``build()`` does for every page."""
    _populate_page(page, config, files, False)


def build_page(
    page: Page,
    config: MkDocsConfig,
    doc_files: Sequence[File],
    nav: Navigation,
    env: jinja2.Environment,
) -> None:
    """Render ``page``'s template and write it into the site, as ``build()`` does."""
    excluded = page.file.inclusion.is_excluded()  # type: ignore[no-untyped-call]
    _build_page(page, config, doc_files, nav, env, False, excluded)


def build_theme_template(
    name: str, env: jinja2.Environment, files: Files, config: MkDocsConfig, nav: Navigation
) -> None:
    """Render one of the theme's static templates (``404.html``, ``sitemap.xml``)."""
    _build_theme_template(name, env, files, config, nav)


def search_plugin(config: MkDocsConfig) -> BasePlugin[Any] | None:
    """Material's search plugin, when the site uses it (and no other search)."""
    found = [p for p in config.plugins.values() if type(p).__module__ == SEARCH_PLUGIN]
    others = [p for name, p in config.plugins.items() if name.endswith("search")]
    return found[0] if len(found) == 1 and len(others) == 1 else None


def search_entries(plugin: BasePlugin[Any]) -> list[dict[str, Any]]:
    """The entries the search plugin has indexed in this build, in order."""
    entries: list[dict[str, Any]] = plugin.search_index.entries  # type: ignore[attr-defined]
    return entries


def fresh_search_index(plugin: BasePlugin[Any]) -> None:
    """Start the search plugin on an empty index (as its ``on_config`` does)."""
    index_type = type(plugin.search_index)  # type: ignore[attr-defined]
    plugin.search_index = index_type(**plugin.config)  # type: ignore[attr-defined]


def search_index_json(plugin: BasePlugin[Any], entries: list[dict[str, Any]]) -> str:
    """The search index file of ``entries``, written as the plugin writes it (and, under
    ``mkdocs serve --dirty``, kept as the index its next dirty build starts from)."""
    index = plugin.search_index  # type: ignore[attr-defined]
    index.entries = entries
    text: str = index.generate_search_index(None)
    if getattr(plugin, "is_dirty", False):
        plugin.search_index_prev = index  # type: ignore[attr-defined]
    return text
