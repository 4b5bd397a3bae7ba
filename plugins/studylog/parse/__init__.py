"""Reading study logs into the model (:mod:`studylog.model`).

Stages, each its own module::

    source (bytes -> text)  ->  outline (markdown-it tokens: every heading form)
        ->  frontmatter (schema)  ->  days (day starts, read by dates)
        ->  facts (keywords, counts, tasks; qa: questions and answers), blocks (snippets)
        ->  one resolver per field, each reading the ``document``: log_title (title,
            kind), log_year (the year of yearless dates; years: its sources),
            log_date, log_week, log_days (day entries, day number), log_tallies
        ->  logs (assembly)  ->  files (discovery)

``dicts`` gives the JSON shape of a log, ``rewrite`` canonical files (``studylog import``).

The rules (day headings, keyword and count lines, Q/A markers, weeks) come from
:class:`ParserConfig`, with Korean and English defaults. Bad input never raises:
it becomes a :class:`~studylog.model.Problem` with ``path:line`` and a hint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studylog.parse.config import ParserConfig
from studylog.parse.dicts import log_to_dict
from studylog.parse.files import discover, parse_file, parse_paths

if TYPE_CHECKING:
    from studylog.parse.logs import parse_text


def __getattr__(name: str) -> Any:
    # markdown-it is imported with the first log parsed: a warm site build whose logs
    # all come from the memo never needs it.
    if name == "parse_text":
        from studylog.parse.logs import parse_text

        return parse_text
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ParserConfig",
    "discover",
    "log_to_dict",
    "parse_file",
    "parse_paths",
    "parse_text",
]
