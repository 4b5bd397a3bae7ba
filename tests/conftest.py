from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


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
