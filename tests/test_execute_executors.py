"""One table of executors: every front end makes its executor, and learns its options, from it.

A package of its own adds an executor with one module and one entry point, and the
MkDocs options, ``studylog run`` and the settings take it with no change to studylog.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from studylog.cli import main
from studylog.execute import LocalExecutor, executors, make_executor
from studylog.execute.ray_executor import RayExecutor
from studylog.mkdocs_plugin.config import validate
from studylog.settings import DEFAULTS, ExecutorSettings, Settings

PACKAGE = '''\
from studylog.execute import LocalExecutor
from studylog.execute.executor import Option


def label(value):
    if not isinstance(value, str) or not value.isidentifier():
        raise ValueError(f"expected a name such as night_shift, got {value!r}")
    return value


class Labelled(LocalExecutor):
    """This machine's workers, one at a time, under a label."""

    SUMMARY = "this machine's workers, one at a time"
    OPTIONS = {"label": Option(label, "what the queue is called")}

    @classmethod
    def from_settings(cls, settings, root):
        made = cls(1, cwd=root)
        made.label = settings.own.get("label", "unnamed")
        return made
'''


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A package that declares the executor ``queue`` in the ``studylog.executors`` group."""
    (tmp_path / "queue_executor.py").write_text(PACKAGE, encoding="utf-8")
    info = tmp_path / "queue_executor-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: queue-executor\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[studylog.executors]\nqueue = queue_executor:Labelled\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    forget()
    yield
    monkeypatch.undo()
    forget()


def forget() -> None:
    executors.table.cache_clear()
    executors.executor_class.cache_clear()


def test_each_executor_is_made_from_its_settings_group(tmp_path: Path) -> None:
    local = make_executor(Settings(executor=ExecutorSettings(jobs=3)), tmp_path)
    assert isinstance(local, LocalExecutor)
    assert (local.jobs, local.pool.cwd) == (3, tmp_path)  # tracebacks quote project files
    local.close()
    ray = make_executor(
        Settings(executor=ExecutorSettings("ray", 2, options={"ray": {"address": "h:6379"}})),
        tmp_path,
    )
    assert isinstance(ray, RayExecutor) and (ray.address, ray._jobs) == ("h:6379", 2)
    ray.close()  # never joined: nothing to leave
    assert executors.names()[:2] == ("local", "ray")
    assert [(e, o) for e, o, _spec in executors.options()] == [("ray", "address")]


def test_an_executor_from_another_package_needs_no_change_to_studylog(
    installed: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "queue" in executors.names()
    found, errors = validate({"executor": "queue", "queue_label": "night_shift", "jobs": 4})
    assert errors == [] and found is not None
    assert found.executor.own == {"label": "night_shift"}
    made: Any = make_executor(found, tmp_path)
    assert type(made).__name__ == "Labelled" and made.label == "night_shift"
    made.close()
    _, errors = validate({"executor": "queue", "queue_label": "two words"})
    assert errors == ["executor: queue_label: expected a name such as night_shift, got 'two words'"]
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    usage = capsys.readouterr().out
    assert "--queue-label VALUE" in usage and "what the queue is called" in usage
    assert "queue: this machine's workers, one at a time" in " ".join(usage.split())


def test_an_unknown_executor_is_an_executor_error(tmp_path: Path) -> None:
    from studylog.execute import ExecutorError

    with pytest.raises(ExecutorError, match="'dask' is not one of local, ray"):
        make_executor(Settings(executor=ExecutorSettings("dask")), tmp_path)
    assert DEFAULTS.executor.name == "local"
