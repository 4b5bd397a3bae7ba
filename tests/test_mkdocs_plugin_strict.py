"""A failing snippet: ``mkdocs build --strict`` fails naming path:line; a plain build still
writes every page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "site" / "failing"
BROKEN = "logs/2024-03-05-broken.md"


@pytest.mark.slow  # two builds that run sessions
def test_strict_fails_on_a_failing_snippet_and_plain_build_writes_every_page(
    tmp_path, mkdocs_build
):
    project = tmp_path / "failing"
    shutil.copytree(FIXTURE, project)

    strict = mkdocs_build(project, "--strict", ok=False)
    expected = f"WARNING -  {BROKEN}:9: snippet raised an error: ValueError: bad values [1, 2, 3]"
    assert expected in strict.stderr
    assert "Aborted with 1 warnings in strict mode" in strict.stdout + strict.stderr

    plain = mkdocs_build(project)
    assert f"{BROKEN}:9: snippet raised an error" in plain.stderr  # still reported
    site = project / "site"
    for uri in (
        "index.html",
        "logs/2024-03-04-ok/index.html",
        "logs/2024-03-05-broken/index.html",
        "report/index.html",
        "keywords/index.html",
        "qa/index.html",
    ):
        assert (site / uri).is_file(), uri
    broken = (site / "logs/2024-03-05-broken/index.html").read_text("utf-8")
    assert '<div class="admonition failure"><p class="admonition-title">' in broken
    # the traceback names the log's own line of the raise
    assert f"File &quot;{BROKEN}&quot;, line 9, in &lt;module&gt;" in broken
    assert "Text after the failing block." in broken
    ok = (site / "logs/2024-03-04-ok/index.html").read_text("utf-8")
    assert "<code>fine</code>" in ok
    report = (site / "report/index.html").read_text("utf-8")
    assert "studylog-status-failed" in report and "studylog-status-ok" in report
