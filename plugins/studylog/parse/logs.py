"""Assembling a :class:`~studylog.model.Log` from one file's text.

Each field is taken from the first source that gives a value: front matter,
then the file name, then headings and lines in the body (a multi-day file's
counts are the sums over its days). Nothing here raises on bad input: every oddity becomes a
:class:`~studylog.model.Problem` and the rest of the log is still read.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import PurePosixPath

from markdown_it import MarkdownIt
from markdown_it.token import Token

from studylog.model import Day, Kind, Log, Problem
from studylog.parse import blocks, dates, days, facts, frontmatter, outline
from studylog.parse.config import ParserConfig
from studylog.parse.patterns import Rules, compile_rules, first_int, first_match
from studylog.parse.source import decode

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
    tokens = md.parse(text)
    count = _line_count(text)
    for _ in range(_FENCE_RETRIES):
        open_fence = next((t for t in tokens if t.type == "fence" and blocks.runs_to_end(t, count)),
                          None)
        if open_fence is None or open_fence.map is None:
            break
        line = open_fence.map[0]
        problems.append(Problem(
            path, line + 1, f"code block opened here with {open_fence.markup} is never closed",
            f"add a closing {open_fence.markup} line after the code; the rest of the log is read "
            "as text and this block is not run",
        ))
        # Blank the opening line and read again, so the text after it is still
        # read as Markdown (keywords, counts) with unchanged line numbers.
        lines = text.split("\n")
        lines[line] = ""
        text = "\n".join(lines)
        tokens = md.parse(text)
    return tokens


def _week_from_course(date: dt.date | None, start: dt.date | None) -> int | None:
    if date is None or start is None or date < start:
        return None
    return (date - start).days // 7 + 1


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
        problems.append(Problem(
            path, 1, f"the log is very large ({size / 1e6:.1f} MB) and slows the build",
            "split it into one file per day, e.g. with `studylog import`", "warning",
        ))
    if not text.strip():
        problems.append(Problem(path, 1, "the log is empty",
                                "write the day's notes in it, or delete the file", "warning"))
        return Log(path=path, body=text, body_line=1, problems=tuple(problems))

    tokens = _tokens(text, path, problems)
    out = outline.build(tokens)

    # Front matter
    fm = frontmatter.FrontMatter()
    fm_unclosed = False
    body_index = 0
    first_line = text.split("\n", 2)[:2]
    if out.front_matter is not None and out.front_matter.map is not None:
        body_index = out.front_matter.map[1]
        fm = frontmatter.read(out.front_matter.content, path, 2, body_index)
        problems.extend(fm.problems)
    elif (len(first_line) == 2 and _DASHES.match(first_line[0])
          and _LOOKS_LIKE_YAML_KEY.match(first_line[1])):
        fm_unclosed = True
        problems.append(Problem(
            path, 1, "front matter is never closed",
            "add a --- line after the last key; until then it is read as text",
        ))
    body = "\n".join(text.split("\n")[body_index:]) if body_index else text
    values = fm.values
    year = values.get("year", config.default_year)

    # Days and per-entry facts
    starts = days.find(out, rules)
    multi = len(starts) >= 2
    entry_starts = [1, *(s.line for s in starts)] if multi else [1]
    tallies, fact_problems = facts.collect(out, rules, entry_starts, path)
    problems.extend(fact_problems)

    def day_date(start: days.DayStart) -> tuple[dt.date | None, bool]:
        """The date of a day heading, reporting what is wrong; (date, year_missing)."""
        if not start.date_text:
            return None, False
        date, error, needs_year = dates.parse_loose(start.date_text, year)
        if error:
            problems.append(Problem(path, start.line, f"day heading: {error}",
                                    "write the date as YYYY/MM/DD or MM/DD"))
        if needs_year:
            problems.append(Problem(
                path, start.line, f"the date {start.date_text} has no year",
                "add `year: YYYY` to the front matter or set default_year", "warning",
            ))
        return date, needs_year

    # Title: front matter, else the first level-1 heading that is not a day heading.
    day_lines = {s.line for s in starts} if multi else set()
    title = values.get("title")
    if title is None:
        title = next((h.text for h in out.headings
                      if h.level == 1 and h.depth == 0 and not h.quoted and h.text
                      and h.line not in day_lines), None)

    # Date: front matter, file name, day heading(s).
    date: dt.date | None = values.get("date")
    year_missing = False
    if date is None:
        date, name_error = dates.from_filename(PurePosixPath(path).stem)
        if name_error:
            problems.append(Problem(path, 1, f"file name: {name_error}",
                                    "rename the file YYYY-MM-DD-title.md with a real date",
                                    "warning"))
    day_entries: list[Day] = []
    single_day: days.DayStart | None = starts[0] if len(starts) == 1 else None
    if date is not None and year is None:
        year = date.year  # "Day 11 (11/20)" in a file dated 2023-11-20 is in 2023
    if single_day is not None and date is None:
        date, year_missing = day_date(single_day)

    # Week of the file itself (not computed from course_start: days inherit this one).
    own_week = values.get("week")
    if own_week is None and title:
        own_week = first_int(rules.weeks, title, "week")
    if own_week is None and single_day is not None:
        own_week = first_int(rules.weeks, single_day.title, "week")
    tags = values.get("tags", ())
    if own_week is None:
        own_week = next((w for w in (first_int(rules.week_tags, t, "week") for t in tags)
                         if w is not None), None)

    if multi:
        for start, anchor, tally in zip(starts, days.anchors(starts), tallies[1:], strict=True):
            when, missing = day_date(start)
            year_missing = year_missing or missing
            week = first_int(rules.weeks, start.title, "week")
            if week is None:
                week = own_week
            if week is None:
                week = _week_from_course(when, config.course_start)
            day_entries.append(Day(
                path=path, line=start.line, title=start.title, anchor=anchor, day=start.day,
                date=when, week=week,
                keywords=facts.merge_keywords([tally.keywords], config.keyword_aliases),
                questions=tally.questions, answers=tally.answers,
                tasks_done=tally.tasks_done, tasks_open=tally.tasks_open,
            ))
        if date is None:
            date = next((d.date for d in day_entries if d.date is not None), None)

    kind: Kind
    if "kind" in values:
        kind = values["kind"]
    elif multi or (title and _is_weekly_title(title, rules)):
        kind = "weekly"
    else:
        kind = "daily"

    day_no = values.get("day")
    if day_no is None and single_day is not None:
        day_no = single_day.day
    if day_no is None and title and kind == "daily":
        day_no = first_int(rules.title_days, title, "day")

    week = own_week if own_week is not None else _week_from_course(date, config.course_start)

    # One problem per mistake: an unreadable front matter or a bad date was already reported.
    if (date is None and "date" not in fm.raw and not fm.broken and not fm_unclosed
            and not year_missing):
        problems.append(Problem(
            path, 1, "the log has no date",
            "add `date: YYYY-MM-DD` to the front matter or name the file YYYY-MM-DD-title.md; "
            "until then it is left out of date-ordered pages", "warning",
        ))

    snippets = blocks.snippets(out.fences, path, [s.line for s in starts] if multi else [],
                              problems)
    keywords = facts.merge_keywords(
        [values.get("keywords", ()), *(t.keywords for t in tallies)], config.keyword_aliases)
    questions = values.get("questions", facts.sum_counts(t.questions for t in tallies))
    answers = values.get("answers", facts.sum_counts(t.answers for t in tallies))

    return Log(
        path=path, body=body, body_line=body_index + 1, front_matter=fm.raw, kind=kind,
        title=title, date=date, week=week, day=day_no, keywords=keywords, tags=tuple(tags),
        categories=tuple(values.get("categories", ())), questions=questions, answers=answers,
        tasks_done=sum(t.tasks_done for t in tallies),
        tasks_open=sum(t.tasks_open for t in tallies),
        draft=bool(values.get("draft", False)), snippets=tuple(snippets), days=tuple(day_entries),
        problems=tuple(sorted(problems, key=lambda p: p.line)),
    )


def _is_weekly_title(title: str, rules: Rules) -> bool:
    names_week = first_match(rules.weeks, title) or first_match(rules.weekly_titles, title)
    return bool(names_week) and not first_match(rules.title_days, title)
