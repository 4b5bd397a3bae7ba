"""Joining a Ray cluster, or starting a Ray instance on this machine, for the Ray executor.

Ray is imported here only inside the functions. Three cases:

* an address (``host:port``, ``ray://host:port``, or ``RAY_ADDRESS``): the cluster is
  probed with a plain TCP connection first, because ``ray.init`` keeps retrying an
  address that does not answer for minutes; a dead address is one
  :class:`ExecutorError` naming it and what to check;
* no address, and a Ray instance started on this machine with ``ray start`` answers
  at the address Ray recorded for it: it is joined;
* otherwise a single-node instance is started for this process and stopped with it.
  It listens on the loopback address only: by default Ray resolves 127.0.0.1 to the
  machine's reachable address and listens on every interface, so its multi-node
  switch is turned off for it (which makes Ray bind 127.0.0.1; see docs/guide.md).

Every case ships this studylog package to the nodes (``runtime_env`` ``py_modules``),
so nodes need only the snippets' own packages (torch, numpy, ...), not studylog, and
run exactly the driver's code. Nothing assumes a shared filesystem: sessions carry
their code and the code of the files they include.

Two things have no public Ray API, and this module is the one place that reaches
into ``ray._private`` for them: the address ``ray start`` recorded
(:func:`recorded_address`) and the switch that makes a local instance bind the
loopback address (:func:`loopback_only`). ``tests/test_ray_connect.py`` checks both
against the installed Ray, so an upgrade that moves them fails there, loudly.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import studylog
from studylog.execute.executor import ExecutorError

PROBE_TIMEOUT = 5.0  # seconds to open a TCP connection to the cluster's address
LOCAL_ONLY = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"  # "0": a Ray instance of 127.0.0.1 only

HINT = (
    "check that it is the head node's address as `ray start --head` printed it "
    "(host:port, port 6379 by default, or ray://host:10001 for Ray Client), that the "
    "cluster is up (`ray status` on the head node) and that this machine can reach it; "
    "or set executor: local"
)


def address(value: object) -> str | None:
    """A Ray cluster address: ``host:port``, ``ray://host:port`` or ``auto``; None or empty
    means none is set (join this machine's Ray instance, or start one)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.strip() if isinstance(value, str) else ""
    host, _, port = text.removeprefix("ray://").rpartition(":")
    if text == "auto" or (host and port.isdigit() and 0 < int(port) < 65536):
        return text
    raise ValueError(
        f"expected a Ray address such as 10.0.0.5:6379 or ray://head:10001, got {value!r}"
    )


def package_dir() -> Path:
    """The studylog package folder that the nodes are given."""
    return Path(studylog.__file__).resolve().parent


def connect(address: str | None) -> bool:
    """Connect this process to Ray; True when this call started or joined it (and so the
    caller should disconnect at the end), False when the process was already connected."""
    import ray

    if ray.is_initialized():
        return False
    given = address or os.environ.get("RAY_ADDRESS") or None
    options: dict[str, Any] = {
        "runtime_env": {"py_modules": [str(package_dir())]},
        "log_to_driver": False,
        "logging_level": logging.WARNING,
    }
    if given is None:
        recorded = recorded_address()
        if recorded and _reachable(recorded) is None:
            given = recorded
    if given is None:
        _start_local(options)
        return True
    if given != "auto":
        problem = _reachable(given)
        if problem is not None:
            raise ExecutorError(f"the Ray cluster at {given} is not reachable ({problem}); {HINT}")
    try:
        ray.init(address=given, **options)
    except Exception as exc:  # ConnectionError, RuntimeError, a version mismatch, ...
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ExecutorError(f"cannot join the Ray cluster at {given} ({first}); {HINT}") from None
    return True


def disconnect() -> None:
    """Leave the cluster (and stop the instance :func:`connect` started, if it did)."""
    import ray

    if ray.is_initialized():
        ray.shutdown()


def _start_local(options: dict[str, Any]) -> None:
    import ray

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        with loopback_only():
            ray.init(address="local", include_dashboard=False, **options)
    except Exception as exc:
        raise ExecutorError(
            f"cannot start a Ray instance on this machine ({exc}); check "
            "that Ray is installed (pip install 'studylog[ray]') or set "
            "ray_address to a running cluster"
        ) from None


@contextlib.contextmanager
def loopback_only() -> Iterator[None]:
    """A Ray instance started inside binds 127.0.0.1 only. Ray's switch for single-node
    instances is read from the environment by the instance's own processes (set while
    inside), and in this process from a constant Ray set when it was imported, which no
    public API changes (set for good: Ray reads it again while the instance runs)."""
    from ray._private import ray_constants

    before = os.environ.get(LOCAL_ONLY)
    os.environ[LOCAL_ONLY] = "0"
    ray_constants.ENABLE_RAY_CLUSTER = False  # read when Ray picks the address to bind
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(LOCAL_ONLY, None)
        else:
            os.environ[LOCAL_ONLY] = before


def recorded_address(temp_dir: str | None = None) -> str | None:
    """The address of the instance ``ray start`` last started on this machine, if any (Ray
    records it in its temporary folder; no public API reads it)."""
    from ray._private.utils import read_ray_address

    try:
        found = read_ray_address(temp_dir)
    except OSError:
        return None
    return str(found) if found else None


def _reachable(address: str) -> str | None:
    """None when a TCP connection to ``address`` opens, else why not."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return "not a host:port address"
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=PROBE_TIMEOUT):
            return None
    except TimeoutError:
        return f"no answer within {PROBE_TIMEOUT:g} s"
    except OSError as exc:
        return exc.strerror or str(exc)
