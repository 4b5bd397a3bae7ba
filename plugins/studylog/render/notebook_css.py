"""The stylesheet of notebook cells: mkdocs-jupyter's, served once as a site file.

mkdocs-jupyter inlines its whole stylesheet (about 600 kB) into every notebook
page; studylog writes it once, as ``assets/studylog/jupyter.css``, linked from
the site's pages when the site has a notebook log. It is mkdocs-jupyter's own
files -- JupyterLab's styles scoped to ``.jupyter-wrapper`` and its light theme --
with its dark theme applied under Material's dark palette (``slate``), and the
Pygments rules of JupyterLab's code style for the ``highlight-ipynb`` blocks.
"""

from __future__ import annotations

import functools
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


@functools.lru_cache(maxsize=1)
def stylesheet() -> str:
    from jupyterlab_pygments import JupyterStyle
    from mkdocs_jupyter.config import settings
    from pygments.formatters import HtmlFormatter

    assets = Path(settings.templates_dir) / "mkdocs_html" / "assets"
    index = (assets / "index.css").read_text(encoding="utf-8")
    light = (assets / "theme-light.css").read_text(encoding="utf-8")
    dark = (assets / "theme-dark.css").read_text(encoding="utf-8").replace(
        ".jupyter-wrapper", DARK)
    # Only its rules for the notebook's blocks (it also writes bare ``pre`` rules).
    pygments = "\n".join(
        line for line in str(HtmlFormatter(style=JupyterStyle).get_style_defs(  # type: ignore[no-untyped-call]
            ".highlight-ipynb")).splitlines() if line.startswith(".highlight-ipynb"))
    return "\n".join((index, light, dark, pygments, EXTRA))
