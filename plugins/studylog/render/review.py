"""The Review page: the answered questions as flashcards, scheduled in the reader's browser.

The page is built here, whole: the filters (week, keyword), the card's frame, its four
grades, the keys, the words in the site's language, and the deck itself as JSON (in the
``data-deck`` attribute; each
card's question and answer already rendered and sanitized, its week, keywords, date and
a link to its day). ``assets/studylog/review.js`` (shipped by the MkDocs glue) brings it to
life: it shows one due card at a time, the answer on a key or a tap, and keeps each
card's schedule in ``localStorage`` under a key of the site's address, so nothing leaves
the browser and the page works offline once loaded. The schedule is FSRS, from the
``ts-fsrs`` package vendored beside the script (see the guide, "Review").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from studylog.deck import Card
from studylog.render import links
from studylog.render.cards import CardHTML
from studylog.render.site_pages import LogIndex
from studylog.render.slots import Rendered, Slots
from studylog.render.text import esc, md_text
from studylog.stats import canonical, normalise_aliases, sort_key
from studylog.words import Words

KEYS = "Space or Enter shows the answer; 1 to 4 grade it."
STORED = "The schedule stays in this browser."
# The grades FSRS takes, in its order (1-4), with the key that gives each.
GRADES = ("Again", "Hard", "Good", "Easy")
# Words the script writes as the reader goes (the rest is written into the page here).
SCRIPT_WORDS = (
    "{due} due of {total} cards",
    "Nothing is due now.",
    "Next card is due on {date}.",
    "The review could not start: {error}",
    "min",
    "h",
    "d",
)


def deck_data(
    site: LogIndex, uri: str, cards: Sequence[Card], html: CardHTML | None = None
) -> dict[str, Any]:
    """The deck as the script reads it: every answered card, and the words it writes."""
    html = html or CardHTML()
    w = site.words
    folded = normalise_aliases(site.aliases)
    out = []
    for card in cards:
        if not card.answered:
            continue
        page = site.pages.get(card.entry.path)
        out.append(
            {
                "id": card.id,
                "q": html.text(card.question),
                "a": html.answers(card.answers),
                "week": card.week.slug if card.week else "",
                "keywords": sorted({canonical(k, folded).casefold() for k in card.keywords}),
                "date": card.entry.date.isoformat() if card.entry.date else "",
                "title": card.entry.title,
                "href": site.linker.href(uri, page, card.entry.anchor) if page else "",
            }
        )
    return {"cards": out, "words": {text: w(text) for text in SCRIPT_WORDS}}


def _options(site: LogIndex, cards: Sequence[Card]) -> tuple[str, str]:
    """The week and keyword choices of the filters (values as the deck names them)."""
    w = site.words
    answered = [c for c in cards if c.answered]
    weeks = sorted({c.week for c in answered if c.week is not None})
    folded = normalise_aliases(site.aliases)
    names: dict[str, str] = {}
    for card in answered:
        for raw in card.keywords:
            name = canonical(raw, folded)
            names.setdefault(name.casefold(), name)
    week_options = f'<option value="">{esc(w("All weeks"))}</option>' + "".join(
        f'<option value="{esc(k.slug)}">{esc(k.named(w))}</option>' for k in weeks
    )
    keyword_options = f'<option value="">{esc(w("All keywords"))}</option>' + "".join(
        f'<option value="{esc(key)}">{esc(names[key])}</option>'
        for key in sorted(names, key=lambda k: sort_key(names[k]))
    )
    return week_options, keyword_options


def _grades(words: Words) -> str:
    return "".join(
        f'<button type="button" class="md-button studylog-grade-{n}" data-grade="{n}">'
        f"<kbd>{n}</kbd> {esc(words(name))}<small data-interval></small></button>"
        for n, name in enumerate(GRADES, start=1)
    )


def review_page(site: LogIndex, cards: Sequence[Card], html: CardHTML | None = None) -> Rendered:
    """The Review page (see the module's docstring); the cards' HTML from ``html``."""
    uri = links.REVIEW
    w = site.words
    slots = Slots()
    title = w("Review")
    questions = esc(site.linker.href(uri, links.QUESTIONS))
    md = [f"# {md_text(title)}"]
    if not any(c.answered for c in cards):
        said = w("No answered questions to review yet.")
        md.append(slots.add(f'<p class="studylog-summary">{esc(said)}</p>'))
        return Rendered("\n".join(md) + "\n", slots.fragments, title=esc(title))
    weeks, keywords = _options(site, cards)
    root = esc(site.linker.href(uri, links.HOME))
    script = esc(site.linker.href(uri, links.FSRS_SCRIPT))
    # The deck travels in an attribute, not a <script> element: Material's instant
    # navigation runs again every script of a page it shows, whatever its type.
    deck = esc(
        json.dumps(deck_data(site, uri, cards, html), ensure_ascii=False, separators=(",", ":"))
    )
    page = (
        f'<div class="studylog-review" data-studylog-review data-root="{root}" '
        f'data-fsrs="{script}" data-deck="{deck}">'
        '<div class="studylog-review-filters">'
        f'<label>{esc(w("Week"))} <select data-filter="week">{weeks}</select></label> '
        f'<label>{esc(w("Keyword"))} <select data-filter="keyword">{keywords}</select></label>'
        "</div>"
        '<p class="studylog-review-status" aria-live="polite"></p>'
        '<div class="studylog-review-card" hidden>'
        '<p class="studylog-review-where"></p>'
        '<div class="studylog-review-question" data-show-answer></div>'
        '<div class="studylog-review-answer" hidden></div>'
        '<div class="studylog-review-actions">'
        '<button type="button" class="md-button md-button--primary" data-show-answer>'
        f"{esc(w('Show answer'))} <kbd>{esc(w('Space'))}</kbd></button>"
        f'<div class="studylog-review-grades" hidden>{_grades(w)}</div>'
        "</div></div>"
        f'<p class="studylog-review-keys">{esc(w(KEYS))} {esc(w(STORED))}</p>'
        "<noscript><p>"
        f"{esc(w('The review runs in the browser with JavaScript.'))} "
        f'<a href="{questions}">{esc(w("All questions"))}</a></p></noscript>'
        "</div>"
    )
    md.append(slots.add(page))
    return Rendered("\n".join(md) + "\n", slots.fragments, title=esc(title))
