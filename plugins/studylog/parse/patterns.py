"""The parser's rules compiled once from a :class:`ParserConfig`.

Labels become anchored, case-insensitive regular expressions; question and
answer markers stay case-sensitive so lettered lists ("a. first option") are not
taken for answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from studylog.parse import qa
from studylog.parse.config import DATE, ParserConfig

Patterns = tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Rules:
    day_headings: Patterns
    day_lines: Patterns
    keyword_line: re.Pattern[str]
    keyword_section: re.Pattern[str]  # searched: the label anywhere in a heading
    keyword_label: re.Pattern[str]  # a line that is only a label ("**오늘의 키워드**")
    date_line: re.Pattern[str]  # "날짜: 2023-03-07"; group ``date``
    question_count: re.Pattern[str]
    answer_count: re.Pattern[str]
    question_count_text: re.Pattern[str]  # a count label followed by anything
    answer_count_text: re.Pattern[str]
    question: re.Pattern[str]  # groups ``text`` (after a word marker) or ``free`` (an emoji)
    answer: re.Pattern[str]
    inline_answer: re.Pattern[str]
    weeks: Patterns
    week_tags: Patterns
    title_days: Patterns
    title_dates: Patterns
    weekly_titles: Patterns
    week_summaries: Patterns  # right after a week in a title: "정리", "review"
    daily_titles: Patterns
    # Could any line rule (keyword, count, Q/A) match a line starting like this?
    # Checked on ``Line.rough`` so most lines skip inline parsing altogether.
    line_hint: re.Pattern[str]


def _alternation(labels: Iterable[str]) -> str:
    # Longest first, so "Questions asked" wins over "Questions".
    ordered = sorted({label.strip() for label in labels if label.strip()}, key=len, reverse=True)
    if not ordered:
        return r"(?!)"  # matches nothing: the user emptied the list
    return "|".join(r"\s*".join(map(re.escape, label.split())) for label in ordered)


def _compile_all(patterns: Iterable[str]) -> Patterns:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def compile_rules(config: ParserConfig) -> Rules:
    """Compile ``config``'s rules; raises ``re.error`` for an invalid user pattern.

    Callers holding user configuration should report ``config.check()`` first.
    """
    # "3", "3회", "3 times.", "3 (two in the peer session)"
    count = r"\s*[:：]\s*(?P<count>[+-]?\d+)\s*(?:개|회|번|times?)?\s*\.?\s*(?:[(\[（].*)?$"
    count_text = r"\s*[:：]\s*(?P<value>\S.*?)\s*\.?$"
    q = _alternation(config.question_markers)
    a = _alternation(config.answer_markers)
    keyword_labels = _alternation((*config.keyword_line_labels, *config.keyword_section_labels))
    labels = _alternation(
        (
            *config.keyword_line_labels,
            *config.keyword_section_labels,
            *config.question_count_labels,
            *config.answer_count_labels,
            *config.date_line_labels,
        )
    )
    question_counts = _alternation(config.question_count_labels)
    answer_counts = _alternation(config.answer_count_labels)
    return Rules(
        day_headings=_compile_all(config.day_heading_patterns),
        day_lines=_compile_all(config.day_line_patterns),
        keyword_line=re.compile(
            rf"^\W*(?:{_alternation(config.keyword_line_labels)})\s*[:：]\s*(?P<items>\S.*)$",
            re.IGNORECASE,
        ),
        keyword_section=re.compile(
            rf"(?:{_alternation(config.keyword_section_labels)})", re.IGNORECASE
        ),
        keyword_label=re.compile(rf"^\W*(?:{keyword_labels})\W*$", re.IGNORECASE),
        date_line=re.compile(
            rf"^\W*(?:{_alternation(config.date_line_labels)})\s*[:：]\s*[(\[]?\s*"
            rf"(?P<date>{DATE})(?![\d./-])",
            re.IGNORECASE,
        ),
        question_count=re.compile(rf"^\W*(?:{question_counts}){count}", re.IGNORECASE),
        answer_count=re.compile(rf"^\W*(?:{answer_counts}){count}", re.IGNORECASE),
        question_count_text=re.compile(rf"^\W*(?:{question_counts}){count_text}", re.IGNORECASE),
        answer_count_text=re.compile(rf"^\W*(?:{answer_counts}){count_text}", re.IGNORECASE),
        # "Q:", "Q.", "Q)", "Q1)", "[Q]", "질문 :", "❓ …" followed by some text (see qa)
        question=qa.question_pattern(q),
        answer=qa.answer_pattern(a),
        inline_answer=qa.inline_answer_pattern(a),
        weeks=_compile_all(config.week_patterns),
        week_tags=_compile_all(config.week_tag_patterns),
        title_days=_compile_all(config.title_day_patterns),
        title_dates=_compile_all(config.title_date_patterns),
        weekly_titles=_compile_all(config.weekly_title_patterns),
        week_summaries=_compile_all(config.week_summary_patterns),
        daily_titles=_compile_all(config.daily_title_patterns),
        line_hint=re.compile(
            rf"^\W*(?:(?i:{labels})|{q}|{a})|^\W{{0,4}}?(?:{'|'.join(qa.QUESTION_EMOJI)})"
        ),
    )


def first_match(patterns: Patterns, text: str) -> re.Match[str] | None:
    for pattern in patterns:
        found = pattern.search(text)
        if found:
            return found
    return None


def group_of(found: re.Match[str], name: str) -> str | None:
    """The named group ``name`` of a match; None when it did not take part or the
    pattern (a configured one) has no such group."""
    try:
        value: str | None = found.group(name)
    except IndexError:
        return None
    return value


def first_int(patterns: Patterns, text: str, group: str) -> int | None:
    """The named ``group`` of the first pattern that matches ``text``, as an int."""
    found = first_match(patterns, text)
    value = group_of(found, group) if found is not None else None
    return int(value) if value and value.isdigit() else None
