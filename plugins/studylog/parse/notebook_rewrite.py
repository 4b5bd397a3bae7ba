"""A notebook log rewritten as a canonical notebook log (``studylog import``).

The notebook stays a notebook -- cells, outputs and metadata kept as they are --
and gets canonical front matter: what the parser derived (title, date, kind,
week, day, keywords, Q/A counts) in the ``studylog`` mapping of its metadata,
with the keys of a front-matter cell it had (which is then removed, so one place
holds them). Parsing the new file gives the same dates, keywords and counts.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import PurePosixPath
from typing import Any

from studylog.model import Log
from studylog.parse.frontmatter import SCHEMA
from studylog.parse.notebooks import METADATA_KEY
from studylog.parse.rewrite import Rewritten, canonical_name, log_fields, log_label


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def rewrite_notebook(log: Log, data: bytes) -> Rewritten:
    """The canonical notebook for ``log``, whose file held ``data`` (read without errors)."""
    notebook = json.loads(data.decode("utf-8-sig"))
    cells = notebook.get("cells", [])
    kept_numbers = {c.number for c in log.notebook.cells} if log.notebook else set()
    fields = log_fields(log)
    metadata = dict(notebook.get("metadata") or {})
    for key in SCHEMA:
        metadata.pop(key, None)  # the canonical values below say it once
    metadata[METADATA_KEY] = {
        k: _plain(v) for k, v in fields.items() if v not in (None, (), [], "")
    }
    notebook["metadata"] = metadata
    # The front-matter cell (the only cell a notebook log leaves out) moved into metadata.
    notebook["cells"] = [c for n, c in enumerate(cells, start=1) if n in kept_numbers]
    name = canonical_name(log.date, log_label(log), PurePosixPath(log.path).stem, ".ipynb")
    text = json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"
    return Rewritten(name, text, log.path, 1, "notebook")
