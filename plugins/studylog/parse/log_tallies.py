"""What a log counts over all its entries: keywords, questions and answers, and the
questions themselves as pairs."""

from __future__ import annotations

from studylog.model import Pair
from studylog.parse import facts
from studylog.parse.document import Document, Resolved


def keywords(doc: Document) -> Resolved[tuple[str, ...]]:
    """Front matter keywords, then every entry's keyword lines and sections (a union)."""
    groups = [doc.values.get("keywords", ()), *(t.keywords for t in doc.tallies)]
    return facts.merge_keywords(groups, doc.config.keyword_aliases), []


def counts(doc: Document) -> Resolved[tuple[int | None, int | None]]:
    """Questions and answers: front matter, else the sums over the entries."""
    questions = doc.values.get("questions", facts.sum_counts(t.questions for t in doc.tallies))
    answers = doc.values.get("answers", facts.sum_counts(t.answers for t in doc.tallies))
    return (questions, answers), []


def pairs(doc: Document) -> Resolved[tuple[Pair, ...]]:
    """Every question with its answers, and every review card, in file order; each in the
    day entry holding it (none for the preamble of a file of days, or a one-day log)."""
    found: list[Pair] = []
    for index, tally in enumerate(doc.tallies):
        day = index - 1 if doc.multi and index else None
        for one in (*tally.pairs, *tally.cards):
            found.append(
                Pair(
                    path=doc.path,
                    line=one.line,
                    question=one.source or one.text,
                    answers=tuple(a.source or a.text for a in one.answers),
                    answer_line=one.answers[0].line if one.answers else None,
                    form=one.form,
                    day=day,
                )
            )
    return tuple(sorted(found, key=lambda p: p.line)), []
