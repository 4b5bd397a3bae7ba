"""Validating the attributes of an executable block into :class:`BlockOptions`.

Every attribute is checked: an unknown key or a bad value becomes a
:class:`~studylog.model.Problem` naming the fence line, and the block keeps the
default for that option, so one typo never stops a page from building.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from studylog.execute.results import BlockOptions
from studylog.model import Problem

ON = frozenset({"on", "true", "yes", "1"})
OFF = frozenset({"off", "false", "no", "0"})

# Attributes that are read elsewhere (grouping, execution switch) rather than
# turned into a BlockOptions field.
STRUCTURAL = ("exec", "session")


def _choice(field: str, allowed: Mapping[str, Any]) -> Callable[[str], tuple[str, Any]]:
    def convert(raw: str) -> tuple[str, Any]:
        key = raw.strip().lower()
        if key not in allowed:
            words = ", ".join(f'"{w}"' for w in allowed)
            raise ValueError(f"use one of {words}")
        return field, allowed[key]

    return convert


def _timeout(raw: str) -> tuple[str, Any]:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError("give a number of seconds, e.g. timeout=\"120\"") from None
    if not value > 0 or value != value or value == float("inf"):
        raise ValueError("give a positive number of seconds")
    return "timeout", value


def _file(raw: str) -> tuple[str, Any]:
    if not raw.strip():
        raise ValueError('give a path relative to the project, e.g. file="snippets/mlp.py"')
    return "file", raw.strip()


# attribute -> converter returning (BlockOptions field, value); one table so the
# set of known options and their rules can be read in one place.
CONVERTERS: dict[str, Callable[[str], tuple[str, Any]]] = {
    "show": _choice("show", {"both": "both", "source": "source", "output": "output"}),
    "errors": _choice("errors_allowed", {"allow": True, "raise": False}),
    "timeout": _timeout,
    "device": _choice("device", {"auto": "auto", "cpu": "cpu", "cuda": "cuda"}),
    "requires": _choice("requires_cuda", {"cuda": True}),
    "cache": _choice("cache", {"on": True, "off": False}),
    "file": _file,
}
KNOWN = (*STRUCTURAL, *CONVERTERS)


def is_enabled(attrs: Mapping[str, str]) -> bool | None:
    """Whether ``exec`` turns execution on; None when its value is not understood."""
    raw = attrs.get("exec")
    if raw is None:
        return False
    value = raw.strip().lower()
    if value in ON or value == "":
        return True
    if value in OFF:
        return False
    return None


def parse_options(
    attrs: Mapping[str, str], *, path: str, line: int
) -> tuple[BlockOptions, list[Problem]]:
    """Turn a block's raw attributes into options plus the problems found."""
    options = BlockOptions()
    problems: list[Problem] = []
    for key, raw in attrs.items():
        if key in STRUCTURAL:
            continue
        convert = CONVERTERS.get(key)
        if convert is None:
            known = ", ".join(KNOWN)
            problems.append(
                Problem(path, line, f"unknown option {key}={raw!r} on an executable block",
                        hint=f"known options: {known}")
            )
            continue
        try:
            field, value = convert(str(raw))
        except ValueError as exc:
            problems.append(
                Problem(path, line, f"bad value {key}={raw!r}; the default is used", hint=str(exc))
            )
            continue
        options = replace(options, **{field: value})
    return options, problems
