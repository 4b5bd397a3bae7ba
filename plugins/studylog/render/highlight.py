"""Code blocks in the markup ``pymdownx.highlight`` produces, so Material's copy
button, line numbers and colour themes treat them like any other code block.

The highlighter is pymdownx's own :class:`~pymdownx.highlight.Highlight`, set up
with the site's ``pymdownx.highlight`` options. A site that does not use
``pymdownx.highlight`` gets the plain ``<pre><code class="language-…">`` its
own pages have (options ``PLAIN``), like every other code block of that site.
Pygments escapes every character of the code, so the result is safe to put into
a page as it is. A ``math`` fence is display math, as on GitHub.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Mapping
from typing import Any

# The pymdownx.highlight options that shape a block's markup (others are ignored).
OPTIONS = (
    "guess_lang",
    "pygments_style",
    "use_pygments",
    "noclasses",
    "linenums",
    "linenums_style",
    "linenums_special",
    "linenums_class",
    "language_prefix",
    "code_attr_on_pre",
    "line_spans",
    "anchor_linenums",
    "line_anchors",
    "pygments_lang_class",
    "stripnl",
    "default_lang",
    "extend_pygments_lang",
    "auto_title",
    "auto_title_map",
)
_HL_LINES = re.compile(r"^\s*\d+(?:-\d+)?(?:\s+\d+(?:-\d+)?)*\s*$")
_LINENUMS = re.compile(r"^\s*(\d+)(?:\s+(\d+))?(?:\s+(\d+))?\s*$")
_LANG = re.compile(r"^[\w#+.-]+$")


PLAIN = ""  # the site does not highlight code: plain blocks, as Python-Markdown writes them


def plain(code: str, lang: str) -> str:
    """Code in a plain block (a site without pymdownx.highlight)."""
    cls = f' class="language-{html.escape(lang)}"' if lang else ""
    return f"<pre><code{cls}>{html.escape(code, quote=False)}</code></pre>\n"


def options_key(options: Mapping[str, Any] | None) -> str:
    """The site's highlight options as canonical JSON (cache keys, memo keys)."""
    kept = {k: v for k, v in (options or {}).items() if k in OPTIONS}
    return json.dumps(kept, sort_keys=True, default=str)


@functools.lru_cache(maxsize=8)
def _highlighter(key: str) -> Any:
    from pymdownx.highlight import Highlight

    return Highlight(None, **json.loads(key))


def math_block(tex: str) -> str:
    """Display math in the markup of ``pymdownx.arithmatex`` (generic mode)."""
    return f'<div class="arithmatex">\\[{html.escape(tex.strip(), quote=False)}\\]</div>\n'


def math_inline(tex: str) -> str:
    """Inline math as pymdownx.arithmatex writes it."""
    return f'<span class="arithmatex">\\({html.escape(tex, quote=False)}\\)</span>'


def _numbers(value: str, pattern: re.Pattern[str]) -> re.Match[str] | None:
    return pattern.match(value) if value else None


def source(code: str, lang: str, options_json: str = "{}") -> str:
    """Code in a known language (a snippet studylog runs), highlighted."""
    if options_json == PLAIN:
        return plain(code, lang)
    return str(_highlighter(options_json).highlight(code, lang, css_class="highlight")) + "\n"


def code_block(code: str, info: str, options_json: str = "{}", title: str = "") -> str:
    """One fenced block, highlighted; ``info`` is the fence's info string as written.

    A fence whose attributes are not understood (``python exec="off"``,
    ``foo bar``) is still a plain code block in its language: only ``title``,
    ``linenums`` and ``hl_lines`` (pymdownx.superfences' options) shape it.
    """
    from studylog.parse.fences import parse_info  # imports markdown-it: on a memo miss only

    parsed = parse_info(info)
    lang = parsed.lang if _LANG.match(parsed.lang or "") else ""
    if lang.lower() == "math":
        return math_block(code)
    if options_json == PLAIN:
        return plain(code, lang)
    attrs = parsed.attrs
    kwargs: dict[str, Any] = {}
    hl = _numbers(attrs.get("hl_lines", ""), _HL_LINES)
    if hl:
        lines: list[int] = []
        for part in hl.group(0).split():
            first, _, last = part.partition("-")
            lines.extend(range(int(first), int(last or first) + 1))
        kwargs["hl_lines"] = lines
    nums = _numbers(attrs.get("linenums", ""), _LINENUMS)
    if nums:
        kwargs["linestart"] = int(nums.group(1))
        if nums.group(2):
            kwargs["linestep"] = int(nums.group(2))
        if nums.group(3):
            kwargs["linespecial"] = int(nums.group(3))
    label = title or attrs.get("title", "")
    return (
        str(
            _highlighter(options_json).highlight(
                code, lang, css_class="highlight", title=label or None, **kwargs
            )
        )
        + "\n"
    )
