"""Writing small nbformat 4 notebooks for tests, cell by cell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

KERNEL = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def md(source: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def raw(source: str) -> dict[str, Any]:
    return {"cell_type": "raw", "metadata": {}, "source": source}


def code(
    source: str,
    *,
    tags: tuple[str, ...] = (),
    outputs: list[dict[str, Any]] | None = None,
    count: int | None = None,
) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "metadata": {"tags": list(tags)} if tags else {},
        "source": source,
        "execution_count": count,
        "outputs": outputs or [],
    }


def stream(text: str, name: str = "stdout") -> dict[str, Any]:
    return {"output_type": "stream", "name": name, "text": text}


def display(data: dict[str, Any]) -> dict[str, Any]:
    return {"output_type": "display_data", "data": data, "metadata": {}}


def notebook(*cells: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    return {
        "cells": list(cells),
        "metadata": {**KERNEL, **metadata},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def text(*cells: dict[str, Any], **metadata: Any) -> str:
    return json.dumps(notebook(*cells, **metadata), ensure_ascii=False, indent=1) + "\n"


def write(path: Path, *cells: dict[str, Any], **metadata: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text(*cells, **metadata), encoding="utf-8")
    return path


def edit_code(path: Path, number: int, source: str) -> None:
    """Give cell ``number`` (1-based) of the notebook at ``path`` new source."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["cells"][number - 1]["source"] = source
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
