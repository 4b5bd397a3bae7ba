"""`studylog import`: canonical logs that parse to the same dates, keywords and counts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from studylog.cli import main
from studylog.model import Day, Log
from studylog.parse import ParserConfig, parse_file, parse_paths

SEEDS = (
    "week03-setext-multiday.md",
    "plain-five-days.md",
    "2022-02-09-week04-day015.md",
    "week04-retrospective.md",
)
FIXTURES = Path(__file__).parent / "fixtures" / "parse"


def facts(entry: Log | Day) -> dict:
    return {
        "title": entry.title,
        "date": entry.date,
        "week": entry.week,
        "day": entry.day,
        "keywords": entry.keywords,
        "questions": entry.questions,
        "answers": entry.answers,
        "tasks_done": entry.tasks_done,
        "tasks_open": entry.tasks_open,
    }


def body_of(path: Path) -> str:
    return parse_file(path).body


@pytest.mark.parametrize("name", SEEDS)
def test_round_trip(name: str, seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "logs"
    assert main(["import", str(seeds_dir / name), "--out", str(out), "--default-year", "2023"]) == 0
    original = parse_file(seeds_dir / name, config=ParserConfig(default_year=2023))
    # The imported files need no default year: their dates are in the front matter.
    imported = {p.name: p for p in sorted(out.glob("*.md"))}
    logs = {n: parse_file(p) for n, p in imported.items()}
    if original.days:
        day_names = [f"{d.date.isoformat()}-day{d.day:02d}.md" for d in original.days]
        for day, day_name in zip(original.days, day_names, strict=True):
            log = logs[day_name]
            assert facts(log) == facts(day)
            assert (log.kind, log.days, log.problems) == ("daily", (), ())
        # Every line of the original body is in exactly one imported file, in order:
        # the weekly summary (what precedes the first day), then the days.
        summaries = [n for n in imported if n not in day_names]
        assert all(logs[n].kind == "weekly" for n in summaries)
        ordered = summaries + day_names
        assert "".join(body_of(imported[n]) for n in ordered) == original.body
    else:
        assert len(logs) == 1
        (log,) = logs.values()
        assert facts(log) == facts(original)
        assert (log.kind, log.tags, log.categories) == (
            original.kind,
            original.tags,
            original.categories,
        )
        assert log.body == original.body
        assert [p.message for p in log.problems] == [p.message for p in original.problems]


def test_file_names(seeds_dir: Path, tmp_path: Path) -> None:
    assert main(["import", str(seeds_dir), "--out", str(tmp_path), "--default-year", "2023"]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.md")) == [
        "2021-08-09-day01.md",
        "2021-08-10-day02.md",
        "2021-08-11-day03.md",
        "2021-08-12-day04.md",
        "2021-08-13-day05.md",
        "2022-02-09-day15.md",
        "2023-11-20-day11.md",
        "2023-11-20-week03.md",
        "2023-11-21-day12.md",
        "week04-retrospective.md",
    ]
    original = parse_file(seeds_dir / "2022-02-09-week04-day015.md")
    day15 = (tmp_path / "2022-02-09-day15.md").read_text(encoding="utf-8")
    front = yaml.safe_load(day15.split("---\n")[1])
    assert list(front)[:6] == ["title", "date", "kind", "week", "day", "keywords"]
    assert (front["title"], front["date"], front["kind"]) == (
        original.title,
        original.date,
        "daily",
    )
    assert front["keywords"] == list(original.keywords)
    assert "\nkeywords: [" in day15  # lists in flow style, as people write them
    assert (front["math"], front["image"]) == (True, original.front_matter["image"])


def test_refuses_to_overwrite_unless_forced(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = seeds_dir / "plain-five-days.md"
    assert main(["import", str(source), "--out", str(tmp_path)]) == 0
    target = tmp_path / "2021-08-09-day01.md"
    target.write_text("edited by hand\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(source), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{target} exists" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "edited by hand\n"
    assert main(["import", str(source), "--out", str(tmp_path), "--force"]) == 0
    assert target.read_text(encoding="utf-8").startswith("---\ntitle: '[Day1] 2021/08/09'")


def test_source_with_errors_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert (
        main(
            [
                "import",
                str(FIXTURES / "well-formed.md"),
                str(FIXTURES / "impossible-date.md"),
                "--out",
                str(out),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "impossible-date.md:3: `date`: impossible date 2022-02-30" in err
    assert not out.exists()


def test_dry_run_writes_nothing(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert (
        main(
            [
                "import",
                str(seeds_dir / "week03-setext-multiday.md"),
                "--out",
                str(out),
                "--default-year",
                "2023",
                "--dry-run",
            ]
        )
        == 0
    )
    assert "would write" in capsys.readouterr().out
    assert not out.exists()


def test_demo_logs_round_trip(project_root: Path, tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(project_root / "logs", source)
    out = tmp_path / "out"
    # --root: a folder without mkdocs.yml, so the demo site's course_start does not apply
    assert main(["import", str(source), "--out", str(out), "--root", str(tmp_path)]) == 0
    before = parse_paths([source])
    after = {log.path.rsplit("/", 1)[-1]: log for log in parse_paths([out])}
    entries = [d for log in before for d in log.days] + [log for log in before if not log.days]
    assert len(after) >= len(entries)
    by_date_day = {(log.date, log.day): log for log in after.values() if log.kind == "daily"}
    for entry in entries:
        if isinstance(entry, Day) or entry.kind == "daily":
            assert facts(by_date_day[(entry.date, entry.day)]) == facts(entry)
    assert all(not log.problems for log in after.values())


def test_a_notebook_stays_a_notebook_with_canonical_front_matter(tmp_path: Path) -> None:
    from notebooks import code, md, raw, write

    source = write(
        tmp_path / "posts" / "mlp-homework.ipynb",
        raw("---\ndate: 2024-03-12 21:00:00 +0900\nlayout: post\nrequires: cuda\n---"),
        md("# [Week 02 / Day 07] MLP homework\n\nKeywords: MLP, Adam\n\nQ: why?\nA: because."),
        code("print('trained')"),
    )
    out = tmp_path / "logs"
    assert main(["import", str(source), "--out", str(out)]) == 0
    (written,) = out.iterdir()
    assert written.name == "2024-03-12-day07.ipynb"
    notebook = json.loads(written.read_text("utf-8"))
    assert [c["cell_type"] for c in notebook["cells"]] == ["markdown", "code"]
    assert notebook["metadata"]["studylog"] == {
        "title": "[Week 02 / Day 07] MLP homework",
        "date": "2024-03-12",
        "kind": "daily",
        "week": 2,
        "day": 7,
        "keywords": ["MLP", "Adam"],
        "questions": 1,
        "answers": 1,
        "layout": "post",
        "requires": "cuda",
    }
    assert facts(parse_file(written)) == facts(parse_file(source))
    assert parse_file(written).snippets[0].options.requires_cuda
