"""The ``studylog`` plugin's options, typed with MkDocs' own config option classes.

Every option is documented in ``docs/guide.md``; options are grouped by prefix
(``logs_*`` where logs are read, ``keyword_*``/pattern lists for the parser,
execution options, page options).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from studylog.render.log_page import RENDERERS


class DateOption(c.BaseConfigOption[dt.date]):
    """A calendar date: YAML's own date, or an ISO ``YYYY-MM-DD`` string."""

    def run_validation(self, value: object) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ValidationError(f"expected a date such as 2023-11-20, got {value!r}")


class StudylogConfig(Config):
    enabled = c.Type(bool, default=True)

    # Where the logs are, relative to mkdocs.yml (outside docs_dir on purpose).
    logs_dir = c.Type(str, default="logs")
    logs_drafts = c.Type(bool, default=False)  # include logs with ``draft: true``
    # How log bodies are rendered: GitHub's rules (markdown-it), or the site's Python-Markdown.
    logs_renderer = c.Choice(RENDERERS, default=RENDERERS[0])
    # Where site-absolute image paths (/assets/img/a.png) are found, besides the project.
    logs_assets_dir = c.Optional(c.Type(str))

    # What the parser reads.
    default_year = c.Optional(c.Type(int))
    course_start = c.Optional(DateOption())
    keyword_aliases = c.DictOfItems(c.Type(str), default={})
    # Extra labels and patterns, appended to the built-in Korean and English ones.
    keyword_line_labels = c.ListOfItems(c.Type(str), default=[])
    keyword_section_labels = c.ListOfItems(c.Type(str), default=[])
    question_count_labels = c.ListOfItems(c.Type(str), default=[])
    answer_count_labels = c.ListOfItems(c.Type(str), default=[])
    question_markers = c.ListOfItems(c.Type(str), default=[])
    answer_markers = c.ListOfItems(c.Type(str), default=[])
    day_heading_patterns = c.ListOfItems(c.Type(str), default=[])
    day_line_patterns = c.ListOfItems(c.Type(str), default=[])
    week_patterns = c.ListOfItems(c.Type(str), default=[])
    week_tag_patterns = c.ListOfItems(c.Type(str), default=[])
    title_day_patterns = c.ListOfItems(c.Type(str), default=[])
    weekly_title_patterns = c.ListOfItems(c.Type(str), default=[])

    # Running the snippets.
    execute = c.Type(bool, default=True)
    jobs = c.Optional(c.Type(int))
    cache_dir = c.Type(str, default=".studylog-cache")
    timeout = c.Type((int, float), default=120)
    strict_snippets = c.Type(bool, default=True)

    # The generated pages.
    nav_weeks_title = c.Type(str, default="Weeks")
    dashboard = c.Type(bool, default=True)
    korean_search = c.Type(bool, default=True)


# Options that extend the parser's built-in label and pattern lists.
PATTERN_OPTIONS = (
    "keyword_line_labels",
    "keyword_section_labels",
    "question_count_labels",
    "answer_count_labels",
    "question_markers",
    "answer_markers",
    "day_heading_patterns",
    "day_line_patterns",
    "week_patterns",
    "week_tag_patterns",
    "title_day_patterns",
    "weekly_title_patterns",
)


def parser_options(config: StudylogConfig) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The parser's plain options, and the pattern lists the user added (non-empty only)."""
    plain = {
        "default_year": config.default_year,
        "course_start": config.course_start,
        "keyword_aliases": dict(config.keyword_aliases),
    }
    extra = {name: list(config[name]) for name in PATTERN_OPTIONS if config[name]}
    return plain, extra
