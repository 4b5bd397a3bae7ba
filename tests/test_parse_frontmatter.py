"""The front matter schema: one converter per key, (value, issues), never an exception."""

from __future__ import annotations

import datetime as dt

import pytest

from studylog.parse import frontmatter
from studylog.parse.frontmatter import SCHEMA


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("title", "  A title ", "A title"),
        ("title", 2024, "2024"),
        ("date", "2024-03-04", dt.date(2024, 3, 4)),
        ("date", "2022-02-09 22:40:00 +0900", dt.date(2022, 2, 9)),
        ("date", "2024/3/4", dt.date(2024, 3, 4)),
        ("date", dt.date(2024, 3, 4), dt.date(2024, 3, 4)),
        ("kind", "Weekly", "weekly"),
        ("week", 4, 4),
        ("week", "04", 4),
        ("questions", 0, 0),
        ("answers", 6.0, 6),
        ("keywords", "MLP, Optimizer", ("MLP", "Optimizer")),
        ("keywords", ["MLP", 3], ("MLP", "3")),
        ("tags", "a b", ("a", "b")),
        ("tags", "a b, c", ("a b", "c")),
        ("categories", ["BoostCamp"], ("BoostCamp",)),
        ("year", 2023, 2023),
        ("draft", "no", False),
    ],
)
def test_converters_accept(key: str, value: object, expected: object) -> None:
    assert SCHEMA[key](key, value) == (expected, [])


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("title", {"a": 1}, "must be text"),
        ("date", "2022-02-30", "impossible date 2022-02-30"),
        ("date", "yesterday", "is not a date"),
        ("date", 20240304, "is not a date"),
        ("kind", "monthly", "daily or weekly"),
        ("week", "four", "whole number"),
        ("questions", "three", "whole number"),
        ("questions", -1, "can't be negative"),
        ("answers", True, "whole number"),
        ("answers", 1.5, "whole number"),
        ("keywords", {"a": 1}, "list"),
        ("keywords", [{"nested": 1}], "list of words"),
        ("year", 100000, "not a year"),
        ("draft", "maybe", "true or false"),
    ],
)
def test_converters_reject_with_a_hint(key: str, value: object, fragment: str) -> None:
    result, issues = SCHEMA[key](key, value)
    assert result is None
    ((message, hint),) = issues
    assert fragment in message and f"`{key}`" in message
    assert hint


def test_problems_carry_the_key_line() -> None:
    text = "title: t\n# a comment\nquestions: three\nlayout: post\n"
    fm = frontmatter.read(text, "logs/a.md", first_line=2, end_line=6)
    (problem,) = fm.problems
    assert (problem.path, problem.line) == ("logs/a.md", 4)
    assert fm.values == {"title": "t"}
    assert fm.raw == {"title": "t", "questions": "three", "layout": "post"}
    assert fm.lines == {"title": 2, "questions": 4, "layout": 5}


def test_not_a_mapping() -> None:
    fm = frontmatter.read("- a\n- b\n", "logs/a.md", first_line=2, end_line=4)
    (problem,) = fm.problems
    assert "key: value" in problem.message and problem.line == 2


def test_empty_front_matter() -> None:
    fm = frontmatter.read("", "logs/a.md", first_line=2, end_line=2)
    assert (fm.raw, fm.problems) == ({}, ())


@pytest.mark.parametrize(
    ("key", "value", "result"),
    [
        ("week", "3주차", 3),
        ("week", "Week 04", 4),
        ("day", "Day 015", 15),
        ("day", "15일차", 15),
        ("questions", "3개", 3),
        ("answers", "2 times", 2),
        ("kind", "TIL", "daily"),
        ("kind", "WIL", "weekly"),
        ("kind", "Weekly Review", "weekly"),
        ("kind", "회고", "weekly"),
        ("tags", [[]], ()),
        ("tags", [[], "a"], ("a",)),
        ("date", "2023년 1월 9일", dt.date(2023, 1, 9)),
        ("date", "Jan 9, 2023", dt.date(2023, 1, 9)),
        ("last_modified_at", "2023-01-12 10:00:00 +0900", dt.date(2023, 1, 12)),
    ],
)
def test_converters_accept_what_people_write(key: str, value: object, result: object) -> None:
    assert SCHEMA[key](key, value) == (result, [])
