"""The generated navigation is linked as mkdocs links the ``nav`` of a mkdocs.yml.

studylog builds its navigation from mkdocs' public structure only (no private
helper of ``mkdocs.structure.nav``): this holds its links -- each item's parent,
each page's previous and next page -- against the ones mkdocs itself makes for the
same tree, so an upgrade of mkdocs that links differently fails here, loudly.
"""

from __future__ import annotations

import ast
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import Navigation, Section, get_navigation
from mkdocs.structure.pages import Page

import studylog
from studylog.mkdocs_plugin.nav import build_nav
from studylog.render.navigation import NavNode

PAGES = ["index.md", "weeks/w1.md", "logs/a.md", "logs/b.md", "weeks/w2.md", "logs/c.md"]


def _links(nav: Navigation) -> list[tuple[str, str | None, str | None, str | None]]:
    """Each page: where it is, its section's title, and its previous and next page."""

    def uri(page: Page | None) -> str | None:
        return page.file.src_uri if page is not None else None

    def section(page: Page) -> str | None:
        parent = page.parent
        return parent.title if isinstance(parent, Section) else None

    return [(uri(p), section(p), uri(p.previous_page), uri(p.next_page)) for p in nav.pages]


def _sections(items: list[object], above: str | None = None) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for item in items:
        if isinstance(item, Section):
            out.append((item.title, above))
            out += _sections(item.children, item.title)
    return out


def test_generated_navigation_is_linked_as_mkdocs_links_a_configured_one(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for name in PAGES:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(f"# {name}\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: nav\n", encoding="utf-8")
    tree = (
        NavNode(
            "Weeks",
            None,
            (
                NavNode("Week 1", None, (NavNode("W1", "weeks/w1.md"), NavNode("A", "logs/a.md"))),
                NavNode("Week 2", None, (NavNode("W2", "weeks/w2.md"), NavNode("C", "logs/c.md"))),
            ),
        ),
        NavNode("B", "logs/b.md"),
    )
    yaml_nav = [
        {"Home": "index.md"},
        {
            "Weeks": [
                {"Week 1": [{"W1": "weeks/w1.md"}, {"A": "logs/a.md"}]},
                {"Week 2": [{"W2": "weeks/w2.md"}, {"C": "logs/c.md"}]},
            ]
        },
        {"B": "logs/b.md"},
    ]

    config = load_config(str(tmp_path / "mkdocs.yml"), nav=yaml_nav)
    expected = get_navigation(get_files(config), config)

    config = load_config(str(tmp_path / "mkdocs.yml"), nav=[{"Home": "index.md"}])
    files = get_files(config)
    ours = build_nav(get_navigation(files, config), tree, files, config)

    assert _links(ours) == _links(expected)
    assert _sections(ours.items) == _sections(expected.items)
    assert [p.title for p in ours.pages] == [p.title for p in expected.pages]
    assert ours.homepage is not None and ours.homepage.file.src_uri == "index.md"
    assert _links(ours)[0] == ("index.md", None, None, "weeks/w1.md")  # the check is real


# The one module that renders single pages with MkDocs' own build steps, checked against
# the installed MkDocs by tests/test_mkdocs_internals.py.
INTERNALS = "studylog/mkdocs_plugin/internals.py"


def test_no_module_uses_a_private_name_of_mkdocs() -> None:
    """``from mkdocs... import _name`` or ``mkdocs...._name``: it breaks silently on an
    upgrade. The public structure and its documented attributes are enough, except in
    the one module whose test fails loudly on an upgrade."""
    package = Path(studylog.__file__).resolve().parent
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.relative_to(package.parent).as_posix() == INTERNALS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mkdocs"):
                names = [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.startswith("mkdocs")]
            found += [
                f"{path.relative_to(package.parent)}:{node.lineno}: {name}"
                for name in names
                if any(part.startswith("_") for part in name.split("."))
            ]
    assert found == []
