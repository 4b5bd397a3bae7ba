"""The review deck as an Anki package (``.apkg``), written with genanki.

One note per answered question: its question, its answer and where it was asked (the
log's title and date, its ``path:line``, and a link to its page when the site's
``site_url`` is known), rendered the way the site shows them (code as code; math as
``\\(…\\)``, which Anki's MathJax typesets). The site is one deck and each week a
sub-deck of it (``Site::Week 3``); a note's tags are its day's keywords and its week.

Anki knows a note by its GUID: a note imported with a GUID the collection holds
replaces that note instead of adding one. The GUID here is made of the card's identity
(:func:`studylog.deck.card_id`: the log and the question's words, not its line or its
answer), so exporting again after the logs were edited and importing the new package
updates the notes that changed and adds only the questions that are new. Deck and note
type ids are made of their names for the same reason.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from studylog.deck import Card
from studylog.render.cards import answers_html, text_html
from studylog.render.text import esc
from studylog.words import Words

# The note type: fixed, so every export of every site shares it (Anki keeps one).
MODEL_ID = 1_718_203_261
MODEL_NAME = "studylog question"
CSS = """\
.card { font-family: sans-serif; font-size: 20px; text-align: left; color: black;
  background-color: white; }
.question { font-weight: bold; }
.source { margin-top: 1.5em; font-size: 14px; color: #666; }
code { font-family: monospace; background: rgba(127, 127, 127, .12); padding: 0 .2em; }
pre code { display: block; padding: .5em; white-space: pre-wrap; }
"""
_TAG_SPACE = re.compile(r"\s+")


def _id(*parts: str) -> int:
    """An id Anki accepts (above 2^30, below 2^31), made of ``parts``."""
    digest = hashlib.sha256("\0".join(parts).encode("utf-8")).digest()
    return (1 << 30) | (int.from_bytes(digest[:4], "big") & ((1 << 30) - 1))


def deck_name(*parts: str) -> str:
    """A deck's name in Anki's hierarchy (``a::b``); ``::`` inside a part is not a level."""
    return "::".join(part.replace("::", ":").strip() or "-" for part in parts)


def tag(text: str) -> str:
    """A keyword as an Anki tag: no spaces (Anki splits tags at them)."""
    return _TAG_SPACE.sub("_", text.strip())


def _source(card: Card, site_url: str, page_url: str | None) -> str:
    entry = card.entry
    where = f"{card.pair.path}:{card.pair.line}"
    if card.pair.cell is not None:
        where = f"{card.pair.path}, cell {card.pair.cell}"
    title = esc(entry.title)
    if site_url and page_url is not None:
        anchor = f"#{entry.anchor}" if entry.anchor else ""
        href = esc(site_url.rstrip("/") + "/" + page_url + anchor)
        title = f'<a href="{href}">{title}</a>'
    date = f"{entry.date.isoformat()} · " if entry.date else ""
    return f"{date}{title} · <code>{esc(where)}</code>"


def write(
    cards: Sequence[Card],
    out: Path,
    *,
    site_name: str,
    words: Words,
    site_url: str = "",
    page_urls: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Write the answered ``cards`` to ``out``; what was written (notes, decks)."""
    import genanki

    model = genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Source"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": '<div class="question">{{Question}}</div>',
                "afmt": '{{FrontSide}}<hr id="answer"><div class="answer">{{Answer}}</div>'
                '<div class="source">{{Source}}</div>',
            }
        ],
        css=CSS,
    )
    decks: dict[str, Any] = {}
    notes = 0
    for card in cards:
        if not card.answered:
            continue
        week = card.week.named(words) if card.week is not None else words("Undated")
        name = deck_name(site_name, week)
        if name not in decks:
            decks[name] = genanki.Deck(_id("studylog-deck", name), name)
        tags = sorted({tag(k) for k in card.keywords if tag(k)})
        if card.week is not None:
            tags.append(card.week.slug)
        page = (page_urls or {}).get(card.entry.path)
        note = genanki.Note(
            model=model,
            fields=[
                text_html(card.question),
                answers_html(card.answers),
                _source(card, site_url, page),
            ],
            tags=tags,
            guid=genanki.guid_for("studylog", card.id),
        )
        decks[name].add_note(note)
        notes += 1
    if notes:
        root = deck_name(site_name)
        # The site's own deck holds the weeks; Anki shows it even when it holds no note.
        decks.setdefault(root, genanki.Deck(_id("studylog-deck", root), root))
        out.parent.mkdir(parents=True, exist_ok=True)
        genanki.Package(list(decks.values())).write_to_file(str(out))
    return {"notes": notes, "decks": sorted(decks)}
