"""Rendering a log page and the site pages from hand-built logs and results (no mkdocs)."""

from __future__ import annotations

import datetime as dt

import markdown

from studylog.execute.results import Block, BlockOptions, BlockResult, SessionResult
from studylog.model import Day, Log
from studylog.parse.fences import make_snippet
from studylog.render.korean import segment
from studylog.render.links import Linker, log_uri
from studylog.render.log_page import render_log
from studylog.render.outputs import figure_name, render_block
from studylog.render.site import render_site
from studylog.render.slots import fill
from studylog.render.text import sanitize_markdown

SVG = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'

BODY = """\
Week 3 <img src=x onerror=alert(1)>
===

Day 11 (11/20)
---
MLP <script>alert(1)</script> 를 배웠다.<br>

```python exec="on"
print("<b>hi</b>")
```

[Day12] 2023/11/21
오늘은 CNN.

```python exec="off"
x = 1
```
"""


def make_log() -> Log:
    path = "logs/w3.md"
    return Log(
        path=path, body=BODY, body_line=1, kind="weekly",
        title="Week 3 <img src=x onerror=alert(1)>", week=3,
        keywords=("MLP", "<script>"), tags=("week03", "<b>x</b>"),
        snippets=(
            make_snippet(path, 8, 'print("<b>hi</b>")\n', {"exec": "on"}),
        ),
        days=(
            Day(path, 4, "Day 11 (11/20)", "day-11", 11, dt.date(2023, 11, 20), 3, ("MLP",), 3, 6),
            Day(path, 12, "[Day12] 2023/11/21", "day-12", 12, dt.date(2023, 11, 21), 3,
                ("<script>",), 3, 1),
        ),
    )


def results_for(log: Log) -> tuple[list[Block], list[SessionResult]]:
    block = Block(log.path, 8, 'print("<b>hi</b>")\n', log.path, 9, BlockOptions())
    out = BlockResult(line=8, status="ok", stdout="<b>hi</b>\n", figures=(SVG,), duration=0.25)
    session = SessionResult(log.path, "default", "ok", 0.3, "cpu", cached=True, blocks=(out,))
    return [block], [session]


def html_of(log: Log) -> tuple[str, str]:
    blocks, results = results_for(log)
    page = render_log(
        log, "logs/w3.md", linker=Linker(),
        results={8: (results[0].blocks[0], results[0])}, blocks={8: blocks[0]},
    )
    html = fill(markdown.markdown(page.markdown, extensions=["fenced_code"]), page.slots)
    return page.markdown, html


def test_log_page_escapes_every_piece_of_log_html():
    _md, html = html_of(make_log())
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "onerror=alert(1)&gt;" in html  # shown as text, not an attribute
    assert "<br>" in html  # harmless attribute-free tags are kept
    assert "&lt;b&gt;hi&lt;/b&gt;" in html  # printed output escaped


def test_log_page_has_anchors_header_outputs_and_footer():
    md, html = html_of(make_log())
    assert md.index('<!-- studylog-slot-') > md.index("===")  # header after the setext title
    assert '<a id="day-11" class="studylog-anchor">' in html
    assert '<a id="day-12" class="studylog-anchor">' in html
    assert "<h2>[Day12] 2023/11/21</h2>" in html  # a day line becomes a heading
    assert 'href="../../keywords/#kw-mlp"' in html  # keyword links into the index
    assert f'src="../../assets/studylog/{figure_name(SVG)}"' in html
    assert "0.25 s · cpu · cached" in html
    assert html.count('class="studylog-output"') == 1  # exec="off" stays a plain fence
    assert "x = 1" in html


def test_sanitize_drops_comments_so_slots_cannot_be_forged():
    body = "<!-- studylog-slot-0 -->\n\ntext <!-- note --> more\n\n<!--\nhint\n-->\n"
    out = sanitize_markdown(body)
    assert "<!--" not in out and "hint" not in out
    assert out.count("\n") == body.count("\n") and "text  more" in out


def test_sanitize_keeps_code_untouched():
    body = "`<script>` in code\n\n```html\n<script>ok</script>\n```\n\n<div onclick=x>hi</div>\n"
    out = sanitize_markdown(body)
    assert "`<script>`" in out and "\n<script>ok</script>\n" in out
    assert "&lt;div onclick=x&gt;hi&lt;/div&gt;" in out


def test_block_outputs_errors_and_tables():
    session = SessionResult("logs/a.md", "s", "failed", 1.0, "cuda:0 NVIDIA H100")
    failed = BlockResult(line=3, status="failed", error='File "logs/a.md", line 5\nValueError: <x>')
    html = render_block(failed, session, lambda n: n)
    assert 'class="admonition failure"' in html and "ValueError: &lt;x&gt;" in html
    assert "cuda:0 NVIDIA H100 · run · failed" in html
    table = BlockResult(line=3, status="ok", html="<table><tr><td>1</td></tr></table>", value="x")
    html = render_block(table, session, lambda n: n)
    assert "<table><tbody><tr><td>1</td></tr></tbody></table>" in html  # sanitized by nh3
    assert "studylog-value" not in html


def test_site_pages_roll_up_weeks_keywords_and_qa():
    log = make_log()
    _blocks, results = results_for(log)
    site = render_site([log], log_uris={log.path: log_uri("w3.md")}, sessions=[],
                       results=results, linker=Linker())
    assert set(site.pages) == {"logs/w3.md", "weeks/week-03.md", "keywords.md", "qa.md",
                               "report.md"}
    assert set(site.assets) == {f"assets/studylog/{figure_name(SVG)}"}
    week = site.pages["weeks/week-03.md"]
    week_html = fill(markdown.markdown(week.markdown), week.slots)
    assert 'href="../../logs/w3/#day-11"' in week_html and "[Day12] 2023/11/21" in week_html
    assert "<td>6</td><td>7</td>" in fill(markdown.markdown(site.pages["qa.md"].markdown),
                                          site.pages["qa.md"].slots)
    kw = site.pages["keywords.md"]
    kw_html = fill(markdown.markdown(kw.markdown), kw.slots)
    assert 'id="kw-mlp"' in kw_html and 'href="../logs/w3/#day-11"' in kw_html
    assert "<script>" not in kw_html
    rep = site.pages["report.md"]
    report = fill(markdown.markdown(rep.markdown), rep.slots)
    assert "<code>default</code>" in report and ">cached<" in report
    nav = [n.title for n in site.nav]
    assert nav == ["Weeks", "Keywords", "Questions and answers", "Execution report"]
    assert "<svg" in site.pages["qa.md"].slots["1"]  # the chart is inline SVG
    assert site.pages["logs/w3.md"].title.startswith("Week 3 &lt;img")


def test_linker_for_flat_urls():
    linker = Linker(directory_urls=False)
    assert linker.href("logs/2022/a.md", "keywords.md", "kw-mlp") == "../../keywords.html#kw-mlp"
    assert linker.href("weeks/week-03.md", "index.md") == "../index.html"


def test_korean_segmentation_splits_particles_only():
    text = segment("트랜스포머를 배웠고 학습률은 0.1, LSTM의 장점, 길이 차이")
    assert "트랜스포머\u200b를" in text and "학습률\u200b은" in text
    assert "LSTM\u200b의" in text
    assert "길이 차이" in text  # one-syllable stems are whole words
