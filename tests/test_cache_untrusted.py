"""A cache entry is untrusted input: checked on load, sanitized when shown, never fatal.

The cache folder is meant to be committed, so an entry is a file anyone can
change in a pull request. A build must neither publish the markup such an entry
holds as is, nor crash on one that is malformed, nor crash when the folder cannot
be written.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from studylog.execute import BlockResult, Cache, Session, SessionResult, collect_sessions
from studylog.parse import parse_paths

if TYPE_CHECKING:
    from conftest import MkdocsBuild

SCRIPT_HTML = (
    "<script>alert('html')</script><table><tr>"
    '<td onclick="alert(\'td\')">1</td><td><a href="javascript:alert(1)">x</a>'
    "</td></tr></table>"
)
SCRIPT_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="10" height="10" onload="alert(\'svg\')"><script>alert(\'svg\')</script>'
    '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>'
    '<a xlink:href="javascript:alert(1)"><rect width="5" height="5"/></a>'
    '<use xlink:href="https://evil.example/x.svg#a"/>'
    '<path d="M0 0 L5 5" style="fill: #fff; background: url(https://evil.example/)"/>'
    '<circle cx="5" cy="5" r="2" fill="red" onmouseover="alert(2)"/></svg>'
)


def project(
    root: Path, logs: dict[str, str], *, cache_dir: str = ".studylog-cache", execute: bool = True
) -> None:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "logs").mkdir(exist_ok=True)
    for name, code in logs.items():
        (root / "logs" / name).write_text(
            f'# {name}\n\n```python exec="on"\n{code}\n```\n', encoding="utf-8"
        )
    (root / "mkdocs.yml").write_text(
        "site_name: Untrusted\nplugins:\n  - studylog:\n"
        f"      cache_dir: {cache_dir}\n      execute: {str(execute).lower()}\n"
        "      jobs: 1\n",
        encoding="utf-8",
    )


def sessions_of(root: Path) -> list[Session]:
    logs = parse_paths([root / "logs"], root=root)
    return collect_sessions(logs, project_root=root)[0]


def store(root: Path, session: Session, **block: object) -> Path:
    """Write an entry for ``session`` as studylog would, with the given block fields."""
    cache = Cache(root / ".studylog-cache")
    key = cache.key(session, root)
    fields = {"line": session.blocks[0].line, "status": "ok", **block}
    result = SessionResult(
        log=session.log,
        session=session.name,
        status="ok",
        duration=0.1,
        device="cpu",
        blocks=(BlockResult(**fields),),
    )  # type: ignore[arg-type]
    cache.put(key, result)
    return cache.path(key)


def test_markup_in_a_cached_entry_is_sanitized_in_the_built_site(
    tmp_path: Path, mkdocs_build: MkdocsBuild
) -> None:
    project(tmp_path, {"a.md": "print('hi')"})
    (session,) = sessions_of(tmp_path)
    store(tmp_path, session, stdout="hi\n", html=SCRIPT_HTML, value="x", figures=(SCRIPT_SVG,))
    mkdocs_build(tmp_path, "-q")
    page = (tmp_path / "site" / "logs" / "a" / "index.html").read_text(encoding="utf-8")
    assert "<td>1</td>" in page  # the table is still there
    assert "alert(" not in page
    (figure,) = (tmp_path / "site" / "assets" / "studylog").glob("*.svg")
    svg = figure.read_text(encoding="utf-8")
    assert "<circle" in svg and "<path" in svg  # the drawing is still there
    for bad in ("script", "foreignObject", "onload", "onmouseover", "javascript:", "evil"):
        assert bad not in svg, bad


BAD_ENTRIES = {
    "stdout-number": lambda r: r["blocks"][0].update(stdout=5),
    "duration-text": lambda r: r.update(duration="x"),
    "figure-number": lambda r: r["blocks"][0].update(figures=[5]),
    "no-blocks": lambda r: r.update(blocks=[]),
    "weird-status": lambda r: r.update(status="weird"),
    "weird-block-status": lambda r: r["blocks"][0].update(status="weird"),
    "result-list": lambda r: r.clear(),
    "unknown-field": lambda r: r["blocks"][0].update(script="<script>"),
}


@pytest.mark.parametrize("name", list(BAD_ENTRIES))
def test_a_malformed_entry_is_discarded_with_a_warning_naming_it(tmp_path: Path, name: str) -> None:
    project(tmp_path, {"a.md": "print('hi')"})
    (session,) = sessions_of(tmp_path)
    path = store(tmp_path, session, stdout="hi\n")
    entry = json.loads(path.read_text(encoding="utf-8"))
    BAD_ENTRIES[name](entry["result"])
    path.write_text(json.dumps(entry), encoding="utf-8")
    cache = Cache(tmp_path / ".studylog-cache", shown_root=tmp_path)
    assert cache.get(cache.key(session, tmp_path)) is None
    assert not path.exists()
    (problem,) = cache.problems
    assert problem.kind == "warning"
    assert problem.path == f".studylog-cache/{path.name}"
    assert "discarded" in problem.message


@pytest.mark.slow  # studylog run starts a worker
def test_a_malformed_entry_is_run_again_by_studylog_run(tmp_path: Path) -> None:
    project(tmp_path, {"a.md": "print('fresh')"})
    (session,) = sessions_of(tmp_path)
    path = store(tmp_path, session, stdout=5)  # type: ignore[arg-type]
    done = subprocess.run(
        [sys.executable, "-m", "studylog", "run", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (result,) = json.loads(done.stdout)
    assert (result["status"], result["cached"]) == ("ok", False)
    assert result["blocks"][0]["stdout"] == "fresh\n"
    assert f".studylog-cache/{path.name}" in done.stderr and "discarded" in done.stderr
    assert (
        json.loads(path.read_text(encoding="utf-8"))["result"]["blocks"][0]["stdout"] == "fresh\n"
    )  # stored again, right this time


def test_a_malformed_entry_does_not_stop_mkdocs_build(
    tmp_path: Path, mkdocs_build: MkdocsBuild
) -> None:
    project(tmp_path, {"a.md": "print('hi')"}, execute=False)
    (session,) = sessions_of(tmp_path)
    path = store(tmp_path, session, stdout="hi\n", duration="x")  # type: ignore[arg-type]
    done = mkdocs_build(tmp_path)
    assert f".studylog-cache/{path.name}" in done.stderr and "discarded" in done.stderr
    assert "Traceback" not in done.stderr


def unwritable(root: Path, how: str) -> str:
    if how == "read-only folder":
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        (root / "frozen").mkdir()
        (root / "frozen").chmod(0o555)
        return "frozen"
    (root / "not-a-folder").write_text("a file where the cache folder would be\n")
    return "not-a-folder/cache"


@pytest.mark.slow  # studylog run starts a worker for each
@pytest.mark.parametrize("how", ["read-only folder", "folder under a file"])
def test_an_unwritable_cache_is_a_warning_and_the_run_goes_on(tmp_path: Path, how: str) -> None:
    project(tmp_path, {"a.md": "print('runs anyway')"}, cache_dir=unwritable(tmp_path, how))
    done = subprocess.run(
        [sys.executable, "-m", "studylog", "run", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (result,) = json.loads(done.stdout)
    assert result["status"] == "ok" and result["blocks"][0]["stdout"] == "runs anyway\n"
    assert "cannot be written" in done.stderr and "Traceback" not in done.stderr


def test_the_schema_accepts_what_studylog_writes(tmp_path: Path) -> None:
    project(tmp_path, {"a.md": "print('hi')"})
    (session,) = sessions_of(tmp_path)
    store(
        tmp_path,
        session,
        stdout="hi\n",
        value="1",
        html="<b>1</b>",
        figures=("<svg/>",),
        error=None,
        duration=0.5,
    )
    cache = Cache(tmp_path / ".studylog-cache")
    got = cache.get(cache.key(session, tmp_path))
    assert got is not None and cache.problems == []
    assert dataclasses.replace(got.blocks[0]).stdout == "hi\n"
