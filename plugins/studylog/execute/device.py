"""What the machine can run on, found without importing torch.

The parent process must stay light (no torch: a warm build starts no worker and
imports nothing heavy), so GPU presence is read from the installed torch's
metadata and the NVIDIA driver, not from ``torch.cuda``.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import platform
import re
import shutil
import subprocess
from pathlib import Path

from studylog.execute.results import Session


@functools.cache
def torch_version() -> str | None:
    """torch's version, e.g. "2.13.0+cpu", read from ``torch/version.py`` without importing it.

    (``importlib.metadata`` would do, but importing it costs more than a whole
    warm run's cache lookups; it stays as the fallback.)
    """
    spec = importlib.util.find_spec("torch")
    if spec is None:
        return None
    for folder in spec.submodule_search_locations or ():
        try:
            text = (Path(folder) / "version.py").read_text(encoding="utf-8")
        except OSError:
            continue
        found = re.search(r"""^__version__\s*(?::\s*str\s*)?=\s*['"]([^'"]+)['"]""", text, re.M)
        if found:
            return found.group(1)
    from importlib import metadata

    try:
        return metadata.version("torch")
    except metadata.PackageNotFoundError:
        return None


@functools.cache
def gpu_count() -> int:
    """Number of CUDA GPUs the workers will see (0 on a CPU-only machine or torch build)."""
    version = torch_version()
    if version is None or "+cpu" in version:
        return 0
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None and visible.strip() in ("", "-1"):
        return 0
    count = _driver_gpus()
    if visible:
        count = min(count, len([v for v in visible.split(",") if v.strip()]))
    return count


def _driver_gpus() -> int:
    proc = Path("/proc/driver/nvidia/gpus")
    if proc.is_dir():
        return sum(1 for _ in proc.iterdir())
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return 0
    try:
        listing = subprocess.run([smi, "-L"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return 0
    return sum(1 for line in listing.stdout.splitlines() if line.startswith("GPU "))


def machine_kind() -> str:
    """This machine's device kind: cuda when it has a GPU, else cpu."""
    return "cuda" if gpu_count() else "cpu"


def target_kind(session: Session) -> str:
    """The device kind a session's outputs belong to: part of its cache key.

    ``requires="cuda"`` (or ``device="cuda"``) names cuda even on a CPU machine,
    so a CPU-only CI finds the entry written on a GPU workstation.
    """
    if session.requires_cuda or session.device == "cuda":
        return "cuda"
    if session.device == "cpu":
        return "cpu"
    return machine_kind()


def environment(session: Session) -> dict[str, str | None]:
    """What a session's outputs depend on besides its code: Python, torch, device kind."""
    return {
        "python": platform.python_version(),
        "torch": torch_version(),
        "device": target_kind(session),
    }
