"""What live rebuilds take from MkDocs and Material outside their public APIs, checked
against the versions installed.

``studylog.mkdocs_plugin.internals`` is the one module that calls MkDocs' private page
steps and reaches into Material's search index. An upgrade that renames them, changes
their parameters or stores the index otherwise fails here, saying which, instead of
leaving pages of a live rebuild different from a full build's.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from mkdocs.commands import build
from mkdocs.config import load_config

from studylog.mkdocs_plugin import internals

STEPS = {
    "_populate_page": ["page", "config", "files", "dirty"],
    "_build_page": ["page", "config", "doc_files", "nav", "env", "dirty", "excluded"],
    "_build_theme_template": ["template_name", "env", "files", "config", "nav"],
}


def test_mkdocs_page_steps_take_what_studylog_passes() -> None:
    for name, params in STEPS.items():
        step = getattr(build, name, None)
        assert step is not None, f"mkdocs.commands.build.{name} is gone"
        assert list(inspect.signature(step).parameters) == params, name


def test_materials_search_index_is_where_studylog_reads_it(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: s\ntheme:\n  name: material\nplugins:\n  - search\n", encoding="utf-8"
    )
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins.on_config(config)
    plugin = internals.search_plugin(config)
    assert plugin is not None
    assert internals.search_entries(plugin) == []
    internals.fresh_search_index(plugin)
    entry = {"location": "a/", "title": "A", "text": "x"}
    written = internals.search_index_json(plugin, [entry])
    assert '"docs":[{"location":"a/","title":"A","text":"x"}]' in written
    assert internals.search_entries(plugin) == [entry]
    # Under `mkdocs serve --dirty`, Material starts its next dirty build from this index.
    plugin.is_dirty = True
    internals.search_index_json(plugin, [entry])
    assert plugin.search_index_prev is plugin.search_index
