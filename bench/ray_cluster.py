"""A local two-node Ray cluster bound to the loopback address, for the tests and the bench.

    cluster = LocalCluster(nodes=[{"cpus": 1}, {"cpus": 1, "gpus": 1}])
    cluster.start()            # a head node and a second node, ~5-10 s each
    subprocess.run([*cluster.prefix, sys.executable, "-m", "mkdocs", "build"], env=...)
    cluster.stop()             # every process of the cluster, by pid

``ray start --node-ip-address 127.0.0.1`` alone does not keep a node on the
loopback: Ray resolves 127.0.0.1 to the machine's reachable address and listens
on every interface. So the cluster lives in a network namespace of its own that
has only a loopback interface: Ray finds nothing but 127.0.0.1 there (it logs that
it could not reach a public address and falls back), and no traffic can leave.
A driver must run in the same namespace: ``prefix`` is the command prefix that
puts it there. Where namespaces are not permitted, the cluster is started without
one (``isolated`` is False and :attr:`note` says so): it then listens on the
machine's address too.

Processes are found by a tag in their environment (every process of the cluster
inherits it from ``ray start``) and by the namespace's own list, and stopped by
pid: ``ray stop`` would stop every Ray process on the machine, other people's too.
The cluster keeps its files in a temporary folder of its own, so it is not
recorded as "the" Ray instance of the machine (``/tmp/ray/ray_current_cluster``).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

TAG = "STUDYLOG_RAY_CLUSTER"  # environment variable holding the cluster's tag
RAY_ENV = {"RAY_USAGE_STATS_ENABLED": "0"}


class ClusterError(Exception):
    """The cluster could not be started; the message has Ray's own output."""


def _ray() -> str:
    found = shutil.which("ray") or str(Path(sys.executable).with_name("ray"))
    if not Path(found).exists():
        raise ClusterError("the `ray` command is not installed (pip install 'studylog[ray]')")
    return found


class LocalCluster:
    """A head node and more nodes on this machine; see the module docstring."""

    def __init__(
        self, nodes: list[dict[str, int]] | None = None, *, port: int = 6379, namespace: bool = True
    ) -> None:
        self.nodes = nodes or [{"cpus": 1}, {"cpus": 1, "gpus": 1}]
        self.tag = uuid.uuid4().hex[:12]
        self.name = f"studylog-{self.tag}"
        self.want_namespace = namespace
        self.isolated = False
        self.port = port
        self.temp = ""
        self.note = ""
        self.started = False
        self.log: list[str] = []

    # -- what a driver needs -------------------------------------------------------------

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def prefix(self) -> list[str]:
        """The command prefix that runs a driver where the cluster is reachable."""
        return ["ip", "netns", "exec", self.name] if self.isolated else []

    def driver_env(self) -> dict[str, str]:
        """What a driver needs beyond an ordinary environment: the tag (so its processes are
        found) and the cluster's own authentication token (whatever ~/.ray holds here)."""
        auth = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN_PATH": self.token_path}
        return {**RAY_ENV, **auth, TAG: self.tag}

    def env(self, **extra: str) -> dict[str, str]:
        """This process's environment with :meth:`driver_env` and ``extra``."""
        return {**os.environ, **self.driver_env(), **extra}

    @property
    def token_path(self) -> str:
        return str(Path(self.temp) / "auth_token")

    # -- start and stop -------------------------------------------------------------------

    def start(self) -> None:
        atexit.register(self.stop)
        self.temp = tempfile.mkdtemp(prefix="slray-", dir="/tmp")  # short: socket paths
        Path(self.token_path).write_text(secrets.token_hex(32), encoding="utf-8")
        os.chmod(self.token_path, 0o600)
        self.isolated = self.want_namespace and self._make_namespace()
        if not self.isolated:
            self.port = _free_port()
            self.note = (
                "no network namespace could be made here: the test cluster listens "
                "on this machine's address, not only on the loopback"
            )
        self.started = True
        head, *others = self.nodes
        self._ray_start(
            [
                "--head",
                f"--port={self.port}",
                "--include-dashboard=false",
                f"--temp-dir={self.temp}",
                *_resources(head),
            ]
        )
        for node in others:
            self._ray_start([f"--address={self.address}", *_resources(node)])

    def stop(self) -> list[int]:
        """Stop every process of the cluster; the pids that were still there after it."""
        if not self.started:
            return []
        self.started = False
        left = self.processes()
        for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            for pid in left:
                with contextlib.suppress(OSError):
                    os.kill(pid, sig)
            deadline = time.monotonic() + wait
            while left and time.monotonic() < deadline:
                time.sleep(0.1)
                left = self.processes()
            if not left:
                break
        if self.isolated:
            subprocess.run(["ip", "netns", "del", self.name], capture_output=True, check=False)
        shutil.rmtree(self.temp, ignore_errors=True)
        return left

    def processes(self) -> list[int]:
        """Living processes (zombies left out) of the cluster and of its drivers."""
        pids = set(tagged(self.tag))
        if self.isolated:
            listed = subprocess.run(
                ["ip", "netns", "pids", self.name], capture_output=True, text=True, check=False
            ).stdout.split()
            pids |= {int(p) for p in listed if p.isdigit() and _living(int(p))}
        pids.discard(os.getpid())
        return sorted(pids)

    def _make_namespace(self) -> bool:
        made = subprocess.run(["ip", "netns", "add", self.name], capture_output=True, check=False)
        if made.returncode != 0:
            return False
        up = subprocess.run(
            ["ip", "netns", "exec", self.name, "ip", "link", "set", "lo", "up"],
            capture_output=True,
            check=False,
        )
        if up.returncode != 0:
            subprocess.run(["ip", "netns", "del", self.name], capture_output=True, check=False)
            return False
        return True

    def _ray_start(self, args: list[str]) -> None:
        command = [
            *self.prefix,
            _ray(),
            "start",
            "--node-ip-address=127.0.0.1",
            "--disable-usage-stats",
            *args,
        ]
        # TMPDIR: the nodes' workers keep their temporary folders in the cluster's own.
        done = subprocess.run(
            command,
            env=self.env(TMPDIR=self.temp),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        self.log.append(done.stdout + done.stderr)
        if done.returncode != 0:
            self.stop()
            raise ClusterError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def _resources(node: dict[str, int]) -> list[str]:
    return [f"--num-cpus={node.get('cpus', 1)}", f"--num-gpus={node.get('gpus', 0)}"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _living(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != b"Z"


def tagged(tag: str, name: str = TAG) -> list[int]:
    """Living processes whose environment has ``name=tag``."""
    wanted = f"{name}={tag}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            environ = Path(f"/proc/{entry}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if wanted in environ and _living(int(entry)):
            found.append(int(entry))
    return found


def listening(pids: list[int], prefix: list[str] | None = None) -> list[tuple[str, int]]:
    """(local address, pid) of every listening TCP socket of ``pids``, from ``ss`` (run
    with ``prefix``: a cluster's namespace)."""
    out = subprocess.run(
        [*(prefix or []), "ss", "-ltnpH"], capture_output=True, text=True, check=False
    ).stdout
    found = []
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 6:
            continue
        for pid in pids:
            if f"pid={pid}," in fields[-1]:
                found.append((fields[3], pid))
    return found


def describe(cluster: LocalCluster) -> dict[str, Any]:
    return {
        "address": cluster.address,
        "isolated": cluster.isolated,
        "note": cluster.note,
        "nodes": cluster.nodes,
    }
