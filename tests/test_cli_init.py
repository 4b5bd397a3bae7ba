"""``studylog init``: a new site that builds as it is, and never a file overwritten."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from studylog.cli import main, source

if TYPE_CHECKING:
    from conftest import MkdocsBuild


@pytest.mark.slow  # the new site built, its example snippet run
def test_init_in_an_empty_folder_makes_a_site_that_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mkdocs_build: MkdocsBuild
) -> None:
    # With a course start (test_init_venv builds one without): the example log is its
    # first day, in week 1, so --strict has nothing to say about it.
    site = tmp_path / "my-log"
    args = ["init", str(site), "--name", "내 학습 기록: 딥러닝", "--course-start", "2023-09-04"]
    assert main(args) == 0
    assert "mkdocs serve" in capsys.readouterr().out
    assert "course_start: 2023-09-04" in (site / "mkdocs.yml").read_text("utf-8")
    for path in (
        "mkdocs.yml",
        "docs/index.md",
        "snippets/first_steps.py",
        "README.md",
        ".github/workflows/ci.yml",
        ".github/workflows/pages.yml",
        "pytest.ini",
    ):
        assert (site / path).is_file(), path
    (log,) = (site / "logs").rglob("*.md")
    assert log.relative_to(site).as_posix() == "logs/2023/week01/2023-09-04-first-log.md"
    assert "week: 1" in log.read_text("utf-8")
    readme = (site / "README.md").read_text("utf-8")
    assert "pip install -r requirements.txt && mkdocs serve" in readme
    assert "python -m pytest" in readme
    for workflow in ("ci.yml", "pages.yml"):
        text = (site / ".github/workflows" / workflow).read_text("utf-8")
        assert "mkdocs build --strict" in text and 'NO_MKDOCS_2_WARNING: "1"' in text

    # The README's serve command, as a build: the example snippet runs, the pages are there.
    done = mkdocs_build(site, "--strict")
    assert "end of life" not in done.stderr
    assert "내 학습 기록: 딥러닝" in (site / "site" / "index.html").read_text("utf-8")
    page = site / "site" / "logs" / "2023" / log.parent.name / log.stem / "index.html"
    html = page.read_text("utf-8")
    assert "column sums: [3.0, 5.0, 7.0]" in html
    assert re.search(r"studylog-keyword[^>]*>Tensor<", html)
    assert (site / "site" / "weeks").is_dir()
    assert (site / "site" / "report" / "index.html").is_file()


def test_init_refuses_to_overwrite_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "mkdocs.yml" in err and "not overwriting" in err
    assert (tmp_path / "mkdocs.yml").read_text("utf-8") == "site_name: mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mkdocs.yml"]


def test_the_new_site_workflows_pass_actionlint(tmp_path: Path) -> None:
    binary = shutil.which("actionlint")
    if binary is None:
        pytest.skip("actionlint is not installed (pip install -e '.[test]' provides it)")
    assert main(["init", str(tmp_path)]) == 0
    for workflow in ("ci.yml", "pages.yml"):
        proc = subprocess.run(
            [binary, str(tmp_path / ".github" / "workflows" / workflow)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("info", "version", "line", "local"),
    [
        (None, "0.3.1", "studylog==0.3.1", False),  # from an index
        (
            {
                "url": "https://github.com/someone/studylog.git",
                "vcs_info": {"vcs": "git", "commit_id": "1a2b3c", "requested_revision": "main"},
            },
            "0.1.0",
            "studylog @ git+https://github.com/someone/studylog.git@1a2b3c",
            False,
        ),
        (
            {"url": "file:///home/me/src/studylog", "dir_info": {"editable": True}},
            "0.1.0",
            "-e /home/me/src/studylog",
            True,
        ),
        (
            {"url": "file:///home/me/src/studylog", "dir_info": {}},
            "0.1.0",
            "studylog @ file:///home/me/src/studylog",
            True,
        ),
        (
            {"url": "https://example.org/studylog-0.1.0.tar.gz", "archive_info": {}},
            "0.1.0",
            "studylog @ https://example.org/studylog-0.1.0.tar.gz",
            False,
        ),
    ],
)
def test_requirements_name_where_studylog_was_installed_from(
    info: dict[str, object] | None, version: str, line: str, local: bool
) -> None:
    found = source.requirement(info, version)
    assert (found.line, found.local) == (line, local)
    text = found.text()
    assert text.endswith(line + "\n")
    assert ("GitHub's runners" in text) == local  # a folder: the file says what to change


def test_the_installed_studylog_is_found() -> None:
    info, version = source.installed()
    assert version  # this test suite runs an installed studylog
    assert source.requirement(info, version).line != "studylog"


def test_one_cache_policy_in_gitignore_readme_and_workflows(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    ignore = (tmp_path / ".gitignore").read_text("utf-8").splitlines()
    assert "/.studylog-cache/" in ignore
    readme = (tmp_path / "README.md").read_text("utf-8")
    assert "delete its line from `.gitignore`, run `studylog cache prune`" in readme
    for workflow in ("ci.yml", "pages.yml"):
        text = (tmp_path / ".github" / "workflows" / workflow).read_text("utf-8")
        assert "path: .studylog-cache" in text and "run: studylog cache prune" in text
    guide = (Path(__file__).resolve().parents[1] / "docs" / "publishing.md").read_text("utf-8")
    assert "studylog cache prune" in guide and "`.gitignore`" in guide
