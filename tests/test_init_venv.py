"""A site from ``studylog init``, installed as its workflows install it: into a fresh
virtual environment, from what ``requirements.txt`` names; then built strictly and tested.

The environment is made with ``--system-site-packages`` and pip gets no index, so
``pip install -r requirements.txt`` resolves every dependency from what is installed here
and installs only studylog itself, from the place its line names (nothing is downloaded).
That place is a copy of this checkout, described to ``init`` the way pip describes a
package installed from a folder (PEP 610 ``direct_url.json``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from studylog.cli import main, source

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow  # a venv, an install, a build and a pytest run
def test_init_then_install_as_the_workflows_do_then_build_and_test(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "studylog-src"
    copy.mkdir()
    for part in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / part, copy / part)
    shutil.copytree(
        ROOT / "plugins",
        copy / "plugins",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    installed = {"url": copy.as_uri(), "dir_info": {}}
    monkeypatch.setattr(source, "installed", lambda: (installed, "0.1.0"))

    site = tmp_path / "my-log"
    assert main(["init", str(site)]) == 0
    out = capsys.readouterr().out
    assert "requirements.txt installs studylog from a folder on this machine" in out
    requirements = (site / "requirements.txt").read_text("utf-8")
    assert f"studylog @ {copy.as_uri()}\n" in requirements
    assert "replace the next\n# line with where studylog can be fetched from" in requirements

    # Both workflows install with the same step; it is run here as written.
    steps = []
    for workflow in ("ci.yml", "pages.yml"):
        data = yaml.safe_load((site / ".github" / "workflows" / workflow).read_text("utf-8"))
        job = data["jobs"]["test" if workflow == "ci.yml" else "build"]
        (install,) = [s["run"] for s in job["steps"] if "pip install" in s.get("run", "")]
        steps.append(install)
    assert steps[0] == steps[1] and "pip install -r requirements.txt" in steps[0]

    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
        check=True,
        timeout=120,
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        VIRTUAL_ENV=str(venv),
        NO_MKDOCS_2_WARNING="1",
        PIP_NO_INDEX="1",  # what is installed here, nothing downloaded
        PIP_NO_BUILD_ISOLATION="0",  # build studylog with the setuptools installed here
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )

    def run(*command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, cwd=site, env=env, capture_output=True, text=True, timeout=600
        )

    done = run("bash", "-euo", "pipefail", "-c", steps[0])
    assert done.returncode == 0, done.stdout + done.stderr
    python = str(venv / "bin" / "python")
    where = run(python, "-c", "import studylog; print(studylog.__file__)")
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr

    built = run(python, "-m", "mkdocs", "build", "--strict")
    assert built.returncode == 0, built.stderr
    assert "column sums: [3.0, 5.0, 7.0]" in "".join(
        p.read_text("utf-8") for p in (site / "site" / "logs").rglob("index.html")
    )
    tested = run(python, "-m", "pytest", "-p", "no:cacheprovider")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "2 passed" in tested.stdout  # the example log's session and the snippet file
