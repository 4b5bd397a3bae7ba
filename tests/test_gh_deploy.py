"""``mkdocs gh-deploy`` publishes the demo site to the ``gh-pages`` branch of ``origin``.

``origin`` is a local bare repository, so nothing leaves the machine: the test
copies the demo project (mkdocs.yml, docs/, logs/, snippets/) into a fresh git
repository, deploys, and reads the published branch back with git.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # the demo built and pushed to a git remote

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "docs", "logs", "snippets")


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, f"git {' '.join(args)}:\n{proc.stdout}{proc.stderr}"
    return proc.stdout


def git_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            # A fixed identity, and none of the machine's git configuration (signing, hooks).
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "studylog test",
            "GIT_AUTHOR_EMAIL": "test@example.invalid",
            "GIT_COMMITTER_NAME": "studylog test",
            "GIT_COMMITTER_EMAIL": "test@example.invalid",
            "GIT_TERMINAL_PROMPT": "0",
        }
    )
    return env


def share_snippet_cache(config: Path) -> None:
    """Point the copy at the project's own snippet cache.

    Entries are content-addressed and independent of where the project lies, so the
    copy's build reuses what ``pytest`` or ``mkdocs build`` already ran here, and what
    it runs is reused by them in turn.
    """
    text = config.read_text(encoding="utf-8")
    shared = (ROOT / ".studylog-cache").as_posix()
    text, count = re.subn(
        r"^(\s+cache_dir:).*$", lambda m: f"{m.group(1)} {shared}", text, flags=re.MULTILINE
    )
    if count:
        config.write_text(text, encoding="utf-8")


@pytest.fixture
def demo_repo(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = git_env(tmp_path)
    origin = tmp_path / "origin.git"
    work = tmp_path / "demo"
    git("init", "--bare", "--quiet", str(origin), cwd=tmp_path, env=env)
    work.mkdir()
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, work / part)
        elif source.is_file():
            shutil.copy2(source, work / part)
    share_snippet_cache(work / "mkdocs.yml")
    git("init", "--quiet", "-b", "main", cwd=work, env=env)
    git("add", ".", cwd=work, env=env)
    git("commit", "--quiet", "-m", "Demo site", cwd=work, env=env)
    git("remote", "add", "origin", str(origin), cwd=work, env=env)
    return work, origin, env


def test_gh_deploy_publishes_the_demo_site_to_gh_pages(
    demo_repo: tuple[Path, Path, dict[str, str]],
) -> None:
    work, origin, env = demo_repo
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "gh-deploy", "--force", "--ignore-version"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr

    published = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=origin, env=env).split()
    assert "index.html" in published
    assert ".nojekyll" in published  # Pages serves the site as is, without Jekyll
    # The generated keyword index (a page no one wrote into docs/) is published too.
    assert "keywords/index.html" in published
    assert not (work / "docs" / "keywords.md").exists()
    index = git("show", "gh-pages:keywords/index.html", cwd=origin, env=env)
    assert "MLP" in index  # a keyword of the demo logs
    # The branch's commit names the source commit it was built from.
    source_sha = git("rev-parse", "--short", "HEAD", cwd=work, env=env).strip()
    message = git("log", "-1", "--format=%s", "gh-pages", cwd=origin, env=env)
    assert source_sha in message
    # The source branch is untouched and nothing was written into docs/.
    assert git("status", "--porcelain", "--untracked-files=no", cwd=work, env=env) == ""
