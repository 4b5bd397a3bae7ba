"""A code cell's outputs as nbformat outputs, made safe to show.

Two sources: a block's result from studylog's workers (stdout, stderr, the last
value and its HTML, figures, the error), or the outputs stored in the notebook
(``execute_notebooks: stored``, and cells that are not run). Either way each
output is reduced to what a page may show before mkdocs-jupyter's template sees
it: HTML through the log body's sanitizer, Markdown through studylog's own
renderer, SVG as an ``<img>`` (no inline SVG, so none of its scripts), PNG/JPEG/GIF
only as checked base64, and anything else (JavaScript, widgets) as its plain-text
form. Figures from the workers are asset files like every log's figures.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from studylog.execute import frames
from studylog.execute.results import BlockResult
from studylog.model import Output
from studylog.render.outputs import clip, figure_img, figure_name
from studylog.render.sanitize import sanitize
from studylog.render.text import esc

Nb = dict[str, Any]  # one nbformat output
AssetUrl = Callable[[str], str]
IMAGES = ("image/png", "image/jpeg", "image/gif")


def _stream(name: str, text: str) -> Nb:
    return {"output_type": "stream", "name": name, "text": clip(text) + "\n"}


def _display(data: dict[str, str], count: int | None = None) -> Nb:
    if count is None:
        return {"output_type": "display_data", "data": data, "metadata": {}}
    return {"output_type": "execute_result", "data": data, "metadata": {}, "execution_count": count}


def _error(text: str, name: str = "", value: str = "") -> Nb:
    lines = clip(text).split("\n")
    if not name:
        name, _, value = lines[-1].partition(":") if lines else ("Error", "", "")
    return {
        "output_type": "error",
        "ename": name.strip(),
        "evalue": value.strip(),
        "traceback": lines,
    }


def from_result(
    block: BlockResult,
    count: int | None,
    asset_url: AssetUrl,
    where: str,
    prompts: Mapping[int, int] | None = None,
    log: str = "",
) -> list[Nb]:
    """The outputs of a block run by studylog, in the order a notebook shows them; an
    error's traceback names the cells of ``log`` by their ``prompts`` and folds torch's
    own frames."""
    out: list[Nb] = []
    if block.stdout.strip():
        out.append(_stream("stdout", block.stdout))
    if block.stderr.strip():
        out.append(_stream("stderr", block.stderr))
    if block.value is not None or block.html:
        data = {"text/plain": block.value or ""}
        if block.html:
            data["text/html"] = sanitize(block.html)
        out.append(_display(data, count or 0))
    # Figures after the value, as a notebook shows the figures a cell left open.
    for n, svg in enumerate(block.figures, start=1):
        img = figure_img(svg, asset_url(figure_name(svg)), f"Figure {n} of {where}")
        out.append(
            _display(
                {
                    "text/html": img,
                    "text/plain": f"<Figure {n}>",
                }
            )
        )
    if block.error:
        shown, _ = frames.fold(frames.with_prompts(block.error, log, prompts or {}))
        out.append(_error(shown))
    return out


def from_stored(outputs: Iterable[Output], count: int | None) -> list[Nb]:
    """The outputs stored in a notebook cell, reduced to safe forms."""
    out: list[Nb] = []
    for output in outputs:
        if output.kind == "stream":
            out.append(_stream(output.name or "stdout", output.text))
        elif output.kind == "error":
            out.append(
                _error(output.text or f"{output.name}: {output.value}", output.name, output.value)
            )
        else:
            data = safe_data(output.data)
            if data:
                result = output.kind == "execute_result"
                out.append(
                    _display(data, (output.execution_count or count or 0) if result else None)
                )
    return out


def safe_data(bundle: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The richest safe form of a mime bundle, with its plain text (empty: nothing to show)."""
    data = dict(bundle)
    plain = {"text/plain": clip(data["text/plain"])} if "text/plain" in data else {}
    if "text/html" in data:
        return {"text/html": sanitize(data["text/html"]), **plain}
    if "image/svg+xml" in data:
        encoded = base64.b64encode(data["image/svg+xml"].encode("utf-8")).decode("ascii")
        img = f'<img src="data:image/svg+xml;base64,{encoded}" alt="figure">'
        return {"text/html": img, **plain}
    for mime in IMAGES:
        if mime in data:
            checked = _base64(data[mime])
            if checked is not None:
                return {mime: checked, **plain}
    if "text/markdown" in data:
        return {"text/html": markdown_html(data["text/markdown"]), **plain}
    return plain


def _base64(text: str) -> str | None:
    """``text`` when it is base64 (whitespace aside), else None: it goes into an attribute."""
    compact = "".join(text.split())
    try:
        base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None
    return compact


def markdown_html(text: str) -> str:
    """A Markdown output rendered as a log body is (GitHub's rules, sanitized)."""
    from studylog.render.body import fill, prepare_body

    prepared = prepare_body(text)
    return fill(
        prepared,
        {
            "f": lambda n: prepared.fences[n].html,
            "i": lambda n: esc(prepared.images[n].src),
            "l": lambda n: esc(prepared.links[n].href),
        },
    )
