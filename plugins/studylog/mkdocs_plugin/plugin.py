"""The ``studylog`` MkDocs plugin: thin hooks over parse -> execute -> render.

Hook order in one build (priorities say where each runs relative to other plugins):

* ``on_startup``  keeps this object, and with it the warm worker pool, across
  ``mkdocs serve`` rebuilds.
* ``on_config``   (first) gives Material's search studylog's word separator when
  the site sets none; (last) resolves paths against mkdocs.yml, adds the stylesheet
  and the Review page's script, parses every log, starts every session up front on
  the pool (through the cache) in the background and renders every generated page's
  Markdown;
  parser problems are logged as ``path:line: message (hint)`` warnings.
* ``on_files``    adds the generated pages as virtual files.
* ``on_nav``      files the generated pages by week and date.
* ``on_page_markdown`` puts the dashboard into the home page.
* ``on_page_content``  (last) sanitizes the HTML of a log page that the site's
  Python-Markdown converted (``logs_renderer: python-markdown``).
* ``on_env``       notes the template environment (for live rebuilds).
* ``on_page_context``  (MkDocs has converted every page by now, while the
  sessions ran) waits for the results once (logging how far they are every few
  seconds), writes the figures, logs snippet failures, then gives each log page
  studylog rendered its HTML and table of contents and swaps slot placeholders
  for their HTML, before ``search`` indexes the page, so outputs are searchable
  and each heading is a section.
* ``on_post_build``    adds Korean word forms to the search index (after ``search``
  wrote it); the query side is ``assets/studylog/search.js`` (see ``search``). Under
  ``mkdocs serve`` it keeps what the build made for the next, live, rebuild.
* ``on_serve``     watches logs/, snippets/ and the assets folder, hands the server
  the builder of live rebuilds (:mod:`studylog.mkdocs_plugin.live`: an edit renders
  only the pages it changes) and starts a worker, so the first edit finds it warm.
* ``on_build_error``   forgets what a failed build left.
* ``on_shutdown``      stops the workers.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from mkdocs.config.base import ConfigErrors, ConfigWarnings
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from studylog.execute.executor import Executor, ExecutorError, notes_of
from studylog.execute.executors import make_executor
from studylog.execute.runner import warm_up
from studylog.execute.status import counts, starting
from studylog.memo import Memo
from studylog.mkdocs_plugin import files as generated
from studylog.mkdocs_plugin import search
from studylog.mkdocs_plugin.assets import CSS_URI
from studylog.mkdocs_plugin.config import OPTIONS, StudylogConfig, to_settings, unknown_options
from studylog.mkdocs_plugin.live import Live
from studylog.mkdocs_plugin.nav import build_nav
from studylog.mkdocs_plugin.pipeline import Build, FinishedBuild, PendingBuild, build_site
from studylog.mkdocs_plugin.toc import page_toc
from studylog.parse.config import parser_config
from studylog.render.links import REVIEW_SCRIPT
from studylog.render.sanitize import sanitize
from studylog.render.site import SitePages
from studylog.render.slots import Rendered, fill
from studylog.settings import DEFAULTS, Settings
from studylog.terminal import LogFilter

log = logging.getLogger("mkdocs.plugins.studylog")
log.addFilter(LogFilter())  # log lines quote logs: no control characters reach the terminal

DASHBOARD_MARKER = "<!-- studylog:dashboard -->"
PROGRESS_EVERY = 5.0  # seconds between progress lines while sessions run


class StudylogPlugin(BasePlugin[StudylogConfig]):
    """The MkDocs plugin: each hook a few calls into the core (see above)."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        # Where sessions run (the local pool, or a Ray cluster's actors), made on first use;
        # ``executor_made_for`` is what it was made from.
        self.executor: Executor | None = None
        self.executor_made_for: tuple[object, ...] = ()
        self.persistent = False  # True under `mkdocs serve`: keep the executor between builds
        self.build: Build | None = None
        self.settings: Settings = DEFAULTS
        self.root = Path.cwd()
        self.pages: dict[str, Rendered] = {}
        self.board_slots: dict[str, str] = {}
        self.home: str | None = None  # src_uri of the page holding the dashboard
        self.site_dir = Path("site")
        self.started = 0.0
        self.assets: set[str] = set()  # figure files written into the site (src_uris)
        self.live: Live | None = None  # under `mkdocs serve`: rebuilds of what changed only
        self.memo: Memo | None = None  # under `mkdocs serve`: kept in memory between builds
        self.memo_folder: Path | None = None
        self.said: set[str] = set()  # what was said once per process: configuration
        # warnings, the executor's notes

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[ConfigErrors, ConfigWarnings]:
        """MkDocs' check of the options, with an unknown option named at its line in
        mkdocs.yml with the option it most likely means (once per process: ``mkdocs
        serve`` reads the config again for every rebuild)."""
        errors, warnings = super().load_config(options, config_file_path)
        kept: list[Any] = [
            w for w in warnings if not (isinstance(w, tuple) and w[0] not in OPTIONS)
        ]
        for message in unknown_options(options, config_file_path):
            if message not in self.said:
                self.said.add(message)
                kept.append(message)
        return errors, kept

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Keep this object (and its warm workers) across ``mkdocs serve`` rebuilds."""
        self.persistent = command == "serve"
        self.live = Live(self) if self.persistent else None

    # First, before Material's search plugin reads its own options: Korean search needs
    # words cut at the punctuation stuck to them (search.set_separator).
    @event_priority(100)
    def _search_options(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Give Material's search studylog's word separator when the site sets none."""
        if self.config.enabled and self.config.korean_search:
            search.set_separator(config.plugins)
        return None

    # Last, so the options other plugins set are final: the build starts here, before
    # MkDocs lists the docs and theme files, so a worker needed for an edited snippet
    # starts importing torch as early as the options are known.
    @event_priority(-100)
    def _start_build(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Parse the logs, start their sessions and render every generated page."""
        if not self.config.enabled:
            return None
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.site_dir = Path(config.site_dir)
        self.settings = to_settings(self.config)
        bad = parser_config(self.settings).check()
        if bad:
            raise PluginError("studylog: " + "; ".join(bad))
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        if self.settings.korean_search and search.SCRIPT_URI not in config.extra_javascript:
            config.extra_javascript.append(search.SCRIPT_URI)
        if REVIEW_SCRIPT not in config.extra_javascript:  # the Review page's (small; it loads
            config.extra_javascript.append(REVIEW_SCRIPT)  # its scheduler only there)
        self.home = None
        if self.live is not None:
            self.live.starting(config)
        self._start(config)
        assert self.build is not None
        for uri in self.build.site.stylesheets:  # e.g. notebook cells', when there are any
            if uri not in config.extra_css:
                config.extra_css.append(uri)
        return config

    on_config = CombinedEvent(_search_options, _start_build)

    @event_priority(-50)  # after other plugins added their files, before tags/blog read pages
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        """Add the generated pages, the stylesheets and the search script."""
        if not self.config.enabled or self.build is None:
            return None
        added = self.add_files(files, config)
        if self.live is not None:
            self.live.files(files, added)
        if isinstance(self.build, FinishedBuild):
            self._finished(self.build)
        return files

    @event_priority(-50)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        """File the generated pages by week and date after the site's own."""
        if not self.config.enabled or self.build is None:
            return None
        return build_nav(nav, self.build.site.nav, files, config)

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Put the dashboard into the home page."""
        if self.live is not None:
            self.live.markdown(config, markdown)
        if self.build is None or not page.is_homepage or not self.settings.dashboard:
            return None
        board = self.build.site.dashboard
        self.home = page.file.src_uri
        if DASHBOARD_MARKER in markdown:
            return markdown.replace(DASHBOARD_MARKER, board.markdown)
        return markdown.rstrip("\n") + "\n\n" + board.markdown

    @event_priority(-100)  # last: what the sanitizer sees is the page's final HTML
    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Sanitize a log page that the site's Python-Markdown converted."""
        if self.build is None:
            return None
        rendered = self.build.site.pages.get(page.file.src_uri)
        if rendered is not None and rendered.sanitize:
            return sanitize(html)
        return None

    @event_priority(50)  # before search indexes the page, so outputs are searchable
    def on_page_context(
        self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        """Give each generated page its final HTML, outputs included."""
        self._wait()
        if self.live is not None:
            self.live.nav(nav)
        uri = page.file.src_uri
        if uri == self.home:
            if self.board_slots and page.content is not None:
                page.content = fill(page.content, self.board_slots)
            return context
        rendered = self.pages.get(uri)
        if rendered is None:
            return context
        if rendered.html is not None:
            page.content = rendered.html
            page.toc = page_toc(rendered.toc)
        elif rendered.slots and page.content is not None:
            page.content = fill(page.content, rendered.slots, rendered.nonce)
        return context

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Note the template environment (a live rebuild renders pages with it)."""
        if self.live is not None:
            self.live.env(env)
        return env

    @event_priority(-100)  # after Material's search plugin wrote its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Add Korean word forms to the search index; save the build memo."""
        self._wait()  # a site whose pages all failed to render still reports its sessions
        assets = self.live_done(config)
        if self.live is not None and isinstance(self.build, FinishedBuild):
            self.live.done(config, self.build.site, assets)
        if not self.persistent:
            self._close_executor()

    def on_build_error(self, *, error: Exception) -> None:
        """A build that failed leaves nothing a live rebuild could start from."""
        if self.live is not None:
            self.live.forget()

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        """Watch the logs, snippets and assets; rebuild only what an edit changes; start a
        worker early."""
        if not self.config.enabled:
            return None
        folders = [self.root / self.settings.logs_dir, self.root / self.settings.snippets_dir]
        if self.settings.logs_assets_dir:
            folders.append(self.root / self.settings.logs_assets_dir)
        for folder in folders:
            if folder.is_dir():
                server.watch(str(folder))
        if self.live is not None:
            server.builder = self.live.builder(server.builder)
        if self.settings.execute:
            # Start a worker now, in the background (torch imports, or a Ray cluster is
            # joined, while the server comes up), so the first edit finds it warm. One: an
            # edit usually touches one log, and more torch imports at once would slow the
            # first rebuilds.
            with _executor_errors():
                executor = self._executor()
            warm_up(executor, 1, lambda exc: log.warning("studylog: %s", exc))
        return server

    # -- one build's steps, shared by MkDocs' builds and live rebuilds --------------------

    def _start(self, config: MkDocsConfig) -> None:
        """Parse the logs, start their sessions, render the pages; report the problems."""
        if isinstance(self.build, PendingBuild):  # a rebuild while the last one still ran
            self.build.cancel()
        self.started = time.perf_counter()
        with _executor_errors():
            self.build = build_site(
                self.settings, self.root, config, executor=self._executor, memo=self._memo()
            )
        for problem in self.build.problems:
            log.warning(str(problem))
        if isinstance(self.build, PendingBuild):
            log.info("studylog: %s", starting(self.build.progress()))

    def add_files(
        self, files: Files, config: MkDocsConfig, reuse: Mapping[str, File] | None = None
    ) -> list[str]:
        """Add the generated pages, stylesheets, images and the search script to ``files``
        (``reuse``: the last build's, kept where they are the same); their src_uris."""
        assert self.build is not None
        added = generated.add_generated(files, self.build.site, config, reuse)
        if self.settings.korean_search and files.get_file_from_path(search.SCRIPT_URI) is None:
            script = (reuse or {}).get(search.SCRIPT_URI)
            if script is None:
                script = File.generated(config, search.SCRIPT_URI, content=search.script())
            files.append(script)
            added.append(search.SCRIPT_URI)
        return added

    def live_build(self, config: MkDocsConfig) -> SitePages:
        """studylog's part of a live rebuild: every page rendered, outputs in."""
        self._start(config)
        if isinstance(self.build, FinishedBuild):  # everything came from the cache at once
            self._finished(self.build)
        self._wait()
        assert isinstance(self.build, FinishedBuild)
        return self.build.site

    def live_done(self, config: MkDocsConfig) -> frozenset[str]:
        """The end of a build: Korean forms in the search index, the memo saved; returns
        the figures written into the site."""
        memo = self.build.memo if self.build is not None else None
        if self.config.enabled and self.settings.korean_search:
            search.add_forms(config.site_dir, memo)
        if memo is not None:
            memo.save()
        return frozenset(self.assets)

    def _memo(self) -> Memo | None:
        """Under ``mkdocs serve``, the memo kept in memory between builds."""
        if not self.persistent:
            return None  # read by the build
        folder = self.root / self.settings.cache_dir
        if self.memo is None or self.memo_folder != folder:
            self.memo, self.memo_folder = Memo(folder, shown_root=self.root), folder
        else:
            self.memo.next_build()
        return self.memo

    def on_shutdown(self) -> None:
        """Stop the sessions that still run and the workers."""
        if isinstance(self.build, PendingBuild):  # stopped (Ctrl+C) while sessions ran
            self.build.cancel()
        self._close_executor()

    # -- helpers -------------------------------------------------------------------------

    def _executor(self) -> Executor:
        """The executor, created on first use and kept while this plugin lives (under
        ``mkdocs serve``: warm workers, or a joined Ray cluster and its warm actors, across
        rebuilds); a new one when mkdocs.yml changed how sessions run."""
        made_for = (self.settings.executor, self.root)
        if self.executor is not None and made_for != self.executor_made_for:
            self._close_executor()
        if self.executor is None:
            self.executor = make_executor(self.settings, self.root)
            self.executor_made_for = made_for
        return self.executor

    def _close_executor(self) -> None:
        if self.executor is not None:
            self.executor.close()
            self.executor = None

    def _wait(self) -> None:
        """Once per build: wait for the sessions (saying how far they are every few seconds),
        then take the final render. Ctrl+C stops the sessions that still run."""
        build = self.build
        if not isinstance(build, PendingBuild):
            return
        try:
            while not build.wait(PROGRESS_EVERY):
                progress = build.progress()
                slowest = progress.slowest
                log.info(
                    "studylog: %d of %d sessions done%s",
                    progress.done,
                    progress.total,
                    f"; slowest running: {slowest[0]} ({slowest[1]:.0f} s)" if slowest else "",
                )
            with _executor_errors():
                self._finished(build.finish())
        except BaseException:
            build.cancel()
            raise

    def _finished(self, build: FinishedBuild) -> None:
        self.build = build
        site = build.site
        self.pages = dict(site.pages)
        self.board_slots = dict(site.dashboard.slots)
        # Figures are known only now, after MkDocs collected its files: write them
        # straight into the site (their links are added with the outputs).
        self.assets = set(site.assets)
        for uri, svg in site.assets.items():
            target = self.site_dir / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(svg, encoding="utf-8")
        self._report(build, time.perf_counter() - self.started)

    def _report(self, build: FinishedBuild, seconds: float) -> None:
        for problem in build.cache_problems:
            log.warning(str(problem))
        for note in notes_of(self.executor):
            if note not in self.said:  # once, not at every `mkdocs serve` rebuild
                self.said.add(note)
                log.info(note)
        for problem in build.snippet_failures:
            if self.settings.strict_snippets:
                log.warning(str(problem))
            else:
                log.info(str(problem))
        log.info(
            "studylog: %d logs, %d sessions (%s) in %.1f s",
            len(build.site.logs),
            len(build.results),
            counts(build.results),
            seconds,
        )


@contextlib.contextmanager
def _executor_errors() -> Iterator[None]:
    """An executor that cannot run anything (an unreachable Ray cluster) stops the build
    with its one-line message, not a traceback."""
    try:
        yield
    except ExecutorError as exc:
        raise PluginError(f"studylog: {exc}") from None
