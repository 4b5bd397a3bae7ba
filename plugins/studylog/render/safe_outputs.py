"""Snippet figures made safe to publish: SVG rebuilt from an allowlist.

A result may come from the cache, a file anyone can edit in a pull request, so
the SVG of a figure is treated as untrusted whether fresh or cached (the HTML
of a ``_repr_html_`` value goes through :func:`studylog.render.sanitize.sanitize_output`).
SVG is parsed as XML and rebuilt from an allowlist of SVG elements and
attributes (what matplotlib and similar libraries draw with): no scripts, no
``foreignObject``, no event handlers, links only within the document or to
embedded images (the allowlist's one ``data:`` rule), and styles rebuilt from an
allowlist of CSS properties (:mod:`studylog.render.svg_css`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from studylog.render import svg_css
from studylog.render.sanitize import DATA_IMAGE

# -- SVG --------------------------------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_SVG_ELEMENTS = {
    "svg",
    "g",
    "defs",
    "style",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "use",
    "symbol",
    "marker",
    "clipPath",
    "mask",
    "pattern",
    "image",
    "linearGradient",
    "radialGradient",
    "stop",
    "title",
    "desc",
    "filter",
    "feGaussianBlur",
    "feOffset",
    "feBlend",
    "feFlood",
    "feComposite",
    "feMerge",
    "feMergeNode",
    "feColorMatrix",
}
_SVG_ATTRIBUTES = {
    "id",
    "class",
    "style",
    "transform",
    "d",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "width",
    "height",
    "viewBox",
    "preserveAspectRatio",
    "points",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-miterlimit",
    "opacity",
    "clip-path",
    "clip-rule",
    "clipPathUnits",
    "mask",
    "maskUnits",
    "patternUnits",
    "patternTransform",
    "gradientUnits",
    "gradientTransform",
    "offset",
    "stop-color",
    "stop-opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "dx",
    "dy",
    "rotate",
    "textLength",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "refX",
    "refY",
    "orient",
    "version",
    "visibility",
    "display",
    "color",
    "filter",
    "stdDeviation",
    "in",
    "in2",
    "result",
    "mode",
    "operator",
    "values",
    "type",
    "flood-color",
    "flood-opacity",
    "xml:space",
}
_HREF = {f"{{{XLINK_NS}}}href", "href"}
_SAFE_HREF = re.compile(rf"#[\w.:-]+|{DATA_IMAGE.pattern}")
_BROKEN = (
    f'<svg xmlns="{SVG_NS}" width="320" height="40" viewBox="0 0 320 40">'
    '<text x="8" y="24" font-size="14">figure not shown: {why}</text></svg>'
)

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


def _local(tag: object) -> str | None:
    """The name of an element in the SVG namespace; None for any other element."""
    if not isinstance(tag, str) or not tag.startswith(f"{{{SVG_NS}}}"):
        return None
    return tag.split("}", 1)[1]


def _clean(element: ET.Element) -> None:
    for child in list(element):
        name = _local(child.tag)
        if name not in _SVG_ELEMENTS:
            element.remove(child)  # scripts, foreignObject, metadata, anything unknown
            continue
        _clean(child)
    for key in list(element.attrib):
        value = element.attrib[key]
        bare = key.replace("{http://www.w3.org/XML/1998/namespace}", "xml:")
        if bare == "style":  # rebuilt from the allowed declarations
            value = element.attrib[key] = svg_css.declarations(value)
            keep = bool(value)
        elif bare in _SVG_ATTRIBUTES:
            keep = svg_css.attribute_ok(bare, value)
        else:
            keep = key in _HREF and _SAFE_HREF.fullmatch(value.strip()) is not None
        if not keep:
            del element.attrib[key]  # event handlers (on*), external links, anything unknown
    if _local(element.tag) == "style":
        for child in list(element):
            element.remove(child)
        element.text = svg_css.stylesheet(element.text or "")


def svg(text: str) -> str:
    """``text`` (an SVG document from user code or the cache) rebuilt from the allowlist;
    a document that is not SVG becomes a small figure saying so."""
    if "<!ENTITY" in text or "<!entity" in text:
        return _BROKEN.format(why="it declares XML entities")
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return _BROKEN.format(why="it is not well-formed SVG")
    if _local(root.tag) != "svg":
        return _BROKEN.format(why="it is not an SVG document")
    _clean(root)
    for key in list(root.attrib):
        if key in _HREF:
            del root.attrib[key]
    return ET.tostring(root, encoding="unicode")
