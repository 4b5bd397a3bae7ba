from __future__ import annotations

import datetime as dt
import json

import pytest

from studylog.model import Day, Log
from studylog.stats import (
    WeekKey,
    entries,
    initial,
    keyword_index,
    log_title,
    nav_title,
    qa_totals,
    site_stats,
    slug,
    sort_key,
    weeks,
)


def day(path: str, line: int, n: int, date: dt.date, week: int | None, kws=(), q=None, a=None):
    return Day(
        path=path,
        line=line,
        title=f"Day {n}",
        anchor=f"day-{n}",
        day=n,
        date=date,
        week=week,
        keywords=tuple(kws),
        questions=q,
        answers=a,
    )


@pytest.fixture
def logs() -> list[Log]:
    multi = Log(
        path="logs/week03.md",
        body="",
        body_line=1,
        kind="weekly",
        title="Week 3",
        week=3,
        keywords=("MLP", "Optimizer", "CNN"),
        questions=6,
        answers=7,
        days=(
            day("logs/week03.md", 5, 11, dt.date(2023, 11, 20), 3, ["MLP", "Optimizer"], 3, 6),
            day("logs/week03.md", 20, 12, dt.date(2023, 11, 21), 3, ["CNN"], 3, 1),
        ),
    )
    daily = Log(
        path="logs/d13.md",
        body="",
        body_line=1,
        title="Day 13",
        week=3,
        day=13,
        date=dt.date(2023, 11, 22),
        keywords=("mlp", "Multi-Layer Perceptron", "어텐션"),
    )
    undated_iso = Log(
        path="logs/plain.md",
        body="",
        body_line=1,
        date=dt.date(2021, 8, 9),
        questions=2,
        answers=None,
    )
    retro = Log(
        path="logs/retro.md",
        body="",
        body_line=1,
        kind="weekly",
        title="3주차 회고",
        week=3,
        keywords=("Transformer",),
    )
    return [retro, daily, multi, undated_iso]


def test_entries_flatten_days_and_sort_by_date(logs):
    items = entries(logs)
    assert [(e.path, e.anchor) for e in items] == [
        ("logs/plain.md", None),
        ("logs/week03.md", "day-11"),
        ("logs/week03.md", "day-12"),
        ("logs/d13.md", None),
        ("logs/retro.md", None),  # undated last
    ]
    assert items[0].week == WeekKey.from_date(dt.date(2021, 8, 9))
    assert items[-1].kind == "weekly"


def test_keywords_merge_case_insensitively_and_through_aliases(logs):
    index = keyword_index(entries(logs), {"multi-layer perceptron": "MLP"})
    names = [k.name for k in index]
    assert names == ["CNN", "MLP", "Optimizer", "Transformer", "어텐션"]  # Latin, then Hangul
    mlp = next(k for k in index if k.name == "MLP")
    assert [(e.path, e.anchor) for e in mlp.refs] == [
        ("logs/week03.md", "day-11"),
        ("logs/d13.md", None),
    ]
    assert mlp.count == 2  # d13 names MLP twice (mlp + alias): counted once
    assert next(k for k in index if k.name == "CNN").refs[0].anchor == "day-12"


def test_weeks_roll_up_days_and_link_weekly_logs(logs):
    items = entries(logs)
    summary = {w.key.label: w for w in weeks(logs, items, {"Multi-Layer Perceptron": "MLP"})}
    assert list(summary) == ["Week 3", "2021-W32"]  # course weeks before ISO weeks
    w3 = summary["Week 3"]
    assert [e.title for e in w3.days] == ["Day 11", "Day 12", "Day 13"]
    assert (w3.questions, w3.answers) == (6, 7)  # day 13 has no record: not 0, left out
    assert set(w3.weekly_logs) == {"logs/week03.md", "logs/retro.md"}
    assert w3.retrospectives == ("logs/retro.md",)  # the file of days is not one
    assert w3.keywords == ("MLP", "Optimizer", "CNN", "어텐션", "Transformer")
    assert summary["2021-W32"].answers is None


def test_an_untitled_file_of_days_is_named_by_its_span(logs):
    multi = logs[2]
    untitled = Log(
        path="logs/days06-07.md", body="", body_line=1, date=multi.days[0].date, days=multi.days
    )
    assert log_title(untitled) == "Days 11–12 · 2023-11-20 ~ 2023-11-21"
    # In its week's navigation a file of days is named by its days, whatever its title
    # (often the week's own: "Week 3"); a retrospective says it is one.
    assert nav_title(multi) == "Days 11–12 · 2023-11-20 ~ 2023-11-21"
    assert nav_title(logs[0]) == "Retrospective: 3주차 회고"
    assert nav_title(logs[1]) == log_title(logs[1]) == "Day 13"


def test_qa_totals_count_days_with_records(logs):
    qa = qa_totals(entries(logs))
    assert (qa.questions, qa.answers, qa.days_recorded, qa.days) == (8, 7, 3, 4)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (
            ["어텐션", "attention", "Batch Norm", "가중치", "CNN", "학습률", "dropout"],
            ["attention", "Batch Norm", "CNN", "dropout", "가중치", "어텐션", "학습률"],
        ),
        (["하", "가", "나"], ["가", "나", "하"]),
    ],
)
def test_sort_latin_then_hangul_in_dictionary_order(words, expected):
    assert sorted(words, key=sort_key) == expected


@pytest.mark.parametrize(
    ("word", "letter"),
    [
        ("MLP", "M"),
        ("adam", "A"),
        ("어텐션", "ㅇ"),
        ("가중치", "ㄱ"),
        ("학습률", "ㅎ"),
        ("3D", "0-9"),
    ],
)
def test_index_letters(word, letter):
    assert initial(word) == letter


def test_slugs_are_stable_and_keep_hangul():
    assert slug("Weight Initialization") == "kw-weight-initialization"
    assert slug("transformer의 세 가지") == "kw-transformer의-세-가지"
    assert slug("<script>") == "kw-script"


def test_site_stats_bundles_everything(logs):
    stats = site_stats(logs, {"Multi-Layer Perceptron": "MLP"})
    assert len(stats.entries) == 5 and len(stats.weeks) == 2
    assert stats.qa.questions == 8


def test_stats_command_on_the_seeds(seeds_dir, tmp_path, capsys):
    from studylog.cli import main

    status = main(
        ["stats", str(seeds_dir), "--default-year", "2023", "--json", "--root", str(tmp_path)]
    )
    assert status == 0
    data = json.loads(capsys.readouterr().out)
    weeks = {w["week"]: w for w in data["weeks"]}
    assert (weeks["Week 3"]["questions"], weeks["Week 3"]["answers"]) == (6, 7)
    assert (weeks["2021-W32"]["days"], weeks["2021-W32"]["questions"]) == (5, 9)
    assert data["totals"]["problems"] == 1  # the retrospective has no date
    assert main(["stats", str(seeds_dir), "--default-year", "2023", "--root", str(tmp_path)]) == 0
    assert "Week 3" in capsys.readouterr().out
