"""A question's and its answer's Markdown as HTML, for every place a card is shown: the
Questions page, the Review page and the Anki export.

The text is a log's own Markdown, so it is rendered by the body renderer (GitHub's rules,
emoji, ``$math$`` as MathJax reads it) and sanitized by the body's allowlist. Links and
images that point relative to the log would point elsewhere from these pages: they
keep their text (and alt text) and lose their target.

Pages get these through :class:`CardHTML`, which keeps each text's HTML between builds
(markdown-it is imported on first use: a warm build whose pages are all kept needs none).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from studylog.render.keep import Keep, compute
from studylog.render.sanitize import sanitize
from studylog.render.text import esc

_ABSOLUTE = re.compile(r"^(?:https?:|mailto:|data:)", re.IGNORECASE)
_BLOCK = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def _absolute_only(tag: str, attr: str, value: str) -> str | None:
    if attr in ("href", "src"):
        return value if _ABSOLUTE.match(value.strip()) else None
    return value


def text_html(markdown: str) -> str:
    """``markdown`` (a question or an answer) as safe HTML: inline when it is one paragraph,
    a block (a list, several lines kept apart) when it is more."""
    from studylog.render.markdown import BodyState
    from studylog.render.markdown import markdown as parser

    env = {"studylog": BodyState(nonce="")}
    if _BLOCK.search(markdown):
        html = parser().render(markdown, env)
    else:
        html = parser().renderInline(markdown, env).replace("\n", "<br>\n")
    return sanitize(html, _absolute_only).strip()


def answers_html(answers: Sequence[str], text: Callable[[str], str] = text_html) -> str:
    """The answers of a question: one as it is, several as a list."""
    if len(answers) == 1:
        return text(answers[0])
    return "<ul>" + "".join(f"<li>{text(a)}</li>" for a in answers) + "</ul>"


def plain(markdown: str, limit: int = 0) -> str:
    """``markdown`` (a question) as one line of text, escaped, cut to ``limit`` characters
    when given: for a link to it. Math stays as its TeX (``$\\sqrt{d}$``), readable where
    no MathJax typesets it."""
    from studylog.parse.outline import plain_text

    text = _SPACE.sub(" ", " ".join(plain_text(line) for line in markdown.split("\n"))).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return esc(text)


@dataclass(frozen=True)
class CardHTML:
    """The HTML of cards' texts, each kept between builds by ``keep``."""

    keep: Keep = compute

    def text(self, markdown: str) -> str:
        """:func:`text_html`, kept."""
        return self.keep(str, lambda: text_html(markdown), "card-text", markdown)

    def answers(self, answers: Sequence[str]) -> str:
        """:func:`answers_html`, each answer kept."""
        return answers_html(answers, self.text)

    def plain(self, markdown: str, limit: int = 0) -> str:
        """:func:`plain`, kept."""
        return self.keep(str, lambda: plain(markdown, limit), "card-plain", markdown, str(limit))
