"""Rewriting parsed logs as canonical front-matter logs (``studylog import``).

A multi-day file becomes one file per day, ``YYYY-MM-DD-dayNN.md``; any other
log one file. Each gets canonical front matter holding what the parser derived
(title, date, kind, week, day, keywords, Q/A counts), keeps keys it does not
know (Jekyll's ``layout``, ``image`` ...), and keeps its body verbatim, so
parsing the new file gives the same dates, keywords and counts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import yaml

from studylog.model import Log
from studylog.parse.dicts import read_fields
from studylog.parse.frontmatter import SCHEMA

_LEADING_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}[-_.]?")
_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class Rewritten:
    name: str  # file name in the output folder
    text: str  # the whole new file
    source: str  # the log it came from
    line: int  # where in the source its body starts
    what: str  # "day 11", "week 3 summary", "log"


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # Multi-line values as blocks, so a preserved description stays readable.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    # keywords: [MLP, Optimizer] on one line, as people write them.
    flat = all(not isinstance(v, (dict, list)) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def front_matter(fields: dict[str, Any]) -> str:
    kept = {k: v for k, v in fields.items() if v not in (None, (), [], "")}
    dumped = yaml.dump(
        kept,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1000,
    )
    return f"---\n{dumped}---\n"


def _unknown_keys(log: Log) -> dict[str, Any]:
    # Keys the schema does not own are the author's (layout, image, math, pin ...).
    return {k: v for k, v in log.front_matter.items() if k not in SCHEMA}


def log_label(log: Log) -> str:
    """``dayNN`` or ``weekNN`` for a log's canonical file name ("" when neither is known)."""
    if log.kind == "daily" and log.day is not None:
        return f"day{log.day:02d}"
    if log.kind == "weekly" and log.week is not None:
        return f"week{log.week:02d}"
    return ""


def log_fields(log: Log) -> dict[str, Any]:
    """The canonical front matter of a one-file log: what the parser derived, then the
    author's own keys."""
    return {
        "title": log.title,
        "date": log.date,
        "kind": log.kind,
        **read_fields(log),
        "draft": log.draft or None,
        **_unknown_keys(log),
    }


def canonical_name(date: dt.date | None, label: str, fallback: str, suffix: str = ".md") -> str:
    """``YYYY-MM-DD-<label>`` (the file name's own words without a date when there is no
    label), or the file name made safe when there is no date."""
    stem = _UNSAFE.sub("-", fallback).strip("-") or "log"
    if date is None:
        return f"{stem}{suffix}"
    return f"{date.isoformat()}-{label or _LEADING_DATE.sub('', stem) or 'log'}{suffix}"


def _chunk(lines: list[str], start: int, end: int) -> str:
    """Lines ``start:end`` of a text split on "\\n", with their line endings: the chunks
    of consecutive ranges add up to the text exactly."""
    return "\n".join(lines[start:end]) + ("\n" if end < len(lines) else "")


def rewrite(log: Log) -> list[Rewritten]:
    """The canonical files for ``log``, in order (a weekly summary first, then days)."""
    stem = PurePosixPath(log.path).stem
    if len(log.days) < 2:
        return [
            Rewritten(
                canonical_name(log.date, log_label(log), stem),
                front_matter(log_fields(log)) + log.body,
                log.path,
                log.body_line,
                "log",
            )
        ]
    body_lines = log.body.split("\n")
    summary = _summary(log, body_lines, stem)
    days = [_day_file(log, index, body_lines, stem) for index in range(len(log.days))]
    return [summary, *days] if summary is not None else days


def _labels(log: Log) -> dict[str, Any]:
    """The tags and categories of a file of days, which each of its files keeps."""
    return {"tags": list(log.tags), "categories": list(log.categories)}


def _summary(log: Log, body_lines: list[str], stem: str) -> Rewritten | None:
    """The preamble of a file of days (before its first day) as a weekly summary, when it
    says more than its title."""
    first = log.days[0].line - log.body_line  # index of the first day in body_lines
    title_lines = {log.title.strip()} if log.title else set()
    meaningful = [
        ln
        for ln in body_lines[:first]
        if ln.strip() and ln.strip() not in title_lines and not re.fullmatch(r"\s*(=+|-+)\s*", ln)
    ]
    if not meaningful:
        return None
    fields = {
        "title": log.title,
        "date": log.date,
        "kind": "weekly",
        "week": log.week,
        **_labels(log),
        **_unknown_keys(log),
    }
    label = f"week{log.week:02d}" if log.week is not None else f"{stem}-summary"
    return Rewritten(
        canonical_name(log.date, label, f"{stem}-summary"),
        front_matter(fields) + _chunk(body_lines, 0, first),
        log.path,
        log.body_line,
        "weekly summary",
    )


def _day_file(log: Log, index: int, body_lines: list[str], stem: str) -> Rewritten:
    """Day ``index`` of a file of days as a daily log of its own."""
    day = log.days[index]
    start = day.line - log.body_line
    following = log.days[index + 1] if index + 1 < len(log.days) else None
    end = following.line - log.body_line if following is not None else len(body_lines)
    fields = {
        "title": day.title,
        "date": day.date,
        "kind": "daily",
        "week": day.week,
        "day": day.day,
        "keywords": list(day.keywords),
        **_labels(log),
        "questions": day.questions,
        "answers": day.answers,
        **_unknown_keys(log),
    }
    label = f"day{day.day:02d}" if day.day is not None else day.anchor
    return Rewritten(
        canonical_name(day.date, label, f"{stem}-{day.anchor}"),
        front_matter(fields) + _chunk(body_lines, start, end),
        log.path,
        day.line,
        f"day {day.day if day.day is not None else index + 1}",
    )
