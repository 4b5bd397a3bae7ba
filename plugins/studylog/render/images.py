"""Where a log's local images are, and where their copies go in the site.

A relative path (``img/a.png``) is looked up in the log's own folder, then in
the assets folder, then in the project; a site-absolute path
(``/assets/img/a.png``, as Jekyll posts write them, also after ``{{ site.url }}``)
in the assets folder, then the project, then the logs folder. A file found in
``docs_dir`` is already part of the site; any other is copied to its path
relative to the folder it was found in (``assets/img/a.png``), or, for a log's
own folder, to its path under ``logs/`` beside the log's page. Nothing outside
the project (or the configured assets folder) is ever copied.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from studylog.render import links
from studylog.render.jekyll import Site


@dataclass(frozen=True)
class Found:
    path: Path  # the file
    uri: str  # its place in the site (posix, relative to the site root)
    copy: bool  # False when MkDocs copies it already (it is in docs_dir)


@dataclass(frozen=True)
class ImageFolders:
    project: Path
    logs: Path
    assets: Path | None = None
    docs: Path | None = None
    site: Site = field(default_factory=Site)

    def where(self, src: str, log_path: str) -> tuple[str, list[Path]]:
        """The path part of ``src`` and the folders it is looked up in, in order."""
        path = unquote(urlsplit(src).path)
        prefix = self.site.url + self.site.baseurl
        if self.site.url and src.startswith(prefix + "/"):
            path = unquote(urlsplit(src[len(prefix):]).path)
        elif self.site.baseurl and path.startswith(self.site.baseurl + "/"):
            path = path[len(self.site.baseurl):]
        roots = [r for r in (self.assets, self.docs, self.project) if r is not None]
        if path.startswith("/"):
            return path.lstrip("/"), [*roots, self.logs]
        folder = (self.project / log_path).parent
        return path, [folder, *roots]

    def find(self, src: str, log_path: str) -> Found | None:
        rel, folders = self.where(src, log_path)
        if not rel or rel.endswith("/"):
            return None
        for folder in folders:
            candidate = (folder / rel).resolve()
            if not self._allowed(candidate) or not candidate.is_file():
                continue
            return Found(candidate, self._uri(candidate), copy=not self._in(candidate, self.docs))
        return None

    def _in(self, path: Path, folder: Path | None) -> bool:
        return folder is not None and path.is_relative_to(folder.resolve())

    def _allowed(self, path: Path) -> bool:
        return self._in(path, self.project) or self._in(path, self.assets)

    def _uri(self, path: Path) -> str:
        for folder, prefix in ((self.docs, ""), (self.logs, links.LOGS), (self.assets, ""),
                               (self.project, "")):
            if self._in(path, folder):
                assert folder is not None
                rel = path.relative_to(folder.resolve()).as_posix()
                return posixpath.join(prefix, rel) if prefix else rel
        return path.name
