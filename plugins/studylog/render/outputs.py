"""HTML for the outputs of one executed block: text, value, tables, figures, errors, footer.

Everything that came out of the user's code is escaped except ``_repr_html_``
tables (a DataFrame's own HTML), which are sanitized (:mod:`~studylog.render.sanitize`): a
result may come from a cache entry anyone can edit. Figures are not inlined:
each SVG becomes a file under ``assets/studylog/`` named by its content hash,
so identical figures are stored once and pages stay small (the file itself is
sanitized where the site's assets are made).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from studylog.execute import frames, status
from studylog.execute.results import BlockResult, SessionResult
from studylog.render.sanitize import sanitize_output
from studylog.render.text import esc

AssetUrl = Callable[[str], str]

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
MAX_OUTPUT_LINES = 400


def figure_name(svg: str) -> str:
    """The asset file name of a figure: its content hash, so it is stored once."""
    return hashlib.sha256(svg.encode("utf-8")).hexdigest()[:20] + ".svg"


_SVG_SIZE = re.compile(
    r'<svg\b[^>]*?\swidth="(?P<w>[\d.]+)(?P<wu>pt|px)?"[^>]*?\sheight="(?P<h>[\d.]+)(?P<hu>pt|px)?"'
)


def figure_img(svg: str, src: str, alt: str) -> str:
    """The ``<img>`` of a figure, with the figure's own width and height (in CSS pixels),
    so the page keeps its room before the lazily loaded image arrives (no jump)."""
    size = ""
    found = _SVG_SIZE.search(svg[:4000])
    if found:
        # matplotlib sizes its SVG in points; a CSS pixel is 3/4 of a point.
        w = float(found["w"]) * (4 / 3 if found["wu"] == "pt" else 1)
        h = float(found["h"]) * (4 / 3 if found["hu"] == "pt" else 1)
        if w > 0 and h > 0:
            size = f' width="{round(w)}" height="{round(h)}"'
    return f'<img src="{esc(src)}" alt="{esc(alt)}"{size} loading="lazy">'


def clip(text: str) -> str:
    """Output text without ANSI codes, cut after :data:`MAX_OUTPUT_LINES` lines."""
    text = _ANSI.sub("", text)
    lines = text.splitlines()
    if len(lines) <= MAX_OUTPUT_LINES:
        return text.rstrip("\n")
    cut = len(lines) - MAX_OUTPUT_LINES
    return "\n".join([*lines[:MAX_OUTPUT_LINES], f"... ({cut} more lines not shown)"])


def _pre(cls: str, text: str) -> str:
    return f'<pre class="{cls}"><code>{esc(clip(text))}</code></pre>'


def traceback_html(text: str) -> str:
    """An error's traceback with torch's own frames folded (:func:`frames.fold`); the
    whole of it one click away."""
    shown, folded = frames.fold(text)
    html = _pre("studylog-error", shown)
    if folded:
        said = f"The whole traceback ({folded} frame{'s' if folded != 1 else ''} inside torch)"
        html += (
            f'<details class="studylog-frames"><summary>{esc(said)}</summary>'
            f"{_pre('studylog-error', text)}</details>"
        )
    return html


def footer(block: BlockResult, session: SessionResult) -> str:
    """The line under a block's outputs: duration, device, cached or run."""
    where = status.how(session)
    parts = [
        f"{block.duration:.2f} s",
        esc(session.device or "unknown device"),
        "frozen output" if where == "frozen" else where,
    ]
    if block.failed or block.status == "skipped":
        parts.append(esc(block.status))
    return '<div class="studylog-footer">' + " · ".join(parts) + "</div>"


def render_block(
    block: BlockResult, session: SessionResult, asset_url: AssetUrl, *, where: str = ""
) -> str:
    """The outputs of one block as an HTML fragment."""
    parts = [f'<div class="studylog-output" data-status="{esc(block.status)}">']
    if block.stdout.strip():
        parts.append(_pre("studylog-stdout", block.stdout))
    if block.stderr.strip():
        parts.append(_pre("studylog-stderr", block.stderr))
    if block.html:
        parts.append(
            '<div class="studylog-table md-typeset__scrollwrap">'
            f"{sanitize_output(block.html)}</div>"
        )
    elif block.value is not None:
        parts.append(_pre("studylog-value", block.value))
    for n, svg in enumerate(block.figures, start=1):
        alt = f"Figure {n}" + (f" of {where}" if where else "")
        img = figure_img(svg, asset_url(figure_name(svg)), alt)
        parts.append(f'<figure class="studylog-figure">{img}</figure>')
    if block.status != "ok":
        kind = "failure" if block.failed else "warning"
        title = status.title(block.status)
        detail = block.error or session.message
        parts.append(f'<div class="admonition {kind}"><p class="admonition-title">{esc(title)}</p>')
        if detail:
            parts.append(traceback_html(detail))
        parts.append("</div>")
    parts.append(footer(block, session))
    parts.append("</div>")
    return "\n".join(parts)


def missing_output(where: str) -> str:
    """What a block shows when there is no result for it."""
    return (
        '<div class="studylog-output" data-status="missing">'
        '<div class="admonition note"><p class="admonition-title">Not executed</p>'
        f"<p>No result for {esc(where)}: execution is off and nothing is stored for it.</p>"
        "</div></div>"
    )
