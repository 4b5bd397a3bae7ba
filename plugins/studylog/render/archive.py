"""Archive pages of a long log: a year's months, a month's weeks, as a blog's archive lists them.

They are the first page of each year and month section of the navigation
(:mod:`studylog.render.navigation`), so a reader reaches every week from a page
whose navigation stays small.
"""

from __future__ import annotations

from studylog.render import links
from studylog.render.meta import count, keyword_links
from studylog.render.navigation import WeekGroup
from studylog.render.site_pages import LogIndex, facts, table
from studylog.render.slots import Rendered, Slots
from studylog.render.text import esc, md_text
from studylog.stats import WeekSummary, total

TOP_KEYWORDS = 5  # keywords shown per week in a month's table


def _span(weeks: tuple[WeekSummary, ...]) -> str:
    dates = [d for w in weeks for d in (w.first_date, w.last_date) if d]
    if not dates:
        return "—"
    first, last = min(dates).isoformat(), max(dates).isoformat()
    return esc(first if first == last else f"{first} – {last}")


def _totals(weeks: tuple[WeekSummary, ...]) -> list[tuple[str, str]]:
    questions = total(w.questions for w in weeks)
    answers = total(w.answers for w in weeks)
    return [
        ("Dates", _span(weeks)),
        ("Weeks", str(len(weeks))),
        ("Days", str(sum(len(w.days) for w in weeks))),
        ("Questions / answers", f"{count(questions)} / {count(answers)}"),
    ]


def group_page(site: LogIndex, group: WeekGroup) -> Rendered:
    """A year's page (its months) or a month's page (its weeks, their dates and keywords)."""
    uri = group.uri
    slots = Slots()
    md = [f"# {md_text(group.title)}", slots.add(facts(_totals(group.weeks)))]

    def link(to: str, text: str) -> str:
        return f'<a href="{esc(site.linker.href(uri, to))}">{esc(text)}</a>'

    if group.months:
        rows = [
            [
                link(month.uri, month.title),
                str(len(month.weeks)),
                str(sum(len(w.days) for w in month.weeks)),
                count(total(w.questions for w in month.weeks)),
                count(total(w.answers for w in month.weeks)),
            ]
            for month in group.months
        ]
        head = ["Month", "Weeks", "Days", "Questions", "Answers"]
        md += ["## Months", slots.add(table(head, rows, "studylog-archive-months"))]
    else:
        rows = [
            [
                link(links.week_uri(w.key), w.key.label),
                _span((w,)),
                str(len(w.days)),
                keyword_links(w.keywords[:TOP_KEYWORDS], uri, site.linker, site.aliases),
                count(w.questions),
                count(w.answers),
            ]
            for w in group.weeks
        ]
        head = ["Week", "Dates", "Days", "Keywords", "Questions", "Answers"]
        md += ["## Weeks", slots.add(table(head, rows, "studylog-archive-weeks", wrap={3}))]
    return Rendered("\n".join(md) + "\n", slots.fragments, title=esc(group.title))
