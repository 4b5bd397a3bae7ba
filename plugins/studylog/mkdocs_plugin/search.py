"""Korean segmentation of Material's search index, after the search plugin wrote it."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from studylog import memo as memos
from studylog.render.korean import ZWSP, segment


def with_zwsp(separator: str) -> str:
    """The search separator, made to split on zero-width spaces too."""
    if ZWSP in separator or "\\u200b" in separator:
        return separator
    if separator.startswith("[") and not separator.startswith("[^"):
        return "[\\u200b" + separator[1:]
    return f"(?:{separator})|\\u200b"


def segment_index(site_dir: str, memo: memos.Memo | None = None) -> bool:
    """Rewrite ``search/search_index.json`` with Korean eojeol split; False if absent.

    ``memo`` keeps each segmented text between builds."""
    path = Path(site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return False
    data = json.loads(path.read_text(encoding="utf-8"))
    for doc in data.get("docs", []):
        for field in ("title", "text"):
            if isinstance(doc.get(field), str):
                text = doc[field]
                doc[field] = memos.remember(memo, str, partial(segment, text), "segment", text)
    config = data.setdefault("config", {})
    config["separator"] = with_zwsp(config.get("separator") or r"[\s\-]+")
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True

