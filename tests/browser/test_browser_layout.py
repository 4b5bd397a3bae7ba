"""The demo's pages in Chromium at phone (390 px) and desktop (1280 px) width.

Nothing overflows the viewport; no word breaks across lines inside a table cell or a
keyword chip (``ML/P로 시/작``), nor a Korean word anywhere in the text; tables that do
not fit scroll inside their wrapper. Dark mode and instant navigation keep the charts.
Notebook pages show their cells as mkdocs-jupyter styles them, in both palettes.
Full-page screenshots of each page at both widths go to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from conftest import DESKTOP, PHONE

PAGES = {
    "home": "",
    "week": "weeks/week-01/",
    "report": "report/",
    "keywords": "keywords/",
    "qa": "qa/",
    "log": "logs/2024/week01/2024-03-04-day01/",
    "log-multiday": "logs/2024/week01/week01-days04-05/",
    "notebook": "logs/2024/week01/2024-03-08-mlp-assignment/",
    "notebook-metadata": "logs/2024/week02/2024-03-15-attention-assignment/",
}

# Words (runs without white space) that the browser laid out over more than one line.
BROKEN_WORDS = """(selector) => {
  const out = [];
  const hangul = /[\\uac00-\\ud7a3]/;
  for (const el of document.querySelectorAll(selector.within)) {
    if (!el.getClientRects().length) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        if (selector.hangulOnly && !hangul.test(m[0])) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()]
          .filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) out.push(el.tagName.toLowerCase() + ": " + m[0]);
      }
    }
  }
  return [...new Set(out)];
}"""

# Tables wider than their place must scroll inside a wrapper, not push the page.
TABLES = """() => [...document.querySelectorAll('.md-content table')].map(t => {
  let box = t.parentElement;
  while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX))
    box = box.parentElement;
  const r = t.getBoundingClientRect();
  return {cls: t.className, wide: t.scrollWidth > (box || t).clientWidth + 1,
          scrolls: !!box && box !== document.documentElement,
          right: box ? Math.round(box.getBoundingClientRect().right) : Math.round(r.right)};
})"""


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_and_no_word_breaks(
    open_page: Any, demo_url: str, artifacts: Path, name: str, width: int
) -> None:
    page = open_page(demo_url + PAGES[name], width)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=True)

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} at {width} px is {overflow} px wider than the screen"

    in_cells = page.evaluate(
        BROKEN_WORDS,
        {
            "within": ".md-content td, .md-content th, .md-content a.studylog-keyword, "
            ".md-content .studylog-count, .md-content .studylog-cards dd",
            "hangulOnly": False,
        },
    )
    assert not in_cells, f"{name} at {width} px breaks words in cells or chips: {in_cells}"
    in_text = page.evaluate(
        BROKEN_WORDS,
        {
            "within": ".md-content p, .md-content li, .md-content h1, .md-content h2, "
            ".md-content h3, .md-nav__link",
            "hangulOnly": True,
        },
    )
    assert not in_text, f"{name} at {width} px breaks Korean words: {in_text}"

    for table in page.evaluate(TABLES):
        if table["wide"]:
            assert table["scrolls"], f"{name}: table {table['cls']!r} is cut off, not scrolled"
        assert table["right"] <= width, f"{name}: table {table['cls']!r} overflows at {width}"


def chart_box(page: Any) -> None:
    """Wait until the page's chart is drawn at a readable size (instant navigation swaps the
    content after the address changes, so the check is made on the live document)."""
    page.wait_for_function(
        """() => {
      const chart = document.querySelector('.md-content svg.studylog-chart');
      if (!chart) return false;
      const box = chart.getBoundingClientRect();
      return box.width > 100 && box.height > 50 && chart.querySelector('rect') !== null;
    }""",
        timeout=15_000,
    )


def test_dark_mode_and_instant_navigation_keep_the_charts(
    open_page: Any, demo_url: str, artifacts: Path
) -> None:
    page = open_page(demo_url, DESKTOP)
    chart_box(page)
    light_fg = page.evaluate(
        "getComputedStyle(document.querySelector('.md-content svg.studylog-chart')).color"
    )

    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    chart_box(page)
    dark_fg = page.evaluate(
        "getComputedStyle(document.querySelector('.md-content svg.studylog-chart')).color"
    )
    assert dark_fg != light_fg  # the chart's text and axes follow the palette
    page.screenshot(path=str(artifacts / "home-dark-1280.png"), full_page=True)

    # Instant navigation swaps the page without a reload: the marker survives it.
    page.evaluate("window.__studylogMarker = 1")
    page.locator(".md-content a[href$='qa/']").first.click()
    page.wait_for_url("**/qa/")
    chart_box(page)
    page.locator(".md-content a[href*='2024-03-05-day02']").first.click()
    page.wait_for_url("**/2024-03-05-day02/")
    figure = page.locator(".md-content .studylog-figure img").first
    figure.wait_for(state="visible")
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=figure.element_handle()
    )
    page.go_back()
    page.wait_for_url("**/qa/")
    chart_box(page)
    page.go_back()
    page.wait_for_function("!location.pathname.endsWith('qa/')")
    chart_box(page)
    assert page.evaluate("window.__studylogMarker") == 1  # never reloaded
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"


NOTEBOOK = PAGES["notebook"]


def test_notebook_cells_are_styled_and_copyable(
    open_page: Any, demo_url: str, artifacts: Path
) -> None:
    page = open_page(demo_url + NOTEBOOK, DESKTOP)
    page.wait_for_load_state("networkidle")
    # mkdocs-jupyter's stylesheet applies: the prompt sits left of the code, in monospace.
    layout = page.evaluate("""() => {
      const cell = document.querySelector('.jupyter-wrapper .jp-CodeCell .jp-InputArea');
      const prompt = cell.querySelector('.jp-InputPrompt').getBoundingClientRect();
      const code = cell.querySelector('.jp-InputArea-editor').getBoundingClientRect();
      return {left: prompt.right <= code.left + 1, top: Math.abs(prompt.top - code.top) < 20,
              font: getComputedStyle(cell.querySelector('.jp-InputPrompt')).fontFamily};
    }""")
    assert layout["left"] and layout["top"], layout
    assert "mono" in layout["font"].lower(), layout
    # The cell's figure is an image of the site, loaded. Material takes the cells' code as
    # its own code blocks (its copy button, where the browser can copy, comes with that).
    figure = page.locator(".jupyter-wrapper img[src*='assets/studylog/']").first
    figure.wait_for(state="visible")
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=figure.element_handle()
    )
    assert page.locator(".jupyter-wrapper pre[id^='__code_'] > code").count() >= 4
    light = page.evaluate(
        "getComputedStyle(document.querySelector("
        "'.jupyter-wrapper .highlight-ipynb')).backgroundColor"
    )
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = page.evaluate(
        "getComputedStyle(document.querySelector("
        "'.jupyter-wrapper .highlight-ipynb')).backgroundColor"
    )
    assert dark != light  # the cells follow Material's palette
    page.screenshot(path=str(artifacts / "notebook-dark-1280.png"), full_page=True)


# Each generated table against the column it sits in (Material's content column).
TABLE_WIDTHS = """() => {
  const column = document.querySelector('.md-content__inner');
  const width = column.getBoundingClientRect().width;
  return [...column.querySelectorAll('table.studylog-table')].map(t => ({
    cls: t.className, width: t.getBoundingClientRect().width, scroll: t.scrollWidth,
    column: width}));
}"""


@pytest.mark.parametrize("width", [PHONE, 768, DESKTOP])
@pytest.mark.parametrize("name", ["week", "report", "qa", "keywords"])
def test_generated_tables_fit_their_column(
    open_page: Any, demo_url: str, name: str, width: int
) -> None:
    page = open_page(demo_url + PAGES[name], width)
    page.wait_for_load_state("networkidle")
    tables = page.evaluate(TABLE_WIDTHS)
    if name != "keywords":  # the keyword index is a list, not a table
        assert tables, name
    for table in tables:
        assert table["width"] <= table["column"] + 0.5, (name, width, table)
        assert table["scroll"] <= table["column"] + 1, (name, width, table)


def test_the_qa_chart_reads_on_a_phone(open_page: Any, demo_url: str, artifacts: Path) -> None:
    page = open_page(demo_url + PAGES["qa"], PHONE)
    page.wait_for_load_state("networkidle")
    chart = page.evaluate("""() => {
      const svg = [...document.querySelectorAll('.md-content svg.studylog-chart')]
        .find(s => s.getBoundingClientRect().width > 0);
      const labels = [...svg.querySelectorAll('g[id^="xtick"] text, g[id^="ytick"] text')]
        .map(t => { const r = t.getBoundingClientRect();
                    return {text: t.textContent, top: r.top, bottom: r.bottom,
                            left: r.left, right: r.right, height: r.height}; });
      return {cls: svg.getAttribute('class'), width: svg.getBoundingClientRect().width,
              labels};
    }""")
    page.locator(".md-content .studylog-chart-figure").first.screenshot(
        path=str(artifacts / "qa-chart-390.png")
    )
    assert "studylog-chart-phone" in chart["cls"] and chart["width"] <= PHONE
    labels = chart["labels"]
    assert labels
    assert min(label["height"] for label in labels) >= 10, labels  # px, as read
    counts = [lb["text"] for lb in labels if not lb["text"][:2].isdigit() or "-" not in lb["text"]]
    assert counts and all(c.lstrip("−").isdigit() for c in counts), counts  # whole numbers
    texts = [lb["text"] for lb in labels]
    assert len(texts) == len(set(texts)), texts  # no label twice
    for a, b in itertools.combinations(labels, 2):  # none drawn over another
        overlap_x = min(a["right"], b["right"]) - max(a["left"], b["left"])
        overlap_y = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
        assert overlap_x <= 0.5 or overlap_y <= 0.5, (a, b)


def test_a_figure_keeps_its_room_while_it_loads(open_page: Any, demo_url: str) -> None:
    held: list[Any] = []
    page = open_page("about:blank", DESKTOP)
    page.route("**/assets/studylog/*.svg", lambda route: held.append(route))
    page.goto(demo_url + "logs/2024/week01/2024-03-05-day02/", wait_until="domcontentloaded")
    figure = page.locator(".md-content .studylog-figure img").first
    figure.scroll_into_view_if_needed()
    after = ".md-content .studylog-figure + *, .md-content .studylog-figure ~ *"

    def below() -> float:
        return float(
            page.evaluate(
                "(sel) => document.querySelector(sel).getBoundingClientRect().top + scrollY",
                after,
            )
        )

    before = below()
    box = figure.bounding_box()
    assert box is not None and box["height"] > 50  # room kept before the image arrives
    assert held, "the figure was requested"
    for route in held:
        route.continue_()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=figure.element_handle()
    )
    assert abs(below() - before) < 1, "the page moved when the figure loaded"
