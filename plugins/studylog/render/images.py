"""Where a log's local images are, and where their copies go in the site.

A relative path (``img/a.png``) is looked up in the log's own folder, then in
the assets folder, ``docs_dir`` and the project; a site-absolute path
(``/assets/img/a.png``, as Jekyll posts write them, also after ``{{ site.url }}``)
in the assets folder (``logs_assets_dir``: where a Jekyll site's ``assets/``
folder lives), ``docs_dir``, the project, then the logs folder. A file found in
``docs_dir`` is already part of the site; any other is copied to its path
relative to the folder it was found in (``/assets/img/a.png`` stays
``assets/img/a.png``), a file beside a log to its place under ``logs/``, beside
the log's page. Nothing outside the project (or the assets folder) is copied.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from studylog.render import links
from studylog.render.jekyll import SiteAddress


@dataclass(frozen=True)
class Found:
    """A local image found: its file, its place in the site, and whether to copy it."""

    path: Path  # the file
    uri: str  # its place in the site (posix, relative to the site root)
    copy: bool  # False when MkDocs copies it already (it is in docs_dir)


@dataclass(frozen=True)
class ImageFolders:
    """Where a log's local images may be, and where they go in the site."""

    project: Path
    logs: Path
    assets: Path | None = None
    docs: Path | None = None
    site: SiteAddress = field(default_factory=SiteAddress)

    def where(self, src: str, log_path: str) -> tuple[str, list[Path | None]]:
        """The path part of ``src`` and the folders it is looked up in, in order."""
        path = unquote(urlsplit(src).path)
        prefix = self.site.url + self.site.baseurl
        if self.site.url and src.startswith(prefix + "/"):
            path = unquote(urlsplit(src[len(prefix) :]).path)
        elif self.site.baseurl and path.startswith(self.site.baseurl + "/"):
            path = path[len(self.site.baseurl) :]
        roots = [r for r in (self.assets, self.docs, self.project) if r is not None]
        if path.startswith("/"):
            return path.lstrip("/"), [*roots, self.logs]
        return path, [None, *roots]  # None: the log's own folder

    def find(self, src: str, log_path: str) -> Found | None:
        """The image ``src`` of the log at ``log_path`` refers to; None if none."""
        rel, folders = self.where(src, log_path)
        if not rel or rel.endswith("/"):
            return None
        for root in folders:
            folder = root if root is not None else (self.project / log_path).parent
            candidate = (folder / rel).resolve()
            if not self._allowed(candidate) or not candidate.is_file():
                continue
            in_docs = self._in(candidate, self.docs)
            if root is None or in_docs:
                uri = self._uri(candidate)
            else:
                uri = candidate.relative_to(root.resolve()).as_posix()
            return Found(candidate, uri, copy=not in_docs)
        return None

    def _in(self, path: Path, folder: Path | None) -> bool:
        return folder is not None and path.is_relative_to(folder.resolve())

    def _allowed(self, path: Path) -> bool:
        return self._in(path, self.project) or self._in(path, self.assets)

    def _uri(self, path: Path) -> str:
        """The site path of a file beside a log (or in docs_dir)."""
        for folder, prefix in ((self.docs, ""), (self.logs, links.LOGS), (self.project, "")):
            if self._in(path, folder):
                assert folder is not None
                rel = path.relative_to(folder.resolve()).as_posix()
                return posixpath.join(prefix, rel) if prefix else rel
        return path.name
