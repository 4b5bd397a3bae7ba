"""The GitHub Actions workflows: linted with actionlint, and checked for what they promise.

actionlint comes from the ``test`` extra (a wheel that ships its binary); where
it is missing the lint test skips and the structural checks below still run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
CI = WORKFLOWS / "ci.yml"
PAGES = WORKFLOWS / "pages.yml"
CACHE_DIR = ".studylog-cache"


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the bare key ``on`` as True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def uses(step_list: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    return [s for s in step_list if str(s.get("uses", "")).split("@")[0] == action]


def run_text(step_list: list[dict[str, Any]]) -> str:
    return "\n".join(str(s.get("run", "")) for s in step_list)


@pytest.mark.parametrize("path", [CI, PAGES], ids=lambda p: p.name)
def test_actionlint_passes(path: Path) -> None:
    binary = shutil.which("actionlint")
    if binary is None:
        pytest.skip("actionlint is not installed (pip install -e '.[test]' provides it)")
    proc = subprocess.run(
        [binary, "-no-color", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    # Guards the lint test itself: a wrong expression and an unknown job key are found.
    binary = shutil.which("actionlint")
    if binary is None:
        pytest.skip("actionlint is not installed (pip install -e '.[test]' provides it)")
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    stepz: []\n"
        "    steps:\n      - run: echo ${{ github.nope }}\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [binary, "-no-color", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode != 0
    assert "stepz" in proc.stdout


def test_ci_checks_logs_and_runs_pytest_with_the_snippet_cache() -> None:
    ci = load(CI)
    assert {"push", "pull_request"} <= set(ci["on"])
    assert ci["permissions"] == {"contents": "read"}
    job = steps(ci, "test")
    text = run_text(job)
    assert "studylog check" in text
    assert re.search(r"python -m pytest\b", text)
    assert 'pip install -e ".[test]"' in text
    assert "mkdocs build --strict" in text  # pull requests see a broken site before merging
    restore = uses(job, "actions/cache/restore")
    save = uses(job, "actions/cache/save")
    assert len(restore) == 1 and len(save) == 1
    assert restore[0]["with"]["path"] == CACHE_DIR == save[0]["with"]["path"]
    # The cache is saved after the tests even when they fail, and under the restored key.
    names = [s.get("name", s.get("uses")) for s in job]
    assert names.index(save[0]["name"]) > names.index(restore[0]["name"])
    assert "always()" in save[0]["if"]
    assert "cache-primary-key" in save[0]["with"]["key"]
    assert job.index(restore[0]) < next(
        i for i, s in enumerate(job) if "pytest" in s.get("run", "")
    )


def test_pages_builds_strict_and_deploys_with_the_official_actions() -> None:
    pages = load(PAGES)
    assert pages["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert pages["concurrency"]["cancel-in-progress"] is False
    build = steps(pages, "build")
    assert "mkdocs build --strict" in run_text(build)
    artifact = uses(build, "actions/upload-pages-artifact")
    assert artifact and artifact[0]["with"]["path"] == "site"
    assert uses(build, "actions/cache/restore")[0]["with"]["path"] == CACHE_DIR
    deploy = pages["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(deploy["steps"], "actions/deploy-pages")


def test_both_workflows_share_one_cache_key_and_the_readme_torch_pin() -> None:
    ci, pages = load(CI), load(PAGES)
    ci_key = uses(steps(ci, "test"), "actions/cache/restore")[0]["with"]["key"]
    pages_key = uses(steps(pages, "build"), "actions/cache/restore")[0]["with"]["key"]
    assert ci_key == pages_key
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pin = re.search(r"torch==([0-9.]+)", readme)
    assert pin, "README's commands pin torch"
    assert ci["env"]["TORCH_VERSION"] == pages["env"]["TORCH_VERSION"] == pin.group(1)
    # CPU runners get the CPU wheel, never the multi-GB CUDA build.
    for workflow, job in ((ci, "test"), (pages, "build")):
        assert "whl/cpu" in run_text(steps(workflow, job))


def test_the_site_build_uses_the_cached_folder() -> None:
    # The Pages build only benefits from the restored cache if mkdocs writes to the same
    # folder that pytest uses and the workflows carry.
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(r"^\s+cache_dir:\s*([^\s#]+)", text, re.MULTILINE)
    assert match is not None, "mkdocs.yml sets the studylog plugin's cache_dir"
    assert match.group(1).strip("'\"") == CACHE_DIR
    # pytest reads the same setting from mkdocs.yml (no override of its own).
    from studylog.project import load

    assert load(ROOT / "mkdocs.yml").settings.cache_dir == CACHE_DIR
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "studylog_cache_dir" not in pyproject


@pytest.mark.parametrize("path", [CI, PAGES], ids=lambda p: p.name)
def test_material_end_of_life_notice_is_silenced(path: Path) -> None:
    # Material's own switch; without it every mkdocs step prints a 9-line notice.
    assert load(path)["env"]["NO_MKDOCS_2_WARNING"] == "1"
