"""``studylog init``: a new site that builds as it is, and never a file overwritten."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from studylog.cli import main

if TYPE_CHECKING:
    from conftest import MkdocsBuild


@pytest.mark.slow  # the new site built, its example snippet run
def test_init_in_an_empty_folder_makes_a_site_that_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mkdocs_build: MkdocsBuild
) -> None:
    site = tmp_path / "my-log"
    assert main(["init", str(site), "--name", "내 학습 기록: 딥러닝"]) == 0
    assert "mkdocs serve" in capsys.readouterr().out
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
    page = site / "site" / "logs" / log.parent.name / log.stem / "index.html"
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
