"""What a log counts over all its entries: keywords, questions and answers."""

from __future__ import annotations

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
