"""What a page carries of the navigation stays small however many logs a site has.

Material with ``navigation.prune`` renders, on each page, the top level of the
navigation and every item of each section on the way to the page. The logs here are
made as the parser would leave them (no files, no parsing: thousands cost nothing),
five a week over years, as a daily study log grows. The count is checked in the tree
for every log page at each size, and in the HTML Material really renders for pages of
a 2,000-log site.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, get_files
from mkdocs.structure.nav import get_navigation

from studylog.mkdocs_plugin import internals
from studylog.mkdocs_plugin.nav import build_nav
from studylog.model import Log
from studylog.render import links
from studylog.render.navigation import FLAT_WEEKS, NavNode, nav_tree, walk
from studylog.render.site_pages import LogIndex
from studylog.stats import site_stats

LIMIT = 150  # entries of the navigation on any log page
START = dt.date(2019, 3, 4)  # a Monday


def daily_logs(n: int) -> list[Log]:
    """``n`` one-day logs, Monday to Friday, each naming its course week."""
    out = []
    for i in range(n):
        week, weekday = divmod(i, 5)
        date = START + dt.timedelta(days=7 * week + weekday)
        out.append(
            Log(
                path=f"logs/{date.year}/week{week + 1:02d}/{date.isoformat()}.md",
                body="",
                body_line=1,
                title=f"Day {i + 1}",
                date=date,
                week=week + 1,
                day=i + 1,
                keywords=("MLP",),
                questions=1,
                answers=1,
            )
        )
    return out


def tree_of(logs: list[Log]) -> tuple[NavNode, ...]:
    pages = {lg.path: links.log_uri(lg.path.removeprefix("logs/")) for lg in logs}
    return nav_tree(LogIndex(tuple(logs), site_stats(logs), pages))


def shown(tree: tuple[NavNode, ...], top: int = 1) -> dict[str, int]:
    """How many entries each page shows (Material, pruned), by page: the top level (``top``
    items of the site's own besides ``tree``), then every item of each section on its way."""
    counts: dict[str, int] = {}

    def visit(nodes: tuple[NavNode, ...], above: int) -> None:
        for node in nodes:
            if node.uri:
                counts[node.uri] = above
            visit(node.children, above + len(node.children))

    visit(tree, top + len(tree))
    return counts


@pytest.mark.parametrize("n", [500, 2000, 8000])
def test_every_log_page_shows_a_bounded_navigation(n: int) -> None:
    logs = daily_logs(n)
    tree = tree_of(logs)
    counts = [c for uri, c in shown(tree).items() if uri.startswith("logs/")]
    assert len(counts) == n
    assert max(counts) <= LIMIT, max(counts)


def test_a_team_site_with_many_logs_a_day_and_undated_notes_stays_bounded() -> None:
    """A course site: 120 logs on each weekday for 20 weeks, and 300 notes without a date."""
    logs = []
    for i, log in enumerate(daily_logs(100)):
        for member in range(120):
            logs.append(replace(log, path=log.path.replace(".md", f"-m{member}.md")))
        if i < 60:
            logs += [
                replace(log, path=f"logs/notes/n{i}-{k}.md", date=None, week=None) for k in range(5)
            ]
    tree = tree_of(logs)
    counts = shown(tree)
    assert len([u for u in counts if u.startswith("logs/")]) == len(logs) == 12_300
    assert max(counts.values()) <= LIMIT, max(counts.values())


def test_a_short_log_keeps_its_flat_list_of_weeks() -> None:
    logs = daily_logs(20)  # four weeks
    (weeks, *indexes) = tree_of(logs)
    assert [w.title for w in weeks.children] == ["Week 1", "Week 2", "Week 3", "Week 4"]
    first = weeks.children[0]
    assert [c.title for c in first.children] == [
        "Week 1 overview",
        *(f"Day {i}" for i in range(1, 6)),
    ]
    assert [i.title for i in indexes] == [
        "Keywords",
        "Questions and answers",
        "All questions",
        "Review",
        "Execution report",
    ]


def test_a_long_log_groups_weeks_by_year_and_month_with_archive_pages() -> None:
    logs = daily_logs(5 * (FLAT_WEEKS + 60))  # more weeks than a term, over two years
    (weeks, *_) = tree_of(logs)
    years = weeks.children
    assert [y.title for y in years] == ["2019", "2020"]
    overview, *months = years[0].children
    assert (overview.title, overview.uri) == ("2019 overview", "weeks/2019.md")
    assert months[0].title == "2019-03" and months[0].children[0].uri == "weeks/2019-03.md"
    assert months[0].children[1].title == "Week 1"


def count_entries(html: str) -> int:
    """The items of the primary navigation in a page Material rendered (its table of
    contents left out)."""
    nav = html[html.index('class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index('<div class="md-sidebar md-sidebar--secondary"')]
    nav = re.sub(r'<nav class="md-nav md-nav--secondary".*?</nav>', "", nav, flags=re.S)
    return nav.count('<li class="md-nav__item')


def test_material_renders_the_bounded_navigation_of_a_2000_log_site(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: s\ntheme:\n  name: material\n  features: [navigation.prune]\n",
        encoding="utf-8",
    )
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins.on_config(config)  # Material's search, which the theme turns on
    tree = tree_of(daily_logs(2000))
    files = get_files(config)
    for node in walk(tree):
        if node.uri:
            file = File(node.uri, None, config.site_dir, config.use_directory_urls)
            file.content_string = "Text.\n"
            files.append(file)
    nav = build_nav(get_navigation(files, config), tree, files, config)
    env = config.theme.get_env()
    docs = files.documentation_pages()
    sample = [p for p in nav.pages if "logs/" in p.file.src_uri][::400]
    expected = shown(tree)
    assert len(sample) == 5
    for page in sample:
        internals.populate_page(page, config, files)
        internals.build_page(page, config, docs, nav, env)
        html = Path(page.file.abs_dest_path).read_text("utf-8")
        assert count_entries(html) == expected[page.file.src_uri] <= LIMIT
