"""Landlock: the kernel's unprivileged sandbox, through its three system calls (Linux 5.13+).

A process that restricts itself with a Landlock ruleset (and everything it
starts) may write only beneath the folders the rules name; may not ptrace,
read ``/proc/PID/environ``, ``/proc/PID/mem`` or follow ``/proc/PID/root`` of a
process outside its domain; may not mount; from ABI 4 may not connect or bind
TCP sockets unless allowed; from ABI 6 may not signal processes outside its
domain or reach their abstract Unix sockets. It needs no privilege and no
namespace, which is why studylog uses it besides its mount namespace: it also
holds in a container that has no user namespaces. No library on PyPI wraps it
in a maintained way, and the ABI is three calls and three structs.
"""

from __future__ import annotations

import ctypes
import os
import platform
from collections.abc import Iterable

# The generic syscall table (x86_64, aarch64, riscv64 and the others share it).
_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1

EXECUTE = 1 << 0
WRITE_FILE = 1 << 1
READ_FILE = 1 << 2
READ_DIR = 1 << 3
REMOVE_DIR = 1 << 4
REMOVE_FILE = 1 << 5
MAKE_CHAR = 1 << 6
MAKE_DIR = 1 << 7
MAKE_REG = 1 << 8
MAKE_SOCK = 1 << 9
MAKE_FIFO = 1 << 10
MAKE_BLOCK = 1 << 11
MAKE_SYM = 1 << 12
REFER = 1 << 13  # ABI 2
TRUNCATE = 1 << 14  # ABI 3

NET_BIND_TCP = 1 << 0  # ABI 4
NET_CONNECT_TCP = 1 << 1
SCOPE_ABSTRACT_UNIX = 1 << 0  # ABI 6
SCOPE_SIGNAL = 1 << 1

_WRITES = (
    WRITE_FILE | REMOVE_DIR | REMOVE_FILE | MAKE_CHAR | MAKE_DIR | MAKE_REG | MAKE_SOCK
    | MAKE_FIFO | MAKE_BLOCK | MAKE_SYM
)  # fmt: skip
DEVICE_WRITES = WRITE_FILE | TRUNCATE  # /dev/null, a terminal, a GPU: no new files


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


_libc = ctypes.CDLL(None, use_errno=True)


def _call(number: int, *args: object) -> int:
    result = int(_libc.syscall(number, *args))
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return result


def abi() -> int:
    """The Landlock ABI this kernel offers; 0 when it has none (or it is turned off)."""
    if platform.system() != "Linux":
        return 0
    try:
        return _call(_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    except OSError:
        return 0


def writes(version: int) -> int:
    """The write rights ABI ``version`` knows (each ABI adds some)."""
    found = _WRITES
    if version >= 2:
        found |= REFER
    if version >= 3:
        found |= TRUNCATE
    return found


def restrict(
    version: int,
    writable: Iterable[str],
    devices: Iterable[str],
    *,
    network: bool,
) -> None:
    """Restrict this process (and what it starts) for good: writes only beneath
    ``writable`` (device writes beneath ``devices``), no TCP unless ``network``, no
    signals or abstract sockets outside its domain. Raises OSError when refused."""
    handled = writes(version)
    attr = _RulesetAttr(handled_access_fs=handled)
    size = 8  # ABI 1-3 know the first field only
    if version >= 4:
        size = 16
        if not network:
            attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP
    if version >= 6:
        size = 24
        attr.scoped = SCOPE_ABSTRACT_UNIX | SCOPE_SIGNAL
    ruleset = _call(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0)
    try:
        for paths, rights in ((writable, handled), (devices, handled & DEVICE_WRITES)):
            for path in paths:
                _allow(ruleset, path, rights)
        _call(_RESTRICT_SELF, ruleset, 0)
    finally:
        os.close(ruleset)


def _allow(ruleset: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # nothing there to allow
    try:
        rule = _PathBeneath(allowed_access=rights, parent_fd=fd)
        _call(_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0)
    finally:
        os.close(fd)
