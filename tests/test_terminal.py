"""What a log holds reaches a terminal or a CI log as text: control characters escaped.

``fixtures/security/terminal`` holds a log whose title, fence options, session name
and error message carry escape sequences (a window title, a cleared screen, a
C1 control, a right-to-left override) and GitHub Actions commands; the tests copy
it under file names that carry them too.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from studylog.cli import main
from studylog.terminal import LogFilter, printable

if TYPE_CHECKING:
    from conftest import MkdocsBuild

FIXTURE = Path(__file__).parent / "fixtures" / "security" / "terminal" / "2024-06-06-escapes.md"
NAMES = ("::error file=README.md::owned.md", "\x1b]0;window title\x07.md")
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
COMMAND = re.compile(r"^\s*::", re.MULTILINE)


def _site(root: Path, execute: bool = False) -> None:
    (root / "logs").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    for name in NAMES:
        shutil.copy(FIXTURE, root / "logs" / name)
    (root / "mkdocs.yml").write_text(
        "site_name: Escapes\nplugins:\n  - studylog:\n"
        f"      execute: {str(execute).lower()}\n      jobs: 1\n",
        encoding="utf-8",
    )


def _assert_text(out: str) -> None:
    assert RAW.search(out) is None, repr(RAW.search(out))
    assert COMMAND.search(out) is None, out


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;owned\x07title", "\\u001b]0;owned\\u0007title"),
        ("a\x1b[2Jb\rc", "a\\u001b[2Jb\\u000dc"),
        ("\x9b31m red", "\\u009b31m red"),  # C1's one-byte CSI
        ("\u202egnp.exe", "\\u202egnp.exe"),
        ("::error file=a.md::x", "\\::error file=a.md::x"),
        ("ok\n  ::add-mask::y\n", "ok\n  \\::add-mask::y\n"),
        ("tab\tand new\nline, 한글", "tab\tand new\nline, 한글"),
    ],
)
def test_printable(raw: str, shown: str) -> None:
    assert printable(raw) == shown
    assert printable(shown) == shown  # said twice, it stays the same


def test_studylog_check_prints_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _site(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "logs"]) == 1  # the unknown option is an error
    out = capsys.readouterr()
    _assert_text(out.out + out.err)
    assert "\\::error file=README.md::owned.md" in out.out  # the table names it, escaped
    assert "unknown option sesion='\\x1b[2J" in out.out


def test_the_log_filter_escapes_each_record() -> None:
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    logger = logging.getLogger("studylog-test-terminal")
    logger.addFilter(LogFilter())
    logger.addHandler(Keep())
    logger.warning("%s: %s", "logs/\x1b[2J.md:3", "boom\n::error::x")
    assert records == ["logs/\\u001b[2J.md:3: boom\n\\::error::x"]


@pytest.mark.slow  # a build that runs a session
def test_mkdocs_build_logs_text(tmp_path: Path, mkdocs_build: MkdocsBuild) -> None:
    _site(tmp_path, execute=True)
    done = mkdocs_build(tmp_path)
    _assert_text(done.stdout + done.stderr)
    assert "logs/\\u001b]0;window title\\u0007.md:13: snippet raised an error" in done.stderr
