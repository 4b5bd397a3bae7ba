"""What each entry of a log says about itself: keywords, Q/A counts and tasks.

An entry is a run of lines: the whole file for a single-day log, or the
preamble and each day of a multi-day file. Facts are gathered in one pass over
the outline and dropped into the entry whose first line precedes them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from studylog.model import Problem
from studylog.parse.outline import Heading, Item, Outline
from studylog.parse.patterns import Rules

_TASK = re.compile(r"^\[(?P<mark>[ xX])\](?:\s|$)")
_KEYWORD_SPLIT = re.compile(r"\s*[,，、]\s*")


@dataclass
class Tally:
    keywords: list[str] = field(default_factory=list)
    question_lines: int = 0
    answer_lines: int = 0
    qa_seen: bool = False
    question_count: int | None = None  # from count lines ("오늘의 질문 횟수: 3")
    answer_count: int | None = None
    tasks_done: int = 0
    tasks_open: int = 0

    @property
    def questions(self) -> int | None:
        # Count lines win over counted Q/A lines; neither means "no record".
        if self.question_count is not None:
            return self.question_count
        return self.question_lines if self.qa_seen else None

    @property
    def answers(self) -> int | None:
        if self.answer_count is not None:
            return self.answer_count
        return self.answer_lines if self.qa_seen else None


def merge_keywords(groups: Iterable[Iterable[str]], aliases: Mapping[str, str]) -> tuple[str, ...]:
    """Union in order of first appearance; case-insensitive, keeping the first spelling."""
    folded_aliases = {k.strip().casefold(): v.strip() for k, v in aliases.items()}
    seen: dict[str, str] = {}
    for group in groups:
        for word in group:
            word = word.strip()
            if not word:
                continue
            word = folded_aliases.get(word.casefold(), word)
            seen.setdefault(word.casefold(), word)
    return tuple(seen.values())


def sum_counts(values: Iterable[int | None]) -> int | None:
    """Sum of the entries' counts; None only when no entry has a record."""
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _add_count(current: int | None, value: str, what: str, path: str, line: int,
               problems: list[Problem]) -> int | None:
    number = int(value)
    if number < 0:
        problems.append(Problem(path, line, f"{what} count {number} is negative",
                                "write the number of times, 0 or more", "warning"))
        return current
    return (current or 0) + number


def collect(outline: Outline, rules: Rules, starts: Sequence[int], path: str) -> tuple[
        list[Tally], list[Problem]]:
    """One :class:`Tally` per entry; entry *i* covers lines from ``starts[i]`` on."""
    tallies = [Tally() for _ in starts]
    problems: list[Problem] = []

    def entry(line: int) -> Tally:
        return tallies[max(bisect_right(starts, line) - 1, 0)]

    for ln in outline.lines:
        if not rules.line_hint.match(ln.rough):
            continue
        text = ln.text
        tally = entry(ln.line)
        found = rules.keyword_line.match(text)
        if found:
            tally.keywords.extend(_KEYWORD_SPLIT.split(found.group("items").strip()))
            continue
        found = rules.question_count.match(text)
        if found:
            tally.question_count = _add_count(tally.question_count, found.group("count"),
                                              "question", path, ln.line, problems)
            continue
        found = rules.answer_count.match(text)
        if found:
            tally.answer_count = _add_count(tally.answer_count, found.group("count"),
                                            "answer", path, ln.line, problems)
            continue
        found = rules.question.match(text)
        if found:
            tally.qa_seen = True
            tally.question_lines += 1
            if rules.inline_answer.search(found.group("text")):
                tally.answer_lines += 1
            continue
        if rules.answer.match(text):
            tally.qa_seen = True
            tally.answer_lines += 1

    section: Heading | None = None  # the keyword section we are in
    for event in outline.events:
        if isinstance(event, Heading):
            if section is not None and event.level <= section.level:
                section = None
            if rules.keyword_section.match(event.text) and not rules.keyword_line.match(
                    event.text):
                section = event
        elif isinstance(event, Item):
            task = _TASK.match(event.first.raw)
            if task:
                tally = entry(event.line)
                if task.group("mark") == " ":
                    tally.tasks_open += 1
                else:
                    tally.tasks_done += 1
            elif section is not None and event.depth == section.depth + 1 and event.text:
                entry(event.line).keywords.append(event.text)
    return tallies, problems
