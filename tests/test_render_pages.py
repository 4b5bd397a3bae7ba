"""Rendering a log page and the site pages from hand-built logs and results (no mkdocs)."""

from __future__ import annotations

import datetime as dt
import re

import markdown
import pytest

from studylog import korean
from studylog.execute.results import Block, BlockOptions, BlockResult, SessionResult
from studylog.model import Day, Log
from studylog.parse.fences import make_snippet
from studylog.render.links import Linker, log_uri
from studylog.render.log_page import render_log
from studylog.render.outputs import figure_name, render_block
from studylog.render.plan import LogPage, RenderContext
from studylog.render.site import SiteInputs, SitePages, render_site
from studylog.render.slots import Outcomes, fill
from studylog.stats import site_stats

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
        path=path,
        body=BODY,
        body_line=1,
        kind="weekly",
        title="Week 3 <img src=x onerror=alert(1)>",
        week=3,
        keywords=("MLP", "<script>"),
        tags=("week03", "<b>x</b>"),
        snippets=(make_snippet(path, 8, 'print("<b>hi</b>")\n', {"exec": "on"}),),
        days=(
            Day(path, 4, "Day 11 (11/20)", "day-11", 11, dt.date(2023, 11, 20), 3, ("MLP",), 3, 6),
            Day(
                path,
                12,
                "[Day12] 2023/11/21",
                "day-12",
                12,
                dt.date(2023, 11, 21),
                3,
                ("<script>",),
                3,
                1,
            ),
        ),
    )


def results_for(log: Log) -> tuple[list[Block], list[SessionResult]]:
    block = Block(log.path, 8, 'print("<b>hi</b>")\n', log.path, 9, BlockOptions())
    out = BlockResult(line=8, status="ok", stdout="<b>hi</b>\n", figures=(SVG,), duration=0.25)
    session = SessionResult(log.path, "default", "ok", 0.3, "cpu", cached=True, blocks=(out,))
    return [block], [session]


def site_of(
    logs: list[Log],
    uris: dict[str, str],
    results: list[SessionResult] | None = None,
    linker: Linker | None = None,
) -> SitePages:
    """The site of ``logs``, rendered once, then given ``results`` (when there are any)."""
    inputs = SiteInputs(logs, uris, site_stats(logs), context=RenderContext(linker or Linker()))
    site = render_site(inputs)
    return site.finish(results) if results is not None else site


def html_of(log: Log) -> str:
    blocks, results = results_for(log)
    page = render_log(LogPage(log, "logs/w3.md", {8: blocks[0]}))
    assert page.html is not None and page.markdown == ""  # MkDocs converts nothing
    assert 'class="studylog-output"' not in page.html  # the outputs wait in their slot
    html = page.finish(Outcomes.of(results)).html
    assert html is not None
    return html


def test_log_page_sanitizes_the_body_and_escapes_log_data():
    html = html_of(make_log())
    assert "<script" not in html and "alert(1)</script>" not in html
    assert "onerror" not in html  # the attribute is gone, not shown as text either
    assert '<img src="x">' in html  # the harmless part of the tag stays
    assert ">&lt;script&gt;</a>" in html  # a keyword is log data: escaped
    body = re.sub(r'<a class="studylog-keyword"[^>]*>.*?</a>', "", html)
    assert "&lt;script&gt;" not in body  # author HTML in the body is not shown as text
    assert "<br>" in html
    assert "&lt;b&gt;hi&lt;/b&gt;" in html  # printed output escaped


def test_log_page_has_anchors_header_outputs_and_footer():
    html = html_of(make_log())
    assert html.index('class="studylog-meta"') > html.index("</h1>")  # header after the title
    assert '<a id="day-11" class="studylog-anchor"></a>\n<h2 id="day-11-1120">' in html
    assert '<a id="day-12" class="studylog-anchor">' in html
    # a day line becomes a heading, marked as studylog's own
    assert '<h2 class="studylog-day" id="day12-20231121">[Day12] 2023/11/21</h2>' in html
    assert 'href="../../keywords/#kw-mlp"' in html  # keyword links into the index
    assert f'src="../../assets/studylog/{figure_name(SVG)}"' in html
    assert "0.25 s · cpu · cached" in html
    assert html.count('class="studylog-output"') == 1  # exec="off" stays a plain code block
    assert '<span class="n">x</span> <span class="o">=</span> <span class="mi">1</span>' in html


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
    site = site_of([log], {log.path: log_uri("w3.md")}, results)
    assert set(site.pages) == {
        "logs/w3.md",
        "weeks/week-03.md",
        "keywords.md",
        "qa.md",
        "report.md",
    }
    assert set(site.assets) == {f"assets/studylog/{figure_name(SVG)}"}
    week = site.pages["weeks/week-03.md"]
    week_html = fill(markdown.markdown(week.markdown), week.slots)
    assert 'href="../../logs/w3/#day-11"' in week_html and "[Day12] 2023/11/21" in week_html
    assert '<td data-label="Q / A">6 / 7</td>' in fill(
        markdown.markdown(site.pages["qa.md"].markdown), site.pages["qa.md"].slots
    )
    kw = site.pages["keywords.md"]
    kw_html = fill(markdown.markdown(kw.markdown), kw.slots)
    assert 'id="kw-mlp"' in kw_html and 'href="../logs/w3/#day-11"' in kw_html
    assert "<script>" not in kw_html
    rep = site.pages["report.md"]
    report = fill(markdown.markdown(rep.markdown), rep.slots)
    assert "<code>default</code>" in report and "</span> · cached<" in report
    nav = [n.title for n in site.nav]
    assert nav == ["Weeks", "Keywords", "Questions and answers", "Execution report"]
    assert "<svg" in site.pages["qa.md"].slots["1"]  # the chart is inline SVG
    assert site.pages["logs/w3.md"].title.startswith("Week 3 &lt;img")


def test_linker_for_flat_urls():
    linker = Linker(directory_urls=False)
    assert linker.href("logs/2022/a.md", "keywords.md", "kw-mlp") == "../../keywords.html#kw-mlp"
    assert linker.href("weeks/week-03.md", "index.md") == "../index.html"


@pytest.mark.parametrize(
    ("word", "terms"),
    [
        ("디코더가", ["디코더가", "디코더"]),  # a particle cut off
        ("층으로", ["층으로", "층", "층으"]),  # a one-syllable stem too
        ("학습했다", ["학습했다", "학습", "학습했", "학습하"]),  # the past tense undone
        ("바꿔서", ["바꿔서", "바꿔", "바꾸"]),  # a contracted ending: 바꾸 + 어서
        ("쌓았다", ["쌓았다", "쌓", "쌓았"]),
        ("lstm의", ["lstm의", "lstm"]),  # an English word with a Korean particle
        ("optimizer", ["optimizer"]),
    ],
)
def test_query_terms_are_the_word_and_its_stems(word, terms):
    assert korean.query_terms(word) == terms


def test_index_forms_reach_parts_of_compounds_and_contracted_verbs():
    assert {"미분", "동미분"} <= set(korean.index_forms("자동미분을"))
    assert "바꾸" in korean.index_forms("바꿔")
    assert "자동" not in korean.index_forms("자동미분을")  # a prefix: the wildcard finds it
    assert "을" not in korean.index_forms("자동미분을")
    assert "으로" not in korean.index_forms("층으로")
    assert korean.index_forms("optimizer") == []


def test_expand_query_cuts_like_the_index_and_keeps_search_syntax():
    separator = re.compile(r"[\s\-]+|\.(?!\d)|(?!\b)(?=[A-Z][a-z])")
    assert korean.expand_query("ResNet은 nn.LSTM의 +MLP", separator) == (
        "resnet은 resnet nn lstm의 lstm +MLP"
    )
    # A camelCase word the index cut in pieces is in the forms whole, in lower case.
    assert {"resnet", "resnet의"} <= set(korean.page_forms("<p>ResNet의 구조</p>", separator))


def test_the_search_script_holds_no_korean_rule_of_its_own():
    """The browser's rules are written in from studylog.korean: the template holds none of
    its numbers, so a rule changed there changes the script too."""
    from studylog.mkdocs_plugin import search

    assert not re.search(r"\b(?:0xac00|21|28|11|18|20|13|14)\b|\\u(?:ac00|d7a3)", search.SCRIPT)
    script = search.script()
    assert "__" not in script.replace("__search", "")
    assert f"BASE = 0x{korean.BASE:x}, VOWELS = {korean.VOWELS}, FINALS = {korean.FINALS}" in script
    assert f"O = {korean.IEUNG}, H = {korean.HIEUT}" in script
    assert f"[{korean.SYLLABLES}]" in script and '"에서는"' in script


def test_demo_navigation_separates_retrospectives_and_never_repeats_a_label():
    from pathlib import Path

    from studylog.parse import ParserConfig, parse_paths

    root = Path(__file__).resolve().parent.parent
    config = ParserConfig(course_start=dt.date(2024, 3, 4))  # as the demo's mkdocs.yml
    logs = parse_paths([root / "logs"], root=root, config=config)
    uris = {lg.path: log_uri(Path(lg.path).relative_to("logs").as_posix()) for lg in logs}
    site = site_of(logs, uris)
    weeks = {w.title: w for w in site.nav[0].children}
    assert list(weeks) == ["Week 1", "Week 2"]
    for name, week in weeks.items():
        labels = [c.title for c in week.children]
        assert len({x.casefold() for x in [name, *labels]}) == len(labels) + 1, labels
        assert labels[0] == f"{name} overview"
    week1 = [c.title for c in weeks["Week 1"].children]
    assert "Days 4–5 · 2024-03-07 ~ 2024-03-08" in week1  # not "Week 1 (3/4 ~ 3/8)"
    week2 = [c.title for c in weeks["Week 2"].children]
    assert week2[-1].startswith("Retrospective: ")  # after the days
    assert "Days 6–7 · 2024-03-11 ~ 2024-03-12" in week2  # untitled: named by its span
    page = site.pages["weeks/week-02.md"]
    html = fill(markdown.markdown(page.markdown), page.slots)
    assert "<dt>Retrospective</dt>" in html and "Weekly log" not in html
    assert html.count("week02-retrospective") == 1
    retro = html.index("<dt>Retrospective</dt>")
    assert "days06-07" in html[html.index("<dt>Multi-day logs</dt>") : retro]  # apart from it


def _qa_html(log: Log) -> str:
    site = site_of([log], {log.path: log_uri("q.md")}, [])
    page = site.pages["qa.md"]
    return fill(markdown.markdown(page.markdown), page.slots)


def test_qa_days_table_lists_days_with_counts_and_sums_up_the_rest():
    path = "logs/q.md"
    days = tuple(
        Day(
            path,
            n,
            f"Day {n}",
            f"day-{n}",
            n,
            dt.date(2023, 1, 8 + n),
            1,
            (),
            2 if n == 2 else None,
            1 if n == 2 else None,
        )
        for n in range(1, 5)
    )
    html = _qa_html(Log(path=path, body="", body_line=1, kind="weekly", week=1, days=days))
    table = html.split('<table class="studylog-table studylog-qa-days">', 1)[1].split(
        "</table>", 1
    )[0]
    assert table.count("<tr>") == 2  # the header and Day 2, the one day with counts
    assert "Day 2" in table and "Day 1" not in table and "Day 3" not in table
    assert "3 more days have no record of questions or answers." in html
    silent = tuple(Day(path, n, f"Day {n}", f"day-{n}", n, None, 1) for n in (1,))
    html = _qa_html(Log(path=path, body="", body_line=1, kind="weekly", week=1, days=silent))
    assert "studylog-qa-days" not in html
    assert "No day has a record of questions or answers." in html
