"""What a session may reach: its environment, and which guarantees this machine enforces.

Snippets come from many authors, so each session runs sandboxed (``sandbox: on``,
the default). This module owns the rules; :mod:`studylog.execute.confine` applies
them in the session's own process, with the kernel's mechanisms:

* its **environment** is an allowlist (:func:`environment`): workers start with it,
  so not even ``/proc/self/environ`` holds the build's tokens;
* its **writes** go to its own folder only; the project, the cache, the site and
  the installed packages are read-only (Landlock, and read-only mounts);
* the **home folder, /tmp, /run and the project's .git** are hidden, and
  ``/dev/shm`` and ``/tmp`` are private to it and counted in its memory (a mount
  namespace);
* **other processes** are out of its reach: their environment, their files
  through ``/proc``, their memory, their signals (Landlock);
* it has **no network** unless the site gives it (a network namespace).

What the kernel refuses (a container without user namespaces, a kernel without
Landlock) is recorded in :class:`Applied`; :func:`partial_note` says it in one
line, once per build, and ``sandbox: strict`` makes it an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from studylog.settings import SandboxSettings, is_secret_name

# Variables a session may see whatever the site lists: where programs and libraries are,
# the language, and the settings of the numeric libraries torch runs on.
SAFE_NAMES = frozenset(
    {
        *("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TERM", "TMPDIR"),
        *("PYTHONPATH", "PYTHONHASHSEED", "PYTHONUNBUFFERED", "PYTHONIOENCODING"),
        *("PYTHONUTF8", "PYTHONDONTWRITEBYTECODE", "PYTHONWARNINGS", "PYTHONNOUSERSITE"),
        *("VIRTUAL_ENV", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "LD_LIBRARY_PATH"),
        *("MPLBACKEND", "CC", "CXX", "SOURCE_DATE_EPOCH"),
        "STUDYLOG_SANDBOX_REFUSE",  # see confine.refused(): tests pretend a kernel says no
    }
)
SAFE_PREFIXES = (
    *("LC_", "OMP_", "KMP_", "GOMP_", "MKL_", "OPENBLAS_"),
    *("CUDA_", "NVIDIA_", "CUBLAS_", "CUDNN_", "HIP_", "ROCR_"),
    *("TORCH_", "TORCHINDUCTOR_", "PYTORCH_", "TRITON_"),
)


def passes(name: str, settings: SandboxSettings) -> bool:
    """Whether the variable ``name`` reaches a session: harmless or listed by the site, and
    never one named like a secret."""
    if is_secret_name(name):
        return False
    return name in SAFE_NAMES or name.startswith(SAFE_PREFIXES) or settings.lists(name)


def environment(source: Mapping[str, str], settings: SandboxSettings) -> dict[str, str]:
    """The variables of ``source`` a worker starts with (every one when the sandbox is off)."""
    if settings.mode == "off":
        return dict(source)
    return {name: value for name, value in source.items() if passes(name, settings)}


@dataclass(frozen=True)
class Applied:
    """What the kernel let one process enforce; each ``*_refused`` is None when it holds,
    else why not (``network_refused`` is also None when the session has the network)."""

    mounts_refused: str | None = "not tried"  # namespaces: read-only and hidden folders
    network_refused: str | None = "not tried"  # a network namespace of its own
    landlock: int = 0  # the Landlock ABI applied; 0: none
    landlock_refused: str | None = "not tried"

    def as_data(self) -> dict[str, Any]:
        """As JSON data (a worker's ``ready`` message carries it)."""
        return {
            "mounts_refused": self.mounts_refused,
            "network_refused": self.network_refused,
            "landlock": self.landlock,
            "landlock_refused": self.landlock_refused,
        }

    @classmethod
    def from_data(cls, data: object) -> Applied | None:
        """What :meth:`as_data` wrote; None for anything else."""
        if not isinstance(data, dict):
            return None
        texts = ("mounts_refused", "network_refused", "landlock_refused")
        if not all(data.get(k) is None or isinstance(data.get(k), str) for k in texts):
            return None
        abi = data.get("landlock")
        if not isinstance(abi, int) or isinstance(abi, bool):
            return None
        return cls(data.get("mounts_refused"), data.get("network_refused"), abi,
                   data.get("landlock_refused"))  # fmt: skip

    def guarantees(self) -> list[tuple[str, str | None]]:
        """Each guarantee in words, with None when it holds, else why it does not."""
        mounts, landlock = self.mounts_refused, self.landlock_refused
        both = mounts or landlock
        signals = None if self.landlock >= 6 else "signals: Landlock ABI 6 (Linux 6.12)"
        network = self.network_refused
        if network is not None and self.landlock >= 4:
            network = f"only TCP is blocked ({network})"
        return [
            ("no environment variables but an allowlist (no tokens or keys)", None),
            ("writes only in its own folder (the project, cache, site, packages read-only)",
             landlock),
            ("no reach into other processes (their environment, files, memory)", landlock),
            ("no signals to other processes", landlock or signals),
            ("the home folder, /tmp, /run and the project's .git hidden", both),
            ("a private /dev/shm and /tmp, counted in its memory", mounts),
            ("no network", network),
        ]  # fmt: skip

    @property
    def complete(self) -> bool:
        """Whether every guarantee holds."""
        return all(why is None for _, why in self.guarantees())


def partial_note(applied: Applied, mode: str) -> str | None:
    """The one line a build says when this machine enforces the sandbox only in part;
    None when it enforces all of it."""
    if applied.complete:
        return None
    held = [words for words, why in applied.guarantees() if why is None]
    missing = [f"{words} ({why})" for words, why in applied.guarantees() if why is not None]
    what = (
        "sandbox: strict refuses to run snippets here"
        if mode == "strict"
        else "snippets run with what holds (sandbox: strict makes this an error)"
    )
    return (
        "studylog: this machine enforces the snippet sandbox only in part. Not enforced: "
        + "; ".join(missing)
        + ". Enforced: "
        + "; ".join(held)
        + f". {what}; the guide's 'Sandbox' section says what each part needs."
    )
