"""Front matter: YAML read with line numbers and checked against one schema table.

The schema maps each known key to a converter returning ``(value, issues)``.
A wrong type is an error naming the key and its line; unknown keys (Jekyll's
``layout``, ``image``, ``math``, ``pin`` ...) are preserved untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from studylog import korean
from studylog.model import Problem
from studylog.parse import dates

Issue = tuple[str, str]  # (message, hint)
Converted = tuple[Any, list[Issue]]
Converter = Callable[[str, Any], Converted]


# libyaml's loader when PyYAML was built with it: several times faster on every log.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that leaves timestamps as the strings written.

    PyYAML would raise on ``2022-02-30`` and silently convert offsets to UTC;
    :mod:`studylog.parse.dates` reads them instead, keeping the author's date.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _text(key: str, value: Any) -> Converted:
    if isinstance(value, (dict, list)):
        return None, [(f"`{key}` must be text", f'write it as {key}: "..."')]
    return str(value).strip() or None, []


def _date(key: str, value: Any) -> Converted:
    date, error = dates.from_value(value)
    if error:
        return None, [(f"`{key}`: {error}", "write the date as YYYY-MM-DD, e.g. date: 2024-03-04")]
    return date, []


# What people write for the two kinds ("kind: WIL", "kind: TIL").
_KINDS = {
    "daily": "daily",
    "day": "daily",
    "til": "daily",
    "일일": "daily",
    "데일리": "daily",
    "weekly": "weekly",
    "week": "weekly",
    "wil": "weekly",
    "retrospective": "weekly",
    "retro": "weekly",
    "회고": "weekly",
    "주간": "weekly",
    "위클리": "weekly",
}


def _kind(key: str, value: Any) -> Converted:
    # "kind: Daily Log", "kind: weekly review": the word that names a kind decides.
    words = re.findall(r"[^\W\d_]+", str(value).lower())
    text = next((_KINDS[w] for w in words if w in _KINDS), None)
    if text is not None:
        return text, []
    return None, [
        (f"`{key}` must be daily or weekly, not {value!r}", "write kind: daily or kind: weekly")
    ]


def _whole(key: str, value: Any, minimum: int, example: str) -> Converted:
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        number = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    hint = f"write e.g. {key}: {example}"
    if number is None:
        return None, [(f"`{key}` must be a whole number, not {value!r}", hint)]
    if number < minimum:
        below = "can't be negative" if minimum == 0 else f"must be {minimum} or more"
        return None, [(f"`{key}` {below} ({number})", hint)]
    return number, []


_COUNT_UNIT = re.compile(rf"^\s*(\d+)\s*(?:{korean.COUNT_UNIT})\s*$", re.IGNORECASE)


def _count(key: str, value: Any) -> Converted:
    # "questions: 3개" or "3 times" is a count with its unit.
    if isinstance(value, str) and (found := _COUNT_UNIT.match(value)):
        value = found.group(1)
    return _whole(key, value, 0, "3, or remove the line to count the Q/A lines instead")


_ONE_NUMBER = re.compile(r"^\D*?(\d+)\D*$")


def _number(key: str, value: Any) -> Converted:
    # "week: 3주차", "day: Day 015": the one number written is meant.
    if isinstance(value, str):
        found = _ONE_NUMBER.match(value.strip())
        if found and not value.strip().lstrip("+-").isdigit():
            value = found.group(1)
    return _whole(key, value, 0, "4")


def _year(key: str, value: Any) -> Converted:
    year, issues = _whole(key, value, 1, "2024")
    if year is not None and year > 9999:
        return None, [(f"`{key}` {year} is not a year", "write e.g. year: 2024")]
    return year, issues


def _split(value: Any, key: str, *, spaces: bool) -> Converted:
    if isinstance(value, str):
        # Jekyll reads "tags: a b" as two tags; keywords are split on commas only.
        parts = value.split(",") if "," in value or not spaces else value.split()
        return tuple(p.strip() for p in parts if p.strip()), []
    if isinstance(value, list):
        # "tags: [[]]" or "- []" is an empty list written one level too deep.
        flat = [w for v in value for w in (v if isinstance(v, list) else [v])]
        bad = [v for v in flat if isinstance(v, (dict, list))]
        if bad:
            return None, [(f"`{key}` must be a list of words", f"write {key}: [a, b]")]
        return tuple(str(v).strip() for v in flat if v is not None and str(v).strip()), []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (str(value),), []
    return None, [(f"`{key}` must be a list or a comma-separated text", f"write {key}: [a, b]")]


def _keywords(key: str, value: Any) -> Converted:
    return _split(value, key, spaces=False)


def _labels(key: str, value: Any) -> Converted:
    return _split(value, key, spaces=True)


def _bool(key: str, value: Any) -> Converted:
    if isinstance(value, bool):
        return value, []
    text = str(value).strip().lower()
    if text in ("true", "yes", "on", "1"):
        return True, []
    if text in ("false", "no", "off", "0"):
        return False, []
    return None, [(f"`{key}` must be true or false, not {value!r}", f"write {key}: true")]


SCHEMA: Mapping[str, Converter] = {
    "title": _text,
    "date": _date,
    "last_modified_at": _date,  # Jekyll's; the log's date when `date` is missing
    "kind": _kind,
    "week": _number,
    "day": _number,
    "keywords": _keywords,
    "tags": _labels,
    "categories": _labels,
    "questions": _count,
    "answers": _count,
    "year": _year,
    "draft": _bool,
}


@dataclass(frozen=True)
class FrontMatter:
    raw: Mapping[str, Any] = field(default_factory=dict)  # every key as written
    values: Mapping[str, Any] = field(default_factory=dict)  # schema keys that converted
    lines: Mapping[str, int] = field(default_factory=dict)  # file line of each key
    problems: tuple[Problem, ...] = ()
    broken: bool = False  # the YAML itself could not be read (some keys may be lost)

    def line_of(self, key: str, default: int = 1) -> int:
        return self.lines.get(key, default)


def _load(text: str) -> tuple[Any, dict[str, int]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[str, int] = {}
        if isinstance(node, yaml.MappingNode):
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    lines.setdefault(str(key_node.value), key_node.start_mark.line)
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def _error_line(exc: yaml.YAMLError, text: str) -> int | None:
    """0-based line of the YAML text where the mistake is, as best YAML can tell."""
    problem = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    # An unclosed quote or bracket is only noticed at the end of the text; the
    # context mark says where it was opened, which is where the fix goes.
    if problem is not None and context is not None and problem.index >= len(text.rstrip()):
        return int(context.line)
    if problem is not None:
        return int(problem.line)
    return int(context.line) if context is not None else None


def _salvage(text: str, line: int) -> tuple[Any, dict[str, int]]:
    """The keys written before the broken line, so one mistake does not lose them all."""
    try:
        data, lines = _load("\n".join(text.split("\n")[:line]))
    except (yaml.YAMLError, ValueError, TypeError):
        return None, {}
    return (data, lines) if isinstance(data, dict) else (None, {})


def read(text: str, path: str, first_line: int, end_line: int) -> FrontMatter:
    """Read the YAML ``text`` whose first line is ``first_line`` of the file.

    ``end_line`` is the closing ``---`` line, used when YAML cannot say where it failed.
    """
    problems: list[Problem] = []
    try:
        data, offsets = _load(text)
    except yaml.YAMLError as exc:
        where = _error_line(exc, text)
        detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(
            Problem(
                path,
                first_line + where if where is not None else end_line,
                f"front matter is not valid YAML: {detail}",
                "check the indentation and quotes on this line; the keys above it are still read",
            )
        )
        data, offsets = _salvage(text, where) if where else (None, {})
    except (ValueError, TypeError) as exc:  # e.g. an explicit !!timestamp tag with a bad value
        return FrontMatter(
            problems=(
                Problem(
                    path,
                    first_line,
                    f"front matter could not be read: {exc}",
                    "write plain key: value pairs",
                ),
            )
        )
    if data is None:
        return FrontMatter(problems=tuple(problems), broken=bool(problems))
    if not isinstance(data, dict):
        return FrontMatter(
            problems=(
                Problem(
                    path,
                    first_line,
                    "front matter must be key: value pairs",
                    "write e.g. title: ... and date: YYYY-MM-DD between the --- lines",
                ),
            )
        )
    lines = {key: first_line + offset for key, offset in offsets.items()}
    values: dict[str, Any] = {}
    for key, convert in SCHEMA.items():
        if data.get(key) is None:
            continue
        value, issues = convert(key, data[key])
        for message, hint in issues:
            problems.append(Problem(path, lines.get(key, first_line), message, hint))
        if not issues and value is not None:
            values[key] = value
    raw = {str(k): v for k, v in data.items()}
    return FrontMatter(
        raw=raw,
        values=values,
        lines=lines,
        problems=tuple(problems),
        broken=any(p.message.startswith("front matter") for p in problems),
    )
