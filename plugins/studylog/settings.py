"""Project settings: every default studylog has, and the rules that check each value.

One frozen :class:`Settings` describes a project (where its logs and cache are,
how snippets run, what the parser is told, what pages are made). Every front end
asks it: the MkDocs plugin's options take their defaults from :data:`DEFAULTS`
and their checks from the validators here; the CLI and the pytest plugin load
the same values from the project's ``mkdocs.yml`` (see :mod:`studylog.project`).

Validators raise :class:`ValueError` with a message that says what to write, so
each front end can wrap it in its own error type (MkDocs' ``ValidationError``,
argparse's ``ArgumentTypeError``, pytest's ``UsageError``) without restating
the rule.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from studylog.parse.config import ParserConfig
from studylog.parse.notebook_json import is_notebook

# The ParserConfig lists a user may extend from mkdocs.yml (labels, markers, patterns).
PATTERN_OPTIONS: tuple[str, ...] = tuple(
    f.name for f in fields(ParserConfig) if f.name.endswith(("_patterns", "_labels", "_markers"))
)


# How log bodies are rendered: GitHub's rules (markdown-it), or the site's Python-Markdown.
RENDERERS: tuple[str, ...] = ("markdown-it", "python-markdown")

# What a notebook log's page shows: outputs of its code cells run by studylog (through the
# cache, like any snippet), or the outputs stored in the notebook (nothing is run).
NOTEBOOK_MODES: tuple[str, ...] = ("run", "stored")

# Where sessions run: the local pool of worker processes, or a Ray cluster's nodes.
EXECUTORS: tuple[str, ...] = ("local", "ray")


@dataclass(frozen=True)
class Settings:
    """A project's settings; the defaults are studylog's defaults."""

    # Where things are, relative to the folder holding mkdocs.yml.
    logs_dir: str = "logs"
    snippets_dir: str = "snippets"
    cache_dir: str = ".studylog-cache"
    logs_drafts: bool = False  # include logs whose front matter says draft: true
    logs_renderer: str = RENDERERS[0]  # one of RENDERERS
    logs_assets_dir: str | None = None  # where site-absolute images (/assets/...) are found

    # What the parser is told.
    default_year: int | None = None
    course_start: dt.date | None = None
    keyword_aliases: Mapping[str, str] = field(default_factory=dict)
    patterns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # user additions

    # Running the snippets.
    execute: bool = True
    jobs: int | None = None  # None: one worker per CPU (Ray: one per CPU of the cluster)
    executor: str = EXECUTORS[0]  # one of EXECUTORS
    # The Ray cluster to use (host:port, or ray://host:port); None: join the Ray instance
    # running on this machine, or start one that listens on the loopback address only.
    ray_address: str | None = None
    timeout: float = 120.0  # seconds per block unless the block sets its own
    strict_snippets: bool = True  # a failed snippet is a warning (so --strict fails)
    # Glob patterns (project-relative) of hidden or git-ignored files that file= may run.
    include_allowed: tuple[str, ...] = ()
    execute_notebooks: str = NOTEBOOK_MODES[0]  # one of NOTEBOOK_MODES

    # The generated pages.
    nav_weeks_title: str | None = None  # None: "Weeks" in the site's language
    dashboard: bool = True
    korean_search: bool = True

    @property
    def notebooks_stored(self) -> bool:
        """Notebook logs show the outputs stored in them, and none of their code runs."""
        return self.execute_notebooks == "stored"

    def runs_code_of(self, log_path: str) -> bool:
        """Whether studylog runs the code of the log at ``log_path``: every Markdown log's,
        a notebook's unless :attr:`notebooks_stored`. The site, ``studylog run`` and pytest
        all ask this."""
        return not (self.notebooks_stored and is_notebook(log_path))

    def parser_config(self) -> ParserConfig:
        """The parser's config: plain options set, pattern lists extended (never replaced)."""
        config = ParserConfig(
            default_year=self.default_year,
            course_start=self.course_start,
            keyword_aliases=dict(self.keyword_aliases),
        )
        return config.extend(**{k: v for k, v in self.patterns.items() if v})


DEFAULTS = Settings()


# -- validators: one rule per kind of value, shared by every front end ----------------------


def seconds(value: object) -> float:
    """A positive, finite number of seconds (``true`` is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"expected a number of seconds such as 120, got {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"expected a number of seconds such as 120, got {value!r}") from None
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"expected a positive number of seconds such as 120, got {value!r}")
    return number


def _whole(value: object, what: str, low: int, high: int | None = None) -> int:
    """A whole number from ``low`` to ``high``; ``what`` names it in the message."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        number = int(value)
    if number is None or number < low or (high is not None and number > high):
        raise ValueError(f"expected {what}, got {value!r}")
    return number


def jobs(value: object) -> int | None:
    """A number of worker processes, 1 or more; None means one per CPU."""
    return None if value is None else _whole(value, "a number of workers, 1 or more", 1)


def ray_address(value: object) -> str | None:
    """A Ray cluster address: ``host:port``, ``ray://host:port`` or ``auto``; None or empty
    means none is set (join this machine's Ray instance, or start one)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.strip() if isinstance(value, str) else ""
    rest = text.removeprefix("ray://")
    host, _, port = rest.rpartition(":")
    if text == "auto" or (host and port.isdigit() and 0 < int(port) < 65536):
        return text
    raise ValueError(
        f"expected a Ray address such as 10.0.0.5:6379 or ray://head:10001, got {value!r}"
    )


def year(value: object) -> int | None:
    """A calendar year such as 2024; None means none is set."""
    return None if value is None else _whole(value, "a year such as 2024", 1, 9999)


def date(value: object) -> dt.date | None:
    """A calendar date: a date, or an ISO ``YYYY-MM-DD`` string; None means none is set."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a date such as 2023-11-20, got {value!r}")


def globs(value: object) -> tuple[str, ...]:
    """A list of glob patterns of project files, such as ``[".env.example", "private/*.py"]``."""
    if value is None:
        return ()
    if (
        isinstance(value, str)
        or not isinstance(value, (list, tuple))
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise ValueError(
            f'expected a list of file patterns such as [".env.example"], got {value!r}'
        )
    return tuple(v.strip() for v in value)


def from_options(options: Mapping[str, Any]) -> Settings:
    """Settings from already validated option values (unknown keys are ignored)."""
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in options.items() if k in known and k != "patterns"}
    patterns = {
        name: tuple(str(v) for v in options[name]) for name in PATTERN_OPTIONS if options.get(name)
    }
    if "include_allowed" in values:
        values["include_allowed"] = tuple(str(v) for v in values["include_allowed"])
    if "keyword_aliases" in values:
        values["keyword_aliases"] = {str(k): str(v) for k, v in values["keyword_aliases"].items()}
    return Settings(**values, patterns=patterns)
