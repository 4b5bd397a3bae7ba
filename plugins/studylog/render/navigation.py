"""The generated navigation: weeks (grouped by year and month on a long log), then indexes.

What a page carries of the navigation must stay small however many logs a site
has: Material (with ``navigation.prune``) renders, on each page, the top level and
every item of each section on the way to that page. A flat list of 400 weeks is
400 entries on every log page. So once a site has more weeks than a course term
(:data:`FLAT_WEEKS`), its weeks are grouped by the month they start in, and the
months by year when they span more than one; each group has an archive page
(:func:`studylog.render.archive.group_page`) listing what is under it, as a blog's
archive does. A week with more logs than :data:`SPLIT_WEEK` files them by day, and
a longer list (undated logs, one day's) comes in sections of :data:`CHUNK`. A page
then carries at most the top level, the years, twelve months, six weeks, a week's
logs (or seven day sections), and fifty logs.

A site with a term's weeks or fewer keeps the flat list: ``Weeks`` → each week (its
roll-up page, then its logs by date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from studylog.model import Log
from studylog.render import links
from studylog.render.site_pages import LogIndex
from studylog.stats import WeekSummary, is_retrospective, log_title, log_week, nav_title
from studylog.words import Words

FLAT_WEEKS = 26  # up to a course term of weeks: listed flat, as on a short log
SPLIT_WEEK = 40  # a week with more logs than this files them under their days
CHUNK = 50  # a list of logs longer than this (undated ones, one day's) comes in sections


@dataclass(frozen=True)
class NavNode:
    """An entry of the generated navigation: a page, or a section of entries."""

    title: str  # plain text; the glue escapes it
    uri: str | None = None  # a page, or None for a section
    children: tuple[NavNode, ...] = ()


@dataclass(frozen=True)
class WeekGroup:
    """A year or a month of weeks, with its archive page."""

    title: str  # "2024", "2024-03"
    uri: str  # its archive page
    weeks: tuple[WeekSummary, ...]  # in the site's week order
    months: tuple[WeekGroup, ...] = ()  # a year's months; empty for a month


def group_uri(name: str) -> str:
    """The archive page of a year (``2024``) or a month (``2024-03``)."""
    return f"{links.WEEKS}/{name}.md"


def week_groups(
    weeks: Sequence[WeekSummary],
) -> tuple[tuple[WeekGroup, ...], tuple[WeekSummary, ...]]:
    """The site's dated weeks grouped by year and month (years only when the weeks span
    more than one), and the weeks with no dated day; no groups for a short log."""
    if len(weeks) <= FLAT_WEEKS:
        return (), tuple(weeks)
    by_month: dict[tuple[int, int], list[WeekSummary]] = {}
    undated: list[WeekSummary] = []
    for week in weeks:
        first = week.first_date
        if first is None:
            undated.append(week)
        else:
            by_month.setdefault((first.year, first.month), []).append(week)
    months = {
        ym: WeekGroup(name, group_uri(name), tuple(ws))
        for ym, ws in sorted(by_month.items())
        for name in [f"{ym[0]}-{ym[1]:02d}"]
    }
    years = sorted({year for year, _ in months})
    if len(years) <= 1:
        return tuple(months.values()), tuple(undated)
    groups = []
    for year in years:
        inside = tuple(g for (y, _), g in months.items() if y == year)
        weeks_in = tuple(w for g in inside for w in g.weeks)
        groups.append(WeekGroup(str(year), group_uri(str(year)), weeks_in, inside))
    return tuple(groups), tuple(undated)


def _order(log: Log) -> tuple[str, str]:
    first = log.date or min((d.date for d in log.days if d.date), default=None)
    return (first.isoformat() if first else "9999", log.path)


def _first_date(log: Log) -> dt.date | None:
    return log.date or min((d.date for d in log.days if d.date), default=None)


def distinct(labels: Sequence[str], paths: Sequence[str]) -> list[str]:
    """``labels`` (a section's, its overview's, then one per log of ``paths``), with each
    log's label that reads like an earlier one followed by its file name."""
    seen = {label.casefold() for label in labels[:2]}
    out = list(labels[:2])
    for label, path in zip(labels[2:], paths, strict=True):
        if label.casefold() in seen:
            label = f"{label} ({path.rsplit('/', 1)[-1]})"
        seen.add(label.casefold())
        out.append(label)
    return out


class _Tree:
    """What the navigation is made from: the logs by week, their pages, the site's words."""

    def __init__(self, logs: Sequence[Log], pages: Mapping[str, str], words: Words) -> None:
        self.pages = pages
        self.w = words
        self.by_week: dict[str, list[Log]] = {}
        self.undated: list[Log] = []
        for log in logs:
            key = log_week(log)
            if key is None:
                self.undated.append(log)
            else:
                self.by_week.setdefault(key.slug, []).append(log)

    def week(self, week: WeekSummary) -> NavNode:
        """A week: its roll-up page, then its days' logs by date and its retrospectives."""
        logs = sorted(self.by_week.get(week.key.slug, []), key=_order)
        logs = [lg for lg in logs if not is_retrospective(lg)] + [
            lg for lg in logs if is_retrospective(lg)
        ]
        w = self.w
        name = week.key.named(w)
        labels = distinct(
            [name, w("{week} overview", week=name), *(nav_title(lg, w) for lg in logs)],
            [lg.path for lg in logs],
        )
        entries = [
            NavNode(label, self.pages[lg.path]) for label, lg in zip(labels[2:], logs, strict=True)
        ]
        children = [NavNode(labels[1], links.week_uri(week.key))]
        if len(logs) <= SPLIT_WEEK:
            children += entries
        else:  # a week of a busy team site: its logs under their days
            by_day: dict[str, list[NavNode]] = {}
            for entry, log in zip(entries, logs, strict=True):
                first = _first_date(log)
                by_day.setdefault(first.isoformat() if first else "", []).append(entry)
            for day, nodes in by_day.items():
                if day:
                    children.append(NavNode(day, None, tuple(_chunks(nodes))))
                else:
                    children += _chunks(nodes)
        return NavNode(name, None, tuple(children))

    def group(self, group: WeekGroup) -> NavNode:
        """A year (its months) or a month (its weeks), after its archive page."""
        inside = (
            [self.group(month) for month in group.months]
            if group.months
            else [self.week(week) for week in group.weeks]
        )
        overview = NavNode(self.w("{week} overview", week=group.title), group.uri)
        return NavNode(group.title, None, (overview, *inside))

    def undated_logs(self) -> list[NavNode]:
        w = self.w
        logs = sorted(self.undated, key=_order)
        nodes = [NavNode(log_title(lg, w), self.pages[lg.path]) for lg in logs]
        return [NavNode(w("Undated"), None, tuple(_chunks(nodes)))] if nodes else []


def _chunks(nodes: list[NavNode]) -> list[NavNode]:
    """``nodes``, or, when there are more than :data:`CHUNK`, sections of that many
    (``1–50``, ``51–100``...)."""
    if len(nodes) <= CHUNK:
        return nodes
    return [
        NavNode(f"{n + 1}–{n + len(part)}", None, tuple(part))
        for n in range(0, len(nodes), CHUNK)
        for part in [nodes[n : n + CHUNK]]
    ]


def nav_tree(site: LogIndex, weeks_title: str | None = None) -> tuple[NavNode, ...]:
    """Weeks (grouped on a long log), undated logs, then the indexes, named in the site's
    language (``weeks_title`` names the weeks' section instead)."""
    w = site.words
    tree = _Tree(site.logs, site.pages, w)
    groups, rest = week_groups(site.stats.weeks)
    weeks = [tree.group(g) for g in groups]
    if groups and len(rest) > FLAT_WEEKS:  # weeks with no dated day, in sections too
        weeks += [
            NavNode(
                f"{chunk[0].key.named(w)} – {chunk[-1].key.named(w)}",
                None,
                tuple(tree.week(w) for w in chunk),
            )
            for n in range(0, len(rest), FLAT_WEEKS)
            for chunk in [rest[n : n + FLAT_WEEKS]]
        ]
    else:
        weeks += [tree.week(w) for w in rest]
    out = [NavNode(weeks_title or w("Weeks"), None, tuple(weeks))] if weeks else []
    out += tree.undated_logs()
    out += [
        NavNode(w("Keywords"), links.KEYWORDS),
        NavNode(w("Questions and answers"), links.QA),
        NavNode(w("All questions"), links.QUESTIONS),
        NavNode(w("Review"), links.REVIEW),
        NavNode(w("Execution report"), links.REPORT),
    ]
    return tuple(out)


def walk(tree: Sequence[NavNode]) -> list[NavNode]:
    """Every node of ``tree``, parents before their children."""
    out: list[NavNode] = []
    for node in tree:
        out.append(node)
        out += walk(node.children)
    return out
