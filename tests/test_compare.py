"""``pytest --studylog-compare``: fresh outputs held against the stored ones.

The rules on their own (numbers, text, statuses), then the pytest plugin end to end: a
session whose stored output was made under another torch passes when its numbers moved
within the tolerance and fails, naming the log line, when one moved beyond it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studylog.execute import Cache, collect_sessions
from studylog.execute.compare import Tolerance, drifts, report, text_drift
from studylog.execute.results import BlockResult, SessionResult
from studylog.parse import ParserConfig, parse_file

pytest_plugins = ["pytester"]


@pytest.mark.parametrize(
    ("stored", "fresh", "agree"),
    [
        ("12", "12", True),
        ("12", "13", False),  # integers exactly
        ("1000000", "1000001", False),
        ("0.6931", "0.6932", True),  # one unit in the last printed place
        ("0.6931", "0.6934", False),
        ("0.693147", "0.693148", True),
        ("0.693147", "0.693250", False),
        ("1.5e-05", "1.6e-05", True),  # the last place of 1.5e-05 is 1e-06
        ("1.5e-05", "1.8e-05", False),
        ("123456.0", "123460.0", True),  # within rtol 1e-4 of the value
        ("nan", "nan", True),
        ("nan", "0.0", False),
        ("inf", "inf", True),
    ],
)
def test_numbers_agree_within_the_tolerance(stored: str, fresh: str, agree: bool) -> None:
    assert Tolerance().agree(stored, fresh) is agree


def test_text_agrees_once_numbers_and_spacing_are_set_aside() -> None:
    tolerance = Tolerance()
    # A tensor's columns shift when a value's sign changes width; that is no drift.
    assert text_drift("tensor([ 0.1000, -0.2000])", "tensor([-0.1000, -0.2000])", tolerance) == (
        "0.1000 (in 'tensor([ 0.1000, -0.2000])')",
        "-0.1000 (in 'tensor([-0.1000, -0.2000])')",
    )
    assert text_drift("loss 0.25000.\nok", "loss  0.25001.\nok", tolerance) is None
    assert text_drift("shape torch.Size([2, 3])", "shape torch.Size([2, 4])", tolerance) == (
        "3 (in 'shape torch.Size([2, 3])')",
        "4 (in 'shape torch.Size([2, 4])')",
    )
    assert text_drift("epoch 1\nloss 0.5", "epoch 1\nacc 0.5", tolerance) == ("loss 0.5", "acc 0.5")
    assert text_drift("torch 2.1.0", "torch 2.2.0", tolerance) == ("torch 2.1.0", "torch 2.2.0")


def _result(*blocks: BlockResult) -> SessionResult:
    return SessionResult("logs/a.md", "default", "ok", 0.1, "cpu", blocks=blocks)


def test_drifts_name_the_block_and_what_moved() -> None:
    stored = _result(
        BlockResult(7, "ok", stdout="loss 0.6931\n", figures=("<svg/>",)),
        BlockResult(12, "ok", value="tensor(3.1416)"),
    )
    same = _result(
        BlockResult(7, "ok", stdout="loss 0.6932\n", figures=("<svg>other</svg>",)),
        BlockResult(12, "ok", value="tensor(3.1416)"),
    )
    assert drifts(stored, same) == []
    moved = _result(
        BlockResult(7, "ok", stdout="loss 0.7012\n"),
        BlockResult(12, "failed", error="RuntimeError"),
    )
    found = drifts(stored, moved)
    assert [(d.line, d.what) for d in found] == [(7, "figures"), (7, "stdout"), (12, "status")]
    text = report("logs/a.md", found, {"python": "3.11.7", "torch": "2.0.0"}, Tolerance(1e-3))
    assert text.splitlines()[1] == (
        "logs/a.md:7: the output drifted from the stored one: "
        "stdout: 0.6931 (in 'loss 0.6931') -> 0.7012 (in 'loss 0.7012')"
    )
    assert "stored with python 3.11.7, torch 2.0.0; numbers agree within rtol 0.001" in text


LOG = """\
---
date: 2024-03-04
---
# Day 1

```python exec="on" session="within"
print("loss", round(2 / 3, 4))
```

```python exec="on" session="drifted"
print("loss", round(2 / 3, 4))
```

```python exec="on" session="new"
print("loss", round(1 / 3, 4))
```
"""
INI = """
[tool.pytest.ini_options]
studylog_logs = ["logs"]
"""


def _stored_by_an_older_torch(project: Path, stdout: dict[str, str]) -> None:
    """Cache entries as another torch would have left them, printing ``stdout`` (by
    session; a session not named has none)."""
    from studylog.execute.device import environment

    cache = Cache(project / ".studylog-cache")
    log = parse_file(project / "logs" / "day1.md", root=project, config=ParserConfig())
    sessions, _ = collect_sessions([log], project_root=project)
    for session in sessions:
        if session.name in stdout:
            env = {**environment(session), "torch": "1.13.1"}
            (block,) = session.blocks
            result = SessionResult(
                session.log,
                session.name,
                "ok",
                0.1,
                "cpu",
                blocks=(BlockResult(block.line, "ok", stdout=stdout[session.name]),),
            )
            cache.put(cache.key(session, project, env), result)


@pytest.mark.slow  # a pytest run that starts a worker
def test_compare_passes_within_the_tolerance_and_fails_on_a_changed_number(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyprojecttoml(INI)
    (pytester.path / "logs").mkdir()
    (pytester.path / "logs" / "day1.md").write_text(LOG, "utf-8")
    # Each prints "loss 0.6667" now; an older torch printed 0.6666 (within one unit of the
    # last place) for one, 0.6931 for the other; the third has no entry.
    _stored_by_an_older_torch(
        pytester.path, {"within": "loss 0.6666\n", "drifted": "loss 0.6931\n"}
    )
    entries = sorted(p.name for p in Cache(pytester.path / ".studylog-cache").entries())

    found = pytester.runpytest_subprocess("--studylog-compare", "-rs")
    found.assert_outcomes(passed=1, failed=1, skipped=1)
    found.stdout.fnmatch_lines(
        [
            "studylog: cache compared with .studylog-cache (rtol 1e-4)",
            "logs/day1.md:10: the output drifted from the stored one: "
            "stdout: 0.6931 (in 'loss 0.6931') -> 0.6667 (in 'loss 0.6667')",
            "*stored with*torch 1.13.1*",
            "*logs/day1.md::new: no stored output to compare with*",
        ]
    )
    # The entries were read, not replaced; nothing was stored for the third.
    assert sorted(p.name for p in Cache(pytester.path / ".studylog-cache").entries()) == entries


def test_the_tolerance_is_an_option(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml(INI)
    (pytester.path / "logs").mkdir()
    found = pytester.runpytest("--studylog-compare", "--studylog-compare-rtol", "0.05", "--co")
    found.stdout.fnmatch_lines(["studylog: cache compared with .studylog-cache (rtol 0.05)"])
