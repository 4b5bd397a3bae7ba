"""ProperDocs, the drop-in fork of mkdocs 1.6, loads the plugin and honours --strict."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("properdocs")

pytestmark = pytest.mark.slow  # the site of test_mkdocs_plugin_strict, built again by the fork

FIXTURE = Path(__file__).parent / "fixtures" / "site" / "failing"
BROKEN = "logs/2024-03-05-broken.md"


def properdocs_build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "-f", "mkdocs.yml", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_properdocs_builds_the_site_and_strict_fails_on_a_failing_snippet(tmp_path: Path) -> None:
    project = tmp_path / "failing"
    shutil.copytree(FIXTURE, project)

    strict = properdocs_build(project, "--strict")
    assert strict.returncode != 0
    assert f"{BROKEN}:9: snippet raised an error: ValueError" in strict.stderr

    plain = properdocs_build(project)
    assert plain.returncode == 0, plain.stderr
    site = project / "site"
    ok = (site / "logs/2024-03-04-ok/index.html").read_text("utf-8")
    assert "<code>fine</code>" in ok
    report = (site / "report/index.html").read_text("utf-8")
    assert "studylog-status-failed" in report and "studylog-status-ok" in report
    assert (site / "keywords/index.html").is_file()
