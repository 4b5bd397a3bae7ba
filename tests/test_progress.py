"""Long runs say how far they are: the handle of ``execute.start``, mkdocs build, studylog run."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from studylog.cli import main
from studylog.execute import LocalExecutor, collect_sessions, start
from studylog.model import Log
from studylog.parse.fences import make_snippet

SLOW = "import time\ntime.sleep({seconds})\nprint('slept')\n"


def sessions(root: Path, *seconds: float) -> list:
    snippets = tuple(
        make_snippet(
            "logs/a.md", 3 + 10 * i, SLOW.format(seconds=s), {"exec": "on", "session": f"s{i}"}
        )
        for i, s in enumerate(seconds)
    )
    found, _ = collect_sessions([Log("logs/a.md", "", 1, snippets=snippets)], project_root=root)
    return found


def test_a_running_handle_reports_progress_and_each_result(tmp_path: Path) -> None:
    seen = []
    with LocalExecutor(jobs=2) as executor:
        running = start(
            sessions(tmp_path, 0, 3),
            project_root=tmp_path,
            executor=executor,
            on_result=seen.append,
        )
        assert running.total == 2 and not running.done()
        first = running.get("logs/a.md::s0", timeout=60)
        assert first is not None and first.status == "ok"
        deadline = time.monotonic() + 30
        while not running.progress().running and time.monotonic() < deadline:
            time.sleep(0.05)
        progress = running.progress()
        assert (progress.done, progress.total) == (1, 2)
        assert progress.slowest is not None and progress.slowest[0] == "logs/a.md::s1"
        assert not running.wait(0.1)
        results = running.result(timeout=60)
    assert [r.status for r in results] == ["ok", "ok"]
    assert [r.session for r in seen] == ["s0", "s1"]
    assert running.done() and running.progress().done == 2


def test_cancel_stops_the_run(tmp_path: Path) -> None:
    with LocalExecutor(jobs=1) as executor:
        running = start(sessions(tmp_path, 60, 60), project_root=tmp_path, executor=executor)
        deadline = time.monotonic() + 60
        while not running.progress().running and time.monotonic() < deadline:
            time.sleep(0.05)
        began = time.monotonic()
        running.cancel()
        assert running.wait(10)
        assert time.monotonic() - began < 5
        with pytest.raises(Exception, match="stopped"):
            running.result()


def test_mkdocs_build_logs_progress_while_sessions_run(tmp_path: Path) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "logs" / "2024-03-04-slow.md").write_text(
        '---\ndate: 2024-03-04\n---\n\n```python exec="on"\n' + SLOW.format(seconds=7) + "```\n",
        encoding="utf-8",
    )
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - studylog\n", encoding="utf-8")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    assert "studylog: running 1 of 1 sessions" in build.stderr
    assert (
        "studylog: 0 of 1 sessions done; slowest running: logs/2024-03-04-slow.md::default ("
    ) in build.stderr


def test_studylog_run_prints_plain_lines_when_not_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "a.md").write_text(
        '```python exec="on"\nprint(1)\n```\n\n```python exec="on" session="b"\nprint(2)\n```\n',
        encoding="utf-8",
    )
    assert main(["run", "--root", str(tmp_path), "--json"]) == 0
    captured = capsys.readouterr()
    lines = [ln.split(" (")[0].split() for ln in captured.err.splitlines() if ln.startswith("[")]
    assert [count for count, _, _ in lines] == ["[1/2]", "[2/2]"]  # in the order they finish
    assert sorted((session, status) for _, session, status in lines) == [
        ("logs/a.md::b", "ok"),
        ("logs/a.md::default", "ok"),
    ]
    assert captured.out.lstrip().startswith("[")  # the JSON on stdout is untouched
