"""One site, built with ``mkdocs build --strict`` and tested with ``pytest``: both give one
verdict, and neither the pages nor the cache hold a path of the machine that ran them.

The site's logs fail in the ways a learner's do: a shape error deep inside torch, an
error from the standard library, a block marked ``errors="allow"`` that stopped raising,
a misspelled fence option, a notebook cell that raises. One build and one pytest run
serve every test here.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import MkdocsBuild

# A strict build and a pytest run of one site with every fault: end to end.
pytestmark = pytest.mark.slow

MKDOCS_YML = """\
site_name: verdicts
theme:
  name: material
plugins:
  - search
  - studylog:
      logs_dir: logs
"""

PYTEST_INI = """\
[pytest]
testpaths = logs
studylog_logs = logs
"""

LOG = """\
---
title: Errors a learner meets
date: 2024-03-05
---
# Errors a learner meets

```python exec="on"
import torch
layer = torch.nn.Linear(4, 2)
print(layer(torch.ones(3, 5)))
```

```python exec="on" session="decode"
import json
json.loads("{")
```

```python exec="on" session="shown" errors="allow"
import traceback
traceback.print_stack()
torch = __import__("torch")
torch.nn.Linear(4, 2)(torch.ones(3, 5))
```

```python exec="on" session="vanished" errors="allow"
print("nothing goes wrong any more")
```

```python exec="on" session="fine"
print("fine")
```

```python exec="on" session="typo" timeot="5"
print("never runs")
```
"""


def notebook() -> str:
    def cell(kind: str, source: str) -> dict[str, object]:
        out: dict[str, object] = {"cell_type": kind, "metadata": {}, "source": source}
        if kind == "code":
            out.update(execution_count=None, outputs=[])
        return out

    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
            "cells": [
                cell("markdown", "# A notebook\n\nKeywords: Tensor"),
                cell("code", "x = [1, 2]"),
                cell("markdown", "Then it breaks."),
                cell("code", "print(x)\nx[5]"),
            ],
        }
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, mkdocs_build: MkdocsBuild) -> dict[str, object]:
    project = tmp_path_factory.mktemp("verdicts")
    (project / "mkdocs.yml").write_text(MKDOCS_YML, "utf-8")
    (project / "pytest.ini").write_text(PYTEST_INI, "utf-8")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Verdicts\n", "utf-8")
    (project / "logs").mkdir()
    (project / "logs" / "2024-03-05-errors.md").write_text(LOG, "utf-8")
    (project / "logs" / "2024-03-06-nb.ipynb").write_text(notebook(), "utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = mkdocs_build(project, "--strict", ok=None)
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rf"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return {"project": project, "build": build, "tests": tests}


def failed_items(output: str) -> set[str]:
    return set(re.findall(r"^FAILED (\S+::\S+)", output, re.M))


def test_strict_fails_on_every_session_pytest_fails(site: dict[str, object]) -> None:
    build, tests = site["build"], site["tests"]
    assert isinstance(build, subprocess.CompletedProcess)
    assert isinstance(tests, subprocess.CompletedProcess)
    assert build.returncode == 1 and tests.returncode == 1
    failed = failed_items(tests.stdout)
    assert failed == {
        "logs/2024-03-05-errors.md::default",
        "logs/2024-03-05-errors.md::decode",
        "logs/2024-03-05-errors.md::vanished",
        "logs/2024-03-05-errors.md::typo",
        "logs/2024-03-06-nb.ipynb::notebook",
    }
    warnings = [line for line in build.stderr.splitlines() if line.startswith("WARNING")]
    said = "\n".join(warnings)
    # Each failed test's place is a warning of the strict build (so it does not deploy).
    for where in (
        "logs/2024-03-05-errors.md:10: snippet raised an error",
        "logs/2024-03-05-errors.md:15: snippet raised an error",
        'logs/2024-03-05-errors.md:25: block marked errors="allow" ran without an error',
        "logs/2024-03-05-errors.md:33: unknown option timeot='5'",
        "logs/2024-03-06-nb.ipynb, cell 4, line 2: snippet raised an error",
    ):
        assert where in said, where


def test_a_misspelled_fence_option_is_said_with_the_right_name(site: dict[str, object]) -> None:
    build, tests = site["build"], site["tests"]
    assert isinstance(build, subprocess.CompletedProcess)
    assert isinstance(tests, subprocess.CompletedProcess)
    for output in (build.stderr, tests.stdout):
        assert "logs/2024-03-05-errors.md:33: unknown option timeot='5'" in output
        assert "(did you mean 'timeout'? known options:" in output


def test_pytest_says_each_error_once_and_names_the_notebook_prompt(
    site: dict[str, object],
) -> None:
    tests = site["tests"]
    assert isinstance(tests, subprocess.CompletedProcess)
    parts = re.split(r"^_{3,} studylog session (\S+) _{3,}$", tests.stdout, flags=re.M)
    # Each failure's own text: the last one ends where pytest's summaries begin (under CI,
    # pytest does not shorten the summary's lines, which then repeat each headline).
    sections = {
        name: re.split(r"^[-=]{10,} ", text, maxsplit=1, flags=re.M)[0]
        for name, text in zip(parts[1::2], parts[2::2], strict=True)
    }
    torch_error = sections["logs/2024-03-05-errors.md::default"]
    assert torch_error.count("mat1 and mat2 shapes cannot be multiplied") == 1
    assert re.search(r"\[\d+ frames? inside torch not shown\]", torch_error)
    assert "site-packages" not in torch_error
    notebook = sections["logs/2024-03-06-nb.ipynb::notebook"]
    assert 'File "logs/2024-03-06-nb.ipynb, In [2]", line 2, in <module>' in notebook
    assert notebook.count("IndexError: list index out of range") == 1


def test_no_path_of_this_machine_in_the_pages_or_the_cache(site: dict[str, object]) -> None:
    project = site["project"]
    assert isinstance(project, Path)
    machine = {
        sys.prefix,
        sys.base_prefix,
        os.path.expanduser("~") + "/",
        str(Path(__file__).resolve().parents[1]),  # studylog's own source
        str(project),
    }
    files = sorted((project / ".studylog-cache").glob("*.json"))
    files += sorted((project / "site").rglob("*.html"))
    entries = "".join(p.read_text("utf-8") for p in files if p.suffix == ".json")
    assert '"error-allowed"' in entries  # the expected error is stored, with its traceback
    for path in files:
        text = path.read_text("utf-8")
        for where in machine:
            assert where not in text, f"{path.name} holds {where}"
        assert "site-packages" not in text, path.name
    page = html.unescape(
        (project / "site" / "logs" / "2024-03-05-errors" / "index.html").read_text("utf-8")
    )
    assert re.search(r"\[\d+ frames? inside torch not shown\]", page)
    assert 'File "torch/nn/modules/linear.py"' in page  # in the whole traceback, folded
    assert 'File "json/decoder.py"' in page
    assert 'File "studylog/execute/cell.py"' in page  # traceback.print_stack() on stderr
    notebook = (project / "site" / "logs" / "2024-03-06-nb" / "index.html").read_text("utf-8")
    assert 'File "logs/2024-03-06-nb.ipynb, In [2]", line 2' in html.unescape(notebook)
