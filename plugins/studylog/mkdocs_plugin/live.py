"""Live rebuilds under ``mkdocs serve``: an edit renders only the pages it changes.

``mkdocs serve`` answers every change by loading ``mkdocs.yml`` again and running a
full ``build()``: every page read, converted, rendered into its template and
indexed, into a cleaned site folder. For a study log of thousands of pages that is
as long as a cold build, for one edited line. studylog replaces the server's
builder (``LiveReloadServer.builder``, handed to ``on_serve``) with one that keeps
what the last build made -- its config, files, navigation, template environment and
the search entries of every page -- and, when only studylog's own inputs changed
(the logs, the snippets, the assets folder), runs studylog's part of a build again
(parsing and rendering through the memo, sessions through the cache) and then
renders, with MkDocs' own page steps (:mod:`studylog.mkdocs_plugin.internals`):

* the pages whose content changed (the edited log, its week, the keyword and Q/A
  pages, the dashboard, the report: whatever changed in studylog's output);
* when the navigation changed (a log added, deleted or renamed, a new week), the
  pages whose view of it changed (:mod:`studylog.mkdocs_plugin.views`), the
  hand-written pages (their links may now resolve otherwise), ``404.html`` and the
  sitemap;
* the search index, from the kept entries and those of the pages rendered, with
  their Korean forms; removed pages' files and figures are deleted.

The site folder then holds what a fresh full build would write. Anything else
falls back to MkDocs' full rebuild, saying why: a change to ``mkdocs.yml``, to
``docs/`` or to any other watched path, a plugin that may read other pages (only
Material's search and tags and studylog are known not to), a new stylesheet, or a
tag change while a page lists tags (Material's tags plugin; without listings, a tag
change makes its index and ``tags.json`` again).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

from studylog.mkdocs_plugin import internals, views
from studylog.mkdocs_plugin.inputs import Snapshot, changed, snapshot, under
from studylog.render.site import SitePages
from studylog.settings import Settings

log = logging.getLogger("mkdocs.plugins.studylog")

# Plugins whose work on one page depends on that page alone (and their own
# cross-page state, which a live rebuild keeps up to date): by the module of their class.
KNOWN_PLUGINS = ("material.plugins.search.", "material.plugins.tags.", "studylog.")
TAGS_PLUGIN = "material.plugins.tags.plugin"


class Builds(Protocol):
    """What a live rebuild asks of the plugin: its settings and its steps of a build."""

    settings: Settings
    root: Path
    home: str | None  # the page holding the dashboard

    def add_files(
        self, files: Files, config: MkDocsConfig, reuse: Mapping[str, File] | None = None
    ) -> list[str]: ...

    def live_build(self, config: MkDocsConfig) -> SitePages: ...

    def live_done(self, config: MkDocsConfig) -> frozenset[str]: ...


class Fallback(Exception):
    """A change a live rebuild does not make: MkDocs rebuilds the whole site."""


@dataclass
class Built:
    """What the last build made, kept for the next."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment
    site: SitePages
    generated: dict[str, File]  # studylog's files by src_uri
    inputs: Snapshot
    keys: dict[str, str]  # each page's view (views.view_keys)
    entries: dict[str, list[dict[str, Any]]]  # search entries by page src_uri
    assets: frozenset[str]  # figure files written into the site (src_uris)
    listings: bool  # a page lists tags (Material's tags plugin)


@dataclass
class Recording:
    """What the hooks of a full build collect, until it is done."""

    inputs: Snapshot = field(default_factory=dict)
    files: Files | None = None
    generated: list[str] = field(default_factory=list)
    env: jinja2.Environment | None = None
    nav: Navigation | None = None
    listings: bool = False


class Live:
    """The live rebuilds of one ``mkdocs serve``."""

    def __init__(self, plugin: Builds) -> None:
        self.plugin = plugin
        self.last: Built | None = None
        self.recording = Recording()
        self.said: set[str] = set()  # fallback reasons already explained once

    # -- a full build, recorded by the plugin's hooks -------------------------------------

    def roots(self, config: MkDocsConfig) -> tuple[list[Path], list[Path]]:
        """The folders of studylog's inputs, and the other paths of the project that
        ``mkdocs serve`` watches (the installed theme's own files are not looked at: a
        change there, seen by ``--watch-theme`` alone, finds no change here, and a change
        no snapshot shows rebuilds everything)."""
        settings, root = self.plugin.settings, self.plugin.root
        ours = [root / settings.logs_dir, root / settings.snippets_dir]
        if settings.logs_assets_dir:
            ours.append(root / settings.logs_assets_dir)
        others = [Path(config.docs_dir), *(Path(p) for p in config.watch)]
        if config.config_file_path:
            others.append(Path(config.config_file_path))
        custom = config.theme.custom_dir
        if custom:
            others.append(Path(custom))
        return [p.resolve() for p in ours], [p.resolve() for p in others]

    def starting(self, config: MkDocsConfig) -> None:
        """A full build starts: note the inputs it reads."""
        ours, others = self.roots(config)
        self.recording = Recording(inputs=snapshot([*ours, *others]))
        self.last = None

    def files(self, files: Files, generated: list[str]) -> None:
        """The build's files, and studylog's among them."""
        self.recording.files = files
        self.recording.generated = generated

    def env(self, env: jinja2.Environment) -> None:
        self.recording.env = env

    def nav(self, nav: Navigation) -> None:
        self.recording.nav = nav

    def markdown(self, config: MkDocsConfig, markdown: str) -> None:
        """A page's Markdown: note whether it lists tags."""
        tags = _tags_plugin(config)
        if tags is not None and f"<!-- {tags.config.listings_directive}" in markdown:
            self.recording.listings = True

    def done(self, config: MkDocsConfig, site: SitePages, assets: frozenset[str]) -> None:
        """The full build is done: keep what it made for the next rebuild."""
        rec = self.recording
        search = internals.search_plugin(config)
        if rec.files is None or rec.env is None or rec.nav is None or search is None:
            self.last = None
            return
        pages = _doc_pages(rec.files)
        log.info("studylog: built all %d pages", len(pages))
        self.last = Built(
            config=config,
            files=rec.files,
            nav=rec.nav,
            env=rec.env,
            site=site,
            generated={u: f for u in rec.generated if (f := rec.files.get_file_from_path(u))},
            inputs=rec.inputs,
            keys=views.view_keys(rec.nav, config),
            entries=_entries_by_page(internals.search_entries(search), pages),
            assets=assets,
            listings=rec.listings,
        )

    def forget(self) -> None:
        """A build failed: the next change rebuilds everything."""
        self.last = None

    # -- a live rebuild ---------------------------------------------------------------------

    def builder(self, full: Callable[..., None]) -> Callable[..., None]:
        """The server's builder: a live rebuild where it can be made, else ``full``."""

        def build(config: MkDocsConfig | None = None) -> None:
            if config is None and self.last is not None:
                try:
                    self.rebuild(self.last)
                    return
                except Fallback as why:
                    self._say(str(why))
                except Exception as exc:  # a bug here must not stop the server: rebuild all
                    self.last = None
                    log.warning("studylog: a live rebuild failed (%r); rebuilding the site", exc)
            full(config) if config is not None else full()

        return build

    def _say(self, why: str) -> None:
        level = logging.DEBUG if why in self.said else logging.INFO
        self.said.add(why)
        log.log(level, "studylog: rebuilding the whole site: %s", why)

    def rebuild(self, last: Built) -> None:
        """Render what the changes since ``last`` changed; :class:`Fallback` if it cannot."""
        started = time.perf_counter()
        config = last.config
        ours, others = self.roots(config)
        now = snapshot([*ours, *others])
        edits = changed(last.inputs, now)
        if not edits:
            raise Fallback("a change outside the paths studylog knows")
        outside = sorted(p for p in edits if not under(p, ours))
        if outside:
            raise Fallback(f"{_shown(outside[0], self.plugin.root)} changed")
        unknown = [
            name
            for name, p in config.plugins.items()
            if not type(p).__module__.startswith(KNOWN_PLUGINS)
        ]
        if unknown:
            raise Fallback(f"the {unknown[0]} plugin may read other pages")
        if config.extra_templates:
            raise Fallback("the site has extra templates")
        log.info("Building documentation: the pages the change touches (studylog)")
        self.last = None  # until this rebuild is done
        site = self.plugin.live_build(config)
        if site.stylesheets != last.site.stylesheets:
            raise Fallback("the pages need another stylesheet")
        counts = self._render(last, config, site, edits, now)
        log.info(
            "studylog: rebuilt %d of %d pages (%d changed, %d with a changed navigation) in %.2f s",
            counts[0] + counts[1],
            counts[2],
            counts[0],
            counts[1],
            time.perf_counter() - started,
        )

    def _render(
        self, last: Built, config: MkDocsConfig, site: SitePages, edits: set[str], now: Snapshot
    ) -> tuple[int, int, int]:
        """Render what changed; returns (pages changed, pages whose view changed, pages)."""
        files = self._files_again(last, config, site)
        tags = _tags_touched(config, last, site, files.contents | files.removed, files.nav_changed)
        nav, keys = _navigation(last, config, files)
        pages = _doc_pages(files.all)
        chosen = self._chosen(last, site, files, pages)
        for page in pages:
            if page.file.src_uri in chosen:
                internals.populate_page(page, config, files.all)
        if tags is not None:
            _replay_tags(tags, pages, config, files.all, last.env)
        viewed = {u for u, k in keys.items() if last.keys.get(u) != k} - chosen
        rendered = [p for p in pages if p.file.src_uri in chosen | viewed]
        search = internals.search_plugin(config)
        assert search is not None  # checked when the last build was recorded
        internals.fresh_search_index(search)
        _build_pages(pages, rendered, chosen, config, files, nav, last.env)
        entries = _splice_search(search, last, pages, rendered, Path(config.site_dir))
        assets = self.plugin.live_done(config)
        _tidy_site(Path(config.site_dir), last, files, assets, edits)
        self.last = Built(
            config=config,
            files=files.all,
            nav=nav,
            env=last.env,
            site=site,
            generated=files.generated,
            inputs=now,
            keys=keys,
            entries=entries,
            assets=assets,
            listings=last.listings,
        )
        done = {p.file.src_uri for p in rendered}
        return len(chosen & done), len(viewed & done), len(pages)

    def _files_again(self, last: Built, config: MkDocsConfig, site: SitePages) -> _Files:
        """The last build's files with studylog's made again, and what changed among them."""
        files = last.files
        before = {u: _content(f) for u, f in last.generated.items()}
        for file in last.generated.values():
            files.remove(file)
        uris = self.plugin.add_files(files, config, last.generated)
        generated = {u: f for u in uris if (f := files.get_file_from_path(u))}
        set_exclusions(generated.values(), config)
        added = generated.keys() - last.generated.keys()
        removed = last.generated.keys() - generated.keys()
        contents = {
            u
            for u, f in generated.items()
            if u in added
            or _content(f) != before.get(u)
            or site.pages.get(u) != last.site.pages.get(u)
        }
        nav_changed = bool(added or removed) or site.nav != last.site.nav
        return _Files(files, generated, set(added), set(removed), contents, nav_changed)

    def _chosen(self, last: Built, site: SitePages, files: _Files, pages: list[Page]) -> set[str]:
        """The pages whose content changed: studylog's changed pages, the dashboard's page
        when the dashboard changed, and, when logs came or went, the hand-written pages
        (their links to logs' pages may resolve otherwise)."""
        chosen = {p.file.src_uri for p in pages if p.file.src_uri in files.contents}
        home = self.plugin.home
        if home and site.dashboard != last.site.dashboard:
            chosen.add(home)
        if files.added or files.removed:
            chosen |= {p.file.src_uri for p in pages if p.file.src_uri not in files.generated}
        return chosen


@dataclass
class _Files:
    """The files of a live rebuild, with what changed among studylog's."""

    all: Files
    generated: dict[str, File]  # studylog's, by src_uri
    added: set[str]
    removed: set[str]
    contents: set[str]  # studylog's files whose content changed (or that are new)
    nav_changed: bool


def _navigation(
    last: Built, config: MkDocsConfig, files: _Files
) -> tuple[Navigation, dict[str, str]]:
    """The navigation (MkDocs' own, made again when studylog's changed) and each page's
    view of it."""
    if not files.nav_changed:
        return last.nav, last.keys
    nav = get_navigation(files.all, config)
    nav = config.plugins.on_nav(nav, config=config, files=files.all)
    return nav, views.view_keys(nav, config)


def _build_pages(
    pages: list[Page],
    rendered: list[Page],
    chosen: set[str],
    config: MkDocsConfig,
    files: _Files,
    nav: Navigation,
    env: jinja2.Environment,
) -> None:
    """Write ``rendered`` with MkDocs' page steps (and the theme's static templates when the
    navigation changed); check the anchors of the pages whose content changed."""
    doc_files = [p.file for p in pages]
    for page in rendered:
        internals.build_page(page, config, doc_files, nav, env)
    if files.nav_changed:
        for name in sorted(config.theme.static_templates):
            internals.build_theme_template(name, env, files.all, config, nav)
    for page in rendered:
        if page.file.src_uri in chosen:
            page.validate_anchor_links(files=files.all, log_level=config.validation.links.anchors)


def _splice_search(
    search: Any, last: Built, pages: list[Page], rendered: list[Page], site_dir: Path
) -> dict[str, list[dict[str, Any]]]:
    """Write the search index: the new entries of ``rendered``, the kept ones of the other
    pages; returns the entries by page."""
    done = {p.file.src_uri for p in rendered}
    fresh = _entries_by_page(internals.search_entries(search), rendered)
    entries = {
        p.file.src_uri: fresh.get(p.file.src_uri, [])
        if p.file.src_uri in done
        else last.entries.get(p.file.src_uri, [])
        for p in pages
    }
    index = internals.search_index_json(search, [e for es in entries.values() for e in es])
    _write(site_dir / "search" / "search_index.json", index)
    return entries


def _tidy_site(
    site_dir: Path, last: Built, files: _Files, assets: frozenset[str], edits: set[str]
) -> None:
    """Delete the pages and figures that are gone; copy the stylesheets and images that are
    new or edited."""
    for uri in files.removed:
        _delete(site_dir, last.generated[uri].dest_uri)
    for uri in last.assets - assets:
        _delete(site_dir, uri)
    for uri, file in files.generated.items():
        if file.is_documentation_page():
            continue
        if uri in files.contents or (file.abs_src_path is not None and file.abs_src_path in edits):
            file.copy_file()


def _doc_pages(files: Files) -> list[Page]:
    docs = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    return [f.page for f in docs if isinstance(f.page, Page)]


def _entries_by_page(
    entries: list[dict[str, Any]], pages: list[Page]
) -> dict[str, list[dict[str, Any]]]:
    """Search entries by the page they index (their location up to ``#``)."""
    by_url = {p.url: p.file.src_uri for p in pages}
    out: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        uri = by_url.get(str(entry.get("location", "")).partition("#")[0])
        if uri is not None:
            out.setdefault(uri, []).append(entry)
    return out


def _content(file: File) -> str | None:
    return file.content_string if file.abs_src_path is None else file.abs_src_path


def _tags_plugin(config: MkDocsConfig) -> Any:
    for plugin in config.plugins.values():
        if type(plugin).__module__ == TAGS_PLUGIN and plugin.config.enabled:
            return plugin
    return None


def _tags_touched(
    config: MkDocsConfig, last: Built, site: SitePages, uris: set[str], nav_changed: bool
) -> Any:
    """Material's tags plugin when what it keeps of the pages may have changed -- a page
    with tags changed, came or went, or the navigation's titles changed -- so its index
    and ``tags.json`` are made again; None when not; :class:`Fallback` when a page lists
    tags (its listing would change too)."""
    tags = _tags_plugin(config)
    if tags is None:
        return None
    old = {u: p.tags for u, p in last.site.pages.items()}
    new = {u: p.tags for u, p in site.pages.items()}
    if not nav_changed and not any(old.get(u) or new.get(u) for u in uris):
        return None
    if last.listings or tags.config.tags_file or tags.config.tags_extra_files:
        raise Fallback("pages with tags changed while a page lists tags")
    return tags


def _replay_tags(
    tags: Any, pages: list[Page], config: MkDocsConfig, files: Files, env: jinja2.Environment
) -> None:
    """The tags plugin's index made again, as a full build makes it: its own ``on_config``,
    every page's Markdown in build order, then its ``on_env`` (which writes ``tags.json``)."""
    tags.on_config(config)
    for page in pages:
        if page.markdown is not None:
            tags.on_page_markdown(page.markdown, page=page, config=config, files=files)
    tags.on_env(env, config=config, files=files)


def _shown(path: str, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _delete(site_dir: Path, uri: str) -> None:
    target = site_dir / uri
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != site_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
