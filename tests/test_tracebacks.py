"""Tracebacks as pages, cache entries and pytest show them: no machine paths, torch folded."""

from __future__ import annotations

import pytest

from studylog.execute import frames
from studylog.execute.results import Block, BlockResult, Session, SessionResult
from studylog.model import BlockOptions
from studylog.render.outputs import render_block
from studylog.verdicts import judge

VENV = "/home/learner/venvs/dl/lib/python3.11/site-packages"
RAW = f"""Traceback (most recent call last):
  File "logs/2024/day03.md", line 12, in <module>
    out = model(x)
          ^^^^^^^^
  File "{VENV}/torch/nn/modules/module.py", line 1773, in _wrapped_call_impl
    return self._call_impl(*args, **kwargs)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "{VENV}/torch/nn/modules/module.py", line 1784, in _call_impl
    return forward_call(*args, **kwargs)
  File "{VENV}/torch/nn/modules/linear.py", line 125, in forward
    return F.linear(input, self.weight, self.bias)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
RuntimeError: mat1 and mat2 shapes cannot be multiplied (3x5 and 4x2)
"""


def test_library_frames_are_named_by_their_package_and_home_is_hidden(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOME", "/home/learner")
    text = frames.shorten(
        RAW + '  File "/home/learner/notes/helper.py", line 3\n',
        frames.roots([VENV, "/tmp/studylog-session-x"]),
    )
    assert text is not None
    assert 'File "torch/nn/modules/linear.py", line 125, in forward' in text
    assert VENV not in text and "/home/learner" not in text
    assert 'File "~/notes/helper.py"' in text  # outside every import folder: home as ~


def test_torch_frames_fold_into_one_line_and_the_rest_stays() -> None:
    shown, folded = frames.fold(frames.shorten(RAW, [VENV]) or "")
    assert folded == 3
    assert shown.splitlines() == [
        "Traceback (most recent call last):",
        '  File "logs/2024/day03.md", line 12, in <module>',
        "    out = model(x)",
        "          ^^^^^^^^",
        "  [3 frames inside torch not shown]",
        "RuntimeError: mat1 and mat2 shapes cannot be multiplied (3x5 and 4x2)",
    ]
    assert frames.fold("ValueError: x") == ("ValueError: x", 0)


def test_notebook_cells_are_named_by_their_prompt() -> None:
    text = 'File "logs/a.ipynb, cell 9", line 2, in <module>\nFile "logs/b.ipynb, cell 9"'
    assert frames.with_prompts(text, "logs/a.ipynb", {9: 4, 3: 1}) == (
        'File "logs/a.ipynb, In [4]", line 2, in <module>\nFile "logs/b.ipynb, cell 9"'
    )


def test_the_page_folds_torch_and_keeps_the_whole_traceback_one_click_away() -> None:
    error = frames.shorten(RAW, [VENV])
    block = BlockResult(line=10, status="failed", error=error)
    html = render_block(block, SessionResult("logs/2024/day03.md", "s", "failed", 0.1, "cpu"), str)
    folded, whole = html.split("<details", 1)
    assert "[3 frames inside torch not shown]" in folded and "linear.py" not in folded
    assert "The whole traceback (3 frames inside torch)" in whole
    assert "torch/nn/modules/linear.py" in whole


def _session(log: str, lines: tuple[int, ...]) -> Session:
    blocks = tuple(
        Block(path=log, line=n, code="x", filename=log, first_line=1, options=BlockOptions())
        for n in lines
    )
    return Session(log=log, name="s", blocks=blocks, timeout=5)


def test_pytest_says_the_error_line_once_and_names_notebook_prompts() -> None:
    error = frames.shorten(RAW, [VENV])
    result = SessionResult(
        "logs/2024/day03.md",
        "s",
        "failed",
        0.1,
        "cpu",
        blocks=(BlockResult(line=10, status="failed", error=error),),
    )
    (failure,) = judge(_session("logs/2024/day03.md", (10,)), result).failures
    assert failure.count("mat1 and mat2 shapes cannot be multiplied") == 1
    assert failure.startswith("logs/2024/day03.md:12: block raised an error: RuntimeError")
    assert "[3 frames inside torch not shown]" in failure
    (full,) = judge(_session("logs/2024/day03.md", (10,)), result, full=True).failures
    assert "torch/nn/modules/linear.py" in full

    notebook = "logs/a.ipynb"
    error = 'Traceback (most recent call last):\n  File "logs/a.ipynb, cell 6", line 2\nE: x'
    result = SessionResult(
        notebook,
        "notebook",
        "failed",
        0.1,
        "cpu",
        blocks=(
            BlockResult(line=2, status="ok"),
            BlockResult(line=4, status="ok"),
            BlockResult(line=6, status="failed", error=error),
        ),
    )
    (failure,) = judge(_session(notebook, (2, 4, 6)), result).failures
    assert 'File "logs/a.ipynb, In [3]", line 2' in failure
    assert failure.count("E: x") == 1


def test_a_timeout_says_its_hint_once() -> None:
    from studylog.execute.isolate import fault
    from studylog.execute.job import JobBlock

    job_block = JobBlock("logs/a.md", 4, "while True: pass", "logs/a.md", 5, False, 2)
    block = fault(job_block, "timeout", "")
    assert block.error is not None and "timeout=" not in block.error
