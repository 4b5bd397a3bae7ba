"""A real ``mkdocs build`` of a site made from the seed logs in ../shared/seeds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import MkdocsBuild

MKDOCS_YML = """\
site_name: seeds
theme:
  name: material
plugins:
  - search
  - tags
  - studylog:
      default_year: 2023
      cache_dir: .studylog-cache
"""


@pytest.fixture(scope="module")
def site(
    seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory, mkdocs_build: MkdocsBuild
) -> Path:
    project = tmp_path_factory.mktemp("seeds")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Seeds\n\n<!-- studylog:dashboard -->\n", "utf-8")
    shutil.copytree(seeds_dir, project / "logs", ignore=shutil.ignore_patterns("*.json"))
    (project / "mkdocs.yml").write_text(MKDOCS_YML, "utf-8")
    done = mkdocs_build(project)
    # the retrospective has no date: reported with path:line, and still rendered
    assert "WARNING -  logs/week04-retrospective.md:" in done.stderr
    return project / "site"


def read(site: Path, uri: str) -> str:
    return (site / uri / "index.html").read_text("utf-8")


def test_every_seed_has_a_page(site, seeds_expected):
    for name in seeds_expected:
        assert (site / "logs" / name.removesuffix(".md") / "index.html").is_file(), name


def test_keyword_index_links_mlp_and_optimizer_to_day_11(site):
    keywords = read(site, "keywords")
    page = read(site, "logs/week03-setext-multiday")
    day11 = re.search(
        r'<a id="([^"]+)" class="studylog-anchor"></a>\s*<h2[^>]*>Day 11 \(11/20\)', page
    )
    assert day11, "day 11 has an anchor right before its heading"
    for keyword in ("MLP", "Optimizer"):
        entry = re.search(
            rf'<div class="studylog-keyword-entry" id="kw-{keyword.lower()}">(.*?)</div>', keywords
        )
        assert entry, keyword
        links = re.findall(r'href="([^"]+)"', entry.group(1))
        assert links == [f"../logs/week03-setext-multiday/#{day11.group(1)}"], keyword


def week_row(qa: str, label: str) -> list[str]:
    table = re.search(r'<table class="studylog-table studylog-qa-weeks">.*?</table>', qa).group(0)
    for row in re.findall(r"<tr>(.*?)</tr>", table):
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        if cells and cells[0] == label:
            return cells
    raise AssertionError(f"no row for {label}")


def test_qa_page_per_week(site):
    qa = read(site, "qa")
    assert week_row(qa, "Week 3") == ["Week 3", "2", "6 / 7"]
    # the five-day seed names no week: it is grouped by its ISO week
    assert week_row(qa, "2021-W32") == ["2021-W32", "5", "9 / 8"]
    assert "<svg" in qa  # the chart, inline so it follows the palette
    assert "currentColor" in qa


def test_week_page_lists_its_days_and_weekly_log(site):
    week = read(site, "weeks/week-03")
    link = r'<td[^>]*><a href="\.\./\.\./logs/week03-setext-multiday/#[^"]+">([^<]+)</a>'
    days = re.findall(link, week)
    assert days == ["Day 11 (11/20)", "Day 12 (11/21)"]
    assert "<dt>Q / A</dt> <dd>6 / 7</dd>" in week
    assert ">Week 3 (11/20 ~ 11/24)</a>" in week  # the authored weekly file


def test_multi_day_page_has_day_meta_and_tags_page_gets_tags(site):
    page = read(site, "logs/plain-five-days")
    assert len(re.findall(r'class="studylog-anchor"', page)) == 5
    assert "<h2" in page and "[Day1] 2021/08/09" in page
    daily = read(site, "logs/2022-02-09-week04-day015")
    assert '<span class="md-tag">daily-log</span>' in daily
    assert "<dt>Tasks</dt> <dd>4 done · 2 open</dd>" in daily


@pytest.mark.parametrize(
    "name",
    [
        "week03-setext-multiday.md",
        "plain-five-days.md",
        "2022-02-09-week04-day015.md",
        "week04-retrospective.md",
    ],
)
def test_seed_renders_like_github(site, seeds_dir, name):
    from fidelity import compare

    source = (seeds_dir / name).read_text("utf-8")
    verdict = compare(f"logs/{name}", source, read(site, f"logs/{name.removesuffix('.md')}"))
    assert verdict.ok, verdict.explain()


def test_seed_quote_then_list_renders_the_keyword_heading_in_a_list(site):
    page = read(site, "logs/week03-setext-multiday")
    assert re.search(r"<ul>\s*<li>\s*<h5 id=\"키워드-mlp-optimizer\">키워드: MLP, Optimizer", page)
    assert "+ ##### 키워드" not in page
