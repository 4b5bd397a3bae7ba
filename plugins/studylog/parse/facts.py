"""What each entry of a log says about itself: keywords, Q/A counts and tasks.

An entry is a run of lines: the whole file for a single-day log, or the
preamble and each day of a multi-day file. Facts are gathered in one pass over
the outline's lines and dropped into the entry whose first line precedes them.

- Keywords come from keyword lines (``키워드: a, b``) and keyword sections: a heading
  naming the label anywhere (``### 오늘의 키워드``), or a line that is only the label
  (``**Keywords**``) followed by a list. Each top-level item's first line gives
  keywords, split on commas outside brackets (``GAN, 생성자, 판별자`` is three); a
  ``term: explanation`` item gives its term.
- Counts come from count lines (``오늘의 질문 횟수: 3``); a count written as a word
  (``세 번``) is read and reported.
- A date line (``날짜: 2023-03-07``) dates its entry when nothing above it does.
- Questions and answers are read by one grammar (:mod:`studylog.parse.qa`: ``Q:``,
  ``Q)``, ``Q1.``, ``[Q]``, ``질문:``, ``❓``; ``A:``, ``A)``, ``답변:``), each question
  kept with its answers (:class:`~studylog.parse.qa.Pair`); a list nested under a
  question, or an arrow line right after it (``→ …``), answers it.
- Review cards (``Question::Answer``, or a ``?`` line between a question's and an answer's
  lines) are kept beside them, and counted nowhere.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from studylog import korean
from studylog.model import Problem
from studylog.parse import dates, qa
from studylog.parse.outline import Line, Outline, plain_text
from studylog.parse.patterns import Rules

_TASK = re.compile(r"^\[(?P<mark>[ xX])\](?:\s|$)")
_KEYWORD_SEPARATORS = ",，、"
# "Adam: momentum과 RMSProp을 합친 것" names the keyword "Adam".
_TERM = re.compile(r"^(?P<term>[^:：]{1,40}?)\s*[:：]\s+\S")
# A sentence, not a keyword: Korean endings and final punctuation.
_SENTENCE = re.compile(r"(?:다|요|죠)[.!?~]*$|[.!?]$")
# A lettered choice ("A) 0.1  B) 0.5"), not an answer, when no question came before it.
_CHOICE = re.compile(r"^(?:A\s*\)|[\[(]A[\])])")
# "질문: 없음" records that there was none.
_NONE = re.compile(r"^(?:없음|없다|없었음|없었다|없습니다|none|n/?a|-+)\s*\.?$", re.I)

# Counts written as words ("세 번", "two times"); the warning asks for digits.
_NUMBER_WORDS: dict[str, int] = {
    "한": 1,
    "하나": 1,
    "두": 2,
    "둘": 2,
    "세": 3,
    "셋": 3,
    "석": 3,
    "네": 4,
    "넷": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
    "아홉": 9,
    "열": 10,
    "열한": 11,
    "열하나": 11,
    "열두": 12,
    "열둘": 12,
    "스무": 20,
    "스물": 20,
    "one": 1,
    "once": 1,
    "two": 2,
    "twice": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
}
_NONE_WORDS = frozenset(
    ("없음", "없다", "없었음", "없었다", "없습니다", "영", "none", "zero", "no", "nothing")
)
_COUNT_UNIT = re.compile(rf"\s*(?:{korean.COUNT_UNIT})\s*$", re.I)


@dataclass
class Tally:
    keywords: list[str] = field(default_factory=list)
    pairs: list[qa.Pair] = field(default_factory=list)  # each question with its answers
    cards: list[qa.Pair] = field(default_factory=list)  # review cards (not counted)
    unasked: list[qa.Answer] = field(default_factory=list)  # answers with no question before
    question_count: int | None = None  # from count lines ("오늘의 질문 횟수: 3")
    answer_count: int | None = None
    tasks_done: int = 0
    tasks_open: int = 0
    date_text: str | None = None  # the first date line ("날짜: 2023-03-07")
    date_line: int = 0

    @property
    def qa_seen(self) -> bool:
        return bool(self.pairs or self.unasked)

    @property
    def questions(self) -> int | None:
        # Count lines win over counted Q/A lines; neither means "no record".
        if self.question_count is not None:
            return self.question_count
        return len(self.pairs) if self.qa_seen else None

    @property
    def answers(self) -> int | None:
        if self.answer_count is not None:
            return self.answer_count
        if not self.qa_seen:
            return None
        return sum(len(p.answers) for p in self.pairs) + len(self.unasked)


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


def split_keywords(text: str) -> list[str]:
    """``a, b (c, d), e`` -> ``a``, ``b (c, d)``, ``e``: commas inside brackets stay."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "([{（":
            depth += 1
        elif ch in ")]}）" and depth:
            depth -= 1
        elif ch in _KEYWORD_SEPARATORS and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def item_keywords(text: str) -> list[str]:
    """The keywords of a keyword section's list item: its term, else its comma-separated words."""
    term = _TERM.match(text)
    if term and "," not in term.group("term"):
        return [term.group("term").strip()]
    return split_keywords(text)


def line_keywords(text: str) -> list[str]:
    """Keywords of a paragraph line inside a keyword section, when it reads as a list
    (``GAN, VAE``, ``#GAN #VAE``, one short term) rather than a sentence."""
    words = text.split()
    if len(words) > 1 and all(w.startswith("#") for w in words):
        return [w.lstrip("#") for w in words if w.lstrip("#")]
    parts = split_keywords(text)
    if not parts or len(parts) > 20:
        return []
    for part in parts:
        if len(part) > 40 or len(part.split()) > 5 or _SENTENCE.search(part) or _NONE.match(part):
            return []
    if len(parts) == 1 and (len(parts[0]) > 30 or len(parts[0].split()) > 4):
        return []
    return parts


def number_word(value: str) -> int | None:
    """A count written as a word: ``세 번`` -> 3, ``twice`` -> 2, ``없음`` -> 0."""
    word = _COUNT_UNIT.sub("", value.strip().rstrip(".")).strip().lower()
    if word in _NONE_WORDS:
        return 0
    return _NUMBER_WORDS.get(word)


@dataclass
class _Section:
    """A keyword section: under a heading (``level`` > 0) or a label line (``level`` 0)."""

    level: int
    depth: int
    last_line: int  # the label line, then each line taken from it


@dataclass
class _Question:
    """A question not answered on its own line, waiting for a bullet nested under it or an
    arrow line right after it."""

    pair: qa.Pair
    depth: int
    next: bool = True  # the line after the question (and its paragraph) is still to come
    # The answer a first nested item gave: the items after it (and the lines of its own
    # paragraph) add to its text, as a list, without counting as answers of their own.
    answer: qa.Answer | None = None
    items: list[Line] = field(default_factory=list)


class _Reader:
    def __init__(
        self,
        outline: Outline,
        rules: Rules,
        starts: Sequence[int],
        path: str,
        ends: Sequence[int] = (),
    ) -> None:
        self.rules = rules
        self.path = path
        self.tallies = [Tally() for _ in starts]
        # Where each entry's lines begin; a section that closes a day ("## Lectures" after
        # the days) goes back to the first entry, the log's own.
        owners = sorted([*((line, i) for i, line in enumerate(starts)), *((e, 0) for e in ends)])
        self.starts = [line for line, _ in owners]
        self.owners = [i for _, i in owners]
        self.problems: list[Problem] = []
        self.headings = {h.line: h for h in outline.headings}
        self.section: _Section | None = None
        self.question: _Question | None = None
        self.paragraph: list[Line] = []  # the lines of the paragraph read so far
        self.card: qa.Pair | None = None  # a card whose answer lines go on (after a "?")

    def entry(self, line: int) -> Tally:
        return self.tallies[self.owners[max(bisect_right(self.starts, line) - 1, 0)]]

    def read(self, lines: Iterable[Line]) -> None:
        rules = self.rules
        for ln in lines:
            if self.question is not None:
                self.question = self._answer_below(self.question, ln)
            heading = self.headings.get(ln.line)
            if heading is not None:
                self._heading(heading.level, heading.depth, heading.text)
            elif not ln.heading and self.section is not None:
                self._in_section(self.section, ln)
            if ln.item:
                self._task(ln)
            taken = bool(rules.line_hint.match(ln.rough)) and self._line(ln)
            self._card(ln, taken)

    def _heading(self, level: int, depth: int, text: str) -> None:
        rules = self.rules
        section = self.section
        if section is not None and (section.level == 0 or level <= section.level):
            self.section = None
        if rules.keyword_section.search(text) and not rules.keyword_line.match(text):
            self.section = _Section(level, depth, 0)

    def _in_section(self, section: _Section, ln: Line) -> None:
        if ln.item and ln.depth == section.depth + 1:
            words = item_keywords(ln.text) if ln.text else []
            self.entry(ln.line).keywords.extend(words)
            section.last_line = ln.line
        elif ln.item and ln.depth <= section.depth and section.level == 0:
            self.section = None  # a label line's list has ended
        elif not ln.item and ln.depth == section.depth:
            contiguous = section.level > 0 or ln.line == section.last_line + 1
            words = line_keywords(ln.text) if contiguous else []
            if words:
                self.entry(ln.line).keywords.extend(words)
                section.last_line = ln.line
            elif section.level == 0:
                self.section = None
        elif ln.depth < section.depth and section.level == 0:
            self.section = None

    def _task(self, ln: Line) -> None:
        task = _TASK.match(ln.raw)
        if task:
            tally = self.entry(ln.line)
            if task.group("mark") == " ":
                tally.tasks_open += 1
            else:
                tally.tasks_done += 1

    def _line(self, ln: Line) -> bool:
        """Read a line that may be a keyword, date, count, question or answer line; whether
        it was one."""
        rules = self.rules
        text = ln.text
        tally = self.entry(ln.line)
        found = rules.keyword_line.match(text)
        if found:
            tally.keywords.extend(split_keywords(found.group("items").strip()))
            return True
        if not ln.heading and rules.keyword_label.match(text):
            self.section = _Section(0, ln.depth, ln.line)
            return True
        found = rules.date_line.match(dates.plain_marks(text))
        if found:
            if tally.date_text is None:
                tally.date_text, tally.date_line = found.group("date").strip(), ln.line
            return True
        for count, written, what in (
            (rules.question_count, rules.question_count_text, "question"),
            (rules.answer_count, rules.answer_count_text, "answer"),
        ):
            found = count.match(text)
            value = self._count(found.group("count"), what, ln.line) if found else None
            if found is None:
                words = written.match(text)
                value = self._count_word(words, what, ln.line) if words else None
                if words is None or value is None:
                    continue
            if value is not None:
                if what == "question":
                    tally.question_count = (tally.question_count or 0) + value
                else:
                    tally.answer_count = (tally.answer_count or 0) + value
            return True
        found = rules.question.match(text)
        asked = qa.question_text(found, bool(ln.heading)) if found else None
        if asked is not None:
            if not _NONE.match(asked):
                pair = self._question(ln, asked)
                tally.pairs.append(pair)
                if not pair.answers:
                    self.question = _Question(pair, ln.depth)
            return True
        found = rules.answer.match(text)
        if found and not _NONE.match(found.group("text")):
            answer = qa.Answer(ln.line, found.group("text"), qa.source(ln.raw, found.group("text")))
            if tally.pairs:
                tally.pairs[-1].answers.append(answer)
            elif not _CHOICE.match(text):
                tally.unasked.append(answer)
            return True
        return found is not None

    def _question(self, ln: Line, asked: str) -> qa.Pair:
        """A question line as a pair: its question, and the answer written later on the same
        line (``Q: … A: …``) when there is one."""
        inline = self.rules.inline_answer.search(asked)
        written = qa.source(ln.raw, asked)
        if inline is None:
            return qa.Pair(ln.line, asked, source=written)
        cut = _cut(asked, inline)
        question, rest = asked[:cut].strip(), asked[cut:].strip()
        marked = self.rules.answer.match(rest)
        said = marked.group("text") if marked else rest
        pair = qa.Pair(ln.line, question, source=question)
        found = self.rules.inline_answer.search(written)
        if found is not None:  # the same split in the line's Markdown
            at = _cut(written, found)
            pair.source = qa.source(written[:at], question)
            pair.answers.append(qa.Answer(ln.line, said, qa.source(written[at:], said)))
        else:
            pair.source = qa.source(question, question)
            pair.answers.append(qa.Answer(ln.line, said, qa.source(said, said)))
        return pair

    def _card(self, ln: Line, taken: bool) -> None:
        """Follow the paragraph for review cards: a ``Question::Answer`` line, or a ``?``
        line between the question's lines and the answer's."""
        if ln.start:
            self.paragraph, self.card = [], None
        elif self.card is not None:
            if not self.card.answers:
                self.card.answers.append(qa.Answer(ln.line, ln.text, ln.raw))
            else:
                answer = self.card.answers[0]
                answer.text += "\n" + ln.text
                answer.source += "\n" + ln.raw
            return
        if ln.heading:
            return
        raw = ln.raw
        if raw in qa.CARD_MARKS and self.paragraph:
            first = self.paragraph[0]
            card = qa.Pair(
                first.line,
                "\n".join(x.text for x in self.paragraph),
                source="\n".join(x.raw for x in self.paragraph),
                form="card",
            )
            self.entry(first.line).cards.append(card)
            self.card = card
            return
        split = qa.card_split(raw) if not taken and "::" in raw else None
        if split is not None:
            front, back = split
            card = qa.Pair(ln.line, plain_text(front), source=front, form="card")
            card.answers.append(qa.Answer(ln.line, plain_text(back), back))
            self.entry(ln.line).cards.append(card)
        # A multi-line card's question is the lines right above its "?" that are not
        # themselves a question, an answer or a card.
        self.paragraph = [] if taken or split is not None else [*self.paragraph, ln]

    def _count(self, value: str, what: str, line: int) -> int | None:
        number = int(value)
        if number < 0:
            self.problems.append(
                Problem(
                    self.path,
                    line,
                    f"{what} count {number} is negative",
                    "write the number of times, 0 or more",
                    "warning",
                )
            )
            return None
        return number

    def _count_word(self, found: re.Match[str], what: str, line: int) -> int | None:
        value = found.group("value")
        number = number_word(value)
        if not number:  # not a count at all, or "없음" / "none": nothing to fix
            return number
        label = found.string[: found.start("value")].strip()
        self.problems.append(
            Problem(
                self.path,
                line,
                f"the {what} count is written as a word ({value}); read as {number}",
                f"write it in digits, e.g. `{label} {number}`, so every tool reads it the same",
                "warning",
            )
        )
        return number

    def _answer_below(self, question: _Question, ln: Line) -> _Question | None:
        """Follow the lines after a question: a list item nested deeper than it (and not a
        Q/A line itself), or an arrow line right after it (``→ …``), is its answer; a
        heading, a sibling item, another paragraph or a Q/A line ends it."""
        if ln.heading:
            return None
        if question.answer is not None:
            return self._answer_goes_on(question, question.answer, ln)
        follow = qa.FOLLOW.match(ln.text) if question.next else None
        question.next = False
        if follow is not None:
            question.pair.answers.append(qa.Answer(ln.line, follow.group("text")))
            return None
        if ln.item and ln.depth <= question.depth:
            return None
        if self._marked(ln):
            return None
        if ln.item:
            if not ln.text:
                return None
            question.answer = qa.Answer(ln.line, ln.text, ln.raw)
            question.pair.answers.append(question.answer)
            question.items.append(ln)
            return question
        # The question's own paragraph goes on; another paragraph ends the wait.
        if ln.start:
            return None
        question.next = True  # the question's paragraph goes on: an arrow may still follow
        return question

    def _marked(self, ln: Line) -> bool:
        """Whether ``ln`` is a question or answer line of its own."""
        rules = self.rules
        return bool(
            rules.line_hint.match(ln.rough)
            and (rules.question.match(ln.text) or rules.answer.match(ln.text))
        )

    def _answer_goes_on(self, question: _Question, answer: qa.Answer, ln: Line) -> _Question | None:
        """After a nested item answered ``question``: its paragraph's next lines, and the
        items nested as deep or deeper than it, are more of the answer."""
        first = question.items[0]
        if self._marked(ln):
            return None
        if not ln.item and not ln.start:
            answer.text += " " + ln.text
            answer.source += "\n" + ln.raw
            return question
        if not ln.item or ln.depth < first.depth or not ln.text:
            return None
        if len(question.items) == 1:  # two items or more: the answer is their list
            answer.source = "- " + answer.source.replace("\n", "\n  ")
        indent = "  " * (ln.depth - first.depth)
        answer.text += "\n" + ln.text
        answer.source += f"\n{indent}- {ln.raw}"
        question.items.append(ln)
        return question


def _cut(text: str, inline: re.Match[str]) -> int:
    """Where the question ends and the answer written after it on its line begins: at the
    answer's marker, or right after the question mark before it (``…? A. …``)."""
    at = inline.start()
    return at + 1 if text[at : at + 1] == "?" else at


def collect(
    outline: Outline, rules: Rules, starts: Sequence[int], path: str, ends: Sequence[int] = ()
) -> tuple[list[Tally], list[Problem]]:
    """One :class:`Tally` per entry; entry *i* covers lines from ``starts[i]`` on, up to the
    next start or the next of ``ends``, after which lines count for entry 0."""
    reader = _Reader(outline, rules, starts, path, ends)
    reader.read(outline.lines)
    return reader.tallies, reader.problems
