"""Sessions on a real Ray cluster: the same pages, faults and cache as the local pool.

One local two-node cluster serves the whole module (``bench/ray_cluster.py``): a
head node with one CPU and a second node with one CPU and one (logical) GPU, in a
network namespace that has only the loopback interface, so no traffic leaves it.
Drivers (``mkdocs build``, ``studylog run``, ``pytest``, ``tests/ray_driver.py``) run
as subprocesses inside that namespace. Starting a cluster costs ~10 s, so it is
started once; the last test stops it and checks that no process of it is left.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench.ray_cluster
from bench.ray_cluster import LocalCluster, listening, tagged  # noqa: E402

if TYPE_CHECKING:
    from conftest import MkdocsBuild

pytestmark = [
    pytest.mark.ray,
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("ray") is None,
        reason="Ray is not installed (pip install 'studylog[ray]')",
    ),
]

FAULT_LOG = ROOT / "tests" / "fixtures" / "ray" / "2024-03-15-day10-mistakes.md"
PLUGINS = str(ROOT / "plugins")
# What a build prints that must not differ between executors: everything but durations.
DURATION = re.compile(rb"\d+\.\d\d s")
# How a session finds the Ray actor (or, locally, the process) that started its worker.
PARENT = (
    "def parent_of(pid):\n"
    "    return int(open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()[1])\n"
)


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    cluster = LocalCluster(nodes=[{"cpus": 1}, {"cpus": 1, "gpus": 1}])
    cluster.start()
    if cluster.note:
        print(f"\n{cluster.note}")  # shown with -s, and in the report of a failure
    try:
        yield cluster
    finally:
        cluster.stop()


def driver(
    cluster: LocalCluster, command: list[str], cwd: Path, *, timeout: float = 300, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*cluster.prefix, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=cluster.env(PYTHONPATH=PLUGINS, NO_MKDOCS_2_WARNING="1", **env),
    )


def demo_project(root: Path, count: Path, plugin_options: str = "") -> Path:
    """A copy of the demo site with the fault log added among its logs."""
    root.mkdir(parents=True)
    for part in ("docs", "logs", "snippets"):
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns(".studylog*"))
    fault_log = FAULT_LOG.read_text(encoding="utf-8").replace("@COUNT@", str(count))
    (root / "logs" / "2024" / "week02" / FAULT_LOG.name).write_text(fault_log, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - studylog:\n" in config
    (root / "mkdocs.yml").write_text(
        config.replace("  - studylog:\n", "  - studylog:\n" + plugin_options), encoding="utf-8"
    )
    return root


# --------------------------------------------------------------------------- the demo site


@pytest.fixture(scope="module")
def builds(
    cluster: LocalCluster, tmp_path_factory: pytest.TempPathFactory, mkdocs_build: MkdocsBuild
) -> dict[str, Path]:
    """The demo site and the fault log, built with the local pool and through the cluster."""
    base = tmp_path_factory.mktemp("builds")
    count = base / "quit-count"
    count.touch()
    # The crashing session counts its runs in a file outside its folder: no sandbox here
    # (test_pytest_runs_sessions_on_the_cluster shows the cluster's sessions sandboxed).
    unsandboxed = "      sandbox: false\n"
    local = demo_project(base / "local", count, unsandboxed)
    ray = demo_project(
        base / "ray",
        count,
        f"{unsandboxed}      executor: ray\n      ray_address: {cluster.address}\n",
    )
    mkdocs_build(local, "-q", env={"PYTHONPATH": PLUGINS})
    assert count.read_text() == "quit\n"
    done = driver(cluster, [sys.executable, "-m", "mkdocs", "build", "-q"], ray, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return {"local": local, "ray": ray, "count": count}


def site_files(project: Path) -> dict[str, bytes]:
    site = project / "site"
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.suffix in (".html", ".svg", ".json")
    }


def test_pages_outputs_and_figures_are_the_local_pools(builds: dict[str, Path]) -> None:
    local, ray = site_files(builds["local"]), site_files(builds["ray"])
    assert sorted(local) == sorted(ray)
    figures = [
        name for name in local if name.startswith("assets/studylog/") and name.endswith(".svg")
    ]
    assert figures  # the demo draws loss curves and attention maps
    for name in figures:
        assert ray[name] == local[name], name  # byte for byte
    pages = [name for name in local if name.endswith(".html")]
    assert len(pages) > 10
    for name in [*pages, "search/search_index.json"]:
        # Durations are measured, so they differ; nothing else may.
        assert DURATION.sub(b"N s", ray[name]) == DURATION.sub(b"N s", local[name]), name
    page = ray["logs/2024/week01/2024-03-04-day01/index.html"].decode()
    assert "studylog-stdout" in page and "· cpu · run</div>" in page


def report_statuses(project: Path) -> dict[str, str]:
    html = (project / "site" / "report" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(
        r'<a href="[^"]*/([^/"]+)/">[^<]*</a></td><td[^>]*><code>([^<]*)</code></td>'
        r"<td[^>]*><span [^>]*>([a-z-]+)</span>",
        html,
    )
    return {f"{page}::{session}": status for page, session, status in rows}


def test_fault_statuses_are_the_local_pools(builds: dict[str, Path]) -> None:
    local, ray = report_statuses(builds["local"]), report_statuses(builds["ray"])
    assert ray == local
    faults = {k.split("::")[1]: v for k, v in ray.items() if "mistakes" in k}
    assert faults == {
        "shape": "failed",
        "exit": "failed",
        "spin": "timeout",
        "quit": "crashed",
        "segv": "crashed",
        "chatty": "ok",
        "expected": "ok",
        "recovered": "ok",
    }
    page = (
        builds["ray"]
        / "site"
        / "logs"
        / "2024"
        / "week02"
        / "2024-03-15-day10-mistakes"
        / "index.html"
    ).read_text(encoding="utf-8")
    assert "waiting for convergence" in page  # printed before the timeout, kept
    assert "SIGSEGV" in page and "exited with status 5" in page
    assert "more lines not shown" in page  # a flood is cut, as locally


def test_a_crashing_snippet_ran_once_per_build(builds: dict[str, Path]) -> None:
    # Ray re-runs a task whose worker died unless told not to: one line per build here.
    assert builds["count"].read_text() == "quit\nquit\n"


def test_both_builds_stored_the_same_cache_entries(builds: dict[str, Path]) -> None:
    def entries(project: Path) -> dict[str, Any]:
        found = {}
        for path in (project / ".studylog-cache").glob("*.json"):
            entry = json.loads(path.read_text(encoding="utf-8"))
            result = entry.get("result", entry)
            for block in result.get("blocks", []):
                block.pop("duration", None)
            result.pop("duration", None)
            found[path.name] = result
        return found

    local, ray = entries(builds["local"]), entries(builds["ray"])
    assert local and sorted(local) == sorted(ray)  # the same keys: a shared cache
    assert local == ray


# --------------------------------------------------------------------------- actor faults


@pytest.fixture(scope="module")
def driven(cluster: LocalCluster, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Sessions that kill or freeze their own actor, and GPU sessions, through one executor
    with one CPU actor (so they run in order) and the cluster's GPU actor."""
    base = tmp_path_factory.mktemp("driven")
    count = base / "count"
    count.touch()
    tally = f"open({str(count)!r}, 'a').write"
    sessions = [
        {"name": "first", "blocks": [[10, "print('hello', torch.ones(3).sum().item())", {}]]},
        {"name": "quit", "blocks": [[20, f"{tally}('quit\\n')\nimport os\nos._exit(7)", {}]]},
        {
            "name": "kill-actor",
            "blocks": [
                [
                    30,
                    PARENT + f"{tally}('kill\\n')\n"
                    "import os, signal, time\n"
                    "os.kill(parent_of(os.getppid()), signal.SIGKILL)\n"
                    "time.sleep(60)",
                    {},
                ]
            ],
        },
        {"name": "after-kill", "blocks": [[40, "print('alive')", {}]]},
        {
            "name": "freeze-actor",
            "blocks": [
                [50, "print('first block', flush=True)", {}],
                [
                    60,
                    PARENT + "import os, signal, time\ntime.sleep(1.5)\n"
                    "os.kill(parent_of(os.getppid()), signal.SIGSTOP)\ntime.sleep(60)",
                    {"timeout": "2"},
                ],
            ],
        },
        {"name": "after-freeze", "blocks": [[70, "print('alive again')", {}]]},
        {"name": "needs-gpu", "blocks": [[80, "print(DEVICE)", {"requires": "cuda"}]]},
        {"name": "on-gpu", "blocks": [[90, "print(DEVICE)", {"device": "cuda"}]]},
    ]
    spec = base / "spec.json"
    spec.write_text(
        json.dumps(
            {
                "address": cluster.address,
                "jobs": 1,
                "backstop": 1,
                "root": str(base),
                "sessions": sessions,
                # They kill and freeze their actor, which a sandboxed session cannot.
                "sandbox": "off",
            }
        ),
        encoding="utf-8",
    )
    out = base / "out.json"
    done = driver(
        cluster, [sys.executable, str(ROOT / "tests" / "ray_driver.py"), str(spec), str(out)], base
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return {**json.loads(out.read_text(encoding="utf-8")), "count": count.read_text()}


def test_a_killed_actor_is_a_crash_of_its_session_only(driven: dict[str, Any]) -> None:
    (block,) = driven["results"]["kill-actor"]["blocks"]
    assert driven["results"]["kill-actor"]["status"] == "crashed"
    assert "logs/ray.md:30" in block["error"] and "Ray actor running it died" in block["error"]
    assert driven["results"]["after-kill"]["blocks"][0]["stdout"] == "alive\n"
    assert driven["results"]["first"]["blocks"][0]["stdout"] == "hello 3.0\n"


def test_nothing_is_retried(driven: dict[str, Any]) -> None:
    assert driven["results"]["quit"]["status"] == "crashed"
    assert "exited with status 7" in driven["results"]["quit"]["blocks"][0]["error"]
    assert sorted(driven["count"].split()) == ["kill", "quit"]  # each ran exactly once


def test_a_frozen_actor_is_a_timeout_and_is_replaced(driven: dict[str, Any]) -> None:
    result = driven["results"]["freeze-actor"]
    assert result["status"] == "timeout"
    first, second = result["blocks"]
    assert second["status"] == "timeout" and "logs/ray.md:60" in second["error"]
    assert first["status"] == "skipped"
    assert driven["results"]["after-freeze"]["blocks"][0]["stdout"] == "alive again\n"
    # The first CPU actor, its replacement after the kill, the one after the freeze, and
    # the GPU actor.
    assert driven["actors_started"] == 4


def test_gpu_sessions_go_to_the_gpu_node_and_end_as_on_a_machine_without_cuda(
    driven: dict[str, Any],
) -> None:
    (gpu_node,) = [n["id"] for n in driven["nodes"] if n["resources"].get("GPU")]
    for name in ("needs-gpu", "on-gpu"):
        assert driven["placements"][f"logs/ray.md::{name}"] == gpu_node
        result = driven["results"][name]
        # The node offers a GPU to Ray, but torch there finds no CUDA device.
        assert (result["status"], result["device"]) == ("unavailable", "")
        assert "not usable by torch" in result["message"]
    cpu_placements = {driven["placements"][f"logs/ray.md::{n}"] for n in ("first", "after-kill")}
    assert cpu_placements <= {n["id"] for n in driven["nodes"]}


# --------------------------------------------------------------------------- front ends


SPIN = """\
# Spin

```python exec="on" session="s{n}" timeout="120"
import os, subprocess, sys, time
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)  # studylog-ray-child"],
                 start_new_session=True)
open("{marks}/s{n}", "w").close()
while True:
    time.sleep(0.01)
```
"""


def small_site(root: Path, logs: dict[str, str], options: str = "") -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "logs").mkdir()
    for name, text in logs.items():
        (root / "logs" / name).write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        f"site_name: t\nplugins:\n  - studylog:\n{options}", encoding="utf-8"
    )
    return root


def session_processes(cluster: LocalCluster) -> list[str]:
    """Command lines of the actors, workers and session children in the cluster."""
    found = []
    for pid in cluster.processes():
        try:
            line = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if any(
            m in line for m in ("SessionActor", "studylog.execute.worker", "studylog-ray-child")
        ):
            found.append(line)
    return found


def test_ctrl_c_stops_running_and_queued_sessions(cluster: LocalCluster, tmp_path: Path) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    site = small_site(
        tmp_path / "site",
        {f"s{n}.md": SPIN.format(n=n, marks=marks) for n in range(4)},
        # (the sessions say they started with files outside their folders: no sandbox)
        f"      sandbox: false\n      executor: ray\n      ray_address: {cluster.address}\n",
    )
    proc = subprocess.Popen(
        [*cluster.prefix, sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cluster.env(PYTHONPATH=PLUGINS, NO_MKDOCS_2_WARNING="1"),
    )
    deadline = time.monotonic() + 120
    # Two CPU actors: two sessions run (2 actors, 2 workers, 2 sessions and their
    # children), two wait.
    while len(list(marks.iterdir())) < 2 or len(session_processes(cluster)) < 6:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, (
            f"the sessions never started: {session_processes(cluster)}"
        )
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and "Aborted!" in err and "Traceback" not in err, err
    deadline = time.monotonic() + 15
    while session_processes(cluster) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert session_processes(cluster) == []
    # No session process is left to start one: the queued sessions never started.
    assert len(list(marks.iterdir())) == 2


def test_warm_actors_survive_serve_rebuilds(cluster: LocalCluster, tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    log = (
        '# Warm\n\n```python exec="on"\n'
        + PARENT
        + f"import os\nopen({str(pids)!r}, 'a').write(f'{{parent_of(os.getppid())}}\\n')\n"
        "print('edit', 0)\n```\n"
    )
    site = small_site(
        tmp_path / "site",
        {"warm.md": log},
        f"      sandbox: false\n      executor: ray\n      ray_address: {cluster.address}\n",
    )
    proc = subprocess.Popen(
        [*cluster.prefix, sys.executable, "-m", "mkdocs", "serve", "-a", "127.0.0.1:8765"],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=cluster.env(PYTHONPATH=PLUGINS, NO_MKDOCS_2_WARNING="1"),
    )

    def runs() -> int:
        return len(pids.read_text().split()) if pids.exists() else 0

    def edit(n: int) -> None:
        (site / "logs" / "warm.md").write_text(
            log.replace("'edit', 0", f"'edit', {n}"), encoding="utf-8"
        )

    try:
        deadline = time.monotonic() + 120
        edited = None
        while runs() < 2:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, f"{runs()} of 2 builds ran the session"
            # An edit made before the watcher's first look at the files is not seen: it is
            # made again every 2 s until a rebuild runs it (the same text is then cached).
            if runs() == 1 and (edited is None or time.monotonic() > edited + 2):
                edit(1)
                edited = time.monotonic()
            time.sleep(0.2)
        edit(2)  # and stopped as this edit's rebuild may start
    finally:
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    first, second = pids.read_text().split()[:2]
    assert first == second  # the same actor ran the session after the rebuild
    assert "Traceback" not in err, err


# A session on an actor is sandboxed as a local one is: it cannot read its worker's
# environment or write through the worker's view of the files.
SANDBOXED = """\
import os
for reach in ("environ", "root/tmp/owned"):
    try:
        open(f"/proc/{os.getppid()}/{reach}", "rb" if reach == "environ" else "w")
    except OSError:
        continue
    raise AssertionError(f"reached the worker's {reach}")
"""


def test_pytest_runs_sessions_on_the_cluster(cluster: LocalCluster, tmp_path: Path) -> None:
    project = small_site(
        tmp_path / "p",
        {
            "a.md": '# A\n\n```python exec="on" session="good"\nprint(torch.ones(2).sum())\n```\n\n'
            '```python exec="on" session="bad"\nraise ValueError("no")\n```\n\n'
            f'```python exec="on" session="sandboxed"\n{SANDBOXED}```\n'
        },
    )
    (project / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\nstudylog_logs = ["logs"]\n', encoding="utf-8"
    )
    done = driver(
        cluster,
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--studylog-executor",
            "ray",
            "--studylog-ray-address",
            cluster.address,
        ],
        project,
    )
    assert "1 failed, 2 passed" in done.stdout, done.stdout[-3000:] + done.stderr[-2000:]
    assert "ValueError: no" in done.stdout


UNREACHABLE = "127.0.0.1:9"  # the discard port: nothing listens there


@pytest.mark.parametrize("front_end", ["mkdocs", "studylog-run", "pytest"])
def test_an_unreachable_cluster_is_one_clear_error(front_end: str, tmp_path: Path) -> None:
    project = small_site(
        tmp_path / "p",
        {"a.md": '# A\n\n```python exec="on"\nprint(1)\n```\n'},
        f"      executor: ray\n      ray_address: {UNREACHABLE}\n",
    )
    (project / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\nstudylog_logs = ["logs"]\n', encoding="utf-8"
    )
    command = {
        "mkdocs": ["-m", "mkdocs", "build"],
        "studylog-run": ["-m", "studylog", "run"],
        "pytest": [
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--studylog-executor",
            "ray",
            "--studylog-ray-address",
            UNREACHABLE,
        ],
    }[front_end]
    done = subprocess.run(
        [sys.executable, *command],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,  # a front end that keeps trying to connect fails here
        env={**os.environ, "PYTHONPATH": PLUGINS, "NO_MKDOCS_2_WARNING": "1"},
    )
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    lines = [line for line in output.splitlines() if f"Ray cluster at {UNREACHABLE}" in line]
    assert len(lines) == 1, output
    assert "not reachable" in lines[0] and "ray status" in lines[0]
    assert done.returncode == {"mkdocs": 1, "studylog-run": 2, "pytest": 4}[front_end], output


def test_a_build_with_nothing_to_run_never_joins_a_cluster(
    tmp_path: Path, mkdocs_build: MkdocsBuild
) -> None:
    """Every session cached (by a local build: the cache is shared): a build with
    ``executor: ray`` runs nothing, so it neither joins the cluster (here, one that does
    not answer) nor imports Ray, and a warm rebuild costs what it costs locally."""
    project = small_site(tmp_path / "p", {"a.md": '# A\n\n```python exec="on"\nprint(1)\n```\n'})
    mkdocs_build(project, "-q", env={"PYTHONPATH": PLUGINS})
    env = {**os.environ, "PYTHONPATH": PLUGINS, "NO_MKDOCS_2_WARNING": "1"}
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + f"      executor: ray\n      ray_address: {UNREACHABLE}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mkdocs", "build"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "1 cached" in done.stderr
    assert not re.search(r"\|\s+ray$", done.stderr, re.M), "Ray was imported"


def test_a_ray_instance_studylog_starts_listens_on_the_loopback_only(tmp_path: Path) -> None:
    """``executor: ray`` without an address (and no Ray running) starts a local instance
    for the run: on 127.0.0.1 only, and gone when the run ends."""
    started, looked = tmp_path / "started", tmp_path / "looked"
    project = small_site(
        tmp_path / "p",
        {
            "a.md": (
                '# A\n\n```python exec="on"\nimport os, time\n'
                f'open({str(started)!r}, "w").close()\n'
                f"while not os.path.exists({str(looked)!r}):  # the test looks at the sockets\n"
                "    time.sleep(0.05)\nprint('done')\n```\n"
            )
        },
        "      sandbox: false\n      executor: ray\n",  # (files outside its folder)
    )
    home = Path(tempfile.mkdtemp(prefix="slhome-", dir="/tmp"))  # short: Ray's socket paths
    tag = f"local-{os.getpid()}-{time.monotonic_ns()}"
    env = {
        **os.environ,
        "PYTHONPATH": PLUGINS,
        "HOME": str(home),
        "TMPDIR": str(home),
        "RAY_USAGE_STATS_ENABLED": "0",
        "STUDYLOG_TEST_TAG": tag,
    }
    env.pop("RAY_ADDRESS", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "studylog", "run", "--json"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not started.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the session never started"
            time.sleep(0.1)
        sockets = listening(tagged(tag, "STUDYLOG_TEST_TAG"))
        looked.touch()
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
        shutil.rmtree(home, ignore_errors=True)
    assert proc.returncode == 0, err[-3000:]
    assert json.loads(out)[0]["blocks"][0]["stdout"] == "done\n"
    assert sockets, "the Ray instance listens nowhere?"
    for address, pid in sockets:
        assert address.rsplit(":", 1)[0] in ("127.0.0.1", "[::ffff:127.0.0.1]"), (address, pid)
    deadline = time.monotonic() + 15
    while tagged(tag, "STUDYLOG_TEST_TAG") and time.monotonic() < deadline:
        time.sleep(0.2)
    left = tagged(tag, "STUDYLOG_TEST_TAG")
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_stopping_the_cluster_leaves_no_process(cluster: LocalCluster) -> None:
    """Last in this module: nothing of the cluster, its actors or their sessions remains."""
    assert cluster.processes()  # it was running
    assert cluster.stop() == []
    assert tagged(cluster.tag) == []
    if cluster.isolated:
        names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        assert cluster.name not in names
