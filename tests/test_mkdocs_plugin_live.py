"""Live rebuilds: after each edit under ``mkdocs serve``, every page is what a fresh full
build of the same files writes, and only the pages the edit changed were rendered.

The slow test drives the command people type, ``mkdocs serve``, in a process of its
own, and reads the site over HTTP; the quick one drives the same rebuilds in this
process, as ``mkdocs serve`` drives them (one ``on_startup``, the builder the plugin
hands the server, called after each change).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

if TYPE_CHECKING:
    from conftest import MkdocsBuild

MKDOCS_YML = """\
site_name: live
theme:
  name: material
  language: ko
  features: [navigation.prune, navigation.instant]
plugins:
  - search
  - tags
  - studylog:
      jobs: 1
      execute: {execute}
markdown_extensions:
  - toc:
      permalink: true
  - tables
"""
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # page dates in the sitemap: one day for all builds


def log_text(day: int, title: str, words: str, extra: str = "") -> str:
    """A one-day log of the third week of March 2025 (day 1 is Monday the 17th)."""
    date = f"2025-03-{16 + day:02d}"
    return (
        f'---\ntitle: "{title}"\ndate: {date}\nweek: 3\nkeywords: [{words}]\n'
        f"tags: [daily]\nquestions: {day}\nanswers: 1\n---\n\n"
        f"# {title}\n\n## 정리\n\n오늘은 {words}를 공부하면서 예제를 직접 따라 했다.\n\n"
        f"| 항목 | 메모 |\n| --- | --- |\n| {words} | 다시 보기 |\n\n{extra}"
        "Q: 어디가 어려웠나?\n\nA: 텐서 모양을 맞추는 부분.\n"
    )


SNIPPET = '```python exec="on" file="snippets/total.py"\n```\n\n'


def make_project(root: Path, *, execute: bool) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# 홈\n\n<!-- studylog:dashboard -->\n", "utf-8")
    (root / "docs" / "about.md").write_text("# 소개\n\n[첫날](../logs/d1.md)\n", "utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(execute=str(execute).lower()), "utf-8")
    logs = root / "logs"
    logs.mkdir()
    (logs / "d1.md").write_text(log_text(1, "첫날 기록", "퍼셉트론"), "utf-8")
    (logs / "d2.md").write_text(log_text(2, "둘째 날 기록", "역전파", SNIPPET), "utf-8")
    (logs / "d3.md").write_text(log_text(3, "셋째 날 기록", "옵티마이저"), "utf-8")
    (root / "snippets").mkdir()
    (root / "snippets" / "total.py").write_text("print(sum(range(5)))\n", "utf-8")
    return root


def edits(root: Path) -> list[tuple[str, Callable[[], object]]]:
    """The sequence of the issue: a body, a snippet, a new log, a title, a deleted log, a
    new week."""
    logs = root / "logs"

    def replace(name: str, old: str, new: str) -> Callable[[], object]:
        path = logs / name
        return lambda: path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")

    snippet = root / "snippets" / "total.py"
    new_week = log_text(1, "다음 주 첫날", "어텐션").replace("2025-03-17", "2025-03-24")
    return [
        # Prose, not the answer: an answer is on the Questions and Review pages too.
        ("edit a body", replace("d1.md", "직접 따라 했다.", "직접 따라 하고 정리했다.")),
        ("edit a snippet", lambda: snippet.write_text("print(sum(range(7)))\n", "utf-8")),
        ("add a log", lambda: (logs / "d4.md").write_text(log_text(4, "넷째 날", "CNN"), "utf-8")),
        ("rename a title", replace("d3.md", "셋째 날 기록", "셋째 날: 옵티마이저")),
        ("delete a log", lambda: (logs / "d4.md").unlink()),
        (
            "add a week",
            lambda: (logs / "w2.md").write_text(new_week.replace("week: 3", "week: 4"), "utf-8"),
        ),
    ]


def normalized(data: bytes) -> bytes:
    """A page with its measured durations (``0.04 s``) left out."""
    return re.sub(rb"\d+\.\d+ s", b"? s", data)


def site_files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): normalized(p.read_bytes())
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def fresh_build(
    mkdocs_build: MkdocsBuild,
    project: Path,
    cache: Path,
    into: Path,
    site_url: str,
    *,
    here: bool = False,
) -> dict[str, bytes]:
    """A full ``mkdocs build`` of the project's files as they are now, with ``cache`` (the
    snippet cache before the edit, so what ran live runs here too); ``here``: in this
    process (only where the live site is not: MkDocs keeps one instance of each plugin with
    an ``on_startup`` per process, which the build would share)."""
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    for part in ("docs", "logs", "snippets"):
        shutil.copytree(project / part, into / part)
    yml = (project / "mkdocs.yml").read_text("utf-8")
    (into / "mkdocs.yml").write_text(f"site_url: {site_url}\n{yml}", "utf-8")
    if cache.is_dir():
        shutil.copytree(cache, into / ".studylog-cache")
    if not here:
        mkdocs_build(into, env=EPOCH)
        return site_files(into / "site")
    config = load_config(str(into / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site_files(into / "site")


def snapshot_cache(project: Path, into: Path) -> Path:
    shutil.rmtree(into, ignore_errors=True)
    source = project / ".studylog-cache"
    if source.is_dir():
        shutil.copytree(source, into, ignore=shutil.ignore_patterns("build"))
    return into


# -- in this process --------------------------------------------------------------------


class _Server:
    """What the plugin's ``on_serve`` is handed: a server with a builder to replace."""

    def __init__(self, builder: Callable[..., None]) -> None:
        self.builder = builder

    def watch(self, path: str) -> None:
        pass


def test_live_rebuilds_write_what_a_full_build_writes(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    mkdocs_build: MkdocsBuild,
) -> None:
    """The edits one after the other, each a live rebuild that renders fewer pages than the
    site has; then the site against a fresh full build (the serve test compares after each)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    project = make_project(tmp_path / "project", execute=False)
    site, url = tmp_path / "served", "http://127.0.0.1:8000/"

    def config() -> Any:
        c = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
        c.site_url = url
        return c

    fulls: list[str] = []

    def full(c: Any = None) -> None:
        fulls.append("full")
        build(c or config(), serve_url=url)

    first = config()
    first.plugins.on_startup(command="serve", dirty=False)
    full(first)
    server = _Server(full)
    first.plugins.on_serve(server, config=first, builder=full)
    try:
        for label, edit in edits(project):
            if label == "edit a snippet":
                continue  # nothing runs here: the serve test runs it
            edit()
            caplog.clear()
            with caplog.at_level(logging.INFO, logger="mkdocs.plugins.studylog"):
                server.builder()
            assert fulls == ["full"], f"{label}: {caplog.text}"
            said = re.search(r"rebuilt (\d+) of (\d+) pages", caplog.text)
            assert said and int(said[1]) < int(said[2]), f"{label}: {caplog.text}"
        fresh = fresh_build(mkdocs_build, project, tmp_path / "none", tmp_path / "fresh", url)
        live = site_files(site)
        assert live.keys() == fresh.keys()
        assert [p for p in fresh if live[p] != fresh[p]] == []
        # A change studylog does not own: MkDocs rebuilds everything.
        (project / "docs" / "about.md").write_text("# 소개\n\n바뀐 소개.\n", "utf-8")
        server.builder()
        assert fulls == ["full", "full"]
    finally:
        first.plugins.on_shutdown()


# -- under a real `mkdocs serve` ----------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Output(threading.Thread):
    """The lines a process writes, as they come."""

    def __init__(self, stream: Any) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.lines: list[str] = []
        self.cond = threading.Condition()

    def run(self) -> None:
        for line in self.stream:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def wait_for(self, pattern: str, start: int, timeout: float = 120) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        with self.cond:
            while True:
                for line in self.lines[start:]:
                    found = regex.search(line)
                    if found:
                        return found
                left = deadline - time.monotonic()
                assert left > 0, f"no {pattern!r} in:\n" + "\n".join(self.lines[-30:])
                self.cond.wait(left)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        data: bytes = response.read()
    # The server puts its live-reload script before </body>: not part of the page.
    return re.sub(rb"<script>\s*var livereload = .*?</script>(?=</body>)", b"", data, flags=re.S)


@pytest.fixture
def served(tmp_path: Path, mkdocs_build: MkdocsBuild) -> Iterator[tuple[Path, str, _Output]]:
    project = make_project(tmp_path / "project", execute=True)
    mkdocs_build(project, env=EPOCH)  # the snippet's output in the cache, as after a day's work
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **EPOCH},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = _Output(process.stdout)
    output.start()
    try:
        output.wait_for(r"Serving on", 0)
        yield project, f"http://127.0.0.1:{port}/", output
    finally:
        process.terminate()
        process.wait(timeout=60)


@pytest.mark.slow  # mkdocs serve, a worker, and a full build after each of six edits
def test_under_mkdocs_serve_each_edit_leaves_the_site_a_full_build_writes(
    served: tuple[Path, str, _Output],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mkdocs_build: MkdocsBuild,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    project, url, output = served
    rendered = {}
    last: dict[str, bytes] = {}
    for label, edit in edits(project):
        before = snapshot_cache(project, tmp_path / "cache-before")
        mark = len(output.lines)
        time.sleep(0.6)  # a change within the watcher's last poll would be seen with it
        edit()
        said = output.wait_for(r"studylog: rebuilt (\d+) of (\d+) pages", mark)
        output.wait_for(r"Reloading browsers", mark)
        rendered[label] = (int(said[1]), int(said[2]))
        fresh = fresh_build(mkdocs_build, project, before, tmp_path / "fresh", url, here=True)
        served_files = {path: normalized(_get(url + path)) for path in fresh}
        differ = [path for path in fresh if served_files[path] != fresh[path]]
        assert differ == [], f"{label}: {differ}"
        for path in last.keys() - fresh.keys():  # a deleted log's page is gone
            with pytest.raises(urllib.error.HTTPError, match="404"):
                _get(url + path)
        last = fresh
    assert not any("rebuilding the whole site" in line for line in output.lines), output.lines
    print("pages rendered by each live rebuild:", rendered)
    assert rendered["edit a body"][0] == 1, rendered  # its page; the search index besides
    assert rendered["edit a snippet"][0] <= 3, rendered  # its log, the report, the home page
