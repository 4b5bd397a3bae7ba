"""Fixtures every test module may use.

The suite has two tiers (markers registered in pyproject.toml). ``python -m pytest -m
"not slow"`` is the quick run while editing: it still parses, runs sessions on real
workers, renders, builds small sites with ``mkdocs build`` and drives the CLI and the
pytest plugin. The full suite adds the tests marked ``slow``: the Ray cluster's
(``test_execute_ray.py``, also ``ray`` like the quick ``test_ray_connect.py``), the
browser suite (``browser/``, also ``browser``), the benchmark's (``test_bench_smoke.py``)
and the long end-to-end builds, each marked where it is defined (``grep -rn "mark.slow"
tests``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Protocol

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


class MkdocsBuild(Protocol):
    """What the ``mkdocs_build`` fixture gives: :func:`build_site`."""

    def __call__(
        self,
        project: Path,
        *args: str,
        ok: bool | None = True,
        env: dict[str, str] | None = None,
        timeout: float = 600,
    ) -> subprocess.CompletedProcess[str]: ...


def build_site(
    project: Path,
    *args: str,
    ok: bool | None = True,
    env: dict[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """``mkdocs build ARGS`` in ``project``, run as a user runs it (a process of its own).

    ``ok``: True asserts it succeeded, False that it failed, None checks nothing. ``env``
    is added to this process's environment; Material's end-of-life notice is silenced."""
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if ok is not None:
        assert (done.returncode == 0) is ok, done.stdout + done.stderr
    return done


@pytest.fixture(scope="session")
def mkdocs_build() -> MkdocsBuild:
    """:func:`build_site`, for test modules and their module-scoped fixtures."""
    return build_site


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The four real study logs in ../shared/seeds (skips cleanly when absent)."""
    if not (SEEDS / "expected.json").is_file():
        pytest.skip(
            "needs the seed logs (four real study logs the parser is checked against, kept "
            "outside this repository in ../shared/seeds/); this checkout has none"
        )
    return SEEDS


@pytest.fixture(scope="session")
def seeds_expected(seeds_dir: Path) -> dict[str, dict]:
    data = json.loads((seeds_dir / "expected.json").read_text(encoding="utf-8"))
    return {name: value for name, value in data.items() if not name.startswith("_")}
