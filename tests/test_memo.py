"""The memo: a warm build parses no log, re-parses no body and re-segments no search text."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
from pathlib import Path

import pytest

from studylog import memo as memos
from studylog.memo import Memo
from studylog.model import Log
from studylog.settings import DEFAULTS, Settings

LOG = """---
title: "Day 3 - 합성곱 신경망"
date: 2024-03-06
keywords: [CNN, 합성곱]
questions: 2
answers: 1
---

# Day 3

오늘은 합성곱 신경망을 공부했다. 커널이 입력 위를 움직이면서 특징을 뽑아내는 과정을
손으로 계산해 보았고, 패딩과 스트라이드가 출력 크기를 어떻게 바꾸는지 정리했다.
풀링은 위치가 조금 달라져도 같은 특징을 잡게 해 준다는 점이 인상적이었다.
채널 수를 늘리면 파라미터가 얼마나 늘어나는지도 직접 세어 보았다.

<script>alert("x")</script>

```python exec="on"
print(3 * 4)
```
"""


def project(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "docs").mkdir(parents=True)
    (root / "logs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "logs" / "2024-03-06-cnn.md").write_text(LOG, encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: memo\ntheme:\n  name: material\nplugins:\n  - search\n"
        "  - studylog:\n      execute: false\n",
        encoding="utf-8",
    )
    return root


def build(root: Path) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


def site_files(root: Path) -> dict[str, bytes]:
    site = root / "site"
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and not p.name.startswith("sitemap")
    }


def test_values_survive_a_save_and_only_used_entries_are_kept(tmp_path: Path) -> None:
    memo = Memo(tmp_path)
    memo.put("a", "text")
    memo.put("b", ("one", "two"))
    memo.save()
    again = Memo(tmp_path)
    assert again.get("a") == "text" and again.get("missing") is None
    assert (again.hits, again.misses) == (1, 1)
    again.save()  # "b" was not used by this run: dropped
    assert Memo(tmp_path).get("b") is None
    assert Memo(tmp_path).get("a") == "text"
    assert json.loads((tmp_path / memos.FOLDER / memos.FILE).read_text("utf-8")) == {
        "schema": memos.SCHEMA,
        "entries": {"a": {"kind": "text", "value": "text"}},
    }


def test_an_unchanged_memo_is_not_rewritten(tmp_path: Path) -> None:
    memo = Memo(tmp_path)
    memo.put("a", "x")
    memo.save()
    assert memo.path is not None
    path = memo.path
    os.utime(path, ns=(1, 1))
    again = Memo(tmp_path)
    again.get("a")
    again.save()
    assert path.stat().st_mtime_ns == 1


def test_a_value_the_memo_cannot_hold_as_data_is_computed_again(tmp_path: Path) -> None:
    memo = Memo(tmp_path)
    memo.put("a", {"a dict": "is no kind of the memo"})
    memo.put("b", Log("a.md", "body", 1, front_matter={"x": object()}))
    memo.save()
    assert Memo(tmp_path).get("a") is None and Memo(tmp_path).get("b") is None


ENTRY = {"kind": "text", "value": "x"}


def _file(entries: object, schema: int = memos.SCHEMA) -> bytes:
    return json.dumps({"schema": schema, "entries": entries}).encode()


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "truncated"),
        (b"\x80\x04\x95 a pickle", "malformed"),
        (b'["a", "list"]', "Expected `object`"),
        (_file({"a": {"kind": "text", "value": 3}}), "Expected `str`, got `int`"),
        (_file({"a": {"kind": "code", "value": "import os"}}), "Invalid value 'code'"),
        (_file({"a": {"kind": "body", "value": {"html": "<script>"}}}), "missing required field"),
        (
            _file(
                {
                    "a": {
                        "kind": "log",
                        "value": {"path": "a.md", "body": "", "body_line": 1, "kind": "hourly"},
                        "front": None,
                    }
                }
            ),
            "Invalid enum value 'hourly'",
        ),
        (
            _file(
                {
                    "a": {
                        "kind": "log",
                        "value": {"path": "a.md", "body": "", "body_line": 1},
                        "front": {"map": [[{"eval": "1"}, 2]]},
                    }
                }
            ),
            "unknown front matter value 'eval'",
        ),
        (_file({"a": ENTRY, "b": {"kind": "text", "value": [[[[]]]]}}), "Expected `str`"),
        (b'{"schema": 2, "entries": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}", ""),
    ],
    ids=["empty", "pickle", "list", "type", "kind", "missing", "enum", "front", "nested", "deep"],
)
def test_a_bad_memo_is_a_warning_naming_the_file_and_is_rebuilt(
    tmp_path: Path, content: bytes, why: str
) -> None:
    path = tmp_path / memos.FOLDER / memos.FILE
    path.parent.mkdir()
    path.write_bytes(content)
    memo = Memo(tmp_path, shown_root=tmp_path)
    (problem,) = memo.problems
    assert problem.kind == "warning" and str(problem).startswith("build/memo.json:1: ")
    assert why in problem.message and "it is rebuilt" in problem.message
    assert memo.get("a") is None  # nothing of it is used
    memo.put("a", "fresh")
    memo.save()
    again = Memo(tmp_path)
    assert again.problems == [] and again.get("a") == "fresh"


def test_a_memo_larger_than_the_limit_is_not_read(tmp_path: Path, monkeypatch) -> None:
    memo = Memo(tmp_path)
    memo.put("a", "x" * 500)
    memo.save()
    monkeypatch.setattr(memos, "MAX_BYTES", 100)
    (problem,) = Memo(tmp_path).problems
    assert "more than the 100 read" in problem.message


def test_another_versions_memo_is_set_aside_quietly(tmp_path: Path) -> None:
    path = tmp_path / memos.FOLDER / memos.FILE
    path.parent.mkdir()
    path.write_bytes(_file({"a": {"kind": "text", "value": 3}}, schema=1))
    memo = Memo(tmp_path)
    assert memo.problems == [] and memo.get("a") is None


def test_an_earlier_pickle_memo_is_never_read_and_is_removed(tmp_path: Path) -> None:
    """The memo once was a pickle, which runs code when loaded: it is deleted unread."""
    marker = tmp_path / "ran"
    old = tmp_path / memos.FOLDER / "memo.pickle"
    old.parent.mkdir()
    old.write_bytes(pickle.dumps(_Runs(str(marker))))
    memo = Memo(tmp_path)
    memo.put("a", "x")
    memo.save()
    assert not old.exists() and not marker.exists()


class _Runs:
    """Unpickling this would create a file."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (Path(self.path), "ran"))


def test_no_module_of_studylog_loads_pickles() -> None:
    import ast

    import studylog

    package = Path(studylog.__file__).resolve().parent
    found = [
        f"{path.relative_to(package)}:{node.lineno}"
        for path in sorted(package.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (
            isinstance(node, ast.Import)
            and any(a.name in ("pickle", "marshal", "shelve") for a in node.names)
        )
        or (isinstance(node, ast.ImportFrom) and node.module in ("pickle", "marshal", "shelve"))
    ]
    assert found == []


@pytest.mark.parametrize(
    "value",
    [
        {"date": dt.date(2024, 3, 4), "at": dt.datetime(2024, 3, 4, 9, 30)},
        {"nan": float("nan"), "inf": float("-inf"), "big": 2**80, "small": -3},
        {1: "an int key", (1, 2): "a tuple key", "set": {1, 2}, "bin": b"\x00\xff"},
        {"nested": [{"a": [1, [2, {"b": None}]]}], "flag": True, "empty": {}},
    ],
)
def test_front_matter_reads_back_as_yaml_gave_it(value: dict[object, object]) -> None:
    back = memos.untag(json.loads(json.dumps(memos.tag(value))))
    assert repr(back) == repr(value)  # nan == nan is False: compared as written


def test_front_matter_nested_deeper_than_the_limit_is_not_kept() -> None:
    deep: list[object] = []
    for _ in range(memos.MAX_DEPTH + 2):
        deep = [deep]
    with pytest.raises(memos.Unkept):
        memos.tag({"deep": deep})


def test_a_folder_that_cannot_be_written_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    memo = Memo(blocker / "cache")  # its folder can never be created
    memo.put("a", "x")
    memo.save()
    assert memo.get("a") == "x" and blocker.read_text(encoding="utf-8") == "not a folder"


def test_the_memo_stays_out_of_git_when_the_snippet_cache_is_committed(tmp_path: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    cache_dir = tmp_path / ".studylog-cache"
    cache_dir.mkdir()
    (cache_dir / "0123abcd.json").write_text("{}", encoding="utf-8")  # a session entry
    memo = Memo(cache_dir)
    memo.put("a", "x")
    memo.save()
    assert memo.path is not None and memo.path.is_file()
    (memos.build_dir(cache_dir) / "charts").mkdir()  # the chart cache lives there too
    (memos.build_dir(cache_dir) / "charts" / "qa.svg").write_text("<svg/>", encoding="utf-8")
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert status.split() == ["??", ".studylog-cache/0123abcd.json"]


def test_keys_change_with_every_part_and_with_studylog_code(monkeypatch) -> None:
    assert memos.key("parse", "a", b"bc") != memos.key("parse", "ab", b"c")
    assert memos.key("x") == memos.key("x")
    before = memos.key("x")
    monkeypatch.setattr(memos, "code_fingerprint", lambda: "another studylog")
    assert memos.key("x") != before


def _read(root: Path, memo: Memo, settings: Settings = DEFAULTS) -> list[Log]:
    from studylog.mkdocs_plugin.pipeline import read_logs

    return read_logs(settings, root, memo)[0]


def test_a_build_reads_unchanged_logs_from_the_memo_only(tmp_path: Path, monkeypatch) -> None:
    import studylog.parse.logs as logs_module

    root = project(tmp_path)
    log = root / "logs" / "2024-03-06-cnn.md"
    memo = Memo(root / ".cache")
    (first,) = _read(root, memo)
    memo.save()

    def no_parsing(*args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(logs_module, "parse_log", no_parsing)
    (again,) = _read(root, Memo(root / ".cache"))
    assert again == first and again.keywords == ("CNN", "합성곱")
    monkeypatch.undo()

    # An edited log, or other parser options, are parsed again.
    log.write_text(LOG.replace("questions: 2", "questions: 5"), encoding="utf-8")
    (edited,) = _read(root, Memo(root / ".cache"))
    assert edited.questions == 5
    (other,) = _read(root, Memo(root / ".cache"), Settings(keyword_aliases={"합성곱": "CNN"}))
    assert other.keywords == ("CNN",)  # the alias merged them: parsed with the new options


def test_a_warm_build_computes_nothing_again_and_writes_the_same_site(
    tmp_path: Path, monkeypatch
) -> None:
    import studylog.mkdocs_plugin.search as search
    import studylog.parse.logs as logs_module
    import studylog.render.log_page as log_page

    root = project(tmp_path)
    build(root)
    assert (root / ".studylog-cache" / memos.FOLDER / memos.FILE).is_file()
    first = site_files(root)
    assert '"forms":"' in first["search/search_index.json"].decode("utf-8")
    page = first["logs/2024-03-06-cnn/index.html"]
    assert b'alert("x")' not in page and b"alert(&quot;x&quot;)" not in page  # sanitized

    def fail(*args: object) -> None:
        raise AssertionError("computed again on a warm build")

    monkeypatch.setattr(logs_module, "parse_log", fail)
    monkeypatch.setattr(log_page, "prepare_body", fail)
    monkeypatch.setattr(search, "_forms", lambda text, pattern: fail() if len(text) > 200 else "")
    build(root)
    assert site_files(root) == first

    # Editing the log re-parses and re-renders that log only (the edit shows).
    monkeypatch.undo()
    log = root / "logs" / "2024-03-06-cnn.md"
    log.write_text(LOG.replace("풀링은", "최대 풀링은"), encoding="utf-8")
    build(root)
    assert "최대 풀링은" in (root / "site/logs/2024-03-06-cnn/index.html").read_text("utf-8")


def test_a_warm_build_does_not_even_import_markdown_it(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = project(tmp_path)
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('markdown_it loaded:', 'markdown_it' in sys.modules))\n"
        "sys.argv = ['mkdocs', 'build', '-q']\n"
        "from mkdocs.__main__ import cli\n"
        "cli()\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=120
        )
        for _ in range(2)
    ]
    assert [r.stdout.strip() for r in runs] == [
        "markdown_it loaded: True",
        "markdown_it loaded: False",
    ], runs[1].stderr


def test_a_build_warns_about_a_bad_memo_once_and_writes_a_good_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = project(tmp_path)
    path = root / ".studylog-cache" / memos.FOLDER / memos.FILE
    path.parent.mkdir(parents=True)
    path.write_bytes(_file({"x": {"kind": "body", "value": {"html": "<script>alert(1)</script>"}}}))
    with caplog.at_level("WARNING", logger="mkdocs.plugins.studylog"):
        build(root)
    warned = [r.getMessage() for r in caplog.records if "memo" in r.getMessage()]
    assert len(warned) == 1 and warned[0].startswith(".studylog-cache/build/memo.json:1: ")
    assert "alert(1)" not in path.read_text("utf-8")  # rebuilt from this build's work
    caplog.clear()
    with caplog.at_level("WARNING", logger="mkdocs.plugins.studylog"):
        build(root)
    assert [r for r in caplog.records if "memo" in r.getMessage()] == []
