"""The styles of a snippet's SVG figure, rebuilt from an allowlist of CSS properties.

A figure is untrusted (user code, or a cache entry anyone may edit), and a style
can make the published SVG fetch from outside when it is opened (``url(...)``,
``image-set(...)``, ``@import``, ``@font-face``). Rather than a list of the
functions that fetch, which a new CSS feature outgrows, styles are parsed with
tinycss2 and rebuilt from what a drawing needs: painting, strokes, text and
markers, whose values are words, numbers, colours (``rgb()``, ``hsl()``) and
references within the document (``url(#clip)``). Everything else is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import tinycss2
from tinycss2 import ast

PROPERTIES = frozenset(
    {
        *("fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity"),
        *("stroke-linecap", "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset"),
        *("stroke-miterlimit", "opacity", "clip-path", "clip-rule", "mask", "filter"),
        *("marker", "marker-start", "marker-mid", "marker-end", "paint-order"),
        *("font", "font-family", "font-size", "font-weight", "font-style", "font-stretch"),
        *("font-variant", "text-anchor", "dominant-baseline", "alignment-baseline"),
        *("baseline-shift", "letter-spacing", "word-spacing", "text-decoration"),
        *("white-space", "visibility", "display", "overflow", "color", "stop-color"),
        *("stop-opacity", "flood-color", "flood-opacity", "lighting-color"),
        *("vector-effect", "shape-rendering", "text-rendering", "image-rendering"),
        *("color-interpolation", "color-interpolation-filters", "mix-blend-mode"),
    }
)
_COLOURS = frozenset({"rgb", "rgba", "hsl", "hsla"})
_PLAIN = (
    ast.IdentToken, ast.NumberToken, ast.PercentageToken, ast.DimensionToken, ast.HashToken,
    ast.WhitespaceToken, ast.StringToken, ast.LiteralToken,
)  # fmt: skip
# Functions an SVG attribute that is not a style may hold: its transforms.
_TRANSFORMS = frozenset({"matrix", "translate", "translatex", "translatey", "scale", "rotate"})
_TRANSFORMS |= {"skewx", "skewy", "scalex", "scaley"}
_FUNCTION = re.compile(r"([A-Za-z_-][\w-]*)\s*\(")


def _local(target: str) -> bool:
    return target.strip().strip("'\"").startswith("#")


def _value_ok(tokens: Iterable[ast.Node]) -> bool:
    """Whether a declaration's value is words, numbers, colours and local references."""
    for token in tokens:
        if isinstance(token, ast.URLToken):
            if not _local(token.value):
                return False
        elif isinstance(token, ast.FunctionBlock):
            name = token.lower_name
            if name == "url":
                args = [a for a in token.arguments if not isinstance(a, ast.WhitespaceToken)]
                if len(args) != 1 or not isinstance(args[0], ast.StringToken):
                    return False
                if not _local(args[0].value):
                    return False
            elif name not in _COLOURS or not _value_ok(token.arguments):
                return False
            if name in _COLOURS and any(
                isinstance(a, (ast.FunctionBlock, ast.URLToken)) for a in token.arguments
            ):
                return False
        elif not isinstance(token, _PLAIN):
            return False  # blocks, at-keywords, unicode ranges...
    return True


def declarations(text: str) -> str:
    """A ``style`` attribute's declarations, those on the allowlist kept."""
    kept = []
    for item in tinycss2.parse_declaration_list(text, skip_whitespace=True, skip_comments=True):
        if (
            isinstance(item, ast.Declaration)
            and item.lower_name in PROPERTIES
            and _value_ok(item.value)
        ):
            value = tinycss2.serialize(item.value).strip()
            kept.append(f"{item.lower_name}: {value}{' !important' if item.important else ''}")
    return "; ".join(kept)


def stylesheet(text: str) -> str:
    """A ``<style>`` element's rules, each with its allowed declarations; at-rules
    (``@import``, ``@font-face``) and selectors that hold functions are dropped."""
    rules = []
    for rule in tinycss2.parse_stylesheet(text, skip_whitespace=True, skip_comments=True):
        if not isinstance(rule, ast.QualifiedRule):
            continue
        if not all(isinstance(t, _PLAIN) for t in rule.prelude):
            continue
        body = declarations(tinycss2.serialize(rule.content))
        selector = tinycss2.serialize(rule.prelude).strip()
        if body and "<" not in selector:
            rules.append(f"{selector} {{{body}}}")
    return "\n".join(rules)


def attribute_ok(name: str, value: str) -> bool:
    """Whether an SVG attribute's value may stay: a presentation attribute (``fill``,
    ``clip-path``) by the rules of its property, any other one (``d``, ``transform``)
    when the only functions it holds are transforms."""
    if name in PROPERTIES:
        return _value_ok(tinycss2.parse_component_value_list(value, skip_comments=True))
    if "\\" in value or "<" in value:
        return False
    return all(m.group(1).lower() in _TRANSFORMS for m in _FUNCTION.finditer(value))
