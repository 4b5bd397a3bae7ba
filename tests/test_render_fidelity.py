"""Log pages show the structure GitHub shows for the same file (a real ``mkdocs build``).

The corpus in ``fixtures/fidelity/logs`` is written in the forms real study logs
take: Korean bootcamp daily and weekly logs (2-space nesting, Q./A. bullets,
lists right under a text line, setext days, ``[Day1]`` lines), "100 days"
logs, Jekyll/Chirpy posts (prompts, kramdown attribute lists, Liquid, raw),
author HTML (centred images, tables, details), footnotes, task lists, math,
emoji and an author's own table of contents. Each page is compared with
cmarkgfm, GitHub's renderer (see ``tests/fidelity.py``).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fidelity import compare

if TYPE_CHECKING:
    from conftest import MkdocsBuild

FIXTURE = Path(__file__).parent / "fixtures" / "fidelity"
LOGS = sorted((FIXTURE / "logs").glob("*.md"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, mkdocs_build: MkdocsBuild) -> tuple[Path, str]:
    project = tmp_path_factory.mktemp("fidelity") / "project"
    shutil.copytree(FIXTURE, project)
    return project, mkdocs_build(project).stderr


def page_of(project: Path, log: Path) -> str:
    return (project / "site" / "logs" / log.stem / "index.html").read_text("utf-8")


def test_the_corpus_is_large_enough():
    assert len(LOGS) >= 30


@pytest.mark.parametrize("log", LOGS, ids=[p.stem for p in LOGS])
def test_page_matches_github(built, log: Path):
    project, _ = built
    verdict = compare(f"logs/{log.name}", log.read_text("utf-8"), page_of(project, log))
    assert verdict.ok, verdict.explain()


def test_headings_get_githubs_unicode_ids_so_an_authors_toc_works(built):
    project, _ = built
    html = page_of(project, FIXTURE / "logs" / "13-author-toc.md")
    for target in ("1-강의-복습", "2-과제-진행", "3-피어세션-정리"):
        assert f'href="#{target}"' in html and f'id="{target}"' in html
    assert 'id="질문"' in html and 'id="질문-1"' in html


def test_emoji_render_in_titles_and_bodies_and_titles_stay_escaped(built):
    project, _ = built
    html = page_of(project, FIXTURE / "logs" / "14-emoji-shortcodes.md")
    assert "<title>🚀 첫 모델 배포 🎉" in html
    assert "🤝 팀 회의" in html and "👍" in html and ":notanemoji:" in html
    assert 'id="-팀-회의"' in html  # GitHub drops the emoji from the id
    nav = (project / "site" / "index.html").read_text("utf-8")
    assert "🚀 첫 모델 배포 🎉" in nav


def test_chirpy_prompts_become_admonitions_and_attribute_lines_apply(built):
    project, _ = built
    html = page_of(project, FIXTURE / "logs" / "06-chirpy-prompts.md")
    for kind in ("tip", "info", "warning"):
        assert f'<div class="admonition {kind}">' in html
    assert (
        '<img src="../../assets/img/attention-map.svg" alt="attention map" width="700" '
        'height="400">' in html
    )
    attrs = page_of(project, FIXTURE / "logs" / "21-kramdown-attributes.md")
    assert '<p style="text-align:center">가운데 정렬하고 싶은 문단.</p>' in attrs
    assert 'width="320"' in attrs
    assert "onclick" not in attrs and "alert(1)" not in attrs
    assert 'id="평범한-제목"' in attrs  # a heading keeps GitHub's id


def test_liquid_is_translated_or_removed_with_a_warning_naming_the_line(built):
    project, stderr = built
    raw = page_of(project, FIXTURE / "logs" / "07-jekyll-raw-liquid.md")
    assert "{% for post in site.posts %}" in raw  # raw: shown literally, in the code block
    assert "{% raw %}" not in raw and "나중에 정리할 메모" not in raw
    assert 'href="https://learner.github.io/til/about/"' in raw
    assert '<span class="n">loss</span>' in raw  # {% highlight %} is a code block
    links = page_of(project, FIXTURE / "logs" / "29-liquid-links.md")
    assert 'href="/til/about/"' in links and 'href="https://learner.github.io/posts/"' in links
    # lines count from the top of the file, front matter included
    assert re.search(
        r"WARNING -  logs/06-chirpy-prompts\.md:30: Liquid tag "
        r"\{% include embed/youtube\.html id='dQw4w9WgXcQ' %\} removed",
        stderr,
    )
    assert (
        "logs/29-liquid-links.md:7: Liquid tag {% post_url 2024-03-20-attention %} removed"
        in stderr
    )
    assert "logs/29-liquid-links.md:12: Liquid output {{ page.title }} removed" in stderr


def test_images_resolve_and_are_copied_into_the_site(built):
    project, stderr = built
    site = project / "site"
    for copied in (
        "assets/img/attention-map.svg",
        "assets/img/loss-curve.svg",
        "logs/images/mlp-layers.svg",
        "logs/images/conv-kernel.svg",
    ):
        assert (site / copied).is_file(), copied
    html = page_of(project, FIXTURE / "logs" / "23-relative-images.md")
    assert 'src="../images/mlp-layers.svg"' in html
    assert 'src="../images/conv-kernel.svg" width="120"' in html
    assert 'src="https://img.shields.io/badge/study-log-blue"' in html
    liquid = page_of(project, FIXTURE / "logs" / "07-jekyll-raw-liquid.md")
    assert 'src="../../assets/img/loss-curve.svg"' in liquid
    assert "not found" not in stderr


def test_search_has_a_section_per_heading_and_the_toc_lists_them(built):
    project, _ = built
    index = json.loads((project / "site" / "search" / "search_index.json").read_text("utf-8"))
    sections = [
        d["location"] for d in index["docs"] if d["location"].startswith("logs/13-author-toc/")
    ]
    assert sections == [
        "logs/13-author-toc/",
        "logs/13-author-toc/#1-강의-복습",
        "logs/13-author-toc/#2-과제-진행",
        "logs/13-author-toc/#3-피어세션-정리",
        "logs/13-author-toc/#질문",
        "logs/13-author-toc/#질문-1",
        "logs/13-author-toc/#답변",
    ]
    html = page_of(project, FIXTURE / "logs" / "13-author-toc.md")
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', html, re.S)
    assert toc and 'href="#3-피어세션-정리"' in toc.group(0)


def test_body_problems_are_warnings_that_strict_counts(tmp_path, mkdocs_build):
    project = tmp_path / "strict"
    (project / "docs").mkdir(parents=True)
    (project / "logs").mkdir()
    (project / "docs" / "index.md").write_text("# Home\n", "utf-8")
    (project / "logs" / "2024-03-04-day.md").write_text(
        "---\ntitle: A day\n---\n\nText.\n\n![plot](plots/missing.png)\n\n"
        "{% include note.html %}\n",
        "utf-8",
    )
    (project / "mkdocs.yml").write_text(
        "site_name: strict\ntheme:\n  name: material\nplugins:\n  - search\n  - studylog\n", "utf-8"
    )
    done = mkdocs_build(project, "--strict", ok=False)
    assert "WARNING -  logs/2024-03-04-day.md:7: image plots/missing.png not found" in done.stderr
    assert (
        "WARNING -  logs/2024-03-04-day.md:9: Liquid tag {% include note.html %} removed"
        in done.stderr
    )
