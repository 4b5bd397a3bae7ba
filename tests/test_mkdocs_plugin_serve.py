"""Under ``mkdocs serve`` the plugin, and its executor with its warm workers, live across rebuilds.

The rebuilds are driven the way ``mkdocs serve`` drives them: one ``on_startup``,
then a freshly loaded config and ``build()`` per change.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

FIXTURE = Path(__file__).parent / "fixtures" / "site" / "basic"


def test_pool_stays_warm_and_an_edit_reruns_only_its_session(tmp_path, caplog):
    project = tmp_path / "serve"
    shutil.copytree(FIXTURE, project)
    for name in ("2024-03-04-plot.md", "2024-03-06-evil.md"):
        (project / "logs" / name).unlink()  # one session is enough here
    config_file = str(project / "mkdocs.yml")

    first = load_config(config_file)
    first.plugins.on_startup(command="serve", dirty=False)
    plugin = first.plugins["studylog"]
    try:
        with caplog.at_level(logging.INFO, logger="mkdocs.plugins.studylog"):
            build(first)
            executor = plugin.executor
            assert executor is not None and executor.workers_started == 1
            assert "(1 run, 0 cached" in caplog.text

            log = project / "logs" / "2024-03-05-sum.md"
            log.write_text(log.read_text("utf-8").replace("range(5)", "range(8)"), "utf-8")
            caplog.clear()
            second = load_config(config_file)
            assert second.plugins["studylog"] is plugin  # kept by on_startup
            build(second)
            assert plugin.executor is executor and executor.workers_started == 1  # same warm worker
            assert "(1 run, 0 cached" in caplog.text
            page = (project / "site" / "logs" / "2024-03-05-sum" / "index.html").read_text("utf-8")
            assert "total is 28" in page

            caplog.clear()
            build(load_config(config_file))  # nothing changed: nothing runs
            assert "(0 run, 1 cached" in caplog.text

            # A log whose block runs past its timeout: it runs once, and its failure is kept.
            stuck = project / "logs" / "2024-03-07-stuck.md"
            stuck.write_text(STUCK.format(body="while True:\n    pass"), "utf-8")
            caplog.clear()
            build(load_config(config_file))
            assert "(1 run, 1 cached, 0 frozen, 1 failed)" in caplog.text
            assert "studylog: running 1 of 2 sessions (1 from the cache)" in caplog.text

            # Prose edited in another log: nothing runs again, the failure included.
            log.write_text(log.read_text("utf-8") + "\nOne more line of prose.\n", "utf-8")
            caplog.clear()
            build(load_config(config_file))
            assert "(0 run, 2 cached, 0 frozen, 1 failed, 1 of them from the cache)" in caplog.text
            assert "an earlier run's result, kept until its code changes" in caplog.text
            assert executor.workers_started == 1

            # Its code changed: it runs again.
            stuck.write_text(STUCK.format(body="print('unstuck')"), "utf-8")
            caplog.clear()
            build(load_config(config_file))
            assert "(1 run, 1 cached, 0 frozen, 0 failed)" in caplog.text
            page = (project / "site" / "logs" / "2024-03-07-stuck" / "index.html").read_text(
                "utf-8"
            )
            assert "unstuck" in page
    finally:
        plugin.on_shutdown()
    assert plugin.executor is None


STUCK = """---
title: "Day 4: stuck"
week: 1
---

```python exec="on" timeout="1"
{body}
```
"""


class _Server:
    """What ``on_serve`` uses of MkDocs' LiveReloadServer: ``watch`` and ``builder``."""

    def __init__(self) -> None:
        self.watched: list[str] = []
        self.builder = lambda config=None: None  # MkDocs' full rebuild, not called here

    def watch(self, path: str) -> None:
        self.watched.append(path)


@pytest.mark.slow  # three builds, two workers
def test_serve_starts_a_worker_before_the_first_edit(tmp_path):
    """As ``mkdocs serve`` does: startup, the first build (all from the cache: no worker),
    then ``on_serve``, which starts one worker while the user reads the site."""
    project = tmp_path / "serve"
    shutil.copytree(FIXTURE, project)
    for name in ("2024-03-04-plot.md", "2024-03-06-evil.md"):
        (project / "logs" / name).unlink()  # one session
    yml = project / "mkdocs.yml"
    yml.write_text(yml.read_text("utf-8").replace("jobs: 1", "jobs: 2"), "utf-8")
    config_file = str(yml)
    earlier = load_config(config_file)  # an earlier `mkdocs build` filled the cache
    earlier.plugins.on_startup(command="build", dirty=False)
    build(earlier)
    earlier.plugins.on_shutdown()
    config = load_config(config_file)
    config.plugins.on_startup(command="serve", dirty=False)
    plugin = config.plugins["studylog"]
    try:
        build(config)
        assert plugin.executor is None or plugin.executor.workers_started == 0  # all cached
        server = _Server()
        plugin.on_serve(server, config=config, builder=None)
        assert str(project / "logs") in server.watched
        executor = plugin.executor
        assert executor is not None
        deadline = time.monotonic() + 10  # started in the background: serve is not held up
        while executor.workers_started < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        # One worker, not `jobs` of them: an edit usually touches one log, and two torch
        # imports at once would slow the rebuilds of the first seconds on two cores.
        assert executor.workers_started == 1 and executor.jobs == 2
        log = project / "logs" / "2024-03-05-sum.md"
        log.write_text(log.read_text("utf-8").replace("range(5)", "range(8)"), "utf-8")
        build(load_config(config_file))  # the edit runs on the worker already started
        assert plugin.executor is executor and executor.workers_started == 1
    finally:
        plugin.on_shutdown()
