"""What of the navigation each page shows: the part of a page's HTML its own content does not set.

A live rebuild (:mod:`studylog.mkdocs_plugin.live`) renders again a page whose
content changed, and a page whose *view* changed: the navigation, links and labels
the theme puts around the content. With Material's ``navigation.prune`` a page shows
the top level of the navigation and every item of each section on the way to it;
an item outside that path is one link (its title and first page). So a page's view
is those items (titles, addresses, places, and the page metadata Material shows
beside them), its ancestors, its previous and next page and the home page. Adding a
log to one week changes the view of that week's pages and of the log's neighbours
only.

With another theme, or with a feature that lays the navigation out otherwise
(tabs, sections, expanded or index pages), every page is taken to show the whole
navigation: any change to it renders every page again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import StructureItem
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

PRUNE = "navigation.prune"
# Features that change which items a pruned navigation shows, or how.
LAYOUT = ("navigation.tabs", "navigation.sections", "navigation.expand", "navigation.indexes")
# Page metadata Material shows beside an item's title.
SHOWN_META = ("icon", "subtitle", "status")


def pruned(config: MkDocsConfig) -> bool:
    """Whether pages show only the path to themselves (Material with ``navigation.prune``
    and no feature that lays the navigation out otherwise)."""
    theme = config.theme
    features = set(theme.get("features") or ())
    return theme.name == "material" and PRUNE in features and not features & set(LAYOUT)


def _first_page(item: StructureItem) -> Page | None:
    """The page a pruned section links to: its first page, depth first."""
    for child in getattr(item, "children", None) or ():
        if isinstance(child, Page):
            return child
        found = _first_page(child)
        if found is not None:
            return found
    return None


def _page(page: Page | None) -> list[Any]:
    if page is None:
        return []
    meta = page.meta or {}
    return [page.title, page.url, [str(meta.get(k, "")) for k in SHOWN_META]]


def _item(item: StructureItem, open_: Collection[int]) -> list[Any]:
    """An item as the page shows it: open sections (by ``id``) with all their items, others
    as links."""
    if isinstance(item, Page):
        return ["page", *_page(item)]
    if isinstance(item, Link):
        return ["link", item.title, item.url]
    if isinstance(item, Section):
        if id(item) in open_:
            return ["open", item.title, [_item(c, open_) for c in item.children]]
        first = _first_page(item)
        return ["closed", item.title, bool(item.children), first.url if first else None]
    return ["other", repr(item)]


def _ancestors(page: Page) -> list[StructureItem]:
    out: list[StructureItem] = []
    parent = page.parent
    while parent is not None:
        out.append(parent)
        parent = parent.parent
    return out


def _sections(items: Sequence[StructureItem]) -> set[int]:
    out: set[int] = set()
    for item in items:
        if isinstance(item, Section):
            out.add(id(item))
            out |= _sections(item.children)
    return out


def _hash(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def view_keys(nav: Navigation, config: MkDocsConfig) -> dict[str, str]:
    """A hash of each page's view (by ``src_uri``), for every page of ``nav``."""
    home = nav.homepage.url if nav.homepage is not None else None
    whole = None
    if not pruned(config):
        every = _sections(nav.items)
        whole = _hash([_item(i, every) for i in nav.items])
    keys: dict[str, str] = {}
    for page in nav.pages:
        ancestors = _ancestors(page)
        opened = {id(a) for a in ancestors}
        shown = whole if whole is not None else [_item(i, opened) for i in nav.items]
        view = [
            home,
            shown,
            [[a.title, _page(_first_page(a))] for a in ancestors],
            _page(page.previous_page),
            _page(page.next_page),
        ]
        keys[page.file.src_uri] = _hash(view)
    return keys
