"""Generated files: one per page, virtual (nothing is written into docs/), and the
images the logs use, copied from where they were found.

Snippet figures are written into the site once the sessions finish (see the plugin).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from studylog.mkdocs_plugin.assets import CSS, CSS_URI, static_files
from studylog.render.site import SitePages
from studylog.render.slots import Rendered
from studylog.render.text import esc

# Characters YAML does not allow unescaped (PyYAML's reader rejects them) or reads as
# line breaks; everything else non-ASCII is written as itself.
_NOT_YAML_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _yaml_value(value: object) -> str:
    """``value`` as JSON, which is YAML's flow style, written much faster than PyYAML's
    pure-Python emitter would; characters YAML cannot hold raw are ``\\u`` escapes."""
    text = json.dumps(value, ensure_ascii=False)
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def page_source(page: Rendered) -> str:
    """The Markdown MkDocs reads: front matter (title, tags) then the page."""
    meta: dict[str, object] = {}
    if page.title:
        meta["title"] = page.title
    if page.tags:
        meta["tags"] = list(page.tags)
    if not meta:
        return page.markdown
    head = "".join(f"{key}: {_yaml_value(value)}\n" for key, value in meta.items())
    return f"---\n{head}---\n\n{page.markdown}"


def add_generated(
    files: Files, site: SitePages, config: MkDocsConfig, reuse: Mapping[str, File] | None = None
) -> list[str]:
    """Add every generated page, the stylesheet and the scripts to ``files``; returns their
    src_uris.

    A hand-written file at the same place (e.g. ``docs/keywords.md``) wins and
    the generated one is left out, so authors can replace any generated page.
    ``reuse`` holds the files of the last build (under ``mkdocs serve``): each is added
    again, with its content updated where it changed, so its page is kept.
    """
    reuse = reuse or {}
    added: list[str] = []
    contents: dict[str, str] = {uri: page_source(p) for uri, p in site.pages.items()}
    contents[CSS_URI] = CSS
    contents.update(static_files())
    contents.update(site.stylesheets)
    if files.get_file_from_path("index.md") is None:
        # No hand-written home page: the dashboard is the home page.
        home = Rendered("<!-- studylog:dashboard -->\n", title=esc(config.site_name or "Home"))
        contents["index.md"] = page_source(home)
    for uri, content in contents.items():
        if files.get_file_from_path(uri) is not None:
            continue
        file = reuse.get(uri)
        if file is None or file.abs_src_path is not None:
            file = File.generated(config, uri, content=content)
        elif file.content_string != content:
            file.content_string = content
        files.append(file)
        added.append(uri)
    # Images the logs use, copied from where they were found (never written into docs/).
    for uri, path in site.images.items():
        if files.get_file_from_path(uri) is None:
            file = reuse.get(uri)
            if file is None or file.abs_src_path != path:
                file = File.generated(config, uri, abs_src_path=path)
            files.append(file)
            added.append(uri)
    return added
