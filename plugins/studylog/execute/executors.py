"""The executors studylog knows, by the name the ``executor`` option gives: one table.

An executor is a class that follows :class:`~studylog.execute.executor.Executor`
and :class:`~studylog.execute.executor.ExecutorClass`: a ``SUMMARY`` for help
texts, its own ``OPTIONS``, and a ``from_settings(settings, root)`` constructor.
Adding one is one module and one line in :data:`BUILTIN`; another package adds its
own with an entry point in the ``studylog.executors`` group (as jupyter-cache's
``jupyter_executors``)::

    [project.entry-points."studylog.executors"]
    slurm = "studylog_slurm:SlurmExecutor"

Every front end asks this table: the ``executor`` choices, and each executor's
options, written ``<executor>_<option>`` in mkdocs.yml (``ray_address``),
``--<executor>-<option>`` for ``studylog run`` and ``--studylog-<executor>-<option>``
under pytest. A module is imported only when its executor is looked at, and Ray
itself only when its executor starts.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any, cast

from studylog.execute.executor import Executor, ExecutorClass, ExecutorError, Option
from studylog.settings import Settings

GROUP = "studylog.executors"

# Name -> the class, as ``module:attribute``.
BUILTIN: Mapping[str, str] = {
    "local": "studylog.execute.local:LocalExecutor",
    "ray": "studylog.execute.ray_executor:RayExecutor",
}


@functools.cache
def table() -> Mapping[str, EntryPoint]:
    """Every executor by name: the built-in ones, then those other packages declare."""
    found = {name: EntryPoint(name, target, GROUP) for name, target in BUILTIN.items()}
    for point in entry_points(group=GROUP):
        found.setdefault(point.name, point)
    return found


def names() -> tuple[str, ...]:
    """The names the ``executor`` option accepts."""
    return tuple(table())


def check_name(value: object) -> str:
    """The name of a known executor (the rule of the ``executor`` option)."""
    if isinstance(value, str) and value in table():
        return value
    raise ValueError(f"expected one of {', '.join(names())}, got {value!r}")


@functools.cache
def executor_class(name: str) -> ExecutorClass:
    """The class of the executor called ``name``, its module imported now."""
    loaded = table()[name].load()
    if (
        not callable(getattr(loaded, "from_settings", None))
        or not isinstance(getattr(loaded, "OPTIONS", None), Mapping)
        or not isinstance(getattr(loaded, "SUMMARY", None), str)
    ):
        raise ExecutorError(
            f"executor {name!r} ({table()[name].value}) is not an executor: it needs "
            "SUMMARY, OPTIONS and from_settings(settings, root)"
        )
    return cast(ExecutorClass, loaded)


def summary() -> str:
    """Every executor and where it runs sessions, for help texts."""
    return "; ".join(f"{name}: {executor_class(name).SUMMARY}" for name in names())


def options() -> list[tuple[str, str, Option]]:
    """``(executor, option, what it is)`` for every executor's own options."""
    return [
        (name, option, spec)
        for name in names()
        for option, spec in executor_class(name).OPTIONS.items()
    ]


def option_key(executor: str, option: str) -> str:
    """How mkdocs.yml spells an executor's option: ``ray_address``."""
    return f"{executor}_{option}"


def check_option(key: str, value: object) -> object:
    """``value`` of the executor option spelled ``key``, checked by its executor."""
    for executor, option, spec in options():
        if option_key(executor, option) == key:
            return spec.check(value)
    raise KeyError(key)


def options_in(values: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The executors' options among flat ``values`` (``ray_address`` -> ``{"ray":
    {"address": ...}}``); None means not given."""
    found: dict[str, dict[str, Any]] = {}
    for executor, option, _spec in options():
        value = values.get(option_key(executor, option))
        if value is not None:
            found.setdefault(executor, {})[option] = value
    return found


def make_executor(settings: Settings, root: Path) -> Executor:
    """The executor ``settings`` name, for the project at ``root``. Nothing starts here:
    workers start, and a cluster is joined, in its ``start``."""
    name = settings.executor.name
    if name not in table():
        raise ExecutorError(f"executor: {name!r} is not one of {', '.join(names())}")
    return executor_class(name).from_settings(settings.executor, root)
