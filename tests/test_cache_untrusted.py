"""A cache entry is untrusted input: checked on load, sanitized when shown, never fatal.

The cache folder is meant to be committed, so an entry is a file anyone can
change in a pull request. A build must neither publish the markup such an entry
holds as is, nor crash on one that is malformed, nor crash when the folder cannot
be written.
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from studylog.execute import BlockResult, Cache, Session, SessionResult, collect_sessions
from studylog.execute.limits import OUTPUT_LIMIT, VALUE_LIMIT
from studylog.parse import parse_paths

if TYPE_CHECKING:
    from conftest import MkdocsBuild

SCRIPT_HTML = (
    "<script>alert('html')</script><table><tr>"
    '<td onclick="alert(\'td\')">1</td><td><a href="javascript:alert(1)">x</a>'
    "</td></tr></table>"
)
SCRIPT_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="10" height="10" onload="alert(\'svg\')"><script>alert(\'svg\')</script>'
    '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>'
    '<a xlink:href="javascript:alert(1)"><rect width="5" height="5"/></a>'
    '<use xlink:href="https://evil.example/x.svg#a"/>'
    '<path d="M0 0 L5 5" style="fill: #fff; background: url(https://evil.example/)"/>'
    '<circle cx="5" cy="5" r="2" fill="red" onmouseover="alert(2)"/></svg>'
)


def project(
    root: Path, logs: dict[str, str], *, cache_dir: str = ".studylog-cache", execute: bool = True
) -> None:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "logs").mkdir(exist_ok=True)
    for name, code in logs.items():
        (root / "logs" / name).write_text(
            f'# {name}\n\n```python exec="on"\n{code}\n```\n', encoding="utf-8"
        )
    (root / "mkdocs.yml").write_text(
        "site_name: Untrusted\nplugins:\n  - studylog:\n"
        f"      cache_dir: {cache_dir}\n      execute: {str(execute).lower()}\n"
        "      jobs: 1\n",
        encoding="utf-8",
    )


def sessions_of(root: Path) -> list[Session]:
    logs = parse_paths([root / "logs"], root=root)
    return collect_sessions(logs, project_root=root)[0]


def store(root: Path, session: Session, **block: object) -> Path:
    """Write an entry for ``session`` as studylog would, with the given block fields."""
    cache = Cache(root / ".studylog-cache")
    key = cache.key(session, root)
    fields = {"line": session.blocks[0].line, "status": "ok", **block}
    result = SessionResult(
        log=session.log,
        session=session.name,
        status="ok",
        duration=0.1,
        device="cpu",
        blocks=(BlockResult(**fields),),
    )  # type: ignore[arg-type]
    cache.put(key, result)
    return cache.path(key)


def test_markup_in_a_cached_entry_is_sanitized_in_the_built_site(
    tmp_path: Path, mkdocs_build: MkdocsBuild
) -> None:
    project(tmp_path, {"a.md": "print('hi')"})
    (session,) = sessions_of(tmp_path)
    store(tmp_path, session, stdout="hi\n", html=SCRIPT_HTML, value="x", figures=(SCRIPT_SVG,))
    mkdocs_build(tmp_path, "-q")
    page = (tmp_path / "site" / "logs" / "a" / "index.html").read_text(encoding="utf-8")
    assert "<td>1</td>" in page  # the table is still there
    assert "alert(" not in page
    (figure,) = (tmp_path / "site" / "assets" / "studylog").glob("*.svg")
    svg = figure.read_text(encoding="utf-8")
    assert "<circle" in svg and "<path" in svg  # the drawing is still there
    for bad in ("script", "foreignObject", "onload", "onmouseover", "javascript:", "evil"):
        assert bad not in svg, bad


BAD_ENTRIES = {
    "stdout-number": lambda r: r["blocks"][0].update(stdout=5),
    "duration-text": lambda r: r.update(duration="x"),
    "figure-number": lambda r: r["blocks"][0].update(figures=[5]),
    "no-blocks": lambda r: r.update(blocks=[]),
    "weird-status": lambda r: r.update(status="weird"),
    "weird-block-status": lambda r: r["blocks"][0].update(status="weird"),
    "result-list": lambda r: r.clear(),
    "unknown-field": lambda r: r["blocks"][0].update(script="<script>"),
}


@pytest.mark.parametrize("name", list(BAD_ENTRIES))
def test_a_malformed_entry_is_discarded_with_a_warning_naming_it(tmp_path: Path, name: str) -> None:
    project(tmp_path, {"a.md": "print('hi')"})
    (session,) = sessions_of(tmp_path)
    path = store(tmp_path, session, stdout="hi\n")
    entry = json.loads(path.read_text(encoding="utf-8"))
    BAD_ENTRIES[name](entry["result"])
    path.write_text(json.dumps(entry), encoding="utf-8")
    cache = Cache(tmp_path / ".studylog-cache", shown_root=tmp_path)
    assert cache.get(cache.key(session, tmp_path)) is None
    assert not path.exists()
    (problem,) = cache.problems
    assert problem.kind == "warning"
    assert problem.path == f".studylog-cache/{path.name}"
    assert "discarded" in problem.message


@pytest.mark.slow  # studylog run starts a worker
def test_a_malformed_entry_is_run_again_by_studylog_run(tmp_path: Path) -> None:
    project(tmp_path, {"a.md": "print('fresh')"})
    (session,) = sessions_of(tmp_path)
    path = store(tmp_path, session, stdout=5)  # type: ignore[arg-type]
    done = subprocess.run(
        [sys.executable, "-m", "studylog", "run", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (result,) = json.loads(done.stdout)
    assert (result["status"], result["cached"]) == ("ok", False)
    assert result["blocks"][0]["stdout"] == "fresh\n"
    assert f".studylog-cache/{path.name}" in done.stderr and "discarded" in done.stderr
    assert (
        json.loads(path.read_text(encoding="utf-8"))["result"]["blocks"][0]["stdout"] == "fresh\n"
    )  # stored again, right this time


def test_a_malformed_entry_does_not_stop_mkdocs_build(
    tmp_path: Path, mkdocs_build: MkdocsBuild
) -> None:
    project(tmp_path, {"a.md": "print('hi')"}, execute=False)
    (session,) = sessions_of(tmp_path)
    path = store(tmp_path, session, stdout="hi\n", duration="x")  # type: ignore[arg-type]
    done = mkdocs_build(tmp_path)
    assert f".studylog-cache/{path.name}" in done.stderr and "discarded" in done.stderr
    assert "Traceback" not in done.stderr


def unwritable(root: Path, how: str) -> str:
    if how == "read-only folder":
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        (root / "frozen").mkdir()
        (root / "frozen").chmod(0o555)
        return "frozen"
    (root / "not-a-folder").write_text("a file where the cache folder would be\n")
    return "not-a-folder/cache"


@pytest.mark.slow  # studylog run starts a worker for each
@pytest.mark.parametrize("how", ["read-only folder", "folder under a file"])
def test_an_unwritable_cache_is_a_warning_and_the_run_goes_on(tmp_path: Path, how: str) -> None:
    project(tmp_path, {"a.md": "print('runs anyway')"}, cache_dir=unwritable(tmp_path, how))
    done = subprocess.run(
        [sys.executable, "-m", "studylog", "run", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (result,) = json.loads(done.stdout)
    assert result["status"] == "ok" and result["blocks"][0]["stdout"] == "runs anyway\n"
    assert "cannot be written" in done.stderr and "Traceback" not in done.stderr


def test_the_schema_accepts_what_studylog_writes(tmp_path: Path) -> None:
    project(tmp_path, {"a.md": "print('hi')"})
    (session,) = sessions_of(tmp_path)
    store(
        tmp_path,
        session,
        stdout="hi\n",
        value="1",
        html="<b>1</b>",
        figures=("<svg/>",),
        error=None,
        duration=0.5,
    )
    cache = Cache(tmp_path / ".studylog-cache")
    got = cache.get(cache.key(session, tmp_path))
    assert got is not None and cache.problems == []
    assert dataclasses.replace(got.blocks[0]).stdout == "hi\n"


# -- entries made to hurt the reader: bounded input ----------------------------------------


def _hostile(path: Path, how: str) -> None:
    if how == "nested":  # a RecursionError in every command that reads it
        path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
        return
    if how == "too large":
        path.write_bytes(b" " * (33 << 20))
        return
    path.unlink()
    if how == "link to /dev/zero":  # a read without end
        path.symlink_to("/dev/zero")
    elif how == "pipe":  # a read that waits for ever
        os.mkfifo(path)


def _read_in_a_child(root: Path, key: str) -> dict[str, object]:
    """``Cache.get`` and ``Cache.info`` in a forked child limited to 2 GiB and 30 s, so a
    reader that would read for ever fails this test instead of the machine."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - reported through the pipe
        try:
            resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
            cache = Cache(root / ".studylog-cache", shown_root=root)
            got = cache.get(key)
            info = Cache(root / ".studylog-cache").info()
            report = {
                "got": got is not None,
                "problems": [str(p) for p in cache.problems],
                "info": info["entries"],
            }
            os.write(write, json.dumps(report).encode())
        finally:
            os._exit(0)
    os.close(write)
    deadline = time.monotonic() + 30
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("reading the entry did not end")
        time.sleep(0.02)
    data = os.read(read, 1 << 20)
    os.close(read)
    assert data, "the reader died (out of memory, or a crash)"
    return dict(json.loads(data))


@pytest.mark.parametrize(
    ("how", "why"),
    [
        ("nested", "nests deeper than 64 levels"),
        ("too large", "larger than 32 MiB"),
        ("link to /dev/zero", "is a symbolic link"),
        ("pipe", "not a regular file"),
    ],
)
def test_an_entry_made_to_hurt_the_reader_is_discarded_with_a_warning(
    tmp_path: Path, how: str, why: str
) -> None:
    project(tmp_path, {"a.md": "print('hi')"})
    (session,) = sessions_of(tmp_path)
    path = store(tmp_path, session, stdout="hi\n")
    _hostile(path, how)
    report = _read_in_a_child(tmp_path, path.stem)
    assert report["got"] is False
    (problem,) = report["problems"]
    assert str(problem).startswith(f".studylog-cache/{path.name}:1:")
    assert why in str(problem) and "discarded" in str(problem)
    assert not os.path.lexists(path)


def test_cached_outputs_are_cut_as_fresh_ones_are(tmp_path: Path) -> None:
    project(tmp_path, {"a.md": "print('hi')"})
    (session,) = sessions_of(tmp_path)
    line = "가" * (1 << 20)  # one line of 3 MiB
    store(tmp_path, session, stdout=line, stderr=line, error=line, value=line, html=line)
    cache = Cache(tmp_path / ".studylog-cache")
    got = cache.get(cache.key(session, tmp_path))
    assert got is not None
    (block,) = got.blocks
    for text in (block.stdout, block.stderr, block.error or ""):
        assert len(text.encode()) < OUTPUT_LIMIT + 200
        assert text.endswith("more bytes not shown]\n")
    for text in (block.value or "", block.html or ""):
        assert len(text) < VALUE_LIMIT + 100 and "[truncated:" in text


class _Opens:
    """Unpickled, it calls ``open(path, "w")``: what any code in a pickle could do."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.path, "w"))


def test_a_committed_build_memo_runs_no_code_and_breaks_no_command(
    tmp_path: Path, mkdocs_build: MkdocsBuild
) -> None:
    """A pull request can force-add the memo (its folder ignores itself in git, but
    ``git add -f`` adds it): reading it must run nothing, whatever its format."""
    import pickle

    project(tmp_path, {"a.md": "print('hi')"}, execute=False)
    ran = tmp_path / "code-ran"
    build = tmp_path / ".studylog-cache" / "build"
    build.mkdir(parents=True)
    hostile = {"schema": 1, "entries": {"x": _Opens(ran)}}
    (build / "memo.pickle").write_bytes(pickle.dumps(hostile))
    (build / "memo.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    done = mkdocs_build(tmp_path, "--strict", ok=None)
    assert not ran.exists(), "the memo ran code"
    assert "Traceback" not in done.stderr and "RecursionError" not in done.stderr
    for command in (["check"], ["stats"], ["cache", "info"]):
        shown = subprocess.run(
            [sys.executable, "-m", "studylog", *command],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "Traceback" not in shown.stderr, (command, shown.stderr)
    assert not ran.exists()
