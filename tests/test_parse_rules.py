"""The rules read from a log's text: day headings, keywords, counts, Q/A, tasks, kind, week."""

from __future__ import annotations

import datetime as dt

import pytest

from studylog.parse import ParserConfig, parse_text

DATED = "---\ndate: 2024-03-04\n---\n"


def parse(body: str, **options: object):
    return parse_text(DATED + body, "logs/x.md", ParserConfig(default_year=2024, **options))


@pytest.mark.parametrize(
    ("heading", "day", "date"),
    [
        ("Day 11 (11/20)\n---", 11, "2024-11-20"),
        ("## Day 3 - 2024/03/06", 3, "2024-03-06"),
        ("## DAY 03", 3, None),
        ("### day-7 (3.12)", 7, "2024-03-12"),
        ("# Day 7 (3월 12일)", 7, "2024-03-12"),
        ("## 3일차 (3/6)", 3, "2024-03-06"),
        ("[Day1] 2021/08/09", 1, "2021-08-09"),
        ("**[Day2]** 2021.08.10", 2, "2021-08-10"),
        ("[Day 4]", 4, None),
    ],
)
def test_day_headings(heading: str, day: int, date: str | None) -> None:
    text = f"{heading}\nnotes\n\n{heading.replace(str(day), str(day + 1), 1)}\nmore notes\n"
    log = parse_text(text, "logs/w.md", ParserConfig(default_year=2024))
    assert log.kind == "weekly"
    assert [d.day for d in log.days] == [day, day + 1]
    assert (log.days[0].date.isoformat() if log.days[0].date else None) == date
    assert log.days[0].line == 1


@pytest.mark.parametrize(
    "text",
    [
        "## Days 1-3 summary\n\n## Days 4-5 summary\n",
        "Day 3 was hard.\n\nDay 4 was easier.\n",  # prose, not headings
        "- [Day1] in a sentence, not alone\n- [Day2] same\n",
    ],
)
def test_not_day_headings(text: str) -> None:
    log = parse(text)
    assert (log.days, log.kind) == ((), "daily")


def test_one_day_heading_makes_a_daily_log_with_its_day_and_date() -> None:
    log = parse_text("# Day 15 (3/6)\nnotes\n", "logs/d.md", ParserConfig(default_year=2024))
    assert (log.kind, log.day, log.date, log.days, log.title) == (
        "daily",
        15,
        dt.date(2024, 3, 6),
        (),
        "Day 15 (3/6)",
    )


@pytest.mark.parametrize(
    ("line", "keywords"),
    [
        ("키워드: MLP, Optimizer", ("MLP", "Optimizer")),
        ("Keywords: CNN , RNN", ("CNN", "RNN")),
        ("**Keywords**: CNN", ("CNN",)),
        ("> - 키워드 : LSTM，GRU", ("LSTM", "GRU")),
        ("+ ##### 키워드: Weight Initialization", ("Weight Initialization",)),
        ("### keyword: `nn.Linear`", ("nn.Linear",)),
        ("Keywords:", ()),
        ("The keywords: not at the start", ()),
    ],
)
def test_keyword_lines(line: str, keywords: tuple[str, ...]) -> None:
    assert parse(line + "\n").keywords == keywords


def test_keyword_sections_take_top_level_items_until_the_next_heading() -> None:
    log = parse(
        "## 스터디\n### **키워드 모음**\n- attention\n- **GRU**의 구조\n"
        "    - nested details are not keywords\n- (강의) AutoEncoder\n"
        "#### a deeper heading keeps the section\n- Dropout\n"
        "### 코딩테스트\n- not a keyword\n\n## Keywords\n1. Seq2Seq\n"
    )
    assert log.keywords == ("attention", "GRU의 구조", "(강의) AutoEncoder", "Dropout", "Seq2Seq")


def test_keywords_merge_case_insensitively_keeping_the_first_spelling() -> None:
    log = parse_text(
        "---\ndate: 2024-03-04\nkeywords: MLP, optimizer\n---\nKeywords: mlp, Adam, OPTIMIZER\n",
        "logs/k.md",
    )
    assert log.keywords == ("MLP", "optimizer", "Adam")


def test_keyword_aliases() -> None:
    log = parse(
        "Keywords: Multi-Layer Perceptron, mlp, CNN\n",
        keyword_aliases={"multi-layer perceptron": "MLP"},
    )
    assert log.keywords == ("MLP", "CNN")


@pytest.mark.parametrize(
    ("body", "questions", "answers"),
    [
        ("no record here\n", None, None),
        ("> 오늘의 질문 횟수: 3  \n> 오늘의 답변 횟수: 6\n", 3, 6),
        ("Questions: 0\nAnswers: 0\n", 0, 0),  # zero is a record
        ("- **Questions**: 2\n", 2, None),
        ("Q : first? A : inline answer\nQ: second?\nA: own line\n", 2, 2),
        ("Q. dotted?\nA. dotted answer\nQ1: numbered?\n", 2, 1),
        ("Q: asked\nA:\n", 1, 0),  # an empty answer is not an answer
        ("Q:\n", None, None),  # nor an empty question
        ("a. lettered list\nb. options\n", None, None),
        ("Q: why? It is plan A. Then B.\n", 1, 0),
        ("Q: why? A. because\n", 1, 1),
        ("Questions: 5\nQ: counted lines lose to the count line\nA: yes\n", 5, 1),
        ("```\nQ: inside code\n```\n", None, None),
    ],
)
def test_question_and_answer_counts(body: str, questions: int | None, answers: int | None) -> None:
    log = parse(body)
    assert (log.questions, log.answers) == (questions, answers)


def test_multi_day_counts_sum_and_stay_null_without_records() -> None:
    log = parse("## Day 1\nQ: a?\nA: b\n\n## Day 2\nnothing\n\n## Day 3\nQuestions: 2\n")
    assert [(d.questions, d.answers) for d in log.days] == [(1, 1), (None, None), (2, None)]
    assert (log.questions, log.answers) == (3, 1)
    empty = parse("## Day 1\nx\n\n## Day 2\ny\n")
    assert (empty.questions, empty.answers) == (None, None)


def test_front_matter_counts_win() -> None:
    log = parse_text("---\ndate: 2024-03-04\nquestions: 0\n---\nQ: a?\nA: b\n", "logs/q.md")
    assert (log.questions, log.answers) == (0, 1)


def test_tasks() -> None:
    log = parse(
        "- [x] done\n- [X] done too\n- [ ] open\n  - [x] nested done\n"
        "* [ ] star open\n1. [x] ordered done\n- [x]\n- not a task [x]\n"
    )
    assert (log.tasks_done, log.tasks_open) == (5, 2)


@pytest.mark.parametrize(
    ("title", "kind", "week", "day"),
    [
        ("[Week 02 / Day 009] 공부 노트", "daily", 2, 9),
        ("[딥러닝 과정] 3주차 돌아보기 & 회고", "weekly", 3, None),
        ("Week 3 (11/20 ~ 11/24)", "weekly", 3, None),
        ("Weekly retrospective", "weekly", None, None),
        ("2주차 3일차 학습 기록", "daily", 2, None),  # the third day of week 2
        ("2주차 7일차 학습 기록", "daily", 2, 7),  # day 7 of the course, in week 2
        ("오늘의 학습", "daily", None, None),
    ],
)
def test_kind_week_and_day_from_the_title(
    title: str, kind: str, week: int | None, day: int | None
) -> None:
    log = parse_text(f'---\ntitle: "{title}"\ndate: 2024-03-04\n---\ntext\n', "logs/t.md")
    assert (log.kind, log.week, log.day) == (kind, week, day)


def test_front_matter_kind_week_day_win() -> None:
    log = parse_text(
        "---\ntitle: Week 3 Day 4\ndate: 2024-03-04\nkind: weekly\nweek: 9\nday: 2\n---\n",
        "logs/t.md",
    )
    assert (log.kind, log.week, log.day) == ("weekly", 9, 2)


def test_week_from_tag_then_course_start() -> None:
    tagged = parse_text("---\ndate: 2024-03-04\ntags: [daily-log, week05]\n---\n", "logs/t.md")
    assert tagged.week == 5
    start = dt.date(2024, 3, 4)
    computed = parse_text(
        "---\ndate: 2024-03-13\n---\n", "logs/t.md", ParserConfig(course_start=start)
    )
    assert computed.week == 2
    before = parse_text(
        "---\ndate: 2024-03-01\n---\n", "logs/t.md", ParserConfig(course_start=start)
    )
    assert before.week is None


def test_days_of_a_weekly_file_inherit_its_week_or_compute_their_own() -> None:
    body = "Day 1 (3/4)\n---\nx\n\nDay 8 (3/11)\n---\ny\n"
    titled = parse_text("Week 1\n===\n" + body, "logs/w.md", ParserConfig(default_year=2024))
    assert [d.week for d in titled.days] == [1, 1]
    computed = parse_text(
        body, "logs/w.md", ParserConfig(default_year=2024, course_start=dt.date(2024, 3, 4))
    )
    assert [d.week for d in computed.days] == [1, 2]


def test_date_sources_in_order() -> None:
    assert parse_text("text\n", "logs/2024-03-05-til.md").date == dt.date(2024, 3, 5)
    assert parse_text("---\ndate: 2024-03-06\n---\n", "logs/2024-03-05-til.md").date == dt.date(
        2024, 3, 6
    )
    jekyll = parse_text("---\ndate: 2022-02-09 23:40:00 -0100\n---\n", "logs/j.md")
    assert jekyll.date == dt.date(2022, 2, 9)  # the author's own calendar date
    year = parse_text("---\nyear: 2023\n---\n## Day 1 (11/20)\n", "logs/y.md")
    assert year.date == dt.date(2023, 11, 20)


def test_title_from_the_first_level_one_heading() -> None:
    assert parse("Setext title\n===\n\n# later\n").title == "Setext title"
    assert parse("## not level one\n\n# **ATX** title #\n").title == "ATX title"
    assert parse("no heading\n").title is None


def test_unknown_front_matter_keys_are_kept_quietly() -> None:
    log = parse_text(
        "---\nlayout: post\npin: true\nimage:\n  path: /a.png\ndate: 2024-03-04\n"
        "tags: deep learning\ndraft: yes\n---\n",
        "logs/j.md",
    )
    assert log.problems == ()
    assert log.front_matter["image"] == {"path": "/a.png"}
    assert log.tags == ("deep", "learning")  # Jekyll's space-separated tags
    assert log.draft is True


def test_user_patterns_extend_the_defaults() -> None:
    config = ParserConfig(default_year=2024).extend(
        keyword_line_labels=["Topics"],
        question_count_labels=["질문한 횟수"],
        day_heading_patterns=[r"^Session\s+(?P<day>\d+)"],
    )
    assert "Keywords" in config.keyword_line_labels
    log = parse_text(
        "## Session 1\nTopics: MLP\n질문한 횟수: 2\n\n## Session 2\nKeywords: CNN\n",
        "logs/u.md",
        config,
    )
    assert [d.day for d in log.days] == [1, 2]
    assert (log.keywords, log.questions) == (("MLP", "CNN"), 2)
    with pytest.raises(TypeError):
        config.extend(default_year=[2020])
    assert ParserConfig().check() == ()
    assert "not a valid pattern" in ParserConfig().extend(week_patterns=["(unclosed"]).check()[0]


# -- forms seen in real logs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "dates"),
    [
        ("# 10 / 18 (수)", "# 10 / 19 (목)", ("2023-10-18", "2023-10-19")),
        ("## 23.01.09(월)", "## 23.01.10(화)", ("2023-01-09", "2023-01-10")),
        ("> ## 23.01.09(월)", "> ## 23.01.10(화)", ("2023-01-09", "2023-01-10")),
        ("### 2023-01-09", "### 2023-01-10", ("2023-01-09", "2023-01-10")),
        ("## 1월 9일 (월)", "## 1월 10일 (화)", ("2023-01-09", "2023-01-10")),
        ("## 2023년 1월 9일 월요일", "## 2023년 1월 10일 화요일", ("2023-01-09", "2023-01-10")),
        ("### Day 1: Jan 22, 2018", "### Day 2: Jan 23, 2018", ("2018-01-22", "2018-01-23")),
        ("## January 22nd", "## January 23rd", ("2023-01-22", "2023-01-23")),
        ("## 22 Jan 2018", "## 23 Jan 2018", ("2018-01-22", "2018-01-23")),
        ("## Monday, March 20, 2023", "## Tuesday, March 21, 2023", ("2023-03-20", "2023-03-21")),
        ("## 10/18 (수) - 텐서", "## 10/19 (목) - 미분", ("2023-10-18", "2023-10-19")),
        ("## Day 0 : March 5 , 2019", "## Day 1 : March 6 , 2019", ("2019-03-05", "2019-03-06")),
        ("## 📅 2023.01.09 TIL", "## 📅 2023.01.10 TIL", ("2023-01-09", "2023-01-10")),
    ],
)
def test_dated_day_headings(first: str, second: str, dates: tuple[str, str]) -> None:
    log = parse_text(
        f"{first}\nnotes\n\n{second}\nmore\n", "logs/w.md", ParserConfig(default_year=2023)
    )
    assert (log.kind, tuple(d.date.isoformat() for d in log.days if d.date)) == ("weekly", dates)
    assert log.problems == ()  # every weekday above matches its date


@pytest.mark.parametrize(
    ("first", "second", "days"),
    [
        ("## Mon - Day 15", "## Tue - Day 16", (15, 16)),
        ("### 🗓 Day 3", "### 🗓 Day 4", (3, 4)),
        ("## 2주차 6일차", "## 2주차 7일차", (6, 7)),
    ],
)
def test_day_headings_with_text_before_the_day(
    first: str, second: str, days: tuple[int, int]
) -> None:
    log = parse(f"{first}\nx\n\n{second}\ny\n")
    assert tuple(d.day for d in log.days) == days


@pytest.mark.parametrize(
    "text",
    [
        "## 1.2 Backprop\n\n## 2.3 Chain rule\n",  # numbered sections
        "## 23. Attention\n\n## 24. Transformer\n",
        "## 1/9 ~ 1/13\n\n## 1/16 ~ 1/20\n",  # date ranges are weeks
        "## 2023-01-09 ~ 2023-01-13\n\n## 2023-01-16 - 2023-01-20\n",
        "## 1월 9일 회고\n\n## 1월 10일 회고\n",  # a yearless date needs its weekday for a topic
        "- 2023-02-06: 발표\n- 2023-02-10: 제출\n",  # dates in a list
    ],
)
def test_not_dated_day_headings(text: str) -> None:
    assert parse(text).days == ()


def test_weekday_mismatch_is_a_warning_and_the_date_wins() -> None:
    log = parse_text("## 23.01.09(화)\nx\n\n## 23.01.10(화)\ny\n", "logs/w.md")
    assert [d.date for d in log.days] == [dt.date(2023, 1, 9), dt.date(2023, 1, 10)]
    (problem,) = log.problems
    assert (problem.line, problem.kind) == (1, "warning")
    assert problem.message == "the weekday (화) does not match 2023-01-09, a Monday"
    assumed = parse_text(
        "## 1/9 (화)\nx\n\n## 1/10 (화)\ny\n", "logs/w.md", ParserConfig(default_year=2023)
    )
    assert "the year 2023 was assumed" in assumed.problems[0].hint


def test_headings_naming_one_day_are_one_day() -> None:
    log = parse("# Day 3\nx\n## 2024-03-06\ny\n## Day 3 정리\nz\n\n# Day 4\nw\n")
    assert [(d.day, d.date) for d in log.days] == [(3, dt.date(2024, 3, 6)), (4, None)]
    single = parse_text("# 23.01.09(월) TIL\n## 23.01.09 오전\n## 23.01.09 오후\n", "logs/d.md")
    assert (single.kind, single.days, single.date, single.title) == (
        "daily",
        (),
        dt.date(2023, 1, 9),
        "23.01.09(월) TIL",
    )


def test_yearless_days_take_the_logs_own_year_and_run_over_new_year() -> None:
    own = parse_text(
        "---\ndate: 2021-12-27\n---\n## 12/30\nx\n\n## 1/3\ny\n",
        "logs/w.md",
        ParserConfig(default_year=2023),
    )
    assert [d.date for d in own.days] == [dt.date(2021, 12, 30), dt.date(2022, 1, 3)]
    newest_first = parse_text(
        "## 1/3\ny\n\n## 12/30\nx\n", "logs/w.md", ParserConfig(default_year=2022)
    )
    assert [d.date for d in newest_first.days] == [dt.date(2022, 1, 3), dt.date(2021, 12, 30)]


@pytest.mark.parametrize(
    ("path", "body", "date"),
    [
        ("logs/20230306.md", "text\n", "2023-03-06"),
        ("logs/til_2023_03_06.md", "text\n", "2023-03-06"),
        ("logs/99999999.md", "날짜: 2023-03-07 (화)\n", "2023-03-07"),
        ("logs/t.md", "**Date**: March 7, 2023 10:00 AM\n", "2023-03-07"),
        ("logs/t.md", "# [TIL] 23.03.07(화) 정리\n", "2023-03-07"),
        ("logs/t.md", "# TIL 2023-03-07: clipping\n", "2023-03-07"),
        ("logs/t.md", "---\ntitle: WIL [2023-03-06 ~ 2023-03-10]\n---\n", "2023-03-06"),
        ("logs/t.md", "---\nlast_modified_at: 2023-03-08 10:00:00 +0900\n---\n", "2023-03-08"),
        ("logs/t.md", "# Python 3.10 정리\n", None),  # a version, not March 10
    ],
)
def test_date_sources_real_logs_use(path: str, body: str, date: str | None) -> None:
    log = parse_text(body, path, ParserConfig(default_year=2023))
    assert (log.date.isoformat() if log.date else None) == date


def test_a_day_without_a_date_in_its_heading_takes_its_date_line() -> None:
    log = parse("## Day 1\n날짜: 2024-03-04\n\n## Day 2\nDate: 2024-03-05\n")
    assert [d.date for d in log.days] == [dt.date(2024, 3, 4), dt.date(2024, 3, 5)]


@pytest.mark.parametrize(
    ("title", "kind", "week", "day"),
    [
        ("딥러닝 과정 3주 회고", "weekly", 3, None),
        ("AI course 2weeks review", "weekly", 2, None),
        ("3rd week notes", "weekly", 3, None),
        ("[WIL] 딥러닝 기초", "weekly", None, None),
        ("이번 주 배운 것", "weekly", None, None),
        ("1월 2주차 회고", "weekly", None, None),  # a week of January, not of the course
        ("[TIL] 23.01.09(월) 회고", "daily", None, None),  # one date: a day's reflection
        ("WIL 2주차 [2023-01-16~2023-01-20]", "weekly", 2, None),
        ("Week 3 Day 2", "daily", 3, None),  # a day of week 3, not of the course
        ("[Week4 - Day3] 모델 배포", "daily", 4, None),
        ("[Week 04 / Day 015] 학습 기록", "daily", 4, 15),
    ],
)
def test_kind_week_and_day_from_real_titles(
    title: str, kind: str, week: int | None, day: int | None
) -> None:
    log = parse_text(f'---\ntitle: "{title}"\ndate: 2023-01-20\n---\ntext\n', "logs/t.md")
    assert (log.kind, log.week, log.day) == (kind, week, day)


@pytest.mark.parametrize(
    ("path", "kind", "week", "day"),
    [
        # one dated entry is a day's log, whatever the file name says of its week
        ("logs/week03.md", "daily", 3, None),
        ("logs/retrospect_week3.md", "weekly", 3, None),
        ("logs/Week_7.md", "daily", 7, None),
        ("logs/2022-02-09-week04-day015.md", "daily", 4, 15),
        ("logs/week-2023-03-19.md", "daily", None, None),  # a date, not week 2023
        ("logs/notes.md", "daily", None, None),
    ],
)
def test_kind_week_and_day_from_the_file_name(
    path: str, kind: str, week: int | None, day: int | None
) -> None:
    log = parse_text("---\ndate: 2023-01-20\n---\ntext\n", path)
    assert (log.kind, log.week, log.day) == (kind, week, day)


@pytest.mark.parametrize(
    ("title", "body", "kind", "week"),
    [
        ("[3주차] Transformer 정리", "어텐션 가중치를 직접 계산했다.\n", "daily", 3),
        ("Week03 - DL Basic", "## [Day 14]\n\nQ: 왜?\nA: 그래서\n", "daily", 3),
        ("[AI 부트캠프] 5주차 학습 정리", "내용\n", "weekly", 5),
        ("Week 3 review", "notes\n", "weekly", 3),
        ("3주차", "## 이번 주 배운 것\n- CNN\n", "weekly", 3),
        ("3주차", "이번 주는 CNN을 배웠다.\n", "weekly", 3),
        ("3주차", "오늘은 CNN을 배웠다.\n", "daily", 3),
    ],
)
def test_a_week_in_the_title_sets_the_week_and_the_entries_set_the_kind(
    title: str, body: str, kind: str, week: int
) -> None:
    log = parse_text(f"---\ndate: 2023-01-20\n---\n# {title}\n\n{body}", "logs/t.ipynb.md")
    assert (log.kind, log.week) == (kind, week)
    undated = parse_text(f"# {title}\n\n{body}", "logs/t.md", ParserConfig(default_year=2023))
    assert undated.week == week


def test_a_daily_heading_does_not_make_a_retrospective_daily() -> None:
    log = parse_text(
        "---\ndate: 2023-02-05\n---\n# Daily\n- 월: 과제\n\n# 회고\n좋았다.\n",
        "logs/week05-retrospective.md",
    )
    assert (log.kind, log.week, log.title) == ("weekly", 5, "Daily")


def test_week_and_kind_front_matter_as_people_write_them() -> None:
    log = parse_text(
        "---\ndate: 2023-01-20\nweek: 3주차\nday: Day 015\nkind: TIL\n"
        "tags: [[]]\ncategories:\n  - []\n---\n",
        "logs/t.md",
    )
    assert (log.week, log.day, log.kind, log.tags, log.categories, log.problems) == (
        3,
        15,
        "daily",
        (),
        (),
        (),
    )
    assert parse_text("---\nkind: WIL\n---\n", "logs/t.md").kind == "weekly"


@pytest.mark.parametrize(
    ("body", "questions", "answers"),
    [
        ("질문: 왜?\n답변: 그래서.\n질문 : 또?\n답: 응.\n", 2, 2),
        ("질문: 없음\n", None, None),
        ("Q1) first?\nA1) yes\n", 1, 1),
        ("- Q. 왜?\n    - 이유 하나\n    - 이유 둘\n- Q. 또?\n", 2, 1),
        ("- Q: why?\n  - because\n  - A: also said\n", 1, 2),  # an A line counts as well
        ("Q. 왜?\n- 이유\n", 1, 1),  # a list right under a question answers it
        ("Q. 왜?\nA:\n\n다음 문단\n- 목록\n", 1, 0),  # another paragraph ends the wait
        ("Questions: 3 (2 in the peer session)\nAnswers: 2회\n", 3, 2),
        ("질문 횟수: 없음\n", 0, None),
    ],
)
def test_question_and_answer_forms(body: str, questions: int | None, answers: int | None) -> None:
    log = parse(body)
    assert (log.questions, log.answers) == (questions, answers)
    assert log.problems == ()


@pytest.mark.parametrize(
    ("line", "count"),
    [
        ("오늘의 질문 횟수: 세 번", 3),
        ("오늘의 질문 횟수: 다섯 번", 5),
        ("Questions: two", 2),
        ("Questions: twice", 2),
    ],
)
def test_a_count_written_as_a_word_is_read_and_reported(line: str, count: int) -> None:
    log = parse(line + "\n")
    assert log.questions == count
    (problem,) = log.problems
    assert (problem.line, problem.kind) == (4, "warning")
    assert "written as a word" in problem.message and "digits" in problem.hint


@pytest.mark.parametrize(
    ("body", "keywords"),
    [
        ("### 오늘의 키워드\n- GAN, 생성자, 판별자, loss\n", ("GAN", "생성자", "판별자", "loss")),
        ("## 학습 키워드\n- Adam (β1, β2)\n- SGD\n", ("Adam (β1, β2)", "SGD")),
        ("## Today's keywords\n- Momentum: keeps some of the last step\n", ("Momentum",)),
        ("### 🔑 키워드\nVAE, 잠재 공간\n\n오늘은 VAE를 배웠다.\n", ("VAE", "잠재 공간")),
        ("### 키워드\n#GAN #VAE\n", ("GAN", "VAE")),
        (
            "**오늘의 키워드**\n- 전이 학습\n- fine-tuning\n\n다음 문단\n\n- not a keyword\n",
            ("전이 학습", "fine-tuning"),
        ),
        ("- 키워드:\n  - LSTM\n  - GRU\n- 다른 항목\n", ("LSTM", "GRU")),
        ("오늘의 키워드: CNN, RNN\n", ("CNN", "RNN")),
        ("### 키워드\n오늘은 GAN을 배웠다.\n", ()),  # a sentence is not a keyword
    ],
)
def test_keyword_forms(body: str, keywords: tuple[str, ...]) -> None:
    assert parse(body).keywords == keywords


def test_days_under_week_headings_take_their_week() -> None:
    log = parse(
        "# 과정 기록\n## 1주차\n### Day 1\nx\n### Day 2\ny\n## 2주차\n### Day 6\nz\n"
        "#### 지난 주(1주차) 복습\nw\n"
    )
    assert [(d.day, d.week) for d in log.days] == [(1, 1), (2, 1), (6, 2)]


def test_weekdays_that_all_fit_another_year_give_that_year() -> None:
    # 10/18 was a Monday in 2021: the log says its year by its weekdays, default_year does not.
    log = parse_text(
        "# 10 / 18 (월)\nx\n\n# 10 / 19 (화)\ny\n\n# 10 / 20 (수)\nz\n",
        "logs/w.md",
        ParserConfig(default_year=2023),
    )
    assert [d.date for d in log.days] == [dt.date(2021, 10, d) for d in (18, 19, 20)]
    assert log.problems == ()


def test_weekdays_that_fit_another_year_than_the_title_give_one_warning() -> None:
    log = parse_text(
        "# Week 3: October 2023\n\n## 10 / 18 (월)\nx\n\n## 10 / 19 (화)\ny\n",
        "logs/w.md",
        ParserConfig(default_year=2020),
    )
    assert [d.date for d in log.days] == [dt.date(2023, 10, d) for d in (18, 19)]
    assert [(p.line, p.kind, p.message) for p in log.problems] == [
        (
            3,
            "warning",
            "the weekdays written beside the dates fit 2021, not 2023; "
            "the dates are read in 2023, the year the title gives",
        )
    ]
    assert "year: " not in log.problems[0].hint


@pytest.mark.parametrize(
    "text",
    [
        "## Day 3 (3.5시간)\nx\n\n## Day 4 (2h)\ny\n",  # durations, not dates
        "## Day 5 (2/30)\nx\n\n## Day 6\ny\n",  # no day of any year
    ],
)
def test_numbers_that_are_no_dates_give_days_without_dates(text: str) -> None:
    log = parse(text)
    assert [d.date for d in log.days] == [None, None]
    assert log.problems == ()
    assert parse("## 13.45\nx\n\n## 14.50\ny\n").days == ()


def test_a_log_kept_newest_first_is_dated_by_its_earliest_day() -> None:
    log = parse_text("## Day 2: Jan 23, 2018\ny\n\n## Day 1: Jan 22, 2018\nx\n", "logs/log.md")
    assert [d.day for d in log.days] == [2, 1]
    assert log.date == dt.date(2018, 1, 22)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("[WIL] 23.01.20", "weekly"),  # a weekly word beats the date it was written on
        ("[TIL] 23.01.09 회고", "daily"),  # a daily word makes 회고 a day's reflection
        ("오늘의 회고", "daily"),
        ("TIL 회고", "daily"),
        ("TIL정리", "daily"),
        ("WIL정리", "weekly"),
        ("Daily retrospective", "daily"),
        ("이번 주 회고", "weekly"),
    ],
)
def test_daily_and_weekly_words_in_titles(title: str, kind: str) -> None:
    log = parse_text(f'---\ntitle: "{title}"\ndate: 2023-01-20\n---\ntext\n', "logs/t.md")
    assert log.kind == kind


def test_a_file_of_days_is_dated_by_its_days_before_its_title() -> None:
    config = ParserConfig(default_year=2024)
    days = parse_text(
        "Week 1 (3/4 ~ 3/8)\n===\n\nDay 4 (3/7)\n---\nx\n\nDay 5 (3/8)\n---\ny\n",
        "logs/w.md",
        config,
    )
    assert days.date == dt.date(2024, 3, 7)  # the first day it holds, not the week's start
    undated = parse_text(
        "# 2주차 [2024-03-11 ~ 2024-03-15]\n## Day 6\nx\n## Day 7\ny\n", "logs/w.md", config
    )
    assert (undated.date, [d.date for d in undated.days]) == (dt.date(2024, 3, 11), [None, None])
