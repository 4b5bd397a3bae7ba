"""The sandbox, applied in a session's own process before its code runs (worker side).

:func:`enter` is the one call: the forked child makes it once it has its job
(so a child forked ahead of its job gets it too), and a worker makes it once
at its start in a throwaway child (:func:`probe`) to learn what the machine
allows. In order:

1. the session's variables point into its own folder (``HOME``, ``TMPDIR``,
   matplotlib's and torch's caches); the rest of its environment is the
   worker's, which started with the allowlist (:mod:`studylog.execute.sandbox`);
2. new user, mount and IPC namespaces, and a network namespace with only a
   loopback when the session has no network (:mod:`namespaces`): every mount
   becomes read-only; the home folder, ``/tmp``, ``/var/tmp``, ``/run`` and the
   project's ``.git`` are covered by empty tmpfs; Python's own folders are bound
   back read-only where they were covered, and the session's folder writable;
   ``/dev`` is its own, with the harmless devices (and GPUs); its ``/tmp`` and
   ``/dev/shm`` are sized by its memory limit and counted in it by the supervisor;
3. every capability is dropped (the bounding set too) and ``no_new_privs`` set,
   so nothing can undo the mounts;
4. Landlock (:mod:`studylog.execute.landlock`): writes only beneath the
   session's folders, no reach into processes outside (``/proc/PID/environ``,
   ``/proc/PID/root``), no signals to them, no TCP without the network.

Namespaces rather than bubblewrap: bubblewrap execs a new program per session,
and the point of forking from a warm worker is that torch is already imported
(the guide's "Sandbox" section says more). What every session of a worker would
look up the same way is looked up once, in the worker (:func:`facts`).
Each step that the kernel refuses is recorded, not raised: the caller decides
(``sandbox: strict`` refuses to run).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import glob
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from studylog.execute import landlock, namespaces
from studylog.execute.namespaces import DEVICES, SCRATCH, under
from studylog.execute.sandbox import Applied

_PR_CAPBSET_DROP, _PR_SET_NO_NEW_PRIVS, _PR_CAP_AMBIENT = 24, 38, 47

# Covered by an empty tmpfs: where the build user's secrets and other sessions' files live.
COVERED = ("/tmp", "/var/tmp", "/run")

_libc = ctypes.CDLL(None, use_errno=True)


def refused(part: str) -> bool:
    """Whether a test asked to pretend the kernel refuses ``part`` (``namespaces``,
    ``landlock``): ``STUDYLOG_SANDBOX_REFUSE=namespaces,landlock`` in the worker's
    environment, as a container without user namespaces or a kernel without Landlock."""
    return part in os.environ.get("STUDYLOG_SANDBOX_REFUSE", "").split(",")


def enter(workdir: str, *, network: bool, memory_mb: int | None) -> Applied:
    """Sandbox this process (a session about to run in ``workdir``, a folder in its
    worker's folder) with what the kernel allows; what held."""
    _own_variables(workdir)
    mounts: str | None
    net: str | None
    try:
        if refused("namespaces"):
            raise OSError(1, "user namespaces refused (STUDYLOG_SANDBOX_REFUSE)")
        namespaces.unshare(network, facts().maps)
    except OSError as exc:
        mounts = net = exc.strerror or str(exc)
    else:
        net = None  # a network namespace of its own (or the network, when it has it)
        try:
            known = facts()
            namespaces.view(
                workdir,
                memory_mb,
                covered=known.covered,
                shown=known.shown,
                gits=known.gits,
                devices=known.devices,
            )
            mounts = None
        except OSError as exc:
            mounts = exc.strerror or str(exc)
    _drop_privileges()
    version = landlock.abi()
    why: str | None = None
    if refused("landlock"):
        version, why = 0, "Landlock refused (STUDYLOG_SANDBOX_REFUSE)"
    elif not version:
        why = "this kernel offers no Landlock (Linux 5.13+ with Landlock enabled)"
    else:
        try:
            writable = [workdir, *(SCRATCH if mounts is None else ("/dev/shm",))]
            # With a network namespace of its own, its loopback is its own: TCP on it stays.
            landlock.restrict(version, writable, facts().devices, network=network or net is None)
        except OSError as exc:
            version, why = 0, f"Landlock: {exc.strerror or exc}"
    return Applied(
        mounts_refused=mounts,
        network_refused=None if network else net,
        landlock=version,
        landlock_refused=why,
    )


@dataclass(frozen=True)
class _Facts:
    """What every session of a worker would look up the same way: looked up once, in the
    worker, so the sessions forked from it inherit them (a session's own Python work
    costs more there, every page it touches being copied)."""

    covered: tuple[str, ...]  # the folders covered by an empty tmpfs
    shown: tuple[str, ...]  # Python's folders inside them, bound back read-only
    gits: tuple[str, ...]  # the .git folders a session could otherwise read
    devices: tuple[str, ...]  # the devices its /dev holds (see DEVICES)
    fonts: str | None  # matplotlib's font list, when the worker has one
    last_cap: int  # the highest capability number
    maps: tuple[tuple[str, bytes], ...]  # /proc/self files that map its own user and group


@functools.cache
def facts() -> _Facts:
    """This worker's :class:`_Facts`."""
    try:
        last = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    except (OSError, ValueError):
        last = 63
    cache = _matplotlib_cache()
    try:
        fonts: str | None = os.path.join(
            cache, max(n for n in os.listdir(cache) if n.startswith("fontlist-"))
        )
    except (OSError, ValueError):
        fonts = None
    home = os.path.expanduser("~")
    # Every worker's folder is in the temporary folder: other sessions' files are there.
    covered = _outermost(os.path.realpath(p) for p in (*COVERED, home, tempfile.gettempdir()))
    shown = [p for p in _python_folders() if under(p, covered)]
    project = os.getcwd()  # where the build started the worker
    gits = [os.path.join(p, ".git") for p in (project, *shown)]
    uid, gid = os.getuid(), os.getgid()
    return _Facts(
        covered=tuple(covered),
        shown=tuple(shown),
        gits=tuple(sorted({g for g in gits if os.path.isdir(g) and not os.path.islink(g)})),
        devices=tuple(sorted({d for name in DEVICES for d in glob.glob(f"/dev/{name}")})),
        fonts=fonts,
        last_cap=last,
        maps=(
            ("/proc/self/setgroups", b"deny"),
            ("/proc/self/uid_map", f"{uid} {uid} 1".encode()),
            ("/proc/self/gid_map", f"{gid} {gid} 1".encode()),
        ),
    )


def _own_variables(workdir: str) -> None:
    """Home and caches in the session's folder; matplotlib's font list copied in (unless
    the worker has imported matplotlib), so a session that plots first does not rebuild it."""
    config = os.path.join(workdir, ".config")
    cache = os.path.join(workdir, ".cache")
    fonts = facts().fonts
    if fonts and "matplotlib.font_manager" not in sys.modules:
        with contextlib.suppress(OSError):
            os.makedirs(os.path.join(config, "matplotlib"))
            _copy(fonts, os.path.join(config, "matplotlib", os.path.basename(fonts)))
    os.environ.update(
        {
            "HOME": workdir,
            "TMPDIR": workdir,
            "XDG_CACHE_HOME": cache,
            "XDG_CONFIG_HOME": config,
            "MPLCONFIGDIR": os.path.join(config, "matplotlib"),
            "TORCHINDUCTOR_CACHE_DIR": os.path.join(cache, "torchinductor"),
            "TRITON_CACHE_DIR": os.path.join(cache, "triton"),
        }
    )
    tempfile.tempdir = workdir


def _copy(source: str, target: str) -> None:
    """Copy a file kernel-side (no Python file objects: cheaper in a freshly forked child)."""
    src = os.open(source, os.O_RDONLY | os.O_CLOEXEC)
    try:
        dst = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        try:
            while os.sendfile(dst, src, None, 1 << 20) > 0:
                pass
        finally:
            os.close(dst)
    finally:
        os.close(src)


def _matplotlib_cache() -> str:
    """Where the worker's matplotlib keeps its cache (what ``get_cachedir`` would say)."""
    found = os.environ.get("MPLCONFIGDIR")
    if found:
        return found
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "matplotlib")


def _python_folders() -> list[str]:
    """What Python and its packages need to import: its prefixes, ``sys.path`` and the
    libraries it loads (a virtualenv or pyenv in the home folder)."""
    found = [
        sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix,
        os.path.dirname(os.path.realpath(sys.executable)),
        *sys.path,
        *os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep),
    ]  # fmt: skip
    real = {os.path.realpath(p) for p in found if p and os.path.isdir(p)}
    return _outermost(real)


def _outermost(paths: Iterable[str]) -> list[str]:
    """The existing folders of ``paths`` that no other of them contains (never ``/``)."""
    kept: list[str] = []
    for path in sorted({p for p in paths if p and p != "/" and os.path.isdir(p)}, key=len):
        if not under(path, kept):
            kept.append(path)
    return kept


def _drop_privileges() -> None:
    """No capability left, none to gain (by exec, a setuid program or otherwise), so the
    mounts above cannot be undone."""
    for cap in range(facts().last_cap + 1):
        _libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)
    _libc.prctl(_PR_CAP_AMBIENT, 4, 0, 0, 0)  # PR_CAP_AMBIENT_CLEAR_ALL
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this pid
    data = (ctypes.c_uint32 * 6)()
    _libc.capset(header, data)
    _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def probe() -> Applied:
    """What the sandbox holds on this machine, learnt in a throwaway child (a worker asks
    once, at its start)."""
    facts()  # looked up here, so every session forked from this process inherits them
    read, write = os.pipe()
    folder = tempfile.mkdtemp(prefix="studylog-probe-")
    workdir = os.path.join(folder, "session")
    os.mkdir(workdir)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - reported through the pipe
        code = 1
        try:
            os.close(read)
            applied = enter(workdir, network=False, memory_mb=None)
            os.write(write, json.dumps(applied.as_data()).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 1 << 16):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    shutil.rmtree(folder, ignore_errors=True)
    try:
        found = Applied.from_data(json.loads(b"".join(chunks) or b"null"))
    except ValueError:
        found = None
    return found or Applied(mounts_refused="the probe failed", landlock_refused="the probe failed")
