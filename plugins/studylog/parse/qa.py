"""Questions and answers in a log: one grammar for every way people mark them.

A question line starts with a question marker, an answer line with an answer marker.
A marker is a word (questions: ``Q``, ``Question``, ``질문``; answers: ``A``, ``Answer``,
``답변``, ``답``; both lists extend from ``mkdocs.yml``), perhaps numbered, closed by a
mark, bold or not (emphasis is gone from the text the grammar reads)::

    Q: …   Q. …   Q) …   Q1. …   Q 2) …   질문: …   질문1) …   Question 3: …
    [Q] …   (Q1) …   【질문】 …   ❓ …   ❓ Q. …
    A: …   A. …   A) …   A1: …   답: …   답변) …   Answer: …   [A] …

and some text after it (``질문: 없음`` records that there was none). An answer may also
stand later on the question's own line (``Q: … A: …``), be a list nested under the
question, or follow it on the next line after an arrow or a pointer (``→ …``, ``=> …``,
``💡 …``), which only answers a question right above it. Every question keeps its text
and line, and every answer its text, line and question (:class:`Pair`), so they can be
listed as well as counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Brackets around a marker, and the marks that close one.
_OPEN = r"[\[(【<〔]"
_CLOSE = r"[\])】>〕]"
_END = r"[:.)：\]]"
# Emoji people put before a question instead of (or before) the word.
QUESTION_EMOJI = ("❓", "❔", "🙋", "🤔")
# What answers the question right above it without a word: an arrow or a pointer.
FOLLOW_MARKS = ("→", "➡️", "➡", "⇒", "=>", "->", "💡", "👉", "ㄴ", "└")


def _alternatives(marks: tuple[str, ...]) -> str:
    return "|".join(re.escape(m) for m in sorted(marks, key=len, reverse=True))


def marker(words: str) -> str:
    """The grammar of a marker made of ``words`` (an alternation), with the text after it
    in the group ``text`` and its number, when written, in ``number``."""
    number = r"\s*(?P<number>\d{1,3})?\s*"
    closed = rf"(?:{_CLOSE}\s*{_END}?|{_END})"
    return rf"^(?:{_OPEN}\s*)?(?:{words}){number}{closed}\s*(?P<text>\S.*)$"


def question_pattern(words: str) -> re.Pattern[str]:
    """A question line: a marker of ``words``, or a question emoji (with or without one)."""
    emoji = _alternatives(QUESTION_EMOJI)
    optional = rf"(?:(?:{_OPEN}\s*)?(?:{words})\s*\d{{0,3}}\s*{_CLOSE}?\s*{_END}?\s+)?"
    return re.compile(rf"{marker(words)}|^(?:{emoji})\s*{optional}(?P<free>\S.*)$")


def answer_pattern(words: str) -> re.Pattern[str]:
    return re.compile(marker(words))


def inline_answer_pattern(words: str) -> re.Pattern[str]:
    """An answer later on the question's line: ``Q : … A : …``, ``Q) … A) …``. ``A.``
    only right after a question mark, since "plan A. Then" is ordinary prose."""
    return re.compile(rf"(?:^|\s)(?:{words})\s*\d*\s*[:)：]\s*\S|\?\s*(?:{words})\s*\d*\s*\.\s+\S")


FOLLOW = re.compile(rf"^(?:{_alternatives(FOLLOW_MARKS)})\s*(?P<text>\S.*)$")

# The words of a section label, not a question: "❓ 질문", "❓ Questions / Confusions".
_LABEL = re.compile(
    r"^(?:질문|궁금한\s*점|궁금증|questions?|q\s*&\s*a|qna|faq)(?:\s*\d+)?\s*[:/&·,]?\s*\w*\s*$",
    re.IGNORECASE,
)


def question_text(found: re.Match[str], heading: bool) -> str | None:
    """The text of a question a pattern found; None when it is no question after all (an
    emoji before a section label, a heading that does not ask)."""
    free = found.group("free") if "free" in found.re.groupindex else None
    if free is None:
        return found.group("text")
    text = free.strip()
    if _LABEL.match(text) or (heading and not text.rstrip(" *_").endswith(("?", "？"))):
        return None
    return text


@dataclass
class Answer:
    line: int
    text: str


@dataclass
class Pair:
    """A question and the answers given to it, each with its line."""

    line: int
    text: str
    answers: list[Answer] = field(default_factory=list)
