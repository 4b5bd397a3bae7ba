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
from studylog.render.charts import ANSWER, QUESTION, bar_chart, phone_and_wide
from studylog.render.links import Linker
from studylog.render.meta import count, keyword_links
from studylog.render.slots import Outcomes, Rendered, Slots
from studylog.render.text import esc, md_text
from studylog.stats import Entry, SiteStats, WeekSummary, initial, log_title, qa_series, study_days
from studylog.words import ENGLISH, Words


@dataclass(frozen=True)
class LogIndex:
    """What every site page needs: the logs, their statistics, where their pages are."""

    logs: tuple[Log, ...]
    stats: SiteStats
    pages: Mapping[str, str]  # log path -> src_uri of its page
    linker: Linker = field(default_factory=Linker)
    aliases: Mapping[str, str] = field(default_factory=dict)
    qa_chart: str = ""  # the Q/A chart (<svg> elements), drawn once per build
    words: Words = ENGLISH  # the site's language

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
        title = log_title(log, self.words) if log else path
        page = self.pages.get(path)
        if page is None:
            return esc(title)
        return f'<a href="{esc(self.linker.href(uri, page))}">{esc(title)}</a>'


def table(
    head: Sequence[str], rows: Sequence[Sequence[str]], cls: str, wrap: Collection[int] = ()
) -> str:
    """A table that fits its column: cells wrap between words (never inside one), and on a
    phone each row is a card of ``label value`` lines (each cell carries its column's
    label, see the stylesheet), so nothing is hidden off the side of the screen.

    The columns in ``wrap`` (keyword chips, notes) take the room that is left."""
    th = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td data-label="{esc(head[i])}"'
            + (' class="studylog-wrap"' if i in wrap else "")
            + f">{c}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<div class="studylog-table-wrap"><table class="studylog-table {cls}">'
        f"<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def facts(items: Sequence[tuple[str, str]], cls: str = "studylog-meta") -> str:
    """A definition list of ``(label, HTML)`` pairs, in studylog's fact box."""
    # Spaces between the terms, so search previews read "Dates 2024-03-04 Days 5".
    rows = " ".join(f"<div><dt>{esc(k)}</dt> <dd>{v}</dd></div>" for k, v in items)
    return f'<div class="{cls}"><dl>{rows}</dl></div>'


def _qa(questions: int | None, answers: int | None) -> str:
    return f"{count(questions)} / {count(answers)}"


def _date(entry: Entry) -> str:
    return esc(entry.date.isoformat()) if entry.date else "—"


def week_page(site: LogIndex, week: WeekSummary) -> Rendered:
    """A week's roll-up: its dates, Q/A totals, keywords, its multi-day logs and its days."""
    uri = links.week_uri(week.key)
    w = site.words
    slots = Slots()
    first, last = week.first_date, week.last_date
    shown = []
    if first and last:
        span = first.isoformat() + (f" – {last.isoformat()}" if last != first else "")
        shown.append((w("Dates"), esc(span)))
    shown.append((w("Days"), str(study_days(week.days))))
    shown.append((w("Q / A"), _qa(week.questions, week.answers)))
    if week.keywords:
        shown.append((w("Keywords"), keyword_links(week.keywords, uri, site.linker, site.aliases)))
    # The week's own writing, kept apart: files that hold several of its days (their days
    # are also rows of the table below), and its retrospectives.
    day_files = [p for p in week.weekly_logs if p not in week.retrospectives]
    if day_files:
        shown.append((w("Multi-day logs"), " · ".join(site.log_link(uri, p) for p in day_files)))
    if week.retrospectives:
        shown.append(
            (w("Retrospective"), " · ".join(site.log_link(uri, p) for p in week.retrospectives))
        )
    name = week.key.named(w)
    md = [f"# {md_text(name)}", slots.add(facts(shown))]
    if week.days:
        rows = [
            [
                _date(e),
                site.entry_link(uri, e),
                keyword_links(e.keywords, uri, site.linker, site.aliases),
                _qa(e.questions, e.answers),
            ]
            for e in week.days
        ]
        md += [
            f"## {md_text(w('Days'))}",
            slots.add(
                table(
                    [w("Date"), w("Log"), w("Keywords"), w("Q / A")],
                    rows,
                    "studylog-week-days",
                    wrap={1, 2},
                )
            ),
        ]
    return Rendered("\n".join(md) + "\n", slots.fragments, title=esc(name))


def keyword_page(site: LogIndex) -> Rendered:
    """Every keyword by its index letter, with the days and logs that name it."""
    uri = links.KEYWORDS
    w = site.words
    slots = Slots()
    index = site.stats.keywords
    said = w("{keywords} keywords in {logs} logs.", keywords=len(index), logs=len(site.logs))
    md = [
        f"# {md_text(w('Keywords'))}",
        slots.add(f'<p class="studylog-summary">{esc(said)}</p>'),
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
    return Rendered("\n".join(md) + "\n", slots.fragments, title=esc(w("Keywords")))


@dataclass(frozen=True)
class ChartData:
    """What the Q/A chart shows: one bar pair per label, and its words."""

    labels: tuple[str, ...]
    questions: tuple[int, ...]
    answers: tuple[int, ...]
    names: tuple[str, str, str] = ("Q/A over time", "Questions", "Answers")


# The chart's bars stay few whatever the log's length: a bar per day for a month of days,
# per week for a year of weeks, then per month, then per year.
MAX_DAYS, MAX_WEEKS, MAX_MONTHS = 31, 53, 60


def qa_chart_data(stats: SiteStats, words: Words = ENGLISH) -> ChartData | None:
    """Questions and answers over time: per date (:func:`studylog.stats.qa_series`; with
    the year when the dates span more than one), per week, per month or per year, whichever
    keeps the bars few."""
    series = qa_series(stats.entries)
    if not series:
        return None
    names = (words("Q/A over time"), words("Questions"), words("Answers"))
    points: list[tuple[str, int | None, int | None]]
    weeks = [w for w in stats.weeks if w.questions is not None or w.answers is not None]
    if len(series) <= MAX_DAYS:
        form = "%m-%d" if len({date.year for date, _, _ in series}) == 1 else "%Y-%m-%d"
        points = [(date.strftime(form), q, a) for date, q, a in series]
    elif len(weeks) <= MAX_WEEKS:
        points = [(w.key.named(words), w.questions, w.answers) for w in weeks]
    else:
        months = len({(date.year, date.month) for date, _, _ in series}) <= MAX_MONTHS
        sums: dict[str, tuple[int, int]] = {}
        for date, q, a in series:
            label = f"{date.year}-{date.month:02d}" if months else str(date.year)
            before = sums.get(label, (0, 0))
            sums[label] = (before[0] + (q or 0), before[1] + (a or 0))
        points = [(label, q, a) for label, (q, a) in sorted(sums.items())]
    return ChartData(
        tuple(label for label, _, _ in points),
        tuple(q or 0 for _, q, _ in points),
        tuple(a or 0 for _, _, a in points),
        names,
    )


def draw_qa_chart(data: ChartData | None) -> str:
    """The chart of :func:`qa_chart_data` as ``<svg>`` elements ("" when there is none): one
    drawn for a desktop column, one for a phone (bars across, counts written at their ends),
    the stylesheet showing the one that fits."""
    if data is None:
        return ""
    name, questions, answers = data.names
    series = [(questions, data.questions, QUESTION), (answers, data.answers, ANSWER)]
    try:
        return phone_and_wide(
            bar_chart(data.labels, series, name=name),
            bar_chart(data.labels, series, name=name, horizontal=True),
        )
    except Exception as exc:  # a chart must never cost the page
        return f'<p class="studylog-chart-error">Chart not drawn: {esc(exc)}</p>'


def qa_page(site: LogIndex) -> Rendered:
    """Question and answer totals, the chart, and the counts per week and per day."""
    uri = links.QA
    w = site.words
    slots = Slots()
    qa = site.stats.qa
    md = [
        f"# {md_text(w('Questions and answers'))}",
        slots.add(
            facts(
                [
                    (w("Questions"), str(qa.questions)),
                    (w("Answers"), str(qa.answers)),
                    (
                        w("Days with a record"),
                        w("{recorded} of {days}", recorded=qa.days_recorded, days=qa.days),
                    ),
                ]
            )
        ),
    ]
    chart = site.qa_chart
    if chart:
        md.append(slots.add(f'<figure class="studylog-chart-figure">{chart}</figure>'))
    week_rows = [
        [
            f'<a href="{esc(site.linker.href(uri, links.week_uri(wk.key)))}">'
            f"{esc(wk.key.named(w))}</a>",
            str(study_days(wk.days)),
            _qa(wk.questions, wk.answers),
        ]
        for wk in site.stats.weeks
        if wk.days
    ]
    md += [
        f"## {md_text(w('Per week'))}",
        slots.add(table([w("Week"), w("Days"), w("Q / A")], week_rows, "studylog-qa-weeks")),
    ]
    # Only the days with a record get a row: a 50-day log without counts would
    # otherwise fill the page with dashes. The rest are summed up in one line.
    days = [e for e in site.stats.entries if e.kind == "day"]
    recorded = [e for e in days if e.questions is not None or e.answers is not None]
    day_rows = [
        [
            _date(e),
            site.entry_link(uri, e),
            esc(e.week.named(w)) if e.week else "—",
            _qa(e.questions, e.answers),
        ]
        for e in recorded
    ]
    md.append(f"## {md_text(w('Per day'))}")
    if day_rows:
        md.append(
            slots.add(
                table(
                    [w("Date"), w("Log"), w("Week"), w("Q / A")],
                    day_rows,
                    "studylog-qa-days",
                    wrap={1},
                )
            )
        )
    rest = qa.days - qa.days_recorded
    if rest or not recorded:
        more = (
            "{n} more day has no record of questions or answers."
            if rest == 1
            else "{n} more days have no record of questions or answers."
        )
        said = w(more, n=rest) if recorded else w("No day has a record of questions or answers.")
        md.append(slots.add(f'<p class="studylog-qa-rest">{esc(said)}</p>'))
    return Rendered("\n".join(md) + "\n", slots.fragments, title=esc(w("Questions and answers")))


def report_page(site: LogIndex) -> Rendered:
    """Every session of the build, with its status, duration and device: both of its parts
    wait for the results."""
    w = site.words
    slots = Slots()
    totals, listing = slots.reserve(), slots.reserve()
    title = w("Execution report")
    md = [f"# {md_text(title)}", slots.placeholder(totals), slots.placeholder(listing)]

    def later(outcomes: Outcomes) -> dict[str, str]:
        return _report(site, outcomes.results, totals, listing)

    return Rendered("\n".join(md) + "\n", title=esc(title), later=later)


def _report(
    site: LogIndex, found: Sequence[SessionResult], totals: str, listing: str
) -> dict[str, str]:
    uri = links.REPORT
    w = site.words
    results = sorted(found, key=lambda r: (r.log, r.session))
    failed = [r for r in results if r.failed]
    total = sum(r.duration for r in results)
    summary = facts(
        [
            (w("Sessions"), str(len(results))),
            (w("Failed"), str(len(failed))),
            (w("Run now"), str(sum(1 for r in results if how(r) == "run"))),
            (
                w("From the cache"),
                str(sum(1 for r in results if how(r) in ("cached", "frozen"))),
            ),
            (w("Total duration"), f"{total:.2f} s"),
        ]
    )
    # Status and where the result came from share a column: the table fits a desktop
    # column with its note, and a phone as cards.
    rows = [
        [
            site.log_link(uri, r.log),
            f"<code>{esc(r.session)}</code>",
            f'<span class="studylog-status studylog-status-{esc(r.status)}">{esc(r.status)}</span>'
            f" · {esc(w(how(r)))}",
            f"{r.duration:.2f} s",
            esc(r.device),
            esc(r.message),
        ]
        for r in results
    ]
    sessions = (
        table(
            [w("Log"), w("Session"), w("Status"), w("Time"), w("Device"), w("Note")],
            rows,
            "studylog-report",
            wrap={0, 4, 5},
        )
        if rows
        else f"<p>{esc(w('No executable snippets in the logs.'))}</p>"
    )
    return {totals: summary, listing: sessions}


def dashboard(
    site: LogIndex, uri: str = links.HOME, latest: int = 7, top: int = 12, calendar: str = ""
) -> Rendered:
    """The home page's dashboard: totals, the study ``calendar`` (HTML, see
    :mod:`studylog.render.calendar`), latest logs, Q/A over time, top keywords."""
    w = site.words
    slots = Slots()
    stats = site.stats
    days = [e for e in stats.entries if e.kind == "day"]
    cards = [
        (w("Logs"), str(len(site.logs))),
        (w("Days"), str(study_days(days))),
        (w("Weeks (count)"), str(len(stats.weeks))),
        (w("Keywords"), str(len(stats.keywords))),
        (w("Q / A"), f"{stats.qa.questions} / {stats.qa.answers}"),
    ]
    totals = slots.reserve()  # the cards: the last one counts the sessions that ran

    def later(outcomes: Outcomes) -> dict[str, str]:
        ok = sum(1 for r in outcomes.results if not r.failed)
        total = len(outcomes.results)
        sessions = (w("Snippet sessions"), w("{ok} ok of {total}", ok=ok, total=total))
        return {totals: facts([*cards, sessions], "studylog-cards")}

    md = [slots.placeholder(totals)]
    if calendar:
        md += [f"## {md_text(w('Study calendar'))}", slots.add(calendar)]
    dated = sorted((e for e in days if e.date), key=lambda e: e.sort_key, reverse=True)
    if dated:
        items = "".join(
            f"<li><small>{_date(e)}</small> {site.entry_link(uri, e)}</li>" for e in dated[:latest]
        )
        md += [f"## {md_text(w('Latest'))}", slots.add(f'<ul class="studylog-latest">{items}</ul>')]
    chart = site.qa_chart
    if chart:
        qa_link = esc(site.linker.href(uri, links.QA))
        md += [
            f"## {md_text(w('Questions and answers'))}",
            slots.add(
                f'<figure class="studylog-chart-figure">{chart}'
                f'<figcaption><a href="{qa_link}">{esc(w("All Q/A statistics"))}</a>'
                "</figcaption></figure>"
            ),
        ]
    ranked = sorted(stats.keywords, key=lambda k: -k.count)[:top]
    if ranked:
        items = "".join(
            f'<li><a href="{esc(site.linker.href(uri, links.KEYWORDS, k.slug))}">{esc(k.name)}</a>'
            f' <span class="studylog-count">{k.count}</span></li>'
            for k in ranked
        )
        md += [
            f"## {md_text(w('Top keywords'))}",
            slots.add(f'<ul class="studylog-top-keywords">{items}</ul>'),
        ]
    return Rendered("\n".join(md) + "\n", slots.fragments, later=later)
