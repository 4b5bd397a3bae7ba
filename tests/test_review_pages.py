"""The deck, the Questions page, the Review page and the study calendar: from logs to HTML.

Cards keep their identity through edits; the pages are read as a reader gets them (the
Markdown converted and the slots filled), in English and in Korean; one small site is
built with ``mkdocs build`` to see the pages, the scripts and the calendar in place.
"""

from __future__ import annotations

import datetime as dt
import html as html_text
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import markdown
import pytest

from studylog.deck import deck
from studylog.model import Log
from studylog.parse import ParserConfig, parse_text
from studylog.render.links import Linker, log_uri
from studylog.render.plan import RenderContext
from studylog.render.site import SiteInputs, SitePages, render_site
from studylog.render.slots import fill
from studylog.stats import site_stats
from studylog.streaks import streaks
from studylog.words import ENGLISH, Words, words_for

if TYPE_CHECKING:
    from conftest import MkdocsBuild

CONFIG = ParserConfig(course_start=dt.date(2024, 3, 4))

DAY1 = """\
---
date: 2024-03-04
keywords: [MLP, Backprop]
---
# Day 1

Q: What does `x.view(-1)` return?
A: A flat view of the same storage.

Q: Why is ReLU cheap?

Backprop::the chain rule, from the loss back
"""

WEEK = """\
# Week 2 notes

## Day 6 (3/11)
Keywords: RNN

- 질문: 왜 LSTM은 기울기가 덜 사라지나요?
  - 셀 상태의 덧셈 경로 덕분이다.

## Day 7 (3/12)
Keywords: Attention

Q: What stops attention from peeking ahead? A: The causal mask </script><script>alert(1)</script>
"""


def logs(day1: str = DAY1) -> list[Log]:
    return [
        parse_text(day1, "logs/day1.md", CONFIG),
        parse_text(
            WEEK, "logs/week2.md", ParserConfig(default_year=2024, course_start=CONFIG.course_start)
        ),
    ]


def site(items: list[Log], words: Words = ENGLISH, today: dt.date | None = None) -> SitePages:
    uris = {lg.path: log_uri(lg.path.removeprefix("logs/")) for lg in items}
    return render_site(
        SiteInputs(
            items,
            uris,
            site_stats(items),
            context=RenderContext(Linker(), words=words),
            today=today or dt.date(2024, 3, 12),
        )
    ).finish(())


def html(pages: SitePages, uri: str) -> str:
    found = pages.pages[uri]
    return fill(markdown.markdown(found.markdown), found.slots)


def test_cards_are_filed_under_their_day_and_keep_their_identity_through_edits() -> None:
    cards = deck(logs())
    assert [(c.pair.path, c.entry.date, c.entry.keywords, c.answered) for c in cards] == [
        ("logs/day1.md", dt.date(2024, 3, 4), ("MLP", "Backprop"), True),
        ("logs/day1.md", dt.date(2024, 3, 4), ("MLP", "Backprop"), False),
        ("logs/day1.md", dt.date(2024, 3, 4), ("MLP", "Backprop"), True),
        ("logs/week2.md", dt.date(2024, 3, 11), ("RNN",), True),
        ("logs/week2.md", dt.date(2024, 3, 12), ("Attention",), True),
    ]
    assert [c.week.label if c.week else None for c in cards] == ["Week 1"] * 3 + ["Week 2"] * 2
    # An edited answer and a paragraph added above move nothing: the same ids.
    edited = DAY1.replace("A flat view", "A flat, contiguous view").replace(
        "# Day 1\n", "# Day 1\n\nA new first paragraph.\n\n"
    )
    again = deck(logs(edited))
    assert [c.id for c in again] == [c.id for c in cards]
    assert again[0].answers != cards[0].answers
    # The same question asked twice in one log is two cards.
    twice = deck(
        [parse_text("---\ndate: 2024-03-04\n---\nQ: why?\nA: a\n\nQ: why?\nA: b\n", "l.md")]
    )
    assert len({c.id for c in twice}) == 2


@pytest.mark.parametrize(
    ("dates", "today", "current", "longest"),
    [
        ([], dt.date(2024, 3, 5), 0, 0),
        (["03-04", "03-05", "03-06"], dt.date(2024, 3, 6), 3, 3),
        (["03-04", "03-05", "03-06"], dt.date(2024, 3, 7), 3, 3),  # today not written yet
        (["03-04", "03-05", "03-06"], dt.date(2024, 3, 8), 0, 3),  # a day missed
        (["03-01", "03-02", "03-04", "03-05", "03-06", "03-10"], dt.date(2024, 3, 10), 1, 3),
        (["02-28", "02-29", "03-01"], dt.date(2024, 3, 1), 3, 3),  # across a leap day
    ],
)
def test_streaks(dates: list[str], today: dt.date, current: int, longest: int) -> None:
    found = streaks((dt.date.fromisoformat(f"2024-{d}") for d in dates), today)
    assert (found.current, found.longest) == (current, longest)


def test_the_questions_page_lists_every_question_by_week_and_keyword() -> None:
    pages = site(logs())
    page = html(pages, "questions.md")
    blocks = re.findall(r'<details class="(\w+) studylog-question" id="q-(\w+)">', page)
    assert [kind for kind, _ in blocks] == [
        "question",
        "warning",
        "question",
        "question",
        "question",
    ]
    assert {ident for _, ident in blocks} == {c.id for c in deck(logs())}
    assert page.index("<h3>Week 1</h3>") < page.index("<h3>Week 2</h3>") < page.index("By keyword")
    assert "<code>x.view(-1)</code>" in page  # the question's Markdown, rendered
    assert "Unanswered</span>" in page and "No answer was written." in page
    assert ">Card</span>" in page  # the Backprop:: card
    assert 'href="../logs/week2/#day-6"' in page  # linked to its day
    assert "<script>alert(1)</script>" not in page  # the answer is sanitized
    assert re.search(r'id="q-kw-attention"><strong>Attention</strong>', page)
    assert "5 questions from 2 logs, 1 without an answer." in page


def test_the_review_page_holds_the_answered_cards_and_its_words() -> None:
    items = logs()
    page = html(site(items, words_for("ko")), "review.md")
    found = re.search(r'data-deck="([^"]*)"', page)
    assert found is not None
    assert "<script" not in page  # the answer's HTML, escaped in the attribute, is sanitized
    data = json.loads(html_text.unescape(found.group(1)))
    answered = [c for c in deck(items) if c.answered]
    assert [c["id"] for c in data["cards"]] == [c.id for c in answered]
    attention = data["cards"][-1]
    assert attention["week"] == "week-02" and attention["keywords"] == ["attention"]
    assert attention["href"] == "../logs/week2/#day-7"
    assert "&lt;script&gt;" not in attention["a"] and "<script" not in attention["a"]
    assert data["words"]["{due} due of {total} cards"] == "카드 {total}장 중 {due}장 복습할 차례"
    assert '<option value="week-02">2주차</option>' in page
    assert '<option value="attention">Attention</option>' in page
    assert ">답 보기 <kbd>" in page and 'data-fsrs="../assets/studylog/ts-fsrs.js"' in page
    assert 'data-root="../"' in page


def test_the_calendar_shades_each_study_day_and_counts_the_streaks() -> None:
    pages = site(logs(), words_for("ko"), today=dt.date(2024, 3, 13))
    home = fill(markdown.markdown(pages.dashboard.markdown), pages.dashboard.slots)
    assert "<h2>학습 달력</h2>" in home
    days = re.findall(
        r'<a class="studylog-cal-day[^"]*studylog-cal-l(\d)" href="([^"]+)" title="([^"]+)"', home
    )
    assert [(href, title) for _, href, title in days] == [
        ("logs/day1/", "2024-03-04: 기록 1개, 질문 2개"),
        ("logs/week2/#day-6", "2024-03-11: 기록 1개, 질문 1개"),
        ("logs/week2/#day-7", "2024-03-12: 기록 1개, 질문 1개"),
    ]
    assert [level for level, _, _ in days] == ["4", "3", "3"]  # 3 of 3, 2 of 3 (ceil)
    # A month per grid, every day of the year a cell; the streak is 3/11-3/12, current.
    assert home.count('class="studylog-cal-month"') == 12
    assert len(re.findall(r'class="studylog-cal-day[ "]', home)) == 366 + 5  # + the legend
    assert '<dd data-streak="0">2일</dd>' in home and '<dd data-streak="1">2일</dd>' in home
    assert "2024-03-13 기준." in home
    later = site(logs(), today=dt.date(2024, 3, 20))
    board = fill(markdown.markdown(later.dashboard.markdown), later.dashboard.slots)
    assert '<dd data-streak="0">0 days</dd>' in board and '<dd data-streak="1">2 days</dd>' in board


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, mkdocs_build: MkdocsBuild) -> Path:
    """A two-log site in Korean, built with ``mkdocs build --strict``."""
    project = tmp_path_factory.mktemp("review-site")
    (project / "docs").mkdir()
    (project / "logs").mkdir()
    (project / "logs" / "day1.md").write_text(DAY1, "utf-8")
    (project / "logs" / "week2.md").write_text("---\nyear: 2024\n---\n" + WEEK, "utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: review\ntheme:\n  name: material\n  language: ko\n"
        "plugins:\n  - search\n  - studylog:\n      course_start: 2024-03-04\n",
        "utf-8",
    )
    mkdocs_build(project, "--strict", env={"SOURCE_DATE_EPOCH": "1710288000"})  # 2024-03-13
    return project / "site"


def test_a_built_site_has_the_pages_the_scripts_and_the_calendar(built: Path) -> None:
    questions = (built / "questions" / "index.html").read_text("utf-8")
    review = (built / "review" / "index.html").read_text("utf-8")
    home = (built / "index.html").read_text("utf-8")
    assert '<h1 id="질문-모음">질문 모음</h1>' in questions or ">질문 모음</h1>" in questions
    assert questions.count("studylog-question") >= 5
    assert "data-deck=" in review
    for page in (questions, review, home):
        assert 'src="' in page and "assets/studylog/review.js" in page  # on every page
    assert (
        (built / "assets" / "studylog" / "ts-fsrs.js")
        .read_text("utf-8")
        .startswith("/*! ts-fsrs 5.4.2")
    )
    assert "MIT License" in (built / "assets" / "studylog" / "ts-fsrs.LICENSE.txt").read_text()
    assert "학습 달력" in home and '<dd data-streak="0">2일</dd>' in home
    assert "2024-03-13 기준." in home  # the build's date, from SOURCE_DATE_EPOCH
    # The answers are in the Questions page, so the site's search finds a question by them.
    index = json.loads((built / "search" / "search_index.json").read_text("utf-8"))
    found = [d["location"] for d in index["docs"] if "셀 상태의 덧셈 경로" in d["text"]]
    assert any(loc.startswith("questions/") for loc in found), found
    nav = re.findall(
        r'class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*([^<]+?)\s*<', home
    )
    assert "질문 모음" in nav and "복습" in nav


def test_the_demo_asks_and_answers_and_reviews() -> None:
    """The demo's own logs hold every kind of pair the pages show (see the demo's logs)."""
    from studylog.parse import parse_paths

    found = parse_paths([ROOT / "logs"], root=ROOT, config=ParserConfig())
    cards = deck(found)
    assert {c.pair.form for c in cards} == {"question", "card"}
    assert any(not c.answered for c in cards) and sum(c.answered for c in cards) >= 10
    assert any("\n" in c.question for c in cards)  # a card of several lines ("?")
