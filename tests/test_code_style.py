"""The code stays as the house style says: ruff clean, ruff-formatted, mypy --strict clean.

Both are configured in pyproject.toml; these tests run them as a contributor would.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(module: str) -> None:
    if (
        subprocess.run(
            [sys.executable, "-m", module, "--version"], capture_output=True, check=False
        ).returncode
        != 0
    ):
        pytest.skip(f"{module} is not installed (pip install -e '.[test]')")


def test_ruff_finds_nothing() -> None:
    _tool("ruff")
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "plugins", "tests", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted() -> None:
    _tool("ruff")
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "plugins", "tests", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, "run `ruff format plugins tests bench`:\n" + result.stdout


def test_mypy_strict_finds_nothing() -> None:
    _tool("mypy")
    result = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
