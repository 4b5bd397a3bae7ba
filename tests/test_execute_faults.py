"""Faults in user code never escape a worker: each becomes a result for its block.

One run over many sessions with real workers (module-scoped, so the torch
imports are paid a few times, not per test). The executor has one worker, so the
sessions run strictly in order: every fault session is followed by a healthy
session that must still produce its output, on the replacement worker when
the fault killed the previous one.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from studylog.execute import LocalExecutor, SessionResult, collect_sessions, run
from studylog.model import Log, Snippet
from studylog.parse.fences import make_snippet

LOG = "logs/faults.md"

# session name -> (blocks as (fence line, code, attrs)), fault sessions only
FAULTS: dict[str, list[tuple[int, str, dict[str, str]]]] = {
    "raise": [(10, "x = 1\nraise ValueError('bad shape')\n", {}), (15, "print('never')", {})],
    "exit": [(20, "import sys\nsys.exit(3)\n", {})],
    "loop": [(30, "print('spinning', flush=True)\nwhile True:\n    pass\n", {"timeout": "1"})],
    "os-exit": [(40, "import os\nos._exit(7)\n", {})],
    "segfault": [(50, "import ctypes\nctypes.string_at(0)\n", {})],
    "memory": [(60, "hog = []\nwhile True:\n    hog.append(b'x' * (32 << 20))\n", {})],
    "flood": [
        (
            70,
            "import sys\nfor i in range(300_000):\n    print('line', i)\n"
            "print('done', file=sys.stderr)\n",
            {},
        )
    ],
    "bytes": [
        (
            80,
            "import os, sys\nsys.stdout.buffer.write(b'caf\\xe9 \\xff!\\n')\n"
            "sys.stdout.flush()\nos.write(1, b'\\x1b[1;31mred\\x1b[0m from fd 1\\n')\n",
            {},
        )
    ],
    "allowed": [
        (90, "print('before')\nraise KeyError('expected')\n", {"errors": "allow"}),
        (95, "print('still here')", {}),
    ],
}


def snippets() -> list[Snippet]:
    out = []
    for name, blocks in FAULTS.items():
        for line, code, attrs in blocks:
            out.append(make_snippet(LOG, line, code, {"exec": "on", "session": name, **attrs}))
        # The healthy session that follows each fault.
        out.append(
            make_snippet(
                LOG,
                1000 + len(out),
                f"print('alive after {name}', torch.ones(2).sum().item())",
                {"exec": "on", "session": f"after-{name}"},
            )
        )
    return out


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SessionResult]]:
    root = tmp_path_factory.mktemp("project")
    sessions, problems = collect_sessions(
        [Log(LOG, "", 1, snippets=tuple(snippets()))], project_root=root, default_timeout=60
    )
    assert problems == []
    with LocalExecutor(jobs=1, memory_limit_mb=900, output_limit=4096) as executor:
        started = time.monotonic()
        out = run(sessions, project_root=root, executor=executor)
        elapsed = time.monotonic() - started
        assert [r.session for r in out] == [s.name for s in sessions]
        # Each session ran in a child forked from the one warm worker: no fault cost a restart.
        assert executor.workers_started == 1
        assert elapsed < 120
        yield {r.session: r for r in out}


@pytest.mark.parametrize("name", list(FAULTS))
def test_a_session_after_each_fault_still_runs(
    results: dict[str, SessionResult], name: str
) -> None:
    after = results[f"after-{name}"]
    assert after.status == "ok", after.blocks[0].error
    assert after.blocks[0].stdout == f"alive after {name} 2.0\n"


def test_exception_fails_the_block_and_skips_the_rest(results: dict[str, SessionResult]) -> None:
    r = results["raise"]
    assert r.status == "failed" and r.failed
    first, second = r.blocks
    assert first.status == "failed"
    assert 'File "logs/faults.md", line 12' in first.error  # the log's own line number
    assert "raise ValueError('bad shape')" in first.error
    assert first.error.rstrip().endswith("ValueError: bad shape")
    assert "studylog" not in first.error  # no executor frames in the traceback
    assert (second.line, second.status, second.stdout) == (15, "skipped", "")


def test_system_exit_is_a_failure_not_an_exit(results: dict[str, SessionResult]) -> None:
    (block,) = results["exit"].blocks
    assert block.status == "failed"
    assert "SystemExit: 3" in block.error


def test_infinite_loop_times_out(results: dict[str, SessionResult]) -> None:
    r = results["loop"]
    (block,) = r.blocks
    assert (r.status, block.status) == ("timeout", "timeout")
    assert "logs/faults.md:30" in block.error and "timeout of 1 s" in block.error
    assert r.failed


def test_os_exit_is_a_crash_with_its_status(results: dict[str, SessionResult]) -> None:
    (block,) = results["os-exit"].blocks
    assert block.status == "crashed"
    assert "logs/faults.md:40" in block.error and "exited with status 7" in block.error


def test_segfault_is_a_crash_naming_the_signal(results: dict[str, SessionResult]) -> None:
    (block,) = results["segfault"].blocks
    assert results["segfault"].status == "crashed"
    assert "SIGSEGV" in block.error and "logs/faults.md:50" in block.error


def test_memory_blow_up_is_stopped_with_a_clear_message(results: dict[str, SessionResult]) -> None:
    (block,) = results["memory"].blocks
    assert block.status == "crashed"
    assert "memory limit of 900 MiB" in block.error and "logs/faults.md:60" in block.error


def test_output_flood_is_truncated_with_a_note(results: dict[str, SessionResult]) -> None:
    (block,) = results["flood"].blocks
    assert block.status == "ok"
    assert block.stdout.startswith("line 0\nline 1\n")
    assert len(block.stdout) < 4096 + 100
    assert "[output truncated:" in block.stdout and "more bytes not shown]" in block.stdout
    assert block.stderr == "done\n"


def test_invalid_utf8_and_ansi_codes(results: dict[str, SessionResult]) -> None:
    (block,) = results["bytes"].blocks
    assert block.status == "ok"
    assert block.stdout == "caf\ufffd \ufffd!\nred from fd 1\n"


def test_errors_allow_shows_the_error_and_goes_on(results: dict[str, SessionResult]) -> None:
    r = results["allowed"]
    first, second = r.blocks
    assert r.status == "ok" and not r.failed
    assert first.status == "error-allowed"
    assert first.stdout == "before\n" and "KeyError: 'expected'" in first.error
    assert (second.status, second.stdout) == ("ok", "still here\n")
