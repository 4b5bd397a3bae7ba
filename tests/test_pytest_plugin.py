"""The pytest plugin, driven through pytest's own ``pytester``.

Runs that execute snippets use ``runpytest_subprocess``: each is a fresh pytest
process with its own worker pool, as a user's ``pytest`` would be. Collection-only
runs stay in process. Snippets are one-liners, so the cost is one worker start
(one torch import) per run that executes anything.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from studylog.execute.results import Block, BlockOptions, BlockResult, Session, SessionResult
from studylog.verdicts import judge

pytest_plugins = ["pytester"]

INI = """
[tool.pytest.ini_options]
studylog_logs = ["logs"]
studylog_snippets = ["snippets"]
"""

FENCE = "```"

LOG = f"""\
---
title: "Day 1"
date: 2024-03-04
---

# Day 1

{FENCE}python exec="on" session="broken"
y = 1
raise ValueError("bad shape " + str(y))
{FENCE}

{FENCE}python exec="on" session="good"
x = 2
{FENCE}

Text between the cells of one session.

{FENCE}python exec="on" session="good"
print("answer", x * 21)
{FENCE}

{FENCE}python exec="on" session="allowed" errors="allow"
raise KeyError("expected")
{FENCE}

{FENCE}python exec="on" session="clean" errors="allow"
print("no error here")
{FENCE}
"""


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def write(pytester: pytest.Pytester, files: dict[str, str], *, ini: str = INI) -> None:
    if ini:
        pytester.makepyprojecttoml(ini)
    for name, text in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def failure_sections(output: str) -> str:
    start = output.find("= FAILURES =")
    end = output.find("short test summary info")
    return output[start:end]


# ---------------------------------------------------------------- collection


@pytest.mark.slow  # two collections, each starting its sessions ahead on workers
def test_collects_sessions_and_snippets_only_under_the_configured_folders(
    pytester: pytest.Pytester,
) -> None:
    exec_block = f'{FENCE}python exec="on"\nprint(1)\n{FENCE}\n'
    write(
        pytester,
        {
            "logs/2024/week01/day01.md": LOG,
            "logs/2024/week01/notes.md": "# Notes\n\nNo code here.\n",
            "docs/guide.md": "# Guide\n\n" + exec_block,  # not a logs folder
            "README.md": exec_block,
            "snippets/tiny.py": "print('tiny')\n",
            "snippets/_helper.py": "VALUE = 1\n",  # imported by snippets, not run
            "snippets/conftest.py": "",  # pytest's, not a snippet
            "tools/build.py": "raise SystemExit(1)\n",
        },
    )
    result = pytester.runpytest("--collect-only", "-q")
    ids = sorted(line for line in result.outlines if "::" in line)
    assert ids == [
        "logs/2024/week01/day01.md::allowed",
        "logs/2024/week01/day01.md::broken",
        "logs/2024/week01/day01.md::clean",
        "logs/2024/week01/day01.md::good",
        "snippets/tiny.py::tiny",
    ]
    # Each item points at its session's first fence, as reports and IDEs show it.
    items, _ = pytester.inline_genitems()
    where = {item.name: item.location for item in items}
    log = "logs/2024/week01/day01.md"
    assert where["good"] == (
        log,
        line_of(LOG, 'session="good"') - 1,
        f"studylog session {log}::good",
    )
    assert where["tiny"][:2] == ("snippets/tiny.py", 0)


def test_a_project_that_does_not_configure_studylog_is_left_alone(
    pytester: pytest.Pytester,
) -> None:
    write(
        pytester,
        {
            "logs/x.md": f'{FENCE}python exec="on"\nprint(1)\n{FENCE}\n',
            "snippets/a.py": "raise SystemExit(3)\n",
            "test_plain.py": "def test_plain():\n    assert True\n",
        },
        ini="[tool.pytest.ini_options]\n",
    )
    result = pytester.runpytest("-q", "logs", "snippets", "test_plain.py")
    result.assert_outcomes(passed=1)


def test_markers_select_sessions(pytester: pytest.Pytester) -> None:
    gpu = f'{FENCE}python exec="on" requires="cuda"\nprint(DEVICE)\n{FENCE}\n'
    write(pytester, {"logs/gpu.md": gpu, "snippets/tiny.py": "print(1)\n"})
    result = pytester.runpytest("--collect-only", "-q", "-m", "studylog_cuda")
    assert [line for line in result.outlines if "::" in line] == ["logs/gpu.md::default"]
    result = pytester.runpytest("--collect-only", "-q", "-m", "not studylog")
    assert not [line for line in result.outlines if "::" in line]
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.studylog:*", "@pytest.mark.studylog_cuda:*"])


# ---------------------------------------------------------------- running


def test_pass_fail_errors_allow_cache_and_k(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(pytester, {"logs/2024/day01.md": LOG})
    log = "logs/2024/day01.md"

    # Started from inside logs/: names and tracebacks are still relative to the rootdir.
    monkeypatch.chdir(pytester.path / "logs" / "2024")
    first = pytester.runpytest_subprocess()
    monkeypatch.chdir(pytester.path)
    first.assert_outcomes(passed=2, failed=2)
    out = first.stdout.str()
    report = failure_sections(out)

    # The failure names the log and the line the traceback names (not the fence's), then
    # the traceback in log lines.
    raise_line = line_of(LOG, "raise ValueError")
    assert f"{log}:{raise_line}: block raised an error: ValueError: bad shape 1" in report
    assert f'File "{log}", line {raise_line}' in report
    assert 'raise ValueError("bad shape " + str(y))' in report  # the log's own source line
    # Nothing of the plugin or the executor is in the report.
    for internal in (
        "pytest_plugin.py",
        "studylog/execute",
        "_pytest",
        'Traceback (most recent call last):\n  File "/',
    ):
        assert internal not in report
    # errors="allow": the block that raises passes, the one that runs clean fails.
    clean = line_of(LOG, 'session="clean"')
    assert f'{log}:{clean}: block marked errors="allow" ran without an error' in report
    assert "no error here" in report
    assert f"PASSED {log}::allowed" not in out  # -ra lists only failures/skips
    # The short summary line starts with the log line (pytest cuts it to the terminal width).
    first.stdout.fnmatch_lines([f"FAILED *day01.md::broken - {log}:{raise_line}: block raised*"])
    assert "studylog: 4 sessions, 4 executed, 0 from cache" in out

    # Second run of the passing sessions: all from the cache, no worker started.
    second = pytester.runpytest_subprocess("-k", "good or allowed", "-v")
    second.assert_outcomes(passed=2, deselected=2)
    second.stdout.fnmatch_lines([f"{log}::good PASSED*", f"{log}::allowed PASSED*"])
    assert (
        "studylog: 2 sessions, 0 executed, 2 from cache; workers started in this process: 0"
        in second.stdout.str()
    )

    # --studylog-no-cache runs it anyway; -x stops at the first failure.
    third = pytester.runpytest_subprocess("--studylog-no-cache", "-x", "-k", "good or broken")
    third.assert_outcomes(failed=1, deselected=2)
    assert "studylog: 1 sessions, 1 executed, 0 from cache" in third.stdout.str()


def rendezvous(me: str, other: str, folder: Path) -> str:
    """A block that marks itself started, then waits for ``other`` to have started."""
    return (
        "import pathlib, time\n"
        f"folder = pathlib.Path({str(folder)!r})\n"
        f"(folder / {me!r}).touch()\n"
        "deadline = time.monotonic() + 30\n"
        f"while not (folder / {other!r}).exists():\n"
        "    assert time.monotonic() < deadline, 'the other session never started'\n"
        "    time.sleep(0.05)\n"
    )


@pytest.mark.slow  # a pytest run with two workers
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores for two workers")
def test_selected_sessions_run_side_by_side_and_deselected_ones_not_at_all(
    pytester: pytest.Pytester,
) -> None:
    """Each of two sessions waits for the other to start: this passes only if the plugin
    runs them at the same time. A deselected session is not run ahead of its item."""
    marks = pytester.path / "marks"
    marks.mkdir()
    log = "\n".join(
        [
            "# Day 1",
            "",
            f'{FENCE}python exec="on" session="left"',
            rendezvous("left", "right", marks) + FENCE,
            "",
            f'{FENCE}python exec="on" session="right"',
            rendezvous("right", "left", marks) + FENCE,
            "",
            f'{FENCE}python exec="on" session="skipped"',
            f"import pathlib; pathlib.Path({str(marks / 'skipped')!r}).touch()",
            FENCE,
            "",
        ]
    )
    write(pytester, {"logs/day01.md": log})
    result = pytester.runpytest_subprocess("-k", "not skipped")
    result.assert_outcomes(passed=2, deselected=1)
    assert "studylog: 2 sessions, 2 executed, 0 from cache" in result.stdout.str()
    assert not (marks / "skipped").exists()


@pytest.mark.slow  # a pytest run with two xdist workers, and a session that times out
def test_snippet_files_run_and_report_their_own_lines(pytester: pytest.Pytester) -> None:
    bad = "def divide():\n    return 1 / 0\n\n\ndivide()\n"
    write(
        pytester,
        {
            "snippets/good.py": "print('fine')\n",
            "snippets/bad.py": bad,
            "snippets/slow.py": "import time\ntime.sleep(60)\n",
        },
        ini=INI + 'studylog_timeout = "3"\n',
    )
    result = pytester.runpytest_subprocess("-n", "2")
    result.assert_outcomes(passed=1, failed=2)
    report = failure_sections(result.stdout.str())
    assert "snippets/bad.py:2: block raised an error: ZeroDivisionError" in report
    assert 'File "snippets/bad.py", line 2, in divide' in report
    assert 'File "snippets/bad.py", line 5, in <module>' in report
    # The ini timeout applies: the sleeping snippet is stopped, not waited for.
    assert "snippets/slow.py:1: block ran past its timeout" in report
    # The controller counts the runs of both xdist workers.
    assert "studylog: 3 sessions, 3 executed" in result.stdout.str()


def test_a_bad_timeout_setting_is_a_usage_error(pytester: pytest.Pytester) -> None:
    write(pytester, {"snippets/a.py": "print(1)\n"}, ini=INI + 'studylog_timeout = "soon"\n')
    result = pytester.runpytest("--collect-only")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*studylog_timeout = 'soon': expected a number of seconds*"])


@pytest.mark.slow  # a pytest run with a session that times out
def test_the_sites_settings_apply_to_pytest(pytester: pytest.Pytester) -> None:
    """mkdocs.yml beside the rootdir gives the cache folder and timeout, as for the site."""
    write(
        pytester,
        {
            "snippets/slow.py": "import time\ntime.sleep(30)\n",
            "snippets/fine.py": "print('fine')\n",
            "mkdocs.yml": "site_name: t\nplugins:\n  - studylog:\n      cache_dir: .site-cache\n"
            "      timeout: 2\n",
        },
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1, failed=1)
    assert "snippets/slow.py:1: block ran past its timeout" in result.stdout.str()
    assert "studylog: cache .site-cache" in result.stdout.str()
    assert list((pytester.path / ".site-cache").glob("*.json"))
    assert not (pytester.path / ".studylog-cache").exists()
    # A wrong value there stops pytest with the same message the site build gives.
    (pytester.path / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - studylog:\n      timeout: 0\n", encoding="utf-8"
    )
    result = pytester.runpytest("--collect-only")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*plugins.studylog.timeout: expected a positive number*"])


def test_option_errors_fail_their_session_without_running(pytester: pytest.Pytester) -> None:
    text = (
        f'{FENCE}python exec="on" session="slow" timeout="soon"\nprint(1)\n{FENCE}\n\n'
        f'{FENCE}python exec="on" session="fine"\nprint(2)\n{FENCE}\n'
    )
    write(pytester, {"logs/opts.md": text})
    result = pytester.runpytest_subprocess("-k", "slow")
    result.assert_outcomes(failed=1, deselected=1)
    assert "logs/opts.md:1:" in failure_sections(result.stdout.str())
    assert "timeout" in failure_sections(result.stdout.str())


def test_an_include_outside_the_project_fails_its_session_with_a_hint(
    pytester: pytest.Pytester,
) -> None:
    text = f'# Include\n\n{FENCE}python exec="on" file="../secret.py"\n{FENCE}\n'
    write(pytester, {"logs/include.md": text})
    result = pytester.runpytest("-q")  # in process: nothing is executed
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["logs/include.md:3: file='../secret.py' is outside the project; the session is not run*"]
    )
    assert "Traceback" not in failure_sections(result.stdout.str())


def test_cuda_sessions_skip_without_a_gpu_or_stored_output(pytester: pytest.Pytester) -> None:
    from studylog.execute import device

    if device.gpu_count():
        pytest.skip("this machine has a GPU, so the session runs")
    gpu = f'{FENCE}python exec="on" requires="cuda"\nprint(DEVICE)\n{FENCE}\n'
    write(pytester, {"logs/gpu.md": gpu})
    result = pytester.runpytest_subprocess("-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED*logs/gpu.md::default: *GPU*"])
    assert "studylog: 1 sessions, 0 executed, 0 from cache, 1 not run" in result.stdout.str()


# ---------------------------------------------------------------- verdicts, without pytest runs


def make(
    errors_allowed: bool, status: str, *, session_status: str = "ok"
) -> tuple[Session, SessionResult]:
    block = Block(
        path="logs/a.md",
        line=3,
        code="pass\n",
        filename="logs/a.md",
        first_line=4,
        options=BlockOptions(errors_allowed=errors_allowed),
    )
    session = Session(log="logs/a.md", name="default", blocks=(block,))
    result = SessionResult(
        log="logs/a.md",
        session="default",
        status=session_status,  # type: ignore[arg-type]
        duration=0.1,
        device="cpu",
        blocks=(BlockResult(line=3, status=status, error="E: x" if status != "ok" else None),),  # type: ignore[arg-type]
    )
    return session, result


@pytest.mark.parametrize(
    ("allowed", "status", "session_status", "fails", "skips"),
    [
        (False, "ok", "ok", False, False),
        (False, "failed", "failed", True, False),
        (True, "error-allowed", "ok", False, False),
        (True, "ok", "ok", True, False),  # an expected error that no longer happens
        (False, "timeout", "timeout", True, False),
        (False, "crashed", "crashed", True, False),
        (False, "refused", "refused", True, False),
        (False, "unavailable", "unavailable", False, True),
    ],
)
def test_judge(allowed: bool, status: str, session_status: str, fails: bool, skips: bool) -> None:
    outcome = judge(*make(allowed, status, session_status=session_status))
    assert bool(outcome.failures) is fails
    assert bool(outcome.skip) is skips
    if fails:
        assert outcome.failures[0].startswith("logs/a.md:3: ")


def test_plugin_import_pulls_in_neither_torch_nor_mkdocs(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys, studylog.pytest_plugin\n"
        "print(','.join(m for m in ('torch', 'mkdocs', 'studylog.execute', 'studylog.parse') "
        "if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert proc.stdout.strip() == ""


# ---------------------------------------------------------------- notebooks


@pytest.mark.slow  # a pytest run with a worker
def test_a_notebook_is_one_item_and_its_failures_name_the_cell_and_line(
    pytester: pytest.Pytester,
) -> None:
    from notebooks import code, md, text

    write(
        pytester,
        {
            "logs/week01/assignment.ipynb": text(
                md("# Assignment"),
                code("x = 2"),
                code("y = x * 3\nprint('y is', y)\nassert y == 7, f'expected 7, got {y}'"),
                code("1 / 0", tags=("raises-exception",)),
                code("while True:\n    pass", tags=("skip-execution",)),
            ),
            "logs/week01/fine.ipynb": text(
                code("print('fine')"), code("1 / 0", tags=("raises-exception",))
            ),
        },
    )
    collected = pytester.runpytest("--collect-only", "-q")
    assert sorted(line for line in collected.outlines if "::" in line) == [
        "logs/week01/assignment.ipynb::notebook",
        "logs/week01/fine.ipynb::notebook",
    ]
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1, failed=1)
    report = failure_sections(result.stdout.str())
    where = "logs/week01/assignment.ipynb, cell 3, line 3"
    assert f"{where}: block raised an error: AssertionError: expected 7, got 6" in report
    # The traceback names the cell as the page's prompt does: the second code cell run.
    assert 'File "logs/week01/assignment.ipynb, In [2]", line 3, in <module>' in report
    assert "assert y == 7, f'expected 7, got {y}'" in report  # the cell's own source line
    assert "y is 6" in report
    # The short summary line starts with the place (pytest cuts it to the terminal width).
    result.stdout.fnmatch_lines(["FAILED *assignment.ipynb::notebook - logs/week01/assign*"])


def test_stored_notebooks_are_not_collected(pytester: pytest.Pytester) -> None:
    from notebooks import code, text

    write(
        pytester,
        {
            "logs/a.ipynb": text(code("print(1)")),
            "logs/b.md": f'{FENCE}python exec="on"\nprint(2)\n{FENCE}\n',
            "mkdocs.yml": "site_name: t\nplugins:\n  - studylog:\n"
            "      execute_notebooks: stored\n",
        },
    )
    result = pytester.runpytest("--collect-only", "-q")
    assert sorted(line for line in result.outlines if "::" in line) == ["logs/b.md::default"]
