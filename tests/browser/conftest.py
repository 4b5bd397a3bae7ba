"""The browser suite: the demo site built once, served on 127.0.0.1, read in Chromium.

Playwright drives Debian's ``chromium`` (found on PATH, or named by
``STUDYLOG_CHROMIUM``); Playwright's own browser download is never used. Without
chromium or Playwright these tests skip and say what to install. Nothing is fetched
from the network: every request that does not go to the local server is aborted
(the demo loads MathJax from a CDN). Screenshots go to ``test-artifacts/browser/``
(git-ignored). Every test in this folder is marked ``browser`` and ``slow``.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import MkdocsBuild

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PARTS = ("mkdocs.yml", "docs", "logs", "snippets")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE, DESKTOP = 390, 1280
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


def chromium_path() -> str | None:
    named = os.environ.get("STUDYLOG_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    try:
        import playwright  # noqa: F401
    except ImportError:
        pytest.skip("browser tests: Playwright is not installed (pip install -e '.[test]')")
    path = chromium_path()
    if path is None:
        pytest.skip(
            "browser tests: Chromium is not installed (Debian: apt-get install "
            "chromium; or set STUDYLOG_CHROMIUM to a Chrome or Chromium program)"
        )
    return path


def build_demo(
    mkdocs_build: MkdocsBuild,
    project: Path,
    site_url: str,
    *,
    korean_search: bool = True,
    cache: Path | None = None,
) -> Path:
    """A copy of the demo project, built with ``mkdocs build``; returns its site folder.

    ``site_url`` is where it is served: Material's instant navigation follows only the
    links its sitemap lists, as on a published site."""
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        else:
            shutil.copy2(source, project / part)
    config = project / "mkdocs.yml"
    text = f"site_url: {site_url}\n" + config.read_text("utf-8")
    if not korean_search:
        text = text.replace("  - studylog:\n", "  - studylog:\n      korean_search: false\n")
        assert "korean_search: false" in text
    config.write_text(text, "utf-8")
    if cache is not None and cache.is_dir():  # the snippets' outputs, so they need not run again
        shutil.copytree(cache, project / ".studylog-cache")
    mkdocs_build(project)
    return project / "site"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(folder: Path) -> tuple[str, ThreadingHTTPServer]:
    handler = functools.partial(Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="session")
def demo_served(
    chromium: str, tmp_path_factory: pytest.TempPathFactory, mkdocs_build: MkdocsBuild
) -> Iterator[tuple[Path, str]]:
    """The demo project, built and served: (project folder, its URL)."""
    project = tmp_path_factory.mktemp("browser-demo")
    url, server = serve(project / "site")
    build_demo(mkdocs_build, project, url, cache=ROOT / ".studylog-cache")
    yield project, url
    server.shutdown()


@pytest.fixture(scope="session")
def demo_project(demo_served: tuple[Path, str]) -> Path:
    return demo_served[0]


@pytest.fixture(scope="session")
def demo_url(demo_served: tuple[Path, str]) -> str:
    return demo_served[1]


@pytest.fixture(scope="session")
def plain_search_url(
    demo_project: Path, tmp_path_factory: pytest.TempPathFactory, mkdocs_build: MkdocsBuild
) -> Iterator[str]:
    """The same demo built with ``korean_search: false`` (Material's search alone)."""
    project = tmp_path_factory.mktemp("browser-demo-plain")
    url, server = serve(project / "site")
    build_demo(
        mkdocs_build, project, url, korean_search=False, cache=demo_project / ".studylog-cache"
    )
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright starts the browser with a fresh profile (--user-data-dir) of its own.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def local_only(route: Any) -> None:
    url = route.request.url
    if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
        route.continue_()
    else:
        route.abort()


@pytest.fixture(scope="session")
def open_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """``open_page(url, width)``: a page in a fresh context, external requests aborted."""
    contexts: list[Any] = []

    def open_(url: str, width: int = DESKTOP) -> Any:
        height = 844 if width == PHONE else 900
        context = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme="light"
        )
        context.route("**/*", local_only)
        contexts.append(context)
        page = context.new_page()
        page.goto(url, wait_until="load")
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
