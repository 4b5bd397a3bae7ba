"""A real ``mkdocs build`` of a small fixture site: outputs, figures, report, escaping, cache."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import MkdocsBuild

FIXTURE = Path(__file__).parent / "fixtures" / "site" / "basic"
PAYLOADS = ("studylog-xss", "onerror=alert", "onmouseover=alert")


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, mkdocs_build: MkdocsBuild
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    project = tmp_path_factory.mktemp("basic") / "site-project"
    shutil.copytree(FIXTURE, project)
    return project, mkdocs_build(project)


def page(project: Path, uri: str) -> str:
    return (project / "site" / uri / "index.html").read_text(encoding="utf-8")


def report_rows(project: Path) -> dict[str, str]:
    """log page link text -> 'run' / 'cached' from the execution report."""
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page(project, "report")):
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        if len(cells) >= 6:  # log, session, "status · run or cached", time, device, note
            out[cells[0]] = cells[2].rsplit(" · ", 1)[-1]
    assert out  # the table is there at all
    return out


def test_snippet_output_figure_and_footer(built):
    project, _ = built
    text = page(project, "logs/2024-03-04-plot")
    assert '<pre class="studylog-stdout"><code>loss after 10 steps: 0.1000</code></pre>' in text
    figures = re.findall(r'<img src="\.\./\.\./(assets/studylog/[0-9a-f]+\.svg)"', text)
    assert len(figures) == 1
    svg = (project / "site" / figures[0]).read_text(encoding="utf-8")
    assert "<svg" in svg and "</svg>" in svg
    assert re.search(r'<div class="studylog-footer">\d+\.\d\d s · [^<·]+ · run</div>', text)
    # the source is shown too (show="both" by default), highlighted by Markdown
    assert "plt" in text and "studylog-output" in text


def test_report_lists_every_session(built):
    project, _ = built
    rows = report_rows(project)
    assert set(rows) == {
        "Day 1: a loss curve",
        "Day 2: sums",
        html.escape("Day 3 <script>alert('studylog-xss')</script> <img src=x onerror=alert(1)>"),
    }
    assert set(rows.values()) == {"run"}


def test_log_header_week_keywords_and_dashboard(built):
    project, _ = built
    text = page(project, "logs/2024-03-04-plot")
    assert '<a class="studylog-keyword" href="../../keywords/#kw-mlp">MLP</a>' in text
    assert '<a href="../../weeks/week-01/">Week 1</a>' in text
    assert "<dt>Q / A</dt> <dd>2 / 3</dd>" in text
    keywords = page(project, "keywords")
    entry = re.search(r'<div class="studylog-keyword-entry" id="kw-mlp">.*?</div>', keywords)
    assert entry and '<span class="studylog-count">2</span>' in entry.group(0)  # MLP + mlp
    week = page(project, "weeks/week-01")
    for title in ("Day 1: a loss curve", "Day 2: sums"):
        assert f">{title}</a>" in week
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert 'class="studylog-cards"' in home and "Top keywords" in home


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"<{tag} {name}={value}>")
        self.in_script = tag == "script"

    def handle_data(self, data: str) -> None:
        if self.in_script and "studylog-xss" in data:
            self.bad.append(f"<script>{data}")


def test_nothing_from_a_log_is_unescaped_anywhere(built):
    project, _ = built
    seen = 0
    for path in (project / "site").rglob("*"):
        if path.suffix not in (".html", ".json", ".xml", ".svg", ".js") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            parser = _Tags()
            parser.feed(text)
            assert not parser.bad, f"{path}: {parser.bad}"
            seen += any(p in text for p in PAYLOADS)
        else:
            for raw in ("<script>alert('studylog-xss')", "<img src=x onerror", "<b onmouseover"):
                assert raw not in text, f"{path} holds {raw!r} unescaped"
    assert seen >= 3  # the payloads do reach pages (escaped): the check is not vacuous


def test_search_index_holds_korean_forms_in_a_hidden_field(built):
    project, _ = built
    index = json.loads((project / "site" / "search" / "search_index.json").read_text("utf-8"))
    assert index["config"]["fields"]["forms"] == {"boost": 1.0}
    docs = [d for d in index["docs"] if "트랜스포머를" in d["text"]]
    assert docs and all("\u200b" not in d["text"] for d in docs)  # the text is as written
    forms = set(" ".join(d.get("forms", "") for d in docs).split())
    assert {"랜스포머", "포머", "습률"} <= forms  # later parts of 트랜스포머를, 학습률은
    home = (project / "site" / "index.html").read_text("utf-8")
    assert "assets/studylog/search.js" in home
    script = (project / "site" / "assets" / "studylog" / "search.js").read_text("utf-8")
    assert '"에서는"' in script  # the endings are written in from studylog.korean


@pytest.mark.slow  # two more builds
def test_second_build_runs_nothing_and_an_edit_reruns_only_its_sessions(
    built, tmp_path, mkdocs_build
):
    source, _ = built
    project = tmp_path / "again"
    shutil.copytree(source, project)  # with the cache the first build filled
    done = mkdocs_build(project)
    assert "(0 run, 3 cached" in done.stderr
    assert set(report_rows(project).values()) == {"cached"}

    log = project / "logs" / "2024-03-05-sum.md"
    log.write_text(log.read_text("utf-8").replace("range(5)", "range(6)"), "utf-8")
    done = mkdocs_build(project)
    assert "(1 run, 2 cached" in done.stderr
    rows = report_rows(project)
    assert rows.pop("Day 2: sums") == "run"
    assert set(rows.values()) == {"cached"}
    assert "total is 15" in page(project, "logs/2024-03-05-sum")


def test_without_a_home_page_the_dashboard_is_the_home_page(tmp_path, mkdocs_build):
    project = tmp_path / "nohome"
    (project / "docs").mkdir(parents=True)
    (project / "logs").mkdir()
    (project / "logs" / "2024-03-04-note.md").write_text(
        "---\ntitle: A note\nkeywords: [CNN]\nquestions: 1\nanswers: 2\n---\n\nNo code today.\n",
        "utf-8",
    )
    (project / "mkdocs.yml").write_text(
        "site_name: No home\ntheme:\n  name: material\nplugins:\n  - search\n  - studylog\n",
        "utf-8",
    )
    mkdocs_build(project, "--strict")
    home = (project / "site" / "index.html").read_text("utf-8")
    assert 'class="studylog-cards"' in home and "<dd>1 / 2</dd>" in home
    assert not (project / "docs" / "index.md").exists()  # nothing written into docs/
