"""``studylog run`` and ``studylog cache`` on a small project, with real workers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studylog.cli import main

GOOD = """\
---
title: good
date: 2024-03-04
---

```python exec="on" session="train"
total = sum(range(5))
print("total", total)
```

```python exec="on" session="train"
total * 2
```

```python exec="on" file="snippets/hello.py"
```
"""

BAD = """\
---
title: bad
date: 2024-03-05
---

```python exec="on"
values = [1, 2]
values[5]
```

```python exec="on" session="typo" colour="red"
print("never runs")
```
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    (root / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    (root / "logs").mkdir()
    (root / "snippets").mkdir()
    (root / "logs" / "good.md").write_text(GOOD, encoding="utf-8")
    (root / "logs" / "bad.md").write_text(BAD, encoding="utf-8")
    (root / "snippets" / "hello.py").write_text("print('hello from a file')\n", encoding="utf-8")
    return root


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict], str]:
    status = main(["run", "--json", *args])
    out, err = capsys.readouterr()
    return status, json.loads(out), err


def filled(project: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The project with good.md's sessions stored, whichever tests ran before in this
    process (under pytest-xdist the module's tests may run in different processes)."""
    main(["run", "--root", str(project), str(project / "logs" / "good.md")])
    capsys.readouterr()
    return project


def test_cold_run_reports_every_session_and_fails_on_errors(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, sessions, err = run_json(capsys, "--root", str(project), "--jobs", "1")
    assert status == 1
    # Reported at the fence, and its session is not run (status refused, not ok).
    assert "logs/bad.md:11: unknown option colour='red'" in err
    by_id = {(s["log"], s["session"]): s for s in sessions}
    assert list(by_id) == [
        ("logs/bad.md", "default"),
        ("logs/bad.md", "typo"),
        ("logs/good.md", "train"),
        ("logs/good.md", "default"),
    ]
    typo = by_id["logs/bad.md", "typo"]
    assert typo["status"] == "refused" and "colour" in typo["message"]
    assert typo["blocks"][0]["stdout"] == ""
    bad = by_id["logs/bad.md", "default"]
    assert (bad["status"], bad["cached"], bad["device"]) == ("failed", False, "cpu")
    (block,) = bad["blocks"]
    assert block["line"] == 6 and block["status"] == "failed"
    assert 'File "logs/bad.md", line 8' in block["error"] and "IndexError" in block["error"]
    train = by_id["logs/good.md", "train"]
    assert train["status"] == "ok" and train["duration"] > 0
    assert [(b["line"], b["status"], b["stdout"]) for b in train["blocks"]] == [
        (6, "ok", "total 10\n"),
        (11, "ok", ""),
    ]
    assert set(train) >= {
        "log",
        "session",
        "status",
        "duration",
        "device",
        "cached",
        "frozen",
        "blocks",
    }
    assert by_id["logs/good.md", "default"]["blocks"][0]["stdout"] == "hello from a file\n"


def test_warm_run_uses_the_cache_and_prints_a_table(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled(project, capsys)
    good = str(project / "logs" / "good.md")
    assert main(["run", "--root", str(project), good]) == 0
    out = capsys.readouterr().out
    header, rule, *rows = out.splitlines()
    assert header.split() == ["log", "session", "status", "time", "device", "cached"]
    assert set(rule.replace(" ", "")) == {"-"}
    assert rows[0].split()[:3] == ["logs/good.md", "train", "ok"]
    assert rows[0].split()[-1] == "cached" and rows[1].split()[-1] == "cached"
    assert "2 sessions: 0 run, 2 cached, 0 frozen, 0 failed" in out


def test_failures_are_explained_under_the_table(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled(project, capsys)
    assert main(["run", "--root", str(project), "--frozen", str(project / "logs")]) == 1
    out = capsys.readouterr().out
    # Stored by an earlier run of this module (a failure is kept like a success), or not.
    assert "logs/bad.md::default: failed" in out or "logs/bad.md::default: unavailable" in out
    assert "logs/bad.md::typo: refused" in out and "unknown option colour='red'" in out
    assert "frozen" in out


def test_a_stored_failure_is_shown_until_asked_to_run_again(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = str(project / "logs" / "bad.md")
    main(["run", "--root", str(project), bad])  # stores its failure (if not stored yet)
    capsys.readouterr()
    assert main(["run", "--root", str(project), bad]) == 1
    out = capsys.readouterr().out
    assert "2 sessions: 0 run, 1 cached, 0 frozen, 2 failed, 1 of them from the cache" in out
    assert "an earlier run's result, kept until its code changes" in out
    assert "IndexError" in out  # its traceback, as when it ran
    status, sessions, _ = run_json(capsys, "--root", str(project), "--rerun-failed", bad)
    assert status == 1
    ran = {s["session"]: (s["status"], s["cached"]) for s in sessions}
    assert ran == {"default": ("failed", False), "typo": ("refused", False)}


def test_frozen_uses_stored_outputs_only(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    filled(project, capsys)
    status, sessions, _ = run_json(
        capsys, "--root", str(project), "--frozen", str(project / "logs" / "good.md")
    )
    assert status == 0
    assert all(s["frozen"] and s["cached"] for s in sessions)


def test_cache_info_and_clear(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    filled(project, capsys)
    assert main(["cache", "info", "--root", str(project), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    # good.md's two sessions, and bad.md's failure when an earlier test stored it.
    good = [s for s in info["sessions"] if s["log"] == "logs/good.md"]
    assert len(good) == 2 and info["entries"] in (2, 3)
    entries = info["entries"]
    assert main(["cache", "info", "--root", str(project)]) == 0
    assert f"{entries} entries" in capsys.readouterr().out
    # What a site build keeps there too: the memo of parsed logs, the drawn charts.
    cache_dir = project / ".studylog-cache"
    (cache_dir / "build").mkdir()
    (cache_dir / "build" / "memo.json").write_bytes(b"{}")
    (cache_dir / "build" / "charts").mkdir()
    (cache_dir / "build" / "charts" / "qa.svg").write_text("<svg/>", encoding="utf-8")
    assert main(["cache", "clear", "--root", str(project)]) == 0
    assert f"removed {entries} entries" in capsys.readouterr().out
    assert not (cache_dir / "build" / "memo.json").exists()
    assert not (cache_dir / "build").exists()
    status, sessions, _ = run_json(
        capsys, "--root", str(project), "--frozen", str(project / "logs" / "good.md")
    )
    assert status == 1 and {s["status"] for s in sessions} == {"unavailable"}


@pytest.mark.parametrize("args", [["--jobs", "0"], ["--jobs", "two"]])
def test_bad_arguments(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["run", *args])
    assert exit_info.value.code == 2
    assert "--jobs" in capsys.readouterr().err


def test_missing_path(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--root", str(project), str(project / "nope.md")]) == 2
    assert "nope.md: no such file or folder" in capsys.readouterr().err
