"""The demo's Review page, Questions page and study calendar in Chromium.

A card is reviewed with the keyboard on a desktop and by tapping on a phone (390 px);
the schedule survives a reload; the filters narrow the deck; instant navigation starts
the review; the calendar has a cell per study day of the demo's logs and the streaks
they make, fits a phone and reads in dark mode. Screenshots go to
``test-artifacts/browser/`` (``review-*``, ``questions-*``, ``calendar-*``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import DESKTOP, PHONE, local_only
from studylog.parse import ParserConfig, parse_paths
from studylog.stats import entries
from studylog.streaks import streaks, study_days

REVIEW = "review/"
STARTED = ".studylog-review[data-started]"
STATUS = """() => document.querySelector('.studylog-review-status').textContent"""
CARD = """() => document.querySelector('.studylog-review-card').dataset.card"""


def deck(page: Any) -> dict[str, Any]:
    return json.loads(page.locator("[data-studylog-review]").get_attribute("data-deck"))


def due(page: Any) -> tuple[int, int]:
    """(due, total) from the status line, as the Korean demo words it."""
    found = re.search(r"카드 (\d+)장 중 (\d+)장", page.evaluate(STATUS))
    assert found, page.evaluate(STATUS)
    return int(found.group(2)), int(found.group(1))


def stored(page: Any) -> dict[str, Any]:
    """The schedule the page keeps in localStorage (one key for the site)."""
    keys = page.evaluate("Object.keys(localStorage)")
    mine = [k for k in keys if k.startswith("studylog-review:")]
    assert len(mine) == 1, keys
    return dict(json.loads(page.evaluate(f"localStorage.getItem({mine[0]!r})"))["cards"])


def test_a_card_reviewed_with_the_keyboard_keeps_its_schedule_after_a_reload(
    open_page: Any, demo_url: str, artifacts: Path
) -> None:
    page = open_page(demo_url + REVIEW, DESKTOP)
    page.wait_for_selector(STARTED)
    cards = deck(page)["cards"]
    assert due(page) == (len(cards), len(cards))  # a new reader: every card is due
    first = page.evaluate(CARD)
    assert page.locator(".studylog-review-answer").is_hidden()
    page.keyboard.press("Space")
    page.locator(".studylog-review-answer").wait_for(state="visible")
    intervals = page.locator(".studylog-review-grades [data-interval]").all_text_contents()
    assert len(intervals) == 4 and all(t.strip() for t in intervals), intervals
    page.screenshot(path=str(artifacts / "review-answer-1280.png"), full_page=True)
    page.keyboard.press("4")  # easy: due in days
    page.wait_for_function(
        f"() => document.querySelector('.studylog-review-card').dataset.card !== {first!r}"
    )
    assert due(page) == (len(cards) - 1, len(cards))
    schedule = stored(page)
    assert list(schedule) == [first]
    assert dt.datetime.fromisoformat(
        schedule[first]["due"].replace("Z", "+00:00")
    ) > dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)

    page.reload()
    page.wait_for_selector(STARTED)
    assert due(page) == (len(cards) - 1, len(cards))  # kept by the browser
    assert page.evaluate(CARD) != first
    assert list(stored(page)) == [first]


def test_a_card_reviewed_by_tapping_on_a_phone(
    browser: Any, demo_url: str, artifacts: Path
) -> None:
    context = browser.new_context(
        viewport={"width": PHONE, "height": 844}, has_touch=True, is_mobile=True
    )
    context.route("**/*", local_only)
    try:
        page = context.new_page()
        page.goto(demo_url + REVIEW)
        page.wait_for_selector(STARTED)
        total = len(deck(page)["cards"])
        first = page.evaluate(CARD)
        page.locator(".studylog-review-question").tap()
        page.locator(".studylog-review-answer").wait_for(state="visible")
        assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
        good = page.locator(".studylog-review-grades button[data-grade='3']")
        box = good.bounding_box()
        assert box is not None and box["height"] >= 40 and box["width"] >= 80  # thumb-sized
        page.screenshot(path=str(artifacts / "review-answer-390.png"), full_page=True)
        good.tap()
        page.wait_for_function(
            f"() => document.querySelector('.studylog-review-card').dataset.card !== {first!r}"
        )
        assert due(page) == (total - 1, total)
        assert list(stored(page)) == [first]
    finally:
        context.close()


def test_the_filters_narrow_the_deck(open_page: Any, demo_url: str) -> None:
    page = open_page(demo_url + REVIEW, PHONE)
    page.wait_for_selector(STARTED)
    cards = deck(page)["cards"]
    page.select_option("select[data-filter='week']", "week-02")
    week2 = [c for c in cards if c["week"] == "week-02"]
    assert 0 < len(week2) < len(cards)
    assert due(page) == (len(week2), len(week2))
    assert page.evaluate(CARD) in {c["id"] for c in week2}
    page.select_option("select[data-filter='keyword']", "attention")
    both = [c for c in week2 if "attention" in c["keywords"]]
    assert 0 < len(both) < len(week2)
    assert due(page) == (len(both), len(both))
    page.select_option("select[data-filter='week']", "")
    anywhere = [c for c in cards if "attention" in c["keywords"]]
    assert due(page) == (len(anywhere), len(anywhere))


def test_instant_navigation_starts_the_review(open_page: Any, demo_url: str) -> None:
    page = open_page(demo_url, DESKTOP)
    page.evaluate("window.__studylogMarker = 1")
    page.locator(".md-nav a[href$='review/']").first.click()
    page.wait_for_url("**/review/")
    page.wait_for_selector(STARTED)
    assert page.evaluate("window.__studylogMarker") == 1  # no reload: document$ set it up
    assert due(page)[0] > 0


def test_the_questions_page_folds_answers_and_links_each_day(
    open_page: Any, demo_url: str, artifacts: Path
) -> None:
    page = open_page(demo_url + "questions/", PHONE)
    first = page.locator("details.studylog-question").first
    assert not first.evaluate("d => d.open")
    first.locator("summary").click()
    assert first.evaluate("d => d.open")
    assert first.locator(".studylog-answer").is_visible()
    assert page.locator("details.studylog-question.warning").count() >= 1  # unanswered
    page.screenshot(path=str(artifacts / "questions-open-390.png"), full_page=True)
    link = first.locator(".studylog-question-where a")
    link.click()
    page.wait_for_url("**/logs/**")


def _demo_days(project: Path) -> list[Any]:
    logs = parse_paths([project / "logs"], root=project, config=ParserConfig())
    return study_days(entries(logs))


@pytest.mark.parametrize("width", [PHONE, 768, DESKTOP])
def test_the_calendar_matches_the_logs_and_fits(
    open_page: Any, demo_url: str, demo_project: Path, artifacts: Path, width: int
) -> None:
    page = open_page(demo_url, width)
    calendar = page.locator(".studylog-calendar")
    calendar.wait_for()
    days = _demo_days(demo_project)
    cells = page.evaluate(
        """() => [...document.querySelectorAll('.studylog-calendar a.studylog-cal-day')]
          .map(a => ({title: a.title, href: a.getAttribute('href')}))"""
    )
    assert [c["title"][:10] for c in cells] == [d.date.isoformat() for d in days]
    as_of = re.search(r"(\d{4}-\d{2}-\d{2}) 기준", calendar.text_content())
    assert as_of
    found = streaks((d.date for d in days), dt.date.fromisoformat(as_of.group(1)))
    shown = [
        page.locator(f".studylog-streaks dd[data-streak='{i}']").text_content() for i in (0, 1, 2)
    ]
    assert shown == [f"{found.current}일", f"{found.longest}일", str(len(days))]
    box = calendar.bounding_box()
    column = page.locator(".md-content__inner").bounding_box()
    assert box is not None and column is not None
    assert box["x"] + box["width"] <= column["x"] + column["width"] + 0.5
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    calendar.screenshot(path=str(artifacts / f"calendar-{width}.png"))


def test_the_calendar_and_the_review_read_in_dark_mode(
    open_page: Any, demo_url: str, artifacts: Path
) -> None:
    page = open_page(demo_url, PHONE)
    page.locator(".studylog-calendar").wait_for()
    colours = """() => {
      const style = (sel) => getComputedStyle(document.querySelector(sel)).backgroundColor;
      return {empty: style('.studylog-cal-months span.studylog-cal-day'),
              study: style('.studylog-cal-months a.studylog-cal-day'),
              page: getComputedStyle(document.body).backgroundColor};
    }"""
    light = page.evaluate(colours)
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = page.evaluate(colours)
    assert dark["page"] != light["page"] and dark["empty"] != light["empty"]
    assert dark["study"] != dark["empty"]  # study days still stand out
    page.locator(".studylog-calendar").screenshot(path=str(artifacts / "calendar-dark-390.png"))
    page.goto(demo_url + REVIEW)
    page.wait_for_selector(STARTED)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    card = page.evaluate(
        "getComputedStyle(document.querySelector('.studylog-review-card')).backgroundColor"
    )
    assert card != light["page"]
    page.screenshot(path=str(artifacts / "review-dark-390.png"), full_page=True)
