"""Material's search box, typed into in Chromium: Korean as people type it finds its page.

The queries are data (``tests/fixtures/search/queries.yml``): stems, words with the
page's particle and with another one, verb endings, prefixes, parts of compounds,
English words with Korean particles. Each is typed into the real search box of the
demo site and the result list is read. The same queries on the demo built with
``korean_search: false`` are run for comparison; both columns are written to
``test-artifacts/browser/search-recall.md``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from studylog import korean
from studylog.mkdocs_plugin import search

QUERIES = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "fixtures" / "search" / "queries.yml").read_text("utf-8")
)

# Counts changes to the result list, so a test can wait for the answer to its query.
WATCH = """() => {
  const meta = document.querySelector('.md-search-result__meta');
  window.__studylogResults = 0;
  new MutationObserver(() => { window.__studylogResults += 1; })
    .observe(meta, {childList: true, characterData: true, subtree: true});
}"""


def open_search(page: Any) -> Any:
    """Click into the search box (on a phone: the search button first)."""
    button = page.locator("label.md-header__button[for='__search']")
    if button.is_visible():
        button.click()
    box = page.locator("input.md-search__input")
    box.click()
    return box


class SearchBox:
    """The demo's search box in one page: type a query, read every result's page."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base = page, base
        self.input = open_search(page)
        page.wait_for_function("document.querySelector('.md-search-result__meta') !== null")
        page.evaluate(WATCH)

    def pages(self, query: str) -> list[str]:
        page = self.page
        self.input.fill("")
        before = page.evaluate("window.__studylogResults")
        self.input.press_sequentially(query)
        self.input.press("End")  # Material reads the box on keyup; Hangul typed as text has none
        page.wait_for_function(f"window.__studylogResults > {before}", timeout=15_000)
        self._settle()
        # Material renders ten results, then more as the list is scrolled.
        count = -1
        while count != (count := page.locator(".md-search-result__item").count()):
            page.evaluate("document.querySelector('.md-search__scrollwrap').scrollTo(0, 1e9)")
            page.wait_for_timeout(150)
        hrefs = page.eval_on_selector_all(
            ".md-search-result__item > a.md-search-result__link", "as => as.map(a => a.href)"
        )
        found: list[str] = []
        for href in hrefs:
            path = urlsplit(href).path.removeprefix(urlsplit(self.base).path)
            if path not in found:
                found.append(path)
        return found

    def _settle(self) -> None:
        last = -1
        while True:  # until no result arrives for a while (earlier keystrokes' answers)
            now = self.page.evaluate("window.__studylogResults")
            if now == last:
                return
            last = now
            self.page.wait_for_timeout(250)


@pytest.fixture(scope="module")
def results(
    open_page: Any, demo_url: str, plain_search_url: str, artifacts: Path
) -> dict[str, dict[str, list[str]]]:
    """Every query typed into the demo's search box, with and without korean_search."""
    found = {}
    for name, url in (("korean", demo_url), ("plain", plain_search_url)):
        box = SearchBox(open_page(url), url)
        found[name] = {q["query"]: box.pages(q["query"]) for q in QUERIES}
    write_table(found, artifacts / "search-recall.md")
    return found


def write_table(found: dict[str, dict[str, list[str]]], path: Path) -> None:
    rows = [
        "| query | kind | page | korean_search: true | korean_search: false |",
        "| --- | --- | --- | --- | --- |",
    ]
    hits = {"korean": 0, "plain": 0}
    for q in QUERIES:
        cells = []
        for name in ("korean", "plain"):
            pages = found[name][q["query"]]
            ok = q["page"] in pages
            hits[name] += ok
            cells.append(f"{'found' if ok else 'MISSED'} ({len(pages)} pages)")
        rows.append(f"| {q['query']} | {q['kind']} | {q['page']} | {cells[0]} | {cells[1]} |")
    total = len(QUERIES)
    rows.append(f"| **recall** | | | **{hits['korean']}/{total}** | **{hits['plain']}/{total}** |")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_every_query_finds_its_page_and_material_alone_does_not(
    results: dict[str, dict[str, list[str]]],
) -> None:
    missed = {
        q["query"]: results["korean"][q["query"]]
        for q in QUERIES
        if q["page"] not in results["korean"][q["query"]]
    }
    assert not missed, f"queries that did not find their page (query: pages found): {missed}"
    plain = [q["query"] for q in QUERIES if q["page"] not in results["plain"][q["query"]]]
    # The comparison is real: without studylog's forms, words with another particle,
    # verb endings and parts of compounds are not found.
    assert {"디코더의", "학습했다", "미분"} <= set(plain)


def test_the_browser_script_treats_queries_like_python(
    open_page: Any, demo_url: str, demo_project: Path
) -> None:
    """The query rules run in the browser; they are studylog.korean's, word for word."""
    page = open_page(demo_url)
    page.wait_for_function("window.studylogSearch !== undefined")
    words = [
        "디코더가",
        "학습했다",
        "바꿔서",
        "돌렸다",
        "쌓았다",
        "줄였다",
        "층으로",
        "lstm의",
        "attention만으로",
        "차이",
        "미분",
        "optimizer",
        "헷갈려서",
        "됐다",
        "봤다",
        "해",
    ]
    for word in words:
        assert page.evaluate(
            "w => window.studylogSearch.queryTerms(w)", word
        ) == korean.query_terms(word), word
    index = json.loads((demo_project / "site/search/search_index.json").read_text("utf-8"))
    separator = search.separator_pattern(index["config"]["separator"])
    # The script reads the separator from the index on its way to the worker.
    open_search(page)
    for query in ["ResNet은 디코더의", "nn.LSTM의 +MLP", '"quoted words" 층에서', "Q/A 통계를"]:
        page.wait_for_function(
            "([q, want]) => window.studylogSearch.expand(q) === want",
            arg=[query, korean.expand_query(query, separator)],
            timeout=5_000,
        )
