"""The Questions page: every question of the logs with its answer folded under it.

Grouped by week (each question a Material ``details`` block, the way ``???`` writes one,
open on a click; unanswered ones marked), then by keyword (each keyword's questions,
linking up to them). Each question links to the day that asked it. The answers are in
the page, folded, so the site's search finds a question by its answer too.
"""

from __future__ import annotations

from collections.abc import Sequence

from studylog.deck import Card
from studylog.render import links
from studylog.render.cards import CardHTML
from studylog.render.site_pages import LogIndex
from studylog.render.slots import Rendered, Slots
from studylog.render.text import esc, md_text
from studylog.stats import WeekKey, canonical, normalise_aliases, slug, sort_key


def anchor(card: Card) -> str:
    """The id of a question's block on the Questions page."""
    return f"q-{card.id}"


def _date(card: Card) -> str:
    return card.entry.date.isoformat() if card.entry.date else "—"


def _block(site: LogIndex, uri: str, card: Card, html: CardHTML) -> str:
    """One question: its text as the summary, its answer (or a note that there is none)
    inside, and where it was asked."""
    w = site.words
    question = html.text(card.question)
    badges = ""
    if not card.answered:
        badges += f' <span class="studylog-badge studylog-badge-open">{esc(w("Unanswered"))}</span>'
    if card.pair.form == "card":
        badges += f' <span class="studylog-badge">{esc(w("Card"))}</span>'
    where = f"{esc(_date(card))} · {site.entry_link(uri, card.entry)}"
    body = (
        html.answers(card.answers)
        if card.answered
        else f'<p class="studylog-no-answer">{esc(w("No answer was written."))}</p>'
    )
    kind = "question" if card.answered else "warning"
    return (
        f'<details class="{kind} studylog-question" id="{esc(anchor(card))}">'
        f'<summary><span class="studylog-question-text">{question}</span>{badges}</summary>'
        f'<div class="studylog-answer">{body}</div>'
        f'<p class="studylog-question-where">{where}</p></details>'
    )


def _by_keyword(site: LogIndex, cards: Sequence[Card], html: CardHTML) -> str:
    """Each keyword of the days that asked questions, with links to those questions."""
    folded = normalise_aliases(site.aliases)
    names: dict[str, str] = {}
    asked: dict[str, dict[str, Card]] = {}  # by keyword, each card once (by its id)
    for card in cards:
        for raw in card.keywords:
            name = canonical(raw, folded)
            key = name.casefold()
            names.setdefault(key, name)
            asked.setdefault(key, {}).setdefault(card.id, card)
    parts = []
    for key in sorted(names, key=lambda k: sort_key(names[k])):
        items = "".join(
            f'<li><a href="#{esc(anchor(card))}">{html.plain(card.question, 90)}</a>'
            f" <small>{esc(_date(card))}</small></li>"
            for card in asked[key].values()
        )
        parts.append(
            f'<div class="studylog-keyword-entry" id="q-{esc(slug(names[key]))}">'
            f"<strong>{esc(names[key])}</strong>"
            f' <span class="studylog-count">{len(asked[key])}</span><ul>{items}</ul></div>'
        )
    return "".join(parts)


def questions_page(site: LogIndex, cards: Sequence[Card], html: CardHTML | None = None) -> Rendered:
    """Every question, by week and by keyword, answers folded (their HTML from ``html``)."""
    html = html or CardHTML()
    uri = links.QUESTIONS
    w = site.words
    slots = Slots()
    title = w("All questions")
    md = [f"# {md_text(title)}"]
    if not cards:
        said = w("No questions in the logs yet.")
        md.append(slots.add(f'<p class="studylog-summary">{esc(said)}</p>'))
        return Rendered("\n".join(md) + "\n", slots.fragments, title=esc(title))
    open_ = sum(1 for c in cards if not c.answered)
    said = w(
        "{questions} questions from {logs} logs, {open} without an answer.",
        questions=len(cards),
        logs=len({c.pair.path for c in cards}),
        open=open_,
    )
    review = esc(site.linker.href(uri, links.REVIEW))
    md.append(
        slots.add(
            f'<p class="studylog-summary">{esc(said)} '
            f'<a href="{review}">{esc(w("Review them"))}</a></p>'
        )
    )
    md.append(f"## {md_text(w('By week'))}")
    weeks: dict[WeekKey | None, list[Card]] = {}
    for card in cards:
        weeks.setdefault(card.week, []).append(card)
    # Weeks in the order of the site's week pages; questions of no week last.
    for week in sorted(weeks, key=lambda k: (k is None, k or WeekKey.course(0))):
        name = week.named(w) if week is not None else w("Undated")
        blocks = "".join(_block(site, uri, c, html) for c in weeks[week])
        md += [f"### {md_text(name)}", slots.add(blocks)]
    keywords = _by_keyword(site, cards, html)
    if keywords:
        md += [f"## {md_text(w('By keyword'))}", slots.add(keywords)]
    return Rendered("\n".join(md) + "\n", slots.fragments, title=esc(title))
