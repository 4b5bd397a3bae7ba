"""Nothing one session does to its process reaches another session.

One run over many sessions with one real worker (module-scoped, so torch is
imported once): each "spoil" session does something to its process that would
change what follows, and the session after it must see a clean process. Then
the faults that kill a session: the output printed before them is kept, every
process the session started is gone, its temporary folder too, and the memory
of its child processes counts against the limit.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from studylog.execute import LocalExecutor, SessionResult, collect_sessions, run
from studylog.model import Log, Snippet
from studylog.parse.fences import make_snippet
from studylog.settings import SandboxSettings

pytestmark = pytest.mark.slow  # a worker runs some 20 sessions; test_execute_faults is quicker

LOG = "logs/isolation.md"
TAG = f"studylog-isolation-{uuid.uuid4().hex[:8]}"  # marks the processes sessions start

# name -> (code that spoils its process, code of the next session, what that one prints)
SPOILERS: dict[str, tuple[str, str, str]] = {
    # (Its names are bound as defaults: they survive the session's namespace being cleared.)
    "thread": (
        "import threading, time\n"
        "def talk(say=print, sleep=time.sleep):\n    while True:\n"
        "        say('ghost', flush=True)\n        sleep(0.005)\n"
        "threading.Thread(target=talk, daemon=True).start()\ntime.sleep(0.05)\n",
        "import time\ntime.sleep(0.3)\nprint('clean')",
        "clean\n",
    ),
    "builtins": (
        "import builtins\nbuiltins.print = lambda *a, **k: None\n",
        "print('visible')",
        "visible\n",
    ),
    "stdout-closed": ("import sys\nsys.stdout.close()\n", "print('visible')", "visible\n"),
    "stdout-ascii": (
        "import sys\nsys.stdout.reconfigure(encoding='ascii')\n",
        "print('한글 ok')",
        "한글 ok\n",
    ),
    "warnings": (
        "import warnings\nwarnings.simplefilter('ignore')\n",
        "import warnings\nwith warnings.catch_warnings(record=True) as seen:\n"
        "    warnings.warn('heads up')\nprint(len(seen))",
        "1\n",
    ),
    "environ": (
        "import os\nos.environ['STUDYLOG_PROBE'] = 'spoiled'\n",
        "import os\nprint(os.environ.get('STUDYLOG_PROBE'))",
        "None\n",
    ),
    "dtype": (
        "torch.set_default_dtype(torch.float64)\n",
        "print(torch.ones(1).dtype)",
        "torch.float32\n",
    ),
    "printoptions": (
        "torch.set_printoptions(precision=1)\n",
        "print(torch.tensor([1.23456]))",
        "tensor([1.2346])\n",
    ),
    "alarm": (
        "import signal\nsignal.alarm(1)\n",
        "import time\ntime.sleep(1.5)\nprint('no alarm')",
        "no alarm\n",
    ),
    "fork": (
        "import os\nos.fork()\nprint('forked', flush=True)\n",
        "import os\nprint('one process')",
        "one process\n",
    ),
    "json": (
        "import json\njson.dumps = lambda *a, **k: 'patched'\nprint('patched json')\n",
        "import json\nprint(json.dumps([1]))",
        "[1]\n",
    ),
}

# Sessions that end badly, each followed by a healthy one.
FAULTS: dict[str, tuple[str, dict[str, str]]] = {
    # A child in a session of its own, marked by TAG in its command line.
    "escapee": (
        f"import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', "
        f"'import time; time.sleep(120)', '{TAG}'], start_new_session=True)\n"
        "print('started')\n",
        {},
    ),
    "crash-output": (
        "import os\nprint('said before the crash', flush=True)\n"
        "os.write(1, b'and at the fd level\\n')\n"
        "open('litter.bin', 'wb').write(b'x' * (8 << 20))\nos._exit(3)\n",
        {},
    ),
    "timeout-output": (
        "print('tick', flush=True)\nopen('litter.bin', 'wb').write(b'x')\nwhile True:\n    pass\n",
        {"timeout": "1"},
    ),
    # The session itself stays small; its child process holds more than the limit.
    "child-memory": (
        "import subprocess, sys\nsubprocess.run([sys.executable, '-c', "
        "'import time; hog = b\"x\" * (1200 << 20); time.sleep(60)'])\n",
        {"timeout": "30"},
    ),
    "kill-worker": (
        "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nimport time\ntime.sleep(5)\n",
        {},
    ),
    # Bytes that are not a message, on every fd the session can find; then its fds closed.
    "garbage": (
        "import os\nfor fd in range(3, 64):\n    try:\n"
        "        os.write(fd, b'\\xff\\xff\\xff\\xffnot a message')\n"
        "    except OSError:\n        pass\n",
        {},
    ),
    "closed-fds": ("import os\nos.closerange(3, 4096)\nprint('still here')\n", {}),
}


def snippets() -> list[Snippet]:
    out: list[Snippet] = []
    line = 10
    for name, (spoil, _check, _printed) in SPOILERS.items():
        out.append(make_snippet(LOG, line, spoil, {"exec": "on", "session": name}))
        out.append(
            make_snippet(
                LOG, line + 100_000, SPOILERS[name][1], {"exec": "on", "session": f"after-{name}"}
            )
        )
        line += 20
    for name, (code, attrs) in FAULTS.items():
        out.append(make_snippet(LOG, line, code, {"exec": "on", "session": name, **attrs}))
        out.append(
            make_snippet(
                LOG,
                line + 100_000,
                "import os\nprint(sorted(os.listdir(os.path.dirname(os.getcwd()))) == "
                "[os.path.basename(os.getcwd())])",
                {"exec": "on", "session": f"after-{name}"},
            )
        )
        line += 20
    return out


def tagged() -> list[int]:
    """Living processes whose command line carries TAG."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                cmdline = Path(f"/proc/{name}/cmdline").read_bytes()
                state = Path(f"/proc/{name}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
            except OSError:
                continue
            if TAG.encode() in cmdline and state != b"Z":
                found.append(int(name))
    return found


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    root = tmp_path_factory.mktemp("project")
    tmp = tmp_path_factory.mktemp("tmp")
    sessions, problems = collect_sessions(
        [Log(LOG, "", 1, snippets=tuple(snippets()))], project_root=root, default_timeout=60
    )
    assert problems == []
    # A sandboxed session cannot signal its worker (test_execute_sandbox): the worker's
    # death is a fault of its own, run where the sandbox is off.
    unsandboxed = [s for s in sessions if s.name.endswith("kill-worker")]
    old = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(tmp)  # the workers' temporary folders go here
    try:
        with LocalExecutor(jobs=1, memory_limit_mb=900, output_limit=4096) as executor:
            results = run(
                [s for s in sessions if s not in unsandboxed], project_root=root, executor=executor
            )
            left_running = tagged()
            workers = executor.workers_started
        off = SandboxSettings(mode="off")
        with LocalExecutor(jobs=1, output_limit=4096, sandbox=off) as executor:
            results += run(unsandboxed, project_root=root, executor=executor)
            killed_workers = executor.workers_started
    finally:
        if old is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = old
    # (torch keeps its own compile cache there too: not ours to remove.)
    deadline = time.monotonic() + 15  # a folder still there then is left for good
    while ours(tmp) and time.monotonic() < deadline:
        time.sleep(0.1)
    yield {
        "results": {r.session: r for r in results},
        "left_running": left_running,
        "tmp_left": ours(tmp),
        "workers": workers,
        "killed_workers": killed_workers,
    }


def ours(tmp: Path) -> list[str]:
    """studylog's temporary folders in ``tmp``."""
    return sorted(p.name for p in tmp.iterdir() if p.name.startswith("studylog"))


def result(outcome: dict[str, object], name: str) -> SessionResult:
    results = outcome["results"]
    assert isinstance(results, dict)
    found = results[name]
    assert isinstance(found, SessionResult)
    return found


@pytest.mark.parametrize("name", list(SPOILERS))
def test_what_a_session_does_to_its_process_ends_with_it(
    outcome: dict[str, object], name: str
) -> None:
    after = result(outcome, f"after-{name}")
    assert after.status == "ok", after.blocks[0].error
    assert after.blocks[0].stdout == SPOILERS[name][2]


def test_a_patched_serializer_does_not_break_the_protocol(outcome: dict[str, object]) -> None:
    spoiled = result(outcome, "json")
    assert spoiled.status == "ok"
    assert spoiled.blocks[0].stdout == "patched json\n"


def test_a_forked_copy_of_a_session_does_not_speak_for_it(outcome: dict[str, object]) -> None:
    forked = result(outcome, "fork")
    assert forked.status == "ok" and len(forked.blocks) == 1
    assert "forked\n" in forked.blocks[0].stdout


@pytest.mark.parametrize("name", list(FAULTS))
def test_after_each_fault_the_next_session_runs_in_a_clean_folder(
    outcome: dict[str, object], name: str
) -> None:
    after = result(outcome, f"after-{name}")
    assert (after.status, after.blocks[0].stdout) == ("ok", "True\n"), after.blocks[0].error


def test_no_process_a_session_started_outlives_it(outcome: dict[str, object]) -> None:
    assert result(outcome, "escapee").status == "ok"
    assert outcome["left_running"] == []


def test_output_printed_before_a_crash_is_kept(outcome: dict[str, object]) -> None:
    (block,) = result(outcome, "crash-output").blocks
    assert block.status == "crashed" and "exited with status 3" in (block.error or "")
    assert block.stdout == "said before the crash\nand at the fd level\n"


def test_output_printed_before_a_timeout_is_kept(outcome: dict[str, object]) -> None:
    (block,) = result(outcome, "timeout-output").blocks
    assert block.status == "timeout"
    assert block.stdout == "tick\n"


def test_the_memory_limit_covers_the_sessions_child_processes(outcome: dict[str, object]) -> None:
    (block,) = result(outcome, "child-memory").blocks
    assert block.status == "crashed", block.error
    assert "memory limit of 900 MiB" in (block.error or "")
    assert "child processes" in (block.error or "")


def test_a_session_that_kills_its_worker_is_a_crash(outcome: dict[str, object]) -> None:
    (block,) = result(outcome, "kill-worker").blocks
    assert block.status == "crashed" and "SIGKILL" in (block.error or "")


def test_a_malformed_message_is_a_crash_of_that_session_only(outcome: dict[str, object]) -> None:
    (block,) = result(outcome, "garbage").blocks
    assert block.status == "crashed"
    assert "the session sent a malformed message" in (block.error or "")


def test_a_session_that_closes_its_pipe_says_so(outcome: dict[str, object]) -> None:
    (block,) = result(outcome, "closed-fds").blocks
    assert block.status == "crashed" and "could not report" in (block.error or "")
    assert block.stdout == "still here\n"
    assert "cannot report its result" in block.stderr


def test_no_temporary_folder_is_left(outcome: dict[str, object]) -> None:
    assert outcome["tmp_left"] == []


def test_faults_cost_no_worker_restart_but_a_killed_worker(outcome: dict[str, object]) -> None:
    assert outcome["workers"] == 1
    assert outcome["killed_workers"] == 2  # the first, and the one replacing the killed worker
