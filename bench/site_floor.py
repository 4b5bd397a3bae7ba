"""The output floor: studylog's own site, written out as static Markdown for plain MkDocs.

The plain variant is the floor for the *input* pages. studylog's site has more:
a page per week, the keyword index, the Q/A and report pages, a dashboard, a
navigation by week, and snippet outputs on every log page. This module writes
exactly those pages (every output inlined from the studylog variant's cache) into
a project built by plain MkDocs with the same theme and search plugin, so a warm
studylog build can be compared with the cost of its own output.

It uses studylog's internals (the plugin's build pipeline) on purpose: the pages
must be byte for byte the Markdown the plugin hands to MkDocs.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

DASHBOARD_MARKER = "<!-- studylog:dashboard -->"


def write_pages_site(studylog_root: Path, root: Path, site_name: str) -> Path:
    """Write the static project into ``root``; the studylog project must be fully cached."""
    from mkdocs.config import load_config

    from studylog.execute import LocalExecutor  # type: ignore[import-not-found]
    from studylog.mkdocs_plugin.assets import CSS, CSS_URI  # type: ignore[import-not-found]
    from studylog.mkdocs_plugin.config import to_settings  # type: ignore[import-not-found]
    from studylog.mkdocs_plugin.files import page_source  # type: ignore[import-not-found]
    from studylog.mkdocs_plugin.pipeline import (  # type: ignore[import-not-found]
        PendingBuild,
        build_site,
    )
    from studylog.render.slots import Rendered  # type: ignore[import-not-found]

    source = Path(studylog_root).resolve()
    config = load_config(str(source / "mkdocs.yml"))
    options = config.plugins["studylog"].config

    # Started only if a session is not cached (then refused below).
    with LocalExecutor(1) as executor:
        build = build_site(to_settings(options), source, config, executor=lambda: executor)
        if isinstance(build, PendingBuild):
            build = build.finish()
        if executor.workers_started:
            raise RuntimeError("some sessions were not cached: build the studylog variant first")

    def inline(page: Rendered) -> Rendered:
        if page.html is not None:
            # A log page studylog rendered itself: its final HTML, passed through as one block.
            return Rendered(f"<div>\n{page.html}\n</div>\n", {}, page.title, page.tags)
        markdown = page.markdown
        for key, fragment in page.slots.items():
            markdown = markdown.replace(f"<!-- studylog-slot-{key} -->", fragment)
        return Rendered(markdown, {}, page.title, page.tags)

    if root.exists():
        shutil.rmtree(root)
    docs = root / "docs"
    files = {uri: page_source(inline(page)) for uri, page in build.site.pages.items()}
    files.update(build.site.assets)
    files[CSS_URI] = CSS
    home = source / "docs" / "index.md"
    text = home.read_text(encoding="utf-8") if home.is_file() else ""
    files["index.md"] = (
        text.replace(DASHBOARD_MARKER, "").rstrip("\n")
        + "\n\n"
        + inline(build.site.dashboard).markdown
    )
    for uri, content in files.items():
        path = docs / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")

    def nav(nodes: Any) -> list[dict[str, Any]]:
        return [{n.title: n.uri} if n.uri else {n.title: nav(n.children)} for n in nodes]

    project = {
        "site_name": site_name,
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material"},
        "plugins": ["search"],
        "extra_css": [CSS_URI],
        "nav": [{"Home": "index.md"}, *nav(build.site.nav)],
    }
    (root / "mkdocs.yml").write_text(
        yaml.safe_dump(project, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return root
