"""``studylog cache prune``: keep what today's logs and snippets use, in any environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studylog.cli import main
from studylog.execute import Cache
from studylog.execute.results import Block, BlockResult, Session, SessionResult
from studylog.model import BlockOptions


def session(log: str, code: str, name: str = "default") -> Session:
    block = Block(path=log, line=5, code=code, filename=log, first_line=6, options=BlockOptions())
    return Session(log=log, name=name, blocks=(block,), timeout=30)


def store(cache: Cache, spec: Session, root: Path, env: dict[str, str] | None = None) -> str:
    key = cache.key(spec, root, env)
    result = SessionResult(
        spec.log, spec.name, "ok", 0.1, "cpu", blocks=(BlockResult(line=5, status="ok"),)
    )
    cache.put(key, result)
    return key


def test_prune_keeps_todays_sessions_in_every_environment(tmp_path: Path) -> None:
    cache = Cache(tmp_path / ".studylog-cache")
    old = store(cache, session("logs/a.md", "print(1)"), tmp_path)
    older = store(cache, session("logs/a.md", "print(0)"), tmp_path)
    today = session("logs/a.md", "print(2)")
    kept = store(cache, today, tmp_path)
    # Made on a GPU machine for today's code: kept though this machine would not make it.
    gpu = store(
        cache, today, tmp_path, {"python": "3.12.1", "torch": "2.9.0+cu128", "device": "cuda"}
    )
    gone = store(cache, session("logs/deleted.md", "print(3)"), tmp_path)

    assert cache.prune([today], tmp_path) == (3, 2)
    left = {p.stem for p in cache.entries()}
    assert left == {kept, gpu}
    assert not left & {old, older, gone}


def test_the_command_prunes_the_sites_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - studylog:\n      cache_dir: cache\n", "utf-8"
    )
    log = tmp_path / "logs" / "a.md"
    log.parent.mkdir()
    log.write_text('# A\n\n```python exec="on"\nprint(2)\n```\n', "utf-8")
    snippet = tmp_path / "snippets" / "mlp.py"
    snippet.parent.mkdir()
    snippet.write_text("print('mlp')\n", "utf-8")
    (tmp_path / "snippets" / "_helper.py").write_text("X = 1\n", "utf-8")

    from studylog.cli.cache import current_sessions
    from studylog.project import load

    site = load(tmp_path / "mkdocs.yml")
    cache = Cache(site.cache_dir)
    today = current_sessions(site)
    assert sorted(s.id for s in today) == ["logs/a.md::default", "snippets/mlp.py::mlp"]
    keep = {store(cache, spec, site.root) for spec in today}
    stale = store(cache, session("logs/a.md", "print(1)"), site.root)
    monkeypatch.chdir(tmp_path)
    assert main(["cache", "prune"]) == 0
    assert "removed 1 entry that no log or snippet uses" in capsys.readouterr().out
    assert {p.stem for p in cache.entries()} == keep and stale not in keep
    for path in cache.entries():  # a plain, reviewable file per session
        assert json.loads(path.read_text("utf-8"))["key"] == path.stem
