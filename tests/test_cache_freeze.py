"""Freezing for CPU-only CI: stored entries stand in for sessions this machine cannot run."""

from __future__ import annotations

import dataclasses
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
)
from studylog.execute import device as devices
from studylog.model import Log
from studylog.parse.fences import make_snippet


@pytest.fixture()
def cpu_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices, "gpu_count", lambda: 0)


def gpu_session(root: Path, **attrs: str) -> Session:
    log = Log(
        "logs/gpu.md",
        "",
        1,
        snippets=(
            make_snippet(
                "logs/gpu.md", 3, "print(torch.cuda.get_device_name(0))\n", {"exec": "on", **attrs}
            ),
        ),
    )
    (session,) = collect_sessions([log], project_root=root)[0]
    return session


def made_on_a_gpu(session: Session) -> SessionResult:
    return SessionResult(
        log=session.log,
        session=session.name,
        status="ok",
        duration=1.5,
        device="cuda:0 NVIDIA H100",
        blocks=(BlockResult(line=3, status="ok", stdout="NVIDIA H100\n", duration=1.2),),
    )


@pytest.mark.parametrize("attrs", [{"requires": "cuda"}, {"device": "cuda"}])
def test_stored_cuda_entry_is_used_and_marked_frozen(
    tmp_path: Path, cpu_machine: None, attrs: dict[str, str]
) -> None:
    cache = Cache(tmp_path / ".studylog-cache")
    session = gpu_session(tmp_path, **attrs)
    key = cache.key(session, tmp_path)
    cache.put(key, made_on_a_gpu(session))  # as committed from the GPU workstation
    assert cache.info()["sessions"][0]["device"] == "cuda"

    executor = LocalExecutor(jobs=1)
    (result,) = run([session], project_root=tmp_path, cache=cache, executor=executor)
    assert executor.workers_started == 0
    executor.close()
    assert (result.status, result.frozen, result.cached) == ("ok", True, True)
    assert result.device == "cuda:0 NVIDIA H100"
    assert result.blocks[0].stdout == "NVIDIA H100\n"
    assert not result.failed


def test_without_an_entry_a_cuda_session_is_unavailable_not_run_on_cpu(
    tmp_path: Path, cpu_machine: None
) -> None:
    executor = LocalExecutor(jobs=1)
    (result,) = run(
        [gpu_session(tmp_path, requires="cuda")],
        project_root=tmp_path,
        cache=Cache(tmp_path / "c"),
        executor=executor,
    )
    assert executor.workers_started == 0
    executor.close()
    assert result.status == "unavailable" and result.failed
    assert "GPU" in result.message
    assert [b.status for b in result.blocks] == ["unavailable"]


def test_an_entry_for_a_different_code_is_not_used(tmp_path: Path, cpu_machine: None) -> None:
    cache = Cache(tmp_path / "c")
    session = gpu_session(tmp_path, requires="cuda")
    cache.put(cache.key(session, tmp_path), made_on_a_gpu(session))
    changed = dataclasses.replace(
        session,
        blocks=tuple(
            dataclasses.replace(b, code=b.code + "print('more')\n") for b in session.blocks
        ),
    )
    (result,) = run([changed], project_root=tmp_path, cache=cache, executor=LocalExecutor(jobs=1))
    assert result.status == "unavailable"


def test_frozen_mode_runs_nothing(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    log = Log(
        "logs/a.md",
        "",
        1,
        snippets=tuple(
            make_snippet("logs/a.md", line, "print(1)\n", {"exec": "on", "session": name})
            for line, name in ((3, "stored"), (7, "new"))
        ),
    )
    stored, new = collect_sessions([log], project_root=tmp_path)[0]
    cache.put(
        cache.key(stored, tmp_path),
        SessionResult(
            log="logs/a.md",
            session="stored",
            status="ok",
            duration=0.1,
            device="cpu",
            blocks=(BlockResult(line=3, status="ok", stdout="1\n"),),
        ),
    )
    executor = LocalExecutor(jobs=1)
    frozen, missing = run(
        [stored, new], project_root=tmp_path, cache=cache, executor=executor, execute=False
    )
    assert executor.workers_started == 0
    executor.close()
    assert (frozen.status, frozen.frozen, frozen.blocks[0].stdout) == ("ok", True, "1\n")
    assert missing.status == "unavailable" and "frozen" in missing.message
    # no cache at all, frozen: everything is unavailable, nothing runs
    (nothing,) = run([new], project_root=tmp_path, cache=None, executor=executor, execute=False)
    assert nothing.status == "unavailable"


def test_refused_sessions_are_reported_without_running(tmp_path: Path) -> None:
    log = Log(
        "logs/a.md",
        "",
        1,
        snippets=(
            make_snippet("logs/a.md", 3, "print(1)\n", {"exec": "on"}),
            make_snippet("logs/a.md", 6, "", {"exec": "on", "file": "../x.py"}),
        ),
    )
    (session,), _problems = collect_sessions([log], project_root=tmp_path)
    executor = LocalExecutor(jobs=1)
    (result,) = run([session], project_root=tmp_path, executor=executor)
    assert executor.workers_started == 0
    assert result.status == "refused" and "outside the project" in result.message
    assert [b.status for b in result.blocks] == ["skipped", "refused"]
