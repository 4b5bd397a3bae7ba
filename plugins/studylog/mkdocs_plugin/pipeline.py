"""One build: parse the logs, start every session up front, render every page.

Everything here is a call into the core; this module only translates the
plugin's options into the core's arguments and collects the diagnostics.

The sessions run in the background while MkDocs converts the pages: the first
render gives every page its final Markdown, with each result-dependent part in a
slot (whose number does not depend on the results); ``Build.finish`` waits for
the results and renders again, giving the slots their final HTML.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from studylog.execute import Cache, Session, SessionResult, collect_sessions, run
from studylog.memo import Memo, build_dir
from studylog.mkdocs_plugin.config import StudylogConfig, parser_options
from studylog.model import Log, Problem
from studylog.parse import ParserConfig, parse_paths
from studylog.render import links
from studylog.render.body import BodySettings
from studylog.render.highlight import PLAIN, options_key
from studylog.render.images import ImageFolders
from studylog.render.jekyll import Site
from studylog.render.links import Linker
from studylog.render.log_page import BodyOptions
from studylog.render.site import SitePages, render_site
from studylog.render.site_pages import qa_chart
from studylog.stats import site_stats


@dataclass(frozen=True)
class Build:
    site: SitePages
    sessions: tuple[Session, ...]
    results: tuple[SessionResult, ...]
    problems: tuple[Problem, ...]  # parser, snippet-option and log-body problems
    snippet_failures: tuple[Problem, ...]  # failed blocks, as path:line problems
    memo: Memo  # parsed logs and bodies, kept for the next build (saved after the build)
    # Set while sessions still run: waits for them and returns the finished build.
    finish: Callable[[], Build] | None = None


def parser_config(options: StudylogConfig) -> ParserConfig:
    """The parser's config: plain options set, pattern lists extended (never replaced)."""
    plain, extra = parser_options(options)
    return ParserConfig(**plain).extend(**extra)


# Extensions that make a site's code blocks highlighted (superfences uses pymdownx.highlight).
HIGHLIGHTERS = frozenset({"pymdownx.highlight", "pymdownx.superfences", "codehilite"})


def _permalink(config: MkDocsConfig) -> str:
    """The heading link symbol the site's ``toc`` extension uses ("" when it adds none)."""
    toc = config.mdx_configs.get("toc") or {}
    value = toc.get("permalink")
    if value is True:
        return "¶"
    return value if isinstance(value, str) else ""


def body_options(options: StudylogConfig, root: Path, config: MkDocsConfig) -> BodyOptions:
    """How log bodies are rendered: the renderer, and the site settings that shape them."""
    site = Site.from_site_url(config.site_url)
    settings = BodySettings(
        site=site,
        # Code blocks look like the site's other code blocks: highlighted as its
        # pymdownx.highlight options say, or plain when it does not use it.
        highlight=(options_key(config.mdx_configs.get("pymdownx.highlight"))
                   if HIGHLIGHTERS & set(config.markdown_extensions) else PLAIN),
        permalink=_permalink(config),
    )
    assets = options.logs_assets_dir
    folders = ImageFolders(
        project=root.resolve(),
        logs=(root / options.logs_dir).resolve(),
        assets=(root / assets).resolve() if assets else None,
        docs=Path(config.docs_dir).resolve(),
        site=site,
    )
    return BodyOptions(renderer=options.logs_renderer, settings=settings, images=folders)


def read_logs(options: StudylogConfig, root: Path,
              memo: Memo | None = None) -> tuple[list[Log], list[Problem]]:
    folder = root / options.logs_dir
    if not folder.is_dir():
        return [], [Problem(options.logs_dir, 0, "the logs folder does not exist",
                            hint="create it or set plugins.studylog.logs_dir in mkdocs.yml")]
    logs = parse_paths([folder], root=root, config=parser_config(options), memo=memo)
    if not options.logs_drafts:
        logs = [lg for lg in logs if not lg.draft]
    problems = [p for lg in logs for p in lg.problems]
    return logs, problems


def failures(results: Sequence[SessionResult]) -> list[Problem]:
    out = []
    for result in results:
        if not result.failed:
            continue
        bad = [b for b in result.blocks if b.status not in ("ok", "error-allowed", "skipped")]
        if not bad:
            out.append(Problem(result.log, 1, f"session {result.session!r} {result.status}: "
                               f"{result.message}".rstrip(": "),
                               hint="see the execution report"))
        for block in bad:
            detail = (block.error or result.message or "").strip().splitlines()
            last = detail[-1] if detail else ""
            out.append(Problem(
                result.log, block.line, f"snippet {block.status}: {last}".rstrip(": "),
                hint='the traceback is on the page; errors="allow" marks an expected error',
            ))
    return out


class _Background:
    """A call running in a thread; ``result()`` waits and re-raises what it raised."""

    def __init__(self, call: Callable[[], Any]) -> None:
        self._call = call
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="studylog-build", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._call()
        except BaseException as exc:  # handed to the waiting thread
            self._error = exc

    def done(self, within: float = 0.0) -> bool:
        self._thread.join(within)
        return not self._thread.is_alive()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def build_site(
    options: StudylogConfig,
    root: Path,
    config: MkDocsConfig,
    *,
    pool: Callable[[], Any],
) -> Build:
    """Parse, start the sessions, and render the pages' Markdown (see ``Build.finish``)."""
    memo = Memo(root / options.cache_dir)
    logs, problems = read_logs(options, root, memo)
    # Draw the Q/A chart (matplotlib import included) while the snippets run.
    try:
        chart_dir: Path | None = build_dir(root / options.cache_dir) / "charts"
    except OSError:
        chart_dir = None  # a read-only project: the chart is drawn on every build
    charts = threading.Thread(
        target=qa_chart,
        args=(site_stats(logs, dict(options.keyword_aliases)), chart_dir),
        daemon=True,
    )
    charts.start()
    sessions, session_problems = collect_sessions(
        logs, project_root=root, default_timeout=float(options.timeout)
    )
    cache = Cache(root / options.cache_dir)
    active = pool() if options.execute and sessions else None
    running = _Background(lambda: run(
        sessions, project_root=root, cache=cache, pool=active, execute=options.execute,
    ))
    charts.join()
    logs_dir = (root / options.logs_dir).resolve()
    uris = {}
    for lg in logs:
        try:
            rel = (root / lg.path).resolve().relative_to(logs_dir).as_posix()
        except ValueError:
            rel = lg.path
        uris[lg.path] = links.log_uri(rel)

    def render(results: Sequence[SessionResult]) -> SitePages:
        return render_site(
            logs,
            log_uris=uris,
            sessions=sessions,
            results=results,
            linker=Linker(directory_urls=config.use_directory_urls),
            aliases=dict(options.keyword_aliases),
            weeks_title=options.nav_weeks_title,
            chart_dir=chart_dir,
            memo=memo,
            body=body,
        )

    body = body_options(options, root, config)

    def finished() -> Build:
        results = running.result()
        site = render(results)
        return Build(
            site=site,
            sessions=tuple(sessions),
            results=tuple(results),
            problems=tuple(problems + session_problems) + site.problems,
            snippet_failures=tuple(failures(results)),
            memo=memo,
        )

    # Everything from the cache takes milliseconds: then render once, now.
    if running.done(within=0.25):
        return finished()
    first = render(())
    started = Build(site=first, sessions=tuple(sessions), results=(),
                    problems=tuple(problems + session_problems) + first.problems,
                    snippet_failures=(), memo=memo)
    return replace(started, finish=finished)
