"""The content-addressed cache: keys, atomic entries, corruption, and reruns with workers."""

from __future__ import annotations

import dataclasses
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from studylog.execute import (
    BlockResult,
    Cache,
    LocalExecutor,
    Session,
    SessionResult,
    collect_sessions,
    run,
    start,
)
from studylog.execute.status import counts, starting
from studylog.model import Log
from studylog.parse.fences import make_snippet
from studylog.settings import SandboxSettings


def make_log(path: str, *blocks: tuple[int, str, dict[str, str]]) -> Log:
    return Log(
        path,
        "",
        1,
        snippets=tuple(
            make_snippet(path, line, code, {"exec": "on", **attrs}) for line, code, attrs in blocks
        ),
    )


def sessions_of(root: Path, *logs: Log) -> list[Session]:
    sessions, problems = collect_sessions(logs, project_root=root)
    assert problems == []
    return sessions


def a_result(log: str = "logs/a.md", **changes: object) -> SessionResult:
    block = BlockResult(
        line=3, status="ok", stdout="hi\n", value="1", figures=("<svg/>",), duration=0.5
    )
    return dataclasses.replace(
        SessionResult(
            log=log, session="default", status="ok", duration=0.6, device="cpu", blocks=(block,)
        ),
        **changes,
    )


# ----------------------------------------------------------------------------- keys


def test_key_covers_code_options_includes_and_target(tmp_path: Path) -> None:
    (tmp_path / "snippets").mkdir()
    inc = tmp_path / "snippets" / "inc.py"
    inc.write_text("a = 1\n", encoding="utf-8")
    cache = Cache(tmp_path / "cache")

    def key(*blocks: tuple[int, str, dict[str, str]]) -> str:
        (session,) = sessions_of(tmp_path, make_log("logs/a.md", *blocks))
        return cache.key(session, tmp_path)

    base = key((3, "x = 1\n", {}))
    assert base == key((3, "x = 1\n", {})) and len(base) == 64
    assert base == key((3, "x = 1\n", {"show": "output"}))  # display only
    assert base != key((3, "x = 2\n", {}))
    assert base == key((3, "x = 1\n", {"timeout": "5"}))  # failures are matched on it apart
    assert base != key((3, "x = 1\n", {"errors": "allow"}))
    assert base != key((3, "x = 1\n", {"requires": "cuda"}))
    assert base != key((9, "x = 1\n", {}))  # tracebacks name the line
    with_file = key((3, "", {"file": "snippets/inc.py"}))
    inc.write_text("a = 2\n", encoding="utf-8")
    assert key((3, "", {"file": "snippets/inc.py"})) != with_file


def test_key_environment_names_the_target_device(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    gpu, cpu = sessions_of(
        tmp_path,
        make_log(
            "logs/a.md", (3, "1", {"requires": "cuda"}), (6, "1", {"session": "c", "device": "cpu"})
        ),
    )
    key_gpu, key_cpu = cache.key(gpu, tmp_path), cache.key(cpu, tmp_path)
    cache.put(key_gpu, a_result())
    cache.put(key_cpu, a_result())
    envs = {e["key"]: e["env"] for e in map(lambda p: json.loads(p.read_text()), cache.entries())}
    assert envs[key_gpu]["device"] == "cuda" and envs[key_cpu]["device"] == "cpu"
    assert envs[key_cpu]["torch"] and envs[key_cpu]["python"]


# ----------------------------------------------------------------------------- entries


def test_put_get_round_trip_is_plain_json(tmp_path: Path) -> None:
    cache = Cache(tmp_path / ".studylog-cache")
    result = a_result()
    cache.put("k1", result)
    assert cache.get("k1") == result
    entry = json.loads((tmp_path / ".studylog-cache" / "k1.json").read_text(encoding="utf-8"))
    assert entry["log"] == "logs/a.md" and entry["result"]["blocks"][0]["stdout"] == "hi\n"
    assert cache.get("missing") is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated write
        lambda text: "",
        lambda text: "\x00\xff garbage",
        lambda text: text.replace('"key": "k1"', '"key": "other"'),  # a file under the wrong name
        lambda text: text.replace('"status": "ok"', '"status": 5', 1).replace(
            '"line": 3', '"x": 3'
        ),
    ],
)
def test_corrupt_entries_are_discarded(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cache = Cache(tmp_path)
    cache.put("k1", a_result())
    path = cache.path("k1")
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert cache.get("k1") is None
    assert not path.exists()


def test_put_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path)
    old = a_result()
    cache.put("k1", old)

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        cache.put("k1", a_result(duration=9.0))
    monkeypatch.undo()
    assert cache.get("k1") == old  # the old entry is intact
    assert [p.name for p in tmp_path.iterdir()] == ["k1.json"]  # no temp file left


def test_readers_never_see_half_an_entry(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    svg = "<svg>" + "x" * 400_000 + "</svg>"  # a large figure (printed text is cut at 64 KB)
    big = a_result(blocks=(BlockResult(line=3, status="ok", figures=(svg,)),))
    cache.put("k1", big)
    seen: list[SessionResult | None] = []
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            cache.put("k1", big)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        for _ in range(200):
            seen.append(cache.get("k1"))
    finally:
        stop.set()
        writer.join()
    assert all(r == big for r in seen)


def test_clear_and_info(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    assert cache.info()["entries"] == 0 and cache.clear() == 0
    cache.put("k1", a_result())
    cache.put("k2", a_result(log="logs/b.md"))
    info = cache.info()
    assert info["entries"] == 2 and info["bytes"] > 0
    assert sorted(s["log"] for s in info["sessions"]) == ["logs/a.md", "logs/b.md"]
    assert cache.clear() == 2 and cache.info()["entries"] == 0


# ----------------------------------------------------------------------------- with workers


@pytest.fixture(scope="module")
def executor() -> Iterator[LocalExecutor]:
    with LocalExecutor(jobs=2) as shared:
        yield shared


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "shared.py").write_text(
        "base = 10\nprint('shared', base)\n", encoding="utf-8"
    )
    return tmp_path


def logs_for(a2_code: str = "print('a2', 2)\n") -> list[Log]:
    return [
        make_log(
            "logs/a.md",
            (3, "", {"file": "snippets/shared.py", "session": "a1"}),
            (6, "print(base + 1)\n", {"session": "a1"}),
            (9, a2_code, {"session": "a2"}),
            (12, "import random\nprint(random.random())\n", {"session": "nocache", "cache": "off"}),
        ),
        make_log("logs/b.md", (3, "", {"file": "snippets/shared.py"})),
    ]


def cached(results: list[SessionResult]) -> dict[str, bool]:
    return {r.id: r.cached for r in results}


def test_unchanged_sessions_start_no_worker_and_return_identical_outputs(
    project: Path, executor: LocalExecutor
) -> None:
    cache = Cache(project / ".studylog-cache")
    sessions = sessions_of(project, *logs_for())
    first = run(sessions, project_root=project, cache=cache, executor=executor)
    assert [r.status for r in first] == ["ok"] * 4 and not any(r.cached for r in first)
    assert cache.info()["entries"] == 3  # cache="off" is never stored

    fresh = LocalExecutor(jobs=2)
    cacheable = [s for s in sessions if s.name != "nocache"]
    second = run(cacheable, project_root=project, cache=cache, executor=fresh)
    assert fresh.workers_started == 0
    fresh.close()
    assert all(r.cached and not r.frozen for r in second)
    by_id = {r.id: r for r in first}
    for again in second:
        assert again.blocks == by_id[again.id].blocks
        assert (again.status, again.device) == (by_id[again.id].status, by_id[again.id].device)


def test_edits_rerun_only_the_sessions_they_touch(project: Path, executor: LocalExecutor) -> None:
    cache = Cache(project / ".studylog-cache")
    run(sessions_of(project, *logs_for()), project_root=project, cache=cache, executor=executor)

    edited = run(
        sessions_of(project, *logs_for("print('a2', 3)\n")),
        project_root=project,
        cache=cache,
        executor=executor,
    )
    assert cached(edited) == {
        "logs/a.md::a1": True,
        "logs/a.md::a2": False,
        "logs/a.md::nocache": False,
        "logs/b.md::default": True,
    }
    assert edited[1].blocks[0].stdout == "a2 3\n"

    (project / "snippets" / "shared.py").write_text(
        "base = 20\nprint('shared', base)\n", encoding="utf-8"
    )
    included = run(
        sessions_of(project, *logs_for("print('a2', 3)\n")),
        project_root=project,
        cache=cache,
        executor=executor,
    )
    assert cached(included) == {
        "logs/a.md::a1": False,
        "logs/a.md::a2": True,
        "logs/a.md::nocache": False,
        "logs/b.md::default": False,
    }
    assert included[0].blocks[1].stdout == "21\n"


def test_a_truncated_entry_is_rerun_not_trusted(project: Path, executor: LocalExecutor) -> None:
    cache = Cache(project / ".studylog-cache")
    (session,) = sessions_of(project, make_log("logs/t.md", (3, "print('fresh')\n", {})))
    run([session], project_root=project, cache=cache, executor=executor)
    path = cache.path(cache.key(session, project))
    path.write_bytes(path.read_bytes()[:50])
    (again,) = run([session], project_root=project, cache=cache, executor=executor)
    assert not again.cached and again.blocks[0].stdout == "fresh\n"
    assert json.loads(path.read_text(encoding="utf-8"))["result"]["status"] == "ok"


def test_a_failure_is_stored_and_not_run_again_until_its_code_or_timeout_changes(
    project: Path, executor: LocalExecutor
) -> None:
    cache = Cache(project / ".studylog-cache")

    def once(code: str, attrs: dict[str, str], **options: bool) -> SessionResult:
        (session,) = sessions_of(project, make_log("logs/f.md", (3, code, attrs)))
        (result,) = run([session], project_root=project, cache=cache, executor=executor, **options)
        return result

    raising = "print('tried')\nraise RuntimeError('broken')\n"
    first = once(raising, {})
    assert (first.status, first.cached) == ("failed", False) and cache.info()["entries"] == 1
    again = once(raising, {})
    assert (again.status, again.cached) == ("failed", True)  # not run: the stored failure
    assert again.blocks[0].stdout == "tried\n" and "RuntimeError: broken" in again.blocks[0].error
    assert not once(raising, {}, rerun_failed=True).cached  # run again, as asked
    assert not once("raise RuntimeError('other')\n", {}).cached  # its code changed

    spinning = "while True:\n    pass\n"
    assert once(spinning, {"timeout": "0.3"}).status == "timeout"
    assert once(spinning, {"timeout": "0.3"}).cached
    # More time might end it: a timeout stored under other timeouts is not used.
    raised = once(spinning, {"timeout": "0.4"})
    assert (raised.status, raised.cached) == ("timeout", False)


def test_progress_counts_what_runs_as_the_summary_does(
    project: Path, executor: LocalExecutor
) -> None:
    cache = Cache(project / ".studylog-cache")
    log = make_log(
        "logs/p.md",
        (3, "print('kept')\n", {"session": "kept"}),
        (6, "raise RuntimeError('kept too')\n", {"session": "broken"}),
        (9, "print('quick')\n", {"session": "quick"}),
        (12, "import time\ntime.sleep(0.8)\n", {"session": "slow"}),
    )
    everything = sessions_of(project, log)
    run(everything[:2], project_root=project, cache=cache, executor=executor)
    running = start(everything, project_root=project, cache=cache, executor=executor)
    assert running.get("logs/p.md::quick", timeout=60) is not None
    p = running.progress()
    assert p.done == 3 and not running.done()  # the quick one ended before it was asked
    assert starting(p) == ("running 2 of 4 sessions (2 from the cache, 1 of them failed)")
    assert counts(running.result(timeout=60)) == (
        "2 run, 2 cached, 0 frozen, 1 failed, 1 of them from the cache"
    )


def test_a_stored_failure_counts_only_under_the_sandbox_it_ran_in(tmp_path: Path) -> None:
    (session,) = sessions_of(tmp_path, make_log("logs/n.md", (3, "fetch()\n", {})))
    closed = Cache(tmp_path / "cache", sandbox=SandboxSettings())
    opened = Cache(tmp_path / "cache", sandbox=SandboxSettings(network="on"))
    key = closed.key(session, tmp_path)
    assert opened.key(session, tmp_path) == key  # one entry: a success is one anywhere
    failed = a_result(
        "logs/n.md", status="failed", blocks=(BlockResult(line=3, status="failed", error="E"),)
    )
    closed.put(key, failed)
    assert closed.get(key) == failed
    assert opened.get(key) is None  # the network is on now: it may pass, so it runs again
    closed.put(key, a_result("logs/n.md"))
    assert opened.get(key) is not None


@pytest.mark.parametrize(
    ("changes", "stored"),
    [
        ({}, True),
        ({"status": "failed"}, True),
        ({"status": "timeout"}, True),
        ({"status": "crashed"}, True),
        ({"status": "crashed", "device": ""}, False),  # its worker never started
        ({"status": "refused", "device": ""}, False),
        ({"status": "unavailable", "device": ""}, False),
    ],
)
def test_what_ran_is_stored_whatever_its_outcome(changes: dict[str, object], stored: bool) -> None:
    assert Cache.stores(a_result(**changes)) is stored
