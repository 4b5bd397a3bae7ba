"""The pipeline's core never imports the glue, the glue's frameworks, torch or Ray.

Each core module is imported in a fresh interpreter so nothing else in the
test process can hide an import it makes. The glue (the MkDocs and pytest
plugins, the command line, the project loader) and the build memo sit at the
edge: the core is handed what it needs from them, never imports them.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import studylog

GLUE = (
    "studylog.mkdocs_plugin",
    "studylog.pytest_plugin",
    "studylog.cli",
    "studylog.__main__",
    "studylog.project",
    "studylog.memo",
)
# Modules that only ever run inside a worker process, where torch is the point.
WORKER_ONLY = ("studylog.execute.worker",)


def core_modules() -> list[str]:
    names = [
        info.name
        for info in pkgutil.walk_packages(studylog.__path__, prefix="studylog.")
        if not info.name.startswith(GLUE)
    ]
    return sorted(names)


@pytest.mark.parametrize("module", core_modules())
def test_core_module_imports_no_framework(module: str) -> None:
    # Ray is an optional extra: even the Ray executor's modules import it only when used.
    forbidden = ["mkdocs", "pytest", "_pytest", "ray", *GLUE]
    if not module.startswith(WORKER_ONLY):
        forbidden.append("torch")
    code = (
        f"import sys, {module}\n"
        f"bad = [m for m in {forbidden!r} if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"{module} imports {out}"


def test_pytest_plugin_import_is_cheap() -> None:
    """The pytest11 entry point is loaded into every pytest run: no torch, no mkdocs."""
    code = (
        "import sys\n"
        "import studylog.pytest_plugin\n"
        "print(','.join(m for m in ('torch', 'mkdocs', 'matplotlib') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
