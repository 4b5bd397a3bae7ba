"""The review deck: every question of the logs with its answer, where it was asked, and an
identity that outlives edits.

Each :class:`~studylog.model.Pair` a log holds becomes a :class:`Card` filed under the day
entry that asked it (its date, week and keywords). A card's :attr:`Card.id` is made of
what says *which* question it is -- the log, the question's words, and how many times the
same words were asked before in that log -- and of nothing that moves when the log is
edited (its line, its answer): the Questions page anchors, the schedule a reader's
browser keeps, and the notes of an Anki export all stay with their question when the
answer is corrected or a paragraph is added above it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from studylog.model import Log, Pair
from studylog.stats import Entry, WeekKey, entries, log_title, log_week

_SPACE = re.compile(r"\s+")


def card_id(path: str, question: str, seen_before: int = 0) -> str:
    """The identity of the question ``question`` of the log at ``path`` (its
    ``seen_before``-th repetition there): 16 hex digits."""
    words = _SPACE.sub(" ", question).strip()
    key = "\0".join(("studylog-card", path, words, str(seen_before)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Card:
    """A question of the deck, with the day (or log) that asked it."""

    id: str
    pair: Pair
    entry: Entry  # where it was asked: a day entry, or for a file's preamble the file

    @property
    def question(self) -> str:
        """The question's Markdown."""
        return self.pair.question

    @property
    def answers(self) -> tuple[str, ...]:
        """The answers' Markdown (none: unanswered)."""
        return self.pair.answers

    @property
    def answered(self) -> bool:
        """Whether an answer was written."""
        return self.pair.answered

    @property
    def week(self) -> WeekKey | None:
        """The week it was asked in."""
        return self.entry.week

    @property
    def keywords(self) -> tuple[str, ...]:
        """The keywords of the day that asked it."""
        return self.entry.keywords

    @property
    def sort_key(self) -> tuple[object, ...]:
        """Date order (undated last), then file order."""
        return (*self.entry.sort_key, self.pair.cell or 0, self.pair.line)


def _whole_log(log: Log) -> Entry:
    """The entry a question outside every day of a file of days is filed under: the file."""
    return Entry(
        path=log.path,
        line=1,
        anchor=None,
        title=log_title(log),
        kind="weekly",
        date=log.date,
        week=log_week(log),
        day=log.day,
        keywords=log.keywords,
        questions=log.questions,
        answers=log.answers,
    )


def deck(logs: Iterable[Log], items: Sequence[Entry] | None = None) -> list[Card]:
    """Every pair of ``logs`` as a card, in date order; ``items`` are the logs' entries
    (:func:`studylog.stats.entries`), computed when not given."""
    logs = list(logs)
    items = entries(logs) if items is None else items
    by_place = {(e.path, e.anchor): e for e in items}
    cards: list[Card] = []
    for log in logs:
        seen: dict[str, int] = {}
        for pair in log.pairs:
            anchor = log.days[pair.day].anchor if pair.day is not None else None
            entry = by_place.get((log.path, anchor)) or _whole_log(log)
            words = _SPACE.sub(" ", pair.question).strip()
            cards.append(Card(card_id(log.path, words, seen.get(words, 0)), pair, entry))
            seen[words] = seen.get(words, 0) + 1
    cards.sort(key=lambda c: c.sort_key)
    return cards
