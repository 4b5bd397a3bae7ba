"""The MkDocs glue: ``plugins: [search, tags, studylog]`` in mkdocs.yml."""

from __future__ import annotations

from studylog.mkdocs_plugin.plugin import StudylogPlugin

__all__ = ["StudylogPlugin"]
