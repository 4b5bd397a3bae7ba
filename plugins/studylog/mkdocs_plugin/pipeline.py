"""One build: parse the logs, start every session up front, render every page once.

Everything here is a call into the core; this module translates the project's
settings into the core's arguments, keeps the build memo (the core never sees
it: it is handed functions that ask the memo first), and collects the
diagnostics.

The sessions run in the background while MkDocs converts the pages: the pages
are rendered once, before the results are in, with each result-dependent part
in a slot (whose number does not depend on the results). A :class:`PendingBuild`
holds those pages and the :class:`~studylog.execute.Running` sessions;
:meth:`PendingBuild.finish` waits for them and fills the slots
(:meth:`~studylog.render.site.SitePages.finish`), giving a :class:`FinishedBuild`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import get_build_datetime

from studylog import memo as memos
from studylog.execute import (
    Cache,
    Executor,
    Progress,
    Running,
    Session,
    SessionResult,
    collect_sessions,
)
from studylog.execute import start as start_sessions
from studylog.execute.status import failures
from studylog.model import Log, Problem
from studylog.parse import parse_paths
from studylog.parse.config import parser_config
from studylog.parse.files import parser
from studylog.render import links
from studylog.render.body import BodySettings
from studylog.render.highlight import PLAIN, options_key
from studylog.render.images import ImageFolders
from studylog.render.jekyll import SiteAddress
from studylog.render.links import Linker
from studylog.render.plan import BodyOptions, RenderContext
from studylog.render.site import SiteInputs, SitePages, render_site
from studylog.render.site_pages import draw_qa_chart, qa_chart_data
from studylog.settings import Settings
from studylog.stats import site_stats
from studylog.words import Words, words_for

# A run whose sessions all come from the cache settles within this many seconds:
# then the pages are rendered once, with their outputs.
QUICK = 0.25


@dataclass(frozen=True)
class FinishedBuild:
    """Every page with its outputs, the sessions' results, and what to report."""

    site: SitePages
    sessions: tuple[Session, ...]
    results: tuple[SessionResult, ...]
    problems: tuple[Problem, ...]  # parser, snippet and log-body problems
    snippet_failures: tuple[Problem, ...]  # failed blocks, as path:line problems
    memo: memos.Memo  # kept for the next build (saved after this one)
    cache_problems: tuple[Problem, ...] = ()  # entries discarded, a cache that cannot be written


@dataclass(frozen=True)
class PendingBuild:
    """Pages rendered before the results (slots waiting), and the sessions still running."""

    site: SitePages
    sessions: tuple[Session, ...]
    inputs: tuple[Problem, ...]  # parser and snippet problems (the render adds its own)
    memo: memos.Memo
    running: Running
    cache: Cache

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem found so far: the parser's, the snippets', the pages'."""
        return self.inputs + self.site.problems

    def progress(self) -> Progress:
        """How far the sessions are."""
        return self.running.progress()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` seconds for the sessions; True when all are done."""
        return self.running.wait(timeout)

    def finish(self) -> FinishedBuild:
        """Wait for every session and fill the pages' slots with their outputs."""
        return _finished(
            self.running.result(), self.site, self.sessions, self.inputs, self.memo, self.cache
        )

    def cancel(self) -> None:
        """Stop the sessions that still run."""
        self.running.cancel()


Build = PendingBuild | FinishedBuild

# Extensions that make a site's code blocks highlighted (superfences uses pymdownx.highlight).
HIGHLIGHTERS = frozenset({"pymdownx.highlight", "pymdownx.superfences", "codehilite"})


def _permalink(config: MkDocsConfig) -> str:
    """The heading link symbol the site's ``toc`` extension uses ("" when it adds none)."""
    toc = config.mdx_configs.get("toc") or {}
    value = toc.get("permalink")
    if value is True:
        return "¶"
    return value if isinstance(value, str) else ""


def site_words(config: MkDocsConfig) -> Words:
    """The words of the site's language (``theme.language``, as Material reads it)."""
    return words_for(config.theme.get("language") if config.theme else None)


def body_options(settings: Settings, root: Path, config: MkDocsConfig) -> BodyOptions:
    """How log bodies are rendered: the renderer, and the site settings that shape them."""
    site = SiteAddress.from_site_url(config.site_url)
    body = BodySettings(
        site=site,
        # Code blocks look like the site's other code blocks: highlighted as its
        # pymdownx.highlight options say, or plain when it does not use it.
        highlight=(
            options_key(config.mdx_configs.get("pymdownx.highlight"))
            if HIGHLIGHTERS & set(config.markdown_extensions)
            else PLAIN
        ),
        permalink=_permalink(config),
    )
    assets = settings.logs_assets_dir
    folders = ImageFolders(
        project=root.resolve(),
        logs=(root / settings.logs_dir).resolve(),
        assets=(root / assets).resolve() if assets else None,
        docs=Path(config.docs_dir).resolve(),
        site=site,
    )
    return BodyOptions(renderer=settings.logs_renderer, settings=body, images=folders)


def read_logs(
    settings: Settings, root: Path, memo: memos.Memo | None = None
) -> tuple[list[Log], list[Problem]]:
    """Every log of the project (drafts only when the settings keep them), and the problems
    found reading them; ``memo`` keeps each parsed log between builds."""
    folder = root / settings.logs_dir
    if not folder.is_dir():
        return [], [
            Problem(
                settings.logs_dir,
                0,
                "the logs folder does not exist",
                hint="create it or set plugins.studylog.logs_dir in mkdocs.yml",
            )
        ]
    config = parser_config(settings)
    parse_one = parser(config)

    def parse(shown: str, data: bytes) -> Log:
        return memos.remember(
            memo, Log, lambda: parse_one(shown, data), "parse", shown, repr(config), data
        )

    refused: list[Problem] = []
    logs = parse_paths([folder], root=root, config=config, parse=parse, refused=refused)
    if not settings.logs_drafts:
        logs = [lg for lg in logs if not lg.draft]
    return logs, refused + [p for lg in logs for p in lg.problems]


def _log_uris(
    logs: Sequence[Log], root: Path, settings: Settings
) -> tuple[list[Log], dict[str, str], list[Problem]]:
    """Each log's page; a log whose page another log already has (``a.md`` and ``a.ipynb``)
    is left out, with a problem."""
    logs_dir = (root / settings.logs_dir).resolve()
    try:  # where logs' paths (relative to the project) start: most are read from there
        prefix = logs_dir.relative_to(root.resolve()).as_posix() + "/"
    except ValueError:
        prefix = None
    uris: dict[str, str] = {}
    owner: dict[str, str] = {}
    kept: list[Log] = []
    problems: list[Problem] = []
    for lg in logs:
        if prefix is not None and lg.path.startswith(prefix):
            rel = lg.path[len(prefix) :]
        else:
            try:
                rel = (root / lg.path).resolve().relative_to(logs_dir).as_posix()
            except ValueError:
                rel = lg.path
        uri = links.log_uri(rel)
        if uri in owner:
            problems.append(
                Problem(
                    lg.path,
                    1,
                    f"this log's page would be {owner[uri]}'s page too; it is left out",
                    "give one of the two files another name",
                )
            )
            continue
        owner[uri] = lg.path
        uris[lg.path] = uri
        kept.append(lg)
    return kept, uris, problems


def build_site(
    settings: Settings,
    root: Path,
    config: MkDocsConfig,
    *,
    executor: Callable[[], Executor],
    memo: memos.Memo | None = None,
) -> Build:
    """Parse, start the sessions, and render the pages' Markdown (see :class:`PendingBuild`);
    ``memo``: the one kept from the last build (under ``mkdocs serve``), else it is read."""
    memo = memo or memos.Memo(root / settings.cache_dir, shown_root=root)
    logs, problems = read_logs(settings, root, memo)
    problems = memo.problems + problems
    logs, uris, clashes = _log_uris(logs, root, settings)
    problems += clashes
    stats = site_stats(logs, dict(settings.keyword_aliases))
    words = site_words(config)
    with ThreadPoolExecutor(1, thread_name_prefix="studylog-chart") as charts:
        # Drawn (matplotlib imported) while the sessions start; kept by its data.
        data = qa_chart_data(stats, words)
        chart = charts.submit(
            memos.remember, memo, str, lambda: draw_qa_chart(data), "chart", repr(data)
        )
        sessions, session_problems = collect_sessions(
            [lg for lg in logs if settings.runs_code_of(lg.path)],
            project_root=root,
            default_timeout=settings.timeout,
            include_allowed=settings.include_allowed,
        )
        problems += session_problems
        cache = Cache(root / settings.cache_dir, shown_root=root, sandbox=settings.executor.sandbox)
        running = start_sessions(
            sessions,
            project_root=root,
            cache=cache,
            executor=executor() if settings.execute and sessions else None,
            execute=settings.execute,
            rerun_failed=settings.rerun_failed,
        )
        qa_chart = chart.result()

    site = render_site(
        SiteInputs(
            logs,
            uris,
            stats,
            sessions,
            RenderContext(
                linker=Linker(directory_urls=config.use_directory_urls),
                aliases=dict(settings.keyword_aliases),
                body=body_options(settings, root, config),
                keep=functools.partial(memos.remember, memo),
                stored_notebooks=settings.notebooks_stored,
                words=words,
            ),
            weeks_title=settings.nav_weeks_title,
            qa_chart=qa_chart,
            today=get_build_datetime().date(),
        )
    )
    if running.wait(QUICK):  # everything from the cache: the outputs go in now
        return _finished(running.result(), site, tuple(sessions), tuple(problems), memo, cache)
    return PendingBuild(
        site=site,
        sessions=tuple(sessions),
        inputs=tuple(problems),
        memo=memo,
        running=running,
        cache=cache,
    )


def _finished(
    results: Sequence[SessionResult],
    pages: SitePages,
    sessions: tuple[Session, ...],
    problems: tuple[Problem, ...],
    memo: memos.Memo,
    cache: Cache,
) -> FinishedBuild:
    site = pages.finish(results)
    return FinishedBuild(
        site=site,
        sessions=sessions,
        results=tuple(results),
        problems=problems + site.problems,
        snippet_failures=tuple(failures(results, sessions)),
        memo=memo,
        cache_problems=tuple(cache.problems),
    )
