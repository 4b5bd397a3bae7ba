"""Long runs say how far they are: the handle of ``execute.start``, mkdocs build, studylog run."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from studylog.cli import main
from studylog.execute import LocalExecutor, collect_sessions, run, start
from studylog.model import Log
from studylog.parse.fences import make_snippet
from studylog.settings import SandboxSettings

if TYPE_CHECKING:
    from conftest import MkdocsBuild

SLOW = "import time\ntime.sleep({seconds})\nprint('slept')\n"


def sessions(root: Path, *seconds: float, started: Path | None = None) -> list:
    """One session per number, sleeping that long; each touches ``started`` first."""
    touch = "" if started is None else f"open({str(started)!r}, 'w').close()\n"
    snippets = tuple(
        make_snippet(
            "logs/a.md",
            3 + 10 * i,
            touch + SLOW.format(seconds=s),
            {"exec": "on", "session": f"s{i}"},
        )
        for i, s in enumerate(seconds)
    )
    found, _ = collect_sessions([Log("logs/a.md", "", 1, snippets=snippets)], project_root=root)
    return found


@pytest.mark.slow  # two workers, and a session that runs 3 s
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
    started = tmp_path / "started"
    seen = []
    # The session says it started with a file outside its own folder: no sandbox for that.
    with LocalExecutor(jobs=1, sandbox=SandboxSettings(mode="off")) as executor:
        running = start(
            sessions(tmp_path, 60, 60, started=started),
            project_root=tmp_path,
            executor=executor,
            on_result=seen.append,
        )
        deadline = time.monotonic() + 120
        while not started.exists():  # the first session's code runs on the worker
            assert time.monotonic() < deadline, "the session never started"
            time.sleep(0.05)
        running.cancel()
        assert running.wait(30)  # each session sleeps 60 s: neither ran to its end
        with pytest.raises(Exception, match="stopped"):
            running.result()
        assert seen == []  # the stopped session and the queued one gave no result
        # The worker stopped its session when asked (one that does not answer is killed
        # and replaced): the next session runs on the same worker.
        (after,) = run(sessions(tmp_path, 0), project_root=tmp_path, executor=executor)
        assert after.status == "ok"
        assert executor.workers_started == 1


@pytest.mark.slow  # the session runs past the first progress line, 5 s in
def test_mkdocs_build_logs_progress_while_sessions_run(
    tmp_path: Path, mkdocs_build: MkdocsBuild
) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "logs" / "2024-03-04-slow.md").write_text(
        '---\ndate: 2024-03-04\n---\n\n```python exec="on"\n' + SLOW.format(seconds=7) + "```\n",
        encoding="utf-8",
    )
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - studylog\n", encoding="utf-8")
    build = mkdocs_build(tmp_path)
    assert "studylog: running 1 of 1 sessions" in build.stderr
    assert (
        "studylog: 0 of 1 sessions done; slowest running: logs/2024-03-04-slow.md::default ("
    ) in build.stderr


@pytest.mark.slow  # studylog run starts workers
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
