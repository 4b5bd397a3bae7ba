"""A snippet cannot harm the project: the hostile logs of ``fixtures/security/sandbox``.

Each log tries one thing a probe of the project found a snippet could do (a
build's token printed onto the page, a log planted for the next build, another
session's cache entry rewritten, studylog's own source patched, data sent out,
memory hidden where RSS does not see it). They run on a real worker, in one run
(module-scoped: torch is imported once), with the site's options read from the
fixture's ``mkdocs.yml``; the test gives the attacks their targets through
variables the site lists (``HOSTILE_*``), as an attacker would guess them.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import shutil
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import torch

import studylog
from studylog import project as projects
from studylog.execute import ExecutorError, LocalExecutor, SessionResult, collect_sessions, run
from studylog.execute.confine import probe
from studylog.execute.sandbox import environment
from studylog.model import Log
from studylog.parse import parse_paths
from studylog.parse.fences import make_snippet
from studylog.settings import SandboxSettings, env_names

if TYPE_CHECKING:
    from conftest import MkdocsBuild

FIXTURE = Path(__file__).parent / "fixtures" / "security" / "sandbox"
CANARY = f"studylog-canary-{uuid.uuid4().hex}"
SECRETS = {"GITHUB_TOKEN": CANARY, "AWS_SECRET_ACCESS_KEY": CANARY, "OPENAI_API_KEY": CANARY}
MEMORY_MB = 1200  # the session and a DataLoader worker count twice in RSS (shared pages)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _Listener:
    """A TCP and a UDP socket on one loopback port of this machine, noting who reaches them."""

    def __init__(self) -> None:
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.udp.settimeout(0.2)
        self.accepted = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.tcp.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.tcp.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            with conn:
                conn.sendall(b"hello from outside")

    def datagrams(self) -> list[bytes]:
        found = []
        while True:
            try:
                found.append(self.udp.recv(64))
            except TimeoutError:
                return found

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.tcp.close()
        self.udp.close()


def _needs_the_whole_sandbox() -> None:
    """Skip, naming what is missing, on a machine whose kernel refuses part of the sandbox
    (a container without user namespaces or Landlock): what such a machine still enforces,
    and what the build says there, is tested with the refusals simulated below."""
    missing = [what for what, why in probe().guarantees() if why is not None]
    if missing:
        pytest.skip("this machine does not enforce: " + "; ".join(missing))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    _needs_the_whole_sandbox()
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text(
        f'[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic {CANARY}\n'
    )
    entry = root / ".studylog-cache" / "0000-other-session.json"
    entry.parent.mkdir()
    entry.write_text('{"another": "session"}\n')
    guarded = {
        "entry": entry,
        "studylog": Path(studylog.__file__).parent / "render" / "outputs.py",
        "torch": Path(torch.__file__).parent / "version.py",
    }
    before = {name: _digest(path) for name, path in guarded.items()}
    listener = _Listener()
    tag = f"studylog-hostile-{uuid.uuid4().hex[:8]}"
    added = {
        **SECRETS,
        "HOSTILE_PROJECT": str(root),
        "HOSTILE_PORT": str(listener.port),
        "HOSTILE_BUILD_PID": str(os.getpid()),
        "HOSTILE_TAG": tag,
    }
    saved = {name: os.environ.get(name) for name in added}
    os.environ.update(added)
    try:
        site = projects.load(root / "mkdocs.yml")
        sessions, problems = collect_sessions(
            parse_paths([site.logs_dir], root=root), project_root=root, default_timeout=60
        )
        assert problems == []
        with LocalExecutor(
            jobs=1,
            cwd=root,
            memory_limit_mb=MEMORY_MB,
            sandbox=site.settings.executor.sandbox,
        ) as executor:
            results = run(sessions, project_root=root, executor=executor)
            notes = executor.notes()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        datagrams = listener.datagrams()
        listener.close()
    yield {
        "results": {r.session: r for r in results},
        "root": root,
        "changed": [name for name, path in guarded.items() if _digest(path) != before[name]],
        "planted": sorted(p.name for p in root.rglob("*pwned*")),
        "accepted": listener.accepted,
        "datagrams": datagrams,
        "shm_left": os.path.exists(f"/dev/shm/{tag}"),
        "notes": notes,
    }
    for path in guarded.values():  # should a write have gone through, undo it
        if path.read_text(errors="replace").endswith("# POISONED\n"):
            path.write_text(path.read_text().replace("\n# POISONED\n", ""))


def _out(outcome: dict[str, Any], session: str) -> SessionResult:
    found = outcome["results"][session]
    assert isinstance(found, SessionResult)
    return found


def _printed(result: SessionResult) -> str:
    return "".join(b.stdout + b.stderr + (b.error or "") for b in result.blocks)


def test_the_machine_enforces_the_whole_sandbox(hostile: dict[str, Any]) -> None:
    """(Where it cannot, the other tests would say what broke; this says why.)"""
    assert hostile["notes"] == []


def test_no_secret_of_the_build_reaches_a_session(hostile: dict[str, Any]) -> None:
    result = _out(hostile, "secrets")
    printed = _printed(result)
    assert result.status == "ok", printed
    assert CANARY not in printed and "LEAK" not in printed, printed
    assert "os.environ: clean" in printed
    assert "/proc/self/environ: clean" in printed
    assert ".git/config: refused (FileNotFoundError)" in printed  # hidden


def test_writes_to_the_project_the_cache_and_the_packages_are_refused(
    hostile: dict[str, Any],
) -> None:
    result = _out(hostile, "writes")
    printed = _printed(result)
    assert result.status == "ok", printed
    assert "WROTE" not in printed
    for target in ("log", "docs", "cache entry", "studylog source", "torch", "through /proc"):
        assert f"refused {target}:" in printed
    assert hostile["planted"] == []
    assert hostile["changed"] == []
    assert "own folder: mine" in printed  # its own folder is writable


def test_another_sessions_cache_entry_is_not_writable(hostile: dict[str, Any]) -> None:
    assert "refused cache entry:" in _printed(_out(hostile, "writes"))
    assert "entry" not in hostile["changed"]


def test_no_signal_reaches_the_worker_or_the_build(hostile: dict[str, Any]) -> None:
    printed = _printed(_out(hostile, "writes"))
    assert "SIGNALLED" not in printed
    assert "refused signal to worker: PermissionError" in printed
    assert "refused signal to build: PermissionError" in printed


def test_no_network_by_default(hostile: dict[str, Any]) -> None:
    printed = _printed(_out(hostile, "quiet"))
    assert "CONNECTED" not in printed
    assert "refused tcp:" in printed
    assert hostile["datagrams"] == []  # the datagram it sent never arrived


def test_the_network_when_the_site_lets_a_fence_ask_for_it(hostile: dict[str, Any]) -> None:
    result = _out(hostile, "asks")
    assert result.status == "ok", _printed(result)
    assert "CONNECTED hello from outside" in result.blocks[0].stdout
    assert hostile["accepted"] == 1  # this session's connection, and no other


@pytest.mark.parametrize("session", ["memfd", "shm"])
def test_memory_hidden_from_rss_counts_against_the_limit(
    hostile: dict[str, Any], session: str
) -> None:
    (block,) = _out(hostile, session).blocks
    assert block.status == "crashed", block
    assert f"over the memory limit of {MEMORY_MB:,} MiB" in (block.error or "")
    assert "HELD" not in block.stdout


def test_a_sessions_dev_shm_is_its_own_and_goes_with_it(hostile: dict[str, Any]) -> None:
    assert hostile["shm_left"] is False


def test_torch_works_inside_the_sandbox(hostile: dict[str, Any]) -> None:
    result = _out(hostile, "torch")
    (block,) = result.blocks
    assert result.status == "ok", _printed(result)
    printed = _printed(result)
    assert "threads 2 matmul (256, 256)" in block.stdout, printed
    assert "loader 28.0" in block.stdout, printed  # DataLoader workers: fork, shared memory
    assert "config in own folder True" in block.stdout, printed  # matplotlib's config
    assert len(block.figures) == 1, printed


# -- where the kernel refuses ------------------------------------------------------------------


def _one_session(tmp: Path) -> list[Any]:
    snippet = make_snippet("logs/a.md", 3, "print('ran')", {"exec": "on"})
    sessions, _ = collect_sessions([Log("logs/a.md", "", 1, snippets=(snippet,))], project_root=tmp)
    return sessions


def test_a_refused_sandbox_is_said_once_and_what_holds_still_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A container without user namespaces, a kernel without Landlock: the run goes on."""
    monkeypatch.setenv("STUDYLOG_SANDBOX_REFUSE", "namespaces,landlock")
    monkeypatch.setenv("GITHUB_TOKEN", CANARY)
    code = "import os\nprint('ran', os.environ.get('GITHUB_TOKEN'))"
    snippet = make_snippet("logs/a.md", 3, code, {"exec": "on"})
    sessions, _ = collect_sessions(
        [Log("logs/a.md", "", 1, snippets=(snippet,))], project_root=tmp_path
    )
    with LocalExecutor(jobs=1) as executor:
        (result,) = run(sessions, project_root=tmp_path, executor=executor)
        notes = executor.notes()
    assert result.status == "ok" and result.blocks[0].stdout == "ran None\n"
    (note,) = notes
    assert "only in part" in note
    missing, held = note.split("Not enforced: ")[1].split(". Enforced: ")
    assert "no network" in missing and "writes only in its own folder" in missing
    assert "environment variables but an allowlist" in held


def test_strict_makes_a_refused_sandbox_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDYLOG_SANDBOX_REFUSE", "namespaces")
    with (
        LocalExecutor(jobs=1, sandbox=SandboxSettings(mode="strict")) as executor,
        pytest.raises(ExecutorError, match=r"Not enforced: .*no network"),
    ):
        run(_one_session(tmp_path), project_root=tmp_path, executor=executor)


# -- the rules ----------------------------------------------------------------------------------


def test_the_environment_is_an_allowlist_that_never_passes_a_secret() -> None:
    source = {
        "PATH": "/usr/bin",
        "LANG": "ko_KR.UTF-8",
        "OMP_NUM_THREADS": "2",
        "GITHUB_TOKEN": "t",
        "HF_TOKEN": "t",
        "SSH_AUTH_SOCK": "/run/agent",
        "TORCH_API_KEY": "t",  # a harmless prefix does not pass a secret's name
        "DATABASE_URL": "postgres://user:pw@db/x",
        "WANDB_MODE": "offline",
    }
    listed = SandboxSettings(env=("WANDB_*",))
    assert environment(source, listed) == {
        "PATH": "/usr/bin",
        "LANG": "ko_KR.UTF-8",
        "OMP_NUM_THREADS": "2",
        "WANDB_MODE": "offline",
    }
    assert environment(source, SandboxSettings(mode="off")) == source


@pytest.mark.parametrize("name", ["GITHUB_TOKEN", "OPENAI_API_KEY", "DB_PASSWORD", "NPM_AUTH"])
def test_a_site_cannot_list_a_secret_for_its_sessions(name: str) -> None:
    with pytest.raises(ValueError, match="named like a secret"):
        env_names(["WANDB_MODE", name])


@pytest.mark.parametrize(
    ("network", "asks", "granted"),
    [("off", True, False), ("off", False, False), ("on", False, True), ("fence", True, True),
     ("fence", False, False)],
)  # fmt: skip
def test_who_has_the_network(network: str, asks: bool, granted: bool) -> None:
    assert SandboxSettings(network=network).grants_network(asks) is granted


def test_no_device_but_the_harmless_ones(hostile: dict[str, Any]) -> None:
    """No disk, loop device, console, KVM or FUSE: a /dev of its own."""
    result = _out(hostile, "devices")
    (line,) = [x for x in result.blocks[0].stdout.splitlines() if x.startswith("devices:")]
    opened = set(ast.literal_eval(line.split(":", 1)[1].strip()))
    harmless = {"null", "zero", "full", "random", "urandom", "tty", "ptmx"}
    own = {"stdin", "stdout", "stderr"}  # its own file descriptors
    assert opened <= harmless | own, opened
    assert "null" in opened


@pytest.mark.slow  # torch.compile compiles C++ with the system's compiler: tens of seconds
def test_torch_compile_works_and_caches_in_the_sessions_folder(tmp_path: Path) -> None:
    code = (
        "import os, torch\n"
        "f = torch.compile(lambda x: torch.sin(x) * 2 + 1)\n"
        "x = torch.ones(4)\n"
        "print('compiled', torch.allclose(f(x), torch.sin(x) * 2 + 1))\n"
        "cache = os.environ['TORCHINDUCTOR_CACHE_DIR']\n"
        "print('cache in own folder', cache.startswith(os.getcwd()), bool(os.listdir(cache)))\n"
    )
    snippet = make_snippet("logs/a.md", 3, code, {"exec": "on", "timeout": "300"})
    sessions, _ = collect_sessions(
        [Log("logs/a.md", "", 1, snippets=(snippet,))], project_root=tmp_path
    )
    with LocalExecutor(jobs=1) as executor:
        (result,) = run(sessions, project_root=tmp_path, executor=executor)
    printed = _printed(result)
    assert result.status == "ok", printed
    assert "compiled True" in printed and "cache in own folder True True" in printed, printed


# -- end to end: mkdocs build ------------------------------------------------------------------


@pytest.mark.slow  # a build that runs the hostile logs (but the memory hogs)
def test_a_build_of_the_hostile_logs_publishes_no_secret_and_changes_nothing(
    tmp_path: Path, mkdocs_build: MkdocsBuild
) -> None:
    _needs_the_whole_sandbox()
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("*memory*"))
    listener = _Listener()
    try:
        env = {**SECRETS, "HOSTILE_PROJECT": str(root), "HOSTILE_PORT": str(listener.port)}
        env["HOSTILE_BUILD_PID"] = "1"
        done = mkdocs_build(root, env=env)
    finally:
        listener.close()
    leaks = [
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and CANARY.encode() in p.read_bytes()
    ]
    assert leaks == []  # not in a page, the search index or a cache entry
    assert sorted(p.name for p in root.rglob("*pwned*")) == []
    assert "only in part" not in done.stderr  # this machine enforces all of it
    page = (root / "site" / "logs" / "2024-06-02-writes" / "index.html").read_text()
    assert "refused log:" in page and "refused cache entry:" in page
    assert re.search(r"WROTE \w", page) is None  # (the source shows ``WROTE {name}``)


@pytest.mark.slow  # a build with two workers
def test_a_build_says_once_what_the_machine_does_not_enforce(
    tmp_path: Path, mkdocs_build: MkdocsBuild
) -> None:
    root = tmp_path / "site"
    (root / "logs").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n")
    for n in range(4):
        (root / "logs" / f"s{n}.md").write_text(f'# S{n}\n\n```python exec="on"\nprint({n})\n```\n')
    (root / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - studylog:\n      jobs: 2\n")
    done = mkdocs_build(root, env={"STUDYLOG_SANDBOX_REFUSE": "namespaces"})
    assert done.stderr.count("enforces the snippet sandbox only in part") == 1, done.stderr
    strict = root / "mkdocs.yml"
    strict.write_text(strict.read_text() + "      sandbox: strict\n")
    shutil.rmtree(root / ".studylog-cache")
    failed = mkdocs_build(root, env={"STUDYLOG_SANDBOX_REFUSE": "namespaces"}, ok=False)
    assert "sandbox: strict refuses to run snippets here" in failed.stderr
    assert "Traceback" not in failed.stderr


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, SandboxSettings()),
        ({"sandbox": False, "network": True}, SandboxSettings(mode="off", network="on")),
        ({"sandbox": "strict", "network": "fence"}, SandboxSettings("strict", "fence")),
        ({"sandbox_env": ["WANDB_MODE"]}, SandboxSettings(env=("WANDB_MODE",))),
    ],
)
def test_the_sites_options(options: dict[str, object], expected: SandboxSettings) -> None:
    from studylog.mkdocs_plugin.config import validate

    found, errors = validate(options)
    assert errors == [] and found is not None
    assert found.executor.sandbox == expected


@pytest.mark.parametrize(
    ("options", "said"),
    [
        ({"sandbox": "maybe"}, "sandbox: expected true, false or strict"),
        ({"network": "sometimes"}, "network: expected false, true or fence"),
        ({"sandbox_env": ["HF_TOKEN"]}, "sandbox_env: 'HF_TOKEN' is named like a secret"),
    ],
)
def test_a_wrong_option_is_one_clear_error(options: dict[str, object], said: str) -> None:
    from studylog.mkdocs_plugin.config import validate

    found, errors = validate(options)
    assert found is None and len(errors) == 1 and errors[0].startswith(said), errors
