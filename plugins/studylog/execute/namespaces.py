"""A session's own namespaces and its view of the files (worker side, for :mod:`confine`).

:func:`unshare` enters new user, mount and IPC namespaces (and a network namespace
with only a loopback); :func:`view` then shapes the mount namespace: one
``mount_setattr`` makes every mount read-only, tmpfs cover what the session must not
see, bind mounts bring back what it needs, and ``/dev`` is replaced by the few
devices it may use. The kernel's own calls through ctypes (Python 3.11 has no
``os.unshare``); the mounts hold once :mod:`confine` has dropped every capability.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import socket
import struct
from collections.abc import Iterable

_CLONE_NEWNS = 0x00020000
_CLONE_NEWIPC = 0x08000000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_MS_NOSUID, _MS_NODEV, _MS_BIND, _MS_REC, _MS_PRIVATE = 2, 4, 4096, 16384, 1 << 18
_MOUNT_SETATTR = 442  # the generic syscall table
_AT_FDCWD = -100
_AT_RECURSIVE = 0x8000
_ATTR_RDONLY, _ATTR_NOSUID = 0x1, 0x2
_SIOCSIFFLAGS, _IFF_UP = 0x8914, 0x1

# Where a session may write besides its folder (private to it, counted in its memory).
SCRATCH = ("/tmp", "/var/tmp", "/dev/shm")
# The devices a session's /dev holds (a tmpfs of its own): no disk, console, loop device,
# KVM or FUSE; GPUs where there are (CUDA, ROCm), and terminals.
DEVICES = ("null", "zero", "full", "random", "urandom", "tty", "pts", "nvidia*", "dri", "kfd")
_DEV_LINKS = (
    ("fd", "/proc/self/fd"),
    ("stdin", "/proc/self/fd/0"),
    ("stdout", "/proc/self/fd/1"),
    ("stderr", "/proc/self/fd/2"),
    ("ptmx", "pts/ptmx"),
)

_libc = ctypes.CDLL(None, use_errno=True)


class _MountAttr(ctypes.Structure):
    _fields_ = [
        ("attr_set", ctypes.c_uint64),
        ("attr_clr", ctypes.c_uint64),
        ("propagation", ctypes.c_uint64),
        ("userns_fd", ctypes.c_uint64),
    ]


def _ok(result: int, what: str) -> None:
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def under(path: str, roots: Iterable[str]) -> bool:
    """Whether ``path`` is one of ``roots`` or inside one."""
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def unshare(network: bool, maps: Iterable[tuple[str, bytes]]) -> None:
    """Enter new user, mount and IPC namespaces, and a network one with only a loopback
    unless the session has the network; ``maps`` are the writes that map its own user and
    group into the new user namespace. Raises OSError when the kernel refuses."""
    flags = _CLONE_NEWNS | _CLONE_NEWIPC | (0 if network else _CLONE_NEWNET)
    if _libc.unshare(_CLONE_NEWUSER | flags) == 0:
        # Its own ids only, mapped to themselves: nothing it does is as another user.
        for path, text in maps:
            fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
            try:
                os.write(fd, text)
            finally:
                os.close(fd)
    else:
        err = ctypes.get_errno()
        # Root where user namespaces are off may still make the others.
        if os.geteuid() != 0 or _libc.unshare(flags) != 0:
            raise OSError(err, f"user namespaces refused: {os.strerror(err)}")
    if not network:
        _loopback_up()


_LO_UP = struct.pack("16sH14x", b"lo", _IFF_UP | 0x8 | 0x40)  # up, loopback, running


def _loopback_up() -> None:
    """Bring up the new network namespace's loopback, so a snippet may talk to itself."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        fcntl.ioctl(sock, _SIOCSIFFLAGS, _LO_UP)


def _mount(source: str | None, target: str, kind: str | None, flags: int, data: str) -> None:
    _ok(
        _libc.mount(
            None if source is None else source.encode(),
            target.encode(),
            None if kind is None else kind.encode(),
            ctypes.c_ulong(flags),
            data.encode() if data else None,
        ),
        f"mount {target}",
    )


def _setattr(path: str, *, set_: int = 0, clear: int = 0, recursive: bool = True) -> None:
    attr = _MountAttr(attr_set=set_, attr_clr=clear)
    flags = _AT_RECURSIVE if recursive else 0
    _ok(
        _libc.syscall(_MOUNT_SETATTR, _AT_FDCWD, path.encode(), flags, ctypes.byref(attr), 32),
        f"mount_setattr {path}",
    )


def view(
    workdir: str,
    memory_mb: int | None,
    *,
    covered: Iterable[str],
    shown: Iterable[str],
    gits: Iterable[str],
    devices: Iterable[str],
) -> None:
    """The session's view of the files in its mount namespace: every mount read-only,
    the ``covered`` folders empty, the ``shown`` ones inside them bound back read-only, the
    ``gits`` hidden, its ``workdir`` writable, a ``/dev`` of its own holding ``devices``,
    and private ``/tmp``, ``/var/tmp`` and ``/dev/shm`` of its memory limit at most."""
    _mount(None, "/", None, _MS_REC | _MS_PRIVATE, "")  # nothing here reaches the worker
    shown = [p for p in shown if not under(p, [workdir])]
    devices = list(devices)
    fds = {path: os.open(path, os.O_PATH | os.O_CLOEXEC) for path in [workdir, *shown, *devices]}
    try:
        _setattr("/", set_=_ATTR_RDONLY | _ATTR_NOSUID)
        size = f"size={(memory_mb or 1024) + 64}m"  # the supervisor stops it at the limit
        for path in covered:
            scratch = path in SCRATCH
            _mount(
                "tmpfs", path, "tmpfs", _MS_NOSUID | _MS_NODEV,
                f"{size},mode=1777" if scratch else "size=1m,mode=0755",
            )  # fmt: skip
        for path in shown:
            os.makedirs(path, exist_ok=True)
            _mount(f"/proc/self/fd/{fds[path]}", path, None, _MS_BIND | _MS_REC, "")
        os.makedirs(workdir, exist_ok=True)
        _mount(f"/proc/self/fd/{fds[workdir]}", workdir, None, _MS_BIND, "")
        _setattr(workdir, clear=_ATTR_RDONLY)
        _dev(devices, fds, size)
        for git in gits:
            if os.path.isdir(git):  # (not when it was covered)
                _mount("tmpfs", git, "tmpfs", _MS_NOSUID | _MS_NODEV, "size=1m,mode=0755")
    finally:
        for fd in fds.values():
            os.close(fd)
    os.chdir(workdir)  # the old cwd is the covered, read-only folder


def _dev(devices: Iterable[str], fds: dict[str, int], size: str) -> None:
    """A /dev of its own: the devices it may use bound in, a private /dev/shm, read-only."""
    _mount("tmpfs", "/dev", "tmpfs", _MS_NOSUID, "size=64k,mode=0755")
    for device in devices:
        if os.path.isdir(f"/proc/self/fd/{fds[device]}"):
            os.mkdir(device)
        else:
            os.close(os.open(device, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o644))
        _mount(f"/proc/self/fd/{fds[device]}", device, None, _MS_BIND, "")
    for name, target in _DEV_LINKS:
        os.symlink(target, f"/dev/{name}")
    os.mkdir("/dev/shm")
    _setattr("/dev", set_=_ATTR_RDONLY, recursive=False)
    _mount("tmpfs", "/dev/shm", "tmpfs", _MS_NOSUID | _MS_NODEV, f"{size},mode=1777")
