"""Assembling a :class:`~studylog.model.Log` from one file's text.

One pass reads the file (front matter, day headings, each entry's facts) into a
:class:`~studylog.parse.document.Document`; then one resolver per field decides
its value (:mod:`studylog.parse.document` says where each lives). Nothing here raises
on bad input: every oddity becomes a :class:`~studylog.model.Problem` and the rest of
the log is still read.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TypeVar

from markdown_it import MarkdownIt
from markdown_it.token import Token

from studylog.model import Log, Problem
from studylog.parse import (
    days,
    facts,
    fences,
    frontmatter,
    log_date,
    log_days,
    log_tallies,
    log_title,
    log_week,
    log_year,
    outline,
)
from studylog.parse.config import ParserConfig
from studylog.parse.document import Document, Resolved
from studylog.parse.patterns import Rules, compile_rules
from studylog.parse.source import decode

T = TypeVar("T")

_LOOKS_LIKE_YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")
_DASHES = re.compile(r"^-{3,}\s*$")
# An unclosed fence is blanked and the file parsed again; a file would need this
# many separate unclosed fences to run out of retries (each is reported).
_FENCE_RETRIES = 8
# Past this size a log still parses (a 5 MB log takes seconds) but slows every
# build; one file per day is the fix.
LARGE_LOG_BYTES = 2 * 1024 * 1024


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return outline.make_parser()


def _line_count(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def _tokens(text: str, path: str, problems: list[Problem]) -> list[Token]:
    md = _markdown()
    env: dict[str, object] = {}
    tokens = md.parse(text, env)
    count = _line_count(text)
    for _ in range(_FENCE_RETRIES):
        open_fence = next(
            (t for t in tokens if t.type == "fence" and fences.runs_to_end(t, count)), None
        )
        if open_fence is None or open_fence.map is None:
            break
        line = open_fence.map[0]
        problems.append(
            Problem(
                path,
                line + 1,
                f"code block opened here with {open_fence.markup} is never closed",
                f"add a closing {open_fence.markup} line after the code; the rest of the log "
                "is read as text and this block is not run",
            )
        )
        # Blank the opening line and read again, so the text after it is still
        # read as Markdown (keywords, counts) with unchanged line numbers.
        lines = text.split("\n")
        lines[line] = ""
        text = "\n".join(lines)
        tokens = md.parse(text, env)
    for line in outline.too_deep(env):
        problems.append(Problem(path, line, *outline.nesting_message(line), kind="warning"))
    return tokens


def parse_text(text: str | bytes, path: str, config: ParserConfig | None = None) -> Log:
    """Parse one log's text (or raw bytes); ``path`` is used in problems and for the file name."""
    config = config or ParserConfig()
    return parse_log(text, path, config, compile_rules(config))


def parse_log(data: str | bytes, path: str, config: ParserConfig, rules: Rules) -> Log:
    """Parse one log with already compiled ``rules`` (see :func:`parse_text`)."""
    source = decode(data, path)
    problems = list(source.problems)
    if not source.readable:
        return Log(path=path, body="", body_line=1, problems=tuple(problems))
    text = source.text
    size = len(data) if isinstance(data, bytes) else len(text.encode("utf-8", "replace"))
    if size > LARGE_LOG_BYTES:
        problems.append(
            Problem(
                path,
                1,
                f"the log is very large ({size / 1e6:.1f} MB) and slows the build",
                "split it into one file per day, e.g. with `studylog import`",
                "warning",
            )
        )
    if not text.strip():
        problems.append(
            Problem(
                path,
                1,
                "the log is empty",
                "write the day's notes in it, or delete the file",
                "warning",
            )
        )
        return Log(path=path, body=text, body_line=1, problems=tuple(problems))

    tokens = _tokens(text, path, problems)
    doc, body_index = _read(text, tokens, path, config, rules, problems)
    body = "\n".join(text.split("\n")[body_index:]) if body_index else text

    def take(resolved: Resolved[T]) -> T:
        value, found = resolved
        problems.extend(found)
        return value

    title = take(log_title.title(doc))
    own_date = take(log_date.file_date(doc, title))
    year = take(log_year.log_year(doc, title))
    kind = take(log_title.kind(doc, title, own_date.date is not None or own_date.year_missing))
    file_week = take(log_week.own_week(doc, title.text, kind))
    day_entries, days_missing_year = take(log_days.day_entries(doc, file_week, year))
    when = take(log_date.log_date(doc, own_date.date, day_entries, title, year))
    date = when.date
    day_no = take(log_days.day_number(doc, title.text, kind, file_week))
    week = take(log_week.week(doc, file_week, date, doc.multi))
    problems += log_date.missing_date(
        doc, date, own_date.year_missing or days_missing_year or when.year_missing
    )
    snippets = fences.snippets(
        ((f.line, f.token) for f in doc.outline.fences),
        path,
        [s.line for s in doc.starts] if doc.multi else [],
        problems,
    )
    keywords = take(log_tallies.keywords(doc))
    questions, answers = take(log_tallies.counts(doc))
    pairs = take(log_tallies.pairs(doc))
    values = doc.values
    return Log(
        path=path,
        body=body,
        body_line=body_index + 1,
        front_matter=doc.front_matter.raw,
        kind=kind,
        title=title.text,
        date=date,
        week=week,
        day=day_no,
        keywords=keywords,
        tags=doc.tags,
        categories=tuple(values.get("categories", ())),
        questions=questions,
        answers=answers,
        tasks_done=sum(t.tasks_done for t in doc.tallies),
        tasks_open=sum(t.tasks_open for t in doc.tallies),
        draft=bool(values.get("draft", False)),
        snippets=tuple(snippets),
        days=tuple(day_entries),
        problems=tuple(sorted(problems, key=lambda p: p.line)),
        pairs=pairs,
    )


def _read(
    text: str,
    tokens: list[Token],
    path: str,
    config: ParserConfig,
    rules: Rules,
    problems: list[Problem],
) -> tuple[Document, int]:
    """One pass over the file: front matter, day headings, each entry's facts; and the
    index of the body's first line."""
    out = outline.build(tokens)
    fm = frontmatter.FrontMatter()
    unclosed = False
    body_index = 0
    first_lines = text.split("\n", 2)[:2]
    if out.front_matter is not None and out.front_matter.map is not None:
        body_index = out.front_matter.map[1]
        fm = frontmatter.read(out.front_matter.content, path, 2, body_index)
        problems.extend(fm.problems)
    elif (
        len(first_lines) == 2
        and _DASHES.match(first_lines[0])
        and _LOOKS_LIKE_YAML_KEY.match(first_lines[1])
    ):
        unclosed = True
        problems.append(
            Problem(
                path,
                1,
                "front matter is never closed",
                "add a --- line after the last key; until then it is read as text",
            )
        )
    starts = days.find(out, rules)
    multi = len(starts) >= 2
    entry_starts = [1, *(s.line for s in starts)] if multi else [1]
    ends = days.section_ends(out, starts) if multi else []
    tallies, fact_problems = facts.collect(out, rules, entry_starts, path, ends)
    problems.extend(fact_problems)
    doc = Document(path, config, rules, out, fm, unclosed, tuple(starts), tuple(tallies))
    return doc, body_index
