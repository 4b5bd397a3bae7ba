"""The stylesheet of notebook cells: mkdocs-jupyter's, served once as a site file.

mkdocs-jupyter inlines its whole stylesheet (about 600 kB) into every notebook
page; studylog writes it once, as ``assets/studylog/jupyter.css``, linked from
the site's pages when the site has a notebook log. It is mkdocs-jupyter's own
files -- JupyterLab's styles scoped to ``.jupyter-wrapper`` (the few rules that are
not are scoped here, so no other page changes) and its light theme -- with its dark
theme applied under Material's dark palette (``slate``), and the Pygments rules of
JupyterLab's code style for the ``highlight-ipynb`` blocks.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

URI = "assets/studylog/jupyter.css"
DARK = '[data-md-color-scheme="slate"] .jupyter-wrapper'
# Cells sit between Markdown paragraphs: give them the spacing of a code block.
EXTRA = """
.md-typeset .jupyter-wrapper { margin: 1em 0; }
.md-typeset .jupyter-wrapper .jp-Notebook { padding: 0; }
.md-typeset .jupyter-wrapper .highlight-ipynb pre { margin: 0; }
.md-typeset .jupyter-wrapper .jp-OutputArea-output pre { white-space: pre-wrap; }
.md-typeset .jupyter-wrapper + .studylog-footer,
.md-typeset .jupyter-wrapper + .studylog-notebook-status { margin-top: -0.6em; }
"""


# A rule whose selector does not start inside a notebook cell (mkdocs-jupyter's stylesheet has
# a few, e.g. ``table{width:max-content}``, harmless on its own notebook-only pages): the
# site links this file from every page, so each is scoped to ``.jupyter-wrapper``.
_UNSCOPED = re.compile(
    r"(?<=\})(?P<scheme>\[data-md-color-scheme=slate\] )?"
    r"(?!\.jupyter-wrapper|@|from\b|to\b|\d)(?P<selector>[^{}]+?)\{"
)


def scoped(css: str) -> str:
    """``css`` with every top-level rule applying inside ``.jupyter-wrapper`` only."""
    return _UNSCOPED.sub(
        lambda m: f"{m.group('scheme') or ''}.jupyter-wrapper {m.group('selector')}{{", css
    )


@functools.lru_cache(maxsize=1)
def stylesheet() -> str:
    """The stylesheet of notebook cells, scoped to studylog's pages."""
    from jupyterlab_pygments import JupyterStyle
    from mkdocs_jupyter.config import settings
    from pygments.formatters import HtmlFormatter

    assets = Path(settings.templates_dir) / "mkdocs_html" / "assets"
    index = scoped((assets / "index.css").read_text(encoding="utf-8"))
    light = (assets / "theme-light.css").read_text(encoding="utf-8")
    dark = (assets / "theme-dark.css").read_text(encoding="utf-8").replace(".jupyter-wrapper", DARK)
    # Only its rules for the notebook's blocks (it also writes bare ``pre`` rules).
    formatter = HtmlFormatter(style=JupyterStyle)
    rules = str(formatter.get_style_defs(".highlight-ipynb"))  # type: ignore[no-untyped-call]
    pygments = "\n".join(line for line in rules.splitlines() if line.startswith(".highlight-ipynb"))
    return "\n".join((index, light, dark, pygments, EXTRA))
