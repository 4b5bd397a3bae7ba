"""The small grammars under the rules: dates in any spelling, the words of a day heading,
the evidence for a year, question and answer markers kept as pairs (no mkdocs, no files)."""

from __future__ import annotations

import datetime as dt

import pytest

from studylog.parse import ParserConfig, dates, days, parse_text, years
from studylog.parse.facts import collect
from studylog.parse.logs import _markdown
from studylog.parse.outline import build
from studylog.parse.patterns import compile_rules


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("15MAY2020", (2020, 5, 15)),  # the library reads what the hand forms do not
        ("08/10/2022, 8:40 am", (2022, 8, 10)),
        ("Thursday 8th of June 2023", (2023, 6, 8)),
        ("09-Jan-2023", (2023, 1, 9)),
        ("October 22 Tuesday", (None, 10, 22)),
        ("05-15-2025", (2025, 5, 15)),  # only one reading of it is a date
        ("15/05/2025", (2025, 5, 15)),
        ("January 19-25, 2026", None),  # a range is no date
        ("2023-01-09 - 2023-01-13", None),
        ("June 2023", None),  # no day written
        ("1.2", (None, 1, 2)),  # a hand form (whether it is a day is the heading's business)
        ("three weeks ago", None),
    ],
)
def test_dates_in_any_spelling(text: str, parts: dates.Parts | None) -> None:
    assert dates.parts(text) == parts


@pytest.mark.parametrize(
    ("stem", "date"),
    [
        ("05-15-2025", dt.date(2025, 5, 15)),
        ("15.05.2025-notes", dt.date(2025, 5, 15)),
        ("2023-01-09-til", dt.date(2023, 1, 9)),
        ("12-13-14", None),
    ],
)
def test_dates_in_file_names(stem: str, date: dt.date | None) -> None:
    assert dates.from_filename(stem) == (date, None)


@pytest.mark.parametrize(
    ("text", "topic", "read"),
    [
        ("R1D1 - 15MAY2020", True, (1, None, "15MAY2020")),
        ("R1-D3", False, (3, None, None)),
        ("6/2/2025 - Week 1 Day 2 (Monday)", False, (2, 1, "6/2/2025")),
        ("Week 4 - Day 3", True, (3, 4, None)),
        ("4주차 3일차", True, (3, 4, None)),
        ("1월 9일 (월)", False, (None, None, "1월 9일")),
        ("Thursday 8th of June - CNN", True, (None, None, "Thursday 8th of June")),
        ("2019-01-09 ~ 2019-01-12", False, None),  # a range
        ("1.2 역전파", True, None),  # a numbered section
        ("1월 9일 이전", True, None),  # a yearless date of digits with a topic
        ("Day 3 - CNN", False, None),  # a mark says nothing but its day
        ("Today's Progress", False, None),
        ("W3C standards", True, None),
    ],
)
def test_the_words_of_a_day_heading(
    text: str, topic: bool, read: tuple[int | None, int | None, str | None] | None
) -> None:
    found = days.read_words(text, topic=topic)
    assert (None if found is None else (found.day, found.week, found.date_text)) == read


@pytest.mark.parametrize(
    ("week", "day", "of_week"),
    [(1, 3, False), (2, 3, True), (4, 3, True), (2, 6, False), (4, 15, False), (None, 3, False)],
)
def test_a_day_written_with_its_week_counts_the_week_when_it_cannot_count_the_course(
    week: int | None, day: int, of_week: bool
) -> None:
    assert days.day_of_week(week, day) is of_week


def test_years_written_in_titles_paths_and_by_weekdays() -> None:
    assert years.year_alone("Week 3: January 19-25, 2026") == 2026
    assert years.year_alone("2023년 회고") == 2023
    assert [years.year_alone(t) for t in ("ResNet2015", "RTX 2080", "v2.2023")] == [None] * 3
    assert years.from_path("logs/2021/notes.md") == years.Year(2021, "the folder name")
    assert years.from_path("logs/til-2022-spring.md") == years.Year(2022, "the file name")
    # Oct 22 was a Tuesday in 2019 and 2024; 2024 is nearer to 2023.
    assert years.weekday_fit([(10, 22, 1)], 2023) == 2024
    assert years.weekday_fit([(10, 22, 6)], 2023) is None  # 2023 itself fits: nothing to say


def test_a_year_the_log_gives_silences_the_year_hint() -> None:
    log = parse_text(
        "# Week 3: January 19-25, 2026\n\n### Monday, January 19\nx\n\n### Tuesday, January 20\n",
        "logs/w.md",
        ParserConfig(default_year=2023),
    )
    assert [d.date for d in log.days] == [dt.date(2026, 1, 19), dt.date(2026, 1, 20)]
    assert log.problems == ()


def test_questions_keep_their_text_line_and_answers() -> None:
    text = (
        "# Notes\n\n"
        "- Q) Query를 비교할 때 왜 스케일링을 할까?\n"
        "  - softmax가 쏠리지 않게 하려고.\n"
        "Q: inline? A: yes, here\n\n"
        "❓ masking adds parameters?\n"
        "→ no\n\n"
        "A: an answer with no question before it would attach to the last one\n"
    )
    rules = compile_rules(ParserConfig())
    tallies, _ = collect(build(_markdown().parse(text)), rules, [1], "logs/x.md")
    pairs = [(p.line, p.text, [(a.line, a.text) for a in p.answers]) for p in tallies[0].pairs]
    assert pairs == [
        (3, "Query를 비교할 때 왜 스케일링을 할까?", [(4, "softmax가 쏠리지 않게 하려고.")]),
        (5, "inline?", [(5, "yes, here")]),
        (
            7,
            "masking adds parameters?",
            [(8, "no"), (10, "an answer with no question before it would attach to the last one")],
        ),
    ]
    assert (tallies[0].questions, tallies[0].answers) == (3, 4)


def test_sources_of_the_year_that_disagree_give_one_warning_naming_both() -> None:
    log = parse_text(
        "---\nyear: 2025\n---\n# Spring notes 2026\n\n## 3/2\nx\n\n## 3/3\ny\n",
        "logs/w.md",
        ParserConfig(default_year=2023),
    )
    assert [d.date for d in log.days] == [dt.date(2025, 3, 2), dt.date(2025, 3, 3)]
    assert [(p.line, p.message) for p in log.problems] == [
        (
            4,
            "the title says 2026, front matter `year` 2025; dates written without a year are "
            "read in 2025",
        )
    ]
    # a post dated in January that tells of December: no disagreement
    posted = parse_text(
        "---\ndate: 2024-01-03\n---\n# 2023년 회고\n\n## 12/28\nx\n\n## 12/29\ny\n", "logs/r.md"
    )
    assert [d.date for d in posted.days] == [dt.date(2023, 12, 28), dt.date(2023, 12, 29)]
    assert posted.problems == ()


def test_a_day_impossible_only_in_the_year_assumed_is_a_warning() -> None:
    log = parse_text(
        "## 2/29 (수)\nx\n\n## 3/1 (목)\ny\n", "logs/w.md", ParserConfig(default_year=2023)
    )
    assert [(p.kind, p.message) for p in log.problems][:1] == [
        ("warning", "day heading: impossible date 2023/2/29")
    ]
    written = parse_text("## 2023/2/29\nx\n\n## 2023/3/1\ny\n", "logs/w.md")
    assert [p.kind for p in written.problems] == ["error"]
