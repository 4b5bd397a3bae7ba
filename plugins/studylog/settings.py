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

It sits at the bottom of the stages, beside :mod:`studylog.model`, so every stage may
ask it: it imports nothing else of studylog. What is made from it lives upstairs: the
parser's config (:func:`studylog.parse.config.parser_config`), the executor
(:func:`studylog.execute.executors.make_executor`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from studylog.model import is_notebook

# An option that extends one of the parser's lists (labels, markers, patterns) is named
# with one of these endings, like the list it extends
# (:class:`studylog.parse.config.ParserConfig`).
PATTERN_SUFFIXES: tuple[str, ...] = ("_patterns", "_labels", "_markers")

# How log bodies are rendered: GitHub's rules (markdown-it), or the site's Python-Markdown.
RENDERERS: tuple[str, ...] = ("markdown-it", "python-markdown")

# What a notebook log's page shows: outputs of its code cells run by studylog (through the
# cache, like any snippet), or the outputs stored in the notebook (nothing is run).
NOTEBOOK_MODES: tuple[str, ...] = ("run", "stored")

# The executor sessions run on unless another is named; which executors there are, and
# what their options are, is the table in :mod:`studylog.execute.executors`.
LOCAL_EXECUTOR = "local"


def is_pattern_option(name: str) -> bool:
    """Whether the option ``name`` adds labels or patterns to one of the parser's lists."""
    return name.endswith(PATTERN_SUFFIXES)


@dataclass(frozen=True)
class ExecutorSettings:
    """Where sessions run: the executor's name, how many sessions at once, its own options."""

    name: str = LOCAL_EXECUTOR  # a name in studylog.execute.executors' table
    jobs: int | None = None  # None: one worker per CPU (Ray: one per CPU of the cluster)
    # torch threads per session; None: the cores split among the jobs (Ray: one per actor).
    # Not a mkdocs.yml option: the pytest plugin sets it under pytest-xdist.
    threads: int | None = None
    # Each executor's own options by executor, then option (mkdocs.yml's ``ray_address``
    # is {"ray": {"address": ...}}), each value checked by its executor.
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def own(self) -> Mapping[str, Any]:
        """The options of the executor :attr:`name` names."""
        return self.options.get(self.name, {})

    def overridden(
        self,
        *,
        name: str | None = None,
        jobs: int | None = None,
        threads: int | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> ExecutorSettings:
        """A copy with the values given (command-line overrides); ``options`` are merged
        into each executor's own."""
        merged = {key: dict(values) for key, values in self.options.items()}
        for executor, values in (options or {}).items():
            merged.setdefault(executor, {}).update(values)
        return replace(
            self,
            name=name or self.name,
            jobs=self.jobs if jobs is None else jobs,
            threads=self.threads if threads is None else threads,
            options={key: values for key, values in merged.items() if values},
        )


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
    executor: ExecutorSettings = field(default_factory=ExecutorSettings)
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


def from_options(
    options: Mapping[str, Any], executor_options: Mapping[str, Mapping[str, Any]] | None = None
) -> Settings:
    """Settings from already validated option values (unknown keys are ignored); the
    executors' own options come apart, by executor (``{"ray": {"address": ...}}``)."""
    known = {f.name for f in fields(Settings)} - {"patterns", "executor"}
    values = {k: v for k, v in options.items() if k in known}
    patterns = {
        name: tuple(str(v) for v in value)
        for name, value in options.items()
        if is_pattern_option(name) and value
    }
    if "include_allowed" in values:
        values["include_allowed"] = tuple(str(v) for v in values["include_allowed"])
    if "keyword_aliases" in values:
        values["keyword_aliases"] = {str(k): str(v) for k, v in values["keyword_aliases"].items()}
    executor = ExecutorSettings(
        name=str(options.get("executor") or LOCAL_EXECUTOR), jobs=options.get("jobs")
    ).overridden(options=executor_options)
    return Settings(**values, patterns=patterns, executor=executor)
