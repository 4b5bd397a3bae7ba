"""Where this studylog was installed from, as a line of a new site's ``requirements.txt``.

studylog is not on a package index, so a plain ``studylog`` line installs nothing. pip
records where each package came from in ``direct_url.json`` (PEP 610): a Git URL and
commit, a folder (possibly installed editable), or an archive; a package installed from
an index has none, and its version is the line. A folder is on this machine only: the
workflows on GitHub's runners cannot install it, which the line's comment says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata
from typing import Any
from urllib.parse import unquote, urlsplit

NAME = "studylog"


@dataclass(frozen=True)
class Requirement:
    line: str  # what pip reads
    local: bool = False  # a folder on this machine: not installable on another one

    def text(self) -> str:
        """The ``requirements.txt`` lines for studylog, with a comment when it is local."""
        if not self.local:
            return self.line + "\n"
        return (
            "# studylog from a folder on this machine: `pip install -r requirements.txt` works\n"
            "# here, but not on GitHub's runners. Before the workflows run, replace the next\n"
            "# line with where studylog can be fetched from, e.g.\n"
            "#   studylog @ git+https://github.com/<owner>/studylog.git\n" + self.line + "\n"
        )


def requirement(info: dict[str, Any] | None = None, version: str | None = None) -> Requirement:
    """The requirement that installs the studylog of ``info`` (a ``direct_url.json``;
    default: the installed studylog's)."""
    if info is None and version is None:
        info, version = installed()
    if not info or not isinstance(info.get("url"), str):
        return Requirement(f"{NAME}=={version}" if version else NAME)
    url: str = info["url"]
    vcs = info.get("vcs_info")
    subdirectory = info.get("subdirectory")
    fragment = f"#subdirectory={subdirectory}" if subdirectory else ""
    if isinstance(vcs, dict):
        # The exact commit installed here, so CI runs the studylog this site was made with.
        commit = vcs.get("commit_id") or vcs.get("requested_revision")
        at = f"@{commit}" if commit else ""
        return Requirement(f"{NAME} @ {vcs.get('vcs', 'git')}+{url}{at}{fragment}")
    if url.startswith("file:"):
        path = unquote(urlsplit(url).path)
        editable = bool((info.get("dir_info") or {}).get("editable"))
        line = f"-e {path}" if editable else f"{NAME} @ {url}{fragment}"
        return Requirement(line, local=True)
    return Requirement(f"{NAME} @ {url}{fragment}")


def installed() -> tuple[dict[str, Any] | None, str | None]:
    """The installed studylog's ``direct_url.json`` (None when it came from an index, or
    is not installed) and its version."""
    try:
        dist = metadata.distribution(NAME)
    except metadata.PackageNotFoundError:
        return None, None
    text = dist.read_text("direct_url.json")
    try:
        info = json.loads(text) if text else None
    except ValueError:
        info = None
    return (info if isinstance(info, dict) else None), dist.version
