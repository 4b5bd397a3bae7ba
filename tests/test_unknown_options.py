"""A misspelled option is said, with its file, line and the option it most likely means,
by every command that reads it: ``studylog`` commands, ``mkdocs build`` and pytest (for
``mkdocs.yml``), and wherever a fence is read (for a fence option)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import MkdocsBuild

from studylog.cli import main
from studylog.mkdocs_plugin.config import unknown_options
from studylog.parse.fences import read_options
from studylog.suggest import close_to

CONFIG = """\
site_name: t
plugins:
  - search
  - studylog:
      logs_dir: logs
      timout: 30
      keyword_alias:
        Backprop: Backpropagation
      course_star: 2024-03-04
"""


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("timout", "timeout"),
        ("keyword_alias", "keyword_aliases"),
        ("course_star", "course_start"),
        ("execute_notebook", "execute_notebooks"),
        ("colour", None),
    ],
)
def test_the_closest_option_is_suggested(typed: str, meant: str | None) -> None:
    from studylog.mkdocs_plugin.config import OPTIONS

    assert close_to(typed, OPTIONS) == meant


def test_unknown_options_name_their_line(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG, "utf-8")
    options = {"logs_dir": "logs", "timout": 30, "keyword_alias": {}, "course_star": "x"}
    said = unknown_options(options, str(config))
    assert [s.split(": unknown", 1)[0].rsplit(":", 1)[1] for s in said] == ["6", "7", "9"]
    assert said[0].endswith(
        "unknown option 'timout' of the studylog plugin; it is ignored (did you mean 'timeout'?)"
    )


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["stats"],
        ["cache", "info"],
        ["new", "--date", "2024-03-05"],
        ["run", "logs/none.md"],
    ],
)
def test_every_command_says_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, "utf-8")
    (tmp_path / "logs").mkdir()
    monkeypatch.chdir(tmp_path)
    main(command)
    err = capsys.readouterr().err
    assert "mkdocs.yml:6: unknown option 'timout'" in err and "did you mean 'timeout'?" in err
    assert "mkdocs.yml:9: unknown option 'course_star'" in err
    assert err.count("'timout'") == 1
    if command[0] == "new":  # the misspelled course_start leaves the log without a week
        assert "the log has no week" in err


def test_a_fence_option_gets_a_suggestion() -> None:
    _options, (problem,) = read_options({"exec": "on", "sesion": "mlp"}, "logs/a.md", 7)
    assert str(problem).startswith("logs/a.md:7: unknown option sesion='mlp'")
    assert "did you mean 'session'?" in str(problem)


def test_mkdocs_build_and_pytest_say_it_once_with_its_line(
    tmp_path: Path, mkdocs_build: MkdocsBuild
) -> None:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, "utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# t\n", "utf-8")
    (tmp_path / "logs").mkdir()
    (tmp_path / "pytest.ini").write_text("[pytest]\nstudylog_logs = logs\n", "utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = mkdocs_build(tmp_path, "--strict", ok=False, timeout=300)
    assert build.returncode == 1  # --strict: a misspelled option does not pass
    said = (
        "mkdocs.yml:6: unknown option 'timout' of the studylog plugin; it is ignored "
        "(did you mean 'timeout'?)"
    )
    assert build.stderr.count(said) == 1, build.stderr
    assert "mkdocs.yml:9: unknown option 'course_star'" in build.stderr
    assert "Unrecognised configuration name" not in build.stderr
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert f"studylog: warning: {said}" in tests.stdout
