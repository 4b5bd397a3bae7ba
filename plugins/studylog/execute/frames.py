"""Tracebacks as a reader of the page needs them: no machine's paths, library noise folded.

A traceback from a worker names every file by its absolute path, the user's virtual
environment included (``/home/me/venv/lib/python3.11/site-packages/torch/...``): that
would be published on the page and committed in the cache. :func:`shorten` (run where
the session ran, before anything is stored) names a library file relative to the folder
it was imported from (``torch/nn/modules/linear.py``), a project file relative to the
project, and the home folder as ``~``.

What the reader looks for is the log's own line and the error; the frames inside torch
between them (``module.py``'s call machinery) are folded by :func:`fold` wherever a
traceback is shown, with the count of what was left out. A notebook's cells are named
as their prompts are (:func:`with_prompts`).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping

FOLDED_PACKAGES = ("torch",)  # whose own frames are folded

_FRAME = re.compile(r'^  File "(?P<file>[^"]*)", line \d+')


def roots(extra: Iterable[str] = ()) -> list[str]:
    """The folders whose paths are taken off file names, longest first: where modules are
    imported from (``sys.path``: site-packages, the standard library; and the folder of
    each imported top-level package, for one an editable install finds elsewhere), the
    interpreter's prefixes, the working folder, and ``extra`` (the session's temporary
    folder)."""
    places = [*sys.path, sys.prefix, sys.base_prefix, sys.exec_prefix, os.getcwd(), *extra]
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if "." in name or name == "__main__" or not isinstance(file, str):
            continue
        folder = os.path.dirname(file)
        if os.path.basename(file).startswith("__init__."):  # a package: its parent folder
            folder = os.path.dirname(folder)
        places.append(folder)
    found = {
        os.path.abspath(p)
        for p in places
        if p
        and os.path.isabs(p)
        and os.path.abspath(p) != os.sep
        # Not a folder inside a package (a script's own): torch/nn stays torch/nn.
        and not os.path.isfile(os.path.join(p, "__init__.py"))
    }
    return sorted(found, key=len, reverse=True)


def shorten(text: str | None, folders: Iterable[str]) -> str | None:
    """``text`` with every path under one of ``folders`` made relative to it, and the
    home folder written ``~``."""
    if not text:
        return text
    for folder in folders:
        text = text.replace(folder.rstrip(os.sep) + os.sep, "")
    home = os.path.expanduser("~")
    if home and home != os.sep and os.path.isabs(home):
        text = text.replace(home.rstrip(os.sep) + os.sep, "~" + os.sep)
    return text


def _package(line: str) -> str | None:
    found = _FRAME.match(line)
    if found is None:
        return None
    top = found["file"].replace("\\", "/").split("/", 1)[0]
    return top if top in FOLDED_PACKAGES else None


def fold(text: str) -> tuple[str, int]:
    """``text`` with each run of frames inside a folded package (torch) replaced by one
    line saying how many there were; (the folded text, frames folded)."""
    lines = text.split("\n")
    out: list[str] = []
    folded = 0
    i = 0
    while i < len(lines):
        package = _package(lines[i])
        if package is None:
            out.append(lines[i])
            i += 1
            continue
        run = 0
        while i < len(lines) and _package(lines[i]) == package:
            run += 1
            i += 1
            # The frame's own lines: its source line and the ^^^ markers under it.
            while i < len(lines) and lines[i].startswith("    "):
                i += 1
        folded += run
        frames = "frame" if run == 1 else "frames"
        out.append(f"  [{run} {frames} inside {package} not shown]")
    return "\n".join(out), folded


def with_prompts(text: str, log: str, prompts: Mapping[int, int]) -> str:
    """``text`` with a notebook's cells named by their ``In [n]`` prompts: ``File
    "logs/a.ipynb, cell 9"`` becomes ``File "logs/a.ipynb, In [4]"`` (``prompts`` maps
    cell numbers to prompt numbers)."""
    if not prompts:
        return text

    def named(found: re.Match[str]) -> str:
        prompt = prompts.get(int(found["cell"]))
        return found[0] if prompt is None else f'File "{log}, In [{prompt}]"'

    return re.sub(rf'File "{re.escape(log)}, cell (?P<cell>\d+)"', named, text)
