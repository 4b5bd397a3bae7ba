"""One owner for project settings: the plugin, every command and pytest read the same values.

The defaults live in ``studylog.settings``; the plugin's options take theirs from it;
``studylog run``/``cache``/``check`` and the pytest plugin read ``plugins.studylog`` from
the project's mkdocs.yml; a bad value is refused the same way everywhere, naming the option.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from studylog import settings
from studylog.cli import main
from studylog.mkdocs_plugin.config import StudylogConfig, validate
from studylog.parse.config import PATTERN_OPTIONS
from studylog.project import ProjectError, load
from studylog.settings import DEFAULTS, ExecutorSettings, Settings

LOG = """\
---
title: one
date: 2024-03-04
---

```py3 exec="on"
print("py3 runs", 6 * 7)
```

```bash exec="on"
echo never
```
"""


def write_site(root: Path, options: str = "") -> Path:
    (root / "logs").mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "logs" / "2024-03-04-one.md").write_text(LOG, encoding="utf-8")
    plugin = "  - studylog" + (":\n" + options if options else "") + "\n"
    (root / "mkdocs.yml").write_text(
        f"site_name: t\nplugins:\n  - search\n{plugin}", encoding="utf-8"
    )
    return root


def test_every_setting_is_a_plugin_option_with_the_same_default() -> None:
    schema = dict(StudylogConfig._schema)
    for field in fields(Settings):
        if field.name in ("patterns", "executor"):
            continue
        assert field.name in schema, field.name
        assert schema[field.name].default == getattr(DEFAULTS, field.name), field.name
    # The executor's group: its name is `executor`, and `jobs` is beside it.
    assert schema["executor"].default == DEFAULTS.executor.name
    assert schema["jobs"].default == DEFAULTS.executor.jobs
    assert set(PATTERN_OPTIONS) <= set(schema)
    found, errors = validate({})
    assert (found, errors) == (DEFAULTS, [])


def test_an_executors_own_options_are_written_beside_it_and_grouped() -> None:
    config = StudylogConfig()
    config.load_dict({"executor": "ray", "ray_address": " 10.0.0.5:6379 ", "jobs": 3})
    assert config.validate() == ([], [])  # ray_address is known: no warning, even --strict
    assert (config["executor"], config["ray_address"]) == ("ray", "10.0.0.5:6379")
    found, errors = validate({"executor": "ray", "ray_address": "10.0.0.5:6379", "jobs": 3})
    assert errors == [] and found is not None
    assert found.executor == ExecutorSettings(
        name="ray", jobs=3, options={"ray": {"address": "10.0.0.5:6379"}}
    )
    assert found.executor.own == {"address": "10.0.0.5:6379"}
    # Another executor's options are kept for when it is chosen (e.g. on the command line).
    found, _ = validate({"ray_address": "ray://head:10001"})
    assert found is not None and found.executor.name == "local" and found.executor.own == {}
    assert found.executor.overridden(name="ray").own == {"address": "ray://head:10001"}


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (
            {"executor": "ray", "ray_address": "head"},
            "executor: ray_address: expected a Ray address",
        ),
        ({"executor": "dask"}, "executor: expected one of local, ray"),
    ],
)
def test_a_bad_executor_or_executor_option_names_the_key(
    options: dict[str, object], words: str
) -> None:
    found, errors = validate(options)
    assert found is None and errors[0].startswith(words), errors


@pytest.mark.parametrize("value", [0, -5, True, "abc", float("inf")])
def test_timeout_must_be_a_positive_number(value: object) -> None:
    found, errors = validate({"timeout": value})
    assert found is None
    (error,) = errors
    assert error.startswith("timeout: ") and "number of seconds" in error
    with pytest.raises(ValueError):
        settings.seconds(value)


@pytest.mark.parametrize(
    ("option", "value"),
    [("jobs", 0), ("jobs", "many"), ("default_year", 0), ("course_start", "soon")],
)
def test_other_numbers_and_dates_are_checked(option: str, value: object) -> None:
    found, errors = validate({option: value})
    assert found is None and errors[0].startswith(f"{option}: ")


@pytest.mark.parametrize("value", ["0", "-5", "true"])
def test_a_bad_timeout_stops_every_front_end_naming_the_option(
    tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(tmp_path, f"      timeout: {value}")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert build.returncode != 0
    assert "timeout" in build.stderr and "number of seconds" in build.stderr
    for command in (["run"], ["check"], ["cache", "info"], ["stats"]):
        assert main([*command, "--root", str(root)]) == 2, command
        err = capsys.readouterr().err
        assert "plugins.studylog.timeout" in err and "number of seconds" in err, command
    with pytest.raises(ProjectError, match=r"plugins\.studylog\.timeout"):
        load(root / "mkdocs.yml")


def test_run_and_cache_use_the_sites_cache_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(tmp_path, "      cache_dir: .my-cache\n      timeout: 30")
    assert load(root / "mkdocs.yml").settings.timeout == 30.0
    assert main(["run", "--root", str(root), "--json"]) == 1  # the bash block is an error
    out = json.loads(capsys.readouterr().out)
    assert [(s["session"], s["status"]) for s in out] == [("default", "ok")]
    assert out[0]["blocks"][0]["stdout"] == "py3 runs 42\n"
    entries = list((root / ".my-cache").glob("*.json"))
    assert len(entries) == 1 and not (root / ".studylog-cache").exists()
    assert main(["cache", "info", "--root", str(root)]) == 0
    assert "1 entries" in capsys.readouterr().out
    assert main(["cache", "clear", "--root", str(root)]) == 0
    assert "removed 1 entry" in capsys.readouterr().out
    assert not list((root / ".my-cache").glob("*.json"))


def test_commands_find_the_project_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(tmp_path, "      logs_dir: logs\n      cache_dir: .c")
    monkeypatch.chdir(root / "logs")
    assert main(["cache", "info"]) == 0
    assert str(root / ".c") in capsys.readouterr().out


def test_check_reports_what_run_and_build_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fence that cannot run is an error in `studylog check` too, at its line."""
    root = write_site(tmp_path)
    (root / "logs" / "2024-03-05-two.md").write_text(
        '---\ndate: 2024-03-05\n---\n\n```python exec="on" timeout="abc" device="tpu"\n'
        'x = 1\n```\n\n```python exec="on" sesion="x"\nx = 2\n```\n\n'
        '```python exec="on" file="../../etc/passwd"\n```\n\n'
        '```python exec="on" session="inc" file="snippets/missing.py"\n```\n',
        encoding="utf-8",
    )
    assert main(["check", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    for line, words in [
        (5, "bad value timeout='abc'"),
        (5, "bad value device='tpu'"),
        (9, "unknown option sesion='x'"),
        (13, "file='../../etc/passwd' is outside the project"),
        (16, "file='snippets/missing.py' does not exist"),
        (10, "only Python blocks"),
    ]:
        where = "2024-03-04-one.md" if words == "only Python blocks" else "2024-03-05-two.md"
        assert f"{where}:{line}: {words}" in out, (line, words)


def test_every_pattern_option_is_documented(project_root: Path) -> None:
    guide = (project_root / "docs" / "guide.md").read_text(encoding="utf-8")
    assert [name for name in PATTERN_OPTIONS if f"| `{name}` |" not in guide] == []
