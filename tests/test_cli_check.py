"""`studylog check`: the table, problems as path:line, --json, exit status."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from studylog.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "parse"


def test_demo_logs_are_clean(
    project_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project_root)
    assert main(["check", "logs/"]) == 0
    out = capsys.readouterr().out
    assert "0 errors, 0 warnings" in out
    assert "2024/week01/2024-03-04-day01.md" in out
    assert "  Day 4 (3/7)" in out  # day rows of multi-day files


def test_default_path_is_the_logs_folder(
    project_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project_root)
    assert main(["check", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) >= 6
    assert all(not key.startswith("logs/") for key in data)


@pytest.fixture
def broken_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no mkdocs.yml here
    folder = tmp_path / "logs" / "week01"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "well-formed.md", folder / "2024-03-13-good.md")
    shutil.copy(FIXTURES / "impossible-date.md", folder / "bad-date.md")
    return tmp_path / "logs"


def test_broken_log_exits_1_and_names_path_and_line(
    broken_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "logs"]) == 1
    out = capsys.readouterr().out
    assert "logs/week01/bad-date.md:3: `date`: impossible date 2022-02-30 (" in out
    assert "1 errors, 0 warnings" in out


def test_json_is_keyed_by_path_inside_the_folder(
    broken_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "logs", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert sorted(data) == ["week01/2024-03-13-good.md", "week01/bad-date.md"]
    bad = data["week01/bad-date.md"]
    assert bad["problems"] == [
        {
            "path": "logs/week01/bad-date.md",
            "line": 3,
            "kind": "error",
            "message": "`date`: impossible date 2022-02-30",
            "hint": "write the date as YYYY-MM-DD, e.g. date: 2024-03-04",
        }
    ]
    good = data["week01/2024-03-13-good.md"]
    assert (good["date"], good["snippets"], good["questions"]) == ("2024-03-13", 1, 1)


def test_json_matches_expected_for_the_seeds(
    seeds_dir: Path,
    seeds_expected: dict[str, dict],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(seeds_dir), "--json", "--default-year", "2023"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert sorted(data) == sorted(seeds_expected)
    for name, expected in seeds_expected.items():
        assert set(expected) <= set(data[name])
        for key in (
            "kind",
            "title",
            "date",
            "week",
            "keywords",
            "tags",
            "questions",
            "answers",
            "tasks_done",
            "tasks_open",
            "snippets",
        ):
            assert data[name][key] == expected[key], (name, key)
        assert [d["date"] for d in data[name]["days"]] == [d["date"] for d in expected["days"]]
        problem_keys = {"path", "line", "message", "hint"}
        assert all(problem_keys <= set(p) for p in data[name]["problems"])


def test_warnings_pass_unless_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.md").write_text("Keywords: MLP\n", encoding="utf-8")  # no date
    assert main(["check", "notes.md"]) == 0
    out = capsys.readouterr().out
    assert "notes.md:1: the log has no date (" in out and "[warning]" in out
    assert main(["check", "notes.md", "--strict"]) == 1


def test_missing_path_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "nowhere"]) == 2
    assert "nowhere: no such file or folder" in capsys.readouterr().err


def test_options_come_from_mkdocs_yml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - studylog:\n      logs_dir: notes\n"
        "      default_year: 2023\n      keyword_line_labels: [Topics]\n"
        "      keyword_aliases: {Multi-Layer Perceptron: MLP}\n",
        encoding="utf-8",
    )
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "w.md").write_text(
        "Day 1 (3/4)\n---\nTopics: Multi-Layer Perceptron\n\nDay 2 (3/5)\n---\nTopics: MLP, CNN\n",
        encoding="utf-8",
    )
    assert main(["check", "--json"]) == 0
    log = json.loads(capsys.readouterr().out)["w.md"]
    assert log["date"] == "2023-03-04"
    assert log["keywords"] == ["MLP", "CNN"]


def test_the_course_calendar_applies_to_the_sites_own_logs_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - studylog:\n      course_start: 2024-03-04\n", encoding="utf-8"
    )
    text = "---\ndate: 2024-03-13\n---\n\n# A day\n\nnotes\n"
    for folder in ("logs", "elsewhere"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.md").write_text(text, encoding="utf-8")
    assert main(["check", "--json", "logs"]) == 0
    assert json.loads(capsys.readouterr().out)["a.md"]["week"] == 2
    assert main(["check", "--json", "elsewhere"]) == 0
    assert json.loads(capsys.readouterr().out)["a.md"]["week"] is None
    assert main(["check", "--json", "elsewhere", "--course-start", "2024-03-11"]) == 0
    assert json.loads(capsys.readouterr().out)["a.md"]["week"] == 1


def test_console_script_runs(project_root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "studylog", "check", "logs", "--json"],
        cwd=project_root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)


def test_a_closed_pipe_ends_quietly(project_root: Path, tmp_path: Path) -> None:
    """`studylog check --json | head`: the reader leaves early; no traceback."""
    source = (project_root / "logs/2024/week02/days06-07.md").read_text("utf-8")
    for n in range(150):  # more JSON than a pipe holds, so the writer meets the closed end
        (tmp_path / f"days-{n:03d}.md").write_text(source, "utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "studylog", "check", "--json", str(tmp_path)],
        cwd=project_root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(1)  # like `head -c 1`, then the reader is gone
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_a_notebooks_problems_name_its_cells(
    broken_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from notebooks import code, md, raw, write

    write(
        broken_folder / "week01" / "2024-03-14-assignment.ipynb",
        raw("---\ntitle: Assignment\nquestions: three\n---"),
        md("# Assignment\n\nQ: why?"),
        code("!pip install torch\nprint(1)"),
    )
    assert main(["check", "logs", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)["week01/2024-03-14-assignment.ipynb"]
    assert (data["title"], data["date"], data["snippets"]) == ("Assignment", "2024-03-14", 1)
    assert [(p.get("cell"), p["line"], p["kind"]) for p in data["problems"]] == [
        (1, 3, "error"),
        (3, 1, "warning"),
    ]
    assert main(["check", "logs"]) == 1
    out = capsys.readouterr().out
    assert (
        "logs/week01/2024-03-14-assignment.ipynb, cell 1, line 3: `questions` must be a "
        "whole number"
    ) in out
    assert "logs/week01/2024-03-14-assignment.ipynb, cell 3, line 1: `!pip install torch`" in out
