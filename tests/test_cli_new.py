"""``studylog new``: a log from the template, with its front matter filled and never overwritten."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from studylog.cli import main
from studylog.cli.new import week_of
from studylog.parse import parse_file


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_writes_the_log_with_date_week_and_kind(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["new", "--date", "2022-02-09", "--course-start", "2022-01-17"])
    out = capsys.readouterr().out.strip()
    assert status == 0
    assert out == "logs/2022/week04/2022-02-09-til.md"
    meta = front_matter(in_tmp / out)
    assert meta["date"] == dt.date(2022, 2, 9)
    assert meta["kind"] == "daily"
    assert meta["week"] == 4
    assert meta["keywords"] == []
    assert meta["questions"] is None and meta["answers"] is None
    assert "week04" in meta["tags"]


def test_the_parser_reads_the_new_log_cleanly(in_tmp: Path) -> None:
    assert main(["new", "--date", "2024-03-13", "--course-start", "2024-03-04"]) == 0
    log = parse_file(in_tmp / "logs/2024/week02/2024-03-13-til.md", root=in_tmp)
    assert log.date == dt.date(2024, 3, 13)
    assert log.week == 2
    assert log.kind == "daily"
    assert log.errors == ()
    assert log.snippets == ()  # the example snippet is commented out
    assert log.keywords == ()
    assert log.questions is None


def test_refuses_to_overwrite(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--date", "2024-03-04"]) == 0
    path = in_tmp / "logs/2024/2024-03-04-til.md"
    path.write_text("my notes\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["new", "--date", "2024-03-04"]) == 1
    err = capsys.readouterr().err
    assert "logs/2024/2024-03-04-til.md already exists" in err
    assert "--slug" in err
    assert path.read_text(encoding="utf-8") == "my notes\n"
    # A second log that day gets its own name.
    assert main(["new", "--date", "2024-03-04", "--slug", "cnn"]) == 0
    assert (in_tmp / "logs/2024/2024-03-04-cnn.md").is_file()


def test_defaults_to_today_without_a_week(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = dt.date.today()
    assert main(["new", "--logs-dir", "journal"]) == 0
    out = Path(capsys.readouterr().out.strip())
    assert out.parts[0] == "journal"
    meta = front_matter(in_tmp / out)
    assert before <= meta["date"] <= dt.date.today()
    assert "week" not in meta
    assert meta["tags"] == ["daily-log"]


def test_reads_course_start_and_logs_dir_from_mkdocs_yml(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "mkdocs.yml").write_text(
        "site_name: t\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n"
        "  - search\n"
        "  - studylog:\n"
        "      logs_dir: notes\n"
        "      course_start: 2023-11-06\n",
        encoding="utf-8",
    )
    assert main(["new", "--date", "2023-11-20"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == "notes/2023/week03/2023-11-20-til.md"
    assert front_matter(in_tmp / out)["week"] == 3


def test_title_with_quotes_survives_yaml(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    title = 'CNN "basics" \\ pooling'
    assert main(["new", "--date", "2024-01-02", "--title", title]) == 0
    path = in_tmp / capsys.readouterr().out.strip()
    assert front_matter(path)["title"] == title
    assert f"# {title}\n" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("start", "day", "week"),
    [
        ("2024-03-04", "2024-03-04", 1),
        ("2024-03-04", "2024-03-10", 1),
        ("2024-03-04", "2024-03-11", 2),
        ("2022-01-17", "2022-02-09", 4),
    ],
)
def test_week_of(start: str, day: str, week: int) -> None:
    assert week_of(dt.date.fromisoformat(day), dt.date.fromisoformat(start)) == week


def test_date_before_course_start_is_refused(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "--date", "2024-03-01", "--course-start", "2024-03-04"]) == 2
    assert "before the course start" in capsys.readouterr().err
    assert not (in_tmp / "logs").exists()


@pytest.mark.parametrize("argv", [["--date", "2024-02-30"], ["--course-start", "March 4"]])
def test_bad_dates_get_a_usage_message(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["new", *argv])
    assert exc.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_bad_slug_is_refused(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--date", "2024-03-04", "--slug", "../escape"]) == 2
    assert "--slug" in capsys.readouterr().err
    assert not (in_tmp / "logs").exists()


def test_the_template_sections_are_the_ones_the_parser_reads(in_tmp: Path) -> None:
    assert main(["new", "--date", "2024-03-05", "--course-start", "2024-03-04"]) == 0
    path = in_tmp / "logs/2024/week01/2024-03-05-til.md"
    text = path.read_text(encoding="utf-8")
    # A learner fills the sections in under their headings.
    text = text.replace("## 키워드\n", "## 키워드\n\n- MLP\n- ReLU\n")
    text = text.replace("## 질문과 답변\n", "## 질문과 답변\n\nQ: why ReLU?\nA: gradients.\n")
    text = text.replace("## 할 일\n", "## 할 일\n\n- [x] review\n- [ ] homework\n")
    path.write_text(text, encoding="utf-8")
    log = parse_file(path, root=in_tmp)
    assert log.keywords == ("MLP", "ReLU")
    assert (log.questions, log.answers) == (1, 1)
    assert (log.tasks_done, log.tasks_open) == (1, 1)
    assert log.problems == ()


def test_warns_when_the_course_week_is_implausible(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The demo's course_start with today's date gives week 143: written, with a warning.
    assert main(["new", "--date", "2026-11-27", "--course-start", "2024-03-04"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "logs/2026/week143/2026-11-27-til.md"
    assert "week 143" in captured.err and "course_start" in captured.err
    assert main(["new", "--date", "2024-03-13", "--course-start", "2024-03-04"]) == 0
    assert capsys.readouterr().err == ""  # a plausible week: no warning
