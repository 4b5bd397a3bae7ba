"""A notebook's code cells as mkdocs-jupyter renders them: its template, nbconvert's exporter.

mkdocs-jupyter's ``mkdocs_html/notebook.html.j2`` (JupyterLab's markup, which its
stylesheet makes look like Material) renders the code cells -- input with prompt
and cell tags, then outputs -- with four changes made by a small template that
extends it: no ``<style>``/``<script>`` in the page (the stylesheet is one site file,
see :mod:`studylog.render.notebook_css`), no wrapper around the whole notebook
(each cell is placed where it stands among the Markdown, which studylog renders),
no clipboard button of its own (the code is a ``pre > code`` block, so Material's
copy button applies), and no widget state.

Nothing runs: nbconvert's exporter only fills its templates, no preprocessor
executes the notebook and no Jupyter kernel is started. The outputs handed in are
already safe (:mod:`studylog.render.notebook_outputs`), and each cell's HTML goes
through :func:`studylog.render.sanitize.sanitize_cell` after conversion as well, since the
cell's source, tags and outputs all came from the notebook.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from studylog.render.sanitize import sanitize_cell

TEMPLATE_NAME = "studylog-cells.html.j2"
TEMPLATE = """\
{%- extends "mkdocs_html/notebook.html.j2" -%}
{%- block header -%}{%- endblock header -%}
{%- block body_header -%}{%- endblock body_header -%}
{%- block body_footer -%}{%- endblock body_footer -%}
{%- block footer -%}{%- endblock footer -%}
{% block input %}
    <div class="jp-CodeMirrorEditor jp-Editor jp-InputArea-editor" data-type="inline">
        {% set cell_tags = cell["metadata"].get("tags", []) %}
        {% if cell_tags %}
            <div class="celltoolbar">
                {% for tag in cell_tags %}
                <div class="button_container tags_button_container">
                    <span class="tag-container"><span class="cell-tag">{{ tag | e }}</span></span>
                </div>
                {% endfor %}
            </div>
        {% endif %}
        <div class="CodeMirror cm-s-jupyter">
            {{ cell.source | highlight_code(metadata=cell.metadata) }}
        </div>
    </div>
{% endblock input %}
"""
# Around each cell on the page, as mkdocs-jupyter puts around a whole notebook.
WRAP_OPEN = (
    '<div class="jupyter-wrapper"><div class="jp-Notebook" data-jp-theme-light="true" '
    'data-jp-theme-name="JupyterLab Light">'
)
WRAP_CLOSE = "</div></div>"
_TAG = re.compile(r"^[\w.-]{1,64}$")


@dataclass(frozen=True)
class CodeCell:
    """A code cell as it is shown: its source, tags, prompt number and (safe) outputs."""

    source: str
    tags: tuple[str, ...] = ()
    execution_count: int | None = None
    outputs: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        """The cell as nbformat's JSON."""
        return {
            "source": self.source,
            "tags": list(self.tags),
            "execution_count": self.execution_count,
            "outputs": list(self.outputs),
        }


def key(cells: Sequence[CodeCell], language: str) -> str:
    """What the converted cells depend on, as canonical JSON (a memo key)."""
    return json.dumps(
        {"language": language, "cells": [c.as_json() for c in cells], "versions": versions()},
        sort_keys=True,
        ensure_ascii=False,
    )


@functools.lru_cache(maxsize=1)
def versions() -> dict[str, str]:
    """The converter's packages, so an upgraded one is not served a kept page."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("mkdocs-jupyter", "nbconvert", "pygments"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "missing"
    return found


def convert(cells: Sequence[CodeCell], language: str) -> tuple[str, ...]:
    """Each cell's HTML, wrapped as mkdocs-jupyter wraps a notebook, sanitized."""
    if not cells:
        return ()
    import nbformat

    nonce = hashlib.blake2b(
        key(cells, language).encode("utf-8", "surrogatepass"), digest_size=8
    ).hexdigest()
    nodes: list[Any] = []
    for n, cell in enumerate(cells):
        # A raw HTML cell before each code cell marks where one cell's HTML starts.
        nodes.append(
            nbformat.v4.new_raw_cell(
                f"studylog{nonce}c{n}z", metadata={"raw_mimetype": "text/html"}
            )
        )
        node = nbformat.v4.new_code_cell(
            cell.source,
            execution_count=cell.execution_count,
            metadata={"tags": [t for t in cell.tags if _TAG.match(t)]},
        )
        node.id = f"cell-{n + 1}"
        node.outputs = [nbformat.from_dict(o) for o in cell.outputs]
        nodes.append(node)
    notebook = nbformat.v4.new_notebook(
        cells=nodes,
        metadata={
            "kernelspec": {"name": language, "language": language, "display_name": language},
            "language_info": {"name": language},
        },
    )
    body, _ = _exporter(language).from_notebook_node(notebook)
    parts = re.split(f"studylog{nonce}c\\d+z", body)[1:]
    return tuple(WRAP_OPEN + sanitize_cell(part) + WRAP_CLOSE for part in parts)


@functools.lru_cache(maxsize=4)
def _exporter(language: str) -> Any:
    from jinja2 import DictLoader
    from mkdocs_jupyter.config import settings
    from nbconvert.exporters.html import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from traitlets.config import Config

    class CellsExporter(HTMLExporter):
        """nbconvert's HTML exporter without its last pass over the page (BeautifulSoup,
        adding ``alt`` texts and ``tabindex``), which costs as much as the rest of a
        conversion: the sanitizer keeps no ``tabindex``, and studylog's figures have alt
        texts."""

        def from_notebook_node(  # type: ignore[override]
            self, nb: Any, resources: Any = None, **kw: Any
        ) -> tuple[str, dict[str, Any]]:
            resources = self._init_resources(resources)
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(notebook_metadata={}, parent=self, resources=resources),
            )
            output: tuple[str, dict[str, Any]] = TemplateExporter.from_notebook_node(
                self, nb, resources, **kw
            )
            return output

    config = Config(
        {
            # The Pygments rules are part of the site's notebook stylesheet instead.
            "CSSHTMLHeaderPreprocessor": {"enabled": False},
            "HTMLExporter": {"exclude_anchor_links": True},
        }
    )
    return CellsExporter(
        config=config,
        template_file=TEMPLATE_NAME,
        extra_template_paths=[settings.templates_dir],
        extra_loaders=[DictLoader({TEMPLATE_NAME: TEMPLATE})],
        filters={"highlight_code": functools.partial(highlight, default=language)},
        theme="light",
    )


def highlight(
    source: str, language: str | None = None, metadata: Any = None, *, default: str = "python"
) -> str:
    """A cell's source highlighted by Pygments in mkdocs-jupyter's classes, as a
    ``pre > code`` block (which Material gives a copy button)."""
    from pygments import highlight as pygmentize
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    name = language or default
    try:
        lexer = get_lexer_by_name(name)
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    css_name = re.sub(r"[^\w-]", "", name)
    formatter = HtmlFormatter(cssclass=f"highlight-ipynb hl-{css_name}", wrapcode=True)
    return str(pygmentize(source, lexer, formatter))
