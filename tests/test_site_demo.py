"""A real ``mkdocs build --strict`` of the demo project, in a temporary copy with its own cache."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from studylog.execute import collect_sessions
from studylog.parse import ParserConfig, parse_paths
from studylog.render.links import log_uri

if TYPE_CHECKING:
    from conftest import MkdocsBuild

pytestmark = pytest.mark.slow  # every session of the demo runs in the build

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("mkdocs.yml", "docs", "logs", "snippets")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, mkdocs_build: MkdocsBuild) -> Path:
    project = tmp_path_factory.mktemp("demo")
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part, ignore=shutil.ignore_patterns(".studylog"))
        elif source.is_file():
            shutil.copy2(source, project / part)
    mkdocs_build(project, "--strict")
    return project


def page(project: Path, uri: str) -> str:
    stem = uri.removesuffix(".md").removesuffix("index")
    return (project / "site" / stem / "index.html").read_text("utf-8")


def demo_logs(project: Path):
    logs = parse_paths([project / "logs"], root=project, config=ParserConfig())
    sessions, _ = collect_sessions(logs, project_root=project)
    return logs, sessions


def test_every_log_has_a_page_and_the_report_lists_every_session(demo):
    logs, sessions = demo_logs(demo)
    assert len(logs) >= 6 and sessions
    for log in logs:
        rel = Path(log.path).relative_to("logs").as_posix()
        assert (demo / "site" / log_uri(rel).removesuffix(".md") / "index.html").is_file()
    report = page(demo, "report")
    rows = re.findall(
        r"<tr><td[^>]*><a [^>]*>[^<]*</a></td><td[^>]*><code>([^<]*)</code></td>"
        r"<td[^>]*><span [^>]*>([a-z-]+)</span>",
        report,
    )
    assert sorted(name for name, _ in rows) == sorted(s.name for s in sessions)
    assert {status for _, status in rows} == {"ok"}


def test_snippet_output_figure_and_footer_are_in_the_page(demo):
    logs, sessions = demo_logs(demo)
    with_figure = 0
    for log in logs:
        if not any(s.log == log.path for s in sessions):
            continue
        rel = Path(log.path).relative_to("logs").as_posix()
        html = page(demo, log_uri(rel))
        outputs = re.findall(
            r'<div class="studylog-output".*?<div class="studylog-footer">'
            r"(\d+\.\d\d s · [^<]+)</div>",
            html,
            re.S,
        )
        assert outputs, log.path
        if log.notebook is not None:  # mkdocs-jupyter's output areas
            assert 'class="jp-RenderedText jp-OutputArea-output' in html, log.path
        else:
            assert "studylog-stdout" in html or "studylog-value" in html, log.path
        for src in re.findall(r'<img src="((?:\.\./)+assets/studylog/[0-9a-f]+\.svg)"', html):
            target = (demo / "site" / log_uri(rel).removesuffix(".md") / src).resolve()
            assert target.read_text("utf-8").lstrip().startswith(("<?xml", "<svg")), src
            with_figure += 1
    assert with_figure >= 1


def test_weeks_keywords_qa_and_dashboard(demo):
    weeks = sorted(p.name for p in (demo / "site" / "weeks").iterdir())
    assert weeks[:2] == ["week-01", "week-02"]
    week1 = page(demo, "weeks/week-01")
    tables = r'<table class="studylog-table studylog-week-days">.*?</table>'
    assert len(re.findall(tables, week1, re.S)) == 1
    assert week1.count("<tr>") >= 4  # header + its days
    keywords = page(demo, "keywords")
    assert 'id="kw-mlp"' in keywords
    assert ">Multi-Layer Perceptron<" not in keywords  # merged into MLP by keyword_aliases
    qa = page(demo, "qa")
    assert "<svg" in qa and 'class="studylog-table studylog-qa-weeks"' in qa
    home = (demo / "site" / "index.html").read_text("utf-8")
    assert 'class="studylog-cards"' in home and "studylog-latest" in home
    assert '"features": [' in home and "navigation.instant" in home


def test_every_demo_log_renders_like_github(demo):
    from fidelity import compare

    checked = 0
    for source in sorted((demo / "logs").rglob("*.md")):
        rel = source.relative_to(demo / "logs").as_posix()
        verdict = compare(f"logs/{rel}", source.read_text("utf-8"), page(demo, log_uri(rel)))
        assert verdict.ok, verdict.explain()
        checked += 1
    assert checked >= 6


def test_week_navigation_never_shows_two_entries_alike(demo):
    # The demo's theme.language is ko: studylog names its pages and weeks in Korean.
    html = page(demo, "logs/2024/week01/week01-days04-05")
    labels = [" ".join(x.split()) for x in re.findall(r'class="md-ellipsis">([^<]*)<', html)]
    week1 = labels[labels.index("1주차") : labels.index("2주차")]
    # The open page is shown as a label and a link, with its table of contents below.
    entries = list(dict.fromkeys(week1[: week1.index("Day 4 (3/7)")]))
    if "주간 목표" in entries:
        entries.remove("주간 목표")
    assert entries == [
        "1주차",
        "1주차 요약",
        "[Week 01 / Day 01] MLP로 시작하는 첫날",
        "[Week 01 / Day 02] Optimizers side by side",
        "[Week 01 / Day 03] CNN 기초 정리",
        "4–5일차 · 2024-03-07 ~ 2024-03-08",
    ]
    assert "Week 1 (3/4 ~ 3/8)" not in week1  # the file's heading names the week, not it
    assert re.search(r"<h1[^>]*>Week 1 \(3/4 ~ 3/8\)<", html)  # the page keeps its heading


def test_the_demo_shows_both_kinds_of_log(demo):
    logs, sessions = demo_logs(demo)
    notebooks = [lg for lg in logs if lg.notebook is not None]
    assert len(notebooks) == 2 and len(logs) - len(notebooks) >= 6
    assert {f"{lg.path}::notebook" for lg in notebooks} <= {s.id for s in sessions}
    for log in notebooks:
        rel = Path(log.path).relative_to("logs").as_posix()
        html = page(demo, log_uri(rel))
        assert html.count('class="jp-Cell jp-CodeCell jp-Notebook-cell"') >= 3, log.path
        assert re.search(
            r'<img src="(\.\./)+assets/studylog/[0-9a-f]+\.svg" '
            r'alt="Figure 1 of [^"]+"',
            html,
        ), log.path
    mlp = page(demo, "logs/2024/week01/2024-03-08-mlp-assignment")
    assert "RuntimeError: mat1 and mat2 shapes cannot be multiplied" in mlp  # raises-exception
    attention = page(demo, "logs/2024/week02/2024-03-15-attention-assignment")
    assert "heads=8  valid loss 0.365" in attention  # a skip-execution cell's stored output
    assert "not run (skip-execution)" in attention
    week2 = page(demo, "weeks/week-02")
    assert "../../logs/2024/week02/2024-03-15-attention-assignment/" in week2
