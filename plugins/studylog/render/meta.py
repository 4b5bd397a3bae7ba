"""What studylog writes on a log's page from the log's data: the header under the title,
and each day's anchor and line of facts. Everything in it is escaped."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from studylog.model import Day, Log
from studylog.render import links
from studylog.render.links import Linker
from studylog.render.text import esc
from studylog.stats import canonical, log_week, normalise_aliases, slug
from studylog.words import ENGLISH, Words


def count(value: int | None) -> str:
    """A question or answer count as a page shows it (a dash for no record)."""
    return "—" if value is None else str(value)


def keyword_links(
    keywords: Sequence[str], uri: str, linker: Linker, aliases: Mapping[str, str]
) -> str:
    """Each keyword as a link to its entry in the keyword index, from the page at ``uri``."""
    folded = normalise_aliases(aliases)
    out = []
    for raw in keywords:
        name = canonical(raw, folded)
        href = linker.href(uri, links.KEYWORDS, slug(name))
        out.append(f'<a class="studylog-keyword" href="{esc(href)}">{esc(raw)}</a>')
    return " ".join(out)


def _row(label: str, value: str) -> str:
    # A space between term and value, so search previews read "Date 2024-03-04".
    return f"<div><dt>{esc(label)}</dt> <dd>{value}</dd></div>"


def header(
    log: Log,
    uri: str,
    linker: Linker,
    aliases: Mapping[str, str],
    weeks: Collection[str],
    words: Words = ENGLISH,
) -> str:
    """The metadata header of a log's page ("" when there is nothing to say), labelled in
    the site's language; ``weeks`` are the week pages that exist, so the week links to its
    page only when it has one."""
    w = words
    rows = []
    dates = sorted({d.date for d in log.days if d.date} | ({log.date} if log.date else set()))
    if dates:
        span = dates[0].isoformat()
        if dates[-1] != dates[0]:
            span += f" – {dates[-1].isoformat()}"
        rows.append(_row(w("Date"), span))
    week = log_week(log)
    if week is not None:
        target = links.week_uri(week)
        label = esc(week.named(w))
        if target in weeks:
            label = f'<a href="{esc(linker.href(uri, target))}">{label}</a>'
        rows.append(_row(w("Week"), label))
    if log.questions is not None or log.answers is not None:
        rows.append(_row(w("Q / A"), f"{count(log.questions)} / {count(log.answers)}"))
    if log.tasks_done or log.tasks_open:
        tasks = w("{done} done · {open} open", done=log.tasks_done, open=log.tasks_open)
        rows.append(_row(w("Tasks"), esc(tasks)))
    if log.keywords:
        rows.append(_row(w("Keywords"), keyword_links(log.keywords, uri, linker, aliases)))
    if log.days:
        days = " · ".join(f'<a href="#{esc(d.anchor)}">{esc(d.title)}</a>' for d in log.days)
        rows.append(_row(w("Days"), days))
    if not rows:
        return ""
    return '<div class="studylog-meta"><dl>' + " ".join(rows) + "</dl></div>"


def day_header(
    day: Day, uri: str, linker: Linker, aliases: Mapping[str, str], words: Words = ENGLISH
) -> str:
    """The line of facts under a day's heading ("" when the day has none)."""
    parts = []
    if day.date:
        parts.append(f"<span>{esc(day.date.isoformat())}</span>")
    if day.questions is not None or day.answers is not None:
        qa = f"{words('Q/A')} {count(day.questions)} / {count(day.answers)}"
        parts.append(f"<span>{esc(qa)}</span>")
    if day.keywords:
        parts.append(f"<span>{keyword_links(day.keywords, uri, linker, aliases)}</span>")
    return '<div class="studylog-day-meta">' + " · ".join(parts) + "</div>" if parts else ""


def anchor_html(day: Day) -> str:
    """The anchor a day's links in the header and the indexes point at."""
    return f'<a id="{esc(day.anchor)}" class="studylog-anchor"></a>'
