"""The generated navigation: the site's own pages, then weeks (by date inside), then indexes.

Built from mkdocs' public structure only: ``Navigation``, ``Section`` and ``Page``,
and the links between them that mkdocs documents for themes (``parent``,
``children``, ``previous_page``, ``next_page``), set here as mkdocs sets them for
a ``nav`` in mkdocs.yml (a test holds the two side by side).
"""

from __future__ import annotations

from collections.abc import Sequence

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import StructureItem
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from studylog.render.navigation import NavNode, walk
from studylog.render.text import esc


def _item(node: NavNode, files: Files, config: MkDocsConfig) -> Page | Section | None:
    if node.uri is None:
        children: list[StructureItem] = [
            c for c in (_item(n, files, config) for n in node.children) if c is not None
        ]
        return Section(esc(node.title), children) if children else None
    file = files.get_file_from_path(node.uri)
    if file is None:
        return None
    page = file.page if isinstance(file.page, Page) else Page(None, file, config)
    # The label the navigation shows, as a nav entry's title in mkdocs.yml would be: a file
    # of days is listed by its days under its week, whatever heading it carries.
    page.title = esc(node.title)
    return page


def _pages(items: Sequence[object]) -> list[Page]:
    out: list[Page] = []
    for item in items:
        if isinstance(item, Page):
            out.append(item)
        elif isinstance(item, Section):
            out += _pages(item.children)
    return out


def build_nav(
    nav: Navigation, tree: Sequence[NavNode], files: Files, config: MkDocsConfig
) -> Navigation:
    """``nav`` without the generated pages MkDocs placed on its own, plus ``tree`` after it."""
    generated = {n.uri for n in walk(tree) if n.uri}
    kept = [item for item in nav.items if not _only_generated(item, generated)]
    for item in kept:
        if isinstance(item, Section):
            _prune(item, generated)
    added = [i for i in (_item(n, files, config) for n in tree) if i is not None]
    items = kept + added
    for item in items:
        item.parent = None
    _link_parents(items)
    pages = _pages(items)
    for n, page in enumerate(pages):
        page.previous_page = pages[n - 1] if n else None
        page.next_page = pages[n + 1] if n + 1 < len(pages) else None
    return Navigation(items, pages)


def _link_parents(items: Sequence[StructureItem]) -> None:
    """Each item of a section names that section as its ``parent``."""
    for item in items:
        if isinstance(item, Section):
            for child in item.children:
                child.parent = item
            _link_parents(item.children)


def _only_generated(item: object, generated: set[str]) -> bool:
    if isinstance(item, Page):
        return item.file.src_uri in generated
    if isinstance(item, Section):
        return all(_only_generated(c, generated) for c in item.children)
    return False


def _prune(section: Section, generated: set[str]) -> None:
    section.children = [c for c in section.children if not _only_generated(c, generated)]
    for child in section.children:
        if isinstance(child, Section):
            _prune(child, generated)
