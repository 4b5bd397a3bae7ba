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
listed as well as counted; each keeps the Markdown it was written in (:func:`source`: code
and math stay code and math on the pages and cards made of it).

Besides the questions a log counts, it may hold review cards written as cards, the way
Obsidian's spaced-repetition plugin reads them: ``Question::Answer`` on one line
(:func:`card_split`), or the question's lines, a line that is only ``?``, and the answer's
lines, in one paragraph. Cards are pairs too (``form`` "card"), but no question was asked:
they leave the day's question and answer counts as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

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


# Where a review card's question ends and its answer begins: one line of its own (``??``
# marks a card Obsidian also reverses; here it is read the same way).
CARD_MARKS = ("?", "??")
# A code span, masked before looking for "::" (``std::vector`` in backticks is no card).
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
# "::" that is not a card's: between emoji shortcodes (":+1::tada:"), in a C++ or Rust
# path ("std::move(x)", "nn::Linear"), or after a one-word Dataview field ("rating:: 5").
_SHORTCODE_BEFORE = re.compile(r":[\w+-]+$")
_SHORTCODE_AFTER = re.compile(r"^[\w+-]+:")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_PATH_AFTER = re.compile(r"^[A-Za-z_]\w*(?:[(<.]|::|$)")
_FIELD = re.compile(r"[\w-]+")
# Markdown's special characters, escaped in a text shown as Markdown.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")
# Beyond this length a line's Markdown is not searched for (see ``source``).
_SOURCE_LIMIT = 2000
_STARTS = frozenset(" \t*_:.)]】>〕~")

Form = Literal["question", "card"]


@dataclass
class Answer:
    line: int
    text: str
    source: str = ""  # the Markdown it was written in (see ``source``)


@dataclass
class Pair:
    """A question and the answers given to it, each with its line and its Markdown."""

    line: int
    text: str
    answers: list[Answer] = field(default_factory=list)
    source: str = ""
    form: Form = "question"


def source(raw: str, text: str) -> str:
    """The Markdown in the line ``raw`` (as written) that shows as ``text`` (its text, markup
    removed): the longest end of the line that reads as ``text``, so a marker and its
    emphasis before it are left out and ``code`` and $math$ in it are kept. When no end of
    the line reads so (``**Q: why?**``), ``text`` itself, its Markdown characters escaped."""
    from studylog.parse.outline import plain_text  # markdown-it: only when a log is read

    raw, text = raw.strip(), text.strip()
    if raw == text or not text:
        return text
    if len(raw) <= _SOURCE_LIMIT:
        for start in range(len(raw)):
            if start and raw[start - 1] not in _STARTS:
                continue
            tail = raw[start:].strip()
            if tail and plain_text(tail) == text:
                return tail
    return _MD_SPECIAL.sub(r"\\\1", text)


def card_split(raw: str) -> tuple[str, str] | None:
    """``(question, answer)`` of a one-line card, ``Question::Answer`` (or ``:::``), as
    Markdown; None when the line is no card (see ``_SHORTCODE_BEFORE`` and the rest for
    the ``::`` that are not a card's, and a ``::`` inside a code span)."""
    masked = _CODE_SPAN.sub(lambda m: "\0" * len(m.group(0)), raw)
    start = masked.find("::")
    if start < 0:
        return None
    end = start + 2
    if masked.startswith(":", end):
        end += 1
    if masked.startswith(":", end) or "::" in masked[end:]:
        return None  # "::::", or several separators: a path or a list of fields
    question, answer = raw[:start].strip(), raw[end:].strip()
    if not question or not answer:
        return None
    if _SHORTCODE_BEFORE.search(question) and _SHORTCODE_AFTER.match(answer):
        return None
    if _IDENTIFIER.fullmatch(question) and _PATH_AFTER.match(raw[end:]):
        return None
    if _FIELD.fullmatch(question) and raw[end : end + 1].isspace():
        return None
    return question, answer
