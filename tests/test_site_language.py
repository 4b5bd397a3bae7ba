"""Generated pages in the site's language, counts that agree, a Q/A chart a phone can read."""

from __future__ import annotations

import datetime as dt
import re

import markdown

from studylog.model import Day, Log
from studylog.render.links import Linker, log_uri
from studylog.render.plan import RenderContext
from studylog.render.site import SiteInputs, SitePages, render_site
from studylog.render.site_pages import draw_qa_chart, qa_chart_data
from studylog.render.slots import fill
from studylog.stats import nav_title, site_stats
from studylog.words import Words, words_for


def logs() -> list[Log]:
    days = tuple(
        Day(
            "logs/w1.md",
            3 + n,
            f"Day {n}",
            f"day-{n}",
            n,
            dt.date(2024, 3, 3 + n),
            1,
            ("MLP",),
            1,
            2,
        )
        for n in (1, 2)
    )
    return [
        Log(path="logs/w1.md", body="", body_line=1, kind="weekly", title="1주차 회고", days=days),
        # An assignment handed in on day 2: a log of its own, not another day.
        Log(
            path="logs/hw.md",
            body="",
            body_line=1,
            title="과제 1",
            date=dt.date(2024, 3, 5),
            week=1,
            questions=2,
            answers=0,
        ),
    ]


def site_in(items: list[Log], words: Words) -> SitePages:
    uris = {lg.path: log_uri(lg.path.removeprefix("logs/")) for lg in items}
    context = RenderContext(Linker(), words=words)
    return render_site(SiteInputs(items, uris, site_stats(items), context=context)).finish(())


def page(site: SitePages, uri: str) -> str:
    found = site.pages[uri]
    return fill(markdown.markdown(found.markdown), found.slots)


def test_page_names_and_labels_follow_the_language() -> None:
    items = logs()
    ko = site_in(items, words_for("ko-KR"))
    assert [n.title for n in ko.nav] == ["주차별 기록", "키워드", "질문과 답변", "실행 보고서"]
    week = ko.nav[0].children[0]
    assert week.title == "1주차" and week.children[0].title == "1주차 요약"
    # A file of days titled with more than its week is listed by its title.
    assert "1주차 회고" in [c.title for c in week.children]
    assert "<h1>1주차</h1>" in page(ko, "weeks/week-01.md")
    assert "<dt>공부한 날</dt> <dd>2</dd>" in page(ko, "weeks/week-01.md")  # not 3
    assert "기록 2개에서 키워드 1개." in page(ko, "keywords.md")
    assert "<h1>질문과 답변</h1>" in page(ko, "qa.md")

    en = site_in(items, words_for("fr"))
    assert [n.title for n in en.nav][1:] == [
        "Keywords",
        "Questions and answers",
        "Execution report",
    ]
    assert "1 keywords in 2 logs." in page(en, "keywords.md")
    assert "<dt>Days</dt> <dd>2</dd>" in page(en, "weeks/week-01.md")
    home = fill(markdown.markdown(en.dashboard.markdown), en.dashboard.slots)
    assert "<dt>Days</dt> <dd>2</dd>" in home and "<dt>Logs</dt> <dd>2</dd>" in home


def test_a_weekly_file_named_by_its_week_only_is_listed_by_its_days() -> None:
    (weekly, _) = logs()
    from dataclasses import replace

    assert nav_title(replace(weekly, title="Week 1 (3/4 ~ 3/5)")).startswith("Days 1–2")
    assert nav_title(weekly) == "1주차 회고"


def test_the_qa_chart_has_one_label_per_date_years_when_they_span_two_and_whole_ticks() -> None:
    items = logs()
    data = qa_chart_data(site_stats(items))
    assert data is not None
    assert data.labels == ("03-04", "03-05")  # the assignment's day is summed, not repeated
    assert (data.questions, data.answers) == ((1, 3), (2, 2))
    later = Log(path="logs/n.md", body="", body_line=1, date=dt.date(2025, 1, 2), questions=1)
    spanning = qa_chart_data(site_stats([*items, later]))
    assert spanning is not None and spanning.labels[-1] == "2025-01-02"
    assert spanning.labels[0] == "2024-03-04"

    svg = draw_qa_chart(data)
    wide, phone = re.findall(r"<svg.*?</svg>", svg, re.S)
    assert "studylog-chart-wide" in wide and "studylog-chart-phone" in phone
    for drawing in (wide, phone):
        ticks = re.findall(r'<g id="[xy]tick_\d+">.*?<text[^>]*>([^<]*)</text>', drawing, re.S)
        values = [t for t in ticks if not re.match(r"\d\d-\d\d", t)]
        assert values and all(re.fullmatch(r"−?\d+", v) for v in values), values
        assert len(ticks) == len(set(ticks))
    # Clip paths of the two drawings have ids of their own.
    assert not set(re.findall(r'id="(p[0-9a-f]+)"', wide)) & set(
        re.findall(r'id="(p[0-9a-f]+)"', phone)
    )
