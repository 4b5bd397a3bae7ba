"""Notebook logs in a real ``mkdocs build``: executed outputs on their pages, counted in every
index, kept in the cache; bad notebooks are one problem each and the rest of the site builds."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from notebooks import code, display, edit_code, md, write
from test_mkdocs_plugin_build import page, report_rows

if TYPE_CHECKING:
    from conftest import MkdocsBuild

# Builds running notebooks' cells; the quick run builds one notebook in test_render_notebooks.
pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "site" / "notebooks"
MLP = "logs/2024-03-05-mlp-notebook"
ATTENTION = "logs/2024-03-06-attention-notebook"
SUMMARY = re.compile(r"studylog: (\d+) logs, (\d+) sessions \((\d+) run, (\d+) cached")


def copy(tmp: Path) -> Path:
    project = tmp / "project"
    shutil.copytree(FIXTURE, project)
    return project


def summary(done) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    found = SUMMARY.search(done.stderr)
    assert found, done.stderr
    return tuple(int(n) for n in found.groups())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, mkdocs_build: MkdocsBuild) -> Path:
    project = copy(tmp_path_factory.mktemp("notebooks"))
    done = mkdocs_build(project)
    assert summary(done) == (3, 3, 3, 0)
    return project


def test_a_notebook_page_shows_its_executed_outputs(built: Path) -> None:
    html = page(built, MLP)
    # mkdocs-jupyter's markup: prompts, highlighted input, output areas.
    assert html.count('class="jp-Cell jp-CodeCell jp-Notebook-cell"') >= 3
    assert "In&nbsp;[1]:" in html and "Out[2]:" in html
    assert re.search(r"<pre>loss after 3 steps: 0\.25\s*</pre>", html)  # text
    table = re.search(r'data-mime-type="text/html">\s*(<div>\s*)?<table>(.*?)</table>', html, re.S)
    assert table, "the DataFrame is a table"  # a DataFrame
    cells = re.findall(r"<t[dh]>([^<]*)</t[dh]>", table.group(2))
    assert cells[1:3] == ["epoch", "loss"] and "0.25" in cells
    figure = re.search(
        r'<img src="\.\./\.\./(assets/studylog/[0-9a-f]+\.svg)" '
        r'alt="Figure 1 of logs/2024-03-05-mlp-notebook.ipynb, cell 7"',
        html,
    )
    assert figure, "the figure is an image of the site"  # a figure
    svg = (built / "site" / figure.group(1)).read_text("utf-8")
    # The figure as matplotlib drew it, through the SVG allowlist: its text is glyphs that
    # <use> draws (the comments naming them are dropped with everything else not drawn).
    assert svg.startswith("<svg") and svg.count("<use ") > 10 and "<script" not in svg
    # studylog's footer under each cell, its header at the top, the notebook's stylesheet.
    assert len(re.findall(r'<div class="studylog-footer">\d+\.\d\d s · cpu · run</div>', html)) == 3
    assert '<div class="studylog-meta">' in html and "assets/studylog/jupyter.css" in html
    assert (built / "site" / "assets" / "studylog" / "jupyter.css").stat().st_size > 100_000
    assert "<style" not in re.search(r"<article.*?</article>", html, re.S).group(0)


def test_the_page_has_a_table_of_contents_and_is_searchable(built: Path) -> None:
    html = page(built, MLP)
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', html, re.S)
    assert toc and 'href="#training"' in toc.group(0) and 'href="#loss-curve"' in toc.group(0)
    index = json.loads((built / "site" / "search" / "search_index.json").read_text("utf-8"))
    texts = {d["location"]: d["text"] for d in index["docs"]}
    assert "loss after 3 steps" in texts[MLP + "/#training"]
    assert "Q: Why does the loss go down so fast?" in texts[MLP + "/"]


def test_keywords_qa_and_weeks_count_notebooks(built: Path) -> None:
    keywords = page(built, "keywords")
    section = re.search(r'id="kw-dropout".*?</div>', keywords, re.S)
    assert section and "../logs/2024-03-05-mlp-notebook/" in section.group(0)
    assert 'id="kw-attention"' in keywords and 'id="kw-softmax"' in keywords
    assert "../logs/2024-03-06-attention-notebook/" in keywords
    qa = page(built, "qa")
    row = re.search(r"<tr><td[^>]*>2024-03-05</td>.*?</tr>", qa, re.S)
    assert row and ">2 / 2</td>" in row.group(0)
    week = page(built, "weeks/week-01")
    assert "../../logs/2024-03-05-mlp-notebook/" in week
    assert "../../logs/2024-03-06-attention-notebook/" in week
    assert ">MLP assignment notebook<" in week


def test_a_second_build_executes_nothing_and_one_edited_cell_reruns_one_notebook(
    tmp_path: Path, mkdocs_build: MkdocsBuild
) -> None:
    project = copy(tmp_path)
    assert summary(mkdocs_build(project)) == (3, 3, 3, 0)
    second = mkdocs_build(project)
    assert summary(second) == (3, 3, 0, 3)
    edit_code(
        project / (MLP + ".ipynb"),
        4,
        "losses = [0.8, 0.4, 0.2]\nprint('loss after 3 steps:', losses[-1])",
    )
    third = mkdocs_build(project)
    assert summary(third) == (3, 3, 1, 2)
    rows = report_rows(project)
    assert rows == {
        "MLP assignment notebook": "run",
        "Attention notebook": "cached",
        "A Markdown log beside the notebooks": "cached",
    }
    assert re.search(r"<pre>loss after 3 steps: 0\.2\s*</pre>", page(project, MLP))


def test_stored_outputs_when_notebooks_are_not_executed(
    tmp_path: Path, mkdocs_build: MkdocsBuild
) -> None:
    project = copy(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "course_start: 2024-03-04", "course_start: 2024-03-04\n      execute_notebooks: stored"
        ),
        "utf-8",
    )
    write(
        project / (ATTENTION + ".ipynb"),
        md("# Attention notebook"),
        code(
            "run_for_hours()",
            count=12,
            outputs=[
                {"output_type": "stream", "name": "stdout", "text": "stored: 0.125\n"},
                display({"image/png": base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()}),
            ],
        ),
        studylog={"date": "2024-03-06"},
    )
    done = mkdocs_build(project, "--strict")
    assert summary(done)[1:] == (1, 1, 0)  # only the Markdown log's session ran
    html = page(project, ATTENTION)
    assert "In&nbsp;[12]:" in html and re.search(r"<pre>stored: 0\.125\s*</pre>", html)
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in html
    assert "studylog-footer" not in html  # nothing ran: no run footer


def test_bad_notebooks_are_one_problem_each_and_the_rest_builds(
    tmp_path: Path, mkdocs_build: MkdocsBuild
) -> None:
    """Each bad notebook, and a notebook named like a Markdown log (one page for two logs),
    is one warning with its path (and cell); every other page is built."""
    project = copy(tmp_path)
    logs = project / "logs"
    (logs / "2024-03-08-invalid-json.ipynb").write_text('{"cells": [\n  {"cell_type",\n', "utf-8")
    (logs / "2024-03-08-no-cells.ipynb").write_text(
        json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}}), "utf-8"
    )
    (logs / "2024-03-08-version-3.ipynb").write_text(
        json.dumps(
            {
                "nbformat": 3,
                "nbformat_minor": 0,
                "metadata": {"name": ""},
                "worksheets": [
                    {
                        "metadata": {},
                        "cells": [
                            {"cell_type": "markdown", "metadata": {}, "source": ["# Old notebook"]}
                        ],
                    }
                ],
            }
        ),
        "utf-8",
    )
    image = base64.b64encode(os.urandom(3_000_000)).decode("ascii")
    big = write(
        logs / "2024-03-08-huge.ipynb",
        md("# Huge"),
        *(
            code(f"show({n})", tags=("skip-execution",), outputs=[display({"image/png": image})])
            for n in range(13)
        ),
    )
    assert big.stat().st_size > 50_000_000
    write(logs / "2024-03-07-plain-log.ipynb", md("# Same name as the Markdown log"))
    done = mkdocs_build(project)
    warnings = [line for line in done.stderr.splitlines() if line.startswith("WARNING")]
    expected = {
        "2024-03-08-invalid-json.ipynb:2: not a notebook: invalid JSON",
        "2024-03-08-no-cells.ipynb:1: not a notebook: there is no `cells` list",
        "2024-03-08-version-3.ipynb:1: nbformat 3 notebook: read after converting",
        "2024-03-08-huge.ipynb, cell 3, line 1: stored outputs too large for a page "
        "(48.0 MB in cells 3, 4, 5,",
        "2024-03-07-plain-log.md:1: this log's page would be "
        "logs/2024-03-07-plain-log.ipynb's page too",
    }
    for start in expected:
        assert sum(f"logs/{start}" in w for w in warnings) == 1, (start, warnings)
    assert len(warnings) == len(expected), warnings
    assert "Old notebook" in page(project, "logs/2024-03-08-version-3")
    assert os.path.getsize(project / "site" / "logs" / "2024-03-08-huge" / "index.html") < 5_000_000
    assert "loss after 3 steps: 0.25" in page(project, MLP)  # the rest of the site is built
    strict = mkdocs_build(project, "--strict", ok=False)
    assert strict.returncode == 1
    assert "Aborted with 5 warnings in strict mode" in strict.stdout + strict.stderr
