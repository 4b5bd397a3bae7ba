"""The JSON shape of a parsed log (``studylog check --json``).

Keys are exactly those of the seeds' ``expected.json``, plus a few extras
(``path``, ``draft``, day ``line``/``anchor``/tasks, problem ``kind``,
``cell`` for a problem in a notebook's cell, and ``pairs``: each question and
review card with its answers).
Dates are ISO strings; ``None`` stays ``null`` ("no record" is not 0).
"""

from __future__ import annotations

from typing import Any

from studylog.model import Day, Log, Pair
from studylog.parse.dates import iso


def day_to_dict(day: Day) -> dict[str, Any]:
    return {
        "day": day.day,
        "date": iso(day.date),
        "title": day.title,
        "week": day.week,
        "keywords": list(day.keywords),
        "questions": day.questions,
        "answers": day.answers,
        "tasks_done": day.tasks_done,
        "tasks_open": day.tasks_open,
        "line": day.line,
        "anchor": day.anchor,
    }


def pair_to_dict(pair: Pair) -> dict[str, Any]:
    """A question (or review card) with its answers, as ``check --json`` lists it."""
    cell = {} if pair.cell is None else {"cell": pair.cell}
    return {
        "line": pair.line,
        **cell,
        "form": pair.form,
        "day": pair.day,
        "question": pair.question,
        "answers": list(pair.answers),
    }


def read_fields(log: Log) -> dict[str, Any]:
    """What the parser read of a log that both its JSON shape and its canonical front
    matter (:func:`studylog.parse.rewrite.log_fields`) hold, in their order."""
    return {
        "week": log.week,
        "day": log.day,
        "keywords": list(log.keywords),
        "tags": list(log.tags),
        "categories": list(log.categories),
        "questions": log.questions,
        "answers": log.answers,
    }


def log_to_dict(log: Log) -> dict[str, Any]:
    return {
        "path": log.path,
        "kind": log.kind,
        "title": log.title,
        "date": iso(log.date),
        **read_fields(log),
        "tasks_done": log.tasks_done,
        "tasks_open": log.tasks_open,
        "snippets": len(log.snippets),
        "draft": log.draft,
        "days": [day_to_dict(d) for d in log.days],
        "problems": [p.as_dict() for p in log.problems],
        "pairs": [pair_to_dict(p) for p in log.pairs],
    }
