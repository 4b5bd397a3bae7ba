"""Every form real study logs use, one small fixture each (tests/fixtures/parse/forms/).

``expected.json`` holds what a careful reader writes down for each fixture: kind, title,
date, week, day, the days with their dates, keywords, questions, answers and the exact
problems with their lines. The fixtures are read both file by file and the way users
meet them, with ``studylog check --json --default-year 2023`` over the whole folder.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from studylog.cli import main
from studylog.parse import ParserConfig, log_to_dict, parse_file

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
FORMS = FIXTURES / "forms"
EXPECTED: dict[str, dict[str, Any]] = {
    name: value
    for name, value in json.loads((FORMS / "expected.json").read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}
DAY_KEYS = ("day", "date", "week", "keywords", "questions", "answers")


def reader_fields(data: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``log_to_dict``'s shape that ``wanted`` names, shaped like it."""
    got: dict[str, Any] = {}
    for key in wanted:
        if key == "days":
            got[key] = [{k: day[k] for k in DAY_KEYS} for day in data["days"]]
        elif key == "problems":
            got[key] = [[p["line"], p["kind"], p["message"]] for p in data["problems"]]
        elif key == "tasks":
            got[key] = [data["tasks_done"], data["tasks_open"]]
        else:
            got[key] = data[key]
    return got


def test_there_is_a_fixture_for_every_expectation_and_fifty_of_them() -> None:
    names = {p.name for p in FORMS.glob("*.md")}
    assert names == set(EXPECTED)
    assert len(names) >= 50


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_field_of_every_form(name: str) -> None:
    log = parse_file(FORMS / name, root=FORMS, config=ParserConfig(default_year=2023))
    wanted = EXPECTED[name]
    assert reader_fields(log_to_dict(log), wanted) == wanted


def test_bom_and_crlf_fixtures_keep_their_bytes() -> None:
    # .gitattributes keeps these byte-exact; without it git would rewrite them as LF.
    assert (FORMS / "bom-daily.md").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in (FORMS / "crlf-daily.md").read_bytes()
    both = (FORMS / "bom-crlf-multiday.md").read_bytes()
    assert both.startswith(b"\xef\xbb\xbf") and b"\r\n" in both


def test_check_over_the_whole_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a user runs over imported logs: no exception, no error, and problems only
    where a reader agrees there is something to fix."""
    monkeypatch.chdir(tmp_path)  # no mkdocs.yml: only the command line's options apply
    assert main(["check", str(FORMS), "--json", "--default-year", "2023"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == set(EXPECTED)
    got = {
        (name, p["line"], p["kind"], p["message"])
        for name, log in data.items()
        for p in log["problems"]
    }
    wanted = {(name, *problem) for name, log in EXPECTED.items() for problem in log["problems"]}
    assert got == wanted
    assert all(kind == "warning" for _, _, kind, _ in got)
    for name, log in data.items():
        assert reader_fields(log, EXPECTED[name]) == EXPECTED[name], name


COURSE = FIXTURES / "course"
START = dt.date(2023, 1, 2)


@pytest.mark.parametrize(
    ("name", "week", "problem"),
    [
        ("inside-course.md", 2, None),
        (
            "before-course-start.md",
            None,
            (
                1,
                "2022-12-20 is before course_start (2023-01-02); "
                "the log is grouped by its calendar week (2022-W51)",
            ),
        ),
        (
            "year-after-course-start.md",
            None,
            (
                1,
                "2024-02-20 is more than a year after course_start (2023-01-02); "
                "the log is grouped by its calendar week (2024-W08)",
            ),
        ),
    ],
)
def test_logs_far_outside_the_course_are_grouped_by_calendar_week(
    name: str, week: int | None, problem: tuple[int, str] | None
) -> None:
    log = parse_file(COURSE / name, config=ParserConfig(course_start=START))
    assert log.week == week
    assert [(p.line, p.message) for p in log.problems] == ([problem] if problem else [])
    assert all(p.kind == "warning" and "week: N" in p.hint for p in log.problems)


def test_days_before_the_course_warn_once_and_have_no_course_week() -> None:
    log = parse_file(
        COURSE / "days-before-course-start.md", config=ParserConfig(course_start=START)
    )
    assert [(d.date, d.week) for d in log.days] == [
        (dt.date(2022, 12, 26), None),
        (dt.date(2022, 12, 27), None),
    ]
    assert log.week is None
    assert [(p.line, p.kind) for p in log.problems] == [(1, "warning")]
    assert "before course_start" in log.problems[0].message


def test_a_week_of_its_own_is_kept_outside_the_course() -> None:
    named = parse_file(
        FORMS / "ko-week-ju-title.md", config=ParserConfig(course_start=dt.date(2024, 3, 4))
    )
    assert (named.week, named.problems) == (3, ())  # the log names its week: nothing to say
