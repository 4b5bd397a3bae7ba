"""studylog: a study-log static site generator with executable content.

The package is a pipeline whose stages point one way::

    parse  ->  model  ->  execute  ->  render  ->  glue

* ``studylog.model`` - frozen dataclasses for logs, days, snippets, problems.
* ``studylog.parse`` - reads Markdown study logs (markdown-it-py tokens) into the model.
* ``studylog.execute`` - runs executable snippets in worker processes, with a cache.
* ``studylog.render`` and ``studylog.stats`` - turn the model and results into pages.
* glue: ``studylog.mkdocs_plugin``, ``studylog.pytest_plugin``, ``studylog.cli``.

The core stages never import mkdocs or pytest, and torch is imported only
inside worker processes.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
