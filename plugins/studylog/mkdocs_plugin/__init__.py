"""The MkDocs glue: ``plugins: [search, tags, studylog]`` in mkdocs.yml.

The plugin class is imported on first use, so the command line can read a
project's options (:mod:`studylog.mkdocs_plugin.config`) without loading the
plugin and MkDocs' page machinery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studylog.mkdocs_plugin.plugin import StudylogPlugin


def __getattr__(name: str) -> Any:
    if name == "StudylogPlugin":
        from studylog.mkdocs_plugin.plugin import StudylogPlugin

        return StudylogPlugin
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["StudylogPlugin"]
