"""Links from one log to another: a relative link to a log file points at that log's page.

``[지난 글](./day13.md)``, ``[Pandas](../Pandas/Pandas.md#groupby)`` and links to notebooks
work on GitHub, where the files are the pages. On the site each log is a page of its own
(:func:`studylog.render.links.log_uri`), so such a link is pointed at that page, its
``#anchor`` kept (heading ids are GitHub's on both). A link to a log file that does not
exist is reported with ``path:line`` and left as written, as a missing image is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from studylog.render import links


@dataclass(frozen=True)
class Target:
    uri: str | None  # the page of the log linked to; None: leave the link as written
    anchor: str
    missing: bool = False  # the file does not exist


def target(href: str, log_path: str, project: Path, logs: Path) -> Target:
    """Where a relative link from the log at ``log_path`` (relative to ``project``) to a
    log file leads: that log's page, or nowhere known (outside the logs folder, missing)."""
    parts = urlsplit(href)
    written = unquote(parts.path)
    anchor = parts.fragment
    candidate = ((project / log_path).parent / written).resolve()
    if not candidate.is_relative_to(project.resolve()):
        return Target(None, anchor)  # nothing outside the project is looked at
    if not candidate.is_file():
        return Target(None, anchor, missing=True)
    try:
        rel = candidate.relative_to(logs.resolve()).as_posix()
    except ValueError:
        return Target(None, anchor)  # a file of the project, not a log
    return Target(links.log_uri(rel), anchor)


def shown(href: str) -> str:
    """A file name as the author wrote it, for messages (``지난 글.md``, not ``%EC%A7%80…``)."""
    return unquote(href)
