"""studylog: a study-log static site generator with executable content.

The package is a pipeline whose stages point one way: a module imports only from
its own stage or an earlier one (``tests/test_layering.py``)::

    model  <  parse  <  execute  <  stats  <  render  <  glue

* ``studylog.model`` - frozen dataclasses for logs, days, snippets, problems; with
  ``studylog.settings`` and the rules every stage shares (``studylog.korean``,
  ``studylog.emoji``, ``studylog.words``, ``studylog.suggest``).
* ``studylog.parse`` - reads Markdown study logs (markdown-it-py tokens) into the model.
* ``studylog.execute`` - runs executable snippets in worker processes, with a cache.
* ``studylog.stats`` and ``studylog.render`` - turn the model and results into pages.
* glue: ``studylog.mkdocs_plugin``, ``studylog.pytest_plugin``, ``studylog.cli``
  (and ``studylog.project``, ``studylog.memo``).

The core stages never import mkdocs or pytest, and torch is imported only
inside worker processes.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
