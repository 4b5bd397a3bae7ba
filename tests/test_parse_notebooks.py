"""Notebook logs are read with the rules of a Markdown log, and every problem names its cell."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from pathlib import Path

import pytest

from notebooks import code, display, md, notebook, raw, stream, text
from studylog.model import Log
from studylog.parse import ParserConfig, discover, parse_file, parse_text
from studylog.parse.files import parser
from studylog.parse.notebook_json import OUTPUT_BUDGET

BODY = """\
# [Week 02 / Day 08] 어텐션 과제

Keywords: Attention, Softmax

- [x] 스케일링 구현
- [ ] 마스크 구현

Q: 왜 sqrt(d_k)로 나누나요?
A: 내적의 분산이 커지지 않게.

Q. 마스크는 어디에 더하나요?
"""


def parse_nb(path: str, data: str | bytes, **config: object) -> Log:
    raw_bytes = data.encode("utf-8") if isinstance(data, str) else data
    return parser(ParserConfig(**config))(path, raw_bytes)  # type: ignore[arg-type]


def facts(log: Log) -> dict[str, object]:
    return {
        "title": log.title,
        "date": log.date,
        "week": log.week,
        "day": log.day,
        "kind": log.kind,
        "keywords": log.keywords,
        "questions": log.questions,
        "answers": log.answers,
        "tasks": (log.tasks_done, log.tasks_open),
        "tags": log.tags,
    }


def test_markdown_cells_are_read_with_the_markdown_rules() -> None:
    """The same text as a Markdown log and as a notebook (front matter in a first raw cell,
    the body split over cells, code between them) gives the same facts."""
    front = "---\ndate: 2024-03-13\ntags: [week02]\n---\n"
    markdown = parse_text(front + BODY + "\n```python\nprint(1)\n```\n", "logs/a.md")
    head, tail = BODY.split("- [x]")
    nb = parse_nb("logs/a.ipynb", text(raw(front), md(head), code("print(1)"), md("- [x]" + tail)))
    assert facts(nb) == facts(markdown)
    assert facts(nb)["keywords"] == ("Attention", "Softmax")
    assert (nb.questions, nb.answers, nb.day, nb.week) == (2, 1, 8, 2)
    assert nb.problems == ()


@pytest.mark.parametrize(
    ("name", "cells", "metadata"),
    [
        (
            "raw cell (Quarto, Jupyter Book)",
            [raw("---\ntitle: T\ndate: 2024-03-05\nkeywords: [MLP]\n---\n")],
            {},
        ),
        ("markdown cell", [md("---\ntitle: T\ndate: 2024-03-05\nkeywords: [MLP]\n---")], {}),
        (
            "studylog metadata",
            [],
            {"studylog": {"title": "T", "date": "2024-03-05", "keywords": ["MLP"]}},
        ),
        ("notebook metadata keys", [], {"title": "T", "date": "2024-03-05", "keywords": ["MLP"]}),
    ],
)
def test_front_matter_forms(name: str, cells: list[dict], metadata: dict) -> None:
    log = parse_nb("logs/x.ipynb", text(*cells, md("body"), **metadata))
    assert (log.title, log.date, log.keywords) == ("T", dt.date(2024, 3, 5), ("MLP",)), name
    assert log.problems == ()
    assert "---" not in log.body  # a front-matter cell is not shown as text


def test_front_matter_cell_wins_over_studylog_metadata_over_notebook_metadata() -> None:
    log = parse_nb(
        "logs/x.ipynb",
        text(
            raw("---\ntitle: from the cell\n---"),
            md("body"),
            title="from the notebook",
            date="2024-01-01",
            week=7,
            studylog={"title": "from studylog", "date": "2024-03-05"},
        ),
    )
    assert (log.title, log.date, log.week) == ("from the cell", dt.date(2024, 3, 5), 7)


def test_file_name_date_and_course_week_work_as_for_markdown() -> None:
    log = parse_nb("logs/2024-03-12-mlp.ipynb", text(md("# MLP")), course_start=dt.date(2024, 3, 4))
    assert (log.date, log.week, log.title) == (dt.date(2024, 3, 12), 2, "MLP")


def test_code_cells_are_one_session_with_tags_and_requires() -> None:
    log = parse_nb(
        "logs/2024-03-05-x.ipynb",
        text(
            md("# T"),
            code("x = 1"),
            code("1 / 0", tags=("raises-exception",)),
            code("while True: pass", tags=("skip-execution",)),
            code(""),
            code("%matplotlib inline\nimport math\n  !ls\nprint(x)"),
            studylog={"requires": "cuda"},
        ),
    )
    assert [(s.cell, s.line, s.session) for s in log.snippets] == [
        (2, 2, "notebook"),
        (3, 3, "notebook"),
        (6, 6, "notebook"),
    ]
    first, raises, magics = log.snippets
    assert not first.options.errors_allowed and raises.options.errors_allowed
    assert all(s.options.requires_cuda for s in log.snippets)
    assert first.source_name == "logs/2024-03-05-x.ipynb, cell 2" and first.code_line == 1
    # Magics and shell lines are not Python: left out, same line numbers, same indentation.
    assert magics.code.rstrip("\n").split("\n") == [
        "pass  # not run: %matplotlib inline",
        "import math",
        "  pass  # not run: !ls",
        "print(x)",
    ]
    (problem,) = log.problems  # %matplotlib is what studylog does anyway: no warning for it
    assert (problem.cell, problem.line, problem.kind) == (6, 3, "warning")
    assert str(problem).startswith("logs/2024-03-05-x.ipynb, cell 6, line 3: `!ls` is IPython")
    cells = {c.number: c for c in log.notebook.cells} if log.notebook else {}
    assert [n for n, c in cells.items() if c.runs] == [2, 3, 6]


def test_a_notebook_of_another_language_is_shown_not_run() -> None:
    log = parse_nb(
        "logs/r.ipynb",
        text(md("# R"), code("print(1)"), kernelspec={"language": "R", "name": "ir"}),
    )
    assert log.snippets == () and log.problems[0].message == "the log has no date"
    assert log.notebook is not None and log.notebook.language == "r"


def test_problems_name_the_cell_and_the_line_in_it() -> None:
    log = parse_nb(
        "logs/x.ipynb",
        text(
            raw("---\ndate: 2024-03-05\nquestions: three\n---"),
            md('# T\n\n```python exec="on" wrong="1"\nprint(1)\n```'),
            studylog={"answers": -1},
        ),
    )
    found = {(p.cell, p.line, p.message.split(";")[0]) for p in log.problems}
    assert (1, 3, "`questions` must be a whole number, not 'three'") in found
    assert (None, 1, "in the notebook's metadata: `answers` can't be negative (-1)") in found
    assert (2, 3, "unknown option wrong='1' on an executable block") in found
    # A fence in a Markdown cell is shown as code, never run: only code cells run.
    assert log.snippets == ()


BIG_IMAGE = base64.b64encode(os.urandom(3_000_000)).decode("ascii")  # 4 MB of base64


@pytest.mark.parametrize(
    ("name", "data", "cell", "kind", "message"),
    [
        (
            "invalid JSON",
            b'{"cells": [\n  {"cell_type": "markdown",,\n',
            None,
            "error",
            "not a notebook: invalid JSON",
        ),
        ("empty file", b"", None, "error", "not a notebook: the file is empty"),
        ("not UTF-8", b'{"cells": "\xff"}', None, "error", "not a notebook: not valid UTF-8"),
        ("a JSON list", b"[1, 2]", None, "error", "not a notebook: the JSON is not an object"),
        (
            "missing cells",
            json.dumps({"nbformat": 4, "metadata": {}}).encode(),
            None,
            "error",
            "not a notebook: there is no `cells` list",
        ),
        (
            "nbformat 2",
            json.dumps({"nbformat": 2, "worksheets": []}).encode(),
            None,
            "error",
            "nbformat 2 notebooks cannot be read",
        ),
        (
            "nbformat 3",
            json.dumps(
                {
                    "nbformat": 3,
                    "nbformat_minor": 0,
                    "metadata": {"name": ""},
                    "worksheets": [
                        {
                            "cells": [
                                {
                                    "cell_type": "markdown",
                                    "metadata": {},
                                    "source": ["# Old MLP notes"],
                                },
                                {
                                    "cell_type": "code",
                                    "language": "python",
                                    "collapsed": False,
                                    "input": ["print(1)"],
                                    "metadata": {},
                                    "outputs": [],
                                    "prompt_number": 1,
                                },
                            ],
                            "metadata": {},
                        }
                    ],
                }
            ).encode(),
            None,
            "warning",
            "nbformat 3 notebook: read after converting it to nbformat 4",
        ),
        ("no cells", text().encode(), None, "warning", "the notebook is empty"),
        (
            "not a cell",
            text(md("# T"), {"cell_type": "widget"}).encode(),
            2,
            "warning",
            "not a notebook cell (cell_type 'widget'); it is left out",
        ),
        (
            "outputs too large",
            text(
                md("# T"),
                code("show()", outputs=[display({"image/png": BIG_IMAGE}) for _ in range(3)]),
            ).encode(),
            2,
            "warning",
            "stored outputs too large for a page",
        ),
    ],
)
def test_bad_notebooks_give_one_problem_with_path_and_cell(
    name: str, data: bytes, cell: int | None, kind: str, message: str
) -> None:
    log = parse_nb("logs/2024-03-05-bad.ipynb", data)
    (problem,) = log.problems
    assert (problem.path, problem.cell, problem.kind) == (
        "logs/2024-03-05-bad.ipynb",
        cell,
        kind,
    ), name
    assert problem.message.startswith(message), problem
    assert str(problem).startswith(
        "logs/2024-03-05-bad.ipynb" + (f", cell {cell}, line " if cell else ":")
    )


def test_an_nbformat_3_notebook_is_converted_not_lost() -> None:
    data = json.dumps(
        {
            "nbformat": 3,
            "nbformat_minor": 0,
            "metadata": {},
            "worksheets": [
                {
                    "cells": [
                        {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["Old MLP"]},
                        {
                            "cell_type": "code",
                            "input": ["print(1)"],
                            "metadata": {},
                            "outputs": [],
                            "language": "python",
                        },
                    ],
                    "metadata": {},
                }
            ],
        }
    )
    log = parse_nb("logs/2024-03-05-old.ipynb", data)
    assert log.title == "Old MLP" and [s.cell for s in log.snippets] == [2]


def test_a_fifty_megabyte_notebook_is_one_warning_and_a_small_log(tmp_path: Path) -> None:
    """Embedded images past the page budget are left out of the log (and so of the page)."""
    path = tmp_path / "2024-03-05-big.ipynb"
    cells = [
        md("# Big"),
        *(code(f"plot({n})", outputs=[display({"image/png": BIG_IMAGE})]) for n in range(13)),
    ]
    path.write_text(json.dumps(notebook(*cells)), encoding="utf-8")
    assert path.stat().st_size > 50_000_000
    log = parse_file(path, root=tmp_path)
    (problem,) = log.problems
    assert (problem.cell, problem.kind) == (3, "warning")
    assert "too large for a page (48.0 MB in cells 3, 4, 5," in problem.message
    assert log.notebook is not None
    kept = sum(len(v) for c in log.notebook.cells for o in c.outputs for _, v in o.data)
    assert kept == len(BIG_IMAGE) <= OUTPUT_BUDGET  # the first image; the rest left out
    assert len(log.snippets) == 13


def test_stored_outputs_are_kept_for_the_page() -> None:
    log = parse_nb(
        "logs/x.ipynb",
        text(
            code(
                "print(1)",
                count=3,
                outputs=[
                    stream(["1\n"]),
                    display({"text/plain": ["<Figure>"], "image/png": "iVBORw0K"}),
                ],
            )
        ),
    )
    assert log.notebook is not None
    (cell,) = log.notebook.cells
    assert cell.execution_count == 3
    assert [(o.kind, o.text, o.data) for o in cell.outputs] == [
        ("stream", "1\n", ()),
        ("display_data", "", (("text/plain", "<Figure>"), ("image/png", "iVBORw0K"))),
    ]


def test_notebooks_are_discovered_beside_markdown_logs(tmp_path: Path) -> None:
    for name in ("a.md", "b.ipynb", "c.txt", ".ipynb_checkpoints/b-checkpoint.ipynb"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert [p.name for p in discover([tmp_path])] == ["a.md", "b.ipynb"]


def test_a_notebook_that_requires_cuda_is_one_gpu_session(tmp_path: Path) -> None:
    """``requires: cuda`` makes the notebook's session a GPU session: without a GPU (and
    no stored output) it is unavailable, settled without starting a worker."""
    from studylog.execute import collect_sessions, run
    from studylog.execute.device import gpu_count

    log = parse_nb(
        "logs/2024-03-05-gpu.ipynb",
        text(raw("---\nrequires: cuda\n---"), code("import torch"), code("print(torch.ones(1))")),
    )
    (session,), problems = collect_sessions([log], project_root=tmp_path)
    assert problems == [] and session.requires_cuda and session.name == "notebook"
    assert [(b.line, b.filename, b.first_line) for b in session.blocks] == [
        (2, "logs/2024-03-05-gpu.ipynb, cell 2", 1),
        (3, "logs/2024-03-05-gpu.ipynb, cell 3", 1),
    ]
    if gpu_count() == 0:
        (result,) = run([session], project_root=tmp_path)
        assert result.status == "unavailable" and "needs a GPU" in result.message
