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
        "daily", 15, dt.date(2024, 3, 6), (), "Day 15 (3/6)")


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
        "logs/k.md")
    assert log.keywords == ("MLP", "optimizer", "Adam")


def test_keyword_aliases() -> None:
    log = parse("Keywords: Multi-Layer Perceptron, mlp, CNN\n",
                keyword_aliases={"multi-layer perceptron": "MLP"})
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
def test_question_and_answer_counts(body: str, questions: int | None,
                                    answers: int | None) -> None:
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
    log = parse("- [x] done\n- [X] done too\n- [ ] open\n  - [x] nested done\n"
                "* [ ] star open\n1. [x] ordered done\n- [x]\n- not a task [x]\n")
    assert (log.tasks_done, log.tasks_open) == (5, 2)


@pytest.mark.parametrize(
    ("title", "kind", "week", "day"),
    [
        ("[Week 02 / Day 009] 공부 노트", "daily", 2, 9),
        ("[딥러닝 과정] 3주차 돌아보기 & 회고", "weekly", 3, None),
        ("Week 3 (11/20 ~ 11/24)", "weekly", 3, None),
        ("Weekly retrospective", "weekly", None, None),
        ("2주차 3일차 학습 기록", "daily", 2, 3),
        ("오늘의 학습", "daily", None, None),
    ],
)
def test_kind_week_and_day_from_the_title(title: str, kind: str, week: int | None,
                                          day: int | None) -> None:
    log = parse_text(f'---\ntitle: "{title}"\ndate: 2024-03-04\n---\ntext\n', "logs/t.md")
    assert (log.kind, log.week, log.day) == (kind, week, day)


def test_front_matter_kind_week_day_win() -> None:
    log = parse_text("---\ntitle: Week 3 Day 4\ndate: 2024-03-04\nkind: weekly\nweek: 9\n"
                     "day: 2\n---\n", "logs/t.md")
    assert (log.kind, log.week, log.day) == ("weekly", 9, 2)


def test_week_from_tag_then_course_start() -> None:
    tagged = parse_text("---\ndate: 2024-03-04\ntags: [daily-log, week05]\n---\n", "logs/t.md")
    assert tagged.week == 5
    start = dt.date(2024, 3, 4)
    computed = parse_text("---\ndate: 2024-03-13\n---\n", "logs/t.md",
                          ParserConfig(course_start=start))
    assert computed.week == 2
    before = parse_text("---\ndate: 2024-03-01\n---\n", "logs/t.md",
                        ParserConfig(course_start=start))
    assert before.week is None


def test_days_of_a_weekly_file_inherit_its_week_or_compute_their_own() -> None:
    body = "Day 1 (3/4)\n---\nx\n\nDay 8 (3/11)\n---\ny\n"
    titled = parse_text("Week 1\n===\n" + body, "logs/w.md", ParserConfig(default_year=2024))
    assert [d.week for d in titled.days] == [1, 1]
    computed = parse_text(body, "logs/w.md", ParserConfig(
        default_year=2024, course_start=dt.date(2024, 3, 4)))
    assert [d.week for d in computed.days] == [1, 2]


def test_date_sources_in_order() -> None:
    assert parse_text("text\n", "logs/2024-03-05-til.md").date == dt.date(2024, 3, 5)
    assert parse_text("---\ndate: 2024-03-06\n---\n", "logs/2024-03-05-til.md").date == dt.date(
        2024, 3, 6)
    jekyll = parse_text("---\ndate: 2022-02-09 23:40:00 -0100\n---\n", "logs/j.md")
    assert jekyll.date == dt.date(2022, 2, 9)  # the author's own calendar date
    year = parse_text("---\nyear: 2023\n---\n## Day 1 (11/20)\n", "logs/y.md")
    assert year.date == dt.date(2023, 11, 20)


def test_title_from_the_first_level_one_heading() -> None:
    assert parse("Setext title\n===\n\n# later\n").title == "Setext title"
    assert parse("## not level one\n\n# **ATX** title #\n").title == "ATX title"
    assert parse("no heading\n").title is None


def test_unknown_front_matter_keys_are_kept_quietly() -> None:
    log = parse_text("---\nlayout: post\npin: true\nimage:\n  path: /a.png\ndate: 2024-03-04\n"
                     "tags: deep learning\ndraft: yes\n---\n", "logs/j.md")
    assert log.problems == ()
    assert log.front_matter["image"] == {"path": "/a.png"}
    assert log.tags == ("deep", "learning")  # Jekyll's space-separated tags
    assert log.draft is True


def test_user_patterns_extend_the_defaults() -> None:
    config = ParserConfig(default_year=2024).extend(
        keyword_line_labels=["Topics"], question_count_labels=["질문한 횟수"],
        day_heading_patterns=[r"^Session\s+(?P<day>\d+)"])
    assert "Keywords" in config.keyword_line_labels
    log = parse_text("## Session 1\nTopics: MLP\n질문한 횟수: 2\n\n## Session 2\nKeywords: CNN\n",
                     "logs/u.md", config)
    assert [d.day for d in log.days] == [1, 2]
    assert (log.keywords, log.questions) == (("MLP", "CNN"), 2)
    with pytest.raises(TypeError):
        config.extend(default_year=[2020])
    assert ParserConfig().check() == ()
    assert "not a valid pattern" in ParserConfig().extend(week_patterns=["(unclosed"]).check()[0]
