"""A site made by ``studylog init`` (its ``mkdocs.yml`` as written: a plain ``- search``),
with a few days of logs added, in Chromium: search finds words with punctuation stuck to
them, and every page kind is photographed at phone and desktop width
(``test-artifacts/browser/init-<page>-<width>.png``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_browser_search import SearchBox

from conftest import DESKTOP, PHONE, serve
from studylog.cli import main

DAY = """\
---
title: "{title}"
date: {date}
keywords: [{keywords}]
---
# {title}

{body}
"""

CONTEXT = """\
트랜스포머는 이전 대화(맥락을 기억하는 방식이 RNN과 다르다. 강사님은 이것을 “맥락”을
한꺼번에 본다고 설명했다.

```python exec="on"
import matplotlib.pyplot as plt
plt.plot([3, 2, 1.5, 1.2])
plt.title("loss")
```

Q: 어텐션은 왜 병렬로 계산되나요?
A: 모든 위치를 한 번의 행렬 곱으로 본다.
"""

DAYS = """\
Week 2 (3/11 ~ 3/12)
===

Day 6 (3/11)
---
RNN의 hidden state를 정리했다.

키워드: RNN, Hidden State

Q: hidden state는 어디에 저장되나요?
A: 다음 시점의 입력으로 넘어간다.

Day 7 (3/12)
---
LSTM의 게이트를 정리했다.

키워드: LSTM
"""

PAGES = {
    "home": "",
    "week": "weeks/week-01/",
    "log": "logs/2024/week01/2024-03-06-context/",
    "log-multiday": "logs/2024/week02/week02-days06-07/",
    "notebook": "logs/2024/week02/2024-03-13-notebook/",
    "keywords": "keywords/",
    "qa": "qa/",
    "report": "report/",
}


def notebook() -> str:
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {
                "kernelspec": {"name": "python3", "language": "python"},
                "studylog": {"date": "2024-03-13", "keywords": ["Attention"]},
            },
            "cells": [
                {"cell_type": "markdown", "metadata": {}, "source": "# 과제: 어텐션 점수"},
                {
                    "cell_type": "code",
                    "metadata": {},
                    "execution_count": None,
                    "outputs": [],
                    "source": "scores = [0.1, 0.7, 0.2]\nprint(max(scores))",
                },
            ],
        }
    )


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


@pytest.fixture(scope="module")
def init_site(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = tmp_path_factory.mktemp("browser-init") / "my-log"
    assert main(["init", str(project), "--course-start", "2024-03-04"]) == 0
    logs = project / "logs" / "2024"
    write(
        logs / "week01" / "2024-03-05-mlp.md",
        DAY.format(
            title="MLP 복습",
            date="2024-03-05",
            keywords="MLP, Backpropagation",
            body="Q: 역전파는 왜 필요한가요?\nA: 기울기를 구하려고.\n",
        ),
    )
    write(
        logs / "week01" / "2024-03-06-context.md",
        DAY.format(title="어텐션 정리", date="2024-03-06", keywords="Attention", body=CONTEXT),
    )
    write(logs / "week02" / "week02-days06-07.md", "---\nyear: 2024\n---\n" + DAYS)
    write(logs / "week02" / "2024-03-13-notebook.ipynb", notebook())
    url, server = serve(project / "site")
    config = project / "mkdocs.yml"
    config.write_text(f"site_url: {url}\n" + config.read_text("utf-8"), "utf-8")
    assert "\n  - search\n" in config.read_text("utf-8")  # no separator of its own
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    yield url
    server.shutdown()


@pytest.mark.parametrize("query", ["맥락", "맥락을", "맥락이"])
def test_words_with_punctuation_stuck_to_them_are_found(
    open_page: Any, init_site: str, query: str
) -> None:
    box = SearchBox(open_page(init_site), init_site)
    assert PAGES["log"] in box.pages(query)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_kind_photographed(
    open_page: Any, init_site: str, artifacts: Path, name: str, width: int
) -> None:
    page = open_page(init_site + PAGES[name], width)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts / f"init-{name}-{width}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} at {width} px is {overflow} px wider than the screen"
