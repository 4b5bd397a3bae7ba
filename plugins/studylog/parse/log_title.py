"""A log's title, and its kind (daily or weekly), which is mostly what the title says."""

from __future__ import annotations

from studylog.model import Kind
from studylog.parse import dates
from studylog.parse.document import Document, Resolved, Title
from studylog.parse.patterns import Rules, first_match, group_of


def title(doc: Document) -> Resolved[Title]:
    """Front matter, else the first level-1 heading that is not a day heading."""
    if doc.values.get("title") is not None:
        return Title(doc.values["title"], doc.front_matter.line_of("title"), True), []
    day_lines = {s.line for s in doc.starts} if doc.multi else set()
    found = next(
        (
            h
            for h in doc.outline.headings
            if h.level == 1 and h.depth == 0 and not h.quoted and h.text and h.line not in day_lines
        ),
        None,
    )
    return (Title(found.text, found.line) if found else Title(None, 1)), []


Said = tuple[Kind | None, bool]  # what a text says, and whether by more than a word


def kind_of_text(text: str, rules: Rules) -> Said:
    """What a title (or file name) says, in this order: a day (``Day 7``, ``3일차``) ->
    daily; a range of dates, a weekly word (회고, WIL) without a daily one (TIL, 오늘) or
    a week's summary (``4주차 정리``, ``Week 3 review``) -> weekly; a single date -> daily.
    Only by a word: a week alone (``[3주차] Transformer``) -> weekly, a daily word alone ->
    daily; these decide only when nothing about the log's entries does."""
    if first_match(rules.title_days, text):
        return "daily", True
    dated = first_match(rules.title_dates, dates.plain_marks(text))
    if dated is not None and group_of(dated, "end"):
        return "weekly", True
    daily_word = first_match(rules.daily_titles, text)
    if first_match(rules.weekly_titles, text) and not daily_word:
        return "weekly", True
    week = first_match(rules.weeks, text)
    if week is not None and first_match(rules.week_summaries, text[week.end() :]):
        return "weekly", True
    if dated is not None:
        return "daily", True
    if week is not None:
        return "weekly", False
    return ("daily", False) if daily_word else (None, False)


def kind(doc: Document, log_title: Title, dated: bool) -> Resolved[Kind]:
    """Front matter; else weekly for a file of days; else what the title says surely (a
    day, a range, a retrospective, a week's summary, a single date); else daily for a log
    of one day heading or one date (``dated``), whatever its title says about the week,
    unless its body reads as the week's retrospective; else weekly for a title or file
    name naming a week; else daily. A heading inside the log ("## Daily") never decides."""
    if "kind" in doc.values:
        value: Kind = doc.values["kind"]
        return value, []
    if doc.multi:
        return "weekly", []
    said, surely = kind_of_text(log_title.text, doc.rules) if log_title.text else (None, False)
    if said is not None and (surely or (log_title.written and said == "daily")):
        return said, []
    if doc.single_day is not None:
        return "daily", []
    named, named_surely = kind_of_text(doc.name, doc.rules)
    if named == "weekly" and named_surely:
        return "weekly", []
    weekish = "weekly" in (said, named)
    if dated:
        return ("weekly" if weekish and _retrospective_body(doc) else "daily"), []
    if weekish:
        return "weekly", []
    return said or "daily", []


def _retrospective_body(doc: Document) -> bool:
    """Whether a log reads as its week's retrospective: a section heading that says so
    ("## 이번 주 배운 것", "## 회고"), or a first line that does ("이번 주는 …")."""
    rules = doc.rules
    for heading in doc.outline.headings:
        says = heading.level <= 3 and kind_of_text(heading.text, rules) == ("weekly", True)
        if says and not first_match(rules.weeks, heading.text):
            return True
    first = next((ln for ln in doc.outline.lines if ln.text and not ln.heading), None)
    return first is not None and kind_of_text(first.text, rules) == ("weekly", True)
