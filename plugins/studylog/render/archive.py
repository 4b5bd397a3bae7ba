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
from studylog.stats import WeekSummary, study_days, total

TOP_KEYWORDS = 5  # keywords shown per week in a month's table


def _span(weeks: tuple[WeekSummary, ...]) -> str:
    dates = [d for w in weeks for d in (w.first_date, w.last_date) if d]
    if not dates:
        return "—"
    first, last = min(dates).isoformat(), max(dates).isoformat()
    return esc(first if first == last else f"{first} – {last}")


def _qa(weeks: tuple[WeekSummary, ...]) -> str:
    questions = total(w.questions for w in weeks)
    answers = total(w.answers for w in weeks)
    return f"{count(questions)} / {count(answers)}"


def _days(weeks: tuple[WeekSummary, ...]) -> str:
    return str(study_days(e for w in weeks for e in w.days))


def group_page(site: LogIndex, group: WeekGroup) -> Rendered:
    """A year's page (its months) or a month's page (its weeks, their dates and keywords)."""
    uri = group.uri
    w = site.words
    slots = Slots()
    shown = [
        (w("Dates"), _span(group.weeks)),
        (w("Weeks (count)"), str(len(group.weeks))),
        (w("Days"), _days(group.weeks)),
        (w("Q / A"), _qa(group.weeks)),
    ]
    md = [f"# {md_text(group.title)}", slots.add(facts(shown))]

    def link(to: str, text: str) -> str:
        return f'<a href="{esc(site.linker.href(uri, to))}">{esc(text)}</a>'

    if group.months:
        rows = [
            [
                link(month.uri, month.title),
                str(len(month.weeks)),
                _days(month.weeks),
                _qa(month.weeks),
            ]
            for month in group.months
        ]
        head = [w("Month"), w("Weeks (count)"), w("Days"), w("Q / A")]
        md += [
            f"## {md_text(w('Months'))}",
            slots.add(table(head, rows, "studylog-archive-months")),
        ]
    else:
        rows = [
            [
                link(links.week_uri(wk.key), wk.key.named(w)),
                _span((wk,)),
                _days((wk,)),
                keyword_links(wk.keywords[:TOP_KEYWORDS], uri, site.linker, site.aliases),
                _qa((wk,)),
            ]
            for wk in group.weeks
        ]
        head = [w("Week"), w("Dates"), w("Days"), w("Keywords"), w("Q / A")]
        md += [
            f"## {md_text(w('Weeks'))}",
            slots.add(table(head, rows, "studylog-archive-weeks", wrap={3})),
        ]
    return Rendered("\n".join(md) + "\n", slots.fragments, title=esc(group.title))
