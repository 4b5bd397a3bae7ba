"""Pages about all the logs: week roll-ups, the keyword index, Q/A statistics,
the execution report and the home dashboard."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from studylog.execute.results import SessionResult
from studylog.execute.status import how
from studylog.model import Log
from studylog.render import links
from studylog.render.charts import ANSWER, QUESTION, bar_chart
from studylog.render.links import Linker
from studylog.render.meta import count, keyword_links
from studylog.render.slots import Outcomes, Rendered, Slots
from studylog.render.text import esc, md_text
from studylog.stats import Entry, SiteStats, WeekSummary, initial, log_title, qa_series


@dataclass(frozen=True)
class LogIndex:
    """What every site page needs: the logs, their statistics, where their pages are."""

    logs: tuple[Log, ...]
    stats: SiteStats
    pages: Mapping[str, str]  # log path -> src_uri of its page
    linker: Linker = field(default_factory=Linker)
    aliases: Mapping[str, str] = field(default_factory=dict)
    qa_chart: str = ""  # the Q/A chart (an <svg> element), drawn once per build

    def entry_link(self, uri: str, entry: Entry, text: str | None = None) -> str:
        """A link from the page at ``uri`` to a day or log (its title, or ``text``)."""
        page = self.pages.get(entry.path)
        label = esc(text if text is not None else entry.title)
        if page is None:
            return label
        return f'<a href="{esc(self.linker.href(uri, page, entry.anchor))}">{label}</a>'

    def log_link(self, uri: str, path: str) -> str:
        """A link from the page at ``uri`` to the page of the log at ``path``, by its title."""
        log = next((lg for lg in self.logs if lg.path == path), None)
        title = log_title(log) if log else path
        page = self.pages.get(path)
        if page is None:
            return esc(title)
        return f'<a href="{esc(self.linker.href(uri, page))}">{esc(title)}</a>'


def table(
    head: Sequence[str], rows: Sequence[Sequence[str]], cls: str, wrap: Collection[int] = ()
) -> str:
    """A table in Material's own scrolling wrapper: on a phone it scrolls sideways.

    Cells keep their text on one line, except the columns in ``wrap`` (keyword chips,
    notes), which wrap between words only (see the stylesheet)."""
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="studylog-wrap">{c}</td>' if i in wrap else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
        f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'
        "</div></div>"
    )


def facts(items: Sequence[tuple[str, str]], cls: str = "studylog-meta") -> str:
    """A definition list of ``(label, HTML)`` pairs, in studylog's fact box."""
    rows = "".join(f"<div><dt>{esc(k)}</dt><dd>{v}</dd></div>" for k, v in items)
    return f'<div class="{cls}"><dl>{rows}</dl></div>'


def _date(entry: Entry) -> str:
    return esc(entry.date.isoformat()) if entry.date else "—"


def week_page(site: LogIndex, week: WeekSummary) -> Rendered:
    """A week's roll-up: its dates, Q/A totals, keywords, its multi-day logs and its days."""
    uri = links.week_uri(week.key)
    slots = Slots()
    first, last = week.first_date, week.last_date
    shown = []
    if first and last:
        span = first.isoformat() + (f" – {last.isoformat()}" if last != first else "")
        shown.append(("Dates", esc(span)))
    shown.append(("Days", str(len(week.days))))
    shown.append(("Questions / answers", f"{count(week.questions)} / {count(week.answers)}"))
    if week.keywords:
        shown.append(("Keywords", keyword_links(week.keywords, uri, site.linker, site.aliases)))
    # The week's own writing, kept apart: files that hold several of its days (their days
    # are also rows of the table below), and its retrospectives.
    day_files = [p for p in week.weekly_logs if p not in week.retrospectives]
    if day_files:
        shown.append(("Multi-day logs", " · ".join(site.log_link(uri, p) for p in day_files)))
    if week.retrospectives:
        shown.append(
            ("Retrospective", " · ".join(site.log_link(uri, p) for p in week.retrospectives))
        )
    md = [f"# {md_text(week.key.label)}", slots.add(facts(shown))]
    if week.days:
        rows = [
            [
                _date(e),
                site.entry_link(uri, e),
                keyword_links(e.keywords, uri, site.linker, site.aliases),
                count(e.questions),
                count(e.answers),
            ]
            for e in week.days
        ]
        md += [
            "## Days",
            slots.add(
                table(
                    ["Date", "Day", "Keywords", "Questions", "Answers"],
                    rows,
                    "studylog-week-days",
                    wrap={2},
                )
            ),
        ]
    return Rendered("\n".join(md) + "\n", slots.fragments, title=esc(week.key.label))


def keyword_page(site: LogIndex) -> Rendered:
    """Every keyword by its index letter, with the days and logs that name it."""
    uri = links.KEYWORDS
    slots = Slots()
    index = site.stats.keywords
    md = [
        "# Keywords",
        slots.add(
            f'<p class="studylog-summary">{len(index)} keywords from '
            f"{len(site.stats.entries)} days and logs.</p>"
        ),
    ]
    for letter, group in groupby(index, key=lambda k: initial(k.name)):
        parts = []
        for kw in group:
            refs = "".join(
                f"<li>{site.entry_link(uri, e)} <small>{_date(e)}</small></li>" for e in kw.refs
            )
            parts.append(
                f'<div class="studylog-keyword-entry" id="{esc(kw.slug)}">'
                f'<strong>{esc(kw.name)}</strong> <span class="studylog-count">{kw.count}</span>'
                f"<ul>{refs}</ul></div>"
            )
        md += [f"## {md_text(letter)}", slots.add("".join(parts))]
    return Rendered("\n".join(md) + "\n", slots.fragments, title="Keywords")


ChartData = tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]  # labels, Q, A


# The chart's bars stay few whatever the log's length: a bar per day for a month of days,
# per week for a year of weeks, then per month, then per year.
MAX_DAYS, MAX_WEEKS, MAX_MONTHS = 31, 53, 60


def qa_chart_data(stats: SiteStats) -> ChartData | None:
    """Questions and answers over time: per day, week, month or year, by how long the log is."""
    series = qa_series(stats.entries)
    if not series:
        return None
    points: list[tuple[str, int | None, int | None]]
    weeks = [w for w in stats.weeks if w.questions is not None or w.answers is not None]
    if len(series) <= MAX_DAYS:
        points = [(date.strftime("%m-%d"), q, a) for date, q, a in series]
    elif len(weeks) <= MAX_WEEKS:
        points = [(w.key.label, w.questions, w.answers) for w in weeks]
    else:
        months = len({(date.year, date.month) for date, _, _ in series}) <= MAX_MONTHS
        sums: dict[str, tuple[int, int]] = {}
        for date, q, a in series:
            label = f"{date.year}-{date.month:02d}" if months else str(date.year)
            before = sums.get(label, (0, 0))
            sums[label] = (before[0] + (q or 0), before[1] + (a or 0))
        points = [(label, q, a) for label, (q, a) in sorted(sums.items())]
    return (
        tuple(label for label, _, _ in points),
        tuple(q or 0 for _, q, _ in points),
        tuple(a or 0 for _, _, a in points),
    )


def draw_qa_chart(data: ChartData | None) -> str:
    """The chart of :func:`qa_chart_data` as an ``<svg>`` element ("" when there is none)."""
    if data is None:
        return ""
    labels, qs, ans = data
    try:
        return bar_chart(
            labels,
            [("Questions", qs, QUESTION), ("Answers", ans, ANSWER)],
            name="Q/A over time",
        )
    except Exception as exc:  # a chart must never cost the page
        return f'<p class="studylog-chart-error">Chart not drawn: {esc(exc)}</p>'


def qa_page(site: LogIndex) -> Rendered:
    """Question and answer totals, the chart, and the counts per week and per day."""
    uri = links.QA
    slots = Slots()
    qa = site.stats.qa
    md = [
        "# Questions and answers",
        slots.add(
            facts(
                [
                    ("Questions", str(qa.questions)),
                    ("Answers", str(qa.answers)),
                    ("Days with a record", f"{qa.days_recorded} of {qa.days}"),
                ]
            )
        ),
    ]
    chart = site.qa_chart
    if chart:
        md.append(slots.add(f'<figure class="studylog-chart-figure">{chart}</figure>'))
    week_rows = [
        [
            f'<a href="{esc(site.linker.href(uri, links.week_uri(w.key)))}">{esc(w.key.label)}</a>',
            str(len(w.days)),
            count(w.questions),
            count(w.answers),
        ]
        for w in site.stats.weeks
        if w.days
    ]
    md += [
        "## Per week",
        slots.add(table(["Week", "Days", "Questions", "Answers"], week_rows, "studylog-qa-weeks")),
    ]
    # Only the days with a record get a row: a 50-day log without counts would
    # otherwise fill the page with dashes. The rest are summed up in one line.
    days = [e for e in site.stats.entries if e.kind == "day"]
    recorded = [e for e in days if e.questions is not None or e.answers is not None]
    day_rows = [
        [
            _date(e),
            site.entry_link(uri, e),
            esc(e.week.label) if e.week else "—",
            count(e.questions),
            count(e.answers),
        ]
        for e in recorded
    ]
    md.append("## Per day")
    if day_rows:
        md.append(
            slots.add(
                table(["Date", "Day", "Week", "Questions", "Answers"], day_rows, "studylog-qa-days")
            )
        )
    rest = len(days) - len(recorded)
    if rest:
        other = "other " if recorded else ""
        said = f"{rest} {other}day has" if rest == 1 else f"{rest} {other}days have"
        md.append(
            slots.add(
                f'<p class="studylog-qa-rest">{esc(said)} no record of questions or answers.</p>'
            )
        )
    return Rendered("\n".join(md) + "\n", slots.fragments, title="Questions and answers")


def report_page(site: LogIndex) -> Rendered:
    """Every session of the build, with its status, duration and device: both of its parts
    wait for the results."""
    slots = Slots()
    totals, listing = slots.reserve(), slots.reserve()
    md = ["# Execution report", slots.placeholder(totals), slots.placeholder(listing)]

    def later(outcomes: Outcomes) -> dict[str, str]:
        return _report(site, outcomes.results, totals, listing)

    return Rendered("\n".join(md) + "\n", title="Execution report", later=later)


def _report(
    site: LogIndex, found: Sequence[SessionResult], totals: str, listing: str
) -> dict[str, str]:
    uri = links.REPORT
    results = sorted(found, key=lambda r: (r.log, r.session))
    failed = [r for r in results if r.failed]
    total = sum(r.duration for r in results)
    summary = facts(
        [
            ("Sessions", str(len(results))),
            ("Failed", str(len(failed))),
            ("Run now", str(sum(1 for r in results if how(r) == "run"))),
            ("From the cache", str(sum(1 for r in results if how(r) in ("cached", "frozen")))),
            ("Total duration", f"{total:.2f} s"),
        ]
    )
    rows = [
        [
            site.log_link(uri, r.log),
            f"<code>{esc(r.session)}</code>",
            f'<span class="studylog-status studylog-status-{esc(r.status)}">{esc(r.status)}</span>',
            f"{r.duration:.2f} s",
            esc(r.device),
            how(r),
            esc(r.message),
        ]
        for r in results
    ]
    sessions = (
        table(
            ["Log", "Session", "Status", "Duration", "Device", "Cached or run", "Note"],
            rows,
            "studylog-report",
            wrap={6},
        )
        if rows
        else "<p>No executable snippets in the logs.</p>"
    )
    return {totals: summary, listing: sessions}


def dashboard(site: LogIndex, uri: str = links.HOME, latest: int = 7, top: int = 12) -> Rendered:
    """The home page's dashboard: totals, latest logs, Q/A over time, top keywords."""
    slots = Slots()
    stats = site.stats
    days = [e for e in stats.entries if e.kind == "day"]
    cards = [
        ("Logs", str(len(site.logs))),
        ("Days", str(len(days))),
        ("Weeks", str(len(stats.weeks))),
        ("Keywords", str(len(stats.keywords))),
        ("Questions / answers", f"{stats.qa.questions} / {stats.qa.answers}"),
    ]
    totals = slots.reserve()  # the cards: the last one counts the sessions that ran

    def later(outcomes: Outcomes) -> dict[str, str]:
        ok = sum(1 for r in outcomes.results if not r.failed)
        sessions = ("Snippet sessions", f"{ok} ok of {len(outcomes.results)}")
        return {totals: facts([*cards, sessions], "studylog-cards")}

    md = [slots.placeholder(totals)]
    dated = sorted((e for e in days if e.date), key=lambda e: e.sort_key, reverse=True)
    if dated:
        items = "".join(
            f"<li><small>{_date(e)}</small> {site.entry_link(uri, e)}</li>" for e in dated[:latest]
        )
        md += ["## Latest", slots.add(f'<ul class="studylog-latest">{items}</ul>')]
    chart = site.qa_chart
    if chart:
        qa_link = esc(site.linker.href(uri, links.QA))
        md += [
            "## Questions and answers",
            slots.add(
                f'<figure class="studylog-chart-figure">{chart}'
                f'<figcaption><a href="{qa_link}">All Q/A statistics</a></figcaption></figure>'
            ),
        ]
    ranked = sorted(stats.keywords, key=lambda k: -k.count)[:top]
    if ranked:
        items = "".join(
            f'<li><a href="{esc(site.linker.href(uri, links.KEYWORDS, k.slug))}">{esc(k.name)}</a>'
            f' <span class="studylog-count">{k.count}</span></li>'
            for k in ranked
        )
        md += ["## Top keywords", slots.add(f'<ul class="studylog-top-keywords">{items}</ul>')]
    return Rendered("\n".join(md) + "\n", slots.fragments, later=later)
