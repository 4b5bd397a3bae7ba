"""Files a log points at, and files that are logs, handled as untrusted input.

``file=`` never runs (and so never shows) a hidden or git-ignored file unless the
project allows it; a log that is a link to a file outside the project is refused,
and no machine path reaches the site; studylog's links to logs whose names hold
``#``, ``?`` or ``%`` work; nesting past the parser's limit is reported and the
rest of the log is still read.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import pytest

from studylog.execute import collect_sessions
from studylog.model import Log
from studylog.parse import parse_text
from studylog.parse.fences import make_snippet

if TYPE_CHECKING:
    from conftest import MkdocsBuild


def include(root: Path, name: str, allowed: tuple[str, ...] = ()) -> str:
    """Why a session including ``name`` is refused ("" when it runs)."""
    log = Log(
        "logs/a.md",
        "",
        1,
        snippets=(make_snippet("logs/a.md", 3, "", {"exec": "on", "file": name}),),
    )
    extra = {"include_allowed": allowed} if allowed else {}
    (session,), _problems = collect_sessions([log], project_root=root, **extra)
    return session.refused


@pytest.fixture()
def secrets(tmp_path: Path) -> Path:
    (tmp_path / ".env").write_text("TOKEN = 'hunter2'\nprint(TOKEN)\n")
    (tmp_path / "snippets" / ".hidden").mkdir(parents=True)
    (tmp_path / "snippets" / ".hidden" / "x.py").write_text("print('hidden folder')\n")
    (tmp_path / "snippets" / "ok.py").write_text("print('fine')\n")
    (tmp_path / "snippets" / "link.py").symlink_to(tmp_path / ".env")
    (tmp_path / "local.py").write_text("print('machine-specific')\n")
    (tmp_path / ".gitignore").write_text("local.py\n")
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


@pytest.mark.parametrize(
    "name", [".env", "snippets/.hidden/x.py", "snippets/link.py", "snippets/../.env"]
)
def test_hidden_files_are_not_run(secrets: Path, name: str) -> None:
    assert "hidden file" in include(secrets, name)
    assert "include_allowed" in include(secrets, name)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_ignored_files_are_not_run(secrets: Path) -> None:
    assert "ignored by git" in include(secrets, "local.py")


def test_allowed_and_ordinary_files_run(secrets: Path) -> None:
    assert include(secrets, "snippets/ok.py") == ""
    assert include(secrets, ".env", allowed=(".env",)) == ""
    assert include(secrets, "local.py", allowed=("*.py",)) == ""


def test_studylog_check_reports_a_hidden_include(secrets: Path) -> None:
    (secrets / "logs").mkdir()
    (secrets / "logs" / "a.md").write_text('# A\n\n```python exec="on" file=".env"\n```\n')
    done = subprocess.run(
        [sys.executable, "-m", "studylog", "check"],
        cwd=secrets,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "logs/a.md:3" in done.stdout + done.stderr and "hidden file" in done.stdout


def nested(levels: int) -> str:
    deep = "\n".join("  " * i + f"- level {i}" for i in range(levels))
    return (
        f"---\ntitle: Deep\ndate: 2024-03-04\n---\n\n{deep}\n\n"
        "Keywords: MLP, Attention\n\nQ: why so deep?\nA: to test the parser\n\n"
        '```python exec="on"\nprint("after")\n```\n'
    )


@pytest.mark.parametrize("levels", [10, 1000])
def test_deep_nesting_loses_nothing_after_it(levels: int) -> None:
    log = parse_text(nested(levels), "logs/deep.md")
    assert log.keywords == ("MLP", "Attention")
    assert (log.questions, log.answers) == (1, 1)
    assert [s.code for s in log.snippets] == ['print("after")\n']
    warnings = [p for p in log.problems if "nested" in p.message]
    if levels == 10:
        assert warnings == []
    else:
        (warning,) = warnings
        assert warning.kind == "warning" and warning.path == "logs/deep.md"
        assert 6 < warning.line < 6 + levels  # where the list went too deep


def test_deep_quotes_are_reported_too() -> None:
    log = parse_text("# Q\n\n" + "> " * 1000 + "deep\n\nKeywords: LSTM\n", "logs/q.md")
    assert log.keywords == ("LSTM",)
    assert any(p.line == 3 and "nested" in p.message for p in log.problems)


ODD = ["a#b.md", "what?.md", "100%.md"]


def site(root: Path, outside: Path) -> None:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n")
    logs = root / "logs"
    logs.mkdir()
    for n, name in enumerate(ODD, start=1):
        (logs / name).write_text(
            f"---\ntitle: Odd {n}\ndate: 2024-03-0{n}\nkeywords: [Odd]\n---\n\nbody {n}\n"
        )
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Secret\n---\n\nsecret words\n")
    (logs / "linked.md").symlink_to(outside / "secret.md")
    (root / "mkdocs.yml").write_text("site_name: Files\nplugins:\n  - search\n  - studylog\n")


def test_site_with_odd_names_and_an_outside_link(tmp_path: Path, mkdocs_build: MkdocsBuild) -> None:
    root = tmp_path / "site-src"
    outside = tmp_path / "elsewhere"
    root.mkdir()
    site(root, outside)
    done = mkdocs_build(root)
    assert (
        "logs/linked.md:1: this log is a symbolic link to a file outside the project" in done.stderr
    )
    built = root / "site"
    texts = {
        p: p.read_text(encoding="utf-8", errors="replace") for p in built.rglob("*") if p.is_file()
    }
    for path, text in texts.items():
        assert "secret words" not in text, path
        assert str(tmp_path) not in text, path  # no machine path, anywhere
    # Every link from the keyword page to a log opens a page that exists.
    keywords = built / "keywords" / "index.html"
    hrefs = re.findall(r'href="(\.\./logs/[^"]+)"', texts[keywords])
    assert {unquote(h).split("/")[2] for h in hrefs} == {n[:-3] for n in ODD}
    for href in hrefs:
        target = (keywords.parent / unquote(href.split("#", 1)[0])).resolve() / "index.html"
        assert target.is_file(), href
