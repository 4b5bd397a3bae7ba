"""``studylog init [DIR]``: start a new study-log site.

Writes a working project: ``mkdocs.yml`` (Material, search, tags, studylog), one
example log in ``logs/`` with a runnable snippet from ``snippets/``, a home page, the
two GitHub Actions workflows (test; build and publish to Pages), a pytest
configuration that runs every snippet, and a README with the two commands. Nothing
is overwritten: if any of these files exists, nothing is written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from studylog.cli import new as new_log
from studylog.cli import source
from studylog.cli.new import render as render_log
from studylog.cli.source import Requirement
from studylog.settings import DEFAULTS

MKDOCS_YML = """\
site_name: {name}
# Set this to your site's address (https://<user>.github.io/<repository>/) before publishing.
# site_url: https://example.github.io/my-study-log/
docs_dir: docs

theme:
  name: material
  language: ko
  features:
    - navigation.instant
    - navigation.tracking
    - navigation.prune
    - navigation.top
    - search.highlight
    - search.suggest
    - content.code.copy
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle:
        icon: material/brightness-7
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle:
        icon: material/brightness-4
        name: Switch to light mode

plugins:
  # studylog gives search what Korean needs: words cut at punctuation (its separator)
  # and found with another particle or ending (docs: "Korean search").
  - search
  - tags
  - studylog:
      logs_dir: @LOGS@
      {course_line}
      cache_dir: @CACHE@  # git-ignored; the workflows carry it between runs

markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.inlinehilite
  - pymdownx.superfences
  - pymdownx.tasklist:
      custom_checkbox: true

extra_javascript:
  # Math ($...$) is typeset in the browser by MathJax, loaded from its CDN.
  - javascripts/mathjax.js
  - https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js
"""

MATHJAX_JS = """\
// MathJax for pymdownx.arithmatex (generic mode), typeset again after every
// instant-navigation page change (Material's document$ observable).
window.MathJax = {
  tex: {inlineMath: [["\\\\(", "\\\\)"]], displayMath: [["\\\\[", "\\\\]"]],
        processEscapes: true, processEnvironments: true},
  options: {ignoreHtmlClass: ".*|", processHtmlClass: "arithmatex"}
};
document$.subscribe(() => {
  if (window.MathJax && MathJax.startup && MathJax.typesetPromise) {
    MathJax.startup.output.clearCache();
    MathJax.typesetClear();
    MathJax.texReset();
    MathJax.typesetPromise();
  }
});
"""

INDEX_MD = """\
# {name}

My study log: a page per day, weeks, a keyword index and question/answer statistics.
The code in the logs runs when the site is built; what it prints is on the pages.

<!-- studylog:dashboard -->
"""

SNIPPET_PY = """\
# A snippet file: logs include it with file="snippets/first_steps.py", and pytest runs it.
import torch

x = torch.arange(6.0, device=DEVICE).reshape(2, 3)
print("x =", x.tolist())
print("column sums:", x.sum(dim=0).tolist())
"""

EXAMPLE_BODY = """
## 오늘 배운 것

텐서를 만들고 모양을 바꿔 보았다. 아래 코드는 사이트를 빌드할 때 실제로 실행되고,
출력이 이 자리에 들어간다.

```python exec="on" file="snippets/first_steps.py"
```

키워드: Tensor, PyTorch

## 질문과 답변

Q: `reshape`와 `view`는 무엇이 다른가요?
A: `view`는 메모리가 연속일 때만 되고, `reshape`는 필요하면 복사한다.

## 할 일

- [x] 개발 환경 만들기
- [ ] 다음 강의 미리 보기
"""

PYTEST_INI = """\
# python -m pytest runs every executable snippet of the logs and every file in snippets/.
# The cache folder and the timeout come from the studylog options in mkdocs.yml.
[pytest]
testpaths = @LOGS@ @SNIPPETS@
studylog_logs = @LOGS@
studylog_snippets = @SNIPPETS@
"""

REQUIREMENTS = """\
# The site's tools. On Linux without an NVIDIA GPU, install the CPU build of torch first
# (a few hundred MB instead of several GB):
#   pip install torch --index-url https://download.pytorch.org/whl/cpu
# studylog, from where it was installed when this site was made:
"""

GITIGNORE = """\
/site/
__pycache__/
.pytest_cache/
# The snippet cache: the workflows carry it between runs. To publish outputs that GitHub's
# runners cannot make (sessions that need a GPU), commit it: delete the next line, and run
# `studylog cache prune` before each commit so only the entries the logs use are kept.
/@CACHE@/
"""

README = """\
# {name}

A study log published as a website with studylog:
daily and weekly logs in `logs/`, runnable snippets in `snippets/`, outputs made when the
site is built.

Write a log, then see the site as you edit (<http://127.0.0.1:8000>):

```bash
pip install -r requirements.txt && mkdocs serve
```

Run every snippet of the logs as a test:

```bash
python -m pytest
```

`studylog new` starts today's log (in its week once `course_start` is set in `mkdocs.yml`;
the example log in `logs/` is dated {example_date}: move it into your course or delete it);
`studylog check` lists problems in the logs with their line numbers. Material for MkDocs
prints an end-of-life notice on each `mkdocs` command; `export NO_MKDOCS_2_WARNING=1`
silences it (the workflows set it).

Publishing: push to GitHub, set **Settings → Pages → Source** to **GitHub Actions** and
`site_url` in `mkdocs.yml`; `.github/workflows/pages.yml` builds with
`mkdocs build --strict` and publishes on every push to `main`, `ci.yml` tests each push and
pull request. Both install what `requirements.txt` names: check that its `studylog` line
is a place GitHub's runners can fetch (a Git URL), not a folder on your machine.

The snippet cache (`{cache}/`) is not committed: the workflows keep it between runs with
`actions/cache`, so only changed snippets run again. To publish outputs that only your
machine can make (a GPU), delete its line from `.gitignore`, run `studylog cache prune`
(which keeps only the entries the logs use) and commit it.
"""

CI_YML = """\
# Test every push and pull request: check the logs, run every snippet, build strictly.
name: CI

on:
  push:
    branches: [main]
  pull_request:
  workflow_dispatch:

permissions:
  contents: read

env:
  PYTHON_VERSION: "3.11"
  NO_MKDOCS_2_WARNING: "1"  # Material's end-of-life notice

jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 45
    steps:
@SETUP_STEPS@
      - run: studylog check
      - run: python -m pytest
      - run: mkdocs build --strict
      - name: Keep only the cache entries the logs use (the cache is saved after this)
        if: always()
        run: studylog cache prune
"""

PAGES_YML = """\
# Build the site with every snippet executed and publish it with GitHub Pages
# (Settings -> Pages -> Source: GitHub Actions).
name: Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

env:
  PYTHON_VERSION: "3.11"
  NO_MKDOCS_2_WARNING: "1"  # Material's end-of-life notice

jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 45
    steps:
@SETUP_STEPS@
      - uses: actions/configure-pages@v6
      - name: Build the site (a failing snippet or a broken log stops the deployment)
        run: mkdocs build --strict --site-dir site
      - name: Keep only the cache entries the logs use (the cache is saved after this)
        if: always()
        run: studylog cache prune
      - uses: actions/upload-pages-artifact@v4
        with:
          path: site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v5
"""


# The steps both workflows start with: Python, torch's CPU build, the site's tools, and the
# snippet cache carried between runs.
SETUP_STEPS = """\
      - uses: actions/checkout@v5
      - uses: actions/setup-python@v6
        with:
          python-version: ${{ env.PYTHON_VERSION }}
          cache: pip
      - name: Install torch (CPU build) and studylog
        run: |
          python -m pip install torch --index-url https://download.pytorch.org/whl/cpu
          python -m pip install -r requirements.txt
      - name: Restore the snippet cache
        uses: actions/cache@v5
        with:
          path: @CACHE@
          key: studylog-${{ runner.os }}-${{ hashFiles('@LOGS@/**', '@SNIPPETS@/**') }}
          restore-keys: studylog-${{ runner.os }}-"""


def _fill(text: str) -> str:
    """A template with studylog's own defaults (one owner: studylog.settings) put in."""
    for token, value in (
        ("@SETUP_STEPS@", SETUP_STEPS),
        ("@LOGS@", DEFAULTS.logs_dir),
        ("@SNIPPETS@", DEFAULTS.snippets_dir),
        ("@CACHE@", DEFAULTS.cache_dir),
    ):
        text = text.replace(token, value)
    return text


def files(
    name: str,
    today: dt.date,
    course_start: dt.date | None = None,
    requirement: Requirement | None = None,
) -> dict[str, str]:
    """Every file of a new site, by path relative to its folder.

    The example log is dated inside the course: on its first day when ``course_start``
    is given (then set in mkdocs.yml), else today."""
    day = course_start or today
    week = 1 if course_start is not None else None
    title = f"{day.isoformat()} 첫 학습 기록"
    log = render_log(day, title=title, week=week)
    head, _, _ = log.partition("\n# ")
    example = head + f"\n# {title}\n" + EXAMPLE_BODY
    folder = f"{DEFAULTS.logs_dir}/{day.year:04d}" + (f"/week{week:02d}" if week else "")
    course_line = (
        f"course_start: {course_start.isoformat()}  # the first day of the course: week 1"
        if course_start is not None
        else f"# course_start: {today.isoformat()}   # the first day of your course, "
        "to number the weeks"
    )
    requirement = requirement or source.requirement()
    return {
        "mkdocs.yml": _fill(
            MKDOCS_YML.format(name=json.dumps(name, ensure_ascii=False), course_line=course_line)
        ),
        "docs/index.md": INDEX_MD.format(name=name),
        "docs/javascripts/mathjax.js": MATHJAX_JS,
        f"{folder}/{day.isoformat()}-first-log.md": example,
        f"{DEFAULTS.snippets_dir}/first_steps.py": SNIPPET_PY,
        "pytest.ini": _fill(PYTEST_INI),
        "requirements.txt": REQUIREMENTS + requirement.text(),
        ".gitignore": _fill(GITIGNORE),
        "README.md": README.format(
            name=name, example_date=day.isoformat(), cache=DEFAULTS.cache_dir
        ),
        ".github/workflows/ci.yml": _fill(CI_YML),
        ".github/workflows/pages.yml": _fill(PAGES_YML),
    }


def register(subparsers: Any) -> None:
    """Add ``init`` and its options to the command line."""
    parser = subparsers.add_parser(
        "init",
        help="start a new study-log site in DIR",
        description="Write a new study-log site (mkdocs.yml, an example log, workflows, "
        "README) into DIR; refuses to overwrite any file.",
    )
    parser.add_argument("dir", nargs="?", default=".", help="folder of the new site (default: .)")
    parser.add_argument("--name", default=None, help="site name (default: 'Study log')")
    parser.add_argument(
        "--course-start",
        type=new_log.parse_date,
        default=None,
        help="first day of the course, YYYY-MM-DD: set as course_start, and the example "
        "log is dated on it (default: no course start; the example is dated today)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write a new site into the folder given, refusing to overwrite; the exit status."""
    root = Path(args.dir)
    name = " ".join((args.name or "Study log").split())
    requirement = source.requirement()
    plan = files(name, dt.date.today(), args.course_start, requirement)
    existing = [path for path in plan if (root / path).exists()]
    if existing:
        print(
            f"error: {root.as_posix()} already has {', '.join(existing)}; not overwriting "
            "anything (choose an empty folder: studylog init NEW-FOLDER)",
            file=sys.stderr,
        )
        return 1
    try:
        for path, text in plan.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    except OSError as exc:
        print(f"error: cannot write into {root.as_posix()}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    where = root.as_posix()
    print(f"Created a study-log site in {where}:")
    for path in plan:
        print(f"  {path}")
    if requirement.local:
        print(
            f"Note: requirements.txt installs studylog from a folder on this machine "
            f"({requirement.line.split()[-1]}); the workflows on GitHub cannot. Point it at a "
            "Git URL before pushing (the file says how)."
        )
    step = "" if where == "." else f"cd {where} && "
    print(f"Next: {step}mkdocs serve   (or: studylog new, to start today's log)")
    return 0
