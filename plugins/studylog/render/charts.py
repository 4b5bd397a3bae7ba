"""Charts as inline SVG that follow the page's colours (light and dark).

Drawn with matplotlib's object API (no pyplot, so no global figure state).
Text and axes are drawn in a placeholder colour that is swapped for
``currentColor`` afterwards: inlined into the page, the SVG then takes the
text colour of Material's current palette; backgrounds are transparent.
"""

from __future__ import annotations

import functools
import io
import re
import warnings
from collections.abc import Sequence

_INK = "#010203"  # placeholder, replaced by currentColor
QUESTION = "#4a7fd4"
ANSWER = "#e0803a"


def _svg(fig: object, name: str, salt: str) -> str:
    import matplotlib

    buf = io.StringIO()
    # The salt keeps the ids of two charts inlined into one page (clip paths) apart.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"studylog-{salt}"}):
        fig.savefig(  # type: ignore[attr-defined]
            buf, format="svg", transparent=True, bbox_inches="tight", metadata={"Date": None}
        )
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prolog and doctype: it is inlined
    svg = svg.replace(_INK, "currentColor").replace(_INK.upper(), "currentColor")
    # Text is kept as text (svg.fonttype none): let the browser use the page's font.
    svg = svg.replace("'DejaVu Sans'", "sans-serif").replace('"DejaVu Sans"', "sans-serif")
    # Let the chart shrink with the page instead of a fixed size in points, but never grow
    # past its own size: a chart of a few bars would otherwise fill the column with
    # letters three times their size.
    size = re.search(r'<svg[^>]*? width="([\d.]+)pt"', svg)
    widest = f' style="max-width: {round(float(size[1]) * 4 / 3)}px"' if size else ""
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    return svg.replace(
        "<svg", f'<svg class="studylog-chart" role="img" aria-label="{name}"{widest}', 1
    )


def phone_and_wide(wide: str, phone: str) -> str:
    """Two drawings of one chart, the stylesheet showing the one that fits the screen."""
    wide = wide.replace('class="studylog-chart"', 'class="studylog-chart studylog-chart-wide"', 1)
    phone = phone.replace(
        'class="studylog-chart"', 'class="studylog-chart studylog-chart-phone"', 1
    )
    return wide + phone


def bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], str]],
    *,
    name: str,
    ylabel: str = "",
    horizontal: bool = False,
) -> str:
    """Grouped bars: ``series`` is (legend label, values, colour); returns an ``<svg>`` element.

    ``horizontal`` draws the bars across, one label per row, at a size whose text stays
    legible on a phone's width. Values are counts: the value axis has whole-number ticks."""
    frozen = tuple((legend, tuple(values), colour) for legend, values, colour in series)
    return _cached(tuple(labels), frozen, name, ylabel, horizontal)


# `mkdocs serve` redraws the same chart on every rebuild unless the data changed.
@functools.lru_cache(maxsize=32)
def _cached(
    labels: tuple[str, ...],
    series: tuple[tuple[str, tuple[float, ...], str], ...],
    name: str,
    ylabel: str,
    horizontal: bool,
) -> str:
    with warnings.catch_warnings():
        # Hangul glyphs are missing from matplotlib's bundled font; the text is
        # drawn by the browser (svg.fonttype none), so only metrics are approximate.
        warnings.filterwarnings("ignore", message="Glyph .* missing")
        return _bar_chart(labels, series, name=name, ylabel=ylabel, horizontal=horizontal)


def _bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], str]],
    *,
    name: str,
    ylabel: str,
    horizontal: bool,
) -> str:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    # "$" would start matplotlib mathtext in a label taken from a log.
    labels = [label.replace("$", r"\$") for label in labels]

    n = max(len(labels), 1)
    # A phone shows the horizontal drawing about 4 inches wide at its own size, so its
    # 10 pt text is read at about 10 px; the wide one is scaled into a desktop column.
    width = min(9.0, 2.5 + 0.45 * n) if not horizontal else 4.2
    height = 3.2 if not horizontal else 0.9 + 0.34 * n
    fig = Figure(figsize=(width, height))
    ax = fig.add_subplot()
    k = max(len(series), 1)
    bar = 0.8 / k
    pos = list(range(len(labels)))
    for i, (legend, values, colour) in enumerate(series):
        offs = [p - 0.4 + bar * (i + 0.5) for p in pos]
        if horizontal:
            bars = ax.barh(offs, values, height=bar, color=colour, label=legend)
            # Each count written at its bar's end: read without following the axis down.
            for count in ax.bar_label(bars, padding=2, fontsize=9):
                count.set_color(_INK)
        else:
            ax.bar(offs, values, width=bar, color=colour, label=legend)
    # Counts: whole-number ticks only (never 0.25, 0.5), so no label repeats.
    (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
    if horizontal:
        ax.set_yticks(pos, labels)
        ax.invert_yaxis()
    else:
        ax.set_xticks(pos, labels, rotation=45 if n > 6 else 0, ha="right" if n > 6 else "center")
    if ylabel:
        (ax.set_xlabel if horizontal else ax.set_ylabel)(ylabel, color=_INK)
    ax.set_facecolor("none")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(_INK)
    ax.tick_params(colors=_INK)
    if len(series) > 1:
        # Above the bars, never over one.
        box = ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
        for text in box.get_texts():
            text.set_color(_INK)
    fig.tight_layout()
    return _svg(fig, name, f"{name}-{'phone' if horizontal else 'wide'}")
