"""Nothing executable from a log reaches a page or the search index (real ``mkdocs build``).

One log per way markup was found to get past the old source-level sanitizer,
and one log with the usual payloads; every page is checked as HTML (tags,
attributes, URL schemes, with entities decoded), the search index as text.
Both renderers are checked: studylog's own and the site's Python-Markdown.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from studylog.render import markers, safe_outputs
from studylog.render.body import prepare_body
from studylog.render.markers import nonce_for
from studylog.render.sanitize import sanitize, sanitize_cell, sanitize_output

if TYPE_CHECKING:
    from conftest import MkdocsBuild

FIXTURE = Path(__file__).parent / "fixtures" / "security"
WAYS_THROUGH = [
    "2024-05-01-attribute-line",
    "2024-05-02-link-schemes",
    "2024-05-03-admonition-html",
    "2024-05-04-list-indented-html",
    "2024-05-05-fence-attributes",
    "2024-05-06-deep-list",
]
PAYLOADS = "2024-05-07-payloads"
EXECUTABLE_TAGS = {
    "script",
    "iframe",
    "style",
    "svg",
    "object",
    "embed",
    "frame",
    "form",
    "math",
    "link",
    "meta",
    "base",
}


class Executable(HTMLParser):
    """Collects every executable thing in a piece of HTML (attribute values decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in EXECUTABLE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and (
                re.sub(r"\s", "", value).startswith(("javascript:", "data:", "vbscript:"))
            ):
                self.found.append(f"<{tag} {name}={value}>")
            if name == "style" and not re.fullmatch(r"text-align:\s*\w+;?", value):
                self.found.append(f"<{tag} style={value}>")


def article(html: str) -> str:
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
    assert match
    return match.group(1)


def executable(html: str) -> list[str]:
    parser = Executable()
    parser.feed(html)
    return parser.found


@pytest.fixture(scope="module", params=["markdown-it", "python-markdown"])
def built(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    mkdocs_build: MkdocsBuild,
) -> tuple[Path, str]:
    project = tmp_path_factory.mktemp(f"security-{request.param}") / "project"
    shutil.copytree(FIXTURE, project)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "      execute: false", f"      execute: false\n      logs_renderer: {request.param}"
        ),
        "utf-8",
    )
    mkdocs_build(project)
    return project / "site", request.param


def shows_nothing(renderer: str) -> bool:
    """studylog's renderer also keeps every removed part from showing as text; the
    site's Python-Markdown may leave some as (escaped, harmless) text."""
    return renderer == "markdown-it"


def log_page(site: Path, stem: str) -> str:
    return (site / "logs" / stem / "index.html").read_text("utf-8")


@pytest.mark.parametrize("stem", WAYS_THROUGH)
def test_no_way_through(built: tuple[Path, str], stem: str) -> None:
    site, renderer = built
    body = article(log_page(site, stem))
    assert executable(body) == []
    if shows_nothing(renderer):
        assert "alert(" not in re.sub(r"<pre.*?</pre>", "", body, flags=re.S)


def test_attribute_lines_never_show_and_never_apply(built: tuple[Path, str]) -> None:
    site, renderer = built
    body = article(log_page(site, "2024-05-01-attribute-line"))
    assert "A paragraph with an attribute line under it." in body
    assert executable(body) == []
    if shows_nothing(renderer):
        assert "onclick" not in body and "onmouseover" not in body and "{:" not in body


def test_fences_with_attributes_are_plain_code_blocks(built: tuple[Path, str]) -> None:
    body = article(log_page(built[0], "2024-05-05-fence-attributes"))
    code = re.findall(r"<pre[^>]*>(.*?)</pre>", body, re.S)
    text = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in code]  # the code as shown
    assert any("<script>alert('fence')</script>" in t for t in text)
    assert any('print("<b>not run</b>")' in t for t in text)
    assert "foo bar" not in body and 'exec="off"' not in body  # not garbled into text


def test_payloads_are_gone_and_the_harmless_tags_around_them_render(
    built: tuple[Path, str],
) -> None:
    site, renderer = built
    body = article(log_page(site, PAYLOADS))
    assert executable(body) == []
    for marker in ("script-tag", "svg-onload", "td-click", "display: none"):
        assert marker not in body, marker
    for marker in (
        "script-tag",
        "img-onerror",
        "js-markdown-link",
        "js-html-link",
        "svg-onload",
        "entity-link",
        "td-click",
        "display: none",
    ):
        assert not shows_nothing(renderer) or marker not in body, marker
    assert '<p align="center"><b>bold stays</b> and <i>italic stays</i></p>' in body
    assert '<img src="nothing.png" alt="harmless alt">' in body
    assert "<summary>summary stays</summary>" in body and "inside details stays" in body
    assert "<td>cell stays</td>" in body
    assert ">entity link</a>" in body and ">js html link</a>" in body


def test_nothing_executable_anywhere_in_the_site_or_the_search_index(
    built: tuple[Path, str],
) -> None:
    site, renderer = built
    for page in site.rglob("*.html"):
        html = page.read_text("utf-8")
        if "/logs/" in page.as_posix():
            assert executable(article(html)) == [], page
        if shows_nothing(renderer):
            outside_code = re.sub(r"<pre.*?</pre>|<code>.*?</code>", "", html, flags=re.S)
            assert "alert(" not in outside_code, page
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    for doc in index["docs"]:
        text = doc["text"]
        assert executable(text) == [], doc["location"]
        assert not re.search(r"<(script|iframe|style|svg)", text), doc["location"]
        assert "javascript:" not in text, doc["location"]


def test_a_log_cannot_forge_studylogs_markers() -> None:
    body = "Day text\n\n<!-- studylog-slot-0 -->\n"
    forged = body + f"studylog{nonce_for(body)}h0z and studylog{nonce_for(body)}f0z\n"
    prepared = prepare_body(forged)
    assert prepared.nonce != nonce_for(body)
    assert f"studylog{nonce_for(body)}h0z" in prepared.html  # stays text: not a marker
    found: list[str] = []
    markers.substitute(prepared.html, prepared.nonce, "afhims", lambda k, n: found.append(k) or "")
    assert found == []
    # The forged ones, written with the nonce of the text before them, stay as written.
    kept = markers.substitute(prepared.html, nonce_for(body), "afhims", lambda k, n: "GONE")
    assert (
        "GONE" in kept
        and markers.substitute(prepared.html, prepared.nonce, "afhims", lambda k, n: "GONE")
        == prepared.html
    )
    assert "<!--" not in prepared.html


@pytest.mark.parametrize("clean", [sanitize, sanitize_cell, sanitize_output])
@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ('<img src="data:image/png;base64,AAAA">', '<img src="data:image/png;base64,AAAA">'),
        (
            '<img src="data:image/svg+xml;base64,AAAA">',
            '<img src="data:image/svg+xml;base64,AAAA">',
        ),
        ('<img src="data:text/html;base64,AAAA">', "<img>"),
        ('<img src="data:image/png,<svg onload=x>">', "<img>"),  # not base64
        ("<a href=\"data:text/html,<script>alert('x')</script>\">d</a>", "<a>d</a>"),
        ('<a href="data:image/png;base64,AAAA">e</a>', "<a>e</a>"),  # an image, not a link
    ],
)
def test_one_data_rule_for_bodies_cells_and_outputs(
    clean: Callable[[str], str], value: str, kept: str
) -> None:
    """A data: URL stays only as an image on <img src>, whatever HTML it is in."""
    out = clean(value)
    assert out.replace(' rel="noopener noreferrer"', "") == kept


# -- a snippet's HTML and figures: what the outputs of user code may not do to the page -------


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        # Material's own toast, shown over the page; its drawer's and search's ids.
        ('<div class="md-dialog md-dialog--active">hi</div>', "<div>hi</div>"),
        ('<label id="__drawer">menu</label>', "menu"),
        ('<span id="__search">x</span>', "<span>x</span>"),
        ('<p id="mine" class="admonition warning">x</p>', '<p class="admonition warning">x</p>'),
        (
            '<table class="dataframe" id="T_1"><tr><td class="x">1</td></tr></table>',
            '<table class="dataframe"><tbody><tr><td>1</td></tr></tbody></table>',
        ),
        ("<a href=\"data:text/html,<script>alert('x')</script>\">d</a>", "<a>d</a>"),
    ],
)
def test_a_snippets_html_keeps_only_the_bodys_classes_and_no_ids(value: str, kept: str) -> None:
    assert sanitize_output(value).replace(' rel="noopener noreferrer"', "") == kept


OUTSIDE = "https://outside.example/"


@pytest.mark.parametrize(
    "style",
    [
        f"fill: red; background-image: image-set('{OUTSIDE}a.png' 1x)",
        f"fill: image-set('{OUTSIDE}a.png' 1x)",
        f"fill: url({OUTSIDE}p.svg#x)",
        f"cursor: url({OUTSIDE}c.png), auto",
        f"fill: var(--x, url({OUTSIDE}v))",
        f"mask: image('{OUTSIDE}m.png')",
    ],
)
def test_figure_styles_keep_only_drawing_properties(style: str) -> None:
    figure = (
        '<svg xmlns="http://www.w3.org/2000/svg">'
        f"<style>@import url({OUTSIDE}x.css); @font-face {{src: url({OUTSIDE}f.woff)}}"
        f"rect {{ {style} }}</style>"
        f'<rect width="4" height="4" style="{style}" fill="url({OUTSIDE}f#p)"'
        ' clip-path="url(#c)" transform="translate(1 2) scale(2)"/></svg>'
    )
    clean = safe_outputs.svg(figure)
    assert "outside.example" not in clean and "image" not in clean and "var(" not in clean
    assert 'clip-path="url(#c)"' in clean and 'transform="translate(1 2) scale(2)"' in clean


def test_a_matplotlib_figure_loses_an_added_fetch_and_keeps_its_drawing() -> None:
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots()
    axes.plot([0, 1, 2], [2, 0, 1], "o-", label="loss")
    axes.set_title("loss curve")
    axes.legend()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    raw = buffer.getvalue()
    hostile = raw.replace(
        "*{stroke-linejoin: round;",
        f"*{{background: image-set('{OUTSIDE}a.png' 1x); stroke-linejoin: round;",
    )
    assert hostile != raw
    clean = safe_outputs.svg(hostile)
    assert "outside.example" not in clean
    for attribute in ("style=", "clip-path=", "transform=", "d=", "xlink:href="):
        assert clean.count(attribute) == raw.count(attribute), attribute
    assert "stroke-linejoin: round" in clean  # the rest of its stylesheet
