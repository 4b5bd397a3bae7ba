"""Every field of ../shared/seeds/expected.json, read from the four real seed logs."""

from __future__ import annotations

from pathlib import Path

import pytest

from studylog.parse import ParserConfig, log_to_dict, parse_file

SEED_NAMES = (
    "week03-setext-multiday.md",
    "plain-five-days.md",
    "2022-02-09-week04-day015.md",
    "week04-retrospective.md",
)


@pytest.fixture(scope="module")
def parsed(seeds_dir: Path) -> dict[str, dict]:
    config = ParserConfig(default_year=2023)
    return {
        name: log_to_dict(parse_file(seeds_dir / name, root=seeds_dir, config=config))
        for name in SEED_NAMES
    }


def test_expected_lists_the_four_seeds(seeds_expected: dict[str, dict]) -> None:
    assert sorted(seeds_expected) == sorted(SEED_NAMES)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_expected_field(
    name: str, parsed: dict[str, dict], seeds_expected: dict[str, dict]
) -> None:
    expected = seeds_expected[name]
    got = parsed[name]
    for key, value in expected.items():
        if key == "problems":
            continue
        if key == "days":
            assert len(got["days"]) == len(value), name
            for want, have in zip(value, got["days"], strict=True):
                for day_key, day_value in want.items():
                    assert have[day_key] == day_value, (name, want["title"], day_key)
            continue
        assert got[key] == value, (name, key)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_expected_problems(
    name: str, parsed: dict[str, dict], seeds_expected: dict[str, dict]
) -> None:
    wanted = seeds_expected[name]["problems"]
    problems = parsed[name]["problems"]
    assert len(problems) == len(wanted), problems
    for fragment, problem in zip(wanted, problems, strict=True):
        assert fragment.lower() in problem["message"].lower()
        assert problem["path"] == name
        assert problem["line"] >= 1
        assert problem["hint"]


def test_days_carry_lines_and_unique_anchors(seeds_dir: Path) -> None:
    log = parse_file(seeds_dir / "plain-five-days.md", config=ParserConfig(default_year=2023))
    text_lines = (seeds_dir / "plain-five-days.md").read_text(encoding="utf-8").splitlines()
    for day in log.days:
        assert text_lines[day.line - 1].strip() == day.title
    assert [d.anchor for d in log.days] == [f"day-{n}" for n in range(1, 6)]


def test_setext_days_start_on_their_heading_line(seeds_dir: Path) -> None:
    log = parse_file(
        seeds_dir / "week03-setext-multiday.md", config=ParserConfig(default_year=2023)
    )
    text_lines = (seeds_dir / "week03-setext-multiday.md").read_text(encoding="utf-8").splitlines()
    assert [text_lines[d.line - 1] for d in log.days] == ["Day 11 (11/20)", "Day 12 (11/21)"]
    assert log.body_line == 1
    assert log.problems == ()


def test_without_default_year_yearless_days_are_reported(seeds_dir: Path) -> None:
    log = parse_file(seeds_dir / "week03-setext-multiday.md")
    assert log.date is None
    assert [p.line for p in log.problems] == [d.line for d in log.days]
    assert all("year" in p.message and p.kind == "warning" for p in log.problems)


def test_jekyll_front_matter_is_kept_and_body_starts_after_it(seeds_dir: Path) -> None:
    log = parse_file(seeds_dir / "2022-02-09-week04-day015.md")
    assert log.front_matter["math"] is True
    assert set(log.front_matter["image"]) == {"path"}  # nested Chirpy keys kept as written
    assert log.front_matter["date"] == "2022-02-09 22:40:00 +0900"  # a string to PyYAML
    assert log.body_line == 10
    assert log.body.startswith("## **")
